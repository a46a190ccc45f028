//! A frame's column while it is filled, typed as long as its cells are of one kind.
//!
//! `frames.rs` used to keep every cell of a column as a [`Node`] (32 bytes, and a string of its
//! own for each text) until the last row was read: a batch of 410,000 rows held about a
//! gigabyte of them before its first column went to Python. Here a column keeps its rows'
//! states (no field, `None`, a value) and its values packed by kind: texts end to end in one
//! string, numbers and booleans in a vector. A value of another kind turns the column into
//! nodes, and the rules of `columns.rs` (`missing`, `dtype`) finish it as before; a column of
//! one kind is finished here with the same outcome, which `tests/test_frames.py` checks against
//! the frame of the page's dicts. A conversion of the core's types, nothing about the domain.

use crate::columns::{dtype, missing};
use crate::frames::{float, Node, Refused};
use std::borrow::Cow;

/// A row without this field (NaN in a frame).
const ABSENT: u8 = 0;
/// A row whose field is `None`.
const NULL: u8 = 1;
/// A row with a value: the next one of the column's values.
const VALUE: u8 = 2;

/// Texts end to end, and where each ends.
#[derive(Default)]
pub(crate) struct Texts {
    ends: Vec<usize>,
    bytes: String,
}

impl Texts {
    fn push(&mut self, text: &str) {
        self.bytes.push_str(text);
        self.ends.push(self.bytes.len());
    }

    fn pop(&mut self) {
        self.ends.pop();
        self.bytes.truncate(self.ends.last().copied().unwrap_or(0));
    }

    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The texts in order.
    fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let text = self.bytes.get(start..end).unwrap_or_default();
            start = end;
            text
        })
    }
}

/// The values of a column's rows that have one, in row order.
enum Values {
    Empty,
    Texts(Texts),
    Floats(Vec<f64>),
    /// Ints within 64 bits.
    Ints(Vec<i64>),
    Bools(Vec<bool>),
    /// Any other value, or values of more than one kind.
    Nodes(Vec<Node>),
}

impl Values {
    fn first(value: Node) -> Values {
        match value {
            Node::Str(s) => Values::Texts(Texts {
                ends: vec![s.len()],
                bytes: s.into_owned(),
            }),
            Node::Float(f) => Values::Floats(vec![f]),
            Node::Int(i) => match i64::try_from(i) {
                Ok(i) => Values::Ints(vec![i]),
                Err(_) => Values::Nodes(vec![Node::Int(i)]),
            },
            Node::Bool(b) => Values::Bools(vec![b]),
            other => Values::Nodes(vec![other]),
        }
    }

    fn push(&mut self, value: Node) {
        match (&mut *self, &value) {
            (Values::Texts(texts), Node::Str(s)) => {
                texts.push(s);
                return;
            }
            (Values::Floats(v), Node::Float(f)) => {
                v.push(*f);
                return;
            }
            (Values::Ints(v), Node::Int(i)) => {
                if let Ok(i) = i64::try_from(*i) {
                    v.push(i);
                    return;
                }
            }
            (Values::Bools(v), Node::Bool(b)) => {
                v.push(*b);
                return;
            }
            _ => {}
        }
        // A first value, or one of another kind than the values before it.
        let mut nodes = std::mem::replace(self, Values::Empty).into_nodes();
        *self = if nodes.is_empty() {
            Values::first(value)
        } else {
            nodes.push(value);
            Values::Nodes(nodes)
        };
    }

    /// Takes back the last value (a field set twice in a row keeps the last).
    fn pop(&mut self) {
        match self {
            Values::Texts(texts) => texts.pop(),
            Values::Floats(v) => drop(v.pop()),
            Values::Ints(v) => drop(v.pop()),
            Values::Bools(v) => drop(v.pop()),
            Values::Nodes(v) => drop(v.pop()),
            Values::Empty => {}
        }
    }

    fn into_nodes(self) -> Vec<Node> {
        match self {
            Values::Empty => Vec::new(),
            Values::Texts(texts) => texts
                .iter()
                .map(|t| Node::Str(Cow::Owned(t.to_owned())))
                .collect(),
            Values::Floats(v) => v.into_iter().map(Node::Float).collect(),
            Values::Ints(v) => v.into_iter().map(|i| Node::Int(i.into())).collect(),
            Values::Bools(v) => v.into_iter().map(Node::Bool).collect(),
            Values::Nodes(v) => v,
        }
    }
}

/// A column being filled.
pub(crate) struct Cells {
    /// Each row's state (`ABSENT`, `NULL`, `VALUE`), up to the last row set.
    state: Vec<u8>,
    values: Values,
}

impl Cells {
    pub(crate) fn new() -> Cells {
        Cells {
            state: Vec::new(),
            values: Values::Empty,
        }
    }

    /// Sets row `row`'s field: the rows before it not set have no such field; set twice in a
    /// row, the last value stays (as in a dict).
    pub(crate) fn set(&mut self, row: usize, value: Node) {
        if self.state.len() > row && self.state.pop() == Some(VALUE) {
            self.values.pop();
        }
        self.state.resize(row, ABSENT);
        if matches!(value, Node::Null) {
            self.state.push(NULL);
        } else {
            self.state.push(VALUE);
            self.values.push(value);
        }
    }

