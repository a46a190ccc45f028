"""Loading the catalogue from data frames (``Engine.load_frame``): pandas as ``read_csv`` infers
it (SIRET as a float, NaN for empty cells), polars, Arrow tables, dicts of columns; the same
catalogue as ``load_csv`` and the same row-level errors, with the frame's row."""

from __future__ import annotations

import doctest
import json
import math
import re
from pathlib import Path
from typing import Any, Dict, List

import pandas as pd
import pytest

import metiers

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples/data"
ENTITIES = ["companies", "ambassadors", "stages"]
FIXTURES = json.loads((ROOT / "tests/fixtures/catalog/cases.json").read_text(encoding="utf-8"))["cases"]


def _from_csv() -> metiers.Engine:
    e = metiers.Engine.empty("normandy")
    for entity in ENTITIES:
        e.load_csv(entity, (DATA / f"{entity}.csv").read_bytes(), source=f"{entity}.csv")
    return e


def _catalogue(e: metiers.Engine) -> Dict[str, Any]:
    doc: Dict[str, Any] = json.loads(e.export_json())
    return doc


def test_pandas_as_read_csv_infers_it_loads_the_same_catalogue() -> None:
    frames = {entity: pd.read_csv(DATA / f"{entity}.csv") for entity in ENTITIES}
    # What made load_csv(df.to_csv()) fail: the SIRET column is a float column.
    assert frames["companies"]["siret"].dtype == "float64"
    e = metiers.Engine.empty("normandy")
    reports = [e.load_frame(entity, frames[entity]) for entity in ENTITIES]
    assert [r["source"] for r in reports] == ["<frame>"] * 3
    assert [r["rejected"] for r in reports] == [[], [], []]
    assert _catalogue(e) == _catalogue(_from_csv())


def test_polars_and_arrow_frames_and_dicts_of_columns() -> None:
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow.csv")
    want = _catalogue(_from_csv())
    for read in (
        lambda p: pl.read_csv(p),
        lambda p: pa.read_csv(p),  # a pyarrow Table: the dataframe interchange protocol
        lambda p: pd.read_csv(p, dtype=str).to_dict(orient="list"),
    ):
        e = metiers.Engine.empty("normandy")
        for entity in ENTITIES:
            e.load_frame(entity, read(DATA / f"{entity}.csv"))
        assert _catalogue(e) == want


def test_lists_in_cells_and_missing_values() -> None:
    e = metiers.Engine.empty("normandy")
    e.load_frame("companies", pd.DataFrame({"id": ["c1"], "name": ["Garage (fictif)"], "commune": ["Flers"]}))
    stages = pd.DataFrame(
        {
            "id": ["s1"],
            "company": ["c1"],
            "kind": ["mini_stage"],
            "metiers": [["I1604", "H2903"]],  # a list cell, as polars list columns give
            "periods": [("2026-10-19/2026-10-23",)],
            "places_total": [2.0],  # a whole float: pandas turns int columns with NaN into floats
            "places_left": [float("nan")],  # missing: the default (the total)
            "accessible": [pd.NA],
        }
    )
    e.load_frame("stages", stages)
    s = e.stage("s1")
    assert s["metiers"] == ["I1604", "H2903"]
    assert (s["places_total"], s["places_left"], s["accessible"]) == (2, 2, False)


def _error(e: metiers.Engine, entity: str, frame: Any) -> metiers.DataError:
    with pytest.raises(metiers.DataError) as info:
        e.load_frame(entity, frame, source="frame")
    return info.value


def test_row_errors_name_the_frame_row_field_and_value() -> None:
    e = metiers.Engine.empty("normandy")
    frame = pd.DataFrame(
        {"id": ["c1", "c2", "c3"], "name": ["A", "B", "C"], "commune": ["Flers", "Atlantis", "Caen"]},
        index=[10, 20, 30],  # the row is the position (df.iloc), not the index label
    )
    err = _error(e, "companies", frame)
    assert len(err.errors) == 1
    bad = err.errors[0]
    assert (bad.source, bad.row, bad.line, bad.value) == ("frame", 1, None, "Atlantis")
    assert "row 1" in bad.message
    # Lenient: the good rows load, the report names the bad one by its row.
    report = e.load_frame("companies", frame, mode="lenient")
    assert report["companies"] == 2
    assert report["rejected"][0]["row"] == 1


def test_numbers_that_lost_their_leading_zeros_are_refused_not_guessed() -> None:
    e = metiers.Engine.empty("normandy")
    # A 14-digit SIRET starting with 0 read as a number has 13 digits.
    frame = pd.DataFrame({"id": ["c1"], "name": ["A"], "commune": ["Flers"], "siret": [1234567890123]})
    bad = _error(e, "companies", frame).errors[0]
    assert (bad.row, bad.field, bad.value) == (0, "siret", "1234567890123")
    assert "14 digits" in bad.message


