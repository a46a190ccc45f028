//! Calendar dates and periods, as ISO `YYYY-MM-DD` strings on the wire.
//!
//! A date is a day count from 1970-01-01 (proleptic Gregorian). Only what stages and
//! availability need: parse, compare, count weekdays, check inclusion. No time zones.

use crate::error::{Error, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// Builds a date from year, month (1..=12) and day, checking that it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Result<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            let text = format!("{year:04}-{month:02}-{day:02}");
            return Err(Error::invalid("date", text, "this day does not exist"));
        }
        Ok(Date(days_from_civil(year, month, day)))
    }

    /// A date from literals known to be valid (internal tables and generators).
    pub(crate) fn known(year: i32, month: u32, day: u32) -> Date {
        debug_assert!(Date::from_ymd(year, month, day).is_ok());
        Date(days_from_civil(year, month, day))
    }

    /// Parses `YYYY-MM-DD`.
    ///
    /// ```
    /// let d = metiers::Date::parse("2027-02-22").unwrap();
    /// assert_eq!(d.to_string(), "2027-02-22");
    /// assert!(metiers::Date::parse("2027-02-30").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Date> {
        let bad = || Error::invalid("date", text, "expected a date as YYYY-MM-DD");
        let b = text.as_bytes();
        let shape = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            });
        if !shape {
            return Err(bad());
        }
        let num = |range: std::ops::Range<usize>| {
            text.get(range)
                .and_then(|s| s.parse::<u32>().ok())
                .ok_or_else(bad)
        };
        Date::from_ymd(num(0..4)? as i32, num(5..7)?, num(8..10)?)
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// Day of the week, 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        self.0.saturating_add(3).rem_euclid(7) as u32
    }

    /// The day `n` days later (earlier when negative).
    #[must_use]
    pub fn plus_days(self, n: i32) -> Date {
        Date(self.0.saturating_add(n))
    }

    /// Days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i32 {
        other.0.saturating_sub(self.0)
    }

    /// The Monday of an ISO 8601 week written `YYYY-Www` (`"2027-W03"` is 18 January 2027).
    ///
    /// ```
    /// use metiers::Date;
    /// assert_eq!(Date::iso_week("2027-W03").unwrap().to_string(), "2027-01-18");
    /// assert_eq!(Date::iso_week("2026-W53").unwrap().to_string(), "2026-12-28");
    /// assert!(Date::iso_week("2027-W53").is_err()); // 2027 has 52 weeks
    /// ```
    #[allow(clippy::arithmetic_side_effects)] // four-digit years, weekdays 0..7
    pub fn iso_week(text: &str) -> Result<Date> {
        let bad = |why: &str| Error::invalid("week", text, why);
        let b = text.as_bytes();
        let shape = b.len() == 8
            && b.iter().enumerate().all(|(i, c)| match i {
                4 => *c == b'-',
                5 => *c == b'W' || *c == b'w',
                _ => c.is_ascii_digit(),
            });
        if !shape {
            return Err(bad("expected an ISO week as YYYY-Www, e.g. 2027-W03"));
        }
        let year: i32 = text.get(0..4).and_then(|s| s.parse().ok()).unwrap_or(0);
        let week: i32 = text.get(6..8).and_then(|s| s.parse().ok()).unwrap_or(0);
        let jan4 = Date(days_from_civil(year, 1, 4));
        let week1 = jan4.plus_days(-(jan4.weekday() as i32));
        let next_week1 = {
            let j = Date(days_from_civil(year.saturating_add(1), 1, 4));
            j.plus_days(-(j.weekday() as i32))
        };
        let weeks_in_year = week1.days_until(next_week1) / 7;
        if week < 1 || week > weeks_in_year {
            return Err(bad(&format!("{year} has weeks 1 to {weeks_in_year}")));
        }
        Ok(week1.plus_days(week.saturating_sub(1).saturating_mul(7)))
    }

    /// The ISO 8601 week of this day (`"2027-W03"`).
    #[allow(clippy::arithmetic_side_effects)] // weekdays 0..7, days within a year
    pub fn iso_week_label(self) -> String {
        // The week belongs to the year of its Thursday.
        let thursday = self.plus_days(3 - self.weekday() as i32);
        let (year, _, _) = thursday.ymd();
        let jan1 = Date(days_from_civil(year, 1, 1));
        let week = jan1.days_until(thursday) / 7 + 1;
        format!("{year:04}-W{week:02}")
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Date {
    /// The `YYYY-MM-DD` text of a date in years 0 to 9999 (all the calendar takes), written
    /// digit by digit as `Display` writes it; `None` beyond them. Not generic, so the
    /// serialisers share one copy.
    fn iso_bytes(self) -> Option<[u8; 10]> {
        let (y, m, d) = self.ymd();
        let (Ok(y @ 0..=9999), Ok(m @ 1..=12), Ok(d @ 1..=31)) =
            (u16::try_from(y), u16::try_from(m), u16::try_from(d))
        else {
            return None;
        };
        let digit = |n: u16| b'0'.wrapping_add((n % 10) as u8);
        Some([
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ])
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        // A page has a date or two per match, and the formatting machinery was a tenth of
        // turning a page into Python objects.
        let bytes = self.iso_bytes();
        match bytes.as_ref().map(|b| std::str::from_utf8(b)) {
            Some(Ok(text)) => s.serialize_str(text),
            _ => s.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's civil calendar algorithms (public domain), on i32 days. Years come from
// four digits and days from such dates plus bounded offsets: no intermediate overflows i32.
#[allow(clippy::arithmetic_side_effects)]
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[allow(clippy::arithmetic_side_effects)] // as above
fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

/// A range of days, both ends included. Deserialising checks the order of the ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(try_from = "RawPeriod")]
pub struct Period {
    /// First day.
    pub start: Date,
    /// Last day (included).
    pub end: Date,
}

/// The wire form before its ends are checked.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    start: Date,
    end: Date,
}

impl TryFrom<RawPeriod> for Period {
    type Error = String;
    fn try_from(raw: RawPeriod) -> std::result::Result<Period, String> {
        Period::new(raw.start, raw.end).map_err(|e| e.to_string())
    }
}

/// Whether `text` holds a date written day first: one or two digits, `/`, one or two digits,
/// `/`, four digits.
fn day_first(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |from: usize, min: usize, max: usize| {
        let n = b
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        (min..=max).contains(&n).then_some(from.saturating_add(n))
    };
    (0..b.len()).any(|i| {
        let starts = i == 0
            || b.get(i.wrapping_sub(1))
                .is_some_and(|c| !c.is_ascii_digit());
        starts
            && digits(i, 1, 2)
                .filter(|&j| b.get(j) == Some(&b'/'))
                .and_then(|j| digits(j.saturating_add(1), 1, 2))
                .filter(|&j| b.get(j) == Some(&b'/'))
                .and_then(|j| digits(j.saturating_add(1), 4, 4))
                .is_some()
    })
}

impl Period {
    /// A period, refused when it ends before it starts.
    pub fn new(start: Date, end: Date) -> Result<Period> {
        if end < start {
            return Err(Error::invalid(
                "period",
                format!("{start}/{end}"),
                "ends before it starts",
            ));
        }
        Ok(Period { start, end })
    }

    /// Parses `2026-10-19/2026-10-23` (or a single day `2026-10-19`). Dates written day first
    /// (`04/01/2027`, as French spreadsheets show them) are refused with a message that says
    /// how to write them: their slashes would otherwise be read as the period's.
    ///
    /// ```
    /// let e = metiers::Period::parse("04/01/2027-08/01/2027").unwrap_err();
    /// assert!(e.to_string().contains("YYYY-MM-DD"), "{e}");
    /// ```
    pub fn parse(text: &str) -> Result<Period> {
        if day_first(text) {
            return Err(Error::invalid(
                "period",
                text,
                "write dates as YYYY-MM-DD and a period as start/end (2027-01-04/2027-01-08); \
                 a date written day first (04/01/2027) is not read, so that no day and month \
                 are taken for each other",
            ));
        }
        if let Some((a, b)) = text.trim().split_once('/') {
            Period::new(Date::parse(a.trim())?, Date::parse(b.trim())?)
        } else {
            let d = Date::parse(text.trim())?;
            Ok(Period { start: d, end: d })
        }
    }

    /// Number of days, both ends included.
    pub fn days(&self) -> i32 {
        self.start.days_until(self.end).saturating_add(1)
    }

    /// Number of weekdays (Monday to Friday) in the period.
    pub fn weekdays(&self) -> i32 {
        (0..self.days())
            .filter(|&i| self.start.plus_days(i).weekday() < 5)
            .count() as i32
    }

    /// True when the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// True when `other` lies wholly inside this period.
    pub fn contains(&self, other: &Period) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A date serialises as its `Display` text, in years 0 to 9999 (written digit by
        /// digit) and beyond them.
        #[test]
        fn a_date_serialises_as_it_displays(days in -10_000_000i32..10_000_000) {
            let date = Date(days);
            proptest::prop_assert_eq!(
                serde_json::to_string(&date).ok(),
                Some(format!("\"{date}\""))
            );
        }
    }

    #[test]
    fn dates_round_trip_and_know_their_weekday() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2026-10-19",
            "2027-12-31",
            "1899-03-01",
        ] {
            assert_eq!(Date::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(Date::parse("2026-10-19").unwrap().weekday(), 0, "a Monday");
        assert_eq!(Date::parse("2027-02-21").unwrap().weekday(), 6, "a Sunday");
        for bad in [
            "2026-13-01",
            "2026-02-29",
            "26-10-19",
            "2026/10/19",
            "",
            "2026-1-01",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_written_day_first_are_refused_with_the_format_to_use() {
        for text in [
            "04/01/2027-08/01/2027",
            "4/1/2027",
            "du 04/01/2027 au 08/01/2027",
            "2027-01-04/08/01/2027",
        ] {
            assert!(day_first(text), "{text}");
            let e = Period::parse(text).unwrap_err();
            assert_eq!(e.info().field.as_deref(), Some("period"), "{text}");
            assert!(e.to_string().contains("YYYY-MM-DD"), "{e}");
        }
        for text in [
            "2027-01-04/2027-01-08",
            "2027-01-04",
            "123/01/2027",
            "04/01/20271",
            "04/01/27",
            "",
        ] {
            assert!(!day_first(text), "{text}");
        }
        assert_eq!(
            Period::parse(" 2027-01-04 / 2027-01-08 ")
                .unwrap()
                .to_string(),
            "2027-01-04/2027-01-08"
        );
    }

    #[test]
    fn periods_count_days_and_weekdays() {
        let p = Period::parse("2026-10-19/2026-10-23").unwrap();
        assert_eq!((p.days(), p.weekdays()), (5, 5));
        let p = Period::parse("2026-10-17/2026-10-25").unwrap();
        assert_eq!((p.days(), p.weekdays()), (9, 5));
        assert_eq!(
            Period::parse("2026-10-23/2026-10-19").unwrap_err().code(),
            "invalid_input"
        );
        assert_eq!(Period::parse("2026-10-19").unwrap().days(), 1);
    }

    #[test]
    fn a_json_period_that_ends_before_it_starts_is_refused() {
        let bad: std::result::Result<Period, _> =
            serde_json::from_str(r#"{"start": "2027-02-26", "end": "2027-02-22"}"#);
        assert!(bad
            .unwrap_err()
            .to_string()
            .contains("ends before it starts"));
        let ok: Period =
            serde_json::from_str(r#"{"start": "2027-02-22", "end": "2027-02-26"}"#).unwrap();
        assert_eq!(ok.days(), 5);
    }
}

#[cfg(feature = "schema")]
mod schema {
    use super::Date;
    use std::borrow::Cow;

    impl ts_rs::TS for Date {
        type WithoutGenerics = Date;
        type OptionInnerType = Date;
        fn name(_: &ts_rs::Config) -> String {
            "string".into()
        }
        fn inline(_: &ts_rs::Config) -> String {
            "string".into()
        }
    }

    impl schemars::JsonSchema for Date {
        fn schema_name() -> Cow<'static, str> {
            "Date".into()
        }
        fn inline_schema() -> bool {
            true
        }
        fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
            schemars::json_schema!({
                "type": "string",
                "format": "date",
                "description": "A day as YYYY-MM-DD."
            })
        }
    }
}
