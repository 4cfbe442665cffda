//! Review, submit and confirmation; the whole flow against the demo server, the "slot just
//! taken" path (409), the server's field errors (400), a network failure and its retry, the
//! reschedule / cancel mode, the crash panel, and the events posted to the host page.

#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::Rc;

use booking_model::{BookingTarget, PublicAppointment, PublicBookingRequest, PublicCompany};
use booking_widget::answers::{errors_by_item, fill, Answer, Answers};
use booking_widget::api::SlotQuery;
use booking_widget::components::{Announcer, LiveRegion};
use booking_widget::host::{Host, HostEvent};
use booking_widget::steps::{ConfirmationStep, FormPages};
use booking_widget::{Api, App, WidgetConfig, WidgetContext};
use chrono::{Days, NaiveDate};
use leptos::prelude::*;
use support::{
    api_url, click, find, find_all, focused, mount, press, settle, texts, wait_for, wait_for_text,
    wait_until,
};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const APPOINTMENT_JSON: &str = r#"{
  "id":"a1","reference":"LUM-7Q2K","encryptedId":"enc123",
  "start":{"dateTime":"2030-12-02T09:00:00","timeZone":"Europe/Paris"},
  "end":{"dateTime":"2030-12-02T09:45:00","timeZone":"Europe/Paris"},
  "service":{"id":"haircut","name":"Haircut & blow-dry"},
  "staff":{"id":"hugo","firstName":"Hugo","lastName":"Bernard"},
  "location":"companyAddress","price":{"amount":55,"currency":"EUR"},"status":"accepted",
  "extendedProperties":{"campaign":"winter"}
}"#;

fn demo_company() -> PublicCompany {
    let demo: serde_json::Value =
        serde_json::from_str(include_str!("../crates/server/assets/demo.json")).expect("demo.json");
    let company: booking_model::Company =
        serde_json::from_value(demo["company"].clone()).expect("company");
    PublicCompany::from(&company)
}

fn context(query: &str) -> WidgetContext {
    WidgetContext::new(WidgetConfig::from_query(query), "demo")
}

#[wasm_bindgen_test]
async fn the_confirmation_shows_times_in_both_zones_place_price_properties_and_links() {
    let appointment: PublicAppointment = serde_json::from_str(APPOINTMENT_JSON).expect("fixture");
    let root = mount(move || {
        provide_context(context("company=demo&lang=en&api=https://book.example"));
        view! {
            <ConfirmationStep appointment company=Signal::derive(|| Some(demo_company()))
                zone="America/New_York".to_owned()/>
        }
    });
    settle().await;
    assert_eq!(texts(&root, ".bw-step__title"), ["You're booked!"]);
    assert_eq!(texts(&root, ".bw-summary__reference"), ["LUM-7Q2K"]);
    let when = texts(&root, ".bw-summary__when")[0].clone();
    assert!(
        when.contains("December 2, 2030") && when.contains("3:00"),
        "visitor time: {when}"
    );
    let there = texts(&root, ".bw-summary__company-time")[0].clone();
    assert!(
        there.contains("9:00") && there.contains("(Europe/Paris)"),
        "company time: {there}"
    );
    assert_eq!(
        texts(&root, ".bw-summary__place"),
        ["Atelier Lumière, 12 rue des Lilas, 75011 Paris"]
    );
    assert!(root.text_content().unwrap_or_default().contains("€55.00"));
    assert_eq!(texts(&root, ".bw-summary__property dt"), ["campaign"]);
    assert_eq!(texts(&root, ".bw-summary__property dd"), ["winter"]);

    let links: Vec<String> = find_all(&root, ".bw-links a")
        .iter()
        .map(|a| a.get_attribute("href").unwrap_or_default())
        .collect();
    assert_eq!(
        links[0],
        "https://book.example/api/2.1/scheduling/companies/demo/widget/appointments/enc123/calendar.ics?lang=en"
    );
    assert!(links[1].starts_with("https://calendar.google.com/calendar/render?action=TEMPLATE"));
    assert!(
        links[1].contains("&dates=20301202T080000Z/20301202T084500Z"),
        "{}",
        links[1]
    );
    assert!(
        links[2].contains("appointment=enc123&action=reschedule"),
        "{}",
        links[2]
    );
    assert!(
        links[3].contains("appointment=enc123&action=cancel"),
        "{}",
        links[3]
    );
}

