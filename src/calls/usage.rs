//! What the LLM cost: one row per completion (a turn's reading of the
//! caller, or a call's summary) with its model, tokens, latency and how it
//! ended, so a tenant's bill and a slow call can both be explained. The rows
//! hold no caller words; deleting a call or a tenant deletes its rows
//! (foreign keys, `ON DELETE CASCADE`).

use crate::conversation::interpretation::LlmUse;
use chrono::NaiveDateTime;
use diesel::dsl::sum;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::ids::{CallId, TenantId};
use crate::schema::llm_usage;

/// One completion to record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewLlmUsage<'a> {
    pub tenant_id: TenantId,
    /// `None` for a completion that belongs to no call.
    pub call_id: Option<CallId>,
    /// The `call_turns.seq` of the caller line the completion read; `None`
    /// for a summary.
    pub turn_seq: Option<i32>,
    /// `turn` or `summary`.
    pub purpose: &'a str,
    pub model: &'a str,
    pub prompt_tokens: i32,
    pub completion_tokens: i32,
    pub latency_ms: i32,
    /// How the completion ended: `answered`, `invalid`, `ungrounded`,
    /// `timeout`, `error`.
    pub outcome: &'a str,
}

/// A recorded completion, as a call's usage lists it.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = llm_usage)]
pub struct LlmUsage {
    pub id: i64,
    pub call_id: Option<CallId>,
    pub turn_seq: Option<i32>,
    pub purpose: String,
    pub model: String,
    pub prompt_tokens: i32,
    pub completion_tokens: i32,
    pub latency_ms: i32,
    pub outcome: String,
    pub created_at: NaiveDateTime,
}

/// Stores one completion's usage.
pub fn record(
    conn: &mut DbConnection,
    usage: &NewLlmUsage<'_>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(llm_usage::table)
        .values((
            llm_usage::tenant_id.eq(usage.tenant_id),
            llm_usage::call_id.eq(usage.call_id),
            llm_usage::turn_seq.eq(usage.turn_seq),
            llm_usage::purpose.eq(usage.purpose),
            llm_usage::model.eq(usage.model),
            llm_usage::prompt_tokens.eq(usage.prompt_tokens),
            llm_usage::completion_tokens.eq(usage.completion_tokens),
            llm_usage::latency_ms.eq(usage.latency_ms),
            llm_usage::outcome.eq(usage.outcome),
            llm_usage::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The tenant's usage rows of one call, in the order they were recorded.
pub fn for_call(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    call_id: CallId,
) -> QueryResult<Vec<LlmUsage>> {
    llm_usage::table
        .filter(llm_usage::call_id.eq(call_id))
        .filter(llm_usage::tenant_id.eq(tenant_id))
        .order(llm_usage::id)
        .select(LlmUsage::as_select())
        .load(conn)
}

/// The (prompt, completion) tokens the tenant's call used; (0, 0) when it
/// used none.
pub fn totals_for_call(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    call_id: CallId,
) -> QueryResult<(i64, i64)> {
    let (prompt, completion) = llm_usage::table
        .filter(llm_usage::call_id.eq(call_id))
        .filter(llm_usage::tenant_id.eq(tenant_id))
        .select((
            sum(llm_usage::prompt_tokens),
            sum(llm_usage::completion_tokens),
        ))
        .first::<(Option<i64>, Option<i64>)>(conn)?;
    Ok((prompt.unwrap_or(0), completion.unwrap_or(0)))
}

/// The row for one LLM completion as the brain reported it.
pub fn usage_row<'a>(
    tenant_id: TenantId,
    call_id: Option<CallId>,
    turn_seq: Option<i32>,
    purpose: &'a str,
    used: &'a LlmUse,
) -> NewLlmUsage<'a> {
    let count = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    NewLlmUsage {
        tenant_id,
        call_id,
        turn_seq,
        purpose,
        model: &used.model,
        prompt_tokens: count(used.prompt_tokens),
        completion_tokens: count(used.completion_tokens),
        latency_ms: count(used.latency_ms),
        outcome: used.outcome.as_str(),
    }
}
