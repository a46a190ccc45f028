'use strict'
// The shared vectors of tests/vectors/engine.json on the WebAssembly build (nodejs target).
const test = require('node:test')
const assert = require('node:assert/strict')
const { register, registerBad, registerScenarios, registerJsValues, registerBytes } = require('../../tests/vectors/runner.js')
const { Engine } = require('../pkg-node/metiers_web.js')

// The browser build has no commune contours: a point's place names no commune there.
register(test, assert, Engine.normandy(), 'wasm', (e) => e instanceof Error && e.name === 'MetiersError', { contours: false })
registerBad(test, assert, Engine.normandy(), () => Engine.empty(), 'wasm', (e) => e instanceof Error && e.name === 'MetiersError')
// The browser package is read-only (loads, searches, snapshots): updates, reservations and
// batches would add about 28 KiB to every school page's download, so those scenarios are
// skipped here and run in Rust, Python and Node.
registerScenarios(test, assert, (kind) => kind === 'normandy' ? Engine.normandy() : Engine.empty(), (e) => Engine.restore(e.snapshot()), 'wasm', (e) => e instanceof Error && e.name === 'MetiersError', { contours: false })
registerJsValues(test, assert, Engine.normandy(), 'wasm', (e) => e instanceof Error && e.name === 'MetiersError')
registerBytes(test, assert, Engine, 'wasm', (e) => e instanceof Error && e.name === 'MetiersError')

test('a wrong JS type is invalid_input, and data errors carry their line', () => {
  const engine = Engine.normandy()
  for (const bad of [42, 'Caen', [1], { near: 5 }, { nearr: 'Caen' }]) {
    assert.throws(() => engine.searchStages(bad), (e) => e.name === 'MetiersError' && e.code === 'invalid_input')
  }
  const empty = Engine.empty()
  const doc = JSON.stringify({ stages: [{ id: 's', company: 'nobody', kind: 'mini_stage', metiers: ['H2903'], periods: [{ start: '2026-10-19', end: '2026-10-21' }], places_total: 1 }] })
  assert.throws(() => empty.loadJson(doc, { source: 'x.json' }), (e) => e.code === 'data_error' && e.errors[0].line === 1 && e.errors[0].field === 'stages[0].company')
})

// The light build (no embedded data): the same vectors once it has the referential files and
// the sample catalogue as a site would give them, as bytes and as JSON.
const fs = require('node:fs')
const path = require('node:path')
const lite = require('../pkg-node-lite/metiers_web.js')
const data = (name) => fs.readFileSync(path.join(__dirname, '..', '..', 'core', 'data', name))

const fromData = lite.Engine.fromData(data('rome.bin'), data('normandy.bin'), 'normandy')
fromData.loadJson(Engine.normandy().exportJson(), { source: 'sample.json' })
register(test, assert, fromData, 'wasm light', (e) => e instanceof Error && e.name === 'MetiersError', { contours: false })
registerBad(test, assert, fromData, () => lite.Engine.fromData(data('rome.bin'), data('normandy.bin'), 'normandy'), 'wasm light', (e) => e instanceof Error && e.name === 'MetiersError')

test('the light build has no embedded data and refuses bytes that are not its data files', () => {
  assert.equal(lite.Engine.hasEmbeddedData(), false)
  assert.equal(Engine.hasEmbeddedData(), true)
  assert.equal(typeof lite.Engine.normandy, 'undefined')
  assert.equal(fromData.region, 'normandy')
  assert.throws(() => lite.Engine.fromData(new Uint8Array([1, 2, 3]), data('normandy.bin')),
    (e) => e.name === 'MetiersError' && e.code === 'data_error' && e.source === 'rome')
  assert.throws(() => lite.Engine.fromData(data('rome.bin'), data('normandy.bin'), 'bretagne'),
    (e) => e.code === 'invalid_input' && e.field === 'region')
})

