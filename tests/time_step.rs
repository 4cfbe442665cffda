//! The date and time step: slots in the visitor's zone (Intl, no server needed), the zone
//! selector, the calendar grid and its keyboard, and the real free slots of the demo server.

#![cfg(target_arch = "wasm32")]

mod support;

use std::collections::BTreeSet;

use booking_model::{BookingTarget, DaySlots};
use booking_widget::components::ZonePicker;
use booking_widget::steps::{slots_by_day, Calendar, Slot, SlotGroups, TimePicker, TimeStep};
use booking_widget::zone::Clock;
use booking_widget::{WidgetConfig, WidgetContext};
use chrono::NaiveDate;
use leptos::prelude::*;
use support::{
    api_url, click, dispatch, find, find_all, focused, mount, press, settle, texts, type_into,
    wait_for,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A widget whose today is 2030-11-20 (Paris), the month before the December 2030 fixtures.
fn context(lang: &str, api: &str) -> WidgetContext {
    live_context(lang, api).with_clock(Clock::fixed(NOVEMBER_20_2030_NOON_UTC))
}

/// 2030-11-20T12:00:00Z in milliseconds.
const NOVEMBER_20_2030_NOON_UTC: f64 = 1_921_406_400_000.0;

/// A widget on the browser's clock, for the real server (whose slots start at its own today).
fn live_context(lang: &str, api: &str) -> WidgetContext {
    WidgetContext::new(
        WidgetConfig::from_query(&format!("company=demo&lang={lang}&api={api}")),
        "demo",
    )
}

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

/// A Paris 09:00 slot (08:00 UTC, a Tuesday in December).
const PARIS_NINE: &str = "2026-12-01T09:00:00+01:00";

fn slots(texts: &[&str]) -> Vec<Slot> {
    texts
        .iter()
        .map(|t| Slot {
            text: (*t).to_owned(),
            instant: booking_widget::zone::slot_instant(t).expect("RFC 3339"),
        })
        .collect()
}

#[wasm_bindgen_test]
async fn the_same_instant_shows_in_each_zone() {
    let zone = RwSignal::new("Europe/Paris".to_owned());
    let root = mount(move || {
        provide_context(context("fr", "http://127.0.0.1:9"));
        view! { <SlotGroups slots=slots(&[PARIS_NINE]) zone on_select=Callback::new(|_| ())/> }
    });
    settle().await;
    assert_eq!(texts(&root, ".bw-slot"), ["09:00"]);
    assert_eq!(texts(&root, ".bw-slots__title"), ["Matin"]);

    zone.set("America/New_York".to_owned());
    settle().await;
    assert_eq!(texts(&root, ".bw-slot"), ["03:00"]);
    assert_eq!(texts(&root, ".bw-slots__title"), ["Matin"]);

    zone.set("Pacific/Auckland".to_owned());
    settle().await;
    assert_eq!(texts(&root, ".bw-slot"), ["21:00"]);
    assert_eq!(
        texts(&root, ".bw-slots__title"),
        ["Soir"],
        "21:00 is evening"
    );
    assert_eq!(
        find(&root, ".bw-slot")
            .get_attribute("data-slot")
            .as_deref(),
        Some(PARIS_NINE),
        "the slot string sent back is the server's, whatever the zone"
    );
}

#[wasm_bindgen_test]
async fn slots_are_grouped_into_morning_afternoon_and_evening() {
    let chosen = RwSignal::new(None::<String>);
    let root = mount(move || {
        provide_context(context("en", "http://127.0.0.1:9"));
        view! {
            <SlotGroups
                slots=slots(&["2026-12-01T18:00:00+01:00", "2026-12-01T09:00:00+01:00", "2026-12-01T13:30:00+01:00"])
                zone="Europe/Paris".to_owned()
                on_select=Callback::new(move |s| chosen.set(Some(s)))/>
        }
    });
    settle().await;
    assert_eq!(
        texts(&root, ".bw-slots__title"),
        ["Morning", "Afternoon", "Evening"]
    );
    assert_eq!(texts(&root, ".bw-slot"), ["9:00 AM", "1:30 PM", "6:00 PM"]);
    find_all(&root, ".bw-slot")[1].click();
    assert_eq!(
        chosen.get_untracked().as_deref(),
        Some("2026-12-01T13:30:00+01:00")
    );
}

#[wasm_bindgen_test]
async fn the_zone_picker_searches_and_switches_zones() {
    let zone = RwSignal::new("Europe/Paris".to_owned());
    let root = mount(move || {
        provide_context(context("en", "http://127.0.0.1:9"));
        view! {
            <ZonePicker zone/>
            <SlotGroups slots=slots(&[PARIS_NINE]) zone on_select=Callback::new(|_| ())/>
        }
    });
    settle().await;
    assert_eq!(texts(&root, ".bw-zone__name"), ["Europe/Paris"]);
    assert_eq!(texts(&root, ".bw-zone__long"), ["Central European Time"]);
    let toggle = find(&root, ".bw-zone__toggle");
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    toggle.click();
    settle().await;
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );

    type_into(&find(&root, "#bw-zone-search"), "new york").await;
    let options = texts(&root, "#bw-zone-select option");
    assert!(
        options.contains(&"America/New York".to_owned()),
        "got {options:?}"
    );
    assert!(
        !options.contains(&"Asia/Tokyo".to_owned()),
        "filtered: {options:?}"
    );

    let select: web_sys::HtmlSelectElement = find(&root, "#bw-zone-select").unchecked_into();
    select.set_value("America/New_York");
    dispatch(&select.clone().unchecked_into(), "change").await;
    assert_eq!(zone.get_untracked(), "America/New_York");
    assert_eq!(texts(&root, ".bw-zone__name"), ["America/New York"]);
    assert_eq!(texts(&root, ".bw-zone__long"), ["Eastern Time"]);
    assert_eq!(texts(&root, ".bw-slot"), ["3:00 AM"]);
}

