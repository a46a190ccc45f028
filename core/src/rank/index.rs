//! What a search scans: a compact copy of the catalogue (positions, métiers, the fields the
//! filters read) and a uniform grid over latitude and longitude, so a query near a place only
//! looks at the cells its radius covers, never the whole catalogue.

// The catalogue index reads its own tables and grid by the row numbers it assigned; query
// points reach the grid only through `candidates`, which clamps every cell range.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::prefilter;
use crate::calendar::Period;
use crate::catalog::{Ambassador, Audience, Catalog, ContactMode, Location, Stage, StageKind};
use crate::geo::{Radians, EARTH_RADIUS_KM};
use crate::referential::Referential;
use crate::sorting::Sort;
use std::sync::Arc;

/// Cell size in degrees (about 11 km north–south, 7 km east–west in Normandy).
const CELL_DEG: f64 = 0.1;

/// A uniform grid over latitude and longitude. Table rows are stored in cell order, so the
/// rows of cell `c` are the contiguous range `start[c]..start[c+1]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grid {
    /// Cell side, degrees.
    cell: f64,
    lat0: f64,
    lon0: f64,
    rows: usize,
    cols: usize,
    start: Vec<u32>,
}

/// The longitude half-width of a spherical cap (not over a pole) at given latitudes, for
/// [`Grid::candidates`]' rows.
struct RowSpans {
    /// The cap's centre latitude, in radians, its sine and cosine.
    phi0: f64,
    cos0: f64,
    /// The haversine of the cap's angular radius (widened by 10⁻⁸ of itself).
    hav_d: f64,
    /// The latitude of the cap's widest parallel (`sin φm = sin φ0 / cos d`), in radians.
    widest: f64,
}

impl RowSpans {
    fn new(lat: f64, angle: f64) -> RowSpans {
        let phi0 = lat.to_radians();
        let d = angle * (1.0 + 1e-8);
        let (sin0, cos0) = (libm::sin(phi0), libm::cos(phi0));
        let hav = libm::sin(d / 2.0);
        RowSpans {
            phi0,
            cos0,
            hav_d: hav * hav,
            widest: libm::asin((sin0 / libm::cos(d)).clamp(-1.0, 1.0)),
        }
    }

    /// The cap's longitude half-width, in degrees, at its widest between latitudes `south`
    /// and `north` (degrees, widened by 10⁻⁶°), with a margin of 10⁻⁶ of itself and 10⁻⁵°
    /// for the rounding of this and of the scan's own distances. The width grows from the
    /// cap's southern edge to its widest parallel and shrinks after it, so its largest in a
    /// band of latitudes is at the band's point nearest that parallel. From the haversine
    /// formula: `hav Δλ = (hav d − hav Δφ) / (cos φ0 cos φ)`.
    fn half_width(&self, south: f64, north: f64) -> f64 {
        let (a, b) = ((south - 1e-6).to_radians(), (north + 1e-6).to_radians());
        let phi = self.widest.clamp(a, b);
        let hav_dphi = libm::sin((phi - self.phi0) / 2.0);
        let s = (self.hav_d - hav_dphi * hav_dphi) / (self.cos0 * libm::cos(phi));
        // A band beyond the cap has no width; a NaN (none is expected) reads every column.
        let width = if s <= 0.0 {
            0.0
        } else if s < 1.0 {
            (2.0 * libm::asin(libm::sqrt(s))).to_degrees()
        } else {
            180.0
        };
        width * (1.0 + 1e-6) + 1e-5
    }
}

impl Grid {
    /// The grid for these points and the order to store them in (by cell, then input order).
    pub(crate) fn layout(points: &[(f64, f64)]) -> (Grid, Vec<usize>) {
        Grid::layout_in(points, CELL_DEG)
    }

    /// The same with cells of `cell` degrees a side (positive).
    pub(crate) fn layout_in(points: &[(f64, f64)], cell: f64) -> (Grid, Vec<usize>) {
        if points.is_empty() {
            return (Grid::default(), Vec::new());
        }
        let (mut lat0, mut lat1, mut lon0, mut lon1) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
        for &(lat, lon) in points {
            lat0 = lat0.min(lat);
            lat1 = lat1.max(lat);
            lon0 = lon0.min(lon);
            lon1 = lon1.max(lon);
        }
        let rows = ((lat1 - lat0) / cell) as usize + 1;
        let cols = ((lon1 - lon0) / cell) as usize + 1;
        let cells: Vec<usize> = points
            .iter()
            .map(|&(lat, lon)| {
                let r = ((lat - lat0) / cell) as usize;
                let c = ((lon - lon0) / cell) as usize;
                r.min(rows - 1) * cols + c.min(cols - 1)
            })
            .collect();
        // Every cell is below `rows * cols`, so every point is placed.
        let (order, start) = crate::sorting::by_counting(rows * cols, &cells);
        let grid = Grid {
            cell,
            lat0,
            lon0,
            rows,
            cols,
            start,
        };
        (grid, order)
    }

