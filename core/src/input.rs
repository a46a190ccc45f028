//! What a caller passes from another language, read into a JSON value the library trusts:
//! nested at most [`MAX_DEPTH`] levels, numbers finite, integers within 64 bits. Every binding
//! reads its arguments through here (or, for Python, applies the same rules while converting),
//! so hostile input gets the same coded error in Rust, Python, Node and WebAssembly.
//!
//! ```
//! use metiers::input::{read, Numbers};
//! let deep = (0..100).fold(serde_json::json!(1), |v, _| serde_json::json!([v]));
//! let err = read(deep, "query", Numbers::default()).unwrap_err();
//! assert_eq!(err.code(), "invalid_input");
//! ```

use crate::error::{bounded, Error, Result};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::RefCell;
use std::fmt;

/// The largest whole number a JavaScript number holds safely, `Number.MAX_SAFE_INTEGER`
/// (2^53 − 1): 2^53 itself is also what 2^53 + 1 rounds to.
const SAFE_WHOLE: u64 = (1 << 53) - 1;
/// The same bound as a double (exact: it has 53 bits).
#[allow(clippy::cast_precision_loss)]
const SAFE: f64 = SAFE_WHOLE as f64;

/// Deepest nesting accepted in a query, a catalogue item or a batch (a query is 3 levels deep).
pub const MAX_DEPTH: usize = 32;

/// Most items a list may hold (pupils, points, schools, a query's interests): ten times the
/// 3e pupils of France. A JavaScript array can claim 2^32 − 1 items while holding none, and
/// Node read them one by one until an allocation failed and took the process down.
pub const MAX_ITEMS: usize = 10_000_000;

/// The error for a list of more than [`MAX_ITEMS`] items (`len` of them, when known).
pub fn too_long(path: &str, len: Option<usize>) -> Error {
    let shown = len.map_or_else(
        || format!("more than {MAX_ITEMS} items"),
        |n| format!("{n} items"),
    );
    Error::invalid(path, shown, format!("a list of at most {MAX_ITEMS} items"))
}

/// How a language's numbers map to the library's.
#[derive(Debug, Clone, Copy, Default)]
pub struct Numbers {
    /// JavaScript has only doubles: `3.0` is the integer 3 there (a `Date.now()` seed, a count),
    /// and a whole number beyond 2^53 − 1 (`Number.MAX_SAFE_INTEGER`; a `BigInt`) is refused: no
    /// JavaScript number gives it back. Python and Rust keep `3.0` a float, refused where a
    /// whole number is expected, and take integers up to 64 bits.
    pub integral_floats_are_integers: bool,
}

impl Numbers {
    /// JavaScript's numbers (Node and the browser).
    pub const JS: Numbers = Numbers {
        integral_floats_are_integers: true,
    };
}

/// The field an error names, from the argument (`what`) and the path inside it: the argument
/// itself for the value as a whole, the argument and the path when the value is a list
/// (`pupils[1].weeks`), the path alone inside an object (`radius_km` of a query).
///
/// ```
/// use metiers::input::field_name;
/// assert_eq!(field_name("query", ""), "query");
/// assert_eq!(field_name("pupils", "[1].weeks"), "pupils[1].weeks");
/// assert_eq!(field_name("query", "near.lat"), "near.lat");
/// ```
pub fn field_name<'a>(what: &'a str, inner: &'a str) -> std::borrow::Cow<'a, str> {
    if inner.is_empty() {
        what.into()
    } else if inner.starts_with('[') {
        format!("{what}{inner}").into()
    } else {
        inner.into()
    }
}

/// The error for a value nested deeper than [`MAX_DEPTH`].
pub fn too_deep(path: &str) -> Error {
    Error::invalid(
        path,
        "",
        format!(
            "nested more than {MAX_DEPTH} levels deep: a query or an item is a few levels deep"
        ),
    )
}

/// The error for NaN or an infinity.
pub fn not_finite(path: &str, x: f64) -> Error {
    Error::invalid(
        path,
        x.to_string(),
        "not a finite number (NaN and infinities are refused)",
    )
}

/// The error for an integer beyond 64 bits.
pub fn too_big(path: &str, shown: &str) -> Error {
    Error::invalid(path, bounded(shown), "an integer beyond 64 bits")
}

