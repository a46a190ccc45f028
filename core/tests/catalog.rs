//! Promises of the catalogue: validation of every rule (one bad file each), strict and lenient
//! loads, updates and reservations, and the embedded sample.

use metiers::{
    Engine, Entity, Error, Format, Geography, LoadMode, LoadOptions, Referential, Region,
    SampleSpec, SchoolCalendar, Stage, StageKind,
};
use serde_json::Value;

mod common;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// An engine with the example companies loaded and the zone B calendar.
fn engine_with_example_companies() -> Engine {
    let mut e = Engine::new(
        Referential::embedded().unwrap(),
        Geography::normandy().unwrap(),
    )
    .with_calendar(Some(SchoolCalendar::zone_b_2026_2027().unwrap()));
    let file = std::fs::File::open(root().join("examples/data/companies.csv")).unwrap();
    e.load_csv(Entity::Companies, "companies.csv", file, LoadMode::Strict)
        .unwrap();
    e
}

fn load(e: &mut Engine, case: &Value, mode: LoadMode) -> metiers::Result<metiers::LoadReport> {
    let file = case["file"].as_str().unwrap();
    let bytes = std::fs::read(root().join("tests/fixtures/catalog").join(file)).unwrap();
    let entity: Entity = case["entity"].as_str().unwrap().parse().unwrap();
    match case["format"].as_str().unwrap() {
        "csv" => e.load_csv(entity, file, &bytes[..], mode),
        "json" => e.load_json(file, &bytes, mode),
        "jsonl" => e.load_jsonl(entity, file, &bytes, mode),
        other => panic!("unknown format {other}"),
    }
}

fn assert_matches(err: &Error, case: &Value) {
    let name = case["file"].as_str().unwrap();
    assert_eq!(err.code(), "data_error", "{name}: {err}");
    let loc = err
        .location()
        .unwrap_or_else(|| panic!("{name}: no location in {err}"));
    assert_eq!(loc.source, name, "{name}");
    assert_eq!(loc.line, case["line"].as_u64(), "{name}: {err}");
    if let Some(field) = case["field"].as_str() {
        assert_eq!(loc.field.as_deref(), Some(field), "{name}: {err}");
    }
    if let Some(value) = case["value"].as_str() {
        assert_eq!(loc.value.as_deref(), Some(value), "{name}: {err}");
    }
    let reason = case["reason_contains"].as_str().unwrap();
    assert!(
        err.to_string().contains(reason),
        "{name}: {err:?} lacks {reason:?}"
    );
}

#[test]
fn every_validation_rule_names_the_file_line_field_and_value() {
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/catalog/cases.json")).unwrap(),
    )
    .unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 25);
    for case in cases {
        let name = case["file"].as_str().unwrap();
        let mut e = engine_with_example_companies();
        let before = e.counters();
        let revision = e.revision();
        let strict = load(&mut e, case, LoadMode::Strict).unwrap_err();
        assert_eq!(e.counters(), before, "{name}: strict loads nothing");
        assert_eq!(e.revision(), revision, "{name}: nothing changed");
        let lenient = load(&mut e, case, LoadMode::Lenient);
        if case["level"] == "row" {
            let Error::Rejected { errors, .. } = &strict else {
                panic!("{name}: expected a rejected file, got {strict:?}")
            };
            assert_eq!(errors.len(), 1, "{name}: {errors:?}");
            assert_matches(&errors[0], case);
            let report = lenient.unwrap();
            assert_eq!(report.rejected.len(), 1, "{name}");
            assert_matches(&report.rejected[0], case);
            let loaded = report.companies + report.ambassadors + report.stages;
            assert_eq!(loaded, 1, "{name}: the good row loads in lenient mode");
            assert_ne!(e.revision(), revision, "{name}: the catalogue changed");
        } else {
            assert_matches(&strict, case);
            assert_matches(&lenient.unwrap_err(), case);
            assert_eq!(e.counters(), before, "{name}");
            assert_eq!(e.revision(), revision, "{name}: nothing changed");
        }
    }
}

#[test]
fn the_example_files_load_in_every_documented_format() {
    let mut engine = engine_with_example_companies();
    let dir = root().join("examples/data");
    let amb = std::fs::File::open(dir.join("ambassadors.csv")).unwrap();
    let report = engine
        .load_csv(
            Entity::Ambassadors,
            "ambassadors.csv",
            amb,
            LoadMode::Strict,
        )
        .unwrap();
    assert_eq!(report.ambassadors, 3);
    let stages = std::fs::File::open(dir.join("stages.csv")).unwrap();
    let report = engine
        .load_csv(Entity::Stages, "stages.csv", stages, LoadMode::Strict)
        .unwrap();
    assert_eq!(
        (report.stages, report.rejected.len(), report.warnings.len()),
        (4, 0, 0)
    );
    let json = std::fs::read(dir.join("catalog.json")).unwrap();
    let report = engine
        .load_json("catalog.json", &json, LoadMode::Strict)
        .unwrap();
    assert_eq!(
        (report.companies, report.ambassadors, report.stages),
        (2, 1, 2)
    );
    let jsonl = std::fs::read(dir.join("stages.jsonl")).unwrap();
    let report = engine
        .load_jsonl(Entity::Stages, "stages.jsonl", &jsonl, LoadMode::Strict)
        .unwrap();
    assert_eq!(report.stages, 2);

    let catalog = engine.catalog();
    // Places are resolved: commune name + postal code, a point, a former commune.
    let flers = catalog.company("ent-1").unwrap();
    assert_eq!(flers.place.commune.as_deref(), Some("61169"));
    assert_eq!(flers.place.departement.as_deref(), Some("61"));
    let port = catalog.company("ent-3").unwrap();
    assert_eq!(
        port.place.departement.as_deref(),
        Some("76"),
        "a point gets its département"
    );
    assert_eq!(port.place.lat, Some(49.4811), "an exact point is kept");
    let clinic = catalog.company("ent-4").unwrap();
    assert_eq!(clinic.place.commune.as_deref(), Some("50129"));
    // Defaults: places left, audiences by kind, the company's place.
    let stage = catalog.stage("stg-3").unwrap();
    assert_eq!(stage.places_left, Some(2));
    assert_eq!(
        stage.place.as_ref().unwrap().commune.as_deref(),
        Some("76351")
    );
    let stage = catalog.stage("stg-1").unwrap();
    assert!(stage.accessible);
    assert_eq!(
        stage.place.as_ref().unwrap().commune.as_deref(),
        Some("61169")
    );
    let stage = catalog.stage("stg-10").unwrap();
    assert_eq!(
        stage.audiences.len(),
        StageKind::MiniStage.default_audiences().len()
    );
    let student = catalog.ambassador("amb-3").unwrap();
    assert_eq!(
        student.place.as_ref().unwrap().commune.as_deref(),
        Some("50502")
    );
}

