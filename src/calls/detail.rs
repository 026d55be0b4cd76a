//! Everything the call page shows: the record, the transcript with its
//! timings, the path through the states, the summary, the message left, the
//! transfer attempts and what the LLM cost. Another tenant's call is `None`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Conversation;
use super::columns::Json;
use super::search::duration_of;
use super::status::CallStatus;
use super::usage::{self, LlmUsage};
use crate::conversation::state::{Outcome, StateName};
use crate::db::DbConnection;
use crate::ids::{CallId, TenantId};
use crate::leads::list::{self, LeadRow};
use crate::schema::{call_turns, calls};

/// The call record as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CallInfo {
    pub id: CallId,
    pub from_number: String,
    /// The tenant's number the caller dialled.
    pub to_number: String,
    pub status: CallStatus,
    pub state: StateName,
    pub outcome: Option<Outcome>,
    /// UTC.
    pub started_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
    /// Seconds, once the call is over.
    pub duration: Option<i64>,
    pub turn_count: i32,
    /// Placed from the dashboard's test call page.
    pub is_test: bool,
}

/// Who said a transcript line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    Caller,
    Receptionist,
}

/// One line of the conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct TranscriptTurn {
    pub speaker: Speaker,
    pub text: String,
    /// For a caller line, the state it was said in; for the receptionist's,
    /// the state its reply led to.
    pub state: StateName,
    /// How long the receptionist took to answer (its lines only).
    pub latency_ms: Option<i32>,
    /// Speech recognition's confidence in a caller line (0 to 1).
    pub confidence: Option<f64>,
    /// UTC: when the turn was stored.
    pub at: NaiveDateTime,
}

/// How a transfer attempt ended, from what the call recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferResult {
    /// The caller was put through (the call's outcome is `transferred`).
    Connected,
    /// The dial ended with no one picking up (busy, no answer, failed).
    NotAnswered,
    /// The call is still ringing through.
    Ringing,
    /// The call ended while ringing through, with no word of the result.
    Unconfirmed,
}

/// One attempt to put the caller through: the receptionist's line that
/// started the dial.
#[derive(Debug, Clone, PartialEq)]
pub struct TransferAttempt {
    /// UTC.
    pub at: NaiveDateTime,
    /// The department asked for, when one was; else the main line.
    pub department: Option<String>,
    /// What the receptionist said ("Let me connect you to billing.").
    pub said: String,
    pub result: TransferResult,
}

/// The LLM's completions for the call and their totals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UsageSummary {
    pub rows: Vec<LlmUsage>,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    /// Time spent waiting for the LLM, all completions together.
    pub latency_ms: i64,
}

/// Everything the call page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct CallDetail {
    pub call: CallInfo,
    pub transcript: Vec<TranscriptTurn>,
    /// The states the call went through, in order, each once per visit.
    pub path: Vec<StateName>,
    pub summary: Option<String>,
    pub lead: Option<LeadRow>,
    pub transfers: Vec<TransferAttempt>,
    pub usage: UsageSummary,
}

type CallColumns = (
    CallId,
    String,
    String,
    CallStatus,
    StateName,
    Option<Outcome>,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<i32>,
    i32,
    Option<String>,
    Json<Conversation>,
    bool,
);

type TurnColumns = (
    String,
    String,
    StateName,
    Option<i32>,
    Option<f64>,
    NaiveDateTime,
);

