//! One row per recipient of a job's email, so each recipient is a delivery
//! with its own outcome: a retried job sends only to those not settled yet,
//! and a refused address is recorded against that address alone. Keyed by
//! the job's unique key (`lead-email:42`), the same key that names the
//! email's Message-ID.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::prelude::*;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use super::RecipientOutcome;
use crate::calls::columns::stored_by_name;
use crate::db::DbConnection;
use crate::ids::TenantId;
use crate::schema::mail_deliveries;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Tried, not delivered yet; the job retries it.
    Pending,
    Sent,
    /// Refused for good; never tried again.
    Rejected,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Rejected => "rejected",
        }
    }

    pub fn parse(name: &str) -> Option<DeliveryStatus> {
        match name {
            "pending" => Some(DeliveryStatus::Pending),
            "sent" => Some(DeliveryStatus::Sent),
            "rejected" => Some(DeliveryStatus::Rejected),
            _ => None,
        }
    }

    fn of(outcome: &RecipientOutcome) -> DeliveryStatus {
        match outcome {
            RecipientOutcome::Sent => DeliveryStatus::Sent,
            RecipientOutcome::Rejected(_) => DeliveryStatus::Rejected,
            RecipientOutcome::Pending(_) => DeliveryStatus::Pending,
        }
    }

    /// Sent or rejected: nothing more will be tried.
    pub fn is_settled(self) -> bool {
        !matches!(self, DeliveryStatus::Pending)
    }
}

stored_by_name!(DeliveryStatus, "delivery status");

/// One recipient's delivery as stored.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = mail_deliveries)]
pub struct StoredDelivery {
    pub recipient: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// The last failure, masked; kept after a later success is recorded.
    pub last_error: Option<String>,
}

impl StoredDelivery {
    /// The outcome this row stands for.
    pub fn outcome(&self) -> RecipientOutcome {
        let reason = || self.last_error.clone().unwrap_or_default();
        match self.status {
            DeliveryStatus::Sent => RecipientOutcome::Sent,
            DeliveryStatus::Rejected => RecipientOutcome::Rejected(reason()),
            DeliveryStatus::Pending => RecipientOutcome::Pending(reason()),
        }
    }
}

/// The deliveries recorded for the jobs with `keys`, by key, each with its
/// tenant (the caller checks it), in the order first recorded.
pub fn for_jobs(
    conn: &mut DbConnection,
    keys: &[String],
) -> QueryResult<HashMap<String, Vec<(TenantId, StoredDelivery)>>> {
    let rows: Vec<(String, TenantId, StoredDelivery)> = mail_deliveries::table
        .filter(mail_deliveries::job_key.eq_any(keys))
        .order(mail_deliveries::id)
        .select((
            mail_deliveries::job_key,
            mail_deliveries::tenant_id,
            StoredDelivery::as_select(),
        ))
        .load(conn)?;
    let mut by_job: HashMap<String, Vec<(TenantId, StoredDelivery)>> = HashMap::new();
    for (key, tenant, delivery) in rows {
        by_job.entry(key).or_default().push((tenant, delivery));
    }
    Ok(by_job)
}

/// Records one more attempt at `recipient` and how it ended. A success
/// keeps the last error, so the row still tells why it took several tries.
pub fn record(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    job_key: &str,
    recipient: &str,
    outcome: &RecipientOutcome,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let status = DeliveryStatus::of(outcome).as_str();
    let error = outcome.reason();
    let row = (
        mail_deliveries::tenant_id.eq(tenant_id),
        mail_deliveries::job_key.eq(job_key),
        mail_deliveries::recipient.eq(recipient),
        mail_deliveries::status.eq(status),
        mail_deliveries::attempts.eq(1),
        mail_deliveries::last_error.eq(error),
        mail_deliveries::updated_at.eq(now),
    );
    let last_error =
        mail_deliveries::last_error.eq(diesel::dsl::sql::<diesel::sql_types::Nullable<Text>>(
            "COALESCE(excluded.last_error, mail_deliveries.last_error)",
        ));
    crate::on_backend!(conn, |c| diesel::insert_into(mail_deliveries::table)
        .values(&row)
        .on_conflict((mail_deliveries::job_key, mail_deliveries::recipient))
        .do_update()
        .set((
            mail_deliveries::status.eq(status),
            mail_deliveries::attempts.eq(mail_deliveries::attempts + 1),
            last_error.clone(),
            mail_deliveries::updated_at.eq(now),
        ))
        .execute(c))?;
    Ok(())
}
