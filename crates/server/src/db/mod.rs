//! Storage: connection set-up and migrations. Queries live next to the code that uses them, in the
//! submodules here, one per kind of record.

/// The Appointments API's list query: filters, pagination, sync.
pub mod appointment_list;
pub mod appointments;
pub mod business;
/// Staff members' connected calendars (CalDAV, ICS) and the busy time read from them.
pub mod calendar_connections;
/// Bookings written out to CalDAV calendars: each copy's href and ETag.
pub mod calendar_events;
/// Staff calendar feeds: their secret tokens and the appointments they carry.
pub mod calendar_feeds;
/// Clients (the people appointments are for).
pub mod clients;
/// Reads through the reader pool wherever a sqlx executor is expected (`&db`).
mod executor;
/// Files answered in booking forms, stored outside the appointment document.
pub mod files;
/// The outbox: side effects of changes, queued in their transaction, sent by channel workers.
pub mod outbox;
/// A company's custom appointment statuses.
pub mod statuses;
/// Watches (webhooks), their signing keys, and their deliveries (the outbox's webhook channel).
pub mod watches;
/// The writer: SQLite's one connection held by the process, or PostgreSQL's writers' pool.
mod writer;

pub use writer::{WriteTx, Writer, WriterConn};

use std::path::Path;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, ConnectOptions, Executor, Transaction, TransactionManager};

/// The database type every query is written against: sqlx's `Any`, which reaches SQLite or
/// PostgreSQL through one SQL text (placeholders `$1, $2, …`, read by both).
pub type Backend = sqlx::Any;
/// A connection (or, through `&mut *tx`, a transaction) of either database.
pub type Conn = sqlx::AnyConnection;
/// A result row of either database.
pub type DbRow = sqlx::any::AnyRow;

/// Which database is behind a [`Db`]: where the SQL differs, the code asks this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The dialect of a connection (inside a transaction, where no [`Db`] is at hand).
    pub fn of(conn: &Conn) -> Dialect {
        match conn.backend_name() {
            "PostgreSQL" => Dialect::Postgres,
            _ => Dialect::Sqlite,
        }
    }
}

/// The database handle shared by every request: a pool of readers and the one writer.
///
/// SQLite lets one connection write at a time. Writers queue here, in process, for the single
/// writer connection (a fair queue: first come, first served) instead of colliding on SQLite's lock
/// and sleeping in its busy handler. Readers never wait for writers (WAL).
///
/// `Db` dereferences to the reader pool, and `&Db` is a sqlx executor on it, so reads are written
/// `&db`, `db.acquire()` or `db.begin()`. Writes take [`Db::write`].
#[derive(Debug, Clone)]
pub struct Db {
    readers: AnyPool,
    writer: Writer,
    dialect: Dialect,
}

