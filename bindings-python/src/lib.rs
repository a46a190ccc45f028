//! `metiers._native`: the core's `Engine` for Python.
//!
//! This crate converts (Python objects to the core's serde types through JSON values, results
//! back to dicts and lists), maps errors to the exception classes of `metiers.errors`, and
//! releases the GIL around every core call. It holds no logic about the domain.

mod cells;
mod columns;
mod frames;
mod topy;

use metiers::{
    BatchOptions, Cell, Engine, Entity, Error, Format, LoadOptions, Region, SearchKind, Table,
};
use pyo3::prelude::*;
use pyo3::types::PyList;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::RwLock;

/// Builds the exception of `metiers.errors` that matches the error's code.
fn exception(py: Python<'_>, e: &Error) -> PyErr {
    let class = match e.code() {
        "invalid_input" => "InvalidInputError",
        "ambiguous_place" => "AmbiguousPlaceError",
        "not_found" => "NotFoundError",
        "data_error" => "DataError",
        "conflict" => "ConflictError",
        _ => "InternalError",
    };
    let build = || -> PyResult<PyErr> {
        let details = topy::to_py(py, e)?;
        let exc = py
            .import("metiers.errors")?
            .getattr(class)?
            .call1((e.to_string(), details))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|err| err)
}

trait IntoPy<T> {
    fn py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPy<T> for Result<T, Error> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| exception(py, &e))
    }
}

/// A Python object (dict, list, str…) as a core input type. Anything the converter refuses is
/// `invalid_input`, never a bare `TypeError`.
fn input<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, what: &str) -> Result<T, Error> {
    metiers::error::from_value(json_value(obj, what)?, what)
}

/// A Python object as a JSON value, by the rules of `metiers::input`: nested at most
/// `MAX_DEPTH` levels, floats finite, integers within 64 bits (numpy integers too, through
/// `__index__`); dict keys are strings. Errors name the path (`weights.interest`) or `what`.
fn json_value(obj: &Bound<'_, PyAny>, what: &str) -> Result<serde_json::Value, Error> {
    to_json(obj, what, "", 0)
}

/// The scalars `to_json` and `cell` read alike.
enum Scalar<'py> {
    Null,
    Bool(bool),
    Text(String),
    Float(f64),
    Int(Bound<'py, pyo3::types::PyInt>),
}

/// `obj` as a scalar: None, a bool, a str, a float, an int (numpy's integers through
/// `__index__`); `None` for anything else (a list, a dict, another type). `bad` words the
/// error of a str that is not UTF-8 (a lone surrogate).
fn scalar<'py>(
    obj: &Bound<'py, PyAny>,
    bad: &dyn Fn(String) -> Error,
) -> Result<Option<Scalar<'py>>, Error> {
    use pyo3::types::{PyBool, PyFloat, PyInt, PyString};
    if obj.is_none() {
        return Ok(Some(Scalar::Null));
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Some(Scalar::Bool(b.is_true())));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        // (to_cow: the stable ABI of 3.9 has no borrowed UTF-8 view)
        let text = s.to_cow().map_err(|e| bad(e.to_string()))?;
        return Ok(Some(Scalar::Text(text.into_owned())));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(Some(Scalar::Float(f.value())));
    }
    let int = match obj.cast::<PyInt>() {
        Ok(i) => Some(i.clone()),
        Err(_) if obj.hasattr("__index__").unwrap_or(false) => obj
            .call_method0("__index__")
            .ok()
            .and_then(|i| i.cast_into::<PyInt>().ok()),
        Err(_) => None,
    };
    if int.is_some() {
        return Ok(int.map(Scalar::Int));
    }
    Ok(numpy_scalar(obj))
}

/// A numpy float of another width than 64 bits (`float32`, `float16`: a column cast to save
/// memory) as its value, and a numpy `bool_` as a bool; numpy's `float64` is a Python float
/// and its integers have `__index__`. `None` for anything else.
fn numpy_scalar<'py>(obj: &Bound<'py, PyAny>) -> Option<Scalar<'py>> {
    let kind = obj.getattr("dtype").and_then(|d| d.getattr("kind")).ok()?;
    let from_numpy = obj
        .get_type()
        .getattr("__module__")
        .is_ok_and(|m| m.to_string() == "numpy");
    match kind.to_string().as_str() {
        "f" if from_numpy => obj
            .call_method0("__float__")
            .and_then(|f| f.extract::<f64>())
            .ok()
            .map(Scalar::Float),
        "b" if from_numpy => obj.is_truthy().ok().map(Scalar::Bool),
        _ => None,
    }
}

