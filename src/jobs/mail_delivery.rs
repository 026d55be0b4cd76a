//! Delivering a job's email one recipient at a time and recording each
//! recipient's outcome (`mail::deliveries`), so a retry sends only to those
//! still pending and one bad address never blocks the rest.

use anyhow::anyhow;

use super::handlers::{Handlers, JobError};
use crate::ids::TenantId;
use crate::mail::deliveries::{self, StoredDelivery};
use crate::mail::{Delivery, Email, Prepared, RecipientOutcome, mask_addresses};

/// Sends `email` to every recipient not yet sent or refused for the job
/// with `key`. Done when every recipient is sent or refused (refusals are
/// logged); retried while any is pending; dead when every one was refused,
/// so a lead nobody received shows among the dead jobs.
///
/// The outcomes are written once the connection is handed back (it is one
/// of few, see `SMTP_MAX_CONNECTIONS`), together with other jobs' writes,
/// before the job counts as done: a worker killed between the send and the
/// write sends this email again after the restart, with the same
/// Message-ID, so it is delivered at least once.
pub(super) async fn deliver(
    handlers: &Handlers,
    tenant_id: TenantId,
    key: &str,
    email: &Email,
    stored: &[StoredDelivery],
) -> Result<(), JobError> {
    let prepared = handlers.mailer.prepare(email)?;
    let (settled, to_send) = split_settled(&email.to, stored);
    if to_send.is_empty() {
        return verdict(&settled);
    }
    let (sent, unreachable) = match handlers.mailer.open().await {
        Ok(delivery) => (send_each(delivery, &prepared, to_send).await, None),
        Err(err) => {
            let reason = err.to_string();
            let pending = to_send
                .into_iter()
                .map(|recipient| (recipient, RecipientOutcome::Pending(reason.clone())))
                .collect();
            (pending, Some(err))
        }
    };
    record(handlers, tenant_id, key, &sent).await?;
    if let Some(err) = unreachable {
        return Err(JobError::Retry(err.into()));
    }
    let outcomes: Vec<_> = settled.into_iter().chain(sent).collect();
    verdict(&outcomes)
}

/// Writes the outcomes of one attempt, in one write.
async fn record(
    handlers: &Handlers,
    tenant_id: TenantId,
    key: &str,
    outcomes: &[(String, RecipientOutcome)],
) -> Result<(), JobError> {
    let (key, outcomes) = (key.to_owned(), outcomes.to_vec());
    let now = crate::clock::now();
    handlers
        .write(move |conn| {
            for (recipient, outcome) in &outcomes {
                deliveries::record(conn, tenant_id, &key, recipient, outcome, now)?;
            }
            Ok(())
        })
        .await
}

/// The recipients already settled (with their outcome) and those still to
/// send, each address once.
fn split_settled(
    recipients: &[String],
    stored: &[StoredDelivery],
) -> (Vec<(String, RecipientOutcome)>, Vec<String>) {
    let mut settled = Vec::new();
    let mut to_send: Vec<String> = Vec::new();
    for recipient in recipients.iter().map(|r| r.trim()) {
        let seen = |r: &String| r.eq_ignore_ascii_case(recipient);
        if to_send.iter().any(seen) || settled.iter().any(|(r, _)| seen(r)) {
            continue;
        }
        match stored.iter().find(|d| d.recipient == recipient) {
            Some(done) if done.status.is_settled() => {
                settled.push((recipient.to_owned(), done.outcome()));
            }
            _ => to_send.push(recipient.to_owned()),
        }
    }
    (settled, to_send)
}

async fn send_each(
    mut delivery: Delivery,
    prepared: &Prepared,
    recipients: Vec<String>,
) -> Vec<(String, RecipientOutcome)> {
    let mut outcomes = Vec::with_capacity(recipients.len());
    for recipient in recipients {
        let outcome = delivery.send_to(prepared, &recipient).await;
        if let RecipientOutcome::Rejected(reply) = &outcome {
            tracing::warn!(recipient = %mask_addresses(&recipient), %reply, "recipient refused; not retried");
        }
        outcomes.push((recipient, outcome));
    }
    delivery.close().await;
    outcomes
}

