//! The form step, from the demo company's real form: every item type, prefill from the URL,
//! read-only items, and each validation rule of the server's own validator, inline and announced.

#![cfg(target_arch = "wasm32")]

mod support;

use std::collections::BTreeMap;

use booking_model::Form;
use booking_widget::answers::{Answer, Answers};
use booking_widget::components::{Announcer, LiveRegion};
use booking_widget::steps::FormPages;
use booking_widget::{WidgetConfig, WidgetContext};
use leptos::prelude::*;
use support::{
    click, dispatch, find, find_all, focused, mount, settle, texts, type_into, wait_until,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

fn demo_form() -> Form {
    let demo: serde_json::Value =
        serde_json::from_str(include_str!("../crates/server/assets/demo.json")).expect("demo.json");
    serde_json::from_value(demo["forms"][0].clone()).expect("the demo form parses")
}

struct Mounted {
    root: web_sys::HtmlElement,
    answers: RwSignal<Answers>,
    done: RwSignal<bool>,
}

/// Mounts the form pages with `query` as the page's URL parameters.
fn mount_form(form: Form, query: &str) -> Mounted {
    let answers = RwSignal::new(Answers::new());
    let done = RwSignal::new(false);
    let query = format!("company=demo&lang=en&api=http://127.0.0.1:9&{query}");
    let root = support::mount(move || {
        provide_context(WidgetContext::new(WidgetConfig::from_query(&query), "demo"));
        let announcer = Announcer::provide();
        view! {
            <LiveRegion announcer/>
            <FormPages definition=form answers server_errors=RwSignal::new(BTreeMap::new())
                on_done=Callback::new(move |()| done.set(true))/>
        }
    });
    Mounted {
        root,
        answers,
        done,
    }
}

fn input(root: &web_sys::HtmlElement, selector: &str) -> HtmlInputElement {
    find(root, selector).unchecked_into()
}

async fn fill_contact_page(root: &web_sys::HtmlElement) {
    type_into(&find(root, "#bw-field-firstName"), "Ada").await;
    type_into(&find(root, "#bw-field-lastName"), "Lovelace").await;
    type_into(&find(root, "#bw-field-email"), "ada@example.com").await;
}

async fn next(root: &web_sys::HtmlElement) {
    click(root, "button[type=submit]").await;
    settle().await;
}

fn error_of(root: &web_sys::HtmlElement, id: &str) -> Option<String> {
    root.query_selector(&format!("#bw-field-{id}-error"))
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
}

#[wasm_bindgen_test]
async fn renders_every_item_type_of_the_demo_form_page_by_page() {
    let Mounted { root, done, .. } = mount_form(demo_form(), "");
    settle().await;
    assert_eq!(texts(&root, ".bw-form__page"), ["Page 1 of 3"]);
    assert_eq!(
        texts(&root, ".bw-label"),
        ["First name *", "Last name *", "Email *", "Phone"]
    );
    let email = input(&root, "#bw-field-email");
    assert_eq!(email.type_(), "email");
    assert_eq!(
        email.get_attribute("autocomplete").as_deref(),
        Some("email")
    );
    assert_eq!(email.placeholder(), "you@example.com");
    assert_eq!(
        email.get_attribute("aria-required").as_deref(),
        Some("true")
    );
    assert_eq!(input(&root, "#bw-field-phone").type_(), "tel");
    assert_eq!(
        input(&root, "#bw-field-firstName")
            .get_attribute("autocomplete")
            .as_deref(),
        Some("given-name")
    );

    fill_contact_page(&root).await;
    next(&root).await;
    assert_eq!(texts(&root, ".bw-form__page"), ["Page 2 of 3"]);
    assert_eq!(texts(&root, "legend"), ["Is this your first visit? *"]);
    assert_eq!(texts(&root, ".bw-option label"), ["Yes", "No"]);
    assert_eq!(
        find_all(&root, "input[type=radio][name=bw-field-firstVisit]").len(),
        2
    );
    assert_eq!(
        find_all(&root, "#bw-field-heardFrom optgroup")
            .iter()
            .map(|g| g.get_attribute("label").unwrap_or_default())
            .collect::<Vec<_>>(),
        ["Online", "In person"]
    );
    assert_eq!(
        texts(&root, "#bw-field-heardFrom option"),
        [
            "Choose…",
            "Search engine",
            "Instagram",
            "A friend",
            "Walking by",
            "Other…"
        ]
    );
    let notes = find(&root, "textarea#bw-field-notes");
    assert_eq!(
        notes.get_attribute("aria-describedby").as_deref(),
        Some("bw-field-notes-help")
    );
    assert_eq!(
        texts(&root, "#bw-field-notes-help"),
        ["Allergies, preferences…"]
    );
    assert!(
        root.query_selector("#bw-field-campaign").unwrap().is_none(),
        "hidden items are not shown"
    );

    // "Other…" reveals a free text box.
    let heard: HtmlSelectElement = find(&root, "#bw-field-heardFrom").unchecked_into();
    heard.set_value("\u{1}other");
    dispatch(&heard.clone().unchecked_into(), "change").await;
    assert!(root
        .query_selector("#bw-field-heardFrom-other")
        .unwrap()
        .is_some());

    click(&root, "#bw-field-firstVisit-0").await;
    next(&root).await;
    assert_eq!(texts(&root, ".bw-form__page"), ["Page 3 of 3"]);
    assert_eq!(input(&root, "#bw-field-zip").placeholder(), "75011");
    assert_eq!(
        texts(&root, ".bw-fieldset--scale .bw-option label"),
        ["1", "2", "3", "4", "5"]
    );
    assert_eq!(input(&root, "#bw-field-photo").type_(), "file");
    assert_eq!(input(&root, "#bw-field-consent-0").type_(), "checkbox");
    assert_eq!(texts(&root, "button[type=submit]"), ["Review my booking"]);

    // Back to page 2 keeps the answers.
    click(&root, ".bw-actions .bw-button--secondary").await;
    assert!(input(&root, "#bw-field-firstVisit-0").checked());
    next(&root).await;
    click(&root, "#bw-field-consent-0").await;
    next(&root).await;
    assert!(
        done.get_untracked(),
        "the last valid page finishes the form"
    );
}

#[wasm_bindgen_test]
async fn prefills_items_by_external_id_and_common_names_including_choices() {
    let Mounted { root, answers, .. } = mount_form(
        demo_form(),
        "firstname=Ada&lastname=Lovelace&email=ada%40example.com&phone=%2B33+6+12&first_visit=No\
         &heard_from=instagram&utm_campaign=winter&zip=75011",
    );
    settle().await;
    assert_eq!(input(&root, "#bw-field-firstName").value(), "Ada");
    assert_eq!(input(&root, "#bw-field-lastName").value(), "Lovelace");
    assert_eq!(input(&root, "#bw-field-email").value(), "ada@example.com");
    assert_eq!(input(&root, "#bw-field-phone").value(), "+33 6 12");
    assert!(
        !input(&root, "#bw-field-email").read_only(),
        "editable without `readonly`"
    );

    next(&root).await;
    assert!(
        input(&root, "#bw-field-firstVisit-1").checked(),
        "matched by option name"
    );
    assert!(!input(&root, "#bw-field-firstVisit-0").checked());
    let heard: HtmlSelectElement = find(&root, "#bw-field-heardFrom").unchecked_into();
    assert_eq!(heard.value(), "instagram");
    assert_eq!(
        answers.with_untracked(|a| a.get("campaign").map(|c| c.value.clone())),
        Some("winter".to_owned()),
        "the hidden item holds its value and is sent"
    );
    next(&root).await;
    assert_eq!(input(&root, "#bw-field-zip").value(), "75011");
}

#[wasm_bindgen_test]
async fn checkboxes_and_multiple_selects_prefill_from_comma_lists() {
    let form: Form = serde_json::from_str(
        r#"{"contactFields":[
            {"id":"topics","type":"checkbox","title":"Topics","externalId":"topics","values":[
                {"id":"a","name":"Cut","value":"cut"},{"id":"b","name":"Colour","value":"colour"},
                {"id":"c","name":"Care","value":"care"}]},
            {"id":"days","type":"select","multiple":true,"title":"Days","externalId":"days","values":[
                {"name":"Monday","value":"mon"},{"name":"Tuesday","value":"tue"},{"name":"Friday","value":"fri"}]}
        ]}"#,
    )
    .expect("form");
    let Mounted { root, .. } = mount_form(form, "topics=cut,Care&days=mon,fri");
    settle().await;
    let checked: Vec<bool> = find_all(&root, "input[type=checkbox]")
        .into_iter()
        .map(|i| i.unchecked_into::<HtmlInputElement>().checked())
        .collect();
    assert_eq!(checked, [true, false, true]);
    let selected: Vec<String> = find_all(&root, "#bw-field-days option")
        .into_iter()
        .map(|o| o.unchecked_into::<web_sys::HtmlOptionElement>())
        .filter(|o| o.selected())
        .map(|o| o.value())
        .collect();
    assert_eq!(selected, ["mon", "fri"]);
}

