//! What the geography holds: communes, départements, former communes and arrondissements,
//! in the serde form of the embedded data.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One commune.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Commune {
    /// INSEE code (`"14118"`, `"2A004"`).
    pub insee: Arc<str>,
    /// Official name with its article (`"Le Havre"`).
    pub name: String,
    /// Département code (`"14"`).
    pub departement: Arc<str>,
    /// Region code (`"28"` for Normandy).
    pub region: Arc<str>,
    /// Postal codes serving it.
    pub postal_codes: Vec<String>,
    /// Latitude of the commune centre (WGS84); `None` where the source has no position.
    pub lat: Option<f64>,
    /// Longitude of the commune centre.
    pub lon: Option<f64>,
    /// Area in km².
    pub area_km2: Option<f64>,
    /// Population (2021).
    pub population: u32,
    /// People aged 15 to 64 (2021).
    pub pop_15_64: u32,
    /// Of whom active.
    pub pop_15_64_active: u32,
    /// Of whom unemployed.
    pub pop_15_64_unemployed: u32,
}

impl Commune {
    /// How far from its centre a point may lie and still be in this commune, in km: three times
    /// the radius of a disc of the commune's area, plus 5 km (15 km when the area is unknown).
    /// Every vertex of every Normandy contour lies within it, except Granville's Chausey islets.
    pub fn reach_km(&self) -> f64 {
        match self.area_km2 {
            Some(a) if a.is_finite() && a > 0.0 => 3.0 * (a / std::f64::consts::PI).sqrt() + 5.0,
            _ => 15.0,
        }
    }

    /// The commune centre, when the source has one.
    pub fn centre(&self) -> Option<(f64, f64)> {
        Some((self.lat?, self.lon?))
    }
}

/// One département.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Departement {
    /// Code (`"61"`, `"2A"`, `"971"`).
    pub code: String,
    /// Name (`"Orne"`).
    pub name: String,
    /// Region code.
    pub region: String,
    /// Geographic centre (IGN).
    pub lat: f64,
    /// Geographic centre (IGN).
    pub lon: f64,
    /// INSEE code of the préfecture.
    pub prefecture_insee: String,
}

/// Whether a former commune is a commune déléguée or associée.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormerKind {
    /// Commune déléguée (of a commune nouvelle).
    Deleguee,
    /// Commune associée.
    Associee,
}

/// A former commune inside a commune of today; people still type its name ("Tourlaville").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommuneDeleguee {
    /// Its own INSEE code (often the same as its commune's for the former chief town).
    pub insee: String,
    /// Old name (`"Tourlaville"`).
    pub name: String,
    /// Its postal code, where known (often empty).
    pub postal_code: String,
    /// INSEE code of the commune it now belongs to.
    pub parent_insee: String,
    /// Déléguée or associée.
    pub kind: FormerKind,
}

/// An arrondissement municipal of Paris, Lyon or Marseille: a place inside its commune, with
/// its own codes and centre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Arrondissement {
    /// INSEE code (`"75115"`).
    pub insee: String,
    /// Name (`"Paris 15e Arrondissement"`).
    pub name: String,
    /// INSEE code of its commune (`"75056"`).
    pub commune: String,
    /// Postal codes (`"75015"`).
    pub postal_codes: Vec<String>,
    /// Centre (WGS84).
    pub lat: f64,
    /// Centre (WGS84).
    pub lon: f64,
    /// Area in km².
    pub area_km2: Option<f64>,
    /// Population (2021).
    pub population: u32,
}
