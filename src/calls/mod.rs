//! Calls and their transcripts: what each turn reads and writes.

pub mod cache;
mod lifecycle;
mod pg;
pub mod status;
mod turns;

pub use lifecycle::{StatusChange, apply_status, finalize_silent_calls, record_late_transfer};
pub use turns::{NewCall, NewTurn, TurnUpdate, insert_call, record_turn};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::conversation::state::{CallMemory, StateName};
use crate::db::DbConnection;
use crate::ids::{CallId, TenantId};
use crate::schema::{blocked_numbers, calls, tenants};
use status::CallStatus;

/// The call row as a turn needs it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = calls)]
pub struct Call {
    pub id: CallId,
    pub tenant_id: TenantId,
    pub call_sid: String,
    pub from_number: String,
    pub state: String,
    pub status: String,
    pub outcome: Option<String>,
    pub memory: String,
    pub turn_count: i32,
    pub last_reply: Option<String>,
    pub started_at: NaiveDateTime,
}

impl Call {
    pub fn state(&self) -> StateName {
        StateName::parse(&self.state).unwrap_or(StateName::Ended)
    }

    /// The persisted memory; a row written by an older version that no
    /// longer parses starts from empty rather than failing the call.
    pub fn memory(&self) -> CallMemory {
        serde_json::from_str(&self.memory).unwrap_or_default()
    }

    pub fn status(&self) -> Option<CallStatus> {
        CallStatus::parse(&self.status)
    }
}

/// One read per turn: the call and its tenant's configuration version.
pub fn load_for_turn(conn: &mut DbConnection, call_sid: &str) -> QueryResult<Option<(Call, i64)>> {
    calls::table
        .inner_join(tenants::table)
        .filter(calls::call_sid.eq(call_sid))
        .select((Call::as_select(), tenants::config_version))
        .first(conn)
        .optional()
}

/// What the first request of a call needs to decide whether to answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admission {
    /// Set when Twilio retried `/twilio/voice` for a call already answered.
    pub existing_reply: Option<String>,
    pub blocked: bool,
    pub calls_from_caller_last_hour: i64,
    pub active_calls: i64,
    /// The tenant's configuration version, to validate cached configuration.
    pub config_version: i64,
}

/// Reads everything admission needs in one query.
pub fn admission(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    call_sid: &str,
    from: &str,
    now: NaiveDateTime,
    longest_call: chrono::Duration,
) -> QueryResult<Admission> {
    let hour_ago = now - chrono::Duration::hours(1);
    // A call whose final status never arrived stops counting as active once
    // it is older than the longest possible call.
    let active_since = now - longest_call;
    let (existing_reply, blocked, recent, active, config_version) = diesel::select((
        calls::table
            .filter(calls::call_sid.eq(call_sid))
            .select(calls::last_reply)
            .single_value()
            .assume_not_null()
            .nullable(),
        blocked_numbers::table
            .filter(blocked_numbers::tenant_id.eq(tenant_id))
            .filter(blocked_numbers::number.eq(from))
            .count()
            .single_value(),
        calls::table
            .filter(calls::tenant_id.eq(tenant_id))
            .filter(calls::from_number.eq(from))
            .filter(calls::started_at.gt(hour_ago))
            .count()
            .single_value(),
        calls::table
            .filter(calls::tenant_id.eq(tenant_id))
            .filter(calls::ended_at.is_null())
            .filter(calls::started_at.gt(active_since))
            .count()
            .single_value(),
        tenants::table
            .filter(tenants::id.eq(tenant_id))
            .select(tenants::config_version)
            .single_value(),
    ))
    .get_result::<(
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    )>(conn)?;
    let config_version = config_version.ok_or(diesel::result::Error::NotFound)?;
    Ok(Admission {
        existing_reply,
        blocked: blocked.unwrap_or(0) > 0,
        calls_from_caller_last_hour: recent.unwrap_or(0),
        active_calls: active.unwrap_or(0),
        config_version,
    })
}
