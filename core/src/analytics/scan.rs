//! The counting machinery: every stage, ambassador and company of the catalogue that passes
//! the request's filters, with its sectors, in one grid; a pass over the grid cells around an
//! origin counts what lies within each radius for every sector at once.

// Tables and accumulators are indexed by positions this module lays out itself (sector and
// facet indices below their counts, rows below the table length); counts are bounded by the
// catalogue's size.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

pub(crate) use super::sectors::{check_radii, check_radius, Buckets, Sectors};
use crate::calendar::Period;
use crate::catalog::{Audience, ContactMode, StageKind};
use crate::sorting::Sort;

use crate::geo::{Radians, EARTH_RADIUS_KM};
use crate::rank::{audience_bits, CatalogIndex, Grid};

/// Most radii one request may ask.
pub const MAX_RADII: usize = 8;
/// Largest radius, km.
pub const MAX_COVERAGE_RADIUS_KM: f64 = 200.0;

/// One split of the stages: a kind, a holiday, both or neither.
#[derive(Debug, Clone)]
pub(crate) struct Facet {
    pub kind: Option<StageKind>,
    pub holiday: Option<(String, Period)>,
}

const STAGE: u8 = 0;
const AMBASSADOR: u8 = 1;
const COMPANY: u8 = 2;

/// Every offer that passes the filters, in grid-cell order.
pub(crate) struct Offers {
    pub sector_count: usize,
    pub facet_count: usize,
    grid: Grid,
    at: Vec<Radians>,
    what: Vec<u8>,
    sector_start: Vec<u32>,
    sector_list: Vec<u16>,
    /// Stages: places left; ambassadors: contact modes as bits (phone, video, class, company).
    value: Vec<u32>,
    /// Stages: the facets they belong to, as bits.
    facets: Vec<u64>,
    /// Per facet × sector: the stages' positions, for the nearest beyond every radius.
    nearest: Vec<(Grid, Vec<Radians>)>,
}

/// One offer before layout.
struct Pending {
    lat: f64,
    lon: f64,
    what: u8,
    sectors: Vec<u16>,
    value: u32,
    facets: u64,
}

fn mode_bit(m: ContactMode) -> u32 {
    match m {
        ContactMode::Phone => 1,
        ContactMode::Video => 2,
        ContactMode::ClassVisit => 4,
        ContactMode::CompanyVisit => 8,
    }
}

impl Offers {
    pub fn build(
        index: &CatalogIndex,
        sectors: &Sectors,
        facets: &[Facet],
        kind: Option<StageKind>,
        audience: Option<Audience>,
    ) -> Offers {
        let wanted = audience.map_or(0, |a| audience_bits(&[a]));
        let fits = |bits: u8| wanted == 0 || bits & wanted != 0;
        let mut pending = Vec::new();
        let mut company_sectors: Vec<Vec<u16>> = vec![Vec::new(); index.company_counts.len()];
        let t = &index.stages;
        for (r, f) in t.facts.iter().enumerate() {
            if f.places_left == 0 || !fits(f.audiences) || kind.is_some_and(|k| k != f.kind) {
                continue;
            }
            let mut bits = 0u64;
            for (i, facet) in facets.iter().enumerate() {
                let in_kind = facet.kind.is_none_or(|k| k == f.kind);
                let in_holiday = facet
                    .holiday
                    .as_ref()
                    .is_none_or(|(_, h)| f.stage.periods.iter().any(|p| h.contains(p)));
                if in_kind && in_holiday {
                    bits |= 1 << i;
                }
            }
            let s = sectors.of(t.metiers(r));
            if s.is_empty() {
                continue;
            }
            let c = &t.common[r];
            if let Some(list) = company_sectors.get_mut(c.company as usize) {
                list.extend_from_slice(&s);
            }
            pending.push(Pending {
                lat: c.lat,
                lon: c.lon,
                what: STAGE,
                sectors: s,
                value: f.places_left,
                facets: bits,
            });
        }
        let t = &index.ambassadors;
        for (r, f) in t.facts.iter().enumerate() {
            if !fits(f.audiences) {
                continue;
            }
            let s = sectors.of(t.metiers(r));
            if s.is_empty() {
                continue;
            }
            let c = &t.common[r];
            if let Some(list) = company_sectors.get_mut(c.company as usize) {
                list.extend_from_slice(&s);
            }
            let modes = f.modes.iter().fold(0, |acc, &m| acc | mode_bit(m));
            pending.push(Pending {
                lat: c.lat,
                lon: c.lon,
                what: AMBASSADOR,
                sectors: s,
                value: modes,
                facets: 0,
            });
        }
        for c in &index.companies.common {
            let Some(list) = company_sectors.get_mut(c.company as usize) else {
                continue;
            };
            let mut s = std::mem::take(list);
            s.unstable();
            s.dedup();
            if !s.is_empty() {
                pending.push(Pending {
                    lat: c.lat,
                    lon: c.lon,
                    what: COMPANY,
                    sectors: s,
                    value: 0,
                    facets: 0,
                });
            }
        }
        Offers::layout(&pending, sectors.labels.len(), facets.len())
    }

