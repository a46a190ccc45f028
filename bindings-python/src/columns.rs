//! The columns of a result's `pandas.DataFrame`, from the result's dicts, natively.
//!
//! A frame of a page is one row a match, its nested dicts flattened to dotted names the way
//! `pandas.json_normalize` flattens them, its reasons joined with " · ", then one column a name
//! in the order the names first appear. Walking 20 matches of 27 fields in Python took half the
//! time of a frame; here it is a walk of the same dicts with no Python code run. The rules
//! (which value is missing, when a column of numbers becomes floats, the dtype each column gets)
//! are pandas': `tests/test_frames.py` checks the frames against `pandas.json_normalize` of the
//! same dicts and each column's dtype against `metiers._frames._kind`. A conversion of Python
//! objects, nothing about the domain.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use rustc_hash::FxHashMap;

/// Where a name comes from: a prefix (its number) and the address of a key object.
type KeyAt = (usize, usize);

/// Columns being filled, row after row.
struct Table<'py> {
    py: Python<'py>,
    /// Each column's name and its values by row (`None`: the row has no such field).
    columns: Vec<(String, Vec<Option<Bound<'py, PyAny>>>)>,
    /// Columns by name.
    by_name: FxHashMap<String, usize>,
    /// Columns by a key object under a prefix: the same key object is the same text.
    leaves: FxHashMap<KeyAt, usize>,
    /// Prefixes (`""`, `"item."`, `"item.place."`…) by number, each as the prefix it extends
    /// and its key's text (a dict nested thousands deep is that many short keys, not that
    /// many ever longer names); by that pair; and by the dict's key object.
    prefixes: Vec<(usize, String)>,
    prefix_numbers: FxHashMap<(usize, String), usize>,
    nested: FxHashMap<KeyAt, usize>,
    /// The key objects of both maps, held so that no other object takes their address while
    /// the maps name them (a result's `reasons` may be any iterable, run as it is joined).
    held: Vec<Bound<'py, PyAny>>,
    /// The row being filled.
    row: usize,
}

impl<'py> Table<'py> {
    fn new(py: Python<'py>) -> Self {
        Table {
            py,
            columns: Vec::new(),
            by_name: FxHashMap::default(),
            leaves: FxHashMap::default(),
            prefixes: vec![(0, String::new())],
            prefix_numbers: FxHashMap::default(),
            nested: FxHashMap::default(),
            held: Vec::new(),
            row: 0,
        }
    }

    /// The text of a key; a key that is not a `str` is a `TypeError`, as Python's
    /// `prefix + key` would make it.
    fn text(key: &Bound<'py, PyAny>) -> PyResult<String> {
        let key = key.cast::<PyString>().map_err(|_| {
            PyTypeError::new_err(format!(
                "a result's field names are strings, not {}",
                key.get_type()
                    .name()
                    .map_or_else(|_| "?".into(), |n| n.to_string())
            ))
        })?;
        Ok(key.to_cow()?.into_owned())
    }

    /// Sets the field `key` under prefix `prefix` of the current row.
    fn set(
        &mut self,
        prefix: usize,
        key: &Bound<'py, PyAny>,
        value: Bound<'py, PyAny>,
    ) -> PyResult<()> {
        let at = (prefix, key.as_ptr() as usize);
        let column = if let Some(&c) = self.leaves.get(&at) {
            c
        } else {
            let mut name = self.prefix_text(prefix);
            name.push_str(&Self::text(key)?);
            let next = self.columns.len();
            let c = *self.by_name.entry(name.clone()).or_insert(next);
            if c == next {
                self.columns.push((name, Vec::new()));
            }
            self.leaves.insert(at, c);
            self.held.push(key.clone());
            c
        };
        let values = &mut self.columns[column].1;
        values.resize(self.row + 1, None);
        values[self.row] = Some(value);
        Ok(())
    }

    /// A prefix's text: its keys from the top, each followed by a dot.
    fn prefix_text(&self, mut prefix: usize) -> String {
        let mut keys = Vec::new();
        while prefix != 0 {
            let (parent, key) = &self.prefixes[prefix];
            keys.push(key.as_str());
            prefix = *parent;
        }
        let mut text = String::with_capacity(keys.iter().map(|k| k.len() + 1).sum());
        for key in keys.iter().rev() {
            text.push_str(key);
            text.push('.');
        }
        text
    }

    /// The prefix of the dict under `key` of prefix `prefix`.
    fn prefix(&mut self, prefix: usize, key: &Bound<'py, PyAny>) -> PyResult<usize> {
        let at = (prefix, key.as_ptr() as usize);
        if let Some(&p) = self.nested.get(&at) {
            return Ok(p);
        }
        let name = (prefix, Self::text(key)?);
        let next = self.prefixes.len();
        let p = *self.prefix_numbers.entry(name.clone()).or_insert(next);
        if p == next {
            self.prefixes.push(name);
        }
        self.nested.insert(at, p);
        self.held.push(key.clone());
        Ok(p)
    }

