//! The business setup API over real HTTP: the key's company, services, staff, resources, forms and
//! clients; validation; tenancy; and that what it writes is what the widget and booking use.

mod support;

use reqwest::Method;
use serde_json::{json, Value};
use support::{plus_minutes, TestServer};

const DEMO: &str = "/api/2.1/scheduling/companies/demo";
const KEY: &str = support::DEMO_KEY;

async fn call(
    server: &TestServer,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    server
        .api(method, &format!("{DEMO}{path}"), body.as_ref())
        .await
}

fn names(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|f| f["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_company_is_read_replaced_validated_and_deleted() {
    let server = TestServer::with_demo().await;
    let (status, company) = call(&server, Method::GET, "", None).await;
    assert_eq!(status, 200, "{company}");
    assert_eq!(company["id"], "demo");
    assert_eq!(
        company["externalId"], "crm-demo-001",
        "the full record, not the public view"
    );

    let mut changed = company.clone();
    changed["name"] = json!("Atelier Lumière & Co");
    changed["extendedProperties"] = json!({"private": {"plan": "gold"}});
    let (status, body) = call(&server, Method::PUT, "", Some(changed)).await;
    assert_eq!(status, 200, "{body}");
    let (_, public) = server.get_json(&format!("{DEMO}/widget/company")).await;
    assert_eq!(public["name"], "Atelier Lumière & Co");
    assert!(
        !public.to_string().contains("gold"),
        "private data stays private"
    );

    for (patch, field) in [
        (json!({"timeZone": "Mars/Base"}), "timeZone"),
        (json!({"timeZone": null}), "timeZone"),
        (json!({"name": ""}), "name"),
        (json!({"email": "nope"}), "email"),
        (json!({"id": "other"}), "id"),
        (
            json!({"workingHours": [{"day": "monday", "hours": [{"start": "18:00", "end": "09:00"}]}]}),
            "workingHours[0].hours[0]",
        ),
        (
            json!({"workingHours": [{"day": "monday"}, {"day": "monday"}]}),
            "workingHours[1].day",
        ),
        (
            json!({"vacations": [{"startDate": "2026-12-26", "endDate": "2026-12-24"}]}),
            "vacations[0]",
        ),
        (json!({"currency": "XYZ"}), "currency"),
    ] {
        let mut body = company.clone();
        for (k, v) in patch.as_object().expect("object") {
            body[k] = v.clone();
        }
        let (status, answer) = call(&server, Method::PUT, "", Some(body)).await;
        // Rules between fields (and the path) are what the OpenAPI document cannot say: 422.
        let rules = [
            "id",
            "workingHours[0].hours[0]",
            "workingHours[1].day",
            "vacations[0]",
        ];
        let want = if rules.contains(&field) { 422 } else { 400 };
        assert_eq!(status, want, "{patch}: {answer}");
        assert_eq!(names(&answer), [field], "{patch}");
    }

    let (status, _) = call(&server, Method::DELETE, "", None).await;
    assert_eq!(status, 204);
    let (status, _) = call(&server, Method::GET, "", None).await;
    assert_eq!(status, 401, "its keys went with it");
    let (status, _) = server.get_json(&format!("{DEMO}/widget/company")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn services_have_full_crud_and_are_bookable_right_away() {
    let server = TestServer::with_demo().await;
    let (status, list) = call(&server, Method::GET, "/services", None).await;
    assert_eq!(status, 200);
    assert_eq!(list["items"].as_array().expect("items").len(), 5);

    let service = json!({
        "id": "beard", "name": "Beard trim", "duration": 20, "price": 15,
        "staff": [{"id": "hugo"}], "externalId": "SKU-BEARD", "useCompanyWorkingHours": true
    });
    let (status, created) = call(&server, Method::POST, "/services", Some(service.clone())).await;
    assert_eq!(status, 201, "{created}");
    let (status, _) = call(&server, Method::POST, "/services", Some(service.clone())).await;
    assert_eq!(status, 409, "id taken");
    let mut same_external = service.clone();
    same_external["id"] = json!("beard2");
    let (status, body) = call(&server, Method::POST, "/services", Some(same_external)).await;
    assert_eq!(status, 409, "externalId taken: {body}");
    let (status, generated) = call(
        &server,
        Method::POST,
        "/services",
        Some(json!({"name": "No id", "duration": 10})),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(generated["id"].as_str().map(str::len), Some(12));

    let (status, read) = call(&server, Method::GET, "/services/beard", None).await;
    assert_eq!(status, 200);
    assert_eq!(read["externalId"], "SKU-BEARD");
    let (_, list) = call(&server, Method::GET, "/services", None).await;
    let ids: Vec<_> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|s| s["id"].clone())
        .collect();
    assert_eq!(ids[5], "beard", "new ones go last");

    // The widget offers it at once.
    let (_, widget) = server.get_json(&format!("{DEMO}/widget/services")).await;
    assert!(widget["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|s| s["id"] == "beard"));
    // And books it, for its own length, with its own staff member.
    let start = server.free_starts("beard", Some("hugo"), 3).await.remove(0);
    let (status, booked) = call(
        &server,
        Method::POST,
        "/appointments",
        Some(json!({"client": {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"},
                    "service": {"id": "beard"}, "start": {"dateTime": start, "timeZone": "Europe/Paris"}})),
    )
    .await;
    assert_eq!(status, 201, "{booked}");
    assert_eq!(booked["service"]["id"], "beard");
    assert_eq!(booked["staff"]["id"], "hugo");
    assert_eq!(booked["start"]["dateTime"], start);
    assert_eq!(booked["end"]["dateTime"], plus_minutes(&start, 20));

    let mut longer = service.clone();
    longer["duration"] = json!(30);
    longer.as_object_mut().expect("object").remove("id");
    let (status, replaced) = call(&server, Method::PUT, "/services/beard", Some(longer)).await;
    assert_eq!(status, 200, "{replaced}");
    assert_eq!(replaced["duration"], 30);
    let (_, list) = call(&server, Method::GET, "/services", None).await;
    assert_eq!(
        list["items"][5]["id"], "beard",
        "replacing keeps the position"
    );

    for (body, field) in [
        (json!({"name": "x", "duration": 0}), "duration"),
        (json!({"name": "x"}), "duration"),
        (json!({"duration": 10}), "name"),
        (json!({"name": "x", "duration": 10, "price": -1}), "price"),
        (
            json!({"name": "x", "duration": 10, "capacity": 0}),
            "capacity",
        ),
        (
            json!({"name": "x", "duration": 10, "workingHours": [{"day": "monday", "hours": [{"start": "9h", "end": "10:00"}]}]}),
            "workingHours[0].hours[0]",
        ),
        (
            json!({"name": "x", "duration": 10, "staff": [{"id": "x".repeat(17)}]}),
            "staff[0].id",
        ),
        (
            json!({"name": "x", "duration": 10, "resource": [{"id": "room", "quantity": 0}]}),
            "resource[0].quantity",
        ),
        (
            json!({"id": "x".repeat(17), "name": "x", "duration": 10}),
            "id",
        ),
        (json!({"id": "a/b", "name": "x", "duration": 10}), "id"),
        (json!({"name": "x", "duration": "long"}), "duration"),
        (
            json!({"name": "x", "duration": 10, "locations": ["moon"]}),
            "locations[0]",
        ),
    ] {
        let (status, answer) = call(&server, Method::POST, "/services", Some(body.clone())).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(names(&answer), [field], "{body}");
    }
    let (status, body) = call(
        &server,
        Method::PUT,
        "/services/beard",
        Some(json!({"id": "other", "name": "x", "duration": 5})),
    )
    .await;
    assert_eq!(status, 422, "the body's id is not the path's");
    assert_eq!(names(&body), ["id"]);
    let (status, _) = call(
        &server,
        Method::PUT,
        "/services/ghost",
        Some(json!({"name": "x", "duration": 5})),
    )
    .await;
    assert_eq!(status, 404);

    let (status, body) = call(&server, Method::DELETE, "/services/beard", None).await;
    assert_eq!((status, body), (204, Value::Null));
    let (status, _) = call(&server, Method::GET, "/services/beard", None).await;
    assert_eq!(status, 404);
    let (status, _) = call(&server, Method::DELETE, "/services/beard", None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn staff_resources_and_forms_are_validated_too() {
    let server = TestServer::with_demo().await;
    let cases: [(&str, Value, Value, &str); 3] = [
        (
            "/staff",
            json!({"id": "zoe", "firstName": "Zoé", "lastName": "Martin", "email": "zoe@example.com",
                   "services": [{"id": "haircut"}], "availableForWidget": true}),
            json!({"firstName": "", "email": "bad"}),
            "firstName",
        ),
        (
            "/resources",
            json!({"id": "chair", "name": "Chair", "duration": 30, "count": 3, "price": 5.0}),
            json!({"name": "Chair", "duration": 30, "count": 0}),
            "count",
        ),
        (
            "/forms",
            json!({"id": "short", "name": "Short", "contactFields": [
                {"id": "fn", "type": "input", "bind": "crm-first-name"},
                {"id": "ln", "type": "input", "bind": "crm-last-name"},
                {"id": "em", "type": "email", "bind": "crm-email", "mandatory": true},
                {"id": "ph", "type": "phone", "bind": "crm-phone"}
            ], "objects": [{"id": "beard", "type": "service"}]}),
            json!({"name": "Broken", "contactFields": [{"id": "fn", "bind": "crm-first-name"}]}),
            "contactFields",
        ),
    ];
    for (path, good, bad, field) in cases {
        let (status, created) = call(&server, Method::POST, path, Some(good.clone())).await;
        assert_eq!(status, 201, "{path}: {created}");
        let id = created["id"].as_str().expect("id").to_owned();
        let (status, mut read) = call(&server, Method::GET, &format!("{path}/{id}"), None).await;
        // The server adds the staff member's feed URL (tests/calendar_feed.rs checks it).
        if let Some(record) = read.as_object_mut() {
            record.remove("calendarFeedUrl");
        }
        assert_eq!((status, &read), (200, &good), "{path}");
        let (status, answer) = call(&server, Method::POST, path, Some(bad)).await;
        assert_eq!(status, 400, "{path}: {answer}");
        assert!(
            names(&answer).iter().any(|n| n == field),
            "{path}: {answer}"
        );
        let (status, list) = call(&server, Method::GET, path, None).await;
        assert_eq!(status, 200);
        assert!(list["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["id"] == json!(id)));
        let (status, _) = call(
            &server,
            Method::PUT,
            &format!("{path}/{id}"),
            Some(good.clone()),
        )
        .await;
        assert_eq!(status, 200, "{path}");
        let (status, _) = call(&server, Method::DELETE, &format!("{path}/{id}"), None).await;
        assert_eq!(status, 204, "{path}");
    }
    // Staff email/phone and hours appear here, never on the widget's staff route.
    let (_, staff) = call(&server, Method::GET, "/staff/hugo", None).await;
    assert!(staff["workingHours"].is_array());
    let (_, public) = server.get_json(&format!("{DEMO}/widget/staff")).await;
    assert!(public["items"][0].get("workingHours").is_none());
    // Form items: ids unique, patterns that compile.
    let (status, body) = call(
        &server,
        Method::POST,
        "/forms",
        Some(json!({"name": "F", "contactFields": [
            {"id": "a", "bind": "crm-first-name"}, {"id": "a", "bind": "crm-last-name"},
            {"id": "c", "bind": "crm-email", "valueFormat": {"regexValue": "(["}}, {"id": "d", "bind": "crm-phone"}
        ]})),
    )
    .await;
    assert_eq!(
        status, 422,
        "unique ids and patterns are rules the document cannot state"
    );
    assert_eq!(
        names(&body),
        [
            "contactFields[1].id",
            "contactFields[2].valueFormat.regexValue"
        ]
    );
}

#[tokio::test]
async fn clients_have_crud_and_feed_appointments() {
    let server = TestServer::with_demo().await;
    let (status, created) = call(
        &server,
        Method::POST,
        "/clients",
        Some(json!({"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com", "externalId": "CRM-1", "timeZone": "Europe/London"})),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().expect("id").to_owned();
    let (status, _) = call(
        &server,
        Method::POST,
        "/clients",
        Some(json!({"email": "b@example.com", "externalId": "CRM-1"})),
    )
    .await;
    assert_eq!(status, 409, "externalId taken");
    let (status, _) = call(
        &server,
        Method::POST,
        "/clients",
        Some(json!({"id": id, "email": "c@example.com"})),
    )
    .await;
    assert_eq!(status, 409, "id taken");
    for (body, field) in [
        (json!({}), "email"),
        (json!({"email": "nope"}), "email"),
        (json!({"firstName": "x".repeat(128)}), "firstName"),
        (
            json!({"email": "a@b.co", "timeZone": "Nowhere"}),
            "timeZone",
        ),
        (json!({"id": "x".repeat(17), "email": "a@b.co"}), "id"),
    ] {
        let (status, answer) = call(&server, Method::POST, "/clients", Some(body.clone())).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(names(&answer), [field], "{body}");
    }
    let (status, list) = call(&server, Method::GET, "/clients", None).await;
    assert_eq!(status, 200);
    assert_eq!(list["items"].as_array().expect("items").len(), 1);
    let (status, replaced) = call(
        &server,
        Method::PUT,
        &format!("/clients/{id}"),
        Some(json!({"firstName": "Augusta Ada", "lastName": "King", "email": "ada@example.com", "externalId": "CRM-1"})),
    )
    .await;
    assert_eq!(status, 200, "{replaced}");
    let (_, read) = call(&server, Method::GET, &format!("/clients/{id}"), None).await;
    assert_eq!(read["lastName"], "King");

    // An appointment for this client by id and then by email reuses the record.
    let all = server.free_starts("haircut", Some("camille"), 3).await;
    for (i, client) in [
        json!({"id": id}),
        json!({"email": "ada@example.com"}),
        json!({"externalId": "CRM-1"}),
    ]
    .into_iter()
    .enumerate()
    {
        let (status, a) = call(
            &server,
            Method::POST,
            "/appointments",
            Some(
                json!({"client": client, "service": {"id": "haircut"}, "staff": {"id": "camille"},
                        "start": {"dateTime": all[i], "timeZone": "Europe/Paris"}}),
            ),
        )
        .await;
        assert_eq!(status, 201, "{a}");
        assert_eq!(a["client"]["id"], json!(id));
        assert_eq!(a["client"]["lastName"], "King");
    }
    let (_, list) = call(&server, Method::GET, "/clients", None).await;
    assert_eq!(
        list["items"].as_array().expect("items").len(),
        1,
        "no duplicates"
    );

    let (status, _) = call(&server, Method::DELETE, &format!("/clients/{id}"), None).await;
    assert_eq!(status, 204);
    let (status, _) = call(&server, Method::GET, &format!("/clients/{id}"), None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn setup_routes_require_a_key_of_the_company() {
    let server = TestServer::with_demo().await;
    let other = booking_server::admin::create_company(&server.db, "other", "Other", "UTC")
        .await
        .expect("company");
    for path in [
        "",
        "/services",
        "/services/haircut",
        "/staff",
        "/resources/room",
        "/forms",
        "/clients",
    ] {
        let url = format!("{}{DEMO}{path}", server.base);
        let anonymous = server.client.get(&url).send().await.expect("request");
        assert_eq!(anonymous.status().as_u16(), 401, "{path}");
        let foreign = server
            .client
            .get(&url)
            .header("apiKey", &other)
            .send()
            .await
            .expect("request");
        assert_eq!(foreign.status().as_u16(), 404, "{path}");
        let own = server
            .client
            .get(&url)
            .header("apiKey", KEY)
            .send()
            .await
            .expect("request");
        assert_eq!(own.status().as_u16(), 200, "{path}");
    }
    // Demo seeding goes through the same validated writes and stays idempotent.
    booking_server::demo::seed(&server.db)
        .await
        .expect("seed again");
    let (_, list) = call(&server, Method::GET, "/services", None).await;
    assert_eq!(list["items"].as_array().expect("items").len(), 5);
}
