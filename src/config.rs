//! Typed configuration, read once from the environment (and `.env` when
//! present) into `Config`, which then travels inside `AppState`.

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use crate::db::{DatabaseUrl, DbTimeouts};

/// A secret value: usable, but `Debug`/`Display` never print it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    /// Connections in the database pool.
    pub db_pool_size: u32,
    /// Limits on waiting for and running database work.
    pub db_timeouts: DbTimeouts,
    /// How long a Twilio webhook may take before the caller is answered with
    /// the safe fallback (Twilio itself gives up at 15 s).
    pub webhook_budget: Duration,
    pub bind: SocketAddr,
    /// Base URL Twilio uses to reach this server (scheme, host, optional port,
    /// optional path prefix; no trailing slash). Signatures are checked against it.
    pub public_url: String,
    pub twilio_auth_token: Option<Secret>,
    pub twilio_account_sid: Option<String>,
    /// The LLM brain; `None` = the rules brain alone.
    pub llm: Option<LlmSettings>,
    /// `smtp://user:pass@host:587`; `None` writes mail to `outbox_dir`.
    pub smtp_url: Option<Secret>,
    pub outbox_dir: PathBuf,
    pub mail_from: String,
    /// The longest one SMTP step (connecting and logging in, or one
    /// recipient's transaction) may take before it is abandoned and retried.
    pub smtp_timeout: Duration,
    /// The most SMTP connections open at once: jobs beyond it wait for one
    /// (mail providers limit a client's concurrent connections).
    pub smtp_connections: usize,
    /// 64+ bytes; `None` = generated once and stored in the database.
    pub session_key: Option<Secret>,
    /// Whether a reverse proxy in front sets `X-Forwarded-For`: then its
    /// first hop is the client address login throttling counts by.
    pub trust_proxy: bool,
    /// How long in-flight requests get to finish on shutdown.
    pub shutdown_grace: Duration,
    pub worker: WorkerSettings,
    /// `FRONTDESK_DEMO`: whether an empty database gets the demo business
    /// (`None` = decided by [`Config::seeds_demo`]'s rule).
    pub demo: Option<bool>,
    /// Where a first run without the demo writes the super admin's initial
    /// password (0600; the password never goes to the log).
    pub admin_password_file: PathBuf,
}

/// An OpenAI-compatible chat completions server the OpenAI brain talks to.
#[derive(Debug, Clone, PartialEq)]
pub struct LlmSettings {
    /// `OPENAI_API_KEY`; local servers that need none accept any value.
    pub api_key: Secret,
    /// `.../v1` of any OpenAI-compatible server; `None` = OpenAI itself.
    pub base_url: Option<String>,
    /// The model unless a tenant names its own.
    pub model: String,
    pub temperature: f32,
    /// Cap on the tokens of one reply.
    pub max_tokens: u32,
    /// How long one caller turn may wait for the LLM before the rules brain
    /// answers instead.
    pub timeout: Duration,
    /// How long a caller may wait in silence: a slower LLM has the
    /// receptionist say a short filler while it finishes.
    pub filler_after: Duration,
    /// Ask for output by JSON schema; `false` for servers that only know
    /// JSON mode (the schema then travels in the prompt). Servers that
    /// refuse a schema are switched to JSON mode by themselves.
    pub json_schema: bool,
}

/// Long enough for a slow but working mail server, short enough that a hung
/// one does not hold a worker for minutes.
pub const DEFAULT_SMTP_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_SMTP_CONNECTIONS: usize = 8;

pub const DEFAULT_LLM_TIMEOUT: Duration = Duration::from_millis(4000);
pub const DEFAULT_FILLER_AFTER: Duration = Duration::from_millis(1200);