/// `path` is the place inside the value (`weights.interest`), empty for the value itself,
/// which errors call `what`, as `metiers::input::read` does.
fn to_json(
    obj: &Bound<'_, PyAny>,
    what: &str,
    inner: &str,
    depth: usize,
) -> Result<serde_json::Value, Error> {
    use pyo3::types::{PyDict, PyTuple};
    use serde_json::Value;
    let named = metiers::input::field_name(what, inner);
    let path: &str = &named;
    if depth > metiers::input::MAX_DEPTH {
        return Err(metiers::input::too_deep(path));
    }
    let shown = || {
        obj.repr()
            .map_or_else(|_| String::from("?"), |r| r.to_string())
    };
    match scalar(obj, &|reason| Error::invalid(path, shown(), reason))? {
        Some(Scalar::Null) => return Ok(Value::Null),
        Some(Scalar::Bool(b)) => return Ok(Value::Bool(b)),
        Some(Scalar::Text(t)) => return Ok(Value::String(t)),
        Some(Scalar::Float(x)) => {
            return serde_json::Number::from_f64(x)
                .map(Value::Number)
                .ok_or_else(|| metiers::input::not_finite(path, x));
        }
        Some(Scalar::Int(i)) => {
            if let Ok(x) = i.extract::<i64>() {
                return Ok(Value::Number(x.into()));
            }
            if let Ok(x) = i.extract::<u64>() {
                return Ok(Value::Number(x.into()));
            }
            return Err(metiers::input::too_big(path, &shown()));
        }
        None => {}
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = serde_json::Map::new();
        for (k, v) in d.iter() {
            let key: String = k
                .extract()
                .map_err(|_| Error::invalid(path, shown(), "the keys of a dict are texts"))?;
            let step = metiers::error::bounded(&key);
            let child = if inner.is_empty() {
                step
            } else {
                format!("{inner}.{step}")
            };
            map.insert(key, to_json(&v, what, &child, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        // The core reader's bound on a list's length, as every binding reads it.
        if let Some(n) = obj.len().ok().filter(|&n| n > metiers::input::MAX_ITEMS) {
            return Err(metiers::input::too_long(path, Some(n)));
        }
        let mut list = Vec::new();
        for (i, v) in obj
            .try_iter()
            .map_err(|e| Error::invalid(path, shown(), e.to_string()))?
            .enumerate()
        {
            let v = v.map_err(|e| Error::invalid(path, shown(), e.to_string()))?;
            list.push(to_json(&v, what, &format!("{inner}[{i}]"), depth + 1)?);
        }
        return Ok(Value::Array(list));
    }
    let kind = obj
        .get_type()
        .name()
        .map_or_else(|_| String::from("?"), |n| n.to_string());
    if let Some(v) = column_or_day(obj, what, inner, depth, &kind)? {
        return Ok(v);
    }
    Err(Error::invalid(
        path,
        shown(),
        format!("expected a text, a number, a list or a dict, not {kind}"),
    ))
}

/// A numpy array, a pandas Series or Index (a 1-dimensional column) as the list of its items,
/// or a `datetime.date` as its ISO day; `None` for any other type.
fn column_or_day(
    obj: &Bound<'_, PyAny>,
    what: &str,
    inner: &str,
    depth: usize,
    kind: &str,
) -> Result<Option<serde_json::Value>, Error> {
    use serde_json::Value;
    let named = metiers::input::field_name(what, inner);
    let path: &str = &named;
    let shown = || {
        obj.repr()
            .map_or_else(|_| String::from("?"), |r| r.to_string())
    };
    // A column as data scientists hold one (a numpy array, a pandas Series or Index): its
    // items in order, as a list; an array of more dimensions is no list.
    if let Ok(ndim) = obj.getattr("ndim").and_then(|n| n.extract::<usize>()) {
        if ndim == 0 {
            return numpy_day(obj, path, &shown);
        }
        if ndim == 1 && obj.hasattr("tolist").unwrap_or(false) {
            let list = obj
                .call_method0("tolist")
                .map_err(|e| Error::invalid(path, shown(), e.to_string()))?;
            return to_json(&list, what, inner, depth).map(Some);
        }
        return Err(Error::invalid(
            path,
            shown(),
            format!("a {ndim}-dimensional {kind} is no list: give a list or a 1-dimensional array"),
        ));
    }
    // A day as `datetime.date` holds it is its ISO text; a date and time (a `datetime`, a
    // pandas `Timestamp`) is refused: which day it is depends on a time zone.
    let datetime = obj
        .py()
        .import("datetime")
        .map_err(|e| Error::Internal(e.to_string()))?;
    let is = |name: &str| {
        datetime
            .getattr(name)
            .and_then(|t| obj.is_instance(&t))
            .unwrap_or(false)
    };
    if is("datetime") {
        return Err(Error::invalid(
            path,
            shown(),
            format!("a date and time: {GIVE_THE_DAY}"),
        ));
    }
    if is("date") {
        let day: String = obj
            .call_method0("isoformat")
            .and_then(|d| d.extract())
            .map_err(|e| Error::invalid(path, shown(), e.to_string()))?;
        return Ok(Some(Value::String(day)));
    }
    Ok(None)
}

/// What a date and time, or a numpy value that is not a day, is refused with.
const GIVE_THE_DAY: &str = "give the day, as a datetime.date or \"YYYY-MM-DD\"";

/// A numpy scalar that is not a number (those are read before): a `datetime64` of a day
/// (`df["start"].values[0]` of a column of days) is that day, as a `datetime.date` is; one of
/// a finer unit is a date and time, refused as a `datetime` is; of a coarser one (a month, a
/// year), no day. `None` for any other (no JSON form: refused naming its type).
fn numpy_day(
    obj: &Bound<'_, PyAny>,
    path: &str,
    shown: &dyn Fn() -> String,
) -> Result<Option<serde_json::Value>, Error> {
    let text = |o: PyResult<Bound<'_, PyAny>>| o.and_then(|v| v.extract::<String>()).ok();
    let Ok(dtype) = obj.getattr("dtype") else {
        return Ok(None);
    };
    if text(dtype.getattr("kind")).as_deref() != Some("M") {
        return Ok(None);
    }
    // `<M8[D]`, `<M8[ns]`, `<M8[M]`…: its unit.
    let dtype = text(dtype.getattr("str")).unwrap_or_default();
    let unit = dtype
        .split('[')
        .nth(1)
        // numpy's NaT without a unit is `<M8`, "generic".
        .map_or("generic", |u| u.trim_end_matches(']'));
    if unit == "D" {
        return text(obj.str().map(Bound::into_any))
            .map(|day| Some(serde_json::Value::String(day)))
            .ok_or_else(|| Error::invalid(path, shown(), "a datetime64 without its text"));
    }
    Err(Error::invalid(
        path,
        shown(),
        format!("a datetime64 in {unit:?}, not a day: {GIVE_THE_DAY}"),
    ))
}

/// One cell of a frame's column as the core reads it (`metiers::Cell`): None, a bool, a
/// str, an int (numpy's through `__index__`), a float (NaN stays NaN: the core reads it as an
/// empty cell) or a list of those. `at` names the cell in errors (`columns.siret[3]`).
fn cell(obj: &Bound<'_, PyAny>, at: &dyn Fn() -> String, depth: usize) -> Result<Cell, Error> {
    use pyo3::types::PyTuple;
    let shown = || {
        obj.repr().map_or_else(
            |_| String::from("?"),
            |r| metiers::error::bounded(&r.to_string()),
        )
    };
    match scalar(obj, &|reason| Error::invalid(at(), shown(), reason))? {
        Some(Scalar::Null) => return Ok(Cell::Missing),
        Some(Scalar::Bool(b)) => return Ok(Cell::Bool(b)),
        Some(Scalar::Text(t)) => return Ok(Cell::Text(t)),
        Some(Scalar::Float(x)) => return Ok(Cell::Float(x)),
        Some(Scalar::Int(i)) => {
            return i
                .extract::<i64>()
                .map(Cell::Int)
                .map_err(|_| metiers::input::too_big(&at(), &shown()));
        }
        None => {}
    }
    // Lists in lists are handed to the core, which says why it refuses them.
    if depth <= 1 && (obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok()) {
        let mut items = Vec::new();
        for v in obj
            .try_iter()
            .map_err(|e| Error::invalid(at(), shown(), e.to_string()))?
        {
            let v = v.map_err(|e| Error::invalid(at(), shown(), e.to_string()))?;
            items.push(cell(&v, at, depth + 1)?);
        }
        return Ok(Cell::List(items));
    }
    let kind = obj
        .get_type()
        .name()
        .map_or_else(|_| String::from("?"), |n| n.to_string());
    Err(Error::invalid(
        at(),
        shown(),
        format!("a cell is a text, a number, a boolean, a list of those or missing, not {kind}"),
    ))
}

/// The columns of a frame, as the facade hands them over: `[(name, [cells…]), …]`.
fn columns(obj: &Bound<'_, PyAny>) -> Result<Vec<(String, Vec<Cell>)>, Error> {
    let wrong = |reason: &str| Error::invalid("columns", "", reason.to_string());
    let mut out = Vec::new();
    for pair in obj
        .try_iter()
        .map_err(|_| wrong("expected a list of (name, values)"))?
    {
        let pair = pair.map_err(|e| wrong(&e.to_string()))?;
        let (name, values): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair
            .extract()
            .map_err(|_| wrong("expected a list of (name, values)"))?;
        let name = text(&name, "columns")?;
        let mut cells = Vec::new();
        for (i, v) in values
            .try_iter()
            .map_err(|e| wrong(&e.to_string()))?
            .enumerate()
        {
            let v = v.map_err(|e| wrong(&e.to_string()))?;
            cells.push(cell(
                &v,
                &|| format!("{}[{i}]", metiers::error::bounded(&name)),
                0,
            )?);
        }
        out.push((name, cells));
    }
    Ok(out)
}

/// The options of a loader: its source label, mode and encoding, each the core's default
/// when not given.
type LoadArgs<'a, 'py> = (
    Option<&'a Bound<'py, PyAny>>,
    Option<&'a Bound<'py, PyAny>>,
    Option<&'a Bound<'py, PyAny>>,
);

/// The document and the options of a loader; a `str` is text already, which the options'
/// encoding cannot apply to.
fn load_args(
    data: &Bound<'_, PyAny>,
    args: LoadArgs<'_, '_>,
) -> Result<(Vec<u8>, LoadOptions), Error> {
    let options = load_options(args)?;
    if data.is_instance_of::<pyo3::types::PyString>() {
        options.for_text("a str")?;
    }
    Ok((self::data(data, "data")?, options))
}

fn load_options((source, mode, encoding): LoadArgs<'_, '_>) -> Result<LoadOptions, Error> {
    Ok(LoadOptions {
        source: source.map(|s| text(s, "source")).transpose()?,
        mode: mode.map(|m| input(m, "mode")).transpose()?,
        encoding: encoding.map(|m| input(m, "encoding")).transpose()?,
    })
}

/// The stage id and the count of a reservation (the core's default when not given).
fn count_args(
    stage_id: &Bound<'_, PyAny>,
    count: Option<&Bound<'_, PyAny>>,
) -> Result<(String, Option<u32>), Error> {
    Ok((
        text(stage_id, "stage_id")?,
        count.map(|c| whole(c, "count")).transpose()?,
    ))
}

/// The region argument (the core's default when not given).
fn region_arg(region: Option<&Bound<'_, PyAny>>) -> Result<Region, Error> {
    let name: Option<String> = region.map(|r| text(r, "region")).transpose()?;
    Region::from_arg(name.as_deref())
}

/// A text argument.
fn text(obj: &Bound<'_, PyAny>, what: &str) -> Result<String, Error> {
    input(obj, what)
}

/// A whole-number argument.
fn whole<T: TryFrom<u64>>(obj: &Bound<'_, PyAny>, what: &str) -> Result<T, Error> {
    metiers::input::whole(&json_value(obj, what)?, what)
}

/// A document or a data file: bytes, a bytearray, a memoryview or a str (its UTF-8 bytes),
/// as the JS packages take a string, a `Uint8Array`, an `ArrayBuffer` or a `DataView`; anything
/// else is `invalid_input` naming `field`.
fn data(obj: &Bound<'_, PyAny>, field: &str) -> Result<Vec<u8>, Error> {
    use pyo3::types::{PyByteArray, PyBytes, PyMemoryView, PyString};
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(b.to_vec());
    }
    if obj.is_instance_of::<PyMemoryView>() {
        // A view of bytes (items of one byte: `B`, `b`, `c`), read in its logical order (a
        // strided view's items, not the memory between them); a view of wider items (an
        // `array('d')`, a NumPy array of floats) is not text nor a data file, as a
        // `Float64Array` is not in the JS packages. A released view is refused too.
        let wrong = |e: PyErr| Error::invalid(field, "", e.to_string());
        let width: usize = obj
            .getattr("itemsize")
            .and_then(|n| n.extract())
            .map_err(|_| Error::invalid(field, "", "a released memoryview"))?;
        if width != 1 {
            let format: String = obj
                .getattr("format")
                .and_then(|f| f.extract())
                .map_err(wrong)?;
            return Err(Error::invalid(
                field,
                "",
                format!("a memoryview of {width}-byte items ({format:?}), not of bytes"),
            ));
        }
        let copy = obj.call_method0("tobytes").map_err(wrong)?;
        if let Ok(b) = copy.cast::<PyBytes>() {
            return Ok(b.as_bytes().to_vec());
        }
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s
            .to_cow()
            .map_err(|e| Error::invalid(field, "", e.to_string()))?
            .as_bytes()
            .to_vec());
    }
    Err(Error::invalid(
        field,
        "",
        "expected bytes, a bytearray, a memoryview or a str",
    ))
}

/// A core result as Python objects.
fn output<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    Ok(topy::to_py(py, value)?.unbind())
}

