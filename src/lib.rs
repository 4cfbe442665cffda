//! The booking widget: a Leptos client-side app that walks a visitor through booking an appointment.
//!
//! Data flows one way: the page URL → [`WidgetConfig`] → [`WidgetContext`] (API client, language) →
//! [`flow::Booking`] (what has been chosen) → the step on screen. Every HTTP call is in [`api`];
//! every visible string in [`i18n`]; every message to the host page in [`host`].

/// The visitor's form answers: prefill, filling, validation.
pub mod answers;
/// HTTP calls to the booking server.
pub mod api;
/// Reusable view pieces.
pub mod components;
/// Settings read from the URL.
pub mod config;
/// The state of one booking and the order of the steps.
pub mod flow;
/// Locale-aware number, price, date and time formatting.
pub mod format;
/// Events posted to the embedding page.
pub mod host;
/// UI strings in seven languages.
pub mod i18n;
/// The steps of the booking flow.
pub mod steps;
/// The server's JSON read with the browser's `JSON.parse`.
pub mod wire;
/// Request bodies and host messages as browser objects, written by `JSON.stringify`.
pub mod wire_out;
/// Time zones and wall-clock times through the browser's `Intl`.
pub mod zone;

use booking_model::{BookingTarget, Form, PublicCompany};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub use api::{Api, ApiError};
use components::{Announcer, LiveRegion};
use config::ManageAction;
pub use config::WidgetConfig;
use flow::{Booking, Step};
use host::{Host, HostEvent};
use i18n::{Lang, Strings};

/// What every component of one widget instance shares.
#[derive(Debug, Clone)]
pub struct WidgetContext {
    /// Client for the company's public API.
    pub api: Api,
    /// Language of the UI and of the server's texts.
    pub lang: Lang,
    /// Everything the host configured.
    pub config: WidgetConfig,
    /// Where "today" comes from.
    pub clock: zone::Clock,
}

impl WidgetContext {
    /// Context for a configuration whose company is known.
    pub fn new(config: WidgetConfig, company: &str) -> Self {
        let origin = config.api.clone().unwrap_or_else(page_origin);
        WidgetContext {
            api: Api::new(&origin, company),
            lang: Lang::resolve(config.lang.as_deref()),
            config,
            clock: zone::Clock::system(),
        }
    }

    /// The same context, reading "now" from `clock`.
    pub fn with_clock(self, clock: zone::Clock) -> Self {
        WidgetContext { clock, ..self }
    }

    /// The UI strings in this widget's language.
    pub fn strings(&self) -> &'static Strings {
        self.lang.strings()
    }

    /// The zone to show times in: the URL's `timeZone` if the browser knows it, else the
    /// browser's own, else UTC.
    pub fn initial_zone(&self) -> String {
        self.config
            .time_zone
            .as_deref()
            .and_then(zone::canonical_zone)
            .or_else(zone::browser_zone)
            .unwrap_or_else(|| "UTC".to_owned())
    }
}

fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The company's public profile, loaded once and shared (zone and address for confirmations).
#[derive(Clone, Copy)]
pub struct CompanyInfo(pub LocalResource<Result<PublicCompany, ApiError>>);

impl CompanyInfo {
    /// The company once loaded (`None` while loading or when it failed).
    pub fn get(&self) -> Option<PublicCompany> {
        self.0.get().and_then(Result::ok)
    }
}

