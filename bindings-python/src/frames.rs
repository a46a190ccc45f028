//! A search's pages as the columns of a `pandas.DataFrame`, made from the core's result with no
//! dict in between.
//!
//! `as_frame=True` used to build the page's dicts (`topy`), read them back into columns
//! (`columns::match_columns`) and hand pandas a Python object for every cell: 280 µs for a page
//! of six stages that takes 44 µs as dicts. Here each match is serialised into a small tree of
//! plain Rust values ([`Node`]), flattened into columns by the rules of `columns.rs` (the same
//! names in the same order, the same missing values, the same dtypes), and handed over by
//! dtype: numbers and booleans as the bytes of a 2-D block (`numpy.frombuffer`), strings as
//! one Arrow array's offsets and bytes (`pyarrow.Array.from_buffers`), lists as Python objects.
//! `metiers._frames.from_parts` makes the frame of them; `tests/test_frames.py` checks it equal,
//! dtype for dtype and cell for cell, to the frame of the same page's dicts. A column keeps its
//! values packed by kind as it is filled (`cells.rs`), and a batch is searched a part at a time,
//! so that a large one's pages and cells are never all held as trees.
//!
//! A column whose dtype pandas would infer otherwise (a field `None` in every row, a mix) makes
//! the whole frame go back to Python lists and pandas' constructor, as the dict path does. A
//! conversion of the core's types, nothing about the domain but which id columns get a name.

use crate::cells::{Cell, Cells, Filled};
use crate::columns::{Type, Typed};
use crate::topy;
use metiers::{BatchOptions, BatchPage, Engine, Error, Query, SearchKind, SearchResult};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyList, PyString, PyTuple};
use rustc_hash::FxHashMap;
use serde::ser::{self, Serialize};
use std::borrow::Cow;

/// A serde value with Python's types kept apart as `topy` makes them: an int is not a float,
/// a list not a tuple, a struct or a map a dict (its keys in order, a repeated key once).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Int(i128),
    /// An integer beyond `i128` (a `u128`), an int to Python all the same.
    Big(u128),
    Float(f64),
    Str(Cow<'static, str>),
    Bytes(Vec<u8>),
    List(Vec<Node>),
    Tuple(Vec<Node>),
    Dict(Vec<(Node, Node)>),
}

impl Node {
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The Python type's name, for a message.
    fn type_name(&self) -> &'static str {
        match self {
            Node::Null => "NoneType",
            Node::Bool(_) => "bool",
            Node::Int(_) | Node::Big(_) => "int",
            Node::Float(_) => "float",
            Node::Str(_) => "str",
            Node::Bytes(_) => "bytes",
            Node::List(_) => "list",
            Node::Tuple(_) => "tuple",
            Node::Dict(_) => "dict",
        }
    }
}

impl Typed for Node {
    fn type_of(&self) -> Type {
        match self {
            Node::Int(_) | Node::Big(_) => Type::Int,
            Node::Float(_) => Type::Float,
            Node::Bool(_) => Type::Bool,
            Node::Str(_) => Type::Str,
            Node::List(_) => Type::List,
            Node::Null => Type::Null,
            Node::Bytes(_) | Node::Tuple(_) | Node::Dict(_) => Type::Other,
        }
    }

    fn fits_i64(&self) -> bool {
        matches!(self, Node::Int(i) if i64::try_from(*i).is_ok())
    }

    fn is_nan(&self) -> bool {
        matches!(self, Node::Float(f) if f.is_nan())
    }

    fn is_number(&self) -> bool {
        matches!(self, Node::Int(_) | Node::Big(_) | Node::Float(_))
    }
}

