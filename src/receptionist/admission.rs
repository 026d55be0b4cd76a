//! The first request of a call: admit it (or refuse it) and greet the
//! caller. The checks and the insert are one transaction, serialised per
//! tenant, so the caps hold under a burst of simultaneous calls.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use std::time::Instant;
use tokio::sync::OwnedMutexGuard;

use super::{Answer, Turn, TurnError, TurnFailure, elapsed_ms, real_number};
use crate::app::AppState;
use crate::calls::status::CallStatus;
use crate::calls::{self, Admission, CallKey, Conversation, NewCall, NewTurn};
use crate::conversation::machine::step;
use crate::conversation::state::{CallMemory, CallState, Event, Outcome, TurnContext};
use crate::db::{self, DbConnection, serialized_transaction};
use crate::ids::TenantId;
use crate::tenants::directory::{TenantContext, TenantDirectory};

/// Calls are capped at two hours (the tenant file's maximum), so an older
/// call that never ended no longer counts as active.
const LONGEST_CALL_HOURS: i64 = 2;

/// How the first request went.
enum Admitted {
    /// A new call, stored.
    New(Answer, Box<calls::Call>),
    /// The request was a retry: the answer already given.
    Again(Answer),
    /// Refused (blocked, rate limited or busy): stored, not cached.
    Refused(Answer),
}

pub(super) async fn answer(
    state: &AppState,
    key: CallKey,
    from: String,
    status: CallStatus,
    is_test: bool,
    started: Instant,
) -> Result<Turn, TurnFailure> {
    let tenant_id = key.tenant_id;
    let arrival = Arrival {
        key,
        from,
        status,
        is_test,
        now: crate::clock::now(),
        started,
    };
    let directory = state.directory.clone();
    // Far from its caps (by more than all the database work that can be in
    // flight at once), a tenant's admissions cannot race past them, and need
    // no lock; close to them, they take turns.
    let unlocked = state.db.concurrent_work_bound().filter(|&bound| {
        directory.cached_context(tenant_id).is_some_and(|ctx| {
            far_below(0, ctx.max_concurrent_calls, bound)
                && far_below(0, ctx.calls_per_hour_per_caller, bound)
        })
    });
    // On SQLite writers already wait in line without holding a connection.
    let needs_lock = unlocked.is_none() && state.db.concurrent_work_bound().is_some();
    let _our_turn = match needs_lock {
        true => Some(state.admissions.enter(tenant_id).await),
        false => None,
    };
    let admitted = db::run_write(&state.db, move |conn| {
        if let Some(bound) = unlocked
            && let Some(admitted) = admit(conn, &directory, &arrival, Some(bound))?
        {
            return Ok(admitted);
        }
        serialized_transaction(conn, tenant_id.0, |conn| {
            admit(conn, &directory, &arrival, None)?.ok_or(TurnError::UnknownCall)
        })
    })
    .await
    .map_err(|error| TurnFailure::new(error, state.directory.cached_context(tenant_id)))?;
    let (admitted, tenant) = admitted;
    let answer = match admitted {
        Admitted::New(answer, row) => {
            state.active_calls.put(*row, tenant.config_version);
            answer
        }
        Admitted::Again(answer) | Admitted::Refused(answer) => answer,
    };
    Ok(Turn { answer, tenant })
}

/// The first request of a call, as it arrived.
struct Arrival {
    key: CallKey,
    from: String,
    status: CallStatus,
    is_test: bool,
    now: chrono::NaiveDateTime,
    started: Instant,
}

/// Whether `count` stays below `limit` even if `bound` other admissions
/// nobody can see yet all succeed.
fn far_below(count: i64, limit: u32, bound: i64) -> bool {
    count + bound < i64::from(limit)
}

/// Checks and stores the call. With `unlocked_bound`, only when the counts
/// are far from the caps (else `None`: take the lock and try again).
fn admit(
    conn: &mut DbConnection,
    directory: &TenantDirectory,
    arrival: &Arrival,
    unlocked_bound: Option<i64>,
) -> Result<Option<(Admitted, Arc<TenantContext>)>, TurnError> {
    let key = &arrival.key;
    let longest = chrono::Duration::hours(LONGEST_CALL_HOURS);
    let admission = calls::admission(conn, key, &arrival.from, arrival.now, longest)?;
    let ctx = directory.context_on(conn, key.tenant_id, admission.config_version)?;
    if let Some(answer) = admission.existing_answer.clone() {
        return Ok(Some((Admitted::Again(answer), ctx)));
    }
    if let Some(bound) = unlocked_bound {
        let far = far_below(admission.active_calls, ctx.max_concurrent_calls, bound)
            && far_below(
                admission.calls_from_caller_last_hour,
                ctx.calls_per_hour_per_caller,
                bound,
            );
        if !far {
            return Ok(None);
        }
    }
    let new_call = first_answer(&admission, &ctx, arrival);
    let refused = new_call.ended_at.is_some();
    let Some(id) = calls::insert_call(conn, &new_call)? else {
        // The call SID exists for another tenant or line.
        return Err(TurnError::UnknownCall);
    };
    let admitted = match refused {
        true => Admitted::Refused(new_call.answer),
        false => Admitted::New(new_call.answer.clone(), Box::new(new_call.as_row(id))),
    };
    Ok(Some((admitted, ctx)))
}