/// An analytics request from its optional argument, read by the core.
fn analytics_request<T>(
    request: Option<&Bound<'_, PyAny>>,
    read: fn(Option<serde_json::Value>) -> Result<T, Error>,
) -> Result<T, Error> {
    read(request.map(|r| json_value(r, "request")).transpose()?)
}

/// A coverage for a `pandas.DataFrame`: the tables (places, sectors, facets, summary) as Python
/// objects and each column as little-endian bytes (`numpy.frombuffer`).
fn coverage_arrays(py: Python<'_>, coverage: &metiers::analytics::Coverage) -> PyResult<Py<PyAny>> {
    use pyo3::types::{PyBytes, PyDict};
    fn bytes<T: Copy, const N: usize>(py: Python<'_>, v: &[T], le: fn(T) -> [u8; N]) -> Py<PyAny> {
        let raw: Vec<u8> = v.iter().flat_map(|x| le(*x)).collect();
        PyBytes::new(py, &raw).into_any().unbind()
    }
    let a = coverage.arrays();
    let d = PyDict::new(py);
    d.set_item("weight", &coverage.weight)?;
    d.set_item("places", output(py, &coverage.places)?)?;
    d.set_item("sectors", output(py, &coverage.sectors)?)?;
    d.set_item("facets", output(py, &a.facets)?)?;
    d.set_item("summary", output(py, &coverage.summary)?)?;
    d.set_item("origin", bytes(py, &a.origin, u32::to_le_bytes))?;
    d.set_item("sector", bytes(py, &a.sector, u32::to_le_bytes))?;
    d.set_item("facet", bytes(py, &a.facet, u32::to_le_bytes))?;
    d.set_item("radius_km", bytes(py, &a.radius_km, f64::to_le_bytes))?;
    d.set_item(
        "nearest_stage_km",
        bytes(py, &a.nearest_stage_km, f64::to_le_bytes),
    )?;
    d.set_item("places_left", bytes(py, &a.places_left, u64::to_le_bytes))?;
    for (name, col) in [
        ("stages", &a.stages),
        ("companies", &a.companies),
        ("ambassadors", &a.ambassadors),
        ("phone", &a.phone),
        ("video", &a.video),
        ("class_visit", &a.class_visit),
        ("company_visit", &a.company_visit),
    ] {
        d.set_item(name, bytes(py, col, u32::to_le_bytes))?;
    }
    Ok(d.into_any().unbind())
}