impl Db {
    /// A write transaction, begun with the write lock held, so what it reads cannot change under it
    /// before it commits: an availability check and the insert it allows, in one transaction,
    /// cannot interleave with another booking.
    ///
    /// SQLite: `BEGIN IMMEDIATE` on the one writer connection. PostgreSQL: a transaction on the
    /// writers' pool that first takes the write lock, a transaction-scoped advisory lock every
    /// node's writers share (`WRITE_LOCK`; released by the commit or rollback, also when the node
    /// dies), so writers of every process are serialized exactly as SQLite's single writer
    /// serializes them. Writers past the writers' pool wait in process, holding no connection, so
    /// a burst of writes never takes the connections reads need; a writer that waits longer than
    /// `lock_timeout` for the lock fails with a "busy" error ([`is_busy`]: a 503).
    pub async fn write(&self) -> sqlx::Result<WriteTx> {
        match self.dialect {
            Dialect::Sqlite => self.writer.begin_with(Some("BEGIN IMMEDIATE")).await,
            Dialect::Postgres => {
                let mut tx = self.writer.begin_with(None).await?;
                // `pg_advisory_xact_lock` returns `void`, a type `Any` can't carry: select a count.
                sqlx::query("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock($1)) AS locked")
                    .bind(WRITE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
    }

    /// A read transaction whose statements all see one snapshot (a list's counter and its rows).
    /// SQLite: a deferred transaction, whose snapshot is taken at its first read. PostgreSQL:
    /// REPEATABLE READ READ ONLY (its default, READ COMMITTED, gives each statement its own
    /// snapshot). Shadows the pool's `begin`, which `Db` would otherwise reach through `Deref`.
    pub async fn begin(&self) -> sqlx::Result<Transaction<'static, Backend>> {
        match self.dialect {
            Dialect::Sqlite => self.readers.begin().await,
            Dialect::Postgres => {
                self.readers
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await
            }
        }
    }

    /// The writer (an executor; `acquire` lends its connection), bypassing the write lock: only
    /// for statements that need none (the outbox's claims, which lock their rows; a
    /// test arranging data). Any other write goes through [`Db::write`], or
    /// [`ExecuteLocked::execute_locked`] for one statement. On SQLite a statement sent to it is
    /// still a member of the group commit (one writer connection serializes every write anyway),
    /// answered once committed.
    pub fn writer(&self) -> &Writer {
        &self.writer
    }

    /// Which database this is.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Waits for the transactions in flight and closes every connection (shutdown).
    pub async fn close(&self) {
        self.writer.close().await;
        self.readers.close().await;
    }
}

impl std::ops::Deref for Db {
    type Target = AnyPool;

    fn deref(&self) -> &AnyPool {
        &self.readers
    }
}

/// One write statement in its own [`Db::write`] transaction, under the write lock:
/// `query.execute_locked(&db)` where `query.execute(db.writer())` would bypass it.
pub trait ExecuteLocked {
    fn execute_locked(
        self,
        db: &Db,
    ) -> impl std::future::Future<Output = sqlx::Result<sqlx::any::AnyQueryResult>> + Send;
}

impl<'q> ExecuteLocked for sqlx::query::Query<'q, Backend, sqlx::any::AnyArguments<'q>> {
    async fn execute_locked(self, db: &Db) -> sqlx::Result<sqlx::any::AnyQueryResult> {
        let mut tx = db.write().await?;
        let done = self.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(done)
    }
}

/// Whether a database error means "too busy now, retry later" rather than a fault: a writer gave
/// up waiting for the write lock (PostgreSQL's `lock_timeout`, SQLSTATE 55P03), PostgreSQL chose
/// this transaction as a deadlock's victim (40P01) or could not serialize it (40001) and rolled it
/// back, SQLite stayed locked past `busy_timeout`, or no connection came free in time. Answered
/// 503 (nothing was written: the client may send it again), not 500.
pub fn is_busy(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(e) => {
            matches!(
                e.code().as_deref(),
                Some("55P03") | Some("40P01") | Some("40001") | Some("5") | Some("6")
            ) || e.message().contains("database is locked")
        }
        _ => false,
    }
}

/// Whether PostgreSQL refused text holding a NUL character (SQLSTATE 22021), which its text type
/// cannot store.
pub fn is_nul_in_text(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.code().as_deref() == Some("22021"))
}

/// The key of PostgreSQL's write lock (`pg_advisory_xact_lock`): any fixed number no other
/// program sharing the database locks ("bkng" in ASCII).
const WRITE_LOCK: i64 = 0x626b_6e67;

/// Where the database is: `--db` (or `BOOKING_DB`) as a path or `sqlite://` URL, or a
/// `postgres://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(std::path::PathBuf),
    /// The whole URL, credentials included (never logged: see [`Location::describe`]).
    Postgres(String),
}

impl Location {
    /// Reads `--db`: `postgres://` or `postgresql://` is PostgreSQL; `sqlite://PATH` or
    /// `sqlite:PATH` is that file; anything else is a file path.
    pub fn parse(text: &str) -> anyhow::Result<Location> {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(Location::Postgres(text.to_owned()));
        }
        let path = text
            .strip_prefix("sqlite://")
            .or_else(|| text.strip_prefix("sqlite:"))
            .unwrap_or(text);
        if path.is_empty() {
            anyhow::bail!("--db: no SQLite file named in {text:?}");
        }
        if path.contains('?') && text.starts_with("sqlite:") {
            anyhow::bail!("--db: a sqlite:// URL takes no parameters here ({text:?})");
        }
        Ok(Location::Sqlite(std::path::PathBuf::from(path)))
    }

    /// The location for logs and errors: a PostgreSQL URL without its password, in the user info
    /// or as a `password` / `sslpassword` parameter.
    pub fn describe(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(url) => describe_postgres(url),
        }
    }
}