@pytest.mark.parametrize(
    "cell, reason",
    [(float("inf"), "finite"), ([["H2903"]], "list inside a list"), (["a;b"], "separator")],
)
def test_cells_that_cannot_be_text_are_data_errors(cell: Any, reason: str) -> None:
    e = metiers.Engine.empty("normandy")
    frame = pd.DataFrame({"id": ["c1"], "name": ["A"], "max_pupils": pd.Series([cell], dtype=object)})
    err = _error(e, "companies", frame).errors[0]
    assert (err.row, err.field) == (0, "max_pupils")
    assert reason in err.message
    # The row is bad, not the frame: a lenient load keeps the good rows.
    two = pd.DataFrame(
        {"id": ["c1", "c2"], "name": ["A", "B"], "commune": ["Flers", "Caen"], "max_pupils": pd.Series([cell, 2], dtype=object)}
    )
    report = e.load_frame("companies", two, mode="lenient")
    assert report["companies"] == 1 and [r["row"] for r in report["rejected"]] == [0]


def test_wrong_shapes_are_coded_errors() -> None:
    e = metiers.Engine.empty("normandy")
    with pytest.raises(metiers.InvalidInputError) as info:
        e.load_frame("companies", pd.DataFrame({"id": ["c1"], "name": [pd.Timestamp("2027-01-04")]}))
    assert info.value.field == "name[0]" and "Timestamp" in info.value.message
    twice = pd.DataFrame([["c1", "A", "B"]], columns=["id", "name", "name"])
    assert "twice" in _error(e, "companies", twice).message
    assert _error(e, "companies", pd.DataFrame({"id": ["c1"]})).field == "name"
    with pytest.raises(metiers.DataError, match="has 1 values"):
        e.load_frame("companies", {"id": ["c1", "c2"], "name": ["A"]})
    with pytest.raises(metiers.InvalidInputError, match="not int") as wrong:
        e.load_frame("companies", 3)
    assert wrong.value.field == "frame"
    with pytest.raises(metiers.InvalidInputError):
        e.load_frame("pupils", {"id": []})  # type: ignore[arg-type]
    report = e.load_frame("companies", {"id": ["c9"], "name": ["Z"], "commune": ["Flers"], "colour": ["bleu"]})
    assert report["warnings"] and "colour" in report["warnings"][0]


CSV_FIXTURES = [c for c in FIXTURES if c["format"] == "csv" and c["level"] == "row" and c["file"] != "non_utf8.csv"]


@pytest.mark.parametrize("case", CSV_FIXTURES, ids=[c["file"] for c in CSV_FIXTURES])
def test_the_shared_bad_files_as_frames_fail_on_the_same_row(case: Dict[str, Any]) -> None:
    e = metiers.Engine.empty("normandy")
    e.load_csv("companies", (DATA / "companies.csv").read_bytes())
    path = ROOT / "tests/fixtures/catalog" / case["file"]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    bad = _error(e, case["entity"], frame).errors[0]
    # The header is line 1 and these files have one line a row: line n is row n - 2.
    assert (bad.row, bad.line) == (case["line"] - 2, None)
    if case.get("field"):
        assert bad.field == case["field"]
    if case.get("value"):
        assert bad.value == case["value"]
    assert case["reason_contains"] in bad.message


def test_csv_columns_are_the_documented_ones() -> None:
    required, optional = metiers.csv_columns("stages")
    assert required[:2] == ["id", "company"] and "places_per_period" in optional
    doc = metiers.Engine.load_csv.__doc__ or ""
    for entity in ENTITIES:
        for column in sum(metiers.csv_columns(entity), []):  # type: ignore[arg-type]
            assert column in doc, (entity, column)


def test_the_docstring_examples_run() -> None:
    failures, tried = doctest.testmod(metiers, optionflags=doctest.ELLIPSIS)
    assert tried >= 3 and failures == 0


def test_nan_is_missing_in_every_numeric_column() -> None:
    frame = pd.read_csv(DATA / "ambassadors.csv")
    assert math.isnan(frame.loc[1, "travel_radius_km"])
    e = metiers.Engine.empty("normandy")
    e.load_frame("companies", pd.read_csv(DATA / "companies.csv"))
    e.load_frame("ambassadors", frame)
    assert e.ambassador("amb-2").get("travel_radius_km") is None


def test_result_frames_name_companies_and_communes_and_give_nan_for_missing_numbers() -> None:
    e = metiers.Engine.normandy()
    df = e.search_stages(near="Flers", radius_km=30, as_frame=True)
    columns = list(df.columns)
    # Names beside their ids, no merge needed.
    assert columns.index("item.company_name") == columns.index("item.company") + 1
    assert columns.index("item.place.commune_name") == columns.index("item.place.commune") + 1
    first = df.iloc[0]
    assert first["item.company_name"] == e.company(first["item.company"])["name"]
    assert first["item.place.commune_name"] == e.commune(first["item.place.commune"])["name"]
    # No interest asked: its component is missing, as NaN in a float column (not None).
    assert df["components.interest"].dtype == "float64" and df["components.interest"].isna().all()
    ambassadors = e.search_ambassadors(near="Caen", as_frame=True)
    assert "item.company_name" in ambassadors.columns and "item.place.commune_name" in ambassadors.columns
    companies = e.search_companies(near="Rouen", as_frame=True)
    assert companies["item.place.commune_name"].notna().all()


