'use strict'
// Runs the shared vectors on any engine with the camelCase API (the Node package and the
// browser package), with the projection tests/vectors/README.md describes.
const fs = require('node:fs')
const path = require('node:path')

const cases = JSON.parse(fs.readFileSync(path.join(__dirname, 'engine.json'), 'utf8')).cases
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
const SEARCHES = new Set(['search_stages', 'search_ambassadors', 'search_companies', 'ambassadors_for_class', 'companies_for_class'])

function project (op, r) {
  if (SEARCHES.has(op)) return r // the whole result
  if (op === 'metiers_near') {
    const ms = r.metiers
    return { total: r.total, codes: ms.map((m) => m.code), interest: ms.map((m) => m.interest), stages: ms.map((m) => m.stages), ambassadors: ms.map((m) => m.ambassadors) }
  }
  if (op === 'search_metiers') return { codes: r.map((h) => h.code), titles: r.map((h) => h.matched_title), scores: r.map((h) => h.score) }
  if (op === 'locate') return { codes: r.map((p) => p.code), names: r.map((p) => p.name), kinds: r.map((p) => p.kind), matched_by: r.map((p) => p.matched_by) }
  if (op === 'distance_km') return Math.round(r * 1000) / 1000
  if (op === 'companies_with_stages_in') return { ids: r.map((c) => c.id) }
  if (op === 'metier') return { code: r.code, label: r.label }
  if (op === 'company') return { id: r.id, name: r.name, commune: r.place.commune }
  if (op === 'commune') return { insee: r.insee, name: r.name, departement: r.departement }
  return r
}

function run (engine, op, args) {
  if ('query' in args) return engine[camel(op)](args.query)
  switch (op) {
    case 'search_metiers': return engine.searchMetiers(args.text, args.limit)
    case 'locate': return engine.locate(args.place)
    case 'distance_km': return engine.distanceKm(args.from, args.to)
    case 'counters': return engine.counters()
    case 'companies_with_stages_in': return engine.companiesWithStagesIn(args.departement)
    case 'metier': return engine.metier(args.code)
    case 'company': return engine.company(args.id)
    case 'commune': return engine.commune(args.code)
  }
  throw new Error(`unknown op ${op}`)
}

/** Registers one node:test test a case; `isLibraryError` says whether a thrown value is the
 * binding's library error. */
/** A value with what only the `contours` feature knows left out: which commune an exact point
 * lies in (the browser build has no contours, so a point's place names no commune). */
function withoutContours (v) {
  if (Array.isArray(v)) return v.map(withoutContours)
  if (v && typeof v === 'object') {
    const out = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutContours(x)]))
    if (out.kind === 'point' && 'matched_by' in out) {
      out.commune = null
      out.departement = null
      out.matched = 'point exact'
    }
    return out
  }
  return v
}

/** `options.contours`: false for a build without the commune contours (the browser's). */
function register (test, assert, engine, label, isLibraryError, { contours = true } = {}) {
  const same = contours ? (x) => x : withoutContours
  for (const c of cases) {
    test(`${label} vector: ${c.name}`, () => {
      if (c.error) {
        assert.throws(() => run(engine, c.op, c.args), (e) => {
          assert.ok(isLibraryError(e), `not a library error: ${e}`)
          // An ambiguous place's candidates are compared by their codes, in order.
          const got = { ...Object.fromEntries(Object.keys(c.error).map((k) => [k, e[k]])) }
          if ('candidates' in c.error) got.candidates = (e.candidates || []).map((p) => p.code)
          assert.deepStrictEqual(got, c.error)
          return true
        })
      } else {
        assert.deepStrictEqual(same(project(c.op, run(engine, c.op, c.args))), same(c.expect))
      }
    })
  }
}

const root = path.join(__dirname, '..', '..')
const bad = JSON.parse(fs.readFileSync(path.join(__dirname, 'bad_inputs.json'), 'utf8')).cases
const fixtures = JSON.parse(fs.readFileSync(path.join(root, 'tests/fixtures/catalog/cases.json'), 'utf8')).cases
const companiesCsv = fs.readFileSync(path.join(root, 'examples/data/companies.csv'))

