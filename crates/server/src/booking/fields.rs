//! Partial responses: the `fields` parameter (`id,start,client(email,firstName)`) and the `light`
//! level of detail, applied to an appointment's JSON.
//!
//! **`levelDetail=light`** returns: `id`, `reference`, `encryptedId`, `company`, `service`,
//! `resource`, `resourceCount`, `staff`, `client`, `start`, `end`, `created`, `status`,
//! `customStatus`, `type`, `location`, `price`, `paid`, `addToWaitingList` (and `deleted` on deleted
//! appointments). `full` returns every field, including `form`, `notes`, `history`, `parent`,
//! `extendedProperties` and `rescheduleLink`. `fields`, when given, wins over `levelDetail`.
//!
//! In `fields`, a selection after a name in parentheses picks sub-fields of an object, or of every
//! element of a list (`history(text,type)`). A name the Appointment resource doesn't have is a 400.

use serde_json::{Map, Value};

/// The shape of a JSON value, for checking field names.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// A string, number or boolean.
    Leaf,
    /// Keys chosen by the caller (`extendedProperties.private`): any sub-field may be selected.
    Free,
    /// An object (or a list of such objects) with these fields.
    Object(&'static [(&'static str, Shape)]),
}

const ID_NAME: [(&str, Shape); 2] = [("id", Shape::Leaf), ("name", Shape::Leaf)];
static DATE_TIME: [(&str, Shape); 2] = [("dateTime", Shape::Leaf), ("timeZone", Shape::Leaf)];
static REF: [(&str, Shape); 3] = [
    ("id", Shape::Leaf),
    ("name", Shape::Leaf),
    ("externalId", Shape::Leaf),
];
static PERSON: [(&str, Shape); 4] = [
    ("id", Shape::Leaf),
    ("firstName", Shape::Leaf),
    ("lastName", Shape::Leaf),
    ("externalId", Shape::Leaf),
];
static CLIENT: [(&str, Shape); 8] = [
    ("id", Shape::Leaf),
    ("firstName", Shape::Leaf),
    ("lastName", Shape::Leaf),
    ("email", Shape::Leaf),
    ("timeZone", Shape::Leaf),
    ("externalId", Shape::Leaf),
    ("phone", Shape::Leaf),
    ("mobilePhone", Shape::Leaf),
];
/// The fields of a form item's option (recursive: categories hold options).
pub static FORM_VALUE: [(&str, Shape); 4] = [
    ("id", Shape::Leaf),
    ("name", Shape::Leaf),
    ("value", Shape::Leaf),
    ("values", Shape::Object(&FORM_VALUE)),
];
static VALUE_FORMAT: [(&str, Shape); 5] = [
    ("maxLength", Shape::Leaf),
    ("minLength", Shape::Leaf),
    ("regexType", Shape::Leaf),
    ("regexValue", Shape::Leaf),
    ("valueFormat", Shape::Leaf),
];
/// The fields of a form item (recursive: `subItem`).
pub static FORM_ITEM: [(&str, Shape); 19] = [
    ("id", Shape::Leaf),
    ("type", Shape::Leaf),
    ("title", Shape::Leaf),
    ("bind", Shape::Leaf),
    ("bindGroup", Shape::Leaf),
    ("externalId", Shape::Leaf),
    ("help", Shape::Leaf),
    ("placeholder", Shape::Leaf),
    ("mandatory", Shape::Leaf),
    ("visible", Shape::Leaf),
    ("otherValue", Shape::Leaf),
    ("category", Shape::Leaf),
    ("multiple", Shape::Leaf),
    ("fileName", Shape::Leaf),
    ("value", Shape::Leaf),
    ("values", Shape::Object(&FORM_VALUE)),
    ("valueFormat", Shape::Object(&VALUE_FORMAT)),
    ("zonedDateTime", Shape::Object(&DATE_TIME)),
    ("subItem", Shape::Object(&FORM_ITEM)),
];
static FORM_OBJECT: [(&str, Shape); 2] = [("id", Shape::Leaf), ("type", Shape::Leaf)];
/// The fields of a filled form (the `form` of an appointment).
pub static FORM_SHAPE: [(&str, Shape); 5] = [
    ("id", Shape::Leaf),
    ("name", Shape::Leaf),
    ("contactFields", Shape::Object(&FORM_ITEM)),
    ("additionalFields", Shape::Object(&FORM_ITEM)),
    ("objects", Shape::Object(&FORM_OBJECT)),
];
static HISTORY_USER: [(&str, Shape); 4] = [
    ("firstName", Shape::Leaf),
    ("lastName", Shape::Leaf),
    ("email", Shape::Leaf),
    ("userName", Shape::Leaf),
];
static HISTORY: [(&str, Shape); 5] = [
    ("text", Shape::Leaf),
    ("date", Shape::Object(&DATE_TIME)),
    ("source", Shape::Leaf),
    ("type", Shape::Leaf),
    ("user", Shape::Object(&HISTORY_USER)),
];
static EXTERNAL: [(&str, Shape); 1] = [("id", Shape::Leaf)];
static SYNCHRONIZATION: [(&str, Shape); 4] = [
    ("googleCalendar", Shape::Object(&EXTERNAL)),
    ("office365Calendar", Shape::Object(&EXTERNAL)),
    ("windowsLiveCalendar", Shape::Object(&EXTERNAL)),
    ("salesforce", Shape::Object(&EXTERNAL)),
];
static LINK: [(&str, Shape); 1] = [("url", Shape::Leaf)];
static MEETING: [(&str, Shape); 2] = [("provider", Shape::Leaf), ("videoLink", Shape::Leaf)];
static PRICE: [(&str, Shape); 2] = [("amount", Shape::Leaf), ("currency", Shape::Leaf)];
static EXTENDED: [(&str, Shape); 2] = [("private", Shape::Free), ("public", Shape::Free)];
static PARENT: [(&str, Shape); 6] = [
    ("id", Shape::Leaf),
    ("firstName", Shape::Leaf),
    ("lastName", Shape::Leaf),
    ("email", Shape::Leaf),
    ("externalId", Shape::Leaf),
    ("timeZone", Shape::Leaf),
];

