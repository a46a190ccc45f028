//! `metiers`: the matching engine on the command line.
//!
//! ```text
//! metiers stages --near Flers --radius 30 --interest "J'aime le travail manuel"
//! metiers ambassadors --near Caen --metier boulanger --contact video
//! metiers metiers "fraiseur"
//! metiers places "st-lo"
//! ```
//! A readable table by default, JSON or CSV with `--format json|csv`; a clear message in
//! French and a non-zero exit status on bad input (2 for input errors, 1 for the rest). The
//! help and the messages are in French, as the people who use it are.

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use metiers::{
    Audience, ContactMode, Engine, Error, Period, PlaceRef, Query, Region, Scope, SearchResult,
    StageKind,
};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: a command is a whole process whose start-up
/// decodes the referential into some 150,000 small allocations; glibc's heap faults its pages
/// in one by one (3,500 page faults for `metiers stages`, 174 with mimalloc), and the
/// command ran in 22 ms instead of 15 (`perf stat -r 30`, one session).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Appends a line to the output buffer (written once at the end, so a closed pipe such as
/// `metiers … | head` ends the program quietly instead of panicking).
macro_rules! outln {
    ($out:expr) => { let _ = writeln!($out); };
    ($out:expr, $($arg:tt)*) => { let _ = writeln!($out, $($arg)*); };
}

/// clap's help in French: the headings of the template, and the help and version flags.
const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
Utilisation : {usage}

{all-args}{after-help}";

#[derive(Parser)]
#[command(
    name = "metiers",
    version,
    about = "Stages, ambassadeurs et entreprises près de chez vous (données de Normandie intégrées)",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "Commandes",
    subcommand_value_name = "COMMANDE",
    next_help_heading = "Options",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    hide_possible_values = true,
    override_usage = "metiers [OPTIONS] <COMMANDE>"
)]
struct Cli {
    /// Affiche les résultats en JSON (comme --format json).
    #[arg(long, global = true, conflicts_with = "format")]
    json: bool,
    /// Forme des résultats : table (lisible, par défaut), json (la forme partagée des
    /// résultats) ou csv (une ligne par résultat, pour un tableur).
    #[arg(long, global = true, value_enum, default_value_t = Output::Table, hide_default_value = true)]
    format: Output,
    /// Cherche dans ce catalogue au lieu de l'échantillon fictif intégré (répétable) : un
    /// document JSON avec entreprises, ambassadeurs et stages, ou des fichiers CSV / JSON lines
    /// d'un seul type chacun, nommés d'après lui (stages.csv, entreprises.csv) ou donnés comme
    /// TYPE=FICHIER (stages=offres.csv).
    #[arg(long, global = true, value_name = "FICHIER")]
    catalog: Vec<String>,
    /// Encodage des fichiers CSV du catalogue et de celui des élèves (assign) : utf-8 (par
    /// défaut) ou windows-1252 (aussi cp1252, latin-1), ce qu'écrit l'export « CSV
    /// (séparateur : point-virgule) » d'un tableur ; un fichier qui commence par une marque
    /// d'ordre des octets est lu comme elle le dit.
    #[arg(long, global = true, value_name = "ENCODAGE", ignore_case = true, value_parser = encoding())]
    encoding: Option<metiers::Encoding>,
    /// Affiche l'aide.
    #[arg(short, long, global = true, action = ArgAction::Help)]
    help: Option<bool>,
    /// Affiche la version.
    #[arg(short = 'V', long, action = ArgAction::Version)]
    version: Option<bool>,
    #[command(subcommand)]
    command: Command,
}

/// How results are printed.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    /// A readable table.
    Table,
    /// The shared JSON shape of the results.
    Json,
    /// One line a result, for a spreadsheet.
    Csv,
}

