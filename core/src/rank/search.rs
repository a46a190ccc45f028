//! The searches: hard filters, score blend, ordering, fair exposure, pagination, next steps.
//! `docs/ranking.md` documents the formula.

// Scans and orderings index the catalogue index by the row numbers it assigned; pagination
// arithmetic on caller numbers is saturating (see rank/mod.rs).
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::index::{audience_bits, AmbassadorFacts, CatalogIndex, Common, StageFacts, Table};
use super::query::{Query, Scope, Weights};
use super::relevance::{Link, Relevance};
use crate::catalog::{Ambassador, Catalog, Company, ContactMode, Stage};
use crate::date::Period;
use crate::error::{Error, Result};
use crate::geo::{Geography, Place, PlaceKind, Radians};
use crate::referential::Referential;
use serde::Serialize;
use std::sync::Arc;

/// The parts of a score, each in [0, 1]; absent when the query does not use it.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Components {
    /// Interest link.
    pub interest: Option<f64>,
    /// Preferred sector.
    pub sector: Option<f64>,
    /// Distance decay.
    pub distance: Option<f64>,
    /// Response rate (ambassadors).
    pub responsiveness: Option<f64>,
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "{T}Match"))]
pub struct Match<T> {
    /// Id of the stage, ambassador or company.
    pub id: String,
    /// Blended score in [0, 1], rounded to 4 decimals.
    pub score: f64,
    /// Its components, rounded to 4 decimals.
    pub components: Components,
    /// Great-circle distance from the place asked, in km, rounded to 0.01.
    pub distance_km: Option<f64>,
    /// Short reasons in French, for display.
    pub reasons: Vec<String>,
    /// Set when the result comes from a widened search (`"rayon élargi à 50 km"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub widened: Option<String>,
    /// The stage, ambassador or company.
    pub item: T,
}

/// A way to get more results, with how many it gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct NextStep {
    /// What to show (`"Élargir à 50 km"`).
    pub label: String,
    /// The radius of this step.
    pub radius_km: Option<f64>,
    /// The scope of this step.
    pub scope: Option<Scope>,
    /// Results with this step.
    pub total: usize,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "{T}Result"))]
pub struct SearchResult<T> {
    /// Results before pagination (after `per_company`; widened ones included when `widen`).
    pub total: usize,
    /// Offset asked.
    pub offset: usize,
    /// Page size in force.
    pub limit: usize,
    /// The place the query named, as resolved (kind, INSEE code, name, how it matched):
    /// distances are measured from it, unless it is a département (a filter).
    pub origin: Option<Place>,
    /// The page.
    pub matches: Vec<Match<T>>,
    /// When results are fewer than `limit`: ways to get more, with their counts.
    pub next_steps: Vec<NextStep>,
    /// The page in one French sentence, for display: `"12 stages à moins de 20 km de Flers ;
    /// les 10 plus pertinents"`, `"Aucun ambassadeur dans le département : Orne"`.
    pub summary: String,
}

/// A company with what it offers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct CompanySummary {
    /// The company.
    #[serde(flatten)]
    pub company: Company,
    /// Stages it offers.
    pub stages: u32,
    /// Ambassadors it has.
    pub ambassadors: u32,
}

/// A métier one can discover near a place.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct MetierNearby {
    /// ROME code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Stages within the radius.
    pub stages: usize,
    /// Ambassadors within the radius.
    pub ambassadors: usize,
    /// Distance of the nearest of them, km (rounded to 0.01).
    pub nearest_km: Option<f64>,
    /// Interest score (0 when nothing was asked).
    pub interest: f64,
    /// Reasons in French.
    pub reasons: Vec<String>,
}

/// Teacher searches need the visit kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Visit {
    None,
    /// An ambassador comes to the class: the school within their travel radius.
    Class,
    /// A company receives the class.
    Company,
}

/// Everything resolved from a query.
#[derive(Clone)]
pub(crate) struct Context<'a> {
    pub rome: &'a Referential,
    /// The place the query named (a département included), as results report it.
    pub near: Option<Place>,
    /// The point distances are measured from (a commune's or an arrondissement's centre, a
    /// point); `None` without a place or for a département.
    pub origin: Option<Place>,
    /// Radius of the query: the decay's scale.
    pub radius: f64,
    /// How far the scan reaches (the radius, or a wider step's radius when counting).
    pub reach: f64,
    /// Only these départements (`None`: any); the intersection of `departements` and a
    /// département given as `near`, so possibly empty.
    pub departements: Option<Vec<String>>,
    pub relevance: std::sync::Arc<Relevance>,
    pub weights: Weights,
    pub audience: u8,
    pub dates: Option<Period>,
    pub visit: Visit,
}

