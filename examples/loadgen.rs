//! Load generator: many concurrent signed calls through the whole call flow
//! (voice → gather × N → call-status) against a running Frontdesk, as Twilio
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

/// A typical call: two questions, then a message left and confirmed.
const LINES: &[&str] = &[
    "hi um do you take walk-ins",
    "what are your hours",
    "I'd like to leave a message",
    "my name is jane doe",
    "yes",
    "jane at example dot com",
    "I need to reschedule my cleaning",
    "yes",
    "no that's all thanks",
];

#[derive(Default)]
struct Stats {
    turn_latencies_us: Vec<u32>,
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

/// One whole call; records each turn's latency while `measuring`.
async fn one_call(target: &Target, caller_index: u64, measuring: bool, stats: &mut Stats) {
    let sid = random_call_sid();
    let from = format!("+1555{:07}", caller_index % 10_000_000);
    let timed = |started: Instant, ok: bool, stats: &mut Stats| {
        if !measuring {
            return;
        }
        if ok {
            stats
                .turn_latencies_us
                .push(started.elapsed().as_micros().min(u32::MAX as u128) as u32);
        } else {
            stats.errors += 1;
        }
    };
    let started = Instant::now();
    let answer = target
        .post(
            "/twilio/voice",
            base_params(&sid, &from, &target.to, "ringing"),
        )
        .await;
    let ok = answer.as_ref().is_ok_and(|xml| xml.contains("<Gather"));
    timed(started, ok, stats);
    if !ok {
        if let Err(e) = answer {
            eprintln!("voice failed: {e}");
        }
        return;
    }
    for (turn, line) in LINES.iter().enumerate() {
        let mut params = base_params(&sid, &from, &target.to, "in-progress");
        params.push(("SpeechResult".into(), (*line).into()));
        params.push(("Confidence".into(), "0.92".into()));
        let started = Instant::now();
        let reply = target
            .post(&format!("/twilio/gather?turn={turn}"), params)
            .await;
        let ok = reply
            .as_ref()
            .is_ok_and(|xml| xml.starts_with("<?xml") && xml.contains("<Response>"));
        timed(started, ok, stats);
        if !ok {
            if let Err(e) = reply {
                eprintln!("gather failed: {e}");
            }
            break;
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
        client: reqwest::Client::builder()
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
        total.status_requests += stats.status_requests;
        total.calls += stats.calls;
        total.errors += stats.errors;
    }
    total.turn_latencies_us.sort_unstable();
    let turns = total.turn_latencies_us.len();
    println!(
        "concurrency {}  measured {:.1}s  turns {}  ({:.0} turns/s)  status callbacks {}  calls finished {}  errors {}",
        args.concurrency,
        elapsed,
        turns,
        turns as f64 / elapsed,
        total.status_requests,
        total.calls,
        total.errors
    );
    println!(
        "turn latency (client-observed, loopback): p50 {:.2} ms  p95 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        percentile(&total.turn_latencies_us, 50.0),
        percentile(&total.turn_latencies_us, 95.0),
        percentile(&total.turn_latencies_us, 99.0),
        percentile(&total.turn_latencies_us, 100.0)
    );
}
