//! One turn of a call, shaped as DESIGN.md's turn loop: load the call and
//! its tenant in one read, understand, decide (pure), persist in one
//! transaction, render.

use std::sync::Arc;
use std::time::Instant;

use super::render;
use crate::ai::rules;
use crate::app::AppState;
use crate::calls::{self, Admission, Call, NewCall, NewTurn, TurnUpdate};
use crate::conversation::machine::step;
use crate::conversation::state::{
    CallMemory, CallState, Decision, DialOutcome, Event, Outcome, Reply, StateName, TurnContext,
};
use crate::db::{self, DbError};
use crate::ids::TenantId;
use crate::tenants::directory::TenantContext;

/// What arrived from the caller's side this turn.
pub enum CallerEvent {
    Speech {
        text: String,
        confidence: Option<f64>,
    },
    Silence,
    DialEnded(DialOutcome),
}

/// The failure of a turn; the handler answers safe TwiML for it.
#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for TurnError {
    fn from(err: diesel::result::Error) -> Self {
        TurnError::Database(DbError::Query(err))
    }
}

/// The fields of the first webhook of a call.
pub struct IncomingCall<'a> {
    pub call_sid: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub status: &'a str,
}

/// `/twilio/voice`: admit (or refuse) the call and greet the caller.
pub async fn answer(
    state: &AppState,
    tenant_id: TenantId,
    call: IncomingCall<'_>,
    started: Instant,
) -> Result<String, (TurnError, Option<Arc<TenantContext>>)> {
    let now = crate::clock::now();
    let admission = {
        let (sid, from) = (call.call_sid.to_owned(), call.from.to_owned());
        // Calls are capped at two hours (the tenant file's maximum), so an
        // older call without a final status no longer counts as active.
        let longest = chrono::Duration::hours(2);
        db::run(&state.db, move |conn| {
            Ok::<_, TurnError>(calls::admission(
                conn, tenant_id, &sid, &from, now, longest,
            )?)
        })
        .await
        .map_err(|e| (e, None))?
    };
    let ctx = state
        .directory
        .context(&state.db, tenant_id, admission.config_version)
        .await
        .map_err(|e| (e.into(), None))?;
    let fail = |e: TurnError| (e, Some(ctx.clone()));
    if let Some(reply) = admission.existing_reply {
        return Ok(reply);
    }
    let caller_number = real_number(call.from);
    let refusal = refusal(&admission, &ctx, caller_number.is_some());
    let (xml, state_name, memory, outcome, ended_at, spoken) = match refusal {
        Some(Refusal::Reject) => {
            tracing::info!(tenant = %ctx.slug, "refused a blocked, withheld or rate-limited caller");
            (
                render::reject(),
                StateName::Ended,
                CallMemory::default(),
                Some(Outcome::SpamBlocked),
                Some(now),
                None,
            )
        }
        Some(Refusal::Busy) => {
            tracing::info!(tenant = %ctx.slug, active = admission.active_calls, "all lines busy");
            let xml = render::busy(&ctx);
            let busy_message = spoken_words(&xml);
            (
                xml,
                StateName::Ended,
                CallMemory::default(),
                Some(Outcome::Abandoned),
                Some(now),
                Some(busy_message),
            )
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
            let xml = render::decision(&decision, &ctx, 0, caller_number.as_deref());
            let text = spoken_text(&decision);
            (
                xml,
                decision.state.name(),
                decision.memory,
                decision.outcome,
                None,
                Some(text),
            )
        }
    };
    let latency_ms = elapsed_ms(started);
    let new_call = NewCall {
        tenant_id,
        call_sid: call.call_sid.to_owned(),
        from: call.from.to_owned(),
        to: call.to.to_owned(),
        status: call.status.to_owned(),
        state: state_name,
        memory,
        outcome,
        last_reply: xml.clone(),
        started_at: now,
        ended_at,
        greeting: spoken.map(|text| NewTurn {
            seq: 0,
            speaker: "receptionist",
            text,
            confidence: None,
            state: state_name,
            latency_ms: Some(latency_ms),
        }),
    };
    let inserted = db::run_write(&state.db, move |conn| {
        match calls::insert_call(conn, &new_call)? {
            Some(id) => Ok::<_, TurnError>(Ok(new_call.as_row(id))),
            // A concurrent retry answered first: give the same answer.
            None => Ok(Err(
                calls::load_for_turn(conn, &new_call.call_sid)?.and_then(|(c, _)| c.last_reply)
            )),
        }
    })
    .await
    .map_err(fail)?;
    match inserted {
        Ok(row) => {
            if refusal.is_none() {
                state.active_calls.put(row, admission.config_version);
            }
            Ok(xml)
        }
        Err(previous) => Ok(previous.unwrap_or(xml)),
    }
}

