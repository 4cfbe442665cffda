//! `httpRequestHeader` of a watch: extra headers sent with each notification.
//!
//! The reference names the field and a `httpRequestHeader.name` sub-field, but no value field. Two
//! forms are taken, and a watch is answered in the form it was sent:
//! - a map of name to value: `{"X-Api-Key": "k-123"}`;
//! - a list of name/value pairs: `[{"name": "X-Api-Key", "value": "k-123"}]`.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};

/// The form `httpRequestHeader` was sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeaderForm {
    /// `{"name": "value", …}` (also the form of an empty or absent field).
    #[default]
    Map,
    /// `[{"name": "…", "value": "…"}, …]`.
    List,
}

/// One custom header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HttpHeader {
    /// Header name.
    pub name: String,
    /// Header value.
    pub value: String,
}

/// The custom headers of a watch, in the order and the form they were sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpRequestHeaders {
    /// Form to answer in.
    pub form: HeaderForm,
    /// The headers, in order.
    pub entries: Vec<HttpHeader>,
}

impl HttpRequestHeaders {
    /// Headers in the map form.
    pub fn map<N: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (N, V)>) -> Self {
        Self::from_pairs(HeaderForm::Map, pairs)
    }

    /// Headers in the list form.
    pub fn list<N: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (N, V)>) -> Self {
        Self::from_pairs(HeaderForm::List, pairs)
    }

    fn from_pairs<N: Into<String>, V: Into<String>>(
        form: HeaderForm,
        pairs: impl IntoIterator<Item = (N, V)>,
    ) -> Self {
        HttpRequestHeaders {
            form,
            entries: pairs
                .into_iter()
                .map(|(name, value)| HttpHeader {
                    name: name.into(),
                    value: value.into(),
                })
                .collect(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The value of the first header called exactly `name`.
    pub fn get(&self, name: &str) -> Option<&String> {
        self.entries
            .iter()
            .find(|h| h.name == name)
            .map(|h| &h.value)
    }

    /// `(name, value)` pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
    }

    /// The API path of the `index`th header's `part` (`"name"` or `"value"`) for error messages:
    /// `httpRequestHeader.X-Api-Key` in the map form, `httpRequestHeader[0].value` in the list form.
    pub fn field(&self, index: usize, part: &str) -> String {
        match (self.form, self.entries.get(index)) {
            (HeaderForm::Map, Some(h)) => format!("httpRequestHeader.{}", h.name),
            _ => format!("httpRequestHeader[{index}].{part}"),
        }
    }
}

impl Serialize for HttpRequestHeaders {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.form {
            HeaderForm::Map => {
                let mut map = serializer.serialize_map(Some(self.entries.len()))?;
                for h in &self.entries {
                    map.serialize_entry(&h.name, &h.value)?;
                }
                map.end()
            }
            HeaderForm::List => {
                let mut seq = serializer.serialize_seq(Some(self.entries.len()))?;
                for h in &self.entries {
                    seq.serialize_element(h)?;
                }
                seq.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for HttpRequestHeaders {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HeadersVisitor;

        impl<'de> Visitor<'de> for HeadersVisitor {
            type Value = HttpRequestHeaders;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    r#"a map {"Header-Name": "value"} or a list [{"name": "Header-Name", "value": "value"}]"#,
                )
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(HttpRequestHeaders::default())
            }

            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(HttpRequestHeaders::default())
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((name, value)) = map.next_entry::<String, String>()? {
                    entries.push(HttpHeader { name, value });
                }
                Ok(HttpRequestHeaders {
                    form: HeaderForm::Map,
                    entries,
                })
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(header) = seq.next_element::<HttpHeader>()? {
                    entries.push(header);
                }
                Ok(HttpRequestHeaders {
                    form: HeaderForm::List,
                    entries,
                })
            }
        }

        deserializer.deserialize_any(HeadersVisitor)
    }
}

#[cfg(feature = "openapi")]
impl schemars::JsonSchema for HttpRequestHeaders {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "HttpRequestHeaders".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let pair = generator.subschema_for::<HttpHeader>();
        schemars::json_schema!({
            "description": "Extra headers: a map of name to value, or a list of {name, value}; answered in the form sent.",
            "oneOf": [
                {"type": "object", "additionalProperties": {"type": "string"}},
                {"type": "array", "items": pair}
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_forms_are_read_and_written_back_as_sent() {
        // From the text: the order sent is kept (a `serde_json::Value` map would sort it).
        for sent in [
            r#"{"X-B":"2","X-A":"1"}"#,
            r#"[{"name":"X-B","value":"2"},{"name":"X-A","value":"1"}]"#,
        ] {
            let headers: HttpRequestHeaders = serde_json::from_str(sent).unwrap();
            assert_eq!(
                headers.iter().collect::<Vec<_>>(),
                [("X-B", "2"), ("X-A", "1")]
            );
            assert_eq!(serde_json::to_string(&headers).unwrap(), sent);
        }
        let none: HttpRequestHeaders = serde_json::from_value(json!(null)).unwrap();
        assert!(none.is_empty());
        for bad in [
            json!([{"name": "X-A"}]),
            json!([{"name": "X-A", "value": "1", "extra": 1}]),
            json!("X-A: 1"),
            json!({"X-A": 1}),
        ] {
            assert!(
                serde_json::from_value::<HttpRequestHeaders>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }
}
