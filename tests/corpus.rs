//! The call corpus: realistic scripted calls on several kinds of business,
//! each with what the business owner expects to happen (what the caller
//! hears, which number is dialled, what message is taken and emailed).
//!
//! Every call is played offline: the business's tenant file is imported into
//! a fresh SQLite database with the real import code, its `TenantContext` is
//! loaded as the server loads it, and the call is driven through the real
//! state machine and rules brain the way `receptionist::turn` does, at the
//! local time the call names. A caller who runs out of lines hangs up, and
//! the call ends as the `completed` status callback ends it.
//!
//! ```text
//! cargo test --test corpus -- --nocapture              # the table and every failure
//! CORPUS_ONLY=dental cargo test --test corpus -- --nocapture      # one business (file name)
//! CORPUS_ONLY=dental-urgent cargo test --test corpus -- --nocapture  # calls whose id starts so
//! CORPUS_SHOW=1 ...                                     # print passing transcripts too
//! ```
//!
//! The format is described in `tests/corpus/README.md`. The test fails when
//! fewer than 95% of the calls pass (a CORPUS_ONLY subset never fails on the
//! rate: it is for looking into failures).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use diesel::Connection;
use diesel::sqlite::SqliteConnection;
use frontdesk::ai::brain::{Heard, RulesBrain};
use frontdesk::calls::leaves_a_partial_lead;
use frontdesk::conversation::machine::step;
use frontdesk::conversation::profile::LocalTime;
use frontdesk::conversation::state::{
    CallMemory, CallState, DialOutcome, Event, Outcome, Reply, StateName, TurnContext,
};
use frontdesk::db::DbConnection;
use frontdesk::jobs::{LeadEmailSource, lead_email};
use frontdesk::leads::StoredLead;
use frontdesk::receptionist::real_number;
use frontdesk::tenants::directory::{TenantContext, load_context};
use frontdesk::tenants::file::TenantFile;
use serde::Deserialize;

