//! Placement: stable, deterministic, explained, and refusing bad requests with the pupil and
//! the field named. The stability checker runs on every instance (including random ones).
// The standard sorts are kept out of the library only (core/clippy.toml); tests may use them.
#![allow(clippy::disallowed_methods)]

use metiers::assign::{Assignment, RefusalCode, ViolationKind, WishStatus};
use metiers::{AssignRequest, CohortSpec, Engine, LoadMode, Priorities, Pupil, Region};
use proptest::prelude::*;
use serde_json::json;

/// A small catalogue: companies in Caen, Bayeux and Lisieux; stages in week 3 and 4 of 2027.
fn small() -> Engine {
    let mut e = Engine::empty(Region::Normandy).unwrap();
    let doc = json!({
        "companies": [
            {"id": "c1", "name": "Atelier (fictif)", "place": {"commune": "14118"}},
            {"id": "c2", "name": "Garage (fictif)", "place": {"commune": "14047"}, "max_pupils": 2},
            {"id": "c3", "name": "Ferme (fictif)", "place": {"commune": "14366"}}
        ],
        "stages": [
            {"id": "s1", "company": "c1", "kind": "observation_3e", "metiers": ["H2903"],
             "periods": [{"start": "2027-01-18", "end": "2027-01-22"}, {"start": "2027-01-25", "end": "2027-01-29"}],
             "places_total": 3, "places_per_period": 2},
            {"id": "s2", "company": "c2", "kind": "observation_3e", "metiers": ["I1604"],
             "periods": [{"start": "2027-01-18", "end": "2027-01-22"}, {"start": "2027-01-25", "end": "2027-01-29"}], "places_total": 2},
            {"id": "s3", "company": "c2", "kind": "observation_3e", "metiers": ["I1604"],
             "periods": [{"start": "2027-01-18", "end": "2027-01-22"}], "places_total": 2},
            {"id": "s4", "company": "c3", "kind": "observation_3e", "metiers": ["A1405"],
             "periods": [{"start": "2027-01-18", "end": "2027-01-22"}], "places_total": 1, "rep_only": true},
            {"id": "s5", "company": "c3", "kind": "observation_3e", "metiers": ["A1405"],
             "periods": [{"start": "2027-01-25", "end": "2027-01-29"}], "places_total": 2,
             "schools": ["0141234X"]}
        ]
    });
    e.load_json("small.json", doc.to_string().as_bytes(), LoadMode::Strict)
        .unwrap();
    e
}

/// Collèges of Calvados: 0140006F (hors EP), a REP+ and a REP one.
fn schools(e: &Engine) -> (String, String, String) {
    use metiers::schools::Priority;
    let find = |p: Option<Priority>| {
        e.schools()
            .iter()
            .find(|s| {
                s.departement.as_deref() == Some("14")
                    && s.education_prioritaire == p
                    && s.kind == metiers::schools::SchoolKind::College
            })
            .unwrap()
            .uai
            .clone()
    };
    (
        find(None),
        find(Some(Priority::RepPlus)),
        find(Some(Priority::Rep)),
    )
}

fn pupil(id: &str, school: &str, week: &str, wishes: &[&str]) -> Pupil {
    Pupil {
        id: id.into(),
        school: school.into(),
        weeks: vec![week.into()],
        wishes: wishes.iter().map(ToString::to_string).collect(),
        ..Pupil::default()
    }
}

fn request(pupils: Vec<Pupil>, priorities: Priorities) -> AssignRequest {
    AssignRequest {
        pupils,
        priorities,
        ..AssignRequest::default()
    }
}

