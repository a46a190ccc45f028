// Compiled by `tsc --noEmit` in the test command: the package's declarations (lib/index.d.ts
// over the generated lib/types.d.ts) type a real use, and a wrong field does not compile.
import { Engine, MetiersError } from '../../lib/index'
import type { Defaults, Place, Placement, Pupil, Query, SearchResult, Stage } from '../../lib/index'


export function demo (): string[] {
  const engine = Engine.normandy()
  const query: Query = { near: { insee: '61169' }, radius_km: 20, weights: { distance: 0.5 }, fairness: { rotation_seed: 7 } }
  const page: SearchResult<Stage> = engine.searchStages(query)
  const first = page.matches[0]
  const lines = [first.item.kind, first.item.company, String(first.components.distance ?? '')]
  // @ts-expect-error: a stage has no such field
  lines.push(first.item.no_such_field)
  const origin: Place | null = page.origin
  lines.push(origin?.matched_by ?? '')
  const companies = engine.searchCompanies({ near: 'Caen' })
  lines.push(companies.matches[0].item.name, String(companies.matches[0].item.stages))
  const near = engine.metiersNear({ near: 'Alençon' })
  lines.push(near.metiers[0].label)
  const own = Engine.fromData(new Uint8Array(), new Uint8Array())
  own.loadRomeTexts(new Uint8Array())
  lines.push(...(own.metier('D1102').definition ?? []))
  lines.push(String(engine.counters().by_departement['61']?.stages))
  const kept = engine.searchStagesBatch([{ near: 'Caen' }, { near: 'Atlantis' }], { errors: 'keep' })
  for (const item of kept) lines.push(item instanceof MetiersError ? item.code : String(item.total))
  const raised = engine.searchStagesBatch([{ near: 'Caen' }])
  lines.push(String(raised[0].total))
  const defaults: Defaults = Engine.defaults()
  lines.push(String(defaults.radius_km), defaults.region)
  const copy = Engine.restore(engine.snapshot())
  lines.push(copy.region)
  const report = copy.loadJson(new TextEncoder().encode('{"stages": []}'), { source: 'site.json', mode: 'lenient' })
  lines.push(String(report.rejected.length))
  // @ts-expect-error: the mode is strict or lenient
  copy.loadJson('{}', { mode: 'forgiving' })
  const pupils: Pupil[] = engine.cohort({ departement: '61', share: 0.01 })
  const placement: Placement = engine.assign(pupils, { priorities: { rep_first: true, seed: 1 }, suggestions: 0 })
  const first_pupil = placement.pupils[0]
  lines.push(first_pupil.stage ?? 'none', first_pupil.wishes[0]?.refusal?.code ?? '', placement.report.text)
  lines.push(String(engine.checkPlacement(pupils, placement).stable))
  // @ts-expect-error: the priorities have no such rule
  engine.assign(pupils, { priorities: { first_come: true } })
  return lines
}
