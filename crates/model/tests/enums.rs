//! The string enums read and write exactly the reference's spellings.

use std::str::FromStr;

use booking_model::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// For every variant: serde, `as_str`, `Display` and `FromStr` agree.
fn consistent<T>(all: &[T])
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
    consistent(AppointmentStatus::ALL);
    consistent(AppointmentType::ALL);
    consistent(SendTo::ALL);
    consistent(Location::ALL);
    consistent(Currency::ALL);
    consistent(LevelDetail::ALL);
    consistent(MeetingProvider::ALL);
    consistent(HistoryType::ALL);
    consistent(FormItemType::ALL);
    consistent(FormObjectType::ALL);
    consistent(Weekday::ALL);
    consistent(DelayUnit::ALL);
    consistent(WatchLevel::ALL);
    consistent(WatchMethod::ALL);
    consistent(WatchStatus::ALL);
    consistent(GrantType::ALL);
    consistent(WatchEvent::ALL);
}

#[test]
fn spellings_match_the_reference() {
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
    assert_eq!(AppointmentStatus::NoShow.as_str(), "noShow");
    assert_eq!(
        Currency::VALUES,
        ["USD", "CAD", "EUR", "GBP", "DKK", "JPY", "INR", "CNY", "MXN", "CHF", "NZD"]
    );
    assert_eq!(Location::Videoconference.as_str(), "videoconference");
    assert_eq!(FormObjectType::AllLocations.as_str(), "allLocations");
    assert_eq!(GrantType::ClientCredentials.as_str(), "client_credentials");
    assert_eq!(WatchMethod::Patch.as_str(), "PATCH");
    assert_eq!(WatchLevel::ExtraFull.as_str(), "extraFull");
    assert_eq!(HistoryType::StatusChanged.as_str(), "statusChanged");
    assert_eq!(FormItemType::Scalerating.as_str(), "scalerating");
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
