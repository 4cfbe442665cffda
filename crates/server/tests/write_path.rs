//! The write path shared by widget bookings and the Appointments API, on a server whose clock is set
//! (Monday 2 June 2031, 08:00 in Paris), so nothing here depends on today's date: ignored `end`s,
//! client matching, read-only `service-resource`, iterations, the waiting list and its promotion,
//! the change delays, and staff hidden from the widget.

mod support;

use booking_server::clock::Clock;
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{json, Value};
use support::TestServer;

const DEMO: &str = "/api/2.1/scheduling/companies/demo";
const KEY: &str = support::DEMO_KEY;

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("instant")
        .with_timezone(&Utc)
}

/// Monday 2 June 2031, 08:00 in Paris.
fn monday_morning() -> DateTime<Utc> {
    instant("2031-06-02T06:00:00Z")
}

async fn server() -> TestServer {
    TestServer::with_clock(Clock::fixed(monday_morning())).await
}

async fn api(
    server: &TestServer,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    server.api(method, &format!("{DEMO}{path}"), body).await
}

fn at(local: &str) -> Value {
    json!({"dateTime": local, "timeZone": "Europe/Paris"})
}

/// An Appointments API insert of `service` for a client known by `email`.
fn appointment(service: &str, staff: Option<&str>, start: &str, email: &str) -> Value {
    let mut body = json!({
        "client": {"firstName": "Ada", "lastName": "Lovelace", "email": email},
        "service": {"id": service},
        "start": at(start),
    });
    if let Some(staff) = staff {
        body["staff"] = json!({"id": staff});
    }
    body
}

/// A widget booking of the demo form.
fn visit(service: &str, staff: Option<&str>, start: &str, email: &str) -> Value {
    support::demo_booking(service, staff, start, email)
}

async fn widget(server: &TestServer, method: Method, path: &str, body: &Value) -> (u16, Value) {
    server
        .send_json(method, &format!("{DEMO}/widget{path}"), body)
        .await
}

/// `dateTime` of a stored start or end.
fn local(value: &Value) -> &str {
    value["dateTime"].as_str().expect("dateTime")
}

