//! `metiers-web`: the core's `Engine` in the browser (WebAssembly, wasm-bindgen).
//!
//! Conversion only: JS values become the core's serde types through JSON values; results come
//! back as plain objects; a library error is thrown as a JS `Error` named `MetiersError` with
//! the library's `code` (and `source`, `line`, `field`, `value` for data errors). Everything runs
//! in the page: a pupil's place and interests never leave the device.

#![allow(clippy::needless_pass_by_value)] // wasm-bindgen passes JS values by value

use metiers::{Entity, Error, LoadMode, Query};
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
    let value: Value = serde_wasm_bindgen::from_value(js)
        .map_err(|e| Error::invalid(what, "", format!("cannot read this value: {e}")))?;
    metiers::error::from_value(value, what)
}

fn query(js: JsValue) -> Result<Query, Error> {
    if js.is_undefined() || js.is_null() {
        Ok(Query::default())
    } else {
        input(js, "query")
    }
}

fn bytes(js: &JsValue) -> Result<Vec<u8>, Error> {
    if let Some(text) = js.as_string() {
        return Ok(text.into_bytes());
    }
    if js.is_instance_of::<js_sys::Uint8Array>() {
        return Ok(js_sys::Uint8Array::new(js).to_vec());
    }
    Err(Error::invalid(
        "data",
        "",
        "expected a string or a Uint8Array",
    ))
}

fn word<T: serde::de::DeserializeOwned>(
    text: Option<String>,
    default: &str,
    what: &str,
) -> Result<T, Error> {
    metiers::error::from_value(
        Value::String(text.unwrap_or_else(|| default.to_string())),
        what,
    )
}

trait Thrown<T> {
    fn js(self) -> Result<T, JsValue>;
}

impl<T> Thrown<T> for Result<T, Error> {
    fn js(self) -> Result<T, JsValue> {
        self.map_err(|e| thrown(&e))
    }
}

/// The matching engine, in the page.
#[wasm_bindgen]
pub struct Engine {
    inner: metiers::Engine,
}

#[wasm_bindgen]
impl Engine {
    /// ROME 4.60, the communes of Normandy, the zone B calendar and the fictitious sample.
    pub fn normandy() -> Result<Engine, JsValue> {
        metiers::Engine::normandy()
            .map(|inner| Engine { inner })
            .js()
    }

    /// The same without a catalogue, for a site that loads its own as JSON.
    pub fn empty() -> Result<Engine, JsValue> {
        metiers::Engine::empty("normandy")
            .map(|inner| Engine { inner })
            .js()
    }

    /// Job-title search (as you type).
    #[wasm_bindgen(js_name = searchMetiers)]
    pub fn search_metiers(&self, text: &str, limit: Option<u32>) -> Result<JsValue, JsValue> {
        out(&self
            .inner
            .search_metiers(text, limit.unwrap_or(10) as usize)
            .js()?)
    }

    /// Places a text stands for, best first.
    pub fn locate(&self, text: &str) -> Result<JsValue, JsValue> {
        out(&self.inner.locate(text).js()?)
    }

    /// Great-circle distance in km.
    #[wasm_bindgen(js_name = distanceKm)]
    pub fn distance_km(&self, from: &str, to: &str) -> Result<f64, JsValue> {
        self.inner.distance_km(from, to).js()
    }

    /// A métier by ROME code.
    pub fn metier(&self, code: &str) -> Result<JsValue, JsValue> {
        out(self.inner.metier(code).js()?)
    }

    /// Stages that fit, best first.
    #[wasm_bindgen(js_name = searchStages)]
    pub fn search_stages(&self, query_value: JsValue) -> Result<JsValue, JsValue> {
        out(&self.inner.search_stages(&query(query_value).js()?).js()?)
    }

    /// Ambassadors that fit, best first.
    #[wasm_bindgen(js_name = searchAmbassadors)]
    pub fn search_ambassadors(&self, query_value: JsValue) -> Result<JsValue, JsValue> {
        out(&self
            .inner
            .search_ambassadors(&query(query_value).js()?)
            .js()?)
    }

    /// Companies that fit, best first.
    #[wasm_bindgen(js_name = searchCompanies)]
    pub fn search_companies(&self, query_value: JsValue) -> Result<JsValue, JsValue> {
        out(&self
            .inner
            .search_companies(&query(query_value).js()?)
            .js()?)
    }

    /// Teacher: ambassadors who come to the class.
    #[wasm_bindgen(js_name = ambassadorsForClass)]
    pub fn ambassadors_for_class(&self, query_value: JsValue) -> Result<JsValue, JsValue> {
        out(&self
            .inner
            .ambassadors_for_class(&query(query_value).js()?)
            .js()?)
    }

    /// Teacher: companies that receive a class.
    #[wasm_bindgen(js_name = companiesForClass)]
    pub fn companies_for_class(&self, query_value: JsValue) -> Result<JsValue, JsValue> {
        out(&self
            .inner
            .companies_for_class(&query(query_value).js()?)
            .js()?)
    }

    /// Métiers with a stage or an ambassador near the place.
    #[wasm_bindgen(js_name = metiersNear)]
    pub fn metiers_near(&self, query_value: JsValue) -> Result<JsValue, JsValue> {
        out(&self.inner.metiers_near(&query(query_value).js()?).js()?)
    }

    /// Counts in total and per département.
    pub fn counters(&self) -> Result<JsValue, JsValue> {
        out(&self.inner.counters())
    }

    /// Companies with a stage in a département.
    #[wasm_bindgen(js_name = companiesWithStagesIn)]
    pub fn companies_with_stages_in(&self, departement: &str) -> Result<JsValue, JsValue> {
        out(&self.inner.companies_with_stages_in(departement).js()?)
    }

    /// Loads a JSON document (companies, ambassadors, stages); returns the report.
    #[wasm_bindgen(js_name = loadJson)]
    pub fn load_json(
        &mut self,
        data: JsValue,
        source: Option<String>,
        mode: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let mode: LoadMode = word(mode, "strict", "mode").js()?;
        let data = bytes(&data).js()?;
        let source = source.unwrap_or_else(|| "<json>".into());
        out(&self.inner.load_json(&source, &data, mode).js()?)
    }

    /// Loads JSON lines of one entity.
    #[wasm_bindgen(js_name = loadJsonl)]
    pub fn load_jsonl(
        &mut self,
        entity: &str,
        data: JsValue,
        source: Option<String>,
        mode: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let entity: Entity = word(Some(entity.to_string()), "", "entity").js()?;
        let mode: LoadMode = word(mode, "strict", "mode").js()?;
        let data = bytes(&data).js()?;
        let source = source.unwrap_or_else(|| "<jsonl>".into());
        out(&self.inner.load_jsonl(entity, &source, &data, mode).js()?)
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
