#!/usr/bin/env bash
# Side by side, in one run: metiers against scipy cKDTree + numpy (the best Python option in
# ../shared/BENCHMARKS.md) on the same 500,000 stages and the same query, with the same answer.
# Needs network access to PyPI the first time (numpy, scipy in target/peer-venv).
set -euo pipefail
cd "$(dirname "$0")/../.."
data=target/peer-data
cargo run -q --release -p metiers-benches --bin export-peer-data -- "$data"
if [ ! -x target/peer-venv/bin/python ]; then
  python3 -m venv target/peer-venv
  target/peer-venv/bin/pip install -q numpy scipy
fi
peer=$(target/peer-venv/bin/python benches/peers/scipy_rank.py "$data")
cargo bench -q -p metiers --bench rank -- --warm-up-time 1 --measurement-time 5 \
  --exact france_500k_stages/stages_30km >/dev/null
ours=target/criterion/france_500k_stages/stages_30km/new/estimates.json
python3 - "$peer" "$ours" <<'PY'
import json, sys
peer = json.loads(sys.argv[1])
ours = json.load(open(sys.argv[2]))["median"]["point_estimate"] / 1e6
same = "same answer" if peer["matches_engine"] else "DIFFERENT answer"
print(f"30 km around Caen, 500,000 stages, top 20 of {peer['total']} ({same}):")
print(f"  metiers                 {ours:8.3f} ms")
print(f"  {peer['peer']:<23} {peer['median_ms']:8.3f} ms   ({peer['median_ms'] / ours:.1f}x slower)")
PY

# Placement: the Python peers on one instance (benches/peers/placement.py, with metiers's
# Python package from .venv: run `bash scripts/setup` first), then the native engine on the same
# instance (criterion assign/engine_40k reads it) and the mechanism alone (assign/market_40k).
placement=target/peer-data/placement
peer=$(.venv/bin/python benches/peers/placement.py "$placement")
METIERS_PLACEMENT_DIR="$PWD/$placement" cargo bench -q -p metiers --bench assign -- \
  --warm-up-time 1 --measurement-time 5 "engine_40k|market_40k" >/dev/null
python3 - "$peer" target/criterion/assign <<'PY'
import json, sys
p = json.loads(sys.argv[1])
ms = lambda name: json.load(open(f"{sys.argv[2]}/{name}/new/estimates.json"))["median"]["point_estimate"] / 1e6
engine, market = ms("engine_40k"), ms("market_40k")
ok = lambda b: "same placement" if b else "DIFFERENT placement"
print(f"\nPlacement, {p['pupils']:,} pupils x 5 wishes over {p['stages']:,} stages ({p['places']:,} places, {p['placed']:,} placed):")
print(f"  metiers, deferred acceptance alone (native)   {market:9.1f} ms")
print(f"  metiers, placement + certificates (native)    {engine:9.1f} ms")
print(f"  metiers, the same from Python (dicts)         {p['metiers_python_ms']:9.1f} ms")
print(f"  plain Python deferred acceptance (no report)  {p['plain_python_ms']:9.1f} ms   ({ok(p['same_plain'])}; {p['plain_python_ms'] / market:.0f}x the native mechanism)")
print(f"  PyPI matching, first {p['matching_pupils']:,} pupils              {p['matching_ms']:9.1f} ms   ({ok(p['same_matching'])}; metiers from Python on them: {p['metiers_python_sub_ms']:.1f} ms, {p['matching_ms'] / p['metiers_python_sub_ms']:.0f}x faster)")
PY
