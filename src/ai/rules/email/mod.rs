//! Email addresses, written ("john.smith@gmail.com") or spoken ("john dot
//! smith at gmail dot com", "j o h n at example dot co dot uk", "sam lee
//! twenty one at yahoo" -> samlee21@yahoo.com), corrected in the same breath
//! ("j smith at gmail, no sorry, jay smith at gmail dot com"), or declined.

use std::ops::Range;

mod declines;
mod pieces;

pub(crate) use declines::declines;
use pieces::{Piece, pieces};

use crate::conversation::interpretation::Expecting;

/// The first email address in `text`, lower-case. With `Expecting::Email`
/// every word before "at" may belong to the address ("jane doe at ..." ->
/// `janedoe@...`); otherwise only the word right before it, spelled letters
/// and words joined by "dot"/"underscore"/"dash".
pub fn extract_email(text: &str, expecting: Expecting) -> Option<String> {
    find_email(text, expecting == Expecting::Email).map(|(email, _)| email)
}

/// Words that end the local part when read backwards from "at".
const LOCAL_STOP: &[&str] = &[
    "is",
    "email",
    "mail",
    "address",
    "my",
    "me",
    "it",
    "its",
    "to",
    "and",
    "the",
    "um",
    "uh",
    "be",
    "was",
    "at",
    "there",
    "here",
    "home",
    "work",
    "office",
    "you",
    "we",
    "us",
    "them",
    "him",
    "her",
    "i",
    "im",
    "meet",
    "see",
    "call",
    "reach",
    "send",
    "arrive",
    "get",
    "be",
    "by",
    "or",
    "on",
    "in",
    "yes",
    "yeah",
    "sure",
    "ok",
    "okay",
    "so",
    "that",
    "this",
    "thats",
    "number",
    "name",
    "use",
    "try",
    "write",
    "of",
    "for",
    "from",
    "your",
    "no",
    "sorry",
    "wait",
    "mean",
    "actually",
    "oops",
    "correction",
    "scratch",
    "not",
    "nope",
];

/// Words by which a caller takes back what they just said.
const TAKE_BACKS: &[&str] = &[
    "no",
    "sorry",
    "wait",
    "mean",
    "actually",
    "oops",
    "correction",
    "scratch",
    "nope",
];

/// Providers said without their ending ("jsmith at gmail").
const PROVIDER_ENDINGS: &[(&str, &str)] = &[
    ("gmail", "com"),
    ("googlemail", "com"),
    ("yahoo", "com"),
    ("ymail", "com"),
    ("hotmail", "com"),
    ("outlook", "com"),
    ("icloud", "com"),
    ("aol", "com"),
    ("protonmail", "com"),
    ("comcast", "net"),
    ("verizon", "net"),
    ("sbcglobal", "net"),
    ("bellsouth", "net"),
];

/// Top-level domains accepted in spoken addresses, where "at" is too common
/// a word to trust on its own.
const SPOKEN_TLDS: &[&str] = &[
    "com", "net", "org", "edu", "gov", "io", "co", "uk", "us", "ca", "au", "nz", "ie", "de", "fr",
    "es", "it", "nl", "info", "biz", "me", "ai", "app", "dev", "mil", "in", "mx", "br", "jp", "ch",
    "se", "no", "dk", "be",
];

/// An address found, with the pieces it used.
struct Found {
    local: String,
    domain: String,
    pieces: Range<usize>,
}

/// The address in `text`: the first one, or the last when the caller took
/// one back ("... no sorry, jay smith at gmail dot com"); a local part said
/// again after a take-back keeps the domain ("jsmith at gmail dot com, no
/// wait, jay smith").
pub(crate) fn find_email(text: &str, lenient: bool) -> Option<(String, Range<usize>)> {
    let pieces = pieces(text);
    let mut found: Option<Found> = None;
    for (at, (piece, _)) in pieces.iter().enumerate() {
        if *piece != Piece::Sym('@') {
            continue;
        }
        let Some(address) = address_at(text, &pieces, at, lenient) else {
            continue;
        };
        match found.take() {
            Some(earlier) if !took_back(&pieces[earlier.pieces.end..address.pieces.start]) => {
                found = Some(earlier);
            }
            // The address taken back is part of the answer, not of a reason.
            Some(earlier) => {
                tracing::debug!(rule = "email.taken_back", "address said again");
                found = Some(Found {
                    pieces: earlier.pieces.start..address.pieces.end,
                    ..address
                });
            }
            None => found = Some(address),
        }
    }
    let mut found = found?;
    if let Some(local) = local_said_again(&pieces, found.pieces.end) {
        tracing::debug!(rule = "email.local_said_again", "local part corrected");
        found.local = local;
        found.pieces.end = pieces.len();
    }
    let email = format!("{}@{}", found.local, found.domain);
    let bytes = pieces[found.pieces.start].1.start..pieces[found.pieces.end - 1].1.end;
    is_valid_email(&email).then_some((email, bytes))
}

fn took_back(pieces: &[(Piece, Range<usize>)]) -> bool {
    pieces
        .iter()
        .any(|(p, _)| matches!(p, Piece::Word(w) if TAKE_BACKS.contains(&w.as_str())))
}

fn address_at(
    text: &str,
    pieces: &[(Piece, Range<usize>)],
    at: usize,
    lenient: bool,
) -> Option<Found> {
    let written = text[pieces[at].1.clone()].starts_with('@');
    let (local, first) = local_part(pieces, at, lenient || written)?;
    let (domain, last) = domain_part(pieces, at)?;
    let tld = domain.rsplit('.').next().unwrap_or_default();
    let email = format!("{local}@{domain}");
    if !is_valid_email(&email) || (!written && !SPOKEN_TLDS.contains(&tld)) {
        return None;
    }
    Some(Found {
        local,
        domain,
        pieces: first..last + 1,
    })
}