/** The text a `$repeat` or `$concat` marker stands for (or null). */
function text (v) {
  if (typeof v === 'string') return v
  if (v && Array.isArray(v.$repeat)) return v.$repeat[0].repeat(v.$repeat[1])
  if (v && Array.isArray(v.$concat)) return v.$concat.map(text).join('')
  return null
}

/** A case's value with the markers of bad_inputs.json built in JS: NaN, ±Infinity, deep lists. */
function build (v) {
  if (Array.isArray(v)) return v.map(build)
  if (v && typeof v === 'object') {
    if ('$nan' in v) return NaN
    if ('$inf' in v) return v.$inf * Infinity
    if ('$deep' in v) {
      let x = 1
      for (let i = 0; i < v.$deep; i++) x = [x]
      return x
    }
    const t = text(v)
    if (t !== null) return t
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, build(x)]))
  }
  return v
}

/** An engine with the example companies, as the loader cases start from. */
function withCompanies (empty) {
  const e = empty()
  e.loadCsv('companies', companiesCsv, { source: 'companies.csv' })
  return e
}

function runBad (engine, empty, op, args) {
  switch (op) {
    case 'search_stages': return engine.searchStages(build(args.query))
    case 'search_metiers': return engine.searchMetiers(build(args.text), 'limit' in args ? build(args.limit) : undefined)
    case 'locate': return engine.locate(build(args.place))
    case 'distance_km': return engine.distanceKm(build(args.from), build(args.to))
    case 'load': {
      const e = withCompanies(empty)
      const data = text(args.data)
      if (args.format === 'json') return e.loadJson(data, { source: 'bad' })
      if (args.format === 'csv') return e.loadCsv(args.entity, data, { source: 'bad' })
      return e.loadJsonl(args.entity, data, { source: 'bad' })
    }
  }
  throw new Error(`unknown op ${op}`)
}

/** The bad-input table and the loaders' bad files, on any engine of the camelCase API;
 * `empty()` makes an engine with no catalogue for the loaders. */
function registerBad (test, assert, engine, empty, label, isLibraryError) {
  for (const c of bad) {
    test(`${label} bad input: ${c.name}`, () => {
      assert.throws(() => runBad(engine, empty, c.op, c.args), (e) => {
        assert.ok(isLibraryError(e), `not a library error: ${e}`)
        assert.deepStrictEqual(Object.fromEntries(Object.keys(c.error).map((k) => [k, e[k]])), c.error)
        return true
      })
    })
  }
  for (const c of fixtures) {
    test(`${label} bad file: ${c.file}`, () => {
      const e = withCompanies(empty)
      const data = fs.readFileSync(path.join(root, 'tests/fixtures/catalog', c.file))
      const load = () => c.format === 'csv'
        ? e.loadCsv(c.entity, data, { source: c.file })
        : c.format === 'json' ? e.loadJson(data, { source: c.file }) : e.loadJsonl(c.entity, data, { source: c.file })
      assert.throws(load, (err) => {
        assert.ok(isLibraryError(err), `not a library error: ${err}`)
        assert.equal(err.code, 'data_error')
        const at = c.level === 'row' ? err.errors[0] : err
        assert.equal(at.source, c.file)
        assert.equal(at.line, c.line)
        if (c.field) assert.equal(at.field, c.field)
        if (c.value) assert.equal(at.value, c.value)
        assert.ok(at.message.includes(c.reason_contains), `${at.message} lacks ${c.reason_contains}`)
        return true
      })
    })
  }
}

const scenarios = JSON.parse(fs.readFileSync(path.join(__dirname, 'scenarios.json'), 'utf8')).scenarios

