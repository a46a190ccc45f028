// <metiers-stages> and <metiers-ambassadors>: stages and ambassadors near a place, for a school
// website, in one script tag.
//
//   <script type="module" src="/metiers/metiers-widget.js"></script>
//   <metiers-stages near="Flers" radius="20"></metiers-stages>
//   <metiers-ambassadors near="Flers" radius="30"></metiers-ambassadors>
//
// Everything runs in the page (WebAssembly): the pupil's place and interests never leave the
// device, and the only requests are for the widget's own files (and the site's catalogue, when
// the `catalog` attribute names one). Attributes, styling and events: the README's browser section.
// This is user interface only: every decision (what matches, in which order, why) is the engine's.

import init, { Engine } from './metiers_web.js'

/** What differs between the two elements: the words, the filter, the search and the cards. */
const STAGES = {
  one: 'stage',
  many: 'stages',
  heading: 'Trouver un stage près de chez toi',
  why: 'Pourquoi ce stage',
  hint: 'Laisse vide pour voir tous les stages.',
  filter: {
    attribute: 'kind',
    field: 'kinds',
    label: 'Type de stage',
    all: 'Tous les types',
    /** Which of the engine's labels (`Engine.labels()`) name the options. */
    labels: 'stage_kind'
  },
  search: (engine, query) => engine.searchStages(query),
  card (engine, stage) {
    const company = lookup(() => engine.company(stage.company).name)
    return {
      title: stage.title || metierLabels(engine, stage.metiers),
      details: [company, communeName(engine, stage.place)],
      when: stage.periods.map((p) => Engine.periodLabel(p)).join(' ; ')
    }
  }
}

const AMBASSADORS = {
  one: 'ambassadeur',
  many: 'ambassadeurs',
  heading: 'Rencontrer un professionnel près de chez toi',
  why: 'Pourquoi cet ambassadeur',
  hint: 'Laisse vide pour voir tous les ambassadeurs.',
  filter: {
    attribute: 'contact',
    field: 'contact_modes',
    label: 'Pour échanger',
    all: 'Toutes les façons',
    labels: 'contact_mode'
  },
  search: (engine, query) => engine.searchAmbassadors(query),
  card (engine, ambassador) {
    const where = ambassador.kind === 'formation'
      ? ambassador.training
      : ambassador.company && lookup(() => engine.company(ambassador.company).name)
    return {
      title: metierLabels(engine, ambassador.metiers),
      details: [ambassador.name, where, communeName(engine, ambassador.place)],
      when: ''
    }
  }
}

const RADII = [5, 10, 20, 30, 50, 100]

/** The query's fields the page's attributes set, and those attributes. */
const FIELD_ATTRIBUTES = { radius_km: 'radius', limit: 'limit', audience: 'audience', kinds: 'kind', contact_modes: 'contact' }

/** A number attribute as a number; anything else as the text written, which the engine
 * refuses with a coded error quoting it (never replaced by a default). */
function number (text) {
  const n = Number(text)
  return text.trim() !== '' && Number.isFinite(n) ? n : text
}

/** One engine per catalogue URL ('' for the embedded sample), shared by every widget. */
const engines = new Map()

async function fetchOwn (url, what) {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`${what} : ${url} a répondu ${response.status}`)
  return response
}

