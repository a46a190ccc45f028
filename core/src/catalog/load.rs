//! Loading a portal's own companies, ambassadors and stages from JSON, JSON lines or CSV.
//!
//! Every problem is reported with the source, line, field and value. In strict mode a file
//! with any bad row loads nothing ([`Error::Rejected`]); in lenient mode the good rows load and
//! the report lists the rejected ones. Nothing is dropped without a word.

use super::model::{
    Ambassador, AmbassadorKind, Audience, Company, Contact, ContactMode, Location, Stage,
};
use super::validate::Validator;
use super::Catalog;
use crate::calendar::Period;
use crate::error::{DataLocation, Error, Result};
use crate::tabular::{Row, Table};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    line: Option<u64>,
    /// Prefix for field names (`"stages[3]."` in a JSON document).
    path: String,
    parsed: Result<Parsed>,
}

enum Parsed {
    Company(Company),
    Ambassador(Ambassador),
    Stage(Stage),
}

/// Puts a validation error at its place in the source.
fn located(e: Error, source: &str, line: Option<u64>, path: &str) -> Error {
    let at = |field: Option<String>, value: Option<String>, reason: String| Error::Data {
        location: DataLocation {
            source: source.to_string(),
            line,
            field,
            value,
        },
        reason,
    };
    match e {
        Error::InvalidInput {
            field,
            value,
            reason,
        } => at(Some(format!("{path}{field}")), Some(value), reason),
        Error::Conflict { reason } => at(Some(format!("{path}id")), None, reason),
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
            at(Some(format!("{path}{field}")), Some(value), reason)
        }
        Error::NotFound { kind, value, .. } => at(None, Some(value), format!("{kind} not found")),
        Error::Data { location, reason } => Error::Data {
            location: DataLocation {
                source: source.to_string(),
                line: location.line.or(line),
                field: location.field.map(|f| format!("{path}{f}")),
                value: location.value,
            },
            reason,
        },
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
            location: DataLocation {
                source: source.to_string(),
                line: Some(line),
                field: None,
                value: None,
            },
            reason: "the file is not valid UTF-8 (save it as UTF-8)".into(),
        }
    })
}

/// Line numbers of byte offsets, from the newline positions indexed once.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        Lines(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    fn of(&self, offset: usize) -> u64 {
        (self.0.partition_point(|&nl| nl < offset) as u64).saturating_add(1)
    }
}

/// Deserialises one JSON item, naming the field path and the line on failure.
fn from_json<T: DeserializeOwned>(text: &str, first_line: u64) -> Result<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        Error::Data {
            location: DataLocation {
                source: String::new(),
                line: Some(
                    first_line
                        .saturating_add(inner.line() as u64)
                        .saturating_sub(1),
                ),
                field: (path != ".").then_some(path),
                value: None,
            },
            reason: inner.to_string(),
        }
    })
}

fn parse_json_item(entity: Entity, text: &str, line: u64) -> Result<Parsed> {
    Ok(match entity {
        Entity::Companies => Parsed::Company(from_json(text, line)?),
        Entity::Ambassadors => Parsed::Ambassador(from_json(text, line)?),
        Entity::Stages => Parsed::Stage(from_json(text, line)?),
    })
}

/// A JSON document `{"companies": [...], "ambassadors": [...], "stages": [...]}`.
pub(crate) fn json_items(source: &str, bytes: &[u8]) -> Result<Vec<Item>> {
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
    let doc: Doc = serde_json::from_str(text).map_err(|e| Error::Data {
        location: DataLocation {
            source: source.to_string(),
            line: Some(e.line() as u64),
            field: None,
            value: None,
        },
        reason: format!("{e} (expected an object with companies, ambassadors and stages arrays)"),
    })?;
    let base = text.as_ptr() as usize;
    let lines = Lines::new(text);
    let mut items = Vec::new();
    for (entity, name, list) in [
        (Entity::Companies, "companies", &doc.companies),
        (Entity::Ambassadors, "ambassadors", &doc.ambassadors),
        (Entity::Stages, "stages", &doc.stages),
    ] {
        for (i, raw) in list.iter().enumerate() {
            // The raw item is a slice of `text`: its offset gives its line.
            let line = lines.of((raw.get().as_ptr() as usize).saturating_sub(base));
            items.push(Item {
                line: Some(line),
                path: format!("{name}[{i}]."),
                parsed: parse_json_item(entity, raw.get(), line),
            });
        }
    }
    Ok(items)
}