/// A node as Python makes it from the core's value (`topy`): the conversion of the object
/// columns' lists.
impl Serialize for Node {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::{SerializeMap, SerializeSeq, SerializeStruct, SerializeTuple};
        match self {
            Node::Null => s.serialize_none(),
            Node::Bool(b) => s.serialize_bool(*b),
            Node::Int(i) => s.serialize_i128(*i),
            Node::Big(u) => s.serialize_u128(*u),
            Node::Float(f) => s.serialize_f64(*f),
            Node::Str(t) => s.serialize_str(t),
            Node::Bytes(b) => s.serialize_bytes(b),
            Node::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Tuple(items) => {
                let mut tuple = s.serialize_tuple(items.len())?;
                for item in items {
                    tuple.serialize_element(item)?;
                }
                tuple.end()
            }
            // A struct's fields by their static names (`topy` makes each name's `str` once).
            Node::Dict(entries)
                if entries
                    .iter()
                    .all(|(k, _)| matches!(k, Node::Str(Cow::Borrowed(_)))) =>
            {
                let mut fields = s.serialize_struct("", entries.len())?;
                for (k, v) in entries {
                    if let Node::Str(Cow::Borrowed(k)) = k {
                        fields.serialize_field(k, v)?;
                    }
                }
                fields.end()
            }
            Node::Dict(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// A serialisation that failed (a custom error of a type's `Serialize`).
#[derive(Debug)]
pub(crate) struct Failed(String);

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Failed(msg.to_string())
    }
}

/// Serialises into a [`Node`].
struct ToNode;

/// A list, a tuple or a variant's tuple being built.
struct Items {
    values: Vec<Node>,
    tuple: bool,
    variant: Option<&'static str>,
}

impl Items {
    fn end(self) -> Node {
        let node = if self.tuple {
            Node::Tuple(self.values)
        } else {
            Node::List(self.values)
        };
        variant(self.variant, node)
    }
}

/// `{variant: value}` for a variant, the value alone otherwise.
fn variant(variant: Option<&'static str>, value: Node) -> Node {
    match variant {
        Some(v) => Node::Dict(vec![(Node::Str(Cow::Borrowed(v)), value)]),
        None => value,
    }
}

/// A dict being built: struct fields (distinct by construction) or a map's entries (a
/// repeated key keeps its first place and takes the last value, as a Python dict does).
struct Entries {
    fields: Vec<(Node, Node)>,
    key: Option<Node>,
    variant: Option<&'static str>,
}

impl ser::Serializer for ToNode {
    type Ok = Node;
    type Error = Failed;
    type SerializeSeq = Items;
    type SerializeTuple = Items;
    type SerializeTupleStruct = Items;
    type SerializeTupleVariant = Items;
    type SerializeMap = Entries;
    type SerializeStruct = Entries;
    type SerializeStructVariant = Entries;

