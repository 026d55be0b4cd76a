//! The first request of a call: admit it (or refuse it) and greet the
//! caller. The checks and the insert are one transaction, serialised per
//! tenant, so the caps hold under a burst of simultaneous calls.

use std::sync::Arc;
use std::time::Instant;

use super::{Answer, Turn, TurnError, TurnFailure, elapsed_ms, real_number};
use crate::app::AppState;
use crate::calls::status::CallStatus;
use crate::calls::{self, Admission, CallKey, Conversation, NewCall, NewTurn};
use crate::conversation::machine::step;
use crate::conversation::state::{CallMemory, CallState, Event, Outcome, TurnContext};
use crate::db::{self, serialized_transaction};
use crate::tenants::directory::TenantContext;

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
    started: Instant,
) -> Result<Turn, TurnFailure> {
    let now = crate::clock::now();
    let directory = state.directory.clone();
    let tenant_id = key.tenant_id;
    let admitted = db::run_write(&state.db, move |conn| {
        // One admission at a time per tenant, so simultaneous calls cannot
        // all slip under the caps.
        serialized_transaction(conn, tenant_id.0, |conn| {
            let longest = chrono::Duration::hours(LONGEST_CALL_HOURS);
            let admission = calls::admission(conn, &key, &from, now, longest)?;
            let ctx = directory.context_on(conn, tenant_id, admission.config_version)?;
            if let Some(answer) = admission.existing_answer.clone() {
                return Ok::<_, TurnError>((Admitted::Again(answer), ctx));
            }
            let new_call = first_answer(&admission, &ctx, key, from, status, now, started);
            let refused = new_call.ended_at.is_some();
            let Some(id) = calls::insert_call(conn, &new_call)? else {
                // The call SID exists for another tenant or line.
                return Err(TurnError::UnknownCall);
            };
            let admitted = match refused {
                true => Admitted::Refused(new_call.answer),
                false => Admitted::New(new_call.answer.clone(), Box::new(new_call.as_row(id))),
            };
            Ok((admitted, ctx))
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

/// Why a call is not answered.
enum Refusal {
    /// Blocked, withheld where the tenant refuses those, or calling too
    /// often: refused unanswered.
    Reject,
    /// Every line the tenant allows is taken.
    Busy,
}

fn refusal(admission: &Admission, ctx: &TenantContext, has_real_number: bool) -> Option<Refusal> {
    let rate_limited = has_real_number
        && admission.calls_from_caller_last_hour >= i64::from(ctx.calls_per_hour_per_caller);
    if admission.blocked || rate_limited || (!has_real_number && !ctx.allow_anonymous) {
        return Some(Refusal::Reject);
    }
    if admission.active_calls >= i64::from(ctx.max_concurrent_calls) {
        return Some(Refusal::Busy);
    }
    None
}

/// A call refused before any conversation.
fn ended() -> Conversation {
    Conversation::new(CallState::Ended, CallMemory::default())
}

/// The call row and what the caller hears first.
fn first_answer(
    admission: &Admission,
    ctx: &Arc<TenantContext>,
    key: CallKey,
    from: String,
    status: CallStatus,
    now: chrono::NaiveDateTime,
    started: Instant,
) -> NewCall {
    let caller_number = real_number(&from);
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
            key,
            from: from.clone(),
            status,
            conversation,
            outcome,
            answer,
            started_at: now,
            ended_at,
            greeting,
        }
    };
    match refusal(admission, ctx, caller_number.is_some()) {
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
            let answer = Answer::Reply {
                reply: decision.reply,
                hints: decision.hints,
                turn: 0,
                caller_id: caller_number.clone(),
            };
            let ended_at = answer.ends_call().then_some(now);
            let conversation = Conversation::new(decision.state, decision.memory);
            call(conversation, decision.outcome, answer, ended_at)
        }
    }
}