function loadEngine (catalog) {
  if (!engines.has(catalog)) {
    engines.set(catalog, (async () => {
      await init()
      let engine
      if (Engine.hasEmbeddedData()) {
        engine = catalog ? Engine.empty() : Engine.normandy()
      } else {
        // The light build: the referential comes as two files beside this script.
        const [rome, communes] = await Promise.all(['rome.bin', 'normandy.bin'].map(async (name) => {
          const response = await fetchOwn(new URL(`./data/${name}`, import.meta.url), 'Données')
          return new Uint8Array(await response.arrayBuffer())
        }))
        engine = Engine.fromData(rome, communes, 'normandy')
        if (!catalog) throw new Error('cette version sans données intégrées a besoin de l\'attribut catalog')
      }
      if (catalog) {
        // One URL or several, space-separated: a JSON document, or CSV / JSON-lines files named
        // after what they hold (entreprises.csv stages.csv), loaded in the order they need.
        const files = await Promise.all(catalog.split(/\s+/).filter(Boolean).map(async (name) => {
          const [prefix, rest] = /^[a-z]+=/.test(name) ? [name.slice(0, name.indexOf('=') + 1), name.slice(name.indexOf('=') + 1)] : ['', name]
          const url = new URL(rest, document.baseURI)
          const data = await (await fetchOwn(url, 'Catalogue')).text()
          return { name: prefix + url.pathname, data }
        }))
        for (const report of engine.loadNamed(files, 'lenient')) {
          for (const row of report.rejected) console.warn(`metiers-widget: catalogue row refused: ${row.message}`)
          for (const warning of report.warnings) console.warn(`metiers-widget: ${warning}`)
        }
      }
      return engine
    })())
  }
  return engines.get(catalog)
}

const STYLE = `
:host {
  display: block;
  font-family: var(--metiers-font, system-ui, sans-serif);
  color: var(--metiers-text, #1f2328);
  background: var(--metiers-background, #fff);
  border: 1px solid var(--metiers-border, #d0d7de);
  border-radius: var(--metiers-radius, 8px);
  padding: var(--metiers-padding, 1rem);
  line-height: 1.4;
}
[hidden] { display: none !important; }
h2 { font-size: 1.2em; margin: 0 0 .75rem; }
form { display: grid; gap: .75rem; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; }
.filters > div { flex: 1 1 9rem; }
label { display: block; font-weight: 600; margin-bottom: .2rem; }
input, select, button {
  font: inherit; color: inherit; box-sizing: border-box; width: 100%;
  padding: .45rem .6rem; border: 1px solid var(--metiers-border, #d0d7de);
  border-radius: calc(var(--metiers-radius, 8px) / 2); background: var(--metiers-surface, #fff);
}
button {
  background: var(--metiers-accent, #0b5cad); color: var(--metiers-accent-text, #fff);
  border-color: transparent; cursor: pointer; width: auto; font-weight: 600;
}
button.link { background: none; color: var(--metiers-accent, #0b5cad); border: 1px solid currentColor; }
:focus-visible { outline: 3px solid var(--metiers-focus, #e8a317); outline-offset: 1px; }
.hint, .meta, .credit { color: var(--metiers-muted, #57606a); font-size: .875em; margin: .2rem 0 0; }
.combo { position: relative; }
[role=listbox] {
  position: absolute; z-index: 10; left: 0; right: 0; margin: 2px 0 0; padding: 0; list-style: none;
  background: var(--metiers-surface, #fff); border: 1px solid var(--metiers-border, #d0d7de);
  border-radius: calc(var(--metiers-radius, 8px) / 2); box-shadow: 0 4px 12px rgb(0 0 0 / .15);
  max-height: 18rem; overflow-y: auto;
}
[role=option] { padding: .4rem .6rem; cursor: pointer; }
[role=option] small { display: block; color: var(--metiers-muted, #57606a); }
[role=option][aria-selected=true] { background: var(--metiers-accent, #0b5cad); color: var(--metiers-accent-text, #fff); }
[role=option][aria-selected=true] small { color: inherit; }
.status { margin: .75rem 0 .25rem; font-weight: 600; }
.status.error { color: var(--metiers-error, #b42318); }
ol.results { list-style: none; margin: 0; padding: 0; display: grid; gap: .6rem; }
ol.results > li {
  border: 1px solid var(--metiers-border, #d0d7de); border-radius: calc(var(--metiers-radius, 8px) / 2);
  padding: .6rem .75rem; background: var(--metiers-surface, #fff);
}
ol.results h3 { font-size: 1em; margin: 0; }
.distance { float: right; font-weight: 600; color: var(--metiers-accent, #0b5cad); margin-left: .5rem; }
ul.reasons { margin: .35rem 0 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: .3rem; }
ul.reasons li {
  background: var(--metiers-chip, #eef4fb); border-radius: 999px; padding: .1rem .55rem; font-size: .85em;
}
.choices { display: flex; flex-wrap: wrap; gap: .4rem; margin: .25rem 0; }
.next-steps { margin-top: .75rem; }
`

