//! Building decisions: every question the receptionist asks goes through
//! `ask`, so the prompt is remembered for re-prompts and the speech hints
//! fit what the new state expects.

use crate::conversation::interpretation::Expecting;
use crate::conversation::state::{CallMemory, CallState, Decision, Outcome, Reply, TurnContext};

pub(super) const HOW_CAN_I_HELP: &str = "How can I help you today?";
pub(super) const ANYTHING_ELSE: &str = "Is there anything else I can help with?";

/// Says `lead_in`, then asks `prompt` and listens in `state`.
pub(super) fn ask(
    state: CallState,
    mut memory: CallMemory,
    ctx: &TurnContext,
    lead_in: Vec<String>,
    prompt: String,
) -> Decision {
    memory.last_prompt = prompt.clone();
    memory.last_said = lead_in.join(" ");
    let mut say = lead_in;
    say.push(prompt);
    let expecting = state.expecting();
    Decision {
        hints: hints(expecting, ctx),
        expecting,
        state,
        memory,
        reply: Reply::Ask {
            say: sentences(say),
        },
        outcome: None,
        save_lead: false,
    }
}

/// What is said before asking again after `failed_attempts` misses in a
/// row: never the same apology twice running.
pub(super) fn not_understood(failed_attempts: u8) -> &'static str {
    if failed_attempts <= 1 {
        "Sorry, I didn't catch that."
    } else {
        "Sorry, I still didn't quite get that."
    }
}

/// Says `lead_in`, then repeats the last question unchanged.
pub(super) fn reprompt(
    state: CallState,
    memory: CallMemory,
    ctx: &TurnContext,
    lead_in: &str,
) -> Decision {
    let prompt = last_prompt(&memory);
    let said_before = memory.last_said.clone();
    let mut decision = ask(state, memory, ctx, vec![lead_in.to_string()], prompt);
    if lead_in.trim().is_empty() {
        decision.memory.last_said = said_before;
    }
    decision
}

pub(super) fn last_prompt(memory: &CallMemory) -> String {
    if memory.last_prompt.trim().is_empty() {
        HOW_CAN_I_HELP.to_string()
    } else {
        memory.last_prompt.clone()
    }
}

/// Says `say` and ends the call.
pub(super) fn hang_up(memory: CallMemory, say: Vec<String>, outcome: Option<Outcome>) -> Decision {
    Decision {
        state: CallState::Ended,
        memory,
        reply: Reply::Hangup {
            say: sentences(say),
        },
        outcome,
        save_lead: false,
        hints: Vec::new(),
        expecting: Expecting::Anything,
    }
}

pub(super) fn goodbye(ctx: &TurnContext) -> String {
    let name = ctx.profile.name.trim();
    if name.is_empty() {
        "Thanks for calling. Goodbye.".to_string()
    } else {
        format!("Thanks for calling {name}. Goodbye.")
    }
}

/// Drops empty sentences; a reply always says something.
pub(super) fn sentences(say: Vec<String>) -> Vec<String> {
    let say: Vec<String> = say
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if say.is_empty() {
        vec![HOW_CAN_I_HELP.to_string()]
    } else {
        say
    }
}

/// Phrases that help speech recognition with the answer to the next prompt.
fn hints(expecting: Expecting, ctx: &TurnContext) -> Vec<String> {
    let words: &[&str] = match expecting {
        Expecting::Anything => &["leave a message", "talk to someone", "opening hours"],
        Expecting::YesNo => &["yes", "no", "yeah", "that's right"],
        Expecting::Correction => &["name", "number", "email", "reason"],
        Expecting::Email => &[
            "at",
            "dot",
            "dot com",
            "gmail dot com",
            "yahoo dot com",
            "hotmail dot com",
            "outlook dot com",
            "icloud dot com",
            "underscore",
            "no",
        ],
        Expecting::Phone => &[
            "zero",
            "oh",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "area code",
        ],
        Expecting::Name | Expecting::Reason => &[],
    };
    let mut hints: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    if expecting == Expecting::Anything {
        hints.extend(
            ctx.profile
                .departments
                .iter()
                .map(|d| d.name.trim().to_string())
                .filter(|n| !n.is_empty()),
        );
    }
    hints
}