pub(crate) fn context<'a>(
    rome: &'a Referential,
    geo: &Geography,
    query: &Query,
    scope: Scope,
    radius: f64,
    visit: Visit,
) -> Result<Context<'a>> {
    let mut departements = None;
    if !query.departements.is_empty() {
        let mut codes = Vec::new();
        for (i, d) in query.departements.iter().enumerate() {
            let dep = geo.departement(d).map_err(|_| {
                Error::invalid(format!("departements[{i}]"), d, "unknown département")
            })?;
            codes.push(dep.code.clone());
        }
        departements = Some(codes);
    }
    let near = match &query.near {
        None => None,
        Some(place) => Some(geo.resolve_at(place, "near")?),
    };
    let origin = match &near {
        Some(place) if place.kind == PlaceKind::Departement => {
            // A département is an area, not a point: it filters like `departements` (both
            // must hold), and has no centre to measure a radius from.
            if let Some(r) = query.radius_km {
                return Err(Error::invalid(
                    "radius_km",
                    r.to_string(),
                    format!(
                        "near is a département ({}): it filters by département and has no centre to measure a radius from; give a commune or a point, or leave radius_km out",
                        place.name
                    ),
                ));
            }
            let code = place.code.clone().unwrap_or_default();
            departements = Some(match departements {
                None => vec![code],
                Some(list) => list.into_iter().filter(|d| *d == code).collect(),
            });
            None
        }
        other => other.clone(),
    };
    let weights = query.weights.unwrap_or_default();
    for (name, w) in [
        ("weights.interest", weights.interest),
        ("weights.sector", weights.sector),
        ("weights.distance", weights.distance),
        ("weights.responsiveness", weights.responsiveness),
    ] {
        if !w.is_finite() || !(0.0..=1.0).contains(&w) {
            return Err(Error::invalid(
                name,
                w.to_string(),
                "a weight is between 0 and 1",
            ));
        }
    }
    if let Some(m) = query.fairness.rotation_margin {
        if !m.is_finite() || !(0.0..=1.0).contains(&m) {
            return Err(Error::invalid(
                "fairness.rotation_margin",
                m.to_string(),
                "a rotation margin is a score difference between 0 and 1",
            ));
        }
    }
    if query.per_company == Some(0) {
        return Err(Error::invalid(
            "per_company",
            "0",
            "at least one result per company",
        ));
    }
    if let Some(n) = query.group_size {
        if n == 0 {
            return Err(Error::invalid(
                "group_size",
                "0",
                "a class has at least one pupil",
            ));
        }
    }
    if visit != Visit::None && origin.is_none() {
        return Err(Error::invalid(
            "near",
            "",
            "a teacher search needs the school's place (a commune or a point)",
        ));
    }
    Ok(Context {
        rome,
        near,
        origin,
        radius,
        reach: radius,
        departements,
        relevance: std::sync::Arc::new(Relevance::build(rome, query, scope)?),
        weights,
        audience: query.audience.map_or(0, |a| audience_bits(&[a])),
        dates: query.dates,
        visit,
    })
}

/// Distance decay: a Gaussian with value 1 at 0 km and 0.5 at the edge of the radius
/// (Elasticsearch's `gauss` with offset 0, scale = radius, decay 0.5).
///
/// ```
/// assert_eq!(metiers::rank::distance_decay(0.0, 30.0), 1.0);
/// assert!((metiers::rank::distance_decay(30.0, 30.0) - 0.5).abs() < 1e-12);
/// ```
pub fn distance_decay(distance: f64, radius: f64) -> f64 {
    let x = distance / radius;
    libm::exp(-std::f64::consts::LN_2 * x * x)
}

pub(crate) use crate::text::round4;

