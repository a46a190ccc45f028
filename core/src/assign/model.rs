//! The placement's wire types: the request (pupils, priorities, schools) and the placement
//! (one outcome a pupil, with its certificate, and the report). One serde shape for every
//! binding.

use crate::catalog::{Audience, StageKind};
use crate::geo::PlaceRef;
use crate::schools::{Priority, School};
use serde::{Deserialize, Serialize};

/// A pupil to place.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Pupil {
    /// Caller's id, unique in the request.
    pub id: String,
    /// UAI of the pupil's school (`"0141234X"`): its éducation prioritaire status sets the
    /// pupil's priority.
    pub school: String,
    /// Class (`"3e B"`), for the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Where the pupil lives, as a query's `near` (a commune or a point); the school's
    /// position when absent. Distances (a priority, and the report) are measured from here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceRef>,
    /// Who the pupil is for the offers' audiences (`college` for a collège's pupil and
    /// `lycee` for a lycée's when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    /// The ISO weeks the school sets for the stage (`["2027-W03"]`; the stage de seconde's
    /// fortnight is two consecutive weeks). A stage fits when one of its periods holds them,
    /// Monday to Friday.
    pub weeks: Vec<String>,
    /// Ranked wishes, best first: stage ids of the catalogue. A pupil without wishes nor
    /// profile stays unplaced and gets suggestions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wishes: Vec<String>,
    /// Or a profile, from which the engine ranks the wishes itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
}

/// What a pupil likes, for wishes built by the engine's own ranking.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Profile {
    /// Centres d'intérêt, by code or words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interests: Vec<String>,
    /// Métiers, by ROME code or words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metiers: Vec<String>,
    /// Preferred sectors (grands domaines or domaines).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<String>,
    /// Kinds of stage (all that fit the weeks when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<StageKind>,
    /// How far the pupil goes, in km (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_km: Option<f64>,
    /// How many wishes to build (default 5, at most 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wishes: Option<u64>,
}

/// The priorities a public service sets: who gets a full stage first. The order of the
/// tie-breaks is fixed: éducation prioritaire (when `rep_first`), then distance (when
/// `distance`), then the seeded lottery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Priorities {
    /// Pupils of REP+ collèges first, then REP, then the others.
    pub rep_first: bool,
    /// Or a minimum share (0 to 1) of each stage's places held for pupils of REP and REP+
    /// collèges, given to others only when no such pupil wants them (minority reserves).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rep_min_share: Option<f64>,
    /// Then the pupil living closer to the stage first (default true).
    pub distance: bool,
    /// Seed of the lottery that orders the remaining ties: the same seed gives the same
    /// placement (default 0).
    pub seed: u64,
}

impl Default for Priorities {
    fn default() -> Priorities {
        Priorities {
            rep_first: false,
            rep_min_share: None,
            distance: true,
            seed: 0,
        }
    }
}

/// A placement request: the pupils and the rules.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// The pupils.
    pub pupils: Vec<Pupil>,
    /// Priorities (defaults: distance, then the lottery with seed 0).
    #[serde(default)]
    #[cfg_attr(feature = "schema", ts(type = "Partial<Priorities>"))]
    pub priorities: Priorities,
    /// Schools to know besides the embedded ones (a school given here replaces the embedded
    /// one of the same UAI).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schools: Vec<School>,
    /// Suggestions for each unplaced pupil (default 3, at most 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestions: Option<u64>,
}

/// What the bindings take beside the pupils: the rest of an [`AssignRequest`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct AssignOptions {
    /// Priorities (defaults: distance, then the lottery with seed 0).
    #[cfg_attr(feature = "schema", ts(type = "Partial<Priorities>"))]
    #[serde(default)]
    pub priorities: Priorities,
    /// Schools to know besides the embedded ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schools: Vec<School>,
    /// Suggestions for each unplaced pupil (default 3, at most 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestions: Option<u64>,
}

/// What became of one wish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WishStatus {
    /// The stage obtained.
    Obtained,
    /// Refused, for the reason given.
    Refused,
}

/// Why a better wish was not obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RefusalCode {
    /// Full: the places went to pupils of a higher éducation prioritaire rank.
    FullPriority,
    /// Full: the places went to pupils living closer.
    FullDistance,
    /// Full: the lottery decided between equal pupils.
    FullLottery,
    /// Full: the places left are held for pupils of REP and REP+ collèges.
    FullReserved,
    /// No place left at all before the placement.
    NoPlaces,
    /// Not offered on the pupil's weeks.
    Weeks,
    /// For another audience.
    Audience,
    /// Reserved to other schools.
    OtherSchools,
    /// Reserved to pupils of REP and REP+ collèges.
    RepOnly,
    /// Class visits: the ambassador does not come to classes.
    NoVisits,
    /// Class visits: the school is beyond the ambassador's travel radius.
    Travel,
    /// Class visits: the class is larger than the ambassador takes.
    GroupSize,
    /// Class visits: the ambassador is not available that month.
    NotAvailable,
}

/// Where the capacity that refused a wish is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Level {
    /// The stage's places in the pupil's weeks (`places_per_period`).
    Week,
    /// The stage's places (`places_left`).
    Stage,
    /// The company's cap over all its stages (`max_pupils`).
    Company,
}

