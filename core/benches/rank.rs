//! Ranking benchmarks: one query on the Normandy default, one query on a France-scale catalogue
//! (500,000 stages) at 10, 30 and 100 km, and 10,000 batch queries.
//! Run with `cargo bench -p metiers --bench rank`.
// The standard sorts are kept out of the library only (core/clippy.toml); tests may use them.
#![allow(clippy::disallowed_methods)]

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use metiers::{Engine, Geography, Query, Referential, SampleSpec};
use std::hint::black_box;

fn normandy(c: &mut Criterion) {
    let e = Engine::normandy().unwrap();
    e.prepare_search();
    let mut g = c.benchmark_group("normandy");
    let flers = Query::near("Flers")
        .radius(30.0)
        .interest("J'aime le travail manuel");
    g.bench_function("stages_flers_30km_interest", |b| {
        b.iter(|| e.search_stages(black_box(&flers)).unwrap());
    });
    let fraiseur = Query::near("Caen").radius(30.0).metier("fraiseur");
    g.bench_function("stages_caen_30km_free_text_metier", |b| {
        b.iter(|| e.search_stages(black_box(&fraiseur)).unwrap());
    });
    let amb = Query::near("Rouen").radius(20.0).interest("29");
    g.bench_function("ambassadors_rouen_20km", |b| {
        b.iter(|| e.search_ambassadors(black_box(&amb)).unwrap());
    });
    g.bench_function("index_build_after_change", |b| {
        b.iter_batched(
            || e.clone().with_sample(&SampleSpec::normandy()).unwrap(),
            |fresh| fresh.prepare_search(),
            BatchSize::LargeInput,
        );
    });

    // 10,000 queries: each commune centre of a rotating list, with one of five interests.
    let communes: Vec<String> = e
        .geography()
        .communes()
        .iter()
        .map(|c| c.insee.to_string())
        .collect();
    let interests = ["14", "4", "22", "29", "3"];
    let queries: Vec<Query> = (0..10_000)
        .map(|i| {
            Query::near(communes[(i * 7919) % communes.len()].clone())
                .radius(30.0)
                .interest(interests[i % 5])
        })
        .collect();
    g.sample_size(10);
    g.bench_function("batch_10000_queries", |b| {
        b.iter(|| e.search_stages_batch(black_box(&queries)));
    });
    g.finish();
}

fn france(c: &mut Criterion) {
    let e = Engine::new(
        Referential::embedded().unwrap(),
        Geography::france().unwrap(),
    )
    .with_sample(&SampleSpec::france())
    .unwrap();
    e.prepare_search();
    let mut g = c.benchmark_group("france_500k_stages");
    for radius in [10.0, 30.0, 100.0] {
        let q = Query::near("Caen")
            .radius(radius)
            .interest("J'aime le travail manuel");
        g.bench_function(format!("stages_{radius:.0}km"), |b| {
            b.iter(|| e.search_stages(black_box(&q)).unwrap());
        });
    }
    // The same search returning one match: the difference is the cost of building 19 matches
    // (each stage cloned out of the catalogue, its reasons written).
    let q = Query::near("Caen")
        .radius(30.0)
        .interest("J'aime le travail manuel")
        .limit(1);
    g.bench_function("stages_30km_top1", |b| {
        b.iter(|| e.search_stages(black_box(&q)).unwrap());
    });
    // Fixed costs (locate, relevance table, page building) against the per-candidate work.
    let q = Query::near("Caen")
        .radius(1.0)
        .interest("J'aime le travail manuel");
    g.bench_function("stages_1km_fixed_costs", |b| {
        b.iter(|| e.search_stages(black_box(&q)).unwrap());
    });
    let q = Query::near("Caen").radius(30.0);
    g.bench_function("stages_30km_no_interest", |b| {
        b.iter(|| e.search_stages(black_box(&q)).unwrap());
    });
    let q = Query::near("Lyon")
        .radius(30.0)
        .interest("J'aime le travail manuel");
    g.bench_function("stages_30km_lyon", |b| {
        b.iter(|| e.search_stages(black_box(&q)).unwrap());
    });
    g.finish();
}

criterion_group!(benches, normandy, france);
criterion_main!(benches);
