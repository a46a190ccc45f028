//! Reading CSV files, and data frames handed over as columns, with errors that name the
//! source, line (or row), field and value.

use crate::error::{DataLocation, Error, Result};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Read};

/// The character encoding of a CSV file's bytes ([`crate::LoadOptions::encoding`]).
///
/// Read from its label in any case: `"utf-8"` (or `"utf8"`), `"windows-1252"` (or `"cp1252"`,
/// and `"latin-1"`, `"latin1"`, `"iso-8859-1"`, which name Windows-1252 in the WHATWG Encoding
/// Standard that browsers follow: the Latin-1 files people have are Windows-1252 files).
/// Whatever the option, a file that starts with a byte-order mark is read as the mark says
/// (UTF-8, or UTF-16 in either byte order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8, the default (a file with UTF-16's byte-order mark is read as UTF-16).
    #[default]
    #[serde(rename = "utf-8")]
    Utf8,
    /// Windows-1252: what a spreadsheet on Windows writes as « CSV (séparateur : point-virgule) »
    /// in French. Its five unassigned bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) are an error.
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl Encoding {
    /// The label (`"utf-8"`, `"windows-1252"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

/// What an encoding's label may be, for errors.
const ENCODINGS: &str = "expected \"utf-8\" or \"windows-1252\" (also \"cp1252\", \"latin-1\")";

impl std::str::FromStr for Encoding {
    type Err = Error;
    /// An encoding from its label, in any case; another label is `invalid_input`.
    ///
    /// ```
    /// use metiers::Encoding;
    /// assert_eq!("CP1252".parse::<Encoding>().unwrap(), Encoding::Windows1252);
    /// assert_eq!("latin-1".parse::<Encoding>().unwrap(), Encoding::Windows1252);
    /// assert_eq!("ascii".parse::<Encoding>().unwrap_err().code(), "invalid_input");
    /// ```
    fn from_str(s: &str) -> Result<Encoding> {
        let is = |labels: &[&str]| labels.iter().any(|l| l.eq_ignore_ascii_case(s.trim()));
        if is(&["utf-8", "utf8"]) {
            Ok(Encoding::Utf8)
        } else if is(&["windows-1252", "cp1252", "latin-1", "latin1", "iso-8859-1"]) {
            Ok(Encoding::Windows1252)
        } else {
            Err(Error::invalid("encoding", s, ENCODINGS))
        }
    }
}

impl<'de> Deserialize<'de> for Encoding {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Encoding, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(|_: Error| serde::de::Error::custom(ENCODINGS))
    }
}

/// A table read whole: its header and its rows, each with its 1-based line number (a CSV
/// file) or its 0-based row (columns of a data frame, [`Table::from_columns`]).
pub struct Table {
    header: Header,
    rows: Vec<(u64, csv::StringRecord)>,
    /// Rows of a frame with a cell that cannot be CSV text: (index in `rows`, why).
    problems: Vec<(usize, Error)>,
}

/// What every row of a table or a streamed file refers to: the source's name, the column
/// names, and how rows are numbered in errors.
pub struct Header {
    source: String,
    headers: Vec<String>,
    numbering: Numbering,
}

/// A CSV document read row by row ([`Table::stream`]): one record buffer reused, so a file of a
/// million rows is never all in memory at once.
pub struct Stream<R> {
    header: Header,
    reader: csv::Reader<Utf8<BufReader<R>>>,
    record: csv::StringRecord,
}

/// A file's bytes as UTF-8: as they are, or transcoded from UTF-16 when the file starts with
/// UTF-16's byte-order mark, as a spreadsheet's "Unicode text" export does (Excel's is
/// tab-separated UTF-16), or from Windows-1252 when the caller says so. A lone surrogate, or
/// a byte Windows-1252 leaves unassigned, is an error, never replaced.
pub struct Utf8<R> {
    inner: R,
    from: Decoding,
    /// Transcoded bytes not yet handed out, from `at`.
    out: Vec<u8>,
    at: usize,
    /// A byte of a code unit whose other byte is still to come.
    half: Option<u8>,
    /// A high surrogate whose low one is still to come.
    high: Option<u16>,
    /// The last byte handed out was a carriage return: a line feed right after it ends the
    /// same line.
    after_cr: bool,
    /// Windows-1252: the line of the next byte (from 1), and whether the last was a CR.
    line: u64,
    last_cr: bool,
}

