//! From a request and the catalogue to a [`Market`]: each pupil checked (id, school, weeks,
//! wishes or profile, place), wishes built from profiles, eligibility decided, priority keys
//! computed; `layout` sets the capacity nodes.

// Counts and indices are bounded by the request's pupils and wishes (far below 2^32).
#![allow(clippy::arithmetic_side_effects)]

use super::accept::{Contract, Market};
use super::model::{AssignRequest, Level, Priorities, Pupil, RefusalCode};
use crate::calendar::{Date, Period};
use crate::catalog::{Audience, Stage};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::geo::PlaceRef;
use crate::schools::{Priority, School, SchoolKind, Schools};
use crate::sorting::Sort;
use crate::Query;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Most wishes a pupil may give or a profile may build.
pub const MAX_WISHES: u64 = 20;
/// Wishes a profile builds by default.
pub const DEFAULT_WISHES: u64 = 5;
/// Refuses a place farther than [`MAX_FROM_SCHOOL_KM`] from the school.
pub(crate) fn near_school(
    field: String,
    point: (f64, f64),
    school: &School,
    id: &str,
) -> Result<()> {
    let school_at = (school.lat, school.lon);
    let km = crate::geo::distance_km(point, school_at);
    if km > MAX_FROM_SCHOOL_KM {
        // The swap is named only when the point read the other way round is near the school.
        let swapped = crate::geo::distance_km((point.1, point.0), school_at);
        let hint = if swapped <= MAX_FROM_SCHOOL_KM {
            format!("read the other way round it is {swapped:.0} km from it: lat and lon swapped?")
        } else {
            "a place in another region?".to_string()
        };
        return Err(Error::invalid(
            field,
            format!("{}, {}", point.0, point.1),
            format!(
                "{km:.0} km from the school of {id:?}; at most {MAX_FROM_SCHOOL_KM} km ({hint})"
            ),
        ));
    }
    Ok(())
}

/// Farthest a pupil's (or a visit's) place may be from the school, in km: beyond, the place is
/// a mistake (lat and lon swapped, another region), not a distance to rank by.
pub(crate) const MAX_FROM_SCHOOL_KM: f64 = 200.0;
/// Largest distance the priority tells apart, in metres (farther ties go to the lottery).
pub(crate) const MAX_DISTANCE_M: u32 = (1 << 30) - 1;

/// A pupil, checked and located.
#[derive(Debug, Clone)]
pub(crate) struct PupilInfo {
    pub id: String,
    pub school: String,
    pub class: Option<String>,
    pub tier: Option<Priority>,
    pub lottery: u32,
    pub point: (f64, f64),
    pub period: usize,
    pub audience: Audience,
    pub query: Query,
    pub wishes: Vec<Wish>,
}

/// One wish, with its distance and either the contract it became or why it could not.
#[derive(Debug, Clone)]
pub(crate) struct Wish {
    pub stage: usize,
    pub distance_km: f64,
    pub contract: std::result::Result<Contract, RefusalCode>,
}

/// What a capacity node is.
#[derive(Debug, Clone)]
pub(crate) struct NodeInfo {
    pub level: Level,
    pub cap: u32,
}

/// Everything the mechanism, the certificate and the checker share.
pub(crate) struct Instance {
    pub pupils: Vec<PupilInfo>,
    pub stages: Vec<Arc<Stage>>,
    pub periods: Vec<Period>,
    pub nodes: Vec<NodeInfo>,
    pub reserves: Vec<u32>,
    pub rules: Priorities,
}

impl Instance {
    /// The pupil-optimal stable placement: for each pupil, the index in its wishes of the one
    /// held.
    pub fn solve(&self) -> Result<Vec<Option<usize>>> {
        let solved = self.market()?.solve();
        Ok(self
            .pupils
            .iter()
            .zip(&solved)
            .map(|(p, s)| {
                s.and_then(|k| {
                    p.wishes
                        .iter()
                        .enumerate()
                        .filter(|(_, w)| w.contract.is_ok())
                        .nth(k as usize)
                        .map(|(i, _)| i)
                })
            })
            .collect())
    }

    /// The market: each pupil's eligible contracts in wish order.
    pub fn market(&self) -> Result<Market> {
        let prefs = self
            .pupils
            .iter()
            .map(|p| p.wishes.iter().filter_map(|w| w.contract.ok()).collect())
            .collect();
        Market::new(
            self.nodes.iter().map(|n| n.cap).collect(),
            self.reserves.clone(),
            prefs,
        )
    }
}