/// Every field of the Appointment resource as this API returns it.
pub static APPOINTMENT: [(&str, Shape); 39] = [
    ("id", Shape::Leaf),
    ("reference", Shape::Leaf),
    ("company", Shape::Object(&ID_NAME)),
    ("service", Shape::Object(&REF)),
    ("resource", Shape::Object(&REF)),
    ("resourceCount", Shape::Leaf),
    ("staff", Shape::Object(&PERSON)),
    ("client", Shape::Object(&CLIENT)),
    ("parent", Shape::Object(&PARENT)),
    ("start", Shape::Object(&DATE_TIME)),
    ("end", Shape::Object(&DATE_TIME)),
    ("created", Shape::Object(&DATE_TIME)),
    ("form", Shape::Object(&FORM_SHAPE)),
    ("status", Shape::Leaf),
    ("customStatus", Shape::Object(&ID_NAME)),
    ("notes", Shape::Leaf),
    ("history", Shape::Object(&HISTORY)),
    ("type", Shape::Leaf),
    ("paid", Shape::Leaf),
    ("addToWaitingList", Shape::Leaf),
    ("iterationCount", Shape::Leaf),
    ("sendto", Shape::Leaf),
    ("service-resource", Shape::Object(&ID_NAME)),
    ("meta-event", Shape::Leaf),
    ("synchronization", Shape::Object(&SYNCHRONIZATION)),
    ("rescheduleLink", Shape::Object(&LINK)),
    ("source", Shape::Leaf),
    ("onlineMeeting", Shape::Object(&MEETING)),
    ("encryptedId", Shape::Leaf),
    ("price", Shape::Object(&PRICE)),
    ("location", Shape::Leaf),
    ("locationCustom", Shape::Leaf),
    ("extendedProperties", Shape::Object(&EXTENDED)),
    ("deleted", Shape::Leaf),
    // Reserved for upstream fields this server never fills; selecting them is not an error.
    ("googleCalendar", Shape::Object(&EXTERNAL)),
    ("office365Calendar", Shape::Object(&EXTERNAL)),
    ("windowsLiveCalendar", Shape::Object(&EXTERNAL)),
    ("salesforce", Shape::Object(&EXTERNAL)),
    ("customFields", Shape::Free),
];

/// The fields of `levelDetail=light`.
pub const LIGHT: [&str; 20] = [
    "id",
    "reference",
    "encryptedId",
    "company",
    "service",
    "resource",
    "resourceCount",
    "staff",
    "client",
    "start",
    "end",
    "created",
    "status",
    "customStatus",
    "type",
    "location",
    "price",
    "paid",
    "addToWaitingList",
    "deleted",
];

/// A parsed `fields` value: names, each with an optional sub-selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection(pub Vec<(String, Option<Selection>)>);

impl Selection {
    /// The `light` level of detail as a selection.
    pub fn light() -> Self {
        Selection(LIGHT.iter().map(|f| ((*f).to_owned(), None)).collect())
    }

