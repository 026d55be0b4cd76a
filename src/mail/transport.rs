//! Delivery: SMTP when `SMTP_URL` is set, otherwise `.eml` files in the
//! outbox folder (`FRONTDESK_OUTBOX_DIR`).
//!
//! `SMTP_URL` forms:
//! - `smtp://user:pass@host:587` — STARTTLS, required (the default for `smtp://`);
//! - `smtps://user:pass@host:465` — TLS from the first byte;
//! - `smtp://host:port?tls=opportunistic` — STARTTLS when the server offers it;
//! - `smtp://host:port?tls=none` — plain SMTP, for a relay on the same machine or tests.
//!
//! The port defaults to 587 (`smtp`) or 465 (`smtps`); user and password are
//! percent-decoded.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{Email, MailError, mask_addresses, one_line};
use crate::config::{Config, Secret};

/// How long one SMTP command may take before the send counts as failed (and is retried).
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtps://`: TLS from the first byte.
    ImplicitTls,
    /// `smtp://` (or `?tls=required`): STARTTLS, refusing to send without it.
    StartTlsRequired,
    /// `?tls=opportunistic`: STARTTLS when offered.
    StartTlsOpportunistic,
    /// `?tls=none`: no encryption at all.
    None,
}

/// What `SMTP_URL` says, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub credentials: Option<(String, Secret)>,
}

impl SmtpSettings {
    /// Errors never repeat the URL: it may hold a password.
    pub fn parse(smtp_url: &str) -> anyhow::Result<SmtpSettings> {
        let url = url::Url::parse(smtp_url).map_err(|e| anyhow!("SMTP_URL is not a URL: {e}"))?;
        let host = match url.host() {
            Some(url::Host::Domain(domain)) if !domain.is_empty() => domain.to_owned(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            _ => bail!("SMTP_URL has no host"),
        };
        let tls = url
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.into_owned());
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtps", None | Some("required")) => (SmtpSecurity::ImplicitTls, 465),
            ("smtp", None | Some("required")) => (SmtpSecurity::StartTlsRequired, 587),
            ("smtp", Some("opportunistic")) => (SmtpSecurity::StartTlsOpportunistic, 587),
            ("smtp", Some("none")) => (SmtpSecurity::None, 587),
            ("smtp" | "smtps", Some(other)) => bail!(
                "SMTP_URL: tls={other} is not one of required, opportunistic, none (smtp:// only)"
            ),
            (scheme, _) => bail!("SMTP_URL: scheme {scheme}:// is not smtp:// or smtps://"),
        };
        let decode = |part: &str, what: &str| {
            percent_decode(part).with_context(|| format!("SMTP_URL: the {what} is not UTF-8"))
        };
        let credentials = if url.username().is_empty() {
            None
        } else {
            let user = decode(url.username(), "user name")?;
            let password = decode(url.password().unwrap_or(""), "password")?;
            Some((user, Secret::new(password)))
        };
        Ok(SmtpSettings {
            host,
            port: url.port().unwrap_or(default_port),
            security,
            credentials,
        })
    }

    fn transport(&self) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
        let tls = |host: &str| {
            TlsParameters::new(host.to_owned()).context("SMTP_URL: cannot set up TLS for the host")
        };
        let builder = match self.security {
            SmtpSecurity::ImplicitTls => AsyncSmtpTransport::<Tokio1Executor>::relay(&self.host)?,
            SmtpSecurity::StartTlsRequired => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&self.host)?
            }
            SmtpSecurity::StartTlsOpportunistic => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host)
                    .tls(Tls::Opportunistic(tls(&self.host)?))
            }
            SmtpSecurity::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host)
            }
        };
        let builder = builder.port(self.port).timeout(Some(SMTP_TIMEOUT));
        let builder = match &self.credentials {
            Some((user, password)) => {
                builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()))
            }
            None => builder,
        };
        Ok(builder.build())
    }
}

fn percent_decode(text: &str) -> Result<String, std::string::FromUtf8Error> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out)
}

