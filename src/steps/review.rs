use booking_model::{
    BookingTarget, Form, FormItem, FormItemType, PublicAppointment, PublicBookingRequest,
};
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::answers::{errors_by_item, fill, is_choice, option_key, Answer};
use crate::api::ApiError;
use crate::components::{use_announcer, Announcer, BackButton, ErrorNotice, StepHeading};
use crate::flow::Booking;
use crate::format;
use crate::host::{use_host, Host, HostEvent};
use crate::i18n::Strings;
use crate::zone::slot_instant;
use crate::WidgetContext;

/// Step 5: everything chosen so far, and the button that books. A taken slot sends the visitor
/// back to the time step with the server's message; invalid answers back to the form; a network
/// failure keeps everything here for a retry.
#[component]
pub fn ReviewStep(
    /// The booking so far.
    booking: Booking,
    /// The form definition (already loaded by the form step).
    definition: LocalResource<Result<Form, ApiError>>,
    /// Goes back to the form.
    on_back: Option<Callback<()>>,
    /// Whether the heading takes focus.
    #[prop(optional)]
    focus: bool,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = ctx.strings();
    let lang = ctx.lang;
    let announcer = use_announcer();
    let host = StoredValue::new(use_host());
    let ctx = StoredValue::new(ctx);
    let form = move || {
        definition
            .get_untracked()
            .and_then(Result::ok)
            .unwrap_or_default()
    };

    let submit = Action::new_local(move |request: &PublicBookingRequest| {
        let request = request.clone();
        let api = ctx.with_value(|c| c.api.clone());
        async move {
            let result = api.book(&request).await;
            settle(booking, &result, &form(), t, announcer, &host.get_value());
            result
        }
    });
    let pending = submit.pending();
    let send = move || {
        if let Some(request) = ctx.with_value(|c| booking_request(c, booking, &form())) {
            announcer.say(t.booking_in_progress);
            submit.dispatch(request);
        }
    };
    // Only what the visitor can fix here: other outcomes have moved them to another step.
    let failure = move || match submit.value().get() {
        Some(Err(error @ ApiError::Network(_))) => Some((t.network_error.to_owned(), error)),
        Some(Err(error)) if error.status() != Some(409) => Some((error.to_string(), error)),
        _ => None,
    };

    let service = booking.service.get_untracked().unwrap_or_default();
    let price = match &service.price {
        Some(p) if p.amount > 0.0 => format::price(p.amount, p.currency.as_str(), lang),
        _ => t.free.to_owned(),
    };
    let when = move || {
        booking
            .slot
            .get()
            .and_then(|s| slot_instant(&s))
            .map(|ms| format::date_time(ms, &booking.zone.get(), lang))
            .unwrap_or_default()
    };
    let staff = booking
        .staff
        .get_untracked()
        .map(|s| s.label(t))
        .unwrap_or_default();
    let answers = move || {
        // Tracked: the summary fills in if the definition arrives after this step shows.
        let definition = definition.get().and_then(Result::ok).unwrap_or_default();
        booking.answers.with(|answers| {
            definition
                .items()
                .filter(|item| item.is_visible() && item.sub_item.is_empty())
                .filter_map(|item| {
                    let answer = answers.get(item.id.as_ref()?)?;
                    let text = answer_text(item, answer, t)?;
                    Some(view! {
                        <div class="bw-summary__row">
                            <dt>{item.title.clone().unwrap_or_default()}</dt>
                            <dd>{text}</dd>
                        </div>
                    })
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="bw-step" aria-labelledby="bw-step-review-title">
            <BackButton on_back/>
            <StepHeading id="bw-step-review-title" text=t.review_title.to_owned() focus/>
            <dl class="bw-summary">
                <div class="bw-summary__row"><dt>{t.service}</dt><dd>{service.name.clone()}</dd></div>
                {booking.resource_units.get_untracked().is_none().then(|| view! {
                    <div class="bw-summary__row"><dt>{t.staff}</dt><dd>{staff}</dd></div>
                })}
                <div class="bw-summary__row"><dt>{t.date_and_time}</dt><dd class="bw-summary__when">{when}</dd></div>
                {service.duration.map(|m| view! {
                    <div class="bw-summary__row"><dt>{t.duration}</dt><dd>{format::duration(m, lang)}</dd></div>
                })}
                <div class="bw-summary__row"><dt>{t.price}</dt><dd>{price}</dd></div>
                {answers}
            </dl>
            {move || failure().map(|(message, _)| view! {
                <ErrorNotice message on_retry=Callback::new(move |()| send())/>
            })}
            <div class="bw-actions">
                <button type="button" class="bw-button bw-button--primary bw-submit"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().to_string()
                    on:click=move |_| send()>
                    {move || if pending.get() { t.booking_in_progress } else { t.confirm_booking }}
                </button>
            </div>
        </section>
    }
}

/// The request for what `booking` holds; `None` before a slot is chosen.
pub fn booking_request(
    ctx: &WidgetContext,
    booking: Booking,
    definition: &Form,
) -> Option<PublicBookingRequest> {
    let extended: Map<String, Value> = ctx
        .config
        .extended_properties
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let (service_id, resource_id, resource_count) = match booking.target.get_untracked()? {
        BookingTarget::Resource { id, units } => (None, Some(id), Some(units)),
        BookingTarget::Service { id } => (Some(id), None, None),
        BookingTarget::Personal => return None,
    };
    Some(PublicBookingRequest {
        service_id,
        resource_id,
        resource_count,
        staff_id: booking.staff.get_untracked()?.id(),
        start: booking.slot.get_untracked()?,
        time_zone: Some(booking.zone.get_untracked()),
        lang: Some(ctx.lang.code().to_owned()),
        form: booking.answers.with_untracked(|a| fill(definition, a)),
        extended_properties: (!extended.is_empty()).then_some(extended),
        source: ctx.config.source.clone(),
        ..PublicBookingRequest::default()
    })
}

/// Moves the flow on after a booking attempt, and tells the host page.
fn settle(
    booking: Booking,
    result: &Result<PublicAppointment, ApiError>,
    definition: &Form,
    t: &'static Strings,
    announcer: Announcer,
    host: &Host,
) {
    match result {
        Ok(appointment) => {
            host.post(HostEvent::BookingSucceeded(appointment));
            announcer.say(t.booked_title);
            booking.appointment.set(Some(appointment.clone()));
        }
        Err(error) => {
            host.post(HostEvent::BookingFailed(error));
            if error.status() == Some(409) {
                // Someone was quicker: choose another time; answers stay as they are. (The server's
                // own message is English only; ours is in the visitor's language.)
                let message = t.slot_taken.to_owned();
                announcer.say(message.clone());
                booking.notice.set(Some(message));
                booking.slot.set(None);
                return;
            }
            let fields = errors_by_item(definition, error.fields());
            if !fields.is_empty() {
                announcer.say(t.check_answers);
                booking.server_errors.set(fields);
                booking.form_done.set(false);
            } else {
                announcer.say(error.to_string());
            }
        }
    }
}

/// How an answer reads in the summary; `None` when there is nothing to show.
fn answer_text(item: &FormItem, answer: &Answer, t: &Strings) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if is_choice(item) {
        parts.extend(
            item.options()
                .into_iter()
                .filter(|o| answer.chosen.contains(&option_key(o)))
                .map(|o| o.name.clone().unwrap_or_else(|| option_key(o))),
        );
    }
    let value = answer.value.trim();
    if !value.is_empty() {
        parts.push(match item.item_type {
            Some(FormItemType::File) => answer
                .file_name
                .clone()
                .unwrap_or_else(|| t.file_attached.to_owned()),
            _ => value.to_owned(),
        });
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}
