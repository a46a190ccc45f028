//! The native half of the `metiers` npm package (`native.js`); `lib/index.js` is the public face.
//!
//! Conversion only: JS values arrive as JSON values and become the core's serde types; results
//! go back as JSON text that the facade parses (`JSON.parse` builds a page of results in half the
//! time napi took to build the same objects from a `serde_json::Value`); a library error is thrown as a napi error whose message is the
//! error's JSON (`{"code", "message", "source", "line", …}`), which the facade turns into an
//! `Error` with those properties. Long calls have `…Async` forms that run off the event loop.
#![allow(clippy::needless_pass_by_value)] // napi passes arguments by value

mod js;

use metiers::{
    AssignRequest, BatchOptions, CohortSpec, Entity, Error, Format, LoadOptions, Query, Region,
    SearchKind,
};
use napi::bindgen_prelude::{
    AsyncTask, Buffer, FromNapiValue, JsObjectValue, Object, TypeName, Unknown, ValidateNapiValue,
};
use napi::{Env, JsValue, Status, Task};
use napi_derive::napi;
use serde::Serialize;
use serde_json::Value;
use std::sync::{Arc, RwLock};

/// mimalloc's arenas committed as they are used (`metiers_alloc`), set as the library loads.
#[napi_derive::module_init]
fn init() {
    metiers_alloc::committed_on_demand();
}

type Shared = Arc<RwLock<metiers::Engine>>;

/// A library error as a napi error carrying the error's JSON.
fn thrown(e: &Error) -> napi::Error {
    let json = serde_json::to_string(e).unwrap_or_else(|_| e.to_string());
    napi::Error::new(Status::GenericFailure, json)
}

/// A result as JSON text, which the facade parses: ASCII, every other character escaped
/// ([`metiers::output::json_ascii`]), which V8 copies into a string instead of decoding it.
fn to_json<T: Serialize>(value: &T) -> Result<String, Error> {
    metiers::output::json_ascii(value)
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

    /// Reads a JS value (the check's result waits for the call).
    fn of(value: Unknown<'_>) -> napi::Result<Input> {
        let env = value.value().env;
        let read = serde::Deserialize::deserialize(js::Js(value));
        // A getter or a Proxy trap that threw left its exception pending: the reader has
        // already named the field it was reading, so the exception is cleared and the call
        // throws that coded error (the caller's exception took its place, with no field).
        js::clear_pending_exception(env);
        Ok(Input(read?))
    }

    /// An item that could not even be reached (a batch's element getter threw): the error the
    /// reader gives for it, named by its place.
    fn broken(env: napi::sys::napi_env, e: napi::Error) -> napi::Result<Input> {
        js::clear_pending_exception(env);
        Ok(Input(serde::Deserialize::deserialize(js::Broken(
            e.into(),
        ))?))
    }
}

impl FromNapiValue for Input {
    // napi hands over the raw environment and value of the call in progress.
    #[allow(unsafe_code)]
    unsafe fn from_napi_value(
        env: napi::sys::napi_env,
        value: napi::sys::napi_value,
    ) -> napi::Result<Self> {
        Input::of(unsafe { Unknown::from_napi_value(env, value) }?)
    }
}

/// An argument typed `any`: whatever JS value is given reaches our reader, which says what
/// is wrong with it.
macro_rules! any_argument {
    ($($ty:ty),*) => {$(
        impl TypeName for $ty {
            fn type_name() -> &'static str {
                "any"
            }

            fn value_type() -> napi::ValueType {
                napi::ValueType::Unknown
            }
        }

        impl ValidateNapiValue for $ty {}
    )*};
}

any_argument!(Input, Items);

/// A JS array read item by item, so that an item the reader refuses (NaN, nested too deep)
/// is that item's error and not the whole list's; anything else read whole, for its error.
pub enum Items {
    /// The array's items.
    List(Vec<Input>),
    /// A value that is not an array.
    Other(Input),
    /// An array longer than a batch takes ([`metiers::MAX_BATCH`]), not read: the error.
    Refused(Error),
}

