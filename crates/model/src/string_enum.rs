//! The `string_enum!` macro: enums whose wire form is a fixed string per variant.
//!
//! One macro keeps `serde`, [`as_str`](crate::AppointmentStatus::as_str), [`FromStr`](core::str::FromStr)
//! and `Display` in agreement: the spelling is written once per variant.

use core::fmt;

/// Error of `FromStr` on the API's string enums: names the type and every allowed value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    /// Rust name of the enum, e.g. `AppointmentStatus`.
    pub type_name: &'static str,
    /// The rejected input.
    pub got: String,
    /// Wire spellings that would have been accepted.
    pub allowed: &'static [&'static str],
}

impl fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} {:?}: use one of {}",
            self.type_name,
            self.got,
            self.allowed.join(", ")
        )
    }
}

impl std::error::Error for ParseEnumError {}

/// Declares a `Copy` enum with one wire string per variant, plus `ALL`, `VALUES`, `as_str`,
/// `FromStr` (case-sensitive, like serde) and `Display`.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $value:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $value)]
                $variant,
            )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Wire spelling of every variant, in declaration order.
            pub const VALUES: &'static [&'static str] = &[$($value),+];

            /// The wire spelling of this value, exactly as the API writes it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $value,)+
                }
            }
        }

        impl core::str::FromStr for $name {
            type Err = $crate::string_enum::ParseEnumError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($value => Ok($name::$variant),)+
                    _ => Err($crate::string_enum::ParseEnumError {
                        type_name: stringify!($name),
                        got: s.to_owned(),
                        allowed: $name::VALUES,
                    }),
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use string_enum;
