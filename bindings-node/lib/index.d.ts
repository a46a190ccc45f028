// Types of the public `metiers` package (lib/index.js). The JSON shapes (queries, items,
// results, places, errors) are generated from the Rust types into ./types.d.ts, the same file
// the browser package uses; this file declares the Engine's methods over them.

import type {
  Ambassador, Commune, Company, CompanySummary, Counters, Defaults, Entity, ErrorCode, ErrorInfo,
  Labels, LoadOptions, BatchOptions, Period, LoadReport, Metier, MetierHit, MetierPage, Place, PlaceRef, Query,
  Lookup, Region, SearchResult, Stage, Table, Pupil, AssignOptions, Placement, Assignment, Check,
  Applied, CohortSpec, School, ContactBooking, ContactMode, VisitRequest, VisitPlacement,
  Coverage, CoverageRequest, WhiteZones, WhiteZoneRequest, SupplyDemand, DemandRequest,
} from './types'

export * from './types'

/** The bytes of a document: text, or UTF-8 in a Buffer / Uint8Array. */
/** Text, or the bytes of a file: a `Uint8Array` (a `Buffer`), an `ArrayBuffer` or a `DataView`. */
export type Data = string | Uint8Array | ArrayBuffer | DataView

/** A batch's items: each a result, or (with `errors: 'keep'`) the error of its query. */
export type BatchItems<T, O extends BatchOptions | undefined> =
  O extends { errors: 'keep' } ? Array<SearchResult<T> | MetiersError> : Array<SearchResult<T>>

/** A library error: a JS `Error` with the stable `code` and the fields of `ErrorInfo`. */
export declare class MetiersError extends Error {
  name: 'MetiersError'
  code: ErrorCode
  source: string | null
  line: number | null
  /** For data handed over as columns: the 0-based row. */
  row: number | null
  field: string | null
  value: string | null
  /** For not_found: what was looked up ('place', 'metier', 'commune', 'company'…). */
  kind: Lookup | null
  /** For ambiguous_place: the places it could mean, most populous first (at most 20)… */
  candidates: Place[]
  /** … and how many there are in all. */
  total: number | null
  errors: MetiersError[]
  constructor (details: ErrorInfo)
}

