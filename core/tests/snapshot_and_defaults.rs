//! What the bindings used to decide each for itself now comes from the core: a faithful
//! snapshot, the defaults, the region, the loaders' options and the batch protocol.

use metiers::{
    BatchOptions, Engine, Entity, Format, LoadMode, LoadOptions, OnBatchError, Query, Region,
    SearchKind, Table,
};

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn a_snapshot_gives_back_the_same_engine_reservations_included() {
    let mut e = Engine::normandy().unwrap();
    let stage = e.catalog().stages().next().unwrap().id.clone();
    let left = e.reserve(&stage, 1).unwrap();
    let copy = Engine::restore(&e.snapshot().unwrap()).unwrap();
    assert_eq!(copy.region(), Region::Normandy);
    assert_eq!(copy.stage(&stage).unwrap().places_left, Some(left));
    assert_eq!(copy.export_json(), e.export_json());
    let q = Query::near("Flers")
        .radius(30.0)
        .interest("J'aime le travail manuel");
    assert_eq!(
        copy.search_stages(&q).unwrap(),
        e.search_stages(&q).unwrap()
    );
}

#[test]
fn a_snapshot_of_an_engine_on_given_data_carries_that_data() {
    // An engine on data read at run time, not the embedded copies: the snapshot carries it.
    let rome = metiers::Referential::from_bytes(&data("rome.bin")).unwrap();
    let geo = metiers::Geography::from_bytes(&data("normandy.bin")).unwrap();
    let e = Engine::new(std::sync::Arc::new(rome), std::sync::Arc::new(geo));
    assert_eq!(e.region(), Region::Custom);
    let bytes = e.snapshot().unwrap();
    assert!(
        bytes.len() > 1_000_000,
        "the data travels: {} bytes",
        bytes.len()
    );
    let copy = Engine::restore(&bytes).unwrap();
    assert_eq!(copy.region(), Region::Custom);
    assert!(copy.calendar().is_none());
    assert_eq!(copy.commune("61169").unwrap().name, "Flers");
    // The embedded engine's snapshot is small: it names its data.
    let small = Engine::empty(Region::Normandy).unwrap().snapshot().unwrap();
    assert!(small.len() < 10_000, "{} bytes", small.len());
}

#[test]
fn bytes_that_are_not_a_snapshot_are_a_data_error() {
    for bad in [
        &b""[..],
        b"METIERS",
        b"METIERS\x01\xff\xff",
        b"PK\x03\x04 a zip",
    ] {
        let err = Engine::restore(bad).unwrap_err();
        assert_eq!(err.code(), "data_error", "{bad:?}");
        assert!(err.to_string().contains("<snapshot>"), "{err}");
    }
}

#[test]
fn defaults_are_the_ones_the_engine_applies() {
    let d = Engine::defaults();
    let e = Engine::normandy().unwrap();
    let page = e.search_stages(&Query::near("Caen")).unwrap();
    assert_eq!(page.limit, d.limit);
    let far = page
        .matches
        .iter()
        .filter_map(|m| m.distance_km)
        .fold(0.0, f64::max);
    assert!(far <= d.radius_km, "{far}");
    assert_eq!(
        e.search_metiers("agent", None).unwrap().len(),
        d.title_limit
    );
    let stage = e.catalog().stages().next().unwrap();
    let mut e2 = e.clone();
    assert_eq!(
        e2.reserve(&stage.id, None).unwrap(),
        stage.places_left() - d.reserve_count
    );
    assert_eq!(d.region, Region::default());
    assert_eq!(d.load_mode, LoadMode::default());
}

#[test]
fn the_region_is_a_type_read_once() {
    assert_eq!(Region::from_arg(None).unwrap(), Region::Normandy);
    let err = Region::from_arg(Some("Normandie")).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("region"), "{err}");
    assert_eq!("france".parse::<Region>().unwrap().to_string(), "france");
    let err =
        Engine::from_data(&data("rome.bin"), &data("normandy.bin"), Region::Custom).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
}

