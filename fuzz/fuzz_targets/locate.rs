//! Places as people type them, on the Normandy and the France geographies: `locate` lists,
//! `resolve` decides or offers a choice, and the two agree.
#![no_main]
use libfuzzer_sys::fuzz_target;
use metiers::{Geography, PlaceRef};
use metiers_fuzz::check;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for geo in [Geography::normandy(), Geography::france()] {
        let geo = geo.expect("embedded geography");
        let listed = check(geo.locate(text));
        match geo.resolve(&PlaceRef::from(text)) {
            Ok(place) => {
                let listed = listed.expect("a resolved place is listed");
                assert_eq!(listed.first().map(|p| &p.code), Some(&place.code));
            }
            Err(metiers::Error::AmbiguousPlace {
                candidates, total, ..
            }) => {
                assert!(!candidates.is_empty() && total >= candidates.len());
            }
            Err(e) => metiers_fuzz::coded(&e),
        }
        for key in [
            PlaceRef::insee(text),
            PlaceRef::postal_code(text),
            PlaceRef::departement(text),
        ] {
            let _ = check(geo.resolve(&key));
        }
    }
});
