//! What a request reports: its sectors (checked against ROME, with each métier's sector) and
//! its radii (checked).

use super::model::{SectorLabel, SectorLevel};
use super::scan::{MAX_COVERAGE_RADIUS_KM, MAX_RADII};
use crate::error::{Error, Result};
use crate::geo::Radians;
use crate::referential::{DomaineLevel, Referential};
use crate::sorting::Sort;

/// The sectors a request reports and how each métier maps onto them.
pub(crate) struct Sectors {
    pub labels: Vec<SectorLabel>,
    /// Métier index → reported sector index.
    of_metier: Vec<Option<u16>>,
}

impl Sectors {
    /// The sectors of `level` (all of them, or the codes asked, checked).
    pub fn new(rome: &Referential, level: SectorLevel, asked: &[String]) -> Result<Sectors> {
        let want = match level {
            SectorLevel::GrandDomaine => DomaineLevel::GrandDomaine,
            SectorLevel::Domaine => DomaineLevel::DomaineProfessionnel,
        };
        let mut labels: Vec<SectorLabel> = Vec::new();
        if asked.is_empty() {
            for d in rome.domaines().iter().filter(|d| d.level == want) {
                labels.push(SectorLabel {
                    code: d.code.clone(),
                    label: d.label.clone(),
                });
            }
        }
        for (i, code) in asked.iter().enumerate() {
            let field = format!("sectors[{i}]");
            // As a query's `sectors`: any case, spaces around ignored ("h" is H).
            let d = rome
                .domaine(&crate::text::code_key(code))
                .map_err(|_| Error::invalid(&field, code, sector_reason(level)))?;
            if d.level != want {
                return Err(Error::invalid(&field, code, sector_reason(level)));
            }
            if labels.iter().any(|l| l.code == d.code) {
                return Err(Error::invalid(&field, code, "given twice"));
            }
            labels.push(SectorLabel {
                code: d.code.clone(),
                label: d.label.clone(),
            });
        }
        labels.stable_by(|a, b| a.code.cmp(&b.code));
        let of_metier = rome
            .metiers()
            .iter()
            .map(|m| {
                let code = match level {
                    SectorLevel::GrandDomaine => m.grand_domaine_code(),
                    SectorLevel::Domaine => m.domaine_code(),
                };
                labels
                    .binary_search_by(|l| l.code.as_str().cmp(code))
                    .ok()
                    .map(|i| i as u16)
            })
            .collect();
        Ok(Sectors { labels, of_metier })
    }

    /// The reported sectors of a list of métier indices, sorted, each once, appended to `out`
    /// (an offer names a few métiers).
    pub(crate) fn of_into(&self, metiers: &[u16], out: &mut Vec<u16>) {
        let from = out.len();
        for &m in metiers {
            if let Some(s) = self.of_metier.get(m as usize).copied().flatten() {
                if !out[from..].contains(&s) {
                    out.push(s);
                }
            }
        }
        out[from..].unstable();
    }
}

fn sector_reason(level: SectorLevel) -> &'static str {
    match level {
        SectorLevel::GrandDomaine => {
            "expected a grand domaine of ROME, one letter A to N (level grand_domaine)"
        }
        SectorLevel::Domaine => {
            "expected a domaine professionnel of ROME, a letter and two digits like H29 (level domaine)"
        }
    }
}

/// The request's radii, checked: at least one, at most [`MAX_RADII`], each in (0, 200], none
/// twice.
pub(crate) fn check_radii(radii: &[f64], field: &str) -> Result<()> {
    if radii.is_empty() {
        return Err(Error::invalid(
            field,
            "[]",
            "at least one radius is required",
        ));
    }
    if radii.len() > MAX_RADII {
        return Err(Error::invalid(
            field,
            format!("{} radii", radii.len()),
            format!("at most {MAX_RADII} radii"),
        ));
    }
    for (i, &r) in radii.iter().enumerate() {
        check_radius(r, &format!("{field}[{i}]"))?;
        if radii[..i].contains(&r) {
            return Err(Error::invalid(
                format!("{field}[{i}]"),
                r.to_string(),
                "given twice",
            ));
        }
    }
    Ok(())
}

/// One radius: a number of km in (0, 200].
pub(crate) fn check_radius(r: f64, field: &str) -> Result<()> {
    if !(r.is_finite() && r > 0.0 && r <= MAX_COVERAGE_RADIUS_KM) {
        return Err(Error::invalid(
            field,
            r.to_string(),
            format!("a radius is a number of km above 0 and at most {MAX_COVERAGE_RADIUS_KM}"),
        ));
    }
    Ok(())
}

/// The radii as the count buckets them: their haversine terms in increasing order, the largest
/// radius, and where each radius of the request sits among the buckets.
pub(crate) struct Buckets {
    pub h_sorted: Vec<f64>,
    pub r_max: f64,
    /// Bucket of radius `i` (request order).
    pub of: Vec<usize>,
}

impl Buckets {
    /// From checked radii (at least one).
    pub fn new(radii: &[f64]) -> Buckets {
        let mut order: Vec<usize> = (0..radii.len()).collect();
        order.stable_by(|&a, &b| radii[a].total_cmp(&radii[b]));
        Buckets {
            h_sorted: order.iter().map(|&i| Radians::h_of_km(radii[i])).collect(),
            r_max: order.last().map_or(0.0, |&i| radii[i]),
            of: (0..order.len())
                .map(|i| order.iter().position(|&o| o == i).unwrap_or(0))
                .collect(),
        }
    }
}
