//! The OpenAPI document: valid OpenAPI 3.1 structure, every `$ref` resolves, every documented
//! operation is served by the router (and no other method on its path), and the schemas carry what
//! the types and their validators say (derived from `booking-model`, not written by hand).

mod support;

use std::collections::HashSet;

use serde_json::Value;
use support::TestServer;

fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_is_valid_and_matches_the_router() {
    let server = TestServer::with_demo().await;
    let (status, doc) = server.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let mut all_refs = Vec::new();
    refs(&doc, &mut all_refs);
    for r in &all_refs {
        let name = r
            .strip_prefix("#/components/schemas/")
            .expect("local schema ref");
        assert!(schemas.contains_key(name), "unresolved {r}");
    }
    // The Appointment schema carries the reference's fields.
    let appointment = &schemas["Appointment"]["properties"];
    assert!(!appointment.as_object().expect("properties").is_empty());
    for field in [
        "id",
        "reference",
        "client",
        "start",
        "history",
        "extendedProperties",
        "rescheduleLink",
        "encryptedId",
    ] {
        assert!(appointment.get(field).is_some(), "Appointment.{field}");
    }

    let paths = doc["paths"].as_object().expect("paths");
    let mut operation_ids = HashSet::new();
    let mut operations = Vec::new();
    for (path, item) in paths {
        let declared: HashSet<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|p| p.split('}').next())
            .collect();
        for (method, op) in item.as_object().expect("path item") {
            assert!(
                operation_ids.insert(op["operationId"].as_str().expect("operationId").to_owned())
            );
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}"
            );
            let path_params: HashSet<&str> = op["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .filter(|p| p["in"] == "path")
                .map(|p| {
                    assert_eq!(p["required"], true);
                    p["name"].as_str().expect("name")
                })
                .collect();
            assert_eq!(path_params, declared, "{method} {path}");
            operations.push((
                method.clone(),
                path.clone(),
                !op["security"].as_array().expect("security").is_empty(),
            ));
        }
    }
    assert!(operations.len() >= 40, "{}", operations.len());
    for wanted in [
        (
            "get",
            "/api/2.1/scheduling/companies/{companyId}/appointments",
        ),
        (
            "post",
            "/api/2.1/scheduling/companies/{companyId}/appointments",
        ),
        (
            "get",
            "/api/2.1/scheduling/companies/{companyId}/appointments/{appointmentId}",
        ),
        (
            "put",
            "/api/2.1/scheduling/companies/{companyId}/appointments/{appointmentId}",
        ),
        (
            "delete",
            "/api/2.1/scheduling/companies/{companyId}/appointments/{appointmentId}",
        ),
        (
            "get",
            "/api/2.1/scheduling/companies/{companyId}/widget/freeSlots",
        ),
    ] {
        assert!(
            operations
                .iter()
                .any(|(m, p, _)| m == wanted.0 && p == wanted.1),
            "{wanted:?}"
        );
    }

    // Deleting the company last keeps the demo data for the other calls.
    operations.sort_by_key(|(m, p, _)| (m == "delete" && p.ends_with("{companyId}"), p.clone()));
    let concrete = |path: &str| {
        path.replace("{companyId}", "demo")
            .replace("{appointmentId}", "nope")
            .replace("{encryptedId}", "nope")
            .replace("{id}", "nope")
    };
    for (method, path, auth) in &operations {
        let method_upper =
            reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let mut request = server
            .client
            .request(method_upper, format!("{}{}", server.base, concrete(path)));
        if *auth {
            request = request.header("apiKey", "demo-api-key");
        }
        if method == "post" || method == "put" {
            request = request.json(&serde_json::json!({}));
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let body = response.text().await.expect("body");
        assert_ne!(status, 405, "{method} {path} is not routed");
        assert!(
            !body.contains("no such API route"),
            "{method} {path} is not routed: {body}"
        );
        assert!(status < 500, "{method} {path}: {status} {body}");
        // Every other method on the same path is refused: the document lists them all.
        let documented: Vec<&str> = paths[path]
            .as_object()
            .expect("item")
            .keys()
            .map(String::as_str)
            .collect();
        for other in ["get", "post", "put", "delete", "patch"] {
            if documented.contains(&other) || path.ends_with("{companyId}") {
                continue;
            }
            let response = server
                .client
                .request(
                    reqwest::Method::from_bytes(other.to_uppercase().as_bytes()).expect("m"),
                    format!("{}{}", server.base, concrete(path)),
                )
                .header("apiKey", "demo-api-key")
                .send()
                .await
                .expect("request");
            assert_eq!(
                response.status().as_u16(),
                405,
                "{other} {path} answers but is not documented"
            );
        }
    }
}