/// A byte that Windows-1252 leaves unassigned, and its line.
struct Unassigned {
    byte: u8,
    line: u64,
}

impl std::fmt::Debug for Unassigned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl std::fmt::Display for Unassigned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "byte 0x{:02X} is not a character in Windows-1252",
            self.byte
        )
    }
}

impl std::error::Error for Unassigned {}

/// What a file's bytes are transcoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decoding {
    /// Nothing to do.
    Utf8,
    Utf16 {
        little: bool,
    },
    Windows1252,
}

/// The characters of Windows-1252's bytes 0x80 to 0x9F (0: unassigned); the others are
/// Latin-1's, the same numbers as Unicode's.
const WINDOWS_1252_HIGH: [u16; 32] = [
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
    0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
];

/// The character of a Windows-1252 byte, `None` for the five it leaves unassigned.
fn windows_1252(b: u8) -> Option<char> {
    match b {
        0x80..=0x9F => WINDOWS_1252_HIGH
            .get(usize::from(b & 0x1F))
            .filter(|&&c| c != 0)
            .and_then(|&c| char::from_u32(u32::from(c))),
        _ => Some(char::from(b)),
    }
}

impl<R: Read> Utf8<R> {
    /// A reader of `inner`'s bytes, transcoded from `from`, at line 1.
    fn new(inner: R, from: Decoding) -> Self {
        Utf8 {
            inner,
            from,
            out: Vec::new(),
            at: 0,
            half: None,
            high: None,
            after_cr: false,
            line: 1,
            last_cr: false,
        }
    }

