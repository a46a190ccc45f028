'use strict'
// The Node package's promises: error codes, async forms, updates, and a long loop that does
// not grow memory without bound.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const fs = require('node:fs')
const { Engine, MetiersError } = require('..')

const root = path.join(__dirname, '..', '..')
const data = (f) => fs.readFileSync(path.join(root, 'examples/data', f))
const engine = Engine.normandy()

test('each error has the library code, and data errors their file, line and field', () => {
  assert.throws(() => engine.searchStages({ near: 'Caen', radius_km: -3 }), { name: 'MetiersError', code: 'invalid_input', field: 'radius_km' })
  assert.throws(() => engine.locate('Atlantis'), { code: 'not_found' })
  const fresh = Engine.normandy()
  assert.throws(() => fresh.reserve('nope'), { code: 'not_found' })
  const e = Engine.empty()
  e.loadCsv('companies', data('companies.csv'), { source: 'companies.csv' })
  assert.throws(() => e.addCompany({ id: 'ent-1', name: 'x', place: { commune: 'Caen' } }), { code: 'conflict' })
  const bad = 'id,company,kind,metiers,periods,places_total\nx,nobody,mini_stage,H2903,2026-10-19/2026-10-21,2\n'
  try {
    e.loadCsv('stages', bad, { source: 's.csv' })
    assert.fail('strict load of a bad row must throw')
  } catch (err) {
    assert.equal(err.code, 'data_error')
    assert.equal(err.errors[0].source, 's.csv')
    assert.equal(err.errors[0].line, 2)
    assert.equal(err.errors[0].field, 'company')
    assert.equal(err.errors[0].value, 'nobody')
  }
})

test('an ambiguous place is a choice with candidates, and a typed key picks one', () => {
  try {
    engine.searchStages({ near: 'Cuverville' })
    assert.fail('Cuverville is three communes')
  } catch (err) {
    assert.ok(err instanceof MetiersError)
    assert.equal(err.code, 'ambiguous_place')
    assert.equal(err.field, 'near')
    assert.equal(err.total, 3)
    assert.deepEqual(err.candidates.map((c) => c.code), ['14215', '76206', '27194'])
    const picked = engine.searchStages({ near: { insee: err.candidates[0].code }, radius_km: 10 })
    assert.deepEqual([picked.origin.name, picked.origin.matched_by], ['Cuverville', 'insee'])
  }
  assert.equal(engine.resolve({ insee: '76540' }).name, 'Rouen')
  assert.equal(Math.round(engine.distanceKm('14118', { insee: '76540' })), 110)
  assert.throws(() => engine.distanceKm('14118', '76540'), { code: 'ambiguous_place', field: 'to' })
  assert.throws(() => engine.locate({ insee: 14118 }), { code: 'invalid_input', field: 'place.insee' })
  assert.throws(() => engine.locate(42), { code: 'invalid_input', field: 'place' })
})

test('a wrong JS type is invalid_input, never a napi code', () => {
  for (const bad of [() => 1, 42, 'Caen', [1, 2], { near: 5 }, { nearr: 'Caen' }, { near: 'Caen', limit: 'ten' }]) {
    assert.throws(() => engine.searchStages(bad), (e) => e instanceof MetiersError && e.code === 'invalid_input', String(bad))
  }
  assert.throws(() => engine.searchMetiers(42), { code: 'invalid_input' })
  assert.throws(() => engine.loadJson(42), { code: 'invalid_input' })
  assert.throws(() => engine.searchStagesBatch('nope'), { code: 'invalid_input' })
})

