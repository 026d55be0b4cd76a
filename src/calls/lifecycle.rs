//! The end of a call: status callbacks, final outcome, partial leads and the
//! jobs that tell the business about the call.

use diesel::prelude::*;

use chrono::NaiveDateTime;

use super::{Call, CallKey, status::CallStatus};
use crate::conversation::state::{CallMemory, Outcome, StateName};
use crate::db::{DbConnection, write_transaction};
use crate::ids::{CallId, LeadId, TenantId};
use crate::jobs::{self, JobKind};
use crate::leads;
use crate::schema::calls;

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
    key: &CallKey,
    new_status: CallStatus,
    reported_duration: Option<i32>,
    now: NaiveDateTime,
) -> QueryResult<StatusChange> {
    write_transaction(conn, |conn| {
        let Some(call) = calls::table
            .filter(calls::call_sid.eq(&key.call_sid))
            .filter(calls::tenant_id.eq(key.tenant_id))
            .filter(calls::to_number.eq(&key.line))
            .select(Call::as_select())
            .first(conn)
            .optional()?
        else {
            return Ok(StatusChange::UnknownCall);
        };
        if !call.status.advances_to(new_status) {
            return Ok(StatusChange::Unchanged);
        }
        // The guard on the old status makes a concurrent duplicate a no-op.
        let guard = calls::table
            .filter(calls::id.eq(call.id))
            .filter(calls::status.eq(call.status.as_str()));
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
        let outcome = call.outcome.unwrap_or_else(|| final_outcome(&call));
        let changed = diesel::update(guard)
            .set((
                calls::status.eq(new_status.as_str()),
                calls::state.eq(StateName::Ended.as_str()),
                calls::outcome.eq(outcome.as_str()),
                calls::ended_at.eq(call.ended_at.unwrap_or(now)),
                calls::duration_seconds.eq(duration),
                calls::updated_at.eq(now),
            ))
            .execute(conn)?;
        if changed == 0 {
            return Ok(StatusChange::Unchanged);
        }
        let memory = &call.memory.0.memory;
        let lead = match leads::find_for_call(conn, call.tenant_id, call.id)? {
            Some(id) => Some(id),
            None if leaves_a_partial_lead(memory, outcome) => Some(leads::upsert_for_call(
                conn,
                call.tenant_id,
                call.id,
                memory,
                false,
                now,
            )?),
            None => None,
        };
        // A refused call has nothing to summarise, and a flood of refused
        // calls must not become a flood of email.
        if !matches!(outcome, Outcome::SpamBlocked | Outcome::Busy) {
            jobs::enqueue(
                conn,
                &JobKind::SummarizeCall {
                    tenant_id: call.tenant_id,
                    call_id: call.id,
                },
                now,
            )?;
        }
        if let Some(lead_id) = lead {
            jobs::enqueue(
                conn,
                &JobKind::LeadNotification {
                    tenant_id: call.tenant_id,
                    lead_id,
                },
                now,
            )?;
        }
        Ok(StatusChange::Finalized { lead })
    })
}

/// Whether a call that ends without a saved message still leaves one for
/// the business: any detail the caller gave, or an urgent problem they
/// described before hanging up (the business calls the caller ID back)
/// unless they were put through to a person.
pub fn leaves_a_partial_lead(memory: &CallMemory, outcome: Outcome) -> bool {
    !memory.lead.is_empty() || (memory.urgent && outcome != Outcome::Transferred)
}

/// How a call that ended without the conversation deciding it is recorded
/// (a question answered sets `Answered` on its own turn).
fn final_outcome(call: &Call) -> Outcome {
    if call.turn_count == 0 {
        Outcome::Abandoned
    } else {
        Outcome::HungUp
    }
}

/// A bridged transfer reported after the call's final status: the call was
/// put through, so it counts as transferred unless something better was
/// recorded (a message taken, an emergency).
pub fn record_late_transfer(conn: &mut DbConnection, call_id: CallId) -> QueryResult<bool> {
    diesel::update(
        calls::table
            .filter(calls::id.eq(call_id))
            .filter(calls::ended_at.is_not_null())
            .filter(calls::outcome.eq_any([Outcome::HungUp.as_str(), Outcome::Abandoned.as_str()])),
    )
    .set(calls::outcome.eq(Outcome::Transferred.as_str()))
    .execute(conn)
    .map(|n| n == 1)
}

/// No webhook for this long means the call is over even though its final
/// status never arrived (calls are capped at two hours; a bridged transfer
/// sends nothing until it ends).
pub const SILENT_CALL_TIMEOUT_HOURS: i64 = 3;

/// The statuses a call still waits to leave (its final status has not
/// arrived).
const UNFINISHED: [&str; 4] = ["queued", "initiated", "ringing", "in-progress"];

/// Ends calls whose final status callback was lost, as if it had said
/// `completed` when they last heard from Twilio: their partial messages
/// become leads and are notified. This includes calls the receptionist hung
/// up on (ended, but never finalised). Returns how many were ended.
pub fn finalize_silent_calls(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<usize> {
    let quiet_since = now - chrono::Duration::hours(SILENT_CALL_TIMEOUT_HOURS);
    let silent: Vec<(TenantId, String, String, NaiveDateTime, NaiveDateTime)> = calls::table
        .filter(calls::status.eq_any(UNFINISHED))
        .filter(calls::updated_at.lt(quiet_since))
        .select((
            calls::tenant_id,
            calls::call_sid,
            calls::to_number,
            calls::started_at,
            calls::updated_at,
        ))
        .limit(limit)
        .load(conn)?;
    let mut ended = 0;
    for (tenant_id, call_sid, line, started_at, last_heard) in silent {
        let duration =
            i32::try_from((last_heard - started_at).num_seconds().max(0)).unwrap_or(i32::MAX);
        let key = CallKey {
            tenant_id,
            call_sid,
            line,
        };
        if let StatusChange::Finalized { .. } =
            apply_status(conn, &key, CallStatus::Completed, Some(duration), now)?
        {
            ended += 1;
        }
    }
    Ok(ended)
}
