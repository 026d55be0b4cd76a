//! Load generator: many concurrent signed calls through the whole call flow
//! (voice → 3-6 gathers, a transfer for some → call-status) against a running
//! Frontdesk, following the action URLs of its replies as Twilio
//! would send them. Prints turns/s and latency percentiles.
//!
//!     cargo run --release --example loadgen -- --to +15005550099 --token TOKEN \
//!         --concurrency 64 --seconds 20
//!
//! Runs on one thread, so on a shared box it takes at most one core from the
//! server. See benches/loadgen.sh for a complete run on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use frontdesk::simulator::random_call_sid;
use frontdesk::telephony::signature::compute_signature;

#[derive(Parser)]
struct Args {
    /// Where the server listens.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    server: String,
    /// The server's FRONTDESK_PUBLIC_URL (signatures cover it); default --server.
    #[arg(long)]
    public_url: Option<String>,
    /// The Twilio auth token the server checks.
    #[arg(long)]
    token: String,
    /// The tenant number to call.
    #[arg(long, default_value = "+15005550099")]
    to: String,
    /// Calls in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// How long to measure.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Seconds of warm-up before measuring.
    #[arg(long, default_value_t = 3)]
    warmup: u64,
}

/// What callers ask about.
const QUESTIONS: &[&str] = &[
    "hi um do you take walk-ins",
    "what are your hours",
    "do you accept insurance",
    "where can I park",
    "is there parking nearby",
];

/// A message left and confirmed.
const MESSAGE: &[&str] = &[
    "I'd like to leave a message",
    "my name is jane doe",
    "yes",
    "jane at example dot com",
    "I need to reschedule my cleaning",
    "yes",
];

/// One call's lines, varied by `index` as real traffic is: 3-6 turns of
/// questions, of a message, or of a question and a transfer to billing
/// (answered or not), each followed by the caller hanging up.
fn script(index: u64) -> (Vec<&'static str>, &'static str) {
    let questions = |n: usize| {
        (0..n)
            .map(|i| QUESTIONS[(index as usize + i) % QUESTIONS.len()])
            .collect::<Vec<_>>()
    };
    let dial_status = if index % 3 == 0 {
        "no-answer"
    } else {
        "completed"
    };
    match index % 4 {
        0 | 1 => {
            let mut lines = questions(2 + (index / 4 % 4) as usize);
            lines.push("no that's all thanks");
            (lines, dial_status)
        }
        2 => (MESSAGE.to_vec(), dial_status),
        _ => {
            let mut lines = questions(1 + (index / 4 % 2) as usize);
            lines.extend([
                "can I talk to someone about my bill",
                "no that's all thanks",
            ]);
            (lines, dial_status)
        }
    }
}

#[derive(Default)]
struct Stats {
    turn_latencies_us: Vec<u32>,
    /// From the caller's words to the real answer, through any filler and
    /// continuation (an LLM brain slower than its filler threshold).
    answer_latencies_us: Vec<u32>,
    /// Replies that were a filler and a redirect to the continuation.
    holds: u64,
    transfers: u64,
    status_requests: u64,
    calls: u64,
    errors: u64,
}

struct Target {
    client: reqwest::Client,
    server: String,
    public_url: String,
    token: String,
    to: String,
}

