//! Runs the shared vectors of tests/vectors/engine.json (the same file the Python, Node and
//! WASM suites read). `METIERS_BLESS=1` rewrites the expectations from the engine.

use metiers::{Engine, Error, PlaceRef, Query, SearchResult};
use serde::Serialize;
use serde_json::{json, Value};
use std::path::PathBuf;

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/engine.json")
}

/// A search's whole result, as every binding gives it: items, components, reasons (text and
/// data), origin, next steps and summary (tests/vectors/README.md).
fn project<T: Serialize>(r: &SearchResult<T>) -> Value {
    serde_json::to_value(r).unwrap()
}

fn place(v: &Value, field: &str) -> Result<PlaceRef, Error> {
    PlaceRef::from_value(v.clone(), field)
}

fn run(e: &Engine, op: &str, args: &Value) -> Result<Value, Error> {
    let query = || Query::from_json(&args["query"].to_string());
    let text = |k: &str| args[k].as_str().unwrap_or_default().to_string();
    Ok(match op {
        "search_stages" => project(&e.search_stages(&query()?)?),
        "search_ambassadors" => project(&e.search_ambassadors(&query()?)?),
        "search_companies" => project(&e.search_companies(&query()?)?),
        "ambassadors_for_class" => project(&e.ambassadors_for_class(&query()?)?),
        "companies_for_class" => project(&e.companies_for_class(&query()?)?),
        "metiers_near" => {
            let p = e.metiers_near(&query()?)?;
            json!({
                "total": p.total,
                "codes": p.metiers.iter().map(|m| &m.code).collect::<Vec<_>>(),
                "interest": p.metiers.iter().map(|m| m.interest).collect::<Vec<_>>(),
                "stages": p.metiers.iter().map(|m| m.stages).collect::<Vec<_>>(),
                "ambassadors": p.metiers.iter().map(|m| m.ambassadors).collect::<Vec<_>>(),
            })
        }
        "search_metiers" => {
            let hits =
                e.search_metiers(&text("text"), args["limit"].as_u64().unwrap_or(10) as usize)?;
            json!({
                "codes": hits.iter().map(|h| &h.code).collect::<Vec<_>>(),
                "titles": hits.iter().map(|h| &h.matched_title).collect::<Vec<_>>(),
                "scores": hits.iter().map(|h| h.score).collect::<Vec<_>>(),
            })
        }
        "locate" => {
            let places = e.locate(place(&args["place"], "place")?)?;
            json!({
                "codes": places.iter().map(|p| &p.code).collect::<Vec<_>>(),
                "names": places.iter().map(|p| &p.name).collect::<Vec<_>>(),
                "kinds": places.iter().map(|p| p.kind).collect::<Vec<_>>(),
                "matched_by": places.iter().map(|p| p.matched_by).collect::<Vec<_>>(),
            })
        }
        "distance_km" => {
            let d = e.distance_km(place(&args["from"], "from")?, place(&args["to"], "to")?)?;
            json!((d * 1000.0).round() / 1000.0)
        }
        "counters" => serde_json::to_value(e.counters()).unwrap(),
        "companies_with_stages_in" => {
            let list = e.companies_with_stages_in(&text("departement"))?;
            json!({ "ids": list.iter().map(|c| &c.id).collect::<Vec<_>>() })
        }
        "metier" => {
            let m = e.metier(&text("code"))?;
            json!({ "code": m.code, "label": m.label })
        }
        "company" => {
            let c = e.company(&text("id"))?;
            json!({ "id": c.id, "name": c.name, "commune": c.place.commune })
        }
        "commune" => {
            let c = e.commune(&text("code"))?;
            json!({ "insee": c.insee, "name": c.name, "departement": c.departement })
        }
        other => panic!("unknown op {other}"),
    })
}

/// What every binding's error must carry: the code, and the field or kind when there is one;
/// for an ambiguous place, the codes of its candidates in order.
fn error_shape(err: &Error) -> Value {
    let full = serde_json::to_value(err).unwrap();
    let mut shape = serde_json::Map::new();
    for key in ["code", "field", "kind"] {
        if let Some(v) = full.get(key).filter(|v| !v.is_null()) {
            shape.insert(key.to_string(), v.clone());
        }
    }
    if let Some(list) = full.get("candidates").and_then(Value::as_array) {
        let codes: Vec<Value> = list.iter().map(|c| c["code"].clone()).collect();
        shape.insert("candidates".into(), Value::Array(codes));
    }
    Value::Object(shape)
}

