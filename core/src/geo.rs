//! French communes and départements (Code officiel géographique 2024): locating a place the
//! way people type it, and great-circle distances.
//!
//! ```
//! let geo = metiers::Geography::normandy().unwrap();
//! let caen = &geo.locate("caen").unwrap()[0];
//! let rouen = &geo.locate("Rouen").unwrap()[0];
//! assert_eq!(caen.distance_km(rouen).round(), 110.0);
//! ```

use crate::error::{DataLocation, Error, Result};
use crate::tabular::Table;
use crate::text;
use serde::{Deserialize, Serialize};
use std::io::Read;
#[cfg(feature = "embedded")]
use std::sync::{Arc, OnceLock};

/// Mean Earth radius in km (IUGG), as used by most GIS tools.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle (haversine) distance in km between two (lat, lon) points in degrees.
///
/// Computed with `libm`, so native and WebAssembly builds give the same bits.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    Radians::new(a).distance_km(&Radians::new(b))
}

/// A point with the sines and cosines of its latitude and longitude, computed once: the distance
/// between two such points needs no trigonometry but one inverse sine. [`distance_km`] uses it,
/// so every distance the library reports comes from the same formula.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Radians {
    sin_lat: f64,
    cos_lat: f64,
    sin_lon: f64,
    cos_lon: f64,
}

impl Radians {
    /// From (lat, lon) in degrees.
    pub fn new((lat, lon): (f64, f64)) -> Radians {
        let (lat, lon) = (lat.to_radians(), lon.to_radians());
        Radians {
            sin_lat: libm::sin(lat),
            cos_lat: libm::cos(lat),
            sin_lon: libm::sin(lon),
            cos_lon: libm::cos(lon),
        }
    }

    /// The haversine term `h = sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2)`, written with
    /// `sin²(x/2) = (1 − cos x)/2` and the cosine of a difference, so only products and sums.
    /// The distance grows with `h`: comparing it with [`Radians::h_of_km`] tests a radius.
    pub fn haversine(&self, other: &Radians) -> f64 {
        let cos_dlat = self.cos_lat * other.cos_lat + self.sin_lat * other.sin_lat;
        let cos_dlon = self.cos_lon * other.cos_lon + self.sin_lon * other.sin_lon;
        (((1.0 - cos_dlat) + self.cos_lat * other.cos_lat * (1.0 - cos_dlon)) * 0.5).max(0.0)
    }

    /// The haversine term of a distance in km.
    pub fn h_of_km(km: f64) -> f64 {
        let s = libm::sin((km / (2.0 * EARTH_RADIUS_KM)).min(std::f64::consts::FRAC_PI_2));
        s * s
    }

    /// Distance in km for a haversine term.
    pub fn km_of_h(h: f64) -> f64 {
        2.0 * EARTH_RADIUS_KM * libm::asin(libm::sqrt(h.min(1.0)))
    }

    /// Great-circle distance in km.
    pub fn distance_km(&self, other: &Radians) -> f64 {
        Radians::km_of_h(self.haversine(other))
    }
}

/// One commune.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commune {
    /// INSEE code (`"14118"`, `"2A004"`).
    pub insee: String,
    /// Official name with its article (`"Le Havre"`).
    pub name: String,
    /// Département code (`"14"`).
    pub departement: String,
    /// Region code (`"28"` for Normandy).
    pub region: String,
    /// Postal codes serving it.
    pub postal_codes: Vec<String>,
    /// Latitude of the commune centre (WGS84); `None` where the source has no position.
    pub lat: Option<f64>,
    /// Longitude of the commune centre.
    pub lon: Option<f64>,
    /// Area in km².
    pub area_km2: Option<f64>,
    /// Population (2021).
    pub population: u32,
    /// People aged 15 to 64 (2021).
    pub pop_15_64: u32,
    /// Of whom active.
    pub pop_15_64_active: u32,
    /// Of whom unemployed.
    pub pop_15_64_unemployed: u32,
}

