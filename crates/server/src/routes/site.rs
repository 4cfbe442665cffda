//! Non-API files: the built widget under `/widget/`, `embed.js` for customer pages, and (with `--demo`)
//! demo host pages at `/` that embed the widget from the other loopback origin.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::{AppState, Config};

/// A static text file compiled into the binary.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static str,
}

/// Served always: what customer pages load.
const EMBED: [Asset; 2] = [
    Asset {
        path: "/embed.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/embed.js"),
    },
    Asset {
        path: "/embed.d.ts",
        content_type: "text/plain; charset=utf-8",
        body: include_str!("../../assets/embed.d.ts"),
    },
];

/// Served with `--demo`: a fictional customer website in three variants.
const DEMO: [Asset; 7] = [
    Asset {
        path: "/demo/mount.html",
        content_type: "text/html; charset=utf-8",
        body: include_str!("../../assets/demo-mount.html"),
    },
    Asset {
        path: "/",
        content_type: "text/html; charset=utf-8",
        body: include_str!("../../assets/demo.html"),
    },
    Asset {
        path: "/demo/iframe.html",
        content_type: "text/html; charset=utf-8",
        body: include_str!("../../assets/demo-iframe.html"),
    },
    Asset {
        path: "/demo/two.html",
        content_type: "text/html; charset=utf-8",
        body: include_str!("../../assets/demo-two.html"),
    },
    Asset {
        path: "/demo/site.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../../assets/demo-site.css"),
    },
    Asset {
        path: "/demo/load-embed.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/demo-load-embed.js"),
    },
    Asset {
        path: "/demo/events.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/demo-events.js"),
    },
];

fn serve(asset: &'static Asset) -> Router<AppState> {
    let handler = move || async move {
        let headers = [
            (header::CONTENT_TYPE, asset.content_type),
            // Customer pages on any origin load embed.js; it is public by design.
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ];
        (headers, asset.body).into_response()
    };
    Router::new().route(asset.path, get(handler))
}

/// Static routes for the given configuration.
pub fn router(config: &Config) -> Router<AppState> {
    let mut router =
        Router::new().route("/widget", get(|| async { Redirect::permanent("/widget/") }));
    if let Some(dir) = &config.widget_dir {
        // trunk names assets by content hash; only index.html must never be cached stale.
        let widget = ServeDir::new(dir);
        router = router.nest_service(
            "/widget/",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("no-cache"),
                ))
                // Direct mount: a customer page imports the widget's module and wasm cross-origin.
                .layer(SetResponseHeaderLayer::overriding(
                    header::ACCESS_CONTROL_ALLOW_ORIGIN,
                    HeaderValue::from_static("*"),
                ))
                .service(widget),
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