/// Checks one entry (a case or a step) against what the engine gave, or with `bless` writes
/// what it gave as the entry's expectation. `got` is `{"expect": …}` or `{"error": …}`.
fn check_or_bless(entry: &mut Value, got: &Value, bless: bool, label: &str) -> Option<String> {
    let obj = entry.as_object_mut().unwrap();
    if bless {
        obj.remove("expect");
        obj.remove("error");
        for (k, v) in got.as_object().unwrap() {
            obj.insert(k.clone(), v.clone());
        }
        return None;
    }
    let want = match (obj.get("expect"), obj.get("error")) {
        (_, Some(err)) => json!({ "error": err }),
        (Some(v), None) => json!({ "expect": v }),
        (None, None) => json!({ "expect": null }),
    };
    (*got != want).then(|| format!("{label}:\n  want {want}\n  got  {got}"))
}

/// Writes a blessed file, or fails with every difference.
fn finish(file: &std::path::Path, doc: &Value, failures: &[String], bless: bool) {
    if bless {
        std::fs::write(file, serde_json::to_string_pretty(doc).unwrap() + "\n").unwrap();
        return;
    }
    assert!(
        failures.is_empty(),
        "{} entries differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_shared_vectors_hold() {
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(path()).unwrap()).unwrap();
    let bless = std::env::var_os("METIERS_BLESS").is_some();
    let e = Engine::normandy().unwrap();
    let mut failures = Vec::new();
    for case in doc["cases"].as_array_mut().unwrap() {
        let name = case["name"].as_str().unwrap().to_string();
        let got = match run(&e, case["op"].as_str().unwrap(), &case["args"]) {
            Ok(v) => json!({ "expect": v }),
            Err(err) => json!({ "error": error_shape(&err) }),
        };
        failures.extend(check_or_bless(case, &got, bless, &name));
    }
    finish(&path(), &doc, &failures, bless);
    if bless {
        return;
    }
    let errors = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c.get("error").is_some())
        .count();
    assert!(errors >= 10, "bad-input cases are part of the contract");
}

/// A case's JSON with the table's markers (`{"$nan": true}`, `{"$deep": n}`…) as a deserializer,
/// so NaN and deep nesting reach the library the way a binding's values do.
#[derive(Clone, Copy)]
struct Special<'a>(&'a Value);

/// `n` lists nested around 1.
#[derive(Clone, Copy)]
struct Deep(u64);

type DeError = serde::de::value::Error;

/// The text a `$repeat` or `$concat` marker stands for.
fn built_text(v: &Value) -> Option<String> {
    if let Some(s) = v.as_str() {
        return Some(s.to_string());
    }
    let o = v.as_object()?;
    if let Some(r) = o.get("$repeat") {
        return Some(r[0].as_str()?.repeat(usize::try_from(r[1].as_u64()?).ok()?));
    }
    let parts = o.get("$concat")?.as_array()?;
    parts.iter().map(built_text).collect()
}

impl<'de> serde::Deserializer<'de> for Special<'_> {
    type Error = DeError;
    fn deserialize_any<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        use serde::de::value::{MapDeserializer, SeqDeserializer};
        match self.0 {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => v.visit_u64(u),
                (_, Some(i)) => v.visit_i64(i),
                _ => v.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => v.visit_str(s),
            Value::Array(a) => v.visit_seq(SeqDeserializer::new(a.iter().map(Special))),
            Value::Object(o) => {
                if o.contains_key("$nan") {
                    v.visit_f64(f64::NAN)
                } else if let Some(sign) = o.get("$inf").and_then(Value::as_f64) {
                    v.visit_f64(sign * f64::INFINITY)
                } else if let Some(n) = o.get("$deep").and_then(Value::as_u64) {
                    Deep(n).deserialize_any(v)
                } else if let Some(text) = built_text(self.0) {
                    v.visit_string(text)
                } else {
                    v.visit_map(MapDeserializer::new(
                        o.iter().map(|(k, x)| (k.as_str(), Special(x))),
                    ))
                }
            }
        }
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

