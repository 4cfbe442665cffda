//! What a notification carries: the appointment as GET shows it, `date`, `event`, templates.

use crate::harness::*;

#[tokio::test]
async fn every_change_is_notified_with_the_appointment_date_and_event() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    let watch_id = app
        .watch(json!({"address": hook.url("/hook"), "name": "everything"}))
        .await;

    // Created through the Appointments API.
    let created = app.appointment(30, 10, "events@example.com").await;
    let id = created["id"].as_str().expect("id").to_owned();
    let first = &hook.wait("/hook", 1).await[0];
    assert_eq!(first.method, "POST");
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert_eq!(first.header("booking-event"), Some("created"));
    assert_eq!(first.header("booking-appointment-id"), Some(id.as_str()));
    let message_id = first.header("webhook-id").expect("webhook-id").to_owned();
    assert!(message_id.starts_with("msg_"));
    assert!(first.header("webhook-timestamp").is_some());
    assert!(
        first.header("webhook-signature").is_none(),
        "not signed unless asked"
    );
    let body = first.json();
    assert_eq!(body["event"], "created");
    assert_eq!(body["id"], id.as_str());
    assert_eq!(body["client"]["email"], "events@example.com");
    assert_eq!(body["service"]["id"], "haircut");
    assert_eq!(body["date"]["timeZone"], "Europe/Paris");
    let sent = chrono::NaiveDateTime::parse_from_str(
        body["date"]["dateTime"].as_str().expect("dateTime"),
        "%Y-%m-%dT%H:%M:%S",
    )
    .expect("local date-time without offset");
    let paris_now = Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .naive_local();
    assert!(
        (paris_now - sent).num_seconds().abs() < 60,
        "{sent} vs {paris_now}"
    );

    // Updated, then deleted.
    let mut changed = created.clone();
    changed["notes"] = json!("moved to the window seat");
    let (status, answer) = app
        .call(
            Method::PUT,
            &format!("{DEMO}/appointments/{id}?force=true"),
            Some(&changed),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let (status, _) = app
        .call(Method::DELETE, &format!("{DEMO}/appointments/{id}"), None)
        .await;
    assert_eq!(status, 204);
    let hits = hook.wait("/hook", 3).await;
    let events: Vec<Value> = hits.iter().map(|h| h.json()["event"].clone()).collect();
    assert_eq!(
        events,
        [json!("created"), json!("updated"), json!("deleted")]
    );
    assert_eq!(hits[1].json()["notes"], "moved to the window seat");
    let ids: std::collections::HashSet<_> = hits
        .iter()
        .map(|h| h.header("webhook-id").map(str::to_owned))
        .collect();
    assert_eq!(ids.len(), 3, "one message id per change");

    let log = app.wait_delivery(&watch_id, "succeeded").await;
    let items = log["items"].as_array().expect("items");
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|d| d["status"] == "succeeded"), "{log:#}");
    assert_eq!(items[2]["id"], message_id.as_str(), "newest first");
    assert_eq!(items[2]["attempts"][0]["statusCode"], 200);
}

#[tokio::test]
async fn the_full_payload_is_what_get_returns_plus_date_and_event() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    app.watch(json!({"address": hook.url("/hook")})).await;
    // The haircut and Camille have externalIds, which GET leaves out ("writable only").
    let created = app.appointment(30, 10, "same@example.com").await;
    let id = created["id"].as_str().expect("id").to_owned();
    let mut payload = hook.wait("/hook", 1).await[0].json();
    let (status, read) = app.get(&format!("/appointments/{id}")).await;
    assert_eq!(status, 200, "{read}");
    let map = payload.as_object_mut().expect("object");
    assert_eq!(map.remove("event"), Some(json!("created")));
    assert!(map.remove("date").is_some());
    assert_eq!(payload, read, "the payload is the GET of the appointment");
    assert!(
        read["rescheduleLink"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with(&app.base)),
        "{read}"
    );
    assert!(read["service"].get("externalId").is_none());
}