/// A refusal, for programs and in French.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Refusal {
    /// What decided.
    pub code: RefusalCode,
    /// Which capacity was full (for the `full_*` codes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// The lottery number of the last pupil kept, when the lottery decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cutoff_lottery: Option<u32>,
    /// In French (`"complet : tirage au sort (dernier retenu : n° 12, le vôtre : n° 31)"`).
    pub text: String,
}

/// One wish of the certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct WishOutcome {
    /// Stage id.
    pub stage: String,
    /// Rank in the pupil's list, from 1.
    pub rank: usize,
    /// Distance from the pupil, in km (rounded to 0.01).
    pub distance_km: f64,
    /// Obtained, refused or not needed.
    pub status: WishStatus,
    /// Why, when refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<Refusal>,
}

/// A stage an unplaced pupil can still ask for: it has places left after the placement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Suggestion {
    /// Stage id.
    pub stage: String,
    /// Title of the offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Company id.
    pub company: String,
    /// Distance from the pupil, in km (rounded to 0.01).
    pub distance_km: f64,
    /// Places a pupil of these weeks can still take.
    pub places: u32,
    /// The search's reasons, in French.
    pub reasons: Vec<String>,
}

/// What became of one pupil: the stage obtained, and the certificate of each better wish.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct PupilOutcome {
    /// Pupil id.
    pub pupil: String,
    /// School UAI.
    pub school: String,
    /// Class, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// The school's éducation prioritaire status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub education_prioritaire: Option<Priority>,
    /// The pupil's number in the lottery (1 is drawn first).
    pub lottery: u32,
    /// The stage obtained (`null` when unplaced).
    pub stage: Option<String>,
    /// Its company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Rank of the wish obtained, from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wish: Option<usize>,
    /// Distance to the stage obtained, in km (rounded to 0.01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
    /// The certificate: every wish up to the one obtained (all of them for an unplaced
    /// pupil), in the pupil's order, each refused one with its reason.
    pub wishes: Vec<WishOutcome>,
    /// For an unplaced pupil: stages with places left on their weeks, nearest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Suggestion>,
    /// One sentence in French.
    pub text: String,
}

/// Distances travelled by the placed pupils, in km (rounded to 0.01).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct DistanceStats {
    /// Mean.
    pub mean: f64,
    /// Median (the lower middle value for an even count).
    pub median: f64,
    /// 90th percentile (nearest rank).
    pub p90: f64,
}

/// Counts of one group of pupils (a school, an éducation prioritaire status).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct GroupReport {
    /// The group: a UAI, or `"REP+"`, `"REP"`, `"hors EP"`.
    pub group: String,
    /// Pupils.
    pub pupils: usize,
    /// Placed.
    pub placed: usize,
    /// Placed on their first wish.
    pub first_wish: usize,
    /// Distances of the placed, when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<DistanceStats>,
}

/// What a teacher or an académie reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Report {
    /// Pupils.
    pub pupils: usize,
    /// Placed.
    pub placed: usize,
    /// Unplaced.
    pub unplaced: usize,
    /// Placed on wish 1, 2, … (index 0 is wish 1).
    pub by_wish: Vec<usize>,
    /// Distances of the placed, when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<DistanceStats>,
    /// By school, in UAI order.
    pub by_school: Vec<GroupReport>,
    /// By éducation prioritaire status: REP+, REP, hors EP (those present).
    pub by_priority: Vec<GroupReport>,
    /// One sentence in French.
    pub text: String,
}

/// A placement: each pupil's outcome, in the request's order, and the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Placement {
    /// The catalogue revision it was computed on ([`crate::Engine::apply`] refuses another).
    pub revision: u64,
    /// The lottery's seed.
    pub seed: u64,
    /// One outcome a pupil.
    pub pupils: Vec<PupilOutcome>,
    /// The report.
    pub report: Report,
}

/// One pair of a placement to check: a pupil and the stage they hold (or none). A
/// [`PupilOutcome`] reads as one (its other fields are ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Assignment {
    /// Pupil id.
    pub pupil: String,
    /// Stage id, `null` for none.
    #[serde(default)]
    pub stage: Option<String>,
}

/// What is wrong with a placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ViolationKind {
    /// A pupil and a stage would both rather be together.
    BlockingPair,
    /// More pupils than a capacity allows.
    OverCapacity,
    /// A pupil holds a stage they may not take (weeks, audience, reservation).
    Ineligible,
    /// A pupil holds a stage they did not wish.
    NotAWish,
    /// A pupil of the request is missing, or one not in it is placed.
    UnknownPupil,
}

/// One violation found by the checker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Violation {
    /// What kind.
    pub kind: ViolationKind,
    /// The pupil concerned, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pupil: Option<String>,
    /// The stage concerned, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// In English, for the académie's log.
    pub message: String,
}

/// The checker's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Check {
    /// No violation: the placement is feasible and stable under the request's priorities.
    pub stable: bool,
    /// Every violation found (at most 100), then how many in all.
    pub violations: Vec<Violation>,
    /// Violations in all.
    pub total: usize,
}

/// What [`crate::Engine::apply`] did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Applied {
    /// Places reserved in all.
    pub reserved: u32,
    /// Stages touched.
    pub stages: usize,
    /// The catalogue's revision afterwards.
    pub revision: u64,
}
