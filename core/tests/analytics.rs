//! Territory analytics: coverage counts against a brute-force count, white-zone areas against
//! a sampled estimate, promises, supply and demand, and bad input as coded errors.

// Radii are compared exactly: they are the values the request gave; the sampled-area test
// keeps the compass letters of its box.
#![allow(clippy::float_cmp, clippy::many_single_char_names)]

use metiers::analytics::{
    CoverageRequest, DemandRequest, OriginKind, OriginPoint, SectorLevel, WhiteZoneRequest,
};
use metiers::{distance_km, Engine};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::normandy().unwrap())
}

/// The stages of a grand domaine with a place left, as (lat, lon, places).
fn stages_of(e: &Engine, sector: &str) -> Vec<(f64, f64, u64, String)> {
    let rome = e.referential();
    e.catalog()
        .stages()
        .filter(|s| s.places_left() > 0)
        .filter(|s| {
            s.metiers.iter().any(|m| {
                rome.metier(m)
                    .is_ok_and(|m| m.grand_domaine_code() == sector)
            })
        })
        .filter_map(|s| {
            let (lat, lon) = s.place.as_ref()?.point()?;
            Some((lat, lon, u64::from(s.places_left()), s.company.to_string()))
        })
        .collect()
}

/// Where a row's origin is.
fn at(c: &metiers::analytics::Coverage, origin: &str) -> (f64, f64) {
    let p = c.places.iter().find(|p| p.id == origin).unwrap();
    (p.lat, p.lon)
}

#[test]
fn coverage_counts_match_a_brute_force_count() {
    let e = engine();
    let request = CoverageRequest {
        radii_km: vec![30.0, 5.0, 15.0],
        ..Default::default()
    };
    let c = e.coverage(&request).unwrap();
    assert_eq!(c.sectors.len(), 14);
    assert_eq!(c.rows.len(), 2651 * 3 * 14);
    // Every 97th row, recounted by hand.
    for row in c.rows.iter().step_by(97) {
        let (lat, lon) = at(&c, &row.origin);
        let stages = stages_of(e, &row.sector);
        let near: Vec<_> = stages
            .iter()
            .filter(|s| distance_km((lat, lon), (s.0, s.1)) <= row.radius_km)
            .collect();
        assert_eq!(row.stages as usize, near.len(), "{row:?}");
        assert_eq!(
            row.places_left,
            near.iter().map(|s| s.2).sum::<u64>(),
            "{row:?}"
        );
        let nearest = stages
            .iter()
            .map(|s| distance_km((lat, lon), (s.0, s.1)))
            .fold(f64::INFINITY, f64::min);
        let got = row.nearest_stage_km.unwrap();
        assert!(
            (got - nearest).abs() < 0.002,
            "{got} vs {nearest} for {row:?}"
        );
        assert_eq!(row.is_white(), nearest > row.radius_km, "{row:?}");
    }
    // The summary adds up the rows.
    let all_h30 = c
        .summary
        .iter()
        .find(|s| s.area == "all" && s.sector == "H" && s.radius_km == 30.0)
        .unwrap();
    let rows_h30: Vec<_> = c
        .rows
        .iter()
        .filter(|r| &*r.sector == "H" && r.radius_km == 30.0)
        .collect();
    assert_eq!(all_h30.origins as usize, rows_h30.len());
    assert_eq!(
        all_h30.white_origins as usize,
        rows_h30.iter().filter(|r| r.is_white()).count()
    );
    let deps: u32 = c
        .summary
        .iter()
        .filter(|s| s.area != "all" && s.sector == "H" && s.radius_km == 30.0)
        .map(|s| s.white_origins)
        .sum();
    assert_eq!(deps, all_h30.white_origins);
}

