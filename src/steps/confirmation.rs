use booking_model::{AppointmentStatus, Location, PublicAppointment, PublicCompany};
use leptos::prelude::*;
use serde_json::Value;

use crate::components::StepHeading;
use crate::config::encode_query_value;
use crate::flow::staff_name;
use crate::format;
use crate::i18n::Strings;
use crate::zone::ZoneClock;
use crate::WidgetContext;

/// Step 6: what was booked, with links to add it to a calendar and to change or cancel it.
#[component]
pub fn ConfirmationStep(
    /// The appointment the server created.
    appointment: PublicAppointment,
    /// The company (for its zone and address), once loaded.
    #[prop(into)]
    company: Signal<Option<PublicCompany>>,
    /// The visitor's zone.
    #[prop(into)]
    zone: Signal<String>,
    /// Whether the heading takes focus.
    #[prop(optional)]
    focus: bool,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = ctx.strings();
    let pending = appointment.status == Some(AppointmentStatus::Pending);
    let title = if pending {
        t.request_sent_title
    } else {
        t.booked_title
    };
    let links = appointment.encrypted_id.clone().map(|id| {
        let page = page_address();
        let reschedule = ctx.config.manage_link(&page, &id, "reschedule");
        let cancel = ctx.config.manage_link(&page, &id, "cancel");
        let ics = ctx.api.calendar_url(&id, ctx.lang.code());
        let appointment = appointment.clone();
        let google = move || google_calendar_link(&appointment, company.get().as_ref());
        view! {
            <div class="bw-links">
                <h3 class="bw-links__title">{t.add_to_calendar}</h3>
                <p class="bw-links__row">
                    <a class="bw-button bw-button--secondary" href=ics download="appointment.ics">{t.download_ics}</a>
                    " "
                    <a class="bw-button bw-button--secondary" href=google target="_blank" rel="noopener noreferrer">
                        {t.google_calendar}<span class="bw-visually-hidden">" "{t.opens_new_window}</span>
                    </a>
                </p>
                <p class="bw-links__row">
                    <a class="bw-link bw-link--reschedule" href=reschedule>{t.reschedule}</a>
                    " · "
                    <a class="bw-link bw-link--cancel" href=cancel>{t.cancel_appointment}</a>
                </p>
            </div>
        }
    });
    view! {
        <section class="bw-step bw-confirmation" aria-labelledby="bw-step-done-title">
            <StepHeading id="bw-step-done-title" text=title.to_owned() focus/>
            {pending.then(|| view! { <p class="bw-notice">{t.request_sent_help}</p> })}
            <AppointmentDetails appointment=appointment.clone() company zone/>
            {links}
        </section>
    }
}

/// The facts of an appointment: reference, service, staff, time in the visitor's and the
/// company's zones, place, price and the public extended properties.
#[component]
pub fn AppointmentDetails(
    /// The appointment.
    appointment: PublicAppointment,
    /// The company, once loaded.
    #[prop(into)]
    company: Signal<Option<PublicCompany>>,
    /// The visitor's zone.
    #[prop(into)]
    zone: Signal<String>,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let (t, lang) = (ctx.strings(), ctx.lang);
    let start = {
        let appointment = appointment.clone();
        Memo::new(move |_| start_instant(&appointment, company.get().as_ref()))
    };
    let visitor_time = move || {
        start
            .get()
            .map(|ms| format::date_time(ms, &zone.get(), lang))
            .unwrap_or_default()
    };
    // The company's time only when it differs from the visitor's (travellers, remote clients).
    let company_time = move || {
        let company_zone = company.get().and_then(|c| c.time_zone)?;
        let ms = start.get()?;
        (company_zone != zone.get()).then(|| {
            view! {
                <div class="bw-summary__row">
                    <dt>{t.company_time}</dt>
                    <dd class="bw-summary__company-time">
                        {format::date_time(ms, &company_zone, lang)}" ("{company_zone.replace('_', " ")}")"
                    </dd>
                </div>
            }
        })
    };
    let place = {
        let appointment = appointment.clone();
        move || place_view(&appointment, company.get().as_ref(), t)
    };
    let price = appointment.price.map(|p| {
        if p.amount > 0.0 {
            format::price(p.amount, p.currency.as_str(), lang)
        } else {
            t.free.to_owned()
        }
    });
    let properties = appointment
        .extended_properties
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|(key, value)| {
            let text = match value {
                Value::String(s) => s,
                other => crate::wire_out::to_json(&other),
            };
            view! { <div class="bw-summary__row bw-summary__property"><dt>{key}</dt><dd>{text}</dd></div> }
        })
        .collect::<Vec<_>>();
    let status = appointment.status.map(|s| status_text(s, t));
    view! {
        <dl class="bw-summary">
            {appointment.reference.clone().map(|r| view! {
                <div class="bw-summary__row"><dt>{t.reference}</dt><dd class="bw-summary__reference">{r}</dd></div>
            })}
            {status.map(|s| view! { <div class="bw-summary__row"><dt>{t.status}</dt><dd class="bw-summary__status">{s}</dd></div> })}
            {appointment.service.as_ref().and_then(|s| s.name.clone())
                .or_else(|| appointment.resource.as_ref().and_then(|r| r.name.clone()))
                .map(|name| view! {
                <div class="bw-summary__row"><dt>{t.service}</dt><dd>{name}</dd></div>
            })}
            {appointment.staff.as_ref().map(|s| {
                let name = staff_name(&booking_model::PublicStaff {
                    first_name: s.first_name.clone(),
                    last_name: s.last_name.clone(),
                    ..Default::default()
                });
                view! { <div class="bw-summary__row"><dt>{t.staff}</dt><dd>{name}</dd></div> }
            })}
            <div class="bw-summary__row"><dt>{t.date_and_time}</dt><dd class="bw-summary__when">{visitor_time}</dd></div>
            {company_time}
            {place}
            {price.map(|p| view! { <div class="bw-summary__row"><dt>{t.price}</dt><dd>{p}</dd></div> })}
            {properties}
        </dl>
    }
}

