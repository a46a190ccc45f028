//! Results as the JSON text the bindings hand out.
//!
//! The Node binding sends a result across as one JSON string that JavaScript's `JSON.parse`
//! makes into objects: half the time napi took to build the same objects from a
//! `serde_json::Value` (a Normandy search from Node, 137-147 -> 67-75 us). The browser module
//! keeps building its objects through wasm-bindgen: there this text was slower (105 against
//! 83 us a search, the module run by Node) and 5 KiB larger. Numbers are the ones every
//! binding gives: a score published
//! as an `f32` is written as the `f64` it widens to (`0.8999999761581421`, what Python, and an
//! object built field by field, get), not as the shortest `f32` text (`0.9`).

use crate::error::{Error, Result};
use serde::Serialize;

/// The JSON text of a value, `f32`s written as the `f64` they widen to.
///
/// ```
/// let text = metiers::output::json_text(&(0.9f32, 0.9f64, "é")).unwrap();
/// assert_eq!(text, r#"[0.8999999761581421,0.9,"é"]"#);
/// ```
pub fn json_text<T: ?Sized + Serialize>(value: &T) -> Result<String> {
    let mut text = Vec::with_capacity(4096);
    value
        .serialize(&mut serde_json::Serializer::with_formatter(
            &mut text, WideFloats,
        ))
        .map_err(|e| Error::Internal(e.to_string()))?;
    String::from_utf8(text).map_err(|e| Error::Internal(e.to_string()))
}

/// `serde_json`'s compact output, an `f32` written as the `f64` it widens to.
struct WideFloats;

impl serde_json::ser::Formatter for WideFloats {
    fn write_f32<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        value: f32,
    ) -> std::io::Result<()> {
        self.write_f64(writer, f64::from(value))
    }
}
