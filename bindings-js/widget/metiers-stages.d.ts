// Types of the <metiers-stages> custom element (metiers-stages.js).
import type { Engine, MetiersError, Query, SearchResult, Stage } from './metiers_web.js'

/**
 * Stages near a place, for a school website. Attributes (all optional):
 * `near` (commune name, INSEE or postal code), `radius` (km, default 20), `kind`
 * (`mini_stage`, `observation_3e`, `seconde`, `long_professionnel`), `metier` (ROME code or
 * words), `audience` (`college`, `lycee`, …), `limit` (results shown, default 10, at most 100),
 * `catalog` (URL of the site's catalogue JSON instead of the embedded sample), `heading`.
 *
 * Events (bubbling, composed): `metiers-results` with the `SearchResult` as `detail`,
 * `metiers-error` with the `MetiersError` (or the loading failure) as `detail`.
 */
export declare class MetiersStages extends HTMLElement {
  static readonly observedAttributes: string[]
  /** Resolves with the engine once the module and its data are loaded. */
  whenReady (): Promise<Engine>
  /** The query the form stands for, in the shared JSON shape. */
  query (): Query
  /** Runs the search the form describes, shows it and returns it (null when it could not run). */
  search (): SearchResult<Stage> | null
  /** The last search result shown, or null. */
  readonly lastResult: SearchResult<Stage> | null
}

declare global {
  interface HTMLElementTagNameMap {
    'metiers-stages': MetiersStages
  }
  interface HTMLElementEventMap {
    'metiers-results': CustomEvent<SearchResult<Stage>>
    'metiers-error': CustomEvent<MetiersError | Error>
  }
}