test('neither build embeds the métiers\' texts: data/rome-texts.bin, shipped beside each, gives them', () => {
  for (const [name, engine, folder] of [['full', Engine.normandy(), 'pkg-web'], ['light', lite.Engine.fromData(data('rome.bin'), data('normandy.bin')), 'pkg-web-lite']]) {
    const shipped = fs.readFileSync(path.join(__dirname, '..', folder, 'data', 'rome-texts.bin'))
    assert.deepEqual(shipped, data('rome-texts.bin'), `${folder}/data/rome-texts.bin is the core's file`)
    const before = engine.metier('H2903')
    assert.equal(before.definition, null, name)
    assert.equal(before.acces, null, name)
    const hits = engine.searchMetiers('fraiseur')
    for (const bad of [data('rome.bin'), new Uint8Array(0), 'texts']) {
      assert.throws(() => engine.loadRomeTexts(bad), (e) => e.name === 'MetiersError' && e.code === 'data_error' && e.source === 'rome-texts', name)
    }
    assert.throws(() => engine.loadRomeTexts(42), (e) => e.code === 'invalid_input', name)
    assert.deepEqual(engine.metier('H2903'), before, `${name}: unchanged by a refused file`)
    engine.loadRomeTexts(new Uint8Array(shipped))
    const after = engine.metier('H2903')
    assert.match(after.definition[0], /^Usine et produit des pièces/, name)
    assert.ok(after.acces.length > 0, name)
    assert.deepEqual({ ...after, definition: null, acces: null }, before, name)
    assert.deepEqual(engine.searchMetiers('fraiseur'), hits, name)
    assert.equal(Engine.restore(engine.snapshot()).metier('H2903').definition[0], after.definition[0], `${name}: kept in a snapshot`)
  }
})

test('loaders take { source, mode } as in the Node package; CSV too', () => {
  const engine = Engine.empty()
  const csv = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'data', 'companies.csv'))
  const report = engine.loadCsv('companies', csv, { source: 'companies.csv' })
  assert.equal(report.source, 'companies.csv')
  assert.ok(report.companies > 0)
  const bad = 'id,name,commune\nx1,Sans commune (fictif),Atlantis\n'
  assert.throws(() => engine.loadCsv('companies', bad, { source: 'bad.csv' }),
    (e) => e.code === 'data_error' && e.errors[0].source === 'bad.csv' && e.errors[0].line === 2)
  const lenient = engine.loadCsv('companies', bad, { source: 'bad.csv', mode: 'lenient' })
  assert.equal(lenient.rejected.length, 1)
  assert.throws(() => engine.loadJson('{}', { sorce: 'typo' }), (e) => e.code === 'invalid_input' && e.field === 'sorce')
  assert.throws(() => engine.loadJson('{}', { mode: 'relaxed' }), (e) => e.code === 'invalid_input' && e.field === 'mode')
})

test('hostile input in the browser module: coded errors, and the instance survives', () => {
  const engine = Engine.normandy()
  let deep = 1
  for (let i = 0; i < 7000; i++) deep = [deep]
  assert.throws(() => engine.searchStages({ near: deep }), (e) => e.name === 'MetiersError' && e.code === 'invalid_input')
  assert.throws(() => engine.locate(deep), (e) => e.code === 'invalid_input')
  assert.ok(engine.searchStages({ near: 'Caen' }).total > 0, 'the same instance still answers')
  assert.ok(Engine.normandy().searchStages({ near: 'Caen' }).total > 0, 'and a new one')
  for (const bad of [42, null, undefined, {}, ['boulanger']]) {
    assert.throws(() => engine.searchMetiers(bad), (e) => e.code === 'invalid_input' && e.field === 'text', String(bad))
    assert.throws(() => engine.metier(bad), (e) => e.code === 'invalid_input' && e.field === 'code', String(bad))
    assert.throws(() => engine.commune(bad), (e) => e.code === 'invalid_input', String(bad))
  }
  assert.throws(() => engine.searchStages({ near: 'Caen', radius_km: NaN }), (e) => e.code === 'invalid_input' && e.field === 'radius_km')
  assert.throws(() => engine.searchMetiers('boulanger', 2.5), (e) => e.code === 'invalid_input' && e.field === 'limit')
  assert.ok(engine.searchStages({ near: 'Caen', fairness: { rotation_seed: Date.now() } }).total > 0)
})

