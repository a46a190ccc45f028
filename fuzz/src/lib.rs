//! What the fuzz targets share: engines built once per process, and the rule every target
//! checks: an entry point returns a value or a coded error, and never panics (libFuzzer
//! reports a panic as a crash).

// Panicking is how a fuzz target reports a broken promise.
#![allow(clippy::missing_panics_doc)]

use metiers::{Engine, Error};
use std::sync::OnceLock;

/// The embedded Normandy engine with its sample catalogue, built once.
pub fn normandy() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::normandy().expect("the embedded engine builds"))
}

/// An engine on the Normandy geography with an empty catalogue, built once.
pub fn empty() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::empty(metiers::Region::Normandy).expect("the embedded engine builds")
    })
}

/// Every error the library returns has one of its documented codes.
pub fn coded(e: &Error) {
    assert!(
        matches!(
            e.code(),
            "invalid_input" | "ambiguous_place" | "not_found" | "data_error" | "conflict"
        ),
        "unexpected error code {} for {e}",
        e.code()
    );
}

/// Checks a result: a value, or a coded error.
pub fn check<T>(r: Result<T, Error>) -> Option<T> {
    r.map_err(|e| coded(&e)).ok()
}
