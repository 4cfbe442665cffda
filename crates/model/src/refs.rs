//! Small objects an appointment embeds to point at other records (company, service, client, …).
//!
//! Every field is optional: the same shapes serve responses (where the server fills names) and
//! requests (where a client may send only an `id` or an `externalId`).

use serde::{Deserialize, Serialize};

/// The company an appointment belongs to (`company`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CompanyRef {
    /// Identifier of the company.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name of the company.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The service booked (`service`); only for a service appointment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceRef {
    /// Identifier of the service (max 16 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_ID_LEN)))]
    pub id: Option<String>,
    /// Name of the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Identifier of the service in an external system; the reference says "writable only".
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_TEXT_LEN)))]
    pub external_id: Option<String>,
}

/// The resource booked (`resource`); only for a resource appointment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ResourceRef {
    /// Identifier of the resource (max 16 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_ID_LEN)))]
    pub id: Option<String>,
    /// Name of the resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Identifier of the resource in an external system; "writable only".
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_TEXT_LEN)))]
    pub external_id: Option<String>,
}

/// The staff member in charge (`staff`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct StaffRef {
    /// Identifier of the staff member (max 16 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_ID_LEN)))]
    pub id: Option<String>,
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Identifier of the staff member in an external system; "writable only".
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_TEXT_LEN)))]
    pub external_id: Option<String>,
}

/// The person the appointment is for (`client`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClientRef {
    /// Identifier of the client (max 16 characters; never reused for another account).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_ID_LEN)))]
    pub id: Option<String>,
    /// First name (max 127 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_NAME_LEN)))]
    pub first_name: Option<String>,
    /// Last name (max 127 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_NAME_LEN)))]
    pub last_name: Option<String>,
    /// Email address (max 127 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(regex(pattern = crate::schema::EMAIL), length(max = crate::validate::MAX_NAME_LEN)))]
    pub email: Option<String>,
    /// IANA time zone of the client, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schemars(with = "Option<crate::schema::TimeZone>")
    )]
    pub time_zone: Option<String>,
    /// Identifier of the client in an external system (max 65535 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_TEXT_LEN)))]
    pub external_id: Option<String>,
    /// Phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Mobile phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_phone: Option<String>,
}

/// For an appointment taken for someone else, the person who took it (`parent`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ParentRef {
    /// Identifier of the parent (max 16 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_ID_LEN)))]
    pub id: Option<String>,
    /// First name (max 127 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_NAME_LEN)))]
    pub first_name: Option<String>,
    /// Last name (max 127 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_NAME_LEN)))]
    pub last_name: Option<String>,
    /// Email address (max 127 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(regex(pattern = crate::schema::EMAIL), length(max = crate::validate::MAX_NAME_LEN)))]
    pub email: Option<String>,
    /// Identifier of the parent in an external system (max 65535 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_TEXT_LEN)))]
    pub external_id: Option<String>,
    /// IANA time zone of the parent, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schemars(with = "Option<crate::schema::TimeZone>")
    )]
    pub time_zone: Option<String>,
}

/// A company-defined status (`customStatus`), managed by the appointment-statuses API.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomStatus {
    /// Identifier of the custom status (writable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name of the custom status (read-only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// One entry of `service-resource`: a resource used by a service appointment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceResourceRef {
    /// Identifier of the service-resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name of the service-resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}
