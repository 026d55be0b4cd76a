//! `CallSummaryEmail`: emails the business an ended call's summary, with
//! what really happened as its outcome.

use super::call_story::{CallStory, LoadedStory, StoryOf, StoryRequest};
use super::handlers::{Handlers, JobError};
use super::mail_delivery;
use crate::ids::{CallId, TenantId};
use crate::mail::{self, wording::local_time};

pub(super) async fn run(
    handlers: &Handlers,
    tenant_id: TenantId,
    call_id: CallId,
    key: &str,
) -> Result<(), JobError> {
    let request = StoryRequest {
        tenant_id,
        of: StoryOf::Call(call_id),
        deliveries_of: Some(key.to_owned()),
    };
    let Some(LoadedStory {
        story,
        deliveries: stored,
    }) = handlers.story(request).await?
    else {
        tracing::warn!(call = %call_id, "the call is gone; no summary to send");
        return Ok(());
    };
    let call = &story.call;
    let recipients = call.tenant.notification_email_list();
    let Some(summary) = call.summary.as_deref().filter(|_| !recipients.is_empty()) else {
        return Ok(());
    };
    let version = call.tenant.config_version;
    let context = handlers
        .tenants
        .context(&handlers.pool, tenant_id, version)
        .await?;
    let outcome = story
        .happened(&CallStory::answer_sources(&context))
        .headline();
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
            caller_name: story.lead.as_ref().and_then(|l| l.details.name.as_deref()),
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
