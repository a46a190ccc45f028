'use strict'
// Runs the calls of a JSON file (tests/differential/cases.py) on a JS build of metiers and
// prints each one's answer as JSON, one per call, for tests/differential/check.py:
//   node tests/differential/run.js calls.json <module>
// <module>: the Node package (bindings-node) or the browser module built for Node
// (bindings-js/pkg-node/metiers_web.js). A library error is {error: {code, field, kind}};
// anything else thrown is {exception}, which check.py reports as a failure.
const fs = require('node:fs')
const path = require('node:path')

const mod = require(path.resolve(process.argv[3]))
const { Engine } = mod

// The markers of tests/vectors/README.md, built as the vector runner builds them.
const { build } = require('../vectors/runner.js')

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
const isLibraryError = (e) => e instanceof Error && typeof e.code === 'string' && !e.code.startsWith('ERR_')
const errorOf = (e) => ({ code: e.code, field: e.field ?? null, kind: e.kind ?? null })

const engine = Engine.normandy()
const out = []
for (const { op, args } of JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))) {
  const method = engine[camel(op)]
  if (typeof method !== 'function') {
    out.push({ absent: true })
    continue
  }
  const built = build(args)
  if (op === 'search_stages_batch') built[1] = { errors: built[1] }
  try {
    let result = method.apply(engine, built)
    if (op === 'search_stages_batch') {
      result = result.map((r) => (isLibraryError(r) ? { error: errorOf(r) } : r))
    }
    out.push({ ok: result })
  } catch (e) {
    out.push(isLibraryError(e) ? { error: errorOf(e) } : { exception: `${e && e.constructor && e.constructor.name}: ${e && e.message}` })
  }
}
process.stdout.write(JSON.stringify(out))