/// The background job worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerSettings {
    /// Jobs run at once by one worker process.
    pub concurrency: usize,
    /// How often an idle worker looks for due jobs.
    pub poll_interval: Duration,
    /// A running job's lease, renewed every third of it; a job whose lease
    /// was not renewed this long is presumed orphaned (its worker died) and
    /// becomes claimable again.
    pub lease: Duration,
    /// First retry delay; doubles with each attempt up to
    /// `queue::MAX_BACKOFF`, within the kind's `retry_window`.
    pub retry_base: Duration,
    /// Whether `frontdesk serve` runs a worker too (turn off on web-only
    /// instances when dedicated `frontdesk worker` processes run the jobs).
    pub in_process: bool,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            concurrency: 128,
            poll_interval: Duration::from_millis(1000),
            lease: Duration::from_secs(300),
            retry_base: Duration::from_secs(60),
            in_process: true,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

fn invalid(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        message: message.into(),
    }
}

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
/// Well under Twilio's 15 s, so the caller hears the fallback, not an error.
pub const DEFAULT_WEBHOOK_BUDGET: Duration = Duration::from_secs(8);
pub const DEFAULT_OPENAI_MODEL: &str = "gpt-4o-mini";

impl Config {
    /// Reads the process environment, after loading `.env` if one exists in
    /// the working directory (variables already set win over the file).
    pub fn from_env() -> Result<Config, ConfigError> {
        if let Err(err) = dotenvy::dotenv()
            && !err.not_found()
        {
            return Err(invalid(".env", err.to_string()));
        }
        let vars: HashMap<String, String> = std::env::vars().collect();
        Config::from_vars(|name| vars.get(name).cloned())
    }

    /// Builds the configuration from any source of variables (tests pass a map).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let var = |name: &str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };

        let database_url = DatabaseUrl::parse(&var("DATABASE_URL").unwrap_or_default())
            .map_err(|m| invalid("DATABASE_URL", m))?;
        let db_pool_size = match var("FRONTDESK_DB_POOL_SIZE") {
            None => 8,
            Some(v) => parse_in_range("FRONTDESK_DB_POOL_SIZE", &v, 1, 256)?,
        };
        let db_timeouts = match var("FRONTDESK_DB_TIMEOUT_MS") {
            None => DbTimeouts::default(),
            Some(v) => DbTimeouts::from_wait(Duration::from_millis(parse_in_range(
                "FRONTDESK_DB_TIMEOUT_MS",
                &v,
                100,
                60_000,
            )?)),
        };
        let webhook_budget = match var("FRONTDESK_WEBHOOK_BUDGET_MS") {
            None => DEFAULT_WEBHOOK_BUDGET,
            Some(v) => Duration::from_millis(parse_in_range(
                "FRONTDESK_WEBHOOK_BUDGET_MS",
                &v,
                200,
                12_000,
            )?),
        };
        let bind_text = var("FRONTDESK_BIND").unwrap_or_else(|| DEFAULT_BIND.to_owned());
        let bind: SocketAddr = bind_text.parse().map_err(|_| {
            invalid(
                "FRONTDESK_BIND",
                format!("`{bind_text}` is not an address like 127.0.0.1:8080"),
            )
        })?;
        let public_url = match var("FRONTDESK_PUBLIC_URL") {
            Some(url) => parse_public_url(&url)?,
            None => public_url_from_bind(bind),
        };
        let llm = llm_settings(&var)?;
        let smtp_url = var("SMTP_URL")
            .map(|url| parse_smtp_url(&url))
            .transpose()?;
        let mail_from =
            var("MAIL_FROM").unwrap_or_else(|| "Frontdesk <frontdesk@localhost>".to_owned());
        if !mail_from.contains('@') {
            return Err(invalid(
                "MAIL_FROM",
                format!("`{mail_from}` is not an email address"),
            ));
        }
        let smtp_timeout = match var("SMTP_TIMEOUT_SECONDS") {
            None => DEFAULT_SMTP_TIMEOUT,
            Some(v) => Duration::from_secs(parse_in_range("SMTP_TIMEOUT_SECONDS", &v, 1, 600)?),
        };
        let smtp_connections = match var("SMTP_MAX_CONNECTIONS") {
            None => DEFAULT_SMTP_CONNECTIONS,
            Some(v) => parse_in_range("SMTP_MAX_CONNECTIONS", &v, 1, 100)?,
        };
        let session_key = var("FRONTDESK_SESSION_KEY").map(Secret::new);
        if let Some(key) = &session_key
            && key.expose().len() < 64
        {
            return Err(invalid(
                "FRONTDESK_SESSION_KEY",
                "must be at least 64 characters (e.g. the output of `openssl rand -base64 64`)",
            ));
        }
        let trust_proxy = match var("FRONTDESK_TRUST_PROXY") {
            None => false,
            Some(v) => parse_bool("FRONTDESK_TRUST_PROXY", &v)?,
        };
        let shutdown_grace = match var("FRONTDESK_SHUTDOWN_GRACE_SECONDS") {
            None => Duration::from_secs(30),
            Some(v) => Duration::from_secs(parse_in_range(
                "FRONTDESK_SHUTDOWN_GRACE_SECONDS",
                &v,
                0,
                3600,
            )?),
        };

