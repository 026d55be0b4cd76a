//! `LeadNotification`: emails the business the message a caller left, with
//! the end of the transcript.

use super::handlers::{Handlers, JobError};
use crate::calls::history;
use crate::db;
use crate::ids::{LeadId, TenantId};
use crate::leads;
use crate::mail::{self, messages::readable_phone, wording::local_time};

/// The last lines of a transcript, as mailed with a lead.
const TRANSCRIPT_EXCERPT_LINES: usize = 12;

pub(super) async fn run(
    handlers: &Handlers,
    tenant_id: TenantId,
    lead_id: LeadId,
    key: &str,
) -> Result<(), JobError> {
    let loaded = db::run(&handlers.pool, move |conn| {
        let Some(call_id) = leads::call_of(conn, tenant_id, lead_id)? else {
            return Ok::<_, JobError>(None);
        };
        Ok(Some((
            history::find_record(conn, tenant_id, call_id)?,
            leads::details_for_call(conn, tenant_id, call_id)?,
            history::transcript(conn, tenant_id, call_id)?,
        )))
    })
    .await?;
    let Some((Some(call), Some((lead, complete)), transcript)) = loaded else {
        tracing::warn!(lead = %lead_id, "lead or its call is gone; nothing to send");
        return Ok(());
    };
    let recipients = call.tenant.notification_email_list();
    if recipients.is_empty() {
        tracing::info!(tenant = %call.tenant.slug, "no notification addresses; lead email skipped");
        return Ok(());
    }
    let excerpt: Vec<(&str, &str)> = transcript
        .iter()
        .skip(transcript.len().saturating_sub(TRANSCRIPT_EXCERPT_LINES))
        .map(|(s, t)| (s.as_str(), t.as_str()))
        .collect();
    let callback = lead.phone.as_deref().map(readable_phone);
    let call_url = handlers.call_url(call.call_id);
    let called_at = local_time(call.started_at, &call.tenant.timezone);
    let email = mail::lead_notification(
        recipients,
        &mail::LeadNotification {
            tenant_name: &call.tenant.name,
            caller_name: lead.name.as_deref(),
            callback_number: callback.as_deref(),
            email: lead.email.as_deref(),
            reason: lead.reason.as_deref(),
            complete,
            call_url: &call_url,
            called_at: &called_at,
            transcript: &excerpt,
        },
        mail::message_id_for(key, &handlers.config.mail_from),
    )
    .map_err(|e| JobError::Permanent(e.into()))?;
    handlers.mailer.send(&email).await?;
    Ok(())
}
