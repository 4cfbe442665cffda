//! Opening hours, closures and booking delays shared by companies, services, staff and resources.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::string_enum::string_enum;

string_enum! {
    /// Day of the week, lower case as the API writes it (`"monday"`).
    pub enum Weekday {
        /// Monday.
        Monday = "monday",
        /// Tuesday.
        Tuesday = "tuesday",
        /// Wednesday.
        Wednesday = "wednesday",
        /// Thursday.
        Thursday = "thursday",
        /// Friday.
        Friday = "friday",
        /// Saturday.
        Saturday = "saturday",
        /// Sunday.
        Sunday = "sunday",
    }
}

impl From<chrono::Weekday> for Weekday {
    fn from(day: chrono::Weekday) -> Self {
        match day {
            chrono::Weekday::Mon => Self::Monday,
            chrono::Weekday::Tue => Self::Tuesday,
            chrono::Weekday::Wed => Self::Wednesday,
            chrono::Weekday::Thu => Self::Thursday,
            chrono::Weekday::Fri => Self::Friday,
            chrono::Weekday::Sat => Self::Saturday,
            chrono::Weekday::Sun => Self::Sunday,
        }
    }
}

impl From<Weekday> for chrono::Weekday {
    fn from(day: Weekday) -> Self {
        match day {
            Weekday::Monday => Self::Mon,
            Weekday::Tuesday => Self::Tue,
            Weekday::Wednesday => Self::Wed,
            Weekday::Thursday => Self::Thu,
            Weekday::Friday => Self::Fri,
            Weekday::Saturday => Self::Sat,
            Weekday::Sunday => Self::Sun,
        }
    }
}

/// Opening hours of one day of the week (`workingHours[]`). A day absent from the list is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DayHours {
    /// The day.
    pub day: Weekday,
    /// Open periods of that day, e.g. 09:00–12:00 and 14:00–18:00.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hours: Vec<TimeRange>,
}

impl DayHours {
    /// Parses every range of the day (see [`TimeRange::parse`]).
    pub fn parse_hours(&self) -> Result<Vec<(NaiveTime, NaiveTime)>, String> {
        self.hours.iter().map(TimeRange::parse).collect()
    }
}

/// An open period within a day: `{"start": "09:00", "end": "18:00"}`, local time of the owner's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TimeRange {
    /// Opening time, `HH:mm` (or `HH:mm:ss`).
    #[cfg_attr(feature = "openapi", schemars(with = "crate::schema::TimeOfDay"))]
    pub start: String,
    /// Closing time, `HH:mm` (or `HH:mm:ss`); must be after `start` (split overnight periods).
    #[cfg_attr(feature = "openapi", schemars(with = "crate::schema::TimeOfDay"))]
    pub end: String,
}

impl TimeRange {
    /// Parses both ends and checks `start < end`.
    ///
    /// ```
    /// # use booking_model::TimeRange;
    /// let range = TimeRange { start: "09:00".into(), end: "18:00".into() };
    /// assert!(range.parse().is_ok());
    /// ```
    pub fn parse(&self) -> Result<(NaiveTime, NaiveTime), String> {
        let start = parse_time(&self.start)?;
        let end = parse_time(&self.end)?;
        if start < end {
            Ok((start, end))
        } else {
            Err(format!(
                "start must be before end (got {} >= {}); split periods that cross midnight",
                self.start, self.end
            ))
        }
    }
}

/// Parses a time of day, `HH:mm` or `HH:mm:ss`.
pub fn parse_time(text: &str) -> Result<NaiveTime, String> {
    ["%H:%M", "%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveTime::parse_from_str(text, format).ok())
        .ok_or_else(|| format!("must be a time like 09:00 (got {text:?})"))
}

/// A closure period (`vacations[]`): both dates `yyyy-MM-dd`, both included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Vacation {
    /// First closed day, `yyyy-MM-dd`.
    #[cfg_attr(feature = "openapi", schemars(with = "crate::schema::Date"))]
    pub start_date: String,
    /// Last closed day, `yyyy-MM-dd` (included).
    #[cfg_attr(feature = "openapi", schemars(with = "crate::schema::Date"))]
    pub end_date: String,
}

impl Vacation {
    /// Parses both dates and checks `startDate <= endDate`.
    pub fn parse(&self) -> Result<(NaiveDate, NaiveDate), String> {
        let start = parse_date(&self.start_date)?;
        let end = parse_date(&self.end_date)?;
        if start <= end {
            Ok((start, end))
        } else {
            Err(format!(
                "startDate must not be after endDate (got {} > {})",
                self.start_date, self.end_date
            ))
        }
    }

