//! Appointments and clients. The appointment's API JSON is the `doc`; the columns beside it are what
//! availability, lookups and sync query by, and are always written from the same record.

use booking_availability::Busy;
use booking_model::{Appointment, AppointmentType, Company, Service, Staff};
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::Row;

use crate::db::Conn;
use crate::error::{Error, Result};

/// An instant as stored: UTC, whole seconds, `Z` — so text order is time order.
pub fn utc_text(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_utc(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| Error::Internal(anyhow::anyhow!("bad stored instant {text:?}: {e}")))
}

/// An appointment with the instants and bookkeeping the document alone doesn't make queryable.
#[derive(Debug, Clone)]
pub struct StoredAppointment {
    pub company_id: String,
    pub appointment: Appointment,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Units of the service's resource this appointment holds.
    pub resource_units: u32,
    /// Soft-deleted (kept so sync can report the deletion).
    pub deleted: bool,
}

impl StoredAppointment {
    /// Whether it occupies its slot: not cancelled/declined, not deleted, not merely waiting-listed.
    pub fn blocks(&self) -> bool {
        !self.deleted
            && self.appointment.add_to_waiting_list != Some(true)
            && self.appointment.effective_status().blocks_slot()
    }
}

/// Appointments longer than this are `long_span` (computed by the database, see migration 0011):
/// the overlap queries can't bound where they start.
const LONG_SPAN: chrono::Duration = chrono::Duration::days(1);

/// `{select} WHERE {filter}` restricted to the rows overlapping a window `[from, to)`, as two
/// branches that each read a bounded range of an index: every booking that starts in
/// `[from - LONG_SPAN, to)` (`appointments_busy`, which also holds every column the availability
/// check reads, so that check never reads a table row and its document), and the few longer ones
/// that started before (`appointments_overlap`). A booking of a day or less that starts before
/// `from - LONG_SPAN` ends before `from`, so the two branches find each overlapping booking once.
/// The short branch names no `long_span`: it is a virtual column, and SQLite reads the table row
/// of any query that names one. `filter` uses the parameters `$1` to `$params` (both branches
/// read the same ones); the bounds follow them, bound in [`bounds`]'s order.
fn overlapping(select: &str, filter: &str, params: usize) -> String {
    let (lower, to, from) = (params + 1, params + 2, params + 3);
    format!(
        "{select} WHERE {filter} AND start_utc >= ${lower} AND start_utc < ${to} \
         AND end_utc > ${from} UNION ALL \
         {select} WHERE {filter} AND long_span = 1 AND start_utc < ${lower} AND end_utc > ${from}"
    )
}

/// The bounds an [`overlapping`] query binds after its filter's parameters, for `[from, to)`:
/// `from - LONG_SPAN`, `to`, `from`.
fn bounds(from: DateTime<Utc>, to: DateTime<Utc>) -> [String; 3] {
    [utc_text(from - LONG_SPAN), utc_text(to), utc_text(from)]
}

/// What [`busy_between`] reads of the bookings, and how it picks them (besides whose they are):
/// every column it names is in `appointments_busy`, so the check never reads the table's rows.
const BUSY_SELECT: &str =
    "SELECT staff_id, resource_id, resource_units, service_id, start_utc, end_utc FROM appointments";
const BUSY_FILTER: &str = "blocks = 1 AND id <> $2";

/// Whose bookings a read of busy time wants: those of these staff members, and those holding
/// this resource.
#[derive(Debug, Clone, Copy)]
pub struct Whose<'a> {
    pub staff: &'a [&'a str],
    pub resource: Option<&'a str>,
}