const TEMPLATE = `
<section part="container" aria-labelledby="heading">
  <h2 id="heading" part="heading"></h2>
  <form role="search" aria-labelledby="heading" novalidate>
    <div>
      <label for="metier">Métier qui t'intéresse</label>
      <div class="combo">
        <input id="metier" part="input" type="text" role="combobox" autocomplete="off" spellcheck="false"
          aria-autocomplete="list" aria-expanded="false" aria-controls="suggestions" aria-describedby="metier-hint"
          placeholder="ex. boulanger, mécanicienne, aide-soignant…">
        <ul id="suggestions" role="listbox" aria-label="Métiers suggérés" hidden></ul>
      </div>
      <p id="metier-hint" class="hint">Tape quelques lettres, choisis un métier avec les flèches puis Entrée. <span class="all"></span></p>
    </div>
    <div class="filters">
      <div><label for="near">Commune</label><input id="near" part="input" type="text" autocomplete="off" placeholder="ex. Flers ou 61100"></div>
      <div><label for="radius">Distance</label><select id="radius" part="select"></select></div>
      <div><label for="filter"></label><select id="filter" part="select"></select></div>
    </div>
    <div><button type="submit" part="button">Rechercher</button></div>
  </form>
  <p class="status" role="status" aria-live="polite"></p>
  <div class="choices" hidden></div>
  <ol class="results" part="results"></ol>
  <div class="next-steps" role="group" aria-labelledby="more" hidden>
    <p id="more" class="hint"></p>
    <div class="choices"></div>
  </div>
  <p class="credit">Calcul fait dans ton navigateur : rien n'est envoyé. Métiers : ROME 4.60 (France Travail) ; communes : INSEE ; Licence Ouverte 2.0.</p>
</section>
`

function el (tag, props = {}, children = []) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (key === 'text') node.textContent = value
    else if (key.startsWith('aria-') || key === 'role') node.setAttribute(key, value)
    else node[key] = value
  }
  for (const child of children) node.append(child)
  return node
}

/** A lookup's answer, or null when the catalogue does not have it. */
function lookup (get) {
  try { return get() } catch { return null }
}
const metierLabels = (engine, codes) => codes.map((c) => lookup(() => engine.metier(c).label) || c).join(', ')
const communeName = (engine, place) => place?.commune ? lookup(() => engine.commune(place.commune).name) : null

/** The search form and its results; `<metiers-stages>` and `<metiers-ambassadors>` configure it. */
class MetiersSearchElement extends HTMLElement {
  /** The element's words, filter, search and cards (STAGES or AMBASSADORS). */
  static get config () { throw new Error('a subclass gives its config') }

  static get observedAttributes () {
    return ['near', 'radius', this.config.filter.attribute, 'metier', 'limit', 'audience', 'catalog', 'heading']
  }

