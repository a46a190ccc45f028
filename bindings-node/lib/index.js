'use strict'
// The public face of the `metiers` npm package: the native Engine with errors turned into
// `MetiersError`s (a JS Error whose `code` is the library's stable code, with `source`, `line`,
// `field` and `value` for data errors) and async results parsed. Conversion only: the logic is
// in the Rust core.

const { types } = require('node:util')
const native = require('../native.js')

const CODES = new Set(native.Engine.errorCodes())

/** An error of the library: `code` is one of `Engine.errorCodes()` (invalid_input, ambiguous_place, not_found, …). */
class MetiersError extends Error {
  constructor (details) {
    super(details.message)
    this.name = 'MetiersError'
    this.code = details.code
    this.source = details.source ?? null
    this.line = details.line ?? null
    this.row = details.row ?? null
    this.field = details.field ?? null
    this.value = details.value ?? null
    this.kind = details.kind ?? null
    this.candidates = details.candidates || []
    this.total = details.total ?? null
    this.errors = (details.errors || []).map((e) => new MetiersError(e))
  }
}

/** A native failure as a MetiersError: the library's own errors carry their JSON; anything
 * napi refused while converting an argument is invalid input. */
function convert (e) {
  if (e instanceof MetiersError) return e
  let details = null
  try {
    details = JSON.parse(e.message)
  } catch (_) {}
  if (details && CODES.has(details.code)) return new MetiersError(details)
  return new MetiersError({ code: 'invalid_input', message: `invalid argument: ${e.message}` })
}

function call (f) {
  try {
    return f()
  } catch (e) {
    throw convert(e)
  }
}

/** A native method's JSON text as values (the native side writes it: faster than napi
 * making the objects one by one). */
function json (f) {
  return JSON.parse(call(f))
}

async function callAsync (f) {
  try {
    return JSON.parse(await f())
  } catch (e) {
    throw convert(e)
  }
}

// A view's buffer, offset and length by the platform's own getters, which read what the view
// is: never a getter of the caller's on the view itself.
const viewGetters = (proto) => ['buffer', 'byteOffset', 'byteLength'].map((name) => Object.getOwnPropertyDescriptor(proto, name).get)
const VIEWS = [
  [types.isUint8Array, viewGetters(Object.getPrototypeOf(Uint8Array.prototype))],
  [types.isDataView, viewGetters(DataView.prototype)]
]

// Text or a file's bytes, as the browser module takes them (a conversion, without a copy). A
// value is bytes by what it is (`util.types`' brand checks, which run none of the caller's
// code and see through no Proxy), as the browser module's copy of it finds it; anything else
// is invalid_input naming the argument.
function bytes (data, field = 'data') {
  if (typeof data === 'string') return Buffer.from(data, 'utf8')
  // Worded as the core words invalid input (the browser module's message).
  const invalid = (reason) => new MetiersError({ code: 'invalid_input', message: `invalid ${field} "": ${reason}`, field, value: '' })
  try {
    for (const [is, [buffer, offset, length]] of VIEWS) {
      if (is(data)) return Buffer.from(buffer.call(data), offset.call(data), length.call(data))
    }
    if (types.isArrayBuffer(data)) return Buffer.from(data)
  } catch (_) {
    // Buffer.from reads an ArrayBuffer's byteLength as a property: a getter of its own.
    throw invalid('reading it threw a JavaScript exception')
  }
  throw invalid('expected a string, a Uint8Array, an ArrayBuffer or a DataView')
}

/** The items of a batch: the core threw the first error (errors: 'raise', the default), or
 * each item is a result or its query's error (errors: 'keep'), made a MetiersError here. */
function unbatch (items) {
  return items.map((item) => ('ok' in item ? item.ok : new MetiersError(item.error)))
}

class Engine {
  constructor (inner) {
    if (!(inner instanceof native.Engine)) {
      throw new MetiersError({ code: 'invalid_input', message: 'use Engine.normandy() or Engine.empty(region)' })
    }
    this._native = inner
  }

  /** ROME 4.60, the communes of Normandy, the zone B calendar and a fictitious sample catalogue. */
  static normandy () { return new Engine(call(() => native.Engine.normandy())) }
  /** An engine with an empty catalogue on 'normandy' or 'france'. */
  static empty (region) { return new Engine(call(() => native.Engine.empty(region))) }
  /** An engine with an empty catalogue on the referential and communes given as bytes (rome.bin, normandy.bin). */
  static fromData (rome, communes, region) { return new Engine(call(() => native.Engine.fromData(bytes(rome, 'rome'), bytes(communes, 'communes'), region))) }
  /** The engine a snapshot (`engine.snapshot()`) holds. */
  static restore (snapshot) { return new Engine(call(() => native.Engine.restore(bytes(snapshot, 'snapshot')))) }
  /** The defaults of every argument (radius, limit, region, load mode…). */
  static defaults () { return json(() => native.Engine.defaults()) }
  /** Every error code. */
  static errorCodes () { return native.Engine.errorCodes() }
  /** The French label of every enum value. */
  static labels () { return json(() => native.Engine.labels()) }
  /** A period as French says it ("du 19 au 23 avril 2027"). */
  static periodLabel (period) { return call(() => native.Engine.periodLabel(period)) }

  get region () { return call(() => this._native.region) }
  snapshot () { return call(() => this._native.snapshot()) }
  table (name) { return json(() => this._native.table(name)) }

