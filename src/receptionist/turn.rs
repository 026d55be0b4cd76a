//! A conversational turn (speech, silence, a transfer's end): load the call,
//! understand, decide, store, answer.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Answer, CallerInput, Turn, TurnError, TurnFailure, elapsed_ms, keypad, real_number};
use crate::ai::{Heard, RulesBrain};
use crate::app::AppState;
use crate::calls::PendingSpeech;
use crate::calls::columns::Json;
use crate::calls::usage::{self, usage_row};
use crate::calls::{self, Call, CallKey, Conversation, NewTurn, TurnUpdate};
use crate::conversation::interpretation::{Interpretation, LlmOutcome, LlmUse};
use crate::conversation::machine::step;
use crate::conversation::state::{CallMemory, CallState, DialOutcome, Event, Outcome, TurnContext};
use crate::db;
use crate::tenants::directory::TenantContext;

/// How long the brain may think about one utterance before the rules
/// brain's reading is used instead.
const BRAIN_BUDGET: Duration = Duration::from_secs(4);

pub(super) async fn converse(
    state: &Arc<AppState>,
    key: CallKey,
    turn: Option<i32>,
    input: CallerInput,
    started: Instant,
) -> Result<Turn, TurnFailure> {
    let cached = state.directory.cached_context(key.tenant_id);
    let fail = |error: TurnError| TurnFailure::new(error, cached.clone());
    // First from this instance's cache of active calls (no read), and once
    // more from the database if the cached row turns out to be stale. A
    // continuation always reads the database, where the pending speech is.
    let mut from_cache = turn
        .filter(|_| !matches!(input, CallerInput::Continue))
        .and_then(|t| {
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
        let written = match &input {
            CallerInput::Speech { text, confidence } if state.brain.filler_after().is_some() => {
                think(state, call, text, *confidence, &ctx, started).await
            }
            CallerInput::Continue => resume(state, call, &ctx, started).await,
            _ => {
                let (conversation, memory) = call.conversation();
                let (event, line) = understand(state, &input, &conversation, memory, &ctx).await;
                advance(state, call, event, line, &ctx, started).await
            }
        };
        match written.map_err(fail)? {
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

/// The caller's words and how sure speech recognition was.
type CallerLine = Option<(String, Option<f64>)>;

/// Understands speech with a brain that may be slow (an LLM), in a task of
/// its own: when it takes longer than the caller should wait in silence,
/// the caller hears a filler and the channel comes back for the answer
/// (`resume`), while the task finishes and stores the turn. The speech is
/// recorded with the call first, so any instance can answer the
/// continuation, and take the turn over should this one die.
async fn think(
    state: &Arc<AppState>,
    call: Call,
    text: &str,
    confidence: Option<f64>,
    ctx: &Arc<TenantContext>,
    started: Instant,
) -> Result<Written, TurnError> {
    let turn = call.turn_count;
    let language = call.conversation().1.language.clone();
    if call.pending.as_ref().is_some_and(|p| p.0.turn == turn) {
        // A retried request for speech already being worked on.
        return Ok(Written::Done(Answer::hold(turn, language)));
    }
    let wait = state.brain.filler_after().unwrap_or_default();
    let call_id = call.id;
    let mut task = tokio::spawn({
        let (state, ctx, input) = (
            state.clone(),
            ctx.clone(),
            CallerInput::Speech {
                text: text.to_owned(),
                confidence,
            },
        );
        async move {
            let (conversation, memory) = call.conversation();
            let (event, line) = understand(&state, &input, &conversation, memory, &ctx).await;
            advance(&state, call, event, line, &ctx, started).await
        }
    });
    if let Ok(done) = tokio::time::timeout(wait, &mut task).await {
        return done.map_err(|e| TurnError::Task(e.to_string()))?;
    }
    let pending = PendingSpeech {
        turn,
        text: text.to_owned(),
        confidence,
        since: crate::clock::now(),
    };
    let now = pending.since;
    let recorded = db::run_write(&state.db, move |conn| {
        Ok::<_, TurnError>(calls::set_pending(conn, call_id, turn, &pending, now)?)
    })
    .await?;
    if recorded {
        tracing::info!(turn, "the brain is slow; the caller hears a filler");
        return Ok(Written::Done(Answer::hold(turn, language)));
    }
    // The turn was stored meanwhile (by the task, most likely): its answer.
    task.await.map_err(|e| TurnError::Task(e.to_string()))?
}

/// How often a continuation looks for the answer another request is
/// working out, and how long past the brain's budget it waits before it
/// takes the turn over (the instance working on it died).
const RESUME_POLL: Duration = Duration::from_millis(50);
const RESUME_GRACE: Duration = Duration::from_millis(1500);

/// The answer of a turn that was given a filler: stored by the task that
/// works it out (on any instance), or worked out here with the rules brain
/// when that task has not stored it in time.
async fn resume(
    state: &Arc<AppState>,
    call: Call,
    ctx: &Arc<TenantContext>,
    started: Instant,
) -> Result<Written, TurnError> {
    let Some(Json(pending)) = call.pending.clone() else {
        // Nothing is pending: ask again what was asked.
        return Ok(Written::Done(match call.last_reply {
            Some(Json(answer)) => answer,
            None => goodbye(ctx, call.turn_count),
        }));
    };
    let budget = brain_budget(state) + RESUME_GRACE;
    let deadline = pending.since
        + chrono::Duration::from_std(budget).unwrap_or_else(|_| chrono::Duration::seconds(6));
    let key = CallKey {
        tenant_id: call.tenant_id,
        call_sid: call.call_sid.clone(),
        line: call.to_number.clone(),
    };
    loop {
        if crate::clock::now() >= deadline {
            tracing::warn!(
                turn = pending.turn,
                "no answer was stored in time; taking the turn over with the rules"
            );
            let (conversation, memory) = call.conversation();
            let heard = heard(&pending.text, &conversation, memory, ctx);
            let event = Event::Speech(RulesBrain::hear(heard));
            let line = Some((pending.text.clone(), pending.confidence));
            return advance(state, call, event, line, ctx, started).await;
        }
        tokio::time::sleep(RESUME_POLL).await;
        let (current, _) = load(state, &key).await?;
        if current.turn_count != pending.turn || current.is_over() {
            return Ok(Written::Done(match current.last_reply {
                Some(Json(answer)) if !current.is_over() => answer,
                _ => goodbye(ctx, current.turn_count),
            }));
        }
    }
}

/// Decides and stores the turn for what was understood.
async fn advance(
    state: &AppState,
    call: Call,
    event: Event,
    caller_line: CallerLine,
    ctx: &Arc<TenantContext>,
    started: Instant,
) -> Result<Written, TurnError> {
    let now = crate::clock::now();
    let (conversation_state, memory) = call.conversation();
    let caller_number = real_number(&call.from_number);
    let llm = match &event {
        Event::Speech(interpretation) => interpretation.llm.clone(),
        _ => None,
    };
    let turn_ctx = TurnContext {
        profile: &ctx.profile,
        open_now: ctx.is_open(now),
        local_time: ctx.local_time(now),
        caller_number: caller_number.as_deref(),
        turn: u32::try_from(call.turn_count + 1).unwrap_or(u32::MAX),
        elapsed_seconds: u32::try_from((now - call.started_at).num_seconds().max(0))
            .unwrap_or(u32::MAX),
    };
    let mut decision = step(&conversation_state, memory, &event, &turn_ctx);
    let next_turn = call.turn_count + 1;
    let answer = Answer::deciding(&decision, next_turn, caller_number);
    if state.brain.filler_after().is_some() {
        let said = answer.spoken();
        let heard = caller_line.as_ref().map(|(text, _)| text.as_str());
        decision.memory.remember(heard, said.as_deref());
    }
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
        // The LLM's cost is written with the turn; a turn another request
        // took meanwhile still spent its tokens, so they are kept alone.
        let usage = llm.as_ref().map(|used| {
            usage_row(
                call.tenant_id,
                Some(call.id),
                Some(next_turn * 2 - 1),
                "turn",
                used,
            )
        });
        let update = TurnUpdate {
            call: &call,
            conversation: &advanced.memory.0,
            outcome,
            answer: &answer,
            turns,
            save_lead,
            llm_usage: usage,
        };
        let stored = calls::record_turn(conn, &update, now)?;
        if !stored && let Some(usage) = &usage {
            usage::record(conn, usage, now)?;
        }
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

/// How long the brain may think about one utterance before the rules
/// brain's reading is used instead.
fn brain_budget(state: &AppState) -> Duration {
    state
        .config
        .llm
        .as_ref()
        .map_or(BRAIN_BUDGET, |llm| llm.timeout)
}

/// What a brain is given to understand `text` at this point of the call.
fn heard<'a>(
    text: &'a str,
    conversation: &CallState,
    memory: &'a CallMemory,
    ctx: &'a TenantContext,
) -> Heard<'a> {
    let now = crate::clock::now();
    Heard {
        text,
        expecting: conversation.expecting(),
        profile: &ctx.profile,
        knowledge: &ctx.knowledge,
        country_code: ctx.country_code,
        lead: &memory.lead,
        topic: memory.last_topic,
        local_time: ctx.local_time(now),
        open_now: ctx.is_open(now),
        recent: &memory.recent,
        model: ctx.llm_model.as_deref(),
    }
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
) -> (Event, CallerLine) {
    match input {
        CallerInput::Speech { text, confidence } => {
            let heard = heard(text, conversation, memory, ctx);
            let brain = state.brain.as_ref();
            let started = Instant::now();
            let failed = |outcome: LlmOutcome| {
                brain.model(heard.model).map(|model| LlmUse {
                    model: model.to_owned(),
                    prompt_tokens: 0,
                    completion_tokens: 0,
                    latency_ms: u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX),
                    outcome,
                })
            };
            let interpretation = match tokio::time::timeout(
                brain_budget(state),
                brain.interpret(heard),
            )
            .await
            {
                Ok(Ok(interpretation)) => interpretation,
                Ok(Err(error)) => {
                    tracing::warn!(brain = brain.name(), %error, "brain failed; using the rules");
                    Interpretation {
                        llm: failed(LlmOutcome::Error),
                        ..RulesBrain::hear(heard)
                    }
                }
                Err(_) => {
                    tracing::warn!(brain = brain.name(), "brain too slow; using the rules");
                    Interpretation {
                        llm: failed(LlmOutcome::Timeout),
                        ..RulesBrain::hear(heard)
                    }
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
        // Handled by `resume`; never understood as words.
        CallerInput::Continue => (Event::Silence, None),
    }
}