/** One step of scenarios.json on a camelCase engine, projected as its README says. */
function step (e, op, a) {
  const o = a.options
  switch (op) {
    case 'load_json': case 'load_csv': case 'load_jsonl': {
      const data = fs.readFileSync(path.join(root, a.file))
      const r = op === 'load_json' ? e.loadJson(data, o) : e[camel(op)](a.entity, data, o)
      return {
        source: r.source,
        companies: r.companies,
        ambassadors: r.ambassadors,
        stages: r.stages,
        rejected: r.rejected.map((x) => [x.line ?? null, x.field ?? null, x.code]),
        warnings: r.warnings.length
      }
    }
    case 'add_company': case 'add_stage': case 'replace_stage': return e[camel(op)](a.item) ?? null
    case 'remove_company': case 'remove_stage': return { id: e[camel(op)](a.id).id }
    case 'stage': { const s = e.stage(a.id); return { id: s.id, places_left: s.places_left ?? null } }
    case 'reserve': case 'release': return e[op](a.stage_id, a.count)
    case 'counters': return e.counters().total
    case 'search_stages_batch': case 'search_ambassadors_batch':
      return e[camel(op)](build(a.queries), o).map((r) => (r instanceof Error ? { error: r } : { total: r.total }))
    case 'search_stages': return project(op, e.searchStages(a.query))
    case 'coverage': return e.coverage(a.request)
    case 'white_zones': return e.whiteZones(a.request)
    case 'supply_demand': return e.supplyDemand(a.request)
    case 'request_contact': return e.requestContact(a.ambassador_id, a.mode, a.date)
    case 'assign_visits': return e.assignVisits(a.requests, o)
    case 'assign_visits_and_apply': return e.applyVisits(e.assignVisits(a.requests, o))
    case 'assign': return e.assign(a.pupils, o)
    case 'check_placement': return e.checkPlacement(a.pupils, a.placement, o)
    case 'assign_and_apply': return e.apply(e.assign(a.pupils, o))
    case 'apply_twice': { const p = e.assign(a.pupils, o); e.apply(p); return e.apply(p) }
  }
  throw new Error(`unknown op ${op}`)
}

function errorMatches (assert, e, want, isLibraryError) {
  assert.ok(isLibraryError(e), `not a library error: ${e}`)
  const got = Object.fromEntries(Object.keys(want).map((k) => [k, e[k]]))
  if ('candidates' in want) got.candidates = (e.candidates || []).map((p) => p.code)
  assert.deepStrictEqual(got, want)
}

/** The scenarios of scenarios.json, each on a fresh engine (`make('normandy' | 'empty')`);
 * `restore(engine)` is the binding's snapshot and restore. A scenario that needs a method the
 * binding does not have (the browser package has no updates or batches) is skipped, by name. */
function registerScenarios (test, assert, make, restore, label, isLibraryError, { contours = true } = {}) {
  const methods = { snapshot_restore: 'snapshot', stage: 'stage', reserve: 'reserve', release: 'release', counters: 'counters', assign_and_apply: 'apply', apply_twice: 'apply', assign_visits_and_apply: 'applyVisits' }
  for (const sc of scenarios) {
    const probe = make('empty')
    const missing = sc.steps.map((s) => methods[s.op] || camel(s.op)).filter((m) => typeof probe[m] !== 'function')
    const skip = missing.length
      ? `no ${[...new Set(missing)].join(', ')} in this package`
      : (sc.needs === 'contours' && !contours ? 'no commune contours in this build' : false)
    test(`${label} scenario: ${sc.name}`, { skip }, () => {
      let e = make(sc.engine)
      sc.steps.forEach((s, i) => {
        if (s.op === 'snapshot_restore') { e = restore(e); return }
        if (s.error) {
          assert.throws(() => step(e, s.op, s.args), (err) => { errorMatches(assert, err, s.error, isLibraryError); return true }, `step ${i}`)
          return
        }
        const got = step(e, s.op, s.args)
        if (s.op.endsWith('_batch')) {
          assert.equal(got.length, s.expect.length, `step ${i}`)
          got.forEach((g, j) => {
            if (s.expect[j].error) errorMatches(assert, g.error, s.expect[j].error, isLibraryError)
            else assert.deepStrictEqual(g, s.expect[j], `step ${i}`)
          })
        } else {
          assert.deepStrictEqual(got, s.expect ?? null, `step ${i}`)
        }
      })
    })
  }
}

