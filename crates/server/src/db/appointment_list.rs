//! The list query of the Appointments API: filters, keyset pagination and incremental sync, as one
//! portable SQL statement built with bound parameters only.

use chrono::{DateTime, Utc};
use sqlx::any::AnyArguments;
use sqlx::{Arguments, Encode, Row, Type};

use crate::db::{Backend, Conn};

use super::appointments::{stored_from_row, utc_text, StoredAppointment};
use crate::error::{Error, Result};

/// Which appointments a list returns. `None` id lists mean "no filter"; an empty list matches nothing.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub company_id: String,
    /// Only appointments ending after this instant.
    pub ends_after: Option<DateTime<Utc>>,
    /// Only appointments starting before this instant.
    pub starts_before: Option<DateTime<Utc>>,
    /// Only appointments created after this instant.
    pub created_after: Option<DateTime<Utc>>,
    /// Only appointments created before this instant.
    pub created_before: Option<DateTime<Utc>>,
    /// Wire spellings of the statuses wanted; empty = any.
    pub statuses: Vec<&'static str>,
    pub client_ids: Option<Vec<String>>,
    pub service_ids: Option<Vec<String>>,
    pub staff_ids: Option<Vec<String>>,
    pub resource_ids: Option<Vec<String>>,
    /// Lower-cased terms that must all occur in the client's name/email or form answers.
    pub terms: Vec<String>,
    pub include_personal: bool,
    pub include_deleted: bool,
}

/// Order and position of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// By start then id, after this `(start_utc, id)` when given.
    ByStart(Option<(String, String)>),
    /// By change sequence (incremental sync), after this sequence number.
    ByChange(i64),
}

/// One row of a list.
#[derive(Debug, Clone)]
pub struct Listed {
    pub stored: StoredAppointment,
    /// `start_utc` as stored (the keyset of [`Position::ByStart`]).
    pub start_key: String,
    pub id: String,
    pub change_seq: i64,
    /// Whether it matches the list's filters (always, except in a sync: see [`list`]).
    pub in_filter: bool,
}

/// A statement built piece by piece, each value bound as the next `$n` (sqlx's `QueryBuilder` on
/// `Any` writes `?`, which PostgreSQL does not read; both databases read `$n`).
struct Sql {
    text: String,
    args: AnyArguments<'static>,
    /// The first value that did not encode: the statement is then not run.
    failed: Option<String>,
}

impl Sql {
    fn new(text: &str) -> Self {
        Sql {
            text: text.to_owned(),
            args: AnyArguments::default(),
            failed: None,
        }
    }

    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'static + Send + Encode<'static, Backend> + Type<Backend>,
    {
        if let Err(e) = self.args.add(value) {
            self.failed.get_or_insert(e.to_string());
        }
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }
}

fn push_in(builder: &mut Sql, column: &str, values: &[String]) {
    if values.is_empty() {
        builder.push(" AND 1 = 0");
        return;
    }
    builder.push(&format!(" AND {column} IN ("));
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            builder.push(", ");
        }
        builder.push_bind(value.clone());
    }
    builder.push(")");
}

/// `%term%` for LIKE, with LIKE's own wildcards escaped.
fn like_pattern(term: &str) -> String {
    let escaped = term
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Pushes ` AND …` for each filter that decides whether an appointment belongs to the list — all but
/// the time windows and `showDeleted`, which a sync ignores.
fn push_membership(q: &mut Sql, filter: &ListFilter) {
    if !filter.statuses.is_empty() {
        let statuses: Vec<String> = filter.statuses.iter().map(|s| (*s).to_owned()).collect();
        push_in(q, "status", &statuses);
    }
    for (column, ids) in [
        ("client_id", &filter.client_ids),
        ("service_id", &filter.service_ids),
        ("staff_id", &filter.staff_ids),
        ("resource_id", &filter.resource_ids),
    ] {
        if let Some(ids) = ids {
            push_in(q, column, ids);
        }
    }
    for term in &filter.terms {
        q.push(" AND search_text LIKE ")
            .push_bind(like_pattern(term))
            .push(" ESCAPE '\\'");
    }
    if !filter.include_personal {
        q.push(" AND appointment_type <> 'personal'");
    }
}

/// Up to `limit` appointments matching `filter` after `position`, changed at or before `until_seq`
/// (the snapshot the listing started from, so pages stay consistent while others write).
///
/// A sync ([`Position::ByChange`]) returns every change of the company instead, each row telling
/// whether the appointment still matches the filters ([`Listed::in_filter`]): one that left them
/// (cancelled under `status=accepted`, moved to another staff member, …) must reach the client as a
/// removal, or its copy would stay stale for ever.
pub async fn list(
    conn: &mut Conn,
    filter: &ListFilter,
    position: &Position,
    until_seq: i64,
    limit: i64,
) -> Result<Vec<Listed>> {
    let syncing = matches!(position, Position::ByChange(_));
    let mut q = Sql::new(
        "SELECT company_id, id, resource_units, start_utc, end_utc, deleted, doc, change_seq, ",
    );
    match syncing {
        true => {
            q.push("CASE WHEN 1 = 1");
            push_membership(&mut q, filter);
            q.push(" THEN 1 ELSE 0 END");
        }
        false => {
            q.push("1");
        }
    }
    q.push(" AS in_filter FROM appointments WHERE company_id = ");
    q.push_bind(filter.company_id.clone());
    q.push(" AND change_seq <= ").push_bind(until_seq);
    // A sync reports every change, deletions included, wherever the appointment moved to.
    if !syncing {
        if let Some(t) = filter.ends_after {
            q.push(" AND end_utc > ").push_bind(utc_text(t));
        }
        if let Some(t) = filter.starts_before {
            q.push(" AND start_utc < ").push_bind(utc_text(t));
        }
        if let Some(t) = filter.created_after {
            q.push(" AND created_at > ").push_bind(utc_text(t));
        }
        if let Some(t) = filter.created_before {
            q.push(" AND created_at < ").push_bind(utc_text(t));
        }
        if !filter.include_deleted {
            q.push(" AND deleted = 0");
        }
        push_membership(&mut q, filter);
    }
    match position {
        Position::ByStart(after) => {
            if let Some((start, id)) = after {
                q.push(" AND (start_utc > ")
                    .push_bind(start.clone())
                    .push(" OR (start_utc = ")
                    .push_bind(start.clone())
                    .push(" AND id > ")
                    .push_bind(id.clone())
                    .push("))");
            }
            q.push(" ORDER BY start_utc, id");
        }
        Position::ByChange(after) => {
            q.push(" AND change_seq > ").push_bind(*after);
            q.push(" ORDER BY change_seq");
        }
    }
    q.push(" LIMIT ").push_bind(limit);
    if let Some(e) = q.failed {
        return Err(Error::Internal(anyhow::anyhow!(
            "a list value did not encode: {e}"
        )));
    }
    let rows = sqlx::query_with(&q.text, q.args)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Listed {
                stored: stored_from_row(row)?,
                start_key: row.try_get("start_utc")?,
                id: row.try_get("id")?,
                change_seq: row.try_get("change_seq")?,
                in_filter: row.try_get::<i64, _>("in_filter")? != 0,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