#[test]
fn an_unknown_csv_column_is_a_warning_not_a_silent_drop() {
    let mut e = engine_with_example_companies();
    let csv = "id,name,commune,favourite_colour\nx-1,Exemple (fictif),Caen,bleu\n";
    let r = e
        .load_csv(
            Entity::Companies,
            "extra.csv",
            csv.as_bytes(),
            LoadMode::Strict,
        )
        .unwrap();
    assert_eq!(r.companies, 1);
    assert_eq!(r.warnings.len(), 1);
    assert!(r.warnings[0].contains("favourite_colour"));
}

#[test]
fn a_homonym_commune_needs_its_postal_code_or_insee_code() {
    let mut e = engine_with_example_companies();
    let csv = "id,name,commune,postal_code\nx-1,Exemple (fictif),Cuverville,\n";
    let err = e
        .load_csv(Entity::Companies, "h.csv", csv.as_bytes(), LoadMode::Strict)
        .unwrap_err();
    assert!(err.to_string().contains("could mean 3 places"), "{err}");
    assert!(err.to_string().contains("line 2"), "{err}");
    let csv = "id,name,commune,postal_code\nx-1,Exemple (fictif),Cuverville,14840\n";
    e.load_csv(Entity::Companies, "h.csv", csv.as_bytes(), LoadMode::Strict)
        .unwrap();
    assert_eq!(
        e.catalog()
            .company("x-1")
            .unwrap()
            .place
            .departement
            .as_deref(),
        Some("14")
    );
}

fn example_stage(id: &str) -> Stage {
    serde_json::from_value(serde_json::json!({
        "id": id, "company": "ent-1", "kind": "mini_stage", "metiers": ["H2903"],
        "periods": [{"start": "2026-10-19", "end": "2026-10-23"}], "places_total": 3
    }))
    .unwrap()
}

