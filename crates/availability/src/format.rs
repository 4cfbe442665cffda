//! Presenting instants to visitors.

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;

/// `instant` as RFC 3339 with `zone`'s offset at that instant and whole seconds,
/// e.g. `2026-12-01T09:00:00+01:00` (never `Z`, so the visitor's wall clock is explicit).
pub fn format_rfc3339(instant: DateTime<Utc>, zone: Tz) -> String {
    instant
        .with_timezone(&zone)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn uses_the_zone_offset() {
        let instant = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
        assert_eq!(
            format_rfc3339(instant, chrono_tz::Europe::Paris),
            "2026-12-01T09:00:00+01:00"
        );
        assert_eq!(
            format_rfc3339(instant, chrono_tz::Pacific::Auckland),
            "2026-12-01T21:00:00+13:00"
        );
        assert_eq!(
            format_rfc3339(instant, chrono_tz::UTC),
            "2026-12-01T08:00:00+00:00"
        );
        assert_eq!(
            format_rfc3339(instant, chrono_tz::Asia::Kolkata),
            "2026-12-01T13:30:00+05:30"
        );
    }
}
