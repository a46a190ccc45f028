//! The native half of the `metiers` npm package (`native.js`); `lib/index.js` is the public face.
//!
//! Conversion only: JS values arrive as JSON values and become the core's serde types; results
//! go back as plain objects; a library error is thrown as a napi error whose message is the
//! error's JSON (`{"code", "message", "source", "line", …}`), which the facade turns into an
//! `Error` with those properties. Long calls have `…Async` forms that run off the event loop.
#![allow(clippy::needless_pass_by_value)] // napi passes arguments by value

use metiers::{Entity, Error, LoadMode, Query};
use napi::bindgen_prelude::{
    AsyncTask, Buffer, FromNapiValue, TypeName, Unknown, ValidateNapiValue,
};
use napi::{Env, Status, Task};
use napi_derive::napi;
use serde::Serialize;
use serde_json::Value;
use std::sync::{Arc, RwLock};

type Shared = Arc<RwLock<metiers::Engine>>;

/// A library error as a napi error carrying the error's JSON.
fn thrown(e: &Error) -> napi::Error {
    let json = serde_json::to_string(e).unwrap_or_else(|_| e.to_string());
    napi::Error::new(Status::GenericFailure, json)
}

fn to_json<T: Serialize>(value: &T) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::Internal(e.to_string()))
}

fn read<T>(
    shared: &Shared,
    f: impl FnOnce(&metiers::Engine) -> Result<T, Error>,
) -> Result<T, Error> {
    let engine = shared
        .read()
        .map_err(|_| Error::Internal("the engine's lock is poisoned".into()))?;
    f(&engine)
}

fn write<T>(
    shared: &Shared,
    f: impl FnOnce(&mut metiers::Engine) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut engine = shared
        .write()
        .map_err(|_| Error::Internal("the engine's lock is poisoned".into()))?;
    f(&mut engine)
}

/// A JS argument read by the rules of `metiers::input` (depth, finite numbers, JS integers:
/// `Date.now()` is a whole number), whatever its type; the check's result waits for the call.
pub struct Input(metiers::input::JsInput);

impl Input {
    fn value(self, what: &str) -> Result<Value, Error> {
        self.0.into_value(what)
    }
}

impl FromNapiValue for Input {
    // napi hands over the raw environment and value of the call in progress.
    #[allow(unsafe_code)]
    unsafe fn from_napi_value(
        env: napi::sys::napi_env,
        value: napi::sys::napi_value,
    ) -> napi::Result<Self> {
        let env = Env::from_raw(env);
        let unknown = Unknown::from_napi_value(env.raw(), value)?;
        Ok(Input(env.from_js_value(unknown)?))
    }
}

impl TypeName for Input {
    fn type_name() -> &'static str {
        "any"
    }

    fn value_type() -> napi::ValueType {
        napi::ValueType::Unknown
    }
}

impl ValidateNapiValue for Input {}

fn query(value: Option<Input>) -> Result<Query, Error> {
    match value.map(|v| v.value("query")).transpose()? {
        None | Some(Value::Null) => Ok(Query::default()),
        Some(v) => metiers::error::from_value(v, "query"),
    }
}

/// A whole-number argument (`count`, `limit`), `default` when not given.
fn whole<T: TryFrom<u64>>(value: Option<Input>, what: &str, default: T) -> Result<T, Error> {
    match value.map(|v| v.value(what)).transpose()? {
        None | Some(Value::Null) => Ok(default),
        Some(v) => metiers::input::whole(&v, what),
    }
}

/// A string argument (a number, an object or `null` is `invalid_input` naming it).
fn text(value: Input, what: &str) -> Result<String, Error> {
    metiers::error::from_value(value.value(what)?, what)
}

fn parse_item<T: serde::de::DeserializeOwned>(value: Input, what: &str) -> Result<T, Error> {
    metiers::error::from_value(value.value(what)?, what)
}

fn queries(value: Input) -> Result<Vec<Result<Query, Error>>, Error> {
    match value.value("queries")? {
        Value::Array(items) => Ok(items
            .into_iter()
            .enumerate()
            .map(|(i, q)| metiers::error::from_value(q, &format!("queries[{i}]")))
            .collect()),
        other => Err(Error::invalid(
            "queries",
            other.to_string(),
            "expected an array of queries",
        )),
    }
}

