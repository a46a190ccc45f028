//! Class visits placed onto ambassadors' class-visit sessions: within travel radius, the
//! month's sessions as capacity, priorities and certificate as for pupils; applied all at once.

use metiers::assign::{RefusalCode, VisitRequest, VisitsRequest, WishStatus};
use metiers::{ContactMode, Date, Engine, LoadMode, Priorities, Region};
use serde_json::json;

fn engine() -> Engine {
    let mut e = Engine::empty(Region::Normandy).unwrap();
    let doc = json!({
        "companies": [{"id": "c1", "name": "Garage (fictif)", "place": {"commune": "14118"}}],
        "ambassadors": [
            {"id": "a1", "kind": "metier", "company": "c1", "metiers": ["I1604"], "travel_radius_km": 40,
             "contacts": [{"mode": "class_visit", "sessions_per_month": 1, "max_group": 30}]},
            {"id": "a2", "kind": "metier", "company": "c1", "metiers": ["I1604"], "travel_radius_km": 5,
             "contacts": [{"mode": "class_visit", "sessions_per_month": 2}]},
            {"id": "a3", "kind": "metier", "company": "c1", "metiers": ["I1604"], "contacts": [{"mode": "phone"}]}
        ]
    });
    e.load_json("a.json", doc.to_string().as_bytes(), LoadMode::Strict)
        .unwrap();
    e
}

fn class(id: &str, school: &str, wishes: &[&str]) -> VisitRequest {
    VisitRequest {
        id: id.into(),
        school: school.into(),
        month: "2027-03".into(),
        group_size: Some(25),
        wishes: wishes.iter().map(ToString::to_string).collect(),
        ..VisitRequest::default()
    }
}

#[test]
fn visits_go_first_to_rep_plus_classes_within_travel_radius() {
    let mut e = engine();
    // 0140006F is in Bayeux (26 km from Caen), 0141553M a REP+ collège.
    let req = VisitsRequest {
        requests: vec![
            class("bayeux", "0140006F", &["a1", "a2", "a3"]),
            class("repplus", "0141553M", &["a1"]),
        ],
        priorities: Priorities {
            rep_first: true,
            ..Priorities::default()
        },
        ..VisitsRequest::default()
    };
    let p = e.assign_visits(&req).unwrap();
    let got = |id: &str| p.requests.iter().find(|o| o.request == id).unwrap();
    assert_eq!(got("repplus").ambassador.as_deref(), Some("a1"));
    let b = got("bayeux");
    assert_eq!(b.ambassador, None);
    let codes: Vec<_> = b
        .wishes
        .iter()
        .map(|w| w.refusal.as_ref().unwrap().code)
        .collect();
    assert_eq!(
        codes,
        [
            RefusalCode::FullPriority,
            RefusalCode::Travel,
            RefusalCode::NoVisits
        ]
    );
    assert!(b.wishes.iter().all(|w| w.status == WishStatus::Refused));
    assert_eq!(p.report.placed, 1);
    assert!(
        p.report.text.starts_with("1 servie sur 2 classes (50 %)"),
        "{}",
        p.report.text
    );
    // Applying books March's only session of a1; placing again finds it full.
    e.apply_visits(&p).unwrap();
    let a1 = e.ambassador("a1").unwrap();
    assert_eq!(a1.booked.len(), 1);
    assert_eq!(a1.booked[0].mode, ContactMode::ClassVisit);
    assert!(a1.booked[0].date >= Date::parse("2027-03-01").unwrap());
    assert_eq!(e.apply_visits(&p).unwrap_err().code(), "conflict");
    let again = e.assign_visits(&req).unwrap();
    assert_eq!(again.report.placed, 0);
    assert_eq!(
        again.requests[1].wishes[0].refusal.as_ref().unwrap().code,
        RefusalCode::NoPlaces
    );
}

#[test]
fn bad_visit_requests_name_the_request_and_field() {
    let e = engine();
    let err = |r: VisitRequest| {
        e.assign_visits(&VisitsRequest {
            requests: vec![r],
            ..VisitsRequest::default()
        })
        .unwrap_err()
        .info()
    };
    let mut bad = class("x", "0140006F", &["a1"]);
    bad.month = "mars".into();
    assert_eq!(err(bad).field.as_deref(), Some("requests[0].month"));
    assert_eq!(
        err(class("x", "0140006F", &["zz"])).field.as_deref(),
        Some("requests[0].wishes[0]")
    );
    assert_eq!(
        err(class("x", "9999999Z", &["a1"])).field.as_deref(),
        Some("requests[0].school")
    );
}
