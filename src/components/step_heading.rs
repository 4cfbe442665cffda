use leptos::html::H2;
use leptos::prelude::*;

/// A step's title. It takes focus when it appears after the visitor moved on (not on first load,
/// where focus belongs to the host page), so keyboard and screen reader users land on the new step.
#[component]
pub fn StepHeading(
    /// The title text.
    #[prop(into)]
    text: Signal<String>,
    /// `id` of the heading, referenced by the section's `aria-labelledby`.
    id: &'static str,
    /// Whether to take focus once mounted.
    #[prop(optional)]
    focus: bool,
) -> impl IntoView {
    let node = NodeRef::<H2>::new();
    if focus {
        Effect::new(move |_| {
            if let Some(heading) = node.get() {
                let _ = heading.focus();
            }
        });
    }
    view! {
        <h2 id=id class="bw-step__title" tabindex="-1" node_ref=node>{text}</h2>
    }
}

/// "← Back", when there is somewhere to go back to.
#[component]
pub fn BackButton(
    /// What going back does; `None` draws nothing.
    on_back: Option<Callback<()>>,
) -> impl IntoView {
    let t = crate::i18n::use_strings();
    on_back.map(|back| {
        view! {
            <button type="button" class="bw-button bw-button--link bw-back" on:click=move |_| back.run(())>
                <span aria-hidden="true">"← "</span>{t.back}
            </button>
        }
    })
}
