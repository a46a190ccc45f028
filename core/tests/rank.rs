//! Product promises of the matching engine.
// The standard sorts are kept out of the library only (core/clippy.toml); tests may use them.
#![allow(clippy::disallowed_methods)]

use metiers::{
    Engine, Error, Geography, Match, PlaceKind, Query, Referential, Scope, SearchResult, Stage,
    StageKind, Weights,
};
use proptest::prelude::*;
use serde_json::json;

const FLERS: (f64, f64) = (48.73837, -0.56036);
const CAEN: (f64, f64) = (49.18464, -0.37224);

/// A point `km` kilometres north of `from`, inland from Flers.
fn north(from: (f64, f64), km: f64) -> (f64, f64) {
    (from.0 + km / 111.195, from.1)
}

/// A point `km` kilometres south of `from` (one degree of latitude is 111.195 km): inland
/// from Caen and Flers, so every point lies near a commune.
fn south(from: (f64, f64), km: f64) -> (f64, f64) {
    (from.0 - km / 111.195, from.1)
}

/// An engine with one company and one stage per (id, ROME code, position), nothing else.
fn controlled(stages: &[(&str, &str, (f64, f64))]) -> Engine {
    let mut e = Engine::new(
        Referential::embedded().unwrap(),
        Geography::normandy().unwrap(),
    );
    for (id, code, (lat, lon)) in stages {
        let company = format!("co-{id}");
        e.add_company(
            serde_json::from_value(json!({
                "id": company, "name": format!("Entreprise {id} (fictif)"),
                "place": {"lat": lat, "lon": lon}
            }))
            .unwrap(),
        )
        .unwrap();
        e.add_stage(
            serde_json::from_value(json!({
                "id": id, "company": company, "kind": "long_professionnel", "metiers": [code],
                "periods": [{"start": "2027-01-04", "end": "2027-01-29"}], "places_total": 2
            }))
            .unwrap(),
        )
        .unwrap();
    }
    e
}

fn ids<T>(r: &SearchResult<T>) -> Vec<&str> {
    r.matches.iter().map(|m| &*m.id).collect()
}

#[test]
fn a_pupil_in_flers_who_likes_manual_work_sees_mechanics_or_building_before_commerce() {
    // Mechanics (H2903, a principal link of the interest) 20 km away, building (F1703) 8 km,
    // a checkout job (D1505, a secondary link) next door.
    let e = controlled(&[
        ("mechanics", "H2903", north(FLERS, 20.0)),
        ("building", "F1703", north(FLERS, 8.0)),
        ("commerce", "D1505", north(FLERS, 1.0)),
        ("too-far", "H2903", north(FLERS, 45.0)),
    ]);
    let q = Query::near("Flers")
        .radius(30.0)
        .interest("J'aime le travail manuel");
    let r = e.search_stages(&q).unwrap();
    assert_eq!(ids(&r), ["mechanics", "commerce", "building"]);
    assert!(r.matches[0].reasons[0].starts_with("Centre d'intérêt principal"));

    // On the embedded sample: the best stage for this pupil is one that manual work leads to
    // first (a principal link), and no commerce stage comes first.
    let e = Engine::normandy().unwrap();
    let r = e.search_stages(&q).unwrap();
    assert!(r.total > 0);
    let first = &r.matches[0].item.metiers[0];
    assert!(!first.starts_with('D'), "first is {first}");
    assert!(r.matches[0].reasons[0].starts_with("Centre d'intérêt principal"));
}

