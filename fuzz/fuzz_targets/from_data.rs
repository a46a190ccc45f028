//! `Engine::from_data` and `Engine::load_rome_texts` on bytes a caller gives: the first byte
//! says which file is fuzzed (the communes, the referential or its texts), the others are the
//! embedded ones. What decodes must be usable.
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
    let made = match pick % 3 {
        0 => Engine::from_data(ROME, bytes, metiers::Region::Normandy),
        1 => Engine::from_data(bytes, NORMANDY, metiers::Region::Normandy),
        _ => Engine::from_data(ROME, NORMANDY, metiers::Region::Normandy).and_then(|mut e| {
            e.load_rome_texts(bytes)?;
            Ok(e)
        }),
    };
    if let Some(e) = check(made) {
        let _ = check(e.search_metiers("boulanger", 5));
        for m in e.referential().metiers().iter().step_by(100) {
            let _ = check(e.metier(&m.code));
        }
        let _ = check(e.locate("Caen"));
        let _ = check(e.search_stages(&Query::near("Caen").metier("H2903")));
        for c in e.geography().communes().iter().take(50) {
            let _ = check(e.resolve(c.name.as_str()));
        }
    }
});
