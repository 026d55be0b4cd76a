//! What `SMTP_URL` says, checked once at start-up.
//!
//! `SMTP_URL` forms:
//! - `smtp://user:pass@host:587` — STARTTLS, required (the default for `smtp://`);
//! - `smtps://user:pass@host:465` — TLS from the first byte;
//! - `smtp://host:port?tls=opportunistic` — STARTTLS when the server offers it;
//! - `smtp://host:port?tls=none` — plain SMTP, for a relay on the same machine or tests.
//!
//! The port defaults to 587 (`smtp`) or 465 (`smtps`); user and password are
//! percent-decoded.

use anyhow::{Context, anyhow, bail};

use crate::config::Secret;

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
}
