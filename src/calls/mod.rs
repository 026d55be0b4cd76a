//! Calls and their transcripts: what each turn reads and writes.

pub mod status;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::conversation::state::{CallMemory, CallState, Outcome};
use crate::db::{DbConnection, write_transaction};
use crate::ids::{CallId, LeadId, TenantId};
use crate::jobs::{self, JobKind};
use crate::leads;
use crate::schema::{blocked_numbers, call_turns, calls, tenants};
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
    pub fn state(&self) -> CallState {
        CallState::parse(&self.state).unwrap_or(CallState::Ended)
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
    let (existing_reply, blocked, recent, active) = diesel::select((
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
    ))
    .get_result::<(Option<String>, Option<i64>, Option<i64>, Option<i64>)>(conn)?;
    Ok(Admission {
        existing_reply,
        blocked: blocked.unwrap_or(0) > 0,
        calls_from_caller_last_hour: recent.unwrap_or(0),
        active_calls: active.unwrap_or(0),
    })
}

/// A transcript line to store.
#[derive(Debug, Clone)]
pub struct NewTurn {
    pub seq: i32,
    pub speaker: &'static str,
    pub text: String,
    pub confidence: Option<f64>,
    pub state: CallState,
    pub latency_ms: Option<i32>,
}

/// A call's first request: the row and the receptionist's first words.
pub struct NewCall {
    pub tenant_id: TenantId,
    pub call_sid: String,
    pub from: String,
    pub to: String,
    pub status: String,
    pub state: CallState,
    pub memory: CallMemory,
    pub outcome: Option<Outcome>,
    pub last_reply: String,
    pub started_at: NaiveDateTime,
    /// Set for calls rejected outright (blocked, rate limited).
    pub ended_at: Option<NaiveDateTime>,
    pub greeting: NewTurn,
}

/// Inserts the call and its first turn in one transaction. `Ok(None)` when
/// a concurrent retry of the same webhook inserted it first.
pub fn insert_call(conn: &mut DbConnection, call: &NewCall) -> QueryResult<Option<CallId>> {
    let memory = serde_json::to_string(&call.memory).unwrap_or_else(|_| "{}".into());
    let result = write_transaction(conn, |conn| {
        let id: CallId = diesel::insert_into(calls::table)
            .values((
                calls::tenant_id.eq(call.tenant_id),
                calls::call_sid.eq(&call.call_sid),
                calls::from_number.eq(&call.from),
                calls::to_number.eq(&call.to),
                calls::state.eq(call.state.as_str()),
                calls::status.eq(&call.status),
                calls::outcome.eq(call.outcome.map(Outcome::as_str)),
                calls::memory.eq(&memory),
                calls::turn_count.eq(0),
                calls::last_reply.eq(&call.last_reply),
                calls::started_at.eq(call.started_at),
                calls::ended_at.eq(call.ended_at),
                calls::updated_at.eq(call.started_at),
            ))
            .returning(calls::id)
            .get_result(conn)?;
        insert_turns(
            conn,
            id,
            std::slice::from_ref(&call.greeting),
            call.started_at,
        )?;
        Ok(id)
    });
    match result {
        Ok(id) => Ok(Some(id)),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(None),
        Err(err) => Err(err),
    }
}

fn insert_turns(
    conn: &mut DbConnection,
    call_id: CallId,
    turns: &[NewTurn],
    now: NaiveDateTime,
) -> QueryResult<()> {
    let rows: Vec<_> = turns
        .iter()
        .map(|t| {
            (
                call_turns::call_id.eq(call_id),
                call_turns::seq.eq(t.seq),
                call_turns::speaker.eq(t.speaker),
                call_turns::text.eq(&t.text),
                call_turns::confidence.eq(t.confidence),
                call_turns::state.eq(t.state.as_str()),
                call_turns::latency_ms.eq(t.latency_ms),
                call_turns::created_at.eq(now),
            )
        })
        .collect();
    crate::on_backend!(conn, |c| diesel::insert_into(call_turns::table)
        .values(&rows)
        .execute(c))?;
    Ok(())
}

/// Everything one turn changes, written in one transaction.
pub struct TurnUpdate<'a> {
    pub call: &'a Call,
    pub state: CallState,
    pub memory: &'a CallMemory,
    pub outcome: Option<Outcome>,
    pub last_reply: &'a str,
    pub turns: Vec<NewTurn>,
    /// Persist the memory's lead as complete (the caller confirmed it).
    pub save_lead: bool,
}

