//! Which stored client an appointment is for: by id, else matched by externalId, else by email,
//! else created. What the writer sent about the client (names, phone, time zone, a first externalId)
//! is kept on the stored client, so a later booking or `externalClientId` filter sees it.

use booking_model::form::BIND_PHONE;
use booking_model::validate::e164;
use booking_model::{ClientRef, Company, FieldError, Form};

use super::ids;
use crate::db::clients;
use crate::db::Conn;
use crate::error::{Error, Result};

/// While the company sends text messages (`smsNotifications`), the number a client's texts go to
/// (`mobilePhone`, else `phone`) must be in E.164 form; the error names that field of `client`
/// (a request's `client`). Off, any phone text is kept as written.
pub fn check_sms_number(company: &Company, client: Option<&ClientRef>) -> Result<()> {
    if !crate::notify::sms_on(Some(company)) {
        return Ok(());
    }
    let Some(client) = client else {
        return Ok(());
    };
    let field = [
        ("client.mobilePhone", &client.mobile_phone),
        ("client.phone", &client.phone),
    ]
    .into_iter()
    .find_map(|(name, value)| filled(value).map(|v| (name, v)));
    match field {
        Some((name, number)) => e164(number)
            .map(drop)
            .map_err(|reason| Error::rule(name, reason)),
        None => Ok(()),
    }
}

/// The same check for a widget booking, whose phone is the answer bound to `crm-phone`: the error
/// names that answer (`form.contactFields[3].value`).
pub fn sms_answer_error(company: &Company, form: &Form) -> Option<FieldError> {
    if !crate::notify::sms_on(Some(company)) {
        return None;
    }
    let (path, item) = form.items_with_paths().into_iter().find(|(_, item)| {
        item.bind.as_deref() == Some(BIND_PHONE)
            && item.value.as_deref().is_some_and(|v| !v.trim().is_empty())
    })?;
    let number = item.value.as_deref()?;
    e164(number)
        .err()
        .map(|reason| FieldError::new(format!("form.{path}.value"), reason))
}

fn filled(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Copies the fields `wanted` fills onto `stored`; an externalId only when `stored` has none (a
/// different one names another client). Whether anything changed.
fn merge(stored: &mut ClientRef, wanted: &ClientRef) -> bool {
    let before = stored.clone();
    macro_rules! take {
        ($($field:ident),+) => {$(
            if let Some(value) = filled(&wanted.$field) {
                stored.$field = Some(value.to_owned());
            }
        )+};
    }
    take!(first_name, last_name, phone, mobile_phone, time_zone);
    // The same address in other letter case is no change.
    if let Some(email) = filled(&wanted.email) {
        if !filled(&stored.email).is_some_and(|e| e.eq_ignore_ascii_case(email)) {
            stored.email = Some(email.to_owned());
        }
    }
    if filled(&stored.external_id).is_none() {
        if let Some(value) = filled(&wanted.external_id) {
            stored.external_id = Some(value.to_owned());
        }
    }
    *stored != before
}

/// Saves `stored` with what `wanted` adds to it.
async fn update(
    conn: &mut Conn,
    company_id: &str,
    mut stored: ClientRef,
    wanted: &ClientRef,
) -> Result<ClientRef> {
    if merge(&mut stored, wanted) {
        clients::put(conn, company_id, &stored).await?;
    }
    Ok(stored)
}

/// The client matching `wanted` by externalId, else by email (case-insensitive; not a client with
/// another externalId), updated with what `wanted` says; created when new.
pub async fn find_or_create(
    conn: &mut Conn,
    company_id: &str,
    wanted: &ClientRef,
) -> Result<ClientRef> {
    let external_id = filled(&wanted.external_id);
    let mut found = match external_id {
        Some(key) => clients::by_external_id(conn, company_id, key).await?,
        None => None,
    };
    if found.is_none() {
        if let Some(email) = filled(&wanted.email) {
            found = clients::by_email(conn, company_id, email, external_id.is_some()).await?;
        }
    }
    if let Some(stored) = found {
        return update(conn, company_id, stored, wanted).await;
    }
    let client = ClientRef {
        id: Some(ids::record_id()),
        ..wanted.clone()
    };
    clients::put(conn, company_id, &client).await?;
    Ok(client)
}

/// The client of an appointment written through the API: by `id` (which must exist); else, when
/// `wanted` names nobody (no externalId, no email) and the appointment has a client (`current`),
/// edits of that client; else as [`find_or_create`].
pub async fn resolve(
    conn: &mut Conn,
    company_id: &str,
    wanted: &ClientRef,
    current: Option<&ClientRef>,
) -> Result<ClientRef> {
    let current_id = current.and_then(|c| filled(&c.id));
    let names_someone = filled(&wanted.external_id).is_some() || filled(&wanted.email).is_some();
    let id = match (filled(&wanted.id), current_id) {
        (Some(id), _) => Some((id, "client.id")),
        (None, Some(id)) if !names_someone => Some((id, "client")),
        _ => None,
    };
    let Some((id, field)) = id else {
        return find_or_create(conn, company_id, wanted).await;
    };
    let stored = clients::get(conn, company_id, id)
        .await?
        .ok_or_else(|| Error::rule(field, format!("no client `{id}` in this company")))?;
    if let Some(key) = filled(&wanted.external_id) {
        let owner = clients::by_external_id(conn, company_id, key).await?;
        if let Some(other) = owner.filter(|o| o.id != stored.id) {
            return Err(Error::rule(
                "client.externalId",
                format!(
                    "`{key}` is the externalId of client `{}`: send that client's id, or no id",
                    other.id.unwrap_or_default()
                ),
            ));
        }
    }
    update(conn, company_id, stored, wanted).await
}