def test_a_batch_frame_has_the_query_index_and_keeps_a_row_for_a_failed_query() -> None:
    e = metiers.Engine.normandy()
    queries = [{"near": "Flers", "radius_km": 10}, {"near": "Atlantis"}, {"near": "Caen", "radius_km": 5}]
    df = e.search_stages_batch(queries, errors="keep", as_frame=True)
    assert list(df.columns[:3]) == ["query", "error", "error_message"]
    failed = df[df["query"] == 1]
    assert len(failed) == 1 and failed.iloc[0]["error"] == "not_found"
    assert "Atlantis" in failed.iloc[0]["error_message"]
    ok = df[df["query"] != 1]
    assert ok["error"].isna().all() and ok["item.company_name"].notna().all()
    plain = e.search_stages_batch(queries, errors="keep")
    assert len(ok) == len(plain[0]["matches"]) + len(plain[2]["matches"])
    # Without failures, no error columns.
    assert "error" not in e.search_stages_batch(queries[:1], as_frame=True).columns


def _normalized(e: metiers.Engine, result: Dict[str, Any]) -> pd.DataFrame:
    """A page as pandas' own ``json_normalize`` makes it, with the names beside the ids and
    missing numbers as floats: what ``as_frame`` gave before it built its columns itself."""
    rows = [dict(m, reasons=" · ".join(m["reasons"])) for m in result["matches"]]
    frame = pd.json_normalize(rows)
    for column in frame.columns:
        series = frame[column]
        present = series.dropna()
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present)
        if series.dtype == object and numbers and (len(present) > 0 or column.startswith("components.")):
            frame[column] = series.astype(float)
    for column in list(frame.columns):
        lookup = e._native.commune if column.endswith("place.commune") else e._native.company if column == "item.company" else None
        if lookup is not None:
            names = [lookup(v)["name"] if isinstance(v, str) and v else None for v in frame[column]]
            frame.insert(list(frame.columns).index(column) + 1, f"{column}_name", names)
    return frame