fn place_ref(value: Input, what: &str) -> Result<metiers::PlaceRef, Error> {
    let value = value.value(what).map_err(|e| e.in_field(what))?;
    metiers::PlaceRef::from_value(value, what)
}

fn word<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, Error> {
    metiers::error::from_value(Value::String(text.to_string()), what)
}

/// What a batch search runs: one search per query, in parallel; an invalid query's place holds
/// its error.
#[derive(Clone, Copy)]
enum Search {
    Stages,
    Ambassadors,
    Companies,
}

fn batch(shared: &Shared, kind: Search, parsed: Vec<Result<Query, Error>>) -> Result<Value, Error> {
    let ok: Vec<Query> = parsed
        .iter()
        .filter_map(|p| p.as_ref().ok().cloned())
        .collect();
    let results: Vec<Result<Value, Error>> = read(shared, |e| {
        Ok(match kind {
            Search::Stages => e
                .search_stages_batch(&ok)
                .into_iter()
                .map(|r| r.and_then(|v| to_json(&v)))
                .collect(),
            Search::Ambassadors => e
                .search_ambassadors_batch(&ok)
                .into_iter()
                .map(|r| r.and_then(|v| to_json(&v)))
                .collect(),
            Search::Companies => e
                .search_companies_batch(&ok)
                .into_iter()
                .map(|r| r.and_then(|v| to_json(&v)))
                .collect(),
        })
    })?;
    let mut results = results.into_iter();
    let out: Vec<Value> = parsed
        .into_iter()
        .map(|p| {
            let r = p.and_then(|_| {
                results
                    .next()
                    .unwrap_or_else(|| Err(Error::Internal("batch size".into())))
            });
            match r {
                Ok(v) => serde_json::json!({ "ok": v }),
                Err(e) => serde_json::json!({ "error": e }),
            }
        })
        .collect();
    Ok(Value::Array(out))
}

/// A batch search off the event loop.
pub struct BatchTask {
    shared: Shared,
    kind: Search,
    parsed: Option<Vec<Result<Query, Error>>>,
}

