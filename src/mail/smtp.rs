//! Talking SMTP: one transaction (MAIL, RCPT, DATA) per recipient, so the
//! server's answer about one address is that address's alone, over
//! connections that are kept open between emails for a little while (see
//! [`IdleConnections`]): a busy hour's emails do not each pay for a TCP
//! connect, a TLS handshake and a login.
//!
//! lettre's transport sends every recipient in one transaction, cannot say
//! which command a refusal answered, and bounds only the TCP connect: a
//! server that accepted DATA and never answered the final "." held the job
//! for minutes. So this drives lettre's connection command by command, and
//! every step runs under `timeout`.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use lettre::Address;
use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Noop, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::smtp_url::{SmtpSecurity, SmtpSettings};
use super::{MailError, RecipientOutcome, mask_addresses};

/// Where and how to reach the SMTP server; cheap to clone.
#[derive(Clone)]
pub(super) struct SmtpClient {
    host: String,
    port: u16,
    security: SmtpSecurity,
    /// Built once, so a host TLS cannot be set up for fails at start-up.
    tls: Option<TlsParameters>,
    credentials: Option<Credentials>,
    hello: ClientId,
    timeout: Duration,
    idle: Arc<IdleConnections>,
    /// One permit per connection that may be open at once.
    connections: Arc<Semaphore>,
}

/// How long a connection may sit unused before it is closed; servers drop
/// idle clients after a minute or more (RFC 5321 asks for 5), and a
/// connection kept this short is rarely one the server already dropped.
const KEEP_IDLE: Duration = Duration::from_secs(15);

/// Emails sent over one connection before it is closed and a new one
/// opened: some servers limit messages per connection, and a long-lived
/// connection should not carry on forever.
const MESSAGES_PER_CONNECTION: u32 = 100;

/// A checked connection must answer NOOP within this, or a new one is made.
const NOOP_TIMEOUT: Duration = Duration::from_secs(2);

/// Logged-in connections waiting for the next email, newest last.
struct IdleConnections {
    idle: Mutex<Vec<Idle>>,
    /// The most kept: the most that may be open at once.
    max: usize,
}

struct Idle {
    conn: AsyncSmtpConnection,
    since: Instant,
    sent: u32,
}

impl IdleConnections {
    /// The newest connection idle for less than [`KEEP_IDLE`]; older ones
    /// are dropped (closing their sockets).
    fn take(&self) -> Option<Idle> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        idle.retain(|i| i.since.elapsed() < KEEP_IDLE);
        idle.pop()
    }

    /// Keeps `conn` for the next email; gives it back when there is no room.
    fn keep(&self, conn: AsyncSmtpConnection, sent: u32) -> Option<AsyncSmtpConnection> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        idle.retain(|i| i.since.elapsed() < KEEP_IDLE);
        if idle.len() >= self.max {
            return Some(conn);
        }
        idle.push(Idle {
            conn,
            since: Instant::now(),
            sent,
        });
        None
    }
}

impl SmtpClient {
    pub(super) fn new(
        settings: &SmtpSettings,
        timeout: Duration,
        connections: usize,
    ) -> anyhow::Result<SmtpClient> {
        let tls = match settings.security {
            SmtpSecurity::None => None,
            _ => Some(
                TlsParameters::new(settings.host.clone())
                    .context("SMTP_URL: cannot set up TLS for the host")?,
            ),
        };
        Ok(SmtpClient {
            host: settings.host.clone(),
            port: settings.port,
            security: settings.security,
            tls,
            credentials: settings.credentials.as_ref().map(|(user, password)| {
                Credentials::new(user.clone(), password.expose().to_owned())
            }),
            hello: ClientId::default(),
            timeout,
            idle: Arc::new(IdleConnections {
                idle: Mutex::default(),
                max: connections,
            }),
            connections: Arc::new(Semaphore::new(connections)),
        })
    }

