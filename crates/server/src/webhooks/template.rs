//! The watch `schema`: a JSON template whose JSONPath expressions are filled from the notification.
//!
//! The template is walked value by value; object keys, numbers, booleans and `null` are copied as
//! they are. In a string value:
//!
//! - a string that is **exactly** one expression (`"$.client.email"`, `"$.resourceCount"`, `"$"`) is
//!   replaced by the value it selects, keeping its JSON type (number, object, …); `null` when nothing
//!   matches. An expression with a wildcard (`$.form.additionalFields[*]`) selects an array of every
//!   match.
//! - in any other string, each expression is replaced by the text of its value: a string as is,
//!   `null`/no match as nothing, anything else as compact JSON. An expression starts at `$` followed
//!   by `.` or `[`, and ends before the first character that can't continue it; a `.` continues it
//!   only when a name character or `*` follows, so `"Booked by $.client.firstName."` ends the path
//!   before the final full stop. `$$` writes a literal `$`.
//!
//! Supported JSONPath: `$` (the notification), `.name` (letters, digits, `_`), `['name']` or
//! `["name"]` (any name), `[0]` / `[-1]` (array index, negative from the end), `.*` / `[*]` (every
//! member). Filters, slices and recursive descent (`..`) are not supported and are refused when the
//! watch is saved.
//!
//! ```
//! use serde_json::json;
//! use booking_server::webhooks::template::render;
//!
//! let payload = json!({"client": {"email": "ada@example.com"}, "resourceCount": 2});
//! let schema = json!({"to": "$.client.email", "n": "$.resourceCount", "text": "for $.client.email!"});
//! assert_eq!(
//!     render(&schema, &payload),
//!     json!({"to": "ada@example.com", "n": 2, "text": "for ada@example.com!"})
//! );
//! ```

use serde_json::Value;

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Name(String),
    Index(i64),
    Wildcard,
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    steps: Vec<Step>,
}

impl JsonPath {
    /// Parses a whole string as one expression; `None` when it isn't exactly one.
    pub fn parse_exact(text: &str) -> Option<Result<JsonPath, String>> {
        if !starts_expression(text.as_bytes(), 0) && text != "$" {
            return None;
        }
        match parse_at(text, 0) {
            Ok((path, end)) if end == text.len() => Some(Ok(path)),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        }
    }

    fn has_wildcard(&self) -> bool {
        self.steps.contains(&Step::Wildcard)
    }

    /// The value this path selects in `root`: the single match (or `null`), or an array of every
    /// match when the path has a wildcard.
    pub fn select(&self, root: &Value) -> Value {
        let mut current = vec![root];
        for step in &self.steps {
            let mut next = Vec::new();
            for value in current {
                match (step, value) {
                    (Step::Name(name), Value::Object(map)) => next.extend(map.get(name)),
                    (Step::Index(i), Value::Array(items)) => {
                        let len = items.len() as i64;
                        let at = if *i < 0 { len + i } else { *i };
                        if (0..len).contains(&at) {
                            next.push(&items[at as usize]);
                        }
                    }
                    (Step::Wildcard, Value::Array(items)) => next.extend(items.iter()),
                    (Step::Wildcard, Value::Object(map)) => next.extend(map.values()),
                    _ => {}
                }
            }
            current = next;
        }
        if self.has_wildcard() {
            Value::Array(current.into_iter().cloned().collect())
        } else {
            current.first().map_or(Value::Null, |v| (*v).clone())
        }
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether an expression starts at `i`: `$` then `.` + name/`*`, or `[`.
fn starts_expression(bytes: &[u8], i: usize) -> bool {
    bytes.get(i) == Some(&b'$')
        && match bytes.get(i + 1) {
            Some(b'[') => true,
            // `$..name` is recursive descent: taken as an expression so saving refuses it.
            Some(b'.') => match bytes.get(i + 2) {
                Some(b'.') => bytes.get(i + 3).is_some_and(|&b| is_name_byte(b)),
                Some(&b) => is_name_byte(b) || b == b'*',
                None => false,
            },
            _ => false,
        }
}

/// Parses an expression starting with `$` at `start`; returns it and the index after it.
fn parse_at(text: &str, start: usize) -> Result<(JsonPath, usize), String> {
    let bytes = text.as_bytes();
    debug_assert_eq!(bytes[start], b'$');
    let mut i = start + 1;
    let mut steps = Vec::new();
    loop {
        match bytes.get(i) {
            Some(b'.') if bytes.get(i + 1) == Some(&b'*') => {
                steps.push(Step::Wildcard);
                i += 2;
            }
            Some(b'.') if bytes.get(i + 1).is_some_and(|&b| is_name_byte(b)) => {
                let from = i + 1;
                let mut end = from;
                while bytes.get(end).is_some_and(|&b| is_name_byte(b)) {
                    end += 1;
                }
                steps.push(Step::Name(text[from..end].to_owned()));
                i = end;
            }
            Some(b'.') if bytes.get(i + 1) == Some(&b'.') => {
                return Err(format!(
                    "recursive descent (..) is not supported in {:?}",
                    &text[start..]
                ))
            }
            Some(b'[') => {
                let close = text[i..]
                    .find(']')
                    .map(|at| i + at)
                    .ok_or_else(|| format!("unclosed [ in {:?}", &text[start..]))?;
                let inner = text[i + 1..close].trim();
                let step = if inner == "*" {
                    Step::Wildcard
                } else if let Some(name) = quoted(inner) {
                    Step::Name(name.to_owned())
                } else if let Ok(index) = inner.parse::<i64>() {
                    Step::Index(index)
                } else {
                    return Err(format!(
                        "[{inner}] is not supported (use [0], [-1], [*] or ['name'])"
                    ));
                };
                steps.push(step);
                i = close + 1;
            }
            _ => return Ok((JsonPath { steps }, i)),
        }
    }
}

fn quoted(inner: &str) -> Option<&str> {
    let b = inner.as_bytes();
    (b.len() >= 2 && (b[0] == b'\'' || b[0] == b'"') && b[b.len() - 1] == b[0])
        .then(|| &inner[1..inner.len() - 1])
}

/// A piece of a string template.
#[derive(Debug, PartialEq)]
enum Piece {
    Text(String),
    Path(JsonPath),
}

fn split(text: &str) -> Result<Vec<Piece>, String> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    let mut copied_from = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'$') {
            literal.push_str(&text[copied_from..i + 1]);
            i += 2;
            copied_from = i;
        } else if starts_expression(bytes, i) {
            literal.push_str(&text[copied_from..i]);
            if !literal.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut literal)));
            }
            let (path, end) = parse_at(text, i)?;
            pieces.push(Piece::Path(path));
            i = end;
            copied_from = i;
        } else {
            i += 1;
        }
    }
    literal.push_str(&text[copied_from..]);
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    Ok(pieces)
}

