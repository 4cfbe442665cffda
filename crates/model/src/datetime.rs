//! `{dateTime, timeZone}`: the reference's way of writing a wall-clock time in a named zone.

use chrono::{NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};

/// A local date-time plus the IANA zone it is expressed in (`start`, `end`, `created`, `history[].date`,
/// the watch `date`).
///
/// `dateTime` is RFC 3339 *without* offset, e.g. `"2026-12-01T09:30:00"`; the offset follows from
/// `timeZone`, which defaults to the company's zone when absent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DateTimeZone {
    /// Local date-time without offset, e.g. `"2026-12-01T09:30:00"`.
    #[cfg_attr(feature = "openapi", schemars(with = "crate::schema::LocalDateTime"))]
    pub date_time: String,
    /// IANA zone name, e.g. `"Europe/Paris"`; `None` means the company's zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schemars(with = "Option<crate::schema::TimeZone>")
    )]
    pub time_zone: Option<String>,
}

/// Formats accepted by [`DateTimeZone::parse_local`], most common first.
const LOCAL_FORMATS: [&str; 2] = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"];

impl DateTimeZone {
    /// Builds one from a local date-time, written with seconds (`"2026-12-01T09:30:00"`), and a
    /// fractional part only when it is not zero.
    pub fn from_local(local: NaiveDateTime, time_zone: Option<String>) -> Self {
        let format = if local.nanosecond() == 0 {
            "%Y-%m-%dT%H:%M:%S"
        } else {
            "%Y-%m-%dT%H:%M:%S%.f"
        };
        Self {
            date_time: local.format(format).to_string(),
            time_zone,
        }
    }

    /// Parses `dateTime` as a local date-time: `yyyy-MM-ddTHH:mm:ss` (optionally with a fraction)
    /// or `yyyy-MM-ddTHH:mm`. An offset (`Z`, `+01:00`) is rejected: the zone goes in `timeZone`.
    ///
    /// ```
    /// # use booking_model::DateTimeZone;
    /// let start = DateTimeZone { date_time: "2026-12-01T09:30".into(), time_zone: None };
    /// assert_eq!(start.parse_local().unwrap().to_string(), "2026-12-01 09:30:00");
    /// ```
    pub fn parse_local(&self) -> Result<NaiveDateTime, String> {
        parse_local_date_time(&self.date_time)
    }
}

/// Parses a local date-time as [`DateTimeZone::parse_local`] does; the error tells the user the
/// expected format.
pub fn parse_local_date_time(text: &str) -> Result<NaiveDateTime, String> {
    // chrono's `%Y` takes a sign and more digits; insist on the plain 4-digit year of RFC 3339.
    let plain_year = text.len() >= 5
        && text.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && text.as_bytes()[4] == b'-';
    if plain_year {
        for format in LOCAL_FORMATS {
            if let Ok(parsed) = NaiveDateTime::parse_from_str(text, format) {
                return Ok(parsed);
            }
        }
    }
    let hint = if has_offset(text) {
        "; remove the offset and put the zone in timeZone"
    } else {
        ""
    };
    Err(format!(
        "must be a local date-time like 2026-12-01T09:30:00 (got {text:?}){hint}"
    ))
}

/// Whether the text ends like an RFC 3339 offset (`Z`, `+01:00`, `-0500`), to give a better hint.
fn has_offset(text: &str) -> bool {
    let Some((_, time)) = text.split_once('T') else {
        return false;
    };
    time.ends_with(['Z', 'z']) || time.contains(['+', '-'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dtz(s: &str) -> DateTimeZone {
        DateTimeZone {
            date_time: s.to_owned(),
            time_zone: Some("Europe/Paris".to_owned()),
        }
    }

    #[test]
    fn parses_with_and_without_seconds() {
        let with = dtz("2026-12-01T09:30:00")
            .parse_local()
            .expect("with seconds");
        let without = dtz("2026-12-01T09:30")
            .parse_local()
            .expect("without seconds");
        assert_eq!(with, without);
        assert!(dtz("2026-12-01T09:30:00.250").parse_local().is_ok());
    }

    #[test]
    fn rejects_offsets_and_garbage_with_a_hint() {
        let err = dtz("2026-12-01T09:30:00Z")
            .parse_local()
            .expect_err("offset");
        assert!(err.contains("timeZone"), "{err}");
        let err = dtz("2026-12-01T09:30:00+01:00")
            .parse_local()
            .expect_err("offset");
        assert!(err.contains("remove the offset"), "{err}");
        assert!(dtz("2026-12-01").parse_local().is_err());
        assert!(dtz("2026-13-01T09:30:00").parse_local().is_err());
        assert!(dtz("+2026-12-01T09:30:00").parse_local().is_err());
        assert!(dtz("").parse_local().is_err());
    }

    #[test]
    fn from_local_round_trips() {
        let local = dtz("2026-12-01T09:30").parse_local().expect("valid");
        let back = DateTimeZone::from_local(local, None);
        assert_eq!(back.date_time, "2026-12-01T09:30:00");
        assert_eq!(back.parse_local(), Ok(local));
        let fraction = dtz("2026-12-01T09:30:00.250").parse_local().expect("valid");
        let back = DateTimeZone::from_local(fraction, None);
        assert_eq!(
            back.date_time, "2026-12-01T09:30:00.250",
            "the fraction is kept"
        );
    }

    #[test]
    fn only_a_time_with_an_offset_gets_the_offset_hint() {
        let hinted = |text: &str| {
            parse_local_date_time(text)
                .expect_err(text)
                .contains("remove the offset")
        };
        assert!(hinted("2026-12-01T09:30:00z"));
        assert!(hinted("2026-12-01T09:30:00-0500"));
        assert!(!hinted("2026-12-01T9h30"), "garbage, not an offset");
        assert!(
            !hinted("2026-12-01 09:30:00+01:00"),
            "no `T`: not a date-time at all"
        );
    }
}
