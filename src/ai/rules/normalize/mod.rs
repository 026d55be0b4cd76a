//! Turning raw speech-recognition text into words the rules can match:
//! control characters out, fillers out, lower-case keys, light stemming.

use std::ops::Range;

mod numbers;

pub(crate) use numbers::{is_number_word, number_unit, spoken_digits};

/// `Interpretation::text` and everything the rules read is capped here, so a
/// pathological request cannot make a turn slow.
pub(crate) const MAX_TEXT_CHARS: usize = 500;
const MAX_WORDS: usize = 150;

/// The caller's words trimmed, whitespace collapsed, control characters
/// removed and capped at [`MAX_TEXT_CHARS`] characters.
pub(crate) fn clean_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_TEXT_CHARS * 2));
    let mut count = 0;
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if c.is_control() || is_invisible(c) {
            continue;
        }
        if pending_space && !out.is_empty() {
            if count + 1 >= MAX_TEXT_CHARS {
                break;
            }
            out.push(' ');
            count += 1;
        }
        pending_space = false;
        if count >= MAX_TEXT_CHARS {
            break;
        }
        out.push(c);
        count += 1;
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// One spoken word: `raw` as written (inner apostrophes kept), `key` lower-case
/// alphanumerics only ("It's" -> "its"), `stem` the key without its plural.
#[derive(Debug, Clone)]
pub(crate) struct Word<'a> {
    pub raw: &'a str,
    pub key: String,
    pub stem: String,
    /// Byte range of `raw` in the text it came from.
    pub span: Range<usize>,
    /// Punctuation right after the word (",", ".", "?"...) ends a clause.
    pub clause_end: bool,
}

const FILLERS: &[&str] = &[
    "um", "umm", "uh", "uhm", "er", "erm", "hmm", "hm", "ah", "eh", "mm", "mmm",
];
/// "like" is a filler unless it follows one of these ("I'd like", "would like").
const LIKE_KEEPERS: &[&str] = &[
    "id", "would", "i", "you", "we", "they", "youd", "wed", "theyd", "look", "looks", "feel",
    "feels", "dont", "do", "not", "wouldnt", "just",
];
/// "you know" is a filler unless it is asked ("do you know if...").
const KNOW_KEEPERS: &[&str] = &["do", "did", "would", "dont", "if", "will", "could", "let"];
/// Two spoken words that are one word ("e mail", "walk in").
const COMPOUNDS: &[(&str, &str, &str)] = &[
    ("e", "mail", "email"),
    ("web", "site", "website"),
    ("walk", "in", "walkin"),
    ("walk", "ins", "walkin"),
    ("check", "up", "checkup"),
    ("x", "ray", "xray"),
    ("x", "rays", "xray"),
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’'
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Splits `text` into words, dropping fillers ("um", "uh", filler "like",
/// "you know") and joining spoken compounds ("e mail" -> "email").
pub(crate) fn words(text: &str) -> Vec<Word<'_>> {
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            spans.push(s..i);
        }
        if spans.len() >= MAX_WORDS * 2 {
            break;
        }
    }
    if let Some(s) = start {
        spans.push(s..text.len());
    }

    let mut all: Vec<Word<'_>> = Vec::with_capacity(spans.len());
    for span in spans {
        let raw = text[span.clone()].trim_matches(is_apostrophe);
        if raw.is_empty() {
            continue;
        }
        let offset = raw.as_ptr() as usize - text.as_ptr() as usize;
        let span = offset..offset + raw.len();
        let key = key_of(raw);
        if key.is_empty() {
            continue;
        }
        let clause_end = text[span.end..]
            .chars()
            .find(|c| !c.is_whitespace() && !is_apostrophe(*c))
            .is_some_and(|c| matches!(c, '.' | ',' | '?' | '!' | ';' | ':'));
        let stem = plural_stem(&key);
        all.push(Word {
            raw,
            key,
            stem,
            span,
            clause_end,
        });
    }

    let mut kept: Vec<Word<'_>> = Vec::with_capacity(all.len());
    let mut i = 0;
    while i < all.len() && kept.len() < MAX_WORDS {
        let key = all[i].key.as_str();
        let next = all.get(i + 1).map(|w| w.key.as_str());
        if matches!(key, "uh" | "mm" | "um") && matches!(next, Some("huh" | "hmm")) {
            let mut w = all[i].clone();
            w.key = "uhhuh".into();
            w.stem = "uhhuh".into();
            w.span = w.span.start..all[i + 1].span.end;
            w.raw = &text[w.span.clone()];
            kept.push(w);
            i += 2;
            continue;
        }
        if key == "mhm" || key == "mmhmm" {
            let mut w = all[i].clone();
            w.key = "uhhuh".into();
            w.stem = "uhhuh".into();
            kept.push(w);
            i += 1;
            continue;
        }
        if FILLERS.contains(&key) {
            i += 1;
            continue;
        }
        let previous = kept.last().map(|w| w.key.as_str());
        if key == "like" && !previous.is_some_and(|p| LIKE_KEEPERS.contains(&p)) {
            i += 1;
            continue;
        }
        if key == "you"
            && next == Some("know")
            && !previous.is_some_and(|p| KNOW_KEEPERS.contains(&p))
        {
            i += 2;
            continue;
        }
        if let Some(next_word) = all.get(i + 1)
            && let Some((_, _, joined)) = COMPOUNDS
                .iter()
                .find(|(a, b, _)| *a == key && *b == next_word.key)
        {
            let span = all[i].span.start..next_word.span.end;
            kept.push(Word {
                raw: &text[span.clone()],
                key: (*joined).to_string(),
                stem: (*joined).to_string(),
                span,
                clause_end: next_word.clause_end,
            });
            i += 2;
            continue;
        }
        kept.push(all[i].clone());
        i += 1;
    }
    kept
}

