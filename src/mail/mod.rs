//! Outgoing email: the two messages a business receives (a caller's
//! message, a call summary) and the transport that delivers them, SMTP or a
//! folder of `.eml` files for installations without a mail server.
//!
//! Sending is at-least-once (it runs in a job that may be retried), so every
//! email carries a Message-ID derived from its job key: a retried send is
//! recognisable as the same message. Each recipient is a delivery of its
//! own (`deliveries`), so one refused address never holds up the others.

pub mod deliveries;
pub mod health;
pub mod messages;
#[cfg(test)]
mod messages_tests;
mod outbox;
pub mod phone;
mod smtp;
mod smtp_url;
mod transport;
pub mod wording;

pub use messages::{CallSummary, LeadNotification, call_summary, lead_notification};
pub use smtp_url::{SmtpSecurity, SmtpSettings};
pub use transport::{Delivery, Mailer, Prepared};

/// One email, ready to send: plain text and HTML versions of the same body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// e.g. `<lead-email.42@frontdesk.example.com>`, from [`message_id_for`].
    pub message_id: String,
}

/// Why an email could not be sent to anyone at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MailError {
    /// Worth retrying later: the server is down, refuses the login, times
    /// out or says "try again"; the outbox cannot be written.
    #[error("mail not sent yet, will retry: {0}")]
    Transient(String),
    /// Retrying cannot help: the email itself cannot be sent (no valid
    /// recipient, a message that cannot be built).
    #[error("mail cannot be sent: {0}")]
    Permanent(String),
}

impl MailError {
    pub fn is_permanent(&self) -> bool {
        matches!(self, MailError::Permanent(_))
    }
}

/// What became of one recipient's delivery. Reasons quote the server's
/// reply with addresses masked, so they can be logged and stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecipientOutcome {
    Sent,
    /// Refused for good: a 5xx to RCPT TO, or to the message sent to this
    /// recipient alone, or an address that is not one.
    Rejected(String),
    /// Not delivered yet and worth trying again.
    Pending(String),
}

impl RecipientOutcome {
    pub fn reason(&self) -> Option<&str> {
        match self {
            RecipientOutcome::Sent => None,
            RecipientOutcome::Rejected(reason) | RecipientOutcome::Pending(reason) => Some(reason),
        }
    }
}

/// A stable Message-ID for the email sent by the job with `job_key`, in the
/// domain of `mail_from` (`Frontdesk <frontdesk@desk.example.com>` or a bare
/// address): the same key always gives the same id.
///
/// The key becomes the left part with `:` turned into `.` and any character
/// outside `A-Z a-z 0-9 - _` written as `=XX`, so distinct keys keep distinct
/// ids and the result is always a valid `dot-atom`.
pub fn message_id_for(job_key: &str, mail_from: &str) -> String {
    let left = job_key
        .split(':')
        .map(|segment| {
            if segment.is_empty() {
                return "=".to_owned();
            }
            let mut out = String::with_capacity(segment.len());
            for byte in segment.bytes() {
                if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' {
                    out.push(char::from(byte));
                } else {
                    out.push_str(&format!("={byte:02X}"));
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join(".");
    format!("<{left}@{}>", domain_of(mail_from))
}

/// The domain of the address in `mail_from`, reduced to characters valid in a
/// host name; `localhost` when there is none.
fn domain_of(mail_from: &str) -> String {
    let address = match (mail_from.rfind('<'), mail_from.rfind('>')) {
        (Some(open), Some(close)) if open < close => &mail_from[open + 1..close],
        _ => mail_from,
    };
    let domain: String = address
        .rsplit_once('@')
        .map_or("", |(_, domain)| domain)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
        .collect::<String>()
        .trim_matches('.')
        .to_ascii_lowercase();
    if domain.is_empty() || domain.contains("..") {
        "localhost".to_owned()
    } else {
        domain
    }
}

/// Text safe for a header or a single line of a body: control characters
/// (CR and LF included) become spaces, runs of whitespace collapse.
pub(crate) fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Multi-line text for a body: line breaks kept (normalised to `\n`),
/// every other control character dropped.
pub(crate) fn plain_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| if c == '\r' { '\n' } else { c })
        .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Hides the local part of anything that looks like an email address, so
/// SMTP replies (which often quote the recipient) can be logged and stored.
pub(crate) fn mask_addresses(text: &str) -> String {
    let is_boundary = |c: char| c.is_whitespace() || "<>\"'(),;:[]".contains(c);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '@' {
            let start = out
                .char_indices()
                .rev()
                .find(|(_, c)| is_boundary(*c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            if start < out.len() {
                out.truncate(start);
                out.push_str("***");
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_id_is_stable_and_in_the_sender_domain() {
        let from = "Frontdesk <frontdesk@desk.example.com>";
        let id = message_id_for("lead-email:42", from);
        assert_eq!(id, "<lead-email.42@desk.example.com>");
        assert_eq!(id, message_id_for("lead-email:42", from));
        assert_ne!(id, message_id_for("lead-email:43", from));
        assert_eq!(
            message_id_for("summary-email:7", "frontdesk@Mail.Example.org"),
            "<summary-email.7@mail.example.org>"
        );
    }

    #[test]
    fn the_message_id_uses_only_safe_characters_and_keeps_keys_apart() {
        let from = "Frontdesk <frontdesk@desk.example.com>";
        let tricky = ["a b>\r\nBcc: x@y", ":", "", "a.b", "a:b", "é"];
        let ids: Vec<String> = tricky.iter().map(|k| message_id_for(k, from)).collect();
        for id in &ids {
            let inner = id.strip_prefix('<').and_then(|i| i.strip_suffix('>'));
            let (left, domain) = inner.and_then(|i| i.split_once('@')).unwrap();
            assert_eq!(domain, "desk.example.com");
            assert!(
                left.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.=".contains(c)),
                "{id}"
            );
            assert!(
                !left.starts_with('.') && !left.ends_with('.') && !left.contains(".."),
                "{id}"
            );
        }
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
    }

    #[test]
    fn a_sender_without_a_usable_domain_gives_localhost() {
        assert_eq!(message_id_for("k", "nobody"), "<k@localhost>");
        assert_eq!(message_id_for("k", "x@<>"), "<k@localhost>");
    }

    #[test]
    fn one_line_removes_line_breaks_and_control_characters() {
        assert_eq!(
            one_line(" Hi\r\nBcc: evil@example.com\t\u{7}x "),
            "Hi Bcc: evil@example.com x"
        );
    }

    #[test]
    fn plain_text_keeps_lines_but_drops_other_controls() {
        assert_eq!(plain_text("a\r\nb\rc\u{1b}[31m\n"), "a\nb\nc[31m");
    }

    #[test]
    fn addresses_in_server_replies_are_masked() {
        assert_eq!(
            mask_addresses("550 5.1.1 <jane.doe@example.com>: unknown user jo@x.org"),
            "550 5.1.1 <***@example.com>: unknown user ***@x.org"
        );
        assert_eq!(mask_addresses("no address here"), "no address here");
    }
}
