//! The server's JSON answers, parsed by the browser's `JSON.parse` and read field by field into the
//! `booking-model` types with `Reflect`.
//!
//! Why not serde: deserializing with serde_json instantiates its parser for every field of every
//! type, about 80 KB of the wasm (`cargo xtask size`); here each field is one property read. The rules
//! are serde's, so an answer reads the same as before: a missing or `null` optional field is `None`,
//! a missing list is empty, a missing required field, a wrong type or an unknown enum spelling is an
//! error naming the field. Unknown fields are ignored.

use std::str::FromStr;

use booking_model::{
    Address, AppointmentStatus, Currency, DateTimeZone, DaySlots, ErrorBody, ErrorDetail,
    FieldError, Form, FormItem, FormItemType, FormObject, FormObjectType, FormValue,
    FreeSlotsResponse, ListResponse, Location, MeetingProvider, OnlineMeeting, Price,
    PublicAppointment, PublicCompany, PublicResource, PublicService, PublicStaff, RescheduleLink,
    ResourceRef, ServiceRef, StaffRef, ValueFormat, ZonedDateTime,
};
use js_sys::{Array, Object, Reflect, JSON};
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

/// Parses `text` as JSON and reads a `T` from it; the error says which field was wrong.
pub fn parse<T: FromJs>(text: &str) -> Result<T, String> {
    let value = JSON::parse(text).map_err(|_| "not JSON".to_owned())?;
    T::from_js(&value)
}

/// A value read from a parsed JSON value.
pub trait FromJs: Sized {
    /// Reads `value`.
    fn from_js(value: &JsValue) -> Result<Self, String>;

    /// What an absent field gives: an error, unless the type has a default (`Option`, `Vec`).
    fn absent() -> Result<Self, String> {
        Err("missing".to_owned())
    }
}

/// The fields of a JSON object.
struct Fields<'a>(&'a JsValue);

impl<'a> Fields<'a> {
    fn of(value: &'a JsValue) -> Result<Self, String> {
        if value.is_object() && !Array::is_array(value) {
            Ok(Fields(value))
        } else {
            Err("expected an object".to_owned())
        }
    }

    fn get<T: FromJs>(&self, name: &str) -> Result<T, String> {
        let value = Reflect::get(self.0, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
        if value.is_undefined() {
            T::absent()
        } else {
            T::from_js(&value)
        }
        .map_err(|e| format!("{name}: {e}"))
    }
}

impl<T: FromJs> FromJs for Option<T> {
    fn from_js(value: &JsValue) -> Result<Self, String> {
        if value.is_null() {
            Ok(None)
        } else {
            T::from_js(value).map(Some)
        }
    }

    fn absent() -> Result<Self, String> {
        Ok(None)
    }
}

impl<T: FromJs> FromJs for Vec<T> {
    fn from_js(value: &JsValue) -> Result<Self, String> {
        let array = value
            .dyn_ref::<Array>()
            .ok_or_else(|| "expected an array".to_owned())?;
        array.iter().map(|item| T::from_js(&item)).collect()
    }

    fn absent() -> Result<Self, String> {
        Ok(Vec::new())
    }
}

impl FromJs for String {
    fn from_js(value: &JsValue) -> Result<Self, String> {
        value
            .as_string()
            .ok_or_else(|| "expected a string".to_owned())
    }
}

impl FromJs for bool {
    fn from_js(value: &JsValue) -> Result<Self, String> {
        value
            .as_bool()
            .ok_or_else(|| "expected true or false".to_owned())
    }
}

impl FromJs for f64 {
    fn from_js(value: &JsValue) -> Result<Self, String> {
        value.as_f64().ok_or_else(|| "expected a number".to_owned())
    }
}

/// A whole number in `0..=max`, as serde reads an unsigned integer.
fn whole(value: &JsValue, max: f64) -> Result<f64, String> {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=max).contains(&n) => Ok(n),
        _ => Err("expected a whole number".to_owned()),
    }
}

impl FromJs for u16 {
    fn from_js(value: &JsValue) -> Result<Self, String> {
        whole(value, u16::MAX.into()).map(|n| n as u16)
    }
}

impl FromJs for u32 {
    fn from_js(value: &JsValue) -> Result<Self, String> {
        whole(value, u32::MAX.into()).map(|n| n as u32)
    }
}

impl FromJs for u64 {
    fn from_js(value: &JsValue) -> Result<Self, String> {
        // Beyond 2^53 JSON.parse has already rounded; no limit the server sends comes near it.
        whole(value, 9_007_199_254_740_991.0).map(|n| n as u64)
    }
}

/// A value written as a string and read with `FromStr` (enums, dates).
fn from_text<T: FromStr>(value: &JsValue) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    String::from_js(value)?
        .parse()
        .map_err(|e: T::Err| e.to_string())
}

macro_rules! from_text {
    ($($ty:ty),+) => {
        $(impl FromJs for $ty {
            fn from_js(value: &JsValue) -> Result<Self, String> {
                from_text(value)
            }
        })+
    };
}

from_text!(
    Currency,
    Location,
    AppointmentStatus,
    MeetingProvider,
    FormItemType,
    FormObjectType,
    chrono::NaiveDate
);

