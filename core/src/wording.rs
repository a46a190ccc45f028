//! The French words of the library, in one place: what a widget, a CLI or a portal shows
//! (labels of every enum value, place names with the right preposition, periods, counts and
//! the sentence that sums up a search). Bindings and the widget lay these out; they word
//! nothing themselves.

use crate::calendar::Period;
use crate::catalog::{AmbassadorKind, Audience, ContactMode, SizeBand, StageKind};
use crate::geo::{Place, PlaceKind};
use crate::rank::{Reason, ReasonKind};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// French labels of every enum value the wire carries, by enum and wire name
/// (`labels.stage_kind["mini_stage"]` is `"Mini-stage de découverte"`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Labels {
    /// Kinds of stage.
    pub stage_kind: BTreeMap<String, String>,
    /// Contact modes of ambassadors.
    pub contact_mode: BTreeMap<String, String>,
    /// Audiences.
    pub audience: BTreeMap<String, String>,
    /// Ambassadeur métier or formation.
    pub ambassador_kind: BTreeMap<String, String>,
    /// Company size bands.
    pub size_band: BTreeMap<String, String>,
}

/// The wire name of an enum value (`demandeur_emploi`, `class_visit`), as messages quote it.
pub(crate) fn wire<T: Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn table<T: Serialize + Copy>(all: &[T], label: fn(T) -> &'static str) -> BTreeMap<String, String> {
    all.iter()
        .map(|&v| (wire(v), label(v).to_string()))
        .collect()
}

impl StageKind {
    /// Every kind, in order.
    pub const ALL: [StageKind; 4] = [
        StageKind::MiniStage,
        StageKind::Observation3e,
        StageKind::Seconde,
        StageKind::LongProfessionnel,
    ];

    /// The label people read (`"Mini-stage de découverte"`).
    pub fn title(self) -> &'static str {
        match self {
            StageKind::MiniStage => "Mini-stage de découverte",
            StageKind::Observation3e => "Stage d'observation de 3e",
            StageKind::Seconde => "Stage de seconde",
            StageKind::LongProfessionnel => "Stage long professionnel",
        }
    }
}

impl ContactMode {
    /// Every mode, in order.
    pub const ALL: [ContactMode; 4] = [
        ContactMode::Phone,
        ContactMode::Video,
        ContactMode::ClassVisit,
        ContactMode::CompanyVisit,
    ];

    /// The label people read (`"Intervention en classe"`).
    pub fn title(self) -> &'static str {
        match self {
            ContactMode::Phone => "Par téléphone",
            ContactMode::Video => "En visio",
            ContactMode::ClassVisit => "Intervention en classe",
            ContactMode::CompanyVisit => "Visite d'entreprise",
        }
    }
}

impl Audience {
    /// The label people read (`"Collégiens"`).
    pub fn title(self) -> &'static str {
        match self {
            Audience::College => "Collégiens",
            Audience::Lycee => "Lycéens",
            Audience::Etudiant => "Étudiants",
            Audience::DemandeurEmploi => "Demandeurs d'emploi",
            Audience::Reconversion => "Adultes en reconversion",
        }
    }
}

impl AmbassadorKind {
    /// The label people read.
    pub fn title(self) -> &'static str {
        match self {
            AmbassadorKind::Metier => "Ambassadeur métier",
            AmbassadorKind::Formation => "Ambassadeur formation",
        }
    }
}

impl SizeBand {
    /// The label people read.
    pub fn title(self) -> &'static str {
        match self {
            SizeBand::Tpe => "Très petite entreprise (moins de 10 salariés)",
            SizeBand::Pme => "Petite ou moyenne entreprise (10 à 249 salariés)",
            SizeBand::Eti => "Entreprise de taille intermédiaire (250 à 4 999 salariés)",
            SizeBand::Ge => "Grande entreprise (5 000 salariés et plus)",
        }
    }
}

/// Every label.
pub fn labels() -> Labels {
    Labels {
        stage_kind: table(&StageKind::ALL, StageKind::title),
        contact_mode: table(&ContactMode::ALL, ContactMode::title),
        audience: table(&Audience::ALL, Audience::title),
        ambassador_kind: table(
            &[AmbassadorKind::Metier, AmbassadorKind::Formation],
            AmbassadorKind::title,
        ),
        size_band: table(
            &[SizeBand::Tpe, SizeBand::Pme, SizeBand::Eti, SizeBand::Ge],
            SizeBand::title,
        ),
    }
}

