//! Putting the caller through to a person, and what happens when no one can
//! take the call (closed, no number, or the dial did not connect).

use crate::conversation::interpretation::Expecting;
use crate::conversation::state::{
    CallMemory, CallState, Decision, Offer, Outcome, Reply, TurnContext,
};

use super::capture;
use super::reply::{ANYTHING_ELSE, ask, goodbye, hang_up};

/// The department index if it names a configured department.
pub(super) fn valid_department(ctx: &TurnContext, department: Option<usize>) -> Option<usize> {
    department.filter(|&i| i < ctx.profile.departments.len())
}

fn department_name<'a>(ctx: &'a TurnContext, department: Option<usize>) -> Option<&'a str> {
    valid_department(ctx, department)
        .map(|i| ctx.profile.departments[i].name.trim())
        .filter(|name| !name.is_empty())
}

/// The configured number a transfer would ring: the department's own line,
/// else the main transfer number.
pub(super) fn number_for(ctx: &TurnContext, department: Option<usize>) -> Option<String> {
    let department_phone =
        valid_department(ctx, department).and_then(|i| ctx.profile.departments[i].phone.as_deref());
    department_phone
        .into_iter()
        .chain(ctx.profile.transfer_number.as_deref())
        .map(str::trim)
        .find(|n| !n.is_empty())
        .map(str::to_string)
}

/// A transfer is possible during business hours (or, for the business's
/// emergency line with its own number, at any time), to a configured
/// number, and not again after one failed in this call.
pub(super) fn can_transfer(
    memory: &CallMemory,
    ctx: &TurnContext,
    department: Option<usize>,
) -> bool {
    (ctx.open_now || on_call(ctx, department))
        && !memory.transfer_failed
        && number_for(ctx, department).is_some()
}

/// The department is the business's emergency line and has its own phone.
fn on_call(ctx: &TurnContext, department: Option<usize>) -> bool {
    valid_department(ctx, department)
        .map(|i| &ctx.profile.departments[i])
        .is_some_and(|d| {
            d.handles_urgent() && d.phone.as_deref().is_some_and(|p| !p.trim().is_empty())
        })
}

/// The department has a line of its own (not only messages).
pub(super) fn has_own_line(ctx: &TurnContext, department: Option<usize>) -> bool {
    valid_department(ctx, department)
        .and_then(|i| ctx.profile.departments[i].phone.as_deref())
        .is_some_and(|p| !p.trim().is_empty())
}

pub(super) fn name_of(ctx: &TurnContext, department: Option<usize>) -> Option<String> {
    department_name(ctx, department).map(str::to_string)
}

/// "Would you like me to connect you with billing?"
pub(super) fn offer_prompt(ctx: &TurnContext, department: Option<usize>) -> String {
    let who = department_name(ctx, department).unwrap_or("someone");
    format!("Would you like me to connect you with {who}?")
}

/// Rings the department (or the main line) when possible; otherwise explains
/// why not and offers to take a message.
pub(super) fn put_through(
    mut memory: CallMemory,
    ctx: &TurnContext,
    department: Option<usize>,
) -> Decision {
    let department = valid_department(ctx, department);
    memory.failed_attempts = 0;
    if let Some(name) = department_name(ctx, department) {
        memory.department = Some(name.to_string());
    }
    let number = number_for(ctx, department).filter(|_| can_transfer(&memory, ctx, department));
    let Some(number) = number else {
        return cannot_put_through(memory, ctx, department);
    };
    let who = department_name(ctx, department).unwrap_or("someone");
    put_through_saying(
        memory,
        department,
        number,
        format!("Let me connect you to {who}. One moment, please."),
    )
}

/// Rings `number` for `department` after saying `say`.
pub(super) fn put_through_saying(
    mut memory: CallMemory,
    department: Option<usize>,
    number: String,
    say: String,
) -> Decision {
    // What to repeat should the caller be heard again before the dial ends.
    memory.last_prompt = ANYTHING_ELSE.to_string();
    Decision {
        state: CallState::TransferAttempt { department },
        memory,
        reply: Reply::Transfer {
            say: vec![say],
            number,
        },
        outcome: None,
        save_lead: false,
        hints: Vec::new(),
        expecting: Expecting::Anything,
    }
}

fn cannot_put_through(
    memory: CallMemory,
    ctx: &TurnContext,
    department: Option<usize>,
) -> Decision {
    let why = if memory.transfer_failed {
        "I wasn't able to reach anyone a moment ago."
    } else if !ctx.open_now {
        "We're closed right now."
    } else {
        "No one is available to take calls right now."
    };
    message_instead(memory, ctx, why, department)
}

/// The `<Dial>` connected: the caller is talking to a person, the call is done.
pub(super) fn connected(memory: CallMemory, ctx: &TurnContext) -> Decision {
    hang_up(memory, vec![goodbye(ctx)], Some(Outcome::Transferred))
}

/// The `<Dial>` to `department` ended without a conversation (busy, no
/// answer, failed, canceled): take a message, and offer no transfer again.
pub(super) fn not_connected(
    mut memory: CallMemory,
    ctx: &TurnContext,
    department: Option<usize>,
) -> Decision {
    memory.transfer_failed = true;
    if let Some(phrases) = super::language::still_to_take_in(&memory) {
        return super::language::message_instead(memory, ctx, phrases);
    }
    let why = "Sorry, no one was able to pick up.";
    message_instead(memory, ctx, why, department)
}

/// No one can take the call: take a message (or, when one was already taken,
/// say it has been passed on).
fn message_instead(
    mut memory: CallMemory,
    ctx: &TurnContext,
    why: &str,
    department: Option<usize>,
) -> Decision {
    if memory.lead_saved {
        let lead_in = vec![
            why.to_string(),
            "Your message has already been passed on, and someone will get back to you.".into(),
        ];
        let state = CallState::Intent {
            offer: Some(Offer::MoreHelp),
        };
        return ask(state, memory, ctx, lead_in, ANYTHING_ELSE.to_string());
    }
    super::routing::need_as_reason(&mut memory);
    let offer = match department_name(ctx, department) {
        Some(name) => {
            format!("But I can take a message for {name} and have someone call you back.")
        }
        None => "But I can take a message and have someone call you back.".to_string(),
    };
    capture::continue_capture(memory, ctx, vec![why.to_string(), offer])
}
