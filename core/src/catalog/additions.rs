//! What a load adds, kept beside the catalogue until the load succeeds
//! ([`Catalog::absorb`](super::Catalog::absorb)).
//!
//! Files list their rows in id order more often than not: an id above the last one added joins
//! a sorted run (one comparison), any other goes to a tree; the catalogue then takes the run in
//! one linear pass. A million inserts into a tree each compared ids all the way down.

use super::keyed::{ById, ItemsById, Keyed};
use super::model::{Ambassador, Company, Stage};
use super::Catalog;
use crate::error::{Error, Lookup, Result};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The error of an id already taken.
pub(super) fn conflict(kind: Lookup, id: &str) -> Error {
    Error::conflict(format!(
        "a {kind} with id {id:?} already exists (use replace to update it)"
    ))
}

/// Items by their id: a sorted run, and the ones that came out of order.
pub(super) struct Pending<T> {
    run: Vec<Arc<T>>,
    rest: ItemsById<T>,
}

impl<T> Default for Pending<T> {
    fn default() -> Self {
        Pending {
            run: Vec::new(),
            rest: ItemsById::new(),
        }
    }
}

impl<T: Keyed> Pending<T> {
    fn get(&self, id: &str) -> Option<&Arc<T>> {
        let in_run = match self.run.last() {
            Some(last) if id <= last.key() => self
                .run
                .binary_search_by(|item| item.key().cmp(id))
                .ok()
                .and_then(|i| self.run.get(i)),
            _ => None,
        };
        in_run.or_else(|| self.rest.get(id).map(|item| &item.0))
    }

    /// Adds an item of a new id: `conflict` when `base` or these have it.
    fn add(&mut self, value: Arc<T>, base: &ItemsById<T>, kind: Lookup) -> Result<()> {
        let id = value.key();
        if base.contains(id) || self.get(id).is_some() {
            return Err(conflict(kind, id));
        }
        match self.run.last() {
            Some(last) if id <= last.key() => {
                self.rest.insert(ById(value));
            }
            _ => self.run.push(value),
        }
        Ok(())
    }

    pub(super) fn len(&self) -> usize {
        self.run.len().saturating_add(self.rest.len())
    }

    /// All of them as a tree (the run built in one pass: it is sorted).
    pub(super) fn into_tree(self) -> ItemsById<T> {
        let Pending { run, mut rest } = self;
        let mut tree: ItemsById<T> = run.into_iter().map(ById).collect();
        if tree.is_empty() {
            return rest;
        }
        tree.append(&mut rest);
        tree
    }
}

/// The companies, ambassadors and stages a load adds. Companies stay a tree: what a load
/// does most with them is find the company of each stage or ambassador, in no order (a sorted
/// run of companies, 240 bytes apart, was twice as slow to search as the tree).
#[derive(Default)]
pub(crate) struct Additions {
    pub(super) companies: BTreeMap<String, Company>,
    pub(super) ambassadors: Pending<Ambassador>,
    pub(super) stages: Pending<Stage>,
}

impl Additions {
    /// A company added here or already in `base` (the catalogue they go to).
    pub(crate) fn company<'c>(&'c self, id: &str, base: &'c Catalog) -> Option<&'c Company> {
        self.companies.get(id).or_else(|| base.companies.get(id))
    }

    /// Adds a company of a new id: `conflict` when `base` or the additions have it.
    pub(crate) fn add_company(&mut self, c: Company, base: &Catalog) -> Result<()> {
        if base.companies.contains_key(&c.id) || self.companies.contains_key(&c.id) {
            return Err(conflict(Lookup::Company, &c.id));
        }
        self.companies.insert(c.id.clone(), c);
        Ok(())
    }

    /// Adds an ambassador of a new id (as [`Additions::add_company`]).
    pub(crate) fn add_ambassador(&mut self, a: Ambassador, base: &Catalog) -> Result<()> {
        self.ambassadors
            .add(Arc::new(a), &base.ambassadors, Lookup::Ambassador)
    }

    /// Adds a stage of a new id (as [`Additions::add_company`]).
    pub(crate) fn add_stage(&mut self, s: Stage, base: &Catalog) -> Result<()> {
        self.stages.add(Arc::new(s), &base.stages, Lookup::Stage)
    }

    /// How many items.
    pub(crate) fn len(&self) -> usize {
        self.companies
            .len()
            .saturating_add(self.ambassadors.len())
            .saturating_add(self.stages.len())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    /// An item of an id and a number.
    #[derive(Debug, PartialEq)]
    struct Item(String, u32);

    impl Keyed for Item {
        fn key(&self) -> &str {
            &self.0
        }
    }

    /// Ids in and out of order, repeated, against a base: the same answers as a tree.
    #[test]
    fn pending_items_are_found_refused_and_ordered_as_in_a_tree() {
        let base: ItemsById<Item> = [ById(Arc::new(Item("m".into(), 0)))].into_iter().collect();
        let mut pending = Pending::default();
        let mut tree = BTreeMap::new();
        let ids = [
            "b", "d", "f", "c", "g", "a", "d", "m", "h", "c", "e", "z", "y",
        ];
        for (i, id) in ids.iter().enumerate() {
            let added = pending.add(
                Arc::new(Item(id.to_string(), i as u32)),
                &base,
                Lookup::Stage,
            );
            let fresh = !base.contains(*id) && !tree.contains_key(*id);
            assert_eq!(added.is_ok(), fresh, "{id}");
            if fresh {
                tree.insert(id.to_string(), i as u32);
            } else {
                assert_eq!(added.unwrap_err().code(), "conflict");
            }
            for probe in [
                "a", "b", "c", "d", "e", "f", "g", "h", "m", "x", "y", "z", "",
            ] {
                let found = pending.get(probe).map(|item| (item.0.as_str(), item.1));
                let expected = tree.get(probe).map(|&n| (probe, n));
                assert_eq!(found, expected, "{probe} after {id}");
            }
        }
        assert_eq!(pending.len(), tree.len());
        let merged: Vec<(String, u32)> = pending
            .into_tree()
            .into_iter()
            .map(|item| (item.0 .0.clone(), item.0 .1))
            .collect();
        assert_eq!(merged, tree.into_iter().collect::<Vec<_>>());
    }
}
