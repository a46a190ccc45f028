//! What the ROME holds: métiers, job titles (appellations), centres d'intérêt and their links,
//! mobilité links and the sector tree, in the serde form the embedded data and every binding
//! share.

use serde::{Deserialize, Serialize};

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
    /// Definition, one sentence per item. Null (`None`) in an engine without the ROME texts:
    /// the browser module leaves them out of its download (a page that shows them gives the
    /// file `rome-texts.bin` to `loadRomeTexts`), and an engine made from `rome.bin` alone
    /// (`from_data`) has none until `load_rome_texts`.
    pub definition: Option<Vec<String>>,
    /// How to get into it (diplomas, experience), one sentence per item; null exactly when
    /// `definition` is.
    pub acces: Option<Vec<String>>,
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
