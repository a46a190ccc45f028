//! Resolving a [`PlaceRef`]: exact, or a choice.
//!
//! Free text is tried, in order, as a point (`"49.18, -0.37"`), a code (INSEE, postal,
//! département), then a name in four tiers: the name with its article, the name without it, the
//! beginning of names, names one typo away. The first tier that matches decides: one place is
//! the answer (a typo never is: it is offered as a choice); several places are an
//! [`Error::AmbiguousPlace`] with every candidate and what matched. A name matched whole comes
//! with the places whose names begin with its words when one of them is larger
//! (`"Sotteville"` is a choice led by Sotteville-lès-Rouen; docs/places.md).

// The place index reads the geography's tables by the positions it stored when it was built;
// tables decoded from bytes are checked first (`check_tables`). Caller text reaches it only
// through sorted-key searches (`partition_point`) and iterators.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::index::{Hit, Name, Target};
use super::place::{MatchedBy, Place, PlaceRef};
use super::{check_insee_shape, full_key, strip_article, Geography};
use crate::error::{Error, Result};
use crate::text;

/// Candidates listed in an ambiguous-place error.
pub const MAX_CANDIDATES: usize = 20;
/// Places [`Geography::locate`] lists at most.
pub const MAX_LOCATED: usize = 50;
/// A name prefix shorter than this (folded) is always a choice, even when one place has it.
const MIN_PREFIX: usize = 3;
/// Names shorter than this are not looked up one typo away.
const MIN_TYPO: usize = 5;

/// The places a [`PlaceRef`] may stand for, best first.
pub(crate) struct Candidates {
    pub places: Vec<Place>,
    /// Whether the first may be taken without asking (one place, not a typo).
    pub decided: bool,
}

impl Geography {
    /// The one place a [`PlaceRef`] stands for; `field` names the argument in errors.
    ///
    /// Errors: `invalid_input` for a malformed place (empty text, a code of the wrong shape, a
    /// latitude out of range), `not_found` (kind `"lieu"`) when nothing matches,
    /// `ambiguous_place` with the candidates when several places match (homonyms, a code that
    /// is an INSEE code and another commune's postal code, a name that is a département and a
    /// commune, the beginning of several names) or when the only match is one typo away.
    ///
    /// ```
    /// use metiers::geo::PlaceRef;
    /// let geo = metiers::Geography::normandy().unwrap();
    /// assert_eq!(geo.resolve_at(&"Tourlaville".into(), "near").unwrap().code.as_deref(), Some("50129"));
    /// let err = geo.resolve_at(&"Cuverville".into(), "near").unwrap_err();
    /// assert_eq!(err.code(), "ambiguous_place");
    /// ```
    pub fn resolve_at(&self, place: &PlaceRef, field: &str) -> Result<Place> {
        let (mut places, decided, total) = self.candidates_counted(place, field)?;
        if decided && !places.is_empty() {
            return Ok(places.swap_remove(0));
        }
        places.truncate(MAX_CANDIDATES);
        Err(Error::AmbiguousPlace {
            field: field.to_string(),
            value: place.shown(),
            candidates: places,
            total,
        })
    }

    /// [`Geography::resolve_at`] with the field named `place`.
    pub fn resolve(&self, place: &PlaceRef) -> Result<Place> {
        self.resolve_at(place, "place")
    }

    /// Places a text (or a typed key) may stand for, best first, at most [`MAX_LOCATED`]:
    /// what a page lists as suggestions. Unlike [`Geography::resolve`], several places are a
    /// list, not an error.
    ///
    /// ```
    /// let geo = metiers::Geography::normandy().unwrap();
    /// let cuvervilles = geo.locate("Cuverville").unwrap();
    /// assert_eq!(cuvervilles.len(), 3);
    /// ```
    pub fn locate(&self, place: impl Into<PlaceRef>) -> Result<Vec<Place>> {
        let (mut places, _, _) = self.candidates_counted(&place.into(), "place")?;
        places.truncate(MAX_LOCATED);
        Ok(places)
    }

    /// Every candidate, best first, and whether the first is certain.
    pub(crate) fn candidates(&self, place: &PlaceRef, field: &str) -> Result<Candidates> {
        let (places, decided, _) = self.candidates_counted(place, field)?;
        Ok(Candidates { places, decided })
    }

