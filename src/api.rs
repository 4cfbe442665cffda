//! Every HTTP call the widget makes, and nothing else. The JSON types come from `booking-model`, the
//! same crate the server serializes with. Request bodies are written by its serde derives; answers
//! are read by [`crate::wire`] (the browser's `JSON.parse`), whose field names are written by hand
//! and checked against serde's reading by the `wire` browser test.

use std::fmt;

use booking_model::{
    BookingTarget, ErrorBody, FieldError, Form, FreeSlotsResponse, ListResponse, PublicAppointment,
    PublicBookingRequest, PublicCompany, PublicRescheduleRequest, PublicResource, PublicService,
    PublicStaff,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use js_sys::Reflect;
use send_wrapper::SendWrapper;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::wire::FromJs;
use crate::wire_out::{to_json, ToJs};

/// Why a call failed, in terms the UI can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server could not be reached (offline, DNS, CORS, server down): retrying may help.
    Network(String),
    /// The server answered with an error status; `message` is its explanation.
    Http {
        status: u16,
        message: String,
        body: Option<ErrorBody>,
    },
    /// The answer was not what the API promises (a bug on one side).
    Decode(String),
    /// The read was abandoned because the part of the widget that asked went away.
    Aborted,
}

impl ApiError {
    /// HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The invalid fields the server named (a 400), if any.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            ApiError::Http {
                body: Some(body), ..
            } => &body.error.fields,
            _ => &[],
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network(e) => write!(f, "network error: {e}"),
            ApiError::Http {
                status, message, ..
            } => write!(f, "{message} (HTTP {status})"),
            ApiError::Decode(e) => write!(f, "unexpected answer from the server: {e}"),
            ApiError::Aborted => f.write_str("request aborted"),
        }
    }
}

impl std::error::Error for ApiError {}

/// A client for one company's public widget API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `{origin}/api/2.1/scheduling/companies/{company}` — every public route hangs below it.
    company_base: String,
}

impl Api {
    /// A client for `company` on the server at `origin` (e.g. `https://book.example.com`; empty = this
    /// page's origin).
    pub fn new(origin: &str, company: &str) -> Self {
        let company = encode_component(company);
        Api {
            company_base: format!(
                "{}/api/2.1/scheduling/companies/{company}",
                origin.trim_end_matches('/')
            ),
        }
    }

    /// The services a visitor can book, names and descriptions in `lang`.
    pub async fn services(&self, lang: &str) -> Result<Vec<PublicService>, ApiError> {
        let url = format!(
            "{}/widget/services?lang={}",
            self.company_base,
            encode_component(lang)
        );
        let list: ListResponse<PublicService> = get_json(&url).await?;
        Ok(list.items)
    }

    /// The company's public profile (name, time zone, currency, address).
    pub async fn company(&self) -> Result<PublicCompany, ApiError> {
        get_json(&format!("{}/widget/company", self.company_base)).await
    }

    /// The staff who perform `service_id` and can be booked online.
    pub async fn staff(&self, service_id: &str) -> Result<Vec<PublicStaff>, ApiError> {
        let url = format!(
            "{}/widget/staff?serviceId={}",
            self.company_base,
            encode_component(service_id)
        );
        let list: ListResponse<PublicStaff> = get_json(&url).await?;
        Ok(list.items)
    }

    /// The resources a visitor can book on their own (a room, a court).
    pub async fn resources(&self) -> Result<Vec<PublicResource>, ApiError> {
        let url = format!("{}/widget/resources", self.company_base);
        let list: ListResponse<PublicResource> = get_json(&url).await?;
        Ok(list.items)
    }

    /// The form definition the visitor fills for `service_id`, titles in `lang`.
    pub async fn form(&self, service_id: &str, lang: &str) -> Result<Form, ApiError> {
        self.form_of("serviceId", service_id, lang).await
    }

    /// The form definition for a resource booked on its own.
    pub async fn resource_form(&self, resource_id: &str, lang: &str) -> Result<Form, ApiError> {
        self.form_of("resourceId", resource_id, lang).await
    }

    async fn form_of(&self, key: &str, id: &str, lang: &str) -> Result<Form, ApiError> {
        let url = format!(
            "{}/widget/form?{key}={}&lang={}",
            self.company_base,
            encode_component(id),
            encode_component(lang)
        );
        get_json(&url).await
    }