enum Refusal {
    Reject,
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

/// `/twilio/gather` and `/twilio/transfer-status`: one conversational turn.
/// `turn` is the turn number the action URL carried (None for old links).
pub async fn take_turn(
    state: &AppState,
    call_sid: &str,
    turn: Option<i32>,
    event: CallerEvent,
    started: Instant,
) -> Result<String, (TurnError, Option<Arc<TenantContext>>)> {
    // First from this instance's cache of active calls (no read), and once
    // more from the database if the cached row turns out to be stale.
    let cached = turn.and_then(|t| {
        state
            .active_calls
            .get(call_sid)
            .filter(|(call, _)| call.turn_count == t)
    });
    let (call, version, from_cache) = match cached {
        Some((call, version)) => (call, version, true),
        None => {
            let sid = call_sid.to_owned();
            let loaded = db::run(&state.db, move |conn| {
                Ok::<_, TurnError>(calls::load_for_turn(conn, &sid)?)
            })
            .await
            .map_err(|e| (e, None))?;
            let Some((call, version)) = loaded else {
                tracing::warn!("turn for a call that was never answered here");
                return Ok(render::fallback(None));
            };
            (call, version, false)
        }
    };
    let ctx = state
        .directory
        .context(&state.db, call.tenant_id, version)
        .await
        .map_err(|e| (e.into(), None))?;
    let fail = |e: TurnError| (e, Some(ctx.clone()));

    if turn.is_some_and(|t| t != call.turn_count) {
        // A retried or stale webhook: the answer it is waiting for was sent.
        return Ok(call
            .last_reply
            .clone()
            .unwrap_or_else(|| render::goodbye(&ctx)));
    }
    if call.state() == StateName::Ended || call.status().is_some_and(|s| s.is_final()) {
        if matches!(event, CallerEvent::DialEnded(DialOutcome::Completed)) {
            // Twilio may report the bridged transfer after the call's final
            // status: the call was put through, whatever the order.
            let call_id = call.id;
            db::run_write(&state.db, move |conn| {
                Ok::<_, TurnError>(calls::record_late_transfer(conn, call_id)?)
            })
            .await
            .map_err(fail)?;
        }
        return Ok(render::goodbye(&ctx));
    }
    let now = crate::clock::now();
    let memory = call.memory();
    let caller_number = real_number(&call.from_number);
    let call_state = CallState::from_name(call.state());
    let (machine_event, caller_turn) = understand(&event, &call_state, &ctx);
    let turn_ctx = TurnContext {
        profile: &ctx.profile,
        open_now: ctx.is_open(now),
        caller_number: caller_number.as_deref(),
        turn: u32::try_from(call.turn_count + 1).unwrap_or(u32::MAX),
        elapsed_seconds: u32::try_from((now - call.started_at).num_seconds().max(0))
            .unwrap_or(u32::MAX),
    };
    let decision = step(&call_state, &memory, &machine_event, &turn_ctx);
    let next_turn = call.turn_count + 1;
    let xml = render::decision(&decision, &ctx, next_turn, caller_number.as_deref());

    let mut turns = Vec::with_capacity(2);
    if let Some((text, confidence, state_before)) = caller_turn {
        turns.push(NewTurn {
            seq: next_turn * 2 - 1,
            speaker: "caller",
            text,
            confidence,
            state: state_before,
            latency_ms: None,
        });
    }
    turns.push(NewTurn {
        seq: next_turn * 2,
        speaker: "receptionist",
        text: spoken_text(&decision),
        confidence: None,
        state: decision.state.name(),
        latency_ms: Some(elapsed_ms(started)),
    });
    let outcome = Outcome::merge(
        call.outcome.as_deref().and_then(Outcome::parse),
        decision.outcome,
    );
    let memory_json = serde_json::to_string(&decision.memory).unwrap_or_else(|_| "{}".into());
    let advanced = Call {
        state: decision.state.name().as_str().to_owned(),
        memory: memory_json,
        outcome: outcome.map(|o| o.as_str().to_owned()),
        turn_count: next_turn,
        last_reply: Some(xml),
        ..call.clone()
    };
    let written = db::run_write(&state.db, move |conn| {
        let update = TurnUpdate {
            call: &call,
            state: decision.state.name(),
            memory: &decision.memory,
            memory_json: &advanced.memory,
            outcome,
            last_reply: advanced.last_reply.as_deref().unwrap_or_default(),
            turns,
            save_lead: decision.save_lead,
        };
        if calls::record_turn(conn, &update)? {
            return Ok::<_, TurnError>(Written::Done(advanced));
        }
        if from_cache {
            return Ok(Written::Stale);
        }
        // Another request for the same turn won the race (answer as it did),
        // or the call ended meanwhile (say goodbye).
        Ok(Written::Lost(
            match calls::load_for_turn(conn, &update.call.call_sid)? {
                Some((current, _)) if current.state() != StateName::Ended => current.last_reply,
                _ => None,
            },
        ))
    })
    .await
    .map_err(fail)?;
    match written {
        Written::Done(advanced) => {
            let xml = advanced.last_reply.clone().unwrap_or_default();
            state.active_calls.put(advanced, version);
            Ok(xml)
        }
        Written::Stale => {
            state.active_calls.remove(call_sid);
            Box::pin(take_turn(state, call_sid, turn, event, started)).await
        }
        Written::Lost(Some(previous)) => Ok(previous),
        Written::Lost(None) => Ok(render::goodbye(&ctx)),
    }
}

/// How writing a turn went.
enum Written {
    /// Stored; the call as it now is.
    Done(Call),
    /// The cached row was out of date; redo the turn from the database.
    Stale,
    /// Another request got there first; its answer, if the call goes on.
    Lost(Option<String>),
}

/// Turns what arrived into the state machine's event, and the caller's line
/// for the transcript.
fn understand(
    event: &CallerEvent,
    state: &CallState,
    ctx: &TenantContext,
) -> (Event, Option<(String, Option<f64>, StateName)>) {
    match event {
        CallerEvent::Speech { text, confidence } => {
            let interpretation = rules::interpret(
                text,
                state.expecting(),
                &ctx.profile,
                &ctx.knowledge,
                ctx.country_code,
            );
            let line = interpretation.text.clone();
            (
                Event::Speech(interpretation),
                Some((line, *confidence, state.name())),
            )
        }
        CallerEvent::Silence => (Event::Silence, None),
        CallerEvent::DialEnded(outcome) => (Event::TransferEnded(*outcome), None),
    }
}

/// What the receptionist said, for the transcript.
fn spoken_text(decision: &Decision) -> String {
    match &decision.reply {
        Reply::Ask { say } | Reply::Hangup { say } | Reply::Transfer { say, .. } => say.join(" "),
    }
}

/// The text of the `<Say>` verbs of a fixed answer, for the transcript.
fn spoken_words(xml: &str) -> String {
    roxmltree::Document::parse(xml)
        .map(|doc| {
            doc.descendants()
                .filter(|n| n.has_tag_name("Say"))
                .filter_map(|n| n.text())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

/// The caller's number when it is a dialable E.164 number (not `anonymous`,
/// `restricted`, a SIP URI or empty).
pub fn real_number(from: &str) -> Option<String> {
    crate::tenants::file::is_e164(from).then(|| from.to_owned())
}

fn elapsed_ms(started: Instant) -> i32 {
    i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX)
}
