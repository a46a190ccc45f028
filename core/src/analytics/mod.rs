//! Territory analytics: which communes and collèges lack stages or ambassadors, by sector.
//!
//! - [`Engine::coverage`]: from every origin (communes, schools or points), within one or
//!   several radii, the stages with a place left, their places, the companies and the
//!   ambassadors (by contact mode) of each sector, and the distance to the nearest stage of the
//!   sector; summaries per département, white zones counted with the weight they hold.
//! - [`Engine::white_zones`]: the surface of the territory farther than a radius from every
//!   stage of a sector, in km², with its contour (feature `contours`).
//! - [`Engine::supply_demand`]: each collège's 3e pupils against the places within its reach
//!   on its weeks, per school, per éducation prioritaire status and per IPS band.
//!
//! ```
//! use metiers::analytics::CoverageRequest;
//! let engine = metiers::Engine::normandy().unwrap();
//! let request = CoverageRequest { radii_km: vec![15.0], sectors: vec!["H".into()], ..Default::default() };
//! let coverage = engine.coverage(&request).unwrap();
//! assert_eq!(coverage.rows.len(), 2651); // one row per commune
//! let white = coverage.rows.iter().filter(|r| r.is_white()).count();
//! assert!(white > 0 && white < 2651);
//! ```

// Rows are assembled from the accumulators `scan` lays out, by indices below their lengths.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

mod arrays;
mod demand;
mod model;
mod read;
mod scan;
mod sectors;
#[cfg(feature = "contours")]
mod zones;

use crate::sorting::Sort;
pub use arrays::CoverageArrays;
pub use model::{
    Coverage, CoverageOrigin, CoverageRequest, CoverageRow, CoverageSummary, DemandGroup,
    DemandRequest, OriginKind, OriginPoint, SchoolDemand, SectorLabel, SectorLevel, SupplyDemand,
    WhiteZone, WhiteZoneRequest, WhiteZones,
};
pub use scan::{MAX_COVERAGE_RADIUS_KM, MAX_RADII};

/// Most rows one coverage may have (France's 34,935 communes × 14 grands domaines × 8 radii
/// fit); a larger request is `invalid_input` rather than gigabytes of rows.
pub const MAX_ROWS: usize = 5_000_000;

use crate::error::{Error, Result};
use crate::Engine;
use scan::{check_radii, Buckets, Facet, Offers, Sectors};
use std::sync::Arc;

type Origin = CoverageOrigin;

/// Rounds to `digits` decimals, so every platform prints the same figures.
pub(crate) fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// A point given by a caller, checked and named (`points[3].lat`).
pub(crate) fn checked_point(lat: f64, lon: f64, field: &str) -> Result<()> {
    crate::Place::point(lat, lon)
        .map(|_| ())
        .map_err(|e| e.in_field(field))
}

impl Engine {
    /// The origins of a coverage request, checked.
    fn origins(&self, request: &CoverageRequest) -> Result<(Vec<Origin>, &'static str)> {
        let mut out = Vec::new();
        let weight = match request.origins {
            OriginKind::Communes => {
                for c in self.geography().communes() {
                    if let (Some(lat), Some(lon)) = (c.lat, c.lon) {
                        out.push(Origin {
                            id: c.insee.to_string(),
                            name: c.name.clone(),
                            departement: Some(c.departement.to_string()),
                            lat,
                            lon,
                            weight: Some(c.pop_15_64),
                        });
                    }
                }
                "pop_15_64"
            }
            OriginKind::Schools => {
                let list = demand::schools_of(request.schools.as_deref(), "schools")?;
                for s in list
                    .iter()
                    .filter(|s| request.school_kind.is_none_or(|k| k == s.kind))
                {
                    out.push(Origin {
                        id: s.uai.clone(),
                        name: s.name.clone(),
                        departement: s.departement.clone(),
                        lat: s.lat,
                        lon: s.lon,
                        weight: s.pupils,
                    });
                }
                "pupils"
            }
            OriginKind::Points => {
                if request.points.is_empty() {
                    return Err(Error::invalid(
                        "points",
                        "[]",
                        "origins \"points\" needs a list of points ({id, lat, lon})",
                    ));
                }
                for (i, p) in request.points.iter().enumerate() {
                    let field = format!("points[{i}]");
                    crate::catalog::check_id(&format!("{field}.id"), &p.id)?;
                    checked_point(p.lat, p.lon, &field)?;
                    if out.iter().any(|o: &Origin| o.id == p.id) {
                        return Err(Error::invalid(format!("{field}.id"), &p.id, "given twice"));
                    }
                    out.push(Origin {
                        id: p.id.clone(),
                        name: p.name.clone().unwrap_or_else(|| p.id.clone()),
                        departement: None,
                        lat: p.lat,
                        lon: p.lon,
                        weight: p.weight,
                    });
                }
                "weight"
            }
            OriginKind::H3 => {
                out = h3_origins(request.h3_resolution.unwrap_or(7))?;
                "weight"
            }
        };
        if request.origins != OriginKind::H3 && request.h3_resolution.is_some() {
            return Err(Error::invalid(
                "h3_resolution",
                request.h3_resolution.unwrap_or_default().to_string(),
                "h3_resolution goes with origins \"h3\"",
            ));
        }
        if request.origins != OriginKind::Schools
            && (request.schools.is_some() || request.school_kind.is_some())
        {
            return Err(Error::invalid(
                "schools",
                "given",
                "schools and school_kind go with origins \"schools\"",
            ));
        }
        if request.origins != OriginKind::Points && !request.points.is_empty() {
            return Err(Error::invalid(
                "points",
                "given",
                "points go with origins \"points\"",
            ));
        }
        Ok((out, weight))
    }

