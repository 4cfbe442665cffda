//! The visitor's answers to a booking form: prefilling them from the URL, turning them into the
//! filled `Form` the server expects, and checking them with the server's own validator.

use std::collections::{BTreeMap, BTreeSet};

use booking_model::form::{BIND_EMAIL, BIND_FIRST_NAME, BIND_LAST_NAME, BIND_PHONE};
use booking_model::{FieldError, Form, FormItem, FormItemType, FormValue, PatternMatcher};

use crate::config::ReadOnly;

/// What the visitor entered for one form item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    /// The text of a single-value item; for a choice item, the "other" text.
    pub value: String,
    /// The chosen options of a choice item, by [`option_key`].
    pub chosen: Vec<String>,
    /// The uploaded file's name (file items).
    pub file_name: Option<String>,
}

/// Answers by form item id.
pub type Answers = BTreeMap<String, Answer>;

/// How an option is identified in answers: its `value`, else its `id`, else its `name`.
pub fn option_key(option: &FormValue) -> String {
    [&option.value, &option.id, &option.name]
        .into_iter()
        .flatten()
        .find(|k| !k.is_empty())
        .cloned()
        .unwrap_or_default()
}

/// Whether the visitor picks among the item's `values`.
pub fn is_choice(item: &FormItem) -> bool {
    matches!(
        item.item_type,
        Some(FormItemType::Radio | FormItemType::Checkbox | FormItemType::Select)
    )
}

/// Every item of the definition, sub-items included, depth first.
fn all_items(definition: &Form) -> impl Iterator<Item = &FormItem> {
    definition.items()
}

/// The URL parameter that prefills `item`: its `externalId`, else the common name of its CRM
/// binding (`firstname`, `lastname`, `email`, `phone`).
pub fn prefill_param<'a>(item: &'a FormItem, params: &BTreeMap<String, String>) -> Option<&'a str> {
    if let Some(id) = item
        .external_id
        .as_deref()
        .filter(|id| params.contains_key(*id))
    {
        return Some(id);
    }
    let common = match item.bind.as_deref()? {
        BIND_FIRST_NAME => "firstname",
        BIND_LAST_NAME => "lastname",
        BIND_EMAIL => "email",
        BIND_PHONE => "phone",
        _ => return None,
    };
    params.contains_key(common).then_some(common)
}

/// Answers taken from the page's URL parameters (see [`prefill_param`]). Options are matched by
/// value, id or name (case-insensitively); several options are separated by commas. A text that
/// matches no option becomes the "other" answer when the item allows one, else it is dropped.
pub fn prefill(definition: &Form, params: &BTreeMap<String, String>) -> Answers {
    let mut answers = Answers::new();
    for item in all_items(definition) {
        let (Some(id), Some(param)) = (item.id.as_ref(), prefill_param(item, params)) else {
            continue;
        };
        let text = params.get(param).map(|v| v.trim()).unwrap_or_default();
        if text.is_empty() {
            continue;
        }
        let answer = if is_choice(item) {
            choice_answer(item, text)
        } else {
            Answer {
                value: text.to_owned(),
                ..Answer::default()
            }
        };
        if answer != Answer::default() {
            answers.insert(id.clone(), answer);
        }
    }
    answers
}

fn choice_answer(item: &FormItem, text: &str) -> Answer {
    let options = item.options();
    let wanted: Vec<&str> = if item.allows_several_values() {
        text.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect()
    } else {
        vec![text]
    };
    let mut answer = Answer::default();
    for want in wanted {
        let found = options.iter().find(|o| {
            [&o.value, &o.id, &o.name]
                .into_iter()
                .flatten()
                .any(|k| k.eq_ignore_ascii_case(want))
        });
        match found {
            Some(option) => answer.chosen.push(option_key(option)),
            None if item.other_value.unwrap_or(false) && answer.value.is_empty() => {
                answer.value = want.to_owned();
            }
            None => {}
        }
    }
    answer
}