#[test]
fn fraiseur_near_caen_puts_h2903_stages_first_and_nearby_related_metiers_after() {
    let e = controlled(&[
        ("h2903-far", "H2903", south(CAEN, 25.0)),
        ("h2903-near", "H2903", south(CAEN, 10.0)),
        ("related-near", "H2905", south(CAEN, 1.0)), // mobilité rank 2 of H2903
        ("unrelated", "D1505", south(CAEN, 1.0)),
    ]);
    let r = e
        .search_stages(&Query::near("Caen").radius(30.0).metier("fraiseur"))
        .unwrap();
    assert_eq!(ids(&r), ["h2903-near", "h2903-far", "related-near"]);
    assert_eq!(
        &*r.matches[0].reasons[0],
        "Même métier : Fraiseur / Fraiseuse"
    );
    assert!(r.matches[2].reasons[0].starts_with("Métier proche : "));
    assert_eq!(&*r.matches[0].reasons[1], "à 10 km");
    // The metier scope leaves the related métier out.
    let q = Query {
        scope: Some(Scope::Metier),
        ..Query::near("Caen").radius(30.0).metier("fraiseur")
    };
    assert_eq!(
        ids(&e.search_stages(&q).unwrap()),
        ["h2903-near", "h2903-far"]
    );
}

#[test]
fn a_stage_with_no_place_left_is_not_returned() {
    let mut e = controlled(&[("s", "H2903", south(CAEN, 5.0))]);
    let q = Query::near("Caen").metier("H2903");
    assert_eq!(e.search_stages(&q).unwrap().total, 1);
    e.reserve("s", 2).unwrap();
    assert_eq!(e.search_stages(&q).unwrap().total, 0);
    e.release("s", 1).unwrap();
    assert_eq!(e.search_stages(&q).unwrap().total, 1);
}

#[test]
fn a_page_after_a_reservation_shows_the_stage_as_it_is_now() {
    let mut e = controlled(&[("s", "H2903", south(CAEN, 5.0))]);
    let q = Query::near("Caen").metier("H2903");
    let before = e.search_stages(&q).unwrap();
    assert_eq!(before.matches[0].item.places_left(), 2);
    assert!(before.matches[0]
        .reasons
        .iter()
        .any(|r| &**r == "2 places restantes"));
    // The index was built by the search above and is kept across the reservation.
    e.reserve("s", 1).unwrap();
    let after = e.search_stages(&q).unwrap();
    assert_eq!(after.matches[0].item.places_left(), 1);
    assert!(after.matches[0]
        .reasons
        .iter()
        .any(|r| &**r == "1 place restante"));
    assert_eq!(
        before.matches[0].item.places_left(),
        2,
        "a page already handed out stays as it was"
    );
    e.release("s", 1).unwrap();
    assert_eq!(
        e.search_stages(&q).unwrap().matches[0].item.places_left(),
        2
    );
}

#[test]
fn few_results_come_with_next_steps_and_widening_marks_what_it_adds() {
    let e = controlled(&[
        ("near", "H2903", south(CAEN, 5.0)),
        ("at-40", "H2903", south(CAEN, 40.0)),
        ("same-domaine", "H2913", south(CAEN, 5.0)),
    ]);
    let q = Query::near("Caen").radius(30.0).metier("H2903");
    let r = e.search_stages(&q).unwrap();
    assert_eq!(r.total, 1);
    let steps: Vec<(&str, usize)> = r
        .next_steps
        .iter()
        .map(|s| (s.label.as_str(), s.total))
        .collect();
    assert_eq!(
        steps,
        [
            ("Élargir à 50 km", 2),
            ("Élargir à 100 km", 2),
            ("Tout le domaine", 2)
        ]
    );
    let widened = e.search_stages(&Query { widen: true, ..q }).unwrap();
    assert_eq!(ids(&widened), ["near", "at-40", "same-domaine"]);
    assert_eq!(widened.matches[0].widened, None);
    assert_eq!(
        widened.matches[1].widened.as_deref(),
        Some("rayon élargi à 50 km")
    );
    assert_eq!(
        widened.matches[2].widened.as_deref(),
        Some("domaine entier")
    );
}

