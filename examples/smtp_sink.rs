//! A local SMTP server for benchmarks: accepts every message (plain SMTP,
//! no TLS, any AUTH), optionally after `--delay-ms` at the end of each
//! message as a remote server would take, keeps nothing, and counts.
//!
//!     cargo run --release --example smtp_sink -- --port 2525 --delay-ms 20
//!
//! Prints `smtp_sink messages=N recipients=R sessions=S` every second a
//! count changed, so a benchmark can tell when the mail has arrived.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clap::Parser;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 2525)]
    port: u16,
    /// How long the server takes to answer the end of each message.
    #[arg(long, default_value_t = 0)]
    delay_ms: u64,
}

#[derive(Default)]
struct Counts {
    messages: AtomicU64,
    recipients: AtomicU64,
    sessions: AtomicU64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let listener = TcpListener::bind(("127.0.0.1", args.port)).await?;
    let counts = Arc::new(Counts::default());
    tokio::spawn(report(counts.clone()));
    let delay = Duration::from_millis(args.delay_ms);
    loop {
        let (stream, _) = listener.accept().await?;
        counts.sessions.fetch_add(1, Ordering::Relaxed);
        let counts = counts.clone();
        tokio::spawn(async move {
            if let Err(e) = session(stream, &counts, delay).await {
                eprintln!("smtp_sink: session ended: {e}");
            }
        });
    }
}

async fn report(counts: Arc<Counts>) {
    let mut last = (u64::MAX, u64::MAX);
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let now = (
            counts.messages.load(Ordering::Relaxed),
            counts.sessions.load(Ordering::Relaxed),
        );
        if now != last {
            println!(
                "smtp_sink messages={} recipients={} sessions={}",
                now.0,
                counts.recipients.load(Ordering::Relaxed),
                now.1
            );
            last = now;
        }
    }
}

async fn session(stream: TcpStream, counts: &Counts, delay: Duration) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink ESMTP\r\n").await?;
    let mut line = Vec::new();
    let mut recipients = 0;
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let upper = String::from_utf8_lossy(&line)
            .trim_end()
            .to_ascii_uppercase();
        let answer: &[u8] = if upper.starts_with("EHLO") {
            b"250-sink\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("AUTH") {
            b"235 2.7.0 OK\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            recipients = 0;
            b"250 2.1.0 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            recipients += 1;
            b"250 2.1.5 OK\r\n"
        } else if upper == "DATA" {
            write.write_all(b"354 go ahead\r\n").await?;
            loop {
                line.clear();
                if lines.read_until(b'\n', &mut line).await? == 0 {
                    return Ok(());
                }
                if line == b".\r\n" || line == b".\n" {
                    break;
                }
            }
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            counts.messages.fetch_add(1, Ordering::Relaxed);
            counts.recipients.fetch_add(recipients, Ordering::Relaxed);
            b"250 2.0.0 queued\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 2.0.0 bye\r\n").await?;
            return Ok(());
        } else {
            b"250 2.0.0 OK\r\n"
        };
        write.write_all(answer).await?;
    }
}
