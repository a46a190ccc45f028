//! The JSON document loader, strict and lenient, on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use metiers::LoadMode;
use metiers_fuzz::{check, empty};

fuzz_target!(|data: &[u8]| {
    for mode in [LoadMode::Strict, LoadMode::Lenient] {
        let mut e = empty().clone();
        if let Some(report) = check(e.load_json("fuzz.json", data, mode)) {
            // What loaded is searchable and exports to a document that loads again.
            let _ = check(e.search_stages(&metiers::Query::default()));
            let mut again = empty().clone();
            check(again.load_json("again.json", e.export_json().as_bytes(), LoadMode::Strict))
                .expect("an export loads back");
            let _ = report;
        }
    }
});