/// The admissions of each tenant on this instance, one at a time. They are
/// serialised in the database anyway (across instances); waiting here first
/// means a burst of calls to one business waits without holding database
/// connections that every other turn needs.
#[derive(Default)]
pub struct AdmissionQueues {
    queues: Mutex<HashMap<TenantId, Arc<tokio::sync::Mutex<()>>>>,
}

impl AdmissionQueues {
    /// Waits until no other admission of `tenant_id` runs on this instance.
    pub async fn enter(&self, tenant_id: TenantId) -> OwnedMutexGuard<()> {
        let queue = {
            let mut queues = self.queues.lock().unwrap_or_else(|p| p.into_inner());
            queues.entry(tenant_id).or_default().clone()
        };
        queue.lock_owned().await
    }
}

/// Why a call is not answered.
enum Refusal {
    /// The super admin disabled the business: the caller is told politely
    /// that it cannot take calls, and no message is taken.
    Disabled,
    /// Blocked, withheld where the tenant refuses those, or calling too
    /// often: refused unanswered.
    Reject,
    /// Every line the tenant allows is taken.
    Busy,
}

/// A test call is refused like any call from a blocked or withheld number,
/// but the caps do not apply to it: it rings none of the business's lines,
/// and the owner trying their receptionist is not a caller calling too
/// often (the test call page has its own hourly allowance).
fn refusal(
    admission: &Admission,
    ctx: &TenantContext,
    has_real_number: bool,
    is_test: bool,
) -> Option<Refusal> {
    if ctx.disabled {
        return Some(Refusal::Disabled);
    }
    let rate_limited = !is_test
        && has_real_number
        && admission.calls_from_caller_last_hour >= i64::from(ctx.calls_per_hour_per_caller);
    if admission.blocked || rate_limited || (!has_real_number && !ctx.allow_anonymous) {
        return Some(Refusal::Reject);
    }
    if !is_test && admission.active_calls >= i64::from(ctx.max_concurrent_calls) {
        return Some(Refusal::Busy);
    }
    None
}

/// What a disabled business's callers hear before the call ends.
fn unavailable_notice(business: &str) -> String {
    format!(
        "Thank you for calling {business}. We're sorry, but {business} cannot take calls right now. Please try again later. Goodbye."
    )
}

/// A call refused before any conversation.
fn ended() -> Conversation {
    Conversation::new(CallState::Ended, CallMemory::default())
}

/// The call row and what the caller hears first.
fn first_answer(admission: &Admission, ctx: &Arc<TenantContext>, arrival: &Arrival) -> NewCall {
    let Arrival {
        key,
        from,
        status,
        is_test,
        now,
        started,
    } = arrival;
    let (now, started) = (*now, *started);
    let caller_number = real_number(from);
    let call = |conversation: Conversation, outcome, answer: Answer, ended_at| {
        let greeting = answer.spoken().map(|text| NewTurn {
            seq: 0,
            speaker: "receptionist",
            text,
            confidence: None,
            state: conversation.name(),
            latency_ms: Some(elapsed_ms(started)),
        });
        NewCall {
            key: key.clone(),
            from: from.clone(),
            status: *status,
            is_test: *is_test,
            conversation,
            outcome,
            answer,
            started_at: now,
            ended_at,
            greeting,
        }
    };
    match refusal(admission, ctx, caller_number.is_some(), *is_test) {
        Some(Refusal::Disabled) => {
            tracing::info!(tenant = %ctx.slug, "the business is disabled; the call is declined");
            let answer = Answer::hang_up(unavailable_notice(&ctx.profile.name), 0);
            // Nobody could take the call: it counts with the calls refused
            // because every line was taken.
            let outcome = Some(Outcome::Busy);
            call(ended(), outcome, answer, Some(now))
        }
        Some(Refusal::Reject) => {
            tracing::info!(tenant = %ctx.slug, "refused a blocked, withheld or rate-limited caller");
            let outcome = Some(Outcome::SpamBlocked);
            call(ended(), outcome, Answer::Refuse, Some(now))
        }
        Some(Refusal::Busy) => {
            tracing::info!(tenant = %ctx.slug, active = admission.active_calls, "all lines busy");
            let say = format!(
                "Thanks for calling {}. All of our lines are busy right now. Please call back in a few minutes. Goodbye.",
                ctx.profile.name
            );
            let answer = Answer::hang_up(say, 0);
            let outcome = Some(Outcome::Busy);
            call(ended(), outcome, answer, Some(now))
        }
        None => {
            let turn_ctx = TurnContext {
                profile: &ctx.profile,
                open_now: ctx.is_open(now),
                local_time: ctx.local_time(now),
                caller_number: caller_number.as_deref(),
                turn: 0,
                elapsed_seconds: 0,
            };
            let decision = step(
                &CallState::Greeting,
                &CallMemory::default(),
                &Event::CallStarted,
                &turn_ctx,
            );
            let answer = Answer::deciding(&decision, 0, caller_number.clone());
            let ended_at = answer.ends_call().then_some(now);
            let conversation = Conversation::new(decision.state, decision.memory);
            call(conversation, decision.outcome, answer, ended_at)
        }
    }
}
