"""metiers itself from Python: the same 500,000 stages (the catalogue export-peer-data wrote,
loaded with `Engine.load`), the same query as the `france_500k_stages/stages_30km` criterion
benchmark, the page as dicts. It first checks it returns the engine's exact answer (total, top
ids and scores in query.json), then times the query; the search index is built by that first
query, as the engine's is before criterion times it.

Usage: .venv/bin/python benches/peers/metiers_python.py DATA_DIR   (written by export-peer-data)
Prints one JSON line: {"peer": ..., "median_ms": ..., "matches_engine": true}.
"""

import json
import statistics
import sys
import time

import metiers


def main():
    data = sys.argv[1]
    with open(f"{data}/query.json", encoding="utf-8") as f:
        q = json.load(f)
    engine = metiers.Engine.empty("france")
    engine.load(f"{data}/catalog.json")
    query = {"near": q["place"], "radius_km": q["radius_km"], "interests": [q["interest"]]}
    page = engine.search_stages(query)
    ids = [m["id"] for m in page["matches"]]
    scores = [m["score"] for m in page["matches"]]
    matches = page["total"] == q["total"] and ids == q["ids"] and scores == q["scores"]
    times = []
    for _ in range(1000):
        t = time.perf_counter()
        engine.search_stages(query)
        times.append(time.perf_counter() - t)
    print(json.dumps({
        "peer": "metiers from Python (the page as dicts)",
        "median_ms": round(statistics.median(times) * 1000, 3),
        "matches_engine": matches,
        "total": page["total"],
        "engine_total": q["total"],
    }))
    if not matches:
        print(f"Python answer differs: {ids[:5]} vs {q['ids'][:5]}", file=sys.stderr)


if __name__ == "__main__":
    main()