#[test]
fn rep_plus_pupils_come_first_and_the_certificate_says_so() {
    let e = small();
    let (plain, rep_plus, _) = schools(&e);
    let pupils = vec![
        pupil("a", &plain, "2027-W03", &["s3", "s1"]),
        pupil("b", &plain, "2027-W03", &["s3", "s1"]),
        pupil("c", &rep_plus, "2027-W03", &["s3"]),
        pupil("d", &rep_plus, "2027-W03", &["s3"]),
    ];
    let rules = Priorities {
        rep_first: true,
        ..Priorities::default()
    };
    let req = request(pupils, rules);
    let p = e.assign(&req).unwrap();
    let stage = |id: &str| {
        p.pupils
            .iter()
            .find(|x| x.pupil == id)
            .unwrap()
            .stage
            .clone()
    };
    assert_eq!(stage("c").as_deref(), Some("s3"));
    assert_eq!(stage("d").as_deref(), Some("s3"));
    assert_eq!(stage("a").as_deref(), Some("s1"));
    let a = p.pupils.iter().find(|x| x.pupil == "a").unwrap();
    let refusal = a.wishes[0].refusal.as_ref().unwrap();
    assert_eq!(refusal.code, RefusalCode::FullPriority);
    assert_eq!(
        refusal.text,
        "complet : places prises par des élèves prioritaires (REP+)"
    );
    assert_eq!(a.wishes[1].status, WishStatus::Obtained);
    assert!(e.check_placement(&req, &p.assignments()).unwrap().stable);
    assert_eq!(p.report.placed, 4);
    assert_eq!(p.report.by_priority[0].group, "REP+");
}

#[test]
fn a_company_cap_a_week_capacity_and_reservations_hold() {
    let e = small();
    let (plain, rep_plus, _) = schools(&e);
    let pupils: Vec<Pupil> = (0..8)
        .map(|i| {
            pupil(
                &format!("p{i}"),
                if i % 2 == 0 { &plain } else { &rep_plus },
                "2027-W03",
                &["s4", "s2", "s3", "s1", "s5"],
            )
        })
        .collect();
    let req = request(
        pupils,
        Priorities {
            seed: 7,
            ..Priorities::default()
        },
    );
    let p = e.assign(&req).unwrap();
    let count = |s: &str| {
        p.pupils
            .iter()
            .filter(|x| x.stage.as_deref() == Some(s))
            .count()
    };
    assert_eq!(count("s4"), 1); // one place, REP only
    assert_eq!(count("s2") + count("s3"), 2); // c2 takes at most 2 pupils
    assert_eq!(count("s1"), 2); // 2 places in week 3
    assert_eq!(count("s5"), 0); // reserved to another school, and not in week 3
    let holder = p
        .pupils
        .iter()
        .find(|x| x.stage.as_deref() == Some("s4"))
        .unwrap();
    assert_eq!(holder.school, rep_plus);
    let unplaced = p.pupils.iter().find(|x| x.stage.is_none()).unwrap();
    let codes: Vec<_> = unplaced
        .wishes
        .iter()
        .map(|w| w.refusal.as_ref().unwrap().code)
        .collect();
    assert!(codes.contains(&RefusalCode::Weeks) || codes.contains(&RefusalCode::OtherSchools));
    let company = unplaced.wishes.iter().find(|w| w.stage == "s3").unwrap();
    assert!(company
        .refusal
        .as_ref()
        .unwrap()
        .text
        .starts_with("l'entreprise n'accueille pas plus de 2 élèves"));
    assert!(e.check_placement(&req, &p.assignments()).unwrap().stable);
}