fn key_of(raw: &str) -> String {
    let mut key = String::with_capacity(raw.len());
    for c in raw.chars().filter(|c| c.is_alphanumeric()) {
        key.extend(c.to_lowercase());
    }
    key
}

/// Words that end in "s" without being plurals (contractions keep their "s").
#[rustfmt::skip]
const NOT_PLURAL: &[&str] = &[
    "thats", "whats", "its", "lets", "theres", "heres", "wheres", "whos", "hows", "hes", "shes", "this", "was",
    "has", "does", "yes", "plus", "his", "hers", "ours", "yours", "theirs", "always", "perhaps", "sometimes",
    "less", "news", "series", "whereas", "names", "physics", "diabetes", "lens", "atlas", "christmas", "chaos",
    "canvas", "bias", "alias", "thanks",
];

/// "appointments" -> "appointment", "hours" -> "hour", "batteries" -> "battery".
pub(crate) fn plural_stem(key: &str) -> String {
    if key.len() <= 3 || !key.ends_with('s') || NOT_PLURAL.contains(&key) {
        return key.to_string();
    }
    if let Some(base) = key.strip_suffix("ies") {
        if base.len() >= 2 {
            return format!("{base}y");
        }
        return key.to_string();
    }
    if key.ends_with("sses")
        || ["ches", "shes", "xes", "zes"]
            .iter()
            .any(|s| key.ends_with(s))
    {
        return key[..key.len() - 2].to_string();
    }
    if key.ends_with("ss") || key.ends_with("us") || key.ends_with("is") {
        return key.to_string();
    }
    key[..key.len() - 1].to_string()
}

/// A matching term for department names and keywords: synonyms folded to one
/// word, then plural, "-ing" and "-ed" endings and a final "e" removed, so
/// "cleaning"/"cleaned"/"cleans" meet. (Knowledge retrieval has its own
/// analysis, in `knowledge::lexicon`.)
pub(crate) fn term(key: &str) -> String {
    if let Some(canonical) = synonym(key) {
        return canonical.to_string();
    }
    let plural = plural_stem(key);
    if let Some(canonical) = synonym(&plural) {
        return canonical.to_string();
    }
    let mut s = plural;
    if s.len() >= 6 && s.ends_with("ing") {
        s.truncate(s.len() - 3);
        undouble(&mut s);
    } else if s.len() >= 5 && s.ends_with("ed") && !s.ends_with("eed") {
        s.truncate(s.len() - 2);
        undouble(&mut s);
    }
    if let Some(canonical) = synonym(&s) {
        return canonical.to_string();
    }
    if s.len() > 4 && s.ends_with('e') {
        s.pop();
    }
    s
}

