//! Intent patterns over word stems ("hours" -> "hour", "it's" -> "its").
//! Each detector answers one question about the utterance; `rules/mod.rs` decides
//! their order.
//!
//! This file holds the detectors that steer the conversation (emergency,
//! goodbye, yes/no); [`requests`] what the caller wants done, [`questions`]
//! what they ask.

mod questions;
mod requests;

use super::normalize::{find_phrase, has_any};
use crate::conversation::interpretation::Intent;

pub(crate) use questions::{
    asks_contact, asks_hours, asks_location, asks_wh_question, is_interrogative,
};
pub(crate) use requests::{request_start, states_need, wants_message, wants_person};

/// Life-safety phrases. "Emergency" alone is not enough: "do you do
/// emergency plumbing?" is a question.
const EMERGENCY: &[&[&str]] = &[
    &["medical", "emergency"],
    &["life", "threatening"],
    &["someone", "is", "hurt"],
    &["someone", "hurt"],
    &["somebody", "is", "hurt"],
    &["somebody", "hurt"],
    &["is", "hurt"],
    &["are", "hurt"],
    &["got", "hurt"],
    &["im", "hurt"],
    &["badly", "hurt"],
    &["injured"],
    &["unconscious"],
    &["not", "breathing"],
    &["cant", "breathe"],
    &["cannot", "breathe"],
    &["can", "not", "breathe"],
    &["trouble", "breathing"],
    &["heart", "attack"],
    &["a", "stroke"],
    &["overdose"],
    &["overdosed"],
    &["choking"],
    &["passed", "out"],
    &["collapsed"],
    &["chest", "pain"],
    &["fire"],
    &["on", "fire"],
    &["smell", "gas"],
    &["gas", "leak"],
    &["911"],
    &["kill", "myself"],
    &["suicide"],
    &["is", "dying"],
];
/// Words after "an emergency" that make it a question about a service.
#[rustfmt::skip]
const EMERGENCY_SERVICE_WORDS: &[&str] = &[
    "appointment", "service", "plumber", "plumbing", "visit", "dentist", "number", "line", "fee", "rate",
    "call", "repair", "electrician", "slot", "contact",
];
const NEGATIONS: &[&str] = &["not", "no", "isnt", "aint", "never", "non", "nt"];

pub(crate) fn is_emergency(stems: &[&str]) -> bool {
    if has_any(stems, EMERGENCY) {
        return !is_dental_bleeding(stems)
            || has_any(stems, &[&["fire"], &["911"], &["heart", "attack"]]);
    }
    if stems.contains(&"bleeding") && !is_dental_bleeding(stems) {
        return true;
    }
    for (i, stem) in stems.iter().enumerate() {
        if *stem != "emergency" {
            continue;
        }
        let negated = stems[i.saturating_sub(3)..i]
            .iter()
            .any(|s| NEGATIONS.contains(s));
        if negated {
            continue;
        }
        let article = i > 0 && matches!(stems[i - 1], "an" | "a");
        let service = stems
            .get(i + 1)
            .is_some_and(|s| EMERGENCY_SERVICE_WORDS.contains(s));
        if article && !service {
            return true;
        }
    }
    // "Emergency!", "help, it's an emergency please".
    stems.contains(&"emergency")
        && stems.iter().all(|s| {
            matches!(
                *s,
                "emergency"
                    | "help"
                    | "please"
                    | "its"
                    | "it"
                    | "is"
                    | "this"
                    | "an"
                    | "a"
                    | "real"
                    | "urgent"
                    | "hello"
                    | "hi"
                    | "quick"
                    | "quickly"
            )
        })
}

/// "My gums are bleeding" at the dentist is a dental question, not a 911 call.
fn is_dental_bleeding(stems: &[&str]) -> bool {
    stems.iter().any(|s| {
        matches!(
            *s,
            "gum" | "tooth" | "teeth" | "floss" | "flossing" | "brush" | "brushing"
        )
    })
}

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
    &["talk", "to", "you", "later"],
    &["see", "you"],
    &["take", "care"],
    &["hang", "up"],
];
/// "That's all wrong" / "that's all right" are not goodbyes.
const NOT_GOODBYE_AFTER: &[&str] = &["wrong", "incorrect", "right", "correct", "good", "fine"];

pub(crate) fn is_goodbye(stems: &[&str]) -> bool {
    GOODBYE.iter().any(|p| {
        find_phrase(stems, p).is_some_and(|at| {
            !stems
                .get(at + p.len())
                .is_some_and(|n| NOT_GOODBYE_AFTER.contains(n))
        })
    }) || is_only(
        stems,
        &[
            "thank", "thanks", "you", "ok", "okay", "great", "perfect", "alright", "so", "much",
            "very", "awesome", "cool",
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
    "please", "thank", "thanks", "you", "ok", "okay", "so", "well", "oh", "that", "thats", "it",
    "its", "is", "fine", "good", "great", "all", "sir", "maam", "then", "mean", "i", "just",
    "alright", "right", "yes", "no", "yeah", "sure", "correct", "much",
];

/// A yes/no followed only by politeness: "yes please", "no thank you".
pub(crate) fn bare_yes_no(stems: &[&str]) -> Option<Intent> {
    let (intent, used) = leading_yes_no(stems)?;
    stems[used..]
        .iter()
        .all(|s| POLITE.contains(s))
        .then_some(intent)
}
