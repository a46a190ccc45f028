//! What a search scans: a compact copy of the catalogue (positions, métiers, the fields the
//! filters read) and a uniform grid over latitude and longitude, so a query near a place only
//! looks at the cells its radius covers, never the whole catalogue.

use crate::catalog::{Ambassador, Audience, Catalog, ContactMode, Stage, StageKind};
use crate::date::Period;
use crate::geo::{Radians, EARTH_RADIUS_KM};
use crate::referential::Referential;

/// Cell size in degrees (about 11 km north–south, 7 km east–west in Normandy).
const CELL_DEG: f64 = 0.1;

/// A uniform grid of points, in CSR form: points of cell `c` are `items[start[c]..start[c+1]]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grid {
    lat0: f64,
    lon0: f64,
    rows: usize,
    cols: usize,
    start: Vec<u32>,
    items: Vec<u32>,
}

impl Grid {
    pub(crate) fn build(points: &[(f64, f64)]) -> Grid {
        if points.is_empty() {
            return Grid::default();
        }
        let (mut lat0, mut lat1, mut lon0, mut lon1) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
        for &(lat, lon) in points {
            lat0 = lat0.min(lat);
            lat1 = lat1.max(lat);
            lon0 = lon0.min(lon);
            lon1 = lon1.max(lon);
        }
        let rows = ((lat1 - lat0) / CELL_DEG) as usize + 1;
        let cols = ((lon1 - lon0) / CELL_DEG) as usize + 1;
        let cell_of = |&(lat, lon): &(f64, f64)| {
            let r = ((lat - lat0) / CELL_DEG) as usize;
            let c = ((lon - lon0) / CELL_DEG) as usize;
            r.min(rows - 1) * cols + c.min(cols - 1)
        };
        let mut start = vec![0u32; rows * cols + 1];
        for p in points {
            start[cell_of(p) + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut fill = start.clone();
        let mut items = vec![0u32; points.len()];
        for (i, p) in points.iter().enumerate() {
            let c = cell_of(p);
            items[fill[c] as usize] = i as u32;
            fill[c] += 1;
        }
        Grid {
            lat0,
            lon0,
            rows,
            cols,
            start,
            items,
        }
    }

    /// Calls `f` with every point in the cells that a circle of `radius_km` around
    /// (lat, lon) touches (a superset: the caller checks the exact distance).
    pub(crate) fn candidates(&self, lat: f64, lon: f64, radius_km: f64, mut f: impl FnMut(u32)) {
        if self.items.is_empty() {
            return;
        }
        let dlat = (radius_km / EARTH_RADIUS_KM).to_degrees();
        let cos = libm::cos(lat.to_radians()).max(0.01);
        let dlon = (dlat / cos).min(180.0);
        let row = |x: f64| ((x - self.lat0) / CELL_DEG).floor();
        let col = |x: f64| ((x - self.lon0) / CELL_DEG).floor();
        let r0 = row(lat - dlat).max(0.0) as usize;
        let r1 = row(lat + dlat).min(self.rows as f64 - 1.0);
        let c0 = col(lon - dlon).max(0.0) as usize;
        let c1 = col(lon + dlon).min(self.cols as f64 - 1.0);
        if r1 < 0.0 || c1 < 0.0 {
            return;
        }
        for r in r0..=r1 as usize {
            let base = r * self.cols;
            let (a, b) = (self.start[base + c0], self.start[base + c1 as usize + 1]);
            for &i in &self.items[a as usize..b as usize] {
                f(i);
            }
        }
    }
}

/// Fields every entity shares.
#[derive(Debug, Clone)]
pub(crate) struct Common {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    /// The position in radians with its cosine, for distances.
    pub at: Radians,
    /// Métier indices in the referential.
    pub metiers: Vec<u16>,
    /// Company index (`u32::MAX` for none).
    pub company: u32,
    /// Département code.
    pub departement: String,
}

/// Audiences as a bit set.
pub(crate) fn audience_bits(list: &[Audience]) -> u8 {
    list.iter().fold(0, |acc, a| acc | (1 << (*a as u8)))
}

#[derive(Debug, Clone)]
pub(crate) struct StageFacts {
    pub kind: StageKind,
    pub places_left: u32,
    pub audiences: u8,
    pub periods: Vec<Period>,
    pub max_group: Option<u16>,
}

#[derive(Debug, Clone)]
pub(crate) struct AmbassadorFacts {
    pub modes: Vec<ContactMode>,
    pub audiences: u8,
    pub availability: Vec<Period>,
    pub travel_radius_km: Option<f64>,
    pub class_group: Option<u16>,
    pub company_group: Option<u16>,
    pub bookings: u32,
    pub response_rate: Option<f64>,
}

/// One searchable table: common fields, kind-specific facts, a grid.
#[derive(Debug, Clone)]
pub(crate) struct Table<F> {
    pub common: Vec<Common>,
    pub facts: Vec<F>,
    pub grid: Grid,
}

impl<F> Table<F> {
    fn finish(common: Vec<Common>, facts: Vec<F>) -> Table<F> {
        let points: Vec<(f64, f64)> = common.iter().map(|c| (c.lat, c.lon)).collect();
        Table {
            grid: Grid::build(&points),
            common,
            facts,
        }
    }
}

/// The whole catalogue, ready to search.
#[derive(Debug, Clone)]
pub(crate) struct CatalogIndex {
    pub stages: Table<StageFacts>,
    pub ambassadors: Table<AmbassadorFacts>,
    /// Companies; their métiers are those of their stages and ambassadors.
    pub companies: Table<()>,
    /// Per company: (stages, ambassadors) counts.
    pub company_counts: Vec<(u32, u32)>,
}

fn metier_indices(rome: &Referential, codes: &[String]) -> Vec<u16> {
    codes
        .iter()
        .filter_map(|c| rome.metier_index(c).ok())
        .map(|i| i as u16)
        .collect()
}

impl CatalogIndex {
    pub(crate) fn build(rome: &Referential, catalog: &Catalog) -> CatalogIndex {
        let company_ids: Vec<String> = catalog.companies().map(|c| c.id.clone()).collect();
        let company_of = |id: Option<&String>| {
            id.and_then(|id| company_ids.binary_search(id).ok())
                .map_or(u32::MAX, |i| i as u32)
        };
        let mut company_metiers: Vec<Vec<u16>> = vec![Vec::new(); company_ids.len()];
        let mut company_counts = vec![(0u32, 0u32); company_ids.len()];

        let (mut common, mut facts) = (Vec::new(), Vec::new());
        for s in catalog.stages() {
            let Some(c) = stage_common(rome, s, company_of(Some(&s.company))) else {
                continue;
            };
            if let Some(k) = company_metiers.get_mut(c.company as usize) {
                k.extend_from_slice(&c.metiers);
                company_counts[c.company as usize].0 += 1;
            }
            common.push(c);
            facts.push(StageFacts {
                kind: s.kind,
                places_left: s.places_left(),
                audiences: audience_bits(&s.audiences),
                periods: s.periods.clone(),
                max_group: s.max_group,
            });
        }
        let stages = Table::finish(common, facts);

        let (mut common, mut facts) = (Vec::new(), Vec::new());
        for a in catalog.ambassadors() {
            let Some(c) = ambassador_common(rome, a, company_of(a.company.as_ref())) else {
                continue;
            };
            if let Some(k) = company_metiers.get_mut(c.company as usize) {
                k.extend_from_slice(&c.metiers);
                company_counts[c.company as usize].1 += 1;
            }
            common.push(c);
            let group = |m: ContactMode| a.contact(m).map(|c| c.max_group.unwrap_or(u16::MAX));
            facts.push(AmbassadorFacts {
                modes: a.contacts.iter().map(|c| c.mode).collect(),
                audiences: audience_bits(&a.audiences),
                availability: a.availability.clone(),
                travel_radius_km: a.travel_radius_km,
                class_group: group(ContactMode::ClassVisit),
                company_group: group(ContactMode::CompanyVisit),
                bookings: a.bookings,
                response_rate: a.response_rate,
            });
        }
        let ambassadors = Table::finish(common, facts);

        let mut common = Vec::new();
        for (i, c) in catalog.companies().enumerate() {
            let Some((lat, lon)) = c.place.point() else {
                continue;
            };
            let mut metiers = std::mem::take(&mut company_metiers[i]);
            metiers.sort_unstable();
            metiers.dedup();
            common.push(Common {
                id: c.id.clone(),
                lat,
                lon,
                at: Radians::new((lat, lon)),
                metiers,
                company: i as u32,
                departement: c.place.departement.clone().unwrap_or_default(),
            });
        }
        let rows = common.len();
        let companies = Table::finish(common, vec![(); rows]);
        CatalogIndex {
            stages,
            ambassadors,
            companies,
            company_counts,
        }
    }

    /// Keeps the places left of a stage in step after a reservation.
    pub(crate) fn set_places_left(&mut self, stage_id: &str, left: u32) {
        if let Ok(i) = self
            .stages
            .common
            .binary_search_by(|c| c.id.as_str().cmp(stage_id))
        {
            self.stages.facts[i].places_left = left;
        }
    }
}

fn stage_common(rome: &Referential, s: &Stage, company: u32) -> Option<Common> {
    let place = s.place.as_ref()?;
    let (lat, lon) = place.point()?;
    Some(Common {
        id: s.id.clone(),
        lat,
        lon,
        at: Radians::new((lat, lon)),
        metiers: metier_indices(rome, &s.metiers),
        company,
        departement: place.departement.clone().unwrap_or_default(),
    })
}

fn ambassador_common(rome: &Referential, a: &Ambassador, company: u32) -> Option<Common> {
    let place = a.place.as_ref()?;
    let (lat, lon) = place.point()?;
    Some(Common {
        id: a.id.clone(),
        lat,
        lon,
        at: Radians::new((lat, lon)),
        metiers: metier_indices(rome, &a.metiers),
        company,
        departement: place.departement.clone().unwrap_or_default(),
    })
}
