//! Intent patterns over word stems ("hours" -> "hour", "it's" -> "its").
//! Each detector answers one question about the utterance; `rules/mod.rs` decides
//! their order.
//!
//! This file holds the detectors that steer the conversation (emergency,
//! goodbye, yes/no); [`requests`] what the caller wants done, [`questions`]
//! what they ask.

mod questions;
mod requests;
mod small_talk;
mod urgency;

use super::normalize::find_phrase;
use crate::conversation::interpretation::Intent;

pub(crate) use questions::{
    asks_about_the_business, asks_contact, asks_hours, asks_location, asks_wh_question,
    hours_asked, is_interrogative,
};
pub(crate) use requests::{request_start, states_need, wants_message, wants_person};
pub(crate) use small_talk::small_talk;
pub(crate) use urgency::{
    close_deadline as states_deadline, is_life_threat, is_urgent, is_urgent_situation,
};

const GOODBYE: &[&[&str]] = &[
    &["bye"],
    &["goodbye"],
    &["good", "bye"],
    &["nothing", "else"],
    &["that", "will", "be", "all"],
    &["thatll", "be", "all"],
    &["thats", "all"],
    &["that", "is", "all"],
    &["thats", "it"],
    &["that", "is", "it"],
    &["im", "done"],
    &["im", "all", "set"],
    &["have", "a", "good", "day"],
    &["have", "a", "nice", "day"],
    &["have", "a", "great", "day"],
    &["have", "a", "good", "one"],
    &["have", "a", "good", "night"],
    &["have", "a", "nice", "night"],
    &["have", "a", "good", "evening"],
    &["have", "a", "great", "night"],
    &["have", "a", "good", "weekend"],
    &["have", "a", "great", "weekend"],
    &["good", "night"],
    &["thats", "everything"],
    &["that", "is", "everything"],
    &["thats", "all", "i", "needed"],
    &["thats", "all", "i", "need"],
    &["thats", "all", "i", "wanted"],
    &["all", "i", "needed"],
    &["cheers"],
    &["talk", "to", "you", "later"],
    &["see", "you"],
    &["take", "care"],
    &["hang", "up"],
];
/// Goodbyes that also begin other sentences.
const WEAK_GOODBYES: &[&[&str]] = &[
    &["take", "care"],
    &["see", "you"],
    &["good", "night"],
    &["cheers"],
];
/// What may follow a weak goodbye.
#[rustfmt::skip]
const AFTER_GOODBYE: &[&str] = &[
    "bye", "goodbye", "now", "then", "thanks", "thank", "you", "later", "soon", "all", "have", "a", "good",
    "great", "nice", "day", "night", "and", "ok", "okay", "so", "much", "again", "buddy", "mate", "take",
    "care", "see", "alright",
];
/// "That's all wrong" / "that's all right" are not goodbyes.
const NOT_GOODBYE_AFTER: &[&str] = &["wrong", "incorrect", "right", "correct", "good", "fine"];

pub(crate) fn is_goodbye(stems: &[&str]) -> bool {
    says_goodbye(stems) || is_thanks_only(stems)
}

/// A goodbye said in words ("bye", "that's all", "have a good day").
fn says_goodbye(stems: &[&str]) -> bool {
    GOODBYE.iter().any(|p| {
        find_phrase(stems, p).is_some_and(|at| {
            let after = &stems[at + p.len()..];
            let ends_the_call = !after.first().is_some_and(|n| NOT_GOODBYE_AFTER.contains(n));
            // "Take care" or "see you" with more after them ("take care
            // credit", "see you on Tuesday") are not goodbyes; nor is a
            // "later" that is not the last word ("call me later today").
            let closing_words_only = !matches!(p, [_, ..] if WEAK_GOODBYES.contains(p))
                || after.iter().all(|s| AFTER_GOODBYE.contains(s));
            ends_the_call && closing_words_only
        })
    })
}

