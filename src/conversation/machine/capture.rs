//! Taking a message: name, callback number (confirmed by ear), an optional
//! email and the reason, one missing detail at a time, keeping every detail
//! the caller volunteers along the way.

use crate::conversation::interpretation::{Details, Intent, Interpretation};
use crate::conversation::speech;
use crate::conversation::state::{Asking, CallMemory, CallState, Decision, Offer, TurnContext};

use super::reply::{ANYTHING_ELSE, ask, reprompt};
use super::{closing, confirmation, intent, transfer};

/// Digits a callback number needs before it is worth reading back.
const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 7..=15;

fn plausible_phone(number: &str) -> bool {
    PHONE_DIGITS.contains(&number.chars().filter(char::is_ascii_digit).count())
}

/// Merges the details of one utterance into the lead; later values win.
/// Returns true when anything new was learnt.
pub(super) fn merge(memory: &mut CallMemory, details: &Details) -> bool {
    let mut learnt = false;
    let lead = &mut memory.lead;
    if let Some(name) = non_empty(&details.name) {
        learnt |= lead.name.as_deref() != Some(name.as_str());
        lead.name = Some(name);
    }
    let new_phone = non_empty(&details.phone)
        .filter(|p| plausible_phone(p) && lead.phone.as_deref() != Some(p.as_str()));
    if let Some(phone) = new_phone {
        learnt = true;
        lead.phone = Some(phone);
        memory.phone_confirmed = false;
    }
    if let Some(email) = non_empty(&details.email) {
        learnt |= lead.email.as_deref() != Some(email.as_str());
        lead.email = Some(email);
        memory.email_asked = true;
    }
    if let Some(reason) = non_empty(&details.reason) {
        learnt |= lead.reason.as_deref() != Some(reason.as_str());
        lead.reason = Some(reason);
    }
    learnt
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(speech::caller_text)
        .filter(|v| !v.is_empty())
}

/// True when the lead holds anything worth passing on.
pub(super) fn has_partial_lead(memory: &CallMemory) -> bool {
    !memory.lead_saved && !memory.lead.is_empty()
}

/// Starts taking a message after a "leave a message" request.
pub(super) fn start(
    mut memory: CallMemory,
    ctx: &TurnContext,
    interp: &Interpretation,
) -> Decision {
    if memory.lead_saved {
        // A second message in the same call: keep who is calling, ask why.
        memory.lead_saved = false;
        memory.lead.reason = None;
    }
    merge(&mut memory, &interp.details);
    if memory.lead.reason.is_none() && interp.intent == Intent::LeaveMessage {
        memory.lead.reason = reason_from_request(&interp.text);
    }
    continue_capture(memory, ctx, vec!["Sure, I can take a message.".to_string()])
}

/// A "leave a message" request long enough to say why the caller is calling
/// ("I'd like someone to come and look at a leak in my kitchen ceiling").
fn reason_from_request(text: &str) -> Option<String> {
    const WORDS_THAT_SAY_WHY: usize = 8;
    (text.split_whitespace().count() >= WORDS_THAT_SAY_WHY).then(|| speech::caller_text(text))
}

/// Asks for the next missing detail, or reads the message back when complete.
pub(super) fn continue_capture(
    mut memory: CallMemory,
    ctx: &TurnContext,
    lead_in: Vec<String>,
) -> Decision {
    let asking = |asking| CallState::LeadCapture { asking };
    if memory.lead.name.is_none() {
        let prompt = "May I have your name, please?".to_string();
        return ask(asking(Asking::Name), memory, ctx, lead_in, prompt);
    }
    if memory.lead.phone.is_none() {
        let caller = ctx
            .caller_number
            .map(str::trim)
            .filter(|n| plausible_phone(n) && !memory.caller_number_declined);
        let Some(caller) = caller else {
            let prompt = "What's the best number to reach you?".to_string();
            return ask(asking(Asking::Phone), memory, ctx, lead_in, prompt);
        };
        memory.lead.phone = Some(caller.to_string());
        memory.phone_confirmed = false;
        let prompt = format!(
            "Is {} the best number to reach you?",
            speech::phone_number(caller)
        );
        let state = asking(Asking::PhoneConfirmation);
        return ask(state, memory, ctx, lead_in, prompt);
    }
    if !memory.phone_confirmed {
        let phone = memory.lead.phone.clone().unwrap_or_default();
        let prompt = format!("I have {}. Is that right?", speech::phone_number(&phone));
        let state = asking(Asking::PhoneConfirmation);
        return ask(state, memory, ctx, lead_in, prompt);
    }
    if memory.lead.email.is_none() && !memory.email_asked {
        memory.email_asked = true;
        let prompt = "Would you like to leave an email address too? You can say no.".to_string();
        return ask(asking(Asking::Email), memory, ctx, lead_in, prompt);
    }
    if memory.lead.reason.is_none() {
        let prompt = "And what's the reason for your call?".to_string();
        return ask(asking(Asking::Reason), memory, ctx, lead_in, prompt);
    }
    confirmation::read_back(memory, ctx, lead_in)
}

