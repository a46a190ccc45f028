// Types of the public `metiers` package (lib/index.js). Queries, items and results are plain
// objects in the JSON shape every binding shares (snake_case keys, as in docs/ranking.md).

export type ErrorCode = 'invalid_input' | 'ambiguous_place' | 'not_found' | 'data_error' | 'conflict' | 'internal'
export type Mode = 'strict' | 'lenient'
export type EntityName = 'companies' | 'ambassadors' | 'stages'
export type Json = any

/** A place: free text as people type it, or exactly one typed key. */
export type PlaceRef = string | { insee: string } | { postal_code: string } | { departement: string } | { lat: number, lon: number }

/** A resolved place, with how the caller's text or key matched it. */
export interface Place {
  kind: 'commune' | 'arrondissement' | 'departement' | 'point'
  /** INSEE code of a commune or an arrondissement, code of a département, null for a point. */
  code: string | null
  name: string
  /** INSEE code of the commune it is (or is in); null for a département or a point. */
  commune: string | null
  departement: string | null
  lat: number
  lon: number
  population: number | null
  matched_by: 'name' | 'name_without_article' | 'former_commune' | 'name_prefix' | 'near_spelling' | 'insee' | 'former_insee' | 'postal_code' | 'departement_code' | 'departement_name' | 'point'
  /** How it matched, in French ("commune déléguée Tourlaville", "code postal 14400"). */
  matched: string
}

export interface Query {
  near?: PlaceRef
  radius_km?: number
  interests?: string[]
  metiers?: string[]
  sectors?: string[]
  scope?: 'metier' | 'proches' | 'domaine'
  audience?: 'college' | 'lycee' | 'etudiant' | 'demandeur_emploi' | 'reconversion'
  dates?: { start: string, end: string }
  kinds?: Array<'mini_stage' | 'observation_3e' | 'seconde' | 'long_professionnel'>
  contact_modes?: Array<'phone' | 'video' | 'class_visit' | 'company_visit'>
  departements?: string[]
  group_size?: number
  limit?: number
  offset?: number
  per_company?: number
  weights?: { interest?: number, sector?: number, distance?: number, responsiveness?: number }
  fairness?: { favour_availability?: boolean, rotation_seed?: number, rotation_margin?: number }
  widen?: boolean
}

export interface Match<T = Json> {
  id: string
  score: number
  components: { interest: number | null, sector: number | null, distance: number | null, responsiveness: number | null }
  distance_km: number | null
  reasons: string[]
  widened?: string
  item: T
}

export interface SearchResult<T = Json> {
  total: number
  offset: number
  limit: number
  origin: Place | null
  matches: Array<Match<T>>
  next_steps: Array<{ label: string, radius_km: number | null, scope: string | null, total: number }>
}

export interface LoadReport {
  source: string
  companies: number
  ambassadors: number
  stages: number
  rejected: Json[]
  warnings: string[]
}

export interface BatchOptions { errors?: 'raise' | 'keep' }
export interface LoadOptions { source?: string, mode?: Mode }
export type Data = string | Uint8Array

export declare class MetiersError extends Error {
  code: ErrorCode
  source: string | null
  line: number | null
  field: string | null
  value: string | null
  /** For not_found: what was looked up ('lieu', 'métier', 'commune', 'company'…). */
  kind: string | null
  /** For ambiguous_place: the places it could mean, most populous first (at most 20)… */
  candidates: Place[]
  /** … and how many there are in all. */
  total: number | null
  errors: MetiersError[]
}

export declare class Engine {
  static normandy (): Engine
  static empty (region?: 'normandy' | 'france'): Engine
  /** An engine with an empty catalogue on the referential and communes given as bytes (`rome.bin`, `normandy.bin`). */
  static fromData (rome: Uint8Array, communes: Uint8Array, region?: 'normandy' | 'france'): Engine
  readonly region: string
  searchMetiers (text: string, limit?: number): Json[]
  /** Places a text or a typed key may stand for, best first: suggestions (a list, never ambiguous_place). */
  locate (place: PlaceRef): Place[]
  /** The one place a text or a typed key stands for; ambiguous_place with the candidates otherwise. */
  resolve (place: PlaceRef): Place
  distanceKm (from: PlaceRef, to: PlaceRef): number
  metier (code: string): Json
  /** A company of the catalogue by id (a stage result names its company by id). */
  company (id: string): Json
  /** An ambassador of the catalogue by id. */
  ambassador (id: string): Json
  /** A stage of the catalogue by id. */
  stage (id: string): Json
  /** A commune by INSEE code: name, département, postal codes, position, population. */
  commune (code: string): Json
  searchStages (query?: Query): SearchResult
  searchAmbassadors (query?: Query): SearchResult
  searchCompanies (query?: Query): SearchResult
  ambassadorsForClass (query?: Query): SearchResult
  companiesForClass (query?: Query): SearchResult
  metiersNear (query?: Query): Json
  searchStagesBatch (queries: Query[], options?: BatchOptions): Array<SearchResult | MetiersError>
  searchAmbassadorsBatch (queries: Query[], options?: BatchOptions): Array<SearchResult | MetiersError>
  searchCompaniesBatch (queries: Query[], options?: BatchOptions): Array<SearchResult | MetiersError>
  searchStagesBatchAsync (queries: Query[], options?: BatchOptions): Promise<Array<SearchResult | MetiersError>>
  searchAmbassadorsBatchAsync (queries: Query[], options?: BatchOptions): Promise<Array<SearchResult | MetiersError>>
  searchCompaniesBatchAsync (queries: Query[], options?: BatchOptions): Promise<Array<SearchResult | MetiersError>>
  counters (): Json
  companiesWithStagesIn (departement: string): Json[]
  loadJson (data: Data, options?: LoadOptions): LoadReport
  loadJsonl (entity: EntityName, data: Data, options?: LoadOptions): LoadReport
  loadCsv (entity: EntityName, data: Data, options?: LoadOptions): LoadReport
  loadJsonAsync (data: Data, options?: LoadOptions): Promise<LoadReport>
  loadJsonlAsync (entity: EntityName, data: Data, options?: LoadOptions): Promise<LoadReport>
  loadCsvAsync (entity: EntityName, data: Data, options?: LoadOptions): Promise<LoadReport>
  addCompany (company: Json): void
  replaceCompany (company: Json): void
  removeCompany (id: string): Json
  addAmbassador (ambassador: Json): void
  replaceAmbassador (ambassador: Json): void
  removeAmbassador (id: string): Json
  addStage (stage: Json): void
  replaceStage (stage: Json): void
  removeStage (id: string): Json
  reserve (stageId: string, count?: number): number
  release (stageId: string, count?: number): number
  clearCatalog (): void
  exportJson (): string
  prepareSearch (): void
}