  constructor () {
    super()
    const root = this.attachShadow({ mode: 'open' })
    root.innerHTML = `<style>${STYLE}</style>${TEMPLATE}`
    const $ = (selector) => root.querySelector(selector)
    const config = this._config = this.constructor.config
    /** Attributes whose value the form cannot show (radius="abc", kind="stage3e"): sent to the
     * engine as written, so that its error explains the page's mistake. */
    this._badAttributes = new Map()
    this._ui = {
      heading: $('#heading'),
      form: $('form'),
      metier: $('#metier'),
      suggestions: $('#suggestions'),
      near: $('#near'),
      radius: $('#radius'),
      filter: $('#filter'),
      button: $('button[type=submit]'),
      status: $('.status'),
      places: $('.choices'),
      results: $('ol.results'),
      nextSteps: $('.next-steps'),
      nextStepButtons: $('.next-steps .choices')
    }
    for (const km of RADII) this._ui.radius.append(el('option', { value: String(km), text: `${km} km` }))
    this._ui.filter.append(el('option', { value: '', text: config.filter.all }))
    $('label[for=filter]').textContent = config.filter.label
    $('#metier-hint .all').textContent = config.hint
    $('#more').textContent = `Pour voir plus de ${config.many} :`
    this._ui.results.setAttribute('aria-label', `${config.many[0].toUpperCase()}${config.many.slice(1)} trouvés`)
    this._engine = null
    this._metierCode = null // the ROME code picked from the suggestions, if any
    this._scope = null // set by the "Tout le domaine" next step
    this._place = null // the place picked among candidates, by its typed key
    this._hits = []
    this._active = -1
    this._ready = null
    this._wire()
  }

  /** Resolves with the engine once the module and data are loaded. */
  whenReady () {
    if (!this._ready) this._ready = this._start()
    return this._ready
  }

  /** The last search result (a `SearchResult` of `Engine.searchStages` or `searchAmbassadors`), or null. */
  get lastResult () { return this._lastResult ?? null }

  connectedCallback () {
    this._syncFromAttributes()
    this._boot()
  }

  /** Starts loading; a failure is already shown in the widget and sent as metiers-error. */
  _boot () {
    this.whenReady().catch(() => {})
  }

  attributeChangedCallback (name, before, after) {
    if (before === after || !this._ui) return
    if (name === 'catalog') {
      this._ready = null
      this._engine = null
      if (this.isConnected) this._boot()
      return
    }
    this._apply(name)
    if (this._engine && name !== 'heading') {
      this._scope = null
      this.search()
    }
  }

  _syncFromAttributes () {
    for (const name of ['heading', 'near', 'radius', this._config.filter.attribute]) this._apply(name)
    if (this.hasAttribute('metier')) this._apply('metier')
  }

  /** Shows one attribute in the form (only that one: what the pupil changed elsewhere stays). */
  _apply (name) {
    const ui = this._ui
    const value = this.getAttribute(name)
    switch (name) {
      case 'heading':
        ui.heading.textContent = value || this._config.heading
        break
      case 'near':
        ui.near.value = value || ''
        this._place = null
        break
      case 'radius': {
        // A radius the select cannot show (abc, -5) goes to the engine as written: its error
        // is the page's configuration error (_explain), not a silent default.
        const asked = value === null ? null : number(value)
        this._badAttributes.delete('radius')
        if (asked !== null && !(typeof asked === 'number' && asked > 0)) this._badAttributes.set('radius', asked)
        const km = String(typeof asked === 'number' && asked > 0 ? asked : (this._defaults?.radius_km ?? 30))
        if (![...ui.radius.options].some((o) => o.value === km)) ui.radius.append(el('option', { value: km, text: `${km} km` }))
        ui.radius.value = km
        break
      }
      case this._config.filter.attribute: {
        const known = [...ui.filter.options].some((o) => o.value === value)
        ui.filter.value = known ? value : ''
        // Options come with the engine: an unknown value is only judged once they are there.
        this._badAttributes.delete(name)
        if (value && !known && this._engine) this._badAttributes.set(name, value)
        break
      }
      case 'metier':
        this._metierFromAttribute()
        break
    }
  }

  /** A ROME code shows as its métier's name; words stay as they are, for the search to read. */
  _metierFromAttribute () {
    const value = (this.getAttribute('metier') || '').trim()
    this._ui.metier.value = value
    this._metierCode = null
    if (!this._engine || !value) return
    try {
      const metier = this._engine.metier(value)
      this._ui.metier.value = metier.label
      this._metierCode = metier.code
    } catch {
      // not a ROME code: words, which the search resolves like typed text
    }
  }

