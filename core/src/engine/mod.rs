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

mod changes;
mod contacts;
mod lookups;
pub use lookups::TableRows;
mod options;
mod search;
mod snapshot;

use crate::calendar::SchoolCalendar;
use crate::catalog::sample::{self, SampleSpec};
use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::geo::Geography;
use crate::rank::CatalogIndex;
use crate::referential::Referential;
pub use contacts::ContactBooking;
pub use options::{
    batch_items, batch_queries, check_batch_len, BatchOptions, BatchPage, Defaults, Format,
    LoadOptions, OnBatchError, Region, SearchKind, Table, DEFAULT_RESERVE_COUNT,
    DEFAULT_TITLE_LIMIT, MAX_BATCH,
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
    pub(crate) fn index(&self) -> &CatalogIndex {
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

    /// Gives the métiers their texts (definition, accès au métier) from `rome-texts.bin`, for an
    /// engine made without them: the browser module's, or [`Engine::from_data`] on `rome.bin`.
    /// An engine that has them already gets them again, checked the same way. A `data_error`
    /// for bytes that are not the texts of this engine's referential (see
    /// [`Referential::with_texts`]); the engine is unchanged then. Searches are not affected.
    pub fn load_rome_texts(&mut self, bytes: &[u8]) -> Result<()> {
        self.rome = Arc::new(self.rome.with_texts(bytes)?);
        Ok(())
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
}
