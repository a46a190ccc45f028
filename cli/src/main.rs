//! `metiers`: the matching engine on the command line.
//!
//! ```text
//! metiers stages --near Flers --radius 30 --interest "J'aime le travail manuel"
//! metiers ambassadors --near Caen --metier boulanger --contact video
//! metiers metiers "fraiseur"
//! metiers places "st-lo"
//! ```
//! A readable table by default, JSON with `--json`; a clear message and a non-zero exit
//! status on bad input (2 for input errors, 1 for the rest).

use clap::{Args, Parser, Subcommand};
use metiers::{
    Audience, ContactMode, Engine, Error, Period, PlaceRef, Query, Scope, SearchResult, StageKind,
};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

/// Appends a line to the output buffer (written once at the end, so a closed pipe such as
/// `metiers … | head` ends the program quietly instead of panicking).
macro_rules! outln {
    ($out:expr) => { let _ = writeln!($out); };
    ($out:expr, $($arg:tt)*) => { let _ = writeln!($out, $($arg)*); };
}

#[derive(Parser)]
#[command(
    name = "metiers",
    version,
    about = "Stages, ambassadeurs et entreprises près de chez vous (données de Normandie intégrées)"
)]
struct Cli {
    /// Print JSON instead of a table.
    #[arg(long, global = true)]
    json: bool,
    /// Use this catalogue instead of the embedded fictitious sample (repeatable): a JSON
    /// document with companies, ambassadors and stages, or CSV / JSON-lines files of one entity
    /// each, named after it (stages.csv) or given as ENTITY=FILE (stages=offres.csv).
    #[arg(long, global = true, value_name = "FILE")]
    catalog: Vec<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Stages that fit, best first.
    Stages(Search),
    /// Ambassadors that fit, best first.
    Ambassadors(Search),
    /// Companies whose stages or ambassadors fit, best first.
    Companies(Search),
    /// Métiers with a stage or an ambassador near the place.
    Discover(Search),
    /// Teacher: ambassadors who come to the class (give --near the school and --group-size).
    ClassAmbassadors(Search),
    /// Teacher: companies that receive a class of --group-size pupils.
    ClassCompanies(Search),
    /// Job-title search.
    Metiers {
        /// Words of the title ("fraiseur", "aide soignante").
        text: String,
        /// How many métiers (the engine's default: 10).
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Places a text stands for (commune, postal or INSEE code, département, "lat, lon").
    Places {
        /// The text.
        text: String,
    },
    /// Counts per département, like a portal's home page.
    Counters,
    /// Places a cohort of pupils on stages at once: stable, with each pupil's certificate.
    Assign(Assign),
    /// Territory: what each commune (or collège) has within the radius, per sector; the
    /// white zones (no stage of the sector with a place left) per département.
    Coverage(CoverageArgs),
    /// A seeded cohort of 3e pupils of the embedded collèges, as a pupils CSV file.
    Cohort {
        /// Only this département's collèges (code).
        #[arg(long)]
        departement: Option<String>,
        /// Share of each collège's pupils (default 0.25, a year group).
        #[arg(long)]
        share: Option<f64>,
        /// Seed.
        #[arg(long, default_value_t = 2027)]
        seed: u64,
    },
}

#[derive(Args)]
#[allow(clippy::doc_markdown)] // the help names the values as they are typed
struct CoverageArgs {
    /// Radius in km (repeatable, or comma-separated; default 15).
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    radius: Vec<f64>,
    /// Sector codes: grands domaines (H) or, with --level domaine, domaines (H29); all when
    /// absent (repeatable, or comma-separated).
    #[arg(long, value_delimiter = ',')]
    sector: Vec<String>,
    /// Origins: communes (default), schools, colleges or lycees (the embedded ones), or h3
    /// (the H3 cells of Normandy, see --h3-resolution).
    #[arg(long, default_value = "communes")]
    origins: String,
    /// With --origins h3: the resolution, 4 to 8 (default 7, about 5 km² a cell).
    #[arg(long)]
    h3_resolution: Option<u8>,
    /// Sector level: grand_domaine (default) or domaine.
    #[arg(long)]
    level: Option<String>,
    /// Only stages of this kind (mini_stage, observation_3e, seconde, long_professionnel).
    #[arg(long)]
    kind: Option<String>,
    /// How many white-zone origins the table lists, most populated first (default 10).
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Print every row as CSV instead of the table.
    #[arg(long)]
    csv: bool,
}

impl CoverageArgs {
    fn request(&self) -> Result<metiers::analytics::CoverageRequest, Error> {
        let (origins, school_kind) = match self.origins.as_str() {
            "communes" => ("communes", None),
            "schools" => ("schools", None),
            "colleges" => ("schools", Some("college")),
            "lycees" => ("schools", Some("lycee")),
            "h3" => ("h3", None),
            other => {
                return Err(Error::invalid(
                    "--origins",
                    other,
                    "expected communes, schools, colleges, lycees or h3",
                ))
            }
        };
        let mut v = serde_json::json!({ "origins": origins, "sectors": self.sector });
        if !self.radius.is_empty() {
            v["radii_km"] = serde_json::json!(self.radius);
        }
        if let Some(k) = school_kind {
            v["school_kind"] = k.into();
        }
        if let Some(r) = self.h3_resolution {
            v["h3_resolution"] = r.into();
        }
        if let Some(l) = &self.level {
            v["level"] = l.as_str().into();
        }
        if let Some(k) = &self.kind {
            v["kind"] = k.as_str().into();
        }
        metiers::analytics::CoverageRequest::from_value(Some(v))
    }
}

fn print_coverage(out: &mut String, c: &metiers::analytics::Coverage, limit: usize) {
    // Communes weigh their people of 15 to 64, schools their pupils; cells and points nothing.
    let noun = match c.weight.as_str() {
        "pupils" => " élèves",
        "pop_15_64" => " habitants de 15 à 64 ans",
        _ => "",
    };
    let weighed = |white: u64, all: u64| {
        if noun.is_empty() {
            String::new()
        } else {
            format!(" ({white}{noun} sur {all})")
        }
    };
    for s in c.summary.iter().filter(|s| s.area == "all") {
        let label = c
            .sectors
            .iter()
            .find(|x| x.code == s.sector)
            .map(|x| x.label.as_str())
            .unwrap_or_default();
        outln!(
            out,
            "{} — {} à {} km : {} origine(s) sur {} sans stage{}",
            s.sector,
            label,
            s.radius_km,
            s.white_origins,
            s.origins,
            weighed(s.white_weight, s.weight)
        );
        for d in c.summary.iter().filter(|d| {
            d.area != "all"
                && d.sector == s.sector
                && d.radius_km.to_bits() == s.radius_km.to_bits()
        }) {
            outln!(
                out,
                "    {:<4} {:>5} / {}{}",
                d.area,
                d.white_origins,
                d.origins,
                if noun.is_empty() {
                    String::new()
                } else {
                    format!(" {:>8}{noun}", d.white_weight)
                }
            );
        }
        let mut white: Vec<(
            &metiers::analytics::CoverageRow,
            &metiers::analytics::CoverageOrigin,
        )> = c
            .rows
            .iter()
            .zip(
                c.places
                    .iter()
                    .flat_map(|p| std::iter::repeat_n(p, c.rows.len() / c.places.len().max(1))),
            )
            .filter(|(r, _)| {
                r.is_white()
                    && r.sector == s.sector
                    && r.radius_km.to_bits() == s.radius_km.to_bits()
            })
            .collect();
        white.sort_by(|a, b| {
            b.1.weight
                .cmp(&a.1.weight)
                .then(a.0.origin.cmp(&b.0.origin))
        });
        for (r, p) in white.iter().take(limit) {
            let nearest = r
                .nearest_stage_km
                .map_or("aucun".to_string(), |d| format!("à {d:.1} km"));
            let weight = p.weight.map(|w| format!(" ({w})")).unwrap_or_default();
            outln!(
                out,
                "    {} {}{weight} : stage le plus proche {nearest}",
                r.origin,
                p.name
            );
        }
    }
}

fn print_coverage_csv(out: &mut String, c: &metiers::analytics::Coverage) {
    outln!(out, "origin,origin_name,departement,radius_km,sector,stages,places_left,companies,ambassadors,nearest_stage_km,white");
    let per = c.rows.len() / c.places.len().max(1);
    for (i, r) in c.rows.iter().enumerate() {
        let p = c.places.get(i / per.max(1));
        let quote = |s: &str| {
            if s.contains([',', '"']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        outln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            r.origin,
            quote(p.map(|p| p.name.as_str()).unwrap_or_default()),
            p.and_then(|p| p.departement.as_deref()).unwrap_or_default(),
            r.radius_km,
            r.sector,
            r.stages,
            r.places_left,
            r.companies,
            r.ambassadors,
            r.nearest_stage_km
                .map(|d| d.to_string())
                .unwrap_or_default(),
            r.is_white()
        );
    }
}

#[derive(Args)]
#[allow(clippy::doc_markdown)] // the help names the CSV columns as they are written
struct Assign {
    /// The pupils, CSV: id, school (UAI), and class, weeks, wishes (stage ids, best first,
    /// `;`-separated), commune or lat/lon, audience, or a profile (interests, metiers,
    /// sectors, radius_km, profile_wishes).
    pupils: std::path::PathBuf,
    /// Weeks of the pupils whose row gives none (ISO weeks, e.g. 2027-W03).
    #[arg(long, value_delimiter = ',')]
    weeks: Vec<String>,
    /// Pupils of REP+ then REP collèges first.
    #[arg(long)]
    rep_first: bool,
    /// Or a minimum share (0 to 1) of places held for pupils of REP and REP+ collèges.
    #[arg(long, allow_hyphen_values = true)]
    rep_min_share: Option<f64>,
    /// No priority to pupils living closer (the lottery decides the ties).
    #[arg(long)]
    no_distance: bool,
    /// Seed of the lottery.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Suggestions for each unplaced pupil (default 3).
    #[arg(long)]
    suggestions: Option<usize>,
    /// Schools besides the embedded ones (CSV with the columns of data/schools).
    #[arg(long, value_name = "FILE")]
    schools: Option<std::path::PathBuf>,
}

#[derive(Args)]
struct Search {
    /// Commune, postal or INSEE code, département, or "lat, lon", as people type it (a text
    /// that could mean several places lists them).
    #[arg(long, conflicts_with_all = ["insee", "postal_code", "lat"])]
    near: Option<String>,
    /// Exactly this INSEE code (a commune, an arrondissement, a former commune).
    #[arg(long, conflicts_with_all = ["postal_code", "lat"])]
    insee: Option<String>,
    /// Exactly this postal code.
    #[arg(long, conflicts_with = "lat")]
    postal_code: Option<String>,
    /// Latitude of an exact point (with --lon).
    #[arg(long, requires = "lon", allow_hyphen_values = true)]
    lat: Option<f64>,
    /// Longitude of an exact point (with --lat).
    #[arg(long, requires = "lat", allow_hyphen_values = true)]
    lon: Option<f64>,
    /// Radius in km (default 30).
    #[arg(long, allow_hyphen_values = true)]
    radius: Option<f64>,
    /// Centre d'intérêt, by code or words (repeatable).
    #[arg(long)]
    interest: Vec<String>,
    /// Métier, by ROME code or words (repeatable).
    #[arg(long)]
    metier: Vec<String>,
    /// Preferred sector: ROME grand domaine or domaine (repeatable).
    #[arg(long)]
    sector: Vec<String>,
    /// How far interest links reach: `metier`, `proches`, `domaine`.
    #[arg(long)]
    scope: Option<String>,
    /// `college`, `lycee`, `etudiant`, `demandeur_emploi` or `reconversion`.
    #[arg(long)]
    audience: Option<String>,
    /// First free day (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Last free day (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
    /// Kind of stage: `mini_stage`, `observation_3e`, `seconde`, `long_professionnel` (repeatable).
    #[arg(long)]
    kind: Vec<String>,
    /// Contact mode: `phone`, `video`, `class_visit`, `company_visit` (repeatable).
    #[arg(long)]
    contact: Vec<String>,
    /// Département, code or name (repeatable).
    #[arg(long)]
    departement: Vec<String>,
    /// Size of the class (teacher searches).
    #[arg(long)]
    group_size: Option<u16>,
    /// Results per page.
    #[arg(long)]
    limit: Option<usize>,
    /// Results to skip.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// At most this many results per company.
    #[arg(long)]
    per_company: Option<usize>,
    /// Add results of a wider search when they are few.
    #[arg(long)]
    widen: bool,
}

/// Parses a word of the library's JSON vocabulary (`"mini_stage"`), as the bindings do.
fn word<T: serde::de::DeserializeOwned>(field: &str, text: &str) -> Result<T, Error> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .map_err(|e| Error::invalid(field, text, e.to_string()))
}

impl Search {
    /// The place given by one of --near, --insee, --postal-code or --lat/--lon.
    fn place(&self) -> Option<PlaceRef> {
        if let (Some(lat), Some(lon)) = (self.lat, self.lon) {
            return Some(PlaceRef::point(lat, lon));
        }
        self.near
            .clone()
            .map(PlaceRef::Text)
            .or_else(|| self.insee.clone().map(PlaceRef::Insee))
            .or_else(|| self.postal_code.clone().map(PlaceRef::PostalCode))
    }

