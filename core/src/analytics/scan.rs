//! The counting machinery: every stage, ambassador and company of the catalogue that passes
//! the request's filters, with its sectors, in one grid; a pass over the grid cells around an
//! origin counts what lies within each radius for every sector at once.
//!
//! Within each cell, the offers of one sub-cell form a group with its counts added up, its
//! centre and how far its offers lie from it. A group that lies wholly inside one ring around
//! the origin (by the triangle inequality, with room for rounding) is counted at once; one
//! across a ring's edge, or within `NEAR_KM` of the origin, offer by offer. The counts are
//! those of reading every offer one by one (a property test compares both ways, and the France
//! coverage was compared whole, 489,048 rows equal).

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

/// Whether offers are counted by groups (below). Not in the browser module: its catalogues are
/// a site's, a few thousand offers, and the groups' code took its brotli download past 600 KiB
/// (601.3); it reads every offer one by one, the count the groups are tested against.
const GROUPED: bool = !cfg!(target_arch = "wasm32");

/// Sub-cells a side in each grid cell, for the groups (0.0125°: about 1.4 km north–south and
/// 0.9 km east–west in France).
const GROUP_PARTS: f64 = 8.0;
/// A group is read row by row when it may hold an offer within this of the origin: every
/// sector's nearest stage within it is then one of the rows read (see [`Offers::count`]).
const NEAR_KM: f64 = 2.0;
/// Cell side of the grids of each facet × sector's stages, searched for the nearest stage
/// beyond the largest radius (from twice it outwards): coarser than the search's 0.1°, since
/// each is a table of every cell of its stages' bounding box (France's, overseas included, is
/// 852,600 cells at 0.1°, and fourteen of them took 50 ms to lay out).
const NEAREST_CELL_DEG: f64 = 0.5;
/// Room for rounding in a group's bounds, as a half chord (below): 2.5 m. A computed distance
/// is off by far less (below 0.5 m, for points a few metres apart, where `1 − cos` loses the
/// most).
const ROOM: f64 = 2.5e-3 / (2.0 * EARTH_RADIUS_KM);

/// The half chord of two points on the unit sphere, `sin(d / 2R)`: the square root of their
/// haversine term. It grows with the distance and, a Euclidean distance, obeys the triangle
/// inequality, which bounds a group's offers from its centre (no inverse sine per group).
fn half_chord(h: f64) -> f64 {
    libm::sqrt(h)
}

/// Neighbouring offers of one grid cell (rows `rows`), with their counts added up: a circle
/// that holds the whole group in one of its rings counts it at once instead of row by row.
struct Group {
    /// The mean of its offers' positions.
    centre: Radians,
    /// No offer of the group lies farther than this from the centre, as a half chord
    /// (rounding included).
    reach: f64,
    rows: (u32, u32),
    /// Ranges of the group's sums in `Offers::stage_sums`, `company_sums`, `ambassador_sums`.
    stages: (u32, u32),
    companies: (u32, u32),
    ambassadors: (u32, u32),
}

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
    /// The groups of each cell: `groups[cell_groups[c]..cell_groups[c + 1]]`.
    groups: Vec<Group>,
    cell_groups: Vec<u32>,
    /// Per group, per facet × sector with stages: their counts and where they are.
    stage_sums: Vec<StageSum>,
    /// The distinct positions of each `StageSum`'s stages.
    stage_points: Vec<Radians>,
    /// Per group, per sector with companies: (sector, companies).
    company_sums: Vec<(u16, u32)>,
    /// Per group, per sector with ambassadors: (sector, [all, phone, video, class, company]).
    ambassador_sums: Vec<(u16, [u32; 5])>,
}

/// A group's stages of one facet × sector.
struct StageSum {
    /// Facet × sector.
    k: u32,
    stages: u32,
    places: u64,
    /// Range of their distinct positions in `Offers::stage_points`, for the nearest stage.
    points: (u32, u32),
}

/// Points in degrees and as [`Radians`], in one order.
#[derive(Clone, Default)]
struct Positions {
    degrees: Vec<(f64, f64)>,
    at: Vec<Radians>,
}

