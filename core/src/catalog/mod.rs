//! The catalogue: companies, ambassadors and stages, keyed by id.
//!
//! Entities enter through [`crate::Engine`], which validates them ([`Validator`]); the catalogue
//! itself keeps them in id order (deterministic iteration) and applies updates and reservations.

mod additions;
mod keyed;
pub(crate) mod load;
mod location;
mod model;
pub(crate) mod sample;
mod sessions;
mod validate;

pub(crate) use additions::Additions;
pub use load::{csv_columns, Entity, LoadMode, LoadReport};
pub use sessions::Full;
pub(crate) use sessions::{month_of, week_of};

pub use model::{
    Ambassador, AmbassadorKind, Audience, Booked, Company, Contact, ContactMode, Location,
    SizeBand, Stage, StageKind,
};
pub use sample::SampleSpec;
pub(crate) use validate::check_id;
pub use validate::{check_siret, Validator};

use crate::error::{Error, Result};
use keyed::{ById, ItemsById, Keyed};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Companies, ambassadors and stages, each keyed by its id.
///
/// Ambassadors and stages are shared (`Arc`): a search result holds the same item as the
/// catalogue instead of a copy, and an update copies an item only while a result still holds it.
/// Their trees are ordered by the items' own ids (`keyed`), with no copy of them.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    companies: BTreeMap<String, Company>,
    ambassadors: ItemsById<Ambassador>,
    stages: ItemsById<Stage>,
    revision: u64,
}

impl Catalog {
    /// An empty catalogue.
    pub fn new() -> Catalog {
        Catalog::default()
    }

    /// Changes each time the catalogue changes (for caches built on it).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Companies in id order.
    pub fn companies(&self) -> impl ExactSizeIterator<Item = &Company> {
        self.companies.values()
    }

    /// Ambassadors in id order.
    pub fn ambassadors(&self) -> impl ExactSizeIterator<Item = &Ambassador> {
        self.ambassadors.iter().map(|a| &*a.0)
    }

    /// Stages in id order.
    pub fn stages(&self) -> impl ExactSizeIterator<Item = &Stage> {
        self.stages.iter().map(|s| &*s.0)
    }

    /// Ambassadors in id order, shared.
    pub(crate) fn shared_ambassadors(&self) -> impl Iterator<Item = &Arc<Ambassador>> {
        self.ambassadors.iter().map(|a| &a.0)
    }

    /// Stages in id order, shared.
    pub(crate) fn shared_stages(&self) -> impl Iterator<Item = &Arc<Stage>> {
        self.stages.iter().map(|s| &s.0)
    }

    /// A company by id.
    pub fn company(&self, id: &str) -> Result<&Company> {
        self.companies
            .get(id)
            .ok_or_else(|| Error::not_found(crate::error::Lookup::Company, id))
    }

    /// An ambassador by id.
    pub fn ambassador(&self, id: &str) -> Result<&Ambassador> {
        self.ambassador_shared(id).map(|a| &**a)
    }

    /// An ambassador by id, shared with the catalogue.
    pub fn ambassador_shared(&self, id: &str) -> Result<&Arc<Ambassador>> {
        self.ambassadors
            .get(id)
            .map(|a| &a.0)
            .ok_or_else(|| Error::not_found(crate::error::Lookup::Ambassador, id))
    }

    /// A stage by id.
    pub fn stage(&self, id: &str) -> Result<&Stage> {
        self.stage_shared(id).map(|s| &**s)
    }

    /// A stage by id, shared with the catalogue.
    pub fn stage_shared(&self, id: &str) -> Result<&Arc<Stage>> {
        self.stages
            .get(id)
            .map(|s| &s.0)
            .ok_or_else(|| Error::not_found(crate::error::Lookup::Stage, id))
    }

    /// True when the catalogue has nothing.
    pub fn is_empty(&self) -> bool {
        self.companies.is_empty() && self.ambassadors.is_empty() && self.stages.is_empty()
    }

    pub(crate) fn insert_company(&mut self, c: Company, replace: bool) -> Result<()> {
        insert(
            &mut self.companies,
            crate::error::Lookup::Company,
            c.id.clone(),
            c,
            replace,
        )?;
        self.revision = self.revision.wrapping_add(1);
        Ok(())
    }

    pub(crate) fn insert_ambassador(&mut self, a: Ambassador, replace: bool) -> Result<()> {
        insert_shared(
            &mut self.ambassadors,
            crate::error::Lookup::Ambassador,
            Arc::new(a),
            replace,
        )?;
        self.revision = self.revision.wrapping_add(1);
        Ok(())
    }

    pub(crate) fn insert_stage(&mut self, s: Stage, replace: bool) -> Result<()> {
        insert_shared(
            &mut self.stages,
            crate::error::Lookup::Stage,
            Arc::new(s),
            replace,
        )?;
        self.revision = self.revision.wrapping_add(1);
        Ok(())
    }

    /// Takes a load's additions (their ids new to this catalogue: [`Additions::add_stage`]).
    pub(crate) fn absorb(&mut self, added: Additions) {
        let count = added.len() as u64;
        let Additions {
            companies,
            ambassadors,
            stages,
        } = added;
        merge(&mut self.companies, companies);
        merge(&mut self.ambassadors, ambassadors.into_tree());
        merge(&mut self.stages, stages.into_tree());
        // One change an item, as adding them one by one counts.
        self.revision = self.revision.wrapping_add(count);
    }

