use booking_model::PublicService;
use leptos::prelude::*;

use crate::components::{ErrorPanel, SkeletonList};
use crate::format;
use crate::WidgetContext;

/// Step 1: loads the company's services and lets the visitor pick one.
#[component]
pub fn ServiceStep(
    /// Called with the service the visitor picked.
    on_select: Callback<PublicService>,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = ctx.strings();
    let api = ctx.api.clone();
    let lang = ctx.lang;
    let services = LocalResource::new(move || {
        let api = api.clone();
        async move { api.services(lang.code()).await }
    });
    let list = move || {
        Suspend::new(async move {
            services
                .await
                .map(|items| view! { <ServiceList items on_select/> })
        })
    };
    view! {
        <section class="bw-step" aria-labelledby="bw-step-service-title">
            <h2 id="bw-step-service-title" class="bw-step__title" tabindex="-1">{t.choose_service}</h2>
            <Transition fallback=move || view! { <SkeletonList label=t.loading/> }>
                <ErrorBoundary fallback=move |errors| {
                    view! { <ErrorPanel errors on_retry=Callback::new(move |()| services.refetch())/> }
                }>{list}</ErrorBoundary>
            </Transition>
        </section>
    }
}

/// The services as a list of choices: name, description, duration and price.
#[component]
pub fn ServiceList(
    /// Services to show, in the order the company set.
    items: Vec<PublicService>,
    /// Called with the service the visitor picked.
    on_select: Callback<PublicService>,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let (t, lang) = (ctx.strings(), ctx.lang);
    if items.is_empty() {
        return view! { <p class="bw-empty">{t.no_services}</p> }.into_any();
    }
    let cards = items
        .into_iter()
        .map(|service| {
            let price = match &service.price {
                Some(p) if p.amount > 0.0 => format::price(p.amount, p.currency.as_str(), lang),
                _ => t.free.to_owned(),
            };
            let duration = service.duration.map(|m| format::duration(m, lang));
            let name = service.name.clone();
            let description = service.description.clone().filter(|d| !d.is_empty());
            view! {
                <li class="bw-choice">
                    <button type="button" class="bw-choice__button" on:click=move |_| on_select.run(service.clone())>
                        <span class="bw-choice__name">{name}</span>
                        {description.map(|d| view! { <span class="bw-choice__description">{d}</span> })}
                        <span class="bw-choice__meta">
                            {duration.map(|d| view! { <span class="bw-choice__duration">{d}</span> })}
                            <span class="bw-choice__price">{price}</span>
                        </span>
                    </button>
                </li>
            }
        })
        .collect::<Vec<_>>();
    view! { <ul class="bw-choices" role="list">{cards}</ul> }.into_any()
}
