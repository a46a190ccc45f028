"""One search through each binding, against the same search natively: what handing a result to
Python (dicts, a pandas frame, a batch as one frame) and to Node costs on top of the ranking.

    python3 benches/bindings.py [CALLS]

The query is the native criterion benchmark's (`--bench rank`, `stages_flers_30km_interest`:
Flers, 30 km, an interest): six stages with their reasons. Needs the packages built as
`bash scripts/test` builds them (`.venv` with pandas, `bindings-node`); the Node row is skipped,
saying so, when the addon is not built. One run on a shared machine: compare rows of one run.
"""

import json
import os
import subprocess
import sys
import timeit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
NODE_PACKAGE = os.path.join(ROOT, "bindings-node")
QUERY = {"near": "Flers", "radius_km": 30, "interests": ["J'aime le travail manuel"]}
COMMUNES = ["Caen", "Rouen", "Flers", "Lisieux", "Évreux", "Alençon", "Dieppe", "Bayeux"]

PY = r"""
import json, sys, time, timeit
import marshal
import metiers, pandas as pd
calls, query, communes = int(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
def walk(o):
    yield o
    for v in (o.values() if isinstance(o, dict) else o if isinstance(o, list) else ()):
        yield from walk(v)
e = metiers.Engine.normandy()
def per_call(f, n):
    f()
    return min(timeit.repeat(f, number=n, repeat=3)) / n * 1e6
page = e.search_stages(**query)
rows = {
    "dicts": per_call(lambda: e.search_stages(**query), calls),
    "frame": per_call(lambda: e.search_stages(**query, as_frame=True), max(calls // 20, 50)),
}
# CPython's fastest way to build the same dicts, lists, str and floats (C, no Python code):
# the floor of any binding that returns the page as dicts, on top of the search itself.
packed = marshal.dumps(page)
rows["dicts_floor"] = per_call(lambda: marshal.loads(packed), calls)
rows["objects"] = marshal.loads(packed) == page and sum(1 for _ in walk(page))
frame = e.search_stages(**query, as_frame=True)
columns = {c: frame[c].tolist() for c in frame.columns}
rows["pandas_floor"] = per_call(lambda: pd.DataFrame(columns), max(calls // 20, 50))
# pandas' own floor: the frame made from its blocks already built (pandas 3's
# create_dataframe_from_blocks, which as_frame uses; no column converted, no type inferred).
make = getattr(getattr(pd.api, "internals", None), "create_dataframe_from_blocks", None)
if make is not None:
    blocks = [(b.values, b.mgr_locs.as_array) for b in frame._mgr.blocks]
    labels = frame.columns
    rows["blocks_floor"] = per_call(lambda: make(blocks, index=pd.RangeIndex(len(frame)), columns=labels), calls // 10)
# The steps of as_frame: the search and the frame's columns by dtype, natively (names beside
# ids), then the frame from them (absent from builds before the native frames).
if hasattr(e._native, "search_stages_frame"):
    from metiers import _frames
    wanted = _frames.blocks_wanted(pd)
    rows["columns_step"] = per_call(lambda: e._native.search_stages_frame(query, wanted is not None), calls // 10)
    made = e._native.search_stages_frame(query, wanted is not None)[1]
    rows["frame_step"] = per_call(lambda: _frames.from_parts(pd, made, wanted), max(calls // 20, 50))
# A page of 20 stages (Caen, 30 km, the same interest, limit 20), as dicts and as a frame.
twenty = dict(query, near="Caen", limit=20)
rows["twenty"] = len(e.search_stages(**twenty)["matches"])
rows["twenty_dicts"] = per_call(lambda: e.search_stages(**twenty), calls // 4)
rows["twenty_frame"] = per_call(lambda: e.search_stages(**twenty, as_frame=True), max(calls // 40, 50))
batch = [dict(query, near=communes[i % len(communes)]) for i in range(2650)]
t = time.perf_counter(); e.search_stages_batch(batch); rows["batch_dicts_s"] = time.perf_counter() - t
t = time.perf_counter(); e.search_stages_batch(batch, as_frame=True); rows["batch_frame_s"] = time.perf_counter() - t
# Five batches in a row, their pages kept (as a notebook keeps them), a few thousand dicts made
# after each, then a full collection: every garbage collection the batches cause is counted,
# those a batch leaves for later too (metiers builds a result with the collector paused).
import gc
gc.collect()
t = time.perf_counter()
kept = []
for _ in range(5):
    kept.append(e.search_stages_batch(batch))
    after = [{} for _ in range(5000)]
gc.collect()
rows["five_batches_s"] = time.perf_counter() - t
del kept, after
rows["matches"], rows["columns"] = len(page["matches"]), len(frame.columns)
print(json.dumps(rows))
"""

