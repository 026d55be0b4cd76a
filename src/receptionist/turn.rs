//! A conversational turn (speech, silence, a transfer's end): load the call,
//! understand, decide, store, answer.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Answer, CallerInput, Turn, TurnError, TurnFailure, elapsed_ms, keypad, real_number};
use crate::ai::{Heard, RulesBrain};
use crate::app::AppState;
use crate::calls::columns::Json;
use crate::calls::{self, Call, CallKey, Conversation, NewTurn, TurnUpdate};
use crate::conversation::machine::step;
use crate::conversation::state::{CallMemory, CallState, DialOutcome, Event, Outcome, TurnContext};
use crate::db;
use crate::tenants::directory::TenantContext;

/// How long the brain may think about one utterance before the rules
/// brain's reading is used instead.
const BRAIN_BUDGET: Duration = Duration::from_secs(4);

pub(super) async fn converse(
    state: &AppState,
    key: CallKey,
    turn: Option<i32>,
    input: CallerInput,
    started: Instant,
) -> Result<Turn, TurnFailure> {
    let cached = state.directory.cached_context(key.tenant_id);
    let fail = |error: TurnError| TurnFailure::new(error, cached.clone());
    // First from this instance's cache of active calls (no read), and once
    // more from the database if the cached row turns out to be stale.
    let mut from_cache = turn.and_then(|t| {
        state
            .active_calls
            .get(&key)
            .filter(|(call, _)| call.turn_count == t)
    });
    loop {
        let using_cache = from_cache.is_some();
        let (call, version) = match from_cache.take() {
            Some(entry) => entry,
            None => load(state, &key).await.map_err(fail)?,
        };
        let ctx = state
            .directory
            .context(&state.db, key.tenant_id, version)
            .await
            .map_err(|e| fail(e.into()))?;
        let fail = |error: TurnError| TurnFailure::new(error, Some(ctx.clone()));
        if let Some(answer) = settled(state, &call, turn, &input, &ctx)
            .await
            .map_err(fail)?
        {
            return Ok(Turn {
                answer,
                tenant: ctx,
            });
        }
        match advance(state, call, &input, &ctx, started)
            .await
            .map_err(fail)?
        {
            Written::Done(answer) => {
                return Ok(Turn {
                    answer,
                    tenant: ctx,
                });
            }
            // The cached row was out of date: redo the turn from the database.
            Written::Stale if using_cache => state.active_calls.remove(&key.call_sid),
            Written::Stale => {
                return Ok(Turn {
                    answer: previous_or_goodbye(state, &key, &ctx).await.map_err(fail)?,
                    tenant: ctx,
                });
            }
        }
    }
}

async fn load(state: &AppState, key: &CallKey) -> Result<(Call, i64), TurnError> {
    let key = key.clone();
    db::run(&state.db, move |conn| {
        Ok::<_, TurnError>(calls::load_for_turn(conn, &key)?)
    })
    .await?
    .ok_or(TurnError::UnknownCall)
}

/// The answer when nothing new is to be decided: a retried request (the
/// answer it is waiting for was given), or a call that is already over.
async fn settled(
    state: &AppState,
    call: &Call,
    turn: Option<i32>,
    input: &CallerInput,
    ctx: &TenantContext,
) -> Result<Option<Answer>, TurnError> {
    if turn.is_some_and(|t| t != call.turn_count)
        && let Some(Json(answer)) = &call.last_reply
    {
        return Ok(Some(answer.clone()));
    }
    if !call.is_over() {
        return Ok(None);
    }
    if matches!(input, CallerInput::DialEnded(DialOutcome::Completed)) {
        // Twilio may report the bridged transfer after the call's final
        // status: the call was put through, whatever the order.
        let call_id = call.id;
        db::run_write(&state.db, move |conn| {
            Ok::<_, TurnError>(calls::record_late_transfer(conn, call_id)?)
        })
        .await?;
    }
    Ok(Some(goodbye(ctx, call.turn_count)))
}

fn goodbye(ctx: &TenantContext, turn: i32) -> Answer {
    let name = ctx.profile.name.trim();
    let say = match name {
        "" => "Thank you for calling. Goodbye.".to_owned(),
        name => format!("Thank you for calling {name}. Goodbye."),
    };
    Answer::hang_up(say, turn)
}

/// How writing a turn went.
enum Written {
    /// Stored; the answer to give.
    Done(Answer),
    /// Another request advanced or ended the call since it was read.
    Stale,
}

