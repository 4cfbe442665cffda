//! Business setup rules: what makes a company, service, staff member, resource, form or client valid,
//! and the one way each is written (used by the setup API, the `admin` CLI and `--demo` seeding).

use std::collections::HashSet;

use booking_model::form::{BIND_EMAIL, BIND_FIRST_NAME, BIND_LAST_NAME, BIND_PHONE};
use booking_model::schedule::{parse_date, parse_time};
use booking_model::validate::{
    is_valid_email, is_valid_time_zone, is_valid_url, MAX_ID_LEN, MAX_NAME_LEN, MAX_TEXT_LEN,
};
use booking_model::{
    ClientRef, Company, DayHours, FieldError, Form, Resource, Service, Staff, Vacation,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::db::business::{self, Collection};
use crate::db::Conn;
use crate::error::{Error, OnConstraint, Result};

/// Collects field errors: those the OpenAPI document states (400), and rules it cannot, such as an
/// order between fields or unique ids (422 when they are the only ones).
#[derive(Default)]
struct Check {
    errors: Vec<FieldError>,
    rules: Vec<FieldError>,
}

impl Check {
    fn push(&mut self, name: impl Into<String>, reason: impl Into<String>) {
        self.errors.push(FieldError::new(name, reason));
    }

    fn rule(&mut self, name: impl Into<String>, reason: impl Into<String>) {
        self.rules.push(FieldError::new(name, reason));
    }

    fn required(&mut self, name: &str, value: Option<&str>) {
        if value.is_none_or(|v| v.trim().is_empty()) {
            self.push(name, "is required");
        }
    }

    fn max_chars(&mut self, name: &str, value: Option<&str>, max: usize) {
        if let Some(len) = value.map(|v| v.chars().count()).filter(|len| *len > max) {
            self.push(
                name,
                format!("must be at most {max} characters (got {len})"),
            );
        }
    }

    fn email(&mut self, name: &str, value: Option<&str>) {
        self.max_chars(name, value, MAX_NAME_LEN);
        if let Some(v) = value.filter(|v| !v.trim().is_empty() && !is_valid_email(v)) {
            self.push(
                name,
                format!("must be an email address like name@example.com (got {v:?})"),
            );
        }
    }

    fn url(&mut self, name: &str, value: Option<&str>) {
        if let Some(v) = value.filter(|v| !is_valid_url(v)) {
            self.push(
                name,
                format!("must be an http(s) URL like https://example.com/a.png (got {v:?})"),
            );
        }
    }

    fn time_zone(&mut self, name: &str, value: Option<&str>) {
        if let Some(v) = value.filter(|v| !is_valid_time_zone(v)) {
            self.push(
                name,
                format!("must be an IANA time zone like Europe/Paris (got {v:?})"),
            );
        }
    }

    fn positive(&mut self, name: &str, value: Option<u32>, required: bool) {
        match value {
            Some(0) => self.push(name, "must be greater than 0 (got 0)"),
            None if required => self.push(name, "is required (a number greater than 0)"),
            _ => {}
        }
    }

    /// A company's email templates: known kinds and languages, one per pair, placeholders known
    /// (what `schema::EMAIL_TEXT` says), lengths bounded.
    fn email_templates(&mut self, name: &str, templates: &[booking_model::EmailTemplate]) {
        use crate::notify::{plan::Kind, strings};
        if templates.len() > 84 {
            self.push(
                name,
                format!("may hold at most 84 templates (got {})", templates.len()),
            );
        }
        let mut seen = HashSet::new();
        for (i, t) in templates.iter().enumerate() {
            let at = |field: &str| format!("{name}[{i}].{field}");
            if Kind::parse(&t.kind).is_none() {
                let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                self.push(
                    at("kind"),
                    format!("must be one of {} (got {:?})", kinds.join(", "), t.kind),
                );
            }
            if !strings::LANGS.contains(&t.lang.as_str()) {
                self.push(
                    at("lang"),
                    format!(
                        "must be one of {} (got {:?})",
                        strings::LANGS.join(", "),
                        t.lang
                    ),
                );
            }
            let fields = [
                ("subject", &t.subject, 255),
                ("intro", &t.intro, 2000),
                ("closing", &t.closing, 2000),
                ("sms", &t.sms, 320),
            ];
            for (field, text, max) in fields {
                let Some(text) = text else { continue };
                if text.chars().count() > max {
                    self.push(at(field), format!("must be at most {max} characters"));
                }
                if let Err(reason) = strings::check_template(text) {
                    self.push(at(field), reason);
                }
            }
            if !seen.insert((t.kind.as_str(), t.lang.as_str())) {
                self.rule(
                    at("kind"),
                    format!("a template for {} in {} is already listed", t.kind, t.lang),
                );
            }
        }
    }

    /// A language of the emails, when given.
    fn language(&mut self, name: &str, value: Option<&str>) {
        let langs = crate::notify::strings::LANGS;
        if let Some(lang) = value.filter(|l| !langs.contains(l)) {
            let reason = format!("must be one of {} (got {lang:?})", langs.join(", "));
            self.push(name, reason);
        }
    }

    /// Reminder offsets: at most 5, each from 1 minute to 30 days.
    fn reminders(&mut self, name: &str, value: Option<&[u32]>) {
        let Some(minutes) = value else { return };
        if minutes.len() > 5 {
            self.push(
                name,
                format!("may hold at most 5 reminders (got {})", minutes.len()),
            );
        }
        for (i, m) in minutes.iter().enumerate() {
            if !(1..=43_200).contains(m) {
                self.push(
                    format!("{name}[{i}]"),
                    format!("must be 1 to 43200 minutes before the start (got {m})"),
                );
            }
        }
    }

    fn price(&mut self, name: &str, value: Option<f64>) {
        if let Some(p) = value.filter(|p| !p.is_finite() || *p < 0.0) {
            self.push(name, format!("must be a non-negative amount (got {p})"));
        }
    }

    fn working_hours(&mut self, name: &str, days: &[DayHours]) {
        let mut seen = HashSet::new();
        for (i, day) in days.iter().enumerate() {
            if !seen.insert(day.day) {
                self.rule(
                    format!("{name}[{i}].day"),
                    format!(
                        "{} is listed twice: put all its hours in one entry",
                        day.day
                    ),
                );
            }
            for (j, range) in day.hours.iter().enumerate() {
                if let Err(reason) = range.parse() {
                    let well_formed = [&range.start, &range.end]
                        .iter()
                        .all(|t| parse_time(t).is_ok());
                    match well_formed {
                        true => self.rule(format!("{name}[{i}].hours[{j}]"), reason),
                        false => self.push(format!("{name}[{i}].hours[{j}]"), reason),
                    }
                }
            }
        }
    }

    fn vacations(&mut self, name: &str, vacations: &[Vacation]) {
        for (i, vacation) in vacations.iter().enumerate() {
            if let Err(reason) = vacation.parse() {
                let well_formed = [&vacation.start_date, &vacation.end_date]
                    .iter()
                    .all(|d| parse_date(d).is_ok());
                match well_formed {
                    true => self.rule(format!("{name}[{i}]"), reason),
                    false => self.push(format!("{name}[{i}]"), reason),
                }
            }
        }
    }

    fn into_result(mut self) -> Result<()> {
        match (self.errors.is_empty(), self.rules.is_empty()) {
            (true, true) => Ok(()),
            (true, false) => Err(Error::rules(self.rules)),
            (false, _) => {
                self.errors.append(&mut self.rules);
                Err(Error::invalid(self.errors))
            }
        }
    }
}

/// Whether `id` is a usable record id: 1 to 16 characters among letters, digits, `-`, `_`, `.`
/// (ids appear in URL paths).
pub fn check_id(name: &str, id: &str) -> Result<()> {
    let len = id.chars().count();
    if len == 0 || len > MAX_ID_LEN {
        return Err(Error::field(
            name,
            format!("must be 1 to {MAX_ID_LEN} characters (got {len})"),
        ));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(Error::field(
            name,
            format!("may only hold letters, digits, '-', '_' and '.' (got {id:?})"),
        ));
    }
    Ok(())
}

/// A company: id, name and IANA zone required; hours, closures, email checked.
pub fn validate_company(c: &Company) -> Result<()> {
    if let Some(id) = &c.id {
        check_id("id", id)?;
    }
    let mut check = Check::default();
    check.required("name", c.name.as_deref());
    check.max_chars("name", c.name.as_deref(), MAX_NAME_LEN);
    check.required("timeZone", c.time_zone.as_deref());
    check.time_zone("timeZone", c.time_zone.as_deref());
    check.email("email", c.email.as_deref());
    check.working_hours("workingHours", &c.working_hours);
    check.vacations("vacations", &c.vacations);
    check.max_chars("externalId", c.external_id.as_deref(), MAX_TEXT_LEN);
    check.reminders("reminders", c.reminders.as_deref());
    check.email_templates("emailTemplates", &c.email_templates);
    check.language("lang", c.lang.as_deref());
    check.into_result()
}

/// A kind of record of a company's setup: its collection, id and rules.
pub trait SetupRecord: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// Where it is stored.
    const COLLECTION: Collection;
    /// Its name in messages ("service").
    const KIND: &'static str;
    fn id(&self) -> Option<&str>;
    fn set_id(&mut self, id: String);
    fn external_id(&self) -> Option<&str>;
    /// Every rule of the record, each violation naming its field.
    fn validate(&self) -> Result<()>;
    /// Clears the fields the server fills on reads (a client sending them back changes nothing).
    fn drop_read_only(&mut self) {}
}

