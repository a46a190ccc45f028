//! The job-title search as you type: any text, any limit.
#![no_main]
use libfuzzer_sys::fuzz_target;
use metiers_fuzz::{check, normandy};

fuzz_target!(|data: &[u8]| {
    // The limit: one byte (the usual sizes), or eight after a 0xFF byte (any size, 2^53 and
    // usize::MAX included).
    let (limit, rest) = match data.split_first() {
        Some((&0xFF, rest)) if rest.len() >= 8 => {
            let (bytes, rest) = rest.split_at(8);
            let mut word = [0_u8; 8];
            word.copy_from_slice(bytes);
            (
                usize::try_from(u64::from_le_bytes(word)).unwrap_or(usize::MAX),
                rest,
            )
        }
        Some((&limit, rest)) => (usize::from(limit), rest),
        None => return,
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if let Some(hits) = check(normandy().search_metiers(text, limit)) {
        assert!(hits.len() <= limit);
    }
});
