//! The database job queue. Jobs are enqueued inside the transaction that
//! commits the data they are about, so a job exists if and only if its data
//! does (see DESIGN.md, background jobs).

mod batch;
mod call_story;
pub mod cli;
pub mod handlers;
mod lead_email;
mod mail_delivery;
pub mod operator;
mod purge;
pub mod queue;
mod slots;
mod summarize;
mod summary_email;
pub mod worker;

pub use lead_email::{LeadEmailSource, lead_email};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::DbConnection;
use crate::ids::{CallId, LeadId, TenantId};
use crate::schema::jobs;

/// Kinds of job, with their payloads. A job about a tenant's data names the
/// tenant, so it reads that data scoped to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobKind {
    SummarizeCall {
        tenant_id: TenantId,
        call_id: CallId,
    },
    LeadNotification {
        tenant_id: TenantId,
        lead_id: LeadId,
    },
    CallSummaryEmail {
        tenant_id: TenantId,
        call_id: CallId,
    },
    PurgeExpired,
}

impl JobKind {
    pub fn name(&self) -> &'static str {
        match self {
            JobKind::SummarizeCall { .. } => "summarize_call",
            JobKind::LeadNotification { .. } => "lead_notification",
            JobKind::CallSummaryEmail { .. } => "call_summary_email",
            JobKind::PurgeExpired => "purge_expired",
        }
    }

    /// Identifies the job while it is pending, so duplicated Twilio
    /// callbacks enqueue it once.
    pub fn unique_key(&self) -> Option<String> {
        match self {
            JobKind::SummarizeCall { call_id, .. } => Some(format!("summarize:{call_id}")),
            JobKind::LeadNotification { lead_id, .. } => Some(format!("lead-email:{lead_id}")),
            JobKind::CallSummaryEmail { call_id, .. } => Some(format!("summary-email:{call_id}")),
            JobKind::PurgeExpired => Some("purge-expired".to_owned()),
        }
    }

    /// How long a failing job keeps retrying before it is marked dead.
    pub fn retry_window(&self) -> chrono::Duration {
        retry_window(self.name())
    }

    /// Lead emails first: a business wants to hear about a caller at once.
    pub fn priority(&self) -> i32 {
        match self {
            JobKind::LeadNotification { .. } => URGENT,
            JobKind::SummarizeCall { .. } => 5,
            JobKind::CallSummaryEmail { .. } => 0,
            JobKind::PurgeExpired => -10,
        }
    }
}

/// The priority of jobs that must not wait for a busy spell to end (the
/// lead emails: the caller was told their message is passed on).
pub const URGENT: i32 = 10;

/// How long a failing job of the kind named `kind` keeps retrying, from
/// when it was first due. By kind, not by attempt count: a lead is what the
/// caller was promised, so its email outlasts a weekend mail outage; a
/// summary email matters less once it is days late; a summary or a purge
/// that fails for a day has a bug, not an outage, to wait for. Unknown
/// kinds (a payload from a newer version) get a day.
pub fn retry_window(kind: &str) -> chrono::Duration {
    match kind {
        "lead_notification" => chrono::Duration::days(5),
        "call_summary_email" => chrono::Duration::days(2),
        _ => chrono::Duration::days(1),
    }
}

/// Enqueues `job` to run at once, normally inside the caller's transaction.
/// Returns false when a pending job with the same unique key already exists.
pub fn enqueue(conn: &mut DbConnection, job: &JobKind, now: NaiveDateTime) -> QueryResult<bool> {
    enqueue_at(conn, job, now, now)
}

/// `enqueue` for a job that must wait until `run_at`.
pub fn enqueue_at(
    conn: &mut DbConnection,
    job: &JobKind,
    now: NaiveDateTime,
    run_at: NaiveDateTime,
) -> QueryResult<bool> {
    let payload = serde_json::to_string(job)
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    let row = (
        jobs::kind.eq(job.name()),
        jobs::payload.eq(payload),
        jobs::unique_key.eq(job.unique_key()),
        jobs::status.eq("queued"),
        jobs::priority.eq(job.priority()),
        jobs::attempts.eq(0),
        jobs::run_at.eq(run_at),
        jobs::give_up_at.eq(run_at + job.retry_window()),
        jobs::created_at.eq(now),
    );
    let inserted = crate::on_backend!(conn, |c| diesel::insert_into(jobs::table)
        .values(&row)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(inserted == 1)
}

/// The jobs, in any status, whose payload names `tenant` (the payload is
/// the only place a job names its tenant).
pub fn ids_for_tenant(conn: &mut DbConnection, tenant: TenantId) -> QueryResult<Vec<i64>> {
    let payloads: Vec<(i64, String)> = jobs::table.select((jobs::id, jobs::payload)).load(conn)?;
    Ok(payloads
        .into_iter()
        .filter(|(_, payload)| {
            serde_json::from_str::<serde_json::Value>(payload)
                .ok()
                .and_then(|v| v.get("tenant_id").and_then(serde_json::Value::as_i64))
                == Some(tenant.0)
        })
        .map(|(id, _)| id)
        .collect())
}

/// Deletes `tenant`'s jobs (when the tenant itself is deleted); a worker
/// running one finds its row gone and drops the outcome.
pub fn delete_for_tenant(conn: &mut DbConnection, tenant: TenantId) -> QueryResult<usize> {
    let ids = ids_for_tenant(conn, tenant)?;
    let mut deleted = 0;
    for batch in ids.chunks(500) {
        deleted += diesel::delete(jobs::table.filter(jobs::id.eq_any(batch))).execute(conn)?;
    }
    Ok(deleted)
}