    /// A match as one row: `first`'s fields as they are, then the match's plain fields, then
    /// its dicts flattened (every field of a nested dict in turn, a dict in a dict where it
    /// is), then its reasons joined.
    fn flattened(
        &mut self,
        first: Option<&Bound<'py, PyDict>>,
        record: &Bound<'py, PyAny>,
    ) -> PyResult<()> {
        if let Some(first) = first {
            self.plain(first)?;
        }
        let dict = record
            .cast::<PyDict>()
            .map_err(|_| PyTypeError::new_err("each match of a result is a dict"))?;
        for (key, value) in dict.iter() {
            if !value.is_instance_of::<PyDict>() {
                self.set(0, &key, value)?;
            }
        }
        for (key, value) in dict.iter() {
            if let Ok(inner) = value.cast_into::<PyDict>() {
                let prefix = self.prefix(0, &key)?;
                self.walk(prefix, &inner)?;
            }
        }
        let reasons = record.get_item("reasons")?;
        let joined = PyString::new(self.py, " · ").call_method1("join", (reasons,))?;
        self.set(0, PyString::intern(self.py, "reasons").as_any(), joined)?;
        self.row += 1;
        Ok(())
    }

    /// A nested dict's fields, depth first, with a stack of its own (never a recursion).
    fn walk(&mut self, prefix: usize, dict: &Bound<'py, PyDict>) -> PyResult<()> {
        let mut stack = vec![(prefix, dict.items().into_iter())];
        while let Some((prefix, items)) = stack.last_mut() {
            let prefix = *prefix;
            let Some(item) = items.next() else {
                stack.pop();
                continue;
            };
            let (key, value): (Bound<'py, PyAny>, Bound<'py, PyAny>) = item.extract()?;
            match value.cast_into::<PyDict>() {
                Ok(inner) => {
                    let inner_prefix = self.prefix(prefix, &key)?;
                    stack.push((inner_prefix, inner.items().into_iter()));
                }
                Err(e) => self.set(prefix, &key, e.into_inner())?,
            }
        }
        Ok(())
    }

    /// A row of fields as they are (a batch's failed query).
    fn plain(&mut self, dict: &Bound<'py, PyDict>) -> PyResult<()> {
        for (key, value) in dict.iter() {
            self.set(0, &key, value)?;
        }
        Ok(())
    }

    /// The columns as a dict of lists, with the name column `names(column, values)` gives
    /// after each it names; each column's dtype in a second dict.
    fn finish(
        self,
        names: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>)> {
        let py = self.py;
        let rows = self.row;
        let nan = PyFloat::new(py, f64::NAN).into_any();
        let out = PyDict::new(py);
        for (name, mut values) in self.columns {
            values.resize(rows, None);
            let float = |v: Bound<'py, PyAny>| -> PyResult<Bound<'py, PyAny>> {
                if v.is_exact_instance_of::<PyFloat>() {
                    Ok(v)
                } else {
                    Ok(PyFloat::new(py, v.extract::<f64>()?).into_any())
                }
            };
            let list = PyList::new(py, missing(&name, values, || nan.clone(), float)?)?;
            let key = PyString::new(py, &name);
            out.set_item(&key, &list)?;
            if let Some(names) = names {
                let extra = names.call1((key, list))?;
                if !extra.is_none() {
                    let (extra_name, extra_values): (Bound<'py, PyAny>, Bound<'py, PyAny>) =
                        extra.extract()?;
                    out.set_item(extra_name, extra_values)?;
                }
            }
        }
        let kinds = PyDict::new(py);
        for (name, values) in out.iter() {
            kinds.set_item(name, kind(&values)?)?;
        }
        Ok((out, kinds))
    }
}

/// A column's values with its gaps filled: a column of numbers with a gap or a null is made
/// floats (NaN in the gaps), as a score component of a criterion not asked is, and so is a
/// `components.` column of nothing but gaps; any other column keeps its nulls and gets NaN
/// where a row has no such field. `nan` makes a NaN, `float` a number a float.
pub(crate) fn missing<C: Typed, E>(
    name: &str,
    values: Vec<Option<C>>,
    nan: impl Fn() -> C,
    float: impl Fn(C) -> Result<C, E>,
) -> Result<Vec<C>, E> {
    let null = |v: &C| v.type_of() == Type::Null;
    let gaps = values
        .iter()
        .filter(|v| v.as_ref().is_none_or(null))
        .count();
    if gaps == 0 {
        return Ok(values.into_iter().flatten().collect());
    }
    let present = values.len() - gaps;
    let numbers = values
        .iter()
        .flatten()
        .filter(|v| !null(v))
        .all(Typed::is_number);
    if numbers && (present > 0 || name.starts_with("components.")) {
        return values
            .into_iter()
            .map(|v| match v {
                Some(v) if !null(&v) => float(v),
                _ => Ok(nan()),
            })
            .collect();
    }
    Ok(values.into_iter().map(|v| v.unwrap_or_else(&nan)).collect())
}