/// A whole number from a checked value (a count, a limit), in the range of `T`.
///
/// ```
/// use serde_json::json;
/// assert_eq!(metiers::input::whole::<u32>(&json!(3), "count").unwrap(), 3);
/// for bad in [json!(1.5), json!(-1), json!(4294967296u64), json!("3")] {
///     assert_eq!(metiers::input::whole::<u32>(&bad, "count").unwrap_err().code(), "invalid_input");
/// }
/// let e = metiers::input::whole::<u32>(&json!("deux"), "limit").unwrap_err();
/// assert_eq!(e.info().value.as_deref(), Some("deux"));
/// // A whole number too large for the field says so, even beyond 64 bits.
/// for big in [json!(4294967296u64), json!(1e20)] {
///     let e = metiers::input::whole::<u32>(&big, "limit").unwrap_err();
///     assert!(e.to_string().contains("too big"), "{e}");
/// }
/// assert!(!metiers::input::whole::<u32>(&json!(2.0), "limit").unwrap_err().to_string().contains("too big"));
/// ```
pub fn whole<T: TryFrom<u64>>(value: &Value, field: &str) -> Result<T> {
    // Quoted as the query's fields are: the text `deux`, not the JSON `"deux"`.
    let shown = || crate::error::shown_value(value);
    let too_big = || Error::invalid(field, shown(), "this number is too big here");
    let Some(n) = value.as_u64() else {
        // A whole number beyond 64 bits reaches here as a float (1e20); 2^64 is the first.
        return Err(match value.as_f64() {
            Some(x) if x >= 18_446_744_073_709_551_616.0 => too_big(),
            _ => Error::invalid(field, shown(), "expected a whole number, 0 or more"),
        });
    };
    T::try_from(n).map_err(|_| too_big())
}

/// A size asked for (how many results at most): a whole number of up to 64 bits, as the
/// platform's `usize`. One beyond it (past 2^32 in the browser's 32-bit build) asks for more than
/// any list holds, as `usize::MAX` does, so every build gives the same answer.
///
/// ```
/// use serde_json::json;
/// assert_eq!(metiers::input::size(&json!(5), "limit").unwrap(), 5);
/// assert_eq!(metiers::input::size(&json!(9007199254740992_u64), "limit").unwrap() as u64, 9007199254740992_u64.min(usize::MAX as u64));
/// assert_eq!(metiers::input::size(&json!(-1), "limit").unwrap_err().code(), "invalid_input");
/// ```
pub fn size(value: &Value, field: &str) -> Result<usize> {
    whole::<u64>(value, field).map(|n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// Why the JS packages refuse a `Date` where data goes: `JSON.stringify` would write its moment
/// in UTC, and which day that is depends on a time zone (Python refuses a `datetime` alike).
pub const JS_DATE: &str =
    "a Date, a moment whose day depends on a time zone: give the day as \"YYYY-MM-DD\"";

/// Why the JS packages refuse an iterable object that is not a `Map` nor an array (a `Set`,
/// `URLSearchParams`, `FormData`, a generator): read as `JSON.stringify` reads an object, it
/// has no properties, and a query of none asks for every stage.
pub const JS_ITERABLE: &str = "an iterable object (a Set, URLSearchParams…), which is neither an object nor a list here: give a plain object, a Map or an array";

/// Reads any serde input (a binding's deserializer, or a JSON value) into a checked JSON
/// value. Errors name the path inside the value (`weights.interest`, `metiers[2]`), or `what`
/// for the value as a whole.
pub fn read<'de, D: Deserializer<'de>>(input: D, what: &str, numbers: Numbers) -> Result<Value> {
    let failure = RefCell::new(None);
    let seed = Node {
        depth: 0,
        path: String::new(),
        numbers,
        failure: &failure,
        what,
    };
    match seed.deserialize(input) {
        Ok(v) => Ok(v),
        Err(e) => Err(failure.into_inner().unwrap_or_else(|| {
            Error::invalid(what, "", crate::error::plain_words(&e.to_string()))
        })),
    }
}

/// A value that reads itself through [`read`] with JavaScript's numbers, for a binding whose
/// conversion is a serde `Deserialize` target (the Node package's `FromNapiValue`). Never fails
/// on the library's own checks; [`JsInput::into_value`] returns them.
pub struct JsInput(Result<Value>);

impl JsInput {
    /// The checked value, or the error naming `what` when the value as a whole is wrong.
    pub fn into_value(self, what: &str) -> Result<Value> {
        self.0.map_err(|e| match e {
            Error::InvalidInput {
                field,
                value,
                reason,
            } => Error::InvalidInput {
                field: field_name(what, &field).into_owned(),
                value,
                reason,
            },
            other => other,
        })
    }
}

impl<'de> de::Deserialize<'de> for JsInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<JsInput, D::Error> {
        Ok(JsInput(read(d, "", Numbers::JS)))
    }
}

struct Node<'a> {
    depth: usize,
    path: String,
    numbers: Numbers,
    failure: &'a RefCell<Option<Error>>,
    what: &'a str,
}