#[test]
fn a_minimum_share_holds_places_for_priority_pupils() {
    let e = small();
    let (plain, _, rep) = schools(&e);
    let mut pupils: Vec<Pupil> = (0..3)
        .map(|i| pupil(&format!("n{i}"), &plain, "2027-W03", &["s3"]))
        .collect();
    pupils.push(pupil("r", &rep, "2027-W03", &["s3"]));
    let rules = Priorities {
        rep_min_share: Some(0.5),
        distance: false,
        ..Priorities::default()
    };
    let req = request(pupils, rules);
    let p = e.assign(&req).unwrap();
    let r = p.pupils.iter().find(|x| x.pupil == "r").unwrap();
    assert_eq!(r.stage.as_deref(), Some("s3"));
    assert!(e.check_placement(&req, &p.assignments()).unwrap().stable);
    assert_eq!(p.report.placed, 2);
    // With s2 wished too, c2's cap of 2 binds above its stages: a share is refused there.
    let mut both = req.clone();
    both.pupils[0].wishes.push("s2".into());
    let err = e.assign(&both).unwrap_err();
    assert_eq!(
        err.info().field.as_deref(),
        Some("priorities.rep_min_share")
    );
    assert!(
        err.to_string().contains("\"s2\"") || err.to_string().contains("\"s3\""),
        "{err}"
    );
}

#[test]
fn the_same_seed_gives_the_same_placement_and_input_order_does_not_matter() {
    let e = Engine::normandy().unwrap();
    let spec = CohortSpec {
        departement: Some("61".into()),
        share: 0.05,
        ..CohortSpec::default()
    };
    let pupils = e.cohort(&spec).unwrap();
    assert!(pupils.len() > 100);
    let rules = Priorities {
        rep_first: true,
        seed: 42,
        ..Priorities::default()
    };
    let mut req = request(pupils, rules);
    req.suggestions = Some(0);
    let a = e.assign(&req).unwrap();
    assert_eq!(a, e.assign(&req).unwrap());
    let mut reversed = req.clone();
    reversed.pupils.reverse();
    let b = e.assign(&reversed).unwrap();
    let held = |p: &metiers::Placement| {
        let mut v: Vec<_> = p
            .assignments()
            .into_iter()
            .map(|a| (a.pupil, a.stage))
            .collect();
        v.sort();
        v
    };
    assert_eq!(held(&a), held(&b));
    assert!(e.check_placement(&req, &a.assignments()).unwrap().stable);
    assert!(a.report.placed > 0 && a.report.unplaced > 0);
    assert_eq!(a.report.by_wish.iter().sum::<usize>(), a.report.placed);
}

#[test]
fn unplaced_pupils_get_stages_that_still_have_places() {
    let e = small();
    let (plain, _, _) = schools(&e);
    let pupils: Vec<Pupil> = (0..4)
        .map(|i| pupil(&format!("p{i}"), &plain, "2027-W03", &["s3"]))
        .collect();
    let p = e.assign(&request(pupils, Priorities::default())).unwrap();
    let unplaced: Vec<_> = p.pupils.iter().filter(|x| x.stage.is_none()).collect();
    assert_eq!(unplaced.len(), 2);
    for u in unplaced {
        let ids: Vec<&str> = u.suggestions.iter().map(|s| s.stage.as_str()).collect();
        assert_eq!(ids, ["s1"], "{u:?}"); // s2's company is full, s4 is REP only, s5 not this week
        assert!(u.text.starts_with("Aucun stage obtenu"));
    }
}

#[test]
fn applying_a_placement_reserves_all_or_nothing() {
    let mut e = small();
    let (plain, _, _) = schools(&e);
    let pupils: Vec<Pupil> = (0..5)
        .map(|i| pupil(&format!("p{i}"), &plain, "2027-W04", &["s1", "s2"]))
        .collect();
    let p = e.assign(&request(pupils, Priorities::default())).unwrap();
    let applied = e.apply(&p).unwrap();
    assert_eq!(applied.reserved as usize, p.report.placed);
    assert_eq!(e.stage("s1").unwrap().places_left, Some(1));
    assert_eq!(e.stage("s2").unwrap().places_left, Some(0));
    // Again: the catalogue changed since.
    assert_eq!(e.apply(&p).unwrap_err().code(), "conflict");
    assert_eq!(e.stage("s1").unwrap().places_left, Some(1));
}

