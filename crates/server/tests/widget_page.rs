//! The widget page with its first step inlined (routes/site/early.rs), over real HTTP on the demo
//! company: the answers boot.js would fetch first are in the HTML as the API gives them, the services
//! list is painted (escaped), anything the page cannot vouch for gets the static file, and the ETag
//! follows the rendered body.

mod support;

use std::io::Read;

use booking_server::clock::Clock;
use booking_server::Config;
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::Value;
use support::TestServer;

const DEMO: &str = "/api/2.1/scheduling/companies/demo";
const EARLY_OPEN: &str = r#"<script type="application/json" id="bw-early">"#;

/// index.html as trunk writes it, near enough for its slots: boot.js inlined.
fn built_page() -> String {
    include_str!("../../../index.html").replace(
        r#"<link data-trunk rel="inline" href="boot.js">"#,
        &format!("<script>{}</script>", include_str!("../../../boot.js")),
    )
}

struct Site {
    server: TestServer,
    _dist: tempfile::TempDir,
}

impl Site {
    async fn start() -> Site {
        let dist = tempfile::tempdir().expect("temp dir");
        std::fs::write(dist.path().join("index.html"), built_page()).expect("write");
        let widget_dir = dist.path().to_owned();
        let (server, _) = TestServer::configured(Clock::system(), move |_, _| Config {
            demo: true,
            widget_dir: Some(widget_dir),
            ..Config::default()
        })
        .await;
        Site {
            server,
            _dist: dist,
        }
    }

