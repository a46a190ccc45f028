//! Territory analytics on arbitrary requests (radii including NaN, zero, negative and huge;
//! unknown sectors; points off the Earth; duplicate ids; every origin kind and split) over the
//! test catalogue: a coverage or a coded error, never a panic; a coverage has one row per
//! origin × radius × sector × facet, and a row has stages exactly when its nearest stage lies
//! within its radius.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use metiers::analytics::{CoverageRequest, DemandRequest, OriginKind, OriginPoint, SectorLevel};
use metiers::{Engine, LoadMode};
use metiers_fuzz::check;
use std::sync::OnceLock;

#[derive(Arbitrary, Debug)]
struct Input {
    origins: u8,
    points: Vec<(u8, f64, f64)>,
    radii: Vec<f64>,
    sectors: Vec<u8>,
    domaine: bool,
    by_kind: bool,
    by_holiday: bool,
    weeks: u8,
}

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let mut e = Engine::empty(metiers::Region::Normandy).expect("engine");
        let doc = include_bytes!("../../tests/fixtures/assign/catalog.json");
        e.load_json("catalog.json", doc, LoadMode::Strict)
            .expect("the fixture loads");
        e
    })
}

const SECTORS: [&str; 6] = ["H", "J", "N", "H29", "Z", ""];
const WEEKS: [&str; 3] = ["2027-W03", "2027-W53", "W3"];

fuzz_target!(|input: Input| {
    let e = engine();
    let points: Vec<OriginPoint> = input
        .points
        .iter()
        .take(30)
        .map(|&(id, lat, lon)| OriginPoint {
            id: format!("p{}", id % 40),
            name: None,
            lat,
            lon,
            weight: Some(u32::from(id)),
        })
        .collect();
    let request = CoverageRequest {
        origins: match input.origins % 3 {
            0 => OriginKind::Communes,
            1 => OriginKind::Schools,
            _ => OriginKind::Points,
        },
        points: if input.origins % 3 == 2 {
            points
        } else {
            Vec::new()
        },
        radii_km: input.radii.iter().take(10).copied().collect(),
        level: if input.domaine {
            SectorLevel::Domaine
        } else {
            SectorLevel::GrandDomaine
        },
        sectors: input
            .sectors
            .iter()
            .take(4)
            .map(|s| SECTORS[usize::from(s % 6)].to_string())
            .collect(),
        by_kind: input.by_kind,
        by_holiday: input.by_holiday,
        ..CoverageRequest::default()
    };
    if let Some(c) = check(e.coverage(&request)) {
        let facets =
            (if request.by_kind { 4 } else { 1 }) * (if request.by_holiday { 6 } else { 1 });
        let want = c.places.len() * request.radii_km.len() * c.sectors.len() * facets;
        assert_eq!(c.rows.len(), want);
        for r in &c.rows {
            assert!(r.places_left >= u64::from(r.stages));
            // The nearest stage is given to the metre.
            match r.nearest_stage_km {
                Some(d) if r.stages > 0 => assert!(d <= r.radius_km + 1e-3, "{r:?}"),
                Some(d) => assert!(d >= r.radius_km - 1e-3, "{r:?}"),
                None => assert!(r.is_white(), "{r:?}"),
            }
        }
    }
    let demand = DemandRequest {
        radius_km: input.radii.first().copied().unwrap_or(15.0),
        weeks: if input.weeks % 4 == 3 {
            Vec::new()
        } else {
            vec![WEEKS[usize::from(input.weeks % 3)].to_string()]
        },
        ..DemandRequest::default()
    };
    if let Some(d) = check(e.supply_demand(&demand)) {
        assert_eq!(
            d.groups
                .iter()
                .filter(|g| g.by == "education_prioritaire")
                .map(|g| g.schools as usize)
                .sum::<usize>(),
            d.schools.len()
        );
    }
});
