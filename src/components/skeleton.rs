use leptos::prelude::*;

/// Grey placeholder rows while a list loads; announced once as busy, hidden from screen readers.
#[component]
pub fn SkeletonList(
    /// How many placeholder rows to draw.
    #[prop(default = 3)]
    rows: usize,
    /// Text for assistive technology, e.g. "Loading…".
    label: &'static str,
) -> impl IntoView {
    view! {
        <div class="bw-skeleton" role="status" aria-live="polite">
            <span class="bw-visually-hidden">{label}</span>
            {(0..rows).map(|_| view! { <div class="bw-skeleton__row" aria-hidden="true"></div> }).collect::<Vec<_>>()}
        </div>
    }
}