#[wasm_bindgen_test]
async fn readonly_locks_only_the_prefilled_items_it_names() {
    let Mounted { root, .. } = mount_form(
        demo_form(),
        "email=ada%40example.com&firstname=Ada&readonly=email",
    );
    settle().await;
    assert!(input(&root, "#bw-field-email").read_only());
    assert!(texts(&root, "label[for=bw-field-email]")[0].contains("(prefilled)"));
    assert!(!input(&root, "#bw-field-firstName").read_only());
    assert!(
        !input(&root, "#bw-field-lastName").read_only(),
        "not prefilled: never locked"
    );
}

#[wasm_bindgen_test]
async fn required_email_length_and_pattern_rules_show_inline_and_are_announced() {
    let Mounted { root, .. } = mount_form(demo_form(), "");
    settle().await;
    assert!(
        error_of(&root, "firstName").is_none(),
        "no error before trying"
    );
    next(&root).await;
    for id in ["firstName", "lastName", "email"] {
        assert_eq!(
            error_of(&root, id).as_deref(),
            Some("This field is required."),
            "{id}"
        );
        let field = find(&root, &format!("#bw-field-{id}"));
        assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
        assert_eq!(
            field.get_attribute("aria-describedby").as_deref(),
            Some(format!("bw-field-{id}-error").as_str())
        );
    }
    assert!(error_of(&root, "phone").is_none(), "optional");
    wait_until("the live region announces the errors", || {
        texts(&root, ".bw-live") == ["Fields to correct: 3."]
    })
    .await;
    assert_eq!(
        focused().map(|e| e.id()).as_deref(),
        Some("bw-field-firstName"),
        "focus goes to the first invalid field"
    );
    assert_eq!(
        texts(&root, ".bw-form__page"),
        ["Page 1 of 3"],
        "stays on the page"
    );

    // Errors follow the answers as they change.
    type_into(&find(&root, "#bw-field-email"), "ada@").await;
    assert_eq!(
        error_of(&root, "email").as_deref(),
        Some("Enter an email address like name@example.com.")
    );
    type_into(&find(&root, "#bw-field-firstName"), &"A".repeat(128)).await;
    assert_eq!(
        error_of(&root, "firstName").as_deref(),
        Some("Enter at most 127 characters.")
    );
    type_into(&find(&root, "#bw-field-firstName"), "Ada").await;
    type_into(&find(&root, "#bw-field-lastName"), "Lovelace").await;
    type_into(&find(&root, "#bw-field-email"), "ada@example.com").await;
    assert!(error_of(&root, "firstName").is_none() && error_of(&root, "email").is_none());

    next(&root).await;
    next(&root).await;
    assert_eq!(
        error_of(&root, "firstVisit").as_deref(),
        Some("This field is required.")
    );
    click(&root, "#bw-field-firstVisit-1").await;
    next(&root).await;

    // Page 3: the postcode pattern [0-9]{5}, run by the browser's RegExp.
    type_into(&find(&root, "#bw-field-zip"), "7501").await;
    next(&root).await;
    assert_eq!(
        error_of(&root, "zip").as_deref(),
        Some("This doesn't have the expected format.")
    );
    assert_eq!(
        error_of(&root, "consent").as_deref(),
        Some("This field is required.")
    );
    type_into(&find(&root, "#bw-field-zip"), "75011").await;
    assert!(error_of(&root, "zip").is_none());
}

