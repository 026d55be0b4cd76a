//! Reading the message back: "yes" saves it (with anything the caller adds
//! to it), "no" asks what to change, and a new value said outright replaces
//! the old one.

use crate::conversation::interpretation::{Details, Intent, Interpretation};
use crate::conversation::speech;
use crate::conversation::state::{
    CallMemory, CallState, Correction, Decision, LeadField, Outcome, Reply, TurnContext,
};

use super::capture::{ReasonMerge, incomplete_number, merge_with};
use super::reply::{ANYTHING_ELSE, ask, reprompt};
use super::{closing, transfer};

const WHAT_TO_CHANGE: &str = "What should I change: your name, number, email, or the reason?";

/// Reads the whole message back and asks whether it is right.
pub(super) fn read_back(memory: CallMemory, ctx: &TurnContext, lead_in: Vec<String>) -> Decision {
    let prompt = format!(
        "{} Is that all correct?",
        speech::lead_read_back(&memory.lead)
    );
    let state = CallState::Confirmation { correcting: None };
    ask(state, memory, ctx, lead_in, prompt)
}

/// One caller utterance after the read-back (`correcting` is `None`), after
/// "what should I change?", or after "what's the correct <field>?".
pub(super) fn turn(
    correcting: Option<Correction>,
    mut memory: CallMemory,
    ctx: &TurnContext,
    interp: &Interpretation,
) -> Decision {
    // "Yes, and also tell her it's urgent", "oh and I'm free after 3": added
    // to the reason read back.
    let only_a_reason = Details {
        reason: None,
        ..interp.details.clone()
    }
    .is_empty();
    let adds = correcting.is_none()
        && only_a_reason
        && interp.details.reason.is_some()
        && matches!(
            interp.intent,
            Intent::Yes
                | Intent::Goodbye
                | Intent::LeaveMessage
                | Intent::Request { .. }
                | Intent::Question
                | Intent::Unclear
        );
    if adds {
        merge_with(&mut memory, &interp.details, ReasonMerge::Append);
    }
    // "Okay great, thanks, bye" after the read-back confirms it on the way out.
    let confirms_leaving = correcting.is_none()
        && (interp.intent == Intent::Goodbye || (interp.intent == Intent::Yes && interp.goodbye));
    if confirms_leaving {
        let mut saved = save(memory, ctx);
        let Decision { memory, .. } = saved.clone();
        let farewell = closing::farewell(memory, ctx, false);
        saved.state = farewell.state;
        saved.reply = farewell.reply;
        saved.memory = farewell.memory;
        saved.hints = farewell.hints;
        return saved;
    }
    if interp.intent == Intent::Goodbye {
        return closing::farewell(memory, ctx, true);
    }
    // "Can I just talk to a person?" (or 0 pressed) at the read-back.
    if let Intent::TalkToPerson { department } = interp.intent {
        let department = transfer::valid_department(ctx, department);
        if transfer::can_transfer(&memory, ctx, department) {
            return transfer::put_through(memory, ctx, department);
        }
        let lead_in =
            "No one can take the call right now, but I'll make sure your message gets passed on.";
        return reprompt(CallState::Confirmation { correcting }, memory, ctx, lead_in);
    }
    let confirmed = correcting.is_none() && interp.intent == Intent::Yes;
    if adds && confirmed {
        return save_adding(memory, ctx);
    }
    if adds {
        // Added without a yes: read back again with the addition.
        let lead_in = vec!["Got it, I've added that.".to_string()];
        return read_back(memory, ctx, lead_in);
    }
    let reason = if confirmed {
        ReasonMerge::Append
    } else {
        ReasonMerge::Replace
    };
    let changed = merge_with(&mut memory, &interp.details, reason);
    let number_heard = interp.details.phone.as_deref();
    if let Some(heard) = number_heard.and_then(incomplete_number) {
        return number_not_whole(memory, ctx, heard);
    }
    match correcting {
        Some(Correction::Detail(field)) => {
            if changed || correct_without_details(&mut memory, field, interp) {
                updated(memory, ctx)
            } else {
                missed(correcting, memory, ctx)
            }
        }
        // A new value said outright replaces the old one, whatever was asked.
        Some(Correction::WhichDetail) | None if changed => updated(memory, ctx),
        Some(Correction::WhichDetail) => match (field_named(&interp.text), &interp.intent) {
            (Some(field), _) => ask_for_correction(memory, ctx, field),
            (None, Intent::Yes | Intent::No) => read_back(memory, ctx, vec!["Okay.".to_string()]),
            (None, _) => missed(correcting, memory, ctx),
        },
        None => match (&interp.intent, field_named(&interp.text)) {
            (Intent::Yes, _) => save(memory, ctx),
            (_, Some(field)) => ask_for_correction(memory, ctx, field),
            (Intent::No, None) => {
                memory.failed_attempts = 0;
                let state = CallState::Confirmation {
                    correcting: Some(Correction::WhichDetail),
                };
                ask(state, memory, ctx, Vec::new(), WHAT_TO_CHANGE.to_string())
            }
            _ => missed(correcting, memory, ctx),
        },
    }
}