    /// The facets of a request: one, or one per kind and/or per holiday.
    fn facets(&self, request: &CoverageRequest) -> Result<Vec<Facet>> {
        let kinds: Vec<Option<crate::StageKind>> = if request.by_kind {
            match request.kind {
                Some(k) => vec![Some(k)],
                None => crate::StageKind::ALL.iter().copied().map(Some).collect(),
            }
        } else {
            vec![request.kind]
        };
        let holidays: Vec<Option<(String, crate::Period)>> = if request.by_holiday {
            let calendar = self.calendar().ok_or_else(|| {
                Error::invalid(
                    "by_holiday",
                    "true",
                    "this engine has no school calendar (Region::Normandy has zone B)",
                )
            })?;
            calendar
                .holidays
                .iter()
                .map(|h| Some((h.name.clone(), h.period)))
                .collect()
        } else {
            vec![None]
        };
        let mut out = Vec::new();
        for k in &kinds {
            for h in &holidays {
                out.push(Facet {
                    kind: *k,
                    holiday: h.clone(),
                });
            }
        }
        Ok(out)
    }

    /// What every origin has within each radius, per sector (and kind or holiday): the
    /// portal's "where is the offer missing". See the [module docs](crate::analytics).
    pub fn coverage(&self, request: &CoverageRequest) -> Result<Coverage> {
        check_radii(&request.radii_km, "radii_km")?;
        let sectors = Sectors::new(self.referential(), request.level, &request.sectors)?;
        let (origins, weight) = self.origins(request)?;
        let facets = self.facets(request)?;
        let row_count = [request.radii_km.len(), sectors.labels.len(), facets.len()]
            .iter()
            .fold(origins.len(), |n, k| n.saturating_mul(*k));
        if row_count > MAX_ROWS {
            return Err(Error::invalid(
                "request",
                format!("{row_count} rows"),
                format!(
                    "a coverage has at most {MAX_ROWS} rows (origins × radii × sectors × kinds × holidays): \
                     ask fewer radii, sectors or splits, or cover the origins in parts"
                ),
            ));
        }
        let offers = Offers::build(
            self.index(),
            &sectors,
            &facets,
            request.kind,
            request.audience,
        );
        let buckets = Buckets::new(&request.radii_km);
        let counts = crate::rank::map_maybe_parallel(&origins, |o| {
            offers.count((o.lat, o.lon), &buckets.h_sorted, buckets.r_max)
        });
        // Each origin's block of rows in the order radius, sector, facet; written on both
        // threads, each with texts of its own (a count two threads increment is contended).
        let ids: Vec<Arc<str>> = origins.iter().map(|o| Arc::from(&*o.id)).collect();
        let block = row_count / origins.len().max(1);
        let rows = crate::rank::build_maybe_parallel(
            row_count,
            || RowTexts::new(&sectors, &facets),
            |texts, i| {
                let o = i / block;
                let row = RowAt {
                    origin: &ids[o],
                    counts: &counts[o],
                    at: i % block,
                };
                row.build(request, texts, &buckets.of)
            },
        );
        let summary = summarise(&origins, &rows, request, &sectors, &facets);
        Ok(Coverage {
            origins: request.origins,
            weight: weight.to_string(),
            sectors: sectors.labels,
            places: origins,
            rows,
            summary,
        })
    }
}

/// The texts every origin's rows repeat, shared.
struct RowTexts {
    sectors: Vec<Arc<str>>,
    /// Per facet: its kind and holiday.
    facets: Vec<(Option<crate::StageKind>, Option<Arc<str>>)>,
}

