//! One company, ambassador or stage of the sample, drawn by the generator.

// Draws index the lists they are drawn from.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::words::{COMPANY_WORDS, FIRST_NAMES, GRAND_DOMAINES, GREEK, TRAININGS};
use super::{location, Capitalised, Generator, Weighted};
use crate::calendar::{Date, Period};
use crate::catalog::{
    Ambassador, AmbassadorKind, Audience, Company, Contact, ContactMode, SizeBand, Stage, StageKind,
};
use crate::sorting::Sort;

impl Generator<'_> {
    pub(super) fn company(&mut self, i: usize) -> Company {
        let commune = self.communes[self.by_population.pick(&mut self.rng)];
        let grand = self.grand_domaine_for(commune);
        let domaine = self.domaine_in(grand);
        let words = COMPANY_WORDS
            .iter()
            .find(|(g, _)| *g == GRAND_DOMAINES[grand].0)
            .map_or(&["Entreprise"][..], |w| w.1);
        let word = *self.one(words);
        let greek = *self.one(&GREEK);
        let size = match self.rng.f64() {
            x if x < 0.50 => SizeBand::Tpe,
            x if x < 0.88 => SizeBand::Pme,
            x if x < 0.97 => SizeBand::Eti,
            _ => SizeBand::Ge,
        };
        Company {
            id: format!("C{:06}", i + 1),
            // "Entrepôts Iota du Havre", "Garage Alpha d'Évreux": the elisions of French.
            name: format!(
                "{word} {greek} {} (fictif)",
                crate::wording::de(&commune.name)
            ),
            siret: None,
            place: location(commune),
            sectors: vec![self.domaines[domaine].code.clone()],
            size: Some(size),
            max_pupils: None,
        }
    }

    pub(super) fn audiences(&mut self) -> Vec<Audience> {
        let shares = [0.7, 0.8, 0.5, 0.4, 0.4];
        let mut out: Vec<Audience> = Audience::ALL
            .iter()
            .zip(shares)
            .filter_map(|(a, p)| self.chance(p).then_some(*a))
            .collect();
        if out.is_empty() {
            out.push(Audience::Lycee);
        }
        out
    }

    pub(super) fn contacts(&mut self) -> Vec<Contact> {
        let modes = [
            (ContactMode::Phone, 0.6),
            (ContactMode::Video, 0.5),
            (ContactMode::ClassVisit, 0.45),
            (ContactMode::CompanyVisit, 0.35),
        ];
        let mut out: Vec<Contact> = Vec::new();
        for (mode, p) in modes {
            if self.chance(p) {
                let visit = matches!(mode, ContactMode::ClassVisit | ContactMode::CompanyVisit);
                out.push(Contact {
                    mode,
                    sessions_per_month: Some(self.rng.u16(1..=4)),
                    max_group: visit.then(|| self.rng.u16(12..=35)),
                    weekly: false,
                });
            }
        }
        if out.is_empty() {
            out.push(Contact {
                mode: ContactMode::Phone,
                sessions_per_month: Some(2),
                max_group: None,
                weekly: false,
            });
        }
        out
    }

    pub(super) fn ambassador_metier(&mut self, i: usize, owner: &Company) -> Ambassador {
        let domaine = self.domaine_of(owner);
        let contacts = self.contacts();
        let visits = contacts.iter().any(|c| c.mode == ContactMode::ClassVisit);
        let first = *self.one(&FIRST_NAMES);
        let initial = char::from(b'A' + self.rng.u8(0..26));
        Ambassador {
            id: format!("AM{:06}", i + 1),
            kind: AmbassadorKind::Metier,
            name: Some(format!("{first} {initial}. (fictif)")),
            company: Some(owner.id.clone()),
            training: None,
            metiers: self.metiers_of(domaine, 2),
            contacts,
            audiences: self.audiences(),
            travel_radius_km: visits.then(|| f64::from(self.rng.u8(2..=12)) * 5.0),
            availability: self.availability(),
            response_rate: Some(f64::from(self.rng.u8(30..=100)) / 100.0),
            bookings: self.rng.u32(0..=3),
            booked: Vec::new(),
            place: Some(owner.place.clone()),
        }
    }

    pub(super) fn ambassador_formation(&mut self, i: usize) -> Ambassador {
        let commune = self.communes[self.by_city.pick(&mut self.rng)];
        let grand = Weighted::new(GRAND_DOMAINES.iter().map(|g| g.1)).pick(&mut self.rng);
        let domaine = self.domaine_in(grand);
        let level = *self.one(&TRAININGS);
        let domaine_label = self
            .rome
            .domaine(&self.domaines[domaine].code)
            .map(|d| d.label.clone())
            .unwrap_or_default();
        let first = *self.one(&FIRST_NAMES);
        let initial = char::from(b'A' + self.rng.u8(0..26));
        Ambassador {
            id: format!("AF{:06}", i + 1),
            kind: AmbassadorKind::Formation,
            name: Some(format!("{first} {initial}. (fictif)")),
            company: None,
            training: Some(format!(
                "{level} — {domaine_label}, établissement fictif {}",
                crate::wording::de(&commune.name)
            )),
            metiers: self.metiers_of(domaine, 2),
            contacts: vec![
                Contact {
                    mode: ContactMode::Video,
                    sessions_per_month: Some(self.rng.u16(1..=3)),
                    max_group: None,
                    weekly: false,
                },
                Contact {
                    mode: ContactMode::ClassVisit,
                    sessions_per_month: Some(1),
                    max_group: Some(30),
                    weekly: false,
                },
            ],
            audiences: vec![Audience::College, Audience::Lycee],
            travel_radius_km: Some(f64::from(self.rng.u8(4..=10)) * 5.0),
            availability: self.availability(),
            response_rate: Some(f64::from(self.rng.u8(40..=100)) / 100.0),
            bookings: self.rng.u32(0..=2),
            booked: Vec::new(),
            place: Some(location(commune)),
        }
    }

    /// Most ambassadors are available all school year; some only in a term.
    pub(super) fn availability(&mut self) -> Vec<Period> {
        let year = |a: (i32, u32, u32), b: (i32, u32, u32)| Period {
            start: Date::known(a.0, a.1, a.2),
            end: Date::known(b.0, b.1, b.2),
        };
        match self.rng.u8(0..10) {
            0 => vec![year((2026, 9, 1), (2026, 12, 18))],
            1 => vec![year((2027, 1, 4), (2027, 7, 3))],
            _ => vec![year((2026, 9, 1), (2027, 7, 3))],
        }
    }

    /// Mondays (as periods of `days` weekdays) inside holidays of at least a week.
    pub(super) fn holiday_weeks(&self) -> Vec<Date> {
        let mut mondays = Vec::new();
        for h in &self.calendar.holidays {
            let mut d = h.period.start;
            while d <= h.period.end {
                if d.weekday() == 0 && d.plus_days(4) <= h.period.end {
                    mondays.push(d);
                }
                d = d.plus_days(1);
            }
        }
        mondays
    }

    /// Mondays of full school weeks from December to early June (3e observation weeks).
    pub(super) fn school_weeks(&self) -> Vec<Date> {
        self.calendar
            .school_weeks(Date::known(2026, 11, 30), Date::known(2027, 6, 7))
    }

    pub(super) fn stage(
        &mut self,
        i: usize,
        owner: &Company,
        weeks: &(Vec<Date>, Vec<Date>),
    ) -> Stage {
        let domaine = self.domaine_of(owner);
        let kind = match self.rng.f64() {
            x if x < 0.42 => StageKind::MiniStage,
            x if x < 0.77 => StageKind::Observation3e,
            x if x < 0.90 => StageKind::Seconde,
            _ => StageKind::LongProfessionnel,
        };
        let week = |g: &mut Self, list: &[Date]| *g.one(list);
        let (periods, places_total) = match kind {
            StageKind::MiniStage if !weeks.0.is_empty() => {
                let monday = week(self, &weeks.0);
                let days = self.rng.i32(3..=5);
                (
                    vec![Period {
                        start: monday,
                        end: monday.plus_days(days - 1),
                    }],
                    self.rng.u32(1..=3),
                )
            }
            StageKind::Observation3e if !weeks.1.is_empty() => {
                // A company takes pupils from two or three collèges, in their weeks.
                let n = self.rng.u32(1..=3);
                let mut p: Vec<Period> = (0..n)
                    .map(|_| {
                        let monday = week(self, &weeks.1);
                        Period {
                            start: monday,
                            end: monday.plus_days(4),
                        }
                    })
                    .collect();
                p.stable();
                p.dedup();
                (p, self.rng.u32(1..=4))
            }
            StageKind::Seconde => {
                let start = Date::known(2027, 6, 14);
                (
                    vec![Period {
                        start,
                        end: start.plus_days(11),
                    }],
                    self.rng.u32(1..=2),
                )
            }
            _ => {
                let start = Date::known(2027, self.rng.u32(1..=5), 1);
                let start = start.plus_days(((7 - start.weekday()) % 7) as i32);
                let weeks_long = self.rng.i32(4..=12);
                (
                    vec![Period {
                        start,
                        end: start.plus_days(weeks_long * 7 - 3),
                    }],
                    self.rng.u32(1..=2),
                )
            }
        };
        let kind = if periods.is_empty() {
            StageKind::LongProfessionnel
        } else {
            kind
        };
        let taken = (0..places_total).filter(|_| self.chance(0.3)).count() as u32;
        // A stage d'observation offered several weeks takes its pupils week by week.
        let weeks_offered = periods.len() as u32;
        let places_per_period = (kind == StageKind::Observation3e && weeks_offered > 1)
            .then(|| places_total.div_ceil(weeks_offered));
        let (metiers, first) = self.metiers_and_first(domaine, 2);
        let label = first.map_or("", |k| self.domaines[domaine].labels[k].as_str());
        let title = format!("{} : {label}", Capitalised(kind.label()));
        Stage {
            id: format!("S{:06}", i + 1).into(),
            company: owner.id.as_str().into(),
            kind,
            title: Some(title.into()),
            metiers: metiers.into(),
            place: Some(owner.place.clone()),
            periods: periods.into(),
            places_total,
            places_left: Some(places_total - taken),
            places_per_period,
            schools: Box::default(),
            rep_only: false,
            audiences: kind.default_audiences().into(),
            accessible: self.chance(0.35),
            max_group: None,
            description: None,
        }
    }
}