    /// The number of cells.
    pub(crate) fn cell_count(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// The rows of a cell.
    pub(crate) fn rows_of(&self, cell: usize) -> std::ops::Range<usize> {
        self.start[cell] as usize..self.start[cell + 1] as usize
    }

    /// A point's place in a grid `parts` times finer (its row and column there), for groups of
    /// nearby rows within a cell: rows of one cell sorted by it lie in sub-cells of their own.
    pub(crate) fn fine_cell(&self, (lat, lon): (f64, f64), parts: f64) -> (u64, u64) {
        let at = |x: f64, x0: f64| (((x - x0) / self.cell) * parts).max(0.0) as u64;
        (at(lat, self.lat0), at(lon, self.lon0))
    }

    /// Calls `f` with every row in the cells that a circle of `radius_km` around (lat, lon)
    /// touches (a superset: the caller checks the exact distance).
    ///
    /// The circle is a spherical cap of angular radius `c`: it spans `c` of latitude, and at
    /// its widest `asin(sin c / cos φ)` of longitude, more than `c / cos φ` (14 km more at
    /// 60° N for 1,000 km). A cap over a pole spans every longitude, and one across the
    /// antimeridian is read as two column ranges, one each side.
    pub(crate) fn candidates(&self, lat: f64, lon: f64, radius_km: f64, mut f: impl FnMut(u32)) {
        self.candidate_cells(lat, lon, radius_km, |c| {
            for row in self.rows_of(c) {
                f(row as u32);
            }
        });
    }

    /// The cells (indices into [`Grid::rows_of`]) a circle touches, in [`Grid::candidates`]'
    /// order: the same cells, whose rows `candidates` gives.
    pub(crate) fn candidate_cells(
        &self,
        lat: f64,
        lon: f64,
        radius_km: f64,
        mut f: impl FnMut(usize),
    ) {
        // No point lies within a radius that is not a number, nor around a place that is not
        // one (queries are checked before; `f64::max` would read a NaN row as the first one).
        // Past this, every bound below is a number.
        if self.start.is_empty() || !(lat.is_finite() && lon.is_finite() && radius_km >= 0.0) {
            return;
        }
        let angle = radius_km / EARTH_RADIUS_KM;
        // Rounding in the row and column arithmetic and in the distance itself is far below
        // a nanodegree; the margin keeps a point on the circle's edge a candidate.
        let margin = |deg: f64| deg * (1.0 + 1e-9) + 1e-7;
        let dlat = margin(angle.to_degrees());
        let polar = lat + dlat >= 90.0 || lat - dlat <= -90.0;
        let ratio = libm::sin(angle.min(std::f64::consts::FRAC_PI_2)) / libm::cos(lat.to_radians());
        // One longitude span, or two for a cap across the antimeridian.
        let spans: [Option<(f64, f64)>; 2] = if polar || ratio >= 1.0 {
            [Some((-180.0, 180.0)), None]
        } else {
            let dlon = margin(libm::asin(ratio).to_degrees());
            let (w, e) = (lon - dlon, lon + dlon);
            if w < -180.0 {
                [Some((-180.0, e)), Some((w + 360.0, 180.0))]
            } else if e > 180.0 {
                [Some((w, 180.0)), Some((-180.0, e - 360.0))]
            } else {
                [Some((w, e)), None]
            }
        };
        let row = |x: f64| ((x - self.lat0) / self.cell).floor();
        let col = |x: f64| ((x - self.lon0) / self.cell).floor();
        let r0 = row(lat - dlat).max(0.0);
        let r1 = row(lat + dlat).min(self.rows as f64 - 1.0);
        // Column ranges clamped to the grid; a range wholly outside it crosses its bounds and
        // is left out.
        let mut ranges = [(0usize, 0usize); 2];
        let mut n = 0;
        for (w, e) in spans.into_iter().flatten() {
            let (c0, c1) = (col(w).max(0.0), col(e).min(self.cols as f64 - 1.0));
            if c0 <= c1 {
                ranges[n] = (c0 as usize, c1 as usize);
                n += 1;
            }
        }
        // The two ranges of an antimeridian cap never meet: each is under 90° + margin wide.
        let ranges = &ranges[..n];
        // A circle wholly outside the grid (north, south, east or west of every row) touches
        // no cell; the bounds are then crossed.
        if r0 > r1 || ranges.is_empty() {
            return;
        }
        let (r0, r1) = (r0 as usize, r1 as usize);
        // A cap read as one range is narrower away from its widest parallel: each row reads
        // the columns of the cap's widest point within the row's latitudes only.
        let single =
            (!polar && ratio < 1.0 && spans[1].is_none()).then(|| RowSpans::new(lat, angle));
        // Rows from the point's own outwards: a page's scan meets the best candidates first,
        // so its pruning (rank/scan.rs) sets a high bar early. Every row is visited once.
        let mid = (row(lat).max(r0 as f64) as usize).min(r1);
        // Within a row too, cells from the point's own column outwards.
        let own = col(lon);
        let mut visit_row = |r: usize| {
            let base = r * self.cols;
            let narrowed;
            let ranges = match &single {
                Some(spans) => {
                    let south = self.lat0 + r as f64 * self.cell;
                    let half = spans.half_width(south, south + self.cell);
                    let (c0, c1) = ranges[0];
                    let (w, e) = (
                        col(lon - half).max(c0 as f64),
                        col(lon + half).min(c1 as f64),
                    );
                    if w > e {
                        return;
                    }
                    narrowed = [(w as usize, e as usize)];
                    &narrowed[..]
                }
                None => ranges,
            };
            for &(c0, c1) in ranges {
                let mid = (own.max(c0 as f64) as usize).min(c1);
                f(base + mid);
                for k in 1..=(mid - c0).max(c1 - mid) {
                    if let Some(c) = mid.checked_sub(k).filter(|&c| c >= c0) {
                        f(base + c);
                    }
                    if mid + k <= c1 {
                        f(base + mid + k);
                    }
                }
            }
        };
        visit_row(mid);
        for k in 1..=(mid - r0).max(r1 - mid) {
            if let Some(r) = mid.checked_sub(k).filter(|&r| r >= r0) {
                visit_row(r);
            }
            if mid + k <= r1 {
                visit_row(mid + k);
            }
        }
    }
}

/// Fields every entity shares that a scan reads rarely (the hot ones live in `Table` arrays).
#[derive(Debug, Clone)]
pub(crate) struct Common {
    pub lat: f64,
    pub lon: f64,
    /// Company index (`u32::MAX` for none).
    pub company: u32,
    /// Département code.
    pub departement: Arc<str>,
}

/// Rows before layout, column by column (sorted in place into the layout's order, then
/// kept), their métiers in one list (a list of its own per row was half a million allocations,
/// and as many frees, at France scale).
struct Rows<F> {
    common: Vec<Common>,
    /// Row `r`'s métiers: `metiers[ranges[r].0..ranges[r].1]`.
    ranges: Vec<(u32, u32)>,
    metiers: Vec<u16>,
    facts: Vec<F>,
}

impl<F> Rows<F> {
    fn with_capacity(n: usize) -> Rows<F> {
        Rows {
            common: Vec::with_capacity(n),
            ranges: Vec::with_capacity(n),
            metiers: Vec::with_capacity(n.saturating_mul(2)),
            facts: Vec::with_capacity(n),
        }
    }

