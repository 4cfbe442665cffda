//! Free slots, booking, reschedule, cancel and the double-booking guarantee, over real HTTP against a
//! real SQLite file.

mod support;

use booking_model::{ErrorBody, Form, FreeSlotsResponse, PublicAppointment, Service};
use booking_server::clock::Clock;
use booking_server::db::business::{self, Collection};
use chrono::{DateTime, Days};
use reqwest::Method;
use serde_json::{json, Value};
use support::TestServer;

const DEMO: &str = "/api/2.1/scheduling/companies/demo";

/// The demo company on a server whose "now" is a Monday morning (08:00 in Paris): the slot a test
/// finds is still bookable when it books it, whatever today's date and hour (no race with the
/// 2-hour notice), and every answer is the same on every run.
async fn demo_server() -> TestServer {
    let monday = DateTime::parse_from_rfc3339("2031-06-02T06:00:00Z").expect("instant");
    TestServer::with_clock(Clock::fixed(monday.to_utc())).await
}

/// The server's next two weeks, as freeSlots wants them.
fn next_two_weeks(server: &TestServer) -> (String, String) {
    let today = server.clock.now().date_naive();
    (today.to_string(), (today + Days::new(13)).to_string())
}

async fn slots(
    server: &TestServer,
    service: &str,
    staff: Option<&str>,
    zone: &str,
) -> FreeSlotsResponse {
    let (from, to) = next_two_weeks(server);
    let staff = staff.map(|s| format!("&staffId={s}")).unwrap_or_default();
    let (status, body) = server
        .get_json(&format!(
            "{DEMO}/widget/freeSlots?startDate={from}&endDate={to}&serviceId={service}{staff}&timeZone={zone}&lang=en"
        ))
        .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).expect("free slots")
}

async fn first_slot(server: &TestServer, service: &str, staff: Option<&str>) -> String {
    slots(server, service, staff, "Europe/Paris")
        .await
        .items
        .iter()
        .flat_map(|d| d.slots.clone())
        .next()
        .expect("a free slot in the next two weeks")
}

/// A complete booking of the demo form, as the widget sends it.
fn booking(service: &str, staff: Option<&str>, start: &str, email: &str) -> Value {
    support::demo_booking(service, staff, start, email)
}

#[tokio::test]
async fn free_slots_are_listed_per_day_in_the_requested_zone() {
    let server = demo_server().await;
    let paris = slots(&server, "haircut", Some("camille"), "Europe/Paris").await;
    assert_eq!(paris.items.len(), 14, "every day of the range is listed");
    assert_eq!(
        paris.service.as_ref().and_then(|s| s.name.as_deref()),
        Some("Haircut & blow-dry")
    );
    // Camille works Monday to Friday only.
    for day in &paris.items {
        use chrono::Datelike;
        if day.day.weekday().number_from_monday() >= 6 {
            assert!(day.slots.is_empty(), "no slots on {}", day.day);
        }
    }
    let first = paris
        .items
        .iter()
        .flat_map(|d| d.slots.clone())
        .next()
        .expect("a slot");
    let new_york = slots(&server, "haircut", Some("camille"), "America/New_York").await;
    let ny_first = new_york
        .items
        .iter()
        .flat_map(|d| d.slots.clone())
        .next()
        .expect("a slot");
    let (a, b) = (
        chrono::DateTime::parse_from_rfc3339(&first).expect("rfc3339"),
        chrono::DateTime::parse_from_rfc3339(&ny_first).expect("rfc3339"),
    );
    assert_eq!(a, b, "same instant whatever the zone");
    assert_ne!(
        a.offset(),
        b.offset(),
        "but written in the requested zone: {first} vs {ny_first}"
    );
}