    /// The column of `rows` rows with its gaps filled (`columns::missing`) and its dtype
    /// (`columns::dtype`; `None`: pandas infers it).
    pub(crate) fn finish(
        self,
        name: &str,
        rows: usize,
    ) -> Result<(Filled, Option<&'static str>), Refused> {
        let mut state = self.state;
        state.resize(rows, ABSENT);
        let gaps = state.iter().filter(|&&s| s != VALUE).count();
        // One kind of value: `missing` and `dtype` come to these (texts with gaps keep them,
        // numbers with gaps become floats with NaN in them, booleans without gaps stay).
        match self.values {
            Values::Texts(texts) if !texts.is_empty() => {
                Ok((Filled::Texts { state, texts }, Some("str")))
            }
            Values::Floats(v) if !v.is_empty() => {
                Ok((Filled::Floats(spread(&state, v, f64::NAN)), Some("float64")))
            }
            Values::Ints(v) if !v.is_empty() && gaps == 0 => Ok((Filled::Ints(v), Some("int64"))),
            #[allow(clippy::cast_precision_loss)] // as Python's float(int): the nearest double
            Values::Ints(v) if !v.is_empty() => {
                let v = v.into_iter().map(|i| i as f64).collect();
                Ok((Filled::Floats(spread(&state, v, f64::NAN)), Some("float64")))
            }
            Values::Bools(v) if !v.is_empty() && gaps == 0 => Ok((Filled::Bools(v), Some("bool"))),
            values => {
                let mut nodes = values.into_nodes().into_iter();
                let cells: Vec<Option<Node>> = state
                    .iter()
                    .map(|&s| match s {
                        VALUE => nodes.next(),
                        NULL => Some(Node::Null),
                        _ => None,
                    })
                    .collect();
                let values = missing(
                    name,
                    cells,
                    || Node::Float(f64::NAN),
                    |v| Ok::<_, Refused>(float(v)),
                )?;
                let kind = dtype(&values);
                Ok((Filled::Nodes(values), kind))
            }
        }
    }
}

/// The values of the rows with one, and `gap` in the others.
fn spread<T: Copy>(state: &[u8], values: Vec<T>, gap: T) -> Vec<T> {
    if values.len() == state.len() {
        return values;
    }
    let mut values = values.into_iter();
    state
        .iter()
        .map(|&s| {
            if s == VALUE {
                values.next().unwrap_or(gap)
            } else {
                gap
            }
        })
        .collect()
}

/// A finished column, one value a row.
pub(crate) enum Filled {
    /// Texts and gaps: a row's state says which (`VALUE`: the next text; `NULL`: `None`;
    /// `ABSENT`: NaN).
    Texts {
        state: Vec<u8>,
        texts: Texts,
    },
    Floats(Vec<f64>),
    Ints(Vec<i64>),
    Bools(Vec<bool>),
    Nodes(Vec<Node>),
}

/// A cell of a finished column.
#[derive(Clone, Copy)]
pub(crate) enum Cell<'a> {
    Text(&'a str),
    /// `None`.
    Null,
    Float(f64),
    Int(i64),
    Bool(bool),
    Node(&'a Node),
}

impl Filled {
    /// A column of texts and `None`s (a name column), one a row.
    pub(crate) fn of_texts<'a>(
        rows: impl ExactSizeIterator<Item = Option<&'a str>>,
    ) -> (Filled, Option<&'static str>) {
        let mut state = Vec::with_capacity(rows.len());
        let mut texts = Texts::default();
        for row in rows {
            if let Some(text) = row {
                texts.push(text);
                state.push(VALUE);
            } else {
                state.push(NULL);
            }
        }
        if texts.is_empty() {
            let nodes = vec![Node::Null; state.len()];
            let kind = dtype(&nodes);
            return (Filled::Nodes(nodes), kind);
        }
        (Filled::Texts { state, texts }, Some("str"))
    }

    /// `f` on each row's cell, in order (a loop of its own for each kind).
    pub(crate) fn each<'a>(&'a self, mut f: impl FnMut(Cell<'a>)) {
        match self {
            Filled::Floats(v) => v.iter().for_each(|&x| f(Cell::Float(x))),
            Filled::Ints(v) => v.iter().for_each(|&i| f(Cell::Int(i))),
            Filled::Bools(v) => v.iter().for_each(|&b| f(Cell::Bool(b))),
            Filled::Nodes(v) => v.iter().for_each(|n| f(Cell::Node(n))),
            Filled::Texts { state, texts } => {
                let mut values = texts.iter();
                for &s in state {
                    f(text_cell(s, &mut values));
                }
            }
        }
    }

    /// Each row's cell.
    pub(crate) fn cells(&self) -> Box<dyn Iterator<Item = Cell<'_>> + '_> {
        match self {
            Filled::Texts { state, texts } => {
                let mut values = texts.iter();
                Box::new(state.iter().map(move |&s| text_cell(s, &mut values)))
            }
            Filled::Floats(v) => Box::new(v.iter().map(|&f| Cell::Float(f))),
            Filled::Ints(v) => Box::new(v.iter().map(|&i| Cell::Int(i))),
            Filled::Bools(v) => Box::new(v.iter().map(|&b| Cell::Bool(b))),
            Filled::Nodes(v) => Box::new(v.iter().map(Cell::Node)),
        }
    }
}