def _same_frame(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    for column in a.columns:  # None stays None and a missing field NaN (assert_frame_equal mixes them)
        assert [type(v) for v in a[column]] == [type(v) for v in b[column]], column


@pytest.mark.parametrize(
    "kind, query",
    [
        ("stages", {"near": "Flers", "radius_km": 30, "interests": ["14"]}),
        ("stages", {"near": "Rouen", "radius_km": 5, "widen": True}),
        ("stages", {"near": "Caen", "radius_km": 30, "limit": 100}),
        ("ambassadors", {"near": "Cherbourg", "radius_km": 50, "interests": ["J'aime le travail manuel"]}),
        ("stages", {"near": "Flers", "radius_km": 1}),
    ],
)
def test_result_frames_are_what_json_normalize_makes(kind: str, query: Dict[str, Any]) -> None:
    e = metiers.Engine.normandy()
    page = getattr(e, f"search_{kind}")(**query)
    frame = getattr(e, f"search_{kind}")(**query, as_frame=True)
    _same_frame(_normalized(e, page), frame)
    assert frame.attrs["total"] == page["total"]
    _same_frame(_normalized(e, page).drop(columns=[c for c in frame.columns if c.endswith("_name")]), metiers.to_pandas(page))


def test_a_batch_frame_is_its_pages_one_after_the_other() -> None:
    e = metiers.Engine.normandy()
    queries = [{"near": c, "radius_km": 20, "interests": ["14"]} for c in ["Caen", "Atlantis", "Flers", "Lisieux"]]
    pages = e.search_stages_batch(queries, errors="keep")
    frame = e.search_stages_batch(queries, errors="keep", as_frame=True)
    parts = []
    for i, page in enumerate(pages):
        part = _normalized(e, page) if isinstance(page, dict) else pd.DataFrame({"error": [page.code], "error_message": [page.message]})
        part.insert(0, "query", i)
        parts.append(part)
    expected = pd.concat(parts, ignore_index=True)
    expected = expected[["query", "error", "error_message"] + [c for c in expected.columns if c not in ("query", "error", "error_message")]]
    _same_frame(expected, frame)
    # A number missing in one page and given in another is a float column, NaN where missing
    # (pages concatenated made it a column of objects).
    mixed = e.search_stages_batch([{"interests": ["14"], "limit": 2}, {"near": "Flers", "limit": 2}], as_frame=True)
    assert mixed["distance_km"].dtype == float and mixed["distance_km"].isna().tolist() == [True, True, False, False]


NAN = float("nan")
#: Columns of every mix a result has, and of mixes it has not (left to ``pandas.DataFrame``).
COLUMN_MIXES: Dict[str, Any] = {
    "floats": [1.5, 2.0, -0.0],
    "floats, NaN": [NAN, 1.0, NAN],
    "only NaN": [NAN, NAN, NAN],
    "ints": [0, -(2**63), 2**63 - 1],
    "ints too big": [0, 2**63, 1],
    "bools": [True, False, True],
    "bools, NaN": [True, NAN, False],
    "strings": ["Caen", "", "Évreux"],
    "strings, NaN": ["a", NAN, "b"],
    "strings, None": [None, "a", None],
    "strings, NaN, None": [NAN, "é", None],
    "lists": [["H2903"], [], ["A", "B"]],
    "lists of one length": [["a", "b"], ["c", "d"], ["e", "f"]],
    "lists, NaN": [NAN, ["x"], NAN],
    "lists, None": [["x"], None, None],
    "only None": [None, None, None],
    "None, NaN": [None, NAN, None],
    "ints, floats": [1, 2.5, 3],
    "strings, ints": ["a", 1, "b"],
    "dicts": [{"a": 1}, {}, {"b": [1]}],
}


def _exact(a: pd.DataFrame, b: pd.DataFrame) -> None:
    _same_frame(a, b)
    assert a.columns.dtype == b.columns.dtype and type(a.index) is type(b.index)
    assert [str(t) for t in a.dtypes] == [str(t) for t in b.dtypes]


@pytest.mark.parametrize("mix", list(COLUMN_MIXES))
def test_a_frame_from_columns_is_what_the_constructor_makes(mix: str) -> None:
    from metiers import _frames

    alone = {mix: COLUMN_MIXES[mix]}
    _exact(_frames.frame_of(pd, alone), pd.DataFrame(alone))
    # Among the columns of a result, in several blocks of each type.
    page = {"id": ["s1", "s2", "s3"], "score": [0.5, 0.25, 0.0], mix: COLUMN_MIXES[mix], "n": [1, 2, 3], "t": ["x", NAN, "y"]}
    _exact(_frames.frame_of(pd, page), pd.DataFrame(page))


def test_a_frame_from_columns_follows_the_string_options_and_owns_its_labels() -> None:
    from metiers import _frames

    columns = {"id": ["a", "b"], "n": [1, 2]}
    first = _frames.frame_of(pd, columns)
    first.columns.name = "renamed"
    assert _frames.frame_of(pd, columns).columns.name is None
    assert _frames.frame_of(pd, {}).empty and _frames.frame_of(pd, {"id": []}).columns.tolist() == ["id"]
    if "future.infer_string" not in pd.options.future.__dir__():
        return
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pd.option_context("future.infer_string", False):
            _exact(_frames.frame_of(pd, columns), pd.DataFrame(columns))
            assert _frames.frame_of(pd, columns)["id"].dtype == object


def test_result_frames_are_the_constructor_s_frames_of_their_columns() -> None:
    """The search frames (a page, a batch with a failed query) against ``pandas.DataFrame`` of
    the same columns: the blocks change how the frame is made, not what it holds; and each
    dtype the native module reads as it builds the columns is the one ``_kind`` reads."""
    from metiers import _frames, _native

    def check(columns: Dict[str, Any], kinds: Dict[str, Any]) -> None:
        assert kinds == {k: _frames._kind(v) for k, v in columns.items()}
        _exact(_frames.frame_of(pd, columns, kinds), pd.DataFrame(columns))
        _exact(_frames.frame_of(pd, columns), pd.DataFrame(columns))

    e = metiers.Engine.normandy()
    for kind, query in [("stages", {"near": "Flers", "radius_km": 30}), ("ambassadors", {"near": "Caen"}), ("companies", {"near": "Caen"})]:
        page = getattr(e, f"search_{kind}")(**query)
        check(*_native.match_columns([(None, page["matches"])], _names(e)))
    pages = e.search_stages_batch([{"near": "Caen"}, {"near": "Atlantis"}], errors="keep")
    parts = [({"query": 0}, pages[0]["matches"]), {"query": 1, "error": pages[1].code, "error_message": pages[1].message}]
    check(*_native.match_columns(parts, _names(e)))


@pytest.mark.parametrize("mix", list(COLUMN_MIXES))
def test_the_native_columns_read_each_mix_as_kind_reads_it(mix: str) -> None:
    """Rows given as they are (a batch's failed query): the column is the values (a missing
    field NaN, numbers with a gap floats) and its dtype is ``_kind``'s."""
    from metiers import _frames, _native

    values = COLUMN_MIXES[mix]
    columns, kinds = _native.match_columns([{"id": f"s{i}", mix: v} for i, v in enumerate(values)])
    assert list(columns) == ["id", mix] and kinds == {k: _frames._kind(v) for k, v in columns.items()}
    expected = values
    present = [v for v in values if v is not None]
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present)
    if None in values and numbers and present:
        expected = [NAN if v is None else float(v) for v in values]
    assert [type(v) for v in columns[mix]] == [type(v) for v in expected]
    assert [v if v == v else "nan" for v in columns[mix]] == [v if v == v else "nan" for v in expected]
    # A field some rows lack: NaN there, and numbers made floats.
    columns, kinds = _native.match_columns([{"id": "a"}, {"id": "b", mix: values[0]}])
    assert math.isnan(columns[mix][0]) and kinds[mix] == _frames._kind(columns[mix])


