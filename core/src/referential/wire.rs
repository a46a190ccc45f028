//! The layout of the compact form (`rome.bin`, [`Referential::to_bytes`]): the tables by
//! columns, a métier named by its position among the métiers written, job-title codes as
//! differences, and no second copy of a label a job title shares with its métier (every
//! principal title). It is what the browser downloads, so it is laid out for compression:
//! 243 KB gzipped instead of the rows' 318, 187 KB with brotli instead of 231. Reading it
//! gives back the same tables, checked as the CSV files are, in the same time (3.4 ms
//! natively).
//!
//! [`Referential::to_bytes`]: super::Referential::to_bytes

use super::model::{Appellation, Domaine, Interest, InterestLink, Metier, Mobilite};
use super::RomeTables;
use crate::error::{DataLocation, Error, Result};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub(super) struct Wire {
    pub(super) version: String,
    pub(super) metiers: Vec<Metier>,
    pub(super) appellations: Appellations,
    pub(super) interests: Vec<WireInterest>,
    pub(super) mobilites: Mobilites,
    pub(super) domaines: Vec<Domaine>,
}

/// The job titles, one column per field, in the order of the tables.
#[derive(Serialize, Deserialize)]
pub(super) struct Appellations {
    pub(super) codes: Codes,
    /// Position of each title's métier.
    pub(super) metiers: Vec<u16>,
    /// Each title's long label; none for one that is its métier's label (every principal
    /// title), which the métiers' column already holds.
    pub(super) labels: Vec<Option<String>>,
    pub(super) short_labels: Vec<Option<String>>,
    /// `principal` (1) and `rarely_used` (2).
    pub(super) flags: Vec<u8>,
}

/// Job-title codes (`code_ogr`).
#[derive(Serialize, Deserialize)]
pub(super) enum Codes {
    /// Each code as its difference from the one before (wrapping; ROME lists them in order, so
    /// most differences are small): when every code is a whole number written plainly.
    Steps(Vec<u32>),
    /// The codes as they are, otherwise.
    Texts(Vec<String>),
}

#[derive(Serialize, Deserialize)]
pub(super) struct WireInterest {
    pub(super) code: String,
    pub(super) label: String,
    pub(super) definition: String,
    /// Position of each métier it leads to…
    pub(super) metiers: Vec<u16>,
    /// …and 1 where it is a principal interest of that métier.
    pub(super) principal: Vec<u8>,
}

/// The mobilité links, one column per field.
#[derive(Serialize, Deserialize)]
pub(super) struct Mobilites {
    /// Position of each link's first métier, as its difference from the link before
    /// (wrapping; the links are grouped by it, so most are 0).
    pub(super) from_steps: Vec<u16>,
    /// Position of its second métier.
    pub(super) to: Vec<u16>,
    pub(super) ranks: Vec<u8>,
}

/// The compact form of checked tables (every métier they name is among their métiers).
pub(super) fn encode(t: &RomeTables) -> Result<Vec<u8>> {
    // The métiers of checked tables are sorted by code, and every code they name is theirs.
    let position = |code: &str| {
        t.metiers
            .binary_search_by(|m| m.code.as_str().cmp(code))
            .ok()
            .and_then(|p| u16::try_from(p).ok())
            .ok_or_else(|| Error::Internal(format!("the tables name a métier {code} they lack")))
    };
    // Loops rather than iterator chains collecting `Result`s: this is in the browser module
    // (its snapshots), where each chain is code of its own.
    let n = t.appellations.len();
    let mut steps = Vec::with_capacity(n);
    let mut plain = true;
    let mut before = 0u32;
    let mut appellations = Appellations {
        codes: Codes::Texts(Vec::new()),
        metiers: Vec::with_capacity(n),
        labels: Vec::with_capacity(n),
        short_labels: Vec::with_capacity(n),
        flags: Vec::with_capacity(n),
    };
    for x in &t.appellations {
        match x.code.parse::<u32>() {
            Ok(code) if plain && decimal(code) == x.code => {
                steps.push(code.wrapping_sub(before));
                before = code;
            }
            _ => plain = false,
        }
        let m = position(&x.metier)?;
        let shared = t
            .metiers
            .get(usize::from(m))
            .is_some_and(|own| own.label == x.label);
        appellations.metiers.push(m);
        appellations.labels.push((!shared).then(|| x.label.clone()));
        appellations.short_labels.push(x.short_label.clone());
        appellations
            .flags
            .push(u8::from(x.principal) | (u8::from(x.rarely_used) << 1));
    }
    appellations.codes = if plain {
        Codes::Steps(steps)
    } else {
        Codes::Texts(t.appellations.iter().map(|x| x.code.clone()).collect())
    };
    let mut interests = Vec::with_capacity(t.interests.len());
    for i in &t.interests {
        let mut metiers = Vec::with_capacity(i.metiers.len());
        for l in &i.metiers {
            metiers.push(position(&l.metier)?);
        }
        interests.push(WireInterest {
            code: i.code.clone(),
            label: i.label.clone(),
            definition: i.definition.clone(),
            metiers,
            principal: i.metiers.iter().map(|l| u8::from(l.principal)).collect(),
        });
    }
    let mut before = 0u16;
    let mut mobilites = Mobilites {
        from_steps: Vec::with_capacity(t.mobilites.len()),
        to: Vec::with_capacity(t.mobilites.len()),
        ranks: Vec::with_capacity(t.mobilites.len()),
    };
    for m in &t.mobilites {
        let from = position(&m.from)?;
        mobilites
            .from_steps
            .push(from.wrapping_sub(std::mem::replace(&mut before, from)));
        mobilites.to.push(position(&m.to)?);
        mobilites.ranks.push(m.rank);
    }
    let wire = Wire {
        version: t.version.clone(),
        metiers: t.metiers.clone(),
        appellations,
        interests,
        mobilites,
        domaines: t.domaines.clone(),
    };
    postcard::to_allocvec(&wire).map_err(|e| Error::Internal(e.to_string()))
}