/// The whole widget for a configuration: a friendly message when no company is set, the
/// reschedule / cancel screens for an appointment link, else the booking flow.
#[component]
pub fn App(
    /// Settings, usually [`WidgetConfig::from_location`].
    config: WidgetConfig,
) -> impl IntoView {
    let theme = match config.theme.as_deref() {
        Some("light") => "light",
        Some("dark") => "dark",
        _ => "auto",
    };
    // Its own `lang`, so screen readers pronounce it right inside a host page in another language.
    let lang = Lang::resolve(config.lang.as_deref());
    let style = config
        .primary_color
        .as_ref()
        .map(|c| format!("--bw-color-primary: {c}"));
    let announcer = Announcer::provide();
    let host = Host::new(config.parent_origin.as_deref());
    provide_context(host.clone());
    let root = NodeRef::<Div>::new();
    {
        let host = host.clone();
        Effect::new(move |_| {
            if let Some(element) = root.get() {
                host.post(HostEvent::Ready);
                host::observe_height(host.clone(), &element);
            }
        });
    }
    let body = match config.company.clone() {
        None => view! { <p class="bw-error" role="alert">{lang.strings().missing_company}</p> }
            .into_any(),
        Some(company) => {
            let ctx = WidgetContext::new(config, &company);
            let manage = ctx
                .config
                .appointment
                .clone()
                .map(|id| (id, ctx.config.action.unwrap_or(ManageAction::View)));
            provide_context(ctx);
            match manage {
                Some((encrypted_id, action)) => {
                    view! { <ManageFlow encrypted_id action/> }.into_any()
                }
                None => view! { <BookingFlow/> }.into_any(),
            }
        }
    };
    view! {
        <div class="bw-root" lang=lang.code() data-theme=theme style=style node_ref=root>
            <LiveRegion announcer/>
            {body}
        </div>
    }
}

/// Loads the company once for the screens that show its zone and address.
fn provide_company() -> CompanyInfo {
    let api = expect_context::<WidgetContext>().api;
    let company = CompanyInfo(LocalResource::new(move || {
        let api = api.clone();
        async move { api.company().await }
    }));
    provide_context(company);
    company
}

/// The reschedule / cancel mode for an appointment link.
#[component]
fn ManageFlow(
    /// The appointment's encrypted id.
    encrypted_id: String,
    /// What the link asked for.
    action: ManageAction,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let company = provide_company();
    let zone = RwSignal::new(ctx.initial_zone());
    view! {
        <steps::ManageAppointment encrypted_id action zone company=Signal::derive(move || company.get())/>
    }
}

/// The steps in order. Which one shows follows from what has been chosen ([`Booking::step`]).
#[component]
fn BookingFlow() -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let host = host::use_host();
    let company = provide_company();
    let booking = Booking::new(ctx.initial_zone());
    provide_context(booking);
    let api = ctx.api.clone();
    let lang = ctx.lang;
    // Loaded as soon as the service is known, so the form is ready when the visitor gets there.
    let definition = LocalResource::new(move || {
        let api = api.clone();
        let target = booking.target.get();
        async move {
            match target {
                Some(BookingTarget::Resource { id, .. }) => {
                    api.resource_form(&id, lang.code()).await
                }
                Some(BookingTarget::Service { id }) => api.form(&id, lang.code()).await,
                _ => Ok(Form::default()),
            }
        }
    });
    let config = StoredValue::new(ctx.config.clone());
    let host = StoredValue::new(host);

    let back = move || {
        booking
            .can_go_back()
            .then(|| Callback::new(move |()| booking.back()))
    };
    let service_id = move || {
        booking
            .service
            .with_untracked(|s| s.as_ref().and_then(|s| s.id.clone()))
            .unwrap_or_default()
    };
    move || {
        let focus = booking.moved.get_untracked();
        match booking.step.get() {
            Step::Service if config.with_value(|c| c.resource.is_some()) => view! {
                <steps::ResourceStep wanted=config.with_value(|c| c.resource.clone()).unwrap_or_default()
                    on_select=Callback::new(move |resource| booking.choose_resource(&resource))/>
            }
            .into_any(),
            Step::Service => view! {
                <steps::ServiceStep focus preset=config.with_value(|c| c.service.clone())
                    on_select=Callback::new(move |(service, preset): (booking_model::PublicService, bool)| {
                        host.with_value(|h| h.post(HostEvent::ServiceSelected(&service)));
                        booking.choose_service(service, preset);
                    })/>
            }
            .into_any(),
            Step::Staff => view! {
                <steps::StaffStep service_id=service_id() focus on_back=back()
                    preset=config.with_value(|c| c.staff.clone())
                    on_select=Callback::new(move |(staff, preset)| booking.choose_staff(staff, preset))/>
            }
            .into_any(),
            Step::Time => {
                let staff_id = booking.staff.with_untracked(|s| s.as_ref().and_then(|s| s.id()));
                view! {
                    <steps::TimeStep target=booking.target.get_untracked().unwrap_or(BookingTarget::Personal)
                        staff_id=staff_id.clone() zone=booking.zone focus
                        start_day=booking.slot_day.get_untracked()
                        notice=booking.notice.get_untracked()
                        on_back=back()
                        on_select=Callback::new(move |slot: String| {
                            host.with_value(|h| h.post(HostEvent::SlotSelected {
                                start: &slot,
                                service_id: Some(&service_id()),
                                staff_id: staff_id.as_deref(),
                            }));
                            booking.choose_slot(slot);
                        })/>
                }
                .into_any()
            }
            Step::Form => view! {
                <steps::FormStep definition answers=booking.answers server_errors=booking.server_errors focus
                    on_back=Some(Callback::new(move |()| booking.back()))
                    on_done=Callback::new(move |()| { booking.moved.set(true); booking.form_done.set(true); })/>
            }
            .into_any(),
            Step::Review => view! {
                <steps::ReviewStep booking definition focus on_back=Some(Callback::new(move |()| booking.back()))/>
            }
            .into_any(),
            Step::Done => view! {
                <steps::ConfirmationStep appointment=booking.appointment.get_untracked().unwrap_or_default()
                    company=Signal::derive(move || company.get()) zone=booking.zone focus/>
            }
            .into_any(),
        }
    }
}

