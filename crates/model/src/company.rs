//! The company (the business taking bookings). Not in the reference: shaped after the wider API.

use serde::{Deserialize, Serialize};

use crate::appointment::ExtendedProperties;
use crate::enums::Currency;
use crate::schedule::{DayHours, Vacation};

/// The widget's languages, English first: those of a company's emails (`lang`,
/// `emailTemplates[].lang`), the server's catalogues and the schema's enum.
pub const LANGS: [&str; 7] = ["en", "fr", "de", "es", "it", "nl", "pt"];

/// The language of [`LANGS`] a BCP 47 tag names by its primary subtag, in any case (`fr`,
/// `fr-CA`, `FR`, `pt_BR`); `None` when it names none of them (the caller picks the fallback).
pub fn lang_from_tag(tag: &str) -> Option<&'static str> {
    let primary = tag.split(['-', '_']).next()?;
    LANGS.into_iter().find(|l| l.eq_ignore_ascii_case(primary))
}

/// A company: its zone, currency, opening hours and closures.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Company {
    /// Identifier of the company.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schemars(with = "Option<crate::schema::RecordId>")
    )]
    pub id: Option<String>,
    /// Name of the company.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(required, regex(pattern = crate::schema::NON_BLANK), length(max = crate::validate::MAX_NAME_LEN)))]
    pub name: Option<String>,
    /// IANA zone of the company: the default zone of every date-time without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schemars(required, with = "crate::schema::TimeZone")
    )]
    pub time_zone: Option<String>,
    /// Contact email.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(regex(pattern = crate::schema::EMAIL), length(max = crate::validate::MAX_NAME_LEN)))]
    pub email: Option<String>,
    /// Contact phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Postal address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Description shown to visitors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Opening hours, per day of the week.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub working_hours: Vec<DayHours>,
    /// Currency of every price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Closures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vacations: Vec<Vacation>,
    /// Identifier in an external system.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(length(max = crate::validate::MAX_TEXT_LEN)))]
    pub external_id: Option<String>,
    /// Caller-defined properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extended_properties: Option<ExtendedProperties>,
    /// Minutes before the start when the client gets a reminder email, e.g. `[1440, 120]` (at most
    /// 5, each from 1 to 43200, i.e. 30 days). Absent: 24 h and 2 h; `[]`: no reminders.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schemars(length(max = 5), inner(range(min = 1, max = 43200)))
    )]
    pub reminders: Option<Vec<u32>>,
    /// The company's own wording of its emails, per kind and language (at most one per pair); what
    /// a template leaves out keeps the default text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schemars(length(max = 84)))]
    pub email_templates: Vec<EmailTemplate>,
    /// Text messages to clients (confirmation, changes, reminders) beside the emails, sent to
    /// `client.mobilePhone` (else `client.phone`) through the server's SMS gateway. Off when
    /// absent; turning it on needs a server started with `--sms-url`. While on, a client's number
    /// must be in E.164 form (`+33612345678`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_notifications: Option<bool>,
    /// Language of the emails to the company and its staff: `en`, `fr`, `de`, `es`, `it`, `nl` or
    /// `pt`; absent: `en`. A client's messages are in the booking's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::schema::email_lang")
    )]
    pub lang: Option<String>,
}

/// A company's wording of one kind of email (and text message) in one language. Placeholders: `{service}`, `{date}`,
/// `{company}`, `{client}`, `{reference}`, `{name}` (the reader).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct EmailTemplate {
    /// `confirmation`, `requestReceived`, `accepted`, `declined`, `rescheduled`, `cancelled`,
    /// `waitingList`, `promoted`, `reminder`, `businessNew`, `businessChanged`, `businessCancelled`.
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::schema::email_kind")
    )]
    pub kind: String,
    /// `en`, `fr`, `de`, `es`, `it`, `nl` or `pt`.
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::schema::email_lang")
    )]
    pub lang: String,
    /// The subject line (max 255 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(regex(pattern = crate::schema::EMAIL_TEXT), length(max = 255)))]
    pub subject: Option<String>,
    /// The opening paragraph (max 2000 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(regex(pattern = crate::schema::EMAIL_TEXT), length(max = 2000)))]
    pub intro: Option<String>,
    /// The closing paragraph, before the sign-off and signature (max 2000 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(regex(pattern = crate::schema::EMAIL_TEXT), length(max = 2000)))]
    pub closing: Option<String>,
    /// The text message of this kind (max 320 characters; the manage link follows it while the
    /// booking is on), for companies with `smsNotifications`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(regex(pattern = crate::schema::EMAIL_TEXT), length(max = 320)))]
    pub sms: Option<String>,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// Street and number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// Second address line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_street: Option<String>,
    /// Postal code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    /// State or region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// City.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Country (name or ISO code, as entered).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_resolve_by_their_primary_subtag() {
        for lang in LANGS {
            assert_eq!(lang_from_tag(lang), Some(lang));
        }
        assert_eq!(lang_from_tag("fr-CA"), Some("fr"));
        assert_eq!(lang_from_tag("FR"), Some("fr"));
        assert_eq!(lang_from_tag("De-ch"), Some("de"));
        assert_eq!(lang_from_tag("pt_BR"), Some("pt"));
        assert_eq!(lang_from_tag("zh-Hant-TW"), None);
        assert_eq!(lang_from_tag("ja"), None);
        assert_eq!(lang_from_tag(""), None);
        assert_eq!(lang_from_tag("-fr"), None, "the primary subtag comes first");
        assert_eq!(lang_from_tag("fra"), None, "ISO 639-1 codes only");
        assert_eq!(lang_from_tag("e"), None);
    }
}
