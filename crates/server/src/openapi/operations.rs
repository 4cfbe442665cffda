//! Every route of the HTTP API: method, path, parameters, body and answers. The schemas are
//! generated from the `booking-model` types (see [`super`]); this table says which type each route
//! reads and writes, and `tests/openapi.rs` checks it against the router.

use booking_model::schemars::{JsonSchema, Schema, SchemaGenerator};
use booking_model::{
    Appointment, AppointmentStatusDefinition, CalendarConnection, ClientRef, Company, Form,
    FreeSlotsResponse, ListResponse, NewCalendarConnection, PublicAppointment, PublicCompany,
    PublicRescheduleRequest, PublicResource, PublicService, PublicStaff, Resource, Service, Staff,
    Watch,
};

use super::bodies;
use super::params::{
    count, day, delivery_count, flag, instant, lang, level_detail, page_size, selection, statuses,
    text, time_zone,
};

/// Builds (or references) the schema of a request or response body.
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

/// The schema of `T`: a `$ref` to its component, registered in the generator.
pub fn of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

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
    /// The JSON Schema of the value as the server parses it.
    pub schema: fn() -> serde_json::Value,
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
    /// Schema of the JSON body, if any.
    pub body: Option<SchemaFn>,
    /// Success status and the schema of its JSON body (`None`: empty body or not JSON).
    pub ok: (u16, Option<SchemaFn>),
    /// Error statuses it can answer with (all in the one error shape).
    pub errors: &'static [u16],
}

const fn path(name: &'static str, description: &'static str) -> Param {
    Param {
        name,
        location: In::Path,
        required: true,
        schema: text,
        description,
    }
}
const fn query(
    name: &'static str,
    schema: fn() -> serde_json::Value,
    description: &'static str,
) -> Param {
    Param {
        name,
        location: In::Query,
        required: false,
        schema,
        description,
    }
}
const fn required(
    name: &'static str,
    schema: fn() -> serde_json::Value,
    description: &'static str,
) -> Param {
    Param {
        name,
        location: In::Query,
        required: true,
        schema,
        description,
    }
}

const COMPANY: Param = path("companyId", "Company identifier.");
const WATCH_ID: Param = path("watchId", "Watch identifier.");
const KEY_ID: Param = path("keyId", "Signing key identifier.");
const APPOINTMENT_ID: Param = path(
    "appointmentId",
    "Appointment identifier or appointment reference.",
);
const ID: Param = path("id", "Record identifier.");
const CONNECTION_ID: Param = path("connectionId", "Calendar connection identifier.");
const FILE_ID: Param = path("fileId", "Identifier of a stored file answer.");
const FILE_NAME: Param = path(
    "fileName",
    "The file's name (`fileName`, or `file` plus the media type's extension); not checked.",
);
const ENCRYPTED: Param = path(
    "encryptedId",
    "The appointment's encryptedId (from the booking answer).",
);
const LANG: Param = query(
    "lang",
    lang,
    "Language of history texts / names, e.g. `fr` or `en-GB` (default `en`).",
);
const FIELDS: Param = query(
    "fields",
    selection,
    "Partial response, e.g. `id,start,client(email,firstName)`; an unknown field is a 400.",
);
/// Public routes read any language tag and fall back to the default names.
const ANY_LANG: Param = query(
    "lang",
    text,
    "Language of names, e.g. `fr` or `fr-CA` (unknown ones fall back to the default names).",
);
const SILENT: Param = query(
    "silent",
    flag,
    "If true, no email or SMS notification is sent for this change and no new reminder is \
     planned (webhooks and the staff member's calendar are still updated).",
);
const FORCE: Param = query(
    "force",
    flag,
    "Book without checking availability; needs staff.id.",
);
const PERSONAL_SYNC: Param = query(
    "personalAppointmentSync",
    flag,
    "`false`: a personal appointment is not written to the staff member's CalDAV calendars (a copy written before is removed). Kept with the appointment (shown as `synchronization.personalAppointmentSync`): absent, the value last given applies, else `true`.",
);

const BASE: &str = "/api/2.1/scheduling/companies/{companyId}";

macro_rules! p {
    ($tail:literal) => {
        concat!("/api/2.1/scheduling/companies/{companyId}", $tail)
    };
}

