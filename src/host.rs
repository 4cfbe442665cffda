//! Events for the page that embeds the widget, sent with `window.parent.postMessage`:
//! `{source: "booking-widget", version: 1, type, payload}`.
//!
//! They go to the origin named by the `parentOrigin` URL parameter only. Without it, a widget in
//! an iframe posts to its referrer's origin (the page that loaded it) or, failing that, to `*`
//! (no payload carries client data); a widget that is not in an iframe posts nothing.

use booking_model::{PublicAppointment, PublicService};
use leptos::prelude::*;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::api::ApiError;

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

    /// The payload as JSON text. Serialized straight from the typed values: building a
    /// `serde_json::Value` first would ship its serializer in the wasm for nothing.
    fn payload(&self) -> String {
        fn json(v: &impl Serialize) -> String {
            serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned())
        }
        match self {
            HostEvent::Ready => "{}".to_owned(),
            HostEvent::ServiceSelected(service) => json(service),
            HostEvent::SlotSelected {
                start,
                service_id,
                staff_id,
            } => format!(
                r#"{{"start":{},"serviceId":{},"staffId":{}}}"#,
                json(start),
                json(service_id),
                json(staff_id)
            ),
            HostEvent::BookingSucceeded(a)
            | HostEvent::Rescheduled(a)
            | HostEvent::Cancelled(a) => json(a),
            HostEvent::BookingFailed(error) => format!(
                r#"{{"status":{},"message":{}}}"#,
                json(&error.status()),
                json(&error.to_string())
            ),
            HostEvent::Resize(height) => format!(r#"{{"height":{}}}"#, json(height)),
        }
    }

    /// The message as JSON text: `{"source", "version", "type", "payload"}`.
    pub fn message(&self) -> String {
        format!(
            r#"{{"source":"{SOURCE}","version":{VERSION},"type":"{}","payload":{}}}"#,
            self.kind(),
            self.payload()
        )
    }
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
        let text = event.message();
        // A JSON round trip gives the host a plain object, as if posted from JavaScript.
        if let Ok(message) = js_sys::JSON::parse(&text) {
            let _ = parent.post_message(&message, target);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_have_the_documented_shape() {
        let message: serde_json::Value =
            serde_json::from_str(&HostEvent::Resize(640.0).message()).expect("valid JSON");
        assert_eq!(
            message,
            serde_json::json!({"source": "booking-widget", "version": 1, "type": "resize",
                               "payload": {"height": 640.0}})
        );
        let slot = HostEvent::SlotSelected {
            start: "2026-12-01T09:00:00+01:00",
            service_id: Some("haircut"),
            staff_id: None,
        };
        let message: serde_json::Value = serde_json::from_str(&slot.message()).expect("valid JSON");
        assert_eq!(message["payload"]["start"], "2026-12-01T09:00:00+01:00");
        assert!(message["payload"]["staffId"].is_null());
    }
}
