//! Working out what the caller needs (the INTENT and FAQ states): answering
//! from the profile and knowledge base, putting through, taking a message,
//! and following up on the yes/no offers made along the way.

use crate::conversation::hours;
use crate::conversation::interpretation::{Details, GroundedAnswer, Intent, Interpretation};
use crate::conversation::speech;
use crate::conversation::state::{CallMemory, CallState, Decision, Offer, Outcome, TurnContext};

use super::reply::{ANYTHING_ELSE, ask, reprompt};
use super::{capture, closing, routing, small_talk, transfer};

/// One caller utterance outside lead capture and confirmation; `offer` is
/// the yes/no question the caller may be answering.
pub(super) fn turn(
    offer: Option<Offer>,
    mut memory: CallMemory,
    ctx: &TurnContext,
    interp: &Interpretation,
) -> Decision {
    // A request's reason waits: put through, it leaves no message behind
    // (routing keeps it for a message should no one pick up).
    let routed = matches!(
        interp.intent,
        Intent::Request { .. } | Intent::TalkToPerson { .. }
    );
    let details = Details {
        reason: interp.details.reason.clone().filter(|_| !routed),
        ..interp.details.clone()
    };
    capture::merge(&mut memory, &details);
    match (&interp.intent, offer) {
        // The offer after an unanswered question names no department.
        (Intent::Yes, Some(Offer::Transfer)) => transfer::put_through(memory, ctx, None),
        (Intent::Yes, Some(Offer::Message)) => {
            memory.failed_attempts = 0;
            let lead_in = vec!["Sure, I can take a message.".to_string()];
            capture::continue_capture(memory, ctx, lead_in)
        }
        (Intent::Yes, Some(Offer::MoreHelp)) => {
            memory.failed_attempts = 0;
            let prompt = "What can I help you with?".to_string();
            let lead_in = vec!["Sure.".to_string()];
            // Still open to "no, that's it" after an "okay great".
            ask(
                CallState::Intent {
                    offer: Some(Offer::MoreHelp),
                },
                memory,
                ctx,
                lead_in,
                prompt,
            )
        }
        (Intent::No, Some(Offer::Transfer | Offer::Message)) => {
            let lead_in = vec!["No problem.".to_string()];
            anything_else(memory, ctx, lead_in)
        }
        (Intent::No, Some(Offer::MoreHelp)) | (Intent::Goodbye, _) => {
            closing::farewell(memory, ctx, false)
        }
        (Intent::Emergency, _) => closing::emergency(memory, ctx, &interp.text),
        (Intent::TalkToPerson { department }, _) => {
            routing::person(memory, ctx, interp, *department)
        }
        (Intent::LeaveMessage, _) => {
            if let Some(name) = transfer::name_of(ctx, interp.department) {
                memory.department = Some(name);
            }
            if interp.urgent {
                // An urgent message keeps the whole story, not its last clause.
                let mut whole = interp.clone();
                whole.details.reason = Some(speech::caller_text(&interp.text));
                return capture::start(memory, ctx, &whole);
            }
            capture::start(memory, ctx, interp)
        }
        (Intent::Request { department }, _) => routing::request(memory, ctx, interp, *department),
        (Intent::SmallTalk(talk), offer) => {
            small_talk::answer(*talk, CallState::Intent { offer }, memory, ctx)
        }
        (Intent::Question | Intent::Hours(_) | Intent::Location | Intent::Contact, _) => {
            match side_answer(ctx, interp) {
                Some(answer) => {
                    remember_topic(&mut memory, interp);
                    Decision {
                        outcome: Some(Outcome::Answered),
                        ..anything_else(memory, ctx, vec![answer])
                    }
                }
                None => unanswerable(memory, ctx),
            }
        }
        (Intent::Yes | Intent::No | Intent::Unclear, offer) => unclear(offer, memory, ctx),
    }
}

/// What the receptionist can answer from the profile or the knowledge base
/// (never invented): hours, address, contact details, a grounded answer.
pub(super) fn side_answer(ctx: &TurnContext, interp: &Interpretation) -> Option<String> {
    let profile = ctx.profile;
    match interp.intent {
        Intent::Question => {
            let answers: Vec<String> = spoken_answers(interp)
                .into_iter()
                .map(|a| spoken_text(&a.answer))
                .collect();
            (!answers.is_empty()).then(|| answers.join(" "))
        }
        Intent::Hours(asked) => hours::answer(profile, asked, ctx.local_time),
        Intent::Location => present(&profile.address).map(|a| format!("We're at {a}.")),
        Intent::Contact => contact_sentence(ctx),
        _ => None,
    }
}

