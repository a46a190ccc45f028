"""Territory analytics as DataFrames: coverage of communes, schools or points by sector, white
zones with their contours, supply and demand per collège, and a partition mapper for Dask and
Spark. The work is the Rust core's (``Engine.coverage``, ``white_zones``, ``supply_demand``);
this module only turns arguments into a request and results into frames.

>>> import metiers
>>> engine = metiers.Engine.normandy()
>>> df = engine.coverage(radius=15, sector="H")            # one row per commune  # doctest: +SKIP
>>> df[df.white].groupby("departement").weight.sum()       # people 15-64 without   # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, Dict, Iterable, Iterator, List, Mapping, Optional

from . import _native

if TYPE_CHECKING:  # pragma: no cover
    import pandas

_Json = Dict[str, Any]

#: The columns of a coverage frame, in order, with their dtypes.
COVERAGE_COLUMNS: Dict[str, str] = {
    "origin": "object",
    "origin_name": "object",
    "departement": "object",
    "lat": "float64",
    "lon": "float64",
    "weight": "float64",
    "radius_km": "float64",
    "sector": "object",
    "sector_label": "object",
    "kind": "object",
    "holiday": "object",
    "stages": "int64",
    "places_left": "int64",
    "companies": "int64",
    "ambassadors": "int64",
    "phone": "int64",
    "video": "int64",
    "class_visit": "int64",
    "company_visit": "int64",
    "nearest_stage_km": "float64",
    "white": "bool",
}


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - exercised where pandas is absent
        raise ImportError("pandas is needed for DataFrames: pip install pandas (or metiers[pandas])") from e
    return pandas


def _geopandas() -> Any:
    try:
        import geopandas  # type: ignore[import-untyped,unused-ignore]
    except ImportError as e:
        raise ImportError(
            "geopandas is needed for as_geo=True: pip install geopandas (or metiers[geo]); "
            "without it, use the lat/lon columns or the GeoJSON contours as they are"
        ) from e
    return geopandas


def _records(rows: Any) -> Any:
    """A list of dicts from a DataFrame (pandas, or any frame with ``to_pandas()``), as is
    otherwise. Missing cells (NaN) are left out of each dict; whole numbers that pandas made
    floats (an integer column with a gap) are integers again, except ``lat``, ``lon``, ``ips``."""
    if hasattr(rows, "to_pandas") and not hasattr(rows, "to_dict"):
        rows = rows.to_pandas()
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):
        out = []
        for record in rows.to_dict(orient="records"):
            row = {}
            for k, v in record.items():
                if hasattr(v, "item"):  # numpy scalars
                    v = v.item()
                if isinstance(v, float) and v != v:
                    continue
                # A column of whole numbers with a gap is float in pandas: its numbers are
                # whole numbers again here.
                if isinstance(v, float) and v.is_integer() and k not in ("lat", "lon", "ips"):
                    v = int(v)
                row[k] = v
            out.append(row)
        return out
    return rows


def make_request(base: Optional[Mapping[str, Any]], fields: Mapping[str, Any]) -> _Json:
    """A request from a mapping and keyword fields. Shorthands: ``radius`` (a number or a list)
    for ``radii_km``, ``sector`` (a code or a list) for ``sectors``; ``points`` and ``schools``
    may be DataFrames (one row an origin)."""
    out: _Json = dict(base or {})
    out.update(fields)
    if "radius" in out:
        radius = out.pop("radius")
        out["radii_km"] = list(radius) if isinstance(radius, (list, tuple)) else [radius]
    if "sector" in out:
        sector = out.pop("sector")
        out["sectors"] = list(sector) if isinstance(sector, (list, tuple)) else [sector]
    for key in ("points", "schools"):
        if key in out and out[key] is not None:
            out[key] = _records(out[key])
    return out


def coverage_frame(arrays: Optional[Mapping[str, Any]] = None) -> "pandas.DataFrame":
    """The rows of a coverage (the native module's typed columns) as a DataFrame with the
    dtypes of :data:`COVERAGE_COLUMNS`; missing numbers are NaN. Without arrays: the empty
    frame with those columns."""
    pd = _pandas()
    import numpy as np

    if arrays is None:
        empty: "pandas.DataFrame" = pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in COVERAGE_COLUMNS.items()})
        return empty
    def u32(name: str) -> Any:
        return np.frombuffer(arrays[name], dtype="<u4")

    origin, sector, facet = u32("origin"), u32("sector"), u32("facet")
    places = arrays["places"]
    nan = float("nan")

    def per_place(key: str, missing: Any = None) -> Any:
        values = [p.get(key, missing) for p in places]
        return np.array([missing if v is None else v for v in values], dtype=object if missing is None else "float64")

    sectors = arrays["sectors"]
    facets = arrays["facets"]
    data = {
        "origin": per_place("id")[origin],
        "origin_name": per_place("name")[origin],
        "departement": per_place("departement")[origin],
        "lat": per_place("lat", nan)[origin],
        "lon": per_place("lon", nan)[origin],
        "weight": per_place("weight", nan)[origin],
        "radius_km": np.frombuffer(arrays["radius_km"], dtype="<f8"),
        "sector": np.array([s["code"] for s in sectors], dtype=object)[sector],
        "sector_label": np.array([s["label"] for s in sectors], dtype=object)[sector],
        "kind": np.array([f[0] for f in facets] or [None], dtype=object)[facet],
        "holiday": np.array([f[1] for f in facets] or [None], dtype=object)[facet],
    }
    for name in ("stages", "companies", "ambassadors", "phone", "video", "class_visit", "company_visit"):
        data[name] = u32(name).astype("int64")
    data["places_left"] = np.frombuffer(arrays["places_left"], dtype="<u8").astype("int64")
    data["nearest_stage_km"] = np.frombuffer(arrays["nearest_stage_km"], dtype="<f8")
    frame: "pandas.DataFrame" = pd.DataFrame({name: data[name] for name in COVERAGE_COLUMNS if name != "white"})
    frame["white"] = frame["stages"] == 0
    return frame


def coverage(native: Any, req: _Json, as_frame: bool, as_geo: bool, geometry: str) -> Any:
    if not (as_frame or as_geo):
        return native.coverage(req)
    result = native.coverage(req, True)
    frame = coverage_frame(result)
    frame.attrs["weight"] = result["weight"]
    frame.attrs["sectors"] = {s["code"]: s["label"] for s in result["sectors"]}
    frame.attrs["summary"] = result["summary"]
    if not as_geo:
        return frame
    return geo_frame(frame, geometry)


def geo_frame(frame: "pandas.DataFrame", geometry: str = "point") -> Any:
    """A coverage frame as a GeoDataFrame (WGS84): ``geometry="point"`` places each row at its
    origin; ``"contour"`` gives each commune its contour (communes of Normandy only)."""
    gpd = _geopandas()
    if geometry == "point":
        shapes = gpd.points_from_xy(frame["lon"], frame["lat"])
    elif geometry == "contour":
        from shapely.geometry import shape  # type: ignore[import-untyped,unused-ignore]

        contours = _native.commune_contours()
        if not set(frame["origin"]) & set(contours):
            raise ValueError("contours are those of Normandy's communes: use geometry='point' for other origins")
        # An origin without a published contour (one commune of Normandy) has no geometry.
        cache: Dict[str, Any] = {}
        for origin in frame["origin"]:
            if origin not in cache:
                cache[origin] = shape(contours[origin]) if origin in contours else None
        shapes = [cache[o] for o in frame["origin"]]
    else:
        raise ValueError(f"geometry must be 'point' or 'contour', not {geometry!r}")
    out = gpd.GeoDataFrame(frame, geometry=shapes, crs="EPSG:4326")
    out.attrs.update(frame.attrs)
    return out


def white_zones(native: Any, req: _Json, as_geo: bool) -> Any:
    zones = native.white_zones(req)
    if not as_geo:
        return zones
    gpd = _geopandas()
    from shapely.geometry import shape  # type: ignore[import-untyped,unused-ignore]

    rows = [
        {
            "sector": z["sector"],
            "sector_label": next((s["label"] for s in zones["sectors"] if s["code"] == z["sector"]), ""),
            "radius_km": z["radius_km"],
            "area_km2": z["area_km2"],
            "share": z["share"],
            "geometry": shape(z["contour"]) if z.get("contour") else None,
        }
        for z in zones["zones"]
    ]
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    out.attrs["territory_km2"] = zones["territory_km2"]
    return out


def supply_demand(native: Any, req: _Json, as_frame: bool) -> Any:
    result = native.supply_demand(req)
    if not as_frame:
        return result
    pd = _pandas()
    nan = float("nan")
    schools = pd.DataFrame(
        [dict(s, ips=nan if s.get("ips") is None else s["ips"], ratio=nan if s.get("ratio") is None else s["ratio"]) for s in result["schools"]]
    )
    groups = pd.DataFrame(result["groups"])
    return {"schools": schools, "groups": groups}


_ENGINES: Dict[str, Any] = {}


class CoverageMap:
    """Coverage of a partition of origin points, as a function of one DataFrame: usable as is by
    ``dask.dataframe.map_partitions`` (``meta=mapper.meta()``) and, through
    :meth:`map_in_pandas`, by Spark's ``mapInPandas``. A partition has the columns ``id``,
    ``lat``, ``lon`` and optionally ``name`` and ``weight``; the result is the coverage frame of
    those points (:data:`COVERAGE_COLUMNS`).

    The engine travels as its snapshot (``Engine.snapshot``) and each worker process restores it
    once, on its first partition; later partitions reuse it.

    >>> mapper = CoverageMap(metiers.Engine.normandy(), radius=15, sector="H")  # doctest: +SKIP
    >>> ddf.map_partitions(mapper, meta=mapper.meta()).compute()                # doctest: +SKIP
    """

    def __init__(self, engine: Any, request: Optional[Mapping[str, Any]] = None, **fields: Any) -> None:
        req = make_request(request, fields)
        for key in ("origins", "points", "schools", "school_kind"):
            if key in req:
                raise ValueError(f"{key!r} is set by the partitions: give the other coverage fields")
        self._request = req
        self._snapshot: bytes = engine.snapshot()
        self._key = hashlib.sha256(self._snapshot).hexdigest()

    def engine(self) -> Any:
        """This process's engine, restored from the snapshot on first use."""
        engine = _ENGINES.get(self._key)
        if engine is None:
            from . import Engine

            engine = Engine.restore(self._snapshot)
            _ENGINES[self._key] = engine
        return engine

    def meta(self) -> "pandas.DataFrame":
        """An empty frame with the result's columns and dtypes (Dask's ``meta``)."""
        return coverage_frame()

    def __call__(self, partition: "pandas.DataFrame") -> "pandas.DataFrame":
        if len(partition) == 0:
            return self.meta()
        points = _records(partition[[c for c in ("id", "name", "lat", "lon", "weight") if c in partition.columns]])
        for p in points:
            p["id"] = str(p["id"])
            if "weight" in p:
                p["weight"] = int(p["weight"])
        req = dict(self._request, origins="points", points=points)
        frame: "pandas.DataFrame" = coverage(self.engine()._native, req, True, False, "point")
        frame.attrs.clear()
        return frame

    def map_in_pandas(self, frames: Iterable["pandas.DataFrame"]) -> Iterator["pandas.DataFrame"]:
        """For Spark's ``mapInPandas``: each incoming frame's coverage."""
        for frame in frames:
            yield self(frame)


__all__ = ["COVERAGE_COLUMNS", "CoverageMap", "coverage_frame", "geo_frame", "make_request"]
