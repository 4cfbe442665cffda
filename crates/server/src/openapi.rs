//! The OpenAPI 3.1 document of the whole HTTP API (`GET /api/openapi.json`) and a self-contained page
//! rendering it (`GET /api/docs`; no external scripts: the server may run offline).
//!
//! The document is built from [`OPERATIONS`] (every route, its parameters, body and answers) and
//! from schemas written next to the types they describe; the Appointment schema is generated from
//! the same field tree that `fields=` is checked against ([`crate::booking::fields::APPOINTMENT`]).
//! `tests/openapi.rs` checks the document against the running router.

use serde_json::{json, Map, Value};

use crate::booking::fields::{Shape, APPOINTMENT, FORM_ITEM, FORM_SHAPE, FORM_VALUE};

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    Path,
    Query,
}

/// One documented parameter.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub location: In,
    pub required: bool,
    /// JSON Schema type: `string`, `boolean`, `integer`.
    pub kind: &'static str,
    pub description: &'static str,
}

/// One documented operation.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    pub method: &'static str,
    /// Path under the server root, with `{companyId}`-style parameters.
    pub path: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    /// Needs an API key.
    pub auth: bool,
    pub params: &'static [Param],
    /// Schema name of the JSON body, if any.
    pub body: Option<&'static str>,
    /// Success status and schema name of its JSON body (`None`: empty body or not JSON).
    pub ok: (u16, Option<&'static str>),
    /// Error statuses it can answer with (all in the one error shape).
    pub errors: &'static [u16],
}

const fn path(name: &'static str, description: &'static str) -> Param {
    Param {
        name,
        location: In::Path,
        required: true,
        kind: "string",
        description,
    }
}
const WATCH_ID: Param = path("watchId", "Watch identifier.");
const KEY_ID: Param = path("keyId", "Signing key identifier.");
const fn query(name: &'static str, kind: &'static str, description: &'static str) -> Param {
    Param {
        name,
        location: In::Query,
        required: false,
        kind,
        description,
    }
}
const fn required(name: &'static str, kind: &'static str, description: &'static str) -> Param {
    Param {
        name,
        location: In::Query,
        required: true,
        kind,
        description,
    }
}

const COMPANY: Param = path("companyId", "Company identifier.");
const APPOINTMENT_ID: Param = path(
    "appointmentId",
    "Appointment identifier or appointment reference.",
);
const ID: Param = path("id", "Record identifier.");
const ENCRYPTED: Param = path(
    "encryptedId",
    "The appointment's encryptedId (from the booking answer).",
);
const LANG: Param = query(
    "lang",
    "string",
    "Language of history texts / names: en, fr, de, es.",
);
const FIELDS: Param = query(
    "fields",
    "string",
    "Partial response, e.g. `id,start,client(email,firstName)`; an unknown field is a 400.",
);
const SILENT: Param = query(
    "silent",
    "boolean",
    "Accepted; this server sends no notifications.",
);
const FORCE: Param = query(
    "force",
    "boolean",
    "Book without checking availability; needs staff.id.",
);
const PERSONAL_SYNC: Param = query(
    "personalAppointmentSync",
    "boolean",
    "Accepted; no external calendar sync.",
);

const BASE: &str = "/api/2.1/scheduling/companies/{companyId}";

macro_rules! p {
    ($tail:literal) => {
        concat!("/api/2.1/scheduling/companies/{companyId}", $tail)
    };
}