  async _start () {
    const ui = this._ui
    ui.button.disabled = true
    this._setStatus('Chargement…')
    try {
      this._engine = await loadEngine(this.getAttribute('catalog') || '')
    } catch (e) {
      this._setStatus(`Le module de recherche n'a pas pu démarrer : ${e.message}`, true)
      this.dispatchEvent(new CustomEvent('metiers-error', { detail: e, bubbles: true, composed: true }))
      throw e
    }
    ui.button.disabled = false
    // The filter's options and the defaults are the engine's.
    const labels = Engine.labels()[this._config.filter.labels]
    for (const [value, text] of Object.entries(labels)) ui.filter.append(el('option', { value, text }))
    this._defaults = Engine.defaults()
    for (const name of ['radius', this._config.filter.attribute]) this._apply(name)
    if (this.hasAttribute('metier')) this._metierFromAttribute()
    if (ui.near.value.trim()) this.search()
    else this._setStatus(`Indique ta commune pour voir les ${this._config.many} proches.`)
    return this._engine
  }

  _wire () {
    const ui = this._ui
    ui.form.addEventListener('submit', (event) => {
      event.preventDefault()
      this._closeSuggestions()
      this._scope = null
      this.search()
    })
    ui.metier.addEventListener('input', () => {
      this._metierCode = null
      this._suggest()
    })
    ui.metier.addEventListener('keydown', (event) => this._onKey(event))
    ui.metier.addEventListener('blur', () => setTimeout(() => this._closeSuggestions(), 150))
    ui.suggestions.addEventListener('mousedown', (event) => {
      const option = event.target.closest('[role=option]')
      if (!option) return
      event.preventDefault() // keep the focus in the input
      this._pick(Number(option.dataset.index))
    })
    // The pupil's choice replaces an attribute's value the engine refused.
    ui.radius.addEventListener('change', () => { this._badAttributes.delete('radius'); this._scope = null; this.search() })
    ui.filter.addEventListener('change', () => { this._badAttributes.delete(this._config.filter.attribute); this._scope = null; this.search() })
    // Typing a new place forgets the one picked among candidates.
    ui.near.addEventListener('input', () => { this._place = null })
    ui.near.addEventListener('change', () => { this._scope = null; this.search() })
  }

  _suggest () {
    const ui = this._ui
    const text = ui.metier.value
    this._hits = []
    if (this._engine && text.trim().length >= 2) {
      try {
        this._hits = this._engine.searchMetiers(text)
      } catch {
        this._hits = [] // a text with no letters: nothing to suggest
      }
    }
    ui.suggestions.replaceChildren(...this._hits.map((hit, i) => {
      const option = el('li', { id: `suggestion-${i}`, role: 'option', 'aria-selected': 'false' }, [hit.label])
      option.dataset.index = String(i)
      if (hit.matched_title !== hit.label) option.append(el('small', { text: hit.matched_title }))
      return option
    }))
    this._active = -1
    ui.metier.removeAttribute('aria-activedescendant')
    const open = this._hits.length > 0
    ui.suggestions.hidden = !open
    ui.metier.setAttribute('aria-expanded', String(open))
  }

