//! Settings that let Frontdesk start but will fail once real callers, real
//! mail providers or a reverse proxy are involved: found at start-up and
//! logged as warnings, so the operator reads about them in the journal
//! before a business misses a message.

use std::net::IpAddr;

use diesel::prelude::*;

use crate::config::Config;
use crate::db::DbConnection;
use crate::schema::tenants;

/// The warnings for this configuration and database.
pub fn check(conn: &mut DbConnection, config: &Config) -> QueryResult<Vec<String>> {
    let without_token = match config.twilio_auth_token {
        Some(_) => Vec::new(),
        None => tenants_without_a_token(conn)?,
    };
    Ok(warnings(config, &without_token))
}

/// The slugs of the tenants that have no Twilio auth token of their own.
fn tenants_without_a_token(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    tenants::table
        .filter(tenants::twilio_auth_token.is_null())
        .select(tenants::slug)
        .order(tenants::slug)
        .load(conn)
}

/// What will fail with `config`; `tenants_without_token` are the tenants
/// whose webhooks would be checked against the development token (none when
/// `TWILIO_AUTH_TOKEN` is set).
pub fn warnings(config: &Config, tenants_without_token: &[String]) -> Vec<String> {
    let mut warnings = Vec::new();
    let public = url::Url::parse(&config.public_url).ok();
    let public_host_is_local = public
        .as_ref()
        .and_then(|u| u.host_str().map(is_local_host))
        .unwrap_or(true);

    if config.smtp_url.is_some()
        && let Some(domain) = sender_domain(&config.mail_from)
        && is_local_domain(&domain)
    {
        warnings.push(format!(
            "MAIL_FROM is `{}`: mail providers reject a sender at `{domain}`, so lead and summary \
             emails will bounce; set MAIL_FROM to an address at a domain your SMTP account may \
             send for (e.g. Frontdesk <frontdesk@example.com>)",
            config.mail_from
        ));
    }
    if config.smtp_url.is_none() && !public_host_is_local {
        warnings.push(format!(
            "SMTP_URL is not set: lead and summary emails are written as files to {} instead of \
             being sent",
            config.outbox_dir.display()
        ));
    }
    if let Some(url) = &public
        && url.scheme() == "http"
        && !public_host_is_local
    {
        warnings.push(format!(
            "FRONTDESK_PUBLIC_URL is {}: calls' webhooks, dashboard passwords and session cookies \
             would travel unencrypted; put a TLS-terminating proxy in front (deploy/) and set \
             FRONTDESK_PUBLIC_URL=https://...",
            config.public_url
        ));
    }
    if !config.bind.ip().is_loopback() && public_host_is_local {
        warnings.push(format!(
            "listening on {} while FRONTDESK_PUBLIC_URL is {}: Twilio's requests are signed for \
             the URL Twilio uses, so they will be refused; set FRONTDESK_PUBLIC_URL to it",
            config.bind, config.public_url
        ));
    }
    if public.as_ref().is_some_and(|u| u.scheme() == "https")
        && config.bind.ip().is_loopback()
        && !config.trust_proxy
    {
        warnings.push(
            "FRONTDESK_PUBLIC_URL is https:// and Frontdesk listens on loopback, so a reverse \
             proxy is in front, but FRONTDESK_TRUST_PROXY is false: every sign-in seems to come \
             from the proxy's address and one person's failed attempts throttle everyone; set \
             FRONTDESK_TRUST_PROXY=true (the proxy must set X-Forwarded-For)"
                .to_owned(),
        );
    }
    if !tenants_without_token.is_empty() {
        warnings.push(format!(
            "no Twilio auth token for {}: neither TWILIO_AUTH_TOKEN nor the tenant file's \
             twilio_auth_token is set, so their webhooks are checked against the development \
             token and real Twilio calls to them will be refused",
            tenants_without_token.join(", ")
        ));
    }
    warnings
}