/// `impl FromJs` for a struct: each field with its JSON name. Every field is listed, so a field
/// added to the model fails to compile here until it is read.
macro_rules! from_fields {
    ($ty:ident { $($field:ident: $name:literal),+ $(,)? }) => {
        impl FromJs for $ty {
            fn from_js(value: &JsValue) -> Result<Self, String> {
                let fields = Fields::of(value)?;
                Ok($ty { $($field: fields.get($name)?),+ })
            }
        }
    };
}

impl<T: FromJs> FromJs for ListResponse<T> {
    fn from_js(value: &JsValue) -> Result<Self, String> {
        let fields = Fields::of(value)?;
        Ok(ListResponse {
            items: fields.get("items")?,
            next_sync_token: fields.get("nextSyncToken")?,
            next_page_token: fields.get("nextPageToken")?,
        })
    }
}

from_fields!(Price {
    amount: "amount",
    currency: "currency"
});

from_fields!(PublicService {
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

from_fields!(Address {
    street: "street",
    other_street: "otherStreet",
    zip_code: "zipCode",
    state: "state",
    city: "city",
    country: "country",
});

from_fields!(PublicCompany {
    id: "id",
    name: "name",
    time_zone: "timeZone",
    currency: "currency",
    description: "description",
    address: "address",
    email: "email",
    phone: "phone",
});

from_fields!(PublicStaff {
    id: "id",
    first_name: "firstName",
    last_name: "lastName",
    title: "title",
    description: "description",
    color: "color",
    avatar_url: "avatarUrl",
    service_ids: "serviceIds",
});

from_fields!(PublicResource {
    id: "id",
    name: "name",
    duration: "duration",
    count: "count",
    price: "price",
});

from_fields!(Form {
    id: "id",
    name: "name",
    contact_fields: "contactFields",
    additional_fields: "additionalFields",
    objects: "objects",
});

from_fields!(FormItem {
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

from_fields!(FormValue {
    id: "id",
    name: "name",
    value: "value",
    values: "values",
});

from_fields!(ValueFormat {
    max_length: "maxLength",
    min_length: "minLength",
    regex_type: "regexType",
    regex_value: "regexValue",
    value_format: "valueFormat",
});

from_fields!(ZonedDateTime {
    date_time: "dateTime",
    time_zone: "timeZone",
});

from_fields!(FormObject {
    id: "id",
    object_type: "type",
});

from_fields!(FreeSlotsResponse {
    items: "items",
    service: "service",
    staff: "staff",
});

from_fields!(DaySlots {
    day: "day",
    time_zone: "timeZone",
    slots: "slots",
});

from_fields!(ServiceRef {
    id: "id",
    name: "name",
    external_id: "externalId",
});

from_fields!(StaffRef {
    id: "id",
    first_name: "firstName",
    last_name: "lastName",
    external_id: "externalId",
});

from_fields!(ResourceRef {
    id: "id",
    name: "name",
    external_id: "externalId",
});

from_fields!(DateTimeZone {
    date_time: "dateTime",
    time_zone: "timeZone",
});

from_fields!(OnlineMeeting {
    provider: "provider",
    video_link: "videoLink",
});

from_fields!(RescheduleLink { url: "url" });

from_fields!(PublicAppointment {
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

from_fields!(ErrorBody { error: "error" });

from_fields!(ErrorDetail {
    code: "code",
    message: "message",
    reason: "reason",
    fields: "fields",
});

from_fields!(FieldError {
    name: "name",
    reason: "reason",
    code: "code",
    limit: "limit",
});

/// Free-form JSON (extended properties). Whole numbers come back as integers, as serde_json reads
/// them; `JSON.parse` cannot tell `3.0` from `3`.
impl FromJs for Value {
    fn from_js(value: &JsValue) -> Result<Self, String> {
        if value.is_null() {
            return Ok(Value::Null);
        }
        if let Some(b) = value.as_bool() {
            return Ok(Value::Bool(b));
        }
        if let Some(n) = value.as_f64() {
            const EXACT: f64 = 9_007_199_254_740_992.0;
            let number = if n.fract() == 0.0 && n.abs() < EXACT {
                if n >= 0.0 {
                    Number::from(n as u64)
                } else {
                    Number::from(n as i64)
                }
            } else {
                Number::from_f64(n).ok_or_else(|| "expected a finite number".to_owned())?
            };
            return Ok(Value::Number(number));
        }
        if let Some(s) = value.as_string() {
            return Ok(Value::String(s));
        }
        if Array::is_array(value) {
            return Vec::<Value>::from_js(value).map(Value::Array);
        }
        Map::from_js(value).map(Value::Object)
    }
}

impl FromJs for Map<String, Value> {
    fn from_js(value: &JsValue) -> Result<Self, String> {
        let fields = Fields::of(value)?;
        Object::keys(value.unchecked_ref::<Object>())
            .iter()
            .filter_map(|key| key.as_string())
            .map(|key| {
                let item = fields.get::<Value>(&key)?;
                Ok((key, item))
            })
            .collect()
    }
}