    fn layout(pending: &[Pending], sector_count: usize, facet_count: usize) -> Offers {
        let points: Vec<(f64, f64)> = pending.iter().map(|p| (p.lat, p.lon)).collect();
        let (grid, order) = Grid::layout(&points);
        let mut o = Offers {
            sector_count,
            facet_count,
            grid,
            at: Vec::with_capacity(order.len()),
            what: Vec::with_capacity(order.len()),
            sector_start: vec![0],
            sector_list: Vec::new(),
            value: Vec::with_capacity(order.len()),
            facets: Vec::with_capacity(order.len()),
            nearest: Vec::new(),
        };
        let mut lists: Vec<Vec<(f64, f64)>> = vec![Vec::new(); facet_count * sector_count];
        for i in order {
            let p = &pending[i];
            o.at.push(Radians::new((p.lat, p.lon)));
            o.what.push(p.what);
            o.sector_list.extend_from_slice(&p.sectors);
            o.sector_start.push(o.sector_list.len() as u32);
            o.value.push(p.value);
            o.facets.push(p.facets);
            if p.what == STAGE {
                for f in (0..facet_count).filter(|f| p.facets & (1 << f) != 0) {
                    for &s in &p.sectors {
                        lists[f * sector_count + s as usize].push((p.lat, p.lon));
                    }
                }
            }
        }
        o.nearest = lists
            .into_iter()
            .map(|points| {
                let (grid, order) = Grid::layout(&points);
                let at = order.iter().map(|&i| Radians::new(points[i])).collect();
                (grid, at)
            })
            .collect();
        o
    }
}

/// What one origin has within each radius. Bucket `b` of a radius list sorted increasingly
/// holds what lies within radius `b` but not within `b − 1`; [`Counts::cumulate`] turns buckets
/// into "within radius b".
pub(crate) struct Counts {
    /// [facet][sector][bucket]
    pub stages: Vec<u32>,
    pub places: Vec<u64>,
    /// [sector][bucket]
    pub companies: Vec<u32>,
    /// [sector][bucket][all, phone, video, class, company]
    pub ambassadors: Vec<[u32; 5]>,
    /// [facet][sector]: nearest stage, km.
    pub nearest: Vec<Option<f64>>,
}

impl Offers {
    /// Counts around one origin; `h_sorted` are the haversine terms of the radii, increasing.
    // Indices keep the letters of their dimensions: facet f, sector s, bucket b, slot k.
    #[allow(clippy::many_single_char_names)]
    pub fn count(&self, origin: (f64, f64), h_sorted: &[f64], r_max_km: f64) -> Counts {
        let (nf, ns, nb) = (self.facet_count, self.sector_count, h_sorted.len());
        let mut c = Counts {
            stages: vec![0; nf * ns * nb],
            places: vec![0; nf * ns * nb],
            companies: vec![0; ns * nb],
            ambassadors: vec![[0; 5]; ns * nb],
            nearest: vec![None; nf * ns],
        };
        let mut best = vec![f64::INFINITY; nf * ns];
        let here = Radians::new(origin);
        let h_max = h_sorted.last().copied().unwrap_or(0.0);
        self.grid.candidates(origin.0, origin.1, r_max_km, |row| {
            let row = row as usize;
            let h = here.haversine(&self.at[row]);
            if h > h_max {
                return;
            }
            let b = h_sorted.iter().position(|&t| h <= t).unwrap_or(nb - 1);
            let sectors = &self.sector_list
                [self.sector_start[row] as usize..self.sector_start[row + 1] as usize];
            match self.what[row] {
                STAGE => {
                    let bits = self.facets[row];
                    for f in (0..nf).filter(|f| bits & (1 << f) != 0) {
                        for &s in sectors {
                            let k = f * ns + s as usize;
                            c.stages[k * nb + b] += 1;
                            c.places[k * nb + b] += u64::from(self.value[row]);
                            best[k] = best[k].min(h);
                        }
                    }
                }
                AMBASSADOR => {
                    let m = self.value[row];
                    for &s in sectors {
                        let a = &mut c.ambassadors[s as usize * nb + b];
                        a[0] += 1;
                        for (bit, slot) in [(1, 1), (2, 2), (4, 3), (8, 4)] {
                            a[slot] += u32::from(m & bit != 0);
                        }
                    }
                }
                _ => {
                    for &s in sectors {
                        c.companies[s as usize * nb + b] += 1;
                    }
                }
            }
        });
        for (k, h) in best.iter().enumerate() {
            c.nearest[k] = if h.is_finite() {
                Some(Radians::km_of_h(*h))
            } else {
                self.nearest_beyond(k, &here, origin, r_max_km)
            };
        }
        c.cumulate(nb);
        c
    }

    /// The nearest stage of one facet × sector when none lies within the largest radius: the
    /// search circle doubles until it holds one.
    fn nearest_beyond(
        &self,
        k: usize,
        here: &Radians,
        origin: (f64, f64),
        from_km: f64,
    ) -> Option<f64> {
        let (grid, at) = self.nearest.get(k)?;
        if at.is_empty() {
            return None;
        }
        let mut r = from_km.max(1.0);
        loop {
            r *= 2.0;
            let limit = Radians::h_of_km(r);
            let mut best = f64::INFINITY;
            grid.candidates(origin.0, origin.1, r, |i| {
                best = best.min(here.haversine(&at[i as usize]));
            });
            if best <= limit || r > std::f64::consts::PI * EARTH_RADIUS_KM {
                return Some(Radians::km_of_h(best)).filter(|d| d.is_finite());
            }
        }
    }
}

impl Counts {
    /// Buckets into "within radius b": each bucket adds the ones before it.
    fn cumulate(&mut self, nb: usize) {
        fn run<T: Copy + std::ops::AddAssign>(v: &mut [T], nb: usize) {
            for chunk in v.chunks_mut(nb) {
                for b in 1..chunk.len() {
                    let prev = chunk[b - 1];
                    chunk[b] += prev;
                }
            }
        }
        run(&mut self.stages, nb);
        run(&mut self.places, nb);
        run(&mut self.companies, nb);
        for chunk in self.ambassadors.chunks_mut(nb) {
            for b in 1..chunk.len() {
                let prev = chunk[b - 1];
                for (x, p) in chunk[b].iter_mut().zip(prev) {
                    *x += p;
                }
            }
        }
    }
}
