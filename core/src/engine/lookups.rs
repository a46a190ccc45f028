//! Reading the engine: job titles, métiers, catalogue items and communes by key, places,
//! distances, the catalogue as JSON, and the counters a portal's home page shows.

// Counters add up catalogue sizes (at most u32::MAX rows each) in u64.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::Table;
use super::{Counters, Engine};
use crate::catalog::{AmbassadorKind, Company};
use crate::error::{Error, Result};
use crate::geo::PlaceRef;
use crate::sorting::Sort;
use std::sync::Arc;

impl Engine {
    /// Job-title search (see [`crate::Referential::search_metiers`]).
    /// At most `limit` hits (10 when `None`); `invalid_input` for empty text (field `text`).
    pub fn search_metiers(
        &self,
        text: &str,
        limit: impl Into<Option<usize>>,
    ) -> Result<Vec<crate::MetierHit>> {
        self.rome.search_metiers(text, limit)
    }

    /// A métier by ROME code: `invalid_input` for a malformed code (`H29O3`), `not_found`
    /// for a well-formed unknown one.
    pub fn metier(&self, code: &str) -> Result<&crate::Metier> {
        self.rome.metier(code)
    }

    /// A company of the catalogue by id (a stage result names its company by id).
    ///
    /// ```
    /// let e = metiers::Engine::normandy().unwrap();
    /// let stage = e.catalog().stages().next().unwrap();
    /// assert_eq!(e.company(&stage.company).unwrap().id, &*stage.company);
    /// assert_eq!(e.company("nope").unwrap_err().code(), "not_found");
    /// ```
    pub fn company(&self, id: &str) -> Result<&Company> {
        self.catalog.company(id)
    }

    /// An ambassador of the catalogue by id (`not_found` for an unknown id).
    pub fn ambassador(&self, id: &str) -> Result<&crate::Ambassador> {
        self.catalog.ambassador(id)
    }

    /// A stage of the catalogue by id (`not_found` for an unknown id).
    pub fn stage(&self, id: &str) -> Result<&crate::Stage> {
        self.catalog.stage(id)
    }

    /// A commune by INSEE code (a result's place names its commune by code).
    ///
    /// ```
    /// let e = metiers::Engine::normandy().unwrap();
    /// assert_eq!(e.commune("61169").unwrap().name, "Flers");
    /// assert_eq!(e.commune("6116").unwrap_err().code(), "invalid_input");
    /// ```
    pub fn commune(&self, insee: &str) -> Result<&crate::Commune> {
        self.geo.commune(insee)
    }

    /// Places a text (or a typed key) may stand for, best first: suggestions to list (see
    /// [`crate::Geography::locate`]). Several places are a list here, not an error; nothing
    /// is `not_found`, malformed input (a point out of range) `invalid_input`.
    pub fn locate(&self, place: impl Into<PlaceRef>) -> Result<Vec<crate::Place>> {
        self.geo.locate(place)
    }

    /// The one place a text or a typed key stands for, or `ambiguous_place` with the candidates
    /// (see [`crate::Geography::resolve_at`]).
    ///
    /// ```
    /// let e = metiers::Engine::normandy().unwrap();
    /// assert_eq!(e.resolve("Rouen").unwrap().code.as_deref(), Some("76540"));
    /// assert_eq!(e.resolve("Cuverville").unwrap_err().code(), "ambiguous_place");
    /// ```
    pub fn resolve(&self, place: impl Into<PlaceRef>) -> Result<crate::Place> {
        self.geo.resolve(&place.into())
    }

    /// Great-circle distance in km between two places (communes, arrondissements or points),
    /// each resolved as a query's `near` is: an ambiguous one is `ambiguous_place` (field `from`
    /// or `to`), a département `invalid_input` (an area has no centre to measure from).
    ///
    /// ```
    /// let e = metiers::Engine::normandy().unwrap();
    /// assert_eq!(e.distance_km("Caen", "Rouen").unwrap().round(), 110.0);
    /// let rouen = metiers::PlaceRef::insee("76540");
    /// assert_eq!(e.distance_km("Caen", rouen).unwrap().round(), 110.0);
    /// ```
    pub fn distance_km(&self, from: impl Into<PlaceRef>, to: impl Into<PlaceRef>) -> Result<f64> {
        let point = |place: PlaceRef, field: &str| {
            let p = self.geo.resolve_at(&place, field)?;
            if p.kind == crate::PlaceKind::Departement {
                return Err(Error::invalid(
                    field,
                    place.shown(),
                    format!(
                        "{} is a département: an area has no centre to measure a distance from; give a commune or a point",
                        p.name
                    ),
                ));
            }
            Ok(p)
        };
        let (a, b) = (point(from.into(), "from")?, point(to.into(), "to")?);
        Ok(a.distance_km(&b))
    }