/// Every route of the API.
pub const OPERATIONS: &[Operation] = &[
    Operation { method: "get", path: "/api/health", tag: "meta", summary: "Liveness check (plain text `ok`).", auth: false, params: &[], body: None, ok: (200, None), errors: &[] },
    Operation { method: "get", path: "/api/openapi.json", tag: "meta", summary: "This document.", auth: false, params: &[], body: None, ok: (200, None), errors: &[] },
    Operation { method: "get", path: "/api/docs", tag: "meta", summary: "This document rendered as HTML.", auth: false, params: &[], body: None, ok: (200, None), errors: &[] },
    // Appointments API (the reference).
    Operation { method: "get", path: p!("/appointments"), tag: "appointments", summary: "List appointments (light by default), with filters, keyset paging and incremental sync.", auth: true,
        params: &[COMPANY,
            query("startDate", "string", "RFC 3339: appointments ending after it (default now − 1 month)."),
            query("endDate", "string", "RFC 3339: appointments starting before it (default now + 1 month)."),
            query("createdStartDate", "string", "RFC 3339: created after it."),
            query("createdEndDate", "string", "RFC 3339: created before it."),
            query("status", "string", "One or several statuses (repeat the parameter or separate with commas)."),
            query("clientId", "string", "Client id or client externalId."),
            query("externalClientId", "string", "Client externalId."),
            query("serviceId", "string", "Service id or externalId."),
            query("staffId", "string", "Staff id or externalId."),
            query("resourceId", "string", "Resource id or externalId."),
            query("q", "string", "Free text: every word must occur in the client's name or email or a form answer."),
            query("personalAppointments", "boolean", "Include personal appointments (default false)."),
            query("showDeleted", "boolean", "Include deleted appointments, marked `deleted: true` (default false)."),
            query("syncToken", "string", "nextSyncToken of a previous list: only what changed since, deletions included. 410 when unknown or expired."),
            query("pageToken", "string", "nextPageToken of the previous page (same other parameters)."),
            query("maxResults", "integer", "Page size, 1–2500 (default 250)."),
            FIELDS,
            query("levelDetail", "string", "`light` (default) or `full`."),
            LANG],
        body: None, ok: (200, Some("AppointmentList")), errors: &[400, 401, 404, 410] },
    Operation { method: "post", path: p!("/appointments"), tag: "appointments", summary: "Insert an appointment; 409 when the time is not free (unless force).", auth: true,
        params: &[COMPANY, LANG, FORCE, PERSONAL_SYNC, SILENT], body: Some("Appointment"), ok: (201, Some("Appointment")), errors: &[400, 401, 404, 409] },
    Operation { method: "get", path: p!("/appointments/{appointmentId}"), tag: "appointments", summary: "Get an appointment by id or reference (full by default).", auth: true,
        params: &[COMPANY, APPOINTMENT_ID, LANG, FIELDS, query("levelDetail", "string", "`full` (default) or `light`.")], body: None, ok: (200, Some("Appointment")), errors: &[400, 401, 404] },
    Operation { method: "put", path: p!("/appointments/{appointmentId}"), tag: "appointments", summary: "Update an appointment: sent fields replace stored ones; moving it re-checks availability.", auth: true,
        params: &[COMPANY, APPOINTMENT_ID, LANG, FORCE, PERSONAL_SYNC, SILENT, query("calculateGeolocation", "boolean", "Accepted; no geocoder here.")],
        body: Some("Appointment"), ok: (200, Some("Appointment")), errors: &[400, 401, 404, 409] },
    Operation { method: "delete", path: p!("/appointments/{appointmentId}"), tag: "appointments", summary: "Delete an appointment (soft: kept for showDeleted and sync). Empty 204 answer.", auth: true,
        params: &[COMPANY, APPOINTMENT_ID, SILENT, LANG], body: None, ok: (204, None), errors: &[400, 401, 404] },
    // Business setup API.
    Operation { method: "get", path: BASE, tag: "setup", summary: "The key's company.", auth: true, params: &[COMPANY], body: None, ok: (200, Some("Company")), errors: &[401, 404] },
    Operation { method: "put", path: BASE, tag: "setup", summary: "Replace the company.", auth: true, params: &[COMPANY], body: Some("Company"), ok: (200, Some("Company")), errors: &[400, 401, 404] },
    Operation { method: "delete", path: BASE, tag: "setup", summary: "Delete the company and everything it owns, keys included.", auth: true, params: &[COMPANY], body: None, ok: (204, None), errors: &[401, 404] },
    Operation { method: "get", path: p!("/services"), tag: "setup", summary: "List services.", auth: true, params: &[COMPANY], body: None, ok: (200, Some("ServiceList")), errors: &[401, 404] },
    Operation { method: "post", path: p!("/services"), tag: "setup", summary: "Create a service (id generated when absent).", auth: true, params: &[COMPANY], body: Some("Service"), ok: (201, Some("Service")), errors: &[400, 401, 404, 409] },
    Operation { method: "get", path: p!("/services/{id}"), tag: "setup", summary: "Get a service.", auth: true, params: &[COMPANY, ID], body: None, ok: (200, Some("Service")), errors: &[401, 404] },
    Operation { method: "put", path: p!("/services/{id}"), tag: "setup", summary: "Replace a service.", auth: true, params: &[COMPANY, ID], body: Some("Service"), ok: (200, Some("Service")), errors: &[400, 401, 404, 409] },
    Operation { method: "delete", path: p!("/services/{id}"), tag: "setup", summary: "Delete a service.", auth: true, params: &[COMPANY, ID], body: None, ok: (204, None), errors: &[401, 404] },
    Operation { method: "get", path: p!("/staff"), tag: "setup", summary: "List staff.", auth: true, params: &[COMPANY], body: None, ok: (200, Some("StaffList")), errors: &[401, 404] },
    Operation { method: "post", path: p!("/staff"), tag: "setup", summary: "Create a staff member.", auth: true, params: &[COMPANY], body: Some("Staff"), ok: (201, Some("Staff")), errors: &[400, 401, 404, 409] },
    Operation { method: "get", path: p!("/staff/{id}"), tag: "setup", summary: "Get a staff member.", auth: true, params: &[COMPANY, ID], body: None, ok: (200, Some("Staff")), errors: &[401, 404] },
    Operation { method: "put", path: p!("/staff/{id}"), tag: "setup", summary: "Replace a staff member.", auth: true, params: &[COMPANY, ID], body: Some("Staff"), ok: (200, Some("Staff")), errors: &[400, 401, 404, 409] },
    Operation { method: "delete", path: p!("/staff/{id}"), tag: "setup", summary: "Delete a staff member.", auth: true, params: &[COMPANY, ID], body: None, ok: (204, None), errors: &[401, 404] },
    Operation { method: "get", path: p!("/resources"), tag: "setup", summary: "List resources.", auth: true, params: &[COMPANY], body: None, ok: (200, Some("ResourceList")), errors: &[401, 404] },
    Operation { method: "post", path: p!("/resources"), tag: "setup", summary: "Create a resource.", auth: true, params: &[COMPANY], body: Some("Resource"), ok: (201, Some("Resource")), errors: &[400, 401, 404, 409] },
    Operation { method: "get", path: p!("/resources/{id}"), tag: "setup", summary: "Get a resource.", auth: true, params: &[COMPANY, ID], body: None, ok: (200, Some("Resource")), errors: &[401, 404] },
    Operation { method: "put", path: p!("/resources/{id}"), tag: "setup", summary: "Replace a resource.", auth: true, params: &[COMPANY, ID], body: Some("Resource"), ok: (200, Some("Resource")), errors: &[400, 401, 404, 409] },
    Operation { method: "delete", path: p!("/resources/{id}"), tag: "setup", summary: "Delete a resource.", auth: true, params: &[COMPANY, ID], body: None, ok: (204, None), errors: &[401, 404] },
    Operation { method: "get", path: p!("/forms"), tag: "setup", summary: "List forms.", auth: true, params: &[COMPANY], body: None, ok: (200, Some("FormList")), errors: &[401, 404] },
    Operation { method: "post", path: p!("/forms"), tag: "setup", summary: "Create a form.", auth: true, params: &[COMPANY], body: Some("Form"), ok: (201, Some("Form")), errors: &[400, 401, 404, 409] },
    Operation { method: "get", path: p!("/forms/{id}"), tag: "setup", summary: "Get a form.", auth: true, params: &[COMPANY, ID], body: None, ok: (200, Some("Form")), errors: &[401, 404] },
    Operation { method: "put", path: p!("/forms/{id}"), tag: "setup", summary: "Replace a form.", auth: true, params: &[COMPANY, ID], body: Some("Form"), ok: (200, Some("Form")), errors: &[400, 401, 404] },
    Operation { method: "delete", path: p!("/forms/{id}"), tag: "setup", summary: "Delete a form.", auth: true, params: &[COMPANY, ID], body: None, ok: (204, None), errors: &[401, 404] },
    Operation { method: "get", path: p!("/clients"), tag: "setup", summary: "List clients.", auth: true, params: &[COMPANY], body: None, ok: (200, Some("ClientList")), errors: &[401, 404] },
    Operation { method: "post", path: p!("/clients"), tag: "setup", summary: "Create a client.", auth: true, params: &[COMPANY], body: Some("Client"), ok: (201, Some("Client")), errors: &[400, 401, 404, 409] },
    Operation { method: "get", path: p!("/clients/{id}"), tag: "setup", summary: "Get a client.", auth: true, params: &[COMPANY, ID], body: None, ok: (200, Some("Client")), errors: &[401, 404] },
    Operation { method: "put", path: p!("/clients/{id}"), tag: "setup", summary: "Replace a client.", auth: true, params: &[COMPANY, ID], body: Some("Client"), ok: (200, Some("Client")), errors: &[400, 401, 404, 409] },
    Operation { method: "delete", path: p!("/clients/{id}"), tag: "setup", summary: "Delete a client.", auth: true, params: &[COMPANY, ID], body: None, ok: (204, None), errors: &[401, 404] },
    // Watches (webhooks) and their signing keys: see docs/webhooks.md.
    Operation { method: "get", path: p!("/appointments/watch"), tag: "watches", summary: "List watches (secrets masked).", auth: true, params: &[COMPANY], body: None, ok: (200, Some("WatchList")), errors: &[401, 404] },
    Operation { method: "post", path: p!("/appointments/watch"), tag: "watches", summary: "Create a watch: notify an address of every appointment change.", auth: true, params: &[COMPANY], body: Some("Watch"), ok: (201, Some("Watch")), errors: &[400, 401, 404] },
    Operation { method: "get", path: p!("/appointments/watch/{watchId}"), tag: "watches", summary: "Get a watch (secrets masked).", auth: true, params: &[COMPANY, WATCH_ID], body: None, ok: (200, Some("Watch")), errors: &[401, 404] },
    Operation { method: "put", path: p!("/appointments/watch/{watchId}"), tag: "watches", summary: "Replace a watch (a masked secret sent back keeps the stored one).", auth: true, params: &[COMPANY, WATCH_ID], body: Some("Watch"), ok: (200, Some("Watch")), errors: &[400, 401, 404] },
    Operation { method: "delete", path: p!("/appointments/watch/{watchId}"), tag: "watches", summary: "Delete a watch and its delivery log.", auth: true, params: &[COMPANY, WATCH_ID], body: None, ok: (204, None), errors: &[401, 404] },
    Operation { method: "get", path: p!("/appointments/watch/{watchId}/deliveries"), tag: "watches", summary: "The watch's delivery log: attempts, status codes, next retry.", auth: true,
        params: &[COMPANY, WATCH_ID, query("maxResults", "integer", "1–1000 (default 100).")], body: None, ok: (200, Some("DeliveryList")), errors: &[400, 401, 404] },
    Operation { method: "get", path: p!("/cryptoKeys"), tag: "watches", summary: "List signing keys (no secrets).", auth: true, params: &[COMPANY], body: None, ok: (200, Some("CryptoKeyList")), errors: &[401, 404] },
    Operation { method: "post", path: p!("/cryptoKeys"), tag: "watches", summary: "Create a signing key; its secret is shown once.", auth: true, params: &[COMPANY], body: None, ok: (201, Some("CryptoKey")), errors: &[400, 401, 404] },
    Operation { method: "get", path: p!("/cryptoKeys/{keyId}"), tag: "watches", summary: "Get a signing key (no secret).", auth: true, params: &[COMPANY, KEY_ID], body: None, ok: (200, Some("CryptoKey")), errors: &[401, 404] },
    Operation { method: "delete", path: p!("/cryptoKeys/{keyId}"), tag: "watches", summary: "Delete a signing key (409 while a watch uses it).", auth: true, params: &[COMPANY, KEY_ID], body: None, ok: (204, None), errors: &[401, 404, 409] },
    Operation { method: "post", path: p!("/cryptoKeys/{keyId}/rotate"), tag: "watches", summary: "Rotate: a new secret (shown once); the old one keeps signing for 24 h.", auth: true, params: &[COMPANY, KEY_ID], body: None, ok: (200, Some("CryptoKey")), errors: &[401, 404] },
    // Public widget API (no auth, nothing private).
    Operation { method: "get", path: p!("/widget/company"), tag: "widget", summary: "The company as visitors see it.", auth: false, params: &[COMPANY], body: None, ok: (200, Some("PublicCompany")), errors: &[404] },
    Operation { method: "get", path: p!("/widget/services"), tag: "widget", summary: "Services, localized.", auth: false, params: &[COMPANY, LANG], body: None, ok: (200, Some("PublicServiceList")), errors: &[404] },
    Operation { method: "get", path: p!("/widget/staff"), tag: "widget", summary: "Staff shown in the widget.", auth: false, params: &[COMPANY, query("serviceId", "string", "Only staff performing this service.")], body: None, ok: (200, Some("PublicStaffList")), errors: &[404] },
    Operation { method: "get", path: p!("/widget/freeSlots"), tag: "widget", summary: "Bookable start times per day.", auth: false,
        params: &[COMPANY, required("startDate", "string", "First day, yyyy-MM-dd."), required("endDate", "string", "Last day, yyyy-MM-dd (at most 62 days)."),
            query("serviceId", "string", "Service id or externalId (this or resourceId is required)."), query("resourceId", "string", "A resource booked on its own, e.g. a room."),
            query("resourceCount", "integer", "Units of the resource (default 1)."),
            query("staffId", "string", "Only this staff member."), query("timeZone", "string", "IANA zone of the answer (default: the company's)."), LANG],
        body: None, ok: (200, Some("FreeSlots")), errors: &[400, 404] },
    Operation { method: "get", path: p!("/widget/resources"), tag: "widget", summary: "Resources bookable on their own.", auth: false, params: &[COMPANY], body: None, ok: (200, Some("PublicResourceList")), errors: &[404] },
    Operation { method: "get", path: p!("/widget/form"), tag: "widget", summary: "The booking form of a service or resource.", auth: false, params: &[COMPANY, query("serviceId", "string", "Service id."), query("resourceId", "string", "Resource id, instead of serviceId.")], body: None, ok: (200, Some("Form")), errors: &[400, 404] },
    Operation { method: "post", path: p!("/widget/appointments"), tag: "widget", summary: "A visitor books (rate-limited per IP).", auth: false, params: &[COMPANY], body: Some("PublicBookingRequest"), ok: (201, Some("PublicAppointment")), errors: &[400, 404, 409, 429] },
    Operation { method: "get", path: p!("/widget/appointments/{encryptedId}"), tag: "widget", summary: "The visitor's appointment.", auth: false, params: &[COMPANY, ENCRYPTED], body: None, ok: (200, Some("PublicAppointment")), errors: &[404] },
    Operation { method: "put", path: p!("/widget/appointments/{encryptedId}"), tag: "widget", summary: "The visitor reschedules.", auth: false, params: &[COMPANY, ENCRYPTED], body: Some("RescheduleRequest"), ok: (200, Some("PublicAppointment")), errors: &[400, 404, 409] },
    Operation { method: "delete", path: p!("/widget/appointments/{encryptedId}"), tag: "widget", summary: "The visitor cancels (answers the cancelled appointment).", auth: false, params: &[COMPANY, ENCRYPTED], body: None, ok: (200, Some("PublicAppointment")), errors: &[404, 409] },
    Operation { method: "get", path: p!("/widget/appointments/{encryptedId}/calendar.ics"), tag: "widget", summary: "The appointment as an iCalendar file.", auth: false, params: &[COMPANY, ENCRYPTED], body: None, ok: (200, None), errors: &[404] },
];

