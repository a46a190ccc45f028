'use strict'
// metiers itself from Node.js: the same 500,000 stages (the catalogue export-peer-data wrote,
// loaded with `loadFile`), the same query as the `france_500k_stages/stages_30km` criterion
// benchmark, the page as JS objects. It first checks it returns the engine's exact answer
// (total, top ids and scores in query.json), then times the query; the search index is built by
// that first query, as the engine's is before criterion times it.
//
//   node benches/peers/metiers_node.js DATA_DIR   (written by export-peer-data; the addon built
//   as `bash scripts/test` builds it)
//
// Prints one JSON line: {"peer": ..., "median_ms": ..., "matches_engine": true}.
const fs = require('node:fs')
const path = require('node:path')
const { Engine } = require(path.join(__dirname, '..', '..', 'bindings-node'))

const data = process.argv[2]
const q = JSON.parse(fs.readFileSync(path.join(data, 'query.json'), 'utf8'))
const engine = Engine.empty('france')
engine.loadFile(path.join(data, 'catalog.json'))
const query = { near: q.place, radius_km: q.radius_km, interests: [q.interest] }
const page = engine.searchStages(query)
const ids = page.matches.map((m) => m.id)
const scores = page.matches.map((m) => m.score)
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i])
const matches = page.total === q.total && same(ids, q.ids) && same(scores, q.scores)
const times = []
for (let i = 0; i < 1000; i++) {
  const t = process.hrtime.bigint()
  engine.searchStages(query)
  times.push(Number(process.hrtime.bigint() - t) / 1e6)
}
times.sort((a, b) => a - b)
console.log(JSON.stringify({
  peer: 'metiers from Node.js (the page as objects)',
  median_ms: Math.round(times[times.length >> 1] * 1000) / 1000,
  matches_engine: matches,
  total: page.total,
  engine_total: q.total
}))
if (!matches) console.error(`Node answer differs: ${ids.slice(0, 5)} vs ${q.ids.slice(0, 5)}`)
