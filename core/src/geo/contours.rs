//! Commune contours (Normandy, IGN ADMIN EXPRESS simplified, feature `contours`): which commune
//! an exact position is in. The nearest commune centre is wrong near borders; a contour is not.
//!
//! The compact form (`core/data/contours-normandy.bin`, written by `cargo run -p gen-data`) holds,
//! per commune, its polygons as rings of points in units of 1e-5 degree, each point but the
//! first of a ring as the difference from the one before (small numbers, one or two bytes).

use crate::error::{Error, Result};
use crate::sorting::Sort;
use geo::{BoundingRect, Contains, Coord, LineString, MultiPolygon, Point, Polygon, Rect};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// One commune's contour as stored: polygons, each an outer ring then its holes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredContour {
    /// INSEE code of the commune.
    pub insee: String,
    /// Polygons → rings → (lon, lat) in 1e-5 degree, delta-encoded within a ring.
    pub polygons: Vec<Vec<Vec<(i32, i32)>>>,
}

/// The stored form of every contour.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ContourTables {
    /// One entry per commune with a contour, sorted by INSEE code.
    pub communes: Vec<StoredContour>,
}

impl ContourTables {
    /// Reads a `GeoJSON` `FeatureCollection` of communes (property `insee`; `Polygon` or
    /// `MultiPolygon` geometries in lon/lat degrees), as `data/geo/communes-normandie.geojson`.
    pub fn from_geojson(text: &str) -> Result<ContourTables> {
        use serde_json::Value;
        let bad = |reason: String| Error::unreadable("communes-normandie.geojson", reason);
        let doc: Value = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        let ring = |r: &Value| -> Vec<(f64, f64)> {
            r.as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
                .collect()
        };
        let polygon = |p: &Value| -> Vec<Vec<(i32, i32)>> {
            p.as_array()
                .into_iter()
                .flatten()
                .map(|r| ContourTables::encode_ring(&ring(r)))
                .collect()
        };
        let features = doc
            .get("features")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("not a FeatureCollection".into()))?;
        let mut communes = Vec::with_capacity(features.len());
        for f in features {
            let insee = f
                .pointer("/properties/insee")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("a feature without an insee property".into()))?;
            let g = f.get("geometry").unwrap_or(&Value::Null);
            let coordinates = g.get("coordinates").unwrap_or(&Value::Null);
            let polygons = match g.get("type").and_then(Value::as_str) {
                Some("Polygon") => vec![polygon(coordinates)],
                Some("MultiPolygon") => coordinates
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(polygon)
                    .collect(),
                other => return Err(bad(format!("{insee}: geometry {other:?}"))),
            };
            communes.push(StoredContour {
                insee: insee.to_string(),
                polygons,
            });
        }
        communes.stable_by(|a, b| a.insee.cmp(&b.insee));
        Ok(ContourTables { communes })
    }

    /// The compact form (postcard).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        postcard::to_allocvec(self).map_err(|e| Error::Internal(e.to_string()))
    }

    /// Delta-encodes rings given as absolute (lon, lat) degrees.
    pub fn encode_ring(ring: &[(f64, f64)]) -> Vec<(i32, i32)> {
        let units = |x: f64| (x * 1e5).round() as i32;
        let mut last = (0, 0);
        ring.iter()
            .map(|&(lon, lat)| {
                let p = (units(lon), units(lat));
                let d = (p.0.saturating_sub(last.0), p.1.saturating_sub(last.1));
                last = p;
                d
            })
            .collect()
    }
}

/// Contours ready for point queries: polygons in degrees with their bounding boxes.
pub struct Contours {
    shapes: Vec<(String, Rect<f64>, MultiPolygon<f64>)>,
}

const NORMANDY: &[u8] = include_bytes!("../../data/contours-normandy.bin");