    /// `GET {path}` with request headers → (status, headers, body bytes as sent).
    async fn get(&self, path: &str, headers: &[(&str, &str)]) -> (u16, HeaderMap, Vec<u8>) {
        let mut request = self
            .server
            .client
            .get(format!("{}{path}", self.server.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (
            status,
            headers,
            response.bytes().await.expect("body").to_vec(),
        )
    }

    async fn page(&self, query: &str, headers: &[(&str, &str)]) -> (HeaderMap, String) {
        let (status, headers, body) = self.get(&format!("/widget/{query}"), headers).await;
        assert_eq!(status, 200, "{query}");
        (headers, String::from_utf8(body).expect("UTF-8 page"))
    }

    /// The public API's answer to `path` (under the demo company), as JSON.
    async fn api(&self, path: &str) -> Value {
        let (status, body) = self.server.get_json(&format!("{DEMO}{path}")).await;
        assert_eq!(status, 200, "{path}: {body}");
        body
    }
}

/// `base` (`http://…`) with the other scheme: the same host, another origin for boot.js.
fn https_of(base: &str) -> String {
    base.replacen("http://", "https://", 1)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The text of `#bw-early`: what the server inlined.
fn early_text(page: &str) -> &str {
    let start = page.find(EARLY_OPEN).expect("#bw-early") + EARLY_OPEN.len();
    let len = page[start..].find("</script>").expect("closed");
    &page[start..start + len]
}

fn early(page: &str) -> Value {
    serde_json::from_str(early_text(page)).expect("#bw-early holds JSON")
}

/// The painted services' names, as written in the HTML (escaped).
fn painted_names(page: &str) -> Vec<&str> {
    let open = r#"<span class="bw-choice__name">"#;
    page.match_indices(open)
        .map(|(at, _)| {
            let rest = &page[at + open.len()..];
            &rest[..rest.find("</span>").expect("closed")]
        })
        .collect()
}

#[tokio::test]
async fn the_page_carries_the_first_answers_and_the_painted_list() {
    let site = Site::start().await;
    let (headers, page) = site.page("?company=demo&lang=fr", &[]).await;
    assert_eq!(
        header(&headers, "content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(header(&headers, "cache-control"), Some("no-cache"));
    assert_eq!(
        header(&headers, "vary"),
        Some("accept-encoding"),
        "the URL sets the language"
    );
    let services = site.api("/widget/services?lang=fr").await;
    let inlined = early(&page);
    assert_eq!(
        inlined,
        serde_json::json!({
            format!("{DEMO}/widget/company"): site.api("/widget/company").await,
            format!("{DEMO}/widget/services?lang=fr"): services,
        }),
        "the API's answers, under the paths boot.js reads"
    );
    assert!(
        page.contains(r#"<html lang="fr">"#) && page.contains("<title>Prendre rendez-vous</title>")
    );
    assert!(page.contains(r#"<main class="bw-page" id="bw-boot" data-bw-list>"#));
    assert!(page.contains(">Choisissez une prestation</h2>"));
    assert!(
        !page.contains("bw-skeleton\""),
        "the list replaces the skeleton"
    );
    let names: Vec<String> = services["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|s| s["name"].as_str().expect("name").replace('&', "&amp;"))
        .collect();
    assert!(names.len() >= 2);
    assert_eq!(
        painted_names(&page),
        names,
        "every service, in the API's order"
    );
    assert!(
        page.contains(r#"<button type="button" class="bw-choice__button" data-id="haircut"><span class="bw-choice__name">Coupe &amp; brushing</span><span class="bw-choice__description">Shampoing, coupe sur mesure et brushing.</span><span class="bw-choice__meta"><span class="bw-choice__duration">45 min</span><span class="bw-choice__price">55.00 EUR</span></span></button>"#),
        "ServiceList's markup"
    );

    // The same page by its file name; the language from the browser's when the URL has none.
    let (headers, page) = site
        .page(
            "index.html?c=demo",
            &[("accept-language", "de-CH,de;q=0.9,en;q=0.8")],
        )
        .await;
    assert_eq!(
        header(&headers, "vary"),
        Some("accept-encoding, accept-language")
    );
    assert!(page.contains(r#"<html lang="de">"#));
    assert!(early(&page)
        .get(format!("{DEMO}/widget/services?lang=de"))
        .is_some());
    let (_, page) = site.page("?company=demo&lang=xx", &[]).await;
    assert!(page.contains(r#"<html lang="en">"#), "English by default");
}

#[tokio::test]
async fn what_is_inlined_follows_boot_js_plan() {
    let site = Site::start().await;
    let keys = |page: &str| -> Vec<String> {
        early(page)
            .as_object()
            .expect("object")
            .keys()
            .cloned()
            .collect()
    };
    // A preselected service: the services are read (and chosen from), the skeleton stays.
    let (_, page) = site
        .page("?company=demo&lang=es&service=haircut", &[])
        .await;
    assert_eq!(
        keys(&page),
        [
            format!("{DEMO}/widget/company"),
            format!("{DEMO}/widget/services?lang=es")
        ]
    );
    assert!(painted_names(&page).is_empty() && !page.contains(r#"id="bw-boot" data-bw-list"#));
    assert!(page.contains(r#"<span class="bw-visually-hidden">Cargando…</span>"#));
    // A resource widget and an appointment link read no services first.
    for query in ["?company=demo&resource=room", "?company=demo&appointment=x"] {
        let (_, page) = site.page(query, &[]).await;
        assert_eq!(keys(&page), [format!("{DEMO}/widget/company")], "{query}");
        assert!(painted_names(&page).is_empty(), "{query}");
    }
    // `api=` naming this very server is the same as none.
    let host = site.server.base.trim_start_matches("http://").to_owned();
    let (_, page) = site
        .page(&format!("?company=demo&lang=en&api=http://{host}/"), &[])
        .await;
    assert!(!painted_names(&page).is_empty());
}

#[tokio::test]
async fn hostile_names_are_escaped_in_both_forms() {
    let site = Site::start().await;
    let hostile = "</script><script>alert(1)</script><!-- & \"'\u{2028}\u{2029}";
    let (status, mut service) = site
        .server
        .api(Method::GET, &format!("{DEMO}/services/haircut"), None)
        .await;
    assert_eq!(status, 200, "{service}");
    service["i18n"]["en"]["name"] = hostile.into();
    service["i18n"]["en"]["description"] = hostile.into();
    let (status, body) = site
        .server
        .api(
            Method::PUT,
            &format!("{DEMO}/services/haircut"),
            Some(&service),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let (_, page) = site.page("?company=demo&lang=en", &[]).await;
    assert!(!page.contains(hostile), "never written raw");
    assert_eq!(
        page.matches("<script").count(),
        built_page().matches("<script").count(),
        "no element added"
    );
    let text = early_text(&page);
    assert!(
        !text.contains(['<', '>', '&', '\u{2028}', '\u{2029}']),
        "escaped in the JSON: {text}"
    );
    let inlined = early(&page);
    assert_eq!(
        inlined[format!("{DEMO}/widget/services?lang=en")],
        site.api("/widget/services?lang=en").await,
        "and still the same answer"
    );
    let escaped = "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!-- &amp; &quot;&#39;\u{2028}\u{2029}";
    assert_eq!(painted_names(&page)[0], escaped);
    assert!(page.contains(&format!(
        r#"<span class="bw-choice__description">{escaped}</span>"#
    )));
}

#[tokio::test]
async fn pages_it_cannot_vouch_for_are_the_static_file() {
    let site = Site::start().await;
    let (_, static_headers, static_body) = site.get("/widget/", &[]).await;
    assert_eq!(
        static_body,
        built_page().into_bytes(),
        "no company: the file as built"
    );
    for query in [
        "?company=nobody&lang=en",
        "?company=demo&lang=en&api=https://elsewhere.example",
        "?company=demo&api=http://127.0.0.1:1",
        "?company=%FF",
        "?company=",
        "?company=demo%00",
        &format!("?company=demo&api={}", https_of(&site.server.base)),
    ] {
        let (status, headers, body) = site.get(&format!("/widget/{query}"), &[]).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(body, static_body, "{query}");
        assert_eq!(
            header(&headers, "etag"),
            header(&static_headers, "etag"),
            "{query}"
        );
        assert_eq!(header(&headers, "vary"), Some("accept-encoding"), "{query}");
    }
}

#[tokio::test]
async fn the_etag_follows_the_catalogue() {
    let site = Site::start().await;
    let query = "/widget/?company=demo&lang=en";
    let (_, headers, _) = site.get(query, &[]).await;
    let etag = header(&headers, "etag").expect("etag").to_owned();
    let (status, _, body) = site.get(query, &[("if-none-match", &etag)]).await;
    assert_eq!((status, body.len()), (304, 0), "unchanged: not sent again");

    let (_, mut service) = site
        .server
        .api(Method::GET, &format!("{DEMO}/services/haircut"), None)
        .await;
    service["i18n"]["en"]["name"] = "Haircut, renamed".into();
    let (status, body) = site
        .server
        .api(
            Method::PUT,
            &format!("{DEMO}/services/haircut"),
            Some(&service),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, headers, body) = site.get(query, &[("if-none-match", &etag)]).await;
    assert_eq!(status, 200, "a changed catalogue is sent again");
    assert_ne!(header(&headers, "etag"), Some(etag.as_str()));
    assert!(String::from_utf8(body)
        .expect("UTF-8")
        .contains("Haircut, renamed"));
}

#[tokio::test]
async fn compressed_forms_decode_to_the_page() {
    let site = Site::start().await;
    let query = "/widget/?company=demo&lang=en";
    let (_, identity_headers, identity) = site.get(query, &[]).await;
    for (accept, coding) in [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br")] {
        let (status, headers, body) = site.get(query, &[("accept-encoding", accept)]).await;
        assert_eq!(status, 200);
        assert_eq!(
            header(&headers, "content-encoding"),
            Some(coding),
            "{accept}"
        );
        assert!(body.len() < identity.len(), "{accept}: smaller");
        let mut decoded = Vec::new();
        if coding == "br" {
            brotli::Decompressor::new(&body[..], 4096)
                .read_to_end(&mut decoded)
                .expect("brotli");
        } else {
            flate2::read::GzDecoder::new(&body[..])
                .read_to_end(&mut decoded)
                .expect("gzip");
        }
        assert_eq!(decoded, identity, "{accept}");
        let page = String::from_utf8(decoded).expect("UTF-8 page");
        assert!(
            page.contains(" data-bw-list>"),
            "{accept}: the painted page"
        );
        assert!(
            !painted_names(&page).is_empty(),
            "{accept}: services painted"
        );
        assert!(
            early(&page).as_object().is_some_and(|a| !a.is_empty()),
            "{accept}: answers inlined"
        );
        let etag = header(&headers, "etag").expect("etag");
        assert_eq!(
            Some(etag),
            header(&identity_headers, "etag")
                .map(|e| format!("{}-{coding}\"", e.trim_end_matches('"')))
                .as_deref(),
            "one strong validator per coding"
        );
        let (status, _, _) = site
            .get(
                query,
                &[("accept-encoding", accept), ("if-none-match", etag)],
            )
            .await;
        assert_eq!(status, 304, "{accept}");
    }
}

/// A catalogue too large to render per request (early.rs `MAX_SERVICES`, 200) gets the static page.
#[tokio::test]
async fn a_huge_catalogue_gets_the_static_page() {
    let site = Site::start().await;
    let (_, static_headers, static_body) = site.get("/widget/", &[]).await;
    for i in 0..200 {
        let service = serde_json::json!({
            "id": format!("extra-{i}"), "name": format!("Extra {i}"), "duration": 20,
            "price": 15, "staff": [{"id": "hugo"}], "useCompanyWorkingHours": true
        });
        let (status, body) = site
            .server
            .api(Method::POST, &format!("{DEMO}/services"), Some(&service))
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let listed = site.api("/widget/services?lang=en").await;
    assert!(listed["items"].as_array().expect("items").len() > 200);
    let (status, headers, body) = site.get("/widget/?company=demo&lang=en", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body, static_body, "not rendered");
    assert_eq!(header(&headers, "etag"), header(&static_headers, "etag"));
}

/// The page and the public routes read the catalogue through the process's cache
/// (`catalog::Cache`): a write through the setup API is in both at the very next request, and the
/// page still inlines the routes' very text.
#[tokio::test]
async fn a_catalogue_write_is_seen_at_the_next_request() {
    let site = Site::start().await;
    let query = "?company=demo&lang=en";
    // Each read once, so the cache holds the setup as it was.
    let (_, page) = site.page(query, &[]).await;
    assert_eq!(painted_names(&page)[0], "Haircut &amp; blow-dry");
    assert_ne!(site.api("/widget/company").await["name"], "Salon, renamed");
    let staff = site.api("/widget/staff").await;
    assert!(!staff.to_string().contains("Hugo, renamed"));

    let rename = |path: &'static str, field: &'static [&'static str], name: &'static str| {
        let server = &site.server;
        async move {
            let (status, mut doc) = server.api(Method::GET, path, None).await;
            assert_eq!(status, 200, "{path}: {doc}");
            let mut at = &mut doc;
            for key in field {
                at = &mut at[*key];
            }
            *at = name.into();
            let (status, body) = server.api(Method::PUT, path, Some(&doc)).await;
            assert_eq!(status, 200, "{path}: {body}");
        }
    };
    rename(
        "/api/2.1/scheduling/companies/demo/services/haircut",
        &["i18n", "en", "name"],
        "Haircut, renamed",
    )
    .await;
    rename(DEMO, &["name"], "Salon, renamed").await;
    rename(
        "/api/2.1/scheduling/companies/demo/staff/hugo",
        &["firstName"],
        "Hugo, renamed",
    )
    .await;

    let services = site.api("/widget/services?lang=en").await;
    assert_eq!(services["items"][0]["name"], "Haircut, renamed");
    let company = site.api("/widget/company").await;
    assert_eq!(company["name"], "Salon, renamed");
    let staff = site.api("/widget/staff").await;
    assert!(staff.to_string().contains("Hugo, renamed"), "{staff}");
    let (_, page) = site.page(query, &[]).await;
    assert_eq!(painted_names(&page)[0], "Haircut, renamed");
    // The routes' bytes, as inlined (the page only writes `&`, `<`, `>` as `\u00XX`).
    let inlined = early_text(&page).replace("\\u0026", "&");
    for path in ["/widget/company", "/widget/services?lang=en"] {
        let (status, _, body) = site.get(&format!("{DEMO}{path}"), &[]).await;
        assert_eq!(status, 200, "{path}");
        let text = String::from_utf8(body).expect("UTF-8");
        assert!(
            inlined.contains(&format!("\"{DEMO}{path}\":{text}")),
            "{path}: {text} not in {inlined}"
        );
    }
}

/// A `HEAD` of the page gets a GET's headers (validator, coding, length when it is known) and no
/// body, in every coding, and revalidates the same.
#[tokio::test]
async fn head_gets_the_headers_of_get() {
    let site = Site::start().await;
    let url = format!("{}/widget/?company=demo&lang=en", site.server.base);
    let send = |method: Method, headers: Vec<(&'static str, String)>| {
        let mut request = site.server.client.request(method, &url);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        async move {
            let response = request.send().await.expect("request");
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.bytes().await.expect("body");
            (status, headers, body)
        }
    };
    for accept in [None, Some("br"), Some("gzip")] {
        let asked: Vec<_> = accept
            .map(|a| ("accept-encoding", a.to_owned()))
            .into_iter()
            .collect();
        let (status, get, body) = send(Method::GET, asked.clone()).await;
        assert_eq!(status, 200);
        assert!(!body.is_empty());
        let (status, head, body) = send(Method::HEAD, asked.clone()).await;
        assert_eq!(status, 200, "{accept:?}");
        assert!(body.is_empty(), "{accept:?}: no body");
        for name in [
            "etag",
            "content-encoding",
            "content-type",
            "cache-control",
            "vary",
            "access-control-allow-origin",
        ] {
            assert_eq!(
                header(&head, name),
                header(&get, name),
                "{accept:?}: {name}"
            );
        }
        assert_eq!(
            header(&get, "content-encoding").unwrap_or("identity"),
            accept.unwrap_or("identity")
        );
        // A HEAD may leave out the length, never announce another one.
        let length = header(&head, "content-length");
        assert!(
            length.is_none() || length == header(&get, "content-length"),
            "{accept:?}: {length:?} vs {:?}",
            header(&get, "content-length")
        );
        if accept.is_none() {
            assert_eq!(length, header(&get, "content-length"), "known uncompressed");
        }
        let etag = header(&get, "etag").expect("etag").to_owned();
        let mut revalidate = asked;
        revalidate.push(("if-none-match", etag));
        let (status, _, _) = send(Method::HEAD, revalidate).await;
        assert_eq!(status, 304, "{accept:?}");
    }
}
