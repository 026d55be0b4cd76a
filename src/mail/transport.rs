//! Delivery: SMTP when `SMTP_URL` is set (see `smtp_url`), otherwise `.eml`
//! files in the outbox folder (`FRONTDESK_OUTBOX_DIR`).
//!
//! An email is built once ([`Mailer::prepare`]) and delivered to each
//! recipient on its own ([`Delivery::send_to`]), so the caller can record
//! every recipient's outcome as it happens.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::anyhow;
use lettre::Address;
use lettre::Message;
use lettre::message::{Mailbox, MultiPart};

use super::smtp::{Session, SmtpClient};
use super::smtp_url::SmtpSettings;
use super::{Email, MailError, RecipientOutcome, mask_addresses, one_line, outbox};
use crate::config::Config;

/// Sends [`Email`]s from the configured sender.
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    via: Via,
}

/// An enum, not a trait object: there are exactly two transports and
/// neither needs to be swapped at run time.
#[derive(Clone)]
enum Via {
    Smtp(SmtpClient),
    Outbox(PathBuf),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.via {
            Via::Smtp(_) => f.write_str("Mailer::Smtp"),
            Via::Outbox(dir) => write!(f, "Mailer::Outbox({})", dir.display()),
        }
    }
}

/// An email built and ready for any of its recipients: every copy is the
/// same bytes, with the same Message-ID and the same `To:` header.
#[derive(Debug, Clone)]
pub struct Prepared {
    sender: Address,
    message_id: String,
    bytes: Vec<u8>,
}

impl Mailer {
    /// SMTP when `SMTP_URL` is set, else the outbox folder.
    pub fn from_config(config: &Config) -> anyhow::Result<Mailer> {
        match &config.smtp_url {
            Some(url) => Mailer::smtp(
                &SmtpSettings::parse(url.expose())?,
                &config.mail_from,
                config.smtp_timeout,
                config.smtp_connections,
            ),
            None => Mailer::outbox(&config.outbox_dir, &config.mail_from),
        }
    }

    /// `timeout` bounds each step: connecting and logging in, then each
    /// recipient's transaction; at most `connections` are open at once.
    pub fn smtp(
        settings: &SmtpSettings,
        mail_from: &str,
        timeout: Duration,
        connections: usize,
    ) -> anyhow::Result<Mailer> {
        Ok(Mailer {
            from: sender(mail_from)?,
            via: Via::Smtp(SmtpClient::new(settings, timeout, connections)?),
        })
    }

    /// Writes each email as `<dir>/<timestamp>-<message id>.eml`; the folder
    /// is created on the first send.
    pub fn outbox(dir: &Path, mail_from: &str) -> anyhow::Result<Mailer> {
        Ok(Mailer {
            from: sender(mail_from)?,
            via: Via::Outbox(dir.to_owned()),
        })
    }

    /// Builds `email` once for all its recipients. Fails (permanently) only
    /// when the email itself cannot be sent to anyone: no recipient, no
    /// valid address among them, a message that cannot be built.
    pub fn prepare(&self, email: &Email) -> Result<Prepared, MailError> {
        let message_id = one_line(&email.message_id).replace(' ', "");
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(one_line(&email.subject))
            .message_id(Some(message_id.clone()));
        let valid: Vec<Mailbox> = email.to.iter().filter_map(|to| mailbox(to)).collect();
        if valid.is_empty() {
            return Err(MailError::Permanent(
                "the email has no valid recipient".to_owned(),
            ));
        }
        for to in valid {
            builder = builder.to(to);
        }
        let message = builder
            .multipart(MultiPart::alternative_plain_html(
                email.text.clone(),
                email.html.clone(),
            ))
            .map_err(|e| MailError::Permanent(format!("cannot build the message: {e}")))?;
        Ok(Prepared {
            sender: self.from.email.clone(),
            message_id,
            bytes: message.formatted(),
        })
    }

    /// Gets ready to deliver: for SMTP, a connection that is up, secured and
    /// logged in (a failure here is always worth retrying).
    pub async fn open(&self) -> Result<Delivery, MailError> {
        let open = match &self.via {
            Via::Smtp(client) => Open::Smtp(Box::new(client.open().await?)),
            Via::Outbox(dir) => Open::Outbox {
                dir: dir.clone(),
                written: None,
            },
        };
        Ok(Delivery(open))
    }

    /// Delivers `email` to each of its recipients, keeping no record: what
    /// became of each recipient, in order. For tools and tests; jobs record
    /// each outcome as it happens instead.
    pub async fn send(&self, email: &Email) -> Result<Vec<RecipientOutcome>, MailError> {
        let prepared = self.prepare(email)?;
        let mut delivery = self.open().await?;
        let mut outcomes = Vec::with_capacity(email.to.len());
        for to in &email.to {
            outcomes.push(delivery.send_to(&prepared, to).await);
        }
        delivery.close().await;
        Ok(outcomes)
    }
}

