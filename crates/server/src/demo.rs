//! The demo company (`--demo`): "Atelier Lumière", a Paris hair and wellness studio. Seeding is
//! idempotent (every record is an upsert keyed by id), so restarting the demo keeps bookings made in it.

use chrono::{Datelike, Days, NaiveDate, Utc};
use serde::Deserialize;

use booking_model::{Company, Form, Resource, Service, Staff, Vacation};

use crate::booking::setup;
use crate::db::business;
use crate::db::Db;
use crate::error::Result;

/// The demo company's id.
pub const COMPANY_ID: &str = "demo";
/// Its API key. Public by design: for the demo only, never for real data.
pub const API_KEY: &str = "demo-api-key";

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