// Values only JavaScript has, the same in the Node package and the browser module: whole
// numbers (doubles or BigInts) are integers, a number keeps its size however small (napi's own
// conversion once made 1e-20 a 0), and what is not data is a coded error naming its field.
function registerJsValues (test, assert, engine, label, isLibraryError) {
  const refused = (query, field, what) => assert.throws(() => engine.searchStages(query),
    (e) => isLibraryError(e) && e.code === 'invalid_input' && e.field === field, what)
  test(`${label}: JS-only values are read as numbers and data, or refused naming their field`, () => {
    assert.equal(engine.searchStages({ near: 'Caen', limit: 3n }).limit, 3)
    assert.equal(engine.searchStages({ near: 'Caen', limit: 3.0 }).limit, 3)
    refused({ near: 'Caen', limit: -0 }, 'limit', '-0 is 0')
    assert.equal(engine.searchStages({ near: 'Caen', radius_km: 1e-20 }).total,
      engine.searchStages({ near: 'Caen', radius_km: 1e-9 }).total, 'a tiny radius is not 0')
    const tiny = { near: 'Caen', weights: { interest: 0, sector: 0, distance: 1e-300, responsiveness: 0 } }
    assert.deepEqual(engine.searchStages(tiny).matches.map((m) => m.score),
      engine.searchStages({ ...tiny, weights: { ...tiny.weights, distance: 1 } }).matches.map((m) => m.score),
      'a tiny weight is a weight')
    // napi's own conversion read the first two 64-bit words of a BigInt, so 2n ** 128n + 5n was 5,
    // and -(2n ** 64n - 1n) was 1.
    for (const offset of [2n ** 64n, -(2n ** 64n), -(2n ** 127n), 2n ** 200n, 2n ** 128n + 5n, -(2n ** 64n - 1n), 1e19, 2 ** 64]) {
      refused({ near: 'Caen', offset }, 'offset', String(offset))
    }
    for (const bytes of [new Uint8Array(2), new Float64Array([5]), new ArrayBuffer(4), new DataView(new ArrayBuffer(2))]) {
      refused({ near: 'Caen', radius_km: bytes }, 'radius_km', String(bytes))
    }
    // A sparse array claiming 2^32 - 1 items, none there: refused before it is read (Node read
    // them one by one until an allocation failed).
    const claimed = []
    claimed.length = 2 ** 32 - 1
    refused({ near: 'Caen', interests: claimed }, 'interests', 'a list claiming four billion items')
    // A Date where a day goes is refused in words, as Python refuses a datetime: its day
    // depends on a time zone (both packages said "invalid type: object, expected a text").
    for (const [query, field] of [[{ dates: { start: new Date('2027-01-04'), end: '2027-01-08' } }, 'dates.start'], [{ near: new Date() }, 'near']]) {
      assert.throws(() => engine.searchStages({ near: 'Caen', ...query }), (e) => isLibraryError(e) && e.code === 'invalid_input' && e.field === field &&
        e.message.endsWith(': a Date, a moment whose day depends on a time zone: give the day as "YYYY-MM-DD"'), field)
    }
    // An iterable that is not a Map nor an array (a Set, URLSearchParams, a generator) has no
    // properties as an object: Node read `new URLSearchParams('near=Caen')` as the empty query,
    // every stage of the catalogue, and the browser module (this session's first change) too.
    const iterables = [[new Set(['Caen']), 'query'], [new URLSearchParams('near=Caen'), 'query'],
      [{ near: 'Caen', weights: new Set() }, 'weights'], [{ near: 'Caen', interests: new Set(["J'aime le travail manuel"]) }, 'interests'],
      [{ near: 'Caen', interests: (function * () { yield 'x' })() }, 'interests']]
    for (const [query, field] of iterables) {
      assert.throws(() => engine.searchStages(query), (e) => isLibraryError(e) && e.code === 'invalid_input' && e.field === field &&
        e.message.endsWith(': an iterable object (a Set, URLSearchParams…), which is neither an object nor a list here: give a plain object, a Map or an array'), field)
    }
    refused({ near: 'Caen', radius_km: Symbol('30') }, 'radius_km', 'a symbol')
    refused({ near: 'Caen', interests: [() => 1] }, 'interests[0]', 'a function')
  })
  test(`${label}: a whole number past 2^53 − 1 is refused, one up to it comes back as given`, () => {
    // The browser module answered `internal` for a result holding one (its direct conversion
    // refuses them), and the Node package gave back the nearest double (a seed of 2^60 + 1 as
    // 2^60): no JavaScript number holds it safely, so both refuse it naming its field.
    for (const offset of [2 ** 53 - 1, 2n ** 53n - 1n, 2 ** 32]) {
      const page = engine.searchCompanies({ offset })
      assert.equal(page.offset, Number(offset), String(offset))
      assert.equal(page.matches.length, 0)
    }
    for (const offset of [2 ** 53, 2n ** 53n, 2n ** 60n, 2n ** 64n - 1n, -(2n ** 53n)]) {
      refused({ near: 'Caen', offset }, 'offset', String(offset))
    }
    refused({ near: 'Caen', fairness: { rotation_seed: 2n ** 60n } }, 'fairness.rotation_seed', 'a seed past 2^53 − 1')
  })
  test(`${label}: objects are read as JSON.stringify reads them, a Map as its entries`, () => {
    const caen = engine.searchStages({ near: 'Caen', radius_km: 10 })
    // Node once read a Map as an object with no properties: every stage of the catalogue.
    assert.deepEqual(engine.searchStages(new Map([['near', 'Caen'], ['radius_km', 10]])), caen)
    assert.deepEqual(engine.searchStages({ near: new Map([['insee', '14118']]), radius_km: 10 }),
      engine.searchStages({ near: { insee: '14118' }, radius_km: 10 }))
    refused(new Map([[1, 'Caen']]), 'query', 'a key that is no text')
    // Own enumerable string keys only, in both builds (Node once read inherited ones too).
    const all = engine.searchStages({}).total
    assert.equal(engine.searchStages(Object.create({ near: 'Caen', radius_km: 10 })).total, all)
    assert.deepEqual(engine.searchStages({ near: 'Caen', radius_km: 10, [Symbol('x')]: 1 }), caen)
    // A list is no object: never read field by field ([] was every stage).
    refused([], 'query', 'an empty list')
    refused(['Caen', 10], 'query', 'a list')
  })
}

