//! Writes the France-scale benchmark catalogue and one query's answer for the peer scripts:
//! `cargo run --release -p metiers-benches --bin export-peer-data -- OUT_DIR`.
//!
//! Files: `stages.csv` (row, id, lat, lon, métier codes, places left), `interest.csv` (the
//! métiers the query's interest leads to, principal or not), `query.json` (the query and the
//! engine's answer: total, top ids and scores, for the peers to check themselves against), and
//! `catalog.json` (the whole catalogue, which metiers's Python and Node packages load).

use metiers::{Engine, Geography, Query, Referential, SampleSpec};
use std::fmt::Write as _;
use std::path::PathBuf;

/// The query every peer answers: the `france_500k_stages/stages_30km` criterion benchmark.
const PLACE: &str = "Caen";
const RADIUS_KM: f64 = 30.0;
const INTEREST: &str = "J'aime le travail manuel";

/// The coverage every peer computes: each commune of France, stages (with a place left) of
/// each grand domaine within 30 km. Writes `communes.csv` (insee, lat, lon) and
/// `coverage.csv` (the engine's counts: one line a commune, one column a sector).
fn coverage(engine: &Engine, out: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let request = metiers::analytics::CoverageRequest {
        radii_km: vec![RADIUS_KM],
        ..Default::default()
    };
    let c = engine.coverage(&request)?;
    let mut csv = String::from("insee,lat,lon\n");
    for p in &c.places {
        writeln!(csv, "{},{},{}", p.id, p.lat, p.lon)?;
    }
    std::fs::write(out.join("communes.csv"), csv)?;
    let codes: Vec<&str> = c.sectors.iter().map(|s| s.code.as_str()).collect();
    let mut csv = format!("insee,{}\n", codes.join(","));
    for chunk in c.rows.chunks(codes.len()) {
        let counts: Vec<String> = chunk.iter().map(|r| r.stages.to_string()).collect();
        let id = chunk.first().map_or("", |r| &*r.origin);
        writeln!(csv, "{id},{}", counts.join(","))?;
    }
    std::fs::write(out.join("coverage.csv"), csv)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: export-peer-data OUT_DIR")?,
    );
    std::fs::create_dir_all(&out)?;
    let engine = Engine::new(Referential::embedded()?, Geography::france()?)
        .with_sample(&SampleSpec::france())?;

    let mut csv = String::from("row,id,lat,lon,metiers,places_left\n");
    for (row, s) in engine.catalog().stages().enumerate() {
        let (lat, lon) = s
            .place
            .as_ref()
            .and_then(metiers::Location::point)
            .ok_or("unplaced stage")?;
        writeln!(
            csv,
            "{row},{},{lat},{lon},{},{}",
            s.id,
            s.metiers.join(";"),
            s.places_left()
        )?;
    }
    std::fs::write(out.join("stages.csv"), csv)?;

    coverage(&engine, &out)?;

    let interest = engine.referential().interest(INTEREST)?;
    let mut csv = String::from("code,principal\n");
    for link in &interest.metiers {
        writeln!(csv, "{},{}", link.metier, u8::from(link.principal))?;
    }
    std::fs::write(out.join("interest.csv"), csv)?;

    let query = Query::near(PLACE).radius(RADIUS_KM).interest(INTEREST);
    let page = engine.search_stages(&query)?;
    let origin = page.origin.clone().ok_or("no origin")?;
    let answer = serde_json::json!({
        "place": PLACE,
        "interest": INTEREST,
        "origin": {"lat": origin.lat, "lon": origin.lon, "name": origin.name},
        "radius_km": RADIUS_KM,
        "weights": {"interest": 0.6, "distance": 0.25},
        "interest_scores": {"principal": metiers::scoring::INTEREST_PRINCIPAL, "other": metiers::scoring::INTEREST_OTHER},
        "limit": page.limit,
        "total": page.total,
        "ids": page.matches.iter().map(|m| &m.id).collect::<Vec<_>>(),
        "scores": page.matches.iter().map(|m| m.score).collect::<Vec<_>>(),
    });
    std::fs::write(
        out.join("query.json"),
        serde_json::to_string_pretty(&answer)?,
    )?;
    engine.export_json_to(&out.join("catalog.json"))?;
    println!(
        "wrote {} stages, {} interest links, {} expected results to {}",
        engine.catalog().stages().len(),
        interest.metiers.len(),
        page.matches.len(),
        out.display()
    );
    Ok(())
}
