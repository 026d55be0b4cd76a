//! A small real SMTP server for tests: plain SMTP on 127.0.0.1, enough of
//! RFC 5321 for lettre (EHLO/HELO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA with
//! dot-unstuffing, RSET, NOOP, QUIT). It records every accepted message,
//! can refuse chosen recipients permanently (550) or for now (451), and can
//! misbehave in its first sessions ([`SmtpReplies::at_first`]): a reply of
//! its choosing at the greeting, AUTH, MAIL FROM or the end of data, or no
//! answer at all.
//!
//! To test "SMTP down, then up": `reserve_port()`, send (the connection is
//! refused), then `SmtpServer::start_on(port, ..)` and send again.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub envelope_from: String,
    pub recipients: Vec<String>,
    /// The DATA section, dot-unstuffed, without the final `.` line.
    pub data: String,
}

impl ReceivedMail {
    /// The Message-ID header's value, `<...>` included; empty when missing.
    pub fn message_id(&self) -> String {
        self.data
            .split("\r\n")
            .take_while(|line| !line.is_empty())
            .find_map(|line| line.strip_prefix("Message-ID: "))
            .unwrap_or_default()
            .to_owned()
    }
}

/// Where in a session a fault strikes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Greeting,
    Auth,
    MailFrom,
    /// After the whole message and its final ".".
    EndOfData,
}

/// What the server does at a faulty stage instead of going on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Misbehave {
    /// Answers this (a `421` also closes the connection).
    Reply(&'static str),
    /// Never answers, and keeps the connection open until the client drops it.
    Hang,
}

/// How the server answers: RCPT TO for particular addresses, and faults in
/// its first sessions.
#[derive(Debug, Clone, Default)]
pub struct SmtpReplies {
    /// RCPT TO answers by address: the reply, and in how many first
    /// sessions (`usize::MAX`: always).
    rcpt: HashMap<String, (usize, &'static str)>,
    faults: Vec<(usize, Stage, Misbehave)>,
}

impl SmtpReplies {
    /// RCPT TO `address` gets `550`: the mailbox does not exist.
    pub fn reject_permanently(mut self, address: &str) -> Self {
        self.rcpt.insert(
            address.to_lowercase(),
            (
                usize::MAX,
                "550 5.1.1 <{}>: Recipient address rejected: mailbox unavailable",
            ),
        );
        self
    }

    /// RCPT TO `address` gets `451`: try again later.
    pub fn reject_transiently(mut self, address: &str) -> Self {
        self.rcpt.insert(
            address.to_lowercase(),
            (
                usize::MAX,
                "451 4.3.0 <{}>: Temporary local problem, try again later",
            ),
        );
        self
    }

    /// RCPT TO `address` gets `452` (mailbox full for now) in the first
    /// `sessions` sessions, then is accepted.
    pub fn defer_at_first(mut self, sessions: usize, address: &str) -> Self {
        self.rcpt.insert(
            address.to_lowercase(),
            (sessions, "452 4.2.2 <{}>: Mailbox full, try again later"),
        );
        self
    }

    /// The first `sessions` sessions misbehave at `stage`; later ones behave.
    pub fn at_first(mut self, sessions: usize, stage: Stage, misbehave: Misbehave) -> Self {
        self.faults.push((sessions, stage, misbehave));
        self
    }

