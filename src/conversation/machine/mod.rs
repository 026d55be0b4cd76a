//! The call state machine: a pure function from (state, memory, event,
//! context) to the next decision. No I/O, no clock, no randomness: the web
//! layer passes the time-dependent facts (open now, turn, elapsed seconds) in
//! `TurnContext`, persists the returned `Decision` and renders its reply.

mod capture;
mod closing;
mod confirmation;
mod intent;
mod reply;
mod transfer;

#[cfg(test)]
mod capture_tests;
#[cfg(test)]
mod confirmation_tests;
#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use super::interpretation::{Expecting, Intent};
use super::state::{CallMemory, Decision, DialOutcome, Event, StateName, TurnContext};
use reply::{HOW_CAN_I_HELP, ask, hang_up, reprompt};

/// Silent turns re-prompted before the call is closed on the next one.
const MAX_REPROMPTS: u8 = 2;

/// Decides what happens next in a call.
///
/// `memory` is the memory persisted with `state`; the returned decision holds
/// the memory to persist with the new state. Any partial lead stays in the
/// memory whatever happens, so a call that ends early still has it.
pub fn step(state: StateName, memory: &CallMemory, event: &Event, ctx: &TurnContext) -> Decision {
    let memory = memory.clone();
    if state == StateName::Ended {
        return after_the_end(memory, event, ctx);
    }
    if is_emergency(event) {
        return closing::emergency(memory, ctx);
    }
    let connected = matches!(event, Event::TransferEnded(DialOutcome::Completed));
    if connected && state == StateName::TransferAttempt {
        return transfer::dial_ended(memory, ctx, DialOutcome::Completed);
    }
    if at_limit(ctx) {
        return closing::limit_reached(memory, ctx);
    }
    match event {
        Event::CallStarted if state == StateName::Greeting => greet(memory, ctx),
        Event::CallStarted => reprompt(listening_state(state), memory, ctx, "Hello again."),
        Event::Silence => silence(state, memory, ctx),
        Event::TransferEnded(outcome) if state == StateName::TransferAttempt => {
            transfer::dial_ended(memory, ctx, *outcome)
        }
        // A late or repeated dial report: carry on where the call is.
        Event::TransferEnded(_) => reprompt(state, memory, ctx, ""),
        Event::Speech(interp) => {
            let mut memory = memory;
            memory.silences = 0;
            match state {
                StateName::LeadCapture => capture::turn(memory, ctx, interp),
                StateName::Confirmation => confirmation::turn(memory, ctx, interp),
                _ => intent::turn(memory, ctx, interp),
            }
        }
    }
}

fn is_emergency(event: &Event) -> bool {
    matches!(event, Event::Speech(interp) if interp.intent == Intent::Emergency)
}

fn at_limit(ctx: &TurnContext) -> bool {
    let limits = ctx.profile.limits;
    ctx.turn >= limits.max_turns || ctx.elapsed_seconds >= limits.max_call_seconds
}

/// Ended is terminal: whatever arrives gets a short goodbye (and the
/// emergency instruction, which is never wrong to give).
fn after_the_end(memory: CallMemory, event: &Event, ctx: &TurnContext) -> Decision {
    if is_emergency(event) {
        return closing::emergency(memory, ctx);
    }
    hang_up(memory, vec![reply::goodbye(ctx)], None)
}

/// The tenant's greeting (or one built from its name), then the disclosure.
fn greet(memory: CallMemory, ctx: &TurnContext) -> Decision {
    let profile = ctx.profile;
    let disclosure = profile.disclosure.as_deref().unwrap_or_default().trim();
    let custom = profile
        .greeting
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty());
    let (lead_in, prompt) = match custom {
        Some(greeting) => (Vec::new(), format!("{greeting} {disclosure}")),
        None => {
            let welcome = match profile.name.trim() {
                "" => "Thanks for calling.".to_string(),
                name => format!("Thanks for calling {name}."),
            };
            (
                vec![welcome, disclosure.to_string()],
                HOW_CAN_I_HELP.to_string(),
            )
        }
    };
    let mut decision = ask(
        StateName::Intent,
        memory,
        ctx,
        lead_in,
        prompt,
        Expecting::Anything,
    );
    decision.memory.last_prompt = HOW_CAN_I_HELP.to_string();
    decision
}

/// No speech: ask again (at most twice in a row), then close politely.
fn silence(state: StateName, mut memory: CallMemory, ctx: &TurnContext) -> Decision {
    memory.silences = memory.silences.saturating_add(1);
    if memory.silences > MAX_REPROMPTS {
        return closing::silent_caller(memory, ctx);
    }
    let lead_in = "Sorry, I didn't hear anything.";
    reprompt(listening_state(state), memory, ctx, lead_in)
}

/// The state to listen in when a re-prompt arrives mid-transfer (a stray
/// event while the dial is still running).
fn listening_state(state: StateName) -> StateName {
    match state {
        StateName::Greeting | StateName::TransferAttempt => StateName::Intent,
        other => other,
    }
}