/// A PostgreSQL URL without its password. The user info ends at the last `@` before the path (the
/// first `/` after an `@`), not at a `?`: a password may hold an unencoded `?`, `#` or `/`, which
/// splitting at the query first would have shown. Any `password` / `sslpassword` parameter is
/// dropped, and a `password=` value left anywhere (an `@` inside a parameter misread as the user
/// info's end) is masked.
fn describe_postgres(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let at = rest.find('@').and_then(|first| {
        let path = rest[first..].find('/').map_or(rest.len(), |i| first + i);
        rest[..path].rfind('@')
    });
    let (user, after) = match at {
        Some(at) => {
            let credentials = &rest[..at];
            let user = credentials.split(':').next().unwrap_or_default();
            (format!("{user}@"), &rest[at + 1..])
        }
        None => (String::new(), rest),
    };
    let (address, query) = match after.split_once('?') {
        Some((address, query)) => (address, Some(query)),
        None => (after, None),
    };
    let is_password =
        |key: &str| key.eq_ignore_ascii_case("password") || key.eq_ignore_ascii_case("sslpassword");
    let kept: Vec<&str> = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|pair| !is_password(pair.split('=').next().unwrap_or_default()))
        .collect();
    let shown = match kept.is_empty() {
        true => format!("{scheme}://{user}{address}"),
        false => format!("{scheme}://{user}{address}?{}", kept.join("&")),
    };
    let masked = regex::Regex::new(r"(?i)(password=)[^&]*")
        .map(|re| re.replace_all(&shown, "${1}***").into_owned());
    masked.unwrap_or_else(|_| format!("{scheme}://…"))
}

/// Opens the database at `location` and applies pending migrations.
pub async fn open_at(location: &Location) -> anyhow::Result<Db> {
    match location {
        Location::Sqlite(path) => open(path).await,
        Location::Postgres(url) => open_postgres(url).await,
    }
}

/// How a node uses PostgreSQL: its connections and how long it lets a writer wait or stall.
#[derive(Debug, Clone, Copy)]
pub struct PostgresLimits {
    /// Connections for reads.
    pub readers: u32,
    /// Connections for writers. Each writer waiting for the write lock holds one; the writers past
    /// these wait in process, for a connection, holding none.
    pub writers: u32,
    /// How long a writer waits for the write lock before it gives up with a 503 (`lock_timeout`):
    /// writers queue for milliseconds, so this only trips when a writer is stuck.
    pub lock_timeout: Duration,
    /// How long a transaction may sit idle before PostgreSQL ends its session
    /// (`idle_in_transaction_session_timeout`): a node hung in the middle of a write transaction
    /// releases the write lock after this, instead of holding the cluster's writes forever.
    pub idle_in_transaction: Duration,
}

impl Default for PostgresLimits {
    fn default() -> Self {
        PostgresLimits {
            readers: 12,
            writers: 4,
            lock_timeout: Duration::from_secs(10),
            idle_in_transaction: Duration::from_secs(30),
        }
    }
}

/// The oldest PostgreSQL the migrations run on: 0011's SQL-standard function body (`RETURN …`)
/// needs 14.
const POSTGRES_MIN_VERSION: i64 = 140_000;

/// Connects to the PostgreSQL database at `url` with the default [`PostgresLimits`] and applies
/// pending migrations.
pub async fn open_postgres(url: &str) -> anyhow::Result<Db> {
    open_postgres_with(url, PostgresLimits::default()).await
}

/// Connects to the PostgreSQL database at `url` and applies pending migrations. Nodes starting at
/// once do not race on them: sqlx's migrator holds a session advisory lock (keyed by the database
/// name) while it checks and applies, so the second node waits, then finds them applied.
pub async fn open_postgres_with(url: &str, limits: PostgresLimits) -> anyhow::Result<Db> {
    sqlx::any::install_default_drivers();
    let options: AnyConnectOptions = url.parse()?;
    // Instants are written by the server as UTC text; the session zone only matters to casts in
    // SQL (0011's `utc_text_epoch`), which read the text's own `Z`.
    let writers_session = format!(
        "SET TIME ZONE 'UTC'; SET lock_timeout = {}; SET idle_in_transaction_session_timeout = {}",
        limits.lock_timeout.as_millis(),
        limits.idle_in_transaction.as_millis()
    );
    // Readers refuse writes (SQLSTATE 25006): a write that bypassed `Db::write` through `&db`
    // fails loudly instead of committing outside the write lock.
    let readers_session = format!("{writers_session}; SET default_transaction_read_only = on");
    let pool = |connections: u32, session: &str| {
        let session = session.to_owned();
        AnyPoolOptions::new()
            .max_connections(connections)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                let session = session.clone();
                Box::pin(async move {
                    conn.execute(session.as_str()).await?;
                    Ok(())
                })
            })
            .connect_with(options.clone())
    };
    let writer = pool(limits.writers, &writers_session).await?;
    let (version,): (String,) = sqlx::query_as("SELECT current_setting('server_version_num')")
        .fetch_one(&writer)
        .await?;
    if version.parse::<i64>().unwrap_or(0) < POSTGRES_MIN_VERSION {
        anyhow::bail!("PostgreSQL {version} is too old: the server needs PostgreSQL 14 or newer");
    }
    let (collation,): (String,) =
        sqlx::query_as("SELECT datcollate FROM pg_database WHERE datname = current_database()")
            .fetch_one(&writer)
            .await?;
    if !matches!(collation.as_str(), "C" | "POSIX" | "C.UTF-8" | "C.utf8") {
        // Lists sorted by text (ids, names) would come in another order than on SQLite.
        tracing::warn!(
            %collation,
            "the database's collation is not C: create it with LC_COLLATE 'C' for SQLite's order"
        );
    }
    migrate_postgres(&options).await?;
    let db = Db {
        readers: pool(limits.readers, &readers_session).await?,
        writer: Writer::postgres(writer),
        dialect: Dialect::Postgres,
    };
    appointments::backfill_search_text(&db).await?;
    Ok(db)
}