/// One département.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Departement {
    /// Code (`"61"`, `"2A"`, `"971"`).
    pub code: String,
    /// Name (`"Orne"`).
    pub name: String,
    /// Region code.
    pub region: String,
    /// Geographic centre (IGN).
    pub lat: f64,
    /// Geographic centre (IGN).
    pub lon: f64,
    /// INSEE code of the préfecture.
    pub prefecture_insee: String,
}

/// A former commune merged into a commune nouvelle; people still type its name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommuneDeleguee {
    /// Old name (`"Cherbourg-Octeville"`).
    pub name: String,
    /// Its postal code.
    pub postal_code: String,
    /// INSEE code of the commune it now belongs to.
    pub parent_insee: String,
}

/// What kind of place a [`Place`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A commune (its centre).
    Commune,
    /// A département (its geographic centre).
    Departement,
    /// An exact point given as latitude and longitude.
    Point,
}

/// A located place: a commune, a département or a point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Commune, département or point.
    pub kind: PlaceKind,
    /// INSEE code of a commune, code of a département, `None` for a point.
    pub code: Option<String>,
    /// Display name (`"Cherbourg-en-Cotentin"`, `"Orne"`, `"49.1800, -0.3700"`).
    pub name: String,
    /// Département code, when known.
    pub departement: Option<String>,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Longitude (WGS84).
    pub lon: f64,
    /// Population of a commune.
    pub population: Option<u32>,
    /// How the text matched when it was not the official name or code
    /// (`"commune déléguée Cherbourg-Octeville"`, `"code postal 50100"`).
    pub matched: Option<String>,
}

impl Place {
    /// A point from latitude and longitude, checked: finite, latitude in [-90, 90], longitude in
    /// [-180, 180].
    pub fn point(lat: f64, lon: f64) -> Result<Place> {
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
        Ok(Place {
            kind: PlaceKind::Point,
            code: None,
            name: format!("{lat:.4}, {lon:.4}"),
            departement: None,
            lat,
            lon,
            population: None,
            matched: None,
        })
    }

    /// Great-circle distance in km to another place.
    pub fn distance_km(&self, other: &Place) -> f64 {
        distance_km((self.lat, self.lon), (other.lat, other.lon))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct GeoTables {
    communes: Vec<Commune>,
    departements: Vec<Departement>,
    deleguees: Vec<CommuneDeleguee>,
}

/// How well a name matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum NameMatch {
    Exact,
    ExactDeleguee,
    Postal,
    Insee,
    Prefix,
    Typo,
}

/// Communes and départements with their lookup indices.
#[derive(Debug)]
pub struct Geography {
    tables: GeoTables,
    /// (normalised name, commune index, is a commune déléguée), sorted.
    names: Vec<(String, u32, bool)>,
    /// (postal code, commune index), sorted.
    postal: Vec<(String, u32)>,
    /// [`name_key`] of each département's name, parallel to `tables.departements`.
    departement_keys: Vec<String>,
}

#[cfg(feature = "embedded")]
const NORMANDY: &[u8] = include_bytes!("../data/normandy.bin");
#[cfg(feature = "france")]
const FRANCE: &[u8] = include_bytes!("../data/france.bin");

/// Normalises a commune name the way people type it: no case, accents, punctuation or
/// leading article; "st"/"ste" stand for "saint"/"sainte".
///
/// ```
/// use metiers::geo::name_key;
/// assert_eq!(name_key("Le Havre"), name_key("havre"));
/// assert_eq!(name_key("St-Lô"), name_key("Saint-Lô"));
/// assert_eq!(name_key("L'Aigle"), "aigle");
/// ```
pub fn name_key(name: &str) -> String {
    let folded = text::fold(name);
    let mut words: Vec<&str> = text::words(&folded)
        .map(|w| match w {
            "st" => "saint",
            "ste" => "sainte",
            other => other,
        })
        .collect();
    if words.len() > 1 && matches!(words[0], "le" | "la" | "les" | "l") {
        words.remove(0);
    }
    words.join(" ")
}

fn is_departement_code(s: &str) -> bool {
    let b = s.as_bytes();
    match b.len() {
        2 => {
            b.iter().all(u8::is_ascii_digit)
                || s.eq_ignore_ascii_case("2a")
                || s.eq_ignore_ascii_case("2b")
        }
        3 => b.iter().all(u8::is_ascii_digit) && b[0] == b'9' && b[1] == b'7',
        _ => false,
    }
}

fn parse_lat_lon(s: &str) -> Option<(f64, f64)> {
    let parts: Vec<&str> = s
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [a, b]
            if a.contains('.') || b.contains('.') || a.starts_with('-') || b.starts_with('-') =>
        {
            Some((a.parse().ok()?, b.parse().ok()?))
        }
        _ => None,
    }
}

