//! The rules every company, ambassador and stage must follow, and the resolution of places.
//!
//! Each check returns `invalid_input` naming the field and the value; the loaders add the
//! file and line.

use super::model::{
    Ambassador, AmbassadorKind, Audience, Company, ContactMode, Location, Stage, StageKind,
};
use crate::calendar::SchoolCalendar;
use crate::error::{Error, Result};
use crate::geo::{Commune, Geography, Place, PlaceRef};
use crate::referential::Referential;

/// What validation needs to know.
pub struct Validator<'a> {
    /// For métier and sector codes.
    pub rome: &'a Referential,
    /// For communes and postal codes.
    pub geo: &'a Geography,
    /// When given, mini-stages must fall within its holidays.
    pub calendar: Option<&'a SchoolCalendar>,
}

fn invalid(field: &str, value: impl Into<String>, reason: impl Into<String>) -> Error {
    Error::invalid(field, value, reason)
}

/// Checks a SIRET: 14 digits whose Luhn sum is a multiple of 10 (La Poste's establishments,
/// SIREN 356000000, use a multiple of 5 instead).
///
/// ```
/// assert!(metiers::check_siret("73282932000074").is_ok());
/// assert!(metiers::check_siret("73282932000075").is_err());
/// ```
// Fourteen ASCII digits, checked first: every digit is 0..=9 and the sums stay below 300.
#[allow(clippy::arithmetic_side_effects)]
pub fn check_siret(siret: &str) -> Result<()> {
    if siret.len() != 14 || !siret.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("siret", siret, "a SIRET has exactly 14 digits"));
    }
    if siret.starts_with("356000000") {
        let sum: u32 = siret.bytes().map(|b| u32::from(b - b'0')).sum();
        return if sum % 5 == 0 {
            Ok(())
        } else {
            Err(invalid("siret", siret, "check digit is wrong"))
        };
    }
    let sum: u32 = siret
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    if sum % 10 == 0 {
        Ok(())
    } else {
        Err(invalid("siret", siret, "check digit is wrong (Luhn)"))
    }
}

fn check_id(field: &str, id: &str) -> Result<()> {
    if id.trim().is_empty() {
        return Err(invalid(field, id, "an id is required"));
    }
    if id != id.trim() || id.chars().any(char::is_control) || id.len() > 128 {
        return Err(invalid(
            field,
            id,
            "an id has no surrounding spaces or control characters and at most 128 bytes",
        ));
    }
    Ok(())
}