/// The widget as a page of its own (iframe mode): the page's language and title follow the widget's,
/// and it has the landmark and top-level heading a page needs (the steps' titles are `<h2>`).
#[component]
fn WidgetPage(
    /// Settings, usually [`WidgetConfig::from_location`].
    config: WidgetConfig,
) -> impl IntoView {
    let lang = Lang::resolve(config.lang.as_deref());
    let t = lang.strings();
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(t.page_title);
        if let Some(html) = document.document_element() {
            let _ = html.set_attribute("lang", lang.code());
        }
    }
    view! {
        <main class="bw-page">
            <h1 class="bw-visually-hidden">{t.page_title}</h1>
            <App config/>
        </main>
    }
}

/// Mounts the widget on the page body with the settings from the URL, after installing a panic
/// hook that logs to the console and replaces the widget with an error panel.
///
/// On a host page with `[data-booking-widget-mount]` elements (direct mount, no iframe), a widget is
/// mounted into each, configured by its `data-*` attributes.
///
/// A widget mounts once its language's strings are here (see [`i18n::load`]): its first paint is
/// in the visitor's language.
pub fn start() {
    let mounts = mount_elements();
    if mounts.is_empty() {
        let config = WidgetConfig::from_location();
        let lang = Lang::resolve(config.lang.as_deref());
        install_panic_hook(lang);
        when_loaded(lang, move || {
            // index.html's static skeleton goes in the same task as the app arrives: the browser
            // never paints the page without either, so nothing shifts. A painted services list
            // stays (the app is hidden behind it) until the services step has its own.
            match boot_page() {
                Some(page) if page.has_attribute("data-bw-list") => yield_ids(&page),
                _ => release_boot_page(),
            }
            leptos::mount::mount_to_body(move || view! { <WidgetPage config/> })
        });
        return;
    }
    let page_query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    for (index, element) in mounts.into_iter().enumerate() {
        let attributes = element
            .get_attribute_names()
            .iter()
            .filter_map(|name| name.as_string())
            .map(|name| {
                let value = element.get_attribute(&name).unwrap_or_default();
                (name, value)
            })
            .collect::<Vec<_>>();
        let config = WidgetConfig::from_mount(&page_query, &attributes);
        if index == 0 {
            install_panic_hook(Lang::resolve(config.lang.as_deref()));
        }
        let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() else {
            continue;
        };
        when_loaded(Lang::resolve(config.lang.as_deref()), move || {
            // Mounted for the page's lifetime.
            leptos::mount::mount_to(element, move || view! { <App config/> }).forget();
        });
    }
}