/// The schema of `name`, following one `$ref`.
fn component<'a>(doc: &'a Value, name: &str) -> &'a Value {
    &doc["components"]["schemas"][name]
}

#[tokio::test]
async fn schemas_follow_the_types_and_their_validators() {
    let server = TestServer::with_demo().await;
    let (_, doc) = server.get_json("/api/openapi.json").await;
    // Numbers are numbers (the hand-written document said string).
    let value_format = &component(&doc, "ValueFormat")["properties"];
    for limit in ["minLength", "maxLength"] {
        let types = value_format[limit]["type"].to_string();
        assert!(types.contains("integer"), "{limit}: {types}");
    }
    // Required fields and minimums of the setup validators.
    let service = component(&doc, "Service");
    let required: Vec<&str> = service["required"]
        .as_array()
        .expect("Service.required")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        required.contains(&"name") && required.contains(&"duration"),
        "{required:?}"
    );
    assert_eq!(service["properties"]["duration"]["minimum"], 1);
    assert_eq!(
        component(&doc, "ServiceRef")["properties"]["id"]["maxLength"],
        16
    );
    // Lenient wire forms: `paid` is read from a boolean or "true"/"false".
    let paid = component(&doc, "Appointment")["properties"]["paid"]["type"].to_string();
    assert!(
        paid.contains("boolean") && paid.contains("string"),
        "{paid}"
    );
    // What only the server sets is read-only (a value sent is ignored).
    let sync = &component(&doc, "Synchronization")["properties"];
    for field in ["caldavCalendar", "personalAppointmentSync"] {
        assert_eq!(sync[field]["readOnly"], true, "{field}: {sync}");
    }
    // Time zones are the names the server accepts.
    let zones = component(&doc, "TimeZone")["enum"]
        .as_array()
        .expect("zones");
    assert!(zones.iter().any(|z| z == "Europe/Paris") && zones.len() > 300);
    // An insert declares what validate_appointment requires.
    let insert = &doc["paths"]["/api/2.1/scheduling/companies/{companyId}/appointments"]["post"]
        ["requestBody"]["content"]["application/json"]["schema"];
    assert!(
        insert.to_string().contains(r#""required":["start"]"#),
        "{insert}"
    );
}

#[tokio::test]
async fn every_field_of_the_appointment_schema_is_selectable_with_fields() {
    let server = TestServer::with_demo().await;
    let (_, doc) = server.get_json("/api/openapi.json").await;
    let names: Vec<String> = component(&doc, "Appointment")["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect();
    assert!(names.len() > 30, "{names:?}");
    let list = |fields: String| {
        server
            .client
            .get(format!(
                "{}/api/2.1/scheduling/companies/demo/appointments",
                server.base
            ))
            .query(&[("fields", fields)])
            .header("apiKey", "demo-api-key")
            .send()
    };
    let response = list(names.join(",")).await.expect("request");
    assert_eq!(response.status().as_u16(), 200, "{names:?}");
    let response = list("id,notAField".to_owned()).await.expect("request");
    assert_eq!(response.status().as_u16(), 400);
}

#[tokio::test]
async fn the_docs_page_renders_the_document_without_external_scripts() {
    let server = TestServer::with_demo().await;
    let response = server
        .client
        .get(format!("{}/api/docs", server.base))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .expect("type")
        .starts_with("text/html"));
    let html = response.text().await.expect("html");
    assert!(html.contains("/api/openapi.json"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing loaded from elsewhere"
    );
}

/// `POST {path}` with the demo key.
async fn post_with_key(server: &TestServer, path: &str, body: &Value) -> (u16, Value) {
    let response = server
        .client
        .post(format!(
            "{}/api/2.1/scheduling/companies/demo{path}",
            server.base
        ))
        .header("apiKey", "demo-api-key")
        .json(body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON body"))
}

#[tokio::test]
async fn bodies_are_read_as_the_document_says_json_is() {
    let server = TestServer::with_demo().await;
    // JSON Schema counts 30.0 as an integer, and so does the server (Python writes whole floats so).
    let (status, body) = post_with_key(
        &server,
        "/services",
        &serde_json::json!({"name": "Trim", "duration": 30.0, "capacity": 2.0}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["duration"], 30);
    let (status, body) = post_with_key(
        &server,
        "/services",
        &serde_json::json!({"name": "Trim", "duration": 30.5}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    // The document says object; serde alone would read a struct from an array of its fields.
    let (status, body) = post_with_key(
        &server,
        "/services",
        &serde_json::json!({"name": "Trim", "duration": 30, "i18n": {"fr": [null, null]}}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["fields"][0]["name"], "i18n.fr");
}
