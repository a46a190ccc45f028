//! Territory analytics: coverage of every commune of Normandy (14 grands domaines × 3 radii),
//! the same at France scale (34,931 communes, 500,000 stages, 30 km), white zones and supply
//! and demand on the Normandy default.

use criterion::{criterion_group, criterion_main, Criterion};
use metiers::analytics::{CoverageRequest, DemandRequest, WhiteZoneRequest};
use metiers::{Engine, Geography, Referential, SampleSpec};
use std::hint::black_box;

fn normandy(c: &mut Criterion) {
    let e = Engine::normandy().unwrap();
    e.prepare_search();
    let mut g = c.benchmark_group("analytics_normandy");
    let three = CoverageRequest {
        radii_km: vec![5.0, 15.0, 30.0],
        ..Default::default()
    };
    g.bench_function("coverage_communes_14x3", |b| {
        b.iter(|| e.coverage(black_box(&three)).unwrap());
    });
    g.sample_size(10);
    let zones = WhiteZoneRequest {
        radii_km: vec![15.0],
        ..Default::default()
    };
    g.bench_function("white_zones_14_sectors_1km_contours", |b| {
        b.iter(|| e.white_zones(black_box(&zones)).unwrap());
    });
    let demand = DemandRequest::default();
    g.bench_function("supply_demand_388_colleges", |b| {
        b.iter(|| e.supply_demand(black_box(&demand)).unwrap());
    });
    g.finish();
}

fn france(c: &mut Criterion) {
    // Built on first use, so a filtered run of the Normandy group does not pay for it.
    let engine = std::sync::OnceLock::new();
    let e = || {
        engine.get_or_init(|| {
            let e = Engine::new(
                Referential::embedded().unwrap(),
                Geography::france().unwrap(),
            )
            .with_sample(&SampleSpec::france())
            .unwrap();
            e.prepare_search();
            e
        })
    };
    let mut g = c.benchmark_group("analytics_france_500k_stages");
    g.sample_size(10);
    let request = CoverageRequest {
        radii_km: vec![30.0],
        ..Default::default()
    };
    g.bench_function("coverage_communes_14_sectors_30km", |b| {
        let e = e();
        b.iter(|| e.coverage(black_box(&request)).unwrap());
    });
    g.finish();
}

criterion_group!(benches, normandy, france);
criterion_main!(benches);