impl Node<'_> {
    fn child(&self, step: &str, index: bool) -> Node<'_> {
        let path = match (self.path.is_empty(), index) {
            (_, true) => format!("{}[{step}]", self.path),
            (true, false) => step.to_string(),
            (false, false) => format!("{}.{step}", self.path),
        };
        Node {
            depth: self.depth.saturating_add(1),
            path,
            numbers: self.numbers,
            failure: self.failure,
            what: self.what,
        }
    }

    fn field(&self) -> std::borrow::Cow<'_, str> {
        field_name(self.what, &self.path)
    }

    /// Records the library error and stops the reading.
    fn fail<E: de::Error>(&self, e: Error) -> E {
        let message = e.to_string();
        self.failure.borrow_mut().get_or_insert(e);
        E::custom(message)
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        if self.depth > MAX_DEPTH {
            return Err(self.fail(too_deep(&self.field())));
        }
        d.deserialize_any(&self).inspect_err(|e| {
            // The deserializer's own error (a value it cannot read: a JS Symbol, a BigInt
            // beyond 64 bits in the browser) names the innermost field being read.
            self.failure.borrow_mut().get_or_insert_with(|| {
                let reason = crate::error::plain_words(&e.to_string());
                Error::invalid(self.field(), "", reason)
            });
        })
    }
}

