'use strict'
// Placement from Node: the same placement sync and async, a cohort placed and checked, errors
// naming the pupil and field, and apply all at once.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const fs = require('node:fs')
const { Engine } = require('..')

const catalog = fs.readFileSync(path.join(__dirname, '..', '..', 'tests/fixtures/assign/catalog.json'))

function small () {
  const e = Engine.empty()
  e.loadJson(catalog)
  return e
}

const pupil = (id, wishes, week = '2027-W03') => ({ id, school: '0140006F', weeks: [week], wishes })

test('assignAsync gives the placement assign gives, off the event loop', async () => {
  const e = small()
  const pupils = [pupil('a', ['s3', 's1']), pupil('b', ['s3']), pupil('c', ['s3', 's1'])]
  const options = { priorities: { seed: 5 } }
  const sync = e.assign(pupils, options)
  assert.deepEqual(await e.assignAsync(pupils, options), sync)
  assert.equal(sync.report.pupils, 3)
  assert.equal(e.checkPlacement(pupils, sync, options).stable, true)
})

test('a cohort of the Orne is placed, stable, and the same with the same seed', () => {
  const e = Engine.normandy()
  const pupils = e.cohort({ departement: '61', share: 0.03 })
  assert.ok(pupils.length > 50)
  const options = { priorities: { rep_first: true, seed: 9 }, suggestions: 0 }
  const p = e.assign(pupils, options)
  assert.deepEqual(e.assign(pupils, options), p)
  assert.equal(e.checkPlacement(pupils, p.pupils.map((x) => ({ pupil: x.pupil, stage: x.stage })), options).stable, true)
  assert.equal(p.report.by_wish.reduce((a, b) => a + b, 0), p.report.placed)
})

test('bad requests name the pupil and the field; apply happens once', async () => {
  const e = small()
  assert.throws(() => e.assign([pupil('a', ['nope'])]), { code: 'invalid_input', field: 'pupils[0].wishes[0]' })
  await assert.rejects(e.assignAsync([pupil('a', ['s1'], 'W03')]), { code: 'invalid_input', field: 'pupils[0].weeks' })
  assert.throws(() => e.assign('pupils'), { code: 'invalid_input', field: 'pupils' })
  const p = e.assign([pupil('a', ['s1']), pupil('b', ['s1'])])
  assert.deepEqual(e.apply(p).reserved, 2)
  assert.throws(() => e.apply(p), { code: 'conflict' })
  assert.equal(e.stage('s1').places_left, 1)
})