#[wasm_bindgen_test]
async fn a_video_appointment_links_to_its_call_and_a_pending_one_says_so() {
    let mut appointment: PublicAppointment =
        serde_json::from_str(APPOINTMENT_JSON).expect("fixture");
    appointment.location = Some(booking_model::Location::Videoconference);
    appointment.online_meeting = Some(booking_model::OnlineMeeting {
        provider: None,
        video_link: Some("https://meet.example/abc".into()),
    });
    appointment.status = Some(booking_model::AppointmentStatus::Pending);
    let root = mount(move || {
        provide_context(context("company=demo&lang=fr&api=https://book.example"));
        view! { <ConfirmationStep appointment company=Signal::derive(|| None) zone="Europe/Paris".to_owned()/> }
    });
    settle().await;
    assert_eq!(texts(&root, ".bw-step__title"), ["Demande envoyée"]);
    let call = find(&root, ".bw-summary__place a");
    assert_eq!(
        call.get_attribute("href").as_deref(),
        Some("https://meet.example/abc")
    );
    assert_eq!(
        call.text_content().as_deref(),
        Some("Rejoindre la visioconférence")
    );
}

// ---- Against the demo server -------------------------------------------------------------

fn demo_api() -> Api {
    Api::new(api_url(), "demo")
}

/// The first free haircut slot with `staff`, at least `days_ahead` days from today (changes are
/// refused within 24 hours of the start), as the server writes it.
async fn first_free_slot(api: &Api, staff: &str, days_ahead: u64) -> String {
    // Today as the server sees it: it offers slots from its own (the system's) clock.
    let today = booking_widget::zone::ZoneClock::new("Europe/Paris")
        .and_then(|c| c.today(booking_widget::zone::Clock::system()))
        .expect("today");
    let query = SlotQuery {
        target: BookingTarget::Service {
            id: "haircut".into(),
        },
        staff_id: Some(staff.into()),
        start_date: today.checked_add_days(Days::new(days_ahead)).expect("date"),
        end_date: today
            .checked_add_days(Days::new(days_ahead + 40))
            .expect("date"),
        time_zone: "Europe/Paris".into(),
    };
    let days = api.free_slots(&query).await.expect("free slots").items;
    days.into_iter()
        .flat_map(|d| d.slots)
        .next()
        .expect("a free slot in the next 40 days")
}

/// Books `slot` through the API, as another visitor would.
async fn book_directly(api: &Api, slot: &str, staff: &str) -> PublicAppointment {
    let request = booking_request(api, slot, staff, "grace@example.com").await;
    api.book(&request).await.expect("booked through the API")
}

/// A complete haircut booking request for `slot` with `staff`, from `email`.
async fn booking_request(api: &Api, slot: &str, staff: &str, email: &str) -> PublicBookingRequest {
    let definition = api.form("haircut", "en").await.expect("form");
    let mut answers = Answers::new();
    for (id, value) in [
        ("firstName", "Grace"),
        ("lastName", "Hopper"),
        ("email", email),
    ] {
        answers.insert(
            id.into(),
            Answer {
                value: value.into(),
                ..Answer::default()
            },
        );
    }
    for (id, option) in [("firstVisit", "no"), ("consent", "agree")] {
        answers.insert(
            id.into(),
            Answer {
                chosen: vec![option.into()],
                ..Answer::default()
            },
        );
    }
    PublicBookingRequest {
        service_id: Some("haircut".into()),
        staff_id: Some(staff.into()),
        start: slot.into(),
        time_zone: Some("Europe/Paris".into()),
        form: fill(&definition, &answers),
        ..PublicBookingRequest::default()
    }
}

