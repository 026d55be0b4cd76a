//! Reading the message back: "yes" saves it, "no" asks what to change, and a
//! new value said outright replaces the old one.

use crate::conversation::interpretation::{Expecting, Intent, Interpretation};
use crate::conversation::speech;
use crate::conversation::state::{
    CallMemory, Decision, LeadField, Offer, Outcome, StateName, TurnContext,
};

use super::capture::merge;
use super::closing;
use super::reply::{ANYTHING_ELSE, ask, reprompt};

const WHAT_TO_CHANGE: &str = "What should I change: your name, number, email, or the reason?";

/// Reads the whole message back and asks whether it is right.
pub(super) fn read_back(
    mut memory: CallMemory,
    ctx: &TurnContext,
    lead_in: Vec<String>,
) -> Decision {
    memory.confirming = None;
    memory.correcting = None;
    memory.pending_offer = None;
    let prompt = format!(
        "{} Is that all correct?",
        speech::lead_read_back(&memory.lead)
    );
    ask(
        StateName::Confirmation,
        memory,
        ctx,
        lead_in,
        prompt,
        Expecting::YesNo,
    )
}

/// One caller utterance after the read-back (or after "what should I change?").
pub(super) fn turn(mut memory: CallMemory, ctx: &TurnContext, interp: &Interpretation) -> Decision {
    if interp.intent == Intent::Goodbye {
        return closing::farewell(memory, ctx, true);
    }
    let changed = merge(&mut memory, &interp.details);
    if let Some(field) = memory.correcting {
        let corrected = changed || correct_without_details(&mut memory, field, interp);
        if corrected {
            return updated(memory, ctx);
        }
        return missed(memory, ctx);
    }
    if changed {
        return updated(memory, ctx);
    }
    let named = field_named(&interp.text);
    if memory.expecting == Expecting::Correction {
        return match (named, &interp.intent) {
            (Some(field), _) => ask_for_correction(memory, ctx, field),
            (None, Intent::Yes | Intent::No) => read_back(memory, ctx, vec!["Okay.".to_string()]),
            (None, _) => missed(memory, ctx),
        };
    }
    match (&interp.intent, named) {
        (Intent::Yes, _) => save(memory, ctx),
        (_, Some(field)) => ask_for_correction(memory, ctx, field),
        (Intent::No, None) => {
            memory.failed_attempts = 0;
            let prompt = WHAT_TO_CHANGE.to_string();
            let state = StateName::Confirmation;
            ask(
                state,
                memory,
                ctx,
                Vec::new(),
                prompt,
                Expecting::Correction,
            )
        }
        _ => missed(memory, ctx),
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

fn missed(mut memory: CallMemory, ctx: &TurnContext) -> Decision {
    memory.failed_attempts = memory.failed_attempts.saturating_add(1);
    if memory.failed_attempts >= 3 {
        return closing::trouble_understanding(memory, ctx);
    }
    reprompt(
        StateName::Confirmation,
        memory,
        ctx,
        "Sorry, I didn't catch that.",
    )
}

fn ask_for_correction(mut memory: CallMemory, ctx: &TurnContext, field: LeadField) -> Decision {
    memory.failed_attempts = 0;
    memory.correcting = Some(field);
    let (prompt, expecting) = match field {
        LeadField::Name => ("What's the correct name?", Expecting::Name),
        LeadField::Phone => ("What's the correct number?", Expecting::Phone),
        LeadField::Email => (
            "What's the correct email address? Or say no email to leave it out.",
            Expecting::Email,
        ),
        LeadField::Reason => ("What's the reason for your call?", Expecting::Reason),
    };
    let lead_in = vec!["Sure.".to_string()];
    ask(
        StateName::Confirmation,
        memory,
        ctx,
        lead_in,
        prompt.to_string(),
        expecting,
    )
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

/// The caller confirmed: save the lead and see if there is anything else.
fn save(mut memory: CallMemory, ctx: &TurnContext) -> Decision {
    memory.failed_attempts = 0;
    memory.phone_confirmed = true;
    memory.lead_saved = true;
    memory.pending_offer = Some(Offer::MoreHelp);
    let thanks = match &memory.lead.name {
        Some(name) => format!("Thank you, {}.", speech::first_name(name)),
        None => "Thank you.".to_string(),
    };
    let lead_in = vec![
        thanks,
        "I've passed your message on, and someone will get back to you soon.".to_string(),
    ];
    let mut decision = ask(
        StateName::WrapUp,
        memory,
        ctx,
        lead_in,
        ANYTHING_ELSE.to_string(),
        Expecting::Anything,
    );
    decision.save_lead = true;
    decision.outcome = Some(Outcome::LeadCaptured);
    decision
}
