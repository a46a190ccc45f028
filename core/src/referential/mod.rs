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

mod model;
mod read;
mod texts;
pub(crate) mod titles;
mod wire;

use crate::sorting::Sort;
pub use model::{
    Appellation, Domaine, DomaineLevel, Interest, InterestLink, Metier, Mobilite, SectorPath,
};
pub use read::check_rome_code;

pub use titles::MetierHit;

use crate::error::{Error, Result};
use crate::text;
use serde::{Deserialize, Serialize};
#[cfg(feature = "embedded")]
use std::sync::Arc;
use std::sync::OnceLock;
use titles::TitleIndex;

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
    /// Each métier's code as its [`CodePositions`] key, in the métiers' (code) order: a code
    /// is looked up by comparing whole numbers, not strings.
    metier_keys: Vec<u32>,
    /// Each interest's label folded, with a space on both sides (for word matching).
    interest_keys: Vec<String>,
    /// Built on the first search: start-up does not pay for it.
    search: OnceLock<TitleIndex>,
    /// The embedded referential's title index as bytes (feature `title-index`), read on the
    /// first search instead of building it.
    #[cfg(feature = "title-index")]
    prebuilt_titles: Option<&'static [u8]>,
}

/// Where each métier sits in the table, by its code. A ROME code is one letter A..N and four
/// digits, so the table is direct (14 × 10,000 slots, zeroed lazily by the allocator): a
/// lookup reads five bytes instead of comparing strings a dozen times, and the referential's
/// ~50,000 cross-references are resolved at start-up in well under a millisecond.
struct CodePositions {
    /// Position + 1 of the métier with each code; 0 for none.
    slots: Vec<u32>,
}

impl CodePositions {
    const SLOTS: usize = 14 * 10_000;

    /// Positions of the métiers; a malformed code has none (validation reports it), and of two
    /// equal codes the last is kept (validation reports them too).
    fn new(metiers: &[Metier]) -> CodePositions {
        let mut slots = vec![0u32; Self::SLOTS];
        for (i, m) in metiers.iter().enumerate() {
            if let Some(k) = Self::key(&m.code) {
                slots[k] = i as u32 + 1;
            }
        }
        CodePositions { slots }
    }

    /// The slot of a well-formed code, `None` for any other text.
    fn key(code: &str) -> Option<usize> {
        let &[letter, ref digits @ ..] = code.as_bytes() else {
            return None;
        };
        if digits.len() != 4 || !(b'A'..=b'N').contains(&letter) {
            return None;
        }
        let mut key = usize::from(letter - b'A');
        for &d in digits {
            if !d.is_ascii_digit() {
                return None;
            }
            key = key * 10 + usize::from(d - b'0');
        }
        Some(key)
    }

    /// The position of the métier with this code.
    fn get(&self, code: &str) -> Option<usize> {
        let slot = *self.slots.get(Self::key(code)?)?;
        (slot as usize).checked_sub(1)
    }
}

#[cfg(feature = "embedded")]
const EMBEDDED: &[u8] = include_bytes!("../../data/rome.bin");
#[cfg(feature = "rome-texts")]
const EMBEDDED_TEXTS: Option<&[u8]> = Some(include_bytes!("../../data/rome-texts.bin"));
#[cfg(all(feature = "embedded", not(feature = "rome-texts")))]
const EMBEDDED_TEXTS: Option<&[u8]> = None;
/// The job-title index of `rome.bin`, as `TitleIndex::build` makes it (`cargo run -p gen-data`
/// writes it; `tests/embedded_data.rs` checks it is current).
#[cfg(feature = "title-index")]
const EMBEDDED_TITLES: &[u8] = include_bytes!("../../data/rome-titles.bin");

impl Referential {
    /// The embedded ROME 4.60, decoded once per process and shared (feature `embedded`), with
    /// the métiers' texts when the feature `rome-texts` is on too (see [`Metier::definition`]).
    #[cfg(feature = "embedded")]
    pub fn embedded() -> Result<Arc<Referential>> {
        static CELL: OnceLock<Arc<Referential>> = OnceLock::new();
        if let Some(r) = CELL.get() {
            return Ok(r.clone());
        }
        #[allow(unused_mut)] // without the feature `title-index`
        let mut r = texts::embedded(EMBEDDED, EMBEDDED_TEXTS).map_err(Error::embedded_defect)?;
        #[cfg(feature = "title-index")]
        {
            r.prebuilt_titles = Some(EMBEDDED_TITLES);
        }
        let r = Arc::new(r);
        Ok(CELL.get_or_init(|| r).clone())
    }