impl CallDetail {
    /// The tenant's call `call_id`, in four queries (call, transcript, lead,
    /// usage); `None` when the tenant has no such call.
    pub fn load(
        conn: &mut DbConnection,
        tenant_id: TenantId,
        call_id: CallId,
    ) -> QueryResult<Option<CallDetail>> {
        let Some(row) = calls::table
            .filter(calls::id.eq(call_id))
            .filter(calls::tenant_id.eq(tenant_id))
            .select((
                calls::id,
                calls::from_number,
                calls::to_number,
                calls::status,
                calls::state,
                calls::outcome,
                calls::started_at,
                calls::ended_at,
                calls::duration_seconds,
                calls::turn_count,
                calls::summary,
                calls::memory,
                calls::is_test,
            ))
            .first::<CallColumns>(conn)
            .optional()?
        else {
            return Ok(None);
        };
        let (id, from_number, to_number, status, state, outcome, started_at, ended_at) =
            (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7);
        let call = CallInfo {
            id,
            from_number,
            to_number,
            status,
            state,
            outcome,
            started_at,
            ended_at,
            duration: duration_of(started_at, ended_at, row.8),
            turn_count: row.9,
            is_test: row.12,
        };
        let (summary, Json(conversation)) = (row.10, row.11);
        // Scoped by the call just read, which is the tenant's.
        let transcript: Vec<TranscriptTurn> = call_turns::table
            .filter(call_turns::call_id.eq(call_id))
            .order((call_turns::seq, call_turns::id))
            .select((
                call_turns::speaker,
                call_turns::text,
                call_turns::state,
                call_turns::latency_ms,
                call_turns::confidence,
                call_turns::created_at,
            ))
            .load::<TurnColumns>(conn)?
            .into_iter()
            .map(
                |(speaker, text, state, latency_ms, confidence, at)| TranscriptTurn {
                    speaker: if speaker == "caller" {
                        Speaker::Caller
                    } else {
                        Speaker::Receptionist
                    },
                    text,
                    state,
                    latency_ms,
                    confidence,
                    at,
                },
            )
            .collect();
        let lead = list::for_call(conn, tenant_id, call_id)?;
        let rows = usage::for_call(conn, tenant_id, call_id)?;
        let usage = UsageSummary {
            prompt_tokens: rows.iter().map(|u| i64::from(u.prompt_tokens)).sum(),
            completion_tokens: rows.iter().map(|u| i64::from(u.completion_tokens)).sum(),
            latency_ms: rows.iter().map(|u| i64::from(u.latency_ms)).sum(),
            rows,
        };
        let memory = &conversation.memory;
        let transfers = transfer_attempts(
            &transcript,
            &call,
            memory.transfer_failed,
            memory.department.as_deref(),
        );
        Ok(Some(CallDetail {
            path: state_path(&transcript, call.state),
            call,
            transcript,
            summary,
            lead,
            transfers,
            usage,
        }))
    }
}

/// The states in the order the call went through them: every line's state
/// with repeats in a row folded, from the greeting to where the call is now.
pub fn state_path(transcript: &[TranscriptTurn], current: StateName) -> Vec<StateName> {
    let mut path = vec![StateName::Greeting];
    for state in transcript
        .iter()
        .map(|t| t.state)
        .chain(std::iter::once(current))
    {
        if path.last() != Some(&state) {
            path.push(state);
        }
    }
    path
}

/// The transfer attempts the transcript records (a receptionist line that
/// led to `transfer_attempt` starts a dial) with their results: a dial
/// that did not connect sets `transfer_failed`, after which no other is
/// tried; a connected one makes the outcome `transferred`.
pub fn transfer_attempts(
    transcript: &[TranscriptTurn],
    call: &CallInfo,
    transfer_failed: bool,
    department: Option<&str>,
) -> Vec<TransferAttempt> {
    let dials: Vec<&TranscriptTurn> = transcript
        .iter()
        .filter(|t| t.speaker == Speaker::Receptionist && t.state == StateName::TransferAttempt)
        .collect();
    let last = dials.len().saturating_sub(1);
    dials
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let result = if i < last {
                TransferResult::NotAnswered
            } else if call.outcome == Some(Outcome::Transferred) {
                TransferResult::Connected
            } else if transfer_failed {
                TransferResult::NotAnswered
            } else if call.state == StateName::TransferAttempt && !call.status.is_final() {
                TransferResult::Ringing
            } else {
                TransferResult::Unconfirmed
            };
            TransferAttempt {
                at: line.at,
                department: department
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_owned),
                said: line.text.clone(),
                result,
            }
        })
        .collect()
}
