//! The two statements of the PostgreSQL hot path, written as diesel query
//! fragments so diesel prepares each once per connection (`sql_query` is
//! re-parsed and re-planned on every call, which halves turns per second).

use chrono::NaiveDateTime;
use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Bool, Double, Integer, Nullable, Text, Timestamp};

use super::turns::{NewCall, NewTurn, TurnUpdate};
use crate::conversation::state::Outcome;
use crate::ids::CallId;

/// Writes SQL with binds; `$` in `sql` marks where the next bind goes.
fn push_sql_with_binds<'b>(
    out: &mut AstPass<'_, 'b, Pg>,
    sql: &'static str,
    mut bind: impl FnMut(&mut AstPass<'_, 'b, Pg>, usize) -> QueryResult<()>,
) -> QueryResult<()> {
    for (index, piece) in sql.split('$').enumerate() {
        if index > 0 {
            bind(out, index - 1)?;
        }
        out.push_sql(piece);
    }
    Ok(())
}

/// The call row and its greeting turn; returns the new call's id, no row
/// when the call SID exists already.
struct InsertCall<'a> {
    call: &'a NewCall,
    greeting: &'a NewTurn,
    memory: &'a str,
    answer: &'a str,
    status: &'static str,
    outcome: Option<&'static str>,
    state: &'static str,
    greeting_state: &'static str,
}

const INSERT_CALL_SQL: &str = "WITH new_call AS ( \
     INSERT INTO calls (tenant_id, call_sid, from_number, to_number, state, status, outcome, memory, \
         turn_count, last_reply, started_at, ended_at, updated_at, is_test) \
     VALUES ($, $, $, $, $, $, $, $, 0, $, $, $, $, $) \
     ON CONFLICT (call_sid) DO NOTHING RETURNING id) \
     INSERT INTO call_turns (call_id, seq, speaker, text, confidence, state, latency_ms, created_at) \
     SELECT id, $, $, $, NULL, $, $, $ FROM new_call RETURNING call_id";

impl QueryId for InsertCall<'_> {
    type QueryId = InsertCall<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl Query for InsertCall<'_> {
    type SqlType = BigInt;
}

impl RunQueryDsl<PgConnection> for InsertCall<'_> {}

impl QueryFragment<Pg> for InsertCall<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let (call, greeting) = (self.call, self.greeting);
        push_sql_with_binds(&mut out, INSERT_CALL_SQL, |out, index| match index {
            0 => out.push_bind_param::<BigInt, _>(&call.key.tenant_id.0),
            1 => out.push_bind_param::<Text, _>(&call.key.call_sid),
            2 => out.push_bind_param::<Text, _>(&call.from),
            3 => out.push_bind_param::<Text, _>(&call.key.line),
            4 => out.push_bind_param::<Text, _>(self.state),
            5 => out.push_bind_param::<Text, _>(self.status),
            6 => out.push_bind_param::<Nullable<Text>, _>(&self.outcome),
            7 => out.push_bind_param::<Text, _>(self.memory),
            8 => out.push_bind_param::<Text, _>(self.answer),
            9 | 11 | 18 => out.push_bind_param::<Timestamp, _>(&call.started_at),
            10 => out.push_bind_param::<Nullable<Timestamp>, _>(&call.ended_at),
            12 => out.push_bind_param::<Bool, _>(&call.is_test),
            13 => out.push_bind_param::<Integer, _>(&greeting.seq),
            14 => out.push_bind_param::<Text, _>(greeting.speaker),
            15 => out.push_bind_param::<Text, _>(&greeting.text),
            16 => out.push_bind_param::<Text, _>(self.greeting_state),
            _ => out.push_bind_param::<Nullable<Integer>, _>(&greeting.latency_ms),
        })
    }
}

/// Inserts the call and its greeting in one prepared statement; `None` when
/// a retried webhook inserted the call first.
pub fn insert_call(
    conn: &mut PgConnection,
    call: &NewCall,
    greeting: &NewTurn,
    memory: &str,
    answer: &str,
) -> QueryResult<Option<CallId>> {
    InsertCall {
        call,
        greeting,
        memory,
        answer,
        status: call.status.as_str(),
        outcome: call.outcome.map(Outcome::as_str),
        state: call.conversation.name().as_str(),
        greeting_state: greeting.state.as_str(),
    }
    .get_result::<i64>(conn)
    .optional()
    .map(|id| id.map(CallId))
}

