//! `validate_appointment`: one passing and one failing case per rule, asserting the field name.

use booking_model::validate::MAX_EXTENDED_PROPERTIES_BYTES;
use booking_model::*;
use serde_json::json;

/// A complete, valid insert.
fn valid() -> Appointment {
    serde_json::from_value(json!({
        "client": { "id": "cl-1", "firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com", "timeZone": "Europe/London" },
        "service": { "id": "svc-cut" },
        "start": { "dateTime": "2026-12-01T09:30:00", "timeZone": "Europe/Paris" },
        "notes": "Window seat"
    }))
    .expect("valid fixture")
}

fn names(appointment: &Appointment, mode: Mode) -> Vec<String> {
    validate_appointment(appointment, mode)
        .into_iter()
        .map(|e| e.name)
        .collect()
}

/// Asserts `appointment` fails exactly on `field` (in both modes unless `insert_only`).
fn fails_on(appointment: &Appointment, mode: Mode, field: &str) {
    let errors = validate_appointment(appointment, mode);
    assert_eq!(
        errors.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
        [field],
        "{errors:?}"
    );
    assert!(!errors[0].reason.is_empty());
}

#[test]
fn valid_insert_and_empty_update_pass() {
    assert!(names(&valid(), Mode::Insert).is_empty());
    assert!(names(&Appointment::default(), Mode::Update).is_empty());
}

#[test]
fn ids_are_at_most_16_characters() {
    let mut a = valid();
    a.service.as_mut().expect("service").id = Some("s".repeat(16));
    a.staff = Some(StaffRef {
        id: Some("x".repeat(16)),
        ..StaffRef::default()
    });
    assert!(names(&a, Mode::Insert).is_empty());

    for field in [
        "service.id",
        "resource.id",
        "staff.id",
        "client.id",
        "parent.id",
    ] {
        let mut a = valid();
        let long = Some("x".repeat(17));
        match field {
            "service.id" => a.service.as_mut().expect("service").id = long,
            "resource.id" => {
                a.service = None;
                a.resource_count = Some(1);
                a.resource = Some(ResourceRef {
                    id: long,
                    ..ResourceRef::default()
                });
            }
            "staff.id" => {
                a.staff = Some(StaffRef {
                    id: long,
                    ..StaffRef::default()
                })
            }
            "client.id" => a.client.as_mut().expect("client").id = long,
            _ => {
                a.parent = Some(ParentRef {
                    id: long,
                    ..ParentRef::default()
                })
            }
        }
        fails_on(&a, Mode::Insert, field);
        let reason = &validate_appointment(&a, Mode::Update)[0].reason;
        assert_eq!(reason, "must be at most 16 characters (got 17)");
    }
}

#[test]
fn names_and_emails_are_at_most_127_characters() {
    let mut a = valid();
    a.client.as_mut().expect("client").first_name = Some("é".repeat(127));
    assert!(
        names(&a, Mode::Update).is_empty(),
        "counted in characters, not bytes"
    );

    a.client.as_mut().expect("client").first_name = Some("a".repeat(128));
    fails_on(&a, Mode::Update, "client.firstName");

    let mut a = valid();
    a.parent = Some(ParentRef {
        last_name: Some("b".repeat(128)),
        ..ParentRef::default()
    });
    fails_on(&a, Mode::Update, "parent.lastName");

    let mut a = valid();
    a.client.as_mut().expect("client").email = Some(format!("{}@example.com", "a".repeat(116)));
    fails_on(&a, Mode::Update, "client.email");
}

#[test]
fn notes_and_external_ids_are_at_most_65535_characters() {
    let mut a = valid();
    a.notes = Some("n".repeat(65_535));
    a.client.as_mut().expect("client").external_id = Some("e".repeat(65_535));
    assert!(names(&a, Mode::Update).is_empty());

    a.notes = Some("n".repeat(65_536));
    fails_on(&a, Mode::Update, "notes");

    let mut a = valid();
    a.parent = Some(ParentRef {
        external_id: Some("e".repeat(65_536)),
        ..ParentRef::default()
    });
    fails_on(&a, Mode::Update, "parent.externalId");
}