    /// Adds a row whose métiers are the ones pushed onto `metiers` since `from`.
    fn push(&mut self, common: Common, from: usize, facts: F) {
        self.ranges.push((from as u32, self.metiers.len() as u32));
        self.common.push(common);
        self.facts.push(facts);
    }

    /// Each row's company and métiers.
    fn companies_and_metiers(&self) -> impl Iterator<Item = (u32, &[u16])> {
        self.common
            .iter()
            .zip(&self.ranges)
            .map(|(c, &(from, to))| (c.company, &self.metiers[from as usize..to as usize]))
    }
}

/// A place's département code, shared: a validated place holds the geography's own text, one
/// per département for every place in it.
fn departement_of(place: &Location) -> Arc<str> {
    place.departement.clone().unwrap_or_default()
}

/// Audiences as a bit set.
pub(crate) fn audience_bits(list: &[Audience]) -> u8 {
    list.iter().fold(0, |acc, a| acc | (1 << (*a as u8)))
}

#[derive(Debug, Clone)]
pub(crate) struct StageFacts {
    /// The stage itself, shared with the catalogue (a page hands it out without a lookup).
    pub stage: Arc<Stage>,
    pub kind: StageKind,
    pub places_left: u32,
    pub audiences: u8,
    pub max_group: Option<u16>,
}

#[derive(Debug, Clone)]
pub(crate) struct AmbassadorFacts {
    /// The ambassador itself, shared with the catalogue.
    pub ambassador: Arc<Ambassador>,
    pub modes: Vec<ContactMode>,
    pub audiences: u8,
    pub availability: Vec<Period>,
    pub travel_radius_km: Option<f64>,
    pub class_group: Option<u16>,
    pub company_group: Option<u16>,
    pub bookings: u32,
    pub response_rate: Option<f64>,
    /// Days (months, or weeks for a contact spread by week) when a mode is full.
    pub full: Vec<(ContactMode, Period)>,
}

/// A company's row: its id (stages and ambassadors read theirs from the item they share with
/// the catalogue).
#[derive(Debug, Clone)]
pub(crate) struct CompanyFacts {
    pub id: Box<str>,
}

/// What a row's facts know of its id: the index keeps no copy of its own.
pub(crate) trait Identified {
    fn id(&self) -> &str;
}

impl Identified for StageFacts {
    fn id(&self) -> &str {
        &self.stage.id
    }
}

impl Identified for AmbassadorFacts {
    fn id(&self) -> &str {
        &self.ambassador.id
    }
}

impl Identified for CompanyFacts {
    fn id(&self) -> &str {
        &self.id
    }
}

/// One searchable table, rows in grid-cell order: positions and métiers in contiguous arrays
/// (what every candidate reads), the rest beside.
#[derive(Debug, Clone)]
pub(crate) struct Table<F> {
    pub common: Vec<Common>,
    /// Positions, parallel to `common`.
    pub at: Vec<Radians>,
    /// Métiers of row `r`: `metier_list[metier_start[r]..metier_start[r + 1]]`.
    metier_start: Vec<u32>,
    metier_list: Vec<u16>,
    /// Each row's métiers' signature (`prefilter`), parallel to `common`.
    pub signature: Vec<u64>,
    pub facts: Vec<F>,
    pub grid: Grid,
    /// Rows sorted by id.
    by_id: Vec<u32>,
    /// Per row, its place in id order: ties compare these integers, not the id strings.
    pub id_rank: Vec<u32>,
}

impl<F: Identified> Table<F> {
    fn finish(rows: Rows<F>, signatures: &[u64]) -> Table<F> {
        let Rows {
            mut common,
            mut ranges,
            metiers: all_metiers,
            mut facts,
        } = rows;
        let (grid, mut order) = {
            let points: Vec<(f64, f64)> = common.iter().map(|c| (c.lat, c.lon)).collect();
            Grid::layout(&points)
        };
        // The catalogue hands its items over in id order (its maps are sorted by id): then the
        // id order of the stored rows is the layout's inverse, found without sorting (sorting
        // 500,000 ids was a third of building the France-scale index). Checked, not assumed.
        let in_id_order = facts.windows(2).all(|w| w[0].id() < w[1].id());
        let mut position = vec![0u32; order.len()];
        for (pos, &i) in order.iter().enumerate() {
            position[i] = pos as u32;
        }
        // The columns take the layout's order in place: copied into new ones, the rows and
        // the table were both in memory at once (a fifth of the peak when a million stages
        // were first searched).
        crate::sorting::permute(&mut order, &mut |a, b| {
            common.swap(a, b);
            ranges.swap(a, b);
            facts.swap(a, b);
        });
        drop(order);
        common.shrink_to_fit();
        facts.shrink_to_fit();
        let n = common.len();
        let at: Vec<Radians> = common
            .iter()
            .map(|c| Radians::new((c.lat, c.lon)))
            .collect();
        let mut metier_start = Vec::with_capacity(n + 1);
        metier_start.push(0u32);
        let mut metier_list = Vec::with_capacity(all_metiers.len());
        let mut signature = Vec::with_capacity(n);
        for &(from, to) in &ranges {
            let metiers = &all_metiers[from as usize..to as usize];
            signature.push(prefilter::row_signature(signatures, metiers));
            metier_list.extend_from_slice(metiers);
            metier_start.push(metier_list.len() as u32);
        }
        drop((ranges, all_metiers));
        let by_id: Vec<u32> = if in_id_order {
            position
        } else {
            let mut by_id: Vec<u32> = (0..common.len() as u32).collect();
            by_id.stable_by(|&a, &b| facts[a as usize].id().cmp(facts[b as usize].id()));
            by_id
        };
        let mut id_rank = vec![0u32; by_id.len()];
        for (rank, &row) in by_id.iter().enumerate() {
            id_rank[row as usize] = rank as u32;
        }
        Table {
            common,
            at,
            metier_start,
            metier_list,
            signature,
            facts,
            grid,
            by_id,
            id_rank,
        }
    }