        let defaults = WorkerSettings::default();
        let worker = WorkerSettings {
            concurrency: match var("FRONTDESK_WORKER_CONCURRENCY") {
                None => defaults.concurrency,
                Some(v) => parse_in_range("FRONTDESK_WORKER_CONCURRENCY", &v, 1, 256)?,
            },
            poll_interval: match var("FRONTDESK_WORKER_POLL_MS") {
                None => defaults.poll_interval,
                Some(v) => Duration::from_millis(parse_in_range(
                    "FRONTDESK_WORKER_POLL_MS",
                    &v,
                    10,
                    60_000,
                )?),
            },
            lease: match var("FRONTDESK_JOB_LEASE_SECONDS") {
                None => defaults.lease,
                Some(v) => Duration::from_secs(parse_in_range(
                    "FRONTDESK_JOB_LEASE_SECONDS",
                    &v,
                    1,
                    86_400,
                )?),
            },
            retry_base: match var("FRONTDESK_JOB_RETRY_BASE_MS") {
                None => defaults.retry_base,
                Some(v) => Duration::from_millis(parse_in_range(
                    "FRONTDESK_JOB_RETRY_BASE_MS",
                    &v,
                    1,
                    3_600_000,
                )?),
            },
            in_process: match var("FRONTDESK_IN_PROCESS_WORKER") {
                None => defaults.in_process,
                Some(v) => parse_bool("FRONTDESK_IN_PROCESS_WORKER", &v)?,
            },
        };

        Ok(Config {
            database_url,
            db_pool_size,
            db_timeouts,
            webhook_budget,
            bind,
            public_url,
            twilio_auth_token: var("TWILIO_AUTH_TOKEN").map(Secret::new),
            twilio_account_sid: var("TWILIO_ACCOUNT_SID"),
            llm,
            smtp_url,
            outbox_dir: PathBuf::from(
                var("FRONTDESK_OUTBOX_DIR").unwrap_or_else(|| "outbox".to_owned()),
            ),
            mail_from,
            smtp_timeout,
            smtp_connections,
            session_key,
            trust_proxy,
            shutdown_grace,
            worker,
            demo: var("FRONTDESK_DEMO")
                .map(|v| parse_bool("FRONTDESK_DEMO", &v))
                .transpose()?,
            admin_password_file: PathBuf::from(
                var("FRONTDESK_ADMIN_PASSWORD_FILE")
                    .unwrap_or_else(|| DEFAULT_ADMIN_PASSWORD_FILE.to_owned()),
            ),
        })
    }

    /// Whether the first start on an empty database seeds the demo business
    /// and its accounts (and prints their passwords) instead of creating
    /// only the super admin.
    ///
    /// Asked for with `serve --demo` or `FRONTDESK_DEMO=true` (and refused
    /// with `FRONTDESK_DEMO=false`); otherwise only for the quick start's
    /// database, the SQLite file `frontdesk.db` in the working directory
    /// that an empty environment gives, so `cargo run --release` in a
    /// checkout can take a test call at once. A real installation names its
    /// database (PostgreSQL, or an absolute SQLite path as `deploy/` does)
    /// and never gets demo accounts with printed passwords by accident.
    pub fn seeds_demo(&self) -> bool {
        self.demo
            .unwrap_or_else(|| self.database_url.is_the_default_sqlite_file())
    }
}