/// JSON lines: one object of `entity` per non-blank line.
pub(crate) fn jsonl_items(entity: Entity, source: &str, bytes: &[u8]) -> Result<Vec<Item>> {
    let text = utf8(source, bytes)?;
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let line = (i as u64).saturating_add(1);
            Item {
                line: Some(line),
                path: String::new(),
                parsed: parse_json_item(entity, l, line),
            }
        })
        .collect())
}

/// The documented CSV columns of each entity (the first ones are required).
pub fn csv_columns(entity: Entity) -> (&'static [&'static str], &'static [&'static str]) {
    match entity {
        Entity::Companies => (
            &["id", "name"],
            &[
                "siret",
                "commune",
                "postal_code",
                "lat",
                "lon",
                "sectors",
                "size",
            ],
        ),
        Entity::Ambassadors => (
            &["id", "kind", "metiers", "contacts"],
            &[
                "name",
                "company",
                "training",
                "audiences",
                "travel_radius_km",
                "availability",
                "response_rate",
                "bookings",
                "commune",
                "postal_code",
                "lat",
                "lon",
            ],
        ),
        Entity::Stages => (
            &[
                "id",
                "company",
                "kind",
                "metiers",
                "periods",
                "places_total",
            ],
            &[
                "title",
                "places_left",
                "audiences",
                "accessible",
                "max_group",
                "description",
                "commune",
                "postal_code",
                "lat",
                "lon",
            ],
        ),
    }
}

/// A CSV file of one entity.
pub(crate) fn csv_items(
    entity: Entity,
    source: &str,
    reader: impl std::io::Read,
    warnings: &mut Vec<String>,
) -> Result<Vec<Item>> {
    let table = Table::read(source, reader)?;
    let (required, optional) = csv_columns(entity);
    table.require(required)?;
    for h in table.headers() {
        if !required.contains(&h.as_str()) && !optional.contains(&h.as_str()) {
            warnings.push(format!(
                "{source}: column `{h}` is not a column of {} and was not read",
                crate::wording::wire(entity)
            ));
        }
    }
    Ok(table
        .rows()
        .map(|r| Item {
            line: Some(r.line()),
            path: String::new(),
            parsed: match entity {
                Entity::Companies => company_row(&r).map(Parsed::Company),
                Entity::Ambassadors => ambassador_row(&r).map(Parsed::Ambassador),
                Entity::Stages => stage_row(&r).map(Parsed::Stage),
            },
        })
        .collect())
}

fn list(r: &Row<'_>, column: &str) -> Vec<String> {
    r.get(column)
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// A value of a serde enum from its wire name (`"mini_stage"`), so CSV and JSON accept the same words.
fn word<T: DeserializeOwned>(r: &Row<'_>, column: &str, text: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .map_err(|e| r.error(column, text, &e.to_string()))
}

fn words<T: DeserializeOwned>(r: &Row<'_>, column: &str) -> Result<Vec<T>> {
    list(r, column).iter().map(|w| word(r, column, w)).collect()
}

fn periods(r: &Row<'_>, column: &str) -> Result<Vec<Period>> {
    list(r, column)
        .iter()
        .map(|p| Period::parse(p).map_err(|e| r.error(column, p, &e.to_string())))
        .collect()
}

fn whole(r: &Row<'_>, column: &str) -> Result<Option<u32>> {
    r.parse(column, "a whole number, 0 or more")
}

fn row_location(r: &Row<'_>) -> Result<Option<Location>> {
    let loc = Location {
        commune: Some(r.get("commune").to_string()).filter(|s| !s.is_empty()),
        postal_code: Some(r.get("postal_code").to_string()).filter(|s| !s.is_empty()),
        lat: r.parse("lat", "a latitude in decimal degrees")?,
        lon: r.parse("lon", "a longitude in decimal degrees")?,
        departement: None,
    };
    Ok((loc != Location::default()).then_some(loc))
}

fn opt(r: &Row<'_>, column: &str) -> Option<String> {
    Some(r.get(column).to_string()).filter(|s| !s.is_empty())
}

fn company_row(r: &Row<'_>) -> Result<Company> {
    Ok(Company {
        id: r.required("id")?.to_string(),
        name: r.required("name")?.to_string(),
        siret: opt(r, "siret"),
        place: row_location(r)?.unwrap_or_default(),
        sectors: list(r, "sectors"),
        size: opt(r, "size").map(|s| word(r, "size", &s)).transpose()?,
    })
}

/// `phone;video:4;class_visit:2:30` — mode, then optional sessions a month and largest group.
fn contacts(r: &Row<'_>) -> Result<Vec<Contact>> {
    list(r, "contacts")
        .iter()
        .map(|item| {
            let mut parts = item.split(':').map(str::trim);
            let mode: ContactMode = word(r, "contacts", parts.next().unwrap_or_default())?;
            let mut number = |what: &str| -> Result<Option<u16>> {
                parts
                    .next()
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        s.parse().map_err(|_| {
                            r.error("contacts", item, &format!("{what} must be a whole number"))
                        })
                    })
                    .transpose()
            };
            let sessions_per_month = number("sessions a month")?;
            let max_group = number("the largest group")?;
            Ok(Contact {
                mode,
                sessions_per_month,
                max_group,
            })
        })
        .collect()
}

