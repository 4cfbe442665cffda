//! What the widget writes: request bodies and host messages, built as browser objects field by field
//! ([`ToJs`]) and turned into text by `JSON.stringify`.
//!
//! Why not serde: serde_json's serializer (its writer, string escaping and float formatting,
//! instantiated for every field of every type written) is bytes of wasm the browser already has.
//! The rules are serde's for these types: an optional field that is `None` and an empty list are left
//! out (`skip_serializing_if`), fields keep the model's order and JSON names, so a body is the text
//! serde wrote (`tests/wire.rs` compares them). One difference serde cannot see: JavaScript orders an
//! object's integer-like keys ("2", "10") first and numerically, so an extended property map with such
//! keys comes out in another order (same object for the server, which reads it into a map).

use booking_model::{
    AppointmentStatus, Currency, DateTimeZone, Form, FormItem, FormItemType, FormObject,
    FormObjectType, FormValue, Location, MeetingProvider, OnlineMeeting, Price, PublicAppointment,
    PublicBookingRequest, PublicRescheduleRequest, PublicService, RescheduleLink, ResourceRef,
    ServiceRef, StaffRef, ValueFormat, ZonedDateTime,
};
use js_sys::{Array, Object, Reflect, JSON};
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

/// `value` as JSON text, as serde_json would write it.
pub fn to_json(value: &impl ToJs) -> String {
    JSON::stringify(&value.to_js())
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// A value written as a browser value (then `JSON.stringify`d or posted as is).
pub trait ToJs {
    /// The browser value.
    fn to_js(&self) -> JsValue;

    /// Whether a field holding this is left out: `None` and empty lists are, as serde's
    /// `skip_serializing_if` on every optional and list field of the model.
    fn skipped(&self) -> bool {
        false
    }
}

/// Sets `name` on `object`; non-generic so each field costs one call.
pub fn set(object: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(name), value);
}

impl<T: ToJs + ?Sized> ToJs for &T {
    fn to_js(&self) -> JsValue {
        (**self).to_js()
    }

    fn skipped(&self) -> bool {
        (**self).skipped()
    }
}

impl<T: ToJs> ToJs for Option<T> {
    fn to_js(&self) -> JsValue {
        self.as_ref().map_or(JsValue::NULL, ToJs::to_js)
    }

    fn skipped(&self) -> bool {
        self.is_none()
    }
}

impl<T: ToJs> ToJs for Vec<T> {
    fn to_js(&self) -> JsValue {
        self.iter().map(ToJs::to_js).collect::<Array>().into()
    }

    fn skipped(&self) -> bool {
        self.is_empty()
    }
}

impl ToJs for str {
    fn to_js(&self) -> JsValue {
        JsValue::from_str(self)
    }
}

impl ToJs for String {
    fn to_js(&self) -> JsValue {
        JsValue::from_str(self)
    }
}

impl ToJs for bool {
    fn to_js(&self) -> JsValue {
        JsValue::from_bool(*self)
    }
}

impl ToJs for f64 {
    fn to_js(&self) -> JsValue {
        JsValue::from_f64(*self)
    }
}

impl ToJs for u16 {
    fn to_js(&self) -> JsValue {
        JsValue::from_f64((*self).into())
    }
}

impl ToJs for u32 {
    fn to_js(&self) -> JsValue {
        JsValue::from_f64((*self).into())
    }
}

macro_rules! as_text {
    ($($ty:ty),+) => {
        $(impl ToJs for $ty {
            fn to_js(&self) -> JsValue {
                JsValue::from_str(self.as_str())
            }
        })+
    };
}

as_text!(
    Currency,
    Location,
    AppointmentStatus,
    MeetingProvider,
    FormItemType,
    FormObjectType
);

/// `impl ToJs` for a struct: each field with its JSON name, in the model's order. Every field is
/// listed, so a field added to the model fails to compile here until it is written.
macro_rules! to_fields {
    ($ty:ident { $($field:ident: $name:literal),+ $(,)? }) => {
        impl ToJs for $ty {
            fn to_js(&self) -> JsValue {
                let $ty { $($field),+ } = self;
                let object = Object::new();
                $(if !$field.skipped() {
                    set(&object, $name, &$field.to_js());
                })+
                object.into()
            }
        }
    };
}

