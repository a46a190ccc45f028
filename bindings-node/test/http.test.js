'use strict'
// The HTTP example, started on a loopback port and called as a portal would.
const test = require('node:test')
const assert = require('node:assert/strict')
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
  assert.deepStrictEqual(Object.keys(await bad.json()), ['code', 'message', 'field'])

  const unknown = await fetch(`${base}/stages?near=Atlantis`)
  assert.equal(unknown.status, 400)
  assert.equal((await unknown.json()).code, 'not_found')

  const amb = await (await fetch(`${base}/ambassadors?near=Caen&metier=boulanger&contact=video`)).json()
  assert.ok(amb.matches.every((m) => m.item.contacts.some((c) => c.mode === 'video')))
  assert.equal((await (await fetch(`${base}/metiers?q=fraiseur`)).json())[0].code, 'H2903')
  assert.equal((await fetch(`${base}/nowhere`)).status, 404)
})
