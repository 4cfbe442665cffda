//! An appointment as the Appointments API shows it: what `GET appointments/{id}` returns, each item
//! of `GET appointments`, and the body of a webhook notification. One function, so they can't
//! differ.

use std::str::FromStr;

use booking_model::LevelDetail;
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::booking::custom_status;
use crate::booking::fields::{Selection, APPOINTMENT};
use crate::booking::files;
use crate::booking::history;
use crate::db::appointments::StoredAppointment;
use crate::db::statuses::StatusNames;
use crate::error::{Error, Result};
use crate::links::reschedule_link;

/// How much of each appointment to return.
pub enum View {
    Full,
    Select(Selection),
}

impl View {
    /// The view of `fields` (wins when given), else of `levelDetail`, else `default`; 400 naming
    /// the parameter when it can't be read.
    pub fn new(fields: Option<&str>, level: Option<&str>, default: LevelDetail) -> Result<Self> {
        if let Some(fields) = fields.filter(|f| !f.trim().is_empty()) {
            let selection =
                Selection::parse(fields, &APPOINTMENT).map_err(|e| Error::field("fields", e))?;
            return Ok(View::Select(selection));
        }
        let level = match level.filter(|l| !l.is_empty()) {
            Some(l) => {
                LevelDetail::from_str(l).map_err(|e| Error::field("levelDetail", e.to_string()))?
            }
            None => default,
        };
        Ok(match level {
            LevelDetail::Full => View::Full,
            LevelDetail::Light => View::Select(Selection::light()),
        })
    }
}

/// An appointment as this API returns it: external ids of service/resource/staff left out ("writable
/// only" in the reference), the reschedule link while it is ahead (with a trusted `origin`), history
/// texts in `lang` when asked, `customStatus.name` from `names` (the company's statuses),
/// `deleted: true` on deleted ones, then the view applied.
pub fn render(
    stored: &StoredAppointment,
    view: &View,
    origin: Option<&str>,
    lang: Option<&str>,
    names: &StatusNames,
    now: DateTime<Utc>,
) -> Result<Value> {
    let mut a = stored.appointment.clone();
    custom_status::fill_name(&mut a, names);
    if let Some(s) = a.service.as_mut() {
        s.external_id = None;
    }
    if let Some(r) = a.resource.as_mut() {
        r.external_id = None;
    }
    if let Some(s) = a.staff.as_mut() {
        s.external_id = None;
    }
    a.reschedule_link = reschedule_link(stored, origin, now);
    if let Some(form) = a.form.as_mut() {
        // Without a trusted origin the links are root-relative: still usable, never planted.
        let base = format!(
            "{}/api/2.1/scheduling/companies/{}/appointments/{}/files",
            origin.unwrap_or_default(),
            stored.company_id,
            a.id.as_deref().unwrap_or_default()
        );
        files::link_files(form, |id, name| format!("{base}/{id}/{}", url_safe(name)));
    }
    if let Some(lang) = lang {
        for entry in &mut a.history {
            if let Some(kind) = entry.history_type {
                entry.text = Some(history::text(kind, lang).to_owned());
            }
        }
    }
    let value = serde_json::to_value(&a).map_err(anyhow::Error::from)?;
    let mut value = match view {
        View::Full => value,
        View::Select(selection) => selection.apply(value),
    };
    // Always marked, whatever the selection: sync clients must see deletions.
    if stored.deleted {
        if let Some(map) = value.as_object_mut() {
            map.insert("deleted".to_owned(), Value::Bool(true));
        }
    }
    Ok(value)
}

/// A file name as a URL path segment: anything but letters, digits, `.`, `-` and `_` becomes `_`.
pub fn url_safe(name: &str) -> String {
    name.chars()
        .map(
            |c| match c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                true => c,
                false => '_',
            },
        )
        .collect()
}
