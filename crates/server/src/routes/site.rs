//! Non-API files: the built widget under `/widget/`, `embed.js` for customer pages, and (with `--demo`)
//! demo host pages at `/` that embed the widget from the other loopback origin.

mod early;
mod encoding;
mod files;

use std::sync::{Arc, OnceLock};

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use crate::{AppState, Config};
use files::{FileTable, StaticFile};

/// A static text file compiled into the binary; compressed on first use, once per process.
struct Asset {
    path: &'static str,
    cache_control: &'static str,
    body: &'static str,
    file: OnceLock<StaticFile>,
}

impl Asset {
    const fn new(path: &'static str, cache_control: &'static str, body: &'static str) -> Self {
        Asset {
            path,
            cache_control,
            body,
            file: OnceLock::new(),
        }
    }
}

/// embed.js is on every page of a customer's site and names no other file: a minute of staleness
/// saves a round trip per navigation, and a deploy still reaches every page within that minute.
const EMBED_CACHE: &str = "public, max-age=60";

/// Served always: what customer pages load.
static EMBED: [Asset; 2] = [
    Asset::new(
        "/embed.js",
        EMBED_CACHE,
        include_str!("../../assets/embed.js"),
    ),
    Asset::new(
        "/embed.d.ts",
        EMBED_CACHE,
        include_str!("../../assets/embed.d.ts"),
    ),
];

/// Served with `--demo`: a fictional customer website in three variants, and Hugo's own calendar
/// (published ICS, connected by `demo::connect_calendar`).
static DEMO: [Asset; 8] = [
    Asset::new(
        "/demo/mount.html",
        files::REVALIDATE,
        include_str!("../../assets/demo-mount.html"),
    ),
    Asset::new(
        "/",
        files::REVALIDATE,
        include_str!("../../assets/demo.html"),
    ),
    Asset::new(
        "/demo/iframe.html",
        files::REVALIDATE,
        include_str!("../../assets/demo-iframe.html"),
    ),
    Asset::new(
        "/demo/two.html",
        files::REVALIDATE,
        include_str!("../../assets/demo-two.html"),
    ),
    Asset::new(
        "/demo/site.css",
        files::REVALIDATE,
        include_str!("../../assets/demo-site.css"),
    ),
    Asset::new(
        "/demo/load-embed.js",
        files::REVALIDATE,
        include_str!("../../assets/demo-load-embed.js"),
    ),
    Asset::new(
        "/demo/events.js",
        files::REVALIDATE,
        include_str!("../../assets/demo-events.js"),
    ),
    Asset::new(
        crate::demo::CALENDAR_PATH,
        files::REVALIDATE,
        include_str!("../../assets/demo-calendar.ics"),
    ),
];

fn serve(asset: &'static Asset) -> Router<AppState> {
    let handler = move |headers: HeaderMap| async move {
        // Names end in their type's extension except `/`, the demo's home page.
        let name = if asset.path == "/" {
            "index.html"
        } else {
            asset.path
        };
        asset
            .file
            .get_or_init(|| {
                StaticFile::compressed_now(name, asset.body.as_bytes(), asset.cache_control)
            })
            .respond(&headers)
    };
    Router::new().route(asset.path, get(handler))
}

/// The built widget as served: its files, and index.html cut at its slots (`None` when the built
/// page lacks one: it is then served as it is).
struct Widget {
    files: FileTable,
    page: Option<early::Template>,
}

/// What the widget's routes read of a request.
struct Request {
    method: Method,
    query: Option<String>,
    uri: Uri,
    headers: HeaderMap,
}

/// The built widget's file at `path`, or 404; the widget page with its first step inlined when it
/// can be ([`early::render`]).
async fn widget_file(widget: &Widget, state: &AppState, path: &str, request: &Request) -> Response {
    let is_page = matches!(path.trim_start_matches('/'), "" | "index.html");
    if let (true, Some(template)) = (is_page, &widget.page) {
        let head = request.method == Method::HEAD;
        let query = request.query.as_deref();
        let (uri, headers) = (&request.uri, &request.headers);
        if let Some(page) = early::render(template, state, query, uri, headers, head).await {
            return page;
        }
    }
    match widget.files.get(path) {
        Some(file) => file.respond(&request.headers),
        None => (StatusCode::NOT_FOUND, "no such widget file").into_response(),
    }
}

/// Static routes for the given configuration.
pub fn router(config: &Config) -> Router<AppState> {
    let mut router =
        Router::new().route("/widget", get(|| async { Redirect::permanent("/widget/") }));
    if let Some(dir) = &config.widget_dir {
        // Read once, here: restart the server after rebuilding the widget.
        let files = FileTable::load(dir).unwrap_or_else(|e| {
            tracing::warn!(dir = %dir.display(), error = %e, "cannot read the widget's files");
            FileTable::default()
        });
        let page = files
            .get("")
            .and_then(|index| std::str::from_utf8(index.bytes()).ok())
            .and_then(early::Template::parse);
        if page.is_none() && files.get("").is_some() {
            tracing::warn!(
                "the widget's index.html lacks its slots: served without its first step"
            );
        }
        let widget = Arc::new(Widget { files, page });
        let index = widget.clone();
        router = router
            .route(
                "/widget/",
                get(
                    move |State(state): State<AppState>,
                          RawQuery(query): RawQuery,
                          method: Method,
                          uri: Uri,
                          headers: HeaderMap| async move {
                        let request = Request {
                            method,
                            query,
                            uri,
                            headers,
                        };
                        widget_file(&index, &state, "", &request).await
                    },
                ),
            )
            .route(
                "/widget/{*path}",
                get(
                    move |State(state): State<AppState>,
                          Path(path): Path<String>,
                          RawQuery(query): RawQuery,
                          method: Method,
                          uri: Uri,
                          headers: HeaderMap| async move {
                        let request = Request {
                            method,
                            query,
                            uri,
                            headers,
                        };
                        widget_file(&widget, &state, &path, &request).await
                    },
                ),
            );
    }
    for asset in &EMBED {
        router = router.merge(serve(asset));
    }
    if config.demo {
        for asset in &DEMO {
            router = router.merge(serve(asset));
        }
    } else {
        router = router.route("/", get(|| async { Redirect::temporary("/api/health") }));
    }
    router
}
