//! Every fixture goes JSON → typed → JSON unchanged, so no field is lost or renamed.

use booking_model::{
    Appointment, Company, ErrorBody, Form, FreeSlotsResponse, ListResponse, PublicBookingRequest,
    Resource, Service, Staff, Watch, WatchNotification,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Parses `text` as `T`, writes it back, and asserts the JSON is unchanged; returns the value.
fn round_trip<T: DeserializeOwned + Serialize>(text: &str) -> T {
    let original: Value = serde_json::from_str(text).expect("fixture is JSON");
    let typed: T = serde_json::from_value(original.clone()).expect("fixture matches the type");
    let written = serde_json::to_value(&typed).expect("serializes");
    assert_eq!(written, original, "round trip changed the JSON");
    typed
}

#[test]
fn appointment_with_every_field() {
    let a: Appointment = round_trip(include_str!("fixtures/appointment.json"));
    assert_eq!(a.paid, Some(true));
    assert_eq!(a.add_to_waiting_list, Some(false));
    assert_eq!(a.iteration_count, Some(3));
    assert_eq!(a.meta_event, Some(false));
    assert_eq!(a.service_resource.len(), 1);
    let sync = a.synchronization.as_ref().expect("synchronization");
    assert_eq!(
        sync.salesforce.as_ref().and_then(|s| s.id.as_deref()),
        Some("00U5e00000AbCdE")
    );
    let form = a.form.as_ref().expect("form");
    assert_eq!(form.items().count(), 11);
    assert_eq!(
        form.bound_value(booking_model::form::BIND_EMAIL),
        Some("ada@example.com")
    );
    let start = a
        .start
        .as_ref()
        .expect("start")
        .parse_local()
        .expect("local time");
    assert_eq!(start.to_string(), "2026-12-01 09:30:00");
}

#[test]
fn form_definition_with_every_item_type() {
    let form: Form = round_trip(include_str!("fixtures/form.json"));
    let types: std::collections::BTreeSet<_> = form.items().filter_map(|i| i.item_type).collect();
    assert_eq!(
        types.len(),
        booking_model::FormItemType::ALL.len(),
        "fixture covers every type"
    );
}

#[test]
fn watch_with_every_field() {
    let watch: Watch = round_trip(include_str!("fixtures/watch.json"));
    assert_eq!(
        watch
            .http_request_header
            .get("X-Tenant")
            .map(String::as_str),
        Some("salon-lumiere")
    );
    let debug = format!("{watch:?}");
    assert!(
        !debug.contains("s3cret")
            && !debug.contains("client-secret-456")
            && !debug.contains("rt-789")
    );
}

#[test]
fn watch_notification_flattens_the_appointment() {
    let n: WatchNotification = round_trip(include_str!("fixtures/watch_notification.json"));
    assert_eq!(n.event, booking_model::WatchEvent::Updated);
    assert_eq!(n.appointment.reference.as_deref(), Some("BK-2026-00417"));
    assert_eq!(n.appointment.paid, Some(false));
}

#[test]
fn company_service_staff_resource() {
    let company: Company = round_trip(include_str!("fixtures/company.json"));
    for day in &company.working_hours {
        day.parse_hours().expect("fixture hours are valid");
    }
    let service: Service = round_trip(include_str!("fixtures/service.json"));
    assert_eq!(service.localized("fr").0, "Coupe");
    assert_eq!(
        service.min_appointment_date.map(|d| d.as_minutes()),
        Some(120)
    );
    let staff: Staff = round_trip(include_str!("fixtures/staff.json"));
    assert!(staff.performs("svc-colour"));
    let _: Resource = round_trip(include_str!("fixtures/resource.json"));
}

#[test]
fn api_shapes() {
    let slots: FreeSlotsResponse = round_trip(include_str!("fixtures/free_slots.json"));
    let parsed = slots.items[0].parse_slots().expect("RFC 3339 slots");
    assert_eq!(
        booking_model::api::format_slot(&parsed[1]),
        "2026-12-01T09:30:00+01:00"
    );
    let _: ErrorBody = round_trip(include_str!("fixtures/error.json"));
    let request: PublicBookingRequest =
        round_trip(include_str!("fixtures/public_booking_request.json"));
    assert!(booking_model::validate_booking_request(&request).is_empty());
    let list = format!(
        r#"{{"items":[{}],"nextSyncToken":"s-1","nextPageToken":"p-2"}}"#,
        include_str!("fixtures/appointment.json")
    );
    let list: ListResponse<Appointment> = round_trip(&list);
    assert_eq!(list.items.len(), 1);
}

#[test]
fn absent_fields_are_not_written() {
    assert_eq!(
        serde_json::to_value(Appointment::default()).expect("serializes"),
        json!({})
    );
    assert_eq!(
        serde_json::to_value(Form::default()).expect("serializes"),
        json!({})
    );
    assert_eq!(
        serde_json::to_value(Service::default()).expect("serializes"),
        json!({})
    );
    assert_eq!(
        serde_json::to_value(ErrorBody::new(404, "no appointment a1: check the id"))
            .expect("serializes"),
        json!({ "error": { "code": 404, "message": "no appointment a1: check the id" } })
    );
    assert_eq!(
        serde_json::to_value(ListResponse::<Appointment>::default()).expect("serializes"),
        json!({ "items": [] })
    );
}

#[test]
fn loose_wire_types_are_accepted_and_normalized() {
    let a: Appointment = serde_json::from_value(json!({
        "paid": true,
        "addToWaitingList": "true",
        "iterationCount": "4"
    }))
    .expect("lenient fields");
    assert_eq!(
        (a.paid, a.add_to_waiting_list, a.iteration_count),
        (Some(true), Some(true), Some(4))
    );
    assert_eq!(
        serde_json::to_value(&a).expect("serializes"),
        json!({ "paid": "true", "addToWaitingList": "true", "iterationCount": 4 })
    );
    assert!(serde_json::from_value::<Appointment>(json!({ "paid": "yes" })).is_err());
}

#[test]
fn public_views_leave_private_data_out() {
    let a: Appointment =
        serde_json::from_str(include_str!("fixtures/appointment.json")).expect("fixture");
    let public =
        serde_json::to_value(booking_model::PublicAppointment::from(&a)).expect("serializes");
    let text = public.to_string();
    for private in [
        "crmDealId",
        "ada@example.com",
        "crm-svc-88",
        "hr-1042",
        "Prefers the window",
    ] {
        assert!(!text.contains(private), "{private} leaked: {text}");
    }
    assert_eq!(
        public["extendedProperties"],
        json!({ "giftCard": true, "notesForClient": ["bring ID"] })
    );

    let service: Service =
        serde_json::from_str(include_str!("fixtures/service.json")).expect("fixture");
    let view = booking_model::PublicService::from_service(
        &service,
        Some(booking_model::Currency::Eur),
        Some("fr-FR"),
    );
    assert_eq!(view.name.as_deref(), Some("Coupe"));
    assert_eq!(view.staff_ids, ["st-ana", "st-bo"]);
    assert_eq!(view.price.map(|p| p.amount), Some(49.5));

    let staff: Staff = serde_json::from_str(include_str!("fixtures/staff.json")).expect("fixture");
    let text =
        serde_json::to_string(&booking_model::PublicStaff::from(&staff)).expect("serializes");
    assert!(!text.contains("ana@lumiere.example") && text.contains("svc-colour"));

    let company: Company =
        serde_json::from_str(include_str!("fixtures/company.json")).expect("fixture");
    let text =
        serde_json::to_string(&booking_model::PublicCompany::from(&company)).expect("serializes");
    assert!(!text.contains("billingPlan") && !text.contains("erp-company-1"));
}
