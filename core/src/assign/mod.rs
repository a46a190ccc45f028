//! Placement of a whole cohort: every pupil of a class, a collège or a département matched to
//! a stage at once, from their ranked wishes (or a profile), with the priorities a public
//! service sets, stable and explained.
//!
//! The mechanism is pupil-proposing deferred acceptance (see [`Market`]) over nested
//! capacities: a stage's places in each week (`places_per_period`), its places
//! (`places_left`), its company's cap (`max_pupils`). Eligibility comes first: the pupil's
//! weeks, the audience, offers reserved to some schools (`schools`) or to REP/REP+ pupils
//! (`rep_only`). Among pupils a full stage must choose from, the order is fixed and
//! documented: éducation prioritaire first when `rep_first` (REP+, then REP, then others),
//! then the pupil living closer when `distance`, then a seeded lottery (one number a pupil,
//! drawn from a hash of the seed and the pupil's id). With `rep_min_share`, that share of each
//! capacity's places waits for REP/REP+ pupils and goes to others only when none wants it.
//!
//! The placement is stable (no pupil and stage would both rather be together), pupil-optimal
//! and the same for the same request on every platform. Each pupil's outcome is a
//! certificate: for every better wish, why not. [`Engine::check_placement`] verifies any
//! placement against a request; [`Engine::apply`] reserves its places all at once or none.
//!
//! ```
//! use metiers::{AssignRequest, Engine, Pupil};
//! let engine = Engine::normandy()?;
//! let s = engine.catalog().stages().find(|s| &*s.id == "S000003").unwrap();
//! let pupil = |id: &str| Pupil {
//!     id: id.into(),
//!     school: "0140006F".into(),
//!     weeks: vec![s.periods[0].start.iso_week_label()],
//!     wishes: vec![s.id.to_string()],
//!     ..Pupil::default()
//! };
//! let request = AssignRequest { pupils: vec![pupil("p1"), pupil("p2")], ..AssignRequest::default() };
//! let placement = engine.assign(&request)?;
//! assert_eq!(placement.report.pupils, 2);
//! assert!(engine.check_placement(&request, &placement.assignments())?.stable);
//! # Ok::<(), metiers::Error>(())
//! ```

mod accept;
mod certify;
mod cohort;
mod layout;
mod model;
mod prepare;
mod read;
mod report;
mod visit_model;
mod visits;

use crate::sorting::Sort;
pub use accept::{Contract, Market, UNCAPPED};
pub use cohort::CohortSpec;
pub use model::{
    Applied, AssignOptions, AssignRequest, Assignment, Check, DistanceStats, GroupReport, Level,
    Placement, Priorities, Profile, Pupil, PupilOutcome, Refusal, RefusalCode, Report, Suggestion,
    Violation, ViolationKind, WishOutcome, WishStatus,
};
pub use prepare::{DEFAULT_WISHES, MAX_WISHES};
pub use read::{assignments_from_value, read_pupils_csv, read_pupils_csv_in, PUPIL_COLUMNS};
pub use visits::{VisitOutcome, VisitPlacement, VisitRequest, VisitWish, VisitsRequest};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::schools::Schools;
use certify::{Holders, Test};
pub(crate) use prepare::weeks_period;
use prepare::Instance;
use std::collections::{BTreeMap, HashMap};

/// Suggestions an unplaced pupil gets by default.
pub const DEFAULT_SUGGESTIONS: u64 = 3;
/// Most suggestions a request may ask for.
pub const MAX_SUGGESTIONS: u64 = 20;

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl Placement {
    /// Each pupil and the stage they hold, as [`Engine::check_placement`] reads them.
    pub fn assignments(&self) -> Vec<Assignment> {
        self.pupils
            .iter()
            .map(|p| Assignment {
                pupil: p.pupil.clone(),
                stage: p.stage.clone(),
            })
            .collect()
    }
}