    /// Builds the indices of checked tables whose métiers are sorted by code, `positions` made
    /// from them.
    fn index(mut tables: RomeTables, positions: &CodePositions) -> Referential {
        tables
            .mobilites
            .inline_by(|a, b| (&a.from, a.rank, &a.to).cmp(&(&b.from, b.rank, &b.to)));
        let n = tables.metiers.len();
        let pos = |code: &str| positions.get(code);
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
        // Checked codes all have a key; the métiers are in code order, so their keys are too.
        let metier_keys = tables
            .metiers
            .iter()
            .map(|m| CodePositions::key(&m.code).map_or(u32::MAX, |k| k as u32))
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
            metier_keys,
            interest_keys,
            search: OnceLock::new(),
            #[cfg(feature = "title-index")]
            prebuilt_titles: None,
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
        // As a query reads codes: any case, spaces around ("d1102 " is D1102).
        let key = crate::text::code_key(code);
        check_rome_code(&key).map_err(|e| e.with_value(code))?;
        CodePositions::key(&key)
            .and_then(|k| self.metier_keys.binary_search(&(k as u32)).ok())
            .ok_or_else(|| Error::not_found(crate::error::Lookup::Metier, code))
    }

    /// A métier by ROME code.
    ///
    /// ```
    /// let rome = metiers::Referential::embedded().unwrap();
    /// assert_eq!(rome.metier("H29O3").unwrap_err().code(), "invalid_input");
    /// assert_eq!(rome.metier("H9999").unwrap_err().code(), "not_found");
    /// assert_eq!(rome.metier(" d1102").unwrap().code, "D1102");
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
        v.stable_by(|a, b| b.principal.cmp(&a.principal).then(a.label.cmp(&b.label)));
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

    /// [`Referential::search`] with the default number of métiers when `limit` is `None` (10,
    /// as `Engine::search_metiers` and every binding's `search_metiers`): for a caller that
    /// needs neither communes nor a catalogue (the command line's `metiers`).
    ///
    /// ```
    /// let rome = metiers::Referential::embedded().unwrap();
    /// assert_eq!(rome.search_metiers("c", None).unwrap().len(), 10);
    /// ```
    pub fn search_metiers(
        &self,
        text: &str,
        limit: impl Into<Option<usize>>,
    ) -> Result<Vec<MetierHit>> {
        self.search(
            text,
            limit.into().unwrap_or(crate::engine::DEFAULT_TITLE_LIMIT),
        )
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

    /// Builds the job-title index now rather than on the first search (about 10 ms natively;
    /// the embedded referential reads it prebuilt instead, in about 2 ms, with the feature
    /// `title-index`).
    pub fn prepare_search(&self) {
        self.title_index();
    }

    /// The job-title index as bytes, as the feature `title-index` embeds it (`cargo run -p
    /// gen-data` writes `core/data/rome-titles.bin` with it).
    #[doc(hidden)]
    pub fn title_index_bytes(&self) -> Result<Vec<u8>> {
        self.title_index().to_bytes()
    }

    fn title_index(&self) -> &TitleIndex {
        self.search.get_or_init(|| {
            // The embedded index, when this is the embedded referential: what the build below
            // makes, read in about 2 ms instead of built in 10. Bytes that do not
            // read back as an index of these titles are built over (a test keeps them current).
            #[cfg(feature = "title-index")]
            {
                let (apps, metiers) = (self.tables.appellations.len(), self.tables.metiers.len());
                if let Some(index) = self
                    .prebuilt_titles
                    .and_then(|bytes| TitleIndex::from_bytes(bytes, apps, metiers))
                {
                    return index;
                }
            }
            let mut metier_of = vec![None; self.tables.appellations.len()];
            for (m, titles) in self.titles_by_metier.iter().enumerate() {
                for &a in titles {
                    metier_of[a as usize] = Some(m as u16);
                }
            }
            TitleIndex::build(&self.tables.appellations, &metier_of)
        })
    }
}
