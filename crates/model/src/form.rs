//! Booking forms: the definition a company builds, and the same shape filled in by a visitor.

use serde::{Deserialize, Serialize};

use crate::string_enum::string_enum;

/// `bind` of the item holding the client's first name.
pub const BIND_FIRST_NAME: &str = "crm-first-name";
/// `bind` of the item holding the client's last name.
pub const BIND_LAST_NAME: &str = "crm-last-name";
/// `bind` of the item holding the client's email.
pub const BIND_EMAIL: &str = "crm-email";
/// `bind` of the item holding the client's phone number.
pub const BIND_PHONE: &str = "crm-phone";
/// `bind` of the client's address item (its parts are `subItem`s).
pub const BIND_ADDRESS: &str = "crm-address";
/// `bind` of the client's name item (its parts are `subItem`s).
pub const BIND_NAME: &str = "crm-name";

/// A booking form. As a definition it lists the fields; inside an appointment (`form`) or a booking
/// request the same shape carries the visitor's answers in `value` / `values`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Form {
    /// Identifier of the form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name of the form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fields about the client; always includes the items bound to first name, last name, email
    /// and phone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact_fields: Vec<FormItem>,
    /// Further fields, one inner list per page of the widget form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_fields: Vec<Vec<FormItem>>,
    /// What the form is used for (services, resources, locations).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<FormObject>,
}

impl Form {
    /// Every item, depth first: contact fields, then each page of additional fields, each item
    /// followed by its `subItem`s.
    pub fn items(&self) -> Items<'_> {
        let mut stack: Vec<&FormItem> = self
            .contact_fields
            .iter()
            .chain(self.additional_fields.iter().flatten())
            .collect();
        // Popping from the end must yield the first item first.
        stack.reverse();
        Items { stack }
    }

    /// Every item with its JSON path inside the form, depth first, e.g.
    /// `contactFields[2]`, `additionalFields[0][1]`, `contactFields[4].subItem[0]`.
    ///
    /// Prefix the path with `form.` to name a field of an appointment or a booking request.
    pub fn items_with_paths(&self) -> Vec<(String, &FormItem)> {
        let mut out = Vec::new();
        for (i, item) in self.contact_fields.iter().enumerate() {
            push_with_paths(&mut out, format!("contactFields[{i}]"), item);
        }
        for (page, items) in self.additional_fields.iter().enumerate() {
            for (i, item) in items.iter().enumerate() {
                push_with_paths(&mut out, format!("additionalFields[{page}][{i}]"), item);
            }
        }
        out
    }

    /// The first item (sub-items included) with this `id`.
    pub fn item(&self, id: &str) -> Option<&FormItem> {
        self.items().find(|item| item.id.as_deref() == Some(id))
    }

    /// The trimmed, non-empty `value` of the first item bound to `bind` (see the `BIND_*` consts);
    /// this is how the client's name, email and phone are read from a filled form.
    pub fn bound_value(&self, bind: &str) -> Option<&str> {
        self.items()
            .filter(|item| item.bind.as_deref() == Some(bind))
            .filter_map(|item| item.value.as_deref().map(str::trim))
            .find(|value| !value.is_empty())
    }
}

fn push_with_paths<'a>(out: &mut Vec<(String, &'a FormItem)>, path: String, item: &'a FormItem) {
    let children: Vec<(String, &FormItem)> = item
        .sub_item
        .iter()
        .enumerate()
        .map(|(i, sub)| (format!("{path}.subItem[{i}]"), sub))
        .collect();
    out.push((path, item));
    for (path, sub) in children {
        push_with_paths(out, path, sub);
    }
}

/// Iterator over a form's items, returned by [`Form::items`].
#[derive(Debug, Clone)]
pub struct Items<'a> {
    stack: Vec<&'a FormItem>,
}

impl<'a> Iterator for Items<'a> {
    type Item = &'a FormItem;

    fn next(&mut self) -> Option<&'a FormItem> {
        let item = self.stack.pop()?;
        self.stack.extend(item.sub_item.iter().rev());
        Some(item)
    }
}