// The data files as a page or a server has them: a Buffer or Uint8Array (a file read), an
// ArrayBuffer (`fetch(…).arrayBuffer()`), a DataView; the same engine from each, and anything
// else a coded error naming the argument (the browser module once read an ArrayBuffer as no
// bytes and called the referential "not the ROME data").
function registerBytes (test, assert, Engine, label, isLibraryError) {
  const root = path.join(__dirname, '..', '..')
  const file = (name) => fs.readFileSync(path.join(root, 'core', 'data', name))
  const [rome, communes] = [file('rome.bin'), file('normandy.bin')]
  const arrayBuffer = (b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)
  test(`${label}: data files as a Uint8Array, an ArrayBuffer or a DataView give the same engine`, () => {
    const forms = [(b) => b, (b) => new Uint8Array(b), arrayBuffer, (b) => new DataView(arrayBuffer(b))]
    const query = { near: 'Caen', radius_km: 10 }
    for (const form of forms) {
      const engine = Engine.fromData(form(rome), form(communes))
      assert.equal(engine.searchMetiers('boulanger', 1)[0].code, 'D1102')
      assert.deepEqual(engine.locate('Caen').map((p) => p.code), ['14118'])
      const copy = Engine.restore(form(new Uint8Array(engine.snapshot())))
      assert.deepEqual(copy.searchStages(query), engine.searchStages(query))
      engine.loadRomeTexts(form(file('rome-texts.bin')))
      assert.ok(engine.metier('D1102').definition.length > 0)
    }
    for (const [bad, what] of [[42, 'a number'], [{}, 'an object'], [new Float64Array(4), 'a Float64Array'], [null, 'null']]) {
      assert.throws(() => Engine.fromData(bad, communes),
        (e) => isLibraryError(e) && e.code === 'invalid_input' && e.field === 'rome', what)
      assert.throws(() => Engine.fromData(rome, bad),
        (e) => isLibraryError(e) && e.code === 'invalid_input' && e.field === 'communes', what)
      assert.throws(() => Engine.restore(bad),
        (e) => isLibraryError(e) && e.code === 'invalid_input' && e.field === 'snapshot', what)
    }
  })
  // Bytes are what a value is, not what it says: a Proxy that passes for a Uint8Array (whose
  // traps `new Uint8Array(proxy)` ran, uncaught in the browser) is refused, and a real view
  // is read by its contents, whatever its prototype or a getter of its own say. The same
  // answer and message in Node (brand checks) and the browser (the platform's copy).
  test(`${label}: bytes are what a value is: a Proxy is refused, a real view read whatever it says`, () => {
    const boom = () => { throw new Error('boom') }
    const json = new TextEncoder().encode('{"companies": [], "ambassadors": [], "stages": []}')
    const engine = Engine.fromData(rome, communes)
    const impostors = [
      new Proxy(new Uint8Array(json), {}),
      new Proxy(new Uint8Array(json), { get: boom, getPrototypeOf: boom }),
      new Proxy(json.buffer, { get: boom }),
      new Proxy(new DataView(json.buffer), {}),
      Object.setPrototypeOf({ length: 2, 0: 123, 1: 125 }, Uint8Array.prototype),
      new Int16Array(2),
      { get data () { return boom() } }
    ]
    for (const [i, impostor] of impostors.entries()) {
      assert.throws(() => engine.loadJson(impostor), (e) => isLibraryError(e) && e.code === 'invalid_input' && e.field === 'data' &&
        e.message === 'invalid data "": expected a string, a Uint8Array, an ArrayBuffer or a DataView', `impostor ${i}`)
    }
    const real = [
      Object.setPrototypeOf(new Uint8Array(json), null),
      Object.defineProperty(new Uint8Array(json), 'buffer', { get: boom }),
      Object.defineProperty(new DataView(json.buffer), 'byteLength', { get: boom }),
      Object.setPrototypeOf(new DataView(json.buffer), Uint8Array.prototype),
      Buffer.from(json)
    ]
    for (const [i, bytes] of real.entries()) assert.equal(engine.loadJson(bytes).stages, 0, `real ${i}`)
    assert.ok(engine.searchStages({ near: 'Caen' }), 'the engine still answers')
    engine.clearCatalog()
  })
  // A spreadsheet's Windows-1252 export as bytes loads with its encoding; a string is text
  // already, which an encoding cannot apply to (it would be read twice).
  test(`${label}: CSV bytes are read in the encoding given; a string with an encoding is refused`, () => {
    const csv = fs.readFileSync(path.join(root, 'tests', 'fixtures', 'spreadsheet', 'companies-windows-1252.csv'))
    const engine = Engine.fromData(rome, communes)
    assert.equal(engine.loadCsv('companies', new Uint8Array(csv), { encoding: 'cp1252' }).companies, 2)
    assert.equal(engine.company('ent-e1').name, 'Pâtisserie Hébert (fictif)')
    assert.equal(engine.company('ent-e2').name, 'Garage de l’Iton (fictif)')
    const text = 'id,name,commune\nc1,Hébert (fictif),Caen\n'
    assert.throws(() => engine.loadCsv('companies', text, { encoding: 'windows-1252' }),
      (e) => isLibraryError(e) && e.code === 'invalid_input' && e.field === 'encoding')
    assert.equal(engine.loadCsv('companies', text, { encoding: 'utf-8' }).companies, 1)
    assert.throws(() => engine.loadJson('{}', { encoding: 'cp1252' }),
      (e) => isLibraryError(e) && e.code === 'invalid_input' && e.field === 'encoding')
  })
}

module.exports = { cases, project, run, build, register, registerBad, registerScenarios, registerJsValues, registerBytes }
