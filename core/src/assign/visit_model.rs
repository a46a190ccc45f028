//! The class visits' wire types: the requests and the placement of visits.

use super::model::{Priorities, Profile, Refusal, Report, WishStatus};
use crate::geo::PlaceRef;
use crate::schools::{Priority, School};
use serde::{Deserialize, Serialize};

/// One class asking for an ambassador's visit.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VisitRequest {
    /// Caller's id of the request, unique (`"0610011F-3eB"`).
    pub id: String,
    /// UAI of the school.
    pub school: String,
    /// Class, for the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Where the visit takes place; the school's position when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceRef>,
    /// The month of the visit, `YYYY-MM`.
    pub month: String,
    /// Pupils in the class (the ambassador's largest group must take them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_size: Option<u16>,
    /// Ranked wishes: ambassador ids, best first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wishes: Vec<String>,
    /// Or a profile, from which the engine ranks ambassadors who come to the class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
}

/// The requests and the rules.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VisitsRequest {
    /// The classes.
    pub requests: Vec<VisitRequest>,
    /// Priorities, as for pupils.
    #[serde(default)]
    #[cfg_attr(feature = "schema", ts(type = "Partial<Priorities>"))]
    pub priorities: Priorities,
    /// Schools besides the embedded ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schools: Vec<School>,
}

/// One wish of a class's certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct VisitWish {
    /// Ambassador id.
    pub ambassador: String,
    /// Rank in the class's list, from 1.
    pub rank: usize,
    /// Distance from the school, in km (rounded to 0.01).
    pub distance_km: f64,
    /// Obtained or refused.
    pub status: WishStatus,
    /// Why, when refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<Refusal>,
}

/// What became of one class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct VisitOutcome {
    /// Request id.
    pub request: String,
    /// School UAI.
    pub school: String,
    /// Class, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// The school's éducation prioritaire status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub education_prioritaire: Option<Priority>,
    /// The request's lottery number.
    pub lottery: u32,
    /// The month, `YYYY-MM`.
    pub month: String,
    /// The ambassador obtained (`null` when none).
    pub ambassador: Option<String>,
    /// Rank of the wish obtained, from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wish: Option<usize>,
    /// Distance to the ambassador obtained, in km.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
    /// Every wish up to the one obtained, refused ones with their reason.
    pub wishes: Vec<VisitWish>,
    /// One sentence in French.
    pub text: String,
}

/// A placement of class visits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct VisitPlacement {
    /// The catalogue revision it was computed on.
    pub revision: u64,
    /// The lottery's seed.
    pub seed: u64,
    /// One outcome a class, in the request's order.
    pub requests: Vec<VisitOutcome>,
    /// The report (`pupils` counts classes here).
    pub report: Report,
}

impl super::report::Outcome for VisitOutcome {
    fn school(&self) -> &str {
        &self.school
    }
    fn tier(&self) -> Option<Priority> {
        self.education_prioritaire
    }
    fn placed(&self) -> bool {
        self.ambassador.is_some()
    }
    fn wish(&self) -> Option<usize> {
        self.wish
    }
    fn distance_km(&self) -> Option<f64> {
        self.distance_km
    }
}
