//! The widget page with its first step inlined (issue #13): for `/widget/?company=X` answered by this
//! server, index.html carries the answers boot.js would fetch first (`company`, `services` in the
//! visitor's language) in `<script type="application/json" id="bw-early">`, and the services list
//! painted in `ServiceList`'s markup, so the first service shows when the HTML arrives, with no API
//! round trip. boot.js stores the inlined answers as prefetched reads, which the app adopts by exact
//! URL (src/api.rs `Prefetched`). Anything else (no or unknown company, a query that does not
//! decode, `api=` naming another server, a template that lacks its slots) gets the static file.
//!
//! Only this small page is rendered per request; its ETag is its body's hash, so a catalogue change
//! or a deploy reaches visitors at once, and it is compressed per response at a fast setting.

use std::fmt::Write as _;
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use booking_model::{PublicCompany, PublicService};
use serde::Deserialize;

use super::encoding::{self, Coding};
use super::files::{etag_hash, REVALIDATE};
use crate::html::escape;
use crate::AppState;

/// index.html's variable parts, in document order, exactly as index.html writes them (a test reads
/// the real file: a slot that went missing fails it, and at run time means the static page).
const SLOTS: [(Slot, &str); 8] = [
    (Slot::HtmlLang, r#"<html lang="en">"#),
    (Slot::Title, "<title>Book an appointment</title>"),
    (Slot::Page, r#"<main class="bw-page" id="bw-boot">"#),
    (
        Slot::Heading,
        r#"<h1 class="bw-visually-hidden">Book an appointment</h1>"#,
    ),
    (
        Slot::RootLang,
        r#"<div class="bw-root" lang="en" data-theme="auto">"#,
    ),
    (
        Slot::StepTitle,
        r#"<h2 id="bw-step-service-title" class="bw-step__title" tabindex="-1">Choose a service</h2>"#,
    ),
    (
        Slot::Skeleton,
        "<div class=\"bw-skeleton\" role=\"status\" aria-live=\"polite\"><span class=\"bw-visually-hidden\">Loading\u{2026}</span><div class=\"bw-skeleton__row\" aria-hidden=\"true\"></div><div class=\"bw-skeleton__row\" aria-hidden=\"true\"></div><div class=\"bw-skeleton__row\" aria-hidden=\"true\"></div></div>",
    ),
    (
        Slot::Early,
        r#"<script type="application/json" id="bw-early"></script>"#,
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    HtmlLang,
    Title,
    Page,
    Heading,
    RootLang,
    StepTitle,
    Skeleton,
    Early,
}

/// index.html cut at its slots: `text[0]`, slot 0, `text[1]`, slot 1, …, `text[8]`.
#[derive(Debug)]
pub struct Template {
    text: Vec<String>,
}

impl Template {
    /// Cuts `html` at every slot, in order; `None` when one is missing.
    pub fn parse(html: &str) -> Option<Template> {
        let mut text = Vec::with_capacity(SLOTS.len() + 1);
        let mut rest = html;
        for (_, needle) in SLOTS {
            let at = rest.find(needle)?;
            text.push(rest[..at].to_owned());
            rest = &rest[at + needle.len()..];
        }
        text.push(rest.to_owned());
        Some(Template { text })
    }

    fn render(&self, page: &Page) -> String {
        let words = page.lang.words();
        let mut out =
            String::with_capacity(self.text.iter().map(String::len).sum::<usize>() + 4096);
        for (i, (slot, needle)) in SLOTS.iter().enumerate() {
            out.push_str(&self.text[i]);
            let code = page.lang.code();
            match slot {
                Slot::HtmlLang => {
                    let _ = write!(out, r#"<html lang="{code}">"#);
                }
                Slot::Title => {
                    let _ = write!(out, "<title>{}</title>", escape(&words.page_title));
                }
                Slot::Page => {
                    // Tells boot.js and the app (lib.rs `start`) a list is painted.
                    let list = if page.list.is_some() {
                        " data-bw-list"
                    } else {
                        ""
                    };
                    let _ = write!(out, r#"<main class="bw-page" id="bw-boot"{list}>"#);
                }
                Slot::Heading => {
                    let _ = write!(
                        out,
                        r#"<h1 class="bw-visually-hidden">{}</h1>"#,
                        escape(&words.page_title)
                    );
                }
                Slot::RootLang => {
                    let _ = write!(
                        out,
                        r#"<div class="bw-root" lang="{code}" data-theme="auto">"#
                    );
                }
                Slot::StepTitle => {
                    let _ = write!(
                        out,
                        r#"<h2 id="bw-step-service-title" class="bw-step__title" tabindex="-1">{}</h2>"#,
                        escape(&words.choose_service)
                    );
                }
                Slot::Skeleton => match &page.list {
                    Some(items) => service_list(&mut out, items, words),
                    None => {
                        out.push_str(&needle.replace("Loading\u{2026}", &escape(&words.loading)));
                    }
                },
                Slot::Early => {
                    out.push_str(r#"<script type="application/json" id="bw-early">"#);
                    out.push_str(&script_safe(&page.answers));
                    out.push_str("</script>");
                }
            }
        }
        out.push_str(&self.text[SLOTS.len()]);
        out
    }
}

/// `ServiceList`'s markup (src/steps/service.rs), as boot.js's `paintList` writes it: prices in the
/// `format::price` fallback form (boot.js rewrites them with `Intl` before the first paint).
fn service_list(out: &mut String, items: &[PublicService], words: &Words) {
    out.push_str(r#"<ul class="bw-choices" role="list">"#);
    for s in items {
        out.push_str(r#"<li class="bw-choice"><button type="button" class="bw-choice__button""#);
        if let Some(id) = &s.id {
            let _ = write!(out, r#" data-id="{}""#, escape(id));
        }
        let name = s.name.as_deref().unwrap_or_default();
        let _ = write!(
            out,
            r#"><span class="bw-choice__name">{}</span>"#,
            escape(name)
        );
        if let Some(d) = s.description.as_deref().filter(|d| !d.is_empty()) {
            let _ = write!(
                out,
                r#"<span class="bw-choice__description">{}</span>"#,
                escape(d)
            );
        }
        out.push_str(r#"<span class="bw-choice__meta">"#);
        if let Some(m) = s.duration {
            let _ = write!(
                out,
                r#"<span class="bw-choice__duration">{}</span>"#,
                escape(&duration(m, &words.minutes))
            );
        }
        let price = match &s.price {
            Some(p) if p.amount > 0.0 => format!("{:.2} {}", p.amount, p.currency.as_str()),
            _ => words.free.clone(),
        };
        let _ = write!(
            out,
            r#"<span class="bw-choice__price">{}</span></span></button></li>"#,
            escape(&price)
        );
    }
    out.push_str("</ul>");
}

/// `format::duration`.
fn duration(minutes: u32, unit: &str) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} {unit}"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} {unit}"),
    }
}

/// JSON text that cannot end its `<script>` element or open a comment in it (`<`, `>`, `&` only
/// ever occur inside JSON strings, where `\uXXXX` means the same), nor trip a JavaScript parser
/// older than ES2019 (U+2028, U+2029).
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// One of the widget's languages (`booking_model::LANGS`, resolved by `lang_from_tag` as the
/// widget's `Lang::from_tag` resolves them): an index into [`CATALOGUES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Lang(usize);

/// The widget's own catalogues, one per language of `booking_model::LANGS` (a test checks each
/// has one), for the words of its first step.
const CATALOGUES: [(&str, &str); 7] = [
    ("en", include_str!("../../../../../i18n/en.json")),
    ("fr", include_str!("../../../../../i18n/fr.json")),
    ("de", include_str!("../../../../../i18n/de.json")),
    ("es", include_str!("../../../../../i18n/es.json")),
    ("pt", include_str!("../../../../../i18n/pt.json")),
    ("nl", include_str!("../../../../../i18n/nl.json")),
    ("it", include_str!("../../../../../i18n/it.json")),
];

#[derive(Debug, Default, Deserialize)]
struct Words {
    page_title: String,
    choose_service: String,
    loading: String,
    free: String,
    minutes: String,
}

impl Lang {
    const ENGLISH: Lang = Lang(0);

    /// The language `tag` names, when it is one of ours.
    fn from_tag(tag: &str) -> Option<Lang> {
        let code = booking_model::lang_from_tag(tag)?;
        CATALOGUES.iter().position(|(c, _)| *c == code).map(Lang)
    }

    fn code(self) -> &'static str {
        CATALOGUES[self.0].0
    }

    fn words(self) -> &'static Words {
        static WORDS: OnceLock<Vec<Words>> = OnceLock::new();
        let all = WORDS.get_or_init(|| {
            CATALOGUES
                .iter()
                // The catalogues are the widget's, checked by its build: never empty in practice.
                .map(|(_, json)| serde_json::from_str(json).unwrap_or_default())
                .collect()
        });
        &all[self.0]
    }
}

/// What the page shows for one request.
struct Page {
    lang: Lang,
    /// `{"<API path>": answer, …}`, the reads boot.js finds inlined.
    answers: String,
    /// The services to paint, when the services step comes first and has some.
    list: Option<Vec<PublicService>>,
}

/// The query as boot.js's `parse` reads it (src/config.rs `parse_query`): last value wins, `+` is a
/// space; `None` when a value is not UTF-8 once decoded (boot.js then starts nothing either).
fn parse_query(query: &str) -> Option<Vec<(String, String)>> {
    let decode = |text: &str| {
        let text = text.replace('+', " ");
        percent_encoding::percent_decode_str(&text)
            .decode_utf8()
            .ok()
            .map(|t| t.into_owned())
    };
    let mut params: Vec<(String, String)> = Vec::new();
    for pair in query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (name, value) = (decode(name)?, decode(value)?);
        params.retain(|(n, _)| *n != name);
        params.push((name, value));
    }
    Some(params)
}

/// JavaScript's `encodeURIComponent`: how boot.js and the app write the company into API paths.
fn encode_uri_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Whether `api` (the `api=` parameter) names the server answering this request as boot.js decides
/// it: the app adopts inlined answers by exact URL, `api` (trailing `/` removed) + path against the
/// page's origin + path, so the strings must be equal, scheme and port included. The request's
/// origin is its URI's scheme (`http` when HTTP/1 names none) and its `Host` (else the URI's
/// authority, as HTTP/2 sends it); the configured origin (`links::origin`: `--public-url`, trusted
/// forwarded headers) counts too, for a server behind a TLS proxy. boot.js checks again against the
/// page's real origin; this only spares the bytes.
fn names_this_server(api: &str, uri: &Uri, headers: &HeaderMap, configured: Option<&str>) -> bool {
    let api = api.trim_end_matches('/');
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| uri.authority().map(|a| a.as_str()));
    let scheme = uri.scheme_str().unwrap_or("http");
    host.is_some_and(|host| api == format!("{scheme}://{host}")) || configured == Some(api)
}

/// Whether a company id can name one: ids are the API's path segments, never control characters
/// (PostgreSQL refuses a NUL in text, which would log a warning per request).
fn plausible_id(id: &str) -> bool {
    !id.chars().any(char::is_control)
}

/// The visitor's language as the widget will resolve it: the URL's `lang`, else the browser's
/// (its first `Accept-Language`, which is `navigator.language`), else English; and whether the
/// browser's was read (the answer then varies with that header).
fn language(lang: Option<&str>, headers: &HeaderMap) -> (Lang, bool) {
    if let Some(lang) = lang.and_then(Lang::from_tag) {
        return (lang, false);
    }
    let browser = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|h| h.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(|tag| tag.split(';').next())
        .and_then(|tag| Lang::from_tag(tag.trim()));
    (browser.unwrap_or(Lang::ENGLISH), true)
}

/// How long the page waits for its database reads before it is served without them: inlining spares
/// the visitor one API round trip, so waiting longer than a few of those costs more than it saves, and
/// a saturated or hung database (the pool waits up to 30 s for a connection) must not hold the page.
const DB_BUDGET: Duration = Duration::from_millis(300);

/// The most services painted and inlined: the page is rendered and compressed per request, so its
/// cost grows with the catalogue; a catalogue larger than this gets the static page (and the app
/// reads the list from the API, as without inlining).
const MAX_SERVICES: usize = 200;

/// `work`'s answer, or `None` (the static page) when it takes longer than `budget`.
async fn within<T>(budget: Duration, work: impl Future<Output = Option<T>>) -> Option<T> {
    match tokio::time::timeout(budget, work).await {
        Ok(answer) => answer,
        Err(_) => {
            tracing::warn!(
                ?budget,
                "widget page: the database is slow, serving it without its first step"
            );
            None
        }
    }
}

/// The rendered page for this request, or `None` for the static one; for a `HEAD` request (`head`),
/// its headers only.
pub async fn render(
    template: &Template,
    state: &AppState,
    query: Option<&str>,
    uri: &Uri,
    headers: &HeaderMap,
    head: bool,
) -> Option<Response> {
    let params = parse_query(query.unwrap_or_default())?;
    let get = |name: &str| {
        params
            .iter()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    };
    let company_id = get("company").or_else(|| get("c"))?;
    if !plausible_id(company_id) {
        return None;
    }
    let configured = crate::links::origin(&state.config, Some(headers));
    if get("api").is_some_and(|api| !names_this_server(api, uri, headers, configured.as_deref())) {
        return None;
    }
    let (lang, varies) = language(get("lang"), headers);
    let page = within(DB_BUDGET, async {
        // The catalogue as the public routes read it (through the process's cache), so the
        // inlined answers are their text.
        let offer = match super::super::public::offer(state, company_id).await {
            Ok(offer) => offer,
            Err(crate::error::Error::NotFound(_)) => return None,
            Err(error) => {
                tracing::warn!(%error, "widget page: serving it without its first step");
                return None;
            }
        };
        let catalog = &offer.catalog;
        let base = format!(
            "/api/2.1/scheduling/companies/{}/widget/",
            encode_uri_component(company_id)
        );
        let mut answers = vec![(
            format!("{base}company"),
            serde_json::to_string(&PublicCompany::from(&catalog.company)).ok()?,
        )];
        let mut list = None;
        // boot.js's plan: an appointment link or a resource widget reads no services first.
        if get("appointment").is_none() && get("resource").is_none() {
            if catalog.services.len() > MAX_SERVICES {
                return None;
            }
            let services = super::super::public::services_of(catalog, Some(lang.code()));
            answers.push((
                format!("{base}services?lang={}", lang.code()),
                serde_json::to_string(&services).ok()?,
            ));
            // With a preselected service the flow starts further on: the skeleton stays.
            if get("service").is_none() && !services.items.is_empty() {
                list = Some(services.items);
            }
        }
        let mut json = String::from("{");
        for (i, (path, answer)) in answers.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push_str(&serde_json::to_string(path).ok()?);
            json.push(':');
            json.push_str(answer);
        }
        json.push('}');
        let page = Page {
            lang,
            answers: json,
            list,
        };
        Some(page)
    })
    .await?;
    Some(respond(
        template.render(&page).into_bytes(),
        headers,
        varies,
        head,
    ))
}

/// The rendered page with the static files' headers (`no-cache`, strong ETag per coding), its
/// ETag the hash of this very body. A `HEAD` (`head`) gets a GET's headers without the cost of
/// compressing a body it is not sent: the coding negotiated, so the same ETag (compression only
/// falls back to identity for a body it cannot shrink, and this page is several KB of HTML and
/// script), and no `Content-Length` when compressed, as its value would need the compression.
fn respond(body: Vec<u8>, request: &HeaderMap, varies_by_language: bool, head: bool) -> Response {
    let text = |name| {
        request
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let hash = etag_hash(&body);
    let coding = encoding::negotiate(text(header::ACCEPT_ENCODING), true, true);
    let mut headers = HeaderMap::new();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    headers.insert(
        header::VARY,
        HeaderValue::from_static(if varies_by_language {
            "accept-encoding, accept-language"
        } else {
            "accept-encoding"
        }),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    // Compressed only once it is known to be sent; identity if that would not be smaller.
    let etag_of = |coding: Coding| format!("\"{hash}{}\"", coding.etag_suffix());
    if text(header::IF_NONE_MATCH).is_some_and(|tags| encoding::none_match(tags, &etag_of(coding)))
    {
        if let Ok(value) = HeaderValue::from_str(&etag_of(coding)) {
            headers.insert(header::ETAG, value);
        }
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let (coding, body) = if head {
        (coding, Sent::Head(body.len()))
    } else {
        let compressed = match coding {
            Coding::Br => encoding::brotli_fast(&body).ok(),
            Coding::Gzip => encoding::gzip_fast(&body).ok(),
            Coding::Identity => None,
        }
        .filter(|c| c.len() < body.len());
        match compressed {
            Some(c) => (coding, Sent::Body(c)),
            None => (Coding::Identity, Sent::Body(body)),
        }
    };
    if let Ok(value) = HeaderValue::from_str(&etag_of(coding)) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Some(name) = coding.header() {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    match body {
        Sent::Body(body) => {
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
            (headers, Bytes::from(body)).into_response()
        }
        Sent::Head(identity_len) => {
            if coding == Coding::Identity {
                headers.insert(header::CONTENT_LENGTH, HeaderValue::from(identity_len));
            }
            // A body of unknown length: axum would otherwise announce an empty one's
            // `Content-Length: 0` before dropping it for the HEAD.
            (headers, Body::from_stream(Nothing)).into_response()
        }
    }
}

/// What a response carries: the body, or for a `HEAD` the length of the uncompressed one.
enum Sent {
    Body(Vec<u8>),
    Head(usize),
}

/// An empty body that does not say so (a stream's length is unknown).
struct Nothing;

impl futures_core::Stream for Nothing {
    type Item = Result<Bytes, std::convert::Infallible>;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real index.html has every slot, in order.
    #[test]
    fn index_html_has_every_slot() {
        let html = include_str!("../../../../../index.html");
        assert!(Template::parse(html).is_some(), "a slot is missing");
    }

    #[test]
    fn script_text_cannot_close_its_element() {
        let json = serde_json::to_string("</script><!-- \u{2028}\u{2029} & >").expect("json");
        let safe = script_safe(&json);
        assert!(!safe.contains('<') && !safe.contains('\u{2028}') && !safe.contains('\u{2029}'));
        assert_eq!(
            serde_json::from_str::<String>(&safe).expect("still JSON"),
            "</script><!-- \u{2028}\u{2029} & >"
        );
    }

    #[test]
    fn queries_read_as_boot_js_reads_them() {
        let params = parse_query("?company=a+b&c=x&company=d%C3%A9mo&lang").expect("decodes");
        assert_eq!(
            params,
            [
                ("c".to_owned(), "x".to_owned()),
                ("company".to_owned(), "démo".to_owned()),
                ("lang".to_owned(), String::new()),
            ]
        );
        assert_eq!(parse_query("?company=%FF"), None, "not UTF-8");
        assert_eq!(
            parse_query("company=100%zz").expect("decodes")[0].1,
            "100%zz",
            "a malformed escape stays as written"
        );
        assert_eq!(
            encode_uri_component("dé mo/x!'()*~"),
            "d%C3%A9%20mo%2Fx!'()*~"
        );
    }

    /// A database that never answers costs the page its budget, not the pool's 30 s wait.
    #[tokio::test]
    async fn a_database_that_does_not_answer_gets_the_static_page() {
        let hung = std::future::pending::<Option<()>>();
        let answer = tokio::time::timeout(
            Duration::from_secs(10),
            within(Duration::from_millis(20), hung),
        )
        .await;
        assert_eq!(answer, Ok(None), "served without its first step, in time");
        assert_eq!(within(DB_BUDGET, async { Some(7) }).await, Some(7));
    }

    /// Every word the page writes is in each of the widget's catalogues (they are compiled in and
    /// read with a default: a renamed key would otherwise paint empty headings).
    #[test]
    fn every_language_has_the_page_words() {
        for code in booking_model::LANGS {
            let lang = Lang::from_tag(code).unwrap_or_else(|| panic!("{code}: no catalogue"));
            assert_eq!(lang.code(), code);
            let w = lang.words();
            for (key, word) in [
                ("page_title", &w.page_title),
                ("choose_service", &w.choose_service),
                ("loading", &w.loading),
                ("free", &w.free),
                ("minutes", &w.minutes),
            ] {
                assert!(!word.trim().is_empty(), "{code}: {key} is empty");
            }
        }
    }

    #[test]
    fn this_server_is_named_as_boot_js_compares_origins() {
        let host = |h: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::HOST, HeaderValue::from_str(h).expect("host"));
            headers
        };
        let path: Uri = "/widget/?company=demo".parse().expect("uri");
        let h1 = host("book.example:8080");
        assert!(names_this_server(
            "http://book.example:8080/",
            &path,
            &h1,
            None
        ));
        assert!(
            !names_this_server("https://book.example:8080", &path, &h1, None),
            "another scheme is another origin"
        );
        assert!(!names_this_server("http://book.example", &path, &h1, None));
        assert!(!names_this_server("book.example:8080", &path, &h1, None));
        // HTTP/2: no Host, the authority in the URI.
        let h2: Uri = "https://book.example/widget/?company=demo"
            .parse()
            .expect("uri");
        assert!(names_this_server(
            "https://book.example",
            &h2,
            &HeaderMap::new(),
            None
        ));
        assert!(!names_this_server(
            "http://book.example",
            &h2,
            &HeaderMap::new(),
            None
        ));
        // Behind a TLS proxy: the configured origin.
        assert!(names_this_server(
            "https://book.example",
            &path,
            &host("book.example"),
            Some("https://book.example")
        ));
    }

    #[test]
    fn ids_with_control_characters_name_no_company() {
        assert!(plausible_id("demo") && plausible_id("dé mo/x"));
        assert!(!plausible_id("de\0mo") && !plausible_id("demo\u{1}") && !plausible_id("a\nb"));
    }
}
