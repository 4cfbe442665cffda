//! The model's small rules that the server leans on (defaults, names, limits), pinned here so that
//! the model's own tests catch a change to them (cargo-mutants found each one unguarded).

use booking_model::calendar_connection::{
    validate_calendar_connection, MAX_CREDENTIAL_LEN, MAX_URL_LEN,
};
use booking_model::schedule::parse_date;
use booking_model::{
    BookingTarget, GrantType, HttpRequestHeaders, NewCalendarConnection, OAuth2Auth,
    PublicBookingRequest, Service, Staff, Watch, WatchLevel, WatchMethod,
};
use serde_json::{json, Value};

fn from<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a valid document")
}

fn field_errors(new: &NewCalendarConnection) -> Vec<String> {
    validate_calendar_connection(new)
        .into_iter()
        .map(|e| e.name)
        .collect()
}

#[test]
fn calendar_connection_lengths_are_inclusive_limits() {
    let base = "https://dav.example/";
    let url_of = |len: usize| format!("{base}{}", "a".repeat(len - base.len()));
    let caldav = |url: String, username: String| NewCalendarConnection {
        kind: Some("caldav".into()),
        url: Some(url),
        username: Some(username),
        password: Some("secret".into()),
    };
    assert!(field_errors(&caldav(url_of(MAX_URL_LEN), "ann".into())).is_empty());
    assert_eq!(
        field_errors(&caldav(url_of(MAX_URL_LEN + 1), "ann".into())),
        ["url"]
    );
    let longest = "u".repeat(MAX_CREDENTIAL_LEN);
    assert!(field_errors(&caldav(url_of(40), longest.clone())).is_empty());
    assert_eq!(
        field_errors(&caldav(url_of(40), format!("{longest}u"))),
        ["username"]
    );
}

#[test]
fn dates_are_exactly_ten_characters() {
    assert_eq!(
        parse_date("2026-01-05").map(|d| d.to_string()),
        Ok("2026-01-05".to_owned())
    );
    // chrono alone reads these as 5 January.
    for loose in ["2026-01-5", "2026-1-05", "+2026-01-05", "2026/01/05"] {
        assert!(parse_date(loose).is_err(), "{loose}");
    }
}

#[test]
fn service_defaults() {
    let service: Service = from(json!({"id": "s", "duration": 45}));
    assert_eq!(service.slot_interval_minutes(), Some(45));
    assert!(service.uses_company_working_hours());
    let service: Service = from(json!({"id": "s", "duration": 45, "slotInterval": 15}));
    assert_eq!(service.slot_interval_minutes(), Some(15));
    let service: Service = from(json!({"id": "s", "duration": 0}));
    assert_eq!(service.slot_interval_minutes(), None, "zero is no interval");
    // Hours of its own, and no flag: its own hours apply.
    let service: Service = from(json!({
        "id": "s", "duration": 45,
        "workingHours": [{"day": "monday", "hours": [{"start": "09:00", "end": "12:00"}]}]
    }));
    assert!(!service.uses_company_working_hours());
}

#[test]
fn staff_names_visibility_and_services() {
    let staff: Staff = from(json!({
        "id": "ann", "firstName": "Ann", "lastName": "Lee", "services": [{"id": "cut"}]
    }));
    assert_eq!(staff.display_name(), "Ann Lee");
    assert!(staff.is_available_for_widget(), "visible when absent");
    assert!(staff.performs("cut"));
    assert!(!staff.performs("colour"));
    let staff: Staff = from(json!({"id": "bo", "firstName": "", "lastName": "Bo",
        "availableForWidget": false}));
    assert_eq!(staff.display_name(), "Bo");
    assert!(!staff.is_available_for_widget());
}

#[test]
fn booking_targets_and_their_ids() {
    let request = PublicBookingRequest {
        resource_id: Some("room".into()),
        resource_count: Some(2),
        ..Default::default()
    };
    let target = request.target().expect("a resource");
    assert_eq!(target.id(), Some("room"));
    assert_eq!(target.units(), 2);
    let request = PublicBookingRequest {
        service_id: Some("cut".into()),
        resource_id: Some("room".into()),
        ..Default::default()
    };
    assert_eq!(
        request
            .target()
            .and_then(|t| t.id().map(str::to_owned))
            .as_deref(),
        Some("cut")
    );
    assert_eq!(BookingTarget::Personal.id(), None);
}

#[test]
fn watch_defaults() {
    let hook = "https://hooks.example/";
    let watch: Watch = from(json!({"address": hook}));
    assert_eq!(watch.effective_level(), WatchLevel::Full);
    assert_eq!(watch.effective_method(), WatchMethod::Post);
    assert!(watch.is_enabled(), "enabled when absent");
    let watch: Watch = from(
        json!({"address": hook, "levelDetails": "extraFull", "method": "PUT",
        "status": "enabled"}),
    );
    assert_eq!(watch.effective_level(), WatchLevel::ExtraFull);
    assert_eq!(watch.effective_method(), WatchMethod::Put);
    assert!(watch.is_enabled());
    let watch: Watch = from(json!({"address": hook, "status": "disabled"}));
    assert!(!watch.is_enabled());
    let oauth: OAuth2Auth = from(json!({}));
    assert_eq!(oauth.effective_grant_type(), GrantType::RefreshToken);
    let oauth: OAuth2Auth = from(json!({"grantType": "client_credentials", "clientSecret": "s3"}));
    assert_eq!(oauth.effective_grant_type(), GrantType::ClientCredentials);
    let debug = format!("{oauth:?}");
    assert!(
        debug.contains("<redacted>") && !debug.contains("s3"),
        "{debug}"
    );
}

