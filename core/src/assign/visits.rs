//! Class visits: a département's requests (one ambassador visit per class in a month) placed
//! onto ambassadors' class-visit sessions, within their travel radius, by the same mechanism,
//! priorities, certificate and report as the pupils' placement. An ambassador's capacity is
//! the class-visit sessions left in that month.

// Counts and indices are bounded by the request's classes and wishes.
#![allow(clippy::arithmetic_side_effects)]

use super::accept::{Contract, UNCAPPED};
use super::certify::{ineligible, Holders, Test};
use super::model::{Applied, Level, Priorities, Refusal, RefusalCode, WishStatus};
use super::prepare::{self, check_rules, in_item, key, Instance, NodeInfo, PupilInfo, Wish};
pub use super::visit_model::{
    VisitOutcome, VisitPlacement, VisitRequest, VisitWish, VisitsRequest,
};
use crate::calendar::{Date, Period};
use crate::catalog::{Audience, ContactMode};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::geo::PlaceRef;
use crate::schools::{Priority, School, SchoolKind};
use crate::Query;
use std::collections::HashMap;

fn at(i: usize, field: &str) -> String {
    format!("requests[{i}].{field}")
}

/// `YYYY-MM` as the month's days.
fn month(text: &str) -> Result<Period> {
    let first = Date::parse(&format!("{}-01", text.trim()))
        .map_err(|_| Error::invalid("month", text, "expected a month as YYYY-MM"))?;
    Ok(crate::catalog::month_of(first))
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// What the requests share while they are read: ambassadors wished, months, capacity nodes.
struct Builder<'e> {
    engine: &'e Engine,
    rules: &'e Priorities,
    ambassadors: Vec<String>,
    index: HashMap<String, usize>,
    months: Vec<Period>,
    nodes: Vec<NodeInfo>,
    node_of: HashMap<(usize, usize), u32>,
}

/// One request, read: where, when, who.
struct Class {
    point: (f64, f64),
    days: Period,
    month: usize,
    audience: Audience,
    tier: Option<Priority>,
    lottery: u32,
}

