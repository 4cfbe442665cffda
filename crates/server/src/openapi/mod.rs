//! The OpenAPI 3.1 document of the whole HTTP API (`GET /api/openapi.json`) and a self-contained page
//! rendering it (`GET /api/docs`; no external scripts: the server may run offline).
//!
//! Every schema is generated from the serde types of `booking-model` (schemars, feature `openapi`),
//! so the document follows the types: field names, optional fields, enums, and the limits their
//! validators check (lengths, minimums, patterns, required fields) declared beside each field.
//! [`operations::OPERATIONS`] says which type each route reads and writes; `tests/openapi.rs`
//! checks it against the running router, and `cargo xtask test` runs schemathesis against it.

pub mod bodies;
pub mod operations;
pub mod params;

use std::sync::LazyLock;

use booking_model::schema::generator;
use booking_model::ErrorBody;
use serde_json::{json, Map, Value};

pub use operations::{In, Operation, Param, OPERATIONS};

fn error_description(status: u16) -> &'static str {
    match status {
        400 => "The input breaks this document; `fields` names each invalid field.",
        401 => "Missing or invalid API key.",
        404 => "Not found (also: a key of another company).",
        409 => "Conflict: the time is not free, or the id/externalId is taken.",
        410 => "syncToken unknown or expired: list again without it.",
        422 => "The input follows this document but breaks a rule it states only in words: an order \
                between fields (an end after its start), a record that does not exist, answers that \
                do not fit the service's form, ids that must be unique. `fields` names each one.",
        429 => "Too many requests; see Retry-After.",
        _ => "Error.",
    }
}

/// The whole document (built once).
pub fn document() -> Value {
    static DOCUMENT: LazyLock<Value> = LazyLock::new(build);
    DOCUMENT.clone()
}

fn build() -> Value {
    let mut generator = generator();
    let error = generator.subschema_for::<ErrorBody>().to_value();
    let mut paths = Map::new();
    for op in OPERATIONS {
        let params: Vec<Value> = op
            .params
            .iter()
            .map(|p| {
                json!({"name": p.name, "in": if p.location == In::Path { "path" } else { "query" },
                       "required": p.required, "description": p.description, "schema": (p.schema)()})
            })
            .collect();
        let mut responses = Map::new();
        let ok = match op.ok.1 {
            Some(schema) => {
                json!({"description": "Success.", "content": {"application/json": {"schema": schema(&mut generator)}}})
            }
            None => {
                json!({"description": if op.ok.0 == 204 { "Success, empty body." } else { "Success." }})
            }
        };
        responses.insert(op.ok.0.to_string(), ok);
        // Where input can be refused, it can also break a rule the document states only in words.
        let rules: &[u16] = if op.errors.contains(&400) {
            &[422]
        } else {
            &[]
        };
        // Any input can be refused: a NUL in a parameter is a 400 on every route.
        let refusable: &[u16] = match op.errors.contains(&400) {
            false if !op.params.is_empty() || op.body.is_some() => &[400],
            _ => &[],
        };
        let internal: &[u16] = if op.auth { &[500] } else { &[] };
        for status in op
            .errors
            .iter()
            .chain(rules)
            .chain(refusable)
            .chain(internal)
        {
            responses.insert(
                status.to_string(),
                json!({"description": error_description(*status), "content": {"application/json": {"schema": error}}}),
            );
        }
        let mut operation = json!({
            "tags": [op.tag],
            "summary": op.summary,
            "operationId": format!("{}{}", op.method, op.path.replace(['/', '{', '}', '.', '-'], "_")),
            "parameters": params,
            "responses": responses,
        });
        if let Some(body) = op.body {
            // Only a new signing key's body is optional (no body: a key without a name).
            let required = op.method != "post" || !op.path.ends_with("/cryptoKeys");
            operation["requestBody"] = json!({"required": required,
                "content": {"application/json": {"schema": body(&mut generator)}}});
        }
        operation["security"] = match op.auth {
            true => {
                json!([{"apiKeyHeader": []}, {"apiKeyQuery": []}, {"tokenHeader": []}, {"bearer": []}])
            }
            false => json!([]),
        };
        let entry = paths.entry(op.path.to_owned()).or_insert_with(|| json!({}));
        entry[op.method] = operation;
    }
    let mut schemas = Value::Object(generator.take_definitions(true));
    no_nul_in_strings(&mut schemas);
    let mut paths = Value::Object(paths);
    no_nul_in_strings(&mut paths);
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Booking server API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The Appointments API of the reference, the business setup API and the public widget API. \
                Authenticated routes take the company's API key as the `apiKey` header or query parameter, as `token` \
                (an alias, used when apiKey is absent), or as `Authorization: Bearer <key>`. Every error answers \
                `{\"error\":{\"code\",\"message\",\"fields\":[{\"name\",\"reason\"}]}}`."
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "apiKey"},
                "apiKeyQuery": {"type": "apiKey", "in": "query", "name": "apiKey"},
                "tokenHeader": {"type": "apiKey", "in": "header", "name": "token"},
                "bearer": {"type": "http", "scheme": "bearer"}
            }
        }
    })
}

