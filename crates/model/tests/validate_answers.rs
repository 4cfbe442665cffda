//! `validate_answers` and `validate_booking_request`: one passing and one failing case per rule.

use booking_model::validate::MAX_FILE_BYTES;
use booking_model::*;
use serde_json::json;

/// Test double for the regex engine (which lives in the server and the widget, not here): it knows
/// only the anchored pattern `^(?:[0-9]{5})$`, matched by hand, and reports any other pattern as
/// invalid. The thing under test is how `validate_answers` uses a matcher, not the matching.
struct FiveDigits;

impl PatternMatcher for FiveDigits {
    fn matches(&self, pattern: &str, value: &str) -> Result<bool, String> {
        match pattern {
            "^(?:[0-9]{5})$" => Ok(value.len() == 5 && value.bytes().all(|b| b.is_ascii_digit())),
            other => Err(format!("unsupported pattern {other}")),
        }
    }
}

fn definition() -> Form {
    serde_json::from_str(include_str!("fixtures/form.json")).expect("fixture")
}

/// A complete set of valid answers to the fixture definition.
fn answers() -> serde_json::Value {
    json!({
        "contactFields": [
            { "id": "fn", "value": "Ada" },
            { "id": "ln", "value": "Lovelace" },
            { "id": "em", "value": "ada@example.com" },
            { "id": "ph", "value": "+44 20 7946 0000" },
            { "id": "addr", "subItem": [
                { "id": "addr-street", "value": "12 rue de Rivoli" },
                { "id": "addr-zip", "value": "75001" }
            ] }
        ],
        "additionalFields": [
            [
                { "id": "topic", "values": [ { "id": "o-cut" } ] },
                { "id": "bday", "value": "1815-12-10" },
                { "id": "site", "value": "https://ada.example.com" },
                { "id": "age", "value": "36" }
            ],
            [
                { "id": "how", "values": [ { "value": "web" } ] },
                { "id": "extras", "values": [ { "value": "tea" }, { "id": "x-mag" } ] },
                { "id": "photo", "fileName": "look.png", "value": "data:image/png;base64,iVBORw0KGgo=" },
                { "id": "budget", "value": "80.5" }
            ]
        ]
    })
}

/// Field names of the errors for `answers`.
fn check(answers: serde_json::Value) -> Vec<(String, String)> {
    let answers: Form = serde_json::from_value(answers).expect("answers parse");
    validate_answers(&definition(), &answers, &FiveDigits)
        .into_iter()
        .map(|e| (e.name, e.reason))
        .collect()
}

/// Applies `edit` to the valid answers and returns the error field names.
fn names_after(edit: impl FnOnce(&mut serde_json::Value)) -> Vec<String> {
    let mut a = answers();
    edit(&mut a);
    check(a).into_iter().map(|(name, _)| name).collect()
}

#[test]
fn complete_answers_pass() {
    assert_eq!(check(answers()), []);
}

#[test]
fn mandatory_items_need_an_answer() {
    let names = names_after(|a| a["contactFields"][2]["value"] = json!("   "));
    assert_eq!(names, ["form.contactFields[2].value"]);

    // Absent from the answers: named after the definition's position.
    let names = names_after(|a| {
        a["contactFields"].as_array_mut().expect("array").remove(0);
    });
    assert_eq!(names, ["form.contactFields[0].value"]);

    let names = names_after(|a| a["additionalFields"][0][0]["values"] = json!([]));
    assert_eq!(names, ["form.additionalFields[0][0].values"]);
    let (_, reason) = &check({
        let mut a = answers();
        a["additionalFields"][0][0]["values"] = json!([]);
        a
    })[0];
    assert_eq!(reason, "is required: choose an option (\"Topic\")");
}

#[test]
fn mandatory_sub_items_and_compound_items() {
    let names = names_after(|a| a["contactFields"][4]["subItem"][0]["value"] = json!(""));
    assert_eq!(names, ["form.contactFields[4].subItem[0].value"]);
}

