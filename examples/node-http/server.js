'use strict'
// A small HTTP service a regional portal could start from (node:http, no framework):
//
//   GET /stages?near=Flers&radius=30&interest=J'aime le travail manuel   → ranked stages as JSON
//   GET /ambassadors?near=Caen&metier=boulanger&contact=video            → ranked ambassadors
//   GET /companies?near=Rouen&sector=C                                   → companies
//   GET /metiers?q=fraiseur&limit=5                                      → job-title search
//
// Answers: 200 with the result; 400 {code, message, field, value} for bad input, `field` being
// the URL parameter the client sent (radius, not the query's radius_km); 404 {code, message,
// kind, value} for an unknown place or métier (kind "place", "metier"…) or path (kind "route");
// 405 with `Allow: GET` for another method; 500 {code: "internal"} for a defect.
//   cd examples/node-http && npm install && node server.js [port]     (default 8080, loopback only)

const http = require('node:http')
const { Engine, MetiersError } = require('metiers')

const engine = Engine.normandy()
engine.prepareSearch()

// URL parameter → field of the query (the shared JSON shape).
const numbers = { radius: 'radius_km', limit: 'limit', offset: 'offset' }
const lists = { interest: 'interests', metier: 'metiers', sector: 'sectors', kind: 'kinds', contact: 'contact_modes', departement: 'departements' }
const texts = { near: 'near', audience: 'audience' }
const parameterOf = Object.fromEntries(
  [numbers, lists, texts].flatMap((m) => Object.entries(m).map(([param, field]) => [field, param]))
)

/** A number parameter as a number; anything else is handed over as the text sent, and the
 * engine refuses it with a coded error that quotes it (`radius=abc`: "expected a number"). */
function number (text) {
  const n = Number(text)
  return text.trim() !== '' && Number.isFinite(n) ? n : text
}

/** URL parameters to a query in the shared JSON shape. */
function queryFrom (params) {
  const q = {}
  for (const [param, field] of Object.entries(texts)) if (params.has(param)) q[field] = params.get(param)
  for (const [param, field] of Object.entries(numbers)) if (params.has(param)) q[field] = number(params.get(param))
  for (const [param, field] of Object.entries(lists)) if (params.has(param)) q[field] = params.getAll(param)
  return q
}

const routes = {
  '/stages': (p) => engine.searchStages(queryFrom(p)),
  '/ambassadors': (p) => engine.searchAmbassadors(queryFrom(p)),
  '/companies': (p) => engine.searchCompanies(queryFrom(p)),
  '/metiers': (p) => engine.searchMetiers(p.get('q') ?? '', p.has('limit') ? number(p.get('limit')) : 10)
}

function send (res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(JSON.stringify(body))
}

/** A library error as an HTTP answer, naming what the client sent. */
function failure (res, e) {
  if (!(e instanceof MetiersError) || e.code === 'internal') {
    return send(res, 500, { code: 'internal', message: 'internal error' })
  }
  if (e.code === 'not_found') return send(res, 404, { code: e.code, message: e.message, kind: e.kind, value: e.value })
  const field = e.field && (parameterOf[e.field] ?? e.field)
  const body = { code: e.code, message: e.message, field, value: e.value }
  if (e.code === 'ambiguous_place') Object.assign(body, { candidates: e.candidates, total: e.total })
  send(res, 400, body)
}

function createServer () {
  return http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost')
    const route = routes[url.pathname]
    if (!route) return send(res, 404, { code: 'not_found', message: `no route ${url.pathname}`, kind: 'route', value: url.pathname })
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, { code: 'method_not_allowed', message: `${req.method} is not allowed on ${url.pathname}: use GET` }, { allow: 'GET, HEAD' })
    }
    try {
      send(res, 200, route(url.searchParams))
    } catch (e) {
      failure(res, e)
    }
  })
}

module.exports = { createServer }

if (require.main === module) {
  const port = Number(process.argv[2] ?? 8080)
  createServer().listen(port, '127.0.0.1', () => console.log(`metiers on http://127.0.0.1:${port}/stages?near=Flers&radius=30`))
}
