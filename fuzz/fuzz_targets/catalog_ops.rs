//! A sequence of catalogue operations (add, replace, remove, reserve, release, search) on a
//! small engine: no panic, places never below 0 or above the total, searches consistent.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use metiers::{Ambassador, Company, PlaceRef, Query, Stage};
use metiers_fuzz::{check, empty};
use serde_json::json;

#[derive(Arbitrary, Debug)]
enum Op {
    AddCompany {
        id: u8,
        commune: u16,
        lat: f64,
        lon: f64,
        point: bool,
    },
    AddStage {
        id: u8,
        company: u8,
        kind: u8,
        metier: u16,
        places: u32,
        left: u32,
        start: u16,
        days: u8,
    },
    ReplaceStage {
        id: u8,
        company: u8,
        places: u32,
    },
    AddAmbassador {
        id: u8,
        company: u8,
        metier: u16,
        radius: f64,
    },
    RemoveCompany(u8),
    RemoveStage(u8),
    Reserve(u8, u32),
    Release(u8, u32),
    Search {
        lat: f64,
        lon: f64,
        radius: f64,
        offset: u16,
        limit: u16,
        widen: bool,
    },
}

fn date(day: u16) -> String {
    let d = metiers::Date::parse("2026-09-01")
        .expect("a date")
        .plus_days(i32::from(day % 400));
    d.to_string()
}

fuzz_target!(|ops: Vec<Op>| {
    let mut e = empty().clone();
    let communes = e.geography().communes().to_vec();
    let metiers: Vec<String> = e
        .referential()
        .metiers()
        .iter()
        .map(|m| m.code.clone())
        .collect();
    for op in ops.into_iter().take(64) {
        match op {
            Op::AddCompany {
                id,
                commune,
                lat,
                lon,
                point,
            } => {
                let c = &communes[usize::from(commune) % communes.len()];
                let place = if point {
                    json!({"lat": lat, "lon": lon})
                } else {
                    json!({"commune": c.insee})
                };
                if let Ok(company) = serde_json::from_value::<Company>(
                    json!({"id": format!("c{id}"), "name": "Fuzz (fictif)", "place": place}),
                ) {
                    let _ = check(e.add_company(company));
                }
            }
            Op::AddStage {
                id,
                company,
                kind,
                metier,
                places,
                left,
                start,
                days,
            } => {
                let kind = [
                    "mini_stage",
                    "observation_3e",
                    "seconde",
                    "long_professionnel",
                ][usize::from(kind % 4)];
                let start = date(start);
                let end = metiers::Date::parse(&start)
                    .expect("a date")
                    .plus_days(i32::from(days % 40))
                    .to_string();
                let stage = json!({"id": format!("s{id}"), "company": format!("c{company}"), "kind": kind,
                    "metiers": [metiers[usize::from(metier) % metiers.len()]],
                    "periods": [{"start": start, "end": end}], "places_total": places, "places_left": left});
                if let Ok(stage) = serde_json::from_value::<Stage>(stage) {
                    let _ = check(e.add_stage(stage));
                }
            }
            Op::ReplaceStage {
                id,
                company,
                places,
            } => {
                let stage = json!({"id": format!("s{id}"), "company": format!("c{company}"), "kind": "long_professionnel",
                    "metiers": [metiers[0]], "periods": [{"start": "2027-02-01", "end": "2027-03-01"}], "places_total": places});
                if let Ok(stage) = serde_json::from_value::<Stage>(stage) {
                    let _ = check(e.replace_stage(stage));
                }
            }
            Op::AddAmbassador {
                id,
                company,
                metier,
                radius,
            } => {
                let a = json!({"id": format!("a{id}"), "kind": "metier", "company": format!("c{company}"),
                    "metiers": [metiers[usize::from(metier) % metiers.len()]],
                    "contacts": [{"mode": "class_visit"}], "travel_radius_km": radius});
                if let Ok(a) = serde_json::from_value::<Ambassador>(a) {
                    let _ = check(e.add_ambassador(a));
                }
            }
            Op::RemoveCompany(id) => {
                let _ = check(e.remove_company(&format!("c{id}")));
            }
            Op::RemoveStage(id) => {
                let _ = check(e.remove_stage(&format!("s{id}")));
            }
            Op::Reserve(id, n) => {
                let _ = check(e.reserve(&format!("s{id}"), n));
            }
            Op::Release(id, n) => {
                let _ = check(e.release(&format!("s{id}"), n));
            }
            Op::Search {
                lat,
                lon,
                radius,
                offset,
                limit,
                widen,
            } => {
                let q = Query {
                    offset: u64::from(offset),
                    limit: Some(u64::from(limit)),
                    widen,
                    ..Query::near(PlaceRef::point(lat, lon)).radius(radius)
                };
                if let Some(page) = check(e.search_stages(&q)) {
                    assert!(page.matches.len() <= page.limit);
                }
            }
        }
        for s in e.catalog().stages() {
            assert!(
                s.places_left() <= s.places_total,
                "more places left than in total"
            );
        }
    }
});
