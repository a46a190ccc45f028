//! The scan and the ordering: hard filters, score blend, ties, fair exposure and the
//! matches a page shows, with their reasons. `docs/ranking.md` documents the formula.

// Scans and orderings index the catalogue index by the row numbers it assigned; pagination
// arithmetic on caller numbers is saturating (see rank/mod.rs).
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::context::{distance_decay, Context, Visit};
use super::index::{CatalogIndex, Common, Table};
use super::kinds::Kind;
use super::query::Query;
use super::relevance::Link;
use super::result::{Components, Match, Reason, ReasonKind, Words};
use crate::catalog::Catalog;
use crate::geo::Radians;
use crate::sorting::Sort;
use crate::text::round4;
use std::sync::Arc;

/// A scored candidate.
#[derive(Debug, Clone)]
pub(crate) struct Scored {
    pub i: u32,
    /// Which widening step brought it (index into the run's labels), if any.
    pub widened: Option<u8>,
    pub score: f64,
    pub distance: Option<f64>,
    pub availability: i64,
}

/// The full evaluation of one item: what a page shows.
struct Evaluation {
    components: Components,
    link: Option<(Link, u16)>,
    sector: Option<String>,
}

/// The blend of the components a query weighs, in their fixed order (interest, sector,
/// distance, responsiveness), unrounded: the scan and a page's evaluation share it, so both give
/// the same bits.
fn blend(ctx: &Context<'_>, parts: &Components) -> f64 {
    let w = &ctx.weights;
    let (mut sum, mut weight) = (0.0, 0.0);
    for (value, w) in [
        (parts.interest, w.interest),
        (parts.sector, w.sector),
        (parts.distance, w.distance),
        (parts.responsiveness, w.responsiveness),
    ] {
        if let Some(v) = value {
            sum += w * v;
            weight += w;
        }
    }
    if weight > 0.0 {
        sum / weight
    } else {
        1.0
    }
}

/// The components of an item that passed the filters, its interest link and distance decay
/// already found. `sector` receives the code of the sector matched, when asked for.
fn components<K: Kind>(
    ctx: &Context<'_>,
    metiers: &[u16],
    facts: &K::Facts,
    (link, decay): (Option<(f64, Link, u16)>, Option<f64>),
    sector: Option<&mut Option<String>>,
) -> Components {
    let mut parts = Components::default();
    if ctx.relevance.asked {
        parts.interest = Some(link.map_or(0.0, |l| l.0));
    }
    if ctx.relevance.has_sectors() {
        let (s, code) = ctx.relevance.sector(ctx.rome, metiers);
        if let Some(slot) = sector {
            *slot = code.map(str::to_string);
        }
        parts.sector = Some(s);
    }
    parts.distance = decay;
    if ctx.weights.responsiveness > 0.0 {
        parts.responsiveness = K::responsiveness(facts);
    }
    parts
}

/// What a page shows of an item that passed the filters, beside its score (the scan's): its
/// components, interest link and sector, recomputed for the page's few matches.
fn evaluate<K: Kind>(
    ctx: &Context<'_>,
    metiers: &[u16],
    facts: &K::Facts,
    distance: Option<f64>,
) -> Evaluation {
    let link = ctx.relevance.interest(metiers);
    let mut sector = None;
    let decay = distance.map(|d| distance_decay(d, ctx.radius));
    let parts = components::<K>(ctx, metiers, facts, (link, decay), Some(&mut sector));
    Evaluation {
        components: parts,
        link: link.map(|l| (l.1, l.2)),
        sector,
    }
}

/// Scores every candidate that passes the hard filters.
pub(crate) fn scan<K: Kind>(index: &CatalogIndex, ctx: &Context<'_>, query: &Query) -> Vec<Scored> {
    scan_for_page::<K>(index, ctx, query, None).0
}

/// Below this many kept results a page's scan prunes (a larger page scores everything).
const PRUNE_KEEP_MAX: usize = 1_000;

/// Distance-decay upper bounds by haversine term, for the pruning of a page's scan.
const DECAY_BUCKETS: usize = 64;

