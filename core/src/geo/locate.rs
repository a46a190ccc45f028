//! Resolving a [`PlaceRef`]: exact, or a choice.
//!
//! Free text is tried, in order, as a point (`"49.18, -0.37"`), a code (INSEE, postal,
//! département), then a name in four tiers: the name with its article, the name without it, the
//! beginning of names, names one typo away. The first tier that matches decides: one place is
//! the answer (a typo never is: it is offered as a choice); several places are an
//! [`Error::AmbiguousPlace`] with every candidate and what matched.

// The place index reads the geography's tables by the positions it stored when it was built;
// tables decoded from bytes are checked first (`check_tables`). Caller text reaches it only
// through sorted-key searches (`partition_point`) and iterators.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::place::{MatchedBy, Place, PlaceKind, PlaceRef};
use super::{check_insee_shape, distance_km, full_key, strip_article, GeoTables, Geography};
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

/// What a name or a code points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Commune(u32),
    Arrondissement(u32),
    Departement(u32),
}

/// A name people type: the official one, a former commune's, or a short form.
#[derive(Debug)]
struct Name {
    full: String,
    bare: String,
    target: Target,
    /// The former commune (index in `deleguees`) this name is of.
    former: Option<u32>,
}

/// Lookup indices over the tables, rebuilt on load (never serialised).
#[derive(Debug, Default)]
pub(super) struct Index {
    names: Vec<Name>,
    /// Indices into `names`, sorted by `full`, then by `bare`.
    by_full: Vec<u32>,
    by_bare: Vec<u32>,
    /// (postal code, target), sorted.
    postal: Vec<(String, Target)>,
    /// (own INSEE code, former commune index), for former communes with a code of their own.
    former_insee: Vec<(String, u32)>,
    /// Communes and population of each département (parallel to `departements`).
    departement_communes: Vec<(u32, u32)>,
    /// Communes with a position, sorted by latitude: (lat, commune index).
    by_lat: Vec<(f64, u32)>,
}

/// A candidate before it becomes a [`Place`].
struct Hit {
    target: Target,
    by: MatchedBy,
    former: Option<u32>,
}

impl Hit {
    fn new(target: Target, by: MatchedBy, former: Option<u32>) -> Hit {
        Hit { target, by, former }
    }
}

