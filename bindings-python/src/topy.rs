//! Serde values as Python objects: what `pythonize` builds (a struct or a map is a dict, a
//! sequence a list, a tuple a tuple, a unit variant its name, another variant a one-key dict),
//! with the names of struct fields and unit variants made once and reused. `pythonize` makes a
//! new `str` for every key of every dict: a page of six stages is about 600 objects, half of
//! them keys, and building them was most of a search's time from Python.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use serde::ser::{self, Serialize};
use std::cell::RefCell;
use std::mem::ManuallyDrop;

/// Python objects from serde values, with Python's cyclic garbage collector paused meanwhile
/// (see [`Paused`]).
pub(crate) fn to_py<'py, T: ?Sized + Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let _paused = Paused::new(py)?;
    convert(py, value)
}

/// Python objects from a serde value, the collector left as it is: for many small values
/// under one [`Paused`].
pub(crate) fn convert<'py, T: ?Sized + Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    convert_shared(py, value, None)
}

/// Short texts made once for a whole conversion, each text one `str` (immutable, so shared
/// without a difference but memory): a frame's list cells repeat the same few words in every
/// row ("distance", "college", a date), a batch's pages the same stages. Filled by
/// [`convert_shared`].
#[derive(Default)]
pub(crate) struct Shared(RefCell<rustc_hash::FxHashMap<Box<str>, Py<PyString>>>);

impl Shared {
    /// Texts longer than this are made each time (a long text rarely repeats).
    const LONGEST: usize = 64;
    /// At most this many texts kept.
    const KEPT: usize = 1 << 16;
    /// The rows or matches from which a result shares its texts.
    const FROM_ROWS: usize = 256;

    /// The texts to share for a result of this many rows or matches: none for a few, which
    /// are made faster one by one (a page of 6 stages as a frame: 211-224 µs with them,
    /// 200-204 without).
    pub(crate) fn for_rows(rows: usize) -> Option<Shared> {
        (rows >= Self::FROM_ROWS).then(Shared::default)
    }
}

/// [`convert`], each short text made once for all the calls given the same `shared`, if any.
pub(crate) fn convert_shared<'py, T: ?Sized + Serialize>(
    py: Python<'py>,
    value: &T,
    shared: Option<&Shared>,
) -> PyResult<Bound<'py, PyAny>> {
    NAMES.with(|names| value.serialize(ToPy { py, names, shared }).map_err(|e| e.0))
}

/// `gc.isenabled`, `gc.disable` and `gc.enable`, looked up once.
static GC: pyo3::sync::PyOnceLock<[Py<PyAny>; 3]> = pyo3::sync::PyOnceLock::new();

/// Python's cyclic garbage collector paused while a result is built, and resumed after (if it
/// ran before). A result is dicts, lists and scalars that make no cycle, so a collection finds
/// nothing in them; but each 700 new containers start one, and a batch of 2,650 pages (a million
/// objects) took 0.71 s with collections where 0.25 s of it was building the objects. The
/// objects are built with the GIL held, so no other thread runs meanwhile, unless Python code is
/// run (an error's exception is made by its class): another thread may then run uncollected a
/// moment, and a `gc.disable()` it makes in that moment is undone as the pause ends.
pub(crate) struct Paused<'py> {
    enable: Option<Bound<'py, PyAny>>,
}

impl<'py> Paused<'py> {
    pub(crate) fn new(py: Python<'py>) -> PyResult<Paused<'py>> {
        let [isenabled, disable, enable] =
            GC.get_or_try_init(py, || -> PyResult<[Py<PyAny>; 3]> {
                let gc = py.import("gc")?;
                Ok([
                    gc.getattr("isenabled")?.unbind(),
                    gc.getattr("disable")?.unbind(),
                    gc.getattr("enable")?.unbind(),
                ])
            })?;
        if !isenabled.bind(py).call0()?.is_truthy()? {
            return Ok(Paused { enable: None });
        }
        disable.bind(py).call0()?;
        Ok(Paused {
            enable: Some(enable.bind(py).clone()),
        })
    }
}

impl Drop for Paused<'_> {
    fn drop(&mut self) {
        if let Some(enable) = self.enable.take() {
            // `gc.enable()` takes no argument and cannot fail; were it to, the collector would
            // stay paused, which loses no object, only collections.
            let _ = enable.call0();
        }
    }
}