test('async forms run off the event loop and give the same results', async () => {
  const queries = ['Caen', 'Rouen', 'Flers', 'Évreux'].map((near) => ({ near, radius_km: 25 }))
  // The event loop keeps turning while a large batch runs: timers fire before it resolves.
  let ticks = 0
  const timer = setInterval(() => { ticks++ }, 1)
  const many = Array.from({ length: 8000 }, (_, i) => queries[i % 4])
  const asyncResults = await engine.searchStagesBatchAsync(many)
  clearInterval(timer)
  assert.ok(ticks > 0, 'timers fired while the batch ran')
  assert.deepStrictEqual(asyncResults.slice(0, 4), engine.searchStagesBatch(queries))
  const kept = await engine.searchStagesBatchAsync([{ near: 'Caen' }, { near: 'Atlantis' }], { errors: 'keep' })
  assert.equal(kept[0].total > 0, true)
  assert.equal(kept[1].code, 'not_found')
  await assert.rejects(engine.searchStagesBatchAsync([{ near: 'Atlantis' }]), { code: 'not_found' })
  const e = Engine.empty()
  const report = await e.loadJsonAsync(data('catalog.json'), { source: 'catalog.json' })
  assert.deepStrictEqual([report.companies, report.ambassadors, report.stages], [2, 1, 2])
  await assert.rejects(e.loadCsvAsync('stages', 'id\n', { source: 'x.csv' }), { code: 'data_error' })
})

test('updates and reservations', () => {
  const e = Engine.empty()
  e.addCompany({ id: 'c1', name: 'Atelier (fictif)', place: { commune: 'Flers' } })
  const stage = { id: 's1', company: 'c1', kind: 'mini_stage', metiers: ['H2903'], periods: [{ start: '2026-10-19', end: '2026-10-23' }], places_total: 2 }
  e.addStage(stage)
  assert.equal(e.reserve('s1'), 1)
  assert.throws(() => e.reserve('s1', 2), { code: 'conflict' })
  assert.equal(e.release('s1'), 2)
  e.replaceStage({ ...stage, places_total: 4 })
  assert.equal(e.searchStages({ near: 'Flers' }).matches[0].item.places_left, 4)
  assert.throws(() => e.removeCompany('c1'), { code: 'conflict' })
  assert.equal(e.removeStage('s1').id, 's1')
  assert.equal(e.removeCompany('c1').id, 'c1')
  assert.deepStrictEqual(e.counters().total, { companies: 0, ambassadeurs_metier: 0, ambassadeurs_formation: 0, stages: 0, places_left: 0 })
})

test('100,000 queries in a loop do not grow memory without bound', () => {
  const q = { near: 'Caen', radius_km: 20, limit: 1 }
  const run = (n) => { for (let i = 0; i < n; i++) engine.searchStages(q) }
  run(20000)
  if (global.gc) global.gc()
  const before = process.memoryUsage().rss
  run(100000)
  if (global.gc) global.gc()
  const grown = (process.memoryUsage().rss - before) / 1e6
  assert.ok(grown < 64, `rss grew by ${grown.toFixed(1)} MB over 100,000 queries`)
})

test('fromData: the referential and communes as bytes give the same engine as the embedded data', () => {
  const bin = (f) => fs.readFileSync(path.join(root, 'core/data', f))
  const own = Engine.fromData(bin('rome.bin'), new Uint8Array(bin('normandy.bin')))
  assert.equal(own.region, 'normandy')
  own.loadJson(engine.exportJson(), { source: 'sample.json' })
  const query = { near: 'Flers', radius_km: 30, interests: ["J'aime le travail manuel"] }
  assert.deepEqual(own.searchStages(query), engine.searchStages(query))
  assert.throws(() => Engine.fromData(Buffer.from('nope'), bin('normandy.bin')),
    (e) => e instanceof MetiersError && e.code === 'data_error' && e.source === 'rome')
  assert.throws(() => Engine.fromData(bin('rome.bin'), bin('normandy.bin'), 'bretagne'),
    (e) => e.code === 'invalid_input' && e.field === 'region')
  // rome.bin leaves the métiers' texts out; rome-texts.bin gives them back.
  assert.equal(own.metier('H2903').definition, null)
  assert.equal(own.metier('H2903').acces, null)
  assert.throws(() => own.loadRomeTexts(bin('rome.bin')), { code: 'data_error', source: 'rome-texts' })
  assert.throws(() => own.loadRomeTexts(42), { code: 'invalid_input' })
  assert.equal(own.metier('H2903').definition, null)
  own.loadRomeTexts(bin('rome-texts.bin'))
  assert.deepEqual(own.metier('H2903'), engine.metier('H2903'))
  assert.match(own.metier('H2903').definition[0], /^Usine et produit/)
  assert.deepEqual(own.searchStages(query), engine.searchStages(query))
})

