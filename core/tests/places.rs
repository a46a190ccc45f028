//! Promises about places: exact, or a choice. A pupil of Rouen is never sent 90 km away.

use metiers::Entity;
use metiers::{Engine, Error, Geography, LoadMode, MatchedBy, PlaceKind, PlaceRef, Query};

fn candidates(err: &Error) -> Vec<String> {
    match err {
        Error::AmbiguousPlace { candidates, .. } => candidates
            .iter()
            .map(|c| c.code.clone().unwrap_or_default())
            .collect(),
        other => panic!("expected ambiguous_place, got {other:?}"),
    }
}

#[test]
fn rouens_insee_code_is_rouen_in_a_query_in_distance_km_and_in_a_catalogue_row() {
    let mut e = Engine::normandy().unwrap();
    let rouen = PlaceRef::insee("76540");
    let page = e.search_stages(&Query::near(rouen.clone())).unwrap();
    let origin = page.origin.unwrap();
    assert_eq!(
        (origin.name.as_str(), origin.matched_by),
        ("Rouen", MatchedBy::Insee)
    );
    let d = e.distance_km(PlaceRef::insee("14118"), rouen).unwrap();
    assert!((d - 109.85).abs() < 0.01, "Caen–Rouen is 110 km, got {d}");
    // The bare string is also another commune's postal code: a choice, with Rouen in it.
    let err = e.distance_km("14118", "76540").unwrap_err();
    assert_eq!(err.code(), "ambiguous_place");
    assert_eq!(candidates(&err)[0], "76540");
    // A catalogue row's `commune` names a commune: five characters there are an INSEE code.
    let csv = "id,name,commune\nr-1,Atelier rouennais (fictif),76540\n";
    e.load_csv(Entity::Companies, "r.csv", csv.as_bytes(), LoadMode::Strict)
        .unwrap();
    let c = e.company("r-1").unwrap();
    assert_eq!(c.place.commune.as_deref(), Some("76540"));
    assert_eq!(c.place.departement.as_deref(), Some("76"));
}

