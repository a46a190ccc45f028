"""The Python package's promises: the shared vectors, errors, pickling, threads, DataFrames,
loading a portal's files, updates and reservations."""

from __future__ import annotations

import json
import sys
import pickle
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest

import metiers

ROOT = Path(__file__).resolve().parents[2]
VECTORS = json.loads((ROOT / "tests/vectors/engine.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def engine() -> metiers.Engine:
    return metiers.Engine.normandy()


def project(op: str, r: Any) -> Any:
    """The projection of tests/vectors/README.md."""
    if op in ("search_stages", "search_ambassadors", "search_companies", "ambassadors_for_class", "companies_for_class"):
        return r  # the whole result
    if op == "metiers_near":
        ms = r["metiers"]
        return {"total": r["total"], "codes": [m["code"] for m in ms], "interest": [m["interest"] for m in ms],
                "stages": [m["stages"] for m in ms], "ambassadors": [m["ambassadors"] for m in ms]}
    if op == "search_metiers":
        return {"codes": [h["code"] for h in r], "titles": [h["matched_title"] for h in r], "scores": [h["score"] for h in r]}
    if op == "locate":
        return {"codes": [p["code"] for p in r], "names": [p["name"] for p in r], "kinds": [p["kind"] for p in r],
                "matched_by": [p["matched_by"] for p in r]}
    if op == "distance_km":
        return round(r, 3)
    if op == "companies_with_stages_in":
        return {"ids": [c["id"] for c in r]}
    if op == "metier":
        return {"code": r["code"], "label": r["label"]}
    if op == "company":
        return {"id": r["id"], "name": r["name"], "commune": r["place"]["commune"]}
    if op == "commune":
        return {"insee": r["insee"], "name": r["name"], "departement": r["departement"]}
    return r


def run(engine: metiers.Engine, op: str, args: Dict[str, Any]) -> Any:
    if "query" in args:
        return getattr(engine, op)(args["query"])
    if op == "search_metiers":
        return engine.search_metiers(args["text"], args["limit"])
    if op == "locate":
        return engine.locate(args["place"])
    if op == "distance_km":
        return engine.distance_km(args["from"], args["to"])
    if op == "counters":
        return engine.counters()
    if op == "companies_with_stages_in":
        return engine.companies_with_stages_in(args["departement"])
    if op == "metier":
        return engine.metier(args["code"])
    if op == "company":
        return engine.company(args["id"])
    if op == "commune":
        return engine.commune(args["code"])
    raise AssertionError(op)


@pytest.mark.parametrize("case", VECTORS["cases"], ids=[c["name"] for c in VECTORS["cases"]])
def test_shared_vectors(engine: metiers.Engine, case: Dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(metiers.MetiersError) as info:
            run(engine, case["op"], case["args"])
        for key, want in case["error"].items():
            got = getattr(info.value, key)
            if key == "candidates":  # compared by their codes, in order
                got = [c["code"] for c in got]
            assert got == want, key
    else:
        assert project(case["op"], run(engine, case["op"], case["args"])) == case["expect"]


SCENARIOS = json.loads((ROOT / "tests/vectors/scenarios.json").read_text(encoding="utf-8"))["scenarios"]


def error_matches(err: metiers.MetiersError, want: Dict[str, Any]) -> bool:
    got = {k: getattr(err, k) for k in want}
    if "candidates" in got:
        got["candidates"] = [c["code"] for c in got["candidates"]]
    return got == want


def step(e: metiers.Engine, op: str, a: Dict[str, Any]) -> Any:
    """One step of tests/vectors/scenarios.json, projected as its README says."""
    o = a.get("options") or {}
    if op.startswith("load_"):
        data = (ROOT / a["file"]).read_bytes()
        if op == "load_json":
            r = e.load_json(data, o.get("source"), o.get("mode"))
        else:
            extra = {"encoding": o["encoding"]} if "encoding" in o else {}
            r = getattr(e, op)(a["entity"], data, o.get("source"), o.get("mode"), **extra)
        keys = ("source", "companies", "ambassadors", "stages")
        return dict({k: r[k] for k in keys}, rejected=[[x["line"], x["field"], x["code"]] for x in r["rejected"]], warnings=len(r["warnings"]))
    if op in ("add_company", "add_stage", "replace_stage"):
        return getattr(e, op)(a["item"])
    if op in ("remove_company", "remove_stage"):
        return {"id": getattr(e, op)(a["id"])["id"]}
    if op == "stage":
        s = e.stage(a["id"])
        return {"id": s["id"], "places_left": s.get("places_left")}
    if op in ("reserve", "release"):
        return getattr(e, op)(a["stage_id"], a.get("count"))
    if op == "counters":
        return e.counters()["total"]
    if op.endswith("_batch"):
        items = getattr(e, op)(_build(a["queries"]), errors=o.get("errors"))
        return [{"total": r["total"]} if isinstance(r, dict) else {"error": r} for r in items]
    if op == "search_stages":
        return project(op, e.search_stages(a["query"]))
    if op == "coverage":
        return e.coverage(a["request"], as_frame=False)
    if op == "white_zones":
        return e.white_zones(a["request"])
    if op == "supply_demand":
        return e.supply_demand(a["request"])
    if op == "request_contact":
        return e.request_contact(a["ambassador_id"], a["mode"], a["date"])
    if op == "assign_visits":
        return e.assign_visits(a["requests"], **o)
    if op == "assign_visits_and_apply":
        return e.apply_visits(e.assign_visits(a["requests"], **o))
    if op == "assign":
        return e.assign(a["pupils"], **o)
    if op == "check_placement":
        return e.check_placement(a["pupils"], a["placement"], **o)
    if op == "assign_and_apply":
        return e.apply(e.assign(a["pupils"], **o))
    if op == "apply_twice":
        placement = e.assign(a["pupils"], **o)
        e.apply(placement)
        return e.apply(placement)
    raise AssertionError(op)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_shared_scenarios(scenario: Dict[str, Any]) -> None:
    e = metiers.Engine.normandy() if scenario["engine"] == "normandy" else metiers.Engine.empty()
    for i, s in enumerate(scenario["steps"]):
        if s["op"] == "snapshot_restore":
            e = pickle.loads(pickle.dumps(e))  # pickling is the snapshot
            continue
        if "error" in s:
            with pytest.raises(metiers.MetiersError) as info:
                step(e, s["op"], s["args"])
            assert error_matches(info.value, s["error"]), f"step {i}"
            continue
        got = step(e, s["op"], s["args"])
        if isinstance(got, list) and s["op"].endswith("_batch"):
            assert len(got) == len(s["expect"]), f"step {i}"
            for g, w in zip(got, s["expect"]):
                if "error" in w:
                    assert isinstance(g["error"], metiers.MetiersError) and error_matches(g["error"], w["error"]), f"step {i}"
                else:
                    assert g == w, f"step {i}"
        else:
            assert got == s.get("expect"), f"step {i}"


def test_each_error_class_has_its_code_and_python_base(engine: metiers.Engine) -> None:
    with pytest.raises(metiers.InvalidInputError) as bad:
        engine.search_stages(near="Caen", radius_km=-3)
    assert isinstance(bad.value, ValueError) and bad.value.code == "invalid_input"
    assert bad.value.field == "radius_km"
    with pytest.raises(metiers.NotFoundError) as missing:
        engine.locate("Atlantis")
    assert isinstance(missing.value, LookupError) and missing.value.code == "not_found"
    with pytest.raises(metiers.DataError) as data:
        engine.load_csv("stages", b"id,company,kind,metiers,periods,places_total\nx,nobody,mini_stage,H2903,2026-10-19/2026-10-21,2\n", source="s.csv")
    assert data.value.code == "data_error"
    assert data.value.errors[0].line == 2 and data.value.errors[0].field == "company"
    fresh = metiers.Engine.normandy()
    stage = fresh.catalog("stages")[0]
    with pytest.raises(metiers.ConflictError) as dup:
        fresh.add_stage(stage)
    assert dup.value.code == "conflict"


def test_an_ambiguous_place_is_a_choice_with_candidates_and_a_typed_key_picks_one(engine: metiers.Engine) -> None:
    with pytest.raises(metiers.AmbiguousPlaceError) as choice:
        engine.search_stages(near="Cuverville")
    err = choice.value
    assert isinstance(err, metiers.InvalidInputError) and err.code == "ambiguous_place"
    assert err.field == "near" and err.total == 3
    assert [c["code"] for c in err.candidates] == ["14215", "76206", "27194"]
    picked = engine.search_stages(near={"insee": err.candidates[0]["code"]}, radius_km=10)
    assert picked["origin"]["name"] == "Cuverville" and picked["origin"]["matched_by"] == "insee"
    assert engine.resolve({"insee": "76540"})["name"] == "Rouen"
    assert round(engine.distance_km("14118", {"insee": "76540"})) == 110
    with pytest.raises(metiers.AmbiguousPlaceError) as two:
        engine.distance_km("14118", "76540")
    assert two.value.field == "to" and two.value.candidates[0]["code"] == "76540"
    with pytest.raises(metiers.InvalidInputError) as number:
        engine.locate({"insee": 14118})
    assert number.value.field == "place.insee"
    assert [p["code"] for p in engine.locate({"postal_code": "50100"})] == ["50129"]


def test_a_wrong_python_type_is_invalid_input_not_type_error(engine: metiers.Engine) -> None:
    for bad in ({"near": 5}, {"near": "Caen", "limit": "ten"}, {"near": "Caen", "interests": "14"}, {"nearr": "Caen"}):
        with pytest.raises(metiers.InvalidInputError):
            engine.search_stages(bad)
    with pytest.raises(metiers.InvalidInputError):
        engine.search_stages(object())  # type: ignore[arg-type]
    with pytest.raises(metiers.InvalidInputError):
        engine.add_company({"id": "x", "name": 3, "place": {"commune": "Caen"}})


def test_a_list_argument_given_something_else_is_invalid_input_naming_it(engine: metiers.Engine) -> None:
    # `list(5)` in the facade, and a native signature of `list`, raised a plain TypeError; Node
    # answered the same calls with a coded error naming the argument, as these do now.
    calls: List[Tuple[Callable[[], object], str]] = [
        (lambda: engine.search_stages_batch(5), "queries"),  # type: ignore[arg-type]
        (lambda: engine.search_ambassadors_batch("Caen"), "queries"),  # type: ignore[arg-type]
        (lambda: engine.assign(-1), "pupils"),
        (lambda: engine.assign([], schools=2**32), "schools"),  # type: ignore[arg-type]
        (lambda: engine.assign([], schools=float("inf")), "schools"),  # type: ignore[arg-type]
        (lambda: engine.assign_visits(3), "requests"),  # type: ignore[arg-type]
    ]
    for call, field in calls:
        with pytest.raises(metiers.InvalidInputError) as info:
            call()
        assert info.value.field == field
    # A tuple or a generator of queries is a list of them.
    assert len(engine.search_stages_batch(({"near": "Caen"},))) == 1
    assert len(engine.search_stages_batch(q for q in [{"near": "Caen"}, {"near": "Flers"}])) == 2


def test_a_batch_of_more_than_a_million_queries_is_refused_before_it_is_read(engine: metiers.Engine) -> None:
    with pytest.raises(metiers.InvalidInputError) as info:
        engine.search_stages_batch([None] * 1_000_001)  # type: ignore[list-item]
    assert info.value.field == "queries"


def test_a_pupil_is_named_within_the_pupils_and_read_before_the_options(engine: metiers.Engine) -> None:
    pupils = [{"id": "p0", "school": "0141234X", "weeks": ["2027-W03"]}, {"id": "p1", "school": "0141234X", "weeks": float("inf")}]
    with pytest.raises(metiers.InvalidInputError) as info:
        engine.assign(pupils, priorities={"seed": float("nan")})
    assert info.value.field == "pupils[1].weeks"


def test_the_engine_pickles_with_its_catalogue(engine: metiers.Engine) -> None:
    e = metiers.Engine.empty()
    e.load(ROOT / "examples/data/catalog.json")
    e.reserve("stg-11", 1)
    copy = pickle.loads(pickle.dumps(e))
    assert copy.region == "normandy"
    assert copy.counters() == e.counters()
    assert copy.export_json() == e.export_json()
    q = {"near": "Évreux", "radius_km": 60}
    assert copy.search_stages(q) == e.search_stages(q)


def test_an_engine_on_given_data_pickles_on_that_data_not_the_embedded_one() -> None:
    rome = (ROOT / "core/data/rome.bin").read_bytes()
    communes = (ROOT / "core/data/normandy.bin").read_bytes()
    e = metiers.Engine.from_data(rome, communes)
    e.load(ROOT / "examples/data/catalog.json")
    copy = pickle.loads(pickle.dumps(e))
    assert copy.export_json() == e.export_json()
    restored = metiers.Engine.restore(e.snapshot())
    assert restored.commune("61169")["name"] == "Flers"
    with pytest.raises(metiers.DataError) as err:
        metiers.Engine.restore(b"not a snapshot")
    assert err.value.source == "<snapshot>"


def test_defaults_codes_and_tables_come_from_the_core(engine: metiers.Engine) -> None:
    d = metiers.Engine.defaults()
    assert (d["radius_km"], d["limit"], d["title_limit"], d["region"], d["load_mode"]) == (30.0, 20, 10, "normandy", "strict")
    assert len(engine.search_metiers("agent")) == d["title_limit"]
    # Every code the core has is an exception class here, and the generated list is the core's.
    classes = {c.code for c in metiers.MetiersError.__subclasses__()} | {metiers.AmbiguousPlaceError.code}
    assert set(metiers._native.ERROR_CODES) == classes
    assert metiers.types.ERROR_CODES == metiers._native.ERROR_CODES
    assert len(engine.table("communes", as_frame=False)) == 2651
    with pytest.raises(metiers.InvalidInputError) as err:
        engine.table("villes", as_frame=False)
    assert err.value.field == "name"
    with pytest.raises(metiers.InvalidInputError) as err2:
        engine.search_stages_batch([{"near": "Caen"}], errors="ignore")
    assert err2.value.field == "errors"


def test_an_engine_says_what_it_holds() -> None:
    e = metiers.Engine.normandy()
    assert repr(e).startswith("<metiers.Engine region='normandy' companies=1128 ambassadors=1435 stages=591")
    before = e.revision
    stage = e.table("stages", as_frame=False)[0]["id"]
    e.reserve(stage)
    assert e.revision != before


def test_threads_share_one_engine_and_get_the_same_results(engine: metiers.Engine) -> None:
    queries = [{"near": p, "radius_km": 25, "interests": ["14"]} for p in ("Caen", "Rouen", "Flers", "Évreux", "Dieppe", "Saint-Lô")] * 4
    expected = [engine.search_stages(q) for q in queries]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(engine.search_stages, queries))
    assert got == expected


def test_the_gil_is_released_during_a_batch(engine: metiers.Engine) -> None:
    queries = [{"near": c, "radius_km": 40} for c in ["Caen", "Rouen", "Le Havre", "Évreux"] * 1500]
    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0)

    t = threading.Thread(target=count)
    t.start()
    time.sleep(0.01)
    before = ticks
    results = engine.search_stages_batch(queries)
    during = ticks - before
    stop.set()
    t.join()
    assert len(results) == len(queries)
    assert during > 0, "another Python thread ran while the batch was computed"


def test_a_long_native_call_lets_other_threads_run_while_it_computes(engine: metiers.Engine) -> None:
    # One call that is all native work: a load of 8 copies of the sample catalogue (bytes in, a
    # small report out, about 0.2 s of parsing and validation). A ticker thread writes down
    # when it runs; had the call kept the GIL, no tick could fall strictly inside it.
    doc = json.loads(engine.export_json())
    big: Dict[str, Any] = {"companies": [], "ambassadors": [], "stages": []}
    for k in range(8):
        big["companies"] += [dict(c, id=f"{c['id']}-{k}") for c in doc["companies"]]
        big["ambassadors"] += [dict(a, id=f"{a['id']}-{k}", **({"company": f"{a['company']}-{k}"} if a.get("company") else {})) for a in doc["ambassadors"]]
        big["stages"] += [dict(s, id=f"{s['id']}-{k}", company=f"{s['company']}-{k}") for s in doc["stages"]]
    data = json.dumps(big).encode()
    ticks: list[float] = []
    stop = threading.Event()

    def tick() -> None:
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    time.sleep(0.02)
    fresh = metiers.Engine.empty()
    start = time.perf_counter()
    report = fresh.load_json(data)
    end = time.perf_counter()
    stop.set()
    t.join()
    assert report["stages"] == 8 * len(doc["stages"])
    assert end - start > 0.05, "the call is long enough to tell"
    margin = 0.01
    inside = [x for x in ticks if start + margin < x < end - margin]
    assert len(inside) >= 5, f"{len(inside)} ticks inside a {end - start:.3f} s native call"


def test_batches_raise_or_keep_errors() -> None:
    e = metiers.Engine.normandy()
    qs = [{"near": "Caen"}, {"near": "Atlantis"}, {"near": "Rouen", "limit": 0}]
    with pytest.raises(metiers.NotFoundError):
        e.search_stages_batch(qs)
    kept = e.search_stages_batch(qs, errors="keep")
    assert isinstance(kept[0], dict)
    assert isinstance(kept[1], metiers.NotFoundError)
    assert isinstance(kept[2], metiers.InvalidInputError)
    assert kept[0] == e.search_stages(qs[0])


def test_dataframes_where_a_data_scientist_wants_them(engine: metiers.Engine) -> None:
    pd = pytest.importorskip("pandas")
    df = engine.search_stages(near="Rouen", radius_km=20, as_frame=True)
    assert isinstance(df, pd.DataFrame)
    assert {"id", "score", "distance_km", "reasons", "components.distance", "item.kind"} <= set(df.columns)
    assert df.attrs["total"] >= len(df)
    assert list(df["score"]) == sorted(df["score"], reverse=True)
    batch = engine.search_stages_batch([{"near": "Caen"}, {"near": "Rouen"}], as_frame=True)
    assert set(batch["query"]) == {0, 1}
    counters = engine.counters(as_frame=True)
    assert counters.loc["total", "stages"] == 591
    for name, rows in (("metiers", 1584), ("appellations", 13120), ("interests", 30), ("communes", 2651), ("departements", 5)):
        assert len(engine.table(name)) == rows
    assert len(engine.metiers_near(near="Alençon", radius_km=15, as_frame=True)) > 0
    assert metiers.to_pandas(engine.search_metiers("fraiseur"))["code"].iloc[0] == "H2903"


def test_a_portal_loads_its_files_strict_or_lenient() -> None:
    e = metiers.Engine.empty()
    data = ROOT / "examples/data"
    assert e.load(data / "companies.csv", "companies")["companies"] == 4
    assert e.load(data / "ambassadors.csv", "ambassadors")["ambassadors"] == 3
    assert e.load(data / "stages.csv", "stages")["stages"] == 4
    assert e.load(data / "stages.jsonl", "stages")["stages"] == 2
    assert e.load(data / "catalog.json")["stages"] == 2
    bad = (ROOT / "tests/fixtures/catalog/unknown_rome_code.csv").read_bytes()
    report = e.load_csv("stages", bad, source="unknown_rome_code.csv", mode="lenient")
    assert report["stages"] == 1 and len(report["rejected"]) == 1
    assert report["rejected"][0]["line"] == 3 and report["rejected"][0]["value"] == "H9999"
    with pytest.raises(metiers.InvalidInputError, match="say which entity"):
        e.load(ROOT / "tests/fixtures/catalog/unknown_rome_code.csv")  # a CSV must say its entity
    # unless its name says it (stages.csv); this one is loaded already: each id a conflict.
    with pytest.raises(metiers.DataError, match="already exists"):
        e.load(data / "stages.csv")
    with pytest.raises(metiers.InvalidInputError):
        e.load_csv("stages", b"", mode="sloppy")  # type: ignore[arg-type]


def test_a_windows_1252_export_loads_with_its_encoding(tmp_path: Path) -> None:
    """A French spreadsheet's « CSV » export is Windows-1252: refused as UTF-8 with the way
    out, read with ``encoding`` (from a file or bytes); a str is text already."""
    fixture = ROOT / "tests/fixtures/spreadsheet/companies-windows-1252.csv"
    path = tmp_path / "entreprises.csv"
    path.write_bytes(fixture.read_bytes())
    e = metiers.Engine.empty()
    with pytest.raises(metiers.DataError, match="windows-1252") as info:
        e.load(path)
    assert info.value.line == 2
    assert e.load(path, encoding="cp1252")["companies"] == 2
    assert e.company("ent-e2")["name"] == "Garage de l’Iton (fictif)"
    other = metiers.Engine.empty()
    assert other.load_csv("companies", fixture.read_bytes(), encoding="Latin-1")["companies"] == 2
    assert other.company("ent-e1")["name"] == "Pâtisserie Hébert (fictif)"
    text = fixture.read_bytes().decode("cp1252")
    with pytest.raises(metiers.InvalidInputError) as refused:
        metiers.Engine.empty().load_csv("companies", text, encoding="cp1252")
    assert refused.value.field == "encoding"
    assert metiers.Engine.empty().load_csv("companies", text, encoding="utf-8")["companies"] == 2
    with pytest.raises(metiers.InvalidInputError, match="expected \"utf-8\" or \"windows-1252\""):
        metiers.Engine.empty().load_csv("companies", fixture.read_bytes(), encoding="ascii")


def test_updates_and_reservations() -> None:
    e = metiers.Engine.empty()
    e.add_company({"id": "c1", "name": "Atelier (fictif)", "place": {"commune": "Flers"}})
    stage = {"id": "s1", "company": "c1", "kind": "mini_stage", "metiers": ["H2903"],
             "periods": [{"start": "2026-10-19", "end": "2026-10-23"}], "places_total": 2}
    e.add_stage(stage)
    assert e.reserve("s1") == 1
    with pytest.raises(metiers.ConflictError):
        e.reserve("s1", 2)
    assert e.release("s1") == 2
    e.replace_stage(dict(stage, places_total=4))
    assert e.catalog("stages")[0]["places_left"] == 4
    with pytest.raises(metiers.ConflictError):
        e.remove_company("c1")
    assert e.remove_stage("s1")["id"] == "s1"
    assert e.remove_company("c1")["id"] == "c1"
    with pytest.raises(metiers.NotFoundError):
        e.replace_company({"id": "c1", "name": "x", "place": {"commune": "Caen"}})


def _child_batch(queue: Any) -> None:
    e = metiers.Engine.normandy()
    queue.put(len(e.search_stages_batch([{"near": "Caen"}, {"near": "Rouen"}] * 50)))


def test_a_child_forked_after_a_parallel_batch_does_not_hang() -> None:
    import multiprocessing

    e = metiers.Engine.normandy()
    e.search_stages_batch([{"near": "Caen"}] * 200)  # the thread pool is running now
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_child_batch, args=(queue,))
    child.start()
    child.join(timeout=60)
    alive = child.is_alive()
    if alive:
        child.kill()
    assert not alive, "the forked child hung"
    assert queue.get(timeout=5) == 100
    assert metiers._native.parallel(), "the parent keeps its threads"


