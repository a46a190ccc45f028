'use strict'
// The browser module's start in Chromium, phase by phase: import of the glue, `init()` (fetch
// and compile the wasm), `Engine.normandy()` (decode the embedded data, generate the sample),
// the first stage search (builds the search index) and the first job-title search (builds the
// title index); then, in another new context, the example page (examples/widget/index.html)
// from navigation to the first results its widgets show. Each is a new browser context (no
// HTTP nor code cache), on the loopback server of examples/widget/serve.js; the table gives
// medians over the rounds, then the example page's milestones (when it asked for its script and
// its wasm, when the glue handed the wasm to the compiler, when it was ready, the first results).
//
//   bash bindings-js/build.sh && node benches/browser_start.js [rounds] [other checkout…]
//
// With other checkouts (their own bindings-js/pkg-web built), the rounds alternate between them:
// an A/B comparison on this noisy machine. CHROMIUM overrides /usr/bin/chromium.
const path = require('node:path')
const { chromium } = require(path.join(__dirname, '..', 'bindings-js', 'node_modules', 'playwright-core'))

const rounds = Number(process.argv[2] || 9)
const repos = [path.join(__dirname, '..'), ...process.argv.slice(3).map((p) => path.resolve(p))]

/** What the page runs: each phase timed with performance.now(). */
const PROBE = async () => {
  const t = [performance.now()]
  const { default: init, Engine } = await import('/metiers/metiers_web.js')
  t.push(performance.now())
  await init()
  t.push(performance.now())
  const engine = Engine.normandy()
  t.push(performance.now())
  const page = engine.searchStages({ near: 'Flers', radius_km: 20 })
  t.push(performance.now())
  const titles = engine.searchMetiers('boulang', 8)
  t.push(performance.now())
  if (!page.total || !titles.length) throw new Error('no results')
  return t.slice(1).map((x, i) => x - t[i])
}
const PHASES = ['import', 'init (fetch + compile)', 'Engine.normandy()', 'first searchStages', 'first searchMetiers']
/** The example page's milestones, from navigation. */
const MILESTONES = ['its script requested', 'the wasm requested', 'the wasm response handed to the compiler',
  'the wasm compiled and instantiated', 'its first results (Engine.normandy(), the searches, the cards)']

async function main () {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync',
      '--disable-background-networking', '--disable-component-update',
      // JSFLAGS: V8 flags for the run, e.g. --liftoff-only (README: where the start goes).
      ...(process.env.JSFLAGS ? [`--js-flags=${process.env.JSFLAGS}`] : [])]
  })
  const servers = []
  for (const repo of repos) {
    const { start } = require(path.join(repo, 'examples', 'widget', 'serve.js'))
    servers.push(await start(0))
  }
  const times = repos.map(() => PHASES.map(() => []))
  const pages = repos.map(() => [])
  const milestones = repos.map(() => MILESTONES.map(() => []))
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < repos.length; k++) {
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.goto(servers[k].url + 'metiers/metiers-widget.d.ts')
      const phases = await page.evaluate(PROBE)
      phases.forEach((ms, i) => times[k][i].push(ms))
      await context.close()
      // The example page, in a context of its own: navigation to the first results it shows.
      const fresh = await browser.newContext()
      const example = await fresh.newPage()
      await example.addInitScript(() => {
        addEventListener('metiers-results', () => { window.firstResultsMs ??= performance.now() })
        // When the glue hands the wasm response to the browser, and when it is compiled.
        const instantiate = WebAssembly.instantiateStreaming
        WebAssembly.instantiateStreaming = async (...args) => {
          window.instantiateMs ??= performance.now()
          const out = await instantiate(...args)
          window.instantiatedMs ??= performance.now()
          return out
        }
      })
      await example.goto(servers[k].url)
      await example.waitForFunction(() => window.firstResultsMs !== undefined, null, { timeout: 30000 })
      const marks = await example.evaluate(() => {
        const of = (name) => performance.getEntriesByType('resource').find((e) => e.name.endsWith(name))
        return [of('metiers-widget.js').startTime, of('metiers_web_bg.wasm').startTime,
          window.instantiateMs, window.instantiatedMs, window.firstResultsMs]
      })
      marks.forEach((ms, i) => milestones[k][i].push(ms))
      pages[k].push(marks[marks.length - 1])
      await fresh.close()
    }
  }
  await browser.close()
  for (const s of servers) s.server.close()
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  console.log(`| phase (median of ${rounds}, ms) | ${repos.map((r) => path.basename(r)).join(' | ')} |`)
  console.log(`| --- | ${repos.map(() => '---').join(' | ')} |`)
  PHASES.forEach((name, i) => console.log(`| ${name} | ${times.map((t) => median(t[i]).toFixed(1)).join(' | ')} |`))
  const totals = times.map((t) => t[0].map((_, j) => t.reduce((s, phase) => s + phase[j], 0)))
  console.log(`| total | ${totals.map((t) => median(t).toFixed(1)).join(' | ')} |`)
  console.log(`| the example page: navigation to its first results | ${pages.map((t) => median(t).toFixed(1)).join(' | ')} |`)
  console.log(`\n| the example page, from navigation (median of ${rounds}, ms) | ${repos.map((r) => path.basename(r)).join(' | ')} |`)
  console.log(`| --- | ${repos.map(() => '---').join(' | ')} |`)
  MILESTONES.forEach((name, i) => console.log(`| ${name} | ${milestones.map((m) => median(m[i]).toFixed(1)).join(' | ')} |`))
}

main().catch((e) => { console.error(e); process.exit(1) })