impl Index {
    pub(super) fn build(t: &GeoTables) -> Index {
        let mut ix = Index::default();
        let mut name = |text: &str, target: Target, former: Option<u32>| {
            let full = full_key(text);
            let bare = strip_article(&full).to_string();
            ix.names.push(Name {
                full,
                bare,
                target,
                former,
            });
        };
        for (i, c) in t.communes.iter().enumerate() {
            name(&c.name, Target::Commune(i as u32), None);
        }
        for (i, d) in t.deleguees.iter().enumerate() {
            if let Ok(p) = t
                .communes
                .binary_search_by(|c| c.insee.as_str().cmp(&d.parent_insee))
            {
                name(&d.name, Target::Commune(p as u32), Some(i as u32));
            }
        }
        for (i, a) in t.arrondissements.iter().enumerate() {
            name(&a.name, Target::Arrondissement(i as u32), None);
            // "Paris 15e", "Lyon 3e", "Marseille 1er": the name without its last word.
            if let Some(short) = a.name.strip_suffix(" Arrondissement") {
                name(short, Target::Arrondissement(i as u32), None);
            }
        }
        for (i, d) in t.departements.iter().enumerate() {
            name(&d.name, Target::Departement(i as u32), None);
        }
        ix.by_full = (0..ix.names.len() as u32).collect();
        ix.by_full
            .sort_by(|&a, &b| ix.names[a as usize].full.cmp(&ix.names[b as usize].full));
        ix.by_bare.clone_from(&ix.by_full);
        ix.by_bare
            .sort_by(|&a, &b| ix.names[a as usize].bare.cmp(&ix.names[b as usize].bare));
        for (i, c) in t.communes.iter().enumerate() {
            for p in &c.postal_codes {
                ix.postal.push((p.clone(), Target::Commune(i as u32)));
            }
        }
        for (i, a) in t.arrondissements.iter().enumerate() {
            for p in &a.postal_codes {
                ix.postal
                    .push((p.clone(), Target::Arrondissement(i as u32)));
            }
        }
        ix.postal.sort();
        ix.postal.dedup();
        for (i, d) in t.deleguees.iter().enumerate() {
            if d.insee != d.parent_insee {
                ix.former_insee.push((d.insee.clone(), i as u32));
            }
        }
        ix.former_insee.sort();
        // One pass over the communes, then one look-up per département.
        let mut per_code: std::collections::HashMap<&str, (u32, u32)> =
            std::collections::HashMap::new();
        for c in &t.communes {
            let e = per_code.entry(c.departement.as_str()).or_insert((0, 0));
            *e = (e.0.saturating_add(1), e.1.saturating_add(c.population));
        }
        ix.departement_communes = t
            .departements
            .iter()
            .map(|d| per_code.get(d.code.as_str()).copied().unwrap_or((0, 0)))
            .collect();
        ix.by_lat = t
            .communes
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((c.lat?, i as u32)).filter(|_| c.lon.is_some()))
            .collect();
        ix.by_lat
            .sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        ix
    }

    /// Communes and arrondissements' cities a postal code serves (indices into `communes`).
    pub(super) fn communes_with_postal(&self, t: &GeoTables, code: &str) -> Vec<usize> {
        let from = self.postal.partition_point(|(p, _)| p.as_str() < code);
        let mut out: Vec<usize> = self.postal[from..]
            .iter()
            .take_while(|(p, _)| p == code)
            .filter_map(|(_, target)| match target {
                Target::Commune(i) => Some(*i as usize),
                _ => None,
            })
            .collect();
        out.sort_by(|&a, &b| {
            let (ca, cb) = (&t.communes[a], &t.communes[b]);
            cb.population
                .cmp(&ca.population)
                .then(ca.insee.cmp(&cb.insee))
        });
        out
    }

    /// The commune whose centre is nearest to a point, scanning outwards in latitude.
    pub(super) fn nearest(&self, t: &GeoTables, lat: f64, lon: f64) -> Option<usize> {
        let start = self.by_lat.partition_point(|(l, _)| *l < lat);
        let mut best: Option<(f64, u32)> = None;
        let mut consider = |k: usize| -> bool {
            let Some(&(clat, i)) = self.by_lat.get(k) else {
                return false;
            };
            // One degree of latitude is at least 111 km: farther in latitude alone is farther.
            let lower_bound = (clat - lat).abs() * 111.0;
            if best.is_some_and(|(d, _)| lower_bound > d) {
                return false;
            }
            let c = &t.communes[i as usize];
            if let Some(centre) = c.centre() {
                let d = distance_km((lat, lon), centre);
                if best.is_none_or(|(bd, bi)| d.total_cmp(&bd).then(i.cmp(&bi)).is_lt()) {
                    best = Some((d, i));
                }
            }
            true
        };
        let mut up = start;
        while consider(up) {
            up += 1;
        }
        let mut down = start;
        while down > 0 && consider(down - 1) {
            down -= 1;
        }
        best.map(|(_, i)| i as usize)
    }
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
                let code = code.trim().to_ascii_uppercase();
                check_insee_shape(field, &code)?;
                self.insee_hits(&code)
            }
            PlaceRef::PostalCode(code) => {
                let code = code.trim();
                if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(Error::invalid(
                        field,
                        code,
                        "a postal code has five digits, like 14000",
                    ));
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
    fn point(&self, lat: f64, lon: f64) -> Result<(Vec<Place>, bool, usize)> {
        let mut p = Place::point(lat, lon)?;
        if let Some(c) = self.commune_containing(lat, lon) {
            p.commune = Some(c.insee.clone());
            p.departement = Some(c.departement.clone());
            p.matched = format!("point exact, commune {}", c.name);
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
            return Err(Error::invalid(
                field,
                text,
                "a code is an INSEE or postal code (5 characters) or a département (2 or 3)",
            ));
        }
        Ok(self.name_hits(q))
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
                Target::Commune(i) => {
                    !cities.contains(&self.tables.communes[*i as usize].insee.as_str())
                }
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

    /// The first name tier that matches; whether its answer may be taken without asking.
    fn name_hits(&self, text: &str) -> (Vec<Hit>, bool) {
        let full = full_key(text);
        if full.is_empty() {
            return (Vec::new(), true);
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
        let exact = collect(&ix.by_full, &|n| &n.full, &full, false);
        if !exact.is_empty() {
            let hits = exact
                .into_iter()
                .map(|n| Hit::new(n.target, by(n, MatchedBy::Name), n.former))
                .collect();
            return (hits, true);
        }
        let without_article = collect(&ix.by_bare, &|n| &n.bare, &bare, false);
        if !without_article.is_empty() {
            let hits = without_article
                .into_iter()
                .map(|n| Hit::new(n.target, by(n, MatchedBy::NameWithoutArticle), n.former))
                .collect();
            return (hits, true);
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
            return (hits, whole_words && full.len() >= MIN_PREFIX);
        }
        if full.len() < MIN_TYPO || full.len() > 200 {
            return (Vec::new(), true);
        }
        let hits = ix
            .names
            .iter()
            .filter(|n| {
                text::bounded_distance(full.as_bytes(), n.full.as_bytes(), 1).is_some()
                    || text::bounded_distance(bare.as_bytes(), n.bare.as_bytes(), 1).is_some()
            })
            .map(|n| Hit::new(n.target, MatchedBy::NearSpelling, n.former))
            .collect();
        (hits, false)
    }

    /// Hits as places: one per target (its best match), a département left out when its only
    /// commune is also a candidate (Paris), most populous first.
    fn places(
        &self,
        hits: Vec<Hit>,
        decided: bool,
        shown: &str,
        code: &str,
    ) -> Result<(Vec<Place>, bool, usize)> {
        let mut hits = hits;
        // Per target, its own name before a former commune's; INSEE before postal code.
        hits.sort_by_key(|h| (h.former.is_some(), h.by));
        let mut seen = std::collections::BTreeSet::new();
        let kept: Vec<Hit> = hits.into_iter().filter(|h| seen.insert(h.target)).collect();
        let departement_is_commune = |i: u32| {
            let code = &self.tables.departements[i as usize].code;
            self.index.departement_communes[i as usize].0 == 1
                && kept.iter().any(|k| match k.target {
                    Target::Commune(c) => self.tables.communes[c as usize].departement == *code,
                    _ => false,
                })
        };
        let keep: Vec<bool> = kept
            .iter()
            .map(|k| !matches!(k.target, Target::Departement(i) if departement_is_commune(i)))
            .collect();
        let mut unplaced = Vec::new();
        let mut places = Vec::new();
        for (h, _) in kept.iter().zip(keep).filter(|(_, k)| *k) {
            match self.place_of(h, code) {
                Some(p) => places.push(p),
                None => {
                    if let Target::Commune(i) = h.target {
                        let c = &self.tables.communes[i as usize];
                        unplaced.push(format!("{} ({})", c.name, c.insee));
                    }
                }
            }
        }
        if places.is_empty() {
            return Err(Self::not_found(shown, &unplaced));
        }
        places.sort_by(|a, b| {
            b.population
                .cmp(&a.population)
                .then(a.kind.cmp(&b.kind))
                .then(a.code.cmp(&b.code))
        });
        let total = places.len();
        Ok((places, decided && total == 1, total))
    }

    fn not_found(shown: &str, unplaced: &[String]) -> Error {
        Error::NotFound {
            kind: crate::error::Lookup::Place,
            value: shown.into(),
            hint: Some(if unplaced.is_empty() {
                "no commune, postal code or département of this name in the loaded geography".into()
            } else {
                format!(
                    "{} has no coordinates in the Code officiel géographique data",
                    unplaced.join(", ")
                )
            }),
        }
    }

    /// `code` is the code typed, for a postal code's description.
    fn place_of(&self, h: &Hit, code: &str) -> Option<Place> {
        let former = h.former.map(|f| &self.tables.deleguees[f as usize]);
        match h.target {
            Target::Commune(i) => {
                let c = &self.tables.communes[i as usize];
                let (lat, lon) = c.centre()?;
                let matched = match (h.by, former) {
                    (MatchedBy::FormerInsee, Some(f)) => {
                        format!("code INSEE {} de l'ancienne commune {}", f.insee, f.name)
                    }
                    (_, Some(f)) => format!(
                        "commune {} {}",
                        match f.kind {
                            super::FormerKind::Deleguee => "déléguée",
                            super::FormerKind::Associee => "associée",
                        },
                        f.name
                    ),
                    (by, None) => describe(by, &c.insee, code),
                };
                Some(Place {
                    kind: PlaceKind::Commune,
                    code: Some(c.insee.clone()),
                    name: c.name.clone(),
                    commune: Some(c.insee.clone()),
                    departement: Some(c.departement.clone()),
                    lat,
                    lon,
                    population: Some(c.population),
                    matched_by: h.by,
                    matched,
                })
            }
            Target::Arrondissement(i) => {
                let a = &self.tables.arrondissements[i as usize];
                let departement = self
                    .commune_index(&a.commune)
                    .map(|c| self.tables.communes[c].departement.clone());
                Some(Place {
                    kind: PlaceKind::Arrondissement,
                    code: Some(a.insee.clone()),
                    name: a.name.clone(),
                    commune: Some(a.commune.clone()),
                    departement,
                    lat: a.lat,
                    lon: a.lon,
                    population: Some(a.population),
                    matched_by: h.by,
                    matched: describe(h.by, &a.insee, code),
                })
            }
            Target::Departement(i) => Some(self.departement_place(
                &self.tables.departements[i as usize],
                h.by == MatchedBy::DepartementCode,
            )),
        }
    }

    pub(crate) fn departement_place(&self, d: &super::Departement, by_code: bool) -> Place {
        let population = self
            .tables
            .departements
            .iter()
            .position(|x| x.code == d.code)
            .map(|i| self.index.departement_communes[i].1);
        Place {
            kind: PlaceKind::Departement,
            code: Some(d.code.clone()),
            name: d.name.clone(),
            commune: None,
            departement: Some(d.code.clone()),
            lat: d.lat,
            lon: d.lon,
            population,
            matched_by: if by_code {
                MatchedBy::DepartementCode
            } else {
                MatchedBy::DepartementName
            },
            matched: if by_code {
                "code de département".into()
            } else {
                "nom de département".into()
            },
        }
    }
}

/// The French words for how a commune or an arrondissement matched.
fn describe(by: MatchedBy, insee: &str, postal_code: &str) -> String {
    match by {
        MatchedBy::Name => "nom".into(),
        MatchedBy::NameWithoutArticle => "nom sans l'article".into(),
        MatchedBy::NamePrefix => "début du nom".into(),
        MatchedBy::NearSpelling => "orthographe proche".into(),
        MatchedBy::Insee => format!("code INSEE {insee}"),
        MatchedBy::PostalCode => format!("code postal {postal_code}"),
        MatchedBy::FormerCommune | MatchedBy::FormerInsee => "ancienne commune".into(),
        MatchedBy::DepartementCode => "code de département".into(),
        MatchedBy::DepartementName => "nom de département".into(),
        MatchedBy::Point => "point exact".into(),
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

/// `"49.18, -0.37"` (a decimal point or a sign tells it from two codes).
pub(crate) fn parse_lat_lon(s: &str) -> Option<(f64, f64)> {
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