    /// Bookable start times between two days (inclusive, at most 62 days), grouped by day in
    /// `query.time_zone`.
    pub async fn free_slots(&self, query: &SlotQuery) -> Result<FreeSlotsResponse, ApiError> {
        let (key, id) = query.target.query_param().unwrap_or(("serviceId", ""));
        let mut url = format!(
            "{}/widget/freeSlots?startDate={}&endDate={}&{}={}&timeZone={}",
            self.company_base,
            query.start_date,
            query.end_date,
            key,
            encode_component(id),
            encode_component(&query.time_zone)
        );
        if let BookingTarget::Resource { units, .. } = &query.target {
            url.push_str(&format!("&resourceCount={units}"));
        }
        // No staffId means "any available".
        if let Some(staff) = &query.staff_id {
            url.push_str(&format!("&staffId={}", encode_component(staff)));
        }
        get_json(&url).await
    }

    /// Books a slot; 409 when someone else just took it, 400 naming the invalid fields.
    pub async fn book(
        &self,
        request: &PublicBookingRequest,
    ) -> Result<PublicAppointment, ApiError> {
        let url = format!("{}/widget/appointments", self.company_base);
        send_json(Request::post(&url), request).await
    }

    /// An appointment by the encrypted id of its links.
    pub async fn appointment(&self, encrypted_id: &str) -> Result<PublicAppointment, ApiError> {
        get_json(&self.appointment_url(encrypted_id)).await
    }

    /// Moves an appointment to another slot; 409 when that slot was just taken.
    pub async fn reschedule(
        &self,
        encrypted_id: &str,
        request: &PublicRescheduleRequest,
    ) -> Result<PublicAppointment, ApiError> {
        send_json(Request::put(&self.appointment_url(encrypted_id)), request).await
    }

    /// Cancels an appointment (its history says so in `lang`); answers with the cancelled
    /// appointment.
    pub async fn cancel(
        &self,
        encrypted_id: &str,
        lang: &str,
    ) -> Result<PublicAppointment, ApiError> {
        let url = format!(
            "{}?lang={}",
            self.appointment_url(encrypted_id),
            encode_component(lang)
        );
        let request = Request::delete(&url).header("Accept", "application/json");
        parse(&fetch_text(request, Abort::Never).await?)
    }

    /// Address of the appointment's iCalendar file (for an "add to calendar" link), its description
    /// in `lang`.
    pub fn calendar_url(&self, encrypted_id: &str, lang: &str) -> String {
        format!(
            "{}/calendar.ics?lang={}",
            self.appointment_url(encrypted_id),
            encode_component(lang)
        )
    }

    fn appointment_url(&self, encrypted_id: &str) -> String {
        format!(
            "{}/widget/appointments/{}",
            self.company_base,
            encode_component(encrypted_id)
        )
    }
}

/// Which free slots to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotQuery {
    /// What to book: a service, or units of a resource on its own.
    pub target: BookingTarget,
    /// A staff member, or `None` for any available.
    pub staff_id: Option<String>,
    /// First day, `yyyy-MM-dd`, in `time_zone`.
    pub start_date: chrono::NaiveDate,
    /// Last day (inclusive), at most 62 days after `start_date`.
    pub end_date: chrono::NaiveDate,
    /// The visitor's IANA zone: days and slots are expressed in it.
    pub time_zone: String,
}

async fn get_json<T: FromJs>(url: &str) -> Result<T, ApiError> {
    parse(&read_text(url).await?)
}

/// The single read path: the answer index.html already started fetching for exactly this URL
/// (`boot.js`), else a fresh request; a prefetch that failed to arrive is asked again.
async fn read_text(url: &str) -> Result<String, ApiError> {
    if let Some(prefetched) = Prefetched::take(url) {
        match prefetched.answer().await {
            Err(ApiError::Network(_)) => {}
            answer => return answer,
        }
    }
    let request = Request::get(url).header("Accept", "application/json");
    fetch_text(request, Abort::OnCleanup).await
}

async fn send_json<B: ToJs, T: FromJs>(request: RequestBuilder, body: &B) -> Result<T, ApiError> {
    let body = to_json(body);
    let request = request
        .header("Accept", "application/json")
        .header("Content-Type", "application/json");
    parse(&fetch_text_with(request, Some(body), Abort::Never).await?)
}

/// Whether a request may be abandoned when the reactive owner that started it is cleaned up.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Abort {
    /// Reads: when the step that asked unmounts, or its resource re-runs, the answer is no longer
    /// wanted, so the request is aborted instead of finishing in the background.
    OnCleanup,
    /// Writes run to completion: aborting one could leave the visitor not knowing whether the
    /// appointment was booked.
    Never,
}

async fn fetch_text(request: RequestBuilder, abort: Abort) -> Result<String, ApiError> {
    fetch_text_with(request, None, abort).await
}

