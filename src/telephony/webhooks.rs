//! The Twilio endpoints. Each answers a live call, so none answers with a
//! 5xx or an empty body: failures are logged and become safe TwiML.

use std::time::Instant;

use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use tracing::Instrument;

use super::render;
use super::turn::{self, CallerEvent, IncomingCall};
use super::verified::VerifiedTwilio;
use crate::app::AppState;
use crate::calls::{self, StatusChange, status::CallStatus};
use crate::conversation::state::DialOutcome;
use crate::db;
use crate::error::ErrorChain;

/// The fields Frontdesk reads; Twilio sends many more, all accepted.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallForm {
    pub call_sid: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub call_status: String,
    pub speech_result: Option<String>,
    pub confidence: Option<String>,
    pub dial_call_status: Option<String>,
    pub call_duration: Option<String>,
}

/// `?turn=N` on action URLs: which turn the request answers.
#[derive(Debug, Deserialize)]
pub struct TurnParam {
    pub turn: Option<i32>,
}

/// Every log line of a webhook carries the call SID (never the numbers).
fn call_span(call_sid: &str) -> tracing::Span {
    tracing::info_span!("call", sid = %call_sid)
}

fn twiml(xml: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/xml; charset=utf-8")
        .body(xml)
}

fn safe_answer(
    result: Result<
        String,
        (
            turn::TurnError,
            Option<std::sync::Arc<crate::tenants::directory::TenantContext>>,
        ),
    >,
) -> HttpResponse {
    match result {
        Ok(xml) => twiml(xml),
        Err((err, ctx)) => {
            tracing::error!(error = ?ErrorChain(&err), "turn failed; answering with the fallback");
            twiml(render::fallback(ctx.as_deref()))
        }
    }
}

#[post("/twilio/voice")]
pub async fn voice(state: web::Data<AppState>, hook: VerifiedTwilio<CallForm>) -> HttpResponse {
    let started = Instant::now();
    let form = &hook.form;
    let span = call_span(&form.call_sid);
    let Some(owner) = hook.owner else {
        span.in_scope(|| tracing::info!("call to a number no tenant owns"));
        return twiml(render::not_in_service());
    };
    let status = if form.call_status.is_empty() {
        "ringing"
    } else {
        form.call_status.as_str()
    };
    let call = IncomingCall {
        call_sid: &form.call_sid,
        from: &form.from,
        to: &form.to,
        status,
    };
    async { safe_answer(turn::answer(&state, owner.tenant_id, call, started).await) }
        .instrument(span)
        .await
}

/// A gather or transfer-status turn, answered with safe TwiML whatever happens.
async fn conversational_turn(
    state: &AppState,
    call_sid: &str,
    turn: Option<i32>,
    event: CallerEvent,
    started: Instant,
) -> HttpResponse {
    async { safe_answer(turn::take_turn(state, call_sid, turn, event, started).await) }
        .instrument(call_span(call_sid))
        .await
}

#[post("/twilio/gather")]
pub async fn gather(
    state: web::Data<AppState>,
    hook: VerifiedTwilio<CallForm>,
    query: web::Query<TurnParam>,
) -> HttpResponse {
    let started = Instant::now();
    let form = hook.form;
    let event = match form.speech_result.filter(|s| !s.trim().is_empty()) {
        Some(text) => CallerEvent::Speech {
            text,
            confidence: form
                .confidence
                .and_then(|c| c.parse::<f64>().ok())
                .filter(|c| (0.0..=1.0).contains(c)),
        },
        None => CallerEvent::Silence,
    };
    conversational_turn(&state, &form.call_sid, query.turn, event, started).await
}

#[post("/twilio/transfer-status")]
pub async fn transfer_status(
    state: web::Data<AppState>,
    hook: VerifiedTwilio<CallForm>,
    query: web::Query<TurnParam>,
) -> HttpResponse {
    let started = Instant::now();
    let form = hook.form;
    let outcome = match form.dial_call_status.as_deref() {
        Some("completed" | "answered") => DialOutcome::Completed,
        Some("busy") => DialOutcome::Busy,
        Some("no-answer") => DialOutcome::NoAnswer,
        Some("canceled") => DialOutcome::Canceled,
        _ => DialOutcome::Failed,
    };
    let event = CallerEvent::DialEnded(outcome);
    conversational_turn(&state, &form.call_sid, query.turn, event, started).await
}

/// Call progress. Idempotent and order-tolerant: the status only moves
/// forward, and the first final status ends the call once.
#[post("/twilio/call-status")]
pub async fn call_status(
    state: web::Data<AppState>,
    hook: VerifiedTwilio<CallForm>,
) -> HttpResponse {
    let form = hook.form;
    let Some(status) = CallStatus::parse(&form.call_status) else {
        return HttpResponse::BadRequest()
            .content_type("text/plain")
            .body("unknown CallStatus");
    };
    let duration = form
        .call_duration
        .and_then(|d| d.parse::<i32>().ok())
        .filter(|d| *d >= 0);
    let span = call_span(&form.call_sid);
    let sid = form.call_sid.clone();
    if status.is_final() {
        state.active_calls.remove(&sid);
    }
    let change = db::run_write(&state.db, move |conn| {
        Ok::<_, db::DbError>(calls::apply_status(conn, &sid, status, duration)?)
    })
    .await;
    let _in_call = span.enter();
    match change {
        Ok(StatusChange::Finalized { .. }) => {
            tracing::info!(status = status.as_str(), "call ended")
        }
        Ok(StatusChange::UnknownCall) => tracing::warn!("status callback for an unknown call"),
        Ok(_) => {}
        Err(err) => {
            // Not a live caller: a 503 lets Twilio's retry policy try again.
            tracing::error!(error = ?ErrorChain(&err), "cannot record the call status");
            return HttpResponse::ServiceUnavailable().finish();
        }
    }
    HttpResponse::NoContent().finish()
}