impl Validator<'_> {
    /// Resolves a location: fills the INSEE code, the département and the coordinates.
    ///
    /// `commune` is an INSEE code (five characters there are always an INSEE code, never a
    /// postal code) or a name, resolved as in queries; a `postal_code` (alone or beside a name)
    /// and a point narrow the candidates, and several left are an `ambiguous_place`. A point
    /// alone is placed in the commune whose contour contains it (feature `contours`, Normandy),
    /// else in the commune with the nearest centre within its reach. A point farther from its
    /// commune's centre than [`Commune::reach_km`] is refused, with the distance.
    pub fn location(&self, loc: &Location, field: &str) -> Result<Location> {
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
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let (commune_text, postal) = (given(&loc.commune), given(&loc.postal_code));
        let (commune, centre) = match (&commune_text, &postal) {
            (Some(text), _) => {
                let looks_like_code = text.len() == 5
                    && text.bytes().all(|b| b.is_ascii_alphanumeric())
                    && text.bytes().any(|b| b.is_ascii_digit());
                let place = if looks_like_code {
                    PlaceRef::insee(text.as_str())
                } else {
                    PlaceRef::Text(text.clone())
                };
                self.commune_of(&place, postal.as_deref(), point, &f("commune"))?
            }
            (None, Some(p)) => self.commune_of(
                &PlaceRef::postal_code(p.as_str()),
                None,
                point,
                &f("postal_code"),
            )?,
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
        let mut out = loc.clone();
        out.commune = Some(commune.insee.clone());
        out.departement = Some(commune.departement.clone());
        let (lat, lon) = point.unwrap_or(centre);
        out.lat = Some(lat);
        out.lon = Some(lon);
        Ok(out)
    }

    /// The commune a catalogue row names, narrowed by its postal code and point; with the
    /// centre of an arrondissement when the row named one.
    fn commune_of(
        &self,
        place: &PlaceRef,
        postal: Option<&str>,
        point: Option<(f64, f64)>,
        field: &str,
    ) -> Result<(&Commune, Option<(f64, f64)>)> {
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
        let commune_of = |p: &Place| p.commune.as_deref().and_then(|c| self.geo.commune(c).ok());
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

    fn metiers(&self, codes: &[String]) -> Result<Vec<String>> {
        if codes.is_empty() {
            return Err(invalid("metiers", "", "at least one ROME code is required"));
        }
        let mut out = Vec::with_capacity(codes.len());
        for code in codes {
            let code = code.trim().to_ascii_uppercase();
            self.rome.metier(&code).map_err(|e| match e {
                Error::NotFound { .. } => invalid("metiers", &code, "unknown ROME code"),
                _ => invalid(
                    "metiers",
                    &code,
                    "malformed ROME code (a letter A to N and four digits)",
                ),
            })?;
            if !out.contains(&code) {
                out.push(code);
            }
        }
        Ok(out)
    }

    /// Checks and completes a company.
    pub fn company(&self, mut c: Company) -> Result<Company> {
        check_id("id", &c.id)?;
        if c.name.trim().is_empty() {
            return Err(invalid("name", &c.name, "a name is required"));
        }
        if let Some(s) = &c.siret {
            let compact: String = s.chars().filter(|ch| !ch.is_whitespace()).collect();
            check_siret(&compact)?;
            c.siret = Some(compact);
        }
        c.place = self.location(&c.place, "place")?;
        for s in &mut c.sectors {
            *s = s.trim().to_ascii_uppercase();
            self.rome.domaine(s).map_err(|_| {
                invalid(
                    "sectors",
                    s.as_str(),
                    "not a ROME grand domaine (H) or domaine professionnel (H29)",
                )
            })?;
        }
        c.sectors.sort();
        c.sectors.dedup();
        Ok(c)
    }

    /// Checks and completes an ambassador; `company` looks up existing companies.
    pub fn ambassador<'c>(
        &self,
        mut a: Ambassador,
        company: impl Fn(&str) -> Option<&'c Company>,
    ) -> Result<Ambassador> {
        check_id("id", &a.id)?;
        let owner = ambassador_owner(&a, company)?;
        a.metiers = self.metiers(&a.metiers)?;
        check_contacts(&a.contacts)?;
        a.contacts.sort_by_key(|c| c.mode);
        check_travel_and_response(&a)?;
        normalise_audiences(&mut a.audiences, &Audience::ALL);
        a.availability.sort();
        a.place = Some(match (&a.place, owner) {
            (Some(loc), _) => self.location(loc, "place")?,
            (None, Some(c)) => c.place.clone(),
            (None, None) => {
                return Err(invalid(
                    "place",
                    "",
                    "a student ambassador without a company gives a place",
                ))
            }
        });
        Ok(a)
    }

    /// Checks and completes a stage; `company` looks up existing companies.
    pub fn stage<'c>(
        &self,
        mut s: Stage,
        company: impl Fn(&str) -> Option<&'c Company>,
    ) -> Result<Stage> {
        check_id("id", &s.id)?;
        let owner = company(&s.company).ok_or_else(|| {
            invalid(
                "company",
                &s.company,
                "no company has this id (load companies first)",
            )
        })?;
        s.metiers = self.metiers(&s.metiers)?;
        if s.places_total == 0 {
            return Err(invalid(
                "places_total",
                "0",
                "a stage offers at least one place",
            ));
        }
        let left = s.places_left();
        if left > s.places_total {
            return Err(invalid(
                "places_left",
                left.to_string(),
                format!("more than places_total ({})", s.places_total),
            ));
        }
        s.places_left = Some(left);
        if s.max_group == Some(0) {
            return Err(invalid("max_group", "0", "must be at least 1"));
        }
        if s.periods.is_empty() {
            return Err(invalid("periods", "", "at least one period is required"));
        }
        s.periods.sort();
        self.kind_rules(&s)?;
        let allowed = allowed_audiences(s.kind);
        if let Some(a) = s.audiences.iter().find(|a| !allowed.contains(a)) {
            return Err(invalid(
                "audiences",
                crate::wording::wire(*a),
                format!("a {} is not for this audience", s.kind.label()),
            ));
        }
        normalise_audiences(&mut s.audiences, s.kind.default_audiences());
        s.place = Some(match &s.place {
            Some(loc) => self.location(loc, "place")?,
            None => owner.place.clone(),
        });
        Ok(s)
    }

    fn kind_rules(&self, s: &Stage) -> Result<()> {
        for p in &s.periods {
            let text = p.to_string();
            match s.kind {
                StageKind::MiniStage => {
                    if !(3..=5).contains(&p.weekdays()) || p.days() > 7 {
                        return Err(invalid(
                            "periods",
                            text,
                            format!("a mini-stage lasts 3 to 5 days within one week, this one has {} weekdays over {} days", p.weekdays(), p.days()),
                        ));
                    }
                    if let Some(cal) = self.calendar {
                        if cal.holiday_containing(p).is_none() {
                            return Err(invalid(
                                "periods",
                                text,
                                format!(
                                    "a mini-stage takes place during school holidays ({})",
                                    cal.label
                                ),
                            ));
                        }
                    }
                }
                StageKind::Observation3e => {
                    if p.weekdays() > 5 || p.days() > 7 || p.weekdays() == 0 {
                        return Err(invalid(
                            "periods",
                            text,
                            "a stage d'observation de 3e lasts at most 5 days within one week",
                        ));
                    }
                }
                StageKind::Seconde => {
                    let (y, m, _) = p.start.ymd();
                    let (y2, m2, _) = p.end.ymd();
                    if (m, m2) != (6, 6) && !(m == 6 && m2 == 7 && y == y2) {
                        return Err(invalid(
                            "periods",
                            text,
                            "a stage de seconde takes place in June",
                        ));
                    }
                    if p.weekdays() > 10 {
                        return Err(invalid(
                            "periods",
                            text,
                            "a stage de seconde lasts at most 2 weeks",
                        ));
                    }
                }
                StageKind::LongProfessionnel => {}
            }
        }
        Ok(())
    }
}