/// What differs between the stage, ambassador and company searches.
pub(crate) trait Kind {
    /// The French noun, singular and plural, for summaries.
    const NOUN: (&'static str, &'static str);
    type Facts;
    type Item: Serialize + Clone;
    fn table(index: &CatalogIndex) -> &Table<Self::Facts>;
    /// Hard filters specific to the kind.
    fn passes(query: &Query, ctx: &Context<'_>, facts: &Self::Facts, distance: Option<f64>)
        -> bool;
    /// Reach of the candidate scan (teacher searches use the ambassadors' own radius).
    fn scan_reach(ctx: &Context<'_>) -> f64 {
        ctx.reach
    }
    /// Whether the query radius applies.
    fn radius_applies(ctx: &Context<'_>) -> bool {
        ctx.visit != Visit::Class
    }
    /// Among equal scores with `favour_availability`, smaller first.
    fn availability_key(_facts: &Self::Facts) -> i64 {
        0
    }
    fn responsiveness(_facts: &Self::Facts) -> Option<f64> {
        None
    }
    fn extra_reasons(index: &CatalogIndex, i: usize, facts: &Self::Facts, out: &mut Vec<String>);
    fn item(catalog: &Catalog, index: &CatalogIndex, i: usize) -> Option<Self::Item>;
}

pub(crate) struct Stages;
pub(crate) struct Ambassadors;
pub(crate) struct Companies;

fn fits_audience(ctx: &Context<'_>, bits: u8) -> bool {
    ctx.audience == 0 || bits & ctx.audience != 0
}

impl Kind for Stages {
    const NOUN: (&'static str, &'static str) = ("stage", "stages");
    type Facts = StageFacts;
    type Item = Arc<Stage>;
    fn table(index: &CatalogIndex) -> &Table<StageFacts> {
        &index.stages
    }
    fn passes(query: &Query, ctx: &Context<'_>, f: &StageFacts, _: Option<f64>) -> bool {
        f.places_left > 0
            && (query.kinds.is_empty() || query.kinds.contains(&f.kind))
            && fits_audience(ctx, f.audiences)
            && ctx
                .dates
                .is_none_or(|free| f.periods.iter().any(|p| free.contains(p)))
            && query
                .group_size
                .is_none_or(|n| f.max_group.is_some_and(|g| g >= n))
    }
    fn availability_key(f: &StageFacts) -> i64 {
        -i64::from(f.places_left)
    }
    fn extra_reasons(_: &CatalogIndex, _: usize, f: &StageFacts, out: &mut Vec<String>) {
        out.push(match f.places_left {
            1 => "1 place restante".to_string(),
            n => format!("{n} places restantes"),
        });
    }
    fn item(catalog: &Catalog, index: &CatalogIndex, i: usize) -> Option<Arc<Stage>> {
        catalog
            .stage_shared(&index.stages.common[i].id)
            .ok()
            .cloned()
    }
}

impl Kind for Ambassadors {
    const NOUN: (&'static str, &'static str) = ("ambassadeur", "ambassadeurs");
    type Facts = AmbassadorFacts;
    type Item = Arc<Ambassador>;
    fn table(index: &CatalogIndex) -> &Table<AmbassadorFacts> {
        &index.ambassadors
    }
    fn passes(
        query: &Query,
        ctx: &Context<'_>,
        f: &AmbassadorFacts,
        distance: Option<f64>,
    ) -> bool {
        let group_ok = |g: Option<u16>| match (g, query.group_size) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(g), Some(n)) => g >= n,
        };
        let visit_ok = match ctx.visit {
            Visit::None => true,
            Visit::Class => {
                group_ok(f.class_group)
                    && matches!((distance, f.travel_radius_km), (Some(d), Some(r)) if d <= r)
            }
            Visit::Company => group_ok(f.company_group),
        };
        visit_ok
            && fits_audience(ctx, f.audiences)
            && (query.contact_modes.is_empty()
                || f.modes.iter().any(|m| query.contact_modes.contains(m)))
            && ctx.dates.is_none_or(|d| {
                f.availability.is_empty() || f.availability.iter().any(|a| a.overlaps(&d))
            })
    }
    fn scan_reach(ctx: &Context<'_>) -> f64 {
        if ctx.visit == Visit::Class {
            500.0 // the largest travel radius validation accepts
        } else {
            ctx.reach
        }
    }
    fn availability_key(f: &AmbassadorFacts) -> i64 {
        i64::from(f.bookings)
    }
    fn responsiveness(f: &AmbassadorFacts) -> Option<f64> {
        f.response_rate
    }
    fn extra_reasons(_: &CatalogIndex, _: usize, f: &AmbassadorFacts, out: &mut Vec<String>) {
        let modes: Vec<&str> = f
            .modes
            .iter()
            .map(|m| match m {
                ContactMode::Phone => "téléphone",
                ContactMode::Video => "visio",
                ContactMode::ClassVisit => "intervention en classe",
                ContactMode::CompanyVisit => "visite d'entreprise",
            })
            .collect();
        out.push(format!("Contact : {}", modes.join(", ")));
        if let (Some(r), true) = (f.travel_radius_km, f.class_group.is_some()) {
            out.push(format!("Se déplace jusqu'à {r:.0} km"));
        }
    }
    fn item(catalog: &Catalog, index: &CatalogIndex, i: usize) -> Option<Arc<Ambassador>> {
        catalog
            .ambassador_shared(&index.ambassadors.common[i].id)
            .ok()
            .cloned()
    }
}