/// Names by the address and length of their text.
type Names = rustc_hash::FxHashMap<(usize, usize), Py<PyString>>;

thread_local! {
    /// The `str` of each static name (a field or a variant), by the name's address and length:
    /// names come from the types' definitions, so the same name is the same address. Interned
    /// strings, never freed (not even when the thread ends, when Python may be gone).
    static NAMES: RefCell<ManuallyDrop<Names>> = RefCell::default();
}

/// The `str` of a static name, made once.
fn name<'py>(
    py: Python<'py>,
    names: &RefCell<ManuallyDrop<Names>>,
    text: &'static str,
) -> Bound<'py, PyString> {
    let key = (text.as_ptr() as usize, text.len());
    if let Some(s) = names.borrow().get(&key) {
        return s.bind(py).clone();
    }
    let s = PyString::intern(py, text);
    names.borrow_mut().insert(key, s.clone().unbind());
    s
}

/// A Python error carried through serde.
pub(crate) struct Failed(PyErr);

impl std::fmt::Debug for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Failed(pyo3::exceptions::PyValueError::new_err(msg.to_string()))
    }
}

impl From<PyErr> for Failed {
    fn from(e: PyErr) -> Self {
        Failed(e)
    }
}

type Out<'py> = Result<Bound<'py, PyAny>, Failed>;

#[derive(Clone, Copy)]
struct ToPy<'py, 'n> {
    py: Python<'py>,
    /// This thread's [`NAMES`].
    names: &'n RefCell<ManuallyDrop<Names>>,
    /// Texts made once for the whole conversion, if asked ([`convert_shared`]).
    shared: Option<&'n Shared>,
}

impl<'py> ToPy<'py, '_> {
    fn object<T: IntoPyObject<'py>>(self, v: T) -> Out<'py> {
        use pyo3::IntoPyObjectExt;
        Ok(v.into_bound_py_any(self.py)?)
    }

    /// `{variant: value}`.
    fn variant(self, variant: &'static str, value: Bound<'py, PyAny>) -> Out<'py> {
        let d = PyDict::new(self.py);
        d.set_item(name(self.py, self.names, variant), value)?;
        Ok(d.into_any())
    }
}

/// A list or a tuple being built.
struct Sequence<'py, 'n> {
    to: ToPy<'py, 'n>,
    items: Vec<Bound<'py, PyAny>>,
    /// The variant of a tuple variant.
    variant: Option<&'static str>,
}

impl<'py> Sequence<'py, '_> {
    fn push<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Failed> {
        self.items.push(value.serialize(self.to)?);
        Ok(())
    }

    fn list(self) -> Out<'py> {
        Ok(PyList::new(self.to.py, self.items)?.into_any())
    }

    fn tuple(self) -> Out<'py> {
        let t = PyTuple::new(self.to.py, self.items)?.into_any();
        match self.variant {
            Some(v) => self.to.variant(v, t),
            None => Ok(t),
        }
    }
}

/// A dict being built.
struct Mapping<'py, 'n> {
    to: ToPy<'py, 'n>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
    /// The variant of a struct variant.
    variant: Option<&'static str>,
}

impl<'py> Mapping<'py, '_> {
    fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Failed> {
        let value = value.serialize(self.to)?;
        self.dict
            .set_item(name(self.to.py, self.to.names, key), value)?;
        Ok(())
    }

    fn done(self) -> Out<'py> {
        let d = self.dict.into_any();
        match self.variant {
            Some(v) => self.to.variant(v, d),
            None => Ok(d),
        }
    }
}

