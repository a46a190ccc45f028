//! `metiers-web`: the core's `Engine` in the browser (WebAssembly, wasm-bindgen).
//!
//! Conversion only: JS values become the core's serde types through JSON values; results come
//! back as plain objects; a library error is thrown as a JS `Error` named `MetiersError` with
//! the library's `code` (and `source`, `line`, `field`, `value` for data errors). Everything runs
//! in the page: a pupil's place and interests never leave the device.

#![allow(clippy::needless_pass_by_value)] // wasm-bindgen passes JS values by value

use metiers::{Entity, Error, Format, LoadMode, LoadOptions, Query, Region};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// A library error as a JS `Error` carrying the error's fields.
fn thrown(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("MetiersError");
    if let Ok(Value::Object(fields)) = serde_json::to_value(e) {
        for (key, value) in fields {
            if let Ok(js) = out(&value) {
                // Setting a property on a fresh Error cannot fail.
                let _ = js_sys::Reflect::set(&err, &JsValue::from_str(&key), &js);
            }
        }
    }
    err.into()
}

fn out<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| thrown(&Error::Internal(e.to_string())))
}

/// A JS value as a core input type; anything unreadable is `invalid_input`.
fn input<T: serde::de::DeserializeOwned>(js: JsValue, what: &str) -> Result<T, Error> {
    metiers::error::from_value(json_value(js, what)?, what)
}

/// A JS value read by the rules of `metiers::input` (depth, finite numbers, JS integers).
fn json_value(js: JsValue, what: &str) -> Result<Value, Error> {
    metiers::input::read(Guarded(js), what, metiers::input::Numbers::JS)
}

#[wasm_bindgen]
extern "C" {
    /// `Object.keys` (own enumerable string keys), a Proxy trap's exception caught.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(value: &JsValue) -> Result<js_sys::Array, JsValue>;
    /// `Array.isArray`, which throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
    /// `Array.from`: a `Map`'s entries, its iterator run with its exceptions caught.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    fn array_from(value: &JsValue) -> Result<js_sys::Array, JsValue>;
    /// `structuredClone`: a copy made by the platform, which reads a real `Uint8Array`,
    /// `ArrayBuffer` or `DataView` by its contents and refuses a Proxy.
    #[wasm_bindgen(catch, js_name = structuredClone)]
    fn structured_clone(value: &JsValue) -> Result<JsValue, JsValue>;
    /// `instanceof`, without a class's own `Symbol.hasInstance`: `Map.prototype` and the
    /// others in `value`'s prototype chain, a Proxy's `getPrototypeOf` trap caught at every call.
    #[wasm_bindgen(catch, js_namespace = ["Map", "prototype"], js_name = isPrototypeOf)]
    fn is_map(value: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["Uint8Array", "prototype"], js_name = isPrototypeOf)]
    fn is_uint8array(value: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["ArrayBuffer", "prototype"], js_name = isPrototypeOf)]
    fn is_arraybuffer(value: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["DataView", "prototype"], js_name = isPrototypeOf)]
    fn is_dataview(value: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["Date", "prototype"], js_name = isPrototypeOf)]
    fn is_date(value: &JsValue) -> Result<bool, JsValue>;
}

/// What `instanceof` tells apart for the readers: a `Map`, bytes, a `Date`, or any other
/// object.
#[derive(PartialEq)]
enum Class {
    Map,
    Bytes,
    Date,
    Other,
}

/// The class of an object as `instanceof` finds it, with the caller's exceptions caught: a
/// Proxy's `getPrototypeOf` trap may throw at any of its calls, not only the first.
fn class_of(v: &JsValue) -> Result<Class, JsValue> {
    Ok(if is_map(v)? {
        Class::Map
    } else if is_uint8array(v)? || is_arraybuffer(v)? || is_dataview(v)? {
        Class::Bytes
    } else if is_date(v)? {
        Class::Date
    } else {
        Class::Other
    })
}

