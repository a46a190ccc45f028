//! What a search returns: pages of ranked matches, their score components and next steps.

use super::query::Scope;
use crate::catalog::Company;
use crate::geo::Place;
use serde::Serialize;

/// The parts of a score, each in [0, 1]; absent when the query does not use it.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Components {
    /// Interest link.
    pub interest: Option<f64>,
    /// Preferred sector.
    pub sector: Option<f64>,
    /// Distance decay.
    pub distance: Option<f64>,
    /// Response rate (ambassadors).
    pub responsiveness: Option<f64>,
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "{T}Match"))]
pub struct Match<T> {
    /// Id of the stage, ambassador or company.
    pub id: String,
    /// Blended score in [0, 1], rounded to 4 decimals.
    pub score: f64,
    /// Its components, rounded to 4 decimals.
    pub components: Components,
    /// Great-circle distance from the place asked, in km, rounded to 0.01.
    pub distance_km: Option<f64>,
    /// Short reasons in French, for display.
    pub reasons: Vec<String>,
    /// Set when the result comes from a widened search (`"rayon élargi à 50 km"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub widened: Option<String>,
    /// The stage, ambassador or company.
    pub item: T,
}

/// A way to get more results, with how many it gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct NextStep {
    /// What to show (`"Élargir à 50 km"`).
    pub label: String,
    /// The radius of this step.
    pub radius_km: Option<f64>,
    /// The scope of this step.
    pub scope: Option<Scope>,
    /// Results with this step.
    pub total: usize,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "{T}Result"))]
pub struct SearchResult<T> {
    /// Results before pagination (after `per_company`; widened ones included when `widen`).
    pub total: usize,
    /// Offset asked.
    pub offset: usize,
    /// Page size in force.
    pub limit: usize,
    /// The place the query named, as resolved (kind, INSEE code, name, how it matched):
    /// distances are measured from it, unless it is a département (a filter).
    pub origin: Option<Place>,
    /// The page.
    pub matches: Vec<Match<T>>,
    /// When results are fewer than `limit`: ways to get more, with their counts.
    pub next_steps: Vec<NextStep>,
    /// The page in one French sentence, for display: `"12 stages à moins de 20 km de Flers ;
    /// les 10 plus pertinents"`, `"Aucun ambassadeur dans le département : Orne"`.
    pub summary: String,
}

/// A company with what it offers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct CompanySummary {
    /// The company.
    #[serde(flatten)]
    pub company: Company,
    /// Stages it offers.
    pub stages: u32,
    /// Ambassadors it has.
    pub ambassadors: u32,
}

/// A métier one can discover near a place.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct MetierNearby {
    /// ROME code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Stages within the radius.
    pub stages: usize,
    /// Ambassadors within the radius.
    pub ambassadors: usize,
    /// Distance of the nearest of them, km (rounded to 0.01).
    pub nearest_km: Option<f64>,
    /// Interest score (0 when nothing was asked).
    pub interest: f64,
    /// Reasons in French.
    pub reasons: Vec<String>,
}
