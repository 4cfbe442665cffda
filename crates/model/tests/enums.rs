//! The string enums read and write exactly the reference's spellings.

use std::str::FromStr;

use booking_model::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// For every variant: `VALUES`, serde, `Display` and `FromStr` agree.
fn consistent<T>(all: &[T], values: &[&str])
where
    T: Copy
        + PartialEq
        + std::fmt::Debug
        + std::fmt::Display
        + FromStr
        + Serialize
        + DeserializeOwned,
    T::Err: std::fmt::Debug,
{
    let texts: Vec<String> = all.iter().map(|v| v.to_string()).collect();
    assert_eq!(texts, values);
    for value in all {
        let text = value.to_string();
        assert_eq!(
            serde_json::to_value(value).expect("serializes"),
            serde_json::Value::String(text.clone())
        );
        assert_eq!(
            serde_json::from_value::<T>(text.clone().into()).expect("deserializes"),
            *value
        );
        assert_eq!(text.parse::<T>().expect("parses"), *value);
    }
}

#[test]
fn every_enum_is_consistent() {
    consistent(AppointmentStatus::ALL, AppointmentStatus::VALUES);
    consistent(AppointmentType::ALL, AppointmentType::VALUES);
    consistent(SendTo::ALL, SendTo::VALUES);
    consistent(Location::ALL, Location::VALUES);
    consistent(Currency::ALL, Currency::VALUES);
    consistent(LevelDetail::ALL, LevelDetail::VALUES);
    consistent(MeetingProvider::ALL, MeetingProvider::VALUES);
    consistent(HistoryType::ALL, HistoryType::VALUES);
    consistent(FormItemType::ALL, FormItemType::VALUES);
    consistent(FormObjectType::ALL, FormObjectType::VALUES);
    consistent(Weekday::ALL, Weekday::VALUES);
    consistent(DelayUnit::ALL, DelayUnit::VALUES);
    consistent(WatchLevel::ALL, WatchLevel::VALUES);
    consistent(WatchMethod::ALL, WatchMethod::VALUES);
    consistent(WatchStatus::ALL, WatchStatus::VALUES);
    consistent(GrantType::ALL, GrantType::VALUES);
    consistent(WatchEvent::ALL, WatchEvent::VALUES);
}

/// Every variant's spelling, written out by hand: the reference's "Values:" lists where it gives
/// one (quoted line numbers of `appointments-api-reference.txt`), else what `shared/spec/README.md`
/// or our own setup API documents. `consistent` then ties serde, `Display` and `FromStr` to these.
#[test]
fn every_spelling_is_pinned() {
    // Reference ~131 / ~571.
    assert_eq!(
        AppointmentStatus::VALUES,
        [
            "completed",
            "noShow",
            "accepted",
            "pending",
            "declined",
            "cancelled",
            "inProgress"
        ]
    );
    // ~187.
    assert_eq!(AppointmentType::VALUES, ["normal", "personal"]);
    // ~199.
    assert_eq!(SendTo::VALUES, ["parent", "client"]);
    // ~268.
    assert_eq!(
        Location::VALUES,
        ["companyAddress", "videoconference", "phone", "custom"]
    );
    // ~265.
    assert_eq!(
        Currency::VALUES,
        ["USD", "CAD", "EUR", "GBP", "DKK", "JPY", "INR", "CNY", "MXN", "CHF", "NZD"]
    );
    // ~424.
    assert_eq!(LevelDetail::VALUES, ["light", "full"]);
    // ~250.
    assert_eq!(MeetingProvider::VALUES, ["agendize", "teams"]);
    // ~167 leaves the list empty; these are the changes the server records.
    assert_eq!(
        HistoryType::VALUES,
        [
            "created",
            "statusChanged",
            "rescheduled",
            "edited",
            "cancelled",
            "deleted",
            "restored",
            "promoted"
        ]
    );
    // ~285 leaves the list empty; the widget renders each of these.
    assert_eq!(
        FormItemType::VALUES,
        [
            "input",
            "textarea",
            "email",
            "phone",
            "number",
            "date",
            "website",
            "price",
            "radio",
            "checkbox",
            "select",
            "scalerating",
            "address",
            "name",
            "file"
        ]
    );
    assert_eq!(
        FormObjectType::VALUES,
        ["service", "resource", "location", "allLocations"]
    );
    assert_eq!(
        Weekday::VALUES,
        [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday"
        ]
    );
    assert_eq!(DelayUnit::VALUES, ["minutes", "hours", "days", "weeks"]);
    // ~746, ~752, ~758, ~801; the methods are HTTP's own spellings.
    assert_eq!(WatchLevel::VALUES, ["full", "extraFull"]);
    assert_eq!(WatchStatus::VALUES, ["enabled", "disabled"]);
    assert_eq!(GrantType::VALUES, ["refresh_token", "client_credentials"]);
    assert_eq!(WatchEvent::VALUES, ["created", "updated", "deleted"]);
    assert_eq!(WatchMethod::VALUES, ["POST", "PUT", "PATCH", "DELETE"]);
    // The JSON spelling, not only `VALUES`, for one variant of each case style.
    for (value, json) in [
        (
            serde_json::to_string(&AppointmentStatus::NoShow),
            "\"noShow\"",
        ),
        (
            serde_json::to_string(&GrantType::ClientCredentials),
            "\"client_credentials\"",
        ),
        (serde_json::to_string(&WatchMethod::Patch), "\"PATCH\""),
        (serde_json::to_string(&Currency::Chf), "\"CHF\""),
    ] {
        assert_eq!(value.expect("serializes"), json);
    }
}

#[test]
fn parse_errors_name_the_allowed_values() {
    let err = AppointmentStatus::from_str("no_show").expect_err("wrong case");
    let message = err.to_string();
    assert!(message.contains("AppointmentStatus"), "{message}");
    assert!(message.contains("\"no_show\""), "{message}");
    assert!(message.contains("noShow, accepted"), "{message}");
    assert!(
        "eur".parse::<Currency>().is_err(),
        "currencies are upper case"
    );
    assert!(serde_json::from_str::<Location>("\"office\"").is_err());
}

#[test]
fn defaults_and_slot_blocking() {
    assert_eq!(Location::default(), Location::CompanyAddress);
    assert_eq!(WatchLevel::default(), WatchLevel::Full);
    assert_eq!(WatchMethod::default(), WatchMethod::Post);
    assert_eq!(GrantType::default(), GrantType::RefreshToken);
    let free: Vec<_> = AppointmentStatus::ALL
        .iter()
        .filter(|s| !s.blocks_slot())
        .collect();
    assert_eq!(
        free,
        [&AppointmentStatus::Declined, &AppointmentStatus::Cancelled]
    );
}
