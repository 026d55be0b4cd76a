//! How what the caller said joins the message taken down: whole numbers
//! only, reasons added to, a name kept as said when it cannot be understood.

use crate::conversation::interpretation::{Details, Intent, Interpretation};
use crate::conversation::speech;
use crate::conversation::state::CallMemory;

/// Most words of an answer kept as the name when it could not be understood.
const NAME_AS_SAID_WORDS: usize = 4;

/// Digits of a North American number with its country code.
const NANP_DIGITS: usize = 11;
/// Digits of an E.164 number elsewhere.
const E164_DIGITS: std::ops::RangeInclusive<usize> = 8..=15;

/// A whole number to call back: E.164, and for +1 exactly ten digits after
/// it. A bare "555 0142" is not one: the caller is asked for the rest.
pub(super) fn callable(number: &str) -> bool {
    let Some(digits) = number.trim().strip_prefix('+') else {
        return false;
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if digits.starts_with('1') {
        digits.len() == NANP_DIGITS
    } else {
        E164_DIGITS.contains(&digits.len())
    }
}

/// What to say about a number heard that is not whole ("I only got seven
/// digits."), `None` for a whole one.
pub(in crate::conversation::machine) fn incomplete_number(number: &str) -> Option<String> {
    if callable(number) {
        return None;
    }
    let count = number.chars().filter(char::is_ascii_digit).count();
    let said = match count {
        1 => "one",
        2 => "two",
        3 => "three",
        4 => "four",
        5 => "five",
        6 => "six",
        7 => "seven",
        8 => "eight",
        9 => "nine",
        10 => "ten",
        11 => "eleven",
        12 => "twelve",
        _ => "too many",
    };
    Some(if count < 10 {
        format!("I only got {said} digits.")
    } else {
        format!("I got {said} digits, which doesn't look like a full number.")
    })
}

pub(super) const FULL_NUMBER: &str = "Could you give me the full number, with the area code?";

/// How a reason said now joins one already taken down.
#[derive(Clone, Copy, PartialEq)]
pub(in crate::conversation::machine) enum ReasonMerge {
    /// The reason was asked for (again): the new one replaces it.
    Replace,
    /// Said along the way ("yes, and tell her it's urgent"): added to it.
    Append,
}

/// Merges the details of one utterance into the lead; later values win,
/// except a reason, which is added to the one taken down. Returns true when
/// anything new was learnt.
pub(in crate::conversation::machine) fn merge(memory: &mut CallMemory, details: &Details) -> bool {
    merge_with(memory, details, ReasonMerge::Append)
}

/// [`merge`], saying how a new reason joins the one taken down.
pub(in crate::conversation::machine) fn merge_with(
    memory: &mut CallMemory,
    details: &Details,
    reason: ReasonMerge,
) -> bool {
    let mut learnt = false;
    let lead = &mut memory.lead;
    if let Some(name) = non_empty(&details.name) {
        learnt |= lead.name.as_deref() != Some(name.as_str());
        lead.name = Some(name);
    }
    let new_phone = non_empty(&details.phone)
        .filter(|p| callable(p) && lead.phone.as_deref() != Some(p.as_str()));
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
    if let Some(said) = non_empty(&details.reason) {
        let reason = match (reason, lead.reason.as_deref()) {
            // "For Dr Patel" first, then why: both are kept.
            (_, Some(before))
                if speech::names_only_recipient(before) && !contains(before, &said) =>
            {
                speech::caller_text(&format!("{before}, {said}"))
            }
            (ReasonMerge::Append, Some(before)) if !contains(before, &said) => {
                speech::caller_text(&format!("{before}; {said}"))
            }
            (ReasonMerge::Append, Some(before)) => before.to_string(),
            _ => said,
        };
        learnt |= lead.reason.as_deref() != Some(reason.as_str());
        lead.reason = Some(reason);
    }
    learnt
}

fn contains(text: &str, part: &str) -> bool {
    text.to_lowercase().contains(&part.to_lowercase())
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(speech::caller_text)
        .filter(|v| !v.is_empty())
}

/// Words of "sorry, what?" or "hello?", never kept as a name.
#[rustfmt::skip]
const NOT_A_NAME_AS_SAID: &[&str] = &[
    "sorry", "what", "pardon", "huh", "hello", "hi", "hey", "yes", "yeah", "no", "okay", "ok", "um", "uh",
    "excuse", "me", "again", "repeat", "that", "please", "thanks", "you", "can", "say", "the", "a", "i",
    "it", "is", "there", "anyone", "wait", "hold", "on",
];

/// The second answer to "may I have your name?" that holds no name: a short
/// one is kept as said (the recogniser may not know the name), anything
/// else is left out. Either way the message goes on.
pub(super) fn keep_name_as_said(memory: &mut CallMemory, interp: &Interpretation) -> String {
    let said = speech::caller_text(&interp.text);
    let words: Vec<&str> = said
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let name_like = matches!(interp.intent, Intent::Unclear | Intent::Question)
        && !said.ends_with('?')
        && (1..=NAME_AS_SAID_WORDS).contains(&words.len())
        && words.iter().all(|w| w.chars().all(char::is_alphabetic))
        && !words
            .iter()
            .all(|w| NOT_A_NAME_AS_SAID.contains(&w.to_lowercase().as_str()));
    if name_like {
        let name: Vec<String> = words.iter().map(|w| title_word(w)).collect();
        memory.lead.name = Some(name.join(" "));
        "Thanks, I've noted your name as you said it.".to_string()
    } else {
        memory.name_skipped = true;
        "No problem, I'll pass your message on without a name.".to_string()
    }
}

fn title_word(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}
