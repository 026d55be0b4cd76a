//! GET /test-call/{id}: the test call so far, as a conversation, and where
//! it is now: what the receptionist listens for (with the box to answer
//! in), whom it would put the caller through to (with how that went), or
//! how it ended and what it left (the message, now a lead). Its forms:
//! POST `say` (a line, or silence), `transfer` (how the ringing ended) and
//! `end` (hang up); each goes back to the page (303), so a reload sends
//! nothing again, and a form from a page the call has moved on from sends
//! nothing at all (it names the turn it answers).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{back_with, call_id, failed, href};
use crate::app::AppState;
use crate::calls::detail::CallDetail;
use crate::calls::pages::OutcomeBadge;
use crate::calls::pages::detail::{Bubble, bubble, state_label};
use crate::conversation::state::DialOutcome;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::ids::CallId;
use crate::leads::pages::LeadView;
use crate::test_call::view::{Dialling, Ending, Listening, Now};
use crate::test_call::{self, Sent, TestCallError};
use crate::web::csrf::CsrfForm;
use crate::web::errors;
use crate::web::format;
use crate::web::guard::TenantAdmin;
use crate::web::layout::{Nav, Page, render};
use crate::web::login::{NoFields, see_other};
use crate::web::session;

/// The longest line a caller says at once, in characters.
pub const MAX_LINE_CHARS: usize = 500;

pub const NOTHING_TYPED: &str = "Type what the caller says, or choose \u{201c}Say nothing\u{201d}.";
pub const TOO_LONG: &str = "That is more than a caller says at once: keep it under 500 characters.";
pub const MOVED_ON: &str = "The call had moved on since that page was shown, so nothing was sent: here is where it is now.";
pub const ALREADY_OVER: &str = "The call is over, so nothing was sent.";
pub const NOT_DIALLING: &str = "Nothing is ringing now, so there is no transfer to answer.";
pub const HUNG_UP: &str = "You hung up. The call is ended as a phone call is: its summary, and the email of any message left, are on their way.";
pub const ENDED_ALREADY: &str = "The call had already ended.";

#[derive(Template)]
#[template(path = "dashboard/test_call_conversation.html")]
struct ConversationPage {
    page: Page,
    id: i64,
    caller: String,
    line: String,
    started: String,
    outcome: OutcomeBadge,
    /// Where the conversation is, in an owner's words.
    state: &'static str,
    transcript: Vec<Bubble>,
    listening: Option<Listening>,
    dialling: Option<Dialling>,
    /// How the call ended, once it did.
    ending: Option<&'static str>,
    /// The end was recorded: the after-call work is under way.
    finished: bool,
    lead: Option<LeadView>,
    /// The turn the forms answer.
    turn: i32,
    /// The line as typed, when it is shown again with `error`.
    typed: String,
    error: Option<&'static str>,
    /// The business's language (BCP-47), for the browser's speech.
    language: String,
}

/// How an owner reads the end of a test call.
fn ending_words(ending: Ending) -> &'static str {
    match ending {
        Ending::Refused => {
            "Your receptionist refused this call unanswered, as it would on the phone: the caller's number is blocked, or withheld while your business does not take withheld numbers."
        }
        Ending::ReceptionistHungUp => "Your receptionist said goodbye and hung up.",
        Ending::CallerHungUp => "You hung up.",
    }
}

/// A line typed again with what is wrong with it.
struct Typed {
    text: String,
    error: &'static str,
}

