use booking_model::{AppointmentStatus, BookingTarget, PublicAppointment, PublicCompany};
use leptos::prelude::*;

use super::confirmation::AppointmentDetails;
use super::time::TimeStep;
use crate::api::ApiError;
use crate::components::{use_announcer, ErrorNotice, SkeletonList, StepHeading};
use crate::config::ManageAction;
use crate::format;
use crate::host::{use_host, HostEvent};
use crate::zone::slot_instant;
use crate::WidgetContext;
use booking_model::PublicRescheduleRequest;

/// What the manage screen shows.
#[derive(Debug, Clone, PartialEq)]
enum Screen {
    /// The appointment, with "reschedule" and "cancel".
    Details,
    /// Picking a new time (an optional message: the last pick was taken).
    PickTime(Option<String>),
    /// Confirming the new time.
    ConfirmTime(String),
    /// Confirming the cancellation.
    ConfirmCancel,
    /// Done: moved or cancelled; the appointment as the server now has it.
    Finished(Box<PublicAppointment>, ManageAction),
}

/// The reschedule / cancel mode, opened by the link in a confirmation (`appointment=<encryptedId>
/// &action=reschedule|cancel`). Rescheduling reuses the time step.
#[component]
pub fn ManageAppointment(
    /// The appointment's encrypted id.
    encrypted_id: String,
    /// What the link asked for.
    action: ManageAction,
    /// The company, once loaded.
    #[prop(into)]
    company: Signal<Option<PublicCompany>>,
    /// The visitor's zone.
    zone: RwSignal<String>,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = ctx.strings();
    let api = StoredValue::new(ctx.api.clone());
    let id = StoredValue::new(encrypted_id);
    let appointment = LocalResource::new(move || {
        let api = api.get_value();
        async move { api.appointment(&id.get_value()).await }
    });
    let screen = RwSignal::new(match action {
        ManageAction::Reschedule => Screen::PickTime(None),
        ManageAction::Cancel => Screen::ConfirmCancel,
        ManageAction::View => Screen::Details,
    });
    let body = move || {
        Suspend::new(async move {
            match appointment.await {
                Ok(found) => {
                    view! { <ManageScreens appointment=found screen company zone/> }.into_any()
                }
                Err(error) => {
                    let message = match error.status() {
                        Some(404) => t.appointment_not_found.to_owned(),
                        _ => crate::components::describe(&error, t),
                    };
                    view! { <ErrorNotice message on_retry=Callback::new(move |()| appointment.refetch())/> }.into_any()
                }
            }
        })
    };
    view! {
        <Transition fallback=move || view! { <SkeletonList label=t.loading/> }>{body}</Transition>
    }
}

