//! Every way a call ends from the receptionist's side. Memory is never
//! cleared here: a partial lead stays for the post-call notification.

use crate::conversation::state::{CallMemory, Decision, Outcome, TurnContext};

use super::capture::has_partial_lead;
use super::reply::{goodbye, hang_up};

const PASSING_ON: &str =
    "I'll pass on the details you've given me, and someone will get back to you.";

/// The caller said goodbye (or "no" to "anything else?"). `mid_message` is
/// true when they leave while a message was being taken.
pub(super) fn farewell(memory: CallMemory, ctx: &TurnContext, mid_message: bool) -> Decision {
    let passing_on = mid_message && has_partial_lead(&memory);
    let mut say = Vec::new();
    if passing_on {
        say.push("No problem.".to_string());
        say.push(PASSING_ON.to_string());
    } else {
        say.push("Have a great day.".to_string());
    }
    say.push(goodbye(ctx));
    let fallback = if passing_on {
        Outcome::Abandoned
    } else {
        Outcome::Answered
    };
    let outcome = closing_outcome(&memory, fallback);
    hang_up(memory, say, Some(outcome))
}

/// "Emergency" in any state: the instruction, then hang up so the caller
/// can dial. A caller who speaks of ending their life also hears of the
/// 988 crisis line where the emergency number is the US's 911.
pub(super) fn emergency(memory: CallMemory, ctx: &TurnContext, said: &str) -> Decision {
    let number = ctx.profile.emergency_number.trim();
    let line = if number.is_empty() {
        "If this is an emergency, please hang up and call your local emergency number now."
            .to_string()
    } else {
        format!("If this is an emergency, please hang up and call {number} now.")
    };
    let mut say = vec![line];
    if number == "911" && speaks_of_self_harm(said) {
        say.push(
            "You can also call or text 988, the Suicide and Crisis Lifeline, any time, day or night."
                .to_string(),
        );
    }
    hang_up(memory, say, Some(Outcome::Emergency))
}

/// Words of a caller thinking of ending their life.
const SELF_HARM: &[&str] = &[
    "kill myself",
    "killing myself",
    "suicide",
    "suicidal",
    "end my life",
    "ending my life",
    "take my own life",
    "taking my own life",
    "end it all",
    "ending it all",
    "better off dead",
    "want to live",
    "reason to live",
];

fn speaks_of_self_harm(said: &str) -> bool {
    let said: String = said
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let said = said.split_whitespace().collect::<Vec<_>>().join(" ");
    SELF_HARM.iter().any(|phrase| {
        said.contains(phrase)
            && !(phrase.ends_with("life") && said.contains(&format!("{phrase} insurance")))
    })
}

/// Max turns or max duration reached.
pub(super) fn limit_reached(memory: CallMemory, ctx: &TurnContext) -> Decision {
    let lead_in = "I'm sorry, I need to end the call now.";
    let outcome = closing_outcome(&memory, partial_or(&memory, Outcome::Answered));
    end_with(memory, ctx, lead_in, outcome)
}

/// The third silence in a row.
pub(super) fn silent_caller(memory: CallMemory, ctx: &TurnContext) -> Decision {
    let lead_in = "I haven't heard anything, so I'll end the call now.";
    let outcome = closing_outcome(&memory, Outcome::Abandoned);
    end_with(memory, ctx, lead_in, outcome)
}

/// The third utterance in a row that could not be used for the message.
pub(super) fn trouble_understanding(memory: CallMemory, ctx: &TurnContext) -> Decision {
    let lead_in = "I'm sorry, I'm having trouble understanding.";
    let outcome = closing_outcome(&memory, Outcome::Abandoned);
    end_with(memory, ctx, lead_in, outcome)
}

fn end_with(memory: CallMemory, ctx: &TurnContext, lead_in: &str, outcome: Outcome) -> Decision {
    let mut say = vec![lead_in.to_string()];
    if has_partial_lead(&memory) {
        say.push(PASSING_ON.to_string());
    }
    say.push(goodbye(ctx));
    hang_up(memory, say, Some(outcome))
}

fn partial_or(memory: &CallMemory, otherwise: Outcome) -> Outcome {
    if has_partial_lead(memory) {
        Outcome::Abandoned
    } else {
        otherwise
    }
}

/// A saved lead is how the call went, whatever happened after it.
fn closing_outcome(memory: &CallMemory, otherwise: Outcome) -> Outcome {
    if memory.lead_saved {
        Outcome::LeadCaptured
    } else {
        otherwise
    }
}