#[tokio::test]
async fn free_slots_reject_bad_parameters_naming_them() {
    let server = demo_server().await;
    let cases = [
        (
            "startDate=2026-13-01&endDate=2026-12-02&serviceId=haircut",
            "startDate",
        ),
        ("endDate=2026-12-02&serviceId=haircut", "startDate"),
        (
            "startDate=2026-12-05&endDate=2026-12-01&serviceId=haircut",
            "endDate",
        ),
        (
            "startDate=2026-12-01&endDate=2027-03-01&serviceId=haircut",
            "endDate",
        ),
        ("startDate=2026-12-01&endDate=2026-12-02", "serviceId"),
        (
            "startDate=2026-12-01&endDate=2026-12-02&serviceId=haircut&timeZone=Mars/Base",
            "timeZone",
        ),
    ];
    for (query, field) in cases {
        let (status, body) = server
            .get_json(&format!("{DEMO}/widget/freeSlots?{query}"))
            .await;
        // Rules between parameters (order, range, one of two) are what the document cannot say.
        let want = if ["endDate", "serviceId"].contains(&field) {
            422
        } else {
            400
        };
        assert_eq!(status, want, "{query}: {body}");
        let error: ErrorBody = serde_json::from_value(body).expect("error shape");
        assert_eq!(error.error.fields[0].name, field, "{query}");
    }
    let (status, _) = server
        .get_json(&format!(
            "{DEMO}/widget/freeSlots?startDate=2026-12-01&endDate=2026-12-02&serviceId=nope"
        ))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_form_of_a_service_is_public() {
    let server = demo_server().await;
    let (status, body) = server
        .get_json(&format!("{DEMO}/widget/form?serviceId=haircut"))
        .await;
    assert_eq!(status, 200);
    let form: Form = serde_json::from_value(body).expect("a form");
    assert_eq!(form.contact_fields.len(), 4);
    assert_eq!(form.additional_fields.len(), 2, "two pages");
    let (status, body) = server.get_json(&format!("{DEMO}/widget/form")).await;
    assert_eq!(
        status, 422,
        "serviceId or resourceId: one of two parameters"
    );
    assert_eq!(body["error"]["fields"][0]["name"], "serviceId");
}

/// A server keeps each company's catalogue and forms only while the database's setup version is
/// the one it read them with: a change written by someone else than this server's routes (another
/// node, an `admin` command; here straight through the writer) reaches the very next request.
#[tokio::test]
async fn a_setup_change_written_elsewhere_reaches_the_next_request() {
    let server = demo_server().await;
    // Read through the widget routes first, so that the demo's setup is cached.
    first_slot(&server, "haircut", Some("camille")).await;
    let (from, to) = next_two_weeks(&server);
    let trio_slots = format!(
        "{DEMO}/widget/freeSlots?startDate={from}&endDate={to}&serviceId=trio&staffId=camille&timeZone=Europe/Paris"
    );
    let (status, body) = server.get_json(&trio_slots).await;
    assert_eq!(status, 404, "no such service yet: {body}");
    let (_, body) = server
        .get_json(&format!("{DEMO}/widget/form?serviceId=haircut"))
        .await;
    let mut form: Form = serde_json::from_value(body).expect("a form");

    let trio: Service = serde_json::from_value(json!({
        "id": "trio", "name": "Small group", "duration": 60, "capacity": 3, "price": 10,
        "staff": [{"id": "camille"}], "useCompanyWorkingHours": true
    }))
    .expect("service");
    business::put_doc(
        server.db.writer(),
        Collection::Services,
        "demo",
        "trio",
        None,
        9,
        &trio,
    )
    .await
    .expect("insert service");
    form.name = Some("Renamed elsewhere".to_owned());
    let form_id = form.id.clone().expect("form id");
    business::put_doc(
        server.db.writer(),
        Collection::Forms,
        "demo",
        &form_id,
        None,
        0,
        &form,
    )
    .await
    .expect("update form");

    let start = first_slot(&server, "trio", Some("camille")).await;
    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &booking("trio", Some("camille"), &start, "trio@example.com"),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (_, body) = server
        .get_json(&format!("{DEMO}/widget/form?serviceId=haircut"))
        .await;
    assert_eq!(body["name"], "Renamed elsewhere", "{body}");
}

/// The catalogue cache is right only while every write to the setup tables bumps the setup
/// version (migration 0017's triggers): an insert, an update and a delete on each table, on either
/// database, whoever writes them.
#[tokio::test]
async fn every_write_to_a_setup_table_bumps_the_setup_version() {
    let server = demo_server().await;
    let version = || async {
        let (value,): (i64,) = sqlx::query_as("SELECT value FROM counters WHERE name = 'setup'")
            .fetch_one(&server.db)
            .await
            .expect("setup version");
        value
    };
    let copy = |table: &str| match table {
        "companies" => "INSERT INTO companies (id, doc, created_at, updated_at) \
             SELECT 'probe', doc, created_at, updated_at FROM companies WHERE id = 'demo'"
            .to_owned(),
        _ => format!(
            "INSERT INTO {table} (company_id, id, position, doc) \
             SELECT company_id, 'probe', position, doc FROM {table} \
             WHERE company_id = 'demo' ORDER BY id LIMIT 1"
        ),
    };
    for table in ["companies", "services", "staff", "resources", "forms"] {
        let statements = [
            copy(table),
            format!("UPDATE {table} SET doc = doc WHERE id = 'probe'"),
            format!("DELETE FROM {table} WHERE id = 'probe'"),
        ];
        for statement in statements {
            let before = version().await;
            let done = sqlx::query(&statement)
                .execute(server.db.writer())
                .await
                .expect(&statement);
            assert_eq!(done.rows_affected(), 1, "{statement}");
            assert!(version().await > before, "not counted: {statement}");
        }
    }
}

#[tokio::test]
async fn a_visitor_books_views_and_the_slot_is_gone() {
    let server = demo_server().await;
    let start = first_slot(&server, "haircut", Some("camille")).await;
    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &booking("haircut", Some("camille"), &start, "ada@example.com"),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let booked: PublicAppointment =
        serde_json::from_value(body.clone()).expect("public appointment");
    assert_eq!(booked.status.map(|s| s.as_str()), Some("accepted"));
    assert_eq!(
        booked.staff.as_ref().and_then(|s| s.id.as_deref()),
        Some("camille")
    );
    assert_eq!(
        booked
            .extended_properties
            .as_ref()
            .and_then(|e| e.get("campaign")),
        Some(&json!("winter"))
    );
    assert_eq!(booked.price.map(|p| p.amount), Some(55.0));
    assert!(booked.reference.as_deref().is_some_and(|r| r.len() == 9));
    let link = booked
        .reschedule_link
        .as_ref()
        .and_then(|l| l.url.clone())
        .expect("reschedule link");
    let encrypted = booked.encrypted_id.clone().expect("encrypted id");
    assert!(link.contains(&encrypted));
    assert!(
        body.get("client").is_none() && body.get("form").is_none(),
        "no private data back: {body}"
    );
    let local = booked.start.as_ref().expect("start");
    assert_eq!(local.time_zone.as_deref(), Some("Europe/Paris"));

    // The slot is no longer offered for Camille, and booking it again is a 409.
    let after = slots(&server, "haircut", Some("camille"), "Europe/Paris").await;
    assert!(!after.items.iter().any(|d| d.slots.contains(&start)));
    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &booking("haircut", Some("camille"), &start, "grace@example.com"),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    let error: ErrorBody = serde_json::from_value(body).expect("error shape");
    assert!(
        error.error.message.contains("choose another time"),
        "{}",
        error.error.message
    );
    assert_eq!(
        error.reason(),
        Some("slotTaken"),
        "a machine-readable reason for the widget"
    );

    let (status, body) = server
        .get_json(&format!("{DEMO}/widget/appointments/{encrypted}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["reference"], json!(booked.reference));
    let (status, _) = server
        .get_json(&format!("{DEMO}/widget/appointments/not-a-real-id"))
        .await;
    assert_eq!(status, 404);
    let (status, _) = server
        .get_json(&format!(
            "/api/2.1/scheduling/companies/other/widget/appointments/{encrypted}"
        ))
        .await;
    assert_eq!(status, 404, "another company's path never finds it");
}

/// A staff member named by externalId is the same calendar: a slot booked with hugo is not free
/// for `HR-0042` (hugo's externalId). The availability read once filtered bookings by the id as
/// sent, and found none of hugo's.
#[tokio::test]
async fn a_staff_member_named_by_external_id_sees_their_bookings() {
    let server = demo_server().await;
    let start = first_slot(&server, "haircut", Some("hugo")).await;
    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &booking("haircut", Some("hugo"), &start, "a@example.com"),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &booking("haircut", Some("HR-0042"), &start, "b@example.com"),
        )
        .await;
    assert_eq!(status, 409, "the slot is hugo's already: {body}");
}

#[tokio::test]
async fn any_staff_picks_someone_free_and_validation_names_fields() {
    let server = demo_server().await;
    let start = first_slot(&server, "haircut", None).await;
    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &booking("haircut", None, &start, "a@example.com"),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert!(body["staff"]["id"].is_string());

    let mut missing = booking("haircut", None, &start, "b@example.com");
    missing["form"]["additionalFields"][1] = json!([{"id": "zip", "value": "7501"}]);
    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &missing,
        )
        .await;
    assert_eq!(
        status, 422,
        "answers that do not fit the service's form: {body}"
    );
    let error: ErrorBody = serde_json::from_value(body).expect("error shape");
    let names: Vec<_> = error.error.fields.iter().map(|f| f.name.as_str()).collect();
    assert!(
        names
            .iter()
            .any(|n| n.contains("[1]") && n.ends_with(".value")),
        "zip pattern: {names:?}"
    );
    assert!(
        names.iter().any(|n| n.contains("additionalFields[1]")),
        "consent missing: {names:?}"
    );

    let mut bad_email = booking("haircut", None, &start, "not-an-email");
    bad_email["start"] = json!(start);
    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &bad_email,
        )
        .await;
    assert_eq!(status, 400);
    assert!(body["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .any(|f| f["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("form.contactFields[2]"))));

    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &json!({"serviceId": "haircut"}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["fields"][0]["name"], "start");
}