/// One offer before layout; its sectors are `Gathered::sectors[sectors.0..sectors.1]`.
#[derive(Debug)]
struct Pending {
    lat: f64,
    lon: f64,
    what: u8,
    sectors: (u32, u32),
    value: u32,
    facets: u64,
}

/// The offers before layout, their sectors in one list (a list of its own for each offer, and
/// one for each company, were 600,000 allocations at France scale).
#[derive(Debug, Default)]
struct Gathered {
    pending: Vec<Pending>,
    sectors: Vec<u16>,
}

impl Gathered {
    /// An offer whose sectors are those pushed since `from`, and its (company, sector) pairs
    /// when `of_company` is given; one in no reported sector is left out.
    fn push(
        &mut self,
        c: &crate::rank::Common,
        what: u8,
        value: u32,
        facets: u64,
        from: usize,
        of_company: Option<&mut CompanySectors>,
    ) {
        if self.sectors.len() == from {
            return;
        }
        if let Some(pairs) = of_company.filter(|_| c.company != u32::MAX) {
            for &s in &self.sectors[from..] {
                pairs.set(c.company, s);
            }
        }
        self.pending.push(Pending {
            lat: c.lat,
            lon: c.lon,
            what,
            sectors: (from as u32, self.sectors.len() as u32),
            value,
            facets,
        });
    }

    fn sectors_of(&self, p: &Pending) -> &[u16] {
        &self.sectors[p.sectors.0 as usize..p.sectors.1 as usize]
    }
}

/// The sectors of each company's stages and ambassadors: a bit per (company, sector), where
/// a list of one pair per offer sorted then deduplicated took a third of building the offers
/// at France scale.
struct CompanySectors {
    words: usize,
    bits: Vec<u64>,
}

impl CompanySectors {
    fn new(companies: usize, sectors: usize) -> Self {
        let words = sectors.div_ceil(64);
        CompanySectors {
            words,
            bits: vec![0; companies.saturating_mul(words)],
        }
    }

    /// Marks a pair (one of a company the index does not have is left out, as the runs of
    /// companies below leave it out).
    fn set(&mut self, company: u32, sector: u16) {
        let at = company as usize * self.words + usize::from(sector) / 64;
        if let Some(word) = self.bits.get_mut(at) {
            *word |= 1 << (sector % 64);
        }
    }

