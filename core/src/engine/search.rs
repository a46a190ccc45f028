//! The searches of the engine: each hands the engine's parts to the ranking
//! (`rank::Searcher`), building the catalogue index first when a change emptied it.
//! `docs/ranking.md` documents the formula.

use super::options::settle;
use super::Engine;
use super::{BatchOptions, BatchPage, SearchKind};
use crate::catalog::{Ambassador, Stage};
use crate::error::Error;
use crate::error::Result;
use crate::rank::Searcher;
use crate::{CompanySummary, MetierPage, Query, SearchResult};
use std::sync::Arc;

impl Engine {
    fn searcher(&self) -> Searcher<'_> {
        Searcher {
            rome: &self.rome,
            geo: &self.geo,
            catalog: &self.catalog,
            index: self.index(),
        }
    }

    /// Stages that fit the query, best first.
    ///
    /// ```
    /// let engine = metiers::Engine::normandy()?;
    /// let q = metiers::Query::near("Flers").radius(20.0).interest("J'aime le travail manuel");
    /// let page = engine.search_stages(&q)?;
    /// assert!(page.summary.starts_with(&format!("{} stage", page.total)));
    /// let err = engine.search_stages(&metiers::Query::near("Saint-Denis")).unwrap_err();
    /// assert_eq!(err.code(), "ambiguous_place"); // Saint-Denis-le-Ferment, -de-Méré…: a choice
    /// # Ok::<(), metiers::Error>(())
    /// ```
    ///
    /// Errors: `invalid_input` naming the field (a radius, limit or weight out of range, an
    /// unknown word), `ambiguous_place` when `near` could mean several places (with the
    /// candidates), `not_found` for a place, métier or centre d'intérêt that matches nothing.
    pub fn search_stages(&self, query: &Query) -> Result<SearchResult<Arc<Stage>>> {
        self.searcher().search_stages(query)
    }

    /// Ambassadors that fit the query, best first.
    ///
    /// Errors: `invalid_input` naming the field (a radius, limit or weight out of range, an
    /// unknown word), `ambiguous_place` when `near` could mean several places (with the
    /// candidates), `not_found` for a place, métier or centre d'intérêt that matches nothing.
    pub fn search_ambassadors(&self, query: &Query) -> Result<SearchResult<Arc<Ambassador>>> {
        self.searcher().search_ambassadors(query)
    }

    /// Companies whose stages or ambassadors fit the query, best first.
    ///
    /// Errors: `invalid_input` naming the field (a radius, limit or weight out of range, an
    /// unknown word), `ambiguous_place` when `near` could mean several places (with the
    /// candidates), `not_found` for a place, métier or centre d'intérêt that matches nothing.
    pub fn search_companies(&self, query: &Query) -> Result<SearchResult<CompanySummary>> {
        self.searcher().search_companies(query)
    }

    /// Teacher search: ambassadors who give talks in class and whose travel radius reaches the
    /// school (`near`); with `group_size`, their largest group must take the class.
    ///
    /// Errors: `invalid_input` naming the field (a radius, limit or weight out of range, an
    /// unknown word), `ambiguous_place` when `near` could mean several places (with the
    /// candidates), `not_found` for a place, métier or centre d'intérêt that matches nothing.
    pub fn ambassadors_for_class(&self, query: &Query) -> Result<SearchResult<Arc<Ambassador>>> {
        self.searcher().ambassadors_for_class(query)
    }

    /// Teacher search: companies within the radius that can receive a class of `group_size`
    /// pupils (an ambassador of theirs offers company visits for a group that large, available
    /// on `dates` when given).
    ///
    /// Errors: `invalid_input` naming the field (a radius, limit or weight out of range, an
    /// unknown word), `ambiguous_place` when `near` could mean several places (with the
    /// candidates), `not_found` for a place, métier or centre d'intérêt that matches nothing.
    pub fn companies_for_class(&self, query: &Query) -> Result<SearchResult<CompanySummary>> {
        self.searcher().companies_for_class(query)
    }

    /// Métiers one can discover near a place: those with at least one stage or ambassador
    /// within the radius that pass the filters, ranked by interest (when asked), then by how
    /// many offers, then by the nearest one.
    ///
    /// Errors: `invalid_input` naming the field (a radius, limit or weight out of range, an
    /// unknown word), `ambiguous_place` when `near` could mean several places (with the
    /// candidates), `not_found` for a place, métier or centre d'intérêt that matches nothing.
    pub fn metiers_near(&self, query: &Query) -> Result<MetierPage> {
        self.searcher().metiers_near(query)
    }

    /// Many stage searches at once (each result is that query's, errors included: see
    /// [`Engine::search_batch`] for the `raise`/`keep` protocol the bindings use); in parallel with the `parallel` feature. Same results as
    /// one by one, in the same order.
    pub fn search_stages_batch(&self, queries: &[Query]) -> Vec<Result<SearchResult<Arc<Stage>>>> {
        self.searcher().search_stages_batch(queries)
    }

    /// Many ambassador searches at once.
    pub fn search_ambassadors_batch(
        &self,
        queries: &[Query],
    ) -> Vec<Result<SearchResult<Arc<Ambassador>>>> {
        self.searcher().search_ambassadors_batch(queries)
    }

    /// Many company searches at once.
    pub fn search_companies_batch(
        &self,
        queries: &[Query],
    ) -> Vec<Result<SearchResult<CompanySummary>>> {
        self.searcher().search_companies_batch(queries)
    }

    /// Many searches of one kind (in parallel with the `parallel` feature), each query read on
    /// its own; with `errors: raise` the first failure by position is the batch's error, with `keep`
    /// every place holds its result or its error. Each result is the page of the batch's kind,
    /// as the search of that kind gives it.
    pub fn search_batch(
        &self,
        kind: SearchKind,
        queries: Vec<Result<Query>>,
        options: BatchOptions,
    ) -> Result<Vec<Result<BatchPage>>> {
        fn pages<T>(found: Vec<Result<T>>, page: fn(T) -> BatchPage) -> Vec<Result<BatchPage>> {
            found.into_iter().map(|r| r.map(page)).collect()
        }
        super::check_batch_len(queries.len())?;
        let ok: Vec<Query> = queries
            .iter()
            .filter_map(|q| q.as_ref().ok().cloned())
            .collect();
        let found = match kind {
            SearchKind::Stages => pages(self.search_stages_batch(&ok), BatchPage::Stages),
            SearchKind::Ambassadors => {
                pages(self.search_ambassadors_batch(&ok), BatchPage::Ambassadors)
            }
            SearchKind::Companies => pages(self.search_companies_batch(&ok), BatchPage::Companies),
        };
        let mut found = found.into_iter();
        let results = queries
            .into_iter()
            .map(|q| {
                q.and_then(|_| {
                    found
                        .next()
                        .unwrap_or_else(|| Err(Error::Internal("batch size".into())))
                })
            })
            .collect();
        settle(results, options)
    }
}