fn s() -> Value {
    json!({"type": "string"})
}
fn int() -> Value {
    json!({"type": "integer", "minimum": 0})
}
fn num() -> Value {
    json!({"type": "number"})
}
fn boolean() -> Value {
    json!({"type": "boolean"})
}
fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}
fn arr(items: Value) -> Value {
    json!({"type": "array", "items": items})
}
fn obj(props: Vec<(&str, Value)>) -> Value {
    let properties: Map<String, Value> =
        props.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    json!({"type": "object", "properties": properties})
}
fn list_of(name: &str) -> Value {
    obj(vec![("items", arr(r(name)))])
}

/// JSON Schema of a `fields` shape; lists where the Appointment holds lists. The recursive form
/// shapes become references to the `FormItem` / `FormValue` schemas (`root`: the definition itself).
fn from_shape(name: &str, shape: Shape, root: bool) -> Value {
    const LISTS: [&str; 6] = [
        "history",
        "contactFields",
        "values",
        "subItem",
        "objects",
        "service-resource",
    ];
    let value = match shape {
        Shape::Leaf => match name {
            "resourceCount" | "iterationCount" => int(),
            "amount" => num(),
            "mandatory" | "visible" | "otherValue" | "category" | "multiple" | "meta-event"
            | "deleted" => boolean(),
            "paid" | "addToWaitingList" => {
                json!({"type": ["string", "boolean"], "description": "\"true\"/\"false\" (booleans accepted)."})
            }
            _ => s(),
        },
        Shape::Free => json!({"type": "object", "additionalProperties": true}),
        Shape::Object(fields) if !root && std::ptr::eq(fields, &FORM_ITEM[..]) => r("FormItem"),
        Shape::Object(fields) if !root && std::ptr::eq(fields, &FORM_VALUE[..]) => r("FormValue"),
        Shape::Object(fields) => {
            let props: Map<String, Value> = fields
                .iter()
                .map(|(n, sh)| ((*n).to_owned(), from_shape(n, *sh, false)))
                .collect();
            json!({"type": "object", "properties": props})
        }
    };
    match name {
        "additionalFields" => arr(arr(value)),
        n if LISTS.contains(&n) => arr(value),
        _ => value,
    }
}

