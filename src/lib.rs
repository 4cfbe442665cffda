//! The booking widget: a Leptos client-side app that walks a visitor through booking an appointment.
//!
//! Data flows one way: the page URL → [`WidgetConfig`] → [`WidgetContext`] (API client, language) →
//! steps. Every HTTP call is in [`api`]; every visible string in [`i18n`].

/// HTTP calls to the booking server.
pub mod api;
/// Reusable view pieces.
pub mod components;
/// Settings read from the URL.
pub mod config;
/// Locale-aware number, price and duration formatting.
pub mod format;
/// UI strings in seven languages.
pub mod i18n;
/// The steps of the booking flow.
pub mod steps;

use booking_model::PublicService;
use leptos::prelude::*;

pub use api::{Api, ApiError};
pub use config::WidgetConfig;
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
}

impl WidgetContext {
    /// Context for a configuration whose company is known.
    pub fn new(config: WidgetConfig, company: &str) -> Self {
        let origin = config.api.clone().unwrap_or_else(page_origin);
        WidgetContext {
            api: Api::new(&origin, company),
            lang: Lang::resolve(config.lang.as_deref()),
            config,
        }
    }

    /// The UI strings in this widget's language.
    pub fn strings(&self) -> &'static Strings {
        self.lang.strings()
    }
}

fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The whole widget for a configuration: a friendly message when no company is set, else the flow.
#[component]
pub fn App(
    /// Settings, usually [`WidgetConfig::from_location`].
    config: WidgetConfig,
) -> impl IntoView {
    let theme = config.theme.clone().unwrap_or_else(|| "auto".to_owned());
    let style = config
        .primary_color
        .as_ref()
        .map(|c| format!("--bw-color-primary: {c}"));
    let body = match config.company.clone() {
        None => {
            let t = Lang::resolve(config.lang.as_deref()).strings();
            view! { <p class="bw-error" role="alert">{t.missing_company}</p> }.into_any()
        }
        Some(company) => {
            provide_context(WidgetContext::new(config, &company));
            view! { <BookingFlow/> }.into_any()
        }
    };
    view! {
        <div class="bw-root" data-theme=theme style=style>
            {body}
        </div>
    }
}

/// The steps in order; each choice moves the visitor on, "Change" goes back.
#[component]
fn BookingFlow() -> impl IntoView {
    let t = expect_context::<WidgetContext>().strings();
    let service = RwSignal::new(None::<PublicService>);
    move || {
        match service.get() {
        None => view! { <steps::ServiceStep on_select=Callback::new(move |s| service.set(Some(s)))/> }.into_any(),
        Some(chosen) => view! {
            <section class="bw-step">
                <p class="bw-summary">
                    <span class="bw-summary__label">{t.selected}": "</span>
                    <strong>{chosen.name}</strong>
                </p>
                <button type="button" class="bw-button bw-button--secondary" on:click=move |_| service.set(None)>
                    {t.change}
                </button>
            </section>
        }
        .into_any(),
    }
    }
}

/// Mounts the widget on the page body with the settings from the URL, after installing a panic hook
/// that logs to the console.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| view! { <App config=WidgetConfig::from_location()/> });
}