    fn transcode(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let mut buf = [0u8; 4];
        match self.from {
            Decoding::Utf8 => self.out.extend_from_slice(bytes),
            Decoding::Windows1252 => {
                for &b in bytes {
                    let c = windows_1252(b).ok_or_else(|| {
                        std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            Unassigned {
                                byte: b,
                                line: self.line,
                            },
                        )
                    })?;
                    // Lines as `line_feeds` will end them: CR LF, CR or LF.
                    if b == b'\r' || (b == b'\n' && !self.last_cr) {
                        self.line = self.line.saturating_add(1);
                    }
                    self.last_cr = b == b'\r';
                    self.out
                        .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
            Decoding::Utf16 { little } => {
                let bad =
                    || std::io::Error::new(std::io::ErrorKind::InvalidData, "not valid UTF-16");
                for &b in bytes {
                    let Some(first) = self.half.take() else {
                        self.half = Some(b);
                        continue;
                    };
                    let unit = if little {
                        u16::from_le_bytes([first, b])
                    } else {
                        u16::from_be_bytes([first, b])
                    };
                    let c = match (self.high.take(), unit) {
                        (None, 0xD800..=0xDBFF) => {
                            self.high = Some(unit);
                            continue;
                        }
                        (Some(h), 0xDC00..=0xDFFF) => char::decode_utf16([h, unit])
                            .next()
                            .and_then(std::result::Result::ok)
                            .ok_or_else(bad)?,
                        (None, _) => char::from_u32(u32::from(unit)).ok_or_else(bad)?,
                        (Some(_), _) => return Err(bad()),
                    };
                    self.out
                        .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Utf8<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.decoded(buf)?;
            let kept = line_feeds(buf.get_mut(..n).unwrap_or_default(), &mut self.after_cr);
            // Nothing kept of some bytes (the line feed of a CR LF split between two reads)
            // is not the end of the file.
            if n == 0 || kept > 0 {
                return Ok(kept);
            }
        }
    }
}

/// Each line's end as one line feed, in place (the length kept): CR LF, as Windows writes
/// lines, and a lone CR, as old Mac spreadsheets did. The CSV reader counts lines by their
/// line feeds, and counted a CR LF file's lines one short (rust-csv issue 395): every error
/// named the line before the bad row. Text in quotes gets the same line ends.
fn line_feeds(bytes: &mut [u8], after_cr: &mut bool) -> usize {
    let len = bytes.len();
    // `read` is the next byte to look at, `write` where the next kept byte goes (never after
    // `read`): both stay within `len`, so the sums below cannot overflow.
    let mut read = usize::from(std::mem::take(after_cr) && bytes.first() == Some(&b'\n'));
    let mut write = 0;
    while let Some(at) = memchr::memchr(b'\r', bytes.get(read..).unwrap_or_default()) {
        let cr = read.saturating_add(at);
        if write != read {
            bytes.copy_within(read..cr, write);
        }
        write = write.saturating_add(at);
        if let Some(b) = bytes.get_mut(write) {
            *b = b'\n';
        }
        write = write.saturating_add(1);
        read = cr.saturating_add(1);
        match bytes.get(read) {
            Some(b'\n') => read = read.saturating_add(1),
            Some(_) => {}
            None => *after_cr = true,
        }
    }
    if write != read {
        bytes.copy_within(read..len, write);
    }
    write.saturating_add(len.saturating_sub(read))
}

impl<R: Read> Utf8<R> {
    /// The next bytes as UTF-8, with the file's own line ends.
    fn decoded(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.from == Decoding::Utf8 {
            return self.inner.read(buf);
        }
        let mut chunk = [0u8; 8192];
        while self.at >= self.out.len() {
            self.out.clear();
            self.at = 0;
            let n = self.inner.read(&mut chunk)?;
            if n == 0 {
                if self.half.is_some() || self.high.is_some() {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "not valid UTF-16: the file ends inside a character",
                    ));
                }
                return Ok(0);
            }
            self.transcode(chunk.get(..n).unwrap_or_default())?;
        }
        let ready = self.out.get(self.at..).unwrap_or_default();
        let n = ready.len().min(buf.len());
        if let (Some(to), Some(from)) = (buf.get_mut(..n), ready.get(..n)) {
            to.copy_from_slice(from);
        }
        self.at = self.at.saturating_add(n);
        Ok(n)
    }
}

/// The beginning of a UTF-16 file as text, to find its separator (a character cut at the end
/// of the bytes, or a lone surrogate, is a replacement character here; the reader refuses it).
fn utf16_text(bytes: &[u8], little: bool) -> Vec<u8> {
    let units = bytes.chunks_exact(2).map(|p| match p {
        [a, b] if little => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        _ => 0,
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect::<String>()
        .into_bytes()
}

/// The separator of a CSV document, from its header line: `;` when the header has semicolons
/// and no comma (what French spreadsheets export), a tab when it has tabs and neither (a
/// spreadsheet's "text, tab-separated" export), else `,`. Quoted text does not count.
fn separator(header: &[u8]) -> u8 {
    let line = header.split(|&b| b == b'\n').next().unwrap_or_default();
    let (mut quoted, mut commas, mut semicolons, mut tabs) = (false, 0usize, 0usize, 0usize);
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas = commas.saturating_add(1),
            b';' if !quoted => semicolons = semicolons.saturating_add(1),
            b'\t' if !quoted => tabs = tabs.saturating_add(1),
            _ => {}
        }
    }
    match (commas, semicolons, tabs) {
        (0, 1.., _) => b';',
        (0, 0, 1..) => b'\t',
        _ => b',',
    }
}

/// How a [`Table`]'s rows are numbered in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Numbering {
    /// 1-based lines of a file.
    Lines,
    /// 0-based rows of a data frame.
    Rows,
}

/// Where a row came from: the line of a file or the row of a data frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// 1-based line of a file.
    Line(u64),
    /// 0-based row of a data frame.
    Row(u64),
}

impl At {
    /// A location in `source` at this line or row.
    pub fn location(
        self,
        source: &str,
        field: Option<String>,
        value: Option<String>,
    ) -> DataLocation {
        let (line, row) = match self {
            At::Line(l) => (Some(l), None),
            At::Row(r) => (None, Some(r)),
        };
        DataLocation {
            source: source.to_string(),
            line,
            row,
            field,
            value,
        }
    }
}

/// One cell of a data frame's column, as a binding hands it over (a pandas or polars value).
/// [`Engine::load_columns`](crate::Engine::load_columns) writes each as the CSV reader would have read it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// `None`, `NaN`, `pd.NA`, `null`: an empty cell.
    Missing,
    /// Text, read as a CSV cell is.
    Text(String),
    /// A whole number, written in decimal.
    Int(i64),
    /// A number: NaN is an empty cell (pandas marks missing numbers so); a whole value is
    /// written without a decimal point (a SIRET or a count read as a float); infinity is refused.
    Float(f64),
    /// A boolean, written `true` or `false` (what the yes/no columns read).
    Bool(bool),
    /// A list (a polars list column, a Python list): its items joined by `;`, as a CSV list cell.
    List(Vec<Cell>),
}

/// Whole floats up to 2^53 are exact as integers.
const EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