/// Sends a request and returns the body of a 2xx answer. Not generic on purpose: every call shares
/// this one copy of the HTTP code (the widget's size budget), only `parse` is per type.
async fn fetch_text_with(
    request: RequestBuilder,
    body: Option<String>,
    abort: Abort,
) -> Result<String, ApiError> {
    let guard = match abort {
        Abort::OnCleanup => AbortGuard::new(),
        Abort::Never => None,
    };
    let request = request.abort_signal(guard.as_ref().map(AbortGuard::signal).as_ref());
    let request = match body {
        Some(body) => request.body(body),
        None => request.build(),
    }
    .map_err(|e| ApiError::Decode(e.to_string()))?;
    let aborted = |e: gloo_net::Error| match &guard {
        Some(guard) if guard.is_aborted() => ApiError::Aborted,
        _ => ApiError::Network(e.to_string()),
    };
    let response = request.send().await.map_err(aborted)?;
    answer_text(response, aborted).await
}

/// The body of a 2xx answer, else the server's error.
async fn answer_text(
    response: Response,
    aborted: impl Fn(gloo_net::Error) -> ApiError,
) -> Result<String, ApiError> {
    let status = response.status();
    let text = response.text().await.map_err(aborted)?;
    if response.ok() {
        return Ok(text);
    }
    let body: Option<ErrorBody> = crate::wire::parse(&text).ok();
    let message = body
        .as_ref()
        .map(|b| b.error.message.clone())
        .unwrap_or_else(|| response.status_text());
    Err(ApiError::Http {
        status,
        message,
        body,
    })
}

fn parse<T: FromJs>(text: &str) -> Result<T, ApiError> {
    crate::wire::parse(text).map_err(ApiError::Decode)
}

/// A read `boot.js` started before the wasm arrived, stored in
/// `window.__bookingWidgetBoot.reads[url]` as `{ response: Promise<Response>, controller }`.
struct Prefetched {
    response: js_sys::Promise,
    guard: AbortGuard,
}

impl Prefetched {
    /// Takes the read started for exactly `url`, once: a retry or a second widget asks afresh.
    fn take(url: &str) -> Option<Prefetched> {
        let window: JsValue = web_sys::window()?.into();
        let boot = Reflect::get(&window, &"__bookingWidgetBoot".into()).ok()?;
        let reads = Reflect::get(&boot, &"reads".into()).ok()?;
        let key = JsValue::from_str(url);
        let entry = Reflect::get(&reads, &key).ok().filter(JsValue::is_object)?;
        Reflect::delete_property(reads.dyn_ref::<js_sys::Object>()?, &key).ok()?;
        let response = Reflect::get(&entry, &"response".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let controller = Reflect::get(&entry, &"controller".into())
            .ok()?
            .dyn_into()
            .ok()?;
        // Same rules as a fresh read: aborted when its owner is cleaned up or the future dropped.
        Some(Prefetched {
            response,
            guard: AbortGuard::adopt(controller),
        })
    }

    async fn answer(self) -> Result<String, ApiError> {
        let guard = &self.guard;
        let failed = |e: String| {
            if guard.is_aborted() {
                ApiError::Aborted
            } else {
                ApiError::Network(e)
            }
        };
        let response = JsFuture::from(self.response)
            .await
            .map_err(|e| failed(format!("{e:?}")))?
            .dyn_into::<web_sys::Response>()
            .map_err(|_| ApiError::Network("not a Response".to_owned()))?;
        answer_text(Response::from(response), |e| failed(e.to_string())).await
    }
}

/// Aborts a read when the future awaiting it is dropped or when the current reactive owner (the
/// resource or component that asked) is cleaned up, whichever comes first.
struct AbortGuard(web_sys::AbortController);

impl AbortGuard {
    fn new() -> Option<AbortGuard> {
        web_sys::AbortController::new().ok().map(AbortGuard::adopt)
    }

    /// Guards a request already started with `controller`'s signal.
    fn adopt(controller: web_sys::AbortController) -> AbortGuard {
        let on_cleanup = SendWrapper::new(controller.clone());
        leptos::prelude::on_cleanup(move || on_cleanup.abort());
        AbortGuard(controller)
    }

    fn signal(&self) -> web_sys::AbortSignal {
        self.0.signal()
    }

    fn is_aborted(&self) -> bool {
        self.0.signal().aborted()
    }
}

impl Drop for AbortGuard {
    fn drop(&mut self) {
        // A no-op once the answer has been read.
        self.0.abort();
    }
}

/// Percent-encodes a URL path segment or query value.
fn encode_component(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

/// A UI catalogue file (see [`crate::i18n::load`]): static, content-hashed, cached for good.
pub async fn fetch_catalogue(url: &str) -> Result<String, ApiError> {
    fetch_text(Request::get(url), Abort::Never).await
}