def test_data_files_as_bytes_bytearray_or_memoryview_give_the_same_engine() -> None:
    files = {name: (ROOT / "core/data" / name).read_bytes() for name in ("rome.bin", "normandy.bin", "rome-texts.bin")}
    query = {"near": "Caen", "radius_km": 10}
    for form in (bytes, bytearray, memoryview):
        own = metiers.Engine.from_data(form(files["rome.bin"]), form(files["normandy.bin"]))
        assert own.search_metiers("boulanger", 1)[0]["code"] == "D1102"
        copy = metiers.Engine.restore(form(own.snapshot()))
        assert copy.search_stages(query) == own.search_stages(query)
        own.load_rome_texts(form(files["rome-texts.bin"]))
        assert own.metier("D1102")["definition"]
    # Anything else names the argument, as in the JS packages.
    for bad in (42, None, [1, 2], {"a": 1}):
        for call, field in (
            (lambda: metiers.Engine.from_data(bad, files["normandy.bin"]), "rome"),  # type: ignore[arg-type]
            (lambda: metiers.Engine.from_data(files["rome.bin"], bad), "communes"),  # type: ignore[arg-type]
            (lambda: metiers.Engine.restore(bad), "snapshot"),  # type: ignore[arg-type]
        ):
            with pytest.raises(metiers.InvalidInputError) as err:
                call()
            assert err.value.field == field, (bad, field)