    fn query(&self) -> Result<Query, Error> {
        let dates = match (&self.from, &self.to) {
            (None, None) => None,
            (Some(a), None) => Some(Period::parse(a)?),
            (None, Some(b)) => Some(Period::parse(b)?),
            (Some(a), Some(b)) => Some(Period::parse(&format!("{a}/{b}"))?),
        };
        Ok(Query {
            near: self.place(),
            radius_km: self.radius,
            interests: self.interest.clone(),
            metiers: self.metier.clone(),
            sectors: self.sector.clone(),
            scope: self
                .scope
                .as_deref()
                .map(|s| word::<Scope>("scope", s))
                .transpose()?,
            audience: self
                .audience
                .as_deref()
                .map(|s| word::<Audience>("audience", s))
                .transpose()?,
            dates,
            kinds: self
                .kind
                .iter()
                .map(|k| word::<StageKind>("kind", k))
                .collect::<Result<_, _>>()?,
            contact_modes: self
                .contact
                .iter()
                .map(|c| word::<ContactMode>("contact", c))
                .collect::<Result<_, _>>()?,
            departements: self.departement.clone(),
            group_size: self.group_size,
            limit: self.limit,
            offset: self.offset,
            per_company: self.per_company,
            widen: self.widen,
            ..Query::default()
        })
    }
}

fn clip(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        format!("{text:<width$}")
    } else {
        let cut: String = text.chars().take(width - 1).collect();
        format!("{cut}…")
    }
}