  _onKey (event) {
    const open = !this._ui.suggestions.hidden
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!open) this._suggest()
      if (!this._hits.length) return
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      this._setActive((this._active + step + this._hits.length) % this._hits.length)
    } else if (event.key === 'Enter' && open && this._active >= 0) {
      event.preventDefault()
      this._pick(this._active)
    } else if (event.key === 'Escape' && open) {
      event.preventDefault()
      this._closeSuggestions()
    }
  }

  _setActive (index) {
    const options = this._ui.suggestions.querySelectorAll('[role=option]')
    options.forEach((o, i) => o.setAttribute('aria-selected', String(i === index)))
    this._active = index
    this._ui.metier.setAttribute('aria-activedescendant', `suggestion-${index}`)
    options[index].scrollIntoView({ block: 'nearest' })
  }

  _pick (index) {
    const hit = this._hits[index]
    if (!hit) return
    this._ui.metier.value = hit.label
    this._metierCode = hit.code
    this._closeSuggestions()
    this._scope = null
    this.search()
  }

  _closeSuggestions () {
    const ui = this._ui
    ui.suggestions.hidden = true
    ui.metier.setAttribute('aria-expanded', 'false')
    ui.metier.removeAttribute('aria-activedescendant')
    this._active = -1
  }

  /** The query the form stands for, in the shared JSON shape. */
  query () {
    const ui = this._ui
    const text = ui.metier.value.trim()
    const bad = this._badAttributes
    const filter = this._config.filter
    const query = {
      // The place the pupil picked among candidates, by its typed key; else the text typed.
      near: this._place ?? ui.near.value.trim(),
      radius_km: bad.has('radius') ? bad.get('radius') : Number(ui.radius.value),
      metiers: this._metierCode ? [this._metierCode] : text ? [text] : [],
      [filter.field]: bad.has(filter.attribute) ? [bad.get(filter.attribute)] : ui.filter.value ? [ui.filter.value] : []
    }
    // Without a `limit` attribute the engine's default page size applies; with one, the
    // engine judges it (limit="0" is an error, not the default).
    if (this.hasAttribute('limit')) query.limit = number(this.getAttribute('limit'))
    if (this.hasAttribute('audience')) query.audience = this.getAttribute('audience')
    if (this._scope) query.scope = this._scope
    return query
  }

  /** Runs the search the form describes and shows the results. */
  search () {
    const ui = this._ui
    if (!this._engine) return null
    ui.places.hidden = true
    const query = this.query()
    if (!query.near) {
      this._show(null)
      this._setStatus(`Indique ta commune pour voir les ${this._config.many} proches.`)
      return null
    }
    let result
    try {
      // A département is an area: the engine searches it without a radius.
      const place = this._engine.resolve(query.near)
      // (A radius attribute the engine must refuse is still sent, to be explained.)
      if (place.kind === 'departement' && !this._badAttributes.has('radius')) delete query.radius_km
      result = this._config.search(this._engine, query)
    } catch (e) {
      this._show(null)
      this._explain(e, query)
      this.dispatchEvent(new CustomEvent('metiers-error', { detail: e, bubbles: true, composed: true }))
      return null
    }
    this._lastResult = result
    this._show(result)
    // The engine words the page: "12 stages à moins de 20 km de Flers ; les 10 plus pertinents".
    this._setStatus(result.summary + (result.total > result.matches.length ? ' :' : '.'))
    this.dispatchEvent(new CustomEvent('metiers-results', { detail: result, bubbles: true, composed: true }))
    return result
  }

  /** The attribute of the page behind an input error, when the query took the value from it. */
  _misconfigured (error) {
    if (error.code !== 'invalid_input') return null
    const attribute = FIELD_ATTRIBUTES[(error.field ?? '').replace(/\[\d+\]$/, '')]
    if (!attribute || !this.hasAttribute(attribute)) return null
    const fromPage = ['limit', 'audience'].includes(attribute) || this._badAttributes.has(attribute) ||
      (attribute === 'radius' ? this._ui.radius.value : this._ui.filter.value) === String(number(this.getAttribute(attribute)))
    return fromPage ? attribute : null
  }

  _explain (error, query) {
    const ui = this._ui
    const typed = ui.near.value.trim()
    const attribute = this._misconfigured(error)
    if (attribute) {
      // The page's mistake: the visitor is told in French who can fix it, the webmaster in
      // English in the console, with the engine's reason.
      const written = this.getAttribute(attribute)
      this._setStatus(`Ce module de recherche est mal réglé sur cette page (${attribute}="${written}") : il ne peut pas chercher. Préviens le responsable du site.`, true)
      console.error(`metiers-widget: the attribute ${attribute}="${written}" of <${this.localName}> is not valid: ${error.message}`)
    } else if (error.code === 'not_found' && error.kind === 'place') {
      this._setStatus(`Commune inconnue : « ${typed} ». Essaie son nom complet ou son code postal.`, true)
    } else if (error.code === 'ambiguous_place') {
      // The engine's candidates, each with what matched; the one picked is sent by its key.
      const places = error.candidates || []
      this._setStatus(places.length === 1
        ? `Commune inconnue : « ${typed} ». Tu veux dire :`
        : `« ${typed} » peut désigner plusieurs lieux : lequel ?`, true)
      ui.places.replaceChildren(...places.map((p) => {
        const where = p.kind === 'departement' ? 'département' : p.departement
        const button = el('button', { type: 'button', className: 'link', text: `${p.name} (${where}) — ${p.matched}` })
        button.addEventListener('click', () => {
          ui.near.value = p.name
          this._place = p.kind === 'departement' ? { departement: p.code } : p.code ? { insee: p.code } : { lat: p.lat, lon: p.lon }
          this.search()
        })
        return button
      }))
      ui.places.hidden = places.length === 0
    } else if ((error.code === 'not_found' && error.kind === 'metier') || /^metiers\b/.test(error.field ?? '')) {
      this._setStatus(`Métier inconnu : « ${ui.metier.value} ». Choisis-en un dans la liste proposée.`, true)
    } else {
      this._setStatus(`Recherche impossible : ${error.message}`, true)
    }
  }

  _show (result) {
    const ui = this._ui
    ui.results.replaceChildren(...(result ? result.matches.map((m) => this._card(m)) : []))
    const steps = result ? result.next_steps : []
    ui.nextStepButtons.replaceChildren(...steps.map((step) => {
      const button = el('button', {
        type: 'button',
        className: 'link',
        text: step.text
      })
      button.addEventListener('click', () => {
        if (step.radius_km) {
          const km = String(step.radius_km)
          if (![...ui.radius.options].some((o) => o.value === km)) ui.radius.append(el('option', { value: km, text: `${km} km` }))
          ui.radius.value = km
        }
        this._scope = step.scope
        this.search()
      })
      return button
    }))
    ui.nextSteps.hidden = steps.length === 0
  }

  _card (match) {
    const { title, details, when } = this._config.card(this._engine, match.item)
    const card = el('li')
    if (match.distance_km !== null) card.append(el('span', { className: 'distance', text: Engine.distanceLabel(match.distance_km) }))
    card.append(el('h3', { text: title }))
    const meta = details.filter(Boolean).join(' — ')
    if (meta) card.append(el('p', { className: 'meta', text: meta }))
    if (when) card.append(el('p', { className: 'meta', text: when.charAt(0).toUpperCase() + when.slice(1) }))
    card.append(el('ul', { className: 'reasons', 'aria-label': this._config.why }, match.reasons.map((r) => el('li', { text: r }))))
    return card
  }

  _setStatus (text, error = false) {
    this._ui.status.textContent = text
    this._ui.status.classList.toggle('error', error)
  }
}

/** `<metiers-stages>`: stages near a place. */
export class MetiersStages extends MetiersSearchElement {
  static get config () { return STAGES }
}

/** `<metiers-ambassadors>`: professionals and students who talk about their work, near a place. */
export class MetiersAmbassadors extends MetiersSearchElement {
  static get config () { return AMBASSADORS }
}

if (!customElements.get('metiers-stages')) customElements.define('metiers-stages', MetiersStages)
if (!customElements.get('metiers-ambassadors')) customElements.define('metiers-ambassadors', MetiersAmbassadors)
