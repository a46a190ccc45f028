//! Eligibility, priority keys and capacity nodes of an [`Instance`]: a stage's week (when
//! `places_per_period` is set), the stage, its company (when `max_pupils` is set); a capacity
//! that cannot bind (it exceeds what the nodes below it can hold) is left out, which changes
//! nothing to the choice and lets minority reserves sit at the top of each chain.

// Sums of capacities are in u64; counts are bounded by the request's pupils.
#![allow(clippy::arithmetic_side_effects)]

use super::accept::{Contract, UNCAPPED};
use super::model::{Level, RefusalCode};
use super::prepare::{key, Instance, NodeInfo, MAX_DISTANCE_M};
use crate::catalog::Stage;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::schools::Priority;
use std::collections::{BTreeMap, BTreeSet, HashMap};

impl Engine {
    /// Eligibility, keys and capacity nodes.
    #[allow(clippy::too_many_lines)] // one pass per level, read top to bottom
    pub(crate) fn lay_out(&self, inst: &mut Instance) -> Result<()> {
        let favoured = |tier: Option<Priority>| tier.is_some();
        // Which weeks of each stage are asked for by an eligible pupil.
        let mut slots: BTreeSet<(usize, usize)> = BTreeSet::new(); // ordered: node numbers are deterministic
        for p in &mut inst.pupils {
            let pupil_period = inst.periods.get(p.period).copied();
            for w in &mut p.wishes {
                let Some(s) = inst.stages.get(w.stage) else {
                    continue;
                };
                let here = s.place.as_ref().and_then(crate::Location::point);
                w.distance_km = here.map_or(0.0, |(lat, lon)| {
                    crate::geo::distance_km(p.point, (lat, lon))
                });
                let eligible = if !s.audiences.is_empty() && !s.audiences.contains(&p.audience) {
                    Err(RefusalCode::Audience)
                } else if !pupil_period
                    .is_some_and(|pp| s.periods.iter().any(|sp| sp.contains(&pp)))
                {
                    Err(RefusalCode::Weeks)
                } else if !s.schools.is_empty() && !s.schools.contains(&p.school) {
                    Err(RefusalCode::OtherSchools)
                } else if s.rep_only && !favoured(p.tier) {
                    Err(RefusalCode::RepOnly)
                } else if s.places_left() == 0 {
                    Err(RefusalCode::NoPlaces)
                } else {
                    Ok(())
                };
                if eligible.is_ok() {
                    slots.insert((w.stage, p.period));
                }
                w.contract = eligible.map(|()| Contract {
                    nodes: [0; 3],
                    len: 0,
                    key: 0,
                    favoured: favoured(p.tier),
                });
            }
        }
        // Capacities, keeping only those that can bind.
        let slot_cap = |s: &Stage| {
            s.places_per_period
                .map_or(UNCAPPED, |x| x.min(s.places_left()))
        };
        let mut stage_slots: BTreeMap<usize, u64> = BTreeMap::new();
        for (stage, _) in &slots {
            if let Some(s) = inst.stages.get(*stage) {
                *stage_slots.entry(*stage).or_default() += u64::from(slot_cap(s));
            }
        }
        let stage_binds = |stage: usize| {
            inst.stages.get(stage).is_some_and(|s| {
                slot_cap(s) == UNCAPPED
                    || u64::from(s.places_left()) < stage_slots.get(&stage).copied().unwrap_or(0)
            })
        };
        let effective = |stage: usize| {
            inst.stages.get(stage).map_or(0, |s| {
                u64::from(s.places_left()).min(stage_slots.get(&stage).copied().unwrap_or(0))
            })
        };
        let mut company_total: BTreeMap<&str, u64> = BTreeMap::new();
        for stage in stage_slots.keys() {
            if let Some(s) = inst.stages.get(*stage) {
                *company_total.entry(&*s.company).or_default() += effective(*stage);
            }
        }
        let mut nodes: Vec<NodeInfo> = Vec::new();
        let mut add = |level: Level, cap: u32| {
            nodes.push(NodeInfo { level, cap });
            (nodes.len().saturating_sub(1)) as u32
        };
        let mut company_node: BTreeMap<&str, u32> = BTreeMap::new();
        for (name, total) in &company_total {
            let cap = self.catalog().company(name).ok().and_then(|c| c.max_pupils);
            if let Some(cap) = cap.filter(|c| u64::from(*c) < *total) {
                company_node.insert(name, add(Level::Company, cap));
            }
        }
        // Each stage's own nodes, by stage index: its company's and its own.
        let mut above: Vec<(Option<u32>, Option<u32>)> = vec![(None, None); inst.stages.len()];
        for stage in stage_slots.keys() {
            let own = stage_binds(*stage).then(|| {
                let cap = inst.stages.get(*stage).map_or(0, |s| s.places_left());
                add(Level::Stage, cap)
            });
            let company = inst
                .stages
                .get(*stage)
                .and_then(|s| company_node.get(&*s.company).copied());
            if let Some(a) = above.get_mut(*stage) {
                *a = (own, company);
            }
        }
        let mut slot_node: HashMap<(usize, usize), u32> = HashMap::new();
        for (stage, period) in &slots {
            let cap = inst.stages.get(*stage).map_or(UNCAPPED, |s| slot_cap(s));
            if cap != UNCAPPED {
                slot_node.insert((*stage, *period), add(Level::Week, cap));
            }
        }
        let mut reserves = vec![0u32; nodes.len()];
        for p in &mut inst.pupils {
            for w in &mut p.wishes {
                let Ok(c) = &mut w.contract else { continue };
                let (own, company) = above.get(w.stage).copied().unwrap_or_default();
                let mut chain = [0u32; 3];
                let mut len = 0usize;
                for n in [slot_node.get(&(w.stage, p.period)).copied(), own, company]
                    .into_iter()
                    .flatten()
                {
                    if let Some(slot) = chain.get_mut(len) {
                        *slot = n;
                        len += 1;
                    }
                }
                c.nodes = chain;
                c.len = len as u8;
                let chain = chain.get(..len).unwrap_or_default();
                let metres = (w.distance_km * 1000.0)
                    .round()
                    .clamp(0.0, f64::from(MAX_DISTANCE_M)) as u32;
                c.key = key(&inst.rules, p.tier, metres, p.lottery);
                if let (Some(share), [_, _, ..]) = (inst.rules.rep_min_share, chain) {
                    let s = inst.stages.get(w.stage);
                    return Err(Error::invalid(
                        "priorities.rep_min_share",
                        share.to_string(),
                        format!(
                            "a minimum share needs one capacity a stage, and stage {:?} has two that bind (its places in each week and in all, or its company's cap of {} pupils): drop the share or the cap",
                            s.map(|s| &*s.id).unwrap_or_default(),
                            s.and_then(|s| self.catalog().company(&s.company).ok()).and_then(|c| c.max_pupils).map_or_else(|| "no".to_string(), |c| c.to_string())
                        ),
                    ));
                }
                if let (Some(share), Some(top)) = (inst.rules.rep_min_share, chain.last()) {
                    let cap = nodes.get(*top as usize).map_or(0, |n| n.cap);
                    let seats = (share * f64::from(cap)).ceil().min(f64::from(cap)) as u32;
                    if let Some(r) = reserves.get_mut(*top as usize) {
                        *r = seats;
                    }
                }
            }
        }
        inst.nodes = nodes;
        inst.reserves = reserves;
        Ok(())
    }
}
