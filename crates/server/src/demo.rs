//! The demo company (`--demo`): "Atelier Lumière", a Paris hair and wellness studio. Seeding is
//! idempotent (every record is an upsert keyed by id), so restarting the demo keeps bookings made in it.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde::Deserialize;

use booking_model::{Company, Form, Resource, Service, Staff, Vacation};

use crate::booking::setup;
use crate::db::business;
use crate::db::calendar_connections::{self as connections, StoredConnection};
use crate::db::Db;
use crate::error::Result;

/// The demo company's id.
pub const COMPANY_ID: &str = "demo";
/// Its API key. Public by design: for the demo only, never for real data.
pub const API_KEY: &str = "demo-api-key";

/// Where `--demo` serves Hugo's own calendar, a published ICS with a weekly busy block
/// (`assets/demo-calendar.ics`: Wednesdays 15:00–17:00 Paris).
pub const CALENDAR_PATH: &str = "/demo/calendars/hugo.ics";
/// The staff member whose calendar the demo connects.
pub const CALENDAR_STAFF: &str = "hugo";
/// The id of that connection.
pub const CALENDAR_CONNECTION: &str = "demo-hugo-ics";

/// The demo records, in API JSON (the same shapes the business API accepts).
#[derive(Deserialize)]
struct DemoData {
    company: Company,
    services: Vec<Service>,
    staff: Vec<Staff>,
    resources: Vec<Resource>,
    forms: Vec<Form>,
}

/// Loads the demo data, dated relative to `today` (one staff member is on vacation next week).
fn demo_data(today: NaiveDate) -> Result<DemoData> {
    let mut data: DemoData =
        serde_json::from_str(include_str!("../assets/demo.json")).map_err(anyhow::Error::from)?;
    let next_monday = today + Days::new(u64::from(7 - today.weekday().num_days_from_monday()));
    let next_friday = next_monday + Days::new(4);
    if let Some(lea) = data
        .staff
        .iter_mut()
        .find(|s| s.id.as_deref() == Some("lea"))
    {
        lea.vacations = vec![Vacation {
            start_date: next_monday.to_string(),
            end_date: next_friday.to_string(),
        }];
    }
    Ok(data)
}

/// Writes the demo company and everything it offers, in one transaction, through the same validated
/// write functions as the setup API.
pub async fn seed(db: &Db) -> Result<()> {
    seed_for(db, Utc::now().date_naive()).await
}

/// [`seed`] as of `today` (a server on a fixed clock: Léa's vacation is the week after it).
pub async fn seed_for(db: &Db, today: NaiveDate) -> Result<()> {
    let data = demo_data(today)?;
    let mut tx = db.write().await?;
    setup::save_company(&mut tx, &data.company).await?;
    for service in &data.services {
        setup::save(&mut tx, COMPANY_ID, service).await?;
    }
    for staff in &data.staff {
        setup::save(&mut tx, COMPANY_ID, staff).await?;
    }
    for resource in &data.resources {
        setup::save(&mut tx, COMPANY_ID, resource).await?;
    }
    for form in &data.forms {
        setup::save(&mut tx, COMPANY_ID, form).await?;
    }
    business::put_api_key(&mut *tx, COMPANY_ID, API_KEY, "demo (public)").await?;
    tx.commit().await?;
    tracing::info!("demo company `{COMPANY_ID}` seeded");
    Ok(())
}

/// Connects Hugo's demo calendar, served by this server at `origin` + [`CALENDAR_PATH`], as an
/// ICS subscription: its busy block removes his Wednesday afternoon slots. Idempotent; a new
/// `origin` (another port) replaces the connection. The address is a loopback one, so the
/// calendar is read only when private addresses are allowed (`--allow-private-webhooks`, which
/// `cargo xtask demo` passes); otherwise its status says why it was not read.
pub async fn connect_calendar(db: &Db, origin: &str, now: DateTime<Utc>) -> Result<()> {
    let url = format!("{}{CALENDAR_PATH}", origin.trim_end_matches('/'));
    let mut tx = db.write().await?;
    let existing =
        connections::get(&mut tx, COMPANY_ID, CALENDAR_STAFF, CALENDAR_CONNECTION).await?;
    if existing.as_ref().is_some_and(|c| c.url == url) {
        return Ok(());
    }
    connections::delete(&mut tx, COMPANY_ID, CALENDAR_STAFF, CALENDAR_CONNECTION).await?;
    let connection = StoredConnection {
        company_id: COMPANY_ID.to_owned(),
        id: CALENDAR_CONNECTION.to_owned(),
        staff_id: CALENDAR_STAFF.to_owned(),
        kind: "ics".to_owned(),
        url,
        username: None,
        secret: None,
        created_at: now,
        ..StoredConnection::default()
    };
    connections::insert(&mut tx, &connection).await?;
    tx.commit().await?;
    tracing::info!("demo calendar of `{CALENDAR_STAFF}` connected");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_parses_and_puts_a_vacation_next_week() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid date"); // a Wednesday
        let data = demo_data(today).expect("demo.json matches the model");
        assert_eq!(data.company.id.as_deref(), Some(COMPANY_ID));
        assert!(data.services.len() >= 5);
        let lea = data
            .staff
            .iter()
            .find(|s| s.id.as_deref() == Some("lea"))
            .expect("lea");
        assert_eq!(lea.vacations[0].start_date, "2026-11-30");
        assert_eq!(lea.vacations[0].end_date, "2026-12-04");
    }
}