#[derive(Subcommand)]
enum Command {
    /// Les stages qui conviennent, les plus pertinents d'abord.
    Stages(Search),
    /// Les ambassadeurs qui conviennent, les plus pertinents d'abord.
    Ambassadors(Search),
    /// Les entreprises dont les stages ou les ambassadeurs conviennent.
    Companies(Search),
    /// Les métiers qui ont un stage ou un ambassadeur près du lieu.
    Discover(Search),
    /// Enseignant : les ambassadeurs qui viennent en classe (--near l'établissement, --group-size).
    ClassAmbassadors(Search),
    /// Enseignant : les entreprises qui reçoivent une classe de --group-size élèves.
    ClassCompanies(Search),
    /// Recherche d'un métier par ses appellations.
    Metiers {
        /// Les mots de l'appellation (« fraiseur », « aide soignante »).
        #[arg(value_name = "TEXTE")]
        text: String,
        /// Nombre de métiers (10 par défaut).
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Les lieux qu'un texte peut désigner (commune, code postal ou INSEE, département, « lat, lon »).
    Places {
        /// Le texte.
        #[arg(value_name = "TEXTE", allow_hyphen_values = true)]
        text: String,
    },
    /// Les nombres par département, comme la page d'accueil d'un portail.
    Counters,
    /// Affecte une cohorte d'élèves à des stages en une fois : stable, avec le justificatif de chacun.
    Assign(Assign),
    /// Territoire : ce que chaque commune (ou collège) a dans le rayon, par secteur ; les
    /// zones blanches (aucun stage du secteur avec une place) par département.
    Coverage(CoverageArgs),
    /// Une cohorte d'élèves de 3e des collèges intégrés, tirée au sort, en fichier CSV d'élèves.
    Cohort {
        /// Seulement les collèges de ce département (code).
        #[arg(long)]
        departement: Option<String>,
        /// Part des élèves de chaque collège (0,25 par défaut : un niveau).
        #[arg(long)]
        share: Option<f64>,
        /// Graine du tirage (2027 par défaut).
        #[arg(long, default_value_t = 2027, hide_default_value = true)]
        seed: u64,
    },
}

#[derive(Args)]
#[allow(clippy::doc_markdown)] // the help names the values as they are typed
struct CoverageArgs {
    /// Rayon en km (répétable, ou séparé par des virgules ; 15 par défaut).
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    radius: Vec<f64>,
    /// Codes de secteur : grands domaines (H) ou, avec --level domaine, domaines (H29) ; tous
    /// sans cette option (répétable, ou séparé par des virgules).
    #[arg(long, value_delimiter = ',')]
    sector: Vec<String>,
    /// Origines : communes (par défaut), schools, colleges ou lycees (les établissements
    /// intégrés), ou h3 (les cellules H3 de la Normandie, voir --h3-resolution).
    #[arg(long, default_value = "communes", hide_default_value = true)]
    origins: String,
    /// Avec --origins h3 : la résolution, de 4 à 8 (7 par défaut, environ 5 km² par cellule).
    #[arg(long)]
    h3_resolution: Option<u8>,
    /// Niveau des secteurs : grand_domaine (par défaut) ou domaine.
    #[arg(long)]
    level: Option<String>,
    /// Seulement les stages de ce type (mini_stage, observation_3e, seconde, long_professionnel).
    #[arg(long)]
    kind: Option<String>,
    /// Nombre d'origines en zone blanche listées, les plus peuplées d'abord (10 par défaut).
    #[arg(long, default_value_t = 10, hide_default_value = true)]
    limit: usize,
    /// Toutes les lignes en CSV au lieu de la table (comme --format csv).
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
                    && *r.sector == *s.sector
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
    let header = [
        "origin",
        "origin_name",
        "departement",
        "radius_km",
        "sector",
        "stages",
        "places_left",
        "companies",
        "ambassadors",
        "nearest_stage_km",
        "white",
    ];
    let per = c.rows.len() / c.places.len().max(1);
    let rows = c.rows.iter().enumerate().map(|(i, r)| {
        let p = c.places.get(i / per.max(1));
        vec![
            r.origin.to_string(),
            p.map(|p| p.name.clone()).unwrap_or_default(),
            p.and_then(|p| p.departement.clone()).unwrap_or_default(),
            r.radius_km.to_string(),
            r.sector.to_string(),
            r.stages.to_string(),
            r.places_left.to_string(),
            r.companies.to_string(),
            r.ambassadors.to_string(),
            r.nearest_stage_km
                .map(|d| d.to_string())
                .unwrap_or_default(),
            r.is_white().to_string(),
        ]
    });
    write_csv(out, &header, rows);
}

#[derive(Args)]
#[allow(clippy::doc_markdown)] // the help names the CSV columns as they are written
struct Assign {
    /// Les élèves, en CSV : id, school (UAI), et class, weeks, wishes (ids de stages, le
    /// préféré d'abord, séparés par `;`), commune ou lat/lon, audience, ou un profil
    /// (interests, metiers, sectors, radius_km, profile_wishes).
    #[arg(value_name = "ELEVES_CSV")]
    pupils: std::path::PathBuf,
    /// Semaines des élèves dont la ligne n'en donne pas (semaines ISO, par ex. 2027-W03).
    #[arg(long, value_delimiter = ',')]
    weeks: Vec<String>,
    /// Les élèves des collèges REP+ puis REP d'abord.
    #[arg(long)]
    rep_first: bool,
    /// Ou une part minimale (de 0 à 1) des places réservée aux élèves des collèges REP et REP+.
    #[arg(long, allow_hyphen_values = true)]
    rep_min_share: Option<f64>,
    /// Pas de priorité aux élèves qui habitent plus près (le tirage départage).
    #[arg(long)]
    no_distance: bool,
    /// Graine du tirage au sort (0 par défaut).
    #[arg(long, default_value_t = 0, hide_default_value = true)]
    seed: u64,
    /// Suggestions pour chaque élève sans stage (3 par défaut).
    #[arg(long)]
    suggestions: Option<u64>,
    /// Établissements en plus de ceux intégrés (CSV avec les colonnes de core/data/schools).
    #[arg(long, value_name = "FICHIER")]
    schools: Option<std::path::PathBuf>,
}

#[derive(Args)]
struct Search {
    /// Commune, code postal ou INSEE, département, ou « lat, lon », comme on le tape (un
    /// texte qui peut désigner plusieurs lieux les liste).
    #[arg(
        long,
        value_name = "LIEU",
        conflicts_with_all = ["insee", "postal_code", "lat"],
        allow_hyphen_values = true
    )]
    near: Option<String>,
    /// Exactement ce code INSEE (une commune, un arrondissement, une commune déléguée).
    #[arg(long, value_name = "CODE", conflicts_with_all = ["postal_code", "lat"])]
    insee: Option<String>,
    /// Exactement ce code postal.
    #[arg(long, value_name = "CODE", conflicts_with = "lat")]
    postal_code: Option<String>,
    /// Latitude d'un point exact (avec --lon).
    #[arg(long, requires = "lon", allow_hyphen_values = true)]
    lat: Option<f64>,
    /// Longitude d'un point exact (avec --lat).
    #[arg(long, requires = "lat", allow_hyphen_values = true)]
    lon: Option<f64>,
    /// Rayon en km (30 par défaut).
    #[arg(long, value_name = "KM", allow_hyphen_values = true)]
    radius: Option<f64>,
    /// Centre d'intérêt, par son code ou ses mots (répétable).
    #[arg(long)]
    interest: Vec<String>,
    /// Métier, par son code ROME ou ses mots (répétable).
    #[arg(long)]
    metier: Vec<String>,
    /// Secteur préféré : grand domaine ou domaine du ROME (répétable).
    #[arg(long)]
    sector: Vec<String>,
    /// Jusqu'où vont les liens des centres d'intérêt : `metier`, `proches`, `domaine`.
    #[arg(long)]
    scope: Option<String>,
    /// `college`, `lycee`, `etudiant`, `demandeur_emploi` ou `reconversion`.
    #[arg(long)]
    audience: Option<String>,
    /// Premier jour libre (AAAA-MM-JJ).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Dernier jour libre (AAAA-MM-JJ).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Type de stage : `mini_stage`, `observation_3e`, `seconde`, `long_professionnel` (répétable).
    #[arg(long)]
    kind: Vec<String>,
    /// Façon d'échanger : `phone`, `video`, `class_visit`, `company_visit` (répétable).
    #[arg(long)]
    contact: Vec<String>,
    /// Département, par son code ou son nom (répétable).
    #[arg(long)]
    departement: Vec<String>,
    /// Taille de la classe (recherches des enseignants).
    #[arg(long)]
    group_size: Option<u16>,
    /// Résultats par page.
    #[arg(long)]
    limit: Option<u64>,
    /// Résultats à sauter (0 par défaut).
    #[arg(long, default_value_t = 0, hide_default_value = true)]
    offset: u64,
    /// Au plus ce nombre de résultats par entreprise.
    #[arg(long)]
    per_company: Option<u64>,
    /// Ajoute les résultats d'une recherche plus large quand ils sont peu nombreux.
    #[arg(long)]
    widen: bool,
}