test('hostile numbers and shapes: a coded error naming the field, never a wrong answer', () => {
  const fresh = Engine.normandy()
  const id = fresh.searchStages({ near: 'Caen', limit: 1 }).matches[0].id
  const before = fresh.stage(id).places_left ?? fresh.stage(id).places_total
  for (const bad of [1.5, -1, 2 ** 32 + 1, NaN, '2']) {
    assert.throws(() => fresh.reserve(id, bad), { code: 'invalid_input', field: 'count' }, String(bad))
    assert.throws(() => fresh.release(id, bad), { code: 'invalid_input', field: 'count' }, String(bad))
  }
  assert.equal(fresh.stage(id).places_left ?? fresh.stage(id).places_total, before)
  assert.throws(() => engine.searchStages({ near: 'Caen', radius_km: NaN }), { code: 'invalid_input', field: 'radius_km' })
  assert.throws(() => engine.searchStages({ near: { lat: Infinity, lon: 0 } }), { code: 'invalid_input', field: 'near.lat' })
  assert.throws(() => engine.searchStages({ near: 'Caen', offset: 1.5 }), { code: 'invalid_input', field: 'offset' })
  assert.throws(() => engine.searchMetiers('boulanger', -1), { code: 'invalid_input', field: 'limit' })
  const seeded = engine.searchStages({ near: 'Caen', fairness: { rotation_seed: Date.now() } })
  assert.ok(seeded.total > 0, 'a Date.now() seed is a whole number')
  let deep = 1
  for (let i = 0; i < 15000; i++) deep = [deep]
  assert.throws(() => engine.searchStages({ near: deep }), (e) => e.code === 'invalid_input')
  assert.ok(engine.searchStages({ near: 'Caen' }).total > 0, 'the engine still answers')
})

test('snapshot, defaults, error codes, tables and loadFile come from the core', () => {
  const e = Engine.empty()
  const report = e.loadFile(path.join(root, 'examples/data/catalog.json'))
  assert.equal(report.source, 'catalog.json')
  e.reserve('stg-11')
  const copy = Engine.restore(e.snapshot())
  assert.equal(copy.exportJson(), e.exportJson())
  assert.equal(copy.region, 'normandy')
  assert.throws(() => Engine.restore(new Uint8Array([1, 2, 3])), { code: 'data_error', source: '<snapshot>' })
  const d = Engine.defaults()
  assert.deepEqual([d.radius_km, d.limit, d.title_limit, d.reserve_count, d.region], [30, 20, 10, 1, 'normandy'])
  assert.equal(engine.searchMetiers('agent').length, d.title_limit)
  assert.deepEqual(Engine.errorCodes(), ['invalid_input', 'ambiguous_place', 'not_found', 'data_error', 'conflict', 'internal'])
  assert.equal(engine.table('communes').length, 2651)
  assert.throws(() => engine.table('villes'), { code: 'invalid_input', field: 'name' })
  // A CSV file holds the entity its name says (companies.csv), or must be told it.
  assert.equal(Engine.empty().loadFile(path.join(root, 'examples/data/companies.csv')).companies, 4)
  assert.throws(() => e.loadFile(path.join(root, 'tests/fixtures/catalog/unknown_rome_code.csv')), { code: 'invalid_input', field: 'entity' })
  assert.throws(() => e.loadFile('/nonexistent/stages.csv', 'stages'), { code: 'data_error' })
  assert.throws(() => e.loadJson('{}', { source: 'x', mode: 'forgiving' }), { code: 'invalid_input', field: 'mode' })
  assert.throws(() => Engine.empty('bretagne'), { code: 'invalid_input', field: 'region' })
})