    /// The métier indices of a row.
    pub(crate) fn metiers(&self, row: usize) -> &[u16] {
        &self.metier_list[self.metier_start[row] as usize..self.metier_start[row + 1] as usize]
    }

    /// The id of a row.
    pub(crate) fn id(&self, row: usize) -> &str {
        self.facts.get(row).map_or("", Identified::id)
    }

    /// The row of an id.
    pub(crate) fn row_of(&self, id: &str) -> Option<usize> {
        self.by_id
            .binary_search_by(|&r| self.id(r as usize).cmp(id))
            .ok()
            .map(|k| self.by_id[k] as usize)
    }
}

/// The whole catalogue, ready to search.
#[derive(Debug, Clone)]
pub(crate) struct CatalogIndex {
    pub stages: Table<StageFacts>,
    pub ambassadors: Table<AmbassadorFacts>,
    /// Companies; their métiers are those of their stages and ambassadors.
    pub companies: Table<CompanyFacts>,
    /// Per company: (stages, ambassadors) counts.
    pub company_counts: Vec<(u32, u32)>,
}

/// Each ROME code's index in the referential, by hash: a binary search over the codes per
/// item was a seventh of building the France-scale index.
type MetierCodes<'r> = rustc_hash::FxHashMap<&'r str, u16>;

fn metier_codes(rome: &Referential) -> MetierCodes<'_> {
    rome.metiers()
        .iter()
        .enumerate()
        .map(|(i, m)| (m.code.as_str(), i as u16))
        .collect()
}