/// A JS value read as serde-wasm-bindgen reads it, but with every step that runs the caller's
/// code (a getter, a Proxy trap, a `Map`'s iterator) caught: a JS exception must not unwind
/// through the module, which left the engine borrowed for good (every later `clearCatalog`,
/// `load…` or `add…` threw "recursive use of an object") and the caller's exception uncoded.
/// One that throws is `invalid_input` naming the field being read, as in the Node package.
struct Guarded(JsValue);

type Swb = serde_wasm_bindgen::Error;

/// The reason given for a value whose reading threw, in the Node package's words.
const THREW: &str = "reading it threw a JavaScript exception";

/// [`THREW`] as the reader's error (a JS text, not an `Error`, whose text would start with
/// "Error: ").
fn threw(_: JsValue) -> Swb {
    Swb::from(JsValue::from_str(THREW))
}

impl<'de> serde::Deserializer<'de> for Guarded {
    type Error = Swb;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Swb> {
        use js_sys::Reflect;
        let v = self.0;
        if v.is_function() || v.is_symbol() {
            // In the Node package's words (serde-wasm-bindgen would read a function's name
            // to word its error: a Proxy's trap).
            return Err(Swb::from(JsValue::from_str(if v.is_symbol() {
                "a JS Symbol where data was expected"
            } else {
                "a JS Function where data was expected"
            })));
        }
        if !v.is_object() {
            // Nothing of the caller's runs while a text, number or the like is read.
            return serde_wasm_bindgen::Deserializer::from(v).deserialize_any(visitor);
        }
        if is_array(&v).map_err(threw)? {
            let len = Reflect::get(&v, &JsValue::from_str("length")).map_err(threw)?;
            let len = len.as_f64().map_or(0, |n| n as u32);
            return visitor.visit_seq(Items {
                list: v,
                next: 0,
                len,
            });
        }
        let class = class_of(&v).map_err(threw)?;
        if class == Class::Bytes {
            // Refused as bytes, unread.
            return visitor.visit_bytes(&[]);
        }
        if class == Class::Date {
            return Err(Swb::from(JsValue::from_str(metiers::input::JS_DATE)));
        }
        // `in` asks a Proxy whether it has a key.
        if class == Class::Other && Reflect::has(&v, &js_sys::Symbol::iterator()).map_err(threw)? {
            return Err(Swb::from(JsValue::from_str(metiers::input::JS_ITERABLE)));
        }
        // An object's own enumerable string-keyed properties (`Object.entries`', read one by
        // one so that a getter that throws is named), or a `Map`'s entries.
        let pairs = class == Class::Map;
        let keys = if pairs {
            array_from(&v)
        } else {
            object_keys(&v)
        }
        .map_err(threw)?;
        let len = keys.length();
        visitor.visit_map(Entries {
            object: v,
            keys,
            pairs,
            next: 0,
            len,
            value: Ok(JsValue::UNDEFINED),
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// An array's items, each read through [`Guarded`].
struct Items {
    list: JsValue,
    next: u32,
    len: u32,
}

impl<'de> serde::de::SeqAccess<'de> for Items {
    type Error = Swb;

    fn next_element_seed<T: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Swb> {
        if self.next >= self.len {
            return Ok(None);
        }
        let item = js_sys::Reflect::get_u32(&self.list, self.next);
        self.next += 1;
        match item {
            Ok(item) => seed.deserialize(Guarded(item)).map(Some),
            // Handed to the reader, which names the item (`interests[0]`).
            Err(e) => seed.deserialize(Broken(e)).map(Some),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.len - self.next) as usize)
    }
}

/// An object's keys, or a `Map`'s `[key, value]` pairs (`pairs`), each value read through
/// [`Guarded`].
struct Entries {
    object: JsValue,
    keys: js_sys::Array,
    pairs: bool,
    next: u32,
    len: u32,
    /// The value of the key read last.
    value: Result<JsValue, JsValue>,
}

impl<'de> serde::de::MapAccess<'de> for Entries {
    type Error = Swb;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Swb> {
        if self.next >= self.len {
            return Ok(None);
        }
        let item = self.keys.get(self.next);
        self.next += 1;
        let key = if self.pairs {
            self.value = js_sys::Reflect::get_u32(&item, 1);
            js_sys::Reflect::get_u32(&item, 0).map_err(threw)?
        } else {
            self.value = js_sys::Reflect::get(&self.object, &item);
            item
        };
        // A `Map`'s key can be any value, a Proxy too.
        seed.deserialize(Guarded(key)).map(Some)
    }

    fn next_value_seed<T: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, Swb> {
        match std::mem::replace(&mut self.value, Ok(JsValue::UNDEFINED)) {
            Ok(value) => seed.deserialize(Guarded(value)),
            // Handed to the reader, which names the field (`radius_km`).
            Err(e) => seed.deserialize(Broken(e)),
        }
    }
}

/// A value whose reading threw, handed to the reader in its place so that the error names it.
struct Broken(JsValue);

impl<'de> serde::Deserializer<'de> for Broken {
    type Error = Swb;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Swb> {
        Err(threw(self.0))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// A string argument (a number, an object, `null` or `undefined` is `invalid_input`).
fn text(js: JsValue, what: &str) -> Result<String, Error> {
    input(js, what)
}

fn to_place(js: JsValue, what: &str) -> Result<metiers::PlaceRef, Error> {
    let value = json_value(js, what).map_err(|e| e.in_field(what))?;
    metiers::PlaceRef::from_value(value, what)
}

#[cfg(feature = "assign")]
fn assign_request(pupils: JsValue, options: JsValue) -> Result<metiers::AssignRequest, Error> {
    // The pupils first, then the options, as every binding reads them.
    let pupils = json_value(pupils, "pupils")?;
    let options = if options.is_undefined() || options.is_null() {
        None
    } else {
        Some(json_value(options, "options")?)
    };
    metiers::AssignRequest::from_values(pupils, options)
}

/// An optional request object: absent or `null` is every default.
#[cfg(feature = "analytics")]
fn request(js: JsValue) -> Result<Option<Value>, Error> {
    if js.is_undefined() || js.is_null() {
        Ok(None)
    } else {
        json_value(js, "request").map(Some)
    }
}

fn query(js: JsValue) -> Result<Query, Error> {
    if js.is_undefined() || js.is_null() {
        Ok(Query::default())
    } else {
        input(js, "query")
    }
}

/// Text or binary data: a string (its UTF-8 bytes), a `Uint8Array`, an `ArrayBuffer` (what
/// `fetch(…).arrayBuffer()` gives) or a `DataView`; anything else is `invalid_input` naming
/// `field`.
fn bytes(js: &JsValue, field: &str) -> Result<Vec<u8>, Error> {
    let expected = || {
        Error::invalid(
            field,
            "",
            "expected a string, a Uint8Array, an ArrayBuffer or a DataView",
        )
    };
    if let Some(text) = js.as_string() {
        return Ok(text.into_bytes());
    }
    // A view by its brand (`ArrayBuffer.isView`, which runs none of the caller's code), or
    // bytes by `instanceof` with a Proxy's traps caught; then read from the platform's copy,
    // made from what the value is (a Proxy is refused), with the standard prototypes, so that
    // nothing of the caller's runs below: `new Uint8Array(proxy)` read a Proxy that passes for
    // a `Uint8Array` through its traps. As the Node package's brand checks find them.
    if !js_sys::ArrayBuffer::is_view(js) && !class_of(js).is_ok_and(|c| c == Class::Bytes) {
        return Err(expected());
    }
    let js = &structured_clone(js).map_err(|_| expected())?;
    if js.is_instance_of::<js_sys::Uint8Array>() || js.is_instance_of::<js_sys::ArrayBuffer>() {
        return Ok(js_sys::Uint8Array::new(js).to_vec());
    }
    if let Some(view) = js.dyn_ref::<js_sys::DataView>() {
        // Offsets are `usize`, 32 bits on wasm32: the casts lose nothing.
        let (offset, length) = (view.byte_offset() as u32, view.byte_length() as u32);
        return Ok(js_sys::Uint8Array::new_with_byte_offset_and_length(
            &view.buffer(),
            offset,
            length,
        )
        .to_vec());
    }
    Err(expected())
}

/// `[{ name, data }]` from JS: each name a string, each data a string or `Uint8Array`.
fn named_files(js: &JsValue) -> Result<Vec<(String, Vec<u8>)>, Error> {
    if !js_sys::Array::is_array(js) {
        return Err(Error::invalid(
            "files",
            "",
            "expected an array of { name, data }",
        ));
    }
    // Each item and field read with the caller's exceptions caught (a getter, a Proxy trap).
    // Something else than an object has no such field (`undefined`).
    let get = |from: &JsValue, key: &JsValue, field: &dyn Fn() -> String| {
        if !from.is_object() {
            return Ok(JsValue::UNDEFINED);
        }
        js_sys::Reflect::get(from, key).map_err(|_| Error::invalid(field(), "", THREW))
    };
    let length = get(js, &JsValue::from_str("length"), &|| "files".into())?;
    let mut files = Vec::new();
    for i in 0..length.as_f64().map_or(0, |n| n as u32) {
        let item = get(js, &JsValue::from(i), &|| format!("files[{i}]"))?;
        let name = get(&item, &JsValue::from_str("name"), &|| {
            format!("files[{i}].name")
        })?
        .as_string()
        .ok_or_else(|| Error::invalid(format!("files[{i}].name"), "", "expected a string"))?;
        let data = get(&item, &JsValue::from_str("data"), &|| {
            format!("files[{i}].data")
        })?;
        let data = bytes(&data, "data").map_err(|_| {
            Error::invalid(
                format!("files[{i}].data"),
                "",
                "expected a string or a Uint8Array",
            )
        })?;
        files.push((name, data));
    }
    Ok(files)
}

fn load_options(js: JsValue) -> Result<LoadOptions, Error> {
    if js.is_undefined() || js.is_null() {
        Ok(LoadOptions::default())
    } else {
        input(js, "options")
    }
}

fn region(js: Option<String>) -> Result<Region, Error> {
    Region::from_arg(js.as_deref())
}

trait Thrown<T> {
    fn js(self) -> Result<T, JsValue>;
}

impl<T> Thrown<T> for Result<T, Error> {
    fn js(self) -> Result<T, JsValue> {
        self.map_err(|e| thrown(&e))
    }
}

// The JSON shapes, generated from the core's types (tools/gen-types), shared with the Node
// package; then what only the browser package has.
#[wasm_bindgen(typescript_custom_section)]
const SHARED_TYPES: &str = include_str!("../../bindings-node/lib/types.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../types.d.ts");

/// The matching engine, in the page.
#[wasm_bindgen]
pub struct Engine {
    inner: metiers::Engine,
}

fn wrap(inner: Result<metiers::Engine, Error>) -> Result<Engine, JsValue> {
    inner.map(|inner| Engine { inner }).js()
}

#[wasm_bindgen]
impl Engine {
    /// ROME 4.60, the communes of Normandy, the zone B calendar and the fictitious sample
    /// (build with the embedded data, the default).
    #[cfg(feature = "embedded")]
    pub fn normandy() -> Result<Engine, JsValue> {
        wrap(metiers::Engine::normandy())
    }

    /// The same without a catalogue, for a site that loads its own: `region` `"normandy"`
    /// (default) or `"france"` (when the build embeds it).
    #[cfg(feature = "embedded")]
    pub fn empty(
        #[wasm_bindgen(unchecked_param_type = "Region | undefined")] region_name: Option<String>,
    ) -> Result<Engine, JsValue> {
        wrap(region(region_name).and_then(metiers::Engine::empty))
    }

    /// The engine a snapshot holds (`engine.snapshot()`).
    pub fn restore(
        #[wasm_bindgen(unchecked_param_type = "Data")] snapshot: JsValue,
    ) -> Result<Engine, JsValue> {
        wrap(bytes(&snapshot, "snapshot").and_then(|b| metiers::Engine::restore(&b)))
    }

    /// The engine as bytes: referential, geography, calendar, catalogue and reservations.
    pub fn snapshot(&self) -> Result<Vec<u8>, JsValue> {
        self.inner.snapshot().js()
    }

    /// The defaults of every argument (radius, limit, region, load mode…).
    #[wasm_bindgen(unchecked_return_type = "Defaults")]
    pub fn defaults() -> Result<JsValue, JsValue> {
        out(&metiers::Engine::defaults())
    }

    /// The French label of every enum value (`labels().stage_kind.mini_stage`).
    #[wasm_bindgen(unchecked_return_type = "Labels")]
    pub fn labels() -> Result<JsValue, JsValue> {
        out(&metiers::Engine::labels())
    }

    /// A period as French says it (`"du 19 au 23 avril 2027"`).
    #[wasm_bindgen(js_name = periodLabel)]
    pub fn period_label(
        #[wasm_bindgen(unchecked_param_type = "Period")] period: JsValue,
    ) -> Result<String, JsValue> {
        let period: metiers::Period = input(period, "period").js()?;
        Ok(metiers::wording::period(&period))
    }

    /// A distance as a card shows it (`"< 1 km"`, `"12 km"`).
    #[wasm_bindgen(js_name = distanceLabel)]
    pub fn distance_label(km: f64) -> Result<String, JsValue> {
        metiers::wording::distance(km).js()
    }

    /// Every error code.
    #[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "ErrorCode[]")]
    pub fn error_codes() -> Result<JsValue, JsValue> {
        let codes: Vec<&str> = metiers::ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        out(&codes)
    }

    /// A table of the referential, the geography or the catalogue, as rows.
    #[wasm_bindgen(unchecked_return_type = "Array<Record<string, unknown>>")]
    pub fn table(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Table")] name: JsValue,
    ) -> Result<JsValue, JsValue> {
        let table = input(name, "name").js()?;
        out(&self.inner.table(table).js()?)
    }

    /// An engine on data the page fetched itself: `rome.bin` and `normandy.bin` (shipped beside
    /// the light build), with an empty catalogue. `region`: `"normandy"` (default) or `"france"`.
    #[wasm_bindgen(js_name = fromData)]
    pub fn from_data(
        #[wasm_bindgen(unchecked_param_type = "Data")] rome: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Data")] communes: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Region | undefined")] region_name: Option<String>,
    ) -> Result<Engine, JsValue> {
        wrap((|| {
            let (rome, communes) = (bytes(&rome, "rome")?, bytes(&communes, "communes")?);
            metiers::Engine::from_data(&rome, &communes, region(region_name)?)
        })())
    }

    /// True when this build has ROME and the communes compiled in (`Engine.normandy()` exists).
    #[wasm_bindgen(js_name = hasEmbeddedData)]
    pub fn has_embedded_data() -> bool {
        cfg!(feature = "embedded")
    }

    /// The region this engine was made for.
    #[wasm_bindgen(getter)]
    pub fn region(&self) -> String {
        self.inner.region().to_string()
    }

    /// Job-title search (as you type): best métiers first, 10 by default.
    #[wasm_bindgen(js_name = searchMetiers, unchecked_return_type = "MetierHit[]")]
    pub fn search_metiers(
        &self,
        #[wasm_bindgen(js_name = "text", unchecked_param_type = "string")] text_value: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number | undefined")] limit: JsValue,
    ) -> Result<JsValue, JsValue> {
        let words = text(text_value, "text").js()?;
        let limit: Option<usize> = if limit.is_undefined() || limit.is_null() {
            None
        } else {
            Some(metiers::input::size(&json_value(limit, "limit").js()?, "limit").js()?)
        };
        out(&self.inner.search_metiers(&words, limit).js()?)
    }

    /// Places a text or a typed place stands for, best first: suggestions to list.
    #[wasm_bindgen(unchecked_return_type = "Place[]")]
    pub fn locate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PlaceRef")] place: JsValue,
    ) -> Result<JsValue, JsValue> {
        let place = to_place(place, "place").js()?;
        out(&self.inner.locate(place).js()?)
    }

    /// The one place a text or a typed place stands for (`ambiguous_place` with the candidates
    /// when it could mean several).
    #[wasm_bindgen(unchecked_return_type = "Place")]
    pub fn resolve(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PlaceRef")] place: JsValue,
    ) -> Result<JsValue, JsValue> {
        let place = to_place(place, "place").js()?;
        out(&self.inner.resolve(place).js()?)
    }

    /// Great-circle distance in km between two places.
    #[wasm_bindgen(js_name = distanceKm)]
    pub fn distance_km(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PlaceRef")] from: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PlaceRef")] to: JsValue,
    ) -> Result<f64, JsValue> {
        let from = to_place(from, "from").js()?;
        let to = to_place(to, "to").js()?;
        self.inner.distance_km(from, to).js()
    }

    /// A métier by ROME code.
    #[wasm_bindgen(unchecked_return_type = "Metier")]
    pub fn metier(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(self.inner.metier(&text(code, "code").js()?).js()?)
    }

    /// A company of the catalogue by id (a stage result names its company by id).
    #[wasm_bindgen(unchecked_return_type = "Company")]
    pub fn company(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(self.inner.company(&text(id, "id").js()?).js()?)
    }

    /// An ambassador of the catalogue by id.
    #[wasm_bindgen(unchecked_return_type = "Ambassador")]
    pub fn ambassador(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(self.inner.ambassador(&text(id, "id").js()?).js()?)
    }

    /// A stage of the catalogue by id.
    #[wasm_bindgen(unchecked_return_type = "Stage")]
    pub fn stage(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(self.inner.stage(&text(id, "id").js()?).js()?)
    }

    /// A commune by INSEE code (a result's place names its commune by code).
    #[wasm_bindgen(unchecked_return_type = "Commune")]
    pub fn commune(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(self.inner.commune(&text(code, "code").js()?).js()?)
    }

    /// Stages that fit, best first.
    #[wasm_bindgen(js_name = searchStages, unchecked_return_type = "SearchResult<Stage>")]
    pub fn search_stages(
        &self,
        #[wasm_bindgen(js_name = "query", unchecked_param_type = "Query | undefined")]
        query_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(&self.inner.search_stages(&query(query_value).js()?).js()?)
    }

    /// Ambassadors that fit, best first.
    #[wasm_bindgen(
        js_name = searchAmbassadors,
        unchecked_return_type = "SearchResult<Ambassador>"
    )]
    pub fn search_ambassadors(
        &self,
        #[wasm_bindgen(js_name = "query", unchecked_param_type = "Query | undefined")]
        query_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(&self
            .inner
            .search_ambassadors(&query(query_value).js()?)
            .js()?)
    }

