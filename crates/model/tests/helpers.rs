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
