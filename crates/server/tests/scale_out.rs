//! Several `booking-server` processes on one PostgreSQL database: no double booking across
//! processes. Always on PostgreSQL (a throwaway cluster, see `support/postgres.rs`), whatever
//! `BOOKING_TEST_DB` says.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use booking_model::Service;
use booking_server::db::business::{self, Collection};
use chrono::{Days, Utc};
use serde_json::{json, Value};

const DEMO: &str = "/api/2.1/scheduling/companies/demo";

/// A `booking-server serve --demo` process on `--db url`; killed on drop.
struct Node {
    child: Child,
    base: String,
    /// Its working directory (where its emails are written as files).
    _dir: tempfile::TempDir,
}

impl Node {
    /// Spawns a node; [`Node::announced`] waits for its address (so nodes can start at once).
    fn spawn(url: &str) -> (Child, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let child = Command::new(env!("CARGO_BIN_EXE_booking-server"))
            .current_dir(dir.path())
            .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
            .args(["--bookings-per-minute", "100000"])
            .args(["--widget-dir", "/nonexistent-widget"])
            .arg("--db")
            .arg(url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start booking-server");
        (child, dir)
    }

    fn announced((mut child, dir): (Child, tempfile::TempDir)) -> Node {
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
            _dir: dir,
        }
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
    let url = support::postgres::fresh_url().await;
    let children: Vec<_> = (0..3).map(|_| Node::spawn(&url)).collect();
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
    business::put_doc(&db, Collection::Services, "demo", "trio", None, 9, &group)
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
