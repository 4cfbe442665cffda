//! Each staff member's calendar feed (`staff/{id}/calendar.ics?token=`), read back with a real
//! iCalendar parser: exactly the staff member's current appointments, personal ones as bare busy
//! time, no client contact details; a wrong or replaced token is a 404.

mod support;

use std::collections::BTreeSet;

use booking_server::clock::Clock;
use booking_server::Config;
use chrono::{TimeZone, Utc};
use icalendar::parser::{read_calendar, unfold};
use reqwest::Method;
use serde_json::{json, Value};
use support::{demo_booking, TestServer};

const DEMO: &str = "/api/2.1/scheduling/companies/demo";

/// One event of the feed: its `UID`, `SUMMARY`, `DTSTART` (as `TZID:local`) and whether it has a
/// `DESCRIPTION`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Event {
    uid: String,
    summary: String,
    start: String,
    described: bool,
}

fn events_of(text: &str) -> BTreeSet<Event> {
    let unfolded = unfold(text);
    let calendar = read_calendar(&unfolded).expect("a valid iCalendar feed");
    assert!(
        calendar.properties.iter().all(|p| p.name != "METHOD"),
        "a published feed, not an invitation"
    );
    calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|event| {
            let value = |name: &str| event.find_prop(name).map(|p| p.val.as_str().to_owned());
            let start = event.find_prop("DTSTART").expect("DTSTART");
            let tzid = start.params.iter().find(|p| p.key == "TZID").expect("TZID");
            Event {
                uid: value("UID").expect("UID"),
                summary: value("SUMMARY").expect("SUMMARY"),
                start: format!(
                    "{}:{}",
                    tzid.val.as_ref().expect("zone").as_str(),
                    start.val.as_str()
                ),
                described: event.find_prop("DESCRIPTION").is_some(),
            }
        })
        .collect()
}

/// `yyyy-MM-ddTHH:mm:ss` → the `DTSTART` value in Paris (`yyyyMMddTHHmmss`).
fn paris(local: &str) -> String {
    format!(
        "Europe/Paris:{}",
        local.replace(['-', ':'], "").get(..15).expect("local time")
    )
}

async fn server() -> TestServer {
    let clock = Clock::fixed(Utc.with_ymd_and_hms(2026, 3, 2, 7, 0, 0).unwrap());
    let (server, _) = TestServer::configured(clock, |base, _| Config {
        demo: true,
        public_url: Some(base.to_owned()),
        ..Config::default()
    })
    .await;
    server
}

/// Books `start` with `staff` through the widget; returns the booking's `encryptedId` and the
/// `UID` of its own `.ics` download (the feed must describe the same event).
async fn book(server: &TestServer, staff: &str, start: &str, email: &str) -> (String, String) {
    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            // Early March: Paris is on +01:00 until the 29th.
            &demo_booking("haircut", Some(staff), &format!("{start}+01:00"), email),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let encrypted = body["encryptedId"]
        .as_str()
        .expect("encryptedId")
        .to_owned();
    let ics = server
        .client
        .get(format!(
            "{}{DEMO}/widget/appointments/{encrypted}/calendar.ics",
            server.base
        ))
        .send()
        .await
        .expect("ics")
        .text()
        .await
        .expect("text");
    let unfolded = unfold(&ics);
    let calendar = read_calendar(&unfolded).expect("ics");
    let uid = calendar
        .components
        .iter()
        .find(|c| c.name == "VEVENT")
        .and_then(|e| e.find_prop("UID"))
        .expect("UID")
        .val
        .as_str()
        .to_owned();
    (encrypted, uid)
}

async fn feed_url(server: &TestServer, staff: &str) -> String {
    let (status, record) = server
        .api(Method::GET, &format!("{DEMO}/staff/{staff}"), None)
        .await;
    assert_eq!(status, 200, "{record}");
    let url = record["calendarFeedUrl"].as_str().expect("calendarFeedUrl");
    assert!(
        url.starts_with(&format!(
            "{}{DEMO}/staff/{staff}/calendar.ics?token=",
            server.base
        )),
        "{url}"
    );
    url.to_owned()
}

