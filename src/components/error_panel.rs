use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::Strings;
use crate::WidgetContext;

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
    let t = use_context::<WidgetContext>().map_or(crate::i18n::Lang::En.strings(), |c| c.strings());
    let messages = move || {
        errors.with(|errors| {
            errors
                .iter()
                .map(|(_, e)| view! { <p class="bw-error__message">{describe(&**e, t)}</p> })
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