/// Records what the widget posts to `window` (the test page is its own parent).
fn record_messages() -> Rc<RefCell<Vec<serde_json::Value>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let listener =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if let Some(text) = js_sys::JSON::stringify(&event.data())
                .ok()
                .and_then(|s| s.as_string())
            {
                if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
                    sink.borrow_mut().push(value);
                }
            }
        });
    web_sys::window()
        .expect("window")
        .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref())
        .expect("listen");
    listener.forget();
    seen
}

fn origin() -> String {
    web_sys::window()
        .expect("window")
        .location()
        .origin()
        .expect("origin")
}

/// Goes from the time step to the confirmation, keyboard and buttons only.
async fn choose_slot_fill_and_book(root: &web_sys::HtmlElement, slot: Option<&str>) {
    let first = wait_for(root, ".bw-slot").await;
    let slot_button: web_sys::HtmlElement = match slot {
        Some(s) => {
            wait_for(root, &format!(".bw-slot[data-slot=\"{s}\"]")).await;
            find(root, &format!(".bw-slot[data-slot=\"{s}\"]"))
        }
        None => first.unchecked_into(),
    };
    slot_button.click();
    wait_for(root, "#bw-step-form-title").await;
    wait_for(root, "#bw-field-firstName").await;
    click(root, "button[type=submit]").await; // page 1, prefilled
    click(root, "button[type=submit]").await; // page 2, prefilled
    click(root, "#bw-field-consent-0").await;
    click(root, "button[type=submit]").await; // page 3
    wait_for(root, "#bw-step-review-title").await;
}

#[wasm_bindgen_test]
async fn books_end_to_end_with_prefill_properties_and_host_events() {
    let seen = record_messages();
    let query = format!(
        "company=demo&lang=en&api={}&service=haircut&timeZone=Europe/Paris&ep.campaign=winter\
         &firstname=Ada&lastname=Lovelace&email=ada%40example.com&first_visit=yes&zip=75011\
         &parentOrigin={}",
        api_url(),
        origin()
    );
    let root = mount(move || view! { <App config=WidgetConfig::from_query(&query)/> });

    // The service came from the URL: straight to the staff step, "any available" first.
    wait_for(&root, ".bw-choice__button--any").await;
    assert_eq!(
        texts(&root, ".bw-step__title"),
        ["Choose who you'd like to see"]
    );
    assert!(
        root.query_selector(".bw-back").unwrap().is_none(),
        "the skipped step is not offered"
    );
    click(&root, ".bw-choice__button--any").await;

    wait_for(&root, "#bw-step-time-title").await;
    settle().await;
    assert_eq!(
        focused().map(|e| e.id()).as_deref(),
        Some("bw-step-time-title"),
        "focus on the new step"
    );
    // Choose a day with the keyboard: Enter on the grid's tab stop.
    wait_for(&root, ".bw-slot").await;
    let stop = find(&root, "[role=grid] button[tabindex=\"0\"]");
    stop.focus().expect("focus");
    press(&stop, "Enter").await;
    choose_slot_fill_and_book(&root, None).await;

    let summary = root.text_content().unwrap_or_default();
    assert!(
        summary.contains("Haircut & blow-dry") && summary.contains("Any available"),
        "{summary}"
    );
    assert!(
        summary.contains("Ada") && summary.contains("ada@example.com"),
        "{summary}"
    );
    click(&root, ".bw-submit").await;
    wait_for_text(&root, "You're booked!").await;
    assert_eq!(
        texts(&root, ".bw-summary__property dd"),
        ["winter"],
        "public extendedProperties come back"
    );
    assert!(!texts(&root, ".bw-summary__reference")[0].is_empty());
    assert!(find(&root, ".bw-link--cancel")
        .get_attribute("href")
        .unwrap_or_default()
        .contains("action=cancel"));

    wait_until("the host hears bookingSucceeded", || {
        seen.borrow()
            .iter()
            .any(|m| m["type"] == "bookingSucceeded")
    })
    .await;
    let kinds: Vec<String> = seen
        .borrow()
        .iter()
        .filter(|m| m["source"] == "booking-widget" && m["version"] == 1)
        .map(|m| m["type"].as_str().unwrap_or_default().to_owned())
        .collect();
    for kind in [
        "ready",
        "serviceSelected",
        "slotSelected",
        "bookingSucceeded",
        "resize",
    ] {
        assert!(kinds.contains(&kind.to_owned()), "{kind} in {kinds:?}");
    }
    let booked = seen
        .borrow()
        .iter()
        .find(|m| m["type"] == "bookingSucceeded")
        .cloned()
        .expect("bookingSucceeded");
    assert_eq!(
        booked["payload"]["extendedProperties"]["campaign"],
        "winter"
    );
    assert!(booked["payload"]["encryptedId"].is_string());
}

