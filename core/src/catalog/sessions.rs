//! An ambassador's time is capacity: each contact mode offers `sessions_per_month`, optionally
//! spread by week (`weekly`: at most a quarter of them, rounded up, in one ISO week). A mode is
//! full on a day when its month (or week) holds that many booked sessions.

use super::model::{Ambassador, ContactMode};
use crate::calendar::{Date, Period};

/// Which capacity is full on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    /// The month's sessions are taken.
    Month,
    /// The week's share of the month's sessions is taken.
    Week,
}

/// First and last day of the month of `d`.
pub(crate) fn month_of(d: Date) -> Period {
    let (y, m, _) = d.ymd();
    let start = Date::from_ymd(y, m, 1).unwrap_or(d);
    let next = if m == 12 {
        Date::from_ymd(y.saturating_add(1), 1, 1)
    } else {
        Date::from_ymd(y, m.saturating_add(1), 1)
    };
    Period {
        start,
        end: next.map_or(d, |n| n.plus_days(-1)),
    }
}

/// Monday to Sunday of the ISO week of `d`.
pub(crate) fn week_of(d: Date) -> Period {
    let monday = d.plus_days(0i32.saturating_sub(d.weekday() as i32));
    Period {
        start: monday,
        end: monday.plus_days(6),
    }
}

impl Ambassador {
    /// Whether the mode is full on that day (`None`: room, or no cap, or not offered).
    pub fn full_on(&self, mode: ContactMode, day: Date) -> Option<Full> {
        let contact = self.contact(mode)?;
        let cap = u32::from(contact.sessions_per_month?);
        let count = |p: Period| {
            self.booked
                .iter()
                .filter(|b| b.mode == mode && p.start <= b.date && b.date <= p.end)
                .count() as u32
        };
        if count(month_of(day)) >= cap {
            return Some(Full::Month);
        }
        if contact.weekly && count(week_of(day)) >= cap.div_ceil(4) {
            return Some(Full::Week);
        }
        None
    }

    /// Sessions left in the month of `day` for the mode (`None`: no cap or not offered).
    pub fn sessions_left(&self, mode: ContactMode, day: Date) -> Option<u32> {
        let cap = u32::from(self.contact(mode)?.sessions_per_month?);
        let month = month_of(day);
        let used = self
            .booked
            .iter()
            .filter(|b| b.mode == mode && month.start <= b.date && b.date <= month.end)
            .count() as u32;
        Some(cap.saturating_sub(used))
    }

    /// Whether the ambassador is available on that day (always when `availability` is empty).
    pub fn available_on(&self, day: Date) -> bool {
        self.availability.is_empty()
            || self
                .availability
                .iter()
                .any(|p| p.start <= day && day <= p.end)
    }

    /// The first weekday from `from` (included) when the mode has room and the ambassador is
    /// available, within a year; `None` when there is none (or the mode is not offered).
    pub fn next_free(&self, mode: ContactMode, from: Date) -> Option<Date> {
        self.contact(mode)?;
        (0..366)
            .map(|k| from.plus_days(k))
            .filter(|d| d.weekday() < 5)
            .find(|d| self.available_on(*d) && self.full_on(mode, *d).is_none())
    }
}
