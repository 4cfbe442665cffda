use std::collections::btree_map::{BTreeMap, Entry};

use super::{is_valid_email, is_valid_url, Errors, PatternMatcher, MAX_FILE_BYTES};
use crate::api::{field_code, FieldError};
use crate::form::{Form, FormItem, FormItemType, FormValue};
use crate::schedule::parse_date;

/// Checks a filled form (`answers`) against its definition, item by item.
///
/// Answers are matched to definition items by `id` (sub-items included, wherever they sit in the
/// answers). For each definition item:
/// - **mandatory**: a mandatory *visible* item needs a non-blank `value`, a chosen option, or a
///   filled sub-item. Hidden items are never required of the visitor (they cannot see them).
/// - **length**: `valueFormat.minLength` / `maxLength`, in characters.
/// - **pattern**: `valueFormat.regexValue` must match the whole value (it is anchored as
///   `^(?:...)$` and run by `matcher`).
/// - **type**: email syntax, number (also for price), `yyyy-MM-dd` date, http(s) website; for
///   radio / checkbox / select, every chosen option (from `values`, and `value` when set) must be a
///   definition option by `value` or `id` (categories flattened) unless `otherValue`; radio and
///   single select allow one choice; a file must be a `data:<mime>;base64,` URI of at most
///   [`MAX_FILE_BYTES`] decoded.
///
/// Values are checked as sent: trim them before sending. Answer items whose `id` is missing,
/// repeated, or not in the definition are errors too.
///
/// Field names start with `form.`; a problem with a sent value names the answer's position
/// (`form.contactFields[2].value`), a missing mandatory answer names the definition's position.
pub fn validate_answers(
    definition: &Form,
    answers: &Form,
    matcher: &dyn PatternMatcher,
) -> Vec<FieldError> {
    let mut errors = Errors::default();
    let answer_items: Vec<(String, &FormItem)> = answers
        .items_with_paths()
        .into_iter()
        .map(|(path, item)| (format!("form.{path}"), item))
        .collect();
    let index = index_answers(&mut errors, definition, &answer_items);

    for (path, item) in definition.items_with_paths() {
        // An item without id cannot be answered: there is nothing to hold the visitor to.
        let Some(id) = non_empty(item.id.as_deref()) else {
            continue;
        };
        let item_check = ItemCheck {
            definition: item,
            definition_path: format!("form.{path}"),
            answer: index.get(id).copied(),
            index: &index,
        };
        item_check.run(&mut errors, matcher);
    }
    errors.into_vec()
}

/// An answer item and its path (with the `form.` prefix).
type Located<'a> = (&'a str, &'a FormItem);

/// Maps answer ids to answer items, reporting missing, unknown and repeated ids.
fn index_answers<'a>(
    errors: &mut Errors,
    definition: &Form,
    answers: &'a [(String, &'a FormItem)],
) -> BTreeMap<&'a str, Located<'a>> {
    let mut index = BTreeMap::new();
    for (path, item) in answers {
        let name = format!("{path}.id");
        match non_empty(item.id.as_deref()) {
            None => errors.push_code(
                name,
                field_code::REQUIRED,
                "is required: send the id of the form field",
            ),
            Some(id) if definition.item(id).is_none() => errors.push(
                name,
                format!("unknown form field {id:?}: use the ids of the form definition"),
            ),
            Some(id) => match index.entry(id) {
                Entry::Vacant(slot) => {
                    slot.insert((path.as_str(), *item));
                }
                Entry::Occupied(_) => errors.push(
                    name,
                    format!("answers field {id:?} a second time: send each field once"),
                ),
            },
        }
    }
    index
}

/// The checks of one definition item against its answer.
struct ItemCheck<'a> {
    definition: &'a FormItem,
    definition_path: String,
    answer: Option<Located<'a>>,
    index: &'a BTreeMap<&'a str, Located<'a>>,
}