    /// A company's sectors, increasing.
    fn of(&self, company: usize) -> impl Iterator<Item = u16> + '_ {
        let words = self
            .bits
            .get(company * self.words..(company + 1) * self.words);
        words
            .into_iter()
            .flatten()
            .enumerate()
            .flat_map(|(w, &word)| {
                (0..64u16)
                    .filter(move |b| word & (1 << b) != 0)
                    .map(move |b| w as u16 * 64 + b)
            })
    }
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
        let mut g = Gathered::default();
        // The sectors of every stage and ambassador of each company, for the companies' own rows.
        let companies = index.company_counts.len();
        let mut of_company = CompanySectors::new(companies, sectors.labels.len());
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
            let from = g.sectors.len();
            sectors.of_into(t.metiers(r), &mut g.sectors);
            let c = &t.common[r];
            g.push(c, STAGE, f.places_left, bits, from, Some(&mut of_company));
        }
        let t = &index.ambassadors;
        for (r, f) in t.facts.iter().enumerate() {
            if !fits(f.audiences) {
                continue;
            }
            let from = g.sectors.len();
            sectors.of_into(t.metiers(r), &mut g.sectors);
            let modes = f.modes.iter().fold(0, |acc, &m| acc | mode_bit(m));
            g.push(
                &t.common[r],
                AMBASSADOR,
                modes,
                0,
                from,
                Some(&mut of_company),
            );
        }
        for c in &index.companies.common {
            if c.company as usize >= companies {
                continue;
            }
            let from = g.sectors.len();
            g.sectors.extend(of_company.of(c.company as usize));
            g.push(c, COMPANY, 0, 0, from, None);
        }
        Offers::layout(&g, sectors.labels.len(), facets.len())
    }

    fn layout(gathered: &Gathered, sector_count: usize, facet_count: usize) -> Offers {
        let pending = &gathered.pending;
        let points: Vec<(f64, f64)> = pending.iter().map(|p| (p.lat, p.lon)).collect();
        let (grid, mut order) = Grid::layout(&points);
        // Within each cell, the rows of one sub-cell together: the groups.
        let fine: Vec<(u64, u64)> = if GROUPED {
            crate::rank::map_maybe_parallel(&points, |&p| grid.fine_cell(p, GROUP_PARTS))
        } else {
            Vec::new()
        };
        for c in (0..grid.cell_count()).filter(|_| GROUPED) {
            order[grid.rows_of(c)].stable_by_key(|&i| fine[i]);
        }
        // The positions' sines and cosines (four each), on both threads where there are two.
        let at = crate::rank::map_maybe_parallel(&order, |&i| {
            Radians::new((pending[i].lat, pending[i].lon))
        });
        let mut o = Offers {
            sector_count,
            facet_count,
            grid,
            at,
            what: Vec::with_capacity(order.len()),
            sector_start: vec![0],
            sector_list: Vec::new(),
            value: Vec::with_capacity(order.len()),
            facets: Vec::with_capacity(order.len()),
            nearest: Vec::new(),
            groups: Vec::new(),
            cell_groups: Vec::new(),
            stage_sums: Vec::new(),
            stage_points: Vec::new(),
            company_sums: Vec::new(),
            ambassador_sums: Vec::new(),
        };
        // Per facet × sector, its stages' positions (with the groups, each position once).
        let mut lists: Vec<Positions> = vec![Positions::default(); facet_count * sector_count];
        for (k, &i) in order.iter().enumerate() {
            let p = &pending[i];
            let at = o.at[k];
            o.what.push(p.what);
            o.sector_list.extend_from_slice(gathered.sectors_of(p));
            o.sector_start.push(o.sector_list.len() as u32);
            o.value.push(p.value);
            o.facets.push(p.facets);
            if !GROUPED && p.what == STAGE {
                for f in (0..facet_count).filter(|f| p.facets & (1 << f) != 0) {
                    for &s in gathered.sectors_of(p) {
                        let list = &mut lists[f * sector_count + s as usize];
                        list.degrees.push((p.lat, p.lon));
                        list.at.push(at);
                    }
                }
            }
        }
        if GROUPED {
            let degrees = o.group(&order, &fine, &points);
            for sum in &o.stage_sums {
                let list = &mut lists[sum.k as usize];
                let range = sum.points.0 as usize..sum.points.1 as usize;
                list.degrees.extend_from_slice(&degrees[range.clone()]);
                list.at.extend_from_slice(&o.stage_points[range]);
            }
        }
        // One grid per facet × sector, built on both threads where there are two.
        o.nearest = crate::rank::map_maybe_parallel(&lists, |list| {
            let (grid, order) = Grid::layout_in(&list.degrees, NEAREST_CELL_DEG);
            (grid, order.iter().map(|&i| list.at[i]).collect())
        });
        o
    }
}

impl Offers {
    /// The groups: in each cell, the rows of one sub-cell (consecutive in `order`), with their
    /// centre, their reach and their sums; the positions of `stage_points` in degrees.
    fn group(
        &mut self,
        order: &[usize],
        fine: &[(u64, u64)],
        points: &[(f64, f64)],
    ) -> Vec<(f64, f64)> {
        let mut degrees = Vec::new();
        // (facet × sector, row) of each stage entry.
        let mut stages: Vec<(u32, u32)> = Vec::new();
        let mut seen = Vec::new();
        let mut companies: Vec<(u16, u32)> = Vec::new();
        let mut ambassadors: Vec<(u16, [u32; 5])> = Vec::new();
        for c in 0..self.grid.cell_count() {
            self.cell_groups.push(self.groups.len() as u32);
            let rows = self.grid.rows_of(c);
            let mut from = rows.start;
            while from < rows.end {
                let key = fine[order[from]];
                let mut to = from + 1;
                while to < rows.end && fine[order[to]] == key {
                    to += 1;
                }
                let n = (to - from) as f64;
                let (lat, lon) = order[from..to].iter().fold((0.0, 0.0), |(a, b), &i| {
                    (a + points[i].0 / n, b + points[i].1 / n)
                });
                let centre = Radians::new((lat, lon));
                let reach = (from..to)
                    .map(|r| half_chord(centre.haversine(&self.at[r])))
                    .fold(0.0f64, f64::max);
                for r in from..to {
                    self.add_row(r, &mut stages, &mut companies, &mut ambassadors);
                }
                let stage_range =
                    self.stage_sums(&mut stages, &mut seen, &mut degrees, order, points);
                self.groups.push(Group {
                    centre,
                    reach: reach * (1.0 + 1e-9) + ROOM,
                    rows: (from as u32, to as u32),
                    stages: stage_range,
                    companies: summed(&mut companies, &mut self.company_sums, |a, b| a.1 += b.1),
                    ambassadors: summed(&mut ambassadors, &mut self.ambassador_sums, |a, b| {
                        for (x, y) in a.1.iter_mut().zip(b.1) {
                            *x += y;
                        }
                    }),
                });
                from = to;
            }
        }
        self.cell_groups.push(self.groups.len() as u32);
        degrees
    }