/// The tables of the compact form, their métiers in the order written. A position beyond the
/// métiers or columns of different lengths are a `data_error` naming the table; whether the
/// codes are well formed and known is for the checks that follow.
pub(super) fn decode(bytes: &[u8]) -> Result<RomeTables> {
    let wire: Wire = crate::input::postcard_exact(bytes).map_err(|e| {
        Error::unreadable(
            "rome",
            format!("not the ROME data of this version of metiers ({e})"),
        )
    })?;
    wire.into_tables()
}

fn bad(table: &str, field: &str, value: String, reason: &str) -> Error {
    Error::Data {
        location: Box::new(DataLocation {
            source: format!("rome ({table})"),
            field: Some(field.to_string()),
            value: Some(value),
            ..Default::default()
        }),
        reason: reason.to_string(),
    }
}

const TITLES: &str = "referentiel_appellation.csv";
const LINKS: &str = "rubrique_mobilite.csv";
const INTERESTS: &str = "arborescence_centre_interet.csv";

/// The métiers as written, which the other tables name by position.
struct Named<'a>(&'a [Metier]);

impl Named<'_> {
    fn code(&self, table: &str, p: u16) -> Result<String> {
        self.metier(table, p).map(|m| m.code.clone())
    }

    fn metier(&self, table: &str, p: u16) -> Result<&Metier> {
        self.0.get(usize::from(p)).ok_or_else(|| {
            bad(
                table,
                "code_rome",
                format!("the métier at position {p}"),
                &format!("beyond the {} métiers", self.0.len()),
            )
        })
    }
}

impl Appellations {
    fn into_rows(self, named: &Named<'_>) -> Result<Vec<Appellation>> {
        let n = self.metiers.len();
        let codes = match &self.codes {
            Codes::Steps(steps) => steps.len(),
            Codes::Texts(texts) => texts.len(),
        };
        let lengths = [
            codes,
            self.labels.len(),
            self.short_labels.len(),
            self.flags.len(),
        ];
        if lengths.iter().any(|&len| len != n) {
            return Err(different_lengths(TITLES, n));
        }
        let mut at = 0u32;
        let mut steps = match self.codes {
            Codes::Steps(steps) => Ok(steps.into_iter()),
            Codes::Texts(texts) => Err(texts.into_iter()),
        };
        let mut rows = Vec::with_capacity(n);
        let columns = self.metiers.into_iter().zip(self.labels);
        for (((m, label), short_label), flags) in columns.zip(self.short_labels).zip(self.flags) {
            let code = match &mut steps {
                Ok(steps) => {
                    at = at.wrapping_add(steps.next().unwrap_or_default());
                    decimal(at)
                }
                Err(texts) => texts.next().unwrap_or_default(),
            };
            let metier = named.metier(TITLES, m)?;
            rows.push(Appellation {
                code,
                label: label.unwrap_or_else(|| metier.label.clone()),
                short_label,
                metier: metier.code.clone(),
                principal: flags & 1 != 0,
                rarely_used: flags & 2 != 0,
            });
        }
        Ok(rows)
    }
}

impl Mobilites {
    fn into_rows(self, named: &Named<'_>) -> Result<Vec<Mobilite>> {
        let n = self.from_steps.len();
        if self.to.len() != n || self.ranks.len() != n {
            return Err(different_lengths(LINKS, n));
        }
        let mut from = 0u16;
        let mut rows = Vec::with_capacity(n);
        for ((step, to), rank) in self.from_steps.into_iter().zip(self.to).zip(self.ranks) {
            from = from.wrapping_add(step);
            rows.push(Mobilite {
                from: named.code(LINKS, from)?,
                to: named.code(LINKS, to)?,
                rank,
            });
        }
        Ok(rows)
    }
}

/// `n.to_string()` without the formatting machinery (13,000 codes at each start).
fn decimal(n: u32) -> String {
    itoa::Buffer::new().format(n).to_owned()
}

