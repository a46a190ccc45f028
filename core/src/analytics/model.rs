//! The wire types of territory analytics: what a coverage, white-zone or supply-and-demand
//! request asks and the long-form rows it answers. One serde shape for every binding.

use crate::catalog::{Audience, StageKind};
use crate::schools::{Priority, School, SchoolKind};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Which origins a coverage is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OriginKind {
    /// Every commune of the engine's geography that has a position (its centre); weight: its
    /// people aged 15 to 64.
    #[default]
    Communes,
    /// Schools: the request's `schools`, or the embedded collèges and lycées of Normandy;
    /// weight: their pupils.
    Schools,
    /// The request's `points`; weight: their `weight`, if given.
    Points,
    /// The H3 cells of `h3_resolution` (4 to 8, default 7: about 5 km²) whose centre lies in
    /// Normandy's commune contours (feature `contours`); each named after that commune.
    H3,
}

/// The sector level counts are broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SectorLevel {
    /// The 14 grands domaines of ROME (`"H"` Industrie).
    #[default]
    GrandDomaine,
    /// The domaines professionnels (`"H29"`).
    Domaine,
}

/// A caller's origin: an id and a position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OriginPoint {
    /// Caller's id, unique in the request.
    pub id: String,
    /// A label for tables and maps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Longitude (WGS84).
    pub lon: f64,
    /// What the origin holds (people, pupils), summed over white zones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
}

/// A coverage request: from each origin, within each radius, what the catalogue offers per
/// sector (and per kind of stage or school holiday when asked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct CoverageRequest {
    /// Communes (default), schools or points.
    pub origins: OriginKind,
    /// With `origins: "schools"`: these schools instead of the embedded ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schools: Option<Vec<School>>,
    /// With `origins: "schools"`: collèges or lycées only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub school_kind: Option<SchoolKind>,
    /// With `origins: "points"`: the points.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<OriginPoint>,
    /// With `origins: "h3"`: the resolution, 4 to 8 (default 7).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub h3_resolution: Option<u8>,
    /// Radii in km, each in (0, 200], at most 8 (default `[15]`).
    pub radii_km: Vec<f64>,
    /// Grands domaines (default) or domaines.
    pub level: SectorLevel,
    /// Sector codes of that level to report (`["H"]`); every sector of the level when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<String>,
    /// Only stages of this kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<StageKind>,
    /// Only stages and ambassadors for this audience.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    /// One row per kind of stage (of `kind` only, if set) instead of all kinds together.
    pub by_kind: bool,
    /// One row per school holiday of the engine's calendar, counting the stages offered within
    /// it (mini-stages are held in the holidays).
    pub by_holiday: bool,
}

impl Default for CoverageRequest {
    fn default() -> Self {
        CoverageRequest {
            origins: OriginKind::Communes,
            schools: None,
            school_kind: None,
            points: Vec::new(),
            h3_resolution: None,
            radii_km: vec![15.0],
            level: SectorLevel::GrandDomaine,
            sectors: Vec::new(),
            kind: None,
            audience: None,
            by_kind: false,
            by_holiday: false,
        }
    }
}

/// One origin of a coverage: who it is and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct CoverageOrigin {
    /// The origin's id: INSEE code, UAI or the caller's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its département, where known.
    pub departement: Option<String>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// People aged 15–64 (communes), pupils (schools) or the point's weight.
    pub weight: Option<u32>,
}