/// Parses a word of the library's JSON vocabulary (`"mini_stage"`), as the bindings do.
fn word<T: serde::de::DeserializeOwned>(field: &str, text: &str) -> Result<T, Error> {
    // The core's reader: its messages quote a bounded value, in its plain words.
    metiers::error::from_value(serde_json::Value::String(text.to_string()), field)
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

/// A text in `width` characters: padded, or cut at the last word that fits (never in the
/// middle of one, unless a single word is wider) and ended with "…".
fn clip(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width {
        return format!("{text:<width$}");
    }
    let room: String = text.chars().take(width.saturating_sub(1)).collect();
    // Cut after the last whole word: at a space, or after a dash or slash of a compound.
    let next = text.chars().nth(room.chars().count());
    let cut = if next.is_some_and(char::is_whitespace) {
        room.trim_end().to_string()
    } else {
        match room.rfind([' ', '/', '-', '(']) {
            Some(i) if i > 0 => room[..i]
                .trim_end()
                .trim_end_matches([',', ';', ':'])
                .trim_end()
                .to_string(),
            _ => room,
        }
    };
    let cut = format!("{cut}…");
    let pad = width.saturating_sub(cut.chars().count());
    format!("{cut}{}", " ".repeat(pad))
}

/// One cell of a result line: its table heading and width (0: CSV only), its CSV column.
struct Cell {
    heading: &'static str,
    width: usize,
    csv: &'static str,
    value: String,
}

impl Cell {
    fn new(heading: &'static str, width: usize, csv: &'static str, value: String) -> Cell {
        Cell {
            heading,
            width,
            csv,
            value,
        }
    }
}

/// A commune's name from a location's INSEE code (the catalogue's places are validated to one).
fn commune_name(engine: &Engine, place: Option<&metiers::Location>) -> (String, String) {
    let code = place
        .and_then(|p| p.commune.as_deref())
        .unwrap_or_default()
        .to_string();
    let name = engine
        .commune(&code)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    (code, name)
}

/// A company's id and name.
fn company_name(engine: &Engine, id: Option<&str>) -> (String, String) {
    let id = id.unwrap_or_default().to_string();
    let name = engine
        .company(&id)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    (id, name)
}

/// Writes rows as CSV (quoted where needed, by the csv crate).
fn write_csv(out: &mut String, header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(header);
    for row in rows {
        let _ = w.write_record(&row);
    }
    let bytes = w.into_inner().unwrap_or_default();
    out.push_str(&String::from_utf8_lossy(&bytes));
}

fn print_page<T>(
    out: &mut String,
    format: Output,
    page: &SearchResult<T>,
    cells: impl Fn(&T) -> Vec<Cell>,
) {
    let reasons = |m: &metiers::Match<T>| {
        let mut r = m.reasons.join(" · ");
        if let Some(w) = &m.widened {
            r = format!("[{w}] {r}");
        }
        r
    };
    if format == Output::Csv {
        let Some(first) = page.matches.first() else {
            // No result: the header alone, from an empty line's cells.
            write_csv(out, &["rank", "score", "distance_km", "id", "reasons"], []);
            return;
        };
        let names: Vec<&str> = cells(&first.item).iter().map(|c| c.csv).collect();
        let header: Vec<&str> = ["rank", "score", "distance_km", "id"]
            .into_iter()
            .chain(names)
            .chain(["reasons"])
            .collect();
        let rows = page.matches.iter().enumerate().map(|(i, m)| {
            let mut row = vec![
                rank(page.offset, i).to_string(),
                format!("{:.6}", m.score),
                m.distance_km.map(|d| format!("{d:.3}")).unwrap_or_default(),
                m.id.to_string(),
            ];
            row.extend(cells(&m.item).into_iter().map(|c| c.value));
            row.push(reasons(m));
            row
        });
        write_csv(out, &header, rows);
        return;
    }
    // The engine words the page ("12 stages à moins de 30 km du Havre ; …").
    outln!(out, "{}", page.summary);
    let mut heading = format!("{:>3}  {:>6}  {:>7}  {:<10}", "#", "score", "km", "id");
    if let Some(first) = page.matches.first() {
        for c in cells(&first.item).iter().filter(|c| c.width > 0) {
            let _ = write!(heading, "  {}", clip(c.heading, c.width));
        }
    }
    outln!(out, "{heading}  raisons");
    for (i, m) in page.matches.iter().enumerate() {
        let km = m
            .distance_km
            .map_or(String::from("—"), |d| format!("{d:.1}"));
        let mut line = format!(
            "{:>3}  {:>6.3}  {:>7}  {}",
            rank(page.offset, i),
            m.score,
            km,
            clip(&m.id, 10)
        );
        for c in cells(&m.item).iter().filter(|c| c.width > 0) {
            let _ = write!(line, "  {}", clip(&c.value, c.width));
        }
        outln!(out, "{line}  {}", reasons(m));
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

fn print_counters_csv(out: &mut String, c: &metiers::Counters) {
    let total = "total".to_string();
    let rows = c
        .by_departement
        .iter()
        .chain(std::iter::once((&total, &c.total)))
        .map(|(dep, n)| {
            vec![
                dep.clone(),
                n.companies.to_string(),
                n.ambassadeurs_metier.to_string(),
                n.ambassadeurs_formation.to_string(),
                n.stages.to_string(),
                n.places_left.to_string(),
            ]
        });
    let header = [
        "departement",
        "companies",
        "ambassadeurs_metier",
        "ambassadeurs_formation",
        "stages",
        "places_left",
    ];
    write_csv(out, &header, rows);
}

impl Assign {
    /// The placement asked for; the pupils' CSV file is in `encoding`.
    fn request(&self, encoding: metiers::Encoding) -> Result<metiers::AssignRequest, Error> {
        let read = |path: &std::path::Path| {
            std::fs::read(path)
                .map_err(|e| Error::invalid("file", path.display().to_string(), e.to_string()))
        };
        let name = self.pupils.display().to_string();
        let pupils = metiers::assign::read_pupils_csv_in(
            &name,
            &read(&self.pupils)?[..],
            &self.weeks,
            encoding,
        )?;
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
fn placement(engine: &Engine, cli: &Cli, format: Output, out: &mut String) -> Result<(), Error> {
    let json = format == Output::Json;
    match &cli.command {
        Command::Assign(a) => {
            let placement = engine.assign(&a.request(cli.encoding.unwrap_or_default())?)?;
            emit(out, json, &placement, |out| {
                if format == Output::Csv {
                    let rows = placement.pupils.iter().map(|o| {
                        vec![
                            o.pupil.clone(),
                            o.school.clone(),
                            o.stage.clone().unwrap_or_default(),
                            o.text.clone(),
                        ]
                    });
                    write_csv(out, &["pupil", "school", "stage", "text"], rows);
                } else {
                    print_placement(out, &placement);
                }
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
            // A pupils CSV file in the table and CSV forms alike: what `assign` reads.
            emit(out, json, &pupils, |out| print_cohort(out, &pupils));
        }
        _ => {}
    }
    Ok(())
}

fn stage_cells(engine: &Engine, st: &metiers::Stage) -> Vec<Cell> {
    let (company, company_name) = company_name(engine, Some(&st.company));
    let (code, name) = commune_name(engine, st.place.as_ref());
    vec![
        Cell::new(
            "offre",
            36,
            "title",
            st.title.as_deref().unwrap_or(st.kind.label()).to_string(),
        ),
        Cell::new("", 0, "kind", word_of(&st.kind)),
        Cell::new("", 0, "company", company),
        Cell::new("entreprise", 30, "company_name", company_name),
        Cell::new("", 0, "commune", code),
        Cell::new("commune", 20, "commune_name", name),
    ]
}

fn ambassador_cells(engine: &Engine, a: &metiers::Ambassador) -> Vec<Cell> {
    let metier = a
        .metiers
        .first()
        .and_then(|c| engine.metier(c).ok())
        .map(|m| m.label.clone())
        .unwrap_or_default();
    let (company, company_name) = company_name(engine, a.company.as_deref());
    // A student talks about a training, a professional works for a company.
    let at = a.training.clone().unwrap_or(company_name);
    let (code, name) = commune_name(engine, a.place.as_ref());
    vec![
        Cell::new(
            "ambassadeur",
            22,
            "name",
            a.name.clone().unwrap_or_default(),
        ),
        Cell::new("métier", 30, "metier", metier),
        Cell::new("", 0, "company", company),
        Cell::new("entreprise ou formation", 28, "company_or_training", at),
        Cell::new("", 0, "commune", code),
        Cell::new("commune", 20, "commune_name", name),
    ]
}

fn company_cells(engine: &Engine, c: &metiers::CompanySummary) -> Vec<Cell> {
    let (code, name) = commune_name(engine, Some(&c.company.place));
    vec![
        Cell::new("entreprise", 36, "name", c.company.name.clone()),
        Cell::new("", 0, "commune", code),
        Cell::new("commune", 20, "commune_name", name),
        Cell::new("", 0, "stages", c.stages.to_string()),
        Cell::new("", 0, "ambassadors", c.ambassadors.to_string()),
    ]
}

/// A value's word in the shared JSON vocabulary (`mini_stage`).
fn word_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The lookup commands: `discover`, `metiers`, `places` and `counters`.
fn lookups(
    engine: &Engine,
    command: &Command,
    format: Output,
    out: &mut String,
) -> Result<(), Error> {
    let json = format == Output::Json;
    let csv = format == Output::Csv;
    match command {
        Command::Discover(s) => {
            let page = engine.metiers_near(&s.query()?)?;
            emit(out, json, &page, |out| {
                if csv {
                    let rows = page
                        .metiers
                        .iter()
                        .map(|m| vec![m.code.clone(), m.label.clone(), m.reasons.join(" · ")]);
                    write_csv(out, &["code", "label", "reasons"], rows);
                    return;
                }
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
            print_metier_hits(out, format, &engine.search_metiers(text, *limit)?);
        }
        Command::Places { text } => {
            let places = engine.locate(text)?;
            emit(out, json, &places, |out| {
                if csv {
                    let rows = places.iter().map(|p| {
                        vec![
                            word_of(&p.kind),
                            p.code.clone().unwrap_or_default(),
                            p.name.clone(),
                            p.departement.clone().unwrap_or_default(),
                            p.lat.to_string(),
                            p.lon.to_string(),
                            p.matched.clone(),
                        ]
                    });
                    let header = [
                        "kind",
                        "code",
                        "name",
                        "departement",
                        "lat",
                        "lon",
                        "matched",
                    ];
                    write_csv(out, &header, rows);
                } else {
                    print_places(out, &places);
                }
            });
        }
        Command::Counters => {
            let counters = engine.counters();
            emit(out, json, &counters, |out| {
                if csv {
                    print_counters_csv(out, &counters);
                } else {
                    print_counters(out, &counters);
                }
            });
        }
        _ => {}
    }
    Ok(())
}

/// The job titles found, as the `metiers` command prints them.
fn print_metier_hits(out: &mut String, format: Output, hits: &[metiers::MetierHit]) {
    emit(out, format == Output::Json, &hits, |out| {
        if format == Output::Csv {
            let rows = hits.iter().map(|h| {
                vec![
                    h.code.clone(),
                    format!("{:.6}", h.score),
                    h.label.clone(),
                    h.matched_title.clone(),
                ]
            });
            write_csv(out, &["code", "score", "label", "matched_title"], rows);
            return;
        }
        for h in hits {
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

fn run(cli: &Cli, out: &mut String) -> Result<(), Error> {
    if let Some(encoding) = cli.encoding {
        // Said, not ignored, when no CSV file is read.
        let csv = |arg: &String| {
            metiers::Entity::of_path(arg)
                .and_then(|(_, path)| metiers::Format::of_path(path))
                .is_ok_and(|f| f == metiers::Format::Csv)
        };
        if !cli.catalog.iter().any(csv) && !matches!(cli.command, Command::Assign(_)) {
            return Err(Error::invalid(
                "encoding",
                encoding.as_str(),
                "--encoding is the encoding of CSV files: the catalogue's (--catalog) or the \
                 pupils' (assign); this command reads none",
            ));
        }
    }
    let json = cli.json || cli.format == Output::Json;
    let format = if json { Output::Json } else { cli.format };
    // Job titles need the referential alone (no communes, no catalogue): answered before
    // anything else is decoded (a catalogue given is still loaded, and its errors reported).
    if let (Command::Metiers { text, limit }, true) = (&cli.command, cli.catalog.is_empty()) {
        let hits = metiers::Referential::embedded()?.search_metiers(text.as_str(), *limit)?;
        print_metier_hits(out, format, &hits);
        return Ok(());
    }
    // The sample is generated only when it is searched: a portal's own catalogue replaces it,
    // and a job-title or place lookup reads the referential and the communes alone.
    let lookup_only = matches!(
        cli.command,
        Command::Metiers { .. } | Command::Places { .. }
    );
    let mut engine = if cli.catalog.is_empty() && !lookup_only {
        Engine::normandy()?
    } else {
        Engine::empty(Region::Normandy)?
    };
    if !cli.catalog.is_empty() {
        engine.load_paths_in(&cli.catalog, cli.encoding.unwrap_or_default())?;
    }
    let csv = format == Output::Csv;
    match &cli.command {
        Command::Stages(s) => {
            let page = engine.search_stages(&s.query()?)?;
            emit(out, json, &page, |out| {
                print_page(out, format, &page, |st| stage_cells(&engine, st));
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
                print_page(out, format, &page, |a| ambassador_cells(&engine, a));
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
                print_page(out, format, &page, |c| company_cells(&engine, c));
            });
        }
        Command::Discover(_)
        | Command::Metiers { .. }
        | Command::Places { .. }
        | Command::Counters => {
            lookups(&engine, &cli.command, format, out)?;
        }
        Command::Assign(_) | Command::Cohort { .. } => {
            placement(&engine, cli, format, out)?;
        }
        Command::Coverage(a) => {
            let coverage = engine.coverage(&a.request()?)?;
            if (a.csv || csv) && !json {
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

/// The command line's definition, its help in French at every level.
fn command() -> clap::Command {
    use clap::CommandFactory as _;
    Cli::command().mut_subcommands(|sub| {
        sub.help_template(HELP_TEMPLATE)
            .next_help_heading("Options")
            .hide_possible_values(true)
            .disable_help_flag(true)
    })
}

/// A mistake on the command line, in French: what clap found, with its suggestion.
fn usage_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(other) => Some(other.to_string()),
        None => None,
    };
    // Bounded as the library's messages are: a value may be 100,000 characters.
    let arg = metiers::error::bounded(&get(ContextKind::InvalidArg).unwrap_or_default());
    let value = metiers::error::bounded(&get(ContextKind::InvalidValue).unwrap_or_default());
    let mut text = match e.kind() {
        ErrorKind::UnknownArgument => format!("option inconnue « {arg} »"),
        ErrorKind::InvalidSubcommand => format!(
            "commande inconnue « {} »",
            get(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("valeur invalide « {value} » pour {arg}")
        }
        ErrorKind::MissingRequiredArgument => format!("il manque {arg}"),
        ErrorKind::ArgumentConflict => {
            let other = get(ContextKind::PriorArg).unwrap_or_default();
            format!("{arg} ne va pas avec {other} : donnez l'un ou l'autre")
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "il manque la commande (stages, ambassadors, metiers, places…)".to_string()
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("nombre de valeurs incorrect pour {arg}")
        }
        _ => "ligne de commande invalide".to_string(),
    };
    if let Some(valid) = get(ContextKind::ValidValue) {
        let _ = write!(text, " (valeurs possibles : {valid})");
    }
    if let Some(suggested) =
        get(ContextKind::SuggestedArg).or_else(|| get(ContextKind::SuggestedSubcommand))
    {
        let _ = write!(text, " ; vouliez-vous dire « {suggested} » ?");
    }
    text
}

/// The `--encoding` labels (any case), read as the loaders read them.
fn encoding() -> impl clap::builder::TypedValueParser<Value = metiers::Encoding> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(["utf-8", "windows-1252", "cp1252", "latin-1"])
        .try_map(|label| label.parse::<metiers::Encoding>())
}

fn main() -> ExitCode {
    use clap::FromArgMatches as _;
    let parsed = command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e)
            if matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            ) =>
        {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // `metiers` alone: the help, on stderr, and the status of a usage error.
            eprintln!("{}", command().render_help());
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("erreur (invalid_input) : {}", usage_error(&e));
            eprintln!("(metiers --help, ou metiers COMMANDE --help, pour l'aide)");
            return ExitCode::from(2);
        }
    };
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

/// The rank of the `i`-th match of a page that starts after `offset` results (1 for the first).
fn rank(offset: u64, i: usize) -> u64 {
    offset
        .saturating_add(u64::try_from(i).unwrap_or(u64::MAX))
        .saturating_add(1)
}
