//! The library's one error type.
//!
//! Every failure is a value with a stable [`Error::code`] that the bindings expose unchanged
//! (a Python exception attribute, a JS `Error.code`). Messages name the field and the value
//! that were wrong, and for data files the source, line and field.

use serde::{Deserialize, Serialize};

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where a bad value was found in a data file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataLocation {
    /// File name or other source label (`"stages.csv"`, `"<json>"`).
    pub source: String,
    /// 1-based line in the source, when known.
    pub line: Option<u64>,
    /// Column or JSON field.
    pub field: Option<String>,
    /// The offending value as it was read.
    pub value: Option<String>,
}

impl std::fmt::Display for DataLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.source)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        if let Some(value) = &self.value {
            write!(f, ", value {:?}", bounded(value))?;
        }
        Ok(())
    }
}

/// The stable codes of [`Error`], as every binding exposes them (`err.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// A value given by the caller is malformed or out of range.
    InvalidInput,
    /// A place that could mean several places; the error lists the candidates.
    AmbiguousPlace,
    /// A well-formed key that matches nothing.
    NotFound,
    /// A data file or document has a bad row.
    DataError,
    /// The operation conflicts with the current state.
    Conflict,
    /// A defect of the library or of its embedded data, never the caller's input.
    Internal,
}

impl ErrorCode {
    /// Every code, in this order.
    pub const ALL: [ErrorCode; 6] = [
        ErrorCode::InvalidInput,
        ErrorCode::AmbiguousPlace,
        ErrorCode::NotFound,
        ErrorCode::DataError,
        ErrorCode::Conflict,
        ErrorCode::Internal,
    ];

    /// The code as written on the wire (`"invalid_input"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::AmbiguousPlace => "ambiguous_place",
            ErrorCode::NotFound => "not_found",
            ErrorCode::DataError => "data_error",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Internal => "internal",
        }
    }
}

/// What a `not_found` error looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Lookup {
    /// A place (a commune, a code, a département) written as text or a typed key.
    Place,
    /// A commune by INSEE code.
    Commune,
    /// A département by code or name.
    Departement,
    /// A ROME métier, by code or by job-title words.
    Metier,
    /// A domaine of the sector tree.
    Domaine,
    /// A centre d'intérêt.
    Interest,
    /// A company of the catalogue.
    Company,
    /// An ambassador of the catalogue.
    Ambassador,
    /// A stage of the catalogue.
    Stage,
}

impl Lookup {
    /// The wire name (`"metier"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Lookup::Place => "place",
            Lookup::Commune => "commune",
            Lookup::Departement => "departement",
            Lookup::Metier => "metier",
            Lookup::Domaine => "domaine",
            Lookup::Interest => "interest",
            Lookup::Company => "company",
            Lookup::Ambassador => "ambassador",
            Lookup::Stage => "stage",
        }
    }

    /// The word in messages (`"métier"`, `"centre d'intérêt"`).
    fn word(self) -> &'static str {
        match self {
            Lookup::Departement => "département",
            Lookup::Metier => "métier",
            Lookup::Interest => "centre d'intérêt",
            other => other.as_str(),
        }
    }
}

impl std::fmt::Display for Lookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

/// An error as data: the JSON shape every binding gives (a Python exception's attributes, a
/// JS `MetiersError`'s properties). Which fields are present depends on the code.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ErrorInfo {
    /// The stable code.
    pub code: ErrorCode,
    /// What went wrong, in English, naming the field and the value.
    pub message: String,
    /// Data errors: the source label of the file (`"stages.csv"`, `"<json>"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Data errors: the 1-based line of the bad row, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Not found: what was looked up (`"place"`, `"metier"`, `"commune"`, `"company"`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Lookup>,
    /// The argument, field or column that was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The value as given (bounded to 80 characters), or the key that was not found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// A strict load that was refused: every bad row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorInfo>,
    /// Ambiguous place: the places it could mean, most populous first (at most 20)…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<crate::Place>>,
    /// … and how many there are in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<usize>,
}

