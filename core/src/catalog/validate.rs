//! The rules every company, ambassador and stage must follow (places: `location.rs`).
//!
//! Each check returns `invalid_input` naming the field and the value; the loaders add the
//! file and line.

use super::model::{Ambassador, AmbassadorKind, Audience, Company, ContactMode, Stage, StageKind};
use crate::calendar::SchoolCalendar;
use crate::error::{Error, Result};
use crate::geo::Geography;
use crate::referential::Referential;
use crate::sorting::Sort;

/// What validation needs to know.
pub struct Validator<'a> {
    /// For métier and sector codes.
    pub rome: &'a Referential,
    /// For communes and postal codes.
    pub geo: &'a Geography,
    /// When given, mini-stages must fall within its holidays.
    pub calendar: Option<&'a SchoolCalendar>,
    /// What the names and codes of communes a load gave stood for, as a file names the same
    /// few communes row after row.
    pub(super) places: std::cell::RefCell<super::location::PlaceMemo<'a>>,
}

impl<'a> Validator<'a> {
    /// A validator against this referential, geography and (optional) school calendar.
    pub fn new(
        rome: &'a Referential,
        geo: &'a Geography,
        calendar: Option<&'a SchoolCalendar>,
    ) -> Validator<'a> {
        Validator {
            rome,
            geo,
            calendar,
            places: std::cell::RefCell::default(),
        }
    }
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
        // "7,32829E+13": a spreadsheet showed the number in scientific notation, and kept
        // only the digits it showed.
        let scientific = siret.contains(['E', 'e']) && siret.bytes().any(|b| b.is_ascii_digit());
        return Err(invalid(
            "siret",
            siret,
            if scientific {
                "a SIRET has exactly 14 digits; a spreadsheet wrote this one as a number in \
                 scientific notation, which keeps only its first digits: format the column \
                 as text and type the SIRET again"
            } else {
                "a SIRET has exactly 14 digits"
            },
        ));
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

/// An id as every item has one: not empty, no surrounding spaces or control characters, at
/// most 128 bytes.
pub(crate) fn check_id(field: &str, id: &str) -> Result<()> {
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
    /// The codes trimmed and in capitals, each known, the first of each kept (in place: a
    /// loaded row's list is its own).
    fn metiers(&self, mut codes: Vec<String>) -> Result<Vec<String>> {
        if codes.is_empty() {
            return Err(invalid("metiers", "", "at least one ROME code is required"));
        }
        for code in &mut codes {
            if code.trim().len() != code.len() {
                *code = code.trim().to_string();
            }
            code.make_ascii_uppercase();
            self.rome.metier(code).map_err(|e| match e {
                Error::NotFound { .. } => invalid("metiers", &**code, "unknown ROME code"),
                _ => invalid(
                    "metiers",
                    &**code,
                    "malformed ROME code (a letter A to N and four digits)",
                ),
            })?;
        }
        if codes.len() == 1 {
            // Kept as long as the row: no room to spare (a list read item by item has four).
            codes.shrink_to_fit();
            return Ok(codes);
        }
        let mut kept: Vec<String> = Vec::with_capacity(codes.len());
        for code in codes {
            if !kept.contains(&code) {
                kept.push(code);
            }
        }
        Ok(kept)
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
        c.sectors.stable();
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
        a.metiers = self.metiers(std::mem::take(&mut a.metiers))?;
        check_contacts(&a.contacts)?;
        a.contacts.stable_by_key(|c| c.mode);
        check_travel_and_response(&a)?;
        a.audiences = normalise_audiences(std::mem::take(&mut a.audiences), &Audience::ALL);
        a.availability.stable();
        if let Some(b) = a.booked.iter().find(|b| a.contact(b.mode).is_none()) {
            return Err(invalid(
                "booked",
                format!("{:?}", b.mode).to_lowercase(),
                "a session booked in a mode the ambassador does not offer",
            ));
        }
        a.booked.stable();
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
                &*s.company,
                "no company has this id (load companies first)",
            )
        })?;
        s.metiers = self
            .metiers(Vec::from(std::mem::take(&mut s.metiers)))?
            .into_boxed_slice();
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
        if s.places_per_period == Some(0) {
            return Err(invalid("places_per_period", "0", "must be at least 1"));
        }
        for (i, uai) in s.schools.iter().enumerate() {
            crate::schools::check_uai(uai).map_err(|e| match e {
                Error::InvalidInput { value, reason, .. } => Error::InvalidInput {
                    field: format!("schools[{i}]"),
                    value,
                    reason,
                },
                other => other,
            })?;
        }
        s.schools = sorted_unique(std::mem::take(&mut s.schools));
        if s.max_group == Some(0) {
            return Err(invalid("max_group", "0", "must be at least 1"));
        }
        if s.periods.is_empty() {
            return Err(invalid("periods", "", "at least one period is required"));
        }
        s.periods.stable();
        self.kind_rules(&s)?;
        let allowed = allowed_audiences(s.kind);
        if let Some(a) = s.audiences.iter().find(|a| !allowed.contains(a)) {
            return Err(invalid(
                "audiences",
                crate::wording::wire(*a),
                format!("a {} is not for this audience", s.kind.label()),
            ));
        }
        s.audiences = normalise_audiences(s.audiences.into(), s.kind.default_audiences()).into();
        s.place = Some(match &s.place {
            Some(loc) => self.location(loc, "place")?,
            None => owner.place.clone(),
        });
        Ok(s)
    }

    fn kind_rules(&self, s: &Stage) -> Result<()> {
        for p in &s.periods {
            // The period as the error quotes it, written only for an error.
            let text = || p.to_string();
            match s.kind {
                StageKind::MiniStage => {
                    if !(3..=5).contains(&p.weekdays()) || p.days() > 7 {
                        return Err(invalid(
                            "periods",
                            text(),
                            format!("a mini-stage lasts 3 to 5 days within one week, this one has {} weekdays over {} days", p.weekdays(), p.days()),
                        ));
                    }
                    if let Some(cal) = self.calendar {
                        if cal.holiday_containing(p).is_none() {
                            return Err(invalid(
                                "periods",
                                text(),
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
                            text(),
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
                            text(),
                            "a stage de seconde takes place in June",
                        ));
                    }
                    if p.weekdays() > 10 {
                        return Err(invalid(
                            "periods",
                            text(),
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

/// The audiences given, in order and once each; the default ones when none is given.
fn normalise_audiences(list: Vec<Audience>, default: &[Audience]) -> Vec<Audience> {
    if list.is_empty() {
        return default.to_vec();
    }
    sorted_unique(list.into()).into()
}

/// A list in order, each item once, in a block of its own size.
fn sorted_unique<T: Ord>(list: Box<[T]>) -> Box<[T]> {
    if list.len() < 2 {
        return list;
    }
    let mut list = Vec::from(list);
    list.stable();
    list.dedup();
    list.into_boxed_slice()
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
    modes.stable();
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