/// Sends [`Email`]s. An enum, not a trait object: there are exactly two
/// transports and neither needs to be swapped at run time.
#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Outbox {
        dir: PathBuf,
        from: Mailbox,
    },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::Smtp { .. } => f.write_str("Mailer::Smtp"),
            Mailer::Outbox { dir, .. } => write!(f, "Mailer::Outbox({})", dir.display()),
        }
    }
}

impl Mailer {
    /// SMTP when `SMTP_URL` is set, else the outbox folder.
    pub fn from_config(config: &Config) -> anyhow::Result<Mailer> {
        match &config.smtp_url {
            Some(url) => Mailer::smtp(&SmtpSettings::parse(url.expose())?, &config.mail_from),
            None => Mailer::outbox(&config.outbox_dir, &config.mail_from),
        }
    }

    pub fn smtp(settings: &SmtpSettings, mail_from: &str) -> anyhow::Result<Mailer> {
        Ok(Mailer::Smtp {
            transport: settings.transport()?,
            from: sender(mail_from)?,
        })
    }

    /// Writes each email as `<dir>/<timestamp>-<message id>.eml`; the folder
    /// is created on the first send.
    pub fn outbox(dir: &Path, mail_from: &str) -> anyhow::Result<Mailer> {
        Ok(Mailer::Outbox {
            dir: dir.to_owned(),
            from: sender(mail_from)?,
        })
    }

    pub async fn send(&self, email: &Email) -> Result<(), MailError> {
        let from = match self {
            Mailer::Smtp { from, .. } | Mailer::Outbox { from, .. } => from,
        };
        let message = build_message(from, email)?;
        match self {
            Mailer::Smtp { transport, .. } => {
                transport.send(message).await.map_err(classify)?;
            }
            Mailer::Outbox { dir, .. } => {
                let path = write_to_outbox(dir.clone(), message).await?;
                tracing::info!(path = %path.display(), "mail written to the outbox");
            }
        }
        tracing::info!(
            message_id = %email.message_id,
            recipients = email.to.len(),
            "mail sent"
        );
        Ok(())
    }
}

fn sender(mail_from: &str) -> anyhow::Result<Mailbox> {
    mail_from
        .parse()
        .map_err(|e| anyhow!("MAIL_FROM `{mail_from}` is not a valid sender: {e}"))
}

/// The complete message. Header text is reduced to one line first, so
/// nothing in a subject can start a header of its own.
fn build_message(from: &Mailbox, email: &Email) -> Result<Message, MailError> {
    if email.to.is_empty() {
        return Err(MailError::Permanent(
            "the email has no recipient".to_owned(),
        ));
    }
    let mut builder = Message::builder()
        .from(from.clone())
        .subject(one_line(&email.subject))
        .message_id(Some(one_line(&email.message_id).replace(' ', "")));
    for (index, to) in email.to.iter().enumerate() {
        let mailbox: Mailbox = to.trim().parse().map_err(|_| {
            MailError::Permanent(format!("recipient {} is not a valid address", index + 1))
        })?;
        builder = builder.to(mailbox);
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            email.text.clone(),
            email.html.clone(),
        ))
        .map_err(|e| MailError::Permanent(format!("cannot build the message: {e}")))
}

/// 5xx replies are final; everything else (4xx, refused connections,
/// timeouts, TLS trouble) may pass, so the job retries it.
fn classify(err: lettre::transport::smtp::Error) -> MailError {
    let text = mask_addresses(&err.to_string());
    if err.is_permanent() {
        MailError::Permanent(text)
    } else {
        MailError::Transient(text)
    }
}

/// Writes to a hidden temporary file, then renames it, so a reader of the
/// folder never sees half a message.
async fn write_to_outbox(dir: PathBuf, message: Message) -> Result<PathBuf, MailError> {
    let io_error = |e: std::io::Error| MailError::Transient(format!("outbox: {e}"));
    let name = format!(
        "{}-{}.eml",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ"),
        file_safe(message_id_of(&message).as_deref().unwrap_or("message"))
    );
    tokio::task::spawn_blocking(move || {
        crate::private_files::create_dir(&dir)?;
        let path = dir.join(&name);
        let temporary = dir.join(format!(".{name}.tmp"));
        {
            use std::io::Write;
            let mut file = crate::private_files::create(&temporary)?;
            file.write_all(&message.formatted())?;
            file.sync_all()?;
        }
        std::fs::rename(&temporary, &path)?;
        Ok(path)
    })
    .await
    .map_err(|e| MailError::Transient(format!("outbox: {e}")))?
    .map_err(io_error)
}

