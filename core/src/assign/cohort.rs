//! A seeded, realistic cohort: the 3e pupils of the engine's collèges (a year group is about a
//! quarter of a collège's pupils), each living near their collège, in the week their collège
//! sets, with a profile of one or two centres d'intérêt from which the engine ranks wishes.

// Counts are bounded by the request's pupils and capacities (far below their types' limits).
#![allow(clippy::arithmetic_side_effects)]

use super::model::{Profile, Pupil};
use crate::calendar::Date;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::geo::PlaceRef;
use crate::schools::{School, SchoolKind};
use serde::{Deserialize, Serialize};

/// What cohort to generate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct CohortSpec {
    /// Seed: the same seed gives the same pupils.
    pub seed: u64,
    /// Only the collèges of this département (code or name: `"14"`, `"Calvados"`); all when
    /// absent. A département with no collège known is an error, not an empty cohort.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub departement: Option<String>,
    /// Share of a collège's pupils in the cohort (default 0.25, a year group).
    pub share: f64,
    /// Wishes each profile builds (default 5).
    pub wishes: u64,
    /// How far pupils go, in km (default 30; more than 0 and at most 1,000, as a search's
    /// radius).
    pub radius_km: f64,
    /// How far from their collège pupils live, at most, in km (default 4).
    pub spread_km: f64,
    /// The weeks collèges choose from (ISO weeks), each collège drawing one; by default the
    /// weeks of the catalogue's stages d'observation, each as likely as the places offered
    /// in it (collèges and companies agree on weeks), or the calendar's full school weeks
    /// from December to early June when the catalogue has none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub weeks: Vec<String>,
}

impl Default for CohortSpec {
    fn default() -> CohortSpec {
        CohortSpec {
            seed: 2027,
            departement: None,
            share: 0.25,
            wishes: super::DEFAULT_WISHES,
            radius_km: 30.0,
            spread_km: 4.0,
            weeks: Vec::new(),
        }
    }
}

impl Engine {
    /// Generates the 3e pupils of the known collèges (see [`CohortSpec`]).
    ///
    /// ```
    /// let engine = metiers::Engine::normandy()?;
    /// let spec = metiers::CohortSpec { departement: Some("61".into()), ..Default::default() };
    /// let pupils = engine.cohort(&spec)?;
    /// assert!(pupils.len() > 1_000);
    /// assert_eq!(pupils, engine.cohort(&spec)?);
    /// # Ok::<(), metiers::Error>(())
    /// ```
    pub fn cohort(&self, spec: &CohortSpec) -> Result<Vec<Pupil>> {
        if !spec.share.is_finite() || !(0.0..=1.0).contains(&spec.share) {
            return Err(Error::invalid(
                "share",
                spec.share.to_string(),
                "a share between 0 and 1",
            ));
        }
        if !spec.spread_km.is_finite() || !(0.0..=50.0).contains(&spec.spread_km) {
            return Err(Error::invalid(
                "spread_km",
                spec.spread_km.to_string(),
                "from 0 to 50 km",
            ));
        }
        // The radius each pupil's profile searches with, checked here as a search checks it:
        // a cohort that no placement could take was made, and refused only at `assign`.
        crate::rank::radius_checked(spec.radius_km)?;
        if spec.wishes == 0 || spec.wishes > super::MAX_WISHES {
            return Err(Error::invalid(
                "wishes",
                spec.wishes.to_string(),
                format!("between 1 and {}", super::MAX_WISHES),
            ));
        }
        let offered = self.observation_weeks();
        let weeks: Vec<String> = if !spec.weeks.is_empty() {
            for (i, w) in spec.weeks.iter().enumerate() {
                Date::iso_week(w).map_err(|e| e.renamed(&format!("weeks[{i}]")))?;
            }
            spec.weeks.clone()
        } else if !offered.is_empty() {
            offered
        } else {
            let calendar = self.calendar().ok_or_else(|| {
                Error::invalid(
                    "weeks",
                    "",
                    "the engine has no school calendar: give the weeks",
                )
            })?;
            calendar
                .school_weeks(Date::known(2026, 11, 30), Date::known(2027, 6, 7))
                .into_iter()
                .map(Date::iso_week_label)
                .collect()
        };
        let interests: Vec<&str> = self
            .referential()
            .interests()
            .iter()
            .map(|i| i.code.as_str())
            .collect();
        if weeks.is_empty() || interests.is_empty() {
            return Err(Error::invalid("weeks", "", "no week to draw from"));
        }
        // A département by code or name ("14", "Calvados"), as a query's `departements`: a
        // name was once compared with the schools' codes, and made an empty cohort.
        let departement = match &spec.departement {
            Some(d) => Some(self.geography().departement(d)?.code.clone()),
            None => None,
        };
        let colleges: Vec<&School> = self
            .schools()
            .iter()
            .filter(|s| s.kind == SchoolKind::College)
            .filter(|s| departement.is_none() || s.departement == departement)
            .collect();
        if let (Some(code), true) = (&departement, colleges.is_empty()) {
            return Err(Error::invalid(
                "departement",
                spec.departement.as_deref().unwrap_or_default(),
                format!("no collège of the known schools is in département {code}"),
            ));
        }
        let mut rng = fastrand::Rng::with_seed(spec.seed);
        let mut pupils = Vec::new();
        for school in colleges {
            let n = (f64::from(school.pupils.unwrap_or(0)) * spec.share).round() as usize;
            let week = weeks
                .get(rng.usize(..weeks.len()))
                .cloned()
                .unwrap_or_default();
            for k in 0..n {
                pupils.push(draw(&mut rng, school, k, &week, &interests, spec));
            }
        }
        Ok(pupils)
    }

