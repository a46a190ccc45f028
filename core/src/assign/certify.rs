//! The certificate and the checker: for a placement, who holds each capacity node, and for a
//! pupil's better wish, whether the node would take them (a blocking pair) or why not.

// Counts are bounded by the request's pupils and capacities (far below their types' limits).
#![allow(clippy::arithmetic_side_effects)]

use super::accept::Contract;
use super::model::{Check, Level, Refusal, RefusalCode, Violation, ViolationKind};
use super::prepare::{split_key, Instance};
use crate::calendar::Period;
use crate::sorting::Sort;

/// Who holds each node: (key, pupil, favoured), worst first, and how many are favoured.
pub(crate) struct Holders {
    lists: Vec<Vec<(u64, u32, bool)>>,
    favoured: Vec<u32>,
}

/// Would a node chain take a pupil's contract?
pub(crate) enum Test {
    Accepted,
    Refused(Refusal),
}

impl Holders {
    /// `held[p]` is the index in pupil `p`'s wishes of the stage held.
    pub fn new(inst: &Instance, held: &[Option<usize>]) -> Holders {
        let mut lists: Vec<Vec<(u64, u32, bool)>> = vec![Vec::new(); inst.nodes.len()];
        let mut favoured = vec![0u32; inst.nodes.len()];
        for (p, h) in held.iter().enumerate() {
            let Some(c) = h
                .and_then(|w| inst.pupils.get(p)?.wishes.get(w))
                .and_then(|w| w.contract.ok())
            else {
                continue;
            };
            for n in c.chain() {
                if let Some(list) = lists.get_mut(*n as usize) {
                    list.push((c.key, p as u32, c.favoured));
                }
                if let (true, Some(f)) = (c.favoured, favoured.get_mut(*n as usize)) {
                    *f = f.saturating_add(1);
                }
            }
        }
        for list in &mut lists {
            list.stable_by(|a, b| b.cmp(a));
        }
        Holders { lists, favoured }
    }

    /// Pupils held at a node.
    pub fn count(&self, node: u32) -> usize {
        self.lists.get(node as usize).map_or(0, Vec::len)
    }

    /// Adds pupil `p`'s contract `c` to the holders of each node of its chain (without `p`'s
    /// own contract there) and applies the node's choice, finest node first.
    pub fn test(&self, inst: &Instance, p: u32, c: &Contract) -> Test {
        for &n in c.chain() {
            let (Some(list), Some(info)) = (self.lists.get(n as usize), inst.nodes.get(n as usize))
            else {
                continue;
            };
            let here = list.iter().any(|h| h.1 == p);
            let size = list.len() - usize::from(here) + 1;
            if size <= info.cap as usize {
                continue;
            }
            let reserve = inst.reserves.get(n as usize).copied().unwrap_or(0);
            let fav = self.favoured.get(n as usize).copied().unwrap_or(0)
                - u32::from(here && c.favoured)
                + u32::from(c.favoured);
            let from_others = reserve > 0 && fav <= reserve;
            let group = |h: &&(u64, u32, bool)| h.1 != p && !(from_others && h.2);
            let worst_other = list.iter().find(group).map(|h| h.0);
            let p_in_group = !(from_others && c.favoured);
            if !p_in_group || worst_other.is_some_and(|k| k > c.key) {
                return Test::Accepted; // someone else of the group is worse: p would stay
            }
            let reserved = from_others && list.iter().any(|h| h.1 != p && h.2 && h.0 > c.key);
            let code = match worst_other {
                _ if reserved => RefusalCode::FullReserved,
                None if from_others => RefusalCode::FullReserved,
                None => RefusalCode::NoPlaces,
                Some(k) => {
                    let (t1, d1, _) = split_key(k);
                    let (t2, d2, _) = split_key(c.key);
                    if t1 != t2 {
                        RefusalCode::FullPriority
                    } else if d1 != d2 {
                        RefusalCode::FullDistance
                    } else {
                        RefusalCode::FullLottery
                    }
                }
            };
            let cutoff = worst_other.filter(|_| !reserved);
            return Test::Refused(full(code, info.level, info.cap, cutoff, c.key));
        }
        Test::Accepted
    }
}