/// What lets a page's scan skip the exact distance and score of a candidate that cannot be on
/// the page: the `keep`-th best exact score so far, and an upper bound on the distance decay
/// by band of the haversine term (so a bound costs neither an inverse sine nor an exponential).
///
/// A candidate is skipped only when the best score it could have, rounded as scores are, is
/// strictly below the `keep`-th best found: the order puts it after `keep` others whatever the
/// ties say, so the page is the same as without pruning; it still counts in the total.
struct Pruning {
    keep: usize,
    /// The `keep` best exact scores so far (a min-heap: the top is the `keep`-th best).
    best: std::collections::BinaryHeap<std::cmp::Reverse<Ordered>>,
    /// Pruning only below this haversine term, strictly inside the radius: a candidate on the
    /// radius itself gets its exact distance, so the total counts exactly what lies within.
    h_inner: f64,
    /// `DECAY_BUCKETS / h_inner`: a band from `h` by a product.
    band_scale: f64,
    /// Decay upper bound per band of `h`.
    decay_ub: [f64; DECAY_BUCKETS],
    /// The bar in units of the fourth decimal, once `keep` were scored (see [`Pruning::bar`]).
    bar: Option<f64>,
    /// For a query whose blend weighs the same parts for every item ([`Plain`]), its weights,
    /// and the bar on the blend's sum before its division (`-∞` while there is none).
    plain: Option<Plain>,
    plain_bar: f64,
    pruned: usize,
}

/// An `f64` ordered by `total_cmp`.
#[derive(Clone, Copy, PartialEq)]
struct Ordered(f64);
impl Eq for Ordered {}
impl PartialOrd for Ordered {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ordered {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Pruning {
    fn new(keep: usize, reach: f64, radius: f64, plain: Option<Plain>) -> Pruning {
        let h_inner = Radians::h_of_km(reach) * (1.0 - 1e-9);
        // A point in band `b` has `h ≥ h_inner·b/N`, so it lies at least `2R·√h` km away
        // (`asin x ≥ x`), and its decay, `exp(-ln 2·(d/radius)²)`, is at most `r^b` with
        // `r = exp(-ln 2·(2R/radius)²·h_inner/N)`: one exponential a query, the bands by
        // products. The padding covers the rounding of the products (a few bits each), of the
        // scan's own distance and decay, and of a band taken one too high by `band_scale`'s
        // last bit. A radius of 0 makes `r` NaN past the first band: a NaN bound prunes
        // nothing.
        let k =
            std::f64::consts::LN_2 * (2.0 * crate::geo::EARTH_RADIUS_KM / radius).powi(2) * h_inner
                / DECAY_BUCKETS as f64;
        let r = libm::exp(-k);
        let mut decay_ub = [1.0; DECAY_BUCKETS];
        let mut power: f64 = 1.0;
        for ub in &mut decay_ub {
            *ub = (power * (1.0 + 1e-9)).min(1.0);
            power *= r;
        }
        Pruning {
            keep,
            best: std::collections::BinaryHeap::with_capacity(keep.saturating_add(1)),
            h_inner,
            band_scale: DECAY_BUCKETS as f64 / h_inner,
            decay_ub,
            bar: None,
            plain,
            plain_bar: f64::NEG_INFINITY,
            pruned: 0,
        }
    }

    /// Once `keep` were scored, the bar a candidate's unrounded score bound `b` must reach, in
    /// units of the fourth decimal: `b * 10⁴ < bar` puts `round4(b)` below the `keep`-th best
    /// score `t` without rounding `b`. With `K = round(t * 10⁴)` (`t` is a score, so `K` is a
    /// whole number up to 10⁴) and `y = b * 10⁴` as `round4` computes it: `y < K - 0.5` gives
    /// `round(y) ≤ K - 1` (for `y ≥ 0`, `round(y) = ⌊y + 0.5⌋`; below 0, `round(y) ≤ y + 0.5`),
    /// and dividing by 10⁴ keeps that order, so `round4(b) < t`. For `y ≥ 0` the converse holds
    /// too, so nothing prunes less than the rounded comparison did. A NaN bound is never below.
    fn bar(&self) -> Option<f64> {
        self.bar
    }