fn boot_page() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id("bw-boot")
}

/// The painted page's heading leaves its id to the app's (ids stay unique while both stand).
fn yield_ids(page: &web_sys::Element) {
    let Ok(Some(heading)) = page.query_selector("#bw-step-service-title") else {
        return;
    };
    heading.set_id("bw-boot-title");
    if let Ok(Some(section)) = page.query_selector(".bw-step") {
        let _ = section.set_attribute("aria-labelledby", "bw-boot-title");
    }
}

/// Removes the page index.html paints before the wasm arrives (`#bw-boot`, see `boot.js`), which
/// shows the app behind it. A painted choice that had the focus hands it to the app's same one.
pub fn release_boot_page() {
    let Some(page) = boot_page() else {
        return;
    };
    let document = page.owner_document();
    let focused = document
        .as_ref()
        .and_then(|d| d.active_element())
        .filter(|e| page.contains(Some(e)));
    let index = focused.and_then(|f| {
        let buttons = page.query_selector_all(".bw-choice__button").ok()?;
        (0..buttons.length()).find(|&i| buttons.item(i).is_some_and(|b| b.is_same_node(Some(&f))))
    });
    page.remove();
    let target = index.and_then(|i| {
        let buttons = document?.query_selector_all(".bw-choice__button").ok()?;
        buttons.item(i)?.dyn_into::<web_sys::HtmlElement>().ok()
    });
    if let Some(button) = target {
        let _ = button.focus();
    }
}

/// Runs `mount` once `lang`'s strings are loaded: at once for English or a language already here.
fn when_loaded(lang: Lang, mount: impl FnOnce() + 'static) {
    if lang.is_loaded() {
        return mount();
    }
    // Not leptos' spawn_local: its executor starts with the first mount.
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = i18n::load(lang).await {
            leptos::logging::warn!("booking widget: showing English: {error}");
        }
        mount();
    });
}

/// The host page's direct-mount elements, in document order.
fn mount_elements() -> Vec<web_sys::Element> {
    let Some(list) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all("[data-booking-widget-mount]").ok())
    else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// A panic is a bug, but the visitor must never face a frozen or blank widget: log it for us,
/// and tell them what to do.
fn install_panic_hook(lang: Lang) {
    std::panic::set_hook(Box::new(move |info| {
        console_error_panic_hook::hook(info);
        show_crash_panel(lang);
    }));
}

/// Replaces the widget's content with the error panel the panic hook shows. Plain DOM calls: after a
/// panic the reactive runtime can't be trusted.
pub fn show_crash_panel(lang: Lang) -> Option<()> {
    let t = lang.strings();
    let document = web_sys::window()?.document()?;
    let root = document
        .query_selector(".bw-root")
        .ok()
        .flatten()
        .or_else(|| document.body().map(Into::into))?;
    let panel = document.create_element("div").ok()?;
    panel.set_class_name("bw-error bw-crash");
    panel.set_attribute("role", "alert").ok()?;
    let title = document.create_element("p").ok()?;
    title.set_class_name("bw-error__title");
    title.set_text_content(Some(t.error_title));
    let message = document.create_element("p").ok()?;
    message.set_text_content(Some(t.crash_message));
    let reload = document.create_element("a").ok()?;
    reload.set_class_name("bw-button bw-button--secondary");
    let here = web_sys::window()?.location().href().ok()?;
    reload.set_attribute("href", &here).ok()?;
    reload.set_text_content(Some(t.reload));
    panel.append_child(&title).ok()?;
    panel.append_child(&message).ok()?;
    panel.append_child(&reload).ok()?;
    // Keep the live region out of it: replace the widget's content with the panel.
    root.set_text_content(None);
    root.append_child(&panel).ok()?;
    Some(())
}