impl serde::de::IntoDeserializer<'_, DeError> for Special<'_> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> serde::Deserializer<'de> for Deep {
    type Error = DeError;
    fn deserialize_any<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        if self.0 == 0 {
            v.visit_u64(1)
        } else {
            v.visit_seq(serde::de::value::SeqDeserializer::new(std::iter::once(
                Deep(self.0 - 1),
            )))
        }
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

impl serde::de::IntoDeserializer<'_, DeError> for Deep {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

/// An argument as the browser and Node bindings read it.
fn arg(v: &Value, what: &str) -> Result<Value, Error> {
    metiers::input::read(Special(v), what, metiers::input::Numbers::JS)
}

/// A place argument: what the reader refuses is named inside the argument (`place.lat`).
fn place_arg(v: &Value, what: &str) -> Result<PlaceRef, Error> {
    let value = arg(v, what).map_err(|e| e.in_field(what))?;
    PlaceRef::from_value(value, what)
}

fn run_bad(op: &str, args: &Value) -> Result<(), Error> {
    let e = Engine::normandy().unwrap();
    match op {
        "search_stages" => {
            let q: Query = metiers::error::from_value(arg(&args["query"], "query")?, "query")?;
            e.search_stages(&q).map(drop)
        }
        "search_metiers" => {
            let text: String = metiers::error::from_value(arg(&args["text"], "text")?, "text")?;
            let limit = match args.get("limit") {
                None => 10,
                Some(l) => metiers::input::whole(&arg(l, "limit")?, "limit")?,
            };
            e.search_metiers(&text, limit).map(drop)
        }
        "locate" => e.locate(place_arg(&args["place"], "place")?).map(drop),
        "distance_km" => {
            let from = place_arg(&args["from"], "from")?;
            let to = place_arg(&args["to"], "to")?;
            e.distance_km(from, to).map(drop)
        }
        "load" => {
            let mut e = engine_with_example_companies();
            let data = built_text(&args["data"]).unwrap();
            let entity = || {
                args["entity"]
                    .as_str()
                    .unwrap()
                    .parse::<metiers::Entity>()
                    .unwrap()
            };
            let mode = metiers::LoadMode::Strict;
            match args["format"].as_str().unwrap() {
                "json" => e.load_json("bad", data.as_bytes(), mode).map(drop),
                "csv" => e.load_csv(entity(), "bad", data.as_bytes(), mode).map(drop),
                _ => e
                    .load_jsonl(entity(), "bad", data.as_bytes(), mode)
                    .map(drop),
            }
        }
        other => panic!("unknown op {other}"),
    }
}

/// The engine every loader case starts from: the example companies, the zone B calendar.
fn engine_with_example_companies() -> Engine {
    let mut e = Engine::empty(metiers::Region::Normandy).unwrap();
    let csv = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/data/companies.csv"),
    )
    .unwrap();
    e.load_csv(
        metiers::Entity::Companies,
        "companies.csv",
        &csv[..],
        metiers::LoadMode::Strict,
    )
    .unwrap();
    e
}

#[test]
fn the_shared_bad_input_table_holds() {
    let file = path().with_file_name("bad_inputs.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let bless = std::env::var_os("METIERS_BLESS").is_some();
    let mut failures = Vec::new();
    for case in doc["cases"].as_array_mut().unwrap() {
        let name = case["name"].as_str().unwrap().to_string();
        let got = match run_bad(case["op"].as_str().unwrap(), &case["args"]) {
            Ok(()) => Value::Null,
            Err(err) => error_shape(&err),
        };
        if bless {
            case["error"] = got;
        } else if got != case["error"] || got.is_null() {
            failures.push(format!("{name}: want {} got {got}", case["error"]));
        }
    }
    if bless {
        std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
        return;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let fixtures = path().with_file_name("../fixtures/catalog/cases.json");
    let fixtures: Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures).unwrap()).unwrap();
    let total =
        doc["cases"].as_array().unwrap().len() + fixtures["cases"].as_array().unwrap().len();
    assert!(
        total >= 60,
        "at least 60 bad inputs, loaders' files included: {total}"
    );
}

