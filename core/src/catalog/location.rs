//! Where a company, an ambassador or a stage is: a commune (INSEE code or name), a postal
//! code and a point, checked against each other and resolved as queries are.

use super::model::Location;
use super::validate::Validator;
use crate::error::{Error, Result};
use crate::geo::{Commune, Place, PlaceRef};

/// A resolved commune, with the centre of the arrondissement a row named (else its own).
pub(super) type Resolved<'a> = (&'a Commune, Option<(f64, f64)>);

/// Communes resolved during one validator's life, by the name or code and the postal code a
/// row gave ([`Validator::location`]).
#[derive(Default)]
pub(crate) struct PlaceMemo<'a> {
    known: rustc_hash::FxHashMap<String, Resolved<'a>>,
    /// The key of the row at hand (one buffer, not a string a row).
    key: String,
}

impl PlaceMemo<'_> {
    /// Distinct names kept at most (a file of a million made-up names stays small).
    const MAX: usize = 50_000;
}

fn invalid(field: &str, value: impl Into<String>, reason: impl Into<String>) -> Error {
    Error::invalid(field, value, reason)
}

impl<'a> Validator<'a> {
    /// Resolves a location: fills the INSEE code, the département and the coordinates.
    ///
    /// `commune` is an INSEE code (five characters there are always an INSEE code, never a
    /// postal code) or a name, resolved as in queries; a `postal_code` (alone or beside a name)
    /// and a point narrow the candidates, and several left are an `ambiguous_place`. A point
    /// alone is placed in the commune whose contour contains it (feature `contours`, Normandy),
    /// else in the commune with the nearest centre within its reach. A point farther from its
    /// commune's centre than [`Commune::reach_km`] is refused, with the distance.
    pub fn location<'l>(&self, loc: &'l Location, field: &str) -> Result<Location> {
        let f = |name: &str| format!("{field}.{name}");
        let point = match (loc.lat, loc.lon) {
            (Some(lat), Some(lon)) => {
                Place::point(lat, lon).map_err(|e| e.in_field(field))?;
                Some((lat, lon))
            }
            (None, None) => None,
            (lat, _) => {
                return Err(invalid(
                    &f(if lat.is_some() { "lon" } else { "lat" }),
                    "",
                    "lat and lon go together",
                ))
            }
        };
        let given = |v: &'l Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let (commune_text, postal) = (given(&loc.commune), given(&loc.postal_code));
        let (commune, centre) = match (commune_text, postal) {
            (Some(text), _) => self.memoised(commune_text, postal, point, || {
                let looks_like_code = text.len() == 5
                    && text.bytes().all(|b| b.is_ascii_alphanumeric())
                    && text.bytes().any(|b| b.is_ascii_digit());
                let place = if looks_like_code {
                    PlaceRef::insee(text)
                } else {
                    PlaceRef::Text(text.to_string())
                };
                self.commune_of(&place, postal, point, &f("commune"))
            })?,
            (None, Some(p)) => self.memoised(None, postal, point, || {
                self.commune_of(&PlaceRef::postal_code(p), None, point, &f("postal_code"))
            })?,
            (None, None) => match point {
                Some((lat, lon)) => {
                    let c = self.geo.commune_at_point(lat, lon).ok_or_else(|| {
                        invalid(
                            &f("lat"),
                            format!("{lat}, {lon}"),
                            "no commune of the loaded geography is near this point",
                        )
                    })?;
                    (c, None)
                }
                None => {
                    return Err(invalid(
                        field,
                        "",
                        "give a commune (INSEE code or name), a postal_code, or lat and lon",
                    ))
                }
            },
        };
        let Some(centre) = centre.or_else(|| commune.centre()) else {
            return Err(invalid(
                &f("commune"),
                &commune.insee,
                format!(
                    "{} has no coordinates in the communes data: give lat and lon",
                    commune.name
                ),
            ));
        };
        if let (Some(p), Some(c)) = (point, commune.centre()) {
            let d = crate::geo::distance_km(p, c);
            // Inside the commune's own contour is inside, however far (Chausey is Granville).
            let inside = || {
                self.geo
                    .commune_containing(p.0, p.1)
                    .is_some_and(|x| x.insee == commune.insee)
            };
            if d > commune.reach_km() && !inside() {
                return Err(invalid(
                    &f("lat"),
                    format!("{}, {}", p.0, p.1),
                    format!(
                        "this point is {d:.1} km from the centre of {} ({}); a point of this commune lies within {:.0} km of it",
                        commune.name,
                        commune.insee,
                        commune.reach_km()
                    ),
                ));
            }
        }
        let (lat, lon) = point.unwrap_or(centre);
        Ok(Location {
            commune: Some(commune.insee.clone()),
            postal_code: loc.postal_code.clone(),
            lat: Some(lat),
            lon: Some(lon),
            departement: Some(commune.departement.clone()),
        })
    }

    /// `resolve`'s commune, or the one it gave for the same name (or code) and postal code
    /// earlier; a row with a point is always resolved (the point narrows and is checked).
    fn memoised(
        &self,
        commune: Option<&str>,
        postal: Option<&str>,
        point: Option<(f64, f64)>,
        resolve: impl FnOnce() -> Result<Resolved<'a>>,
    ) -> Result<Resolved<'a>> {
        if point.is_some() {
            return resolve();
        }
        {
            let mut memo = self.places.borrow_mut();
            let PlaceMemo { known, key } = &mut *memo;
            key.clear();
            // Each part absent, or its length and its text: no two rows share a key unless
            // they gave the same two parts, whatever characters a hostile file puts in them.
            for part in [commune, postal] {
                match part {
                    None => key.push('-'),
                    Some(text) => {
                        use std::fmt::Write;
                        let _ = write!(key, "{}:{text}", text.len());
                    }
                }
            }
            if let Some(found) = known.get(key.as_str()) {
                return Ok(*found);
            }
        }
        let found = resolve()?;
        let mut memo = self.places.borrow_mut();
        if memo.known.len() < PlaceMemo::MAX {
            let key = memo.key.clone();
            memo.known.insert(key, found);
        }
        Ok(found)
    }

    /// The commune a catalogue row names, narrowed by its postal code and point; with the
    /// centre of an arrondissement when the row named one.
    pub(super) fn commune_of(
        &self,
        place: &PlaceRef,
        postal: Option<&str>,
        point: Option<(f64, f64)>,
        field: &str,
    ) -> Result<Resolved<'a>> {
        let geo: &'a crate::geo::Geography = self.geo;
        let shown = place.shown();
        let found = self.geo.candidates(place, field).map_err(|e| match e {
            Error::NotFound { .. } => invalid(
                field,
                &shown,
                match place {
                    PlaceRef::PostalCode(_) => "no commune has this postal code",
                    PlaceRef::Insee(_) => "unknown commune (INSEE code)",
                    _ => "unknown commune",
                },
            ),
            other => other,
        })?;
        let commune_of = |p: &Place| p.commune.as_deref().and_then(|c| geo.commune(c).ok());
        let communes: Vec<&Place> = found
            .places
            .iter()
            .filter(|p| commune_of(p).is_some())
            .collect();
        if communes.is_empty() {
            return Err(invalid(
                field,
                &shown,
                "this is a département, not a commune: give the commune",
            ));
        }
        let serves = |p: &Place| {
            postal.is_none_or(|code| {
                commune_of(p).is_some_and(|c| c.postal_codes.iter().any(|x| x == code))
            })
        };
        let near = |p: &Place| {
            point.is_none_or(|pt| {
                commune_of(p).is_some_and(|c| {
                    c.centre()
                        .is_none_or(|centre| crate::geo::distance_km(pt, centre) <= c.reach_km())
                })
            })
        };
        let kept: Vec<&Place> = communes.iter().copied().filter(|p| serves(p)).collect();
        if kept.is_empty() {
            let name = communes.first().map(|c| c.label()).unwrap_or_default();
            let code = postal.unwrap_or_default();
            return Err(invalid(
                &field.replace("commune", "postal_code"),
                code,
                if communes.len() == 1 {
                    format!("does not serve {name}")
                } else {
                    format!("does not serve any commune named {shown}")
                },
            ));
        }
        // A certain answer is checked against the point later; candidates are narrowed by it.
        let narrowed = postal.is_some() || point.is_some();
        let kept: Vec<&Place> = if found.decided || kept.len() == 1 {
            kept
        } else {
            let close: Vec<&Place> = kept.iter().copied().filter(|p| near(p)).collect();
            if close.is_empty() {
                kept
            } else {
                close
            }
        };
        match kept.as_slice() {
            [one] if found.decided || narrowed => {
                let commune =
                    commune_of(one).ok_or_else(|| invalid(field, &shown, "unknown commune"))?;
                let centre = (one.kind == crate::geo::PlaceKind::Arrondissement)
                    .then_some((one.lat, one.lon));
                Ok((commune, centre))
            }
            many => Err(Error::AmbiguousPlace {
                field: field.to_string(),
                value: shown,
                total: many.len(),
                candidates: many
                    .iter()
                    .take(crate::geo::MAX_CANDIDATES)
                    .map(|p| (*p).clone())
                    .collect(),
            }),
        }
    }
}
