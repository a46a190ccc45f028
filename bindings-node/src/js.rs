//! A JS value read through serde, for `metiers::input`'s checked reader.
//!
//! napi's own deserializer (`Env::from_js_value`) hands a number within `f64::EPSILON` of a
//! whole one to serde as that whole number, so `1e-20` arrived as `0`, and a number beyond
//! 2^63 as `i64::MAX`. This one hands every number over as the double it is: the core's
//! reader ([`metiers::input::Numbers::JS`]) makes the exactly whole ones within 2^53
//! integers, as it does for the browser build. The rest is read as the browser build reads it:
//! `null` and `undefined` are null, arrays are sequences, an object's own enumerable
//! string-keyed properties are a map (those of `Object.keys` and `JSON.stringify`; inherited
//! ones are not the object's data), a `Map` is the map of its entries, `BigInt`s are integers,
//! and binary data (typed arrays, `DataView`s, `ArrayBuffer`s) is bytes.

use napi::bindgen_prelude::{
    BigInt, Function, JsObjectValue, KeyCollectionMode, KeyConversion, KeyFilter, Object, Unknown,
};
use napi::{Env, JsValue, ValueType};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// One JS value.
pub struct Js<'env>(pub Unknown<'env>);

/// Why a value could not be read, in words (napi's own errors prefix their status).
#[derive(Debug)]
pub struct Unreadable(String);

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unreadable {}

impl de::Error for Unreadable {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Unreadable(message.to_string())
    }
}

impl From<napi::Error> for Unreadable {
    fn from(e: napi::Error) -> Self {
        // A getter or a Proxy trap that threw: napi says so by its status alone.
        if e.status == napi::Status::PendingException || e.reason.is_empty() {
            return Unreadable("reading it threw a JavaScript exception".into());
        }
        Unreadable(e.reason)
    }
}

/// A value that could not be read (its getter threw), handed to the reader in its place so
/// that the error names the field being read (`radius_km`, `interests[0]`).
pub struct Broken(pub Unreadable);