/// A corrected value the brain did not extract as a detail: a reason said in
/// the caller's own words, or "no email".
fn correct_without_details(
    memory: &mut CallMemory,
    field: LeadField,
    interp: &Interpretation,
) -> bool {
    let text = speech::caller_text(&interp.text);
    match field {
        LeadField::Reason if !text.is_empty() && interp.intent != Intent::No => {
            memory.lead.reason = Some(text);
            true
        }
        LeadField::Email if interp.intent == Intent::No => {
            memory.lead.email = None;
            true
        }
        _ => false,
    }
}

fn updated(mut memory: CallMemory, ctx: &TurnContext) -> Decision {
    memory.failed_attempts = 0;
    // The read-back that follows says the number again, so it is checked there.
    memory.phone_confirmed = true;
    read_back(memory, ctx, vec!["Thanks, I've updated that.".to_string()])
}

/// Nothing usable: ask the same question again (three misses in a row close
/// the call politely, keeping the message).
fn missed(correcting: Option<Correction>, mut memory: CallMemory, ctx: &TurnContext) -> Decision {
    memory.failed_attempts = memory.failed_attempts.saturating_add(1);
    if memory.failed_attempts >= 3 {
        return closing::trouble_understanding(memory, ctx);
    }
    let state = CallState::Confirmation { correcting };
    let lead_in = super::reply::not_understood(memory.failed_attempts);
    reprompt(state, memory, ctx, lead_in)
}

fn ask_for_correction(mut memory: CallMemory, ctx: &TurnContext, field: LeadField) -> Decision {
    memory.failed_attempts = 0;
    let prompt = match field {
        LeadField::Name => "What's the correct name?",
        LeadField::Phone => "What's the correct number?",
        LeadField::Email => "What's the correct email address? Or say no email to leave it out.",
        LeadField::Reason => "What's the reason for your call?",
    };
    let state = CallState::Confirmation {
        correcting: Some(Correction::Detail(field)),
    };
    let lead_in = vec!["Sure.".to_string()];
    ask(state, memory, ctx, lead_in, prompt.to_string())
}

/// The lead field a correction names ("the number is wrong", "my email").
pub(super) fn field_named(text: &str) -> Option<LeadField> {
    let text = text.to_lowercase();
    let mentions = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if mentions(&["email", "e-mail", "e mail"]) {
        Some(LeadField::Email)
    } else if mentions(&["number", "phone"]) {
        Some(LeadField::Phone)
    } else if mentions(&["name"]) {
        Some(LeadField::Name)
    } else if mentions(&["reason", "calling about", "message"]) {
        Some(LeadField::Reason)
    } else {
        None
    }
}

/// A number that is not whole in a correction: say what was heard and ask
/// for all of it.
fn number_not_whole(mut memory: CallMemory, ctx: &TurnContext, heard: String) -> Decision {
    memory.failed_attempts = memory.failed_attempts.saturating_add(1);
    if memory.failed_attempts >= 3 {
        return closing::trouble_understanding(memory, ctx);
    }
    let state = CallState::Confirmation {
        correcting: Some(Correction::Detail(LeadField::Phone)),
    };
    let prompt = "Could you give me the full number, with the area code?".to_string();
    ask(state, memory, ctx, vec![heard], prompt)
}

/// Saves the lead after the caller confirmed it and added to the reason.
fn save_adding(memory: CallMemory, ctx: &TurnContext) -> Decision {
    let mut decision = save(memory, ctx);
    if let Reply::Ask { say } = &mut decision.reply {
        say.insert(0, "Got it, I've added that to your message.".to_string());
    }
    decision
}

/// The caller confirmed: save the lead and see if there is anything else.
fn save(mut memory: CallMemory, ctx: &TurnContext) -> Decision {
    memory.failed_attempts = 0;
    memory.phone_confirmed = true;
    memory.lead_saved = true;
    let thanks = match &memory.lead.name {
        Some(name) => format!("Thank you, {}.", speech::first_name(name)),
        None => "Thank you.".to_string(),
    };
    let lead_in = vec![
        thanks,
        "I've passed your message on, and someone will get back to you soon.".to_string(),
    ];
    let mut decision = ask(
        CallState::WrapUp,
        memory,
        ctx,
        lead_in,
        ANYTHING_ELSE.to_string(),
    );
    decision.save_lead = true;
    decision.outcome = Some(Outcome::LeadCaptured);
    decision
}
