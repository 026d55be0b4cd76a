//! An ended call as the worker sees it: the record and transcript the summary
//! and the notification emails are made of, and the summary it writes back.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Conversation;
use super::columns::Json;
use crate::conversation::state::{CallMemory, StateName};
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
    /// What the conversation remembered when the call ended (urgency, the
    /// department asked for, a transfer that failed).
    pub memory: CallMemory,
}

/// The tenant's call `call_id`; `None` when it no longer exists.
pub fn find_record(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    call_id: CallId,
) -> QueryResult<Option<CallRecord>> {
    type Row = (
        String,
        Option<String>,
        NaiveDateTime,
        Option<i32>,
        Option<String>,
        Json<Conversation>,
        Tenant,
    );
    let Some((from_number, outcome, started_at, duration_seconds, summary, memory, tenant)) =
        calls::table
            .inner_join(tenants::table)
            .filter(calls::id.eq(call_id))
            .filter(calls::tenant_id.eq(tenant_id))
            .select((
                calls::from_number,
                calls::outcome,
                calls::started_at,
                calls::duration_seconds,
                calls::summary,
                calls::memory,
                Tenant::as_select(),
            ))
            .first::<Row>(conn)
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
        memory: memory.0.memory,
    }))
}

/// One line of a stored transcript.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct TranscriptLine {
    /// `caller` or `receptionist`.
    pub speaker: String,
    pub text: String,
    /// For a caller line, the state the call was in when they said it (what
    /// they were answering); for the receptionist's, the state it led to.
    pub state: StateName,
}

/// The tenant's call transcript, in the order spoken.
pub fn transcript(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    call_id: CallId,
) -> QueryResult<Vec<TranscriptLine>> {
    call_turns::table
        .inner_join(calls::table)
        .filter(calls::id.eq(call_id))
        .filter(calls::tenant_id.eq(tenant_id))
        .order(call_turns::seq)
        .select((call_turns::speaker, call_turns::text, call_turns::state))
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