def test_what_is_not_a_result_is_a_type_error_naming_what_is_wrong() -> None:
    from metiers import _native

    bad = [
        ([("not a dict",)], "tuple"),
        ([(None, ["not a match"])], "each match of a result is a dict"),
        ([(None, [{"id": "a"}])], "reasons"),
        ([(None, [{"id": "a", "reasons": "ab", "item": {1: "x"}}])], "field names are strings, not int"),
        ([(None, [{"id": "a", "reasons": [1]}])], "str"),
        (["neither"], "each part is a (first, matches) tuple or a dict"),
    ]
    for parts, message in bad:
        with pytest.raises((TypeError, KeyError, ValueError), match=re.escape(message)):
            _native.match_columns(parts)
    with pytest.raises(TypeError, match="each match of a result is a dict"):
        metiers.to_pandas({"total": 1, "matches": [1]})
    # A names function that fails fails the frame, its error as it is.
    page = metiers.Engine.normandy().search_stages(near="Flers")
    with pytest.raises(ZeroDivisionError):
        _native.match_columns([(None, page["matches"])], lambda column, values: 1 / 0)


def test_a_frame_names_a_company_as_it_is_now() -> None:
    """Names are looked up once and kept while the catalogue is unchanged: a renamed company
    has its new name in the next frame."""
    e = metiers.Engine.normandy()
    first = e.search_stages(near="Flers", radius_km=30, as_frame=True).iloc[0]
    company = dict(e.company(first["item.company"]), name="Nouveau nom (fictif)")
    e.replace_company(company)
    again = e.search_stages(near="Flers", radius_km=30, as_frame=True)
    assert again.loc[again["item.company"] == company["id"], "item.company_name"].eq("Nouveau nom (fictif)").all()
    assert again.iloc[0]["item.place.commune_name"] == first["item.place.commune_name"]


def test_a_result_nested_thousands_deep_is_flattened_not_a_recursion_error() -> None:
    deep: Dict[str, Any] = {"leaf": 1}
    for _ in range(5_000):
        deep = {"k": deep, "x": "y"}
    frame = metiers.to_pandas({"total": 1, "matches": [{"id": "a", "reasons": ["r"], "item": deep}]})
    names = list(frame.columns)
    # Each field in turn: down the "k"s to the leaf first, then each level's "x" on the way back.
    assert names[:3] == ["id", "reasons", "item." + "k." * 5_000 + "leaf"]
    assert names[-2:] == ["item.k.x", "item.x"] and len(names) == 5_003
    assert frame.iloc[0][names[2]] == 1
    # A chain 200,000 deep with one field at its end: one column, its name 400,000 characters
    # (the prefixes are kept as keys, not as ever longer names: 40 GB of them otherwise).
    chain: Dict[str, Any] = {"leaf": 1}
    for _ in range(200_000):
        chain = {"k": chain}
    frame = metiers.to_pandas({"total": 1, "matches": [{"id": "a", "reasons": [], "item": chain}]})
    assert list(frame.columns[:2]) == ["id", "reasons"] and frame.columns[2] == "item." + "k." * 200_000 + "leaf"
    # As json_normalize orders them, at a depth it can reach.
    shallow: Dict[str, Any] = {"leaf": 1}
    for _ in range(50):
        shallow = {"k": shallow, "x": "y", "e": {}}
    rows = [{"id": "a", "item": shallow, "n": 2}]
    assert list(metiers.to_pandas(rows).columns) == list(pd.json_normalize(rows).columns)
    assert list(metiers.to_pandas({"total": 1, "matches": [dict(rows[0], reasons=[])]}).columns) == list(
        pd.json_normalize([dict(rows[0], reasons="")]).columns
    )


# The columns of a page as the Python code before `_native.match_columns` made them (itself
# checked against `json_normalize` above): the reference of the randomized test below.
_ABSENT = object()


def _reference_flatten(record: Dict[str, Any], prefix: str, out: Dict[str, Any]) -> None:
    if not prefix:
        for key, value in record.items():
            if not isinstance(value, dict):
                out[key] = value
        for key, value in record.items():
            if isinstance(value, dict):
                _reference_flatten(value, key + ".", out)
        return
    for key, value in record.items():
        if isinstance(value, dict):
            _reference_flatten(value, prefix + key + ".", out)
        else:
            out[prefix + key] = value


def _reference_columns(parts: List[Any], names: Any = None) -> Dict[str, List[Any]]:
    rows: List[Dict[str, Any]] = []
    for part in parts:
        if isinstance(part, dict):
            rows.append(dict(part))
            continue
        first, matches = part
        for m in matches:
            flat: Dict[str, Any] = dict(first) if first else {}
            _reference_flatten(m, "", flat)
            flat["reasons"] = " · ".join(m["reasons"])
            rows.append(flat)
    order: Dict[str, Any] = {}
    for flat in rows:
        order.update(flat)
    columns: Dict[str, List[Any]] = {}
    for key in order:
        values = [flat.get(key, _ABSENT) for flat in rows]
        if any(v is _ABSENT or v is None for v in values):
            present = [v for v in values if v is not None and v is not _ABSENT]
            numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present)
            if numbers and (present or key.startswith("components.")):
                values = [float(v) if v is not None and v is not _ABSENT else NAN for v in values]
            else:
                values = [NAN if v is _ABSENT else v for v in values]
        columns[key] = values
        extra = names(key, values) if names is not None else None
        if extra is not None:
            columns[extra[0]] = extra[1]
    return columns


