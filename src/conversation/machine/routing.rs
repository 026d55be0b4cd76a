//! Getting a caller's need to whoever handles it: a booking, a quote or a
//! problem to the matching department (or the main line) while someone can
//! take the call, otherwise a message for them; the business's urgent work
//! to its emergency line, otherwise an urgent message.

use crate::conversation::interpretation::{Details, Interpretation};
use crate::conversation::speech;
use crate::conversation::state::{CallMemory, Decision, TurnContext};

use super::{capture, transfer};

/// Words a request needs before it says why the caller is calling.
const WORDS_THAT_SAY_WHY: usize = 4;

/// The caller wants something done that staff handle.
pub(super) fn request(
    mut memory: CallMemory,
    ctx: &TurnContext,
    interp: &Interpretation,
    department: Option<usize>,
) -> Decision {
    remember_why(&mut memory, interp);
    if interp.urgent || memory.urgent {
        return urgent(memory, ctx, interp, department);
    }
    let department = transfer::valid_department(ctx, department);
    if let Some(name) = transfer::name_of(ctx, department) {
        memory.department = Some(name);
    }
    // A department that takes messages only gets one; so does everything
    // when no one can pick up.
    let messages_only = department.is_some() && !transfer::has_own_line(ctx, department);
    if !messages_only && transfer::can_transfer(&memory, ctx, department) {
        let number = transfer::number_for(ctx, department).unwrap_or_default();
        let say = match transfer::name_of(ctx, department) {
            Some(name) => format!("I can help with that. Let me put you through to {name}. One moment, please."),
            None => "I can help with that. Let me put you through to someone who can set that up. One moment, please.".to_string(),
        };
        return transfer::put_through_saying(memory, department, number, say);
    }
    let lead_in = match (&memory.department, ctx.open_now) {
        (Some(name), true) => {
            format!("I'll take a message for {name} and have someone call you back.")
        }
        (Some(name), false) => format!(
            "We're closed right now, but I'll take a message for {name} and have someone call you back."
        ),
        (None, true) => "I'll take a message and have someone call you back.".to_string(),
        (None, false) => {
            "We're closed right now, but I'll take a message and have someone call you back."
                .to_string()
        }
    };
    need_as_reason(&mut memory);
    capture::continue_capture(memory, ctx, vec![lead_in])
}

/// The caller asked for a person or a department: put through, except to a
/// department that takes messages only.
pub(super) fn person(
    mut memory: CallMemory,
    ctx: &TurnContext,
    interp: &Interpretation,
    department: Option<usize>,
) -> Decision {
    if memory.need.is_none() {
        // An urgent problem is kept whole, whatever the caller asks for.
        memory.need = if interp.urgent {
            Some(speech::caller_text(&interp.text))
        } else {
            what_about(&interp.text)
        };
    }
    let department = transfer::valid_department(ctx, department);
    if department.is_some() && !transfer::has_own_line(ctx, department) {
        let name = transfer::name_of(ctx, department).unwrap_or_default();
        memory.department = Some(name.clone());
        need_as_reason(&mut memory);
        let lead_in = vec![format!(
            "{name} can't take calls directly, but I'll take a message and have them call you back."
        )];
        return capture::continue_capture(memory, ctx, lead_in);
    }
    transfer::put_through(memory, ctx, department)
}

/// What a request for a person is about: "talk to someone in billing about
/// my retainer" -> "my retainer".
fn what_about(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    [" about ", " regarding ", " concerning ", " because "]
        .iter()
        .filter_map(|word| lower.find(word).map(|at| at + word.len()))
        .min()
        .map(|at| speech::caller_text(text[at..].trim_end_matches(['.', '?', '!'])))
        .filter(|rest| rest.split_whitespace().count() >= 2)
}

/// The business's own urgent work: its emergency line when it can ring,
/// else an urgent message.
pub(super) fn urgent(
    mut memory: CallMemory,
    ctx: &TurnContext,
    interp: &Interpretation,
    department: Option<usize>,
) -> Decision {
    memory.urgent = true;
    remember_why(&mut memory, interp);
    let line = ctx
        .profile
        .urgent_department()
        .or(transfer::valid_department(ctx, department));
    if let Some(name) = transfer::name_of(ctx, line) {
        memory.department = Some(name);
    }
    let emergency_line = ctx.profile.urgent_department();
    if emergency_line.is_some()
        && transfer::has_own_line(ctx, emergency_line)
        && transfer::can_transfer(&memory, ctx, emergency_line)
    {
        let number = transfer::number_for(ctx, emergency_line).unwrap_or_default();
        let name = transfer::name_of(ctx, emergency_line).unwrap_or_default();
        let say = format!(
            "I'm sorry, that sounds urgent. Let me get you straight through to our {name} line. One moment, please."
        );
        return transfer::put_through_saying(memory, emergency_line, number, say);
    }
    // No emergency line to ring: someone who can take the call now, else
    // an urgent message.
    let department = transfer::valid_department(ctx, department);
    let messages_only = department.is_some() && !transfer::has_own_line(ctx, department);
    if emergency_line.is_none()
        && !messages_only
        && transfer::can_transfer(&memory, ctx, department)
    {
        let number = transfer::number_for(ctx, department).unwrap_or_default();
        let who = transfer::name_of(ctx, department).unwrap_or_else(|| "someone".to_string());
        let say = format!(
            "I'm sorry, that sounds urgent. Let me get you to {who} right away. One moment, please."
        );
        return transfer::put_through_saying(memory, department, number, say);
    }
    let lead_in = vec![
        "I'm sorry, that sounds urgent.".to_string(),
        "I'll take an urgent message and make sure the team gets it right away.".to_string(),
    ];
    need_as_reason(&mut memory);
    capture::continue_capture(memory, ctx, lead_in)
}

/// Keeps what the caller said they need, for the reason of a message that
/// may follow (a transfer that is not answered, or no one to put them
/// through to). It is not the lead's yet: a call put through leaves no
/// message behind.
fn remember_why(memory: &mut CallMemory, interp: &Interpretation) {
    let details = Details {
        reason: None,
        ..interp.details.clone()
    };
    capture::merge(memory, &details);
    // An urgent problem is kept whole: "a lawyer" says less than "my son
    // was arrested tonight and sees a judge in the morning".
    let extracted = interp.details.reason.clone().filter(|_| !interp.urgent);
    let said = extracted.filter(|r| !r.trim().is_empty()).or_else(|| {
        (interp.text.split_whitespace().count() >= WORDS_THAT_SAY_WHY)
            .then(|| speech::caller_text(&interp.text))
    });
    if said.is_some() {
        memory.need = said;
    }
}

/// A message is being taken: what the caller said they need becomes its
/// reason, unless they already gave one.
pub(super) fn need_as_reason(memory: &mut CallMemory) {
    if memory.lead.reason.is_none() {
        memory.lead.reason = memory.need.take();
    }
}
