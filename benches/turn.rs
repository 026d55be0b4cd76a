//! The CPU work of one `/twilio/gather` turn outside the database: the rules
//! brain (`interpret`), the state machine (`step`) and the TwiML renderer
//! (`render::answer`), for the demo tenant loaded the way the server loads
//! it; and the webhook signature check every Twilio request goes through.
//!
//!     cargo bench --bench turn
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use frontdesk::ai::rules;
use frontdesk::config::Config;
use frontdesk::conversation::machine::step;
use frontdesk::conversation::state::{CallMemory, CallState, Event, StateName, TurnContext};
use frontdesk::receptionist::Answer;
use frontdesk::telephony::{render, signature};
use frontdesk::tenants::directory::{TenantContext, load_context};
use frontdesk::tenants::file::TenantFile;
use frontdesk::tenants::store::import;

const CALLER: &str = "+15557654321";

/// Bright Smile Dental's context, built through a temporary SQLite database
/// exactly as the server builds it.
fn demo_tenant() -> TenantContext {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let vars = HashMap::from([("DATABASE_URL", url)]);
    let config = Config::from_vars(|name| vars.get(name).cloned()).unwrap();
    let pool = frontdesk::server::open_database(&config).unwrap();
    let mut conn = pool.get().unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/bright-smile.toml");
    let spec = TenantFile::parse(path, &std::fs::read_to_string(path).unwrap()).unwrap();
    let report = import(&mut conn, &spec, path).unwrap();
    load_context(&mut conn, report.tenant_id).unwrap()
}

/// Where a call is when the caller speaks.
struct Moment {
    state: CallState,
    memory: CallMemory,
    turn: u32,
}

/// One turn as `receptionist::take_turn` does it, minus the database.
fn turn(ctx: &TenantContext, at: &Moment, text: &str) -> String {
    let interpretation = rules::interpret(
        text,
        at.state.expecting(),
        &ctx.profile,
        &ctx.knowledge,
        ctx.country_code,
    );
    let turn_ctx = TurnContext {
        profile: &ctx.profile,
        open_now: true,
        local_time: Default::default(),
        caller_number: Some(CALLER),
        turn: at.turn,
        elapsed_seconds: at.turn * 15,
    };
    let decision = step(
        &at.state,
        &at.memory,
        &Event::Speech(interpretation),
        &turn_ctx,
    );
    let answer = Answer::deciding(&decision, at.turn as i32, Some(CALLER.to_owned()));
    render::answer(&answer, ctx)
}

/// The moment after the greeting and the given caller lines.
fn after(ctx: &TenantContext, lines: &[&str]) -> Moment {
    let turn_ctx = |turn| TurnContext {
        profile: &ctx.profile,
        open_now: true,
        local_time: Default::default(),
        caller_number: Some(CALLER),
        turn,
        elapsed_seconds: turn * 15,
    };
    let mut decision = step(
        &CallState::Greeting,
        &CallMemory::default(),
        &Event::CallStarted,
        &turn_ctx(0),
    );
    for (n, line) in lines.iter().enumerate() {
        let interpretation = rules::interpret(
            line,
            decision.state.expecting(),
            &ctx.profile,
            &ctx.knowledge,
            ctx.country_code,
        );
        let event = Event::Speech(interpretation);
        decision = step(
            &decision.state,
            &decision.memory,
            &event,
            &turn_ctx(n as u32 + 1),
        );
    }
    Moment {
        state: decision.state,
        memory: decision.memory,
        turn: lines.len() as u32 + 1,
    }
}

const MESSAGE: &str = "I'd like to leave a message";
const DETAILS: &str = "this is jane doe my number is five five five one two three four five six seven and my email is jane dot doe at example dot com";

fn turns(c: &mut Criterion) {
    let ctx = demo_tenant();
    let question = "hi um how much is a cleaning without insurance";
    let understood = rules::interpret(
        question,
        Default::default(),
        &ctx.profile,
        &ctx.knowledge,
        ctx.country_code,
    );
    assert!(understood.answer.is_some(), "{understood:?}");
    let greeted = after(&ctx, &[]);
    let taking_message = after(&ctx, &[MESSAGE]);
    let at_confirmation = after(
        &ctx,
        &[MESSAGE, DETAILS, "yes", "I need to reschedule my cleaning"],
    );
    assert_eq!(greeted.state.name(), StateName::Intent);
    assert_eq!(taking_message.state.name(), StateName::LeadCapture);
    assert_eq!(at_confirmation.state.name(), StateName::Confirmation);
    let cases = [
        ("knowledge question", &greeted, question),
        ("leave a message", &greeted, MESSAGE),
        ("name, number and email", &taking_message, DETAILS),
        ("yes at confirmation", &at_confirmation, "yes"),
    ];
    let mut group = c.benchmark_group("turn");
    for (name, at, text) in cases {
        group.bench_function(name, |b| {
            b.iter(|| turn(black_box(&ctx), black_box(at), black_box(text)))
        });
    }
    group.finish();
}

/// A `/twilio/gather` form as Twilio posts it.
fn gather_form() -> Vec<(String, String)> {
    [
        ("AccountSid", "AC0123456789abcdef0123456789abcdef"),
        ("ApiVersion", "2010-04-01"),
        ("CallSid", "CA0123456789abcdef0123456789abcdef"),
        ("CallStatus", "in-progress"),
        ("Called", "+15005550006"),
        ("CalledCity", "SPRINGFIELD"),
        ("CalledCountry", "US"),
        ("CalledState", "NJ"),
        ("CalledZip", "07081"),
        ("Caller", CALLER),
        ("Confidence", "0.9134"),
        ("Direction", "inbound"),
        ("From", CALLER),
        ("Language", "en-US"),
        ("SpeechResult", "How much is a cleaning without insurance?"),
        ("To", "+15005550006"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn signatures(c: &mut Criterion) {
    let url = "https://frontdesk.example.com/twilio/gather?turn=3";
    let token = b"0123456789abcdef0123456789abcdef";
    let form = gather_form();
    let good = signature::compute_signature(url, &form, token);
    let bad = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    assert!(signature::validate(url, &form, token, &good));
    assert!(!signature::validate(url, &form, token, bad));
    let mut group = c.benchmark_group("signature");
    group.bench_function("valid, 16 fields", |b| {
        b.iter(|| signature::validate(black_box(url), black_box(&form), token, black_box(&good)))
    });
    group.bench_function("invalid, 16 fields", |b| {
        b.iter(|| signature::validate(black_box(url), black_box(&form), token, black_box(bad)))
    });
    group.finish();
}

criterion_group!(benches, turns, signatures);
criterion_main!(benches);
