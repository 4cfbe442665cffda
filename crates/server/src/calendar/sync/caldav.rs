//! The two CalDAV requests a read needs (RFC 4791, and CalendarServer's `getctag`): `PROPFIND`
//! for the collection's change tag, `REPORT calendar-query` for its events in a time range; their
//! XML bodies and the reading of the `207 Multi-Status` answers.

use chrono::{DateTime, Utc};

const DAV: &str = "DAV:";
const CALDAV: &str = "urn:ietf:params:xml:ns:caldav";
const CALENDARSERVER: &str = "http://calendarserver.org/ns/";

/// `PROPFIND` (Depth 0) body asking for the collection's `getctag` and `sync-token`.
pub const CTAG_QUERY: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/">
  <d:prop><cs:getctag/><d:sync-token/></d:prop>
</d:propfind>"#;

/// `REPORT` (Depth 1) body asking for every event overlapping `[from, to)`, unexpanded: the
/// recurrences are expanded by us, in the event's own zone.
pub fn events_query(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let at = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:getetag/><c:calendar-data/></d:prop>
  <c:filter>
    <c:comp-filter name="VCALENDAR">
      <c:comp-filter name="VEVENT"><c:time-range start="{}" end="{}"/></c:comp-filter>
    </c:comp-filter>
  </c:filter>
</c:calendar-query>"#,
        at(from),
        at(to)
    )
}

/// The collection's change tag from a `PROPFIND` answer: `getctag`, else `sync-token`; `None`
/// when the server has neither (then every read fetches the events).
pub fn change_tag(multistatus: &str) -> Result<Option<String>, String> {
    let document = parse(multistatus)?;
    let found = |namespace: &str, name: &str| {
        document
            .descendants()
            .find(|n| n.has_tag_name((namespace, name)))
            .and_then(|n| n.text())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    Ok(found(CALENDARSERVER, "getctag").or_else(|| found(DAV, "sync-token")))
}

/// The `calendar-data` of every resource in a `REPORT` answer, one iCalendar object each.
pub fn calendar_data(multistatus: &str) -> Result<Vec<String>, String> {
    let document = parse(multistatus)?;
    Ok(document
        .descendants()
        .filter(|n| n.has_tag_name((CALDAV, "calendar-data")))
        // Only from a propstat that succeeded.
        .filter(|n| {
            n.ancestors()
                .find(|a| a.has_tag_name((DAV, "propstat")))
                .and_then(|p| p.children().find(|c| c.has_tag_name((DAV, "status"))))
                .and_then(|s| s.text())
                .is_none_or(|status| status.contains(" 200 "))
        })
        .map(|n| n.children().filter_map(|c| c.text()).collect::<String>())
        .filter(|text| !text.trim().is_empty())
        .collect())
}

fn parse(text: &str) -> Result<roxmltree::Document<'_>, String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| format!("the CalDAV answer is not XML: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_calendar_data_of_successful_responses_only() {
        let answer = r#"<?xml version="1.0"?>
<multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <response><href>/u/c/a.ics</href><propstat><prop><getetag>"1"</getetag>
    <C:calendar-data>BEGIN:VCALENDAR&#13;
BEGIN:VEVENT&#13;
UID:a&#13;
END:VEVENT&#13;
END:VCALENDAR&#13;
</C:calendar-data></prop><status>HTTP/1.1 200 OK</status></propstat></response>
  <response><href>/u/c/b.ics</href><propstat><prop><C:calendar-data><![CDATA[BEGIN:VCALENDAR
UID:b
END:VCALENDAR]]></C:calendar-data></prop><status>HTTP/1.1 200 OK</status></propstat>
  <propstat><prop><C:calendar-data/></prop><status>HTTP/1.1 404 Not Found</status></propstat></response>
</multistatus>"#;
        let data = calendar_data(answer).expect("parsed");
        assert_eq!(data.len(), 2);
        assert!(data[0].contains("UID:a\r\n"), "{data:?}");
        assert!(data[1].contains("UID:b"), "{data:?}");
    }

    #[test]
    fn reads_the_change_tag() {
        let answer = r#"<multistatus xmlns="DAV:" xmlns:CS="http://calendarserver.org/ns/">
<response><href>/u/c/</href><propstat><prop><CS:getctag>"abc"</CS:getctag>
<sync-token>http://radicale.org/ns/sync/abc</sync-token></prop>
<status>HTTP/1.1 200 OK</status></propstat></response></multistatus>"#;
        assert_eq!(change_tag(answer).unwrap().as_deref(), Some("\"abc\""));
        let only_token = r#"<d:multistatus xmlns:d="DAV:"><d:response><d:propstat><d:prop>
<d:sync-token>t1</d:sync-token></d:prop></d:propstat></d:response></d:multistatus>"#;
        assert_eq!(change_tag(only_token).unwrap().as_deref(), Some("t1"));
        assert!(change_tag("not xml").is_err());
    }

    #[test]
    fn the_query_asks_for_the_window_in_utc() {
        let from = DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z").unwrap();
        let to = DateTime::parse_from_rfc3339("2026-09-01T00:00:00Z").unwrap();
        let body = events_query(from.into(), to.into());
        assert!(body.contains(r#"start="20260301T000000Z" end="20260901T000000Z""#));
    }
}
