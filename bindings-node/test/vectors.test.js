'use strict'
// The shared vectors of tests/vectors/engine.json (runner shared with the browser package).
const test = require('node:test')
const assert = require('node:assert/strict')
const { register, registerBad, registerScenarios, registerJsValues, registerBytes } = require('../../tests/vectors/runner.js')
const { Engine, MetiersError } = require('..')

register(test, assert, Engine.normandy(), 'node', (e) => e instanceof MetiersError)
registerBad(test, assert, Engine.normandy(), () => Engine.empty(), 'node', (e) => e instanceof MetiersError)
registerScenarios(test, assert, (kind) => kind === 'normandy' ? Engine.normandy() : Engine.empty(), (e) => Engine.restore(e.snapshot()), 'node', (e) => e instanceof MetiersError)
registerJsValues(test, assert, Engine.normandy(), 'node', (e) => e instanceof MetiersError)
registerBytes(test, assert, Engine, 'node', (e) => e instanceof MetiersError)