#[test]
fn hidden_items_are_not_mandatory() {
    // "hidden-src" is mandatory but not visible: not answering it passes (see complete_answers_pass);
    // answering it is fine too.
    let names = names_after(|a| {
        a["additionalFields"][1]
            .as_array_mut()
            .expect("array")
            .push(json!({ "id": "hidden-src", "value": "newsletter" }));
    });
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn lengths_are_counted_in_characters() {
    let names = names_after(|a| a["contactFields"][0]["value"] = json!("é".repeat(127)));
    assert!(names.is_empty(), "{names:?}");

    let mut a = answers();
    a["contactFields"][0]["value"] = json!("a".repeat(130));
    assert_eq!(
        check(a),
        [(
            "form.contactFields[0].value".to_owned(),
            "must be at most 127 characters (got 130)".to_owned()
        )]
    );

    let mut a = answers();
    a["contactFields"][4]["subItem"][1]["value"] = json!("7500");
    let errors = check(a);
    let names: Vec<_> = errors.iter().map(|(n, _)| n.as_str()).collect();
    // Too short, and the pattern fails too.
    assert_eq!(
        names,
        [
            "form.contactFields[4].subItem[1].value",
            "form.contactFields[4].subItem[1].value"
        ]
    );
    assert_eq!(errors[0].1, "must be at least 5 characters (got 4)");
}

#[test]
fn patterns_must_match_the_whole_value() {
    let mut a = answers();
    a["contactFields"][4]["subItem"][1]["value"] = json!("7500A");
    assert_eq!(
        check(a),
        [(
            "form.contactFields[4].subItem[1].value".to_owned(),
            "does not have the expected format: expected 5 digits (got \"7500A\")".to_owned()
        )]
    );
}

#[test]
fn a_pattern_the_engine_rejects_is_reported() {
    let mut definition = definition();
    let zip = definition.contact_fields[4].sub_item[1]
        .value_format
        .as_mut()
        .expect("format");
    zip.regex_value = Some("[0-9".into());
    let answers: Form = serde_json::from_value(answers()).expect("answers");
    let errors = validate_answers(&definition, &answers, &FiveDigits);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].name, "form.contactFields[4].subItem[1].value");
    assert!(
        errors[0].reason.contains("fix the form"),
        "{}",
        errors[0].reason
    );
}

#[test]
fn typed_items() {
    let cases: [(&str, usize, usize, &str); 5] = [
        ("em", 0, 2, "ada@"),
        ("bday", 1, 1, "10/12/1815"),
        ("site", 1, 2, "ada.example.com"),
        ("age", 1, 3, "thirty"),
        ("budget", 2, 3, "NaN"),
    ];
    for (id, page, index, bad) in cases {
        let (list, path) = if page == 0 {
            (
                "contactFields".to_owned(),
                format!("form.contactFields[{index}].value"),
            )
        } else {
            (
                "additionalFields".to_owned(),
                format!("form.additionalFields[{}][{index}].value", page - 1),
            )
        };
        let names = names_after(|a| {
            let item = if page == 0 {
                &mut a[&list][index]
            } else {
                &mut a[&list][page - 1][index]
            };
            assert_eq!(item["id"], json!(id));
            item["value"] = json!(bad);
        });
        assert_eq!(names, [path], "{id} = {bad}");
    }
}

#[test]
fn choices_must_be_options_unless_other_values_are_allowed() {
    // By value inside a category, by id, or through `value`.
    let names =
        names_after(|a| a["additionalFields"][0][0]["values"] = json!([{ "value": "manicure" }]));
    assert!(names.is_empty(), "{names:?}");
    let names = names_after(|a| {
        a["additionalFields"][0][0]["values"] = json!([]);
        a["additionalFields"][0][0]["value"] = json!("colour");
    });
    assert!(names.is_empty(), "{names:?}");

    let mut a = answers();
    a["additionalFields"][0][0]["values"] = json!([{ "value": "perm" }]);
    let errors = check(a);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, "form.additionalFields[0][0].values");
    assert_eq!(
        errors[0].1,
        "has no option \"perm\": choose one of cut, colour, manicure"
    );

    // A category is not an option.
    let names =
        names_after(|a| a["additionalFields"][0][0]["values"] = json!([{ "id": "cat-hair" }]));
    assert_eq!(names, ["form.additionalFields[0][0].values"]);

    // "how" allows other values.
    let names =
        names_after(|a| a["additionalFields"][1][0]["values"] = json!([{ "value": "a podcast" }]));
    assert!(names.is_empty(), "{names:?}");
    let names =
        names_after(|a| a["additionalFields"][1][1]["values"] = json!([{ "value": "cake" }]));
    assert_eq!(names, ["form.additionalFields[1][1].values"]);
}