    fn serialize_bool(self, v: bool) -> Result<Node, Failed> {
        Ok(Node::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Node, Failed> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Node, Failed> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Node, Failed> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Node, Failed> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i128(self, v: i128) -> Result<Node, Failed> {
        Ok(Node::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Node, Failed> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Node, Failed> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Node, Failed> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Node, Failed> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_u128(self, v: u128) -> Result<Node, Failed> {
        Ok(i128::try_from(v).map_or(Node::Big(v), Node::Int))
    }
    fn serialize_f32(self, v: f32) -> Result<Node, Failed> {
        Ok(Node::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Node, Failed> {
        Ok(Node::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<Node, Failed> {
        Ok(Node::Str(Cow::Owned(v.to_string())))
    }
    fn serialize_str(self, v: &str) -> Result<Node, Failed> {
        Ok(Node::Str(Cow::Owned(v.to_owned())))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Node, Failed> {
        Ok(Node::Bytes(v.to_vec()))
    }
    fn serialize_none(self) -> Result<Node, Failed> {
        Ok(Node::Null)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Node, Failed> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node, Failed> {
        Ok(Node::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Node, Failed> {
        Ok(Node::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
    ) -> Result<Node, Failed> {
        Ok(Node::Str(Cow::Borrowed(variant)))
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Node, Failed> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _i: u32,
        name: &'static str,
        value: &T,
    ) -> Result<Node, Failed> {
        Ok(variant(Some(name), value.serialize(self)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Items, Failed> {
        Ok(Items {
            values: Vec::with_capacity(len.unwrap_or(0)),
            tuple: false,
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Items, Failed> {
        Ok(Items {
            values: Vec::with_capacity(len),
            tuple: true,
            variant: None,
        })
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Items, Failed> {
        self.serialize_tuple(len)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        name: &'static str,
        len: usize,
    ) -> Result<Items, Failed> {
        let mut tuple = self.serialize_tuple(len)?;
        tuple.variant = Some(name);
        Ok(tuple)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Entries, Failed> {
        Ok(Entries {
            fields: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Entries, Failed> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        name: &'static str,
        len: usize,
    ) -> Result<Entries, Failed> {
        let mut map = self.serialize_map(Some(len))?;
        map.variant = Some(name);
        Ok(map)
    }
}

macro_rules! items {
    ($compound:ident, $element:ident) => {
        impl ser::$compound for Items {
            type Ok = Node;
            type Error = Failed;
            fn $element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Failed> {
                self.values.push(value.serialize(ToNode)?);
                Ok(())
            }
            fn end(self) -> Result<Node, Failed> {
                Ok(Items::end(self))
            }
        }
    };
}

items!(SerializeSeq, serialize_element);
items!(SerializeTuple, serialize_element);
items!(SerializeTupleStruct, serialize_field);
items!(SerializeTupleVariant, serialize_field);

impl Entries {
    fn end(self) -> Node {
        variant(self.variant, Node::Dict(self.fields))
    }
}

impl ser::SerializeMap for Entries {
    type Ok = Node;
    type Error = Failed;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Failed> {
        self.key = Some(key.serialize(ToNode)?);
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Failed> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Failed("a map value came before its key".into()))?;
        let value = value.serialize(ToNode)?;
        // A key given twice (a flattened field named as another): one entry, as in a dict.
        // Only text keys are compared; a result's other keys are never equal.
        match self
            .fields
            .iter_mut()
            .find(|(k, _)| k.text().is_some() && *k == key)
        {
            Some((_, v)) => *v = value,
            None => self.fields.push((key, value)),
        }
        Ok(())
    }
    fn end(self) -> Result<Node, Failed> {
        Ok(Entries::end(self))
    }
}

macro_rules! fields {
    ($compound:ident) => {
        impl ser::$compound for Entries {
            type Ok = Node;
            type Error = Failed;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Failed> {
                let value = value.serialize(ToNode)?;
                self.fields.push((Node::Str(Cow::Borrowed(key)), value));
                Ok(())
            }
            fn end(self) -> Result<Node, Failed> {
                Ok(Entries::end(self))
            }
        }
    };
}

fields!(SerializeStruct);
fields!(SerializeStructVariant);

/// Why a frame could not be made: a serialisation error or a field name that is not text,
/// the `ValueError` or `TypeError` the dict path raises.
#[derive(Debug)]
pub(crate) enum Refused {
    Value(String),
    Type(String),
    Core(Error),
}

impl From<Failed> for Refused {
    fn from(e: Failed) -> Self {
        Refused::Value(e.0)
    }
}

impl From<Error> for Refused {
    fn from(e: Error) -> Self {
        Refused::Core(e)
    }
}

/// Columns being filled, row after row, as `columns::Table` fills them from dicts.
#[derive(Default)]
struct Table {
    /// Each column's name and its cells, typed while they are of one kind.
    columns: Vec<(String, Cells)>,
    by_name: FxHashMap<String, usize>,
    /// By prefix: the columns of its keys, and the prefixes of its keys holding dicts.
    leaves: Vec<FxHashMap<String, usize>>,
    nested: Vec<FxHashMap<String, usize>>,
    /// The same columns by the address and length of a static key (a struct's field name):
    /// the same name is the same address, looked up without hashing its text.
    static_leaves: FxHashMap<(usize, usize, usize), usize>,
    /// Each prefix's dotted text (`""`, `"item."`, `"item.place."`).
    prefixes: Vec<String>,
    by_prefix: FxHashMap<String, usize>,
    row: usize,
}

/// The key of a dict's entry as a field name: only text is (`columns::Table::text`).
fn key_text(key: &Node) -> Result<&str, Refused> {
    key.text().ok_or_else(|| {
        Refused::Type(format!(
            "a result's field names are strings, not {}",
            key.type_name()
        ))
    })
}

impl Table {
    fn new() -> Self {
        Table {
            leaves: vec![FxHashMap::default()],
            nested: vec![FxHashMap::default()],
            prefixes: vec![String::new()],
            ..Table::default()
        }
    }

    fn set(&mut self, prefix: usize, key: &Node, value: Node) -> Result<(), Refused> {
        let column = self.column_of(prefix, key)?;
        self.columns[column].1.set(self.row, value);
        Ok(())
    }

    /// The column of a key under a prefix, looked up by the key's address when it is a
    /// struct's field name.
    fn column_of(&mut self, prefix: usize, key: &Node) -> Result<usize, Refused> {
        let at = match key {
            Node::Str(Cow::Borrowed(k)) => Some((prefix, k.as_ptr() as usize, k.len())),
            _ => None,
        };
        Ok(
            if let Some(&c) = at.and_then(|at| self.static_leaves.get(&at)) {
                c
            } else {
                let c = self.column(prefix, key)?;
                if let Some(at) = at {
                    self.static_leaves.insert(at, c);
                }
                c
            },
        )
    }

    /// The column of a key under a prefix, made the first time.
    fn column(&mut self, prefix: usize, key: &Node) -> Result<usize, Refused> {
        let key = key_text(key)?;
        Ok(if let Some(&c) = self.leaves[prefix].get(key) {
            c
        } else {
            let name = format!("{}{key}", self.prefixes[prefix]);
            let next = self.columns.len();
            let c = *self.by_name.entry(name.clone()).or_insert(next);
            if c == next {
                self.columns.push((name, Cells::new()));
            }
            self.leaves[prefix].insert(key.to_owned(), c);
            c
        })
    }

    fn prefix(&mut self, prefix: usize, key: &Node) -> Result<usize, Refused> {
        let key = key_text(key)?;
        if let Some(&p) = self.nested[prefix].get(key) {
            return Ok(p);
        }
        let text = format!("{}{key}.", self.prefixes[prefix]);
        let next = self.prefixes.len();
        let p = *self.by_prefix.entry(text.clone()).or_insert(next);
        if p == next {
            self.prefixes.push(text);
            self.leaves.push(FxHashMap::default());
            self.nested.push(FxHashMap::default());
        }
        self.nested[prefix].insert(key.to_owned(), p);
        Ok(p)
    }

    /// A match as one row (`columns::Table::flattened`): `first`'s fields, the match's plain
    /// fields, its dicts flattened depth first, its reasons joined with " · ".
    fn flattened(&mut self, first: &[(Node, Node)], record: Node) -> Result<(), Refused> {
        for (key, value) in first {
            self.set(0, key, value.clone())?;
        }
        let Node::Dict(entries) = record else {
            return Err(Refused::Type("each match of a result is a dict".into()));
        };
        let reasons = entries
            .iter()
            .find(|(k, _)| k.text() == Some("reasons"))
            .map(|(_, v)| joined(v))
            .ok_or_else(|| Refused::Value("a match has no reasons".into()))??;
        let mut dicts = Vec::new();
        for (key, value) in entries {
            match value {
                Node::Dict(inner) => dicts.push((key, inner)),
                // Its place now; its value, the reasons joined, last (as the dict path sets
                // the list, then the text over it).
                _ if key.text() == Some("reasons") => drop(self.column_of(0, &key)?),
                value => self.set(0, &key, value)?,
            }
        }
        for (key, inner) in dicts {
            let prefix = self.prefix(0, &key)?;
            self.walk(prefix, inner)?;
        }
        self.set(0, &Node::Str(Cow::Borrowed("reasons")), reasons)?;
        self.row += 1;
        Ok(())
    }

    /// A nested dict's fields, depth first, with a stack of its own.
    fn walk(&mut self, prefix: usize, entries: Vec<(Node, Node)>) -> Result<(), Refused> {
        let mut stack = vec![(prefix, entries.into_iter())];
        while let Some((prefix, items)) = stack.last_mut() {
            let prefix = *prefix;
            let Some((key, value)) = items.next() else {
                stack.pop();
                continue;
            };
            match value {
                Node::Dict(inner) => {
                    let inner_prefix = self.prefix(prefix, &key)?;
                    stack.push((inner_prefix, inner.into_iter()));
                }
                value => self.set(prefix, &key, value)?,
            }
        }
        Ok(())
    }

    /// A row of fields as they are (a batch's failed query).
    fn plain(&mut self, fields: Vec<(Node, Node)>) -> Result<(), Refused> {
        for (key, value) in fields {
            self.set(0, &key, value)?;
        }
        self.row += 1;
        Ok(())
    }

    /// A page's matches, each a row after `first`'s fields.
    fn page<T: Serialize>(
        &mut self,
        first: &[(Node, Node)],
        page: &SearchResult<T>,
    ) -> Result<(), Refused> {
        for m in &page.matches {
            self.flattened(first, m.serialize(ToNode)?)?;
        }
        Ok(())
    }
}

/// `" · ".join(reasons)`: reasons are texts.
fn joined(reasons: &Node) -> Result<Node, Refused> {
    let (Node::List(items) | Node::Tuple(items)) = reasons else {
        return Err(Refused::Type(format!(
            "can only join an iterable, not {}",
            reasons.type_name()
        )));
    };
    let texts = items
        .iter()
        .map(|r| {
            r.text().ok_or_else(|| {
                Refused::Type(format!("expected str instance, {} found", r.type_name()))
            })
        })
        .collect::<Result<Vec<&str>, Refused>>()?;
    Ok(Node::Str(Cow::Owned(texts.join(" · "))))
}

/// A number as Python's `float(int)` makes it: the nearest double, ties to even, as `as`
/// rounds.
#[allow(clippy::cast_precision_loss)]
pub(crate) fn float(v: Node) -> Node {
    match v {
        Node::Int(i) => Node::Float(i as f64),
        Node::Big(u) => Node::Float(u as f64),
        v => v,
    }
}

/// The finished columns, in order, each with its dtype (`None`: pandas infers it).
pub(crate) struct Columns {
    columns: Vec<(String, Filled, Option<&'static str>)>,
    rows: usize,
}

type Finished = (Filled, Option<&'static str>);

impl Table {
    /// The columns with their gaps filled, a name column after each id column that has one
    /// (a commune's name after `…place.commune`, a company's after `item.company`; `None` for
    /// an id the engine does not know), and `front` moved first.
    fn finish(self, engine: &Engine, front: &[&str]) -> Result<Columns, Refused> {
        let rows = self.row;
        let mut out: Vec<(String, Finished)> = Vec::with_capacity(self.columns.len() + 4);
        let mut at: FxHashMap<String, usize> = FxHashMap::default();
        let mut put = |out: &mut Vec<(String, Finished)>, name: String, column: Finished| {
            // A name given twice keeps its first place, as a dict's key does.
            if let Some(&i) = at.get(&name) {
                out[i].1 = column;
            } else {
                at.insert(name.clone(), out.len());
                out.push((name, column));
            }
        };
        for (name, cells) in self.columns {
            let column = cells.finish(&name, rows)?;
            let names = name_column(engine, &name, &column.0)?;
            put(&mut out, name.clone(), column);
            if let Some(names) = names {
                put(&mut out, format!("{name}_name"), names);
            }
        }
        if out.iter().any(|(n, _)| front.contains(&n.as_str())) {
            let (mut first, rest): (Vec<_>, Vec<_>) = out
                .into_iter()
                .partition(|(n, _)| front.contains(&n.as_str()));
            first.sort_by_key(|(n, _)| front.iter().position(|f| f == n));
            out = first.into_iter().chain(rest).collect();
        }
        Ok(Columns {
            columns: out
                .into_iter()
                .map(|(name, (values, kind))| (name, values, kind))
                .collect(),
            rows,
        })
    }
}

/// The names beside an id column, if it is one: each distinct id looked up once.
fn name_column(engine: &Engine, column: &str, ids: &Filled) -> Result<Option<Finished>, Error> {
    let commune = column.ends_with("place.commune");
    if !commune && column != "item.company" {
        return Ok(None);
    }
    // Each id's name by its place among the names found (`None`: none).
    let mut known: FxHashMap<&str, Option<usize>> = FxHashMap::default();
    let mut found: Vec<String> = Vec::new();
    let mut rows: Vec<Option<usize>> = Vec::new();
    for id in ids.cells() {
        let name = match id.text() {
            Some(id) if !id.is_empty() => {
                if let Some(&name) = known.get(id) {
                    name
                } else {
                    let name = if commune {
                        engine.commune(id).map(|c| c.name.clone())
                    } else {
                        engine.company(id).map(|c| c.name.clone())
                    };
                    let name = match name {
                        Ok(name) => {
                            found.push(name);
                            Some(found.len() - 1)
                        }
                        Err(e) if e.code() == "not_found" => None,
                        Err(e) => return Err(e),
                    };
                    known.insert(id, name);
                    name
                }
            }
            _ => None,
        };
        rows.push(name);
    }
    Ok(Some(Filled::of_texts(
        rows.iter().map(|r| r.map(|i| found[i].as_str())),
    )))
}

/// The columns of a page of matches.
pub(crate) fn page_columns<T: Serialize>(
    engine: &Engine,
    page: &SearchResult<T>,
) -> Result<Columns, Refused> {
    let mut table = Table::new();
    table.page(&[], page)?;
    table.finish(engine, &[])
}

/// How many queries of a batch are searched at once for a frame: their pages go into the
/// columns before the next ones are searched, so a large batch's pages are never all held
/// (410,000 matches were 300 MB of them), and each part still keeps both cores busy.
const QUERIES_AT_ONCE: usize = 256;

/// The columns of a batch: a `query` column (the query's place in the batch) before each
/// page's matches, and for each failed query (`errors="keep"`) a row of its error's `code`
/// and `message` (`error` and `error_message`, first after `query` when any failed). The
/// queries are searched a part at a time (`QUERIES_AT_ONCE`); with `errors="raise"` the first
/// failed query by position is the error, as for the whole batch at once.
pub(crate) fn batch_columns(
    engine: &Engine,
    kind: SearchKind,
    queries: Vec<Result<Query, Error>>,
    options: BatchOptions,
) -> Result<Columns, Refused> {
    let mut table = Table::new();
    let key = |k: &'static str| Node::Str(Cow::Borrowed(k));
    let mut queries = queries.into_iter();
    let mut place = 0usize;
    loop {
        let part: Vec<Result<Query, Error>> = queries.by_ref().take(QUERIES_AT_ONCE).collect();
        if part.is_empty() {
            break;
        }
        for result in engine.search_batch(kind, part, options)? {
            let query = (key("query"), Node::Int(place as i128));
            place += 1;
            match result {
                Ok(BatchPage::Stages(p)) => table.page(&[query], &p)?,
                Ok(BatchPage::Ambassadors(p)) => table.page(&[query], &p)?,
                Ok(BatchPage::Companies(p)) => table.page(&[query], &p)?,
                Ok(_) => {
                    return Err(Refused::Core(Error::Internal(
                        "a batch page of a kind frames do not know".into(),
                    )))
                }
                Err(e) => table.plain(vec![
                    query,
                    (key("error"), Node::Str(Cow::Borrowed(e.code()))),
                    (key("error_message"), Node::Str(Cow::Owned(e.to_string()))),
                ])?,
            }
        }
    }
    table.finish(engine, &["query", "error", "error_message"])
}

impl Columns {
    /// The columns for Python: `("blocks", names, rows, blocks, positions)` when `blocks` is
    /// asked and every dtype is known, each block `(dtype, start, count, data)`, its columns'
    /// positions `positions[start..start + count]` (the bytes of 64-bit ints); else
    /// `("lists", columns, dtypes)`, dicts of lists and of dtypes as `_native.match_columns`
    /// gives them.
    pub(crate) fn into_python(self, py: Python<'_>, blocks: bool) -> PyResult<Bound<'_, PyTuple>> {
        let _paused = topy::Paused::new(py)?;
        if blocks && self.rows > 0 && self.columns.iter().all(|c| c.2.is_some()) {
            return self.blocks(py);
        }
        let columns = PyDict::new(py);
        let kinds = PyDict::new(py);
        for (name, values, kind) in self.columns {
            let list = PyList::empty(py);
            for cell in values.cells() {
                list.append(object(py, cell)?)?;
            }
            let name = PyString::new(py, &name);
            columns.set_item(&name, list)?;
            kinds.set_item(&name, kind)?;
        }
        PyTuple::new(
            py,
            [
                PyString::new(py, "lists").into_any(),
                columns.into_any(),
                kinds.into_any(),
            ],
        )
    }

    fn blocks(self, py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
        let rows = self.rows;
        let mut order: Vec<&'static str> = Vec::new();
        let mut groups: FxHashMap<&'static str, Vec<usize>> = FxHashMap::default();
        for (i, (_, _, kind)) in self.columns.iter().enumerate() {
            let kind = kind.unwrap_or("object");
            if !groups.contains_key(kind) {
                order.push(kind);
            }
            groups.entry(kind).or_default().push(i);
        }
        let (names, mut columns): (Vec<String>, Vec<Filled>) =
            self.columns.into_iter().map(|(n, v, _)| (n, v)).unzip();
        let out = PyList::empty(py);
        // A large frame's list cells' short texts, each made once for the frame
        // (`topy::Shared`); a page's few rows make them faster one by one.
        let shared = topy::Shared::for_rows(rows);
        // Every block's columns' positions, one after the other (one array for Python).
        let mut positions: Vec<i64> = Vec::with_capacity(names.len());
        for kind in order {
            let at = &groups[kind];
            // Each block's values taken from the table, and freed once handed over: a large
            // batch's values are not all kept until its last block is made.
            let taken: Vec<Filled> = at
                .iter()
                .map(|&i| std::mem::replace(&mut columns[i], Filled::Nodes(Vec::new())))
                .collect();
            let cells = at.len() * rows;
            let data = match kind {
                "float64" => numbers(py, &taken, cells, |c| match c {
                    Cell::Float(f) | Cell::Node(&Node::Float(f)) => f.to_ne_bytes(),
                    _ => f64::NAN.to_ne_bytes(),
                })?,
                "int64" => numbers(py, &taken, cells, |c| match c {
                    Cell::Int(i) => i.to_ne_bytes(),
                    Cell::Node(&Node::Int(i)) => i64::try_from(i).unwrap_or_default().to_ne_bytes(),
                    _ => [0; 8],
                })?,
                "bool" => numbers(py, &taken, cells, |c| {
                    [u8::from(matches!(
                        c,
                        Cell::Bool(true) | Cell::Node(Node::Bool(true))
                    ))]
                })?,
                "str" => strings(py, &taken, cells)?,
                _ => {
                    let objects = PyList::empty(py);
                    for cell in taken.iter().flat_map(Filled::cells) {
                        objects.append(match cell {
                            Cell::Node(n) => topy::convert_shared(py, n, shared.as_ref())?,
                            cell => object(py, cell)?,
                        })?;
                    }
                    objects.into_any()
                }
            };
            drop(taken);
            out.append((kind, positions.len(), at.len(), data))?;
            positions.extend(at.iter().map(|&i| i64::try_from(i).unwrap_or(i64::MAX)));
        }
        let positions: Vec<u8> = positions.iter().flat_map(|i| i.to_ne_bytes()).collect();
        PyTuple::new(
            py,
            [
                PyString::new(py, "blocks").into_any(),
                PyList::new(py, names)?.into_any(),
                rows.into_pyobject(py)?.into_any(),
                out.into_any(),
                PyBytes::new(py, &positions).into_any(),
            ],
        )
    }
}

/// The matches of a batch's page.
pub(crate) fn matches(page: &BatchPage) -> usize {
    match page {
        BatchPage::Stages(p) => p.matches.len(),
        BatchPage::Ambassadors(p) => p.matches.len(),
        BatchPage::Companies(p) => p.matches.len(),
        _ => 0,
    }
}

/// A cell as the Python object the dict path has in its place.
fn object<'py>(py: Python<'py>, cell: Cell<'_>) -> PyResult<Bound<'py, PyAny>> {
    Ok(match cell {
        Cell::Text(t) => PyString::new(py, t).into_any(),
        Cell::Null => py.None().into_bound(py),
        Cell::Float(f) => PyFloat::new(py, f).into_any(),
        Cell::Int(i) => i.into_pyobject(py)?.into_any(),
        Cell::Bool(b) => PyBool::new(py, b).to_owned().into_any(),
        Cell::Node(n) => topy::convert(py, n)?,
    })
}

/// A block of numbers as the bytes of its values, in the machine's order (`numpy.frombuffer`;
/// a `bytearray`, so that the frame's arrays can be written to as the dict path's can), written
/// in place.
fn numbers<'py, const N: usize>(
    py: Python<'py>,
    columns: &[Filled],
    count: usize,
    bytes: impl Fn(Cell<'_>) -> [u8; N],
) -> PyResult<Bound<'py, PyAny>> {
    Ok(PyByteArray::new_with(py, count * N, |out| {
        let mut slots = out.chunks_exact_mut(N);
        for column in columns {
            column.each(|cell| {
                if let Some(slot) = slots.next() {
                    slot.copy_from_slice(&bytes(cell));
                }
            });
        }
        Ok(())
    })?
    .into_any())
}

/// Strings as an Arrow `large_string` array's buffers: `(offsets, bytes, validity)`, the
/// validity `None` when no value is missing (`None` or NaN). Each buffer is written in place,
/// its size counted first: a large batch's texts are not copied twice more.
fn strings<'py>(py: Python<'py>, columns: &[Filled], count: usize) -> PyResult<Bound<'py, PyAny>> {
    let each = |f: &mut dyn FnMut(Option<&str>)| {
        for column in columns {
            column.each(|cell| f(cell.text()));
        }
    };
    let mut length = 0usize;
    let mut valid = vec![0u8; count.div_ceil(8)];
    let mut any_missing = false;
    let mut i = 0;
    each(&mut |text| {
        if let Some(text) = text {
            length += text.len();
            if let Some(byte) = valid.get_mut(i / 8) {
                *byte |= 1 << (i % 8);
            }
        } else {
            any_missing = true;
        }
        i += 1;
    });
    i64::try_from(length)
        .map_err(|_| pyo3::exceptions::PyOverflowError::new_err("too many characters"))?;
    let offsets = PyBytes::new_with(py, (count + 1) * 8, |out| {
        let mut end = 0usize;
        let mut slots = out.chunks_exact_mut(8);
        if let Some(first) = slots.next() {
            first.copy_from_slice(&0i64.to_ne_bytes());
        }
        each(&mut |text| {
            end += text.map_or(0, str::len);
            if let Some(slot) = slots.next() {
                slot.copy_from_slice(&i64::try_from(end).unwrap_or(i64::MAX).to_ne_bytes());
            }
        });
        Ok(())
    })?;
    let chars = PyBytes::new_with(py, length, |out| {
        let mut at = 0;
        each(&mut |text| {
            if let Some(text) = text {
                if let Some(slot) = out.get_mut(at..at + text.len()) {
                    slot.copy_from_slice(text.as_bytes());
                }
                at += text.len();
            }
        });
        Ok(())
    })?;
    let valid = any_missing.then(|| PyBytes::new(py, &valid));
    Ok(PyTuple::new(
        py,
        [
            offsets.into_any(),
            chars.into_any(),
            valid.map_or_else(|| py.None().into_bound(py), Bound::into_any),
        ],
    )?
    .into_any())
}

/// A refusal as Python's exception.
pub(crate) fn refused(py: Python<'_>, e: Refused) -> PyErr {
    match e {
        Refused::Value(m) => pyo3::exceptions::PyValueError::new_err(m),
        Refused::Type(m) => pyo3::exceptions::PyTypeError::new_err(m),
        Refused::Core(e) => crate::exception(py, &e),
    }
}
