//! Reading CSV files with errors that name the source, line, field and value.

use crate::error::{DataLocation, Error, Result};
use std::io::Read;

/// A CSV table read whole: its header and its rows, each with its 1-based line number.
pub struct Table {
    source: String,
    headers: Vec<String>,
    rows: Vec<(u64, csv::StringRecord)>,
}

/// One row of a [`Table`], with typed accessors whose errors locate the cell.
pub struct Row<'a> {
    table: &'a Table,
    line: u64,
    record: &'a csv::StringRecord,
}

impl Table {
    /// Reads a whole CSV document (header on the first line, `,` separated, `"` quoted).
    /// Non-UTF-8 bytes and ragged rows are errors that name the line.
    pub fn read<R: Read>(source: &str, reader: R) -> Result<Table> {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let headers = rdr
            .headers()
            .map_err(|e| csv_error(source, &e))?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect::<Vec<_>>();
        for (i, h) in headers.iter().enumerate() {
            if !h.is_empty() && headers.iter().take(i).any(|x| x == h) {
                return Err(Error::Data {
                    location: DataLocation {
                        source: source.to_string(),
                        line: Some(1),
                        field: Some(h.clone()),
                        value: None,
                    },
                    reason: format!("the header names the column `{h}` twice"),
                });
            }
        }
        let mut rows = Vec::new();
        for record in rdr.records() {
            let record = record.map_err(|e| csv_error(source, &e))?;
            let line = record.position().map_or(0, csv::Position::line);
            if record.iter().all(str::is_empty) {
                continue; // blank line
            }
            if record.len() != headers.len() {
                return Err(Error::Data {
                    location: DataLocation {
                        source: source.to_string(),
                        line: Some(line),
                        field: None,
                        value: None,
                    },
                    reason: format!(
                        "expected {} columns as in the header, found {}",
                        headers.len(),
                        record.len()
                    ),
                });
            }
            rows.push((line, record));
        }
        Ok(Table {
            source: source.to_string(),
            headers,
            rows,
        })
    }

    /// The header names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Fails unless every named column is present.
    pub fn require(&self, columns: &[&str]) -> Result<()> {
        for c in columns {
            if !self.headers.iter().any(|h| h == c) {
                return Err(Error::Data {
                    location: DataLocation {
                        source: self.source.clone(),
                        line: Some(1),
                        field: Some((*c).to_string()),
                        value: None,
                    },
                    reason: format!(
                        "missing column `{c}` (the header has: {})",
                        self.headers.join(", ")
                    ),
                });
            }
        }
        Ok(())
    }

    /// The rows, in file order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|(line, record)| Row {
            table: self,
            line: *line,
            record,
        })
    }

    /// Number of data rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }
}

fn csv_error(source: &str, e: &csv::Error) -> Error {
    let line = e.position().map(csv::Position::line);
    let reason = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "the file is not valid UTF-8 (save it as UTF-8)".to_string(),
        _ => e.to_string(),
    };
    Error::Data {
        location: DataLocation {
            source: source.to_string(),
            line,
            field: None,
            value: None,
        },
        reason,
    }
}

impl Row<'_> {
    /// The 1-based line of this row.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// A `;`-separated list in a cell, each item trimmed, empty items dropped.
    pub fn list(&self, column: &str) -> Vec<String> {
        self.get(column)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }

    /// A cell by column name; empty string when the column is absent.
    pub fn get(&self, column: &str) -> &str {
        self.table
            .headers
            .iter()
            .position(|h| h == column)
            .and_then(|i| self.record.get(i))
            .map_or("", str::trim)
    }

    /// A cell that must not be empty.
    pub fn required(&self, column: &str) -> Result<&str> {
        let v = self.get(column);
        if v.is_empty() {
            return Err(self.error(column, v, "required value is missing"));
        }
        Ok(v)
    }

    /// A cell parsed with `FromStr`; empty gives `None`.
    pub fn parse<T: std::str::FromStr>(&self, column: &str, what: &str) -> Result<Option<T>> {
        let v = self.get(column);
        if v.is_empty() {
            return Ok(None);
        }
        // Plain decimal notation only: Rust would also read "+3", "inf" and "NaN".
        let plain = !v.starts_with('+')
            && v.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'e' | b'E'));
        let parsed = if plain { v.parse().ok() } else { None };
        parsed
            .map(Some)
            .ok_or_else(|| self.error(column, v, &format!("expected {what}")))
    }

    /// A cell parsed with `FromStr` that must not be empty.
    pub fn parse_required<T: std::str::FromStr>(&self, column: &str, what: &str) -> Result<T> {
        self.parse(column, what)?
            .ok_or_else(|| self.error(column, "", "required value is missing"))
    }

    /// An error located at this row and column.
    pub fn error(&self, column: &str, value: &str, reason: &str) -> Error {
        Error::Data {
            location: DataLocation {
                source: self.table.source.clone(),
                line: Some(self.line),
                field: Some(column.to_string()),
                value: Some(value.to_string()),
            },
            reason: reason.to_string(),
        }
    }
}