#[test]
fn emails_need_a_plausible_syntax() {
    let mut a = valid();
    a.parent = Some(ParentRef {
        email: Some("parent@example.org".into()),
        ..ParentRef::default()
    });
    assert!(names(&a, Mode::Update).is_empty());

    for bad in ["ada@", "ada example.com", "ada@localhost", "a@b@c.com"] {
        let mut a = valid();
        a.client.as_mut().expect("client").email = Some(bad.into());
        fails_on(&a, Mode::Update, "client.email");
    }
    let mut a = valid();
    a.parent = Some(ParentRef {
        email: Some("nope".into()),
        ..ParentRef::default()
    });
    fails_on(&a, Mode::Update, "parent.email");
}

#[test]
fn status_and_custom_status_are_exclusive() {
    let mut a = valid();
    a.status = Some(AppointmentStatus::Pending);
    assert!(names(&a, Mode::Insert).is_empty());
    a.custom_status = Some(CustomStatus {
        id: Some("cs-1".into()),
        name: None,
    });
    fails_on(&a, Mode::Update, "customStatus");
}

#[test]
fn insert_requires_a_client() {
    let mut a = valid();
    a.client = None;
    fails_on(&a, Mode::Insert, "client");
    assert!(
        names(&a, Mode::Update).is_empty(),
        "an update keeps the client"
    );

    a.client = Some(ClientRef::default());
    fails_on(&a, Mode::Insert, "client");
}

#[test]
fn insert_requires_a_service_or_a_resource_not_both() {
    let mut a = valid();
    a.service = Some(ServiceRef {
        external_id: Some("crm-svc-88".into()),
        ..ServiceRef::default()
    });
    assert!(names(&a, Mode::Insert).is_empty(), "externalId is enough");

    a.service = None;
    fails_on(&a, Mode::Insert, "service");

    a.resource = Some(ResourceRef {
        id: Some("room-2".into()),
        ..ResourceRef::default()
    });
    a.resource_count = Some(2);
    assert!(names(&a, Mode::Insert).is_empty());

    a.service = Some(ServiceRef {
        id: Some("svc-cut".into()),
        ..ServiceRef::default()
    });
    fails_on(&a, Mode::Insert, "resource");
    fails_on(&a, Mode::Update, "resource");
}

#[test]
fn resource_count_is_at_least_one() {
    let mut a = valid();
    a.service = None;
    a.resource = Some(ResourceRef {
        external_id: Some("erp-room-2".into()),
        ..ResourceRef::default()
    });
    a.resource_count = Some(1);
    assert!(names(&a, Mode::Insert).is_empty());

    a.resource_count = Some(0);
    fails_on(&a, Mode::Insert, "resourceCount");
    a.resource_count = None;
    fails_on(&a, Mode::Insert, "resourceCount");
    assert!(
        names(&a, Mode::Update).is_empty(),
        "an update keeps the count"
    );
}

#[test]
fn iteration_count_is_at_least_one() {
    let mut a = valid();
    a.iteration_count = Some(1);
    assert!(names(&a, Mode::Update).is_empty());
    a.iteration_count = Some(0);
    fails_on(&a, Mode::Update, "iterationCount");
}

#[test]
fn insert_requires_a_start_without_offset() {
    let mut a = valid();
    a.start = Some(DateTimeZone {
        date_time: "2026-12-01T09:30".into(),
        time_zone: None,
    });
    assert!(
        names(&a, Mode::Insert).is_empty(),
        "seconds are optional, zone defaults to the company's"
    );

    a.start = None;
    fails_on(&a, Mode::Insert, "start");
    assert!(names(&a, Mode::Update).is_empty());

    a.start = Some(DateTimeZone {
        date_time: "2026-12-01T09:30:00+01:00".into(),
        time_zone: None,
    });
    fails_on(&a, Mode::Update, "start.dateTime");
    a.end = Some(DateTimeZone {
        date_time: "tomorrow".into(),
        time_zone: None,
    });
    // `end` is only used by personal appointments: elsewhere it is ignored, never a 400.
    assert_eq!(names(&a, Mode::Update), ["start.dateTime"]);
    a.appointment_type = Some(AppointmentType::Personal);
    assert_eq!(names(&a, Mode::Update), ["start.dateTime", "end.dateTime"]);
}