    /// Every candidate, best first; whether the first is certain; how many there are.
    fn candidates_counted(
        &self,
        place: &PlaceRef,
        field: &str,
    ) -> Result<(Vec<Place>, bool, usize)> {
        let hits = match place {
            PlaceRef::Point { lat, lon } => {
                return self.point(*lat, *lon).map_err(|e| e.in_field(field));
            }
            PlaceRef::Insee(code) => {
                let code = crate::text::code_key(code);
                check_insee_shape(field, &code)?;
                self.insee_hits(&code)
            }
            PlaceRef::PostalCode(code) => {
                let code = code.trim();
                if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
                    let reason = "a postal code has five digits, like 14000";
                    return Err(Error::invalid(field, code, dropped_zero(reason, code)));
                }
                self.postal_hits(code)
            }
            PlaceRef::Departement(d) => {
                let d = self
                    .departement(d)
                    .map_err(|_| Self::not_found(&place.shown(), &[]))?;
                return Ok((vec![self.departement_place(d, true)], true, 1));
            }
            PlaceRef::Text(text) => match parse_lat_lon(text.trim()) {
                Some((lat, lon)) => return self.point(lat, lon).map_err(|e| e.in_field(field)),
                None => self.text_hits(text, field)?,
            },
        };
        let (hits, decided) = hits;
        let code = match place {
            PlaceRef::Text(t) | PlaceRef::PostalCode(t) => t.trim(),
            _ => "",
        };
        self.places(hits, decided, &place.shown(), code)
    }

    /// A point, with the commune whose contour contains it when the contours know it (never
    /// the nearest centre: near a border that is the neighbour).
    ///
    /// A point in no commune that would be in one read the other way round is refused
    /// ([`Geography::swapped_commune`]): searched as given, it would answer that nothing is near.
    fn point(&self, lat: f64, lon: f64) -> Result<(Vec<Place>, bool, usize)> {
        let mut p = Place::point(lat, lon)?;
        if let Some(c) = self.commune_containing(lat, lon) {
            p.commune = Some(c.insee.to_string());
            p.departement = Some(c.departement.to_string());
            p.matched = format!("point exact, commune {}", c.name);
        } else if let Some(c) = self.swapped_commune(lat, lon) {
            return Err(Error::invalid(
                "",
                format!("lat {lat}, lon {lon}"),
                format!(
                    "this point is in no commune of the loaded geography; {}",
                    swapped_reason(lat, lon, c)
                ),
            ));
        }
        Ok((vec![p], true, 1))
    }

    fn text_hits(&self, text: &str, field: &str) -> Result<(Vec<Hit>, bool)> {
        let q = text.trim();
        if q.is_empty() {
            return Err(Error::invalid(field, text, "the place is empty"));
        }
        let code_like =
            q.bytes().all(|b| b.is_ascii_alphanumeric()) && q.bytes().any(|b| b.is_ascii_digit());
        if code_like {
            if is_departement_code(q) {
                return Ok((self.departement_code_hits(q), true));
            }
            if q.len() == 5 {
                let code = q.to_ascii_uppercase();
                let mut hits = self.insee_hits(&code).0;
                hits.extend(self.postal_hits(&code).0);
                return Ok((hits, true));
            }
            let reason =
                "a code is an INSEE or postal code (5 characters) or a département (2 or 3)";
            return Err(Error::invalid(field, text, dropped_zero(reason, q)));
        }
        let (hits, namesakes, decided) = self.name_hits(q);
        match Address::parse(q) {
            Some(address) if hits.is_empty() => Ok(self.address_hits(&address)),
            _ => Ok((self.with_namesakes(hits, namesakes), decided)),
        }
    }

    /// The places of a name written as in an address, which its postal code or département
    /// narrows: `"14000 Caen"` is Caen, and `"Beaumont (14)"` the Beaumont of Calvados.
    fn address_hits(&self, address: &Address<'_>) -> (Vec<Hit>, bool) {
        let (hits, namesakes, decided) = self.name_hits(&address.name);
        let t = &self.tables;
        let in_departement = |code: &str| {
            address
                .departement
                .is_none_or(|d| code.eq_ignore_ascii_case(d))
        };
        let narrows = |h: &Hit| match h.target {
            Target::Commune(i) => {
                let c = &t.communes[i as usize];
                let former = h.former.map(|f| &t.deleguees[f as usize]);
                let postal = address.postal_code.is_none_or(|p| {
                    c.postal_codes.iter().any(|x| x == p)
                        || former.is_some_and(|f| f.postal_code == p)
                });
                postal && in_departement(&c.departement)
            }
            Target::Arrondissement(i) => {
                let a = &t.arrondissements[i as usize];
                let city = self.commune_index(&a.commune).map(|c| &t.communes[c]);
                address
                    .postal_code
                    .is_none_or(|p| a.postal_codes.iter().any(|x| x == p))
                    && city.is_some_and(|c| in_departement(&c.departement))
            }
            Target::Departement(_) => false,
        };
        let kept: Vec<Hit> = hits.into_iter().filter(narrows).collect();
        let namesakes: Vec<Hit> = namesakes.into_iter().filter(narrows).collect();
        (self.with_namesakes(kept, namesakes), decided)
    }

    /// The inhabitants of a commune or an arrondissement; a département counts as larger than
    /// any commune: its name is not a commune's shortened (`"Loire"` is not Loire-sur-Rhône).
    fn target_population(&self, target: Target) -> u32 {
        match target {
            Target::Commune(i) => self.tables.communes[i as usize].population,
            Target::Arrondissement(i) => self.tables.arrondissements[i as usize].population,
            Target::Departement(_) => u32::MAX,
        }
    }

    fn insee_hits(&self, code: &str) -> (Vec<Hit>, bool) {
        let mut hits = Vec::new();
        if let Some(i) = self.commune_index(code) {
            hits.push(Hit::new(Target::Commune(i as u32), MatchedBy::Insee, None));
        }
        let arr = &self.tables.arrondissements;
        if let Ok(i) = arr.binary_search_by(|a| a.insee.as_str().cmp(code)) {
            hits.push(Hit::new(
                Target::Arrondissement(i as u32),
                MatchedBy::Insee,
                None,
            ));
        }
        let former = &self.index.former_insee;
        let from = former.partition_point(|(c, _)| c.as_str() < code);
        for (_, f) in former[from..].iter().take_while(|(c, _)| c == code) {
            let d = &self.tables.deleguees[*f as usize];
            if let Some(p) = self.commune_index(&d.parent_insee) {
                hits.push(Hit::new(
                    Target::Commune(p as u32),
                    MatchedBy::FormerInsee,
                    Some(*f),
                ));
            }
        }
        (hits, true)
    }

    /// An arrondissement with the postal code stands for its city: the city is left out.
    fn postal_hits(&self, code: &str) -> (Vec<Hit>, bool) {
        let postal = &self.index.postal;
        let from = postal.partition_point(|(p, _)| p.as_str() < code);
        let targets: Vec<Target> = postal[from..]
            .iter()
            .take_while(|(p, _)| p == code)
            .map(|(_, t)| *t)
            .collect();
        let cities: Vec<&str> = targets
            .iter()
            .filter_map(|t| match t {
                Target::Arrondissement(i) => {
                    Some(self.tables.arrondissements[*i as usize].commune.as_str())
                }
                _ => None,
            })
            .collect();
        let hits = targets
            .into_iter()
            .filter(|t| match t {
                Target::Commune(i) => !cities.contains(&&*self.tables.communes[*i as usize].insee),
                _ => true,
            })
            .map(|t| Hit::new(t, MatchedBy::PostalCode, None))
            .collect();
        (hits, true)
    }

    fn departement_code_hits(&self, code: &str) -> Vec<Hit> {
        self.tables
            .departements
            .iter()
            .position(|d| d.code.eq_ignore_ascii_case(code))
            .map(|i| {
                Hit::new(
                    Target::Departement(i as u32),
                    MatchedBy::DepartementCode,
                    None,
                )
            })
            .into_iter()
            .collect()
    }

    /// The first name tier that matches, the namesakes of a name matched whole (below), and
    /// whether the answer may be taken without asking.
    ///
    /// A name's namesakes are the places whose names begin with its words: Sotteville-lès-Rouen
    /// for `"Sotteville"`. [`Geography::with_namesakes`] decides whether they are offered.
    fn name_hits(&self, text: &str) -> (Vec<Hit>, Vec<Hit>, bool) {
        let full = full_key(text);
        if full.is_empty() {
            return (Vec::new(), Vec::new(), true);
        }
        let bare = strip_article(&full).to_string();
        let ix = &self.index;
        let by = |name: &Name, exact: MatchedBy| match (name.target, name.former) {
            (Target::Departement(_), _) => MatchedBy::DepartementName,
            (_, Some(_)) => MatchedBy::FormerCommune,
            _ => exact,
        };
        let collect = |sorted: &[u32], key: &dyn Fn(&Name) -> &str, want: &str, prefix: bool| {
            let from = sorted.partition_point(|&n| key(&ix.names[n as usize]) < want);
            sorted[from..]
                .iter()
                .map(|&n| &ix.names[n as usize])
                .take_while(|n| {
                    let k = key(n);
                    if prefix {
                        k.starts_with(want)
                    } else {
                        k == want
                    }
                })
                .collect::<Vec<&Name>>()
        };
        // A name matched whole, by `key` in `sorted`, with its namesakes (not départements).
        let whole = |sorted: &[u32], key: &dyn Fn(&Name) -> &str, want: &str, tier: MatchedBy| {
            let matched = collect(sorted, key, want, false);
            let hits: Vec<Hit> = matched
                .iter()
                .map(|n| Hit::new(n.target, by(n, tier), n.former))
                .collect();
            let namesakes = if hits.is_empty() {
                Vec::new()
            } else {
                collect(sorted, key, &format!("{want} "), true)
                    .into_iter()
                    .filter(|n| !matches!(n.target, Target::Departement(_)))
                    .map(|n| Hit::new(n.target, by(n, MatchedBy::NamePrefix), n.former))
                    .collect()
            };
            (hits, namesakes)
        };
        let (hits, namesakes) = whole(&ix.by_full, &|n| &n.full, &full, MatchedBy::Name);
        if !hits.is_empty() {
            return (hits, namesakes, true);
        }
        let (hits, namesakes) = whole(
            &ix.by_bare,
            &|n| &n.bare,
            &bare,
            MatchedBy::NameWithoutArticle,
        );
        if !hits.is_empty() {
            return (hits, namesakes, true);
        }
        let mut prefixed = collect(&ix.by_full, &|n| &n.full, &full, true);
        prefixed.extend(collect(&ix.by_bare, &|n| &n.bare, &bare, true));
        if !prefixed.is_empty() {
            // Taken without asking only when the text ends where a word of the name ends
            // ("Cherbourg" for Cherbourg-en-Cotentin, not "Lyon" for Lyons-la-Forêt) and one
            // place has it: `places` checks the count.
            let whole_words = prefixed.iter().all(|n| {
                let after = |key: &str, typed: &str| key.as_bytes().get(typed.len()) == Some(&b' ');
                after(&n.full, &full) || after(&n.bare, &bare)
            });
            let hits = prefixed
                .into_iter()
                .map(|n| Hit::new(n.target, by(n, MatchedBy::NamePrefix), n.former))
                .collect();
            return (hits, Vec::new(), whole_words && full.len() >= MIN_PREFIX);
        }
        if full.len() < MIN_TYPO || full.len() > 200 {
            return (Vec::new(), Vec::new(), true);
        }
        let hits = ix
            .names
            .iter()
            // One edit, not none: a name equal to the text (or to it without its article) was
            // taken by the tiers above.
            .filter(|n| {
                text::one_edit_apart(full.as_bytes(), n.full.as_bytes())
                    || text::one_edit_apart(bare.as_bytes(), n.bare.as_bytes())
            })
            .map(|n| Hit::new(n.target, MatchedBy::NearSpelling, n.former))
            .collect();
        (hits, Vec::new(), false)
    }

    /// The places of a name with its namesakes when one of them, by its own current name, has
    /// more inhabitants than every place of that name: people shorten a large town's name, and
    /// the small namesake alone was an answer 206 km away (`"Sotteville"`, Manche, for
    /// Sotteville-lès-Rouen). A former commune's name does not count (its commune's
    /// inhabitants are not its own), but is offered with the others. With no place of the
    /// name left (an address narrowed them), the namesakes are the answer.
    fn with_namesakes(&self, mut hits: Vec<Hit>, namesakes: Vec<Hit>) -> Vec<Hit> {
        let largest = hits.iter().map(|h| self.target_population(h.target)).max();
        let offered = match largest {
            None => true,
            Some(largest) => namesakes
                .iter()
                .any(|h| h.former.is_none() && self.target_population(h.target) > largest),
        };
        if offered {
            hits.extend(namesakes);
        }
        hits
    }
}