fn ambassador_row(r: &Row<'_>) -> Result<Ambassador> {
    Ok(Ambassador {
        id: r.required("id")?.to_string(),
        kind: word::<AmbassadorKind>(r, "kind", r.required("kind")?)?,
        name: opt(r, "name"),
        company: opt(r, "company"),
        training: opt(r, "training"),
        metiers: list(r, "metiers"),
        contacts: contacts(r)?,
        audiences: words::<Audience>(r, "audiences")?,
        travel_radius_km: r.parse("travel_radius_km", "a distance in km")?,
        availability: periods(r, "availability")?,
        response_rate: r.parse("response_rate", "a share between 0 and 1")?,
        bookings: whole(r, "bookings")?.unwrap_or(0),
        place: row_location(r)?,
    })
}

fn stage_row(r: &Row<'_>) -> Result<Stage> {
    let accessible = match r.get("accessible").to_ascii_lowercase().as_str() {
        "" | "non" | "no" | "false" | "0" => false,
        "oui" | "yes" | "true" | "1" => true,
        other => return Err(r.error("accessible", other, "expected oui or non")),
    };
    Ok(Stage {
        id: r.required("id")?.to_string(),
        company: r.required("company")?.to_string(),
        kind: word(r, "kind", r.required("kind")?)?,
        title: opt(r, "title"),
        metiers: list(r, "metiers"),
        place: row_location(r)?,
        periods: periods(r, "periods")?,
        places_total: whole(r, "places_total")?
            .ok_or_else(|| r.error("places_total", "", "required value is missing"))?,
        places_left: whole(r, "places_left")?,
        audiences: words(r, "audiences")?,
        accessible,
        max_group: r.parse("max_group", "a whole number")?,
        description: opt(r, "description"),
    })
}

/// Validates and adds the items in order (companies before what names them).
pub(crate) fn apply(
    catalog: &mut Catalog,
    validator: &Validator<'_>,
    source: &str,
    items: Vec<Item>,
    mode: LoadMode,
    warnings: Vec<String>,
) -> Result<LoadReport> {
    let mut work = match mode {
        LoadMode::Strict => catalog.clone(),
        LoadMode::Lenient => std::mem::take(catalog),
    };
    let mut report = LoadReport {
        source: source.to_string(),
        companies: 0,
        ambassadors: 0,
        stages: 0,
        rejected: Vec::new(),
        warnings,
    };
    for item in items {
        let outcome = item.parsed.and_then(|parsed| match parsed {
            Parsed::Company(c) => {
                let c = validator.company(c)?;
                work.insert_company(c, false)?;
                report.companies = report.companies.saturating_add(1);
                Ok(())
            }
            Parsed::Ambassador(a) => {
                let a = validator.ambassador(a, |id| work.company(id).ok())?;
                work.insert_ambassador(a, false)?;
                report.ambassadors = report.ambassadors.saturating_add(1);
                Ok(())
            }
            Parsed::Stage(s) => {
                let s = validator.stage(s, |id| work.company(id).ok())?;
                work.insert_stage(s, false)?;
                report.stages = report.stages.saturating_add(1);
                Ok(())
            }
        });
        if let Err(e) = outcome {
            report
                .rejected
                .push(located(e, source, item.line, &item.path));
        }
    }
    if mode == LoadMode::Strict && !report.rejected.is_empty() {
        return Err(Error::Rejected {
            source_name: source.to_string(),
            errors: report.rejected,
        });
    }
    *catalog = work;
    Ok(report)
}
