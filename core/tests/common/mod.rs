//! Helpers shared by the integration tests (a module, not a test target of its own).

use metiers::{Engine, Entity, LoadMode, LoadReport, Region};

/// A CSV file of companies loaded strictly into an empty Normandy engine.
pub fn companies_csv(file: &str) -> metiers::Result<LoadReport> {
    Engine::empty(Region::Normandy).unwrap().load_csv(
        Entity::Companies,
        "c.csv",
        file.as_bytes(),
        LoadMode::Strict,
    )
}
