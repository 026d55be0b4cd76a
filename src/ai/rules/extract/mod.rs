//! The details that are plain words: the caller's name and why they call.

mod name;
mod reason;
mod spelling;

pub(crate) use name::{Listening, declines_name, find_name};
pub(crate) use reason::{Said, addition, find_reason};
pub(crate) use spelling::similar;

use super::normalize::{clean_text, words};
use crate::conversation::interpretation::Expecting;

/// The caller's name from "my name is X", "this is X", "it's X", "I'm X",
/// "name's X", "call me X"; with `Expecting::Name` also a bare "John Smith"
/// or a spelled "s m i t h".
pub fn extract_name(text: &str, expecting: Expecting) -> Option<String> {
    let text = clean_text(text);
    let words = words(&text);
    let listening = Listening {
        bare: expecting == Expecting::Name,
        weak_cues: matches!(expecting, Expecting::Anything | Expecting::Name),
        previous: None,
    };
    find_name(&text, &words, listening, &[]).map(|(name, _)| name)
}

/// Why the caller is calling: the phrase after "about", "regarding", "I
/// need", "I'd like"...; with `Expecting::Reason` the whole utterance
/// without its lead-in.
pub fn extract_reason(text: &str, expecting: Expecting) -> Option<String> {
    let text = clean_text(text);
    let words = words(&text);
    let said = if expecting == Expecting::Reason {
        Said::Answer
    } else {
        Said::Request
    };
    find_reason(&text, &words, said, &[])
}