/// Existing appointments overlapping `[from, to)` that occupy their slot, and the busy time of
/// the staff members' connected calendars there (which blocks them as an appointment does: no
/// service, resource or id of ours), as the slot engine wants them (`except_id`: leave out the
/// appointment being moved), for `whose` staff and resource only. One statement: it runs inside
/// the write lock.
pub async fn busy_between(
    conn: &mut Conn,
    company_id: &str,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    except_id: Option<&str>,
    whose: Whose<'_>,
) -> Result<Vec<Busy>> {
    if whose.staff.is_empty() && whose.resource.is_none() {
        return Ok(Vec::new());
    }
    // `$1` company, `$2` the appointment left out, `$3…` the staff ids, then the resource.
    let staff_in = match whose.staff.len() {
        0 => "0 = 1".to_owned(),
        n => {
            let list: Vec<String> = (3..3 + n).map(|i| format!("${i}")).collect();
            format!("staff_id IN ({})", list.join(", "))
        }
    };
    let mut params = 2 + whose.staff.len();
    let whose_filter = match whose.resource {
        Some(_) => {
            params += 1;
            format!("({staff_in} OR resource_id = ${params})")
        }
        None => staff_in.clone(),
    };
    let appointments = overlapping(
        BUSY_SELECT,
        &format!("company_id = $1 AND {BUSY_FILTER} AND {whose_filter}"),
        params,
    );
    // Calendar busy time is stored in pieces of at most a day (`calendar_connections`), so it
    // reads the same bounded range as the short branch.
    let (lower, upper, after) = (params + 1, params + 2, params + 3);
    let sql = format!(
        "{appointments} UNION ALL SELECT staff_id, CAST(NULL AS TEXT), CAST(0 AS BIGINT), \
         CAST(NULL AS TEXT), start_utc, end_utc FROM calendar_busy \
         WHERE company_id = $1 AND {staff_in} AND start_utc >= ${lower} AND start_utc < ${upper} \
         AND end_utc > ${after}"
    );
    let mut query = sqlx::query(&sql)
        .bind(company_id)
        .bind(except_id.unwrap_or(""));
    for staff_id in whose.staff {
        query = query.bind(*staff_id);
    }
    if let Some(resource) = whose.resource {
        query = query.bind(resource);
    }
    for bound in bounds(from, to) {
        query = query.bind(bound);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            Ok(Busy {
                staff_id: row.try_get("staff_id")?,
                resource_id: row.try_get("resource_id")?,
                resource_units: u32::try_from(row.try_get::<i64, _>("resource_units")?)
                    .unwrap_or(0),
                service_id: row.try_get("service_id")?,
                start: parse_utc(row.try_get("start_utc")?)?,
                end: parse_utc(row.try_get("end_utc")?)?,
                blocks: true,
            })
        })
        .collect()
}

/// Who makes a write and what it may notify (`db` knows no booking types: `booking::assemble::Author`
/// makes one).
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    pub now: DateTime<Utc>,
    /// The writer's language; an insert keeps it as the booking's language (its client's emails).
    pub lang: &'a str,
    /// `widget` (the client) or `api` (the business).
    pub source: &'a str,
    /// `silent=true`: this change sends no message.
    pub silent: bool,
    /// `personalAppointmentSync`: a personal appointment is written to the staff member's
    /// calendars (`false`: not, and a copy written before is removed; `None`: as last given, kept
    /// in `appointments.personal_calendar_sync`, else yes).
    pub personal_calendar_sync: Option<bool>,
    /// The company's setup as the writer already read it.
    pub setup: Setup<'a>,
}

/// The company, its services and staff as the writer read them (its catalogue): what a write plans
/// inside the lock (emails, reminders, webhooks) takes them from here instead of reading them again.
#[derive(Debug, Clone, Copy)]
pub struct Setup<'a> {
    pub company: &'a Company,
    pub services: &'a [Service],
    pub staff: &'a [Staff],
}

impl<'a> Setup<'a> {
    pub fn service(&self, id: &str) -> Option<&'a Service> {
        self.services.iter().find(|s| s.id.as_deref() == Some(id))
    }

    pub fn staff_member(&self, id: &str) -> Option<&'a Staff> {
        self.staff.iter().find(|s| s.id.as_deref() == Some(id))
    }
}

/// Bumps and returns the appointments change counter (inside the caller's transaction).
/// A change's number, and whether the company has anything it fans out to beyond emails (an
/// enabled watch, a CalDAV connection). Read with the number, in the one statement the change
/// needs anyway: most companies have neither, and their bookings then skip both lookups under
/// the write lock.
struct Numbered {
    seq: i64,
    watched: bool,
    synced: bool,
}

async fn next_change_seq(conn: &mut Conn, company_id: &str) -> Result<Numbered> {
    // `COUNT(*)` over a `LIMIT 1`: an integer of one type on both databases (EXISTS is a boolean
    // on PostgreSQL, an integer on SQLite).
    let (seq, watched, synced): (i64, i64, i64) = sqlx::query_as(
        "UPDATE counters SET value = value + 1 WHERE name = 'appointments' RETURNING value, \
         (SELECT COUNT(*) FROM (SELECT 1 FROM watches \
          WHERE company_id = $1 AND status = 'enabled' LIMIT 1) AS w), \
         (SELECT COUNT(*) FROM (SELECT 1 FROM calendar_connections \
          WHERE company_id = $1 AND kind = 'caldav' LIMIT 1) AS c)",
    )
    .bind(company_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Numbered {
        seq,
        watched: watched > 0,
        synced: synced > 0,
    })
}