impl Cell {
    /// The cell as CSV text, or why it cannot be one.
    fn text(&self) -> std::result::Result<String, String> {
        match self {
            Cell::Missing => Ok(String::new()),
            Cell::Text(s) => Ok(s.clone()),
            Cell::Int(i) => Ok(i.to_string()),
            Cell::Bool(b) => Ok(b.to_string()),
            Cell::Float(x) if x.is_nan() => Ok(String::new()),
            Cell::Float(x) if x.is_infinite() => Err("expected a finite number".into()),
            Cell::Float(x) if x.fract() == 0.0 && x.abs() < EXACT_INTEGER => {
                Ok(format!("{}", *x as i64))
            }
            Cell::Float(x) => Ok(format!("{x}")),
            Cell::List(items) => {
                let mut parts = Vec::with_capacity(items.len());
                for item in items {
                    if matches!(item, Cell::List(_)) {
                        return Err("a list inside a list cannot be a cell".into());
                    }
                    let t = item.text()?;
                    if t.contains(';') {
                        return Err(format!(
                            "the list item {t:?} contains `;`, the list separator"
                        ));
                    }
                    if !t.trim().is_empty() {
                        parts.push(t);
                    }
                }
                Ok(parts.join(";"))
            }
        }
    }

    /// The cell as the error quotes it.
    fn shown(&self) -> String {
        match self {
            Cell::Float(x) => format!("{x}"),
            Cell::List(items) => format!(
                "[{}]",
                items.iter().map(Cell::shown).collect::<Vec<_>>().join(", ")
            ),
            other => other.text().unwrap_or_default(),
        }
    }
}

/// One row of a [`Table`] or a [`Stream`], with typed accessors whose errors locate the cell.
pub struct Row<'a> {
    header: &'a Header,
    at: u64,
    record: &'a csv::StringRecord,
    problem: Option<&'a Error>,
}

impl Table {
    /// Reads a whole CSV document (header on the first line, `,` separated, or `;` when the
    /// header has semicolons and no comma; `"` quoted). Column names are read trimmed and in
    /// lower case (`ID` is `id`). Non-UTF-8 bytes and ragged rows are errors that name the line.
    pub fn read<R: Read>(source: &str, reader: R) -> Result<Table> {
        Table::read_in(source, reader, Encoding::Utf8)
    }

    /// [`Table::read`] of bytes in `encoding` (a byte-order mark wins, as in [`Table::stream`]).
    pub fn read_in<R: Read>(source: &str, reader: R, encoding: Encoding) -> Result<Table> {
        let mut stream = Table::stream(source, reader, encoding)?;
        let mut rows = Vec::new();
        while let Some(row) = stream.next_row() {
            let row = row?;
            rows.push((row.at, row.record.clone()));
        }
        Ok(Table {
            header: stream.header,
            rows,
            problems: Vec::new(),
        })
    }

    /// Opens a CSV document to read row by row ([`Stream::next_row`]): the header is read and
    /// checked now (a column named twice is an error), each row when asked for, with the errors
    /// of [`Table::read`]. Its bytes are in `encoding`, unless it starts with a byte-order mark.
    pub fn stream<R: Read>(source: &str, reader: R, encoding: Encoding) -> Result<Stream<R>> {
        let unreadable = |e: std::io::Error| Error::Data {
            location: Box::new(DataLocation {
                source: source.to_string(),
                line: Some(1),
                ..DataLocation::default()
            }),
            reason: format!("cannot read: {e}"),
        };
        let mut raw = BufReader::with_capacity(64 * 1024, reader);
        let head = raw.fill_buf().map_err(unreadable)?;
        let (from, delimiter) = match head {
            [0xFF, 0xFE, rest @ ..] => (
                Decoding::Utf16 { little: true },
                separator(&utf16_text(rest, true)),
            ),
            [0xFE, 0xFF, rest @ ..] => (
                Decoding::Utf16 { little: false },
                separator(&utf16_text(rest, false)),
            ),
            // UTF-8's mark (the header's first name is read without it).
            [0xEF, 0xBB, 0xBF, ..] => (Decoding::Utf8, separator(head)),
            _ => match encoding {
                Encoding::Utf8 => (Decoding::Utf8, separator(head)),
                Encoding::Windows1252 => (Decoding::Windows1252, separator(head)),
            },
        };
        if matches!(from, Decoding::Utf16 { .. }) {
            raw.consume(2);
        }
        let utf8 = Utf8::new(raw, from);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(utf8);
        let headers = reader
            .headers()
            .map_err(|e| csv_error(source, &e))?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
            .collect::<Vec<_>>();
        for (i, h) in headers.iter().enumerate() {
            if !h.is_empty() && headers.iter().take(i).any(|x| x == h) {
                return Err(Error::Data {
                    location: Box::new(DataLocation {
                        source: source.to_string(),
                        line: Some(1),
                        row: None,
                        field: Some(h.clone()),
                        value: None,
                    }),
                    reason: format!("the header names the column `{h}` twice"),
                });
            }
        }
        Ok(Stream {
            header: Header {
                source: source.to_string(),
                headers,
                numbering: Numbering::Lines,
            },
            reader,
            record: csv::StringRecord::new(),
        })
    }

