//! Names and reasons: the two details that are plain words.

use std::ops::Range;

use super::normalize::{MAX_TEXT_CHARS, Word, find_phrase, title_case, words};
use crate::conversation::interpretation::Expecting;

/// Most words in a name ("Mary Ann Smith").
const MAX_NAME_WORDS: usize = 3;
/// Reasons are read back to the caller and emailed: keep them short.
const MAX_REASON_CHARS: usize = 200;

/// The caller's name from "my name is X", "this is X", "it's X", "I'm X",
/// "name's X", "call me X"; with `Expecting::Name` also a bare "John Smith".
pub fn extract_name(text: &str, expecting: Expecting) -> Option<String> {
    let words = words(text);
    find_name(&words, expecting == Expecting::Name, &[]).map(|(name, _)| name)
}

/// Why the caller is calling: the phrase after "about", "regarding", "I need",
/// "I'd like"...; with `Expecting::Reason` the whole utterance.
pub fn extract_reason(text: &str, expecting: Expecting) -> Option<String> {
    let words = words(text);
    find_reason(&words, expecting == Expecting::Reason, &[], None)
}

/// Phrases after which a name follows for sure.
const STRONG_NAME_CUES: &[&[&str]] = &[
    &["my", "name", "is"],
    &["my", "names"],
    &["name", "is"],
    &["names"],
    &["call", "me"],
    &["i", "go", "by"],
];
/// Phrases after which a name often follows ("I'm John"), but so do many
/// other words ("I'm calling", "it's about"), checked against `NOT_NAMES`.
const WEAK_NAME_CUES: &[&[&str]] = &[
    &["this", "is"],
    &["its"],
    &["it", "is"],
    &["im"],
    &["i", "am"],
];

/// Words that are never (part of) a name here: fillers, function words and
/// what callers say after "I'm" or "it's" besides their name.
#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    "a", "about", "actually", "afraid", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as",
    "asking", "at", "available", "away", "back", "bad", "because", "been", "before", "being", "best", "better",
    "broken", "busy", "but", "by", "calling", "can", "cant", "closed", "confused", "correct", "could",
    "currently", "did", "do", "does", "done", "dont", "email", "emergency", "every", "fine", "for", "free",
    "from", "getting", "glad", "going", "gonna", "good", "got", "great", "had", "happy", "has", "have",
    "having", "he", "hello", "her", "here", "hey", "hi", "him", "his", "home", "hoping", "how", "hurt", "i",
    "id", "if", "im", "important", "in", "interested", "is", "it", "its", "just", "late", "leaking", "like",
    "looking", "me", "mine", "more", "my", "myself", "name", "need", "new", "nice", "no", "nope", "not",
    "nothing", "now", "number", "of", "off", "ok", "okay", "on", "one", "only", "or", "our", "out", "over",
    "phone", "phoning", "please", "pretty", "quite", "ready", "really", "regarding", "right", "ringing", "same",
    "she", "should", "so", "someone", "something", "sorry", "speaking", "still", "sure", "thank", "thanks",
    "that", "thats", "the", "their", "them", "then", "there", "they", "this", "to", "today", "tomorrow", "too",
    "trying", "two", "uhhuh", "unable", "up", "urgent", "us", "very", "want", "wanting", "was", "we", "well",
    "were", "what", "when", "where", "which", "who", "why", "will", "with", "wondering", "worried", "would",
    "wrong", "yeah", "yep", "yes", "yet", "you", "your", "yours",
];

/// Lead-ins skipped before a bare name ("yeah it's John", "sure, John Smith").
const BARE_NAME_LEAD_INS: &[&str] = &[
    "yes", "yeah", "yep", "sure", "ok", "okay", "so", "well", "hi", "hello", "hey", "oh", "its",
    "it", "is", "my", "name", "names", "the", "this", "im", "i", "am", "call", "me", "uhhuh",
    "right", "first", "full", "last",
];

fn is_name_word(word: &Word<'_>) -> bool {
    word.key.chars().all(char::is_alphabetic)
        && word.key.chars().count() >= 2
        && !NOT_NAMES.contains(&word.key.as_str())
}