fn starts_with_vowel(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| "AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜaeiouyàâäéèêëîïôöùûü".contains(c))
}

/// A commune name after "de": `"de Flers"`, `"d'Évreux"`, `"du Havre"` (Le Havre),
/// `"des Andelys"` (Les Andelys), `"de La Ferté-Macé"`.
///
/// ```
/// use metiers::wording::de;
/// assert_eq!(de("Le Havre"), "du Havre");
/// assert_eq!(de("Les Andelys"), "des Andelys");
/// assert_eq!(de("Évreux"), "d'Évreux");
/// assert_eq!(de("La Ferté-Macé"), "de La Ferté-Macé");
/// assert_eq!(de("Flers"), "de Flers");
/// ```
pub fn de(name: &str) -> String {
    De(name).to_string()
}

/// [`de`] as it is written into a sentence.
struct De<'a>(&'a str);

impl std::fmt::Display for De<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = self.0;
        if let Some(rest) = name.strip_prefix("Le ") {
            write!(f, "du {rest}")
        } else if let Some(rest) = name.strip_prefix("Les ") {
            write!(f, "des {rest}")
        } else if starts_with_vowel(name) {
            write!(f, "d'{name}")
        } else {
            write!(f, "de {name}")
        }
    }
}

/// A commune name after "à": `"à Caen"`, `"au Havre"`, `"aux Andelys"`, `"à L'Aigle"`.
///
/// ```
/// assert_eq!(metiers::wording::a("Le Havre"), "au Havre");
/// assert_eq!(metiers::wording::a("Les Andelys"), "aux Andelys");
/// assert_eq!(metiers::wording::a("Caen"), "à Caen");
/// ```
pub fn a(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("Le ") {
        format!("au {rest}")
    } else if let Some(rest) = name.strip_prefix("Les ") {
        format!("aux {rest}")
    } else {
        format!("à {name}")
    }
}

/// A whole number as French writes it: `1 234` (narrow no-break space between thousands).
pub fn number(n: usize) -> String {
    Number::from(n).to_string()
}

/// [`number`] as it is written into a sentence (no string of its own per group).
struct Number(u64);

impl From<usize> for Number {
    fn from(n: usize) -> Number {
        Number(u64::try_from(n).unwrap_or(u64::MAX))
    }
}

impl std::fmt::Display for Number {
    // `p` is a power of 1,000 from 1 up, never zero, and never past `n`.
    #[allow(clippy::arithmetic_side_effects)]
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0;
        // The largest power of 1,000 at most n (1 for n < 1,000).
        let mut p = 1u64;
        while n / p >= 1000 {
            p = p.saturating_mul(1000);
        }
        write!(f, "{}", n / p)?;
        while p > 1 {
            p /= 1000;
            write!(f, "\u{202f}{:03}", (n / p) % 1000)?;
        }
        Ok(())
    }
}

/// `"aucun stage"`, `"1 stage"`, `"12 stages"`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("aucun {one}"),
        1 => format!("1 {one}"),
        _ => format!("{} {many}", Number::from(n)),
    }
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

pub(crate) fn month(m: u32) -> &'static str {
    MONTHS
        .get(usize::try_from(m).unwrap_or(0).saturating_sub(1))
        .copied()
        .unwrap_or("")
}

/// A period as French says it: `"le 2 juin 2027"`, `"du 19 au 23 avril 2027"`,
/// `"du 28 avril au 3 mai 2027"`, `"du 21 décembre 2026 au 3 janvier 2027"`.
///
/// ```
/// let p: metiers::Period = serde_json::from_str(r#"{"start": "2027-04-28", "end": "2027-05-03"}"#).unwrap();
/// assert_eq!(metiers::wording::period(&p), "du 28 avril au 3 mai 2027");
/// ```
pub fn period(p: &Period) -> String {
    let (y1, m1, d1) = p.start.ymd();
    let (y2, m2, d2) = p.end.ymd();
    let day = |d: u32| {
        if d == 1 {
            "1er".to_string()
        } else {
            d.to_string()
        }
    };
    if p.start == p.end {
        return format!("le {} {} {y1}", day(d1), month(m1));
    }
    let from = if y1 != y2 {
        format!("{} {} {y1}", day(d1), month(m1))
    } else if m1 != m2 {
        format!("{} {}", day(d1), month(m1))
    } else {
        day(d1)
    };
    format!("du {from} au {} {} {y2}", day(d2), month(m2))
}