    /// A group's stage entries (facet × sector, row) summed by facet × sector, with the
    /// distinct positions of each; their range in `stage_sums`.
    fn stage_sums(
        &mut self,
        entries: &mut Vec<(u32, u32)>,
        seen: &mut Vec<((u64, u64), u32)>,
        degrees: &mut Vec<(f64, f64)>,
        order: &[usize],
        points: &[(f64, f64)],
    ) -> (u32, u32) {
        let from = self.stage_sums.len() as u32;
        entries.unstable();
        let mut at = 0;
        while at < entries.len() {
            let k = entries[at].0;
            let run = entries[at..].iter().take_while(|e| e.0 == k).count();
            let rows = &entries[at..at + run];
            let start = self.stage_points.len() as u32;
            let mut places = 0;
            // (latitude, longitude) as bits, and a row there.
            seen.clear();
            for &(_, row) in rows {
                places += u64::from(self.value[row as usize]);
                let (lat, lon) = points[order[row as usize]];
                seen.push(((lat.to_bits(), lon.to_bits()), row));
            }
            seen.unstable();
            seen.dedup_by_key(|e| e.0);
            for &(_, row) in seen.iter() {
                self.stage_points.push(self.at[row as usize]);
                degrees.push(points[order[row as usize]]);
            }
            self.stage_sums.push(StageSum {
                k,
                stages: run as u32,
                places,
                points: (start, self.stage_points.len() as u32),
            });
            at += run;
        }
        entries.clear();
        (from, self.stage_sums.len() as u32)
    }

    /// One row's counts, as [`Offers::count`] adds them row by row (one entry each).
    fn add_row(
        &self,
        row: usize,
        stages: &mut Vec<(u32, u32)>,
        companies: &mut Vec<(u16, u32)>,
        ambassadors: &mut Vec<(u16, [u32; 5])>,
    ) {
        self.adds(row, |add| match add {
            Add::Stage(k, _) => stages.push((k as u32, row as u32)),
            Add::Ambassador(s, modes) => ambassadors.push((s, modes)),
            Add::Company(s) => companies.push((s, 1)),
        });
    }

    /// What one row adds to the counts, entry by entry: a stage to each of its facets ×
    /// sectors, an ambassador and a company to each of their sectors. The one place that says
    /// it, for the rows read one by one and for the groups' sums.
    fn adds(&self, row: usize, mut add: impl FnMut(Add)) {
        let (nf, ns) = (self.facet_count, self.sector_count);
        let sectors =
            &self.sector_list[self.sector_start[row] as usize..self.sector_start[row + 1] as usize];
        match self.what[row] {
            STAGE => {
                let bits = self.facets[row];
                for f in (0..nf).filter(|f| bits & (1 << f) != 0) {
                    for &s in sectors {
                        add(Add::Stage(f * ns + s as usize, u64::from(self.value[row])));
                    }
                }
            }
            AMBASSADOR => {
                let m = self.value[row];
                let mut modes = [1, 0, 0, 0, 0];
                for (bit, slot) in [(1, 1), (2, 2), (4, 3), (8, 4)] {
                    modes[slot] = u32::from(m & bit != 0);
                }
                for &s in sectors {
                    add(Add::Ambassador(s, modes));
                }
            }
            _ => {
                for &s in sectors {
                    add(Add::Company(s));
                }
            }
        }
    }
}

