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
//!
//! The names are checked against the JSON Schema derived from [`Appointment`] (the same schema as
//! the OpenAPI document's), so `fields` knows every field the type has, and nothing else.

use std::sync::LazyLock;

use booking_model::schemars::JsonSchema;
use booking_model::Appointment;
use serde_json::{Map, Value};

/// Names `fields` accepts beyond the Appointment type: upstream fields this server never fills
/// (selecting them is not an error), each with the schema component of its sub-fields.
const RESERVED: [(&str, Option<&str>); 5] = [
    ("googleCalendar", Some("ExternalEventRef")),
    ("office365Calendar", Some("ExternalEventRef")),
    ("windowsLiveCalendar", Some("ExternalEventRef")),
    ("salesforce", Some("ExternalEventRef")),
    ("customFields", None),
];

/// The fields of a resource, read from its JSON Schema: what `fields` may select.
#[derive(Debug)]
pub struct Shape {
    root: Value,
    definitions: Map<String, Value>,
}

impl Shape {
    /// The shape of `T`'s JSON form.
    pub fn of<T: JsonSchema>() -> Self {
        let mut generator = booking_model::schema::generator();
        let root = generator.subschema_for::<T>().to_value();
        let definitions = generator.take_definitions(true);
        Shape { root, definitions }
    }

    /// Every top-level field name.
    pub fn names(&self) -> Vec<&str> {
        let mut names = Vec::new();
        self.collect_names(&self.root, &mut names);
        names.extend(RESERVED.iter().map(|(name, _)| *name));
        names
    }

    fn collect_names<'a>(&'a self, schema: &'a Value, out: &mut Vec<&'a str>) {
        let schema = self.resolve(schema);
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            out.extend(properties.keys().map(String::as_str));
        }
    }

    /// Follows `$ref`s, `Option`'s `anyOf [T, null]` and array items down to an object's schema.
    fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        loop {
            if let Some(name) = schema.get("$ref").and_then(Value::as_str) {
                match name
                    .rsplit('/')
                    .next()
                    .and_then(|n| self.definitions.get(n))
                {
                    Some(target) => schema = target,
                    None => return schema,
                }
            } else if let Some(items) = schema.get("items") {
                schema = items;
            } else if let Some(first) =
                schema
                    .get("anyOf")
                    .and_then(Value::as_array)
                    .and_then(|options| {
                        options
                            .iter()
                            .find(|o| o.get("type") != Some(&Value::from("null")))
                    })
            {
                schema = first;
            } else {
                return schema;
            }
        }
    }

    /// The sub-shape of field `name` of `schema` (`None` at the top level), if it has that field.
    fn field<'a>(&'a self, schema: Option<&'a Value>, name: &str) -> Option<Sub<'a>> {
        let parent = self.resolve(schema.unwrap_or(&self.root));
        if let Some(found) = parent.get("properties").and_then(|p| p.get(name)) {
            return Some(self.classify(found));
        }
        if schema.is_none() {
            let (_, component) = RESERVED.iter().find(|(reserved, _)| *reserved == name)?;
            return Some(match component.and_then(|c| self.definitions.get(c)) {
                Some(fields) => Sub::Object(fields),
                None => Sub::Free,
            });
        }
        None
    }

    fn classify<'a>(&'a self, schema: &'a Value) -> Sub<'a> {
        let resolved = self.resolve(schema);
        if resolved.get("properties").is_some() {
            return Sub::Object(resolved);
        }
        let is_object = match resolved.get("type") {
            Some(Value::String(t)) => t == "object",
            Some(Value::Array(types)) => types.iter().any(|t| t == "object"),
            _ => resolved.get("additionalProperties").is_some(),
        };
        match is_object {
            true => Sub::Free,
            false => Sub::Leaf,
        }
    }
}

/// What a selected field holds.
#[derive(Debug, Clone, Copy)]
enum Sub<'a> {
    /// A string, number or boolean.
    Leaf,
    /// Keys chosen by the caller (`extendedProperties.private`): any sub-field may be selected.
    Free,
    /// An object (or a list of such objects) with the fields of this schema.
    Object(&'a Value),
}

/// The fields of the Appointment resource as this API returns it.
pub static APPOINTMENT: LazyLock<Shape> = LazyLock::new(Shape::of::<Appointment>);

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
    pub fn parse(text: &str, shape: &Shape) -> Result<Self, String> {
        let mut parser = Parser {
            chars: text.chars().collect(),
            at: 0,
            shape,
        };
        let selection = parser.list(None, "")?;
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

struct Parser<'a> {
    chars: Vec<char>,
    at: usize,
    shape: &'a Shape,
}

impl<'a> Parser<'a> {
    fn skip_spaces(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    /// The names selected inside `schema` (the resource itself when `None`).
    fn list(&mut self, schema: Option<&'a Value>, prefix: &str) -> Result<Selection, String> {
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
            let field_shape = self
                .shape
                .field(schema, &name)
                .ok_or_else(|| format!("unknown field `{path}`"))?;
            self.skip_spaces();
            let sub = if self.chars.get(self.at) == Some(&'(') {
                self.at += 1;
                let sub = match field_shape {
                    Sub::Object(fields) => self.list(Some(fields), &path)?,
                    Sub::Free => self.free_list(&path)?,
                    Sub::Leaf => return Err(format!("`{path}` has no sub-fields")),
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
    fn the_shape_comes_from_the_appointment_type() {
        let names = APPOINTMENT.names();
        // What the hand-written table held, and the light level, are all there.
        for name in LIGHT.iter().chain(&[
            "parent",
            "form",
            "notes",
            "history",
            "iterationCount",
            "sendto",
            "service-resource",
            "meta-event",
            "synchronization",
            "rescheduleLink",
            "source",
            "onlineMeeting",
            "locationCustom",
            "extendedProperties",
            "googleCalendar",
            "customFields",
        ]) {
            assert!(names.contains(name), "{name} missing from {names:?}");
        }
        // Sub-fields follow the nested types, lists and options included.
        for ok in [
            "form(contactFields(valueFormat(minLength),values(values(id))))",
            "history(user(userName),date(timeZone))",
            "synchronization(googleCalendar(id)),googleCalendar(id)",
            "price(amount),customFields(anything(deep))",
        ] {
            assert!(Selection::parse(ok, &APPOINTMENT).is_ok(), "{ok}");
        }
        assert!(Selection::parse("price(amount(x))", &APPOINTMENT).is_err());
        assert!(Selection::parse("googleCalendar(nope)", &APPOINTMENT).is_err());
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
