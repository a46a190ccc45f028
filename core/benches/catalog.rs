//! Catalogue benchmarks: start-up with the embedded sample, generation, loading a portal's file.
//! Run with `cargo bench -p metiers --bench catalog`.

use criterion::{criterion_group, criterion_main, Criterion};
use metiers::{Engine, LoadMode, SampleSpec};
use std::hint::black_box;

fn catalog(c: &mut Criterion) {
    let mut g = c.benchmark_group("catalog");
    g.sample_size(20);
    // Warm the shared referential and communes, as any process after its first engine.
    let engine = Engine::normandy().unwrap();
    g.bench_function("engine_normandy_startup", |b| {
        b.iter(|| Engine::normandy().unwrap());
    });
    g.bench_function("generate_normandy_sample", |b| {
        b.iter(|| {
            engine
                .clone()
                .with_sample(black_box(&SampleSpec::normandy()))
                .unwrap()
        });
    });
    let doc = serde_json::json!({
        "companies": engine.catalog().companies().collect::<Vec<_>>(),
        "ambassadors": engine.catalog().ambassadors().collect::<Vec<_>>(),
        "stages": engine.catalog().stages().collect::<Vec<_>>(),
    })
    .to_string();
    let mut empty = engine.clone();
    empty.clear_catalog();
    g.bench_function("load_json_normandy_strict", |b| {
        b.iter(|| {
            let mut e = empty.clone();
            e.load_json("sample.json", black_box(doc.as_bytes()), LoadMode::Strict)
                .unwrap()
        });
    });
    g.finish();

    #[cfg(feature = "france")]
    {
        let mut g = c.benchmark_group("catalog_france");
        g.sample_size(10);
        let france = Engine::new(
            metiers::Referential::embedded().unwrap(),
            metiers::Geography::france().unwrap(),
        );
        g.bench_function("generate_500k_stages", |b| {
            b.iter(|| france.clone().with_sample(&SampleSpec::france()).unwrap());
        });
        g.finish();
    }
}

criterion_group!(benches, catalog);
criterion_main!(benches);
