//! Reading the ROME: the open-data CSV files France Travail publishes, and the compact form
//! (postcard) embedded in the crate, checked as the CSV files are.

// Tables read here are indexed by the positions the reader itself assigns.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::{
    Appellation, CodePositions, Domaine, DomaineLevel, Interest, InterestLink, Metier, Mobilite,
    Referential, RomeTables,
};
use crate::error::{Error, Result};
use crate::sorting::Sort;
use crate::tabular::{Row, Table};
use std::path::Path;

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
    /// Decodes the compact form written by [`Referential::to_bytes`] (or `rome.bin`, whose
    /// métiers have no texts: see [`Referential::with_texts`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Referential> {
        let (tables, positions) = decode_checked(bytes)?;
        Ok(Referential::index(tables, &positions))
    }

    /// The compact form (postcard) of the tables, as embedded in the crate.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        super::wire::encode(&self.tables)
    }

    /// Reads the ROME open-data CSV files from a folder (the file names France Travail
    /// publishes: `referentiel_code_rome.csv`, `referentiel_appellation.csv`,
    /// `centre_interet.csv`, `arborescence_centre_interet.csv`, `rubrique_mobilite.csv`,
    /// `texte.csv`, `domaines.csv`).
    pub fn from_csv_dir(dir: &Path, version: &str) -> Result<Referential> {
        let open = |name: &str| -> Result<Table> {
            let path = dir.join(name);
            let file = std::fs::File::open(&path).map_err(|e| Error::Data {
                location: Box::new(crate::error::DataLocation {
                    source: path.display().to_string(),
                    line: None,
                    row: None,
                    field: None,
                    value: None,
                }),
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
        tables.metiers.stable_by(|a, b| a.code.cmp(&b.code));
        let positions = CodePositions::new(&tables.metiers);
        validate(&tables, &positions)?;
        Ok(Referential::index(tables, &positions))
    }
}

/// Decodes and checks the compact form: bytes from a caller are checked as the CSV files are
/// (a file that decodes can still name a code the indices cannot hold). The métiers come back
/// sorted by code, with their positions.
pub(super) fn decode_checked(bytes: &[u8]) -> Result<(RomeTables, CodePositions)> {
    let mut tables = super::wire::decode(bytes)?;
    tables.metiers.stable_by(|a, b| a.code.cmp(&b.code));
    let positions = CodePositions::new(&tables.metiers);
    let checked = validate(&tables, &positions).and_then(|()| super::texts::paired(&tables));
    checked.map_err(|e| match e {
        Error::Data { location, reason } => Error::Data {
            location: Box::new(crate::error::DataLocation {
                source: format!("rome ({})", location.source),
                ..*location
            }),
            reason,
        },
        other => other,
    })?;
    Ok((tables, positions))
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
            definition: Some(Vec::new()),
            acces: Some(Vec::new()),
        });
    }
    metiers.stable_by(|a, b| a.code.cmp(&b.code));
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
    sentences.stable_by_key(|s| (s.0, s.2));
    for (m, is_definition, _, sentence) in sentences {
        let metier = &mut metiers[m];
        let list = if is_definition {
            &mut metier.definition
        } else {
            &mut metier.acces
        };
        list.get_or_insert_default().push(sentence);
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
        i.metiers.stable_by(|a, b| a.metier.cmp(&b.metier));
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
/// Checks tables whose métiers are sorted by code, `positions` made from them.
fn validate(t: &RomeTables, positions: &CodePositions) -> Result<()> {
    let bad = |table: &str, field: &str, code: &str, reason: &str| Error::Data {
        location: Box::new(crate::error::DataLocation {
            source: table.to_string(),
            field: Some(field.to_string()),
            value: Some(crate::error::bounded(code)),
            ..Default::default()
        }),
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
    let known = |code: &str| positions.get(code).is_some();
    let domaines: rustc_hash::FxHashSet<&str> =
        t.domaines.iter().map(|d| d.code.as_str()).collect();
    let missing = |table: &str, field: &str, code: &str| {
        bad(
            table,
            field,
            code,
            "names a métier that referentiel_code_rome.csv does not have",
        )
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
            if !domaines.contains(d) {
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

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    fn embedded_wire() -> super::super::wire::Wire {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/rome.bin")).unwrap();
        postcard::from_bytes(&bytes).unwrap()
    }

    /// The error a changed copy of the embedded data gets, as (source, field, value).
    fn refused(change: impl FnOnce(&mut super::super::wire::Wire)) -> (String, String, String) {
        let mut w = embedded_wire();
        change(&mut w);
        let bytes = postcard::to_allocvec(&w).unwrap();
        let e = Referential::from_bytes(&bytes).unwrap_err().info();
        assert_eq!(e.code.as_str(), "data_error", "{e:?}");
        (
            e.source.unwrap(),
            e.field.unwrap_or_default(),
            e.value.unwrap_or_default(),
        )
    }

    #[test]
    fn the_code_table_reads_exactly_the_rome_code_shape() {
        assert_eq!(CodePositions::key("A0000"), Some(0));
        assert_eq!(CodePositions::key("A1101"), Some(1101));
        assert_eq!(CodePositions::key("H2903"), Some(7 * 10_000 + 2903));
        assert_eq!(CodePositions::key("N9999"), Some(CodePositions::SLOTS - 1));
        for bad in [
            "", "H", "H290", "H29033", "O1234", "h2903", "H29O3", "@1234", "H 903", "H290é",
            "É2903",
        ] {
            assert_eq!(CodePositions::key(bad), None, "{bad}");
        }
        let rome = Referential::embedded().unwrap();
        let positions = CodePositions::new(rome.metiers());
        for (i, m) in rome.metiers().iter().enumerate() {
            assert_eq!(positions.get(&m.code), Some(i));
        }
        assert_eq!(positions.get("H9999"), None);
        assert_eq!(positions.get("Z2903"), None);
    }

    #[test]
    fn bytes_naming_a_metier_the_referential_lacks_are_a_data_error_naming_it() {
        type Change = fn(&mut super::super::wire::Wire);
        let cases: [(Change, &str, &str, &str); 6] = [
            (
                |w| w.appellations.metiers[7] = 1584,
                "referentiel_appellation.csv",
                "code_rome",
                "the métier at position 1584",
            ),
            (
                |w| w.mobilites.to[3] = u16::MAX,
                "rubrique_mobilite.csv",
                "code_rome",
                "the métier at position 65535",
            ),
            (
                |w| w.interests[2].metiers[0] = 5000,
                "arborescence_centre_interet.csv",
                "code_rome",
                "the métier at position 5000",
            ),
            (
                |w| w.metiers[5].fiche = "M0001".into(),
                "referentiel_code_rome.csv",
                "code_rome_parent",
                "M0001",
            ),
            (
                |w| w.metiers[5].definition = Some(vec!["sans accès".into()]),
                "texte.csv",
                "code_rome",
                "A1204",
            ),
            (
                |w| w.metiers[5].code = "H29x3".into(),
                "referentiel_code_rome.csv",
                "code_rome",
                "H29x3",
            ),
        ];
        for (change, table, field, value) in cases {
            let (s, f, v) = refused(change);
            assert_eq!(
                (s.as_str(), f.as_str()),
                (format!("rome ({table})").as_str(), field)
            );
            assert_eq!(v, value);
        }
        let twice = refused(|w| {
            let m = w.metiers[5].clone();
            w.metiers.push(m);
        });
        assert_eq!(twice.1, "code_rome");
        let (source, field, value) = refused(|w| {
            let h29 = w.domaines.iter().position(|d| d.code == "H29").unwrap();
            w.domaines.remove(h29);
        });
        assert_eq!(
            (source.as_str(), field.as_str(), value.as_str()),
            ("rome (domaines.csv)", "code", "H29")
        );
    }
}
