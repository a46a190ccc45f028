// Territory analytics from Node: coverage rows and summaries, the async form, white zones,
// supply and demand, and bad requests as coded errors.
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const { Engine, MetiersError } = require('../lib')

const engine = Engine.normandy()

test('coverage: one row per commune and sector, white zones summed per département', () => {
  const c = engine.coverage({ radii_km: [15], sectors: ['H', 'J'] })
  assert.equal(c.rows.length, 2651 * 2)
  assert.equal(c.places.length, 2651)
  assert.equal(c.rows[0].origin, c.places[0].id)
  assert.deepEqual(c.sectors.map(s => s.code), ['H', 'J'])
  const all = c.summary.find(s => s.area === 'all' && s.sector === 'H')
  const white = c.rows.filter(r => r.sector === 'H' && r.stages === 0).length
  assert.equal(all.white_origins, white)
  assert.ok(white > 0 && white < 2651)
})

test('coverageAsync gives the same coverage off the event loop', async () => {
  const request = { origins: 'points', points: [{ id: 'caen', lat: 49.1829, lon: -0.3707 }], radii_km: [10, 30] }
  assert.deepEqual(await engine.coverageAsync(request), engine.coverage(request))
})

test('white zones and supply and demand', () => {
  const z = engine.whiteZones({ radii_km: [15], sectors: ['H'], contours: false })
  assert.equal(z.zones.length, 1)
  assert.ok(z.zones[0].area_km2 > 0 && z.zones[0].area_km2 < z.territory_km2)
  assert.equal(z.zones[0].contour, null)
  const d = engine.supplyDemand({ radius_km: 15 })
  assert.equal(d.schools.length, 388)
  assert.deepEqual(d.groups.slice(0, 3).map(g => g.group), ['REP+', 'REP', 'hors EP'])
})

test('bad requests are coded errors naming the field', async () => {
  assert.throws(() => engine.coverage({ radii_km: [-1] }), e => e instanceof MetiersError && e.code === 'invalid_input' && e.field === 'radii_km[0]')
  assert.throws(() => engine.coverage({ sectors: ['Z'] }), e => e.code === 'invalid_input' && e.field === 'sectors[0]')
  assert.throws(() => engine.coverage({ radii_km: 'far' }), e => e.code === 'invalid_input' && /radii_km/.test(e.message))
  await assert.rejects(engine.coverageAsync({ origins: 'points' }), e => e.code === 'invalid_input' && e.field === 'points')
})