/// The domain of `Name <user@domain>` or `user@domain`.
fn sender_domain(mail_from: &str) -> Option<String> {
    let address = match (mail_from.rfind('<'), mail_from.rfind('>')) {
        (Some(open), Some(close)) if open < close => &mail_from[open + 1..close],
        _ => mail_from,
    };
    address
        .rsplit_once('@')
        .map(|(_, domain)| domain.trim().to_ascii_lowercase())
}

/// Domains no mail provider accepts as a sender's.
fn is_local_domain(domain: &str) -> bool {
    !domain.contains('.')
        || [".localhost", ".local", ".localdomain", ".internal", ".test"]
            .iter()
            .any(|suffix| domain.ends_with(suffix))
        || domain.parse::<IpAddr>().is_ok()
}

fn is_local_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Config {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_vars(|name| map.get(name).cloned()).unwrap()
    }

    /// A production setup with nothing to warn about.
    const GOOD: [(&str, &str); 5] = [
        ("FRONTDESK_PUBLIC_URL", "https://desk.example.com"),
        ("FRONTDESK_TRUST_PROXY", "true"),
        ("SMTP_URL", "smtp://user:pass@mail.example.com:587"),
        ("MAIL_FROM", "Frontdesk <desk@example.com>"),
        ("TWILIO_AUTH_TOKEN", "token"),
    ];

    fn with(changes: &[(&'static str, &'static str)]) -> Config {
        let mut vars: Vec<(&str, &str)> = GOOD
            .iter()
            .copied()
            .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
            .collect();
        vars.extend(changes.iter().filter(|(_, v)| !v.is_empty()).copied());
        config(&vars)
    }

    fn single_warning(config: &Config, about: &str) {
        let warnings = warnings(config, &[]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains(about), "{warnings:?}");
    }

    #[test]
    fn a_production_setup_and_the_quick_start_have_nothing_to_warn_about() {
        assert_eq!(warnings(&with(&[]), &[]), Vec::<String>::new());
        assert_eq!(warnings(&config(&[]), &[]), Vec::<String>::new());
    }

    #[test]
    fn a_sender_at_localhost_is_flagged_once_mail_really_goes_out() {
        single_warning(&with(&[("MAIL_FROM", "")]), "frontdesk@localhost");
        single_warning(&with(&[("MAIL_FROM", "desk@server.local")]), "MAIL_FROM");
        single_warning(&with(&[("MAIL_FROM", "desk@mailhost")]), "MAIL_FROM");
        assert!(
            warnings(&config(&[]), &[]).is_empty(),
            "the outbox takes any sender"
        );
    }

    #[test]
    fn mail_to_the_outbox_is_flagged_on_a_public_installation() {
        single_warning(&with(&[("SMTP_URL", "")]), "SMTP_URL is not set");
    }

    #[test]
    fn an_http_public_url_is_flagged_unless_it_is_local() {
        single_warning(
            &with(&[("FRONTDESK_PUBLIC_URL", "http://desk.example.com")]),
            "unencrypted",
        );
        let local = with(&[
            ("FRONTDESK_PUBLIC_URL", "http://localhost:8080"),
            ("SMTP_URL", ""),
            ("FRONTDESK_TRUST_PROXY", "false"),
        ]);
        assert!(warnings(&local, &[]).is_empty());
    }

    #[test]
    fn listening_publicly_without_a_public_url_is_flagged() {
        let open = with(&[
            ("FRONTDESK_PUBLIC_URL", ""),
            ("FRONTDESK_BIND", "0.0.0.0:8080"),
        ]);
        single_warning(&open, "signed for the URL Twilio uses");
    }

    #[test]
    fn a_proxy_in_front_without_trusting_it_is_flagged() {
        single_warning(
            &with(&[("FRONTDESK_TRUST_PROXY", "false")]),
            "FRONTDESK_TRUST_PROXY",
        );
    }

    #[test]
    fn tenants_without_a_twilio_token_are_named() {
        let warnings = warnings(&with(&[]), &["acme".to_owned(), "bright".to_owned()]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("acme, bright"), "{warnings:?}");
    }
}