impl<'de> Deserializer<'de> for Broken {
    type Error = Unreadable;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Read<V::Value> {
        Err(self.0)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl From<Unreadable> for napi::Error {
    fn from(e: Unreadable) -> Self {
        napi::Error::new(napi::Status::InvalidArg, e.0)
    }
}

type Read<T> = Result<T, Unreadable>;

impl<'de> Deserializer<'de> for Js<'_> {
    type Error = Unreadable;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Read<V::Value> {
        let value = self.0;
        // Each `cast` below follows `get_type`, which is what it requires.
        #[allow(unsafe_code)]
        match value.get_type()? {
            ValueType::Null | ValueType::Undefined => visitor.visit_unit(),
            ValueType::Boolean => visitor.visit_bool(unsafe { value.cast::<bool>() }?),
            ValueType::Number => visitor.visit_f64(unsafe { value.cast::<f64>() }?),
            ValueType::String => visitor.visit_string(unsafe { value.cast::<String>() }?),
            ValueType::BigInt => big_int(&unsafe { value.cast::<BigInt>() }?, visitor),
            ValueType::Object => {
                if value.is_array()? {
                    let list: Object = unsafe { value.cast() }?;
                    let len = list.get_array_length()?;
                    visitor.visit_seq(Elements { list, next: 0, len })
                } else if value.is_date()? {
                    // JSON.stringify would give its moment in UTC: which day that is depends
                    // on a time zone (the browser module words it the same).
                    Err(Unreadable(metiers::input::JS_DATE.into()))
                } else if value.is_typedarray()?
                    || value.is_dataview()?
                    || value.is_arraybuffer()?
                {
                    // Binary data: the reader refuses bytes wherever they stand (naming the
                    // field), whatever they hold, so their content is not copied.
                    visitor.visit_bytes(&[])
                } else {
                    let object: Object = unsafe { value.cast() }?;
                    // A `Map`'s entries are its data (it has no own properties), as in the
                    // browser module. Another iterable (a `Set`, `URLSearchParams`) has no
                    // properties as an object: read as one, a query of none asked for every
                    // stage. (A plain object is asked one question, not two.)
                    if iterable(&object)? {
                        let Some(list) = map_entries(&object)? else {
                            return Err(Unreadable(metiers::input::JS_ITERABLE.into()));
                        };
                        let len = list.get_array_length()?;
                        return visitor.visit_map(Entries { list, next: 0, len });
                    }
                    let names = object.get_all_property_names(
                        KeyCollectionMode::OwnOnly,
                        KeyFilter::Enumerable,
                        KeyConversion::NumbersToStrings,
                    )?;
                    let len = names.get_array_length()?;
                    visitor.visit_map(Properties {
                        object,
                        names,
                        next: 0,
                        len,
                    })
                }
            }
            other => Err(Unreadable(format!(
                "a JS {other:?} where data was expected"
            ))),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// A `BigInt` as the integer it is: within 128 bits exactly (the reader refuses what is beyond
/// 64 bits, naming it); beyond 128 bits as the nearest double, which the reader refuses where
/// a whole number is expected and every bounded field refuses as too big.
fn big_int<'de, V: Visitor<'de>>(n: &BigInt, visitor: V) -> Read<V::Value> {
    let BigInt { sign_bit, words } = n;
    if words.len() > 2 {
        #[allow(clippy::cast_precision_loss)] // beyond 2^128: its magnitude is what matters
        let magnitude = words.iter().rev().fold(0.0_f64, |acc, &w| {
            acc * 18_446_744_073_709_551_616.0 + w as f64
        });
        return visitor.visit_f64(if *sign_bit { -magnitude } else { magnitude });
    }
    let magnitude = words
        .iter()
        .rev()
        .fold(0_u128, |acc, &w| (acc << 64) | u128::from(w));
    if !sign_bit {
        return visitor.visit_u128(magnitude);
    }
    match i128::try_from(magnitude) {
        Ok(m) => visitor.visit_i128(-m),
        Err(_) if magnitude == i128::MIN.unsigned_abs() => visitor.visit_i128(i128::MIN),
        #[allow(clippy::cast_precision_loss)] // beyond -2^127: refused as too big anyway
        Err(_) => visitor.visit_f64(-(magnitude as f64)),
    }
}

/// Whether an object has `Symbol.iterator` (`Symbol.iterator in object`; a Proxy's `has` trap
/// that throws is the reader's error, naming the field).
fn iterable(object: &Object<'_>) -> Read<bool> {
    let env = Env::from_raw(object.value().env);
    // `Symbol` is a function: read as the object it also is, for its `iterator`.
    let symbol: Function = env.get_global()?.get_named_property("Symbol")?;
    let iterator: Unknown = symbol.coerce_to_object()?.get_named_property("iterator")?;
    Ok(object.has_property_js(iterator)?)
}

/// A `Map`'s entries as an array of `[key, value]` arrays (`Array.from(map)`); `None` for any
/// other object.
fn map_entries<'env>(object: &Object<'env>) -> Read<Option<Object<'env>>> {
    let env = Env::from_raw(object.value().env);
    let global = env.get_global()?;
    let map: Function = global.get_named_property("Map")?;
    if !object.instanceof(map)? {
        return Ok(None);
    }
    // `Array` is a function: read it as the object it also is, for its `from`.
    let array: Function = global.get_named_property("Array")?;
    let array = array.coerce_to_object()?;
    let from: Function<Unknown, Object> = array.get_named_property("from")?;
    Ok(Some(from.call(object.to_unknown())?))
}

/// A `Map`'s `[key, value]` entries.
struct Entries<'env> {
    list: Object<'env>,
    next: u32,
    len: u32,
}

impl<'env> Entries<'env> {
    /// The key (0) or the value (1) of the current entry.
    fn part(&self, i: u32) -> Read<Unknown<'env>> {
        let entry: Object = self.list.get_element(self.next)?;
        Ok(entry.get_element(i)?)
    }
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Unreadable;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Read<Option<K::Value>> {
        if self.next >= self.len {
            return Ok(None);
        }
        seed.deserialize(Js(self.part(0)?)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Read<V::Value> {
        if self.next >= self.len {
            return Err(de::Error::custom("a value asked for after the last entry"));
        }
        let value = self.part(1)?;
        self.next += 1;
        seed.deserialize(Js(value))
    }

    fn size_hint(&self) -> Option<usize> {
        usize::try_from(self.len - self.next).ok()
    }
}

struct Elements<'env> {
    list: Object<'env>,
    next: u32,
    len: u32,
}

impl<'de> SeqAccess<'de> for Elements<'_> {
    type Error = Unreadable;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Read<Option<T::Value>> {
        if self.next >= self.len {
            return Ok(None);
        }
        let element: napi::Result<Unknown> = self.list.get_element(self.next);
        self.next += 1;
        match element {
            Ok(element) => seed.deserialize(Js(element)).map(Some),
            Err(e) => seed.deserialize(Broken(e.into())).map(Some),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        usize::try_from(self.len - self.next).ok()
    }
}

struct Properties<'env> {
    object: Object<'env>,
    names: Object<'env>,
    next: u32,
    len: u32,
}

impl<'de> MapAccess<'de> for Properties<'_> {
    type Error = Unreadable;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Read<Option<K::Value>> {
        // Symbol-keyed properties are skipped, as `Object.keys` skips them.
        loop {
            if self.next >= self.len {
                return Ok(None);
            }
            let name: Unknown = self.names.get_element(self.next)?;
            if name.get_type()? != ValueType::Symbol {
                return seed.deserialize(Js(name)).map(Some);
            }
            self.next += 1;
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Read<V::Value> {
        if self.next >= self.len {
            return Err(de::Error::custom(
                "a value asked for after the last property",
            ));
        }
        let name: Unknown = self.names.get_element(self.next)?;
        self.next += 1;
        match self.object.get_property::<Unknown, Unknown>(name) {
            Ok(value) => seed.deserialize(Js(value)),
            Err(e) => seed.deserialize(Broken(e.into())),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        usize::try_from(self.len - self.next).ok()
    }
}

/// Clears the JS exception a getter or a Proxy trap left pending while a value was read.
pub fn clear_pending_exception(env: napi::sys::napi_env) {
    let mut pending = false;
    // SAFETY: `env` is the environment of the call in progress, which these two functions take;
    // the exception value is dropped (the reader's error names the field and says why).
    #[allow(unsafe_code)]
    unsafe {
        if napi::sys::napi_is_exception_pending(env, &raw mut pending) == napi::sys::Status::napi_ok
            && pending
        {
            let mut exception = std::ptr::null_mut();
            let _ = napi::sys::napi_get_and_clear_last_exception(env, &raw mut exception);
        }
    }
}
