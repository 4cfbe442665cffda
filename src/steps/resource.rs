use booking_model::PublicResource;
use leptos::prelude::*;

use crate::components::{describe, ErrorNotice, SkeletonList, StepHeading};
use crate::WidgetContext;

/// Step 1 of a widget set up for a resource booked on its own (`resource=`, e.g. a room): loads the
/// company's resources and chooses the named one at once; there is no service or staff to pick. An
/// unknown id says so instead of showing an empty page.
#[component]
pub fn ResourceStep(
    /// The resource id from the URL.
    wanted: String,
    /// Called with the resource once loaded.
    on_select: Callback<PublicResource>,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = ctx.strings();
    let api = ctx.api.clone();
    let resources = LocalResource::new(move || {
        let api = api.clone();
        async move { api.resources().await }
    });
    let found = Memo::new(move |_| {
        resources.get().map(|answer| {
            answer.map(|list| {
                list.into_iter()
                    .find(|r| r.id.as_deref() == Some(wanted.as_str()))
            })
        })
    });
    Effect::new(move |_| {
        if let Some(Ok(Some(resource))) = found.get() {
            on_select.run(resource);
        }
    });
    let body = move || match found.get() {
        None | Some(Ok(Some(_))) => view! { <SkeletonList label=t.loading/> }.into_any(),
        Some(Ok(None)) => {
            view! { <p class="bw-empty" role="alert">{t.unknown_resource}</p> }.into_any()
        }
        Some(Err(error)) => {
            let message = describe(&error, t);
            view! { <ErrorNotice message on_retry=Callback::new(move |()| resources.refetch())/> }
                .into_any()
        }
    };
    view! {
        <section class="bw-step" aria-labelledby="bw-step-resource-title">
            <StepHeading id="bw-step-resource-title" text=t.page_title.to_owned()/>
            {body}
        </section>
    }
}