#[wasm_bindgen_test]
async fn the_zone_is_named_in_the_visitors_language() {
    let zone = RwSignal::new("Europe/Paris".to_owned());
    let root = mount(move || {
        provide_context(context("fr", "http://127.0.0.1:9"));
        view! { <ZonePicker zone/> }
    });
    settle().await;
    let name = texts(&root, ".bw-zone__long").concat();
    assert!(name.contains("Europe centrale"), "got {name:?}");
}

/// Free slots of December 2030 (Paris): the 2nd, 3rd, 5th and 10th.
fn december_2030() -> Vec<DaySlots> {
    serde_json::from_str(
        r#"[
        {"day":"2030-12-02","timeZone":"Europe/Paris","slots":["2030-12-02T09:00:00+01:00","2030-12-02T14:00:00+01:00"]},
        {"day":"2030-12-03","timeZone":"Europe/Paris","slots":["2030-12-03T10:00:00+01:00"]},
        {"day":"2030-12-05","timeZone":"Europe/Paris","slots":["2030-12-05T17:30:00+01:00"]},
        {"day":"2030-12-10","timeZone":"Europe/Paris","slots":[]},
        {"day":"2030-12-11","timeZone":"Europe/Paris","slots":["2030-12-11T11:00:00+01:00"]}
    ]"#,
    )
    .expect("fixture parses")
}

#[wasm_bindgen_test]
async fn days_without_slots_are_disabled_and_the_first_free_day_shows() {
    let month = RwSignal::new(day("2030-12-01"));
    let zone = RwSignal::new("Europe/Paris".to_owned());
    let chosen = RwSignal::new(None::<String>);
    let root = mount(move || {
        provide_context(context("en", "http://127.0.0.1:9"));
        view! {
            <TimePicker days=Signal::derive(|| Some(december_2030())) month zone
                on_select=Callback::new(move |s| chosen.set(Some(s)))/>
        }
    });
    settle().await;
    assert_eq!(texts(&root, ".bw-calendar__title"), ["December 2030"]);
    let disabled = |d: &str| {
        find(&root, &format!("[data-day=\"{d}\"]"))
            .get_attribute("aria-disabled")
            .unwrap_or_default()
    };
    assert_eq!(disabled("2030-12-02"), "false");
    assert_eq!(disabled("2030-12-03"), "false");
    assert_eq!(disabled("2030-12-04"), "true");
    assert_eq!(disabled("2030-12-10"), "true", "a day listed without slots");
    assert_eq!(texts(&root, ".bw-slots__day"), ["Monday, December 2, 2030"]);
    assert_eq!(texts(&root, ".bw-slot"), ["9:00 AM", "2:00 PM"]);

    click(&root, "[data-day=\"2030-12-04\"]").await;
    assert_eq!(
        texts(&root, ".bw-slots__day"),
        ["Monday, December 2, 2030"],
        "disabled day ignored"
    );
    click(&root, "[data-day=\"2030-12-05\"]").await;
    assert_eq!(
        texts(&root, ".bw-slots__day"),
        ["Thursday, December 5, 2030"]
    );
    assert_eq!(
        find(&root, "[data-day=\"2030-12-05\"]")
            .parent_element()
            .and_then(|td| td.get_attribute("aria-selected"))
            .as_deref(),
        Some("true")
    );
    click(&root, ".bw-slot").await;
    assert_eq!(
        chosen.get_untracked().as_deref(),
        Some("2030-12-05T17:30:00+01:00")
    );

    // Seen from Auckland (UTC+13), the 5th's 17:30 is already the 6th.
    zone.set("Pacific/Auckland".to_owned());
    settle().await;
    assert_eq!(disabled("2030-12-05"), "true");
    assert_eq!(disabled("2030-12-06"), "false");
}

