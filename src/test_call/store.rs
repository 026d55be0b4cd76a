//! The test call's queries: a test call is a row of `calls` with `is_test`,
//! found only by its own tenant, and only if it is a test call (the page can
//! never type into a caller's call).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::calls::CallKey;
use crate::calls::columns::Json;
use crate::calls::status::CallStatus;
use crate::conversation::state::{Outcome, StateName};
use crate::db::DbConnection;
use crate::ids::{CallId, TenantId};
use crate::receptionist::Answer;
use crate::schema::{calls, tenants};

/// A test call as the page and its forms need it.
#[derive(Debug, Clone)]
pub struct TestCall {
    pub id: CallId,
    pub key: CallKey,
    pub from_number: String,
    /// The call's turn count: the turn the next line typed answers.
    pub turn: i32,
    /// What the receptionist last did (said and listened, put through, hung
    /// up or refused).
    pub last_answer: Option<Answer>,
    pub state: StateName,
    pub outcome: Option<Outcome>,
    /// Set once the receptionist hung up or the call was ended.
    pub ended_at: Option<NaiveDateTime>,
    /// The call's end was recorded (its final status): the after-call work
    /// is under way.
    pub finished: bool,
    /// The tenant's configuration version, for its context.
    pub config_version: i64,
}

impl TestCall {
    /// Whether the conversation is over (as `Call::is_over`).
    pub fn is_over(&self) -> bool {
        self.ended_at.is_some() || self.state == StateName::Ended || self.finished
    }
}

type Row = (
    CallId,
    String,
    String,
    String,
    i32,
    Option<Json<Answer>>,
    StateName,
    Option<Outcome>,
    Option<NaiveDateTime>,
    CallStatus,
    i64,
);

/// The tenant's test call `id`; `None` for another tenant's call, a phone
/// call, or no call at all.
pub fn find(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    id: CallId,
) -> QueryResult<Option<TestCall>> {
    let row = calls::table
        .inner_join(tenants::table)
        .filter(calls::id.eq(id))
        .filter(calls::tenant_id.eq(tenant_id))
        .filter(calls::is_test.eq(true))
        .select((
            calls::id,
            calls::call_sid,
            calls::to_number,
            calls::from_number,
            calls::turn_count,
            calls::last_reply,
            calls::state,
            calls::outcome,
            calls::ended_at,
            calls::status,
            tenants::config_version,
        ))
        .first::<Row>(conn)
        .optional()?;
    Ok(row.map(
        |(
            id,
            call_sid,
            line,
            from_number,
            turn,
            last,
            state,
            outcome,
            ended_at,
            status,
            version,
        )| {
            TestCall {
                id,
                key: CallKey {
                    tenant_id,
                    call_sid,
                    line,
                },
                from_number,
                turn,
                last_answer: last.map(|Json(answer)| answer),
                state,
                outcome,
                ended_at,
                finished: status.is_final(),
                config_version: version,
            }
        },
    ))
}

/// The id of the test call `key` names.
pub fn id_of(conn: &mut DbConnection, key: &CallKey) -> QueryResult<Option<CallId>> {
    calls::table
        .filter(calls::tenant_id.eq(key.tenant_id))
        .filter(calls::call_sid.eq(&key.call_sid))
        .filter(calls::to_number.eq(&key.line))
        .filter(calls::is_test.eq(true))
        .select(calls::id)
        .first(conn)
        .optional()
}

/// How many test calls the tenant started since `since` (UTC).
pub fn started_since(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    calls::table
        .filter(calls::tenant_id.eq(tenant_id))
        .filter(calls::started_at.gt(since))
        .filter(calls::is_test.eq(true))
        .count()
        .get_result(conn)
}