async fn status_of(server: &TestServer, url: &str) -> u16 {
    server
        .client
        .get(url)
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_feed_carries_exactly_the_staff_members_current_appointments() {
    let server = server().await;
    let slots = server.free_starts("haircut", Some("camille"), 1).await;
    let (kept, cancelled, deleted, personal) = (&slots[0], &slots[2], &slots[4], &slots[6]);
    let (_, kept_uid) = book(&server, "camille", kept, "ada@example.com").await;
    let (to_cancel, _) = book(&server, "camille", cancelled, "bob@example.com").await;
    let (status, _) = server
        .send_json(
            Method::DELETE,
            &format!("{DEMO}/widget/appointments/{to_cancel}"),
            &Value::Null,
        )
        .await;
    assert_eq!(status, 200);
    let (status, doomed) = server
        .api(
            Method::POST,
            &format!("{DEMO}/appointments"),
            Some(&json!({
                "client": {"firstName": "Cy", "lastName": "Doomed", "email": "cy@example.com"},
                "service": {"id": "haircut"}, "staff": {"id": "camille"},
                "start": {"dateTime": deleted, "timeZone": "Europe/Paris"}
            })),
        )
        .await;
    assert_eq!(status, 201, "{doomed}");
    let (status, _) = server
        .api(
            Method::DELETE,
            &format!("{DEMO}/appointments/{}", doomed["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, busy) = server
        .api(
            Method::POST,
            &format!("{DEMO}/appointments"),
            Some(&json!({
                "type": "personal", "staff": {"id": "camille"}, "notes": "Dentist",
                "start": {"dateTime": personal, "timeZone": "Europe/Paris"},
                "end": {"dateTime": support::plus_minutes(personal, 60), "timeZone": "Europe/Paris"}
            })),
        )
        .await;
    assert_eq!(status, 201, "{busy}");
    // Someone else's appointment stays out of Camille's feed.
    let hugo_slots = server.free_starts("haircut", Some("hugo"), 1).await;
    book(&server, "hugo", &hugo_slots[0], "hugo-client@example.com").await;

    let url = feed_url(&server, "camille").await;
    let response = server.client.get(&url).send().await.expect("feed");
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/calendar; charset=utf-8");
    assert_eq!(headers["cache-control"], "private, max-age=300");
    let etag = headers["etag"].to_str().expect("etag").to_owned();
    let text = response.text().await.expect("text");
    assert!(
        !text.contains("@example.com") && !text.contains("Dentist"),
        "no client email, no private notes: {text}"
    );
    let busy_uid = kept_uid.replace(
        kept_uid.split_once('@').expect("uid").0,
        &format!("demo-{}", busy["id"].as_str().expect("id")),
    );
    let expected = BTreeSet::from([
        Event {
            uid: kept_uid,
            summary: "Haircut & blow-dry — Ada Lovelace".to_owned(),
            start: paris(kept),
            described: true,
        },
        Event {
            uid: busy_uid,
            summary: "Busy".to_owned(),
            start: paris(personal),
            described: false,
        },
    ]);
    assert_eq!(events_of(&text), expected);

    // Unchanged: the calendar app's If-None-Match gets a 304.
    let again = server
        .client
        .get(&url)
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("feed");
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"], etag.as_str());
}

#[tokio::test]
async fn a_wrong_or_replaced_token_is_a_404() {
    let server = server().await;
    let url = feed_url(&server, "camille").await;
    assert_eq!(status_of(&server, &url).await, 200);
    assert_eq!(
        feed_url(&server, "camille").await,
        url,
        "stable across reads"
    );
    let (path, token) = url.split_once("?token=").expect("token");

    assert_eq!(status_of(&server, path).await, 404, "no token");
    let mut wrong = token.to_owned();
    wrong.replace_range(..1, if token.starts_with('A') { "B" } else { "A" });
    assert_eq!(
        status_of(&server, &format!("{path}?token={wrong}")).await,
        404
    );
    let hugo = url.replace("/staff/camille/", "/staff/hugo/");
    assert_eq!(
        status_of(&server, &hugo).await,
        404,
        "Camille's token on Hugo's feed"
    );
    let nobody = url.replace("/staff/camille/", "/staff/nobody/");
    assert_eq!(status_of(&server, &nobody).await, 404);

    let (status, rotated) = server
        .api(
            Method::POST,
            &format!("{DEMO}/staff/camille/calendarFeedToken"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{rotated}");
    let new_url = rotated["calendarFeedUrl"].as_str().expect("new url");
    assert_ne!(new_url, url);
    assert_eq!(status_of(&server, &url).await, 404, "the old URL is dead");
    assert_eq!(status_of(&server, new_url).await, 200);
    assert_eq!(feed_url(&server, "camille").await, new_url);

    // Without the API key the token can't be replaced.
    let response = server
        .client
        .post(format!(
            "{}{DEMO}/staff/camille/calendarFeedToken",
            server.base
        ))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 401);
    // A client sending the field back changes nothing.
    let (status, replaced) = server
        .api(
            Method::PUT,
            &format!("{DEMO}/staff/camille"),
            Some(&json!({"firstName": "Camille", "calendarFeedUrl": "http://evil.example/"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        replaced.get("calendarFeedUrl"),
        None,
        "not stored: {replaced}"
    );
    assert_eq!(feed_url(&server, "camille").await, new_url);
}

#[tokio::test]
async fn a_deleted_staff_members_feed_stays_dead_when_the_id_is_reused() {
    let server = server().await;
    let (status, _) = server
        .api(
            Method::POST,
            &format!("{DEMO}/staff"),
            Some(&json!({"id": "temp", "firstName": "Temp"})),
        )
        .await;
    assert_eq!(status, 201);
    let url = feed_url(&server, "temp").await;
    assert_eq!(status_of(&server, &url).await, 200);
    let (status, _) = server
        .api(Method::DELETE, &format!("{DEMO}/staff/temp"), None)
        .await;
    assert_eq!(status, 204);
    assert_eq!(status_of(&server, &url).await, 404);
    let (status, _) = server
        .api(
            Method::POST,
            &format!("{DEMO}/staff"),
            Some(&json!({"id": "temp", "firstName": "Someone else"})),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        status_of(&server, &url).await,
        404,
        "the old URL opens nothing"
    );
    assert_ne!(feed_url(&server, "temp").await, url);
}