    /// What session number `session` (from 0) does at `stage`, if it misbehaves.
    fn fault(&self, session: usize, stage: Stage) -> Option<Misbehave> {
        self.faults
            .iter()
            .find(|(first, at, _)| *at == stage && session < *first)
            .map(|(_, _, misbehave)| *misbehave)
    }
}

/// What the server saw besides accepted messages.
#[derive(Debug, Default)]
struct Seen {
    received: Mutex<Vec<ReceivedMail>>,
    sessions: AtomicUsize,
    /// How long each client waited for a hung end-of-data before it hung up.
    abandoned_after: Mutex<Vec<Duration>>,
    /// Messages sent in full whose final "." was never answered.
    unanswered: Mutex<Vec<ReceivedMail>>,
    /// The open sessions, to hang up on them all at once.
    open: Mutex<Vec<tokio::task::AbortHandle>>,
}

pub struct SmtpServer {
    pub port: u16,
    seen: Arc<Seen>,
    task: JoinHandle<()>,
}

/// A free port with nothing listening on it: connections are refused until
/// a server is started there with [`SmtpServer::start_on`].
pub fn reserve_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        SmtpServer::start_with(SmtpReplies::default()).await
    }

    pub async fn start_with(replies: SmtpReplies) -> SmtpServer {
        SmtpServer::start_on(0, replies).await
    }

    pub async fn start_on(port: u16, replies: SmtpReplies) -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the SMTP test port");
        let port = listener.local_addr().expect("local address").port();
        let seen = Arc::new(Seen::default());
        let task = tokio::spawn(accept_loop(listener, Arc::new(replies), seen.clone()));
        SmtpServer { port, seen, task }
    }

    /// An `SMTP_URL` for this server (plain SMTP).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    /// An `SMTP_URL` that logs in (AUTH PLAIN) with a user and password.
    pub fn url_with_login(&self) -> String {
        format!("smtp://desk:secret@127.0.0.1:{}?tls=none", self.port)
    }

    /// Messages accepted so far.
    pub fn received(&self) -> Vec<ReceivedMail> {
        self.seen.received.lock().unwrap().clone()
    }

    /// Sessions (connections) so far.
    pub fn sessions(&self) -> usize {
        self.seen.sessions.load(Ordering::SeqCst)
    }

    /// Closes every open connection without a word, as a server does to
    /// idle clients, and goes on accepting new ones.
    pub fn hang_up_on_everyone(&self) {
        for session in self.seen.open.lock().unwrap().drain(..) {
            session.abort();
        }
    }

    /// For each hung end-of-data, how long the client waited before it
    /// dropped the connection.
    pub fn abandoned_after(&self) -> Vec<Duration> {
        self.seen.abandoned_after.lock().unwrap().clone()
    }

    /// Messages the client sent in full whose end of data got no answer:
    /// the client cannot know whether they were delivered.
    pub fn unanswered(&self) -> Vec<ReceivedMail> {
        self.seen.unanswered.lock().unwrap().clone()
    }

    /// Accepted copies per (Message-ID, recipient): every value should be 1.
    pub fn copies(&self) -> HashMap<(String, String), usize> {
        let mut copies = HashMap::new();
        for mail in self.received() {
            for recipient in &mail.recipients {
                *copies
                    .entry((mail.message_id(), recipient.to_lowercase()))
                    .or_default() += 1;
            }
        }
        copies
    }

    /// Waits (up to 5 s) until at least `count` messages have arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<ReceivedMail> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "expected {count} messages, received {}",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

