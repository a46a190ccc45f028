'use strict'
// The shared vectors of tests/vectors/engine.json on the WebAssembly build (nodejs target).
const test = require('node:test')
const assert = require('node:assert/strict')
const { register } = require('../../tests/vectors/runner.js')
const { Engine } = require('../pkg-node/metiers_web.js')

register(test, assert, Engine.normandy(), 'wasm', (e) => e instanceof Error && e.name === 'MetiersError')

test('a wrong JS type is invalid_input, and data errors carry their line', () => {
  const engine = Engine.normandy()
  for (const bad of [42, 'Caen', [1], { near: 5 }, { nearr: 'Caen' }]) {
    assert.throws(() => engine.searchStages(bad), (e) => e.name === 'MetiersError' && e.code === 'invalid_input')
  }
  const empty = Engine.empty()
  const doc = JSON.stringify({ stages: [{ id: 's', company: 'nobody', kind: 'mini_stage', metiers: ['H2903'], periods: [{ start: '2026-10-19', end: '2026-10-21' }], places_total: 1 }] })
  assert.throws(() => empty.loadJson(doc, 'x.json'), (e) => e.code === 'data_error' && e.errors[0].line === 1 && e.errors[0].field === 'stages[0].company')
})