impl Target {
    async fn post(
        &self,
        path_and_query: &str,
        params: Vec<(String, String)>,
    ) -> Result<String, String> {
        let url = format!("{}{path_and_query}", self.public_url);
        let signature = compute_signature(&url, &params, self.token.as_bytes());
        let body = serde_urlencoded::to_string(&params).unwrap();
        let response = self
            .client
            .post(format!("{}{path_and_query}", self.server))
            .header("X-Twilio-Signature", signature)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let text = response.text().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("{path_and_query}: HTTP {status}"));
        }
        Ok(text)
    }

    /// The path a filler's `<Redirect>` (with no `<Gather>` or `<Dial>`)
    /// sends Twilio to; `None` for any other reply.
    fn hold_redirect(&self, current: &str, reply: &str) -> Option<String> {
        if reply.contains("<Gather") || reply.contains("<Dial") {
            return None;
        }
        let start = reply.find("<Redirect")?;
        let open = start + reply[start..].find('>')? + 1;
        let url = reply[open..open + reply[open..].find("</Redirect>")?].replace("&amp;", "&");
        Some(self.resolve(current, &url))
    }

    fn resolve(&self, current: &str, url: &str) -> String {
        if let Some(path) = url.strip_prefix(&self.public_url) {
            return path.to_owned();
        }
        if url.starts_with('/') {
            return url.to_owned();
        }
        let folder = &current[..current.rfind('/').map_or(0, |i| i + 1)];
        format!("{folder}{url}")
    }

    /// The path of the reply's `<Gather>` or `<Dial>` action, which Twilio
    /// would post to next (a relative URL resolved against `current`, the
    /// path the reply answered); `None` when the reply ends the call.
    fn next_action(&self, current: &str, reply: &str) -> Option<String> {
        let start = reply.find("action=\"")? + "action=\"".len();
        let url = reply[start..start + reply[start..].find('"')?].replace("&amp;", "&");
        Some(self.resolve(current, &url))
    }
}