impl Kind for Companies {
    const NOUN: (&'static str, &'static str) = ("entreprise", "entreprises");
    type Facts = ();
    type Item = CompanySummary;
    fn table(index: &CatalogIndex) -> &Table<()> {
        &index.companies
    }
    fn passes(_: &Query, _: &Context<'_>, (): &(), _: Option<f64>) -> bool {
        true
    }
    fn extra_reasons(index: &CatalogIndex, i: usize, (): &(), out: &mut Vec<String>) {
        let (s, a) = company_counts(index, i);
        if s + a == 0 {
            return;
        }
        out.push(format!(
            "{s} stage{} et {a} ambassadeur{}",
            if s > 1 { "s" } else { "" },
            if a > 1 { "s" } else { "" }
        ));
    }
    fn item(catalog: &Catalog, index: &CatalogIndex, i: usize) -> Option<CompanySummary> {
        let (stages, ambassadors) = company_counts(index, i);
        Some(CompanySummary {
            company: catalog.company(&index.companies.common[i].id).ok()?.clone(),
            stages,
            ambassadors,
        })
    }
}

fn company_counts(index: &CatalogIndex, i: usize) -> (u32, u32) {
    index
        .company_counts
        .get(index.companies.common[i].company as usize)
        .copied()
        .unwrap_or_default()
}

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
    score: f64,
    components: Components,
    link: Option<(Link, u16)>,
    sector: Option<String>,
}

/// Scores an item that passed the filters. The scan keeps only the score; a page recomputes
/// the rest for its few matches.
fn evaluate<K: Kind>(
    ctx: &Context<'_>,
    metiers: &[u16],
    facts: &K::Facts,
    distance: Option<f64>,
    with_sector: bool,
) -> Evaluation {
    let link = ctx.relevance.interest(metiers);
    let w = &ctx.weights;
    let mut components = Components::default();
    let (mut sum, mut weight) = (0.0, 0.0);
    let mut add = |slot: &mut Option<f64>, value: f64, w: f64| {
        *slot = Some(value);
        sum += w * value;
        weight += w;
    };
    if ctx.relevance.asked {
        add(
            &mut components.interest,
            link.map_or(0.0, |l| l.0),
            w.interest,
        );
    }
    let mut sector = None;
    if ctx.relevance.has_sectors() {
        let (s, code) = ctx.relevance.sector(ctx.rome, metiers);
        if with_sector {
            sector = code;
        }
        add(&mut components.sector, s, w.sector);
    }
    if let Some(d) = distance {
        add(
            &mut components.distance,
            distance_decay(d, ctx.radius),
            w.distance,
        );
    }
    if w.responsiveness > 0.0 {
        if let Some(r) = K::responsiveness(facts) {
            add(&mut components.responsiveness, r, w.responsiveness);
        }
    }
    let score = if weight > 0.0 { sum / weight } else { 1.0 };
    Evaluation {
        score: round4(score),
        components,
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
        if ctx.relevance.asked && ctx.relevance.interest(metiers).is_none() {
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
            score: evaluate::<K>(ctx, metiers, facts, distance, false).score,
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
            .then_with(|| id(a).cmp(id(b)))
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
    let e = evaluate::<K>(ctx, table.metiers(i), &table.facts[i], s.distance, true);
    let mut reasons = Vec::new();
    if let Some((link, metier)) = e.link {
        reasons.push(ctx.relevance.reason(ctx.rome, link, metier));
    }
    if let Some(code) = &e.sector {
        if let Ok(d) = ctx.rome.domaine(code) {
            reasons.push(format!("Secteur : {}", d.label));
        }
    }
    if let Some(d) = s.distance {
        reasons.push(if d < 1.0 {
            "à moins de 1 km".to_string()
        } else {
            format!("à {d:.0} km")
        });
    }
    K::extra_reasons(index, i, &table.facts[i], &mut reasons);
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
        reasons,
        widened: s
            .widened
            .and_then(|k| widened_labels.get(usize::from(k)).cloned()),
        item: K::item(catalog, index, i)?,
    })
}