#[test]
fn at_most_n_results_per_company() {
    let e = Engine::normandy().unwrap();
    let q = Query {
        per_company: Some(1),
        limit: Some(1000),
        ..Query::near("Rouen").radius(40.0)
    };
    let r = e.search_stages(&q).unwrap();
    let mut companies: Vec<&str> = r.matches.iter().map(|m| &*m.item.company).collect();
    let n = companies.len();
    companies.sort_unstable();
    companies.dedup();
    assert_eq!(companies.len(), n);
    assert!(n > 10);
}

#[test]
fn a_seeded_rotation_is_stable_for_a_seed_and_changes_with_it() {
    let e = Engine::normandy().unwrap();
    let q = |seed| Query {
        fairness: metiers::Fairness {
            rotation_seed: Some(seed),
            rotation_margin: Some(0.05),
            ..Default::default()
        },
        limit: Some(50),
        ..Query::near("Caen").radius(30.0).interest("sens du contact")
    };
    let a = ids(&e.search_stages(&q(1)).unwrap()).join(",");
    assert_eq!(a, ids(&e.search_stages(&q(1)).unwrap()).join(","));
    let others: Vec<String> = (2..6)
        .map(|s| ids(&e.search_stages(&q(s)).unwrap()).join(","))
        .collect();
    assert!(others.iter().any(|o| *o != a), "some other seed reorders");
}

#[test]
fn favouring_availability_puts_more_places_left_first_among_equal_scores() {
    let mut e = controlled(&[
        ("a", "H2903", south(CAEN, 5.0)),
        ("b", "H2903", south(CAEN, 5.0)),
    ]);
    e.reserve("a", 1).unwrap();
    let q = Query::near("Caen").metier("H2903");
    assert_eq!(
        ids(&e.search_stages(&q).unwrap()),
        ["a", "b"],
        "by id by default"
    );
    let fair = Query {
        fairness: metiers::Fairness {
            favour_availability: true,
            ..Default::default()
        },
        ..q
    };
    assert_eq!(ids(&e.search_stages(&fair).unwrap()), ["b", "a"]);
}

#[test]
fn teacher_searches_respect_travel_radius_and_group_size() {
    let e = Engine::normandy().unwrap();
    let q = Query {
        group_size: Some(25),
        ..Query::near("Lisieux").radius(30.0)
    };
    let r = e.ambassadors_for_class(&q).unwrap();
    assert!(r.total > 0);
    for m in &r.matches {
        let visit = m.item.contact(metiers::ContactMode::ClassVisit).unwrap();
        assert!(visit.max_group.unwrap_or(u16::MAX) >= 25);
        assert!(m.distance_km.unwrap() <= m.item.travel_radius_km.unwrap() + 0.01);
    }
    let r = e.companies_for_class(&q).unwrap();
    assert!(r.total > 0);
    assert!(r.matches.iter().all(|m| m.distance_km.unwrap() <= 30.0));
    assert!(r.matches[0].reasons.last().unwrap().contains("25 élèves"));
    let err = e.companies_for_class(&Query::near("Lisieux")).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
}

#[test]
fn the_metiers_one_can_discover_near_a_place_have_an_offer_within_the_radius() {
    let e = Engine::normandy().unwrap();
    let p = e
        .metiers_near(&Query::near("Alençon").radius(15.0))
        .unwrap();
    assert!(p.total > 5);
    assert!(p.metiers.iter().all(|m| m.stages + m.ambassadors > 0));
    assert!(p.metiers.iter().all(|m| m.nearest_km.unwrap() <= 15.0));
    let asked = e
        .metiers_near(&Query::near("Caen").radius(30.0).interest("14"))
        .unwrap();
    assert!(asked.metiers.iter().all(|m| m.interest > 0.0));
    assert!(asked
        .metiers
        .windows(2)
        .all(|w| w[0].interest >= w[1].interest));
}