/// The job's result from its recipients' outcomes, with the reasons in the
/// error (the worker logs and stores it).
fn verdict(outcomes: &[(String, RecipientOutcome)]) -> Result<(), JobError> {
    let reasons = |keep: fn(&RecipientOutcome) -> bool| -> Vec<String> {
        outcomes
            .iter()
            .filter(|(_, outcome)| keep(outcome))
            .map(|(recipient, outcome)| {
                let reason = outcome.reason().unwrap_or_default();
                format!("{}: {reason}", mask_addresses(recipient))
            })
            .collect()
    };
    let pending = reasons(|o| matches!(o, RecipientOutcome::Pending(_)));
    if !pending.is_empty() {
        return Err(JobError::Retry(anyhow!(
            "{} of {} recipients not delivered yet; {}",
            pending.len(),
            outcomes.len(),
            pending.join("; ")
        )));
    }
    let rejected = reasons(|o| matches!(o, RecipientOutcome::Rejected(_)));
    if rejected.len() == outcomes.len() {
        return Err(JobError::Permanent(anyhow!(
            "every recipient was refused; {}",
            rejected.join("; ")
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::deliveries::DeliveryStatus;

    fn stored(recipient: &str, status: DeliveryStatus) -> StoredDelivery {
        StoredDelivery {
            recipient: recipient.to_owned(),
            status,
            attempts: 1,
            last_error: Some("550 no such user".to_owned()),
        }
    }

    fn owned(addresses: &[&str]) -> Vec<String> {
        addresses.iter().map(|a| (*a).to_owned()).collect()
    }

    #[test]
    fn only_recipients_not_yet_sent_or_refused_are_sent_to_and_each_only_once() {
        let recipients = owned(&["a@x.org", "b@x.org", " c@x.org", "A@x.org", "d@x.org"]);
        let rows = [
            stored("a@x.org", DeliveryStatus::Sent),
            stored("b@x.org", DeliveryStatus::Rejected),
            stored("c@x.org", DeliveryStatus::Pending),
        ];
        let (settled, to_send) = split_settled(&recipients, &rows);
        assert_eq!(to_send, ["c@x.org", "d@x.org"]);
        assert_eq!(settled.len(), 2);
        assert_eq!(settled[0], ("a@x.org".to_owned(), RecipientOutcome::Sent));
    }

    #[test]
    fn a_pending_recipient_means_retry_with_every_reason_given() {
        let outcomes = [
            ("a@x.org".to_owned(), RecipientOutcome::Sent),
            (
                "b@x.org".to_owned(),
                RecipientOutcome::Pending("451 try later".to_owned()),
            ),
        ];
        let err = verdict(&outcomes).unwrap_err();
        assert!(matches!(err, JobError::Retry(_)));
        assert_eq!(
            err.to_string(),
            "1 of 2 recipients not delivered yet; ***@x.org: 451 try later"
        );
    }

    #[test]
    fn a_refused_recipient_does_not_fail_the_others() {
        let outcomes = [
            ("a@x.org".to_owned(), RecipientOutcome::Sent),
            (
                "b@x.org".to_owned(),
                RecipientOutcome::Rejected("550".to_owned()),
            ),
        ];
        assert!(verdict(&outcomes).is_ok());
    }

    #[test]
    fn when_every_recipient_is_refused_the_job_is_dead_with_the_replies() {
        let outcomes = [(
            "b@x.org".to_owned(),
            RecipientOutcome::Rejected("550 unknown".to_owned()),
        )];
        let err = verdict(&outcomes).unwrap_err();
        assert!(matches!(err, JobError::Permanent(_)));
        assert!(err.to_string().contains("***@x.org: 550 unknown"), "{err}");
    }
}
