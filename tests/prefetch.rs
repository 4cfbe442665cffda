//! index.html's boot script (`boot.js`) and the app agree, against the real demo server: every read the
//! script starts for a URL is exactly one the app makes, the app adopts it instead of asking again,
//! and a read it cannot adopt (another URL, a prefetch that failed) is simply asked afresh.

mod support;

use std::future::Future;
use std::task::{Context, Poll, Waker};

use booking_widget::i18n::Lang;
use booking_widget::{Api, ApiError, App, WidgetConfig};
use js_sys::{Array, Function, Object, Reflect};
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

use support::{api_url, mount, sleep, texts, wait_for};

wasm_bindgen_test_configure!(run_in_browser);

/// The script index.html inlines.
const BOOT: &str = include_str!("../boot.js");

/// `window.__bookingWidgetBoot`, the script loaded once into the test page.
fn boot() -> JsValue {
    let window = web_sys::window().expect("window");
    let boot = Reflect::get(&window, &"__bookingWidgetBoot".into()).expect("get");
    if !boot.is_undefined() {
        return boot;
    }
    js_sys::eval(BOOT).expect("boot.js runs");
    let performance = window.performance().expect("performance");
    // Every read of this file stays countable.
    Reflect::get(&performance, &"setResourceTimingBufferSize".into())
        .expect("get")
        .unchecked_into::<Function>()
        .call1(&performance, &JsValue::from(5000))
        .expect("buffer size");
    Reflect::get(&window, &"__bookingWidgetBoot".into()).expect("get")
}

fn call(name: &str, args: &[JsValue]) -> JsValue {
    let boot = boot();
    let function: Function = Reflect::get(&boot, &name.into())
        .expect("get")
        .unchecked_into();
    function
        .apply(&boot, &args.iter().collect::<Array>())
        .unwrap_or_else(|e| panic!("boot.{name} threw {e:?}"))
}

/// The URLs boot.js would prefetch for the page query `query`.
fn planned_reads(query: &str) -> Vec<String> {
    let origin = web_sys::window()
        .expect("window")
        .location()
        .origin()
        .expect("origin");
    let language = web_sys::window().expect("window").navigator().language();
    let plan = call(
        "plan",
        &[
            query.into(),
            origin.into(),
            language.map(JsValue::from).unwrap_or_default(),
        ],
    );
    Array::from(&Reflect::get(&plan, &"reads".into()).expect("reads"))
        .iter()
        .filter_map(|url| url.as_string())
        .collect()
}

fn prefetch(urls: &[String]) {
    let list: Array = urls.iter().map(|u| JsValue::from_str(u)).collect();
    call("prefetch", &[list.into()]);
}

fn reads() -> Object {
    Reflect::get(&boot(), &"reads".into())
        .expect("reads")
        .unchecked_into()
}

/// Reads started and not yet adopted.
fn unclaimed() -> Vec<String> {
    Object::keys(&reads())
        .iter()
        .filter_map(|k| k.as_string())
        .collect()
}

/// Every URL the browser fetched (resource timing) since the last `forget_fetches`.
fn fetched() -> Vec<String> {
    let performance = web_sys::window()
        .expect("window")
        .performance()
        .expect("performance");
    performance
        .get_entries_by_type("resource")
        .iter()
        .filter_map(|e| Reflect::get(&e, &"name".into()).ok()?.as_string())
        .collect()
}

/// How many times the browser fetched `url` (gloo adds a `&` to a URL with a query of its own).
fn fetch_count(url: &str) -> usize {
    fetched()
        .iter()
        .filter(|name| name.trim_end_matches('&') == url)
        .count()
}

fn forget_fetches() {
    let performance = web_sys::window()
        .expect("window")
        .performance()
        .expect("performance");
    performance.clear_resource_timings();
    for key in unclaimed() {
        Reflect::delete_property(&reads(), &key.into()).expect("delete");
    }
}