/// The text of a value inside a longer string.
fn as_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn render_string(text: &str, payload: &Value) -> Value {
    if let Some(Ok(path)) = JsonPath::parse_exact(text) {
        return path.select(payload);
    }
    match split(text) {
        Ok(pieces) => Value::String(
            pieces
                .iter()
                .map(|piece| match piece {
                    Piece::Text(t) => t.clone(),
                    Piece::Path(p) => as_text(&p.select(payload)),
                })
                .collect(),
        ),
        // Templates are checked when the watch is saved; an old bad one is sent as written.
        Err(_) => Value::String(text.to_owned()),
    }
}

/// Fills the template `schema` from `payload` (see the module documentation).
pub fn render(schema: &Value, payload: &Value) -> Value {
    match schema {
        Value::String(text) => render_string(text, payload),
        Value::Array(items) => Value::Array(items.iter().map(|v| render(v, payload)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), render(v, payload)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Checks every expression of a template; the error names where (`schema.a.b`) and what is wrong.
pub fn check(schema: &Value, at: &str) -> Result<(), (String, String)> {
    match schema {
        Value::String(text) => match JsonPath::parse_exact(text) {
            Some(Err(e)) => Err((at.to_owned(), e)),
            Some(Ok(_)) => Ok(()),
            None => split(text).map(|_| ()).map_err(|e| (at.to_owned(), e)),
        },
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check(v, &format!("{at}[{i}]"))),
        Value::Object(map) => map
            .iter()
            .try_for_each(|(k, v)| check(v, &format!("{at}.{k}"))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload() -> Value {
        json!({
            "id": "a1",
            "client": {"email": "ada@example.com", "firstName": "Ada", "phone": null},
            "resourceCount": 2,
            "paid": false,
            "form": {"items": [{"value": "x"}, {"value": "y"}]},
            "extendedProperties": {"public": {"gift card": true}},
            "event": "created"
        })
    }

    #[test]
    fn whole_string_expressions_keep_their_type() {
        let schema = json!({
            "email": "$.client.email",
            "count": "$.resourceCount",
            "paid": "$.paid",
            "client": "$.client",
            "missing": "$.nope.deeper",
            "values": "$.form.items[*].value",
            "last": "$.form.items[-1].value",
            "quoted": "$.extendedProperties.public['gift card']",
            "constant": 42,
            "nested": [{"e": "$.event"}]
        });
        assert_eq!(
            render(&schema, &payload()),
            json!({
                "email": "ada@example.com",
                "count": 2,
                "paid": false,
                "client": {"email": "ada@example.com", "firstName": "Ada", "phone": null},
                "missing": null,
                "values": ["x", "y"],
                "last": "y",
                "quoted": true,
                "constant": 42,
                "nested": [{"e": "created"}]
            })
        );
        assert_eq!(render(&json!("$"), &payload()), payload());
    }

    #[test]
    fn expressions_inside_text_are_interpolated() {
        let p = payload();
        let cases = [
            ("Booked by $.client.firstName.", "Booked by Ada."),
            (
                "$.client.firstName <$.client.email>",
                "Ada <ada@example.com>",
            ),
            ("count=$.resourceCount paid=$.paid", "count=2 paid=false"),
            ("phone: [$.client.phone]", "phone: []"),
            ("costs $$5 or $5, $ alone", "costs $5 or $5, $ alone"),
            ("$$.client.email", "$.client.email"),
            ("items $.form.items[*].value", "items [\"x\",\"y\"]"),
            ("no expressions", "no expressions"),
        ];
        for (template, expected) in cases {
            assert_eq!(render(&json!(template), &p), json!(expected), "{template}");
        }
    }

    #[test]
    fn unsupported_syntax_is_refused_with_its_place() {
        assert!(check(&json!({"a": ["$.x", "hi $.y"]}), "schema").is_ok());
        let (at, why) = check(&json!({"a": [1, "$.x[?(@.y)]"]}), "schema").unwrap_err();
        assert_eq!(at, "schema.a[1]");
        assert!(why.contains("not supported"), "{why}");
        assert!(check(&json!("$..email"), "schema").is_err());
        assert!(check(&json!("see $.items[0"), "schema").is_err());
    }
}