/// Places taken after a placement, to tell what is left.
struct Taken<'a> {
    slot: HashMap<(&'a str, usize), u32>,
    stage: HashMap<&'a str, u32>,
    company: HashMap<&'a str, u32>,
}

impl Engine {
    /// The schools the engine knows (the embedded collèges and lycées of Normandy with the
    /// `schools` feature).
    pub fn schools(&self) -> &Schools {
        Schools::embedded()
    }

    /// Places a cohort; see the [module](crate::assign) for the rules and guarantees.
    ///
    /// Errors name the pupil and the field: an unknown school or stage, a pupil without
    /// weeks, two pupils with the same id, weeks that overlap another pupil's without being
    /// the same, both wishes and a profile, a share outside 0 to 1. Nothing is placed then.
    pub fn assign(&self, request: &AssignRequest) -> Result<Placement> {
        let asked = request.suggestions.unwrap_or(DEFAULT_SUGGESTIONS);
        let suggestions = match usize::try_from(asked) {
            Ok(n) if asked <= MAX_SUGGESTIONS => n,
            _ => {
                return Err(Error::invalid(
                    "suggestions",
                    asked.to_string(),
                    format!("at most {MAX_SUGGESTIONS}"),
                ))
            }
        };
        let inst = self.prepare(request)?;
        let held = inst.solve()?;
        let holders = Holders::new(&inst, &held);
        let taken = taken(&inst, &held);
        let mut outcomes = Vec::with_capacity(inst.pupils.len());
        for (p, h) in held.iter().enumerate() {
            outcomes.push(self.outcome(&inst, &holders, &taken, p, *h, suggestions)?);
        }
        let report = report::report(&outcomes, ("élève", "élèves", ("placé", "placés")), "stage");
        Ok(Placement {
            revision: self.revision(),
            seed: request.priorities.seed,
            pupils: outcomes,
            report,
        })
    }

    fn outcome(
        &self,
        inst: &Instance,
        holders: &Holders,
        taken: &Taken,
        p: usize,
        held: Option<usize>,
        suggestions: usize,
    ) -> Result<model::PupilOutcome> {
        let pupil = inst
            .pupils
            .get(p)
            .ok_or_else(|| Error::Internal("pupil index".into()))?;
        let period = inst.periods.get(pupil.period);
        let mut wishes = Vec::with_capacity(pupil.wishes.len());
        let upto = held.map_or(pupil.wishes.len(), |h| h.saturating_add(1));
        for (i, w) in pupil.wishes.iter().enumerate().take(upto) {
            let stage = inst
                .stages
                .get(w.stage)
                .map(|s| s.id.to_string())
                .unwrap_or_default();
            let (status, refusal) = match (held, &w.contract) {
                (Some(h), _) if h == i => (WishStatus::Obtained, None),
                (_, Err(code)) => (
                    WishStatus::Refused,
                    Some(certify::ineligible(*code, period)),
                ),
                (_, Ok(c)) => match holders.test(inst, p as u32, c) {
                    Test::Refused(r) => (WishStatus::Refused, Some(r)),
                    Test::Accepted => {
                        return Err(Error::Internal(format!(
                            "placement not stable for pupil {:?} and stage {stage:?}",
                            pupil.id
                        )))
                    }
                },
            };
            wishes.push(WishOutcome {
                stage,
                rank: i.saturating_add(1),
                distance_km: round2(w.distance_km),
                status,
                refusal,
            });
        }
        let obtained = held.and_then(|h| pupil.wishes.get(h));
        let stage = obtained.and_then(|w| inst.stages.get(w.stage));
        let asked = suggestions;
        let suggestions = if stage.is_none() && asked > 0 {
            self.suggest(inst, taken, pupil, asked)?
        } else {
            Vec::new()
        };
        let n = pupil.wishes.len();
        let text = if let (Some(h), Some(w)) = (held, obtained) {
            format!(
                "Stage {} obtenu : vœu {} sur {n}, {}.",
                stage.map(|s| &*s.id).unwrap_or_default(),
                h.saturating_add(1),
                if w.distance_km < 1.0 {
                    "à moins d'un kilomètre".to_string()
                } else {
                    format!(
                        "à {}",
                        crate::wording::distance(w.distance_km).unwrap_or_default()
                    )
                }
            )
        } else {
            {
                let wishes = match n {
                    0 => "aucun vœu".to_string(),
                    1 => "son vœu est refusé".to_string(),
                    _ => format!("ses {n} vœux sont refusés"),
                };
                let others = match (asked, suggestions.len()) {
                    (0, _) => String::new(),
                    (_, 0) => " ; aucun autre stage n'a de place sur ses semaines".to_string(),
                    (_, 1) => {
                        " ; 1 suggestion de stage avec des places sur ses semaines".to_string()
                    }
                    (_, k) => {
                        format!(" ; {k} suggestions de stages avec des places sur ses semaines")
                    }
                };
                format!("Aucun stage obtenu : {wishes}{others}.")
            }
        };
        Ok(model::PupilOutcome {
            pupil: pupil.id.clone(),
            school: pupil.school.clone(),
            class: pupil.class.clone(),
            education_prioritaire: pupil.tier,
            lottery: pupil.lottery,
            stage: stage.map(|s| s.id.to_string()),
            company: stage.map(|s| s.company.to_string()),
            wish: held.map(|h| h.saturating_add(1)),
            distance_km: obtained.map(|w| round2(w.distance_km)),
            wishes,
            suggestions,
            text,
        })
    }