#[test]
fn every_normandy_commune_is_found_by_its_insee_code_and_by_its_name() {
    let g = Geography::normandy().unwrap();
    assert_eq!(g.communes().len(), 2651);
    for c in g.communes() {
        let typed = g.resolve(&PlaceRef::insee(&*c.insee)).unwrap();
        assert_eq!(typed.code.as_deref(), Some(&*c.insee));
        // The bare code and the name are the commune, or a choice (the code is another
        // commune's postal code, the name a homonym's) whose candidates list it.
        for text in [&*c.insee, c.name.as_str()] {
            match g.resolve(&text.into()) {
                Ok(p) => assert_eq!(p.code.as_deref(), Some(&*c.insee), "{text}"),
                Err(e) => {
                    assert_eq!(e.code(), "ambiguous_place", "{text}: {e}");
                    let listed = g.locate(text).unwrap();
                    assert!(
                        listed.iter().any(|p| p.code.as_deref() == Some(&*c.insee)),
                        "{text}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_five_digit_code_that_is_two_things_is_a_choice_not_a_guess() {
    let g = Geography::normandy().unwrap();
    // Helleville's INSEE code is the postal code of Saint-James, 120 km south.
    let err = g.resolve(&"50240".into()).unwrap_err();
    let codes = candidates(&err);
    assert!(codes.contains(&"50240".to_string()) && codes.contains(&"50487".to_string()));
    let Error::AmbiguousPlace { candidates, .. } = &err else {
        unreachable!()
    };
    let helleville = candidates
        .iter()
        .find(|c| c.code.as_deref() == Some("50240"));
    assert_eq!(helleville.unwrap().matched, "code INSEE 50240");
    assert!(candidates.iter().any(|c| c.matched == "code postal 50240"));
    // Each typed key means exactly that key.
    assert_eq!(
        g.resolve(&PlaceRef::insee("50240")).unwrap().name,
        "Helleville"
    );
    let postal = g.resolve(&PlaceRef::postal_code("50240")).unwrap_err();
    assert!(!candidates_of(&postal).contains(&"50240".to_string()));
}

/// Each text resolves, without a choice, to the place of that code.
fn assert_resolves(g: &Geography, cases: &[(&str, &str)]) {
    for &(text, code) in cases {
        let p = g.resolve(&text.into()).unwrap();
        assert_eq!(p.code.as_deref(), Some(code), "{text}");
    }
}

fn candidates_of(err: &Error) -> Vec<String> {
    candidates(err)
}

#[cfg(feature = "france")]
#[test]
fn paris_lyon_marseille_and_their_arrondissements() {
    let g = Geography::france().unwrap();
    for (name, insee) in [
        ("Paris", "75056"),
        ("Lyon", "69123"),
        ("Marseille", "13055"),
    ] {
        let p = g.resolve(&name.into()).unwrap();
        assert_eq!(
            (p.kind, p.code.as_deref()),
            (PlaceKind::Commune, Some(insee))
        );
    }
    for text in ["75015", "Paris 15e", "Paris 15e Arrondissement", "75115"] {
        let p = g.resolve(&text.into()).unwrap();
        assert_eq!(p.kind, PlaceKind::Arrondissement, "{text}");
        assert_eq!(p.code.as_deref(), Some("75115"), "{text}");
        assert_eq!(p.commune.as_deref(), Some("75056"), "{text}");
    }
    assert_eq!(
        g.resolve(&"Lyon 3e".into()).unwrap().code.as_deref(),
        Some("69383")
    );
    assert_eq!(
        g.resolve(&"75116".into()).unwrap().code.as_deref(),
        Some("75116")
    );
    assert_eq!(
        g.resolve(&"75016".into()).unwrap().code.as_deref(),
        Some("75116")
    );
    // 13001 is Aix-en-Provence's INSEE code and Marseille 1er's postal code.
    let err = g.resolve(&"13001".into()).unwrap_err();
    assert_eq!(candidates(&err), ["13001", "13201"]);
    // On the Normandy geography, "Lyon" only begins Lyons-la-Forêt: offered, never taken.
    let n = Geography::normandy().unwrap();
    assert_eq!(
        candidates(&n.resolve(&"Lyon".into()).unwrap_err()),
        ["27377"]
    );
}

#[test]
fn a_short_name_that_begins_a_larger_towns_is_a_choice_with_the_town_first() {
    // "Sotteville" was Sotteville of the Manche (477 inhabitants), 206 km from the
    // Sotteville-lès-Rouen (28,965) a pupil of the Rouen suburbs means; so were Trouville,
    // Fleury, Bretteville…: a name matched whole was taken at once.
    let g = Geography::normandy().unwrap();
    for (text, first, taken) in [
        ("Sotteville", "76681", "50580"),
        ("Trouville", "14715", "76715"),
        ("Fleury", "14271", "50185"),
        ("Hermanville", "14325", "76356"),
        ("Saint-Pair", "50532", "14640"),
        // Without its article, and with it.
        ("Thuit", "27638", "27635"),
        ("Le Thuit", "27638", "27635"),
    ] {
        let err = g.resolve(&text.into()).unwrap_err();
        let codes = candidates(&err);
        assert_eq!(codes.first().map(String::as_str), Some(first), "{text}");
        assert!(codes.iter().any(|c| c == taken), "{text}: {codes:?}");
        // A suggestion list offers them too.
        assert_eq!(g.locate(text).unwrap().len(), codes.len(), "{text}");
    }
    // Where every longer name is a smaller place, the name is the answer: the prefecture, not
    // Saint-Lô-d'Ourville; and a département's name is never a shortened commune's.
    assert_resolves(
        &g,
        &[
            ("Saint-Lô", "50502"),
            ("Caen", "14118"),
            ("Orne", "61"),
            ("Eu", "76255"),
        ],
    );
    // Written as an address, its postal code or département decides.
    assert_resolves(
        &g,
        &[
            ("Sotteville 76300", "76681"),
            ("76300 Sotteville", "76681"),
            ("Sotteville (50)", "50580"),
            ("Trouville 14360", "14715"),
            ("Bretteville (50)", "50077"),
            ("Saint-Lô 50000", "50502"),
        ],
    );
    // A catalogue row that names its commune so is refused with the choice, not placed in
    // the wrong town.
    let mut e = Engine::normandy().unwrap();
    let row = "id,name,commune\nC-sotte,Boulangerie,Sotteville\n";
    let err = e
        .load(
            metiers::Format::Csv,
            Some(Entity::Companies),
            row.as_bytes(),
            &metiers::LoadOptions::default(),
        )
        .unwrap_err();
    assert!(err.to_string().contains("Sotteville-lès-Rouen"), "{err}");
}

#[cfg(feature = "france")]
#[test]
fn across_france_a_short_name_is_the_large_town_it_begins_or_a_choice() {
    let g = Geography::france().unwrap();
    for (text, first) in [
        ("Évry", "91228"),
        ("Charleville", "08105"),
        ("Chalon", "71076"),
        ("Clermont", "63113"),
        ("Boulogne", "92012"),
    ] {
        let err = g.resolve(&text.into()).unwrap_err();
        assert_eq!(
            candidates(&err).first().map(String::as_str),
            Some(first),
            "{text}"
        );
    }
    assert_resolves(
        &g,
        &[
            ("Saint-Étienne", "42218"),
            ("Lyon", "69123"),
            ("Savoie", "73"),
        ],
    );
}

#[test]
fn cherbourgs_former_communes_lead_to_cherbourg_en_cotentin() {
    let g = Geography::normandy().unwrap();
    for text in [
        "Tourlaville",
        "Équeurdreville-Hainneville",
        "La Glacerie",
        "Querqueville",
        "Cherbourg-Octeville",
        "50602",
    ] {
        let p = g
            .resolve(&text.into())
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(p.code.as_deref(), Some("50129"), "{text}");
        assert!(
            matches!(
                p.matched_by,
                MatchedBy::FormerCommune | MatchedBy::FormerInsee
            ),
            "{text}: {:?}",
            p.matched_by
        );
    }
    assert_eq!(
        g.resolve(&"Tourlaville".into()).unwrap().matched,
        "commune déléguée Tourlaville"
    );
}

#[test]
fn ifs_is_not_les_ifs_and_havre_is_le_havre() {
    let g = Geography::normandy().unwrap();
    assert_eq!(
        g.resolve(&"Ifs".into()).unwrap().code.as_deref(),
        Some("14341")
    );
    assert_eq!(
        g.resolve(&"Les Ifs".into()).unwrap().code.as_deref(),
        Some("76371")
    );
    assert_eq!(
        candidates(&g.resolve(&"Le Ifs".into()).unwrap_err()).len(),
        2
    );
    let havre = g.resolve(&"Havre".into()).unwrap();
    assert_eq!(
        (havre.code.as_deref(), havre.matched_by),
        (Some("76351"), MatchedBy::NameWithoutArticle)
    );
}

#[cfg(feature = "france")]
#[test]
fn vienne_is_a_departement_and_a_commune_so_it_is_a_choice() {
    let g = Geography::france().unwrap();
    for (name, dep, commune) in [("Vienne", "86", "38544"), ("Mayenne", "53", "53147")] {
        let err = g.resolve(&name.into()).unwrap_err();
        let codes = candidates(&err);
        assert!(codes.contains(&dep.to_string()) && codes.contains(&commune.to_string()));
        let d = g.resolve(&PlaceRef::departement(name)).unwrap();
        assert_eq!(d.kind, PlaceKind::Departement);
    }
    // Paris is a département of one commune: the same place, so no choice to make.
    assert_eq!(g.resolve(&"Paris".into()).unwrap().kind, PlaceKind::Commune);
}

#[test]
fn a_word_that_only_starts_several_names_is_a_choice() {
    let g = Geography::normandy().unwrap();
    for text in ["Saint", "Saint-Martin", "Pont"] {
        assert_eq!(
            g.resolve(&text.into()).unwrap_err().code(),
            "ambiguous_place",
            "{text}"
        );
    }
    let one = g.resolve(&"Cherbourg".into()).unwrap();
    assert_eq!(
        (one.code.as_deref(), one.matched_by),
        (Some("50129"), MatchedBy::NamePrefix)
    );
}

#[test]
fn a_departement_as_near_is_a_filter_that_intersects_and_takes_no_radius() {
    let e = Engine::normandy().unwrap();
    let q = |v: serde_json::Value| Query::from_json(&v.to_string()).unwrap();
    let both = e
        .search_stages(&q(
            serde_json::json!({"near": "Orne", "departements": ["Calvados"]}),
        ))
        .unwrap();
    assert_eq!(
        both.total, 0,
        "the Orne and the Calvados have no stage in common"
    );
    let same = e
        .search_stages(&q(
            serde_json::json!({"near": "Orne", "departements": ["61", "14"]}),
        ))
        .unwrap();
    let orne = e.search_stages(&Query::near("Orne")).unwrap();
    assert_eq!(same.total, orne.total);
    let err = e
        .search_stages(&Query::near("Orne").radius(20.0))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("radius_km"), "{err}");
}

#[test]
fn a_catalogue_row_whose_point_is_far_from_its_commune_is_refused_with_the_distance() {
    let mut e = Engine::normandy().unwrap();
    // Caen's INSEE code with a point in Marseille, 790 km away.
    let csv = "id,name,commune,lat,lon\nc-1,Loin (fictif),14118,43.29695,5.38107\n";
    let err = e
        .load_csv(
            Entity::Companies,
            "far.csv",
            csv.as_bytes(),
            LoadMode::Strict,
        )
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("km from the centre of Caen"), "{text}");
    assert!(text.contains("789.") || text.contains("790."), "{text}");
    // A point alone far from every commune is refused too, not placed in the nearest one.
    let csv = "id,name,lat,lon\nc-2,En mer (fictif),50.5,-2.0\n";
    let err = e
        .load_csv(
            Entity::Companies,
            "sea.csv",
            csv.as_bytes(),
            LoadMode::Strict,
        )
        .unwrap_err();
    assert!(err.to_string().contains("no commune"), "{err}");
    // A homonym with a point nearby is that one.
    let csv = "id,name,commune,lat,lon\nc-3,Près de Cuverville (fictif),Cuverville,49.19,-0.27\n";
    e.load_csv(
        Entity::Companies,
        "ok.csv",
        csv.as_bytes(),
        LoadMode::Strict,
    )
    .unwrap();
    assert_eq!(
        e.company("c-3").unwrap().place.commune.as_deref(),
        Some("14215")
    );
}

#[test]
fn text_in_nfd_finds_the_same_places_as_nfc() {
    let g = Geography::normandy().unwrap();
    let nfd = "Pont-l'E\u{302}ve\u{302}que";
    assert_eq!(
        g.resolve(&nfd.into()).unwrap().code,
        g.resolve(&"Pont-l'Évêque".into()).unwrap().code
    );
}

#[test]
fn a_typed_place_reads_and_writes_the_shared_json_shape() {
    for (json, place) in [
        (r#""Caen""#, PlaceRef::from("Caen")),
        (r#"{"insee":"14118"}"#, PlaceRef::insee("14118")),
        (r#"{"postal_code":"14000"}"#, PlaceRef::postal_code("14000")),
        (r#"{"departement":"61"}"#, PlaceRef::departement("61")),
        (
            r#"{"lat":49.18,"lon":-0.37}"#,
            PlaceRef::point(49.18, -0.37),
        ),
    ] {
        assert_eq!(serde_json::from_str::<PlaceRef>(json).unwrap(), place);
        assert_eq!(serde_json::to_string(&place).unwrap(), json);
    }
    for bad in [
        r#"{"insee":14118}"#,
        r#"{"insee":"14118","postal_code":"14000"}"#,
        r#"{"lat":49.1}"#,
        r#"{"town":"Caen"}"#,
        "{}",
        "42",
    ] {
        assert!(serde_json::from_str::<PlaceRef>(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_point_beyond_the_catalogue_in_any_direction_finds_nothing_without_panicking() {
    let e = Engine::normandy().unwrap();
    for (lat, lon) in [
        (49.49, 5.0),
        (52.0, 0.0),
        (46.0, 0.0),
        (49.0, -6.0),
        (89.9, 179.9),
        (-89.9, -179.9),
    ] {
        let page = e
            .search_stages(&Query::near(PlaceRef::point(lat, lon)).radius(20.0))
            .unwrap();
        assert_eq!(page.total, 0, "{lat}, {lon}");
    }
}

#[test]
fn a_code_that_lost_its_leading_zero_is_refused_with_the_code_it_may_be() {
    let mut e = Engine::normandy().unwrap();
    let err = e.resolve("1053").unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("1053 may be 01053"), "{err}");
    let csv = "id,name,commune\nc-1,Bourg (fictif),1053\n";
    let err = e
        .load_csv(Entity::Companies, "c.csv", csv.as_bytes(), LoadMode::Strict)
        .unwrap_err();
    assert!(err.to_string().contains("may be 01053"), "{err}");
    // Not for other lengths: "123" is no département, "1234567" no code.
    for text in ["123", "1234567"] {
        assert!(
            !e.resolve(text).unwrap_err().to_string().contains("may be"),
            "{text}"
        );
    }
}

#[test]
fn a_point_written_with_decimal_commas_is_that_point() {
    let e = Engine::normandy().unwrap();
    for text in [
        "49,18464 -0,37224",
        "49,18464; -0,37224",
        "49,18464;-0,37224",
        "+49,18464 -0,37224",
    ] {
        let p = e.resolve(text).unwrap();
        assert_eq!(
            (p.kind, p.lat, p.lon),
            (PlaceKind::Point, 49.18464, -0.37224),
            "{text}"
        );
    }
    let p = e.resolve("49.18464, -0.37224").unwrap();
    assert_eq!((p.lat, p.lon), (49.18464, -0.37224));
    // Commas for both the decimals and the separator cannot be told apart: not a point.
    for text in ["49,18, -0,37", "49,18,-0,37", "49, 18 -0,37"] {
        assert!(e.resolve(text).is_err(), "{text}");
    }
}

#[test]
fn latitude_and_longitude_swapped_are_refused_naming_the_commune_meant() {
    let mut e = Engine::normandy().unwrap();
    // Caen's centre the other way round is at sea off Somalia: searched as given, nothing near.
    let swapped = PlaceRef::point(-0.37224, 49.18464);
    let err = e
        .search_stages(&Query::near(swapped.clone()).radius(30.0))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let text = err.to_string();
    assert!(
        text.contains("near") && text.contains("Caen (14118)"),
        "{text}"
    );
    assert!(text.contains("swapped"), "{text}");
    assert_eq!(
        e.locate(swapped.clone()).unwrap_err().code(),
        "invalid_input"
    );
    let err = e
        .distance_km(swapped.clone(), PlaceRef::from("Rouen"))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    let err = e.resolve("-0.37224, 49.18464").unwrap_err();
    assert!(err.to_string().contains("Caen (14118)"), "{err}");
    // Points far from every commune either way round stay points, found to have nothing near.
    for (lat, lon) in [(-0.37, 20.0), (40.0, -60.0), (49.9, -1.0)] {
        let page = e
            .search_stages(&Query::near(PlaceRef::point(lat, lon)).radius(10.0))
            .unwrap();
        assert_eq!(page.total, 0, "{lat}, {lon}");
    }
    // A catalogue row: its error says so, whether it names its commune or not.
    for (csv, distance) in [
        (
            "id,name,lat,lon\nc-1,Inversé (fictif),-0.37224,49.18464\n",
            false,
        ),
        (
            "id,name,commune,lat,lon\nc-1,Inversé (fictif),14118,-0.37224,49.18464\n",
            true,
        ),
    ] {
        let err = e
            .load_csv(
                Entity::Companies,
                "swapped.csv",
                csv.as_bytes(),
                LoadMode::Strict,
            )
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("look swapped") && text.contains("Caen (14118)"),
            "{text}"
        );
        assert_eq!(text.contains("km from the centre"), distance, "{text}");
    }
}

/// Amiens on a France engine holding the Normandy sample: east of the grid, 20 km.
#[cfg(feature = "france")]
#[test]
fn a_place_east_of_the_catalogue_grid_finds_nothing() {
    let mut france = Engine::empty(metiers::Region::France).unwrap();
    france
        .load_json(
            "sample",
            Engine::normandy().unwrap().export_json().as_bytes(),
            LoadMode::Strict,
        )
        .unwrap();
    assert_eq!(
        france
            .search_stages(&Query::near("Amiens").radius(20.0))
            .unwrap()
            .total,
        0
    );
}

#[test]
fn an_exact_position_near_a_border_is_placed_in_the_commune_that_contains_it() {
    let g = Geography::normandy().unwrap();
    // Inside Caen, 3.4 km from its centre and 0.7 km from Épron's.
    let (lat, lon) = (49.2154, -0.36962);
    assert_eq!(
        &*g.nearest_commune(lat, lon).unwrap().insee,
        "14242",
        "the nearest centre is Épron"
    );
    assert_eq!(&*g.commune_containing(lat, lon).unwrap().insee, "14118");
    let p = g.resolve(&PlaceRef::point(lat, lon)).unwrap();
    assert_eq!(
        (p.kind, p.commune.as_deref()),
        (PlaceKind::Point, Some("14118"))
    );
    assert_eq!(p.matched, "point exact, commune Caen");
    // A catalogue row given by its point alone is placed there too.
    let mut e = Engine::normandy().unwrap();
    let csv = format!("id,name,lat,lon\nb-1,Près d'Épron (fictif),{lat},{lon}\n");
    e.load_csv(Entity::Companies, "b.csv", csv.as_bytes(), LoadMode::Strict)
        .unwrap();
    assert_eq!(
        e.company("b-1").unwrap().place.commune.as_deref(),
        Some("14118")
    );
    // At sea there is no contour: a point keeps no commune rather than the nearest one.
    let sea = g.resolve(&PlaceRef::point(49.5, -0.5)).unwrap();
    assert_eq!(sea.commune, None);
}

#[test]
fn the_contours_cover_the_communes_of_normandy() {
    let contours = metiers::geo::contours::Contours::normandy().unwrap();
    assert_eq!(
        contours.len(),
        2650,
        "all but Sannerville, inside Troarn's contour"
    );
    let g = Geography::normandy().unwrap();
    let placed = g
        .communes()
        .iter()
        .filter(|c| {
            let (lat, lon) = c.centre().unwrap();
            g.commune_containing(lat, lon)
                .is_some_and(|x| x.insee == c.insee)
        })
        .count();
    // Centres lie inside their own contour, but for a few by simplified borders (and Sannerville).
    assert!(placed >= 2600, "{placed} centres in their own contour");
}

#[test]
fn every_search_states_the_place_it_used() {
    let e = Engine::normandy().unwrap();
    let q = Query::near("Tourlaville").radius(15.0);
    let origins = [
        e.search_stages(&q).unwrap().origin,
        e.search_ambassadors(&q).unwrap().origin,
        e.search_companies(&q).unwrap().origin,
        e.metiers_near(&q).unwrap().origin,
    ];
    for o in origins {
        let o = o.unwrap();
        assert_eq!(
            (o.code.as_deref(), o.matched_by),
            (Some("50129"), MatchedBy::FormerCommune)
        );
        assert_eq!(o.matched, "commune déléguée Tourlaville");
    }
}

#[test]
fn a_point_in_its_communes_contour_is_accepted_however_far_from_the_centre() {
    let mut e = Engine::normandy().unwrap();
    // Grande-Île, Chausey: part of Granville, 15 km out at sea from its centre.
    let csv = "id,name,commune,lat,lon\nch-1,Chausey (fictif),50218,48.873,-1.83\n";
    let r = e.load_csv(Entity::Companies, "c.csv", csv.as_bytes(), LoadMode::Strict);
    let inside = Geography::normandy()
        .unwrap()
        .commune_containing(48.873, -1.83)
        .map(|c| c.insee.clone());
    if inside.as_deref() == Some("50218") {
        r.unwrap();
        assert_eq!(
            e.company("ch-1").unwrap().place.commune.as_deref(),
            Some("50218")
        );
    } else {
        panic!("the test point is not in Granville's contour: {inside:?}");
    }
}

/// A commune as an address or a spreadsheet writes it: the postal code before or after the
/// name, the département in parentheses, CEDEX. The postal code and the département narrow
/// the name (they never widen it), so a homonym is told apart and a mismatch finds nothing.
#[test]
fn a_commune_written_as_in_an_address_is_that_commune() {
    let e = Engine::normandy().unwrap();
    let codes = |text: &str| -> Vec<String> {
        e.locate(text)
            .unwrap()
            .into_iter()
            .map(|p| p.code.unwrap_or_default())
            .collect()
    };
    for text in [
        "14000 Caen",
        "14000 CAEN",
        "Caen 14000",
        "Caen, 14000",
        "Caen (14)",
        "14000 Caen (14)",
        "Caen Cedex",
        "CAEN CEDEX 9",
        "14050 Caen Cedex 4",
    ] {
        assert_eq!(codes(text), ["14118"], "{text}");
        let place = e.resolve(text).unwrap();
        assert_eq!(place.matched_by, MatchedBy::Name, "{text}");
    }
    assert_eq!(
        codes("76100 Rouen"),
        ["76540"],
        "either of Rouen's postal codes"
    );
    // A homonym is a choice; its postal code or département picks one.
    let err = e.resolve("La Bazoque").unwrap_err();
    assert_eq!(candidates(&err), ["61030", "14050"]);
    assert_eq!(
        e.resolve("61100 La Bazoque").unwrap().code.as_deref(),
        Some("61030")
    );
    assert_eq!(
        e.resolve("La Bazoque (14)").unwrap().code.as_deref(),
        Some("14050")
    );
    // A former commune's own postal code leads to its commune nouvelle.
    assert_eq!(
        e.resolve("50460 Querqueville").unwrap().code.as_deref(),
        Some("50129")
    );
    // The article after the name, in parentheses, as registers sort names: the name with
    // that article, so "Ifs (Les)" is Les Ifs (Seine-Maritime), never Ifs (Calvados).
    for (text, code) in [
        ("Havre (Le)", "76351"),
        ("HAVRE (LE)", "76351"),
        ("Andelys (Les)", "27016"),
        ("Aigle (L')", "61214"),
        ("Aigle (L\u{2019})", "61214"),
        ("Ifs (Les)", "76371"),
        ("Ifs", "14341"),
        ("76600 Havre (Le)", "76351"),
        ("Bazoque (La) (61)", "61030"),
    ] {
        assert_eq!(codes(text), [code], "{text}");
        assert_eq!(
            e.resolve(text).unwrap().matched_by,
            MatchedBy::Name,
            "{text}"
        );
    }
    assert_eq!(
        candidates(&e.resolve("Bazoque (La)").unwrap_err()),
        ["61030", "14050"]
    );
    // Any other article is read as the same text with the article first: "Ifs (La)" is the
    // choice "La Ifs" is, "Havre (Les)" is Le Havre without its article, as "Les Havre" is.
    for (text, first) in [("Ifs (La)", "La Ifs"), ("Havre (Les)", "Les Havre")] {
        assert_eq!(e.locate(text).unwrap(), e.locate(first).unwrap(), "{text}");
    }
    assert_eq!(
        candidates(&e.resolve("Ifs (La)").unwrap_err()),
        ["14341", "76371"]
    );
    assert_eq!(
        e.resolve("Havre (Les)").unwrap().matched_by,
        MatchedBy::NameWithoutArticle
    );
    // A postal code or a département that is not the name's is no place, never another one.
    for text in ["61000 Caen", "Caen (61)", "27000 La Bazoque", "14000 Rouen"] {
        assert_eq!(e.resolve(text).unwrap_err().code(), "not_found", "{text}");
    }
    // Words that only look like an address are not read as one.
    for text in ["(14)", "Cedex", "14000 14000", "Caen 14"] {
        let err = e.resolve(text).unwrap_err();
        assert_eq!(err.code(), "not_found", "{text}: {err}");
    }
    assert_eq!(
        codes("14000"),
        e.locate(PlaceRef::postal_code("14000"))
            .unwrap()
            .iter()
            .map(|p| p.code.clone().unwrap_or_default())
            .collect::<Vec<_>>()
    );
}

#[test]
fn lookups_by_code_read_codes_as_queries_do() {
    let e = Engine::normandy().unwrap();
    assert_eq!(e.commune(" 14118 ").unwrap().name, "Caen");
    assert_eq!(e.metier("d1102").unwrap().code, "D1102");
    // Still refused: a code of another shape, quoted as given.
    let err = e.metier(" d11o2").unwrap_err();
    assert_eq!(err.info().value.as_deref(), Some(" d11o2"));
    assert_eq!(e.commune("Caen").unwrap_err().code(), "invalid_input");
    #[cfg(feature = "france")]
    {
        let france = Engine::empty(metiers::Region::France).unwrap();
        assert_eq!(&*france.commune("2a004").unwrap().insee, "2A004");
    }
}