impl<'py, 'n> ser::Serializer for ToPy<'py, 'n> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    type SerializeSeq = Sequence<'py, 'n>;
    type SerializeTuple = Sequence<'py, 'n>;
    type SerializeTupleStruct = Sequence<'py, 'n>;
    type SerializeTupleVariant = Sequence<'py, 'n>;
    type SerializeMap = Mapping<'py, 'n>;
    type SerializeStruct = Mapping<'py, 'n>;
    type SerializeStructVariant = Mapping<'py, 'n>;

    fn serialize_bool(self, v: bool) -> Out<'py> {
        self.object(v)
    }
    fn serialize_i8(self, v: i8) -> Out<'py> {
        self.object(v)
    }
    fn serialize_i16(self, v: i16) -> Out<'py> {
        self.object(v)
    }
    fn serialize_i32(self, v: i32) -> Out<'py> {
        self.object(v)
    }
    fn serialize_i64(self, v: i64) -> Out<'py> {
        self.object(v)
    }
    fn serialize_i128(self, v: i128) -> Out<'py> {
        self.object(v)
    }
    fn serialize_u8(self, v: u8) -> Out<'py> {
        self.object(v)
    }
    fn serialize_u16(self, v: u16) -> Out<'py> {
        self.object(v)
    }
    fn serialize_u32(self, v: u32) -> Out<'py> {
        self.object(v)
    }
    fn serialize_u64(self, v: u64) -> Out<'py> {
        self.object(v)
    }
    fn serialize_u128(self, v: u128) -> Out<'py> {
        self.object(v)
    }
    fn serialize_f32(self, v: f32) -> Out<'py> {
        self.object(v)
    }
    fn serialize_f64(self, v: f64) -> Out<'py> {
        self.object(v)
    }
    fn serialize_char(self, v: char) -> Out<'py> {
        self.object(v)
    }
    fn serialize_str(self, v: &str) -> Out<'py> {
        let Some(Shared(shared)) = self.shared.filter(|_| v.len() <= Shared::LONGEST) else {
            return Ok(PyString::new(self.py, v).into_any());
        };
        if let Some(s) = shared.borrow().get(v) {
            return Ok(s.bind(self.py).clone().into_any());
        }
        let s = PyString::new(self.py, v);
        let mut shared = shared.borrow_mut();
        if shared.len() < Shared::KEPT {
            shared.insert(v.into(), s.clone().unbind());
        }
        Ok(s.into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Out<'py> {
        Ok(PyBytes::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> Out<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
    ) -> Out<'py> {
        Ok(name(self.py, self.names, variant).into_any())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Out<'py> {
        let value = value.serialize(self)?;
        self.variant(variant, value)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Sequence<'py, 'n>, Failed> {
        Ok(Sequence {
            to: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Sequence<'py, 'n>, Failed> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Sequence<'py, 'n>, Failed> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Sequence<'py, 'n>, Failed> {
        let mut items = self.serialize_seq(Some(len))?;
        items.variant = Some(variant);
        Ok(items)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Mapping<'py, 'n>, Failed> {
        Ok(Mapping {
            to: self,
            dict: PyDict::new(self.py),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Mapping<'py, 'n>, Failed> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Mapping<'py, 'n>, Failed> {
        let mut dict = self.serialize_map(None)?;
        dict.variant = Some(variant);
        Ok(dict)
    }
}

/// The sequence-like compounds: each element pushed, the end a list or a tuple.
macro_rules! sequence {
    ($compound:ident, $element:ident, $end:ident) => {
        impl<'py, 'n> ser::$compound for Sequence<'py, 'n> {
            type Ok = Bound<'py, PyAny>;
            type Error = Failed;
            fn $element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Failed> {
                self.push(value)
            }
            fn end(self) -> Out<'py> {
                self.$end()
            }
        }
    };
}

sequence!(SerializeSeq, serialize_element, list);
sequence!(SerializeTuple, serialize_element, tuple);
sequence!(SerializeTupleStruct, serialize_field, tuple);
sequence!(SerializeTupleVariant, serialize_field, tuple);

impl<'py> ser::SerializeMap for Mapping<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Failed;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Failed> {
        self.key = Some(key.serialize(self.to)?);
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Failed> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <Failed as ser::Error>::custom("a map value came before its key"))?;
        self.dict.set_item(key, value.serialize(self.to)?)?;
        Ok(())
    }
    fn end(self) -> Out<'py> {
        self.done()
    }
}

/// The struct-like compounds: each field under its name, made once.
macro_rules! structure {
    ($compound:ident) => {
        impl<'py, 'n> ser::$compound for Mapping<'py, 'n> {
            type Ok = Bound<'py, PyAny>;
            type Error = Failed;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Failed> {
                self.field(key, value)
            }
            fn end(self) -> Out<'py> {
                self.done()
            }
        }
    };
}

structure!(SerializeStruct);
structure!(SerializeStructVariant);
