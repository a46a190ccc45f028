//! The declarations of a `PlaceRef` (feature `schema`): its custom serde form described as the
//! shape callers write, for ts-rs and schemars.

use std::borrow::Cow;

/// A place as a caller writes it: free text as people type it (a commune, an INSEE or
/// postal code, a département, `"lat, lon"`), or exactly one typed key. Text that could
/// mean several places is an `ambiguous_place` error listing the candidates.
#[derive(ts_rs::TS, schemars::JsonSchema)]
#[serde(untagged)]
#[ts(rename = "PlaceRef")]
#[schemars(rename = "PlaceRef")]
#[allow(dead_code)] // a shape for declarations, never built
enum PlaceRef {
    /// Free text: `"Caen"`, `"Le Havre"`, `"76540"`, `"14400"`, `"Orne"`, `"49.18, -0.37"`.
    Text(String),
    /// A commune, an arrondissement or a former commune by INSEE code (`"14118"`).
    Insee {
        /// The INSEE code, as a string (`"01053"`).
        insee: String,
    },
    /// The communes served by a postal code (one, or a choice).
    PostalCode {
        /// The postal code, as a string (`"14400"`).
        postal_code: String,
    },
    /// A département, by code (`"61"`, `"2A"`) or name (`"Orne"`): a filter, not a point.
    Departement {
        /// The code or the name.
        departement: String,
    },
    /// A point (WGS84).
    Point {
        /// Latitude, -90 to 90.
        lat: f64,
        /// Longitude, -180 to 180.
        lon: f64,
    },
}

impl ts_rs::TS for super::PlaceRef {
    type WithoutGenerics = super::PlaceRef;
    type OptionInnerType = super::PlaceRef;
    fn name(cfg: &ts_rs::Config) -> String {
        PlaceRef::name(cfg)
    }
    fn inline(cfg: &ts_rs::Config) -> String {
        PlaceRef::name(cfg)
    }
    fn docs() -> Option<String> {
        PlaceRef::docs()
    }
    fn decl(cfg: &ts_rs::Config) -> String {
        PlaceRef::decl(cfg)
    }
    fn decl_concrete(cfg: &ts_rs::Config) -> String {
        PlaceRef::decl_concrete(cfg)
    }
}

impl schemars::JsonSchema for super::PlaceRef {
    fn schema_name() -> Cow<'static, str> {
        PlaceRef::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        PlaceRef::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        PlaceRef::json_schema(generator)
    }
}