/// Applies pending migrations on a connection of their own, without the writers' `lock_timeout`:
/// a migration may wait as long as it takes for another node's (the migrator's session advisory
/// lock) or for the locks of its own statements, and run as long as it takes (no
/// `statement_timeout` either, whatever the role's defaults).
async fn migrate_postgres(options: &AnyConnectOptions) -> anyhow::Result<()> {
    // A pool of one rather than a bare connection: `Migrator::run(&mut conn)`'s future is not
    // `Send` for every lifetime, which a node opened inside `tokio::spawn` needs.
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(
                    "SET TIME ZONE 'UTC'; SET lock_timeout = 0; SET statement_timeout = 0",
                )
                .await?;
                Ok(())
            })
        })
        .connect_with(options.clone())
        .await?;
    let applied = migrator(Dialect::Postgres).run(&pool).await;
    pool.close().await;
    Ok(applied?)
}

/// The migrations of a database (`migrations/` for SQLite, `migrations_postgres/` for PostgreSQL,
/// with the same versions).
fn migrator(dialect: Dialect) -> &'static Migrator {
    static SQLITE: Migrator = sqlx::migrate!("./migrations");
    static POSTGRES: Migrator = sqlx::migrate!("./migrations_postgres");
    match dialect {
        Dialect::Sqlite => &SQLITE,
        Dialect::Postgres => &POSTGRES,
    }
}

/// The `sqlite://` URL of a file, absolute (a relative path would read as a URL's host) and with
/// the characters a URL gives a meaning escaped (sqlx decodes them back).
fn sqlite_url(path: &Path) -> anyhow::Result<String> {
    let path = std::path::absolute(path)?;
    let Some(text) = path.to_str() else {
        anyhow::bail!("the database path {} is not UTF-8", path.display());
    };
    let escaped = text
        .replace('%', "%25")
        .replace('?', "%3F")
        .replace('#', "%23");
    // `mode=rwc`: created if missing.
    Ok(format!("sqlite://{escaped}?mode=rwc"))
}

/// What every SQLite connection sets when it opens (sqlx's `Any` takes a URL, which carries no
/// pragmas; foreign keys are on by sqlx's default).
const SQLITE_PRAGMAS: &str =
    // WAL lets readers run while the writer commits.
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; \
     PRAGMA busy_timeout = 10000;";

/// Opens (creating if needed) the SQLite file at `path` and applies pending migrations.
pub async fn open(path: &Path) -> anyhow::Result<Db> {
    sqlx::any::install_default_drivers();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let options: AnyConnectOptions = sqlite_url(path)?.parse()?;
    // The one writer, held open by the process for as long as it runs (`db::writer`).
    //
    // busy_timeout: only for a writer outside this process (an `admin` command): in-process
    // writers queue for the writer connection instead.
    //
    // The writer never checkpoints: an automatic checkpoint (every 1,000 WAL pages, with an
    // fsync) would stall the commit that triggers it, ~20 ms every hundred bookings, which was the
    // booking load's p99. `checkpoint_in_background` does it off the write path instead.
    let mut writer = options.connect().await?;
    writer.execute(SQLITE_PRAGMAS).await?;
    writer.execute("PRAGMA wal_autocheckpoint = 0").await?;
    migrator(Dialect::Sqlite).run(&mut writer).await?;
    let readers = AnyPoolOptions::new()
        .max_connections(8)
        .test_before_acquire(false)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(SQLITE_PRAGMAS).await?;
                Ok(())
            })
        })
        // A request dropped between its BEGIN and the transaction object (a client gone mid-read)
        // returns its reader still in a transaction, whose snapshot would pin every later read
        // on it and hold back checkpoints: such a connection is closed, not reused.
        .after_release(|conn, _| {
            Box::pin(async move { Ok(writer::Transactions::get_transaction_depth(conn) == 0) })
        })
        .connect_with(options)
        .await?;
    let db = Db {
        readers,
        writer: Writer::sqlite(writer),
        dialect: Dialect::Sqlite,
    };
    appointments::backfill_search_text(&db).await?;
    checkpoint_in_background(db.readers.clone());
    Ok(db)
}