/// What one origin has within one radius, for one sector (and kind or holiday).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct CoverageRow {
    // The texts are shared (`Arc<str>`): a France coverage has 489,048 rows, each naming its
    // origin and sector, and a copy of each was an allocation per text.
    /// The origin's id (its details are in [`Coverage::places`], in the same order).
    pub origin: Arc<str>,
    /// The radius, km.
    pub radius_km: f64,
    /// Sector code (`"H"`).
    pub sector: Arc<str>,
    /// The kind of stage counted, with `by_kind` (or the request's `kind`).
    pub kind: Option<StageKind>,
    /// The school holiday counted, with `by_holiday`.
    pub holiday: Option<Arc<str>>,
    /// Stages of the sector with at least one place left within the radius.
    pub stages: u32,
    /// Their places left.
    pub places_left: u64,
    /// Companies within the radius with a stage or an ambassador of the sector.
    pub companies: u32,
    /// Ambassadors of the sector within the radius.
    pub ambassadors: u32,
    /// Of whom answering by phone.
    pub phone: u32,
    /// By video.
    pub video: u32,
    /// Coming to a class.
    pub class_visit: u32,
    /// Receiving a class in their company.
    pub company_visit: u32,
    /// Distance to the nearest stage of the sector with a place left, at any distance, in km
    /// (to the metre); `None` when the catalogue has none.
    pub nearest_stage_km: Option<f64>,
}

impl CoverageRow {
    /// No stage of the sector with a place left within the radius.
    pub fn is_white(&self) -> bool {
        self.stages == 0
    }
}

/// One area's summary (a département or the whole set of origins) for one radius and sector.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct CoverageSummary {
    /// Département code, or `"all"` for every origin.
    pub area: String,
    /// The radius, km.
    pub radius_km: f64,
    /// Sector code.
    pub sector: String,
    /// As in the rows.
    pub kind: Option<StageKind>,
    /// As in the rows.
    pub holiday: Option<String>,
    /// Origins in the area.
    pub origins: u32,
    /// Of which white zones: no stage of the sector with a place left within the radius.
    pub white_origins: u32,
    /// The weight they all hold.
    pub weight: u64,
    /// The weight the white zones hold.
    pub white_weight: u64,
}

/// A sector as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct SectorLabel {
    /// `"H"` or `"H29"`.
    pub code: String,
    /// `"Industrie"`.
    pub label: String,
}

/// A coverage: one row per origin × radius × sector (× kind or holiday), in origin order,
/// then radius, sector, kind and holiday; then the summaries per département and in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Coverage {
    /// What the origins are.
    pub origins: OriginKind,
    /// What `weight` counts: `"pop_15_64"`, `"pupils"` or `"weight"`.
    pub weight: String,
    /// The sectors reported, in code order.
    pub sectors: Vec<SectorLabel>,
    /// The origins, in the rows' order.
    pub places: Vec<CoverageOrigin>,
    /// The rows: per origin, per radius (request order), sector, then kind or holiday.
    pub rows: Vec<CoverageRow>,
    /// Per département (code order) then `"all"`.
    pub summary: Vec<CoverageSummary>,
}

/// A white-zone request: the part of the territory farther than each radius from every stage
/// of each sector (with a place left), as an area and a contour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct WhiteZoneRequest {
    /// Radii in km, each in (0, 200], at most 8 (default `[15]`).
    pub radii_km: Vec<f64>,
    /// Grands domaines (default) or domaines.
    pub level: SectorLevel,
    /// Sector codes to report; every sector of the level when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<String>,
    /// Only stages of this kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<StageKind>,
    /// Only stages for this audience.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    /// The side of the grid the surface is measured on, km, in [0.25, 10] (default 1).
    pub cell_km: f64,
    /// Include each zone's contour as a `GeoJSON` `MultiPolygon` (default true).
    pub contours: bool,
}

impl Default for WhiteZoneRequest {
    fn default() -> Self {
        WhiteZoneRequest {
            radii_km: vec![15.0],
            level: SectorLevel::GrandDomaine,
            sectors: Vec::new(),
            kind: None,
            audience: None,
            cell_km: 1.0,
            contours: true,
        }
    }
}

