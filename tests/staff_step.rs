//! The staff step: "Any available" first, people with portraits or initials, and the real list
//! from the demo server.

#![cfg(target_arch = "wasm32")]

mod support;

use booking_model::PublicStaff;
use booking_widget::flow::StaffChoice;
use booking_widget::steps::{StaffList, StaffStep};
use booking_widget::{WidgetConfig, WidgetContext};
use leptos::prelude::*;
use support::{api_url, click, find_all, mount, texts, wait_for};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const STAFF_JSON: &str = r##"[
  {"id":"camille","firstName":"Camille","lastName":"Martin","title":"Coiffeuse senior",
   "description":"Coupes et couleurs depuis 12 ans.","color":"#3b5bdb","serviceIds":["haircut","colour"]},
  {"id":"hugo","firstName":"Hugo","lastName":"Bernard","title":"Coiffeur",
   "avatarUrl":"https://example.com/hugo.jpg","serviceIds":["haircut"]}
]"##;

fn context(api: &str) -> WidgetContext {
    WidgetContext::new(
        WidgetConfig::from_query(&format!("company=demo&lang=en&api={api}")),
        "demo",
    )
}

#[wasm_bindgen_test]
async fn lists_any_available_first_then_people_with_initials_or_portrait() {
    let items: Vec<PublicStaff> = serde_json::from_str(STAFF_JSON).expect("fixture parses");
    let chosen = RwSignal::new(None::<StaffChoice>);
    let root = mount(move || {
        provide_context(context("http://127.0.0.1:9"));
        view! { <StaffList items on_select=Callback::new(move |c| chosen.set(Some(c)))/> }
    });
    leptos::task::tick().await;

    assert_eq!(
        texts(&root, ".bw-choice__name"),
        ["Any available", "Camille Martin", "Hugo Bernard"]
    );
    assert_eq!(texts(&root, ".bw-avatar--initials"), ["✱", "CM"]);
    let portraits = find_all(&root, "img.bw-avatar");
    assert_eq!(portraits.len(), 1);
    assert_eq!(
        portraits[0].get_attribute("alt").as_deref(),
        Some(""),
        "decorative: the name is next to it"
    );
    assert!(texts(&root, ".bw-choice__description")
        .contains(&"Coupes et couleurs depuis 12 ans.".to_owned()));

    click(&root, ".bw-choice__button--any").await;
    assert_eq!(chosen.get_untracked(), Some(StaffChoice::Any));
    let buttons = find_all(&root, ".bw-choice__button");
    buttons[2].click();
    leptos::task::tick().await;
    assert!(
        matches!(chosen.get_untracked(), Some(StaffChoice::One(s)) if s.id.as_deref() == Some("hugo"))
    );
}

#[wasm_bindgen_test]
async fn fetches_who_performs_the_service_from_the_server() {
    let root = mount(move || {
        provide_context(context(api_url()));
        view! {
            <StaffStep service_id="haircut".to_owned() preset=None on_back=None
                on_select=Callback::new(|_| ())/>
        }
    });
    wait_for(&root, ".bw-choice__name").await;
    let names = texts(&root, ".bw-choice__name");
    assert_eq!(names[0], "Any available");
    assert!(
        names.contains(&"Camille Martin".to_owned()),
        "got {names:?}"
    );
    assert!(names.contains(&"Hugo Bernard".to_owned()), "got {names:?}");
    assert!(
        !names.contains(&"Léa Dubois".to_owned()),
        "Léa does not cut hair: {names:?}"
    );
    assert_eq!(
        texts(&root, ".bw-step__title"),
        ["Choose who you'd like to see"]
    );
}

#[wasm_bindgen_test]
async fn a_staff_member_named_in_the_url_is_chosen_without_showing_the_list() {
    let chosen = RwSignal::new(None::<(StaffChoice, bool)>);
    let _root = mount(move || {
        provide_context(context(api_url()));
        view! {
            <StaffStep service_id="haircut".to_owned() preset=Some("hugo".to_owned()) on_back=None
                on_select=Callback::new(move |c| chosen.set(Some(c)))/>
        }
    });
    for _ in 0..100 {
        if chosen.get_untracked().is_some() {
            break;
        }
        support::sleep(50).await;
    }
    let (choice, preset) = chosen.get_untracked().expect("chosen from the URL");
    assert!(preset);
    assert!(matches!(choice, StaffChoice::One(s) if s.first_name.as_deref() == Some("Hugo")));
}