  searchMetiers (text, limit) { return json(() => this._native.searchMetiers(text, limit)) }
  locate (place) { return json(() => this._native.locate(place)) }
  resolve (place) { return json(() => this._native.resolve(place)) }
  distanceKm (from, to) { return call(() => this._native.distanceKm(from, to)) }
  metier (code) { return json(() => this._native.metier(code)) }
  company (id) { return json(() => this._native.company(id)) }
  ambassador (id) { return json(() => this._native.ambassador(id)) }
  stage (id) { return json(() => this._native.stage(id)) }
  commune (code) { return json(() => this._native.commune(code)) }

  searchStages (query) { return json(() => this._native.searchStages(query)) }
  searchAmbassadors (query) { return json(() => this._native.searchAmbassadors(query)) }
  searchCompanies (query) { return json(() => this._native.searchCompanies(query)) }
  ambassadorsForClass (query) { return json(() => this._native.ambassadorsForClass(query)) }
  companiesForClass (query) { return json(() => this._native.companiesForClass(query)) }
  metiersNear (query) { return json(() => this._native.metiersNear(query)) }

  searchStagesBatch (queries, options) { return unbatch(json(() => this._native.searchStagesBatch(queries, options))) }
  searchAmbassadorsBatch (queries, options) { return unbatch(json(() => this._native.searchAmbassadorsBatch(queries, options))) }
  searchCompaniesBatch (queries, options) { return unbatch(json(() => this._native.searchCompaniesBatch(queries, options))) }
  async searchStagesBatchAsync (queries, options) { return unbatch(await callAsync(() => this._native.searchStagesBatchAsync(queries, options))) }
  async searchAmbassadorsBatchAsync (queries, options) { return unbatch(await callAsync(() => this._native.searchAmbassadorsBatchAsync(queries, options))) }
  async searchCompaniesBatchAsync (queries, options) { return unbatch(await callAsync(() => this._native.searchCompaniesBatchAsync(queries, options))) }

  assign (pupils, options) { return json(() => this._native.assign(pupils, options)) }
  assignAsync (pupils, options) { return callAsync(() => this._native.assignAsync(pupils, options)) }
  checkPlacement (pupils, placement, options) { return json(() => this._native.checkPlacement(pupils, placement, options)) }
  apply (placement) { return json(() => this._native.apply(placement)) }
  assignVisits (requests, options) { return json(() => this._native.assignVisits(requests, options)) }
  applyVisits (placement) { return json(() => this._native.applyVisits(placement)) }
  cohort (spec) { return json(() => this._native.cohort(spec)) }
  withWishes (pupils) { return json(() => this._native.withWishes(pupils)) }
  schools () { return json(() => this._native.schools()) }

  coverage (request) { return json(() => this._native.coverage(request)) }
  coverageAsync (request) { return callAsync(() => this._native.coverageAsync(request)) }
  whiteZones (request) { return json(() => this._native.whiteZones(request)) }
  supplyDemand (request) { return json(() => this._native.supplyDemand(request)) }

  counters () { return json(() => this._native.counters()) }
  companiesWithStagesIn (departement) { return json(() => this._native.companiesWithStagesIn(departement)) }

  loadJson (data, options) { return json(() => this._native.loadJson(bytes(data), options)) }
  loadJsonl (entity, data, options) { return json(() => this._native.loadJsonl(entity, bytes(data), options)) }
  loadCsv (entity, data, options) { return json(() => this._native.loadCsv(entity, bytes(data), options, typeof data === 'string')) }
  /** Loads a file by its extension (.json, .jsonl/.ndjson, .csv). */
  loadFile (path, entity, options) { return json(() => this._native.loadFile(path, entity, options)) }
  loadJsonAsync (data, options) { return callAsync(() => this._native.loadJsonAsync(bytes(data), options)) }
  loadJsonlAsync (entity, data, options) { return callAsync(() => this._native.loadJsonlAsync(entity, bytes(data), options)) }
  loadCsvAsync (entity, data, options) { return callAsync(() => this._native.loadCsvAsync(entity, bytes(data), options, typeof data === 'string')) }

  addCompany (company) { return call(() => this._native.addCompany(company)) }
  replaceCompany (company) { return call(() => this._native.replaceCompany(company)) }
  removeCompany (id) { return json(() => this._native.removeCompany(id)) }
  addAmbassador (ambassador) { return call(() => this._native.addAmbassador(ambassador)) }
  replaceAmbassador (ambassador) { return call(() => this._native.replaceAmbassador(ambassador)) }
  removeAmbassador (id) { return json(() => this._native.removeAmbassador(id)) }
  addStage (stage) { return call(() => this._native.addStage(stage)) }
  replaceStage (stage) { return call(() => this._native.replaceStage(stage)) }
  removeStage (id) { return json(() => this._native.removeStage(id)) }
  reserve (stageId, count) { return call(() => this._native.reserve(stageId, count)) }
  requestContact (ambassadorId, mode, date) { return json(() => this._native.requestContact(ambassadorId, mode, date)) }
  release (stageId, count) { return call(() => this._native.release(stageId, count)) }
  loadRomeTexts (texts) { return call(() => this._native.loadRomeTexts(bytes(texts, 'texts'))) }
  clearCatalog () { return call(() => this._native.clearCatalog()) }
  exportJson (path) { return call(() => path === undefined ? this._native.exportJson() : this._native.exportJsonTo(path)) }
  prepareSearch () { return call(() => this._native.prepareSearch()) }
}

module.exports = { Engine, MetiersError }
