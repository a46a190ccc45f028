'use strict'
// A small HTTP service a regional portal could start from (node:http, no framework):
//
//   GET /stages?near=Flers&radius=30&interest=J'aime le travail manuel   → ranked stages as JSON
//   GET /ambassadors?near=Caen&metier=boulanger&contact=video            → ranked ambassadors
//   GET /metiers?q=fraiseur                                              → job-title search
//
// Input errors answer 400 with {"code", "message", "field"}; unknown paths 404.
//   node examples/node-http/server.js [port]        (default 8080, loopback only)

const http = require('node:http')
const { Engine, MetiersError } = require('../../bindings-node')

const engine = Engine.normandy()
engine.prepareSearch()

/** URL parameters to a query in the shared JSON shape. */
function queryFrom (params) {
  const q = {}
  if (params.has('near')) q.near = params.get('near')
  if (params.has('radius')) q.radius_km = Number(params.get('radius'))
  if (params.has('limit')) q.limit = Number(params.get('limit'))
  if (params.has('offset')) q.offset = Number(params.get('offset'))
  const lists = { interest: 'interests', metier: 'metiers', sector: 'sectors', kind: 'kinds', contact: 'contact_modes', departement: 'departements' }
  for (const [param, field] of Object.entries(lists)) {
    if (params.has(param)) q[field] = params.getAll(param)
  }
  if (params.has('audience')) q.audience = params.get('audience')
  return q
}

const routes = {
  '/stages': (p) => engine.searchStages(queryFrom(p)),
  '/ambassadors': (p) => engine.searchAmbassadors(queryFrom(p)),
  '/companies': (p) => engine.searchCompanies(queryFrom(p)),
  '/metiers': (p) => engine.searchMetiers(p.get('q') ?? '', Number(p.get('limit') ?? 10))
}

function send (res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}

function createServer () {
  return http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost')
    const route = routes[url.pathname]
    if (req.method !== 'GET' || !route) return send(res, 404, { code: 'not_found', message: `no route ${req.method} ${url.pathname}` })
    try {
      send(res, 200, route(url.searchParams))
    } catch (e) {
      if (e instanceof MetiersError && e.code !== 'internal') {
        return send(res, 400, { code: e.code, message: e.message, field: e.field })
      }
      send(res, 500, { code: 'internal', message: 'internal error' })
    }
  })
}

module.exports = { createServer }

if (require.main === module) {
  const port = Number(process.argv[2] ?? 8080)
  createServer().listen(port, '127.0.0.1', () => console.log(`metiers on http://127.0.0.1:${port}/stages?near=Flers&radius=30`))
}