def test_a_memoryview_is_read_as_the_bytes_it_shows_and_only_a_view_of_bytes() -> None:
    """A memoryview was made bytes by the Python facade: a released one raised a bare
    ValueError, and a view of floats was read as the bytes of its memory (the JS packages
    refuse a Float64Array). A view of one-byte items is read in its logical order."""
    import array

    e = metiers.Engine.empty()
    doc = b'{"companies": [{"id": "c1", "name": "A (fictif)", "place": {"commune": "Flers"}}]}'
    assert e.load_json(memoryview(array.array("B", doc)))["companies"] == 1
    assert metiers.Engine.empty().load_json(memoryview(b" ".join(bytes([c]) for c in doc))[::2])["companies"] == 1
    for bad, reason in (
        (memoryview(array.array("d", [1.0, 2.0])), 'a memoryview of 8-byte items ("d"), not of bytes'),
        (memoryview(array.array("H", b"{}")), 'a memoryview of 2-byte items ("H"), not of bytes'),
    ):
        for call in (lambda: e.load_json(bad), lambda: e.load_csv("companies", bad), lambda: metiers.Engine.restore(bad)):
            with pytest.raises(metiers.InvalidInputError) as err:
                call()
            assert err.value.message.endswith(f'"": {reason}') and err.value.field in ("data", "snapshot")
    released = memoryview(doc)
    released.release()
    with pytest.raises(metiers.InvalidInputError) as err:
        e.load_json(released)
    assert (err.value.field, err.value.message) == ("data", 'invalid data "": a released memoryview')