/// Knowledge answers are spoken whole (the business wrote them); answers to
/// further questions asked at once are added while the reply stays well
/// within what one `<Say>` reads (4,000 characters), so the question after
/// them is never cut off.
const MAX_SPOKEN_ANSWERS: usize = 3_000;

/// The knowledge answers a reply speaks, in the order asked.
fn spoken_answers(interp: &Interpretation) -> Vec<&GroundedAnswer> {
    let mut spoken: Vec<&GroundedAnswer> = Vec::new();
    let mut length = 0;
    for answer in interp.answer.iter().chain(&interp.also) {
        let chars = answer.answer.trim().chars().count();
        let fits = spoken.is_empty() || length + 1 + chars <= MAX_SPOKEN_ANSWERS;
        if chars > 0 && fits && !spoken.iter().any(|a| a.entry_id == answer.entry_id) {
            length += chars + usize::from(!spoken.is_empty());
            spoken.push(answer);
        }
    }
    spoken
}

/// An answer as one line of speech: line breaks and runs of spaces from a
/// multi-line entry become single spaces.
fn spoken_text(answer: &str) -> String {
    answer.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// After an answer, the knowledge entry it came from (the last one spoken),
/// so a follow-up question can lean on it; none after an answer from the
/// profile (hours, address).
pub(super) fn remember_topic(memory: &mut CallMemory, interp: &Interpretation) {
    memory.last_topic = match interp.intent {
        Intent::Question => spoken_answers(interp).last().map(|a| a.entry_id),
        _ => None,
    };
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// "You can reach us by email at ..., by phone at ..., or on our website at ...."
fn contact_sentence(ctx: &TurnContext) -> Option<String> {
    let profile = ctx.profile;
    let ways: Vec<String> = [
        present(&profile.contact_email)
            .map(|e| format!("by email at {}", speech::email_address(e))),
        present(&profile.contact_phone).map(|p| format!("by phone at {}", speech::phone_number(p))),
        present(&profile.website).map(|w| format!("on our website at {}", speech::website(w))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let list = match ways.as_slice() {
        [] => return None,
        [only] => only.clone(),
        [init @ .., last] => format!("{}, or {last}", init.join(", ")),
    };
    Some(format!("You can reach us {list}."))
}

/// Says `lead_in` and asks whether there is anything else.
fn anything_else(mut memory: CallMemory, ctx: &TurnContext, lead_in: Vec<String>) -> Decision {
    memory.failed_attempts = 0;
    let state = CallState::Intent {
        offer: Some(Offer::MoreHelp),
    };
    ask(state, memory, ctx, lead_in, ANYTHING_ELSE.to_string())
}

/// No grounded answer: say so honestly and offer a person or a message.
fn unanswerable(mut memory: CallMemory, ctx: &TurnContext) -> Decision {
    memory.failed_attempts = memory.failed_attempts.saturating_add(1);
    let lead_in = "I'm sorry, I don't have that information.";
    offer_help(memory, ctx, lead_in, |offer| CallState::Faq { offer })
}

/// Nothing usable was said: ask again, keeping any offer open, and after
/// three misses in a row offer a person or a message instead.
fn unclear(offer: Option<Offer>, mut memory: CallMemory, ctx: &TurnContext) -> Decision {
    memory.failed_attempts = memory.failed_attempts.saturating_add(1);
    if memory.failed_attempts >= 3 {
        let lead_in = "I'm sorry, I'm having trouble understanding.";
        return offer_help(memory, ctx, lead_in, |offer| CallState::Intent {
            offer: Some(offer),
        });
    }
    let lead_in = if memory.failed_attempts == 1 {
        "Sorry, I didn't catch that."
    } else {
        "Sorry, I'm still not sure I understood. You can ask me a question, leave a message, or ask for a person."
    };
    reprompt(CallState::Intent { offer }, memory, ctx, lead_in)
}

/// Offers to put the caller through when someone can take the call now,
/// otherwise to take a message; `waiting` is the state awaiting the answer.
fn offer_help(
    memory: CallMemory,
    ctx: &TurnContext,
    lead_in: &str,
    waiting: impl FnOnce(Offer) -> CallState,
) -> Decision {
    let (offer, prompt) = if transfer::can_transfer(&memory, ctx, None) {
        (Offer::Transfer, transfer::offer_prompt(ctx, None))
    } else {
        let prompt = "Would you like me to take a message so someone can call you back?";
        (Offer::Message, prompt.to_string())
    };
    let lead_in = vec![lead_in.to_string()];
    ask(waiting(offer), memory, ctx, lead_in, prompt)
}