/// Ids of the items the visitor may not change: prefilled from a parameter the `readonly` rule
/// locks (see [`ReadOnly`]).
pub fn locked_items(
    definition: &Form,
    params: &BTreeMap<String, String>,
    rule: &ReadOnly,
) -> BTreeSet<String> {
    let prefilled = prefill(definition, params);
    all_items(definition)
        .filter(|item| {
            item.id
                .as_ref()
                .is_some_and(|id| prefilled.contains_key(id))
                && prefill_param(item, params).is_some_and(|p| rule.locks(p))
        })
        .filter_map(|item| item.id.clone())
        .collect()
}

/// The filled form to send: the definition's items, same places, with `value` / `values` set from
/// `answers` (trimmed) and the definition's option lists replaced by the chosen options.
pub fn fill(definition: &Form, answers: &Answers) -> Form {
    Form {
        contact_fields: definition
            .contact_fields
            .iter()
            .map(|i| fill_item(i, answers))
            .collect(),
        additional_fields: definition
            .additional_fields
            .iter()
            .map(|page| page.iter().map(|i| fill_item(i, answers)).collect())
            .collect(),
        ..definition.clone()
    }
}

fn fill_item(item: &FormItem, answers: &Answers) -> FormItem {
    let answer = item.id.as_ref().and_then(|id| answers.get(id));
    let value = answer
        .map(|a| a.value.trim())
        .filter(|v| !v.is_empty())
        .map(str::to_owned);
    let values = match answer {
        // Each choice as the definition's option; a key the definition lacks is sent as is, so
        // the validator (here and on the server) can say it is not an option.
        Some(answer) if is_choice(item) => answer
            .chosen
            .iter()
            .map(|key| {
                item.options()
                    .into_iter()
                    .find(|o| option_key(o) == *key)
                    .map(|o| FormValue {
                        values: Vec::new(),
                        ..o.clone()
                    })
                    .unwrap_or_else(|| FormValue {
                        value: Some(key.clone()),
                        ..FormValue::default()
                    })
            })
            .collect(),
        _ => Vec::new(),
    };
    FormItem {
        value,
        values,
        file_name: answer
            .and_then(|a| a.file_name.clone())
            .or_else(|| item.file_name.clone()),
        sub_item: item
            .sub_item
            .iter()
            .map(|s| fill_item(s, answers))
            .collect(),
        ..item.clone()
    }
}

/// The validator's errors by item id, so each can sit next to its input. Paths name either the
/// answer or the definition, which [`fill`] keeps at the same place.
pub fn errors_by_item(definition: &Form, errors: &[FieldError]) -> BTreeMap<String, FieldError> {
    let paths: BTreeMap<String, &FormItem> = definition
        .items_with_paths()
        .into_iter()
        .map(|(path, item)| (format!("form.{path}"), item))
        .collect();
    let mut out = BTreeMap::new();
    for error in errors {
        let path = error
            .name
            .rsplit_once('.')
            .map_or(error.name.as_str(), |(path, _field)| path);
        if let Some(id) = paths.get(path).and_then(|item| item.id.clone()) {
            out.entry(id).or_insert_with(|| error.clone());
        }
    }
    out
}

/// Ids of the visible items on each page the visitor goes through: the contact fields, then each
/// page of additional fields; pages with nothing to show are left out.
pub fn pages(definition: &Form) -> Vec<Vec<&FormItem>> {
    std::iter::once(&definition.contact_fields)
        .chain(definition.additional_fields.iter())
        .map(|page| page.iter().filter(|i| i.is_visible()).collect::<Vec<_>>())
        .filter(|page| !page.is_empty())
        .collect()
}

/// Ids of an item and its sub-items.
pub fn ids_of(item: &FormItem) -> Vec<String> {
    let mut out: Vec<String> = item.id.iter().cloned().collect();
    for sub in &item.sub_item {
        out.extend(ids_of(sub));
    }
    out
}

/// Runs form patterns on the browser's `RegExp`, so the widget carries no regex engine and checks
/// exactly what the server checks (patterns stick to the syntax both engines share).
pub struct BrowserRegex;