/// The initial super admin password's file, in the working directory.
pub const DEFAULT_ADMIN_PASSWORD_FILE: &str = "frontdesk-admin-password.txt";

/// The LLM brain's settings: on when `OPENAI_API_KEY` (or, for a local
/// server that needs no key, `OPENAI_BASE_URL`) is set.
fn llm_settings(var: &dyn Fn(&str) -> Option<String>) -> Result<Option<LlmSettings>, ConfigError> {
    let base_url = var("OPENAI_BASE_URL")
        .map(|url| {
            parse_http_url("OPENAI_BASE_URL", &url)
                .map(|u| u.as_str().trim_end_matches('/').to_owned())
        })
        .transpose()?;
    let millis = |name: &'static str, default: Duration, min: u64, max: u64| match var(name) {
        None => Ok(default),
        Some(v) => parse_in_range(name, &v, min, max).map(Duration::from_millis),
    };
    let temperature = match var("OPENAI_TEMPERATURE") {
        None => 0.2,
        Some(v) => match v.parse::<f32>() {
            Ok(t) if (0.0..=2.0).contains(&t) => t,
            _ => {
                return Err(invalid(
                    "OPENAI_TEMPERATURE",
                    format!("`{v}` is not a number from 0 to 2"),
                ));
            }
        },
    };
    let timeout = millis("OPENAI_TIMEOUT_MS", DEFAULT_LLM_TIMEOUT, 500, 12_000)?;
    let filler_after = millis("FRONTDESK_FILLER_MS", DEFAULT_FILLER_AFTER, 200, 10_000)?;
    let json_schema = match var("OPENAI_RESPONSE_FORMAT").as_deref() {
        None | Some("json_schema") => true,
        Some("json_object") => false,
        Some(other) => {
            return Err(invalid(
                "OPENAI_RESPONSE_FORMAT",
                format!("`{other}` is neither json_schema nor json_object"),
            ));
        }
    };
    let max_tokens = match var("OPENAI_MAX_TOKENS") {
        None => 400,
        Some(v) => parse_in_range("OPENAI_MAX_TOKENS", &v, 50, 4000)?,
    };
    // Checked even while the brain is off, so a typo shows before it matters.
    let api_key = match (var("OPENAI_API_KEY"), &base_url) {
        (Some(key), _) => Secret::new(key),
        (None, Some(_)) => Secret::new("none"),
        (None, None) => return Ok(None),
    };
    Ok(Some(LlmSettings {
        api_key,
        base_url,
        model: var("OPENAI_MODEL").unwrap_or_else(|| DEFAULT_OPENAI_MODEL.to_owned()),
        temperature,
        max_tokens,
        timeout,
        filler_after,
        json_schema,
    }))
}

fn parse_in_range<T>(variable: &'static str, value: &str, min: T, max: T) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + fmt::Display + Copy,
{
    match value.parse::<T>() {
        Ok(n) if n >= min && n <= max => Ok(n),
        _ => Err(invalid(
            variable,
            format!("`{value}` is not a whole number from {min} to {max}"),
        )),
    }
}

fn parse_bool(variable: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(invalid(variable, format!("`{value}` is not true or false"))),
    }
}

