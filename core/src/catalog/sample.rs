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
use crate::calendar::{Date, Period};
use crate::catalog::{
    Ambassador, AmbassadorKind, Audience, Catalog, Company, Contact, ContactMode, Location,
    SizeBand, Stage, StageKind,
};
use crate::error::Result;
use crate::geo::{distance_km, Commune, Geography};
use crate::referential::Referential;
use serde::{Deserialize, Serialize};

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

/// Grand domaine shares of companies, before local adjustments.
const GRAND_DOMAINES: [(&str, f64); 14] = [
    ("D", 20.0), // commerce, vente, grande distribution
    ("H", 17.0), // industrie
    ("J", 10.0), // santé
    ("F", 9.0),  // construction, bâtiment
    ("K", 8.0),  // services à la personne et à la collectivité
    ("N", 8.0),  // transport et logistique
    ("G", 8.0),  // hôtellerie-restauration, tourisme
    ("A", 6.0),  // agriculture, espaces verts, soins aux animaux
    ("I", 6.0),  // installation et maintenance
    ("M", 4.0),  // support à l'entreprise
    ("C", 2.0),  // banque, assurance, immobilier
    ("E", 1.0),  // communication, médias
    ("B", 0.5),  // arts et façonnage d'ouvrages d'art
    ("L", 0.5),  // spectacle
];

/// Domaines weighing more than 1 inside their grand domaine.
const DOMAINE_BOOSTS: [(&str, f64); 20] = [
    ("H21", 4.0), // agro-alimentaire
    ("H29", 3.0), // mécanique, automobile
    ("H23", 2.5), // chimie, pharmacie (vallée de la Seine)
    ("H27", 2.0), // énergie (Flamanville, Paluel, Penly)
    ("H26", 1.5), // électronique, aéronautique
    ("H25", 1.5),
    ("H33", 1.5),
    ("H12", 1.5),
    ("A14", 2.0), // production agricole
    ("A15", 2.5), // soins aux animaux: chevaux de l'Orne et de la Manche
    ("D15", 2.5), // grande distribution
    ("D12", 2.0),
    ("D11", 2.0),
    ("N11", 2.0), // magasinage, manutention
    ("N12", 1.5),
    ("N41", 2.0),
    ("N32", 1.5), // portuaire
    ("J15", 2.0), // soins paramédicaux
    ("K13", 1.5), // aide à la vie quotidienne
    ("G18", 1.5), // service en restauration
];

const COMPANY_WORDS: [(&str, &[&str]); 14] = [
    ("A", &["Ferme", "Haras", "Pépinières", "GAEC"]),
    ("B", &["Atelier d'art", "Maison d'artisans"]),
    ("C", &["Agence", "Cabinet"]),
    ("D", &["Magasin", "Commerce", "Boutique", "Hypermarché"]),
    ("E", &["Studio", "Éditions"]),
    ("F", &["Bâtiment", "Constructions", "Charpentes"]),
    ("G", &["Hôtel", "Restaurant", "Auberge"]),
    ("H", &["Industries", "Ateliers", "Usine", "Laboratoires"]),
    ("I", &["Maintenance", "Services techniques"]),
    ("J", &["Centre de santé", "Clinique", "Cabinet médical"]),
    ("K", &["Association", "Services", "Centre social"]),
    ("L", &["Compagnie", "Scène"]),
    ("M", &["Conseil", "Cabinet"]),
    ("N", &["Transports", "Logistique", "Entrepôts"]),
];

const GREEK: [&str; 16] = [
    "Alpha", "Bêta", "Gamma", "Delta", "Epsilon", "Zêta", "Êta", "Thêta", "Iota", "Kappa",
    "Lambda", "Mu", "Sigma", "Tau", "Oméga", "Psi",
];

const FIRST_NAMES: [&str; 24] = [
    "Camille",
    "Dominique",
    "Claude",
    "Alex",
    "Sacha",
    "Charlie",
    "Morgan",
    "Lou",
    "Noa",
    "Eden",
    "Maël",
    "Yanis",
    "Léa",
    "Inès",
    "Hugo",
    "Jade",
    "Lucas",
    "Manon",
    "Nathan",
    "Chloé",
    "Enzo",
    "Emma",
    "Louis",
    "Zoé",
];