fn print_page<T>(out: &mut String, page: &SearchResult<T>, title: impl Fn(&T) -> String) {
    // The engine words the page ("12 stages à moins de 30 km du Havre ; …").
    outln!(out, "{}", page.summary);
    outln!(
        out,
        "{:>3}  {:>6}  {:>7}  {:<10}  {:<44}  raisons",
        "#",
        "score",
        "km",
        "id",
        "offre"
    );
    for (i, m) in page.matches.iter().enumerate() {
        let km = m
            .distance_km
            .map_or(String::from("—"), |d| format!("{d:.1}"));
        let mut reasons = m.reasons.join(" · ");
        if let Some(w) = &m.widened {
            reasons = format!("[{w}] {reasons}");
        }
        outln!(
            out,
            "{:>3}  {:>6.3}  {:>7}  {}  {}  {}",
            page.offset + i + 1,
            m.score,
            km,
            clip(&m.id, 10),
            clip(&title(&m.item), 44),
            reasons
        );
    }
    for step in &page.next_steps {
        outln!(out, "  → {} : {} résultat(s)", step.label, step.total);
    }
}

fn emit<T: Serialize>(out: &mut String, json: bool, value: &T, table: impl FnOnce(&mut String)) {
    if json {
        outln!(
            out,
            "{}",
            serde_json::to_string_pretty(value).unwrap_or_default()
        );
    } else {
        table(out);
    }
}