    /// Whether `date` falls in the closure (an unparsable period contains nothing).
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.parse()
            .is_ok_and(|(start, end)| start <= date && date <= end)
    }
}

/// Parses a strict `yyyy-MM-dd` date (chrono alone also takes `2026-1-5` or `+2026-01-05`).
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| format!("must be a date like 2026-12-01 (got {text:?})"))
}

/// A duration relative to now, e.g. "at least 2 hours ahead" (`minAppointmentDate`,
/// `maxAppointmentDate`, `cancellationDelay`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BookingDelay {
    /// Number of units.
    pub value: u32,
    /// Unit of `value`.
    pub unit: DelayUnit,
}

impl BookingDelay {
    /// The delay in minutes (a day is 1440 minutes, a week 10080; wall-clock shifts are ignored).
    pub fn as_minutes(&self) -> u64 {
        u64::from(self.value) * self.unit.minutes()
    }
}

string_enum! {
    /// Unit of a [`BookingDelay`].
    pub enum DelayUnit {
        /// Minutes.
        Minutes = "minutes",
        /// Hours.
        Hours = "hours",
        /// Days of 24 hours.
        Days = "days",
        /// Weeks of 7 days.
        Weeks = "weeks",
    }
}

impl DelayUnit {
    /// Length of one unit in minutes.
    pub const fn minutes(self) -> u64 {
        match self {
            Self::Minutes => 1,
            Self::Hours => 60,
            Self::Days => 24 * 60,
            Self::Weeks => 7 * 24 * 60,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(start: &str, end: &str) -> TimeRange {
        TimeRange {
            start: start.into(),
            end: end.into(),
        }
    }

    #[test]
    fn a_days_hours_parse_in_order_and_one_bad_range_fails_the_day() {
        let day = DayHours {
            day: Weekday::Monday,
            hours: vec![range("09:00", "12:00"), range("14:00", "18:30")],
        };
        let parsed: Vec<String> = day
            .parse_hours()
            .expect("valid")
            .iter()
            .map(|(s, e)| format!("{s}-{e}"))
            .collect();
        assert_eq!(parsed, ["09:00:00-12:00:00", "14:00:00-18:30:00"]);
        let bad = DayHours {
            hours: vec![range("09:00", "12:00"), range("13:00", "12:00")],
            ..day
        };
        assert!(bad.parse_hours().is_err());
    }

    #[test]
    fn time_ranges_parse_and_must_be_ordered() {
        let (start, end) = range("09:00", "18:00").parse().expect("valid");
        assert_eq!(
            (start.to_string(), end.to_string()),
            ("09:00:00".into(), "18:00:00".into())
        );
        assert!(range("09:00:30", "09:01").parse().is_ok());
        let err = range("18:00", "09:00").parse().expect_err("reversed");
        assert!(err.contains("start must be before end"), "{err}");
        assert!(range("09:00", "09:00").parse().is_err());
        assert!(range("9h", "10:00").parse().is_err());
        assert!(range("09:00", "24:00").parse().is_err());
    }

    #[test]
    fn vacations_are_inclusive() {
        let vacation = Vacation {
            start_date: "2026-12-24".into(),
            end_date: "2026-12-26".into(),
        };
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).expect("valid date");
        assert!(vacation.contains(day(24)));
        assert!(vacation.contains(day(26)));
        assert!(!vacation.contains(day(27)));
        let reversed = Vacation {
            start_date: "2026-12-26".into(),
            end_date: "2026-12-24".into(),
        };
        assert!(reversed.parse().is_err());
        assert!(parse_date("2026-1-05").is_err());
        assert!(parse_date("2026-02-30").is_err());
    }

    #[test]
    fn delays_convert_to_minutes() {
        let delay = |value, unit| BookingDelay { value, unit };
        assert_eq!(delay(90, DelayUnit::Minutes).as_minutes(), 90);
        assert_eq!(delay(2, DelayUnit::Hours).as_minutes(), 120);
        assert_eq!(delay(1, DelayUnit::Days).as_minutes(), 1440);
        assert_eq!(delay(2, DelayUnit::Weeks).as_minutes(), 20160);
        assert_eq!(
            delay(u32::MAX, DelayUnit::Weeks).as_minutes(),
            u64::from(u32::MAX) * 10080
        );
    }

    #[test]
    fn weekdays_convert_both_ways() {
        for day in Weekday::ALL {
            assert_eq!(Weekday::from(chrono::Weekday::from(*day)), *day);
        }
    }
}
