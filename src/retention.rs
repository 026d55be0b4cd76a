//! Data retention: a tenant's retention period deletes its calls (with their
//! transcripts, summaries, LLM usage, unanswered questions and leads) and
//! its leads older than that, in small batches; finished jobs are kept a week.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{DbConnection, write_transaction};
use crate::ids::{CallId, LeadId, TenantId};
use crate::schema::{
    call_turns, calls, leads, llm_usage, mail_deliveries, tenants, unanswered_questions,
};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub calls: usize,
    pub leads: usize,
    pub jobs: usize,
}

/// Done jobs are kept this long for inspection, then deleted.
pub const KEEP_DONE_JOBS_DAYS: i64 = 7;
/// Whatever a tenant's retention, the last week stays: a message whose email
/// is still being retried (for up to five days) is never deleted under it.
pub const ALWAYS_KEPT_DAYS: i64 = 7;
/// Calls (or leads) deleted per write transaction: a few milliseconds of
/// the write lock, so live turns never wait long behind a purge.
pub const BATCH: i64 = 200;

/// The tenants that keep data for a limited time, with the moment before
/// which their calls and leads go.
pub fn cutoffs(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Vec<(TenantId, NaiveDateTime)>> {
    let retained: Vec<(TenantId, i32)> = tenants::table
        .filter(tenants::retention_days.is_not_null())
        .select((tenants::id, tenants::retention_days.assume_not_null()))
        .load(conn)?;
    let latest = now - chrono::Duration::days(ALWAYS_KEPT_DAYS);
    Ok(retained
        .into_iter()
        .map(|(tenant_id, days)| {
            let cutoff = now - chrono::Duration::days(i64::from(days.max(0)));
            (tenant_id, cutoff.min(latest))
        })
        .collect())
}

/// Deletes up to [`BATCH`] of the tenant's calls started before `cutoff`,
/// with everything about them (transcript, summary, lead, LLM usage), in
/// one short transaction; then, when no such call is left, up to [`BATCH`]
/// leads created before it. Run it until it purges nothing.
pub fn purge_batch(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    cutoff: NaiveDateTime,
) -> QueryResult<Purged> {
    write_transaction(conn, |conn| {
        let ids: Vec<CallId> = calls::table
            .filter(calls::tenant_id.eq(tenant_id))
            .filter(calls::started_at.lt(cutoff))
            .order(calls::started_at)
            .select(calls::id)
            .limit(BATCH)
            .load(conn)?;
        if ids.is_empty() {
            let old_leads: Vec<LeadId> = leads::table
                .filter(leads::tenant_id.eq(tenant_id))
                .filter(leads::created_at.lt(cutoff))
                .select(leads::id)
                .limit(BATCH)
                .load(conn)?;
            if old_leads.is_empty() {
                return Ok(Purged::default());
            }
            let deleted =
                diesel::delete(leads::table.filter(leads::id.eq_any(&old_leads))).execute(conn)?;
            return Ok(Purged {
                leads: deleted,
                ..Purged::default()
            });
        }
        diesel::delete(call_turns::table.filter(call_turns::call_id.eq_any(&ids))).execute(conn)?;
        diesel::delete(llm_usage::table.filter(llm_usage::call_id.eq_any(&ids))).execute(conn)?;
        diesel::delete(
            unanswered_questions::table.filter(unanswered_questions::call_id.eq_any(&ids)),
        )
        .execute(conn)?;
        let leads =
            diesel::delete(leads::table.filter(leads::call_id.eq_any(&ids))).execute(conn)?;
        let calls = diesel::delete(calls::table.filter(calls::id.eq_any(&ids))).execute(conn)?;
        Ok(Purged {
            calls,
            leads,
            jobs: 0,
        })
    })
}

impl Purged {
    pub fn is_empty(&self) -> bool {
        *self == Purged::default()
    }

    pub fn add(&mut self, other: &Purged) {
        self.calls += other.calls;
        self.leads += other.leads;
        self.jobs += other.jobs;
    }
}

/// Deletes done jobs past [`KEEP_DONE_JOBS_DAYS`], and the per-recipient
/// delivery records (notification addresses) untouched for as long: a
/// delivery still being retried is updated at every attempt.
pub fn prune_jobs(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    let keep = chrono::Duration::days(KEEP_DONE_JOBS_DAYS);
    diesel::delete(mail_deliveries::table.filter(mail_deliveries::updated_at.lt(now - keep)))
        .execute(conn)?;
    crate::jobs::queue::prune_done(conn, keep, now)
}

/// Everything past every tenant's retention, batch after batch (one write
/// transaction each). The purge job runs the same batches, each in its own
/// turn at the database, so live calls go between them.
pub fn purge(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Purged> {
    let mut purged = Purged::default();
    for (tenant_id, cutoff) in cutoffs(conn, now)? {
        loop {
            let batch = purge_batch(conn, tenant_id, cutoff)?;
            if batch.is_empty() {
                break;
            }
            purged.add(&batch);
        }
    }
    purged.jobs = prune_jobs(conn, now)?;
    Ok(purged)
}