/// How often the WAL is copied back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// Checkpoints the WAL from a reader connection, without waiting for readers or the writer
/// (`PASSIVE`), until the pool is closed. Durability is the same either way: a committed
/// transaction is in the WAL file; a checkpoint only moves it into the main file.
fn checkpoint_in_background(readers: AnyPool) {
    tokio::spawn(async move {
        while !readers.is_closed() {
            tokio::time::sleep(CHECKPOINT_EVERY).await;
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&readers)
                .await
            {
                if !readers.is_closed() {
                    tracing::warn!(error = %e, "WAL checkpoint failed; retrying");
                }
            }
        }
    });
}

/// Whether the database answers and every migration this build knows is applied (`/readyz`).
pub async fn ready(db: &Db) -> Result<(), String> {
    let applied: Vec<(i64,)> = sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success")
        .fetch_all(db)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "not ready: the database does not answer");
            "the database does not answer".to_owned()
        })?;
    let missing: Vec<String> = migrator(db.dialect)
        .iter()
        .filter(|m| !applied.iter().any(|(v,)| *v == m.version))
        .map(|m| format!("{} {}", m.version, m.description))
        .collect();
    match missing.is_empty() {
        true => Ok(()),
        false => Err(format!("migrations not applied: {}", missing.join(", "))),
    }
}

