//! French communes, their arrondissements and former communes, and départements (Code officiel
//! géographique 2024): resolving a place the way people write it ([`PlaceRef`]) and great-circle
//! distances.
//!
//! A place is exact or a choice: a typed key (`{"insee": "76540"}`) means exactly that key; free
//! text that could mean several places is an [`Error::AmbiguousPlace`] listing them.
//!
//! ```
//! use metiers::geo::PlaceRef;
//! let geo = metiers::Geography::normandy().unwrap();
//! let caen = geo.resolve(&"caen".into()).unwrap();
//! let rouen = geo.resolve(&PlaceRef::insee("76540")).unwrap();
//! assert_eq!(caen.distance_km(&rouen).round(), 110.0);
//! // "76540" alone is Rouen's INSEE code and another commune's postal code: a choice.
//! assert_eq!(geo.resolve(&"76540".into()).unwrap_err().code(), "ambiguous_place");
//! ```

mod answer;
#[cfg(feature = "contours")]
pub mod contours;
mod distance;
mod index;
mod locate;
mod model;
mod place;
mod read;
#[cfg(feature = "schema")]
mod schema;
mod wire;

use crate::sorting::Sort;
pub use distance::{distance_km, Radians, EARTH_RADIUS_KM};
pub(crate) use locate::{swapped_reason, Candidates};
pub use locate::{MAX_CANDIDATES, MAX_LOCATED};
pub use model::{Arrondissement, Commune, CommuneDeleguee, Departement, FormerKind};
pub use place::{MatchedBy, Place, PlaceKind, PlaceRef};
pub use read::GeoSources;

use crate::error::{Error, Result};
use crate::text;
use serde::{Deserialize, Serialize};
#[cfg(feature = "embedded")]
use std::sync::{Arc, OnceLock};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct GeoTables {
    communes: Vec<Commune>,
    departements: Vec<Departement>,
    deleguees: Vec<CommuneDeleguee>,
    arrondissements: Vec<Arrondissement>,
}

/// Communes, arrondissements, former communes and départements with their lookup indices.
#[derive(Debug)]
pub struct Geography {
    tables: GeoTables,
    index: index::Index,
}

#[cfg(feature = "embedded")]
const NORMANDY: &[u8] = include_bytes!("../../data/normandy.bin");
#[cfg(feature = "france")]
const FRANCE: &[u8] = include_bytes!("../../data/france.bin");

/// Normalises a name the way people type it: no case, accents, punctuation or leading article;
/// "st"/"ste" stand for "saint"/"sainte". Lookups compare names with their article first
/// ("Les Ifs" is not "Ifs") and fall back on this key when the text has no exact match.
///
/// ```
/// use metiers::geo::name_key;
/// assert_eq!(name_key("Le Havre"), name_key("havre"));
/// assert_eq!(name_key("St-Lô"), name_key("Saint-Lô"));
/// assert_eq!(name_key("L'Aigle"), "aigle");
/// ```
pub fn name_key(name: &str) -> String {
    let full = full_key(name);
    strip_article(&full).to_string()
}

/// [`name_key`] with the article kept.
pub(crate) fn full_key(name: &str) -> String {
    let folded = text::fold(name);
    let words: Vec<&str> = text::words(&folded)
        .map(|w| match w {
            "st" => "saint",
            "ste" => "sainte",
            other => other,
        })
        .collect();
    words.join(" ")
}

fn strip_article(key: &str) -> &str {
    for article in ["le ", "la ", "les ", "l "] {
        if let Some(rest) = key.strip_prefix(article) {
            if !rest.is_empty() {
                return rest;
            }
        }
    }
    key
}

impl Geography {
    /// The 2,651 communes and 5 départements of Normandy, embedded (feature `embedded`).
    #[cfg(feature = "embedded")]
    pub fn normandy() -> Result<Arc<Geography>> {
        static CELL: OnceLock<Arc<Geography>> = OnceLock::new();
        cached(&CELL, NORMANDY)
    }

    /// All 34,935 communes of France (and the arrondissements of Paris, Lyon and Marseille),
    /// 101 départements, embedded (feature `france`).
    #[cfg(feature = "france")]
    pub fn france() -> Result<Arc<Geography>> {
        static CELL: OnceLock<Arc<Geography>> = OnceLock::new();
        cached(&CELL, FRANCE)
    }