#[tokio::test]
async fn services_needing_validation_start_pending() {
    let server = demo_server().await;
    let start = first_slot(&server, "consult", None).await;
    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &booking("consult", None, &start, "c@example.com"),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"], "pending");
    assert_eq!(body["location"], "videoconference");
}

/// What a calendar reads in the widget's `.ics` download, parsed by a real iCalendar parser.
struct CalendarFile {
    method: String,
    uid: String,
    sequence: u32,
    status: String,
    /// `DTSTART` as `TZID:local`.
    start: String,
    has_alarm: bool,
    description: String,
}

async fn calendar_file(server: &TestServer, path: &str) -> CalendarFile {
    calendar_file_in(server, path, "").await
}

/// The calendar file with `query` (e.g. `?lang=fr`) after its address.
async fn calendar_file_in(server: &TestServer, path: &str, query: &str) -> CalendarFile {
    let response = server
        .client
        .get(format!("{}{path}/calendar.ics{query}", server.base))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let text = icalendar::parser::unfold(&response.text().await.expect("text"));
    let calendar = icalendar::parser::read_calendar(&text).expect("a valid iCalendar file");
    let method = calendar
        .properties
        .iter()
        .find(|p| p.name == "METHOD")
        .expect("METHOD");
    assert!(
        calendar
            .components
            .iter()
            .any(|c| c.name == "VTIMEZONE" && c.components.len() == 2),
        "Paris: its STANDARD and DAYLIGHT rules"
    );
    let event = calendar
        .components
        .iter()
        .find(|c| c.name == "VEVENT")
        .expect("VEVENT");
    let value = |name: &str| event.find_prop(name).expect(name).val.as_str().to_owned();
    let start = event.find_prop("DTSTART").expect("DTSTART");
    let tzid = start.params.iter().find(|p| p.key == "TZID").expect("TZID");
    CalendarFile {
        method: method.val.as_str().to_owned(),
        uid: value("UID"),
        sequence: value("SEQUENCE").parse().expect("SEQUENCE"),
        status: value("STATUS"),
        description: value("DESCRIPTION"),
        start: format!(
            "{}:{}",
            tzid.val.as_ref().expect("zone").as_str(),
            start.val.as_str()
        ),
        has_alarm: event.components.iter().any(|c| c.name == "VALARM"),
    }
}