#[test]
fn the_same_query_gives_the_same_bytes_of_json_twice() {
    let e = Engine::normandy().unwrap();
    let q = Query::near("Caen")
        .radius(40.0)
        .interest("J'aime le travail manuel");
    let a = serde_json::to_string(&e.search_stages(&q).unwrap()).unwrap();
    let b = serde_json::to_string(&Engine::normandy().unwrap().search_stages(&q).unwrap()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn bad_queries_are_errors_with_a_stable_code() {
    let e = Engine::normandy().unwrap();
    let cases: Vec<(Query, &str)> = vec![
        (Query::near("Caen").radius(-3.0), "invalid_input"),
        (Query::near("Caen").radius(f64::NAN), "invalid_input"),
        (Query::near("Caen").limit(0), "invalid_input"),
        (Query::near("Caen").interest("astrophysique"), "not_found"),
        (Query::near("Caen").metier("H9999"), "not_found"), // well-formed, unknown
        (Query::near("Caen").metier("H99O9"), "invalid_input"), // an O for a 0
        (Query::near("Caen").metier("zzzzzz"), "not_found"),
        (Query::near("Atlantis"), "not_found"),
        (
            Query {
                departements: vec!["Gironde".into()],
                ..Query::default()
            },
            "invalid_input",
        ),
        (
            Query {
                weights: Some(Weights {
                    interest: 2.0,
                    ..Weights::default()
                }),
                ..Query::default()
            },
            "invalid_input",
        ),
        (
            Query {
                sectors: vec!["H2".into()],
                ..Query::default()
            },
            "invalid_input",
        ),
    ];
    for (q, code) in cases {
        assert_eq!(e.search_stages(&q).unwrap_err().code(), code, "{q:?}");
    }
    assert_eq!(
        Query::from_json(r#"{"near": "Caen", "radius_km": "far"}"#)
            .unwrap_err()
            .code(),
        "invalid_input"
    );
    let err = Query::from_json(r#"{"near": "Caen", "raduis_km": 3}"#).unwrap_err();
    assert!(err.to_string().contains("raduis_km"), "{err}");
}

#[test]
fn batch_queries_give_the_same_results_as_one_by_one() {
    let e = Engine::normandy().unwrap();
    let queries: Vec<Query> = ["Caen", "Rouen", "Flers", "Atlantis", "Évreux", "Saint-Lô"]
        .iter()
        .map(|p| Query::near(*p).radius(25.0))
        .collect();
    let batch = e.search_stages_batch(&queries);
    for (q, b) in queries.iter().zip(batch) {
        let one = e.search_stages(q);
        assert_eq!(
            serde_json::to_string(&one.map_err(|e| e.code())).unwrap(),
            serde_json::to_string(&b.map_err(|e| e.code())).unwrap()
        );
    }
}

#[test]
fn a_place_name_shared_by_several_communes_is_refused_with_the_candidates() {
    let e = Engine::normandy().unwrap();
    let err = e.search_stages(&Query::near("Cuverville")).unwrap_err();
    assert_eq!(err.code(), "ambiguous_place");
    assert!(err.to_string().contains("14215"), "{err}");
    let Error::AmbiguousPlace { candidates, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(candidates.len(), 3);
    assert_eq!(
        e.search_stages(&Query::near("14840")).unwrap_err().code(),
        "ambiguous_place",
        "its postal code serves several communes too"
    );
    let chosen = Query::near(metiers::PlaceRef::insee("14215"));
    let r = e.search_stages(&chosen).unwrap();
    assert_eq!(r.origin.unwrap().name, "Cuverville");
}

#[test]
fn a_departement_filters_instead_of_measuring() {
    let e = Engine::normandy().unwrap();
    let r = e
        .search_stages(&Query {
            limit: Some(1000),
            ..Query::near("Orne")
        })
        .unwrap();
    assert!(r.total > 0);
    let origin = r.origin.as_ref().unwrap();
    assert_eq!(
        (origin.kind, origin.code.as_deref()),
        (PlaceKind::Departement, Some("61"))
    );
    assert!(r.matches.iter().all(|m| m.distance_km.is_none()));
    assert!(r
        .matches
        .iter()
        .all(|m| m.item.place.as_ref().unwrap().departement.as_deref() == Some("61")));
}

fn stage_of(m: &Match<std::sync::Arc<Stage>>) -> &Stage {
    &m.item
}

const PLACES: [&str; 8] = [
    "Caen",
    "Rouen",
    "Le Havre",
    "Flers",
    "Alençon",
    "Évreux",
    "Saint-Lô",
    "Dieppe",
];
const INTERESTS: [&str; 5] = ["14", "4", "22", "29", "3"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_for_random_queries(
        place in 0..PLACES.len(),
        radius in 5.0f64..80.0,
        interest in proptest::option::of(0..INTERESTS.len()),
        kind in proptest::option::of(0..4usize),
        limit in 1usize..40,
        distance_weight in 0.0f64..1.0,
    ) {
        static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
        let e = ENGINE.get_or_init(|| Engine::normandy().unwrap());
        let kinds = [StageKind::MiniStage, StageKind::Observation3e, StageKind::Seconde, StageKind::LongProfessionnel];
        let mut q = Query::near(PLACES[place]).radius(radius).limit(limit as u64);
        q.interests = interest.map(|i| INTERESTS[i].to_string()).into_iter().collect();
        q.kinds = kind.map(|k| kinds[k]).into_iter().collect();
        q.weights = Some(Weights { distance: distance_weight, ..Weights::default() });
        let all = e.search_stages(&Query { limit: Some(1000), ..q.clone() }).unwrap();

        // Nothing beyond the radius; no full stage; scores in [0, 1] and sorted.
        for m in &all.matches {
            prop_assert!(m.distance_km.unwrap() <= radius + 0.01);
            prop_assert!(stage_of(m).places_left() > 0);
            prop_assert!((0.0..=1.0).contains(&m.score));
            if let Some(k) = kind { prop_assert_eq!(stage_of(m).kind, kinds[k]); }
        }
        prop_assert!(all.matches.windows(2).all(|w| w[0].score >= w[1].score));

        // With equal interest, a nearer item never ranks below a farther one.
        for (i, a) in all.matches.iter().enumerate() {
            for b in &all.matches[i + 1..] {
                if a.components.interest == b.components.interest {
                    prop_assert!(a.distance_km.unwrap() <= b.distance_km.unwrap() + 1e-9,
                        "{} at {:?} above {} at {:?}", a.id, a.distance_km, b.id, b.distance_km);
                }
            }
        }

        // Pages never overlap and cover the total.
        let mut seen = Vec::new();
        let mut offset = 0;
        while offset < all.total {
            let page = e.search_stages(&Query { offset: offset as u64, ..q.clone() }).unwrap();
            prop_assert_eq!(page.total, all.total);
            seen.extend(page.matches.iter().map(|m| m.id.clone()));
            offset += limit;
        }
        let expected: Vec<_> = all.matches.iter().map(|m| m.id.clone()).collect();
        prop_assert_eq!(seen, expected);
    }
}

#[test]
fn a_tie_with_the_last_result_of_a_page_is_broken_by_the_order_not_by_the_scan() {
    // Ten stages at one spot score the same; with availability favoured, the ones with the
    // most places left come first though the scan meets them last (ids ascending). A scan that
    // skipped candidates merely equal to the page's last would show s0, s1, s2.
    let mut e = Engine::new(
        Referential::embedded().unwrap(),
        Geography::normandy().unwrap(),
    );
    let (lat, lon) = south(CAEN, 3.0);
    e.add_company(
        serde_json::from_value(
            json!({"id": "co", "name": "Co (fictif)", "place": {"lat": lat, "lon": lon}}),
        )
        .unwrap(),
    )
    .unwrap();
    for k in 0..10 {
        e.add_stage(
            serde_json::from_value(json!({
                "id": format!("s{k}"), "company": "co", "kind": "long_professionnel",
                "metiers": ["H2903"], "places_total": k + 1,
                "periods": [{"start": "2027-01-04", "end": "2027-01-29"}]
            }))
            .unwrap(),
        )
        .unwrap();
    }
    let mut q = Query::near("Caen").radius(30.0).metier("H2903").limit(3);
    q.fairness.favour_availability = true;
    let r = e.search_stages(&q).unwrap();
    assert_eq!(ids(&r), ["s9", "s8", "s7"]);
    assert_eq!(r.total, 10);
    // Distance weighed 0: every bound the scan computes equals the score itself.
    q.weights = Some(Weights {
        distance: 0.0,
        ..Weights::default()
    });
    let r = e.search_stages(&q).unwrap();
    assert_eq!(ids(&r), ["s9", "s8", "s7"]);
    assert_eq!(r.total, 10);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A page's scan skips the candidates that cannot reach the page (rank/scan.rs, pruning);
    /// a cap per company turns that off without changing anything when no company reaches the
    /// cap, so the two must give the same page, total and next steps, byte for byte.
    #[test]
    fn pruning_never_changes_a_page(
        place in 0..PLACES.len(),
        radius in 1.0f64..120.0,
        interest in proptest::option::of(0..INTERESTS.len()),
        sector in proptest::option::of(0..4usize),
        limit in 1usize..30,
        offset in 0u64..40,
        weights in proptest::option::of((0.0f64..1.0, 0.0f64..1.0, 0.0f64..1.0, 0.0f64..1.0)),
        favour in any::<bool>(),
        entity in 0..3usize,
    ) {
        static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
        let e = ENGINE.get_or_init(|| Engine::normandy().unwrap());
        let mut q = Query::near(PLACES[place]).radius(radius).limit(limit as u64);
        q.offset = offset;
        q.interests = interest.map(|i| INTERESTS[i].to_string()).into_iter().collect();
        q.sectors = sector.map(|s| ["H", "H29", "J14", "N"][s].to_string()).into_iter().collect();
        q.weights = weights.map(|(interest, sector, distance, responsiveness)| Weights {
            interest, sector, distance, responsiveness,
        });
        q.fairness.favour_availability = favour;
        let whole = Query { per_company: Some(u64::MAX), ..q.clone() };
        let json = |r: Result<serde_json::Value, Error>| r.map_err(|e| e.to_string());
        let (a, b) = match entity {
            0 => (
                json(e.search_stages(&q).map(|r| serde_json::to_value(r).unwrap())),
                json(e.search_stages(&whole).map(|r| serde_json::to_value(r).unwrap())),
            ),
            1 => (
                json(e.search_ambassadors(&q).map(|r| serde_json::to_value(r).unwrap())),
                json(e.search_ambassadors(&whole).map(|r| serde_json::to_value(r).unwrap())),
            ),
            _ => (
                json(e.search_companies(&q).map(|r| serde_json::to_value(r).unwrap())),
                json(e.search_companies(&whole).map(|r| serde_json::to_value(r).unwrap())),
            ),
        };
        prop_assert_eq!(a, b);
    }
}

#[test]
fn a_result_keeps_its_items_as_they_were_when_the_catalogue_changes_after() {
    // Results share their items with the catalogue (no copy per search); an update after the
    // search copies the item instead of changing the result in the caller's hands.
    let mut e = Engine::normandy().unwrap();
    let r = e.search_stages(&Query::near("Caen").limit(1)).unwrap();
    let held = r.matches[0].item.clone();
    let before = held.places_left();
    assert!(before >= 1);
    assert_eq!(e.reserve(&held.id, 1).unwrap(), before - 1);
    assert_eq!(r.matches[0].item.places_left(), before);
    assert_eq!(
        e.catalog().stage(&held.id).unwrap().places_left(),
        before - 1
    );
}
