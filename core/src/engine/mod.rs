//! The `Engine`: the referential, the geography, the school calendar and a catalogue, with the
//! operations every binding exposes.
//!
//! ```
//! let engine = metiers::Engine::normandy().unwrap();
//! let counters = engine.counters();
//! assert_eq!(counters.total.companies, 1128);
//! ```

// Counters add up catalogue sizes (at most u32::MAX rows each) in u64.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

mod options;
mod search;
mod snapshot;

use crate::calendar::SchoolCalendar;
use crate::catalog::sample::{self, SampleSpec};
use crate::catalog::{
    Ambassador, AmbassadorKind, Catalog, Company, Entity, LoadMode, LoadReport, Stage, Validator,
};
use crate::error::{Error, Result};
use crate::geo::{Geography, PlaceRef};
use crate::rank::CatalogIndex;
use crate::referential::Referential;
pub use options::{
    batch_queries, BatchOptions, Defaults, Format, LoadOptions, OnBatchError, Region, SearchKind,
    Table, DEFAULT_RESERVE_COUNT, DEFAULT_TITLE_LIMIT,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// The matching engine and its catalogue.
#[derive(Debug, Clone)]
pub struct Engine {
    /// `"normandy"`, `"france"` or `"custom"`: which embedded geography, for rebuilding.
    region: Region,
    rome: Arc<Referential>,
    geo: Arc<Geography>,
    calendar: Option<SchoolCalendar>,
    catalog: Catalog,
    /// What searches scan, built on the first search after a change.
    index: OnceLock<CatalogIndex>,
}

/// Counts for one area, like a portal's home page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Counts {
    /// Companies engaged.
    pub companies: usize,
    /// Ambassadeurs métier (professionals).
    pub ambassadeurs_metier: usize,
    /// Ambassadeurs formation (students).
    pub ambassadeurs_formation: usize,
    /// Stage offers.
    pub stages: usize,
    /// Stage places still open.
    pub places_left: u64,
}

/// Counts in total and per département (by the place of each company, ambassador, stage).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Counters {
    /// Whole catalogue.
    pub total: Counts,
    /// Per département code, in code order.
    pub by_departement: BTreeMap<String, Counts>,
}

impl Engine {
    /// ROME 4.60, the communes of Normandy, the zone B 2026-2027 calendar and the embedded
    /// sample catalogue (fictitious, Destination Métier's 2023 counts). No file, no network.
    #[cfg(feature = "embedded")]
    pub fn normandy() -> Result<Engine> {
        let mut engine = Engine::empty(Region::Normandy)?;
        engine.catalog = sample::generate(
            &engine.rome,
            &engine.geo,
            engine.calendar.as_ref(),
            &SampleSpec::normandy(),
        )?;
        Ok(engine)
    }

    /// An engine on an embedded region with an empty catalogue, for a portal's own data:
    /// Normandy (its communes and the zone B 2026-2027 calendar) or France (all communes, no
    /// holiday calendar: regions are in different zones; feature `france`).
    ///
    /// ```
    /// let e = metiers::Engine::empty(metiers::Region::Normandy).unwrap();
    /// assert!(e.catalog().is_empty());
    /// ```
    #[cfg(feature = "embedded")]
    pub fn empty(region: Region) -> Result<Engine> {
        let geo = match region {
            Region::Normandy => Geography::normandy()?,
            #[cfg(feature = "france")]
            Region::France => Geography::france()?,
            other => {
                return Err(Error::invalid(
                    "region",
                    other.as_str(),
                    if cfg!(feature = "france") {
                        "expected normandy or france"
                    } else {
                        "expected normandy (this build has no france data: feature `france`)"
                    },
                ))
            }
        };
        Engine::on_region(Referential::embedded()?, geo, region)
    }

