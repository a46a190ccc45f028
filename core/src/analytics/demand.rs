//! Supply and demand: each collège's 3e year group against the places of stage within reach
//! on its weeks, and the same per éducation prioritaire status and IPS band.

// Groups and bands are indexed by positions computed here (below their counts); sums are of
// bounded catalogue counts.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::model::{DemandGroup, DemandRequest, SchoolDemand, SupplyDemand};
use super::round;
use super::scan::check_radius;
use crate::catalog::{Audience, Stage};
use crate::error::{Error, Result};
use crate::geo::Radians;
use crate::rank::Grid;
use crate::schools::{Priority, School, SchoolKind, Schools};
use crate::sorting::Sort;
use crate::Engine;

/// The request's schools (checked) or the embedded ones; an error when there are none.
pub(crate) fn schools_of(given: Option<&[School]>, field: &str) -> Result<Vec<School>> {
    let schools = match given {
        Some(list) => Schools::from_list(list.to_vec())?,
        None => Schools::embedded().clone(),
    };
    if schools.is_empty() {
        return Err(Error::invalid(
            field,
            if given.is_some() { "[]" } else { "absent" },
            "no schools: give a list of schools (this build embeds none)",
        ));
    }
    Ok(schools.iter().cloned().collect())
}

/// The IPS band of a school given the bands' upper bounds: the first bound above it.
fn band_of(bounds: &[f64], ips: f64) -> usize {
    bounds.iter().position(|&b| ips < b).unwrap_or(bounds.len())
}

/// A band's label (`"< 90"`, `"90–100"`, `"≥ 110"`).
fn band_name(bounds: &[f64], i: usize) -> String {
    match (i.checked_sub(1).and_then(|j| bounds.get(j)), bounds.get(i)) {
        (None, Some(hi)) => format!("< {hi}"),
        (Some(lo), Some(hi)) => format!("{lo}–{hi}"),
        (Some(lo), None) => format!("≥ {lo}"),
        (None, None) => "toutes".to_string(),
    }
}

fn check_bands(bounds: &[f64]) -> Result<()> {
    for (i, b) in bounds.iter().enumerate() {
        let bad = !b.is_finite() || (i > 0 && bounds[i - 1] >= *b);
        if bad {
            return Err(Error::invalid(
                format!("ips_bands[{i}]"),
                b.to_string(),
                "band bounds are finite numbers in increasing order",
            ));
        }
    }
    Ok(())
}

fn may_take(stage: &Stage, school: &School) -> bool {
    (stage.schools.is_empty() || stage.schools.binary_search(&school.uai).is_ok())
        && (!stage.rep_only || school.education_prioritaire.is_some())
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.stable_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => v.get(n / 2).copied(),
        _ => Some(f64::midpoint(v[n / 2 - 1], v[n / 2])),
    }
}

impl Engine {
    /// Each collège's 3e pupils (a quarter of its pupils) against the places of stage within
    /// `radius_km` on its weeks, per school, per éducation prioritaire status and per IPS band:
    /// is priority education worse served? A place counts for every school within its reach
    /// (not shared out: [`Engine::assign`] does the sharing).
    pub fn supply_demand(&self, request: &DemandRequest) -> Result<SupplyDemand> {
        check_radius(request.radius_km, "radius_km")?;
        check_bands(&request.ips_bands)?;
        let weeks = if request.weeks.is_empty() {
            None
        } else {
            Some(crate::assign::weeks_period(&request.weeks)?)
        };
        let schools = schools_of(request.schools.as_deref(), "schools")?;
        let stages: Vec<&Stage> = self
            .catalog()
            .stages()
            .filter(|s| {
                s.kind == request.kind
                    && s.places_left() > 0
                    && s.audiences.contains(&Audience::College)
                    && weeks.is_none_or(|w| s.periods.iter().any(|p| p.contains(&w)))
            })
            .filter(|s| s.place.as_ref().and_then(crate::Location::point).is_some())
            .collect();
        let points: Vec<(f64, f64)> = stages
            .iter()
            .map(|s| {
                s.place
                    .as_ref()
                    .and_then(crate::Location::point)
                    .unwrap_or_default()
            })
            .collect();
        let (grid, order) = Grid::layout(&points);
        let at: Vec<Radians> = order.iter().map(|&i| Radians::new(points[i])).collect();
        let limit = Radians::h_of_km(request.radius_km);
        let mut rows = Vec::new();
        for s in schools.iter().filter(|s| s.kind == SchoolKind::College) {
            let here = Radians::new((s.lat, s.lon));
            let (mut n, mut places) = (0u32, 0u64);
            grid.candidates(s.lat, s.lon, request.radius_km, |row| {
                let row = row as usize;
                let stage = stages[order[row]];
                if here.haversine(&at[row]) <= limit && may_take(stage, s) {
                    n += 1;
                    places += u64::from(stage.places_left());
                }
            });
            let pupils = s.pupils.unwrap_or(0);
            let pupils_3e = (pupils + 2) / 4;
            rows.push(SchoolDemand {
                uai: s.uai.clone(),
                name: s.name.clone(),
                departement: s.departement.clone(),
                education_prioritaire: s.education_prioritaire,
                ips: s.ips,
                ips_band: s
                    .ips
                    .map(|x| band_name(&request.ips_bands, band_of(&request.ips_bands, x))),
                pupils,
                pupils_3e,
                stages: n,
                places,
                ratio: (pupils_3e > 0).then(|| round(places as f64 / f64::from(pupils_3e), 4)),
            });
        }
        let groups = groups(&rows, &request.ips_bands);
        Ok(SupplyDemand {
            radius_km: request.radius_km,
            schools: rows,
            groups,
        })
    }
}

fn group(by: &str, name: String, members: &[&SchoolDemand]) -> DemandGroup {
    let pupils_3e: u64 = members.iter().map(|r| u64::from(r.pupils_3e)).sum();
    let places: u64 = members.iter().map(|r| r.places).sum();
    DemandGroup {
        by: by.to_string(),
        group: name,
        schools: members.len() as u32,
        pupils_3e,
        places,
        ratio: (pupils_3e > 0).then(|| round(places as f64 / pupils_3e as f64, 4)),
        median_ratio: median(members.iter().filter_map(|r| r.ratio).collect()),
        without_places: members.iter().filter(|r| r.places == 0).count() as u32,
    }
}

fn groups(rows: &[SchoolDemand], bounds: &[f64]) -> Vec<DemandGroup> {
    let mut out = Vec::new();
    for (name, want) in [
        ("REP+", Some(Priority::RepPlus)),
        ("REP", Some(Priority::Rep)),
        ("hors EP", None),
    ] {
        let members: Vec<&SchoolDemand> = rows
            .iter()
            .filter(|r| r.education_prioritaire == want)
            .collect();
        out.push(group("education_prioritaire", name.to_string(), &members));
    }
    for band in 0..=bounds.len() {
        let members: Vec<&SchoolDemand> = rows
            .iter()
            .filter(|r| r.ips.is_some_and(|x| band_of(bounds, x) == band))
            .collect();
        out.push(group("ips_band", band_name(bounds, band), &members));
    }
    out
}