/// One field of a form (`FormItem`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FormItem {
    /// Identifier of the field; answers are matched to the definition by it. Must not be empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(required, regex(pattern = crate::schema::NON_BLANK)))]
    pub id: Option<String>,
    /// Kind of input.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub item_type: Option<FormItemType>,
    /// Label shown to the visitor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Special meaning of the field, e.g. [`BIND_EMAIL`]. Kept as a string: unknown bindings pass.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    /// Special group of fields this one belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind_group: Option<String>,
    /// Name of the widget URL parameter that pre-fills this field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Help text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Placeholder text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// Whether an answer is required (see [`FormItem::is_mandatory`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mandatory: Option<bool>,
    /// Whether the visitor sees the field (see [`FormItem::is_visible`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visible: Option<bool>,
    /// radio / checkbox / select: whether a value outside `values` is allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_value: Option<bool>,
    /// select: whether `values` are grouped in categories (each with its own `values`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<bool>,
    /// select: whether several values may be chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiple: Option<bool>,
    /// file: name of the uploaded file (default "file" plus an extension from the media type).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// The answer of a single-value field. For a file: a `data:<mime>;base64,…` URI on insert and
    /// update, a link to the stored file on get and list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// radio / checkbox / select: the options (definition) or the chosen ones (answer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<FormValue>,
    /// Input rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_format: Option<ValueFormat>,
    /// date: the value with its zone (read-only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zoned_date_time: Option<ZonedDateTime>,
    /// Parts of a compound field (`crm-address`, `crm-name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_item: Vec<FormItem>,
}

impl FormItem {
    /// Whether the visitor sees the field; `visible` defaults to true.
    pub fn is_visible(&self) -> bool {
        self.visible.unwrap_or(true)
    }

    /// Whether an answer is required; `mandatory` defaults to false.
    pub fn is_mandatory(&self) -> bool {
        self.mandatory.unwrap_or(false)
    }

    /// Whether several options may be chosen: always for checkbox, for select when `multiple`.
    pub fn allows_several_values(&self) -> bool {
        match self.item_type {
            Some(FormItemType::Checkbox) => true,
            Some(FormItemType::Select) => self.multiple.unwrap_or(false),
            _ => false,
        }
    }

    /// The selectable options: the leaves of `values`, categories flattened.
    pub fn options(&self) -> Vec<&FormValue> {
        let mut out = Vec::new();
        for value in &self.values {
            value.collect_leaves(&mut out);
        }
        out
    }
}

string_enum! {
    /// Kind of input of a [`FormItem`]. The reference's list is empty; these are the form builder's.
    pub enum FormItemType {
        /// One line of text.
        Input = "input",
        /// Several lines of text.
        Textarea = "textarea",
        /// Email address.
        Email = "email",
        /// Phone number.
        Phone = "phone",
        /// A number.
        Number = "number",
        /// A date, `yyyy-MM-dd`.
        Date = "date",
        /// An http(s) URL.
        Website = "website",
        /// An amount.
        Price = "price",
        /// One choice among `values`.
        Radio = "radio",
        /// Any number of choices among `values`.
        Checkbox = "checkbox",
        /// A drop-down list over `values` (one choice unless `multiple`).
        Select = "select",
        /// A rating on a scale.
        Scalerating = "scalerating",
        /// A postal address (parts in `subItem`).
        Address = "address",
        /// A person's name (parts in `subItem`).
        Name = "name",
        /// An uploaded file.
        File = "file",
    }
}

/// An option of a radio / checkbox / select item, or a category of options (`values[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FormValue {
    /// Identifier of the option.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Label of the option.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Value of the option.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// For a category (select with `category`): its options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<FormValue>,
}

impl FormValue {
    /// Whether this is a category, i.e. it holds options rather than being one.
    pub fn is_category(&self) -> bool {
        !self.values.is_empty()
    }

    fn collect_leaves<'a>(&'a self, out: &mut Vec<&'a FormValue>) {
        if self.is_category() {
            for value in &self.values {
                value.collect_leaves(out);
            }
        } else {
            out.push(self);
        }
    }
}