fn undouble(s: &mut String) {
    let bytes = s.as_bytes();
    if bytes.len() >= 2 {
        let last = bytes[bytes.len() - 1];
        if last == bytes[bytes.len() - 2]
            && last.is_ascii_lowercase()
            && !b"aeioulsz".contains(&last)
        {
            s.pop();
        }
    }
}

/// A deliberately small table: words callers use for the same thing.
#[rustfmt::skip]
const SYNONYMS: &[(&str, &[&str])] = &[
    ("price", &["cost", "costs", "price", "prices", "pricing", "priced", "fee", "fees", "charge", "charges", "rate", "rates", "expensive", "cheap"]),
    ("appointment", &["appointment", "appt", "booking", "reservation", "consultation", "consult"]),
    ("book", &["book", "schedule", "scheduling", "reserve"]),
    ("walkin", &["walkin", "walkins"]),
    ("hour", &["hour", "open", "opening", "opened", "closing", "closed"]),
    ("insurance", &["insurance", "insured", "insurer", "insurers", "coverage"]),
    ("cancel", &["cancel", "cancelled", "canceled", "cancellation", "cancelling", "canceling", "reschedule", "rescheduling", "rescheduled"]),
    ("accept", &["accept", "take", "takes", "taking", "took"]),
    ("repair", &["repair", "fix", "fixes", "fixing", "fixed", "mend"]),
    ("address", &["address", "location", "located", "direction", "directions"]),
    ("park", &["park", "parking", "parked"]),
    ("pay", &["pay", "paying", "payment", "paid"]),
    ("child", &["kid", "kids", "child", "children"]),
    ("tooth", &["teeth", "tooth"]),
    ("quote", &["quote", "quotes", "estimate", "estimates", "quotation"]),
    ("leak", &["leak", "leaking", "leaky", "drip", "dripping"]),
    ("clog", &["clog", "clogged", "blocked", "blockage"]),
    ("warranty", &["warranty", "warranties", "guarantee", "guarantees", "guaranteed"]),
    ("install", &["install", "installation", "installing", "installed"]),
    ("emergency", &["emergency", "emergencies", "urgent"]),
];

fn synonym(word: &str) -> Option<&'static str> {
    SYNONYMS
        .iter()
        .find(|(_, variants)| variants.contains(&word))
        .map(|(canonical, _)| *canonical)
}

/// Finds `phrase` as consecutive stems; returns the index of its first word.
pub(crate) fn find_phrase(stems: &[&str], phrase: &[&str]) -> Option<usize> {
    if phrase.is_empty() || phrase.len() > stems.len() {
        return None;
    }
    stems.windows(phrase.len()).position(|w| w == phrase)
}

pub(crate) fn has_any(stems: &[&str], phrases: &[&[&str]]) -> bool {
    phrases.iter().any(|p| find_phrase(stems, p).is_some())
}

/// Title-cases a name word unless the caller (or the recogniser) already
/// mixed the case on purpose ("McDonald").
pub(crate) fn title_case(raw: &str) -> String {
    let has_lower = raw.chars().any(char::is_lowercase);
    let has_upper = raw.chars().any(char::is_uppercase);
    if has_lower && has_upper && raw.chars().next().is_some_and(char::is_uppercase) {
        return raw.replace('’', "'");
    }
    let mut out = String::with_capacity(raw.len());
    let mut capitalise = true;
    for c in raw.chars() {
        let c = if c == '’' { '\'' } else { c };
        if capitalise {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        capitalise = c == '-' || c == '\'';
    }
    out
}
