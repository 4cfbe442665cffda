//! Connected calendars (issue #17) against real servers: a Radicale CalDAV server holding a weekly
//! event with a moved instance across the Paris DST change, and an ICS address served by a local
//! HTTP server that honours ETags. Their busy time must remove exactly the overlapping slots of the
//! staff member; a stopped calendar server must leave booking working on the last busy time read,
//! with the error in the connection's status. Runs on SQLite, and on PostgreSQL with
//! `BOOKING_TEST_DB=postgres`.

#[path = "calendar_sync/radicale.rs"]
mod radicale;
mod support;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use booking_server::calendar::credentials::SecretKey;
use booking_server::calendar::sync::{refresher, Settings};
use booking_server::calendar::write::worker as writer;
use booking_server::clock::Clock;
use booking_server::notify::delivery::Timing;
use booking_server::Config;
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use radicale::Radicale;
use reqwest::Method;
use serde_json::{json, Value};
use support::{demo_booking, TestServer};

const DEMO: &str = "/api/2.1/scheduling/companies/demo";
const KEY_HEX: &str = "5f0c6d2a9b8e7f1a3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8b9c0d";
/// A Monday two weeks before the Paris DST change (Sunday 2027-03-28).
const MONDAY: &str = "2027-03-15T07:00:00Z";
/// Haircut: 45 minutes, Camille or Hugo, no buffers.
const SERVICE: &str = "haircut";
const MINUTES: i64 = 45;
const REFRESH: Duration = Duration::from_secs(60);

fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Paris
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("a wall time that exists once")
        .to_utc()
}

/// The demo company on a server with a secret key (or none), private addresses allowed or not,
/// fast calendar timings, and the background refresher and calendar writer running.
async fn server(secret_key: bool, allow_private: bool) -> TestServer {
    let (server, state) = server_without_writer(secret_key, allow_private).await;
    writer::spawn_until(state, std::future::pending());
    server
}

/// [`server`] with no calendar writer yet: the test starts it (`writer::spawn_until`) once the
/// rows it wants queued together are planned.
async fn server_without_writer(
    secret_key: bool,
    allow_private: bool,
) -> (TestServer, booking_server::AppState) {
    server_timed(secret_key, allow_private, |_| {}).await
}

/// [`server_without_writer`] with the calendar writer's timing changed by `tune`.
async fn server_timed(
    secret_key: bool,
    allow_private: bool,
    tune: impl FnOnce(&mut Timing),
) -> (TestServer, booking_server::AppState) {
    let mut calendar_write = Timing {
        poll_interval: Duration::from_millis(50),
        backoff_base: Duration::from_secs(1),
        backoff_max: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
        lease: Duration::from_secs(30),
        ..booking_server::calendar::write::default_timing()
    };
    tune(&mut calendar_write);
    let monday = DateTime::parse_from_rfc3339(MONDAY)
        .expect("instant")
        .to_utc();
    let (server, state) = TestServer::configured(Clock::fixed(monday), |_, _| Config {
        demo: true,
        bookings_per_minute: 1_000,
        allow_private_webhooks: allow_private,
        secret_key: secret_key.then(|| KEY_HEX.parse::<SecretKey>().expect("key")),
        calendar: Settings {
            refresh_interval: REFRESH,
            staleness: Duration::from_secs(30),
            check_timeout: Duration::from_secs(2),
            fetch_timeout: Duration::from_secs(5),
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(5),
            poll_interval: Duration::from_millis(50),
            ..Settings::default()
        },
        calendar_write,
        ..Config::default()
    })
    .await;
    refresher::spawn_until(state.clone(), std::future::pending());
    (server, state)
}

async fn call(
    server: &TestServer,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    support::request_json(
        &server.client,
        method,
        &format!("{}{DEMO}{path}", server.base),
        Some(support::DEMO_KEY),
        body,
    )
    .await
}

async fn connect(server: &TestServer, staff: &str, body: Value) -> Value {
    let path = format!("/staff/{staff}/calendarConnections");
    let (status, answer) = call(server, Method::POST, &path, Some(&body)).await;
    assert_eq!(status, 201, "{answer}");
    answer
}