impl FromNapiValue for Items {
    // napi hands over the raw environment and value of the call in progress; the cast
    // follows `is_array`, which is what it requires.
    #[allow(unsafe_code)]
    unsafe fn from_napi_value(
        env: napi::sys::napi_env,
        value: napi::sys::napi_value,
    ) -> napi::Result<Self> {
        let unknown = unsafe { Unknown::from_napi_value(env, value) }?;
        if !unknown.is_array()? {
            return Ok(Items::Other(Input::of(unknown)?));
        }
        let list: Object = unsafe { unknown.cast() }?;
        let len = list.get_array_length()?;
        let count = usize::try_from(len).unwrap_or(usize::MAX);
        if let Err(e) = metiers::check_batch_len(count) {
            return Ok(Items::Refused(e));
        }
        let mut items = Vec::with_capacity(count);
        for i in 0..len {
            items.push(match list.get_element(i) {
                Ok(item) => Input::of(item)?,
                Err(e) => Input::broken(env, e)?,
            });
        }
        Ok(Items::List(items))
    }
}

fn query(value: Option<Input>) -> Result<Query, Error> {
    match value.map(|v| v.value("query")).transpose()? {
        None | Some(Value::Null) => Ok(Query::default()),
        Some(v) => metiers::error::from_value(v, "query"),
    }
}

/// A number argument read by `read` (`metiers::input::whole` for a count, `size` for a
/// limit); `None` when not given (the core's default).
fn number<T>(
    value: Option<Input>,
    what: &str,
    read: fn(&Value, &str) -> Result<T, Error>,
) -> Result<Option<T>, Error> {
    match value.map(|v| v.value(what)).transpose()? {
        None | Some(Value::Null) => Ok(None),
        Some(v) => read(&v, what).map(Some),
    }
}

/// An optional JSON argument (options objects).
fn optional(value: Option<Input>, what: &str) -> Result<Option<Value>, Error> {
    value.map(|v| v.value(what)).transpose()
}

/// A string argument (a number, an object or `null` is `invalid_input` naming it).
fn text(value: Input, what: &str) -> Result<String, Error> {
    metiers::error::from_value(value.value(what)?, what)
}

fn parse_item<T: serde::de::DeserializeOwned>(value: Input, what: &str) -> Result<T, Error> {
    metiers::error::from_value(value.value(what)?, what)
}

fn queries(value: Items) -> Result<Vec<Result<Query, Error>>, Error> {
    match value {
        Items::List(items) => Ok(metiers::batch_items(
            items.into_iter().map(|q| move |what: &str| q.value(what)),
        )),
        Items::Other(value) => metiers::batch_queries(value.value("queries")?),
        Items::Refused(e) => Err(e),
    }
}

fn place_ref(value: Input, what: &str) -> Result<metiers::PlaceRef, Error> {
    let value = value.value(what).map_err(|e| e.in_field(what))?;
    metiers::PlaceRef::from_value(value, what)
}

fn entity(value: Input) -> Result<Entity, Error> {
    metiers::error::from_value(value.value("entity")?, "entity")
}

/// A batch by the core's protocol: with `errors: "raise"` the first error is thrown; with
/// `"keep"`, each item is `{ok}` or `{error}` (the facade makes the errors `MetiersError`s).
fn batch(
    shared: &Shared,
    kind: SearchKind,
    parsed: Vec<Result<Query, Error>>,
    options: BatchOptions,
) -> Result<String, Error> {
    /// `{"ok": result}` or `{"error": error}`.
    #[derive(Serialize)]
    #[serde(rename_all = "lowercase")]
    enum Item<T> {
        Ok(T),
        Error(Error),
    }
    let results = read(shared, |e| e.search_batch(kind, parsed, options))?;
    let items: Vec<Item<_>> = results
        .into_iter()
        .map(|r| match r {
            Ok(v) => Item::Ok(v),
            Err(e) => Item::Error(e),
        })
        .collect();
    to_json(&items)
}

/// A batch search off the event loop.
pub struct BatchTask {
    shared: Shared,
    kind: SearchKind,
    parsed: Option<Vec<Result<Query, Error>>>,
    options: BatchOptions,
}

