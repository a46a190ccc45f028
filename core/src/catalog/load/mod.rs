//! Loading a portal's own companies, ambassadors and stages from JSON, JSON lines or CSV.
//!
//! Every problem is reported with the source, line, field and value. In strict mode a file
//! with any bad row loads nothing ([`Error::Rejected`]); in lenient mode the good rows load and
//! the report lists the rejected ones. Nothing is dropped without a word.

use super::model::{Ambassador, Company, Stage};
use super::validate::Validator;
use super::{Additions, Catalog};
use crate::error::{DataLocation, Error, ObjectsOnly, Result};
use crate::tabular::At;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

mod csv;

pub use self::csv::csv_columns;
pub(crate) use self::csv::{load_csv, load_frame};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Entity {
    /// Companies.
    Companies,
    /// Ambassadors.
    Ambassadors,
    /// Stages.
    Stages,
}

impl Entity {
    /// The entity a file holds by its name: `ENTITY=path`, or a file name starting with
    /// `companies` (or `entreprises`), `ambassadors` (or `ambassadeurs`) or `stages`
    /// (`stages-2027.csv`); `None` otherwise.
    pub fn of_path(arg: &str) -> Result<(Option<Entity>, &str)> {
        if let Some((entity, path)) = arg.split_once('=') {
            return Ok((Some(entity.trim().parse()?), path));
        }
        Ok((Entity::of_file_name(arg), arg))
    }

    /// The entity a file's name says (the last component of `path`), if any: see
    /// [`Entity::of_path`].
    pub fn of_file_name(path: &str) -> Option<Entity> {
        let name = std::path::Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        // The English names, and the French ones a school's spreadsheet export has.
        [
            ("companies", Entity::Companies),
            ("entreprises", Entity::Companies),
            ("ambassadors", Entity::Ambassadors),
            ("ambassadeurs", Entity::Ambassadors),
            ("stages", Entity::Stages),
        ]
        .into_iter()
        .find(|(prefix, _)| name.starts_with(prefix))
        .map(|(_, e)| e)
    }
}

impl std::str::FromStr for Entity {
    type Err = Error;
    fn from_str(s: &str) -> Result<Entity> {
        match s {
            "companies" => Ok(Entity::Companies),
            "ambassadors" => Ok(Entity::Ambassadors),
            "stages" => Ok(Entity::Stages),
            _ => Err(Error::invalid(
                "entity",
                s,
                "expected companies, ambassadors or stages",
            )),
        }
    }
}

/// All or nothing, or the good rows and a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LoadMode {
    /// Any bad row and nothing loads.
    #[default]
    Strict,
    /// The good rows load; the bad ones are listed in the report.
    Lenient,
}

/// What a load did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct LoadReport {
    /// The source label given.
    pub source: String,
    /// Companies added.
    pub companies: usize,
    /// Ambassadors added.
    pub ambassadors: usize,
    /// Stages added.
    pub stages: usize,
    /// Rows refused, each with its line, field, value and reason (lenient mode).
    pub rejected: Vec<Error>,
    /// Things worth knowing that refused nothing (an unknown CSV column, say).
    pub warnings: Vec<String>,
}

/// One row before validation: where it came from and what it parsed to.
pub(crate) struct Item {
    at: Option<At>,
    /// How its errors name its fields.
    fields: Fields,
    parsed: Result<Parsed>,
}