fn base_params(sid: &str, from: &str, to: &str, status: &str) -> Vec<(String, String)> {
    [
        ("AccountSid", "AC00000000000000000000000000000000"),
        ("ApiVersion", "2010-04-01"),
        ("CallSid", sid),
        ("CallStatus", status),
        ("Called", to),
        ("Caller", from),
        ("Direction", "inbound"),
        ("From", from),
        ("To", to),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// Counts a turn's reply: its latency when it is TwiML, else an error.
fn record(
    started: Instant,
    reply: &Result<String, String>,
    measuring: bool,
    stats: &mut Stats,
) -> bool {
    let ok = reply
        .as_ref()
        .is_ok_and(|xml| xml.starts_with("<?xml") && xml.contains("<Response>"));
    if let Err(e) = reply {
        eprintln!("turn failed: {e}");
    }
    if measuring {
        if ok {
            let micros = started.elapsed().as_micros().min(u128::from(u32::MAX));
            stats.turn_latencies_us.push(micros as u32);
        } else {
            stats.errors += 1;
        }
    }
    ok
}

/// One whole call, following the actions of the replies as Twilio does;
/// records each turn's latency while `measuring`.
async fn one_call(target: &Target, caller_index: u64, measuring: bool, stats: &mut Stats) {
    let sid = random_call_sid();
    let from = format!("+1555{:07}", caller_index % 10_000_000);
    let (lines, dial_status) = script(caller_index);
    let mut lines = lines.into_iter();
    let started = Instant::now();
    let mut path = "/twilio/voice".to_owned();
    let mut reply = target
        .post(&path, base_params(&sid, &from, &target.to, "ringing"))
        .await;
    let mut ok = record(started, &reply, measuring, stats);
    while ok {
        let xml = reply.as_deref().unwrap_or_default();
        let Some(action) = target.next_action(&path, xml) else {
            break;
        };
        let mut params = base_params(&sid, &from, &target.to, "in-progress");
        if xml.contains("<Dial") {
            params.push(("DialCallStatus".into(), dial_status.into()));
            params.push((
                "DialCallSid".into(),
                "CA11111111111111111111111111111111".into(),
            ));
            if measuring {
                stats.transfers += 1;
            }
        } else {
            let Some(line) = lines.next() else {
                break;
            };
            params.push(("SpeechResult".into(), line.into()));
            params.push(("Confidence".into(), "0.92".into()));
        }
        let spoke = !xml.contains("<Dial");
        let started = Instant::now();
        reply = target.post(&action, params).await;
        path = action;
        ok = record(started, &reply, measuring, stats);
        let asked = started;
        // A filler: Twilio follows the redirect for the real answer.
        while ok {
            let Some(next) = target.hold_redirect(&path, reply.as_deref().unwrap_or_default())
            else {
                break;
            };
            if measuring {
                stats.holds += 1;
            }
            let started = Instant::now();
            let params = base_params(&sid, &from, &target.to, "in-progress");
            reply = target.post(&next, params).await;
            path = next;
            ok = record(started, &reply, measuring, stats);
        }
        if ok && spoke && measuring {
            let micros = asked.elapsed().as_micros().min(u128::from(u32::MAX));
            stats.answer_latencies_us.push(micros as u32);
        }
    }
    let mut params = base_params(&sid, &from, &target.to, "completed");
    params.push(("CallDuration".into(), "95".into()));
    if target.post("/twilio/call-status", params).await.is_ok() && measuring {
        stats.status_requests += 1;
    }
    if measuring {
        stats.calls += 1;
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    f64::from(sorted[rank.min(sorted.len() - 1)]) / 1000.0
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = Args::parse();
    let target = Arc::new(Target {
        client: frontdesk::http::client_builder()
            .pool_max_idle_per_host(args.concurrency)
            .build()
            .unwrap(),
        public_url: args
            .public_url
            .clone()
            .unwrap_or_else(|| args.server.clone()),
        server: args.server.clone(),
        token: args.token.clone(),
        to: args.to.clone(),
    });
    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for worker in 0..args.concurrency {
        let (target, measuring, stop) = (target.clone(), measuring.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            let mut stats = Stats::default();
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let index = (worker as u64) * 1_000_000 + n;
                one_call(
                    &target,
                    index,
                    measuring.load(Ordering::Relaxed),
                    &mut stats,
                )
                .await;
                n += 1;
            }
            stats
        }));
    }
    tokio::time::sleep(Duration::from_secs(args.warmup)).await;
    measuring.store(true, Ordering::Relaxed);
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    measuring.store(false, Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let mut total = Stats::default();
    for worker in workers {
        let stats = worker.await.unwrap();
        total.turn_latencies_us.extend(stats.turn_latencies_us);
        total.answer_latencies_us.extend(stats.answer_latencies_us);
        total.holds += stats.holds;
        total.status_requests += stats.status_requests;
        total.transfers += stats.transfers;
        total.calls += stats.calls;
        total.errors += stats.errors;
    }
    total.turn_latencies_us.sort_unstable();
    let turns = total.turn_latencies_us.len();
    let (p50, p99) = (
        percentile(&total.turn_latencies_us, 50.0),
        percentile(&total.turn_latencies_us, 99.0),
    );
    println!(
        "concurrency {}  measured {:.1}s  turns {}  ({:.0} turns/s)  transfers {}  status callbacks {}  calls finished {}  errors {}",
        args.concurrency,
        elapsed,
        turns,
        turns as f64 / elapsed,
        total.transfers,
        total.status_requests,
        total.calls,
        total.errors
    );
    println!(
        "turn latency (client-observed, loopback): p50 {p50:.2} ms  p95 {:.2} ms  p99 {p99:.2} ms  max {:.2} ms",
        percentile(&total.turn_latencies_us, 95.0),
        percentile(&total.turn_latencies_us, 100.0)
    );
    if total.holds > 0 {
        total.answer_latencies_us.sort_unstable();
        println!(
            "fillers {}  caller's words to real answer, through filler and continuation: p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
            total.holds,
            percentile(&total.answer_latencies_us, 50.0),
            percentile(&total.answer_latencies_us, 99.0),
            percentile(&total.answer_latencies_us, 100.0)
        );
    }
    // One line for scripts (benches/history.sh) to read.
    println!(
        "result turns_per_s={:.0} p50_ms={p50:.2} p99_ms={p99:.2} errors={}",
        turns as f64 / elapsed,
        total.errors
    );
}
