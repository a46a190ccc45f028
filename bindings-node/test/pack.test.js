'use strict'
// The package as a user gets it: `npm pack`, installed in an empty folder, then the README's
// five-line example run through `require('metiers')` and `import { Engine } from 'metiers'`.
const { test } = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const pkgDir = path.join(__dirname, '..')
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

test('npm pack: the tarball holds the package and installs in an empty folder', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metiers-pack-'))
  try {
    const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp, '--loglevel=error'], pkgDir))
    const files = packed.files.map((f) => f.path).sort()
    for (const f of ['LICENSE', 'NOTICE', 'README.md', 'package.json', 'lib/index.js', 'lib/index.mjs',
      'lib/index.d.ts', 'lib/index.d.mts', 'lib/types.d.ts', 'native.js', 'native.d.ts']) {
      assert.ok(files.includes(f), `${f} is in the tarball (has: ${files.join(', ')})`)
    }
    assert.ok(files.some((f) => /^metiers\.[a-z0-9-]+\.node$/.test(f)), 'the addon is in the tarball')
    assert.ok(!files.some((f) => /^(src|test|npm)\//.test(f) || f === 'Cargo.toml'), `no sources or tests: ${files.join(', ')}`)

    const app = path.join(tmp, 'app')
    fs.mkdirSync(app)
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }))
    npm(['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', path.join(tmp, packed.filename)], app)

    const cjs = `const { Engine, MetiersError } = require('metiers')
const engine = Engine.normandy()
const page = engine.searchStages({ near: 'Flers', radius_km: 30, interests: ["J'aime le travail manuel"] })
let code = null
try { engine.locate('Atlantis') } catch (e) { code = e instanceof MetiersError && e.code }
console.log(JSON.stringify({ total: page.total, reasons: page.matches[0].reasons, code }))`
    fs.writeFileSync(path.join(app, 'example.cjs'), cjs)
    const out = JSON.parse(execFileSync(process.execPath, ['example.cjs'], { cwd: app, encoding: 'utf8' }))
    assert.ok(out.total > 0)
    assert.match(out.reasons.join(' · '), /J'aime le travail manuel/)
    assert.equal(out.code, 'not_found')

    const esm = `import { Engine } from 'metiers'
import metiers from 'metiers'
const engine = Engine.normandy()
console.log(JSON.stringify({ km: engine.distanceKm('Flers', 'Caen'), same: metiers.Engine === Engine }))`
    fs.writeFileSync(path.join(app, 'example.mjs'), esm)
    const esmOut = JSON.parse(execFileSync(process.execPath, ['example.mjs'], { cwd: app, encoding: 'utf8' }))
    assert.equal(Math.round(esmOut.km * 10) / 10, 51.5)
    assert.equal(esmOut.same, true)
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
})
