//! `Engine::from_data` on bytes a caller gives: the first byte says which file is fuzzed (the
//! referential or the communes), the other is the embedded one. What decodes must be usable.
#![no_main]
use libfuzzer_sys::fuzz_target;
use metiers::{Engine, Query};
use metiers_fuzz::check;

const ROME: &[u8] = include_bytes!("../../core/data/rome.bin");
const NORMANDY: &[u8] = include_bytes!("../../core/data/normandy.bin");

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let made = if pick & 1 == 0 {
        Engine::from_data(ROME, bytes, metiers::Region::Normandy)
    } else {
        Engine::from_data(bytes, NORMANDY, metiers::Region::Normandy)
    };
    if let Some(e) = check(made) {
        let _ = check(e.search_metiers("boulanger", 5));
        let _ = check(e.locate("Caen"));
        let _ = check(e.search_stages(&Query::near("Caen").metier("H2903")));
        for c in e.geography().communes().iter().take(50) {
            let _ = check(e.resolve(c.name.as_str()));
        }
    }
});
