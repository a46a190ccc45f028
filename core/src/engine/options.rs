//! What every binding would otherwise decide for itself: the embedded region, the defaults of
//! each argument, the options of the loaders and of batches, and the batch protocol (each
//! query parsed on its own; an invalid one keeps its place with its error).

use crate::catalog::{Entity, LoadMode};
use crate::error::{Error, Result};
use crate::rank::{
    DEFAULT_LIMIT, DEFAULT_RADIUS_KM, DEFAULT_ROTATION_MARGIN, MAX_LIMIT, MAX_RADIUS_KM,
};
use crate::Query;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The geography (and calendar) an engine was made on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Region {
    /// The 2,651 communes of Normandy and the zone B school calendar (the default).
    #[default]
    Normandy,
    /// The 34,935 communes of France (feature `france` when embedded); no holiday calendar,
    /// regions being in different zones.
    France,
    /// A geography given by the caller ([`crate::Engine::new`]).
    Custom,
}

impl Region {
    /// The wire name (`"normandy"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Normandy => "normandy",
            Region::France => "france",
            Region::Custom => "custom",
        }
    }

    /// A region argument as the bindings receive it: absent is Normandy; `"normandy"` or
    /// `"france"`; anything else is `invalid_input` (field `region`).
    ///
    /// ```
    /// use metiers::Region;
    /// assert_eq!(Region::from_arg(None).unwrap(), Region::Normandy);
    /// assert_eq!(Region::from_arg(Some("france")).unwrap(), Region::France);
    /// assert_eq!(Region::from_arg(Some("Bretagne")).unwrap_err().code(), "invalid_input");
    /// ```
    pub fn from_arg(region: Option<&str>) -> Result<Region> {
        match region {
            None | Some("normandy") => Ok(Region::Normandy),
            Some("france") => Ok(Region::France),
            Some(other) => Err(Error::invalid(
                "region",
                other,
                "expected \"normandy\" or \"france\"",
            )),
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Region {
    type Err = Error;
    fn from_str(s: &str) -> Result<Region> {
        Region::from_arg(Some(s))
    }
}

/// The default of every argument the bindings take, in one place (`engine.defaults()` in
/// every language, so a form shows what the engine will do).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Defaults {
    /// Radius of a search, in km.
    pub radius_km: f64,
    /// Largest radius, in km.
    pub max_radius_km: f64,
    /// Results per page.
    pub limit: usize,
    /// Largest page.
    pub max_limit: usize,
    /// Job titles a title search returns.
    pub title_limit: usize,
    /// Width of a rotation band (`fairness.rotation_margin`).
    pub rotation_margin: f64,
    /// Places a reservation takes or gives back.
    pub reserve_count: u32,
    /// The region of `Engine.empty()`.
    pub region: Region,
    /// How a load treats bad rows.
    pub load_mode: LoadMode,
    /// What a batch does with an invalid query.
    pub batch_errors: OnBatchError,
}

/// Job titles a title search returns by default.
pub const DEFAULT_TITLE_LIMIT: usize = 10;
/// Places a reservation takes by default.
pub const DEFAULT_RESERVE_COUNT: u32 = 1;

impl Default for Defaults {
    fn default() -> Defaults {
        Defaults {
            radius_km: DEFAULT_RADIUS_KM,
            max_radius_km: MAX_RADIUS_KM,
            limit: DEFAULT_LIMIT,
            max_limit: MAX_LIMIT,
            title_limit: DEFAULT_TITLE_LIMIT,
            rotation_margin: DEFAULT_ROTATION_MARGIN,
            reserve_count: DEFAULT_RESERVE_COUNT,
            region: Region::Normandy,
            load_mode: LoadMode::Strict,
            batch_errors: OnBatchError::Raise,
        }
    }
}

/// The format of a catalogue file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Format {
    /// One JSON document `{"companies": […], "ambassadors": […], "stages": […]}`.
    Json,
    /// JSON lines, one object of one entity a line.
    Jsonl,
    /// CSV of one entity, with the columns of the README.
    Csv,
}

