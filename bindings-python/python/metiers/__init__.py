"""metiers: ROME métiers, ambassadors and stages ranked for a young person, a job seeker or a
teacher by interest, sector and distance.

>>> import metiers
>>> engine = metiers.Engine.normandy()
>>> page = engine.search_stages(near="Flers", radius_km=30, interests=["J'aime le travail manuel"])
>>> page["matches"][0]["reasons"][0]
"Centre d'intérêt principal : J'aime le travail manuel"

Results are dicts and lists in the JSON shape every binding shares (see the repository's
``docs/ranking.md``). Pass ``as_frame=True`` (pandas needed) for a ``pandas.DataFrame``.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Tuple, Union, overload

from . import _frames, _native
from . import analytics as _analytics
from .analytics import CoverageMap
from . import types
from . import types as _types
from .errors import (
    AmbiguousPlaceError,
    ConflictError,
    DataError,
    InternalError,
    InvalidInputError,
    MetiersError,
    NotFoundError,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__version__: str = _native.__version__

# The thread pool behind parallel batches does not survive a fork: a child forked by
# multiprocessing runs its batches one by one instead of hanging.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=lambda: _native.set_parallel(False))


def csv_columns(entity: "_EntityName") -> "tuple[list[str], list[str]]":
    """The columns of a CSV file or data frame of ``entity`` (``load_csv``, ``load_frame``):
    the required ones, then the optional ones.

    >>> csv_columns("companies")[0]
    ['id', 'name']
    """
    required, optional = _native.csv_columns(entity)
    return list(required), list(optional)


def set_parallel(enabled: bool) -> None:
    """Turns parallel batches on or off for this process (results are the same either way).

    >>> set_parallel(False)
    >>> _native.parallel()
    False
    >>> set_parallel(True)
    """
    _native.set_parallel(enabled)

_Json = Dict[str, Any]
#: A place: free text as people type it, or one typed key (``{"insee": "76540"}``,
#: ``{"postal_code": "14400"}``, ``{"departement": "61"}``, ``{"lat": …, "lon": …}``).
PlaceRef = Union[str, Mapping[str, Any]]
_Data = Union[bytes, bytearray, memoryview, str]
_Bytes = Union[bytes, bytearray, memoryview]
_Mode = Literal["strict", "lenient"]
_EntityName = Literal["companies", "ambassadors", "stages"]


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - exercised where pandas is absent
        raise ImportError(
            "pandas is needed for DataFrames: pip install pandas (or metiers[pandas])"
        ) from e
    return pandas


def to_pandas(result: Union[_Json, List[Any]]) -> "pandas.DataFrame":
    """A DataFrame from a search result (one row a match, nested fields flattened with dots:
    ``components.interest``, ``item.kind``; reasons joined with " · "), from a page of métiers
    near a place, or from any list of dicts. The result's ``total`` goes to ``df.attrs``.
    Missing numbers are NaN (a score component of a criterion not asked).

    >>> page = Engine.normandy().search_stages(near="Flers", radius_km=30)
    >>> df = to_pandas(page)
    >>> (len(df), df.attrs["total"], bool(df["components.interest"].isna().all()))
    (19, 19, True)
    """
    pd = _pandas()
    if isinstance(result, dict) and "matches" in result:
        return _page_frame(pd, result)
    if isinstance(result, dict) and "metiers" in result:
        rows = [dict(m, reasons=" · ".join(m["reasons"])) for m in result["metiers"]]
        frame_near: "pandas.DataFrame" = pd.json_normalize(rows)
        frame_near.attrs["total"] = result["total"]
        return frame_near
    plain: "pandas.DataFrame" = pd.json_normalize(list(result))
    return plain


def _page_frame(pd: Any, result: Mapping[str, Any], names: Optional[Any] = None) -> "pandas.DataFrame":
    """A page of matches as a frame: one row a match, nested fields flattened with dots as
    ``json_normalize`` flattens them, reasons joined with " · ", a name column after each id
    column ``names`` names. The columns and their dtypes come from the native module, which
    walks the dicts (``_native.match_columns``)."""
    columns, kinds = _native.match_columns([(None, result["matches"])], names)
    frame: "pandas.DataFrame" = _frames.frame_of(pd, columns, kinds)
    frame.attrs["total"] = result["total"]
    return frame


def _pupils(pupils: Any) -> Any:
    """Pupils as the native module takes them: a list of dicts as is; a DataFrame (pandas, or
    any frame with ``to_pandas()``, e.g. polars) read by its columns, as a pupils CSV file is
    (lists in cells become ``;``-separated)."""
    if hasattr(pupils, "to_pandas") and not hasattr(pupils, "to_csv"):
        pupils = pupils.to_pandas()
    if hasattr(pupils, "to_csv") and hasattr(pupils, "columns"):
        frame = pupils.copy()
        for column in frame.columns:
            frame[column] = frame[column].map(
                lambda v: ";".join(map(str, v)) if isinstance(v, (list, tuple)) else v
            )
        return _native.read_pupils_csv(frame.to_csv(index=False), "pupils (DataFrame)")
    return _listed(pupils)


def _listed(value: Any) -> Any:
    """A sequence as a list (a tuple, a generator, a numpy array); anything else as it is, for
    the native module to refuse with a coded error naming the argument (``list(5)`` raised a
    plain ``TypeError``)."""
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
        return value
    return list(value)


def _frame_columns(frame: Any) -> List[Any]:
    """A frame's columns as ``[(name, [values…]), …]`` of plain Python values (``None`` for
    what pandas marks missing), for the native ``load_columns``."""
    if isinstance(frame, Mapping):
        return [(str(k), list(v)) for k, v in frame.items()]
    if hasattr(frame, "iloc") and hasattr(frame, "columns"):  # pandas
        columns = []
        for i, name in enumerate(frame.columns):
            series = frame.iloc[:, i]
            values = series.astype(object).where(series.notna(), None).tolist()
            columns.append((str(name), values))
        return columns
    if hasattr(frame, "to_dict") and hasattr(frame, "get_columns"):  # polars
        return [(str(k), v) for k, v in frame.to_dict(as_series=False).items()]
    if hasattr(frame, "__dataframe__"):
        return _frame_columns(_pandas().api.interchange.from_dataframe(frame))
    if hasattr(frame, "__arrow_c_stream__"):
        try:
            pyarrow = importlib.import_module("pyarrow")  # optional, and untyped
        except ImportError as e:
            raise ImportError("pyarrow is needed to read an Arrow stream: pip install pyarrow") from e
        return [(str(k), v) for k, v in pyarrow.table(frame).to_pydict().items()]
    kind = type(frame).__name__
    raise InvalidInputError(
        f"invalid frame {kind}: load_frame takes a pandas or polars DataFrame, a frame with "
        f"__dataframe__ or __arrow_c_stream__, or a dict of columns, not {kind}",
        {"field": "frame", "value": kind},
    )


def _options(priorities: Optional[Mapping[str, Any]], schools: Optional[Sequence[Mapping[str, Any]]], suggestions: Optional[int]) -> Any:
    options: _Json = {}
    if priorities is not None:
        options["priorities"] = priorities
    if schools is not None:
        options["schools"] = _listed(schools)
    if suggestions is not None:
        options["suggestions"] = suggestions
    return options


def placement_frames(placement: Mapping[str, Any]) -> Dict[str, "pandas.DataFrame"]:
    """A placement as DataFrames: ``pupils`` (one row a pupil: stage, company, wish obtained,
    distance, NaN when unplaced), ``wishes`` (one row a wish with its status and refusal),
    ``by_school``, ``by_priority`` and ``by_wish`` (the report's tables).

    >>> e = Engine.normandy()
    >>> frames = placement_frames(e.assign(e.cohort({"seed": 1, "departement": "61", "share": 0.02})))
    >>> sorted(frames)
    ['by_priority', 'by_school', 'by_wish', 'pupils', 'wishes']
    """
    pd = _pandas()
    nan = float("nan")
    pupils = pd.DataFrame(
        [
            {
                "pupil": p["pupil"],
                "school": p["school"],
                "class": p.get("class"),
                "education_prioritaire": p.get("education_prioritaire"),
                "lottery": p["lottery"],
                "stage": p["stage"],
                "company": p.get("company"),
                "wish": p.get("wish", nan),
                "distance_km": p.get("distance_km", nan),
                "suggestions": len(p.get("suggestions", [])),
                "text": p["text"],
            }
            for p in placement["pupils"]
        ]
    )
    wishes = pd.DataFrame(
        [
            {
                "pupil": p["pupil"],
                "rank": w["rank"],
                "stage": w["stage"],
                "distance_km": w["distance_km"],
                "status": w["status"],
                "refusal": (w.get("refusal") or {}).get("code"),
                "refusal_text": (w.get("refusal") or {}).get("text"),
            }
            for p in placement["pupils"]
            for w in p["wishes"]
        ],
        columns=["pupil", "rank", "stage", "distance_km", "status", "refusal", "refusal_text"],
    )
    def groups(rows: List[Mapping[str, Any]]) -> "pandas.DataFrame":
        frame: "pandas.DataFrame" = pd.json_normalize(list(rows))
        return frame
    report = placement["report"]
    by_wish = pd.DataFrame({"wish": range(1, len(report["by_wish"]) + 1), "pupils": report["by_wish"]})
    return {
        "pupils": pupils,
        "wishes": wishes,
        "by_school": groups(report["by_school"]),
        "by_priority": groups(report["by_priority"]),
        "by_wish": by_wish,
    }


def _query(query: Optional[Mapping[str, Any]], fields: Mapping[str, Any]) -> Any:
    if not fields:
        return query  # passed as is: the engine reports anything it cannot read
    if query is None:
        return fields  # the call's own dict of keyword arguments: nothing to merge
    if not isinstance(query, Mapping):
        raise InvalidInputError(
            f"invalid query {query!r}: expected a dict when fields are also given",
            {"field": "query", "value": repr(query)},
        )
    merged: _Json = dict(query)
    merged.update(fields)
    return merged


def _path(path: Any, instead: str) -> str:
    """A file path as text; anything else (an open file, bytes) is invalid_input saying what to
    do ``instead``, not the bare TypeError of ``os.fspath``."""
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidInputError(
            f"invalid path {path!r}: expected a file path (str or os.PathLike); {instead}",
            {"field": "path", "value": repr(path)},
        )
    return os.fspath(path)


class Engine:
    """The matching engine: ROME 4.60, communes, school calendar and a catalogue.

    Safe to share between threads (searches release the GIL); picklable (for multiprocessing,
    Dask or Spark workers): a pickle is the engine's :meth:`snapshot`, so an engine made with
    :meth:`from_data` comes back on the same data, reservations included."""

    __slots__ = ("_native",)

    def __init__(self, native: _native.Engine) -> None:
        self._native = native

    @classmethod
    def normandy(cls) -> "Engine":
        """ROME 4.60, the 2,651 communes of Normandy, the zone B 2026-2027 calendar and a
        fictitious sample catalogue. No file, no network.

        >>> e = Engine.normandy()
        >>> e.counters()["total"]["stages"] > 0
        True
        """
        return cls(_native.Engine.normandy())

    @classmethod
    def empty(cls, region: Optional[str] = None) -> "Engine":
        """An engine with an empty catalogue on ``"normandy"`` (the default) or ``"france"``.

        >>> e = Engine.empty()
        >>> e.counters()["total"]["stages"]
        0
        """
        return cls(_native.Engine.empty(region))

    @classmethod
    def restore(cls, snapshot: _Bytes) -> "Engine":
        """The engine a snapshot (:meth:`snapshot`) holds: the same referential, communes,
        calendar and catalogue, reservations included.

        >>> e = Engine.normandy()
        >>> Engine.restore(e.snapshot()).revision == e.revision
        True
        """
        return cls(_native.Engine.restore(snapshot))

    def snapshot(self) -> bytes:
        """The engine as bytes, for :meth:`restore` (what pickling stores).

        >>> e = Engine.normandy()
        >>> isinstance(e.snapshot(), bytes)
        True
        """
        return self._native.snapshot()

    def __reduce__(self) -> Any:
        return (Engine.restore, (self.snapshot(),))

    @staticmethod
    def defaults() -> _types.Defaults:
        """The default of every argument (radius, page size, title limit, region, load mode…).

        >>> Engine.defaults()["radius_km"]
        30.0
        """
        return _native.Engine.defaults()  # type: ignore[return-value]

    @staticmethod
    def labels() -> _types.Labels:
        """The French label of every enum value: ``labels()["stage_kind"]["mini_stage"]`` is
        ``"Mini-stage de découverte"``.

        >>> Engine.labels()["stage_kind"]["mini_stage"]
        'Mini-stage de découverte'
        """
        return _native.Engine.labels()  # type: ignore[return-value]

    @staticmethod
    def period_label(period: Mapping[str, str]) -> str:
        """A period as French says it: ``{"start": "2027-04-19", "end": "2027-04-23"}`` is
        ``"du 19 au 23 avril 2027"``.

        >>> Engine.period_label({"start": "2027-04-19", "end": "2027-04-23"})
        'du 19 au 23 avril 2027'
        """
        return _native.Engine.period_label(period)

    @classmethod
    def from_data(cls, rome: _Bytes, communes: _Bytes, region: Optional[str] = None) -> "Engine":
        """An engine with an empty catalogue on the referential and communes given as bytes: the
        compact files ``core/data/rome.bin`` and ``normandy.bin`` (or ``france.bin``), as the
        browser package's light build fetches them. ``rome.bin`` leaves out the métiers' texts
        (``definition`` and ``acces`` are ``None``): :meth:`load_rome_texts` adds them. Bytes that are not those files raise a
        ``DataError`` whose ``source`` is ``"rome"`` or ``"communes"``.

        >>> try:
        ...     Engine.from_data(b"not a referential", b"")
        ... except DataError as err:
        ...     print(err.code, err.source)
        data_error rome
        """
        return cls(_native.Engine.from_data(rome, communes, region))

    @property
    def region(self) -> str:
        """The embedded region this engine was made from."""
        return self._native.region

    @property
    def revision(self) -> int:
        """A number that changes with every change of the catalogue (reservations included)."""
        return self._native.revision

    def __repr__(self) -> str:
        t = self._native.counters()["total"]
        ambassadors = t["ambassadeurs_metier"] + t["ambassadeurs_formation"]
        return (
            f"<metiers.Engine region={self.region!r} companies={t['companies']} "
            f"ambassadors={ambassadors} stages={t['stages']} places_left={t['places_left']} "
            f"revision={self.revision}>"
        )

    # Lookups -----------------------------------------------------------------------------

    def search_metiers(self, text: str, limit: Optional[int] = None, *, as_frame: bool = False) -> Any:
        """Job-title search: métiers ranked, each with the title that matched.

        >>> e = Engine.normandy()
        >>> e.search_metiers("fraiseur", 1)[0]["code"]
        'H2903'
        """
        hits = self._native.search_metiers(text, limit)
        return to_pandas(hits) if as_frame else hits

    def locate(self, place: PlaceRef, *, as_frame: bool = False) -> Any:
        """Places a text or a typed place stands for, best first (suggestions to list).

        ``place`` is free text as people type it (``"Caen"``, ``"14400"``, ``"Orne"``,
        ``"49.18, -0.37"``) or a typed key: ``{"insee": "76540"}``, ``{"postal_code": "14400"}``,
        ``{"departement": "61"}``, ``{"lat": 49.18, "lon": -0.37}``. Several places are a list
        here; :meth:`resolve` and the searches raise :class:`AmbiguousPlaceError` instead.

        >>> e = Engine.normandy()
        >>> [p["name"] for p in e.locate("st-lo")][:1]
        ['Saint-Lô']
        """
        places = self._native.locate(place)
        return to_pandas(places) if as_frame else places

    def resolve(self, place: PlaceRef) -> _types.Place:
        """The one place a text or a typed place stands for.

        Raises :class:`AmbiguousPlaceError` (with ``candidates``) when it could mean several
        places (homonyms, a code that is an INSEE code and another commune's postal code…).

        >>> e = Engine.normandy()
        >>> e.resolve("14000")["name"]
        'Caen'
        """
        return self._native.resolve(place)  # type: ignore[return-value]

    def distance_km(self, from_: PlaceRef, to: PlaceRef) -> float:
        """Great-circle distance in km between two places (texts or typed places), each
        resolved as a query's ``near`` is.

        >>> e = Engine.normandy()
        >>> round(e.distance_km("Flers", "Caen"), 1)
        51.5
        """
        return self._native.distance_km(from_, to)

    def metier(self, code: str) -> _types.Metier:
        """A métier by ROME code.

        >>> e = Engine.normandy()
        >>> e.metier("H2903")["label"]
        'Tourneur-fraiseur / Tourneuse-fraiseuse'
        """
        return self._native.metier(code)  # type: ignore[return-value]

    def company(self, id: str) -> _types.Company:
        """A company of the catalogue by id (a stage result names its company by id).

        >>> e = Engine.normandy()
        >>> e.company("C000001")["id"]
        'C000001'
        """
        return self._native.company(id)  # type: ignore[return-value]

    def ambassador(self, id: str) -> _types.Ambassador:
        """An ambassador of the catalogue by id.

        >>> e = Engine.normandy()
        >>> e.ambassador("AF000001")["kind"]
        'formation'
        """
        return self._native.ambassador(id)  # type: ignore[return-value]

    def stage(self, id: str) -> _types.Stage:
        """A stage of the catalogue by id.

        >>> e = Engine.normandy()
        >>> e.stage("S000001")["id"]
        'S000001'
        """
        return self._native.stage(id)  # type: ignore[return-value]

    def commune(self, code: str) -> _types.Commune:
        """A commune by INSEE code (a result's place names its commune by code).

        >>> e = Engine.normandy()
        >>> e.commune("61169")["name"]
        'Flers'
        """
        return self._native.commune(code)  # type: ignore[return-value]

    # Searches ----------------------------------------------------------------------------

    def _search(self, native: Any, frame: Any, query: Optional[Mapping[str, Any]], fields: Mapping[str, Any], as_frame: bool) -> Any:
        if not as_frame:
            return native(_query(query, fields))
        # The frame's columns straight from the native result (``_frames.from_parts``), with
        # a name column after each id column: ``item.company_name`` after ``item.company``,
        # ``…place.commune_name`` after each ``…place.commune``.
        pd = _pandas()
        wanted = _frames.blocks_wanted(pd)
        total, parts = frame(_query(query, fields), wanted is not None)
        df: "pandas.DataFrame" = _frames.from_parts(pd, parts, wanted)
        df.attrs["total"] = total
        return df

    def search_stages(self, query: Optional[Mapping[str, Any]] = None, *, as_frame: bool = False, **fields: Any) -> Any:
        """Stages that fit, best first. The query is a dict in the shared JSON shape, or its
        fields as keyword arguments (``near="Flers", radius_km=30``).

        >>> e = Engine.normandy()
        >>> page = e.search_stages(near="Flers", radius_km=30, interests=["J'aime le travail manuel"])
        >>> page["matches"][0]["reasons"][0]
        "Centre d'intérêt principal : J'aime le travail manuel"
        """
        return self._search(self._native.search_stages, self._native.search_stages_frame, query, fields, as_frame)

    def search_ambassadors(self, query: Optional[Mapping[str, Any]] = None, *, as_frame: bool = False, **fields: Any) -> Any:
        """Ambassadors that fit, best first.

        >>> e = Engine.normandy()
        >>> page = e.search_ambassadors(near="Caen", metiers=["boulanger"], contact_modes=["video"])
        >>> all(any(c["mode"] == "video" for c in m["item"]["contacts"]) for m in page["matches"])
        True
        """
        return self._search(self._native.search_ambassadors, self._native.search_ambassadors_frame, query, fields, as_frame)

    def search_companies(self, query: Optional[Mapping[str, Any]] = None, *, as_frame: bool = False, **fields: Any) -> Any:
        """Companies whose stages or ambassadors fit, best first.

        >>> e = Engine.normandy()
        >>> e.search_companies(near="Le Havre", radius_km=5)["matches"][0]["item"]["name"]
        'Entrepôts Iota du Havre (fictif)'
        """
        return self._search(self._native.search_companies, self._native.search_companies_frame, query, fields, as_frame)

    def ambassadors_for_class(self, query: Optional[Mapping[str, Any]] = None, *, as_frame: bool = False, **fields: Any) -> Any:
        """Teacher: ambassadors who come to the class at ``near``, group size fitting.

        >>> e = Engine.normandy()
        >>> e.ambassadors_for_class(near="Lisieux", group_size=25)["summary"]
        '70 ambassadeurs autour de Lisieux ; les 20 plus pertinents'
        """
        return self._search(self._native.ambassadors_for_class, self._native.ambassadors_for_class_frame, query, fields, as_frame)

    def companies_for_class(self, query: Optional[Mapping[str, Any]] = None, *, as_frame: bool = False, **fields: Any) -> Any:
        """Teacher: companies that can receive a class of ``group_size`` pupils.

        >>> e = Engine.normandy()
        >>> e.companies_for_class(near="Lisieux", group_size=10)["summary"]
        '20 entreprises à moins de 30 km de Lisieux'
        """
        return self._search(self._native.companies_for_class, self._native.companies_for_class_frame, query, fields, as_frame)

    def metiers_near(self, query: Optional[Mapping[str, Any]] = None, *, as_frame: bool = False, **fields: Any) -> Any:
        """Métiers with at least one stage or ambassador within the radius.

        >>> e = Engine.normandy()
        >>> e.metiers_near(near="Alençon", radius_km=15)["total"] > 0
        True
        """
        result = self._native.metiers_near(_query(query, fields))
        return to_pandas(result) if as_frame else result

    def _batch(self, native: Any, frame: Any, queries: Iterable[Mapping[str, Any]], errors: Optional[str], as_frame: bool) -> Any:
        if not as_frame:
            return native(_listed(queries), errors)
        # One frame for the whole batch, made natively (``_search``): a ``query`` column, and
        # with ``errors="keep"`` the failed queries' ``error`` and ``error_message`` first.
        pd = _pandas()
        wanted = _frames.blocks_wanted(pd)
        parts = frame(_listed(queries), errors, wanted is not None)
        if parts[0] == "lists" and not parts[1]:
            return pd.DataFrame({"query": []})
        return _frames.from_parts(pd, parts, wanted)

    def search_stages_batch(self, queries: Iterable[Mapping[str, Any]], *, errors: Optional[str] = None, as_frame: bool = False) -> Any:
        """Many stage searches at once, in parallel without the GIL. ``errors="keep"`` puts
        each failing query's exception in its place instead of raising the first one;
        ``as_frame=True`` gives one DataFrame with a ``query`` column.

        >>> e = Engine.normandy()
        >>> pages = e.search_stages_batch([{"near": "Caen"}, {"near": "Atlantis"}], errors="keep")
        >>> type(pages[1]).__name__
        'NotFoundError'
        """
        return self._batch(self._native.search_stages_batch, self._native.search_stages_batch_frame, queries, errors, as_frame)

    def search_ambassadors_batch(self, queries: Iterable[Mapping[str, Any]], *, errors: Optional[str] = None, as_frame: bool = False) -> Any:
        """Many ambassador searches at once (see ``search_stages_batch``).

        >>> e = Engine.normandy()
        >>> len(e.search_ambassadors_batch([{"near": "Caen"}, {"near": "Rouen"}]))
        2
        """
        return self._batch(self._native.search_ambassadors_batch, self._native.search_ambassadors_batch_frame, queries, errors, as_frame)

    def search_companies_batch(self, queries: Iterable[Mapping[str, Any]], *, errors: Optional[str] = None, as_frame: bool = False) -> Any:
        """Many company searches at once (see ``search_stages_batch``).

        >>> e = Engine.normandy()
        >>> len(e.search_companies_batch([{"near": "Caen"}, {"near": "Rouen"}]))
        2
        """
        return self._batch(self._native.search_companies_batch, self._native.search_companies_batch_frame, queries, errors, as_frame)

    # Counters ----------------------------------------------------------------------------

    def counters(self, *, as_frame: bool = False) -> Any:
        """Companies, ambassadeurs métier and formation, stages and places left, in total and
        per département (``as_frame``: one row a département, then the total).

        >>> e = Engine.normandy()
        >>> sorted(e.counters()["by_departement"])
        ['14', '27', '50', '61', '76']
        """
        c = self._native.counters()
        if not as_frame:
            return c
        pd = _pandas()
        rows = [dict(departement=d, **n) for d, n in c["by_departement"].items()]
        rows.append(dict(departement="total", **c["total"]))
        return pd.DataFrame(rows).set_index("departement")

    def companies_with_stages_in(self, departement: str, *, as_frame: bool = False) -> Any:
        """Companies with at least one stage in a département (``"Orne"`` or ``"61"``).

        >>> e = Engine.normandy()
        >>> all("name" in c for c in e.companies_with_stages_in("Orne"))
        True
        """
        companies = self._native.companies_with_stages_in(departement)
        return to_pandas(companies) if as_frame else companies

    # A portal's own data ---------------------------------------------------------------

    def load(self, path: Union[str, "os.PathLike[str]"], entity: Optional[_EntityName] = None, mode: Optional[_Mode] = None, encoding: Optional[str] = None) -> _types.LoadReport:
        """Loads a file by its extension: ``.json`` (a document with companies, ambassadors,
        stages), ``.jsonl``/``.ndjson`` or ``.csv``/``.tsv`` (one entity a file: ``entity``, or the one the file name says, ``stages.csv``, ``entreprises.csv``). Returns the
        report (its ``source`` is the file's name); in strict mode (the default) a bad row
        raises ``DataError`` with every problem in ``errors``. ``encoding`` is a CSV file's, as
        in :meth:`load_csv`.

        >>> import pathlib, tempfile
        >>> e = Engine.empty()
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "companies.csv"
        >>> _ = path.write_text("id,name,commune\\nc1,Ateliers (fictif),Flers\\n")
        >>> e.load(path)["companies"]
        1
        """
        return self._native.load_file(_path(path, "to read an open file, pass its contents to load_json, load_jsonl or load_csv"), entity, None, mode, encoding)  # type: ignore[return-value]

    def load_json(self, data: _Data, source: Optional[str] = None, mode: Optional[_Mode] = None) -> _types.LoadReport:
        """Loads a JSON document ``{"companies": [...], "ambassadors": [...], "stages": [...]}``
        (``source`` labels errors, default ``"<json>"``; ``mode`` ``"strict"`` or ``"lenient"``).

        >>> e = Engine.empty()
        >>> e.load_json('{"companies": [{"id": "c1", "name": "A (fictif)", "place": {"commune": "Flers"}}]}')["companies"]
        1
        """
        return self._native.load_json(data, source, mode)  # type: ignore[return-value]

    def load_jsonl(self, entity: _EntityName, data: _Data, source: Optional[str] = None, mode: Optional[_Mode] = None) -> _types.LoadReport:
        """Loads JSON lines, one object of ``entity`` a line.

        >>> e = Engine.empty()
        >>> e.load_jsonl("companies", '{"id": "c1", "name": "A (fictif)", "place": {"commune": "Flers"}}\\n')["companies"]
        1
        """
        return self._native.load_jsonl(entity, data, source, mode)  # type: ignore[return-value]

    def load_csv(self, entity: _EntityName, data: _Data, source: Optional[str] = None, mode: Optional[_Mode] = None, encoding: Optional[str] = None) -> _types.LoadReport:
        """Loads a CSV file of ``entity``: a header line, ``,`` separated (or ``;``, or tabs),
        ``"`` quoted, UTF-8 unless ``encoding`` says ``"windows-1252"`` (also ``"cp1252"``,
        ``"latin-1"``: what a French spreadsheet's « CSV » export writes; only for bytes, a
        ``str`` is text already). A byte-order mark says UTF-8 or UTF-16 whatever the
        ``encoding``. Lists in a cell are ``;``-separated; dates are
        ``YYYY-MM-DD`` and a period ``start/end``, both days included. The columns
        (``csv_columns(entity)``; required first):

        - companies: **id**, **name**, siret (14 digits, Luhn-checked), commune, postal_code,
          lat, lon, sectors (ROME ``H`` or ``H29``), size (``tpe``, ``pme``, ``eti``, ``ge``),
          max_pupils (a placement's cap over all the company's stages).
        - ambassadors: **id**, **kind** (``metier`` or ``formation``), **metiers** (ROME codes),
          **contacts** (``mode[:sessions_per_month[:max_group]]``, modes ``phone``, ``video``,
          ``class_visit``, ``company_visit``), name, company (required for ``metier``),
          training (required for ``formation``), audiences (``college``, ``lycee``,
          ``etudiant``, ``demandeur_emploi``, ``reconversion``; all when empty),
          travel_radius_km (required with ``class_visit``), availability (periods),
          response_rate (0 to 1), bookings, commune, postal_code, lat, lon.
        - stages: **id**, **company**, **kind** (``mini_stage``, ``observation_3e``,
          ``seconde``, ``long_professionnel``), **metiers**, **periods**, **places_total**,
          places_left (default: total), places_per_period, schools (UAI codes it is reserved
          to), rep_only (``oui``: REP/REP+ pupils only), audiences (default by kind),
          accessible (``oui``/``non``), max_group, title, description, commune, postal_code,
          lat, lon (default: the company's place).

        A place is a commune (name or INSEE code), a postal code, or lat/lon. An unknown column
        is a warning of the report. Strict mode (the default): a bad row raises ``DataError``
        listing every bad row (``line``, ``field``, ``value``) and nothing loads; lenient: the
        good rows load and ``rejected`` lists the others.

        >>> e = Engine.empty()
        >>> e.load_csv("companies", "id,name,commune\\nc1,Boulangerie (fictif),Flers\\n")["companies"]
        1
        >>> excel = "id;name;commune\\nc2;Boulangerie Hébert (fictif);Évreux\\n".encode("cp1252")
        >>> e.load_csv("companies", excel, encoding="cp1252")["companies"]
        1
        >>> e.company("c2")["name"]
        'Boulangerie Hébert (fictif)'
        """
        return self._native.load_csv(entity, data, source, mode, encoding)  # type: ignore[return-value]

    def load_frame(self, entity: _EntityName, frame: Any, source: Optional[str] = None, mode: Optional[_Mode] = None) -> _types.LoadReport:
        """Loads a data frame of ``entity``: its columns are the CSV columns (``metiers.csv_columns``;
        for companies ``id``, ``name``, then ``siret``, ``commune``, ``postal_code``, ``lat``,
        ``lon``, ``sectors``, ``size``, ``max_pupils``). Takes a pandas DataFrame, a polars
        DataFrame, any frame with the dataframe interchange protocol (``__dataframe__``) or the
        Arrow PyCapsule stream (``__arrow_c_stream__``, read with pyarrow), or a dict of columns.

        Each cell is read as the CSV text would be: missing values (``None``, ``NaN``,
        ``pd.NA``) are empty cells, a whole float is a whole number (a SIRET that pandas read as
        ``7.3282932000074e13`` is ``"73282932000074"``), lists are ``;``-separated lists.
        Codes with leading zeros (postal codes of the Ain, ``01000``) must be read as text
        (``dtype=str``): as numbers they lose the zero and are refused. Errors and the report
        are those of ``load_csv``, with the 0-based ``row`` (``df.iloc[row]``) instead of a line;
        ``source`` labels them (default ``"<frame>"``).

        >>> import pandas as pd
        >>> e = Engine.empty()
        >>> df = pd.DataFrame({"id": ["c1"], "name": ["Boulangerie (fictif)"], "commune": ["Flers"]})
        >>> e.load_frame("companies", df)["companies"]
        1
        """
        return self._native.load_columns(entity, _frame_columns(frame), source, mode)  # type: ignore[return-value]

    @overload
    def export_json(self, path: None = None) -> str: ...
    @overload
    def export_json(self, path: Union[str, "os.PathLike[str]"]) -> None: ...
    def export_json(self, path: Optional[Union[str, "os.PathLike[str]"]] = None) -> Optional[str]:
        """The catalogue as the JSON document ``load_json`` reads; with ``path``, written to
        that file as it is serialised (no copy of the document in memory, the GIL released)
        and ``None`` returned. A file that cannot be written raises ``DataError``.

        >>> e = Engine.empty()
        >>> _ = e.load_json('{"companies": [{"id": "c1", "name": "A (fictif)", "place": {"commune": "Flers"}}]}')
        >>> import json
        >>> json.loads(e.export_json())["companies"][0]["id"]
        'c1'
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "catalogue.json"
        >>> e.export_json(path)
        >>> path.read_text(encoding="utf-8") == e.export_json()
        True
        """
        if path is None:
            return self._native.export_json()
        self._native.export_json_to(_path(path, "to write into an open file, write export_json() into it"))
        return None

    def load_rome_texts(self, texts: _Bytes) -> None:
        """Gives the métiers their texts (``definition``, ``acces``) from the bytes of
        ``rome-texts.bin``, for an engine made by :meth:`from_data` on ``rome.bin``, whose
        métiers have ``None`` there (the engines of :meth:`normandy` and :meth:`empty` have
        them already). ``DataError`` for bytes that are not this referential's texts; the
        engine is unchanged then.

        >>> e = Engine.normandy()
        >>> e.metier("H2903")["definition"][0][:22]
        'Usine et produit des p'
        >>> try:
        ...     e.load_rome_texts(b"not the texts")
        ... except DataError as err:
        ...     print(err.code, err.source)
        data_error rome-texts
        """
        self._native.load_rome_texts(texts)

    def clear_catalog(self) -> None:
        """Empties the catalogue (to load a portal's own data instead of the sample).

        >>> e = Engine.normandy()
        >>> e.clear_catalog()
        >>> e.counters()["total"]["stages"]
        0
        """
        self._native.clear_catalog()

    def add_company(self, company: Mapping[str, Any]) -> None:
        """Adds a company (``ConflictError`` if the id exists).

        >>> e = Engine.empty()
        >>> e.add_company({"id": "c1", "name": "A (fictif)", "place": {"commune": "Flers"}})
        >>> e.company("c1")["place"]["commune"]
        '61169'
        """
        self._native.add_company(company)

    def replace_company(self, company: Mapping[str, Any]) -> None:
        """Replaces the company with the same id (``NotFoundError`` if none).

        >>> e = Engine.empty()
        >>> e.add_company({"id": "c1", "name": "A (fictif)", "place": {"commune": "Flers"}})
        >>> e.replace_company({"id": "c1", "name": "B (fictif)", "place": {"commune": "Caen"}})
        >>> e.company("c1")["name"]
        'B (fictif)'
        """
        self._native.replace_company(company)

    def remove_company(self, company_id: str) -> _Json:
        """Removes a company (``ConflictError`` while stages or ambassadors name it).

        >>> e = Engine.empty()
        >>> e.add_company({"id": "c1", "name": "A (fictif)", "place": {"commune": "Flers"}})
        >>> _ = e.remove_company("c1")
        >>> e.counters()["total"]["companies"]
        0
        """
        return self._native.remove_company(company_id)

    def add_ambassador(self, ambassador: Mapping[str, Any]) -> None:
        """Adds an ambassador.

        >>> e = Engine.normandy()
        >>> e.add_ambassador({"id": "a1", "kind": "formation", "name": "Léa (fictif)", "training": "BTS (fictif)", "metiers": ["H2903"], "contacts": [{"mode": "video"}], "place": {"commune": "Flers"}})
        >>> e.ambassador("a1")["metiers"]
        ['H2903']
        """
        self._native.add_ambassador(ambassador)

    def replace_ambassador(self, ambassador: Mapping[str, Any]) -> None:
        """Replaces the ambassador with the same id.

        >>> e = Engine.normandy()
        >>> a = dict(e.ambassador("AF000001"), name="Léa (fictif)")
        >>> e.replace_ambassador(a)
        >>> e.ambassador("AF000001")["name"]
        'Léa (fictif)'
        """
        self._native.replace_ambassador(ambassador)

    def remove_ambassador(self, ambassador_id: str) -> _Json:
        """Removes an ambassador.

        >>> e = Engine.normandy()
        >>> _ = e.remove_ambassador("AF000001")
        >>> "AF000001" in e.export_json()
        False
        """
        return self._native.remove_ambassador(ambassador_id)

    def add_stage(self, stage: Mapping[str, Any]) -> None:
        """Adds a stage.

        >>> e = Engine.normandy()
        >>> s = dict(e.stage("S000001"), id="s-new")
        >>> e.add_stage(s)
        >>> e.stage("s-new")["company"] == s["company"]
        True
        """
        self._native.add_stage(stage)

    def replace_stage(self, stage: Mapping[str, Any]) -> None:
        """Replaces the stage with the same id.

        >>> e = Engine.normandy()
        >>> s = dict(e.stage("S000001"), title="Découvrir l'atelier")
        >>> e.replace_stage(s)
        >>> e.stage("S000001")["title"]
        "Découvrir l'atelier"
        """
        self._native.replace_stage(stage)

    def remove_stage(self, stage_id: str) -> _Json:
        """Removes a stage.

        >>> e = Engine.normandy()
        >>> _ = e.remove_stage("S000001")
        >>> "S000001" in e.export_json()
        False
        """
        return self._native.remove_stage(stage_id)

    def reserve(self, stage_id: str, count: Optional[int] = None) -> int:
        """Takes places of a stage; returns the places left (never below zero).

        >>> e = Engine.normandy()
        >>> left = e.stage("S000001")["places_left"]
        >>> e.reserve("S000001") == left - 1
        True
        """
        return self._native.reserve(stage_id, count)

    def release(self, stage_id: str, count: Optional[int] = None) -> int:
        """Gives places back; returns the places left (never above the total).

        >>> e = Engine.normandy()
        >>> left = e.reserve("S000001")
        >>> e.release("S000001") == left + 1
        True
        """
        return self._native.release(stage_id, count)

    def request_contact(self, ambassador_id: str, mode: str, date: str) -> _Json:
        """Asks an ambassador for a session of ``mode`` (``"phone"``, ``"video"``,
        ``"class_visit"``, ``"company_visit"``) on ``date`` (``"2027-03-02"``): it counts against
        the mode's sessions of the month (and of the week when ``weekly``). Returns
        ``{"booked": bool, "left_in_month", "next_free", "text"}``: when the month is full,
        nothing is booked and ``next_free`` says when the ambassador is next free.

        >>> e = Engine.normandy()
        >>> a = e.search_ambassadors(near="Caen", contact_modes=["phone"])["matches"][0]["item"]
        >>> e.request_contact(a["id"], "phone", "2027-03-01")["text"]
        'Réservé le 1er mars 2027 (2 sessions restantes ce mois-ci).'
        """
        return self._native.request_contact(ambassador_id, mode, date)

    def prepare_search(self) -> None:
        """Builds the search indices now rather than on the first search.

        >>> e = Engine.normandy()
        >>> e.prepare_search()
        >>> e.search_metiers("ma", 1)[0]["code"] != ""
        True
        """
        self._native.prepare_search()

    # Placement ---------------------------------------------------------------------------

    def assign(
        self,
        pupils: Any,
        *,
        priorities: Optional[Mapping[str, Any]] = None,
        schools: Optional[Sequence[Mapping[str, Any]]] = None,
        suggestions: Optional[int] = None,
        as_frame: bool = False,
    ) -> Any:
        """Places a cohort: every pupil on a stage at once, stable and explained.

        ``pupils``: a list of dicts (``id``, ``school`` UAI, ``weeks`` as ISO weeks such as
        ``"2027-W03"``, ranked ``wishes`` (stage ids) or a ``profile`` (``interests``,
        ``metiers``, ``sectors``, ``radius_km``, ``wishes``), optional ``place``, ``class``,
        ``audience``), or a DataFrame with those columns (lists as ``;``-separated text, a
        place as ``commune`` or ``lat``/``lon``). ``priorities``: ``rep_first`` (REP+, then
        REP, first), or ``rep_min_share`` (a share of places held for them), ``distance``
        (default True), ``seed`` (default 0). ``schools``: schools besides the embedded
        ones. ``suggestions``: per unplaced pupil (default 3; 0 for none, faster).

        Returns the placement (``pupils``: each pupil's stage and certificate, ``report``),
        or with ``as_frame=True`` the DataFrames of ``placement_frames``.

        >>> e = Engine.normandy()
        >>> cohort = e.cohort({"departement": "61", "share": 0.02})
        >>> placement = e.assign(cohort, priorities={"rep_first": True, "seed": 1}, suggestions=0)
        >>> placement["report"]["pupils"] == len(cohort)
        True
        """
        placement = self._native.assign(_pupils(pupils), _options(priorities, schools, suggestions))
        return placement_frames(placement) if as_frame else placement

    def check_placement(
        self,
        pupils: Any,
        placement: Any,
        *,
        priorities: Optional[Mapping[str, Any]] = None,
        schools: Optional[Sequence[Mapping[str, Any]]] = None,
    ) -> _Json:
        """Checks a placement (the dict ``assign`` returns, or a list of ``{"pupil", "stage"}``,
        made anywhere) against the request: ``{"stable": bool, "violations": [...], "total"}``.

        >>> e = Engine.normandy()
        >>> pupils = e.cohort({"seed": 1, "departement": "61", "share": 0.02})
        >>> e.check_placement(pupils, e.assign(pupils))["stable"]
        True
        """
        if hasattr(placement, "to_dict") and hasattr(placement, "columns"):
            placement = [
                {"pupil": r["pupil"], "stage": None if r["stage"] != r["stage"] else r["stage"]}
                for r in placement.to_dict("records")
            ]
        return self._native.check_placement(_pupils(pupils), placement, _options(priorities, schools, None))

    def apply(self, placement: Mapping[str, Any]) -> _Json:
        """Reserves every place of a placement at once, or none (``ConflictError`` when the
        catalogue changed since).

        >>> e = Engine.normandy()
        >>> placement = e.assign(e.cohort({"seed": 1, "departement": "61", "share": 0.02}))
        >>> e.apply(placement)["reserved"] == placement["report"]["placed"]
        True
        """
        return self._native.apply(placement)

    def assign_visits(
        self,
        requests: Sequence[Mapping[str, Any]],
        *,
        priorities: Optional[Mapping[str, Any]] = None,
        schools: Optional[Sequence[Mapping[str, Any]]] = None,
    ) -> _Json:
        """Places classes' visit requests (``id``, ``school``, ``month`` as ``"2027-03"``,
        ``group_size``, ranked ``wishes`` of ambassador ids or a ``profile``) onto ambassadors'
        class-visit sessions of the month within their travel radius: the same mechanism,
        priorities, certificate and report as ``assign``.

        >>> e = Engine.normandy()
        >>> school = e.schools()[0]
        >>> near = e.ambassadors_for_class(near={"lat": school["lat"], "lon": school["lon"]}, group_size=25, contact_modes=["class_visit"])
        >>> visits = e.assign_visits([{"id": "c1", "school": school["uai"], "month": "2027-03", "group_size": 25, "wishes": [near["matches"][0]["id"]]}])
        >>> visits["requests"][0]["wish"]
        1
        """
        return self._native.assign_visits(_listed(requests), _options(priorities, schools, None))

    def apply_visits(self, placement: Mapping[str, Any]) -> _Json:
        """Books every visit of a visit placement (a class-visit session in its month), or none.

        >>> e = Engine.normandy()
        >>> school = e.schools()[0]
        >>> near = e.ambassadors_for_class(near={"lat": school["lat"], "lon": school["lon"]}, group_size=25, contact_modes=["class_visit"])
        >>> visits = e.assign_visits([{"id": "c1", "school": school["uai"], "month": "2027-03", "group_size": 25, "wishes": [near["matches"][0]["id"]]}])
        >>> e.apply_visits(visits)["reserved"]
        1
        """
        return self._native.apply_visits(placement)

    def cohort(self, spec: Optional[Mapping[str, Any]] = None, *, as_frame: bool = False) -> Any:
        """A seeded cohort of 3e pupils of the known collèges (``seed``, ``departement`` by
        code or name, ``share`` of a collège's pupils, default 0.25; ``wishes``, ``radius_km``,
        ``spread_km``, ``weeks``), each with a profile. A département with no known collège is
        an error, not an empty cohort.

        >>> e = Engine.normandy()
        >>> pupils = e.cohort({"seed": 1, "departement": "61", "share": 0.02})
        >>> (len(pupils), pupils[0]["school"][:3])
        (237, '061')
        """
        pupils = self._native.cohort(spec)
        return to_pandas(pupils) if as_frame else pupils

    def with_wishes(self, pupils: Any) -> List[_Json]:
        """The pupils with their profiles turned into the wishes the engine ranks.

        >>> e = Engine.normandy()
        >>> pupils = e.cohort({"seed": 1, "departement": "61", "share": 0.02})
        >>> len(e.with_wishes(pupils)) == len(pupils)
        True
        """
        return self._native.with_wishes(_pupils(pupils))

    def schools(self, *, as_frame: bool = False) -> Any:
        """The schools the engine knows: the 388 collèges and 290 lycées of Normandy (DEPP).

        >>> e = Engine.normandy()
        >>> len(e.schools())
        678
        """
        rows = self._native.schools()
        return _pandas().DataFrame(rows) if as_frame else rows

    # Territory analytics -----------------------------------------------------------------

    def coverage(
        self,
        request: Optional[Mapping[str, Any]] = None,
        *,
        as_frame: bool = True,
        as_geo: bool = False,
        geometry: str = "point",
        **fields: Any,
    ) -> Any:
        """What every origin has within each radius, per sector: a DataFrame in long form, one
        row per origin × radius × sector (× kind or holiday), columns ``origin``,
        ``origin_name``, ``departement``, ``lat``, ``lon``, ``weight`` (people 15–64 of a
        commune, pupils of a school), ``radius_km``, ``sector``, ``sector_label``, ``kind``,
        ``holiday``, ``stages`` (with a place left), ``places_left``, ``companies``,
        ``ambassadors``, ``phone``, ``video``, ``class_visit``, ``company_visit``,
        ``nearest_stage_km`` and ``white`` (no stage of the sector within the radius).
        ``df.attrs["summary"]`` holds the per-département summaries.

        Fields: ``origins`` (``"communes"``, default; ``"schools"``; ``"points"``), ``schools``
        and ``school_kind`` (``"college"``/``"lycee"``), ``points`` (dicts or a DataFrame with
        ``id``, ``lat``, ``lon``, optional ``name``, ``weight``), ``radius`` or ``radii_km``
        (default 15; up to 8 radii in (0, 200]), ``level`` (``"grand_domaine"``, default, or
        ``"domaine"``), ``sector`` or ``sectors`` (all when absent), ``kind``, ``audience``,
        ``by_kind``, ``by_holiday``.

        ``as_geo=True`` gives a GeoDataFrame (geopandas needed): points, or with
        ``geometry="contour"`` each commune's contour. ``as_frame=False`` gives the plain dict.

        >>> df = engine.coverage(radius=15, sector="H")  # doctest: +SKIP
        >>> df[df.white].groupby("departement").weight.sum()  # doctest: +SKIP
        """
        req = _analytics.make_request(request, fields)
        return _analytics.coverage(self._native, req, as_frame, as_geo, geometry)

    def white_zones(self, request: Optional[Mapping[str, Any]] = None, *, as_geo: bool = False, **fields: Any) -> Any:
        """The part of Normandy farther than each radius from every stage (with a place left) of
        each sector: ``area_km2``, ``share``, ``by_departement`` and the ``contour`` (GeoJSON
        MultiPolygon); ``as_geo=True`` gives a GeoDataFrame of the zones. Fields as
        :meth:`coverage` (``radius``, ``sector``, ``level``, ``kind``, ``audience``) and
        ``cell_km`` (the grid, default 1), ``contours`` (default True).

        >>> e = Engine.normandy()
        >>> sorted(e.white_zones(radius=15, sector="H"))
        ['cell_km', 'sectors', 'territory_km2', 'zones']
        """
        req = _analytics.make_request(request, fields)
        return _analytics.white_zones(self._native, req, as_geo)

    def supply_demand(self, request: Optional[Mapping[str, Any]] = None, *, as_frame: bool = False, **fields: Any) -> Any:
        """Each collège's 3e pupils (a quarter of its pupils) against the places of stage within
        ``radius_km`` (default 15) on its ``weeks``, and the same by éducation prioritaire and by
        IPS band (``ips_bands``, default ``[90, 100, 110]``); ``kind`` defaults to
        ``"observation_3e"``. ``as_frame=True`` gives ``{"schools": df, "groups": df}``.

        >>> e = Engine.normandy()
        >>> sorted(e.supply_demand(radius_km=15))
        ['groups', 'radius_km', 'schools']
        """
        req = _analytics.make_request(request, fields)
        return _analytics.supply_demand(self._native, req, as_frame)

    # Tables ------------------------------------------------------------------------------

    def catalog(self, entity: _EntityName, *, as_frame: bool = False) -> Any:
        """The catalogue's companies, ambassadors or stages.

        >>> e = Engine.normandy()
        >>> len(e.catalog("stages")) == e.counters()["total"]["stages"]
        True
        """
        rows = self._native.catalog(entity)
        return to_pandas(rows) if as_frame else rows

    def table(self, name: str, *, as_frame: bool = True) -> Any:
        """A table as a DataFrame (or a list of dicts): of the referential (``"metiers"``,
        ``"appellations"``, ``"interests"``, ``"domaines"``), the geography (``"communes"``,
        ``"departements"``) or the catalogue (``"companies"``, ``"ambassadors"``,
        ``"stages"``). Columns in the order of the items' fields (``e.commune(…)``,
        ``e.stage(…)``).

        >>> e = Engine.normandy()
        >>> list(e.table("interests").columns)
        ['code', 'label', 'definition', 'metiers']
        >>> list(e.table("communes").columns)[:4]
        ['insee', 'name', 'departement', 'region']
        """
        rows = self._native.table(name)
        return _pandas().DataFrame(rows) if as_frame else rows


def _fields_help(request: str, lead: str) -> str:
    """The fields of a request (``types.FIELDS``) as a docstring section."""
    width = max(len(f) for f in _types.FIELDS[request])
    # Indented as the methods' docstrings are (8 spaces), so that help() dedents them alike.
    lines = [f"            {f.ljust(width)}  {doc}" for f, doc in _types.FIELDS[request].items()]
    return f"\n\n        {lead}\n\n" + "\n".join(lines) + "\n        "


# help(engine.search_stages) lists the query's fields and what each means (from the Rust
# types' documentation, generated into types.FIELDS).
for _method, _request, _lead in [
    *((m, "Query", "Query fields (a dict, or keyword arguments):") for m in (
        "search_stages", "search_ambassadors", "search_companies", "ambassadors_for_class",
        "companies_for_class", "metiers_near")),
    *((m, "Query", "Fields of each query:") for m in (
        "search_stages_batch", "search_ambassadors_batch", "search_companies_batch")),
    ("assign", "AssignOptions", "Options:"),
    ("cohort", "CohortSpec", "Fields of the spec:"),
    ("coverage", "CoverageRequest", "Fields of the request (the keyword arguments):"),
    ("white_zones", "WhiteZoneRequest", "Fields of the request (the keyword arguments):"),
    ("supply_demand", "DemandRequest", "Fields of the request (the keyword arguments):"),
]:
    _function = getattr(Engine, _method)
    _function.__doc__ = (_function.__doc__ or "").rstrip() + _fields_help(_request, _lead)


#: Every error code of the library, in order (each has its exception class in ``metiers.errors``).
ERROR_CODES = _native.ERROR_CODES

__all__ = [
    "Engine",
    "ERROR_CODES",
    "types",
    "to_pandas",
    "placement_frames",
    "CoverageMap",
    "set_parallel",
    "csv_columns",
    "MetiersError",
    "InvalidInputError",
    "AmbiguousPlaceError",
    "NotFoundError",
    "DataError",
    "PlaceRef",
    "ConflictError",
    "InternalError",
    "__version__",
]