/// A value's exact Python type, among those a result has.
#[derive(PartialEq, Clone, Copy)]
pub(crate) enum Type {
    Int,
    Float,
    Bool,
    Str,
    List,
    Null,
    Other,
}

/// What the dtype rule reads of a cell: a Python object here, a value of the core's result in
/// `frames.rs`.
pub(crate) trait Typed {
    fn type_of(&self) -> Type;
    /// An int within 64 bits.
    fn fits_i64(&self) -> bool;
    /// A float NaN.
    fn is_nan(&self) -> bool;
    /// A number, as a column with gaps reads it: an int or a float, not a bool.
    fn is_number(&self) -> bool;
}

impl Typed for Bound<'_, PyAny> {
    fn type_of(&self) -> Type {
        if self.is_exact_instance_of::<PyInt>() {
            Type::Int
        } else if self.is_exact_instance_of::<PyFloat>() {
            Type::Float
        } else if self.is_exact_instance_of::<PyBool>() {
            Type::Bool
        } else if self.is_exact_instance_of::<PyString>() {
            Type::Str
        } else if self.is_exact_instance_of::<PyList>() {
            Type::List
        } else if self.is_none() {
            Type::Null
        } else {
            Type::Other
        }
    }

    fn fits_i64(&self) -> bool {
        self.extract::<i64>().is_ok()
    }

    fn is_nan(&self) -> bool {
        self.extract::<f64>().is_ok_and(f64::is_nan)
    }

    fn is_number(&self) -> bool {
        (self.is_instance_of::<PyInt>() || self.is_instance_of::<PyFloat>())
            && !self.is_instance_of::<PyBool>()
    }
}

/// The dtype `pandas.DataFrame` infers for a column of these values, for the mixes a result
/// has (`None` for any other, which goes to pandas' own constructor): one type alone (`int`
/// within 64 bits, `float`, `bool`, `str`, `list`), or strings or lists with missing values
/// (`None` or NaN).
pub(crate) fn dtype<C: Typed>(values: &[C]) -> Option<&'static str> {
    let types: Vec<Type> = values.iter().map(Typed::type_of).collect();
    let &first = types.first()?;
    if types.iter().all(|&t| t == first) {
        return match first {
            Type::Int => values.iter().all(Typed::fits_i64).then_some("int64"),
            Type::Float => Some("float64"),
            Type::Bool => Some("bool"),
            Type::Str => Some("str"),
            Type::List => Some("object"),
            Type::Null | Type::Other => None,
        };
    }
    for (alone, label) in [(Type::Str, "str"), (Type::List, "object")] {
        let mixed = types.contains(&alone)
            && values
                .iter()
                .zip(&types)
                .all(|(v, &t)| t == alone || t == Type::Null || (t == Type::Float && v.is_nan()));
        if mixed {
            return Some(label);
        }
    }
    None
}

/// The dtype of a column of Python objects (`dtype`).
fn kind(values: &Bound<'_, PyAny>) -> PyResult<Option<&'static str>> {
    let values: Vec<Bound<'_, PyAny>> = values.cast::<PyList>()?.iter().collect();
    Ok(dtype(&values))
}

/// The columns of a frame of matches: `parts` is a list of `(first, matches)`, each match a
/// row after `first`'s fields (a dict or None), and of dicts, each a row as it is (a batch's
/// failed query). Returns the columns (a dict of lists) and each one's dtype (a dict of `str`
/// or None: none known, pandas infers it).
#[pyfunction]
#[pyo3(signature = (parts, names=None))]
pub(crate) fn match_columns<'py>(
    py: Python<'py>,
    parts: &Bound<'py, PyList>,
    names: Option<&Bound<'py, PyAny>>,
) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>)> {
    // The columns are lists and scalars, which make no cycle (`topy::Paused`).
    let _paused = crate::topy::Paused::new(py)?;
    let mut columns = Table::new(py);
    for part in parts.iter() {
        if let Ok(row) = part.cast::<PyDict>() {
            columns.plain(row)?;
            columns.row += 1;
            continue;
        }
        let part = part
            .cast::<PyTuple>()
            .map_err(|_| PyTypeError::new_err("each part is a (first, matches) tuple or a dict"))?;
        let (first, matches): (Option<Bound<'py, PyDict>>, Bound<'py, PyAny>) = part.extract()?;
        for record in matches.try_iter()? {
            columns.flattened(first.as_ref(), &record?)?;
        }
    }
    columns.finish(names)
}
