//! The ROME texts: each métier's definition and "accès au métier". They are half of the
//! referential's bytes (1.3 of 2.7 MB; 337 of 655 KB gzipped) and no search reads them, so the
//! data files keep them apart: `rome.bin` holds the tables without them, `rome-texts.bin` the
//! texts alone. The native builds embed both (feature `rome-texts`); the browser module embeds
//! `rome.bin` only, and a page that shows the texts fetches `rome-texts.bin`.

use super::{CodePositions, Referential, RomeTables};
use crate::error::{DataLocation, Error, Result};
use serde::{Deserialize, Serialize};

/// The serialised form of `rome-texts.bin`.
#[derive(Serialize, Deserialize)]
struct RomeTexts {
    /// The ROME version of the tables these texts belong to (`"4.60"`).
    version: String,
    /// One entry a métier, in code order.
    metiers: Vec<FicheTexts>,
}

#[derive(Serialize, Deserialize)]
struct FicheTexts {
    code: String,
    definition: Vec<String>,
    acces: Vec<String>,
}

/// Where an error about the texts file points.
const SOURCE: &str = "rome-texts";

fn bad(field: &str, value: &str, reason: impl Into<String>) -> Error {
    bad_in(SOURCE, field, value, reason)
}

fn bad_in(source: &str, field: &str, value: &str, reason: impl Into<String>) -> Error {
    Error::Data {
        location: Box::new(DataLocation {
            source: source.to_string(),
            field: Some(field.to_string()),
            value: Some(crate::error::bounded(value)),
            ..Default::default()
        }),
        reason: reason.into(),
    }
}

impl Referential {
    /// True when every métier has its texts (`definition` and `acces` are `Some`).
    pub fn has_texts(&self) -> bool {
        self.tables.metiers.iter().all(|m| m.definition.is_some())
    }

    /// The two data files: the tables without the texts (`rome.bin`) and the texts alone
    /// (`rome-texts.bin`). `invalid_input` for a referential without its texts.
    pub fn split_texts(&self) -> Result<(Vec<u8>, Vec<u8>)> {
        let mut tables = self.tables.clone();
        let mut texts = RomeTexts {
            version: tables.version.clone(),
            metiers: Vec::with_capacity(tables.metiers.len()),
        };
        for m in &mut tables.metiers {
            let (Some(definition), Some(acces)) = (m.definition.take(), m.acces.take()) else {
                return Err(Error::invalid(
                    "referential",
                    &m.code,
                    "this métier has no texts to split off",
                ));
            };
            texts.metiers.push(FicheTexts {
                code: m.code.clone(),
                definition,
                acces,
            });
        }
        Ok((super::wire::encode(&tables)?, to_bytes(&texts)?))
    }

    /// A copy of this referential with the texts of `rome-texts.bin` (its search index too,
    /// when it was built). A `data_error` for bytes that are not the texts of this referential:
    /// another ROME version, a métier it lacks or one missing, a métier given twice.
    ///
    /// ```
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/");
    /// let rome = std::fs::read(format!("{dir}rome.bin")).unwrap();
    /// let texts = std::fs::read(format!("{dir}rome-texts.bin")).unwrap();
    /// let bare = metiers::Referential::from_bytes(&rome).unwrap();
    /// assert_eq!(bare.metier("H2903").unwrap().definition, None);
    /// let full = bare.with_texts(&texts).unwrap();
    /// assert!(full.metier("H2903").unwrap().definition.as_ref().unwrap()[0].contains("pièces"));
    /// assert_eq!(bare.with_texts(&rome).unwrap_err().code(), "data_error");
    /// ```
    pub fn with_texts(&self, bytes: &[u8]) -> Result<Referential> {
        let mut tables = self.tables.clone();
        let positions = CodePositions::new(&tables.metiers);
        apply(&mut tables, &positions, bytes)?;
        let copy = Referential::index(tables, &positions);
        if let Some(search) = self.search.get() {
            // The titles are the same: the index built already serves the copy.
            let _ = copy.search.set(search.clone());
        }
        Ok(copy)
    }
}

/// The embedded tables and, with the feature `rome-texts`, their texts.
#[cfg(feature = "embedded")]
pub(super) fn embedded(tables: &[u8], texts: Option<&[u8]>) -> Result<Referential> {
    let (mut tables, positions) = super::read::decode_checked(tables)?;
    if let Some(texts) = texts {
        apply(&mut tables, &positions, texts)?;
    }
    Ok(Referential::index(tables, &positions))
}

/// Checks that each métier of decoded tables has both its texts or neither.
pub(super) fn paired(tables: &RomeTables) -> Result<()> {
    let unpaired = tables
        .metiers
        .iter()
        .find(|m| m.definition.is_some() != m.acces.is_some());
    match unpaired {
        Some(m) => Err(bad_in(
            "texte.csv",
            "code_rome",
            &m.code,
            "has one of its texts (definition, acces) and not the other",
        )),
        None => Ok(()),
    }
}

/// Gives each métier of checked tables its texts, checking that they are exactly this
/// referential's: same version, every métier once.
fn apply(tables: &mut RomeTables, positions: &CodePositions, bytes: &[u8]) -> Result<()> {
    let texts: RomeTexts = crate::input::postcard_exact(bytes).map_err(|e| {
        Error::unreadable(
            SOURCE,
            format!("not the ROME texts of this version of metiers ({e})"),
        )
    })?;
    if texts.version != tables.version {
        return Err(bad(
            "version",
            &texts.version,
            format!(
                "the texts of ROME {}, not {}",
                texts.version, tables.version
            ),
        ));
    }
    let mut given = vec![false; tables.metiers.len()];
    for fiche in texts.metiers {
        let Some(i) = positions.get(&fiche.code) else {
            return Err(bad(
                "code_rome",
                &fiche.code,
                "names a métier the referential does not have",
            ));
        };
        if std::mem::replace(&mut given[i], true) {
            return Err(bad("code_rome", &fiche.code, "given twice"));
        }
        let m = &mut tables.metiers[i];
        m.definition = Some(fiche.definition);
        m.acces = Some(fiche.acces);
    }
    if let Some(i) = given.iter().position(|g| !g) {
        return Err(bad(
            "code_rome",
            &tables.metiers[i].code,
            "this métier's texts are missing",
        ));
    }
    Ok(())
}

fn to_bytes(value: &impl Serialize) -> Result<Vec<u8>> {
    postcard::to_allocvec(value).map_err(|e| Error::Internal(e.to_string()))
}
