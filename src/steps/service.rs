use booking_model::PublicService;
use leptos::prelude::*;

use crate::components::{ErrorPanel, SkeletonList, StepHeading};
use crate::format;
use crate::WidgetContext;

/// Step 1: loads the company's services and lets the visitor pick one. When the URL names a service
/// (`service`) that exists, it is chosen at once and the list never shows.
#[component]
pub fn ServiceStep(
    /// Called with the chosen service; `true` when it came from the URL rather than the visitor.
    on_select: Callback<(PublicService, bool)>,
    /// Service id preselected by the URL.
    preset: Option<String>,
    /// Whether the heading takes focus (the visitor came back here).
    #[prop(optional)]
    focus: bool,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = ctx.strings();
    let api = ctx.api.clone();
    let lang = ctx.lang;
    let services = LocalResource::new(move || {
        let api = api.clone();
        async move { api.services(lang.code()).await }
    });
    if let Some(wanted) = preset {
        Effect::new(move |_| {
            if let Some(Ok(list)) = services.get() {
                if let Some(found) = list
                    .iter()
                    .find(|s| s.id.as_deref() == Some(wanted.as_str()))
                {
                    on_select.run((found.clone(), true));
                }
            }
        });
    }
    let on_pick = Callback::new(move |service| on_select.run((service, false)));
    // Once the answer is here (the list is rendered in the same tick): the page index.html painted
    // goes, and a service clicked on it before the wasm arrived is chosen as if clicked now.
    Effect::new(move |handled: Option<bool>| {
        if handled == Some(true) {
            return true;
        }
        let Some(answer) = services.get() else {
            return false;
        };
        let early = take_early_choice();
        if let (Ok(list), Some(id)) = (&answer, early) {
            if let Some(found) = list.iter().find(|s| s.id.as_deref() == Some(id.as_str())) {
                on_pick.run(found.clone());
            }
        }
        crate::release_boot_page();
        true
    });
    let list = move || {
        Suspend::new(async move {
            services
                .await
                .map(|items| view! { <ServiceList items on_select=on_pick/> })
        })
    };
    view! {
        <section class="bw-step" aria-labelledby="bw-step-service-title">
            <StepHeading id="bw-step-service-title" text=t.choose_service.to_owned() focus/>
            <Transition fallback=move || view! { <SkeletonList label=t.loading/> }>
                <ErrorBoundary fallback=move |errors| {
                    view! { <ErrorPanel errors on_retry=Callback::new(move |()| services.refetch())/> }
                }>{list}</ErrorBoundary>
            </Transition>
        </section>
    }
}

/// `window.__bw_early_choice`: the id of the service clicked on index.html's painted list, taken once.
fn take_early_choice() -> Option<String> {
    let window: wasm_bindgen::JsValue = web_sys::window()?.into();
    let key = wasm_bindgen::JsValue::from_str("__bw_early_choice");
    let id = js_sys::Reflect::get(&window, &key).ok()?.as_string();
    let _ = js_sys::Reflect::set(&window, &key, &wasm_bindgen::JsValue::UNDEFINED);
    id
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
