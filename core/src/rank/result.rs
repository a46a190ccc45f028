//! What a search returns: pages of ranked matches, their score components and next steps.

use super::query::Scope;
use crate::catalog::{Company, ContactMode};
use crate::geo::Place;
use serde::Serialize;
use std::sync::Arc;

/// The parts of a score, each in [0, 1]; absent when the query does not use it.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Components {
    /// Interest link.
    pub interest: Option<f64>,
    /// Preferred sector.
    pub sector: Option<f64>,
    /// Distance decay.
    pub distance: Option<f64>,
    /// Response rate (ambassadors).
    pub responsiveness: Option<f64>,
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "{T}Match"))]
pub struct Match<T> {
    /// Id of the stage, ambassador or company.
    // Shared strings here and in `Reason` (the index's ids, a page's `Words`): a page's
    // matches count references instead of copying, and malloc was most of building one.
    #[cfg_attr(feature = "schema", ts(as = "String"), schemars(with = "String"))]
    pub id: Arc<str>,
    /// Blended score in [0, 1], rounded to 4 decimals.
    pub score: f64,
    /// Its components, rounded to 4 decimals.
    pub components: Components,
    /// Great-circle distance from the place asked, in km, rounded to 0.01.
    pub distance_km: Option<f64>,
    /// Short reasons in French, for display: the `text` of each of `why`.
    #[cfg_attr(
        feature = "schema",
        ts(as = "Vec<String>"),
        schemars(with = "Vec<String>")
    )]
    pub reasons: Vec<Arc<str>>,
    /// The same reasons as data, for programs: what kind of reason, about what, and its text.
    pub why: Vec<Reason>,
    /// Set when the result comes from a widened search (`"rayon élargi à 50 km"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub widened: Option<String>,
    /// The stage, ambassador or company.
    pub item: T,
}

/// What a reason is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReasonKind {
    /// The métier asked (`label`: the title asked, `code`: its ROME code).
    SameMetier,
    /// A métier of the same ROME fiche (`code`, `label`: the item's métier).
    SameFiche,
    /// A métier ROME lists as close (mobilité).
    Mobilite,
    /// A centre d'intérêt asked, principal for the métier (`code`: the interest's).
    InterestPrincipal,
    /// A centre d'intérêt asked, secondary for the métier.
    Interest,
    /// The same domaine professionnel (`code`: `H29`).
    SameDomaine,
    /// The same grand domaine (`code`: `H`).
    SameGrandDomaine,
    /// A preferred sector (`code`, `label`: the domaine).
    Sector,
    /// The distance (`number`: km).
    Distance,
    /// Places left on a stage (`number`).
    PlacesLeft,
    /// An ambassador's contact modes (`modes`).
    Contact,
    /// How far an ambassador travels for a class (`number`: km).
    Travel,
    /// What a company offers (`number`: stages; `count`: ambassadors).
    Offers,
    /// A company that receives a class of this size (`number`: pupils).
    ReceivesClass,
}

/// One reason a result is there, as data and in French.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Reason {
    /// What the reason is about.
    pub kind: ReasonKind,
    /// The code it names (a ROME code, a domaine, a centre d'intérêt), when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        ts(as = "Option<String>"),
        schemars(with = "Option<String>")
    )]
    pub code: Option<Arc<str>>,
    /// The label it names (a métier, a domaine, a centre d'intérêt, the title asked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        ts(as = "Option<String>"),
        schemars(with = "Option<String>")
    )]
    pub label: Option<Arc<str>>,
    /// Its number (km, places, pupils, stages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
    /// A second count (a company's ambassadors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Contact modes, for `contact`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modes: Vec<ContactMode>,
    /// The reason in French (`"Centre d'intérêt principal : J'aime le travail manuel"`).
    #[cfg_attr(feature = "schema", ts(as = "String"), schemars(with = "String"))]
    pub text: Arc<str>,
}

/// The words of one page's reasons, each stored once: the matches of a page share their
/// codes, labels and texts (twenty stages linked to one centre d'intérêt say it twenty times),
/// so a match takes counted references instead of copies. Never iterated into a result.
#[derive(Debug)]
pub(crate) struct Words {
    /// Hashed by `FxHash`: short French strings, never iterated (`SipHash` was a sixth of a
    /// page).
    set: rustc_hash::FxHashSet<Arc<str>>,
    buf: String,
    /// A reason's text before it is worded.
    empty: Arc<str>,
}

