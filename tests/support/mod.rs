//! Helpers shared by the browser tests: mounting into a fresh element, waiting for the DOM, the server URL.

#![allow(dead_code)] // each test file uses its own subset

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// Every language's strings, from the catalogues' source files: the app downloads them from
/// `dist/`, which the test runner does not serve (the end-to-end tests load them from there).
pub fn install_catalogues() {
    use booking_widget::i18n::{install, Lang};
    for (lang, json) in [
        (Lang::Fr, include_str!("../../i18n/fr.json")),
        (Lang::De, include_str!("../../i18n/de.json")),
        (Lang::Es, include_str!("../../i18n/es.json")),
        (Lang::Pt, include_str!("../../i18n/pt.json")),
        (Lang::Nl, include_str!("../../i18n/nl.json")),
        (Lang::It, include_str!("../../i18n/it.json")),
    ] {
        if !lang.is_loaded() {
            install(lang, json).expect("catalogue installs");
        }
    }
}

/// A fresh `<div>` appended to the test page's body (with every language's strings loaded).
pub fn container() -> HtmlElement {
    install_catalogues();
    let document = document();
    let div = document.create_element("div").expect("create div");
    document
        .body()
        .expect("body")
        .append_child(&div)
        .expect("append div");
    div.unchecked_into()
}

/// Mounts a view into a fresh container and keeps it mounted for the rest of the test run.
pub fn mount<F, N>(f: F) -> HtmlElement
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), f);
    handle.forget();
    root
}

/// Resolves after `ms` milliseconds (lets fetches and timers progress).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer");
}

/// Waits (up to 10 s) until `done` holds, letting the UI run between checks; panics naming `what`.
pub async fn wait_until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..500 {
        leptos::task::tick().await;
        if done() {
            return;
        }
        sleep(20).await;
    }
    panic!("{what}: not within 10 s");
}

/// Waits (up to 10 s) until `selector` matches inside `root`, then returns the element.
pub async fn wait_for(root: &HtmlElement, selector: &str) -> Element {
    for _ in 0..200 {
        leptos::task::tick().await;
        if let Some(found) = root.query_selector(selector).expect("valid selector") {
            return found;
        }
        sleep(50).await;
    }
    panic!(
        "`{selector}` did not appear within 10 s; page was:\n{}",
        root.inner_html()
    );
}

/// Texts of every element matching `selector` inside `root`.
pub fn texts(root: &HtmlElement, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.text_content().unwrap_or_default().trim().to_owned())
        .collect()
}

/// The booking server the HTTP tests talk to (`cargo xtask test` starts one with demo data and passes
/// its URL at compile time).
pub fn api_url() -> &'static str {
    match option_env!("BOOKING_API_URL") {
        Some(url) => url,
        None => panic!(
            "BOOKING_API_URL is not set: run the browser tests with `cargo xtask test`, or start \
             `booking-server serve --demo` and set BOOKING_API_URL=http://127.0.0.1:8080 (see README)"
        ),
    }
}

/// The first element matching `selector` inside `root`, as an `HtmlElement`.
pub fn find(root: &HtmlElement, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("no `{selector}` in:\n{}", root.inner_html()))
        .unchecked_into()
}

/// Every element matching `selector` inside `root`.
pub fn find_all(root: &HtmlElement, selector: &str) -> Vec<HtmlElement> {
    let list = root.query_selector_all(selector).expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into())
        .collect()
}

/// Clicks the first element matching `selector`, then lets the UI update.
pub async fn click(root: &HtmlElement, selector: &str) {
    find(root, selector).click();
    settle().await;
}

/// Lets effects, timers and re-renders run.
pub async fn settle() {
    leptos::task::tick().await;
    sleep(10).await;
    leptos::task::tick().await;
}

/// Types `text` into an input or textarea (replacing its value), as the `input` event reports it.
pub async fn type_into(element: &HtmlElement, text: &str) {
    if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(text);
    } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(text);
    }
    dispatch(element, "input").await;
}

/// Fires a bubbling event of `kind` (e.g. `change`) on `element`.
pub async fn dispatch(element: &HtmlElement, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(kind, &init).expect("event");
    element.dispatch_event(&event).expect("dispatch");
    settle().await;
}

/// Presses `key` (e.g. `ArrowRight`) on `element`, as a bubbling, cancelable keydown.
pub async fn press(element: &HtmlElement, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("key");
    element.dispatch_event(&event).expect("dispatch");
    settle().await;
}

/// The element that has focus.
pub fn focused() -> Option<HtmlElement> {
    document().active_element().map(|e| e.unchecked_into())
}

/// Waits (up to 10 s) until `root`'s text contains `text`.
pub async fn wait_for_text(root: &HtmlElement, text: &str) {
    for _ in 0..200 {
        leptos::task::tick().await;
        if root.text_content().unwrap_or_default().contains(text) {
            return;
        }
        sleep(50).await;
    }
    panic!(
        "{text:?} did not appear within 10 s; page was:\n{}",
        root.inner_html()
    );
}
