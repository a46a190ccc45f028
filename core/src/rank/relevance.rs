//! Interest and sector scores of every métier for one query, computed once per query so that
//! scoring an item is a table lookup.

// Relevance tables are indexed by métier and interest indices taken from the referential
// (validated on load, at most u16::MAX rows); a query reaches them through those lookups only.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::prefilter;
use super::query::{Query, Scope};
use super::result::{Reason, ReasonKind, Words};
use crate::error::{Error, Result};
use crate::referential::{check_rome_code, Referential};

/// Interest score of each kind of link (see `docs/ranking.md`).
pub const SAME_METIER: f64 = 1.0;
/// Same fiche (`code_rome_parent`).
pub const SAME_FICHE: f64 = 0.85;
/// A centre d'intérêt that leads to the métier as a principal interest.
pub const INTEREST_PRINCIPAL: f64 = 0.8;
/// A mobilité link of rank 1; each further rank takes off [`MOBILITE_STEP`].
pub const MOBILITE_FIRST: f64 = 0.75;
/// Score lost per mobilité rank.
pub const MOBILITE_STEP: f64 = 0.03;
/// Floor of a mobilité link, whatever its rank.
pub const MOBILITE_FLOOR: f64 = 0.45;
/// A centre d'intérêt that leads to the métier, not as a principal interest.
pub const INTEREST_OTHER: f64 = 0.55;
/// Same domaine professionnel (scope `domaine`).
pub const SAME_DOMAINE: f64 = 0.5;
/// Same grand domaine (scope `domaine`).
pub const SAME_GRAND_DOMAINE: f64 = 0.3;
/// A preferred sector that is the métier's grand domaine only.
pub const SECTOR_PARTIAL: f64 = 0.5;

/// Why a métier is relevant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Link {
    /// Asked métier index (in `asked`).
    SameMetier(u16),
    SameFiche(u16),
    Mobilite(u16),
    Interest {
        interest: u16,
        principal: bool,
    },
    SameDomaine(u16),
    SameGrandDomaine(u16),
}

/// A métier the person asked for, with the title that named it.
#[derive(Debug, Clone)]
pub(crate) struct Asked {
    pub metier: usize,
    pub title: String,
}

pub(crate) struct Relevance {
    /// True when métiers or interests were asked: unrelated items are left out.
    pub asked: bool,
    pub asked_metiers: Vec<Asked>,
    /// The centres d'intérêt asked (their indices in the referential).
    interests: Vec<usize>,
    /// Best (score, link) per métier index.
    table: Vec<Option<(f64, Link)>>,
    /// Preferred sectors (codes).
    sectors: Vec<String>,
    /// The bits of the asked interests and of the métiers linked to an asked métier
    /// (`prefilter`): a row that shares none with it has no métier in `table`.
    signature: u64,
}

fn upgrade(slot: &mut Option<(f64, Link)>, score: f64, link: Link) {
    if slot.is_none_or(|(s, _)| score > s) {
        *slot = Some((score, link));
    }
}

/// ROME codes as given, free text through the job-title search (equal best hits all count:
/// "électricien" fits several métiers).
fn resolve_metiers(rome: &Referential, texts: &[String]) -> Result<Vec<Asked>> {
    let mut asked = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let field = format!("metiers[{i}]");
        let code = text.trim().to_ascii_uppercase();
        if check_rome_code(&code).is_ok() {
            // Well-formed and unknown: not found, as an unknown interest or place is.
            let m = rome.metier_index(&code).map_err(|_| Error::NotFound {
                kind: crate::error::Lookup::Metier,
                value: text.clone(),
                hint: Some(format!(
                    "no métier of ROME {} has this code",
                    rome.version()
                )),
            })?;
            asked.push(Asked {
                metier: m,
                title: rome.metier_at(m).label.clone(),
            });
            continue;
        }
        if looks_like_a_code(&code) {
            return Err(Error::invalid(
                &field,
                text,
                "not a ROME code: a letter A to N then four digits (an O for a 0?)",
            ));
        }
        let hits = rome
            .search(text, 5)
            .map_err(|e| Error::invalid(&field, text, e.to_string()))?;
        let Some(best) = hits.first().map(|h| h.score) else {
            return Err(Error::NotFound {
                kind: crate::error::Lookup::Metier,
                value: text.clone(),
                hint: Some("no job title matches these words".into()),
            });
        };
        for h in hits.iter().filter(|h| h.score >= best) {
            asked.push(Asked {
                metier: rome.metier_index(&h.code)?,
                title: h.matched_title.clone(),
            });
        }
    }
    Ok(asked)
}