/// A commune written as in a postal address or a spreadsheet: its name with a postal code
/// before or after it (`"14000 Caen"`, `"Caen, 14000"`), a département code in parentheses
/// after it (`"Caen (14)"`), or `CEDEX` and its office number (`"14050 Caen Cedex 4"`, whose
/// postal code is the post office's, not the commune's, so it does not narrow). Its article
/// may come after it in parentheses, as registers sort names (`"Havre (Le)"`, `"Aigle (L')"`).
struct Address<'a> {
    name: String,
    postal_code: Option<&'a str>,
    departement: Option<&'a str>,
}

impl<'a> Address<'a> {
    fn parse(text: &'a str) -> Option<Address<'a>> {
        let mut words: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        let mut departement = None;
        if let Some(code) = words
            .last()
            .and_then(|w| w.strip_prefix('(')?.strip_suffix(')'))
            .filter(|code| is_departement_code(code))
        {
            departement = Some(code);
            words.pop();
        }
        // "Havre (Le)": the article goes back before the name.
        let article = words
            .last()
            .and_then(|w| w.strip_prefix('(')?.strip_suffix(')'))
            .filter(|a| {
                ["le", "la", "les", "l'", "l\u{2019}"]
                    .iter()
                    .any(|x| a.eq_ignore_ascii_case(x))
            });
        if article.is_some() {
            words.pop();
        }
        let mut cedex = false;
        if let Some(i) = words.iter().position(|w| w.eq_ignore_ascii_case("cedex")) {
            let office = |w: &&str| w.len() <= 3 && w.bytes().all(|b| b.is_ascii_digit());
            if words
                .get(i + 1..)
                .is_some_and(|rest| rest.len() <= 1 && rest.iter().all(office))
            {
                cedex = true;
                words.truncate(i);
            }
        }
        let postal = |w: &&str| w.len() == 5 && w.bytes().all(|b| b.is_ascii_digit());
        let mut postal_code = None;
        if words.first().is_some_and(postal) {
            postal_code = Some(words.remove(0));
        } else if words.last().is_some_and(postal) {
            postal_code = words.pop();
        }
        if cedex {
            postal_code = None;
        } else if postal_code.is_none() && departement.is_none() && article.is_none() {
            return None;
        }
        if words.is_empty() {
            return None;
        }
        let name = article
            .into_iter()
            .chain(words)
            .collect::<Vec<_>>()
            .join(" ");
        (!name.is_empty()).then_some(Address {
            name,
            postal_code,
            departement,
        })
    }
}

/// `reason`, and for four digits the zero a spreadsheet drops from a code it read as a number
/// ("1053" for 01053).
fn dropped_zero(reason: &str, code: &str) -> String {
    if code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()) {
        format!(
            "{reason}; a spreadsheet drops the leading zero of a code read as a number: \
             {code} may be 0{code} (store codes as text)"
        )
    } else {
        reason.to_string()
    }
}

