//! The notification body: the model's [`WatchNotification`] (the appointment's fields, `date`,
//! `event`), enlarged for `levelDetails: extraFull`, then passed through the watch's `schema`.
//!
//! - `full`: the appointment as it was written by the change, exactly as `GET appointments/{id}`
//!   shows it (one function, [`api_view::render`], builds both; the reschedule link as of the
//!   change), plus `date` — when the change happened, as a wall-clock time in the company's zone —
//!   and `event`.
//! - `extraFull`: the same, where `service`, `staff`, `resource`, `client` and `company` are the
//!   complete records (as `GET services/{id}`, `staff/{id}`, `resources/{id}`, `clients/{id}` and
//!   the company return them now), with the appointment's own copy of their fields laid over them:
//!   what was booked wins over what the record says today. A record that no longer exists leaves
//!   the appointment's copy as it is.

use booking_model::{Appointment, DateTimeZone, Watch, WatchEvent, WatchLevel};
use chrono::{DateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};

use super::template;
use crate::booking::api_view::{self, View};
use crate::db::appointments::StoredAppointment;
use crate::db::business::{self, Collection};
use crate::db::watches::{parse_instant, Delivery};
use crate::db::{clients, statuses, Db};
use crate::error::Result;

/// The `date` of a notification: the instant of the change, to the second, as a wall-clock time in
/// the company's zone (UTC if the zone is unknown).
fn date_of(delivery: &Delivery) -> Result<DateTimeZone> {
    let instant = parse_instant(&delivery.occurred_at)?;
    let zone: Tz = delivery.time_zone.parse().unwrap_or(Tz::UTC);
    let local = instant.with_timezone(&zone).naive_local();
    let local = local.with_nanosecond(0).unwrap_or(local);
    Ok(DateTimeZone::from_local(
        local,
        Some(zone.name().to_owned()),
    ))
}

/// The instant of a stored `start` / `end` (written by the server in `zone`, so it reads back).
fn instant_of(at: Option<&DateTimeZone>, zone: Tz) -> Option<DateTime<Utc>> {
    let at = at?;
    let zone = at
        .time_zone
        .as_deref()
        .and_then(|z| z.parse::<Tz>().ok())
        .unwrap_or(zone);
    let local = at.parse_local().ok()?;
    Some(
        zone.from_local_datetime(&local)
            .earliest()?
            .with_timezone(&Utc),
    )
}

/// The notification before `schema`: `full` or `extraFull`. `origin`: of the reschedule link.
pub async fn notification(
    db: &Db,
    delivery: &Delivery,
    level: WatchLevel,
    origin: Option<&str>,
) -> Result<Value> {
    let appointment: Appointment =
        serde_json::from_str(&delivery.appointment).map_err(anyhow::Error::from)?;
    let event = delivery
        .event
        .parse::<WatchEvent>()
        .map_err(|e| anyhow::anyhow!("stored event: {e}"))?;
    let occurred = parse_instant(&delivery.occurred_at)?;
    let zone: Tz = delivery.time_zone.parse().unwrap_or(Tz::UTC);
    let stored = StoredAppointment {
        company_id: delivery.company_id.clone(),
        start: instant_of(appointment.start.as_ref(), zone).unwrap_or(occurred),
        end: instant_of(appointment.end.as_ref(), zone).unwrap_or(occurred),
        resource_units: 0,
        deleted: event == WatchEvent::Deleted,
        appointment,
    };
    let names = statuses::names(&mut *db.acquire().await?, &delivery.company_id).await?;
    let mut value = api_view::render(&stored, &View::Full, origin, None, &names, occurred)?;
    if let Value::Object(map) = &mut value {
        map.insert(
            "date".to_owned(),
            serde_json::to_value(date_of(delivery)?).map_err(anyhow::Error::from)?,
        );
        map.insert("event".to_owned(), Value::String(event.as_str().to_owned()));
    }
    if level == WatchLevel::ExtraFull {
        add_records(db, &delivery.company_id, &mut value).await?;
    }
    Ok(value)
}

/// The body to send: the notification through the watch's `schema`, as JSON text.
pub async fn body(
    db: &Db,
    delivery: &Delivery,
    watch: &Watch,
    origin: Option<&str>,
) -> Result<String> {
    let value = notification(db, delivery, watch.effective_level(), origin).await?;
    let value = match &watch.schema {
        Some(schema) => template::render(schema, &value),
        None => value,
    };
    Ok(serde_json::to_string(&value).map_err(anyhow::Error::from)?)
}

fn id_of(value: &Value, key: &str) -> Option<String> {
    value.get(key)?.get("id")?.as_str().map(str::to_owned)
}

/// `record` with the fields of `booked` laid over it.
fn overlay(record: Value, booked: Option<&Value>) -> Value {
    match (record, booked) {
        (Value::Object(mut record), Some(Value::Object(booked))) => {
            for (k, v) in booked {
                record.insert(k.clone(), v.clone());
            }
            Value::Object(record)
        }
        (record, _) => record,
    }
}

async fn add_records(db: &Db, company_id: &str, value: &mut Value) -> Result<()> {
    let mut conn = db.acquire().await?;
    let mut records: Map<String, Value> = Map::new();
    for (key, collection) in [
        ("service", Collection::Services),
        ("staff", Collection::Staff),
        ("resource", Collection::Resources),
    ] {
        if let Some(id) = id_of(value, key) {
            let record: Option<Value> =
                business::get_doc(&mut *conn, collection, company_id, &id).await?;
            if let Some(record) = record {
                records.insert(key.to_owned(), record);
            }
        }
    }
    if let Some(id) = id_of(value, "client") {
        if let Some(client) = clients::get(&mut conn, company_id, &id).await? {
            records.insert(
                "client".to_owned(),
                serde_json::to_value(client).map_err(anyhow::Error::from)?,
            );
        }
    }
    if let Some(company) = business::get_company(&mut *conn, company_id).await? {
        records.insert(
            "company".to_owned(),
            serde_json::to_value(company).map_err(anyhow::Error::from)?,
        );
    }
    if let Value::Object(map) = value {
        for (key, record) in records {
            let merged = overlay(record, map.get(&key));
            map.insert(key, merged);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn booked_fields_win_over_the_record() {
        let merged = overlay(
            json!({"id": "s1", "name": "Now", "duration": 30}),
            Some(&json!({"id": "s1", "name": "Booked"})),
        );
        assert_eq!(
            merged,
            json!({"id": "s1", "name": "Booked", "duration": 30})
        );
    }
}
