//! The people and offers the library matches: companies, ambassadors, stages.
//! The serde form here is the JSON shape every binding shares. Ids are strings.

use crate::calendar::Period;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

// (Not in the doc comment, which the other languages' declarations repeat.) A catalogue keeps one
// for each of its items, so its texts are fixed ones: `commune` and `departement` are
// `Arc<str>`, and once validated they are the geography's own texts, shared by every place of
// that commune (a million stages in a few communes hold a few strings); `postal_code` is a
// `Box<str>`. Rust callers build them with `.into()` or `Location::commune` and read them as
// `&str` (`loc.commune.as_deref() == Some("14118")`).
/// Where a company, an ambassador or a stage is. Give a `commune` (INSEE code or name), a
/// `postal_code`, or `lat` and `lon`; after validation every field is filled in (the INSEE code,
/// the département and the coordinates).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// INSEE code or commune name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<Arc<str>>,
    /// Postal code (alone, or to tell apart communes of the same name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<Box<str>>,
    /// Latitude (WGS84); an exact address point when given with `lon`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude (WGS84).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// Département code, filled in by validation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departement: Option<Arc<str>>,
}

impl Location {
    /// A location at a commune (INSEE code or name).
    pub fn commune(code_or_name: impl Into<Arc<str>>) -> Location {
        Location {
            commune: Some(code_or_name.into()),
            ..Location::default()
        }
    }

    /// (lat, lon) once validated.
    pub fn point(&self) -> Option<(f64, f64)> {
        Some((self.lat?, self.lon?))
    }
}

/// Company size band (French statistical categories).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SizeBand {
    /// Très petite entreprise: fewer than 10 employees.
    Tpe,
    /// Petite ou moyenne entreprise: 10 to 249.
    Pme,
    /// Entreprise de taille intermédiaire: 250 to 4,999.
    Eti,
    /// Grande entreprise: 5,000 and more.
    Ge,
}

/// A company that offers stages or has ambassadors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Company {
    /// Caller's id, unique among companies.
    pub id: String,
    /// Name.
    pub name: String,
    /// SIRET (14 digits, Luhn-checked), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siret: Option<String>,
    /// Where it is.
    pub place: Location,
    /// Sectors: ROME grands domaines (`"H"`) or domaines professionnels (`"H29"`).
    #[serde(default)]
    pub sectors: Vec<String>,
    /// Size band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<SizeBand>,
    /// At most this many pupils placed in all its stages by a placement (no cap when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pupils: Option<u32>,
}

/// Who an ambassador or a stage is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Audience {
    /// Collège pupils (11 to 15).
    College,
    /// Lycée pupils (15 to 18).
    Lycee,
    /// Students.
    Etudiant,
    /// Job seekers (demandeurs d'emploi).
    DemandeurEmploi,
    /// Adults changing careers.
    Reconversion,
}

impl Audience {
    /// Every audience, in order.
    pub const ALL: [Audience; 5] = [
        Audience::College,
        Audience::Lycee,
        Audience::Etudiant,
        Audience::DemandeurEmploi,
        Audience::Reconversion,
    ];
}

/// Professional (ambassadeur métier) or student (ambassadeur formation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AmbassadorKind {
    /// A professional who talks about the métier.
    Metier,
    /// A student who talks about the training.
    Formation,
}

/// How an ambassador can be met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ContactMode {
    /// By phone.
    Phone,
    /// By video call.
    Video,
    /// Comes to testify in a class.
    ClassVisit,
    /// Receives a class in the company.
    CompanyVisit,
}

/// One way to meet an ambassador, with its capacity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// The mode.
    pub mode: ContactMode,
    /// Sessions a month the ambassador offers this way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions_per_month: Option<u16>,
    /// Largest group (for visits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_group: Option<u16>,
    /// Spread the month's sessions over its weeks: at most a quarter of them (rounded up) in
    /// one ISO week, so a month is not used up in its first days.
    #[serde(default, skip_serializing_if = "is_false")]
    pub weekly: bool,
}

/// A session booked with an ambassador ([`crate::Engine::request_contact`] records them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Booked {
    /// The contact mode.
    pub mode: ContactMode,
    /// The day.
    pub date: crate::calendar::Date,
}