fn allowed_audiences(kind: StageKind) -> &'static [Audience] {
    match kind {
        StageKind::MiniStage | StageKind::LongProfessionnel => &Audience::ALL,
        StageKind::Observation3e => &[Audience::College],
        StageKind::Seconde => &[Audience::Lycee],
    }
}

fn normalise_audiences(list: &mut Vec<Audience>, default: &[Audience]) {
    if list.is_empty() {
        list.extend_from_slice(default);
    }
    list.sort();
    list.dedup();
}

/// The company an ambassador names (a professional must; a student may), and a student's
/// training.
fn ambassador_owner<'c>(
    a: &Ambassador,
    company: impl Fn(&str) -> Option<&'c Company>,
) -> Result<Option<&'c Company>> {
    let owner = match (&a.company, a.kind) {
        (Some(id), _) => Some(company(id).ok_or_else(|| {
            invalid(
                "company",
                id,
                "no company has this id (load companies first)",
            )
        })?),
        (None, AmbassadorKind::Metier) => {
            return Err(invalid(
                "company",
                "",
                "a professional ambassador names their company",
            ))
        }
        (None, AmbassadorKind::Formation) => None,
    };
    if a.kind == AmbassadorKind::Formation
        && a.training.as_deref().is_none_or(|t| t.trim().is_empty())
    {
        return Err(invalid(
            "training",
            "",
            "a student ambassador names their training",
        ));
    }
    Ok(owner)
}

/// At least one contact mode, each once, with positive capacities.
fn check_contacts(contacts: &[crate::catalog::Contact]) -> Result<()> {
    if contacts.is_empty() {
        return Err(invalid(
            "contacts",
            "",
            "at least one contact mode is required",
        ));
    }
    let mut modes: Vec<ContactMode> = contacts.iter().map(|c| c.mode).collect();
    modes.sort();
    if let Some([twice, _]) = modes.windows(2).find(|w| matches!(w, [a, b] if a == b)) {
        return Err(invalid(
            "contacts",
            crate::wording::wire(*twice),
            "a contact mode is listed twice",
        ));
    }
    for c in contacts {
        if c.sessions_per_month == Some(0) {
            return Err(invalid(
                "contacts.sessions_per_month",
                "0",
                "must be at least 1",
            ));
        }
        if c.max_group == Some(0) {
            return Err(invalid("contacts.max_group", "0", "must be at least 1"));
        }
    }
    Ok(())
}

/// A travel radius in (0, 500] km, required with class visits; a response rate in [0, 1].
fn check_travel_and_response(a: &Ambassador) -> Result<()> {
    match a.travel_radius_km {
        Some(r) if !r.is_finite() || r <= 0.0 || r > 500.0 => {
            return Err(invalid(
                "travel_radius_km",
                r.to_string(),
                "must be more than 0 and at most 500 km",
            ))
        }
        None if a.contact(ContactMode::ClassVisit).is_some() => {
            return Err(invalid(
                "travel_radius_km",
                "",
                "required when class visits are offered",
            ))
        }
        _ => {}
    }
    match a.response_rate {
        Some(r) if !r.is_finite() || !(0.0..=1.0).contains(&r) => Err(invalid(
            "response_rate",
            r.to_string(),
            "a share between 0 and 1",
        )),
        _ => Ok(()),
    }
}