fn at(i: usize, field: &str) -> String {
    format!("pupils[{i}].{field}")
}

/// Names the pupil in an error raised while reading one of its fields.
pub(crate) fn in_pupil(e: Error, i: usize, id: &str, field: &str) -> Error {
    in_item(e, ("pupils", "pupil"), i, id, field)
}

/// Names the item (`("requests", "request")`) in an error raised while reading its field.
pub(crate) fn in_item(e: Error, list: (&str, &str), i: usize, id: &str, field: &str) -> Error {
    let path = format!("{}[{i}].{field}", list.0);
    let who = list.1;
    match e {
        Error::InvalidInput { value, reason, .. } => Error::InvalidInput {
            field: path,
            value,
            reason: format!("{reason} ({who} {id:?})"),
        },
        Error::AmbiguousPlace {
            value,
            candidates,
            total,
            ..
        } => Error::AmbiguousPlace {
            field: path,
            value,
            candidates,
            total,
        },
        Error::NotFound { kind, value, hint } => Error::NotFound {
            kind,
            value,
            hint: Some(match hint {
                Some(h) => format!("{h}; in {path} of {who} {id:?}"),
                None => format!("in {path} of {who} {id:?}"),
            }),
        },
        other => other,
    }
}

/// The pupil's weeks as one period, Monday of the first to Friday of the last; the weeks
/// must follow each other.
pub(crate) fn weeks_period(weeks: &[String]) -> Result<Period> {
    let mut mondays = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| Date::iso_week(w.trim()).map_err(|e| e.renamed(&format!("weeks[{i}]"))))
        .collect::<Result<Vec<_>>>()?;
    mondays.stable();
    mondays.dedup();
    let (Some(first), Some(last)) = (mondays.first().copied(), mondays.last().copied()) else {
        return Err(Error::invalid(
            "weeks",
            "",
            "at least one ISO week, e.g. 2027-W03",
        ));
    };
    if mondays
        .windows(2)
        .any(|w| matches!(w, [a, b] if a.days_until(*b) != 7))
    {
        return Err(Error::invalid(
            "weeks",
            weeks.join(" "),
            "the weeks of one stage follow each other",
        ));
    }
    Period::new(first, last.plus_days(4))
}

/// The lottery: a seeded hash of each id (FNV-1a, then `SplitMix64` with the seed), ties by id;
/// returns each pupil's number from 1.
pub(crate) fn lottery(ids: &[&str], seed: u64) -> Vec<u32> {
    let hash = |id: &str| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in id.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        let mut z = (h ^ seed).wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut order: Vec<(u64, &str, usize)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (hash(id), *id, i))
        .collect();
    order.unstable();
    let mut numbers = vec![0u32; ids.len()];
    for (rank, (_, _, i)) in order.into_iter().enumerate() {
        if let Some(n) = numbers.get_mut(i) {
            *n = u32::try_from(rank).unwrap_or(u32::MAX).saturating_add(1);
        }
    }
    numbers
}

/// Priority key: tier, then distance in metres, then the lottery (lower first).
pub(crate) fn key(rules: &Priorities, tier: Option<Priority>, metres: u32, lottery: u32) -> u64 {
    let tier = match (rules.rep_first, tier) {
        (true, Some(Priority::RepPlus)) | (false, _) => 0u64,
        (true, Some(Priority::Rep)) => 1,
        (true, None) => 2,
    };
    let metres = if rules.distance {
        u64::from(metres.min(MAX_DISTANCE_M))
    } else {
        0
    };
    (tier << 62) | (metres << 32) | u64::from(lottery.saturating_sub(1))
}

/// The tier part of a key (0 REP+ or all, 1 REP, 2 others), its metres and its lottery number.
pub(crate) fn split_key(key: u64) -> (u64, u64, u32) {
    (
        key >> 62,
        (key >> 32) & u64::from(MAX_DISTANCE_M),
        ((key & 0xffff_ffff) as u32).saturating_add(1),
    )
}

pub(crate) fn check_rules(rules: &Priorities) -> Result<()> {
    if let Some(share) = rules.rep_min_share {
        if !share.is_finite() || !(0.0..=1.0).contains(&share) {
            return Err(Error::invalid(
                "priorities.rep_min_share",
                share.to_string(),
                "a share between 0 and 1 (0.3 for 30 %)",
            ));
        }
        if rules.rep_first {
            return Err(Error::invalid(
                "priorities.rep_min_share",
                share.to_string(),
                "choose rep_first or rep_min_share, not both",
            ));
        }
    }
    Ok(())
}

