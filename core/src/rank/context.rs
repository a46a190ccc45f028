//! What a query resolves to before any item is scored: the place, the radius, the
//! relevance of every métier, the filters (`Context`), and the distance decay.

#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::index::audience_bits;
use super::query::{Query, Scope, Weights};
use super::relevance::Relevance;
use crate::calendar::Period;
use crate::error::{Error, Result};
use crate::geo::{Geography, Place, PlaceKind};
use crate::referential::Referential;

/// Teacher searches need the visit kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Visit {
    None,
    /// An ambassador comes to the class: the school within their travel radius.
    Class,
    /// A company receives the class.
    Company,
}

/// Everything resolved from a query.
#[derive(Clone)]
pub(crate) struct Context<'a> {
    pub rome: &'a Referential,
    /// The place the query named (a département included), as results report it.
    pub near: Option<Place>,
    /// The point distances are measured from (a commune's or an arrondissement's centre, a
    /// point); `None` without a place or for a département.
    pub origin: Option<Place>,
    /// Radius of the query: the decay's scale.
    pub radius: f64,
    /// How far the scan reaches (the radius, or a wider step's radius when counting).
    pub reach: f64,
    /// Only these départements (`None`: any); the intersection of `departements` and a
    /// département given as `near`, so possibly empty.
    pub departements: Option<Vec<String>>,
    pub relevance: std::sync::Arc<Relevance>,
    pub weights: Weights,
    pub audience: u8,
    pub dates: Option<Period>,
    pub visit: Visit,
}

pub(crate) fn context<'a>(
    rome: &'a Referential,
    geo: &Geography,
    query: &Query,
    scope: Scope,
    radius: f64,
    visit: Visit,
) -> Result<Context<'a>> {
    let mut departements = None;
    if !query.departements.is_empty() {
        let mut codes = Vec::new();
        for (i, d) in query.departements.iter().enumerate() {
            let dep = geo.departement(d).map_err(|_| {
                Error::invalid(format!("departements[{i}]"), d, "unknown département")
            })?;
            codes.push(dep.code.clone());
        }
        departements = Some(codes);
    }
    let near = match &query.near {
        None => None,
        Some(place) => Some(geo.resolve_at(place, "near")?),
    };
    let origin = match &near {
        Some(place) if place.kind == PlaceKind::Departement => {
            // A département is an area, not a point: it filters like `departements` (both
            // must hold), and has no centre to measure a radius from.
            if let Some(r) = query.radius_km {
                return Err(Error::invalid(
                    "radius_km",
                    r.to_string(),
                    format!(
                        "near is a département ({}): it filters by département and has no centre to measure a radius from; give a commune or a point, or leave radius_km out",
                        place.name
                    ),
                ));
            }
            let code = place.code.clone().unwrap_or_default();
            departements = Some(match departements {
                None => vec![code],
                Some(list) => list.into_iter().filter(|d| *d == code).collect(),
            });
            None
        }
        other => other.clone(),
    };
    let weights = query.weights.unwrap_or_default();
    for (name, w) in [
        ("weights.interest", weights.interest),
        ("weights.sector", weights.sector),
        ("weights.distance", weights.distance),
        ("weights.responsiveness", weights.responsiveness),
    ] {
        if !w.is_finite() || !(0.0..=1.0).contains(&w) {
            return Err(Error::invalid(
                name,
                w.to_string(),
                "a weight is between 0 and 1",
            ));
        }
    }
    if let Some(m) = query.fairness.rotation_margin {
        if !m.is_finite() || !(0.0..=1.0).contains(&m) {
            return Err(Error::invalid(
                "fairness.rotation_margin",
                m.to_string(),
                "a rotation margin is a score difference between 0 and 1",
            ));
        }
    }
    if query.per_company == Some(0) {
        return Err(Error::invalid(
            "per_company",
            "0",
            "at least one result per company",
        ));
    }
    if let Some(n) = query.group_size {
        if n == 0 {
            return Err(Error::invalid(
                "group_size",
                "0",
                "a class has at least one pupil",
            ));
        }
    }
    if visit != Visit::None && origin.is_none() {
        return Err(Error::invalid(
            "near",
            "",
            "a teacher search needs the school's place (a commune or a point)",
        ));
    }
    Ok(Context {
        rome,
        near,
        origin,
        radius,
        reach: radius,
        departements,
        relevance: std::sync::Arc::new(Relevance::build(rome, query, scope)?),
        weights,
        audience: query.audience.map_or(0, |a| audience_bits(&[a])),
        dates: query.dates,
        visit,
    })
}

/// Distance decay: a Gaussian with value 1 at 0 km and 0.5 at the edge of the radius
/// (Elasticsearch's `gauss` with offset 0, scale = radius, decay 0.5).
///
/// ```
/// assert_eq!(metiers::scoring::distance_decay(0.0, 30.0), 1.0);
/// assert!((metiers::scoring::distance_decay(30.0, 30.0) - 0.5).abs() < 1e-12);
/// ```
pub fn distance_decay(distance: f64, radius: f64) -> f64 {
    let x = distance / radius;
    libm::exp(-std::f64::consts::LN_2 * x * x)
}
