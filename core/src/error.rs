//! The library's one error type.
//!
//! Every failure is a value with a stable [`Error::code`] that the bindings expose unchanged
//! (a Python exception attribute, a JS `Error.code`). Messages name the field and the value
//! that were wrong, and for data files the source, line and field.

use serde::Serialize;

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
            write!(f, ", value {value:?}")?;
        }
        Ok(())
    }
}

/// Every error the library returns. Match on [`Error::code`] for a stable identifier.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A value given by the caller is malformed or out of range (code `invalid_input`).
    #[error("invalid {field} {value:?}: {reason}")]
    InvalidInput {
        /// The argument or field that was wrong.
        field: String,
        /// The value as given.
        value: String,
        /// Why it was refused, in plain words.
        reason: String,
    },
    /// A well-formed key that matches nothing (code `not_found`).
    #[error("{kind} not found: {value:?}{hint}", hint = hint_suffix(.hint.as_deref()))]
    NotFound {
        /// What was looked up (`"métier"`, `"commune"`, `"stage"`…).
        kind: String,
        /// The key as given.
        value: String,
        /// An optional hint (close matches, where to look).
        hint: Option<String>,
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
        match self {
            Error::InvalidInput { .. } => "invalid_input",
            Error::NotFound { .. } => "not_found",
            Error::Data { .. } | Error::Rejected { .. } => "data_error",
            Error::Conflict { .. } => "conflict",
            Error::Internal(_) => "internal",
        }
    }

    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(
        field: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Error::InvalidInput {
            field: field.into(),
            value: value.into(),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::NotFound`] without a hint.
    pub fn not_found(kind: impl Into<String>, value: impl Into<String>) -> Self {
        Error::NotFound {
            kind: kind.into(),
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
pub fn from_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    what: &str,
) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| at_path(e, what))
}

/// A deserialisation error as `invalid_input` naming the field by its path inside the value
/// (`radius_km`, `dates`, `weights.distance`), or `what` when the value as a whole is wrong.
pub(crate) fn at_path<E: std::fmt::Display>(e: serde_path_to_error::Error<E>, what: &str) -> Error {
    let path = e.path().to_string();
    let field = if path == "." { what.to_string() } else { path };
    Error::invalid(field, "", e.into_inner().to_string())
}

impl Serialize for Error {
    /// Errors serialise as `{ "code", "message", ...location }`, the shape the test vectors and
    /// the bindings share.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("message", &self.to_string())?;
        if let Error::Rejected { errors, .. } = self {
            map.serialize_entry("errors", errors)?;
        }
        if let Error::NotFound { kind, value, .. } = self {
            map.serialize_entry("kind", kind)?;
            map.serialize_entry("value", value)?;
        }
        if let Error::InvalidInput { field, value, .. } = self {
            map.serialize_entry("field", field)?;
            map.serialize_entry("value", value)?;
        }
        if let Some(loc) = self.location() {
            map.serialize_entry("source", &loc.source)?;
            map.serialize_entry("line", &loc.line)?;
            map.serialize_entry("field", &loc.field)?;
            map.serialize_entry("value", &loc.value)?;
        }
        map.end()
    }
}