#[test]
fn a_commune_near_a_stage_of_a_sector_is_never_white_for_it() {
    let e = engine();
    let request = CoverageRequest {
        sectors: vec!["H".into()],
        radii_km: vec![15.0],
        ..Default::default()
    };
    let c = e.coverage(&request).unwrap();
    let stages = stages_of(e, "H");
    for row in &c.rows {
        let (lat, lon) = at(&c, &row.origin);
        if stages
            .iter()
            .any(|s| distance_km((lat, lon), (s.0, s.1)) <= 2.0)
        {
            assert!(!row.is_white(), "{row:?}");
            assert!(row.nearest_stage_km.unwrap() <= 2.0 + 1e-3);
        }
    }
}

#[test]
fn white_zone_areas_agree_with_a_sampled_estimate() {
    let e = engine();
    let z = e
        .white_zones(&WhiteZoneRequest {
            sectors: vec!["H".into(), "A".into()],
            radii_km: vec![10.0],
            ..Default::default()
        })
        .unwrap();
    // Normandy is 29,907 km² (INSEE); the grid measures it within 1 %.
    assert!(
        (z.territory_km2 - 29_907.0).abs() < 300.0,
        "{}",
        z.territory_km2
    );
    let contours = metiers::geo::contours::Contours::normandy().unwrap();
    let (s, w, n, east) = contours.bounds().unwrap();
    let mut rng = fastrand::Rng::with_seed(7);
    for zone in &z.zones {
        let stages = stages_of(e, &zone.sector);
        let (mut inside, mut white) = (0u32, 0u32);
        while inside < 4000 {
            let lat = s + rng.f64() * (n - s);
            let lon = w + rng.f64() * (east - w);
            if contours.commune_at(lat, lon).is_none() {
                continue;
            }
            inside += 1;
            let far = stages
                .iter()
                .all(|st| distance_km((lat, lon), (st.0, st.1)) > 10.0);
            white += u32::from(far);
        }
        let sampled = f64::from(white) / f64::from(inside);
        // 4,000 points: a standard error of at most 0.8 %; the grid's own error is smaller.
        assert!(
            (zone.share - sampled).abs() < 0.03,
            "{} {} vs {}",
            zone.sector,
            zone.share,
            sampled
        );
        let by_dep: f64 = zone.by_departement.values().sum();
        assert!((by_dep - zone.area_km2).abs() < 1.0);
        let geometry = zone.contour.as_ref().unwrap();
        assert_eq!(geometry["type"], "MultiPolygon");
    }
}

#[test]
fn ambassadors_and_companies_are_counted_by_sector_and_mode() {
    let e = engine();
    let request = CoverageRequest {
        origins: OriginKind::Points,
        points: vec![OriginPoint {
            id: "caen".into(),
            name: None,
            lat: 49.1829,
            lon: -0.3707,
            weight: Some(10),
        }],
        radii_km: vec![20.0],
        ..Default::default()
    };
    let c = e.coverage(&request).unwrap();
    let rome = e.referential();
    for row in &c.rows {
        let (lat, lon) = at(&c, &row.origin);
        let of_sector = |metiers: &[String]| {
            metiers.iter().any(|m| {
                rome.metier(m)
                    .is_ok_and(|m| m.grand_domaine_code() == &*row.sector)
            })
        };
        let near = |p: Option<&metiers::Location>| {
            p.and_then(metiers::Location::point)
                .is_some_and(|p| distance_km((lat, lon), p) <= 20.0)
        };
        let ambassadors: Vec<_> = e
            .catalog()
            .ambassadors()
            .filter(|a| of_sector(&a.metiers) && near(a.place.as_ref()))
            .collect();
        assert_eq!(row.ambassadors as usize, ambassadors.len());
        let video = ambassadors
            .iter()
            .filter(|a| a.contact(metiers::ContactMode::Video).is_some())
            .count();
        assert_eq!(row.video as usize, video);
        // Companies: within the radius, with a stage (place left) or an ambassador of the sector.
        let companies =
            e.catalog()
                .companies()
                .filter(|co| near(Some(&co.place)))
                .filter(|co| {
                    e.catalog().stages().any(|s| {
                        *s.company == co.id && s.places_left() > 0 && of_sector(&s.metiers)
                    }) || e.catalog().ambassadors().any(|a| {
                        a.company.as_deref() == Some(co.id.as_str()) && of_sector(&a.metiers)
                    })
                })
                .count();
        assert_eq!(row.companies as usize, companies, "{}", row.sector);
    }
    assert_eq!(c.summary.last().unwrap().area, "all");
    assert_eq!(c.weight, "weight");
}

