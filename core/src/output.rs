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
    written(value, WideFloats { ascii: false })
}

/// [`json_text`] with every character beyond ASCII written as a `\uXXXX` escape (two, a
/// surrogate pair, beyond the Basic Multilingual Plane): the same value once parsed, in a text
/// of one byte a character. The Node binding hands results over so: V8 makes a string of ASCII
/// by copying it, where a page of 20 stages in UTF-8 with its accents took 23 µs to decode into
/// a two-byte string, which `JSON.parse` then read in 89 µs instead of 78.
///
/// ```
/// let text = metiers::output::json_ascii(&("Évreux", "cœur", "’", "🎓")).unwrap();
/// assert_eq!(text, r#"["\u00c9vreux","c\u0153ur","\u2019","\ud83c\udf93"]"#);
/// ```
pub fn json_ascii<T: ?Sized + Serialize>(value: &T) -> Result<String> {
    written(value, WideFloats { ascii: true })
}

fn written<T: ?Sized + Serialize>(value: &T, formatter: WideFloats) -> Result<String> {
    let mut text = Vec::with_capacity(4096);
    value
        .serialize(&mut serde_json::Serializer::with_formatter(
            &mut text, formatter,
        ))
        .map_err(|e| Error::Internal(e.to_string()))?;
    String::from_utf8(text).map_err(|e| Error::Internal(e.to_string()))
}

/// The digits of a `\uXXXX` escape.
const HEX: &[u8; 16] = b"0123456789abcdef";

/// `serde_json`'s compact output, an `f32` written as the `f64` it widens to; with `ascii`,
/// characters beyond ASCII escaped.
struct WideFloats {
    ascii: bool,
}

impl serde_json::ser::Formatter for WideFloats {
    fn write_f32<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        value: f32,
    ) -> std::io::Result<()> {
        self.write_f64(writer, f64::from(value))
    }

    /// A run of a string's characters that JSON needs no escape for (`serde_json` escapes quotes,
    /// backslashes and control characters itself).
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if !self.ascii || fragment.is_ascii() {
            return writer.write_all(fragment.as_bytes());
        }
        let (mut units, mut utf8) = ([0u16; 2], [0u8; 4]);
        for c in fragment.chars() {
            if c.is_ascii() {
                writer.write_all(c.encode_utf8(&mut utf8).as_bytes())?;
                continue;
            }
            for &unit in c.encode_utf16(&mut units).iter() {
                // A nibble is below 16: every digit is there.
                let digit = |shift: u16| {
                    HEX.get(usize::from((unit >> shift) & 0xf))
                        .copied()
                        .unwrap_or(b'0')
                };
                writer.write_all(&[b'\\', b'u', digit(12), digit(8), digit(4), digit(0)])?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text, escaped or not, parses back to itself; escaped, it is ASCII.
        #[test]
        fn ascii_text_is_the_same_value(s in any::<String>(), f in any::<f32>(), g in any::<f64>()) {
            let value = (s.as_str(), vec![s.clone(), "é".into()], f, g);
            let plain = json_text(&value).unwrap();
            let ascii = json_ascii(&value).unwrap();
            prop_assert!(ascii.is_ascii());
            let back: serde_json::Value = serde_json::from_str(&ascii).unwrap();
            let expected: serde_json::Value = serde_json::from_str(&plain).unwrap();
            prop_assert_eq!(back, expected);
            if s.is_ascii() {
                prop_assert_eq!(json_ascii(&s).unwrap(), json_text(&s).unwrap());
            }
        }
    }
}
