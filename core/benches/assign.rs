//! Placement benchmarks. Run with `cargo bench -p metiers --bench assign`.
//!
//! - `market_40k` / `market_800k`: the mechanism alone (deferred acceptance), 40,000 pupils ×
//!   5 wishes over 10,000 stages (about 40,000 places), and France's 800,000 over 200,000;
//! - `engine_40k`: `Engine::assign` end to end on such an instance (eligibility, distances,
//!   keys, certificate, report; no suggestions). With `METIERS_PLACEMENT_DIR` set (by
//!   benches/peers/run.sh), the instance is the one the Python peers run on;
//! - `wishes_from_profiles`: the wishes of the whole Normandy cohort (about 38,000 pupils)
//!   ranked from their profiles.

use criterion::{criterion_group, criterion_main, Criterion};
use metiers::assign::{Contract, Market};
use metiers::{AssignRequest, CohortSpec, Engine, LoadMode, Priorities, Pupil, Region};
use std::hint::black_box;

/// Stage capacities 1..=7 and each pupil's distinct wishes, uniform, seeded.
fn shape(seed: u64, pupils: usize, stages: usize) -> (Vec<u32>, Vec<Vec<u32>>) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let caps = (0..stages).map(|_| rng.u32(1..=7)).collect();
    let wishes = (0..pupils)
        .map(|_| {
            let mut w: Vec<u32> = Vec::with_capacity(5);
            while w.len() < 5 {
                let s = rng.u32(..stages as u32);
                if !w.contains(&s) {
                    w.push(s);
                }
            }
            w
        })
        .collect();
    (caps, wishes)
}

fn market(seed: u64, pupils: usize, stages: usize) -> Market {
    let (caps, wishes) = shape(seed, pupils, stages);
    let mut rng = fastrand::Rng::with_seed(seed ^ 1);
    let mut lottery: Vec<u64> = (0..pupils as u64).collect();
    rng.shuffle(&mut lottery);
    let prefs = wishes
        .iter()
        .zip(&lottery)
        .map(|(w, key)| {
            w.iter()
                .map(|s| Contract {
                    nodes: [*s, 0, 0],
                    len: 1,
                    key: *key,
                    favoured: false,
                })
                .collect()
        })
        .collect();
    Market::new(caps, vec![0; stages], prefs).unwrap()
}

/// An engine holding the instance's stages (one week, one company each, in Calvados) and its
/// pupils: from `METIERS_PLACEMENT_DIR` when set, else generated.
fn instance() -> (Engine, Vec<Pupil>) {
    let mut e = Engine::empty(Region::Normandy).unwrap();
    if let Some(dir) = std::env::var_os("METIERS_PLACEMENT_DIR") {
        let dir = std::path::PathBuf::from(dir);
        let catalog = std::fs::read(dir.join("catalog.json")).unwrap();
        e.load_json("catalog.json", &catalog, LoadMode::Strict)
            .unwrap();
        let pupils = std::fs::read_to_string(dir.join("pupils.json")).unwrap();
        return (e, serde_json::from_str(&pupils).unwrap());
    }
    let (caps, wishes) = shape(7, 40_000, 10_000);
    let communes: Vec<String> = e
        .geography()
        .communes()
        .iter()
        .filter(|c| &*c.departement == "14")
        .map(|c| c.insee.to_string())
        .collect();
    let week = serde_json::json!([{"start": "2027-01-18", "end": "2027-01-22"}]);
    let companies: Vec<_> = (0..caps.len())
        .map(|i| serde_json::json!({"id": format!("c{i}"), "name": "Entreprise (fictif)", "place": {"commune": communes[i % communes.len()]}}))
        .collect();
    let stages: Vec<_> = caps
        .iter()
        .enumerate()
        .map(|(i, n)| serde_json::json!({"id": format!("s{i}"), "company": format!("c{i}"), "kind": "observation_3e", "metiers": ["H2903"], "periods": week, "places_total": n}))
        .collect();
    let doc = serde_json::json!({"companies": companies, "stages": stages}).to_string();
    e.load_json("bench.json", doc.as_bytes(), LoadMode::Strict)
        .unwrap();
    let pupils = wishes
        .iter()
        .enumerate()
        .map(|(i, w)| Pupil {
            id: format!("p{i}"),
            school: "0140006F".into(),
            weeks: vec!["2027-W03".into()],
            wishes: w.iter().map(|s| format!("s{s}")).collect(),
            ..Pupil::default()
        })
        .collect();
    (e, pupils)
}

fn assign(c: &mut Criterion) {
    let mut g = c.benchmark_group("assign");
    g.sample_size(10);
    let m40 = market(1, 40_000, 10_000);
    g.bench_function("market_40k", |b| b.iter(|| black_box(&m40).solve()));
    let m800 = market(2, 800_000, 200_000);
    g.bench_function("market_800k", |b| b.iter(|| black_box(&m800).solve()));
    drop(m800);
    let (engine, pupils) = instance();
    let request = AssignRequest {
        pupils,
        priorities: Priorities {
            distance: false,
            seed: 1,
            ..Priorities::default()
        },
        suggestions: Some(0),
        ..AssignRequest::default()
    };
    g.bench_function("engine_40k", |b| {
        b.iter(|| engine.assign(black_box(&request)).unwrap());
    });
    let normandy = Engine::normandy().unwrap();
    let cohort = normandy.cohort(&CohortSpec::default()).unwrap();
    g.bench_function("wishes_from_profiles", |b| {
        b.iter(|| normandy.with_wishes(black_box(cohort.clone())).unwrap());
    });
    g.finish();
}

criterion_group!(benches, assign);
criterion_main!(benches);