fn scenarios_path() -> PathBuf {
    path().with_file_name("scenarios.json")
}

fn repo_file(rel: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(rel),
    )
    .unwrap()
}

/// What a load gives every binding: the counts, each rejected row as `[line, field, code]`, the
/// number of warnings.
fn project_report(r: &metiers::LoadReport) -> Value {
    json!({
        "source": r.source,
        "companies": r.companies,
        "ambassadors": r.ambassadors,
        "stages": r.stages,
        "rejected": r.rejected.iter().map(|e| {
            let info = e.info();
            json!([info.line, info.field, info.code])
        }).collect::<Vec<_>>(),
        "warnings": r.warnings.len(),
    })
}

fn batch_items(
    items: Result<Vec<Result<metiers::BatchPage, Error>>, Error>,
) -> Result<Value, Error> {
    Ok(Value::Array(
        items?
            .into_iter()
            .map(|r| match r {
                Ok(v) => json!({ "total": serde_json::to_value(v).unwrap()["total"] }),
                Err(e) => json!({ "error": error_shape(&e) }),
            })
            .collect(),
    ))
}

/// A batch step: each query read as the bindings read a list's items, the markers built (NaN,
/// deep lists), so one that cannot be read keeps its error in its place.
fn batch_step(e: &Engine, kind: metiers::SearchKind, a: &Value) -> Result<Value, Error> {
    let options = metiers::BatchOptions::from_value(a.get("options").cloned())?;
    let queries = match a["queries"].as_array() {
        Some(items) => metiers::batch_items(items.iter().map(|q| {
            move |what: &str| {
                metiers::input::read(Special(q), what, metiers::input::Numbers::default())
            }
        })),
        None => metiers::batch_queries(a["queries"].clone())?,
    };
    batch_items(e.search_batch(kind, queries, options))
}

/// A placement step's request: its `pupils` and `options`, as every binding passes them.
fn request(a: &Value) -> Result<metiers::AssignRequest, Error> {
    metiers::AssignRequest::from_values(a["pupils"].clone(), a.get("options").cloned())
}

/// A territory analytics step: its `request`, the whole result.
fn analytics_step(e: &Engine, op: &str, a: &Value) -> Result<Value, Error> {
    use metiers::analytics::{CoverageRequest, DemandRequest, WhiteZoneRequest};
    let r = a.get("request").cloned();
    Ok(match op {
        "coverage" => serde_json::to_value(e.coverage(&CoverageRequest::from_value(r)?)?),
        "white_zones" => serde_json::to_value(e.white_zones(&WhiteZoneRequest::from_value(r)?)?),
        _ => serde_json::to_value(e.supply_demand(&DemandRequest::from_value(r)?)?),
    }
    .unwrap())
}