    /// Decodes the compact form written by [`Geography::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Geography> {
        let mut tables = wire::decode(bytes)?;
        tables.communes.stable_by(|a, b| a.insee.cmp(&b.insee));
        check_tables(&tables)?;
        Ok(Geography::indexed(tables))
    }

    /// The compact form: the communes by columns, positions as hundred-thousandths of a
    /// degree (`core/src/geo/wire.rs`), in postcard.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        wire::encode(&self.tables)
    }

    fn indexed(mut tables: GeoTables) -> Geography {
        tables.communes.stable_by(|a, b| a.insee.cmp(&b.insee));
        tables
            .arrondissements
            .stable_by(|a, b| a.insee.cmp(&b.insee));
        let index = index::Index::build(&tables);
        Geography { tables, index }
    }

    /// All communes, sorted by INSEE code.
    pub fn communes(&self) -> &[Commune] {
        &self.tables.communes
    }

    /// All départements, sorted by code.
    pub fn departements(&self) -> &[Departement] {
        &self.tables.departements
    }

    /// The arrondissements municipaux (Paris, Lyon, Marseille) of the loaded communes.
    pub fn arrondissements(&self) -> &[Arrondissement] {
        &self.tables.arrondissements
    }

    /// The former communes (déléguées and associées) of the loaded communes.
    pub fn former_communes(&self) -> &[CommuneDeleguee] {
        &self.tables.deleguees
    }

    /// Communes whose source data has no position: they are never placed at (0, 0); locating
    /// one is an error that says so.
    pub fn communes_without_position(&self) -> Vec<&Commune> {
        self.tables
            .communes
            .iter()
            .filter(|c| c.lat.is_none() || c.lon.is_none())
            .collect()
    }

    /// A commune by INSEE code.
    pub fn commune(&self, insee: &str) -> Result<&Commune> {
        // As a typed `{"insee": …}` reads it: any case, spaces around ("2a004" is 2A004).
        let key = text::code_key(insee);
        check_insee_shape("insee", &key).map_err(|e| e.with_value(insee))?;
        self.commune_index(&key)
            .and_then(|i| self.tables.communes.get(i))
            .ok_or_else(|| Error::not_found(crate::error::Lookup::Commune, insee))
    }

    fn commune_index(&self, insee: &str) -> Option<usize> {
        self.tables
            .communes
            .binary_search_by(|c| (*c.insee).cmp(insee))
            .ok()
    }

    /// The communes a postal code serves, most populous first.
    pub fn communes_with_postal_code(&self, postal_code: &str) -> Vec<&Commune> {
        self.index
            .communes_with_postal(&self.tables, postal_code)
            .into_iter()
            .filter_map(|i| self.tables.communes.get(i))
            .collect()
    }

    /// The commune whose centre is nearest to a point, if that point lies within the commune's
    /// [`Commune::reach_km`] (communes without position skipped). Near a border the nearest
    /// centre may be the neighbour's: give the commune when it is known.
    pub fn nearest_commune(&self, lat: f64, lon: f64) -> Option<&Commune> {
        self.index
            .nearest(&self.tables, lat, lon)
            .and_then(|i| self.tables.communes.get(i))
            .filter(|c| {
                c.centre()
                    .is_some_and(|centre| distance_km((lat, lon), centre) <= c.reach_km())
            })
    }

    /// The commune whose contour contains a point (feature `contours`: the communes of
    /// Normandy); `None` outside every contour or without the feature.
    pub fn commune_containing(&self, lat: f64, lon: f64) -> Option<&Commune> {
        #[cfg(feature = "contours")]
        {
            let insee = contours::Contours::normandy().ok()?.commune_at(lat, lon)?;
            self.commune(insee).ok()
        }
        #[cfg(not(feature = "contours"))]
        {
            let _ = (lat, lon);
            None
        }
    }

    /// The commune a point is in: the one whose contour contains it, else (outside the
    /// contours known, or without them) the commune with the nearest centre within its reach.
    pub fn commune_at_point(&self, lat: f64, lon: f64) -> Option<&Commune> {
        self.commune_containing(lat, lon)
            .or_else(|| self.nearest_commune(lat, lon))
    }

    /// The commune a point in no commune would be in read the other way round, latitude for
    /// longitude: the sign that they were swapped, as `GeoJSON`'s `[lon, lat]` order makes easy
    /// (Caen's centre as `-0.37, 49.18` is at sea off Somalia). `None` for a point in a
    /// commune, or in none either way.
    pub(crate) fn swapped_commune(&self, lat: f64, lon: f64) -> Option<&Commune> {
        if self.commune_at_point(lat, lon).is_some() {
            return None;
        }
        Place::check_point(lon, lat).ok()?;
        self.commune_at_point(lon, lat)
    }

    /// A département by code (`"61"`) or name (`"Orne"`, any case or accents).
    pub fn departement(&self, code_or_name: &str) -> Result<&Departement> {
        let q = code_or_name.trim();
        if let Some(d) = self
            .tables
            .departements
            .iter()
            .find(|d| d.code.eq_ignore_ascii_case(q))
        {
            return Ok(d);
        }
        let key = name_key(q);
        self.tables
            .departements
            .iter()
            .find(|d| name_key(&d.name) == key)
            .ok_or_else(|| Error::not_found(crate::error::Lookup::Departement, code_or_name))
    }
}

