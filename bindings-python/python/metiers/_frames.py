"""A DataFrame from columns of plain Python values, equal to ``pandas.DataFrame(columns)``.

``pandas.DataFrame`` of a dict of lists infers each column's type, then groups the columns into
blocks: 477 µs for a page of 19 stages in 27 columns, ten times the search itself. The columns
of a result hold values of a few known kinds, so here each column's type is read from its
values' Python types, the columns of a type go into one block, and the frame is made from the
blocks (``pandas.api.internals.create_dataframe_from_blocks``, pandas 3.0 and later): the same
frame, dtypes, index and column labels, in about a third of the time (README, Ranking).

A column of any other mix of values, or a pandas without that function, takes the constructor:
what it infers is the reference, and ``tests/test_frames.py`` checks that both ways agree.

A search's frame (``as_frame=True``) skips the lists: the native module makes its columns from
the engine's result and hands them over by dtype, as bytes, an Arrow array's buffers and lists
of objects (``bindings-python/src/frames.rs``); ``from_parts`` makes the frame of those blocks.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Dict, Hashable, List, Optional, Tuple

_INT64 = (-(2**63), 2**63 - 1)
#: The dtype of a column of values all of one of these types.
_ALONE = {float: "float64", bool: "bool", str: "str", list: "object"}
#: Column labels as pandas makes them (26 µs for 27 labels), by the options that decide their
#: type and by their names: each frame gets a shallow copy, so that renaming one frame's labels
#: (``df.columns.name = …``) touches no other.
_LABELS: Dict[Tuple[Hashable, Tuple[str, ...]], Any] = {}
_LABELS_KEPT = 256
#: The dtype pandas gives a column of strings, by the options that decide it.
_STRINGS: Dict[Hashable, Any] = {}


def _missing(v: Any) -> bool:
    """A value pandas reads as missing in a column of strings or lists: None or NaN."""
    return v is None or (type(v) is float and math.isnan(v))


def _kind(values: List[Any]) -> Optional[str]:
    """The dtype ``pandas.DataFrame`` infers for a column of these values, for the mixes a
    result has; None for any other."""
    kinds = set(map(type, values))
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind is int:
            return "int64" if _INT64[0] <= min(values) and max(values) <= _INT64[1] else None
        return _ALONE.get(kind)
    # Strings (or lists) with missing values: pandas keeps the missing ones as NaN (strings)
    # or as they are (lists). A column of only missing values is left to pandas.
    for kind, label in ((str, "str"), (list, "object")):
        if kind in kinds and kinds <= {kind, float, type(None)}:
            if all(type(v) is kind or _missing(v) for v in values):
                return label
    return None


def _options(pd: Any) -> Hashable:
    """The options that decide how pandas stores strings (they can change at run time).

    Read from pandas' option store when it is where pandas 1 to 3 keep it: 0.1 µs, where
    ``get_option`` took 6 µs a frame (two options and the warning pandas 3 gives for one).
    ``tests/test_frames.py`` checks both readings agree."""
    store = getattr(getattr(getattr(pd, "_config", None), "config", None), "_global_config", None)
    try:
        return (store["future"]["infer_string"], store["mode"]["string_storage"])  # type: ignore[index]
    except (TypeError, KeyError):
        return _options_read(pd)


def _options_read(pd: Any) -> Hashable:
    """``_options`` by pandas' public ``get_option``."""
    with warnings.catch_warnings():
        # pandas 3 warns that ``future.infer_string`` goes away in pandas 4 (always on then).
        warnings.simplefilter("ignore")
        try:
            return (pd.get_option("future.infer_string"), pd.get_option("mode.string_storage"))
        except (KeyError, AttributeError):  # pandas' OptionError is both
            return None


def _strings(pd: Any, options: Hashable) -> Any:
    """The dtype pandas gives a column of strings (``str`` in pandas 3); None where that is
    not a pandas string type (``object``, with ``future.infer_string`` off)."""
    if options not in _STRINGS:
        dtype = pd.Series(["a"]).dtype
        _STRINGS[options] = dtype if isinstance(dtype, pd.StringDtype) else None
    return _STRINGS[options]


def _labels(pd: Any, options: Hashable, names: List[str]) -> Any:
    key = (options, tuple(names))
    labels = _LABELS.get(key)
    if labels is None:
        if len(_LABELS) >= _LABELS_KEPT:
            _LABELS.clear()
        labels = _LABELS[key] = pd.Index(names)
    return labels.copy()