/// The commune contours of Normandy as `GeoJSON` geometries, by INSEE code.
#[pyfunction]
fn commune_contours(py: Python<'_>) -> PyResult<Py<PyAny>> {
    let contours = metiers::geo::contours::Contours::normandy().py(py)?;
    let map: std::collections::BTreeMap<&str, serde_json::Value> =
        contours.geojson().into_iter().collect();
    output(py, &map)
}

/// The pupils and the options of a placement, as the core reads them.
fn assign_request(
    pupils: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyAny>>,
) -> Result<metiers::AssignRequest, Error> {
    // The pupils first, then the options, as every binding reads them.
    let pupils = json_value(pupils, "pupils")?;
    let options = options.map(|o| json_value(o, "options")).transpose()?;
    metiers::AssignRequest::from_values(pupils, options)
}

/// Pupils from a CSV text (the columns of `metiers.assign.PUPIL_COLUMNS`).
#[pyfunction]
#[pyo3(signature = (data, source=None, weeks=None))]
fn read_pupils_csv(
    py: Python<'_>,
    data: &str,
    source: Option<&str>,
    weeks: Option<Vec<String>>,
) -> PyResult<Py<PyAny>> {
    let pupils = metiers::assign::read_pupils_csv(
        source.unwrap_or("pupils.csv"),
        data.as_bytes(),
        &weeks.unwrap_or_default(),
    )
    .py(py)?;
    output(py, &pupils)
}

/// A Python str or dict as a place; errors name the argument.
fn to_place(obj: &Bound<'_, PyAny>, what: &str) -> Result<metiers::PlaceRef, Error> {
    let value = json_value(obj, what).map_err(|e| e.in_field(what))?;
    metiers::PlaceRef::from_value(value, what)
}

/// The engine: ROME, communes, calendar and a catalogue. Safe to share between threads;
/// searches run without the GIL.
#[pyclass(frozen, module = "metiers._native", name = "Engine")]
struct PyEngine {
    inner: RwLock<Engine>,
}

impl PyEngine {
    fn wrap(engine: Engine) -> PyEngine {
        PyEngine {
            inner: RwLock::new(engine),
        }
    }

    /// A load of one entity's file (JSON lines or CSV).
    fn load_entity(
        &self,
        py: Python<'_>,
        format: Format,
        entity: &Bound<'_, PyAny>,
        data: &Bound<'_, PyAny>,
        args: LoadArgs<'_, '_>,
    ) -> PyResult<Py<PyAny>> {
        let entity: Entity = input(entity, "entity").py(py)?;
        let (data, options) = load_args(data, args).py(py)?;
        let report = self.write(py, |e| e.load(format, Some(entity), &data, &options))?;
        output(py, &report)
    }

    /// Runs `f` on the engine without the GIL.
    fn read<R: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&Engine) -> Result<R, Error> + Send,
    ) -> PyResult<R> {
        py.detach(|| {
            let engine = self
                .inner
                .read()
                .map_err(|_| Error::Internal("the engine's lock is poisoned".into()))?;
            f(&engine)
        })
        .py(py)
    }

    /// Runs `f` on the engine, for a change, without the GIL.
    fn write<R: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Engine) -> Result<R, Error> + Send,
    ) -> PyResult<R> {
        py.detach(|| {
            let mut engine = self
                .inner
                .write()
                .map_err(|_| Error::Internal("the engine's lock is poisoned".into()))?;
            f(&mut engine)
        })
        .py(py)
    }
}

