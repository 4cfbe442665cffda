//! The authenticated Appointments API over real HTTP against a real SQLite file: auth and tenancy,
//! insert / get / list / update / delete, validation, availability, sync and pagination.

mod support;

use booking_server::admin;
use chrono::{Days, Utc};
use reqwest::Method;
use serde_json::{json, Value};
use support::{plus_minutes, TestServer};

const DEMO: &str = "/api/2.1/scheduling/companies/demo";
const KEY: &str = support::DEMO_KEY;

/// An authenticated client of the demo company.
struct Api {
    server: TestServer,
}

impl Api {
    async fn start() -> Self {
        Api {
            server: TestServer::with_demo().await,
        }
    }

    async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> (u16, Value) {
        self.server.api(method, path, body).await
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.call(Method::GET, &format!("{DEMO}{path}"), None).await
    }

    async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.call(Method::POST, &format!("{DEMO}{path}"), Some(body))
            .await
    }

    async fn put(&self, path: &str, body: &Value) -> (u16, Value) {
        self.call(Method::PUT, &format!("{DEMO}{path}"), Some(body))
            .await
    }

    async fn delete(&self, path: &str) -> (u16, Value) {
        self.call(Method::DELETE, &format!("{DEMO}{path}"), None)
            .await
    }

    /// Free local start times (Paris wall clock), skipping the first `skip_days` days.
    async fn free(&self, service: &str, staff: Option<&str>, skip_days: u64) -> Vec<String> {
        self.server.free_starts(service, staff, skip_days).await
    }
}

fn at(local: &str) -> Value {
    json!({"dateTime": local, "timeZone": "Europe/Paris"})
}

/// A haircut for a new client.
fn haircut(start: &str, staff: Option<&str>, email: &str) -> Value {
    let mut body = json!({
        "client": {"firstName": "Ada", "lastName": "Lovelace", "email": email},
        "service": {"id": "haircut"},
        "start": at(start),
        "notes": "Prefers the window seat",
        "extendedProperties": {"private": {"crmDealId": "D-77"}, "public": {"giftCard": true}}
    });
    if let Some(staff) = staff {
        body["staff"] = json!({"id": staff});
    }
    body
}

