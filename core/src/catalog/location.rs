//! Where a company, an ambassador or a stage is: a commune (INSEE code or name), a postal
//! code and a point, checked against each other and resolved as queries are.

use super::model::Location;
use super::validate::Validator;
use crate::error::{Error, Result};
use crate::geo::{swapped_reason, Candidates, Commune, Place, PlaceRef};
use std::rc::Rc;
use std::sync::Arc;

/// A resolved commune, with the centre of the arrondissement a row named (else its own).
pub(super) type Resolved<'a> = (&'a Commune, Option<(f64, f64)>);

/// What a name, INSEE code or postal code stood for: the geography's candidates, and the
/// commune of each that is one (its index among them).
pub(crate) struct Found<'a> {
    found: Candidates,
    communes: Vec<(usize, &'a Commune)>,
}

/// What names, INSEE codes and postal codes stood for during one validator's life
/// ([`Validator::candidates`]), by kind and text.
#[derive(Default)]
pub(crate) struct PlaceMemo<'a> {
    known: rustc_hash::FxHashMap<String, Rc<Found<'a>>>,
    /// The key of the row at hand (one buffer, not a string a row).
    key: String,
    /// Places kept in all.
    places: usize,
}

impl PlaceMemo<'_> {
    /// Places kept at most (a file of a million made-up names that each stand for many places
    /// keeps a few megabytes, then resolves the rest afresh).
    const MAX_PLACES: usize = 100_000;
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
                Place::check_point(lat, lon).map_err(|e| e.in_field(field))?;
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
        let given = |v: Option<&'l str>| v.map(str::trim).filter(|s| !s.is_empty());
        let (commune_text, postal) = (
            given(loc.commune.as_deref()),
            given(loc.postal_code.as_deref()),
        );
        let (commune, centre) = match (commune_text, postal) {
            (Some(text), _) => {
                let looks_like_code = text.len() == 5
                    && text.bytes().all(|b| b.is_ascii_alphanumeric())
                    && text.bytes().any(|b| b.is_ascii_digit());
                let place = if looks_like_code {
                    PlaceRef::insee(text)
                } else {
                    PlaceRef::Text(text.to_string())
                };
                self.commune_of(&place, postal, point, &f("commune"))?
            }
            (None, Some(p)) => {
                self.commune_of(&PlaceRef::postal_code(p), None, point, &f("postal_code"))?
            }
            (None, None) => match point {
                Some((lat, lon)) => {
                    let c = self.geo.commune_at_point(lat, lon).ok_or_else(|| {
                        let reason = "no commune of the loaded geography is near this point";
                        invalid(
                            &f("lat"),
                            format!("{lat}, {lon}"),
                            match self.geo.swapped_commune(lat, lon) {
                                Some(c) => format!("{reason}; {}", swapped_reason(lat, lon, c)),
                                None => reason.to_string(),
                            },
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
                &*commune.insee,
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
                let mut reason = format!(
                    "this point is {d:.1} km from the centre of {} ({}); a point of this commune lies within {:.0} km of it",
                    commune.name,
                    commune.insee,
                    commune.reach_km()
                );
                if let Some(s) = self.geo.swapped_commune(p.0, p.1) {
                    reason = format!("{reason}; {}", swapped_reason(p.0, p.1, s));
                }
                return Err(invalid(&f("lat"), format!("{}, {}", p.0, p.1), reason));
            }
        }
        let (lat, lon) = point.unwrap_or(centre);
        Ok(Location {
            commune: Some(Arc::clone(&commune.insee)),
            postal_code: loc.postal_code.clone(),
            lat: Some(lat),
            lon: Some(lon),
            departement: Some(Arc::clone(&commune.departement)),
        })
    }

    /// The places a name, INSEE code or postal code may stand for, as the geography gives them,
    /// with their communes, remembered: a file names the same few communes row after row, and
    /// what a text may stand for does not depend on the row (each row's postal code and point
    /// then narrow and check them, [`Validator::commune_of`]).
    fn candidates(&self, place: &PlaceRef, field: &str) -> Result<Rc<Found<'a>>> {
        let geo: &'a crate::geo::Geography = self.geo;
        let look_up = || {
            geo.candidates(place, field).map(|found| {
                let communes = (found.places.iter().enumerate())
                    .filter_map(|(i, p)| Some((i, geo.commune(p.commune.as_deref()?).ok()?)))
                    .collect();
                Rc::new(Found { found, communes })
            })
        };
        let (tag, text) = match place {
            PlaceRef::Text(t) => ('t', t.as_str()),
            PlaceRef::Insee(c) => ('i', c.as_str()),
            PlaceRef::PostalCode(c) => ('p', c.as_str()),
            _ => return look_up(),
        };
        {
            let mut memo = self.places.borrow_mut();
            let PlaceMemo { known, key, .. } = &mut *memo;
            key.clear();
            key.push(tag);
            key.push_str(text);
            if let Some(found) = known.get(key.as_str()) {
                return Ok(Rc::clone(found));
            }
        }
        let found = look_up()?;
        let mut memo = self.places.borrow_mut();
        let places = found.found.places.len();
        if memo.places.saturating_add(places) <= PlaceMemo::MAX_PLACES {
            memo.places = memo.places.saturating_add(places);
            let key = memo.key.clone();
            memo.known.insert(key, Rc::clone(&found));
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
        let found = self.candidates(place, field).map_err(|e| match e {
            Error::NotFound { .. } => invalid(
                field,
                place.shown(),
                match place {
                    PlaceRef::PostalCode(_) => "no commune has this postal code",
                    PlaceRef::Insee(_) => "unknown commune (INSEE code)",
                    _ => "unknown commune",
                },
            ),
            other => other,
        })?;
        let Found { found, communes } = &*found;
        if communes.is_empty() {
            return Err(invalid(
                field,
                place.shown(),
                "this is a département, not a commune: give the commune",
            ));
        }
        let serves =
            |c: &Commune| postal.is_none_or(|code| c.postal_codes.iter().any(|x| x == code));
        let near = |c: &Commune| {
            point.is_none_or(|pt| {
                c.centre()
                    .is_none_or(|centre| crate::geo::distance_km(pt, centre) <= c.reach_km())
            })
        };
        let place_at = |i: usize| found.places.get(i);
        let kept = || communes.iter().filter(|(_, c)| serves(c));
        let kept_count = kept().count();
        if kept_count == 0 {
            let name = communes
                .first()
                .and_then(|&(i, _)| place_at(i))
                .map(Place::label)
                .unwrap_or_default();
            let code = postal.unwrap_or_default();
            return Err(invalid(
                &field.replace("commune", "postal_code"),
                code,
                if communes.len() == 1 {
                    format!("does not serve {name}")
                } else {
                    format!("does not serve any commune named {}", place.shown())
                },
            ));
        }
        // A certain answer is checked against the point later; candidates are narrowed by it
        // (when none is near, all stay).
        let narrowed = postal.is_some() || point.is_some();
        let by_point = !(found.decided || kept_count == 1) && kept().any(|(_, c)| near(c));
        let chosen = || kept().filter(move |(_, c)| !by_point || near(c));
        let count = if by_point {
            chosen().count()
        } else {
            kept_count
        };
        if count == 1 && (found.decided || narrowed) {
            if let Some(&(i, commune)) = chosen().next() {
                let centre = place_at(i)
                    .filter(|one| one.kind == crate::geo::PlaceKind::Arrondissement)
                    .map(|one| (one.lat, one.lon));
                return Ok((commune, centre));
            }
        }
        Err(Error::AmbiguousPlace {
            field: field.to_string(),
            value: place.shown(),
            total: count,
            candidates: chosen()
                .filter_map(|&(i, _)| place_at(i).cloned())
                .take(crate::geo::MAX_CANDIDATES)
                .collect(),
        })
    }
}
