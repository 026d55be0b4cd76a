//! An ended call as the worker sees it: the record and transcript the summary
//! and the notification emails are made of, and the summary it writes back.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::ids::{CallId, TenantId};
use crate::schema::{call_turns, calls, leads, tenants};
use crate::tenants::Tenant;

/// A call with its tenant, as the summary and the emails need it.
pub struct CallRecord {
    pub call_id: CallId,
    pub tenant: Tenant,
    pub from_number: String,
    pub outcome: Option<String>,
    pub started_at: NaiveDateTime,
    pub duration_seconds: Option<i32>,
    pub summary: Option<String>,
    /// The name the caller gave, if they left a message.
    pub caller_name: Option<String>,
}

/// The tenant's call `call_id`; `None` when it no longer exists.
pub fn find_record(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    call_id: CallId,
) -> QueryResult<Option<CallRecord>> {
    let Some((from_number, outcome, started_at, duration_seconds, summary, tenant)) = calls::table
        .inner_join(tenants::table)
        .filter(calls::id.eq(call_id))
        .filter(calls::tenant_id.eq(tenant_id))
        .select((
            calls::from_number,
            calls::outcome,
            calls::started_at,
            calls::duration_seconds,
            calls::summary,
            Tenant::as_select(),
        ))
        .first::<(
            String,
            Option<String>,
            NaiveDateTime,
            Option<i32>,
            Option<String>,
            Tenant,
        )>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let caller_name = leads::table
        .filter(leads::call_id.eq(call_id))
        .filter(leads::tenant_id.eq(tenant_id))
        .select(leads::name)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten();
    Ok(Some(CallRecord {
        call_id,
        tenant,
        from_number,
        outcome,
        started_at,
        duration_seconds,
        summary,
        caller_name,
    }))
}

/// The tenant's call transcript as (speaker, text), in the order spoken.
pub fn transcript(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    call_id: CallId,
) -> QueryResult<Vec<(String, String)>> {
    call_turns::table
        .inner_join(calls::table)
        .filter(calls::id.eq(call_id))
        .filter(calls::tenant_id.eq(tenant_id))
        .order(call_turns::seq)
        .select((call_turns::speaker, call_turns::text))
        .load(conn)
}

/// Stores the call's summary; false when the call no longer exists.
pub fn save_summary(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    call_id: CallId,
    summary: &str,
) -> QueryResult<bool> {
    diesel::update(
        calls::table
            .filter(calls::id.eq(call_id))
            .filter(calls::tenant_id.eq(tenant_id)),
    )
    .set(calls::summary.eq(summary))
    .execute(conn)
    .map(|n| n == 1)
}
