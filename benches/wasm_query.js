'use strict'
// One stage search of the browser module in a steady loop, from Node (the module built for
// Node): 3,000 calls to warm up, then the mean of 20,000. A folder of another build may be
// given, to compare two builds alternated (README, "Untrusted input": the reader of JS objects):
//
//   bash bindings-js/build.sh && node benches/wasm_query.js [path/to/pkg-node]
const path = require('node:path')

const dir = process.argv[2] || path.join(__dirname, '..', 'bindings-js', 'pkg-node')
const { Engine } = require(path.resolve(dir, 'metiers_web.js'))
const engine = Engine.normandy()
const query = { near: 'Flers', radius_km: 30, interests: ['12'], limit: 20 }
for (let i = 0; i < 3000; i++) engine.searchStages(query)
const calls = 20000
const start = process.hrtime.bigint()
for (let i = 0; i < calls; i++) engine.searchStages(query)
const micros = Number(process.hrtime.bigint() - start) / calls / 1000
console.log(`searchStages (${dir}): ${micros.toFixed(1)} µs a call, mean of ${calls}`)