/// Inserts a new appointment, assigning it a reference from `new_reference` (retrying the rare
/// collision). The unique index on references decides, in the insert itself (`ON CONFLICT … DO
/// NOTHING`): no lookup before it under the write lock.
pub async fn insert(
    conn: &mut Conn,
    stored: &mut StoredAppointment,
    new_reference: fn() -> String,
    change: Change<'_>,
) -> Result<()> {
    for _ in 0..5 {
        stored.appointment.reference = Some(new_reference());
        if write(conn, stored, true, change).await? {
            return Ok(());
        }
    }
    Err(Error::Internal(anyhow::anyhow!(
        "could not find a free reference"
    )))
}

/// Saves changes to an existing appointment.
pub async fn update(conn: &mut Conn, stored: &StoredAppointment, change: Change<'_>) -> Result<()> {
    write(conn, stored, false, change).await.map(drop)
}

/// The stored appointment before an update, with its booking language.
async fn before_update(
    conn: &mut Conn,
    stored: &StoredAppointment,
) -> Result<Option<(StoredAppointment, Option<String>)>> {
    let row = sqlx::query(
        "SELECT company_id, resource_units, start_utc, end_utc, deleted, doc, lang FROM appointments \
         WHERE company_id = $1 AND id = $2",
    )
    .bind(&stored.company_id)
    .bind(&stored.appointment.id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| Ok((from_row(&row)?, row.try_get("lang")?)))
        .transpose()
}

/// Inserts or updates the appointment with its change number and outbox rows. `false`: an insert
/// found its reference taken and wrote nothing (the caller draws another).
async fn write(
    conn: &mut Conn,
    stored: &StoredAppointment,
    insert: bool,
    change: Change<'_>,
) -> Result<bool> {
    let a = &stored.appointment;
    let before = match insert {
        true => None,
        false => before_update(conn, stored).await?,
    };
    let Numbered {
        seq,
        watched,
        synced,
    } = next_change_seq(conn, &stored.company_id).await?;
    let now = utc_text(change.now);
    let doc = serde_json::to_string(a).map_err(anyhow::Error::from)?;
    let sql = if insert {
        "INSERT INTO appointments (company_id, id, reference, encrypted_id, service_id, resource_id, \
         resource_units, staff_id, client_id, status, start_utc, end_utc, blocks, waiting_list, deleted, \
         created_at, created_seq, updated_at, change_seq, doc, appointment_type, search_text, lang) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23) \
         ON CONFLICT (company_id, reference) DO NOTHING"
    } else {
        "UPDATE appointments SET company_id = $1, id = $2, reference = $3, encrypted_id = $4, service_id = $5, \
         resource_id = $6, resource_units = $7, staff_id = $8, client_id = $9, status = $10, start_utc = $11, \
         end_utc = $12, blocks = $13, waiting_list = $14, deleted = $15, updated_at = $16, \
         change_seq = $17, doc = $18, appointment_type = $19, search_text = $20 WHERE company_id = $21 AND id = $22"
    };
    let mut query = sqlx::query(sql)
        .bind(&stored.company_id)
        .bind(&a.id)
        .bind(&a.reference)
        .bind(&a.encrypted_id)
        .bind(a.service.as_ref().and_then(|s| s.id.clone()))
        // The resource held: a resource booking's own, or the one its service uses while it runs.
        .bind(
            a.resource
                .as_ref()
                .and_then(|r| r.id.clone())
                .or_else(|| a.service_resource.first().and_then(|r| r.id.clone())),
        )
        .bind(i64::from(stored.resource_units))
        .bind(a.staff.as_ref().and_then(|s| s.id.clone()))
        .bind(a.client.as_ref().and_then(|c| c.id.clone()))
        .bind(a.effective_status().as_str())
        .bind(utc_text(stored.start))
        .bind(utc_text(stored.end))
        // Flags are 0/1 integers on both databases.
        .bind(i64::from(stored.blocks()))
        .bind(i64::from(a.add_to_waiting_list == Some(true)))
        .bind(i64::from(stored.deleted));
    if insert {
        query = query.bind(&now).bind(seq);
    }
    query = query
        .bind(&now)
        .bind(seq)
        .bind(doc)
        .bind(
            a.appointment_type
                .unwrap_or(AppointmentType::Normal)
                .as_str(),
        )
        .bind(search_text(a));
    match insert {
        true => query = query.bind(change.lang),
        false => query = query.bind(&stored.company_id).bind(&a.id),
    }
    if query.execute(&mut *conn).await?.rows_affected() == 0 && insert {
        // The reference is another appointment's. Its change number is left unused: sync reads
        // numbers in order, gaps included.
        return Ok(false);
    }
    // Webhooks: one outbox row per enabled watch, committed (or not) with this change.
    if watched {
        crate::webhooks::enqueue(conn, stored, insert, change.setup.company).await?;
    }
    // Emails: the messages this change plans, committed (or not) with it.
    let (before, lang) = match before {
        Some((before, lang)) => (Some(before), lang),
        None => (None, None),
    };
    let lang = lang.as_deref().unwrap_or(change.lang);
    crate::notify::enqueue(conn, before.as_ref(), stored, &change, lang).await?;
    // Calendar writes to the staff member's CalDAV connections (`synced`: the company has any),
    // committed (or not) with it.
    crate::calendar::write::enqueue(conn, (before.as_ref(), stored), (seq, synced), &change)
        .await?;
    Ok(true)
}

