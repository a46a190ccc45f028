//! Errors as data: the stable codes, what a `not_found` looked up, and the shape every binding
//! gives an error (`ErrorInfo`).

use serde::{Deserialize, Serialize};

/// The stable codes of [`crate::Error`], as every binding exposes them (`err.code`).
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
    /// A school (collège or lycée) by UAI.
    School,
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
            Lookup::School => "school",
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
    /// Data errors: the 0-based row of a data frame (`load_frame`), when the data came as columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
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