/// The call's update, guarded by the turn count it read and by the call not
/// having ended, and its transcript lines.
struct RecordTurn<'a> {
    state: &'static str,
    memory: &'a str,
    outcome: Option<&'static str>,
    last_reply: &'a str,
    ended_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
    call_id: i64,
    turn_count: i32,
    seqs: Vec<i32>,
    speakers: Vec<&'static str>,
    texts: Vec<&'a str>,
    confidences: Vec<Option<f64>>,
    states: Vec<&'static str>,
    latencies: Vec<Option<i32>>,
}

const RECORD_TURN_SQL: &str = "WITH advanced AS ( \
     UPDATE calls SET state = $, memory = $, outcome = $, \
         turn_count = turn_count + 1, last_reply = $, ended_at = $, pending = NULL, updated_at = $ \
     WHERE id = $ AND turn_count = $ AND ended_at IS NULL RETURNING id) \
     INSERT INTO call_turns (call_id, seq, speaker, text, confidence, state, latency_ms, created_at) \
     SELECT advanced.id, t.seq, t.speaker, t.text, t.confidence, t.state, t.latency_ms, $ \
     FROM advanced, unnest($::int4[], $::text[], $::text[], $::float8[], $::text[], $::int4[]) \
         AS t(seq, speaker, text, confidence, state, latency_ms)";

impl QueryId for RecordTurn<'_> {
    type QueryId = RecordTurn<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl RunQueryDsl<PgConnection> for RecordTurn<'_> {}

impl QueryFragment<Pg> for RecordTurn<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        push_sql_with_binds(&mut out, RECORD_TURN_SQL, |out, index| match index {
            0 => out.push_bind_param::<Text, _>(self.state),
            1 => out.push_bind_param::<Text, _>(self.memory),
            2 => out.push_bind_param::<Nullable<Text>, _>(&self.outcome),
            3 => out.push_bind_param::<Text, _>(self.last_reply),
            4 => out.push_bind_param::<Nullable<Timestamp>, _>(&self.ended_at),
            5 | 8 => out.push_bind_param::<Timestamp, _>(&self.now),
            6 => out.push_bind_param::<BigInt, _>(&self.call_id),
            7 => out.push_bind_param::<Integer, _>(&self.turn_count),
            9 => out.push_bind_param::<Array<Integer>, _>(&self.seqs),
            10 => out.push_bind_param::<Array<Text>, _>(&self.speakers),
            11 => out.push_bind_param::<Array<Text>, _>(&self.texts),
            12 => out.push_bind_param::<Array<Nullable<Double>>, _>(&self.confidences),
            13 => out.push_bind_param::<Array<Text>, _>(&self.states),
            _ => out.push_bind_param::<Array<Nullable<Integer>>, _>(&self.latencies),
        })
    }
}

/// Writes a turn in one prepared statement; false when the guard failed
/// (nothing was written).
pub fn record_turn(
    conn: &mut PgConnection,
    update: &TurnUpdate<'_>,
    memory: &str,
    answer: &str,
    ended_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let turns = &update.turns;
    let inserted = RecordTurn {
        state: update.conversation.name().as_str(),
        memory,
        outcome: update.outcome.map(Outcome::as_str),
        last_reply: answer,
        ended_at,
        now,
        call_id: update.call.id.0,
        turn_count: update.call.turn_count,
        seqs: turns.iter().map(|t| t.seq).collect(),
        speakers: turns.iter().map(|t| t.speaker).collect(),
        texts: turns.iter().map(|t| t.text.as_str()).collect(),
        confidences: turns.iter().map(|t| t.confidence).collect(),
        states: turns.iter().map(|t| t.state.as_str()).collect(),
        latencies: turns.iter().map(|t| t.latency_ms).collect(),
    }
    .execute(conn)?;
    Ok(inserted > 0)
}
