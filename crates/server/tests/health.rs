//! `/healthz` and `/readyz` over real HTTP against a real SQLite file.

mod support;

use support::TestServer;

#[tokio::test]
async fn healthz_answers_and_readyz_checks_the_database_and_migrations() {
    let server = TestServer::with_demo().await;
    let (status, body) = server.get_json("/healthz").await;
    assert_eq!((status, &body["status"]), (200, &"ok".into()), "{body}");
    let (status, body) = server.get_json("/readyz").await;
    assert_eq!((status, &body["status"]), (200, &"ready".into()), "{body}");

    // A database that an older build migrated: this build's last migration is missing.
    let (version,): (i64,) = sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(server.db.writer())
        .await
        .expect("migrations table");
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
        .bind(version)
        .execute(server.db.writer())
        .await
        .expect("forget a migration");
    let (status, body) = server.get_json("/readyz").await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], 503, "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("migrations not applied") && message.contains(&version.to_string()),
        "{body}"
    );

    // The database no longer answers at all; the process still does.
    server.db.close().await;
    let (status, body) = server.get_json("/readyz").await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(
        body["error"]["message"], "the database does not answer",
        "{body}"
    );
    let (status, _) = server.get_json("/healthz").await;
    assert_eq!(status, 200);
}