#[test]
fn request_headers_in_either_form() {
    let map = HttpRequestHeaders::map([("X-Api-Key", "k"), ("X-Tenant", "t")]);
    assert_eq!(map.len(), 2);
    assert_eq!(map.get("X-Tenant").map(String::as_str), Some("t"));
    assert_eq!(map.field(1, "value"), "httpRequestHeader.X-Tenant");
    assert_eq!(
        serde_json::to_value(&map).expect("json"),
        json!({"X-Api-Key": "k", "X-Tenant": "t"})
    );
    let list = HttpRequestHeaders::list([("X-Api-Key", "k")]);
    assert_eq!(list.len(), 1);
    assert_eq!(list.field(0, "value"), "httpRequestHeader[0].value");
    assert_eq!(
        serde_json::to_value(&list).expect("json"),
        json!([{"name": "X-Api-Key", "value": "k"}])
    );
}

#[test]
fn custom_statuses_need_a_name_and_a_hex_colour() {
    use booking_model::{validate_appointment_status, AppointmentStatusDefinition};
    let names = |status: Value| -> Vec<String> {
        let status: AppointmentStatusDefinition = from(status);
        validate_appointment_status(&status)
            .into_iter()
            .map(|e| e.name)
            .collect()
    };
    assert!(names(json!({"id": "paid", "name": "Paid", "color": "#2e7d32"})).is_empty());
    assert!(names(json!({"name": "Paid"})).is_empty(), "colour optional");
    assert_eq!(names(json!({"color": "#2e7d32"})), ["name"]);
    assert_eq!(names(json!({"name": "  "})), ["name"]);
    for bad in ["2e7d32", "#2e7d3", "#2e7d32f", "#2e7g32"] {
        assert_eq!(
            names(json!({"name": "Paid", "color": bad})),
            ["color"],
            "{bad}"
        );
    }
}

#[test]
fn error_bodies_carry_their_reason() {
    use booking_model::ErrorBody;
    let body: ErrorBody = from(json!({"error": {"code": 409, "message": "over",
        "reason": "appointmentOver"}}));
    assert_eq!(body.reason(), Some("appointmentOver"));
    let body: ErrorBody = from(json!({"error": {"code": 404, "message": "no"}}));
    assert_eq!(body.reason(), None);
}

#[test]
fn public_views_keep_what_visitors_see() {
    use booking_model::{Appointment, Company, PublicAppointment, PublicCompany, PublicResource};
    use booking_model::{Currency, Resource};
    let company: Company = from(
        json!({"id": "demo", "name": "Atelier", "timeZone": "Europe/Paris",
        "currency": "EUR", "email": "hello@atelier.example", "phone": "+33 1 23"}),
    );
    let public = serde_json::to_value(PublicCompany::from(&company)).expect("json");
    assert_eq!(public["name"], "Atelier");
    assert_eq!(public["timeZone"], "Europe/Paris");
    assert_eq!(public["currency"], "EUR");
    assert_eq!(public["phone"], "+33 1 23");
    let room: Resource = from(
        json!({"id": "room", "name": "Room", "duration": 60, "count": 2,
        "price": 30}),
    );
    let public = PublicResource::from_resource(&room, Some(Currency::Eur));
    assert_eq!(public.name.as_deref(), Some("Room"));
    assert_eq!(public.count, Some(2));
    assert_eq!(
        serde_json::to_value(public.price).expect("json"),
        json!({"amount": 30.0, "currency": "EUR"})
    );
    assert_eq!(PublicResource::from_resource(&room, None).price, None);
    // External ids are the business's own: the visitor's view drops them.
    let booked: Appointment = from(json!({"id": "a1",
        "resource": {"id": "room", "externalId": "crm-room-7"}}));
    let public = serde_json::to_value(PublicAppointment::from(&booked)).expect("json");
    assert_eq!(public["resource"], json!({"id": "room"}));
}

#[test]
fn urls_are_absolute_http_or_https() {
    use booking_model::validate::is_valid_url;
    for good in [
        "https://dav.example/cal/",
        "HTTP://dav.example",
        "http://[::1]:8080/x",
    ] {
        assert!(is_valid_url(good), "{good}");
    }
    for bad in [
        "ftp://dav.example",
        "https://",
        "dav.example",
        "https://a b.example",
        "https://dav.example/a\u{7}b",
    ] {
        assert!(!is_valid_url(bad), "{bad}");
    }
}

#[test]
fn basic_auth_passwords_stay_out_of_debug_output() {
    use booking_model::BasicAuth;
    let auth: BasicAuth = from(json!({"username": "ann", "password": "hunter2"}));
    let debug = format!("{auth:?}");
    assert!(
        debug.contains("ann") && debug.contains("<redacted>"),
        "{debug}"
    );
    assert!(!debug.contains("hunter2"), "{debug}");
}
