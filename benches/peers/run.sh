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
