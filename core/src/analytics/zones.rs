//! White zones as areas: the territory (the union of the commune contours) on a grid of
//! square cells of `cell_km`; a cell whose centre is farther than the radius from every stage
//! of a sector is white for it. The surface is the sum of the white cells' exact spherical
//! areas; the contour, those cells merged into polygons (`geo`'s unary union).

// Cells are indexed by the row and column this module computes for them; counts are bounded
// by the grid's size.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::model::{WhiteZone, WhiteZoneRequest, WhiteZones};
use super::round;
use super::scan::{check_radii, Buckets, Facet, Offers, Sectors};
use crate::error::{Error, Result};
use crate::geo::contours::Contours;
use crate::geo::EARTH_RADIUS_KM;
use crate::Engine;
use geo::{LineString, MultiPolygon, Polygon};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

/// One cell of the territory: its centre, area and département.
struct Cell {
    row: u32,
    col: u32,
    lat: f64,
    lon: f64,
    km2: f64,
    departement: u16,
}

/// The territory on a grid.
struct Territory {
    lat0: f64,
    lon0: f64,
    dlat: f64,
    dlon: f64,
    cells: Vec<Cell>,
    departements: Vec<String>,
}

/// Most cells × sectors × radii one white-zone request may count (1 km cells: every grand
/// domaine at 8 radii, or 8 radii of 200 domaines at 2 km).
const MAX_CELL_COUNTS: usize = 20_000_000;

const KM_PER_DEG: f64 = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

/// Territories already laid out, by cell size (the contours are embedded, so one layout
/// serves every engine); a few sizes at most are kept.
fn territory(cell_km: f64) -> Result<Arc<Territory>> {
    static CACHE: Mutex<Vec<(u64, Arc<Territory>)>> = Mutex::new(Vec::new());
    let key = cell_km.to_bits();
    let cached = |cache: &Vec<(u64, Arc<Territory>)>| {
        cache
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, t)| Arc::clone(t))
    };
    if let Some(t) = cached(&CACHE.lock().unwrap_or_else(PoisonError::into_inner)) {
        return Ok(t);
    }
    let t = Arc::new(Territory::new(Contours::normandy()?, cell_km)?);
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    if cache.len() >= 4 {
        cache.remove(0);
    }
    cache.push((key, Arc::clone(&t)));
    Ok(t)
}

impl Territory {
    // The box keeps its compass letters: south, west, north, east.
    #[allow(clippy::many_single_char_names)]
    fn new(contours: &Contours, cell_km: f64) -> Result<Territory> {
        let (s, w, n, e) = contours
            .bounds()
            .ok_or_else(|| Error::invalid("contours", "none", "no commune contours"))?;
        let dlat = cell_km / KM_PER_DEG;
        let dlon = cell_km / (KM_PER_DEG * libm::cos(f64::midpoint(s, n).to_radians()));
        let rows = ((n - s) / dlat).ceil() as u32;
        let cols = ((e - w) / dlon).ceil() as u32;
        let mut departements: Vec<String> = Vec::new();
        let mut cells = Vec::new();
        for row in 0..rows {
            let south = s + f64::from(row) * dlat;
            let lat = south + dlat / 2.0;
            let band = libm::sin((south + dlat).to_radians()) - libm::sin(south.to_radians());
            let km2 = EARTH_RADIUS_KM * EARTH_RADIUS_KM * dlon.to_radians() * band;
            for col in 0..cols {
                let lon = w + (f64::from(col) + 0.5) * dlon;
                let Some(insee) = contours.commune_at(lat, lon) else {
                    continue;
                };
                // The contours are Normandy's: its départements are the code's first two digits.
                let dep = insee.get(..2).unwrap_or_default().to_string();
                let d = departements
                    .iter()
                    .position(|x| *x == dep)
                    .unwrap_or_else(|| {
                        departements.push(dep);
                        departements.len() - 1
                    });
                cells.push(Cell {
                    row,
                    col,
                    lat,
                    lon,
                    km2,
                    departement: d as u16,
                });
            }
        }
        Ok(Territory {
            lat0: s,
            lon0: w,
            dlat,
            dlon,
            cells,
            departements,
        })
    }

