//! The widget's files and embed.js over real HTTP: precompressed forms that decode to exactly the
//! original bytes, `Accept-Encoding` negotiation, caching by name, revalidation with `ETag`.

mod support;

use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use booking_server::{app, AppState, Config};
use reqwest::header::{HeaderMap, HeaderValue};

const WASM: &str = "booking-widget-0123456789abcdef_bg.wasm";
const JS: &str = "booking-widget-0123456789abcdef.js";
const CSS: &str = "main-fedcba9876543210.css";
/// No hash in its name: revalidated like index.html.
const JSON: &str = "extra.json";
/// Already compressed: sent as it is.
const PNG: &str = "logo.png";
const EMBED_JS: &str = include_str!("../assets/embed.js");
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A server whose `--widget-dir` is a temporary directory of made-up widget files.
struct Site {
    base: String,
    client: reqwest::Client,
    dist: tempfile::TempDir,
    _data: tempfile::TempDir,
}

/// Compressible bytes that are not trivial to compress.
fn sample(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|i| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            // Mostly a repeating pattern, with some noise.
            if x.is_multiple_of(7) {
                (x >> 16) as u8
            } else {
                b"(module (func $add (param i32 i32)) "[i % 36]
            }
        })
        .collect()
}

fn original(name: &str) -> Vec<u8> {
    match name {
        "index.html" => format!(
            "<!doctype html><html><head><link rel=\"stylesheet\" href=\"/widget/{CSS}\">\
             <script type=\"module\" src=\"/widget/{JS}\"></script></head><body></body></html>"
        )
        .into_bytes(),
        WASM => sample(120_000, 1),
        JS => sample(40_000, 2),
        CSS => sample(8_000, 3),
        JSON => br#"{"items":[{"name":"Haircut & blow-dry"},{"name":"Colour"}]}"#.repeat(20),
        PNG => sample(5_000, 4),
        other => panic!("no sample for {other}"),
    }
}

fn write_dist(dir: &Path) {
    for name in ["index.html", WASM, JS, CSS, JSON, PNG] {
        std::fs::write(dir.join(name), original(name)).expect("write");
    }
}

