'use strict'
// End to end: the example school page (examples/widget/index.html) served on a loopback port,
// in Debian's Chromium driven by playwright-core. A pupil types a métier, picks a suggestion
// with the keyboard, widens the radius, filters by kind, meets an ambiguous commune; the light
// build with a site catalogue loads its own files. Screenshots go to target/e2e/.
// Needs `bash bindings-js/build.sh` first; CHROMIUM overrides /usr/bin/chromium.
const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { chromium } = require('playwright-core')
const { start } = require('../../examples/widget/serve.js')

const ARTIFACTS = path.join(__dirname, '..', '..', 'target', 'e2e')
let server, base, browser

before(async () => {
  ({ server, url: base } = await start(0))
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Playwright gives it a new empty profile. No outside network here: Chromium must not try
    // to reach Google's services.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync',
      '--disable-background-networking', '--disable-component-update']
  })
  fs.mkdirSync(ARTIFACTS, { recursive: true })
})

after(async () => {
  await browser?.close()
  server?.close()
})

/** A new page that records every request and every error the page reports. */
async function open (pathname) {
  const page = await browser.newPage({ viewport: { width: 900, height: 1100 }, locale: 'fr-FR' })
  const requests = []
  const problems = []
  const encodings = {}
  page.on('request', (r) => requests.push(r.url()))
  page.on('response', (r) => { encodings[r.url()] = r.headers()['content-encoding'] ?? null })
  // When the first results were shown, in ms after the navigation started (reported, not checked).
  await page.addInitScript(() => {
    addEventListener('metiers-results', () => { window.firstResultsMs ??= performance.now() })
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`) })
  await page.goto(new URL(pathname, base).href)
  return { page, requests, problems, encodings }
}

const widget = (page, tag = 'metiers-stages') => page.locator(tag).first()
const cards = (page, tag) => widget(page, tag).locator('ol.results > li')
const status = (page, tag) => widget(page, tag).getByRole('status')

test('a pupil in Flers types a métier, picks it with the keyboard and sees ranked stages with reasons', async (t) => {
  const { page, requests, problems } = await open('/')
  // The page's own attributes run a first search: every stage within 20 km of Flers.
  await assert.doesNotReject(cards(page).first().waitFor({ timeout: 30000 }))
  t.diagnostic(`full build: first results ${Math.round(await page.evaluate(() => window.firstResultsMs))} ms after navigation (one run)`)
  assert.match(await status(page).textContent(), /^\d+ stages à moins de 20 km de Flers/)

  // Suggestions as you type, in an accessible combobox.
  const box = widget(page).getByRole('combobox', { name: "Métier qui t'intéresse" })
  await box.pressSequentially('puericul', { delay: 30 })
  const list = widget(page).getByRole('listbox', { name: 'Métiers suggérés' })
  await list.waitFor()
  assert.equal(await box.getAttribute('aria-expanded'), 'true')
  const options = list.getByRole('option')
  assert.ok(await options.count() >= 3, 'several métiers are suggested')
  assert.match(await options.first().textContent(), /^Puériculteur \/ Puéricultrice/)
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-suggestions.png') })

  // Keyboard: arrow down marks the first option active, Enter picks it and searches.
  await box.press('ArrowDown')
  assert.equal(await box.getAttribute('aria-activedescendant'), 'suggestion-0')
  assert.equal(await options.first().getAttribute('aria-selected'), 'true')
  await box.press('Enter')
  assert.equal(await box.inputValue(), 'Puériculteur / Puéricultrice')
  assert.equal(await list.isHidden(), true)
  assert.equal(await box.getAttribute('aria-expanded'), 'false')
  await page.waitForFunction(() => /^1 stage à moins de 20 km de Flers/.test(
    document.querySelector('metiers-stages').shadowRoot.querySelector('.status').textContent))

  // The result: title, company, commune, dates, distance and the reasons in French.
  const first = cards(page).first()
  const text = await first.textContent()
  assert.match(text, /Stage d'observation de 3e : Puériculteur \/ Puéricultrice/)
  assert.match(text, /Clinique Tau de Briouze \(fictif\) — Briouze/)
  assert.match(text, /Du 7 au 11 décembre 2026/)
  assert.equal(await first.locator('.distance').textContent(), '13 km')
  const reasons = await first.getByRole('list', { name: 'Pourquoi ce stage' }).getByRole('listitem').allTextContents()
  assert.deepEqual(reasons, ['Même métier : Puériculteur / Puéricultrice', 'à 13 km', '1 place restante'])
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-puericulteur-flers.png'), fullPage: true })

  // Too few results: the next steps the engine proposes, as buttons.
  const more = widget(page).getByRole('group', { name: 'Pour voir plus de stages :' })
  await more.getByRole('button', { name: /^Élargir à 50 km \(5 stages\)$/ }).click()
  assert.equal(await widget(page).getByLabel('Distance').inputValue(), '50')
  await page.waitForFunction(() => document.querySelector('metiers-stages').shadowRoot.querySelectorAll('ol.results > li').length === 5)

  // Escape closes the suggestions without searching.
  await box.fill('')
  await box.pressSequentially('plomb', { delay: 30 })
  await list.waitFor()
  await box.press('Escape')
  assert.equal(await list.isHidden(), true)

  // Everything came from the page's own server: no other request.
  const foreign = requests.filter((u) => !u.startsWith(base))
  assert.deepEqual(foreign, [])
  assert.ok(requests.some((u) => u.endsWith('/metiers/metiers_web_bg.wasm')))
  assert.deepEqual(problems, [])
  await page.close()
})

test('the kind filter and the radius select narrow the search', async () => {
  const { page, problems } = await open('/')
  await cards(page).first().waitFor({ timeout: 30000 })
  await widget(page).getByLabel('Distance').selectOption('50')
  await widget(page).getByLabel('Type de stage').selectOption('mini_stage')
  await page.waitForFunction(() => /à moins de 50 km de Flers/.test(
    document.querySelector('metiers-stages').shadowRoot.querySelector('.status').textContent))
  const titles = await widget(page).locator('ol.results h3').allTextContents()
  assert.ok(titles.length > 0)
  for (const t of titles) assert.match(t, /^Mini-stage de découverte/)
  assert.deepEqual(problems, [])
  await page.close()
})

test('an ambiguous or unknown commune and an unknown métier are explained in French', async () => {
  const { page, problems } = await open('/')
  await cards(page).first().waitFor({ timeout: 30000 })
  const near = widget(page).getByLabel('Commune')
  await near.fill('Cuverville')
  await near.press('Enter')
  await page.waitForFunction(() => /« Cuverville » peut désigner plusieurs lieux/.test(
    document.querySelector('metiers-stages').shadowRoot.querySelector('.status').textContent))
  assert.equal(await cards(page).count(), 0)
  // The three Cuvervilles are offered; the one picked is searched by its INSEE code.
  assert.equal(await widget(page).getByRole('button', { name: /^Cuverville \((14|27|76)\) — nom$/ }).count(), 3)
  await widget(page).getByRole('button', { name: 'Cuverville (14) — nom' }).click()
  assert.equal(await near.inputValue(), 'Cuverville')
  await page.waitForFunction(() => /stages? à moins de 20 km de Cuverville|Aucun stage à moins de 20 km de Cuverville/.test(
    document.querySelector('metiers-stages').shadowRoot.querySelector('.status').textContent))
  const origin = await page.evaluate(() => document.querySelector('metiers-stages').lastResult.origin)
  assert.deepEqual([origin.code, origin.matched_by], ['14215', 'insee'])
  // Picking Campigny (14) searches Campigny, not the commune whose postal code is 14130.
  await near.fill('Campigny')
  await near.press('Enter')
  await widget(page).getByRole('button', { name: 'Campigny (14) — nom' }).click()
  await page.waitForFunction(() => document.querySelector('metiers-stages').lastResult?.origin?.name === 'Campigny')
  const campigny = await page.evaluate(() => document.querySelector('metiers-stages').lastResult.origin)
  assert.equal(campigny.departement, '14')
  // A département is searched as an area, without a radius.
  await near.fill('Orne')
  await near.press('Enter')
  await page.waitForFunction(() => /dans le département : Orne/.test(
    document.querySelector('metiers-stages').shadowRoot.querySelector('.status').textContent))
  await near.fill('Atlantis')
  await near.press('Enter')
  await page.waitForFunction(() => /Commune inconnue : « Atlantis »/.test(
    document.querySelector('metiers-stages').shadowRoot.querySelector('.status').textContent))
  await near.fill('Flers')
  const box = widget(page).getByRole('combobox', { name: "Métier qui t'intéresse" })
  await box.fill('zzqxw')
  await box.press('Enter')
  await page.waitForFunction(() => /Métier inconnu : « zzqxw »/.test(
    document.querySelector('metiers-stages').shadowRoot.querySelector('.status').textContent))
  assert.deepEqual(problems, [])
  await page.close()
})

test('the light build fetches its data files and the site catalogue, and nothing else', async (t) => {
  const { page, requests, problems, encodings } = await open('/lite.html')
  await cards(page).first().waitFor({ timeout: 30000 })
  // The server sends the precompressed files (build.sh writes .br and .gz beside each).
  for (const f of ['/metiers-lite/metiers_web_bg.wasm', '/metiers-lite/data/rome.bin', '/metiers-lite/metiers-widget.js']) {
    assert.ok(['br', 'gzip'].includes(encodings[new URL(f, base).href]), `${f}: ${encodings[new URL(f, base).href]}`)
  }
  assert.equal(encodings[new URL('/data/catalog.json', base).href], null, 'the site catalogue is sent as it is')
  t.diagnostic(`light build: first results ${Math.round(await page.evaluate(() => window.firstResultsMs))} ms after navigation (one run)`)
  assert.equal(await status(page).textContent(), "2 stages à moins de 50 km d'Évreux.")
  assert.equal(await cards(page).first().locator('.distance').textContent(), '< 1 km')
  const ids = await page.evaluate(() => document.querySelector('metiers-stages').lastResult.matches.map((m) => m.id))
  assert.deepEqual(ids, ['stg-11', 'stg-10'])
  assert.match(await cards(page).nth(1).textContent(), /Haras Exemple \(fictif\) — L'Aigle/)
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-lite-evreux.png'), fullPage: true })
  const own = (p) => requests.some((u) => u === new URL(p, base).href)
  assert.ok(own('/metiers-lite/data/rome.bin') && own('/metiers-lite/data/normandy.bin') && own('/data/catalog.json'))
  assert.deepEqual(requests.filter((u) => !u.startsWith(base)), [])
  assert.deepEqual(problems, [])
  await page.close()
})

test('axe-core finds no accessibility violation in either element, with results and with suggestions open', async () => {
  const { page, problems } = await open('/')
  await cards(page).first().waitFor({ timeout: 30000 })
  // Injected from the file (inline), so it is no request either.
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') })
  const audit = () => page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run({ include: [['metiers-stages'], ['metiers-ambassadors']] }, { resultTypes: ['violations'] })
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  })
  assert.deepEqual(await audit(), [])
  const box = widget(page).getByRole('combobox', { name: "Métier qui t'intéresse" })
  await box.pressSequentially('mecani', { delay: 30 })
  await box.press('ArrowDown')
  assert.deepEqual(await audit(), [])
  assert.deepEqual(problems, [])
  await page.close()
})

test('attributes drive the element: a new place or métier searches again and fires metiers-results', async () => {
  const { page, problems } = await open('/')
  await cards(page).first().waitFor({ timeout: 30000 })
  const detail = await page.evaluate(() => new Promise((resolve) => {
    const widget = document.querySelector('metiers-stages')
    widget.addEventListener('metiers-results', (e) => resolve({ origin: e.detail.origin.name, total: e.detail.total, ids: e.detail.matches.map((m) => m.id) }), { once: true })
    widget.setAttribute('near', 'Caen')
  }))
  assert.equal(detail.origin, 'Caen')
  assert.match(await status(page).textContent(), new RegExp(`^${detail.total} stages? à moins de 20 km de Caen`))
  const withMetier = await page.evaluate(() => {
    const widget = document.querySelector('metiers-stages')
    widget.setAttribute('near', 'Flers')
    widget.setAttribute('radius', '50')
    widget.setAttribute('metier', 'J1507')
    return { query: widget.query(), total: widget.lastResult.total, first: widget.lastResult.matches[0].reasons[0], shown: widget.shadowRoot.querySelector('#metier').value }
  })
  assert.deepEqual(withMetier.query.metiers, ['J1507'])
  assert.equal(withMetier.query.radius_km, 50)
  assert.equal(withMetier.total, 5)
  assert.equal(withMetier.first, 'Même métier : Puériculteur / Puéricultrice')
  assert.equal(withMetier.shown, 'Puériculteur / Puéricultrice')
  assert.deepEqual(problems, [])
  await page.close()
})

test('the full build with a catalog attribute searches the site catalogue instead of the sample', async () => {
  const { page, requests, problems } = await open('/')
  await cards(page).first().waitFor({ timeout: 30000 })
  const ids = await page.evaluate(() => new Promise((resolve) => {
    const widget = document.createElement('metiers-stages')
    widget.setAttribute('catalog', '/data/catalog.json')
    widget.setAttribute('near', 'Évreux')
    widget.setAttribute('radius', '50')
    widget.addEventListener('metiers-results', (e) => resolve(e.detail.matches.map((m) => m.id)), { once: true })
    document.querySelector('main').append(widget)
  }))
  assert.deepEqual(ids, ['stg-11', 'stg-10'])
  assert.ok(requests.some((u) => u === new URL('/data/catalog.json', base).href))
  assert.ok(!requests.some((u) => u.includes('rome.bin')), 'the full build needs no data file')
  assert.deepEqual(problems, [])
  await page.close()
})

test('a site catalogue as CSV files (a spreadsheet export) is loaded in reference order', { timeout: 120000 }, async () => {
  const { page, requests, problems } = await open('/')
  await cards(page).first().waitFor({ timeout: 30000 })
  const ids = await page.evaluate(() => new Promise((resolve) => {
    const widget = document.createElement('metiers-stages')
    // Stages first: they name companies, which the widget still loads before them.
    widget.setAttribute('catalog', '/data/stages.csv /data/companies.csv')
    widget.setAttribute('near', 'Flers')
    widget.setAttribute('radius', '20')
    widget.addEventListener('metiers-results', (e) => resolve(e.detail.matches.map((m) => m.id)), { once: true })
    document.querySelector('main').append(widget)
  }))
  assert.deepEqual(ids, ['stg-1'])
  const meta = await page.locator('metiers-stages').nth(1).locator('ol.results > li .meta').first().textContent()
  assert.match(meta, /^Ateliers Exemple du Bocage \(fictif\) — Flers/)
  for (const f of ['/data/stages.csv', '/data/companies.csv']) assert.ok(requests.includes(new URL(f, base).href), f)
  assert.deepEqual(problems, [])
  await page.close()
})

test('a mistake in the page\'s attributes is explained in French to the visitor and in English in the console', { timeout: 120000 }, async () => {
  const { page, problems } = await open('/')
  await cards(page).first().waitFor({ timeout: 30000 })
  const cases = [
    ['audience', 'collège', /unknown variant `collège`, expected one of `college`/],
    ['radius', 'abc', /radius_km "abc"/],
    ['kind', 'stage3e', /kinds\[0\] "stage3e"/],
    ['limit', '0', /limit "0": must be at least 1/]
  ]
  for (const [attribute, value, reason] of cases) {
    const shown = await page.evaluate(([attribute, value]) => new Promise((resolve) => {
      const widget = document.createElement('metiers-stages')
      widget.setAttribute('near', 'Flers')
      widget.setAttribute(attribute, value)
      widget.addEventListener('metiers-error', (e) => resolve({
        code: e.detail.code,
        status: widget.shadowRoot.querySelector('.status').textContent,
        cards: widget.shadowRoot.querySelectorAll('ol.results > li').length
      }), { once: true })
      document.querySelector('main').append(widget)
    }), [attribute, value])
    assert.equal(shown.code, 'invalid_input', attribute)
    assert.equal(shown.status, `Ce module de recherche est mal réglé sur cette page (${attribute}="${value}") : il ne peut pas chercher. Préviens le responsable du site.`)
    assert.equal(shown.cards, 0, `${attribute}: no results shown as if nothing were wrong`)
    const logged = problems.splice(0)
    assert.equal(logged.length, 1, logged.join(' | '))
    assert.match(logged[0], new RegExp(`^console error: metiers-widget: the attribute ${attribute}="${value}" of <metiers-stages> is not valid: `))
    assert.match(logged[0], reason)
  }
  // The pupil's own choice of radius replaces the refused attribute, and the search runs.
  const fixed = await page.evaluate(() => new Promise((resolve) => {
    const widget = document.querySelectorAll('metiers-stages')[2] // radius="abc"
    widget.addEventListener('metiers-results', (e) => resolve(e.detail.total), { once: true })
    const select = widget.shadowRoot.querySelector('#radius')
    select.value = '50'
    select.dispatchEvent(new Event('change'))
  }))
  assert.ok(fixed > 0)
  // A département as `near`: searched as an area, and said so.
  const departement = await page.evaluate(() => new Promise((resolve) => {
    const widget = document.createElement('metiers-stages')
    widget.setAttribute('near', 'Calvados')
    widget.setAttribute('radius', '20')
    widget.addEventListener('metiers-results', () => resolve(widget.shadowRoot.querySelector('.status').textContent), { once: true })
    document.querySelector('main').append(widget)
  }))
  assert.match(departement, /^\d+ stages dans le département : Calvados/)
  assert.doesNotMatch(departement, /km/)
  assert.deepEqual(problems, [])
  await page.close()
})

test('a catalogue that cannot be loaded is said in the widget and sent as metiers-error', async () => {
  const { page, problems } = await open('/')
  await cards(page).first().waitFor({ timeout: 30000 })
  const message = await page.evaluate(() => new Promise((resolve) => {
    const widget = document.createElement('metiers-stages')
    widget.setAttribute('catalog', '/data/missing.json')
    widget.setAttribute('near', 'Évreux')
    widget.addEventListener('metiers-error', (e) => resolve(e.detail.message), { once: true })
    document.querySelector('main').append(widget)
  }))
  assert.match(message, /missing\.json a répondu 404/)
  const shown = await page.locator('metiers-stages').nth(1).locator('.status').textContent()
  assert.match(shown, /^Le module de recherche n'a pas pu démarrer : Catalogue : .*missing\.json a répondu 404/)
  // The browser reports the 404 itself; nothing else went wrong.
  assert.deepEqual(problems.filter((p) => !/404/.test(p)), [])
  await page.close()
})

test('<metiers-ambassadors> on the same page: professionals near Flers, filtered by how to meet them', async () => {
  const { page, problems } = await open('/')
  const tag = 'metiers-ambassadors'
  await cards(page, tag).first().waitFor({ timeout: 30000 })
  assert.match(await status(page, tag).textContent(), /^\d+ ambassadeurs à moins de 30 km de Flers/)
  assert.equal(await widget(page, tag).getByRole('heading', { level: 2 }).textContent(), 'Rencontrer un professionnel près de chez toi')
  const first = cards(page, tag).first()
  assert.match(await first.locator('.meta').first().textContent(), /\(fictif\)/)
  await widget(page, tag).getByLabel('Pour échanger').selectOption('class_visit')
  await page.waitForFunction(() => document.querySelector('metiers-ambassadors').lastResult.matches
    .every((m) => m.item.contacts.some((c) => c.mode === 'class_visit')))
  const reasons = await widget(page, tag).getByRole('list', { name: 'Pourquoi cet ambassadeur' }).first().getByRole('listitem').allTextContents()
  assert.ok(reasons.some((r) => /intervention en classe/.test(r)), reasons.join(' | '))
  // Each element searches on its own: the stages next to it did not change.
  assert.match(await status(page).textContent(), /^\d+ stages à moins de 20 km de Flers/)
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-ambassadors.png'), fullPage: true })
  assert.deepEqual(problems, [])
  await page.close()
})

test('a teacher places a class of 30 in the page, and nothing leaves it', async () => {
  const { page, requests, problems } = await open('/index.html')
  await cards(page).first().waitFor({ timeout: 30000 })
  const before = requests.length
  const result = await page.evaluate(async () => {
    const m = await import('/metiers/metiers_web.js')
    await m.default()
    const e = m.Engine.normandy()
    // The week with the most stages d'observation, and a REP collège of the Orne (the browser
    // build embeds no schools: the page gives its own).
    const weeks = {}
    for (const s of e.table('stages')) {
      if (s.kind !== 'observation_3e') continue
      for (const p of s.periods) weeks[p.start] = (weeks[p.start] || 0) + 1
    }
    const monday = Object.entries(weeks).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0]
    const friday = new Date(Date.parse(monday + 'T00:00:00Z') + 4 * 864e5).toISOString().slice(0, 10)
    const stages = e.searchStages({ near: 'Alençon', radius_km: 100, kinds: ['observation_3e'], dates: { start: monday, end: friday }, limit: 8 })
    const school = { uai: '0610011F', kind: 'college', name: 'Collège (exemple)', lat: 48.43, lon: 0.09, education_prioritaire: 'REP' }
    const week = stages.matches[0].item.periods.find((p) => p.start === monday)
    const iso = (d) => { // the ISO week of a Monday
      const t = new Date(d + 'T00:00:00Z')
      t.setUTCDate(t.getUTCDate() + 3) // its Thursday decides the year
      const y = t.getUTCFullYear()
      const jan4 = new Date(Date.UTC(y, 0, 4))
      const week1 = Date.UTC(y, 0, 4 - ((jan4.getUTCDay() + 6) % 7))
      return `${y}-W${String(1 + Math.floor((t - week1) / (7 * 864e5))).padStart(2, '0')}`
    }
    const ids = stages.matches.map((x) => x.id)
    const pupils = Array.from({ length: 30 }, (_, i) => ({ id: `eleve-${i + 1}`, school: school.uai, class: '3e B', weeks: [iso(week.start)], wishes: [ids[i % ids.length], ids[(i + 1) % ids.length], ids[(i + 3) % ids.length]] }))
    const options = { priorities: { seed: 4 }, schools: [school] }
    const placement = e.assign(pupils, options)
    return { report: placement.report, stable: e.checkPlacement(pupils, placement, options).stable, text: placement.pupils[0].text }
  })
  assert.equal(result.report.pupils, 30)
  assert.ok(result.report.placed > 0, JSON.stringify(result.report))
  assert.equal(result.stable, true)
  assert.match(result.text, /^(Stage .* obtenu|Aucun stage obtenu)/)
  assert.deepEqual(requests.slice(before).filter((u) => !u.startsWith(base)), [])
  assert.deepEqual(requests.slice(before).filter((u) => !/metiers_web/.test(u)), [])
  assert.deepEqual(problems, [])
  await page.close()
})
