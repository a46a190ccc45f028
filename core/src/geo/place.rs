//! A place as a caller writes it ([`PlaceRef`]) and as the library resolved it ([`Place`]).

use super::distance_km;
use crate::error::{Error, Result};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A place as a caller writes it, in the JSON shape every binding shares:
///
/// | JSON | meaning |
/// | --- | --- |
/// | `"Caen"`, `"st-lo"`, `"14400"`, `"Orne"`, `"49.18, -0.37"` | free text as people type it: a name, a code, a département, a point |
/// | `{"insee": "76540"}` | exactly this INSEE code (a commune, an arrondissement, or a former commune's own code) |
/// | `{"postal_code": "14400"}` | exactly this postal code |
/// | `{"departement": "61"}` | a département, by code or name |
/// | `{"lat": 49.18, "lon": -0.37}` | an exact point (WGS84) |
///
/// Free text that could mean several places is an [`Error::AmbiguousPlace`] with the candidates,
/// never a silent pick; see [`crate::Geography::resolve`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PlaceRef {
    /// Free text: `"Flers"`, `"61169"`, `"61100"`, `"Orne"`, `"49.18, -0.37"`.
    Text(String),
    /// An INSEE code, typed.
    Insee(String),
    /// A postal code, typed.
    PostalCode(String),
    /// A département, by code or name, typed.
    Departement(String),
    /// An exact point.
    Point {
        /// Latitude (WGS84).
        lat: f64,
        /// Longitude (WGS84).
        lon: f64,
    },
}

impl PlaceRef {
    /// Exactly this INSEE code.
    pub fn insee(code: impl Into<String>) -> PlaceRef {
        PlaceRef::Insee(code.into())
    }

    /// Exactly this postal code.
    pub fn postal_code(code: impl Into<String>) -> PlaceRef {
        PlaceRef::PostalCode(code.into())
    }

    /// A département by code or name.
    pub fn departement(code_or_name: impl Into<String>) -> PlaceRef {
        PlaceRef::Departement(code_or_name.into())
    }

    /// An exact point.
    pub fn point(lat: f64, lon: f64) -> PlaceRef {
        PlaceRef::Point { lat, lon }
    }

    /// Reads a place from a JSON value as the bindings receive it; errors name the argument
    /// (`place`, `from`) and the key inside it (`place.insee`).
    pub fn from_value(value: serde_json::Value, field: &str) -> Result<PlaceRef> {
        crate::error::from_value(value, field).map_err(|e| e.in_field(field))
    }

    /// The value as the caller gave it (the text or the code; `"lat, lon"` for a point), as
    /// errors quote it.
    pub fn shown(&self) -> String {
        match self {
            PlaceRef::Text(t)
            | PlaceRef::Insee(t)
            | PlaceRef::PostalCode(t)
            | PlaceRef::Departement(t) => t.clone(),
            PlaceRef::Point { lat, lon } => format!("{lat}, {lon}"),
        }
    }
}

impl From<&str> for PlaceRef {
    fn from(text: &str) -> PlaceRef {
        PlaceRef::Text(text.to_string())
    }
}

impl From<String> for PlaceRef {
    fn from(text: String) -> PlaceRef {
        PlaceRef::Text(text)
    }
}

impl From<&String> for PlaceRef {
    fn from(text: &String) -> PlaceRef {
        PlaceRef::Text(text.clone())
    }
}

impl From<&PlaceRef> for PlaceRef {
    fn from(place: &PlaceRef) -> PlaceRef {
        place.clone()
    }
}

impl Serialize for PlaceRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let one = |s: S, key: &str, value: &str| {
            let mut m = s.serialize_map(Some(1))?;
            m.serialize_entry(key, value)?;
            m.end()
        };
        match self {
            PlaceRef::Text(t) => s.serialize_str(t),
            PlaceRef::Insee(c) => one(s, "insee", c),
            PlaceRef::PostalCode(c) => one(s, "postal_code", c),
            PlaceRef::Departement(d) => one(s, "departement", d),
            PlaceRef::Point { lat, lon } => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("lat", lat)?;
                m.serialize_entry("lon", lon)?;
                m.end()
            }
        }
    }
}

const SHAPE: &str = "a place is a text, {\"insee\": …}, {\"postal_code\": …}, {\"departement\": …} or {\"lat\": …, \"lon\": …}";

impl<'de> Deserialize<'de> for PlaceRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PlaceRef, D::Error> {
        d.deserialize_any(PlaceVisitor)
    }
}

struct PlaceVisitor;

/// A code is a string: a number would have lost its leading zero (01053 → 1053).
struct CodeString(String);