    /// One entry a place of a stage d'observation in each Monday-to-Friday week it is
    /// offered: drawing from it weighs the weeks by places.
    fn observation_weeks(&self) -> Vec<String> {
        let mut weeks = Vec::new();
        for s in self.catalog().stages() {
            if s.kind != crate::StageKind::Observation3e {
                continue;
            }
            for p in &s.periods {
                if p.start.weekday() == 0 && p.start.days_until(p.end) >= 4 {
                    let places = s.places_per_period.unwrap_or(s.places_total).min(50);
                    for _ in 0..places {
                        weeks.push(p.start.iso_week_label());
                    }
                }
            }
        }
        weeks
    }

    /// The same pupils with their profile replaced by the wishes the engine ranks from it
    /// (what [`Engine::assign`] does first), to inspect or edit them.
    pub fn with_wishes(&self, mut pupils: Vec<Pupil>) -> Result<Vec<Pupil>> {
        let request = super::AssignRequest {
            pupils,
            ..super::AssignRequest::default()
        };
        let inst = self.prepare(&request)?;
        pupils = request.pupils;
        for (p, info) in pupils.iter_mut().zip(&inst.pupils) {
            if p.profile.take().is_some() {
                p.wishes = info
                    .wishes
                    .iter()
                    .filter_map(|w| inst.stages.get(w.stage).map(|s| s.id.to_string()))
                    .collect();
            }
        }
        Ok(pupils)
    }
}
/// The `k`-th pupil of a collège: near it, one or two interests.
fn draw(
    rng: &mut fastrand::Rng,
    school: &crate::schools::School,
    k: usize,
    week: &str,
    interests: &[&str],
    spec: &CohortSpec,
) -> Pupil {
    // Uniform in a disc of radius spread_km around the collège.
    let r = spec.spread_km * rng.f64().sqrt();
    let a = rng.f64() * std::f64::consts::TAU;
    let lat = school.lat + r * a.sin() / 111.2;
    let lon = school.lon + r * a.cos() / (111.2 * school.lat.to_radians().cos());
    let mut one = || {
        interests
            .get(rng.usize(..interests.len()))
            .copied()
            .unwrap_or("1")
    };
    let mut picked = vec![one()];
    let other = one();
    if rng.bool() && !picked.contains(&other) {
        picked.push(other);
    }
    Pupil {
        id: format!("{}-{:03}", school.uai, k + 1),
        school: school.uai.clone(),
        class: Some(format!("3e {}", char::from(b'A' + (k / 28).min(25) as u8))),
        place: Some(PlaceRef::Point {
            lat: (lat * 1e5).round() / 1e5,
            lon: (lon * 1e5).round() / 1e5,
        }),
        audience: None,
        weeks: vec![week.to_string()],
        wishes: Vec::new(),
        profile: Some(Profile {
            interests: picked.into_iter().map(String::from).collect(),
            radius_km: Some(spec.radius_km),
            wishes: Some(spec.wishes),
            ..Profile::default()
        }),
    }
}
