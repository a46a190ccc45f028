//! Placements of arbitrary pupils (schools, weeks, wishes, places, rules, including NaN shares
//! and points off the Earth) over the test catalogue: a placement or a coded error, never a
//! panic; a placement is stable by the checker and never oversells a stage or a company.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use metiers::{AssignRequest, Engine, LoadMode, Priorities, Pupil};
use metiers_fuzz::check;
use std::sync::OnceLock;

#[derive(Arbitrary, Debug)]
struct Kid {
    school: u8,
    week: u8,
    wishes: Vec<u8>,
    point: Option<(f64, f64)>,
    profile: bool,
}

#[derive(Arbitrary, Debug)]
struct Input {
    kids: Vec<Kid>,
    rep_first: bool,
    share: Option<f64>,
    distance: bool,
    seed: u64,
    suggestions: u8,
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

const SCHOOLS: [&str; 4] = ["0140006F", "0141553M", "0141136J", "0000000A"];
const WEEKS: [&str; 4] = ["2027-W03", "2027-W04", "2027-W53", "W3"];
const STAGES: [&str; 6] = ["s1", "s2", "s3", "s4", "s5", "nope"];

fuzz_target!(|input: Input| {
    let e = engine();
    let pupils: Vec<Pupil> = input
        .kids
        .iter()
        .take(40)
        .enumerate()
        .map(|(i, k)| {
            let mut p: Pupil = serde_json::from_value(serde_json::json!({
                "id": format!("p{}", i % 37),
                "school": SCHOOLS[usize::from(k.school % 4)],
                "weeks": [WEEKS[usize::from(k.week % 4)]],
            }))
            .expect("a pupil");
            p.wishes = k
                .wishes
                .iter()
                .take(8)
                .map(|w| STAGES[usize::from(w % 6)].to_string())
                .collect();
            p.place = k
                .point
                .map(|(lat, lon)| metiers::PlaceRef::Point { lat, lon });
            if k.profile {
                p.wishes.clear();
                p.profile = Some(metiers::Profile::default());
            }
            p
        })
        .collect();
    let request = AssignRequest {
        pupils,
        priorities: Priorities {
            rep_first: input.rep_first,
            rep_min_share: input.share,
            distance: input.distance,
            seed: input.seed,
        },
        schools: Vec::new(),
        suggestions: Some(u64::from(input.suggestions % 25)),
    };
    let Some(placement) = check(e.assign(&request)) else {
        return;
    };
    let verdict = e
        .check_placement(&request, &placement.assignments())
        .expect("the request was read once");
    assert!(verdict.stable, "{:?}", verdict.violations);
    for s in e.catalog().stages() {
        let taken = placement
            .pupils
            .iter()
            .filter(|p| p.stage.as_deref() == Some(&*s.id))
            .count();
        assert!(taken <= s.places_left() as usize, "{} oversold", s.id);
    }
});