#[tokio::test]
async fn widget_bookings_and_cancellations_are_notified() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    app.watch(json!({"address": hook.url("/hook")})).await;

    let from = Utc::now().date_naive() + Days::new(5);
    let to = from + Days::new(14);
    let (status, slots) = app
        .get(&format!(
            "/widget/freeSlots?startDate={from}&endDate={to}&serviceId=haircut&staffId=camille&timeZone=Europe/Paris"
        ))
        .await;
    assert_eq!(status, 200, "{slots}");
    let start = slots["items"]
        .as_array()
        .and_then(|days| days.iter().find_map(|d| d["slots"][0].as_str()))
        .expect("a free slot")
        .to_owned();
    let booking = json!({
        "serviceId": "haircut", "staffId": "camille", "start": start, "timeZone": "Europe/Paris",
        "lang": "en",
        "form": {"id": "default", "contactFields": [
            {"id": "firstName", "bind": "crm-first-name", "value": "Grace"},
            {"id": "lastName", "bind": "crm-last-name", "value": "Hopper"},
            {"id": "email", "bind": "crm-email", "value": "grace@example.com"}
        ], "additionalFields": [[{"id": "firstVisit", "values": [{"value": "yes"}]}],
            [{"id": "zip", "value": "75011"}, {"id": "consent", "values": [{"value": "agree"}]}]]}
    });
    let (status, booked) = app.post("/widget/appointments", &booking).await;
    assert_eq!(status, 201, "{booked}");
    let encrypted = booked["encryptedId"].as_str().expect("encryptedId");
    let (status, cancelled) = app
        .call(
            Method::DELETE,
            &format!("{DEMO}/widget/appointments/{encrypted}"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{cancelled}");

    let hits = hook.wait("/hook", 2).await;
    let (created, cancelled) = (hits[0].json(), hits[1].json());
    assert_eq!(created["event"], "created");
    assert_eq!(created["client"]["email"], "grace@example.com");
    assert_eq!(cancelled["event"], "updated", "a cancellation is an update");
    assert_eq!(cancelled["status"], "cancelled");
}

#[tokio::test]
async fn schema_templates_fill_typed_values_and_text() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    app.watch(json!({
        "address": hook.url("/templated"),
        "schema": {
            "type": "booking.$.event",
            "email": "$.client.email",
            "guests": "$.extendedProperties.public.guests",
            "client": "$.client",
            "missing": "$.nothing.here",
            "summary": "$.client.firstName $.client.lastName <$.client.email>, $.extendedProperties.public.guests guests.",
            "price": "$$10 flat",
            "fixed": [1, true, null]
        }
    }))
    .await;
    app.watch(json!({"address": hook.url("/extra"), "levelDetails": "extraFull"}))
        .await;
    let created = app.appointment(30, 11, "schema@example.com").await;
    let client_id = created["client"]["id"].as_str().expect("client id");

    let body = hook.wait("/templated", 1).await[0].json();
    assert_eq!(
        body,
        json!({
            "type": "booking.created",
            "email": "schema@example.com",
            "guests": 2,
            // The whole client object, typed: as the appointment was booked.
            "client": {"id": client_id, "firstName": "Ada", "lastName": "Lovelace",
                "email": "schema@example.com"},
            "missing": null,
            "summary": "Ada Lovelace <schema@example.com>, 2 guests.",
            "price": "$10 flat",
            "fixed": [1, true, null]
        })
    );

    // extraFull: the current records, with what was booked laid over them.
    let extra = hook.wait("/extra", 1).await[0].json();
    assert_eq!(extra["event"], "created");
    let (_, haircut) = app.get("/services/haircut").await;
    let (_, camille) = app.get("/staff/camille").await;
    for (name, record, booked) in [
        ("service", &haircut, &created["service"]),
        ("staff", &camille, &created["staff"]),
    ] {
        let record = record.as_object().expect("record");
        assert!(record.len() > 3, "{record:?}");
        for (key, value) in record {
            let expected = booked.get(key).unwrap_or(value);
            // The calendar feed's URL holds its secret: only `GET staff/{id}` shows it.
            if key == "calendarFeedUrl" {
                assert!(extra[name].get(key).is_none(), "{name}.{key} leaked");
            } else if key != "externalId" {
                assert_eq!(&extra[name][key], expected, "{name}.{key}");
            }
        }
    }
    assert!(extra["staff"]["workingHours"]
        .as_array()
        .is_some_and(|h| !h.is_empty()));
    assert_eq!(extra["company"]["timeZone"], "Europe/Paris");
}

#[tokio::test]
async fn each_method_is_used_and_delete_sends_no_body() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    for method in ["POST", "PUT", "PATCH", "DELETE"] {
        app.watch(json!({"address": hook.url(&format!("/{method}")), "method": method}))
            .await;
    }
    let created = app.appointment(30, 12, "methods@example.com").await;
    for method in ["POST", "PUT", "PATCH", "DELETE"] {
        let hit = &hook.wait(&format!("/{method}"), 1).await[0];
        assert_eq!(hit.method, method);
        if method == "DELETE" {
            assert!(hit.body.is_empty(), "DELETE has no body: {:?}", hit.body);
            assert_eq!(hit.header("content-type"), None);
            assert_eq!(hit.header("booking-event"), Some("created"));
            assert_eq!(hit.header("booking-appointment-id"), created["id"].as_str());
        } else {
            assert_eq!(hit.json()["id"], created["id"]);
        }
    }
}

#[tokio::test]
async fn disabled_watches_send_nothing() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    let off = app
        .watch(json!({"address": hook.url("/off"), "status": "disabled"}))
        .await;
    app.watch(json!({"address": hook.url("/on")})).await;
    app.appointment(30, 13, "disabled@example.com").await;
    // Outbox rows are written with the change: none for the disabled watch means none will ever go.
    assert_eq!(app.deliveries(&off).await["items"], json!([]));
    hook.wait("/on", 1).await;
    assert!(hook.hits("/off").is_empty());
}