    /// Nearest stages on the pupil's weeks with places left after the placement.
    fn suggest(
        &self,
        inst: &Instance,
        taken: &Taken,
        pupil: &prepare::PupilInfo,
        n: usize,
    ) -> Result<Vec<Suggestion>> {
        let mut query = pupil.query.clone();
        query.dates = inst.periods.get(pupil.period).copied();
        query.limit = Some(200);
        query.offset = 0;
        let result = self.search_stages(&query)?;
        let wished: Vec<&str> = pupil
            .wishes
            .iter()
            .filter_map(|w| inst.stages.get(w.stage).map(|s| &*s.id))
            .collect();
        let mut found: Vec<Suggestion> = Vec::new();
        for m in result.matches {
            let s = &m.item;
            if wished.contains(&&*s.id)
                || (!s.schools.is_empty() && !s.schools.contains(&pupil.school))
                || (s.rep_only && pupil.tier.is_none())
            {
                continue;
            }
            let get = |map: &HashMap<&str, u32>, k: &str| map.get(k).copied().unwrap_or(0);
            let slot = taken
                .slot
                .get(&(&*s.id, pupil.period))
                .copied()
                .unwrap_or(0);
            let company_cap = self
                .catalog()
                .company(&s.company)
                .ok()
                .and_then(|c| c.max_pupils);
            let places = [
                Some(s.places_left().saturating_sub(get(&taken.stage, &s.id))),
                s.places_per_period
                    .map(|x| x.min(s.places_left()).saturating_sub(slot)),
                company_cap.map(|c| c.saturating_sub(get(&taken.company, &s.company))),
            ]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(0);
            if places == 0 {
                continue;
            }
            found.push(Suggestion {
                stage: s.id.to_string(),
                title: s.title.as_deref().map(String::from),
                company: s.company.to_string(),
                distance_km: round2(m.distance_km.unwrap_or(0.0)),
                places,
                reasons: m.reasons.iter().map(ToString::to_string).collect(),
            });
        }
        found.stable_by(|a, b| {
            a.distance_km
                .total_cmp(&b.distance_km)
                .then_with(|| a.stage.cmp(&b.stage))
        });
        found.truncate(n);
        Ok(found)
    }