/// What decoded bytes must hold, as the CSV reader ensures: codes of the right shape, each
/// commune once, positions finite and in range, areas finite.
fn check_tables(t: &GeoTables) -> Result<()> {
    let bad = |field: &str, value: &str, reason: &str| Error::Data {
        location: Box::new(crate::error::DataLocation {
            source: "communes".into(),
            line: None,
            row: None,
            field: Some(field.to_string()),
            value: Some(crate::error::bounded(value)),
        }),
        reason: reason.to_string(),
    };
    let point = |field: &str, code: &str, lat: f64, lon: f64| {
        Place::check_point(lat, lon).map_err(|e| bad(field, code, &e.to_string()))
    };
    for c in &t.communes {
        check_insee_shape("insee", &c.insee).map_err(|e| bad("insee", &c.insee, &e.to_string()))?;
        match (c.lat, c.lon) {
            (Some(lat), Some(lon)) => point("lat", &c.insee, lat, lon)?,
            (None, None) => {}
            _ => return Err(bad("lat", &c.insee, "lat and lon go together")),
        }
        if c.area_km2.is_some_and(|a| !a.is_finite() || a < 0.0) {
            return Err(bad(
                "area_km2",
                &c.insee,
                "an area is a finite number, 0 or more",
            ));
        }
    }
    if let Some([w, _]) = t
        .communes
        .windows(2)
        .find(|w| matches!(w, [a, b] if a.insee == b.insee))
    {
        return Err(bad("insee", &w.insee, "duplicate INSEE code"));
    }
    for d in &t.departements {
        point("lat", &d.code, d.lat, d.lon)?;
    }
    for a in &t.arrondissements {
        check_insee_shape("insee", &a.insee).map_err(|e| bad("insee", &a.insee, &e.to_string()))?;
        point("lat", &a.insee, a.lat, a.lon)?;
    }
    for f in &t.deleguees {
        check_insee_shape("insee", &f.insee).map_err(|e| bad("insee", &f.insee, &e.to_string()))?;
    }
    Ok(())
}

/// An INSEE code has five letters or digits (`"14118"`, `"2A004"`).
fn check_insee_shape(field: &str, insee: &str) -> Result<()> {
    let b = insee.as_bytes();
    if b.len() == 5 && b.iter().all(u8::is_ascii_alphanumeric) {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            insee,
            "an INSEE code has five characters, like 14118",
        ))
    }
}

#[cfg(feature = "embedded")]
fn cached(cell: &'static OnceLock<Arc<Geography>>, bytes: &[u8]) -> Result<Arc<Geography>> {
    if let Some(g) = cell.get() {
        return Ok(g.clone());
    }
    let g = Arc::new(Geography::from_bytes(bytes).map_err(Error::embedded_defect)?);
    Ok(cell.get_or_init(|| g).clone())
}