/// A refusal by a full capacity, worded.
fn full(code: RefusalCode, level: Level, cap: u32, cutoff: Option<u64>, own: u64) -> Refusal {
    let head = match level {
        Level::Company => format!(
            "l'entreprise n'accueille pas plus de {}",
            crate::wording::count(cap as usize, "élève", "élèves")
        ),
        Level::Week => "complet sur ces semaines".to_string(),
        Level::Stage => "complet".to_string(),
    };
    let (cutoff_lottery, why) = match (code, cutoff.map(split_key)) {
        (RefusalCode::FullPriority, Some((tier, _, _))) => (
            None,
            format!(
                "places prises par des élèves prioritaires ({})",
                if tier == 0 { "REP+" } else { "REP" }
            ),
        ),
        (RefusalCode::FullDistance, _) => (
            None,
            "places prises par des élèves habitant plus près".to_string(),
        ),
        (RefusalCode::FullLottery, Some((_, _, lottery))) => (
            Some(lottery),
            format!(
                "tirage au sort (dernier retenu : n° {}, le vôtre : n° {})",
                crate::wording::number(lottery as usize),
                crate::wording::number(split_key(own).2 as usize)
            ),
        ),
        (RefusalCode::FullReserved, _) => (
            None,
            "les places restantes sont réservées aux élèves de REP et REP+".to_string(),
        ),
        _ => (None, "aucune place".to_string()),
    };
    Refusal {
        code,
        level: Some(level),
        cutoff_lottery,
        text: format!("{head} : {why}"),
    }
}

/// A refusal decided before any capacity (eligibility, no places).
pub(crate) fn ineligible(code: RefusalCode, period: Option<&Period>) -> Refusal {
    let text = match code {
        RefusalCode::Weeks => format!(
            "pas proposé sur vos semaines ({})",
            period.map(crate::wording::period).unwrap_or_default()
        ),
        RefusalCode::Audience => "réservé à un autre public".to_string(),
        RefusalCode::OtherSchools => "réservé à d'autres établissements".to_string(),
        RefusalCode::RepOnly => "réservé aux élèves des collèges REP et REP+".to_string(),
        _ => "plus aucune place".to_string(),
    };
    Refusal {
        code,
        level: None,
        cutoff_lottery: None,
        text,
    }
}

/// Checks a placement given as each pupil's held wish (`Err` names a stage that is not one).
pub(crate) fn check(
    inst: &Instance,
    held: &[Result<Option<usize>, String>],
    mut violations: Vec<Violation>,
) -> Check {
    let mut push = |kind, pupil: Option<&str>, stage: Option<&str>, message: String| {
        violations.push(Violation {
            kind,
            pupil: pupil.map(String::from),
            stage: stage.map(String::from),
            message,
        });
    };
    let mut clean: Vec<Option<usize>> = Vec::with_capacity(held.len());
    for (p, h) in held.iter().enumerate() {
        let pupil = inst.pupils.get(p);
        let id = pupil.map(|x| x.id.as_str());
        let name = id.unwrap_or_default();
        match h {
            Err(stage) => {
                push(
                    ViolationKind::NotAWish,
                    id,
                    Some(stage),
                    format!(
                        "pupil {name:?} holds stage {stage:?}, which is not one of their wishes"
                    ),
                );
                clean.push(None);
            }
            Ok(Some(w)) => {
                let wish = pupil.and_then(|x| x.wishes.get(*w));
                let stage = wish.and_then(|w| inst.stages.get(w.stage)).map(|s| &*s.id);
                if let Some(Err(code)) = wish.map(|w| w.contract) {
                    push(
                        ViolationKind::Ineligible,
                        id,
                        stage,
                        format!(
                            "pupil {name:?} may not take stage {:?} ({code:?})",
                            stage.unwrap_or_default()
                        ),
                    );
                    clean.push(None);
                } else {
                    clean.push(Some(*w));
                }
            }
            Ok(None) => clean.push(None),
        }
    }
    let holders = Holders::new(inst, &clean);
    for (n, info) in inst.nodes.iter().enumerate() {
        let count = holders.count(n as u32);
        if count > info.cap as usize {
            push(
                ViolationKind::OverCapacity,
                None,
                None,
                format!(
                    "{count} pupils hold a capacity of {} ({:?})",
                    info.cap, info.level
                ),
            );
        }
    }
    for (p, pupil) in inst.pupils.iter().enumerate() {
        let limit = clean
            .get(p)
            .copied()
            .flatten()
            .unwrap_or(pupil.wishes.len());
        for w in pupil.wishes.iter().take(limit) {
            let Ok(c) = &w.contract else { continue };
            if let Test::Accepted = holders.test(inst, p as u32, c) {
                let stage = inst.stages.get(w.stage).map(|s| &*s.id);
                push(
                    ViolationKind::BlockingPair,
                    Some(&pupil.id),
                    stage,
                    format!(
                        "pupil {:?} prefers stage {stage:?} to what they hold, and the stage would take them",
                        pupil.id
                    ),
                );
            }
        }
    }
    let total = violations.len();
    violations.truncate(100);
    Check {
        stable: total == 0,
        violations,
        total,
    }
}