impl ItemCheck<'_> {
    fn run(&self, errors: &mut Errors, matcher: &dyn PatternMatcher) {
        let value = self.answer.and_then(|(_, a)| a.value.as_deref());
        let choices = self.choices();
        let filled = value.is_some_and(|v| !v.trim().is_empty())
            || !choices.is_empty()
            || self.has_filled_sub_item();

        if !filled {
            if self.definition.is_mandatory() && self.definition.is_visible() {
                self.require(errors);
            }
            return;
        }
        let Some((answer_path, _)) = self.answer else {
            return; // Filled only through sub-items, which are checked on their own.
        };
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            let name = format!("{answer_path}.value");
            self.check_length(errors, &name, value);
            self.check_pattern(errors, &name, value, matcher);
            self.check_type(errors, &name, value);
        }
        if self.is_choice() {
            self.check_choices(errors, &format!("{answer_path}.values"), &choices);
        }
    }

    fn item_type(&self) -> FormItemType {
        // An untyped item is a plain text input.
        self.definition.item_type.unwrap_or(FormItemType::Input)
    }

    fn is_choice(&self) -> bool {
        matches!(
            self.item_type(),
            FormItemType::Radio | FormItemType::Checkbox | FormItemType::Select
        )
    }

    /// What the visitor chose: the leaves of the answer's `values`, plus `value` for a choice item
    /// (where it may carry a single choice or an "other" text).
    fn choices(&self) -> Vec<Choice<'_>> {
        let Some((_, answer)) = self.answer else {
            return Vec::new();
        };
        let mut leaves = Vec::new();
        for value in &answer.values {
            collect_leaves(value, &mut leaves);
        }
        let mut choices: Vec<Choice<'_>> = leaves
            .into_iter()
            .filter(|v| {
                non_empty(v.id.as_deref()).is_some() || non_empty(v.value.as_deref()).is_some()
            })
            .map(Choice::Option)
            .collect();
        if self.is_choice() {
            if let Some(text) = non_empty(answer.value.as_deref()) {
                choices.push(Choice::Text(text));
            }
        }
        choices
    }

    fn has_filled_sub_item(&self) -> bool {
        self.definition.sub_item.iter().any(|sub| {
            non_empty(sub.id.as_deref())
                .and_then(|id| self.index.get(id))
                .is_some_and(|(_, answer)| {
                    non_empty(answer.value.as_deref()).is_some() || !answer.values.is_empty()
                })
        })
    }

    fn label(&self) -> String {
        non_empty(self.definition.title.as_deref())
            .map_or_else(|| "this field".to_owned(), |title| format!("{title:?}"))
    }

    fn require(&self, errors: &mut Errors) {
        let (suffix, action) = if self.is_choice() {
            ("values", "choose an option")
        } else {
            ("value", "fill it in")
        };
        let path = self
            .answer
            .map_or(self.definition_path.as_str(), |(path, _)| path);
        errors.push_code(
            format!("{path}.{suffix}"),
            field_code::REQUIRED,
            format!("is required: {action} ({})", self.label()),
        );
    }

    fn check_length(&self, errors: &mut Errors, name: &str, value: &str) {
        let Some(format) = &self.definition.value_format else {
            return;
        };
        let len = value.chars().count();
        if let Some(min) = format.min_length.and_then(|m| usize::try_from(m).ok()) {
            if len < min {
                errors.push_limit(
                    name,
                    field_code::TOO_SHORT,
                    min,
                    format!("must be at least {min} characters (got {len})"),
                );
            }
        }
        if let Some(max) = format.max_length.and_then(|m| usize::try_from(m).ok()) {
            if len > max {
                errors.push_limit(
                    name,
                    field_code::TOO_LONG,
                    max,
                    format!("must be at most {max} characters (got {len})"),
                );
            }
        }
    }

    fn check_pattern(
        &self,
        errors: &mut Errors,
        name: &str,
        value: &str,
        matcher: &dyn PatternMatcher,
    ) {
        let Some(format) = &self.definition.value_format else {
            return;
        };
        let Some(pattern) = non_empty(format.regex_value.as_deref()) else {
            return;
        };
        match matcher.matches(&format!("^(?:{pattern})$"), value) {
            Ok(true) => {}
            Ok(false) => {
                let expected = non_empty(format.value_format.as_deref())
                    .or(non_empty(format.regex_type.as_deref()))
                    .map_or_else(String::new, |hint| format!(": expected {hint}"));
                errors.push_code(
                    name,
                    field_code::FORMAT,
                    format!("does not have the expected format{expected} (got {value:?})"),
                );
            }
            Err(engine_error) => errors.push(
                name,
                format!(
                    "cannot be checked: the form's pattern is invalid ({engine_error}); ask the company to fix the form"
                ),
            ),
        }
    }

    fn check_type(&self, errors: &mut Errors, name: &str, value: &str) {
        let problem = match self.item_type() {
            FormItemType::Email if !is_valid_email(value) => Some((
                field_code::EMAIL,
                format!("must be an email address like name@example.com (got {value:?})"),
            )),
            FormItemType::Number | FormItemType::Price
                if !value.parse::<f64>().is_ok_and(f64::is_finite) =>
            {
                Some((
                    field_code::NUMBER,
                    format!("must be a number like 42 or 3.5 (got {value:?})"),
                ))
            }
            FormItemType::Date => parse_date(value).err().map(|e| (field_code::DATE, e)),
            FormItemType::Website if !is_valid_url(value) => Some((
                field_code::WEBSITE,
                format!("must be a web address starting with https:// or http:// (got {value:?})"),
            )),
            FormItemType::File => {
                if let Err((code, reason)) = check_file(value) {
                    if code == field_code::FILE_TOO_BIG {
                        errors.push_limit(name, code, MAX_FILE_BYTES, reason);
                    } else {
                        errors.push_code(name, code, reason);
                    }
                }
                None
            }
            _ => None,
        };
        if let Some((code, reason)) = problem {
            errors.push_code(name, code, reason);
        }
    }

    fn check_choices(&self, errors: &mut Errors, name: &str, choices: &[Choice<'_>]) {
        let several = self.definition.allows_several_values();
        if !several && choices.len() > 1 {
            errors.push_code(
                name,
                field_code::ONE_CHOICE,
                format!(
                    "allows one choice only: choose one option (got {})",
                    choices.len()
                ),
            );
        }
        if self.definition.other_value.unwrap_or(false) {
            return;
        }
        let options = self.definition.options();
        for choice in choices {
            if !options.iter().any(|option| choice.is(option)) {
                let allowed: Vec<&str> = options
                    .iter()
                    .filter_map(|o| non_empty(o.value.as_deref()).or(non_empty(o.id.as_deref())))
                    .collect();
                errors.push_code(
                    name,
                    field_code::UNKNOWN_OPTION,
                    format!(
                        "has no option {:?}: choose one of {}",
                        choice.describe(),
                        allowed.join(", ")
                    ),
                );
            }
        }
    }
}

