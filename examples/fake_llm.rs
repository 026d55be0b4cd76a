//! An OpenAI-compatible chat server for benchmarks: answers every caller
//! turn after a fixed delay, the way a hosted LLM would, so a load test
//! measures what Frontdesk adds around the LLM's own time. Its readings
//! follow the load generator's lines (a question answered from the first
//! knowledge entry shown, a message, a transfer to billing, goodbye).
//!
//!     cargo run --release --example fake_llm -- --port 18081 --delay-ms 800
//!
//! It shares the test suite's server (tests/common/openai.rs).
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "../tests/common/openai.rs"]
mod openai;

use std::time::Duration;

use clap::Parser;
use openai::{FakeLlm, Reply, caller_text, data, reading};
use serde_json::{Value, json};

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 18081)]
    port: u16,
    /// How long each completion takes.
    #[arg(long, default_value_t = 800)]
    delay_ms: u64,
}

fn answer(request: &Value) -> Value {
    if openai::is_summary(request) {
        return json!({"summary": "A caller asked a question.", "sentiment": "neutral",
                      "urgency": "normal", "follow_up": "None needed."});
    }
    let said = caller_text(request).to_lowercase();
    let has = |words: &str| said.contains(words);
    if has("message") {
        reading("leave_message", json!({}))
    } else if has("jane doe") {
        reading("unclear", json!({"name": "Jane Doe"}))
    } else if has("example dot com") {
        reading("unclear", json!({"email": "jane@example.com"}))
    } else if has("reschedule") {
        reading("request", json!({"reason": "reschedule a cleaning"}))
    } else if said == "yes" {
        reading("yes", json!({}))
    } else if said == "no" {
        reading("no", json!({}))
    } else if has("bill") {
        reading("talk_to_person", json!({"department": "Billing"}))
    } else if has("that's all") {
        reading("goodbye", json!({"goodbye": true}))
    } else if has("hours") {
        reading("hours", json!({"hours": "week"}))
    } else {
        let first = &data(request)["knowledge"][0];
        match (first["id"].as_i64(), first["answer"].as_str()) {
            (Some(id), Some(text)) => reading("question", json!({"answer": text, "entries": [id]})),
            _ => reading("question", json!({})),
        }
    }
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let delay = Duration::from_millis(args.delay_ms);
    let server = FakeLlm::start_on(args.port, move |request| {
        Reply::After(delay, Box::new(Reply::Json(answer(request))))
    })
    .await;
    println!("{}", server.base_url());
    std::future::pending::<()>().await;
}