impl Site {
    /// Starts the app over a widget directory prepared by `arrange`, and waits until the server has
    /// made the compressed forms (it does that in the background).
    async fn start(arrange: impl FnOnce(&Path)) -> Self {
        let dist = tempfile::tempdir().expect("temp dir");
        write_dist(dist.path());
        arrange(dist.path());
        let data = tempfile::tempdir().expect("temp dir");
        let db = support::open_db(&data.path().join("test.sqlite")).await;
        let state = AppState::new(
            db,
            Config {
                widget_dir: Some(dist.path().to_owned()),
                ..Config::default()
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let service = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await.expect("serve") });
        let client = reqwest::Client::builder()
            // Compressed bodies must reach the test as sent.
            .no_gzip()
            .no_brotli()
            .no_deflate()
            .build()
            .expect("client");
        let site = Site {
            base,
            client,
            dist,
            _data: data,
        };
        let deadline = Instant::now() + Duration::from_secs(120);
        for name in [WASM, JS, CSS, JSON, "index.html"] {
            while site
                .get(name, Some("br"), None)
                .await
                .1
                .get("content-encoding")
                != Some(&HeaderValue::from_static("br"))
            {
                assert!(Instant::now() < deadline, "{name} never served as brotli");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        site
    }

    /// `GET /widget/{name}` (or an absolute path) → (status, headers, body).
    async fn get(
        &self,
        name: &str,
        accept_encoding: Option<&str>,
        if_none_match: Option<&str>,
    ) -> (u16, HeaderMap, Vec<u8>) {
        let path = if name.starts_with('/') {
            name.to_owned()
        } else {
            format!("/widget/{name}")
        };
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(value) = accept_encoding {
            request = request.header("accept-encoding", value);
        }
        if let Some(value) = if_none_match {
            request = request.header("if-none-match", value);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.expect("body").to_vec();
        (status, headers, body)
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn decode(coding: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match coding {
        Some("br") => {
            brotli::Decompressor::new(body, 4096)
                .read_to_end(&mut out)
                .expect("valid brotli");
        }
        Some("gzip") => {
            flate2::read::GzDecoder::new(body)
                .read_to_end(&mut out)
                .expect("valid gzip");
        }
        None => out = body.to_vec(),
        Some(other) => panic!("unexpected content-encoding {other}"),
    }
    out
}

#[tokio::test]
async fn every_coding_decodes_to_the_original_bytes() {
    let site = Site::start(|_| {}).await;
    let mut files: Vec<(&str, Vec<u8>)> = ["index.html", WASM, JS, CSS, JSON]
        .iter()
        .map(|n| (*n, original(n)))
        .collect();
    files.push(("/embed.js", EMBED_JS.as_bytes().to_vec()));
    for (name, bytes) in &files {
        for (accept, coding) in [
            (Some("br"), Some("br")),
            (Some("gzip"), Some("gzip")),
            (Some("gzip, deflate, br, zstd"), Some("br")),
            (None, None),
            (Some("identity"), None),
        ] {
            let (status, headers, body) = site.get(name, accept, None).await;
            assert_eq!(status, 200, "{name} {accept:?}");
            assert_eq!(
                header(&headers, "content-encoding"),
                coding,
                "{name} {accept:?}"
            );
            assert_eq!(
                header(&headers, "content-length"),
                Some(body.len().to_string().as_str()),
                "{name} {accept:?}"
            );
            if coding.is_some() {
                assert!(body.len() < bytes.len(), "{name} {accept:?}: not smaller");
            }
            assert!(
                decode(coding, &body) == *bytes,
                "{name} {accept:?}: other bytes"
            );
        }
    }
}

#[tokio::test]
async fn content_types_and_cross_origin_access() {
    let site = Site::start(|_| {}).await;
    for (name, content_type) in [
        ("index.html", "text/html; charset=utf-8"),
        ("", "text/html; charset=utf-8"),
        // WebAssembly.instantiateStreaming refuses anything else.
        (WASM, "application/wasm"),
        (JS, "text/javascript; charset=utf-8"),
        (CSS, "text/css; charset=utf-8"),
        (JSON, "application/json"),
        (PNG, "image/png"),
        ("/embed.js", "text/javascript; charset=utf-8"),
        ("/embed.d.ts", "text/plain; charset=utf-8"),
    ] {
        let (status, headers, _) = site.get(name, Some("br, gzip"), None).await;
        assert_eq!(status, 200, "{name}");
        assert_eq!(
            header(&headers, "content-type"),
            Some(content_type),
            "{name}"
        );
        // Direct mount fetches the module and the wasm from the customer's origin.
        assert_eq!(
            header(&headers, "access-control-allow-origin"),
            Some("*"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn hashed_files_are_immutable_and_the_rest_revalidated() {
    let site = Site::start(|_| {}).await;
    for name in [WASM, JS, CSS] {
        for accept in [Some("br"), Some("gzip"), None] {
            let (_, headers, _) = site.get(name, accept, None).await;
            assert_eq!(
                header(&headers, "cache-control"),
                Some(IMMUTABLE),
                "{name} {accept:?}"
            );
        }
    }
    for name in ["", "index.html", JSON, "/embed.js", "/embed.d.ts"] {
        let (_, headers, _) = site.get(name, Some("br"), None).await;
        let cache = header(&headers, "cache-control").unwrap_or_default();
        assert!(
            cache == "no-cache" || cache.starts_with("public, max-age=60"),
            "{name}: {cache}"
        );
        assert!(!cache.contains("immutable"), "{name}: {cache}");
        let etag = header(&headers, "etag").unwrap_or_default();
        assert!(
            etag.starts_with('"') && etag.ends_with('"') && etag.len() > 2,
            "{name}: strong ETag, got {etag:?}"
        );
    }
    let (_, headers, _) = site.get("index.html", Some("br"), None).await;
    assert_eq!(header(&headers, "cache-control"), Some("no-cache"));
}

#[tokio::test]
async fn if_none_match_gives_304_for_the_same_representation() {
    let site = Site::start(|_| {}).await;
    for name in ["", "index.html", WASM, "/embed.js"] {
        let (_, first, _) = site.get(name, Some("br"), None).await;
        let etag = header(&first, "etag").expect("etag").to_owned();
        let (status, headers, body) = site.get(name, Some("br"), Some(&etag)).await;
        assert_eq!(status, 304, "{name}");
        assert!(body.is_empty(), "{name}");
        assert_eq!(header(&headers, "etag"), Some(etag.as_str()), "{name}");
        assert_eq!(header(&headers, "vary"), Some("accept-encoding"), "{name}");
        assert_eq!(
            header(&headers, "cache-control"),
            header(&first, "cache-control"),
            "{name}"
        );
        let weak = format!("\"other\", W/{etag}");
        let (status, _, _) = site.get(name, Some("br"), Some(&weak)).await;
        assert_eq!(status, 304, "{name}: weak comparison, list");
        // The gzip form is another representation, with its own validator.
        let (status, headers, body) = site.get(name, Some("gzip"), Some(&etag)).await;
        assert_eq!(status, 200, "{name}");
        assert_eq!(header(&headers, "content-encoding"), Some("gzip"), "{name}");
        assert_ne!(header(&headers, "etag"), Some(etag.as_str()), "{name}");
        assert!(!body.is_empty());
        let (status, _, _) = site.get(name, Some("br"), Some("\"stale\"")).await;
        assert_eq!(status, 200, "{name}");
    }
    // A changed file gets another validator: same content, same ETag; different content, different.
    let (_, a, _) = site.get(JS, None, None).await;
    let (_, b, _) = site.get(CSS, None, None).await;
    assert_ne!(header(&a, "etag"), header(&b, "etag"));
}

#[tokio::test]
async fn vary_accept_encoding_on_every_answer() {
    let site = Site::start(|_| {}).await;
    for name in ["", WASM, JSON, PNG, "/embed.js"] {
        for accept in [Some("br"), Some("gzip"), None] {
            let (status, headers, _) = site.get(name, accept, None).await;
            assert_eq!(status, 200);
            assert_eq!(
                header(&headers, "vary"),
                Some("accept-encoding"),
                "{name} {accept:?}"
            );
        }
    }
    // Already compressed: never sent with a content coding.
    let (_, headers, body) = site.get(PNG, Some("br, gzip"), None).await;
    assert_eq!(header(&headers, "content-encoding"), None);
    assert!(body == original(PNG));
}

#[tokio::test]
async fn q_zero_excludes_a_coding_and_weights_choose() {
    let site = Site::start(|_| {}).await;
    for (accept, coding) in [
        ("br;q=0, gzip", Some("gzip")),
        ("gzip, br;q=0", Some("gzip")),
        ("br;q=0, gzip;q=0", None),
        ("*;q=0, identity", None),
        ("gzip;q=1, br;q=0.5", Some("gzip")),
        ("br;q=0.8, gzip;q=0.5", Some("br")),
        ("*", Some("br")),
        ("deflate", None),
    ] {
        let (status, headers, body) = site.get(WASM, Some(accept), None).await;
        assert_eq!(status, 200, "{accept}");
        assert_eq!(header(&headers, "content-encoding"), coding, "{accept}");
        assert!(decode(coding, &body) == original(WASM), "{accept}");
    }
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let site = Site::start(|_| {}).await;
    for path in [
        "nope.js",
        "booking-widget-0000000000000000_bg.wasm",
        // The precompressed forms are not files of their own.
        &format!("{WASM}.br"),
        &format!("{WASM}.gz"),
        "sub/",
        "%2e%2e/Cargo.toml",
    ] {
        let (status, headers, _) = site.get(path, Some("br"), None).await;
        assert_eq!(status, 404, "{path}");
        assert_ne!(header(&headers, "cache-control"), Some(IMMUTABLE), "{path}");
    }
}

#[tokio::test]
async fn precompressed_files_beside_the_originals_are_served_unless_stale() {
    let fast_brotli = |bytes: &[u8]| {
        let mut out = Vec::new();
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 1, 22);
        std::io::Write::write_all(&mut writer, bytes).expect("compress");
        drop(writer);
        out
    };
    let fresh = fast_brotli(&original(WASM));
    let sidecar = fresh.clone();
    let site = Site::start(move |dir| {
        std::fs::write(dir.join(format!("{WASM}.br")), &sidecar).expect("write");
        // Made for an older version of the file: must not be served.
        let stale = dir.join(format!("{JSON}.br"));
        std::fs::write(&stale, fast_brotli(b"{\"old\":true}")).expect("write");
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .and_then(|f| f.set_modified(hour_ago))
            .expect("set mtime");
    })
    .await;
    let (_, headers, body) = site.get(WASM, Some("br"), None).await;
    assert_eq!(header(&headers, "content-encoding"), Some("br"));
    assert!(body == fresh, "the precompressed file, as it is");
    let (_, headers, body) = site.get(JSON, Some("br"), None).await;
    assert_eq!(header(&headers, "content-encoding"), Some("br"));
    assert!(
        decode(Some("br"), &body) == original(JSON),
        "not the stale form"
    );
    assert!(site.dist.path().join(format!("{JSON}.br")).exists());
}