/// Async results travel as JSON text (the facade parses it once).
impl Task for BatchTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        let parsed = self.parsed.take().unwrap_or_default();
        batch(&self.shared, self.kind, parsed, self.options).map_err(|e| thrown(&e))
    }

    fn resolve(&mut self, _env: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

fn assign_request(pupils: Input, options: Option<Input>) -> Result<AssignRequest, Error> {
    AssignRequest::from_values(pupils.value("pupils")?, optional(options, "options")?)
}

/// A coverage off the event loop.
pub struct CoverageTask {
    shared: Shared,
    request: metiers::analytics::CoverageRequest,
}

impl Task for CoverageTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        read(&self.shared, |e| to_json(&e.coverage(&self.request)?)).map_err(|e| thrown(&e))
    }

    fn resolve(&mut self, _env: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

/// A placement off the event loop.
pub struct AssignTask {
    shared: Shared,
    request: AssignRequest,
}

impl Task for AssignTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        read(&self.shared, |e| to_json(&e.assign(&self.request)?)).map_err(|e| thrown(&e))
    }

    fn resolve(&mut self, _env: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

fn load(
    shared: &Shared,
    format: Format,
    entity: Option<Entity>,
    data: &[u8],
    options: &LoadOptions,
) -> Result<String, Error> {
    to_json(&write(shared, |e| e.load(format, entity, data, options))?)
}

/// Loading a file off the event loop.
pub struct LoadTask {
    shared: Shared,
    format: Format,
    entity: Option<Entity>,
    data: Vec<u8>,
    options: LoadOptions,
}

impl Task for LoadTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        load(
            &self.shared,
            self.format,
            self.entity,
            &self.data,
            &self.options,
        )
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

/// A load's task; `text` when the caller gave a string (text already, which the options'
/// encoding cannot apply to), which the JS layer turned into its UTF-8 bytes.
fn load_task(
    shared: &Shared,
    format: Format,
    entity: Option<Input>,
    data: Buffer,
    (options, text): (Option<Input>, Option<bool>),
) -> Result<LoadTask, Error> {
    let options = LoadOptions::from_value(optional(options, "options")?)?;
    if text == Some(true) {
        options.for_text("a string")?;
    }
    Ok(LoadTask {
        shared: Arc::clone(shared),
        format,
        entity: entity.map(self::entity).transpose()?,
        data: data.to_vec(),
        options,
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

    /// An engine with an empty catalogue on `"normandy"` (the default) or `"france"`.
    #[napi(factory, catch_unwind)]
    pub fn empty(region: Option<String>) -> napi::Result<Engine> {
        Region::from_arg(region.as_deref())
            .and_then(metiers::Engine::empty)
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
        Region::from_arg(region.as_deref())
            .and_then(|region| metiers::Engine::from_data(&rome, &communes, region))
            .map(wrap)
            .map_err(|e| thrown(&e))
    }

    /// The engine as bytes that `restore` reads back (catalogue and reservations included).
    #[napi(catch_unwind)]
    pub fn snapshot(&self) -> napi::Result<Buffer> {
        read(&self.shared, |e| e.snapshot().map(Buffer::from)).map_err(|e| thrown(&e))
    }

    /// The engine a snapshot holds.
    #[napi(factory, catch_unwind)]
    pub fn restore(bytes: Buffer) -> napi::Result<Engine> {
        metiers::Engine::restore(&bytes)
            .map(wrap)
            .map_err(|e| thrown(&e))
    }

    /// The defaults of every argument.
    #[napi(catch_unwind)]
    pub fn defaults() -> napi::Result<String> {
        to_json(&metiers::Engine::defaults()).map_err(|e| thrown(&e))
    }

    /// The French label of every enum value (`labels().stage_kind.mini_stage`).
    #[napi(catch_unwind)]
    pub fn labels() -> napi::Result<String> {
        to_json(&metiers::Engine::labels()).map_err(|e| thrown(&e))
    }

    /// A period as French says it (`"du 19 au 23 avril 2027"`).
    #[napi(catch_unwind)]
    pub fn period_label(#[napi(ts_arg_type = "any")] period: Input) -> napi::Result<String> {
        let period: metiers::Period = parse_item(period, "period").map_err(|e| thrown(&e))?;
        Ok(metiers::wording::period(&period))
    }

    /// Every error code.
    #[napi(catch_unwind)]
    pub fn error_codes() -> Vec<&'static str> {
        metiers::ErrorCode::ALL.iter().map(|c| c.as_str()).collect()
    }

    /// The embedded region.
    #[napi(getter, catch_unwind)]
    pub fn region(&self) -> napi::Result<String> {
        read(&self.shared, |e| Ok(e.region().to_string())).map_err(|e| thrown(&e))
    }

    /// A table of the referential, the geography or the catalogue (`"communes"`, `"stages"`…).
    #[napi(catch_unwind)]
    pub fn table(&self, #[napi(ts_arg_type = "string")] name: Input) -> napi::Result<String> {
        let table = parse_item(name, "name").map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.table(table)?)).map_err(|e| thrown(&e))
    }

    /// Job-title search.
    #[napi(catch_unwind)]
    pub fn search_metiers(
        &self,
        #[napi(ts_arg_type = "string")] text: Input,
        #[napi(ts_arg_type = "number | undefined | null")] limit: Option<Input>,
    ) -> napi::Result<String> {
        let words = self::text(text, "text").map_err(|e| thrown(&e))?;
        let limit = number(limit, "limit", metiers::input::size).map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.search_metiers(&words, limit)?)).map_err(|e| thrown(&e))
    }

    /// Places a text or a typed place (`{ insee }`, `{ postal_code }`, `{ departement }`,
    /// `{ lat, lon }`) stands for, best first.
    #[napi(catch_unwind, ts_args_type = "place: string | Record<string, unknown>")]
    pub fn locate(&self, place: Input) -> napi::Result<String> {
        read(&self.shared, |e| {
            to_json(&e.locate(place_ref(place, "place")?)?)
        })
        .map_err(|e| thrown(&e))
    }

    /// The one place a text or a typed place stands for (`ambiguous_place` with the
    /// candidates when it could mean several).
    #[napi(catch_unwind, ts_args_type = "place: string | Record<string, unknown>")]
    pub fn resolve(&self, place: Input) -> napi::Result<String> {
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
    pub fn metier(&self, #[napi(ts_arg_type = "string")] code: Input) -> napi::Result<String> {
        let code = text(code, "code").map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(e.metier(&code)?)).map_err(|e| thrown(&e))
    }

    /// A company of the catalogue by id (a stage result names its company by id).
    #[napi(catch_unwind)]
    pub fn company(&self, #[napi(ts_arg_type = "string")] id: Input) -> napi::Result<String> {
        let id = text(id, "id").map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(e.company(&id)?)).map_err(|e| thrown(&e))
    }

    /// An ambassador of the catalogue by id.
    #[napi(catch_unwind)]
    pub fn ambassador(&self, #[napi(ts_arg_type = "string")] id: Input) -> napi::Result<String> {
        let id = text(id, "id").map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(e.ambassador(&id)?)).map_err(|e| thrown(&e))
    }

    /// A stage of the catalogue by id.
    #[napi(catch_unwind)]
    pub fn stage(&self, #[napi(ts_arg_type = "string")] id: Input) -> napi::Result<String> {
        let id = text(id, "id").map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(e.stage(&id)?)).map_err(|e| thrown(&e))
    }

    /// A commune by INSEE code (a result's place names its commune by code).
    #[napi(catch_unwind)]
    pub fn commune(&self, #[napi(ts_arg_type = "string")] code: Input) -> napi::Result<String> {
        let code = text(code, "code").map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(e.commune(&code)?)).map_err(|e| thrown(&e))
    }

    /// Stages that fit, best first.
    #[napi(catch_unwind)]
    pub fn search_stages(
        &self,
        #[napi(ts_arg_type = "any")] query_value: Option<Input>,
    ) -> napi::Result<String> {
        let q = query(query_value).map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.search_stages(&q)?)).map_err(|e| thrown(&e))
    }

    /// Ambassadors that fit, best first.
    #[napi(catch_unwind)]
    pub fn search_ambassadors(
        &self,
        #[napi(ts_arg_type = "any")] query_value: Option<Input>,
    ) -> napi::Result<String> {
        let q = query(query_value).map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.search_ambassadors(&q)?)).map_err(|e| thrown(&e))
    }

    /// Companies that fit, best first.
    #[napi(catch_unwind)]
    pub fn search_companies(
        &self,
        #[napi(ts_arg_type = "any")] query_value: Option<Input>,
    ) -> napi::Result<String> {
        let q = query(query_value).map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.search_companies(&q)?)).map_err(|e| thrown(&e))
    }

    /// Teacher: ambassadors who come to the class.
    #[napi(catch_unwind)]
    pub fn ambassadors_for_class(
        &self,
        #[napi(ts_arg_type = "any")] query_value: Option<Input>,
    ) -> napi::Result<String> {
        let q = query(query_value).map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.ambassadors_for_class(&q)?)).map_err(|e| thrown(&e))
    }

    /// Teacher: companies that receive a class.
    #[napi(catch_unwind)]
    pub fn companies_for_class(
        &self,
        #[napi(ts_arg_type = "any")] query_value: Option<Input>,
    ) -> napi::Result<String> {
        let q = query(query_value).map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.companies_for_class(&q)?)).map_err(|e| thrown(&e))
    }

    /// Métiers with a stage or an ambassador near the place.
    #[napi(catch_unwind)]
    pub fn metiers_near(
        &self,
        #[napi(ts_arg_type = "any")] query_value: Option<Input>,
    ) -> napi::Result<String> {
        let q = query(query_value).map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.metiers_near(&q)?)).map_err(|e| thrown(&e))
    }

    /// Many stage searches; each item is `{ok}` or `{error}`.
    #[napi(catch_unwind)]
    pub fn search_stages_batch(
        &self,
        #[napi(ts_arg_type = "any")] queries_value: Items,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
    ) -> napi::Result<String> {
        self.batch_now(SearchKind::Stages, queries_value, options)
    }

    /// Many ambassador searches.
    #[napi(catch_unwind)]
    pub fn search_ambassadors_batch(
        &self,
        #[napi(ts_arg_type = "any")] queries_value: Items,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
    ) -> napi::Result<String> {
        self.batch_now(SearchKind::Ambassadors, queries_value, options)
    }

    /// Many company searches.
    #[napi(catch_unwind)]
    pub fn search_companies_batch(
        &self,
        #[napi(ts_arg_type = "any")] queries_value: Items,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
    ) -> napi::Result<String> {
        self.batch_now(SearchKind::Companies, queries_value, options)
    }

    /// Many stage searches off the event loop.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn search_stages_batch_async(
        &self,
        #[napi(ts_arg_type = "any")] queries_value: Items,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
    ) -> napi::Result<AsyncTask<BatchTask>> {
        self.batch_task(SearchKind::Stages, queries_value, options)
    }

    /// Many ambassador searches off the event loop.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn search_ambassadors_batch_async(
        &self,
        #[napi(ts_arg_type = "any")] queries_value: Items,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
    ) -> napi::Result<AsyncTask<BatchTask>> {
        self.batch_task(SearchKind::Ambassadors, queries_value, options)
    }

    /// Many company searches off the event loop.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn search_companies_batch_async(
        &self,
        #[napi(ts_arg_type = "any")] queries_value: Items,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
    ) -> napi::Result<AsyncTask<BatchTask>> {
        self.batch_task(SearchKind::Companies, queries_value, options)
    }

    /// Places a cohort: each pupil on a stage, stable, explained (see the README).
    #[napi(catch_unwind)]
    pub fn assign(
        &self,
        #[napi(ts_arg_type = "any")] pupils: Input,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
    ) -> napi::Result<String> {
        let request = assign_request(pupils, options).map_err(|e| thrown(&e))?;
        read(&self.shared, |e| to_json(&e.assign(&request)?)).map_err(|e| thrown(&e))
    }

    /// What every origin has within each radius, per sector (territory analytics).
    #[napi(catch_unwind)]
    pub fn coverage(
        &self,
        #[napi(ts_arg_type = "any")] request: Option<Input>,
    ) -> napi::Result<String> {
        let run = || -> Result<String, Error> {
            let request =
                metiers::analytics::CoverageRequest::from_value(optional(request, "request")?)?;
            read(&self.shared, |e| to_json(&e.coverage(&request)?))
        };
        run().map_err(|e| thrown(&e))
    }

    /// The coverage off the event loop.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn coverage_async(
        &self,
        #[napi(ts_arg_type = "any")] request: Option<Input>,
    ) -> napi::Result<AsyncTask<CoverageTask>> {
        let request = optional(request, "request")
            .and_then(metiers::analytics::CoverageRequest::from_value)
            .map_err(|e| thrown(&e))?;
        Ok(AsyncTask::new(CoverageTask {
            shared: Arc::clone(&self.shared),
            request,
        }))
    }

    /// White zones: the surface farther than each radius from every stage of each sector.
    #[napi(catch_unwind)]
    pub fn white_zones(
        &self,
        #[napi(ts_arg_type = "any")] request: Option<Input>,
    ) -> napi::Result<String> {
        let run = || -> Result<String, Error> {
            let request =
                metiers::analytics::WhiteZoneRequest::from_value(optional(request, "request")?)?;
            read(&self.shared, |e| to_json(&e.white_zones(&request)?))
        };
        run().map_err(|e| thrown(&e))
    }

    /// Each collège's 3e pupils against the places within its reach.
    #[napi(catch_unwind)]
    pub fn supply_demand(
        &self,
        #[napi(ts_arg_type = "any")] request: Option<Input>,
    ) -> napi::Result<String> {
        let run = || -> Result<String, Error> {
            let request =
                metiers::analytics::DemandRequest::from_value(optional(request, "request")?)?;
            read(&self.shared, |e| to_json(&e.supply_demand(&request)?))
        };
        run().map_err(|e| thrown(&e))
    }

    /// Places a cohort off the event loop.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn assign_async(
        &self,
        #[napi(ts_arg_type = "any")] pupils: Input,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
    ) -> napi::Result<AsyncTask<AssignTask>> {
        let request = assign_request(pupils, options).map_err(|e| thrown(&e))?;
        Ok(AsyncTask::new(AssignTask {
            shared: Arc::clone(&self.shared),
            request,
        }))
    }

    /// Checks a placement (or a list of `{pupil, stage}`) against the request's rules.
    #[napi(catch_unwind)]
    pub fn check_placement(
        &self,
        #[napi(ts_arg_type = "any")] pupils: Input,
        #[napi(ts_arg_type = "any")] placement: Input,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
    ) -> napi::Result<String> {
        let run = || -> Result<String, Error> {
            let request = assign_request(pupils, options)?;
            let list = metiers::assign::assignments_from_value(placement.value("placement")?)?;
            read(&self.shared, |e| {
                to_json(&e.check_placement(&request, &list)?)
            })
        };
        run().map_err(|e| thrown(&e))
    }

    /// Places classes' visit requests onto ambassadors' class-visit sessions.
    #[napi(catch_unwind)]
    pub fn assign_visits(
        &self,
        #[napi(ts_arg_type = "any")] requests: Input,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
    ) -> napi::Result<String> {
        let run = || -> Result<String, Error> {
            let request = metiers::assign::VisitsRequest::from_values(
                requests.value("requests")?,
                optional(options, "options")?,
            )?;
            read(&self.shared, |e| to_json(&e.assign_visits(&request)?))
        };
        run().map_err(|e| thrown(&e))
    }

    /// Books every visit of a visit placement, or none.
    #[napi(catch_unwind)]
    pub fn apply_visits(
        &self,
        #[napi(ts_arg_type = "any")] placement: Input,
    ) -> napi::Result<String> {
        let placement: metiers::assign::VisitPlacement =
            parse_item(placement, "placement").map_err(|e| thrown(&e))?;
        write(&self.shared, |e| to_json(&e.apply_visits(&placement)?)).map_err(|e| thrown(&e))
    }

    /// Reserves every place of a placement, or none.
    #[napi(catch_unwind)]
    pub fn apply(&self, #[napi(ts_arg_type = "any")] placement: Input) -> napi::Result<String> {
        let placement: metiers::Placement =
            parse_item(placement, "placement").map_err(|e| thrown(&e))?;
        write(&self.shared, |e| to_json(&e.apply(&placement)?)).map_err(|e| thrown(&e))
    }

    /// A seeded cohort of 3e pupils of the known collèges.
    #[napi(catch_unwind)]
    pub fn cohort(&self, #[napi(ts_arg_type = "any")] spec: Option<Input>) -> napi::Result<String> {
        let run = || -> Result<String, Error> {
            let spec: CohortSpec = match optional(spec, "spec")? {
                None | Some(Value::Null) => CohortSpec::default(),
                Some(v) => metiers::error::from_value(v, "spec")?,
            };
            read(&self.shared, |e| to_json(&e.cohort(&spec)?))
        };
        run().map_err(|e| thrown(&e))
    }

    /// The pupils with their profiles turned into the wishes the engine ranks.
    #[napi(catch_unwind)]
    pub fn with_wishes(&self, #[napi(ts_arg_type = "any")] pupils: Input) -> napi::Result<String> {
        let run = || -> Result<String, Error> {
            let list = AssignRequest::from_values(pupils.value("pupils")?, None)?.pupils;
            read(&self.shared, |e| to_json(&e.with_wishes(list)?))
        };
        run().map_err(|e| thrown(&e))
    }

    /// The schools the engine knows (the collèges and lycées of Normandy).
    #[napi(catch_unwind)]
    pub fn schools(&self) -> napi::Result<String> {
        read(&self.shared, |e| {
            to_json(&e.schools().iter().collect::<Vec<_>>())
        })
        .map_err(|e| thrown(&e))
    }

    /// Counts in total and per département.
    #[napi(catch_unwind)]
    pub fn counters(&self) -> napi::Result<String> {
        read(&self.shared, |e| to_json(&e.counters())).map_err(|e| thrown(&e))
    }

    /// Companies with a stage in a département.
    #[napi(catch_unwind)]
    pub fn companies_with_stages_in(
        &self,
        #[napi(ts_arg_type = "string")] departement: Input,
    ) -> napi::Result<String> {
        let departement = text(departement, "departement").map_err(|e| thrown(&e))?;
        read(&self.shared, |e| {
            to_json(&e.companies_with_stages_in(&departement)?)
        })
        .map_err(|e| thrown(&e))
    }

    /// Loads a JSON document; returns the report. Options: `{ source, mode }` (and `encoding`
    /// for CSV bytes).
    #[napi(catch_unwind)]
    pub fn load_json(
        &self,
        data: Buffer,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
    ) -> napi::Result<String> {
        Self::run(load_task(
            &self.shared,
            Format::Json,
            None,
            data,
            (options, None),
        ))
    }

    /// Loads JSON lines of one entity.
    #[napi(catch_unwind)]
    pub fn load_jsonl(
        &self,
        #[napi(ts_arg_type = "string")] entity: Input,
        data: Buffer,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
    ) -> napi::Result<String> {
        Self::run(load_task(
            &self.shared,
            Format::Jsonl,
            Some(entity),
            data,
            (options, None),
        ))
    }

    /// Loads a CSV file of one entity (`text`: the caller gave a string).
    #[napi(catch_unwind)]
    pub fn load_csv(
        &self,
        #[napi(ts_arg_type = "string")] entity: Input,
        data: Buffer,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
        text: Option<bool>,
    ) -> napi::Result<String> {
        Self::run(load_task(
            &self.shared,
            Format::Csv,
            Some(entity),
            data,
            (options, text),
        ))
    }

    /// Loads a file by its extension (`.json`, `.jsonl`/`.ndjson`, `.csv`/`.tsv`); options
    /// `{ source, mode, encoding }`, and the entity for JSON lines and CSV.
    #[napi(catch_unwind)]
    pub fn load_file(
        &self,
        #[napi(ts_arg_type = "string")] path: Input,
        #[napi(ts_arg_type = "string | undefined | null")] entity: Option<Input>,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
    ) -> napi::Result<String> {
        let run = || -> Result<String, Error> {
            let path = text(path, "path")?;
            let entity = match optional(entity, "entity")? {
                None | Some(Value::Null) => None,
                Some(v) => Some(metiers::error::from_value(v, "entity")?),
            };
            let options = LoadOptions::from_value(optional(options, "options")?)?;
            to_json(&write(&self.shared, |e| {
                e.load_path(std::path::Path::new(&path), entity, &options)
            })?)
        };
        run().map_err(|e| thrown(&e))
    }

    /// Loads a JSON document off the event loop.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn load_json_async(
        &self,
        data: Buffer,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
    ) -> napi::Result<AsyncTask<LoadTask>> {
        Self::spawn(load_task(
            &self.shared,
            Format::Json,
            None,
            data,
            (options, None),
        ))
    }

    /// Loads JSON lines off the event loop.
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn load_jsonl_async(
        &self,
        #[napi(ts_arg_type = "string")] entity: Input,
        data: Buffer,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
    ) -> napi::Result<AsyncTask<LoadTask>> {
        Self::spawn(load_task(
            &self.shared,
            Format::Jsonl,
            Some(entity),
            data,
            (options, None),
        ))
    }

    /// Loads a CSV file off the event loop (`text`: the caller gave a string).
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn load_csv_async(
        &self,
        #[napi(ts_arg_type = "string")] entity: Input,
        data: Buffer,
        #[napi(ts_arg_type = "any")] options: Option<Input>,
        text: Option<bool>,
    ) -> napi::Result<AsyncTask<LoadTask>> {
        Self::spawn(load_task(
            &self.shared,
            Format::Csv,
            Some(entity),
            data,
            (options, text),
        ))
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
    pub fn remove_company(&self, id: String) -> napi::Result<String> {
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
    pub fn remove_ambassador(&self, id: String) -> napi::Result<String> {
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
    pub fn remove_stage(&self, id: String) -> napi::Result<String> {
        write(&self.shared, |e| to_json(&e.remove_stage(&id)?)).map_err(|e| thrown(&e))
    }

    /// Takes places of a stage; returns the places left.
    #[napi(catch_unwind)]
    pub fn reserve(
        &self,
        stage_id: String,
        #[napi(ts_arg_type = "number | undefined | null")] count: Option<Input>,
    ) -> napi::Result<u32> {
        let count: Option<u32> =
            number(count, "count", metiers::input::whole).map_err(|e| thrown(&e))?;
        write(&self.shared, |e| e.reserve(&stage_id, count)).map_err(|e| thrown(&e))
    }

    /// Asks an ambassador for a session: booked, or when they are next free.
    #[napi(catch_unwind)]
    pub fn request_contact(
        &self,
        #[napi(ts_arg_type = "string")] ambassador_id: Input,
        #[napi(ts_arg_type = "string")] mode: Input,
        #[napi(ts_arg_type = "string")] date: Input,
    ) -> napi::Result<String> {
        let run = || -> Result<String, Error> {
            let id = text(ambassador_id, "ambassador_id")?;
            let mode: metiers::ContactMode = parse_item(mode, "mode")?;
            let date: metiers::Date = parse_item(date, "date")?;
            write(&self.shared, |e| {
                to_json(&e.request_contact(&id, mode, date)?)
            })
        };
        run().map_err(|e| thrown(&e))
    }

    /// Gives places back; returns the places left.
    #[napi(catch_unwind)]
    pub fn release(
        &self,
        stage_id: String,
        #[napi(ts_arg_type = "number | undefined | null")] count: Option<Input>,
    ) -> napi::Result<u32> {
        let count: Option<u32> =
            number(count, "count", metiers::input::whole).map_err(|e| thrown(&e))?;
        write(&self.shared, |e| e.release(&stage_id, count)).map_err(|e| thrown(&e))
    }

    /// Gives the métiers their texts from `rome-texts.bin` (`Engine::load_rome_texts`).
    #[napi(catch_unwind)]
    pub fn load_rome_texts(&self, texts: Buffer) -> napi::Result<()> {
        self.change(|e| e.load_rome_texts(&texts))
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
        read(&self.shared, metiers_alloc::export_json).map_err(|e| thrown(&e))
    }

    /// The same document written to the file at `path` as it is serialised.
    #[napi(catch_unwind)]
    pub fn export_json_to(&self, #[napi(ts_arg_type = "string")] path: Input) -> napi::Result<()> {
        let run = || -> Result<(), Error> {
            let path = text(path, "path")?;
            read(&self.shared, |e| {
                e.export_json_to(std::path::Path::new(&path))
            })
        };
        run().map_err(|e| thrown(&e))
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

    fn batch_now(
        &self,
        kind: SearchKind,
        queries_value: Items,
        options: Option<Input>,
    ) -> napi::Result<String> {
        let run = || {
            let parsed = queries(queries_value)?;
            let options = BatchOptions::from_value(optional(options, "options")?)?;
            batch(&self.shared, kind, parsed, options)
        };
        run().map_err(|e| thrown(&e))
    }

    fn batch_task(
        &self,
        kind: SearchKind,
        queries_value: Items,
        options: Option<Input>,
    ) -> napi::Result<AsyncTask<BatchTask>> {
        let parsed = queries(queries_value).map_err(|e| thrown(&e))?;
        let options =
            BatchOptions::from_value(optional(options, "options").map_err(|e| thrown(&e))?)
                .map_err(|e| thrown(&e))?;
        Ok(AsyncTask::new(BatchTask {
            shared: Arc::clone(&self.shared),
            kind,
            parsed: Some(parsed),
            options,
        }))
    }

    /// A load's task, to run off the event loop.
    fn spawn(task: Result<LoadTask, Error>) -> napi::Result<AsyncTask<LoadTask>> {
        task.map(AsyncTask::new).map_err(|e| thrown(&e))
    }

    fn run(task: Result<LoadTask, Error>) -> napi::Result<String> {
        let run = || {
            let t = task?;
            load(&t.shared, t.format, t.entity, &t.data, &t.options)
        };
        run().map_err(|e| thrown(&e))
    }
}