    /// Checks a placement made elsewhere (or by [`Engine::assign`]) against a request: every
    /// pupil holds at most one of their wishes, eligible, within every capacity, and no pupil
    /// and stage would both rather be together under the request's priorities.
    pub fn check_placement(
        &self,
        request: &AssignRequest,
        assignments: &[Assignment],
    ) -> Result<Check> {
        let inst = self.prepare(request)?;
        let mut by_id: BTreeMap<&str, Option<&str>> = BTreeMap::new();
        let mut violations = Vec::new();
        let unknown = |pupil: &str, message: String| Violation {
            kind: ViolationKind::UnknownPupil,
            pupil: Some(pupil.to_string()),
            stage: None,
            message,
        };
        for a in assignments {
            if by_id.insert(&a.pupil, a.stage.as_deref()).is_some() {
                violations.push(unknown(
                    &a.pupil,
                    format!("pupil {:?} is listed twice", a.pupil),
                ));
            }
        }
        let mut held = Vec::with_capacity(inst.pupils.len());
        for p in &inst.pupils {
            let Some(stage) = by_id.remove(p.id.as_str()) else {
                violations.push(unknown(
                    &p.id,
                    format!("pupil {:?} is missing from the placement", p.id),
                ));
                held.push(Ok(None));
                continue;
            };
            held.push(match stage {
                None => Ok(None),
                Some(id) => p
                    .wishes
                    .iter()
                    .position(|w| inst.stages.get(w.stage).is_some_and(|s| &*s.id == id))
                    .map(Some)
                    .ok_or_else(|| id.to_string()),
            });
        }
        for (pupil, _) in by_id {
            violations.push(unknown(
                pupil,
                format!("pupil {pupil:?} is not in the request"),
            ));
        }
        Ok(certify::check(&inst, &held, violations))
    }

    /// Reserves every place of a placement at once, or none: `conflict` when the catalogue
    /// changed since the placement was computed (its `revision`) or a stage has too few places
    /// left; `not_found` for a stage that no longer exists.
    pub fn apply(&mut self, placement: &Placement) -> Result<Applied> {
        if placement.revision != self.revision() {
            return Err(Error::Conflict {
                reason: format!(
                    "the placement was computed on catalogue revision {} and the catalogue is now at {}: place the pupils again",
                    placement.revision,
                    self.revision()
                ),
            });
        }
        let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
        for p in &placement.pupils {
            if let Some(s) = &p.stage {
                let c = counts.entry(s.as_str()).or_default();
                *c = c.saturating_add(1);
            }
        }
        for (id, n) in &counts {
            let left = self.stage(id)?.places_left();
            if left < *n {
                return Err(Error::Conflict {
                    reason: format!(
                        "stage {id:?} has {left} place(s) left, the placement takes {n}"
                    ),
                });
            }
        }
        let mut reserved = 0u32;
        for (id, n) in &counts {
            self.reserve(id, *n)?;
            reserved = reserved.saturating_add(*n);
        }
        Ok(Applied {
            reserved,
            stages: counts.len(),
            revision: self.revision(),
        })
    }
}

fn taken<'a>(inst: &'a Instance, held: &[Option<usize>]) -> Taken<'a> {
    let mut t = Taken {
        slot: HashMap::new(),
        stage: HashMap::new(),
        company: HashMap::new(),
    };
    for (p, h) in held.iter().enumerate() {
        let Some(pupil) = inst.pupils.get(p) else {
            continue;
        };
        let Some(s) = h
            .and_then(|w| pupil.wishes.get(w))
            .and_then(|w| inst.stages.get(w.stage))
        else {
            continue;
        };
        let bump = |x: &mut u32| *x = x.saturating_add(1);
        bump(t.slot.entry((&*s.id, pupil.period)).or_default());
        bump(t.stage.entry(&*s.id).or_default());
        bump(t.company.entry(&*s.company).or_default());
    }
    t
}
