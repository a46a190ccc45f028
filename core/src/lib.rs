//! # metiers
//!
//! Career-discovery matching for French regions: ROME **métiers**, **ambassadors** and
//! **stages**, ranked for a young person, a job seeker or a teacher by interest, sector and
//! distance. This crate holds all the logic; the Python, Node and browser packages are thin
//! bindings over it.
//!
//! ```
//! use metiers::{Geography, Referential};
//!
//! let rome = Referential::embedded()?;
//! let geo = Geography::normandy()?;
//! let hit = &rome.search("fraiseur", 3)?[0];
//! let flers = &geo.locate("Flers")?[0];
//! let caen = &geo.locate("Caen")?[0];
//! println!("{} ({}) — Flers–Caen {:.0} km", hit.matched_title, hit.code, flers.distance_km(caen));
//! # Ok::<(), metiers::Error>(())
//! ```
//!
//! Data: ROME 4.60 (France Travail) and the Code officiel géographique 2024 (INSEE), both under
//! the Licence Ouverte / Etalab 2.0; see the NOTICE file.

pub mod calendar;
pub mod catalog;
pub mod date;
pub mod engine;
pub mod error;
pub mod geo;
pub mod rank;
pub mod referential;
pub mod sample;
pub mod search;
pub mod tabular;
pub mod text;

pub use calendar::SchoolCalendar;
pub use catalog::{
    Ambassador, AmbassadorKind, Audience, Catalog, Company, Contact, ContactMode, Entity, LoadMode,
    LoadReport, Location, SizeBand, Stage, StageKind,
};
pub use date::{Date, Period};
pub use engine::{Counters, Counts, Engine};
pub use error::{DataLocation, Error, Result};
pub use geo::{distance_km, Commune, Departement, Geography, Place, PlaceKind};
pub use rank::{
    CompanySummary, Components, Fairness, Match, MetierNearby, MetierPage, Near, NextStep, Query,
    Scope, SearchResult, Weights,
};
pub use referential::{
    Appellation, Domaine, DomaineLevel, Interest, InterestLink, Metier, Mobilite, Referential,
    SectorPath,
};
pub use sample::SampleSpec;
pub use search::MetierHit;
