'use strict'
// The HTTP example, started on a loopback port and called as a portal would.
const test = require('node:test')
const assert = require('node:assert/strict')
// The example requires the package as 'metiers' (examples/node-http/node_modules, made by
// scripts/setup: a link to this package).
const { createServer } = require('../../examples/node-http/server.js')

test('the HTTP example serves ranked stages and answers 400 with the code on bad input', async (t) => {
  const server = createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => server.close())
  const base = `http://127.0.0.1:${server.address().port}`

  const ok = await fetch(`${base}/stages?near=Flers&radius=30&interest=${encodeURIComponent("J'aime le travail manuel")}`)
  assert.equal(ok.status, 200)
  const page = await ok.json()
  assert.ok(page.total > 0)
  assert.equal(page.matches[0].reasons[0], "Centre d'intérêt principal : J'aime le travail manuel")

  const bad = await fetch(`${base}/stages?near=Caen&radius=-3`)
  assert.equal(bad.status, 400)
  const badBody = await bad.json()
  assert.deepStrictEqual(Object.keys(badBody), ['code', 'message', 'field', 'value'])
  assert.deepStrictEqual([badBody.code, badBody.field, badBody.value], ['invalid_input', 'radius', '-3'])

  // Bad numbers are answered with the parameter and the value the client sent.
  for (const [params, field, value] of [['radius=abc', 'radius', 'abc'], ['limit=abc', 'limit', 'abc'],
    ['limit=0', 'limit', '0'], ['radius=', 'radius', ''], ['offset=1e999', 'offset', '1e999']]) {
    const r = await fetch(`${base}/stages?near=Caen&${params}`)
    assert.equal(r.status, 400, params)
    const body = await r.json()
    assert.deepStrictEqual([body.code, body.field, body.value], ['invalid_input', field, value], params)
  }
  const badLimit = await (await fetch(`${base}/metiers?q=fraiseur&limit=deux`)).json()
  assert.deepStrictEqual([badLimit.field, badLimit.value], ['limit', 'deux'])

  const unknown = await fetch(`${base}/stages?near=Atlantis`)
  assert.equal(unknown.status, 404)
  const unknownBody = await unknown.json()
  assert.deepStrictEqual([unknownBody.code, unknownBody.kind, unknownBody.value], ['not_found', 'place', 'Atlantis'])
  const noMetier = await (await fetch(`${base}/stages?near=Caen&metier=N4999`)).json()
  assert.equal(noMetier.code, 'not_found')

  const ambiguous = await fetch(`${base}/stages?near=${encodeURIComponent('Saint-Martin')}`)
  const ambiguousBody = await ambiguous.json()
  assert.equal(ambiguous.status, 400)
  assert.equal(ambiguousBody.code, 'ambiguous_place')
  assert.ok(ambiguousBody.candidates.length > 1 && ambiguousBody.total >= ambiguousBody.candidates.length)

  const post = await fetch(`${base}/stages?near=Caen`, { method: 'POST', body: '{}' })
  assert.equal(post.status, 405)
  assert.equal(post.headers.get('allow'), 'GET, HEAD')
  assert.equal((await post.json()).code, 'method_not_allowed')

  const amb = await (await fetch(`${base}/ambassadors?near=Caen&metier=boulanger&contact=video`)).json()
  assert.ok(amb.matches.every((m) => m.item.contacts.some((c) => c.mode === 'video')))
  assert.equal((await (await fetch(`${base}/metiers?q=fraiseur`)).json())[0].code, 'H2903')
  const nowhere = await fetch(`${base}/nowhere`)
  assert.equal(nowhere.status, 404)
  assert.equal((await nowhere.json()).kind, 'route')
})
