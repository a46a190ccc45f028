"""Coverage peers: for every commune of France, the stages (with a place left) of each grand
domaine within 30 km, on the 500,000 stages of `export-peer-data`, as a data scientist would
compute it without metiers; each checked against the engine's own counts (coverage.csv).

- scipy cKDTree, one tree per sector on unit-sphere points (a chord of 2 sin(d/2R) is exactly a
  great-circle distance d), `query_ball_point(..., return_length=True, workers=2)`.
- geopandas `sjoin(..., predicate="dwithin")` in Lambert-93 (EPSG:2154, metres) + groupby,
  on the communes of Normandy only (France would take minutes): Lambert-93 distances differ
  from great-circle ones by up to a few tens of metres at 30 km, so counts of stages right at
  the edge differ.

Prints one JSON object: times in ms and how many counts agree.
"""

import json
import math
import sys
import time

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

R = 6371.0088
RADIUS = 30.0


def xyz(lat, lon):
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def main(data: str) -> None:
    stages = pd.read_csv(f"{data}/stages.csv", dtype={"metiers": str})
    communes = pd.read_csv(f"{data}/communes.csv", dtype={"insee": str})
    expected = pd.read_csv(f"{data}/coverage.csv", dtype={"insee": str}).set_index("insee")
    sectors = list(expected.columns)
    stages = stages[stages.places_left > 0]
    # A stage counts in each grand domaine of its métiers (first letter of the ROME code).
    letters = stages.metiers.fillna("").map(lambda m: sorted({c[0] for c in m.split(";") if c}))
    out = {"communes": len(communes), "stages": int(len(stages)), "sectors": len(sectors)}

    start = time.perf_counter()
    points = xyz(stages.lat.to_numpy(), stages.lon.to_numpy())
    origins = xyz(communes.lat.to_numpy(), communes.lon.to_numpy())
    chord = 2 * math.sin(RADIUS / (2 * R))
    counts = {}
    for s in sectors:
        mask = letters.map(lambda ls, s=s: s in ls).to_numpy()
        tree = cKDTree(points[mask])
        counts[s] = tree.query_ball_point(origins, chord, return_length=True, workers=2)
    out["scipy_ms"] = (time.perf_counter() - start) * 1000
    got = pd.DataFrame(counts, index=communes.insee)
    agree = (got.loc[expected.index, sectors].to_numpy() == expected[sectors].to_numpy())
    out["scipy_agree"] = int(agree.sum())
    out["cells"] = int(agree.size)

    try:
        import geopandas as gpd
    except ImportError:
        out["geopandas_ms"] = None
    else:
        normandy = communes[communes.insee.str[:2].isin(["14", "27", "50", "61", "76"])]
        long = stages.assign(sector=letters).explode("sector").dropna(subset=["sector"])
        start = time.perf_counter()
        g_stages = gpd.GeoDataFrame(long[["sector"]], geometry=gpd.points_from_xy(long.lon, long.lat), crs=4326).to_crs(2154)
        g_communes = gpd.GeoDataFrame(normandy[["insee"]], geometry=gpd.points_from_xy(normandy.lon, normandy.lat), crs=4326).to_crs(2154)
        joined = gpd.sjoin(g_communes, g_stages, predicate="dwithin", distance=RADIUS * 1000)
        table = joined.groupby(["insee", "sector"]).size().unstack(fill_value=0)
        out["geopandas_ms"] = (time.perf_counter() - start) * 1000
        table = table.reindex(index=normandy.insee, columns=sectors, fill_value=0)
        agree = table.to_numpy() == expected.loc[normandy.insee, sectors].to_numpy()
        out["geopandas_communes"] = len(normandy)
        out["geopandas_agree"] = int(agree.sum())
        out["geopandas_cells"] = int(agree.size)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