#[wasm_bindgen_test]
async fn min_length_option_membership_and_single_choice_rules() {
    let form: Form = serde_json::from_str(
        r#"{"contactFields":[
            {"id":"code","type":"input","title":"Code","valueFormat":{"minLength":3}},
            {"id":"colour","type":"select","title":"Colour","values":[{"name":"Red","value":"red"},{"name":"Blue","value":"blue"}]},
            {"id":"size","type":"radio","title":"Size","values":[{"name":"S","value":"s"},{"name":"M","value":"m"}]},
            {"id":"site","type":"website","title":"Site"},
            {"id":"age","type":"number","title":"Age"}
        ]}"#,
    )
    .expect("form");
    let Mounted {
        root,
        answers,
        done,
    } = mount_form(form, "");
    settle().await;
    type_into(&find(&root, "#bw-field-code"), "ab").await;
    type_into(&find(&root, "#bw-field-site"), "example.com").await;
    // Answers a visitor cannot produce through the inputs, but a tampered page could.
    answers.update(|a| {
        a.insert(
            "colour".into(),
            Answer {
                chosen: vec!["purple".into()],
                ..Answer::default()
            },
        );
        a.insert(
            "size".into(),
            Answer {
                chosen: vec!["s".into(), "m".into()],
                ..Answer::default()
            },
        );
        a.insert(
            "age".into(),
            Answer {
                value: "forty".into(),
                ..Answer::default()
            },
        );
    });
    next(&root).await;
    assert_eq!(
        error_of(&root, "code").as_deref(),
        Some("Enter at least 3 characters.")
    );
    assert_eq!(
        error_of(&root, "colour").as_deref(),
        Some("Choose one of the options offered.")
    );
    assert_eq!(
        error_of(&root, "size").as_deref(),
        Some("Choose only one option.")
    );
    assert_eq!(
        error_of(&root, "site").as_deref(),
        Some("Enter a web address starting with https://.")
    );
    assert_eq!(
        error_of(&root, "age").as_deref(),
        Some("Enter a number, like 42 or 3.5.")
    );
    assert!(!done.get_untracked());
}

