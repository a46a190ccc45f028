//! Writes the compact data files the core embeds (`core/data/*.bin`) from the CSVs under
//! `data/`. Run from the repository root: `cargo run -p gen-data`.
//! `cargo test -p metiers --test embedded_data` checks that the committed files are current.

use metiers::{Geography, Referential};
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = root.join("core/data");
    std::fs::create_dir_all(&out)?;

    let rome = Referential::from_csv_dir(&root.join("data/rome"), "4.60")?;
    let (tables, texts) = rome.split_texts()?;
    write(&out.join("rome.bin"), &tables)?;
    write(&out.join("rome-texts.bin"), &texts)?;
    // The job-title index of exactly those tables, as the first search would build it.
    let titles = Referential::from_bytes(&tables)?.title_index_bytes()?;
    write(&out.join("rome-titles.bin"), &titles)?;

    let geo_dir = root.join("data/geo");
    let read = |regions: &[&str]| Geography::from_csv_dir(&geo_dir, regions);
    write(&out.join("normandy.bin"), &read(&["28"])?.to_bytes()?)?;
    let geojson = std::fs::read_to_string(geo_dir.join("communes-normandie.geojson"))?;
    let contours = metiers::geo::contours::ContourTables::from_geojson(&geojson)?;
    write(&out.join("contours-normandy.bin"), &contours.to_bytes()?)?;
    write(&out.join("france.bin"), &read(&[])?.to_bytes()?)?;
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)?;
    println!("{} ({} bytes)", path.display(), bytes.len());
    Ok(())
}