/// Understands the input, decides and stores the turn.
async fn advance(
    state: &AppState,
    call: Call,
    input: &CallerInput,
    ctx: &Arc<TenantContext>,
    started: Instant,
) -> Result<Written, TurnError> {
    let now = crate::clock::now();
    let (conversation_state, memory) = call.conversation();
    let caller_number = real_number(&call.from_number);
    let (event, caller_line) = understand(state, input, &conversation_state, memory, ctx).await;
    let turn_ctx = TurnContext {
        profile: &ctx.profile,
        open_now: ctx.is_open(now),
        local_time: ctx.local_time(now),
        caller_number: caller_number.as_deref(),
        turn: u32::try_from(call.turn_count + 1).unwrap_or(u32::MAX),
        elapsed_seconds: u32::try_from((now - call.started_at).num_seconds().max(0))
            .unwrap_or(u32::MAX),
    };
    let decision = step(&conversation_state, memory, &event, &turn_ctx);
    let next_turn = call.turn_count + 1;
    let answer = Answer::deciding(&decision, next_turn, caller_number);
    let mut turns = Vec::with_capacity(2);
    if let Some((text, confidence)) = caller_line {
        turns.push(NewTurn {
            seq: next_turn * 2 - 1,
            speaker: "caller",
            text,
            confidence,
            state: call.state,
            latency_ms: None,
        });
    }
    turns.push(NewTurn {
        seq: next_turn * 2,
        speaker: "receptionist",
        text: answer.spoken().unwrap_or_default(),
        confidence: None,
        state: decision.state.name(),
        latency_ms: Some(elapsed_ms(started)),
    });
    let outcome = Outcome::merge(call.outcome, decision.outcome);
    let conversation = Conversation::new(decision.state, decision.memory);
    let advanced = Call {
        state: conversation.name(),
        memory: Json(conversation),
        outcome,
        turn_count: next_turn,
        last_reply: Some(Json(answer.clone())),
        ended_at: answer.ends_call().then_some(now),
        pending: None,
        ..call.clone()
    };
    let save_lead = decision.save_lead;
    let written = db::run_write(&state.db, move |conn| {
        let update = TurnUpdate {
            call: &call,
            conversation: &advanced.memory.0,
            outcome,
            answer: &answer,
            turns,
            save_lead,
        };
        let stored = calls::record_turn(conn, &update, now)?;
        Ok::<_, TurnError>(stored.then_some((advanced, answer)))
    })
    .await?;
    let Some((advanced, answer)) = written else {
        return Ok(Written::Stale);
    };
    if advanced.ended_at.is_some() {
        state.active_calls.remove(&advanced.call_sid);
    } else {
        state.active_calls.put(advanced, ctx.config_version);
    }
    Ok(Written::Done(answer))
}

/// Another request for the same turn won the race: answer as it did, or
/// say goodbye when the call ended meanwhile.
async fn previous_or_goodbye(
    state: &AppState,
    key: &CallKey,
    ctx: &TenantContext,
) -> Result<Answer, TurnError> {
    let (current, _) = load(state, key).await?;
    Ok(match current.last_reply {
        Some(Json(answer)) if !current.is_over() => answer,
        _ => goodbye(ctx, current.turn_count),
    })
}

/// The state machine's event for what arrived, and the caller's line for
/// the transcript. The brain reads speech under a time budget; when it fails
/// or is too slow, the rules brain's reading is used.
async fn understand(
    state: &AppState,
    input: &CallerInput,
    conversation: &CallState,
    memory: &CallMemory,
    ctx: &TenantContext,
) -> (Event, Option<(String, Option<f64>)>) {
    match input {
        CallerInput::Speech { text, confidence } => {
            let heard = Heard {
                text,
                expecting: conversation.expecting(),
                profile: &ctx.profile,
                knowledge: &ctx.knowledge,
                country_code: ctx.country_code,
                lead: &memory.lead,
                topic: memory.last_topic,
            };
            let brain = state.brain.as_ref();
            let interpretation = match tokio::time::timeout(BRAIN_BUDGET, brain.interpret(heard))
                .await
            {
                Ok(Ok(interpretation)) => interpretation,
                Ok(Err(error)) => {
                    tracing::warn!(brain = brain.name(), %error, "brain failed; using the rules");
                    RulesBrain::hear(heard)
                }
                Err(_) => {
                    tracing::warn!(brain = brain.name(), "brain too slow; using the rules");
                    RulesBrain::hear(heard)
                }
            };
            let line = interpretation.text.clone();
            (Event::Speech(interpretation), Some((line, *confidence)))
        }
        CallerInput::Keypad { pressed } => {
            let heard = keypad::interpret(pressed, conversation.expecting(), ctx.country_code);
            let line = keypad::transcript_line(pressed);
            (Event::Speech(heard), Some((line, None)))
        }
        CallerInput::Silence => (Event::Silence, None),
        CallerInput::DialEnded(outcome) => (Event::TransferEnded(*outcome), None),
        // A repeated first request for a call already answered.
        CallerInput::Arrived { .. } => (Event::CallStarted, None),
    }
}
