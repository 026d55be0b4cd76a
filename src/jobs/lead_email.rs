//! `LeadNotification`: emails the business the message a caller left, with
//! what they said that is worth reading.

use super::call_story::CallStory;
use super::handlers::{Handlers, JobError};
use crate::db;
use crate::ids::{LeadId, TenantId};
use crate::leads;
use crate::mail::{self, wording::local_time};

/// The most caller lines quoted in a lead email.
const QUOTED_LINES: usize = 5;

pub(super) async fn run(
    handlers: &Handlers,
    tenant_id: TenantId,
    lead_id: LeadId,
    key: &str,
) -> Result<(), JobError> {
    let story = db::run(&handlers.pool, move |conn| {
        let Some(call_id) = leads::call_of(conn, tenant_id, lead_id)? else {
            return Ok::<_, JobError>(None);
        };
        Ok(CallStory::load(conn, tenant_id, call_id)?)
    })
    .await?;
    let Some((story, lead)) = story.and_then(|s| s.lead.clone().map(|lead| (s, lead))) else {
        tracing::warn!(lead = %lead_id, "lead or its call is gone; nothing to send");
        return Ok(());
    };
    let call = &story.call;
    let recipients = call.tenant.notification_email_list();
    if recipients.is_empty() {
        tracing::info!(tenant = %call.tenant.slug, "no notification addresses; lead email skipped");
        return Ok(());
    }
    let they_said = story.they_said(QUOTED_LINES);
    let call_url = handlers.call_url(call.call_id);
    let called_at = local_time(call.started_at, &call.tenant.timezone);
    let details = &lead.details;
    let email = mail::lead_notification(
        recipients,
        &mail::LeadNotification {
            tenant_name: &call.tenant.name,
            country_code: story.country_code,
            caller_name: details.name.as_deref(),
            callback_number: details.phone.as_deref(),
            caller_id: story.caller_id(),
            email: details.email.as_deref(),
            reason: details.reason.as_deref(),
            complete: lead.complete,
            urgent: lead.urgent,
            department: lead.department.as_deref(),
            call_url: &call_url,
            called_at: &called_at,
            they_said: &they_said,
        },
        mail::message_id_for(key, &handlers.config.mail_from),
    )
    .map_err(|e| JobError::Permanent(e.into()))?;
    handlers.mailer.send(&email).await?;
    Ok(())
}