    /// Parses and checks `text` against `shape`; the error says which name is wrong and why.
    pub fn parse(text: &str, shape: &'static [(&'static str, Shape)]) -> Result<Self, String> {
        let mut parser = Parser {
            chars: text.chars().collect(),
            at: 0,
        };
        let selection = parser.list(shape, "")?;
        if parser.at < parser.chars.len() {
            return Err(format!(
                "unexpected {:?} at position {}",
                parser.chars[parser.at], parser.at
            ));
        }
        Ok(selection)
    }

    /// Keeps only the selected fields of `value` (of each element, for a list).
    pub fn apply(&self, value: Value) -> Value {
        match value {
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.apply(v)).collect()),
            Value::Object(mut map) => {
                let mut out = Map::new();
                for (name, sub) in &self.0 {
                    if let Some(v) = map.remove(name) {
                        out.insert(name.clone(), sub.as_ref().map_or(v.clone(), |s| s.apply(v)));
                    }
                }
                Value::Object(out)
            }
            other => other,
        }
    }
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn skip_spaces(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    fn list(
        &mut self,
        shape: &'static [(&'static str, Shape)],
        prefix: &str,
    ) -> Result<Selection, String> {
        let mut out: Vec<(String, Option<Selection>)> = Vec::new();
        loop {
            self.skip_spaces();
            let begin = self.at;
            while self
                .chars
                .get(self.at)
                .is_some_and(|c| !matches!(c, ',' | '(' | ')') && !c.is_whitespace())
            {
                self.at += 1;
            }
            let name: String = self.chars[begin..self.at].iter().collect();
            if name.is_empty() {
                return Err(match prefix {
                    "" => "expected a field name, e.g. id,start,client(email)".to_owned(),
                    p => format!("expected a field name inside {p}(...)"),
                });
            }
            let path = match prefix {
                "" => name.clone(),
                p => format!("{p}.{name}"),
            };
            let field_shape = shape
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, s)| *s)
                .ok_or_else(|| format!("unknown field `{path}`"))?;
            self.skip_spaces();
            let sub = if self.chars.get(self.at) == Some(&'(') {
                self.at += 1;
                let sub = match field_shape {
                    Shape::Object(fields) => self.list(fields, &path)?,
                    Shape::Free => self.free_list(&path)?,
                    Shape::Leaf => return Err(format!("`{path}` has no sub-fields")),
                };
                self.skip_spaces();
                if self.chars.get(self.at) != Some(&')') {
                    return Err(format!("missing `)` after {path}(..."));
                }
                self.at += 1;
                Some(sub)
            } else {
                None
            };
            match out.iter_mut().find(|(n, _)| *n == name) {
                // `client(email),client` selects all of client; `client(a),client(b)` both.
                Some(existing) => {
                    existing.1 = match (existing.1.take(), sub) {
                        (Some(Selection(mut a)), Some(Selection(b))) => {
                            a.extend(b);
                            Some(Selection(a))
                        }
                        _ => None,
                    }
                }
                None => out.push((name, sub)),
            }
            self.skip_spaces();
            match self.chars.get(self.at) {
                Some(',') => self.at += 1,
                _ => return Ok(Selection(out)),
            }
        }
    }

    /// Inside a caller-defined object: any names, nested freely.
    fn free_list(&mut self, path: &str) -> Result<Selection, String> {
        let mut out = Vec::new();
        loop {
            self.skip_spaces();
            let begin = self.at;
            while self
                .chars
                .get(self.at)
                .is_some_and(|c| !matches!(c, ',' | '(' | ')') && !c.is_whitespace())
            {
                self.at += 1;
            }
            let name: String = self.chars[begin..self.at].iter().collect();
            if name.is_empty() {
                return Err(format!("expected a field name inside {path}(...)"));
            }
            self.skip_spaces();
            let sub = if self.chars.get(self.at) == Some(&'(') {
                self.at += 1;
                let sub = self.free_list(&format!("{path}.{name}"))?;
                if self.chars.get(self.at) != Some(&')') {
                    return Err(format!("missing `)` after {path}.{name}(..."));
                }
                self.at += 1;
                Some(sub)
            } else {
                None
            };
            out.push((name, sub));
            self.skip_spaces();
            match self.chars.get(self.at) {
                Some(',') => self.at += 1,
                _ => return Ok(Selection(out)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_nested_selections_and_applies_them() {
        let s = Selection::parse("id, client(email,firstName),history(type)", &APPOINTMENT)
            .expect("valid");
        let value = json!({
            "id": "a", "notes": "n",
            "client": {"email": "e", "firstName": "f", "lastName": "l"},
            "history": [{"type": "created", "text": "t"}, {"type": "edited"}]
        });
        assert_eq!(
            s.apply(value),
            json!({"id": "a", "client": {"email": "e", "firstName": "f"},
                   "history": [{"type": "created"}, {"type": "edited"}]})
        );
    }

    #[test]
    fn nested_form_items_and_free_objects() {
        assert!(Selection::parse(
            "form(contactFields(id,value,subItem(id,subItem(value))),additionalFields(id))",
            &APPOINTMENT
        )
        .is_ok());
        assert!(Selection::parse("extendedProperties(private(a(b)),public)", &APPOINTMENT).is_ok());
    }

    #[test]
    fn unknown_names_and_syntax_errors_are_reported() {
        let err = Selection::parse("id,client(nope)", &APPOINTMENT).expect_err("unknown");
        assert_eq!(err, "unknown field `client.nope`");
        assert!(Selection::parse("bogus", &APPOINTMENT).is_err());
        assert!(Selection::parse("id(x)", &APPOINTMENT)
            .expect_err("leaf")
            .contains("no sub-fields"));
        assert!(Selection::parse("client(email", &APPOINTMENT).is_err());
        assert!(Selection::parse("id,,start", &APPOINTMENT).is_err());
        assert!(Selection::parse("id)", &APPOINTMENT).is_err());
    }
}
