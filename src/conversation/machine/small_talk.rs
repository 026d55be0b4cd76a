//! Small talk in any listening state: answer it briefly, then ask the
//! question that was pending again, staying where the call was.

use crate::conversation::interpretation::SmallTalk;
use crate::conversation::state::{CallMemory, CallState, Decision, TurnContext};

use super::reply::reprompt;
use super::transfer;

/// What is said again on "can you repeat that?", at most this long: a long
/// knowledge answer is summed up by its first sentences.
const REPEATED_CHARS: usize = 220;

pub(super) fn answer(
    talk: SmallTalk,
    state: CallState,
    memory: CallMemory,
    ctx: &TurnContext,
) -> Decision {
    let lead_in = match talk {
        SmallTalk::Hello => "Hi there!".to_string(),
        SmallTalk::AreYouThere => "Yes, I'm here.".to_string(),
        SmallTalk::HowAreYou => "I'm doing well, thanks for asking.".to_string(),
        SmallTalk::Repeat => repeated(&memory.last_said),
        SmallTalk::WhoAmITalkingTo => who_am_i(&memory, ctx),
    };
    reprompt(state, memory, ctx, &lead_in)
}

/// The last thing said before the question, shortened when it was long.
fn repeated(last_said: &str) -> String {
    let last_said = last_said.trim();
    if last_said.is_empty() {
        return "Sure.".to_string();
    }
    if last_said.len() <= REPEATED_CHARS {
        return last_said.to_string();
    }
    let mut kept = String::new();
    for sentence in sentences(last_said) {
        if !kept.is_empty() && kept.len() + sentence.len() > REPEATED_CHARS {
            break;
        }
        if !kept.is_empty() {
            kept.push(' ');
        }
        kept.push_str(sentence);
    }
    kept
}

/// Splits after ". ", "? " and "! " (not inside "$1.50" or "Dr. Lee"'s
/// abbreviation dot followed by a capital, which is rare enough on the phone).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'?' | b'!') && bytes.get(i + 1) == Some(&b' ') {
            out.push(text[start..=i].trim());
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(text[start..].trim());
    }
    out.retain(|s| !s.is_empty());
    out
}

fn who_am_i(memory: &CallMemory, ctx: &TurnContext) -> String {
    let name = ctx.profile.name.trim();
    let whose = if name.is_empty() {
        "the automated assistant".to_string()
    } else {
        format!("{name}'s automated assistant")
    };
    let person = if transfer::can_transfer(memory, ctx, None) {
        ", take a message, or put you through to a person"
    } else {
        " or take a message so a person can call you back"
    };
    format!("I'm {whose}. I can answer questions{person}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_answers_are_repeated_by_their_first_sentences() {
        let long = "A standard service call is $89 during business hours, and it's waived if you go ahead with the repair. After-hours, weekend and holiday emergency calls are $189. We give you a flat-rate price before any work starts.";
        let again = repeated(long);
        assert!(again.starts_with("A standard service call is $89"));
        assert!(again.len() <= REPEATED_CHARS, "{again}");
        assert!(again.ends_with('.'));
        assert_eq!(
            repeated("We're at 12 Main Street."),
            "We're at 12 Main Street."
        );
        assert_eq!(repeated(""), "Sure.");
    }
}
