//! Writing a call's turns: the first request (the call row and greeting) and
//! every later turn, each in one transaction. On PostgreSQL each is a single
//! statement (one round trip), which is what bounds turns per second.

use chrono::NaiveDateTime;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Double, Integer, Nullable, Text, Timestamp};

use super::Call;
use crate::conversation::state::{CallMemory, CallState, Outcome};
use crate::db::{DbConnection, write_transaction};
use crate::ids::{CallId, TenantId};
use crate::leads;
use crate::schema::{call_turns, calls};

/// A transcript line to store.
#[derive(Debug, Clone)]
pub struct NewTurn {
    pub seq: i32,
    pub speaker: &'static str,
    pub text: String,
    pub confidence: Option<f64>,
    pub state: CallState,
    pub latency_ms: Option<i32>,
}

/// A call's first request: the row and the receptionist's first words.
pub struct NewCall {
    pub tenant_id: TenantId,
    pub call_sid: String,
    pub from: String,
    pub to: String,
    pub status: String,
    pub state: CallState,
    pub memory: CallMemory,
    pub outcome: Option<Outcome>,
    pub last_reply: String,
    pub started_at: NaiveDateTime,
    /// Set for calls refused outright (blocked, rate limited, busy).
    pub ended_at: Option<NaiveDateTime>,
    /// What the caller heard first; `None` for a call rejected unanswered.
    pub greeting: Option<NewTurn>,
}