    /// Connects, secures the connection and logs in, within the timeout.
    /// Every failure here is the server's or its configuration's (a wrong
    /// password, a TLS problem, a server that is down), never a recipient's:
    /// all of them are worth retrying once the operator or the server has
    /// fixed it.
    ///
    /// A connection kept from an earlier email is used when it still
    /// answers NOOP; one the server has dropped meanwhile is closed here, so
    /// it never costs a recipient a retry.
    pub(super) async fn open(&self) -> Result<Session, MailError> {
        let permit = tokio::time::timeout(self.timeout, self.connections.clone().acquire_owned())
            .await
            .ok()
            .and_then(Result::ok)
            .ok_or_else(|| {
                MailError::Transient(format!(
                    "every SMTP connection stayed busy for {} s (SMTP_MAX_CONNECTIONS)",
                    self.timeout.as_secs()
                ))
            })?;
        while let Some(mut idle) = self.idle.take() {
            let noop = tokio::time::timeout(NOOP_TIMEOUT, idle.conn.command(Noop)).await;
            if matches!(noop, Ok(Ok(_))) {
                return Ok(self.session(idle.conn, idle.sent, permit));
            }
        }
        let opened = tokio::time::timeout(self.timeout, self.connect()).await;
        match opened {
            Ok(Ok(conn)) => Ok(self.session(conn, 0, permit)),
            Ok(Err((step, err))) => Err(MailError::Transient(format!(
                "{step}: {}",
                mask_addresses(&err)
            ))),
            Err(_) => Err(MailError::Transient(format!(
                "no answer from the SMTP server within {} s while connecting",
                self.timeout.as_secs()
            ))),
        }
    }

    fn session(
        &self,
        conn: AsyncSmtpConnection,
        sent: u32,
        permit: OwnedSemaphorePermit,
    ) -> Session {
        Session {
            _permit: permit,
            conn: Some(conn),
            timeout: self.timeout,
            broken: None,
            sent,
            reusable: true,
            idle: self.idle.clone(),
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, (OpenStep, String)> {
        let failed = |step: OpenStep| move |e: SmtpError| (step, e.to_string());
        let mut conn = match (self.security, &self.tls) {
            (SmtpSecurity::ImplicitTls, Some(tls)) => AsyncSmtpConnection::connect_tokio1(
                (self.host.as_str(), self.port),
                Some(self.timeout),
                &self.hello,
                Some(tls.clone()),
                None,
            )
            .await
            .map_err(failed(OpenStep::Connect))?,
            _ => {
                let stream = tokio::net::TcpStream::connect((self.host.as_str(), self.port))
                    .await
                    .map_err(|e| (OpenStep::Connect, e.to_string()))?;
                // lettre writes a message and its final "." separately; with
                // Nagle's algorithm the "." waits for the server's delayed
                // ACK, 40 ms per email on Linux. (lettre's own connect, used
                // for implicit TLS above, leaves Nagle on.)
                stream
                    .set_nodelay(true)
                    .map_err(|e| (OpenStep::Connect, e.to_string()))?;
                AsyncSmtpConnection::connect_with_transport(Box::new(stream), &self.hello)
                    .await
                    .map_err(failed(OpenStep::Connect))?
            }
        };
        let starttls = match self.security {
            SmtpSecurity::StartTlsRequired => true,
            SmtpSecurity::StartTlsOpportunistic => conn.can_starttls(),
            SmtpSecurity::ImplicitTls | SmtpSecurity::None => false,
        };
        if let (true, Some(tls)) = (starttls, &self.tls) {
            conn.starttls(tls.clone(), &self.hello)
                .await
                .map_err(failed(OpenStep::StartTls))?;
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(DEFAULT_MECHANISMS, credentials)
                .await
                .map_err(failed(OpenStep::Auth))?;
        }
        Ok(conn)
    }
}

#[derive(Debug, Clone, Copy)]
enum OpenStep {
    Connect,
    StartTls,
    Auth,
}

impl fmt::Display for OpenStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OpenStep::Connect => "cannot connect to the SMTP server",
            OpenStep::StartTls => "STARTTLS with the SMTP server failed",
            OpenStep::Auth => "the SMTP server refused the login (check SMTP_URL)",
        })
    }
}

/// The SMTP command a reply answered: it decides whom a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    MailFrom,
    RcptTo,
    Data,
    /// The reply to the message itself (after the final ".").
    Message,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::MailFrom => "MAIL FROM",
            Step::RcptTo => "RCPT TO",
            Step::Data => "DATA",
            Step::Message => "end of data",
        })
    }
}

/// An open, logged-in connection. Dropping it closes the socket, so a
/// timed-out or broken session never lingers or gets reused; `close` keeps
/// a healthy one for the next email.
pub(super) struct Session {
    conn: Option<AsyncSmtpConnection>,
    timeout: Duration,
    /// Why the connection was given up, for the recipients not tried on it.
    broken: Option<String>,
    /// Transactions completed on this connection, over its whole life.
    sent: u32,
    /// Whether the connection may be kept for another email: not after a
    /// temporary refusal, which is often about this connection (a throttled
    /// or greylisted session), so the retry starts on a fresh one.
    reusable: bool,
    idle: Arc<IdleConnections>,
    /// Held while the session is open (see `SmtpClient::connections`).
    _permit: OwnedSemaphorePermit,
}