def test_from_data_gives_the_same_engine_as_the_embedded_data(engine: metiers.Engine) -> None:
    rome = (ROOT / "core/data/rome.bin").read_bytes()
    communes = (ROOT / "core/data/normandy.bin").read_bytes()
    own = metiers.Engine.from_data(rome, communes)
    assert own.region == "normandy"
    own.load_json(engine.export_json().encode(), source="sample.json")
    query = {"near": "Flers", "radius_km": 30, "interests": ["J'aime le travail manuel"]}
    assert own.search_stages(query) == engine.search_stages(query)
    with pytest.raises(metiers.DataError) as bad:
        metiers.Engine.from_data(b"nope", communes)
    assert bad.value.source == "rome"
    with pytest.raises(metiers.InvalidInputError) as region:
        metiers.Engine.from_data(rome, communes, "bretagne")
    assert region.value.field == "region"
    # rome.bin leaves the métiers' texts out; rome-texts.bin gives them back.
    assert own.metier("H2903")["definition"] is None and own.metier("H2903")["acces"] is None
    with pytest.raises(metiers.DataError) as texts:
        own.load_rome_texts(rome)
    assert texts.value.source == "rome-texts"
    with pytest.raises(metiers.InvalidInputError):
        own.load_rome_texts(None)  # type: ignore[arg-type]
    assert own.metier("H2903")["definition"] is None
    own.load_rome_texts((ROOT / "core/data/rome-texts.bin").read_bytes())
    assert own.metier("H2903") == engine.metier("H2903")
    assert own.metier("H2903")["definition"][0].startswith("Usine et produit")
    assert own.search_stages(query) == engine.search_stages(query)


