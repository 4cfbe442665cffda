use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{use_strings, Strings};

/// What the visitor should read for an error: friendly text for the failures we understand.
pub fn describe(error: &(dyn std::error::Error + Send + Sync + 'static), t: &Strings) -> String {
    match error.downcast_ref::<ApiError>() {
        Some(ApiError::Network(_)) => t.network_error.to_owned(),
        Some(ApiError::Http { status: 404, .. }) => t.unknown_company.to_owned(),
        Some(ApiError::Http { message, .. }) => message.clone(),
        _ => error.to_string(),
    }
}

/// An alert explaining what failed, with a button that retries.
#[component]
pub fn ErrorPanel(
    /// The errors caught by the surrounding `<ErrorBoundary>`.
    errors: ArcRwSignal<Errors>,
    /// Called when the visitor asks to try again.
    on_retry: Callback<()>,
) -> impl IntoView {
    let t = use_strings();
    let messages = move || {
        errors.with(|errors| {
            errors
                .iter()
                // `Error` derefs to an `Arc<dyn Error>`: go one level further to reach the error
                // itself, or downcasting to `ApiError` sees the `Arc` and fails.
                .map(|(_, e)| view! { <p class="bw-error__message">{describe(&***e, t)}</p> })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="bw-error" role="alert">
            <p class="bw-error__title">{t.error_title}</p>
            {messages}
            <button type="button" class="bw-button bw-button--secondary" on:click=move |_| on_retry.run(())>
                {t.retry}
            </button>
        </div>
    }
}

/// One known failure as an alert, with an optional retry button — for places that keep their
/// content on screen while showing the error (an `<ErrorBoundary>` would replace it).
#[component]
pub fn ErrorNotice(
    /// What to tell the visitor.
    #[prop(into)]
    message: String,
    /// Called when the visitor asks to try again; `None` shows no button.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let t = use_strings();
    view! {
        <div class="bw-error" role="alert">
            <p class="bw-error__title">{t.error_title}</p>
            <p class="bw-error__message">{message}</p>
            {on_retry.map(|retry| view! {
                <button type="button" class="bw-button bw-button--secondary" on:click=move |_| retry.run(())>
                    {t.retry}
                </button>
            })}
        </div>
    }
}