/// How a row's errors name its fields.
#[derive(Clone, Copy)]
pub(crate) enum Fields {
    /// As the JSON shape does; an item of a JSON document under its list and index
    /// (`stages[3].place.lat`; the prefix is written only for an error).
    Json(Option<(&'static str, usize)>),
    /// As the CSV columns do: a place's fields are columns of their own (`lat`, not
    /// `place.lat`), and a place missing altogether is its `commune` column.
    Csv,
}

impl Fields {
    fn name(self, field: &str) -> String {
        match self {
            Fields::Json(path) => format!("{}{field}", prefix(path)),
            Fields::Csv if field == "place" => "commune".to_string(),
            Fields::Csv => field.strip_prefix("place.").unwrap_or(field).to_string(),
        }
    }
}

enum Parsed {
    Company(Company),
    Ambassador(Ambassador),
    Stage(Stage),
}

/// The prefix of the field names of an item (`"stages[3]."` in a JSON document).
fn prefix(path: Option<(&str, usize)>) -> String {
    path.map(|(list, i)| format!("{list}[{i}]."))
        .unwrap_or_default()
}

/// Puts a validation error at its place in the source.
fn located(e: Error, source: &str, position: Option<At>, fields: Fields) -> Error {
    let place = |field: Option<String>, value: Option<String>| match position {
        Some(p) => p.location(source, field, value),
        None => DataLocation {
            source: source.to_string(),
            field,
            value,
            ..DataLocation::default()
        },
    };
    let at = |field: Option<String>, value: Option<String>, reason: String| Error::Data {
        location: Box::new(place(field, value)),
        reason,
    };
    match e {
        Error::InvalidInput {
            field,
            value,
            reason,
        } => at(Some(fields.name(&field)), Some(value), reason),
        Error::Conflict { reason } => at(Some(fields.name("id")), None, reason),
        Error::AmbiguousPlace {
            field,
            value,
            candidates,
            total,
        } => {
            let list: Vec<String> = candidates.iter().map(crate::Place::label).collect();
            let reason = format!(
                "could mean {total} places: {}; give the commune by its INSEE code",
                list.join(", ")
            );
            at(Some(fields.name(&field)), Some(value), reason)
        }
        Error::NotFound { kind, value, .. } => at(None, Some(value), format!("{kind} not found")),
        Error::Data { location, reason } => {
            let location = *location;
            let field = location.field.map(|f| fields.name(&f));
            let location = if location.line.is_some() || location.row.is_some() {
                DataLocation {
                    source: source.to_string(),
                    field,
                    ..location
                }
            } else {
                place(field, location.value)
            };
            Error::Data {
                location: Box::new(location),
                reason,
            }
        }
        other => other,
    }
}

/// The text of a document; a byte-order mark (as spreadsheet exports write) is skipped, as the
/// CSV reader skips it.
fn utf8<'a>(source: &str, bytes: &'a [u8]) -> Result<&'a str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = bytes.get(..e.valid_up_to()).unwrap_or(bytes);
        let line = (valid.iter().filter(|&&b| b == b'\n').count() as u64).saturating_add(1);
        Error::Data {
            location: Box::new(DataLocation {
                source: source.to_string(),
                line: Some(line),
                row: None,
                field: None,
                value: None,
            }),
            reason: "the file is not valid UTF-8 (save it as UTF-8)".into(),
        }
    })
}

/// Line numbers of byte offsets asked in increasing order (the items of one list), counted
/// from the last offset asked: no index of every newline of a large document.
struct Lines<'t> {
    text: &'t [u8],
    offset: usize,
    line: u64,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        Lines {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    fn of(&mut self, offset: usize) -> u64 {
        if offset < self.offset {
            // An earlier list: count again from the start.
            (self.offset, self.line) = (0, 1);
        }
        let between = self.text.get(self.offset..offset).unwrap_or_default();
        let newlines = between.iter().filter(|&&b| b == b'\n').count() as u64;
        self.line = self.line.saturating_add(newlines);
        self.offset = offset;
        self.line
    }
}