impl Builder<'_> {
    /// A request as a placement's "pupil": its wishes with their contracts or refusals.
    fn request(
        &mut self,
        i: usize,
        r: &VisitRequest,
        school: &School,
        lottery: u32,
    ) -> Result<PupilInfo> {
        let days = month(&r.month).map_err(|e| in_item(e, LIST, i, &r.id, "month"))?;
        let month = if let Some(k) = self.months.iter().position(|x| *x == days) {
            k
        } else {
            self.months.push(days);
            self.months.len() - 1
        };
        let point = match &r.place {
            None => (school.lat, school.lon),
            Some(p) => {
                let found = self
                    .engine
                    .resolve(p.clone())
                    .map_err(|e| in_item(e, LIST, i, &r.id, "place"))?;
                (found.lat, found.lon)
            }
        };
        prepare::near_school(at(i, "place"), point, school, &r.id)?;
        let audience = match school.kind {
            SchoolKind::College => Audience::College,
            SchoolKind::Lycee => Audience::Lycee,
        };
        let class = Class {
            point,
            days,
            month,
            audience,
            tier: school.education_prioritaire,
            lottery,
        };
        let wished = self.wished(i, r, &class)?;
        let mut list: Vec<Wish> = Vec::new();
        for (j, id) in wished.iter().enumerate() {
            let field = at(i, &format!("wishes[{j}]"));
            let w = self.wish(&field, r, id, &class)?;
            if list.iter().any(|x| x.stage == w.stage) {
                return Err(Error::invalid(
                    field,
                    id,
                    format!("this ambassador is wished twice (request {:?})", r.id),
                ));
            }
            list.push(w);
        }
        Ok(PupilInfo {
            id: r.id.clone(),
            school: school.uai.clone(),
            class: r.class.clone(),
            tier: class.tier,
            lottery,
            point,
            period: month,
            audience,
            query: Query::default(),
            wishes: list,
        })
    }

    /// The ambassadors wished: as given, or ranked by the engine from the profile.
    fn wished(&self, i: usize, r: &VisitRequest, c: &Class) -> Result<Vec<String>> {
        match (&r.profile, r.wishes.is_empty()) {
            (Some(_), false) => Err(Error::invalid(
                at(i, "profile"),
                &r.id,
                "give wishes or a profile, not both",
            )),
            (Some(profile), true) => {
                let q = Query {
                    near: Some(PlaceRef::Point {
                        lat: c.point.0,
                        lon: c.point.1,
                    }),
                    audience: Some(c.audience),
                    dates: Some(c.days),
                    group_size: r.group_size,
                    interests: profile.interests.clone(),
                    metiers: profile.metiers.clone(),
                    sectors: profile.sectors.clone(),
                    limit: Some(
                        profile
                            .wishes
                            .unwrap_or(prepare::DEFAULT_WISHES)
                            .clamp(1, prepare::MAX_WISHES),
                    ),
                    ..Query::default()
                };
                Ok(self
                    .engine
                    .ambassadors_for_class(&q)
                    .map_err(|e| in_item(e, LIST, i, &r.id, "profile"))?
                    .matches
                    .into_iter()
                    .map(|x| x.id)
                    .map(|id| id.to_string())
                    .collect())
            }
            (None, _) => Ok(r.wishes.clone()),
        }
    }

    /// One wished ambassador: eligible (a contract on its month's node) or refused.
    fn wish(&mut self, field: &str, req: &VisitRequest, id: &str, class: &Class) -> Result<Wish> {
        let amb = self.engine.ambassador(id).map_err(|_| {
            Error::invalid(
                field,
                id,
                format!("no ambassador has this id (request {:?})", req.id),
            )
        })?;
        let slot = if let Some(known) = self.index.get(id) {
            *known
        } else {
            self.ambassadors.push(id.to_string());
            self.index
                .insert(id.to_string(), self.ambassadors.len() - 1);
            self.ambassadors.len() - 1
        };
        let km = amb
            .place
            .as_ref()
            .and_then(crate::Location::point)
            .map_or(f64::INFINITY, |p| crate::geo::distance_km(class.point, p));
        let contact = amb.contact(ContactMode::ClassVisit);
        let left = amb.sessions_left(ContactMode::ClassVisit, class.days.start);
        let too_big = matches!((req.group_size, contact.and_then(|x| x.max_group)), (Some(n), Some(g)) if n > g);
        let available =
            amb.availability.is_empty() || amb.availability.iter().any(|p| p.overlaps(&class.days));
        let refusal = if contact.is_none() {
            Some(RefusalCode::NoVisits)
        } else if amb.travel_radius_km.is_none_or(|t| km > t) {
            Some(RefusalCode::Travel)
        } else if too_big {
            Some(RefusalCode::GroupSize)
        } else if !amb.audiences.is_empty() && !amb.audiences.contains(&class.audience) {
            Some(RefusalCode::Audience)
        } else if !available {
            Some(RefusalCode::NotAvailable)
        } else if left == Some(0) {
            Some(RefusalCode::NoPlaces)
        } else {
            None
        };
        let made = if let Some(code) = refusal {
            Err(code)
        } else {
            {
                let nodes = &mut self.nodes;
                let node = *self.node_of.entry((slot, class.month)).or_insert_with(|| {
                    nodes.push(NodeInfo {
                        level: Level::Stage,
                        cap: left.unwrap_or(UNCAPPED),
                    });
                    (nodes.len() - 1) as u32
                });
                let metres = (km * 1000.0)
                    .round()
                    .clamp(0.0, f64::from(prepare::MAX_DISTANCE_M))
                    as u32;
                Ok(Contract {
                    nodes: [node, 0, 0],
                    len: 1,
                    key: key(self.rules, class.tier, metres, class.lottery),
                    favoured: class.tier.is_some(),
                })
            }
        };
        Ok(Wish {
            stage: slot,
            distance_km: if km.is_finite() { km } else { 0.0 },
            contract: made,
        })
    }
}

