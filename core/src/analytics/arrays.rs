//! A coverage as typed columns, for data frames: each row's origin, sector and facet as an
//! index into the coverage's tables, counts in plain arrays.

use super::model::Coverage;

/// A coverage as typed columns, one entry a row, for data frames: the origin, sector and facet
/// (kind and holiday) of each row as an index into [`Coverage::places`], [`Coverage::sectors`]
/// and `facets`; missing distances are NaN.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CoverageArrays {
    /// Index of the row's origin in `places`.
    pub origin: Vec<u32>,
    /// Index of the row's sector in `sectors`.
    pub sector: Vec<u32>,
    /// Index of the row's facet in `facets`.
    pub facet: Vec<u32>,
    /// The facets: kind and holiday.
    pub facets: Vec<(Option<crate::catalog::StageKind>, Option<String>)>,
    /// Radius, km.
    pub radius_km: Vec<f64>,
    /// Stages with a place left.
    pub stages: Vec<u32>,
    /// Their places left.
    pub places_left: Vec<u64>,
    /// Companies.
    pub companies: Vec<u32>,
    /// Ambassadors.
    pub ambassadors: Vec<u32>,
    /// By phone.
    pub phone: Vec<u32>,
    /// By video.
    pub video: Vec<u32>,
    /// Coming to a class.
    pub class_visit: Vec<u32>,
    /// Receiving a class.
    pub company_visit: Vec<u32>,
    /// Nearest stage, km (NaN when none).
    pub nearest_stage_km: Vec<f64>,
}

impl Coverage {
    /// The rows as typed columns (see [`CoverageArrays`]).
    pub fn arrays(&self) -> CoverageArrays {
        let mut c = CoverageArrays::default();
        let per = if self.places.is_empty() {
            1
        } else {
            self.rows.len() / self.places.len()
        };
        for (i, r) in self.rows.iter().enumerate() {
            c.origin
                .push(u32::try_from(i.checked_div(per).unwrap_or(0)).unwrap_or(u32::MAX));
            let s = self
                .sectors
                .iter()
                .position(|s| *s.code == *r.sector)
                .unwrap_or(0);
            c.sector.push(u32::try_from(s).unwrap_or(u32::MAX));
            let f = c
                .facets
                .iter()
                .position(|x| x.0 == r.kind && x.1.as_deref() == r.holiday.as_deref())
                .unwrap_or_else(|| {
                    c.facets
                        .push((r.kind, r.holiday.as_deref().map(String::from)));
                    c.facets.len().saturating_sub(1)
                });
            c.facet.push(u32::try_from(f).unwrap_or(u32::MAX));
            c.radius_km.push(r.radius_km);
            c.stages.push(r.stages);
            c.places_left.push(r.places_left);
            c.companies.push(r.companies);
            c.ambassadors.push(r.ambassadors);
            c.phone.push(r.phone);
            c.video.push(r.video);
            c.class_visit.push(r.class_visit);
            c.company_visit.push(r.company_visit);
            c.nearest_stage_km
                .push(r.nearest_stage_km.unwrap_or(f64::NAN));
        }
        c
    }
}
