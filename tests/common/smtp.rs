//! A small real SMTP server for tests: plain SMTP on 127.0.0.1, enough of
//! RFC 5321 for lettre (EHLO/HELO, MAIL, RCPT, DATA with dot-unstuffing,
//! RSET, NOOP, QUIT). It records every accepted message, and can refuse
//! chosen recipients permanently (550) or for now (451).
//!
//! To test "SMTP down, then up": `reserve_port()`, send (the connection is
//! refused), then `SmtpServer::start_on(port, ..)` and send again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

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

/// How the server answers RCPT TO for particular addresses.
#[derive(Debug, Clone, Default)]
pub struct SmtpReplies {
    rcpt: HashMap<String, &'static str>,
}

impl SmtpReplies {
    /// RCPT TO `address` gets `550`: the mailbox does not exist.
    pub fn reject_permanently(mut self, address: &str) -> Self {
        self.rcpt.insert(
            address.to_lowercase(),
            "550 5.1.1 <{}>: Recipient address rejected: mailbox unavailable",
        );
        self
    }

    /// RCPT TO `address` gets `451`: try again later.
    pub fn reject_transiently(mut self, address: &str) -> Self {
        self.rcpt.insert(
            address.to_lowercase(),
            "451 4.3.0 <{}>: Temporary local problem, try again later",
        );
        self
    }
}

pub struct SmtpServer {
    pub port: u16,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
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
        let received = Arc::new(Mutex::new(Vec::new()));
        let task = tokio::spawn(accept_loop(listener, Arc::new(replies), received.clone()));
        SmtpServer {
            port,
            received,
            task,
        }
    }

    /// An `SMTP_URL` for this server (plain SMTP).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    /// Messages accepted so far.
    pub fn received(&self) -> Vec<ReceivedMail> {
        self.received.lock().unwrap().clone()
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

async fn accept_loop(
    listener: TcpListener,
    replies: Arc<SmtpReplies>,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
) {
    let mut sessions = JoinSet::new();
    while let Ok((stream, _)) = listener.accept().await {
        sessions.spawn(session(stream, replies.clone(), received.clone()));
        while sessions.try_join_next().is_some() {}
    }
}

/// One SMTP conversation; ends on QUIT, on a closed connection or on an IO error.
async fn session(
    stream: TcpStream,
    replies: Arc<SmtpReplies>,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut reply = async |text: &str| write.write_all(format!("{text}\r\n").as_bytes()).await;
    reply("220 localhost ESMTP test server ready").await?;

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
        if upper.starts_with("EHLO") {
            reply("250-localhost greets you\r\n250-SIZE 10485760\r\n250 8BITMIME").await?;
        } else if upper.starts_with("HELO") {
            reply("250 localhost").await?;
        } else if upper.starts_with("MAIL FROM:") {
            from = Some(address_in(&command));
            recipients.clear();
            reply("250 2.1.0 OK").await?;
        } else if upper.starts_with("RCPT TO:") {
            let address = address_in(&command);
            if from.is_none() {
                reply("503 5.5.1 MAIL first").await?;
            } else if let Some(answer) = replies.rcpt.get(&address.to_lowercase()) {
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
            received.lock().unwrap().push(ReceivedMail {
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

/// Reads the DATA section up to the lone `.` line, undoing dot-stuffing.
async fn read_data(
    lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> std::io::Result<String> {
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