#[tokio::test]
async fn a_get_then_put_with_a_new_start_and_the_old_end_moves_the_whole_appointment() {
    let server = server().await;
    let (status, a) = api(
        &server,
        Method::POST,
        "/appointments",
        Some(&appointment(
            "haircut",
            Some("camille"),
            "2031-06-04T09:45:00",
            "ada@example.com",
        )),
    )
    .await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(
        local(&a["end"]),
        "2031-06-04T10:30:00",
        "start + 45 minutes"
    );
    let id = a["id"].as_str().expect("id");
    let (_, mut got) = api(&server, Method::GET, &format!("/appointments/{id}"), None).await;
    got["start"] = at("2031-06-04T14:15:00");
    let (status, moved) = api(
        &server,
        Method::PUT,
        &format!("/appointments/{id}"),
        Some(&got),
    )
    .await;
    assert_eq!(status, 200, "the stale end is ignored: {moved}");
    assert_eq!(local(&moved["start"]), "2031-06-04T14:15:00");
    assert_eq!(local(&moved["end"]), "2031-06-04T15:00:00");

    // An end before the start of a normal appointment is ignored too, never a 400.
    let mut odd = appointment(
        "haircut",
        Some("camille"),
        "2031-06-04T11:15:00",
        "b@example.com",
    );
    odd["end"] = at("2020-01-01T00:00:00");
    let (status, body) = api(&server, Method::POST, "/appointments", Some(&odd)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(local(&body["end"]), "2031-06-04T12:00:00");
}

#[tokio::test]
async fn what_is_sent_about_a_client_matched_by_email_is_kept() {
    let server = server().await;
    let first = appointment(
        "haircut",
        Some("camille"),
        "2031-06-04T09:00:00",
        "ada@example.com",
    );
    let (status, a) = api(&server, Method::POST, "/appointments", Some(&first)).await;
    assert_eq!(status, 201, "{a}");
    let client_id = a["client"]["id"].clone();

    let mut second = appointment(
        "haircut",
        Some("camille"),
        "2031-06-04T09:45:00",
        "ADA@example.com",
    );
    second["client"] = json!({
        "email": "ADA@example.com", "externalId": "CRM-7", "firstName": "Augusta",
        "phone": "+33 6 12 34 56 78", "timeZone": "Europe/London"
    });
    let (status, b) = api(&server, Method::POST, "/appointments", Some(&second)).await;
    assert_eq!(status, 201, "{b}");
    assert_eq!(
        b["client"]["id"], client_id,
        "the same client, matched by email"
    );
    assert_eq!(b["client"]["externalId"], "CRM-7");
    assert_eq!(b["client"]["firstName"], "Augusta");
    assert_eq!(b["client"]["lastName"], "Lovelace", "kept when not sent");
    assert_eq!(b["client"]["phone"], "+33 6 12 34 56 78");
    assert_eq!(b["client"]["timeZone"], "Europe/London");
    let (status, list) = api(
        &server,
        Method::GET,
        "/appointments?externalClientId=CRM-7&startDate=2031-06-01T00:00:00Z&endDate=2031-06-30T00:00:00Z",
        None,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2), "{list}");

    // A PUT with only a first name edits that client; it doesn't make a new one.
    let id = a["id"].as_str().expect("id");
    let (status, edited) = api(
        &server,
        Method::PUT,
        &format!("/appointments/{id}"),
        Some(&json!({"client": {"firstName": "Ada Augusta"}})),
    )
    .await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["client"]["id"], client_id);
    assert_eq!(edited["client"]["firstName"], "Ada Augusta");
    assert_eq!(edited["client"]["email"], "ada@example.com");
    let (_, clients) = api(&server, Method::GET, "/clients", None).await;
    let count = clients["items"].as_array().map(Vec::len);
    assert_eq!(count, Some(1), "no orphan client: {clients}");
    let (_, client) = api(
        &server,
        Method::GET,
        &format!("/clients/{}", client_id.as_str().unwrap_or_default()),
        None,
    )
    .await;
    assert_eq!(
        client["firstName"], "Ada Augusta",
        "the edit reached the client: {client}"
    );
}