/// An open delivery of one or more prepared emails.
pub struct Delivery(Open);

enum Open {
    /// Boxed: a live connection is large, an outbox folder is not.
    Smtp(Box<Session>),
    /// The outbox holds one file per email with every recipient in its
    /// `To:` header: the first recipient's delivery writes it, and the
    /// others are delivered with it. `written` is its Message-ID.
    Outbox {
        dir: PathBuf,
        written: Option<String>,
    },
}

impl Delivery {
    /// Delivers `prepared` to `recipient` (for SMTP, one transaction).
    pub async fn send_to(&mut self, prepared: &Prepared, recipient: &str) -> RecipientOutcome {
        let Some(to) = mailbox(recipient) else {
            return RecipientOutcome::Rejected("not a valid email address".to_owned());
        };
        let outcome = match &mut self.0 {
            Open::Smtp(session) => {
                session
                    .send_to(&prepared.sender, &to.email, &prepared.bytes)
                    .await
            }
            Open::Outbox { written, .. } if *written == Some(prepared.message_id.clone()) => {
                RecipientOutcome::Sent
            }
            Open::Outbox { dir, written } => {
                match outbox::write(dir, &prepared.message_id, prepared.bytes.clone()).await {
                    Ok(path) => {
                        tracing::info!(path = %path.display(), "mail written to the outbox");
                        *written = Some(prepared.message_id.clone());
                        RecipientOutcome::Sent
                    }
                    Err(err) => RecipientOutcome::Pending(err.to_string()),
                }
            }
        };
        let recipient = mask_addresses(to.email.as_ref());
        match &outcome {
            RecipientOutcome::Sent => {
                tracing::info!(message_id = %prepared.message_id, %recipient, "mail sent");
            }
            RecipientOutcome::Rejected(reason) | RecipientOutcome::Pending(reason) => {
                tracing::debug!(message_id = %prepared.message_id, %recipient, %reason, "mail not sent");
            }
        }
        outcome
    }

    /// Ends the delivery (for SMTP, QUIT and close the connection).
    pub async fn close(self) {
        if let Open::Smtp(session) = self.0 {
            session.close().await;
        }
    }
}

fn sender(mail_from: &str) -> anyhow::Result<Mailbox> {
    mail_from
        .parse()
        .map_err(|e| anyhow!("MAIL_FROM `{mail_from}` is not a valid sender: {e}"))
}

fn mailbox(address: &str) -> Option<Mailbox> {
    address.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(to: &[&str]) -> Email {
        Email {
            to: to.iter().map(|a| (*a).to_owned()).collect(),
            subject: "s".to_owned(),
            text: "t".to_owned(),
            html: "h".to_owned(),
            message_id: "<k@example.com>".to_owned(),
        }
    }

    fn outbox_mailer() -> Mailer {
        Mailer::outbox(Path::new("unused"), "frontdesk@example.com").unwrap()
    }

    #[test]
    fn every_url_form_builds_a_transport() {
        for url in [
            "smtp://u:p@mail.example.com",
            "smtps://mail.example.com",
            "smtp://mail.example.com?tls=opportunistic",
            "smtp://127.0.0.1:2525?tls=none",
        ] {
            let settings = SmtpSettings::parse(url).unwrap();
            Mailer::smtp(
                &settings,
                "Frontdesk <frontdesk@example.com>",
                Duration::from_secs(1),
                4,
            )
            .unwrap();
        }
    }

    #[test]
    fn an_email_with_no_valid_recipient_cannot_be_sent_at_all() {
        let mailer = outbox_mailer();
        for to in [&["not an address"][..], &[]] {
            assert!(mailer.prepare(&email(to)).unwrap_err().is_permanent());
        }
    }

    #[test]
    fn invalid_addresses_are_left_out_of_the_to_header() {
        let prepared = outbox_mailer()
            .prepare(&email(&["not an address", "owner@example.com"]))
            .unwrap();
        let text = String::from_utf8(prepared.bytes).unwrap();
        assert!(text.contains("To: owner@example.com\r\n"), "{text}");
        assert!(!text.contains("not an address"), "{text}");
    }

    #[tokio::test]
    async fn an_invalid_recipient_is_rejected_without_contacting_anyone() {
        let mailer = outbox_mailer();
        let prepared = mailer.prepare(&email(&["owner@example.com"])).unwrap();
        let mut delivery = mailer.open().await.unwrap();
        let outcome = delivery.send_to(&prepared, "not an address").await;
        assert!(
            matches!(outcome, RecipientOutcome::Rejected(_)),
            "{outcome:?}"
        );
    }
}