#[wasm_bindgen_test]
async fn a_slot_taken_meanwhile_sends_the_visitor_back_to_the_time_step_with_the_message() {
    let api = demo_api();
    let query = format!(
        "company=demo&lang=en&api={}&service=haircut&staff=camille&timeZone=Europe/Paris\
         &firstname=Ada&lastname=Lovelace&email=ada%40example.com&first_visit=yes",
        api_url()
    );
    let root = mount(move || view! { <App config=WidgetConfig::from_query(&query)/> });
    wait_for(&root, "#bw-step-time-title").await;
    let slot = first_free_slot(&api, "camille", 0).await;
    // Show the month of that slot, then let someone else take it.
    let month: NaiveDate = slot[..10].parse().expect("date");
    for _ in 0..3 {
        if root
            .query_selector(&format!("[data-day=\"{month}\"]"))
            .unwrap()
            .is_some()
        {
            break;
        }
        click(&root, "[aria-label=\"Next month\"]").await;
    }
    wait_for(&root, ".bw-slot").await;
    click(&root, &format!("[data-day=\"{month}\"]")).await;
    wait_for(&root, &format!(".bw-slot[data-slot=\"{slot}\"]")).await;
    book_directly(&api, &slot, "camille").await;

    choose_slot_fill_and_book(&root, Some(&slot)).await;
    click(&root, ".bw-submit").await;
    wait_for(&root, ".bw-notice[role=alert]").await;
    assert_eq!(texts(&root, ".bw-step__title"), ["Choose a date and time"]);
    let notice = texts(&root, ".bw-notice")[0].clone();
    assert!(
        notice.starts_with("Sorry, that time was just taken."),
        "{notice}"
    );
    // Slots were fetched again: the taken one is gone.
    click(&root, &format!("[data-day=\"{month}\"]")).await;
    wait_for(&root, ".bw-calendar__grid[aria-busy=false]").await;
    wait_for(&root, ".bw-slot").await;
    assert!(
        root.query_selector(&format!(".bw-slot[data-slot=\"{slot}\"]"))
            .unwrap()
            .is_none(),
        "the taken slot is no longer offered"
    );
    // Answers survived the detour: picking another time goes straight to the review.
    wait_for(&root, ".bw-slot").await;
    click(&root, ".bw-slot").await;
    wait_for(&root, "#bw-step-review-title").await;
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains("ada@example.com"));
}

