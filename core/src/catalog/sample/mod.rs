//! A seeded generator of fictitious but realistic catalogues.
//!
//! The Normandy default follows Destination Métier's 2023 counts (1,128 companies, 1,283
//! ambassadeurs métier, 152 ambassadeurs formation, 591 stage offers). Places follow commune
//! population with a floor so rural communes get some; sectors follow the regional economy
//! (commerce and distribution first; industry strong: agri-food, mechanics and automotive,
//! chemicals, energy, aeronautics; health and social care; logistics around Le Havre and Rouen;
//! agriculture and horses in the Orne and the Manche). Every name says it is fictitious.
//! Same spec, same catalogue, on every platform.

// The generator indexes the referential, the communes and its own draws (bounded by the
// lengths it draws from); it reads no caller input but the seed and the counts of a spec.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use crate::calendar::SchoolCalendar;
use crate::catalog::{Additions, Catalog, Company, Location, SizeBand};
use crate::error::Result;
use crate::geo::{distance_km, Commune, Geography};
use crate::referential::Referential;
use crate::sorting::Sort;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use words::{DOMAINE_BOOSTS, GRAND_DOMAINES};

mod items;
mod words;

/// How big a sample to generate, and from which seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleSpec {
    /// Seed of the pseudo-random generator.
    pub seed: u64,
    /// Companies.
    pub companies: usize,
    /// Ambassadeurs métier.
    pub ambassadeurs_metier: usize,
    /// Ambassadeurs formation.
    pub ambassadeurs_formation: usize,
    /// Stage offers.
    pub stages: usize,
}

impl SampleSpec {
    /// Destination Métier's 2023 counts for Normandy.
    pub fn normandy() -> SampleSpec {
        SampleSpec {
            seed: 2026,
            companies: 1128,
            ambassadeurs_metier: 1283,
            ambassadeurs_formation: 152,
            stages: 591,
        }
    }

    /// The benchmark scale for all of France: 100,000 companies and 500,000 stages.
    pub fn france() -> SampleSpec {
        SampleSpec {
            seed: 2026,
            companies: 100_000,
            ambassadeurs_metier: 113_700,
            ambassadeurs_formation: 13_500,
            stages: 500_000,
        }
    }
}

/// Weighted choice by binary search over cumulative weights.
struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Weighted {
        let mut total = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                total += w.max(0.0);
                total
            })
            .collect();
        Weighted { cumulative }
    }

    fn pick(&self, rng: &mut fastrand::Rng) -> usize {
        let total = *self.cumulative.last().unwrap_or(&0.0);
        let x = rng.f64() * total;
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

struct DomainePool {
    code: String,
    grand: usize,
    metiers: Vec<String>,
    /// The label of each of `metiers`.
    labels: Vec<String>,
}

struct Generator<'a> {
    rng: fastrand::Rng,
    rome: &'a Referential,
    communes: Vec<&'a Commune>,
    by_population: Weighted,
    by_city: Weighted,
    domaines: Vec<DomainePool>,
    /// The first of `domaines` with a code: a company's sector found by hash (a scan of the
    /// domaines per stage was a sixth of generating the France-scale sample).
    domaine_of: rustc_hash::FxHashMap<String, usize>,
    /// Per grand domaine, a weighted choice among its domaines (indices into `domaines`).
    domaine_pick: Vec<(Vec<usize>, Weighted)>,
    calendar: SchoolCalendar,
}

fn location(c: &Commune) -> Location {
    Location {
        commune: Some(Arc::clone(&c.insee)),
        postal_code: c.postal_codes.first().map(|p| p.as_str().into()),
        lat: c.lat,
        lon: c.lon,
        departement: Some(Arc::clone(&c.departement)),
    }
}

