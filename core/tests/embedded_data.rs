//! The files under core/data are generated from the CSVs under data/ by `cargo run -p gen-data`;
//! these tests fail when someone edits one side and forgets the other.

use metiers::{Geography, Referential};
use std::fs::File;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn geo_from_csv(regions: &[&str]) -> Geography {
    let dir = root().join("data/geo");
    Geography::from_csv(
        File::open(dir.join("communes.csv")).unwrap(),
        File::open(dir.join("departements.csv")).unwrap(),
        File::open(dir.join("communes-deleguees.csv")).unwrap(),
        regions,
    )
    .unwrap()
}

#[test]
fn embedded_rome_matches_the_csv_sources() {
    let from_csv = Referential::from_csv_dir(&root().join("data/rome"), "4.60").unwrap();
    let embedded = std::fs::read(root().join("core/data/rome.bin")).unwrap();
    assert!(
        from_csv.to_bytes().unwrap() == embedded,
        "core/data/rome.bin is stale: run `cargo run -p gen-data`"
    );
}

#[test]
fn embedded_normandy_matches_the_csv_sources() {
    let embedded = std::fs::read(root().join("core/data/normandy.bin")).unwrap();
    assert!(
        geo_from_csv(&["28"]).to_bytes().unwrap() == embedded,
        "core/data/normandy.bin is stale: run `cargo run -p gen-data`"
    );
}

#[test]
fn embedded_france_matches_the_csv_sources() {
    let embedded = std::fs::read(root().join("core/data/france.bin")).unwrap();
    assert!(
        geo_from_csv(&[]).to_bytes().unwrap() == embedded,
        "core/data/france.bin is stale: run `cargo run -p gen-data`"
    );
}

#[test]
fn a_rome_folder_with_a_missing_file_names_it() {
    let err = Referential::from_csv_dir(&root().join("data/geo"), "x").unwrap_err();
    assert_eq!(err.code(), "data_error");
    assert!(err.to_string().contains("domaines.csv"), "{err}");
}

#[test]
fn a_commune_file_with_bad_coordinates_names_the_line() {
    let communes = "insee,name,departement,region,postal_codes,lat,lon\n\
                    14118,Caen,14,28,14000,49.18,-0.37\n\
                    14119,Nulle-Part,14,28,14000,149.0,-0.37\n";
    let departements =
        "code,name,region,lat,lon,prefecture_insee\n14,Calvados,28,49.1,-0.36,14118\n";
    let deleguees = "name,postal_code,parent_insee\n";
    let err = Geography::from_csv(
        communes.as_bytes(),
        departements.as_bytes(),
        deleguees.as_bytes(),
        &[],
    )
    .unwrap_err();
    assert_eq!(err.code(), "data_error");
    let loc = err.location().unwrap();
    assert_eq!((loc.source.as_str(), loc.line), ("communes.csv", Some(3)));
    assert!(err.to_string().contains("latitude"), "{err}");
}

#[test]
fn a_commune_file_in_latin1_is_refused_with_its_line() {
    let mut communes =
        b"insee,name,departement,region,postal_codes,lat,lon\n14118,Caen,14,28,14000,49.18,-0.37\n27229,"
            .to_vec();
    communes.push(0xC9); // 'É' in Latin-1
    communes.extend_from_slice(b"vreux,27,28,27000,49.01,1.14\n");
    let departements = "code,name,region,lat,lon,prefecture_insee\n";
    let deleguees = "name,postal_code,parent_insee\n";
    let err = Geography::from_csv(
        &communes[..],
        departements.as_bytes(),
        deleguees.as_bytes(),
        &[],
    )
    .unwrap_err();
    assert_eq!(err.code(), "data_error");
    assert!(err.to_string().contains("UTF-8"), "{err}");
    assert_eq!(err.location().unwrap().line, Some(3));
}