/// A local part said again after a take-back that follows the address,
/// with no new "at": "jsmith at gmail dot com, no wait, jay smith".
fn local_said_again(pieces: &[(Piece, Range<usize>)], after: usize) -> Option<String> {
    let rest = pieces.get(after..)?;
    let back = rest
        .iter()
        .rposition(|(p, _)| matches!(p, Piece::Word(w) if TAKE_BACKS.contains(&w.as_str())))?;
    if rest.iter().any(|(p, _)| *p == Piece::Sym('@')) {
        return None;
    }
    let (local, first) = local_part(pieces, pieces.len(), true)?;
    (first > after + back).then_some(local)
}

fn single_letter(word: &str) -> bool {
    word.chars().count() == 1
}

/// Most words a caller says before "at" in one address.
const MAX_LOCAL_WORDS: usize = 4;

/// Reads the local part backwards from the '@' at `at`; returns it with the
/// index of its first piece.
fn local_part(
    pieces: &[(Piece, Range<usize>)],
    at: usize,
    lenient: bool,
) -> Option<(String, usize)> {
    let mut parts: Vec<&str> = Vec::new();
    let mut first = at;
    let mut need_word = true;
    let mut spelling = false;
    let mut plain_words = 0;
    for i in (0..at).rev() {
        match &pieces[i].0 {
            Piece::Sym(c @ ('.' | '_' | '-' | '+')) if !need_word => {
                parts.push(sym_str(*c));
                need_word = true;
                spelling = false;
            }
            Piece::Word(w) => {
                let letter = single_letter(w);
                // "o b i": a letter spelled before another is no pronoun "i".
                let spelled_before = i > 0
                    && matches!(&pieces[i - 1].0, Piece::Word(before) if single_letter(before));
                let accepted = if letter && (spelling || spelled_before) {
                    true
                } else if LOCAL_STOP.contains(&w.as_str()) {
                    false
                } else {
                    need_word || (lenient && plain_words < MAX_LOCAL_WORDS)
                };
                if !accepted {
                    break;
                }
                if !letter {
                    plain_words += 1;
                }
                parts.push(w);
                need_word = false;
                spelling = letter;
            }
            Piece::Sym(_) => break,
        }
        first = i;
        if parts.len() > 64 {
            return None;
        }
    }
    if need_word && !parts.is_empty() {
        parts.pop();
        first += 1;
    }
    if parts.is_empty() {
        return None;
    }
    parts.reverse();
    Some((parts.concat(), first))
}

fn sym_str(c: char) -> &'static str {
    match c {
        '.' => ".",
        '_' => "_",
        '-' => "-",
        _ => "+",
    }
}

/// Reads one domain label at `i`: a word, or a run of spelled letters/digits.
fn label_at(pieces: &[(Piece, Range<usize>)], mut i: usize) -> Option<(String, usize)> {
    let mut label = String::new();
    while let Some((Piece::Word(w), _)) = pieces.get(i) {
        if !single_letter(w) {
            if label.is_empty() {
                return Some((w.clone(), i + 1));
            }
            break;
        }
        label.push_str(w);
        i += 1;
    }
    (!label.is_empty()).then_some((label, i))
}

/// Reads `label(.label)+` forwards from the '@' at `at`; returns the domain
/// with the index of its last piece.
fn domain_part(pieces: &[(Piece, Range<usize>)], at: usize) -> Option<(String, usize)> {
    let mut labels: Vec<String> = Vec::new();
    let mut i = at + 1;
    while let Some((mut label, mut next)) = label_at(pieces, i) {
        while let (Some((Piece::Sym('-'), _)), Some((more, after))) =
            (pieces.get(next), label_at(pieces, next + 1))
        {
            label.push('-');
            label.push_str(&more);
            next = after;
        }
        // "acme roofing dot com": a name said as words, when a dot follows.
        let words_before_dot = pieces[next.min(pieces.len())..]
            .iter()
            .take_while(|(p, _)| matches!(p, Piece::Word(_)))
            .count();
        let dot_follows = matches!(
            pieces.get(next + words_before_dot),
            Some((Piece::Sym('.'), _))
        );
        if dot_follows && words_before_dot <= 2 {
            while let Some((more, after)) =
                label_at(pieces, next).filter(|(_, a)| *a <= next + words_before_dot)
            {
                label.push_str(&more);
                next = after;
            }
        }
        labels.push(label);
        i = next;
        if labels.len() > 8 {
            return None;
        }
        match (pieces.get(i), pieces.get(i + 1)) {
            (Some((Piece::Sym('.'), _)), Some((Piece::Word(_), _))) => i += 1,
            _ => break,
        }
    }
    if labels.len() == 1
        && let Some((_, ending)) = PROVIDER_ENDINGS.iter().find(|(p, _)| *p == labels[0])
    {
        labels.push((*ending).to_string());
    }
    (labels.len() >= 2).then(|| (labels.join("."), i - 1))
}

/// `local@domain.tld`: a non-empty local part of letters, digits and
/// `._-+` (no leading, trailing or doubled dot), a domain of dot-separated
/// labels of letters, digits and inner hyphens, and an alphabetic TLD of 2+.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || domain.len() > 253 || email.len() > 254 {
        return false;
    }
    let local_ok = local
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-+".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let labels_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        });
    let tld_ok = labels
        .last()
        .is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_lowercase()));
    local_ok && labels_ok && tld_ok
}
