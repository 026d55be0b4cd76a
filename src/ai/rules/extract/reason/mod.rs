//! Why the caller is calling, kept in their own words but without what says
//! nothing about it: fillers, greetings and lead-ins ("yeah so I wanted to
//! know if you could ..."), the details that belong elsewhere (name,
//! number, email) and the closing politeness. "Yeah so um I wanted to know
//! if you could move my appointment to next week" is kept as "move my
//! appointment to next week"; "it's for Dr Patel, about my results" keeps
//! the person it is for.

use std::ops::Range;

mod phrases;

use phrases::{
    AGREEMENT, FILLER_WORDS, INTRODUCTIONS, LEAD_INS, POLITENESS, REASON_ENDS, TRAILING,
};

use super::super::normalize::{MAX_TEXT_CHARS, Word};

/// Reasons are read back to the caller and emailed: keep them short.
const MAX_REASON_CHARS: usize = 200;

/// Words after "I need" that make it a clause of its own ("I need it fixed").
const OBJECTS: &[&str] = &[
    "it",
    "this",
    "that",
    "them",
    "him",
    "her",
    "these",
    "those",
    "everything",
    "something",
];

/// How much of an utterance may be the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Said {
    /// The reason was asked for: any words count.
    Answer,
    /// A request ("I'd like to leave a message about ..."): what follows a
    /// lead-in, or a few words that stand apart from the details given.
    Request,
    /// Said while another detail was asked for: only what follows a lead-in
    /// ("... and I'm calling about my bill").
    Aside,
}

/// Segments of a reason joined when the caller's details split it ("the
/// job is at 4521 Oak Street; a quote").
const SEGMENT_JOINER: &str = "; ";

