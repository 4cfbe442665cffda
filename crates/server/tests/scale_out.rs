//! Several `booking-server` processes on one PostgreSQL database: no double booking across
//! processes, the outbox delivered by all of them (once each, and nothing lost when one is killed),
//! and the write lock's limits (a stuck writer is a 503, queued writers leave reads their
//! connections). Always on PostgreSQL (a throwaway cluster, see `support/postgres.rs`), whatever
//! `BOOKING_TEST_DB` says.

mod support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use booking_model::Service;
use booking_server::clock::Clock;
use booking_server::db::business::{self, Collection};
use booking_server::db::{self, PostgresLimits};
use booking_server::{demo, Config};
use chrono::{Days, Utc};
use serde_json::{json, Value};

const DEMO: &str = "/api/2.1/scheduling/companies/demo";
const DEADLINE: Duration = Duration::from_secs(30);

/// A `booking-server serve --demo` process on `--db url`; killed on drop.
struct Node {
    child: Child,
    base: String,
    /// What it logged (stderr) so far.
    log: Arc<Mutex<String>>,
    /// Its working directory (where its emails are written as files).
    _dir: tempfile::TempDir,
}

impl Node {
    /// Spawns a node with more `args`; [`Node::announced`] waits for its address (so nodes can
    /// start at once).
    fn spawn(url: &str, args: &[&str]) -> (Child, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let child = Command::new(env!("CARGO_BIN_EXE_booking-server"))
            .current_dir(dir.path())
            .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
            .args(["--bookings-per-minute", "100000"])
            .args(["--widget-dir", "/nonexistent-widget"])
            .args(args)
            .arg("--db")
            .arg(url)
            // The workers' start lines name their lease owner (which rows a node holds).
            .env("RUST_LOG", "warn,booking_server::outbox_worker=info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start booking-server");
        (child, dir)
    }