#[tokio::test]
async fn reschedule_cancel_and_calendar_file() {
    let server = demo_server().await;
    let paris = slots(&server, "haircut", Some("camille"), "Europe/Paris").await;
    // Past the demo's 24-hour cancellation delay, so the visitor may still change it.
    let mut all = paris.items.iter().skip(3).flat_map(|d| d.slots.clone());
    let (first, later) = (all.next().expect("slot"), all.nth(3).expect("another slot"));
    let (_, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &booking("haircut", Some("camille"), &first, "d@example.com"),
        )
        .await;
    let encrypted = body["encryptedId"]
        .as_str()
        .expect("encrypted id")
        .to_owned();
    let path = format!("{DEMO}/widget/appointments/{encrypted}");
    let booked = calendar_file(&server, &path).await;
    assert_eq!(booked.method, "REQUEST");
    assert_eq!(booked.sequence, 0);
    assert!(booked.has_alarm, "a VALARM reminds the client");
    // Its words follow the widget's language (`?lang=`), else English.
    assert!(
        booked.description.starts_with("Reference: "),
        "{}",
        booked.description
    );
    let french = calendar_file_in(&server, &path, "?lang=fr").await;
    assert!(
        french.description.starts_with("Référence"),
        "{}",
        french.description
    );

    let (status, body) = server
        .send_json(Method::PUT, &path, &json!({"start": later}))
        .await;
    assert_eq!(status, 200, "{body}");
    let moved: PublicAppointment = serde_json::from_value(body).expect("appointment");
    let expected = chrono::DateTime::parse_from_rfc3339(&later).expect("rfc3339");
    let local = moved.start.expect("start").parse_local().expect("local");
    assert_eq!(
        local,
        expected.naive_local(),
        "moved to the new Paris wall-clock time"
    );
    let after = slots(&server, "haircut", Some("camille"), "Europe/Paris").await;
    assert!(
        after.items.iter().any(|d| d.slots.contains(&first)),
        "the old slot is free again"
    );
    assert!(
        !after.items.iter().any(|d| d.slots.contains(&later)),
        "the new one is taken"
    );

    let (status, body) = server
        .send_json(Method::PUT, &path, &json!({"start": "tomorrow"}))
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["fields"][0]["name"], "start");

    let moved = calendar_file(&server, &path).await;
    assert_eq!(moved.uid, booked.uid, "the same event, updated");
    assert!(moved.sequence > booked.sequence, "a reschedule supersedes");
    assert_eq!(moved.status, "CONFIRMED");
    assert_eq!(
        moved.start,
        format!("Europe/Paris:{}", expected.format("%Y%m%dT%H%M%S"))
    );

    let (status, body) = server.send_json(Method::DELETE, &path, &json!(null)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "cancelled");
    assert!(
        body.get("rescheduleLink").is_none(),
        "no reschedule link once cancelled"
    );
    let after = slots(&server, "haircut", Some("camille"), "Europe/Paris").await;
    assert!(
        after.items.iter().any(|d| d.slots.contains(&later)),
        "a cancelled booking frees its slot"
    );
    let cancelled = calendar_file(&server, &path).await;
    assert_eq!(cancelled.uid, booked.uid);
    assert_eq!(cancelled.method, "CANCEL");
    assert_eq!(cancelled.status, "CANCELLED");
    assert!(cancelled.sequence > moved.sequence);
    assert!(!cancelled.has_alarm, "a CANCEL carries no alarm");
    let (status, body) = server.send_json(Method::DELETE, &path, &json!(null)).await;
    assert_eq!(status, 409, "cancelling twice is refused");
    assert_eq!(body["error"]["reason"], "alreadyCancelled");
}

