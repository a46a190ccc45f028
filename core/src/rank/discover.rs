//! Métiers to discover near a place: those with a stage or an ambassador within the radius,
//! ranked by interest, then by how many offers, then by the nearest.

// Rows are the catalogue index's own; page arithmetic is saturating.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::context::{context, Visit};
use super::kinds::{Ambassadors, Stages};
use super::result::{MetierNearby, Words};
use super::scan::scan;
use super::{Query, Searcher};
use crate::error::Result;
use crate::sorting::Sort;
use std::collections::BTreeMap;

/// A page of métiers to discover near a place.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct MetierPage {
    /// Métiers before pagination.
    pub total: usize,
    /// Offset asked.
    pub offset: u64,
    /// Page size in force.
    pub limit: usize,
    /// The place the query named, as resolved (see [`crate::SearchResult::origin`]).
    pub origin: Option<crate::Place>,
    /// The page.
    pub metiers: Vec<MetierNearby>,
}

impl Searcher<'_> {
    pub(crate) fn metiers_near(&self, query: &Query) -> Result<MetierPage> {
        let limit = query.limit_checked()?;
        let radius = query.radius_checked()?;
        let scope = query.scope.unwrap_or_default();
        let ctx = context(self.rome, self.geo, query, scope, radius, Visit::None)?;
        let index = self.index;
        // métier index -> (stages, ambassadors, nearest)
        let mut found: BTreeMap<u16, (usize, usize, Option<f64>)> = BTreeMap::new();
        let mut count = |metiers: &[u16], distance: Option<f64>, stage: bool| {
            for &m in metiers {
                if ctx.relevance.asked && ctx.relevance.metier(m).is_none() {
                    continue;
                }
                let e = found.entry(m).or_insert((0, 0, None));
                if stage {
                    e.0 += 1;
                } else {
                    e.1 += 1;
                }
                if let Some(d) = distance {
                    e.2 = Some(e.2.map_or(d, |x: f64| x.min(d)));
                }
            }
        };
        for s in scan::<Stages>(index, &ctx, query) {
            count(index.stages.metiers(s.i as usize), s.distance, true);
        }
        for s in scan::<Ambassadors>(index, &ctx, query) {
            count(index.ambassadors.metiers(s.i as usize), s.distance, false);
        }
        let mut words = Words::default();
        let mut list: Vec<MetierNearby> = found
            .into_iter()
            .map(|(m, (stages, ambassadors, nearest))| {
                let metier = self.rome.metier_at(m as usize);
                let link = ctx.relevance.metier(m);
                let mut reasons = Vec::new();
                if let Some((_, l)) = link {
                    let reason = ctx.relevance.reason(&mut words, self.rome, l, m);
                    reasons.push(reason.text.to_string());
                }
                reasons.push(format!("{stages} stage(s), {ambassadors} ambassadeur(s)"));
                if let Some(d) = nearest {
                    reasons.push(format!("le plus proche à {d:.0} km"));
                }
                MetierNearby {
                    code: metier.code.clone(),
                    label: metier.label.clone(),
                    stages,
                    ambassadors,
                    nearest_km: nearest.map(|d| (d * 100.0).round() / 100.0),
                    interest: link.map_or(0.0, |l| crate::text::round4(l.0)),
                    reasons,
                }
            })
            .collect();
        list.stable_by(|a, b| {
            b.interest
                .total_cmp(&a.interest)
                .then((b.stages + b.ambassadors).cmp(&(a.stages + a.ambassadors)))
                .then(
                    a.nearest_km
                        .unwrap_or(0.0)
                        .total_cmp(&b.nearest_km.unwrap_or(0.0)),
                )
                .then(a.code.cmp(&b.code))
        });
        Ok(MetierPage {
            total: list.len(),
            offset: query.offset,
            limit,
            origin: ctx.near.clone(),
            metiers: list.into_iter().skip(query.skipped()).take(limit).collect(),
        })
    }
}
