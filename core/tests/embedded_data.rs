//! The files under core/data are generated from the CSVs under data/ by `cargo run -p gen-data`;
//! these tests fail when someone edits one side and forgets the other.

use metiers::geo::GeoSources;
use metiers::{Geography, Referential};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn geo_from_csv(regions: &[&str]) -> Geography {
    Geography::from_csv_dir(&root().join("data/geo"), regions).unwrap()
}

fn sources<'a>(
    communes: &'a [u8],
    departements: &'a str,
) -> GeoSources<&'a [u8], &'a [u8], &'a [u8], &'a [u8]> {
    GeoSources {
        communes,
        departements: departements.as_bytes(),
        deleguees: b"insee,name,postal_code,parent_insee,kind\n",
        arrondissements: b"insee,name,commune,postal_codes,lat,lon\n",
    }
}

#[test]
fn embedded_rome_matches_the_csv_sources() {
    let from_csv = Referential::from_csv_dir(&root().join("data/rome"), "4.60").unwrap();
    let (tables, texts) = from_csv.split_texts().unwrap();
    for (name, bytes) in [("rome.bin", tables), ("rome-texts.bin", texts)] {
        let embedded = std::fs::read(root().join("core/data").join(name)).unwrap();
        assert!(
            bytes == embedded,
            "core/data/{name} is stale: run `cargo run -p gen-data`"
        );
    }
    // The two files put back together are the CSV files' referential, texts and all.
    let embedded = Referential::embedded().unwrap();
    assert!(embedded.has_texts());
    assert!(embedded.to_bytes().unwrap() == from_csv.to_bytes().unwrap());
}

/// The prebuilt job-title index (feature `title-index`) is the one the code builds from the
/// embedded tables: a change to the folding or the index and the file must be written again.
/// The embedded referential answers from it as a referential built from the same bytes does.
#[test]
fn embedded_title_index_is_the_one_the_code_builds() {
    let rome = std::fs::read(root().join("core/data/rome.bin")).unwrap();
    let built = Referential::from_bytes(&rome).unwrap();
    let embedded = std::fs::read(root().join("core/data/rome-titles.bin")).unwrap();
    assert!(
        built.title_index_bytes().unwrap() == embedded,
        "core/data/rome-titles.bin is stale: run `cargo run -p gen-data`"
    );
    let prebuilt = Referential::embedded().unwrap();
    for query in [
        "fraiseur",
        "boulang",
        "c",
        "ma",
        "plombiee",
        "aide soignant",
        "développeur web",
    ] {
        assert_eq!(
            prebuilt.search(query, 20).unwrap(),
            built.search(query, 20).unwrap(),
            "{query}"
        );
    }
}

/// The geography the bytes decode to is the CSV files' one, every position and area the very
/// double the CSV reader made (the file writes them as whole hundred-thousandths), and it
/// writes the same bytes again.
fn same_geography(decoded: &Geography, from_csv: &Geography, bytes: &[u8]) {
    let bits = |g: &Geography| {
        g.communes()
            .iter()
            .map(|c| {
                (
                    c.lat.map(f64::to_bits),
                    c.lon.map(f64::to_bits),
                    c.area_km2.map(f64::to_bits),
                )
            })
            .collect::<Vec<_>>()
    };
    assert!(decoded.communes() == from_csv.communes());
    assert_eq!(bits(decoded), bits(from_csv));
    assert!(decoded.departements() == from_csv.departements());
    assert!(decoded.former_communes() == from_csv.former_communes());
    assert!(decoded.arrondissements() == from_csv.arrondissements());
    assert!(decoded.to_bytes().unwrap() == bytes);
}

#[test]
fn embedded_normandy_matches_the_csv_sources() {
    let embedded = std::fs::read(root().join("core/data/normandy.bin")).unwrap();
    let from_csv = geo_from_csv(&["28"]);
    assert!(
        from_csv.to_bytes().unwrap() == embedded,
        "core/data/normandy.bin is stale: run `cargo run -p gen-data`"
    );
    same_geography(&Geography::normandy().unwrap(), &from_csv, &embedded);
}

#[test]
fn embedded_france_matches_the_csv_sources() {
    let embedded = std::fs::read(root().join("core/data/france.bin")).unwrap();
    let from_csv = geo_from_csv(&[]);
    assert!(
        from_csv.to_bytes().unwrap() == embedded,
        "core/data/france.bin is stale: run `cargo run -p gen-data`"
    );
    same_geography(
        &Geography::from_bytes(&embedded).unwrap(),
        &from_csv,
        &embedded,
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
    let err = Geography::from_csv(sources(communes.as_bytes(), departements), &[]).unwrap_err();
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
    let err = Geography::from_csv(sources(&communes, departements), &[]).unwrap_err();
    assert_eq!(err.code(), "data_error");
    assert!(err.to_string().contains("UTF-8"), "{err}");
    assert_eq!(err.location().unwrap().line, Some(3));
}

#[test]
fn embedded_contours_match_the_geojson_source() {
    let geojson =
        std::fs::read_to_string(root().join("data/geo/communes-normandie.geojson")).unwrap();
    let tables = metiers::geo::contours::ContourTables::from_geojson(&geojson).unwrap();
    let embedded = std::fs::read(root().join("core/data/contours-normandy.bin")).unwrap();
    assert!(
        tables.to_bytes().unwrap() == embedded,
        "core/data/contours-normandy.bin is stale: run `cargo run -p gen-data`"
    );
}