/// Pushes the referential's indices of an item's métiers (codes it does not know are left out,
/// as validation already refused them).
fn metier_indices(index_of: &MetierCodes<'_>, codes: &[impl AsRef<str>], out: &mut Vec<u16>) {
    out.extend(
        codes
            .iter()
            .filter_map(|c| index_of.get(c.as_ref()).copied()),
    );
}

impl CatalogIndex {
    pub(crate) fn build(rome: &Referential, catalog: &Catalog) -> CatalogIndex {
        // Company rows by id: a hash lookup per stage and ambassador (a binary search over the
        // ids was a sixth of building the index at France scale, in string comparisons), by
        // FxHash: SipHash was a sixth again.
        let company_ids: rustc_hash::FxHashMap<&str, u32> = catalog
            .companies()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i as u32))
            .collect();
        let codes = metier_codes(rome);
        let company_of = |id: Option<&str>| {
            id.and_then(|id| company_ids.get(id).copied())
                .unwrap_or(u32::MAX)
        };
        let mut lookups = Lookups { codes: &codes };
        let stages = lookups.rows(
            catalog.shared_stages(),
            catalog.stages().len(),
            |s| {
                let place = (company_of(Some(&s.company)), s.place.as_ref());
                (place, &s.metiers)
            },
            stage_facts,
        );
        let ambassadors = lookups.rows(
            catalog.shared_ambassadors(),
            catalog.ambassadors().len(),
            |a| {
                let place = (company_of(a.company.as_deref()), a.place.as_ref());
                (place, &a.metiers)
            },
            ambassador_facts,
        );
        // How many placed stages and ambassadors each company has.
        let mut counts = vec![(0u32, 0u32); company_ids.len()];
        for c in &stages.common {
            if let Some(n) = counts.get_mut(c.company as usize) {
                n.0 += 1;
            }
        }
        for c in &ambassadors.common {
            if let Some(n) = counts.get_mut(c.company as usize) {
                n.1 += 1;
            }
        }
        // What each company offers, gathered from its stages and ambassadors.
        let offers = CompanyMetiers::gather(company_ids.len(), || {
            stages
                .companies_and_metiers()
                .chain(ambassadors.companies_and_metiers())
        });
        let companies = company_rows(catalog, &offers);
        let signatures = prefilter::metier_signatures(rome);
        let stages = Table::finish(stages, &signatures);
        let ambassadors = Table::finish(ambassadors, &signatures);
        let companies = Table::finish(companies, &signatures);
        CatalogIndex {
            stages,
            ambassadors,
            companies,
            company_counts: counts,
        }
    }

    /// Keeps a stage in step after a reservation: its places left, and the stage a page
    /// hands out (the catalogue's new copy).
    pub(crate) fn set_stage(&mut self, stage: &Arc<Stage>) {
        if let Some(row) = self.stages.row_of(&stage.id) {
            let facts = &mut self.stages.facts[row];
            facts.places_left = stage.places_left();
            facts.stage = Arc::clone(stage);
        }
    }
}

