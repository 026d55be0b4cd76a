//! Writing a call's turns: the first request (the call row and greeting) and
//! every later turn, each in one transaction. On PostgreSQL each is a single
//! prepared statement (see `pg.rs`): database work bounds turns per second.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::columns::{Json, to_json};
use super::status::CallStatus;
use super::{Call, CallKey, Conversation};
use crate::conversation::state::{Outcome, StateName};
use crate::db::{DbConnection, write_transaction};
use crate::ids::CallId;
use crate::leads;
use crate::receptionist::Answer;
use crate::schema::{call_turns, calls};

/// A transcript line to store.
#[derive(Debug, Clone)]
pub struct NewTurn {
    pub seq: i32,
    pub speaker: &'static str,
    pub text: String,
    pub confidence: Option<f64>,
    pub state: StateName,
    pub latency_ms: Option<i32>,
}

/// A call's first request: the row and the receptionist's first words.
pub struct NewCall {
    pub key: CallKey,
    pub from: String,
    pub status: CallStatus,
    /// Placed from the dashboard's test call page.
    pub is_test: bool,
    pub conversation: Conversation,
    pub outcome: Option<Outcome>,
    pub answer: Answer,
    pub started_at: NaiveDateTime,
    /// Set for calls refused outright (blocked, rate limited, busy).
    pub ended_at: Option<NaiveDateTime>,
    /// What the caller heard first; `None` for a call rejected unanswered.
    pub greeting: Option<NewTurn>,
}

impl NewCall {
    /// The row as stored under `id`, for the active-call cache.
    pub fn as_row(&self, id: CallId) -> Call {
        Call {
            id,
            tenant_id: self.key.tenant_id,
            call_sid: self.key.call_sid.clone(),
            from_number: self.from.clone(),
            to_number: self.key.line.clone(),
            state: self.conversation.name(),
            status: self.status,
            outcome: self.outcome,
            memory: Json(self.conversation.clone()),
            turn_count: 0,
            last_reply: Some(Json(self.answer.clone())),
            started_at: self.started_at,
            ended_at: self.ended_at,
            pending: None,
        }
    }
}

/// Inserts the call and its first turn in one transaction. `Ok(None)` when
/// a concurrent retry of the same webhook inserted it first.
pub fn insert_call(conn: &mut DbConnection, call: &NewCall) -> QueryResult<Option<CallId>> {
    let memory = to_json(&call.conversation);
    let answer = to_json(&call.answer);
    if let (DbConnection::Pg(pg), Some(greeting)) = (&mut *conn, &call.greeting) {
        return super::pg::insert_call(pg, call, greeting, &memory, &answer);
    }
    let result = write_transaction(conn, |conn| {
        let id: CallId = diesel::insert_into(calls::table)
            .values((
                calls::tenant_id.eq(call.key.tenant_id),
                calls::call_sid.eq(&call.key.call_sid),
                calls::from_number.eq(&call.from),
                calls::to_number.eq(&call.key.line),
                calls::state.eq(call.conversation.name().as_str()),
                calls::status.eq(call.status.as_str()),
                calls::outcome.eq(call.outcome.map(Outcome::as_str)),
                calls::memory.eq(&memory),
                calls::turn_count.eq(0),
                calls::last_reply.eq(&answer),
                calls::started_at.eq(call.started_at),
                calls::ended_at.eq(call.ended_at),
                calls::updated_at.eq(call.started_at),
                calls::is_test.eq(call.is_test),
            ))
            .returning(calls::id)
            .get_result(conn)?;
        if let Some(greeting) = &call.greeting {
            insert_turns(conn, id, std::slice::from_ref(greeting), call.started_at)?;
        }
        Ok(id)
    });
    match result {
        Ok(id) => Ok(Some(id)),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(None),
        Err(err) => Err(err),
    }
}

fn insert_turns(
    conn: &mut DbConnection,
    call_id: CallId,
    turns: &[NewTurn],
    now: NaiveDateTime,
) -> QueryResult<()> {
    let rows: Vec<_> = turns
        .iter()
        .map(|t| {
            (
                call_turns::call_id.eq(call_id),
                call_turns::seq.eq(t.seq),
                call_turns::speaker.eq(t.speaker),
                call_turns::text.eq(&t.text),
                call_turns::confidence.eq(t.confidence),
                call_turns::state.eq(t.state.as_str()),
                call_turns::latency_ms.eq(t.latency_ms),
                call_turns::created_at.eq(now),
            )
        })
        .collect();
    crate::on_backend!(conn, |c| diesel::insert_into(call_turns::table)
        .values(&rows)
        .execute(c))?;
    Ok(())
}

/// Everything one turn changes, written in one transaction.
pub struct TurnUpdate<'a> {
    pub call: &'a Call,
    pub conversation: &'a Conversation,
    /// The call's outcome after this turn (see `Outcome::merge`).
    pub outcome: Option<Outcome>,
    pub answer: &'a Answer,
    pub turns: Vec<NewTurn>,
    /// Persist the memory's lead as complete (the caller confirmed it).
    pub save_lead: bool,
    /// What the LLM cost this turn, recorded with it (one commit, not two).
    pub llm_usage: Option<super::usage::NewLlmUsage<'a>>,
}

/// Writes a turn. Returns false, changing nothing, when another request
/// already advanced the call past the turn this one read (a retried webhook)
/// or the call ended meanwhile (its final status arrived mid-turn). A turn
/// whose answer hangs up ends the call here, so it stops counting as active
/// even if its final status never arrives. The turn answers whatever speech
/// was pending, so it clears it.
pub fn record_turn(
    conn: &mut DbConnection,
    update: &TurnUpdate<'_>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let memory = &to_json(update.conversation);
    let answer = &to_json(update.answer);
    let ended_at = update.answer.ends_call().then_some(now);
    if let (DbConnection::Pg(pg), false, None) = (&mut *conn, update.save_lead, &update.llm_usage) {
        return super::pg::record_turn(pg, update, memory, answer, ended_at, now);
    }
    let call = update.call;
    write_transaction(conn, |conn| {
        let changed = diesel::update(
            calls::table
                .filter(calls::id.eq(call.id))
                .filter(calls::turn_count.eq(call.turn_count))
                .filter(calls::ended_at.is_null()),
        )
        .set((
            calls::state.eq(update.conversation.name().as_str()),
            calls::memory.eq(memory),
            calls::outcome.eq(update.outcome.map(Outcome::as_str)),
            calls::turn_count.eq(call.turn_count + 1),
            calls::last_reply.eq(answer),
            calls::ended_at.eq(ended_at),
            calls::pending.eq(None::<String>),
            calls::updated_at.eq(now),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(false);
        }
        insert_turns(conn, call.id, &update.turns, now)?;
        if let Some(usage) = &update.llm_usage {
            super::usage::record(conn, usage, now)?;
        }
        if update.save_lead {
            leads::upsert_for_call(
                conn,
                call.tenant_id,
                call.id,
                &update.conversation.memory,
                true,
                now,
            )?;
        }
        Ok(true)
    })
}