fn message_id_of(message: &Message) -> Option<String> {
    message
        .headers()
        .get_raw("Message-ID")
        .map(|id| id.trim_matches(['<', '>']).to_owned())
}

fn file_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.=@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> SmtpSettings {
        SmtpSettings::parse(url).unwrap()
    }

    #[test]
    fn smtp_means_required_starttls_on_port_587_by_default() {
        let s = parse("smtp://mail.example.com");
        assert_eq!(s.host, "mail.example.com");
        assert_eq!(s.port, 587);
        assert_eq!(s.security, SmtpSecurity::StartTlsRequired);
        assert_eq!(s.credentials, None);
    }

    #[test]
    fn smtps_means_implicit_tls_on_port_465_by_default() {
        let s = parse("smtps://mail.example.com");
        assert_eq!((s.port, s.security), (465, SmtpSecurity::ImplicitTls));
        let s = parse("smtps://mail.example.com:2465");
        assert_eq!(s.port, 2465);
    }

    #[test]
    fn the_tls_parameter_chooses_opportunistic_or_plain_smtp() {
        let s = parse("smtp://127.0.0.1:2525?tls=none");
        assert_eq!(
            (s.host.as_str(), s.port, s.security),
            ("127.0.0.1", 2525, SmtpSecurity::None)
        );
        let s = parse("smtp://relay.local:25?tls=opportunistic");
        assert_eq!(s.security, SmtpSecurity::StartTlsOpportunistic);
        let s = parse("smtp://[::1]:25?tls=none");
        assert_eq!(s.host, "::1");
    }

    #[test]
    fn credentials_come_from_the_url_percent_decoded() {
        let s = parse("smtp://desk%40example.com:p%40ss%3Aw%2Frd@mail.example.com:587");
        let (user, password) = s.credentials.unwrap();
        assert_eq!(user, "desk@example.com");
        assert_eq!(password.expose(), "p@ss:w/rd");
    }

    #[test]
    fn bad_urls_are_refused_without_repeating_the_password() {
        for url in [
            "mail.example.com:25",
            "http://user:hunter2@mail.example.com",
            "smtp://user:hunter2@mail.example.com?tls=maybe",
            "smtps://user:hunter2@mail.example.com?tls=none",
            "smtp://user:hunter2@:25",
            "smtp:///nohost",
        ] {
            let err = SmtpSettings::parse(url).unwrap_err().to_string();
            assert!(!err.contains("hunter2"), "{err}");
            assert!(err.starts_with("SMTP_URL"), "{url}: {err}");
        }
    }

    #[test]
    fn the_password_never_appears_in_debug_output() {
        let s = parse("smtp://user:hunter2@mail.example.com");
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn every_url_form_builds_a_transport() {
        for url in [
            "smtp://u:p@mail.example.com",
            "smtps://mail.example.com",
            "smtp://mail.example.com?tls=opportunistic",
            "smtp://127.0.0.1:2525?tls=none",
        ] {
            Mailer::smtp(&parse(url), "Frontdesk <frontdesk@example.com>").unwrap();
        }
    }

    #[test]
    fn an_invalid_recipient_is_a_permanent_failure() {
        let from: Mailbox = "frontdesk@example.com".parse().unwrap();
        let email = Email {
            to: vec!["not an address".to_owned()],
            subject: "s".to_owned(),
            text: "t".to_owned(),
            html: "h".to_owned(),
            message_id: "<k@example.com>".to_owned(),
        };
        assert!(build_message(&from, &email).unwrap_err().is_permanent());
        let nobody = Email {
            to: vec![],
            ..email
        };
        assert!(build_message(&from, &nobody).unwrap_err().is_permanent());
    }
}