fn schemas() -> Value {
    let hours = arr(obj(vec![
        (
            "day",
            json!({"type": "string", "enum": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}),
        ),
        ("hours", arr(obj(vec![("start", s()), ("end", s())]))),
    ]));
    let vacations = arr(obj(vec![("startDate", s()), ("endDate", s())]));
    let delay = obj(vec![
        ("value", int()),
        (
            "unit",
            json!({"type": "string", "enum": ["minutes", "hours", "days", "weeks"]}),
        ),
    ]);
    let mut appointment = from_shape("appointment", Shape::Object(&APPOINTMENT), true);
    appointment["description"] = json!("The Appointment resource of the reference. Read-only: id, reference, encryptedId, created, history, price, rescheduleLink. `deleted` marks deleted appointments in lists and sync. Light level: id, reference, encryptedId, company, service, resource, resourceCount, staff, client, start, end, created, status, customStatus, type, location, price, paid, addToWaitingList.");
    let form = from_shape("form", Shape::Object(&FORM_SHAPE), true);
    let form_item = from_shape("formItem", Shape::Object(&FORM_ITEM), true);
    let form_value = from_shape("formValue", Shape::Object(&FORM_VALUE), true);
    let client = obj(vec![
        ("id", s()),
        ("firstName", s()),
        ("lastName", s()),
        ("email", s()),
        ("timeZone", s()),
        ("externalId", s()),
        ("phone", s()),
        ("mobilePhone", s()),
    ]);
    let public_appointment = obj(vec![
        ("id", s()),
        ("reference", s()),
        ("encryptedId", s()),
        ("start", r("DateTimeZone")),
        ("end", r("DateTimeZone")),
        ("service", obj(vec![("id", s()), ("name", s())])),
        (
            "staff",
            obj(vec![("id", s()), ("firstName", s()), ("lastName", s())]),
        ),
        ("resource", obj(vec![("id", s()), ("name", s())])),
        ("resourceCount", int()),
        ("location", s()),
        ("locationCustom", s()),
        (
            "onlineMeeting",
            obj(vec![("provider", s()), ("videoLink", s())]),
        ),
        ("price", obj(vec![("amount", num()), ("currency", s())])),
        ("status", s()),
        ("rescheduleLink", obj(vec![("url", s())])),
        (
            "extendedProperties",
            json!({"type": "object", "additionalProperties": true}),
        ),
        ("addToWaitingList", boolean()),
    ]);
    json!({
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
            "code": int(), "message": s(), "reason": s(), "fields": arr(obj(vec![("name", s()), ("reason", s()), ("code", s()), ("limit", int())]))}}}},
        "DateTimeZone": obj(vec![("dateTime", s()), ("timeZone", s())]),
        "Appointment": appointment,
        "AppointmentList": obj(vec![("items", arr(r("Appointment"))), ("nextSyncToken", s()), ("nextPageToken", s())]),
        "Company": obj(vec![("id", s()), ("name", s()), ("timeZone", s()), ("email", s()), ("phone", s()),
            ("address", obj(vec![("street", s()), ("otherStreet", s()), ("zipCode", s()), ("state", s()), ("city", s()), ("country", s())])),
            ("description", s()), ("workingHours", hours.clone()), ("currency", s()), ("vacations", vacations.clone()), ("externalId", s()),
            ("extendedProperties", obj(vec![("private", json!({"type": "object"})), ("public", json!({"type": "object"}))]))]),
        "Service": obj(vec![("id", s()), ("name", s()), ("duration", int()), ("bufferDuration", int()), ("preparationDuration", int()), ("capacity", int()),
            ("price", num()), ("payable", boolean()), ("color", s()), ("description", s()),
            ("staff", arr(obj(vec![("id", s()), ("firstName", s()), ("lastName", s()), ("price", num()), ("externalId", s())]))),
            ("resource", arr(obj(vec![("id", s()), ("quantity", int()), ("name", s())]))),
            ("i18n", json!({"type": "object", "additionalProperties": obj(vec![("name", s()), ("description", s())])})),
            ("locations", arr(s())), ("waitingList", boolean()), ("maxAppointmentsPerDay", int()), ("minAppointmentDate", delay.clone()),
            ("maxAppointmentDate", delay.clone()), ("useCompanyWorkingHours", boolean()), ("workingHours", hours.clone()), ("externalId", s()),
            ("requiresValidation", boolean()), ("cancellationDelay", delay), ("slotInterval", int())]),
        "ServiceList": list_of("Service"),
        "Staff": obj(vec![("id", s()), ("firstName", s()), ("lastName", s()), ("title", s()), ("email", s()), ("phone", s()), ("color", s()),
            ("description", s()), ("workingHours", hours.clone()), ("services", arr(obj(vec![("id", s()), ("name", s())]))), ("vacations", vacations),
            ("availableForWidget", boolean()), ("externalId", s()), ("avatarUrl", s())]),
        "StaffList": list_of("Staff"),
        "Resource": obj(vec![("id", s()), ("name", s()), ("duration", int()), ("count", int()), ("price", num()), ("workingHours", hours), ("externalId", s())]),
        "ResourceList": list_of("Resource"),
        "Form": form,
        "FormList": list_of("Form"),
        "FormItem": form_item,
        "FormValue": form_value,
        "Client": client,
        "ClientList": list_of("Client"),
        "PublicCompany": obj(vec![("id", s()), ("name", s()), ("timeZone", s()), ("currency", s()), ("description", s()), ("address", json!({"type": "object"})), ("email", s()), ("phone", s())]),
        "PublicService": obj(vec![("id", s()), ("name", s()), ("description", s()), ("duration", int()), ("price", obj(vec![("amount", num()), ("currency", s())])),
            ("capacity", int()), ("locations", arr(s())), ("staffIds", arr(s())), ("waitingList", boolean()), ("requiresValidation", boolean())]),
        "PublicServiceList": list_of("PublicService"),
        "PublicStaff": obj(vec![("id", s()), ("firstName", s()), ("lastName", s()), ("title", s()), ("description", s()), ("color", s()), ("avatarUrl", s()), ("serviceIds", arr(s()))]),
        "PublicStaffList": list_of("PublicStaff"),
        "PublicResource": obj(vec![("id", s()), ("name", s()), ("duration", int()), ("count", int()), ("price", obj(vec![("amount", num()), ("currency", s())]))]),
        "PublicResourceList": list_of("PublicResource"),
        "FreeSlots": obj(vec![("items", arr(obj(vec![("day", s()), ("timeZone", s()), ("slots", arr(s()))]))),
            ("service", obj(vec![("id", s()), ("name", s())])), ("staff", obj(vec![("id", s()), ("firstName", s()), ("lastName", s())]))]),
        "PublicBookingRequest": obj(vec![("serviceId", s()), ("resourceId", s()), ("resourceCount", int()), ("staffId", s()), ("start", s()), ("timeZone", s()),
            ("lang", s()), ("form", r("Form")), ("addToWaitingList", boolean()), ("extendedProperties", json!({"type": "object"})), ("source", s())]),
        "PublicAppointment": public_appointment,
        "RescheduleRequest": obj(vec![("start", s()), ("staffId", s()), ("timeZone", s()), ("lang", s())]),
        "Watch": obj(vec![("id", s()), ("address", s()), ("name", s()), ("basicAuth", obj(vec![("username", s()), ("password", s())])),
            ("httpRequestHeader", json!({"type": "object", "additionalProperties": {"type": "string"}})), ("schema", json!({})),
            ("levelDetails", json!({"type": "string", "enum": ["full", "extraFull"]})), ("method", json!({"type": "string", "enum": ["POST", "PUT", "PATCH", "DELETE"]})),
            ("status", json!({"type": "string", "enum": ["enabled", "disabled"]})),
            ("oauth2Auth", obj(vec![("grantType", json!({"type": "string", "enum": ["refresh_token", "client_credentials"]})), ("clientId", s()), ("clientSecret", s()),
                ("refreshToken", s()), ("authUrl", s()), ("accessTokenUrl", s()), ("scope", s())])),
            ("signature", obj(vec![("enabled", boolean()), ("cryptoKeyIds", arr(s()))]))]),
        "WatchList": list_of("Watch"),
        "DeliveryList": json!({"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object"}}}}),
        "CryptoKey": obj(vec![("id", s()), ("secret", s()), ("created", s())]),
        "CryptoKeyList": list_of("CryptoKey"),
    })
}