impl Format {
    /// The source label of a load that was given none (`"<json>"`).
    pub fn default_source(self) -> &'static str {
        match self {
            Format::Json => "<json>",
            Format::Jsonl => "<jsonl>",
            Format::Csv => "<csv>",
        }
    }

    /// The format a file name says: `.json`, `.jsonl` or `.ndjson`, `.csv` or `.tsv` (any
    /// case; the cells' separator is read from the header line).
    ///
    /// ```
    /// use metiers::Format;
    /// assert_eq!(Format::of_path("eleves.TSV").unwrap(), Format::Csv);
    /// assert_eq!(Format::of_path("stages.xlsx").unwrap_err().code(), "invalid_input");
    /// ```
    pub fn of_path(path: &str) -> Result<Format> {
        let ext = std::path::Path::new(path)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase());
        match ext.as_deref() {
            Some("jsonl" | "ndjson") => Ok(Format::Jsonl),
            Some("json") => Ok(Format::Json),
            Some("csv" | "tsv") => Ok(Format::Csv),
            _ => Err(Error::invalid(
                "path",
                path,
                "expected a .json, .jsonl, .ndjson, .csv or .tsv file",
            )),
        }
    }
}

/// Options of the loaders, as every binding takes them (`{source, mode, encoding}`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct LoadOptions {
    /// A label for errors and the report (default `"<json>"`, `"<jsonl>"`, `"<csv>"`, or the
    /// file's path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `strict` (the default: one bad row refuses the file) or `lenient` (bad rows reported,
    /// the others loaded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<LoadMode>,
    /// The character encoding of a CSV file's bytes: `"utf-8"` (the default) or
    /// `"windows-1252"` (also `"cp1252"`, `"latin-1"`), what a French spreadsheet's « CSV »
    /// export writes. A file with a byte-order mark is read as the mark says. Only for CSV
    /// bytes: JSON is always UTF-8, and text already decoded has no encoding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<crate::Encoding>,
}

impl LoadOptions {
    /// Options with a mode.
    pub fn mode(mode: LoadMode) -> LoadOptions {
        LoadOptions {
            mode: Some(mode),
            ..LoadOptions::default()
        }
    }

    /// Fails when the options give an encoding other than UTF-8 for data that is text already
    /// (`what`: a JSON document, a data frame, a string a binding received): only the bytes of
    /// a CSV file are decoded.
    ///
    /// ```
    /// use metiers::{Encoding, LoadOptions};
    /// let cp1252 = LoadOptions { encoding: Some(Encoding::Windows1252), ..LoadOptions::default() };
    /// assert_eq!(cp1252.for_text("JSON").unwrap_err().code(), "invalid_input");
    /// assert!(LoadOptions::default().for_text("JSON").is_ok());
    /// ```
    pub fn for_text(&self, what: &str) -> Result<()> {
        match self.encoding {
            None | Some(crate::Encoding::Utf8) => Ok(()),
            Some(other) => Err(Error::invalid(
                "encoding",
                other.as_str(),
                format!("{what} is text already: the encoding is for the bytes of a CSV file"),
            )),
        }
    }

    /// The options a binding received as JSON (`null` is the defaults).
    pub fn from_value(value: Option<serde_json::Value>) -> Result<LoadOptions> {
        match value {
            None | Some(serde_json::Value::Null) => Ok(LoadOptions::default()),
            Some(v) => crate::error::from_value(v, "options"),
        }
    }
}

/// What a batch does when a query is invalid or fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OnBatchError {
    /// The first failing query's error (by position) is the batch's error (the default).
    #[default]
    Raise,
    /// Each failing query's place holds its error; the others their result.
    Keep,
}

/// Options of the batch searches (`{errors}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct BatchOptions {
    /// `raise` (the default) or `keep`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<OnBatchError>,
}

impl BatchOptions {
    /// The options a binding received as JSON (`null` is the defaults).
    pub fn from_value(value: Option<serde_json::Value>) -> Result<BatchOptions> {
        match value {
            None | Some(serde_json::Value::Null) => Ok(BatchOptions::default()),
            Some(v) => crate::error::from_value(v, "options"),
        }
    }

    /// `"raise"` / `"keep"` given as a bare word (Python's `errors=` keyword).
    pub fn from_word(word: Option<&str>) -> Result<BatchOptions> {
        match word {
            None => Ok(BatchOptions::default()),
            Some(w) => Ok(BatchOptions {
                errors: Some(crate::error::from_value(
                    serde_json::Value::String(w.to_string()),
                    "errors",
                )?),
            }),
        }
    }
}

