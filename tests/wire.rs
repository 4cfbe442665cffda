//! `wire::parse` (the browser's `JSON.parse` + typed reads) reads every answer exactly as serde does:
//! each document below is parsed both ways and the results compared, then the errors serde would
//! raise are raised too, naming the field. `wire_out` (objects + `JSON.stringify`) writes every request
//! body as the text serde wrote, and host messages as the objects serde's text parsed to.

use booking_model::{
    DaySlots, ErrorBody, Form, FreeSlotsResponse, ListResponse, PublicAppointment,
    PublicBookingRequest, PublicCompany, PublicRescheduleRequest, PublicResource, PublicService,
    PublicStaff,
};
use booking_widget::host::HostEvent;
use booking_widget::wire::{self, FromJs};
use booking_widget::wire_out::{to_json, ToJs};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn same_as_serde<T: FromJs + DeserializeOwned + PartialEq + std::fmt::Debug>(json: &str) {
    let by_serde: T = serde_json::from_str(json).expect("serde reads it");
    let by_wire: T = wire::parse(json).expect("wire reads it");
    assert_eq!(by_wire, by_serde, "{json}");
}

#[wasm_bindgen_test]
fn every_field_of_every_answer_reads_as_serde_reads_it() {
    same_as_serde::<ListResponse<PublicService>>(
        r#"{"items":[{"id":"s1","name":"Cut","description":"d","duration":45,
            "price":{"amount":55.5,"currency":"EUR"},"capacity":2,"locations":["companyAddress","phone"],
            "staffIds":["a","b"],"waitingList":true,"requiresValidation":false},
            {"id":"s2","name":null}],"nextSyncToken":"t"}"#,
    );
    same_as_serde::<PublicCompany>(
        r#"{"id":"demo","name":"Demo","timeZone":"Europe/Paris","currency":"USD","description":"x",
            "address":{"street":"1 rue","otherStreet":"b","zipCode":"75001","state":"IDF","city":"Paris",
            "country":"FR"},"email":"a@b.co","phone":"+33","unknownField":[1,2]}"#,
    );
    same_as_serde::<ListResponse<PublicStaff>>(
        r##"{"items":[{"id":"a","firstName":"Ann","lastName":"Lee","title":"t","description":"d",
            "color":"#fff","avatarUrl":"https://x/a.png","serviceIds":["s1"]}]}"##,
    );
    same_as_serde::<ListResponse<PublicResource>>(
        r#"{"items":[{"id":"r","name":"Court","duration":60,"count":3,
            "price":{"amount":10,"currency":"GBP"}}]}"#,
    );
    same_as_serde::<FreeSlotsResponse>(
        r#"{"items":[{"day":"2026-12-01","timeZone":"Europe/Paris",
            "slots":["2026-12-01T09:30:00+01:00"]},{"day":"2026-12-02","timeZone":"UTC"}],
            "service":{"id":"s1","name":"Cut"},"staff":{"id":"a","firstName":"Ann","lastName":"Lee"}}"#,
    );
    same_as_serde::<PublicAppointment>(
        r#"{"id":"1","reference":"R-1","encryptedId":"e","start":{"dateTime":"2026-12-01T09:30:00",
            "timeZone":"Europe/Paris"},"end":{"dateTime":"2026-12-01T10:15:00"},
            "service":{"id":"s1","name":"Cut"},"staff":{"id":"a","firstName":"Ann"},
            "resource":{"id":"r","name":"Court"},"resourceCount":2,"location":"videoconference",
            "locationCustom":"here","onlineMeeting":{"provider":"teams","videoLink":"https://v"},
            "price":{"amount":12.25,"currency":"JPY"},"status":"pending",
            "rescheduleLink":{"url":"https://r"},"addToWaitingList":false,
            "extendedProperties":{"s":"x","n":3,"neg":-4,"f":2.5,"b":true,"z":null,
            "a":[1,"two",{"k":[]}],"o":{"p":{}}}}"#,
    );
    same_as_serde::<ErrorBody>(
        r#"{"error":{"code":400,"message":"invalid request","reason":"slotTaken",
            "fields":[{"name":"form.contactFields[2].value","reason":"r","code":"email","limit":127},
            {"name":"start","reason":"r2"}]}}"#,
    );
    let demo: serde_json::Value =
        serde_json::from_str(include_str!("../crates/server/assets/demo.json")).expect("demo.json");
    for form in demo["forms"].as_array().expect("forms") {
        same_as_serde::<Form>(&form.to_string());
    }
    same_as_serde::<Form>(
        r#"{"id":"f","name":"n","contactFields":[{"id":"i","type":"select","title":"t","bind":"b",
            "bindGroup":"g","externalId":"x","help":"h","placeholder":"p","mandatory":true,
            "visible":false,"otherValue":true,"category":true,"multiple":true,"fileName":"f.pdf",
            "value":"v","values":[{"name":"cat","values":[{"id":"1","name":"One","value":"1"}]}],
            "valueFormat":{"maxLength":5,"minLength":1,"regexType":"zip","regexValue":"[0-9]+",
            "valueFormat":"5 digits"},"zonedDateTime":{"dateTime":"2011-12-03T10:15:30",
            "timeZone":"UTC"},"subItem":[{"id":"s","type":"input"}]}],
            "additionalFields":[[{"id":"a","type":"file"}],[]],
            "objects":[{"id":"s1","type":"service"},{"type":"allLocations"}]}"#,
    );
}