/// The screens of the manage mode for a loaded appointment.
#[component]
fn ManageScreens(
    /// The appointment as loaded.
    appointment: PublicAppointment,
    /// Which screen shows.
    screen: RwSignal<Screen>,
    /// The company.
    company: Signal<Option<PublicCompany>>,
    /// The visitor's zone.
    zone: RwSignal<String>,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let (t, lang) = (ctx.strings(), ctx.lang);
    let announcer = use_announcer();
    let host = StoredValue::new(use_host());
    let api = StoredValue::new(ctx.api.clone());
    let appointment = StoredValue::new(appointment);
    let encrypted_id =
        move || appointment.with_value(|a| a.encrypted_id.clone().unwrap_or_default());
    let cancelled = appointment.with_value(|a| {
        matches!(
            a.status,
            Some(AppointmentStatus::Cancelled | AppointmentStatus::Declined)
        )
    });

    let reschedule = Action::new_local(move |start: &String| {
        let request = PublicRescheduleRequest {
            start: start.clone(),
            staff_id: None,
            time_zone: Some(zone.get_untracked()),
            lang: Some(lang.code().to_owned()),
        };
        let (api, id) = (api.get_value(), encrypted_id());
        async move {
            let result = api.reschedule(&id, &request).await;
            match &result {
                Ok(moved) => {
                    host.with_value(|h| h.post(HostEvent::Rescheduled(moved)));
                    announcer.say(t.rescheduled_title);
                    screen.set(Screen::Finished(
                        Box::new(moved.clone()),
                        ManageAction::Reschedule,
                    ));
                }
                // The server says why (taken meanwhile, too close to the start, …): show its words
                // above the calendar, where the visitor can act on them.
                Err(ApiError::Http {
                    status: 409, body, ..
                }) => {
                    let message = refusal(body.as_ref(), t).to_owned();
                    announcer.say(message.clone());
                    screen.set(Screen::PickTime(Some(message)));
                }
                Err(error) => announcer.say(error.to_string()),
            }
            result
        }
    });
    let cancel = Action::new_local(move |(): &()| {
        let (api, id) = (api.get_value(), encrypted_id());
        async move {
            let result = api.cancel(&id, lang.code()).await;
            match &result {
                Ok(gone) => {
                    host.with_value(|h| h.post(HostEvent::Cancelled(gone)));
                    announcer.say(t.cancelled_title);
                    screen.set(Screen::Finished(
                        Box::new(gone.clone()),
                        ManageAction::Cancel,
                    ));
                }
                Err(error) => announcer.say(error.to_string()),
            }
            result
        }
    });
    // A refused reschedule (409) is shown above the calendar instead; a refused cancel is shown here,
    // in the visitor's language.
    let failure = move |value: Option<Result<PublicAppointment, ApiError>>,
                        conflicts_here: bool| {
        value.and_then(Result::err).and_then(|error| match &error {
            ApiError::Http {
                status: 409, body, ..
            } => conflicts_here
                .then(|| view! { <ErrorNotice message=refusal(body.as_ref(), t).to_owned()/> }),
            _ => {
                let message = crate::components::describe(&error, t);
                Some(view! { <ErrorNotice message/> })
            }
        })
    };

    let details = move || view! { <AppointmentDetails appointment=appointment.get_value() company zone=zone/> };
    move || {
        match screen.get() {
        _ if cancelled => view! {
            <section class="bw-step" aria-labelledby="bw-manage-title">
                <StepHeading id="bw-manage-title" text=t.already_cancelled.to_owned()/>
                {details()}
            </section>
        }
        .into_any(),
        Screen::Details => view! {
            <section class="bw-step" aria-labelledby="bw-manage-title">
                <StepHeading id="bw-manage-title" text=t.your_appointment.to_owned()/>
                {details()}
                <div class="bw-actions">
                    <button type="button" class="bw-button bw-button--primary"
                        on:click=move |_| screen.set(Screen::PickTime(None))>{t.reschedule}</button>
                    <button type="button" class="bw-button bw-button--secondary"
                        on:click=move |_| screen.set(Screen::ConfirmCancel)>{t.cancel_appointment}</button>
                </div>
            </section>
        }
        .into_any(),
        Screen::PickTime(notice) => {
            let (target, staff_id) = appointment.with_value(|a| {
                (
                    BookingTarget::from_ids(
                        a.service.as_ref().and_then(|s| s.id.as_deref()),
                        a.resource.as_ref().and_then(|r| r.id.as_deref()),
                        a.resource_count,
                    )
                    .unwrap_or(BookingTarget::Personal),
                    a.staff.as_ref().and_then(|s| s.id.clone()),
                )
            });
            view! {
                <TimeStep target staff_id zone notice title=t.choose_new_time focus=true
                    on_back=Some(Callback::new(move |()| screen.set(Screen::Details)))
                    on_select=Callback::new(move |slot| screen.set(Screen::ConfirmTime(slot)))/>
            }
            .into_any()
        }
        Screen::ConfirmTime(slot) => {
            let when = slot_instant(&slot).map(|ms| format::date_time(ms, &zone.get_untracked(), lang));
            let pending = reschedule.pending();
            view! {
                <section class="bw-step" aria-labelledby="bw-manage-title">
                    <StepHeading id="bw-manage-title" text=t.confirm_new_time.to_owned() focus=true/>
                    <p class="bw-summary__when">{when}</p>
                    {move || failure(reschedule.value().get(), false)}
                    <div class="bw-actions">
                        <button type="button" class="bw-button bw-button--secondary"
                            on:click=move |_| screen.set(Screen::PickTime(None))>{t.choose_another_time}</button>
                        <button type="button" class="bw-button bw-button--primary bw-submit"
                            disabled=move || pending.get() aria-busy=move || pending.get().to_string()
                            on:click=move |_| { reschedule.dispatch(slot.clone()); }>
                            {move || if pending.get() { t.saving } else { t.confirm_new_time_button }}
                        </button>
                    </div>
                </section>
            }
            .into_any()
        }
        Screen::ConfirmCancel => {
            let pending = cancel.pending();
            view! {
                <section class="bw-step" aria-labelledby="bw-manage-title">
                    <StepHeading id="bw-manage-title" text=t.cancel_question.to_owned() focus=true/>
                    {details()}
                    {move || failure(cancel.value().get(), true)}
                    <div class="bw-actions">
                        <button type="button" class="bw-button bw-button--secondary"
                            on:click=move |_| screen.set(Screen::Details)>{t.keep_appointment}</button>
                        <button type="button" class="bw-button bw-button--danger bw-submit"
                            disabled=move || pending.get() aria-busy=move || pending.get().to_string()
                            on:click=move |_| { cancel.dispatch(()); }>
                            {move || if pending.get() { t.saving } else { t.confirm_cancel }}
                        </button>
                    </div>
                </section>
            }
            .into_any()
        }
        Screen::Finished(result, what) => {
            let title = match what {
                ManageAction::Cancel => t.cancelled_title,
                _ => t.rescheduled_title,
            };
            view! {
                <section class="bw-step" aria-labelledby="bw-manage-title">
                    <StepHeading id="bw-manage-title" text=title.to_owned() focus=true/>
                    <AppointmentDetails appointment=*result company zone=zone/>
                </section>
            }
            .into_any()
        }
    }
    }
}

/// The visitor's-language text for a 409, by the server's machine-readable reason.
fn refusal(
    body: Option<&booking_model::ErrorBody>,
    t: &'static crate::i18n::Strings,
) -> &'static str {
    use booking_model::api::{REASON_ALREADY_CANCELLED, REASON_OVER, REASON_TOO_LATE};
    match body.and_then(|b| b.reason()) {
        Some(REASON_TOO_LATE) => t.too_late_to_change,
        Some(REASON_OVER) => t.appointment_over,
        Some(REASON_ALREADY_CANCELLED) => t.already_cancelled,
        _ => t.slot_taken,
    }
}