/// Renders the tenant's test call `id` (`None`: the 404 page).
async fn conversation_page(
    admin: &TenantAdmin,
    session: &Session,
    state: &AppState,
    id: CallId,
    typed: Option<Typed>,
) -> Result<HttpResponse, AppError> {
    let tenant = admin.tenant_id;
    let found = db::run(&state.db, move |conn| {
        let Some(call) = crate::test_call::store::find(conn, tenant, id)? else {
            return Ok::<_, DbError>(None);
        };
        let detail = CallDetail::load(conn, tenant, id)?;
        Ok(detail.map(|detail| (call, detail)))
    })
    .await?;
    let Some((call, detail)) = found else {
        return Ok(errors::not_found_page());
    };
    let ctx = state
        .directory
        .context(&state.db, tenant, call.config_version)
        .await?;
    let tz = admin.timezone;
    let now = Now::of(&call, &ctx.profile);
    let title = format!("Test call · {}", admin.tenant_name);
    let status = match typed {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let (typed, error) = typed.map_or((String::new(), None), |t| (t.text, Some(t.error)));
    let info = &detail.call;
    let mut response = render(&ConversationPage {
        page: Page::tenant(admin, &title, Nav::TestCall).with_flash(session::take_flash(session)),
        id: info.id.0,
        caller: call.from_number.clone(),
        line: info.to_number.clone(),
        started: format::long_time(tz, info.started_at),
        outcome: OutcomeBadge::of(info.outcome),
        state: state_label(info.state),
        transcript: detail.transcript.iter().map(|t| bubble(t, tz)).collect(),
        listening: match &now {
            Now::Listening(listening) => Some(listening.clone()),
            _ => None,
        },
        dialling: match &now {
            Now::Dialling(dialling) => Some(dialling.clone()),
            _ => None,
        },
        ending: match now {
            Now::Over(ending) => Some(ending_words(ending)),
            _ => None,
        },
        finished: call.finished,
        lead: detail.lead.as_ref().map(|lead| LeadView::new(lead, tz)),
        turn: call.turn,
        typed,
        error,
        language: ctx.language.clone(),
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// GET /test-call/{id}; another tenant's call, or a phone call, is the 404
/// page.
pub async fn show(
    admin: TenantAdmin,
    session: Session,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Some(id) = call_id(&path) else {
        return Ok(errors::not_found_page());
    };
    conversation_page(&admin, &session, &state, id, None).await
}

#[derive(Deserialize)]
pub struct SayForm {
    text: Option<String>,
    /// Present when "Say nothing" was pressed.
    silence: Option<String>,
    turn: String,
}

/// POST /test-call/{id}/say: the caller's line (or silence).
pub async fn say(
    admin: TenantAdmin,
    session: Session,
    path: web::Path<String>,
    state: web::Data<AppState>,
    form: CsrfForm<SayForm>,
) -> Result<HttpResponse, AppError> {
    let Some(id) = call_id(&path) else {
        return Ok(errors::not_found_page());
    };
    let form = form.into_inner();
    let Ok(turn) = form.turn.trim().parse::<i32>() else {
        return Ok(unreadable());
    };
    let typed = form.text.unwrap_or_default();
    let text = match (form.silence.is_some(), typed.trim()) {
        (true, _) => None,
        (false, "") => {
            let typed = Typed {
                text: typed,
                error: NOTHING_TYPED,
            };
            return conversation_page(&admin, &session, &state, id, Some(typed)).await;
        }
        (false, line) if line.chars().count() > MAX_LINE_CHARS => {
            let typed = Typed {
                text: typed,
                error: TOO_LONG,
            };
            return conversation_page(&admin, &session, &state, id, Some(typed)).await;
        }
        (false, line) => Some(line.to_owned()),
    };
    let sent = test_call::say(&state.clone().into_inner(), admin.tenant_id, id, turn, text).await;
    answered(&session, id, sent)
}

#[derive(Deserialize)]
pub struct TransferForm {
    /// `answered`, `busy` or `no-answer`.
    result: String,
    turn: String,
}

/// How the owner says the ringing ended, as Twilio's `DialCallStatus`.
fn dial_outcome(result: &str) -> Option<DialOutcome> {
    match result {
        "answered" => Some(DialOutcome::Completed),
        "busy" => Some(DialOutcome::Busy),
        "no-answer" => Some(DialOutcome::NoAnswer),
        _ => None,
    }
}

/// POST /test-call/{id}/transfer: how the transfer the receptionist
/// started went (nothing was dialled).
pub async fn transfer(
    admin: TenantAdmin,
    session: Session,
    path: web::Path<String>,
    state: web::Data<AppState>,
    form: CsrfForm<TransferForm>,
) -> Result<HttpResponse, AppError> {
    let Some(id) = call_id(&path) else {
        return Ok(errors::not_found_page());
    };
    let form = form.into_inner();
    let (Ok(turn), Some(outcome)) = (form.turn.trim().parse::<i32>(), dial_outcome(&form.result))
    else {
        return Ok(unreadable());
    };
    let app = state.clone().into_inner();
    let sent = test_call::transfer_ended(&app, admin.tenant_id, id, turn, outcome).await;
    answered(&session, id, sent)
}

/// POST /test-call/{id}/end: the owner hangs up.
pub async fn end(
    admin: TenantAdmin,
    session: Session,
    path: web::Path<String>,
    state: web::Data<AppState>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, AppError> {
    let Some(id) = call_id(&path) else {
        return Ok(errors::not_found_page());
    };
    match test_call::hang_up(&state.clone().into_inner(), admin.tenant_id, id).await {
        Ok(true) => {
            tracing::info!(tenant = %admin.tenant_id, call = %id, "test call ended");
            back_with(&session, &href(id.0), HUNG_UP)
        }
        Ok(false) => back_with(&session, &href(id.0), ENDED_ALREADY),
        Err(error) => failed(&session, &href(id.0), error),
    }
}

/// Back to the call after a line or a transfer result, saying why nothing
/// was sent when nothing was.
fn answered(
    session: &Session,
    id: CallId,
    sent: Result<Sent, TestCallError>,
) -> Result<HttpResponse, AppError> {
    let page = href(id.0);
    match sent {
        Ok(Sent::Answered) => Ok(see_other(&page)),
        Ok(Sent::MovedOn) => back_with(session, &page, MOVED_ON),
        Ok(Sent::Over) => back_with(session, &page, ALREADY_OVER),
        Ok(Sent::NotDialling) => back_with(session, &page, NOT_DIALLING),
        Err(error) => failed(session, &page, error),
    }
}

/// A form no page of ours sends (no turn, an unknown transfer result).
fn unreadable() -> HttpResponse {
    errors::page(
        StatusCode::BAD_REQUEST,
        "Bad request",
        "The form could not be read. Go back, reload the page and try again.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_transfer_results_are_twilios_dial_statuses() {
        assert_eq!(dial_outcome("answered"), Some(DialOutcome::Completed));
        assert_eq!(dial_outcome("busy"), Some(DialOutcome::Busy));
        assert_eq!(dial_outcome("no-answer"), Some(DialOutcome::NoAnswer));
        assert_eq!(dial_outcome("failed"), None);
    }

    #[test]
    fn the_line_limit_is_the_one_the_message_names() {
        assert!(TOO_LONG.contains(&MAX_LINE_CHARS.to_string()));
    }
}