/// Every error the library returns. Match on [`Error::code`] for a stable identifier.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value given by the caller is malformed or out of range (code `invalid_input`).
    #[error("invalid {field} {:?}: {reason}", bounded(.value))]
    InvalidInput {
        /// The argument or field that was wrong.
        field: String,
        /// The value as given.
        value: String,
        /// Why it was refused, in plain words.
        reason: String,
    },
    /// A well-formed key that matches nothing (code `not_found`).
    #[error("{kind} not found: {:?}{hint}", bounded(.value), hint = hint_suffix(.hint.as_deref()))]
    NotFound {
        /// What was looked up.
        kind: Lookup,
        /// The key as given.
        value: String,
        /// An optional hint (close matches, where to look).
        hint: Option<String>,
    },
    /// A place that could mean several places (code `ambiguous_place`): homonyms, a code that
    /// is an INSEE code and another commune's postal code, a name that is a département and a
    /// commune, the beginning of several names, or a name one typo away. The candidates say
    /// what matched; a caller asks the person and sends back the one chosen by its key
    /// ([`crate::Place::key`], e.g. `{"insee": "14211"}`).
    #[error("{}", ambiguous_message(.field, .value, .candidates, *.total))]
    AmbiguousPlace {
        /// The argument or field that held the place (`near`, `from`, `place.commune`).
        field: String,
        /// The place as given.
        value: String,
        /// The places it could mean, most populous first (at most
        /// [`crate::geo::MAX_CANDIDATES`]).
        candidates: Vec<crate::Place>,
        /// How many places it could mean in all.
        total: usize,
    },
    /// A data file or document has a bad row (code `data_error`).
    #[error("{location}: {reason}")]
    Data {
        /// File, line, field and value.
        location: DataLocation,
        /// Why the row was refused.
        reason: String,
    },
    /// A strict load refused a file because of bad rows; nothing was loaded (code `data_error`).
    #[error("{source_name}: {} row(s) rejected, nothing loaded; first: {}", errors.len(), errors.first().map(ToString::to_string).unwrap_or_default())]
    Rejected {
        /// The source label.
        source_name: String,
        /// Every bad row, each a [`Error::Data`] with its line, field and value.
        errors: Vec<Error>,
    },
    /// The operation conflicts with the current state: duplicate id, no place left… (code `conflict`).
    #[error("{reason}")]
    Conflict {
        /// Why it conflicts.
        reason: String,
    },
    /// Embedded data could not be decoded: a build defect, never user input (code `internal`).
    #[error("internal error: {0}")]
    Internal(String),
}

/// Longest value quoted in a message, in characters.
pub const MAX_QUOTED: usize = 80;

/// A value as messages quote it: at most [`MAX_QUOTED`] characters, then `…`.
pub fn bounded(value: &str) -> String {
    match value.char_indices().nth(MAX_QUOTED) {
        Some((cut, _)) => format!("{}…", value.get(..cut).unwrap_or_default()),
        None => value.to_string(),
    }
}

fn ambiguous_message(
    field: &str,
    value: &str,
    candidates: &[crate::Place],
    total: usize,
) -> String {
    let list: Vec<String> = candidates.iter().map(crate::Place::label).collect();
    if let [one] = candidates {
        return format!(
            "{field} {:?} is not a name of the loaded geography as written; did you mean {} ({})? Give it by its key, e.g. {}",
            bounded(value),
            one.label(),
            one.matched,
            serde_json::to_string(&one.key()).unwrap_or_default()
        );
    }
    let more = if total > candidates.len() {
        format!(" and {} more", total.saturating_sub(candidates.len()))
    } else {
        String::new()
    };
    let example = candidates
        .first()
        .map(|c| serde_json::to_string(&c.key()).unwrap_or_default())
        .unwrap_or_default();
    format!(
        "{field} {:?} could mean {total} places: {}{more}; give the one meant by its key, e.g. {example}",
        bounded(value),
        list.join(", ")
    )
}

fn hint_suffix(hint: Option<&str>) -> String {
    hint.map(|h| format!(" ({h})")).unwrap_or_default()
}