fn parse_http_url(variable: &'static str, value: &str) -> Result<url::Url, ConfigError> {
    let parsed = url::Url::parse(value)
        .map_err(|e| invalid(variable, format!("`{value}` is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(invalid(
            variable,
            format!("`{value}` must be an http:// or https:// URL with a host"),
        ));
    }
    Ok(parsed)
}

fn parse_public_url(value: &str) -> Result<String, ConfigError> {
    let parsed = parse_http_url("FRONTDESK_PUBLIC_URL", value)?;
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid(
            "FRONTDESK_PUBLIC_URL",
            "must not have a query string or fragment",
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

fn parse_smtp_url(value: &str) -> Result<Secret, ConfigError> {
    let scheme_ok = ["smtp://", "smtps://"].iter().any(|s| value.starts_with(s));
    let parsed = url::Url::parse(value)
        .ok()
        .filter(|u| u.host_str().is_some());
    if !scheme_ok || parsed.is_none() {
        return Err(invalid(
            "SMTP_URL",
            "must look like smtp://user:pass@host:587 or smtps://user:pass@host:465",
        ));
    }
    Ok(Secret::new(value))
}

/// `http://<bind>`, with an unspecified address (0.0.0.0, ::) replaced by
/// loopback so the URL is one a local client can actually use.
fn public_url_from_bind(bind: SocketAddr) -> String {
    let ip = match bind.ip() {
        ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, bind.port()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_vars(|name| map.get(name).cloned())
    }

    #[test]
    fn an_empty_environment_gives_a_working_local_sqlite_setup() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database_url, DatabaseUrl::Sqlite("frontdesk.db".into()));
        assert_eq!(c.bind.to_string(), DEFAULT_BIND);
        assert_eq!(c.public_url, "http://127.0.0.1:8080");
        assert_eq!(c.outbox_dir, PathBuf::from("outbox"));
        assert!(c.smtp_url.is_none() && c.twilio_auth_token.is_none());
        assert_eq!(c.smtp_timeout, DEFAULT_SMTP_TIMEOUT);
        assert!(!c.trust_proxy);
    }

    #[test]
    fn the_demo_is_seeded_only_when_asked_or_for_the_quick_starts_database() {
        let seeds = |vars: &[(&str, &str)]| config(vars).unwrap().seeds_demo();
        assert!(
            seeds(&[]),
            "the quick start: frontdesk.db in the working directory"
        );
        assert!(seeds(&[("DATABASE_URL", "frontdesk.db")]));
        assert!(seeds(&[("DATABASE_URL", "sqlite://./frontdesk.db")]));
        assert!(!seeds(&[(
            "DATABASE_URL",
            "/var/lib/frontdesk/frontdesk.db"
        )]));
        assert!(!seeds(&[("DATABASE_URL", "data/desk.db")]));
        assert!(!seeds(&[("DATABASE_URL", "postgres://fd@db/fd")]));
        assert!(!seeds(&[("FRONTDESK_DEMO", "false")]));
        assert!(seeds(&[
            ("DATABASE_URL", "/srv/x.db"),
            ("FRONTDESK_DEMO", "true")
        ]));
        assert_eq!(
            config(&[]).unwrap().admin_password_file,
            PathBuf::from(DEFAULT_ADMIN_PASSWORD_FILE)
        );
    }

    #[test]
    fn the_public_url_defaults_to_loopback_when_binding_every_interface() {
        let c = config(&[("FRONTDESK_BIND", "0.0.0.0:9000")]).unwrap();
        assert_eq!(c.public_url, "http://127.0.0.1:9000");
    }

    #[test]
    fn a_configured_public_url_loses_its_trailing_slash() {
        let c = config(&[("FRONTDESK_PUBLIC_URL", "https://desk.example.com/")]).unwrap();
        assert_eq!(c.public_url, "https://desk.example.com");
    }

    #[test]
    fn bad_values_are_rejected_naming_the_variable() {
        let cases = [
            ("FRONTDESK_BIND", "localhost"),
            ("FRONTDESK_PUBLIC_URL", "desk.example.com"),
            ("FRONTDESK_PUBLIC_URL", "ftp://desk.example.com"),
            ("FRONTDESK_PUBLIC_URL", "https://desk.example.com/?x=1"),
            ("DATABASE_URL", "mysql://root@localhost/x"),
            ("FRONTDESK_DB_POOL_SIZE", "0"),
            ("FRONTDESK_DB_POOL_SIZE", "lots"),
            ("SMTP_URL", "mail.example.com:25"),
            ("OPENAI_BASE_URL", "not a url"),
            ("MAIL_FROM", "nobody"),
            ("FRONTDESK_SESSION_KEY", "too-short"),
            ("FRONTDESK_WORKER_CONCURRENCY", "0"),
            ("FRONTDESK_WORKER_POLL_MS", "soon"),
            ("FRONTDESK_JOB_LEASE_SECONDS", "-5"),
            ("FRONTDESK_JOB_RETRY_BASE_MS", "0"),
            ("FRONTDESK_IN_PROCESS_WORKER", "sometimes"),
            ("FRONTDESK_TRUST_PROXY", "maybe"),
            ("OPENAI_TEMPERATURE", "hot"),
            ("OPENAI_TIMEOUT_MS", "20000"),
            ("OPENAI_RESPONSE_FORMAT", "xml"),
            ("FRONTDESK_DEMO", "perhaps"),
        ];
        for (variable, value) in cases {
            let err = config(&[(variable, value)]).unwrap_err();
            assert_eq!(err.variable, variable, "{variable}={value}");
            assert!(err.to_string().starts_with(variable), "{err}");
        }
    }

    #[test]
    fn the_llm_brain_is_on_with_a_key_or_a_local_server_and_off_otherwise() {
        assert!(config(&[]).unwrap().llm.is_none());
        let llm = config(&[("OPENAI_API_KEY", "sk-x")]).unwrap().llm.unwrap();
        assert_eq!(llm.model, DEFAULT_OPENAI_MODEL);
        assert_eq!(llm.base_url, None);
        assert_eq!(llm.timeout, DEFAULT_LLM_TIMEOUT);
        assert_eq!(llm.filler_after, DEFAULT_FILLER_AFTER);
        assert!(llm.json_schema);
        let local = config(&[
            ("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1/"),
            ("OPENAI_MODEL", "llama3.1"),
            ("OPENAI_RESPONSE_FORMAT", "json_object"),
            ("OPENAI_TIMEOUT_MS", "3000"),
            ("FRONTDESK_FILLER_MS", "900"),
        ])
        .unwrap()
        .llm
        .unwrap();
        assert_eq!(local.base_url.as_deref(), Some("http://127.0.0.1:11434/v1"));
        assert_eq!(local.model, "llama3.1");
        assert!(!local.json_schema);
        assert_eq!(local.timeout, Duration::from_millis(3000));
        assert_eq!(local.filler_after, Duration::from_millis(900));
    }

    #[test]
    fn secrets_never_appear_in_debug_output() {
        let c = config(&[
            ("TWILIO_AUTH_TOKEN", "tw-secret-123"),
            ("OPENAI_API_KEY", "sk-secret-456"),
            ("SMTP_URL", "smtp://user:mailpass789@mail.example.com:587"),
            ("DATABASE_URL", "postgres://fd:dbpass000@db/fd"),
            ("FRONTDESK_SESSION_KEY", &"k".repeat(64)),
        ])
        .unwrap();
        let debug = format!("{c:?}");
        for secret in [
            "tw-secret-123",
            "sk-secret-456",
            "mailpass789",
            "dbpass000",
            &"k".repeat(64),
        ] {
            assert!(!debug.contains(secret), "{secret} leaked into {debug}");
        }
    }
}
