//! What differs between the stage, ambassador and company searches (`Kind`): their table,
//! hard filters, reasons and items.

// Rows are the catalogue index's own.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::context::{Context, Visit};
use super::index::{AmbassadorFacts, CatalogIndex, CompanyFacts, Identified, StageFacts, Table};
use super::query::Query;
use super::result::{CompanySummary, Reason, ReasonKind, Words};
use crate::catalog::{Ambassador, Catalog, Stage};
use serde::Serialize;
use std::sync::Arc;

/// What differs between the stage, ambassador and company searches.
pub(crate) trait Kind {
    /// The French noun, singular and plural, for summaries.
    const NOUN: (&'static str, &'static str);
    type Facts: Identified;
    type Item: Serialize + Clone;
    fn table(index: &CatalogIndex) -> &Table<Self::Facts>;
    /// Hard filters specific to the kind.
    fn passes(query: &Query, ctx: &Context<'_>, facts: &Self::Facts, distance: Option<f64>)
        -> bool;
    /// Reach of the candidate scan (teacher searches use the ambassadors' own radius).
    fn scan_reach(ctx: &Context<'_>) -> f64 {
        ctx.reach
    }
    /// Whether the query radius applies.
    fn radius_applies(ctx: &Context<'_>) -> bool {
        ctx.visit != Visit::Class
    }
    /// Among equal scores with `favour_availability`, smaller first.
    fn availability_key(_facts: &Self::Facts) -> i64 {
        0
    }
    fn responsiveness(_facts: &Self::Facts) -> Option<f64> {
        None
    }
    /// Whether `responsiveness` can give a value (the scan's bound leans on it).
    const RESPONSIVE: bool = false;
    fn extra_reasons(
        index: &CatalogIndex,
        i: usize,
        facts: &Self::Facts,
        words: &mut Words,
        out: &mut Vec<Reason>,
    );
    fn item(catalog: &Catalog, index: &CatalogIndex, i: usize) -> Option<Self::Item>;
}

pub(crate) struct Stages;
pub(crate) struct Ambassadors;
pub(crate) struct Companies;

fn fits_audience(ctx: &Context<'_>, bits: u8) -> bool {
    ctx.audience == 0 || bits & ctx.audience != 0
}

impl Kind for Stages {
    const NOUN: (&'static str, &'static str) = ("stage", "stages");
    type Facts = StageFacts;
    type Item = Arc<Stage>;
    fn table(index: &CatalogIndex) -> &Table<StageFacts> {
        &index.stages
    }
    fn passes(query: &Query, ctx: &Context<'_>, f: &StageFacts, _: Option<f64>) -> bool {
        f.places_left > 0
            && (query.kinds.is_empty() || query.kinds.contains(&f.kind))
            && fits_audience(ctx, f.audiences)
            && ctx
                .dates
                .is_none_or(|free| f.stage.periods.iter().any(|p| free.contains(p)))
            && query
                .group_size
                .is_none_or(|n| f.max_group.is_some_and(|g| g >= n))
    }
    fn availability_key(f: &StageFacts) -> i64 {
        -i64::from(f.places_left)
    }
    fn extra_reasons(
        _: &CatalogIndex,
        _: usize,
        f: &StageFacts,
        words: &mut Words,
        out: &mut Vec<Reason>,
    ) {
        let left = Some(f64::from(f.places_left));
        out.push(Reason::new(
            words,
            ReasonKind::PlacesLeft,
            (None, None),
            left,
        ));
    }
    fn item(_: &Catalog, index: &CatalogIndex, i: usize) -> Option<Arc<Stage>> {
        Some(Arc::clone(&index.stages.facts[i].stage))
    }
}

impl Kind for Ambassadors {
    const NOUN: (&'static str, &'static str) = ("ambassadeur", "ambassadeurs");
    type Facts = AmbassadorFacts;
    type Item = Arc<Ambassador>;
    fn table(index: &CatalogIndex) -> &Table<AmbassadorFacts> {
        &index.ambassadors
    }
    fn passes(
        query: &Query,
        ctx: &Context<'_>,
        f: &AmbassadorFacts,
        distance: Option<f64>,
    ) -> bool {
        let group_ok = |g: Option<u16>| match (g, query.group_size) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(g), Some(n)) => g >= n,
        };
        let visit_ok = match ctx.visit {
            Visit::None => true,
            Visit::Class => {
                group_ok(f.class_group)
                    && matches!((distance, f.travel_radius_km), (Some(d), Some(r)) if d <= r)
            }
            Visit::Company => group_ok(f.company_group),
        };
        visit_ok
            && fits_audience(ctx, f.audiences)
            && (query.contact_modes.is_empty()
                || f.modes.iter().any(|m| query.contact_modes.contains(m)))
            && ctx.dates.is_none_or(|d| {
                (f.availability.is_empty() || f.availability.iter().any(|a| a.overlaps(&d)))
                    && f.modes.iter().any(|m| {
                        (query.contact_modes.is_empty() || query.contact_modes.contains(m))
                            && !f
                                .full
                                .iter()
                                .any(|(fm, p)| fm == m && p.start <= d.start && d.start <= p.end)
                    })
            })
    }
    fn scan_reach(ctx: &Context<'_>) -> f64 {
        if ctx.visit == Visit::Class {
            500.0 // the largest travel radius validation accepts
        } else {
            ctx.reach
        }
    }
    fn availability_key(f: &AmbassadorFacts) -> i64 {
        i64::from(f.bookings)
    }
    const RESPONSIVE: bool = true;
    fn responsiveness(f: &AmbassadorFacts) -> Option<f64> {
        f.response_rate
    }
    fn extra_reasons(
        _: &CatalogIndex,
        _: usize,
        f: &AmbassadorFacts,
        words: &mut Words,
        out: &mut Vec<Reason>,
    ) {
        out.push(Reason::contact(words, f.modes.clone()));
        if let (Some(r), true) = (f.travel_radius_km, f.class_group.is_some()) {
            out.push(Reason::new(
                words,
                ReasonKind::Travel,
                (None, None),
                Some(r),
            ));
        }
    }
    fn item(_: &Catalog, index: &CatalogIndex, i: usize) -> Option<Arc<Ambassador>> {
        Some(Arc::clone(&index.ambassadors.facts[i].ambassador))
    }
}

impl Kind for Companies {
    const NOUN: (&'static str, &'static str) = ("entreprise", "entreprises");
    type Facts = CompanyFacts;
    type Item = CompanySummary;
    fn table(index: &CatalogIndex) -> &Table<CompanyFacts> {
        &index.companies
    }
    fn passes(_: &Query, _: &Context<'_>, _: &CompanyFacts, _: Option<f64>) -> bool {
        true
    }
    fn extra_reasons(
        index: &CatalogIndex,
        i: usize,
        _: &CompanyFacts,
        words: &mut Words,
        out: &mut Vec<Reason>,
    ) {
        let (s, a) = company_counts(index, i);
        if s + a == 0 {
            return;
        }
        out.push(Reason::offers(words, s, a));
    }
    fn item(catalog: &Catalog, index: &CatalogIndex, i: usize) -> Option<CompanySummary> {
        let (stages, ambassadors) = company_counts(index, i);
        Some(CompanySummary {
            company: catalog.company(index.companies.id(i)).ok()?.clone(),
            stages,
            ambassadors,
        })
    }
}

fn company_counts(index: &CatalogIndex, i: usize) -> (u32, u32) {
    index
        .company_counts
        .get(index.companies.common[i].company as usize)
        .copied()
        .unwrap_or_default()
}