/// One step of a scenario, by the rules of tests/vectors/README.md.
fn step(e: &mut Engine, op: &str, a: &Value) -> Result<Value, Error> {
    use metiers::{Entity, Format, LoadOptions, SearchKind};
    let options = || LoadOptions::from_value(a.get("options").cloned());
    let entity =
        || -> Result<Entity, Error> { metiers::error::from_value(a["entity"].clone(), "entity") };
    let load = |e: &mut Engine, format, entity| -> Result<Value, Error> {
        let data = repo_file(a["file"].as_str().unwrap());
        Ok(project_report(&e.load(
            format,
            entity,
            &data,
            &options()?,
        )?))
    };
    let item = |what: &str| (a["item"].clone(), what.to_string());
    let id = || a["id"].as_str().unwrap().to_string();
    let batch = |e: &Engine, kind| batch_step(e, kind, a);
    let count = || a.get("count").and_then(Value::as_u64).map(|n| n as u32);
    match op {
        "load_csv" => load(e, Format::Csv, Some(entity()?)),
        "load_jsonl" => load(e, Format::Jsonl, Some(entity()?)),
        "load_json" => load(e, Format::Json, None),
        "add_company" => {
            let (v, w) = item("company");
            e.add_company(metiers::error::from_value(v, &w)?)
                .map(|()| Value::Null)
        }
        "add_stage" => {
            let (v, w) = item("stage");
            e.add_stage(metiers::error::from_value(v, &w)?)
                .map(|()| Value::Null)
        }
        "replace_stage" => {
            let (v, w) = item("stage");
            e.replace_stage(metiers::error::from_value(v, &w)?)
                .map(|()| Value::Null)
        }
        "remove_company" => e.remove_company(&id()).map(|c| json!({ "id": c.id })),
        "remove_stage" => e.remove_stage(&id()).map(|s| json!({ "id": s.id })),
        "stage" => e
            .stage(&id())
            .map(|s| json!({ "id": s.id, "places_left": s.places_left })),
        "reserve" => e
            .reserve(a["stage_id"].as_str().unwrap(), count())
            .map(Value::from),
        "release" => e
            .release(a["stage_id"].as_str().unwrap(), count())
            .map(Value::from),
        "counters" => Ok(serde_json::to_value(e.counters().total).unwrap()),
        "search_stages_batch" => batch(e, SearchKind::Stages),
        "search_ambassadors_batch" => batch(e, SearchKind::Ambassadors),
        "search_stages" => {
            let q: Query = metiers::error::from_value(a["query"].clone(), "query")?;
            Ok(project(&e.search_stages(&q)?))
        }
        "request_contact" => {
            let mode: metiers::ContactMode = metiers::error::from_value(a["mode"].clone(), "mode")?;
            let date: metiers::Date = metiers::error::from_value(a["date"].clone(), "date")?;
            let id = a["ambassador_id"].as_str().unwrap();
            Ok(serde_json::to_value(e.request_contact(id, mode, date)?).unwrap())
        }
        "assign_visits" | "assign_visits_and_apply" => {
            let request = metiers::assign::VisitsRequest::from_values(
                a["requests"].clone(),
                a.get("options").cloned(),
            )?;
            let placement = e.assign_visits(&request)?;
            if op == "assign_visits" {
                return Ok(serde_json::to_value(placement).unwrap());
            }
            Ok(serde_json::to_value(e.apply_visits(&placement)?).unwrap())
        }
        "assign" => Ok(serde_json::to_value(e.assign(&request(a)?)?).unwrap()),
        "check_placement" => {
            let list = metiers::assign::assignments_from_value(a["placement"].clone())?;
            Ok(serde_json::to_value(e.check_placement(&request(a)?, &list)?).unwrap())
        }
        "assign_and_apply" => {
            let placement = e.assign(&request(a)?)?;
            Ok(serde_json::to_value(e.apply(&placement)?).unwrap())
        }
        "apply_twice" => {
            let placement = e.assign(&request(a)?)?;
            e.apply(&placement)?;
            Ok(serde_json::to_value(e.apply(&placement)?).unwrap())
        }
        "coverage" | "white_zones" | "supply_demand" => analytics_step(e, op, a),
        "snapshot_restore" => {
            *e = Engine::restore(&e.snapshot()?)?;
            Ok(Value::Null)
        }
        other => panic!("unknown scenario op {other}"),
    }
}

/// The error shape of a scenario step: the vectors' shape plus the line and source of a data
/// error.
fn step_error(err: &Error) -> Value {
    let mut shape = error_shape(err);
    let info = err.info();
    if let (Value::Object(map), Some(line)) = (&mut shape, info.line) {
        map.insert("line".into(), line.into());
    }
    shape
}

#[test]
fn the_shared_scenarios_hold() {
    let text = std::fs::read_to_string(scenarios_path()).unwrap();
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    let bless = std::env::var_os("METIERS_BLESS").is_some();
    let mut failures = Vec::new();
    for scenario in doc["scenarios"].as_array_mut().unwrap() {
        let name = scenario["name"].as_str().unwrap().to_string();
        let mut e = match scenario["engine"].as_str().unwrap() {
            "normandy" => Engine::normandy().unwrap(),
            _ => Engine::empty(metiers::Region::Normandy).unwrap(),
        };
        for (i, s) in scenario["steps"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .enumerate()
        {
            let got = match step(&mut e, s["op"].as_str().unwrap(), &s["args"]) {
                Ok(v) => json!({ "expect": v }),
                Err(err) => json!({ "error": step_error(&err) }),
            };
            failures.extend(check_or_bless(s, &got, bless, &format!("{name}, step {i}")));
        }
    }
    finish(&scenarios_path(), &doc, &failures, bless);
}
