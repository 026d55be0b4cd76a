//! Taking a message: name, callback number (confirmed by ear), an optional
//! email and the reason, one missing detail at a time, keeping every detail
//! the caller volunteers along the way. No detail is looped on: a name that
//! cannot be understood twice is kept as said, an email twice is left out,
//! and a number is only taken when it is whole.

use crate::conversation::interpretation::{Details, Intent, Interpretation};
use crate::conversation::speech;
use crate::conversation::state::{Asking, CallMemory, CallState, Decision, Offer, TurnContext};

use super::reply::{ANYTHING_ELSE, ask, reprompt};
use super::{closing, confirmation, intent, transfer};

mod details;

use details::{FULL_NUMBER, callable, keep_name_as_said};
pub(super) use details::{ReasonMerge, incomplete_number, merge, merge_with};

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
    memory.failed_attempts = 0;
    merge(&mut memory, &interp.details);
    continue_capture(memory, ctx, vec!["Sure, I can take a message.".to_string()])
}

/// Asks for the next missing detail, or reads the message back when complete.
pub(super) fn continue_capture(
    mut memory: CallMemory,
    ctx: &TurnContext,
    lead_in: Vec<String>,
) -> Decision {
    let asking = |asking| CallState::LeadCapture { asking };
    if memory.lead.name.is_none() && !memory.name_skipped {
        let prompt = "May I have your name, please?".to_string();
        return ask(asking(Asking::Name), memory, ctx, lead_in, prompt);
    }
    if memory.lead.phone.is_none() {
        let caller = ctx
            .caller_number
            .map(str::trim)
            .filter(|n| callable(n) && !memory.caller_number_declined);
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
    match memory.lead.reason.as_deref() {
        None => {
            let prompt = "And what's the reason for your call?".to_string();
            return ask(asking(Asking::Reason), memory, ctx, lead_in, prompt);
        }
        Some(recipient) if speech::names_only_recipient(recipient) => {
            let prompt = format!(
                "And what would you like me to pass on {}?",
                speech::caller_text(recipient)
            );
            return ask(asking(Asking::Reason), memory, ctx, lead_in, prompt);
        }
        Some(_) => {}
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
    let reason_merge = if asking == Asking::Reason {
        ReasonMerge::Replace
    } else {
        ReasonMerge::Append
    };
    let mut progressed = merge_with(&mut memory, &interp.details, reason_merge);
    let mut lead_in = Vec::new();

    let number_heard = interp.details.phone.as_deref();
    if let Some(incomplete) = number_heard.and_then(incomplete_number)
        && matches!(asking, Asking::Phone | Asking::PhoneConfirmation)
    {
        return number_not_whole(memory, ctx, incomplete);
    }

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
        Asking::Phone if interp.intent == Intent::Yes && number_heard.is_none() => {
            // "This number", "the one I'm calling from".
            match ctx.caller_number.map(str::trim).filter(|n| callable(n)) {
                Some(caller) => {
                    memory.lead.phone = Some(caller.to_string());
                    memory.phone_confirmed = true;
                    lead_in.push("Great, I'll use the number you're calling from.".to_string());
                    progressed = true;
                }
                None => {
                    let state = CallState::LeadCapture { asking };
                    let sorry = "I'm sorry, I can't see the number you're calling from.";
                    return reprompt(state, memory, ctx, sorry);
                }
            }
        }
        Asking::Name if !progressed => match interp.intent {
            // "I'd rather not say", "why do you need that?": go on without.
            Intent::LeaveMessage => {
                memory.name_skipped = true;
                lead_in.push("That's fine, I'll pass your message on without a name.".to_string());
                progressed = true;
            }
            Intent::No if memory.lead.is_empty() => return declined(memory, ctx),
            _ if memory.failed_attempts >= 1
                && intent::side_answer(ctx, interp).is_none()
                && !matches!(interp.intent, Intent::TalkToPerson { .. }) =>
            {
                lead_in.push(keep_name_as_said(&mut memory, interp));
                progressed = true;
            }
            _ => {}
        },
        Asking::Email if interp.details.email.is_none() && memory.failed_attempts >= 1 => {
            // The email is optional: not caught twice, it is left out.
            if interp.intent != Intent::Yes {
                lead_in.push("No problem, I'll leave the email out.".to_string());
                progressed = true;
            }
        }
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
        Asking::Reason
            if memory
                .lead
                .reason
                .as_deref()
                .is_none_or(speech::names_only_recipient) =>
        {
            let says_why = matches!(
                interp.intent,
                Intent::Question
                    | Intent::LeaveMessage
                    | Intent::Unclear
                    | Intent::TalkToPerson { .. }
            );
            if says_why && !interp.text.trim().is_empty() {
                let said = Details {
                    reason: Some(interp.text.clone()),
                    ..Details::default()
                };
                progressed |= merge_with(&mut memory, &said, ReasonMerge::Replace);
            }
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

/// A number heard that is not whole: say what was heard and ask for all of it.
fn number_not_whole(mut memory: CallMemory, ctx: &TurnContext, heard: String) -> Decision {
    memory.failed_attempts = memory.failed_attempts.saturating_add(1);
    if memory.failed_attempts >= 3 {
        return closing::trouble_understanding(memory, ctx);
    }
    let state = CallState::LeadCapture {
        asking: Asking::Phone,
    };
    ask(state, memory, ctx, vec![heard], FULL_NUMBER.to_string())
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
    let lead_in = match (asking, &interp.intent) {
        (_, Intent::Yes) => "Great.",
        // "Why do you need that?", "how long until somebody calls me back?"
        (Asking::Name, Intent::Question) => {
            let prompt = "Someone will get back to you as soon as they can, and it helps them \
                          to know who they're calling. What name should I give them?";
            return ask(state, memory, ctx, Vec::new(), prompt.to_string());
        }
        (Asking::Name, _) => {
            let prompt =
                "Sorry, I didn't catch your name. Could you say it again, or spell it for me?";
            return ask(state, memory, ctx, Vec::new(), prompt.to_string());
        }
        _ => super::reply::not_understood(memory.failed_attempts),
    };
    reprompt(state, memory, ctx, lead_in)
}