/// Waits (≤ 10 s) until the app has adopted every read and each has finished, then checks nothing
/// was fetched twice.
async fn assert_all_adopted(query: &str, urls: &[String]) {
    for _ in 0..200 {
        if unclaimed().is_empty() {
            break;
        }
        sleep(50).await;
    }
    assert_eq!(
        unclaimed(),
        Vec::<String>::new(),
        "for `{query}` the app never made these reads the script started"
    );
    // A read's timing entry appears when its body is in, which may be after the step shows (the
    // staff step does not wait for the form): wait for each before counting.
    for _ in 0..200 {
        if urls.iter().all(|url| fetch_count(url) > 0) {
            break;
        }
        sleep(50).await;
    }
    for url in urls {
        assert_eq!(
            fetch_count(url),
            1,
            "for `{query}`, {url} was fetched once, by the script: {:?}",
            fetched()
        );
    }
}

#[wasm_bindgen_test]
async fn the_app_adopts_every_read_the_script_starts() {
    let api = api_url();
    let cases = [
        // (query, what the first step shows once its data is in)
        (format!("company=demo&api={api}/&lang=fr"), ".bw-choice__name"),
        (format!("c=demo&api={api}&lang=de-AT&theme=dark"), ".bw-choice__name"),
        (format!("company=demo&api={api}&lang=xx&lang=nl"), ".bw-choice__name"),
        (format!("company=demo&api={api}&lang=zz"), ".bw-choice__name"),
        (format!("company=demo&api={api}&service=hair%63ut&lang=es"), "#bw-step-staff-title"),
        (
            format!("company=demo&api={api}&service=haircut&staff=camille&timeZone=america/new_york&lang=it"),
            ".bw-calendar__grid[aria-busy=false]",
        ),
        (
            format!("company=demo&api={api}&service=haircut&staff=camille&timeZone=Not%2FA+zone&lang=pt"),
            ".bw-calendar__grid[aria-busy=false]",
        ),
        (format!("company=demo&api={api}&resource=room&lang=en"), ".bw-calendar__grid"),
        (format!("company=demo&api={api}&appointment=no%2Fsuch&lang=de"), ".bw-error"),
    ];
    for (query, shown) in cases {
        forget_fetches();
        let urls = planned_reads(&query);
        assert!(urls.len() >= 2, "`{query}` starts reads: {urls:?}");
        prefetch(&urls);
        let config = WidgetConfig::from_query(&query);
        let root = mount(move || view! { <App config/> });
        wait_for(&root, shown).await;
        assert_all_adopted(&query, &urls).await;
        root.remove();
    }
}