test('a getter or a Proxy trap that throws is invalid_input naming the field, and the engine still loads', () => {
  // The caller's exception unwound through the module instead: uncoded, and it left the engine
  // borrowed, so that every later clearCatalog, load or add threw "recursive use of an object".
  const engine = Engine.normandy()
  const boom = () => { throw new Error('boom') }
  const cases = [
    [{ near: 'Caen', get radius_km () { return boom() } }, 'radius_km'],
    [{ near: { get insee () { return boom() } } }, 'near.insee'],
    [{ near: 'Caen', interests: Object.defineProperty([], 0, { get: boom, enumerable: true }) }, 'interests[0]'],
    [new Proxy({}, { ownKeys: boom }), 'query'],
    [new Proxy({ near: 'Caen' }, { get: boom }), 'near'],
    [new Proxy({}, { has: boom }), 'query'],
    [new Proxy({}, { getPrototypeOf: boom }), 'query']
  ]
  for (const [query, field] of cases) {
    assert.throws(() => engine.searchStages(query), (e) => e.name === 'MetiersError' && e.code === 'invalid_input' && e.field === field &&
      e.message.endsWith(': reading it threw a JavaScript exception'), field)
  }
  assert.throws(() => engine.locate({ get lat () { return boom() }, lon: 0 }), (e) => e.code === 'invalid_input' && e.field === 'place.lat')
  const named = [{ name: 'stages.csv', get data () { return boom() } }]
  assert.throws(() => engine.loadNamed(named), (e) => e.code === 'invalid_input' && e.field === 'files[0].data')
  assert.throws(() => engine.loadNamed(Object.defineProperty([], 0, { get: boom, enumerable: true })), (e) => e.code === 'invalid_input' && e.field === 'files[0]')
  assert.throws(() => engine.loadNamed([undefined]), (e) => e.code === 'invalid_input' && e.field === 'files[0].name')
  assert.throws(() => engine.loadJson(new Proxy({}, { getPrototypeOf: boom })), (e) => e.code === 'invalid_input')
  assert.ok(engine.searchStages({ near: 'Caen' }).total > 0, 'the engine still answers')
  engine.clearCatalog()
  assert.equal(engine.searchStages({ near: 'Caen' }).total, 0, 'and can be changed')
  // The caller's code can throw at any call, not only at the first: `instanceof` after a
  // check that passed, a Set's traps, a revoked Proxy.
  const late = (calls) => { let n = 0; return () => { if (++n > calls) throw new Error('late boom'); return Object.prototype } }
  const later = [
    () => engine.searchStages(new Proxy({ near: 'Caen' }, { getPrototypeOf: late(1) })),
    () => engine.searchStages(new Proxy(new Map([['near', 'Caen']]), { getPrototypeOf: late(1) }))
  ]
  for (const call of later) {
    assert.throws(call, (e) => e.name === 'MetiersError' && e.code === 'invalid_input' && e.message.endsWith(': reading it threw a JavaScript exception'))
  }
  // A Set behind a Proxy is a Set (tests/vectors/runner.js); a function is no data
  // (serde-wasm-bindgen read its name to word the error: the Proxy's trap).
  assert.throws(() => engine.searchStages({ near: 'Caen', interests: new Proxy(new Set(['x']), { get: boom }) }),
    (e) => e.code === 'invalid_input' && e.field === 'interests' && e.message.includes('an iterable object (a Set'))
  assert.throws(() => engine.searchStages({ near: new Proxy(() => 'Caen', { get: boom }) }),
    (e) => e.code === 'invalid_input' && e.field === 'near' && e.message.endsWith('a JS Function where data was expected'))
  const { proxy, revoke } = Proxy.revocable({ near: 'Caen' }, {})
  revoke()
  assert.throws(() => engine.searchStages(proxy), (e) => e.code === 'invalid_input' && e.field === 'query')
  assert.throws(() => engine.searchStages({ near: 'Caen', interests: proxy }), (e) => e.code === 'invalid_input' && e.field === 'interests')
  // (Bytes that are not what they say: tests/vectors/runner.js, registerBytes, shared with Node.)
  // A Proxy that throws nothing is read as the object it stands for.
  const fresh = Engine.normandy()
  class Query extends Map {}
  assert.deepEqual(fresh.searchStages(new Query([['near', 'Caen'], ['radius_km', 5]])), fresh.searchStages({ near: 'Caen', radius_km: 5 }))
  assert.deepEqual(fresh.searchStages(new Proxy({ near: 'Caen', radius_km: 5 }, {})), fresh.searchStages({ near: 'Caen', radius_km: 5 }))
})

