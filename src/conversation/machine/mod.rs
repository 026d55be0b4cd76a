//! The call state machine: a pure function from (state, memory, event,
//! context) to the next decision. No I/O, no clock, no randomness: the web
//! layer passes the time-dependent facts (open now, turn, elapsed seconds) in
//! `TurnContext`, persists the returned `Decision` and renders its reply.

mod capture;
mod closing;
mod confirmation;
mod intent;
mod language;
mod reply;
mod routing;
mod small_talk;
mod transfer;

#[cfg(test)]
mod capture_tests;
#[cfg(test)]
mod confirmation_tests;
#[cfg(test)]
mod every_state_tests;
#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod knowledge_tests;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod routing_tests;
#[cfg(test)]
mod spoken_details_tests;
#[cfg(test)]
mod tests;

use super::interpretation::{Intent, Interpretation};
use super::state::{
    Asking, CallMemory, CallState, Correction, Decision, DialOutcome, Event, Offer, TurnContext,
};
use reply::{HOW_CAN_I_HELP, ask, hang_up, reprompt};

/// Silent turns re-prompted before the call is closed on the next one.
const MAX_REPROMPTS: u8 = 2;

/// Decides what happens next in a call.
///
/// `memory` is the memory persisted with `state`; the returned decision holds
/// the memory to persist with the new state. Any partial lead stays in the
/// memory whatever happens, so a call that ends early still has it.
///
/// One rule holds in every state and comes first: an emergency ends the call
/// with the emergency instruction. Then each state decides, the way the
/// states follow each other in a call; the states that listen to the caller
/// share `listen` (turn and duration limit, silence, stray events).
pub fn step(state: &CallState, memory: &CallMemory, event: &Event, ctx: &TurnContext) -> Decision {
    let memory = memory.clone();
    if let Event::Speech(interp) = event
        && interp.intent == Intent::Emergency
    {
        return closing::emergency(memory, ctx, &interp.text);
    }
    match *state {
        CallState::Greeting => greeting(memory, event, ctx),
        CallState::Intent { offer } => intent(offer, memory, event, ctx),
        CallState::Faq { offer } => faq(offer, memory, event, ctx),
        CallState::TransferAttempt { department } => {
            transfer_attempt(department, memory, event, ctx)
        }
        CallState::LeadCapture { asking } => lead_capture(asking, memory, event, ctx),
        CallState::Confirmation { correcting } => confirmation(correcting, memory, event, ctx),
        CallState::WrapUp => wrap_up(memory, event, ctx),
        CallState::Ended => ended(memory, ctx),
    }
}

/// The call just arrived: greet. Anything else before the greeting is
/// handled as if the greeting had been said.
fn greeting(memory: CallMemory, event: &Event, ctx: &TurnContext) -> Decision {
    match event {
        Event::CallStarted if !at_limit(ctx) => greet(memory, ctx),
        _ => intent(None, memory, event, ctx),
    }
}

/// Working out what the caller needs (and what a yes or no to `offer` means).
fn intent(offer: Option<Offer>, memory: CallMemory, event: &Event, ctx: &TurnContext) -> Decision {
    listen(
        CallState::Intent { offer },
        memory,
        event,
        ctx,
        |memory, said| intent::turn(offer, memory, ctx, said),
    )
}

/// A question could not be answered and `offer` was made: the caller's answer
/// is understood as in INTENT.
fn faq(offer: Offer, memory: CallMemory, event: &Event, ctx: &TurnContext) -> Decision {
    listen(
        CallState::Faq { offer },
        memory,
        event,
        ctx,
        |memory, said| intent::turn(Some(offer), memory, ctx, said),
    )
}

/// The dial is running: its result decides, even at the limit when it
/// connected. Anything else meanwhile is heard as in INTENT.
fn transfer_attempt(
    department: Option<usize>,
    memory: CallMemory,
    event: &Event,
    ctx: &TurnContext,
) -> Decision {
    match event {
        Event::TransferEnded(DialOutcome::Completed) => transfer::connected(memory, ctx),
        Event::TransferEnded(_) if !at_limit(ctx) => {
            transfer::not_connected(memory, ctx, department)
        }
        _ => intent(None, memory, event, ctx),
    }
}

/// Taking a message; `asking` is the detail the last question asked for.
fn lead_capture(asking: Asking, memory: CallMemory, event: &Event, ctx: &TurnContext) -> Decision {
    listen(
        CallState::LeadCapture { asking },
        memory,
        event,
        ctx,
        |memory, said| capture::turn(asking, memory, ctx, said),
    )
}

/// The message was read back; `correcting` is what a "no" led to.
fn confirmation(
    correcting: Option<Correction>,
    memory: CallMemory,
    event: &Event,
    ctx: &TurnContext,
) -> Decision {
    let state = CallState::Confirmation { correcting };
    listen(state, memory, event, ctx, |memory, said| {
        confirmation::turn(correcting, memory, ctx, said)
    })
}

/// The message was saved and "anything else?" asked.
fn wrap_up(memory: CallMemory, event: &Event, ctx: &TurnContext) -> Decision {
    listen(CallState::WrapUp, memory, event, ctx, |memory, said| {
        intent::turn(Some(Offer::MoreHelp), memory, ctx, said)
    })
}