const LIST: (&str, &str) = ("requests", "request");

impl Engine {
    /// Places classes' visit requests onto ambassadors' class-visit sessions (see the module
    /// [`crate::assign`] for the mechanism and guarantees; the capacity of an ambassador is the
    /// class-visit sessions left in the month, all of them when the contact has no cap).
    pub fn assign_visits(&self, request: &VisitsRequest) -> Result<VisitPlacement> {
        check_rules(&request.priorities)?;
        let rules = &request.priorities;
        let schools = self.request_schools(&request.schools)?;
        let ids: Vec<&str> = request.requests.iter().map(|r| r.id.as_str()).collect();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, id) in ids.iter().enumerate() {
            if id.trim().is_empty() || seen.insert(id, i).is_some() {
                return Err(Error::invalid(
                    at(i, "id"),
                    *id,
                    "each request needs its own id",
                ));
            }
        }
        let numbers = prepare::lottery(&ids, rules.seed);
        let mut b = Builder {
            engine: self,
            rules,
            ambassadors: Vec::new(),
            index: HashMap::new(),
            months: Vec::new(),
            nodes: Vec::new(),
            node_of: HashMap::new(),
        };
        let mut pupils = Vec::with_capacity(request.requests.len());
        for (i, r) in request.requests.iter().enumerate() {
            let school = schools.get(&r.school).map_err(|_| {
                Error::invalid(
                    at(i, "school"),
                    &r.school,
                    format!(
                        "no school with this UAI (request {:?}); give it in `schools`",
                        r.id
                    ),
                )
            })?;
            pupils.push(b.request(i, r, school, numbers.get(i).copied().unwrap_or(u32::MAX))?);
        }
        let reserves = b
            .nodes
            .iter()
            .map(|n| match rules.rep_min_share {
                Some(share) if n.cap != UNCAPPED => (share * f64::from(n.cap)).ceil() as u32,
                _ => 0,
            })
            .collect();
        let ambassadors = b.ambassadors;
        let inst = Instance {
            pupils,
            stages: Vec::new(),
            periods: b.months,
            nodes: b.nodes,
            reserves,
            rules: rules.clone(),
        };
        let held = inst.solve()?;
        let holders = Holders::new(&inst, &held);
        let mut outcomes = Vec::with_capacity(inst.pupils.len());
        for (p, h) in held.iter().enumerate() {
            let month = request
                .requests
                .get(p)
                .map(|r| r.month.trim().to_string())
                .unwrap_or_default();
            outcomes.push(outcome(&inst, &holders, &ambassadors, p, *h, month)?);
        }
        let report = super::report::report(
            &outcomes,
            ("classe", "classes", ("servie", "servies")),
            "visite",
        );
        Ok(VisitPlacement {
            revision: self.revision(),
            seed: rules.seed,
            requests: outcomes,
            report,
        })
    }

    /// Books every visit of a placement (a class-visit session on the first weekday of the
    /// month the ambassador is free), all or none: `conflict` when the catalogue changed
    /// since, or an ambassador has no session left that month.
    pub fn apply_visits(&mut self, placement: &VisitPlacement) -> Result<Applied> {
        if placement.revision != self.revision() {
            return Err(Error::Conflict { reason: format!("the visits were placed on catalogue revision {} and the catalogue is now at {}: place them again", placement.revision, self.revision()) });
        }
        let mut changed: Vec<crate::Ambassador> = Vec::new();
        for o in &placement.requests {
            let Some(id) = &o.ambassador else { continue };
            let days = month(&o.month)?;
            let pos = if let Some(p) = changed.iter().position(|a| &a.id == id) {
                p
            } else {
                changed.push(self.ambassador(id)?.clone());
                changed.len() - 1
            };
            let Some(a) = changed.get_mut(pos) else {
                continue;
            };
            let day = a
                .next_free(ContactMode::ClassVisit, days.start)
                .filter(|d| *d <= days.end)
                .ok_or_else(|| Error::Conflict {
                    reason: format!(
                        "ambassador {id:?} has no class-visit session left in {}",
                        o.month
                    ),
                })?;
            a.booked.push(crate::Booked {
                mode: ContactMode::ClassVisit,
                date: day,
            });
        }
        let reserved = placement
            .requests
            .iter()
            .filter(|o| o.ambassador.is_some())
            .count() as u32;
        let touched = changed.len();
        for a in changed {
            self.replace_ambassador(a)?;
        }
        Ok(Applied {
            reserved,
            stages: touched,
            revision: self.revision(),
        })
    }
}