def test_hostile_input_is_invalid_input_naming_the_argument_never_a_crash(engine: metiers.Engine) -> None:
    import numpy as np

    deep: Any = 1
    for _ in range(15000):
        deep = [deep]
    for call in (
        lambda: engine.search_stages(near=deep),
        lambda: engine.search_stages(near="Caen", interests=deep),
        lambda: engine.add_company(deep),
        lambda: engine.locate(deep),
    ):
        with pytest.raises(metiers.InvalidInputError) as err:
            call()
        assert "levels deep" in str(err.value)
    [kept] = engine.search_stages_batch([{"near": deep}], errors="keep")
    assert isinstance(kept, metiers.InvalidInputError)
    for call, field in (
        (lambda: engine.search_metiers(42), "text"),  # type: ignore[arg-type]
        (lambda: engine.search_metiers("boulanger", 2.5), "limit"),  # type: ignore[arg-type]
        (lambda: engine.reserve("S000001", 1.5), "count"),  # type: ignore[arg-type]
        (lambda: engine.reserve("S000001", -1), "count"),
        (lambda: engine.release("S000001", 2**70), "count"),
        (lambda: engine.load_json(42), "data"),  # type: ignore[arg-type]
        (lambda: engine.search_stages(near="Caen", radius_km=float("nan")), "radius_km"),
        (lambda: engine.search_stages(near={"lat": float("inf"), "lon": 0.0}), "near.lat"),
        (lambda: engine.search_stages(near="Caen", fairness={"rotation_seed": 1, "rotation_margin": float("nan")}), "fairness.rotation_margin"),
        (lambda: engine.search_stages(near="Caen", offset=2**64), "offset"),
    ):
        with pytest.raises(metiers.InvalidInputError) as err:
            call()
        assert err.value.field == field, (field, err.value)
    # numpy scalars are numbers where numbers are expected.
    assert engine.search_stages(near="Caen", radius_km=np.int64(25))["total"] > 0
    assert len(engine.search_metiers("boulanger", np.int64(3))) == 3
    assert engine.search_stages(near="Caen", radius_km=np.float64(12.5))["total"] > 0
    # A float32 or float16 column (cast to save memory) is its value; a numpy bool a bool.
    for width in (np.float16, np.float32):
        assert engine.search_stages(near="Caen", radius_km=width(12.5)) == engine.search_stages(near="Caen", radius_km=12.5)
    point = {"lat": np.float32(49.18), "lon": np.float32(-0.37)}
    assert engine.search_stages(near=point)["origin"]["lat"] == float(np.float32(49.18))
    for bad, field in ((np.float32("nan"), "radius_km"), (np.bool_(True), "radius_km"), (np.complex64(1), "radius_km")):
        with pytest.raises(metiers.InvalidInputError) as err:
            engine.search_stages(near="Caen", radius_km=bad)
        assert err.value.field == field