fn different_lengths(table: &str, n: usize) -> Error {
    bad(
        table,
        "",
        n.to_string(),
        "its columns have different lengths",
    )
}

impl Wire {
    pub(super) fn into_tables(self) -> Result<RomeTables> {
        let named = Named(&self.metiers);
        let appellations = self.appellations.into_rows(&named)?;
        let mobilites = self.mobilites.into_rows(&named)?;
        let mut interests = Vec::with_capacity(self.interests.len());
        for i in self.interests {
            if i.principal.len() != i.metiers.len() {
                return Err(different_lengths(INTERESTS, i.metiers.len()));
            }
            let mut metiers = Vec::with_capacity(i.metiers.len());
            for (m, principal) in i.metiers.into_iter().zip(i.principal) {
                metiers.push(InterestLink {
                    metier: named.code(INTERESTS, m)?,
                    principal: principal != 0,
                });
            }
            interests.push(Interest {
                code: i.code,
                label: i.label,
                definition: i.definition,
                metiers,
            });
        }
        Ok(RomeTables {
            version: self.version,
            metiers: self.metiers,
            appellations,
            interests,
            mobilites,
            domaines: self.domaines,
        })
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    fn embedded() -> (Vec<u8>, RomeTables) {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/rome.bin")).unwrap();
        let tables = decode(&bytes).unwrap();
        (bytes, tables)
    }

    #[test]
    fn the_tables_come_back_as_they_were_written() {
        let (bytes, tables) = embedded();
        assert!(matches!(
            postcard::from_bytes::<Wire>(&bytes)
                .unwrap()
                .appellations
                .codes,
            Codes::Steps(_)
        ));
        assert!(encode(&tables).unwrap() == bytes);
        let counts = [
            tables.metiers.len(),
            tables.appellations.len(),
            tables.mobilites.len(),
        ];
        assert_eq!(counts, [1584, 13120, 14912]);
        let boulanger = tables
            .appellations
            .iter()
            .find(|a| a.label.starts_with("Boulanger"));
        assert_eq!(boulanger.unwrap().metier, "D1102");
        assert!(tables
            .mobilites
            .iter()
            .any(|m| m.from == "H2903" && m.rank == 1));
    }

    #[test]
    fn codes_that_are_not_plain_numbers_are_kept_as_they_are() {
        let (_, mut tables) = embedded();
        for (i, code) in ["0123", "+5", "4294967296", "", "abc"]
            .into_iter()
            .enumerate()
        {
            tables.appellations[i * 100].code = code.to_string();
            let bytes = encode(&tables).unwrap();
            assert!(matches!(
                postcard::from_bytes::<Wire>(&bytes)
                    .unwrap()
                    .appellations
                    .codes,
                Codes::Texts(_)
            ));
            let back = decode(&bytes).unwrap();
            assert_eq!(back.appellations[i * 100].code, code);
            assert_eq!(back.appellations, tables.appellations);
        }
        // Codes in any order and of any size, as differences that wrap.
        let (_, mut tables) = embedded();
        tables.appellations[0].code = u32::MAX.to_string();
        tables.appellations[1].code = "0".to_string();
        tables.appellations.swap(5, 9);
        let back = decode(&encode(&tables).unwrap()).unwrap();
        assert_eq!(back.appellations, tables.appellations);
    }

    #[test]
    fn decimal_is_to_string() {
        for n in [
            0,
            1,
            9,
            10,
            99,
            100,
            12_345,
            999_999_999,
            1_000_000_000,
            u32::MAX,
        ] {
            assert_eq!(decimal(n), n.to_string());
        }
        for n in (0..u32::MAX).step_by(9_973) {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    #[test]
    fn links_in_any_order_come_back_in_that_order() {
        let (_, mut tables) = embedded();
        tables.mobilites.reverse();
        tables.mobilites.swap(0, 700);
        let back = decode(&encode(&tables).unwrap()).unwrap();
        assert_eq!(back.mobilites, tables.mobilites);
    }

    #[test]
    fn columns_of_different_lengths_are_a_data_error_naming_the_table() {
        type Change = fn(&mut Wire);
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/rome.bin")).unwrap();
        let changes: [(Change, &str); 4] = [
            (
                |w| {
                    w.appellations.labels.pop();
                },
                "rome (referentiel_appellation.csv)",
            ),
            (
                |w| w.appellations.flags.push(0),
                "rome (referentiel_appellation.csv)",
            ),
            (
                |w| {
                    w.mobilites.ranks.pop();
                },
                "rome (rubrique_mobilite.csv)",
            ),
            (|w| w.mobilites.to.push(0), "rome (rubrique_mobilite.csv)"),
        ];
        for (change, source) in changes {
            let mut w: Wire = postcard::from_bytes(&bytes).unwrap();
            change(&mut w);
            let e = decode(&postcard::to_allocvec(&w).unwrap()).unwrap_err();
            assert_eq!(e.code(), "data_error");
            assert_eq!(e.info().source.as_deref(), Some(source));
        }
    }
}