const TRAININGS: [&str; 7] = [
    "CAP",
    "Bac pro",
    "BTS",
    "BUT",
    "Licence professionnelle",
    "Titre professionnel",
    "Diplôme d'État",
];

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
}

struct Generator<'a> {
    rng: fastrand::Rng,
    rome: &'a Referential,
    communes: Vec<&'a Commune>,
    by_population: Weighted,
    by_city: Weighted,
    domaines: Vec<DomainePool>,
    /// Per grand domaine, a weighted choice among its domaines (indices into `domaines`).
    domaine_pick: Vec<(Vec<usize>, Weighted)>,
    calendar: SchoolCalendar,
}

fn location(c: &Commune) -> Location {
    Location {
        commune: Some(c.insee.clone()),
        postal_code: c.postal_codes.first().cloned(),
        lat: c.lat,
        lon: c.lon,
        departement: Some(c.departement.clone()),
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
                Some(d) if d.code == code => d.metiers.push(m.code.clone()),
                _ => domaines.push(DomainePool {
                    code: code.to_string(),
                    grand: GRAND_DOMAINES
                        .iter()
                        .position(|(g, _)| *g == m.grand_domaine_code())
                        .unwrap_or(0),
                    metiers: vec![m.code.clone()],
                }),
            }
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
        let rural_west = matches!(c.departement.as_str(), "50" | "61");
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
        let n = 1 + usize::from(max > 1 && self.chance(0.25));
        let mut out: Vec<String> = (0..n)
            .map(|_| {
                let k = self.index(self.domaines[domaine].metiers.len());
                self.domaines[domaine].metiers[k].clone()
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn company(&mut self, i: usize) -> Company {
        let commune = self.communes[self.by_population.pick(&mut self.rng)];
        let grand = self.grand_domaine_for(commune);
        let domaine = self.domaine_in(grand);
        let words = COMPANY_WORDS
            .iter()
            .find(|(g, _)| *g == GRAND_DOMAINES[grand].0)
            .map_or(&["Entreprise"][..], |w| w.1);
        let word = *self.one(words);
        let greek = *self.one(&GREEK);
        let size = match self.rng.f64() {
            x if x < 0.50 => SizeBand::Tpe,
            x if x < 0.88 => SizeBand::Pme,
            x if x < 0.97 => SizeBand::Eti,
            _ => SizeBand::Ge,
        };
        Company {
            id: format!("C{:06}", i + 1),
            name: format!("{word} {greek} de {} (fictif)", commune.name),
            siret: None,
            place: location(commune),
            sectors: vec![self.domaines[domaine].code.clone()],
            size: Some(size),
        }
    }

    fn audiences(&mut self) -> Vec<Audience> {
        let shares = [0.7, 0.8, 0.5, 0.4, 0.4];
        let mut out: Vec<Audience> = Audience::ALL
            .iter()
            .zip(shares)
            .filter_map(|(a, p)| self.chance(p).then_some(*a))
            .collect();
        if out.is_empty() {
            out.push(Audience::Lycee);
        }
        out
    }

    fn contacts(&mut self) -> Vec<Contact> {
        let modes = [
            (ContactMode::Phone, 0.6),
            (ContactMode::Video, 0.5),
            (ContactMode::ClassVisit, 0.45),
            (ContactMode::CompanyVisit, 0.35),
        ];
        let mut out: Vec<Contact> = Vec::new();
        for (mode, p) in modes {
            if self.chance(p) {
                let visit = matches!(mode, ContactMode::ClassVisit | ContactMode::CompanyVisit);
                out.push(Contact {
                    mode,
                    sessions_per_month: Some(self.rng.u16(1..=4)),
                    max_group: visit.then(|| self.rng.u16(12..=35)),
                });
            }
        }
        if out.is_empty() {
            out.push(Contact {
                mode: ContactMode::Phone,
                sessions_per_month: Some(2),
                max_group: None,
            });
        }
        out
    }

    fn ambassador_metier(&mut self, i: usize, owner: &Company) -> Ambassador {
        let domaine = self
            .domaines
            .iter()
            .position(|d| owner.sectors.first() == Some(&d.code))
            .unwrap_or(0);
        let contacts = self.contacts();
        let visits = contacts.iter().any(|c| c.mode == ContactMode::ClassVisit);
        let first = *self.one(&FIRST_NAMES);
        let initial = char::from(b'A' + self.rng.u8(0..26));
        Ambassador {
            id: format!("AM{:06}", i + 1),
            kind: AmbassadorKind::Metier,
            name: Some(format!("{first} {initial}. (fictif)")),
            company: Some(owner.id.clone()),
            training: None,
            metiers: self.metiers_of(domaine, 2),
            contacts,
            audiences: self.audiences(),
            travel_radius_km: visits.then(|| f64::from(self.rng.u8(2..=12)) * 5.0),
            availability: self.availability(),
            response_rate: Some(f64::from(self.rng.u8(30..=100)) / 100.0),
            bookings: self.rng.u32(0..=3),
            place: Some(owner.place.clone()),
        }
    }

    fn ambassador_formation(&mut self, i: usize) -> Ambassador {
        let commune = self.communes[self.by_city.pick(&mut self.rng)];
        let grand = Weighted::new(GRAND_DOMAINES.iter().map(|g| g.1)).pick(&mut self.rng);
        let domaine = self.domaine_in(grand);
        let level = *self.one(&TRAININGS);
        let domaine_label = self
            .rome
            .domaine(&self.domaines[domaine].code)
            .map(|d| d.label.clone())
            .unwrap_or_default();
        let first = *self.one(&FIRST_NAMES);
        let initial = char::from(b'A' + self.rng.u8(0..26));
        Ambassador {
            id: format!("AF{:06}", i + 1),
            kind: AmbassadorKind::Formation,
            name: Some(format!("{first} {initial}. (fictif)")),
            company: None,
            training: Some(format!(
                "{level} — {domaine_label}, établissement fictif de {}",
                commune.name
            )),
            metiers: self.metiers_of(domaine, 2),
            contacts: vec![
                Contact {
                    mode: ContactMode::Video,
                    sessions_per_month: Some(self.rng.u16(1..=3)),
                    max_group: None,
                },
                Contact {
                    mode: ContactMode::ClassVisit,
                    sessions_per_month: Some(1),
                    max_group: Some(30),
                },
            ],
            audiences: vec![Audience::College, Audience::Lycee],
            travel_radius_km: Some(f64::from(self.rng.u8(4..=10)) * 5.0),
            availability: self.availability(),
            response_rate: Some(f64::from(self.rng.u8(40..=100)) / 100.0),
            bookings: self.rng.u32(0..=2),
            place: Some(location(commune)),
        }
    }

    /// Most ambassadors are available all school year; some only in a term.
    fn availability(&mut self) -> Vec<Period> {
        let year = |a: (i32, u32, u32), b: (i32, u32, u32)| Period {
            start: Date::known(a.0, a.1, a.2),
            end: Date::known(b.0, b.1, b.2),
        };
        match self.rng.u8(0..10) {
            0 => vec![year((2026, 9, 1), (2026, 12, 18))],
            1 => vec![year((2027, 1, 4), (2027, 7, 3))],
            _ => vec![year((2026, 9, 1), (2027, 7, 3))],
        }
    }

    /// Mondays (as periods of `days` weekdays) inside holidays of at least a week.
    fn holiday_weeks(&self) -> Vec<Date> {
        let mut mondays = Vec::new();
        for h in &self.calendar.holidays {
            let mut d = h.period.start;
            while d <= h.period.end {
                if d.weekday() == 0 && d.plus_days(4) <= h.period.end {
                    mondays.push(d);
                }
                d = d.plus_days(1);
            }
        }
        mondays
    }

    /// Mondays of full school weeks from December to early June (3e observation weeks).
    fn school_weeks(&self) -> Vec<Date> {
        let (mut d, end) = (Date::known(2026, 11, 30), Date::known(2027, 6, 7));
        let mut mondays = Vec::new();
        while d <= end {
            let week = Period {
                start: d,
                end: d.plus_days(4),
            };
            if self
                .calendar
                .holidays
                .iter()
                .all(|h| !h.period.overlaps(&week))
            {
                mondays.push(d);
            }
            d = d.plus_days(7);
        }
        mondays
    }

    fn stage(&mut self, i: usize, owner: &Company, weeks: &(Vec<Date>, Vec<Date>)) -> Stage {
        let domaine = self
            .domaines
            .iter()
            .position(|d| owner.sectors.first() == Some(&d.code))
            .unwrap_or(0);
        let kind = match self.rng.f64() {
            x if x < 0.42 => StageKind::MiniStage,
            x if x < 0.77 => StageKind::Observation3e,
            x if x < 0.90 => StageKind::Seconde,
            _ => StageKind::LongProfessionnel,
        };
        let week = |g: &mut Self, list: &[Date]| *g.one(list);
        let (periods, places_total) = match kind {
            StageKind::MiniStage if !weeks.0.is_empty() => {
                let monday = week(self, &weeks.0);
                let days = self.rng.i32(3..=5);
                (
                    vec![Period {
                        start: monday,
                        end: monday.plus_days(days - 1),
                    }],
                    self.rng.u32(1..=3),
                )
            }
            StageKind::Observation3e if !weeks.1.is_empty() => {
                // A company takes pupils from two or three collèges, in their weeks.
                let n = self.rng.u32(1..=3);
                let mut p: Vec<Period> = (0..n)
                    .map(|_| {
                        let monday = week(self, &weeks.1);
                        Period {
                            start: monday,
                            end: monday.plus_days(4),
                        }
                    })
                    .collect();
                p.sort();
                p.dedup();
                (p, self.rng.u32(1..=4))
            }
            StageKind::Seconde => {
                let start = Date::known(2027, 6, 14);
                (
                    vec![Period {
                        start,
                        end: start.plus_days(11),
                    }],
                    self.rng.u32(1..=2),
                )
            }
            _ => {
                let start = Date::known(2027, self.rng.u32(1..=5), 1);
                let start = start.plus_days(((7 - start.weekday()) % 7) as i32);
                let weeks_long = self.rng.i32(4..=12);
                (
                    vec![Period {
                        start,
                        end: start.plus_days(weeks_long * 7 - 3),
                    }],
                    self.rng.u32(1..=2),
                )
            }
        };
        let kind = if periods.is_empty() {
            StageKind::LongProfessionnel
        } else {
            kind
        };
        let taken = (0..places_total).filter(|_| self.chance(0.3)).count() as u32;
        let metiers = self.metiers_of(domaine, 2);
        let label = self
            .rome
            .metier(&metiers[0])
            .map(|m| m.label.clone())
            .unwrap_or_default();
        Stage {
            id: format!("S{:06}", i + 1),
            company: owner.id.clone(),
            kind,
            title: Some(format!("{} : {label}", capitalise(kind.label()))),
            metiers,
            place: Some(owner.place.clone()),
            periods,
            places_total,
            places_left: Some(places_total - taken),
            audiences: kind.default_audiences().to_vec(),
            accessible: self.chance(0.35),
            max_group: None,
            description: None,
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
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
    if !companies.is_empty() {
        for i in 0..spec.ambassadeurs_metier {
            let owner = &companies[by_size.pick(&mut g.rng)];
            catalog.insert_ambassador(g.ambassador_metier(i, owner), false)?;
        }
        for i in 0..spec.stages {
            let owner = &companies[for_stages.pick(&mut g.rng)];
            catalog.insert_stage(g.stage(i, owner, &weeks), false)?;
        }
    }
    for i in 0..spec.ambassadeurs_formation {
        catalog.insert_ambassador(g.ambassador_formation(i), false)?;
    }
    for c in companies {
        catalog.insert_company(c, false)?;
    }
    Ok(catalog)
}
