//! The ROME referential (France Travail, version 4.60): métiers, job titles (appellations),
//! centres d'intérêt, mobilité links and the sector tree.
//!
//! ```
//! let rome = metiers::Referential::embedded().unwrap();
//! let fraiseur = rome.metier("H2903").unwrap();
//! assert_eq!(fraiseur.label, "Tourneur-fraiseur / Tourneuse-fraiseuse");
//! assert_eq!(rome.sector_path("H2903").unwrap().domaine.code, "H29");
//! ```

// The referential indexes its own tables by the positions its indices hold; tables decoded
// from bytes are validated first (`validate`: codes, cross-references, sizes).
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use crate::error::{Error, Result};
use crate::search::{MetierHit, TitleIndex};
use crate::tabular::{Row, Table};
use crate::text;
use serde::{Deserialize, Serialize};
use std::path::Path;
#[cfg(feature = "embedded")]
use std::sync::Arc;
use std::sync::OnceLock;

/// One ROME métier (a `code_rome`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Metier {
    /// ROME code, one letter A..N and four digits (`"H2903"`).
    pub code: String,
    /// Label (`"Boulanger / Boulangère"`).
    pub label: String,
    /// Code of the fiche it belongs to (`code_rome_parent`); equal to `code` for a fiche itself.
    pub fiche: String,
    /// Ecological-transition class as published (`"Emploi Vert"`, `"Emploi Blanc"`…).
    pub transition_eco: String,
    /// Concerned by the digital transition (`None` where ROME leaves it blank).
    pub transition_num: Option<bool>,
    /// Concerned by the demographic transition.
    pub transition_demo: Option<bool>,
    /// Regulated occupation.
    pub emploi_reglemente: Option<bool>,
    /// Managerial (cadre) occupation.
    pub emploi_cadre: Option<bool>,
    /// Definition, one sentence per item.
    pub definition: Vec<String>,
    /// How to get into it (diplomas, experience), one sentence per item.
    pub acces: Vec<String>,
}

impl Metier {
    /// Code of the domaine professionnel: the first three characters of the métier's own code.
    pub fn domaine_code(&self) -> &str {
        self.code.get(..3).unwrap_or_default()
    }

    /// Code of the grand domaine: the first letter.
    pub fn grand_domaine_code(&self) -> &str {
        self.code.get(..1).unwrap_or_default()
    }
}

/// A job title people type (`"Fraiseur / Fraiseuse"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appellation {
    /// `code_ogr` of the title.
    pub code: String,
    /// Long label.
    pub label: String,
    /// Short label when it differs from the long one.
    pub short_label: Option<String>,
    /// ROME code of its métier.
    pub metier: String,
    /// True for the métier's principal title (its label), false for a synonym.
    pub principal: bool,
    /// Marked as rarely used by ROME.
    pub rarely_used: bool,
}

/// A centre d'intérêt worded for young people (`"J'aime le travail manuel"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interest {
    /// Code, `"1"` to `"30"`.
    pub code: String,
    /// Label.
    pub label: String,
    /// Longer definition.
    pub definition: String,
    /// The métiers it leads to.
    pub metiers: Vec<InterestLink>,
}

/// A link from a centre d'intérêt to a métier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterestLink {
    /// ROME code.
    pub metier: String,
    /// True when the interest is a principal one for this métier.
    pub principal: bool,
}

/// A ROME "mobilité" link: a métier close to another one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mobilite {
    /// From this métier…
    pub from: String,
    /// …to this close one.
    pub to: String,
    /// ROME's order (`numero_ordre`), 1 is listed first.
    pub rank: u8,
}

/// Level in the sector tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DomaineLevel {
    /// One letter, A..N (`"H"` Industrie).
    GrandDomaine,
    /// Letter and two digits (`"H29"`).
    DomaineProfessionnel,
}

/// A node of the sector tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domaine {
    /// `"H"` or `"H29"`.
    pub code: String,
    /// Its level.
    pub level: DomaineLevel,
    /// Label.
    pub label: String,
}

/// Where a métier sits in the sector tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectorPath {
    /// The grand domaine (`H`, Industrie).
    pub grand_domaine: Domaine,
    /// The domaine professionnel (`H29`).
    pub domaine: Domaine,
    /// The fiche (the métier named by `code_rome_parent`).
    pub fiche: Metier,
}