    /// The cells of a mask merged into polygons, coordinates to 1e-5 degree.
    fn contour(&self, white: &[bool]) -> serde_json::Value {
        // Runs of white cells along each row become rectangles, then one union.
        let mut rects: Vec<Polygon<f64>> = Vec::new();
        let mut run: Option<(u32, u32, u32)> = None; // row, first col, last col
        let flush = |run: Option<(u32, u32, u32)>, rects: &mut Vec<Polygon<f64>>| {
            if let Some((row, c0, c1)) = run {
                let (s, n) = (
                    self.lat0 + f64::from(row) * self.dlat,
                    self.lat0 + f64::from(row + 1) * self.dlat,
                );
                let (w, e) = (
                    self.lon0 + f64::from(c0) * self.dlon,
                    self.lon0 + f64::from(c1 + 1) * self.dlon,
                );
                let ring = LineString::from(vec![(w, s), (e, s), (e, n), (w, n), (w, s)]);
                rects.push(Polygon::new(ring, vec![]));
            }
        };
        for (cell, &is_white) in self.cells.iter().zip(white) {
            run = match (run, is_white) {
                (Some((r, c0, c1)), true) if r == cell.row && c1 + 1 == cell.col => {
                    Some((r, c0, cell.col))
                }
                (prev, true) => {
                    flush(prev, &mut rects);
                    Some((cell.row, cell.col, cell.col))
                }
                (prev, false) => {
                    flush(prev, &mut rects);
                    None
                }
            };
        }
        flush(run, &mut rects);
        let merged: MultiPolygon<f64> = geo::unary_union(&rects);
        crate::geo::contours::multipolygon_geojson(&merged, 5)
    }
}

/// The H3 cells of a resolution (4 to 8) whose centre lies in the contours, in cell order,
/// each named after the commune of its centre; laid out once per resolution.
pub(crate) fn h3_origins(resolution: u8) -> Result<Vec<super::CoverageOrigin>> {
    static CACHE: Mutex<Vec<(u8, Arc<Vec<super::CoverageOrigin>>)>> = Mutex::new(Vec::new());
    if !(4..=8).contains(&resolution) {
        return Err(Error::invalid(
            "h3_resolution",
            resolution.to_string(),
            "an H3 resolution from 4 (about 1,770 km² a cell) to 8 (about 0.74 km²)",
        ));
    }
    if let Some((_, cells)) = CACHE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .find(|(r, _)| *r == resolution)
    {
        return Ok(cells.as_ref().clone());
    }
    let contours = Contours::normandy()?;
    let geo = crate::geo::Geography::normandy()?;
    let (s, w, n, e) = contours
        .bounds()
        .ok_or_else(|| Error::invalid("contours", "none", "no commune contours"))?;
    let res = h3o::Resolution::try_from(resolution).map_err(|_| {
        Error::invalid(
            "h3_resolution",
            resolution.to_string(),
            "not an H3 resolution",
        )
    })?;
    let start = h3o::LatLng::new(f64::midpoint(s, n), f64::midpoint(w, e))
        .map_err(|_| Error::Internal("the contours' centre is not a position".into()))?
        .to_cell(res);
    // Every cell whose centre is in the box, by neighbours from the box's centre.
    let in_box = |c: h3o::CellIndex| {
        let ll = h3o::LatLng::from(c);
        (s - 0.05..=n + 0.05).contains(&ll.lat()) && (w - 0.05..=e + 0.05).contains(&ll.lng())
    };
    let mut seen = std::collections::BTreeSet::from([start]);
    let mut queue = vec![start];
    while let Some(c) = queue.pop() {
        for next in c.grid_disk::<Vec<_>>(1) {
            if in_box(next) && seen.insert(next) {
                queue.push(next);
            }
        }
    }
    let mut out = Vec::new();
    for c in seen {
        let ll = h3o::LatLng::from(c);
        let Some(insee) = contours.commune_at(ll.lat(), ll.lng()) else {
            continue;
        };
        let commune = geo.commune(insee).ok();
        out.push(super::CoverageOrigin {
            id: c.to_string(),
            name: commune.map_or_else(|| insee.to_string(), |c| c.name.clone()),
            departement: commune.map(|c| c.departement.to_string()),
            lat: round(ll.lat(), 6),
            lon: round(ll.lng(), 6),
            weight: None,
        });
    }
    let cells = Arc::new(out);
    CACHE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((resolution, Arc::clone(&cells)));
    Ok(cells.as_ref().clone())
}