def test_columns_and_days_are_lists_and_texts() -> None:
    """A numpy array, a pandas Series or Index is the list of its items, in order; a
    datetime.date or a numpy datetime64 of a day its ISO day. A date and time, a 2-D array or a
    set are refused."""
    import datetime

    import numpy as np
    import pandas as pd

    engine = metiers.Engine.normandy()
    interests = ["J'aime le travail manuel", "J'ai le sens du contact"]
    plain = engine.search_stages(near="Caen", interests=interests)
    for column in (np.array(interests), pd.Series(interests), pd.Index(interests), np.array(interests, dtype=object)):
        assert engine.search_stages(near="Caen", interests=column) == plain, type(column)
    day = {"start": "2027-01-04", "end": "2027-01-08"}
    dates = {"start": datetime.date(2027, 1, 4), "end": datetime.date(2027, 1, 8)}
    assert engine.search_stages(near="Caen", dates=dates) == engine.search_stages(near="Caen", dates=day)
    # A numpy day (an item of a column of days, `df["start"].values[0]`) is that day; it was
    # refused as "a 0-dimensional datetime64 is no list".
    days = {"start": np.datetime64("2027-01-04"), "end": np.array(["2027-01-08"], dtype="datetime64[D]")[0]}
    assert engine.search_stages(near="Caen", dates=days) == engine.search_stages(near="Caen", dates=day)
    for bad, field in (
        ({"dates": {"start": datetime.datetime(2027, 1, 4), "end": "2027-01-08"}}, "dates.start"),
        ({"dates": {"start": pd.Timestamp("2027-01-04"), "end": "2027-01-08"}}, "dates.start"),
        ({"dates": {"start": np.datetime64("2027-01-04T10:00", "ns"), "end": "2027-01-08"}}, "dates.start"),
        ({"dates": {"start": np.datetime64("2027-01", "M"), "end": "2027-01-08"}}, "dates.start"),
        ({"dates": {"start": np.timedelta64(3, "D"), "end": "2027-01-08"}}, "dates.start"),
        ({"dates": {"start": np.datetime64("NaT"), "end": "2027-01-08"}}, "dates.start"),
        ({"interests": np.array([interests])}, "interests"),
        ({"interests": set(interests)}, "interests"),
    ):
        with pytest.raises(metiers.InvalidInputError) as err:
            engine.search_stages(near="Caen", **bad)
        assert err.value.field == field, (bad, err.value)