fn file_of(bytes: &[u8], name: &str, kind: &str) -> web_sys::File {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::FilePropertyBag::new();
    options.set_type(kind);
    web_sys::File::new_with_u8_array_sequence_and_options(&parts, name, &options).expect("file")
}

async fn choose_file(input: &HtmlInputElement, file: &web_sys::File) {
    let transfer = web_sys::DataTransfer::new().expect("DataTransfer");
    transfer.items().add_with_file(file).expect("add file");
    input.set_files(transfer.files().as_ref());
    dispatch(&input.clone().unchecked_into(), "change").await;
}

#[wasm_bindgen_test]
async fn files_become_data_uris_and_files_over_5_mib_are_refused() {
    let form: Form = serde_json::from_str(
        r#"{"contactFields":[{"id":"photo","type":"file","title":"Photo","mandatory":true}]}"#,
    )
    .expect("form");
    let Mounted { root, answers, .. } = mount_form(form, "");
    settle().await;
    let picker = input(&root, "#bw-field-photo");

    choose_file(&picker, &file_of(b"hello", "note.txt", "text/plain")).await;
    wait_until("the file is read", || {
        answers.with_untracked(|a| a.get("photo").is_some_and(|p| !p.value.is_empty()))
    })
    .await;
    settle().await;
    let answer = answers
        .with_untracked(|a| a.get("photo").cloned())
        .expect("answered");
    assert_eq!(answer.value, "data:text/plain;base64,aGVsbG8=");
    assert_eq!(answer.file_name.as_deref(), Some("note.txt"));
    assert!(texts(&root, ".bw-field__file")[0].contains("note.txt"));

    let big = vec![0_u8; 5 * 1024 * 1024 + 1];
    choose_file(&picker, &file_of(&big, "huge.jpg", "image/jpeg")).await;
    assert_eq!(
        error_of(&root, "photo").as_deref(),
        Some("This file is too large: the limit is 5 MB.")
    );
    assert_eq!(
        picker.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert!(answers.with_untracked(|a| a.get("photo").is_none_or(|p| p.value.is_empty())));
}

#[wasm_bindgen_test]
async fn compound_name_items_show_their_parts() {
    let form: Form = serde_json::from_str(
        r#"{"contactFields":[{"id":"name","type":"name","title":"Your name","bind":"crm-name","subItem":[
            {"id":"given","type":"input","title":"Given name","mandatory":true,"externalId":"given"},
            {"id":"family","type":"input","title":"Family name"}]}]}"#,
    )
    .expect("form");
    let Mounted { root, .. } = mount_form(form, "given=Grace");
    settle().await;
    assert_eq!(
        texts(&root, ".bw-fieldset--compound > legend"),
        ["Your name"]
    );
    assert_eq!(input(&root, "#bw-field-given").value(), "Grace");
    type_into(&find(&root, "#bw-field-given"), "").await;
    next(&root).await;
    assert_eq!(
        error_of(&root, "given").as_deref(),
        Some("This field is required.")
    );
}

#[wasm_bindgen_test]
async fn labels_and_errors_follow_the_language() {
    let answers = RwSignal::new(Answers::new());
    let root = mount(move || {
        provide_context(WidgetContext::new(
            WidgetConfig::from_query("company=demo&lang=de&api=http://127.0.0.1:9"),
            "demo",
        ));
        view! {
            <FormPages definition=demo_form() answers server_errors=RwSignal::new(BTreeMap::new())
                on_done=Callback::new(|()| ())/>
        }
    });
    settle().await;
    assert_eq!(texts(&root, ".bw-form__page"), ["Seite 1 von 3"]);
    next(&root).await;
    assert_eq!(
        error_of(&root, "email").as_deref(),
        Some("Dieses Feld ist erforderlich.")
    );
}