    /// An engine with an empty catalogue on data given as bytes: the ROME referential and the
    /// communes in the compact form of `core/data/rome.bin` and `core/data/normandy.bin` (or
    /// `france.bin`). This is how a build without the `embedded` feature (the browser package's
    /// light build) gets its referential: the page fetches the two files with its own code.
    /// `region` is Normandy (adds the zone B 2026-2027 calendar) or France.
    ///
    /// ```
    /// use metiers::Region;
    /// let rome = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/rome.bin")).unwrap();
    /// let communes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/normandy.bin")).unwrap();
    /// let e = metiers::Engine::from_data(&rome, &communes, Region::Normandy).unwrap();
    /// assert_eq!(e.commune("61169").unwrap().name, "Flers");
    /// assert!(e.catalog().is_empty());
    /// let err = metiers::Engine::from_data(b"not postcard", &communes, Region::Normandy).unwrap_err();
    /// assert_eq!(err.code(), "data_error");
    /// ```
    pub fn from_data(rome: &[u8], communes: &[u8], region: Region) -> Result<Engine> {
        if region == Region::Custom {
            return Err(Error::invalid(
                "region",
                region.as_str(),
                "expected normandy or france",
            ));
        }
        let rome = Referential::from_bytes(rome)?;
        let geo = Geography::from_bytes(communes)?;
        Engine::on_region(Arc::new(rome), Arc::new(geo), region)
    }

    /// The region's settings: Normandy is in zone B.
    fn on_region(rome: Arc<Referential>, geo: Arc<Geography>, region: Region) -> Result<Engine> {
        let calendar = match region {
            Region::Normandy => Some(SchoolCalendar::zone_b_2026_2027()?),
            _ => None,
        };
        let mut engine = Engine::new(rome, geo).with_calendar(calendar);
        engine.region = region;
        Ok(engine)
    }

    /// The region this engine was made on ([`Region::Custom`] for [`Engine::new`]).
    pub fn region(&self) -> Region {
        self.region
    }

    /// An engine with an empty catalogue and no school calendar.
    pub fn new(rome: Arc<Referential>, geo: Arc<Geography>) -> Engine {
        Engine {
            region: Region::Custom,
            rome,
            geo,
            calendar: None,
            catalog: Catalog::new(),
            index: OnceLock::new(),
        }
    }

    /// Sets the school calendar mini-stages are checked against (`None`: no holiday check).
    #[must_use]
    pub fn with_calendar(mut self, calendar: Option<SchoolCalendar>) -> Engine {
        self.calendar = calendar;
        self
    }

    /// Replaces the catalogue by a generated sample (see [`SampleSpec`]).
    pub fn with_sample(mut self, spec: &SampleSpec) -> Result<Engine> {
        let sample = sample::generate(&self.rome, &self.geo, self.calendar.as_ref(), spec)?;
        *self.catalog_mut() = sample;
        Ok(self)
    }

    /// Empties the catalogue (to load a portal's own data instead of the sample).
    pub fn clear_catalog(&mut self) {
        *self.catalog_mut() = Catalog::new();
    }

    /// The search index, built on first use after a change.
    fn index(&self) -> &CatalogIndex {
        self.index
            .get_or_init(|| CatalogIndex::build(&self.rome, &self.catalog))
    }

    /// Builds the search index now rather than on the first search.
    pub fn prepare_search(&self) {
        self.rome.prepare_search();
        self.index();
    }

    /// A number that changes with every change of the catalogue, reservations included: a
    /// cache key for a portal, and how a change made meanwhile is told apart.
    pub fn revision(&self) -> u64 {
        self.catalog.revision()
    }

    /// The catalogue, for a change: the one way to change it (reservations aside, which update
    /// the index in place); the index is rebuilt on the next search.
    fn catalog_mut(&mut self) -> &mut Catalog {
        self.index = OnceLock::new();
        &mut self.catalog
    }

    /// The ROME referential.
    pub fn referential(&self) -> &Arc<Referential> {
        &self.rome
    }

    /// The geography.
    pub fn geography(&self) -> &Arc<Geography> {
        &self.geo
    }

    /// The school calendar, if any.
    pub fn calendar(&self) -> Option<&SchoolCalendar> {
        self.calendar.as_ref()
    }