/// One word of a letter and four characters, digits among them (`"H29O3"`): meant as a
/// code, so a typo there is an error rather than a title search that finds nothing.
fn looks_like_a_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 5
        && b.first().is_some_and(u8::is_ascii_alphabetic)
        && b.iter().skip(1).all(u8::is_ascii_alphanumeric)
        && b.iter().skip(1).filter(|c| c.is_ascii_digit()).count() >= 2
}

fn resolve_interests(rome: &Referential, texts: &[String]) -> Result<Vec<usize>> {
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let interest = rome.interest(text).map_err(|e| match e {
                Error::InvalidInput { reason, .. } => {
                    Error::invalid(format!("interests[{i}]"), text, reason)
                }
                other => other,
            })?;
            Ok(rome
                .interests()
                .iter()
                .position(|x| x.code == interest.code)
                .unwrap_or(0))
        })
        .collect()
}

fn resolve_sectors(rome: &Referential, codes: &[String]) -> Result<Vec<String>> {
    codes
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let code = code.trim().to_ascii_uppercase();
            rome.domaine(&code).map_err(|_| {
                Error::invalid(
                    format!("sectors[{i}]"),
                    &code,
                    "not a ROME grand domaine (H) or domaine professionnel (H29)",
                )
            })?;
            Ok(code)
        })
        .collect()
}

/// Links every métier to one asked métier, as far as the scope reaches; the bit of each métier
/// linked goes into `signature`.
fn link_metier(
    rome: &Referential,
    (table, signature): (&mut [Option<(f64, Link)>], &mut u64),
    asked: usize,
    ai: u16,
    scope: Scope,
) {
    let metiers = rome.metiers();
    let a = &metiers[asked];
    let fiche = rome.fiche_at(asked);
    let mut link = |m: usize, score: f64, link: Link| {
        upgrade(&mut table[m], score, link);
        *signature |= prefilter::metier_bit(m);
    };
    link(asked, SAME_METIER, Link::SameMetier(ai));
    for (m, other) in metiers.iter().enumerate() {
        if m == asked {
            continue;
        }
        if rome.fiche_at(m) == fiche {
            link(m, SAME_FICHE, Link::SameFiche(ai));
        } else if scope >= Scope::Domaine {
            if other.domaine_code() == a.domaine_code() {
                link(m, SAME_DOMAINE, Link::SameDomaine(ai));
            } else if other.grand_domaine_code() == a.grand_domaine_code() {
                link(m, SAME_GRAND_DOMAINE, Link::SameGrandDomaine(ai));
            }
        }
    }
    if scope >= Scope::Proches {
        for (m, rank) in rome.mobilite_targets_at(asked) {
            let lower_ranks = f64::from(rank.saturating_sub(1));
            let strength = (MOBILITE_FIRST - MOBILITE_STEP * lower_ranks).max(MOBILITE_FLOOR);
            link(m, strength, Link::Mobilite(ai));
        }
    }
}

impl Relevance {
    pub(crate) fn build(rome: &Referential, query: &Query, scope: Scope) -> Result<Relevance> {
        let asked_metiers = resolve_metiers(rome, &query.metiers)?;
        let interests = resolve_interests(rome, &query.interests)?;
        let sectors = resolve_sectors(rome, &query.sectors)?;
        Ok(Relevance::linked(
            rome,
            asked_metiers,
            interests,
            sectors,
            scope,
        ))
    }

    /// The same métiers, interests and sectors linked in another scope (a widening step): what
    /// the query names is not resolved again (a job-title search per step was most of a
    /// free-text métier query that widened).
    pub(crate) fn with_scope(&self, rome: &Referential, scope: Scope) -> Relevance {
        let (metiers, interests) = (self.asked_metiers.clone(), self.interests.clone());
        Relevance::linked(rome, metiers, interests, self.sectors.clone(), scope)
    }

