//! OAuth2: both grants, the token cache, expiry, renewal after a 401, rotated refresh tokens.

use crate::harness::*;

#[tokio::test]
async fn oauth2_refresh_token_grant_caches_the_token_and_renews_it_after_a_401() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    let watch_id = app
        .watch(json!({
            "address": hook.url("/hook"),
            "oauth2Auth": {
                "grantType": "refresh_token",
                "clientId": "booking-app",
                "refreshToken": "rt-1",
                "authUrl": hook.url("/authorize"),
                "accessTokenUrl": hook.url("/token"),
                "scope": "hooks.write"
            }
        }))
        .await;
    let (_, shown) = app.get(&format!("/appointments/watch/{watch_id}")).await;
    assert_eq!(shown["oauth2Auth"]["refreshToken"], "********");
    assert_eq!(shown["oauth2Auth"]["clientId"], "booking-app");

    app.appointment(30, 10, "oauth-a@example.com").await;
    let first = hook.wait("/hook", 1).await;
    assert_eq!(first[0].header("authorization"), Some("Bearer tok-1"));
    let token_request = &hook.wait("/token", 1).await[0];
    assert_eq!(token_request.method, "POST");
    assert_eq!(
        token_request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form = token_request.form();
    assert_eq!(form["grant_type"], "refresh_token");
    assert_eq!(form["client_id"], "booking-app");
    assert_eq!(form["refresh_token"], "rt-1");
    assert_eq!(form["scope"], "hooks.write");

    // The cached token serves the next notification.
    app.appointment(30, 11, "oauth-b@example.com").await;
    let hits = hook.wait("/hook", 2).await;
    assert_eq!(hits[1].header("authorization"), Some("Bearer tok-1"));
    assert_eq!(hook.hits("/token").len(), 1);

    // Refused once: a new token, and the same attempt goes through.
    hook.script("/hook", vec![Reply::status(401)]);
    app.appointment(30, 12, "oauth-c@example.com").await;
    let hits = hook.wait("/hook", 4).await;
    assert_eq!(hits[2].header("authorization"), Some("Bearer tok-1"));
    assert_eq!(hits[3].header("authorization"), Some("Bearer tok-2"));
    assert_eq!(hook.hits("/token").len(), 2);
    let log = app.wait_delivery(&watch_id, "succeeded").await;
    assert_eq!(
        log["items"][0]["attemptCount"], 1,
        "renewing is part of the attempt"
    );
}

#[tokio::test]
async fn oauth2_client_credentials_grant() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    app.watch(json!({
        "address": hook.url("/hook"),
        "oauth2Auth": {
            "grantType": "client_credentials",
            "clientId": "svc",
            "clientSecret": "cs-42",
            "accessTokenUrl": hook.url("/token")
        }
    }))
    .await;
    app.appointment(30, 10, "cc@example.com").await;
    let hit = &hook.wait("/hook", 1).await[0];
    assert_eq!(hit.header("authorization"), Some("Bearer tok-1"));
    let form = hook.wait("/token", 1).await[0].form();
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(form["client_id"], "svc");
    assert_eq!(form["client_secret"], "cs-42");
    assert!(!form.contains_key("refresh_token"));
}

#[tokio::test]
async fn oauth2_tokens_expire_when_the_endpoint_says_and_rotated_refresh_tokens_are_kept() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    // 30 s is the renewal margin: a token that lives 30 s is already too old to use again.
    hook.script(
        "/token",
        vec![
            Reply::token(
                json!({"access_token": "short", "expires_in": "30", "refresh_token": "rt-2"}),
            ),
            Reply::token(
                json!({"access_token": "long", "expires_in": 3600, "refresh_token": "rt-3"}),
            ),
        ],
    );
    let watch_id = app
        .watch(json!({
            "address": hook.url("/hook"),
            "oauth2Auth": {"clientId": "c", "refreshToken": "rt-1", "accessTokenUrl": hook.url("/token")}
        }))
        .await;
    for (n, hour) in [(1, 10), (2, 11), (3, 12)] {
        app.appointment(30, hour, &format!("expiry{n}@example.com"))
            .await;
        hook.wait("/hook", n).await;
    }
    let bearers: Vec<_> = hook
        .hits("/hook")
        .iter()
        .map(|h| h.header("authorization").map(str::to_owned))
        .collect();
    assert_eq!(
        bearers,
        [
            Some("Bearer short".to_owned()),
            Some("Bearer long".to_owned()),
            Some("Bearer long".to_owned())
        ],
        "the 30 s token is renewed, the hour-long one reused"
    );
    let refresh: Vec<String> = hook
        .hits("/token")
        .iter()
        .map(|h| h.form()["refresh_token"].clone())
        .collect();
    assert_eq!(
        refresh,
        ["rt-1", "rt-2"],
        "the rotated refresh token is used"
    );

    // Kept in the database: a restarted server (empty token cache) refreshes with the newest one.
    drop(app);
    let app = App::start(&dir.db(), true, fast()).await;
    app.appointment(30, 13, "expiry4@example.com").await;
    let token_requests = hook.wait("/token", 3).await;
    assert_eq!(token_requests[2].form()["refresh_token"], "rt-3");
    let (_, shown) = app.get(&format!("/appointments/watch/{watch_id}")).await;
    assert_eq!(shown["oauth2Auth"]["refreshToken"], "********");
}