impl PatternMatcher for BrowserRegex {
    fn matches(&self, pattern: &str, value: &str) -> Result<bool, String> {
        use wasm_bindgen::JsCast;
        // `new RegExp` throws on a bad pattern; Reflect::construct turns that into an Err.
        let constructor: js_sys::Function =
            js_sys::Reflect::get(&js_sys::global(), &"RegExp".into())
                .map_err(|_| "this browser has no RegExp".to_owned())?
                .unchecked_into();
        let args = js_sys::Array::of2(&pattern.into(), &"u".into());
        let regexp: js_sys::RegExp = js_sys::Reflect::construct(&constructor, &args)
            .map_err(|e| {
                js_sys::Reflect::get(&e, &"message".into())
                    .ok()
                    .and_then(|m| m.as_string())
                    .unwrap_or_else(|| "invalid pattern".to_owned())
            })?
            .unchecked_into();
        Ok(regexp.test(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_form() -> Form {
        let json = include_str!("../crates/server/assets/demo.json");
        let demo: serde_json::Value = serde_json::from_str(json).expect("demo.json parses");
        serde_json::from_value(demo["forms"][0].clone()).expect("demo form parses")
    }

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn prefills_by_external_id_and_option_value_or_name() {
        let form = demo_form();
        let answers = prefill(
            &form,
            &params(&[
                ("firstname", "Ada"),
                ("email", "ada@example.com"),
                ("first_visit", "No"),
                ("heard_from", "instagram"),
                ("utm_campaign", "winter"),
                ("unrelated", "x"),
            ]),
        );
        assert_eq!(answers["firstName"].value, "Ada");
        assert_eq!(answers["email"].value, "ada@example.com");
        assert_eq!(answers["firstVisit"].chosen, ["no"]);
        assert_eq!(answers["heardFrom"].chosen, ["instagram"]);
        assert_eq!(answers["campaign"].value, "winter");
        assert_eq!(answers.len(), 5);
    }

    #[test]
    fn unknown_option_becomes_other_text_only_when_allowed() {
        let form = demo_form();
        let answers = prefill(
            &form,
            &params(&[("heard_from", "Newspaper"), ("first_visit", "maybe")]),
        );
        assert_eq!(answers["heardFrom"].value, "Newspaper");
        assert!(answers["heardFrom"].chosen.is_empty());
        assert!(!answers.contains_key("firstVisit"));
    }

    #[test]
    fn fill_keeps_places_and_sends_only_chosen_options() {
        let form = demo_form();
        let mut answers = Answers::new();
        answers.insert(
            "heardFrom".into(),
            Answer {
                chosen: vec!["friend".into()],
                ..Answer::default()
            },
        );
        answers.insert(
            "firstName".into(),
            Answer {
                value: "  Ada ".into(),
                ..Answer::default()
            },
        );
        let filled = fill(&form, &answers);
        assert_eq!(filled.contact_fields[0].value.as_deref(), Some("Ada"));
        let heard = &filled.additional_fields[0][1];
        assert_eq!(heard.values.len(), 1);
        assert_eq!(heard.values[0].value.as_deref(), Some("friend"));
        assert!(filled.additional_fields[0][0].values.is_empty());
    }

    #[test]
    fn errors_map_back_to_items() {
        let form = demo_form();
        let errors = vec![
            FieldError::new("form.contactFields[2].value", "must be an email address"),
            FieldError::new("form.additionalFields[1][0].value", "bad zip"),
            FieldError::new("start", "not a form field"),
        ];
        let by_item = errors_by_item(&form, &errors);
        assert_eq!(by_item["email"].reason, "must be an email address");
        assert_eq!(by_item["zip"].reason, "bad zip");
        assert_eq!(by_item.len(), 2);
    }

    #[test]
    fn read_only_applies_to_prefilled_items_only() {
        let form = demo_form();
        let p = params(&[("email", "ada@example.com"), ("zip", "")]);
        let locked = locked_items(&form, &p, &ReadOnly::All);
        assert_eq!(locked.into_iter().collect::<Vec<_>>(), ["email"]);
        assert!(locked_items(&form, &p, &ReadOnly::None).is_empty());
    }

    #[test]
    fn pages_skip_hidden_items() {
        let form = demo_form();
        let pages = pages(&form);
        assert_eq!(pages.len(), 3);
        assert!(pages[1].iter().all(|i| i.id.as_deref() != Some("campaign")));
    }
}
