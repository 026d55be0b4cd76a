//! `CallSummaryEmail`: emails the business an ended call's summary.

use super::handlers::{Handlers, JobError};
use crate::calls::history;
use crate::db;
use crate::ids::{CallId, TenantId};
use crate::mail::{
    self,
    wording::{caller_display, local_time, outcome_words},
};

pub(super) async fn run(
    handlers: &Handlers,
    tenant_id: TenantId,
    call_id: CallId,
    key: &str,
) -> Result<(), JobError> {
    let call = db::run(&handlers.pool, move |conn| {
        Ok::<_, JobError>(history::find_record(conn, tenant_id, call_id)?)
    })
    .await?;
    let Some(call) = call else {
        tracing::warn!(call = %call_id, "the call is gone; no summary to send");
        return Ok(());
    };
    let recipients = call.tenant.notification_email_list();
    let Some(summary) = call.summary.as_deref().filter(|_| !recipients.is_empty()) else {
        return Ok(());
    };
    let caller = match (&call.caller_name, caller_display(&call.from_number)) {
        (Some(name), number) => format!("{name} ({number})"),
        (None, number) => number,
    };
    let call_url = handlers.call_url(call_id);
    let called_at = local_time(call.started_at, &call.tenant.timezone);
    let duration = call.duration_seconds.map_or_else(
        || "unknown".to_owned(),
        |s| format!("{}:{:02}", s / 60, s % 60),
    );
    let email = mail::call_summary(
        recipients,
        &mail::CallSummary {
            tenant_name: &call.tenant.name,
            caller: &caller,
            called_at: &called_at,
            duration: &duration,
            outcome: outcome_words(call.outcome.as_deref()),
            summary,
            call_url: &call_url,
        },
        mail::message_id_for(key, &handlers.config.mail_from),
    )
    .map_err(|e| JobError::Permanent(e.into()))?;
    handlers.mailer.send(&email).await?;
    Ok(())
}