JS = r"""
const { Engine } = require(process.argv[1])
const calls = Number(process.argv[2]), query = JSON.parse(process.argv[3])
const e = Engine.normandy()
let best = Infinity
for (let r = 0; r < 3; r++) {
  const t = process.hrtime.bigint()
  for (let i = 0; i < calls; i++) e.searchStages(query)
  best = Math.min(best, Number(process.hrtime.bigint() - t) / calls / 1000)
}
const communes = JSON.parse(process.argv[4])
const batch = Array.from({ length: 2650 }, (_, i) => ({ ...query, near: communes[i % communes.length] }))
let batchBest = Infinity
for (let r = 0; r < 3; r++) {
  const t = process.hrtime.bigint()
  e.searchStagesBatch(batch)
  batchBest = Math.min(batchBest, Number(process.hrtime.bigint() - t) / 1e9)
}
console.log(JSON.stringify({ node: best, batch: batchBest }))
"""


def main():
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    if not os.path.exists(PYTHON):
        raise SystemExit("build the Python package first: bash scripts/test (it makes .venv)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = subprocess.run(
        [PYTHON, "-c", PY, str(calls), json.dumps(QUERY), json.dumps(COMMUNES)],
        capture_output=True, text=True, check=True, cwd=ROOT, env=env,
    )
    py = json.loads(out.stdout)
    print(f"Flers, 30 km, an interest: {py['matches']} stages; best of 3 runs of {calls:,} calls")
    print("| binding | per search |")
    print("| --- | --- |")
    print(f"| Python, the page as dicts | {py['dicts']:.1f} µs |")
    print(
        f"| CPython alone: the same page's {py['objects']} values (keys apart) built by "
        f"`marshal.loads` | {py['dicts_floor']:.1f} µs |"
    )
    print(f"| Python, `as_frame=True` ({py['columns']} columns) | {py['frame']:.0f} µs |")
    if "columns_step" in py:
        print(f"| its first step: the search and the frame's columns by dtype, natively (`_native.Engine.search_stages_frame`, names beside ids) | {py['columns_step']:.0f} µs |")
        print(f"| its second step: the frame from those columns (`metiers._frames.from_parts`) | {py['frame_step']:.0f} µs |")
    print(f"| pandas alone: `DataFrame` of those columns from lists | {py['pandas_floor']:.0f} µs |")
    if "blocks_floor" in py:
        print(f"| pandas alone: the same frame from its blocks, already built | {py['blocks_floor']:.0f} µs |")
    print(
        f"| a page of {py['twenty']} (Caen, 30 km, `limit=20`): as dicts, as a frame | "
        f"{py['twenty_dicts']:.0f} µs, {py['twenty_frame']:.0f} µs ({py['twenty_frame'] / py['twenty_dicts']:.1f}x) |"
    )
    node_rows = None
    if os.path.exists(os.path.join(NODE_PACKAGE, "native.js")) and any(
        f.endswith(".node") for f in os.listdir(NODE_PACKAGE)
    ):
        node = subprocess.run(
            ["node", "-e", JS, NODE_PACKAGE, str(calls), json.dumps(QUERY), json.dumps(COMMUNES)],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )
        node_rows = json.loads(node.stdout)
        print(f"| Node, `engine.searchStages` | {node_rows['node']:.1f} µs |")
    else:
        print("| Node | skipped: build the addon first (bash scripts/test) |")
    ratio = py["batch_frame_s"] / py["batch_dicts_s"]
    print(
        f"\n2,650 searches in a batch: {py['batch_dicts_s']:.2f} s as dicts, "
        f"{py['batch_frame_s']:.2f} s as one frame ({ratio:.1f}x); five such batches kept, "
        f"{py['five_batches_s']:.2f} s"
        + (f"; from Node (`searchStagesBatch`), {node_rows['batch']:.2f} s" if node_rows else "")
    )


if __name__ == "__main__":
    sys.exit(main())