    /// Companies that fit, best first.
    #[wasm_bindgen(
        js_name = searchCompanies,
        unchecked_return_type = "SearchResult<CompanySummary>"
    )]
    pub fn search_companies(
        &self,
        #[wasm_bindgen(js_name = "query", unchecked_param_type = "Query | undefined")]
        query_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(&self
            .inner
            .search_companies(&query(query_value).js()?)
            .js()?)
    }

    /// Teacher: ambassadors who come to the class (`group_size` required).
    #[wasm_bindgen(
        js_name = ambassadorsForClass,
        unchecked_return_type = "SearchResult<Ambassador>"
    )]
    pub fn ambassadors_for_class(
        &self,
        #[wasm_bindgen(js_name = "query", unchecked_param_type = "Query")] query_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(&self
            .inner
            .ambassadors_for_class(&query(query_value).js()?)
            .js()?)
    }

    /// Teacher: companies that receive a class (`group_size` required).
    #[wasm_bindgen(
        js_name = companiesForClass,
        unchecked_return_type = "SearchResult<CompanySummary>"
    )]
    pub fn companies_for_class(
        &self,
        #[wasm_bindgen(js_name = "query", unchecked_param_type = "Query")] query_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(&self
            .inner
            .companies_for_class(&query(query_value).js()?)
            .js()?)
    }

    /// Métiers with a stage or an ambassador near the place.
    #[wasm_bindgen(js_name = metiersNear, unchecked_return_type = "MetierPage")]
    pub fn metiers_near(
        &self,
        #[wasm_bindgen(js_name = "query", unchecked_param_type = "Query | undefined")]
        query_value: JsValue,
    ) -> Result<JsValue, JsValue> {
        out(&self.inner.metiers_near(&query(query_value).js()?).js()?)
    }

    /// Places pupils (a class, a collège) on stages, in the page: stable, explained. The
    /// browser build embeds no schools: give the pupils' schools in `options.schools`.
    #[cfg(feature = "assign")]
    #[wasm_bindgen(unchecked_return_type = "Placement")]
    pub fn assign(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Pupil[]")] pupils: JsValue,
        #[wasm_bindgen(unchecked_param_type = "AssignOptions | undefined")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let request = assign_request(pupils, options).js()?;
        out(&self.inner.assign(&request).js()?)
    }

    /// Checks a placement (or a list of `{pupil, stage}`) against the request's rules.
    #[cfg(feature = "assign")]
    #[wasm_bindgen(js_name = checkPlacement, unchecked_return_type = "Check")]
    pub fn check_placement(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Pupil[]")] pupils: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Placement | Assignment[]")] placement: JsValue,
        #[wasm_bindgen(unchecked_param_type = "AssignOptions | undefined")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let request = assign_request(pupils, options).js()?;
        let list = json_value(placement, "placement")
            .and_then(metiers::assign::assignments_from_value)
            .js()?;
        out(&self.inner.check_placement(&request, &list).js()?)
    }

    /// What every origin has within each radius, per sector (territory analytics).
    #[cfg(feature = "analytics")]
    #[wasm_bindgen(unchecked_return_type = "Coverage")]
    pub fn coverage(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Partial<CoverageRequest> | undefined")]
        request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let request =
            metiers::analytics::CoverageRequest::from_value(self::request(request).js()?).js()?;
        out(&self.inner.coverage(&request).js()?)
    }

    /// Each collège's 3e pupils against the places within its reach (the page gives its
    /// `schools`: the browser build embeds none).
    #[cfg(feature = "analytics")]
    #[wasm_bindgen(js_name = supplyDemand, unchecked_return_type = "SupplyDemand")]
    pub fn supply_demand(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Partial<DemandRequest> | undefined")]
        request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let request =
            metiers::analytics::DemandRequest::from_value(self::request(request).js()?).js()?;
        out(&self.inner.supply_demand(&request).js()?)
    }

    /// White zones need the commune contours, which the browser build leaves out: this is an
    /// `invalid_input` error saying so (use `coverage`).
    #[cfg(feature = "analytics")]
    #[wasm_bindgen(js_name = whiteZones, unchecked_return_type = "WhiteZones")]
    pub fn white_zones(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Partial<WhiteZoneRequest> | undefined")]
        request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let request =
            metiers::analytics::WhiteZoneRequest::from_value(self::request(request).js()?).js()?;
        out(&self.inner.white_zones(&request).js()?)
    }

    /// The pupils with their profiles turned into the wishes the engine ranks.
    #[cfg(feature = "assign")]
    #[wasm_bindgen(js_name = withWishes, unchecked_return_type = "Pupil[]")]
    pub fn with_wishes(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Pupil[]")] pupils: JsValue,
    ) -> Result<JsValue, JsValue> {
        let list = assign_request(pupils, JsValue::UNDEFINED).js()?.pupils;
        out(&self.inner.with_wishes(list).js()?)
    }

    /// Counts in total and per département.
    #[wasm_bindgen(unchecked_return_type = "Counters")]
    pub fn counters(&self) -> Result<JsValue, JsValue> {
        out(&self.inner.counters())
    }

    /// Companies with a stage in a département (`"Orne"` or `"61"`), by name.
    #[wasm_bindgen(js_name = companiesWithStagesIn, unchecked_return_type = "Company[]")]
    pub fn companies_with_stages_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] departement: JsValue,
    ) -> Result<JsValue, JsValue> {
        let departement = text(departement, "departement").js()?;
        out(&self.inner.companies_with_stages_in(&departement).js()?)
    }

    /// Loads a JSON document `{companies, ambassadors, stages}`; returns the report.
    #[wasm_bindgen(js_name = loadJson, unchecked_return_type = "LoadReport")]
    pub fn load_json(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Data")] data: JsValue,
        #[wasm_bindgen(unchecked_param_type = "LoadOptions | undefined")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let options = load_options(options).js()?;
        let data = bytes(&data, "data").js()?;
        out(&self.inner.load(Format::Json, None, &data, &options).js()?)
    }

    /// Loads JSON lines, one object of `entity` a line.
    #[wasm_bindgen(js_name = loadJsonl, unchecked_return_type = "LoadReport")]
    pub fn load_jsonl(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Entity")] entity: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Data")] data: JsValue,
        #[wasm_bindgen(unchecked_param_type = "LoadOptions | undefined")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let entity: Entity = input(entity, "entity").js()?;
        let options = load_options(options).js()?;
        let data = bytes(&data, "data").js()?;
        out(&self
            .inner
            .load(Format::Jsonl, Some(entity), &data, &options)
            .js()?)
    }

    /// Loads a CSV file of one entity (the columns of the README).
    #[wasm_bindgen(js_name = loadCsv, unchecked_return_type = "LoadReport")]
    pub fn load_csv(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Entity")] entity: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Data")] data: JsValue,
        #[wasm_bindgen(unchecked_param_type = "LoadOptions | undefined")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let entity: Entity = input(entity, "entity").js()?;
        let options = load_options(options).js()?;
        if data.is_string() {
            options.for_text("a string").js()?;
        }
        let data = bytes(&data, "data").js()?;
        out(&self
            .inner
            .load(Format::Csv, Some(entity), &data, &options)
            .js()?)
    }

    /// Loads documents known by their name (the URLs the page fetched): `[{ name, data }]`,
    /// the format and entity from each name (`Engine::load_named`), in reference order.
    #[wasm_bindgen(js_name = loadNamed, unchecked_return_type = "LoadReport[]")]
    pub fn load_named(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Array<{ name: string, data: Data }>")]
        files: JsValue,
        #[wasm_bindgen(unchecked_param_type = "LoadMode | undefined")] mode: JsValue,
    ) -> Result<JsValue, JsValue> {
        let mode: LoadMode = if mode.is_undefined() || mode.is_null() {
            LoadMode::default()
        } else {
            input(mode, "mode").js()?
        };
        let files = named_files(&files).js()?;
        out(&self.inner.load_named(&files, mode).js()?)
    }

    /// Gives the métiers their texts (`definition`, `acces`) from the bytes of
    /// `data/rome-texts.bin`, shipped beside both builds: neither embeds them (half of the ROME
    /// data), so until then a métier's texts are `null`. A `data_error` for bytes that are not
    /// this referential's texts; the engine is unchanged then.
    #[wasm_bindgen(js_name = loadRomeTexts)]
    pub fn load_rome_texts(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Data")] texts: JsValue,
    ) -> Result<(), JsValue> {
        let texts = bytes(&texts, "texts").js()?;
        self.inner.load_rome_texts(&texts).js()
    }

    /// Empties the catalogue.
    #[wasm_bindgen(js_name = clearCatalog)]
    pub fn clear_catalog(&mut self) {
        self.inner.clear_catalog();
    }

    /// The catalogue as the JSON document `loadJson` reads.
    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&self) -> String {
        self.inner.export_json()
    }
}