impl Error {
    /// The stable machine-readable code of this error.
    ///
    /// ```
    /// let err = metiers::Error::invalid("radius_km", "-3", "must be positive");
    /// assert_eq!(err.code(), "invalid_input");
    /// ```
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    /// The code as a value.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::AmbiguousPlace { .. } => ErrorCode::AmbiguousPlace,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Data { .. } | Error::Rejected { .. } => ErrorCode::DataError,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The error as data, in the shape every binding gives.
    pub fn info(&self) -> ErrorInfo {
        let mut info = ErrorInfo {
            code: self.error_code(),
            message: self.to_string(),
            source: None,
            line: None,
            kind: None,
            field: None,
            value: None,
            errors: Vec::new(),
            candidates: None,
            total: None,
        };
        match self {
            Error::Rejected { errors, .. } => {
                info.errors = errors.iter().map(Error::info).collect();
            }
            Error::NotFound { kind, value, .. } => {
                info.kind = Some(*kind);
                info.value = Some(value.clone());
            }
            Error::InvalidInput { field, value, .. } => {
                info.field = Some(field.clone());
                info.value = Some(value.clone());
            }
            Error::AmbiguousPlace {
                field,
                value,
                candidates,
                total,
            } => {
                info.field = Some(field.clone());
                info.value = Some(value.clone());
                info.candidates = Some(candidates.clone());
                info.total = Some(*total);
            }
            Error::Data { location, .. } => {
                info.source = Some(location.source.clone());
                info.line = location.line;
                info.field.clone_from(&location.field);
                info.value.clone_from(&location.value);
            }
            Error::Conflict { .. } | Error::Internal(_) => {}
        }
        info
    }

    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(
        field: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Error::InvalidInput {
            field: field.into(),
            value: bounded(&value.into()),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::NotFound`] without a hint.
    pub fn not_found(kind: Lookup, value: impl Into<String>) -> Self {
        Error::NotFound {
            kind,
            value: value.into(),
            hint: None,
        }
    }

    /// A whole data file that cannot be read (no line to point at).
    pub fn unreadable(source: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Data {
            location: DataLocation {
                source: source.into(),
                line: None,
                field: None,
                value: None,
            },
            reason: reason.into(),
        }
    }

    /// Embedded data that does not decode is a defect of the build, not bad input.
    #[cfg(feature = "embedded")]
    pub(crate) fn embedded_defect(self) -> Self {
        Error::Internal(format!("the embedded data cannot be decoded: {self}"))
    }

    /// Shorthand for [`Error::Conflict`].
    pub fn conflict(reason: impl Into<String>) -> Self {
        Error::Conflict {
            reason: reason.into(),
        }
    }

    /// The same error about a value nested in `field` (`lat` becomes `near.lat`); an
    /// ambiguous place is renamed as a whole.
    #[must_use]
    pub fn in_field(self, field: &str) -> Self {
        match self {
            Error::InvalidInput {
                field: inner,
                value,
                reason,
            } => Error::InvalidInput {
                field: if inner.is_empty() || inner == field {
                    field.to_string()
                } else if inner.starts_with('[') {
                    format!("{field}{inner}")
                } else {
                    format!("{field}.{inner}")
                },
                value,
                reason,
            },
            Error::AmbiguousPlace {
                value,
                candidates,
                total,
                ..
            } => Error::AmbiguousPlace {
                field: field.to_string(),
                value,
                candidates,
                total,
            },
            other => other,
        }
    }

    /// The data location, for [`Error::Data`].
    pub fn location(&self) -> Option<&DataLocation> {
        match self {
            Error::Data { location, .. } => Some(location),
            _ => None,
        }
    }
}

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
    serde_path_to_error::deserialize(&value).map_err(|e| {
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
fn shown_value(v: &serde_json::Value) -> String {
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
    let mut out = message.to_string();
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

impl Serialize for Error {
    /// Errors serialise as their [`ErrorInfo`]: `{ "code", "message", … }`, the shape the test
    /// vectors and the bindings share.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.info().serialize(serializer)
    }
}

#[cfg(feature = "schema")]
mod schema {
    use super::{Error, ErrorInfo};
    use std::borrow::Cow;

    /// An error serialises as its [`ErrorInfo`]; its declarations are that type's.
    impl ts_rs::TS for Error {
        type WithoutGenerics = Error;
        type OptionInnerType = Error;
        fn name(cfg: &ts_rs::Config) -> String {
            ErrorInfo::name(cfg)
        }
        fn inline(cfg: &ts_rs::Config) -> String {
            ErrorInfo::name(cfg)
        }
    }

    impl schemars::JsonSchema for Error {
        fn schema_name() -> Cow<'static, str> {
            ErrorInfo::schema_name()
        }
        fn schema_id() -> Cow<'static, str> {
            ErrorInfo::schema_id()
        }
        fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
            ErrorInfo::json_schema(generator)
        }
    }
}
