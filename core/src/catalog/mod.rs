//! The catalogue: companies, ambassadors and stages, keyed by id.
//!
//! Entities enter through [`crate::Engine`], which validates them ([`Validator`]); the catalogue
//! itself keeps them in id order (deterministic iteration) and applies updates and reservations.

mod additions;
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
use std::collections::BTreeMap;
use std::sync::Arc;

/// Companies, ambassadors and stages, each keyed by its id.
///
/// Ambassadors and stages are shared (`Arc`): a search result holds the same item as the
/// catalogue instead of a copy, and an update copies an item only while a result still holds it.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    companies: BTreeMap<String, Company>,
    ambassadors: BTreeMap<String, Arc<Ambassador>>,
    stages: BTreeMap<String, Arc<Stage>>,
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
        self.ambassadors.values().map(|a| &**a)
    }

    /// Stages in id order.
    pub fn stages(&self) -> impl ExactSizeIterator<Item = &Stage> {
        self.stages.values().map(|s| &**s)
    }

    /// Ambassadors in id order, shared.
    pub(crate) fn shared_ambassadors(&self) -> impl Iterator<Item = &Arc<Ambassador>> {
        self.ambassadors.values()
    }

    /// Stages in id order, shared.
    pub(crate) fn shared_stages(&self) -> impl Iterator<Item = &Arc<Stage>> {
        self.stages.values()
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
        insert(
            &mut self.ambassadors,
            crate::error::Lookup::Ambassador,
            a.id.clone(),
            Arc::new(a),
            replace,
        )?;
        self.revision = self.revision.wrapping_add(1);
        Ok(())
    }

    pub(crate) fn insert_stage(&mut self, s: Stage, replace: bool) -> Result<()> {
        insert(
            &mut self.stages,
            crate::error::Lookup::Stage,
            s.id.clone(),
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
        merge(&mut self.ambassadors, ambassadors.into_map());
        merge(&mut self.stages, stages.into_map());
        // One change an item, as adding them one by one counts.
        self.revision = self.revision.wrapping_add(count);
    }

    /// Removes a company. Refused while stages or ambassadors still name it: remove or move
    /// them first, so nothing is left pointing nowhere.
    pub fn remove_company(&mut self, id: &str) -> Result<Company> {
        self.company(id)?;
        let stages = self.stages.values().filter(|s| s.company == id).count();
        let ambassadors = self
            .ambassadors
            .values()
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
            .remove(id)
            .ok_or_else(|| Error::not_found(crate::error::Lookup::Ambassador, id))?;
        self.revision = self.revision.wrapping_add(1);
        Ok(Arc::unwrap_or_clone(a))
    }

    /// Removes a stage.
    pub fn remove_stage(&mut self, id: &str) -> Result<Stage> {
        let s = self
            .stages
            .remove(id)
            .ok_or_else(|| Error::not_found(crate::error::Lookup::Stage, id))?;
        self.revision = self.revision.wrapping_add(1);
        Ok(Arc::unwrap_or_clone(s))
    }

    /// Takes `count` places of a stage; returns the places left. Never below zero.
    pub fn reserve(&mut self, stage_id: &str, count: u32) -> Result<u32> {
        let s = self.stage_mut(stage_id, count)?;
        let left = s.places_left();
        if count > left {
            return Err(Error::conflict(format!(
                "stage {stage_id:?} has {left} place(s) left, {count} asked"
            )));
        }
        s.places_left = Some(left.saturating_sub(count)); // count ≤ left, checked above
        self.revision = self.revision.wrapping_add(1);
        Ok(left.saturating_sub(count))
    }

    /// Gives back `count` places of a stage; returns the places left. Never above the total.
    pub fn release(&mut self, stage_id: &str, count: u32) -> Result<u32> {
        let s = self.stage_mut(stage_id, count)?;
        let left = s.places_left();
        if left.checked_add(count).is_none_or(|n| n > s.places_total) {
            return Err(Error::conflict(format!(
                "stage {stage_id:?} has {left} of {} place(s) left: releasing {count} would exceed the total",
                s.places_total
            )));
        }
        let now = left.saturating_add(count); // checked above: at most places_total
        s.places_left = Some(now);
        self.revision = self.revision.wrapping_add(1);
        Ok(now)
    }

    fn stage_mut(&mut self, stage_id: &str, count: u32) -> Result<&mut Stage> {
        if count == 0 {
            return Err(Error::invalid(
                "count",
                "0",
                "reserve or release at least one place",
            ));
        }
        self.stages
            .get_mut(stage_id)
            .map(Arc::make_mut)
            .ok_or_else(|| Error::not_found(crate::error::Lookup::Stage, stage_id))
    }
}

fn insert<T>(
    map: &mut BTreeMap<String, T>,
    kind: crate::error::Lookup,
    id: String,
    value: T,
    replace: bool,
) -> Result<()> {
    if !replace {
        refuse_known(map, kind, &id)?;
    } else if !map.contains_key(&id) {
        return Err(Error::not_found(kind, id));
    }
    map.insert(id, value);
    Ok(())
}

fn refuse_known<T>(map: &BTreeMap<String, T>, kind: crate::error::Lookup, id: &str) -> Result<()> {
    if map.contains_key(id) {
        return Err(additions::conflict(kind, id));
    }
    Ok(())
}

/// Moves `added` (keys all new to `map`) into `map`: a few are inserted one by one, many merged
/// in one pass (`append` rebuilds the tree from both sorted sequences: linear, where a million
/// inserts each compare ids down the tree).
fn merge<T>(map: &mut BTreeMap<String, T>, mut added: BTreeMap<String, T>) {
    if map.is_empty() {
        *map = added;
    } else if added.len().saturating_mul(16) < map.len() {
        map.extend(added);
    } else {
        map.append(&mut added);
    }
}