#[test]
fn stages_are_added_replaced_and_removed_by_id() {
    let mut e = engine_with_example_companies();
    e.add_stage(example_stage("s-1")).unwrap();
    assert_eq!(
        e.add_stage(example_stage("s-1")).unwrap_err().code(),
        "conflict"
    );
    assert_eq!(
        e.replace_stage(example_stage("s-2")).unwrap_err().code(),
        "not_found"
    );
    let mut changed = example_stage("s-1");
    changed.places_total = 5;
    e.replace_stage(changed).unwrap();
    assert_eq!(e.catalog().stage("s-1").unwrap().places_left(), 5);
    assert_eq!(e.remove_company("ent-1").unwrap_err().code(), "conflict");
    e.remove_stage("s-1").unwrap();
    assert_eq!(e.remove_stage("s-1").unwrap_err().code(), "not_found");
    e.remove_company("ent-1").unwrap();
    let mut bad = example_stage("s-3");
    bad.metiers = ["H29O3".into()].into();
    e.add_company(
        serde_json::from_value(serde_json::json!({
            "id": "ent-1", "name": "Retour (fictif)", "place": {"commune": "Flers"}
        }))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(e.add_stage(bad).unwrap_err().code(), "invalid_input");
}

#[test]
fn reservations_never_go_below_zero_nor_above_the_total() {
    let mut e = engine_with_example_companies();
    e.add_stage(example_stage("s-1")).unwrap();
    assert_eq!(e.reserve("s-1", 2).unwrap(), 1);
    let err = e.reserve("s-1", 2).unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert!(err.to_string().contains("1 place(s) left"), "{err}");
    assert_eq!(e.reserve("s-1", 1).unwrap(), 0);
    assert_eq!(e.release("s-1", 3).unwrap(), 3);
    let err = e.release("s-1", 1).unwrap_err();
    assert!(err.to_string().contains("exceed the total"), "{err}");
    assert_eq!(e.reserve("s-1", 0).unwrap_err().code(), "invalid_input");
    assert_eq!(e.reserve("nope", 1).unwrap_err().code(), "not_found");
}

#[test]
fn a_reservation_keeps_the_stages_in_id_order_and_a_refused_one_changes_nothing() {
    let mut e = engine_with_example_companies();
    for id in ["s-3", "s-1", "s-2"] {
        e.add_stage(example_stage(id)).unwrap();
    }
    let ids = |e: &Engine| {
        e.catalog()
            .stages()
            .map(|s| s.id.to_string())
            .collect::<Vec<_>>()
    };
    let revision = e.revision();
    assert_eq!(e.reserve("s-2", 2).unwrap(), 1);
    assert_eq!(ids(&e), ["s-1", "s-2", "s-3"]);
    assert_eq!(e.catalog().stage("s-2").unwrap().places_left(), 1);
    assert_ne!(e.revision(), revision);
    let revision = e.revision();
    assert_eq!(e.reserve("s-2", 5).unwrap_err().code(), "conflict");
    assert_eq!(e.release("s-3", 1).unwrap_err().code(), "conflict");
    assert_eq!(e.revision(), revision, "refused: nothing changed");
    assert_eq!(ids(&e), ["s-1", "s-2", "s-3"]);
    let removed = e.remove_stage("s-2").unwrap();
    assert_eq!((&*removed.id, removed.places_left()), ("s-2", 1));
    assert_eq!(ids(&e), ["s-1", "s-3"]);
}

#[test]
fn the_normandy_sample_has_destination_metiers_2023_counts() {
    let e = Engine::normandy().unwrap();
    let c = e.counters();
    assert_eq!(c.total.companies, 1128);
    assert_eq!(c.total.ambassadeurs_metier, 1283);
    assert_eq!(c.total.ambassadeurs_formation, 152);
    assert_eq!(c.total.stages, 591);
    let deps: Vec<&str> = c.by_departement.keys().map(String::as_str).collect();
    assert_eq!(
        deps,
        ["14", "27", "50", "61", "76"],
        "every département has some"
    );
    let sum: usize = c.by_departement.values().map(|d| d.stages).sum();
    assert_eq!(sum, 591);
    assert!(
        c.by_departement["76"].companies > c.by_departement["61"].companies,
        "placed by population"
    );
}

#[test]
fn the_sample_is_deterministic_and_seeded() {
    let a = Engine::normandy().unwrap();
    let b = Engine::normandy().unwrap();
    let dump =
        |e: &Engine| serde_json::to_string(&e.catalog().stages().collect::<Vec<_>>()).unwrap();
    assert_eq!(dump(&a), dump(&b));
    let spec = SampleSpec {
        seed: 7,
        ..SampleSpec::normandy()
    };
    let c = a.clone().with_sample(&spec).unwrap();
    assert_ne!(dump(&a), dump(&c));
}

#[test]
fn the_sample_follows_the_regional_economy() {
    let e = Engine::normandy().unwrap();
    let mut by_grand = std::collections::BTreeMap::<char, usize>::new();
    for s in e.catalog().stages() {
        *by_grand
            .entry(s.metiers[0].chars().next().unwrap())
            .or_default() += 1;
    }
    let top = by_grand.iter().max_by_key(|(_, n)| **n).unwrap();
    assert_eq!(
        *top.0, 'D',
        "commerce and distribution are the most offered: {by_grand:?}"
    );
    assert!(by_grand[&'H'] > by_grand[&'C'], "industry is strong");
    let names: Vec<&str> = e.catalog().companies().map(|c| c.name.as_str()).collect();
    assert!(names.iter().all(|n| n.contains("fictif")));
    let rural = e
        .catalog()
        .companies()
        .filter(|c| {
            let insee = c.place.commune.as_deref().unwrap();
            e.geography().commune(insee).unwrap().population < 2000
        })
        .count();
    assert!(rural > 50, "rural communes have some companies ({rural})");
}

#[test]
fn the_sample_passes_its_own_validation() {
    // Export the sample as a JSON document and load it strictly into an empty engine with the
    // calendar: every generated mini-stage falls in the holidays, every code exists.
    let e = Engine::normandy().unwrap();
    let doc = serde_json::json!({
        "companies": e.catalog().companies().collect::<Vec<_>>(),
        "ambassadors": e.catalog().ambassadors().collect::<Vec<_>>(),
        "stages": e.catalog().stages().collect::<Vec<_>>(),
    });
    let mut empty = e.clone();
    empty.clear_catalog();
    let report = empty
        .load_json("sample.json", doc.to_string().as_bytes(), LoadMode::Strict)
        .unwrap();
    assert_eq!(
        (report.companies, report.ambassadors, report.stages),
        (1128, 1435, 591)
    );
    assert_eq!(empty.counters(), e.counters());
}

#[test]
fn mini_stages_fall_in_zone_b_holidays() {
    let e = Engine::normandy().unwrap();
    let cal = e.calendar().unwrap();
    for s in e
        .catalog()
        .stages()
        .filter(|s| s.kind == StageKind::MiniStage)
    {
        for p in &s.periods {
            assert!(cal.holiday_containing(p).is_some(), "{} {p}", s.id);
        }
    }
}

#[test]
fn the_orne_query_lists_companies_with_a_stage_in_the_orne() {
    let e = Engine::normandy().unwrap();
    let orne = e.companies_with_stages_in("Orne").unwrap();
    assert!(!orne.is_empty());
    assert_eq!(orne.len(), e.companies_with_stages_in("61").unwrap().len());
    for c in &orne {
        assert!(e.catalog().stages().any(|s| *s.company == c.id
            && s.place.as_ref().unwrap().departement.as_deref() == Some("61")));
    }
    assert_eq!(
        e.companies_with_stages_in("Gironde").unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn the_embedded_calendar_is_zone_b_2026_2027() {
    let cal = SchoolCalendar::zone_b_2026_2027().unwrap();
    let names: Vec<&str> = cal.holidays.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names.len(), 6);
    let winter = cal
        .holidays
        .iter()
        .find(|h| h.name == "Vacances d'hiver")
        .unwrap();
    assert_eq!(winter.period.to_string(), "2027-02-21/2027-03-07");
}

#[test]
fn documents_known_by_name_load_in_reference_order_with_their_format_and_entity() {
    let mut e = Engine::empty(Region::Normandy).unwrap();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/data/");
    let read = |f: &str| std::fs::read(format!("{root}{f}")).unwrap();
    // Stages first on the page, yet loaded after the companies they name; a URL's query is
    // not part of the name; the French file name says companies.
    let files = vec![
        (
            "https://college.example/data/stages.csv?v=3".to_string(),
            read("stages.csv"),
        ),
        (
            "/data/entreprises.csv#export".to_string(),
            read("companies.csv"),
        ),
    ];
    let reports = e.load_named(&files, LoadMode::Strict).unwrap();
    assert_eq!(reports.len(), 2);
    assert!(reports[0].companies > 0 && reports[1].stages > 0);
    assert_eq!(reports[1].source, "stages.csv");

    let no_entity = e.load_named(&[("/data/export.csv", "id\n")], LoadMode::Lenient);
    let err = no_entity.unwrap_err();
    assert_eq!(
        (err.code(), err.info().field.as_deref()),
        ("invalid_input", Some("entity"))
    );
    let no_format = e.load_named(&[("/data/stages.xlsx", "")], LoadMode::Lenient);
    assert_eq!(no_format.unwrap_err().info().field.as_deref(), Some("path"));
    let bad_entity = e.load_named(&[("eleves=/data/x.csv", "")], LoadMode::Lenient);
    assert_eq!(
        bad_entity.unwrap_err().info().field.as_deref(),
        Some("entity")
    );
}

#[test]
fn a_file_loaded_by_path_holds_the_entity_its_name_says() {
    let mut e = Engine::empty(Region::Normandy).unwrap();
    let dir = std::env::temp_dir().join(format!("metiers-load-path-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("entreprises-2027.csv");
    std::fs::write(&file, "id,name,commune\nc1,Ateliers (fictif),Flers\n").unwrap();
    let report = e
        .load_path(&file, None, &metiers::LoadOptions::default())
        .unwrap();
    assert_eq!(
        (report.companies, report.source.as_str()),
        (1, "entreprises-2027.csv")
    );
    let other = dir.join("export.csv");
    std::fs::write(&other, "id,name,commune\n").unwrap();
    let err = e
        .load_path(&other, None, &metiers::LoadOptions::default())
        .unwrap_err();
    assert_eq!(err.info().field.as_deref(), Some("entity"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A file names the same communes row after row, and the loader remembers what a name (with
/// its postal code) resolved to: each row must still get exactly what it gets loaded alone,
/// homonyms told apart by their postal codes, a point always checked, odd text never taken
/// for another row's key.
#[test]
fn rows_naming_the_same_places_resolve_as_each_row_alone() {
    let places = [
        ("Caen", "", "", ""),
        ("caen", "", "", ""),
        ("Caen", "14000", "", ""),
        ("Caen", "76000", "", ""),
        ("14118", "", "", ""),
        ("", "14000", "", ""),
        ("Cuverville", "", "", ""),
        ("Cuverville", "14840", "", ""),
        ("Cuverville", "27700", "", ""),
        ("Cuverville", "76280", "", ""),
        ("Cuverville", "", "49.28", "1.37"),
        ("Cuverville", "", "49.67", "0.27"),
        ("Cuverville", "14840", "", ""),
        ("Caen", "", "49.44", "1.09"),
        ("Caen", "", "", ""),
        ("\u{1}", "14000", "", ""),
        ("-", "", "", ""),
        ("5:Caen", "", "", ""),
        ("Caen", "14000", "", ""),
    ];
    let row = |i: usize, (commune, postal, lat, lon): (&str, &str, &str, &str)| {
        format!("c{i},Entreprise {i} (fictif),{commune},{postal},{lat},{lon}\n")
    };
    let header = "id,name,commune,postal_code,lat,lon\n";
    let load = |e: &mut Engine, text: &str| {
        e.load_csv(
            Entity::Companies,
            "c.csv",
            text.as_bytes(),
            LoadMode::Lenient,
        )
        .unwrap()
    };
    let mut together = Engine::empty(Region::Normandy).unwrap();
    let all: String = places.iter().enumerate().map(|(i, p)| row(i, *p)).collect();
    let report = load(&mut together, &format!("{header}{all}"));
    let mut rejected = report.rejected.iter();
    for (i, p) in places.iter().enumerate() {
        let mut alone = Engine::empty(Region::Normandy).unwrap();
        let single = load(&mut alone, &format!("{header}{}", row(i, *p)));
        let id = format!("c{i}");
        match single.rejected.first() {
            None => assert_eq!(
                together.catalog().company(&id).unwrap().place,
                alone.catalog().company(&id).unwrap().place,
                "{p:?}"
            ),
            Some(e) => {
                let (got, want) = (
                    rejected.next().expect("rejected together too").info(),
                    e.info(),
                );
                let line = Some(i as u64 + 2);
                assert_eq!(got.line, line, "{p:?}");
                let alone = want.message.replace("line 2,", &format!("line {},", i + 2));
                assert_eq!(
                    (got.code, got.field, got.value, got.message),
                    (want.code, want.field, want.value, alone),
                    "{p:?}"
                );
                assert!(together.catalog().company(&id).is_err(), "{p:?}");
            }
        }
    }
    assert!(rejected.next().is_none());
    // The file's own answers, so the comparison above compares something.
    let insee = |id: &str| {
        together
            .catalog()
            .company(id)
            .unwrap()
            .place
            .commune
            .clone()
    };
    assert_eq!(insee("c7").as_deref(), Some("14215"));
    assert_eq!(insee("c8").as_deref(), Some("27194"));
    assert_eq!(insee("c11").as_deref(), Some("76206"));
    assert_eq!(insee("c12").as_deref(), Some("14215"));
    assert!(report.rejected.len() >= 5, "{:?}", report.rejected);
}

/// The lines of a JSON document's items are counted list by list (companies, ambassadors,
/// stages), whatever order the document writes its lists in.
#[test]
fn json_errors_name_their_lines_whatever_the_order_of_the_lists() {
    let doc = r#"{
  "stages": [
    {"id": "s1", "company": "c1", "kind": "observation_3e", "metiers": ["H9999"],
     "periods": ["2027-01-11/2027-01-15"], "places_total": 1}
  ],
  "companies": [
    {"id": "c1", "name": "Ateliers (fictif)", "place": {"commune": "Flers"}},
    {"id": "c2", "name": "Nulle part (fictif)", "place": {"commune": "Atlantis"}}
  ],
  "ambassadors": [
    {"id": "a1", "kind": "professionnel", "metiers": ["H2903"], "contacts": [{"mode": "phone"}],
     "company": "c9"}
  ]
}"#;
    let mut e = Engine::empty(Region::Normandy).unwrap();
    let report = e
        .load_json("doc.json", doc.as_bytes(), LoadMode::Lenient)
        .unwrap();
    let got: Vec<(Option<u64>, Option<String>)> = report
        .rejected
        .iter()
        .map(|r| (r.info().line, r.info().field))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some(8), Some("companies[1].place.commune".into())),
            (Some(11), Some("ambassadors[0].kind".into())),
            (Some(4), Some("stages[0].periods[0]".into())),
        ]
    );
    assert_eq!(report.companies, 1);
}

/// Two companies as a plain CSV file, and as a spreadsheet's tab-separated export writes them
/// (capitalised header, decimal commas, a semicolon in a cell unquoted).
const PLAIN_COMPANIES: &str = "id,name,commune,lat,lon,max_pupils\nc1,Atelier (fictif),Caen,49.1846,-0.371,2\nc2,\"Garage; du port (fictif)\",Rouen,,,\n";
const TAB_COMPANIES: &str = "ID\tName\tCommune\tLat\tLon\tMax_Pupils\r\nc1\tAtelier (fictif)\tCaen\t49,1846\t-0,371\t2\r\nc2\tGarage; du port (fictif)\tRouen\t\t\t\r\n";

/// The catalogue a file of companies makes, as JSON.
fn companies_loaded(bytes: &[u8]) -> String {
    let mut e = Engine::empty(Region::Normandy).unwrap();
    e.load_csv(Entity::Companies, "c.csv", bytes, LoadMode::Strict)
        .unwrap();
    e.export_json()
}

/// A spreadsheet's "Unicode text" export: tab-separated, in UTF-16 with a byte-order mark
/// (little-endian as Excel writes it; big-endian too). It loads as the plain CSV does.
#[test]
fn a_unicode_text_export_loads_as_the_plain_csv_does() {
    let utf16 = |little: bool| -> Vec<u8> {
        let units = std::iter::once(0xFEFF).chain(TAB_COMPANIES.encode_utf16());
        units
            .flat_map(|u| {
                if little {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                }
            })
            .collect()
    };
    let plain = companies_loaded(PLAIN_COMPANIES.as_bytes());
    assert_eq!(companies_loaded(&utf16(true)), plain);
    assert_eq!(companies_loaded(&utf16(false)), plain);
    // A lone surrogate, or a file that ends inside a character, is refused, never replaced.
    let mut lone = utf16(true);
    lone.extend_from_slice(&0xD800u16.to_le_bytes());
    lone.extend_from_slice(&u16::from(b'x').to_le_bytes());
    let mut cut = utf16(true);
    cut.push(b'x');
    for bad in [lone, cut] {
        let err = Engine::empty(Region::Normandy)
            .unwrap()
            .load_csv(Entity::Companies, "c.txt", bad.as_slice(), LoadMode::Strict)
            .unwrap_err();
        assert_eq!(err.code(), "data_error");
        assert!(err.to_string().contains("UTF-16"), "{err}");
    }
}

/// A spreadsheet filled in by hand: names of kinds, sizes and audiences in capitals, with
/// accents and spaces (« PME », « Observation 3e », « Collège »), and whole numbers with
/// decimals (« 2,0 », « 3.00 », as pandas writes a column with a blank). It loads as the file
/// with the wire names does; a name that folds to none is still refused as written.
#[test]
fn names_and_whole_numbers_as_people_type_them() {
    let companies = |size: &str| format!("id;name;commune;size\nc1;Atelier (fictif);Caen;{size}\n");
    let stages = |kind: &str, audiences: &str, places: &str| {
        format!(
            "id;company;kind;metiers;periods;places_total;audiences\n\
             s1;c1;{kind};H2903;2027-01-11/2027-01-15;{places};\"{audiences}\"\n"
        )
    };
    let load = |companies: &str, stages: &str| {
        let mut e = Engine::empty(Region::Normandy).unwrap();
        e.load_csv(
            Entity::Companies,
            "c.csv",
            companies.as_bytes(),
            LoadMode::Strict,
        )?;
        e.load_csv(Entity::Stages, "s.csv", stages.as_bytes(), LoadMode::Strict)?;
        Ok::<_, Error>(e.export_json())
    };
    let wire = load(&companies("pme"), &stages("observation_3e", "college", "2")).unwrap();
    let typed = load(
        &companies("PME"),
        &stages(" Observation 3e ", " Collège ", "2,0"),
    )
    .unwrap();
    assert_eq!(typed, wire);
    let hyphen = stages("observation-3e", "college", "2.00");
    assert_eq!(load(&companies("Pme"), &hyphen).unwrap(), wire);
    for (kind, places, field, value) in [
        ("observation 3", "2", "kind", "observation 3"),
        ("observation_3e", "2,5", "places_total", "2,5"),
        ("observation_3e", "2.", "places_total", "2."),
    ] {
        let err = load(&companies("pme"), &stages(kind, "college", places)).unwrap_err();
        let first = &err.info().errors[0];
        assert_eq!(
            (first.field.as_deref(), first.value.as_deref()),
            (Some(field), Some(value))
        );
        assert!(!err.to_string().contains("too large"), "{err}");
    }
    // A whole number beyond the column's range says so rather than "expected a whole number".
    for places in ["4294967296", "99999999999999999999"] {
        let err = load(&companies("pme"), &stages("mini_stage", "college", places)).unwrap_err();
        assert_eq!(err.info().errors[0].value.as_deref(), Some(places));
        assert!(err.to_string().contains("this one is too large"), "{err}");
    }
}

/// What a spreadsheet does to codes it reads as numbers, said in the error: a postal code
/// without its leading zero, a SIRET in scientific notation (its last digits lost).
#[test]
fn codes_a_spreadsheet_read_as_numbers_are_refused_with_the_reason() {
    for (row, says) in [
        ("c1;A;;1000", "1000 may be 01000"),
        ("c1;A;7,32829E+13;14000", "scientific notation"),
    ] {
        let file = format!("id;name;siret;postal_code\n{row}\n");
        let err = common::companies_csv(&file).unwrap_err();
        assert!(err.to_string().contains(says), "{err}");
    }
}

/// Windows ends lines with CR LF, old Mac spreadsheets with a lone CR: a bad row's error names
/// its own line either way (CR LF files named the line before: rust-csv issue 395).
#[test]
fn errors_name_the_right_line_whatever_the_line_ends() {
    let rows = [
        "id,name,commune",
        "c1,A,Caen",
        "c2,B,Atlantis",
        "c3,C,Rouen",
        "c4,D,Nowhere",
    ];
    for end in ["\n", "\r\n", "\r"] {
        let file = rows.join(end) + end;
        let report = Engine::empty(Region::Normandy)
            .unwrap()
            .load_csv(
                Entity::Companies,
                "c.csv",
                file.as_bytes(),
                LoadMode::Lenient,
            )
            .unwrap();
        let lines: Vec<Option<u64>> = report.rejected.iter().map(|r| r.info().line).collect();
        assert_eq!(lines, [Some(3), Some(5)], "{end:?}");
        assert_eq!(report.companies, 2);
    }
}

/// A spreadsheet's « CSV (séparateur : point-virgule) » export on Windows: Windows-1252. As
/// UTF-8 it is a `data_error` that says how to load it; with its encoding it loads as the same
/// text in UTF-8 does; a byte-order mark wins over the option; an unassigned byte is refused.
#[test]
fn a_windows_1252_export_loads_with_its_encoding() {
    let text = "id;name;commune\r\nc1;Pâtisserie Hébert – l’œuvre (fictif);Évreux\r\n";
    let cp1252: Vec<u8> = text
        .chars()
        .map(|c| match c {
            '–' => 0x96,
            '’' => 0x92,
            'œ' => 0x9C,
            c => u8::try_from(u32::from(c)).unwrap(),
        })
        .collect();
    let with = |encoding: &str| LoadOptions {
        encoding: Some(encoding.parse().unwrap()),
        ..LoadOptions::default()
    };
    let load = |bytes: &[u8], options: &LoadOptions| {
        let mut e = Engine::empty(Region::Normandy).unwrap();
        e.load(Format::Csv, Some(Entity::Companies), bytes, options)
            .map(|_| e.export_json())
    };
    let utf8 = load(text.as_bytes(), &LoadOptions::default()).unwrap();
    assert!(
        utf8.contains("Pâtisserie Hébert – l’œuvre (fictif)"),
        "{utf8}"
    );
    let err = load(&cp1252, &LoadOptions::default()).unwrap_err();
    assert_eq!((err.code(), err.info().line), ("data_error", Some(2)));
    assert!(err.to_string().contains("\"windows-1252\""), "{err}");
    for label in ["windows-1252", "CP1252", "latin-1", " ISO-8859-1 "] {
        assert_eq!(load(&cp1252, &with(label)).unwrap(), utf8, "{label}");
    }
    // UTF-8 with its byte-order mark, loaded by a pipeline that says windows-1252 for all.
    let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    assert_eq!(load(&bom, &with("cp1252")).unwrap(), utf8);
    // 0x81 is no character in Windows-1252 (Latin-1 would make it a control).
    let mut unassigned = cp1252.clone();
    unassigned.extend_from_slice(b"c2;X\x81;Caen\r\n");
    let err = load(&unassigned, &with("cp1252")).unwrap_err();
    assert!(err.to_string().contains("0x81"), "{err}");
    assert_eq!(err.info().line, Some(3));
    // JSON is UTF-8; a frame's cells are text already: the option cannot apply.
    let mut e = Engine::empty(Region::Normandy).unwrap();
    let json = e
        .load(Format::Json, None, b"{}", &with("cp1252"))
        .unwrap_err();
    assert_eq!(
        (json.code(), json.info().field.as_deref()),
        ("invalid_input", Some("encoding"))
    );
    let frame = e
        .load_columns(Entity::Companies, &[], &with("cp1252"))
        .unwrap_err();
    assert_eq!(frame.info().field.as_deref(), Some("encoding"));
    let unknown = LoadOptions::from_value(Some(serde_json::json!({"encoding": "ascii"})));
    let unknown = unknown.unwrap_err();
    assert_eq!(unknown.info().field.as_deref(), Some("encoding"));
    let expected = r#"invalid encoding "ascii": expected "utf-8" or "windows-1252" (also "cp1252", "latin-1")"#;
    assert!(unknown.to_string().ends_with(expected), "{unknown}");
}

/// Files loaded together (`load_paths_in`, the command line's `--catalog`): the encoding is the
/// CSV files'; a JSON document beside them is read as the UTF-8 it is, not refused.
#[test]
fn an_encoding_for_several_files_is_the_csv_files_one() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
    let args = [
        format!("{root}/assign/catalog.json"),
        format!("companies={root}/spreadsheet/companies-windows-1252.csv"),
    ];
    let mut e = Engine::empty(Region::Normandy).unwrap();
    let reports = e
        .load_paths_in(&args, "windows-1252".parse().unwrap())
        .unwrap();
    assert_eq!(reports.len(), 2);
    assert!(reports[0].companies > 0 && reports[1].companies > 0);
    assert!(
        e.export_json().contains("Pâtisserie"),
        "the CSV file decoded"
    );
}

/// A French spreadsheet's CSV export: semicolons between cells, decimal commas, a capitalised
/// header, a byte-order mark. It loads as the same file written with commas and points does;
/// a decimal comma a comma file leaves unquoted is a ragged row, never a shifted column.
#[test]
fn a_french_spreadsheet_export_loads_as_the_plain_csv_does() {
    let plain = PLAIN_COMPANIES;
    let french = "\u{feff}ID;Name;Commune;Lat;Lon;Max_Pupils\r\nc1;Atelier (fictif);Caen;49,1846;-0,371;2\r\nc2;\"Garage; du port (fictif)\";Rouen;;;\r\n";
    let load = |text: &str| companies_loaded(text.as_bytes());
    assert_eq!(load(french), load(plain));
    // Its "text, tab-separated" export, where a semicolon in a cell needs no quotes.
    assert_eq!(load(TAB_COMPANIES), load(plain));
    // A checked box exported by a French spreadsheet: VRAI or FAUX, in any case.
    let mut e = Engine::empty(Region::Normandy).unwrap();
    e.load_csv(
        Entity::Companies,
        "c.csv",
        plain.as_bytes(),
        LoadMode::Strict,
    )
    .unwrap();
    let stages = "id;company;kind;metiers;periods;places_total;accessible;rep_only\ns1;c1;long_professionnel;H2903;2027-01-04/2027-01-29;2;VRAI;Faux\n";
    e.load_csv(Entity::Stages, "s.csv", stages.as_bytes(), LoadMode::Strict)
        .unwrap();
    let s1 = e.stage("s1").unwrap();
    assert!(s1.accessible && !s1.rep_only);
    let bad = "id;company;kind;metiers;periods;places_total;accessible\ns2;c1;long_professionnel;H2903;2027-01-04/2027-01-29;2;Peut-être\n";
    let err = e
        .load_csv(Entity::Stages, "s.csv", bad.as_bytes(), LoadMode::Strict)
        .unwrap_err();
    assert!(
        err.to_string().contains("value \"Peut-être\""),
        "the value as given: {err}"
    );
    let mut e = Engine::empty(Region::Normandy).unwrap();
    for (text, line, field) in [
        (
            "id,name,commune,lat,lon\nc1,Atelier (fictif),Caen,49,18,-0.37\n",
            Some(2),
            None,
        ),
        (
            "id;name;commune;max_pupils\nc1;Atelier (fictif);Caen;2,5\n",
            Some(2),
            Some("max_pupils"),
        ),
        (
            "id;name;commune;lat;lon\nc1;Atelier (fictif);Caen;49,1,8;-0,37\n",
            Some(2),
            Some("lat"),
        ),
        // 49,184 could be 49.184 or 49184: refused, not guessed (49,1846 and -0,371 are read).
        (
            "id;name;commune;lat;lon\nc1;Atelier (fictif);Caen;49,184;-0,37\n",
            Some(2),
            Some("lat"),
        ),
    ] {
        let err = e
            .load_csv(
                Entity::Companies,
                "c.csv",
                text.as_bytes(),
                LoadMode::Strict,
            )
            .unwrap_err();
        let info = match &err {
            Error::Rejected { errors, .. } => errors[0].info(),
            other => other.info(),
        };
        assert_eq!(
            (info.line, info.field.as_deref()),
            (line, field),
            "{text}: {err}"
        );
    }
}

/// The same bad place in each format: the field as the file names it, whether the text is not a
/// number or the number is not a latitude (a CSV error once named `lat` for the one and
/// `place.lat` for the other).
#[test]
fn a_bad_place_is_named_as_its_format_names_it() {
    let row = |lat: &str, commune: &str| {
        format!("id,name,commune,lat,lon\nc9,Atelier (fictif),{commune},{lat},-0.37\n")
    };
    let json = |lat: &str, commune: &str| {
        format!(
            r#"{{"id": "c9", "name": "Atelier (fictif)", "place": {{"commune": "{commune}", "lat": {lat}, "lon": -0.37}}}}"#
        )
    };
    for (lat, commune, field) in [
        ("\"abc\"", "Caen", "lat"),
        ("95", "Caen", "lat"),
        ("49.18", "Atlantis", "commune"),
    ] {
        let mut e = Engine::empty(Region::Normandy).unwrap();
        let csv_lat = lat.trim_matches('"');
        let err = e
            .load_csv(
                Entity::Companies,
                "c.csv",
                row(csv_lat, commune).as_bytes(),
                LoadMode::Strict,
            )
            .unwrap_err();
        let first = |err: &Error| match err {
            Error::Rejected { errors, .. } => errors[0].info().field,
            other => other.info().field,
        };
        assert_eq!(first(&err).as_deref(), Some(field), "csv {lat} {commune}");
        let err = e
            .load_jsonl(
                Entity::Companies,
                "c.jsonl",
                json(lat, commune).as_bytes(),
                LoadMode::Strict,
            )
            .unwrap_err();
        assert_eq!(
            first(&err),
            Some(format!("place.{field}")),
            "jsonl {lat} {commune}"
        );
        let doc = format!(r#"{{"companies": [{}]}}"#, json(lat, commune));
        let err = e
            .load_json("c.json", doc.as_bytes(), LoadMode::Strict)
            .unwrap_err();
        assert_eq!(
            first(&err),
            Some(format!("companies[0].place.{field}")),
            "json {lat} {commune}"
        );
    }
}

/// A CSV file is read as it is loaded: its path's errors are still a `data_error` naming it,
/// and its rows' errors name their lines.
#[test]
fn csv_paths_that_cannot_be_read_or_hold_bad_rows_are_data_errors() {
    let dir = std::env::temp_dir().join(format!("metiers-paths-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("stages.csv")).unwrap();
    let mut e = engine_with_example_companies();
    let options = metiers::LoadOptions::default();
    for path in [dir.join("stages.csv"), dir.join("missing.csv")] {
        let err = e
            .load_path(&path, Some(Entity::Stages), &options)
            .unwrap_err();
        assert_eq!(err.code(), "data_error", "{path:?}");
        assert!(err.to_string().contains("cannot read the file"), "{err}");
    }
    let file = dir.join("companies-bad.csv");
    std::fs::write(
        &file,
        "id,name,commune\nx1,Ateliers (fictif),Flers\nx2,,Flers\n",
    )
    .unwrap();
    let err = e.load_path(&file, None, &options).unwrap_err();
    let info = err.info();
    assert_eq!(
        (info.errors[0].line, info.errors[0].field.as_deref()),
        (Some(3), Some("name"))
    );
    assert!(e.catalog().company("x1").is_err(), "strict: nothing loaded");
    let unnamed = dir.join("export.csv");
    std::fs::write(&unnamed, "id,name\n").unwrap();
    let err = e.load_path(&unnamed, None, &options).unwrap_err();
    assert_eq!(
        (err.code(), err.info().field.as_deref()),
        ("invalid_input", Some("entity"))
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A JSON line holds one item: a second one after it (or any text) is an error naming the
/// line, not an item silently dropped.
#[test]
fn a_json_line_with_more_than_one_item_is_an_error() {
    let one = r#"{"id": "c1", "name": "Ateliers (fictif)", "place": {"commune": "Flers"}}"#;
    let two = r#"{"id": "c2", "name": "Garage (fictif)", "place": {"commune": "Caen"}}"#;
    let mut e = Engine::empty(Region::Normandy).unwrap();
    for (text, line) in [
        (format!("{one}\n{one} {two}\n"), 2),
        (format!("{two} x\n"), 1),
    ] {
        let report = e
            .load_jsonl(
                Entity::Companies,
                "c.jsonl",
                text.as_bytes(),
                LoadMode::Lenient,
            )
            .unwrap();
        assert_eq!(report.rejected.len(), 1, "{text}");
        let info = report.rejected[0].info();
        assert_eq!((info.code.as_str(), info.line), ("data_error", Some(line)));
        assert!(
            info.message.contains("trailing characters"),
            "{}",
            info.message
        );
    }
    assert!(e.catalog().company("c1").is_ok());
    assert!(
        e.catalog().company("c2").is_err(),
        "not taken from a line holding more"
    );
}

/// A million stages must fit in 400 MB (README, "Memory"): a stage is one 256-byte block behind
/// the catalogue's `Arc` (16 bytes of counts), and its places hold the geography's own texts
/// instead of a copy each.
#[test]
#[cfg(target_pointer_width = "64")]
fn a_stage_fits_one_256_byte_block_and_shares_its_places_texts() {
    assert!(
        std::mem::size_of::<Stage>() + 16 <= 256,
        "a Stage of {} bytes",
        std::mem::size_of::<Stage>()
    );
    let mut e = engine_with_example_companies();
    let mut second = example_stage("s-2");
    second.place = Some(metiers::Location::commune("Flers"));
    e.add_stage(example_stage("s-1")).unwrap();
    e.add_stage(second).unwrap();
    let place = |id: &str| e.catalog().stage(id).unwrap().place.clone().unwrap();
    let (first, second) = (place("s-1"), place("s-2"));
    let flers = e.commune("61169").unwrap();
    for p in [&first, &second] {
        assert_eq!(p.commune.as_deref(), Some("61169"));
        assert!(std::sync::Arc::ptr_eq(
            p.commune.as_ref().unwrap(),
            &flers.insee
        ));
        assert!(std::sync::Arc::ptr_eq(
            p.departement.as_ref().unwrap(),
            &flers.departement
        ));
    }
}