#[test]
fn single_choice_items_take_one_option() {
    let names = names_after(|a| {
        a["additionalFields"][0][0]["values"] = json!([{ "id": "o-cut" }, { "id": "o-colour" }]);
    });
    assert_eq!(names, ["form.additionalFields[0][0].values"]);

    let names = names_after(|a| {
        a["additionalFields"][1][0]["values"] = json!([{ "value": "web" }, { "value": "friend" }])
    });
    assert_eq!(names, ["form.additionalFields[1][0].values"], "radio");

    // Checkbox takes several (see complete_answers_pass); so does a `multiple` select.
    let mut definition = definition();
    definition.additional_fields[0][0].multiple = Some(true);
    let mut a = answers();
    a["additionalFields"][0][0]["values"] = json!([{ "id": "o-cut" }, { "id": "o-colour" }]);
    let answers: Form = serde_json::from_value(a).expect("answers");
    assert!(validate_answers(&definition, &answers, &FiveDigits).is_empty());
}

#[test]
fn files_are_base64_data_uris_of_at_most_5_mib() {
    let photo = |value: String| {
        move |a: &mut serde_json::Value| a["additionalFields"][1][2]["value"] = json!(value)
    };
    let payload = |bytes: usize| "A".repeat(bytes / 3 * 4);

    let names = names_after(photo(format!(
        "data:image/png;base64,{}",
        payload(validate::MAX_FILE_BYTES - 2)
    )));
    assert!(names.is_empty(), "{names:?}");

    let big = format!(
        "data:image/png;base64,{}",
        payload(validate::MAX_FILE_BYTES + 3)
    );
    let mut a = answers();
    photo(big)(&mut a);
    let errors = check(a);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, "form.additionalFields[1][2].value");
    assert!(
        errors[0].1.starts_with("must be at most 5 MiB"),
        "{}",
        errors[0].1
    );

    for bad in [
        "https://files.example.com/look.png",
        "data:image/png,rawbytes",
        "data:image/png;base64,@@@@",
    ] {
        let names = names_after(photo(bad.to_owned()));
        assert_eq!(names, ["form.additionalFields[1][2].value"], "{bad}");
    }
}

#[test]
fn unknown_missing_and_repeated_ids_are_reported() {
    let names = names_after(|a| {
        a["contactFields"]
            .as_array_mut()
            .expect("array")
            .push(json!({ "id": "shoe-size", "value": "42" }))
    });
    assert_eq!(names, ["form.contactFields[5].id"]);
    let names = names_after(|a| {
        a["contactFields"]
            .as_array_mut()
            .expect("array")
            .push(json!({ "value": "42" }))
    });
    assert_eq!(names, ["form.contactFields[5].id"]);
    let names = names_after(|a| {
        a["contactFields"]
            .as_array_mut()
            .expect("array")
            .push(json!({ "id": "fn", "value": "Ada" }))
    });
    assert_eq!(names, ["form.contactFields[5].id"]);
}

