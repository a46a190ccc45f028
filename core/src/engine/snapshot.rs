//! A faithful copy of an engine as bytes: what Python's pickle, a worker process or a cache
//! stores, and [`Engine::restore`] reads back to the same engine (same referential, geography,
//! calendar and catalogue, reservations included).
//!
//! The bytes are `METIERS` and a format version, then (postcard) the region, the referential
//! and the geography when they are not the embedded ones of the region, the calendar, and the
//! catalogue as the JSON document [`Engine::export_json`] writes.

use super::{Engine, Region};
use crate::calendar::SchoolCalendar;
use crate::catalog::LoadMode;
use crate::error::{Error, Result};
use crate::geo::Geography;
use crate::referential::Referential;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

const MAGIC: &[u8; 8] = b"METIERS\x01";

#[derive(Serialize, Deserialize)]
struct Snapshot {
    region: Region,
    /// `None`: the embedded referential.
    rome: Option<Vec<u8>>,
    /// `None`: the embedded geography of the region.
    geo: Option<Vec<u8>>,
    calendar: Option<SchoolCalendar>,
    catalog: String,
}

#[cfg(feature = "embedded")]
fn embedded_parts(region: Region) -> (Option<Arc<Referential>>, Option<Arc<Geography>>) {
    let geo = match region {
        Region::Normandy => Geography::normandy().ok(),
        #[cfg(feature = "france")]
        Region::France => Geography::france().ok(),
        _ => None,
    };
    (Referential::embedded().ok(), geo)
}

#[cfg(not(feature = "embedded"))]
fn embedded_parts(_: Region) -> (Option<Arc<Referential>>, Option<Arc<Geography>>) {
    (None, None)
}

fn unreadable(reason: impl std::fmt::Display) -> Error {
    Error::unreadable("<snapshot>", format!("not a metiers snapshot: {reason}"))
}

impl Engine {
    /// The engine as bytes, for [`Engine::restore`].
    ///
    /// ```
    /// let mut e = metiers::Engine::normandy().unwrap();
    /// let stage = e.catalog().stages().next().unwrap().id.clone();
    /// e.reserve(&stage, 1).unwrap();
    /// let copy = metiers::Engine::restore(&e.snapshot().unwrap()).unwrap();
    /// assert_eq!(copy.export_json(), e.export_json());
    /// assert_eq!(copy.region(), e.region());
    /// ```
    pub fn snapshot(&self) -> Result<Vec<u8>> {
        let (rome, geo) = embedded_parts(self.region);
        let same = |a: Option<&Arc<Referential>>| a.is_some_and(|a| Arc::ptr_eq(a, &self.rome));
        let same_geo = |a: Option<&Arc<Geography>>| a.is_some_and(|a| Arc::ptr_eq(a, &self.geo));
        let snapshot = Snapshot {
            region: self.region,
            rome: if same(rome.as_ref()) {
                None
            } else {
                Some(self.rome.to_bytes()?)
            },
            geo: if same_geo(geo.as_ref()) {
                None
            } else {
                Some(self.geo.to_bytes()?)
            },
            calendar: self.calendar.clone(),
            catalog: self.export_json(),
        };
        let mut out = MAGIC.to_vec();
        out.extend(postcard::to_allocvec(&snapshot).map_err(|e| Error::Internal(e.to_string()))?);
        Ok(out)
    }

    /// The engine [`Engine::snapshot`] wrote; `data_error` (source `<snapshot>`) for bytes that
    /// are not a snapshot of this format.
    pub fn restore(bytes: &[u8]) -> Result<Engine> {
        let body = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or_else(|| unreadable("it does not start with the snapshot header"))?;
        let snapshot: Snapshot = crate::input::postcard_exact(body).map_err(unreadable)?;
        let (rome, geo) = embedded_parts(snapshot.region);
        let rome = match (snapshot.rome, rome) {
            (Some(bytes), _) => Arc::new(Referential::from_bytes(&bytes)?),
            (None, Some(embedded)) => embedded,
            (None, None) => return Err(unreadable("it needs the embedded referential")),
        };
        let geo = match (snapshot.geo, geo) {
            (Some(bytes), _) => Arc::new(Geography::from_bytes(&bytes)?),
            (None, Some(embedded)) => embedded,
            (None, None) => return Err(unreadable("it needs an embedded geography")),
        };
        let mut engine = Engine::new(rome, geo).with_calendar(snapshot.calendar);
        engine.region = snapshot.region;
        engine.load_json("<snapshot>", snapshot.catalog.as_bytes(), LoadMode::Strict)?;
        Ok(engine)
    }
}