/// What turns catalogue items into rows: métier indices by code.
struct Lookups<'a, 'r> {
    codes: &'a MetierCodes<'r>,
}

impl Lookups<'_, '_> {
    /// The rows of the items that have a place; `fields` gives an item's id, (company row,
    /// place) and métier codes, `facts` its facts.
    fn rows<'c, T: 'c, F, C: AsRef<str> + 'c>(
        &mut self,
        items: impl Iterator<Item = &'c T>,
        count: usize,
        fields: impl Fn(&'c T) -> ((u32, Option<&'c Location>), &'c [C]),
        facts: impl Fn(&'c T) -> F,
    ) -> Rows<F> {
        let mut rows = Rows::with_capacity(count);
        for item in items {
            let ((company, place), codes) = fields(item);
            let Some(place) = place else { continue };
            let Some((lat, lon)) = place.point() else {
                continue;
            };
            let common = Common {
                lat,
                lon,
                company,
                departement: departement_of(place),
            };
            let from = rows.metiers.len();
            metier_indices(self.codes, codes, &mut rows.metiers);
            rows.push(common, from, facts(item));
        }
        rows
    }
}

/// Per company, the métiers of its stages and ambassadors, each once and sorted:
/// `list[start[c]..end[c]]`. Gathered by counting into one list (a list of its own per company
/// was as many allocations and frees).
struct CompanyMetiers {
    list: Vec<u16>,
    start: Vec<u32>,
    end: Vec<u32>,
}