#[test]
fn bad_requests_name_the_pupil_and_the_field() {
    let e = small();
    let (plain, _, _) = schools(&e);
    let err = |pupils: Vec<Pupil>, rules: Priorities| {
        e.assign(&request(pupils, rules)).unwrap_err().info()
    };
    let x = err(
        vec![pupil("a", &plain, "2027-W03", &["s1", "nope"])],
        Priorities::default(),
    );
    assert_eq!(
        (x.code.as_str(), x.field.as_deref()),
        ("invalid_input", Some("pupils[0].wishes[1]"))
    );
    assert!(x.message.contains("\"a\""));
    let mut no_weeks = pupil("b", &plain, "2027-W03", &["s1"]);
    no_weeks.weeks.clear();
    let x = err(vec![no_weeks], Priorities::default());
    assert_eq!(x.field.as_deref(), Some("pupils[0].weeks"));
    let x = err(
        vec![
            pupil("a", &plain, "2027-W03", &["s1"]),
            pupil("a", &plain, "2027-W03", &["s1"]),
        ],
        Priorities::default(),
    );
    assert_eq!(x.field.as_deref(), Some("pupils[1].id"));
    let x = err(
        vec![pupil("a", &plain, "2027-W03", &["s1"])],
        Priorities {
            rep_min_share: Some(1.5),
            ..Priorities::default()
        },
    );
    assert_eq!(x.field.as_deref(), Some("priorities.rep_min_share"));
    let x = err(
        vec![pupil("a", "0000000A", "2027-W03", &["s1"])],
        Priorities::default(),
    );
    assert_eq!(x.field.as_deref(), Some("pupils[0].school"));
    let x = err(
        vec![pupil("a", &plain, "2027-W53", &["s1"])],
        Priorities::default(),
    );
    assert_eq!(x.field.as_deref(), Some("pupils[0].weeks"));
    let mut both = pupil("a", &plain, "2027-W03", &["s1"]);
    both.weeks = vec!["2027-W03".into(), "2027-W04".into()];
    let x = err(
        vec![pupil("b", &plain, "2027-W03", &["s1"]), both],
        Priorities::default(),
    );
    assert_eq!(x.field.as_deref(), Some("pupils[1].weeks"), "{}", x.message);
    let mut far = pupil("a", &plain, "2027-W03", &["s1"]);
    far.place = Some(metiers::PlaceRef::departement("Orne"));
    assert_eq!(
        err(vec![far], Priorities::default()).field.as_deref(),
        Some("pupils[0].place")
    );
}

#[test]
fn the_checker_finds_what_is_wrong_with_a_placement_made_elsewhere() {
    let e = small();
    let (plain, rep_plus, _) = schools(&e);
    let req = request(
        vec![
            pupil("a", &plain, "2027-W03", &["s3", "s4"]),
            pupil("b", &rep_plus, "2027-W03", &["s4", "s3"]),
        ],
        Priorities::default(),
    );
    let a = |pupil: &str, stage: Option<&str>| Assignment {
        pupil: pupil.into(),
        stage: stage.map(String::from),
    };
    // b left out of s4, which it wants most and which has room: a blocking pair.
    let check = e
        .check_placement(&req, &[a("a", Some("s3")), a("b", None)])
        .unwrap();
    assert!(!check.stable);
    assert_eq!(check.violations[0].kind, ViolationKind::BlockingPair);
    assert_eq!(check.violations[0].stage.as_deref(), Some("s4"));
    // a on a REP-only stage, b missing, c unknown.
    let check = e
        .check_placement(&req, &[a("a", Some("s4")), a("c", None)])
        .unwrap();
    let kinds: Vec<_> = check.violations.iter().map(|v| v.kind).collect();
    assert!(kinds.contains(&ViolationKind::Ineligible));
    assert!(kinds.contains(&ViolationKind::UnknownPupil));
    let check = e
        .check_placement(&req, &[a("a", Some("s1")), a("b", Some("s4"))])
        .unwrap();
    assert_eq!(check.violations[0].kind, ViolationKind::NotAWish);
}

