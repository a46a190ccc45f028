//! `Engine::restore` on bytes a caller gives (a pickle, a cache file): a snapshot of the sample
//! engine, mutated. What restores must be a usable engine; anything else a coded error.
#![no_main]
use libfuzzer_sys::fuzz_target;
use metiers::{Engine, Query};
use metiers_fuzz::check;

fuzz_target!(|data: &[u8]| {
    // Without the header nothing is read further: the fuzzer starts from real snapshots
    // (fuzz/corpus/restore) and mutates their body.
    if let Some(e) = check(Engine::restore(data)) {
        let _ = check(e.search_stages(&Query::near("Caen").radius(20.0)));
        let _ = check(e.locate("Flers"));
        let _ = e.export_json();
        let _ = check(e.snapshot());
    }
});