#[tokio::test]
async fn booking_posts_are_rate_limited_per_ip() {
    let server = TestServer::with_booking_limit(2).await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let response = server
            .client
            .post(format!("{}{DEMO}/widget/appointments", server.base))
            .json(&json!({}))
            .send()
            .await
            .expect("request");
        statuses.push((
            response.status().as_u16(),
            response.headers().get("retry-after").cloned(),
        ));
    }
    assert_eq!(statuses[0].0, 400);
    assert_eq!(statuses[2].0, 429);
    assert!(statuses[2].1.is_some(), "429 carries Retry-After");
}

/// Fires `n` concurrent bookings at one slot and returns the status codes.
async fn race(server: &TestServer, service: &str, staff: &str, start: &str, n: usize) -> Vec<u16> {
    let mut tasks = Vec::new();
    for i in 0..n {
        let client = server.client.clone();
        let url = format!("{}{DEMO}/widget/appointments", server.base);
        let body = booking(
            service,
            Some(staff),
            start,
            &format!("racer{i}@example.com"),
        );
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .json(&body)
                .send()
                .await
                .expect("request")
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("task"));
    }
    statuses
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_bookings_of_one_slot_capacity_one() {
    let server = demo_server().await;
    let start = first_slot(&server, "haircut", Some("camille")).await;
    let statuses = race(&server, "haircut", "camille", &start, 50).await;
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 409).count(),
        49,
        "{statuses:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_bookings_of_one_slot_capacity_three() {
    let server = demo_server().await;
    let group: Service = serde_json::from_value(json!({
        "id": "trio", "name": "Small group", "duration": 60, "capacity": 3, "price": 10,
        "staff": [{"id": "camille"}], "useCompanyWorkingHours": true
    }))
    .expect("service");
    business::put_doc(
        server.db.writer(),
        Collection::Services,
        "demo",
        "trio",
        None,
        9,
        &group,
    )
    .await
    .expect("insert service");
    let start = first_slot(&server, "trio", Some("camille")).await;
    let statuses = race(&server, "trio", "camille", &start, 50).await;
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 409).count(),
        47,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn a_massage_booked_in_the_widget_holds_its_treatment_room() {
    let server = demo_server().await;
    // A start offered both for the massage and for both room units (the room's own slots follow its
    // opening hours and 60-minute grid, which the massage's need not).
    let (from, to) = next_two_weeks(&server);
    let (_, body) = server
        .get_json(&format!(
            "{DEMO}/widget/freeSlots?startDate={from}&endDate={to}&resourceId=room&resourceCount=2&timeZone=Europe/Paris"
        ))
        .await;
    let room_slots: FreeSlotsResponse = serde_json::from_value(body).expect("room slots");
    let start = slots(&server, "massage", Some("lea"), "Europe/Paris")
        .await
        .items
        .iter()
        .flat_map(|d| d.slots.clone())
        .find(|s| room_slots.items.iter().any(|d| d.slots.contains(s)))
        .expect("a massage start on the room's grid");
    let (status, body) = server
        .send_json(
            Method::POST,
            &format!("{DEMO}/widget/appointments"),
            &booking("massage", Some("lea"), &start, "m@example.com"),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    // The room has 2 units: the massage holds one, so one more unit fits and a second does not.
    let local = chrono::DateTime::parse_from_rfc3339(&start)
        .expect("rfc3339")
        .naive_local();
    let room = |email: &str| {
        json!({
            "client": {"email": email, "firstName": "Room", "lastName": "User"},
            "resource": {"id": "room"}, "resourceCount": 1,
            "start": {"dateTime": local.format("%Y-%m-%dT%H:%M:%S").to_string(), "timeZone": "Europe/Paris"}
        })
    };
    let book_room = |email: &'static str| {
        let client = server.client.clone();
        let url = format!("{}{DEMO}/appointments", server.base);
        async move {
            client
                .post(url)
                .header("apiKey", "demo-api-key")
                .json(&room(email))
                .send()
                .await
                .expect("request")
                .status()
                .as_u16()
        }
    };
    assert_eq!(book_room("r1@example.com").await, 201);
    assert_eq!(
        book_room("r2@example.com").await,
        409,
        "both units are in use"
    );
}