#[test]
fn wishes_built_from_profiles_come_from_the_ranking() {
    let e = Engine::normandy().unwrap();
    let spec = CohortSpec {
        departement: Some("50".into()),
        share: 0.01,
        ..CohortSpec::default()
    };
    let pupils = e.cohort(&spec).unwrap();
    let with = e.with_wishes(pupils.clone()).unwrap();
    assert!(with
        .iter()
        .all(|p| p.profile.is_none() && p.wishes.len() <= 5));
    assert!(with.iter().any(|p| !p.wishes.is_empty()));
    let by_profile = e
        .assign(&AssignRequest {
            pupils,
            suggestions: Some(0),
            ..AssignRequest::default()
        })
        .unwrap();
    let by_wishes = e
        .assign(&AssignRequest {
            pupils: with,
            suggestions: Some(0),
            ..AssignRequest::default()
        })
        .unwrap();
    assert_eq!(by_profile.assignments(), by_wishes.assignments());
}

// Random instances: pupils of three collèges (two REP levels), random wishes over the small
// catalogue, random rules; the placement is always stable, and the same when pupils come in
// another order.
proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]
    #[test]
    fn every_placement_is_stable(
        wishes in prop::collection::vec((0u8..3, 0u8..2, prop::collection::vec(0usize..5, 0..5)), 1..25),
        seed in any::<u64>(),
        rule in 0u8..3,
        distance in any::<bool>(),
    ) {
        let e = small();
        let (plain, rep_plus, rep) = schools(&e);
        let stages = ["s1", "s2", "s3", "s4", "s5"];
        let pupils: Vec<Pupil> = wishes.iter().enumerate().map(|(i, (school, week, list))| {
            let mut w: Vec<&str> = Vec::new();
            for k in list {
                if !w.contains(&stages[*k]) { w.push(stages[*k]); }
            }
            if w.is_empty() { w.push("s1"); }
            let school = [&plain, &rep_plus, &rep][usize::from(*school)];
            pupil(&format!("p{i}"), school, ["2027-W03", "2027-W04"][usize::from(*week)], &w)
        }).collect();
        let rules = Priorities {
            rep_first: rule == 1,
            rep_min_share: (rule == 2).then_some(0.5),
            distance,
            seed,
        };
        let req = request(pupils, rules);
        let p = match e.assign(&req) {
            // A share with two binding capacities on one stage is refused, by design.
            Err(err) if rule == 2 => {
                let field = err.info().field;
                prop_assert_eq!(field.as_deref(), Some("priorities.rep_min_share"));
                return Ok(());
            }
            other => other.unwrap(),
        };
        let check = e.check_placement(&req, &p.assignments()).unwrap();
        prop_assert!(check.stable, "{:?}", check.violations);
        let mut reversed = req.clone();
        reversed.pupils.reverse();
        let mut a = p.assignments();
        let mut b = e.assign(&reversed).unwrap().assignments();
        a.sort_by(|x, y| x.pupil.cmp(&y.pupil));
        b.sort_by(|x, y| x.pupil.cmp(&y.pupil));
        prop_assert_eq!(a, b);
        // Under rep_first, a REP+ pupil refused a full stage is refused for another REP+
        // pupil: never for a pupil of lower priority.
        if rule == 1 {
            for o in p.pupils.iter().filter(|o| o.education_prioritaire == Some(metiers::schools::Priority::RepPlus)) {
                for r in o.wishes.iter().filter_map(|w| w.refusal.as_ref()) {
                    prop_assert!(r.code != RefusalCode::FullPriority, "{:?}", r);
                }
            }
        }
    }
}

