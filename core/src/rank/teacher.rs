//! The teacher's company search: companies that receive a class, found through their
//! ambassadors who offer company visits for a group that large.

// Rows are the catalogue index's own; page arithmetic is saturating.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::context::{context, Visit};
use super::kinds::{Ambassadors, Companies, Kind};
use super::result::{Match, Reason, ReasonKind, SearchResult, Words};
use super::scan::{order, scan, to_match, Scored};
use super::{page, Query, Searcher};
use crate::error::{Error, Result};
use crate::CompanySummary;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

impl Searcher<'_> {
    pub(crate) fn companies_for_class(
        &self,
        query: &Query,
    ) -> Result<SearchResult<CompanySummary>> {
        if query.group_size.is_none() {
            return Err(Error::invalid(
                "group_size",
                "",
                "give the size of the class",
            ));
        }
        let limit = query.limit_checked()?;
        let radius = query.radius_checked()?;
        let scope = query.scope.unwrap_or_default();
        let ctx = context(self.rome, self.geo, query, scope, radius, Visit::Company)?;
        let index = self.index;
        // Every host must be in order to keep the best one of each company.
        let hosts = order::<Ambassadors>(
            index,
            query,
            scan::<Ambassadors>(index, &ctx, query),
            usize::MAX,
        );
        // The best ambassador of each company stands for it.
        let mut seen = HashSet::new();
        let best: Vec<&Scored> = hosts
            .iter()
            .filter(|s| {
                let c = index.ambassadors.common[s.i as usize].company;
                c != u32::MAX && seen.insert(c)
            })
            .collect();
        let rows: BTreeMap<u32, usize> = index
            .companies
            .common
            .iter()
            .enumerate()
            .map(|(row, c)| (c.company, row))
            .collect();
        let n = query.group_size.unwrap_or_default();
        let mut words = Words::default();
        let matches = best
            .iter()
            .skip(query.skipped())
            .take(limit)
            .filter_map(|s| {
                let by = (&ctx, &mut words);
                let m = to_match::<Ambassadors>(index, self.catalog, by, s, &[])?;
                let row = *rows.get(&index.ambassadors.common[s.i as usize].company)?;
                let item = Companies::item(self.catalog, index, row)?;
                let mut why = m.why;
                // The ambassador's own contact and travel reasons are about other visits.
                why.retain(|r| !matches!(r.kind, ReasonKind::Contact | ReasonKind::Travel));
                let size = Some(f64::from(n));
                let receives = ReasonKind::ReceivesClass;
                why.push(Reason::new(&mut words, receives, (None, None), size));
                Some(Match {
                    id: words.get(&item.company.id),
                    score: m.score,
                    components: m.components,
                    distance_km: m.distance_km,
                    reasons: why.iter().map(|r| Arc::clone(&r.text)).collect(),
                    why,
                    widened: None,
                    item,
                })
            })
            .collect::<Vec<_>>();
        let words = (Companies::NOUN, Some(radius));
        Ok(page(
            query,
            limit,
            best.len(),
            matches,
            Vec::new(),
            &ctx,
            words,
        ))
    }
}