fn error_description(status: u16) -> &'static str {
    match status {
        400 => "Invalid input; `fields` names each invalid field.",
        401 => "Missing or invalid API key.",
        404 => "Not found (also: a key of another company).",
        409 => "Conflict: the time is not free, or the id/externalId is taken.",
        410 => "syncToken unknown or expired: list again without it.",
        429 => "Too many requests; see Retry-After.",
        _ => "Error.",
    }
}

/// The whole document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for op in OPERATIONS {
        let params: Vec<Value> = op
            .params
            .iter()
            .map(|p| {
                json!({"name": p.name, "in": if p.location == In::Path { "path" } else { "query" },
                       "required": p.required, "description": p.description, "schema": {"type": p.kind}})
            })
            .collect();
        let mut responses = Map::new();
        let ok = match op.ok.1 {
            Some(schema) => {
                json!({"description": "Success.", "content": {"application/json": {"schema": r(schema)}}})
            }
            None => {
                json!({"description": if op.ok.0 == 204 { "Success, empty body." } else { "Success." }})
            }
        };
        responses.insert(op.ok.0.to_string(), ok);
        for status in op
            .errors
            .iter()
            .chain(if op.auth { &[500u16][..] } else { &[][..] })
        {
            responses.insert(
                status.to_string(),
                json!({"description": error_description(*status), "content": {"application/json": {"schema": r("Error")}}}),
            );
        }
        let mut operation = json!({
            "tags": [op.tag],
            "summary": op.summary,
            "operationId": format!("{}{}", op.method, op.path.replace(['/', '{', '}', '.', '-'], "_")),
            "parameters": params,
            "responses": responses,
        });
        if let Some(body) = op.body {
            operation["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": r(body)}}});
        }
        operation["security"] = match op.auth {
            true => {
                json!([{"apiKeyHeader": []}, {"apiKeyQuery": []}, {"tokenHeader": []}, {"bearer": []}])
            }
            false => json!([]),
        };
        let entry = paths.entry(op.path.to_owned()).or_insert_with(|| json!({}));
        entry[op.method] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Booking server API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The Appointments API of the reference, the business setup API and the public widget API. \
                Authenticated routes take the company's API key as the `apiKey` header or query parameter, as `token` \
                (an alias, used when apiKey is absent), or as `Authorization: Bearer <key>`. Every error answers \
                `{\"error\":{\"code\",\"message\",\"fields\":[{\"name\",\"reason\"}]}}`."
        },
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "apiKey"},
                "apiKeyQuery": {"type": "apiKey", "in": "query", "name": "apiKey"},
                "tokenHeader": {"type": "apiKey", "in": "header", "name": "token"},
                "bearer": {"type": "http", "scheme": "bearer"}
            }
        }
    })
}