impl SetupRecord for Service {
    const COLLECTION: Collection = Collection::Services;
    const KIND: &'static str = "service";
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn set_id(&mut self, id: String) {
        self.id = Some(id);
    }
    fn external_id(&self) -> Option<&str> {
        self.external_id.as_deref()
    }
    fn validate(&self) -> Result<()> {
        let mut check = Check::default();
        check.required("name", self.name.as_deref());
        check.max_chars("name", self.name.as_deref(), MAX_NAME_LEN);
        check.positive("duration", self.duration, true);
        check.positive("capacity", self.capacity, false);
        check.positive("slotInterval", self.slot_interval, false);
        check.positive(
            "maxAppointmentsPerDay",
            self.max_appointments_per_day,
            false,
        );
        check.price("price", self.price);
        check.working_hours("workingHours", &self.working_hours);
        for (i, staff) in self.staff.iter().enumerate() {
            check.required(&format!("staff[{i}].id"), staff.id.as_deref());
            check.max_chars(&format!("staff[{i}].id"), staff.id.as_deref(), MAX_ID_LEN);
            check.price(&format!("staff[{i}].price"), staff.price);
        }
        for (i, resource) in self.resource.iter().enumerate() {
            check.required(&format!("resource[{i}].id"), resource.id.as_deref());
            check.max_chars(
                &format!("resource[{i}].id"),
                resource.id.as_deref(),
                MAX_ID_LEN,
            );
            check.positive(&format!("resource[{i}].quantity"), resource.quantity, false);
        }
        check.max_chars("externalId", self.external_id.as_deref(), MAX_TEXT_LEN);
        check.reminders("reminders", self.reminders.as_deref());
        check.into_result()
    }
}