#[test]
fn start_is_before_end_for_personal_appointments_only() {
    let zone = Some("Europe/Paris".to_owned());
    let mut a = valid();
    a.end = Some(DateTimeZone {
        date_time: "2026-12-01T09:30:00".into(),
        time_zone: zone.clone(),
    });
    assert!(
        names(&a, Mode::Update).is_empty(),
        "a normal appointment's end is ignored"
    );

    let mut a: Appointment = serde_json::from_value(json!({
        "type": "personal",
        "staff": { "id": "st-1" },
        "start": { "dateTime": "2026-12-01T09:30:00", "timeZone": "Europe/Paris" },
        "end": { "dateTime": "2026-12-01T10:00:00", "timeZone": "Europe/Paris" }
    }))
    .expect("personal fixture");
    assert!(names(&a, Mode::Insert).is_empty());

    a.end = Some(DateTimeZone {
        date_time: "2026-12-01T09:30:00".into(),
        time_zone: zone,
    });
    fails_on(&a, Mode::Insert, "end.dateTime");

    // Different zones: the order depends on offsets, left to the server.
    a.end = Some(DateTimeZone {
        date_time: "2026-12-01T08:45:00".into(),
        time_zone: Some("Europe/London".into()),
    });
    assert!(names(&a, Mode::Insert).is_empty());
}

#[test]
fn time_zones_are_checked() {
    let mut a = valid();
    a.client.as_mut().expect("client").time_zone = Some("Europe/ London".into());
    fails_on(&a, Mode::Update, "client.timeZone");

    let mut a = valid();
    a.start.as_mut().expect("start").time_zone = Some(String::new());
    fails_on(&a, Mode::Update, "start.timeZone");

    #[cfg(feature = "tz")]
    {
        let mut a = valid();
        a.start.as_mut().expect("start").time_zone = Some("Europe/Atlantis".into());
        fails_on(&a, Mode::Update, "start.timeZone");
    }
}

#[test]
fn personal_appointments_need_staff_and_end_but_no_client() {
    let mut a: Appointment = serde_json::from_value(json!({
        "type": "personal",
        "staff": { "id": "st-ana" },
        "start": { "dateTime": "2026-12-01T12:00:00" },
        "end": { "dateTime": "2026-12-01T13:00:00" }
    }))
    .expect("valid fixture");
    assert!(names(&a, Mode::Insert).is_empty());

    a.staff = None;
    fails_on(&a, Mode::Insert, "staff.id");
    a.staff = Some(StaffRef {
        id: Some("st-ana".into()),
        ..StaffRef::default()
    });
    a.end = None;
    fails_on(&a, Mode::Insert, "end");
}

#[test]
fn extended_properties_are_at_most_22_kb() {
    let sized = |len: usize| ExtendedProperties {
        private: Some(serde_json::Map::from_iter([(
            "blob".to_owned(),
            json!("x".repeat(len)),
        )])),
        public: None,
    };
    // {"private":{"blob":"…"}} adds 23 bytes around the string.
    let mut a = valid();
    a.extended_properties = Some(sized(MAX_EXTENDED_PROPERTIES_BYTES - 23));
    assert!(names(&a, Mode::Update).is_empty());

    a.extended_properties = Some(sized(MAX_EXTENDED_PROPERTIES_BYTES - 22));
    fails_on(&a, Mode::Update, "extendedProperties");
    let reason = &validate_appointment(&a, Mode::Update)[0].reason;
    assert!(
        reason.contains("22528") && reason.contains("22529"),
        "{reason}"
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let a: Appointment = serde_json::from_value(json!({
        "client": { "email": "nope", "firstName": "a".repeat(200) },
        "status": "accepted",
        "customStatus": { "id": "cs" }
    }))
    .expect("parses");
    assert_eq!(
        names(&a, Mode::Insert),
        [
            "client.firstName",
            "client.email",
            "service",
            "start",
            "customStatus"
        ]
    );
}