    fn announced((mut child, dir): (Child, tempfile::TempDir)) -> Node {
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !line.contains("delivery worker started") {
                    eprintln!("{line}");
                }
                if let Ok(mut log) = sink.lock() {
                    log.push_str(&line);
                    log.push('\n');
                }
            }
        });
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let addr = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| {
                l.strip_prefix("booking-server listening on http://")
                    .map(str::to_owned)
            })
            .expect("the node announces its address");
        std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
        Node {
            child,
            base: format!("http://{addr}"),
            log,
            _dir: dir,
        }
    }

    fn logged(&self, needle: &str) -> bool {
        self.log.lock().is_ok_and(|log| log.contains(needle))
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Three nodes on one fresh database, started at once (they race on migrations and the demo
/// seed, which must not matter).
async fn three_nodes() -> (String, Vec<Node>) {
    three_nodes_with(&[]).await
}

/// Three nodes started with more `args`.
async fn three_nodes_with(args: &[&str]) -> (String, Vec<Node>) {
    support::postgres::require_binaries();
    let url = support::postgres::fresh_url().await;
    let children: Vec<_> = (0..3).map(|_| Node::spawn(&url, args)).collect();
    let nodes = children.into_iter().map(Node::announced).collect();
    (url, nodes)
}

/// The first free start of `service` with `staff` from tomorrow on.
async fn first_slot(base: &str, service: &str) -> String {
    let from = Utc::now().date_naive() + Days::new(1);
    let url = format!(
        "{base}{DEMO}/widget/freeSlots?startDate={from}&endDate={}&serviceId={service}&staffId=camille&timeZone=Europe/Paris",
        from + Days::new(13)
    );
    let body: Value = reqwest::get(url)
        .await
        .expect("freeSlots")
        .json()
        .await
        .expect("JSON");
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .flat_map(|d| d["slots"].as_array().cloned().unwrap_or_default())
        .find_map(|s| s.as_str().map(str::to_owned))
        .expect("a free slot")
}

/// `n` concurrent bookings of one slot, spread round-robin over the nodes: their statuses.
async fn race(nodes: &[Node], service: &str, start: &str, n: usize) -> Vec<u16> {
    let client = reqwest::Client::new();
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let url = format!("{}{DEMO}/widget/appointments", nodes[i % nodes.len()].base);
            let body = support::demo_booking(
                service,
                Some("camille"),
                start,
                &format!("racer{i}@example.com"),
            );
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .post(url)
                    .json(&body)
                    .send()
                    .await
                    .expect("request")
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("task"));
    }
    statuses
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|&&s| s == status).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_nodes_on_one_postgres_book_a_capacity_one_slot_exactly_once() {
    let (_url, nodes) = three_nodes().await;
    let start = first_slot(&nodes[0].base, "haircut").await;
    let statuses = race(&nodes, "haircut", &start, 200).await;
    assert_eq!(
        (count(&statuses, 201), count(&statuses, 409)),
        (1, 199),
        "{statuses:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_nodes_on_one_postgres_book_a_capacity_three_slot_exactly_three_times() {
    let (url, nodes) = three_nodes().await;
    let group: Service = serde_json::from_value(json!({
        "id": "trio", "name": "Small group", "duration": 60, "capacity": 3, "price": 10,
        "staff": [{"id": "camille"}], "useCompanyWorkingHours": true
    }))
    .expect("service");
    let db = booking_server::db::open_postgres(&url).await.expect("open");
    business::put_doc(
        db.writer(),
        Collection::Services,
        "demo",
        "trio",
        None,
        9,
        &group,
    )
    .await
    .expect("insert service");
    db.close().await;
    let start = first_slot(&nodes[0].base, "trio").await;
    let statuses = race(&nodes, "trio", &start, 200).await;
    assert_eq!(
        (count(&statuses, 201), count(&statuses, 409)),
        (3, 197),
        "{statuses:?}"
    );
}

/// A webhook receiver: a real HTTP server on 127.0.0.1 that records each request's `webhook-id`
/// and answers 200 at once or, while stalling, only when the stall ends.
#[derive(Clone)]
struct Receiver {
    url: String,
    hits: Arc<Mutex<Vec<String>>>,
    stalling: Arc<tokio::sync::watch::Sender<bool>>,
}

impl Receiver {
    async fn start() -> Receiver {
        let hits = Arc::new(Mutex::new(Vec::new()));
        let stalling = Arc::new(tokio::sync::watch::Sender::new(false));
        let (kept, stall) = (hits.clone(), stalling.clone());
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: axum::http::HeaderMap| {
                let (kept, stall) = (kept.clone(), stall.clone());
                async move {
                    let id = headers
                        .get("webhook-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    kept.lock().expect("hits").push(id);
                    let _ = stall.subscribe().wait_for(|on| !*on).await;
                    axum::http::StatusCode::OK
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await.expect("receiver") });
        Receiver {
            url,
            hits,
            stalling,
        }
    }

    fn hits(&self) -> Vec<String> {
        self.hits.lock().expect("hits").clone()
    }

    fn stall(&self, on: bool) {
        self.stalling.send_replace(on);
    }
}

/// Books `n` appointments through the Appointments API (forced, each on its own day from
/// `first_day` on), spread round-robin over `nodes`.
async fn book_through(nodes: &[&Node], first_day: u64, n: u64) {
    let client = reqwest::Client::new();
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let day = Utc::now().date_naive() + Days::new(first_day + i);
            let url = format!(
                "{}{DEMO}/appointments?force=true",
                nodes[usize::try_from(i).expect("index") % nodes.len()].base
            );
            let body = json!({
                "client": {"firstName": "Ada", "lastName": "Lovelace", "email": format!("hook{i}@example.com")},
                "service": {"id": "haircut"},
                "staff": {"id": "camille"},
                "start": {"dateTime": format!("{day}T10:00:00"), "timeZone": "Europe/Paris"}
            });
            let client = client.clone();
            tokio::spawn(async move {
                support::request_json(
                    &client,
                    reqwest::Method::POST,
                    &url,
                    Some(support::DEMO_KEY),
                    Some(&body),
                )
                .await
            })
        })
        .collect();
    for task in tasks {
        let (status, body) = task.await.expect("task");
        assert_eq!(status, 201, "{body}");
    }
}

