//! Promises for careless and hostile input: a right answer or a coded error, never a panic, a
//! hang or a quietly different question.

use metiers::input::{read, Numbers};
use metiers::Entity;
use metiers::{
    Arrondissement, Commune, CommuneDeleguee, Date, Departement, Engine, Geography, LoadMode,
    PlaceRef, Query,
};
use proptest::prelude::*;

mod common;
use serde::Serialize;
use serde_json::{json, Value};

fn code(r: Result<impl std::fmt::Debug, metiers::Error>) -> String {
    r.map_or_else(|e| e.code().to_string(), |_| "ok".to_string())
}

#[test]
fn a_query_nested_far_too_deep_is_invalid_input_not_a_crash() {
    let mut deep = json!(1);
    for _ in 0..1000 {
        deep = json!([deep]);
    }
    let err = read(deep.clone(), "query", Numbers::default()).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("levels deep"), "{err}");
    let err = read(json!({ "near": deep }), "query", Numbers::JS).unwrap_err();
    assert!(
        matches!(err, metiers::Error::InvalidInput { ref field, .. } if field.starts_with("near[0]"))
    );
    // A query of every field is well within the limit.
    let q = json!({"near": {"lat": 49.1, "lon": -0.3}, "weights": {"interest": 0.5},
                   "dates": {"start": "2027-02-22", "end": "2027-02-26"}, "metiers": ["H2903"]});
    assert!(read(q, "query", Numbers::default()).is_ok());
}

#[test]
fn nan_and_infinities_are_invalid_input_naming_the_field() {
    // A JSON value cannot hold NaN; a binding's deserializer can: the f64 reaches the reader.
    for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let err = read(F64Map("radius_km", x), "query", Numbers::JS).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert!(
            matches!(err, metiers::Error::InvalidInput { ref field, .. } if field == "radius_km"),
            "{err:?}"
        );
    }
    let e = Engine::normandy().unwrap();
    for bad in [f64::NAN, f64::INFINITY] {
        let q = Query::near("Caen").radius(bad);
        assert_eq!(code(e.search_stages(&q)), "invalid_input");
        assert_eq!(
            code(e.search_stages(&Query::near(PlaceRef::point(bad, 0.0)))),
            "invalid_input"
        );
    }
}