#[test]
fn by_kind_and_by_holiday_split_the_stages() {
    let e = engine();
    let base = CoverageRequest {
        sectors: vec!["H".into()],
        radii_km: vec![25.0],
        ..Default::default()
    };
    let all = e.coverage(&base).unwrap();
    let split = e
        .coverage(&CoverageRequest {
            by_kind: true,
            ..base.clone()
        })
        .unwrap();
    assert_eq!(split.rows.len(), all.rows.len() * 4);
    for (one, four) in all.rows.iter().zip(split.rows.chunks(4)) {
        assert_eq!(one.stages, four.iter().map(|r| r.stages).sum::<u32>());
        assert_eq!(one.ambassadors, four[0].ambassadors);
    }
    let holidays = e
        .coverage(&CoverageRequest {
            by_holiday: true,
            kind: Some(metiers::StageKind::MiniStage),
            ..base.clone()
        })
        .unwrap();
    let names: Vec<_> = holidays
        .rows
        .iter()
        .take(6)
        .map(|r| r.holiday.clone().unwrap())
        .collect();
    assert_eq!(names.len(), 6);
    assert!(names[0].contains("Toussaint"), "{names:?}");
    assert!(holidays.rows.iter().any(|r| r.stages > 0));
}

#[test]
fn schools_as_origins_weigh_their_pupils() {
    let e = engine();
    let c = e
        .coverage(&CoverageRequest {
            origins: OriginKind::Schools,
            school_kind: Some(metiers::schools::SchoolKind::College),
            sectors: vec!["H".into()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(c.rows.len(), 388);
    assert_eq!(c.weight, "pupils");
    let domaines = e
        .coverage(&CoverageRequest {
            level: SectorLevel::Domaine,
            sectors: vec!["H29".into()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(domaines.sectors[0].code, "H29");
}

#[test]
fn sectors_are_read_as_a_query_reads_them() {
    let e = engine();
    // Any case, spaces around ("h", " H "): the same sector, so twice is twice.
    let lower = e
        .coverage(&CoverageRequest {
            sectors: vec![" h".into()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(lower.sectors[0].code, "H");
    let err = e
        .coverage(&CoverageRequest {
            sectors: vec!["H".into(), " h ".into()],
            ..Default::default()
        })
        .unwrap_err();
    assert!(
        matches!(&err, metiers::Error::InvalidInput { field, .. } if field == "sectors[1]"),
        "{err:?}"
    );
}

#[test]
fn a_bad_week_is_named_by_its_place_in_the_list() {
    let e = engine();
    let err = e
        .supply_demand(&DemandRequest {
            weeks: vec!["2027-W03".into(), "2027-W99".into()],
            ..Default::default()
        })
        .unwrap_err();
    assert!(
        matches!(&err, metiers::Error::InvalidInput { field, .. } if field == "weeks[1]"),
        "{err:?}"
    );
    let spec = metiers::CohortSpec {
        weeks: vec!["2027-W3".into()],
        ..Default::default()
    };
    let err = e.cohort(&spec).unwrap_err();
    assert!(
        matches!(&err, metiers::Error::InvalidInput { field, .. } if field == "weeks[0]"),
        "{err:?}"
    );
}

#[test]
fn supply_and_demand_per_school_and_group() {
    let e = engine();
    let d = e.supply_demand(&DemandRequest::default()).unwrap();
    assert_eq!(d.schools.len(), 388);
    let school = &d.schools[0];
    assert_eq!(school.pupils_3e, (school.pupils + 2) / 4);
    let groups: Vec<_> = d
        .groups
        .iter()
        .map(|g| (g.by.as_str(), g.group.as_str()))
        .collect();
    assert_eq!(
        &groups[..3],
        &[
            ("education_prioritaire", "REP+"),
            ("education_prioritaire", "REP"),
            ("education_prioritaire", "hors EP")
        ]
    );
    assert_eq!(
        groups[3..].iter().map(|g| g.1).collect::<Vec<_>>(),
        ["< 90", "90–100", "100–110", "≥ 110"]
    );
    let ep: u32 = d
        .groups
        .iter()
        .filter(|g| g.by == "education_prioritaire")
        .map(|g| g.schools)
        .sum();
    assert_eq!(ep, 388);
    // Brute force for one school: observation stages for collégiens within 15 km.
    let s = d.schools.iter().find(|s| s.places > 0).unwrap();
    let school = metiers::schools::Schools::embedded().get(&s.uai).unwrap();
    let places: u64 = e
        .catalog()
        .stages()
        .filter(|st| {
            st.kind == metiers::StageKind::Observation3e
                && st.audiences.contains(&metiers::Audience::College)
        })
        .filter(|st| st.schools.is_empty() || st.schools.contains(&school.uai))
        .filter(|st| !st.rep_only || school.education_prioritaire.is_some())
        .filter(|st| {
            st.place
                .as_ref()
                .and_then(metiers::Location::point)
                .is_some_and(|p| distance_km(p, (school.lat, school.lon)) <= 15.0)
        })
        .map(|st| u64::from(st.places_left()))
        .sum();
    assert_eq!(s.places, places);
    // Weeks narrow the supply.
    let w = e
        .supply_demand(&DemandRequest {
            weeks: vec!["2027-W03".into()],
            ..Default::default()
        })
        .unwrap();
    let (all, wk): (u64, u64) = (
        d.schools.iter().map(|s| s.places).sum(),
        w.schools.iter().map(|s| s.places).sum(),
    );
    assert!(wk < all, "{wk} {all}");
}

#[test]
fn bad_requests_are_coded_errors_naming_the_field() {
    let e = engine();
    let bad = |r: CoverageRequest, field: &str| {
        let err = e.coverage(&r).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{err}");
        assert!(
            matches!(&err, metiers::Error::InvalidInput { field: f, .. } if f == field),
            "{err:?}"
        );
    };
    bad(
        CoverageRequest {
            radii_km: vec![0.0],
            ..Default::default()
        },
        "radii_km[0]",
    );
    bad(
        CoverageRequest {
            radii_km: vec![15.0, -3.0],
            ..Default::default()
        },
        "radii_km[1]",
    );
    bad(
        CoverageRequest {
            radii_km: vec![f64::NAN],
            ..Default::default()
        },
        "radii_km[0]",
    );
    bad(
        CoverageRequest {
            radii_km: vec![],
            ..Default::default()
        },
        "radii_km",
    );
    bad(
        CoverageRequest {
            sectors: vec!["H".into(), "Z".into()],
            ..Default::default()
        },
        "sectors[1]",
    );
    bad(
        CoverageRequest {
            sectors: vec!["H29".into()],
            ..Default::default()
        },
        "sectors[0]",
    );
    bad(
        CoverageRequest {
            origins: OriginKind::Points,
            points: vec![
                OriginPoint {
                    id: "a".into(),
                    name: None,
                    lat: 49.0,
                    lon: 0.0,
                    weight: None,
                },
                OriginPoint {
                    id: "b".into(),
                    name: None,
                    lat: 0.0,
                    lon: f64::INFINITY,
                    weight: None,
                },
            ],
            ..Default::default()
        },
        "points[1].lon",
    );
    bad(
        CoverageRequest {
            origins: OriginKind::Points,
            ..Default::default()
        },
        "points",
    );
    bad(
        CoverageRequest {
            origins: OriginKind::Points,
            points: vec![OriginPoint {
                id: "x".repeat(100_000),
                name: None,
                lat: 49.0,
                lon: 0.0,
                weight: None,
            }],
            ..Default::default()
        },
        "points[0].id",
    );
}

#[test]
fn a_coverage_too_large_to_hold_is_refused_before_it_is_counted() {
    let request = CoverageRequest {
        radii_km: (1..=8).map(f64::from).collect(),
        level: SectorLevel::Domaine,
        by_kind: true,
        by_holiday: true,
        ..Default::default()
    };
    let err = engine().coverage(&request).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("at most 5000000 rows"), "{err}");
}

#[test]
fn bad_schools_bands_and_cells_are_coded_errors() {
    let e = engine();
    // A school without a position, in the JSON a binding sends.
    let err = CoverageRequest::from_value(Some(serde_json::json!({
        "origins": "schools",
        "schools": [{"uai": "0140025B", "kind": "college", "lat": 49.1, "lon": -0.3}, {"uai": "0140026C", "kind": "college"}]
    })))
    .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("schools[1]"), "{err}");
    let err = e
        .supply_demand(&DemandRequest {
            ips_bands: vec![100.0, 90.0],
            ..Default::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("ips_bands[1]"), "{err}");
    let err = e
        .white_zones(&WhiteZoneRequest {
            cell_km: 0.25,
            level: SectorLevel::Domaine,
            radii_km: (1..=8).map(f64::from).collect(),
            ..Default::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("cell counts"), "{err}");
    let err = e
        .white_zones(&WhiteZoneRequest {
            cell_km: 0.0,
            ..Default::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("cell_km"), "{err}");
}

#[test]
fn h3_cells_cover_normandy_and_agree_with_the_white_zone_surface() {
    let e = engine();
    let request = CoverageRequest {
        origins: OriginKind::H3,
        h3_resolution: Some(7),
        sectors: vec!["H".into()],
        radii_km: vec![10.0],
        ..Default::default()
    };
    let c = e.coverage(&request).unwrap();
    // About 30,000 km² in cells of about 5.16 km².
    assert!(
        (5_400..6_400).contains(&c.places.len()),
        "{}",
        c.places.len()
    );
    assert!(c
        .places
        .iter()
        .all(|p| p.id.len() == 15 && p.id.starts_with("87")));
    assert!(c.places.iter().any(|p| p.name == "Caen"));
    let stages = stages_of(e, "H");
    for row in c.rows.iter().step_by(53) {
        let (lat, lon) = at(&c, &row.origin);
        let near = stages
            .iter()
            .filter(|s| distance_km((lat, lon), (s.0, s.1)) <= 10.0)
            .count();
        assert_eq!(row.stages as usize, near);
    }
    let white = c.rows.iter().filter(|r| r.is_white()).count() as f64 / c.rows.len() as f64;
    let zone = e
        .white_zones(&WhiteZoneRequest {
            sectors: vec!["H".into()],
            radii_km: vec![10.0],
            contours: false,
            ..Default::default()
        })
        .unwrap();
    assert!(
        (white - zone.zones[0].share).abs() < 0.02,
        "{white} vs {}",
        zone.zones[0].share
    );
    for bad in [3, 9] {
        let err = e
            .coverage(&CoverageRequest {
                h3_resolution: Some(bad),
                ..request.clone()
            })
            .unwrap_err();
        assert!(err.to_string().contains("h3_resolution"), "{err}");
    }
    let err = e
        .coverage(&CoverageRequest {
            h3_resolution: Some(7),
            ..Default::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("goes with origins"), "{err}");
}