fn print_places(out: &mut String, places: &[metiers::Place]) {
    for p in places {
        outln!(
            out,
            "{:<6} {:<32} dép. {:<3} {:>9.5}, {:>9.5}  {}",
            p.code.as_deref().unwrap_or("—"),
            p.name,
            p.departement.as_deref().unwrap_or("—"),
            p.lat,
            p.lon,
            p.matched
        );
    }
}

fn print_counters(out: &mut String, c: &metiers::Counters) {
    outln!(
        out,
        "{:<8} {:>10} {:>12} {:>12} {:>7} {:>7}",
        "dép.",
        "entreprises",
        "amb. métier",
        "amb. format.",
        "stages",
        "places"
    );
    let total = "total".to_string();
    for (dep, n) in c
        .by_departement
        .iter()
        .chain(std::iter::once((&total, &c.total)))
    {
        outln!(
            out,
            "{dep:<8} {:>10} {:>12} {:>12} {:>7} {:>7}",
            n.companies,
            n.ambassadeurs_metier,
            n.ambassadeurs_formation,
            n.stages,
            n.places_left
        );
    }
}

impl Assign {
    fn request(&self) -> Result<metiers::AssignRequest, Error> {
        let read = |path: &std::path::Path| {
            std::fs::read(path)
                .map_err(|e| Error::invalid("file", path.display().to_string(), e.to_string()))
        };
        let name = self.pupils.display().to_string();
        let pupils =
            metiers::assign::read_pupils_csv(&name, &read(&self.pupils)?[..], &self.weeks)?;
        let schools = match &self.schools {
            None => Vec::new(),
            Some(path) => {
                metiers::schools::Schools::from_csv(&path.display().to_string(), &read(path)?[..])?
                    .iter()
                    .cloned()
                    .collect()
            }
        };
        Ok(metiers::AssignRequest {
            pupils,
            priorities: metiers::Priorities {
                rep_first: self.rep_first,
                rep_min_share: self.rep_min_share,
                distance: !self.no_distance,
                seed: self.seed,
            },
            schools,
            suggestions: self.suggestions,
        })
    }
}

