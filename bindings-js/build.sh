#!/usr/bin/env bash
# Builds the browser package: the wasm profile, then wasm-bindgen for browsers (ES module,
# pkg-web/) and for Node (pkg-node/, used by the tests). Prints the gzipped download size.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p metiers-web --target wasm32-unknown-unknown --profile wasm --locked
wasm=target/wasm32-unknown-unknown/wasm/metiers_web.wasm
wasm-bindgen --target web --out-dir bindings-js/pkg-web "$wasm"
wasm-bindgen --target nodejs --out-dir bindings-js/pkg-node "$wasm"
size() { gzip -9 -c "$1" | wc -c; }
w=$(size bindings-js/pkg-web/metiers_web_bg.wasm)
j=$(size bindings-js/pkg-web/metiers_web.js)
echo "metiers-web: wasm $((w / 1024)) KiB + JS glue $((j / 1024)) KiB gzipped = $(((w + j) / 1024)) KiB"
