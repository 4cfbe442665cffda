//! Watches: webhooks that receive an appointment whenever one changes.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::appointment::Appointment;
use crate::datetime::DateTimeZone;
use crate::string_enum::string_enum;
pub use crate::watch_headers::{HeaderForm, HttpHeader, HttpRequestHeaders};

/// A watch: where and how to deliver change notifications.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Watch {
    /// Identifier of the watch (read-only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// URL notifications are delivered to (required).
    pub address: String,
    /// Name of the watch.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = 255)))]
    pub name: Option<String>,
    /// HTTP Basic credentials for `address`, when it uses them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_auth: Option<BasicAuth>,
    /// Extra headers sent with each notification: a map of name to value, or a list of
    /// `{"name", "value"}` (see [`HttpRequestHeaders`]).
    #[serde(default, skip_serializing_if = "HttpRequestHeaders::is_empty")]
    pub http_request_header: HttpRequestHeaders,
    /// Custom JSON template applied to the notified resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<Value>,
    /// Level of detail of the notified resource; `full` when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_details: Option<WatchLevel>,
    /// HTTP method of the notification; `POST` when absent. `DELETE` sends no body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<WatchMethod>,
    /// Whether notifications are sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<WatchStatus>,
    /// OAuth2 credentials for `address`, when it uses them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2_auth: Option<OAuth2Auth>,
    /// Signature of the notified content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
}

impl Watch {
    /// `levelDetails`, or its default `full`.
    pub fn effective_level(&self) -> WatchLevel {
        self.level_details.unwrap_or_default()
    }

    /// `method`, or its default `POST`.
    pub fn effective_method(&self) -> WatchMethod {
        self.method.unwrap_or_default()
    }

    /// Whether the watch delivers notifications (`status` absent counts as enabled).
    pub fn is_enabled(&self) -> bool {
        self.status != Some(WatchStatus::Disabled)
    }
}

/// HTTP Basic credentials (`basicAuth`). `Debug` hides the password so it never reaches logs.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BasicAuth {
    /// User name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth")
            .field("username", &self.username)
            .field("password", &redacted(&self.password))
            .finish()
    }
}

/// OAuth2 credentials (`oauth2Auth`). `Debug` hides the secrets so they never reach logs.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OAuth2Auth {
    /// Grant type; `refresh_token` when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant_type: Option<GrantType>,
    /// OAuth2 client id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Extension: OAuth2 client secret. The reference omits it, but the `client_credentials` grant
    /// cannot work without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// Refresh token (`refresh_token` grant only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Interactive endpoint that starts the generation of the refresh token (`refresh_token` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_url: Option<String>,
    /// Endpoint issuing access tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token_url: Option<String>,
    /// API scope (`refresh_token` grant only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl OAuth2Auth {
    /// `grantType`, or its default `refresh_token`.
    pub fn effective_grant_type(&self) -> GrantType {
        self.grant_type.unwrap_or_default()
    }
}

impl fmt::Debug for OAuth2Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2Auth")
            .field("grant_type", &self.grant_type)
            .field("client_id", &self.client_id)
            .field("client_secret", &redacted(&self.client_secret))
            .field("refresh_token", &redacted(&self.refresh_token))
            .field("auth_url", &self.auth_url)
            .field("access_token_url", &self.access_token_url)
            .field("scope", &self.scope)
            .finish()
    }
}

fn redacted(secret: &Option<String>) -> Option<&'static str> {
    secret.as_ref().map(|_| "<redacted>")
}

/// Signature of notifications (`signature`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Signature {
    /// Whether notifications are signed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Identifiers of the crypto keys to sign with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crypto_key_ids: Vec<String>,
}

string_enum! {
    /// Level of detail of a notified resource (`levelDetails`).
    #[derive(Default)]
    pub enum WatchLevel {
        /// All properties (the default).
        #[default]
        Full = "full",
        /// All properties plus extra detail.
        ExtraFull = "extraFull",
    }
}

string_enum! {
    /// HTTP method of notifications (`method`), upper case.
    #[derive(Default)]
    pub enum WatchMethod {
        /// POST (the default).
        #[default]
        Post = "POST",
        /// PUT.
        Put = "PUT",
        /// PATCH.
        Patch = "PATCH",
        /// DELETE, sent without a body.
        Delete = "DELETE",
    }
}

string_enum! {
    /// Whether a watch is active (`status`).
    pub enum WatchStatus {
        /// Notifications are sent.
        Enabled = "enabled",
        /// Notifications are not sent.
        Disabled = "disabled",
    }
}

string_enum! {
    /// OAuth2 grant type (`oauth2Auth.grantType`).
    #[derive(Default)]
    pub enum GrantType {
        /// Exchange a stored refresh token (the default).
        #[default]
        RefreshToken = "refresh_token",
        /// Client id and secret only.
        ClientCredentials = "client_credentials",
    }
}

string_enum! {
    /// What happened to the notified appointment (`event`).
    pub enum WatchEvent {
        /// It was booked.
        Created = "created",
        /// It changed.
        Updated = "updated",
        /// It was deleted.
        Deleted = "deleted",
    }
}

/// Body of a notification: the appointment's fields, plus `date` and `event` at the same level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct WatchNotification {
    /// The appointment, flattened into the body.
    #[serde(flatten)]
    pub appointment: Appointment,
    /// When the notification was sent.
    pub date: DateTimeZone,
    /// What happened.
    pub event: WatchEvent,
}
