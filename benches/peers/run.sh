#!/usr/bin/env bash
# Side by side, in one run: metiers natively, from Python and from Node.js, against scipy
# cKDTree + numpy (the best Python option in ../shared/BENCHMARKS.md) and PostGIS (a private
# cluster of Debian's packages) on the same 500,000 stages and the same query, with the same
# answer checked; then the placement, the coverage and the browser's as-you-type search against
# their own peers.
# Needs network access to PyPI the first time (numpy, scipy, psycopg in target/peer-venv), and
# to Debian's mirror when postgresql or postgis are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
data=target/peer-data
cargo run -q --release -p metiers-benches --bin export-peer-data -- "$data"
if [ ! -x target/peer-venv/bin/python ]; then
  python3 -m venv target/peer-venv
  target/peer-venv/bin/pip install -q numpy scipy
fi
peer=$(target/peer-venv/bin/python benches/peers/scipy_rank.py "$data")

# PostGIS: Debian's postgresql and postgis packages (installed here when missing), a private
# cluster in target/pg listening on a unix socket only, the same stages loaded with COPY.
postgis='{"peer": "PostGIS", "median_ms": null, "matches_engine": false, "total": 0, "skipped": "not installed"}'
if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
      --no-install-recommends postgresql postgresql-postgis; } >/dev/null 2>&1 \
    || echo "PostGIS: cannot install Debian's postgresql and postgresql-postgis packages; its row is skipped" >&2
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -n "$pgbin" ] && ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
  target/peer-venv/bin/python -c "import psycopg" 2>/dev/null || target/peer-venv/bin/pip install -q "psycopg[binary]"
  pg=$PWD/target/pg
  as=()  # the server refuses to run as root: then it runs as Debian's postgres user
  [ "$(id -u)" -ne 0 ] || as=(runuser -u postgres --)
  rm -rf "$pg" && mkdir -p "$pg/socket"
  [ "$(id -u)" -ne 0 ] || chown -R postgres "$pg"
  "${as[@]}" "$pgbin/initdb" -D "$pg/data" -A trust -U "$(id -un)" >/dev/null
  "${as[@]}" "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/log" -w \
    -o "-c listen_addresses='' -k $pg/socket -p 5433 -c shared_buffers=256MB -c jit=off" start >/dev/null
  trap '"${as[@]}" "$pgbin/pg_ctl" -D "$pg/data" -m fast stop >/dev/null 2>&1 || true' EXIT
  postgis=$(target/peer-venv/bin/python benches/peers/postgis_rank.py "$data" "$pg/socket" 5433)
fi

# metiers itself from Python and from Node.js: the package and the addon built from this
# checkout (into .venv, made by `bash scripts/setup`, and bindings-node), the same catalogue
# loaded from the JSON document export-peer-data wrote, the same answer checked.
echo "peers: building metiers's Python package and Node.js addon (release)" >&2
(cd bindings-python && VIRTUAL_ENV="$PWD/../.venv" ../.venv/bin/maturin develop --release --locked -q)
(cd bindings-node && npx napi build --platform --release --js native.js --dts native.d.ts >/dev/null)
from_python=$(.venv/bin/python benches/peers/metiers_python.py "$data")
from_node=$(node benches/peers/metiers_node.js "$data")

cargo bench -q -p metiers --features france --bench rank -- --warm-up-time 1 --measurement-time 5 \
  --exact france_500k_stages/stages_30km >/dev/null
ours=target/criterion/france_500k_stages/stages_30km/new/estimates.json
python3 - "$ours" "$from_python" "$from_node" "$peer" "$postgis" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))["median"]["point_estimate"] / 1e6
peers = [json.loads(p) for p in sys.argv[2:]]
print(f"30 km around Caen, 500,000 stages, top 20 of {peers[0]['total']}:")
print(f"  {'metiers (natively)':<42} {ours:8.3f} ms")
for p in peers:
    if p["median_ms"] is None:
        print(f"  {p['peer']:<42} skipped ({p['skipped']})")
        continue
    same = "same answer" if p["matches_engine"] else "DIFFERENT answer"
    print(f"  {p['peer']:<42} {p['median_ms']:8.3f} ms   ({p['median_ms'] / ours:.1f}x the native time; {same})")
PY

# Placement: the Python peers on one instance (benches/peers/placement.py, with metiers's
# Python package from .venv: run `bash scripts/setup` first; the package is built into it here
# when it is not there yet), then the native engine on the same instance (criterion
# assign/engine_40k reads it) and the mechanism alone (assign/market_40k).
placement=target/peer-data/placement
if ! .venv/bin/python -c "import metiers" 2>/dev/null; then
  echo "peers: building metiers's Python package into .venv (maturin develop --release)"
  (cd bindings-python && VIRTUAL_ENV="$PWD/../.venv" ../.venv/bin/maturin develop --release --locked -q)
fi
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

# Coverage: every commune of France x 14 grands domaines, stages within 30 km (the 500,000 stages
# above); scipy cKDTree per sector and geopandas sjoin(dwithin) on Normandy's communes, each
# checked against the engine's counts; then the engine (criterion analytics_france_500k_stages).
if ! target/peer-venv/bin/python -c "import pandas, geopandas" 2>/dev/null; then
  target/peer-venv/bin/pip install -q pandas geopandas
fi
peer=$(target/peer-venv/bin/python benches/peers/coverage.py "$data")
cargo bench -q -p metiers --features france --bench analytics -- --warm-up-time 1 --measurement-time 5 \
  "analytics_france_500k_stages|coverage_communes_14x3" >/dev/null
python3 - "$peer" target/criterion <<'PY'
import json, sys
p = json.loads(sys.argv[1])
ms = lambda g, n: json.load(open(f"{sys.argv[2]}/{g}/{n}/new/estimates.json"))["median"]["point_estimate"] / 1e6
france = ms("analytics_france_500k_stages", "coverage_communes_14_sectors_30km")
normandy = ms("analytics_normandy", "coverage_communes_14x3")
print(f"\nCoverage, {p['communes']:,} communes x {p['sectors']} grands domaines, {p['stages']:,} stages, 30 km:")
print(f"  metiers (2 threads, every count, places, companies, ambassadors, nearest)  {france:9.1f} ms")
print(f"  scipy cKDTree per sector, 2 workers (stage counts only)                  {p['scipy_ms']:9.1f} ms   ({p['scipy_agree']:,} of {p['cells']:,} counts the same)")
if p.get("geopandas_ms") is not None:
    print(f"  geopandas sjoin(dwithin) + groupby, Normandy's {p['geopandas_communes']:,} communes only       {p['geopandas_ms']:9.1f} ms   ({p['geopandas_agree']:,} of {p['geopandas_cells']:,} counts the same)")
print(f"  metiers on the Normandy default, 2,651 communes x 14 sectors x 3 radii       {normandy:9.1f} ms")
PY

# As you type: the browser module's job-title search against MiniSearch and FlexSearch
# (benches/peers/title_search.mjs), on the module as bindings-js/build.sh builds it.
if [ -f bindings-js/pkg-node/metiers_web.js ]; then
  (cd benches/peers/js && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  echo
  node benches/peers/title_search.mjs
else
  echo "As you type: skipped (build the browser module first: bash bindings-js/build.sh)" >&2
fi