impl<'de> Visitor<'de> for &Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-like value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Value, E> {
        self.visit_i128(i128::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Value, E> {
        self.visit_i128(i128::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> std::result::Result<Value, E> {
        // In JavaScript a whole number is safe up to 2^53 − 1 only: one beyond it (a BigInt, or
        // what a deserializer that converts doubles with `as i64` makes of ±1e19) could not
        // come back in a result as the number given (an offset, a seed), so it is refused.
        if self.numbers.integral_floats_are_integers && v.unsigned_abs() > u128::from(SAFE_WHOLE) {
            return Err(self.fail(Error::invalid(
                self.field(),
                bounded(&v.to_string()),
                "beyond 2^53 − 1 (Number.MAX_SAFE_INTEGER), the largest whole number a JavaScript number holds safely",
            )));
        }
        match i64::try_from(v) {
            Ok(x) => Ok(Value::Number(x.into())),
            Err(_) => match u64::try_from(v) {
                Ok(x) => Ok(Value::Number(x.into())),
                Err(_) => Err(self.fail(too_big(&self.field(), &v.to_string()))),
            },
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> std::result::Result<Value, E> {
        match i128::try_from(v) {
            Ok(x) => self.visit_i128(x),
            Err(_) => Err(self.fail(too_big(&self.field(), &v.to_string()))),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Value, E> {
        if !v.is_finite() {
            return Err(self.fail(not_finite(&self.field(), v)));
        }
        // In a language whose numbers are doubles, an integral one is an integer.
        if self.numbers.integral_floats_are_integers && v.fract() == 0.0 && v.abs() <= SAFE {
            #[allow(clippy::cast_possible_truncation)] // integral and within 2^53: exact
            return Ok(Value::Number(Number::from(v as i64)));
        }
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| self.fail(not_finite(&self.field(), v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> std::result::Result<Value, E> {
        Err(self.fail(Error::invalid(
            self.field(),
            "<bytes>",
            "bytes where text or a number was expected",
        )))
    }

    fn visit_none<E: de::Error>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        // Refused before it is read when its length is known (a JS array's is), and counted
        // while it is read when it is not.
        if let Some(n) = seq.size_hint().filter(|&n| n > MAX_ITEMS) {
            return Err(self.fail(too_long(&self.field(), Some(n))));
        }
        let mut out = Vec::new();
        loop {
            let child = self.child(&out.len().to_string(), true);
            match seq.next_element_seed(child)? {
                Some(_) if out.len() == MAX_ITEMS => {
                    return Err(self.fail(too_long(&self.field(), None)));
                }
                Some(v) => out.push(v),
                None => return Ok(Value::Array(out)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let child = self.child(&bounded(&key), false);
            let value = map.next_value_seed(child)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// Decodes a postcard value that fills `bytes` exactly. `postcard::from_bytes` stops at the end
/// of the value and ignores what follows, so a data file with bytes appended (two files
/// concatenated, a copy gone wrong) would load as if whole; here the bytes left over are the
/// error.
pub(crate) fn postcard_exact<'a, T: serde::Deserialize<'a>>(
    bytes: &'a [u8],
) -> std::result::Result<T, String> {
    match postcard::take_from_bytes(bytes) {
        Ok((value, [])) => Ok(value),
        Ok((_, rest)) => Err(format!("{} bytes after the end of the data", rest.len())),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Value> {
        read(
            &mut serde_json::Deserializer::from_str(text),
            "query",
            Numbers::JS,
        )
    }

    #[test]
    fn a_deserializer_error_names_the_innermost_field() {
        // A value the deserializer itself cannot read (here broken JSON; in the browser a
        // Symbol or a BigInt beyond 64 bits) is named by its path, as the library's own checks are.
        for (text, field) in [
            (r#"{"near": {"lat": tru}}"#, "near.lat"),
            (r#"{"interests": [1, x]}"#, "interests[1]"),
            (r"[nul]", "query[0]"),
            (r"nope", "query"),
        ] {
            let err = read_text(text).unwrap_err();
            assert_eq!(err.code(), "invalid_input", "{text}");
            assert_eq!(err.info().field.as_deref(), Some(field), "{text}");
        }
    }

    #[test]
    fn a_list_claiming_more_items_than_allowed_is_refused_before_it_is_read() {
        use serde::de::value::{Error as ValueError, SeqDeserializer};
        // Four billion items, none of them read: the length is known, the answer is immediate.
        let claimed = SeqDeserializer::<_, ValueError>::new((0..u32::MAX).map(|_| ()));
        let err = read(claimed, "interests", Numbers::JS).unwrap_err();
        assert_eq!(err.info().field.as_deref(), Some("interests"));
        assert!(err.to_string().contains("4294967295 items"), "{err}");
        let few = SeqDeserializer::<_, ValueError>::new((0..3).map(|_| ()));
        assert_eq!(
            read(few, "interests", Numbers::JS).unwrap(),
            serde_json::json!([null, null, null])
        );
    }

    #[test]
    fn the_innermost_error_is_the_one_reported() {
        let err = read_text(r#"{"radius_km": 1e999}"#).unwrap_err();
        assert_eq!(err.info().field.as_deref(), Some("radius_km"));
        let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
        let err = read_text(&deep).unwrap_err();
        assert!(err.to_string().contains("nested more than"), "{err}");
    }

    #[test]
    fn whole_doubles_within_2_pow_53_are_integers_in_js() {
        let v = read_text(r#"{"a": 3.0, "b": 1e-20, "d": 1e19}"#).unwrap();
        assert_eq!(v["a"], Value::from(3));
        assert_eq!(v["b"].as_f64(), Some(1e-20));
        // The doubles themselves (serde_json's text reader rounds the last digit of these).
        let edges =
            serde_json::json!({"c": 9_007_199_254_740_991.0_f64, "e": 9_007_199_254_740_992.0_f64});
        let edges = read(edges, "query", Numbers::JS).unwrap();
        assert_eq!(edges["c"], Value::from(9_007_199_254_740_991_i64));
        // 2^53 is also what 2^53 + 1 rounds to: a number, not a whole one.
        assert!(edges["e"].as_u64().is_none());
        // As a whole number (a BigInt) it is refused, naming the field.
        let big = read(
            serde_json::json!({"offset": 1_u64 << 53}),
            "query",
            Numbers::JS,
        );
        assert_eq!(big.unwrap_err().info().field.as_deref(), Some("offset"));
        assert!(read(
            serde_json::json!({"offset": 1_u64 << 53}),
            "query",
            Numbers::default()
        )
        .is_ok());
        assert_eq!(v["d"].as_f64(), Some(1e19));
        assert!(v["d"].as_u64().is_none());
    }
}