impl Engine {
    /// The schools a request knows: the embedded ones, replaced or completed by its own.
    pub(crate) fn request_schools(
        &self,
        extra: &[School],
    ) -> Result<std::borrow::Cow<'_, Schools>> {
        if extra.is_empty() {
            return Ok(std::borrow::Cow::Borrowed(self.schools()));
        }
        let mut list: BTreeMap<String, School> = self
            .schools()
            .iter()
            .map(|s| (s.uai.clone(), s.clone()))
            .collect();
        Schools::from_list(extra.to_vec())?; // checks the caller's rows, with their index
        for s in extra {
            list.insert(s.uai.clone(), s.clone());
        }
        Schools::from_list(list.into_values().collect()).map(std::borrow::Cow::Owned)
    }

    pub(crate) fn prepare(&self, request: &AssignRequest) -> Result<Instance> {
        check_rules(&request.priorities)?;
        let schools = self.request_schools(&request.schools)?;
        let ids: Vec<&str> = request.pupils.iter().map(|p| p.id.as_str()).collect();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, id) in ids.iter().enumerate() {
            if id.trim().is_empty() {
                return Err(Error::invalid(at(i, "id"), *id, "a pupil needs an id"));
            }
            if let Some(first) = seen.insert(id, i) {
                return Err(Error::invalid(
                    at(i, "id"),
                    *id,
                    format!("this id is already pupils[{first}]'s"),
                ));
            }
        }
        let numbers = lottery(&ids, request.priorities.seed);
        let mut periods: Vec<Period> = Vec::new();
        let mut stage_index: HashMap<String, usize> = HashMap::new();
        let mut stages: Vec<Arc<Stage>> = Vec::new();
        let mut pupils = Vec::with_capacity(request.pupils.len());
        for (i, p) in request.pupils.iter().enumerate() {
            let lottery = numbers.get(i).copied().unwrap_or(u32::MAX);
            let info = self.pupil(i, p, &schools, lottery, &mut periods)?;
            let wished = self.wished(i, p, &info.query)?;
            let mut list: Vec<Wish> = Vec::with_capacity(wished.len());
            for (j, id) in wished.iter().enumerate() {
                let s = if let Some(s) = stage_index.get(id.as_str()) {
                    *s
                } else {
                    let found = self.catalog().stage_shared(id).map_err(|_| {
                        Error::invalid(
                            at(i, &format!("wishes[{j}]")),
                            id,
                            format!("no stage has this id in the catalogue (pupil {:?})", p.id),
                        )
                    })?;
                    stages.push(found.clone());
                    stage_index.insert(id.clone(), stages.len() - 1);
                    stages.len() - 1
                };
                if list.iter().any(|w| w.stage == s) {
                    return Err(Error::invalid(
                        at(i, &format!("wishes[{j}]")),
                        id,
                        format!("this stage is wished twice (pupil {:?})", p.id),
                    ));
                }
                list.push(Wish {
                    stage: s,
                    distance_km: 0.0,
                    contract: Err(RefusalCode::NoPlaces),
                });
            }
            pupils.push(PupilInfo {
                wishes: list,
                ..info
            });
        }
        check_periods(&pupils, &periods, &request.pupils)?;
        let mut instance = Instance {
            pupils,
            stages,
            periods,
            nodes: Vec::new(),
            reserves: Vec::new(),
            rules: request.priorities.clone(),
        };
        self.lay_out(&mut instance)?;
        Ok(instance)
    }

    fn pupil(
        &self,
        i: usize,
        p: &Pupil,
        schools: &Schools,
        lottery: u32,
        periods: &mut Vec<Period>,
    ) -> Result<PupilInfo> {
        let school = schools.get(&p.school).map_err(|_| {
            Error::invalid(
                at(i, "school"),
                &p.school,
                format!(
                    "no school with this UAI (pupil {:?}); give it in the request's `schools`",
                    p.id
                ),
            )
        })?;
        let period = weeks_period(&p.weeks).map_err(|e| in_pupil(e, i, &p.id, "weeks"))?;
        let period = if let Some(k) = periods.iter().position(|x| *x == period) {
            k
        } else {
            periods.push(period);
            periods.len().saturating_sub(1)
        };
        let point = match &p.place {
            None => (school.lat, school.lon),
            Some(place) => {
                let found = self
                    .resolve(place.clone())
                    .map_err(|e| in_pupil(e, i, &p.id, "place"))?;
                if found.kind == crate::PlaceKind::Departement {
                    return Err(Error::invalid(
                        at(i, "place"),
                        found.name,
                        format!("a département has no centre to measure from (pupil {:?}); give a commune or a point", p.id),
                    ));
                }
                (found.lat, found.lon)
            }
        };
        near_school(at(i, "place"), point, school, &p.id)?;
        let audience = p.audience.unwrap_or(match school.kind {
            SchoolKind::College => Audience::College,
            SchoolKind::Lycee => Audience::Lycee,
        });
        let mut query = Query {
            near: Some(PlaceRef::Point {
                lat: point.0,
                lon: point.1,
            }),
            audience: Some(audience),
            dates: periods.get(period).copied(),
            ..Query::default()
        };
        match (&p.profile, p.wishes.is_empty()) {
            (Some(_), false) => {
                return Err(Error::invalid(
                    at(i, "profile"),
                    &p.id,
                    "give wishes or a profile, not both",
                ))
            }
            (Some(profile), true) => {
                let n = profile.wishes.unwrap_or(DEFAULT_WISHES);
                if n == 0 || n > MAX_WISHES {
                    return Err(Error::invalid(
                        at(i, "profile.wishes"),
                        n.to_string(),
                        format!("between 1 and {MAX_WISHES} (pupil {:?})", p.id),
                    ));
                }
                query.interests.clone_from(&profile.interests);
                query.metiers.clone_from(&profile.metiers);
                query.sectors.clone_from(&profile.sectors);
                query.kinds.clone_from(&profile.kinds);
                query.radius_km = profile.radius_km;
                query.limit = Some(n);
            }
            // No wish at all: unplaced, with suggestions.
            (None, _) => {}
        }
        if u64::try_from(p.wishes.len()).unwrap_or(u64::MAX) > MAX_WISHES {
            return Err(Error::invalid(
                at(i, "wishes"),
                p.wishes.len().to_string(),
                format!("at most {MAX_WISHES} wishes (pupil {:?})", p.id),
            ));
        }
        Ok(PupilInfo {
            id: p.id.clone(),
            school: school.uai.clone(),
            class: p.class.clone(),
            tier: school.education_prioritaire,
            lottery,
            point,
            period,
            audience,
            query,
            wishes: Vec::new(),
        })
    }

    /// The pupil's wishes: as given (checked by the caller), or ranked by the engine from
    /// the profile.
    fn wished<'p>(
        &self,
        i: usize,
        p: &'p Pupil,
        query: &Query,
    ) -> Result<std::borrow::Cow<'p, [String]>> {
        if p.profile.is_none() {
            return Ok(std::borrow::Cow::Borrowed(&p.wishes));
        }
        Ok(std::borrow::Cow::Owned(
            self.search_stages(query)
                .map_err(|e| in_pupil(e, i, &p.id, "profile"))?
                .matches
                .into_iter()
                .map(|m| m.id)
                .map(|id| id.to_string())
                .collect(),
        ))
    }
}

/// Two pupils whose weeks overlap without being the same cannot share capacities per week.
fn check_periods(pupils: &[PupilInfo], periods: &[Period], raw: &[Pupil]) -> Result<()> {
    let mut order: Vec<usize> = (0..periods.len()).collect();
    order.stable_by_key(|k| periods.get(*k).copied());
    for pair in order.windows(2) {
        let [a, b] = pair else { continue };
        let (Some(pa), Some(pb)) = (periods.get(*a), periods.get(*b)) else {
            continue;
        };
        if pa.overlaps(pb) {
            let who = |k: usize| pupils.iter().position(|p| p.period == k).unwrap_or(0);
            let (i, j) = (who(*a), who(*b));
            let id = |i: usize| raw.get(i).map_or("", |p| p.id.as_str());
            return Err(Error::invalid(
                at(j, "weeks"),
                raw.get(j).map(|p| p.weeks.join(" ")).unwrap_or_default(),
                format!(
                    "pupil {:?} has weeks that overlap pupil {:?}'s ({}) without being the same: place them in separate requests",
                    id(j),
                    id(i),
                    raw.get(i).map(|p| p.weeks.join(" ")).unwrap_or_default()
                ),
            ));
        }
    }
    Ok(())
}