export declare class Engine {
  /** ROME 4.60, the communes of Normandy, the zone B calendar and a fictitious sample catalogue. */
  static normandy (): Engine
  /** An engine with an empty catalogue on an embedded region (default `normandy`). */
  static empty (region?: Region): Engine
  /**
   * An engine with an empty catalogue on the referential and communes given as bytes
   * (`rome.bin`, `normandy.bin`); `rome.bin` leaves the métiers' texts out (`loadRomeTexts`).
   */
  static fromData (rome: Data, communes: Data, region?: Region): Engine
  /** The engine a snapshot holds (`engine.snapshot()`). */
  static restore (snapshot: Uint8Array): Engine
  /** The defaults of every argument. */
  static defaults (): Defaults
  /** Every error code. */
  static errorCodes (): ErrorCode[]
  /** The French label of every enum value (`labels().stage_kind.mini_stage`). */
  static labels (): Labels
  /** A period as French says it (`"du 19 au 23 avril 2027"`). */
  static periodLabel (period: Period): string
  readonly region: Region
  /** The engine as bytes (referential, geography, calendar, catalogue and reservations). */
  snapshot (): Uint8Array
  /** A table of the referential, the geography or the catalogue, as rows. */
  table (name: Table): Array<Record<string, unknown>>
  /** Job titles that match the text, best first (default limit 10). */
  searchMetiers (text: string, limit?: number): MetierHit[]
  /** Places a text or a typed key may stand for, best first: suggestions (a list, never ambiguous_place). */
  locate (place: PlaceRef): Place[]
  /** The one place a text or a typed key stands for; ambiguous_place with the candidates otherwise. */
  resolve (place: PlaceRef): Place
  distanceKm (from: PlaceRef, to: PlaceRef): number
  metier (code: string): Metier
  /** A company of the catalogue by id (a stage result names its company by id). */
  company (id: string): Company
  /** An ambassador of the catalogue by id. */
  ambassador (id: string): Ambassador
  /** A stage of the catalogue by id. */
  stage (id: string): Stage
  /** A commune by INSEE code: name, département, postal codes, position, population. */
  commune (code: string): Commune
  searchStages (query?: Query): SearchResult<Stage>
  searchAmbassadors (query?: Query): SearchResult<Ambassador>
  searchCompanies (query?: Query): SearchResult<CompanySummary>
  ambassadorsForClass (query?: Query): SearchResult<Ambassador>
  companiesForClass (query?: Query): SearchResult<CompanySummary>
  metiersNear (query?: Query): MetierPage
  searchStagesBatch<O extends BatchOptions | undefined = undefined> (queries: Query[], options?: O): BatchItems<Stage, O>
  searchAmbassadorsBatch<O extends BatchOptions | undefined = undefined> (queries: Query[], options?: O): BatchItems<Ambassador, O>
  searchCompaniesBatch<O extends BatchOptions | undefined = undefined> (queries: Query[], options?: O): BatchItems<CompanySummary, O>
  searchStagesBatchAsync<O extends BatchOptions | undefined = undefined> (queries: Query[], options?: O): Promise<BatchItems<Stage, O>>
  searchAmbassadorsBatchAsync<O extends BatchOptions | undefined = undefined> (queries: Query[], options?: O): Promise<BatchItems<Ambassador, O>>
  searchCompaniesBatchAsync<O extends BatchOptions | undefined = undefined> (queries: Query[], options?: O): Promise<BatchItems<CompanySummary, O>>
  /** Places a cohort: every pupil on a stage at once, stable, with a certificate (README, "Placement"). */
  assign (pupils: Pupil[], options?: AssignOptions): Placement
  /** The same off the event loop. */
  assignAsync (pupils: Pupil[], options?: AssignOptions): Promise<Placement>
  /** Checks any placement (or `{pupil, stage}` list) against the request's rules: stable, feasible. */
  checkPlacement (pupils: Pupil[], placement: Placement | Assignment[], options?: AssignOptions): Check
  /** Reserves every place of a placement, or none (`conflict` if the catalogue changed). */
  apply (placement: Placement): Applied
  /** Places classes' visit requests onto ambassadors' class-visit sessions of the month, within their travel radius. */
  assignVisits (requests: VisitRequest[], options?: AssignOptions): VisitPlacement
  /** Books every visit of a visit placement, or none. */
  applyVisits (placement: VisitPlacement): Applied
  /** A seeded cohort of 3e pupils of the known collèges, with profiles. */
  cohort (spec?: Partial<CohortSpec>): Pupil[]
  /** The pupils with their profiles turned into the wishes the engine ranks. */
  withWishes (pupils: Pupil[]): Pupil[]
  /** The schools the engine knows (the collèges and lycées of Normandy). */
  schools (): School[]
  /** What every origin (communes, schools or points) has within each radius, per sector: one row per origin × radius × sector, summaries per département. */
  coverage (request?: Partial<CoverageRequest>): Coverage
  /** The coverage off the event loop (France-scale requests take a second or more). */
  coverageAsync (request?: Partial<CoverageRequest>): Promise<Coverage>
  /** The surface of Normandy farther than each radius from every stage of each sector, with its GeoJSON contour. */
  whiteZones (request?: Partial<WhiteZoneRequest>): WhiteZones
  /** Each collège's 3e pupils against the places of stage within its reach, by REP status and IPS band. */
  supplyDemand (request?: Partial<DemandRequest>): SupplyDemand
  counters (): Counters
  companiesWithStagesIn (departement: string): Company[]
  loadJson (data: Data, options?: LoadOptions): LoadReport
  loadJsonl (entity: Entity, data: Data, options?: LoadOptions): LoadReport
  loadCsv (entity: Entity, data: Data, options?: LoadOptions): LoadReport
  /** Loads a file by its extension (`.json`, `.jsonl`/`.ndjson`, `.csv`; the entity for the last two). */
  loadFile (path: string, entity?: Entity | null, options?: LoadOptions): LoadReport
  loadJsonAsync (data: Data, options?: LoadOptions): Promise<LoadReport>
  loadJsonlAsync (entity: Entity, data: Data, options?: LoadOptions): Promise<LoadReport>
  loadCsvAsync (entity: Entity, data: Data, options?: LoadOptions): Promise<LoadReport>
  addCompany (company: Company): void
  replaceCompany (company: Company): void
  removeCompany (id: string): Company
  addAmbassador (ambassador: Ambassador): void
  replaceAmbassador (ambassador: Ambassador): void
  removeAmbassador (id: string): Ambassador
  addStage (stage: Stage): void
  replaceStage (stage: Stage): void
  removeStage (id: string): Stage
  /** Takes places of a stage (default 1); returns the places left. */
  reserve (stageId: string, count?: number): number
  /** Asks an ambassador for a session of a mode on a day (`YYYY-MM-DD`): booked, or when they are next free. */
  requestContact (ambassadorId: string, mode: ContactMode, date: string): ContactBooking
  /** Gives places back (default 1); returns the places left. */
  release (stageId: string, count?: number): number
  /**
   * Gives the métiers their texts (`definition`, `acces`) from the bytes of `rome-texts.bin`,
   * for an engine made by `fromData` on `rome.bin`, whose métiers have `null` there. Throws a
   * `data_error` (source `rome-texts`) for bytes that are not this referential's texts; the
   * engine is unchanged then.
   */
  loadRomeTexts (texts: Data): void
  clearCatalog (): void
  /** The catalogue as the JSON document `loadJson` reads. */
  exportJson (): string
  /**
   * The same document written to the file at `path` as it is serialised (no copy in memory);
   * a file that cannot be written throws a `data_error` naming it.
   */
  exportJson (path: string): void
  prepareSearch (): void
}
