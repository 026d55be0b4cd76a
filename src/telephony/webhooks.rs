//! The Twilio endpoints: parse the verified form into the turn service's
//! terms, take the turn, render the answer as TwiML. Each answers a live
//! call, so none answers with a 5xx or an empty body: failures are logged and
//! become safe TwiML.

use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use tracing::Instrument;

use super::render;
use super::verified::VerifiedTwilio;
use crate::app::AppState;
use crate::calls::{CallKey, StatusChange, status::CallStatus};
use crate::conversation::state::DialOutcome;
use crate::error::ErrorChain;
use crate::receptionist::{self, CallerInput, TurnError};

/// The fields Frontdesk reads; Twilio sends many more, all accepted.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallForm {
    pub call_sid: String,
    #[serde(default)]
    pub from: String,
    pub to: Option<String>,
    #[serde(default)]
    pub call_status: String,
    pub speech_result: Option<String>,
    pub confidence: Option<String>,
    /// Keys pressed during a `<Gather>`, without the `#` that ended them.
    pub digits: Option<String>,
    pub dial_call_status: Option<String>,
    pub call_duration: Option<String>,
}

/// Keys kept from one `Digits`: longer than any phone number, and a
/// bound on what reaches the transcript.
const MAX_KEYS: usize = 32;

/// `?turn=N` on action URLs: which turn the request answers.
#[derive(Debug, Deserialize)]
pub struct TurnParam {
    pub turn: Option<i32>,
}

fn twiml(xml: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/xml; charset=utf-8")
        .body(xml)
}

/// The call a verified webhook is about: the signer's tenant, the SID and
/// the called number. No `To` is a malformed request (400); a number no
/// tenant owns gets the not-in-service message.
fn call_key(hook: &VerifiedTwilio<CallForm>) -> Result<CallKey, HttpResponse> {
    let Some(line) = hook.form.to.as_deref().filter(|to| !to.trim().is_empty()) else {
        return Err(HttpResponse::BadRequest()
            .content_type("text/plain; charset=utf-8")
            .body("missing To"));
    };
    let Some(owner) = &hook.owner else {
        tracing::info!(sid = %hook.form.call_sid, "call to a number no tenant owns");
        return Err(twiml(render::not_in_service()));
    };
    Ok(CallKey {
        tenant_id: owner.tenant_id,
        call_sid: hook.form.call_sid.clone(),
        line: line.to_owned(),
    })
}

/// Takes the turn and renders its answer, or the safe fallback.
async fn turn(
    state: &web::Data<AppState>,
    key: CallKey,
    turn: Option<i32>,
    input: CallerInput,
) -> HttpResponse {
    let span = tracing::info_span!("call", sid = %key.call_sid, tenant = key.tenant_id.0);
    async {
        match receptionist::take_turn(&state.clone().into_inner(), key, turn, input).await {
            Ok(turn) => twiml(render::answer(&turn.answer, &turn.tenant)),
            Err(failure) if matches!(failure.error, TurnError::UnknownCall) => {
                tracing::warn!("request for a call this tenant never answered");
                twiml(render::fallback(None))
            }
            Err(failure) => {
                tracing::error!(error = ?ErrorChain(&failure.error), "turn failed; answering with the fallback");
                twiml(render::fallback(failure.tenant.as_deref()))
            }
        }
    }
    .instrument(span)
    .await
}

#[post("/twilio/voice")]
pub async fn voice(state: web::Data<AppState>, hook: VerifiedTwilio<CallForm>) -> HttpResponse {
    let key = match call_key(&hook) {
        Ok(key) => key,
        Err(response) => return response,
    };
    let form = hook.form;
    let status = CallStatus::parse(&form.call_status).unwrap_or(CallStatus::Ringing);
    let input = CallerInput::Arrived {
        from: form.from,
        status,
        is_test: false,
    };
    turn(&state, key, None, input).await
}

#[post("/twilio/gather")]
pub async fn gather(
    state: web::Data<AppState>,
    hook: VerifiedTwilio<CallForm>,
    query: web::Query<TurnParam>,
) -> HttpResponse {
    let key = match call_key(&hook) {
        Ok(key) => key,
        Err(response) => return response,
    };
    turn(&state, key, query.turn, caller_input(hook.form)).await
}

/// After a filler's `<Redirect>`: the answer to what the caller said, once
/// the brain has worked it out.
#[post("/twilio/continue")]
pub async fn resume(
    state: web::Data<AppState>,
    hook: VerifiedTwilio<CallForm>,
    query: web::Query<TurnParam>,
) -> HttpResponse {
    let key = match call_key(&hook) {
        Ok(key) => key,
        Err(response) => return response,
    };
    turn(&state, key, query.turn, CallerInput::Continue).await
}

/// What a `<Gather>` heard: speech, else keys pressed, else silence.
fn caller_input(form: CallForm) -> CallerInput {
    let pressed = form
        .digits
        .map(|keys| {
            keys.chars()
                .filter(|c| c.is_ascii_digit() || matches!(c, '*' | '#'))
                .take(MAX_KEYS)
                .collect::<String>()
        })
        .filter(|keys| !keys.is_empty());
    match (form.speech_result.filter(|s| !s.trim().is_empty()), pressed) {
        (Some(text), _) => CallerInput::Speech {
            text,
            confidence: form
                .confidence
                .and_then(|c| c.parse::<f64>().ok())
                .filter(|c| (0.0..=1.0).contains(c)),
        },
        (None, Some(pressed)) => CallerInput::Keypad { pressed },
        (None, None) => CallerInput::Silence,
    }
}

fn dial_outcome(status: Option<&str>) -> DialOutcome {
    match status {
        Some("completed" | "answered") => DialOutcome::Completed,
        Some("busy") => DialOutcome::Busy,
        Some("no-answer") => DialOutcome::NoAnswer,
        Some("canceled") => DialOutcome::Canceled,
        _ => DialOutcome::Failed,
    }
}

#[post("/twilio/transfer-status")]
pub async fn transfer_status(
    state: web::Data<AppState>,
    hook: VerifiedTwilio<CallForm>,
    query: web::Query<TurnParam>,
) -> HttpResponse {
    let key = match call_key(&hook) {
        Ok(key) => key,
        Err(response) => return response,
    };
    let outcome = dial_outcome(hook.form.dial_call_status.as_deref());
    turn(&state, key, query.turn, CallerInput::DialEnded(outcome)).await
}

/// After the fallback's `<Dial>` (the database or the turn failed): answers
/// without touching the database, so it works while the failure lasts.
#[post("/twilio/fallback-status")]
pub async fn fallback_status(hook: VerifiedTwilio<CallForm>) -> HttpResponse {
    let connected = dial_outcome(hook.form.dial_call_status.as_deref()) == DialOutcome::Completed;
    twiml(render::after_fallback_dial(connected))
}

/// Call progress. Idempotent and order-tolerant: the status only moves
/// forward, and the first final status ends the call once.
#[post("/twilio/call-status")]
pub async fn call_status(
    state: web::Data<AppState>,
    hook: VerifiedTwilio<CallForm>,
) -> HttpResponse {
    let key = match call_key(&hook) {
        Ok(key) => key,
        // Not a live caller: no TwiML needed.
        Err(response) if response.status().is_client_error() => return response,
        Err(_) => return HttpResponse::NoContent().finish(),
    };
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
    let span = tracing::info_span!("call", sid = %key.call_sid, tenant = key.tenant_id.0);
    let change = receptionist::record_status(&state, key, status, duration).await;
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