fn status_text(status: AppointmentStatus, t: &Strings) -> &'static str {
    match status {
        AppointmentStatus::Accepted
        | AppointmentStatus::InProgress
        | AppointmentStatus::Completed => t.status_confirmed,
        AppointmentStatus::Pending => t.status_pending,
        AppointmentStatus::Cancelled | AppointmentStatus::Declined | AppointmentStatus::NoShow => {
            t.status_cancelled
        }
    }
}

/// Where it happens: the company's address, the video link, by phone, or the custom place.
fn place_view(
    appointment: &PublicAppointment,
    company: Option<&PublicCompany>,
    t: &'static Strings,
) -> impl IntoView + use<> {
    let row = |content: AnyView| {
        view! { <div class="bw-summary__row"><dt>{t.location}</dt><dd class="bw-summary__place">{content}</dd></div> }
    };
    let content = match appointment.location.unwrap_or_default() {
        Location::Videoconference => match appointment.online_meeting.as_ref().and_then(|m| m.video_link.clone()) {
            Some(link) => view! {
                <a class="bw-link" href=link.clone() target="_blank" rel="noopener noreferrer">{t.join_video}</a>
            }
            .into_any(),
            None => t.video_link_later.into_any(),
        },
        Location::Phone => t.by_phone.into_any(),
        Location::Custom => appointment.location_custom.clone().unwrap_or_default().into_any(),
        Location::CompanyAddress => match company.and_then(address_line) {
            Some(line) => line.into_any(),
            None => return None,
        },
    };
    Some(row(content))
}

/// "Atelier Lumière, 12 rue des Lilas, 75011 Paris".
fn address_line(company: &PublicCompany) -> Option<String> {
    let address = company.address.as_ref()?;
    let city = [&address.zip_code, &address.city]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    let parts: Vec<String> = [
        company.name.clone(),
        address.street.clone(),
        address.other_street.clone(),
    ]
    .into_iter()
    .flatten()
    .chain((!city.is_empty()).then_some(city))
    .filter(|p| !p.is_empty())
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The appointment's start as an instant: its local time in its zone (else the company's).
pub fn start_instant(
    appointment: &PublicAppointment,
    company: Option<&PublicCompany>,
) -> Option<f64> {
    instant_of(appointment.start.as_ref()?, company)
}

fn instant_of(time: &booking_model::DateTimeZone, company: Option<&PublicCompany>) -> Option<f64> {
    let zone = time
        .time_zone
        .clone()
        .or_else(|| company.and_then(|c| c.time_zone.clone()))?;
    ZoneClock::new(&zone)?.instant_of(time.parse_local().ok()?)
}

/// `yyyyMMddTHHmmssZ` of an instant, from the browser's `toISOString` (`yyyy-MM-ddTHH:mm:ss.sssZ`):
/// chrono's strftime would be bytes of wasm for one format.
fn compact_utc(epoch_ms: f64) -> Option<String> {
    let date = js_sys::Date::new(&epoch_ms.into());
    if date.get_time().is_nan() {
        return None;
    }
    let iso = String::from(date.to_iso_string());
    let digits: String = iso.chars().filter(|c| !matches!(c, '-' | ':')).collect();
    // Four-digit years only (others are written with a sign).
    (digits.len() == 20 && digits.as_bytes()[8] == b'T').then(|| format!("{}Z", &digits[..15]))
}

/// A Google Calendar "new event" link prefilled with the appointment.
pub fn google_calendar_link(
    appointment: &PublicAppointment,
    company: Option<&PublicCompany>,
) -> String {
    let utc = |ms: f64| compact_utc(ms).unwrap_or_default();
    let start = start_instant(appointment, company);
    let end = appointment
        .end
        .as_ref()
        .and_then(|e| instant_of(e, company))
        .or(start);
    let title = appointment
        .service
        .as_ref()
        .and_then(|s| s.name.clone())
        .unwrap_or_default();
    let title = match company.and_then(|c| c.name.clone()) {
        Some(name) => format!("{title} — {name}"),
        None => title,
    };
    let mut link = format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}",
        encode_query_value(&title)
    );
    if let (Some(start), Some(end)) = (start, end) {
        link.push_str(&format!("&dates={}/{}", utc(start), utc(end)));
    }
    if let Some(reference) = &appointment.reference {
        link.push_str(&format!(
            "&details={}",
            encode_query_value(&format!("Ref. {reference}"))
        ));
    }
    let place = match appointment.location.unwrap_or_default() {
        Location::Videoconference => appointment
            .online_meeting
            .as_ref()
            .and_then(|m| m.video_link.clone()),
        Location::Custom => appointment.location_custom.clone(),
        Location::CompanyAddress => company.and_then(address_line),
        Location::Phone => None,
    };
    if let Some(place) = place {
        link.push_str(&format!("&location={}", encode_query_value(&place)));
    }
    link
}

/// This page's address without its query, the base of manage links.
fn page_address() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default()
}
