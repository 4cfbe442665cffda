use booking_model::PublicStaff;
use leptos::prelude::*;

use crate::components::{BackButton, ErrorPanel, SkeletonList, StepHeading};
use crate::flow::{staff_name, StaffChoice};
use crate::WidgetContext;

/// Step 2: loads who performs the service and lets the visitor pick one, or anyone available.
/// When the URL names a staff member who performs it, that choice is made at once.
#[component]
pub fn StaffStep(
    /// The service chosen in step 1.
    service_id: String,
    /// Staff id preselected by the URL (`staff`).
    preset: Option<String>,
    /// Called with the choice; `true` when it came from the URL rather than the visitor.
    on_select: Callback<(StaffChoice, bool)>,
    /// Goes back to the service step; `None` when it was skipped.
    on_back: Option<Callback<()>>,
    /// Whether the heading takes focus (the visitor just arrived here).
    #[prop(optional)]
    focus: bool,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = ctx.strings();
    let api = ctx.api.clone();
    let staff = LocalResource::new(move || {
        let (api, service_id) = (api.clone(), service_id.clone());
        async move { api.staff(&service_id).await }
    });
    if let Some(wanted) = preset {
        // Once the list is here: skip the step when the URL's staff member performs the service.
        Effect::new(move |_| {
            if let Some(Ok(list)) = staff.get() {
                if let Some(found) = list
                    .iter()
                    .find(|s| s.id.as_deref() == Some(wanted.as_str()))
                {
                    on_select.run((StaffChoice::One(found.clone()), true));
                }
            }
        });
    }
    let list = move || {
        Suspend::new(async move {
            staff.await.map(|items| {
                view! { <StaffList items on_select=Callback::new(move |c| on_select.run((c, false)))/> }
            })
        })
    };
    view! {
        <section class="bw-step" aria-labelledby="bw-step-staff-title">
            <BackButton on_back/>
            <StepHeading id="bw-step-staff-title" text=t.choose_staff.to_owned() focus/>
            <Transition fallback=move || view! { <SkeletonList label=t.loading/> }>
                <ErrorBoundary fallback=move |errors| {
                    view! { <ErrorPanel errors on_retry=Callback::new(move |()| staff.refetch())/> }
                }>{list}</ErrorBoundary>
            </Transition>
        </section>
    }
}

/// "Any available" first, then each staff member with a portrait or initials.
#[component]
pub fn StaffList(
    /// Staff who perform the chosen service.
    items: Vec<PublicStaff>,
    /// Called with the visitor's choice.
    on_select: Callback<StaffChoice>,
) -> impl IntoView {
    let t = crate::i18n::use_strings();
    let people = items
        .into_iter()
        .map(|person| {
            let name = staff_name(&person);
            let title = person.title.clone().filter(|s| !s.is_empty());
            let description = person.description.clone().filter(|s| !s.is_empty());
            let avatar = match person.avatar_url.clone().filter(|u| !u.is_empty()) {
                // The name is right next to it: the picture is decoration for screen readers.
                Some(url) => view! { <img class="bw-avatar" src=url alt="" loading="lazy"/> }.into_any(),
                None => {
                    let style = person.color.clone().map(|c| format!("--bw-avatar-accent: {c}"));
                    view! { <span class="bw-avatar bw-avatar--initials" style=style aria-hidden="true">{initials(&name)}</span> }
                        .into_any()
                }
            };
            view! {
                <li class="bw-choice">
                    <button type="button" class="bw-choice__button bw-choice__button--person"
                        on:click=move |_| on_select.run(StaffChoice::One(person.clone()))>
                        {avatar}
                        <span class="bw-choice__text">
                            <span class="bw-choice__name">{name}</span>
                            {title.map(|t| view! { <span class="bw-choice__meta">{t}</span> })}
                            {description.map(|d| view! { <span class="bw-choice__description">{d}</span> })}
                        </span>
                    </button>
                </li>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <ul class="bw-choices" role="list">
            <li class="bw-choice">
                <button type="button" class="bw-choice__button bw-choice__button--person bw-choice__button--any"
                    on:click=move |_| on_select.run(StaffChoice::Any)>
                    <span class="bw-avatar bw-avatar--initials" aria-hidden="true">"✱"</span>
                    <span class="bw-choice__text">
                        <span class="bw-choice__name">{t.any_staff}</span>
                        <span class="bw-choice__description">{t.any_staff_help}</span>
                    </span>
                </button>
            </li>
            {people}
        </ul>
    }
}

/// "Camille Martin" → "CM"; one letter for a single name.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("Camille Martin"), "CM");
        assert_eq!(initials("léa"), "L");
        assert_eq!(initials(""), "");
    }
}
