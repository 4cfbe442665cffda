//! `customStatus` of an appointment: the id must name one of the company's appointment statuses
//! (`appointmentStatuses`), and the name is always the status's current one.

use booking_model::{Appointment, CustomStatus};

use crate::db::statuses::{self, StatusNames};
use crate::db::Conn;
use crate::error::{Error, Result};

/// 400 naming `customStatus.id` unless `wanted` (when sent) names a status of `company_id`.
pub async fn check(conn: &mut Conn, company_id: &str, wanted: Option<&CustomStatus>) -> Result<()> {
    let Some(wanted) = wanted else {
        return Ok(());
    };
    let Some(id) = wanted.id.as_deref().filter(|id| !id.trim().is_empty()) else {
        return Err(Error::field(
            "customStatus.id",
            "is required with customStatus: the id of one of the company's appointmentStatuses",
        ));
    };
    match statuses::get(conn, company_id, id).await? {
        Some(_) => Ok(()),
        None => Err(Error::field(
            "customStatus.id",
            format!(
                "no appointment status {id:?} in this company: create it with POST appointmentStatuses, or list them with GET"
            ),
        )),
    }
}

/// Sets `customStatus.name` to the current name of its status (none once the status is deleted).
pub fn fill_name(appointment: &mut Appointment, names: &StatusNames) {
    if let Some(custom) = appointment.custom_status.as_mut() {
        custom.name = custom.id.as_ref().and_then(|id| names.get(id)).cloned();
    }
}