/// The appointment a visitor's manage link points at, if any.
pub async fn find_by_encrypted_id(
    conn: &mut Conn,
    encrypted_id: &str,
) -> Result<Option<StoredAppointment>> {
    let row = sqlx::query(
        "SELECT company_id, resource_units, start_utc, end_utc, deleted, doc FROM appointments WHERE encrypted_id = $1",
    )
    .bind(encrypted_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| from_row(&row)).transpose()
}

fn from_row(row: &crate::db::DbRow) -> Result<StoredAppointment> {
    let doc: String = row.try_get("doc")?;
    Ok(StoredAppointment {
        company_id: row.try_get("company_id")?,
        appointment: serde_json::from_str(&doc).map_err(anyhow::Error::from)?,
        start: parse_utc(row.try_get("start_utc")?)?,
        end: parse_utc(row.try_get("end_utc")?)?,
        resource_units: u32::try_from(row.try_get::<i64, _>("resource_units")?).unwrap_or(0),
        deleted: row.try_get::<i64, _>("deleted")? != 0,
    })
}

/// What the `q` filter searches: the client's names and email and every form answer, lower-cased and
/// separated by newlines (so a term never matches across two values).
pub fn search_text(a: &Appointment) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if let Some(client) = &a.client {
        parts.extend(
            [&client.first_name, &client.last_name, &client.email]
                .into_iter()
                .flatten()
                .map(String::as_str),
        );
    }
    if let Some(form) = &a.form {
        for item in form.items() {
            // Files are searched by nothing: never their content, nor their reference.
            let file = |v: &&str| v.starts_with(super::files::REFERENCE) || v.starts_with("data:");
            parts.extend(item.value.as_deref().filter(|v| !file(v)));
            for chosen in &item.values {
                parts.extend(chosen.value.as_deref());
                parts.extend(chosen.name.as_deref());
            }
        }
    }
    parts
        .iter()
        .map(|p| p.trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Rows one backfill transaction fills, so the write lock is held for one batch at a time.
const BACKFILL_BATCH: i64 = 500;

/// Fills `search_text` for rows written before it existed (run once when the database is opened).
///
/// Each batch is read and written under the write lock: other nodes may be serving while this one
/// starts, and a document read outside it could be rewritten by their write (which sets its own
/// `search_text`) before this update, which would then store the old document's text.
pub async fn backfill_search_text(db: &super::Db) -> Result<()> {
    loop {
        // Looked for without the lock first: on every start of every node there is usually
        // nothing to do, and the scan must not hold up bookings.
        let missing: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM appointments WHERE search_text IS NULL LIMIT 1")
                .fetch_optional(db)
                .await?;
        if missing.is_none() {
            return Ok(());
        }
        let mut tx = db.write().await?;
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT company_id, id, doc FROM appointments WHERE search_text IS NULL LIMIT $1",
        )
        .bind(BACKFILL_BATCH)
        .fetch_all(&mut *tx)
        .await?;
        for (company_id, id, doc) in &rows {
            let appointment: Appointment =
                serde_json::from_str(doc).map_err(anyhow::Error::from)?;
            sqlx::query(
                "UPDATE appointments SET search_text = $1 WHERE company_id = $2 AND id = $3",
            )
            .bind(search_text(&appointment))
            .bind(company_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        if rows.len() < BACKFILL_BATCH.unsigned_abs() as usize {
            return Ok(());
        }
    }
}

/// The appointment with this id, or else this reference, in `company_id` (deleted ones included:
/// callers decide).
pub async fn find_by_id_or_reference(
    conn: &mut Conn,
    company_id: &str,
    key: &str,
) -> Result<Option<StoredAppointment>> {
    let row = sqlx::query(
        "SELECT company_id, resource_units, start_utc, end_utc, deleted, doc FROM appointments \
         WHERE company_id = $1 AND (id = $2 OR reference = $3) ORDER BY CASE WHEN id = $4 THEN 0 ELSE 1 END LIMIT 1",
    )
    .bind(company_id)
    .bind(key)
    .bind(key)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| from_row(&row)).transpose()
}

/// The appointments of `staff_id` that occupy their slot and end after `from`, soonest first (at
/// most `limit`), each with its `change_seq`: what a newly connected calendar is given.
pub async fn staff_upcoming(
    conn: &mut Conn,
    company_id: &str,
    staff_id: &str,
    from: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<(StoredAppointment, i64)>> {
    let rows = sqlx::query(
        "SELECT company_id, resource_units, start_utc, end_utc, deleted, doc, change_seq \
         FROM appointments \
         WHERE company_id = $1 AND staff_id = $2 AND blocks = 1 AND end_utc > $3 \
         ORDER BY start_utc, id LIMIT $4",
    )
    .bind(company_id)
    .bind(staff_id)
    .bind(utc_text(from))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| Ok((from_row(row)?, row.try_get("change_seq")?)))
        .collect()
}

/// Waiting-list entries (not cancelled, declined or deleted) overlapping `[from, to)`, in the order
/// they were made.
pub async fn waiting_between(
    conn: &mut Conn,
    company_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<StoredAppointment>> {
    let sql = overlapping(
        "SELECT company_id, resource_units, start_utc, end_utc, deleted, doc, created_seq, id \
         FROM appointments",
        "company_id = $1 AND waiting_list = 1 AND deleted = 0 \
         AND status NOT IN ('cancelled', 'declined')",
        1,
    );
    let sql = format!("SELECT * FROM ({sql}) AS waiting ORDER BY created_seq, id");
    let mut query = sqlx::query(&sql).bind(company_id);
    for bound in bounds(from, to) {
        query = query.bind(bound);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

/// Blocking appointments of `staff_id` overlapping `[from, to)` (`except_id`: the one being moved);
/// returns how many there are. Personal appointments are checked with this rather than the slot engine.
pub async fn staff_overlaps(
    conn: &mut Conn,
    company_id: &str,
    staff_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except_id: Option<&str>,
) -> Result<i64> {
    let sql = overlapping(
        "SELECT 1 FROM appointments",
        "company_id = $1 AND staff_id = $2 AND blocks = 1 AND id <> $3",
        3,
    );
    let sql = format!("SELECT COUNT(*) FROM ({sql}) AS overlapping");
    let mut query = sqlx::query_as(&sql)
        .bind(company_id)
        .bind(staff_id)
        .bind(except_id.unwrap_or(""));
    for bound in bounds(from, to) {
        query = query.bind(bound);
    }
    let (count,): (i64,) = query.fetch_one(&mut *conn).await?;
    Ok(count)
}

/// The value of the appointments change counter: every write so far has a `change_seq` ≤ this.
pub async fn current_change_seq(conn: &mut Conn) -> Result<i64> {
    let (seq,): (i64,) = sqlx::query_as("SELECT value FROM counters WHERE name = 'appointments'")
        .fetch_one(&mut *conn)
        .await?;
    Ok(seq)
}

/// Reads one stored appointment from a row holding `company_id, resource_units, start_utc, end_utc,
/// deleted, doc`.
pub(super) fn stored_from_row(row: &crate::db::DbRow) -> Result<StoredAppointment> {
    from_row(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`busy_between`] reads calendar busy time in the short branch's range: its pieces are no
    /// longer than a short booking.
    #[test]
    fn calendar_pieces_are_no_longer_than_short_bookings() {
        assert_eq!(super::super::calendar_connections::PIECE, LONG_SPAN);
    }

    /// The overlap queries run inside the write lock: the branch of a day or less must read a
    /// range of the index bounded on both sides, not every booking since the company began, and
    /// from the index alone (covering: no table row, with its document, is read), for staff and
    /// resource checks alike; the long branch reads the long bookings only (a plan, not a timing).
    #[tokio::test]
    async fn overlap_queries_read_a_bounded_range_of_the_index() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = crate::db::open(&dir.path().join("plan.sqlite"))
            .await
            .expect("open");
        for whose in [
            "staff_id IN ($3, $4)",
            "(staff_id IN ($3) OR resource_id = $4)",
        ] {
            let sql = overlapping(
                BUSY_SELECT,
                &format!("company_id = $1 AND {BUSY_FILTER} AND {whose}"),
                4,
            );
            let explain = format!("EXPLAIN QUERY PLAN {sql}");
            let mut query = sqlx::query(&explain)
                .bind("demo")
                .bind("")
                .bind("camille")
                .bind("lea");
            for bound in bounds(Utc::now(), Utc::now()) {
                query = query.bind(bound);
            }
            let plan: Vec<String> = query
                .fetch_all(&db)
                .await
                .expect("plan")
                .iter()
                .map(|row| row.get::<String, _>("detail"))
                .collect();
            let searches: Vec<&String> = plan.iter().filter(|d| d.contains("SEARCH")).collect();
            assert_eq!(searches.len(), 2, "{whose}: {plan:?}");
            assert!(
                searches[0].contains("USING COVERING INDEX appointments_busy")
                    && searches[0].contains("start_utc>? AND start_utc<?"),
                "{whose}: {plan:?}"
            );
            // The long ones: all that started before the window, few in any business.
            assert!(
                searches[1].contains("USING INDEX appointments_overlap")
                    && searches[1].contains("long_span=? AND start_utc<?"),
                "{whose}: {plan:?}"
            );
        }
        db.close().await;
    }

    /// A reference already taken in the company is drawn again: the insert itself meets the unique
    /// index (no lookup before it), writes nothing the first time and succeeds with the next one.
    #[tokio::test]
    async fn a_taken_reference_is_drawn_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = crate::db::open(&dir.path().join("references.sqlite"))
            .await
            .expect("open");
        let company = Company {
            id: Some("acme".to_owned()),
            ..Company::default()
        };
        crate::db::business::put_company(db.writer(), &company)
            .await
            .expect("company");
        let change = Change {
            now: Utc::now(),
            lang: "en",
            source: "api",
            silent: true,
            personal_calendar_sync: None,
            setup: Setup {
                company: &company,
                services: &[],
                staff: &[],
            },
        };
        let appointment = |id: &str, encrypted: &str| StoredAppointment {
            company_id: "acme".to_owned(),
            appointment: Appointment {
                id: Some(id.to_owned()),
                encrypted_id: Some(encrypted.to_owned()),
                ..Appointment::default()
            },
            start: change.now,
            end: change.now + chrono::Duration::minutes(30),
            resource_units: 0,
            deleted: false,
        };
        // The first draw of every insert: the same reference.
        static DRAWS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        fn draw() -> String {
            match DRAWS.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
                0 | 1 => "AAA-AAAAA".to_owned(),
                n => format!("BBB-BBBB{n}"),
            }
        }
        let mut tx = db.write().await.expect("write");
        let mut first = appointment("first", "enc-first");
        insert(&mut tx, &mut first, draw, change)
            .await
            .expect("first");
        let mut second = appointment("second", "enc-second");
        insert(&mut tx, &mut second, draw, change)
            .await
            .expect("second");
        tx.commit().await.expect("commit");
        assert_eq!(first.appointment.reference.as_deref(), Some("AAA-AAAAA"));
        assert_eq!(second.appointment.reference.as_deref(), Some("BBB-BBBB2"));
        let stored: Vec<(String, String)> =
            sqlx::query_as("SELECT id, reference FROM appointments ORDER BY id")
                .fetch_all(&db)
                .await
                .expect("read");
        assert_eq!(
            stored,
            [
                ("first".to_owned(), "AAA-AAAAA".to_owned()),
                ("second".to_owned(), "BBB-BBBB2".to_owned())
            ]
        );
        db.close().await;
    }
}
