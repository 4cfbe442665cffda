//! `TZID` → zone. Calendars name zones in three ways: IANA ids (Google, iCloud, Fastmail:
//! `Europe/Paris`), IANA ids behind a vendor prefix (Thunderbird / libical:
//! `/mozilla.org/20050126_1/Europe/Paris`, or a VTIMEZONE carrying `X-LIC-LOCATION`), and Windows
//! names (Outlook, Exchange: `W. Europe Standard Time`). All three resolve to a chrono-tz zone, so
//! times are computed with the tz database rather than with the document's VTIMEZONE rules, which
//! are often stale or truncated. A name none of them knows falls back to the company zone (the
//! staff member's own calendar is most likely in it) and is reported.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use chrono_tz::Tz;
use icalendar::parser::Component;

use super::windows_zones::WINDOWS_TO_IANA;

/// The zones of one document.
pub(super) struct Zones {
    /// Floating times and all-day dates, and unknown `TZID`s.
    pub(super) fallback: Tz,
    /// `TZID` → `X-LIC-LOCATION` of the document's VTIMEZONEs.
    locations: HashMap<String, String>,
    /// `TZID`s nothing resolved (each fell back to `fallback`).
    unknown: RefCell<BTreeSet<String>>,
}

impl Zones {
    /// The zones named by the document's `VTIMEZONE` components.
    pub(super) fn new(fallback: Tz, vtimezones: &[&Component<'_>]) -> Self {
        let locations = vtimezones
            .iter()
            .filter_map(|vtimezone| {
                let tzid = vtimezone.find_prop("TZID")?.val.as_str();
                let location = vtimezone.find_prop("X-LIC-LOCATION")?.val.as_str();
                Some((clean(tzid).to_owned(), location.trim().to_owned()))
            })
            .collect();
        Zones {
            fallback,
            locations,
            unknown: RefCell::default(),
        }
    }

    /// The zone a `TZID` parameter names.
    pub(super) fn resolve(&self, tzid: &str) -> Tz {
        let tzid = clean(tzid);
        let known = known_zone(tzid).or_else(|| {
            self.locations
                .get(tzid)
                .and_then(|location| known_zone(location))
        });
        known.unwrap_or_else(|| {
            self.unknown.borrow_mut().insert(tzid.to_owned());
            self.fallback
        })
    }

    /// The `TZID`s that fell back to the company zone, sorted.
    pub(super) fn unknown(self) -> Vec<String> {
        self.unknown.into_inner().into_iter().collect()
    }
}

/// Parameter values may arrive quoted (`TZID="W. Europe Standard Time"`).
fn clean(tzid: &str) -> &str {
    tzid.trim().trim_matches('"').trim()
}

/// An IANA id, an IANA id at the end of a vendor path, or a Windows name.
pub(super) fn known_zone(name: &str) -> Option<Tz> {
    if let Ok(zone) = name.parse() {
        return Some(zone);
    }
    let suffix = name
        .match_indices('/')
        .map(|(at, _)| &name[at + 1..])
        .find_map(|rest| rest.parse().ok());
    suffix.or_else(|| {
        WINDOWS_TO_IANA
            .iter()
            .find(|(windows, _)| windows.eq_ignore_ascii_case(name))
            .and_then(|(_, iana)| iana.parse().ok())
    })
}