impl SetupRecord for Staff {
    const COLLECTION: Collection = Collection::Staff;
    const KIND: &'static str = "staff member";
    fn drop_read_only(&mut self) {
        self.calendar_feed_url = None;
    }
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn set_id(&mut self, id: String) {
        self.id = Some(id);
    }
    fn external_id(&self) -> Option<&str> {
        self.external_id.as_deref()
    }
    fn validate(&self) -> Result<()> {
        let mut check = Check::default();
        if self.display_name().is_empty() {
            check.push("firstName", "is required (firstName or lastName)");
        }
        check.max_chars("firstName", self.first_name.as_deref(), MAX_NAME_LEN);
        check.max_chars("lastName", self.last_name.as_deref(), MAX_NAME_LEN);
        check.email("email", self.email.as_deref());
        check.url("avatarUrl", self.avatar_url.as_deref());
        check.working_hours("workingHours", &self.working_hours);
        check.vacations("vacations", &self.vacations);
        for (i, service) in self.services.iter().enumerate() {
            check.required(&format!("services[{i}].id"), service.id.as_deref());
            check.max_chars(
                &format!("services[{i}].id"),
                service.id.as_deref(),
                MAX_ID_LEN,
            );
        }
        check.max_chars("externalId", self.external_id.as_deref(), MAX_TEXT_LEN);
        check.into_result()
    }
}

impl SetupRecord for Resource {
    const COLLECTION: Collection = Collection::Resources;
    const KIND: &'static str = "resource";
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn set_id(&mut self, id: String) {
        self.id = Some(id);
    }
    fn external_id(&self) -> Option<&str> {
        self.external_id.as_deref()
    }
    fn validate(&self) -> Result<()> {
        let mut check = Check::default();
        check.required("name", self.name.as_deref());
        check.max_chars("name", self.name.as_deref(), MAX_NAME_LEN);
        check.positive("duration", self.duration, true);
        check.positive("count", self.count, false);
        check.price("price", self.price);
        check.working_hours("workingHours", &self.working_hours);
        check.max_chars("externalId", self.external_id.as_deref(), MAX_TEXT_LEN);
        check.into_result()
    }
}

