//! The scan and the ordering: hard filters, score blend, ties, fair exposure and the
//! matches a page shows, with their reasons. `docs/ranking.md` documents the formula.

// Scans and orderings index the catalogue index by the row numbers it assigned; pagination
// arithmetic on caller numbers is saturating (see rank/mod.rs).
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::context::{distance_decay, Context, Visit};
use super::index::{CatalogIndex, Common};
use super::kinds::Kind;
use super::query::Query;
use super::relevance::Link;
use super::result::{Components, Match, Reason, ReasonKind};
use crate::catalog::Catalog;
use crate::geo::Radians;
use crate::text::round4;

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

/// The components of an item that passed the filters, its interest link already found.
/// `sector` receives the code of the sector matched, when asked for.
fn components<K: Kind>(
    ctx: &Context<'_>,
    metiers: &[u16],
    facts: &K::Facts,
    (link, distance): (Option<(f64, Link, u16)>, Option<f64>),
    sector: Option<&mut Option<String>>,
) -> Components {
    let mut parts = Components::default();
    if ctx.relevance.asked {
        parts.interest = Some(link.map_or(0.0, |l| l.0));
    }
    if ctx.relevance.has_sectors() {
        let (s, code) = ctx.relevance.sector(ctx.rome, metiers);
        if let Some(slot) = sector {
            *slot = code;
        }
        parts.sector = Some(s);
    }
    if let Some(d) = distance {
        parts.distance = Some(distance_decay(d, ctx.radius));
    }
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
    let parts = components::<K>(ctx, metiers, facts, (link, distance), Some(&mut sector));
    Evaluation {
        components: parts,
        link: link.map(|l| (l.1, l.2)),
        sector,
    }
}

/// Scores every candidate that passes the hard filters.
pub(crate) fn scan<K: Kind>(index: &CatalogIndex, ctx: &Context<'_>, query: &Query) -> Vec<Scored> {
    let table = K::table(index);
    let mut out = Vec::new();
    let origin = ctx.origin.as_ref().map(|o| Radians::new((o.lat, o.lon)));
    let limited = K::radius_applies(ctx);
    // Compare the haversine term first: no inverse sine for what lies outside.
    let h_reach = Radians::h_of_km(ctx.reach) * (1.0 + 1e-9);
    let mut visit = |i: u32| {
        let c: &Common = &table.common[i as usize];
        let facts = &table.facts[i as usize];
        // Cheap tests first: most candidates never reach the trigonometry.
        if ctx
            .departements
            .as_ref()
            .is_some_and(|list| !list.contains(&c.departement))
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
        out.push(Scored {
            i,
            widened: None,
            score: round4(blend(
                ctx,
                &components::<K>(ctx, metiers, facts, (link, distance), None),
            )),
            distance,
            availability: K::availability_key(facts),
        });
    };
    match (&ctx.origin, limited || ctx.visit == Visit::Class) {
        (Some(o), true) => table
            .grid
            .candidates(o.lat, o.lon, K::scan_reach(ctx), &mut visit),
        _ => (0..table.common.len() as u32).for_each(&mut visit),
    }
    out
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
    let id = |s: &Scored| table.common[s.i as usize].id.as_str();
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
        list[..keep].sort_by(compare);
    } else {
        list.sort_by(compare);
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
            list[start..end].sort_by_key(|s| (rotation_key(seed, id(s)), s.i));
            start = end;
        }
    }
    if let Some(cap) = query.per_company {
        let mut seen: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
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

/// Builds the public match of a scored candidate.
pub(crate) fn to_match<K: Kind>(
    index: &CatalogIndex,
    catalog: &Catalog,
    ctx: &Context<'_>,
    s: &Scored,
    widened_labels: &[String],
) -> Option<Match<K::Item>> {
    let table = K::table(index);
    let i = s.i as usize;
    let e = evaluate::<K>(ctx, table.metiers(i), &table.facts[i], s.distance);
    // Interest, sector, distance and the kind's own: four at most but for an ambassador's.
    let mut why = Vec::with_capacity(4);
    if let Some((link, metier)) = e.link {
        why.push(ctx.relevance.reason(ctx.rome, link, metier));
    }
    if let Some(code) = &e.sector {
        if let Ok(d) = ctx.rome.domaine(code) {
            let (code, label) = (Some(code.clone()), Some(d.label.clone()));
            why.push(Reason::new(ReasonKind::Sector, code, label, None));
        }
    }
    if let Some(d) = s.distance {
        // Worded from the exact distance; published rounded to 0.01 km, as `distance_km` is,
        // so every build and binding gives the same number.
        let mut r = Reason::new(ReasonKind::Distance, None, None, Some(d));
        r.number = Some((d * 100.0).round() / 100.0);
        why.push(r);
    }
    K::extra_reasons(index, i, &table.facts[i], &mut why);
    let r4 = |x: Option<f64>| x.map(round4);
    Some(Match {
        id: table.common[i].id.clone(),
        score: s.score,
        components: Components {
            interest: r4(e.components.interest),
            sector: r4(e.components.sector),
            distance: r4(e.components.distance),
            responsiveness: r4(e.components.responsiveness),
        },
        distance_km: s.distance.map(|d| (d * 100.0).round() / 100.0),
        reasons: why.iter().map(|r| r.text.clone()).collect(),
        why,
        widened: s
            .widened
            .and_then(|k| widened_labels.get(usize::from(k)).cloned()),
        item: K::item(catalog, index, i)?,
    })
}