BAD = json.loads((ROOT / "tests/vectors/bad_inputs.json").read_text(encoding="utf-8"))["cases"]
FIXTURES = json.loads((ROOT / "tests/fixtures/catalog/cases.json").read_text(encoding="utf-8"))["cases"]
COMPANIES = (ROOT / "examples/data/companies.csv").read_bytes()


sys.path.insert(0, str(ROOT / "tests" / "vectors"))
from markers import build as _build, text as _text  # noqa: E402  (the markers of tests/vectors/README.md)


def _with_companies() -> metiers.Engine:
    e = metiers.Engine.empty("normandy")
    e.load_csv("companies", COMPANIES, source="companies.csv")
    return e


def _run_bad(engine: metiers.Engine, op: str, args: Dict[str, Any]) -> Any:
    if op == "search_stages":
        return engine.search_stages(_build(args["query"]))
    if op == "search_metiers":
        if "limit" in args:
            return engine.search_metiers(_build(args["text"]), _build(args["limit"]))
        return engine.search_metiers(_build(args["text"]))
    if op == "locate":
        return engine.locate(_build(args["place"]))
    if op == "distance_km":
        return engine.distance_km(_build(args["from"]), _build(args["to"]))
    if op == "load":
        e = _with_companies()
        data = _text(args["data"])
        if args["format"] == "json":
            return e.load_json(data, source="bad")
        if args["format"] == "csv":
            return e.load_csv(args["entity"], data, source="bad")
        return e.load_jsonl(args["entity"], data, source="bad")
    raise AssertionError(op)