/// Reads up to three name words from `start`, stopping at a clause end.
fn read_name(
    words: &[Word<'_>],
    start: usize,
    taken: &[Range<usize>],
    weak: bool,
) -> Option<(String, Range<usize>)> {
    let first = words.get(start)?;
    if weak && looks_like_a_verb(&first.key) {
        return None;
    }
    let mut end = start;
    while end < words.len() && end - start < MAX_NAME_WORDS {
        let word = &words[end];
        if !is_name_word(word) || taken.iter().any(|r| r.contains(&end)) {
            break;
        }
        end += 1;
        if word.clause_end {
            break;
        }
    }
    if end == start {
        return None;
    }
    let name = words[start..end]
        .iter()
        .map(|w| title_case(w.raw))
        .collect::<Vec<_>>()
        .join(" ");
    Some((name, start..end))
}

/// "I'm calling", "it's leaking", "I'm interested": not names.
fn looks_like_a_verb(key: &str) -> bool {
    (key.len() >= 5 && key.ends_with("ing")) || (key.len() >= 6 && key.ends_with("ed"))
}

/// Finds a name; `taken` are word ranges already used by other details.
pub(crate) fn find_name(
    words: &[Word<'_>],
    bare: bool,
    taken: &[Range<usize>],
) -> Option<(String, Range<usize>)> {
    let keys: Vec<&str> = words.iter().map(|w| w.key.as_str()).collect();
    for (cues, weak) in [(STRONG_NAME_CUES, false), (WEAK_NAME_CUES, true)] {
        for cue in cues {
            let mut from = 0;
            while let Some(pos) = find_phrase(&keys[from..], cue) {
                let at = from + pos;
                if let Some(found) = read_name(words, at + cue.len(), taken, weak) {
                    return Some(found);
                }
                from = at + 1;
            }
        }
    }
    if !bare {
        return None;
    }
    let start = keys.iter().position(|k| !BARE_NAME_LEAD_INS.contains(k))?;
    let found = read_name(words, start, taken, false)?;
    // A bare answer is only a name when nothing but politeness follows it.
    let rest_is_polite = (found.1.end..words.len()).all(|i| {
        taken.iter().any(|r| r.contains(&i))
            || matches!(
                words[i].key.as_str(),
                "please" | "thanks" | "thank" | "you" | "here" | "speaking"
            )
    });
    rest_is_polite.then_some(found)
}

/// Phrases that introduce the topic itself.
const TOPIC_CUES: &[&[&str]] = &[
    &["in", "regards", "to"],
    &["in", "regard", "to"],
    &["regarding"],
    &["concerning"],
    &["about"],
    &["because"],
];
/// Phrases that introduce what the caller wants.
const WANT_CUES: &[&[&str]] = &[
    &["i", "would", "like"],
    &["id", "like"],
    &["i", "need"],
    &["i", "want"],
    &["we", "need"],
    &["looking", "for"],
    &["interested", "in"],
    &["can", "i", "get"],
    &["could", "i", "get"],
    &["need"],
    &["want"],
];
/// Leading words of a reason that say nothing about it.
const REASON_PREAMBLES: &[&[&str]] = &[
    &["to", "leave", "a", "message"],
    &["leave", "a", "message"],
    &["someone", "to", "call", "me", "back"],
    &["somebody", "to", "call", "me", "back"],
    &["a", "call", "back"],
    &["a", "callback"],
    &["the", "reason", "is"],
    &["its", "about"],
    &["it", "is", "about"],
    &["im", "calling", "about"],
    &["i", "am", "calling", "about"],
    &["calling", "about"],
    &["its", "regarding"],
    &["calling", "regarding"],
    &["regarding"],
    &["about"],
    &["to"],
    &["is"],
];
/// Where the reason ends: the caller moves on to their details.
const REASON_ENDS: &[&[&str]] = &[
    &["my", "number"],
    &["my", "phone"],
    &["my", "cell"],
    &["my", "email"],
    &["my", "name"],
    &["and", "my"],
    &["you", "can", "reach"],
    &["reach", "me"],
    &["call", "me", "at"],
    &["this", "is"],
    &["thank", "you"],
    &["thanks"],
    &["please", "call"],
    &["call", "me"],
    &["have", "someone"],
    &["can", "someone"],
    &["can", "you", "call"],
    &["you", "can", "call"],
];
/// Trailing words trimmed off a reason.
const TRAILING: &[&str] = &[
    "and", "so", "but", "or", "please", "thanks", "ok", "okay", "then", "also", "at", "on", "is",
];

/// The reason starting at the first cue; `request_start` is where a booking
/// or quote request begins ("book an appointment for ..."), used when no cue
/// is found; `whole` takes the whole utterance.
pub(crate) fn find_reason(
    words: &[Word<'_>],
    whole: bool,
    taken: &[Range<usize>],
    request_start: Option<usize>,
) -> Option<String> {
    let keys: Vec<&str> = words.iter().map(|w| w.key.as_str()).collect();
    let earliest = |cues: &[&[&str]]| {
        cues.iter()
            .filter_map(|c| find_phrase(&keys, c).map(|p| (p, p + c.len())))
            .min_by_key(|(p, _)| *p)
    };
    let start = match (earliest(TOPIC_CUES), earliest(WANT_CUES)) {
        (Some((_, end)), _) => end,
        (None, Some((_, end))) if !whole || end <= 4 => end,
        _ if whole => 0,
        _ => request_start?,
    };
    let mut start = skip_preambles(&keys, start);
    while start < words.len() && taken.iter().any(|r| r.contains(&start)) {
        start += 1;
    }
    let mut end = start;
    while end < words.len() {
        if taken.iter().any(|r| r.contains(&end))
            || REASON_ENDS.iter().any(|p| keys[end..].starts_with(p))
        {
            break;
        }
        end += 1;
    }
    while end > start && TRAILING.contains(&keys[end - 1]) {
        end -= 1;
    }
    if end == start {
        return None;
    }
    let mut reason = String::new();
    for w in &words[start..end] {
        if reason.len() + w.raw.len() + 1 > MAX_REASON_CHARS.min(MAX_TEXT_CHARS) {
            break;
        }
        if !reason.is_empty() {
            reason.push(' ');
        }
        reason.push_str(w.raw);
    }
    (!reason.is_empty()).then_some(reason)
}

fn skip_preambles(keys: &[&str], mut start: usize) -> usize {
    loop {
        let rest = &keys[start.min(keys.len())..];
        match REASON_PREAMBLES.iter().find(|p| rest.starts_with(p)) {
            Some(p) => start += p.len(),
            None => return start,
        }
    }
}
