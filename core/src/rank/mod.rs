//! Ranking: queries, hard filters, scores, explanations. The formula is in `docs/ranking.md`.
//!
//! ```
//! use metiers::{Engine, Query};
//! let engine = Engine::normandy()?;
//! let page = engine.search_stages(&Query::near("Flers").radius(30.0).interest("J'aime le travail manuel"))?;
//! for m in &page.matches {
//!     println!("{:.3} {} {}", m.score, m.item.title.as_deref().unwrap_or(""), m.reasons.join(" · "));
//! }
//! # Ok::<(), metiers::Error>(())
//! ```

// Indices below come from the catalogue index's own rows; page arithmetic is saturating.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

mod context;
mod discover;
mod index;
mod kinds;
mod prefilter;
mod query;
mod relevance;
mod result;
mod scan;
mod teacher;

pub use context::distance_decay;
pub use discover::MetierPage;
pub(crate) use index::{audience_bits, CatalogIndex, Common, Grid};
pub(crate) use query::radius_checked;
pub use query::{
    Fairness, Query, Scope, Weights, DEFAULT_LIMIT, DEFAULT_RADIUS_KM, DEFAULT_ROTATION_MARGIN,
    MAX_LIMIT, MAX_RADIUS_KM,
};
pub use relevance::{
    INTEREST_OTHER, INTEREST_PRINCIPAL, MOBILITE_FIRST, MOBILITE_FLOOR, MOBILITE_STEP,
    SAME_DOMAINE, SAME_FICHE, SAME_GRAND_DOMAINE, SAME_METIER, SECTOR_PARTIAL,
};
pub use result::{
    CompanySummary, Components, Match, MetierNearby, NextStep, Reason, ReasonKind, SearchResult,
};

use crate::catalog::{Ambassador, Stage};
use crate::error::Result;
use context::{context, Context, Visit};
use kinds::{Ambassadors, Companies, Kind, Stages};
use result::Words;
use scan::{order, scan, scan_for_page, to_match, Scored};
use std::collections::HashSet;
use std::sync::Arc;

/// Radii offered as next steps, in km.
const RADIUS_STEPS: [f64; 3] = [50.0, 100.0, 200.0];

struct Step {
    label: String,
    widened: String,
    radius: f64,
    scope: Scope,
}

/// The next steps offered when results are few: wider radii, then wider interest links.
fn steps(query: &Query, radius: f64, scope: Scope, has_origin: bool, asked: bool) -> Vec<Step> {
    let mut steps = Vec::new();
    if has_origin {
        for r in RADIUS_STEPS.into_iter().filter(|&r| r > radius).take(2) {
            steps.push(Step {
                label: format!("Élargir à {r:.0} km"),
                widened: format!("rayon élargi à {r:.0} km"),
                radius: r,
                scope,
            });
        }
    }
    if asked && query.scope.unwrap_or_default() < Scope::Domaine {
        if scope < Scope::Proches {
            steps.push(Step {
                label: "Ajouter les métiers proches".into(),
                widened: "métier proche".into(),
                radius,
                scope: Scope::Proches,
            });
        }
        steps.push(Step {
            label: "Tout le domaine".into(),
            widened: "domaine entier".into(),
            radius,
            scope: Scope::Domaine,
        });
    }
    steps
}

/// What a search reads: the engine's parts, borrowed (the engine hands them over, so ranking
/// does not depend on the engine).
#[derive(Clone, Copy)]
pub(crate) struct Searcher<'a> {
    pub rome: &'a crate::referential::Referential,
    pub geo: &'a crate::geo::Geography,
    pub catalog: &'a crate::catalog::Catalog,
    pub index: &'a CatalogIndex,
}

/// What widening found: the next steps, and per step its label and the context that scored
/// its results.
#[derive(Default)]
struct Widening<'a> {
    next_steps: Vec<NextStep>,
    labels: Vec<String>,
    contexts: Vec<Context<'a>>,
}

