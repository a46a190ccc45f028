'use strict'
// The browser module's start phases in Node, the module built for Node (bindings-js/pkg-node):
// require (compile), `Engine.normandy()`, the first and second `searchStages`, the first
// `searchMetiers`. Each round is a process of its own; the medians are printed. V8 flags given
// after the script go to each process, so the runs with and without them can be compared:
//
//   bash bindings-js/build.sh && node benches/wasm_phases.js 8 -- --wasm-tiering-budget=100000000
//
// (README, "Where much of the rest goes": the optimizing compiler's tasks against the start.)
const { execFileSync } = require('node:child_process')
const path = require('node:path')

const MODULE = path.join(__dirname, '..', 'bindings-js', 'pkg-node', 'metiers_web.js')
const PHASES = ['require', 'Engine.normandy()', 'first searchStages', 'second searchStages', 'first searchMetiers']

/** One process: the phases' times in ms, printed as JSON. */
const ROUND = `
const t = [performance.now()]
const m = require(${JSON.stringify(MODULE)})
t.push(performance.now())
const e = m.Engine.normandy()
t.push(performance.now())
e.searchStages({ near: 'Flers', radius_km: 20 })
t.push(performance.now())
e.searchStages({ near: 'Flers', radius_km: 20 })
t.push(performance.now())
if (!e.searchMetiers('boulang', 8).length) throw new Error('no job titles')
t.push(performance.now())
console.log(JSON.stringify(t.slice(1).map((x, i) => x - t[i])))
`

const args = process.argv.slice(2)
const rounds = Number(args[0] || 8)
const flagsAt = args.indexOf('--')
const variants = [[], ...(flagsAt >= 0 ? [args.slice(flagsAt + 1)] : [])]
const times = variants.map(() => PHASES.map(() => []))
for (let r = 0; r < rounds; r++) {
  variants.forEach((flags, k) => {
    const out = execFileSync(process.execPath, [...flags, '-e', ROUND], { encoding: 'utf8' })
    JSON.parse(out).forEach((ms, i) => times[k][i].push(ms))
  })
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const range = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`
const names = variants.map((f) => (f.length ? f.join(' ') : 'V8 defaults'))
console.log(`| phase (${rounds} processes each, alternated: median, range in ms) | ${names.join(' | ')} |`)
console.log(`| --- | ${names.map(() => '---').join(' | ')} |`)
PHASES.forEach((name, i) => {
  console.log(`| ${name} | ${times.map((t) => `${median(t[i]).toFixed(1)} (${range(t[i])})`).join(' | ')} |`)
})
