use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use booking_model::{field_code, validate_answers, FieldError, Form, FormItem};
use leptos::html::Form as FormElement;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::fields::{FormField, FormState};
use crate::answers::{
    errors_by_item, fill, ids_of, locked_items, pages, prefill, Answers, BrowserRegex,
};
use crate::api::ApiError;
use crate::components::{use_announcer, BackButton, ErrorPanel, SkeletonList, StepHeading};
use crate::i18n::{fill_in, use_strings, Strings};
use crate::WidgetContext;

/// Step 4: the service's form, loaded by the flow (so it is ready when the visitor gets here).
#[component]
pub fn FormStep(
    /// The form definition for the chosen service.
    definition: LocalResource<Result<Form, ApiError>>,
    /// The visitor's answers (kept by the flow across steps).
    answers: RwSignal<Answers>,
    /// Errors the server found, by item id.
    server_errors: RwSignal<BTreeMap<String, FieldError>>,
    /// Called when every page is valid.
    on_done: Callback<()>,
    /// Goes back to the time step.
    on_back: Option<Callback<()>>,
    /// Whether the heading takes focus (the visitor just arrived here).
    #[prop(optional)]
    focus: bool,
) -> impl IntoView {
    let t = use_strings();
    let body = move || {
        Suspend::new(async move {
            definition.await.map(|definition| {
                view! { <FormPages definition answers server_errors on_done/> }
            })
        })
    };
    view! {
        <section class="bw-step" aria-labelledby="bw-step-form-title">
            <BackButton on_back/>
            <StepHeading id="bw-step-form-title" text=t.your_details.to_owned() focus/>
            <Transition fallback=move || view! { <SkeletonList label=t.loading/> }>
                <ErrorBoundary fallback=move |errors| {
                    view! { <ErrorPanel errors on_retry=Callback::new(move |()| definition.refetch())/> }
                }>{body}</ErrorBoundary>
            </Transition>
        </section>
    }
}