/// A search's query: a dict in the shared JSON shape, or the default query.
fn query_arg(py: Python<'_>, query: Option<&Bound<'_, PyAny>>) -> PyResult<metiers::Query> {
    match query {
        Some(q) => input(q, "query").py(py),
        None => Ok(metiers::Query::default()),
    }
}

macro_rules! searches {
    ($($name:ident),*) => {
        #[pymethods]
        impl PyEngine {
            $(
                #[doc = concat!("`Engine::", stringify!($name), "` of the core; the query is a dict in the shared JSON shape.")]
                #[pyo3(signature = (query=None))]
                fn $name(&self, py: Python<'_>, query: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
                    let q = query_arg(py, query)?;
                    let result = self.read(py, |e| e.$name(&q))?;
                    output(py, &result)
                }
            )*
        }
    };
}

searches!(
    search_stages,
    search_ambassadors,
    search_companies,
    ambassadors_for_class,
    companies_for_class,
    metiers_near
);

macro_rules! page_frames {
    ($(($name:ident, $frame:ident)),*) => {
        #[pymethods]
        impl PyEngine {
            $(
                #[doc = concat!("`Engine::", stringify!($name), "` as a frame's columns (`frames::page_columns`) and the page's total: blocks by dtype when `blocks` and every dtype is known, else lists.")]
                #[pyo3(signature = (query=None, blocks=true))]
                fn $frame(&self, py: Python<'_>, query: Option<&Bound<'_, PyAny>>, blocks: bool) -> PyResult<(usize, Py<PyAny>)> {
                    let q = query_arg(py, query)?;
                    let (total, columns) = self.read(py, |e| {
                        let page = e.$name(&q)?;
                        Ok((page.total, frames::page_columns(e, &page)))
                    })?;
                    let columns = columns.map_err(|e| frames::refused(py, e))?;
                    Ok((total, columns.into_python(py, blocks)?.into_any().unbind()))
                }
            )*
        }
    };
}

page_frames!(
    (search_stages, search_stages_frame),
    (search_ambassadors, search_ambassadors_frame),
    (search_companies, search_companies_frame),
    (ambassadors_for_class, ambassadors_for_class_frame),
    (companies_for_class, companies_for_class_frame)
);

/// A batch's queries, each read on its own so that one too deep keeps its place (what is no
/// list is the core's coded error, as in Node), and its `errors` option.
fn batch_input(
    py: Python<'_>,
    queries: &Bound<'_, PyAny>,
    errors: Option<&Bound<'_, PyAny>>,
) -> PyResult<(Vec<Result<metiers::Query, Error>>, BatchOptions)> {
    let parsed: Vec<Result<metiers::Query, Error>> = match queries.cast::<PyList>() {
        Ok(list) => {
            metiers::check_batch_len(list.len()).py(py)?;
            metiers::batch_items(list.iter().map(|q| move |what: &str| json_value(&q, what)))
        }
        Err(_) => json_value(queries, "queries")
            .and_then(metiers::batch_queries)
            .py(py)?,
    };
    let word: Option<String> = errors.map(|e| text(e, "errors")).transpose().py(py)?;
    let options = BatchOptions::from_word(word.as_deref()).py(py)?;
    Ok((parsed, options))
}

macro_rules! batches {
    ($(($name:ident, $frame:ident, $kind:ident)),*) => {
        #[pymethods]
        impl PyEngine {
            $(
                #[doc = "Many queries at once, in parallel without the GIL; `errors`: \"raise\" (the first error) or \"keep\" (each failing query's exception in its place)."]
                #[pyo3(signature = (queries, errors=None))]
                fn $name(&self, py: Python<'_>, queries: &Bound<'_, PyAny>, errors: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
                    let (parsed, options) = batch_input(py, queries, errors)?;
                    let results = self.read(py, |e| e.search_batch(SearchKind::$kind, parsed, options))?;
                    // One pause for the whole list, not one a page (`topy::Paused`).
                    let _paused = topy::Paused::new(py)?;
                    // The short texts of a large batch made once (`topy::Shared`): the same
                    // stage in many pages is one set of `str`s.
                    let shared = topy::Shared::for_rows(results.iter().map(|r| r.as_ref().map_or(0, frames::matches)).sum());
                    let out = PyList::empty(py);
                    for r in results {
                        out.append(match r {
                            Ok(v) => topy::convert_shared(py, &v, shared.as_ref())?.unbind(),
                            Err(e) => exception(py, &e).into_value(py).into_any(),
                        })?;
                    }
                    Ok(out.into_any().unbind())
                }

                #[doc = "The same batch as one frame's columns (`frames::batch_columns`): blocks by dtype when `blocks` and every dtype is known, else lists."]
                #[pyo3(signature = (queries, errors=None, blocks=true))]
                fn $frame(&self, py: Python<'_>, queries: &Bound<'_, PyAny>, errors: Option<&Bound<'_, PyAny>>, blocks: bool) -> PyResult<Py<PyAny>> {
                    let (parsed, options) = batch_input(py, queries, errors)?;
                    let columns = self.read(py, |e| {
                        Ok(frames::batch_columns(e, SearchKind::$kind, parsed, options))
                    })?;
                    let columns = columns.map_err(|e| frames::refused(py, e))?;
                    Ok(columns.into_python(py, blocks)?.into_any().unbind())
                }
            )*
        }
    };
}

batches!(
    (search_stages_batch, search_stages_batch_frame, Stages),
    (
        search_ambassadors_batch,
        search_ambassadors_batch_frame,
        Ambassadors
    ),
    (
        search_companies_batch,
        search_companies_batch_frame,
        Companies
    )
);

macro_rules! updates {
    ($(($add:ident, $replace:ident, $remove:ident, $ty:ty, $what:literal)),*) => {
        #[pymethods]
        impl PyEngine {
            $(
                #[doc = concat!("Adds a ", $what, " (a dict in the shared JSON shape).")]
                fn $add(&self, py: Python<'_>, item: &Bound<'_, PyAny>) -> PyResult<()> {
                    let v: $ty = input(item, $what).py(py)?;
                    self.write(py, |e| e.$add(v))
                }
                #[doc = concat!("Replaces the ", $what, " with the same id.")]
                fn $replace(&self, py: Python<'_>, item: &Bound<'_, PyAny>) -> PyResult<()> {
                    let v: $ty = input(item, $what).py(py)?;
                    self.write(py, |e| e.$replace(v))
                }
                #[doc = concat!("Removes a ", $what, " by id and returns it.")]
                fn $remove(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                    let id = text(id, "id").py(py)?;
                    let removed = self.write(py, |e| e.$remove(&id))?;
                    output(py, &removed)
                }
            )*
        }
    };
}