fn is_departement_code(s: &str) -> bool {
    let b = s.as_bytes();
    match b.len() {
        2 => {
            b.iter().all(u8::is_ascii_digit)
                || s.eq_ignore_ascii_case("2a")
                || s.eq_ignore_ascii_case("2b")
        }
        3 => b.iter().all(u8::is_ascii_digit) && b[0] == b'9' && b[1] == b'7',
        _ => false,
    }
}

/// A number written with one decimal comma and digits on both sides (`"-0,37"`).
fn decimal_comma(t: &str) -> Option<f64> {
    let (whole, fraction) = t.split_once(',')?;
    let digits = whole.strip_prefix(['-', '+']).unwrap_or(whole);
    let all_digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(digits) || !all_digits(fraction) {
        return None;
    }
    format!("{whole}.{fraction}").parse().ok()
}

/// What a point in no commune read the other way round is in, for an error's reason.
pub(crate) fn swapped_reason(lat: f64, lon: f64, c: &crate::geo::Commune) -> String {
    format!(
        "read the other way round (lat {lon}, lon {lat}) it is in {} ({}): latitude and \
         longitude look swapped (GeoJSON writes [lon, lat])",
        c.name, c.insee
    )
}

/// `"49.18, -0.37"` (a decimal point or a sign tells it from two codes), or with decimal
/// commas as French writes them, the two numbers apart by a space or a semicolon
/// (`"49,18 -0,37"`, `"49,18; -0,37"`).
pub(crate) fn parse_lat_lon(s: &str) -> Option<(f64, f64)> {
    let halves: Vec<&str> = s
        .split(|c: char| c == ';' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    if let [a, b] = halves.as_slice() {
        if let (Some(a), Some(b)) = (decimal_comma(a), decimal_comma(b)) {
            return Some((a, b));
        }
    }
    let parts: Vec<&str> = s
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [a, b]
            if a.contains('.') || b.contains('.') || a.starts_with('-') || b.starts_with('-') =>
        {
            Some((a.parse().ok()?, b.parse().ok()?))
        }
        _ => None,
    }
}
