//! Email addresses, written ("john.smith@gmail.com") or spoken ("john dot
//! smith at gmail dot com", "j o h n at example dot co dot uk").

use std::ops::Range;

use crate::conversation::interpretation::Expecting;

/// The first email address in `text`, lower-case. With `Expecting::Email`
/// every word before "at" may belong to the address ("jane doe at ..." ->
/// `janedoe@...`); otherwise only the word right before it, spelled letters
/// and words joined by "dot"/"underscore"/"dash".
pub fn extract_email(text: &str, expecting: Expecting) -> Option<String> {
    find_email(text, expecting == Expecting::Email).map(|(email, _)| email)
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Word(String),
    Sym(char),
}

/// Pieces with their byte range in the text.
fn pieces(text: &str) -> Vec<(Piece, Range<usize>)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let flush = |out: &mut Vec<(Piece, Range<usize>)>, s: usize, e: usize| {
        let word: String = text[s..e]
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        out.push((Piece::Word(word), s..e));
    };
    for (i, c) in text.char_indices() {
        // "it's" is one word, so that "it's j o h n" does not spell "sjohn".
        if c.is_alphanumeric() || (start.is_some() && (c == '\'' || c == '’')) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            flush(&mut out, s, i);
        }
        if matches!(c, '.' | '@' | '_' | '-' | '+') {
            out.push((Piece::Sym(c), i..i + c.len_utf8()));
        } else if !c.is_whitespace() && c != '\'' && c != '’' {
            // Other punctuation breaks an address apart.
            out.push((Piece::Sym(','), i..i + c.len_utf8()));
        }
        if out.len() > 400 {
            return out;
        }
    }
    if let Some(s) = start {
        flush(&mut out, s, text.len());
    }
    spoken_symbols(out)
}

/// "dot" -> '.', "at" / "at sign" -> '@', "underscore" -> '_', "dash" -> '-'.
fn spoken_symbols(pieces: Vec<(Piece, Range<usize>)>) -> Vec<(Piece, Range<usize>)> {
    let mut out: Vec<(Piece, Range<usize>)> = Vec::with_capacity(pieces.len());
    let mut iter = pieces.into_iter().peekable();
    while let Some((piece, span)) = iter.next() {
        let Piece::Word(word) = &piece else {
            out.push((piece, span));
            continue;
        };
        let sym = match word.as_str() {
            "dot" | "period" | "point" => '.',
            "underscore" => '_',
            "dash" | "hyphen" | "minus" => '-',
            "at" => {
                if let Some((Piece::Word(next), _)) = iter.peek()
                    && matches!(next.as_str(), "sign" | "symbol")
                {
                    iter.next();
                }
                '@'
            }
            _ => {
                out.push((piece, span));
                continue;
            }
        };
        out.push((Piece::Sym(sym), span));
    }
    out
}

/// Words that end the local part when read backwards from "at".
const LOCAL_STOP: &[&str] = &[
    "is", "email", "mail", "address", "my", "me", "it", "its", "to", "and", "the", "um", "uh",
    "be", "was", "at", "there", "here", "home", "work", "office", "you", "we", "us", "them", "him",
    "her", "i", "im", "meet", "see", "call", "reach", "send", "arrive", "get", "be", "by", "or",
    "on", "in", "yes", "yeah", "sure", "ok", "okay", "so", "that", "this", "thats", "number",
    "name", "use", "try", "write", "of", "for", "from", "your",
];

/// Top-level domains accepted in spoken addresses, where "at" is too common
/// a word to trust on its own.
const SPOKEN_TLDS: &[&str] = &[
    "com", "net", "org", "edu", "gov", "io", "co", "uk", "us", "ca", "au", "nz", "ie", "de", "fr",
    "es", "it", "nl", "info", "biz", "me", "ai", "app", "dev", "mil", "in", "mx", "br", "jp", "ch",
    "se", "no", "dk", "be",
];

pub(crate) fn find_email(text: &str, lenient: bool) -> Option<(String, Range<usize>)> {
    let pieces = pieces(text);
    for (at, (piece, _)) in pieces.iter().enumerate() {
        if *piece != Piece::Sym('@') {
            continue;
        }
        let written = text[pieces[at].1.clone()].starts_with('@');
        let Some((local, first)) = local_part(&pieces, at, lenient || written) else {
            continue;
        };
        let Some((domain, last)) = domain_part(&pieces, at) else {
            continue;
        };
        let email = format!("{local}@{domain}");
        let tld = domain.rsplit('.').next().unwrap_or_default();
        if !is_valid_email(&email) || (!written && !SPOKEN_TLDS.contains(&tld)) {
            continue;
        }
        return Some((email, pieces[first].1.start..pieces[last].1.end));
    }
    None
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
                let accepted = if spelling && letter {
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