    /// Removes a company. Refused while stages or ambassadors still name it: remove or move
    /// them first, so nothing is left pointing nowhere.
    pub fn remove_company(&mut self, id: &str) -> Result<Company> {
        self.company(id)?;
        let stages = self.stages().filter(|s| &*s.company == id).count();
        let ambassadors = self
            .ambassadors()
            .filter(|a| a.company.as_deref() == Some(id))
            .count();
        if stages > 0 || ambassadors > 0 {
            return Err(Error::conflict(format!(
                "company {id:?} still has {stages} stage(s) and {ambassadors} ambassador(s): remove them first"
            )));
        }
        let removed = self
            .companies
            .remove(id)
            .ok_or_else(|| Error::not_found(crate::error::Lookup::Company, id))?;
        self.revision = self.revision.wrapping_add(1);
        Ok(removed)
    }

    /// Removes an ambassador.
    pub fn remove_ambassador(&mut self, id: &str) -> Result<Ambassador> {
        let a = self
            .ambassadors
            .take(id)
            .ok_or_else(|| Error::not_found(crate::error::Lookup::Ambassador, id))?;
        self.revision = self.revision.wrapping_add(1);
        Ok(Arc::unwrap_or_clone(a.0))
    }

    /// Removes a stage.
    pub fn remove_stage(&mut self, id: &str) -> Result<Stage> {
        let s = self
            .stages
            .take(id)
            .ok_or_else(|| Error::not_found(crate::error::Lookup::Stage, id))?;
        self.revision = self.revision.wrapping_add(1);
        Ok(Arc::unwrap_or_clone(s.0))
    }

    /// Takes `count` places of a stage; returns the places left. Never below zero.
    pub fn reserve(&mut self, stage_id: &str, count: u32) -> Result<u32> {
        self.change_places(stage_id, count, |s| {
            let left = s.places_left();
            if count > left {
                return Err(Error::conflict(format!(
                    "stage {stage_id:?} has {left} place(s) left, {count} asked"
                )));
            }
            s.places_left = Some(left.saturating_sub(count)); // count ≤ left, checked above
            Ok(left.saturating_sub(count))
        })
    }

    /// Gives back `count` places of a stage; returns the places left. Never above the total.
    pub fn release(&mut self, stage_id: &str, count: u32) -> Result<u32> {
        self.change_places(stage_id, count, |s| {
            let left = s.places_left();
            if left.checked_add(count).is_none_or(|n| n > s.places_total) {
                return Err(Error::conflict(format!(
                    "stage {stage_id:?} has {left} of {} place(s) left: releasing {count} would exceed the total",
                    s.places_total
                )));
            }
            let now = left.saturating_add(count); // checked above: at most places_total
            s.places_left = Some(now);
            Ok(now)
        })
    }

    /// Changes the places of a stage with `change` (which leaves its id as it is): the stage
    /// is taken out of its tree and put back, a tree of items ordered by their own ids having
    /// no `get_mut`. The revision moves when the change is made.
    fn change_places(
        &mut self,
        stage_id: &str,
        count: u32,
        change: impl FnOnce(&mut Stage) -> Result<u32>,
    ) -> Result<u32> {
        if count == 0 {
            return Err(Error::invalid(
                "count",
                "0",
                "reserve or release at least one place",
            ));
        }
        let mut stage = self
            .stages
            .take(stage_id)
            .ok_or_else(|| Error::not_found(crate::error::Lookup::Stage, stage_id))?;
        let changed = change(Arc::make_mut(&mut stage.0));
        self.stages.insert(stage);
        if changed.is_ok() {
            self.revision = self.revision.wrapping_add(1);
        }
        changed
    }
}

fn insert<T>(
    map: &mut BTreeMap<String, T>,
    kind: crate::error::Lookup,
    id: String,
    value: T,
    replace: bool,
) -> Result<()> {
    may_insert(map.contains_key(&id), replace, kind, &id)?;
    map.insert(id, value);
    Ok(())
}

/// [`insert`] for items ordered by their own ids.
fn insert_shared<T: Keyed>(
    tree: &mut ItemsById<T>,
    kind: crate::error::Lookup,
    value: Arc<T>,
    replace: bool,
) -> Result<()> {
    may_insert(tree.contains(value.key()), replace, kind, value.key())?;
    tree.replace(ById(value));
    Ok(())
}

/// An item of a known id only replaces, an item of a new id only adds.
fn may_insert(known: bool, replace: bool, kind: crate::error::Lookup, id: &str) -> Result<()> {
    match (known, replace) {
        (true, false) => Err(additions::conflict(kind, id)),
        (false, true) => Err(Error::not_found(kind, id)),
        _ => Ok(()),
    }
}

/// What [`merge`] needs of a tree: `BTreeMap`'s and `BTreeSet`'s own methods.
trait Tree: IntoIterator + Extend<<Self as IntoIterator>::Item> {
    fn size(&self) -> usize;
    fn take_all(&mut self, other: &mut Self);
}

impl<K: Ord, V> Tree for BTreeMap<K, V> {
    fn size(&self) -> usize {
        self.len()
    }
    fn take_all(&mut self, other: &mut Self) {
        self.append(other);
    }
}

impl<T: Ord> Tree for std::collections::BTreeSet<T> {
    fn size(&self) -> usize {
        self.len()
    }
    fn take_all(&mut self, other: &mut Self) {
        self.append(other);
    }
}

/// Moves `added` (keys all new to `map`) into `map`: a few are inserted one by one, many merged
/// in one pass (`append` rebuilds the tree from both sorted sequences: linear, where a million
/// inserts each compare ids down the tree).
fn merge<M: Tree>(map: &mut M, mut added: M) {
    if map.size() == 0 {
        *map = added;
    } else if added.size().saturating_mul(16) < map.size() {
        map.extend(added);
    } else {
        map.take_all(&mut added);
    }
}