/// The reason in `words` (of `text`), skipping the ranges used by other
/// details; the parts the details split apart are joined.
pub(crate) fn find_reason(
    text: &str,
    words: &[Word<'_>],
    said: Said,
    taken: &[Range<usize>],
) -> Option<String> {
    let keys: Vec<&str> = words.iter().map(|w| w.key.as_str()).collect();
    let mut parts: Vec<String> = Vec::new();
    let mut start = 0;
    while start < words.len() {
        if taken.iter().any(|r| r.contains(&start)) {
            start += 1;
            continue;
        }
        let end = (start..words.len())
            .find(|i| taken.iter().any(|r| r.contains(i)))
            .unwrap_or(words.len());
        if let Some(range) = clean(&keys, start..end, said) {
            let prefix = lead_in_kept(&keys, range.start);
            parts.push(phrase(text, &words[range], prefix));
        }
        start = end;
    }
    if parts.is_empty() {
        // "Just have someone call me back": the call back is the reason.
        let callback = keys.contains(&"callback")
            || keys.windows(2).any(|w| w == ["call", "me"])
            || keys
                .iter()
                .position(|k| *k == "call")
                .is_some_and(|at| keys[at..].iter().take(4).any(|k| *k == "back"));
        return (said == Said::Answer && callback).then(|| "a call back".to_string());
    }
    Some(capped(&parts.join(SEGMENT_JOINER)))
}

/// `text` cut at a word boundary to at most [`MAX_REASON_CHARS`].
fn capped(text: &str) -> String {
    if text.len() <= MAX_REASON_CHARS {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        if out.len() + word.len() + 1 > MAX_REASON_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A detail added after a "yes" at the read-back ("yes, and also tell her
/// it's urgent"): what the caller added, or `None` when they only agreed.
pub(crate) fn addition(text: &str, words: &[Word<'_>], taken: &[Range<usize>]) -> Option<String> {
    let keys: Vec<&str> = words.iter().map(|w| w.key.as_str()).collect();
    let mut start = 0;
    while let Some(used) = AGREEMENT
        .iter()
        .filter(|p| keys[start..].starts_with(p))
        .map(|p| p.len())
        .max()
    {
        start += used;
    }
    let rest = &words[start..];
    let shifted: Vec<Range<usize>> = taken
        .iter()
        .map(|r| r.start.saturating_sub(start)..r.end.saturating_sub(start))
        .collect();
    let reason = find_reason(text, rest, Said::Answer, &shifted)?;
    let only_polite = reason.split_whitespace().all(|w| {
        POLITENESS.contains(
            &w.to_lowercase()
                .trim_matches(|c: char| !c.is_alphanumeric()),
        )
    });
    (reason.split_whitespace().count() >= 2 && !only_polite).then_some(reason)
}

/// The reason's words in `range` with lead-ins, closing words and trailing
/// fillers removed; `None` when nothing is left.
fn clean(keys: &[&str], range: Range<usize>, said: Said) -> Option<Range<usize>> {
    let mut start = after_introduction(keys, range.clone()).unwrap_or(range.start);
    let mut led_in = start > range.start;
    loop {
        if let Some(covered) = callback_about(keys, start..range.end) {
            start += covered;
            led_in = true;
            continue;
        }
        let lead_in = LEAD_INS
            .iter()
            .filter(|(p, _)| start + p.len() <= range.end && keys[start..].starts_with(p))
            .max_by_key(|(p, _)| p.len());
        // A filler, unless it begins a longer lead-in ("hi there").
        let longer_lead_in = lead_in.is_some_and(|(p, _)| p.len() > 1);
        if keys.get(start).is_some_and(|k| FILLER_WORDS.contains(k))
            && start < range.end
            && !longer_lead_in
        {
            start += 1;
            continue;
        }
        // "I need it fixed by Friday": the need is the reason, said whole.
        let needs_something_done = lead_in.is_some_and(|(p, _)| {
            p.last()
                .is_some_and(|w| matches!(*w, "need" | "want" | "like"))
                && keys
                    .get(start + p.len())
                    .is_some_and(|k| OBJECTS.contains(k))
        });
        if needs_something_done {
            break;
        }
        match lead_in {
            Some((p, "")) => {
                start += p.len();
                led_in = true;
            }
            // A lead-in that stays in other words ("can someone ..."): the
            // reason starts here and `lead_in_kept` says it.
            Some(_) => {
                led_in = true;
                break;
            }
            None => break,
        }
    }
    let mut end = start;
    while end < range.end {
        let at_end = end > start && REASON_ENDS.iter().any(|p| keys[end..].starts_with(p));
        if at_end {
            break;
        }
        end += 1;
    }
    while let Some(t) = TRAILING
        .iter()
        .find(|t| end >= start + t.len() && keys[end - t.len()..end] == ***t)
    {
        end -= t.len();
    }
    let kept = lead_in_kept(keys, start);
    // "Can someone ..." with nothing after it says nothing.
    let after_kept = start + kept.map_or(0, |(_, covered)| covered);
    let content = (after_kept..end).any(|i| !FILLER_WORDS.contains(&keys[i]));
    if kept.is_some() && !content {
        return None;
    }
    let is_reason = content
        && match said {
            Said::Answer => true,
            Said::Request => led_in || end - start >= 3,
            Said::Aside => led_in,
        };
    (end > start && (is_reason || kept.is_some())).then_some(start..end)
}

/// A request to be called back that only leads into what it is about:
/// "can someone call me about an estimate", "could you have somebody give
/// me a call regarding my bill", "please get back to me about the quote".
/// How many keys it covers, up to and including the "about".
fn callback_about(keys: &[&str], range: Range<usize>) -> Option<usize> {
    const ASKING: &[&str] = &["can", "could", "would", "will", "please"];
    const WHO: &[&str] = &["someone", "somebody", "anyone", "anybody"];
    const CALLS: &[&[&str]] = &[
        &["call", "me", "back"],
        &["call", "me"],
        &["give", "me", "a", "call", "back"],
        &["give", "me", "a", "call"],
        &["get", "back", "to", "me"],
        &["ring", "me"],
        &["contact", "me"],
        &["reach", "out", "to", "me"],
    ];
    const ABOUT: &[&[&str]] = &[
        &["about"],
        &["regarding"],
        &["concerning"],
        &["re"],
        &["in", "regards", "to"],
        &["in", "regard", "to"],
        &["to", "talk", "about"],
        &["to", "discuss"],
    ];
    // What may come before the call itself, in this order, each optional.
    const BEFORE: &[&[&str]] = &[
        ASKING,
        &["you"],
        &["guys"],
        &["please"],
        &["have", "get"],
        WHO,
        &["to"],
        &["please"],
    ];
    let keys = &keys[..range.end.min(keys.len())];
    let starts = |at: usize, phrases: &[&[&str]]| {
        phrases
            .iter()
            .filter(|p| keys.get(at..).is_some_and(|rest| rest.starts_with(p)))
            .map(|p| p.len())
            .max()
    };
    let mut at = range.start;
    let mut call = starts(at, CALLS);
    for words in BEFORE {
        if call.is_some() {
            break;
        }
        if keys.get(at).is_some_and(|k| words.contains(k)) {
            at += 1;
            call = starts(at, CALLS);
        }
    }
    at += call?;
    at += starts(at, ABOUT)?;
    Some(at - range.start)
}

/// Most words of an introduction before "calling".
const MAX_INTRODUCTION_WORDS: usize = 7;

/// In "this is Mike from Acme calling about the estimate", where "calling"
/// starts, so the introduction is not taken for the reason.
fn after_introduction(keys: &[&str], range: Range<usize>) -> Option<usize> {
    let first = keys.get(range.start)?;
    if !INTRODUCTIONS.contains(first) {
        return None;
    }
    (range.start + 1..range.end.min(range.start + MAX_INTRODUCTION_WORDS))
        .find(|&i| matches!(keys[i], "calling" | "phoning"))
}

/// When the reason starts with a lead-in said in other words ("can someone
/// come out" -> "someone to come out"), the words said instead of it and
/// how many keys it covers.
fn lead_in_kept(keys: &[&str], start: usize) -> Option<(&'static str, usize)> {
    LEAD_INS
        .iter()
        .filter(|(p, kept)| !kept.is_empty() && keys[start.min(keys.len())..].starts_with(p))
        .max_by_key(|(p, _)| p.len())
        .map(|(p, kept)| (*kept, p.len()))
}

/// The words as said, keeping the punctuation inside them ("3:30", "o'clock",
/// "$120") and dropping the fillers between them; honorifics and "I" in
/// capitals ("Dr Patel", "I'm").
fn phrase(text: &str, words: &[Word<'_>], prefix: Option<(&str, usize)>) -> String {
    let mut out = String::new();
    let mut words = words;
    if let Some((kept, covered)) = prefix {
        out.push_str(kept);
        words = &words[covered.min(words.len())..];
    }
    let mut previous: Option<&Word<'_>> = None;
    for word in words {
        let joined = match previous {
            Some(p) => joiner(&text[p.span.end..word.span.start]),
            None if out.is_empty() => String::new(),
            None => " ".to_string(),
        };
        let piece = capitalised(word, previous);
        if out.len() + joined.len() + piece.len() > MAX_REASON_CHARS.min(MAX_TEXT_CHARS) {
            break;
        }
        if !out.is_empty() {
            out.push_str(&joined);
        }
        out.push_str(&piece);
        previous = Some(word);
    }
    out
}

/// Punctuation kept between the words of a reason; markup and quotes are
/// not (the reason is read back and emailed as words).
const KEPT_MARKS: &[char] = &[',', ':', ';', '.', '$', '%', '-', '#', '+'];

/// What goes between two words: the punctuation said between them ("3:30",
/// "Patel, she", "the $120") or a space (also where a filler was dropped).
fn joiner(gap: &str) -> String {
    if gap.chars().any(char::is_alphanumeric) {
        return " ".to_string();
    }
    let marks: String = gap.chars().filter(|c| KEPT_MARKS.contains(c)).collect();
    if marks.is_empty() {
        return " ".to_string();
    }
    let before = if gap.starts_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    let after = if gap.ends_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    format!("{before}{marks}{after}")
}

fn capitalised(word: &Word<'_>, previous: Option<&Word<'_>>) -> String {
    let after_honorific = previous.is_some_and(|p| {
        matches!(
            p.key.as_str(),
            "dr" | "doctor" | "mr" | "mrs" | "ms" | "miss"
        ) && word.key.chars().all(char::is_alphabetic)
    });
    match word.key.as_str() {
        "dr" => "Dr".to_string(),
        "mr" => "Mr".to_string(),
        "mrs" => "Mrs".to_string(),
        "ms" => "Ms".to_string(),
        "i" => "I".to_string(),
        "im" | "ive" | "ill" | "id" if word.raw.starts_with("i'") || word.raw.starts_with("i’") =>
        {
            format!("I{}", &word.raw[1..])
        }
        _ if after_honorific => super::super::normalize::title_case(word.raw),
        _ => word.raw.to_string(),
    }
}
