//! The France coverage of the benchmarks (every commune of France × 14 grands domaines, 30 km,
//! over the 500,000 fictitious stages of `france_scale`), timed around the call: prints the
//! best and median of a few calls. With a file name after the count it also writes the last
//! coverage there as JSON, to compare two builds' answers byte for byte (`cmp`):
//!
//! ```sh
//! cargo build --release -p metiers --features france --example coverage_france
//! target/release/examples/coverage_france 7 coverage.json
//! ```
//!
//! The figures to quote come from `cargo bench -p metiers --features france --bench
//! analytics`; this is the steady loop to profile and to compare builds with, alternated.

use metiers::analytics::CoverageRequest;
use metiers::{Engine, Geography, Referential, SampleSpec};
use std::io::Write as _;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = Engine::new(Referential::embedded()?, Geography::france()?)
        .with_sample(&SampleSpec::france())?;
    engine.prepare_search();
    let request = CoverageRequest {
        radii_km: vec![30.0],
        ..Default::default()
    };
    let calls: usize = match std::env::args().nth(1) {
        Some(n) => n
            .parse()
            .map_err(|_| format!("{n}: expected a whole number of calls"))?,
        None => 5,
    };
    let mut times = Vec::with_capacity(calls);
    let mut last = None;
    for _ in 0..calls.max(1) {
        let t = Instant::now();
        let coverage = engine.coverage(&request)?;
        times.push(t.elapsed().as_secs_f64());
        // Dropped outside the time.
        last = Some(coverage);
    }
    // The library sorts through `metiers::sorting` (one sort in the browser module); an
    // example's own list is not the library's.
    #[allow(clippy::disallowed_methods)]
    times.sort_by(f64::total_cmp);
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "France coverage, {} rows: best {:.3} s, median {:.3} s ({} calls)",
        last.as_ref().map_or(0, |c| c.rows.len()),
        times.first().copied().unwrap_or(0.0),
        times.get(times.len() / 2).copied().unwrap_or(0.0),
        times.len()
    )?;
    if let (Some(path), Some(coverage)) = (std::env::args().nth(2), last) {
        std::fs::write(&path, serde_json::to_string(&coverage)?)?;
        writeln!(out, "written to {path}")?;
    }
    Ok(())
}