/// Input rules of a [`FormItem`] (`valueFormat`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ValueFormat {
    /// Maximum length of the value, in characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Minimum length of the value, in characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// Kind of pattern (a label such as "zipcode"; informative).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regex_type: Option<String>,
    /// Pattern the whole value must match (ECMAScript / `regex` crate common syntax).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regex_value: Option<String>,
    /// Human-readable type or format, e.g. "5 digits"; quoted in error messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_format: Option<String>,
}

/// A date answer with its zone (`zonedDateTime`, read-only).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ZonedDateTime {
    /// The value formatted, e.g. `"2011-12-03T10:15:30"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_time: Option<String>,
    /// The zone, e.g. `"Europe/Paris"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// Something a form is attached to (`objects[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FormObject {
    /// Identifier of the service, resource or location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What `id` names.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub object_type: Option<FormObjectType>,
}

string_enum! {
    /// What a [`FormObject`] names.
    pub enum FormObjectType {
        /// A service.
        Service = "service",
        /// A resource.
        Resource = "resource",
        /// A location.
        Location = "location",
        /// Every location (no `id`).
        AllLocations = "allLocations",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, subs: Vec<FormItem>) -> FormItem {
        FormItem {
            id: Some(id.to_owned()),
            sub_item: subs,
            ..FormItem::default()
        }
    }

    fn sample() -> Form {
        Form {
            contact_fields: vec![
                item("a", vec![item("a1", vec![]), item("a2", vec![])]),
                item("b", vec![]),
            ],
            additional_fields: vec![
                vec![item("c", vec![])],
                vec![item("d", vec![item("d1", vec![])])],
            ],
            ..Form::default()
        }
    }

    #[test]
    fn items_walks_depth_first_in_document_order() {
        let form = sample();
        let ids: Vec<_> = form.items().filter_map(|i| i.id.as_deref()).collect();
        assert_eq!(ids, ["a", "a1", "a2", "b", "c", "d", "d1"]);
        assert_eq!(form.item("d1").and_then(|i| i.id.as_deref()), Some("d1"));
        assert!(form.item("zz").is_none());
    }

    #[test]
    fn paths_follow_the_json_structure() {
        let form = sample();
        let paths: Vec<_> = form
            .items_with_paths()
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(
            paths,
            [
                "contactFields[0]",
                "contactFields[0].subItem[0]",
                "contactFields[0].subItem[1]",
                "contactFields[1]",
                "additionalFields[0][0]",
                "additionalFields[1][0]",
                "additionalFields[1][0].subItem[0]",
            ]
        );
    }

    #[test]
    fn defaults_and_options() {
        let mut field = FormItem::default();
        assert!(field.is_visible());
        assert!(!field.is_mandatory());
        field.values = vec![
            FormValue {
                name: Some("Fruits".into()),
                values: vec![
                    FormValue {
                        id: Some("1".into()),
                        ..FormValue::default()
                    },
                    FormValue {
                        id: Some("2".into()),
                        ..FormValue::default()
                    },
                ],
                ..FormValue::default()
            },
            FormValue {
                id: Some("3".into()),
                ..FormValue::default()
            },
        ];
        let ids: Vec<_> = field
            .options()
            .iter()
            .filter_map(|v| v.id.as_deref())
            .collect();
        assert_eq!(ids, ["1", "2", "3"]);
    }

    #[test]
    fn bound_value_skips_blank_answers() {
        let form = Form {
            contact_fields: vec![
                FormItem {
                    bind: Some(BIND_EMAIL.into()),
                    value: Some("  ".into()),
                    ..FormItem::default()
                },
                FormItem {
                    bind: Some(BIND_EMAIL.into()),
                    value: Some(" a@b.co ".into()),
                    ..FormItem::default()
                },
            ],
            ..Form::default()
        };
        assert_eq!(form.bound_value(BIND_EMAIL), Some("a@b.co"));
        assert_eq!(form.bound_value(BIND_PHONE), None);
    }
}
