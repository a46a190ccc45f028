//! Input types read from JSON values, with errors that name the field path and the value as
//! given, in plain words (a number, a list, an object; never a Rust type).

use super::{bounded, Error, Result};

/// Builds any input type (a query, a company…) from a JSON value, as every binding receives
/// them; a problem is `invalid_input` naming the field path (`weights.interest`).
///
/// ```
/// let err = metiers::error::from_value::<metiers::Query>(serde_json::json!({"radius_km": "far"}), "query")
///     .unwrap_err();
/// assert_eq!(err.code(), "invalid_input");
/// assert!(err.to_string().contains("radius_km"));
/// assert!(matches!(err, metiers::Error::InvalidInput { ref field, .. } if field == "radius_km"));
/// ```
// Taken by value: the bindings hand over the value they have just converted.
#[allow(clippy::needless_pass_by_value)]
pub fn from_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    what: &str,
) -> Result<T> {
    serde_path_to_error::deserialize(super::ObjectsOnly(&value)).map_err(|e| {
        let shown = value_at(&value, e.path())
            .map(shown_value)
            .unwrap_or_default();
        let mut err = at_path(e, what);
        if let Error::InvalidInput { value, .. } = &mut err {
            *value = shown;
        }
        err
    })
}

/// The value at a serde path inside a JSON value.
fn value_at<'v>(
    root: &'v serde_json::Value,
    path: &serde_path_to_error::Path,
) -> Option<&'v serde_json::Value> {
    use serde_path_to_error::Segment;
    let mut v = root;
    for seg in path {
        v = match seg {
            Segment::Seq { index } => v.get(*index)?,
            Segment::Map { key } => v.get(key)?,
            Segment::Enum { .. } | Segment::Unknown => return Some(v),
        };
    }
    Some(v)
}

/// A value as messages quote it: a string as is, anything else as compact JSON, bounded.
pub(crate) fn shown_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => bounded(s),
        other => bounded(&other.to_string()),
    }
}

/// A deserialisation error as `invalid_input` naming the field by its path inside the value
/// (`radius_km`, `dates`, `weights.distance`), or `what` when the value as a whole is wrong.
pub(crate) fn at_path<E: std::fmt::Display>(e: serde_path_to_error::Error<E>, what: &str) -> Error {
    let path = e.path().to_string();
    let field = if path == "." { what.to_string() } else { path };
    Error::invalid(field, "", plain_words(&e.into_inner().to_string()))
}

/// serde's words for types in the library's own (`expected f64` → `expected a number`), so a
/// message speaks of numbers, whole numbers, lists and objects, not of Rust types.
pub(crate) fn plain_words(message: &str) -> String {
    const WORDS: [(&str, &str); 14] = [
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        ("expected usize", "expected a whole number (0 or more)"),
        ("expected u64", "expected a whole number (0 or more)"),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected u16", "expected a whole number from 0 to 65535"),
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected i64", "expected a whole number"),
        ("expected a sequence", "expected a list"),
        ("expected a map", "expected an object"),
        ("expected a string", "expected a text"),
        ("floating point", "number"),
        ("invalid type: map", "invalid type: object"),
        ("invalid type: sequence", "invalid type: list"),
    ];
    // What serde quotes between backticks is the caller's value (`unknown variant `…``): bounded
    // as every value a message quotes is.
    let mut out = String::with_capacity(message.len().min(1024));
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        out.push_str(&if i % 2 == 1 {
            bounded(part)
        } else {
            part.to_string()
        });
    }
    for (from, to) in WORDS {
        out = out.replace(from, to);
    }
    // `expected struct Query` and the like: an object.
    if let Some(i) = out.find("expected struct ") {
        out.truncate(i);
        out.push_str("expected an object");
    }
    out
}
