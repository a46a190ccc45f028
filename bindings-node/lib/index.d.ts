// Types of the public `metiers` package (lib/index.js). Queries, items and results are plain
// objects in the JSON shape every binding shares (snake_case keys, as in docs/ranking.md).

export type ErrorCode = 'invalid_input' | 'not_found' | 'data_error' | 'conflict' | 'internal'
export type Mode = 'strict' | 'lenient'
export type EntityName = 'companies' | 'ambassadors' | 'stages'
export type Json = any

export interface Query {
  near?: string | { lat: number, lon: number }
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
  origin: Json | null
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
  errors: MetiersError[]
}

export declare class Engine {
  static normandy (): Engine
  static empty (region?: 'normandy' | 'france'): Engine
  /** An engine with an empty catalogue on the referential and communes given as bytes (`rome.bin`, `normandy.bin`). */
  static fromData (rome: Uint8Array, communes: Uint8Array, region?: 'normandy' | 'france'): Engine
  readonly region: string
  searchMetiers (text: string, limit?: number): Json[]
  locate (text: string): Json[]
  distanceKm (from: string, to: string): number
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