    /// The catalogue as the JSON document [`Engine::load_json`] reads back.
    ///
    /// ```
    /// let e = metiers::Engine::normandy().unwrap();
    /// let mut copy = e.clone();
    /// copy.clear_catalog();
    /// copy.load_json("copy", e.export_json().as_bytes(), metiers::LoadMode::Strict).unwrap();
    /// assert_eq!(copy.counters(), e.counters());
    /// ```
    pub fn export_json(&self) -> String {
        // Serialising to memory fails for no input: keys are strings, numbers that are not
        // finite are written null.
        serde_json::to_string(&self.export()).unwrap_or_default()
    }

    /// [`Engine::export_json`] written to `out` as it is serialised: no copy of the document
    /// (nor of the catalogue) is held in memory, whatever the catalogue's size. `out` is best
    /// buffered (a `BufWriter` around a file); [`Engine::export_json_to`] writes a file. A
    /// writer that fails is `data_error` (source `<writer>`).
    ///
    /// ```
    /// let e = metiers::Engine::normandy().unwrap();
    /// let mut out = Vec::new();
    /// e.write_json(&mut out).unwrap();
    /// assert_eq!(out, e.export_json().into_bytes());
    /// ```
    pub fn write_json(&self, out: impl std::io::Write) -> Result<()> {
        serde_json::to_writer(out, &self.export())
            .map_err(|e| Error::unreadable("<writer>", format!("cannot write the catalogue: {e}")))
    }

    /// [`Engine::write_json`] into the file at `path` (created, or emptied first). A file that
    /// cannot be created or written is `data_error`, naming the path.
    pub fn export_json_to(&self, path: &std::path::Path) -> Result<()> {
        let shown = path.display().to_string();
        let unwritable = |e: &dyn std::fmt::Display| {
            Error::unreadable(shown.clone(), format!("cannot write the file: {e}"))
        };
        let file = std::fs::File::create(path).map_err(|e| unwritable(&e))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        serde_json::to_writer(&mut out, &self.export()).map_err(|e| unwritable(&e))?;
        std::io::Write::flush(&mut out).map_err(|e| unwritable(&e))
    }