def _random_value(rng: Any, depth: int) -> Any:
    roll = rng.random()
    if roll < 0.15 and depth < 4:
        return {rng.choice("abcde"): _random_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))}
    return rng.choice([
        None, NAN, True, False, 0, -1, 2**63 - 1, 2**63, -(2**63) - 1, 1.5, -0.0, 3,
        "", "Caen", "Évreux", "a\u0301", ["x"], [], [1, None],
    ])


@pytest.mark.parametrize("seed", range(40))
def test_native_columns_are_the_reference_s_on_random_results(seed: int) -> None:
    """Random pages (nested fields of every type, fields some matches lack, nulls, NaN,
    integers beyond 64 bits, a batch's plain rows): the same columns, value for value and
    type for type, as the Python code they replace, and each dtype ``_kind``'s."""
    import random

    from metiers import _frames, _native

    rng = random.Random(seed)
    parts: List[Any] = []
    for q in range(rng.randrange(1, 4)):
        if rng.random() < 0.2:
            parts.append({"query": q, "error": "not_found", "error_message": "Atlantis"})
            continue
        matches = []
        for _ in range(rng.randrange(0, 6)):
            match = {rng.choice(["id", "score", "item", "components", "why", "k"]): _random_value(rng, 0) for _ in range(rng.randrange(1, 6))}
            match["reasons"] = [rng.choice(["près", "métier"]) for _ in range(rng.randrange(0, 3))]
            matches.append(match)
        parts.append(({"query": q} if rng.random() < 0.5 else None, matches))

    def names(column: str, values: List[Any]) -> Any:
        return (column + "_name", [str(v) for v in values]) if column.endswith("a") else None

    for given in (None, names):
        expected = _reference_columns(parts, given)
        columns, kinds = _native.match_columns(parts, given)
        assert list(columns) == list(expected)
        for key, values in expected.items():
            got = columns[key]
            assert [type(v) for v in got] == [type(v) for v in values], key
            assert [repr(v) for v in got] == [repr(v) for v in values], key
        assert kinds == {k: _frames._kind(v) for k, v in columns.items()}


def test_reasons_that_change_the_matches_as_they_are_joined_change_no_column_name() -> None:
    """A match's reasons are joined by running them (any iterable): one that empties its match
    (freeing the keys read from it) and gives the next match new keys meanwhile (strings that
    may take the freed keys' places in memory) leaves each name as its own text says."""
    from metiers import _native

    matches: List[Dict[str, Any]] = []

    def reasons(i: int) -> Any:
        matches[i].clear()
        if i + 1 < len(matches):
            for k in range(8):
                matches[i + 1]["item"]["".join(["x", str(i), str(k)])] = k
        yield "près"

    for i in range(30):
        matches.append({"id": f"s{i}", "item": {"".join(["k", str(i), "0"]): i}, "reasons": reasons(i)})
    columns, _ = _native.match_columns([(None, matches)])
    expected = ["id", "reasons", "item.k00"]
    for i in range(1, 30):
        expected += [f"item.k{i}0"] + [f"item.x{i - 1}{k}" for k in range(8)]
    assert list(columns) == expected
    assert columns["item.x57"][6] == 7 and columns["reasons"] == ["près"] * 30


def test_a_batch_gives_each_page_as_its_single_search_does_in_the_same_order() -> None:
    """A batch's pages are the single searches' dicts, key for key in the same order (they
    once came sorted by key), so a batch frame has a page frame's columns after its query."""
    e = metiers.Engine.normandy()
    queries = [{"near": "Flers", "radius_km": 30, "interests": ["14"]}, {"near": "Caen"}]
    for single, batch in [(e.search_stages, e.search_stages_batch), (e.search_ambassadors, e.search_ambassadors_batch), (e.search_companies, e.search_companies_batch)]:
        for page, q in zip(batch(queries), queries):
            alone = single(q)
            assert json.dumps(page, ensure_ascii=False) == json.dumps(alone, ensure_ascii=False)
    frame = e.search_stages_batch(queries[:1], as_frame=True)
    assert list(frame.columns) == ["query"] + list(e.search_stages(queries[0], as_frame=True).columns)


def test_a_large_batch_shares_its_short_texts_and_nothing_mutable() -> None:
    """A batch of 256 matches or more makes each short text once (``topy::Shared``): its
    pages are still the single searches' dicts, the same stage's id in two pages is one
    ``str``, and its lists and dicts are each page's own (changing one changes no other)."""
    e = metiers.Engine.normandy()
    queries = [{"near": "Caen", "radius_km": 50, "limit": 200}] * 3
    pages = e.search_stages_batch(queries)
    assert sum(len(p["matches"]) for p in pages) >= 256
    alone = e.search_stages(queries[0])
    for page in pages:
        assert json.dumps(page, ensure_ascii=False) == json.dumps(alone, ensure_ascii=False)
    first, second = pages[0]["matches"][0], pages[1]["matches"][0]
    assert first["item"]["id"] is second["item"]["id"]
    assert first["item"] is not second["item"] and first["why"] is not second["why"]
    first["why"].append("changed")
    first["item"]["audiences"].clear()
    assert second["why"] == alone["matches"][0]["why"]
    assert second["item"]["audiences"] == alone["matches"][0]["item"]["audiences"]


