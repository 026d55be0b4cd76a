//! An ended call as the worker sees it: the record and transcript the summary
//! and the notification emails are made of, and the summary it writes back.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Conversation;
use super::columns::Json;
use crate::conversation::state::{CallMemory, StateName};
use crate::db::DbConnection;
use crate::ids::{CallId, TenantId};
use crate::schema::{call_turns, calls, tenants};
use crate::tenants::Tenant;

/// A call with its tenant, as the summary and the emails need it.
#[derive(Clone)]
pub struct CallRecord {
    pub call_id: CallId,
    pub tenant: Tenant,
    pub from_number: String,
    pub outcome: Option<String>,
    pub started_at: NaiveDateTime,
    pub duration_seconds: Option<i32>,
    pub summary: Option<String>,
    /// What the conversation remembered when the call ended (urgency, the
    /// department asked for, a transfer that failed).
    pub memory: CallMemory,
}

/// The calls among `ids` that still exist, each with its tenant (one query
/// for a worker's whole batch; the caller checks each call's tenant).
pub fn find_records(
    conn: &mut DbConnection,
    ids: &[CallId],
) -> QueryResult<HashMap<CallId, CallRecord>> {
    type Row = (
        CallId,
        String,
        Option<String>,
        NaiveDateTime,
        Option<i32>,
        Option<String>,
        Json<Conversation>,
        Tenant,
    );
    let rows: Vec<Row> = calls::table
        .inner_join(tenants::table)
        .filter(calls::id.eq_any(ids))
        .select((
            calls::id,
            calls::from_number,
            calls::outcome,
            calls::started_at,
            calls::duration_seconds,
            calls::summary,
            calls::memory,
            Tenant::as_select(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(
                call_id,
                from_number,
                outcome,
                started_at,
                duration_seconds,
                summary,
                memory,
                tenant,
            )| {
                let record = CallRecord {
                    call_id,
                    tenant,
                    from_number,
                    outcome,
                    started_at,
                    duration_seconds,
                    summary,
                    memory: memory.0.memory,
                };
                (call_id, record)
            },
        )
        .collect())
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

/// The transcripts of the calls `ids` (whose tenants the caller checked),
/// each in the order spoken.
pub fn transcripts(
    conn: &mut DbConnection,
    ids: &[CallId],
) -> QueryResult<HashMap<CallId, Vec<TranscriptLine>>> {
    let lines: Vec<(CallId, TranscriptLine)> = call_turns::table
        .filter(call_turns::call_id.eq_any(ids))
        .order((call_turns::call_id, call_turns::seq))
        .select((
            call_turns::call_id,
            (call_turns::speaker, call_turns::text, call_turns::state),
        ))
        .load(conn)?;
    let mut by_call: HashMap<CallId, Vec<TranscriptLine>> = HashMap::new();
    for (call_id, line) in lines {
        by_call.entry(call_id).or_default().push(line);
    }
    Ok(by_call)
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
