//! Collèges and lycées: the demand side of placements (pupils belong to a school) and of
//! coverage. [`School`] is one establishment; [`Schools`] a table of them keyed by UAI.
//!
//! The embedded table (feature `schools`) is the 388 collèges and 291 lycées of Normandy, with
//! their pupils, social position index (IPS) and éducation prioritaire status (DEPP, rentrée
//! 2022, Licence Ouverte 2.0; see the NOTICE). A caller outside Normandy gives its own with
//! [`Schools::from_csv`] (same columns) or in a placement request.

use crate::error::{Error, Lookup, Result};
use crate::tabular::{Row, Table};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Read;

#[cfg(feature = "schools")]
const NORMANDY: &str = include_str!("../data/schools/etablissements-normandie.csv");

/// Éducation prioritaire status of a school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub enum Priority {
    /// Réseau d'éducation prioritaire renforcé.
    #[serde(rename = "REP+")]
    RepPlus,
    /// Réseau d'éducation prioritaire.
    #[serde(rename = "REP")]
    Rep,
}

impl Priority {
    /// The label as written in French (`"REP+"`).
    pub fn label(self) -> &'static str {
        match self {
            Priority::RepPlus => "REP+",
            Priority::Rep => "REP",
        }
    }

    /// Reads `REP+`, `REP` (any case); empty is `None`.
    pub fn parse(text: &str) -> Result<Option<Priority>> {
        match text.trim().to_ascii_uppercase().as_str() {
            "" => Ok(None),
            "REP+" => Ok(Some(Priority::RepPlus)),
            "REP" => Ok(Some(Priority::Rep)),
            _ => Err(Error::invalid(
                "education_prioritaire",
                text,
                "expected REP+, REP or nothing",
            )),
        }
    }
}

/// Collège or lycée.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SchoolKind {
    /// Collège (pupils of 6e to 3e).
    College,
    /// Lycée.
    Lycee,
}

/// One school.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct School {
    /// Official identifier (UAI: seven digits and a letter, `"0140025B"`).
    pub uai: String,
    /// Collège or lycée.
    pub kind: SchoolKind,
    /// Name as published.
    #[serde(default)]
    pub name: String,
    /// INSEE code of its commune.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<String>,
    /// Département code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departement: Option<String>,
    /// Number of pupils (a collège's 3e year group is about a quarter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pupils: Option<u32>,
    /// Indice de position sociale (national mean about 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ips: Option<f64>,
    /// Éducation prioritaire (`"REP+"`, `"REP"`), absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub education_prioritaire: Option<Priority>,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Longitude (WGS84).
    pub lon: f64,
}

/// Schools keyed by UAI.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schools {
    by_uai: BTreeMap<String, School>,
}

/// Checks the shape of a UAI: seven digits then an upper-case letter.
pub fn check_uai(uai: &str) -> Result<()> {
    let b = uai.as_bytes();
    let ok = b.len() == 8
        && b.iter().take(7).all(u8::is_ascii_digit)
        && b.get(7).is_some_and(u8::is_ascii_uppercase);
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "uai",
            uai,
            "expected a UAI: seven digits and an upper-case letter, e.g. 0140025B",
        ))
    }
}

impl Schools {
    /// The collèges and lycées of Normandy, embedded (feature `schools`).
    #[cfg(feature = "schools")]
    pub fn normandy() -> Result<Schools> {
        Schools::from_csv("etablissements-normandie.csv", NORMANDY.as_bytes())
            .map_err(|e| Error::Internal(format!("embedded schools: {e}")))
    }