to_fields!(PublicBookingRequest {
    service_id: "serviceId",
    resource_id: "resourceId",
    resource_count: "resourceCount",
    staff_id: "staffId",
    start: "start",
    time_zone: "timeZone",
    lang: "lang",
    form: "form",
    add_to_waiting_list: "addToWaitingList",
    extended_properties: "extendedProperties",
    source: "source",
});

to_fields!(PublicRescheduleRequest {
    start: "start",
    staff_id: "staffId",
    time_zone: "timeZone",
    lang: "lang",
});

to_fields!(Form {
    id: "id",
    name: "name",
    contact_fields: "contactFields",
    additional_fields: "additionalFields",
    objects: "objects",
});

to_fields!(FormItem {
    id: "id",
    item_type: "type",
    title: "title",
    bind: "bind",
    bind_group: "bindGroup",
    external_id: "externalId",
    help: "help",
    placeholder: "placeholder",
    mandatory: "mandatory",
    visible: "visible",
    other_value: "otherValue",
    category: "category",
    multiple: "multiple",
    file_name: "fileName",
    value: "value",
    values: "values",
    value_format: "valueFormat",
    zoned_date_time: "zonedDateTime",
    sub_item: "subItem",
});

to_fields!(FormValue {
    id: "id",
    name: "name",
    value: "value",
    values: "values",
});

to_fields!(ValueFormat {
    max_length: "maxLength",
    min_length: "minLength",
    regex_type: "regexType",
    regex_value: "regexValue",
    value_format: "valueFormat",
});

to_fields!(ZonedDateTime {
    date_time: "dateTime",
    time_zone: "timeZone",
});

to_fields!(FormObject {
    id: "id",
    object_type: "type",
});

to_fields!(Price {
    amount: "amount",
    currency: "currency"
});

to_fields!(PublicService {
    id: "id",
    name: "name",
    description: "description",
    duration: "duration",
    price: "price",
    capacity: "capacity",
    locations: "locations",
    staff_ids: "staffIds",
    waiting_list: "waitingList",
    requires_validation: "requiresValidation",
});

to_fields!(ServiceRef {
    id: "id",
    name: "name",
    external_id: "externalId",
});

to_fields!(StaffRef {
    id: "id",
    first_name: "firstName",
    last_name: "lastName",
    external_id: "externalId",
});

to_fields!(ResourceRef {
    id: "id",
    name: "name",
    external_id: "externalId",
});

to_fields!(DateTimeZone {
    date_time: "dateTime",
    time_zone: "timeZone",
});

to_fields!(OnlineMeeting {
    provider: "provider",
    video_link: "videoLink",
});

to_fields!(RescheduleLink { url: "url" });

to_fields!(PublicAppointment {
    id: "id",
    reference: "reference",
    encrypted_id: "encryptedId",
    start: "start",
    end: "end",
    service: "service",
    staff: "staff",
    resource: "resource",
    resource_count: "resourceCount",
    location: "location",
    location_custom: "locationCustom",
    online_meeting: "onlineMeeting",
    price: "price",
    status: "status",
    reschedule_link: "rescheduleLink",
    extended_properties: "extendedProperties",
    add_to_waiting_list: "addToWaitingList",
});

/// Free-form JSON (extended properties): a number as the browser has it (the widget only writes
/// what it read, or strings).
impl ToJs for Value {
    fn to_js(&self) -> JsValue {
        match self {
            Value::Null => JsValue::NULL,
            Value::Bool(b) => JsValue::from_bool(*b),
            Value::Number(n) => n.as_f64().map_or(JsValue::NULL, JsValue::from_f64),
            Value::String(s) => JsValue::from_str(s),
            Value::Array(items) => items.iter().map(ToJs::to_js).collect::<Array>().into(),
            Value::Object(map) => map.to_js(),
        }
    }
}

impl ToJs for Map<String, Value> {
    fn to_js(&self) -> JsValue {
        let object = Object::new();
        for (key, value) in self {
            set(&object, key, &value.to_js());
        }
        object.into()
    }
}