test('any value with a throwing getter or trap somewhere is a coded error, and the engine stays usable', () => {
  // 400 seeded random queries: nested objects, arrays and Maps, one getter or Proxy trap that
  // throws somewhere in them (or none). Each answer is a page or a MetiersError, never the
  // caller's exception; then the same instance is changed and searched.
  let seed = 12345
  const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
  const boom = () => { throw new Error('boom') }
  const traps = ['get', 'ownKeys', 'has', 'getPrototypeOf', 'getOwnPropertyDescriptor']
  // A trap that throws at once, or only from its second or third call on (the reader asks some
  // things twice): the trap answers as if there were none until then.
  const bombs = [boom, 1, 2].map((after) => (trap) => {
    if (typeof after === 'function') return after
    let calls = 0
    return (...args) => { if (++calls > after) boom(); return Reflect[trap](...args) }
  })
  const trapped = (object) => {
    const trap = traps[Math.floor(random() * traps.length)]
    return new Proxy(object, { [trap]: bombs[Math.floor(random() * bombs.length)](trap) })
  }
  const value = (depth, bomb) => {
    const r = random()
    if (depth > 3 || r < 0.3) return [1, 'Caen', null, true, 2.5, undefined, new Uint8Array(1), () => 1][Math.floor(random() * 8)]
    if (r < 0.5) return Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1, bomb))
    if (r < 0.53) return new Map([['insee', value(depth + 1, bomb)]])
    if (r < 0.55) {
      const other = [new Set(['Caen']), new Map([['near', 'Caen']]), new Uint8Array(1), new DataView(new ArrayBuffer(1))][Math.floor(random() * 4)]
      if (!bomb.left) return other
      bomb.left = false
      return trapped(other)
    }
    const object = {}
    for (const key of ['near', 'radius_km', 'interests', 'limit', 'x'].filter(() => random() < 0.5)) object[key] = value(depth + 1, bomb)
    if (bomb.left && random() < 0.3) {
      bomb.left = false
      if (random() < 0.5) return trapped(object)
      Object.defineProperty(object, 'near', { get: boom, enumerable: true })
    }
    return object
  }
  const engine = Engine.normandy()
  let thrown = 0
  for (let i = 0; i < 400; i++) {
    const query = value(0, { left: random() < 0.8 })
    try {
      engine.searchStages(query)
    } catch (e) {
      assert.equal(e.name, 'MetiersError', `case ${i}: ${e.message}`)
      assert.equal(typeof e.code, 'string')
      if (e.message.endsWith('reading it threw a JavaScript exception')) thrown++
    }
  }
  assert.ok(thrown > 20, `${thrown} cases threw while read`)
  engine.clearCatalog()
  assert.equal(engine.searchStages({ near: 'Caen' }).total, 0)
})

test('the engine words what a page shows, and refuses what no distance or period can be', () => {
  assert.equal(Engine.distanceLabel(0.4), '< 1 km')
  assert.equal(Engine.distanceLabel(12.6), '13 km')
  for (const bad of [NaN, -5, 1e308, Infinity]) {
    assert.throws(() => Engine.distanceLabel(bad), (e) => e.name === 'MetiersError' && e.code === 'invalid_input' && e.field === 'km')
  }
  assert.equal(Engine.periodLabel({ start: '2027-04-28', end: '2027-05-03' }), 'du 28 avril au 3 mai 2027')
  assert.throws(() => Engine.periodLabel({ start: NaN, end: '2027-01-01' }), (e) => e.code === 'invalid_input')
  assert.equal(Engine.labels().stage_kind.mini_stage, 'Mini-stage de découverte')
  assert.throws(() => Engine.restore(new Uint8Array(1000).fill(255)), (e) => e.code === 'data_error')
})