/// A professional or a student who talks about their work or training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Ambassador {
    /// Caller's id, unique among ambassadors.
    pub id: String,
    /// Métier (professional) or formation (student).
    pub kind: AmbassadorKind,
    /// Display name (`"Camille L."`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Company id (required for a professional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// The training a student tells about (required for a student).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training: Option<String>,
    /// ROME codes of the métiers they talk about.
    pub metiers: Vec<String>,
    /// How they can be met.
    pub contacts: Vec<Contact>,
    /// Who they talk to (all when empty in input).
    #[serde(default)]
    pub audiences: Vec<Audience>,
    /// How far they travel for a class visit, in km (required with `class_visit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub travel_radius_km: Option<f64>,
    /// When they are available (always when empty).
    #[serde(default)]
    pub availability: Vec<Period>,
    /// Share of requests answered, 0 to 1, when the portal tracks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_rate: Option<f64>,
    /// Sessions booked this month (portals update it; fair exposure favours fewer).
    #[serde(default)]
    pub bookings: u32,
    /// The sessions booked, by mode and day: a mode whose month (or week, when `weekly`) is
    /// full is not offered then.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub booked: Vec<Booked>,
    /// Where they are (defaults to the company's place).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Location>,
}

impl Ambassador {
    /// The contact of a mode, if offered.
    pub fn contact(&self, mode: ContactMode) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.mode == mode)
    }
}

/// The kinds of stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum StageKind {
    /// Mini-stage de découverte: 3 to 5 days, during school holidays, ages 14 to 25.
    MiniStage,
    /// Stage d'observation de 3e: 5 days, in weeks the collège sets.
    #[serde(rename = "observation_3e")]
    Observation3e,
    /// Stage de seconde: 2 weeks in June, for 2nde générale et technologique.
    Seconde,
    /// Long professional stage.
    LongProfessionnel,
}

impl StageKind {
    /// French label for reasons and tables.
    pub fn label(self) -> &'static str {
        match self {
            StageKind::MiniStage => "mini-stage de découverte",
            StageKind::Observation3e => "stage d'observation de 3e",
            StageKind::Seconde => "stage de seconde",
            StageKind::LongProfessionnel => "stage long professionnel",
        }
    }

    /// The audiences a stage of this kind is for when the offer does not say.
    pub fn default_audiences(self) -> &'static [Audience] {
        match self {
            StageKind::MiniStage => &[
                Audience::College,
                Audience::Lycee,
                Audience::Etudiant,
                Audience::DemandeurEmploi,
            ],
            StageKind::Observation3e => &[Audience::College],
            StageKind::Seconde => &[Audience::Lycee],
            StageKind::LongProfessionnel => &[
                Audience::Lycee,
                Audience::Etudiant,
                Audience::DemandeurEmploi,
                Audience::Reconversion,
            ],
        }
    }
}

// A portal's catalogue may hold a million of them, so a stage keeps its texts and lists in
// blocks of their own size: `Box<str>` for texts, boxed slices for lists (no room to spare, 16
// bytes each where a `String` or a `Vec` takes 24). The whole is 240 bytes, one 256-byte block
// behind the catalogue's `Arc` (README, "Memory"; a test in tests/catalog.rs keeps it so). Rust
// callers build the fields with `.into()` (`id: "S1".into()`, `metiers: vec![…].into()`) and
// compare them as `&str` (`&*stage.id == "S1"`).
/// A stage offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// Caller's id, unique among stages.
    pub id: Box<str>,
    /// Company id (must exist).
    pub company: Box<str>,
    /// Kind of stage.
    pub kind: StageKind,
    /// Short title of the offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Box<str>>,
    /// ROME codes of the métiers discovered.
    pub metiers: Box<[String]>,
    /// Where it takes place (defaults to the company's place).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Location>,
    /// When it takes place.
    pub periods: Box<[Period]>,
    /// Places offered.
    pub places_total: u32,
    /// Places not yet taken (defaults to `places_total`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub places_left: Option<u32>,
    /// Places in each of its periods, for a stage offered several weeks (a placement fills each
    /// week up to this, and all weeks together up to `places_left`); absent, the places are
    /// shared by all its periods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub places_per_period: Option<u32>,
    /// Reserved to the pupils of these schools (UAI codes); open to all when empty.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub schools: Box<[String]>,
    /// Reserved to pupils of REP and REP+ collèges (as the `rep` offers of "1 élève, 1 stage").
    #[serde(default, skip_serializing_if = "is_false")]
    pub rep_only: bool,
    /// Who it is for (defaults by kind).
    #[serde(default)]
    pub audiences: Box<[Audience]>,
    /// Accessible to people with reduced mobility.
    #[serde(default)]
    pub accessible: bool,
    /// Largest group for a class visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_group: Option<u16>,
    /// Free description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Box<str>>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_false(b: &bool) -> bool {
    !*b
}

impl Stage {
    /// Places left (equal to `places_total` until validated otherwise).
    pub fn places_left(&self) -> u32 {
        self.places_left.unwrap_or(self.places_total)
    }
}