/// One entry of what a row adds ([`Offers::adds`]).
enum Add {
    /// A stage to facet × sector `k`, with its places left.
    Stage(usize, u64),
    /// An ambassador to a sector: [all, phone, video, class, company].
    Ambassador(u16, [u32; 5]),
    /// A company to a sector.
    Company(u16),
}

/// Entries of one group summed by key (the first field), appended to `out`; their range there.
fn summed<K: Ord + Copy, T: Copy>(
    entries: &mut Vec<(K, T)>,
    out: &mut Vec<(K, T)>,
    add: impl Fn(&mut (K, T), (K, T)),
) -> (u32, u32) {
    let from = out.len() as u32;
    entries.stable_by_key(|e| e.0);
    for &e in entries.iter() {
        let fresh = out.len() as u32 == from;
        match out.last_mut() {
            Some(last) if !fresh && last.0 == e.0 => add(last, e),
            _ => out.push(e),
        }
    }
    entries.clear();
    (from, out.len() as u32)
}

/// What one origin has within each radius, the same with its groups counted whole or row by
/// row (`a_group_counted_whole_counts_what_its_rows_would` checks it). Bucket `b` of a radius
/// list sorted increasingly holds what lies within radius `b` but not within `b − 1`;
/// [`Counts::cumulate`] turns buckets into "within radius b".
#[derive(Debug, PartialEq)]
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
        if !GROUPED {
            return self.count_row_by_row(origin, h_sorted, r_max_km);
        }
        let (nf, ns, nb) = (self.facet_count, self.sector_count, h_sorted.len());
        let mut c = Counts::zero(nf, ns, nb);
        let mut best = vec![f64::INFINITY; nf * ns];
        let here = Radians::new(origin);
        // The rings' outer edges as half chords, for telling a group wholly inside one of them.
        let rings: Vec<f64> = h_sorted.iter().map(|&t| half_chord(t)).collect();
        let outer = rings.last().copied().unwrap_or(0.0);
        let near_q = half_chord(Radians::h_of_km(NEAR_KM));
        // The groups counted whole, with how near they may come (a half chord), for the
        // nearest stages.
        let mut taken: Vec<(f64, u32)> = Vec::new();
        self.grid
            .candidate_cells(origin.0, origin.1, r_max_km, |cell| {
                let groups = self.cell_groups[cell] as usize..self.cell_groups[cell + 1] as usize;
                for g in groups {
                    let group = &self.groups[g];
                    let d = half_chord(here.haversine(&group.centre));
                    // Every offer of the group lies between `near` and `far` of the origin.
                    let (near, far) = (d - group.reach, d + group.reach);
                    if near > outer + ROOM {
                        continue;
                    }
                    if near > near_q {
                        let ring = rings.iter().position(|&r| far < r - ROOM);
                        if let Some(b) = ring.filter(|&b| b == 0 || near > rings[b - 1] + ROOM) {
                            self.add_group(group, b, nb, &mut c);
                            taken.push((near, g as u32));
                            continue;
                        }
                    }
                    for row in group.rows.0 as usize..group.rows.1 as usize {
                        self.read_row(row, &here, h_sorted, &mut c, &mut best);
                    }
                }
            });
        self.nearest_in_taken(&taken, near_q, outer, &here, &mut best);
        self.finish(c, &best, &here, origin, r_max_km, nb)
    }

    /// A sector's nearest stage within `NEAR_KM` is one of the rows read. Beyond it, it may be
    /// in a group counted whole (`taken`): those are read, nearest first, until none can hold
    /// a stage nearer than the best found for any facet × sector still open.
    fn nearest_in_taken(
        &self,
        taken: &[(f64, u32)],
        near_q: f64,
        outer: f64,
        here: &Radians,
        best: &mut [f64],
    ) {
        let found = (near_q - ROOM) * (near_q - ROOM);
        // (A haversine term is never NaN: it is clamped at 0.)
        if best.iter().all(|&h| h < found) {
            return;
        }
        // Per facet × sector still open, how near a group must come to hold a nearer stage
        // (`-∞` once settled within NEAR_KM).
        let mut bar: Vec<f64> = best
            .iter()
            .map(|&h| {
                if h < found {
                    f64::NEG_INFINITY
                } else {
                    half_chord(h) + ROOM
                }
            })
            .collect();
        let mut widest = bar.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        // The groups in bands of how near they come, half of NEAR_KM wide, nearest band
        // first (placed by counting, not sorted): once the nearest a band's groups may come
        // is beyond every bar, so is every group after it.
        let width = near_q / 2.0;
        let bands = (outer / width) as usize + 2;
        let band = |near: f64| ((near / width) as usize).min(bands - 1);
        let keys: Vec<usize> = taken.iter().map(|t| band(t.0)).collect();
        let (order, start) = crate::sorting::by_counting(bands, &keys);
        for (b, &from) in start.iter().enumerate().take(bands) {
            if widest < b as f64 * width {
                break;
            }
            for &i in &order[from as usize..start[b + 1] as usize] {
                let (near, g) = taken[i];
                let group = &self.groups[g as usize];
                let mut nearer = false;
                for sum in &self.stage_sums[group.stages.0 as usize..group.stages.1 as usize] {
                    let k = sum.k as usize;
                    if bar[k] < near {
                        continue;
                    }
                    let h = self.nearest_in(sum, here);
                    if h < best[k] {
                        best[k] = h;
                        bar[k] = half_chord(h) + ROOM;
                        nearer = true;
                    }
                }
                if nearer {
                    widest = bar.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                }
            }
        }
    }

    /// Every row within reach read one by one: the count without the groups (the browser
    /// module's, and the reference the groups are tested against).
    fn count_row_by_row(&self, origin: (f64, f64), h_sorted: &[f64], r_max_km: f64) -> Counts {
        let (nf, ns, nb) = (self.facet_count, self.sector_count, h_sorted.len());
        let mut c = Counts::zero(nf, ns, nb);
        let mut best = vec![f64::INFINITY; nf * ns];
        let here = Radians::new(origin);
        self.grid.candidates(origin.0, origin.1, r_max_km, |row| {
            self.read_row(row as usize, &here, h_sorted, &mut c, &mut best);
        });
        self.finish(c, &best, &here, origin, r_max_km, nb)
    }

    /// The counts with each facet × sector's nearest stage (`best`, haversine terms; beyond the
    /// largest radius, searched for), and their buckets made cumulative. (Inlined into both
    /// counts: as a function of its own it took the browser module's brotli download 437
    /// bytes larger.)
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn finish(
        &self,
        mut c: Counts,
        best: &[f64],
        here: &Radians,
        origin: (f64, f64),
        r_max_km: f64,
        nb: usize,
    ) -> Counts {
        for (k, h) in best.iter().enumerate() {
            c.nearest[k] = if h.is_finite() {
                Some(Radians::km_of_h(*h))
            } else {
                self.nearest_beyond(k, here, origin, r_max_km)
            };
        }
        c.cumulate(nb);
        c
    }

    /// One row's offer counted in its ring, when it lies within the largest radius.
    fn read_row(
        &self,
        row: usize,
        here: &Radians,
        h_sorted: &[f64],
        c: &mut Counts,
        best: &mut [f64],
    ) {
        let nb = h_sorted.len();
        let h = here.haversine(&self.at[row]);
        if h > h_sorted.last().copied().unwrap_or(0.0) {
            return;
        }
        let b = h_sorted.iter().position(|&t| h <= t).unwrap_or(nb - 1);
        self.adds(row, |add| match add {
            Add::Stage(k, places) => {
                c.stages[k * nb + b] += 1;
                c.places[k * nb + b] += places;
                best[k] = best[k].min(h);
            }
            Add::Ambassador(s, modes) => {
                for (x, y) in c.ambassadors[s as usize * nb + b].iter_mut().zip(modes) {
                    *x += y;
                }
            }
            Add::Company(s) => c.companies[s as usize * nb + b] += 1,
        });
    }

    /// A group's sums added to ring `b`: what reading its rows one by one adds.
    fn add_group(&self, group: &Group, b: usize, nb: usize, c: &mut Counts) {
        let range = |(from, to): (u32, u32)| from as usize..to as usize;
        for e in &self.stage_sums[range(group.stages)] {
            c.stages[e.k as usize * nb + b] += e.stages;
            c.places[e.k as usize * nb + b] += e.places;
        }
        for &(s, n) in &self.company_sums[range(group.companies)] {
            c.companies[s as usize * nb + b] += n;
        }
        for &(s, n) in &self.ambassador_sums[range(group.ambassadors)] {
            for (x, y) in c.ambassadors[s as usize * nb + b].iter_mut().zip(n) {
                *x += y;
            }
        }
    }

    /// The haversine term of the stage of a group's `StageSum` nearest the origin.
    fn nearest_in(&self, sum: &StageSum, here: &Radians) -> f64 {
        self.stage_points[sum.points.0 as usize..sum.points.1 as usize]
            .iter()
            .map(|p| here.haversine(p))
            .fold(f64::INFINITY, f64::min)
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
    fn zero(nf: usize, ns: usize, nb: usize) -> Counts {
        Counts {
            stages: vec![0; nf * ns * nb],
            places: vec![0; nf * ns * nb],
            companies: vec![0; ns * nb],
            ambassadors: vec![[0; 5]; ns * nb],
            nearest: vec![None; nf * ns],
        }
    }

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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A company's sectors from the bits are its pairs' sectors sorted and deduplicated,
        /// as the sorted list of pairs gave them; a company out of range is left out.
        #[test]
        fn company_sectors_are_the_pairs_sorted_once_each(
            sectors in 1usize..150,
            pairs in proptest::collection::vec((0u32..12, 0u16..150), 0..300),
        ) {
            let companies = 10;
            let mut bits = CompanySectors::new(companies, sectors);
            let mut list: Vec<(u32, u16)> = Vec::new();
            for &(c, s) in &pairs {
                let s = s % sectors as u16;
                bits.set(c, s);
                list.push((c, s));
            }
            list.unstable();
            list.dedup();
            for c in 0..companies {
                let expected: Vec<u16> =
                    list.iter().filter(|p| p.0 as usize == c).map(|p| p.1).collect();
                prop_assert_eq!(bits.of(c).collect::<Vec<_>>(), expected);
            }
            prop_assert_eq!(bits.of(companies).count(), 0);
        }
    }

    /// Offers in clusters (dense groups, whole cells), some at the very same place, around
    /// Caen; origins on offers, near them and anywhere around.
    fn offers() -> impl Strategy<Value = (Gathered, usize)> {
        let clusters =
            proptest::collection::vec((48.6..49.6f64, -1.2..0.4f64, 0.0005..0.05f64), 1..6);
        let items = proptest::collection::vec(
            (
                0usize..6,
                0.0..1.0f64,
                0.0..1.0f64,
                0u8..3,
                proptest::collection::vec(0u16..4, 1..3),
                0u32..5,
                0u64..8,
            ),
            1..400,
        );
        (clusters, items, 1usize..4).prop_map(|(clusters, items, facets)| {
            let mut g = Gathered::default();
            for (k, a, b, what, mut sectors, value, bits) in items {
                let (lat, lon, spread) = clusters[k % clusters.len()];
                sectors.unstable();
                sectors.dedup();
                let from = g.sectors.len() as u32;
                g.sectors.extend(sectors);
                g.pending.push(Pending {
                    lat: lat + (a - 0.5) * spread,
                    lon: lon + (b - 0.5) * spread,
                    what,
                    sectors: (from, g.sectors.len() as u32),
                    value,
                    facets: bits & ((1 << facets) - 1),
                });
            }
            (g, facets)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn a_group_counted_whole_counts_what_its_rows_would(
            (gathered, facets) in offers(),
            radii in proptest::collection::vec(0.3..40.0f64, 1..4),
            origins in proptest::collection::vec((0usize..400, 48.5..49.7f64, -1.3..0.5f64, 0u8..3), 1..8),
        ) {
            let offers = Offers::layout(&gathered, 4, facets);
            let pending = &gathered.pending;
            let buckets = Buckets::new(&radii);
            for (i, lat, lon, how) in origins {
                let p = &pending[i % pending.len()];
                let origin = match how {
                    0 => (p.lat, p.lon),
                    1 => (p.lat + 1e-7, p.lon - 1e-7),
                    _ => (lat, lon),
                };
                prop_assert_eq!(
                    offers.count(origin, &buckets.h_sorted, buckets.r_max),
                    offers.count_row_by_row(origin, &buckets.h_sorted, buckets.r_max)
                );
            }
        }
    }
}