/// The current instant as stored in the database: UTC, RFC 3339, second precision.
pub fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The `VALUES` list of a many-row `INSERT` of `rows` rows of `columns` parameters each, numbered
/// in order: `($1, $2), ($3, $4)` for 2 × 2, bound row after row.
pub(crate) fn numbered_rows(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let numbers: Vec<String> = (1..=columns)
                .map(|k| format!("${}", row * columns + k))
                .collect();
            format!("({})", numbers.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_row_values_are_numbered_row_after_row() {
        assert_eq!(numbered_rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(numbered_rows(1, 1), "($1)");
        assert_eq!(numbered_rows(0, 5), "");
    }

    #[test]
    fn db_locations() {
        let sqlite = |p: &str| Location::Sqlite(std::path::PathBuf::from(p));
        assert_eq!(
            Location::parse("data/b.sqlite").ok(),
            Some(sqlite("data/b.sqlite"))
        );
        assert_eq!(
            Location::parse("sqlite:///tmp/b.db").ok(),
            Some(sqlite("/tmp/b.db"))
        );
        assert_eq!(Location::parse("sqlite:b.db").ok(), Some(sqlite("b.db")));
        let pg = "postgres://booking:s3cret@db.internal:5432/booking";
        assert_eq!(
            Location::parse(pg).ok(),
            Some(Location::Postgres(pg.to_owned()))
        );
        assert!(Location::parse("sqlite://").is_err());
        assert!(Location::parse("sqlite://b.db?mode=ro").is_err());
        let shown = |url: &str| Location::Postgres(url.to_owned()).describe();
        assert_eq!(shown(pg), "postgres://booking@db.internal:5432/booking");
        assert_eq!(
            shown("postgres://db.internal/booking?user=b&password=s3cret&sslmode=require"),
            "postgres://db.internal/booking?user=b&sslmode=require"
        );
        assert_eq!(
            shown("postgresql://b:p@ss@h/d?sslpassword=s3cret"),
            "postgresql://b@h/d"
        );
        // Unencoded `?`, `#` and `/` in a password: nothing of it is shown.
        assert_eq!(shown("postgres://b:p?ss@h/d"), "postgres://b@h/d");
        assert_eq!(
            shown("postgres://b:s3?c#r/et@h:5432/d?sslmode=require"),
            "postgres://b@h:5432/d?sslmode=require"
        );
        assert_eq!(shown("postgres://b:s3?cret@h"), "postgres://b@h");
        // An `@` inside a parameter is not the user info's end.
        assert_eq!(
            shown("postgres://h/d?user=b@corp&sslmode=require"),
            "postgres://h/d?user=b@corp&sslmode=require"
        );
        assert!(!shown("postgres://h/d?user=b@corp&password=s3cret").contains("s3cret"));
    }

    /// Each SQLite migration has its PostgreSQL twin, by version and name: a database of either kind
    /// is at the same schema after the same build.
    #[test]
    fn both_databases_have_the_same_migrations() {
        let versions = |d| {
            migrator(d)
                .iter()
                .map(|m| (m.version, m.description.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(versions(Dialect::Sqlite), versions(Dialect::Postgres));
    }

    /// PostgreSQL columns are BIGINT where SQLite's are INTEGER: the code reads integers as `i64`,
    /// and an INTEGER (32-bit) column there is a narrower type than the one its twin stores.
    #[test]
    fn postgres_migrations_declare_bigint_not_integer() {
        let integer = regex::Regex::new(r"(?i)\bINTEGER\b").expect("regex");
        let found: Vec<String> = migrator(Dialect::Postgres)
            .iter()
            .flat_map(|m| {
                let name = format!("{}_{}", m.version, m.description);
                m.sql
                    .lines()
                    .map(|line| line.split("--").next().unwrap_or_default())
                    .filter(|code| integer.is_match(code))
                    .map(move |code| format!("{name}: {}", code.trim()))
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(found.is_empty(), "BIGINT, not INTEGER: {found:#?}");
    }

    /// Every query is one text for both databases: `$n` placeholders, never `?` (which PostgreSQL
    /// does not read), in any SQL string of the server's sources.
    #[test]
    fn no_sql_string_uses_question_mark_placeholders() {
        let literal = regex::Regex::new(r#"(?s)"(?:[^"\\]|\\.)*""#).expect("regex");
        let sql =
            regex::Regex::new(r"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|VALUES)\b").expect("regex");
        let placeholder = regex::Regex::new(r"[\s(,=]\?").expect("regex");
        let mut found = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("read src").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("read source");
                    for m in literal.find_iter(&text) {
                        if sql.is_match(m.as_str()) && placeholder.is_match(m.as_str()) {
                            found.push(format!("{}: {}", path.display(), m.as_str()));
                        }
                    }
                }
            }
        }
        assert!(found.is_empty(), "write $1, $2, … instead of ?: {found:#?}");
    }

    /// Waits (at most 10 s) until `n` writes queue for the writer connection.
    async fn until_queued(db: &Db, n: usize, what: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while db.writer.queued() < n {
            assert!(std::time::Instant::now() < deadline, "{what}");
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }

    /// A write transaction dropped without a commit (an error, a cancelled request) is rolled
    /// back before the next writer gets the connection: nothing of it is kept, and the next
    /// write begins and commits as usual.
    #[tokio::test]
    async fn a_write_dropped_without_commit_is_rolled_back_before_the_next() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = open(&dir.path().join("dropped.sqlite"))
            .await
            .expect("open");
        let mut tx = db.write().await.expect("write");
        sqlx::query("INSERT INTO counters (name, value) VALUES ('dropped', 1)")
            .execute(&mut *tx)
            .await
            .expect("insert");
        drop(tx);
        let mut tx = db.write().await.expect("the next write");
        sqlx::query("INSERT INTO counters (name, value) VALUES ('kept', 2)")
            .execute(&mut *tx)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
        let names: Vec<(String,)> =
            sqlx::query_as("SELECT name FROM counters WHERE name IN ('dropped', 'kept')")
                .fetch_all(&db)
                .await
                .expect("read");
        assert_eq!(names, [("kept".to_owned(),)]);
        // The lone statements of `writer()` queue on the same connection.
        sqlx::query("UPDATE counters SET value = 3 WHERE name = 'kept'")
            .execute(db.writer())
            .await
            .expect("update");
        let (value,): (i64,) = sqlx::query_as("SELECT value FROM counters WHERE name = 'kept'")
            .fetch_one(&db)
            .await
            .expect("read");
        assert_eq!(value, 3);
        db.close().await;
    }

    /// A request cancelled after its BEGIN ran but before its `WriteTx` existed leaves the held
    /// connection in a transaction, holding SQLite's write lock: the next writer ends it first
    /// instead of failing (a nested BEGIN IMMEDIATE is refused) and keeping the lock.
    #[tokio::test]
    async fn a_write_stranded_between_begin_and_its_transaction_is_ended_for_the_next() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = open(&dir.path().join("stranded.sqlite"))
            .await
            .expect("open");
        let mut conn = db.writer().acquire().await.expect("writer");
        writer::Transactions::begin(&mut conn, Some("BEGIN IMMEDIATE".into()))
            .await
            .expect("begin");
        sqlx::query("INSERT INTO counters (name, value) VALUES ('stranded', 1)")
            .execute(&mut *conn)
            .await
            .expect("insert");
        drop(conn);
        let mut tx = db.write().await.expect("the next write begins");
        sqlx::query("INSERT INTO counters (name, value) VALUES ('next', 2)")
            .execute(&mut *tx)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
        let names: Vec<(String,)> =
            sqlx::query_as("SELECT name FROM counters WHERE name IN ('stranded', 'next')")
                .fetch_all(&db)
                .await
                .expect("read");
        assert_eq!(names, [("next".to_owned(),)]);
        db.close().await;
    }

    /// Writes queued behind one another are acknowledged by fewer COMMITs than writes (group
    /// commit); each is visible to a reader once its `commit()` returns; one that fails inside the
    /// batch takes only its own work with it.
    #[tokio::test]
    async fn queued_writes_share_a_commit_and_a_failed_one_leaves_the_others() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = open(&dir.path().join("group.sqlite")).await.expect("open");
        let mut first = db.write().await.expect("first write");
        let before = db.writer().commits().expect("SQLite counts commits");
        let mut writes = Vec::new();
        for i in 0..10_i64 {
            let db = db.clone();
            writes.push(tokio::spawn(async move {
                let name = format!("w{i}");
                let mut tx = db.write().await.expect("write");
                sqlx::query("INSERT INTO counters (name, value) VALUES ($1, $2)")
                    .bind(&name)
                    .bind(i)
                    .execute(&mut *tx)
                    .await
                    .expect("insert");
                if i == 4 {
                    // A write that fails: dropped without its commit.
                    return;
                }
                tx.commit().await.expect("commit");
                let seen: Option<(i64,)> =
                    sqlx::query_as("SELECT value FROM counters WHERE name = $1")
                        .bind(&name)
                        .fetch_optional(&db)
                        .await
                        .expect("read");
                assert_eq!(seen, Some((i,)), "{name} acknowledged but not visible");
            }));
        }
        until_queued(&db, 10, "the writes never queued").await;
        sqlx::query("INSERT INTO counters (name, value) VALUES ('first', 0)")
            .execute(&mut *first)
            .await
            .expect("insert");
        first.commit().await.expect("first commit");
        for write in writes {
            write.await.expect("a write panicked");
        }
        let names: Vec<(String,)> = sqlx::query_as(
            "SELECT name FROM counters WHERE name = 'first' OR name LIKE 'w%' ORDER BY name",
        )
        .fetch_all(&db)
        .await
        .expect("read");
        let names: Vec<&str> = names.iter().map(|(n,)| n.as_str()).collect();
        assert_eq!(
            names,
            ["first", "w0", "w1", "w2", "w3", "w5", "w6", "w7", "w8", "w9"]
        );
        let commits = db.writer().commits().expect("SQLite") - before;
        assert!(
            (1..10).contains(&commits),
            "10 acknowledged writes took {commits} COMMITs"
        );
        db.close().await;
    }

    /// A lone statement of `&Writer` (an outbox claim) that finds a batch open joins
    /// it and COMMITs it at once: two acknowledged writes, one COMMIT (an autocommit would have
    /// first committed the batch, then itself).
    #[tokio::test]
    async fn a_lone_statement_joins_the_open_batch_and_commits_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = open(&dir.path().join("lone.sqlite")).await.expect("open");
        let mut first = db.write().await.expect("first write");
        let before = db.writer().commits().expect("SQLite counts commits");
        let lone = {
            let db = db.clone();
            tokio::spawn(async move {
                let (value,): (i64,) = sqlx::query_as(
                    "INSERT INTO counters (name, value) VALUES ('lone', 3) RETURNING value",
                )
                .fetch_one(db.writer())
                .await
                .expect("the lone statement");
                // Answered once committed: a reader sees it.
                let seen: Option<(i64,)> =
                    sqlx::query_as("SELECT value FROM counters WHERE name = 'lone'")
                        .fetch_optional(&db)
                        .await
                        .expect("read");
                (value, seen)
            })
        };
        until_queued(&db, 1, "the lone statement never queued").await;
        sqlx::query("INSERT INTO counters (name, value) VALUES ('first', 1)")
            .execute(&mut *first)
            .await
            .expect("insert");
        first.commit().await.expect("first commit");
        assert_eq!(lone.await.expect("task"), (3, Some((3,))));
        assert_eq!(db.writer().commits().expect("SQLite") - before, 1);
        // A lone statement that fails takes nothing with it.
        let mut open_batch = db.write().await.expect("write");
        let failing = {
            let db = db.clone();
            tokio::spawn(async move {
                sqlx::query("INSERT INTO counters (name, value) VALUES ('lone', 4)")
                    .execute(db.writer())
                    .await
            })
        };
        until_queued(&db, 1, "the failing statement never queued").await;
        sqlx::query("INSERT INTO counters (name, value) VALUES ('second', 2)")
            .execute(&mut *open_batch)
            .await
            .expect("insert");
        open_batch.commit().await.expect("second commit");
        assert!(
            failing.await.expect("task").is_err(),
            "a duplicate name is refused"
        );
        let names: Vec<(String, i64)> = sqlx::query_as(
            "SELECT name, value FROM counters WHERE name IN ('first', 'lone', 'second') \
             ORDER BY name",
        )
        .fetch_all(&db)
        .await
        .expect("read");
        assert_eq!(
            names,
            [
                ("first".to_owned(), 1),
                ("lone".to_owned(), 3),
                ("second".to_owned(), 2)
            ]
        );
        db.close().await;
    }

    /// A batch whose COMMIT fails (here a deferred foreign key, checked only at COMMIT) fails
    /// its members and keeps none of their work, and is rolled back at once: the lone statement
    /// it was handed to (as an outbox claim is) is a member too and fails with it, and the next
    /// write begins and commits as usual.
    #[tokio::test]
    async fn a_failed_group_commit_fails_its_members_and_the_next_write_still_works() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = open(&dir.path().join("failed.sqlite")).await.expect("open");
        for statement in [
            "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
            "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)",
        ] {
            sqlx::query(statement)
                .execute(db.writer())
                .await
                .expect("schema");
        }
        let mut first = db.write().await.expect("first write");
        let lone = {
            let db = db.clone();
            tokio::spawn(async move {
                sqlx::query("INSERT INTO counters (name, value) VALUES ('lone', 3)")
                    .execute(db.writer())
                    .await
            })
        };
        until_queued(&db, 1, "the lone statement never queued").await;
        for statement in [
            "INSERT INTO counters (name, value) VALUES ('first', 1)",
            "INSERT INTO child (parent_id) VALUES (99)",
        ] {
            sqlx::query(statement)
                .execute(&mut *first)
                .await
                .expect("insert");
        }
        assert!(first.commit().await.is_err(), "the batch's COMMIT failed");
        assert!(
            lone.await.expect("task").is_err(),
            "the lone statement was in the failed batch"
        );
        let mut next = db.write().await.expect("the next write begins");
        sqlx::query("INSERT INTO counters (name, value) VALUES ('next', 2)")
            .execute(&mut *next)
            .await
            .expect("insert");
        next.commit().await.expect("the next write commits");
        let names: Vec<(String,)> = sqlx::query_as(
            "SELECT name FROM counters WHERE name IN ('first', 'lone', 'next') ORDER BY name",
        )
        .fetch_all(&db)
        .await
        .expect("read");
        assert_eq!(names, [("next".to_owned(),)]);
        let children: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM child")
            .fetch_one(&db)
            .await
            .expect("read");
        assert_eq!(children.0, 0);
        db.close().await;
    }

    /// A reader given back inside a transaction (a request cancelled between BEGIN and its
    /// transaction object) is not lent again: its snapshot would pin every later read on it.
    #[tokio::test]
    async fn a_reader_given_back_inside_a_transaction_is_not_lent_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = open(&dir.path().join("reader.sqlite")).await.expect("open");
        let mut conn = db.readers.acquire().await.expect("reader");
        writer::Transactions::begin(&mut conn, None)
            .await
            .expect("begin");
        drop(conn);
        // Holding every reader at once takes whichever came back.
        let mut held = Vec::new();
        for _ in 0..db.readers.options().get_max_connections() {
            held.push(db.readers.acquire().await.expect("reader"));
        }
        for conn in &held {
            assert_eq!(writer::Transactions::get_transaction_depth(conn), 0);
        }
        drop(held);
        db.close().await;
    }

    #[tokio::test]
    async fn the_wal_reaches_the_database_file_without_the_writer_checkpointing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("checkpoint.sqlite");
        let db = open(&path).await.expect("open");
        let marker = "checkpoint-marker-7f3a";
        // One small write: far below the 1,000 pages that would make SQLite checkpoint on commit.
        sqlx::query("INSERT INTO counters (name, value) VALUES ($1, 0)")
            .bind(marker)
            .execute(db.writer())
            .await
            .expect("insert");
        let in_main_file = || {
            std::fs::read(&path)
                .map(|bytes| bytes.windows(marker.len()).any(|w| w == marker.as_bytes()))
                .unwrap_or(false)
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !in_main_file() {
            assert!(
                std::time::Instant::now() < deadline,
                "the committed row never left the WAL"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        db.close().await;
    }
}