impl Default for Words {
    fn default() -> Words {
        Words {
            set: rustc_hash::FxHashSet::default(),
            buf: String::new(),
            empty: Arc::from(""),
        }
    }
}

impl Words {
    /// The shared copy of `s`.
    pub(crate) fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(w) = self.set.get(s) {
            return Arc::clone(w);
        }
        let w: Arc<str> = Arc::from(s);
        self.set.insert(Arc::clone(&w));
        w
    }
}

impl Reason {
    /// A reason of a kind, worded by [`crate::wording::reason`], its words shared.
    pub(crate) fn new(
        words: &mut Words,
        kind: ReasonKind,
        (code, label): (Option<&str>, Option<&str>),
        number: Option<f64>,
    ) -> Reason {
        let r = Reason {
            code: code.map(|c| words.get(c)),
            label: label.map(|l| words.get(l)),
            number,
            ..Reason::blank(words, kind)
        };
        r.worded(words)
    }

    /// An ambassador's contact modes.
    pub(crate) fn contact(words: &mut Words, modes: Vec<ContactMode>) -> Reason {
        Reason {
            modes,
            ..Reason::blank(words, ReasonKind::Contact)
        }
        .worded(words)
    }

    /// What a company offers: stages and ambassadors.
    pub(crate) fn offers(words: &mut Words, stages: u32, ambassadors: u32) -> Reason {
        Reason {
            number: Some(f64::from(stages)),
            count: Some(ambassadors),
            ..Reason::blank(words, ReasonKind::Offers)
        }
        .worded(words)
    }

    fn blank(words: &mut Words, kind: ReasonKind) -> Reason {
        Reason {
            kind,
            code: None,
            label: None,
            number: None,
            count: None,
            modes: Vec::new(),
            text: Arc::clone(&words.empty),
        }
    }

    /// The reason with its French text.
    fn worded(mut self, words: &mut Words) -> Reason {
        let mut buf = std::mem::take(&mut words.buf);
        buf.clear();
        crate::wording::write_reason(&self, &mut buf);
        self.text = words.get(&buf);
        words.buf = buf;
        self
    }
}

/// A way to get more results, with how many it gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct NextStep {
    /// What to show (`"Élargir à 50 km"`).
    pub label: String,
    /// The radius of this step.
    pub radius_km: Option<f64>,
    /// The scope of this step.
    pub scope: Option<Scope>,
    /// Results with this step.
    pub total: usize,
    /// The step as a button says it: `"Élargir à 50 km (5 stages)"`.
    pub text: String,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "{T}Result"))]
pub struct SearchResult<T> {
    /// Results before pagination (after `per_company`; widened ones included when `widen`).
    pub total: usize,
    /// Offset asked.
    pub offset: u64,
    /// Page size in force.
    pub limit: usize,
    /// The place the query named, as resolved (kind, INSEE code, name, how it matched):
    /// distances are measured from it, unless it is a département (a filter).
    pub origin: Option<Place>,
    /// The page.
    pub matches: Vec<Match<T>>,
    /// When results are fewer than `limit`: ways to get more, with their counts.
    pub next_steps: Vec<NextStep>,
    /// The page in one French sentence, for display: `"12 stages à moins de 20 km de Flers ;
    /// les 10 plus pertinents"`, `"Aucun ambassadeur dans le département : Orne"`.
    pub summary: String,
}

/// A company with what it offers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct CompanySummary {
    /// The company.
    #[serde(flatten)]
    pub company: Company,
    /// Stages it offers.
    pub stages: u32,
    /// Ambassadors it has.
    pub ambassadors: u32,
}

/// A métier one can discover near a place.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct MetierNearby {
    /// ROME code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Stages within the radius.
    pub stages: usize,
    /// Ambassadors within the radius.
    pub ambassadors: usize,
    /// Distance of the nearest of them, km (rounded to 0.01).
    pub nearest_km: Option<f64>,
    /// Interest score (0 when nothing was asked).
    pub interest: f64,
    /// Reasons in French.
    pub reasons: Vec<String>,
}
