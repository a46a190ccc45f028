'use strict'
// The example page (examples/widget/index.html) visited four times in one browser: from
// navigation to its first results, each visit after a blank page and a pause. Chromium keeps the
// WebAssembly module it compiled (with the functions it optimized) for the next pages of the
// site in the same process, so later visits skip the compilation and the optimizing compiler's
// work that slow the first. Each round is a new browser with a profile of its own.
//
//   bash bindings-js/build.sh && node benches/browser_revisits.js [rounds]
//
// CHROMIUM overrides /usr/bin/chromium. (README, "Where much of the rest goes".)
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { chromium } = require(path.join(__dirname, '..', 'bindings-js', 'node_modules', 'playwright-core'))
const { start } = require(path.join(__dirname, '..', 'examples', 'widget', 'serve.js'))

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync',
  '--disable-background-networking', '--disable-component-update']
const VISITS = 4

async function main () {
  const rounds = Number(process.argv[2] || 3)
  const server = await start(0)
  console.log(`| round | ${Array.from({ length: VISITS }, (_, i) => `visit ${i + 1} (ms)`).join(' | ')} |`)
  console.log(`| --- | ${Array.from({ length: VISITS }, () => '---').join(' | ')} |`)
  for (let r = 0; r < rounds; r++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metiers-revisits-'))
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS
    })
    await context.addInitScript(() => {
      addEventListener('metiers-results', () => { window.firstResultsMs ??= performance.now() })
    })
    const page = await context.newPage()
    const visits = []
    for (let v = 0; v < VISITS; v++) {
      await page.goto(server.url)
      await page.waitForFunction(() => window.firstResultsMs !== undefined, null, { timeout: 30000 })
      visits.push(await page.evaluate(() => window.firstResultsMs))
      await page.goto('about:blank')
      await new Promise((resolve) => setTimeout(resolve, 4000))
    }
    console.log(`| ${r + 1} | ${visits.map((ms) => ms.toFixed(0)).join(' | ')} |`)
    await context.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  server.server.close()
}

main().catch((e) => { console.error(e); process.exit(1) })
