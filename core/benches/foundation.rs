//! Foundation benchmarks: decoding the embedded data, locating places, job-title search.
//! Run with `cargo bench -p metiers --bench foundation`.

use criterion::{criterion_group, criterion_main, Criterion};
use metiers::{Geography, Referential};
use std::hint::black_box;

const ROME: &[u8] = include_bytes!("../data/rome.bin");
const ROME_TEXTS: &[u8] = include_bytes!("../data/rome-texts.bin");
const NORMANDY: &[u8] = include_bytes!("../data/normandy.bin");
#[cfg(feature = "france")]
const FRANCE: &[u8] = include_bytes!("../data/france.bin");

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.sample_size(20);
    g.bench_function("rome_referential", |b| {
        b.iter(|| Referential::from_bytes(black_box(ROME)).unwrap());
    });
    g.bench_function("rome_referential_and_texts", |b| {
        b.iter(|| {
            let r = Referential::from_bytes(black_box(ROME)).unwrap();
            r.with_texts(black_box(ROME_TEXTS)).unwrap()
        });
    });
    g.bench_function("rome_title_index", |b| {
        b.iter(|| {
            let r = Referential::from_bytes(black_box(ROME)).unwrap();
            r.prepare_search();
            r
        });
    });
    g.bench_function("communes_normandy", |b| {
        b.iter(|| Geography::from_bytes(black_box(NORMANDY)).unwrap());
    });
    #[cfg(feature = "france")]
    g.bench_function("communes_france", |b| {
        b.iter(|| Geography::from_bytes(black_box(FRANCE)).unwrap());
    });
    g.finish();
}

fn locate(c: &mut Criterion) {
    let geo = Geography::normandy().unwrap();
    let mut g = c.benchmark_group("locate");
    for q in [
        "Caen",
        "saint lo",
        "cherbourg",
        "50100",
        "14118",
        "Orne",
        "evreu",
    ] {
        g.bench_function(q, |b| b.iter(|| geo.locate(black_box(q)).unwrap()));
    }
    g.finish();
}

fn search(c: &mut Criterion) {
    let rome = Referential::embedded().unwrap();
    let mut g = c.benchmark_group("search");
    // Whole words, typing in progress, typos, two words.
    for q in [
        "fraiseur",
        "boulangere",
        "aide soignante",
        "developpeur web",
        "electricein",
        "plomb",
        "ma",
        "c",
    ] {
        g.bench_function(q, |b| b.iter(|| rome.search(black_box(q), 10).unwrap()));
    }
    g.finish();
}

criterion_group!(benches, load, locate, search);
criterion_main!(benches);