/// Ended is terminal: whatever arrives gets a short goodbye.
fn ended(memory: CallMemory, ctx: &TurnContext) -> Decision {
    hang_up(memory, vec![reply::goodbye(ctx)], None)
}

/// What every state waiting for the caller does before its own `answer` to
/// what was said: wrap up at the turn or duration limit, re-prompt after a
/// silence (or close after too many), and repeat the question after a
/// repeated call start or a late dial report, staying in `state`.
fn listen(
    state: CallState,
    mut memory: CallMemory,
    event: &Event,
    ctx: &TurnContext,
    answer: impl FnOnce(CallMemory, &Interpretation) -> Decision,
) -> Decision {
    if at_limit(ctx) {
        return closing::limit_reached(memory, ctx);
    }
    match event {
        Event::Speech(said) => {
            memory.silences = 0;
            memory.urgent |= said.urgent;
            if let Some(spoken) = language::not_english(&memory, said) {
                return language::turn(memory, ctx, said, &spoken);
            }
            if let Intent::SmallTalk(talk) = said.intent {
                return small_talk::answer(talk, state, memory, ctx);
            }
            answer(memory, said)
        }
        Event::Silence => silence(state, memory, ctx),
        Event::CallStarted => reprompt(state, memory, ctx, "Hello again."),
        Event::TransferEnded(_) => reprompt(state, memory, ctx, ""),
    }
}

fn at_limit(ctx: &TurnContext) -> bool {
    let limits = ctx.profile.limits;
    ctx.turn >= limits.max_turns || ctx.elapsed_seconds >= limits.max_call_seconds
}

/// The welcome (the tenant's greeting, or one built from its name), the
/// disclosure, then the question the caller is to answer: the greeting's
/// own closing question, or "How can I help you today?". The disclosure
/// always comes before the question, so it is heard before the caller
/// starts to answer.
fn greet(memory: CallMemory, ctx: &TurnContext) -> Decision {
    let profile = ctx.profile;
    let disclosure = profile.disclosure.as_deref().unwrap_or_default().trim();
    let custom = profile
        .greeting
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty());
    let (welcome, question) = match custom {
        Some(greeting) => split_closing_question(greeting),
        None => match profile.name.trim() {
            "" => ("Thanks for calling.".to_string(), None),
            name => (format!("Thanks for calling {name}."), None),
        },
    };
    let prompt = question.unwrap_or_else(|| HOW_CAN_I_HELP.to_string());
    ask(
        CallState::Intent { offer: None },
        memory,
        ctx,
        vec![welcome, disclosure.to_string()],
        prompt,
    )
}

/// A greeting as its welcome and its closing question, if it ends with one:
/// "Thanks for calling Rapid Rooter. Is this an emergency, or can I help you
/// book a visit?" is the welcome "Thanks for calling Rapid Rooter." and that
/// question. A question carried on in another ("Is this urgent? Or can it
/// wait?") is kept whole.
fn split_closing_question(greeting: &str) -> (String, Option<String>) {
    if !greeting.ends_with('?') {
        return (greeting.to_string(), None);
    }
    let mut start = sentence_start(greeting, greeting.len());
    while start > 0 {
        let carries_on = greeting[start..]
            .split_whitespace()
            .next()
            .is_some_and(|word| matches!(word.to_lowercase().as_str(), "or" | "and"));
        if !carries_on || !greeting[..start].trim_end().ends_with('?') {
            break;
        }
        start = sentence_start(greeting, start);
    }
    let welcome = greeting[..start].trim().to_string();
    let question = greeting[start..].trim().to_string();
    (welcome, Some(question))
}

/// Where the sentence that ends at byte `end` of `text` starts: after the
/// last '.', '!' or '?' before it that is followed by a space, except the
/// dot of a title or an initial ("Dr. Lee", "J. Smith").
fn sentence_start(text: &str, end: usize) -> usize {
    let before = text[..end].trim_end_matches(['?', '!', '.']);
    let mut cut = before.len();
    while let Some(at) = before[..cut].rfind(['.', '!', '?']) {
        let followed_by_space = before[at + 1..].starts_with(char::is_whitespace);
        let word = before[..at]
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or_default();
        let abbreviation = &before[at..=at] == "."
            && (word.chars().count() == 1
                || matches!(
                    word.to_lowercase().as_str(),
                    "dr" | "mr" | "mrs" | "ms" | "st" | "jr" | "sr" | "prof"
                ));
        if followed_by_space && !abbreviation {
            return at + 1;
        }
        cut = at;
    }
    0
}

/// No speech: ask again (at most twice in a row), then close politely.
fn silence(state: CallState, mut memory: CallMemory, ctx: &TurnContext) -> Decision {
    memory.silences = memory.silences.saturating_add(1);
    if memory.silences > MAX_REPROMPTS {
        return closing::silent_caller(memory, ctx);
    }
    let lead_in = language::silence_lead_in(&memory).unwrap_or("Sorry, I didn't hear anything.");
    reprompt(state, memory, ctx, lead_in)
}