#[test]
fn loaders_take_their_options_and_files_their_format_from_the_name() {
    let mut e = Engine::empty(Region::Normandy).unwrap();
    let doc = Engine::normandy().unwrap().export_json();
    let report = e
        .load(Format::Json, None, doc.as_bytes(), &LoadOptions::default())
        .unwrap();
    assert_eq!(report.source, "<json>");
    let err = e
        .load(Format::Csv, None, b"id,name\n", &LoadOptions::default())
        .unwrap_err();
    assert!(
        matches!(&err, metiers::Error::InvalidInput { field, .. } if field == "entity"),
        "{err}"
    );
    let dir = std::env::temp_dir().join(format!("metiers-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("Companies.CSV");
    std::fs::write(&csv, "id,name,commune\nc1,Boulangerie,Flers\n").unwrap();
    let mut fresh = Engine::empty(Region::Normandy).unwrap();
    let report = fresh
        .load_path(
            &csv,
            Some(Entity::Companies),
            &LoadOptions::mode(LoadMode::Strict),
        )
        .unwrap();
    assert_eq!(
        (report.source.as_str(), report.companies),
        ("Companies.CSV", 1)
    );
    let err = fresh
        .load_path(&dir.join("notes.txt"), None, &LoadOptions::default())
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let err = fresh
        .load_path(&dir.join("missing.json"), None, &LoadOptions::default())
        .unwrap_err();
    assert_eq!(err.code(), "data_error");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_batch_raises_its_first_error_or_keeps_every_error_in_place() {
    let e = Engine::normandy().unwrap();
    let queries = serde_json::json!([
        {"near": "Flers"},
        {"near": "Flers", "radius_km": "far"},
        {"near": "Nulle-Part-Sur-Mer"},
    ]);
    let kept = e
        .search_batch(
            SearchKind::Stages,
            metiers::batch_queries(queries.clone()).unwrap(),
            BatchOptions {
                errors: Some(OnBatchError::Keep),
            },
        )
        .unwrap();
    assert!(kept[0].is_ok());
    let bad = kept[1].as_ref().unwrap_err();
    assert!(
        matches!(bad, metiers::Error::InvalidInput { field, .. } if field == "radius_km"),
        "{bad}"
    );
    assert_eq!(kept[2].as_ref().unwrap_err().code(), "not_found");
    let raised = e
        .search_batch(
            SearchKind::Stages,
            metiers::batch_queries(queries).unwrap(),
            BatchOptions::default(),
        )
        .unwrap_err();
    assert_eq!(&raised, bad);
    assert_eq!(
        BatchOptions::from_word(Some("ignore")).unwrap_err().code(),
        "invalid_input"
    );
    assert_eq!(
        metiers::batch_queries(serde_json::json!({"near": "Caen"}))
            .unwrap_err()
            .code(),
        "invalid_input"
    );
}

#[test]
fn tables_list_the_referential_the_geography_and_the_catalogue() {
    let e = Engine::normandy().unwrap();
    let communes = e.table(Table::Communes).unwrap();
    assert_eq!(communes.len(), 2651);
    let stages = e.table(Entity::Stages.into()).unwrap();
    assert_eq!(stages.len(), e.catalog().stages().count());
    // Each row is the item as a lookup gives it, its fields in their order (the rows once went
    // through a `serde_json::Value`, which sorted them).
    let text = serde_json::to_string(&communes).unwrap();
    let first = &e.geography().communes()[0];
    let alone = serde_json::to_string(e.commune(&first.insee).unwrap()).unwrap();
    assert!(text.starts_with(&format!("[{alone},")), "{}", &text[..200]);
    let stages_text = serde_json::to_string(&stages).unwrap();
    let stage = e.catalog().stages().next().unwrap();
    assert!(stages_text.starts_with(&format!("[{},", serde_json::to_string(stage).unwrap())));
    for (table, rows) in [
        (Table::Metiers, e.referential().metiers().len()),
        (Table::Appellations, e.referential().appellations().len()),
        (Table::Interests, e.referential().interests().len()),
        (Table::Domaines, e.referential().domaines().len()),
        (Table::Departements, e.geography().departements().len()),
        (Table::Companies, e.catalog().companies().len()),
        (Table::Ambassadors, e.catalog().ambassadors().len()),
    ] {
        let t = e.table(table).unwrap();
        assert_eq!(t.len(), rows, "{table:?}");
        let value = serde_json::to_value(&t).unwrap();
        assert_eq!(value.as_array().unwrap().len(), rows, "{table:?}");
    }
}

/// A writer whose disk is full.
struct Broken;

impl std::io::Write for Broken {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("disk full"))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn the_export_is_streamed_and_says_what_the_catalogue_holds() {
    let e = Engine::normandy().unwrap();
    let doc = e.export_json();
    // The same document as one built in memory from every item (the way it was made before
    // it was streamed), key for key.
    let built = serde_json::json!({
        "companies": e.catalog().companies().collect::<Vec<_>>(),
        "ambassadors": e.catalog().ambassadors().collect::<Vec<_>>(),
        "stages": e.catalog().stages().collect::<Vec<_>>(),
    });
    let streamed: serde_json::Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(streamed, built);
    assert!(doc.starts_with(r#"{"ambassadors":["#));
    // Into a writer and into a file: the same bytes.
    let mut out = Vec::new();
    e.write_json(&mut out).unwrap();
    assert_eq!(out, doc.as_bytes());
    let dir = std::env::temp_dir().join(format!("metiers-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("catalogue.json");
    e.export_json_to(&path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), doc.as_bytes());
    // A file that cannot be created is a data error naming it.
    let bad = dir.join("no such folder").join("catalogue.json");
    let err = e.export_json_to(&bad).unwrap_err();
    assert_eq!(err.code(), "data_error");
    assert!(err.to_string().contains("no such folder"), "{err}");
    // A hostile 100,000-character path: a data error whose message stays short.
    let long = dir.join("x".repeat(100_000));
    let err = e.export_json_to(&long).unwrap_err();
    assert_eq!(err.code(), "data_error");
    assert!(
        err.to_string().len() < 5_000,
        "{} bytes",
        err.to_string().len()
    );
    // A writer that fails is a data error too.
    let err = e.write_json(Broken).unwrap_err();
    assert_eq!(err.code(), "data_error");
    assert!(err.to_string().contains("disk full"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_batch_page_is_the_single_search_s_page_field_for_field_in_its_order() {
    let e = Engine::normandy().unwrap();
    let queries = serde_json::json!([
        {"near": "Flers", "radius_km": 30, "interests": ["J'aime le travail manuel"]},
        {"near": "Caen"},
        {"near": "Évreux", "radius_km": 50, "limit": 3},
    ]);
    for kind in [
        SearchKind::Stages,
        SearchKind::Ambassadors,
        SearchKind::Companies,
    ] {
        let batch = e
            .search_batch(
                kind,
                metiers::batch_queries(queries.clone()).unwrap(),
                BatchOptions::default(),
            )
            .unwrap();
        assert_eq!(batch.len(), 3);
        for (page, q) in batch.iter().zip(queries.as_array().unwrap()) {
            let q: metiers::Query = serde_json::from_value(q.clone()).unwrap();
            let single = match kind {
                SearchKind::Stages => serde_json::to_string(&e.search_stages(&q).unwrap()),
                SearchKind::Ambassadors => {
                    serde_json::to_string(&e.search_ambassadors(&q).unwrap())
                }
                _ => serde_json::to_string(&e.search_companies(&q).unwrap()),
            }
            .unwrap();
            // The same text: the same fields, values and order (a page once went through a
            // `serde_json::Value`, which sorted its fields).
            assert_eq!(
                serde_json::to_string(page.as_ref().unwrap()).unwrap(),
                single
            );
        }
        let same_kind = matches!(
            (kind, batch[0].as_ref().unwrap()),
            (SearchKind::Stages, metiers::BatchPage::Stages(_))
                | (SearchKind::Ambassadors, metiers::BatchPage::Ambassadors(_))
                | (SearchKind::Companies, metiers::BatchPage::Companies(_))
        );
        assert!(same_kind, "{kind:?}");
    }
}