/// Inserts the call and its first turn in one transaction. `Ok(None)` when
/// a concurrent retry of the same webhook inserted it first.
pub fn insert_call(conn: &mut DbConnection, call: &NewCall) -> QueryResult<Option<CallId>> {
    let memory = serde_json::to_string(&call.memory).unwrap_or_else(|_| "{}".into());
    if let (DbConnection::Pg(pg), Some(greeting)) = (&mut *conn, &call.greeting) {
        return insert_call_pg(pg, call, greeting, &memory);
    }
    let result = write_transaction(conn, |conn| {
        let id: CallId = diesel::insert_into(calls::table)
            .values((
                calls::tenant_id.eq(call.tenant_id),
                calls::call_sid.eq(&call.call_sid),
                calls::from_number.eq(&call.from),
                calls::to_number.eq(&call.to),
                calls::state.eq(call.state.as_str()),
                calls::status.eq(&call.status),
                calls::outcome.eq(call.outcome.map(Outcome::as_str)),
                calls::memory.eq(&memory),
                calls::turn_count.eq(0),
                calls::last_reply.eq(&call.last_reply),
                calls::started_at.eq(call.started_at),
                calls::ended_at.eq(call.ended_at),
                calls::updated_at.eq(call.started_at),
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
    pub state: CallState,
    pub memory: &'a CallMemory,
    /// The call's outcome after this turn (see `Outcome::merge`).
    pub outcome: Option<Outcome>,
    pub last_reply: &'a str,
    pub turns: Vec<NewTurn>,
    /// Persist the memory's lead as complete (the caller confirmed it).
    pub save_lead: bool,
}

/// Writes a turn. Returns false, changing nothing, when another request
/// already advanced the call past the turn this one read (a retried webhook)
/// or the call ended meanwhile (its final status arrived mid-turn).
pub fn record_turn(conn: &mut DbConnection, update: &TurnUpdate<'_>) -> QueryResult<bool> {
    let memory = serde_json::to_string(update.memory).unwrap_or_else(|_| "{}".into());
    let now = crate::clock::now();
    if let (DbConnection::Pg(pg), false) = (&mut *conn, update.save_lead) {
        return record_turn_pg(pg, update, &memory, now);
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
            calls::state.eq(update.state.as_str()),
            calls::memory.eq(&memory),
            calls::outcome.eq(update
                .outcome
                .map(Outcome::as_str)
                .or(call.outcome.as_deref())),
            calls::turn_count.eq(call.turn_count + 1),
            calls::last_reply.eq(update.last_reply),
            calls::updated_at.eq(now),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(false);
        }
        insert_turns(conn, call.id, &update.turns, now)?;
        if update.save_lead {
            leads::upsert_for_call(conn, call.tenant_id, call.id, &update.memory.lead, true)?;
        }
        Ok(true)
    })
}

/// The call row and its greeting in one statement; no row when the call SID
/// exists already (a retried webhook).
fn insert_call_pg(
    conn: &mut PgConnection,
    call: &NewCall,
    greeting: &NewTurn,
    memory: &str,
) -> QueryResult<Option<CallId>> {
    diesel::sql_query(
        "WITH new_call AS ( \
             INSERT INTO calls (tenant_id, call_sid, from_number, to_number, state, status, outcome, memory, \
                 turn_count, last_reply, started_at, ended_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10, $11, $10) \
             ON CONFLICT (call_sid) DO NOTHING RETURNING id) \
         INSERT INTO call_turns (call_id, seq, speaker, text, confidence, state, latency_ms, created_at) \
         SELECT id, $12, $13, $14, NULL, $15, $16, $10 FROM new_call \
         RETURNING call_id",
    )
    .bind::<BigInt, _>(call.tenant_id.0)
    .bind::<Text, _>(&call.call_sid)
    .bind::<Text, _>(&call.from)
    .bind::<Text, _>(&call.to)
    .bind::<Text, _>(call.state.as_str())
    .bind::<Text, _>(&call.status)
    .bind::<Nullable<Text>, _>(call.outcome.map(Outcome::as_str))
    .bind::<Text, _>(memory)
    .bind::<Text, _>(&call.last_reply)
    .bind::<Timestamp, _>(call.started_at)
    .bind::<Nullable<Timestamp>, _>(call.ended_at)
    .bind::<Integer, _>(greeting.seq)
    .bind::<Text, _>(greeting.speaker)
    .bind::<Text, _>(&greeting.text)
    .bind::<Text, _>(greeting.state.as_str())
    .bind::<Nullable<Integer>, _>(greeting.latency_ms)
    .get_result::<InsertedCallId>(conn)
    .optional()
    .map(|row| row.map(|r| r.call_id))
}

#[derive(QueryableByName)]
struct InsertedCallId {
    #[diesel(sql_type = BigInt)]
    call_id: CallId,
}

/// The call's update, guarded by the turn count it read, and its transcript
/// lines in one statement. Zero rows inserted means the guard failed.
fn record_turn_pg(
    conn: &mut PgConnection,
    update: &TurnUpdate<'_>,
    memory: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let turns = &update.turns;
    let inserted = diesel::sql_query(
        "WITH advanced AS ( \
             UPDATE calls SET state = $1, memory = $2, outcome = $3, \
                 turn_count = turn_count + 1, last_reply = $4, updated_at = $5 \
             WHERE id = $6 AND turn_count = $7 AND ended_at IS NULL RETURNING id) \
         INSERT INTO call_turns (call_id, seq, speaker, text, confidence, state, latency_ms, created_at) \
         SELECT advanced.id, t.seq, t.speaker, t.text, t.confidence, t.state, t.latency_ms, $5 \
         FROM advanced, unnest($8::int4[], $9::text[], $10::text[], $11::float8[], $12::text[], $13::int4[]) \
             AS t(seq, speaker, text, confidence, state, latency_ms)",
    )
    .bind::<Text, _>(update.state.as_str())
    .bind::<Text, _>(memory)
    .bind::<Nullable<Text>, _>(update.outcome.map(Outcome::as_str))
    .bind::<Text, _>(update.last_reply)
    .bind::<Timestamp, _>(now)
    .bind::<BigInt, _>(update.call.id.0)
    .bind::<Integer, _>(update.call.turn_count)
    .bind::<Array<Integer>, _>(turns.iter().map(|t| t.seq).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(turns.iter().map(|t| t.speaker).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(turns.iter().map(|t| t.text.as_str()).collect::<Vec<_>>())
    .bind::<Array<Nullable<Double>>, _>(turns.iter().map(|t| t.confidence).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(turns.iter().map(|t| t.state.as_str()).collect::<Vec<_>>())
    .bind::<Array<Nullable<Integer>>, _>(turns.iter().map(|t| t.latency_ms).collect::<Vec<_>>())
    .execute(conn)?;
    Ok(inserted > 0)
}
