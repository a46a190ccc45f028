// Types of the values metiers-web takes and returns: plain objects in the JSON shape every
// binding shares (snake_case keys, as in docs/ranking.md). wasm-bindgen puts this file into the
// generated metiers_web.d.ts (typescript_custom_section in src/lib.rs).

export type ErrorCode = 'invalid_input' | 'ambiguous_place' | 'not_found' | 'data_error' | 'conflict' | 'internal'
export type LoadMode = 'strict' | 'lenient'
export type EntityName = 'companies' | 'ambassadors' | 'stages'
export type StageKind = 'mini_stage' | 'observation_3e' | 'seconde' | 'long_professionnel'
export type Audience = 'college' | 'lycee' | 'etudiant' | 'demandeur_emploi' | 'reconversion'
export type ContactMode = 'phone' | 'video' | 'class_visit' | 'company_visit'
/** The bytes of a document: text, or UTF-8 in a Uint8Array. */
export type Data = string | Uint8Array
/** Options of the loaders: a label for errors (default `<json>`, `<jsonl>`, `<csv>`) and the mode
 * (`strict`, the default: one bad row refuses the file; `lenient`: bad rows reported, others loaded). */
export interface LoadOptions { source?: string, mode?: LoadMode }

/** A library error as data: its stable code, the message, and where it applies. */
export interface ErrorInfo {
  code: ErrorCode
  message: string
  /** Data errors: the source label and line of the bad row. */
  source?: string
  line?: number | null
  /** Not found: what was looked up (`"lieu"`, `"métier"`, `"commune"`, `"company"`…). */
  kind?: string
  /** The field and value that were refused (or, not found, the key as given). */
  field?: string | null
  value?: string | null
  /** A strict load that was refused: every bad row. */
  errors?: ErrorInfo[]
  /** Ambiguous place: the places it could mean, most populous first (at most 20)… */
  candidates?: Place[]
  /** … and how many there are in all. */
  total?: number
}

/** A place: free text as people type it, or exactly one typed key. */
export type PlaceRef = string | { insee: string } | { postal_code: string } | { departement: string } | { lat: number, lon: number }

/** A library error, thrown as an `Error` whose `name` is `"MetiersError"`. */
export interface MetiersError extends Error, Omit<ErrorInfo, 'message'> {
  name: 'MetiersError'
}

/** A search: who is looking, where, for what. Every field is optional. */
export interface Query {
  /** Free text (a commune name, INSEE or postal code, a département, "lat, lon") or a typed
   * key; text that could mean several places is an `ambiguous_place` error with candidates. */
  near?: PlaceRef
  /** Radius in km (default 30, at most 1,000). */
  radius_km?: number
  /** Centres d'intérêt, by code ("14") or words ("J'aime le travail manuel"). */
  interests?: string[]
  /** Métiers by ROME code ("H2903") or free text ("fraiseur"). */
  metiers?: string[]
  /** ROME grands domaines ("H") or domaines professionnels ("H29"). */
  sectors?: string[]
  scope?: 'metier' | 'proches' | 'domaine'
  audience?: Audience
  dates?: Period
  kinds?: StageKind[]
  contact_modes?: ContactMode[]
  departements?: string[]
  /** Teacher searches: size of the class. */
  group_size?: number
  /** Results per page (default 20, at most 1,000). */
  limit?: number
  offset?: number
  per_company?: number
  weights?: { interest?: number, sector?: number, distance?: number, responsiveness?: number }
  fairness?: { favour_availability?: boolean, rotation_seed?: number, rotation_margin?: number }
  /** Add results from the next steps (wider radius, whole domaine) when there are too few. */
  widen?: boolean
}

/** Dates as YYYY-MM-DD, both ends included. */
export interface Period { start: string, end: string }

export interface Location {
  commune?: string
  postal_code?: string
  lat?: number
  lon?: number
  departement?: string
}

export interface Company {
  id: string
  name: string
  siret?: string | null
  place: Location
  sectors: string[]
  size?: string | null
}

export interface Stage {
  id: string
  /** Id of the company: `engine.company(id)` gives its name. */
  company: string
  kind: StageKind
  title?: string | null
  metiers: string[]
  place?: Location | null
  periods: Period[]
  places_total: number
  places_left?: number | null
  audiences: Audience[]
  accessible: boolean
  max_group?: number | null
  description?: string | null
}

export interface Ambassador {
  id: string
  kind: 'metier' | 'formation'
  name?: string | null
  company?: string | null
  training?: string | null
  metiers: string[]
  contacts: Array<{ mode: ContactMode, sessions_per_month?: number | null, max_group?: number | null }>
  audiences: Audience[]
  travel_radius_km?: number | null
  availability: Period[]
  response_rate?: number | null
  bookings: number
  place?: Location | null
}

/** A company in search results, with how many stages and ambassadors it has. */
export interface CompanySummary extends Company { stages: number, ambassadors: number }

/** One ranked result: the score, its parts, the distance and the reasons in French. */
export interface Match<T> {
  id: string
  score: number
  components: { interest: number | null, sector: number | null, distance: number | null, responsiveness: number | null }
  distance_km: number | null
  reasons: string[]
  /** Set when the result comes from a wider search than the query's. */
  widened?: string
  item: T
}

/** What to try when there are few results: a wider radius or the whole domaine. */
export interface NextStep { label: string, radius_km: number | null, scope: string | null, total: number }

export interface SearchResult<T> {
  total: number
  offset: number
  limit: number
  /** Where distances are measured from. */
  origin: Place | null
  matches: Array<Match<T>>
  next_steps: NextStep[]
}

export interface MetierHit { code: string, label: string, matched_title: string, score: number }

export interface Metier {
  code: string
  label: string
  fiche: string
  definition: string[]
  acces: string[]
  [field: string]: unknown
}

export interface MetierNearby {
  code: string
  label: string
  stages: number
  ambassadors: number
  nearest_km: number | null
  interest: number
  reasons: string[]
}

export interface MetierPage { total: number, offset: number, limit: number, origin: Place | null, metiers: MetierNearby[] }

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

export interface Commune {
  insee: string
  name: string
  departement: string
  region: string
  postal_codes: string[]
  lat: number | null
  lon: number | null
  area_km2: number | null
  population: number
  pop_15_64: number
  pop_15_64_active: number
  pop_15_64_unemployed: number
}

export interface Counts {
  companies: number
  ambassadeurs_metier: number
  ambassadeurs_formation: number
  stages: number
  places_left: number
}

export interface Counters { total: Counts, by_departement: Record<string, Counts> }

export interface LoadReport {
  source: string
  companies: number
  ambassadors: number
  stages: number
  /** Rows refused by a lenient load, each with its line, field and value. */
  rejected: ErrorInfo[]
  warnings: string[]
}