impl Contours {
    /// The embedded contours of Normandy, decoded once.
    pub fn normandy() -> Result<&'static Contours> {
        static CELL: OnceLock<Contours> = OnceLock::new();
        if let Some(c) = CELL.get() {
            return Ok(c);
        }
        let c = Contours::from_bytes(NORMANDY).map_err(Error::embedded_defect)?;
        Ok(CELL.get_or_init(|| c))
    }

    /// Decodes the compact form.
    pub fn from_bytes(bytes: &[u8]) -> Result<Contours> {
        let tables: ContourTables = crate::input::postcard_exact(bytes).map_err(|e| {
            Error::unreadable(
                "contours",
                format!("not the contours data of this version ({e})"),
            )
        })?;
        let mut shapes = Vec::with_capacity(tables.communes.len());
        for c in tables.communes {
            let polygons: Vec<Polygon<f64>> = c
                .polygons
                .iter()
                .filter_map(|rings| {
                    let mut rings = rings.iter().map(|r| decode_ring(r));
                    let outer = rings.next()?;
                    Some(Polygon::new(outer, rings.collect()))
                })
                .collect();
            let shape = MultiPolygon::new(polygons);
            if let Some(rect) = shape.bounding_rect() {
                shapes.push((c.insee, rect, shape));
            }
        }
        Ok(Contours { shapes })
    }

    /// INSEE code of the commune whose contour contains the point (lat, lon), if any.
    pub fn commune_at(&self, lat: f64, lon: f64) -> Option<&str> {
        let p = Point::new(lon, lat);
        let c = Coord { x: lon, y: lat };
        self.shapes
            .iter()
            .filter(|(_, rect, _)| {
                rect.min().x <= c.x
                    && c.x <= rect.max().x
                    && rect.min().y <= c.y
                    && c.y <= rect.max().y
            })
            .find(|(_, _, shape)| shape.contains(&p))
            .map(|(insee, _, _)| insee.as_str())
    }

    /// The box around every contour: (south, west, north, east) in degrees.
    pub fn bounds(&self) -> Option<(f64, f64, f64, f64)> {
        self.shapes.iter().fold(None, |acc, (_, r, _)| {
            let (s, w, n, e) = (r.min().y, r.min().x, r.max().y, r.max().x);
            Some(match acc {
                None => (s, w, n, e),
                Some((s0, w0, n0, e0)) => (s.min(s0), w.min(w0), n.max(n0), e.max(e0)),
            })
        })
    }

    /// Every commune's contour as a `GeoJSON` `MultiPolygon` geometry (WGS84, 1e-5 degree), by
    /// INSEE code in code order: for choropleth maps.
    pub fn geojson(&self) -> Vec<(&str, serde_json::Value)> {
        let mut out: Vec<(&str, serde_json::Value)> = self
            .shapes
            .iter()
            .map(|(insee, _, shape)| (insee.as_str(), multipolygon_geojson(shape, 5)))
            .collect();
        out.stable_by(|a, b| a.0.cmp(b.0));
        out
    }

    /// Number of communes with a contour.
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }
}

/// A multipolygon as a `GeoJSON` geometry, its coordinates rounded to `digits` decimals.
pub fn multipolygon_geojson(shape: &MultiPolygon<f64>, digits: i32) -> serde_json::Value {
    let f = 10f64.powi(digits);
    let ring = |l: &LineString<f64>| -> Vec<[f64; 2]> {
        l.coords()
            .map(|c| [(c.x * f).round() / f, (c.y * f).round() / f])
            .collect()
    };
    let polygons: Vec<Vec<Vec<[f64; 2]>>> = shape
        .iter()
        .map(|p| {
            std::iter::once(ring(p.exterior()))
                .chain(p.interiors().iter().map(ring))
                .collect()
        })
        .collect();
    serde_json::json!({"type": "MultiPolygon", "coordinates": polygons})
}

fn decode_ring(ring: &[(i32, i32)]) -> LineString<f64> {
    let mut at = (0i64, 0i64);
    ring.iter()
        .map(|&(dx, dy)| {
            at = (
                at.0.saturating_add(i64::from(dx)),
                at.1.saturating_add(i64::from(dy)),
            );
            Coord {
                x: at.0 as f64 / 1e5,
                y: at.1 as f64 / 1e5,
            }
        })
        .collect()
}