/// Deserialises one JSON item, naming the field path and the line on failure.
fn from_json<T: DeserializeOwned>(text: &str, first_line: u64) -> Result<T> {
    // Most items are good: read them at full speed, and read a bad one again tracking the
    // path of its fields, which the error names (a third of the time of a load went to it).
    // Not in the browser module, where a second reader of every type was 14 KiB gzipped for
    // the small catalogues a page loads; the answers are the same either way.
    #[cfg(not(target_arch = "wasm32"))]
    {
        let mut de = serde_json::Deserializer::from_str(text);
        if let Ok(item) = T::deserialize(ObjectsOnly(&mut de)) {
            if de.end().is_ok() {
                return Ok(item);
            }
        }
    }
    let located = |inner: serde_json::Error, field: Option<String>| Error::Data {
        location: Box::new(DataLocation {
            source: String::new(),
            line: Some(
                first_line
                    .saturating_add(inner.line() as u64)
                    .saturating_sub(1),
            ),
            row: None,
            field,
            value: None,
        }),
        reason: inner.to_string(),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let item = serde_path_to_error::deserialize(ObjectsOnly(&mut de)).map_err(|e| {
        let path = e.path().to_string();
        located(e.into_inner(), (path != ".").then_some(path))
    })?;
    // Anything after the item (a second object on a JSON line) is an error, not dropped.
    de.end().map_err(|e| located(e, None))?;
    Ok(item)
}

fn parse_json_item(entity: Entity, text: &str, line: u64) -> Result<Parsed> {
    Ok(match entity {
        Entity::Companies => Parsed::Company(from_json(text, line)?),
        Entity::Ambassadors => Parsed::Ambassador(from_json(text, line)?),
        Entity::Stages => Parsed::Stage(from_json(text, line)?),
    })
}

/// A JSON document `{"companies": [...], "ambassadors": [...], "stages": [...]}`.
/// Each item is parsed, validated and added in turn ([`Load::item`]).
pub(crate) fn load_json(source: &str, bytes: &[u8], load: &mut Load<'_>) -> Result<()> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc<'a> {
        #[serde(borrow, default)]
        companies: Vec<&'a RawValue>,
        #[serde(borrow, default)]
        ambassadors: Vec<&'a RawValue>,
        #[serde(borrow, default)]
        stages: Vec<&'a RawValue>,
    }
    let text = utf8(source, bytes)?;
    let bad = |e: serde_json::Error| Error::Data {
        location: Box::new(DataLocation {
            source: source.to_string(),
            line: Some(e.line() as u64),
            row: None,
            field: None,
            value: None,
        }),
        reason: format!("{e} (expected an object with companies, ambassadors and stages arrays)"),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let doc = Doc::deserialize(ObjectsOnly(&mut de)).map_err(bad)?;
    de.end().map_err(bad)?;
    let base = text.as_ptr() as usize;
    let mut lines = Lines::new(text);
    for (entity, name, list) in [
        (Entity::Companies, "companies", &doc.companies),
        (Entity::Ambassadors, "ambassadors", &doc.ambassadors),
        (Entity::Stages, "stages", &doc.stages),
    ] {
        for (i, raw) in list.iter().enumerate() {
            // The raw item is a slice of `text`: its offset gives its line.
            let line = lines.of((raw.get().as_ptr() as usize).saturating_sub(base));
            load.item(Item {
                at: Some(At::Line(line)),
                fields: Fields::Json(Some((name, i))),
                parsed: parse_json_item(entity, raw.get(), line),
            });
        }
    }
    Ok(())
}

/// JSON lines: one object of `entity` per non-blank line, each parsed, validated and added in
/// turn.
pub(crate) fn load_jsonl(
    entity: Entity,
    source: &str,
    bytes: &[u8],
    load: &mut Load<'_>,
) -> Result<()> {
    let text = utf8(source, bytes)?;
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        let line = (i as u64).saturating_add(1);
        load.item(Item {
            at: Some(At::Line(line)),
            fields: Fields::Json(None),
            parsed: parse_json_item(entity, l, line),
        });
    }
    Ok(())
}

/// A load in progress: each item is validated and added at once, in order (companies before
/// what names them), to a catalogue of its own beside the engine's, which takes the additions
/// only when the load succeeds ([`Catalog::absorb`]). Nothing is copied to make a load all or
/// nothing, and a file read row by row is never all in memory.
pub(crate) struct Load<'a> {
    catalog: &'a Catalog,
    validator: &'a Validator<'a>,
    added: Additions,
    mode: LoadMode,
    report: LoadReport,
}

impl<'a> Load<'a> {
    pub(crate) fn new(
        catalog: &'a Catalog,
        validator: &'a Validator<'a>,
        source: &str,
        mode: LoadMode,
    ) -> Load<'a> {
        Load {
            catalog,
            validator,
            added: Additions::default(),
            mode,
            report: LoadReport {
                source: source.to_string(),
                companies: 0,
                ambassadors: 0,
                stages: 0,
                rejected: Vec::new(),
                warnings: Vec::new(),
            },
        }
    }

    /// Something worth knowing that refuses nothing.
    pub(crate) fn warn(&mut self, warning: String) {
        self.report.warnings.push(warning);
    }

    /// Validates and adds one item; a bad one goes to the report, located.
    pub(crate) fn item(&mut self, item: Item) {
        let Load {
            catalog,
            validator,
            added,
            report,
            ..
        } = self;
        let catalog: &Catalog = catalog;
        let outcome = item.parsed.and_then(|parsed| match parsed {
            Parsed::Company(c) => {
                let c = validator.company(c)?;
                added.add_company(c, catalog)?;
                report.companies = report.companies.saturating_add(1);
                Ok(())
            }
            Parsed::Ambassador(a) => {
                let a = validator.ambassador(a, |id| added.company(id, catalog))?;
                added.add_ambassador(a, catalog)?;
                report.ambassadors = report.ambassadors.saturating_add(1);
                Ok(())
            }
            Parsed::Stage(s) => {
                let s = validator.stage(s, |id| added.company(id, catalog))?;
                added.add_stage(s, catalog)?;
                report.stages = report.stages.saturating_add(1);
                Ok(())
            }
        });
        if let Err(e) = outcome {
            let source = &report.source;
            report
                .rejected
                .push(located(e, source, item.at, item.fields));
        }
    }

    /// The additions and the report; in strict mode, any rejected row and nothing is added
    /// ([`Error::Rejected`]).
    pub(crate) fn finish(self) -> Result<(Additions, LoadReport)> {
        let report = self.report;
        if self.mode == LoadMode::Strict && !report.rejected.is_empty() {
            return Err(Error::Rejected {
                source_name: report.source,
                errors: report.rejected,
            });
        }
        Ok((self.added, report))
    }
}