/// One thing the visitor chose.
enum Choice<'a> {
    /// An entry of the answer's `values`.
    Option(&'a FormValue),
    /// The answer's `value` on a choice item.
    Text(&'a str),
}

impl Choice<'_> {
    /// Whether this choice is the definition's `option`, by `value` or by `id`.
    fn is(&self, option: &FormValue) -> bool {
        let option_value = non_empty(option.value.as_deref());
        let option_id = non_empty(option.id.as_deref());
        match self {
            Choice::Option(chosen) => {
                let by_value =
                    non_empty(chosen.value.as_deref()).is_some_and(|v| Some(v) == option_value);
                let by_id = non_empty(chosen.id.as_deref()).is_some_and(|id| Some(id) == option_id);
                by_value || by_id
            }
            Choice::Text(text) => Some(*text) == option_value || Some(*text) == option_id,
        }
    }

    fn describe(&self) -> &str {
        match self {
            Choice::Option(chosen) => non_empty(chosen.value.as_deref())
                .or(non_empty(chosen.id.as_deref()))
                .unwrap_or_default(),
            Choice::Text(text) => text,
        }
    }
}

fn collect_leaves<'a>(value: &'a FormValue, out: &mut Vec<&'a FormValue>) {
    if value.values.is_empty() {
        out.push(value);
    } else {
        for child in &value.values {
            collect_leaves(child, out);
        }
    }
}

/// Checks a `data:<mime>;base64,<payload>` URI and returns the decoded size in bytes, or the
/// problem's code and reason.
fn check_file(value: &str) -> Result<usize, (&'static str, String)> {
    let shape_error = || {
        let start: String = value.chars().take(24).collect();
        (
            field_code::FILE_INVALID,
            format!("must be a file sent as a data URI like data:application/pdf;base64,JVBERi0x… (got {start:?}…)"),
        )
    };
    let rest = value
        .get(..5)
        .filter(|scheme| scheme.eq_ignore_ascii_case("data:"))
        .and_then(|_| value.get(5..))
        .ok_or_else(shape_error)?;
    let (meta, payload) = rest.split_once(',').ok_or_else(shape_error)?;
    let mime = meta.split(';').next().unwrap_or_default();
    let is_base64 = meta
        .rsplit(';')
        .next()
        .is_some_and(|last| last.eq_ignore_ascii_case("base64"));
    let mime_ok = mime.split_once('/').is_some_and(|(kind, sub)| {
        !kind.is_empty() && !sub.is_empty() && !mime.contains(char::is_whitespace)
    });
    if !mime_ok || !is_base64 || !meta.contains(';') {
        return Err(shape_error());
    }

    let body = payload.trim_end_matches('=');
    let padding = payload.len() - body.len();
    let alphabet_ok = body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    let length_ok = padding <= 2 && body.len() % 4 != 1 && (padding == 0 || payload.len() % 4 == 0);
    if !alphabet_ok || !length_ok {
        return Err((
            field_code::FILE_INVALID,
            "is not valid base64 after \"base64,\": re-encode the file".to_owned(),
        ));
    }
    let size = body.len() / 4 * 3 + (body.len() % 4).saturating_sub(1);
    if size > MAX_FILE_BYTES {
        return Err((
            field_code::FILE_TOO_BIG,
            format!(
                "must be at most {} MiB (got {:.1} MiB): send a smaller file",
                MAX_FILE_BYTES / (1024 * 1024),
                size as f64 / (1024.0 * 1024.0)
            ),
        ));
    }
    Ok(size)
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::check_file;

    #[test]
    fn data_uri_sizes() {
        assert_eq!(check_file("data:text/plain;base64,aGVsbG8="), Ok(5));
        assert_eq!(check_file("data:text/plain;base64,aGVsbG8"), Ok(5));
        assert_eq!(
            check_file("data:text/plain;charset=utf-8;base64,aGk="),
            Ok(2)
        );
        assert_eq!(check_file("DATA:image/png;BASE64,"), Ok(0));
        assert!(check_file("data:text/plain,hello").is_err());
        assert!(check_file("data:;base64,aGk=").is_err());
        assert!(check_file("https://files.example.com/a.pdf").is_err());
        assert!(check_file("data:text/plain;base64,a$Gk=").is_err());
        assert!(check_file("data:text/plain;base64,aGk===").is_err());
        assert!(check_file("data:text/plain;base64,a").is_err());
    }
}
