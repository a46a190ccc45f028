//! The report a teacher or an académie reads: placed and unplaced, the rank of the wish
//! obtained, distances, by school and by éducation prioritaire status.

// Counts are bounded by the request's pupils and capacities (far below their types' limits).
#![allow(clippy::arithmetic_side_effects)]

use super::model::{DistanceStats, GroupReport, PupilOutcome, Report};
use crate::schools::Priority;
use crate::sorting::Sort;
use std::collections::BTreeMap;

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Mean, median (lower middle) and 90th percentile (nearest rank) of distances.
pub(crate) fn distances(values: &mut [f64]) -> Option<DistanceStats> {
    if values.is_empty() {
        return None;
    }
    values.stable_by(f64::total_cmp);
    let n = values.len();
    let at = |rank: usize| values.get(rank.min(n - 1)).copied().unwrap_or(0.0);
    let mean = values.iter().sum::<f64>() / n as f64;
    Some(DistanceStats {
        mean: round2(mean),
        median: round2(at((n - 1) / 2)),
        p90: round2(at((9 * n).div_ceil(10).saturating_sub(1))),
    })
}

/// What the report reads of an outcome (a pupil's, or a class's for visits).
pub(crate) trait Outcome {
    fn school(&self) -> &str;
    fn tier(&self) -> Option<Priority>;
    fn placed(&self) -> bool;
    fn wish(&self) -> Option<usize>;
    fn distance_km(&self) -> Option<f64>;
}

impl Outcome for PupilOutcome {
    fn school(&self) -> &str {
        &self.school
    }
    fn tier(&self) -> Option<Priority> {
        self.education_prioritaire
    }
    fn placed(&self) -> bool {
        self.stage.is_some()
    }
    fn wish(&self) -> Option<usize> {
        self.wish
    }
    fn distance_km(&self) -> Option<f64> {
        self.distance_km
    }
}

fn group<O: Outcome>(name: String, members: &[&O]) -> GroupReport {
    let mut km: Vec<f64> = members.iter().filter_map(|p| p.distance_km()).collect();
    GroupReport {
        group: name,
        pupils: members.len(),
        placed: members.iter().filter(|p| p.placed()).count(),
        first_wish: members.iter().filter(|p| p.wish() == Some(1)).count(),
        distance_km: distances(&mut km),
    }
}

/// The label of a status in the report.
pub fn priority_label(p: Option<Priority>) -> &'static str {
    p.map_or("hors EP", Priority::label)
}

/// The report; `who` names the placed (`("élève", "élèves", ("placé", "placés"))`) and `what` what they
/// lack (`"stage"`).
pub(crate) fn report<O: Outcome>(
    outcomes: &[O],
    who: (&str, &str, (&str, &str)),
    what: &str,
) -> Report {
    let placed = outcomes.iter().filter(|p| p.placed()).count();
    let most = outcomes.iter().filter_map(Outcome::wish).max().unwrap_or(0);
    let mut by_wish = vec![0usize; most];
    for w in outcomes.iter().filter_map(Outcome::wish) {
        if let Some(slot) = by_wish.get_mut(w.saturating_sub(1)) {
            *slot += 1;
        }
    }
    let mut schools: BTreeMap<&str, Vec<&O>> = BTreeMap::new();
    let mut tiers: BTreeMap<u8, Vec<&O>> = BTreeMap::new();
    for p in outcomes {
        schools.entry(p.school()).or_default().push(p);
        let rank = match p.tier() {
            Some(Priority::RepPlus) => 0,
            Some(Priority::Rep) => 1,
            None => 2,
        };
        tiers.entry(rank).or_default().push(p);
    }
    let all: Vec<&O> = outcomes.iter().collect();
    let total = group(String::new(), &all);
    let n = outcomes.len();
    let share = (placed * 100 + n / 2).checked_div(n).unwrap_or(0);
    let text = format!(
        "{} {} sur {} ({share} %), dont {} sur leur premier vœu ; {} sans {what}.",
        crate::wording::number(placed),
        if placed > 1 { who.2 .1 } else { who.2 .0 },
        crate::wording::count(n, who.0, who.1),
        crate::wording::number(total.first_wish),
        crate::wording::number(n - placed)
    );
    Report {
        pupils: n,
        placed,
        unplaced: n - placed,
        by_wish,
        distance_km: total.distance_km,
        by_school: schools
            .into_iter()
            .map(|(uai, m)| group(uai.to_string(), &m))
            .collect(),
        by_priority: tiers
            .into_values()
            .map(|m| {
                let label = priority_label(m.first().and_then(|p| p.tier()));
                group(label.to_string(), &m)
            })
            .collect(),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let mut v: Vec<f64> = (1..=10).map(f64::from).collect();
        let s = distances(&mut v).unwrap();
        assert_eq!(format!("{} {} {}", s.mean, s.median, s.p90), "5.5 5 9");
        let mut one = vec![3.0];
        assert_eq!(distances(&mut one).unwrap().p90.to_bits(), 3.0f64.to_bits());
        assert!(distances(&mut []).is_none());
    }
}