#[test]
fn booking_requests() {
    let valid: PublicBookingRequest =
        serde_json::from_str(include_str!("fixtures/public_booking_request.json"))
            .expect("fixture");
    assert!(validate_booking_request(&valid).is_empty());
    assert_eq!(valid.form.bound_value(form::BIND_FIRST_NAME), Some("Ada"));

    let names = |edit: &dyn Fn(&mut PublicBookingRequest)| {
        let mut r = valid.clone();
        edit(&mut r);
        validate_booking_request(&r)
            .into_iter()
            .map(|e| e.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&|r| r.service_id = None), ["serviceId"]);
    assert_eq!(
        names(&|r| r.resource_id = Some("room-2".into())),
        ["resourceId"]
    );
    assert_eq!(names(&|r| r.staff_id = Some("x".repeat(17))), ["staffId"]);
    assert_eq!(names(&|r| r.resource_count = Some(0)), ["resourceCount"]);
    assert_eq!(
        names(&|r| r.start = "2026-12-01T09:30:00".into()),
        ["start"]
    );
    assert_eq!(
        names(&|r| r.time_zone = Some("Europe/ Paris".into())),
        ["timeZone"]
    );
    assert_eq!(
        names(&|r| r.form.contact_fields[2].value = Some("ada@".into())),
        ["form.contactFields[2].value"]
    );
    assert_eq!(
        names(&|r| r.form.contact_fields[0].value = Some("a".repeat(128))),
        ["form.contactFields[0].value"]
    );
    assert_eq!(
        names(&|r| {
            r.extended_properties = Some(serde_json::Map::from_iter([(
                "blob".to_owned(),
                json!("x".repeat(23_000)),
            )]));
        }),
        ["extendedProperties"]
    );
}

#[test]
fn error_body_for_invalid_fields() {
    let body = ErrorBody::invalid_fields(vec![FieldError::new(
        "client.email",
        "must be an email address",
    )]);
    assert_eq!(body.error.code, 400);
    assert_eq!(
        body.error.message,
        "invalid request: client.email must be an email address"
    );
}

/// `(code, limit)` of the errors after `edit`.
fn codes_after(edit: impl FnOnce(&mut serde_json::Value)) -> Vec<(Option<String>, Option<u64>)> {
    let mut a = answers();
    edit(&mut a);
    let answers: Form = serde_json::from_value(a).expect("answers parse");
    validate_answers(&definition(), &answers, &FiveDigits)
        .into_iter()
        .map(|e| (e.code, e.limit))
        .collect()
}

#[test]
fn every_rule_gives_a_machine_readable_code() {
    let code = |c: &str| Some(c.to_owned());
    assert_eq!(
        codes_after(|a| a["contactFields"][2]["value"] = json!("")),
        [(code(field_code::REQUIRED), None)]
    );
    assert_eq!(
        codes_after(|a| a["contactFields"][0]["value"] = json!("a".repeat(130))),
        [(code(field_code::TOO_LONG), Some(127))]
    );
    assert_eq!(
        codes_after(|a| a["contactFields"][4]["subItem"][1]["value"] = json!("7500")),
        [
            (code(field_code::TOO_SHORT), Some(5)),
            (code(field_code::FORMAT), None)
        ]
    );
    assert_eq!(
        codes_after(|a| a["contactFields"][2]["value"] = json!("ada@")),
        [(code(field_code::EMAIL), None)]
    );
    assert_eq!(
        codes_after(|a| a["additionalFields"][0][1]["value"] = json!("10/12/1815")),
        [(code(field_code::DATE), None)]
    );
    assert_eq!(
        codes_after(|a| a["additionalFields"][0][2]["value"] = json!("ada.example.com")),
        [(code(field_code::WEBSITE), None)]
    );
    assert_eq!(
        codes_after(|a| a["additionalFields"][0][3]["value"] = json!("thirty")),
        [(code(field_code::NUMBER), None)]
    );
    assert_eq!(
        codes_after(|a| a["additionalFields"][0][0]["values"] = json!([{ "id": "nope" }])),
        [(code(field_code::UNKNOWN_OPTION), None)]
    );
    assert_eq!(
        codes_after(|a| a["additionalFields"][1][2]["value"] = json!("data:;base64,")),
        [(code(field_code::FILE_INVALID), None)]
    );
    let too_big = format!(
        "data:text/plain;base64,{}",
        "A".repeat(MAX_FILE_BYTES / 3 * 4 + 8)
    );
    assert_eq!(
        codes_after(|a| a["additionalFields"][1][2]["value"] = json!(too_big)),
        [(code(field_code::FILE_TOO_BIG), Some(MAX_FILE_BYTES as u64))]
    );
}