impl Drop for SmtpServer {
    /// Stops accepting and closes open sessions (they live in the task's JoinSet).
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept_loop(listener: TcpListener, replies: Arc<SmtpReplies>, seen: Arc<Seen>) {
    let mut sessions = JoinSet::new();
    while let Ok((stream, _)) = listener.accept().await {
        let number = seen.sessions.fetch_add(1, Ordering::SeqCst);
        let handle = sessions.spawn(session(stream, number, replies.clone(), seen.clone()));
        seen.open.lock().unwrap().push(handle);
        while sessions.try_join_next().is_some() {}
    }
}

type Lines = BufReader<tokio::net::tcp::OwnedReadHalf>;

/// One SMTP conversation; ends on QUIT, on a closed connection, on an IO
/// error or after a 421.
async fn session(
    stream: TcpStream,
    number: usize,
    replies: Arc<SmtpReplies>,
    seen: Arc<Seen>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut reply = async |text: &str| write.write_all(format!("{text}\r\n").as_bytes()).await;
    // What this session does instead at `stage`, if it misbehaves there.
    let fault = |stage| replies.fault(number, stage);
    match fault(Stage::Greeting) {
        Some(Misbehave::Reply(text)) => return reply(text).await,
        Some(Misbehave::Hang) => return hang(&mut lines).await.map(|_| ()),
        None => reply("220 localhost ESMTP test server ready").await?,
    }

    let mut from: Option<String> = None;
    let mut recipients: Vec<String> = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let command = String::from_utf8_lossy(&line).trim_end().to_owned();
        let upper = command.to_ascii_uppercase();
        let stage = if upper.starts_with("AUTH") {
            Some(Stage::Auth)
        } else if upper.starts_with("MAIL FROM:") {
            Some(Stage::MailFrom)
        } else {
            None
        };
        match stage.and_then(fault) {
            Some(Misbehave::Reply(text)) => {
                reply(text).await?;
                if text.starts_with("421") {
                    return Ok(());
                }
                continue;
            }
            Some(Misbehave::Hang) => return hang(&mut lines).await.map(|_| ()),
            None => {}
        }
        if upper.starts_with("EHLO") {
            reply("250-localhost greets you\r\n250-SIZE 10485760\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME")
                .await?;
        } else if upper.starts_with("HELO") {
            reply("250 localhost").await?;
        } else if upper.starts_with("AUTH") {
            for challenge in auth_challenges(&upper) {
                reply(challenge).await?;
                line.clear();
                lines.read_until(b'\n', &mut line).await?;
            }
            reply("235 2.7.0 Authentication successful").await?;
        } else if upper.starts_with("MAIL FROM:") {
            from = Some(address_in(&command));
            recipients.clear();
            reply("250 2.1.0 OK").await?;
        } else if upper.starts_with("RCPT TO:") {
            let address = address_in(&command);
            if from.is_none() {
                reply("503 5.5.1 MAIL first").await?;
            } else if let Some((_, answer)) = replies
                .rcpt
                .get(&address.to_lowercase())
                .filter(|(sessions, _)| number < *sessions)
            {
                reply(&answer.replace("{}", &address)).await?;
            } else {
                recipients.push(address);
                reply("250 2.1.5 OK").await?;
            }
        } else if upper == "DATA" {
            let Some(envelope_from) = from.take().filter(|_| !recipients.is_empty()) else {
                reply("503 5.5.1 no valid recipients").await?;
                continue;
            };
            reply("354 End data with <CR><LF>.<CR><LF>").await?;
            let data = read_data(&mut lines).await?;
            match fault(Stage::EndOfData) {
                Some(Misbehave::Reply(text)) => {
                    recipients.clear();
                    reply(text).await?;
                    if text.starts_with("421") {
                        return Ok(());
                    }
                    continue;
                }
                Some(Misbehave::Hang) => {
                    seen.unanswered.lock().unwrap().push(ReceivedMail {
                        envelope_from,
                        recipients: std::mem::take(&mut recipients),
                        data,
                    });
                    let waited = hang(&mut lines).await?;
                    seen.abandoned_after.lock().unwrap().push(waited);
                    return Ok(());
                }
                None => {}
            }
            seen.received.lock().unwrap().push(ReceivedMail {
                envelope_from,
                recipients: std::mem::take(&mut recipients),
                data,
            });
            reply("250 2.0.0 OK: queued").await?;
        } else if upper == "RSET" {
            from = None;
            recipients.clear();
            reply("250 2.0.0 OK").await?;
        } else if upper == "NOOP" {
            reply("250 2.0.0 OK").await?;
        } else if upper == "QUIT" {
            reply("221 2.0.0 Bye").await?;
            return Ok(());
        } else {
            reply("502 5.5.2 Command not recognized").await?;
        }
    }
}

/// The 334 challenges an AUTH command gets before its verdict: none for
/// `AUTH PLAIN <credentials>`, one for a bare `AUTH PLAIN`, two for LOGIN.
fn auth_challenges(upper: &str) -> Vec<&'static str> {
    let words: Vec<&str> = upper.split_whitespace().collect();
    match words.as_slice() {
        [_, "PLAIN"] => vec!["334 "],
        [_, "LOGIN"] => vec!["334 VXNlcm5hbWU6", "334 UGFzc3dvcmQ6"],
        [_, "LOGIN", _] => vec!["334 UGFzc3dvcmQ6"],
        _ => Vec::new(),
    }
}

/// Answers nothing and reads (discarding) until the client hangs up;
/// returns how long that took.
async fn hang(lines: &mut Lines) -> std::io::Result<Duration> {
    let started = Instant::now();
    let mut discard = Vec::new();
    while lines.read_until(b'\n', &mut discard).await? > 0 {
        discard.clear();
    }
    Ok(started.elapsed())
}

/// Reads the DATA section up to the lone `.` line, undoing dot-stuffing.
async fn read_data(lines: &mut Lines) -> std::io::Result<String> {
    let mut data = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(String::from_utf8_lossy(&data).into_owned());
        }
        let unstuffed = line.strip_prefix(b".").unwrap_or(&line);
        data.extend_from_slice(unstuffed);
    }
}

/// `MAIL FROM:<a@b> SIZE=123` → `a@b`.
fn address_in(command: &str) -> String {
    let after_colon = command.split_once(':').map_or("", |(_, rest)| rest).trim();
    match (after_colon.find('<'), after_colon.find('>')) {
        (Some(open), Some(close)) if open < close => after_colon[open + 1..close].to_owned(),
        _ => after_colon
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_owned(),
    }
}