/// The form's pages — contact fields first, then each page of additional fields — with
/// prefill from the URL and the server's own validation on "Next".
#[component]
pub fn FormPages(
    /// The form definition.
    definition: Form,
    /// The visitor's answers by item id; prefilled values are added to it on first show.
    answers: RwSignal<Answers>,
    /// Errors the server found, by item id.
    server_errors: RwSignal<BTreeMap<String, FieldError>>,
    /// Called when the last page is valid.
    on_done: Callback<()>,
) -> impl IntoView {
    let t = use_strings();
    let announcer = use_announcer();
    let (params, read_only) = use_context::<WidgetContext>()
        .map(|c| (c.config.params.clone(), c.config.read_only.clone()))
        .unwrap_or_default();
    // URL values fill what the visitor has not answered yet (answers survive going back).
    let prefilled = prefill(&definition, &params);
    answers.update(|a| {
        for (id, answer) in prefilled {
            a.entry(id).or_insert(answer);
        }
    });
    let locked = StoredValue::new(locked_items(&definition, &params, &read_only));
    let page_ids: Vec<BTreeSet<String>> = pages(&definition)
        .iter()
        .map(|page| page.iter().flat_map(|item| ids_of(item)).collect())
        .collect();
    let page_items: Vec<Vec<FormItem>> = pages(&definition)
        .into_iter()
        .map(|page| page.into_iter().cloned().collect())
        .collect();
    let page_count = page_items.len();
    // Open on the first page the server complained about, if any.
    let first_page = server_errors.with_untracked(|errors| {
        page_ids
            .iter()
            .position(|ids| errors.keys().any(|id| ids.contains(id)))
            .unwrap_or(0)
    });
    let page = RwSignal::new(first_page);
    let attempted = RwSignal::new(BTreeSet::<usize>::new());
    let page_ids = StoredValue::new(page_ids);
    let definition = StoredValue::new(definition);

    // The server's validator, on the same filled form the server will receive.
    let problems = Memo::new(move |_| {
        answers.with(|answers| {
            definition.with_value(|d| {
                let errors = validate_answers(d, &fill(d, answers), &BrowserRegex);
                errors_by_item(d, &errors)
            })
        })
    });
    let problems_on = move |p: usize| {
        page_ids.with_value(|pages| {
            problems.with(|all| {
                all.iter()
                    .filter(|(id, _)| pages.get(p).is_some_and(|ids| ids.contains(*id)))
                    .map(|(id, error)| (id.clone(), error.clone()))
                    .collect::<BTreeMap<_, _>>()
            })
        })
    };
    let shown_errors = Signal::derive(move || {
        let current = page.get();
        let own = if attempted.with(|a| a.contains(&current)) {
            problems_on(current)
        } else {
            BTreeMap::new()
        };
        server_errors.with(|server| {
            // The widget's own check first; the server's where it found nothing.
            let mut all: BTreeMap<&String, &FieldError> = own.iter().collect();
            for (id, error) in server {
                all.entry(id).or_insert(error);
            }
            definition.with_value(|d| {
                all.into_iter()
                    .map(|(id, error)| (id.clone(), localize_error(error, d.item(id), t)))
                    .collect()
            })
        })
    });
    let state = FormState {
        answers,
        errors: shown_errors,
        server_errors,
        locked,
    };

    let form_node = NodeRef::<FormElement>::new();
    let on_submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let current = page.get_untracked();
        let count = problems_on(current).len();
        if count > 0 {
            attempted.update(|a| {
                a.insert(current);
            });
            announcer.say(fill_in(t.fix_errors, &[&count.to_string()]));
            // Once the error messages are drawn, take the visitor to the first one.
            set_timeout(
                move || {
                    if let Some(first) = form_node
                        .get_untracked()
                        .and_then(|f| f.query_selector("[aria-invalid=true]").ok().flatten())
                    {
                        let _ = first.unchecked_into::<web_sys::HtmlElement>().focus();
                    }
                },
                Duration::ZERO,
            );
        } else if current + 1 < page_count {
            page.set(current + 1);
            focus_page_title(form_node);
        } else {
            on_done.run(());
        }
    };
    let previous = move |_| {
        page.update(|p| *p = p.saturating_sub(1));
        focus_page_title(form_node);
    };
    let fields = move || {
        page_items
            .get(page.get())
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|item| view! { <FormField item state/> })
            .collect::<Vec<_>>()
    };
    let last = move || page.get() + 1 >= page_count;
    view! {
        <form class="bw-form" novalidate=true node_ref=form_node on:submit=on_submit>
            <p class="bw-form__page" id="bw-form-page" tabindex="-1">
                {move || (page_count > 1).then(|| fill_in(t.page_of, &[&(page.get() + 1).to_string(), &page_count.to_string()]))}
            </p>
            <p class="bw-form__legend">
                <span aria-hidden="true">"* "</span>{t.required_legend}
            </p>
            {fields}
            <div class="bw-actions">
                <Show when=move || { page.get() > 0 }>
                    <button type="button" class="bw-button bw-button--secondary" on:click=previous>{t.previous}</button>
                </Show>
                <button type="submit" class="bw-button bw-button--primary">
                    {move || if last() { t.review_booking } else { t.next }}
                </button>
            </div>
        </form>
    }
}

fn focus_page_title(form: NodeRef<FormElement>) {
    set_timeout(
        move || {
            if let Some(title) = form
                .get_untracked()
                .and_then(|f| f.query_selector("#bw-form-page").ok().flatten())
            {
                let _ = title.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        },
        Duration::ZERO,
    );
}

/// A field error in the visitor's language, chosen by its machine-readable code (the same whether
/// the widget's own validation or the server found it); an error without a known code is shown
/// as the server wrote it.
pub fn localize_error(error: &FieldError, item: Option<&FormItem>, t: &Strings) -> String {
    let limit = || error.limit.map(|l| l.to_string()).unwrap_or_default();
    let hint = item
        .and_then(|i| i.value_format.as_ref())
        .and_then(|f| f.value_format.clone().filter(|h| !h.is_empty()));
    match error.code.as_deref().unwrap_or_default() {
        field_code::REQUIRED => t.error_required.to_owned(),
        field_code::TOO_SHORT => fill_in(t.error_min_length, &[&limit()]),
        field_code::TOO_LONG => fill_in(t.error_max_length, &[&limit()]),
        field_code::FORMAT => match hint {
            Some(hint) => format!("{} ({hint})", t.error_format),
            None => t.error_format.to_owned(),
        },
        field_code::EMAIL => t.error_email.to_owned(),
        field_code::NUMBER => t.error_number.to_owned(),
        field_code::DATE => t.error_date.to_owned(),
        field_code::WEBSITE => t.error_website.to_owned(),
        field_code::UNKNOWN_OPTION => t.error_option.to_owned(),
        field_code::ONE_CHOICE => t.error_one_choice.to_owned(),
        field_code::FILE_TOO_BIG => t.error_file_too_big.to_owned(),
        field_code::FILE_INVALID => t.error_file_unreadable.to_owned(),
        _ => error.reason.clone(),
    }
}