impl SetupRecord for Form {
    const COLLECTION: Collection = Collection::Forms;
    const KIND: &'static str = "form";
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn set_id(&mut self, id: String) {
        self.id = Some(id);
    }
    fn external_id(&self) -> Option<&str> {
        None
    }
    fn validate(&self) -> Result<()> {
        let mut check = Check::default();
        check.required("name", self.name.as_deref());
        let mut ids = HashSet::new();
        for (path, item) in self.items_with_paths() {
            match item.id.as_deref().filter(|id| !id.trim().is_empty()) {
                None => check.push(format!("{path}.id"), "is required"),
                Some(id) if !ids.insert(id) => check.rule(
                    format!("{path}.id"),
                    format!("{id:?} is used twice: item ids must be unique in a form"),
                ),
                Some(_) => {}
            }
            if let Some(pattern) = item
                .value_format
                .as_ref()
                .and_then(|f| f.regex_value.as_deref())
            {
                if let Err(e) = regex::Regex::new(pattern) {
                    check.rule(
                        format!("{path}.valueFormat.regexValue"),
                        format!("is not a valid pattern: {e}"),
                    );
                }
            }
            if let Some(f) = &item.value_format {
                if let (Some(min), Some(max)) = (f.min_length, f.max_length) {
                    if min > max {
                        check.rule(
                            format!("{path}.valueFormat.minLength"),
                            format!("must not exceed maxLength (got {min} > {max})"),
                        );
                    }
                }
            }
        }
        for bind in [BIND_FIRST_NAME, BIND_LAST_NAME, BIND_EMAIL, BIND_PHONE] {
            if !self
                .contact_fields
                .iter()
                .any(|i| i.bind.as_deref() == Some(bind))
            {
                check.push(
                    "contactFields",
                    format!("must hold an item bound to {bind} (bind: \"{bind}\")"),
                );
            }
        }
        check.into_result()
    }
}

/// A client: names and email ≤ 127 characters, email syntax, zone, external id ≤ 65535, and something
/// to recognise them by (a name, an email or an externalId).
pub fn validate_client(c: &ClientRef) -> Result<()> {
    if let Some(id) = &c.id {
        check_id("id", id)?;
    }
    let mut check = Check::default();
    let identified = [&c.first_name, &c.last_name, &c.email, &c.external_id]
        .into_iter()
        .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()));
    if !identified {
        check.push(
            "email",
            "is required unless firstName, lastName or externalId is sent",
        );
    }
    check.max_chars("firstName", c.first_name.as_deref(), MAX_NAME_LEN);
    check.max_chars("lastName", c.last_name.as_deref(), MAX_NAME_LEN);
    check.email("email", c.email.as_deref());
    check.max_chars("externalId", c.external_id.as_deref(), MAX_TEXT_LEN);
    check.time_zone("timeZone", c.time_zone.as_deref());
    check.into_result()
}

/// Validates and writes a company (insert or replace).
pub async fn save_company(conn: &mut Conn, company: &Company) -> Result<()> {
    validate_company(company)?;
    if company.id.is_none() {
        return Err(Error::field("id", "is required"));
    }
    business::put_company(&mut *conn, company).await
}

/// Validates and writes one record of a company's setup (insert or replace, keeping its position).
/// A duplicate `externalId` is a 409.
pub async fn save<T: SetupRecord>(conn: &mut Conn, company_id: &str, record: &T) -> Result<()> {
    let id = record
        .id()
        .ok_or_else(|| Error::field("id", "is required"))?;
    check_id("id", id)?;
    record.validate()?;
    let position = business::position_for(&mut *conn, T::COLLECTION, company_id, id).await?;
    business::put_doc(
        &mut *conn,
        T::COLLECTION,
        company_id,
        id,
        record.external_id(),
        position,
        record,
    )
    .await
    .on_unique_violation(|| {
        Error::Conflict(format!(
            "another {} already has externalId {:?}",
            T::KIND,
            record.external_id().unwrap_or_default()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_short_and_url_safe() {
        assert!(check_id("id", "haircut-45").is_ok());
        assert!(check_id("id", "").is_err());
        assert!(check_id("id", "a/b").is_err());
        assert!(check_id("id", &"x".repeat(17)).is_err());
    }

    #[test]
    fn service_rules_name_fields() {
        let service = Service {
            id: Some("s".into()),
            duration: Some(0),
            price: Some(-1.0),
            ..Service::default()
        };
        let Err(Error::BadRequest { fields, .. }) = service.validate() else {
            panic!("invalid service accepted");
        };
        let names: Vec<_> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["name", "duration", "price"]);
    }
}