impl Engine {
    /// The part of the territory (Normandy's commune contours, feature `contours`) farther
    /// than each radius from every stage of each sector with a place left: its surface in km²,
    /// its share, per département, and its contour as `GeoJSON`. Measured on a grid of
    /// `cell_km` cells (a cell is white when its centre is).
    pub fn white_zones(&self, request: &WhiteZoneRequest) -> Result<WhiteZones> {
        check_radii(&request.radii_km, "radii_km")?;
        if !(request.cell_km.is_finite() && (0.25..=10.0).contains(&request.cell_km)) {
            return Err(Error::invalid(
                "cell_km",
                request.cell_km.to_string(),
                "a cell side in km from 0.25 to 10",
            ));
        }
        let sectors = Sectors::new(self.referential(), request.level, &request.sectors)?;
        // Cells × sectors × radii counts are held at once: a fine grid with every domaine and
        // eight radii would need gigabytes. About 30,000 km² of territory.
        let cells = (30_000.0 / (request.cell_km * request.cell_km)) as usize;
        let size = cells
            .saturating_mul(sectors.labels.len())
            .saturating_mul(request.radii_km.len());
        if size > MAX_CELL_COUNTS {
            return Err(Error::invalid(
                "request",
                format!("{size} cell counts"),
                format!(
                    "white zones count at most {MAX_CELL_COUNTS} cells × sectors × radii: ask \
                     fewer sectors or radii, or a larger cell_km"
                ),
            ));
        }
        let territory = territory(request.cell_km)?;
        let facets = [Facet {
            kind: request.kind,
            holiday: None,
        }];
        let offers = Offers::build(
            self.index(),
            &sectors,
            &facets,
            request.kind,
            request.audience,
        );
        let buckets = Buckets::new(&request.radii_km);
        let nb = buckets.of.len();
        // Per cell: stages within each radius bucket, per sector.
        let counts = crate::rank::map_maybe_parallel(&territory.cells, |c| {
            offers
                .count((c.lat, c.lon), &buckets.h_sorted, buckets.r_max)
                .stages
        });
        let total: f64 = territory.cells.iter().map(|c| c.km2).sum();
        let mut zones = Vec::new();
        for (ri, &radius) in request.radii_km.iter().enumerate() {
            let b = buckets.of[ri];
            for (s, label) in sectors.labels.iter().enumerate() {
                let white: Vec<bool> = counts.iter().map(|c| c[s * nb + b] == 0).collect();
                let mut by_dep: BTreeMap<String, f64> = BTreeMap::new();
                let mut area = 0.0;
                for (cell, _) in territory.cells.iter().zip(&white).filter(|(_, w)| **w) {
                    area += cell.km2;
                    *by_dep
                        .entry(territory.departements[cell.departement as usize].clone())
                        .or_default() += cell.km2;
                }
                for v in by_dep.values_mut() {
                    *v = round(*v, 1);
                }
                zones.push(WhiteZone {
                    sector: label.code.clone(),
                    radius_km: radius,
                    area_km2: round(area, 1),
                    share: round(area / total, 4),
                    by_departement: by_dep,
                    contour: request.contours.then(|| territory.contour(&white)),
                });
            }
        }
        Ok(WhiteZones {
            territory_km2: round(total, 1),
            cell_km: request.cell_km,
            sectors: sectors.labels,
            zones,
        })
    }
}