    /// A table from the columns of a data frame, in order: `(name, cells)`, every column as
    /// long as the first. Each cell is written as the CSV reader would have read it ([`Cell`]);
    /// rows are numbered from 0 in errors. Unlike a file's blank line, a row of empty cells is
    /// a row (and its errors say so). A cell that cannot be text (infinity, a list in a list)
    /// makes its row bad ([`Row::problem`]), not the frame: a lenient load keeps the others.
    pub fn from_columns(source: &str, columns: &[(String, Vec<Cell>)]) -> Result<Table> {
        let at =
            |row: Option<u64>, field: &str, value: Option<String>, reason: String| Error::Data {
                location: Box::new(DataLocation {
                    source: source.to_string(),
                    row,
                    field: Some(crate::error::bounded(field)),
                    value,
                    ..DataLocation::default()
                }),
                reason,
            };
        // Trimmed and in lower case, as a file's header.
        let headers: Vec<String> = columns
            .iter()
            .map(|(h, _)| h.trim().to_lowercase())
            .collect();
        // (a set: a frame of 100,000 columns is checked in linear time)
        let mut seen = std::collections::HashSet::new();
        if let Some(h) = headers.iter().find(|h| !seen.insert(h.as_str())) {
            return Err(at(
                None,
                h,
                None,
                format!(
                    "the frame names the column `{}` twice",
                    crate::error::bounded(h)
                ),
            ));
        }
        let len = columns.first().map_or(0, |(_, c)| c.len());
        if let Some((name, cells)) = columns.iter().find(|(_, c)| c.len() != len) {
            return Err(at(
                None,
                name,
                None,
                format!(
                    "column `{}` has {} values, column `{}` has {len}",
                    crate::error::bounded(name),
                    cells.len(),
                    crate::error::bounded(headers.first().map_or("", String::as_str))
                ),
            ));
        }
        let mut rows = Vec::with_capacity(len);
        let mut problems = Vec::new();
        for i in 0..len {
            let mut record = csv::StringRecord::with_capacity(64, columns.len());
            let mut problem = None;
            for (h, (_, cells)) in headers.iter().zip(columns) {
                let cell = cells.get(i).unwrap_or(&Cell::Missing);
                match cell.text() {
                    Ok(text) => record.push_field(&text),
                    Err(reason) => {
                        record.push_field("");
                        problem.get_or_insert_with(|| {
                            at(Some(i as u64), h, Some(cell.shown()), reason)
                        });
                    }
                }
            }
            if let Some(p) = problem {
                problems.push((rows.len(), p));
            }
            rows.push((i as u64, record));
        }
        Ok(Table {
            header: Header {
                source: source.to_string(),
                headers,
                numbering: Numbering::Rows,
            },
            rows,
            problems,
        })
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The column names.
    pub fn headers(&self) -> &[String] {
        self.header.headers()
    }

    /// Fails unless every named column is present ([`Header::require`]).
    pub fn require(&self, columns: &[&str]) -> Result<()> {
        self.header.require(columns)
    }

    /// The rows, in file order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        let mut problems = self.problems.iter().peekable();
        self.rows
            .iter()
            .enumerate()
            .map(move |(i, (at, record))| Row {
                header: &self.header,
                at: *at,
                record,
                problem: problems.next_if(|(p, _)| *p == i).map(|(_, e)| e),
            })
    }

    /// Number of data rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }
}