#[test]
fn codes_are_optional_on_the_wire() {
    // A body from a server without codes still parses; unknown fields of a newer one too.
    let old: FieldError =
        serde_json::from_str(r#"{"name":"client.email","reason":"bad"}"#).expect("parse");
    assert_eq!(old.code, None);
    let coded = FieldError::new("a", "b")
        .with_code(field_code::TOO_LONG)
        .with_limit(3);
    let json = serde_json::to_value(&coded).expect("serialize");
    assert_eq!(
        json,
        json!({"name": "a", "reason": "b", "code": "tooLong", "limit": 3})
    );
}

#[test]
fn file_uris_need_a_media_type_base64_and_its_alphabet() {
    let photo = |value: &str| {
        let value = value.to_owned();
        move |a: &mut serde_json::Value| a["additionalFields"][1][2]["value"] = json!(value)
    };
    for good in [
        "data:image/png;base64,ab+/",
        "DATA:image/png;name=look.png;BASE64,iVBO",
    ] {
        let names = names_after(photo(good));
        assert!(names.is_empty(), "{good}: {names:?}");
    }
    for bad in [
        "data:image/;base64,AAAA",
        "data:/png;base64,AAAA",
        "data:imagepng;base64,AAAA",
        "data:image/png;charset=utf-8,AAAA",
        "data:image/png;base64,AA-_",
    ] {
        let names = names_after(photo(bad));
        assert_eq!(names, ["form.additionalFields[1][2].value"], "{bad}");
    }
    // Exactly the limit passes; one byte more does not.
    let exactly = |bytes: usize| {
        // base64 of n bytes: 4 characters per 3, and 2 or 3 for a remainder of 1 or 2.
        let chars = bytes / 3 * 4 + [0, 2, 3][bytes % 3];
        format!("data:image/png;base64,{}", "A".repeat(chars))
    };
    let names = names_after(photo(&exactly(validate::MAX_FILE_BYTES)));
    assert!(names.is_empty(), "{names:?}");
    let names = names_after(photo(&exactly(validate::MAX_FILE_BYTES + 1)));
    assert_eq!(names, ["form.additionalFields[1][2].value"]);
}

#[test]
fn a_choice_may_be_named_by_its_option_id_in_value() {
    let names = names_after(|a| {
        a["additionalFields"][0][0]["values"] = json!([]);
        a["additionalFields"][0][0]["value"] = json!("o-colour");
    });
    assert!(names.is_empty(), "{names:?}");
    // Neither an option's value nor its id.
    let names = names_after(|a| {
        a["additionalFields"][0][0]["values"] = json!([]);
        a["additionalFields"][0][0]["value"] = json!("o-perm");
    });
    assert_eq!(names, ["form.additionalFields[0][0].values"]);
}

#[test]
fn a_mandatory_compound_item_is_answered_through_its_sub_items() {
    let mut definition = definition();
    definition.contact_fields[4].mandatory = Some(true);
    let run = |answers: serde_json::Value| -> Vec<String> {
        let answers: Form = serde_json::from_value(answers).expect("answers");
        validate_answers(&definition, &answers, &FiveDigits)
            .into_iter()
            .map(|e| e.name)
            .collect()
    };
    assert!(run(answers()).is_empty());
    // Only the postcode, given as a chosen value: still answered.
    let mut a = answers();
    a["contactFields"][4]["subItem"] =
        json!([{ "id": "addr-zip", "values": [{ "value": "75001" }] }]);
    let names = run(a);
    assert!(
        !names.iter().any(|n| n == "form.contactFields[4].value"),
        "{names:?}"
    );
    // Sub-items sent but blank: the address is missing.
    let mut a = answers();
    a["contactFields"][4]["subItem"] = json!([{ "id": "addr-zip", "value": "" }]);
    let names = run(a);
    assert!(
        names.iter().any(|n| n == "form.contactFields[4].value"),
        "{names:?}"
    );
}
