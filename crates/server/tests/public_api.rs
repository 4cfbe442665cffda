//! The widget's public routes over real HTTP against a real SQLite file.

mod support;

use booking_model::{ErrorBody, ListResponse, PublicCompany, PublicService, PublicStaff};
use support::TestServer;

const DEMO: &str = "/api/2.1/scheduling/companies/demo";

#[tokio::test]
async fn services_are_listed_in_order_and_localized() {
    let server = TestServer::with_demo().await;
    let (status, body) = server
        .get_json(&format!("{DEMO}/widget/services?lang=en"))
        .await;
    assert_eq!(status, 200);
    let list: ListResponse<PublicService> =
        serde_json::from_value(body).expect("a list of services");
    let names: Vec<_> = list
        .items
        .iter()
        .filter_map(|s| s.name.as_deref())
        .collect();
    assert_eq!(
        names,
        [
            "Haircut & blow-dry",
            "Colour",
            "Relaxing massage",
            "Video beauty consultation",
            "Group yoga class"
        ]
    );
    let haircut = &list.items[0];
    assert_eq!(haircut.duration, Some(45));
    let price = haircut.price.as_ref().expect("priced");
    assert_eq!(price.amount, 55.0);
    assert_eq!(price.currency.as_str(), "EUR");

    let (_, body) = server
        .get_json(&format!("{DEMO}/widget/services?lang=fr"))
        .await;
    let list: ListResponse<PublicService> =
        serde_json::from_value(body).expect("a list of services");
    assert_eq!(list.items[0].name.as_deref(), Some("Coupe & brushing"));
}

#[tokio::test]
async fn company_profile_is_public_only() {
    let server = TestServer::with_demo().await;
    let (status, body) = server.get_json(&format!("{DEMO}/widget/company")).await;
    assert_eq!(status, 200);
    assert!(
        body.get("extendedProperties").is_none(),
        "no extended properties on a public route"
    );
    let company: PublicCompany = serde_json::from_value(body).expect("a company");
    assert_eq!(company.time_zone.as_deref(), Some("Europe/Paris"));
}

#[tokio::test]
async fn staff_can_be_filtered_by_service() {
    let server = TestServer::with_demo().await;
    let (status, body) = server
        .get_json(&format!("{DEMO}/widget/staff?serviceId=haircut"))
        .await;
    assert_eq!(status, 200);
    let list: ListResponse<PublicStaff> = serde_json::from_value(body).expect("a list of staff");
    let ids: Vec<_> = list.items.iter().filter_map(|s| s.id.as_deref()).collect();
    assert_eq!(ids, ["camille", "hugo"]);
    let (_, body) = server.get_json(&format!("{DEMO}/widget/staff")).await;
    let all: ListResponse<PublicStaff> = serde_json::from_value(body).expect("a list of staff");
    assert_eq!(all.items.len(), 3);
}

#[tokio::test]
async fn unknown_company_is_a_json_404() {
    let server = TestServer::with_demo().await;
    let (status, body) = server
        .get_json("/api/2.1/scheduling/companies/nope/widget/services")
        .await;
    assert_eq!(status, 404);
    let error: ErrorBody = serde_json::from_value(body).expect("the one error shape");
    assert_eq!(error.error.code, 404);
    assert!(
        error.error.message.contains("nope"),
        "{}",
        error.error.message
    );
}

#[tokio::test]
async fn unknown_api_route_is_a_json_404() {
    let server = TestServer::with_demo().await;
    let (status, body) = server.get_json("/api/2.1/nothing/here").await;
    assert_eq!(status, 404);
    let error: ErrorBody = serde_json::from_value(body).expect("the one error shape");
    assert_eq!(error.error.code, 404);
}

/// `GET` a static file → (status, content type, CORS header, body).
async fn fetch_text(server: &TestServer, path: &str) -> (u16, String, Option<String>, String) {
    let response = server
        .client
        .get(format!("{}{path}", server.base))
        .send()
        .await
        .expect("request");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (status, content_type, cors) = (
        response.status().as_u16(),
        header("content-type").unwrap_or_default(),
        header("access-control-allow-origin"),
    );
    (
        status,
        content_type,
        cors,
        response.text().await.expect("text"),
    )
}

#[tokio::test]
async fn demo_pages_embed_the_widget_three_ways() {
    let server = TestServer::with_demo().await;
    let (status, content_type, _, html) = fetch_text(&server, "/").await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/html; charset=utf-8")
    );
    assert!(
        html.contains(r#"data-booking-widget data-company="demo""#),
        "inline embed"
    );
    assert!(html.contains("data-booking-popup"), "popup embed");
    assert!(html.contains("data-booking-button="), "floating button");
    assert!(html.contains("/demo/load-embed.js"));
    let (_, _, _, iframe) = fetch_text(&server, "/demo/iframe.html").await;
    assert!(
        iframe.contains(r#"src="/widget/?company=demo""#),
        "plain iframe page"
    );
    let (status, _, _, _) = fetch_text(&server, "/demo/two.html").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn embed_script_is_served_to_any_origin() {
    let server = TestServer::with_demo().await;
    let (status, content_type, cors, js) = fetch_text(&server, "/embed.js").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/javascript; charset=utf-8");
    assert_eq!(cors.as_deref(), Some("*"));
    assert!(js.contains("window.BookingWidget"));
    let (status, _, _, dts) = fetch_text(&server, "/embed.d.ts").await;
    assert_eq!(status, 200);
    assert!(dts.contains("interface BookingWidgetApi"));
}