impl RowTexts {
    fn new(sectors: &Sectors, facets: &[Facet]) -> Self {
        RowTexts {
            sectors: sectors.labels.iter().map(|l| Arc::from(&*l.code)).collect(),
            facets: facets
                .iter()
                .map(|f| (f.kind, f.holiday.as_ref().map(|(n, _)| Arc::from(&**n))))
                .collect(),
        }
    }
}

/// A row of a coverage: the one at `at` in an origin's block (radius, then sector, then facet).
struct RowAt<'a> {
    origin: &'a Arc<str>,
    counts: &'a scan::Counts,
    at: usize,
}

impl RowAt<'_> {
    // Indices keep the letters of their dimensions: sector s, facet f, bucket b, slot k.
    #[allow(clippy::many_single_char_names)]
    fn build(
        &self,
        request: &CoverageRequest,
        texts: &RowTexts,
        bucket_of: &[usize],
    ) -> CoverageRow {
        let (ns, nf, nb) = (texts.sectors.len(), texts.facets.len(), bucket_of.len());
        let (ri, s, f) = (self.at / (ns * nf), self.at / nf % ns, self.at % nf);
        let (radius, b) = (request.radii_km[ri], bucket_of[ri]);
        let c = self.counts;
        let a = c.ambassadors[s * nb + b];
        let (kind, holiday) = &texts.facets[f];
        let k = f * ns + s;
        CoverageRow {
            origin: Arc::clone(self.origin),
            radius_km: radius,
            sector: Arc::clone(&texts.sectors[s]),
            kind: *kind,
            holiday: holiday.clone(),
            stages: c.stages[k * nb + b],
            places_left: c.places[k * nb + b],
            companies: c.companies[s * nb + b],
            ambassadors: a[0],
            phone: a[1],
            video: a[2],
            class_visit: a[3],
            company_visit: a[4],
            nearest_stage_km: c.nearest[k].map(|d| round(d, 3)),
        }
    }
}

/// Per département (code order) then `"all"`, for every radius × sector × facet: each
/// origin's rows come in the same order, so a row's place in its origin's block names it.
fn summarise(
    origins: &[Origin],
    rows: &[CoverageRow],
    request: &CoverageRequest,
    sectors: &Sectors,
    facets: &[Facet],
) -> Vec<CoverageSummary> {
    let block = request.radii_km.len() * sectors.labels.len() * facets.len();
    let mut areas: Vec<&str> = origins
        .iter()
        .filter_map(|o| o.departement.as_deref())
        .collect();
    areas.unstable();
    areas.dedup();
    // [area][position in block]: origins, white, weight, white weight; the last area is "all".
    let mut acc = vec![[0u64; 4]; (areas.len() + 1) * block];
    for (o, chunk) in origins.iter().zip(rows.chunks(block.max(1))) {
        let w = u64::from(o.weight.unwrap_or(0));
        let dep = o
            .departement
            .as_deref()
            .and_then(|d| areas.binary_search(&d).ok());
        for (k, r) in chunk.iter().enumerate() {
            let white = u64::from(r.is_white());
            for area in dep.into_iter().chain([areas.len()]) {
                let a = &mut acc[area * block + k];
                a[0] += 1;
                a[1] += white;
                a[2] += w;
                a[3] += white * w;
            }
        }
    }
    let Some(first) = rows.get(..block) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(acc.len());
    for (area, name) in areas.iter().copied().chain(["all"]).enumerate() {
        for (k, r) in first.iter().enumerate() {
            let a = acc[area * block + k];
            out.push(CoverageSummary {
                area: name.to_string(),
                radius_km: r.radius_km,
                sector: r.sector.to_string(),
                kind: r.kind,
                holiday: r.holiday.as_deref().map(String::from),
                origins: a[0] as u32,
                white_origins: a[1] as u32,
                weight: a[2],
                white_weight: a[3],
            });
        }
    }
    out
}

#[cfg(feature = "contours")]
use zones::h3_origins;

/// H3 cells need the contours: without them, an error saying so.
#[cfg(not(feature = "contours"))]
fn h3_origins(_resolution: u8) -> Result<Vec<Origin>> {
    Err(Error::invalid(
        "origins",
        "h3",
        "this build has no commune contours (feature `contours`), so no H3 cells of the territory",
    ))
}

#[cfg(not(feature = "contours"))]
impl Engine {
    /// White zones need the commune contours: this build has none (feature `contours`, left
    /// off in the browser build), so the call is an `invalid_input` error saying so.
    pub fn white_zones(&self, _request: &WhiteZoneRequest) -> Result<WhiteZones> {
        Err(Error::invalid(
            "white_zones",
            "contours",
            "this build has no commune contours (feature `contours`; the browser build leaves it off): use coverage",
        ))
    }
}
