//! Days, periods and school holidays: [`Date`] and [`Period`] (ISO strings on the wire), and
//! the holidays used to check that mini-stages fall in them and to generate the sample.
//!
//! The embedded table is zone B (Normandy's zone) for 2026-2027, from the draft arrêté fixing
//! the national school calendar 2026-2027 as presented to the Conseil supérieur de l'éducation
//! in September 2025 (zone B: winter 20 February → 8 March 2027, spring 17 April → 3 May
//! 2027; autumn, year-end and Ascension common to all zones). Each period lists the days
//! without classes (from the day after the last class to the day before classes resume). A
//! caller replaces it with [`SchoolCalendar::from_csv`].

mod date;

use crate::sorting::Sort;
pub use date::{Date, Period};

use crate::error::Result;
use crate::tabular::Table;
use serde::{Deserialize, Serialize};
use std::io::Read;

const ZONE_B_2026_2027: &str = include_str!("../../data/calendar/vacances-zone-b-2026-2027.csv");

/// One holiday period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// Name (`"Vacances d'hiver"`).
    pub name: String,
    /// Days without classes.
    pub period: Period,
}

/// A school year's holidays for one zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolCalendar {
    /// Label (`"zone B 2026-2027"`).
    pub label: String,
    /// Holidays in date order.
    pub holidays: Vec<Holiday>,
}

impl SchoolCalendar {
    /// Zone B (Normandy), school year 2026-2027, embedded.
    pub fn zone_b_2026_2027() -> Result<SchoolCalendar> {
        SchoolCalendar::from_csv("zone B 2026-2027", ZONE_B_2026_2027.as_bytes())
    }

    /// Reads a `name,start,end` CSV (dates as YYYY-MM-DD, both ends included).
    pub fn from_csv(label: &str, reader: impl Read) -> Result<SchoolCalendar> {
        let t = Table::read(label, reader)?;
        t.require(&["name", "start", "end"])?;
        let mut holidays = Vec::new();
        for r in t.rows() {
            let start = Date::parse(r.get("start"))
                .map_err(|e| r.error("start", r.get("start"), &e.to_string()))?;
            let end = Date::parse(r.get("end"))
                .map_err(|e| r.error("end", r.get("end"), &e.to_string()))?;
            let period = Period::new(start, end)
                .map_err(|_| r.error("end", r.get("end"), "ends before it starts"))?;
            holidays.push(Holiday {
                name: r.required("name")?.to_string(),
                period,
            });
        }
        holidays.stable_by_key(|h| h.period);
        Ok(SchoolCalendar {
            label: label.to_string(),
            holidays,
        })
    }

    /// Mondays of the full school weeks (Monday to Friday without a holiday day) from `from`
    /// to `to`: the weeks a collège can set for its stage d'observation.
    #[allow(clippy::arithmetic_side_effects)] // weekdays are 0..7
    pub fn school_weeks(&self, from: Date, to: Date) -> Vec<Date> {
        let mut d = from.plus_days(-(from.weekday() as i32));
        let mut mondays = Vec::new();
        while d <= to {
            let week = Period {
                start: d,
                end: d.plus_days(4),
            };
            if d >= from && self.holidays.iter().all(|h| !h.period.overlaps(&week)) {
                mondays.push(d);
            }
            d = d.plus_days(7);
        }
        mondays
    }

    /// The holiday that wholly contains a period, if any.
    pub fn holiday_containing(&self, period: &Period) -> Option<&Holiday> {
        self.holidays.iter().find(|h| h.period.contains(period))
    }
}