/// "Today" is the widget's clock's day in the visitor's zone: 23:30 UTC on 2 December 2030 is
/// still the 2nd in London and already the 3rd in Paris.
#[wasm_bindgen_test]
async fn today_is_the_clocks_day_in_the_visitors_zone() {
    const DECEMBER_2_2330_UTC: f64 = 1_922_484_600_000.0;
    for (zone, today) in [
        ("Europe/London", "2030-12-02"),
        ("Europe/Paris", "2030-12-03"),
    ] {
        let root = mount(move || {
            provide_context(
                context("en", "http://127.0.0.1:9").with_clock(Clock::fixed(DECEMBER_2_2330_UTC)),
            );
            view! {
                <TimePicker days=Signal::derive(|| Some(december_2030())) month=RwSignal::new(day("2030-12-01"))
                    zone=RwSignal::new(zone.to_owned()) on_select=Callback::new(|_| ())/>
            }
        });
        settle().await;
        let marked: Vec<_> = find_all(&root, "[aria-current=date]")
            .iter()
            .filter_map(|d| d.get_attribute("data-day"))
            .collect();
        assert_eq!(marked, [today], "in {zone}");
        root.remove();
    }
}

#[wasm_bindgen_test]
async fn a_skeleton_shows_while_slots_load() {
    let root = mount(move || {
        provide_context(context("en", "http://127.0.0.1:9"));
        view! {
            <TimePicker days=Signal::derive(|| None) month=RwSignal::new(day("2030-12-01"))
                zone=RwSignal::new("Europe/Paris".to_owned()) on_select=Callback::new(|_| ())/>
        }
    });
    settle().await;
    assert!(root
        .query_selector(".bw-skeleton[role=status]")
        .unwrap()
        .is_some());
    assert_eq!(
        find(&root, "[role=grid]")
            .get_attribute("aria-busy")
            .as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
async fn a_month_without_slots_offers_the_next_available_date() {
    let jumped = RwSignal::new(false);
    let root = mount(move || {
        provide_context(context("en", "http://127.0.0.1:9"));
        view! {
            <TimePicker days=Signal::derive(|| Some(Vec::new())) month=RwSignal::new(day("2030-12-01"))
                zone=RwSignal::new("Europe/Paris".to_owned()) on_select=Callback::new(|_| ())
                on_next_available=Callback::new(move |()| jumped.set(true))/>
        }
    });
    settle().await;
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains("No free times this month."));
    click(&root, ".bw-next-available").await;
    assert!(jumped.get_untracked());
}

fn focused_day() -> String {
    focused()
        .and_then(|e| e.get_attribute("data-day"))
        .unwrap_or_else(|| "(no day focused)".to_owned())
}

#[wasm_bindgen_test]
async fn the_calendar_grid_works_with_the_keyboard() {
    let month = RwSignal::new(day("2030-12-01"));
    let picked = RwSignal::new(None::<NaiveDate>);
    let available: BTreeSet<NaiveDate> = ["2030-12-02", "2030-12-03", "2030-12-05", "2030-12-10"]
        .map(day)
        .into();
    let root = mount(move || {
        provide_context(context("en", "http://127.0.0.1:9"));
        view! {
            <Calendar month available=Signal::derive(move || available.clone())
                selected=Signal::derive(move || picked.get())
                today=Signal::derive(|| day("2030-11-20"))
                on_select=Callback::new(move |d| picked.set(Some(d)))/>
        }
    });
    settle().await;
    // Roving tabindex: one day in the tab order, the first free one.
    let stops = find_all(&root, "[role=grid] button[tabindex=\"0\"]");
    assert_eq!(stops.len(), 1);
    assert_eq!(
        stops[0].get_attribute("data-day").as_deref(),
        Some("2030-12-02")
    );
    assert_eq!(
        stops[0].get_attribute("aria-label").as_deref(),
        Some("Monday, December 2, 2030")
    );
    stops[0].focus().expect("focus");

    let steps = [
        ("ArrowRight", "2030-12-03"),
        ("ArrowDown", "2030-12-10"),
        ("ArrowLeft", "2030-12-09"),
        ("ArrowUp", "2030-12-02"),
        // English weeks start on Sunday.
        ("Home", "2030-12-01"),
        ("End", "2030-12-07"),
        ("PageDown", "2031-01-07"),
        ("PageUp", "2030-12-07"),
        ("ArrowLeft", "2030-12-06"),
        ("ArrowLeft", "2030-12-05"),
    ];
    for (key, expected) in steps {
        press(&focused().expect("a focused day"), key).await;
        assert_eq!(focused_day(), expected, "after {key}");
        let stops = find_all(&root, "[role=grid] button[tabindex=\"0\"]");
        assert_eq!(stops.len(), 1, "one tab stop after {key}");
        if key == "PageDown" {
            assert_eq!(texts(&root, ".bw-calendar__title"), ["January 2031"]);
        }
    }
    assert_eq!(texts(&root, ".bw-calendar__title"), ["December 2030"]);
    press(&focused().expect("focused"), "Enter").await;
    assert_eq!(picked.get_untracked(), Some(day("2030-12-05")));

    // Enter on a day without slots does nothing.
    press(&focused().expect("focused"), "ArrowLeft").await;
    press(&focused().expect("focused"), "Enter").await;
    assert_eq!(picked.get_untracked(), Some(day("2030-12-05")));
}

#[wasm_bindgen_test]
async fn days_are_regrouped_in_the_visitor_zone() {
    let by_day = slots_by_day(&december_2030(), "America/New_York");
    let days: Vec<String> = by_day.keys().map(|d| d.to_string()).collect();
    assert_eq!(
        days,
        ["2030-12-02", "2030-12-03", "2030-12-05", "2030-12-11"]
    );
    assert_eq!(by_day[&day("2030-12-02")].len(), 2);
}

#[wasm_bindgen_test]
async fn fetches_free_slots_from_the_server_in_the_visitor_zone() {
    let chosen = RwSignal::new(None::<String>);
    let zone = RwSignal::new("America/New_York".to_owned());
    let root = mount(move || {
        provide_context(live_context("en", api_url()));
        view! {
            <TimeStep target=BookingTarget::Service { id: "haircut".to_owned() } staff_id=None zone notice=None on_back=None
                on_select=Callback::new(move |s| chosen.set(Some(s)))/>
        }
    });
    // The current month may be fully booked or over: move on until a month has slots.
    for _ in 0..3 {
        for _ in 0..100 {
            settle().await;
            if root
                .query_selector(".bw-slot, .bw-next-available")
                .unwrap()
                .is_some()
            {
                break;
            }
            support::sleep(50).await;
        }
        if root.query_selector(".bw-slot").unwrap().is_some() {
            break;
        }
        click(&root, "[aria-label=\"Next month\"]").await;
    }
    let slot = wait_for(&root, ".bw-slot").await;
    let text = slot.text_content().unwrap_or_default();
    assert!(text.ends_with("AM") || text.ends_with("PM"), "got {text:?}");
    let sent = slot.get_attribute("data-slot").unwrap_or_default();
    assert!(
        sent.ends_with("-05:00") || sent.ends_with("-04:00"),
        "slots come in the asked zone: {sent}"
    );
    slot.unchecked_into::<web_sys::HtmlElement>().click();
    settle().await;
    assert_eq!(chosen.get_untracked(), Some(sent));
}

/// Coming back to the times (after "back" or a taken slot) opens the month of the visitor's previous
/// choice, not the current one: here a day some five weeks ahead, always in a later month.
#[wasm_bindgen_test]
async fn the_step_reopens_on_the_month_of_the_previous_choice() {
    let zone = RwSignal::new("Europe/Paris".to_owned());
    // Five weeks after the widget's today (2030-11-20): the 25th of next month.
    let previous = day("2030-12-25");
    let root = mount(move || {
        provide_context(context("en", api_url()));
        view! {
            <TimeStep target=BookingTarget::Service { id: "haircut".to_owned() } staff_id=None zone notice=None on_back=None
                start_day=Some(previous) on_select=Callback::new(|_| {})/>
        }
    });
    settle().await;
    let title = texts(&root, ".bw-calendar__title");
    assert_eq!(title, ["December 2030"]);
    assert!(
        root.query_selector(&format!("[data-day=\"{previous}\"]"))
            .unwrap()
            .is_some(),
        "the grid shows that day"
    );
}