/// A self-contained page listing every operation of [`document`], with parameters and answers.
pub const DOCS_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Booking server API</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2330}
h2{margin-top:2rem;border-bottom:1px solid #ccd}details{border:1px solid #dde;border-radius:6px;margin:.4rem 0;padding:.3rem .6rem}
summary{cursor:pointer}code{background:#f3f4f8;padding:0 .25rem;border-radius:3px}.m{display:inline-block;width:4.2rem;font-weight:700;text-transform:uppercase}
.get{color:#1a7f37}.post{color:#0969da}.put{color:#9a6700}.delete{color:#cf222e}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.2rem .4rem;text-align:left;vertical-align:top}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;max-height:24rem}
</style></head><body>
<h1>Booking server API</h1><p id="intro">Loading <a href="/api/openapi.json">/api/openapi.json</a>…</p><div id="ops"></div>
<script>
const esc = s => String(s ?? '').replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
fetch('/api/openapi.json').then(r => r.json()).then(doc => {
  document.getElementById('intro').innerHTML = esc(doc.info.description) + ' <a href="/api/openapi.json">OpenAPI 3.1 document</a>.';
  const byTag = {};
  for (const [path, item] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(item))
    (byTag[op.tags[0]] ??= []).push({path, method, op});
  let html = '';
  for (const [tag, ops] of Object.entries(byTag)) {
    html += `<h2>${esc(tag)}</h2>`;
    for (const {path, method, op} of ops) {
      const params = (op.parameters || []).map(p => `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}${p.required ? ' (required)' : ''}</td><td>${esc(p.schema.type)}</td><td>${esc(p.description)}</td></tr>`).join('');
      const body = op.requestBody ? `<p>Body: <code>${esc(op.requestBody.content['application/json'].schema.$ref.split('/').pop())}</code></p>` : '';
      const answers = Object.entries(op.responses).map(([code, r]) => `<li><code>${esc(code)}</code> ${esc(r.description)}${r.content ? ' — <code>' + esc(r.content['application/json'].schema.$ref.split('/').pop()) + '</code>' : ''}</li>`).join('');
      html += `<details><summary><span class="m ${method}">${method}</span><code>${esc(path)}</code> — ${esc(op.summary)}</summary>
        ${params ? `<table><tr><th>Parameter</th><th>In</th><th>Type</th><th></th></tr>${params}</table>` : ''}${body}<ul>${answers}</ul></details>`;
    }
  }
  html += '<h2>Schemas</h2>' + Object.entries(doc.components.schemas).map(([name, schema]) =>
    `<details><summary><code>${esc(name)}</code></summary><pre>${esc(JSON.stringify(schema, null, 2))}</pre></details>`).join('');
  document.getElementById('ops').innerHTML = html;
}).catch(e => { document.getElementById('intro').textContent = 'Could not load the document: ' + e; });
</script></body></html>
"#;