/// Writes a turn. Returns false, changing nothing, when another request
/// already advanced the call past the turn this one read (a retried webhook).
pub fn record_turn(conn: &mut DbConnection, update: &TurnUpdate<'_>) -> QueryResult<bool> {
    let memory = serde_json::to_string(update.memory).unwrap_or_else(|_| "{}".into());
    let now = crate::clock::now();
    let call = update.call;
    write_transaction(conn, |conn| {
        let changed = diesel::update(
            calls::table
                .filter(calls::id.eq(call.id))
                .filter(calls::turn_count.eq(call.turn_count)),
        )
        .set((
            calls::state.eq(update.state.as_str()),
            calls::memory.eq(&memory),
            calls::outcome.eq(update
                .outcome
                .map(Outcome::as_str)
                .or(call.outcome.as_deref())),
            calls::turn_count.eq(call.turn_count + 1),
            calls::last_reply.eq(update.last_reply),
            calls::updated_at.eq(now),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(false);
        }
        insert_turns(conn, call.id, &update.turns, now)?;
        if update.save_lead {
            leads::upsert_for_call(conn, call.tenant_id, call.id, &update.memory.lead, true)?;
        }
        Ok(true)
    })
}

/// What a status callback did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusChange {
    UnknownCall,
    /// A duplicate or out-of-order callback: nothing changed.
    Unchanged,
    Advanced,
    /// The call ended now: outcome set, lead kept, jobs enqueued.
    Finalized {
        lead: Option<LeadId>,
    },
}

/// Applies a `CallStatus` callback: status only moves forward; the first
/// final status ends the call and, in the same transaction, keeps any partial
/// lead and enqueues the summary and lead notification.
pub fn apply_status(
    conn: &mut DbConnection,
    call_sid: &str,
    new_status: CallStatus,
    reported_duration: Option<i32>,
) -> QueryResult<StatusChange> {
    let now = crate::clock::now();
    write_transaction(conn, |conn| {
        let Some(call) = calls::table
            .filter(calls::call_sid.eq(call_sid))
            .select(Call::as_select())
            .first(conn)
            .optional()?
        else {
            return Ok(StatusChange::UnknownCall);
        };
        let current = call.status().unwrap_or(CallStatus::Queued);
        if !current.advances_to(new_status) {
            return Ok(StatusChange::Unchanged);
        }
        // The guard on the old status makes a concurrent duplicate a no-op.
        let guard = calls::table
            .filter(calls::id.eq(call.id))
            .filter(calls::status.eq(&call.status));
        if !new_status.is_final() {
            let changed = diesel::update(guard)
                .set((
                    calls::status.eq(new_status.as_str()),
                    calls::updated_at.eq(now),
                ))
                .execute(conn)?;
            return Ok(if changed == 1 {
                StatusChange::Advanced
            } else {
                StatusChange::Unchanged
            });
        }
        let duration = reported_duration.unwrap_or_else(|| {
            i32::try_from((now - call.started_at).num_seconds().max(0)).unwrap_or(i32::MAX)
        });
        let outcome = call
            .outcome
            .clone()
            .unwrap_or_else(|| final_outcome(&call).as_str().to_owned());
        let changed = diesel::update(guard)
            .set((
                calls::status.eq(new_status.as_str()),
                calls::state.eq(CallState::Ended.as_str()),
                calls::outcome.eq(&outcome),
                calls::ended_at.eq(now),
                calls::duration_seconds.eq(duration),
                calls::updated_at.eq(now),
            ))
            .execute(conn)?;
        if changed == 0 {
            return Ok(StatusChange::Unchanged);
        }
        let memory = call.memory();
        let lead = match leads::find_for_call(conn, call.id)? {
            Some(id) => Some(id),
            None if !memory.lead.is_empty() => Some(leads::upsert_for_call(
                conn,
                call.tenant_id,
                call.id,
                &memory.lead,
                false,
            )?),
            None => None,
        };
        jobs::enqueue(conn, &JobKind::SummarizeCall { call_id: call.id }, now)?;
        if let Some(lead_id) = lead {
            jobs::enqueue(conn, &JobKind::LeadNotification { lead_id }, now)?;
        }
        Ok(StatusChange::Finalized { lead })
    })
}

/// How a call that ended without the conversation deciding it is recorded.
fn final_outcome(call: &Call) -> Outcome {
    if call.turn_count == 0 {
        Outcome::Abandoned
    } else if call.state() == CallState::Faq {
        Outcome::Answered
    } else {
        Outcome::HungUp
    }
}
