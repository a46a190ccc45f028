// Types of the custom elements of metiers-widget.js: <metiers-stages> and <metiers-ambassadors>.
import type { Ambassador, Engine, MetiersError, Query, SearchResult, Stage } from './metiers_web.js'

/**
 * The search form and results both elements share. Attributes (all optional): `near` (commune
 * name, INSEE or postal code, département), `radius` (km, default the engine's: 30), `metier` (ROME code or
 * words), `audience` (`college`, `lycee`, …), `limit` (results shown, default the engine's: 20, at most 1,000),
 * `catalog` (URL of the site's catalogue JSON instead of the embedded sample), `heading`; and the
 * element's own filter: `kind` for stages, `contact` for ambassadors.
 *
 * Events (bubbling, composed): `metiers-results` with the `SearchResult` as `detail`,
 * `metiers-error` with the `MetiersError` (or the loading failure) as `detail`.
 */
declare class MetiersSearchElement<T> extends HTMLElement {
  static readonly observedAttributes: string[]
  /** Resolves with the engine once the module and its data are loaded. */
  whenReady (): Promise<Engine>
  /** The query the form stands for, in the shared JSON shape. */
  query (): Query
  /** Runs the search the form describes, shows it and returns it (null when it could not run). */
  search (): SearchResult<T> | null
  /** The last search result shown, or null. */
  readonly lastResult: SearchResult<T> | null
}

/** `<metiers-stages>`: stages near a place; filter `kind` (`mini_stage`, `observation_3e`, `seconde`, `long_professionnel`). */
export declare class MetiersStages extends MetiersSearchElement<Stage> {}

/** `<metiers-ambassadors>`: ambassadors near a place; filter `contact` (`phone`, `video`, `class_visit`, `company_visit`). */
export declare class MetiersAmbassadors extends MetiersSearchElement<Ambassador> {}

declare global {
  interface HTMLElementTagNameMap {
    'metiers-stages': MetiersStages
    'metiers-ambassadors': MetiersAmbassadors
  }
  interface HTMLElementEventMap {
    'metiers-results': CustomEvent<SearchResult<Stage> | SearchResult<Ambassador>>
    'metiers-error': CustomEvent<MetiersError | Error>
  }
}