/// The share of calls that must go the way the business owner wants.
const PASS_RATE: f64 = 0.95;
/// What Twilio sends as `From` when the caller withholds their number.
const WITHHELD: &str = "anonymous";
/// Seconds each turn is taken to last, for the call duration limit.
const SECONDS_PER_TURN: u32 = 15;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CorpusFile {
    tenant: String,
    #[serde(default)]
    call: Vec<CallSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CallSpec {
    id: String,
    category: String,
    at: String,
    #[serde(default)]
    caller_id: Option<String>,
    #[serde(default)]
    note: Option<String>,
    lines: Vec<Line>,
    #[serde(default)]
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Line {
    Said(String),
    Checked {
        say: String,
        #[serde(default)]
        hear: Vec<String>,
        #[serde(default)]
        not_hear: Vec<String>,
    },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    heard: Vec<String>,
    #[serde(default)]
    not_heard: Vec<String>,
    dialled: Option<String>,
    outcome: Option<String>,
    ends: Option<String>,
    lead: Option<LeadSpec>,
    email: Option<EmailExpect>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum LeadSpec {
    Taken(bool),
    Details(Box<LeadExpect>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LeadExpect {
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    #[serde(default)]
    reason_has: Vec<String>,
    #[serde(default)]
    reason_not_has: Vec<String>,
    complete: Option<bool>,
    urgent: Option<bool>,
    department: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EmailExpect {
    #[serde(default)]
    subject_has: Vec<String>,
    #[serde(default)]
    subject_not_has: Vec<String>,
    #[serde(default)]
    body_has: Vec<String>,
    #[serde(default)]
    body_not_has: Vec<String>,
}

/// What happened on one played call.
#[derive(Debug, Default)]
struct Played {
    /// (speaker, text) in order; directives and silences shown in brackets.
    transcript: Vec<(String, String)>,
    /// Caller lines with the state they were said in (for email quotes).
    caller_lines: Vec<(String, StateName)>,
    dialled: Vec<String>,
    outcome: Option<Outcome>,
    ended_by_receptionist: bool,
    /// The message the business gets, as it is stored.
    lead: Option<StoredLead>,
    /// Per checked line: the reply to it.
    replies: Vec<String>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn load_tenant(path: &Path) -> TenantContext {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.display().to_string();
    let spec = TenantFile::parse(&name, &text).unwrap_or_else(|e| panic!("{e}"));
    let mut conn =
        DbConnection::Sqlite(SqliteConnection::establish(":memory:").expect("in-memory SQLite"));
    frontdesk::db::run_migrations(&mut conn).expect("migrations");
    let report =
        frontdesk::tenants::store::import(&mut conn, &spec, &name).expect("tenant imports");
    load_context(&mut conn, report.tenant_id).expect("tenant context loads")
}

/// "tue 10:15" -> Tuesday, 10:15 on the tenant's clock.
fn local_time(at: &str) -> Result<LocalTime, String> {
    let (day, time) = at
        .trim()
        .split_once(' ')
        .ok_or_else(|| format!("`at = {at:?}`: want e.g. \"tue 10:15\""))?;
    let weekday = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .position(|d| day.to_lowercase().starts_with(d))
        .ok_or_else(|| format!("`at = {at:?}`: unknown day"))?;
    let (hour, minute) = time
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<u16>().ok()?, m.parse::<u16>().ok()?)))
        .filter(|(h, m)| *h < 24 && *m < 60)
        .ok_or_else(|| format!("`at = {at:?}`: want HH:MM"))?;
    Ok(LocalTime {
        weekday,
        minute: hour * 60 + minute,
        ..LocalTime::default()
    })
}

fn spoken(reply: &Reply) -> String {
    match reply {
        Reply::Ask { say, .. } | Reply::Hangup { say, .. } | Reply::Transfer { say, .. } => {
            say.join(" ")
        }
    }
}

fn dial_result(directive: &str) -> Option<DialOutcome> {
    Some(match directive.trim() {
        "completed" => DialOutcome::Completed,
        "busy" => DialOutcome::Busy,
        "no-answer" => DialOutcome::NoAnswer,
        "failed" => DialOutcome::Failed,
        "canceled" => DialOutcome::Canceled,
        _ => return None,
    })
}

/// Plays `call` against the tenant, as the turn service would.
fn play(ctx: &TenantContext, call: &CallSpec) -> Result<Played, String> {
    let now = local_time(&call.at)?;
    let caller = real_number(call.caller_id.as_deref().unwrap_or(WITHHELD));
    let open_now = ctx.profile.is_open_at(now);
    let turn_ctx = |turn: u32| TurnContext {
        profile: &ctx.profile,
        open_now,
        local_time: now,
        caller_number: caller.as_deref(),
        turn,
        elapsed_seconds: turn * SECONDS_PER_TURN,
    };
    let mut played = Played::default();
    let mut state = CallState::Greeting;
    let mut memory = CallMemory::default();
    let mut turn = 0u32;
    let mut next_dial: Option<DialOutcome> = None;
    let mut lines = call.lines.iter();
    let mut event = Event::CallStarted;
    let mut checks: Option<(Vec<String>, Vec<String>)> = None;
    let mut saved: Option<StoredLead> = None;
    loop {
        let decision = step(&state, &memory, &event, &turn_ctx(turn));
        let said = spoken(&decision.reply);
        played
            .transcript
            .push(("receptionist".into(), said.clone()));
        if let Some((hear, not_hear)) = checks.take() {
            played.replies.push(said.clone());
            let lower = said.to_lowercase();
            for h in hear {
                if !lower.contains(&h.to_lowercase()) {
                    played
                        .transcript
                        .push(("CHECK".into(), format!("after the line, never heard {h:?}")));
                }
            }
            for h in not_hear {
                if lower.contains(&h.to_lowercase()) {
                    played
                        .transcript
                        .push(("CHECK".into(), format!("after the line, heard {h:?}")));
                }
            }
        }
        played.outcome = Outcome::merge(played.outcome, decision.outcome);
        if decision.save_lead {
            saved = Some(stored_lead(&decision.memory, true, saved.take()));
        }
        state = decision.state;
        memory = decision.memory;
        match &decision.reply {
            Reply::Hangup { .. } => {
                played.ended_by_receptionist = true;
                break;
            }
            Reply::Transfer { number, .. } => {
                played.dialled.push(number.clone());
                let result = next_dial.take().unwrap_or(DialOutcome::Completed);
                played
                    .transcript
                    .push(("dial".into(), format!("[{number}: {result:?}]")));
                turn += 1;
                event = Event::TransferEnded(result);
                continue;
            }
            Reply::Ask { .. } => {}
        }
        // The caller's next line (directives first).
        let mut next = None;
        for line in lines.by_ref() {
            let (text, hear, not_hear) = match line {
                Line::Said(text) => (text.as_str(), Vec::new(), Vec::new()),
                Line::Checked {
                    say,
                    hear,
                    not_hear,
                } => (say.as_str(), hear.clone(), not_hear.clone()),
            };
            let trimmed = text.trim();
            if let Some(directive) = trimmed
                .strip_prefix("[dial ")
                .and_then(|d| d.strip_suffix(']'))
            {
                next_dial = Some(
                    dial_result(directive)
                        .ok_or_else(|| format!("unknown directive {trimmed:?}"))?,
                );
                continue;
            }
            if trimmed.starts_with('[') {
                return Err(format!("unknown directive {trimmed:?}"));
            }
            if !hear.is_empty() || !not_hear.is_empty() {
                checks = Some((hear, not_hear));
            }
            next = Some(trimmed.to_string());
            break;
        }
        let Some(text) = next else {
            break; // The caller hangs up.
        };
        turn += 1;
        event = if text.is_empty() {
            played
                .transcript
                .push(("caller".into(), "[silence]".into()));
            Event::Silence
        } else {
            let heard = Heard {
                text: &text,
                expecting: state.expecting(),
                profile: &ctx.profile,
                knowledge: &ctx.knowledge,
                country_code: ctx.country_code,
                lead: &memory.lead,
                topic: memory.last_topic,
                local_time: now,
                open_now,
                recent: &[],
                model: None,
            };
            let interpretation = RulesBrain::hear(heard);
            played.transcript.push(("caller".into(), text.clone()));
            played
                .caller_lines
                .push((interpretation.text.clone(), state.name()));
            Event::Speech(interpretation)
        };
    }
    if !played.ended_by_receptionist {
        // The `completed` status callback: the outcome the call has, else
        // hung up (or abandoned before saying anything).
        let fallback = if turn == 0 {
            Outcome::Abandoned
        } else {
            Outcome::HungUp
        };
        played.outcome = Some(played.outcome.unwrap_or(fallback));
    }
    let outcome = played.outcome.unwrap_or(Outcome::HungUp);
    played.lead = saved.or_else(|| {
        leaves_a_partial_lead(&memory, outcome).then(|| stored_lead(&memory, false, None))
    });
    Ok(played)
}

/// The lead row as `leads::upsert_for_call` writes it from the call's
/// memory over an earlier one: a confirmed message stays complete and an
/// urgent one urgent.
fn stored_lead(memory: &CallMemory, complete: bool, earlier: Option<StoredLead>) -> StoredLead {
    let earlier = earlier.unwrap_or_default();
    StoredLead {
        details: memory.lead.clone(),
        complete: complete || earlier.complete,
        urgent: memory.urgent || earlier.urgent,
        department: memory
            .department
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned),
    }
}

/// The lead notification the business would get: (subject, text body).
fn notification(ctx: &TenantContext, call: &CallSpec, played: &Played) -> Option<(String, String)> {
    let lead = played.lead.as_ref()?;
    let caller_lines: Vec<_> = played
        .caller_lines
        .iter()
        .map(|(text, state)| (text.as_str(), *state))
        .collect();
    let email = lead_email(
        vec!["owner@example.com".into()],
        &LeadEmailSource {
            tenant_name: &ctx.profile.name,
            country_code: ctx.country_code,
            lead,
            from_number: call.caller_id.as_deref().unwrap_or(WITHHELD),
            caller_lines: &caller_lines,
            call_url: "https://frontdesk.example/calls/1",
            called_at: &call.at,
        },
        "<corpus@frontdesk.example>".into(),
    )
    .ok()?;
    Some((email.subject, email.text))
}

/// Every expectation `played` misses.
fn failures(ctx: &TenantContext, call: &CallSpec, played: &Played) -> Vec<String> {
    let mut failed: Vec<String> = played
        .transcript
        .iter()
        .filter(|(who, _)| who == "CHECK")
        .map(|(_, what)| what.clone())
        .collect();
    let expect = &call.expect;
    let everything = played
        .transcript
        .iter()
        .filter(|(who, _)| who == "receptionist")
        .map(|(_, said)| said.to_lowercase())
        .collect::<Vec<_>>()
        .join(" | ");
    for h in &expect.heard {
        if !everything.contains(&h.to_lowercase()) {
            failed.push(format!("never heard {h:?}"));
        }
    }
    for h in &expect.not_heard {
        if everything.contains(&h.to_lowercase()) {
            failed.push(format!("heard {h:?}"));
        }
    }
    match expect.dialled.as_deref() {
        Some("none") if !played.dialled.is_empty() => {
            failed.push(format!("dialled {:?}, wanted no transfer", played.dialled))
        }
        Some("none") | None => {}
        Some(number) if played.dialled.first().map(String::as_str) != Some(number) => {
            failed.push(format!("dialled {:?}, wanted {number}", played.dialled))
        }
        Some(_) => {}
    }
    if let Some(outcome) = &expect.outcome {
        let got = played.outcome.map(Outcome::as_str).unwrap_or("none");
        if got != outcome {
            failed.push(format!("outcome {got}, wanted {outcome}"));
        }
    }
    match expect.ends.as_deref() {
        Some("receptionist") if !played.ended_by_receptionist => {
            failed.push("the caller had to hang up; wanted the receptionist to end the call".into())
        }
        Some("caller") if played.ended_by_receptionist => {
            failed.push("the receptionist ended the call before the caller was done".into())
        }
        _ => {}
    }
    match (&expect.lead, &played.lead) {
        (Some(LeadSpec::Taken(false)), Some(lead)) => {
            failed.push(format!("a message was taken: {lead:?}"))
        }
        (Some(LeadSpec::Taken(true)), None) | (Some(LeadSpec::Details(_)), None) => {
            failed.push("no message was taken".into())
        }
        (Some(LeadSpec::Details(want)), Some(lead)) => check_lead(want, lead, &mut failed),
        _ => {}
    }
    if let Some(want) = &expect.email {
        match notification(ctx, call, played) {
            None => failed.push("no lead email".into()),
            Some((subject, body)) => {
                let (s, b) = (subject.to_lowercase(), body.to_lowercase());
                for h in &want.subject_has {
                    if !s.contains(&h.to_lowercase()) {
                        failed.push(format!("email subject {subject:?} lacks {h:?}"));
                    }
                }
                for h in &want.subject_not_has {
                    if s.contains(&h.to_lowercase()) {
                        failed.push(format!("email subject {subject:?} has {h:?}"));
                    }
                }
                for h in &want.body_has {
                    if !b.contains(&h.to_lowercase()) {
                        failed.push(format!("email body lacks {h:?}"));
                    }
                }
                for h in &want.body_not_has {
                    if b.contains(&h.to_lowercase()) {
                        failed.push(format!("email body has {h:?}"));
                    }
                }
            }
        }
    }
    failed
}

fn check_lead(want: &LeadExpect, lead: &StoredLead, failed: &mut Vec<String>) {
    let details = &lead.details;
    let mut exact = |what: &str, want: &Option<String>, got: &Option<String>| {
        if let Some(want) = want {
            let got_value = got.as_deref().unwrap_or("");
            if want != got_value {
                failed.push(format!("{what} {got:?}, wanted {want:?}"));
            }
        }
    };
    exact("name", &want.name, &details.name);
    exact("phone", &want.phone, &details.phone);
    exact("email", &want.email, &details.email);
    exact("department", &want.department, &lead.department);
    let reason = details.reason.clone().unwrap_or_default().to_lowercase();
    for h in &want.reason_has {
        if !reason.contains(&h.to_lowercase()) {
            failed.push(format!("reason {:?} lacks {h:?}", details.reason));
        }
    }
    for h in &want.reason_not_has {
        if reason.contains(&h.to_lowercase()) {
            failed.push(format!("reason {:?} has {h:?}", details.reason));
        }
    }
    if let Some(complete) = want.complete
        && complete != lead.complete
    {
        failed.push(format!(
            "message complete={}, wanted {complete}",
            lead.complete
        ));
    }
    if let Some(urgent) = want.urgent
        && urgent != lead.urgent
    {
        failed.push(format!("urgent={}, wanted {urgent}", lead.urgent));
    }
}

#[derive(Default)]
struct Tally {
    passed: usize,
    total: usize,
}

#[test]
fn the_corpus_of_realistic_calls_goes_the_way_the_business_wants() {
    let only = std::env::var("CORPUS_ONLY").ok().filter(|o| !o.is_empty());
    let show_all = std::env::var("CORPUS_SHOW").is_ok_and(|v| v == "1");
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/corpus exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut by_category: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_business: BTreeMap<String, Tally> = BTreeMap::new();
    let mut report = String::new();
    let mut ids = std::collections::HashSet::new();
    for path in files {
        let business = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let corpus: CorpusFile =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ctx = load_tenant(&corpus_dir().join(&corpus.tenant));
        for call in &corpus.call {
            assert!(ids.insert(call.id.clone()), "duplicate call id {}", call.id);
            if let Some(only) = &only
                && !business.starts_with(only.as_str())
                && !call.id.starts_with(only.as_str())
            {
                continue;
            }
            let failed = match play(&ctx, call) {
                Ok(played) => {
                    let failed = failures(&ctx, call, &played);
                    if !failed.is_empty() || show_all {
                        let _ = writeln!(
                            report,
                            "\n--- {} [{}] {} at {}{}",
                            call.id,
                            call.category,
                            if failed.is_empty() { "PASS" } else { "FAIL" },
                            call.at,
                            call.note
                                .as_deref()
                                .map(|n| format!(" ({n})"))
                                .unwrap_or_default()
                        );
                        for f in &failed {
                            let _ = writeln!(report, "  ✗ {f}");
                        }
                        for (who, said) in &played.transcript {
                            if who != "CHECK" {
                                let _ = writeln!(report, "    {who:>12}: {said}");
                            }
                        }
                        let _ = writeln!(
                            report,
                            "    {:>12}: {:?} / lead {:?}",
                            "result", played.outcome, played.lead
                        );
                    }
                    failed
                }
                Err(error) => {
                    let _ = writeln!(report, "\n--- {}: the script is wrong: {error}", call.id);
                    vec![error]
                }
            };
            for tally in [
                by_category.entry(call.category.clone()).or_default(),
                by_business.entry(business.clone()).or_default(),
            ] {
                tally.total += 1;
                tally.passed += usize::from(failed.is_empty());
            }
        }
    }
    let (passed, total) = by_category
        .values()
        .fold((0, 0), |(p, t), c| (p + c.passed, t + c.total));
    let mut table = String::from("\ncategory         passed  total      %\n");
    for (name, t) in by_category.iter().chain(by_business.iter()) {
        let _ = writeln!(
            table,
            "{name:<16} {:>6} {:>6} {:>6.1}",
            t.passed,
            t.total,
            100.0 * t.passed as f64 / t.total.max(1) as f64
        );
    }
    let rate = passed as f64 / total.max(1) as f64;
    let _ = writeln!(
        table,
        "{:<16} {passed:>6} {total:>6} {:>6.1}",
        "ALL",
        100.0 * rate
    );
    println!("{report}{table}");
    assert!(total > 0, "no calls ran (CORPUS_ONLY={only:?})");
    // A subset (CORPUS_ONLY) is for looking into failures, not for the bar.
    if only.is_none() {
        assert!(
            rate >= PASS_RATE,
            "{passed} of {total} calls went as the business wants ({:.1}%), below {:.0}%",
            100.0 * rate,
            100.0 * PASS_RATE
        );
    }
}
