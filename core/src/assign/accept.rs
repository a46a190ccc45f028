//! The mechanism alone: pupil-proposing deferred acceptance over nested capacities.
//!
//! Each pupil ranks contracts (a stage in their weeks); each contract sits in a chain of at
//! most three nested capacity nodes, finest first: the stage's week, the stage, the company.
//! A node takes the contracts of highest priority (lowest `key`) up to its capacity; the family
//! of nodes is laminar, so this choice is a matroid's greedy choice: substitutable, and
//! deferred acceptance gives the pupil-optimal stable placement, the same whatever the order
//! in which pupils propose, and no pupil gains by misstating their wishes. A node may also
//! hold `reserve` seats for favoured contracts (minority reserves: the seats go to others only
//! when no favoured contract wants them); such a node must be the only node of every chain it
//! is in, which [`Market::new`] checks: reserves combined with nested capacities, above or
//! below, are no longer substitutable, and the placement could be unstable.
//!
//! Keys are unique per pupil inside a node (the lottery number is in the low bits), so every
//! choice is strict and the result deterministic.

// Indices are node and pupil numbers this module builds and checks in `Market::new`.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use crate::error::{Error, Result};
use std::collections::BinaryHeap;

/// No capacity at a node.
pub const UNCAPPED: u32 = u32::MAX;

/// One contract a pupil can hold: its capacity chain (finest first), its priority key at
/// those nodes (lower is better) and whether it is favoured by reserves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contract {
    /// Node numbers, finest first; only the first `len` count.
    pub nodes: [u32; 3],
    /// How many nodes.
    pub len: u8,
    /// Priority key (lower first); two pupils never share one at a node.
    pub key: u64,
    /// Counts for the node's reserved seats.
    pub favoured: bool,
}

impl Contract {
    /// The chain's nodes, finest first.
    pub fn chain(&self) -> &[u32] {
        &self.nodes[..usize::from(self.len.min(3))]
    }
}

/// Capacities and reserves of the nodes, and each pupil's contracts in preference order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Market {
    caps: Vec<u32>,
    reserves: Vec<u32>,
    prefs: Vec<Vec<Contract>>,
}

impl Market {
    /// Checks the shape: every node exists, a reserve is at most its capacity and sits at the
    /// top of every chain through it.
    pub fn new(caps: Vec<u32>, reserves: Vec<u32>, prefs: Vec<Vec<Contract>>) -> Result<Market> {
        if reserves.len() != caps.len() {
            return Err(Error::invalid(
                "reserves",
                reserves.len().to_string(),
                "one reserve a node",
            ));
        }
        for (p, list) in prefs.iter().enumerate() {
            for c in list {
                let chain = c.chain();
                if chain.is_empty() || chain.iter().any(|n| *n as usize >= caps.len()) {
                    return Err(Error::invalid(
                        "prefs",
                        p.to_string(),
                        "a contract names no node or an unknown node",
                    ));
                }
                if chain.len() > 1 {
                    if let Some(n) = chain.iter().find(|n| reserves[**n as usize] > 0) {
                        return Err(Error::invalid(
                            "reserves",
                            n.to_string(),
                            "a node with reserved seats must be the only capacity of its chains",
                        ));
                    }
                }
            }
        }
        if let Some(n) = (0..caps.len()).find(|n| reserves[*n] > caps[*n]) {
            return Err(Error::invalid(
                "reserves",
                n.to_string(),
                "more than the capacity",
            ));
        }
        Ok(Market {
            caps,
            reserves,
            prefs,
        })
    }

    /// Capacity of each node.
    pub fn caps(&self) -> &[u32] {
        &self.caps
    }

    /// Reserved seats of each node.
    pub fn reserves(&self) -> &[u32] {
        &self.reserves
    }

    /// Each pupil's contracts, best first.
    pub fn prefs(&self) -> &[Vec<Contract>] {
        &self.prefs
    }