/// Every route of the API.
#[rustfmt::skip]
pub const OPERATIONS: &[Operation] = &[
    Operation { method: "get", path: "/api/health", tag: "meta", summary: "Liveness check (plain text `ok`).", auth: false, params: &[], body: None, ok: (200, None), errors: &[] },
    Operation { method: "get", path: "/api/openapi.json", tag: "meta", summary: "This document.", auth: false, params: &[], body: None, ok: (200, None), errors: &[] },
    Operation { method: "get", path: "/api/docs", tag: "meta", summary: "This document rendered as HTML.", auth: false, params: &[], body: None, ok: (200, None), errors: &[] },
    // Appointments API (the reference).
    Operation { method: "get", path: p!("/appointments"), tag: "appointments", summary: "List appointments (light by default), with filters, keyset paging and incremental sync.", auth: true,
        params: &[COMPANY,
            query("startDate", instant, "RFC 3339 (without an offset: GMT): appointments ending after it (default now − 1 month; alone and past the default endDate, endDate is 2 months after it)."),
            query("endDate", instant, "RFC 3339 (without an offset: GMT): appointments starting before it (default now + 1 month; alone and before the default startDate, startDate is 2 months before it)."),
            query("createdStartDate", instant, "RFC 3339 (without an offset: GMT): created after it."),
            query("createdEndDate", instant, "RFC 3339 (without an offset: GMT): created before it."),
            query("status", statuses, "One or several statuses (repeat the parameter or separate with commas)."),
            query("clientId", text, "Client id or client externalId."),
            query("externalClientId", text, "Client externalId."),
            query("serviceId", text, "Service id or externalId."),
            query("staffId", text, "Staff id or externalId."),
            query("resourceId", text, "Resource id or externalId."),
            query("q", text, "Free text: every word must occur in the client's name or email or a form answer."),
            query("personalAppointments", flag, "Include personal appointments (default false)."),
            query("showDeleted", flag, "Include deleted appointments, marked `deleted: true` (default false)."),
            query("syncToken", text, "nextSyncToken of a previous list with the same filters: only what changed since, deletions included. An appointment that changed and no longer matches status / ids / q / personalAppointments is reported as a removal (`deleted: true`). Time windows don't apply. 410 when unknown, expired or issued for other filters."),
            query("pageToken", text, "nextPageToken of the previous page (same other parameters)."),
            query("maxResults", page_size, "Page size, 1–2500 (default 250)."),
            FIELDS,
            query("levelDetail", level_detail, "`light` (default) or `full`."),
            LANG],
        body: None, ok: (200, Some(of::<ListResponse<Appointment>>)), errors: &[400, 401, 404, 410] },
    Operation { method: "post", path: p!("/appointments"), tag: "appointments", summary: "Insert an appointment; 409 when the time is not free (unless force).", auth: true,
        params: &[COMPANY, LANG, FORCE, PERSONAL_SYNC, SILENT], body: Some(bodies::appointment_insert), ok: (201, Some(of::<Appointment>)), errors: &[400, 401, 404, 409] },
    Operation { method: "get", path: p!("/appointments/{appointmentId}"), tag: "appointments", summary: "Get an appointment by id or reference (full by default).", auth: true,
        params: &[COMPANY, APPOINTMENT_ID, LANG, FIELDS, query("levelDetail", level_detail, "`full` (default) or `light`.")], body: None, ok: (200, Some(of::<Appointment>)), errors: &[400, 401, 404] },
    Operation { method: "put", path: p!("/appointments/{appointmentId}"), tag: "appointments", summary: "Update an appointment: sent fields replace stored ones; moving it re-checks availability.", auth: true,
        params: &[COMPANY, APPOINTMENT_ID, LANG, FORCE, PERSONAL_SYNC, SILENT, query("calculateGeolocation", flag, "Accepted; no geocoder here.")],
        body: Some(bodies::appointment_update), ok: (200, Some(of::<Appointment>)), errors: &[400, 401, 404, 409] },
    Operation { method: "delete", path: p!("/appointments/{appointmentId}"), tag: "appointments", summary: "Delete an appointment (soft: kept for showDeleted and sync). Empty 204 answer.", auth: true,
        params: &[COMPANY, APPOINTMENT_ID, SILENT, LANG], body: None, ok: (204, None), errors: &[400, 401, 404] },
    Operation { method: "get", path: p!("/appointments/{appointmentId}/notifications"), tag: "appointments", summary: "The appointment's notification log: each email its changes planned, with recipient, planned and sent times, status and last error.", auth: true,
        params: &[COMPANY, APPOINTMENT_ID], body: None, ok: (200, Some(bodies::notifications)), errors: &[401, 404] },
    Operation { method: "get", path: p!("/appointments/{appointmentId}/files/{fileId}/{fileName}"), tag: "appointments", summary: "Download a file answered in the appointment's form: the link that get and list return in place of the uploaded data.", auth: true,
        params: &[COMPANY, APPOINTMENT_ID, FILE_ID, FILE_NAME], body: None, ok: (200, None), errors: &[401, 404] },
    // Business setup API.
    Operation { method: "get", path: BASE, tag: "setup", summary: "The key's company.", auth: true, params: &[COMPANY], body: None, ok: (200, Some(of::<Company>)), errors: &[401, 404] },
    Operation { method: "put", path: BASE, tag: "setup", summary: "Replace the company.", auth: true, params: &[COMPANY], body: Some(of::<Company>), ok: (200, Some(of::<Company>)), errors: &[400, 401, 404, 422] },
    Operation { method: "delete", path: BASE, tag: "setup", summary: "Delete the company and everything it owns, keys included.", auth: true, params: &[COMPANY], body: None, ok: (204, None), errors: &[401, 404] },
    Operation { method: "get", path: p!("/services"), tag: "setup", summary: "List services.", auth: true, params: &[COMPANY], body: None, ok: (200, Some(of::<ListResponse<Service>>)), errors: &[401, 404] },
    Operation { method: "post", path: p!("/services"), tag: "setup", summary: "Create a service (id generated when absent).", auth: true, params: &[COMPANY], body: Some(of::<Service>), ok: (201, Some(of::<Service>)), errors: &[400, 401, 404, 409] },
    Operation { method: "get", path: p!("/services/{id}"), tag: "setup", summary: "Get a service.", auth: true, params: &[COMPANY, ID], body: None, ok: (200, Some(of::<Service>)), errors: &[401, 404] },
    Operation { method: "put", path: p!("/services/{id}"), tag: "setup", summary: "Replace a service.", auth: true, params: &[COMPANY, ID], body: Some(of::<Service>), ok: (200, Some(of::<Service>)), errors: &[400, 401, 404, 409] },
    Operation { method: "delete", path: p!("/services/{id}"), tag: "setup", summary: "Delete a service.", auth: true, params: &[COMPANY, ID], body: None, ok: (204, None), errors: &[401, 404] },
    Operation { method: "get", path: p!("/staff"), tag: "setup", summary: "List staff.", auth: true, params: &[COMPANY], body: None, ok: (200, Some(of::<ListResponse<Staff>>)), errors: &[401, 404] },
    Operation { method: "post", path: p!("/staff"), tag: "setup", summary: "Create a staff member.", auth: true, params: &[COMPANY], body: Some(of::<Staff>), ok: (201, Some(of::<Staff>)), errors: &[400, 401, 404, 409] },
    Operation { method: "get", path: p!("/staff/{id}"), tag: "setup", summary: "Get a staff member.", auth: true, params: &[COMPANY, ID], body: None, ok: (200, Some(of::<Staff>)), errors: &[401, 404] },
    Operation { method: "put", path: p!("/staff/{id}"), tag: "setup", summary: "Replace a staff member.", auth: true, params: &[COMPANY, ID], body: Some(of::<Staff>), ok: (200, Some(of::<Staff>)), errors: &[400, 401, 404, 409] },
    Operation { method: "delete", path: p!("/staff/{id}"), tag: "setup", summary: "Delete a staff member.", auth: true, params: &[COMPANY, ID], body: None, ok: (204, None), errors: &[401, 404] },
    Operation { method: "post", path: p!("/staff/{id}/calendarFeedToken"), tag: "setup", summary: "Replace the staff member's calendar feed token (the old calendarFeedUrl answers 404).", auth: true, params: &[COMPANY, ID], body: None, ok: (200, Some(of::<Staff>)), errors: &[401, 404] },
    Operation { method: "get", path: p!("/staff/{id}/calendar.ics"), tag: "setup", summary: "The staff member's appointments as an iCalendar feed (the calendarFeedUrl of the staff record); 404 for a wrong token.", auth: false, params: &[COMPANY, ID, query("token", text, "The feed's secret, from calendarFeedUrl.")], body: None, ok: (200, None), errors: &[404] },
    Operation { method: "get", path: p!("/staff/{id}/calendarConnections"), tag: "setup", summary: "The staff member's connected calendars, each with the status of its reads.", auth: true, params: &[COMPANY, ID], body: None, ok: (200, Some(of::<ListResponse<CalendarConnection>>)), errors: &[401, 404] },
    Operation { method: "post", path: p!("/staff/{id}/calendarConnections"), tag: "setup", summary: "Connect a calendar (CalDAV with credentials, or a published ICS address) whose busy time blocks the staff member's slots; 409 for CalDAV on a server without --secret-key; 422 for an address the server may not call.", auth: true, params: &[COMPANY, ID], body: Some(of::<NewCalendarConnection>), ok: (201, Some(of::<CalendarConnection>)), errors: &[400, 401, 404, 409, 422] },
    Operation { method: "get", path: p!("/staff/{id}/calendarConnections/{connectionId}"), tag: "setup", summary: "A connected calendar and the status of its reads (never its password).", auth: true, params: &[COMPANY, ID, CONNECTION_ID], body: None, ok: (200, Some(of::<CalendarConnection>)), errors: &[401, 404] },
    Operation { method: "delete", path: p!("/staff/{id}/calendarConnections/{connectionId}"), tag: "setup", summary: "Disconnect a calendar: its busy time stops blocking slots.", auth: true, params: &[COMPANY, ID, CONNECTION_ID], body: None, ok: (204, None), errors: &[401, 404] },
    Operation { method: "get", path: p!("/resources"), tag: "setup", summary: "List resources.", auth: true, params: &[COMPANY], body: None, ok: (200, Some(of::<ListResponse<Resource>>)), errors: &[401, 404] },
    Operation { method: "post", path: p!("/resources"), tag: "setup", summary: "Create a resource.", auth: true, params: &[COMPANY], body: Some(of::<Resource>), ok: (201, Some(of::<Resource>)), errors: &[400, 401, 404, 409] },
    Operation { method: "get", path: p!("/resources/{id}"), tag: "setup", summary: "Get a resource.", auth: true, params: &[COMPANY, ID], body: None, ok: (200, Some(of::<Resource>)), errors: &[401, 404] },
    Operation { method: "put", path: p!("/resources/{id}"), tag: "setup", summary: "Replace a resource.", auth: true, params: &[COMPANY, ID], body: Some(of::<Resource>), ok: (200, Some(of::<Resource>)), errors: &[400, 401, 404, 409] },
    Operation { method: "delete", path: p!("/resources/{id}"), tag: "setup", summary: "Delete a resource.", auth: true, params: &[COMPANY, ID], body: None, ok: (204, None), errors: &[401, 404] },
    Operation { method: "get", path: p!("/forms"), tag: "setup", summary: "List forms.", auth: true, params: &[COMPANY], body: None, ok: (200, Some(of::<ListResponse<Form>>)), errors: &[401, 404] },
    Operation { method: "post", path: p!("/forms"), tag: "setup", summary: "Create a form.", auth: true, params: &[COMPANY], body: Some(bodies::form_definition), ok: (201, Some(of::<Form>)), errors: &[400, 401, 404, 409] },
    Operation { method: "get", path: p!("/forms/{id}"), tag: "setup", summary: "Get a form.", auth: true, params: &[COMPANY, ID], body: None, ok: (200, Some(of::<Form>)), errors: &[401, 404] },
    Operation { method: "put", path: p!("/forms/{id}"), tag: "setup", summary: "Replace a form.", auth: true, params: &[COMPANY, ID], body: Some(bodies::form_definition), ok: (200, Some(of::<Form>)), errors: &[400, 401, 404] },
    Operation { method: "delete", path: p!("/forms/{id}"), tag: "setup", summary: "Delete a form.", auth: true, params: &[COMPANY, ID], body: None, ok: (204, None), errors: &[401, 404] },
    Operation { method: "get", path: p!("/clients"), tag: "setup", summary: "List clients.", auth: true, params: &[COMPANY], body: None, ok: (200, Some(of::<ListResponse<ClientRef>>)), errors: &[401, 404] },
    Operation { method: "post", path: p!("/clients"), tag: "setup", summary: "Create a client.", auth: true, params: &[COMPANY], body: Some(bodies::client_record), ok: (201, Some(of::<ClientRef>)), errors: &[400, 401, 404, 409] },
    Operation { method: "get", path: p!("/clients/{id}"), tag: "setup", summary: "Get a client.", auth: true, params: &[COMPANY, ID], body: None, ok: (200, Some(of::<ClientRef>)), errors: &[401, 404] },
    Operation { method: "put", path: p!("/clients/{id}"), tag: "setup", summary: "Replace a client.", auth: true, params: &[COMPANY, ID], body: Some(bodies::client_record), ok: (200, Some(of::<ClientRef>)), errors: &[400, 401, 404, 409] },
    Operation { method: "delete", path: p!("/clients/{id}"), tag: "setup", summary: "Delete a client.", auth: true, params: &[COMPANY, ID], body: None, ok: (204, None), errors: &[401, 404] },
    // Appointment statuses (custom statuses, `customStatus.id`).
    Operation { method: "get", path: p!("/appointmentStatuses"), tag: "setup", summary: "List the company's custom appointment statuses.", auth: true, params: &[COMPANY], body: None, ok: (200, Some(of::<ListResponse<AppointmentStatusDefinition>>)), errors: &[401, 404] },
    Operation { method: "post", path: p!("/appointmentStatuses"), tag: "setup", summary: "Create a custom appointment status (id generated when absent).", auth: true, params: &[COMPANY], body: Some(of::<AppointmentStatusDefinition>), ok: (201, Some(of::<AppointmentStatusDefinition>)), errors: &[400, 401, 404, 409] },
    Operation { method: "get", path: p!("/appointmentStatuses/{id}"), tag: "setup", summary: "Get a custom appointment status.", auth: true, params: &[COMPANY, ID], body: None, ok: (200, Some(of::<AppointmentStatusDefinition>)), errors: &[401, 404] },
    Operation { method: "put", path: p!("/appointmentStatuses/{id}"), tag: "setup", summary: "Replace a custom appointment status (appointments show its new name).", auth: true, params: &[COMPANY, ID], body: Some(of::<AppointmentStatusDefinition>), ok: (200, Some(of::<AppointmentStatusDefinition>)), errors: &[400, 401, 404] },
    Operation { method: "delete", path: p!("/appointmentStatuses/{id}"), tag: "setup", summary: "Delete a custom appointment status (appointments keep its id, without a name).", auth: true, params: &[COMPANY, ID], body: None, ok: (204, None), errors: &[401, 404] },
    // Watches (webhooks) and their signing keys: see docs/webhooks.md.
    Operation { method: "get", path: p!("/appointments/watch"), tag: "watches", summary: "List watches (secrets masked).", auth: true, params: &[COMPANY], body: None, ok: (200, Some(of::<ListResponse<Watch>>)), errors: &[401, 404] },
    Operation { method: "post", path: p!("/appointments/watch"), tag: "watches", summary: "Create a watch: notify an address of every appointment change.", auth: true, params: &[COMPANY], body: Some(of::<Watch>), ok: (201, Some(of::<Watch>)), errors: &[400, 401, 404] },
    Operation { method: "get", path: p!("/appointments/watch/{watchId}"), tag: "watches", summary: "Get a watch (secrets masked).", auth: true, params: &[COMPANY, WATCH_ID], body: None, ok: (200, Some(of::<Watch>)), errors: &[401, 404] },
    Operation { method: "put", path: p!("/appointments/watch/{watchId}"), tag: "watches", summary: "Replace a watch (a masked secret sent back keeps the stored one).", auth: true, params: &[COMPANY, WATCH_ID], body: Some(of::<Watch>), ok: (200, Some(of::<Watch>)), errors: &[400, 401, 404] },
    Operation { method: "delete", path: p!("/appointments/watch/{watchId}"), tag: "watches", summary: "Delete a watch and its delivery log.", auth: true, params: &[COMPANY, WATCH_ID], body: None, ok: (204, None), errors: &[401, 404] },
    Operation { method: "get", path: p!("/appointments/watch/{watchId}/deliveries"), tag: "watches", summary: "The watch's delivery log: attempts, status codes, next retry.", auth: true,
        params: &[COMPANY, WATCH_ID, query("maxResults", delivery_count, "1–1000 (default 100).")], body: None, ok: (200, Some(bodies::deliveries)), errors: &[400, 401, 404] },
    Operation { method: "get", path: p!("/cryptoKeys"), tag: "watches", summary: "List signing keys (no secrets).", auth: true, params: &[COMPANY], body: None, ok: (200, Some(bodies::crypto_keys)), errors: &[401, 404] },
    Operation { method: "post", path: p!("/cryptoKeys"), tag: "watches", summary: "Create a signing key; its secret is shown once.", auth: true, params: &[COMPANY], body: Some(bodies::new_crypto_key), ok: (201, Some(bodies::crypto_key)), errors: &[400, 401, 404] },
    Operation { method: "get", path: p!("/cryptoKeys/{keyId}"), tag: "watches", summary: "Get a signing key (no secret).", auth: true, params: &[COMPANY, KEY_ID], body: None, ok: (200, Some(bodies::crypto_key)), errors: &[401, 404] },
    Operation { method: "delete", path: p!("/cryptoKeys/{keyId}"), tag: "watches", summary: "Delete a signing key (409 while a watch uses it).", auth: true, params: &[COMPANY, KEY_ID], body: None, ok: (204, None), errors: &[401, 404, 409] },
    Operation { method: "post", path: p!("/cryptoKeys/{keyId}/rotate"), tag: "watches", summary: "Rotate: a new secret (shown once); the old one keeps signing for 24 h.", auth: true, params: &[COMPANY, KEY_ID], body: None, ok: (200, Some(bodies::crypto_key)), errors: &[401, 404] },
    // Public widget API (no auth, nothing private).
    Operation { method: "get", path: p!("/widget/company"), tag: "widget", summary: "The company as visitors see it.", auth: false, params: &[COMPANY], body: None, ok: (200, Some(of::<PublicCompany>)), errors: &[404] },
    Operation { method: "get", path: p!("/widget/services"), tag: "widget", summary: "Services, localized.", auth: false, params: &[COMPANY, ANY_LANG], body: None, ok: (200, Some(of::<ListResponse<PublicService>>)), errors: &[404] },
    Operation { method: "get", path: p!("/widget/staff"), tag: "widget", summary: "Staff shown in the widget.", auth: false, params: &[COMPANY, query("serviceId", text, "Only staff performing this service.")], body: None, ok: (200, Some(of::<ListResponse<PublicStaff>>)), errors: &[404] },
    Operation { method: "get", path: p!("/widget/freeSlots"), tag: "widget", summary: "Bookable start times per day.", auth: false,
        params: &[COMPANY, required("startDate", day, "First day, yyyy-MM-dd."), required("endDate", day, "Last day, yyyy-MM-dd (at most 62 days)."),
            query("serviceId", text, "Service id or externalId (this or resourceId is required)."), query("resourceId", text, "A resource booked on its own, e.g. a room."),
            query("resourceCount", count, "Units of the resource (default 1)."),
            query("staffId", text, "Only this staff member."), query("timeZone", time_zone, "IANA zone of the answer (default: the company's)."), ANY_LANG],
        body: None, ok: (200, Some(of::<FreeSlotsResponse>)), errors: &[400, 404] },
    Operation { method: "get", path: p!("/widget/resources"), tag: "widget", summary: "Resources bookable on their own.", auth: false, params: &[COMPANY], body: None, ok: (200, Some(of::<ListResponse<PublicResource>>)), errors: &[404] },
    Operation { method: "get", path: p!("/widget/form"), tag: "widget", summary: "The booking form of a service or resource.", auth: false, params: &[COMPANY, query("serviceId", text, "Service id."), query("resourceId", text, "Resource id, instead of serviceId.")], body: None, ok: (200, Some(of::<Form>)), errors: &[400, 404] },
    Operation { method: "post", path: p!("/widget/appointments"), tag: "widget", summary: "A visitor books (rate-limited per IP).", auth: false, params: &[COMPANY], body: Some(bodies::booking_request), ok: (201, Some(of::<PublicAppointment>)), errors: &[400, 404, 409, 429] },
    Operation { method: "get", path: p!("/widget/appointments/{encryptedId}"), tag: "widget", summary: "The visitor's appointment.", auth: false, params: &[COMPANY, ENCRYPTED], body: None, ok: (200, Some(of::<PublicAppointment>)), errors: &[404] },
    Operation { method: "put", path: p!("/widget/appointments/{encryptedId}"), tag: "widget", summary: "The visitor reschedules.", auth: false, params: &[COMPANY, ENCRYPTED], body: Some(of::<PublicRescheduleRequest>), ok: (200, Some(of::<PublicAppointment>)), errors: &[400, 404, 409] },
    Operation { method: "delete", path: p!("/widget/appointments/{encryptedId}"), tag: "widget", summary: "The visitor cancels (answers the cancelled appointment).", auth: false, params: &[COMPANY, ENCRYPTED, ANY_LANG], body: None, ok: (200, Some(of::<PublicAppointment>)), errors: &[404, 409] },
    Operation { method: "get", path: p!("/widget/appointments/{encryptedId}/calendar.ics"), tag: "widget", summary: "The appointment as an iCalendar file.", auth: false, params: &[COMPANY, ENCRYPTED], body: None, ok: (200, None), errors: &[404] },
];