/// Longest great-circle distance on Earth, in km (half its circumference), with a margin.
const MAX_DISTANCE_KM: f64 = 20_100.0;

/// A distance as a card shows it: `"< 1 km"`, `"12 km"`. A value no distance on Earth can be
/// (negative, NaN, infinite, beyond half the circumference) is `invalid_input` (field `km`).
///
/// ```
/// use metiers::wording::distance;
/// assert_eq!(distance(0.4).unwrap(), "< 1 km");
/// assert_eq!(distance(12.6).unwrap(), "13 km");
/// for bad in [f64::NAN, -1.0, 1e308] {
///     assert_eq!(distance(bad).unwrap_err().code(), "invalid_input");
/// }
/// ```
pub fn distance(km: f64) -> crate::Result<String> {
    if !km.is_finite() || !(0.0..=MAX_DISTANCE_KM).contains(&km) {
        return Err(crate::Error::invalid(
            "km",
            km.to_string(),
            "a distance in km, from 0 to 20,100",
        ));
    }
    Ok(if km < 1.0 {
        "< 1 km".into()
    } else {
        format!("{} km", km.round())
    })
}

/// Where a search looked, after its count: `"à moins de 20 km de Flers"`,
/// `"dans le département : Orne"`, `"autour du point 49.1800, -0.3700"`.
pub fn within(origin: &Place, radius_km: Option<f64>) -> String {
    Within(origin, radius_km).to_string()
}

/// [`within`] as it is written into a sentence.
struct Within<'a>(&'a Place, Option<f64>);

impl std::fmt::Display for Within<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (origin, name) = (self.0, self.0.name.as_str());
        match (origin.kind, self.1) {
            (PlaceKind::Departement, _) => write!(f, "dans le département : {name}"),
            (PlaceKind::Point, Some(r)) => write!(f, "à moins de {} km du point {name}", Km(r)),
            (_, Some(r)) => write!(f, "à moins de {} km {}", Km(r), De(name)),
            (PlaceKind::Point, None) => write!(f, "autour du point {name}"),
            (_, None) => write!(f, "autour {}", De(name)),
        }
    }
}

/// A radius in km, French decimal comma: `20`, `7,5`.
struct Km(f64);

impl std::fmt::Display for Km {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = self.0;
        if r.fract() == 0.0 {
            write!(f, "{r:.0}")
        } else {
            f.write_str(&format!("{r}").replace('.', ","))
        }
    }
}

/// The sentence that sums up a page: `"12 stages à moins de 20 km de Flers ; les 10 plus
/// pertinents"`, `"49 stages dans le département : Orne ; résultats 6 à 10"` (a later page),
/// `"Aucun ambassadeur à moins de 30 km de Caen"`.
pub fn summary(
    total: usize,
    (offset, shown): (u64, usize),
    (one, many): (&str, &str),
    origin: Option<&Place>,
    radius_km: Option<f64>,
) -> String {
    // One string written once: a page's summary was a tenth of a France-scale page.
    let mut out = String::with_capacity(96);
    // Writing to a String cannot fail. The count comes first, capitalised.
    let _ = match total {
        0 => write!(out, "Aucun {one}"),
        1 => write!(out, "1 {one}"),
        _ => write!(out, "{} {many}", Number::from(total)),
    };
    if let Some(o) = origin {
        let _ = write!(out, " {}", Within(o, radius_km));
    }
    if offset > 0 && shown > 0 {
        let shown_then = u64::try_from(shown).unwrap_or(u64::MAX);
        let (first, last) = (offset.saturating_add(1), offset.saturating_add(shown_then));
        let _ = write!(out, " ; résultats {} à {}", Number(first), Number(last));
    } else if total > shown && shown > 0 {
        let _ = write!(out, " ; les {} plus pertinents", Number::from(shown));
    }
    out
}

/// A contact mode in a reason's list (`"intervention en classe"`).
fn mode_word(mode: ContactMode) -> &'static str {
    match mode {
        ContactMode::Phone => "téléphone",
        ContactMode::Video => "visio",
        ContactMode::ClassVisit => "intervention en classe",
        ContactMode::CompanyVisit => "visite d'entreprise",
    }
}

/// `"0 stage"`, `"1 stage"`, `"3 stages"`: French takes the plural from 2.
fn plural(n: f64, one: &str, many: &str) -> String {
    format!("{n:.0} {}", if n > 1.0 { many } else { one })
}