#[wasm_bindgen_test]
fn what_serde_refuses_is_refused_naming_the_field() {
    let refused = [
        // A required field missing, a wrong type, an unknown spelling, a fraction for a count,
        // null for a list, not JSON at all.
        (r#"{"items":[{"timeZone":"UTC"}]}"#, "day"),
        (
            r#"{"items":[{"day":"2026-12-01","timeZone":"UTC","slots":"09:00"}]}"#,
            "slots",
        ),
        (
            r#"{"items":[{"day":"2026-13-01","timeZone":"UTC"}]}"#,
            "day",
        ),
        (r#"{"items":null}"#, "items"),
        ("not json", "JSON"),
    ];
    for (json, field) in refused {
        assert!(
            serde_json::from_str::<FreeSlotsResponse>(json).is_err(),
            "{json}"
        );
        let error = wire::parse::<FreeSlotsResponse>(json).expect_err(json);
        assert!(error.contains(field), "{json}: {error}");
    }
    let refused = [
        (
            r#"{"items":[{"price":{"amount":1,"currency":"XXX"}}]}"#,
            "currency",
        ),
        (r#"{"items":[{"duration":1.5}]}"#, "duration"),
        (r#"{"items":[{"duration":-1}]}"#, "duration"),
        (r#"{"items":[{"price":{"currency":"EUR"}}]}"#, "amount"),
        (r#"{"items":[{"name":3}]}"#, "name"),
        (r#"{"items":[{"waitingList":"true"}]}"#, "waitingList"),
        (r#"{"items":[3]}"#, "object"),
    ];
    for (json, field) in refused {
        assert!(
            serde_json::from_str::<ListResponse<PublicService>>(json).is_err(),
            "{json}"
        );
        let error = wire::parse::<ListResponse<PublicService>>(json).expect_err(json);
        assert!(error.contains(field), "{json}: {error}");
    }
    let day: Result<DaySlots, _> = wire::parse(r#"{"day":"2026-12-01","timeZone":"UTC"}"#);
    assert_eq!(day.map(|d| d.slots.len()), Ok(0));
}

/// Reads `json` with serde, then writes it back both ways: the same text.
fn written_as_serde_writes<T: ToJs + Serialize + DeserializeOwned>(json: &str) {
    let value: T = serde_json::from_str(json).expect("serde reads it");
    let by_serde = serde_json::to_string(&value).expect("serde writes it");
    assert_eq!(to_json(&value), by_serde, "{json}");
}

#[wasm_bindgen_test]
fn request_bodies_are_the_text_serde_wrote() {
    // Every field set (with strings JSON must escape), then only the required ones.
    written_as_serde_writes::<PublicBookingRequest>(
        r#"{"serviceId":"haircut","resourceId":"r","resourceCount":2,"staffId":"camille",
            "start":"2026-12-01T09:30:00+01:00","timeZone":"Europe/Paris","lang":"fr",
            "form":{"id":"f","name":"Quote \" back\\slash \n tab\t ctl\u0001 é 😀 \u2028",
            "contactFields":[{"id":"i","type":"select","title":"t","bind":"b","bindGroup":"g",
            "externalId":"x","help":"h","placeholder":"p","mandatory":true,"visible":false,
            "otherValue":true,"category":true,"multiple":true,"fileName":"f.pdf","value":"v",
            "values":[{"id":"c","name":"cat","value":"c","values":[{"id":"1","name":"One","value":"1"}]}],
            "valueFormat":{"maxLength":5,"minLength":1,"regexType":"zip","regexValue":"[0-9]+",
            "valueFormat":"5 digits"},"zonedDateTime":{"dateTime":"2011-12-03T10:15:30",
            "timeZone":"UTC"},"subItem":[{"id":"s","type":"input","value":""}]}],
            "additionalFields":[[{"id":"a","type":"file","value":"data:text/plain;base64,aGk="}],[]],
            "objects":[{"id":"s1","type":"service"},{"type":"allLocations"}]},
            "addToWaitingList":true,
            "extendedProperties":{"campaign":"spring","n":3,"neg":-4,"f":2.5,"b":false,"z":null,
            "a":[1,"two",{"k":[]}],"o":{"p":{}}},"source":"https://example.com/?a=1&b=2"}"#,
    );
    written_as_serde_writes::<PublicBookingRequest>(r#"{"start":"2026-12-01T09:30:00Z"}"#);
    written_as_serde_writes::<PublicRescheduleRequest>(
        r#"{"start":"2026-12-01T09:30:00+01:00","staffId":"a","timeZone":"UTC","lang":"en"}"#,
    );
    written_as_serde_writes::<PublicRescheduleRequest>(r#"{"start":"2026-12-01T09:30:00Z"}"#);
}

/// What the host page receives for `event`, read back as JSON.
fn posted(event: HostEvent<'_>) -> serde_json::Value {
    let text = js_sys::JSON::stringify(&event.message())
        .expect("a plain object")
        .as_string()
        .expect("text");
    serde_json::from_str(&text).expect("valid JSON")
}

#[wasm_bindgen_test]
fn host_messages_carry_what_serde_wrote() {
    let appointment: PublicAppointment = serde_json::from_str(
        r#"{"id":"1","reference":"R-1","encryptedId":"e","start":{"dateTime":"2026-12-01T09:30:00",
            "timeZone":"Europe/Paris"},"end":{"dateTime":"2026-12-01T10:15:00"},
            "service":{"id":"s1","name":"Cut"},"staff":{"id":"a","firstName":"Ann","lastName":"Lee"},
            "resource":{"id":"r","name":"Court"},"resourceCount":2,"location":"videoconference",
            "locationCustom":"here","onlineMeeting":{"provider":"teams","videoLink":"https://v"},
            "price":{"amount":12.25,"currency":"JPY"},"status":"pending",
            "rescheduleLink":{"url":"https://r"},"addToWaitingList":false,
            "extendedProperties":{"s":"x","n":3}}"#,
    )
    .expect("serde reads it");
    let message = posted(HostEvent::BookingSucceeded(&appointment));
    assert_eq!(
        (&message["source"], &message["version"], &message["type"]),
        (
            &serde_json::json!("booking-widget"),
            &serde_json::json!(1),
            &serde_json::json!("bookingSucceeded")
        )
    );
    assert_eq!(
        message["payload"],
        serde_json::to_value(&appointment).expect("serde writes it")
    );
    let service: PublicService = serde_json::from_str(
        r#"{"id":"s1","name":"Cut","description":"d","duration":45,
            "price":{"amount":55.5,"currency":"EUR"},"capacity":2,"locations":["companyAddress"],
            "staffIds":["a","b"],"waitingList":true,"requiresValidation":false}"#,
    )
    .expect("serde reads it");
    assert_eq!(
        posted(HostEvent::ServiceSelected(&service))["payload"],
        serde_json::to_value(&service).expect("serde writes it")
    );
    // A whole-number price is a JavaScript number either way: serde's 30.0 is the host's 30.
    let whole = PublicService {
        price: Some(booking_model::Price {
            amount: 30.0,
            currency: booking_model::Currency::Eur,
        }),
        ..PublicService::default()
    };
    assert_eq!(
        posted(HostEvent::ServiceSelected(&whole))["payload"]["price"]["amount"].as_f64(),
        Some(30.0)
    );
    assert_eq!(
        posted(HostEvent::Resize(640.0))["payload"],
        serde_json::json!({"height": 640})
    );
    assert_eq!(posted(HostEvent::Ready)["payload"], serde_json::json!({}));
    let slot = posted(HostEvent::SlotSelected {
        start: "2026-12-01T09:00:00+01:00",
        service_id: Some("haircut"),
        staff_id: None,
    });
    assert_eq!(
        slot["payload"],
        serde_json::json!({"start": "2026-12-01T09:00:00+01:00", "serviceId": "haircut", "staffId": null})
    );
}