/// The serialised form: plain tables, as compact as postcard makes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct RomeTables {
    version: String,
    metiers: Vec<Metier>,
    appellations: Vec<Appellation>,
    interests: Vec<Interest>,
    mobilites: Vec<Mobilite>,
    domaines: Vec<Domaine>,
}

/// The ROME referential with its lookup indices and job-title search.
#[derive(Debug)]
pub struct Referential {
    tables: RomeTables,
    /// Appellation indices grouped by métier (métier index → range in `titles_by_metier`).
    titles_by_metier: Vec<Vec<u32>>,
    /// Mobilité links sorted by (from, rank, to); `mobilite_start[i]` is where métier i starts.
    mobilite_start: Vec<u32>,
    /// (interest index, principal) for each métier.
    interests_by_metier: Vec<Vec<(u16, bool)>>,
    /// (métier index, principal) for each interest, in the order of `Interest::metiers`.
    metiers_by_interest: Vec<Vec<(u16, bool)>>,
    /// Target métier index of each mobilité link, parallel to `tables.mobilites`.
    mobilite_targets: Vec<u16>,
    /// Index of each métier's fiche.
    fiche_index: Vec<u16>,
    /// Each interest's label folded, with a space on both sides (for word matching).
    interest_keys: Vec<String>,
    /// Built on the first search: start-up does not pay for it.
    search: OnceLock<TitleIndex>,
}

#[cfg(feature = "embedded")]
const EMBEDDED: &[u8] = include_bytes!("../data/rome.bin");

fn yes_no(row: &Row<'_>, column: &str) -> Result<Option<bool>> {
    match row.get(column) {
        "" => Ok(None),
        "O" | "oui" => Ok(Some(true)),
        "N" | "non" => Ok(Some(false)),
        other => Err(row.error(column, other, "expected O, N or empty")),
    }
}

/// Checks the shape of a ROME code: one letter A..N and four digits.
pub fn check_rome_code(code: &str) -> Result<()> {
    let b = code.as_bytes();
    let ok = b.len() == 5 && (b'A'..=b'N').contains(&b[0]) && b[1..].iter().all(u8::is_ascii_digit);
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "code_rome",
            code,
            "a ROME code is one letter A to N followed by four digits, like H2903",
        ))
    }
}

impl Referential {
    /// The embedded ROME 4.60, decoded once per process and shared (feature `embedded`).
    #[cfg(feature = "embedded")]
    pub fn embedded() -> Result<Arc<Referential>> {
        static CELL: OnceLock<Arc<Referential>> = OnceLock::new();
        if let Some(r) = CELL.get() {
            return Ok(r.clone());
        }
        let r = Arc::new(Referential::from_bytes(EMBEDDED).map_err(Error::embedded_defect)?);
        Ok(CELL.get_or_init(|| r).clone())
    }