@pytest.mark.parametrize("case", BAD, ids=[c["name"] for c in BAD])
def test_shared_bad_inputs(engine: metiers.Engine, case: Dict[str, Any]) -> None:
    with pytest.raises(metiers.MetiersError) as info:
        _run_bad(engine, case["op"], case["args"])
    for key, want in case["error"].items():
        assert getattr(info.value, key) == want, (key, info.value)


@pytest.mark.parametrize("case", FIXTURES, ids=[c["file"] for c in FIXTURES])
def test_shared_bad_files(case: Dict[str, Any]) -> None:
    e = _with_companies()
    data = (ROOT / "tests/fixtures/catalog" / case["file"]).read_bytes()
    with pytest.raises(metiers.DataError) as info:
        if case["format"] == "csv":
            e.load_csv(case["entity"], data, source=case["file"])
        elif case["format"] == "json":
            e.load_json(data, source=case["file"])
        else:
            e.load_jsonl(case["entity"], data, source=case["file"])
    at = info.value.errors[0] if case["level"] == "row" else info.value
    assert (at.source, at.line) == (case["file"], case["line"])
    if case.get("field"):
        assert at.field == case["field"]
    if case.get("value"):
        assert at.value == case["value"]
    assert case["reason_contains"] in at.message


def test_export_json_to_a_path_writes_the_same_document_and_loads_back(tmp_path: Path) -> None:
    e = metiers.Engine.normandy()
    path = tmp_path / "catalogue.json"
    assert e.export_json(path) is None
    assert path.read_bytes() == e.export_json().encode()
    # export_json() writes in pieces of 1 MiB, then joins them: the sample spans two.
    assert len(path.read_bytes()) > 1 << 20
    copy = metiers.Engine.empty()
    copy.load(path)
    assert copy.counters() == e.counters()
    e.export_json(str(path))  # a str path too, the file emptied first
    assert path.read_bytes() == e.export_json().encode()
    with pytest.raises(metiers.DataError) as err:
        e.export_json(tmp_path / "no such folder" / "catalogue.json")
    assert "no such folder" in str(err.value)
    assert err.value.code == "data_error"
    # Hostile or careless paths: a coded error each, a bounded message.
    with open(tmp_path / "open.json", "w") as f, pytest.raises(metiers.InvalidInputError) as bad:
        e.export_json(f)  # type: ignore[call-overload]
    assert bad.value.code == "invalid_input"
    with open(tmp_path / "open.json", "rb") as f, pytest.raises(metiers.InvalidInputError):
        e.load(f)  # type: ignore[arg-type]
    for path in ["/tmp/a\0b.json", "/tmp/" + "x" * 100_000, str(tmp_path)]:
        with pytest.raises(metiers.DataError) as err:
            e.export_json(path)
        assert len(str(err.value)) < 5_000


def test_the_garbage_collector_is_as_the_caller_left_it_after_every_result() -> None:
    """Results are built with Python's cyclic collector paused (a result makes no cycle):
    after a search, a batch, a frame or an error it runs again if it ran before, and stays off
    if the caller had turned it off; objects made meanwhile are still collected after."""
    import gc
    import weakref

    e = metiers.Engine.normandy()
    queries = [{"near": "Flers"}, {"near": "Atlantis"}]
    calls = [
        lambda: e.search_stages(near="Flers"),
        lambda: e.search_stages_batch(queries, errors="keep"),
        lambda: e.search_stages_batch(queries[:1], as_frame=True),
        lambda: e.search_stages(near="Atlantis"),
        lambda: e.search_stages_batch(queries),
    ]
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            for call in calls:
                try:
                    call()
                except metiers.NotFoundError:
                    pass
                assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()

    class Cycle:
        pass

    c = Cycle()
    c.me = c  # type: ignore[attr-defined]
    gone = weakref.ref(c)
    del c
    e.search_stages_batch(queries, errors="keep")
    gc.collect()
    assert gone() is None