#[tokio::test]
async fn free_slots_of_a_resource_on_its_own() {
    let server = demo_server().await;
    let (from, to) = next_two_weeks(&server);
    let url = |count: &str| {
        format!("{DEMO}/widget/freeSlots?startDate={from}&endDate={to}&resourceId=room&resourceCount={count}&timeZone=Europe/Paris")
    };
    let (status, body) = server.get_json(&url("2")).await;
    assert_eq!(status, 200, "{body}");
    let both: FreeSlotsResponse = serde_json::from_value(body).expect("free slots");
    assert!(
        both.items.iter().any(|d| !d.slots.is_empty()),
        "the room (2 units) has free slots"
    );
    let (_, body) = server.get_json(&url("3")).await;
    let three: FreeSlotsResponse = serde_json::from_value(body).expect("free slots");
    assert!(
        three.items.iter().all(|d| d.slots.is_empty()),
        "3 units of a 2-unit room never fit"
    );
    let (status, body) = server.get_json(&url("0")).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["fields"][0]["name"], "resourceCount");
    let (status, _) = server
        .get_json(&format!(
            "{DEMO}/widget/freeSlots?startDate={from}&endDate={to}&resourceId=attic"
        ))
        .await;
    assert_eq!(status, 404);
}

/// A resource booked on its own (the demo's treatment room, 2 units): listed publicly, its form,
/// booked up to its units and no further, moved, and refused when it does not exist.
#[tokio::test]
async fn a_visitor_books_a_resource_on_its_own() {
    let server = demo_server().await;
    let (status, body) = server.get_json(&format!("{DEMO}/widget/resources")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["items"][0]["id"], "room");
    assert_eq!(body["items"][0]["name"], "Salle de soin");
    assert_eq!(body["items"][0]["count"], 2);
    assert_eq!(
        body["items"][0]["price"],
        json!({"amount": 20.0, "currency": "EUR"})
    );
    assert!(
        body["items"][0].get("workingHours").is_none(),
        "hours stay private"
    );

    let (status, body) = server
        .get_json(&format!("{DEMO}/widget/form?resourceId=room"))
        .await;
    assert_eq!(status, 200, "{body}");
    let form: Form = serde_json::from_value(body).expect("form");
    assert!(form.item("email").is_some(), "the company's form applies");

    let (from, to) = next_two_weeks(&server);
    let (_, body) = server
        .get_json(&format!(
            "{DEMO}/widget/freeSlots?startDate={from}&endDate={to}&resourceId=room&timeZone=Europe/Paris"
        ))
        .await;
    let free: FreeSlotsResponse = serde_json::from_value(body).expect("free slots");
    // Past the 24-hour change delay, so the move below is allowed.
    let mut all = free.items.iter().skip(3).flat_map(|d| d.slots.clone());
    let (start, later) = (
        all.next().expect("a free slot"),
        all.nth(2).expect("another"),
    );
    let room = |start: &str, email: &str| {
        let mut request = booking("", None, start, email);
        request["serviceId"] = Value::Null;
        request["resourceId"] = json!("room");
        request
    };
    let url = format!("{DEMO}/widget/appointments");
    let (status, body) = server
        .send_json(Method::POST, &url, &room(&start, "r1@example.com"))
        .await;
    assert_eq!(status, 201, "{body}");
    let booked: PublicAppointment = serde_json::from_value(body).expect("appointment");
    let resource = booked.resource.as_ref().expect("resource");
    assert_eq!(resource.id.as_deref(), Some("room"));
    assert_eq!(resource.external_id, None);
    assert_eq!(booked.resource_count, Some(1));
    assert_eq!(booked.service, None);
    assert_eq!(booked.staff, None);
    assert_eq!(booked.price.map(|p| p.amount), Some(20.0));
    let end = booked
        .end
        .as_ref()
        .and_then(|e| e.parse_local().ok())
        .expect("end");
    let begin = booked
        .start
        .as_ref()
        .and_then(|s| s.parse_local().ok())
        .expect("start");
    assert_eq!((end - begin).num_minutes(), 60, "the room's duration");

    let (status, body) = server
        .send_json(Method::POST, &url, &room(&start, "r2@example.com"))
        .await;
    assert_eq!(status, 201, "the second unit: {body}");
    let (status, body) = server
        .send_json(Method::POST, &url, &room(&start, "r3@example.com"))
        .await;
    assert_eq!(status, 409, "both units taken: {body}");
    assert_eq!(body["error"]["reason"], "slotTaken");

    let moved_path = format!(
        "{url}/{}",
        booked.encrypted_id.as_deref().expect("encrypted id")
    );
    let (status, body) = server
        .send_json(Method::PUT, &moved_path, &json!({"start": later}))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = server
        .send_json(Method::POST, &url, &room(&start, "r3@example.com"))
        .await;
    assert_eq!(status, 201, "moving one frees a unit: {body}");

    let mut attic = room(&start, "r4@example.com");
    attic["resourceId"] = json!("attic");
    let (status, body) = server.send_json(Method::POST, &url, &attic).await;
    assert_eq!(status, 422, "no such resource");
    assert_eq!(body["error"]["fields"][0]["name"], "resourceId");
    let mut three = room(&start, "r4@example.com");
    three["resourceCount"] = json!(3);
    let (status, body) = server.send_json(Method::POST, &url, &three).await;
    assert_eq!(status, 422, "more units than the resource has");
    assert_eq!(body["error"]["fields"][0]["name"], "resourceCount");
}