/// Polls the connection until `done` holds for it (10 s at most).
async fn wait_for(server: &TestServer, connection: &Value, done: impl Fn(&Value) -> bool) -> Value {
    let path = format!(
        "/staff/{}/calendarConnections/{}",
        connection["staffId"].as_str().expect("staffId"),
        connection["id"].as_str().expect("id")
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, answer) = call(server, Method::GET, &path, None).await;
        assert_eq!(status, 200, "{answer}");
        if done(&answer) {
            return answer;
        }
        assert!(Instant::now() < deadline, "still {answer}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn synced_at(at: DateTime<Utc>) -> impl Fn(&Value) -> bool {
    let at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    move |c: &Value| c["status"]["lastSyncAt"].as_str() == Some(at.as_str())
}

/// Camille's free haircut slots from `first` to `last` (Paris days), as instants.
async fn slots(server: &TestServer, first: &str, last: &str) -> BTreeSet<DateTime<Utc>> {
    slots_of(server, (SERVICE, "camille"), first, last).await
}

/// The free slots of `service` with `staff` from `first` to `last` (Paris days), as instants.
async fn slots_of(
    server: &TestServer,
    (service, staff): (&str, &str),
    first: &str,
    last: &str,
) -> BTreeSet<DateTime<Utc>> {
    let (status, body) = server
        .get_json(&format!(
            "{DEMO}/widget/freeSlots?startDate={first}&endDate={last}&serviceId={service}\
             &staffId={staff}&timeZone=Europe/Paris"
        ))
        .await;
    assert_eq!(status, 200, "{body}");
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .flat_map(|day| day["slots"].as_array().expect("slots").iter())
        .map(|s| {
            DateTime::parse_from_rfc3339(s.as_str().expect("slot"))
                .expect("instant")
                .to_utc()
        })
        .collect()
}

/// The slots of `before` that a haircut starting there would overlap `busy` with.
fn overlapping(
    before: &BTreeSet<DateTime<Utc>>,
    busy: &[(DateTime<Utc>, DateTime<Utc>)],
) -> BTreeSet<DateTime<Utc>> {
    let length = chrono::Duration::minutes(MINUTES);
    before
        .iter()
        .copied()
        .filter(|&s| busy.iter().any(|&(b0, b1)| s < b1 && s + length > b0))
        .collect()
}

/// Asserts that `after` is `before` less exactly the slots overlapping `busy`, and that each busy
/// interval did remove some slot (so the check is not vacuous).
fn assert_removed(
    before: &BTreeSet<DateTime<Utc>>,
    after: &BTreeSet<DateTime<Utc>>,
    busy: &[(DateTime<Utc>, DateTime<Utc>)],
) {
    let expected: BTreeSet<_> = before
        .difference(&overlapping(before, busy))
        .copied()
        .collect();
    assert_eq!(
        after.symmetric_difference(&expected).collect::<Vec<_>>(),
        Vec::<&DateTime<Utc>>::new(),
        "slots wrongly kept or removed"
    );
    for interval in busy {
        assert!(
            !overlapping(before, std::slice::from_ref(interval)).is_empty(),
            "{interval:?} falls on no slot: the test would prove nothing"
        );
    }
}

const WEEKLY_EVENT: &str =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//calendar sync//EN\r\n\
BEGIN:VEVENT\r\nUID:weekly-dentist@example.com\r\nDTSTAMP:20270101T000000Z\r\n\
DTSTART;TZID=Europe/Paris:20270316T100000\r\nDTEND;TZID=Europe/Paris:20270316T110000\r\n\
RRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:weekly-dentist@example.com\r\nDTSTAMP:20270101T000000Z\r\n\
RECURRENCE-ID;TZID=Europe/Paris:20270323T100000\r\n\
DTSTART;TZID=Europe/Paris:20270323T150000\r\nDTEND;TZID=Europe/Paris:20270323T160000\r\n\
SUMMARY:Dentist (moved)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

#[tokio::test]
async fn a_caldav_calendar_blocks_exactly_its_busy_instants_and_a_stopped_server_keeps_them() {
    let mut dav = Radicale::start().await;
    let calendar = dav.make_calendar("busy").await;
    let put = dav
        .dav(
            "PUT",
            "/test/busy/dentist.ics",
            "text/calendar",
            WEEKLY_EVENT.to_owned(),
        )
        .await;
    assert_eq!(put, 201);
    let server = server(true, true).await;
    let before = slots(&server, "2027-03-16", "2027-04-06").await;

    let connection = connect(
        &server,
        "camille",
        json!({"type": "caldav", "url": calendar, "username": radicale::USER, "password": radicale::PASSWORD}),
    )
    .await;
    assert!(connection.get("password").is_none(), "{connection}");
    let synced = wait_for(&server, &connection, synced_at(server.clock.now())).await;
    assert_eq!(synced["status"]["busyCount"], 4, "{synced}");
    assert!(synced["status"].get("lastError").is_none(), "{synced}");

    // 10:00 Paris is 09:00Z before the change and 08:00Z after; the 23rd's instance moved to 15:00.
    let busy = [
        (paris(2027, 3, 16, 10, 0), paris(2027, 3, 16, 11, 0)),
        (paris(2027, 3, 23, 15, 0), paris(2027, 3, 23, 16, 0)),
        (paris(2027, 3, 30, 10, 0), paris(2027, 3, 30, 11, 0)),
        (paris(2027, 4, 6, 10, 0), paris(2027, 4, 6, 11, 0)),
    ];
    assert_eq!(busy[2].0.to_rfc3339(), "2027-03-30T08:00:00+00:00");
    let after = slots(&server, "2027-03-16", "2027-04-06").await;
    assert_removed(&before, &after, &busy);
    let old_time = paris(2027, 3, 23, 10, 0);
    assert!(
        !before.contains(&old_time) || after.contains(&old_time),
        "the moved instance's old time is free"
    );

    // Radicale stops: the next read fails, the status says why, the busy time read stays.
    dav.stop();
    server
        .clock
        .advance(chrono::Duration::from_std(REFRESH).expect("duration") * 2);
    let failed = wait_for(&server, &connection, |c| {
        c["status"]["lastError"].is_string()
    })
    .await;
    assert_eq!(
        failed["status"]["lastSyncAt"], synced["status"]["lastSyncAt"],
        "{failed}"
    );
    assert_eq!(failed["status"]["busyCount"], 4);
    assert!(
        failed["status"]["lastError"]
            .as_str()
            .is_some_and(|e| e.contains("connect")),
        "{failed}"
    );
    assert_eq!(slots(&server, "2027-03-16", "2027-04-06").await, after);

    // Booking still works (its stale-calendar read fails fast and the stored busy time counts).
    let free = *after
        .iter()
        .find(|s| **s > paris(2027, 3, 16, 12, 0))
        .expect("a free slot");
    let start = free.with_timezone(&Paris).to_rfc3339();
    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &demo_booking(SERVICE, Some("camille"), &start, "ada@example.com"),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let taken = paris(2027, 3, 30, 10, 0).with_timezone(&Paris).to_rfc3339();
    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &demo_booking(SERVICE, Some("camille"), &taken, "grace@example.com"),
        )
        .await;
    assert_eq!(status, 409, "busy in Camille's calendar: {body}");
}

/// A published calendar at `/cal.ics` with a strong ETag, `"v{version}"` (version 2 adds
/// [`LATE_EVENT`], 3 also [`FRIDAY_EVENT`]): requests and `304` answers counted.
struct IcsServer {
    url: String,
    requests: Arc<AtomicUsize>,
    not_modified: Arc<AtomicUsize>,
    version: Arc<AtomicUsize>,
}

/// Thursday 18 March, 13:30–18:30 Paris (Camille's afternoon): what the calendar's second version adds.
const LATE_EVENT: &str = "BEGIN:VEVENT\r\nUID:late@example.com\r\nDTSTAMP:20270101T000000Z\r\n\
DTSTART;TZID=Europe/Paris:20270318T133000\r\nDTEND;TZID=Europe/Paris:20270318T183000\r\n\
SUMMARY:Late meeting\r\nEND:VEVENT\r\n";
/// Friday 19 March, 13:30–18:30 Paris: what the third version adds.
const FRIDAY_EVENT: &str = "BEGIN:VEVENT\r\nUID:friday@example.com\r\nDTSTAMP:20270101T000000Z\r\n\
DTSTART;TZID=Europe/Paris:20270319T133000\r\nDTEND;TZID=Europe/Paris:20270319T183000\r\n\
SUMMARY:Friday training\r\nEND:VEVENT\r\n";

const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//ics//EN\r\n\
BEGIN:VEVENT\r\nUID:lunch@example.com\r\nDTSTAMP:20270101T000000Z\r\n\
DTSTART;TZID=Europe/Paris:20270317T140000\r\nDTEND;TZID=Europe/Paris:20270317T153000\r\n\
SUMMARY:Long lunch\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:free@example.com\r\nDTSTAMP:20270101T000000Z\r\n\
DTSTART;TZID=Europe/Paris:20270318T100000\r\nDTEND;TZID=Europe/Paris:20270318T110000\r\n\
TRANSP:TRANSPARENT\r\nSUMMARY:Shown as free\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

