"""The best Python option from BENCHMARKS.md (scipy cKDTree + numpy) answering the same query as
the `france_500k_stages/stages_30km` criterion benchmark, on the same 500,000 stages, with the
same formula (docs/ranking.md): interest from the centre d'intérêt links, Gaussian distance decay,
blend, rounding, order by score, distance, id. It first checks it returns the engine's exact
answer, then times the query (the tree is built once, like the engine's index).

Usage: python scipy_rank.py DATA_DIR   (DATA_DIR written by export-peer-data)
Prints one JSON line: {"peer": ..., "median_ms": ..., "matches_engine": true}.
"""

import csv
import json
import math
import statistics
import sys
import time

import numpy as np
from scipy.spatial import cKDTree

R = 6371.0088


def load(data_dir):
    ids, lat, lon, places, m1, m2 = [], [], [], [], [], []
    codes = {}
    with open(f"{data_dir}/stages.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            ids.append(row["id"])
            lat.append(float(row["lat"]))
            lon.append(float(row["lon"]))
            places.append(int(row["places_left"]))
            ms = row["metiers"].split(";")
            m1.append(codes.setdefault(ms[0], len(codes)))
            m2.append(codes.setdefault(ms[1], len(codes)) if len(ms) > 1 else -1)
    links = []
    with open(f"{data_dir}/interest.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            links.append((row["code"], row["principal"] == "1"))
    with open(f"{data_dir}/query.json", encoding="utf-8") as f:
        query = json.load(f)
    return (np.array(ids), np.radians(lat), np.radians(lon), np.array(places),
            np.array(m1), np.array(m2), codes, links, query)


def unit_vectors(lat, lon):
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def search(tree, ids, lat, lon, places, m1, m2, codes, links, q):
    radius = q["radius_km"]
    olat, olon = math.radians(q["origin"]["lat"]), math.radians(q["origin"]["lon"])
    # Interest per métier for this query, then per stage (best of its métiers).
    by_metier = np.zeros(len(codes) + 1)
    for code, principal in links:
        if code in codes:
            score = q["interest_scores"]["principal" if principal else "other"]
            by_metier[codes[code]] = max(by_metier[codes[code]], score)
    chord = 2 * math.sin(radius / (2 * R))
    cand = np.array(tree.query_ball_point(unit_vectors(np.array([olat]), np.array([olon]))[0], chord * (1 + 1e-9)), dtype=np.int64)
    cand = cand[places[cand] > 0]
    interest = np.maximum(by_metier[m1[cand]], np.where(m2[cand] >= 0, by_metier[m2[cand]], 0.0))
    keep = interest > 0
    cand, interest = cand[keep], interest[keep]
    dlat, dlon = lat[cand] - olat, lon[cand] - olon
    h = np.sin(dlat / 2) ** 2 + math.cos(olat) * np.cos(lat[cand]) * np.sin(dlon / 2) ** 2
    d = 2 * R * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
    inside = d <= radius
    cand, interest, d = cand[inside], interest[inside], d[inside]
    w = q["weights"]
    decay = np.exp(-math.log(2) * (d / radius) ** 2)
    score = np.round((w["interest"] * interest + w["distance"] * decay) / (w["interest"] + w["distance"]), 4)
    order = np.lexsort((ids[cand], d, -score))[: q["limit"]]
    return len(cand), list(ids[cand][order]), list(score[order])


def main():
    data = load(sys.argv[1])
    ids, lat, lon, places, m1, m2, codes, links, q = data
    tree = cKDTree(unit_vectors(lat, lon))
    total, top, scores = search(tree, ids, lat, lon, places, m1, m2, codes, links, q)
    matches = total == q["total"] and top == q["ids"]
    times = []
    for _ in range(200):
        t = time.perf_counter()
        search(tree, ids, lat, lon, places, m1, m2, codes, links, q)
        times.append(time.perf_counter() - t)
    print(json.dumps({
        "peer": "scipy cKDTree + numpy",
        "median_ms": round(statistics.median(times) * 1000, 3),
        "matches_engine": matches,
        "total": total,
        "engine_total": q["total"],
    }))
    if not matches:
        print(f"peer answer differs: {top[:5]} vs {q['ids'][:5]}", file=sys.stderr)


if __name__ == "__main__":
    main()