    fn linked(
        rome: &Referential,
        asked_metiers: Vec<Asked>,
        interests: Vec<usize>,
        sectors: Vec<String>,
        scope: Scope,
    ) -> Relevance {
        let mut table: Vec<Option<(f64, Link)>> = vec![None; rome.metiers().len()];
        let mut signature = 0;
        for (ai, asked) in asked_metiers.iter().enumerate() {
            let linked = (&mut table[..], &mut signature);
            link_metier(rome, linked, asked.metier, ai as u16, scope);
        }
        for &ii in &interests {
            signature |= prefilter::interest_bit(ii);
            for &(m, principal) in rome.metiers_of_interest_at(ii) {
                let strength = if principal {
                    INTEREST_PRINCIPAL
                } else {
                    INTEREST_OTHER
                };
                let link = Link::Interest {
                    interest: ii as u16,
                    principal,
                };
                upgrade(&mut table[m as usize], strength, link);
            }
        }
        Relevance {
            asked: !asked_metiers.is_empty() || !interests.is_empty(),
            asked_metiers,
            interests,
            table,
            sectors,
            signature,
        }
    }

    /// The signature a row must share a bit with to have a métier in the table (see
    /// `prefilter`), when the query asks métiers or interests (`asked`); `None` when it asks
    /// neither and every row is kept.
    pub(crate) fn prefilter(&self) -> Option<u64> {
        self.asked.then_some(self.signature)
    }

    /// Best interest link among an item's métiers: (score, link, métier index).
    pub(crate) fn interest(&self, metiers: &[u16]) -> Option<(f64, Link, u16)> {
        let mut best: Option<(f64, Link, u16)> = None;
        for &m in metiers {
            if let Some((s, link)) = self.table[m as usize] {
                if best.is_none_or(|b| s > b.0) {
                    best = Some((s, link, m));
                }
            }
        }
        best
    }

    /// The best link of one métier, if any.
    pub(crate) fn metier(&self, m: u16) -> Option<(f64, Link)> {
        self.table[m as usize]
    }

    /// True when the query has preferred sectors.
    pub(crate) fn has_sectors(&self) -> bool {
        !self.sectors.is_empty()
    }

    /// Best sector score among an item's métiers: (score, sector code it matched).
    pub(crate) fn sector<'s>(
        &'s self,
        rome: &'s Referential,
        metiers: &[u16],
    ) -> (f64, Option<&'s str>) {
        let mut best = (0.0, None);
        for &m in metiers {
            let code = rome.metier_at(m as usize).code.as_str();
            for s in &self.sectors {
                let (score, label_code) = if code.starts_with(s.as_str()) {
                    (1.0, s.as_str())
                } else if code.get(..1).is_some_and(|g| Some(g) == s.get(..1)) {
                    (SECTOR_PARTIAL, code.get(..1).unwrap_or_default())
                } else {
                    continue;
                };
                if score > best.0 {
                    best = (score, Some(label_code));
                }
            }
        }
        best
    }

    /// The French reason for an interest link.
    pub(crate) fn reason<'r>(
        &'r self,
        words: &mut Words,
        rome: &'r Referential,
        link: Link,
        metier: u16,
    ) -> Reason {
        let m = rome.metier_at(metier as usize);
        let item = (Some(m.code.as_str()), Some(m.label.as_str()));
        let domaine = |code: &'r str| {
            (
                Some(code),
                rome.domaine(code).map(|d| d.label.as_str()).ok(),
            )
        };
        let (kind, code_label) = match link {
            Link::SameMetier(a) => (
                ReasonKind::SameMetier,
                (
                    Some(m.code.as_str()),
                    Some(self.asked_metiers[a as usize].title.as_str()),
                ),
            ),
            Link::SameFiche(_) => (ReasonKind::SameFiche, item),
            Link::Mobilite(_) => (ReasonKind::Mobilite, item),
            Link::Interest {
                interest,
                principal,
            } => {
                let i = &rome.interests()[interest as usize];
                let kind = if principal {
                    ReasonKind::InterestPrincipal
                } else {
                    ReasonKind::Interest
                };
                (kind, (Some(i.code.as_str()), Some(i.label.as_str())))
            }
            Link::SameDomaine(_) => (ReasonKind::SameDomaine, domaine(m.domaine_code())),
            Link::SameGrandDomaine(_) => (
                ReasonKind::SameGrandDomaine,
                domaine(m.grand_domaine_code()),
            ),
        };
        Reason::new(words, kind, code_label, None)
    }
}