    /// The pupil-optimal stable placement: for each pupil, the index of the contract held in
    /// its list, or `None`.
    pub fn solve(&self) -> Vec<Option<u32>> {
        let nodes = self.caps.len();
        let pupils = self.prefs.len();
        let mut held: Vec<Option<u32>> = vec![None; pupils];
        let mut next: Vec<u32> = vec![0; pupils];
        let mut count = vec![0u32; nodes];
        let mut favoured = vec![0u32; nodes];
        // Max-heaps of (key, pupil, index): the worst holder on top; stale entries (a pupil who
        // no longer holds that contract) are skipped when they surface.
        let mut all: Vec<BinaryHeap<(u64, u32, u32)>> = vec![BinaryHeap::new(); nodes];
        let mut others: Vec<BinaryHeap<(u64, u32, u32)>> = vec![BinaryHeap::new(); nodes];
        let mut free: Vec<u32> = (0..pupils as u32).rev().collect();
        while let Some(p) = free.pop() {
            let pu = p as usize;
            let Some(c) = self.prefs[pu].get(next[pu] as usize).copied() else {
                continue; // list exhausted: unplaced
            };
            let i = next[pu];
            // Fast refusal: a single full node without reserves whose worst holder comes
            // before this pupil keeps its holders (the choice would drop the newcomer).
            if let [n] = c.chain() {
                let n = *n as usize;
                if self.reserves[n] == 0 && count[n] >= self.caps[n] {
                    while let Some(&(_, q, j)) = all[n].peek() {
                        if held[q as usize] == Some(j) {
                            break;
                        }
                        all[n].pop();
                    }
                    if all[n].peek().is_none_or(|top| top.0 < c.key) {
                        next[pu] += 1;
                        free.push(p);
                        continue;
                    }
                }
            }
            held[pu] = Some(i);
            for &n in c.chain() {
                let n = n as usize;
                count[n] += 1;
                all[n].push((c.key, p, i));
                if c.favoured {
                    favoured[n] += 1;
                } else if self.reserves[n] > 0 {
                    others[n].push((c.key, p, i));
                }
            }
            let Some(&over) = c
                .chain()
                .iter()
                .find(|n| count[**n as usize] > self.caps[**n as usize])
            else {
                continue;
            };
            let over = over as usize;
            let from_others = self.reserves[over] > 0 && favoured[over] <= self.reserves[over];
            let heap = if from_others {
                &mut others[over]
            } else {
                &mut all[over]
            };
            let victim = loop {
                match heap.pop() {
                    Some((_, q, j)) if held[q as usize] == Some(j) => break Some(q),
                    Some(_) => {}
                    None => break None,
                }
            };
            let Some(q) = victim else { continue }; // unreachable: the node holds more than its capacity
            let qu = q as usize;
            if let Some(j) = held[qu].take() {
                let vc = self.prefs[qu][j as usize];
                for &n in vc.chain() {
                    let n = n as usize;
                    count[n] -= 1;
                    if vc.favoured {
                        favoured[n] -= 1;
                    }
                }
            }
            next[qu] += 1;
            free.push(q);
        }
        held
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(nodes: &[u32], key: u64) -> Contract {
        let mut n = [0; 3];
        n[..nodes.len()].copy_from_slice(nodes);
        Contract {
            nodes: n,
            len: nodes.len() as u8,
            key,
            favoured: false,
        }
    }

    #[test]
    fn the_textbook_example() {
        // Two stages of one place; pupils 0 and 1 both want stage 0 first; stage 0 prefers 1.
        let prefs = vec![
            vec![c(&[0], 2), c(&[1], 2)],
            vec![c(&[0], 1), c(&[1], 1)],
            vec![c(&[0], 3)],
        ];
        let m = Market::new(vec![1, 1], vec![0, 0], prefs).unwrap();
        assert_eq!(m.solve(), vec![Some(1), Some(0), None]);
    }

    #[test]
    fn a_company_cap_rejects_its_worst_holder_across_stages() {
        // Stages 0 and 1 (one place each) in company 2 capped at 1.
        let prefs = vec![vec![c(&[0, 2], 2)], vec![c(&[1, 2], 1)]];
        let m = Market::new(vec![1, 1, 1], vec![0; 3], prefs).unwrap();
        assert_eq!(m.solve(), vec![None, Some(0)]);
    }

    #[test]
    fn reserved_seats_wait_for_favoured_pupils() {
        let mut fav = c(&[0], 3);
        fav.favoured = true;
        let prefs = vec![vec![c(&[0], 1)], vec![c(&[0], 2)], vec![fav]];
        let m = Market::new(vec![2], vec![1], prefs).unwrap();
        assert_eq!(m.solve(), vec![Some(0), None, Some(0)]);
        // Without a favoured pupil the seat goes to the next one.
        let prefs = vec![vec![c(&[0], 1)], vec![c(&[0], 2)]];
        let m = Market::new(vec![2], vec![1], prefs).unwrap();
        assert_eq!(m.solve(), vec![Some(0), Some(0)]);
    }

    #[test]
    fn a_reserve_below_another_capacity_is_refused() {
        let prefs = vec![vec![c(&[0, 1], 1)]];
        assert!(Market::new(vec![1, 1], vec![1, 0], prefs).is_err());
    }
}