# The frames made natively from the core's pages (``bindings-python/src/frames.rs``), against the
# frames of the same pages' dicts (``_native.match_columns`` and ``_frames.frame_of``): the
# reference, itself checked against ``pandas.json_normalize`` above.


def _names(e: metiers.Engine) -> Any:
    """The names beside the ids, looked up as a user would: a commune's after each
    ``…place.commune``, a company's after ``item.company``, None for an unknown id."""

    def name(lookup: Any, key: Any) -> Any:
        if not isinstance(key, str) or not key:
            return None
        try:
            return lookup(key)["name"]
        except metiers.NotFoundError:
            return None

    def names(column: str, values: List[Any]) -> Any:
        lookup = e._native.commune if column.endswith("place.commune") else e._native.company if column == "item.company" else None
        return None if lookup is None else (f"{column}_name", [name(lookup, v) for v in values])

    return names


def _from_dicts(e: metiers.Engine, parts: List[Any]) -> pd.DataFrame:
    from metiers import _frames, _native

    columns, kinds = _native.match_columns(parts, _names(e))
    return _frames.frame_of(pd, columns, kinds)


def _batch_from_dicts(e: metiers.Engine, pages: List[Any]) -> pd.DataFrame:
    """A batch's frame from its pages' dicts, as ``as_frame=True`` made it before."""
    parts: List[Any] = []
    for i, r in enumerate(pages):
        if isinstance(r, dict):
            parts.append(({"query": i}, r["matches"]))
        else:
            parts.append({"query": i, "error": r.code, "error_message": r.message})
    frame = _from_dicts(e, parts) if parts else pd.DataFrame({"query": []})
    if any(not isinstance(r, dict) for r in pages):
        first = ["query", "error", "error_message"]
        frame = frame[first + [c for c in frame.columns if c not in first]]
    return frame


SEARCH_KINDS = ["search_stages", "search_ambassadors", "search_companies", "ambassadors_for_class", "companies_for_class"]
PLACES = ["Caen", "Rouen", "Flers", "Lisieux", "Évreux", "Alençon", "Dieppe", "Bayeux", "Cherbourg-en-Cotentin", "Le Havre", "14118", "Atlantis"]


def _random_query(rng: Any, kind: str) -> Dict[str, Any]:
    query: Dict[str, Any] = {}
    if rng.random() < 0.85 or kind.endswith("for_class"):
        query["near"] = rng.choice(PLACES)
    if rng.random() < 0.7:
        query["radius_km"] = rng.choice([0.5, 3, 10, 30, 80])
    if rng.random() < 0.5:
        query["interests"] = rng.sample(["14", "J'aime le travail manuel", "11", "7"], rng.randint(1, 2))
    if rng.random() < 0.3:
        query["limit"] = rng.choice([1, 5, 50, 200])
    if rng.random() < 0.2:
        query["widen"] = True
    if kind.endswith("for_class"):
        query["group_size"] = rng.choice([5, 12, 25])
    return query


@pytest.mark.parametrize("seed", range(6))
def test_native_frames_are_the_frames_of_the_pages_dicts(seed: int) -> None:
    """Random queries of every kind: the frame made natively is the one made from the same
    page's dicts, column for column, dtype for dtype, cell for cell (None kept apart from
    NaN), whether it comes as blocks or as lists; a failed query fails the same way."""
    import random

    rng = random.Random(seed)
    e = metiers.Engine.normandy()
    for _ in range(12):
        kind = rng.choice(SEARCH_KINDS)
        query = _random_query(rng, kind)
        try:
            page = getattr(e, kind)(query)
        except metiers.MetiersError as error:
            with pytest.raises(type(error), match=re.escape(error.message)):
                getattr(e, kind)(query, as_frame=True)
            continue
        frame = getattr(e, kind)(query, as_frame=True)
        _exact(_from_dicts(e, [(None, page["matches"])]), frame)
        assert frame.attrs == {"total": page["total"]}
        total, parts = getattr(e._native, f"{kind}_frame")(query, False)
        assert total == page["total"] and parts[0] == "lists"
        from metiers import _frames

        _exact(_frames.frame_of(pd, parts[1], parts[2]), frame)


@pytest.mark.parametrize("seed", range(3))
def test_native_batch_frames_are_the_frames_of_the_pages_dicts(seed: int) -> None:
    import random

    rng = random.Random(100 + seed)
    e = metiers.Engine.normandy()
    for kind in ["stages", "ambassadors", "companies"]:
        queries = [_random_query(rng, f"search_{kind}") for _ in range(rng.randint(0, 25))]
        batch = getattr(e, f"search_{kind}_batch")
        pages = batch(queries, errors="keep")
        _exact(_batch_from_dicts(e, pages), batch(queries, errors="keep", as_frame=True))
        fine = [q for q, p in zip(queries, pages) if isinstance(p, dict)]
        _exact(_batch_from_dicts(e, batch(fine)), batch(fine, as_frame=True))
        if len(fine) < len(queries):
            with pytest.raises(metiers.MetiersError):
                batch(queries, as_frame=True)