impl<R: Read> Stream<R> {
    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The next row that is not blank; `None` at the end. Non-UTF-8 bytes and a ragged row are
    /// errors naming the line, as [`Table::read`] gives them.
    pub fn next_row(&mut self) -> Option<Result<Row<'_>>> {
        let header = &self.header;
        loop {
            match self.reader.read_record(&mut self.record) {
                Err(e) => return Some(Err(csv_error(&header.source, &e))),
                Ok(false) => return None,
                Ok(true) => {}
            }
            let line = self.record.position().map_or(0, csv::Position::line);
            if self.record.iter().all(str::is_empty) {
                continue; // blank line
            }
            if self.record.len() != header.headers.len() {
                return Some(Err(Error::Data {
                    location: Box::new(DataLocation {
                        source: header.source.clone(),
                        line: Some(line),
                        row: None,
                        field: None,
                        value: None,
                    }),
                    reason: format!(
                        "expected {} columns as in the header, found {}",
                        header.headers.len(),
                        self.record.len()
                    ),
                }));
            }
            return Some(Ok(Row {
                header,
                at: line,
                record: &self.record,
                problem: None,
            }));
        }
    }
}

impl Header {
    /// The column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Fails unless every named column is present.
    pub fn require(&self, columns: &[&str]) -> Result<()> {
        for c in columns {
            if !self.headers.iter().any(|h| h == c) {
                let line = (self.numbering == Numbering::Lines).then_some(1);
                return Err(Error::Data {
                    location: Box::new(DataLocation {
                        source: self.source.clone(),
                        line,
                        row: None,
                        field: Some((*c).to_string()),
                        value: None,
                    }),
                    reason: format!(
                        "missing column `{c}` (the {} has: {})",
                        if line.is_some() { "header" } else { "frame" },
                        crate::error::bounded(&self.headers.join(", "))
                    ),
                });
            }
        }
        Ok(())
    }
}

fn csv_error(source: &str, e: &csv::Error) -> Error {
    let mut line = e.position().map(csv::Position::line);
    let reason = match e.kind() {
        csv::ErrorKind::Io(io) => match io.get_ref().and_then(|e| e.downcast_ref::<Unassigned>()) {
            Some(unassigned) => {
                line = Some(unassigned.line);
                unassigned.to_string()
            }
            None => e.to_string(),
        },
        csv::ErrorKind::Utf8 { .. } => "the file is not valid UTF-8: save it as « CSV UTF-8 »; \
            a spreadsheet's « CSV » export is often Windows-1252, which the catalogue's loaders \
            read with the encoding \"windows-1252\""
            .to_string(),
        _ => e.to_string(),
    };
    Error::Data {
        location: Box::new(DataLocation {
            source: source.to_string(),
            line,
            row: None,
            field: None,
            value: None,
        }),
        reason,
    }
}

