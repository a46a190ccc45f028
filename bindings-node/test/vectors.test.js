'use strict'
// The shared vectors of tests/vectors/engine.json, projected as tests/vectors/README.md says.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const fs = require('node:fs')
const { Engine, MetiersError } = require('..')

const root = path.join(__dirname, '..', '..')
const vectors = JSON.parse(fs.readFileSync(path.join(root, 'tests/vectors/engine.json'), 'utf8'))
const engine = Engine.normandy()

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
const SEARCHES = new Set(['search_stages', 'search_ambassadors', 'search_companies', 'ambassadors_for_class', 'companies_for_class'])

function project (op, r) {
  if (SEARCHES.has(op)) {
    const ms = r.matches
    return {
      total: r.total, offset: r.offset, limit: r.limit,
      ids: ms.map((m) => m.id), scores: ms.map((m) => m.score), distances_km: ms.map((m) => m.distance_km),
      reasons: ms.map((m) => m.reasons), widened: ms.map((m) => m.widened ?? null),
      next_steps: r.next_steps.map((s) => [s.label, s.total])
    }
  }
  if (op === 'metiers_near') {
    const ms = r.metiers
    return { total: r.total, codes: ms.map((m) => m.code), interest: ms.map((m) => m.interest), stages: ms.map((m) => m.stages), ambassadors: ms.map((m) => m.ambassadors) }
  }
  if (op === 'search_metiers') return { codes: r.map((h) => h.code), titles: r.map((h) => h.matched_title), scores: r.map((h) => h.score) }
  if (op === 'locate') return { codes: r.map((p) => p.code), names: r.map((p) => p.name), kinds: r.map((p) => p.kind) }
  if (op === 'distance_km') return Math.round(r * 1000) / 1000
  if (op === 'companies_with_stages_in') return { ids: r.map((c) => c.id) }
  if (op === 'metier') return { code: r.code, label: r.label }
  return r
}

function run (op, args) {
  if ('query' in args) return engine[camel(op)](args.query)
  switch (op) {
    case 'search_metiers': return engine.searchMetiers(args.text, args.limit)
    case 'locate': return engine.locate(args.text)
    case 'distance_km': return engine.distanceKm(args.from, args.to)
    case 'counters': return engine.counters()
    case 'companies_with_stages_in': return engine.companiesWithStagesIn(args.departement)
    case 'metier': return engine.metier(args.code)
  }
  throw new Error(`unknown op ${op}`)
}

for (const c of vectors.cases) {
  test(`vector: ${c.name}`, () => {
    if (c.error) {
      assert.throws(() => run(c.op, c.args), (e) => e instanceof MetiersError && e.code === c.error.code)
    } else {
      assert.deepStrictEqual(project(c.op, run(c.op, c.args)), c.expect)
    }
  })
}
