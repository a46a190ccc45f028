//! The library's one error type.
//!
//! Every failure is a value with a stable [`Error::code`] that the bindings expose unchanged
//! (a Python exception attribute, a JS `Error.code`). Messages name the field and the value
//! that were wrong, and for data files the source, line and field.

use serde::Serialize;

mod info;
mod json;
mod objects;

pub use info::{ErrorCode, ErrorInfo, Lookup};
pub use json::from_value;
pub(crate) use json::{at_path, plain_words, shown_value};
pub(crate) use objects::ObjectsOnly;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where a bad value was found in a data file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct DataLocation {
    /// File name or other source label (`"stages.csv"`, `"<json>"`, `"<frame>"`).
    pub source: String,
    /// 1-based line in the source, when known.
    pub line: Option<u64>,
    /// 0-based row of a data frame (its position, as `df.iloc[row]` takes it), for data
    /// handed over as columns rather than as a file.
    pub row: Option<u64>,
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
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
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
        location: Box<DataLocation>,
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

/// Longest file name a data error quotes, in characters (Linux's `PATH_MAX` is 4,096 bytes).
pub const MAX_SOURCE: usize = 4096;

/// A value as messages quote it: at most [`MAX_QUOTED`] characters, then `…`.
pub fn bounded(value: &str) -> String {
    cut(value, MAX_QUOTED).unwrap_or_else(|| value.to_string())
}

/// `value` cut to `max` characters and `…`, when it is longer.
fn cut(value: &str, max: usize) -> Option<String> {
    let (end, _) = value.char_indices().nth(max)?;
    Some(format!("{}…", value.get(..end).unwrap_or_default()))
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
            row: None,
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
                info.row = location.row;
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

    /// A whole data file that cannot be read or written (no line to point at). A source longer
    /// than any real path ([`MAX_SOURCE`] characters) is cut: a caller's 100,000-character
    /// "path" does not make a 100 KB message.
    pub fn unreadable(source: impl Into<String>, reason: impl Into<String>) -> Self {
        let source: String = source.into();
        let source = cut(&source, MAX_SOURCE).unwrap_or(source);
        Error::Data {
            location: Box::new(DataLocation {
                source,
                line: None,
                row: None,
                field: None,
                value: None,
            }),
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

    /// The same invalid input quoting `value` (as the caller gave it, before it was
    /// normalised); any other error as it is.
    pub(crate) fn with_value(self, value: &str) -> Self {
        match self {
            Error::InvalidInput { field, reason, .. } => Error::InvalidInput {
                field,
                value: bounded(value),
                reason,
            },
            other => other,
        }
    }

    /// The same invalid input named as `field` instead (a week checked alone is `weeks[2]` of
    /// the list it came from); any other error as it is.
    pub(crate) fn renamed(self, field: &str) -> Self {
        match self {
            Error::InvalidInput { value, reason, .. } => Error::InvalidInput {
                field: field.to_string(),
                value,
                reason,
            },
            other => other,
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
                } else if inner
                    .strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('['))
                {
                    // Already named within it (a list read as `place[0][0]…`).
                    inner
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