/// A number printed as `{:.0}` prints it (rounded half to even), through integer formatting
/// when it fits: a page words a distance and a places count per match, and float formatting
/// was a visible part of building one.
struct Whole(f64);

impl std::fmt::Display for Whole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = self.0.round_ties_even();
        // Exact in an i64 below 2^53; a negative number (never a distance or a count) keeps
        // the float path, which prints "-0" for it and for minus zero.
        if (0.0..9.0e15).contains(&r) && self.0.is_sign_positive() {
            write!(f, "{}", r as i64)
        } else {
            write!(f, "{:.0}", self.0)
        }
    }
}

/// A reason in French, from its kind and values.
pub fn reason(r: &Reason) -> String {
    let mut out = String::new();
    write_reason(r, &mut out);
    out
}

/// [`reason`] written at the end of `out`: a page words its reasons into one buffer.
pub(crate) fn write_reason(r: &Reason, out: &mut String) {
    let label = r.label.as_deref().unwrap_or_default();
    let n = r.number.unwrap_or_default();
    // Writing to a String cannot fail.
    let _ = match r.kind {
        ReasonKind::SameMetier => write!(out, "Même métier : {label}"),
        ReasonKind::SameFiche => write!(out, "Même fiche métier : {label}"),
        ReasonKind::Mobilite => write!(out, "Métier proche : {label}"),
        ReasonKind::InterestPrincipal => write!(out, "Centre d'intérêt principal : {label}"),
        ReasonKind::Interest => write!(out, "Centre d'intérêt : {label}"),
        ReasonKind::SameDomaine => write!(out, "Même domaine : {label}"),
        ReasonKind::SameGrandDomaine => write!(out, "Même grand domaine : {label}"),
        ReasonKind::Sector => write!(out, "Secteur : {label}"),
        ReasonKind::Distance if n < 1.0 => out.write_str("à moins de 1 km"),
        ReasonKind::Distance => write!(out, "à {} km", Whole(n)),
        ReasonKind::PlacesLeft => {
            if (n - 1.0).abs() < f64::EPSILON {
                out.write_str("1 place restante")
            } else {
                write!(out, "{} places restantes", Whole(n))
            }
        }
        ReasonKind::Contact => {
            out.push_str("Contact : ");
            for (k, &m) in r.modes.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                out.push_str(mode_word(m));
            }
            Ok(())
        }
        ReasonKind::Travel => write!(out, "Se déplace jusqu'à {n:.0} km"),
        ReasonKind::Offers => write!(
            out,
            "{} et {}",
            plural(n, "stage", "stages"),
            plural(
                f64::from(r.count.unwrap_or_default()),
                "ambassadeur",
                "ambassadeurs"
            )
        ),
        ReasonKind::ReceivesClass => write!(out, "Reçoit une classe de {n:.0} élèves"),
    };
}

#[cfg(test)]
mod tests {
    use super::{number, Whole};

    #[test]
    fn numbers_group_thousands_by_narrow_spaces() {
        // Digits grouped from the right, as a reader counts them.
        let grouped = |n: usize| {
            let digits = n.to_string();
            let mut out = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    out.push('\u{202f}');
                }
                out.push(c);
            }
            out
        };
        for n in [
            0,
            7,
            999,
            1000,
            1001,
            1163,
            10_000,
            999_999,
            1_000_000,
            1_000_001,
            123_456_789,
            usize::MAX / 1000,
            usize::MAX - 1,
            usize::MAX,
        ] {
            assert_eq!(number(n), grouped(n), "{n}");
        }
        assert_eq!(number(1_002_003), "1\u{202f}002\u{202f}003");
    }

    #[test]
    fn whole_numbers_print_as_the_float_formatting_does() {
        let mut cases = vec![
            0.0,
            0.49,
            0.5,
            1.5,
            2.5,
            3.5,
            12.4999,
            12.5,
            13.5,
            99.5,
            1e15,
            8.9e15,
            9.1e15,
            1e300,
            -0.0,
            -0.2,
            -1.5,
            -7.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            4_503_599_627_370_495.5,
        ];
        let mut x = 0.0;
        while x < 300.0 {
            cases.push(x);
            x += 0.0625;
        }
        for n in cases {
            assert_eq!(Whole(n).to_string(), format!("{n:.0}"), "{n:?}");
        }
    }
}
