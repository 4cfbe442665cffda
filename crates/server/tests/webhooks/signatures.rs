//! Standard Webhooks signatures, verified with the reference Python library; key rotation.

use crate::harness::*;

#[tokio::test]
async fn signatures_verify_with_the_standard_webhooks_library_across_a_rotation() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;

    let (status, key) = app.post("/cryptoKeys", &json!({"name": "primary"})).await;
    assert_eq!(status, 201, "{key}");
    let key_id = key["id"].as_str().expect("key id").to_owned();
    let secret = key["secret"]
        .as_str()
        .expect("secret shown once")
        .to_owned();
    assert!(secret.starts_with("whsec_"));
    let (_, keys) = app.get("/cryptoKeys").await;
    assert_eq!(keys["items"][0]["id"], key_id.as_str());
    assert!(
        !keys.to_string().contains(&secret[6..]),
        "listed without the secret"
    );

    let watch_id = app
        .watch(json!({
            "address": hook.url("/hook"),
            "signature": {"enabled": true, "cryptoKeyIds": [key_id]}
        }))
        .await;
    app.appointment(30, 10, "signed@example.com").await;
    let hit = hook.wait("/hook", 1).await[0].clone();
    let signature = hit.header("webhook-signature").expect("signed");
    assert!(signature.starts_with("v1,"), "{signature}");
    verify_in_python(&secret, &hit).expect("the library accepts the signature");
    let mut tampered = hit.clone();
    tampered.body = tampered.body.replace("signed@", "forged@");
    assert!(
        verify_in_python(&secret, &tampered).is_err(),
        "a changed body is refused"
    );
    let other = booking_server::webhooks::signing::Secret::generate().written();
    assert!(
        verify_in_python(&other, &hit).is_err(),
        "another key is refused"
    );

    // Rotation: the new secret is shown once; both secrets sign for a while.
    let (status, rotated) = app
        .post(&format!("/cryptoKeys/{key_id}/rotate"), &json!({}))
        .await;
    assert_eq!(status, 200, "{rotated}");
    let new_secret = rotated["secret"].as_str().expect("new secret").to_owned();
    assert_ne!(new_secret, secret);
    assert!(rotated["previousValidUntil"].is_string());
    app.appointment(30, 11, "rotated@example.com").await;
    let hit = hook.wait("/hook", 2).await[1].clone();
    assert_eq!(
        hit.header("webhook-signature")
            .map(|s| s.split(' ').count()),
        Some(2),
        "signed with the new and the previous secret"
    );
    verify_in_python(&new_secret, &hit).expect("new secret verifies");
    verify_in_python(&secret, &hit).expect("previous secret still verifies");

    // A key in use can't be deleted.
    let (status, _) = app
        .call(Method::DELETE, &format!("{DEMO}/cryptoKeys/{key_id}"), None)
        .await;
    assert_eq!(status, 409);
    let (status, _) = app
        .call(
            Method::DELETE,
            &format!("{DEMO}/appointments/watch/{watch_id}"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = app
        .call(Method::DELETE, &format!("{DEMO}/cryptoKeys/{key_id}"), None)
        .await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn the_previous_secret_stops_signing_when_the_rotation_overlap_ends() {
    let dir = Dir::new();
    let settings = Settings {
        rotation_overlap: Duration::from_millis(400),
        ..fast()
    };
    let app = App::start(&dir.db(), true, settings).await;
    let hook = Receiver::start().await;
    let (_, key) = app.post("/cryptoKeys", &json!({})).await;
    let key_id = key["id"].as_str().expect("key id").to_owned();
    let old_secret = key["secret"].as_str().expect("secret").to_owned();
    app.watch(json!({
        "address": hook.url("/hook"),
        "signature": {"enabled": true, "cryptoKeyIds": [key_id]}
    }))
    .await;
    let (status, rotated) = app
        .post(&format!("/cryptoKeys/{key_id}/rotate"), &json!({}))
        .await;
    assert_eq!(status, 200, "{rotated}");
    let new_secret = rotated["secret"].as_str().expect("secret").to_owned();
    let until = chrono::DateTime::parse_from_rfc3339(
        rotated["previousValidUntil"].as_str().expect("until"),
    )
    .expect("RFC 3339");
    // The rule under test is about the clock: wait until the overlap is over.
    while Utc::now() <= until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    app.appointment(30, 10, "after-overlap@example.com").await;
    let hit = hook.wait("/hook", 1).await[0].clone();
    let signature = hit.header("webhook-signature").expect("signed");
    assert_eq!(
        signature.split(' ').count(),
        1,
        "one signature: {signature}"
    );
    verify_in_python(&new_secret, &hit).expect("the new secret verifies");
    assert!(
        verify_in_python(&old_secret, &hit).is_err(),
        "the previous secret no longer signs"
    );
}

#[tokio::test]
async fn signature_enabled_without_a_usable_key_is_never_sent_unsigned() {
    let dir = Dir::new();
    let app = App::start(&dir.db(), true, fast()).await;
    let hook = Receiver::start().await;
    let (_, key) = app.post("/cryptoKeys", &json!({})).await;
    let key_id = key["id"].as_str().expect("key id").to_owned();
    let watch_id = app
        .watch(json!({
            "address": hook.url("/hook"),
            "signature": {"enabled": true, "cryptoKeyIds": [key_id]}
        }))
        .await;
    // The key disappears behind the API's back (the API refuses to delete a key in use).
    let db = crate::support::open_db(&dir.db()).await;
    sqlx::query("DELETE FROM crypto_keys WHERE id = $1")
        .bind(&key_id)
        .execute(db.writer())
        .await
        .expect("delete key");
    app.appointment(30, 10, "unsigned@example.com").await;
    let log = app.wait_delivery(&watch_id, "failed").await;
    assert!(
        log["items"][0]["lastError"]
            .as_str()
            .unwrap_or_default()
            .contains("not sent unsigned"),
        "{log:#}"
    );
    assert!(hook.hits("/hook").is_empty(), "nothing went out unsigned");
}
