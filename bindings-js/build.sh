#!/usr/bin/env bash
# Builds the browser package: the wasm profile, wasm-bindgen for browsers (ES module, pkg-web/)
# and for Node (pkg-node/, used by the tests), then wasm-opt -Oz (npm binaryen) on both.
# Prints the gzipped download and fails when it exceeds the budget below.
set -euo pipefail
cd "$(dirname "$0")/.."
# Gzipped wasm + JS glue, in KiB. Raise it only on purpose, and say why in the commit.
BUDGET_KIB=1100
cargo build -q -p metiers-web --target wasm32-unknown-unknown --profile wasm --locked
wasm=target/wasm32-unknown-unknown/wasm/metiers_web.wasm
wasm-bindgen --target web --out-dir bindings-js/pkg-web "$wasm"
wasm-bindgen --target nodejs --out-dir bindings-js/pkg-node "$wasm"
for dir in pkg-web pkg-node; do
  # No --all-features: Node 20 rejects what it enables (stringref).
  (cd bindings-js && npx --no-install wasm-opt -Oz "$dir/metiers_web_bg.wasm" -o "$dir/metiers_web_bg.wasm")
done
size() { gzip -9 -c "$1" | wc -c; }
w=$(size bindings-js/pkg-web/metiers_web_bg.wasm)
j=$(size bindings-js/pkg-web/metiers_web.js)
total=$(((w + j) / 1024))
echo "metiers-web: wasm $((w / 1024)) KiB + JS glue $((j / 1024)) KiB gzipped = ${total} KiB (budget ${BUDGET_KIB} KiB)"
if [ "$total" -gt "$BUDGET_KIB" ]; then
  echo "metiers-web is over its size budget" >&2
  exit 1
fi