#[wasm_bindgen_test]
async fn a_cancel_link_cancels_and_tells_the_host() {
    let api = demo_api();
    let slot = first_free_slot(&api, "hugo", 3).await;
    let booked = book_directly(&api, &slot, "hugo").await;
    let id = booked.encrypted_id.clone().expect("encrypted id");
    let seen = record_messages();
    let query = format!(
        "company=demo&lang=en&api={}&appointment={id}&action=cancel&parentOrigin={}",
        api_url(),
        origin()
    );
    let root = mount(move || view! { <App config=WidgetConfig::from_query(&query)/> });
    wait_for_text(&root, "Cancel this appointment?").await;
    assert!(root.text_content().unwrap_or_default().contains("Haircut"));
    click(&root, ".bw-submit").await;
    wait_for_text(&root, "Your appointment has been cancelled").await;
    assert_eq!(texts(&root, ".bw-summary__status"), ["Cancelled"]);
    wait_until("the host hears of the cancellation", || {
        seen.borrow().iter().any(|m| m["type"] == "cancelled")
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_reschedule_link_reuses_the_time_step() {
    let api = demo_api();
    let slot = first_free_slot(&api, "hugo", 3).await;
    let booked = book_directly(&api, &slot, "hugo").await;
    let id = booked.encrypted_id.clone().expect("encrypted id");
    let query = format!(
        "company=demo&lang=en&api={}&appointment={id}&action=reschedule&timeZone=Europe/Paris",
        api_url()
    );
    let root = mount(move || view! { <App config=WidgetConfig::from_query(&query)/> });
    wait_for_text(&root, "Choose a new date and time").await;
    let other = wait_for(&root, &format!(".bw-slot:not([data-slot=\"{slot}\"])")).await;
    let new_start = other.get_attribute("data-slot").expect("slot");
    other.unchecked_into::<web_sys::HtmlElement>().click();
    wait_for_text(&root, "Move your appointment to this time?").await;
    click(&root, ".bw-submit").await;
    wait_for_text(&root, "Your appointment has been moved").await;
    let moved = api.appointment(&id).await.expect("still there");
    let expected_local = &new_start[..19];
    assert_eq!(moved.start.expect("start").date_time, expected_local);
}

#[wasm_bindgen_test]
async fn unknown_appointment_links_explain_themselves() {
    let query = format!(
        "company=demo&lang=en&api={}&appointment=nope&action=cancel",
        api_url()
    );
    let root = mount(move || view! { <App config=WidgetConfig::from_query(&query)/> });
    wait_for_text(&root, "This appointment could not be found.").await;
}

#[wasm_bindgen_test]
async fn host_messages_have_the_documented_shape_and_need_an_origin() {
    assert!(
        !Host::new(None).is_active(),
        "not in an iframe and no parentOrigin: nothing posted"
    );
    let seen = record_messages();
    let appointment: PublicAppointment = serde_json::from_str(APPOINTMENT_JSON).expect("fixture");
    Host::new(Some(&origin())).post(HostEvent::BookingSucceeded(&appointment));
    wait_until("the message arrives", || {
        seen.borrow()
            .iter()
            .any(|m| m["type"] == "bookingSucceeded")
    })
    .await;
    let message = seen
        .borrow()
        .iter()
        .find(|m| m["type"] == "bookingSucceeded")
        .cloned()
        .expect("posted");
    assert_eq!(message["source"], "booking-widget");
    assert_eq!(message["version"], 1);
    assert_eq!(message["payload"]["reference"], "LUM-7Q2K");
}

/// What the server refuses (here an email its validator rejects; in life, a form changed since the
/// page loaded) reaches the form step in the visitor's language, on the page of the field.
#[wasm_bindgen_test]
async fn field_errors_from_the_server_show_on_the_form_in_the_visitors_language() {
    let api = demo_api();
    let slot = first_free_slot(&api, "hugo", 3).await;
    let request = booking_request(&api, &slot, "hugo", "grace@").await;
    let error = api
        .book(&request)
        .await
        .expect_err("the server refuses the email");
    assert_eq!(error.status(), Some(400));
    let codes: Vec<_> = error.fields().iter().map(|f| f.code.as_deref()).collect();
    assert_eq!(codes, [Some(booking_model::field_code::EMAIL)], "{error}");

    let definition = api.form("haircut", "fr").await.expect("form");
    let server_errors = RwSignal::new(errors_by_item(&definition, error.fields()));
    let query = format!("company=demo&lang=fr&api={}", api_url());
    let root = mount(move || {
        provide_context(WidgetContext::new(WidgetConfig::from_query(&query), "demo"));
        let announcer = Announcer::provide();
        view! {
            <LiveRegion announcer/>
            <FormPages definition answers=RwSignal::new(Answers::new()) server_errors
                on_done=Callback::new(|()| {})/>
        }
    });
    let message = wait_for(&root, "#bw-field-email-error").await;
    assert_eq!(
        message.text_content().as_deref(),
        Some("Saisissez une adresse e-mail comme nom@exemple.fr.")
    );
    // Editing the field clears the server's complaint about it.
    support::type_into(&find(&root, "#bw-field-email"), "grace@example.com").await;
    assert!(root
        .query_selector("#bw-field-email-error")
        .unwrap()
        .is_none());
}

/// A booking that can't reach the server stays on the review with everything the visitor entered,
/// says so in their language, and "Try again" sends it again.
#[wasm_bindgen_test]
async fn a_network_failure_keeps_the_review_and_the_answers_for_a_retry() {
    use booking_widget::flow::{Booking, StaffChoice};
    use booking_widget::steps::ReviewStep;

    let api = demo_api();
    let form = api.form("haircut", "en").await.expect("form");
    let service = api
        .services("en")
        .await
        .expect("services")
        .into_iter()
        .find(|s| s.id.as_deref() == Some("haircut"))
        .expect("haircut");
    let seen = record_messages();
    let failures = move || {
        seen.borrow()
            .iter()
            .filter(|m| m["type"] == "bookingFailed")
            .count()
    };
    // Port 9 is a "bad port" of the Fetch standard: browsers refuse it as a network error before
    // opening any socket, whatever listens there.
    let query = format!(
        "company=demo&lang=en&api=http://127.0.0.1:9&parentOrigin={}",
        origin()
    );
    let booking = Booking::new("Europe/Paris".to_owned());
    booking.service.set(Some(service));
    booking.staff.set(Some(StaffChoice::Any));
    booking.choose_slot("2030-12-02T09:00:00+01:00".to_owned());
    booking.answers.update(|answers| {
        answers.insert(
            "firstName".into(),
            Answer {
                value: "Ada".into(),
                ..Answer::default()
            },
        );
    });
    booking.form_done.set(true);
    let root = mount(move || {
        let config = WidgetConfig::from_query(&query);
        provide_context(Host::new(config.parent_origin.as_deref()));
        provide_context(WidgetContext::new(config, "demo"));
        let announcer = Announcer::provide();
        let definition = LocalResource::new(move || {
            let form = form.clone();
            async move { Ok(form) }
        });
        view! {
            <LiveRegion announcer/>
            <ReviewStep booking definition on_back=None/>
        }
    });
    wait_for(&root, "#bw-step-review-title").await;
    click(&root, ".bw-submit").await;
    let message = wait_for(&root, ".bw-error .bw-error__message").await;
    assert_eq!(
        message.text_content().as_deref(),
        Some("The booking service cannot be reached. Check your connection and try again.")
    );
    wait_until("the host hears of the failure", || failures() >= 1).await;
    assert_eq!(failures(), 1, "the host heard of the failure once");
    assert!(root.text_content().unwrap_or_default().contains("Ada"));
    assert_eq!(
        booking.slot.get_untracked().as_deref(),
        Some("2030-12-02T09:00:00+01:00")
    );

    click(&root, ".bw-error button").await;
    wait_until("Try again sends the booking again", || failures() >= 2).await;
    assert_eq!(failures(), 2, "Try again sent the booking again, once");
    assert_eq!(texts(&root, ".bw-step__title"), ["Check and confirm"]);
    assert!(booking
        .answers
        .with_untracked(|a| a.get("firstName").is_some_and(|f| f.value == "Ada")));
}

/// What the panic hook shows: the widget's content replaced by an alert in the visitor's language
/// with a reload link, whatever state the flow was in.
#[wasm_bindgen_test]
async fn the_crash_panel_replaces_the_widget_with_a_reload_link() {
    let query = format!("company=demo&lang=fr&api={}", api_url());
    let root = mount(move || view! { <App config=WidgetConfig::from_query(&query)/> });
    wait_for(&root, ".bw-choice__button").await;
    // The panel goes into the first widget on the page; keep this test's root the only one.
    let document = web_sys::window()
        .expect("window")
        .document()
        .expect("document");
    let roots = document.query_selector_all(".bw-root").expect("selector");
    for i in 0..roots.length() {
        let other = roots.item(i).expect("root");
        if !root.contains(Some(&other)) {
            other.unchecked_ref::<web_sys::Element>().remove();
        }
    }
    booking_widget::show_crash_panel(booking_widget::i18n::Lang::Fr).expect("panel shown");
    let panel = find(&root, ".bw-crash");
    assert_eq!(panel.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(
        texts(&root, ".bw-crash p"),
        [
            "Une erreur est survenue",
            "La page de réservation a cessé de fonctionner. Rechargez-la pour réessayer ; rien n'a été réservé sans confirmation affichée."
        ]
    );
    let reload = find(&root, ".bw-crash a");
    assert_eq!(reload.text_content().as_deref(), Some("Recharger"));
    let here = web_sys::window()
        .expect("window")
        .location()
        .href()
        .expect("href");
    assert_eq!(reload.get_attribute("href"), Some(here));
    assert!(
        root.query_selector(".bw-choice__button").unwrap().is_none(),
        "the broken widget is gone"
    );
}

/// `resource=room`: no service or staff step; times, form and review of the room; the server books
/// the room itself.
#[wasm_bindgen_test]
async fn a_resource_is_booked_on_its_own() {
    let query = format!(
        "company=demo&lang=en&api={}&resource=room&timeZone=Europe/Paris\
         &firstname=Ada&lastname=Lovelace&email=ada%40example.com&first_visit=yes",
        api_url()
    );
    let root = mount(move || view! { <App config=WidgetConfig::from_query(&query)/> });
    wait_for(&root, "#bw-step-time-title").await;
    assert!(
        root.query_selector(".bw-back").unwrap().is_none(),
        "nothing to go back to"
    );
    choose_slot_fill_and_book(&root, None).await;
    let summary = texts(&root, ".bw-summary dt");
    assert!(!summary.iter().any(|dt| dt == "Staff"), "{summary:?}");
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains("Salle de soin"));
    click(&root, ".bw-submit").await;
    wait_for(&root, "#bw-step-done-title").await;
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains("Salle de soin"));
    let reference = texts(&root, "dd.bw-summary__reference");
    assert_eq!(reference.len(), 1, "a reference is shown");
    // A reference as the server makes them: 3 + 5 characters that can't be misread (`K7M-4QX2P`).
    let readable = |part: &str, len: usize| {
        part.len() == len
            && part
                .chars()
                .all(|c| "23456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c))
    };
    assert!(
        reference[0]
            .split_once('-')
            .is_some_and(|(a, b)| readable(a, 3) && readable(b, 5)),
        "{reference:?}"
    );
}

#[wasm_bindgen_test]
async fn an_unknown_resource_says_so() {
    let query = format!("company=demo&lang=fr&api={}&resource=attic", api_url());
    let root = mount(move || view! { <App config=WidgetConfig::from_query(&query)/> });
    let message = wait_for(&root, ".bw-empty[role=alert]").await;
    assert_eq!(
        message.text_content().as_deref(),
        Some("Cette ressource ne peut pas être réservée en ligne.")
    );
}