/// Only thanks and acknowledgement ("oh perfect, thank you", "okay great"):
/// a goodbye after an answer, but not while the caller is being asked for
/// a detail, when it only acknowledges the question.
pub(crate) fn is_thanks_only(stems: &[&str]) -> bool {
    is_only(
        stems,
        &[
            "thank",
            "thanks",
            "you",
            "ok",
            "okay",
            "great",
            "perfect",
            "alright",
            "so",
            "much",
            "very",
            "awesome",
            "cool",
            "got",
            "it",
            "gotcha",
            "understood",
            "noted",
            "good",
            "that",
            "helps",
            "helpful",
            "thats",
            "to",
            "know",
            "nice",
            "really",
            "lovely",
            "sounds",
            "oh",
            "ah",
            "sweet",
            "wonderful",
            "appreciate",
            "i",
            "all",
            "right",
            "yeah",
            "yep",
            "kk",
            "k",
            "fantastic",
            "excellent",
        ],
    ) && stems.iter().any(|s| matches!(*s, "thank" | "thanks"))
}

/// True when every stem is one of `allowed`.
pub(crate) fn is_only(stems: &[&str], allowed: &[&str]) -> bool {
    !stems.is_empty() && stems.iter().all(|s| allowed.contains(s))
}

const YES: &[&[&str]] = &[
    &["thats", "right"],
    &["that", "is", "right"],
    &["thats", "correct"],
    &["thats", "all", "right"],
    &["thats", "fine"],
    &["fine"],
    &["that", "is", "correct"],
    &["sounds", "good"],
    &["sound", "good"],
    &["go", "ahead"],
    &["please", "do"],
    &["of", "course"],
    &["that", "work"],
    &["it", "is"],
    &["i", "do"],
    &["yes"],
    &["yeah"],
    &["yea"],
    &["yep"],
    &["yup"],
    &["ya"],
    &["sure"],
    &["correct"],
    &["right"],
    &["exactly"],
    &["absolutely"],
    &["definitely"],
    &["certainly"],
    &["ok"],
    &["okay"],
    &["alright"],
    &["perfect"],
    &["affirmative"],
    &["uhhuh"],
    &["yes", "please"],
];
const NO: &[&[&str]] = &[
    &["thats", "not", "right"],
    &["thats", "not", "correct"],
    &["that", "is", "not", "right"],
    &["that", "is", "not", "correct"],
    &["thats", "wrong"],
    &["that", "is", "wrong"],
    &["not", "quite"],
    &["not", "really"],
    &["not", "exactly"],
    &["not", "right"],
    &["no", "way"],
    &["i", "dont"],
    &["no"],
    &["nope"],
    &["nah"],
    &["incorrect"],
    &["wrong"],
    &["negative"],
];
/// Words a yes/no may start after ("well, yes", "oh no").
const YES_NO_LEAD_INS: &[&str] = &["oh", "well", "so", "hi", "hello", "hey", "um", "and", "but"];

/// A yes or no at the start of the utterance, with the number of stems it used.
pub(crate) fn leading_yes_no(stems: &[&str]) -> Option<(Intent, usize)> {
    let skip = stems
        .iter()
        .take_while(|s| YES_NO_LEAD_INS.contains(s))
        .count();
    let rest = &stems[skip..];
    // "No" phrases first: "that is not right" must not read as "it is".
    for (table, intent) in [(NO, Intent::No), (YES, Intent::Yes)] {
        let longest = table
            .iter()
            .filter(|p| rest.starts_with(p))
            .map(|p| p.len())
            .max();
        if let Some(len) = longest {
            return Some((intent, skip + len));
        }
    }
    None
}

/// Words that add nothing to a bare yes/no ("yes please", "no thank you").
const POLITE: &[&str] = &[
    "im", "were", "good", "okay", "please", "thank", "thanks", "you", "ok", "okay", "so", "well",
    "oh", "that", "thats", "it", "its", "is", "fine", "good", "great", "all", "sir", "maam",
    "then", "mean", "i", "just", "alright", "right", "yes", "no", "yeah", "sure", "correct",
    "much",
];

/// A yes/no followed only by politeness: "yes please", "no thank you".
pub(crate) fn bare_yes_no(stems: &[&str]) -> Option<Intent> {
    let (intent, used) = leading_yes_no(stems)?;
    stems[used..]
        .iter()
        .all(|s| POLITE.contains(s))
        .then_some(intent)
}
