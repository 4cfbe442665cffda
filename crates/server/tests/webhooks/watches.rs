//! Managing watches: create, list, update, delete, secrets masked, validation, address guards.

use crate::harness::*;

#[tokio::test]
async fn watches_are_created_listed_updated_and_deleted_with_secrets_masked() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;

    let (status, _) = app
        .client
        .get(format!("{}{DEMO}/appointments/watch", app.base))
        .send()
        .await
        .map(|r| (r.status().as_u16(), ()))
        .expect("request");
    assert_eq!(status, 401, "the API key is required");

    let full = json!({
        "address": hook.url("/hook"),
        "name": "CRM sync",
        "basicAuth": {"username": "crm", "password": "s3cret"},
        "httpRequestHeader": {"X-Api-Key": "k-123", "X-Source": "booking"},
        "schema": {"email": "$.client.email"},
        "levelDetails": "extraFull",
        "method": "PUT",
        "status": "enabled",
        "signature": {"enabled": false}
    });
    let (status, created) = app.post("/appointments/watch", &full).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(created["address"], hook.url("/hook"));
    assert_eq!(
        created["basicAuth"],
        json!({"username": "crm", "password": "********"})
    );
    assert_eq!(
        created["httpRequestHeader"],
        json!({"X-Api-Key": "********", "X-Source": "********"})
    );
    assert_eq!(created["levelDetails"], "extraFull");
    assert_eq!(created["method"], "PUT");
    assert!(!created.to_string().contains("s3cret"));

    let (status, list) = app.get("/appointments/watch").await;
    assert_eq!(status, 200);
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(list["items"][0]["id"], id.as_str());

    // Read, change the name, write back with the masks: the stored secrets stay.
    let (_, mut read) = app.get(&format!("/appointments/watch/{id}")).await;
    read["name"] = json!("CRM sync (renamed)");
    read["schema"] = Value::Null;
    read["method"] = json!("POST");
    read["levelDetails"] = json!("full");
    let (status, updated) = app
        .call(
            Method::PUT,
            &format!("{DEMO}/appointments/watch/{id}"),
            Some(&read),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["name"], "CRM sync (renamed)");
    app.appointment(30, 10, "masked@example.com").await;
    let hit = &hook.wait("/hook", 1).await[0];
    let basic = base64::engine::general_purpose::STANDARD.encode("crm:s3cret");
    assert_eq!(
        hit.header("authorization"),
        Some(format!("Basic {basic}").as_str())
    );
    assert_eq!(hit.header("x-api-key"), Some("k-123"));

    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("{DEMO}/appointments/watch/{id}"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = app.get(&format!("/appointments/watch/{id}")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn headers_sent_as_a_list_are_delivered_and_answered_as_a_list() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    let (status, created) = app
        .post(
            "/appointments/watch",
            &json!({
                "address": hook.url("/hook"),
                "httpRequestHeader": [
                    {"name": "X-Api-Key", "value": "k-123"},
                    {"name": "X-Source", "value": "booking"}
                ]
            }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let masked = json!([
        {"name": "X-Api-Key", "value": "********"},
        {"name": "X-Source", "value": "********"}
    ]);
    assert_eq!(
        created["httpRequestHeader"], masked,
        "the form it was sent in"
    );
    let id = created["id"].as_str().expect("id").to_owned();
    // Written back with the masks: the stored values stay, still a list.
    let (status, updated) = app
        .call(
            Method::PUT,
            &format!("{DEMO}/appointments/watch/{id}"),
            Some(&created),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["httpRequestHeader"], masked);
    app.appointment(30, 10, "listed@example.com").await;
    let hit = &hook.wait("/hook", 1).await[0];
    assert_eq!(hit.header("x-api-key"), Some("k-123"));
    assert_eq!(hit.header("x-source"), Some("booking"));

    for (headers, field) in [
        (
            json!([{"name": "webhook-id", "value": "forged"}]),
            "httpRequestHeader[0].name",
        ),
        (
            json!([{"name": "X-A", "value": "1"}, {"name": "x-a", "value": "2"}]),
            "httpRequestHeader[1].name",
        ),
        (
            json!([{"name": "X-A", "value": "line\nbreak"}]),
            "httpRequestHeader[0].value",
        ),
        (
            json!([{"name": "X-A", "value": "********"}]),
            "httpRequestHeader[0].value",
        ),
    ] {
        let body = json!({"address": "http://example.com/", "httpRequestHeader": headers});
        let (status, answer) = app.post("/appointments/watch", &body).await;
        assert_eq!(status, 400, "{body} → {answer}");
        assert_eq!(field_names(&answer), [field], "{answer}");
    }
    let (status, answer) = app
        .post(
            "/appointments/watch",
            &json!({"address": "http://example.com/", "httpRequestHeader": [{"name": "X-A"}]}),
        )
        .await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        field_names(&answer)
            .iter()
            .all(|f| f.starts_with("httpRequestHeader")),
        "{answer}"
    );
}

#[tokio::test]
async fn invalid_watches_are_refused_naming_the_field() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let cases = [
        (json!({"name": "no address"}), "address"),
        (json!({"address": "ftp://example.com/x"}), "address"),
        (
            json!({"address": "http://example.com/", "method": "GET"}),
            "method",
        ),
        (
            json!({"address": "http://example.com/", "status": "paused"}),
            "status",
        ),
        (
            json!({"address": "http://example.com/", "schema": {"a": ["$.x[?(@.y)]"]}}),
            "schema.a[0]",
        ),
        (
            json!({"address": "http://example.com/", "signature": {"enabled": true, "cryptoKeyIds": ["nope"]}}),
            "signature.cryptoKeyIds",
        ),
        (
            json!({"address": "http://example.com/", "oauth2Auth": {"clientId": "c", "refreshToken": "r"}}),
            "oauth2Auth.accessTokenUrl",
        ),
        (
            json!({"address": "http://example.com/", "oauth2Auth": {"grantType": "client_credentials",
                "clientId": "c", "accessTokenUrl": "http://example.com/token"}}),
            "oauth2Auth.clientSecret",
        ),
        (
            json!({"address": "http://example.com/", "basicAuth": {"username": "u", "password": "p"},
                "oauth2Auth": {"clientId": "c", "refreshToken": "r", "accessTokenUrl": "http://example.com/t"}}),
            "oauth2Auth",
        ),
        (
            json!({"address": "http://example.com/", "httpRequestHeader": {"webhook-signature": "forged"}}),
            "httpRequestHeader.webhook-signature",
        ),
        (
            json!({"address": "http://example.com/", "basicAuth": {"username": "u", "password": "********"}}),
            "basicAuth.password",
        ),
    ];
    for (body, field) in cases {
        let (status, answer) = app.post("/appointments/watch", &body).await;
        assert_eq!(status, 400, "{body} → {answer}");
        assert!(
            field_names(&answer).iter().any(|f| f == field),
            "{body} should name {field}: {answer}"
        );
    }
}

#[tokio::test]
async fn private_addresses_are_refused_without_the_flag_at_creation_and_at_delivery() {
    let dir = Dir::new();
    let hook = Receiver::start().await;
    // Created while private addresses were allowed...
    let watch_id = {
        let app = App::start(&dir.db(), true, fast()).await;
        app.watch(json!({"address": hook.url("/hook")})).await
    };
    // ...then the server restarts without --allow-private-webhooks.
    let app = App::start(&dir.db(), false, fast()).await;
    for address in [
        hook.url("/hook"),
        "http://localhost/hook".to_owned(),
        "http://10.0.0.7/hook".to_owned(),
        "http://169.254.169.254/latest/meta-data".to_owned(),
        "http://[::1]/hook".to_owned(),
    ] {
        let (status, answer) = app
            .post("/appointments/watch", &json!({"address": address}))
            .await;
        assert_eq!(status, 400, "{address}: {answer}");
        assert_eq!(field_names(&answer), ["address"], "{answer}");
    }
    app.appointment(30, 10, "private@example.com").await;
    let log = app.wait_delivery(&watch_id, "failed").await;
    let error = log["items"][0]["lastError"].as_str().unwrap_or_default();
    assert!(error.contains("address refused"), "{log:#}");
    assert_eq!(log["items"][0]["attemptCount"], 1, "refusals are final");
    assert!(
        hook.hits("/hook").is_empty(),
        "nothing reached the private address"
    );
}

#[tokio::test]
async fn names_resolving_to_private_addresses_are_refused_when_connecting() {
    // The guard against DNS rebinding: whatever a name resolved to when it was checked, the client
    // resolves it again when it connects and refuses private addresses then too.
    let hook = Receiver::start().await;
    let port = hook.base.rsplit(':').next().expect("port");
    let runtime = webhooks::Runtime::new(fast(), false);
    let error = runtime
        .client
        .get(format!("http://localhost:{port}/rebound"))
        .send()
        .await
        .expect_err("a private address is refused");
    assert!(
        webhooks::send::describe(&error).contains("no public address"),
        "{error:?}"
    );
    assert!(hook.hits("/rebound").is_empty());
    // With --allow-private-webhooks the same request goes through.
    let open = webhooks::Runtime::new(fast(), true);
    let answer = open
        .client
        .get(format!("http://localhost:{port}/rebound"))
        .send()
        .await
        .expect("allowed");
    assert_eq!(answer.status().as_u16(), 200);
}

#[tokio::test]
async fn a_private_access_token_url_is_refused() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), false, fast()).await;
    let body = json!({
        // A public address literal: no DNS needed, and nothing is sent at creation.
        "address": "http://93.184.215.14/hook",
        "oauth2Auth": {"clientId": "c", "refreshToken": "r", "accessTokenUrl": "http://127.0.0.1:9/token"}
    });
    let (status, answer) = app.post("/appointments/watch", &body).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(field_names(&answer), ["oauth2Auth.accessTokenUrl"]);
    let mut public = body.clone();
    public["oauth2Auth"]["accessTokenUrl"] = json!("http://93.184.215.14/token");
    let (status, answer) = app.post("/appointments/watch", &public).await;
    assert_eq!(status, 201, "{answer}");
}

#[tokio::test]
async fn a_private_access_token_url_is_refused_at_delivery_too() {
    let dir = Dir::new();
    let tokens = Receiver::start().await;
    // Created while private addresses were allowed, the token endpoint on loopback...
    let watch_id = {
        let app = App::start(&dir.db(), true, fast()).await;
        app.watch(json!({
            // A public address literal: never reached, the token comes first.
            "address": "http://93.184.215.14/hook",
            "oauth2Auth": {"clientId": "c", "refreshToken": "r", "accessTokenUrl": tokens.url("/token")}
        }))
        .await
    };
    // ...then the server restarts without --allow-private-webhooks: the token request is refused
    // before it is made (an address literal needs no DNS, so only this check stops it).
    let app = App::start(&dir.db(), false, fast()).await;
    app.appointment(30, 10, "token@example.com").await;
    let log = app.wait_delivery(&watch_id, "failed").await;
    let error = log["items"][0]["lastError"].as_str().unwrap_or_default();
    assert!(error.contains("accessTokenUrl"), "{log:#}");
    assert_eq!(log["items"][0]["attemptCount"], 1, "refusals are final");
    assert!(
        tokens.hits("/token").is_empty(),
        "nothing reached the private token endpoint"
    );
}
