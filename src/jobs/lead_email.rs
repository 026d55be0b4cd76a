//! `LeadNotification`: emails the business the message a caller left, with
//! what they said that is worth reading.

use super::call_story::{LoadedStory, StoryOf, StoryRequest};
use super::handlers::{Handlers, JobError};
use super::mail_delivery;
use crate::ai::summary::said;
use crate::conversation::state::StateName;
use crate::ids::{LeadId, TenantId};
use crate::leads::StoredLead;
use crate::mail::{self, Email, wording::local_time};
use crate::tenants;

/// The most caller lines quoted in a lead email.
const QUOTED_LINES: usize = 5;

pub(super) async fn run(
    handlers: &Handlers,
    tenant_id: TenantId,
    lead_id: LeadId,
    key: &str,
) -> Result<(), JobError> {
    let request = StoryRequest {
        tenant_id,
        of: StoryOf::Lead(lead_id),
        deliveries_of: Some(key.to_owned()),
    };
    let loaded = handlers.story(request).await?;
    let Some((story, lead, stored)) = loaded.and_then(|LoadedStory { story, deliveries }| {
        story.lead.clone().map(|lead| (story, lead, deliveries))
    }) else {
        tracing::warn!(lead = %lead_id, "lead or its call is gone; nothing to send");
        return Ok(());
    };
    let call = &story.call;
    let recipients = call.tenant.notification_email_list();
    if recipients.is_empty() {
        tracing::info!(tenant = %call.tenant.slug, "no notification addresses; lead email skipped");
        return Ok(());
    }
    let call_url = handlers.call_url(call.call_id);
    let called_at = local_time(call.started_at, &call.tenant.timezone);
    let email = lead_email(
        recipients,
        &LeadEmailSource {
            tenant_name: &call.tenant.name,
            country_code: story.country_code,
            lead: &lead,
            from_number: &call.from_number,
            caller_lines: &story.caller_lines(),
            call_url: &call_url,
            called_at: &called_at,
        },
        mail::message_id_for(key, &handlers.config.mail_from),
    )
    .map_err(|e| JobError::Permanent(e.into()))?;
    mail_delivery::deliver(handlers, tenant_id, key, &email, &stored).await
}

/// What a lead email is written from: the message as stored and the call it
/// was left on.
pub struct LeadEmailSource<'a> {
    pub tenant_name: &'a str,
    /// The tenant's calling code, for writing phone numbers.
    pub country_code: u16,
    pub lead: &'a StoredLead,
    /// The number the call came from, as Twilio gave it (withheld numbers
    /// are not real numbers and are not shown).
    pub from_number: &'a str,
    /// The caller's lines in order, each with the state it was said in.
    pub caller_lines: &'a [(&'a str, StateName)],
    pub call_url: &'a str,
    /// Already formatted in the tenant's timezone.
    pub called_at: &'a str,
}

/// The email the business gets about a message. Pure, so the call corpus
/// checks the very email the job sends.
pub fn lead_email(
    recipients: Vec<String>,
    source: &LeadEmailSource,
    message_id: String,
) -> Result<Email, askama::Error> {
    let they_said = said::worth_quoting(
        source.caller_lines.iter().copied(),
        source.tenant_name,
        QUOTED_LINES,
    );
    let details = &source.lead.details;
    mail::lead_notification(
        recipients,
        &mail::LeadNotification {
            tenant_name: source.tenant_name,
            country_code: source.country_code,
            caller_name: details.name.as_deref(),
            callback_number: details.phone.as_deref(),
            caller_id: Some(source.from_number).filter(|n| tenants::file::is_e164(n)),
            email: details.email.as_deref(),
            reason: details.reason.as_deref(),
            complete: source.lead.complete,
            urgent: source.lead.urgent,
            department: source.lead.department.as_deref(),
            call_url: source.call_url,
            called_at: source.called_at,
            they_said: &they_said,
        },
        message_id,
    )
}