/// A self-contained page listing every operation of [`document`], with parameters and answers.
pub const DOCS_PAGE: &str = include_str!("docs.html");

/// The extractors refuse the NUL character in every string, parameter and name outside free-form
/// data (`crate::extract::NUL_REASON`): every string schema says so, so a request the document
/// allows is never refused for it.
fn no_nul_in_strings(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            let is_string = match map.get("type") {
                Some(Value::String(t)) => t == "string",
                Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
                _ => false,
            };
            // Fixed values and patterns that cannot match a NUL say it already; an `allOf` beside
            // them would only slow schemathesis' generation down.
            let fixed = map.contains_key("enum") || map.contains_key("const");
            let own = map
                .get("pattern")
                .and_then(Value::as_str)
                .map(may_match_nul);
            if is_string && !fixed && own != Some(false) {
                let no_nul = json!("^[^\\x00]*$");
                if own.is_none() {
                    map.insert("pattern".to_owned(), no_nul);
                } else if let Value::Array(all) = map.entry("allOf").or_insert_with(|| json!([])) {
                    // One `pattern` per schema: a second one goes beside it in `allOf`.
                    all.push(json!({"pattern": no_nul}));
                }
            }
            map.values_mut().for_each(no_nul_in_strings);
        }
        Value::Array(items) => items.iter_mut().for_each(no_nul_in_strings),
        _ => {}
    }
}

/// Whether a string holding U+0000 can match `pattern` (unparsable: assume it can).
fn may_match_nul(pattern: &str) -> bool {
    use regex_syntax::hir::{Class, Hir, HirKind};
    fn holds_nul(hir: &Hir) -> bool {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => false,
            HirKind::Literal(literal) => literal.0.contains(&0),
            HirKind::Class(Class::Unicode(class)) => {
                class.ranges().iter().any(|r| r.start() == '\0')
            }
            HirKind::Class(Class::Bytes(class)) => class.ranges().iter().any(|r| r.start() == 0),
            HirKind::Repetition(repetition) => {
                repetition.max != Some(0) && holds_nul(&repetition.sub)
            }
            HirKind::Capture(capture) => holds_nul(&capture.sub),
            HirKind::Concat(all) | HirKind::Alternation(all) => all.iter().any(holds_nul),
        }
    }
    regex_syntax::parse(pattern).map_or(true, |hir| holds_nul(&hir))
}

#[cfg(test)]
mod tests {
    use booking_model::schema::URL;
    use booking_model::validate::is_valid_url;

    #[test]
    fn only_patterns_that_can_match_a_nul_get_the_no_nul_pattern_beside_them() {
        use booking_model::schema::{EMAIL, EMAIL_TEXT, NON_BLANK};
        for closed in [URL, EMAIL, "^#[0-9A-Fa-f]{6}$", "^[A-Za-z0-9_-]{0,35}$"] {
            assert!(!super::may_match_nul(closed), "{closed}");
        }
        for open in [NON_BLANK, EMAIL_TEXT, "^.*$", "\\x00", "^(?:a|[^b])$"] {
            assert!(super::may_match_nul(open), "{open}");
        }
    }

    /// Every URL the document's pattern allows passes the model's check, or schemathesis finds a
    /// documented request refused (it found `htTP://!?H@VmcHZ62Y:27030`: a `?` in the credentials).
    #[test]
    fn the_url_pattern_allows_only_what_the_check_accepts() {
        let pattern = regex::Regex::new(URL).expect("URL is a regex");
        let allowed = [
            "https://example.com",
            "HTTP://user:pw@example.com:8080/a?b#c",
            "http://a_b-c.example:/",
            "http://!$&'()*+,;=:%41@host",
            "http://a#b@host",
        ];
        for url in allowed {
            assert!(pattern.is_match(url), "{url}");
        }
        let others = [
            "htTP://!?H@VmcHZ62Y:27030",
            "http://a/b@host",
            "http://a@b@host",
            "http://[::1]/",
            "http://h:99999999/",
            "http://h.:80/",
        ];
        for url in allowed.iter().chain(&others) {
            assert!(!pattern.is_match(url) || is_valid_url(url), "{url}");
        }
        assert!(!pattern.is_match(others[0]));
    }
}