/// A table of the referential or of the geography, for a data scientist's frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Table {
    /// ROME métiers.
    Metiers,
    /// Job titles (appellations).
    Appellations,
    /// Centres d'intérêt and the métiers they lead to.
    Interests,
    /// The sector tree (grands domaines and domaines professionnels).
    Domaines,
    /// Communes.
    Communes,
    /// Départements.
    Departements,
    /// The catalogue's companies.
    Companies,
    /// The catalogue's ambassadors.
    Ambassadors,
    /// The catalogue's stages.
    Stages,
}

impl From<Entity> for Table {
    fn from(entity: Entity) -> Table {
        match entity {
            Entity::Companies => Table::Companies,
            Entity::Ambassadors => Table::Ambassadors,
            Entity::Stages => Table::Stages,
        }
    }
}

/// What a batch search runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SearchKind {
    /// [`crate::Engine::search_stages`].
    Stages,
    /// [`crate::Engine::search_ambassadors`].
    Ambassadors,
    /// [`crate::Engine::search_companies`].
    Companies,
}

/// One result of [`crate::Engine::search_batch`]: the page of the batch's kind. It serialises
/// as that page does, its fields in the order a single search gives them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum BatchPage {
    /// A page of [`crate::Engine::search_stages`].
    Stages(crate::SearchResult<std::sync::Arc<crate::Stage>>),
    /// A page of [`crate::Engine::search_ambassadors`].
    Ambassadors(crate::SearchResult<std::sync::Arc<crate::Ambassador>>),
    /// A page of [`crate::Engine::search_companies`].
    Companies(crate::SearchResult<crate::CompanySummary>),
}

/// Most queries a batch takes. A million searches are gigabytes of results already; a JavaScript
/// array can claim 2^32 − 1 items while holding none (`a.length = 4294967295`), which read one
/// by one took the process down.
pub const MAX_BATCH: usize = 1_000_000;

/// `invalid_input` (field `queries`) for a batch of more than [`MAX_BATCH`] queries, checked
/// before any is read.
///
/// ```
/// assert!(metiers::check_batch_len(3).is_ok());
/// let err = metiers::check_batch_len(4_294_967_295).unwrap_err();
/// assert_eq!(err.info().field.as_deref(), Some("queries"));
/// ```
pub fn check_batch_len(len: usize) -> Result<()> {
    if len > MAX_BATCH {
        return Err(Error::invalid(
            "queries",
            format!("{len} queries"),
            format!("at most {MAX_BATCH} queries a batch"),
        ));
    }
    Ok(())
}

/// The queries of a batch as a binding received them (a JSON list), each read on its own: an
/// invalid query is an error in its place, not the batch's. The error names the field within
/// the query (`radius_km`), or `queries[3]` for the query as a whole.
pub fn batch_queries(value: serde_json::Value) -> Result<Vec<Result<Query>>> {
    match value {
        serde_json::Value::Array(items) => {
            check_batch_len(items.len())?;
            Ok(batch_items(items.into_iter().map(|q| move |_: &str| Ok(q))))
        }
        other => Err(Error::invalid(
            "queries",
            other.to_string(),
            "expected a list of queries",
        )),
    }
}

/// The queries of a batch whose items a binding reads one by one (a JS array, a Python list):
/// each reader is given the item's name (`queries[3]`) for its errors, and an item that could
/// not be read (NaN, nested too deep) keeps its error in its place, as an item of the wrong
/// shape does.
pub fn batch_items<R>(readers: impl IntoIterator<Item = R>) -> Vec<Result<Query>>
where
    R: FnOnce(&str) -> Result<serde_json::Value>,
{
    readers
        .into_iter()
        .enumerate()
        .map(|(i, read)| {
            let what = format!("queries[{i}]");
            crate::error::from_value(read(&what)?, &what)
        })
        .collect()
}

/// A batch's results by the options: with `raise`, the first error by position is the batch's
/// error; with `keep`, every place holds its result or its error.
pub fn settle<T>(results: Vec<Result<T>>, options: BatchOptions) -> Result<Vec<Result<T>>> {
    match options.errors.unwrap_or_default() {
        OnBatchError::Keep => Ok(results),
        OnBatchError::Raise => {
            let mut out = Vec::with_capacity(results.len());
            for r in results {
                out.push(Ok(r?));
            }
            Ok(out)
        }
    }
}

impl crate::Engine {
    /// The defaults of every argument.
    pub fn defaults() -> Defaults {
        Defaults::default()
    }

    /// The French label of every enum value (see [`crate::wording`]).
    pub fn labels() -> crate::Labels {
        crate::wording::labels()
    }
}