    /// The embedded table (empty without the `schools` feature), read once.
    pub fn embedded() -> &'static Schools {
        static EMBEDDED: std::sync::OnceLock<Schools> = std::sync::OnceLock::new();
        EMBEDDED.get_or_init(|| {
            #[cfg(feature = "schools")]
            {
                Schools::normandy().unwrap_or_default()
            }
            #[cfg(not(feature = "schools"))]
            {
                Schools::default()
            }
        })
    }

    /// Reads a CSV with the columns of `core/data/schools/etablissements-normandie.csv` (`uai`,
    /// `kind`, `lat`, `lon` required; `name`, `commune`, `departement`, `pupils`, `ips`,
    /// `education_prioritaire` optional). A bad row is a `data_error` naming its line.
    ///
    /// Two rows of one UAI are two sites of one establishment (the published file has one
    /// such lycée, Jeanne d'Arc in Le Havre): they become one school whose name lists both,
    /// when they agree on everything but the name; otherwise the second is a `data_error`.
    pub fn from_csv(source: &str, reader: impl Read) -> Result<Schools> {
        let t = Table::read(source, reader)?;
        t.require(&["uai", "kind", "lat", "lon"])?;
        let mut by_uai: BTreeMap<String, School> = BTreeMap::new();
        for r in t.rows() {
            let s = school_row(&r)?;
            match by_uai.get_mut(&s.uai) {
                None => {
                    by_uai.insert(s.uai.clone(), s);
                }
                Some(first)
                    if School {
                        name: first.name.clone(),
                        ..s.clone()
                    } == *first =>
                {
                    first.name = format!("{} ; {}", first.name, s.name);
                }
                Some(_) => {
                    return Err(r.error(
                        "uai",
                        &s.uai,
                        "this UAI is on an earlier row with other figures or another position",
                    ))
                }
            }
        }
        Ok(Schools { by_uai })
    }

    /// Schools from a list, checked: UAI shape, finite coordinates, no UAI twice.
    pub fn from_list(list: Vec<School>) -> Result<Schools> {
        let mut by_uai = BTreeMap::new();
        for (i, s) in list.into_iter().enumerate() {
            let at = |field: &str| format!("schools[{i}].{field}");
            check_uai(&s.uai).map_err(|e| e.renamed(&at("uai")))?;
            if !(s.lat.is_finite() && (-90.0..=90.0).contains(&s.lat)) {
                return Err(Error::invalid(
                    at("lat"),
                    s.lat.to_string(),
                    "a latitude from -90 to 90",
                ));
            }
            if !(s.lon.is_finite() && (-180.0..=180.0).contains(&s.lon)) {
                return Err(Error::invalid(
                    at("lon"),
                    s.lon.to_string(),
                    "a longitude from -180 to 180",
                ));
            }
            if s.ips.is_some_and(|x| !x.is_finite()) {
                return Err(Error::invalid(at("ips"), "NaN", "must be a number"));
            }
            if by_uai.contains_key(&s.uai) {
                return Err(Error::invalid(at("uai"), &s.uai, "this UAI is given twice"));
            }
            by_uai.insert(s.uai.clone(), s);
        }
        Ok(Schools { by_uai })
    }

    /// The school of a UAI, its letter in any case and spaces around it ignored (`" 0140025b"`
    /// is 0140025B); `not_found` (kind `school`) otherwise.
    pub fn get(&self, uai: &str) -> Result<&School> {
        // As typed by hand: "0140025b " is 0140025B (a UAI's letter is upper-case).
        self.by_uai
            .get(crate::text::code_key(uai).as_ref())
            .ok_or_else(|| Error::not_found(Lookup::School, uai))
    }

    /// Every school, by UAI.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &School> {
        self.by_uai.values()
    }

    /// Number of schools.
    pub fn len(&self) -> usize {
        self.by_uai.len()
    }

    /// No school at all.
    pub fn is_empty(&self) -> bool {
        self.by_uai.is_empty()
    }
}

fn school_row(r: &Row<'_>) -> Result<School> {
    let uai = r.required("uai")?.to_string();
    check_uai(&uai).map_err(|_| r.error("uai", &uai, "expected a UAI such as 0140025B"))?;
    let kind = match r.get("kind") {
        "college" => SchoolKind::College,
        "lycee" => SchoolKind::Lycee,
        other => return Err(r.error("kind", other, "expected college or lycee")),
    };
    let lat: f64 = r.parse_required("lat", "a latitude")?;
    let lon: f64 = r.parse_required("lon", "a longitude")?;
    crate::geo::Place::point(lat, lon)
        .map_err(|_| r.error("lat", r.get("lat"), "not a position on Earth"))?;
    let ips: Option<f64> = r.parse("ips", "a number")?;
    if ips.is_some_and(|x| !x.is_finite()) {
        return Err(r.error("ips", r.get("ips"), "must be a number"));
    }
    let text = |c: &str| Some(r.get(c).to_string()).filter(|s| !s.is_empty());
    Ok(School {
        uai,
        kind,
        name: r.get("name").to_string(),
        commune: text("commune"),
        departement: text("departement"),
        pupils: r.parse("pupils", "a whole number")?,
        ips,
        education_prioritaire: Priority::parse(r.get("education_prioritaire")).map_err(|_| {
            r.error(
                "education_prioritaire",
                r.get("education_prioritaire"),
                "expected REP+, REP or nothing",
            )
        })?,
        lat,
        lon,
    })
}

#[cfg(all(test, feature = "schools"))]
mod tests {
    use super::*;

    #[test]
    fn normandy_has_its_collèges_and_lycées() {
        let s = Schools::normandy().unwrap();
        let colleges: Vec<_> = s.iter().filter(|x| x.kind == SchoolKind::College).collect();
        // 679 rows: one lycée has two sites under one UAI.
        assert_eq!((colleges.len(), s.len()), (388, 678));
        assert!(s.get("0761735Y").unwrap().name.contains(" ; "));
        let count = |p| {
            colleges
                .iter()
                .filter(|c| c.education_prioritaire == Some(p))
                .count()
        };
        assert_eq!((count(Priority::Rep), count(Priority::RepPlus)), (41, 15));
        assert_eq!(s.get("0000000A").unwrap_err().code(), "not_found");
        // As typed by hand: the letter in lower case, spaces around.
        for typed in ["0761735y", " 0761735Y ", "0761735Y\t"] {
            assert_eq!(s.get(typed).unwrap().uai, "0761735Y", "{typed:?}");
        }
        let err = s.get("0761735").unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[test]
    fn a_uai_is_checked() {
        assert!(check_uai("0140025B").is_ok());
        assert!(check_uai("2A00025B").is_err());
        assert!(check_uai("0140025b").is_err());
        assert!(check_uai("014025B").is_err());
    }
}