async fn ics_server() -> IcsServer {
    let requests = Arc::new(AtomicUsize::new(0));
    let not_modified = Arc::new(AtomicUsize::new(0));
    let version = Arc::new(AtomicUsize::new(1));
    let (counted, unchanged, current) = (requests.clone(), not_modified.clone(), version.clone());
    let app = axum::Router::new().route(
        "/cal.ics",
        axum::routing::get(move |headers: HeaderMap| {
            let (counted, unchanged) = (counted.clone(), unchanged.clone());
            let version = current.load(Ordering::SeqCst);
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                let etag = format!("\"v{version}\"");
                let added = [LATE_EVENT, FRIDAY_EVENT][..version.saturating_sub(1).min(2)].concat();
                let body = ICS.replace("END:VCALENDAR", &format!("{added}END:VCALENDAR"));
                let sent = headers
                    .get(header::IF_NONE_MATCH)
                    .and_then(|v| v.to_str().ok());
                if sent == Some(etag.as_str()) {
                    unchanged.fetch_add(1, Ordering::SeqCst);
                    return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
                }
                let headers = [
                    (header::ETAG, etag),
                    (header::CONTENT_TYPE, "text/calendar".to_owned()),
                ];
                (headers, body).into_response()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    IcsServer {
        url: format!("http://{addr}/cal.ics"),
        requests,
        not_modified,
        version,
    }
}

#[tokio::test]
async fn an_ics_subscription_blocks_its_busy_time_and_is_read_again_with_its_etag() {
    let ics = ics_server().await;
    let server = server(false, true).await;
    let before = slots(&server, "2027-03-16", "2027-03-19").await;
    let connection = connect(&server, "camille", json!({"type": "ics", "url": ics.url})).await;
    let first = wait_for(&server, &connection, synced_at(server.clock.now())).await;
    assert_eq!(first["status"]["eventCount"], 2, "{first}");
    assert_eq!(
        first["status"]["busyCount"], 1,
        "the transparent event is free: {first}"
    );
    assert_eq!(ics.requests.load(Ordering::SeqCst), 1);
    let after = slots(&server, "2027-03-16", "2027-03-19").await;
    assert_removed(
        &before,
        &after,
        &[(paris(2027, 3, 17, 14, 0), paris(2027, 3, 17, 15, 30))],
    );

    // The next read sends the ETag back and gets a 304: the busy time stays, the sync time moves.
    server
        .clock
        .advance(chrono::Duration::from_std(REFRESH).expect("duration"));
    let second = wait_for(&server, &connection, synced_at(server.clock.now())).await;
    assert_eq!(ics.requests.load(Ordering::SeqCst), 2);
    assert_eq!(ics.not_modified.load(Ordering::SeqCst), 1);
    assert_eq!(second["status"]["busyCount"], 1, "{second}");
    assert_eq!(slots(&server, "2027-03-16", "2027-03-19").await, after);

    // Disconnected: its busy time no longer blocks anything.
    let path = format!(
        "/staff/camille/calendarConnections/{}",
        connection["id"].as_str().expect("id")
    );
    let (status, _) = call(&server, Method::DELETE, &path, None).await;
    assert_eq!(status, 204);
    let (status, _) = call(&server, Method::GET, &path, None).await;
    assert_eq!(status, 404);
    assert_eq!(slots(&server, "2027-03-16", "2027-03-19").await, before);
}

#[tokio::test]
async fn a_booking_reads_a_stale_calendar_before_its_final_check() {
    let ics = ics_server().await;
    let server = server(false, true).await;
    let connection = connect(&server, "camille", json!({"type": "ics", "url": ics.url})).await;
    wait_for(&server, &connection, synced_at(server.clock.now())).await;
    let late = *slots(&server, "2027-03-18", "2027-03-18")
        .await
        .iter()
        .find(|s| **s >= paris(2027, 3, 18, 13, 30))
        .expect("a free slot on Thursday afternoon");

    // The calendar gains an event; the busy time read is older than the staleness (30 s) but not
    // due for the refresher (60 s): the booking reads the calendar first and is refused.
    ics.version.store(2, Ordering::SeqCst);
    server.clock.advance(chrono::Duration::seconds(40));
    let start = late.with_timezone(&Paris).to_rfc3339();
    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &demo_booking(SERVICE, Some("camille"), &start, "ada@example.com"),
        )
        .await;
    assert_eq!(status, 409, "the new event makes Camille busy: {body}");
    let read = wait_for(&server, &connection, synced_at(server.clock.now())).await;
    assert_eq!(read["status"]["busyCount"], 2, "{read}");

    // The same for the Appointments API.
    let friday = *slots(&server, "2027-03-19", "2027-03-19")
        .await
        .iter()
        .find(|s| **s >= paris(2027, 3, 19, 13, 30))
        .expect("a free slot on Friday afternoon");
    ics.version.store(3, Ordering::SeqCst);
    server.clock.advance(chrono::Duration::seconds(40));
    let local = friday.with_timezone(&Paris).naive_local();
    let appointment = json!({
        "client": {"firstName": "Grace", "lastName": "Hopper", "email": "grace@example.com"},
        "service": {"id": SERVICE},
        "staff": {"id": "camille"},
        "start": {"dateTime": local.format("%Y-%m-%dT%H:%M:%S").to_string(), "timeZone": "Europe/Paris"},
    });
    let (status, body) = call(&server, Method::POST, "/appointments", Some(&appointment)).await;
    assert_eq!(status, 409, "the new event makes Camille busy: {body}");
    let read = wait_for(&server, &connection, synced_at(server.clock.now())).await;
    assert_eq!(read["status"]["busyCount"], 3, "{read}");
}

#[tokio::test]
async fn connections_are_checked_and_their_password_is_never_shown_nor_stored_in_clear() {
    let server = server(true, true).await;
    let post = |body: Value| {
        let server = &server;
        async move {
            call(
                server,
                Method::POST,
                "/staff/camille/calendarConnections",
                Some(&body),
            )
            .await
        }
    };
    let field = |answer: &Value| answer["error"]["fields"][0]["name"].clone();
    for (body, name) in [
        (json!({"url": "https://cal.example.com/a.ics"}), "type"),
        (
            json!({"type": "google", "url": "https://cal.example.com/a.ics"}),
            "type",
        ),
        (
            json!({"type": "ics", "url": "ftp://cal.example.com/a.ics"}),
            "url",
        ),
        (json!({"type": "ics"}), "url"),
        (
            json!({"type": "caldav", "url": "https://dav.example.com/c/", "username": "u"}),
            "password",
        ),
        (
            json!({"type": "ics", "url": "https://cal.example.com/a.ics", "password": "p"}),
            "password",
        ),
    ] {
        let (status, answer) = post(body.clone()).await;
        assert_eq!(
            (status, field(&answer)),
            (400, json!(name)),
            "{body} → {answer}"
        );
    }
    let (status, answer) = call(
        &server,
        Method::POST,
        "/staff/nobody/calendarConnections",
        Some(&json!({"type": "ics", "url": "https://cal.example.com/a.ics"})),
    )
    .await;
    assert_eq!(status, 404, "{answer}");

    // A CalDAV password is sealed: not in any answer, not in the database in clear.
    let secret = "correct horse battery staple";
    let (status, created) = post(json!({
        "type": "caldav", "url": "http://127.0.0.1:9/dav/cal/", "username": "camille", "password": secret
    }))
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["username"], "camille");
    let (status, listed) = call(
        &server,
        Method::GET,
        "/staff/camille/calendarConnections",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );
    for answer in [&created, &listed] {
        assert!(!answer.to_string().contains(secret), "{answer}");
    }
    let stored: (Option<String>,) = sqlx::query_as("SELECT secret FROM calendar_connections")
        .fetch_one(&server.db)
        .await
        .expect("stored row");
    let sealed = stored.0.expect("a sealed password");
    assert!(
        !sealed.contains(secret) && sealed.starts_with("v1."),
        "{sealed}"
    );
    // Nothing listens on port 9: the first read fails and says so.
    wait_for(&server, &created, |c| c["status"]["lastError"].is_string()).await;

    // Without a secret key, CalDAV is a 409 saying so; without the opt-out, loopback is refused.
    let keyless = self::server(false, false).await;
    let (status, answer) = call(
        &keyless,
        Method::POST,
        "/staff/camille/calendarConnections",
        Some(&json!({"type": "caldav", "url": "https://dav.example.com/c/", "username": "u", "password": "p"})),
    )
    .await;
    assert_eq!(status, 409, "{answer}");
    assert!(answer["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("secret key")));
    let (status, answer) = call(
        &keyless,
        Method::POST,
        "/staff/camille/calendarConnections",
        Some(&json!({"type": "ics", "url": "http://127.0.0.1:9/cal.ics"})),
    )
    .await;
    assert_eq!((status, field(&answer)), (422, json!("url")), "{answer}");
}

/// An event as read back from Radicale.
#[derive(Debug)]
struct WrittenEvent {
    uid: String,
    sequence: u32,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    summary: String,
}

/// Reads one event file with the `icalendar` parser; `TZID` times resolved with chrono-tz.
fn parse_copy(text: &str) -> WrittenEvent {
    let text = icalendar::parser::unfold(text);
    let calendar = icalendar::parser::read_calendar(&text).expect("a valid iCalendar file");
    assert!(
        calendar.components.iter().any(|c| c.name == "VTIMEZONE"),
        "the company zone's VTIMEZONE: {text}"
    );
    let event = calendar
        .components
        .iter()
        .find(|c| c.name == "VEVENT")
        .expect("VEVENT");
    let value = |name: &str| event.find_prop(name).expect(name).val.as_str().to_owned();
    let instant = |name: &str| {
        let property = event.find_prop(name).expect(name);
        let text = property.val.as_str();
        match property.params.iter().find(|p| p.key == "TZID") {
            Some(zone) => {
                let zone: chrono_tz::Tz = zone
                    .val
                    .as_ref()
                    .expect("zone")
                    .as_str()
                    .parse()
                    .expect("an IANA zone");
                let local = chrono::NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S")
                    .expect("a local time");
                zone.from_local_datetime(&local)
                    .single()
                    .expect("unambiguous")
                    .to_utc()
            }
            None => chrono::NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%SZ")
                .expect("a UTC time")
                .and_utc(),
        }
    };
    WrittenEvent {
        uid: value("UID"),
        sequence: value("SEQUENCE").parse().expect("SEQUENCE"),
        start: instant("DTSTART"),
        end: instant("DTEND"),
        summary: value("SUMMARY"),
    }
}

/// Polls the collection at `path` until its events satisfy `done` (10 s at most).
async fn wait_copies(
    dav: &Radicale,
    path: &str,
    done: impl Fn(&[WrittenEvent]) -> bool,
) -> Vec<WrittenEvent> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let copies: Vec<WrittenEvent> = dav
            .events(path)
            .await
            .iter()
            .map(|t| parse_copy(t))
            .collect();
        if done(&copies) {
            return copies;
        }
        assert!(Instant::now() < deadline, "still {copies:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn caldav(calendar: &str) -> Value {
    json!({"type": "caldav", "url": calendar, "username": radicale::USER, "password": radicale::PASSWORD})
}

async fn book(
    server: &TestServer,
    (service, staff): (&str, &str),
    at: DateTime<Utc>,
    email: &str,
) -> Value {
    let start = at.with_timezone(&Paris).to_rfc3339();
    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &demo_booking(service, Some(staff), &start, email),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body
}

/// The refresher reads the connection again (the clock moves past the refresh interval).
async fn read_again(server: &TestServer, connection: &Value) -> Value {
    server
        .clock
        .advance(chrono::Duration::from_std(REFRESH).expect("duration"));
    wait_for(server, connection, synced_at(server.clock.now())).await
}

#[tokio::test]
async fn bookings_are_written_to_the_staff_calendar_moved_and_removed_and_not_counted_twice() {
    let dav = Radicale::start().await;
    let calendar = dav.make_calendar("work").await;
    let server = server(true, true).await;
    let connection = connect(&server, "camille", caldav(&calendar)).await;
    wait_for(&server, &connection, synced_at(server.clock.now())).await;
    let before = slots(&server, "2027-03-17", "2027-03-18").await;
    let mut free = before.iter().copied();
    let (first, later) = (free.next().expect("a slot"), free.nth(5).expect("another"));
    let length = chrono::Duration::minutes(MINUTES);

    let booked = book(&server, (SERVICE, "camille"), first, "ada@example.com").await;
    let id = booked["id"].as_str().expect("id");
    let written = wait_copies(&dav, "/test/work/", |c| c.len() == 1).await;
    let copy = &written[0];
    assert_eq!(copy.uid, format!("demo-{id}@booking-server"));
    assert_eq!(
        (copy.start, copy.end, copy.sequence),
        (first, first + length, 0)
    );
    assert!(copy.summary.contains("Ada Lovelace"), "{copy:?}");
    let status = wait_for(&server, &connection, |c| {
        c["status"]["lastWriteAt"].is_string()
    })
    .await;
    assert!(status["status"].get("lastWriteError").is_none(), "{status}");
    let (code, appointment) =
        call(&server, Method::GET, &format!("/appointments/{id}"), None).await;
    assert_eq!(code, 200, "{appointment}");
    assert_eq!(
        appointment["synchronization"]["caldavCalendar"]["id"],
        format!("{calendar}demo-{id}.ics"),
        "{appointment}"
    );

    // Read back by the refresher, our own event is not busy time: the booking alone blocks.
    let reread = read_again(&server, &connection).await;
    assert_eq!(reread["status"]["busyCount"], 0, "{reread}");
    let taken = slots(&server, "2027-03-17", "2027-03-18").await;
    assert_removed(&before, &taken, &[(first, first + length)]);

    // Rescheduled: the event moves (a higher SEQUENCE); cancelled: it is removed.
    let manage = format!(
        "{DEMO}/widget/appointments/{}",
        booked["encryptedId"].as_str().expect("encryptedId")
    );
    let (status, body) = server
        .send_json(
            Method::PUT,
            &manage,
            &json!({"start": later.with_timezone(&Paris).to_rfc3339()}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let moved = wait_copies(&dav, "/test/work/", |c| c.len() == 1 && c[0].start == later).await;
    assert_eq!(moved[0].end, later + length);
    assert!(moved[0].sequence >= 1, "{moved:?}");
    let (status, body) = server.send_json(Method::DELETE, &manage, &json!({})).await;
    assert!(status == 200 || status == 204, "{status} {body}");
    wait_copies(&dav, "/test/work/", <[WrittenEvent]>::is_empty).await;
    read_again(&server, &connection).await;
    assert_eq!(slots(&server, "2027-03-17", "2027-03-18").await, before);
}

#[tokio::test]
async fn a_written_group_class_does_not_block_its_other_seats() {
    let dav = Radicale::start().await;
    let calendar = dav.make_calendar("lea").await;
    let server = server(true, true).await;
    let connection = connect(&server, "lea", caldav(&calendar)).await;
    wait_for(&server, &connection, synced_at(server.clock.now())).await;
    // Tuesday's class, 18:00 Paris: 8 seats.
    let class = paris(2027, 3, 16, 18, 0);
    let yoga = ("yoga", "lea");
    assert!(slots_of(&server, yoga, "2027-03-16", "2027-03-16")
        .await
        .contains(&class));
    book(&server, yoga, class, "ada@example.com").await;
    wait_copies(&dav, "/test/lea/", |c| c.len() == 1 && c[0].start == class).await;
    let reread = read_again(&server, &connection).await;
    assert_eq!(reread["status"]["busyCount"], 0, "{reread}");
    assert!(
        slots_of(&server, yoga, "2027-03-16", "2027-03-16")
            .await
            .contains(&class),
        "seats are left: Léa's copy of the class must not make her busy"
    );
    book(&server, yoga, class, "grace@example.com").await;
}

#[tokio::test]
async fn a_booking_made_while_the_calendar_server_is_down_is_written_once_it_is_back() {
    let mut dav = Radicale::start().await;
    let calendar = dav.make_calendar("work").await;
    let server = server(true, true).await;
    let connection = connect(&server, "camille", caldav(&calendar)).await;
    wait_for(&server, &connection, synced_at(server.clock.now())).await;
    let slot = *slots(&server, "2027-03-17", "2027-03-17")
        .await
        .first()
        .expect("a slot");

    dav.stop();
    book(&server, (SERVICE, "camille"), slot, "ada@example.com").await;
    let failed = wait_for(&server, &connection, |c| {
        c["status"]["lastWriteError"].is_string()
    })
    .await;
    assert!(
        failed["status"]["lastWriteError"]
            .as_str()
            .is_some_and(|e| e.contains("connect")),
        "{failed}"
    );

    // Back: the retry (after its backoff, by the server's clock) writes the event.
    dav.restart().await;
    server.clock.advance(chrono::Duration::seconds(10));
    let written = wait_copies(&dav, "/test/work/", |c| c.len() == 1).await;
    assert_eq!(written[0].start, slot);
    wait_for(&server, &connection, |c| {
        c["status"]["lastWriteError"].is_null() && c["status"]["lastWriteAt"].is_string()
    })
    .await;
}

#[tokio::test]
async fn the_demo_connects_hugos_own_calendar_whose_busy_block_removes_his_wednesday_slots() {
    use booking_server::demo;
    let server = server(false, true).await;
    let hugo = (SERVICE, "hugo");
    let before = slots_of(&server, hugo, "2027-03-17", "2027-03-17").await;
    demo::connect_calendar(&server.db, &server.base, server.clock.now())
        .await
        .expect("connected");
    // Again (a restart): still one connection.
    demo::connect_calendar(&server.db, &server.base, server.clock.now())
        .await
        .expect("connected");
    let (status, listed) = call(
        &server,
        Method::GET,
        "/staff/hugo/calendarConnections",
        None,
    )
    .await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );
    let connection = &listed["items"][0];
    assert_eq!(connection["type"], "ics");
    let synced = wait_for(&server, connection, |c| {
        c["status"]["lastSyncAt"].is_string()
    })
    .await;
    assert!(synced["status"].get("lastError").is_none(), "{synced}");
    // Wednesdays 15:00–17:00 Paris, every week.
    let after = slots_of(&server, hugo, "2027-03-17", "2027-03-17").await;
    assert_removed(
        &before,
        &after,
        &[(paris(2027, 3, 17, 15, 0), paris(2027, 3, 17, 17, 0))],
    );
}

#[tokio::test]
async fn personal_appointments_are_written_as_busy_unless_personal_appointment_sync_is_false() {
    let dav = Radicale::start().await;
    let calendar = dav.make_calendar("work").await;
    let server = server(true, true).await;
    let connection = connect(&server, "camille", caldav(&calendar)).await;
    wait_for(&server, &connection, synced_at(server.clock.now())).await;
    let personal = |day: u32| {
        let local = |h: u32| format!("2027-03-{day:02}T{h:02}:00:00");
        json!({
            "type": "personal", "staff": {"id": "camille"}, "notes": "Dentist",
            "start": {"dateTime": local(10), "timeZone": "Europe/Paris"},
            "end": {"dateTime": local(11), "timeZone": "Europe/Paris"},
        })
    };
    let post = |query: &'static str, body: Value| {
        let server = &server;
        async move {
            let (status, answer) = call(
                server,
                Method::POST,
                &format!("/appointments{query}"),
                Some(&body),
            )
            .await;
            assert_eq!(status, 201, "{answer}");
            answer["id"].as_str().expect("id").to_owned()
        }
    };
    let kept_out = post("?personalAppointmentSync=false", personal(17)).await;
    let written = post("", personal(18)).await;
    let copies = wait_copies(&dav, "/test/work/", |c| c.len() == 1).await;
    assert_eq!(copies[0].uid, format!("demo-{written}@booking-server"));
    assert_eq!(copies[0].summary, "Busy", "no notes in the copy");
    assert_eq!(copies[0].start, paris(2027, 3, 18, 10, 0));
    let (planned,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE channel = 'caldav' AND subject_id = $1")
            .bind(&kept_out)
            .fetch_one(&server.db)
            .await
            .expect("count");
    assert_eq!(planned, 0, "nothing planned for the one kept out");

    // Updated with the flag off: its copy is removed.
    let (status, body) = call(
        &server,
        Method::PUT,
        &format!("/appointments/{written}?personalAppointmentSync=false"),
        Some(&json!({"notes": "Dentist (moved?)"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    wait_copies(&dav, "/test/work/", <[WrittenEvent]>::is_empty).await;
    let (status, body) = call(
        &server,
        Method::POST,
        "/appointments?personalAppointmentSync=maybe",
        Some(&personal(19)),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["fields"][0]["name"],
        "personalAppointmentSync"
    );
}

#[tokio::test]
async fn a_burst_of_bookings_reads_a_stale_calendar_once() {
    let ics = ics_server().await;
    let server = server(false, true).await;
    let connection = connect(&server, "camille", json!({"type": "ics", "url": ics.url})).await;
    wait_for(&server, &connection, synced_at(server.clock.now())).await;
    assert_eq!(ics.requests.load(Ordering::SeqCst), 1);
    // Eight slots that don't overlap one another.
    let mut free: Vec<DateTime<Utc>> = Vec::new();
    for start in slots(&server, "2027-03-16", "2027-03-16").await {
        if free
            .last()
            .is_none_or(|last| start >= *last + chrono::Duration::minutes(MINUTES))
        {
            free.push(start);
        }
    }
    free.truncate(8);
    assert_eq!(free.len(), 8, "{free:?}");
    // Stale (older than 30 s) but not due for the refresher (60 s): every booking wants a read.
    server.clock.advance(chrono::Duration::seconds(40));
    let mut bookings = tokio::task::JoinSet::new();
    for (i, start) in free.iter().enumerate() {
        let start = start.with_timezone(&Paris).to_rfc3339();
        let body = demo_booking(
            SERVICE,
            Some("camille"),
            &start,
            &format!("client{i}@example.com"),
        );
        let (client, url) = (
            server.client.clone(),
            format!("{}{DEMO}/widget/appointments", server.base),
        );
        bookings.spawn(async move {
            support::request_json(&client, Method::POST, &url, None, Some(&body))
                .await
                .0
        });
    }
    let statuses = bookings.join_all().await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    wait_for(&server, &connection, synced_at(server.clock.now())).await;
    assert_eq!(
        ics.requests.load(Ordering::SeqCst),
        2,
        "8 bookings at once read the stale calendar once"
    );
}

#[tokio::test]
async fn busy_time_is_kept_for_the_read_window_only() {
    // An all-day event from 2000 to 2100: a year ahead is what counts, not a century of days.
    const CENTURY: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//ics//EN\r\n\
BEGIN:VEVENT\r\nUID:century@example.com\r\nDTSTAMP:20270101T000000Z\r\n\
DTSTART;VALUE=DATE:20000101\r\nDTEND;VALUE=DATE:21000101\r\nSUMMARY:Sabbatical\r\n\
END:VEVENT\r\nEND:VCALENDAR\r\n";
    let app = axum::Router::new().route("/century.ics", axum::routing::get(|| async { CENTURY }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    let server = server(false, true).await;
    let url = format!("http://{addr}/century.ics");
    let connection = connect(&server, "camille", json!({"type": "ics", "url": url})).await;
    wait_for(&server, &connection, synced_at(server.clock.now())).await;
    let (rows, first, last): (i64, String, String) = sqlx::query_as(
        "SELECT COUNT(*), MIN(start_utc), MAX(end_utc) FROM calendar_busy WHERE connection_id = $1",
    )
    .bind(connection["id"].as_str().expect("id"))
    .fetch_one(&server.db)
    .await
    .expect("busy rows");
    // The window: from two days before the clock's day to 366 days ahead, one row a day.
    assert!((360..=372).contains(&rows), "{rows} rows");
    assert!(first.starts_with("2027-03-13"), "{first}");
    assert!(last.starts_with("2028-03-1"), "{last}");
    assert!(slots(&server, "2027-03-16", "2027-03-19").await.is_empty());
}

#[tokio::test]
async fn an_event_edited_in_the_calendar_app_is_overwritten_and_one_removed_there_counts_as_removed(
) {
    let dav = Radicale::start().await;
    let calendar = dav.make_calendar("work").await;
    let server = server(true, true).await;
    let connection = connect(&server, "camille", caldav(&calendar)).await;
    wait_for(&server, &connection, synced_at(server.clock.now())).await;
    let free: Vec<_> = slots(&server, "2027-03-17", "2027-03-18")
        .await
        .into_iter()
        .collect();
    let (first, later) = (free[0], free[6]);
    let booked = book(&server, (SERVICE, "camille"), first, "ada@example.com").await;
    let id = booked["id"].as_str().expect("id");
    wait_copies(&dav, "/test/work/", |c| c.len() == 1).await;

    // The staff member edits the event in their calendar app: its ETag changes.
    let text = dav.events("/test/work/").await.remove(0);
    let edited = text.replace("SUMMARY:", "SUMMARY:(edited) ");
    let href = format!("/test/work/demo-{id}.ics");
    assert_eq!(dav.dav("PUT", &href, "text/calendar", edited).await, 204);
    let manage = format!(
        "{DEMO}/widget/appointments/{}",
        booked["encryptedId"].as_str().expect("encryptedId")
    );
    let (status, body) = server
        .send_json(
            Method::PUT,
            &manage,
            &json!({"start": later.with_timezone(&Paris).to_rfc3339()}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // If-Match fails (412); the writer reads the new ETag and overwrites: the booking wins.
    let moved = wait_copies(&dav, "/test/work/", |c| c.len() == 1 && c[0].start == later).await;
    assert!(!moved[0].summary.contains("(edited)"), "{moved:?}");

    // Removed in the calendar app, then cancelled: the DELETE's 404 counts as done.
    assert_eq!(
        dav.dav("DELETE", &href, "text/plain", String::new()).await,
        200
    );
    server.clock.advance(chrono::Duration::seconds(1));
    let (status, body) = server.send_json(Method::DELETE, &manage, &json!({})).await;
    assert!(status == 200 || status == 204, "{status} {body}");
    // Done when the copy is gone (the reschedule's write may still be recorded after the cancel).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, appointment) =
            call(&server, Method::GET, &format!("/appointments/{id}"), None).await;
        if appointment["synchronization"]["caldavCalendar"].is_null() {
            break;
        }
        assert!(Instant::now() < deadline, "still a copy: {appointment}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let done = wait_for(&server, &connection, |c| {
        c["status"]["lastWriteAt"].is_string()
    })
    .await;
    assert!(done["status"].get("lastWriteError").is_none(), "{done}");
}

#[tokio::test]
async fn a_newly_connected_calendar_gets_the_bookings_already_made() {
    let dav = Radicale::start().await;
    let calendar = dav.make_calendar("later").await;
    let server = server(true, true).await;
    let free: Vec<_> = slots(&server, "2027-03-17", "2027-03-17")
        .await
        .into_iter()
        .collect();
    let booked = book(&server, (SERVICE, "camille"), free[0], "ada@example.com").await;
    let id = booked["id"].as_str().expect("id");
    // Connected after the booking: the copy still arrives.
    let connection = connect(&server, "camille", caldav(&calendar)).await;
    let copies = wait_copies(&dav, "/test/later/", |c| c.len() == 1).await;
    assert_eq!(copies[0].start, free[0]);
    wait_for(&server, &connection, |c| {
        c["status"]["lastWriteAt"].is_string()
    })
    .await;
    let (_, appointment) = call(&server, Method::GET, &format!("/appointments/{id}"), None).await;
    assert!(
        appointment["synchronization"]["caldavCalendar"]["id"].is_string(),
        "{appointment}"
    );
}

/// Reschedules (`Some(start)`) or cancels (`None`) through the visitor's manage link.
async fn manage(server: &TestServer, booked: &Value, start: Option<DateTime<Utc>>) {
    let path = format!(
        "{DEMO}/widget/appointments/{}",
        booked["encryptedId"].as_str().expect("encryptedId")
    );
    let (status, body) = match start {
        Some(at) => {
            let body = json!({"start": at.with_timezone(&Paris).to_rfc3339()});
            server.send_json(Method::PUT, &path, &body).await
        }
        None => server.send_json(Method::DELETE, &path, &json!({})).await,
    };
    assert!(status == 200 || status == 204, "{status} {body}");
}

#[tokio::test]
async fn calendar_writes_apply_in_commit_order_not_in_the_order_their_clocks_were_read() {
    let dav = Radicale::start().await;
    let calendar = dav.make_calendar("work").await;
    // The wait below moves the clock (for retries) by up to 80 s: the lease must outlast that, or
    // an attempt still running would be taken back and sent twice.
    let (server, state) = server_timed(true, true, |t| t.lease = Duration::from_secs(600)).await;
    let connection = connect(&server, "camille", caldav(&calendar)).await;
    wait_for(&server, &connection, synced_at(server.clock.now())).await;
    // Five slots that don't overlap one another.
    let mut free: Vec<DateTime<Utc>> = Vec::new();
    for start in slots(&server, "2027-03-17", "2027-03-18").await {
        if free
            .last()
            .is_none_or(|last| start >= *last + chrono::Duration::minutes(MINUTES))
        {
            free.push(start);
        }
    }
    let [one, two, three, four, five] = free[..5] else {
        panic!("five slots: {free:?}")
    };
    let moved = book(&server, (SERVICE, "camille"), one, "ada@example.com").await;
    let cancelled = book(&server, (SERVICE, "camille"), two, "grace@example.com").await;
    // Each second change read the clock before the first one but committed after it (as a write
    // that waited for the lock, in a stale calendar's read, does): its outbox row is the earlier.
    let second = chrono::Duration::seconds(1);
    server.clock.advance(second * 2);
    manage(&server, &moved, Some(three)).await;
    manage(&server, &cancelled, Some(five)).await;
    server.clock.advance(-second);
    manage(&server, &moved, Some(four)).await;
    manage(&server, &cancelled, None).await;

    // Every row due (the first changes' ones at the later instant), then the writer runs.
    server.clock.advance(second * 2);
    writer::spawn_until(state, std::future::pending());
    // The server's clock stands still: a retry (a send timed out under load, a busy database)
    // would wait for it forever. Moved by the backoff's maximum every 500 ms, any retry is due.
    let rows = || async {
        sqlx::query_as::<_, (String, String, i64, Option<String>)>(
            "SELECT subject_id, state, attempts, last_error FROM outbox \
             WHERE channel = 'caldav' ORDER BY occurred_at, id",
        )
        .fetch_all(&server.db)
        .await
        .expect("outbox")
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut moved_at = Instant::now();
    let rows = loop {
        let rows = rows().await;
        if rows.iter().all(|r| r.1 != "pending" && r.1 != "delivering") {
            break rows;
        }
        assert!(
            Instant::now() < deadline,
            "calendar writes not done (subject, state, attempts, last error): {rows:#?}"
        );
        if moved_at.elapsed() >= Duration::from_millis(500) {
            server.clock.advance(second * 2);
            moved_at = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    let failed: Vec<_> = rows.iter().filter(|r| r.1 == "failed").collect();
    assert!(failed.is_empty(), "failed calendar writes: {failed:#?}");
    // The rows of `three` and `five` committed first but read the later clock: they reach the
    // worker after the newer versions, and are finished unsent, saying so, not counted as attempts.
    let mut skipped = Vec::new();
    for (subject, state, attempts, error) in &rows {
        if state == "skipped" {
            let (applied,): (i64,) =
                sqlx::query_as("SELECT applied_seq FROM calendar_events WHERE appointment_id = $1")
                    .bind(subject)
                    .fetch_one(&server.db)
                    .await
                    .expect("calendar_events");
            let reason = format!("superseded by version {applied}");
            assert_eq!(error.as_deref(), Some(reason.as_str()), "{rows:#?}");
            assert_eq!(*attempts, 0, "{rows:#?}");
            skipped.push(subject.as_str());
        }
    }
    let ids = [&moved, &cancelled].map(|b| b["id"].as_str().expect("id"));
    skipped.sort_unstable();
    let mut expected = ids.to_vec();
    expected.sort_unstable();
    assert_eq!(skipped, expected, "{rows:#?}");
    assert_eq!(
        rows.iter().filter(|r| r.1 == "succeeded").count(),
        4,
        "{rows:#?}"
    );
    // The last committed versions: moved to `four`, the other one cancelled (not brought back).
    let copies: Vec<WrittenEvent> = dav
        .events("/test/work/")
        .await
        .iter()
        .map(|t| parse_copy(t))
        .collect();
    let id = moved["id"].as_str().expect("id");
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert_eq!(copies[0].uid, format!("demo-{id}@booking-server"));
    assert_eq!(copies[0].start, four, "{copies:?}");
    let (_, gone) = call(
        &server,
        Method::GET,
        &format!("/appointments/{}", cancelled["id"].as_str().expect("id")),
        None,
    )
    .await;
    assert!(
        gone["synchronization"]["caldavCalendar"].is_null(),
        "{gone}"
    );
}

/// A CalDAV server whose answers the test times: the `n`th `PUT`, for `n` in `held`, waits for
/// `release[n]`, then is stored with ETag `"held-n"`; the others answer at once, stored
/// (`"put-n"`) while `healthy`, a 500 otherwise. Other requests (the refresher's reads) are 404:
/// only writes matter here.
struct GatedDav {
    url: String,
    puts: Arc<AtomicUsize>,
    release: std::collections::HashMap<usize, Arc<tokio::sync::Notify>>,
    healthy: Arc<std::sync::atomic::AtomicBool>,
}

async fn gated_dav(healthy: bool, held: &[usize]) -> GatedDav {
    let puts = Arc::new(AtomicUsize::new(0));
    let release: std::collections::HashMap<_, _> = held
        .iter()
        .map(|&n| (n, Arc::new(tokio::sync::Notify::new())))
        .collect();
    let healthy = Arc::new(std::sync::atomic::AtomicBool::new(healthy));
    let (p, r, h) = (puts.clone(), release.clone(), healthy.clone());
    let app = axum::Router::new().fallback(move |method: axum::http::Method| {
        let (puts, release, healthy) = (p.clone(), r.clone(), h.clone());
        async move {
            if method != axum::http::Method::PUT {
                return StatusCode::NOT_FOUND.into_response();
            }
            let n = puts.fetch_add(1, Ordering::SeqCst) + 1;
            let etag = match release.get(&n) {
                Some(gate) => {
                    gate.notified().await;
                    format!("\"held-{n}\"")
                }
                None if healthy.load(Ordering::SeqCst) => format!("\"put-{n}\""),
                None => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            };
            (StatusCode::CREATED, [(header::ETAG, etag)]).into_response()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    GatedDav {
        url: format!("http://{addr}/cal/"),
        puts,
        release,
        healthy,
    }
}

/// Polls `f` every 25 ms until it gives a value (10 s at most).
async fn poll<T, F: std::future::Future<Output = Option<T>>>(what: &str, f: impl Fn() -> F) -> T {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(value) = f().await {
            return value;
        }
        assert!(Instant::now() < deadline, "still waiting for {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A server for the gated tests: sends may wait as long as the test's steps take (the writer's
/// real-time limit, 5 s elsewhere, would end a held `PUT` under load), and the lease, by the
/// server's clock, ends only when the test moves it past 600 s.
async fn gated_server() -> TestServer {
    let (server, state) = server_timed(true, true, |t| {
        t.lease = Duration::from_secs(600);
        t.timeout = Duration::from_secs(300);
        t.max_in_flight = 2;
    })
    .await;
    writer::spawn_until(state, std::future::pending());
    server
}

async fn puts(dav: &GatedDav, n: usize) {
    poll(&format!("PUT #{n}"), || async {
        (dav.puts.load(Ordering::SeqCst) >= n).then_some(())
    })
    .await;
}

/// The stored ETag of `appointment`'s copy, if any.
async fn stored_etag(server: &TestServer, appointment: &str) -> Option<String> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT etag FROM calendar_events WHERE appointment_id = $1")
            .bind(appointment)
            .fetch_optional(&server.db)
            .await
            .expect("calendar_events");
    row.and_then(|(etag,)| etag)
}

#[tokio::test]
async fn a_writer_whose_lease_ran_out_does_not_record_its_copy_over_the_next_one() {
    let dav = gated_dav(true, &[1, 3]).await;
    let server = gated_server().await;
    connect(&server, "camille", caldav(&dav.url)).await;
    let free: Vec<_> = slots(&server, "2027-03-17", "2027-03-17")
        .await
        .into_iter()
        .collect();
    let booked = book(&server, (SERVICE, "camille"), free[0], "ada@example.com").await;
    let id = booked["id"].as_str().expect("id");
    puts(&dav, 1).await;
    // The first attempt hangs past its lease (600 s by the server's clock): the row is taken back
    // and written again, and that second write is the one recorded.
    server.clock.advance(chrono::Duration::seconds(601));
    let second = poll("the second write recorded", || async {
        stored_etag(&server, id).await
    })
    .await;
    assert_eq!(second, "\"put-2\"");
    // Both of the writer's two places taken: the first attempt, and another booking's held PUT.
    book(&server, (SERVICE, "camille"), free[6], "grace@example.com").await;
    puts(&dav, 3).await;
    // The first attempt's answer arrives now; it lost the row, so it must record nothing.
    dav.release[&1].notify_one();
    let (attempts,): (i64,) = poll("the lost attempt logged", || async {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM outbox_attempts a JOIN outbox o ON o.id = a.message_id \
             WHERE o.channel = 'caldav' AND o.subject_id = $1",
        )
        .bind(id)
        .fetch_one(&server.db)
        .await
        .expect("attempts");
        (n >= 2).then_some((n,))
    })
    .await;
    assert_eq!(
        attempts, 2,
        "the interrupted attempt and the one that succeeded"
    );
    // A third booking's PUT is sent only once a place is free, and the only one that can free is
    // the first attempt's, after it recorded what it would (its task ends with the recording).
    book(
        &server,
        (SERVICE, "camille"),
        free[free.len() - 1],
        "hedy@example.com",
    )
    .await;
    puts(&dav, 4).await;
    assert_eq!(stored_etag(&server, id).await.as_deref(), Some("\"put-2\""));
    dav.release[&3].notify_one();
}

#[tokio::test]
async fn a_write_error_is_cleared_only_by_a_write_attempted_after_it() {
    let dav = gated_dav(false, &[1]).await;
    let server = gated_server().await;
    let connection = connect(&server, "camille", caldav(&dav.url)).await;
    let free: Vec<_> = slots(&server, "2027-03-17", "2027-03-17")
        .await
        .into_iter()
        .collect();
    let slow = book(&server, (SERVICE, "camille"), free[0], "ada@example.com").await;
    puts(&dav, 1).await;
    let failing = book(&server, (SERVICE, "camille"), free[6], "grace@example.com").await;
    let failed = wait_for(&server, &connection, |c| {
        c["status"]["lastWriteError"].is_string()
    })
    .await;
    // The slow write started before that failure: its success says nothing of it.
    dav.release[&1].notify_one();
    let slow_id = slow["id"].as_str().expect("id");
    poll("the slow write recorded", || async {
        stored_etag(&server, slow_id).await
    })
    .await;
    let after = wait_for(&server, &connection, |c| {
        c["status"]["lastWriteError"].is_string()
    })
    .await;
    assert_eq!(
        after["status"]["lastWriteError"], failed["status"]["lastWriteError"],
        "{after}"
    );
    // The calendar works again: the failed write's retry (after its backoff) clears the error.
    dav.healthy.store(true, Ordering::SeqCst);
    server.clock.advance(chrono::Duration::seconds(10));
    let failing_id = failing["id"].as_str().expect("id");
    poll("the retried write recorded", || async {
        stored_etag(&server, failing_id).await
    })
    .await;
    wait_for(&server, &connection, |c| {
        c["status"]["lastWriteError"].is_null()
    })
    .await;
}

#[tokio::test]
async fn personal_appointment_sync_is_kept_shown_and_honoured_by_a_write_that_omits_it() {
    let dav = Radicale::start().await;
    let calendar = dav.make_calendar("work").await;
    let server = server(true, true).await;
    let connection = connect(&server, "camille", caldav(&calendar)).await;
    wait_for(&server, &connection, synced_at(server.clock.now())).await;
    let personal = json!({
        "type": "personal", "staff": {"id": "camille"}, "notes": "Dentist",
        "start": {"dateTime": "2027-03-17T10:00:00", "timeZone": "Europe/Paris"},
        "end": {"dateTime": "2027-03-17T11:00:00", "timeZone": "Europe/Paris"},
    });
    let (status, created) = call(
        &server,
        Method::POST,
        "/appointments?personalAppointmentSync=false",
        Some(&personal),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    // The write's own answer shows it as GET does.
    assert_eq!(
        created["synchronization"]["personalAppointmentSync"],
        json!(false),
        "{created}"
    );
    let id = created["id"].as_str().expect("id");
    let path = format!("/appointments/{id}");
    let (_, read) = call(&server, Method::GET, &path, None).await;
    assert_eq!(
        read["synchronization"]["personalAppointmentSync"],
        json!(false),
        "{read}"
    );
    // Edited without the parameter: still kept out of the calendar.
    let (status, body) = call(
        &server,
        Method::PUT,
        &path,
        Some(&json!({"notes": "Dentist, then lunch"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["synchronization"]["personalAppointmentSync"],
        json!(false),
        "{body}"
    );
    let (planned,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE channel = 'caldav' AND subject_id = $1")
            .bind(id)
            .fetch_one(&server.db)
            .await
            .expect("count");
    assert_eq!(planned, 0, "nothing planned for an appointment kept out");
    let (_, read) = call(&server, Method::GET, &path, None).await;
    assert_eq!(
        read["synchronization"]["personalAppointmentSync"],
        json!(false)
    );
    // Given again (true): written, and shown so.
    let (status, body) = call(
        &server,
        Method::PUT,
        &format!("{path}?personalAppointmentSync=true"),
        Some(&json!({"notes": "Dentist"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let copies = wait_copies(&dav, "/test/work/", |c| c.len() == 1).await;
    assert_eq!(copies[0].uid, format!("demo-{id}@booking-server"));
    let (_, read) = call(&server, Method::GET, &path, None).await;
    assert_eq!(
        read["synchronization"]["personalAppointmentSync"],
        json!(true)
    );
}