    /// Decodes the compact form written by [`Referential::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Referential> {
        let mut tables: RomeTables = postcard::from_bytes(bytes).map_err(|e| {
            Error::unreadable(
                "rome",
                format!("not the ROME data of this version of metiers ({e})"),
            )
        })?;
        // Bytes from a caller are checked as the CSV files are: a file that decodes can still
        // name a code the indices cannot hold.
        tables.metiers.sort_by(|a, b| a.code.cmp(&b.code));
        validate(&tables).map_err(|e| match e {
            Error::Data { location, reason } => Error::Data {
                location: crate::error::DataLocation {
                    source: format!("rome ({})", location.source),
                    ..location
                },
                reason,
            },
            other => other,
        })?;
        Ok(Referential::index(tables))
    }

    /// The compact form (postcard) of the tables, as embedded in the crate.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        postcard::to_allocvec(&self.tables).map_err(|e| Error::Internal(e.to_string()))
    }

    /// Reads the ROME open-data CSV files from a folder (the file names France Travail
    /// publishes: `referentiel_code_rome.csv`, `referentiel_appellation.csv`,
    /// `centre_interet.csv`, `arborescence_centre_interet.csv`, `rubrique_mobilite.csv`,
    /// `texte.csv`, `domaines.csv`).
    pub fn from_csv_dir(dir: &Path, version: &str) -> Result<Referential> {
        let open = |name: &str| -> Result<Table> {
            let path = dir.join(name);
            let file = std::fs::File::open(&path).map_err(|e| Error::Data {
                location: crate::error::DataLocation {
                    source: path.display().to_string(),
                    line: None,
                    field: None,
                    value: None,
                },
                reason: format!("cannot open: {e}"),
            })?;
            Table::read(name, std::io::BufReader::new(file))
        };
        let tables = RomeTables {
            version: version.to_string(),
            domaines: read_domaines(&open("domaines.csv")?)?,
            metiers: read_metiers(&open("referentiel_code_rome.csv")?, &open("texte.csv")?)?,
            appellations: read_appellations(&open("referentiel_appellation.csv")?)?,
            interests: read_interests(
                &open("centre_interet.csv")?,
                &open("arborescence_centre_interet.csv")?,
            )?,
            mobilites: read_mobilites(&open("rubrique_mobilite.csv")?)?,
        };
        let mut tables = tables;
        tables.metiers.sort_by(|a, b| a.code.cmp(&b.code));
        validate(&tables)?;
        Ok(Referential::index(tables))
    }

    fn index(mut tables: RomeTables) -> Referential {
        tables.metiers.sort_by(|a, b| a.code.cmp(&b.code));
        tables
            .mobilites
            .sort_by(|a, b| (&a.from, a.rank, &a.to).cmp(&(&b.from, b.rank, &b.to)));
        let n = tables.metiers.len();
        let pos = |code: &str| {
            tables
                .metiers
                .binary_search_by(|m| m.code.as_str().cmp(code))
                .ok()
        };
        let mut titles_by_metier = vec![Vec::new(); n];
        for (i, a) in tables.appellations.iter().enumerate() {
            if let Some(m) = pos(&a.metier) {
                titles_by_metier[m].push(i as u32);
            }
        }
        let mut mobilite_start = Vec::with_capacity(n + 1);
        let mut k = 0;
        for m in &tables.metiers {
            while k < tables.mobilites.len() && tables.mobilites[k].from < m.code {
                k += 1;
            }
            mobilite_start.push(k as u32);
        }
        mobilite_start.push(tables.mobilites.len() as u32);
        let mut interests_by_metier = vec![Vec::new(); n];
        let mut metiers_by_interest = vec![Vec::new(); tables.interests.len()];
        for (ii, interest) in tables.interests.iter().enumerate() {
            for link in &interest.metiers {
                if let Some(m) = pos(&link.metier) {
                    interests_by_metier[m].push((ii as u16, link.principal));
                    metiers_by_interest[ii].push((m as u16, link.principal));
                }
            }
        }
        // Validation guarantees every code exists; 0 is never reached for checked data.
        let mobilite_targets = tables
            .mobilites
            .iter()
            .map(|l| pos(&l.to).unwrap_or(0) as u16)
            .collect();
        let fiche_index = tables
            .metiers
            .iter()
            .enumerate()
            .map(|(i, m)| pos(&m.fiche).unwrap_or(i) as u16)
            .collect();
        let interest_keys = tables
            .interests
            .iter()
            .map(|i| format!(" {} ", text::fold(&i.label)))
            .collect();
        Referential {
            tables,
            titles_by_metier,
            mobilite_start,
            interests_by_metier,
            metiers_by_interest,
            mobilite_targets,
            fiche_index,
            interest_keys,
            search: OnceLock::new(),
        }
    }

    /// ROME version of the data (`"4.60"`).
    pub fn version(&self) -> &str {
        &self.tables.version
    }

    /// All métiers, sorted by code.
    pub fn metiers(&self) -> &[Metier] {
        &self.tables.metiers
    }

    /// All job titles.
    pub fn appellations(&self) -> &[Appellation] {
        &self.tables.appellations
    }

    /// The 30 centres d'intérêt.
    pub fn interests(&self) -> &[Interest] {
        &self.tables.interests
    }

    /// The sector tree (grands domaines and domaines professionnels).
    pub fn domaines(&self) -> &[Domaine] {
        &self.tables.domaines
    }

    /// Every mobilité link, sorted by (from, rank).
    pub fn mobilites(&self) -> &[Mobilite] {
        &self.tables.mobilites
    }

    /// Index of a métier by code; `invalid_input` for a malformed code, `not_found` for an
    /// unknown one.
    pub fn metier_index(&self, code: &str) -> Result<usize> {
        check_rome_code(code)?;
        self.tables
            .metiers
            .binary_search_by(|m| m.code.as_str().cmp(code))
            .map_err(|_| Error::not_found(crate::error::Lookup::Metier, code))
    }

    /// A métier by ROME code.
    ///
    /// ```
    /// let rome = metiers::Referential::embedded().unwrap();
    /// assert_eq!(rome.metier("H29O3").unwrap_err().code(), "invalid_input");
    /// assert_eq!(rome.metier("H9999").unwrap_err().code(), "not_found");
    /// ```
    pub fn metier(&self, code: &str) -> Result<&Metier> {
        self.metier_index(code).map(|i| &self.tables.metiers[i])
    }

    /// The métier at an index returned by [`Referential::metier_index`].
    pub fn metier_at(&self, index: usize) -> &Metier {
        &self.tables.metiers[index]
    }

    /// The job titles of a métier, principal first.
    pub fn appellations_of(&self, code: &str) -> Result<Vec<&Appellation>> {
        let i = self.metier_index(code)?;
        let mut v: Vec<&Appellation> = self.titles_by_metier[i]
            .iter()
            .map(|&a| &self.tables.appellations[a as usize])
            .collect();
        v.sort_by(|a, b| b.principal.cmp(&a.principal).then(a.label.cmp(&b.label)));
        Ok(v)
    }

    /// The métiers close to this one (ROME mobilité), by rank.
    pub fn mobilites_of(&self, code: &str) -> Result<&[Mobilite]> {
        let i = self.metier_index(code)?;
        Ok(self.mobilites_at(i))
    }

    /// The mobilité links from the métier at an index.
    pub fn mobilites_at(&self, index: usize) -> &[Mobilite] {
        let (a, b) = (self.mobilite_start[index], self.mobilite_start[index + 1]);
        &self.tables.mobilites[a as usize..b as usize]
    }

    /// Mobilité links from the métier at an index, as (target index, rank).
    pub(crate) fn mobilite_targets_at(
        &self,
        index: usize,
    ) -> impl Iterator<Item = (usize, u8)> + '_ {
        let (a, b) = (
            self.mobilite_start[index] as usize,
            self.mobilite_start[index + 1] as usize,
        );
        (a..b).map(|k| {
            (
                self.mobilite_targets[k] as usize,
                self.tables.mobilites[k].rank,
            )
        })
    }

    /// The métiers an interest (by index) leads to, as (métier index, principal).
    pub(crate) fn metiers_of_interest_at(&self, interest: usize) -> &[(u16, bool)] {
        &self.metiers_by_interest[interest]
    }

    /// Index of the fiche of the métier at an index.
    pub(crate) fn fiche_at(&self, index: usize) -> usize {
        self.fiche_index[index] as usize
    }

    /// A centre d'intérêt by code (`"14"`) or by its words (`"J'aime le travail manuel"`,
    /// `"travail manuel"`), insensitive to case and accents. Words that fit several
    /// interests are an `invalid_input` error listing them.
    pub fn interest(&self, query: &str) -> Result<&Interest> {
        let q = query.trim();
        if let Some(i) = self.tables.interests.iter().find(|i| i.code == q) {
            return Ok(i);
        }
        let folded = text::fold(q);
        if folded.is_empty() {
            return Err(Error::invalid("interest", query, "empty interest"));
        }
        let padded = format!(" {folded} ");
        if let Some(k) = self.interest_keys.iter().position(|k| *k == padded) {
            return Ok(&self.tables.interests[k]);
        }
        let hits: Vec<&Interest> = self
            .interest_keys
            .iter()
            .zip(&self.tables.interests)
            .filter(|(k, _)| k.contains(&padded))
            .map(|(_, i)| i)
            .collect();
        match hits.as_slice() {
            [one] => Ok(one),
            [] => Err(Error::NotFound {
                kind: crate::error::Lookup::Interest,
                value: query.into(),
                hint: Some("give a code from 1 to 30 or words of its label".into()),
            }),
            many => Err(Error::invalid(
                "interest",
                query,
                format!(
                    "ambiguous, it fits {}",
                    many.iter()
                        .map(|i| format!("{} \"{}\"", i.code, i.label))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }

    /// The centres d'intérêt leading to a métier: (interest, principal).
    pub fn interests_of(&self, code: &str) -> Result<Vec<(&Interest, bool)>> {
        let i = self.metier_index(code)?;
        Ok(self.interests_at(i).collect())
    }

    /// The centres d'intérêt of the métier at an index.
    pub fn interests_at(&self, index: usize) -> impl Iterator<Item = (&Interest, bool)> {
        self.interests_by_metier[index]
            .iter()
            .map(|&(ii, p)| (&self.tables.interests[ii as usize], p))
    }

    /// A node of the sector tree by code (`"H"` or `"H29"`).
    pub fn domaine(&self, code: &str) -> Result<&Domaine> {
        let shape_ok = match code.as_bytes() {
            [l] => (b'A'..=b'N').contains(l),
            [l, d1, d2] => (b'A'..=b'N').contains(l) && d1.is_ascii_digit() && d2.is_ascii_digit(),
            _ => false,
        };
        if !shape_ok {
            return Err(Error::invalid(
                "domaine",
                code,
                "a grand domaine is one letter A to N (\"H\"), a domaine professionnel a letter and two digits (\"H29\")",
            ));
        }
        self.tables
            .domaines
            .iter()
            .find(|d| d.code == code)
            .ok_or_else(|| Error::not_found(crate::error::Lookup::Domaine, code))
    }

    /// The métiers of a grand domaine (`"H"`) or a domaine professionnel (`"H29"`), by code.
    pub fn metiers_of_domaine(&self, code: &str) -> Result<Vec<&Metier>> {
        self.domaine(code)?;
        Ok(self
            .tables
            .metiers
            .iter()
            .filter(|m| m.code.starts_with(code))
            .collect())
    }

    /// Where a métier sits: grand domaine → domaine professionnel → fiche.
    pub fn sector_path(&self, code: &str) -> Result<SectorPath> {
        let m = self.metier(code)?;
        Ok(SectorPath {
            grand_domaine: self.domaine(m.grand_domaine_code())?.clone(),
            domaine: self.domaine(m.domaine_code())?.clone(),
            fiche: self.metier(&m.fiche)?.clone(),
        })
    }

    /// Job-title search: métiers ranked by how well one of their titles matches the query,
    /// insensitive to case, accents and punctuation, tolerant of prefixes (typing in progress)
    /// and one typo per word. A ROME code finds its métier. An empty query is an error.
    ///
    /// ```
    /// let rome = metiers::Referential::embedded().unwrap();
    /// let hits = rome.search("boulangere", 5).unwrap();
    /// assert_eq!(hits[0].code, "D1102");
    /// ```
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<MetierHit>> {
        if query.trim().is_empty() {
            return Err(Error::invalid("text", query, "the search text is empty"));
        }
        if limit == 0 {
            return Err(Error::invalid("limit", "0", "must be at least 1"));
        }
        let code = query.trim().to_ascii_uppercase();
        if check_rome_code(&code).is_ok() {
            if let Ok(i) = self.metier_index(&code) {
                let m = &self.tables.metiers[i];
                return Ok(vec![MetierHit {
                    code: m.code.clone(),
                    label: m.label.clone(),
                    matched_title: m.label.clone(),
                    score: 1.0,
                }]);
            }
        }
        Ok(self.title_index().search(
            query,
            limit,
            &self.tables.metiers,
            &self.tables.appellations,
        ))
    }

    /// Builds the job-title index now rather than on the first search (about 25 ms natively).
    pub fn prepare_search(&self) {
        self.title_index();
    }

    fn title_index(&self) -> &TitleIndex {
        self.search
            .get_or_init(|| TitleIndex::build(&self.tables.metiers, &self.tables.appellations))
    }
}

fn read_domaines(t: &Table) -> Result<Vec<Domaine>> {
    t.require(&["code", "niveau", "libelle"])?;
    t.rows()
        .map(|r| {
            let level = match r.required("niveau")? {
                "grand_domaine" => DomaineLevel::GrandDomaine,
                "domaine_professionnel" => DomaineLevel::DomaineProfessionnel,
                other => {
                    return Err(r.error(
                        "niveau",
                        other,
                        "expected grand_domaine or domaine_professionnel",
                    ))
                }
            };
            Ok(Domaine {
                code: r.required("code")?.to_string(),
                level,
                label: r.required("libelle")?.to_string(),
            })
        })
        .collect()
}

fn read_metiers(codes: &Table, texts: &Table) -> Result<Vec<Metier>> {
    codes.require(&[
        "code_rome",
        "libelle_rome",
        "code_rome_parent",
        "transition_eco",
    ])?;
    texts.require(&[
        "code_rome",
        "libelle_type_texte",
        "position_phrase",
        "libelle_texte",
    ])?;
    let mut metiers = Vec::with_capacity(codes.len());
    for r in codes.rows() {
        let code = r.required("code_rome")?;
        check_rome_code(code).map_err(|_| r.error("code_rome", code, "malformed ROME code"))?;
        metiers.push(Metier {
            code: code.to_string(),
            label: r.required("libelle_rome")?.to_string(),
            fiche: r.required("code_rome_parent")?.to_string(),
            transition_eco: r.get("transition_eco").to_string(),
            transition_num: yes_no(&r, "transition_num")?,
            transition_demo: yes_no(&r, "transition_demo")?,
            emploi_reglemente: yes_no(&r, "emploi_reglemente")?,
            emploi_cadre: yes_no(&r, "emploi_cadre")?,
            definition: Vec::new(),
            acces: Vec::new(),
        });
    }
    metiers.sort_by(|a, b| a.code.cmp(&b.code));
    let mut sentences: Vec<(usize, bool, u32, String)> = Vec::with_capacity(texts.len());
    for r in texts.rows() {
        let code = r.required("code_rome")?;
        let Ok(m) = metiers.binary_search_by(|m| m.code.as_str().cmp(code)) else {
            return Err(r.error("code_rome", code, "unknown métier"));
        };
        let is_definition = match r.required("libelle_type_texte")? {
            "definition" => true,
            "acces_metier" => false,
            other => {
                return Err(r.error(
                    "libelle_type_texte",
                    other,
                    "expected definition or acces_metier",
                ))
            }
        };
        let position: u32 = r
            .parse("position_phrase", "a whole number")?
            .unwrap_or_default();
        // The published file doubles apostrophes ('' stands for ').
        let sentence = r.get("libelle_texte").replace("''", "'");
        sentences.push((m, is_definition, position, sentence));
    }
    sentences.sort_by_key(|s| (s.0, s.2));
    for (m, is_definition, _, sentence) in sentences {
        if is_definition {
            metiers[m].definition.push(sentence);
        } else {
            metiers[m].acces.push(sentence);
        }
    }
    Ok(metiers)
}

fn read_appellations(t: &Table) -> Result<Vec<Appellation>> {
    t.require(&[
        "code_ogr",
        "libelle_appellation_long",
        "libelle_appellation_court",
        "code_rome",
        "classification",
        "peu_usite",
    ])?;
    t.rows()
        .map(|r| {
            let label = r.required("libelle_appellation_long")?.to_string();
            let short = r.get("libelle_appellation_court");
            Ok(Appellation {
                code: r.required("code_ogr")?.to_string(),
                short_label: (!short.is_empty() && short != label).then(|| short.to_string()),
                label,
                metier: r.required("code_rome")?.to_string(),
                principal: match r.required("classification")? {
                    "PRINCIPALE" => true,
                    "SYNONYME" => false,
                    other => {
                        return Err(r.error(
                            "classification",
                            other,
                            "expected PRINCIPALE or SYNONYME",
                        ))
                    }
                },
                rarely_used: yes_no(&r, "peu_usite")?.unwrap_or(false),
            })
        })
        .collect()
}

fn read_interests(centres: &Table, tree: &Table) -> Result<Vec<Interest>> {
    centres.require(&[
        "code_centre_interet",
        "libelle_centre_interet",
        "definition_centre_interet",
    ])?;
    tree.require(&["code_centre_interet", "code_rome", "principal"])?;
    let mut interests: Vec<Interest> = centres
        .rows()
        .map(|r| {
            Ok(Interest {
                code: r.required("code_centre_interet")?.to_string(),
                label: r.required("libelle_centre_interet")?.to_string(),
                definition: r.get("definition_centre_interet").to_string(),
                metiers: Vec::new(),
            })
        })
        .collect::<Result<_>>()?;
    for r in tree.rows() {
        let code = r.required("code_centre_interet")?;
        let Some(i) = interests.iter_mut().find(|i| i.code == code) else {
            return Err(r.error("code_centre_interet", code, "unknown centre d'intérêt"));
        };
        i.metiers.push(InterestLink {
            metier: r.required("code_rome")?.to_string(),
            principal: yes_no(&r, "principal")?.unwrap_or(false),
        });
    }
    for i in &mut interests {
        i.metiers.sort_by(|a, b| a.metier.cmp(&b.metier));
        i.metiers.dedup_by(|a, b| a.metier == b.metier);
    }
    Ok(interests)
}

fn read_mobilites(t: &Table) -> Result<Vec<Mobilite>> {
    t.require(&["code_rome", "code_rome_cible", "numero_ordre"])?;
    t.rows()
        .map(|r| {
            Ok(Mobilite {
                from: r.required("code_rome")?.to_string(),
                to: r.required("code_rome_cible")?.to_string(),
                rank: r.parse_required("numero_ordre", "a rank from 1 to 255")?,
            })
        })
        .collect()
}

/// Checks of every table, métiers sorted by code: codes of the right shape, each once, few
/// enough for the indices, and every code a table names must exist.
fn validate(t: &RomeTables) -> Result<()> {
    let bad = |table: &str, field: &str, code: &str, reason: &str| Error::Data {
        location: crate::error::DataLocation {
            source: table.to_string(),
            line: None,
            field: Some(field.to_string()),
            value: Some(crate::error::bounded(code)),
        },
        reason: reason.to_string(),
    };
    let shape = "not a ROME code (one letter A to N and four digits)";
    for m in &t.metiers {
        check_rome_code(&m.code)
            .map_err(|_| bad("referentiel_code_rome.csv", "code_rome", &m.code, shape))?;
        check_rome_code(&m.fiche).map_err(|_| {
            bad(
                "referentiel_code_rome.csv",
                "code_rome_parent",
                &m.fiche,
                shape,
            )
        })?;
    }
    if let Some(w) = t.metiers.windows(2).find(|w| w[0].code == w[1].code) {
        return Err(bad(
            "referentiel_code_rome.csv",
            "code_rome",
            &w[0].code,
            "listed twice",
        ));
    }
    let most = usize::from(u16::MAX);
    for (table, n) in [
        ("referentiel_code_rome.csv", t.metiers.len()),
        ("centre_interet.csv", t.interests.len()),
    ] {
        if n > most {
            return Err(bad(
                table,
                "",
                &n.to_string(),
                "more rows than the indices hold",
            ));
        }
    }
    let known = |code: &str| {
        t.metiers
            .binary_search_by(|m| m.code.as_str().cmp(code))
            .is_ok()
    };
    let missing = |table: &str, field: &str, code: &str| Error::Data {
        location: crate::error::DataLocation {
            source: table.to_string(),
            line: None,
            field: Some(field.to_string()),
            value: Some(code.to_string()),
        },
        reason: "names a métier that referentiel_code_rome.csv does not have".to_string(),
    };
    for m in &t.metiers {
        if !known(&m.fiche) {
            return Err(missing(
                "referentiel_code_rome.csv",
                "code_rome_parent",
                &m.fiche,
            ));
        }
        for d in [m.grand_domaine_code(), m.domaine_code()] {
            if !t.domaines.iter().any(|x| x.code == d) {
                return Err(missing("domaines.csv", "code", d));
            }
        }
    }
    if let Some(a) = t.appellations.iter().find(|a| !known(&a.metier)) {
        return Err(missing(
            "referentiel_appellation.csv",
            "code_rome",
            &a.metier,
        ));
    }
    if let Some(m) = t
        .mobilites
        .iter()
        .find(|m| !known(&m.from) || !known(&m.to))
    {
        return Err(missing(
            "rubrique_mobilite.csv",
            "code_rome",
            &format!("{} -> {}", m.from, m.to),
        ));
    }
    for i in &t.interests {
        if let Some(l) = i.metiers.iter().find(|l| !known(&l.metier)) {
            return Err(missing(
                "arborescence_centre_interet.csv",
                "code_rome",
                &l.metier,
            ));
        }
    }
    Ok(())
}
