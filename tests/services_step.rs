//! The services step in headless Chromium: rendering from realistic JSON, choosing, and the real HTTP
//! exchange with a demo server.

#![cfg(target_arch = "wasm32")]

mod support;

use booking_model::PublicService;
use booking_widget::steps::ServiceList;
use booking_widget::{App, WidgetConfig, WidgetContext};
use leptos::prelude::*;
use support::{api_url, mount, texts, wait_for};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SERVICES_JSON: &str = r#"[
  {"id":"haircut","name":"Haircut & blow-dry","description":"Wash, tailored cut and blow-dry.",
   "duration":45,"price":{"amount":55.0,"currency":"EUR"},"staffIds":["camille","hugo"]},
  {"id":"colour","name":"Colour","duration":90,"price":{"amount":85.0,"currency":"EUR"}},
  {"id":"consult","name":"Video consultation","duration":30,"price":{"amount":0.0,"currency":"EUR"}}
]"#;

fn context(lang: &str) -> WidgetContext {
    let config = WidgetConfig::from_query(&format!(
        "company=demo&lang={lang}&api={}",
        "http://127.0.0.1:9"
    ));
    WidgetContext::new(config, "demo")
}

#[wasm_bindgen_test]
async fn lists_services_with_duration_and_price_and_reports_the_choice() {
    let items: Vec<PublicService> = serde_json::from_str(SERVICES_JSON).expect("fixture parses");
    let chosen = RwSignal::new(None::<String>);
    let root = mount(move || {
        provide_context(context("en"));
        let on_select = Callback::new(move |s: PublicService| chosen.set(s.id));
        view! { <ServiceList items on_select/> }
    });
    leptos::task::tick().await;

    assert_eq!(
        texts(&root, ".bw-choice__name"),
        ["Haircut & blow-dry", "Colour", "Video consultation"]
    );
    assert_eq!(
        texts(&root, ".bw-choice__duration"),
        ["45 min", "1 h 30 min", "30 min"]
    );
    assert_eq!(
        texts(&root, ".bw-choice__price"),
        ["€55.00", "€85.00", "Free"]
    );
    assert_eq!(
        texts(&root, ".bw-choice__description"),
        ["Wash, tailored cut and blow-dry."]
    );

    let second: web_sys::HtmlElement = root
        .query_selector_all(".bw-choice__button")
        .expect("selector")
        .item(1)
        .expect("second service")
        .unchecked_into();
    second.click();
    leptos::task::tick().await;
    assert_eq!(chosen.get_untracked().as_deref(), Some("colour"));
}

#[wasm_bindgen_test]
async fn prices_and_durations_follow_the_language() {
    let items: Vec<PublicService> = serde_json::from_str(SERVICES_JSON).expect("fixture parses");
    let root = mount(move || {
        provide_context(context("fr"));
        view! { <ServiceList items on_select=Callback::new(|_| ())/> }
    });
    leptos::task::tick().await;
    let prices = texts(&root, ".bw-choice__price");
    // Intl puts the euro sign after the amount in French, with a (narrow) no-break space.
    assert_eq!(prices[0].replace(['\u{a0}', '\u{202f}'], " "), "55,00 €");
    assert_eq!(prices[2], "Gratuit");
}

#[wasm_bindgen_test]
async fn fetches_the_demo_services_from_the_server() {
    let config = WidgetConfig::from_query(&format!("company=demo&lang=en&api={}", api_url()));
    let root = mount(move || view! { <App config/> });
    wait_for(&root, ".bw-choice__name").await;
    let names = texts(&root, ".bw-choice__name");
    assert!(
        names.contains(&"Haircut & blow-dry".to_owned()),
        "got {names:?}"
    );
    assert!(
        names.contains(&"Group yoga class".to_owned()),
        "got {names:?}"
    );
    assert_eq!(
        texts(&root, ".bw-step__title"),
        ["Choose a service"],
        "the step heading is shown"
    );
}

#[wasm_bindgen_test]
async fn unknown_company_shows_a_friendly_error_with_retry() {
    let config = WidgetConfig::from_query(&format!("company=nope&lang=en&api={}", api_url()));
    let root = mount(move || view! { <App config/> });
    let alert = wait_for(&root, ".bw-error[role=alert]").await;
    let text = alert.text_content().unwrap_or_default();
    assert!(
        text.contains("This booking page could not be found."),
        "got {text:?}"
    );
    assert!(
        root.query_selector(".bw-error button")
            .expect("selector")
            .is_some(),
        "a retry button"
    );
}

#[wasm_bindgen_test]
async fn missing_company_is_explained_not_blank() {
    let root = mount(|| view! { <App config=WidgetConfig::from_query("lang=en")/> });
    leptos::task::tick().await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("the company is missing"), "got {text:?}");
}