#[test]
fn a_place_far_from_the_school_is_refused_not_ranked() {
    // Latitude and longitude swapped put the pupil in the Indian Ocean, 8,000 km away: an
    // error naming the pupil's place, never a placement ranked by that distance.
    let e = small();
    let (plain, _, _) = schools(&e);
    let mut p = pupil("a", &plain, "2027-W03", &["s1"]);
    p.place = Some(metiers::PlaceRef::Point {
        lat: -0.37,
        lon: 49.18,
    });
    let err = e
        .assign(&request(vec![p], Priorities::default()))
        .unwrap_err()
        .info();
    assert_eq!(
        (err.code.as_str(), err.field.as_deref()),
        ("invalid_input", Some("pupils[0].place"))
    );
    assert!(err.message.contains("swapped"), "{}", err.message);
    // Marseille is far, not swapped: the error says so.
    let mut p = pupil("a", &plain, "2027-W03", &["s1"]);
    p.place = Some(metiers::PlaceRef::Point {
        lat: 43.2965,
        lon: 5.3698,
    });
    let err = e
        .assign(&request(vec![p], Priorities::default()))
        .unwrap_err()
        .info();
    assert_eq!(err.field.as_deref(), Some("pupils[0].place"));
    assert!(
        err.message.contains("another region") && !err.message.contains("swapped"),
        "{}",
        err.message
    );
}

#[test]
fn a_cohort_of_a_departement_named_or_coded_is_the_same_and_an_unknown_one_is_an_error() {
    let e = Engine::normandy().unwrap();
    let of = |d: &str| CohortSpec {
        departement: Some(d.into()),
        share: 0.02,
        ..CohortSpec::default()
    };
    let coded = e.cohort(&of("14")).unwrap();
    assert!(!coded.is_empty());
    // A name was compared with the schools' codes: an empty cohort, no error.
    for named in ["Calvados", "calvados", " 14 "] {
        assert_eq!(e.cohort(&of(named)).unwrap(), coded, "{named}");
    }
    for (unknown, code) in [("75", "not_found"), ("Atlantis", "not_found")] {
        assert_eq!(
            e.cohort(&of(unknown)).unwrap_err().code(),
            code,
            "{unknown}"
        );
    }
}

#[test]
fn a_cohort_radius_no_search_takes_is_refused_at_once() {
    // The profiles' radius was checked only when `assign` searched with it: a cohort of
    // 40,000 pupils was made, then refused naming `pupils[0].profile`.
    let e = Engine::normandy().unwrap();
    let spec = |r: f64| CohortSpec {
        departement: Some("61".into()),
        share: 0.02,
        radius_km: r,
        ..CohortSpec::default()
    };
    for r in [0.0, -5.0, 1000.5, 1e300, f64::NAN, f64::INFINITY] {
        let err = e.cohort(&spec(r)).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{r}");
        assert_eq!(err.info().field.as_deref(), Some("radius_km"), "{r}");
    }
    for r in [0.5, 30.0, 1000.0] {
        let pupils = e.cohort(&spec(r)).unwrap();
        assert!(!pupils.is_empty(), "{r}");
        e.assign(&request(pupils, Priorities::default())).unwrap();
    }
}

/// On the France geography, Paris is a département: it has no collège among the embedded
/// schools (Normandy's), which is an error naming it, not an empty cohort.
#[cfg(feature = "france")]
#[test]
fn a_cohort_of_a_departement_without_known_colleges_is_an_error() {
    let mut e = Engine::empty(metiers::Region::France).unwrap();
    e.load_json(
        "sample",
        Engine::normandy().unwrap().export_json().as_bytes(),
        metiers::LoadMode::Strict,
    )
    .unwrap();
    let spec = |d: &str| CohortSpec {
        departement: Some(d.into()),
        share: 0.02,
        weeks: vec!["2027-W03".into()],
        ..CohortSpec::default()
    };
    let err = e.cohort(&spec("Paris")).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("département 75"), "{err}");
    assert!(!e.cohort(&spec("Orne")).unwrap().is_empty());
}