fn print_placement(out: &mut String, p: &metiers::Placement) {
    let r = &p.report;
    outln!(out, "{}", r.text);
    if let Some(d) = &r.distance_km {
        outln!(
            out,
            "distance : moyenne {} km, médiane {} km, 9e décile {} km",
            d.mean,
            d.median,
            d.p90
        );
    }
    let wishes: Vec<String> = r
        .by_wish
        .iter()
        .enumerate()
        .map(|(i, n)| format!("vœu {} : {n}", i + 1))
        .collect();
    outln!(out, "{}", wishes.join(" · "));
    for g in &r.by_priority {
        outln!(
            out,
            "  {:<8} {:>6} élèves, {:>6} placés, {:>6} sur leur 1er vœu",
            g.group,
            g.pupils,
            g.placed,
            g.first_wish
        );
    }
    outln!(out);
    for o in &p.pupils {
        outln!(
            out,
            "{:<16} {:<9} {:<8} {}",
            clip(&o.pupil, 16),
            o.school,
            o.stage.as_deref().unwrap_or("—"),
            o.text
        );
        for w in o.wishes.iter().filter(|w| w.refusal.is_some()) {
            let why = w
                .refusal
                .as_ref()
                .map(|r| r.text.as_str())
                .unwrap_or_default();
            outln!(out, "    vœu {} {} : {why}", w.rank, w.stage);
        }
        for s in &o.suggestions {
            outln!(
                out,
                "    suggestion {} à {} km : {}",
                s.stage,
                s.distance_km.round(),
                s.title.as_deref().unwrap_or_default()
            );
        }
    }
}

fn print_cohort(out: &mut String, pupils: &[metiers::Pupil]) {
    outln!(
        out,
        "id,school,class,weeks,lat,lon,interests,radius_km,profile_wishes"
    );
    for p in pupils {
        let (lat, lon) = match p.place {
            Some(PlaceRef::Point { lat, lon }) => (lat.to_string(), lon.to_string()),
            _ => (String::new(), String::new()),
        };
        let profile = p.profile.clone().unwrap_or_default();
        outln!(
            out,
            "{},{},{},{},{lat},{lon},{},{},{}",
            p.id,
            p.school,
            p.class.as_deref().unwrap_or_default(),
            p.weeks.join(";"),
            profile.interests.join(";"),
            profile.radius_km.map(|r| r.to_string()).unwrap_or_default(),
            profile.wishes.map(|w| w.to_string()).unwrap_or_default()
        );
    }
}

