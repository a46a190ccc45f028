//! The France-scale engine: every commune of France, 500,000 fictitious stages (the sample of
//! the benchmarks), the search index built, and one query. Prints the time of each step; run
//! it under `/usr/bin/time -v` for the peak memory (the README quotes both):
//!
//! ```sh
//! cargo build --release -p metiers --features france --example france_scale
//! /usr/bin/time -v target/release/examples/france_scale
//! ```
//!
//! With a number (`france_scale 20000`) it then repeats the query that many times and prints
//! the mean: a steady loop to profile (`perf record -g target/release/examples/france_scale
//! 20000`); the timings to quote come from `cargo bench --bench rank`. With a file name after
//! it (`france_scale 0 france.json`) it also writes the catalogue there as the JSON document
//! `load_json` reads (streamed: `Engine::export_json_to`), to measure loaders and exports on.

use metiers::{Engine, Geography, Query, Referential, SampleSpec};
use std::io::Write as _;
use std::time::Instant;

/// Prints a line; a reader that went away (`| head`) is not an error of ours.
macro_rules! say {
    ($($arg:tt)*) => { let _ = writeln!(std::io::stdout().lock(), $($arg)*); };
}

fn main() -> Result<(), metiers::Error> {
    let t = Instant::now();
    let engine = Engine::new(Referential::embedded()?, Geography::france()?)
        .with_sample(&SampleSpec::france())?;
    let stages = engine.catalog().stages().len();
    say!(
        "{stages} stages generated in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    engine.prepare_search();
    say!("search index built in {:.2} s", t.elapsed().as_secs_f64());
    let query = Query::near("Caen")
        .radius(30.0)
        .interest("J'aime le travail manuel");
    let t = Instant::now();
    let page = engine.search_stages(&query)?;
    say!(
        "{} ({:.3} ms, first query)",
        page.summary,
        t.elapsed().as_secs_f64() * 1e3
    );
    let repeat: u32 = match std::env::args().nth(1) {
        Some(n) => n.parse().map_err(|_| {
            metiers::Error::invalid("repeat", n.as_str(), "a whole number of queries")
        })?,
        None => 0,
    };
    if repeat > 0 {
        let t = Instant::now();
        for _ in 0..repeat {
            std::hint::black_box(engine.search_stages(std::hint::black_box(&query))?);
        }
        say!(
            "{repeat} queries: {:.1} µs each",
            t.elapsed().as_secs_f64() * 1e6 / f64::from(repeat)
        );
    }
    if let Some(path) = std::env::args().nth(2) {
        let t = Instant::now();
        engine.export_json_to(std::path::Path::new(&path))?;
        say!(
            "catalogue written to {path} in {:.2} s",
            t.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
