"""Placement side by side, one run, same instance: metiers from Python (the whole placement,
with each pupil's certificate and the report) against a straightforward pure-Python deferred
acceptance and PyPI's `matching` (HospitalResident, resident-optimal), the peers of
../shared/BENCHMARKS.md. 40,000 pupils x 5 distinct wishes over 10,000 stages of 1 to 7 places
(about 40,000 places), priorities by a single lottery. Every peer's placement is checked equal
to metiers's. `matching` needs minutes at this size (418 s in BENCHMARKS.md): it runs on the
first SUB pupils (default 4,000) unless MATCHING_FULL=1.

Usage: python placement.py OUT_DIR   (writes OUT_DIR/catalog.json and pupils.json for the
criterion benchmark `assign/engine_40k`, which then runs natively on the same instance)
Prints one JSON line of timings in ms.
"""

import gc
import heapq
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import metiers

PUPILS, STAGES, WISHES = 40_000, 10_000, 5
WEEK = [{"start": "2027-01-18", "end": "2027-01-22"}]
SCHOOL = "0140006F"


def instance(seed: int):
    rng = random.Random(seed)
    caps = [rng.randint(1, 7) for _ in range(STAGES)]
    wishes = [rng.sample(range(STAGES), WISHES) for _ in range(PUPILS)]
    return caps, wishes


def plain_da(prefs, rank, caps):
    """Pupil-proposing deferred acceptance: a max-heap of (rank) per stage."""
    held = {s: [] for s in range(len(caps))}
    nxt = [0] * len(prefs)
    assigned = [None] * len(prefs)
    free = list(range(len(prefs) - 1, -1, -1))
    while free:
        p = free.pop()
        if nxt[p] >= len(prefs[p]):
            continue
        s = prefs[p][nxt[p]]
        heapq.heappush(held[s], (-rank[p], p))
        assigned[p] = s
        if len(held[s]) > caps[s]:
            _, q = heapq.heappop(held[s])
            assigned[q] = None
            nxt[q] += 1
            free.append(q)
    return assigned


def timed(f, runs=3):
    """Median ms of `runs` calls, each charged with the garbage collection of what it made:
    every call starts from a full collection (not timed) and ends with a collection of the
    young objects (timed). metiers builds its result with Python's collector paused, which
    leaves that collection to whatever runs next; untimed, it fell on the next peer (the plain
    deferred acceptance took 136-161 ms after metiers instead of 67)."""
    times, out = [], None
    for _ in range(runs):
        out = None
        gc.collect()
        t = time.perf_counter()
        out = f()
        gc.collect(0)
        times.append((time.perf_counter() - t) * 1000)
    return out, statistics.median(times)


def main(out_dir: str) -> None:
    caps, wishes = instance(2027)
    e = metiers.Engine.empty()
    communes = [c["insee"] for c in e.table("communes", as_frame=False) if c["departement"] == "14"]
    catalog = {
        "companies": [{"id": f"c{i}", "name": "Entreprise (fictif)", "place": {"commune": communes[i % len(communes)]}} for i in range(STAGES)],
        "stages": [{"id": f"s{i}", "company": f"c{i}", "kind": "observation_3e", "metiers": ["H2903"], "periods": WEEK, "places_total": n} for i, n in enumerate(caps)],
    }
    pupils = [{"id": f"p{i}", "school": SCHOOL, "weeks": ["2027-W03"], "wishes": [f"s{s}" for s in w]} for i, w in enumerate(wishes)]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "catalog.json").write_text(json.dumps(catalog))
    (out / "pupils.json").write_text(json.dumps(pupils))
    e.load_json(json.dumps(catalog))
    rules = {"distance": False, "seed": 1}
    placement, ours_ms = timed(lambda: e.assign(pupils, priorities=rules, suggestions=0))
    ours = {p["pupil"]: p["stage"] for p in placement["pupils"]}
    rank = [0] * PUPILS
    for p in placement["pupils"]:
        rank[int(p["pupil"][1:])] = p["lottery"]
    assigned, plain_ms = timed(lambda: plain_da(wishes, rank, caps))
    same_plain = all(ours[f"p{i}"] == (f"s{s}" if s is not None else None) for i, s in enumerate(assigned))

    from matching.games import HospitalResident

    sys.setrecursionlimit(1_000_000)
    sub = PUPILS if os.environ.get("MATCHING_FULL") == "1" else int(os.environ.get("SUB", "4000"))
    sub_pupils = pupils[:sub]
    sub_placement = e.assign(sub_pupils, priorities=rules, suggestions=0)
    order = sorted(sub_placement["pupils"], key=lambda p: p["lottery"])
    wished = {}
    for p in sub_pupils:
        for s in p["wishes"]:
            wished.setdefault(s, []).append(p["id"])
    members = {s: set(v) for s, v in wished.items()}
    hospital_prefs = {s: [p["pupil"] for p in order if p["pupil"] in members[s]] for s in wished}
    capacities = {s: caps[int(s[1:])] for s in wished}
    t = time.perf_counter()
    game = HospitalResident.create_from_dictionaries({p["id"]: p["wishes"] for p in sub_pupils}, hospital_prefs, capacities)
    solved = game.solve(optimal="resident")
    matching_ms = (time.perf_counter() - t) * 1000
    theirs = {r.name: h.name for h, rs in solved.items() for r in rs}
    same_matching = theirs == {p["pupil"]: p["stage"] for p in sub_placement["pupils"] if p["stage"]}
    _, ours_sub_ms = timed(lambda: e.assign(sub_pupils, priorities=rules, suggestions=0))
    print(json.dumps({
        "pupils": PUPILS, "stages": STAGES, "places": sum(caps), "placed": placement["report"]["placed"],
        "metiers_python_ms": ours_ms, "plain_python_ms": plain_ms, "same_plain": same_plain,
        "matching_pupils": sub, "matching_ms": matching_ms, "metiers_python_sub_ms": ours_sub_ms,
        "same_matching": same_matching,
    }))


if __name__ == "__main__":
    main(sys.argv[1])
