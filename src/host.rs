//! Events for the page that embeds the widget, sent with `window.parent.postMessage`:
//! `{source: "booking-widget", version: 1, type, payload}`.
//!
//! They go to the origin named by the `parentOrigin` URL parameter only. Without it, a widget in
//! an iframe posts to its referrer's origin (the page that loaded it) or, failing that, to `*`
//! (no payload carries client data); a widget that is not in an iframe posts nothing.

use booking_model::{PublicAppointment, PublicService};
use js_sys::Object;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::api::ApiError;
use crate::wire_out::{set, ToJs};

/// `source` of every message, so hosts can tell ours apart.
pub const SOURCE: &str = "booking-widget";
/// `version` of the message format.
pub const VERSION: u32 = 1;

/// Something the host page may want to react to.
#[derive(Debug)]
pub enum HostEvent<'a> {
    /// The widget is on screen.
    Ready,
    /// The visitor chose a service.
    ServiceSelected(&'a PublicService),
    /// The visitor chose a time (the slot string, and the staff id when one was chosen).
    SlotSelected {
        /// The slot, as the server sent it.
        start: &'a str,
        /// The service id.
        service_id: Option<&'a str>,
        /// The staff id, `None` for any available.
        staff_id: Option<&'a str>,
    },
    /// Booked: the whole public appointment.
    BookingSucceeded(&'a PublicAppointment),
    /// Booking failed (status and message).
    BookingFailed(&'a ApiError),
    /// An appointment was moved.
    Rescheduled(&'a PublicAppointment),
    /// An appointment was cancelled.
    Cancelled(&'a PublicAppointment),
    /// The widget's content height changed, in CSS pixels.
    Resize(f64),
}

impl HostEvent<'_> {
    fn kind(&self) -> &'static str {
        match self {
            HostEvent::Ready => "ready",
            HostEvent::ServiceSelected(_) => "serviceSelected",
            HostEvent::SlotSelected { .. } => "slotSelected",
            HostEvent::BookingSucceeded(_) => "bookingSucceeded",
            HostEvent::BookingFailed(_) => "bookingFailed",
            HostEvent::Rescheduled(_) => "rescheduled",
            HostEvent::Cancelled(_) => "cancelled",
            HostEvent::Resize(_) => "resize",
        }
    }

    /// The payload, a plain object as if built by JavaScript (no JSON text round trip).
    fn payload(&self) -> JsValue {
        match self {
            HostEvent::Ready => Object::new().into(),
            HostEvent::ServiceSelected(service) => service.to_js(),
            HostEvent::SlotSelected {
                start,
                service_id,
                staff_id,
            } => object(&[
                ("start", start.to_js()),
                ("serviceId", service_id.to_js()),
                ("staffId", staff_id.to_js()),
            ]),
            HostEvent::BookingSucceeded(a)
            | HostEvent::Rescheduled(a)
            | HostEvent::Cancelled(a) => a.to_js(),
            HostEvent::BookingFailed(error) => object(&[
                ("status", error.status().to_js()),
                ("message", error.to_string().to_js()),
            ]),
            HostEvent::Resize(height) => object(&[("height", height.to_js())]),
        }
    }

    /// The message: `{source, version, type, payload}`.
    pub fn message(&self) -> JsValue {
        object(&[
            ("source", SOURCE.to_js()),
            ("version", JsValue::from(VERSION)),
            ("type", self.kind().to_js()),
            ("payload", self.payload()),
        ])
    }
}

/// An object with these fields, in this order (every one set, `null` included).
fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in fields {
        set(&object, name, value);
    }
    object.into()
}

/// Where events go; provided by the app, `Copy`-cheap to clone into handlers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Host {
    /// The `targetOrigin` to post with; `None` posts nothing.
    target: Option<String>,
}

impl Host {
    /// The host for a `parentOrigin` parameter (see the module docs for the rule).
    pub fn new(parent_origin: Option<&str>) -> Self {
        let target = match parent_origin {
            Some(origin) => Some(origin.to_owned()),
            None if in_iframe() => Some(referrer_origin().unwrap_or_else(|| "*".to_owned())),
            None => None,
        };
        Host { target }
    }

    /// Whether events are posted at all.
    pub fn is_active(&self) -> bool {
        self.target.is_some()
    }

    /// Posts `event` to the parent window.
    pub fn post(&self, event: HostEvent<'_>) {
        let Some(target) = &self.target else {
            return;
        };
        let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
            return;
        };
        let _ = parent.post_message(&event.message(), target);
    }
}

/// The app's host, or one that posts nothing (components mounted alone in tests).
pub fn use_host() -> Host {
    use_context::<Host>().unwrap_or_default()
}

fn in_iframe() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    match window.parent() {
        Ok(Some(parent)) => !JsValue::from(parent).loose_eq(&JsValue::from(window)),
        _ => false,
    }
}

fn referrer_origin() -> Option<String> {
    let referrer = web_sys::window()?.document()?.referrer();
    let url = web_sys::Url::new(&referrer).ok()?;
    Some(url.origin()).filter(|o| o != "null" && !o.is_empty())
}

/// Posts `resize` whenever `element`'s height changes, for hosts that size the iframe to fit.
pub fn observe_height(host: Host, element: &web_sys::Element) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    if !host.is_active() {
        return;
    }
    let last = std::cell::Cell::new(-1.0_f64);
    let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let Some(entry) = entries
            .get(0)
            .dyn_into::<web_sys::ResizeObserverEntry>()
            .ok()
        else {
            return;
        };
        let height = entry.target().scroll_height().into();
        if height != last.get() {
            last.set(height);
            host.post(HostEvent::Resize(height));
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(element);
        // The observer lives as long as the page: so does its callback.
        callback.forget();
    }
}
