//! # metiers
//!
//! Career-discovery matching for French regions: ROME **métiers**, **ambassadors** and
//! **stages**, ranked for a young person, a job seeker or a teacher by interest, sector and
//! distance. This crate holds all the logic; the Python, Node and browser packages are thin
//! bindings over it.
//!
//! The README's five lines:
//!
//! ```
//! use metiers::{Engine, Query};
//! let engine = Engine::normandy()?;   // ROME 4.60, 2,651 communes, a fictitious sample catalogue
//! let query = Query::near("Flers").radius(30.0).interest("J'aime le travail manuel");
//! for m in engine.search_stages(&query)?.matches { println!("{:.3} {} — {}", m.score, m.id, m.reasons.join(" · ")); }
//! println!("{:.1} km", engine.distance_km("Flers", "Caen")?); // 51.5
//! # assert_eq!(format!("{:.1}", engine.distance_km("Flers", "Caen")?), "51.5");
//! # Ok::<(), metiers::Error>(())
//! ```
//!
//! ## Features
//!
//! - `embedded` (default): ROME 4.60 and the communes of Normandy compiled in
//!   ([`Engine::normandy`], [`Engine::empty`]); without it, [`Engine::from_data`] takes them as
//!   bytes.
//! - `france` (off): also the 34,935 communes of France (2.3 MB), [`Region::France`].
//! - `contours` (default): the commune contours of Normandy, so an exact position is placed in the
//!   commune that contains it.
//! - `rome-texts` (default): the métiers' texts (definition, accès au métier) compiled in.
//! - `title-index` (default): the job-title index of ROME 4.60 compiled in, prebuilt (1.1 MB):
//!   the first [`Referential::search`] reads it in 2 ms instead of building it in 10.
//! - `parallel` (default): batch searches on rayon's thread pool.
//! - `schema` (off): TypeScript and JSON Schema derives for `tools/gen-types`.
//!
//! ## Untrusted input
//!
//! Every input (queries, catalogue files, places, snapshots) gives a right answer or an
//! [`Error`] with a stable [`ErrorCode`]; nothing panics (fuzz targets and property tests hold
//! it). An ambiguous place is an `ambiguous_place` error listing the candidates, never a guess.
//!
//! Data: ROME 4.60 (France Travail) and the Code officiel géographique 2024 (INSEE), both under
//! the Licence Ouverte / Etalab 2.0; see the NOTICE file.

// No input may reach a panic: indexing, string slicing and arithmetic that can overflow are
// denied in this crate. Each `allow` names why its spot cannot be reached by input (indices a
// structure builds for itself, bounded counts); the fuzz targets and property tests hold it.
#![deny(
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::arithmetic_side_effects
)]

// Each concept is a module; the public surface is re-exported here. `geo` (places), `input`
// (the reading rules the bindings share) and `wording` (the French words) are namespaces of
// their own.
pub mod analytics;
pub mod assign;
mod calendar;
mod catalog;
mod engine;
pub mod error;
pub mod geo;
pub mod input;
pub mod output;
mod rank;
mod referential;
pub mod schools;
mod sorting;
mod tabular;
pub mod text;
pub mod wording;

pub use assign::{AssignRequest, CohortSpec, Placement, Priorities, Profile, Pupil};
pub use calendar::{Date, Holiday, Period, SchoolCalendar};
pub use catalog::{
    check_siret, csv_columns, Ambassador, AmbassadorKind, Audience, Booked, Catalog, Company,
    Contact, ContactMode, Entity, Full, LoadMode, LoadReport, Location, SampleSpec, SizeBand,
    Stage, StageKind,
};
pub use engine::{
    batch_items, batch_queries, check_batch_len, BatchOptions, BatchPage, ContactBooking, Counters,
    Counts, Defaults, Engine, Format, LoadOptions, OnBatchError, Region, SearchKind, Table,
    TableRows, MAX_BATCH,
};
pub use error::{DataLocation, Error, ErrorCode, ErrorInfo, Lookup, Result};
pub use geo::{
    distance_km, Arrondissement, Commune, CommuneDeleguee, Departement, Geography, MatchedBy,
    Place, PlaceKind, PlaceRef,
};
pub use rank::{
    parallel, set_parallel, CompanySummary, Components, Fairness, Match, MetierNearby, MetierPage,
    NextStep, Query, Reason, ReasonKind, Scope, SearchResult, Weights,
};
pub use referential::{
    check_rome_code, Appellation, Domaine, DomaineLevel, Interest, InterestLink, Metier, MetierHit,
    Mobilite, Referential, SectorPath,
};

/// The constants of the ranking formula (`docs/ranking.md`), the distance decay and the
/// query's defaults and bounds.
pub mod scoring {
    pub use crate::rank::{
        distance_decay, DEFAULT_LIMIT, DEFAULT_RADIUS_KM, DEFAULT_ROTATION_MARGIN, INTEREST_OTHER,
        INTEREST_PRINCIPAL, MAX_LIMIT, MAX_RADIUS_KM, MOBILITE_FIRST, MOBILITE_FLOOR,
        MOBILITE_STEP, SAME_DOMAINE, SAME_FICHE, SAME_GRAND_DOMAINE, SAME_METIER, SECTOR_PARTIAL,
    };
}
pub use tabular::{Cell, Encoding};
pub use wording::Labels;
