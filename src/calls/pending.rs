//! Caller speech whose answer is still being worked out. An LLM answer can
//! take longer than a caller should sit in silence: the caller hears a
//! filler, Twilio asks for the rest at a continuation URL, and that request
//! (perhaps on another instance) finds here what it is answering.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::columns::to_json;
use crate::db::DbConnection;
use crate::ids::CallId;
use crate::schema::calls;

/// What the caller said and is still waiting on, stored as JSON in
/// `calls.pending`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingSpeech {
    /// The call's turn count when the caller spoke.
    pub turn: i32,
    pub text: String,
    pub confidence: Option<f64>,
    /// When the answer started being worked out.
    pub since: NaiveDateTime,
}

/// Stores `pending` on the call. Guarded like a turn: false, changing
/// nothing, when the call has moved past `turn_count` (a retried webhook,
/// another instance answered) or has ended.
pub fn set_pending(
    conn: &mut DbConnection,
    call_id: CallId,
    turn_count: i32,
    pending: &PendingSpeech,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        calls::table
            .filter(calls::id.eq(call_id))
            .filter(calls::turn_count.eq(turn_count))
            .filter(calls::ended_at.is_null()),
    )
    .set((
        calls::pending.eq(to_json(pending)),
        calls::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}