    /// An upper bound on the distance decay of any point whose haversine term is `h`
    /// (`h < h_inner`): the bound of its band.
    fn decay_bound(&self, h: f64) -> f64 {
        let band = ((h * self.band_scale) as usize).min(DECAY_BUCKETS - 1);
        self.decay_ub[band]
    }

    fn scored(&mut self, score: f64) {
        self.best.push(std::cmp::Reverse(Ordered(score)));
        if self.best.len() > self.keep {
            self.best.pop();
        }
        if self.best.len() >= self.keep {
            self.bar = self.best.peek().map(|t| bar_of(t.0 .0));
            self.plain_bar = match (self.bar, &self.plain) {
                (Some(bar), Some(plain)) if bar > 0.0 => plain_bar_of(bar, plain.weight),
                _ => f64::NEG_INFINITY,
            };
        }
    }
}

/// The weights of a query whose blend has the same parts for every item: an interest part
/// when it asks métiers or interests, the distance, and nothing else (no sectors asked; a
/// responsiveness weight only for kinds that have none). Its bound is then `interest·link +
/// distance·decay`, divided by the same `weight`.
#[derive(Clone, Copy)]
struct Plain {
    /// The interest weight, or 0 when the query asks none (and `link` is 0 too).
    interest: f64,
    distance: f64,
    /// The sum of the weights, as [`blend`] adds them (interest first), in [`PLAIN_WEIGHTS`].
    weight: f64,
}

impl Plain {
    fn of<K: Kind>(ctx: &Context<'_>) -> Option<Plain> {
        let w = &ctx.weights;
        if ctx.relevance.has_sectors() || (K::RESPONSIVE && w.responsiveness > 0.0) {
            return None;
        }
        let interest = if ctx.relevance.asked { w.interest } else { 0.0 };
        let mut weight = 0.0;
        if ctx.relevance.asked {
            weight += w.interest;
        }
        weight += w.distance;
        // Weights are within 0 and 1 (the query is checked); far below 1, the bar's product
        // would be subnormal and its rounding unbounded, so such a query takes the blend.
        (PLAIN_WEIGHTS.contains(&weight)).then_some(Plain {
            interest,
            distance: w.distance,
            weight,
        })
    }
}

/// The sums of weights a [`Plain`] bound is made for: the bar's roundings are then all of
/// normal numbers.
const PLAIN_WEIGHTS: std::ops::RangeInclusive<f64> = 1e-200..=1e200;

/// The bar on a [`Plain`] blend's sum `s`, for a bar `bar > 0` on the blend: `s < plain_bar`
/// puts `fl(fl(s / weight) · 10⁴)` below `bar`. Each of the five roundings between them
/// (the bar's three, the blend's division and product) is within a factor `1 + 2⁻⁵³`, which
/// the `1 - 10⁻¹²` leaves far behind.
fn plain_bar_of(bar: f64, weight: f64) -> f64 {
    bar * weight / 10_000.0 * (1.0 - 1e-12)
}

/// [`Pruning::bar`] for the `keep`-th best score `t`.
fn bar_of(t: f64) -> f64 {
    crate::text::round_half_away(t * 10_000.0) - 0.5
}

/// [`scan`] for a page of `keep` results: with `keep`, a candidate that cannot be among the
/// first `keep` is counted but not scored nor returned (see [`Pruning`]). Returns the scored
/// candidates and how many more passed the filters.
pub(crate) fn scan_for_page<K: Kind>(
    index: &CatalogIndex,
    ctx: &Context<'_>,
    query: &Query,
    keep: Option<usize>,
) -> (Vec<Scored>, usize) {
    let table = K::table(index);
    let mut out = Vec::new();
    let origin = ctx.origin.as_ref().map(|o| Radians::new((o.lat, o.lon)));
    let limited = K::radius_applies(ctx);
    // Compare the haversine term first: no inverse sine for what lies outside.
    let h_reach = Radians::h_of_km(ctx.reach) * (1.0 + 1e-9);
    // Pruning needs a radius (so a distance in every score) and a plain order: a rotation or
    // a cap per company reorders beyond the first `keep`, and a class visit filters on the
    // distance itself.
    let mut pruning = keep
        .filter(|&k| {
            (1..=PRUNE_KEEP_MAX).contains(&k)
                && origin.is_some()
                && limited
                && ctx.visit == Visit::None
                && query.per_company.is_none()
                && query.fairness.rotation_seed.is_none()
        })
        .map(|k| Pruning::new(k, ctx.reach, ctx.radius, Plain::of::<K>(ctx)));
    let prefilter = ctx.relevance.prefilter();
    let mut visit = |i: u32| {
        // Cheapest first: an item none of whose métiers the query links to (`prefilter`),
        // then the others; most candidates never reach the trigonometry.
        if prefilter.is_some_and(|q| table.signature[i as usize] & q == 0) {
            return;
        }
        let c: &Common = &table.common[i as usize];
        let facts = &table.facts[i as usize];
        if ctx
            .departements
            .as_ref()
            .is_some_and(|list| !list.iter().any(|d| *d == *c.departement))
        {
            return;
        }
        let metiers = table.metiers(i as usize);
        let link = ctx.relevance.interest(metiers);
        if ctx.relevance.asked && link.is_none() {
            return;
        }
        // Only the class-visit test reads the distance (the ambassador's travel radius).
        let early = ctx.visit != Visit::Class;
        if early && !K::passes(query, ctx, facts, None) {
            return;
        }
        let distance = match &origin {
            Some(o) => {
                let h = o.haversine(&table.at[i as usize]);
                if limited && h > h_reach {
                    return;
                }
                if let Some(p) = pruning.as_mut() {
                    if let Some(bar) = p.bar().filter(|_| h < p.h_inner) {
                        let ub = p.decay_bound(h);
                        // The blend's sum, in its order, without the division; or the blend.
                        let below = if let Some(w) = p.plain {
                            w.interest * link.map_or(0.0, |l| l.0) + w.distance * ub < p.plain_bar
                        } else {
                            let bound =
                                components::<K>(ctx, metiers, facts, (link, Some(ub)), None);
                            blend(ctx, &bound) * 10_000.0 < bar
                        };
                        if below {
                            p.pruned += 1;
                            return;
                        }
                    }
                }
                Some(Radians::km_of_h(h))
            }
            None => None,
        };
        if limited && distance.is_some_and(|d| d > ctx.reach) {
            return;
        }
        if !early && !K::passes(query, ctx, facts, distance) {
            return;
        }
        let decay = distance.map(|d| distance_decay(d, ctx.radius));
        let score = round4(blend(
            ctx,
            &components::<K>(ctx, metiers, facts, (link, decay), None),
        ));
        if let Some(p) = pruning.as_mut() {
            p.scored(score);
        }
        out.push(Scored {
            i,
            widened: None,
            score,
            distance,
            availability: K::availability_key(facts),
        });
    };
    // `visit` is called from this one place, where it is inlined into the loop (called
    // through two, it was a function call per candidate: 25-30 % of a 30 km query).
    for run in runs_to_visit::<K>(table, ctx, limited) {
        for i in run {
            visit(i as u32);
        }
    }
    (out, pruning.map_or(0, |p| p.pruned))
}

/// The rows a scan visits, as runs of consecutive rows in the grid's order: the cells a
/// limited search's circle touches (or an ambassador's travel radius, for a class visit), or
/// every row.
fn runs_to_visit<K: Kind>(
    table: &Table<K::Facts>,
    ctx: &Context<'_>,
    limited: bool,
) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    match (&ctx.origin, limited || ctx.visit == Visit::Class) {
        (Some(o), true) => {
            let grid = &table.grid;
            grid.candidate_cells(o.lat, o.lon, K::scan_reach(ctx), |c| {
                runs.push(grid.rows_of(c));
            });
        }
        _ => runs.push(0..table.common.len()),
    }
    runs
}

/// FNV-1a of a seed and an id: a fixed shuffle key, the same on every platform.
fn rotation_key(seed: u64, id: &str) -> u64 {
    crate::text::fnv1a_from(crate::text::FNV_OFFSET ^ seed, &[id.as_bytes()])
}

/// Orders, rotates and caps per company.
pub(crate) fn order<K: Kind>(
    index: &CatalogIndex,
    query: &Query,
    mut list: Vec<Scored>,
    keep: usize,
) -> Vec<Scored> {
    let table = K::table(index);
    let id = |s: &Scored| table.id(s.i as usize);
    let favour = query.fairness.favour_availability;
    let compare = |a: &Scored, b: &Scored| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| {
                if favour {
                    a.availability.cmp(&b.availability)
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then_with(|| {
                a.distance
                    .unwrap_or(0.0)
                    .total_cmp(&b.distance.unwrap_or(0.0))
            })
            // Ids are unique: their ranks order them as the strings would.
            .then_with(|| table.id_rank[a.i as usize].cmp(&table.id_rank[b.i as usize]))
    };
    let whole = query.per_company.is_some() || query.fairness.rotation_seed.is_some();
    if !whole && keep < list.len() {
        // The order is total (ids break every tie), so the selection is deterministic.
        list.select_nth_unstable_by(keep, compare);
        list[..keep].stable_by(compare);
    } else {
        list.stable_by(compare);
    }
    if let Some(seed) = query.fairness.rotation_seed {
        let margin = query
            .fairness
            .rotation_margin
            .unwrap_or(super::query::DEFAULT_ROTATION_MARGIN)
            .max(0.0);
        let mut start = 0;
        while start < list.len() {
            let top = list[start].score;
            let end = start
                + list[start..]
                    .iter()
                    .take_while(|s| top - s.score <= margin + 1e-12)
                    .count();
            list[start..end].stable_by_key(|s| (rotation_key(seed, id(s)), s.i));
            start = end;
        }
    }
    if let Some(cap) = query.per_company {
        let mut seen: std::collections::HashMap<u32, u64> = std::collections::HashMap::new();
        list.retain(|s| {
            let company = table.common[s.i as usize].company;
            if company == u32::MAX {
                return true;
            }
            let n = seen.entry(company).or_insert(0);
            *n += 1;
            *n <= cap
        });
    }
    list
}

/// Builds the public match of a scored candidate; the page's `words` hold what its reasons
/// share.
pub(crate) fn to_match<K: Kind>(
    index: &CatalogIndex,
    catalog: &Catalog,
    (ctx, words): (&Context<'_>, &mut Words),
    s: &Scored,
    widened_labels: &[String],
) -> Option<Match<K::Item>> {
    let table = K::table(index);
    let i = s.i as usize;
    let e = evaluate::<K>(ctx, table.metiers(i), &table.facts[i], s.distance);
    // Interest, sector, distance and the kind's own: four at most but for an ambassador's.
    let mut why = Vec::with_capacity(4);
    if let Some((link, metier)) = e.link {
        why.push(ctx.relevance.reason(words, ctx.rome, link, metier));
    }
    if let Some(code) = &e.sector {
        if let Ok(d) = ctx.rome.domaine(code) {
            let code_label = (Some(code.as_str()), Some(d.label.as_str()));
            why.push(Reason::new(words, ReasonKind::Sector, code_label, None));
        }
    }
    if let Some(d) = s.distance {
        // Worded from the exact distance; published rounded to 0.01 km, as `distance_km` is,
        // so every build and binding gives the same number.
        let mut r = Reason::new(words, ReasonKind::Distance, (None, None), Some(d));
        r.number = Some((d * 100.0).round() / 100.0);
        why.push(r);
    }
    K::extra_reasons(index, i, &table.facts[i], words, &mut why);
    let r4 = |x: Option<f64>| x.map(round4);
    Some(Match {
        id: Arc::from(table.id(i)),
        score: s.score,
        components: Components {
            interest: r4(e.components.interest),
            sector: r4(e.components.sector),
            distance: r4(e.components.distance),
            responsiveness: r4(e.components.responsiveness),
        },
        distance_km: s.distance.map(|d| (d * 100.0).round() / 100.0),
        reasons: why.iter().map(|r| Arc::clone(&r.text)).collect(),
        why,
        widened: s
            .widened
            .and_then(|k| widened_labels.get(usize::from(k)).cloned()),
        item: K::item(catalog, index, i)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same_as_rounding(b: f64, t: f64) -> Result<(), TestCaseError> {
        prop_assert_eq!(
            b * 10_000.0 < bar_of(t),
            round4(b) < t,
            "bound {} against score {}",
            b,
            t
        );
        Ok(())
    }

    proptest! {
        /// Comparing an unrounded bound with the bar is comparing it rounded with the score,
        /// for any bound a blend can give (0 to 1, and a little over from the padding).
        #[test]
        fn the_bar_is_the_rounded_comparison(b in 0.0..1.001f64, s in 0.0..=1.0f64) {
            same_as_rounding(b, round4(s))?;
        }

        /// A sum below the plain bar is a blend below the bar, for any weights and score: the
        /// division-free comparison never prunes what the rounded comparison would keep.
        #[test]
        fn a_sum_below_the_plain_bar_is_a_blend_below_the_bar(
            k in 1u32..=10_000,
            weight in prop_oneof![1e-6..3.0f64, Just(1.0), Just(0.05), Just(*PLAIN_WEIGHTS.start()), 1e-200..1e-199f64],
            near in -1e-9..1e-9f64,
            s in 0.0..3.0f64,
        ) {
            let bar = bar_of(round4(f64::from(k) / 10_000.0));
            let plain = plain_bar_of(bar, weight);
            // Sums on the plain bar and a hair either side, and anywhere.
            for sum in [plain, plain.next_down(), plain.next_up(), plain * (1.0 + near), s] {
                if sum < plain {
                    prop_assert!((sum / weight) * 10_000.0 < bar, "sum {} weight {} bar {}", sum, weight, bar);
                }
            }
        }

        /// The decay bound of a band is never below the decay the scan computes for a point
        /// in it, whatever the radius, the reach and the point (near the band's edges too).
        #[test]
        fn the_decay_bound_is_above_the_decay(
            radius in prop_oneof![0.0..1.0f64, 0.5..300.0f64, Just(0.0), Just(1e-300)],
            reach_factor in prop_oneof![Just(1.0), 0.01..3.0f64],
            at in 0.0..1.0f64,
            edge in 0usize..DECAY_BUCKETS,
        ) {
            let reach = radius * reach_factor;
            let p = Pruning::new(20, reach, radius, None);
            let on_edge = p.h_inner * edge as f64 / DECAY_BUCKETS as f64;
            for h in [p.h_inner * at, on_edge, on_edge.next_down(), on_edge.next_up()] {
                if h >= 0.0 && h < p.h_inner {
                    let decay = distance_decay(Radians::km_of_h(h), radius);
                    let bound = p.decay_bound(h);
                    prop_assert!(bound.is_nan() || bound >= decay, "h {} radius {}: bound {} < decay {}", h, radius, bound, decay);
                }
            }
        }

        /// The same at the edges: a bound exactly on a half of the fourth decimal next to the
        /// score, one bit either side of it, and on the score itself.
        #[test]
        fn the_bar_is_the_rounded_comparison_at_halves(k in 0i32..=10_000, d in -2i32..=2) {
            let t = round4(f64::from(k) / 10_000.0);
            let j = f64::from(k + d);
            let half = (j - 0.5) / 10_000.0;
            for b in [half, half.next_down(), half.next_up(), j / 10_000.0] {
                if b >= 0.0 {
                    same_as_rounding(b, t)?;
                }
            }
        }
    }
}