impl<'de> Deserialize<'de> for CodeString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CodeString, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = CodeString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a code written as a string (\"01053\"): a number loses its leading zero",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CodeString, E> {
                Ok(CodeString(v.to_string()))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Visitor<'de> for PlaceVisitor {
    type Value = PlaceRef;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(SHAPE)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<PlaceRef, E> {
        Ok(PlaceRef::Text(v.to_string()))
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<PlaceRef, M::Error> {
        let mut code: Option<(&'static str, String)> = None;
        let (mut lat, mut lon): (Option<f64>, Option<f64>) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            let name: &'static str = match key.as_str() {
                "insee" => "insee",
                "postal_code" => "postal_code",
                "departement" => "departement",
                "lat" => {
                    if lat.replace(map.next_value()?).is_some() {
                        return Err(de::Error::duplicate_field("lat"));
                    }
                    continue;
                }
                "lon" => {
                    if lon.replace(map.next_value()?).is_some() {
                        return Err(de::Error::duplicate_field("lon"));
                    }
                    continue;
                }
                _ => {
                    return Err(de::Error::custom(format!(
                        "unknown field `{}`: {SHAPE}",
                        crate::error::bounded(&key)
                    )))
                }
            };
            let value: CodeString = map.next_value()?;
            if code.replace((name, value.0)).is_some() {
                return Err(de::Error::custom(format!(
                    "give one key of insee, postal_code or departement: {SHAPE}"
                )));
            }
        }
        match (code, lat, lon) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(de::Error::custom(format!(
                "a code and a point together: {SHAPE}"
            ))),
            (Some(("insee", c)), None, None) => Ok(PlaceRef::Insee(c)),
            (Some(("postal_code", c)), None, None) => Ok(PlaceRef::PostalCode(c)),
            (Some((_, c)), None, None) => Ok(PlaceRef::Departement(c)),
            (None, Some(lat), Some(lon)) => Ok(PlaceRef::Point { lat, lon }),
            (None, Some(_), None) => Err(de::Error::missing_field("lon")),
            (None, None, Some(_)) => Err(de::Error::missing_field("lat")),
            (None, None, None) => Err(de::Error::custom(format!("empty place: {SHAPE}"))),
        }
    }
}

/// What kind of place a [`Place`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PlaceKind {
    /// A commune (its centre).
    Commune,
    /// An arrondissement municipal of Paris, Lyon or Marseille (its centre), inside its commune.
    Arrondissement,
    /// A département: an area (it filters; it has no centre to measure from).
    Departement,
    /// An exact point given as latitude and longitude.
    Point,
}

/// How the caller's place matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MatchedBy {
    /// The official name.
    Name,
    /// The official name, without or with another article ("Havre" for Le Havre).
    NameWithoutArticle,
    /// The name of a former commune (déléguée or associée) now inside this commune.
    FormerCommune,
    /// The beginning of one name only ("Cherbourg" for Cherbourg-en-Cotentin).
    NamePrefix,
    /// A name one typo away: always offered as a choice, never taken silently.
    NearSpelling,
    /// The INSEE code.
    Insee,
    /// The INSEE code of a former commune now inside this commune.
    FormerInsee,
    /// A postal code.
    PostalCode,
    /// A département code.
    DepartementCode,
    /// A département name.
    DepartementName,
    /// Latitude and longitude.
    Point,
}

/// A resolved place: a commune, an arrondissement, a département or a point, with how the
/// caller's text or key matched it. Every search result carries the one it used (`origin`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Place {
    /// Commune, arrondissement, département or point.
    pub kind: PlaceKind,
    /// INSEE code of a commune or an arrondissement, code of a département, `None` for a point.
    pub code: Option<String>,
    /// Display name (`"Cherbourg-en-Cotentin"`, `"Paris 15e Arrondissement"`, `"Orne"`,
    /// `"49.1800, -0.3700"`).
    pub name: String,
    /// INSEE code of the commune the place is (or is in): itself for a commune, the city for an
    /// arrondissement; `None` for a département and for a point.
    pub commune: Option<String>,
    /// Département code, when known.
    pub departement: Option<String>,
    /// Latitude (WGS84): the centre of a commune, an arrondissement or a département.
    pub lat: f64,
    /// Longitude (WGS84).
    pub lon: f64,
    /// Population (2021) of a commune, an arrondissement or a département.
    pub population: Option<u32>,
    /// How the caller's place matched, for programs.
    pub matched_by: MatchedBy,
    /// How it matched, in French, for people (`"commune déléguée Tourlaville"`,
    /// `"code postal 14400"`, `"nom"`).
    pub matched: String,
}

impl Place {
    /// A point from latitude and longitude, checked: finite, latitude in [-90, 90], longitude in
    /// [-180, 180].
    pub fn point(lat: f64, lon: f64) -> Result<Place> {
        Place::check_point(lat, lon)?;
        Ok(Place {
            kind: PlaceKind::Point,
            code: None,
            name: format!("{lat:.4}, {lon:.4}"),
            commune: None,
            departement: None,
            lat,
            lon,
            population: None,
            matched_by: MatchedBy::Point,
            matched: "point exact".into(),
        })
    }

    /// Checks a latitude and a longitude as [`Place::point`] does, without making the place.
    pub(crate) fn check_point(lat: f64, lon: f64) -> Result<()> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(Error::invalid(
                "lat",
                lat.to_string(),
                "latitude must be a number between -90 and 90",
            ));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(Error::invalid(
                "lon",
                lon.to_string(),
                "longitude must be a number between -180 and 180",
            ));
        }
        Ok(())
    }

    /// The typed key that designates exactly this place (`{"insee": "14118"}`): what a page
    /// sends back once a person has picked one of an ambiguous place's candidates.
    pub fn key(&self) -> PlaceRef {
        match (self.kind, &self.code) {
            (PlaceKind::Commune | PlaceKind::Arrondissement, Some(code)) => {
                PlaceRef::Insee(code.clone())
            }
            (PlaceKind::Departement, Some(code)) => PlaceRef::Departement(code.clone()),
            _ => PlaceRef::Point {
                lat: self.lat,
                lon: self.lon,
            },
        }
    }

    /// Great-circle distance in km to another place.
    pub fn distance_km(&self, other: &Place) -> f64 {
        distance_km((self.lat, self.lon), (other.lat, other.lon))
    }

    /// `"Cuverville (14211)"`, `"Vienne (département 86)"`, for messages.
    pub fn label(&self) -> String {
        match (&self.code, self.kind) {
            (Some(code), PlaceKind::Departement) => format!("{} (département {code})", self.name),
            (Some(code), _) => format!("{} ({code})", self.name),
            (None, _) => self.name.clone(),
        }
    }
}