impl Row<'_> {
    /// Why this row of a frame cannot be read, when one of its cells cannot be CSV text
    /// (its first such cell); `None` for every row of a file.
    pub fn problem(&self) -> Option<&Error> {
        self.problem
    }

    /// Where this row is: its 1-based line in a file, or its 0-based row in a frame.
    pub fn at(&self) -> At {
        match self.header.numbering {
            Numbering::Lines => At::Line(self.at),
            Numbering::Rows => At::Row(self.at),
        }
    }

    /// A `;`-separated list in a cell, each item trimmed, empty items dropped.
    pub fn list(&self, column: &str) -> Vec<String> {
        self.items(column).map(String::from).collect()
    }

    /// The items of a `;`-separated list in a cell, as [`Row::list`] gives them, not copied.
    pub fn items(&self, column: &str) -> impl Iterator<Item = &str> {
        self.get(column)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// A cell by column name; empty string when the column is absent.
    pub fn get(&self, column: &str) -> &str {
        self.header
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
        // A decimal comma, as French spreadsheets write numbers: "49,18" is 49.18 (one comma
        // between digits, no point). "1,500" could also be 1500 written in English: three
        // digits after a comma that follows one to three digits are refused, not guessed.
        let dotted = match v.split_once(',') {
            Some((whole, part))
                if whole.ends_with(|c: char| c.is_ascii_digit())
                    && part.starts_with(|c: char| c.is_ascii_digit())
                    && !part.contains(',')
                    && !v.contains('.') =>
            {
                let digits = whole.trim_start_matches('-');
                let thousands = part.len() == 3
                    && part.bytes().all(|b| b.is_ascii_digit())
                    && (1..=3).contains(&digits.len())
                    && !digits.starts_with('0');
                if thousands {
                    return Err(self.error(
                        column,
                        v,
                        &format!(
                            "{v} could be {whole}.{part} or {whole}{part} (a comma between \
                             thousands): write it with a point, or without the comma"
                        ),
                    ));
                }
                Some(format!("{whole}.{part}"))
            }
            _ => None,
        };
        let number = dotted.as_deref().unwrap_or(v);
        // Plain decimal notation only: Rust would also read "+3", "inf" and "NaN".
        let plain = !number.starts_with('+')
            && number
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'e' | b'E'));
        // A whole number written with decimals ("2.0": pandas writes a column with a blank in
        // it so) is that number, for a whole-number column too.
        let number = match number.split_once('.') {
            Some((whole, zeros))
                if !whole.is_empty() && !zeros.is_empty() && zeros.bytes().all(|b| b == b'0') =>
            {
                whole
            }
            _ => number,
        };
        let parsed = if plain { number.parse().ok() } else { None };
        parsed.map(Some).ok_or_else(|| {
            // Digits alone that do not parse are a whole number beyond the column's range.
            let beyond = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
            let reason = if beyond {
                format!("expected {what}; this one is too large")
            } else {
                format!("expected {what}")
            };
            self.error(column, v, &reason)
        })
    }

    /// A cell parsed with `FromStr` that must not be empty.
    pub fn parse_required<T: std::str::FromStr>(&self, column: &str, what: &str) -> Result<T> {
        self.parse(column, what)?
            .ok_or_else(|| self.error(column, "", "required value is missing"))
    }

    /// An error located at this row and column.
    pub fn error(&self, column: &str, value: &str, reason: &str) -> Error {
        Error::Data {
            location: Box::new(self.at().location(
                &self.header.source,
                Some(column.to_string()),
                Some(value.to_string()),
            )),
            reason: reason.to_string(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::needless_pass_by_value)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(c: Cell) -> std::result::Result<String, String> {
        c.text()
    }

    /// A reader that hands out one byte at a time: every code unit and surrogate pair is cut.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((&b, rest)), Some(to)) => {
                    *to = b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    proptest! {
        /// Any text written in UTF-16, either byte order, read back as its UTF-8, however the
        /// bytes arrive.
        #[test]
        fn utf16_is_read_as_the_text_it_is(text in "\\PC{0,40}", little in any::<bool>()) {
            let bytes: Vec<u8> = text
                .encode_utf16()
                .flat_map(|u| if little { u.to_le_bytes() } else { u.to_be_bytes() })
                .collect();
            let mut reader = Utf8::new(Trickle(&bytes), Decoding::Utf16 { little });
            let mut back = String::new();
            reader.read_to_string(&mut back).unwrap();
            prop_assert_eq!(back, text);
        }

        /// Any bytes, read one at a time or at once: each CR LF and each lone CR is one LF.
        #[test]
        fn line_ends_are_line_feeds(bytes in proptest::collection::vec(
            proptest::sample::select(vec![b'\r', b'\n', b'a', 0xC3, 0xA9]), 0..40,
        )) {
            let expected = String::from_utf8_lossy(&bytes).replace("\r\n", "\n").replace('\r', "\n");
            let read = |whole: bool| {
                let mut back = Vec::new();
                let mut reader = Utf8::new(Trickle(&bytes), Decoding::Utf8);
                if whole {
                    let mut copy = bytes.clone();
                    let mut after_cr = false;
                    let n = line_feeds(&mut copy, &mut after_cr);
                    copy.truncate(n);
                    back = copy;
                } else {
                    reader.read_to_end(&mut back).unwrap();
                }
                String::from_utf8_lossy(&back).into_owned()
            };
            prop_assert_eq!(read(false), expected.clone());
            prop_assert_eq!(read(true), expected);
        }

        /// Any bytes read as Windows-1252, one at a time: each byte its character, or an
        /// error naming the first unassigned byte.
        #[test]
        fn windows_1252_is_read_byte_by_byte(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let mut reader = Utf8::new(Trickle(&bytes), Decoding::Windows1252);
            let mut back = String::new();
            let expected: Option<String> = bytes.iter().map(|&b| windows_1252(b)).collect();
            let expected = expected.map(|t| t.replace("\r\n", "\n").replace('\r', "\n"));
            match (reader.read_to_string(&mut back), expected) {
                (Ok(_), Some(text)) => prop_assert_eq!(back, text),
                (Err(e), None) => {
                    let bad = bytes.iter().find(|&&b| windows_1252(b).is_none()).copied().unwrap_or(0);
                    prop_assert!(e.to_string().contains(&format!("0x{bad:02X}")), "{}", e);
                }
                (got, expected) => prop_assert!(false, "{:?} vs {:?}", got.map(|_| back), expected),
            }
        }
    }

    #[test]
    fn cells_are_written_as_the_csv_reader_reads_them() {
        assert_eq!(text(Cell::Missing).unwrap(), "");
        assert_eq!(text(Cell::Float(f64::NAN)).unwrap(), "");
        // A SIRET that pandas read as a float is the whole number, not 7.3282932000074e13.
        assert_eq!(
            text(Cell::Float(73_282_932_000_074.0)).unwrap(),
            "73282932000074"
        );
        assert_eq!(text(Cell::Float(-3.0)).unwrap(), "-3");
        assert_eq!(text(Cell::Float(49.18)).unwrap(), "49.18");
        // Beyond 2^53 a float is not an exact integer: written as a float, then refused by
        // whatever column wanted digits.
        assert_eq!(text(Cell::Float(1e20)).unwrap(), "100000000000000000000");
        assert_eq!(text(Cell::Int(-7)).unwrap(), "-7");
        assert_eq!(text(Cell::Bool(true)).unwrap(), "true");
        let list = Cell::List(vec![
            Cell::Text("I1604".into()),
            Cell::Missing,
            Cell::Text(" ".into()),
            Cell::Int(3),
        ]);
        assert_eq!(text(list).unwrap(), "I1604;3");
    }

    #[test]
    fn cells_that_cannot_be_text_say_why() {
        assert!(text(Cell::Float(f64::INFINITY))
            .unwrap_err()
            .contains("finite"));
        assert!(text(Cell::Float(f64::NEG_INFINITY))
            .unwrap_err()
            .contains("finite"));
        let nested = Cell::List(vec![Cell::List(vec![])]);
        assert!(text(nested).unwrap_err().contains("list inside a list"));
        let separator = Cell::List(vec![Cell::Text("a;b".into())]);
        assert!(text(separator).unwrap_err().contains("separator"));
    }

    fn column(name: &str, cells: Vec<Cell>) -> (String, Vec<Cell>) {
        (name.to_string(), cells)
    }

    #[test]
    fn a_bad_cell_makes_its_row_bad_not_the_frame() {
        let t = Table::from_columns(
            "f",
            &[
                column("id", vec![Cell::Text("a".into()), Cell::Text("b".into())]),
                column("n", vec![Cell::Float(f64::INFINITY), Cell::Int(2)]),
            ],
        )
        .unwrap();
        let rows: Vec<_> = t.rows().collect();
        assert_eq!(rows.len(), 2);
        let e = rows[0].problem().expect("row 0 is bad");
        let loc = e.location().unwrap();
        assert_eq!((loc.row, loc.line), (Some(0), None));
        assert_eq!(loc.field.as_deref(), Some("n"));
        assert_eq!(loc.value.as_deref(), Some("inf"));
        assert!(rows[1].problem().is_none());
        assert_eq!(rows[1].at(), At::Row(1));
    }

    #[test]
    fn frames_of_the_wrong_shape_are_data_errors() {
        let twice = Table::from_columns("f", &[column("id", vec![]), column(" id", vec![])]);
        assert!(twice.err().unwrap().to_string().contains("twice"));
        let uneven = Table::from_columns(
            "f",
            &[column("id", vec![Cell::Missing]), column("name", vec![])],
        );
        let e = uneven.err().unwrap();
        assert!(e
            .to_string()
            .contains("column `name` has 0 values, column `id` has 1"));
        // Hostile shapes: 100,000 columns are checked in linear time, and a name of 100,000
        // characters is quoted bounded.
        let many: Vec<_> = (0..100_000)
            .map(|i| column(&format!("c{i}"), vec![]))
            .collect();
        assert!(Table::from_columns("f", &many).is_ok());
        let long = "x".repeat(100_000);
        let e = Table::from_columns("f", &[column(&long, vec![]), column(&long, vec![])]);
        assert!(e.err().unwrap().to_string().len() < 1_000);
        let t = Table::from_columns("f", &[column("id", vec![])]).unwrap();
        let e = t.require(&["id", "name"]).unwrap_err();
        assert!(e.to_string().contains("the frame has: id"), "{e}");
        assert_eq!(e.location().unwrap().line, None);
    }
}