impl Geography {
    /// The 2,650 communes and 5 départements of Normandy, embedded (feature `embedded`).
    #[cfg(feature = "embedded")]
    pub fn normandy() -> Result<Arc<Geography>> {
        static CELL: OnceLock<Arc<Geography>> = OnceLock::new();
        cached(&CELL, NORMANDY)
    }

    /// All 34,931 communes and 101 départements of France, embedded (feature `france`).
    #[cfg(feature = "france")]
    pub fn france() -> Result<Arc<Geography>> {
        static CELL: OnceLock<Arc<Geography>> = OnceLock::new();
        cached(&CELL, FRANCE)
    }

    /// Decodes the compact form written by [`Geography::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Geography> {
        let tables: GeoTables = postcard::from_bytes(bytes).map_err(|e| {
            Error::unreadable(
                "communes",
                format!("not the communes data of this version of metiers ({e})"),
            )
        })?;
        Ok(Geography::index(tables))
    }

    /// The compact form (postcard).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        postcard::to_allocvec(&self.tables).map_err(|e| Error::Internal(e.to_string()))
    }

    /// Reads the three CSV files of `data/geo` (`communes.csv`, `departements.csv`,
    /// `communes-deleguees.csv`), keeping the regions listed (all when `regions` is empty).
    pub fn from_csv(
        communes: impl Read,
        departements: impl Read,
        deleguees: impl Read,
        regions: &[&str],
    ) -> Result<Geography> {
        let keep = |region: &str| regions.is_empty() || regions.contains(&region);
        let t = Table::read("communes.csv", communes)?;
        t.require(&[
            "insee",
            "name",
            "departement",
            "region",
            "postal_codes",
            "lat",
            "lon",
        ])?;
        let mut list = Vec::with_capacity(t.len());
        for r in t.rows() {
            if !keep(r.get("region")) {
                continue;
            }
            let lat: Option<f64> = r.parse("lat", "a latitude in degrees")?;
            let lon: Option<f64> = r.parse("lon", "a longitude in degrees")?;
            if let (Some(lat), Some(lon)) = (lat, lon) {
                Place::point(lat, lon)
                    .map_err(|e| r.error("lat", &format!("{lat}, {lon}"), &e.to_string()))?;
            }
            list.push(Commune {
                insee: r.required("insee")?.to_string(),
                name: r.required("name")?.to_string(),
                departement: r.required("departement")?.to_string(),
                region: r.get("region").to_string(),
                postal_codes: r
                    .get("postal_codes")
                    .split_whitespace()
                    .map(String::from)
                    .collect(),
                // A half position is no position: keep both or neither.
                lat: lon.and(lat),
                lon: lat.and(lon),
                area_km2: r.parse("area_km2", "an area in km²")?,
                population: r.parse("population_2021", "a whole number")?.unwrap_or(0),
                pop_15_64: r.parse("pop_15_64_2021", "a whole number")?.unwrap_or(0),
                pop_15_64_active: r
                    .parse("pop_15_64_active_2021", "a whole number")?
                    .unwrap_or(0),
                pop_15_64_unemployed: r
                    .parse("pop_15_64_unemployed_2021", "a whole number")?
                    .unwrap_or(0),
            });
        }
        list.sort_by(|a, b| a.insee.cmp(&b.insee));
        if let Some(w) = list.windows(2).find(|w| w[0].insee == w[1].insee) {
            return Err(Error::Data {
                location: DataLocation {
                    source: "communes.csv".into(),
                    line: None,
                    field: Some("insee".into()),
                    value: Some(w[0].insee.clone()),
                },
                reason: "duplicate INSEE code".into(),
            });
        }
        let t = Table::read("departements.csv", departements)?;
        t.require(&["code", "name", "region", "lat", "lon", "prefecture_insee"])?;
        let mut department_list = Vec::new();
        for r in t.rows() {
            if !keep(r.get("region")) {
                continue;
            }
            department_list.push(Departement {
                code: r.required("code")?.to_string(),
                name: r.required("name")?.to_string(),
                region: r.get("region").to_string(),
                lat: r.parse_required("lat", "a latitude")?,
                lon: r.parse_required("lon", "a longitude")?,
                prefecture_insee: r.get("prefecture_insee").to_string(),
            });
        }
        department_list.sort_by(|a, b| a.code.cmp(&b.code));
        let t = Table::read("communes-deleguees.csv", deleguees)?;
        t.require(&["name", "postal_code", "parent_insee"])?;
        let mut former = Vec::new();
        for r in t.rows() {
            let parent = r.required("parent_insee")?;
            if list
                .binary_search_by(|c| c.insee.as_str().cmp(parent))
                .is_err()
            {
                continue; // parent outside the regions kept
            }
            former.push(CommuneDeleguee {
                name: r.required("name")?.to_string(),
                postal_code: r.get("postal_code").to_string(),
                parent_insee: parent.to_string(),
            });
        }
        Ok(Geography::index(GeoTables {
            communes: list,
            departements: department_list,
            deleguees: former,
        }))
    }

    fn index(mut tables: GeoTables) -> Geography {
        tables.communes.sort_by(|a, b| a.insee.cmp(&b.insee));
        let mut names = Vec::with_capacity(tables.communes.len() + tables.deleguees.len());
        let mut postal = Vec::new();
        for (i, c) in tables.communes.iter().enumerate() {
            names.push((name_key(&c.name), i as u32, false));
            for p in &c.postal_codes {
                postal.push((p.clone(), i as u32));
            }
        }
        for d in &tables.deleguees {
            if let Ok(i) = tables
                .communes
                .binary_search_by(|c| c.insee.as_str().cmp(&d.parent_insee))
            {
                names.push((name_key(&d.name), i as u32, true));
            }
        }
        names.sort();
        names.dedup();
        postal.sort();
        postal.dedup();
        let departement_keys = tables
            .departements
            .iter()
            .map(|d| name_key(&d.name))
            .collect();
        Geography {
            tables,
            names,
            postal,
            departement_keys,
        }
    }

    /// All communes, sorted by INSEE code.
    pub fn communes(&self) -> &[Commune] {
        &self.tables.communes
    }

    /// All départements, sorted by code.
    pub fn departements(&self) -> &[Departement] {
        &self.tables.departements
    }

    /// Communes whose source data has no position: they are never placed at (0, 0); locating
    /// one is an error that says so.
    pub fn communes_without_position(&self) -> Vec<&Commune> {
        self.tables
            .communes
            .iter()
            .filter(|c| c.lat.is_none() || c.lon.is_none())
            .collect()
    }

    /// A commune by INSEE code.
    pub fn commune(&self, insee: &str) -> Result<&Commune> {
        let b = insee.as_bytes();
        let shape_ok = b.len() == 5 && b.iter().all(u8::is_ascii_alphanumeric);
        if !shape_ok {
            return Err(Error::invalid(
                "insee",
                insee,
                "an INSEE code has five characters, like 14118",
            ));
        }
        self.commune_index(insee)
            .map(|i| &self.tables.communes[i])
            .ok_or_else(|| Error::not_found("commune", insee))
    }

    fn commune_index(&self, insee: &str) -> Option<usize> {
        self.tables
            .communes
            .binary_search_by(|c| c.insee.as_str().cmp(insee))
            .ok()
    }

    /// The communes whose current name (not a former one) has this [`name_key`].
    pub fn communes_named(&self, key: &str) -> Vec<&Commune> {
        let from = self.names.partition_point(|(k, _, _)| k.as_str() < key);
        self.names[from..]
            .iter()
            .take_while(|(k, _, _)| k == key)
            .filter(|(_, _, former)| !former)
            .map(|&(_, i, _)| &self.tables.communes[i as usize])
            .collect()
    }

    /// The communes a postal code serves, most populous first.
    pub fn communes_with_postal_code(&self, postal_code: &str) -> Vec<&Commune> {
        let from = self
            .postal
            .partition_point(|(p, _)| p.as_str() < postal_code);
        let mut v: Vec<&Commune> = self.postal[from..]
            .iter()
            .take_while(|(p, _)| p == postal_code)
            .map(|&(_, i)| &self.tables.communes[i as usize])
            .collect();
        v.sort_by(|a, b| b.population.cmp(&a.population).then(a.insee.cmp(&b.insee)));
        v
    }

    /// The commune whose centre is nearest to a point (communes without position skipped).
    pub fn nearest_commune(&self, lat: f64, lon: f64) -> Option<&Commune> {
        self.tables
            .communes
            .iter()
            .filter_map(|c| Some((distance_km((lat, lon), (c.lat?, c.lon?)), c)))
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.insee.cmp(&b.1.insee)))
            .map(|(_, c)| c)
    }

    /// A département by code (`"61"`) or name (`"Orne"`, any case or accents).
    pub fn departement(&self, code_or_name: &str) -> Result<&Departement> {
        let q = code_or_name.trim();
        if let Some(d) = self
            .tables
            .departements
            .iter()
            .find(|d| d.code.eq_ignore_ascii_case(q))
        {
            return Ok(d);
        }
        let key = name_key(q);
        self.departement_keys
            .iter()
            .position(|k| *k == key)
            .map(|i| &self.tables.departements[i])
            .ok_or_else(|| Error::not_found("département", code_or_name))
    }

    /// The communes of a département, by INSEE code.
    pub fn communes_of(&self, departement: &str) -> Result<Vec<&Commune>> {
        let d = self.departement(departement)?;
        Ok(self
            .tables
            .communes
            .iter()
            .filter(|c| c.departement == d.code)
            .collect())
    }

    /// Places a text may stand for, best first. It takes an INSEE code (`"14118"`), a postal
    /// code (`"50100"`: every commune it serves, most populous first), a commune name typed
    /// the way people type it (`"st-lo"`, `"le havre"`, `"cherbourg"`), a former commune
    /// (`"Cherbourg-Octeville"` leads to Cherbourg-en-Cotentin), a département (`"Orne"`,
    /// `"61"`), or `"lat, lon"`. An ambiguous name returns all its candidates.
    pub fn locate(&self, text: &str) -> Result<Vec<Place>> {
        let q = text.trim();
        if q.is_empty() {
            return Err(Error::invalid("place", text, "the place is empty"));
        }
        if let Some((lat, lon)) = parse_lat_lon(q) {
            return Ok(vec![Place::point(lat, lon)?]);
        }
        let mut found: Vec<(NameMatch, usize, Option<String>)> = Vec::new();
        let mut places = Vec::new();
        if q.bytes().all(|b| b.is_ascii_alphanumeric()) && q.bytes().any(|b| b.is_ascii_digit()) {
            if is_departement_code(q) {
                if let Ok(d) = self.departement(q) {
                    places.push(departement_place(d));
                }
            } else if q.len() == 5 {
                // Five digits typed by a person are far more often a postal code than an
                // INSEE code: both are returned, postal codes first.
                if let Some(i) = self.commune_index(&q.to_ascii_uppercase()) {
                    let label = format!("code INSEE {}", q.to_ascii_uppercase());
                    found.push((NameMatch::Insee, i, Some(label)));
                }
                let from = self.postal.partition_point(|(p, _)| p.as_str() < q);
                for (p, i) in self.postal[from..].iter().take_while(|(p, _)| p == q) {
                    found.push((
                        NameMatch::Postal,
                        *i as usize,
                        Some(format!("code postal {p}")),
                    ));
                }
            } else {
                return Err(Error::invalid(
                    "place",
                    text,
                    "a code is an INSEE or postal code (5 characters) or a département (2 or 3)",
                ));
            }
        } else {
            if let Ok(d) = self.departement(q) {
                places.push(departement_place(d));
            }
            self.find_names(&name_key(q), &mut found);
        }
        // Best match first, then the most populous, then INSEE order; one entry per commune.
        found.sort_by(|a, b| {
            let (ca, cb) = (&self.tables.communes[a.1], &self.tables.communes[b.1]);
            a.0.cmp(&b.0)
                .then(cb.population.cmp(&ca.population))
                .then(ca.insee.cmp(&cb.insee))
        });
        let mut seen = Vec::new();
        let mut unplaced = Vec::new();
        for (_, i, matched) in found {
            if seen.contains(&i) {
                continue;
            }
            seen.push(i);
            let c = &self.tables.communes[i];
            match (c.lat, c.lon) {
                (Some(lat), Some(lon)) => places.push(Place {
                    kind: PlaceKind::Commune,
                    code: Some(c.insee.clone()),
                    name: c.name.clone(),
                    departement: Some(c.departement.clone()),
                    lat,
                    lon,
                    population: Some(c.population),
                    matched,
                }),
                _ => unplaced.push(format!("{} ({})", c.name, c.insee)),
            }
        }
        if places.is_empty() {
            return Err(Error::NotFound {
                kind: "lieu".into(),
                value: text.into(),
                hint: Some(if unplaced.is_empty() {
                    "no commune, postal code or département of this name in the loaded geography"
                        .into()
                } else {
                    format!(
                        "{} has no coordinates in the Code officiel géographique data",
                        unplaced.join(", ")
                    )
                }),
            });
        }
        Ok(places)
    }

    /// Exact names (communes, then former communes); failing that, names that start with the
    /// text; failing that, names one typo away.
    fn find_names(&self, key: &str, found: &mut Vec<(NameMatch, usize, Option<String>)>) {
        if key.is_empty() {
            return;
        }
        let from = self.names.partition_point(|(k, _, _)| k.as_str() < key);
        let deleguee_label = |i: usize, key: &str| {
            self.tables
                .deleguees
                .iter()
                .find(|d| {
                    name_key(&d.name) == key && d.parent_insee == self.tables.communes[i].insee
                })
                .map(|d| format!("commune déléguée {}", d.name))
        };
        for (k, i, del) in self.names[from..]
            .iter()
            .take_while(|(k, _, _)| k.starts_with(key))
        {
            let i = *i as usize;
            let exact = k == key;
            let kind = match (exact, del) {
                (true, false) => NameMatch::Exact,
                (true, true) => NameMatch::ExactDeleguee,
                (false, _) => NameMatch::Prefix,
            };
            found.push((kind, i, if *del { deleguee_label(i, k) } else { None }));
        }
        if found.iter().any(|f| f.0 <= NameMatch::ExactDeleguee) {
            found.retain(|f| f.0 <= NameMatch::ExactDeleguee);
            return;
        }
        if found.is_empty() && key.len() >= 5 {
            for (k, i, _) in &self.names {
                if text::bounded_distance(key.as_bytes(), k.as_bytes(), 1).is_some() {
                    found.push((NameMatch::Typo, *i as usize, None));
                }
            }
        }
    }
}

fn departement_place(d: &Departement) -> Place {
    Place {
        kind: PlaceKind::Departement,
        code: Some(d.code.clone()),
        name: d.name.clone(),
        departement: Some(d.code.clone()),
        lat: d.lat,
        lon: d.lon,
        population: None,
        matched: None,
    }
}

#[cfg(feature = "embedded")]
fn cached(cell: &'static OnceLock<Arc<Geography>>, bytes: &[u8]) -> Result<Arc<Geography>> {
    if let Some(g) = cell.get() {
        return Ok(g.clone());
    }
    let g = Arc::new(Geography::from_bytes(bytes).map_err(Error::embedded_defect)?);
    Ok(cell.get_or_init(|| g).clone())
}