/// One sector's white zone at one radius.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct WhiteZone {
    /// Sector code.
    pub sector: String,
    /// The radius, km.
    pub radius_km: f64,
    /// The surface farther than the radius from every stage of the sector, km² (to 0.1).
    pub area_km2: f64,
    /// Its share of the territory's surface, 0 to 1 (to 1e-4).
    pub share: f64,
    /// Per département code: its white surface, km².
    pub by_departement: std::collections::BTreeMap<String, f64>,
    /// The zone as a `GeoJSON` `MultiPolygon` geometry (WGS84), cells merged.
    #[cfg_attr(feature = "schema", ts(type = "unknown | null"))]
    #[cfg_attr(feature = "schema", schemars(with = "Option<serde_json::Value>"))]
    pub contour: Option<serde_json::Value>,
}

/// White zones of every sector and radius asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct WhiteZones {
    /// The territory's surface as measured on the grid, km².
    pub territory_km2: f64,
    /// The grid's cell side, km.
    pub cell_km: f64,
    /// The sectors reported.
    pub sectors: Vec<SectorLabel>,
    /// One zone per radius × sector, radius first.
    pub zones: Vec<WhiteZone>,
}

/// A supply-and-demand request: each collège's 3e pupils against the places of stage within
/// reach on its weeks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct DemandRequest {
    /// The reach from each school, km, in (0, 200] (default 15).
    pub radius_km: f64,
    /// These schools instead of the embedded ones (collèges only are counted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schools: Option<Vec<School>>,
    /// The ISO weeks the schools set for the stage (`["2027-W03"]`): a stage counts when one
    /// of its periods holds one of them, Monday to Friday; any period when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub weeks: Vec<String>,
    /// The kind of stage (default `observation_3e`).
    pub kind: StageKind,
    /// Upper bounds of the IPS bands, increasing (default `[90, 100, 110]`: four bands).
    pub ips_bands: Vec<f64>,
}

impl Default for DemandRequest {
    fn default() -> Self {
        DemandRequest {
            radius_km: 15.0,
            schools: None,
            weeks: Vec::new(),
            kind: StageKind::Observation3e,
            ips_bands: vec![90.0, 100.0, 110.0],
        }
    }
}

/// One collège's demand and the supply within its reach.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct SchoolDemand {
    /// UAI.
    pub uai: String,
    /// Name.
    pub name: String,
    /// Département code.
    pub departement: Option<String>,
    /// REP+ or REP, if any.
    pub education_prioritaire: Option<Priority>,
    /// Its social index, if known.
    pub ips: Option<f64>,
    /// Its IPS band (`"< 90"`, `"90–100"`, `"≥ 110"`), if its IPS is known.
    pub ips_band: Option<String>,
    /// Pupils of the school.
    pub pupils: u32,
    /// Its 3e year group: a quarter of its pupils, rounded.
    pub pupils_3e: u32,
    /// Stages it may take within the radius on its weeks (reserved and REP-only ones
    /// included when it qualifies).
    pub stages: u32,
    /// Their places left (each place counts for every school within reach: not shared out).
    pub places: u64,
    /// Places per 3e pupil (`None` without pupils).
    pub ratio: Option<f64>,
}

/// A group of schools: REP status or IPS band.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct DemandGroup {
    /// `"education_prioritaire"` or `"ips_band"`.
    pub by: String,
    /// `"REP+"`, `"REP"`, `"hors EP"`; or the band.
    pub group: String,
    /// Collèges in the group.
    pub schools: u32,
    /// Their 3e pupils.
    pub pupils_3e: u64,
    /// Sum of their places within reach.
    pub places: u64,
    /// Places per 3e pupil over the group.
    pub ratio: Option<f64>,
    /// The median of the schools' own ratios.
    pub median_ratio: Option<f64>,
    /// Schools with no place at all within reach.
    pub without_places: u32,
}

/// Supply and demand per collège and per group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct SupplyDemand {
    /// The radius, km.
    pub radius_km: f64,
    /// One row per collège, in UAI order.
    pub schools: Vec<SchoolDemand>,
    /// By éducation prioritaire (REP+, REP, hors EP), then by IPS band (increasing).
    pub groups: Vec<DemandGroup>,
}