/// Async results travel as JSON text (the facade parses it once).
impl Task for BatchTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        let parsed = self.parsed.take().unwrap_or_default();
        batch(&self.shared, self.kind, parsed)
            .map(|v| v.to_string())
            .map_err(|e| thrown(&e))
    }

    fn resolve(&mut self, _env: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

/// What a load reads.
enum Load {
    Json,
    Jsonl(Entity),
    Csv(Entity),
}

fn load(
    shared: &Shared,
    how: &Load,
    source: &str,
    data: &[u8],
    mode: LoadMode,
) -> Result<Value, Error> {
    let report = write(shared, |e| match how {
        Load::Json => e.load_json(source, data, mode),
        Load::Jsonl(entity) => e.load_jsonl(*entity, source, data, mode),
        Load::Csv(entity) => e.load_csv(*entity, source, data, mode),
    })?;
    to_json(&report)
}

/// Loading a file off the event loop.
pub struct LoadTask {
    shared: Shared,
    how: Load,
    source: String,
    data: Vec<u8>,
    mode: LoadMode,
}

impl Task for LoadTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        load(&self.shared, &self.how, &self.source, &self.data, self.mode)
            .map(|v| v.to_string())
            .map_err(|e| thrown(&e))
    }

    fn resolve(&mut self, _env: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

/// The matching engine (a long-lived handle; results are plain objects).
#[napi]
pub struct Engine {
    shared: Shared,
}

fn wrap(engine: metiers::Engine) -> Engine {
    Engine {
        shared: Arc::new(RwLock::new(engine)),
    }
}

fn load_task(
    shared: &Shared,
    how: Load,
    source: String,
    data: Buffer,
    mode: Option<String>,
) -> napi::Result<LoadTask> {
    let mode: LoadMode =
        word(mode.as_deref().unwrap_or("strict"), "mode").map_err(|e| thrown(&e))?;
    Ok(LoadTask {
        shared: Arc::clone(shared),
        how,
        source,
        data: data.to_vec(),
        mode,
    })
}

#[napi]
impl Engine {
    /// ROME 4.60, the communes of Normandy, the zone B calendar and the fictitious sample.
    #[napi(factory, catch_unwind)]
    pub fn normandy() -> napi::Result<Engine> {
        metiers::Engine::normandy()
            .map(wrap)
            .map_err(|e| thrown(&e))
    }

    /// An engine with an empty catalogue on `"normandy"` or `"france"`.
    #[napi(factory, catch_unwind)]
    pub fn empty(region: Option<String>) -> napi::Result<Engine> {
        metiers::Engine::empty(region.as_deref().unwrap_or("normandy"))
            .map(wrap)
            .map_err(|e| thrown(&e))
    }

    /// An engine with an empty catalogue on the referential and communes given as bytes (the
    /// compact files `rome.bin` and `normandy.bin` or `france.bin`).
    #[napi(factory, catch_unwind)]
    pub fn from_data(
        rome: Buffer,
        communes: Buffer,
        region: Option<String>,
    ) -> napi::Result<Engine> {
        metiers::Engine::from_data(&rome, &communes, region.as_deref().unwrap_or("normandy"))
            .map(wrap)
            .map_err(|e| thrown(&e))
    }

    /// The embedded region.
    #[napi(getter, catch_unwind)]
    pub fn region(&self) -> napi::Result<String> {
        read(&self.shared, |e| Ok(e.region().to_string())).map_err(|e| thrown(&e))
    }

    /// Job-title search.
    #[napi(catch_unwind)]
    pub fn search_metiers(
        &self,
        #[napi(ts_arg_type = "string")] text: Input,
        #[napi(ts_arg_type = "number | undefined | null")] limit: Option<Input>,
    ) -> napi::Result<Value> {
        let words = self::text(text, "text").map_err(|e| thrown(&e))?;
        let limit = whole(limit, "limit", 10).map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.search_metiers(&words, limit)?)).map_err(|e| thrown(&e))
    }

    /// Places a text or a typed place (`{ insee }`, `{ postal_code }`, `{ departement }`,
    /// `{ lat, lon }`) stands for, best first.
    #[napi(catch_unwind, ts_args_type = "place: string | Record<string, unknown>")]
    pub fn locate(&self, place: Input) -> napi::Result<Value> {
        read(&self.shared, |e| {
            to_json(&e.locate(place_ref(place, "place")?)?)
        })
        .map_err(|e| thrown(&e))
    }

    /// The one place a text or a typed place stands for (`ambiguous_place` with the
    /// candidates when it could mean several).
    #[napi(catch_unwind, ts_args_type = "place: string | Record<string, unknown>")]
    pub fn resolve(&self, place: Input) -> napi::Result<Value> {
        read(&self.shared, |e| {
            to_json(&e.resolve(place_ref(place, "place")?)?)
        })
        .map_err(|e| thrown(&e))
    }

    /// Great-circle distance in km between two places.
    #[napi(
        catch_unwind,
        ts_args_type = "from: string | Record<string, unknown>, to: string | Record<string, unknown>"
    )]
    pub fn distance_km(&self, from: Input, to: Input) -> napi::Result<f64> {
        read(&self.shared, |e| {
            e.distance_km(place_ref(from, "from")?, place_ref(to, "to")?)
        })
        .map_err(|e| thrown(&e))
    }

    /// A métier by ROME code.
    #[napi(catch_unwind)]
    pub fn metier(&self, #[napi(ts_arg_type = "string")] code: Input) -> napi::Result<Value> {
        let code = text(code, "code").map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(e.metier(&code)?)).map_err(|e| thrown(&e))
    }

    /// A company of the catalogue by id (a stage result names its company by id).
    #[napi(catch_unwind)]
    pub fn company(&self, #[napi(ts_arg_type = "string")] id: Input) -> napi::Result<Value> {
        let id = text(id, "id").map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(e.company(&id)?)).map_err(|e| thrown(&e))
    }

    /// An ambassador of the catalogue by id.
    #[napi(catch_unwind)]
    pub fn ambassador(&self, #[napi(ts_arg_type = "string")] id: Input) -> napi::Result<Value> {
        let id = text(id, "id").map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(e.ambassador(&id)?)).map_err(|e| thrown(&e))
    }

    /// A stage of the catalogue by id.
    #[napi(catch_unwind)]
    pub fn stage(&self, #[napi(ts_arg_type = "string")] id: Input) -> napi::Result<Value> {
        let id = text(id, "id").map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(e.stage(&id)?)).map_err(|e| thrown(&e))
    }

    /// A commune by INSEE code (a result's place names its commune by code).
    #[napi(catch_unwind)]
    pub fn commune(&self, #[napi(ts_arg_type = "string")] code: Input) -> napi::Result<Value> {
        let code = text(code, "code").map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(e.commune(&code)?)).map_err(|e| thrown(&e))
    }

    /// Stages that fit, best first.
    #[napi(catch_unwind)]
    pub fn search_stages(
        &self,
        #[napi(ts_arg_type = "any")] query_value: Option<Input>,
    ) -> napi::Result<Value> {
        let q = query(query_value).map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.search_stages(&q)?)).map_err(|e| thrown(&e))
    }

    /// Ambassadors that fit, best first.
    #[napi(catch_unwind)]
    pub fn search_ambassadors(
        &self,
        #[napi(ts_arg_type = "any")] query_value: Option<Input>,
    ) -> napi::Result<Value> {
        let q = query(query_value).map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.search_ambassadors(&q)?)).map_err(|e| thrown(&e))
    }

    /// Companies that fit, best first.
    #[napi(catch_unwind)]
    pub fn search_companies(
        &self,
        #[napi(ts_arg_type = "any")] query_value: Option<Input>,
    ) -> napi::Result<Value> {
        let q = query(query_value).map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.search_companies(&q)?)).map_err(|e| thrown(&e))
    }

    /// Teacher: ambassadors who come to the class.
    #[napi(catch_unwind)]
    pub fn ambassadors_for_class(
        &self,
        #[napi(ts_arg_type = "any")] query_value: Option<Input>,
    ) -> napi::Result<Value> {
        let q = query(query_value).map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.ambassadors_for_class(&q)?)).map_err(|e| thrown(&e))
    }

    /// Teacher: companies that receive a class.
    #[napi(catch_unwind)]
    pub fn companies_for_class(
        &self,
        #[napi(ts_arg_type = "any")] query_value: Option<Input>,
    ) -> napi::Result<Value> {
        let q = query(query_value).map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.companies_for_class(&q)?)).map_err(|e| thrown(&e))
    }

    /// Métiers with a stage or an ambassador near the place.
    #[napi(catch_unwind)]
    pub fn metiers_near(
        &self,
        #[napi(ts_arg_type = "any")] query_value: Option<Input>,
    ) -> napi::Result<Value> {
        let q = query(query_value).map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.metiers_near(&q)?)).map_err(|e| thrown(&e))
    }

    /// Many stage searches; each item is `{ok}` or `{error}`.
    #[napi(catch_unwind)]
    pub fn search_stages_batch(
        &self,
        #[napi(ts_arg_type = "any")] queries_value: Input,
    ) -> napi::Result<Value> {
        let parsed = queries(queries_value).map_err(|e| thrown(&e))?;
        batch(&self.shared, Search::Stages, parsed).map_err(|e| thrown(&e))
    }

    /// Many ambassador searches.
    #[napi(catch_unwind)]
    pub fn search_ambassadors_batch(
        &self,
        #[napi(ts_arg_type = "any")] queries_value: Input,
    ) -> napi::Result<Value> {
        let parsed = queries(queries_value).map_err(|e| thrown(&e))?;
        batch(&self.shared, Search::Ambassadors, parsed).map_err(|e| thrown(&e))
    }

    /// Many company searches.
    #[napi(catch_unwind)]
    pub fn search_companies_batch(
        &self,
        #[napi(ts_arg_type = "any")] queries_value: Input,
    ) -> napi::Result<Value> {
        let parsed = queries(queries_value).map_err(|e| thrown(&e))?;
        batch(&self.shared, Search::Companies, parsed).map_err(|e| thrown(&e))
    }

    /// Many stage searches off the event loop.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn search_stages_batch_async(
        &self,
        #[napi(ts_arg_type = "any")] queries_value: Input,
    ) -> napi::Result<AsyncTask<BatchTask>> {
        self.batch_task(Search::Stages, queries_value)
    }

    /// Many ambassador searches off the event loop.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn search_ambassadors_batch_async(
        &self,
        #[napi(ts_arg_type = "any")] queries_value: Input,
    ) -> napi::Result<AsyncTask<BatchTask>> {
        self.batch_task(Search::Ambassadors, queries_value)
    }

    /// Many company searches off the event loop.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn search_companies_batch_async(
        &self,
        #[napi(ts_arg_type = "any")] queries_value: Input,
    ) -> napi::Result<AsyncTask<BatchTask>> {
        self.batch_task(Search::Companies, queries_value)
    }

    /// Counts in total and per département.
    #[napi(catch_unwind)]
    pub fn counters(&self) -> napi::Result<Value> {
        read(&self.shared, |e| to_json(&e.counters())).map_err(|e| thrown(&e))
    }

    /// Companies with a stage in a département.
    #[napi(catch_unwind)]
    pub fn companies_with_stages_in(
        &self,
        #[napi(ts_arg_type = "string")] departement: Input,
    ) -> napi::Result<Value> {
        let departement = text(departement, "departement").map_err(|e| thrown(&e))?;
        read(&self.shared, |e| {
            to_json(&e.companies_with_stages_in(&departement)?)
        })
        .map_err(|e| thrown(&e))
    }

    /// Loads a JSON document; returns the report.
    #[napi(catch_unwind)]
    pub fn load_json(
        &self,
        source: String,
        data: Buffer,
        mode: Option<String>,
    ) -> napi::Result<Value> {
        let t = load_task(&self.shared, Load::Json, source, data, mode)?;
        load(&t.shared, &t.how, &t.source, &t.data, t.mode).map_err(|e| thrown(&e))
    }

    /// Loads JSON lines of one entity.
    #[napi(catch_unwind)]
    pub fn load_jsonl(
        &self,
        entity: String,
        source: String,
        data: Buffer,
        mode: Option<String>,
    ) -> napi::Result<Value> {
        let entity: Entity = word(&entity, "entity").map_err(|e| thrown(&e))?;
        let t = load_task(&self.shared, Load::Jsonl(entity), source, data, mode)?;
        load(&t.shared, &t.how, &t.source, &t.data, t.mode).map_err(|e| thrown(&e))
    }

    /// Loads a CSV file of one entity.
    #[napi(catch_unwind)]
    pub fn load_csv(
        &self,
        entity: String,
        source: String,
        data: Buffer,
        mode: Option<String>,
    ) -> napi::Result<Value> {
        let entity: Entity = word(&entity, "entity").map_err(|e| thrown(&e))?;
        let t = load_task(&self.shared, Load::Csv(entity), source, data, mode)?;
        load(&t.shared, &t.how, &t.source, &t.data, t.mode).map_err(|e| thrown(&e))
    }

    /// Loads a JSON document off the event loop.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn load_json_async(
        &self,
        source: String,
        data: Buffer,
        mode: Option<String>,
    ) -> napi::Result<AsyncTask<LoadTask>> {
        Ok(AsyncTask::new(load_task(
            &self.shared,
            Load::Json,
            source,
            data,
            mode,
        )?))
    }

    /// Loads JSON lines off the event loop.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn load_jsonl_async(
        &self,
        entity: String,
        source: String,
        data: Buffer,
        mode: Option<String>,
    ) -> napi::Result<AsyncTask<LoadTask>> {
        let entity: Entity = word(&entity, "entity").map_err(|e| thrown(&e))?;
        Ok(AsyncTask::new(load_task(
            &self.shared,
            Load::Jsonl(entity),
            source,
            data,
            mode,
        )?))
    }

    /// Loads a CSV file off the event loop.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn load_csv_async(
        &self,
        entity: String,
        source: String,
        data: Buffer,
        mode: Option<String>,
    ) -> napi::Result<AsyncTask<LoadTask>> {
        let entity: Entity = word(&entity, "entity").map_err(|e| thrown(&e))?;
        Ok(AsyncTask::new(load_task(
            &self.shared,
            Load::Csv(entity),
            source,
            data,
            mode,
        )?))
    }

    /// Adds a company.
    #[napi(catch_unwind)]
    pub fn add_company(&self, #[napi(ts_arg_type = "any")] item: Input) -> napi::Result<()> {
        self.change(|e| e.add_company(parse_item(item, "company")?))
    }

    /// Replaces a company.
    #[napi(catch_unwind)]
    pub fn replace_company(&self, #[napi(ts_arg_type = "any")] item: Input) -> napi::Result<()> {
        self.change(|e| e.replace_company(parse_item(item, "company")?))
    }

    /// Removes a company and returns it.
    #[napi(catch_unwind)]
    pub fn remove_company(&self, id: String) -> napi::Result<Value> {
        write(&self.shared, |e| to_json(&e.remove_company(&id)?)).map_err(|e| thrown(&e))
    }

    /// Adds an ambassador.
    #[napi(catch_unwind)]
    pub fn add_ambassador(&self, #[napi(ts_arg_type = "any")] item: Input) -> napi::Result<()> {
        self.change(|e| e.add_ambassador(parse_item(item, "ambassador")?))
    }

    /// Replaces an ambassador.
    #[napi(catch_unwind)]
    pub fn replace_ambassador(&self, #[napi(ts_arg_type = "any")] item: Input) -> napi::Result<()> {
        self.change(|e| e.replace_ambassador(parse_item(item, "ambassador")?))
    }

    /// Removes an ambassador and returns it.
    #[napi(catch_unwind)]
    pub fn remove_ambassador(&self, id: String) -> napi::Result<Value> {
        write(&self.shared, |e| to_json(&e.remove_ambassador(&id)?)).map_err(|e| thrown(&e))
    }

    /// Adds a stage.
    #[napi(catch_unwind)]
    pub fn add_stage(&self, #[napi(ts_arg_type = "any")] item: Input) -> napi::Result<()> {
        self.change(|e| e.add_stage(parse_item(item, "stage")?))
    }

    /// Replaces a stage.
    #[napi(catch_unwind)]
    pub fn replace_stage(&self, #[napi(ts_arg_type = "any")] item: Input) -> napi::Result<()> {
        self.change(|e| e.replace_stage(parse_item(item, "stage")?))
    }

    /// Removes a stage and returns it.
    #[napi(catch_unwind)]
    pub fn remove_stage(&self, id: String) -> napi::Result<Value> {
        write(&self.shared, |e| to_json(&e.remove_stage(&id)?)).map_err(|e| thrown(&e))
    }

    /// Takes places of a stage; returns the places left.
    #[napi(catch_unwind)]
    pub fn reserve(
        &self,
        stage_id: String,
        #[napi(ts_arg_type = "number | undefined | null")] count: Option<Input>,
    ) -> napi::Result<u32> {
        let count = whole(count, "count", 1).map_err(|e| thrown(&e))?;
        write(&self.shared, |e| e.reserve(&stage_id, count)).map_err(|e| thrown(&e))
    }

    /// Gives places back; returns the places left.
    #[napi(catch_unwind)]
    pub fn release(
        &self,
        stage_id: String,
        #[napi(ts_arg_type = "number | undefined | null")] count: Option<Input>,
    ) -> napi::Result<u32> {
        let count = whole(count, "count", 1).map_err(|e| thrown(&e))?;
        write(&self.shared, |e| e.release(&stage_id, count)).map_err(|e| thrown(&e))
    }

    /// Empties the catalogue.
    #[napi(catch_unwind)]
    pub fn clear_catalog(&self) -> napi::Result<()> {
        self.change(|e| {
            e.clear_catalog();
            Ok(())
        })
    }

    /// The catalogue as the JSON document `loadJson` reads.
    #[napi(catch_unwind)]
    pub fn export_json(&self) -> napi::Result<String> {
        read(&self.shared, |e| Ok(e.export_json())).map_err(|e| thrown(&e))
    }

    /// Builds the search indices now.
    #[napi(catch_unwind)]
    pub fn prepare_search(&self) -> napi::Result<()> {
        read(&self.shared, |e| {
            e.prepare_search();
            Ok(())
        })
        .map_err(|e| thrown(&e))
    }
}

impl Engine {
    fn change(
        &self,
        f: impl FnOnce(&mut metiers::Engine) -> Result<(), Error>,
    ) -> napi::Result<()> {
        write(&self.shared, f).map_err(|e| thrown(&e))
    }

    fn batch_task(&self, kind: Search, queries_value: Input) -> napi::Result<AsyncTask<BatchTask>> {
        let parsed = queries(queries_value).map_err(|e| thrown(&e))?;
        Ok(AsyncTask::new(BatchTask {
            shared: Arc::clone(&self.shared),
            kind,
            parsed: Some(parsed),
        }))
    }
}
