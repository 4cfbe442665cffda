//! Storage: connection set-up and migrations. Queries live next to the code that uses them, in the
//! submodules here, one per kind of record.

/// The Appointments API's list query: filters, pagination, sync.
pub mod appointment_list;
pub mod appointments;
pub mod business;
/// Clients (the people appointments are for).
pub mod clients;
/// Files answered in booking forms, stored outside the appointment document.
pub mod files;
/// The outbox: side effects of changes, queued in their transaction, sent by channel workers.
pub mod outbox;
/// Watches (webhooks), their signing keys, and their deliveries (the outbox's webhook channel).
pub mod watches;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

/// The database handle shared by every request.
pub type Db = SqlitePool;

/// Opens (creating if needed) the SQLite file at `path` and applies pending migrations.
pub async fn open(path: &Path) -> anyhow::Result<Db> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
        .create_if_missing(true)
        .foreign_keys(true)
        // WAL lets readers run while one writer commits; bookings serialize on the single writer.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    appointments::backfill_search_text(&pool).await?;
    Ok(pool)
}

/// The current instant as stored in the database: UTC, RFC 3339, second precision.
pub fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