#[tokio::test]
async fn service_resource_is_read_only() {
    let server = server().await;
    // The massage holds one of the room's two units while it runs.
    let mut massage = appointment(
        "massage",
        Some("lea"),
        "2031-06-04T10:00:00",
        "m@example.com",
    );
    massage["service-resource"] = json!([{"id": "elsewhere"}]);
    let (status, a) = api(&server, Method::POST, "/appointments", Some(&massage)).await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(
        a["service-resource"],
        json!([{"id": "room", "name": "Salle de soin"}])
    );
    let id = a["id"].as_str().expect("id");
    let (status, a) = api(
        &server,
        Method::PUT,
        &format!("/appointments/{id}"),
        Some(&json!({"service-resource": [{"id": "elsewhere"}], "notes": "quiet please"})),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(
        a["service-resource"],
        json!([{"id": "room", "name": "Salle de soin"}])
    );
    // So the massage still holds its unit: two more units don't fit, one does.
    let room = |units: u32, email: &str| {
        json!({"client": {"email": email}, "resource": {"id": "room"}, "resourceCount": units,
               "start": at("2031-06-04T10:00:00")})
    };
    let (status, body) = api(
        &server,
        Method::POST,
        "/appointments",
        Some(&room(2, "r@example.com")),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = api(
        &server,
        Method::POST,
        "/appointments",
        Some(&room(1, "r@example.com")),
    )
    .await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn iterations_of_a_resource_set_its_length_price_and_availability() {
    let server = server().await;
    let room = json!({"client": {"email": "r@example.com"}, "resource": {"id": "room"},
                      "resourceCount": 2, "iterationCount": 2, "start": at("2031-06-04T10:00:00")});
    let (status, a) = api(&server, Method::POST, "/appointments", Some(&room)).await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(
        local(&a["end"]),
        "2031-06-04T12:00:00",
        "two 60-minute periods"
    );
    assert_eq!(
        a["price"],
        json!({"amount": 80.0, "currency": "EUR"}),
        "20 × 2 units × 2"
    );
    // Both units are taken for both hours.
    let mut later = room.clone();
    later["iterationCount"] = json!(1);
    later["resourceCount"] = json!(1);
    later["start"] = at("2031-06-04T11:00:00");
    let (status, body) = api(&server, Method::POST, "/appointments", Some(&later)).await;
    assert_eq!(status, 409, "{body}");

    // Changing only iterationCount brings its end and price along.
    let id = a["id"].as_str().expect("id");
    let (status, a) = api(
        &server,
        Method::PUT,
        &format!("/appointments/{id}"),
        Some(&json!({"iterationCount": 1})),
    )
    .await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(local(&a["end"]), "2031-06-04T11:00:00");
    assert_eq!(a["price"], json!({"amount": 40.0, "currency": "EUR"}));
    let (status, body) = api(&server, Method::POST, "/appointments", Some(&later)).await;
    assert_eq!(status, 201, "the second hour is free again: {body}");
    let (status, a) = api(
        &server,
        Method::PUT,
        &format!("/appointments/{id}"),
        Some(&json!({"iterationCount": 3})),
    )
    .await;
    assert_eq!(status, 409, "the longer span is checked: {a}");
}

#[tokio::test]
async fn a_widget_cancellation_is_recorded_in_the_visitors_language() {
    let server = server().await;
    let (status, booked) = widget(
        &server,
        Method::POST,
        "/appointments",
        &visit(
            "haircut",
            Some("camille"),
            "2031-06-04T10:30:00+02:00",
            "v@example.com",
        ),
    )
    .await;
    assert_eq!(status, 201, "{booked}");
    let encrypted = booked["encryptedId"].as_str().expect("encryptedId");
    let (status, body) = widget(
        &server,
        Method::DELETE,
        &format!("/appointments/{encrypted}?lang=fr"),
        &Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let id = booked["id"].as_str().expect("id");
    let (_, a) = api(&server, Method::GET, &format!("/appointments/{id}"), None).await;
    let last = a["history"]
        .as_array()
        .and_then(|h| h.last())
        .cloned()
        .expect("entry");
    assert_eq!(last["type"], "cancelled");
    assert_eq!(last["text"], "Rendez-vous annulé");
    assert_eq!(last["source"], "widget");
}

#[tokio::test]
async fn the_widget_refuses_changes_inside_the_cancellation_delay_and_once_over() {
    let server = server().await;
    let (status, booked) = widget(
        &server,
        Method::POST,
        "/appointments",
        &visit(
            "haircut",
            Some("camille"),
            "2031-06-04T10:30:00+02:00",
            "v@example.com",
        ),
    )
    .await;
    assert_eq!(status, 201, "{booked}");
    let path = format!(
        "/appointments/{}",
        booked["encryptedId"].as_str().expect("id")
    );
    // 24 hours before, changes are refused (the haircut's cancellation delay).
    server.clock.set(instant("2031-06-03T09:00:00Z"));
    let (status, body) = widget(&server, Method::DELETE, &path, &Value::Null).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["reason"], "tooLateToChange", "{body}");
    let (status, body) = widget(
        &server,
        Method::PUT,
        &path,
        &json!({"start": "2031-06-04T14:15:00+02:00"}),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["reason"], "tooLateToChange", "{body}");
    // After its end it is over.
    server.clock.set(instant("2031-06-04T09:30:00Z"));
    let (status, body) = widget(&server, Method::DELETE, &path, &Value::Null).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["reason"], "appointmentOver", "{body}");
    // Just outside the delay, it can still be cancelled.
    server.clock.set(instant("2031-06-03T08:29:00Z"));
    let (status, body) = widget(&server, Method::DELETE, &path, &Value::Null).await;
    assert_eq!(status, 200, "{body}");
}

/// Whether an appointment is on the waiting list (`addToWaitingList`, a string in the reference).
fn waiting_listed(a: &Value) -> bool {
    matches!(a.get("addToWaitingList"), Some(v) if v == "true" || v == true)
}

/// Fills the 8 seats of Thursday's 18:00 yoga class through the API.
async fn fill_yoga(server: &TestServer) -> Vec<String> {
    let mut ids = Vec::new();
    for n in 0..8 {
        let body = appointment(
            "yoga",
            Some("lea"),
            "2031-06-05T18:00:00",
            &format!("y{n}@example.com"),
        );
        let (status, a) = api(server, Method::POST, "/appointments", Some(&body)).await;
        assert_eq!(status, 201, "{a}");
        ids.push(a["id"].as_str().expect("id").to_owned());
    }
    ids
}

#[tokio::test]
async fn the_waiting_list_takes_no_seat_and_is_promoted_when_one_frees() {
    let server = server().await;
    let seats = fill_yoga(&server).await;
    let full = appointment(
        "yoga",
        Some("lea"),
        "2031-06-05T18:00:00",
        "late@example.com",
    );
    let (status, body) = api(&server, Method::POST, "/appointments", Some(&full)).await;
    assert_eq!(status, 409, "full: {body}");

    // Through the widget and through the API, a full class takes waiting-list entries.
    let mut request = visit(
        "yoga",
        Some("lea"),
        "2031-06-05T18:00:00+02:00",
        "w1@example.com",
    );
    request["addToWaitingList"] = json!(true);
    let (status, first) = widget(&server, Method::POST, "/appointments", &request).await;
    assert_eq!(status, 201, "{first}");
    let mut waiting = full.clone();
    waiting["client"]["email"] = json!("w2@example.com");
    waiting["addToWaitingList"] = json!(true);
    let (status, second) = api(&server, Method::POST, "/appointments", Some(&waiting)).await;
    assert_eq!(status, 201, "{second}");
    assert!(waiting_listed(&second), "{second}");
    let (first_id, second_id) = (
        first["id"].as_str().expect("id"),
        second["id"].as_str().expect("id"),
    );
    let (_, got) = api(
        &server,
        Method::GET,
        &format!("/appointments/{first_id}"),
        None,
    )
    .await;
    assert!(waiting_listed(&got), "{got}");

    // A cancelled seat goes to the first one waiting, in the same write.
    let (status, _) = api(
        &server,
        Method::PUT,
        &format!("/appointments/{}", seats[0]),
        Some(&json!({"status": "cancelled"})),
    )
    .await;
    assert_eq!(status, 200);
    let (_, got) = api(
        &server,
        Method::GET,
        &format!("/appointments/{first_id}"),
        None,
    )
    .await;
    assert!(!waiting_listed(&got), "promoted: {got}");
    let last = got["history"]
        .as_array()
        .and_then(|h| h.last())
        .cloned()
        .expect("entry");
    assert_eq!(last["type"], "promoted", "{got}");
    let (_, got) = api(
        &server,
        Method::GET,
        &format!("/appointments/{second_id}"),
        None,
    )
    .await;
    assert!(waiting_listed(&got), "still waiting: {got}");
    // The class is full again; a delete frees a seat for the second one waiting.
    let (status, body) = api(&server, Method::POST, "/appointments", Some(&full)).await;
    assert_eq!(status, 409, "{body}");
    let (status, _) = api(
        &server,
        Method::DELETE,
        &format!("/appointments/{}", seats[1]),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (_, got) = api(
        &server,
        Method::GET,
        &format!("/appointments/{second_id}"),
        None,
    )
    .await;
    assert!(!waiting_listed(&got), "promoted: {got}");
}

#[tokio::test]
async fn a_reschedule_frees_its_seat_for_the_waiting_list() {
    let server = server().await;
    fill_yoga(&server).await;
    let mut request = visit(
        "yoga",
        Some("lea"),
        "2031-06-05T18:00:00+02:00",
        "w@example.com",
    );
    request["addToWaitingList"] = json!(true);
    let (status, waiting) = widget(&server, Method::POST, "/appointments", &request).await;
    assert_eq!(status, 201, "{waiting}");
    // The class is full; one of the eight moves to next Tuesday's class.
    let request = visit(
        "yoga",
        Some("lea"),
        "2031-06-05T18:00:00+02:00",
        "x@example.com",
    );
    let (status, _) = widget(&server, Method::POST, "/appointments", &request).await;
    assert_eq!(status, 409, "full");
    let (_, list) = api(
        &server,
        Method::GET,
        "/appointments?startDate=2031-06-05T00:00:00Z&endDate=2031-06-06T00:00:00Z",
        None,
    )
    .await;
    let seat = list["items"]
        .as_array()
        .and_then(|items| items.iter().find(|a| !waiting_listed(a)))
        .and_then(|a| a["id"].as_str())
        .expect("a seated appointment")
        .to_owned();
    let (status, moved) = api(
        &server,
        Method::PUT,
        &format!("/appointments/{seat}"),
        // The Thursday two weeks on (the week between is Léa's demo vacation).
        Some(&json!({"start": at("2031-06-19T18:00:00")})),
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    let id = waiting["id"].as_str().expect("id");
    let (_, got) = api(&server, Method::GET, &format!("/appointments/{id}"), None).await;
    assert!(!waiting_listed(&got), "promoted: {got}");
}

#[tokio::test]
async fn a_service_without_a_waiting_list_refuses_one() {
    let server = server().await;
    let body = appointment(
        "haircut",
        Some("camille"),
        "2031-06-04T09:45:00",
        "a@example.com",
    );
    let (status, _) = api(&server, Method::POST, "/appointments", Some(&body)).await;
    assert_eq!(status, 201);
    let mut again = appointment(
        "haircut",
        Some("camille"),
        "2031-06-04T09:45:00",
        "b@example.com",
    );
    again["addToWaitingList"] = json!(true);
    let (status, body) = api(&server, Method::POST, "/appointments", Some(&again)).await;
    assert_eq!(status, 409, "{body}");
    let mut request = visit(
        "haircut",
        Some("camille"),
        "2031-06-04T09:45:00+02:00",
        "c@example.com",
    );
    request["addToWaitingList"] = json!(true);
    let (status, body) = widget(&server, Method::POST, "/appointments", &request).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["reason"], "slotTaken");
}

#[tokio::test]
async fn staff_hidden_from_the_widget_are_not_listed_offered_or_bookable_there() {
    let server = server().await;
    let (_, mut hugo) = api(&server, Method::GET, "/staff/hugo", None).await;
    hugo["availableForWidget"] = json!(false);
    let (status, body) = api(&server, Method::PUT, "/staff/hugo", Some(&hugo)).await;
    assert_eq!(status, 200, "{body}");

    let (_, staff) = server
        .get_json(&format!("{DEMO}/widget/staff?serviceId=haircut"))
        .await;
    let ids: Vec<&str> = staff["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(ids, ["camille"]);
    // Saturday only Hugo works: "any staff" offers nothing then, and he can't be booked.
    let (status, slots) = server
        .get_json(&format!(
            "{DEMO}/widget/freeSlots?startDate=2031-06-07&endDate=2031-06-07&serviceId=haircut&timeZone=Europe/Paris"
        ))
        .await;
    assert_eq!(status, 200, "{slots}");
    assert_eq!(slots["items"][0]["slots"], json!([]), "{slots}");
    let request = visit(
        "haircut",
        None,
        "2031-06-07T10:45:00+02:00",
        "s@example.com",
    );
    let (status, body) = widget(&server, Method::POST, "/appointments", &request).await;
    assert_eq!(status, 409, "{body}");
    let request = visit(
        "haircut",
        Some("hugo"),
        "2031-06-07T10:45:00+02:00",
        "s@example.com",
    );
    let (status, body) = widget(&server, Method::POST, "/appointments", &request).await;
    assert_eq!(status, 404, "{body}");
    // The API still books him.
    let body = appointment(
        "haircut",
        Some("hugo"),
        "2031-06-07T10:45:00",
        "s@example.com",
    );
    let (status, body) = api(&server, Method::POST, "/appointments", Some(&body)).await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn file_answers_are_stored_once_and_returned_as_an_authenticated_link() {
    let server = server().await;
    // A form for the colour service asking for a photo.
    let (_, mut form) = api(&server, Method::GET, "/forms/default", None).await;
    let object = form.as_object_mut().expect("form");
    object.remove("id");
    object.insert("name".into(), json!("Colour"));
    object.insert(
        "objects".into(),
        json!([{"type": "service", "id": "colour"}]),
    );
    object.insert(
        "additionalFields".into(),
        json!([[{"id": "photo", "type": "file", "title": "A photo of your hair"}]]),
    );
    let (status, body) = api(&server, Method::POST, "/forms", Some(&form)).await;
    assert_eq!(status, 201, "{body}");

    let mut booking = appointment(
        "colour",
        Some("camille"),
        "2031-06-04T09:00:00",
        "f@example.com",
    );
    booking["form"] = json!({
        "contactFields": [
            {"id": "firstName", "value": "Ada"}, {"id": "lastName", "value": "Lovelace"},
            {"id": "email", "value": "f@example.com"}
        ],
        "additionalFields": [[
            {"id": "photo", "value": "data:image/png;base64,aGVsbG8=", "fileName": "my hair.png"}
        ]]
    });
    let (status, a) = api(&server, Method::POST, "/appointments", Some(&booking)).await;
    assert_eq!(status, 201, "{a}");
    let link = a["form"]["additionalFields"][0][0]["value"]
        .as_str()
        .expect("a link")
        .to_owned();
    assert!(
        link.starts_with(&format!("{}{DEMO}/appointments/", server.base)),
        "{link}"
    );
    assert!(link.ends_with("/my_hair.png"), "{link}");
    assert_eq!(
        a["form"]["additionalFields"][0][0]["fileName"],
        "my hair.png"
    );

    // The link needs the key, and serves the bytes.
    let anonymous = server.client.get(&link).send().await.expect("request");
    assert_eq!(anonymous.status().as_u16(), 401);
    let file = server
        .client
        .get(&link)
        .header("apiKey", KEY)
        .send()
        .await
        .expect("request");
    assert_eq!(file.status().as_u16(), 200);
    assert_eq!(file.headers()["content-type"], "image/png");
    assert_eq!(file.bytes().await.expect("bytes").as_ref(), b"hello");

    // Lists show the link too; search never matches the content; the document holds no base64.
    let window = "startDate=2031-06-01T00:00:00Z&endDate=2031-06-30T00:00:00Z";
    let (_, list) = api(
        &server,
        Method::GET,
        &format!("/appointments?{window}&levelDetail=full"),
        None,
    )
    .await;
    assert_eq!(
        list["items"][0]["form"]["additionalFields"][0][0]["value"],
        link.as_str()
    );
    let (_, found) = api(
        &server,
        Method::GET,
        &format!("/appointments?{window}&q=aGVsbG8"),
        None,
    )
    .await;
    assert_eq!(found["items"], json!([]), "{found}");
    let docs: Vec<(String,)> = sqlx::query_as("SELECT doc FROM appointments")
        .fetch_all(&server.db)
        .await
        .expect("docs");
    assert!(
        docs.iter().all(|(doc,)| !doc.contains("base64")),
        "{docs:?}"
    );

    // A GET-then-PUT keeps the file; a new one without a name is called file.<extension>.
    let id = a["id"].as_str().expect("id");
    let (_, got) = api(&server, Method::GET, &format!("/appointments/{id}"), None).await;
    let (status, kept) = api(
        &server,
        Method::PUT,
        &format!("/appointments/{id}"),
        Some(&got),
    )
    .await;
    assert_eq!(status, 200, "{kept}");
    assert_eq!(
        kept["form"]["additionalFields"][0][0]["value"],
        link.as_str()
    );
    let mut replaced = got.clone();
    replaced["form"]["additionalFields"][0][0] =
        json!({"id": "photo", "value": "data:application/pdf;base64,JVBERi0x"});
    let (status, body) = api(
        &server,
        Method::PUT,
        &format!("/appointments/{id}"),
        Some(&replaced),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let new_link = body["form"]["additionalFields"][0][0]["value"]
        .as_str()
        .expect("link");
    assert!(new_link.ends_with("/file.pdf"), "{new_link}");
}
