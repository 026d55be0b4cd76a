//! "Try a question": what the receptionist would say if a caller asked
//! this at the start of a call, worked out by the same code a call runs
//! (the rules brain's reading, the knowledge matcher and the state machine)
//! on the tenant's current configuration, and which entries came closest.
//! Nothing is stored.

use crate::ai::brain::{Heard, RulesBrain};
use crate::conversation::interpretation::{Details, Intent, Interpretation};
use crate::conversation::machine::step;
use crate::conversation::state::{CallMemory, CallState, Event, Reply, TurnContext};
use crate::tenants::directory::TenantContext;

/// Entries shown as near matches, best first.
const CANDIDATES: usize = 5;

/// One entry and how strongly it matched (0 to about 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub entry_id: i64,
    pub question: String,
    pub score: f32,
    /// The receptionist would speak this entry's answer.
    pub chosen: bool,
}

/// What trying a question showed.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    /// What the receptionist would say, as it would say it.
    pub reply: String,
    /// The entries it answers from, in the order it would say them.
    pub answered: Vec<Match>,
    /// The closest entries, chosen or not, best first.
    pub candidates: Vec<Match>,
    /// A question no entry answers: the receptionist offers to take a message.
    pub unanswered: bool,
}

/// The state a call is in right after the greeting: where a caller's first
/// question is heard.
fn after_greeting() -> CallState {
    CallState::Intent { offer: None }
}

/// The rules brain's reading of `text` as a caller's first words after the
/// greeting. Shared by "try a question" and the unanswered list's check of
/// whether a question has an answer now.
pub fn first_reading(ctx: &TenantContext, text: &str) -> Interpretation {
    let now = crate::clock::now();
    let memory = CallMemory::default();
    RulesBrain::hear(Heard {
        text,
        expecting: after_greeting().expecting(),
        profile: &ctx.profile,
        knowledge: &ctx.knowledge,
        country_code: ctx.country_code,
        lead: &Details::default(),
        topic: None,
        local_time: ctx.local_time(now),
        open_now: ctx.is_open(now),
        recent: &memory.recent,
        model: ctx.llm_model.as_deref(),
    })
}

/// What the receptionist would answer to `question`, asked first thing in a call.
pub fn try_question(ctx: &TenantContext, question: &str) -> Trial {
    let reading = first_reading(ctx, question);
    let now = crate::clock::now();
    let turn = TurnContext {
        profile: &ctx.profile,
        open_now: ctx.is_open(now),
        local_time: ctx.local_time(now),
        caller_number: None,
        turn: 1,
        elapsed_seconds: 0,
    };
    let decision = step(
        &after_greeting(),
        &CallMemory::default(),
        &Event::Speech(reading.clone()),
        &turn,
    );
    let reply = match &decision.reply {
        Reply::Ask { say } | Reply::Hangup { say } | Reply::Transfer { say, .. } => say.join(" "),
    };
    let chosen: Vec<(i64, f32)> = reading
        .answer
        .iter()
        .chain(&reading.also)
        .map(|a| (a.entry_id, a.score))
        .collect();
    let question_of = |id: i64| {
        ctx.knowledge
            .entry(id)
            .map(|e| e.question.clone())
            .unwrap_or_default()
    };
    let answered = chosen
        .iter()
        .map(|&(entry_id, score)| Match {
            entry_id,
            question: question_of(entry_id),
            score,
            chosen: true,
        })
        .collect();
    let candidates = ctx
        .knowledge
        .search(&reading.text, CANDIDATES)
        .into_iter()
        .map(|(entry, score)| Match {
            entry_id: entry.id,
            question: entry.question.clone(),
            score,
            chosen: chosen.iter().any(|(id, _)| *id == entry.id),
        })
        .collect();
    Trial {
        reply,
        answered,
        candidates,
        unanswered: reading.intent == Intent::Question && chosen.is_empty(),
    }
}
