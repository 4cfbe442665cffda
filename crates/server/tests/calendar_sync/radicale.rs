//! A real Radicale CalDAV server for the tests: its own storage folder, one user (`test`, plain
//! htpasswd), a free loopback port; stopped when dropped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The test user and password.
pub const USER: &str = "test";
pub const PASSWORD: &str = "radicale-test-pw";

/// The Python with Radicale: `RADICALE_PYTHON` (set by `cargo xtask test`, which installs it into
/// `.tools/radicale`), else that venv when an earlier `cargo xtask test` made it.
fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("RADICALE_PYTHON") {
        return PathBuf::from(python);
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/radicale/bin/python");
    assert!(
        venv.exists(),
        "Radicale is missing: run `cargo xtask test` (it installs it into .tools/radicale), or set \
         RADICALE_PYTHON to a Python that has radicale"
    );
    venv
}

pub struct Radicale {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    child: Option<Child>,
    dir: tempfile::TempDir,
}

/// Starts Radicale on `dir`'s configuration; its log goes to a file there, out of the test
/// output.
fn spawn(dir: &Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("radicale.log"))
        .expect("log file");
    Command::new(python())
        .args(["-m", "radicale", "--config"])
        .arg(dir.join("config"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start radicale")
}

impl Radicale {
    /// Starts Radicale and waits until it answers.
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let users = dir.path().join("users");
        std::fs::write(&users, format!("{USER}:{PASSWORD}\n")).expect("htpasswd");
        let config = dir.path().join("config");
        std::fs::write(
            &config,
            format!(
                "[server]\nhosts = 127.0.0.1:{port}\n\n\
                 [auth]\ntype = htpasswd\nhtpasswd_filename = {}\nhtpasswd_encryption = plain\n\
                 delay = 0\n\n\
                 [storage]\nfilesystem_folder = {}\n\n\
                 [rights]\ntype = owner_only\n\n\
                 [logging]\nlevel = warning\n",
                users.display(),
                dir.path().join("collections").display()
            ),
        )
        .expect("config");
        let mut radicale = Radicale {
            base: format!("http://127.0.0.1:{port}"),
            child: None,
            dir,
        };
        radicale.restart().await;
        radicale
    }

    /// Starts it again after [`Radicale::stop`], on the same port and storage, and waits until it
    /// answers.
    pub async fn restart(&mut self) {
        self.child = Some(spawn(self.dir.path()));
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = reqwest::Client::new();
        loop {
            let answer = client.get(format!("{}/.web/", self.base)).send().await;
            if answer.is_ok() {
                break;
            }
            assert!(Instant::now() < deadline, "Radicale did not start in 20 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The iCalendar text of every event in the collection at `path` (`REPORT calendar-query`).
    pub async fn events(&self, path: &str) -> Vec<String> {
        let query = r#"<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter>
</C:calendar-query>"#;
        let response = reqwest::Client::new()
            .request(
                reqwest::Method::from_bytes(b"REPORT").expect("method"),
                format!("{}{path}", self.base),
            )
            .basic_auth(USER, Some(PASSWORD))
            .header("Depth", "1")
            .header("Content-Type", "application/xml")
            .body(query)
            .send()
            .await
            .expect("a Radicale answer");
        assert_eq!(response.status().as_u16(), 207, "REPORT {path}");
        let xml = response.text().await.expect("body");
        let doc = roxmltree::Document::parse(&xml).expect("multistatus XML");
        doc.descendants()
            .filter(|n| n.tag_name().name() == "calendar-data")
            .filter_map(|n| n.text().map(str::to_owned))
            .collect()
    }

    /// Sends a WebDAV request as the test user; returns the status.
    pub async fn dav(&self, method: &str, path: &str, content_type: &str, body: String) -> u16 {
        let response = reqwest::Client::new()
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).expect("method"),
                format!("{}{path}", self.base),
            )
            .basic_auth(USER, Some(PASSWORD))
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .expect("a Radicale answer");
        response.status().as_u16()
    }

    /// Makes the calendar collection `/test/{name}/`; returns its URL.
    pub async fn make_calendar(&self, name: &str) -> String {
        let mkcalendar = r#"<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop><D:displayname>Busy</D:displayname></D:prop></D:set>
</C:mkcalendar>"#;
        let path = format!("/{USER}/{name}/");
        let status = self
            .dav(
                "MKCALENDAR",
                &path,
                "application/xml",
                mkcalendar.to_owned(),
            )
            .await;
        assert_eq!(status, 201, "MKCALENDAR {path}");
        format!("{}{path}", self.base)
    }

    /// Stops the server (the port refuses connections from now on).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Radicale {
    fn drop(&mut self) {
        self.stop();
    }
}