def test_a_batch_searched_in_parts_is_one_frame_its_errors_in_their_places() -> None:
    """A large batch is searched a part at a time (256 queries, ``frames.rs``): across the
    parts, the frame is the one of the pages' dicts (the query's place counted over the whole
    batch, its list cells' shared texts equal to the dicts'), and with ``errors="raise"`` the
    first failed query by position is the error, as for the batch at once."""
    import random

    rng = random.Random(7)
    e = metiers.Engine.normandy()
    queries = [_random_query(rng, "search_stages") for _ in range(700)]
    queries[300] = {"near": "Caen", "radius_km": -1}
    queries[650] = {"near": "Atlantis"}
    pages = e.search_stages_batch(queries, errors="keep")
    frame = e.search_stages_batch(queries, errors="keep", as_frame=True)
    _exact(_batch_from_dicts(e, pages), frame)
    assert set(frame.loc[frame["error"].notna(), "query"]) == {i for i, p in enumerate(pages) if not isinstance(p, dict)}
    first = next(p for p in pages if not isinstance(p, dict))
    with pytest.raises(type(first), match=re.escape(first.message)):
        e.search_stages_batch(queries, as_frame=True)
    fine = [q for q, p in zip(queries, pages) if isinstance(p, dict)]
    _exact(_batch_from_dicts(e, e.search_stages_batch(fine)), e.search_stages_batch(fine, as_frame=True))


def test_a_frame_with_a_column_pandas_must_infer_is_made_from_lists() -> None:
    """No place asked: ``distance_km`` is None in every row, a column whose dtype only pandas
    decides (``object``), so the native module gives lists and pandas' constructor reads
    them, as it did for the dicts; and a page of no match is an empty frame either way."""
    e = metiers.Engine.normandy()
    query = {"interests": ["14"], "limit": 5}
    total, parts = e._native.search_stages_frame(query, True)
    assert parts[0] == "lists" and parts[2]["distance_km"] is None
    frame = e.search_stages(query, as_frame=True)
    assert frame["distance_km"].dtype == object and frame["distance_km"].isna().all()
    _exact(_from_dicts(e, [(None, e.search_stages(query)["matches"])]), frame)
    empty = {"near": "Bayeux", "radius_km": 0.5}
    _exact(_from_dicts(e, [(None, [])]), e.search_stages(empty, as_frame=True))
    assert e.search_stages_batch([empty], as_frame=True).equals(pd.DataFrame({"query": []}))


def test_a_native_frame_follows_the_string_options_and_can_be_written_to() -> None:
    """Strings not stored by pyarrow (``object`` columns, or pandas' own ``str`` storage):
    the lists and pandas' constructor, as before. Every frame's columns can be written to,
    as those of a frame made from lists can."""
    import warnings

    e = metiers.Engine.normandy()
    query = {"near": "Flers", "radius_km": 30}
    page = e.search_stages(query)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas 3: ``future.infer_string`` goes in pandas 4
        from metiers import _frames

        default = _frames._options(pd)
        assert default == _frames._options_read(pd)
        for option, value in [("future.infer_string", False), ("mode.string_storage", "python")]:
            with pd.option_context(option, value):
                # The options as the option store holds them, as get_option reads them.
                assert _frames._options(pd) == _frames._options_read(pd) != default
                frame = e.search_stages(query, as_frame=True)
                _exact(_from_dicts(e, [(None, page["matches"])]), frame)
        assert _frames._options(pd) == default
    frame = e.search_stages(query, as_frame=True)
    frame.loc[0, "score"] = 2.0
    frame["item.places_left"] += 1
    frame.loc[1, "item.accessible"] = True
    frame.loc[0, "item.title"] = "autre"
    assert frame.loc[0, "score"] == 2.0 and frame.loc[0, "item.title"] == "autre"
    assert frame["item.places_left"].tolist() == [m["item"]["places_left"] + 1 for m in page["matches"]]
    assert e.search_stages(query, as_frame=True).loc[0, "score"] == page["matches"][0]["score"]


def test_bad_queries_as_frames_are_the_same_coded_errors() -> None:
    e = metiers.Engine.normandy()
    for query, error in [
        ({"near": "Caen", "radius_km": float("nan")}, metiers.InvalidInputError),
        ({"near": "Saint-Martin"}, metiers.AmbiguousPlaceError),
        ({"near": "Atlantis"}, metiers.NotFoundError),
        ({"near": "Caen", "limit": -1}, metiers.InvalidInputError),
    ]:
        for kind in SEARCH_KINDS:
            asked = dict(query, group_size=10) if kind.endswith("for_class") else query
            with pytest.raises(error):
                getattr(e, kind)(asked, as_frame=True)
        with pytest.raises(error):
            e.search_stages_batch([query], as_frame=True)
        keep = e.search_stages_batch([query], errors="keep", as_frame=True)
        assert keep["error"].tolist() == [error.code] and keep["query"].tolist() == [0]
    with pytest.raises(metiers.InvalidInputError):
        e.search_stages_batch([{}], errors="sometimes", as_frame=True)