test('a getter or a Proxy trap that throws is invalid_input naming the field being read', () => {
  // The caller's exception escaped instead, past the library's own error, with no field.
  const boom = () => { throw new Error('boom') }
  const cases = [
    [{ near: 'Caen', get radius_km () { return boom() } }, 'radius_km'],
    [{ near: { get insee () { return boom() } } }, 'near.insee'],
    [{ near: 'Caen', interests: Object.defineProperty([], 0, { get: boom, enumerable: true }) }, 'interests[0]'],
    [new Proxy({}, { ownKeys: boom }), 'query'],
    [new Proxy({}, { has: boom }), 'query']
  ]
  for (const [query, field] of cases) {
    assert.throws(() => engine.searchStages(query), (e) => e instanceof MetiersError && e.code === 'invalid_input' && e.field === field, field)
  }
  const batch = Object.defineProperty([{ near: 'Caen' }, null], 1, { get: boom, enumerable: true })
  const kept = engine.searchStagesBatch(batch, { errors: 'keep' })
  assert.equal(typeof kept[0].total, 'number')
  assert.equal(kept[1].field, 'queries[1]')
  assert.equal(typeof engine.searchStages({ near: 'Caen' }).total, 'number', 'the engine still answers')
})

test('a batch claiming more than a million queries is refused before it is read', () => {
  // A sparse array of 2^32 - 1 empty places was read place by place until the process died.
  const claimed = []
  claimed.length = 2 ** 32 - 1
  assert.throws(() => engine.searchStagesBatch(claimed, { errors: 'keep' }), { code: 'invalid_input', field: 'queries' })
  assert.equal(engine.searchStagesBatch([{ near: 'Caen' }], { errors: 'keep' }).length, 1)
})

test('a pupil is named within the pupils, and the pupils are read before the options', () => {
  // The reader named a list's items from their position alone ("[1].weeks").
  const pupils = [{ id: 'p0', school: '0141234X', weeks: ['2027-W03'] }, { id: 'p1', school: '0141234X', weeks: Infinity }]
  assert.throws(() => engine.assign(pupils, { priorities: { seed: NaN } }), { code: 'invalid_input', field: 'pupils[1].weeks' })
  assert.throws(() => engine.assign(-1), { code: 'invalid_input', field: 'pupils' })
})

test('a batch raises its first error, or keeps each error in its place', () => {
  const queries = [{ near: 'Caen' }, { near: 'Caen', radius_km: 'far' }, { near: 'Atlantis' }]
  assert.throws(() => engine.searchStagesBatch(queries), { code: 'invalid_input', field: 'radius_km' })
  const kept = engine.searchStagesBatch(queries, { errors: 'keep' })
  assert.equal(typeof kept[0].total, 'number')
  assert.ok(kept[1] instanceof MetiersError)
  assert.equal(kept[2].code, 'not_found')
  assert.throws(() => engine.searchStagesBatch(queries, { errors: 'ignore' }), { code: 'invalid_input', field: 'errors' })
})

test('exportJson(path) writes the same document to a file, which loads back', () => {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'metiers-export-'))
  const file = path.join(dir, 'catalogue.json')
  assert.equal(engine.exportJson(file), undefined)
  assert.equal(fs.readFileSync(file, 'utf8'), engine.exportJson())
  const copy = Engine.empty()
  copy.loadFile(file)
  assert.deepEqual(copy.counters(), engine.counters())
  assert.throws(() => engine.exportJson(path.join(dir, 'no such folder', 'x.json')), (e) =>
    e instanceof MetiersError && e.code === 'data_error' && e.message.includes('no such folder'))
  assert.throws(() => engine.exportJson(42), { code: 'invalid_input', field: 'path' })
  fs.rmSync(dir, { recursive: true })
})