/// `{key: x}` as a deserializer, to hand the reader a float JSON cannot write.
struct F64Map(&'static str, f64);

impl<'de> serde::Deserializer<'de> for F64Map {
    type Error = serde::de::value::Error;
    fn deserialize_any<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        use serde::de::value::MapDeserializer;
        v.visit_map(MapDeserializer::new(std::iter::once((self.0, self.1))))
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

#[test]
fn javascript_numbers_that_are_whole_are_integers_and_others_are_refused() {
    let seed = 1_796_158_675_952.0_f64; // Date.now()
    let v = read(F64Map("rotation_seed", seed), "fairness", Numbers::JS).unwrap();
    assert_eq!(v["rotation_seed"], json!(1_796_158_675_952_u64));
    let v = read(
        F64Map("rotation_seed", seed),
        "fairness",
        Numbers::default(),
    )
    .unwrap();
    assert!(v["rotation_seed"].is_f64(), "Python keeps floats floats");
    for (bad, why) in [
        (json!(1.5), "1.5"),
        (json!(-1), "-1"),
        (json!(4_294_967_297_u64), "2^32+1"),
    ] {
        assert_eq!(
            metiers::input::whole::<u32>(&bad, "count")
                .unwrap_err()
                .code(),
            "invalid_input",
            "{why}"
        );
    }
}

#[test]
fn releasing_more_than_a_stage_holds_is_a_conflict_and_changes_nothing() {
    let mut e = Engine::normandy().unwrap();
    let id = e.catalog().stages().next().unwrap().id.clone();
    let before = e.stage(&id).unwrap().places_left();
    assert_eq!(code(e.release(&id, u32::MAX)), "conflict");
    assert_eq!(code(e.reserve(&id, u32::MAX)), "conflict");
    assert_eq!(e.stage(&id).unwrap().places_left(), before);
}

#[test]
fn an_offset_near_the_largest_number_gives_an_empty_page() {
    let e = Engine::normandy().unwrap();
    for widen in [false, true] {
        // Past any list on every platform: 2^32 and 2^53 were refused by the browser build
        // (a 32-bit `usize`), where the native builds gave this empty page.
        for offset in [u64::MAX, 1 << 53, 1 << 32] {
            let q = Query {
                offset,
                widen,
                ..Query::near("Caen")
            };
            let page = e.search_stages(&q).unwrap();
            assert!(page.matches.is_empty());
            assert!(page.total > 0);
            assert_eq!(page.offset, offset);
        }
    }
}

/// The layout of `normandy.bin` (`core/src/geo/wire.rs`), written here so that a test can
/// write what the library's own writer never would. Every number is kept apart, as it is.
#[derive(Serialize)]
struct GeoMirror {
    communes: CommuneColumns,
    departements: Vec<Departement>,
    deleguees: Vec<CommuneDeleguee>,
    arrondissements: Vec<Arrondissement>,
}

#[derive(Serialize)]
struct CommuneColumns {
    insee: Vec<String>,
    names: Vec<String>,
    departements: Vec<(String, u32)>,
    regions: Vec<(String, u32)>,
    postal_codes: Vec<Vec<String>>,
    lat: Decimals,
    lon: Decimals,
    area_km2: Decimals,
    population: Vec<u32>,
    pop_15_64: Vec<u32>,
    pop_15_64_active: Vec<u32>,
    pop_15_64_unemployed: Vec<u32>,
}

#[derive(Serialize)]
struct Decimals {
    scale: u8,
    steps: Vec<i64>,
    apart: Vec<(u32, Option<f64>)>,
}

fn apart(values: impl Iterator<Item = Option<f64>>) -> Decimals {
    let apart: Vec<(u32, Option<f64>)> = values.enumerate().map(|(i, v)| (i as u32, v)).collect();
    Decimals {
        scale: 0,
        steps: vec![0; apart.len()],
        apart,
    }
}

fn geo_bytes(edit: impl FnOnce(&mut Commune)) -> Vec<u8> {
    let g = Geography::normandy().unwrap();
    let mut c = g.communes().to_vec();
    edit(&mut c[0]);
    let column = |f: fn(&Commune) -> u32| c.iter().map(f).collect::<Vec<u32>>();
    let runs = |f: fn(&Commune) -> &str| c.iter().map(|x| (f(x).to_string(), 1)).collect();
    postcard::to_allocvec(&GeoMirror {
        communes: CommuneColumns {
            insee: c.iter().map(|x| x.insee.to_string()).collect(),
            names: c.iter().map(|x| x.name.clone()).collect(),
            departements: runs(|x| &x.departement),
            regions: runs(|x| &x.region),
            postal_codes: c.iter().map(|x| x.postal_codes.clone()).collect(),
            lat: apart(c.iter().map(|x| x.lat)),
            lon: apart(c.iter().map(|x| x.lon)),
            area_km2: apart(c.iter().map(|x| x.area_km2)),
            population: column(|x| x.population),
            pop_15_64: column(|x| x.pop_15_64),
            pop_15_64_active: column(|x| x.pop_15_64_active),
            pop_15_64_unemployed: column(|x| x.pop_15_64_unemployed),
        },
        departements: g.departements().to_vec(),
        deleguees: g.former_communes().to_vec(),
        arrondissements: g.arrondissements().to_vec(),
    })
    .unwrap()
}

#[test]
fn from_data_checks_the_bytes_it_decodes() {
    let rome = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/rome.bin")).unwrap();
    let good = geo_bytes(|_| {});
    assert!(
        Engine::from_data(&rome, &good, metiers::Region::Normandy).is_ok(),
        "the mirror is faithful"
    );
    for (what, bytes) in [
        ("latitude 1e10", geo_bytes(|c| c.lat = Some(1e10))),
        ("NaN latitude", geo_bytes(|c| c.lat = Some(f64::NAN))),
        ("half a position", geo_bytes(|c| c.lon = None)),
        ("a bad INSEE code", geo_bytes(|c| c.insee = "1É".into())),
        ("a NaN area", geo_bytes(|c| c.area_km2 = Some(f64::NAN))),
    ] {
        assert_eq!(
            code(Engine::from_data(&rome, &bytes, metiers::Region::Normandy)),
            "data_error",
            "{what}"
        );
    }
    // rome.bin starts with its version and its métiers, and the rest names métiers by their
    // position: a changed métier is written in front of the rest as it is.
    let (head, rest): ((String, Vec<metiers::Metier>), &[u8]) =
        postcard::take_from_bytes(&rome).unwrap();
    let with = |edit: &dyn Fn(&mut Vec<metiers::Metier>)| {
        let mut metiers = head.1.clone();
        edit(&mut metiers);
        let mut bytes = postcard::to_allocvec(&(&head.0, metiers)).unwrap();
        bytes.extend_from_slice(rest);
        bytes
    };
    assert!(Engine::from_data(&with(&|_| {}), &good, metiers::Region::Normandy).is_ok());
    for (what, bytes) in [
        ("a multibyte code", with(&|m| m[0].code = "Éa12".into())),
        ("a code too short", with(&|m| m[0].code = "H2".into())),
        (
            "a fiche that is not a code",
            with(&|m| m[0].fiche = "?".into()),
        ),
        ("a code twice", with(&|m| m[1].code = m[0].code.clone())),
    ] {
        assert_eq!(
            code(Engine::from_data(&bytes, &good, metiers::Region::Normandy)),
            "data_error",
            "{what}"
        );
    }
}

#[test]
fn one_very_long_word_is_answered_at_once() {
    let e = Engine::normandy().unwrap();
    // Before the bound, 300,000 letters took 95 s and a million never returned.
    let long = "a".repeat(1_000_000);
    assert!(e.search_metiers(&long, 10).unwrap().is_empty());
    assert_eq!(
        code(e.search_stages(&Query::near("Caen").metier(long.clone()))),
        "not_found"
    );
    let err = e.locate(long.as_str()).unwrap_err();
    assert!(
        err.to_string().len() < 400,
        "a message quotes a bounded prefix"
    );
}

/// A long unknown name where a list of names is expected (a scope, a kind in a CSV cell): the
/// message quotes a bounded prefix of it, even where serde repeats the value in its reason.
#[test]
fn an_unknown_long_name_is_quoted_bounded() {
    let e = Engine::normandy().unwrap();
    let long = "w".repeat(100_000);
    let err = metiers::error::from_value::<Query>(json!({"near": "Caen", "scope": long}), "query")
        .and_then(|q| e.search_stages(&q).map(|_| ()))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().len() < 1_000, "{}", err.to_string().len());
    let file = format!("id,name,commune,size\nc1,A,Caen,{long}\n");
    let err = common::companies_csv(&file).unwrap_err();
    assert!(err.to_string().len() < 1_000, "{}", err.to_string().len());
}

#[test]
fn strict_parsing_of_dates_counts_and_documents() {
    for bad in [
        "2027-+2-+1",
        "+027-02-01",
        "2027-02-1 ",
        "2027-02-011",
        "２０２７-02-01",
    ] {
        assert_eq!(code(Date::parse(bad)), "invalid_input", "{bad:?}");
    }
    assert!(Date::parse("2027-02-01").is_ok());
    assert_eq!(
        code(Query::from_json(r#"{"near": "Caen"} {"near": "Rouen"}"#)),
        "invalid_input"
    );
    assert_eq!(code(Query::from_json(r#"{"near": "Caen"}  "#)), "ok");
    // A list is no object, at the top or inside: never read field by field.
    for bad in [
        "[]",
        r#"["Caen", 30]"#,
        r#"{"near": "Caen", "weights": [1]}"#,
        r#"{"near": "Caen", "dates": ["2027-01-04", "2027-01-08"]}"#,
    ] {
        let err = Query::from_json(bad).unwrap_err();
        assert!(
            err.to_string().contains("expected an object"),
            "{bad}: {err}"
        );
    }
    let mut e = Engine::empty(metiers::Region::Normandy).unwrap();
    let plus = "id,name,commune\nc1,Entreprise (fictif),14118\n";
    e.load_csv(
        Entity::Companies,
        "c.csv",
        plus.as_bytes(),
        LoadMode::Strict,
    )
    .unwrap();
    let stages = "id,company,kind,metiers,periods,places_total\ns1,c1,long_professionnel,H2903,2027-02-01/2027-03-01,+3\n";
    let err = e
        .load_csv(Entity::Stages, "s.csv", stages.as_bytes(), LoadMode::Strict)
        .unwrap_err();
    assert!(err.to_string().contains("places_total"), "{err}");
    for nan in ["NaN", "inf", "-infinity"] {
        let row = format!("id,name,lat,lon\nc9,Point (fictif),{nan},0\n");
        assert_eq!(
            code(e.load_csv(Entity::Companies, "p.csv", row.as_bytes(), LoadMode::Strict)),
            "data_error",
            "{nan}"
        );
    }
    let twice = "id,name,commune,commune\nc2,Deux (fictif),14118,76540\n";
    let err = e
        .load_csv(
            Entity::Companies,
            "d.csv",
            twice.as_bytes(),
            LoadMode::Strict,
        )
        .unwrap_err();
    assert!(err.to_string().contains("twice"), "{err}");
    // A byte-order mark is accepted the same way by the three loaders.
    let bom = "\u{feff}";
    let csv = format!("{bom}id,name,commune\nb1,Avec BOM (fictif),14118\n");
    e.load_csv(Entity::Companies, "b.csv", csv.as_bytes(), LoadMode::Strict)
        .unwrap();
    let doc = format!(
        r#"{bom}{{"companies": [{{"id": "b2", "name": "Avec BOM (fictif)", "place": {{"commune": "14118"}}}}]}}"#
    );
    e.load_json("b.json", doc.as_bytes(), LoadMode::Strict)
        .unwrap();
    let lines = format!(
        r#"{bom}{{"id": "b3", "name": "Avec BOM (fictif)", "place": {{"commune": "14118"}}}}"#
    );
    e.load_jsonl(
        Entity::Companies,
        "b.jsonl",
        lines.as_bytes(),
        LoadMode::Strict,
    )
    .unwrap();
}

#[test]
fn decomposed_accents_give_the_same_answers_as_composed_ones() {
    let e = Engine::normandy().unwrap();
    let nfc = e.search_metiers("électricien", 5).unwrap();
    let nfd = e.search_metiers("e\u{301}lectricien", 5).unwrap();
    assert_eq!(
        nfc.iter().map(|h| &h.code).collect::<Vec<_>>(),
        nfd.iter().map(|h| &h.code).collect::<Vec<_>>()
    );
}

#[test]
fn messages_speak_the_librarys_words() {
    let e = Engine::normandy().unwrap();
    let bad = |v: Value| {
        metiers::error::from_value::<Query>(v, "query")
            .unwrap_err()
            .to_string()
    };
    let m = bad(json!({"radius_km": "30"}));
    assert!(
        m.contains("radius_km \"30\"") && m.contains("a number"),
        "{m}"
    );
    let m = bad(json!({"near": 5}));
    assert!(!m.contains("untagged") && m.contains("near"), "{m}");
    let m = bad(json!({"limit": -1}));
    assert!(m.contains("whole number"), "{m}");
    drop(e);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any point on Earth, any radius, extreme offsets and limits: a page or a coded error,
    /// every result within the radius, pages consistent.
    #[test]
    fn any_point_any_radius_any_page(
        lat in -90.0f64..=90.0,
        lon in -180.0f64..=180.0,
        radius in 0.001f64..=1000.0,
        offset in prop_oneof![0u64..50, Just(u64::MAX), Just(u64::MAX - 1), Just(1u64 << 32)],
        limit in prop_oneof![1u64..=1000, Just(0u64), Just(1001u64), Just(u64::MAX), Just(1u64 << 32)],
    ) {
        let e = Engine::normandy().unwrap();
        let q = Query { offset, limit: Some(limit), ..Query::near(PlaceRef::point(lat, lon)).radius(radius) };
        match e.search_stages(&q) {
            Ok(page) => {
                prop_assert!(page.matches.len() as u64 <= limit);
                let skipped = usize::try_from(offset).unwrap_or(usize::MAX);
                prop_assert!(page.matches.len() <= page.total.saturating_sub(skipped.min(page.total)));
                for m in &page.matches {
                    prop_assert!(m.distance_km.unwrap() <= radius + 0.01);
                }
            }
            Err(err) => {
                prop_assert_eq!(err.code(), "invalid_input");
                prop_assert!(limit == 0 || limit > 1000);
            }
        }
    }
}

#[test]
fn a_job_title_limit_of_any_size_is_answered() {
    // A limit reserved its room before: usize::MAX overflowed (a panic), 2^53 (JavaScript's
    // largest exact whole number) asked for petabytes (the process aborted).
    let e = Engine::normandy().unwrap();
    let all = e.search_metiers("boulanger", 100_000).unwrap();
    assert!(all.len() > 5, "{}", all.len());
    for limit in [usize::MAX, 1 << 53, u32::MAX as usize, all.len()] {
        assert_eq!(
            e.search_metiers("boulanger", limit).unwrap(),
            all,
            "{limit}"
        );
    }
    let rome = metiers::Referential::embedded().unwrap();
    assert_eq!(rome.search("boulanger", usize::MAX).unwrap(), all);
}

#[test]
fn a_batch_longer_than_a_million_queries_is_refused_before_it_is_read() {
    // A JavaScript array can claim 2^32 - 1 items while holding none; read one by one, it took
    // the process down.
    let many = serde_json::Value::Array(vec![serde_json::Value::Null; metiers::MAX_BATCH + 1]);
    let err = metiers::batch_queries(many).unwrap_err();
    assert_eq!(err.info().field.as_deref(), Some("queries"));
    let enough = serde_json::Value::Array(vec![serde_json::json!({"near": "Caen"}); 3]);
    assert_eq!(metiers::batch_queries(enough).unwrap().len(), 3);
}