    /// The catalogue.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    fn validator(&self) -> Validator<'_> {
        Validator {
            rome: &self.rome,
            geo: &self.geo,
            calendar: self.calendar.as_ref(),
        }
    }

    /// Adds a company (`conflict` if the id exists).
    pub fn add_company(&mut self, company: Company) -> Result<()> {
        let c = self.validator().company(company)?;
        self.catalog_mut().insert_company(c, false)
    }

    /// Replaces a company (`not_found` if the id does not exist).
    pub fn replace_company(&mut self, company: Company) -> Result<()> {
        let c = self.validator().company(company)?;
        self.catalog_mut().insert_company(c, true)
    }

    /// Adds an ambassador.
    pub fn add_ambassador(&mut self, ambassador: Ambassador) -> Result<()> {
        let a = self
            .validator()
            .ambassador(ambassador, |id| self.catalog.company(id).ok())?;
        self.catalog_mut().insert_ambassador(a, false)
    }

    /// Replaces an ambassador.
    pub fn replace_ambassador(&mut self, ambassador: Ambassador) -> Result<()> {
        let a = self
            .validator()
            .ambassador(ambassador, |id| self.catalog.company(id).ok())?;
        self.catalog_mut().insert_ambassador(a, true)
    }

    /// Adds a stage.
    pub fn add_stage(&mut self, stage: Stage) -> Result<()> {
        let s = self
            .validator()
            .stage(stage, |id| self.catalog.company(id).ok())?;
        self.catalog_mut().insert_stage(s, false)
    }

    /// Replaces a stage.
    pub fn replace_stage(&mut self, stage: Stage) -> Result<()> {
        let s = self
            .validator()
            .stage(stage, |id| self.catalog.company(id).ok())?;
        self.catalog_mut().insert_stage(s, true)
    }

    /// Removes a company (refused while stages or ambassadors name it).
    pub fn remove_company(&mut self, id: &str) -> Result<Company> {
        self.catalog_mut().remove_company(id)
    }

    /// Removes an ambassador.
    pub fn remove_ambassador(&mut self, id: &str) -> Result<Ambassador> {
        self.catalog_mut().remove_ambassador(id)
    }

    /// Removes a stage.
    pub fn remove_stage(&mut self, id: &str) -> Result<Stage> {
        self.catalog_mut().remove_stage(id)
    }

    /// Takes places of a stage (1 when `None`); returns the places left. `conflict` when fewer
    /// are left, `not_found` for an unknown stage, `invalid_input` for 0.
    pub fn reserve(&mut self, stage_id: &str, count: impl Into<Option<u32>>) -> Result<u32> {
        let count = count.into().unwrap_or(DEFAULT_RESERVE_COUNT);
        let left = self.catalog.reserve(stage_id, count)?;
        if let Some(index) = self.index.get_mut() {
            index.set_places_left(stage_id, left);
        }
        Ok(left)
    }

    /// Gives places back (1 when `None`); returns the places left. `conflict` beyond the
    /// places offered, `not_found` for an unknown stage.
    pub fn release(&mut self, stage_id: &str, count: impl Into<Option<u32>>) -> Result<u32> {
        let count = count.into().unwrap_or(DEFAULT_RESERVE_COUNT);
        let left = self.catalog.release(stage_id, count)?;
        if let Some(index) = self.index.get_mut() {
            index.set_places_left(stage_id, left);
        }
        Ok(left)
    }

    /// Loads a JSON document `{"companies": [...], "ambassadors": [...], "stages": [...]}`.
    pub fn load_json(&mut self, source: &str, bytes: &[u8], mode: LoadMode) -> Result<LoadReport> {
        let items = crate::catalog::load::json_items(source, bytes)?;
        self.apply(source, items, mode, Vec::new())
    }

    /// Loads JSON lines: one object of `entity` per line.
    pub fn load_jsonl(
        &mut self,
        entity: Entity,
        source: &str,
        bytes: &[u8],
        mode: LoadMode,
    ) -> Result<LoadReport> {
        let items = crate::catalog::load::jsonl_items(entity, source, bytes)?;
        self.apply(source, items, mode, Vec::new())
    }

    /// Loads a CSV file of one entity (columns in the README).
    pub fn load_csv(
        &mut self,
        entity: Entity,
        source: &str,
        reader: impl std::io::Read,
        mode: LoadMode,
    ) -> Result<LoadReport> {
        let mut warnings = Vec::new();
        let items = crate::catalog::load::csv_items(entity, source, reader, &mut warnings)?;
        self.apply(source, items, mode, warnings)
    }

    fn apply(
        &mut self,
        source: &str,
        items: Vec<crate::catalog::load::Item>,
        mode: LoadMode,
        warnings: Vec<String>,
    ) -> Result<LoadReport> {
        let validator = Validator {
            rome: &self.rome,
            geo: &self.geo,
            calendar: self.calendar.as_ref(),
        };
        // The catalogue changes (disjoint from the validator's borrows, so not catalog_mut).
        self.index = OnceLock::new();
        crate::catalog::load::apply(&mut self.catalog, &validator, source, items, mode, warnings)
    }

    /// Job-title search (see [`Referential::search`]).
    /// At most `limit` hits (10 when `None`); `invalid_input` for empty text (field `text`).
    pub fn search_metiers(
        &self,
        text: &str,
        limit: impl Into<Option<usize>>,
    ) -> Result<Vec<crate::MetierHit>> {
        self.rome
            .search(text, limit.into().unwrap_or(DEFAULT_TITLE_LIMIT))
    }

    /// A métier by ROME code.
    pub fn metier(&self, code: &str) -> Result<&crate::Metier> {
        self.rome.metier(code)
    }

    /// A company of the catalogue by id (a stage result names its company by id).
    ///
    /// ```
    /// let e = metiers::Engine::normandy().unwrap();
    /// let stage = e.catalog().stages().next().unwrap();
    /// assert_eq!(e.company(&stage.company).unwrap().id, stage.company);
    /// assert_eq!(e.company("nope").unwrap_err().code(), "not_found");
    /// ```
    pub fn company(&self, id: &str) -> Result<&Company> {
        self.catalog.company(id)
    }

    /// An ambassador of the catalogue by id.
    pub fn ambassador(&self, id: &str) -> Result<&crate::Ambassador> {
        self.catalog.ambassador(id)
    }

    /// A stage of the catalogue by id.
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
    /// [`Geography::locate`]). Several places are a list here, not an error.
    pub fn locate(&self, place: impl Into<PlaceRef>) -> Result<Vec<crate::Place>> {
        self.geo.locate(place)
    }

    /// The one place a text or a typed key stands for, or `ambiguous_place` with the candidates
    /// (see [`Geography::resolve_at`]).
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
        serde_json::json!({
            "companies": self.catalog.companies().collect::<Vec<_>>(),
            "ambassadors": self.catalog.ambassadors().collect::<Vec<_>>(),
            "stages": self.catalog.stages().collect::<Vec<_>>(),
        })
        .to_string()
    }

    /// Counts in total and per département.
    pub fn counters(&self) -> Counters {
        let mut out = Counters::default();
        let dep = |d: Option<&String>| d.cloned().unwrap_or_else(|| "inconnu".to_string());
        for c in self.catalog.companies() {
            out.total.companies += 1;
            out.by_departement
                .entry(dep(c.place.departement.as_ref()))
                .or_default()
                .companies += 1;
        }
        for a in self.catalog.ambassadors() {
            let d = out
                .by_departement
                .entry(dep(a.place.as_ref().and_then(|p| p.departement.as_ref())))
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
                .entry(dep(s.place.as_ref().and_then(|p| p.departement.as_ref())))
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
            .filter(|s| s.place.as_ref().and_then(|p| p.departement.as_ref()) == Some(&code))
            .map(|s| s.company.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut companies: Vec<&Company> = ids
            .into_iter()
            .filter_map(|id| self.catalog.company(id).ok())
            .collect();
        companies.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        Ok(companies)
    }
}
