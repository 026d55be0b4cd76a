//! Data retention: what each tenant's retention period removes, and how long
//! finished jobs are kept.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{DbConnection, write_transaction};
use crate::ids::TenantId;
use crate::schema::{call_turns, calls, leads, tenants};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub calls: usize,
    pub leads: usize,
    pub jobs: usize,
}

/// Done jobs are kept this long for inspection, then deleted.
pub const KEEP_DONE_JOBS_DAYS: i64 = 7;

/// Deletes transcripts, summaries and leads older than each tenant's
/// retention (tenants without one keep everything), and old done jobs. The
/// call rows stay (without content) so counts and durations remain, and so
/// do their LLM usage rows, which hold no caller words.
pub fn purge(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Purged> {
    let mut purged = Purged::default();
    let retained: Vec<(TenantId, i32)> = tenants::table
        .filter(tenants::retention_days.is_not_null())
        .select((tenants::id, tenants::retention_days.assume_not_null()))
        .load(conn)?;
    for (tenant_id, days) in retained {
        let cutoff = now - chrono::Duration::days(i64::from(days));
        let (calls, leads) = write_transaction(conn, |conn| purge_tenant(conn, tenant_id, cutoff))?;
        purged.calls += calls;
        purged.leads += leads;
    }
    purged.jobs =
        crate::jobs::queue::prune_done(conn, chrono::Duration::days(KEEP_DONE_JOBS_DAYS), now)?;
    Ok(purged)
}

/// Empties the tenant's calls started before `cutoff` and deletes its leads
/// created before it; returns (calls emptied, leads deleted).
fn purge_tenant(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    cutoff: NaiveDateTime,
) -> QueryResult<(usize, usize)> {
    let old_calls = calls::table
        .filter(calls::tenant_id.eq(tenant_id))
        .filter(calls::started_at.lt(cutoff));
    diesel::delete(
        call_turns::table.filter(call_turns::call_id.eq_any(old_calls.select(calls::id))),
    )
    .execute(conn)?;
    let emptied = diesel::update(
        old_calls.filter(
            calls::summary
                .is_not_null()
                .or(calls::last_reply.is_not_null())
                .or(calls::pending.is_not_null()),
        ),
    )
    .set((
        calls::summary.eq(None::<String>),
        calls::memory.eq("{}"),
        calls::last_reply.eq(None::<String>),
        calls::pending.eq(None::<String>),
    ))
    .execute(conn)?;
    let deleted = diesel::delete(
        leads::table
            .filter(leads::tenant_id.eq(tenant_id))
            .filter(leads::created_at.lt(cutoff)),
    )
    .execute(conn)?;
    Ok((emptied, deleted))
}
