//! Lenient serde adapters for fields whose wire type the reference leaves loose.
//!
//! The reference documents `paid` and `addToWaitingList` as the *string* `"true"`, and
//! `iterationCount` as a string holding a number, while real clients send JSON booleans and numbers.
//! These adapters accept both and write back one canonical form, so a round trip is stable.
//!
//! Use them with `#[serde(default, with = "...", skip_serializing_if = "Option::is_none")]`.

use core::fmt;
use core::marker::PhantomData;
use core::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// `Option<bool>` read from `true`/`false` or `"true"`/`"false"`, written as the string
/// `"true"`/`"false"` (the reference's spelling). `null` reads as `None`.
pub mod option_bool_string {
    use super::*;

    /// Writes `Some(b)` as `"true"`/`"false"`, `None` as `null` (normally skipped by the caller).
    pub fn serialize<S: Serializer>(
        value: &Option<bool>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(b) => serializer.serialize_str(if *b { "true" } else { "false" }),
            None => serializer.serialize_none(),
        }
    }

    /// Reads a JSON boolean, the strings `"true"`/`"false"` (any ASCII case), or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<bool>, D::Error> {
        Ok(Option::<LenientBool>::deserialize(deserializer)?.map(|b| b.0))
    }
}

/// `Option<N>` for an integer `N` read from a JSON number or a numeric string (`3` or `"3"`),
/// written as a JSON number. `null` reads as `None`.
pub mod option_number_or_string {
    use super::*;

    /// Writes `Some(n)` as a JSON number, `None` as `null` (normally skipped by the caller).
    pub fn serialize<N: Serialize, S: Serializer>(
        value: &Option<N>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    /// Reads a JSON integer, a string holding an integer (surrounding spaces allowed), or `null`.
    pub fn deserialize<'de, N, D>(deserializer: D) -> Result<Option<N>, D::Error>
    where
        N: FromStr + TryFrom<u64> + TryFrom<i64>,
        D: Deserializer<'de>,
    {
        Ok(Option::<LenientNumber<N>>::deserialize(deserializer)?.map(|n| n.0))
    }
}

/// A `bool` that also deserializes from `"true"` / `"false"`.
struct LenientBool(bool);

impl<'de> Deserialize<'de> for LenientBool {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BoolVisitor;

        impl Visitor<'_> for BoolVisitor {
            type Value = LenientBool;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean or the string \"true\" or \"false\"")
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<LenientBool, E> {
                Ok(LenientBool(v))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<LenientBool, E> {
                if v.eq_ignore_ascii_case("true") {
                    Ok(LenientBool(true))
                } else if v.eq_ignore_ascii_case("false") {
                    Ok(LenientBool(false))
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
        }

        deserializer.deserialize_any(BoolVisitor)
    }
}

/// An integer that also deserializes from a numeric string.
struct LenientNumber<N>(N);

impl<'de, N> Deserialize<'de> for LenientNumber<N>
where
    N: FromStr + TryFrom<u64> + TryFrom<i64>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor<N>(PhantomData<N>);

        impl<N> Visitor<'_> for NumberVisitor<N>
        where
            N: FromStr + TryFrom<u64> + TryFrom<i64>,
        {
            type Value = LenientNumber<N>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or a string holding an integer")
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                N::try_from(v)
                    .map(LenientNumber)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                N::try_from(v)
                    .map(LenientNumber)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                v.trim()
                    .parse()
                    .map(LenientNumber)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }

        deserializer.deserialize_any(NumberVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Probe {
        #[serde(
            default,
            with = "super::option_bool_string",
            skip_serializing_if = "Option::is_none"
        )]
        flag: Option<bool>,
        #[serde(
            default,
            with = "super::option_number_or_string",
            skip_serializing_if = "Option::is_none"
        )]
        count: Option<u32>,
    }

    fn read(v: serde_json::Value) -> Result<Probe, serde_json::Error> {
        serde_json::from_value(v)
    }

    #[test]
    fn bool_accepts_strings_and_booleans_and_writes_strings() {
        for (input, want) in [
            (json!(true), true),
            (json!("true"), true),
            (json!("TRUE"), true),
            (json!(false), false),
            (json!("false"), false),
        ] {
            let probe = read(json!({ "flag": input })).expect("valid flag");
            assert_eq!(probe.flag, Some(want));
        }
        let out = serde_json::to_value(Probe {
            flag: Some(true),
            count: None,
        })
        .expect("serializes");
        assert_eq!(out, json!({ "flag": "true" }));
        assert!(read(json!({ "flag": "yes" })).is_err());
        assert!(read(json!({ "flag": 1 })).is_err());
        assert_eq!(read(json!({ "flag": null })).expect("null").flag, None);
        assert_eq!(read(json!({})).expect("absent").flag, None);
    }

    #[test]
    fn number_accepts_numbers_and_numeric_strings_and_writes_numbers() {
        assert_eq!(read(json!({ "count": 3 })).expect("number").count, Some(3));
        assert_eq!(
            read(json!({ "count": " 4 " })).expect("string").count,
            Some(4)
        );
        assert!(read(json!({ "count": -1 })).is_err());
        assert!(read(json!({ "count": "x" })).is_err());
        assert!(read(json!({ "count": 1.5 })).is_err());
        assert!(read(json!({ "count": 5_000_000_000_u64 })).is_err());
        let out = serde_json::to_value(Probe {
            flag: None,
            count: Some(7),
        })
        .expect("serializes");
        assert_eq!(out, json!({ "count": 7 }));
    }
}
