//! The job-title search as you type: any text, any limit.
#![no_main]
use libfuzzer_sys::fuzz_target;
use metiers_fuzz::{check, normandy};

fuzz_target!(|data: &[u8]| {
    let Some((&limit, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if let Some(hits) = check(normandy().search_metiers(text, usize::from(limit))) {
        assert!(hits.len() <= usize::from(limit));
    }
});
