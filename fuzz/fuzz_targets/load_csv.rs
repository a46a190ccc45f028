//! The CSV loader: the first byte picks the entity, the rest is the file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use metiers::{Entity, LoadMode};
use metiers_fuzz::{check, normandy};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, doc)) = data.split_first() else {
        return;
    };
    let entity = [Entity::Companies, Entity::Ambassadors, Entity::Stages][usize::from(pick % 3)];
    let mode = if pick & 0x80 == 0 {
        LoadMode::Lenient
    } else {
        LoadMode::Strict
    };
    let mut e = normandy().clone();
    let _ = check(e.load_csv(entity, "fuzz.csv", doc, mode));
});