#[tokio::test]
async fn a_full_session_takes_waiting_list_entries_when_the_service_allows() {
    let server = demo_server().await;
    let solo: Service = serde_json::from_value(json!({
        "id": "solo", "name": "Solo class", "duration": 60, "capacity": 1, "waitingList": true,
        "staff": [{"id": "camille"}], "useCompanyWorkingHours": true
    }))
    .expect("service");
    business::put_doc(
        server.db.writer(),
        Collection::Services,
        "demo",
        "solo",
        None,
        9,
        &solo,
    )
    .await
    .expect("insert service");
    let start = first_slot(&server, "solo", Some("camille")).await;
    let url = format!("{DEMO}/widget/appointments");
    let (status, _) = server
        .send_json(
            Method::POST,
            &url,
            &booking("solo", Some("camille"), &start, "first@example.com"),
        )
        .await;
    assert_eq!(status, 201);
    let (status, body) = server
        .send_json(
            Method::POST,
            &url,
            &booking("solo", Some("camille"), &start, "second@example.com"),
        )
        .await;
    assert_eq!(
        status, 409,
        "full, and this visitor did not ask for the waiting list: {body}"
    );
    let mut waiting = booking("solo", Some("camille"), &start, "third@example.com");
    waiting["addToWaitingList"] = json!(true);
    let (status, body) = server.send_json(Method::POST, &url, &waiting).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["addToWaitingList"], true);
    // A second seat opens: it is free, because the waiting entry holds none (counted as a seat,
    // it would fill the class again and this booking would be refused).
    let mut two_seats = solo.clone();
    two_seats.capacity = Some(2);
    business::put_doc(
        server.db.writer(),
        Collection::Services,
        "demo",
        "solo",
        None,
        9,
        &two_seats,
    )
    .await
    .expect("update service");
    let (status, body) = server
        .send_json(
            Method::POST,
            &url,
            &booking("solo", Some("camille"), &start, "fourth@example.com"),
        )
        .await;
    assert_eq!(status, 201, "the waiting list takes no seat: {body}");
    assert_ne!(body["addToWaitingList"], true, "{body}");
}