/// The placement commands: `assign` and `cohort`.
fn placement(
    engine: &Engine,
    command: &Command,
    json: bool,
    out: &mut String,
) -> Result<(), Error> {
    match command {
        Command::Assign(a) => {
            let placement = engine.assign(&a.request()?)?;
            emit(out, json, &placement, |out| {
                print_placement(out, &placement);
            });
        }
        Command::Cohort {
            departement,
            share,
            seed,
        } => {
            let spec = metiers::CohortSpec {
                seed: *seed,
                departement: departement.clone(),
                share: share.unwrap_or(0.25),
                ..metiers::CohortSpec::default()
            };
            let pupils = engine.cohort(&spec)?;
            emit(out, json, &pupils, |out| print_cohort(out, &pupils));
        }
        _ => {}
    }
    Ok(())
}

fn run(cli: &Cli, out: &mut String) -> Result<(), Error> {
    let mut engine = Engine::normandy()?;
    if !cli.catalog.is_empty() {
        engine.clear_catalog();
        engine.load_paths(&cli.catalog)?;
    }
    let json = cli.json;
    match &cli.command {
        Command::Stages(s) => {
            let page = engine.search_stages(&s.query()?)?;
            emit(out, json, &page, |out| {
                print_page(out, &page, |st| {
                    st.title.clone().unwrap_or_else(|| st.kind.label().into())
                });
            });
        }
        Command::Ambassadors(s) | Command::ClassAmbassadors(s) => {
            let q = s.query()?;
            let page = if matches!(cli.command, Command::ClassAmbassadors(_)) {
                engine.ambassadors_for_class(&q)?
            } else {
                engine.search_ambassadors(&q)?
            };
            emit(out, json, &page, |out| {
                print_page(out, &page, |a| {
                    let label = a
                        .metiers
                        .first()
                        .and_then(|c| engine.metier(c).ok())
                        .map(|m| m.label.clone())
                        .unwrap_or_default();
                    format!("{} — {label}", a.name.clone().unwrap_or_default())
                });
            });
        }
        Command::Companies(s) | Command::ClassCompanies(s) => {
            let q = s.query()?;
            let page = if matches!(cli.command, Command::ClassCompanies(_)) {
                engine.companies_for_class(&q)?
            } else {
                engine.search_companies(&q)?
            };
            emit(out, json, &page, |out| {
                print_page(out, &page, |c| c.company.name.clone());
            });
        }
        Command::Discover(s) => {
            let page = engine.metiers_near(&s.query()?)?;
            emit(out, json, &page, |out| {
                outln!(out, "{} métier(s) à découvrir", page.total);
                for m in &page.metiers {
                    outln!(
                        out,
                        "  {}  {}  {}",
                        m.code,
                        clip(&m.label, 50),
                        m.reasons.join(" · ")
                    );
                }
            });
        }
        Command::Metiers { text, limit } => {
            let hits = engine.search_metiers(text, *limit)?;
            emit(out, json, &hits, |out| {
                for h in &hits {
                    outln!(
                        out,
                        "{}  {:>6.3}  {}  (titre : {})",
                        h.code,
                        h.score,
                        clip(&h.label, 50),
                        h.matched_title
                    );
                }
            });
        }
        Command::Places { text } => {
            let places = engine.locate(text)?;
            emit(out, json, &places, |out| print_places(out, &places));
        }
        Command::Counters => {
            let counters = engine.counters();
            emit(out, json, &counters, |out| print_counters(out, &counters));
        }
        Command::Assign(_) | Command::Cohort { .. } => placement(&engine, &cli.command, json, out)?,
        Command::Coverage(a) => {
            let coverage = engine.coverage(&a.request()?)?;
            if a.csv && !json {
                print_coverage_csv(out, &coverage);
            } else {
                emit(out, json, &coverage, |out| {
                    print_coverage(out, &coverage, a.limit);
                });
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = String::new();
    let result = run(&cli, &mut out);
    // A reader that went away (a closed pipe) is not an error of ours.
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("erreur ({}) : {e}", e.code());
            if let Error::AmbiguousPlace { candidates, .. } = &e {
                eprintln!("lieux possibles :");
                for c in candidates {
                    let key = match c.kind {
                        metiers::PlaceKind::Departement => "--departement",
                        _ => "--insee",
                    };
                    eprintln!(
                        "  {key} {:<6} {} — {}",
                        c.code.as_deref().unwrap_or(""),
                        c.name,
                        c.matched
                    );
                }
            }
            if matches!(e.code(), "invalid_input" | "ambiguous_place") {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
