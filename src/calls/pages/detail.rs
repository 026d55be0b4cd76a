//! GET /calls/{id}: one call, the page lead emails link to: the facts, the
//! summary, the message left (with its status form), the transcript as a
//! conversation with its timings, the path through the states, the
//! transfer attempts and what the LLM used.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono_tz::Tz;

use super::OutcomeBadge;
use crate::app::AppState;
use crate::calls::detail::{
    CallDetail, Speaker, TranscriptTurn, TransferAttempt, TransferResult, UsageSummary,
};
use crate::conversation::state::StateName;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::ids::CallId;
use crate::leads::pages::LeadView;
use crate::web::errors;
use crate::web::format;
use crate::web::guard::TenantAdmin;
use crate::web::layout::{Nav, Page, render};
use crate::web::session;

/// Below this speech-recognition confidence a caller line is marked as
/// possibly misheard.
const LOW_CONFIDENCE: f64 = 0.5;

#[derive(Template)]
#[template(path = "dashboard/call.html")]
struct CallPage {
    page: Page,
    call: CallFacts,
    /// The summary's lines (empty until it is written).
    summary: Vec<String>,
    lead: Option<LeadView>,
    transcript: Vec<Bubble>,
    path: Vec<&'static str>,
    transfers: Vec<TransferLine>,
    usage: Option<UsageView>,
    /// Where the lead's status form comes back to: this page.
    return_to: String,
}

struct CallFacts {
    caller: String,
    caller_tel: Option<String>,
    dialled: String,
    started: String,
    ended: Option<String>,
    duration: String,
    outcome: OutcomeBadge,
    status: &'static str,
    turns: i32,
    is_test: bool,
    /// For a test call still going: where to take it up again.
    test_call_href: Option<String>,
}

/// One line of the conversation (`dashboard/transcript.html`; the test call
/// page shows its conversation the same way).
pub struct Bubble {
    pub from_caller: bool,
    pub text: String,
    pub time: String,
    /// How long the receptionist took to answer.
    pub latency: Option<String>,
    /// The caller line's recognition confidence, as a percentage.
    pub confidence: Option<u32>,
    pub low_confidence: bool,
}

struct TransferLine {
    time: String,
    to: String,
    said: String,
    result: &'static str,
    class: &'static str,
}

struct UsageView {
    rows: Vec<UsageLine>,
    prompt_tokens: i64,
    completion_tokens: i64,
    total_tokens: i64,
    llm_time: String,
}

struct UsageLine {
    purpose: String,
    model: String,
    turn: Option<i32>,
    prompt_tokens: i32,
    completion_tokens: i32,
    latency: String,
    outcome: String,
}

/// How an owner reads a state of the conversation.
pub fn state_label(state: StateName) -> &'static str {
    match state {
        StateName::Greeting => "Greeting",
        StateName::Intent => "Listening",
        StateName::Faq => "Answering questions",
        StateName::TransferAttempt => "Putting through",
        StateName::LeadCapture => "Taking a message",
        StateName::Confirmation => "Confirming the message",
        StateName::WrapUp => "Wrapping up",
        StateName::Ended => "Ended",
    }
}

fn seconds(ms: i64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

pub fn bubble(turn: &TranscriptTurn, tz: Tz) -> Bubble {
    let from_caller = turn.speaker == Speaker::Caller;
    let confidence = turn.confidence.filter(|_| from_caller);
    Bubble {
        from_caller,
        text: turn.text.clone(),
        time: format::clock_time(tz, turn.at),
        latency: turn
            .latency_ms
            .filter(|_| !from_caller)
            .map(|ms| seconds(i64::from(ms))),
        confidence: confidence.map(|c| (c.clamp(0.0, 1.0) * 100.0).round() as u32),
        low_confidence: confidence.is_some_and(|c| c < LOW_CONFIDENCE),
    }
}

fn transfer_line(attempt: &TransferAttempt, tz: Tz) -> TransferLine {
    let (result, class) = match attempt.result {
        TransferResult::Connected => ("Put through", "success"),
        TransferResult::NotAnswered => ("No answer", "warning"),
        TransferResult::Ringing => ("Ringing", "info"),
        TransferResult::Unconfirmed => ("Result unknown", "plain"),
    };
    TransferLine {
        time: format::clock_time(tz, attempt.at),
        to: attempt
            .department
            .clone()
            .unwrap_or_else(|| "The main line".to_owned()),
        said: attempt.said.clone(),
        result,
        class,
    }
}

fn usage_view(usage: &UsageSummary) -> Option<UsageView> {
    (!usage.rows.is_empty()).then(|| UsageView {
        rows: usage
            .rows
            .iter()
            .map(|row| UsageLine {
                purpose: row.purpose.clone(),
                model: row.model.clone(),
                turn: row.turn_seq,
                prompt_tokens: row.prompt_tokens,
                completion_tokens: row.completion_tokens,
                latency: seconds(i64::from(row.latency_ms)),
                outcome: row.outcome.clone(),
            })
            .collect(),
        prompt_tokens: usage.prompt_tokens,
        completion_tokens: usage.completion_tokens,
        total_tokens: usage.prompt_tokens + usage.completion_tokens,
        llm_time: seconds(usage.latency_ms),
    })
}

/// GET /calls/{id}; another tenant's call, or an id that is not one,
/// is the 404 page.
pub async fn show(
    admin: TenantAdmin,
    session: Session,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Ok(id) = path.parse::<i64>().map(CallId) else {
        return Ok(errors::not_found_page());
    };
    let tenant = admin.tenant_id;
    let found = db::run(&state.db, move |conn| {
        Ok::<_, DbError>(CallDetail::load(conn, tenant, id)?)
    })
    .await?;
    let Some(detail) = found else {
        return Ok(errors::not_found_page());
    };
    let tz = admin.timezone;
    let call = &detail.call;
    let title = format!("Call from {} · {}", call.from_number, admin.tenant_name);
    render(&CallPage {
        page: Page::tenant(&admin, &title, Nav::Calls).with_flash(session::take_flash(&session)),
        call: CallFacts {
            caller: call.from_number.clone(),
            caller_tel: format::tel_href(&call.from_number),
            dialled: call.to_number.clone(),
            started: format::long_time(tz, call.started_at),
            ended: call.ended_at.map(|at| format::long_time(tz, at)),
            duration: format::duration_or_dash(call.duration),
            outcome: OutcomeBadge::of(call.outcome),
            status: call.status.as_str(),
            turns: call.turn_count,
            is_test: call.is_test,
            test_call_href: (call.is_test && call.ended_at.is_none() && !call.status.is_final())
                .then(|| crate::test_call::pages::href(call.id.0)),
        },
        summary: detail
            .summary
            .as_deref()
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        lead: detail.lead.as_ref().map(|lead| LeadView::new(lead, tz)),
        transcript: detail.transcript.iter().map(|t| bubble(t, tz)).collect(),
        path: detail.path.iter().map(|s| state_label(*s)).collect(),
        transfers: detail
            .transfers
            .iter()
            .map(|t| transfer_line(t, tz))
            .collect(),
        usage: usage_view(&detail.usage),
        return_to: format!("/calls/{}", call.id),
    })
}
