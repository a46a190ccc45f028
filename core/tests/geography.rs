//! Promises of the embedded geography: locating places as people type them, and distances.
// The standard sorts are kept out of the library only (core/clippy.toml); tests may use them.
#![allow(clippy::disallowed_methods)]

use metiers::{Geography, PlaceKind};
use std::sync::Arc;

fn normandy() -> Arc<Geography> {
    Geography::normandy().unwrap()
}

fn first_code(text: &str) -> String {
    normandy().locate(text).unwrap()[0].code.clone().unwrap()
}

#[test]
fn normandy_has_2651_communes_in_5_departements() {
    let g = normandy();
    assert_eq!(g.communes().len(), 2651);
    let codes: Vec<_> = g.departements().iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["14", "27", "50", "61", "76"]);
    assert!(g
        .communes()
        .iter()
        .all(|c| &*c.region == "28" && c.lat.is_some()));
}

#[cfg(feature = "france")]
#[test]
fn all_of_france_loads_with_its_three_communes_without_position() {
    let g = Geography::france().unwrap();
    assert_eq!(g.communes().len(), 34_935);
    assert_eq!(g.departements().len(), 101);
    let mut missing: Vec<_> = g
        .communes_without_position()
        .iter()
        .map(|c| &*c.insee)
        .collect();
    missing.sort_unstable();
    assert_eq!(missing, ["60694", "85165", "85212"]);
    let err = g.locate("85165").unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert!(err.to_string().contains("no coordinates"), "{err}");
    assert!(g.locate("L'Oie").is_err(), "never placed at (0, 0)");
}

#[test]
fn an_insee_code_locates_its_commune() {
    let p = &normandy().locate("14118").unwrap()[0];
    assert_eq!((p.kind, p.name.as_str()), (PlaceKind::Commune, "Caen"));
    assert_eq!(p.departement.as_deref(), Some("14"));
}

#[test]
fn a_shared_postal_code_returns_every_commune_most_populous_first() {
    let places = normandy().locate("50100").unwrap();
    assert_eq!(places[0].name, "Cherbourg-en-Cotentin");
    let places = normandy().locate("14400").unwrap();
    assert!(places.len() > 1, "14400 serves Bayeux and its neighbours");
    assert_eq!(places[0].name, "Bayeux");
    let pops: Vec<u32> = places.iter().map(|p| p.population.unwrap()).collect();
    assert!(pops.windows(2).all(|w| w[0] >= w[1]));
    assert!(places[0].matched.contains("14400"));
}

#[test]
fn names_are_found_however_people_type_them() {
    assert_eq!(first_code("le havre"), "76351");
    assert_eq!(first_code("Havre"), "76351");
    assert_eq!(first_code("LE HAVRE"), "76351");
    assert_eq!(first_code("saint lo"), "50502");
    assert_eq!(first_code("st-lo"), "50502");
    assert_eq!(first_code("Saint-Lô"), "50502");
    assert_eq!(first_code("evreux"), "27229");
    assert_eq!(first_code("l'aigle"), "61214");
    assert_eq!(first_code("aigle"), "61214");
}

#[test]
fn cherbourg_and_cherbourg_octeville_lead_to_cherbourg_en_cotentin() {
    let plain = normandy().locate("cherbourg").unwrap();
    assert_eq!(plain.len(), 1);
    assert_eq!(plain[0].name, "Cherbourg-en-Cotentin");
    let old = &normandy().locate("Cherbourg-Octeville").unwrap()[0];
    assert_eq!(old.code.as_deref(), Some("50129"));
    assert_eq!(old.matched, "commune déléguée Cherbourg-Octeville");
}

#[test]
fn an_ambiguous_name_returns_all_candidates_ranked() {
    let places = normandy().locate("Cuverville").unwrap();
    assert_eq!(places.len(), 3, "three communes are called Cuverville");
    let pops: Vec<u32> = places.iter().map(|p| p.population.unwrap()).collect();
    assert!(pops.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn a_departement_is_found_by_name_or_number() {
    for q in ["Orne", "orne", "61"] {
        let p = &normandy().locate(q).unwrap()[0];
        assert_eq!(p.kind, PlaceKind::Departement, "{q}");
        assert_eq!(p.code.as_deref(), Some("61"));
    }
    assert_eq!(first_code("Seine-Maritime"), "76");
}

#[test]
fn a_typo_in_a_commune_name_is_forgiven() {
    assert_eq!(first_code("evreu"), "27229", "prefix");
    assert_eq!(first_code("Alencon"), "61001");
    assert_eq!(first_code("Alenocn"), "61001", "one swap");
}

#[test]
fn latitude_and_longitude_must_be_finite_and_in_range() {
    let p = &normandy().locate("49.18, -0.37").unwrap()[0];
    assert_eq!(p.kind, PlaceKind::Point);
    for bad in ["91.0, 0.5", "49.0, 181.0", "-90.5, 0.0"] {
        assert_eq!(
            normandy().locate(bad).unwrap_err().code(),
            "invalid_input",
            "{bad}"
        );
    }
    assert_eq!(
        metiers::Place::point(f64::NAN, 0.0).unwrap_err().code(),
        "invalid_input"
    );
    assert_eq!(
        metiers::Place::point(0.0, f64::INFINITY)
            .unwrap_err()
            .code(),
        "invalid_input"
    );
}

#[test]
fn unknown_or_empty_places_are_clear_errors() {
    assert_eq!(normandy().locate("").unwrap_err().code(), "invalid_input");
    assert_eq!(
        normandy().locate("Marseille").unwrap_err().code(),
        "not_found"
    );
    assert_eq!(normandy().locate("99999").unwrap_err().code(), "not_found");
    assert_eq!(
        normandy().locate("1234").unwrap_err().code(),
        "invalid_input"
    );
    assert_eq!(normandy().commune("x").unwrap_err().code(), "invalid_input");
}

#[test]
fn great_circle_distances_match_known_values() {
    let g = normandy();
    let caen = &g.locate("Caen").unwrap()[0];
    let rouen = &g.locate("Rouen").unwrap()[0];
    let d = caen.distance_km(rouen);
    assert!(
        (d - 109.852).abs() < 0.001,
        "Caen–Rouen is 109.85 km (haversine, checked in Python), got {d}"
    );
    assert!(caen.distance_km(caen).abs() < 1e-9);
    assert!((caen.distance_km(rouen) - rouen.distance_km(caen)).abs() < 1e-9);
    // One degree of latitude along a meridian is 111.195 km on the mean sphere.
    let one_degree = metiers::distance_km((49.0, 0.0), (50.0, 0.0));
    assert!((one_degree - 111.195).abs() < 0.001, "{one_degree}");
}

#[test]
fn distances_are_within_a_centimetre_of_the_textbook_haversine() {
    // Reference values from the textbook haversine (Python, math module). The library's form
    // (products of precomputed sines and cosines) loses a few millimetres at metre scale to
    // cancellation, and nothing that shows at the published 0.01 km.
    let cases = [
        ((49.0, 0.0), (49.00001, 0.0), 0.001_111_950_8),
        ((49.18464, -0.37224), (49.18474, -0.37224), 0.011_119_508),
        ((49.18464, -0.37224), (49.44124, 1.09116), 109.851_570_026),
        ((49.18464, -0.37224), (43.29695, 5.38107), 789.658_007_351),
    ];
    for (a, b, want) in cases {
        let got = metiers::distance_km(a, b);
        assert!((got - want).abs() <= 1e-5, "{a:?} {b:?}: {got} vs {want}");
    }
}