/// One caller utterance while a message is being taken, in answer to `asking`.
pub(super) fn turn(
    asking: Asking,
    mut memory: CallMemory,
    ctx: &TurnContext,
    interp: &Interpretation,
) -> Decision {
    if interp.intent == Intent::Goodbye {
        return closing::farewell(memory, ctx, true);
    }
    let wants_person = match interp.intent {
        Intent::TalkToPerson { department } => Some(transfer::valid_department(ctx, department)),
        _ => None,
    };
    if let Some(department) = wants_person.filter(|&d| transfer::can_transfer(&memory, ctx, d)) {
        merge(&mut memory, &interp.details);
        return transfer::put_through(memory, ctx, department);
    }
    let had_name = memory.lead.name.is_some();
    let mut progressed = merge(&mut memory, &interp.details);
    let mut lead_in = Vec::new();

    match asking {
        Asking::PhoneConfirmation if interp.details.phone.is_none() => match interp.intent {
            Intent::Yes => {
                memory.phone_confirmed = true;
                lead_in.push("Great.".to_string());
                progressed = true;
            }
            Intent::No => {
                memory.lead.phone = None;
                memory.phone_confirmed = false;
                memory.caller_number_declined = true;
                lead_in.push("Sorry about that.".to_string());
                progressed = true;
            }
            _ => {}
        },
        Asking::Email if interp.details.email.is_none() => match interp.intent {
            Intent::Yes => {
                memory.failed_attempts = 0;
                let prompt = "What's your email address?".to_string();
                let lead_in = vec!["Sure, go ahead.".to_string()];
                return ask(
                    CallState::LeadCapture { asking },
                    memory,
                    ctx,
                    lead_in,
                    prompt,
                );
            }
            Intent::No => {
                lead_in.push("No problem.".to_string());
                progressed = true;
            }
            _ => {}
        },
        Asking::Reason if memory.lead.reason.is_none() => {
            let says_why = matches!(
                interp.intent,
                Intent::Question
                    | Intent::LeaveMessage
                    | Intent::Unclear
                    | Intent::TalkToPerson { .. }
            );
            if says_why && !interp.text.trim().is_empty() {
                memory.lead.reason = Some(speech::caller_text(&interp.text));
                progressed = true;
            }
        }
        Asking::Name if interp.intent == Intent::No && memory.lead.is_empty() => {
            return declined(memory, ctx);
        }
        Asking::Name
        | Asking::Phone
        | Asking::PhoneConfirmation
        | Asking::Email
        | Asking::Reason => {}
    }

    if !progressed {
        return not_progressed(asking, memory, ctx, interp);
    }
    memory.failed_attempts = 0;
    if lead_in.is_empty() {
        lead_in.push(match (&memory.lead.name, had_name) {
            (Some(name), false) => format!("Thanks, {}.", speech::first_name(name)),
            _ => "Got it.".to_string(),
        });
    }
    continue_capture(memory, ctx, lead_in)
}

/// The caller does not want to leave a message after all.
fn declined(mut memory: CallMemory, ctx: &TurnContext) -> Decision {
    memory.failed_attempts = 0;
    let state = CallState::Intent {
        offer: Some(Offer::MoreHelp),
    };
    let lead_in = vec!["No problem.".to_string()];
    ask(state, memory, ctx, lead_in, ANYTHING_ELSE.to_string())
}

/// Nothing for the message in this utterance: answer a side question, or
/// say so and ask again (three misses in a row close the call politely).
fn not_progressed(
    asking: Asking,
    mut memory: CallMemory,
    ctx: &TurnContext,
    interp: &Interpretation,
) -> Decision {
    let state = CallState::LeadCapture { asking };
    if let Some(answer) = intent::side_answer(ctx, interp) {
        intent::remember_topic(&mut memory, interp);
        let lead_in = format!("{answer} Now, back to your message.");
        return reprompt(state, memory, ctx, &lead_in);
    }
    if let Intent::TalkToPerson { .. } = interp.intent {
        let lead_in =
            "No one can take the call right now, but I'll make sure your message gets passed on.";
        return reprompt(state, memory, ctx, lead_in);
    }
    memory.failed_attempts = memory.failed_attempts.saturating_add(1);
    if memory.failed_attempts >= 3 {
        return closing::trouble_understanding(memory, ctx);
    }
    let lead_in = if interp.intent == Intent::Yes {
        "Great."
    } else {
        "Sorry, I didn't catch that."
    };
    reprompt(state, memory, ctx, lead_in)
}
