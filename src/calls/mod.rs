//! Calls and their transcripts: what each turn reads and writes.

pub mod cache;
pub mod columns;
pub mod detail;
pub mod history;
mod lifecycle;
pub mod local_time;
mod outcome_filter;
pub mod pages;
mod pending;
mod pg;
pub mod search;
pub mod stats;
pub mod status;
pub mod test_calls;
mod turns;
pub mod usage;

pub use lifecycle::{
    StatusChange, apply_status, finalize_silent_calls, leaves_a_partial_lead, record_late_transfer,
};
pub use pending::{PendingSpeech, set_pending};
pub use turns::{NewCall, NewTurn, TurnUpdate, insert_call, record_turn};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use serde::{Deserialize, Serialize};

use crate::conversation::state::{CallMemory, CallState, Outcome, StateName};
use crate::db::DbConnection;
use crate::ids::{CallId, TenantId};
use crate::receptionist::Answer;
use crate::schema::{blocked_numbers, calls, tenants};
use columns::Json;
use status::CallStatus;

/// The call row as a turn needs it, typed: an unknown stored state, status
/// or outcome, or memory that does not parse, fails the read.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = calls)]
pub struct Call {
    pub id: CallId,
    pub tenant_id: TenantId,
    pub call_sid: String,
    pub from_number: String,
    pub to_number: String,
    pub state: StateName,
    pub status: CallStatus,
    pub outcome: Option<Outcome>,
    pub memory: Json<Conversation>,
    pub turn_count: i32,
    pub last_reply: Option<Json<Answer>>,
    pub started_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
    /// Caller speech still being answered; cleared by the turn that answers it.
    pub pending: Option<Json<PendingSpeech>>,
}

/// The conversation as a turn leaves it, stored as JSON in `calls.memory`:
/// the state with its data (what the last question was waiting for) and the
/// memory. `calls.state` holds the state's name, for queries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// Absent in rows written before states carried data.
    #[serde(default)]
    state: Option<CallState>,
    #[serde(flatten)]
    pub memory: CallMemory,
}

impl Conversation {
    pub fn new(state: CallState, memory: CallMemory) -> Conversation {
        Conversation {
            state: Some(state),
            memory,
        }
    }

    /// The state's name, for the `state` column.
    pub fn name(&self) -> StateName {
        self.state.map_or(StateName::Greeting, |state| state.name())
    }
}

impl Call {
    /// Where the conversation is: the stored state when it is the one the
    /// `state` column names (a final status ends a call by name only), else
    /// that state with nothing pending.
    pub fn conversation(&self) -> (CallState, &CallMemory) {
        let Json(stored) = &self.memory;
        let state = match stored.state {
            Some(state) if state.name() == self.state => state,
            _ => CallState::from_name(self.state),
        };
        (state, &stored.memory)
    }

    /// Whether the conversation is over (the receptionist hung up or the
    /// call's final status arrived).
    pub fn is_over(&self) -> bool {
        self.ended_at.is_some() || self.state == StateName::Ended || self.status.is_final()
    }
}

/// Which call a request is about: a call exists only for its own tenant and
/// the line it came in on, so a request signed by another tenant, or naming
/// another number, finds nothing.
#[derive(Debug, Clone)]
pub struct CallKey {
    pub tenant_id: TenantId,
    pub call_sid: String,
    /// The number the caller dialled.
    pub line: String,
}

/// One read per turn: the call and its tenant's configuration version.
pub fn load_for_turn(conn: &mut DbConnection, key: &CallKey) -> QueryResult<Option<(Call, i64)>> {
    calls::table
        .inner_join(tenants::table)
        .filter(calls::call_sid.eq(&key.call_sid))
        .filter(calls::tenant_id.eq(key.tenant_id))
        .filter(calls::to_number.eq(&key.line))
        .select((Call::as_select(), tenants::config_version))
        .first(conn)
        .optional()
}

/// What the first request of a call needs to decide whether to answer it.
/// Test calls count in neither figure: they ring no line of the business.
#[derive(Debug, Clone, PartialEq)]
pub struct Admission {
    /// Set when the first request was retried for a call already answered.
    pub existing_answer: Option<Answer>,
    pub blocked: bool,
    pub calls_from_caller_last_hour: i64,
    pub active_calls: i64,
    /// The tenant's configuration version, to validate cached configuration.
    pub config_version: i64,
}

/// Reads everything admission needs in one query.
pub fn admission(
    conn: &mut DbConnection,
    key: &CallKey,
    from: &str,
    now: NaiveDateTime,
    longest_call: chrono::Duration,
) -> QueryResult<Admission> {
    let tenant_id = key.tenant_id;
    let hour_ago = now - chrono::Duration::hours(1);
    // A call whose final status never arrived stops counting as active once
    // it is older than the longest possible call.
    let active_since = now - longest_call;
    let (existing_reply, blocked, recent, active, config_version) = diesel::select((
        calls::table
            .filter(calls::call_sid.eq(&key.call_sid))
            .filter(calls::tenant_id.eq(tenant_id))
            .filter(calls::to_number.eq(&key.line))
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
            .filter(calls::is_test.eq(false))
            .count()
            .single_value(),
        calls::table
            .filter(calls::tenant_id.eq(tenant_id))
            .filter(calls::ended_at.is_null())
            .filter(calls::started_at.gt(active_since))
            .filter(calls::is_test.eq(false))
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
    let existing_answer = existing_reply
        .map(|stored| serde_json::from_str::<Answer>(&stored))
        .transpose()
        .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
    Ok(Admission {
        existing_answer,
        blocked: blocked.unwrap_or(0) > 0,
        calls_from_caller_last_hour: recent.unwrap_or(0),
        active_calls: active.unwrap_or(0),
        config_version,
    })
}
