//! `SummarizeCall`: writes an ended call's summary and, when the tenant wants
//! summaries mailed, enqueues the summary email in the same transaction.

use super::handlers::{Handlers, JobError};
use super::{JobKind, enqueue};
use crate::ai::summary::{CallFacts, summarize};
use crate::calls::history;
use crate::conversation::state::Outcome;
use crate::db::{self, write_transaction};
use crate::ids::{CallId, TenantId};
use crate::leads;
use crate::mail::wording::caller_display;

pub(super) async fn run(
    handlers: &Handlers,
    tenant_id: TenantId,
    call_id: CallId,
) -> Result<(), JobError> {
    let loaded = db::run(&handlers.pool, move |conn| {
        let Some(call) = history::find_record(conn, tenant_id, call_id)? else {
            return Ok::<_, JobError>(None);
        };
        let lead = leads::details_for_call(conn, tenant_id, call_id)?;
        let transcript = history::transcript(conn, tenant_id, call_id)?;
        Ok(Some((call, lead, transcript)))
    })
    .await?;
    let Some((call, lead, transcript)) = loaded else {
        tracing::warn!(call = %call_id, "the call is gone; nothing to summarise");
        return Ok(());
    };
    let caller_lines: Vec<&str> = transcript
        .iter()
        .filter(|(speaker, _)| speaker == "caller")
        .map(|(_, text)| text.as_str())
        .collect();
    let caller = caller_display(&call.from_number);
    let facts = CallFacts {
        caller_number: &caller,
        caller_lines: &caller_lines,
        outcome: call.outcome.as_deref().and_then(Outcome::parse),
        duration_seconds: call.duration_seconds,
        lead: lead.as_ref().map(|(d, complete)| (d, *complete)),
    };
    let brain = handlers.brain.as_ref();
    let summary = match brain.summarize(&facts).await {
        Ok(summary) => summary,
        Err(error) => {
            // The extractive summary never fails: the business still hears
            // about the call.
            tracing::warn!(brain = brain.name(), %error, "summary failed; using the extractive one");
            summarize(&facts)
        }
    };
    let wants_email =
        call.tenant.send_call_summaries && !call.tenant.notification_email_list().is_empty();
    let now = crate::clock::now();
    db::run_write(&handlers.pool, move |conn| {
        write_transaction(conn, |conn| {
            let saved = history::save_summary(conn, tenant_id, call_id, &summary)?;
            if saved && wants_email {
                enqueue(conn, &JobKind::CallSummaryEmail { tenant_id, call_id }, now)?;
            }
            Ok::<_, JobError>(())
        })
    })
    .await
}