impl Session {
    /// One transaction for one recipient, within the timeout.
    pub(super) async fn send_to(
        &mut self,
        from: &Address,
        to: &Address,
        message: &[u8],
    ) -> RecipientOutcome {
        let Some(conn) = self.conn.as_mut() else {
            let why = self
                .broken
                .as_deref()
                .unwrap_or("the connection was closed");
            return RecipientOutcome::Pending(format!("not tried: {why}"));
        };
        let sent = tokio::time::timeout(self.timeout, transaction(conn, from, to, message)).await;
        match sent {
            Ok(Ok(())) => {
                self.sent += 1;
                RecipientOutcome::Sent
            }
            Ok(Err((step, err))) => {
                let outcome = outcome_of(step, &err);
                if matches!(outcome, RecipientOutcome::Pending(_)) {
                    self.reusable = false;
                }
                if leaves_connection_unusable(&err) || !self.reset().await {
                    self.give_up(outcome.reason().unwrap_or_default().to_owned());
                }
                outcome
            }
            Err(_) => {
                let reason = format!(
                    "no answer from the SMTP server within {} s; the connection was dropped",
                    self.timeout.as_secs()
                );
                self.give_up(reason.clone());
                RecipientOutcome::Pending(reason)
            }
        }
    }

    /// Keeps a healthy connection for the next email; otherwise (or when
    /// it has carried enough) says goodbye politely, briefly; the socket
    /// closes either way.
    pub(super) async fn close(mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        let refused = if self.reusable && self.sent < MESSAGES_PER_CONNECTION {
            self.idle.keep(conn, self.sent)
        } else {
            Some(conn)
        };
        if let Some(mut conn) = refused {
            let _ = tokio::time::timeout(self.timeout, conn.quit()).await;
        }
    }

    /// Clears a failed transaction so the next recipient starts afresh.
    async fn reset(&mut self) -> bool {
        let Some(conn) = self.conn.as_mut() else {
            return false;
        };
        matches!(
            tokio::time::timeout(self.timeout, conn.command(Rset)).await,
            Ok(Ok(_))
        )
    }

    fn give_up(&mut self, reason: String) {
        self.conn = None;
        self.broken = Some(reason);
    }
}

async fn transaction(
    conn: &mut AsyncSmtpConnection,
    from: &Address,
    to: &Address,
    message: &[u8],
) -> Result<(), (Step, SmtpError)> {
    let parameters = mail_parameters(conn, to, message);
    let at = |step| move |err| (step, err);
    conn.command(Mail::new(Some(from.clone()), parameters))
        .await
        .map_err(at(Step::MailFrom))?;
    conn.command(Rcpt::new(to.clone(), vec![]))
        .await
        .map_err(at(Step::RcptTo))?;
    conn.command(Data).await.map_err(at(Step::Data))?;
    conn.message(message).await.map_err(at(Step::Message))?;
    Ok(())
}

/// 8BITMIME and SMTPUTF8 when the message or address needs them and the
/// server offers them (as lettre's own transport does).
fn mail_parameters(conn: &AsyncSmtpConnection, to: &Address, message: &[u8]) -> Vec<MailParameter> {
    let offers = |extension| conn.server_info().supports_feature(extension);
    let mut parameters = Vec::new();
    let address: &str = to.as_ref();
    if !address.is_ascii() && offers(Extension::SmtpUtfEight) {
        parameters.push(MailParameter::SmtpUtfEight);
    }
    if !message.is_ascii() && offers(Extension::EightBitMime) {
        parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    parameters
}

/// Only a permanent (5xx) refusal of the recipient, or of the message sent
/// to that recipient alone, ends its delivery. A 5xx to MAIL FROM or DATA
/// is the server's policy or configuration (the sender is not allowed,
/// the account is over quota), which the operator can fix: retried, like
/// every 4xx, timeout and network error.
fn outcome_of(step: Step, err: &SmtpError) -> RecipientOutcome {
    let reason = format!("{step}: {}", mask_addresses(&err.to_string()));
    match step {
        Step::RcptTo | Step::Message if err.is_permanent() => RecipientOutcome::Rejected(reason),
        _ => RecipientOutcome::Pending(reason),
    }
}

/// A failure that is not an SMTP reply (network, TLS, garbled reply), or a
/// 421 (the server is closing the connection), leaves nothing to talk to.
fn leaves_connection_unusable(err: &SmtpError) -> bool {
    match err.status() {
        Some(code) => code.to_string() == "421",
        None => true,
    }
}
