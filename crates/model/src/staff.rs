//! Staff members. Not in the reference: shaped after the wider API, plus `avatarUrl`.

use serde::{Deserialize, Serialize};

use crate::schedule::{DayHours, Vacation};

/// A person who performs services.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", schemars(extend("anyOf" = [{"required": ["firstName"], "properties": {"firstName": {"type": "string", "minLength": 1}}}, {"required": ["lastName"], "properties": {"lastName": {"type": "string", "minLength": 1}}}])))]
pub struct Staff {
    /// Identifier of the staff member (max 16 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schemars(with = "Option<crate::schema::RecordId>")
    )]
    pub id: Option<String>,
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_NAME_LEN)))]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_NAME_LEN)))]
    pub last_name: Option<String>,
    /// Job title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Email (private).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(regex(pattern = crate::schema::EMAIL), length(max = crate::validate::MAX_NAME_LEN)))]
    pub email: Option<String>,
    /// Phone (private).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Display colour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Description shown to visitors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Working hours; the company's when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub working_hours: Vec<DayHours>,
    /// Services performed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<StaffService>,
    /// Days off.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vacations: Vec<Vacation>,
    /// Whether visitors can pick this person in the widget; true when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_for_widget: Option<bool>,
    /// Identifier in an external system.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_TEXT_LEN)))]
    pub external_id: Option<String>,
    /// Extension: URL of a portrait shown in the widget.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(regex(pattern = crate::schema::URL)))]
    pub avatar_url: Option<String>,
    /// Extension, read-only (ignored on write): the secret URL of this person's calendar feed, to
    /// subscribe to in any calendar app. `POST staff/{id}/calendarFeedToken` replaces it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(extend("readOnly" = true)))]
    pub calendar_feed_url: Option<String>,
}

impl Staff {
    /// "First Last", skipping missing parts.
    pub fn display_name(&self) -> String {
        [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Whether visitors may choose this person (`availableForWidget`, true when absent).
    pub fn is_available_for_widget(&self) -> bool {
        self.available_for_widget.unwrap_or(true)
    }

    /// Whether this person performs the service with id `service_id`.
    pub fn performs(&self, service_id: &str) -> bool {
        self.services
            .iter()
            .any(|s| s.id.as_deref() == Some(service_id))
    }
}

/// A service a staff member performs (`services[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct StaffService {
    /// Identifier of the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(required, regex(pattern = crate::schema::NON_BLANK), length(max = crate::validate::MAX_ID_LEN)))]
    pub id: Option<String>,
    /// Name of the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}
