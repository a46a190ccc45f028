//! Runs the shared vectors of tests/vectors/engine.json (the same file the Python, Node and
//! WASM suites read). `METIERS_BLESS=1` rewrites the expectations from the engine.

use metiers::{Engine, Error, PlaceRef, Query, SearchResult};
use serde::Serialize;
use serde_json::{json, Value};
use std::path::PathBuf;

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/engine.json")
}

fn project<T: Serialize>(r: &SearchResult<T>) -> Value {
    json!({
        "total": r.total,
        "offset": r.offset,
        "limit": r.limit,
        "ids": r.matches.iter().map(|m| &m.id).collect::<Vec<_>>(),
        "scores": r.matches.iter().map(|m| m.score).collect::<Vec<_>>(),
        "distances_km": r.matches.iter().map(|m| m.distance_km).collect::<Vec<_>>(),
        "reasons": r.matches.iter().map(|m| &m.reasons).collect::<Vec<_>>(),
        "widened": r.matches.iter().map(|m| &m.widened).collect::<Vec<_>>(),
        "next_steps": r.next_steps.iter().map(|s| json!([s.label, s.total])).collect::<Vec<_>>(),
        "origin": r.origin.as_ref().map(|o| json!([o.kind, o.code, o.matched_by])),
    })
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
        if bless {
            let obj = case.as_object_mut().unwrap();
            obj.remove("expect");
            obj.remove("error");
            for (k, v) in got.as_object().unwrap() {
                obj.insert(k.clone(), v.clone());
            }
            continue;
        }
        let want = if case.get("error").is_some() {
            json!({ "error": case["error"] })
        } else {
            json!({ "expect": case["expect"] })
        };
        if got != want {
            failures.push(format!("{name}:\n  want {want}\n  got  {got}"));
        }
    }
    if bless {
        std::fs::write(path(), serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
        return;
    }
    assert!(
        failures.is_empty(),
        "{} vector(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let errors = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c.get("error").is_some())
        .count();
    assert!(errors >= 10, "bad-input cases are part of the contract");
}