#[wasm_bindgen_test]
async fn a_read_for_another_url_is_left_alone_and_asked_afresh() {
    forget_fetches();
    let french = planned_reads(&format!("company=demo&api={}&lang=fr", api_url()));
    prefetch(&french);
    let config = WidgetConfig::from_query(&format!("company=demo&api={}&lang=en", api_url()));
    let root = mount(move || view! { <App config/> });
    wait_for(&root, ".bw-choice__name").await;
    assert!(
        texts(&root, ".bw-choice__name")
            .iter()
            .any(|n| n == "Haircut & blow-dry"),
        "English names shown: {:?}",
        texts(&root, ".bw-choice__name")
    );
    let services_fr = french
        .iter()
        .find(|u| u.contains("services"))
        .expect("services read");
    assert!(
        unclaimed().contains(services_fr),
        "the French read was not taken for an English widget"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn a_prefetch_that_failed_is_asked_again() {
    forget_fetches();
    let urls = planned_reads(&format!("company=demo&api={}&lang=en", api_url()));
    let services = urls
        .iter()
        .find(|u| u.contains("services"))
        .expect("services read");
    // A real failed request (nothing listens on port 1) stored under the exact URL.
    js_sys::eval(&format!(
        "window.__bookingWidgetBoot.reads[{services:?}] = {{ response: fetch('http://127.0.0.1:1/'), controller: new AbortController() }}; \
         window.__bookingWidgetBoot.reads[{services:?}].response.catch(() => {{}});"
    ))
    .expect("store a failing read");
    let config = WidgetConfig::from_query(&format!("company=demo&api={}&lang=en", api_url()));
    let root = mount(move || view! { <App config/> });
    wait_for(&root, ".bw-choice__name").await;
    assert!(unclaimed().is_empty(), "the failed read was taken");
    assert_eq!(
        fetch_count(services),
        1,
        "then fetched afresh: {:?}",
        fetched()
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn an_adopted_read_is_aborted_when_its_owner_is_cleaned_up() {
    forget_fetches();
    let urls = planned_reads(&format!("company=demo&api={}&lang=en", api_url()));
    prefetch(&urls);
    let services = urls
        .iter()
        .find(|u| u.contains("services"))
        .expect("services read");
    let entry = Reflect::get(&reads(), &services.into()).expect("entry");
    let controller: web_sys::AbortController = Reflect::get(&entry, &"controller".into())
        .expect("controller")
        .unchecked_into();
    let owner = Owner::new();
    let api = Api::new(api_url(), "demo");
    let mut read =
        Box::pin(owner.with(|| ScopedFuture::new(async move { api.services("en").await })));
    let mut cx = Context::from_waker(Waker::noop());
    assert!(matches!(read.as_mut().poll(&mut cx), Poll::Pending));
    assert!(!unclaimed().contains(services), "the read was adopted");
    owner.cleanup();
    assert!(
        controller.signal().aborted(),
        "the prefetch itself was aborted"
    );
    assert_eq!(read.await.map(|s| s.len()), Err(ApiError::Aborted));
    forget_fetches();
}

#[wasm_bindgen_test]
fn the_skeleton_speaks_the_apps_language() {
    // The app downloads a language's strings before it mounts; here they come from `i18n/`.
    support::install_catalogues();
    let text = Reflect::get(&boot(), &"text".into()).expect("text");
    for lang in Lang::ALL {
        let t = lang.strings();
        let row = Array::from(&Reflect::get(&text, &lang.code().into()).expect("row"));
        let row: Vec<String> = row.iter().filter_map(|s| s.as_string()).collect();
        assert_eq!(
            row,
            [t.choose_service, t.loading, t.page_title, t.free, t.minutes],
            "boot.js texts for {}",
            lang.code()
        );
    }
}

/// The body of `GET url`, as the server sends it.
async fn text_of(url: &str) -> String {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .expect("request");
    assert!(response.ok(), "{url}: {}", response.status());
    response.text().await.expect("body")
}

#[wasm_bindgen_test]
async fn the_app_adopts_the_answers_the_server_inlined() {
    forget_fetches();
    let api = api_url().trim_end_matches('/');
    let base = "/api/2.1/scheduling/companies/demo/widget/";
    // `#bw-early` as the server writes it for `?company=demo&lang=en` (routes/site/early.rs): the
    // API's own answers, by path.
    let mut inlined = Vec::new();
    for path in ["company", "services?lang=en"] {
        let text = text_of(&format!("{api}{base}{path}")).await;
        inlined.push(format!("{:?}:{text}", format!("{base}{path}")));
    }
    let early = format!("{{{}}}", inlined.join(","));
    web_sys::window()
        .expect("window")
        .performance()
        .expect("performance")
        .clear_resource_timings();
    call("inline", &[api.into(), early.into()]);
    let query = format!("company=demo&api={api}&lang=en");
    let urls = planned_reads(&query);
    let (inlined_urls, others): (Vec<String>, Vec<String>) = urls
        .into_iter()
        .partition(|u| u.ends_with("/company") || u.ends_with("services?lang=en"));
    assert_eq!(inlined_urls.len(), 2, "the script reads both first");
    assert!(
        inlined_urls.iter().all(|u| unclaimed().contains(u)),
        "stored under the URLs it reads: {:?}",
        unclaimed()
    );
    prefetch(&others);
    let config = WidgetConfig::from_query(&query);
    let root = mount(move || view! { <App config/> });
    wait_for(&root, ".bw-choice__name").await;
    assert!(
        texts(&root, ".bw-choice__name")
            .iter()
            .any(|n| n == "Haircut & blow-dry"),
        "the inlined services shown: {:?}",
        texts(&root, ".bw-choice__name")
    );
    assert_eq!(unclaimed(), Vec::<String>::new(), "both adopted");
    for url in &inlined_urls {
        assert_eq!(fetch_count(url), 0, "{url} never fetched: {:?}", fetched());
    }
    root.remove();
}