/// `(id, state, lease owner)` of every webhook delivery in the outbox.
async fn deliveries(db: &db::Db) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as("SELECT id, state, lease_owner FROM outbox WHERE channel = 'webhook'")
        .fetch_all(db)
        .await
        .expect("outbox")
}

/// Polls until every webhook delivery succeeded and there are at least `at_least` of them.
async fn all_delivered(db: &db::Db, at_least: usize) -> Vec<String> {
    let started = Instant::now();
    loop {
        let rows = deliveries(db).await;
        if rows.len() >= at_least && rows.iter().all(|(_, state, _)| state == "succeeded") {
            return rows.into_iter().map(|(id, _, _)| id).collect();
        }
        assert!(started.elapsed() < DEADLINE, "not all delivered: {rows:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_nodes_deliver_each_webhook_once_and_lose_none_when_one_is_killed() {
    // A lease long enough that a live node's stalled attempt keeps it until the stall ends (its
    // attempts are cut at 3/4 of it, 11.25 s, past the 10 s request limit: with the 6 s lease this
    // was, a stall longer than 4.5 s had live nodes' deliveries retried, or claimed by another node,
    // and sent twice), short enough to wait out after the kill.
    let args = ["--allow-private-webhooks", "--outbox-lease-ms", "15000"];
    let (url, mut nodes) = three_nodes_with(&args).await;
    let db = db::open_postgres(&url).await.expect("open");
    let receiver = Receiver::start().await;
    let (status, watch) = support::request_json(
        &reqwest::Client::new(),
        reqwest::Method::POST,
        &format!("{}{DEMO}/appointments/watch", nodes[0].base),
        Some(support::DEMO_KEY),
        Some(&json!({"address": receiver.url})),
    )
    .await;
    assert_eq!(status, 201, "{watch}");

    // No node fails: every delivery reaches the receiver exactly once.
    book_through(&nodes.iter().collect::<Vec<_>>(), 20, 12).await;
    let ids: HashSet<String> = all_delivered(&db, 12).await.into_iter().collect();
    let hits = receiver.hits();
    assert_eq!(hits.len(), ids.len(), "each delivery once: {hits:?}");
    assert_eq!(hits.into_iter().collect::<HashSet<_>>(), ids);

    // One node is killed with attempts on the wire: its deliveries are attempted again once their
    // lease has passed, by the others.
    receiver.stall(true);
    let before = receiver.hits().len();
    book_through(&nodes.iter().collect::<Vec<_>>(), 40, 9).await;
    let started = Instant::now();
    let held = loop {
        let rows = deliveries(&db).await;
        let delivering = rows.iter().filter(|(_, s, _)| s == "delivering").count();
        if receiver.hits().len() - before == 9 && delivering == 9 {
            break rows;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "not all on the wire: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let owner_of = |node: &Node| {
        held.iter()
            .filter(|(_, s, owner)| {
                s == "delivering" && owner.as_deref().is_some_and(|o| node.logged(o))
            })
            .map(|(id, _, _)| id.clone())
            .collect::<HashSet<_>>()
    };
    let victim = (0..nodes.len())
        .max_by_key(|&i| owner_of(&nodes[i]).len())
        .expect("a node");
    let interrupted = owner_of(&nodes[victim]);
    assert!(
        !interrupted.is_empty(),
        "no node holds a delivery: {held:?}"
    );
    let mut killed = nodes.remove(victim);
    killed.child.kill().expect("SIGKILL");
    killed.child.wait().expect("reap");
    receiver.stall(false);

    let ids: HashSet<String> = all_delivered(&db, 21).await.into_iter().collect();
    let hits = receiver.hits();
    assert_eq!(
        hits.iter().cloned().collect::<HashSet<_>>(),
        ids,
        "none lost"
    );
    let mut seen = HashSet::new();
    let twice: HashSet<String> = hits
        .into_iter()
        .filter(|id| !seen.insert(id.clone()))
        .collect();
    assert!(
        twice.is_subset(&interrupted),
        "only the killed node's deliveries are sent again: {twice:?} vs {interrupted:?}"
    );
    db.close().await;
}

/// One server in this process on a fresh database with `limits`, the demo company seeded: its base
/// URL and the database's URL.
async fn server_with(limits: PostgresLimits) -> (String, String) {
    support::postgres::require_binaries();
    let url = support::postgres::fresh_url().await;
    let db = db::open_postgres_with(&url, limits).await.expect("open");
    demo::seed(&db).await.expect("seed");
    let (base, _, _) = support::serve(db, Clock::system(), |_| Config {
        demo: true,
        bookings_per_minute: 100_000,
        ..Config::default()
    })
    .await;
    (base, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_stuck_behind_the_write_lock_is_a_503_not_a_hang_or_a_500() {
    let limits = PostgresLimits {
        lock_timeout: Duration::from_millis(300),
        ..PostgresLimits::default()
    };
    let (base, url) = server_with(limits).await;
    let start = first_slot(&base, "haircut").await;
    let booking = support::demo_booking("haircut", Some("camille"), &start, "stuck@example.com");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let book = || async {
        support::request_json(
            &client,
            reqwest::Method::POST,
            &format!("{base}{DEMO}/widget/appointments"),
            None,
            Some(&booking),
        )
        .await
    };
    // Another node is stuck in the middle of a write: it holds the lock.
    let other = db::open_postgres(&url).await.expect("open");
    let stuck = other.write().await.expect("take the write lock");
    let (status, body) = book().await;
    assert_eq!(status, 503, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("busy")),
        "{body}"
    );
    stuck.rollback().await.expect("release");
    let (status, body) = book().await;
    assert_eq!(status, 201, "{body}");
    other.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_queued_for_the_write_lock_leave_reads_their_connections() {
    let limits = PostgresLimits::default();
    let (base, url) = server_with(limits).await;
    let start = first_slot(&base, "haircut").await;
    let other = db::open_postgres(&url).await.expect("open");
    let stuck = other.write().await.expect("take the write lock");
    // Far more writers than the node has connections, all queued behind the lock.
    let client = reqwest::Client::new();
    let writers: Vec<_> = (0..40)
        .map(|i| {
            let url = format!("{base}{DEMO}/widget/appointments");
            let body = support::demo_booking(
                "haircut",
                Some("camille"),
                &start,
                &format!("queued{i}@example.com"),
            );
            let client = client.clone();
            tokio::spawn(async move {
                let answer = client.post(url).json(&body).send().await.expect("book");
                answer.status().as_u16()
            })
        })
        .collect();
    let started = Instant::now();
    loop {
        if waiting_for_locks(&other).await >= i64::from(limits.writers) {
            break;
        }
        assert!(started.elapsed() < DEADLINE, "the writers never queued");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let reader = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    for _ in 0..3 {
        let answer = reader
            .get(format!("{base}{DEMO}/widget/services"))
            .send()
            .await
            .expect("a read answers while writers wait");
        assert_eq!(answer.status().as_u16(), 200);
    }
    stuck.rollback().await.expect("release");
    let mut statuses = Vec::new();
    for writer in writers {
        statuses.push(writer.await.expect("writer"));
    }
    assert_eq!(
        (count(&statuses, 201), count(&statuses, 409)),
        (1, 39),
        "{statuses:?}"
    );
    other.close().await;
}

/// Sessions of this test's database (not the whole cluster: other tests run beside it) waiting
/// for a lock (`Db::write`'s advisory lock, a row's, a migrator's).
async fn waiting_for_locks<'c, E: sqlx::Executor<'c, Database = db::Backend>>(db: E) -> i64 {
    let (waiting,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM pg_locks WHERE NOT granted \
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_one(db)
    .await
    .expect("pg_locks");
    waiting
}

/// Polls until some session of the database waits for a lock.
async fn until_one_waits(db: &db::Db) {
    let started = Instant::now();
    while waiting_for_locks(db).await == 0 {
        assert!(
            started.elapsed() < DEADLINE,
            "nothing ever waited for the lock"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_through_the_readers_fails_loudly() {
    support::postgres::require_binaries();
    let db = db::open_postgres(&support::postgres::fresh_url().await)
        .await
        .expect("open");
    let insert = || sqlx::query("INSERT INTO counters (name, value) VALUES ('stray', 0)");
    let error = insert()
        .execute(&db)
        .await
        .expect_err("a reader is read-only");
    let code = error.as_database_error().and_then(|e| e.code());
    assert_eq!(code.as_deref(), Some("25006"), "{error}");
    let mut tx = db.write().await.expect("write");
    insert().execute(&mut *tx).await.expect("the writer writes");
    tx.commit().await.expect("commit");
    db.close().await;
}

/// The key of sqlx's migration lock on PostgreSQL (`sqlx-postgres`'s `generate_lock_id`): a
/// constant times the CRC-32 of the database's name.
fn migration_lock_key(database: &str) -> i64 {
    let mut crc = !0u32;
    for byte in database.bytes() {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = match crc & 1 {
                1 => (crc >> 1) ^ 0xEDB8_8320,
                _ => crc >> 1,
            };
        }
    }
    0x3d32_ad9e * i64::from(!crc)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_waits_for_another_nodes_migrations_longer_than_the_writers_lock_timeout() {
    support::postgres::require_binaries();
    let url = support::postgres::fresh_url().await;
    let name = url.rsplit('/').next().expect("database name").to_owned();
    let mut migrating: sqlx::AnyConnection =
        sqlx::Connection::connect(&url).await.expect("connect");
    // Another node is applying migrations: it holds the migrator's lock.
    let lock = |sql| sqlx::query_as::<_, (i64,)>(sql).bind(migration_lock_key(&name));
    lock("SELECT COUNT(*) FROM (SELECT pg_advisory_lock($1)) AS locked")
        .fetch_one(&mut migrating)
        .await
        .expect("take the migration lock");
    let limits = PostgresLimits {
        lock_timeout: Duration::from_millis(200),
        ..PostgresLimits::default()
    };
    let opening = tokio::spawn({
        let url = url.clone();
        async move { db::open_postgres_with(&url, limits).await }
    });
    let started = Instant::now();
    while waiting_for_locks(&mut migrating).await == 0 {
        assert!(
            !opening.is_finished(),
            "gave up before waiting: {:?}",
            opening.await.map(|r| r.err().map(|e| format!("{e:#}")))
        );
        assert!(started.elapsed() < DEADLINE, "never waited for the lock");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Not synchronization: the wait under test, past the writers' lock_timeout (with it, the
    // migrator gave up here and the node did not start).
    tokio::time::sleep(limits.lock_timeout * 3).await;
    assert!(
        !opening.is_finished(),
        "still waiting: {:?}",
        opening.await.map(|r| r.err().map(|e| format!("{e:#}")))
    );
    lock("SELECT COUNT(*) FROM (SELECT pg_advisory_unlock($1)) AS unlocked")
        .fetch_one(&mut migrating)
        .await
        .expect("release the migration lock");
    let db = opening
        .await
        .expect("task")
        .expect("opens once the other node's migrations are done");
    assert_eq!(db::ready(&db).await, Ok(()));
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_purge_and_the_search_backfill_queue_for_the_write_lock() {
    support::postgres::require_binaries();
    let url = support::postgres::fresh_url().await;
    let db = db::open_postgres(&url).await.expect("open");
    let other = db::open_postgres(&url).await.expect("open");
    // An appointment from before search_text existed: the backfill has work to do (with none,
    // it returns without the lock).
    for sql in [
        "INSERT INTO companies (id, doc, created_at, updated_at) VALUES ('c', '{}', 'x', 'x')",
        "INSERT INTO appointments (company_id, id, reference, encrypted_id, status, start_utc, \
         end_utc, blocks, created_at, updated_at, change_seq, doc) VALUES ('c', 'a', 'R1', 'e1', \
         'accepted', '2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z', 1, 'x', 'x', 1, '{}')",
    ] {
        sqlx::query(sql).execute(db.writer()).await.expect(sql);
    }
    for step in ["purge", "backfill"] {
        // Another node is in the middle of a write.
        let stuck = other.write().await.expect("take the write lock");
        let running = tokio::spawn({
            let db = db.clone();
            async move {
                match step {
                    "purge" => db::outbox::purge_finished(&db, Utc::now()).await.map(drop),
                    _ => db::appointments::backfill_search_text(&db).await,
                }
            }
        });
        until_one_waits(&db).await;
        assert!(!running.is_finished(), "{step} did not wait");
        stuck.rollback().await.expect("release");
        running.await.expect("task").expect(step);
    }
    other.close().await;
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deadlock_victim_is_busy_a_503_to_retry_not_a_500() {
    support::postgres::require_binaries();
    let db = db::open_postgres(&support::postgres::fresh_url().await)
        .await
        .expect("open");
    sqlx::query("INSERT INTO counters (name, value) VALUES ('a', 0), ('b', 0)")
        .execute(db.writer())
        .await
        .expect("rows");
    let bump = |name: &'static str| {
        sqlx::query("UPDATE counters SET value = value + 1 WHERE name = $1").bind(name)
    };
    let (mut first, mut second) = (
        db.writer().begin().await.expect("begin"),
        db.writer().begin().await.expect("begin"),
    );
    bump("a").execute(&mut *first).await.expect("lock a");
    bump("b").execute(&mut *second).await.expect("lock b");
    // Each now waits for the other's row: PostgreSQL ends one of them.
    let (one, two) = tokio::join!(
        bump("b").execute(&mut *first),
        bump("a").execute(&mut *second)
    );
    let error = one.err().or(two.err()).expect("a deadlock victim");
    let code = error.as_database_error().and_then(|e| e.code());
    assert_eq!(code.as_deref(), Some("40P01"), "{error}");
    assert!(db::is_busy(&error), "{error}");
    drop((first, second));
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watch_saved_while_its_key_is_deleted_elsewhere_is_refused_not_left_unsigned() {
    let (base, url) = server_with(PostgresLimits::default()).await;
    let client = reqwest::Client::new();
    let call = |method, path: &str, body: Option<Value>| {
        let (client, url) = (client.clone(), format!("{base}{DEMO}{path}"));
        async move {
            support::request_json(
                &client,
                method,
                &url,
                Some(support::DEMO_KEY),
                body.as_ref(),
            )
            .await
        }
    };
    let (status, key) = call(reqwest::Method::POST, "/cryptoKeys", None).await;
    assert_eq!(status, 201, "{key}");
    let key_id = key["id"].as_str().expect("key id").to_owned();
    // Another node deletes the key, its transaction not yet committed: the API's check still
    // sees the key, then the save waits for the write lock.
    let other = db::open_postgres(&url).await.expect("open");
    let mut deleting = other.write().await.expect("take the write lock");
    sqlx::query("DELETE FROM crypto_keys WHERE id = $1")
        .bind(&key_id)
        .execute(&mut *deleting)
        .await
        .expect("delete the key");
    let watch = json!({
        "address": "https://93.184.215.14/hook",
        "signature": {"enabled": true, "cryptoKeyIds": [key_id]}
    });
    let saving = tokio::spawn(call(
        reqwest::Method::POST,
        "/appointments/watch",
        Some(watch),
    ));
    until_one_waits(&other).await;
    deleting.commit().await.expect("commit the deletion");
    let (status, body) = saving.await.expect("task");
    assert_eq!(status, 400, "a watch signing with a deleted key: {body}");
    assert!(
        body.to_string().contains("signature.cryptoKeyIds"),
        "{body}"
    );
    other.close().await;
}

#[test]
fn the_newest_postgresql_is_picked_by_version_number_not_by_name() {
    let key = support::postgres::version_key;
    assert!(
        key("9.6") < key("10"),
        "as text, 9.6 would pass for the newest"
    );
    assert!(key("10") < key("15"));
    assert_eq!(key("main"), None);
}
