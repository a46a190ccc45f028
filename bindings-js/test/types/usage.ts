// Compiled by `tsc --noEmit` in the test command: the published declarations must type a real
// use of the package and the widget (a wrong field or method name here fails the build).
import init, { Engine } from '../../pkg-web/metiers_web.js'
import type { MetiersError, Query, SearchResult, Stage } from '../../pkg-web/metiers_web.js'
import '../../pkg-web/metiers-widget.js'
import type { MetiersAmbassadors, MetiersStages } from '../../pkg-web/metiers-widget.js'

export async function demo (): Promise<string[]> {
  await init()
  const engine: Engine = Engine.hasEmbeddedData() ? Engine.normandy() : Engine.fromData(new Uint8Array(), new Uint8Array(), 'normandy')
  const query: Query = { near: 'Flers', radius_km: 20, kinds: ['mini_stage'], metiers: ['D1102'] }
  const page: SearchResult<Stage> = engine.searchStages(query)
  const lines = page.matches.map((m) => {
    const company = engine.company(m.item.company).name
    const commune = m.item.place?.commune ? engine.commune(m.item.place.commune).name : ''
    return `${m.score.toFixed(3)} ${company} ${commune} ${m.distance_km ?? ''} ${m.reasons.join(' · ')}`
  })
  for (const hit of engine.searchMetiers('boulang', 5)) lines.push(`${hit.code} ${hit.matched_title}`)
  // The métiers' texts are a file of their own: null until loadRomeTexts.
  if (engine.metier('D1102').definition === null) {
    const texts = await fetch('/metiers/data/rome-texts.bin')
    engine.loadRomeTexts(new Uint8Array(await texts.arrayBuffer()))
  }
  lines.push(...(engine.metier('D1102').definition ?? []))
  const report = engine.loadJson('{"stages": []}', { source: 'site.json', mode: 'lenient' })
  lines.push(String(report.rejected.length), String(engine.counters().total.stages), engine.region)
  try {
    engine.locate('Atlantis')
  } catch (e) {
    const error = e as MetiersError
    lines.push(`${error.code} ${error.kind ?? ''} ${error.field ?? ''}`)
  }
  const widget: MetiersStages = document.createElement('metiers-stages')
  widget.setAttribute('near', 'Flers')
  widget.addEventListener('metiers-results', (event) => { lines.push(String(event.detail.total)) })
  const ambassadors: MetiersAmbassadors = document.createElement('metiers-ambassadors')
  ambassadors.setAttribute('contact', 'video')
  for (const m of ambassadors.lastResult?.matches ?? []) lines.push(m.item.contacts.map((c) => c.mode).join(','))
  await widget.whenReady()
  lines.push(String(widget.search()?.total ?? 0), JSON.stringify(widget.query()))
  engine.free()
  return lines
}
