//! The query: one serde type, the JSON shape every binding shares.

use crate::calendar::Period;
use crate::catalog::{Audience, ContactMode, StageKind};
use crate::error::{Error, Result};
use crate::geo::PlaceRef;
use serde::{Deserialize, Serialize};

/// How far the interest links reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Scope {
    /// The métiers asked and their fiche.
    Metier,
    /// … and the métiers ROME lists as close (mobilité).
    #[default]
    Proches,
    /// … and every métier of the same domaine professionnel and grand domaine.
    Domaine,
}

/// Weights of the score components (each in [0, 1]); see `docs/ranking.md`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// Interest: the best link between what the person asked for and the item's métiers.
    pub interest: f64,
    /// Sector: the item's métiers in a preferred sector.
    pub sector: f64,
    /// Distance decay.
    pub distance: f64,
    /// An ambassador's response rate, when the data has it.
    pub responsiveness: f64,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            interest: 0.6,
            sector: 0.15,
            distance: 0.25,
            responsiveness: 0.05,
        }
    }
}

/// Options that spread exposure across companies (all off by default).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Fairness {
    /// Among equal scores, prefer stages with more places left and ambassadors with fewer
    /// bookings (before the distance tie-break).
    pub favour_availability: bool,
    /// Shuffle, with this seed, results whose scores are within `rotation_margin` of the best
    /// of their band: the same seed gives the same order; a new seed each day spreads exposure.
    pub rotation_seed: Option<u64>,
    /// Width of a rotation band (default 0.02).
    pub rotation_margin: Option<f64>,
}

/// A search: who is looking, where, for what.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Query {
    /// Where the person (or the school) is: a [`PlaceRef`] (free text, `{"insee": …}`,
    /// `{"postal_code": …}`, `{"departement": …}` or `{"lat": …, "lon": …}`). Without it, no
    /// radius and no distance score; a département filters (with `departements`, both hold) and
    /// takes no `radius_km`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near: Option<PlaceRef>,
    /// Radius in km (default 30; at most 1,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_km: Option<f64>,
    /// Centres d'intérêt, by code (`"14"`) or words (`"J'aime le travail manuel"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interests: Vec<String>,
    /// Métiers, by ROME code or free text resolved by the job-title search (`"fraiseur"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metiers: Vec<String>,
    /// Preferred sectors: ROME grands domaines (`"H"`) or domaines professionnels (`"H29"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<String>,
    /// How far interest links reach (default `proches`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// Who is looking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    /// When the person is free: a stage must fit inside, an ambassador be available then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<Period>,
    /// Kinds of stage wanted (all when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<StageKind>,
    /// Contact modes wanted from ambassadors (any when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact_modes: Vec<ContactMode>,
    /// Only these départements (codes or names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departements: Vec<String>,
    /// Size of the class (teacher searches): visits must take a group this large.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_size: Option<u16>,
    /// Results per page (default 20, at most 1,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// Results to skip (pagination). 64 bits on every platform, so an offset past any list is
    /// the same empty page in the browser (32-bit) as natively.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub offset: u64,
    /// At most this many results per company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_company: Option<u64>,
    /// Overrides of the default weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", ts(type = "Partial<Weights>"))]
    pub weights: Option<Weights>,
    /// Fair-exposure options.
    #[serde(default, skip_serializing_if = "Fairness::is_default")]
    #[cfg_attr(feature = "schema", ts(type = "Partial<Fairness>"))]
    pub fairness: Fairness,
    /// When results are fewer than `limit`, add results from the next steps (wider radius,
    /// then the whole domaine), each marked as widened.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub widen: bool,
}

// serde hands `skip_serializing_if` a reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Fairness {
    fn is_default(&self) -> bool {
        *self == Fairness::default()
    }
}

/// Default radius in km.
pub const DEFAULT_RADIUS_KM: f64 = 30.0;
/// Default page size.
pub const DEFAULT_LIMIT: usize = 20;
/// Largest page size.
pub const MAX_LIMIT: usize = 1000;
/// Default width of a rotation band.
pub const DEFAULT_ROTATION_MARGIN: f64 = 0.02;
/// Largest radius in km.
pub const MAX_RADIUS_KM: f64 = 1000.0;

/// A radius as a search takes it: more than 0 and at most [`MAX_RADIUS_KM`] km (field
/// `radius_km`).
pub(crate) fn radius_checked(r: f64) -> Result<f64> {
    if !r.is_finite() || r <= 0.0 || r > MAX_RADIUS_KM {
        return Err(Error::invalid(
            "radius_km",
            r.to_string(),
            format!("a radius is more than 0 and at most {MAX_RADIUS_KM} km"),
        ));
    }
    Ok(r)
}

impl Query {
    /// A query near a place, with the defaults.
    ///
    /// ```
    /// let q = metiers::Query::near("Flers").radius(20.0).interest("J'aime le travail manuel");
    /// assert_eq!(q.radius_km, Some(20.0));
    /// ```
    pub fn near(place: impl Into<PlaceRef>) -> Query {
        Query {
            near: Some(place.into()),
            ..Query::default()
        }
    }

    /// Sets the radius.
    #[must_use]
    pub fn radius(mut self, km: f64) -> Query {
        self.radius_km = Some(km);
        self
    }

    /// Adds a centre d'intérêt.
    #[must_use]
    pub fn interest(mut self, interest: impl Into<String>) -> Query {
        self.interests.push(interest.into());
        self
    }

    /// Adds a métier (code or free text).
    #[must_use]
    pub fn metier(mut self, metier: impl Into<String>) -> Query {
        self.metiers.push(metier.into());
        self
    }

    /// Sets the page size.
    #[must_use]
    pub fn limit(mut self, limit: u64) -> Query {
        self.limit = Some(limit);
        self
    }

    /// Parses the JSON form; any problem is `invalid_input` naming the field.
    pub fn from_json(json: &str) -> Result<Query> {
        let mut de = serde_json::Deserializer::from_str(json);
        let query = serde_path_to_error::deserialize(crate::error::ObjectsOnly(&mut de))
            .map_err(|e| crate::error::at_path(e, "query"))?;
        de.end().map_err(|e| {
            Error::invalid(
                "query",
                "",
                format!("trailing content after the query object ({e})"),
            )
        })?;
        Ok(query)
    }

    /// The offset as a position in a list: an offset beyond what the platform counts is past
    /// every list all the same.
    pub(crate) fn skipped(&self) -> usize {
        usize::try_from(self.offset).unwrap_or(usize::MAX)
    }

    /// The radius in force, checked.
    pub(crate) fn radius_checked(&self) -> Result<f64> {
        radius_checked(self.radius_km.unwrap_or(DEFAULT_RADIUS_KM))
    }

    /// The page size in force, checked.
    pub(crate) fn limit_checked(&self) -> Result<usize> {
        let asked = self
            .limit
            .unwrap_or_else(|| u64::try_from(DEFAULT_LIMIT).unwrap_or(u64::MAX));
        match usize::try_from(asked) {
            _ if asked == 0 => Err(Error::invalid("limit", "0", "must be at least 1")),
            Ok(n) if n <= MAX_LIMIT => Ok(n),
            _ => Err(Error::invalid(
                "limit",
                asked.to_string(),
                format!("at most {MAX_LIMIT} results a page"),
            )),
        }
    }
}
