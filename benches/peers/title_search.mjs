// Side by side, in one run: the widget's as-you-type job-title search (metiers-web, the same
// WebAssembly module the browser runs) against the JavaScript libraries a widget author would
// pick instead (../shared/BENCHMARKS.md): MiniSearch (prefix + fuzzy) and FlexSearch (forward
// tokenizer, Latin encoder), on the same 13,120 ROME 4.60 titles and the same seeded queries.
//
//   bash bindings-js/build.sh && (cd benches/peers/js && npm install) && node benches/peers/title_search.mjs
//
// Queries, as a pupil types them (lower case, no accents): the first two words of a title with
// the last one cut short (prefix), and the same two words whole with one typo (a letter left out,
// doubled... see typo()). A query is a hit when the title's métier is in the first 10 métiers.
// Times are medians per query over 5 rounds after a warm-up; quote the ratios, not the times.
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.join(here, '..', '..')
const require = createRequire(path.join(here, 'js', 'package.json'))
const MiniSearch = require('minisearch')
const { Index, Charset } = require('flexsearch')
const { Engine } = createRequire(import.meta.url)(path.join(repo, 'bindings-js', 'pkg-node', 'metiers_web.js'))

const QUERIES = 1000
const ROUNDS = 5
const TOP = 10

// --- data: the appellations of ROME 4.60 (code_rome, libelle_appellation_long) ---------------
function parseCsv (text) {
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++ } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') { row.push(field); field = '' } else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = '' } else field += c
  }
  if (field || row.length) { row.push(field); rows.push(row) }
  return rows
}
const [header, ...rows] = parseCsv(fs.readFileSync(path.join(repo, 'data', 'rome', 'referentiel_appellation.csv'), 'utf8'))
const col = (name) => header.indexOf(name)
const titles = rows.filter((r) => r.length === header.length)
  .map((r) => ({ title: r[col('libelle_appellation_long')], code: r[col('code_rome')] }))

// --- seeded queries ---------------------------------------------------------------------------
function mulberry32 (seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const random = mulberry32(20261123)
const pick = (n) => Math.floor(random() * n)
const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
const STOP = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'en', 'et', 'a', 'au', 'aux', 'd', 'l', 'un', 'une', 'par', 'sur', 'pour'])

/** The words a person would type for a title: the masculine form, folded, without small words. */
function words (title) {
  const [masculine, rest = ''] = title.split(' / ')
  const tail = rest.split(' ').slice(1).join(' ')
  return fold(`${masculine} ${tail}`).split(/[^a-z0-9]+/).filter((w) => w.length >= 3 && !STOP.has(w))
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'
function typo (word) {
  const i = 1 + pick(word.length - 2) // never the first letter: people rarely get it wrong
  switch (pick(4)) {
    case 0: return word.slice(0, i) + word.slice(i + 1) // a letter left out
    case 1: return word.slice(0, i) + LETTERS[pick(26)] + word.slice(i + 1) // a wrong letter
    case 2: return word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1) // two swapped
    default: return word.slice(0, i) + word[i] + word.slice(i) // a letter doubled
  }
}

const prefixQueries = []
const typoQueries = []
while (prefixQueries.length < QUERIES || typoQueries.length < QUERIES) {
  const t = titles[pick(titles.length)]
  const w = words(t.title).slice(0, 2)
  if (w.length === 0) continue
  const last = w[w.length - 1]
  if (prefixQueries.length < QUERIES && last.length >= 4) {
    const cut = Math.max(3, Math.ceil(last.length * 0.6))
    prefixQueries.push({ text: [...w.slice(0, -1), last.slice(0, cut)].join(' '), code: t.code })
  }
  const longest = w.reduce((a, b) => (b.length > a.length ? b : a))
  if (typoQueries.length < QUERIES && longest.length >= 5) {
    typoQueries.push({ text: w.map((x) => (x === longest ? typo(x) : x)).join(' '), code: t.code })
  }
}

// --- the three searchers: each gives the first TOP métier codes for a text --------------------
function timed (build) {
  const start = process.hrtime.bigint()
  const search = build()
  search('ma') // first query: lazy indexes are built
  return { search, readyMs: Number(process.hrtime.bigint() - start) / 1e6 }
}
const firstCodes = (codes) => [...new Set(codes)].slice(0, TOP)

const peers = {
  'metiers-web (WASM)': () => {
    const engine = Engine.normandy()
    return (q) => {
      try { return engine.searchMetiers(q, TOP).map((h) => h.code) } catch { return [] }
    }
  },
  'MiniSearch 7.2 (prefix + fuzzy 0.2)': () => {
    const index = new MiniSearch({
      fields: ['title'],
      storeFields: ['code'],
      processTerm: (term) => fold(term),
      searchOptions: { prefix: true, fuzzy: 0.2, boost: { title: 1 } }
    })
    index.addAll(titles.map((t, id) => ({ id, ...t })))
    return (q) => firstCodes(index.search(q).slice(0, 100).map((r) => r.code))
  },
  'FlexSearch 0.8 (forward, LatinBalance)': () => {
    const index = new Index({ tokenize: 'forward', encoder: Charset.LatinBalance })
    titles.forEach((t, id) => index.add(id, t.title))
    return (q) => firstCodes(index.search(q, { limit: 100, suggest: true }).map((id) => titles[id].code))
  }
}

function median (values) {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

const results = []
for (const [name, build] of Object.entries(peers)) {
  const { search, readyMs } = timed(build)
  const all = [...prefixQueries, ...typoQueries]
  for (const q of all) search(q.text) // warm-up
  const times = []
  for (let round = 0; round < ROUNDS; round++) {
    for (const q of all) {
      const start = process.hrtime.bigint()
      search(q.text)
      times.push(Number(process.hrtime.bigint() - start) / 1e6)
    }
  }
  const rate = (qs) => qs.filter((q) => search(q.text).includes(q.code)).length / qs.length
  results.push({ name, readyMs, medianMs: median(times), prefix: rate(prefixQueries), typo: rate(typoQueries) })
}

console.log(`${titles.length} ROME 4.60 titles; ${QUERIES} prefix and ${QUERIES} one-typo queries (seeded); top ${TOP} métiers`)
console.log('examples:', prefixQueries.slice(0, 3).map((q) => `"${q.text}"`).join(', '), '|', typoQueries.slice(0, 3).map((q) => `"${q.text}"`).join(', '))
const ours = results[0]
console.log('| search | ready (index + first query) | median per query | vs metiers-web | top-10 hit rate, prefix | top-10 hit rate, one typo |')
console.log('| --- | --- | --- | --- | --- | --- |')
for (const r of results) {
  const ratio = r === ours ? '1' : `${(r.medianMs / ours.medianMs).toFixed(1)}×`
  console.log(`| ${r.name} | ${r.readyMs.toFixed(0)} ms | ${(r.medianMs * 1000).toFixed(1)} µs | ${ratio} | ${r.prefix.toFixed(3)} | ${r.typo.toFixed(3)} |`)
}
