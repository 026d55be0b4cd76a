//! `CallSummaryEmail`: emails the business an ended call's summary, with
//! what really happened as its outcome.

use super::call_story::CallStory;
use super::handlers::{Handlers, JobError};
use super::mail_delivery;
use crate::db;
use crate::ids::{CallId, TenantId};
use crate::mail::{self, deliveries, wording::local_time};

pub(super) async fn run(
    handlers: &Handlers,
    tenant_id: TenantId,
    call_id: CallId,
    key: &str,
) -> Result<(), JobError> {
    let job_key = key.to_owned();
    let loaded = db::run(&handlers.pool, move |conn| {
        let Some(story) = CallStory::load(conn, tenant_id, call_id)? else {
            return Ok::<_, JobError>(None);
        };
        let sources = story.answer_sources(conn)?;
        let stored = deliveries::for_job(conn, tenant_id, &job_key)?;
        Ok(Some((story, sources, stored)))
    })
    .await?;
    let Some((story, sources, stored)) = loaded else {
        tracing::warn!(call = %call_id, "the call is gone; no summary to send");
        return Ok(());
    };
    let call = &story.call;
    let recipients = call.tenant.notification_email_list();
    let Some(summary) = call.summary.as_deref().filter(|_| !recipients.is_empty()) else {
        return Ok(());
    };
    let outcome = story.happened(&sources).headline();
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
            country_code: story.country_code,
            caller_name: call.caller_name.as_deref(),
            caller_number: &call.from_number,
            called_at: &called_at,
            duration: &duration,
            outcome: &outcome,
            urgent: story.urgent(),
            department: story.department(),
            summary,
            call_url: &call_url,
        },
        mail::message_id_for(key, &handlers.config.mail_from),
    )
    .map_err(|e| JobError::Permanent(e.into()))?;
    mail_delivery::deliver(handlers, tenant_id, key, &email, &stored).await
}