impl CompanyMetiers {
    /// From (company, métiers) of every stage and ambassador, given twice (counted, then
    /// placed); a company index past `companies` (none) is left out.
    fn gather<'r, I>(companies: usize, each: impl Fn() -> I) -> CompanyMetiers
    where
        I: Iterator<Item = (u32, &'r [u16])>,
    {
        let mut start = vec![0u32; companies + 1];
        // No company is `u32::MAX`: compared before any arithmetic (a usize is 32 bits in
        // WebAssembly, where `u32::MAX + 1` wraps).
        for (c, metiers) in each() {
            let c = c as usize;
            if c < companies {
                start[c + 1] += metiers.len() as u32;
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut list = vec![0u16; start[companies] as usize];
        for (c, metiers) in each() {
            let c = c as usize;
            if c < companies {
                let from = next[c] as usize;
                list[from..from + metiers.len()].copy_from_slice(metiers);
                next[c] += metiers.len() as u32;
            }
        }
        // Each company's own métiers sorted and deduplicated in place; `end` marks what is kept.
        let mut end = Vec::with_capacity(companies);
        for c in 0..companies {
            let own = &mut list[start[c] as usize..start[c + 1] as usize];
            own.unstable();
            let mut kept = 0;
            for k in 0..own.len() {
                if k == 0 || own[k] != own[kept - 1] {
                    own[kept] = own[k];
                    kept += 1;
                }
            }
            end.push(start[c] + kept as u32);
        }
        CompanyMetiers { list, start, end }
    }

    fn of(&self, company: usize) -> &[u16] {
        match (self.start.get(company), self.end.get(company)) {
            (Some(&a), Some(&b)) => &self.list[a as usize..b as usize],
            _ => &[],
        }
    }
}

fn stage_facts(s: &Arc<Stage>) -> StageFacts {
    StageFacts {
        stage: Arc::clone(s),
        kind: s.kind,
        places_left: s.places_left(),
        audiences: audience_bits(&s.audiences),
        max_group: s.max_group,
    }
}

fn ambassador_facts(a: &Arc<Ambassador>) -> AmbassadorFacts {
    let group = |m: ContactMode| a.contact(m).map(|c| c.max_group.unwrap_or(u16::MAX));
    AmbassadorFacts {
        ambassador: Arc::clone(a),
        modes: a.contacts.iter().map(|c| c.mode).collect(),
        audiences: audience_bits(&a.audiences),
        availability: a.availability.clone(),
        travel_radius_km: a.travel_radius_km,
        class_group: group(ContactMode::ClassVisit),
        company_group: group(ContactMode::CompanyVisit),
        bookings: a.bookings,
        response_rate: a.response_rate,
        full: full_periods(a),
    }
}

/// The months (and weeks) in which each capped mode has no session left.
fn full_periods(a: &Ambassador) -> Vec<(ContactMode, Period)> {
    let mut out = Vec::new();
    for b in &a.booked {
        let p = match a.full_on(b.mode, b.date) {
            Some(crate::catalog::Full::Month) => crate::catalog::month_of(b.date),
            Some(crate::catalog::Full::Week) => crate::catalog::week_of(b.date),
            None => continue,
        };
        if !out.contains(&(b.mode, p)) {
            out.push((b.mode, p));
        }
    }
    out
}

/// Companies with a position, each with the métiers its offers gathered.
fn company_rows(catalog: &Catalog, offers: &CompanyMetiers) -> Rows<CompanyFacts> {
    let mut rows = Rows::with_capacity(catalog.companies().len());
    for (i, c) in catalog.companies().enumerate() {
        let Some((lat, lon)) = c.place.point() else {
            continue;
        };
        let from = rows.metiers.len();
        rows.metiers.extend_from_slice(offers.of(i));
        let common = Common {
            lat,
            lon,
            company: i as u32,
            departement: departement_of(&c.place),
        };
        rows.push(
            common,
            from,
            CompanyFacts {
                id: c.id.as_str().into(),
            },
        );
    }
    rows
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // the standard sorts, in tests
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The rows `candidates` hands out for a circle, sorted.
    fn seen(grid: &Grid, order: &[usize], at: (f64, f64), km: f64) -> Vec<usize> {
        let mut out = Vec::new();
        grid.candidates(at.0, at.1, km, |r| out.push(order[r as usize]));
        out.sort_unstable();
        out
    }

    /// Points whose great-circle distance is within the radius but that `c / cos φ` of
    /// longitude, or a range clamped at ±180°, would leave out.
    #[test]
    fn wide_caps_and_the_antimeridian_keep_every_point_in_the_circle() {
        let centre = (60.0, 10.0);
        // On the cap's widest parallel, 18.2° east: 995 km away, outside 10° + 17.98°.
        let widest = (61.6, 28.2);
        assert!(crate::geo::distance_km(centre, widest) < 1000.0);
        let (east, west) = ((-0.05, 179.95), (0.05, -179.95));
        let (grid, order) = Grid::layout(&[widest, centre, east, west]);
        assert_eq!(seen(&grid, &order, centre, 1000.0), vec![0, 1]);
        // 16 km apart across the antimeridian, seen from either side.
        assert!(crate::geo::distance_km(east, west) < 20.0);
        assert_eq!(seen(&grid, &order, west, 20.0), vec![2, 3]);
        assert_eq!(seen(&grid, &order, east, 20.0), vec![2, 3]);
        // Over the pole every longitude is in reach.
        let (grid, order) = Grid::layout(&[(89.5, -170.0), (89.5, 10.0), (50.0, 0.0)]);
        assert_eq!(seen(&grid, &order, (89.5, 10.0), 200.0), vec![0, 1]);
    }

    /// Rows in id order or not, the table finds every id and ranks ids as strings order them.
    #[test]
    fn ids_are_ranked_and_found_in_any_input_order() {
        let common = |lat: f64| Common {
            lat,
            lon: 0.0,
            company: u32::MAX,
            departement: Arc::from(""),
        };
        // Cells put "b" first and "c" last: the layout's order is not the ids'.
        let ids = ["a", "b", "c", "d"];
        let lats = [5.0, 0.0, 9.0, 3.0];
        for sorted in [true, false] {
            let mut order: Vec<usize> = (0..ids.len()).collect();
            if !sorted {
                order.swap(0, 3);
            }
            // Row k has k + 1 métiers, each its own number: they follow it through the layout.
            let mut rows = Rows::with_capacity(ids.len());
            for &k in &order {
                let from = rows.metiers.len();
                rows.metiers.extend(std::iter::repeat_n(k as u16, k + 1));
                rows.push(common(lats[k]), from, CompanyFacts { id: ids[k].into() });
            }
            // Métier k's signature is bit k: a row's signature follows it too.
            let signatures: Vec<u64> = (0..4).map(|k| 1 << k).collect();
            let t = Table::finish(rows, &signatures);
            let by_id: Vec<&str> = t.by_id.iter().map(|&r| t.id(r as usize)).collect();
            assert_eq!(by_id, ids);
            for (rank, id) in ids.iter().enumerate() {
                let r = t.row_of(id).unwrap();
                assert_eq!(t.id(r), *id);
                assert_eq!(t.id_rank[r] as usize, rank);
                assert_eq!(t.metiers(r), vec![rank as u16; rank + 1]);
                assert_eq!(t.signature[r], 1 << rank);
            }
            assert_eq!(t.row_of("e"), None);
        }
    }

    /// Each company gets the métiers of its items once, sorted; an item of no company
    /// (`u32::MAX`, an ambassador in training) adds nothing anywhere.
    #[test]
    fn companies_gather_their_items_metiers_once() {
        let items: [(u32, &[u16]); 4] =
            [(1, &[5, 3, 5]), (u32::MAX, &[9]), (0, &[2]), (1, &[3, 7])];
        let offers = CompanyMetiers::gather(3, || items.iter().copied());
        assert_eq!(offers.of(0), [2]);
        assert_eq!(offers.of(1), [3, 5, 7]);
        assert_eq!(offers.of(2), [] as [u16; 0]);
        assert_eq!(offers.of(3), [] as [u16; 0]);
        assert_eq!(offers.of(usize::MAX), [] as [u16; 0]);
    }

    fn point() -> impl Strategy<Value = (f64, f64)> {
        (-90.0..=90.0f64, -180.0..=180.0f64)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Points on a circle's edge all around it are candidates when within the radius.
        #[test]
        fn candidates_cover_the_circles_edge(
            centre in point(),
            km in prop_oneof![0.0..5.0f64, 5.0..300.0f64, 300.0..3_000.0f64],
            bearings in proptest::collection::vec(0.0..std::f64::consts::TAU, 1..60),
            shrink in prop_oneof![Just(0.0), 0.0..1e-6f64, 0.0..0.01f64],
            cell in prop_oneof![Just(CELL_DEG), 0.05..2.0f64],
        ) {
            // Points on the circle (a hair inside, or exactly as the destination formula puts
            // them), all around it: the rows' narrowed column ranges must keep each one whose
            // distance is within the radius.
            let (phi1, lambda1) = (centre.0.to_radians(), centre.1.to_radians());
            let delta = km * (1.0 - shrink) / crate::geo::EARTH_RADIUS_KM;
            let points: Vec<(f64, f64)> = bearings.iter().map(|&theta| {
                let phi2 = (phi1.sin() * delta.cos() + phi1.cos() * delta.sin() * theta.cos()).clamp(-1.0, 1.0).asin();
                let lambda2 = lambda1 + (theta.sin() * delta.sin() * phi1.cos()).atan2(delta.cos() - phi1.sin() * phi2.sin());
                let lon = (lambda2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0;
                (phi2.to_degrees().clamp(-90.0, 90.0), lon.clamp(-180.0, 180.0))
            }).collect();
            let (grid, order) = Grid::layout_in(&points, cell);
            let got = seen(&grid, &order, centre, km);
            for (i, &p) in points.iter().enumerate() {
                if crate::geo::distance_km(centre, p) <= km {
                    prop_assert!(got.binary_search(&i).is_ok(), "{:?} is {} km from {:?}, radius {}",
                        p, crate::geo::distance_km(centre, p), centre, km);
                }
            }
        }

        /// Every point within the radius is a candidate, wherever the circle is, and no row
        /// is handed out twice.
        #[test]
        fn candidates_cover_the_circle(
            centre in point(),
            km in 0.0..2_000.0f64,
            far in proptest::collection::vec(point(), 0..40),
            near in proptest::collection::vec((-1.0..=1.0f64, -1.0..=1.0f64), 0..40),
            cell in prop_oneof![Just(CELL_DEG), 0.05..2.0f64],
        ) {
            // Points around the centre, within a few radii, wrapped into range.
            let reach = (km / 111.0).max(0.1) * 2.0;
            let mut points = far;
            points.extend(near.iter().map(|&(dy, dx)| {
                let lat = (centre.0 + dy * reach).clamp(-90.0, 90.0);
                let lon = centre.1 + dx * reach * 3.0;
                let lon = if lon > 180.0 { lon - 360.0 } else if lon < -180.0 { lon + 360.0 } else { lon };
                (lat, lon.clamp(-180.0, 180.0))
            }));
            let (grid, order) = Grid::layout_in(&points, cell);
            let got = seen(&grid, &order, centre, km);
            let mut unique = got.clone();
            unique.dedup();
            prop_assert_eq!(&unique, &got);
            for (i, &p) in points.iter().enumerate() {
                if crate::geo::distance_km(centre, p) <= km {
                    prop_assert!(got.binary_search(&i).is_ok(), "{:?} is {} km from {:?}, radius {}",
                        p, crate::geo::distance_km(centre, p), centre, km);
                }
            }
        }
    }
}