/// One class's outcome and certificate.
fn outcome(
    inst: &Instance,
    holders: &Holders,
    ambassadors: &[String],
    p: usize,
    h: Option<usize>,
    month: String,
) -> Result<VisitOutcome> {
    let pupil = inst
        .pupils
        .get(p)
        .ok_or_else(|| Error::Internal("request index".into()))?;
    let upto = h.map_or(pupil.wishes.len(), |h| h + 1);
    let mut wishes = Vec::new();
    for (i, w) in pupil.wishes.iter().enumerate().take(upto) {
        let (status, refusal) = match (h, &w.contract) {
            (Some(h), _) if h == i => (WishStatus::Obtained, None),
            (_, Err(code)) => (WishStatus::Refused, Some(visit_refusal(*code))),
            (_, Ok(c)) => match holders.test(inst, p as u32, c) {
                Test::Refused(r) => (WishStatus::Refused, Some(r)),
                Test::Accepted => return Err(Error::Internal("visit placement not stable".into())),
            },
        };
        wishes.push(VisitWish {
            ambassador: ambassadors.get(w.stage).cloned().unwrap_or_default(),
            rank: i + 1,
            distance_km: round2(w.distance_km),
            status,
            refusal,
        });
    }
    let got = h.and_then(|h| pupil.wishes.get(h));
    let ambassador = got.and_then(|w| ambassadors.get(w.stage).cloned());
    let text = match (&ambassador, h) {
        (Some(a), Some(h)) => format!(
            "Visite de l'ambassadeur {a} : vœu {} sur {}.",
            h + 1,
            pupil.wishes.len()
        ),
        _ => match pupil.wishes.len() {
            0 => {
                "Pas de visite : aucun ambassadeur ne vient à cette classe ce mois-ci.".to_string()
            }
            n => format!(
                "Pas de visite : {} sans séance libre ou hors de portée.",
                crate::wording::count(n, "vœu", "vœux")
            ),
        },
    };
    Ok(VisitOutcome {
        request: pupil.id.clone(),
        school: pupil.school.clone(),
        class: pupil.class.clone(),
        education_prioritaire: pupil.tier,
        lottery: pupil.lottery,
        month,
        ambassador,
        wish: h.map(|h| h + 1),
        distance_km: got.map(|w| round2(w.distance_km)),
        wishes,
        text,
    })
}

/// An eligibility refusal of a visit, worded.
fn visit_refusal(code: RefusalCode) -> Refusal {
    let text = match code {
        RefusalCode::NoVisits => "ne vient pas dans les classes",
        RefusalCode::Travel => "trop loin : au-delà de son rayon de déplacement",
        RefusalCode::GroupSize => "la classe est plus grande que le groupe qu'il reçoit",
        RefusalCode::NotAvailable => "indisponible ce mois-ci",
        RefusalCode::NoPlaces => "plus aucune séance ce mois-ci",
        other => return ineligible(other, None),
    };
    Refusal {
        code,
        level: None,
        cutoff_lottery: None,
        text: text.to_string(),
    }
}