impl<'a> Generator<'a> {
    fn new(
        rome: &'a Referential,
        geo: &'a Geography,
        calendar: Option<&SchoolCalendar>,
        seed: u64,
    ) -> Result<Generator<'a>> {
        let communes: Vec<&Commune> = geo
            .communes()
            .iter()
            .filter(|c| c.lat.is_some() && c.lon.is_some())
            .collect();
        // A floor of 250 inhabitants gives rural communes a share; cities weigh in proportion.
        let by_population = Weighted::new(communes.iter().map(|c| f64::from(c.population) + 250.0));
        let by_city = Weighted::new(
            communes
                .iter()
                .map(|c| libm::pow(f64::from(c.population), 1.4)),
        );
        let mut domaines: Vec<DomainePool> = Vec::new();
        for m in rome.metiers() {
            let code = m.domaine_code();
            match domaines.last_mut() {
                Some(d) if d.code == code => {
                    d.metiers.push(m.code.clone());
                    d.labels.push(m.label.clone());
                }
                _ => domaines.push(DomainePool {
                    code: code.to_string(),
                    grand: GRAND_DOMAINES
                        .iter()
                        .position(|(g, _)| *g == m.grand_domaine_code())
                        .unwrap_or(0),
                    metiers: vec![m.code.clone()],
                    labels: vec![m.label.clone()],
                }),
            }
        }
        let mut domaine_of = rustc_hash::FxHashMap::default();
        for (i, d) in domaines.iter().enumerate() {
            domaine_of.entry(d.code.clone()).or_insert(i);
        }
        let domaine_pick = (0..GRAND_DOMAINES.len())
            .map(|g| {
                let members: Vec<usize> = (0..domaines.len())
                    .filter(|&i| domaines[i].grand == g)
                    .collect();
                let weights = members.iter().map(|&i| {
                    DOMAINE_BOOSTS
                        .iter()
                        .find(|(c, _)| *c == domaines[i].code)
                        .map_or(1.0, |b| b.1)
                });
                let w = Weighted::new(weights);
                (members, w)
            })
            .collect();
        let calendar = match calendar {
            Some(c) => c.clone(),
            None => SchoolCalendar::zone_b_2026_2027()?,
        };
        Ok(Generator {
            rng: fastrand::Rng::with_seed(seed),
            rome,
            communes,
            by_population,
            by_city,
            domaines,
            domaine_of,
            domaine_pick,
            calendar,
        })
    }

    fn one<'s, T>(&mut self, items: &'s [T]) -> &'s T {
        &items[self.index(items.len())]
    }

    /// A uniform index below `len`. Never `rng.usize`: it draws 32 bits on wasm32 and 64 bits
    /// natively, which would give the browser a different catalogue.
    fn index(&mut self, len: usize) -> usize {
        self.rng.u32(..len as u32) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.f64() < p
    }

    /// A grand domaine for a commune: logistics near the Seine ports, farming and horses in
    /// the Orne and the Manche.
    fn grand_domaine_for(&mut self, c: &Commune) -> usize {
        let point = (c.lat.unwrap_or(0.0), c.lon.unwrap_or(0.0));
        let near_port = distance_km(point, (49.4958, 0.1312)) < 30.0
            || distance_km(point, (49.4412, 1.0912)) < 30.0;
        let rural_west = matches!(&*c.departement, "50" | "61");
        let weights = GRAND_DOMAINES.iter().map(|(g, w)| match *g {
            "N" if near_port => w * 3.0,
            "A" if rural_west => w * 2.5,
            _ => *w,
        });
        Weighted::new(weights).pick(&mut self.rng)
    }

    fn domaine_in(&mut self, grand: usize) -> usize {
        let (members, weights) = &self.domaine_pick[grand];
        members[weights.pick(&mut self.rng)]
    }

    fn metiers_of(&mut self, domaine: usize, max: usize) -> Vec<String> {
        self.metiers_and_first(domaine, max).0
    }

    /// [`Generator::metiers_of`] (the same draws) and where the first of them stands in its
    /// domaine's pool, for its label.
    fn metiers_and_first(&mut self, domaine: usize, max: usize) -> (Vec<String>, Option<usize>) {
        let n = 1 + usize::from(max > 1 && self.chance(0.25));
        let mut picks: Vec<usize> = (0..n)
            .map(|_| self.index(self.domaines[domaine].metiers.len()))
            .collect();
        let pool = &self.domaines[domaine];
        // In the order of the codes, each once.
        picks.stable_by(|&a, &b| pool.metiers[a].cmp(&pool.metiers[b]));
        picks.dedup_by(|a, b| pool.metiers[*a] == pool.metiers[*b]);
        let codes = picks.iter().map(|&k| pool.metiers[k].clone()).collect();
        (codes, picks.first().copied())
    }

    /// The index in `domaines` of a company's first sector (the first domaine when it has none
    /// the referential knows).
    fn domaine_of(&self, owner: &Company) -> usize {
        owner
            .sectors
            .first()
            .and_then(|c| self.domaine_of.get(c.as_str()))
            .copied()
            .unwrap_or(0)
    }
}

/// A text with its first letter in capitals, written where it goes (no string of its own).
struct Capitalised<'s>(&'s str);

impl std::fmt::Display for Capitalised<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut c = self.0.chars();
        if let Some(first) = c.next() {
            for u in first.to_uppercase() {
                std::fmt::Write::write_char(f, u)?;
            }
            f.write_str(c.as_str())?;
        }
        Ok(())
    }
}

/// Generates a catalogue. Deterministic: the same spec gives the same catalogue.
pub fn generate(
    rome: &Referential,
    geo: &Geography,
    calendar: Option<&SchoolCalendar>,
    spec: &SampleSpec,
) -> Result<Catalog> {
    let mut g = Generator::new(rome, geo, calendar, spec.seed)?;
    let mut catalog = Catalog::new();
    if g.communes.is_empty() {
        return Ok(catalog);
    }
    let companies: Vec<Company> = (0..spec.companies).map(|i| g.company(i)).collect();
    // Larger companies volunteer more ambassadors; commerce offers the most stages.
    let by_size = Weighted::new(companies.iter().map(|c| match c.size {
        Some(SizeBand::Ge) => 20.0,
        Some(SizeBand::Eti) => 8.0,
        Some(SizeBand::Pme) => 3.0,
        _ => 1.0,
    }));
    let for_stages = Weighted::new(companies.iter().map(|c| {
        if c.sectors.first().is_some_and(|s| s.starts_with('D')) {
            1.6
        } else {
            1.0
        }
    }));
    let weeks = (g.holiday_weeks(), g.school_weeks());
    // Added as a load adds its rows: the items' ids come in order, so each joins a sorted run
    // and the catalogue's trees are built from the runs in one pass, instead of descending a
    // tree for each of 500,000 stages at France scale.
    let mut added = Additions::default();
    if !companies.is_empty() {
        for i in 0..spec.ambassadeurs_metier {
            let owner = &companies[by_size.pick(&mut g.rng)];
            added.add_ambassador(g.ambassador_metier(i, owner), &catalog)?;
        }
        for i in 0..spec.stages {
            let owner = &companies[for_stages.pick(&mut g.rng)];
            added.add_stage(g.stage(i, owner, &weeks), &catalog)?;
        }
    }
    for i in 0..spec.ambassadeurs_formation {
        added.add_ambassador(g.ambassador_formation(i), &catalog)?;
    }
    for c in companies {
        added.add_company(c, &catalog)?;
    }
    catalog.absorb(added);
    Ok(catalog)
}