updates!(
    (
        add_company,
        replace_company,
        remove_company,
        metiers::Company,
        "company"
    ),
    (
        add_ambassador,
        replace_ambassador,
        remove_ambassador,
        metiers::Ambassador,
        "ambassador"
    ),
    (
        add_stage,
        replace_stage,
        remove_stage,
        metiers::Stage,
        "stage"
    )
);

#[pymethods]
impl PyEngine {
    /// ROME 4.60, the communes of Normandy, the zone B calendar and the fictitious sample.
    #[staticmethod]
    fn normandy(py: Python<'_>) -> PyResult<PyEngine> {
        py.detach(Engine::normandy).py(py).map(PyEngine::wrap)
    }

    /// An engine with an empty catalogue on an embedded region (`"normandy"`, the default, or
    /// `"france"`).
    #[staticmethod]
    #[pyo3(signature = (region=None))]
    fn empty(py: Python<'_>, region: Option<&Bound<'_, PyAny>>) -> PyResult<PyEngine> {
        let region = region_arg(region).py(py)?;
        py.detach(|| Engine::empty(region))
            .py(py)
            .map(PyEngine::wrap)
    }

    /// An engine with an empty catalogue on the referential and communes given as bytes (the
    /// compact files `rome.bin` and `normandy.bin` or `france.bin`).
    #[staticmethod]
    #[pyo3(signature = (rome, communes, region=None))]
    fn from_data(
        py: Python<'_>,
        rome: &Bound<'_, PyAny>,
        communes: &Bound<'_, PyAny>,
        region: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyEngine> {
        let (rome, communes) = (
            data(rome, "rome").py(py)?,
            data(communes, "communes").py(py)?,
        );
        let region = region_arg(region).py(py)?;
        py.detach(|| Engine::from_data(&rome, &communes, region))
            .py(py)
            .map(PyEngine::wrap)
    }

    /// The engine a snapshot holds (`Engine::restore`).
    #[staticmethod]
    fn restore(py: Python<'_>, snapshot: &Bound<'_, PyAny>) -> PyResult<PyEngine> {
        let bytes = data(snapshot, "snapshot").py(py)?;
        py.detach(|| Engine::restore(&bytes))
            .py(py)
            .map(PyEngine::wrap)
    }

    /// The engine as bytes (`Engine::snapshot`): what pickling stores.
    fn snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        let bytes = self.read(py, Engine::snapshot)?;
        Ok(pyo3::types::PyBytes::new(py, &bytes))
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, pyo3::types::PyBytes>,))> {
        let snapshot = slf.get().snapshot(slf.py())?;
        Ok((slf.getattr("restore")?, (snapshot,)))
    }

    /// The French label of every enum value (`labels()["stage_kind"]["mini_stage"]`).
    #[staticmethod]
    fn labels(py: Python<'_>) -> PyResult<Py<PyAny>> {
        output(py, &Engine::labels())
    }

    /// A period as French says it (`"du 19 au 23 avril 2027"`).
    #[staticmethod]
    fn period_label(py: Python<'_>, period: &Bound<'_, PyAny>) -> PyResult<String> {
        let period: metiers::Period = input(period, "period").py(py)?;
        Ok(metiers::wording::period(&period))
    }

    /// The defaults of every argument.
    #[staticmethod]
    fn defaults(py: Python<'_>) -> PyResult<Py<PyAny>> {
        output(py, &Engine::defaults())
    }

    /// The embedded region (`"normandy"`, `"france"`).
    #[getter]
    fn region(&self, py: Python<'_>) -> PyResult<String> {
        self.read(py, |e| Ok(e.region().to_string()))
    }

    /// Changes with every change of the catalogue (`Engine::revision`).
    #[getter]
    fn revision(&self, py: Python<'_>) -> PyResult<u64> {
        self.read(py, |e| Ok(e.revision()))
    }

    /// Job-title search: métiers with the title that matched and a score.
    #[pyo3(signature = (text, limit=None))]
    fn search_metiers(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        limit: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let text = self::text(text, "text").py(py)?;
        let limit: Option<usize> = limit
            .map(|l| metiers::input::size(&json_value(l, "limit")?, "limit"))
            .transpose()
            .py(py)?;
        let hits = self.read(py, |e| e.search_metiers(&text, limit))?;
        output(py, &hits)
    }

    /// Places a text (or a typed place dict) stands for, best first.
    fn locate(&self, py: Python<'_>, place: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let place = to_place(place, "place").py(py)?;
        let places = self.read(py, |e| e.locate(place))?;
        output(py, &places)
    }

    /// The one place a text or a typed place dict stands for.
    fn resolve(&self, py: Python<'_>, place: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let place = to_place(place, "place").py(py)?;
        let found = self.read(py, |e| e.resolve(place))?;
        output(py, &found)
    }

    /// Great-circle distance in km between two places (texts or typed place dicts).
    fn distance_km(
        &self,
        py: Python<'_>,
        from_: &Bound<'_, PyAny>,
        to: &Bound<'_, PyAny>,
    ) -> PyResult<f64> {
        let from_ = to_place(from_, "from").py(py)?;
        let to = to_place(to, "to").py(py)?;
        self.read(py, |e| e.distance_km(from_, to))
    }

    /// A métier by ROME code.
    fn metier(&self, py: Python<'_>, code: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let code = text(code, "code").py(py)?;
        let m = self.read(py, |e| e.metier(&code).cloned())?;
        output(py, &m)
    }

    /// A company of the catalogue by id.
    fn company(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let id = text(id, "id").py(py)?;
        let c = self.read(py, |e| e.company(&id).cloned())?;
        output(py, &c)
    }

    /// An ambassador of the catalogue by id.
    fn ambassador(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let id = text(id, "id").py(py)?;
        let a = self.read(py, |e| e.ambassador(&id).cloned())?;
        output(py, &a)
    }

    /// A stage of the catalogue by id.
    fn stage(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let id = text(id, "id").py(py)?;
        let s = self.read(py, |e| e.stage(&id).cloned())?;
        output(py, &s)
    }

    /// Coverage of every origin; `columns=True` gives the rows as columns (for a `pandas.DataFrame`).
    #[pyo3(signature = (request=None, columns=false))]
    fn coverage(
        &self,
        py: Python<'_>,
        request: Option<&Bound<'_, PyAny>>,
        columns: bool,
    ) -> PyResult<Py<PyAny>> {
        let request =
            analytics_request(request, metiers::analytics::CoverageRequest::from_value).py(py)?;
        let coverage = self.read(py, |e| e.coverage(&request))?;
        if columns {
            coverage_arrays(py, &coverage)
        } else {
            output(py, &coverage)
        }
    }

    /// White zones: the surface farther than each radius from every stage of each sector.
    #[pyo3(signature = (request=None))]
    fn white_zones(
        &self,
        py: Python<'_>,
        request: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let request =
            analytics_request(request, metiers::analytics::WhiteZoneRequest::from_value).py(py)?;
        let zones = self.read(py, |e| e.white_zones(&request))?;
        output(py, &zones)
    }

    /// Each collège's 3e pupils against the places within its reach.
    #[pyo3(signature = (request=None))]
    fn supply_demand(
        &self,
        py: Python<'_>,
        request: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let request =
            analytics_request(request, metiers::analytics::DemandRequest::from_value).py(py)?;
        let demand = self.read(py, |e| e.supply_demand(&request))?;
        output(py, &demand)
    }

    /// A commune by INSEE code.
    fn commune(&self, py: Python<'_>, code: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let code = text(code, "code").py(py)?;
        let c = self.read(py, |e| e.commune(&code).cloned())?;
        output(py, &c)
    }

    /// Counts in total and per département.
    #[pyo3(signature = (pupils, options=None))]
    fn assign(
        &self,
        py: Python<'_>,
        pupils: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let request = assign_request(pupils, options).py(py)?;
        let placement = self.read(py, |e| e.assign(&request))?;
        output(py, &placement)
    }

    #[pyo3(signature = (pupils, placement, options=None))]
    fn check_placement(
        &self,
        py: Python<'_>,
        pupils: &Bound<'_, PyAny>,
        placement: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let request = assign_request(pupils, options).py(py)?;
        let list = json_value(placement, "placement")
            .and_then(metiers::assign::assignments_from_value)
            .py(py)?;
        let check = self.read(py, |e| e.check_placement(&request, &list))?;
        output(py, &check)
    }

    fn apply(&self, py: Python<'_>, placement: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let placement: metiers::Placement = input(placement, "placement").py(py)?;
        let applied = self.write(py, |e| e.apply(&placement))?;
        output(py, &applied)
    }

    #[pyo3(signature = (spec=None))]
    fn cohort(&self, py: Python<'_>, spec: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let spec: metiers::CohortSpec = match spec {
            None => metiers::CohortSpec::default(),
            Some(s) => input(s, "spec").py(py)?,
        };
        let pupils = self.read(py, |e| e.cohort(&spec))?;
        output(py, &pupils)
    }

    fn with_wishes(&self, py: Python<'_>, pupils: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let list = assign_request(pupils, None).py(py)?.pupils;
        let pupils = self.read(py, |e| e.with_wishes(list))?;
        output(py, &pupils)
    }

    #[pyo3(signature = (requests, options=None))]
    fn assign_visits(
        &self,
        py: Python<'_>,
        requests: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let read_request = || -> Result<metiers::assign::VisitsRequest, Error> {
            let options = options.map(|o| json_value(o, "options")).transpose()?;
            metiers::assign::VisitsRequest::from_values(json_value(requests, "requests")?, options)
        };
        let request = read_request().py(py)?;
        let placement = self.read(py, |e| e.assign_visits(&request))?;
        output(py, &placement)
    }

    fn apply_visits(&self, py: Python<'_>, placement: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let placement: metiers::assign::VisitPlacement = input(placement, "placement").py(py)?;
        let applied = self.write(py, |e| e.apply_visits(&placement))?;
        output(py, &applied)
    }

    fn request_contact(
        &self,
        py: Python<'_>,
        ambassador_id: &str,
        mode: &Bound<'_, PyAny>,
        date: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let mode: metiers::ContactMode = input(mode, "mode").py(py)?;
        let date: metiers::Date = input(date, "date").py(py)?;
        let answer = self.write(py, |e| e.request_contact(ambassador_id, mode, date))?;
        output(py, &answer)
    }

    fn schools(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let list = self.read(py, |e| Ok(e.schools().iter().cloned().collect::<Vec<_>>()))?;
        output(py, &list)
    }

    fn counters(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let c = self.read(py, |e| Ok(e.counters()))?;
        output(py, &c)
    }

    /// Companies with at least one stage in a département.
    fn companies_with_stages_in(
        &self,
        py: Python<'_>,
        departement: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let departement = text(departement, "departement").py(py)?;
        let list = self.read(py, |e| {
            Ok(e.companies_with_stages_in(&departement)?
                .into_iter()
                .cloned()
                .collect::<Vec<_>>())
        })?;
        output(py, &list)
    }

    /// Loads a JSON document (companies, ambassadors, stages); returns the report.
    #[pyo3(signature = (data, source=None, mode=None))]
    fn load_json(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        source: Option<&Bound<'_, PyAny>>,
        mode: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let (data, options) = load_args(data, (source, mode, None)).py(py)?;
        let report = self.write(py, |e| e.load(Format::Json, None, &data, &options))?;
        output(py, &report)
    }

    /// Loads JSON lines of one entity (`"companies"`, `"ambassadors"`, `"stages"`).
    #[pyo3(signature = (entity, data, source=None, mode=None))]
    fn load_jsonl(
        &self,
        py: Python<'_>,
        entity: &Bound<'_, PyAny>,
        data: &Bound<'_, PyAny>,
        source: Option<&Bound<'_, PyAny>>,
        mode: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        self.load_entity(py, Format::Jsonl, entity, data, (source, mode, None))
    }

    /// Loads a CSV file of one entity.
    #[pyo3(signature = (entity, data, source=None, mode=None, encoding=None))]
    fn load_csv(
        &self,
        py: Python<'_>,
        entity: &Bound<'_, PyAny>,
        data: &Bound<'_, PyAny>,
        source: Option<&Bound<'_, PyAny>>,
        mode: Option<&Bound<'_, PyAny>>,
        encoding: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        self.load_entity(py, Format::Csv, entity, data, (source, mode, encoding))
    }

    /// Loads the columns of a data frame of one entity (`Engine::load_columns`).
    #[pyo3(signature = (entity, columns, source=None, mode=None))]
    fn load_columns(
        &self,
        py: Python<'_>,
        entity: &Bound<'_, PyAny>,
        columns: &Bound<'_, PyAny>,
        source: Option<&Bound<'_, PyAny>>,
        mode: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let entity: Entity = input(entity, "entity").py(py)?;
        let columns = self::columns(columns).py(py)?;
        let options = load_options((source, mode, None)).py(py)?;
        let report = self.write(py, |e| e.load_columns(entity, &columns, &options))?;
        output(py, &report)
    }

    /// Loads a file by its extension (`Engine::load_path`).
    #[pyo3(signature = (path, entity=None, source=None, mode=None, encoding=None))]
    fn load_file(
        &self,
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        entity: Option<&Bound<'_, PyAny>>,
        source: Option<&Bound<'_, PyAny>>,
        mode: Option<&Bound<'_, PyAny>>,
        encoding: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let path = text(path, "path").py(py)?;
        let entity: Option<Entity> = entity.map(|e| input(e, "entity")).transpose().py(py)?;
        let options = load_options((source, mode, encoding)).py(py)?;
        let report = self.write(py, |e| {
            e.load_path(std::path::Path::new(&path), entity, &options)
        })?;
        output(py, &report)
    }

    /// Takes places of a stage; returns the places left.
    #[pyo3(signature = (stage_id, count=None))]
    fn reserve(
        &self,
        py: Python<'_>,
        stage_id: &Bound<'_, PyAny>,
        count: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<u32> {
        let (id, count) = count_args(stage_id, count).py(py)?;
        self.write(py, |e| e.reserve(&id, count))
    }

    /// Gives places of a stage back; returns the places left.
    #[pyo3(signature = (stage_id, count=None))]
    fn release(
        &self,
        py: Python<'_>,
        stage_id: &Bound<'_, PyAny>,
        count: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<u32> {
        let (id, count) = count_args(stage_id, count).py(py)?;
        self.write(py, |e| e.release(&id, count))
    }

    /// Gives the métiers their texts from `rome-texts.bin` (`Engine::load_rome_texts`).
    fn load_rome_texts(&self, py: Python<'_>, texts: &Bound<'_, PyAny>) -> PyResult<()> {
        let bytes = data(texts, "texts").py(py)?;
        self.write(py, |e| e.load_rome_texts(&bytes))
    }

    /// Empties the catalogue.
    fn clear_catalog(&self, py: Python<'_>) -> PyResult<()> {
        self.write(py, |e| {
            e.clear_catalog();
            Ok(())
        })
    }

    /// The catalogue as the JSON document `load_json` reads.
    fn export_json(&self, py: Python<'_>) -> PyResult<String> {
        self.read(py, metiers_alloc::export_json)
    }

    /// The same document written to the file at `path` as it is serialised (the GIL released).
    fn export_json_to(&self, py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<()> {
        let path: String = text(path, "path").py(py)?;
        self.read(py, |e| e.export_json_to(std::path::Path::new(&path)))
    }

    /// Builds the search indices now rather than on the first search.
    fn prepare_search(&self, py: Python<'_>) -> PyResult<()> {
        self.read(py, |e| {
            e.prepare_search();
            Ok(())
        })
    }

    /// The catalogue's companies, ambassadors or stages, as lists of dicts.
    fn catalog(&self, py: Python<'_>, entity: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let entity: Entity = input(entity, "entity").py(py)?;
        let json = self.read(py, |e| e.table(entity.into()))?;
        output(py, &json)
    }

    /// A table of the referential, the geography or the catalogue (`Engine::table`) as a list
    /// of dicts.
    fn table(&self, py: Python<'_>, name: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let table: Table = input(name, "name").py(py)?;
        let json = self.read(py, |e| e.table(table))?;
        output(py, &json)
    }
}

/// Turns parallel batches on or off for the process (off in a forked child).
/// The CSV columns of an entity (`"companies"`, `"ambassadors"`, `"stages"`): the required
/// ones, then the optional ones.
#[pyfunction]
fn csv_columns(py: Python<'_>, entity: &Bound<'_, PyAny>) -> PyResult<(Vec<String>, Vec<String>)> {
    let entity: Entity = input(entity, "entity").py(py)?;
    let (required, optional) = metiers::csv_columns(entity);
    let owned = |list: &[&str]| list.iter().map(|c| (*c).to_string()).collect();
    Ok((owned(required), owned(optional)))
}

#[pyfunction]
fn set_parallel(enabled: bool) {
    metiers::set_parallel(enabled);
}

/// Whether batches use threads.
#[pyfunction]
fn parallel() -> bool {
    metiers::parallel()
}

/// The native module; `import metiers` is the public face.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    metiers_alloc::committed_on_demand();
    m.add_class::<PyEngine>()?;
    m.add_function(wrap_pyfunction!(set_parallel, m)?)?;
    m.add_function(wrap_pyfunction!(csv_columns, m)?)?;
    m.add_function(wrap_pyfunction!(parallel, m)?)?;
    m.add_function(wrap_pyfunction!(read_pupils_csv, m)?)?;
    m.add_function(wrap_pyfunction!(commune_contours, m)?)?;
    m.add_function(wrap_pyfunction!(columns::match_columns, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    let codes: Vec<&str> = metiers::ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    m.add("ERROR_CODES", pyo3::types::PyTuple::new(m.py(), codes)?)?;
    Ok(())
}