/// The cell of a row of texts by its state (`values`: the column's texts from this row on).
fn text_cell<'a>(state: u8, values: &mut impl Iterator<Item = &'a str>) -> Cell<'a> {
    match state {
        VALUE => values.next().map_or(Cell::Null, Cell::Text),
        NULL => Cell::Null,
        _ => Cell::Float(f64::NAN),
    }
}

impl<'a> Cell<'a> {
    /// The text of a cell that is one.
    pub(crate) fn text(&self) -> Option<&'a str> {
        match *self {
            Cell::Text(t) => Some(t),
            Cell::Node(n) => n.text(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Cell, Cells, Filled};
    use crate::columns::{dtype, missing};
    use crate::frames::{float, Node};
    use proptest::prelude::*;
    use std::borrow::Cow;

    fn node() -> impl Strategy<Value = Node> {
        prop_oneof![
            Just(Node::Null),
            any::<bool>().prop_map(Node::Bool),
            (-3i128..3).prop_map(Node::Int),
            any::<i64>().prop_map(|i| Node::Int(i.into())),
            Just(Node::Int(i128::from(i64::MAX) + 1)),
            Just(Node::Big(u128::MAX)),
            prop_oneof![
                Just(f64::NAN),
                Just(-0.0),
                Just(f64::INFINITY),
                any::<f64>()
            ]
            .prop_map(Node::Float),
            "[aé· ]{0,3}".prop_map(|s| Node::Str(Cow::Owned(s))),
            Just(Node::Str(Cow::Borrowed(""))),
            "[ab]{0,2}".prop_map(|s| Node::List(vec![Node::Str(Cow::Owned(s))])),
        ]
    }

    /// Nodes equal, floats by their bits (NaN is NaN).
    fn same(a: &Node, b: &Node) -> bool {
        match (a, b) {
            (Node::Float(x), Node::Float(y)) => x.to_bits() == y.to_bits(),
            (Node::List(x), Node::List(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
            }
            _ => a == b,
        }
    }

    fn as_node(cell: Cell<'_>) -> Node {
        match cell {
            Cell::Text(t) => Node::Str(Cow::Owned(t.to_owned())),
            Cell::Null => Node::Null,
            Cell::Float(f) => Node::Float(f),
            Cell::Int(i) => Node::Int(i.into()),
            Cell::Bool(b) => Node::Bool(b),
            Cell::Node(n) => n.clone(),
        }
    }

    proptest! {
        /// A column filled by kind is finished as the rules finish its cells one by one
        /// (`missing`, then `dtype`), rows without the field and fields set twice in a row
        /// included.
        #[test]
        fn typed_columns_finish_as_the_rules_do(
            sets in proptest::collection::vec((0usize..3, node()), 0..24),
            extra in 0usize..3,
            components in any::<bool>(),
        ) {
            let name = if components { "components.x" } else { "x" };
            let mut reference: Vec<Option<Node>> = Vec::new();
            let mut cells = Cells::new();
            let mut row = 0;
            for (step, value) in sets {
                row += step;
                reference.resize(row + 1, None);
                reference[row] = Some(value.clone());
                cells.set(row, value);
            }
            let rows = if reference.is_empty() { 0 } else { row + 1 + extra };
            reference.resize(rows, None);
            let expected = missing(name, reference, || Node::Float(f64::NAN), |v| Ok::<_, ()>(float(v))).unwrap();
            let kind = dtype(&expected);
            let (filled, got_kind) = cells.finish(name, rows).map_err(|_| TestCaseError::fail("refused"))?;
            let got: Vec<Node> = filled.cells().map(as_node).collect();
            prop_assert_eq!(got.len(), expected.len());
            prop_assert!(got.iter().zip(&expected).all(|(a, b)| same(a, b)), "{:?} != {:?}", got, expected);
            prop_assert_eq!(got_kind, kind);
        }

        /// A name column: texts where a name was found, `None` elsewhere.
        #[test]
        fn name_columns_are_texts_and_nones(rows in proptest::collection::vec(proptest::option::of("[a-z]{0,3}"), 1..12)) {
            let nodes: Vec<Node> = rows.iter().map(|r| r.clone().map_or(Node::Null, |t| Node::Str(Cow::Owned(t)))).collect();
            let (filled, kind) = Filled::of_texts(rows.iter().map(Option::as_deref));
            let got: Vec<Node> = filled.cells().map(as_node).collect();
            prop_assert!(got.iter().zip(&nodes).all(|(a, b)| same(a, b)));
            prop_assert_eq!(kind, dtype(&nodes));
        }
    }
}
