//! Whether the tenant's lead and summary emails are getting through, for the
//! dashboard: every recipient still being retried, refused for good, or
//! given up on, with the last error, so a lead nobody received is seen.
//!
//! Read from `mail_deliveries` (one row per recipient, with the tenant) and
//! from the email jobs still retrying or dead (the tenant is in their
//! payload; a job that failed before any recipient was tried has no
//! delivery rows).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::deliveries::DeliveryStatus;
use crate::db::DbConnection;
use crate::ids::{CallId, LeadId, TenantId};
use crate::jobs::JobKind;
use crate::schema::{jobs, mail_deliveries};

/// Problems listed at most; more means something is broken for good and
/// the first ones say what.
pub const MAX_PROBLEMS: i64 = 50;
/// Failing email jobs read at most, across tenants (dead ones are kept).
const MAX_JOBS: i64 = 200;

/// Which email a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmailAbout {
    /// The email telling the business about a lead.
    Lead(LeadId),
    /// The call summary email.
    Summary(CallId),
}

impl EmailAbout {
    /// From a job key or delivery key (`lead-email:42`, `summary-email:7`).
    pub fn from_key(key: &str) -> Option<EmailAbout> {
        let (kind, id) = key.split_once(':')?;
        let id = id.parse::<i64>().ok()?;
        match kind {
            "lead-email" => Some(EmailAbout::Lead(LeadId(id))),
            "summary-email" => Some(EmailAbout::Summary(CallId(id))),
            _ => None,
        }
    }
}

/// What is wrong with a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trouble {
    /// Failed so far; the job tries again.
    Retrying,
    /// The mail server refused the address for good.
    Rejected,
    /// The job gave up: nothing more will be tried.
    Dead,
}

/// One email that did not get through (to one recipient, or to any when
/// the job failed before trying them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailProblem {
    pub about: EmailAbout,
    pub recipient: Option<String>,
    pub trouble: Trouble,
    pub attempts: i32,
    /// Masked as recorded (no full addresses).
    pub last_error: Option<String>,
    /// UTC: the last attempt; for a retrying job with no recipient tried
    /// yet, its next try.
    pub at: NaiveDateTime,
}

type DeliveryRow = (
    String,
    String,
    DeliveryStatus,
    i32,
    Option<String>,
    NaiveDateTime,
);
type JobRow = (
    String,
    Option<String>,
    i32,
    Option<String>,
    NaiveDateTime,
    bool,
);

/// The tenant's email problems since `since`, newest first: three queries
/// on indexes (deliveries by tenant; dead and retrying email jobs by the
/// partial indexes of their status). The jobs are read across tenants
/// (their tenant is in the payload), at most `MAX_JOBS` of each.
pub fn problems(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    since: NaiveDateTime,
) -> QueryResult<Vec<EmailProblem>> {
    let deliveries: Vec<DeliveryRow> = mail_deliveries::table
        .filter(mail_deliveries::tenant_id.eq(tenant_id))
        .filter(mail_deliveries::status.ne(DeliveryStatus::Sent.as_str()))
        .filter(mail_deliveries::updated_at.ge(since))
        .order((
            mail_deliveries::updated_at.desc(),
            mail_deliveries::id.desc(),
        ))
        .limit(MAX_PROBLEMS)
        .select((
            mail_deliveries::job_key,
            mail_deliveries::recipient,
            mail_deliveries::status,
            mail_deliveries::attempts,
            mail_deliveries::last_error,
            mail_deliveries::updated_at,
        ))
        .load(conn)?;
    let email_kinds = ["lead_notification", "call_summary_email"];
    // Literal statuses, so the partial indexes on them apply (dead jobs by
    // when they died, queued ones by when they run).
    let mut jobs: Vec<JobRow> = jobs::table
        .filter(diesel::dsl::sql::<Bool>("jobs.status = 'dead'"))
        .filter(jobs::finished_at.ge(since))
        .filter(jobs::kind.eq_any(email_kinds))
        .order(jobs::finished_at.desc())
        .limit(MAX_JOBS)
        .select((
            jobs::payload,
            jobs::unique_key,
            jobs::attempts,
            jobs::last_error,
            jobs::finished_at.assume_not_null(),
            true.into_sql::<Bool>(),
        ))
        .load(conn)?;
    jobs.extend(
        jobs::table
            .filter(diesel::dsl::sql::<Bool>("jobs.status = 'queued'"))
            .filter(jobs::attempts.gt(0))
            .filter(jobs::kind.eq_any(email_kinds))
            .order(jobs::run_at)
            .limit(MAX_JOBS)
            .select((
                jobs::payload,
                jobs::unique_key,
                jobs::attempts,
                jobs::last_error,
                jobs::run_at,
                false.into_sql::<Bool>(),
            ))
            .load::<JobRow>(conn)?,
    );
    Ok(combine(tenant_id, deliveries, jobs))
}

/// A delivery still pending under a dead job is dead too; a failing job
/// with no delivery rows is listed on its own.
fn combine(
    tenant_id: TenantId,
    deliveries: Vec<DeliveryRow>,
    jobs: Vec<JobRow>,
) -> Vec<EmailProblem> {
    // The tenant's failing jobs by key: (dead, attempts, last error, when).
    let mut failing_jobs: HashMap<String, (bool, i32, Option<String>, NaiveDateTime)> =
        HashMap::new();
    for (payload, key, attempts, last_error, at, dead) in jobs {
        let of_tenant = serde_json::from_str::<JobKind>(&payload).is_ok_and(|job| match job {
            JobKind::LeadNotification { tenant_id: t, .. }
            | JobKind::CallSummaryEmail { tenant_id: t, .. } => t == tenant_id,
            _ => false,
        });
        if let (true, Some(key)) = (of_tenant, key) {
            failing_jobs
                .entry(key)
                .or_insert((dead, attempts, last_error, at));
        }
    }
    let mut problems: Vec<EmailProblem> = Vec::new();
    let mut listed: Vec<&str> = Vec::new();
    for (key, recipient, status, attempts, last_error, at) in &deliveries {
        let Some(about) = EmailAbout::from_key(key) else {
            continue;
        };
        let job_dead = failing_jobs.get(key).is_some_and(|job| job.0);
        let trouble = match status {
            DeliveryStatus::Rejected => Trouble::Rejected,
            _ if job_dead => Trouble::Dead,
            _ => Trouble::Retrying,
        };
        listed.push(key);
        problems.push(EmailProblem {
            about,
            recipient: Some(recipient.clone()),
            trouble,
            attempts: *attempts,
            last_error: last_error.clone(),
            at: *at,
        });
    }
    for (key, (dead, attempts, last_error, at)) in &failing_jobs {
        if listed.contains(&key.as_str()) {
            continue;
        }
        if let Some(about) = EmailAbout::from_key(key) {
            problems.push(EmailProblem {
                about,
                recipient: None,
                trouble: if *dead {
                    Trouble::Dead
                } else {
                    Trouble::Retrying
                },
                attempts: *attempts,
                last_error: last_error.clone(),
                at: *at,
            });
        }
    }
    problems.sort_by_key(|p| std::cmp::Reverse(p.at));
    problems.truncate(usize::try_from(MAX_PROBLEMS).unwrap_or(usize::MAX));
    problems
}