/// A page of results, with its French summary (noun of the kind, radius shown).
fn page<T>(
    query: &Query,
    limit: usize,
    total: usize,
    matches: Vec<crate::Match<T>>,
    next_steps: Vec<crate::NextStep>,
    ctx: &Context<'_>,
    (noun, radius): ((&str, &str), Option<f64>),
) -> SearchResult<T> {
    let shown = (query.offset, matches.len());
    SearchResult {
        total,
        offset: query.offset,
        limit,
        summary: crate::wording::summary(total, shown, noun, ctx.near.as_ref(), radius),
        origin: ctx.near.clone(),
        matches,
        next_steps,
    }
}

impl<'a> Searcher<'a> {
    fn run<K: Kind>(&self, query: &Query, visit: Visit) -> Result<SearchResult<K::Item>> {
        let limit = query.limit_checked()?;
        let radius = query.radius_checked()?;
        let scope = query.scope.unwrap_or_default();
        let ctx = context(self.rome, self.geo, query, scope, radius, visit)?;
        let index = self.index;
        let keep = query.skipped().saturating_add(limit);
        // Candidates that cannot reach the page are counted, not scored (`pruned`); a page
        // that prunes holds at least `keep` scored ones, so it never widens.
        let (scored, pruned) = scan_for_page::<K>(index, &ctx, query, Some(keep));
        let mut list = order::<K>(index, query, scored, keep);
        let widening = if list.len() < limit && visit == Visit::None {
            self.widen::<K>(query, &ctx, (radius, scope, keep), &mut list)
        } else {
            Widening::default()
        };
        let mut words = Words::default();
        let matches = list
            .iter()
            .skip(query.skipped())
            .take(limit)
            .filter_map(|s| {
                let scored_by = s
                    .widened
                    .and_then(|k| widening.contexts.get(usize::from(k)))
                    .unwrap_or(&ctx);
                let by = (scored_by, &mut words);
                to_match::<K>(index, self.catalog, by, s, &widening.labels)
            })
            .collect::<Vec<_>>();
        let shown_radius = (visit != Visit::Class).then_some(radius);
        Ok(page(
            query,
            limit,
            list.len() + pruned,
            matches,
            widening.next_steps,
            &ctx,
            (K::NOUN, shown_radius),
        ))
    }

    /// The next steps of a page with too few results (wider radii, then the whole domaine),
    /// with their counts; with `widen`, their results join the list, each marked by its step.
    fn widen<K: Kind>(
        &self,
        query: &Query,
        ctx: &Context<'a>,
        (radius, scope, keep): (f64, Scope, usize),
        list: &mut Vec<Scored>,
    ) -> Widening<'a> {
        let index = self.index;
        let mut out = Widening::default();
        let base = list.len();
        let steps = steps(
            query,
            radius,
            scope,
            ctx.origin.is_some(),
            ctx.relevance.asked,
        );
        // One scan reaches the widest radius step; each step counts what lies within it.
        // Widened items keep the query's own formula (their distance decays further).
        let reach = steps
            .iter()
            .filter(|s| s.scope == scope)
            .map(|s| s.radius)
            .fold(radius, f64::max);
        let wide = if reach > radius {
            scan::<K>(
                index,
                &Context {
                    reach,
                    ..ctx.clone()
                },
                query,
            )
        } else {
            Vec::new()
        };
        let mut present: HashSet<u32> = list.iter().map(|s| s.i).collect();
        for step in steps {
            let label_index = out.labels.len() as u8;
            out.labels.push(step.widened.clone());
            let more = if step.scope == scope {
                out.contexts.push(ctx.clone());
                let within: Vec<Scored> = wide
                    .iter()
                    .filter(|s| s.distance.is_none_or(|d| d <= step.radius))
                    .cloned()
                    .collect();
                order::<K>(index, query, within, keep.saturating_add(base))
            } else {
                // The query's own context in a wider scope (the same as `context` would build
                // for the step, without resolving the query again).
                let wider = Context {
                    radius: step.radius,
                    reach: step.radius,
                    relevance: Arc::new(ctx.relevance.with_scope(self.rome, step.scope)),
                    ..ctx.clone()
                };
                let found = scan::<K>(index, &wider, query);
                out.contexts.push(wider);
                order::<K>(index, query, found, keep.saturating_add(base))
            };
            if more.len() <= base {
                continue;
            }
            let (one, many) = K::NOUN;
            out.next_steps.push(NextStep {
                text: format!(
                    "{} ({})",
                    step.label,
                    crate::wording::count(more.len(), one, many)
                ),
                label: step.label,
                radius_km: Some(step.radius),
                scope: Some(step.scope),
                total: more.len(),
            });
            if query.widen && list.len() < keep {
                for mut s in more {
                    if present.insert(s.i) {
                        s.widened = Some(label_index);
                        list.push(s);
                    }
                }
            }
        }
        out
    }

    pub(crate) fn search_stages(&self, query: &Query) -> Result<SearchResult<Arc<Stage>>> {
        self.run::<Stages>(query, Visit::None)
    }

    pub(crate) fn search_ambassadors(
        &self,
        query: &Query,
    ) -> Result<SearchResult<Arc<Ambassador>>> {
        self.run::<Ambassadors>(query, Visit::None)
    }

    pub(crate) fn search_companies(&self, query: &Query) -> Result<SearchResult<CompanySummary>> {
        self.run::<Companies>(query, Visit::None)
    }

    pub(crate) fn ambassadors_for_class(
        &self,
        query: &Query,
    ) -> Result<SearchResult<Arc<Ambassador>>> {
        self.run::<Ambassadors>(query, Visit::Class)
    }

    pub(crate) fn search_stages_batch(
        &self,
        queries: &[Query],
    ) -> Vec<Result<SearchResult<Arc<Stage>>>> {
        map_maybe_parallel(queries, |q| self.search_stages(q))
    }

    pub(crate) fn search_ambassadors_batch(
        &self,
        queries: &[Query],
    ) -> Vec<Result<SearchResult<Arc<Ambassador>>>> {
        map_maybe_parallel(queries, |q| self.search_ambassadors(q))
    }

    pub(crate) fn search_companies_batch(
        &self,
        queries: &[Query],
    ) -> Vec<Result<SearchResult<CompanySummary>>> {
        map_maybe_parallel(queries, |q| self.search_companies(q))
    }
}