fn field_names(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| f["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn credentials_are_required_and_accepted_in_every_documented_place() {
    let api = Api::start().await;
    let url = format!("{}{DEMO}/appointments", api.server.base);
    let client = &api.server.client;
    let status = |r: reqwest::Response| r.status().as_u16();

    let missing = client.get(&url).send().await.expect("request");
    assert_eq!(missing.status().as_u16(), 401);
    assert_eq!(missing.headers()["www-authenticate"], "Bearer");
    let body: Value = missing.json().await.expect("json");
    assert_eq!(body["error"]["code"], 401);
    let bad = client
        .get(&url)
        .header("apiKey", "nope")
        .send()
        .await
        .expect("request");
    assert_eq!(status(bad), 401);
    let bad_bearer = client
        .get(&url)
        .bearer_auth("nope")
        .send()
        .await
        .expect("request");
    assert_eq!(status(bad_bearer), 401);

    for request in [
        client.get(&url).header("apiKey", KEY),
        client.get(format!("{url}?apiKey={KEY}")),
        client.get(&url).header("token", KEY),
        client.get(format!("{url}?token={KEY}")),
        client.get(&url).bearer_auth(KEY),
        // `apiKey` wins over `token`.
        client
            .get(&url)
            .header("apiKey", KEY)
            .header("token", "ignored"),
    ] {
        assert_eq!(status(request.send().await.expect("request")), 200);
    }
    // Every authenticated route is guarded, writes included.
    for (method, path) in [
        (Method::POST, "/appointments"),
        (Method::GET, "/appointments/x"),
        (Method::PUT, "/appointments/x"),
        (Method::DELETE, "/appointments/x"),
    ] {
        let response = client
            .request(method.clone(), format!("{}{DEMO}{path}", api.server.base))
            .json(&json!({}))
            .send()
            .await
            .expect("request");
        assert_eq!(status(response), 401, "{method} {path}");
    }
    // The widget's public routes stay open.
    let (status_code, _) = api
        .server
        .get_json(&format!("{DEMO}/widget/services"))
        .await;
    assert_eq!(status_code, 200);
}

#[tokio::test]
async fn a_key_of_one_company_never_reaches_another() {
    let api = Api::start().await;
    let other_key = admin::create_company(&api.server.db, "other", "Other Co", "America/New_York")
        .await
        .expect("company");
    assert!(other_key.len() >= 22, "at least 128 bits");
    let again = admin::create_key(&api.server.db, "other", "second")
        .await
        .expect("key");
    assert_ne!(again, other_key);

    let start = api.free("haircut", Some("camille"), 3).await[0].clone();
    let (_, created) = api
        .post(
            "/appointments",
            &haircut(&start, Some("camille"), "x@example.com"),
        )
        .await;
    let id = created["id"].as_str().expect("id").to_owned();

    let base = &api.server.base;
    let client = &api.server.client;
    let other_on_demo = client
        .get(format!("{base}{DEMO}/appointments/{id}"))
        .header("apiKey", &other_key)
        .send()
        .await
        .expect("request");
    assert_eq!(other_on_demo.status().as_u16(), 404);
    let demo_on_other = client
        .get(format!(
            "{base}/api/2.1/scheduling/companies/other/appointments"
        ))
        .header("apiKey", KEY)
        .send()
        .await
        .expect("request");
    assert_eq!(demo_on_other.status().as_u16(), 404);
    let nowhere = client
        .get(format!(
            "{base}/api/2.1/scheduling/companies/ghost/appointments"
        ))
        .header("apiKey", KEY)
        .send()
        .await
        .expect("request");
    assert_eq!(
        nowhere.status().as_u16(),
        404,
        "same answer as another company's"
    );
    let own = client
        .get(format!(
            "{base}/api/2.1/scheduling/companies/other/appointments"
        ))
        .header("apiKey", &again)
        .send()
        .await
        .expect("request");
    assert_eq!(own.status().as_u16(), 200);
    let list: Value = own.json().await.expect("json");
    assert_eq!(
        list["items"],
        json!([]),
        "nothing of the demo company leaks"
    );
    assert!(matches!(
        admin::create_company(&api.server.db, "other", "Again", "UTC").await,
        Err(booking_server::Error::Conflict(_))
    ));
    assert!(matches!(
        admin::create_company(&api.server.db, "bad", "Bad", "Mars/Base").await,
        Err(booking_server::Error::BadRequest { .. })
    ));
}

#[tokio::test]
async fn insert_then_get_by_id_or_reference_with_fields_level_and_lang() {
    let api = Api::start().await;
    let start = api.free("haircut", Some("camille"), 3).await[0].clone();
    let (status, a) = api
        .post(
            "/appointments?lang=fr&silent=true",
            &haircut(&start, Some("camille"), "ada@example.com"),
        )
        .await;
    assert_eq!(status, 201, "{a}");
    let id = a["id"].as_str().expect("id").to_owned();
    let reference = a["reference"].as_str().expect("reference").to_owned();
    assert!(a["encryptedId"].as_str().is_some_and(|e| e.len() >= 22));
    assert_eq!(a["start"], at(&start));
    assert_eq!(
        a["end"],
        at(&plus_minutes(&start, 45)),
        "end = start + the 45-minute duration"
    );
    assert_eq!(a["price"], json!({"amount": 55.0, "currency": "EUR"}));
    assert_eq!(a["status"], "accepted");
    assert_eq!(a["type"], "normal");
    assert_eq!(a["created"]["timeZone"], "Europe/Paris");
    assert_eq!(a["company"]["id"], "demo");
    assert_eq!(a["history"][0]["type"], "created");
    assert_eq!(a["history"][0]["text"], "Rendez-vous créé");
    assert_eq!(a["history"][0]["source"], "api");
    assert_eq!(a["history"][0]["user"]["email"], "ada@example.com");
    assert!(a["client"]["id"].as_str().is_some());
    assert!(a["rescheduleLink"]["url"]
        .as_str()
        .is_some_and(|u| u.contains("action=reschedule")));
    assert_eq!(a["extendedProperties"]["private"]["crmDealId"], "D-77");
    assert!(a["service"].get("externalId").is_none(), "writable only");

    let (status, by_id) = api.get(&format!("/appointments/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(by_id["notes"], "Prefers the window seat", "full by default");
    let (status, by_ref) = api.get(&format!("/appointments/{reference}")).await;
    assert_eq!(status, 200);
    assert_eq!(by_ref["id"], json!(id));

    for (lang, text) in [
        ("en", "Appointment created"),
        ("de", "Termin erstellt"),
        ("es", "Cita creada"),
    ] {
        let (_, localized) = api.get(&format!("/appointments/{id}?lang={lang}")).await;
        assert_eq!(localized["history"][0]["text"], text);
    }

    let (status, partial) = api
        .get(&format!(
            "/appointments/{id}?fields=id,start,client(email,firstName),history(type)"
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        partial,
        json!({"id": id, "start": at(&start),
               "client": {"email": "ada@example.com", "firstName": "Ada"},
               "history": [{"type": "created"}]})
    );
    let (_, light) = api
        .get(&format!("/appointments/{id}?levelDetail=light"))
        .await;
    assert_eq!(light["reference"], json!(reference));
    assert!(
        light.get("notes").is_none()
            && light.get("history").is_none()
            && light.get("form").is_none()
    );

    // The public widget view of the same appointment never shows private data.
    let encrypted = a["encryptedId"].as_str().expect("encrypted id");
    let (status, public) = api
        .server
        .get_json(&format!("{DEMO}/widget/appointments/{encrypted}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(public["extendedProperties"], json!({"giftCard": true}));
    assert!(!public.to_string().contains("D-77") && !public.to_string().contains("window seat"));

    for (query, field) in [
        ("fields=id,bogus", "fields"),
        ("fields=client(nope)", "fields"),
        ("fields=id(x)", "fields"),
        ("fields=client(email", "fields"),
        ("levelDetail=medium", "levelDetail"),
        ("lang=%3Cscript%3E", "lang"),
    ] {
        let (status, body) = api.get(&format!("/appointments/{id}?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(field_names(&body), [field], "{query}");
    }
    let (status, _) = api.get("/appointments/NOPE-NOPE").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn availability_is_checked_unless_forced_and_staff_is_chosen_when_omitted() {
    let api = Api::start().await;
    let start = api.free("haircut", Some("camille"), 3).await[0].clone();
    // Without a staff member, the first free one in the company's order (Camille) takes it.
    let (status, first) = api
        .post("/appointments", &haircut(&start, None, "a@example.com"))
        .await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["staff"]["id"], "camille");
    let (status, body) = api
        .post(
            "/appointments",
            &haircut(&start, Some("camille"), "b@example.com"),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("not free")),
        "{body}"
    );
    let (status, _) = api
        .post("/appointments", &haircut(&start, None, "c@example.com"))
        .await;
    assert_eq!(status, 409, "nobody else can take that time");

    // A time only Hugo's hours offer goes to Hugo.
    let camille = api.free("haircut", Some("camille"), 3).await;
    let hugo_only = api
        .free("haircut", Some("hugo"), 3)
        .await
        .into_iter()
        .find(|s| !camille.contains(s))
        .expect("a time only Hugo offers");
    let (status, second) = api
        .post("/appointments", &haircut(&hugo_only, None, "d@example.com"))
        .await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["staff"]["id"], "hugo");

    // force books anyway, but only with a staff member.
    let (status, forced) = api
        .post(
            "/appointments?force=true",
            &haircut(&start, Some("camille"), "e@example.com"),
        )
        .await;
    assert_eq!(status, 201, "{forced}");
    let (status, body) = api
        .post(
            "/appointments?force=true",
            &haircut(&start, None, "f@example.com"),
        )
        .await;
    assert_eq!(
        status, 422,
        "force needs a staff member: a rule between parameter and body"
    );
    assert_eq!(field_names(&body), ["staff.id"]);
    // An end is only used by personal appointments: another one changes nothing (the slot is taken).
    let mut long = haircut(&start, Some("camille"), "g@example.com");
    long["end"] = at(&format!("{}T23:00:00", &start[..10]));
    let (status, body) = api.post("/appointments", &long).await;
    assert_eq!(status, 409, "{body}");
    // Outside opening hours (03:00) is not free; in the past is too soon.
    let night = format!("{}T03:00:00", &start[..10]);
    let (status, _) = api
        .post(
            "/appointments",
            &haircut(&night, Some("camille"), "h@example.com"),
        )
        .await;
    assert_eq!(status, 409);
    let (status, _) = api
        .post(
            "/appointments",
            &haircut("2020-01-06T10:00:00", Some("camille"), "i@example.com"),
        )
        .await;
    assert_eq!(status, 409);
    // Staff and service by externalId.
    let next = api.free("haircut", Some("hugo"), 4).await[0].clone();
    let mut by_external = haircut(&next, None, "j@example.com");
    by_external["service"] = json!({"externalId": "SKU-HAIR-45"});
    by_external["staff"] = json!({"externalId": "HR-0042"});
    let (status, body) = api.post("/appointments", &by_external).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["staff"]["id"], "hugo");
    assert_eq!(body["service"]["id"], "haircut");
}

#[tokio::test]
async fn every_validation_rule_names_its_field() {
    let api = Api::start().await;
    let start = api.free("haircut", Some("camille"), 3).await[0].clone();
    let valid = haircut(&start, Some("camille"), "v@example.com");
    let with = |patch: Value| {
        let mut body = valid.clone();
        for (k, v) in patch.as_object().expect("object") {
            body[k] = v.clone();
        }
        body
    };
    let long = "x".repeat(128);
    let cases = [
        (json!({"client": null}), "client"),
        (json!({"client": {}}), "client"),
        (json!({"start": null}), "start"),
        (json!({"service": null}), "service"),
        (
            json!({"start": {"dateTime": "2026-12-01T09:30:00+01:00"}}),
            "start.dateTime",
        ),
        (json!({"start": {"dateTime": "tomorrow"}}), "start.dateTime"),
        (
            json!({"start": {"dateTime": "2026-12-01T09:30:00", "timeZone": "Mars/Base"}}),
            "start.timeZone",
        ),
        (json!({"client": {"email": "not-an-email"}}), "client.email"),
        (
            json!({"client": {"firstName": long, "email": "a@b.co"}}),
            "client.firstName",
        ),
        (
            json!({"client": {"lastName": long, "email": "a@b.co"}}),
            "client.lastName",
        ),
        (json!({"client": {"id": "x".repeat(17)}}), "client.id"),
        (
            json!({"client": {"email": "a@b.co", "timeZone": "Nowhere"}}),
            "client.timeZone",
        ),
        (json!({"parent": {"email": "bad"}}), "parent.email"),
        (json!({"service": {"id": "x".repeat(17)}}), "service.id"),
        (json!({"staff": {"id": "x".repeat(17)}}), "staff.id"),
        (
            json!({"resource": {"id": "room"}, "resourceCount": 1}),
            "resource",
        ),
        (json!({"resourceCount": 0}), "resourceCount"),
        (json!({"iterationCount": 0}), "iterationCount"),
        (
            json!({"status": "accepted", "customStatus": {"id": "vip"}}),
            "customStatus",
        ),
        (json!({"status": "done"}), "status"),
        (json!({"notes": "n".repeat(65_536)}), "notes"),
        (
            json!({"extendedProperties": {"private": {"blob": "b".repeat(23 * 1024)}}}),
            "extendedProperties",
        ),
    ];
    // Well-formed, but naming records that do not exist or not fitting the service's form: 422.
    let rules = [
        (json!({"client": {"id": "nobody"}}), "client.id"),
        (json!({"service": {"id": "nope"}}), "service.id"),
        (json!({"staff": {"id": "nobody"}}), "staff.id"),
        (
            json!({"form": {"contactFields": [{"id": "zip", "value": "7501"}]}}),
            "form.contactFields[0].value",
        ),
        (
            json!({"form": {"contactFields": [{"id": "nope", "value": "x"}]}}),
            "form.contactFields[0].id",
        ),
    ];
    let cases = cases
        .into_iter()
        .map(|(patch, field)| (patch, field, 400))
        .chain(rules.into_iter().map(|(patch, field)| (patch, field, 422)));
    for (patch, field, want) in cases {
        let (status, body) = api.post("/appointments", &with(patch.clone())).await;
        assert_eq!(status, want, "{patch}: {body}");
        assert!(
            field_names(&body).iter().any(|n| n == field),
            "{patch}: expected {field}, got {body}"
        );
    }
    // Resource bookings need resourceCount; personal ones a staff member and an end.
    let (status, body) = api
        .post("/appointments", &json!({"client": {"email": "r@example.com"}, "resource": {"id": "room"}, "start": at(&start)}))
        .await;
    assert_eq!(status, 400);
    assert_eq!(field_names(&body), ["resourceCount"]);
    let (status, body) = api
        .post(
            "/appointments",
            &json!({"type": "personal", "start": at(&start)}),
        )
        .await;
    assert_eq!(status, 400);
    let names = field_names(&body);
    assert!(
        names.contains(&"staff.id".to_owned()) && names.contains(&"end".to_owned()),
        "{body}"
    );
    // Query parameters.
    for (query, field) in [
        ("force=maybe", "force"),
        ("silent=2", "silent"),
        ("personalAppointmentSync=yes", "personalAppointmentSync"),
        ("calculateGeolocation=true", "calculateGeolocation"),
        ("lang=..", "lang"),
    ] {
        let (status, body) = api.post(&format!("/appointments?{query}"), &valid).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(field_names(&body), [field], "{query}");
    }
    // Malformed JSON and wrong types are 400s naming the field too, never 500s.
    let (status, body) = api
        .post("/appointments", &json!({"resourceCount": "many"}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(field_names(&body), ["resourceCount"]);
    let response = api
        .server
        .client
        .post(format!("{}{DEMO}/appointments", api.server.base))
        .header("apiKey", KEY)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 400);
    // Nothing was stored by any of these.
    let (_, list) = api.get("/appointments").await;
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn personal_appointments_block_the_staff_members_time() {
    let api = Api::start().await;
    let slots = api.free("haircut", Some("camille"), 3).await;
    let start = slots[0].clone();
    let end = slots[1].clone();
    let (status, personal) = api
        .post(
            "/appointments?personalAppointmentSync=false",
            &json!({"type": "personal", "staff": {"id": "camille"}, "start": at(&start), "end": at(&end), "notes": "Dentist"}),
        )
        .await;
    assert_eq!(status, 201, "{personal}");
    assert_eq!(personal["type"], "personal");
    assert!(personal.get("client").is_none() && personal.get("price").is_none());
    let (status, _) = api
        .post(
            "/appointments",
            &haircut(&start, Some("camille"), "p@example.com"),
        )
        .await;
    assert_eq!(status, 409, "Camille is busy");
    let (status, _) = api
        .post(
            "/appointments",
            &json!({"type": "personal", "staff": {"id": "camille"}, "start": at(&start), "end": at(&end)}),
        )
        .await;
    assert_eq!(
        status, 409,
        "a second personal appointment overlapping the first"
    );
    let (_, list) = api.get("/appointments").await;
    assert_eq!(
        list["items"],
        json!([]),
        "personal ones are left out by default"
    );
    let (_, list) = api.get("/appointments?personalAppointments=true").await;
    assert_eq!(list["items"][0]["id"], personal["id"]);
    let (status, body) = api
        .get("/appointments?personalAppointments=sometimes")
        .await;
    assert_eq!(status, 400);
    assert_eq!(field_names(&body), ["personalAppointments"]);
}

#[tokio::test]
async fn a_booking_longer_than_a_day_blocks_every_day_it_spans() {
    // Availability reads bookings longer than a day apart from the others (their start can't bound
    // the index range): a week away that began days before the asked slot must still take it.
    let api = Api::start().await;
    let slots = api.free("haircut", Some("camille"), 10).await;
    let slot = slots[0].clone();
    let away = json!({
        "type": "personal",
        "staff": {"id": "camille"},
        "start": at(&plus_minutes(&slot, -3 * 24 * 60)),
        "end": at(&plus_minutes(&slot, 4 * 24 * 60)),
        "notes": "Holiday"
    });
    let (status, body) = api
        .post("/appointments?personalAppointmentSync=false", &away)
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = api
        .post(
            "/appointments",
            &haircut(&slot, Some("camille"), "h@example.com"),
        )
        .await;
    assert_eq!(status, 409, "Camille is away: {body}");
    let day = &slot[..10];
    assert!(
        !api.free("haircut", Some("camille"), 10)
            .await
            .iter()
            .any(|s| s.starts_with(day)),
        "no free slot on {day}"
    );
    // Another staff member's slot on that day is still free: only Camille's time is taken.
    let hugo = api.free("haircut", Some("hugo"), 10).await;
    let (status, body) = api
        .post(
            "/appointments",
            &haircut(&hugo[0], Some("hugo"), "i@example.com"),
        )
        .await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn updates_reschedule_change_status_and_edit_with_history() {
    let api = Api::start().await;
    let slots = api.free("haircut", Some("camille"), 3).await;
    let (_, a) = api
        .post(
            "/appointments",
            &haircut(&slots[0], Some("camille"), "u@example.com"),
        )
        .await;
    let (_, b) = api
        .post(
            "/appointments",
            &haircut(&slots[2], Some("camille"), "w@example.com"),
        )
        .await;
    let id = a["id"].as_str().expect("id").to_owned();
    let reference = a["reference"].as_str().expect("reference").to_owned();

    // Same time again: it doesn't conflict with itself.
    let (status, same) = api
        .put(
            &format!("/appointments/{id}"),
            &json!({"start": at(&slots[0])}),
        )
        .await;
    assert_eq!(status, 200, "{same}");
    // Onto b's slot: taken.
    let (status, body) = api
        .put(
            &format!("/appointments/{id}"),
            &json!({"start": at(&slots[2])}),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    // Onto a free slot, by reference, with calculateGeolocation accepted.
    let (status, moved) = api
        .put(
            &format!("/appointments/{reference}?lang=de&calculateGeolocation=true"),
            &json!({"start": at(&slots[1])}),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["start"], at(&slots[1]));
    assert_eq!(
        moved["end"],
        at(&plus_minutes(&slots[1], 45)),
        "keeps its 45 minutes"
    );
    let last = moved["history"]
        .as_array()
        .expect("history")
        .last()
        .cloned()
        .expect("entry");
    assert_eq!(last["type"], "rescheduled");
    assert_eq!(last["text"], "Termin verschoben");
    // The old slot is free again: b can move there.
    let b_id = b["id"].as_str().expect("id");
    let (status, _) = api
        .put(
            &format!("/appointments/{b_id}"),
            &json!({"start": at(&slots[0])}),
        )
        .await;
    assert_eq!(status, 200);

    let (status, changed) = api
        .put(
            &format!("/appointments/{id}"),
            &json!({"status": "pending"}),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["status"], "pending");
    assert_eq!(
        changed["history"].as_array().expect("h").last().expect("e")["type"],
        "statusChanged"
    );
    let (_, edited) = api
        .put(
            &format!("/appointments/{id}"),
            &json!({"notes": "Bring photos", "paid": true}),
        )
        .await;
    assert_eq!(edited["notes"], "Bring photos");
    assert_eq!(edited["paid"], "true");
    assert_eq!(
        edited["history"].as_array().expect("h").last().expect("e")["type"],
        "edited"
    );
    assert_eq!(
        edited["client"]["email"], "u@example.com",
        "fields not sent are kept"
    );
    let (_, cancelled) = api
        .put(
            &format!("/appointments/{id}"),
            &json!({"status": "cancelled"}),
        )
        .await;
    assert_eq!(
        cancelled["history"]
            .as_array()
            .expect("h")
            .last()
            .expect("e")["type"],
        "cancelled"
    );
    assert!(
        cancelled.get("rescheduleLink").is_none(),
        "no reschedule link once cancelled"
    );
    // Cancelled frees the slot; re-accepting re-checks it.
    let (status, _) = api
        .post(
            "/appointments",
            &haircut(&slots[1], Some("camille"), "z@example.com"),
        )
        .await;
    assert_eq!(status, 201);
    let (status, _) = api
        .put(
            &format!("/appointments/{id}"),
            &json!({"status": "accepted"}),
        )
        .await;
    assert_eq!(status, 409, "its slot was taken meanwhile");
    let (status, forced) = api
        .put(
            &format!("/appointments/{id}?force=true"),
            &json!({"status": "accepted"}),
        )
        .await;
    assert_eq!(status, 200, "{forced}");

    // Changing the client by id; validation on update.
    let client_id = b["client"]["id"].as_str().expect("client id");
    let (_, switched) = api
        .put(
            &format!("/appointments/{id}"),
            &json!({"client": {"id": client_id}}),
        )
        .await;
    assert_eq!(switched["client"]["email"], "w@example.com");
    for (patch, field) in [
        (json!({"client": {"email": "bad"}}), "client.email"),
        (json!({"start": {"dateTime": "soon"}}), "start.dateTime"),
        (
            json!({"status": "accepted", "customStatus": {"id": "x"}}),
            "customStatus",
        ),
    ] {
        let (status, body) = api.put(&format!("/appointments/{id}"), &patch).await;
        assert_eq!(status, 400, "{patch}: {body}");
        assert_eq!(field_names(&body), [field], "{patch}");
    }
    // A staff member that does not exist breaks a rule the document cannot state: 422.
    let (status, body) = api
        .put(
            &format!("/appointments/{id}"),
            &json!({"staff": {"id": "ghost"}}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(field_names(&body), ["staff.id"]);
    let (status, _) = api.put("/appointments/nope", &json!({"notes": "x"})).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn delete_is_soft_and_sync_reports_it() {
    let api = Api::start().await;
    let slots = api.free("haircut", Some("camille"), 3).await;
    let (_, a) = api
        .post(
            "/appointments",
            &haircut(&slots[0], Some("camille"), "d1@example.com"),
        )
        .await;
    let (_, b) = api
        .post(
            "/appointments",
            &haircut(&slots[1], Some("camille"), "d2@example.com"),
        )
        .await;
    let (_, c) = api
        .post(
            "/appointments",
            &haircut(&slots[2], Some("camille"), "d3@example.com"),
        )
        .await;
    let (status, initial) = api.get("/appointments").await;
    assert_eq!(status, 200);
    assert_eq!(initial["items"].as_array().expect("items").len(), 3);
    let token = initial["nextSyncToken"]
        .as_str()
        .expect("sync token")
        .to_owned();
    assert!(initial.get("nextPageToken").is_none());

    let (status, _) = api.get(&format!("/appointments?syncToken={token}")).await;
    assert_eq!(status, 200);
    let (_, nothing) = api.get(&format!("/appointments?syncToken={token}")).await;
    assert_eq!(nothing["items"], json!([]), "nothing changed yet");

    let a_id = a["id"].as_str().expect("id");
    let response = api
        .server
        .client
        .delete(format!(
            "{}{DEMO}/appointments/{a_id}?silent=true",
            api.server.base
        ))
        .header("apiKey", KEY)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 204);
    assert!(
        response.text().await.expect("body").is_empty(),
        "empty body"
    );
    let (status, _) = api.get(&format!("/appointments/{a_id}")).await;
    assert_eq!(status, 404);
    let (status, _) = api.delete(&format!("/appointments/{a_id}")).await;
    assert_eq!(status, 404, "deleting twice");
    let b_id = b["id"].as_str().expect("id");
    api.put(
        &format!("/appointments/{b_id}"),
        &json!({"notes": "changed"}),
    )
    .await;

    let (_, live) = api.get("/appointments").await;
    let ids: Vec<_> = live["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].clone())
        .collect();
    assert_eq!(ids, [b["id"].clone(), c["id"].clone()]);
    let (_, all) = api.get("/appointments?showDeleted=true").await;
    let deleted: Vec<_> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["deleted"] == true)
        .collect();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0]["id"], a["id"]);

    let (_, changes) = api
        .get(&format!("/appointments?syncToken={token}&fields=id,notes"))
        .await;
    let items = changes["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{changes}");
    assert_eq!(items[0]["id"], a["id"]);
    assert_eq!(items[0]["deleted"], true, "deletions are marked");
    assert_eq!(items[1], json!({"id": b["id"], "notes": "changed"}));
    let next = changes["nextSyncToken"].as_str().expect("next token");
    let (_, after) = api.get(&format!("/appointments?syncToken={next}")).await;
    assert_eq!(after["items"], json!([]));

    // The deleted appointment's slot is free again.
    let (status, _) = api
        .post(
            "/appointments",
            &haircut(&slots[0], Some("camille"), "d4@example.com"),
        )
        .await;
    assert_eq!(status, 201);

    for bad in ["garbage", "eyJ2IjoxLCJjIjoib3RoZXIiLCJzIjowLCJ0IjowfQ"] {
        let (status, body) = api.get(&format!("/appointments?syncToken={bad}")).await;
        assert_eq!(status, 410, "{body}");
        assert_eq!(body["error"]["code"], 410);
    }
}

#[tokio::test]
async fn list_filters_each_narrow_the_result() {
    let api = Api::start().await;
    let camille = api.free("haircut", Some("camille"), 3).await;
    let hugo = api.free("consult", Some("hugo"), 3).await;
    let (_, a) = api
        .post(
            "/appointments",
            &haircut(&camille[0], Some("camille"), "alpha@example.com"),
        )
        .await;
    let mut consult = haircut(&hugo[0], Some("hugo"), "beta@example.com");
    consult["service"] = json!({"id": "consult"});
    consult["client"] = json!({"firstName": "Grace", "lastName": "Hopper", "email": "beta@example.com", "externalId": "CRM-9"});
    consult["form"] = json!({
        "contactFields": [
            {"id": "firstName", "value": "Grace"},
            {"id": "lastName", "value": "Hopper"},
            {"id": "email", "value": "beta@example.com"}
        ],
        "additionalFields": [
            [{"id": "firstVisit", "values": [{"value": "yes"}]}],
            [{"id": "zip", "value": "75011"}, {"id": "consent", "values": [{"value": "agree"}]}]
        ]
    });
    let (status, b) = api.post("/appointments", &consult).await;
    assert_eq!(status, 201, "{b}");
    assert_eq!(b["status"], "pending", "consult requires validation");
    let (status, room) = api
        .post(
            "/appointments",
            &json!({"client": {"email": "gamma@example.com"}, "resource": {"externalId": "ROOM-A"}, "resourceCount": 2,
                "start": at(&format!("{}T10:00:00", &camille[0][..10]))}),
        )
        .await;
    assert_eq!(status, 201, "{room}");
    assert_eq!(room["resourceCount"], 2);
    assert_eq!(room["price"]["amount"], 40.0);

    let ids = |body: &Value| -> Vec<Value> {
        body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["id"].clone())
            .collect()
    };
    let (a_id, b_id, r_id) = (a["id"].clone(), b["id"].clone(), room["id"].clone());
    let client_a = a["client"]["id"].as_str().expect("client").to_owned();
    let now = Utc::now();
    let far =
        (now + chrono::Duration::days(400)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let past =
        (now - chrono::Duration::days(400)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let older =
        (now - chrono::Duration::days(500)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let in_60_days =
        (now + chrono::Duration::days(60)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let in_a_minute =
        (now + chrono::Duration::minutes(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let cases: Vec<(String, Vec<Value>)> = vec![
        (String::new(), vec![]),
        ("status=accepted".into(), vec![a_id.clone(), r_id.clone()]),
        ("status=pending".into(), vec![b_id.clone()]),
        (
            "status=pending&status=accepted".into(),
            vec![a_id.clone(), b_id.clone(), r_id.clone()],
        ),
        ("status=pending,cancelled".into(), vec![b_id.clone()]),
        (format!("clientId={client_a}"), vec![a_id.clone()]),
        ("clientId=CRM-9".into(), vec![b_id.clone()]),
        ("externalClientId=CRM-9".into(), vec![b_id.clone()]),
        ("externalClientId=nobody".into(), vec![]),
        ("serviceId=SKU-HAIR-45".into(), vec![a_id.clone()]),
        ("serviceId=consult".into(), vec![b_id.clone()]),
        ("staffId=HR-0042".into(), vec![b_id.clone()]),
        ("staffId=camille".into(), vec![a_id.clone()]),
        ("resourceId=ROOM-A".into(), vec![r_id.clone()]),
        ("resourceId=room".into(), vec![r_id.clone()]),
        ("q=hopper".into(), vec![b_id.clone()]),
        ("q=75011".into(), vec![b_id.clone()]),
        ("q=ALPHA%40example".into(), vec![a_id.clone()]),
        ("q=grace+beta".into(), vec![b_id.clone()]),
        ("q=100%25".into(), vec![]),
        (format!("startDate={in_60_days}&endDate={far}"), vec![]),
        (format!("startDate={older}&endDate={past}"), vec![]),
        (
            format!("startDate={in_a_minute}&endDate={in_60_days}"),
            vec![a_id.clone(), b_id.clone(), r_id.clone()],
        ),
        (
            format!("createdStartDate={past}"),
            vec![a_id.clone(), b_id.clone(), r_id.clone()],
        ),
        (format!("createdStartDate={in_a_minute}"), vec![]),
        (format!("createdEndDate={past}"), vec![]),
    ];
    for (query, expected) in cases {
        let (status, body) = api.get(&format!("/appointments?{query}")).await;
        assert_eq!(status, 200, "{query}: {body}");
        if query.is_empty() {
            let mut all = ids(&body);
            all.sort_by_key(|v| v.to_string());
            let mut want = vec![a_id.clone(), b_id.clone(), r_id.clone()];
            want.sort_by_key(|v| v.to_string());
            assert_eq!(all, want);
            continue;
        }
        let mut got = ids(&body);
        got.sort_by_key(|v| v.to_string());
        let mut want = expected.clone();
        want.sort_by_key(|v| v.to_string());
        assert_eq!(got, want, "{query}");
    }
    // List default is light; levelDetail=full and fields change that.
    let (_, light) = api.get("/appointments").await;
    assert!(light["items"][0].get("history").is_none());
    let (_, full) = api.get("/appointments?levelDetail=full").await;
    assert!(full["items"][0]["history"].is_array());
    let (_, some) = api.get("/appointments?fields=id").await;
    assert_eq!(some["items"][0].as_object().expect("object").len(), 1);

    for (query, field) in [
        ("startDate=yesterday", "startDate"),
        ("endDate=2026-13-01", "endDate"),
        ("createdStartDate=x", "createdStartDate"),
        ("createdEndDate=x", "createdEndDate"),
        ("status=done", "status"),
        ("showDeleted=perhaps", "showDeleted"),
        ("maxResults=0", "maxResults"),
        ("maxResults=abc", "maxResults"),
        ("maxResults=100000", "maxResults"),
        ("fields=nope", "fields"),
        ("levelDetail=medium", "levelDetail"),
    ] {
        let (status, body) = api.get(&format!("/appointments?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(field_names(&body), [field], "{query}");
    }
    // Bounds out of order, and a page token this server never issued: rules the document
    // states only in words (422).
    for (query, field) in [
        (
            "startDate=2026-12-05T00:00:00Z&endDate=2026-12-01T00:00:00Z",
            "endDate",
        ),
        (
            "createdStartDate=2026-12-05&createdEndDate=2026-12-01",
            "createdEndDate",
        ),
        ("pageToken=zzz", "pageToken"),
    ] {
        let (status, body) = api.get(&format!("/appointments?{query}")).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert_eq!(field_names(&body), [field], "{query}");
    }
}

#[tokio::test]
async fn pages_cover_everything_once_in_order() {
    let api = Api::start().await;
    let slots = api.free("haircut", Some("camille"), 3).await;
    // Forced bookings share start times, so the keyset must break ties by id.
    let mut created = Vec::new();
    for i in 0..23 {
        let start = &slots[i % 4];
        let (status, body) = api
            .post(
                "/appointments?force=true",
                &haircut(start, Some("camille"), &format!("p{i}@example.com")),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        created.push(body["id"].as_str().expect("id").to_owned());
    }
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut path = "/appointments?maxResults=5&fields=id,start".to_owned();
    let mut pages = 0;
    let sync_token = loop {
        let (status, page) = api.get(&path).await;
        assert_eq!(status, 200, "{page}");
        pages += 1;
        for item in page["items"].as_array().expect("items") {
            seen.push((
                item["start"]["dateTime"]
                    .as_str()
                    .expect("start")
                    .to_owned(),
                item["id"].as_str().expect("id").to_owned(),
            ));
        }
        match page["nextPageToken"].as_str() {
            Some(token) => {
                assert!(
                    page.get("nextSyncToken").is_none(),
                    "only the last page carries it"
                );
                path = format!("/appointments?maxResults=5&fields=id,start&pageToken={token}");
            }
            None => {
                break page["nextSyncToken"]
                    .as_str()
                    .expect("sync token")
                    .to_owned()
            }
        }
    };
    assert_eq!(pages, 5);
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "ordered by start, then id");
    let mut ids: Vec<_> = seen.iter().map(|(_, id)| id.clone()).collect();
    ids.sort();
    created.sort();
    assert_eq!(ids, created, "each exactly once");
    // A page token only works with the parameters it was issued for.
    let (_, first) = api.get("/appointments?maxResults=5").await;
    let token = first["nextPageToken"].as_str().expect("token");
    let (status, body) = api
        .get(&format!(
            "/appointments?maxResults=5&status=pending&pageToken={token}"
        ))
        .await;
    assert_eq!(status, 422);
    assert_eq!(field_names(&body), ["pageToken"]);

    // Sync pages too.
    for id in created.iter().take(7) {
        api.put(
            &format!("/appointments/{id}?force=true"),
            &json!({"notes": "synced"}),
        )
        .await;
    }
    let mut changed = Vec::new();
    let mut path = format!("/appointments?syncToken={sync_token}&maxResults=3&fields=id,notes");
    loop {
        let (status, page) = api.get(&path).await;
        assert_eq!(status, 200, "{page}");
        changed.extend(page["items"].as_array().expect("items").iter().cloned());
        match page["nextPageToken"].as_str() {
            Some(token) => {
                path = format!("/appointments?syncToken={sync_token}&maxResults=3&fields=id,notes&pageToken={token}")
            }
            None => break,
        }
    }
    assert_eq!(changed.len(), 7);
    assert!(changed.iter().all(|c| c["notes"] == "synced"));
}

#[tokio::test]
async fn resources_are_booked_by_units() {
    let api = Api::start().await;
    // The room is booked by the hour from opening time.
    let day = &api.free("haircut", Some("camille"), 3).await[0][..10];
    let start = format!("{day}T10:00:00");
    let room = |count: u32, email: &str| json!({"client": {"email": email}, "resource": {"id": "room"}, "resourceCount": count, "start": at(&start)});
    let (status, one) = api.post("/appointments", &room(1, "r1@example.com")).await;
    assert_eq!(status, 201, "{one}");
    assert_eq!(one["resource"]["id"], "room");
    let (status, _) = api.post("/appointments", &room(1, "r2@example.com")).await;
    assert_eq!(status, 201, "the second of two units");
    let (status, body) = api.post("/appointments", &room(1, "r3@example.com")).await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = api.post("/appointments", &room(3, "r4@example.com")).await;
    assert_eq!(status, 422, "more units than the resource has");
    assert_eq!(field_names(&body), ["resourceCount"]);
    let (status, body) = api
        .post("/appointments", &json!({"client": {"email": "r5@example.com"}, "resource": {"id": "ghost"}, "resourceCount": 1, "start": at(&start)}))
        .await;
    assert_eq!(status, 422, "no such resource");
    assert_eq!(field_names(&body), ["resource.id"]);
}

/// `yyyy-MM-ddTHH:mm:ss` in Paris, `days` from today at `hour`, and the same instant in UTC.
fn paris_day(days: u64, hour: u32) -> (String, chrono::DateTime<Utc>) {
    use chrono::TimeZone;
    let day = Utc::now().date_naive() + Days::new(days);
    let local = day.and_hms_opt(hour, 0, 0).expect("time");
    let utc = chrono_tz::Europe::Paris
        .from_local_datetime(&local)
        .single()
        .expect("not a DST gap")
        .with_timezone(&Utc);
    (local.format("%Y-%m-%dT%H:%M:%S").to_string(), utc)
}

#[tokio::test]
async fn a_lone_list_bound_works_and_offsetless_bounds_are_gmt() {
    let api = Api::start().await;
    let (near_local, near) = paris_day(3, 10);
    let (far_local, far) = paris_day(50, 10);
    let (_, a) = api
        .post(
            "/appointments?force=true",
            &haircut(&near_local, Some("camille"), "near@example.com"),
        )
        .await;
    let (_, b) = api
        .post(
            "/appointments?force=true",
            &haircut(&far_local, Some("camille"), "far@example.com"),
        )
        .await;
    let ids = |body: &Value| -> Vec<Value> {
        body["items"]
            .as_array()
            .unwrap_or_else(|| panic!("items: {body}"))
            .iter()
            .map(|i| i["id"].clone())
            .collect()
    };
    let gmt = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S").to_string();
    let rfc = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let day = chrono::Duration::days(1);
    let cases: Vec<(String, Vec<Value>)> = vec![
        // Only startDate, beyond the default endDate (now + 1 month): the two months from it.
        (
            format!("startDate={}", rfc(far - day)),
            vec![b["id"].clone()],
        ),
        (
            format!("startDate={}", rfc(far - chrono::Duration::days(70))),
            vec![a["id"].clone()],
        ),
        // Only endDate, before the default startDate (now − 1 month): the two months up to it.
        (
            format!("endDate={}", rfc(near - chrono::Duration::days(400))),
            vec![],
        ),
        // Only endDate, ahead: the default startDate still applies.
        (
            format!("endDate={}", rfc(far + day)),
            vec![a["id"].clone(), b["id"].clone()],
        ),
        // No offset: GMT. The haircut lasts 45 minutes.
        (
            format!("startDate={}", gmt(near + chrono::Duration::minutes(40))),
            vec![a["id"].clone()],
        ),
        (
            format!(
                "startDate={}&endDate={}",
                gmt(near + chrono::Duration::minutes(50)),
                gmt(far - day)
            ),
            vec![],
        ),
        (
            format!(
                "startDate={}&endDate={}",
                &gmt(near)[..16],
                &gmt(near + chrono::Duration::minutes(1))[..16]
            ),
            vec![a["id"].clone()],
        ),
        // An unencoded `+` arrives as a space: still that offset.
        (
            format!(
                "startDate={}+01:00&endDate={}",
                (near + chrono::Duration::minutes(100))
                    .with_timezone(&chrono::FixedOffset::east_opt(3600).expect("offset"))
                    .format("%Y-%m-%dT%H:%M:%S"),
                rfc(far - day)
            ),
            vec![],
        ),
    ];
    for (query, expected) in cases {
        let (status, body) = api.get(&format!("/appointments?{query}")).await;
        assert_eq!(status, 200, "{query}: {body}");
        let mut got = ids(&body);
        got.sort_by_key(|v| v.to_string());
        let mut want = expected;
        want.sort_by_key(|v| v.to_string());
        assert_eq!(got, want, "{query}");
    }
}

#[tokio::test]
async fn a_sync_reports_appointments_that_left_its_filters_as_removals() {
    let api = Api::start().await;
    let (kept_local, _) = paris_day(4, 10);
    let (leaving_local, _) = paris_day(4, 12);
    let book = |local: String, email: &'static str| {
        let api = &api;
        async move {
            let (status, body) = api
                .post(
                    "/appointments?force=true",
                    &haircut(&local, Some("camille"), email),
                )
                .await;
            assert_eq!(status, 201, "{body}");
            body["id"].as_str().expect("id").to_owned()
        }
    };
    let kept = book(kept_local, "kept@example.com").await;
    let leaving = book(leaving_local, "leaving@example.com").await;
    let (status, first) = api.get("/appointments?status=accepted&fields=id").await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["items"].as_array().map(Vec::len), Some(2), "{first}");
    let token = first["nextSyncToken"].as_str().expect("token").to_owned();

    let (status, body) = api
        .put(
            &format!("/appointments/{leaving}?force=true"),
            &json!({"status": "cancelled"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = api
        .put(
            &format!("/appointments/{kept}?force=true"),
            &json!({"notes": "still here"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let (status, changes) = api
        .get(&format!(
            "/appointments?status=accepted&fields=id,status,notes&syncToken={token}"
        ))
        .await;
    assert_eq!(status, 200, "{changes}");
    assert_eq!(
        changes["items"],
        json!([
            {"id": leaving, "status": "cancelled", "notes": "Prefers the window seat", "deleted": true},
            {"id": kept, "status": "accepted", "notes": "still here"}
        ]),
        "the cancelled one left status=accepted: a removal; the other an update"
    );

    // The token belongs to its filters: with others, the client must list again.
    let (status, body) = api
        .get(&format!("/appointments?status=pending&syncToken={token}"))
        .await;
    assert_eq!(status, 410, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("other filters"),
        "{body}"
    );
    // Presentation and time windows are not filters of a sync.
    let (status, body) = api
        .get(&format!(
            "/appointments?status=accepted&levelDetail=full&startDate=2020-01-01&syncToken={token}"
        ))
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn reschedule_links_ignore_planted_host_headers() {
    let api = Api::start().await;
    let (local, _) = paris_day(5, 10);
    let (status, a) = api
        .post(
            "/appointments?force=true",
            &haircut(&local, Some("camille"), "links@example.com"),
        )
        .await;
    assert_eq!(status, 201, "{a}");
    let id = a["id"].as_str().expect("id");
    let encrypted = a["encryptedId"].as_str().expect("encryptedId");
    let expected = format!(
        "{}/widget/?company=demo&appointment={encrypted}&action=reschedule",
        api.server.base
    );
    assert_eq!(a["rescheduleLink"]["url"], expected.as_str());
    for path in [
        format!("{DEMO}/appointments/{id}"),
        format!("{DEMO}/widget/appointments/{encrypted}"),
    ] {
        let response = api
            .server
            .client
            .get(format!("{}{path}", api.server.base))
            .header("apiKey", KEY)
            .header("host", "evil.example")
            .header("x-forwarded-proto", "https")
            .header("x-forwarded-host", "evil.example")
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(
            body["rescheduleLink"]["url"],
            expected.as_str(),
            "{path}: headers are not trusted unless --trust-forwarded-headers"
        );
    }
}

#[tokio::test]
async fn custom_statuses_are_managed_checked_and_named() {
    let api = Api::start().await;
    let response = api
        .server
        .client
        .get(format!("{}{DEMO}/appointmentStatuses", api.server.base))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 401, "the API key is required");

    let arrived = json!({"id": "arrived", "name": "Arrived", "color": "#2e7d32"});
    let (status, created) = api.post("/appointmentStatuses", &arrived).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created, arrived);
    let (status, generated) = api
        .post("/appointmentStatuses", &json!({"name": "Paid at desk"}))
        .await;
    assert_eq!(status, 201, "{generated}");
    let generated_id = generated["id"].as_str().expect("generated id").to_owned();
    let (_, list) = api.get("/appointmentStatuses").await;
    let mut listed: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    listed.sort_unstable();
    let mut want = vec!["arrived", generated_id.as_str()];
    want.sort_unstable();
    assert_eq!(listed, want);
    let (status, _) = api.post("/appointmentStatuses", &arrived).await;
    assert_eq!(status, 409, "the id is taken");
    for (body, field) in [
        (json!({"id": "x1"}), "name"),
        (json!({"id": "x2", "name": "  "}), "name"),
        (json!({"id": "bad id", "name": "n"}), "id"),
        (json!({"id": "seventeen-chars-x", "name": "n"}), "id"),
        (json!({"name": "n", "color": "green"}), "color"),
    ] {
        let (status, answer) = api.post("/appointmentStatuses", &body).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(field_names(&answer), [field], "{body}");
    }

    let (local, _) = paris_day(6, 10);
    let mut body = haircut(&local, Some("camille"), "custom@example.com");
    body["customStatus"] = json!({"id": "nope"});
    let (status, answer) = api.post("/appointments?force=true", &body).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(field_names(&answer), ["customStatus.id"]);
    body["customStatus"] = json!({"id": "arrived", "name": "ignored: read-only"});
    let (status, a) = api.post("/appointments?force=true", &body).await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(
        a["customStatus"],
        json!({"id": "arrived", "name": "Arrived"})
    );
    let id = a["id"].as_str().expect("id").to_owned();

    // Renamed: every read shows the current name.
    let (status, _) = api
        .put(
            "/appointmentStatuses/arrived",
            &json!({"name": "Checked in"}),
        )
        .await;
    assert_eq!(status, 200);
    // A body id other than the path's breaks a rule the document cannot state: 422.
    let (status, _) = api
        .put(
            "/appointmentStatuses/arrived",
            &json!({"id": "other", "name": "Checked in"}),
        )
        .await;
    assert_eq!(status, 422);
    // A path id no status could have (17 characters, not only ASCII) names nothing: 404, not a
    // 400 on a field the caller never sent (schemathesis found this).
    let (status, answer) = api
        .put(
            "/appointmentStatuses/%7Cb%C2%B5g%F0%B3%97%BE%203%C3%B6%C3%AC12345678",
            &json!({"name": "Checked in"}),
        )
        .await;
    assert_eq!(status, 404, "{answer}");
    let (_, read) = api.get(&format!("/appointments/{id}")).await;
    assert_eq!(
        read["customStatus"],
        json!({"id": "arrived", "name": "Checked in"})
    );
    let (_, listed) = api.get("/appointments?fields=id,customStatus").await;
    assert_eq!(
        listed["items"],
        json!([{"id": id, "customStatus": {"id": "arrived", "name": "Checked in"}}])
    );
    let (status, answer) = api
        .put(
            &format!("/appointments/{id}?force=true"),
            &json!({"customStatus": {"id": "gone"}}),
        )
        .await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(field_names(&answer), ["customStatus.id"]);
    let (status, answer) = api
        .put(
            &format!("/appointments/{id}?force=true"),
            &json!({"customStatus": {"id": generated_id}}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["customStatus"]["name"], "Paid at desk");

    let (status, _) = api
        .delete(&format!("/appointmentStatuses/{generated_id}"))
        .await;
    assert_eq!(status, 204);
    let (status, _) = api
        .get(&format!("/appointmentStatuses/{generated_id}"))
        .await;
    assert_eq!(status, 404);
    let (_, read) = api.get(&format!("/appointments/{id}")).await;
    assert_eq!(
        read["customStatus"],
        json!({"id": generated_id}),
        "a deleted status leaves its id without a name"
    );
}

#[tokio::test]
async fn a_nul_character_in_text_is_a_400_naming_the_field_on_either_database() {
    // PostgreSQL's text can't hold U+0000: the validators refuse it where they check the field.
    let api = Api::start().await;
    let slots = api.free("haircut", Some("camille"), 3).await;
    let mut body = haircut(&slots[0], Some("camille"), "nul@example.com");
    body["notes"] = json!("before\u{0}after");
    body["client"]["lastName"] = json!("Love\u{0}lace");
    let (status, answer) = api.post("/appointments", &body).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(field_names(&answer), ["client.lastName", "notes"]);
    let (_, list) = api.get("/appointments").await;
    assert_eq!(list["items"], json!([]), "nothing stored");

    // Every body, parameter and path segment alike: the document says so of every string.
    let resource = json!({"name": "Cabine\u{0}2", "duration": 30, "count": 1, "workingHours": []});
    let (status, answer) = api.post("/resources", &resource).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(field_names(&answer), ["name"]);
    let (_, resources) = api.get("/resources").await;
    assert!(!resources.to_string().contains("Cabine"), "{resources}");
    // A route that reads its (optional) body itself.
    let (status, answer) = api.post("/cryptoKeys", &json!({"name": "k\u{0}1"})).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(field_names(&answer), ["name"]);
    for (path, field) in [
        ("/appointments?lang=fr%00", "lang"),
        ("/appointments/x%00y", "appointmentId"),
        ("/appointments/x?fields=id%00", "fields"),
    ] {
        let (status, answer) = api.get(path).await;
        assert_eq!(status, 400, "{path}: {answer}");
        assert_eq!(field_names(&answer), [field], "{path}");
    }
}

#[tokio::test]
async fn a_client_cannot_set_the_calendar_copy_the_server_reports() {
    let api = Api::start().await;
    let slots = api.free("haircut", Some("camille"), 3).await;
    let mut body = haircut(&slots[0], Some("camille"), "copy@example.com");
    body["synchronization"] = json!({"caldavCalendar": {"id": "https://evil.example/x.ics"},
        "googleCalendar": {"id": "g1"}});
    let (status, created) = api.post("/appointments", &body).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        created["synchronization"],
        json!({"googleCalendar": {"id": "g1"}})
    );
    let id = created["id"].as_str().expect("id");
    let (_, read) = api.get(&format!("/appointments/{id}")).await;
    assert_eq!(
        read["synchronization"],
        json!({"googleCalendar": {"id": "g1"}})
    );
}