    /// The exported document, serialised item by item from the catalogue.
    fn export(&self) -> Export<'_> {
        Export(&self.catalog)
    }

    /// Counts in total and per département.
    pub fn counters(&self) -> Counters {
        let mut out = Counters::default();
        let dep = |d: Option<&str>| d.unwrap_or("inconnu").to_string();
        for c in self.catalog.companies() {
            out.total.companies += 1;
            out.by_departement
                .entry(dep(c.place.departement.as_deref()))
                .or_default()
                .companies += 1;
        }
        for a in self.catalog.ambassadors() {
            let d = out
                .by_departement
                .entry(dep(a.place.as_ref().and_then(|p| p.departement.as_deref())))
                .or_default();
            match a.kind {
                AmbassadorKind::Metier => {
                    out.total.ambassadeurs_metier += 1;
                    d.ambassadeurs_metier += 1;
                }
                AmbassadorKind::Formation => {
                    out.total.ambassadeurs_formation += 1;
                    d.ambassadeurs_formation += 1;
                }
            }
        }
        for s in self.catalog.stages() {
            let d = out
                .by_departement
                .entry(dep(s.place.as_ref().and_then(|p| p.departement.as_deref())))
                .or_default();
            out.total.stages += 1;
            d.stages += 1;
            out.total.places_left += u64::from(s.places_left());
            d.places_left += u64::from(s.places_left());
        }
        out
    }

    /// Companies with at least one stage in a département (`"Orne"` or `"61"`), by name.
    /// The portal's "Orne" search.
    pub fn companies_with_stages_in(&self, departement: &str) -> Result<Vec<&Company>> {
        let code = self.geo.departement(departement)?.code.clone();
        let mut ids: Vec<&str> = self
            .catalog
            .stages()
            .filter(|s| {
                s.place.as_ref().and_then(|p| p.departement.as_deref()) == Some(code.as_str())
            })
            .map(|s| &*s.company)
            .collect();
        ids.unstable();
        ids.dedup();
        let mut companies: Vec<&Company> = ids
            .into_iter()
            .filter_map(|id| self.catalog.company(id).ok())
            .collect();
        companies.stable_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        Ok(companies)
    }

    /// A table's rows, each serialised as the item it is, its fields in their order (a JSON
    /// list; `Engine.table("communes")` in Python gives a frame). The rows are shared with the
    /// engine, not copied: the referential and the communes by their `Arc`, the catalogue's
    /// ambassadors and stages by theirs (its companies are copied).
    pub fn table(&self, table: Table) -> Result<TableRows> {
        let (rome, geo, c) = (&self.rome, &self.geo, &self.catalog);
        Ok(TableRows(match table {
            Table::Metiers => Rows::Metiers(Arc::clone(rome)),
            Table::Appellations => Rows::Appellations(Arc::clone(rome)),
            Table::Interests => Rows::Interests(Arc::clone(rome)),
            Table::Domaines => Rows::Domaines(Arc::clone(rome)),
            Table::Communes => Rows::Communes(Arc::clone(geo)),
            Table::Departements => Rows::Departements(Arc::clone(geo)),
            Table::Companies => Rows::Companies(c.companies().cloned().collect()),
            Table::Ambassadors => Rows::Ambassadors(c.shared_ambassadors().cloned().collect()),
            Table::Stages => Rows::Stages(c.shared_stages().cloned().collect()),
        }))
    }
}

/// The rows of a table ([`Engine::table`]): it serialises as a list of the table's items, each
/// as the item is (a commune's fields in the order [`Engine::commune`] gives them).
#[derive(Debug, Clone)]
pub struct TableRows(Rows);

/// A table: what holds its rows.
#[derive(Debug, Clone)]
enum Rows {
    Metiers(Arc<crate::Referential>),
    Appellations(Arc<crate::Referential>),
    Interests(Arc<crate::Referential>),
    Domaines(Arc<crate::Referential>),
    Communes(Arc<crate::Geography>),
    Departements(Arc<crate::Geography>),
    Companies(Vec<Company>),
    Ambassadors(Vec<Arc<crate::Ambassador>>),
    Stages(Vec<Arc<crate::Stage>>),
}

/// `$then` on the table's rows as a slice (`$rows`), whichever table it is.
macro_rules! on_rows {
    ($table:expr, $rows:ident => $then:expr) => {
        on_rows!(@each $table, $rows => $then;
            Metiers(r) => r.metiers(),
            Appellations(r) => r.appellations(),
            Interests(r) => r.interests(),
            Domaines(r) => r.domaines(),
            Communes(g) => g.communes(),
            Departements(g) => g.departements(),
            Companies(r) => r.as_slice(),
            Ambassadors(r) => r.as_slice(),
            Stages(r) => r.as_slice())
    };
    (@each $table:expr, $rows:ident => $then:expr; $($variant:ident($x:ident) => $slice:expr),*) => {
        match $table {
            $(Rows::$variant($x) => {
                let $rows = $slice;
                $then
            })*
        }
    };
}

impl TableRows {
    /// How many rows.
    pub fn len(&self) -> usize {
        on_rows!(&self.0, rows => rows.len())
    }

    /// True when the table has no row.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl serde::Serialize for TableRows {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        on_rows!(&self.0, rows => rows.serialize(s))
    }
}

/// The document [`Engine::export_json`] writes: the catalogue's three lists under their names,
/// in the order the document has always had (keys sorted), each serialised item by item.
struct Export<'a>(&'a crate::catalog::Catalog);

impl serde::Serialize for Export<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("ambassadors", &Seq(|| self.0.ambassadors()))?;
        map.serialize_entry("companies", &Seq(|| self.0.companies()))?;
        map.serialize_entry("stages", &Seq(|| self.0.stages()))?;
        map.end()
    }
}

/// A list serialised from an iterator, without collecting it.
struct Seq<F>(F);

impl<F, I> serde::Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: serde::Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}