/// Whether batches may use threads (feature `parallel`); one switch for the process.
static PARALLEL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Turns parallel batches on or off for the whole process. A child process forked after
/// batches ran must turn them off: the thread pool does not survive a fork (the Python package
/// does this in its `os.register_at_fork` hook). Results are the same either way.
pub fn set_parallel(enabled: bool) {
    PARALLEL.store(enabled, std::sync::atomic::Ordering::SeqCst);
}

/// Whether batches currently use threads.
pub fn parallel() -> bool {
    cfg!(feature = "parallel") && PARALLEL.load(std::sync::atomic::Ordering::SeqCst)
}

#[cfg(feature = "parallel")]
pub(crate) fn map_maybe_parallel<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    use rayon::prelude::*;
    if parallel() {
        items.par_iter().map(f).collect()
    } else {
        items.iter().map(f).collect()
    }
}

#[cfg(not(feature = "parallel"))]
pub(crate) fn map_maybe_parallel<T, R>(items: &[T], f: impl Fn(&T) -> R) -> Vec<R> {
    items.iter().map(f).collect()
}

/// `f(state, i)` for each `i` in `0..len`, in order, on both threads where there are two,
/// each thread with a `state` of its own from `init` (a copy of shared texts, so that two
/// threads never count references to the same one).
#[cfg(feature = "parallel")]
pub(crate) fn build_maybe_parallel<S, R: Send>(
    len: usize,
    init: impl Fn() -> S + Sync + Send,
    f: impl Fn(&mut S, usize) -> R + Sync + Send,
) -> Vec<R> {
    use rayon::prelude::*;
    if parallel() {
        (0..len).into_par_iter().map_init(init, f).collect()
    } else {
        let mut state = init();
        (0..len).map(|i| f(&mut state, i)).collect()
    }
}

#[cfg(not(feature = "parallel"))]
pub(crate) fn build_maybe_parallel<S, R>(
    len: usize,
    init: impl Fn() -> S,
    f: impl Fn(&mut S, usize) -> R,
) -> Vec<R> {
    let mut state = init();
    (0..len).map(|i| f(&mut state, i)).collect()
}
