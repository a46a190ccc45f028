// The ES module entry is typed like the CommonJS one (lib/index.d.mts over lib/index.d.ts).
import metiers, { Engine, MetiersError } from '../../lib/index.mjs'
import type { SearchResult, Stage } from '../../lib/index.mjs'

export function esm (): number {
  const engine: Engine = metiers.Engine.normandy()
  const page: SearchResult<Stage> = engine.searchStages({ near: 'Flers' })
  // @ts-expect-error: a stage has no such field
  void page.matches[0].item.no_such_field
  const e: MetiersError | null = null
  return page.total + (e === null ? 0 : 1)
}