def frame_of(pd: Any, columns: Dict[str, List[Any]], known: Optional[Dict[str, Optional[str]]] = None) -> Any:
    """``pd.DataFrame(columns)`` for columns of equal length, built from blocks when every
    column's type is known: ``known[name]`` when given (``_native.match_columns`` reads the
    types as it builds the columns), else ``_kind``."""
    make = getattr(getattr(getattr(pd, "api", None), "internals", None), "create_dataframe_from_blocks", None)
    names = list(columns)
    kinds = [known[n] for n in names] if known is not None else [_kind(columns[n]) for n in names]
    rows = len(columns[names[0]]) if names else 0
    if make is None or not names or rows == 0 or None in kinds:
        return pd.DataFrame(columns)
    options = _options(pd)
    strings = _strings(pd, options) if "str" in kinds else None
    if "str" in kinds and strings is None:
        return pd.DataFrame(columns)
    import numpy as np
    blocks: List[Tuple[Any, Any]] = []
    by_kind: Dict[str, List[int]] = {}
    for i, kind in enumerate(kinds):
        by_kind.setdefault(kind or "", []).append(i)  # each is a kind: None went to pandas
    for kind, at in by_kind.items():
        placement = np.array(at, dtype=np.intp)
        if kind == "str":
            # One array of all the string columns, then a slice (a view) for each: making an
            # array a column took 13 µs each.
            every = pd.array([v for i in at for v in columns[names[i]]], dtype=strings)
            blocks += [(every[k * rows : (k + 1) * rows], placement[k : k + 1]) for k in range(len(at))]
        elif kind == "object":
            block = np.empty((len(at), rows), dtype=object)
            for k, i in enumerate(at):
                block[k] = np.fromiter(columns[names[i]], dtype=object, count=rows)
            blocks.append((block, placement))
        else:
            blocks.append((np.array([columns[names[i]] for i in at], dtype=kind), placement))
    return make(blocks, index=pd.RangeIndex(rows), columns=_labels(pd, options, names))



def blocks_wanted(pd: Any) -> Optional[Tuple[Hashable, Any]]:
    """Whether this pandas takes a result's columns as blocks (``from_parts``): pandas 3's
    ``create_dataframe_from_blocks`` and strings stored by pyarrow (``str``, the default where
    pyarrow is installed). If so, the string options in force and the dtype of strings, for
    ``from_parts``; if not, None, and the native module gives lists, read by ``frame_of``."""
    make = getattr(getattr(getattr(pd, "api", None), "internals", None), "create_dataframe_from_blocks", None)
    if make is None:
        return None
    options = _options(pd)
    strings = _strings(pd, options)
    if strings is None or getattr(strings, "storage", None) != "pyarrow":
        return None
    return options, strings


def from_parts(pd: Any, parts: Tuple[Any, ...], wanted: Optional[Tuple[Hashable, Any]]) -> Any:
    """The frame of a result's columns as the native module gives them (``frames.rs``):
    ``("lists", columns, dtypes)``, read by ``frame_of``, or ``("blocks", names, rows,
    blocks, positions)`` (asked for when ``blocks_wanted`` gave ``wanted``), each block its
    dtype, where its columns' positions start in ``positions`` (the bytes of 64-bit ints) and
    how many they are, and its data: the bytes of a 2-D array of numbers or booleans, an
    Arrow string array's buffers, or the Python objects of its cells (lists). The same frame
    ``frame_of`` makes of the columns as lists."""
    if parts[0] == "lists":
        return frame_of(pd, parts[1], parts[2])
    if wanted is None:
        raise ValueError("columns as blocks are read with what blocks_wanted gave")
    _, names, rows, given, positions = parts
    options, strings = wanted
    np, pa = _modules()
    # A copy of its own (writable): pandas takes a view of it as it is, where a view of the
    # read-only bytes cost a copy for each block (1.4 µs against 0.2).
    placed = np.frombuffer(positions, dtype=np.int64).astype(np.intp)
    blocks: List[Tuple[Any, Any]] = []
    for kind, start, count, data in given:
        placement = placed[start : start + count]
        if kind == "str":
            offsets, chars, valid = data
            array = pa.Array.from_buffers(
                pa.large_string(),
                count * rows,
                [None if valid is None else pa.py_buffer(valid), pa.py_buffer(offsets), pa.py_buffer(chars)],
            )
            every = pd.arrays.ArrowStringArray(array, dtype=strings)
            # A slice (a view) of one array a column, as ``frame_of`` makes them.
            blocks += [(every[k * rows : (k + 1) * rows], placement[k : k + 1]) for k in range(count)]
        elif kind == "object":
            blocks.append((np.fromiter(data, dtype=object, count=len(data)).reshape(count, rows), placement))
        else:
            blocks.append((np.frombuffer(data, dtype=kind).reshape(count, rows), placement))
    make = pd.api.internals.create_dataframe_from_blocks
    return make(blocks, index=pd.RangeIndex(rows), columns=_labels(pd, options, names))


_MODULES: List[Any] = []


def _modules() -> Tuple[Any, Any]:
    """numpy and pyarrow, imported on the first frame made from blocks (pyarrow is there:
    pandas stores strings with it; untyped)."""
    if not _MODULES:
        import importlib

        _MODULES.extend([importlib.import_module("numpy"), importlib.import_module("pyarrow")])
    return _MODULES[0], _MODULES[1]
