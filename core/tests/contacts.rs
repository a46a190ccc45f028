//! An ambassador's time is capacity: contact requests count against each mode's sessions of
//! the month (or of the week, when spread); a full month is skipped by searches on it, and the
//! answer says when the ambassador is next free.

use metiers::{ContactMode, Date, Engine, LoadMode, Query, Region};
use serde_json::json;

fn engine(weekly: bool) -> Engine {
    let mut e = Engine::empty(Region::Normandy).unwrap();
    let doc = json!({
        "companies": [{"id": "c1", "name": "Boulangerie (fictif)", "place": {"commune": "61169"}}],
        "ambassadors": [{"id": "a1", "kind": "metier", "company": "c1", "metiers": ["D1102"],
            "contacts": [{"mode": "phone", "sessions_per_month": 4, "weekly": weekly}, {"mode": "video"}]}]
    });
    e.load_json("a.json", doc.to_string().as_bytes(), LoadMode::Strict)
        .unwrap();
    e
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn a_full_month_refuses_and_says_when_next_free() {
    let mut e = engine(false);
    for day in ["2027-03-01", "2027-03-02", "2027-03-03"] {
        assert!(
            e.request_contact("a1", ContactMode::Phone, d(day))
                .unwrap()
                .booked
        );
    }
    let last = e
        .request_contact("a1", ContactMode::Phone, d("2027-03-04"))
        .unwrap();
    assert!(last.booked);
    assert_eq!(last.left_in_month, Some(0));
    assert_eq!(
        last.text,
        "Réservé le 4 mars 2027 (plus aucune session ce mois-ci)."
    );
    let full = e
        .request_contact("a1", ContactMode::Phone, d("2027-03-20"))
        .unwrap();
    assert!(!full.booked);
    assert_eq!(full.next_free, Some(d("2027-04-01")));
    assert_eq!(
        full.text,
        "Complet en mars 2027 : libre à partir du 1er avril 2027."
    );
    // Video has no cap; an unknown mode and an unknown ambassador are errors.
    assert!(
        e.request_contact("a1", ContactMode::Video, d("2027-03-20"))
            .unwrap()
            .booked
    );
    assert_eq!(
        e.request_contact("a1", ContactMode::ClassVisit, d("2027-03-20"))
            .unwrap_err()
            .code(),
        "invalid_input"
    );
    assert_eq!(
        e.request_contact("zz", ContactMode::Phone, d("2027-03-20"))
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[test]
fn a_search_on_a_full_month_skips_the_ambassador() {
    let mut e = engine(false);
    for day in ["2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04"] {
        e.request_contact("a1", ContactMode::Phone, d(day)).unwrap();
    }
    let q = |from: &str, to: &str, modes: Vec<ContactMode>| {
        let mut q = Query::near("Flers");
        q.dates = Some(metiers::Period::new(d(from), d(to)).unwrap());
        q.contact_modes = modes;
        e.search_ambassadors(&q).unwrap().total
    };
    assert_eq!(q("2027-03-10", "2027-03-12", vec![ContactMode::Phone]), 0);
    assert_eq!(q("2027-04-10", "2027-04-12", vec![ContactMode::Phone]), 1);
    // Video still has room in March.
    assert_eq!(q("2027-03-10", "2027-03-12", vec![]), 1);
    // The bookings travel with the ambassador (export, snapshot).
    let copy = Engine::restore(&e.snapshot().unwrap()).unwrap();
    assert_eq!(copy.ambassador("a1").unwrap().booked.len(), 4);
}

#[test]
fn a_weekly_spread_keeps_sessions_for_the_rest_of_the_month() {
    let mut e = engine(true);
    assert!(
        e.request_contact("a1", ContactMode::Phone, d("2027-03-01"))
            .unwrap()
            .booked
    );
    let second = e
        .request_contact("a1", ContactMode::Phone, d("2027-03-02"))
        .unwrap();
    assert!(!second.booked, "4 a month is 1 a week");
    assert_eq!(second.next_free, Some(d("2027-03-08")));
    assert_eq!(
        second.text,
        "Complet cette semaine : libre à partir du 8 mars 2027."
    );
}

#[test]
fn a_booking_in_a_mode_not_offered_is_refused_on_load() {
    let mut e = Engine::empty(Region::Normandy).unwrap();
    let doc = json!({
        "companies": [{"id": "c1", "name": "X (fictif)", "place": {"commune": "61169"}}],
        "ambassadors": [{"id": "a1", "kind": "metier", "company": "c1", "metiers": ["D1102"],
            "contacts": [{"mode": "phone"}], "booked": [{"mode": "video", "date": "2027-03-01"}]}]
    });
    let err = e
        .load_json("a.json", doc.to_string().as_bytes(), LoadMode::Strict)
        .unwrap_err();
    assert!(err.to_string().contains("booked"), "{err}");
}
