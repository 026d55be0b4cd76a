//! An utterance as the pieces of an address: words (spoken numbers as
//! digits, providers the recogniser split rejoined, asides like "all one
//! word" dropped) and symbols ("dot" -> '.', "at sign" -> '@').

use std::ops::Range;

use super::super::normalize::spoken_digits;

/// A word of an address, or a symbol between words.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Piece {
    Word(String),
    Sym(char),
}

/// Pieces with their byte range in the text.
pub(super) fn pieces(text: &str) -> Vec<(Piece, Range<usize>)> {
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
    spoken_numbers(joined_providers(without_asides(spoken_symbols(out))))
}

/// Asides about how the address is written ("all one word", "lowercase")
/// that are not part of it.
const ASIDES: &[&[&str]] = &[
    &["all", "one", "word"],
    &["one", "word"],
    &["all", "lowercase"],
    &["all", "lower", "case"],
    &["lower", "case"],
    &["lowercase"],
    &["no", "spaces"],
    &["no", "space"],
    &["all", "small", "letters"],
    &["small", "letters"],
];

fn without_asides(pieces: Vec<(Piece, Range<usize>)>) -> Vec<(Piece, Range<usize>)> {
    let mut out = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        let aside = ASIDES.iter().find(|aside| {
            aside.iter().enumerate().all(
                |(k, word)| matches!(pieces.get(i + k), Some((Piece::Word(w), _)) if w == word),
            )
        });
        match aside {
            Some(aside) => i += aside.len(),
            None => {
                out.push(pieces[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// Mail providers speech recognition splits in two ("g mail", "hot mail").
const SPLIT_PROVIDERS: &[(&str, &str)] = &[
    ("g", "mail"),
    ("hot", "mail"),
    ("out", "look"),
    ("i", "cloud"),
    ("y", "mail"),
    ("proton", "mail"),
    ("ya", "hoo"),
];

fn joined_providers(pieces: Vec<(Piece, Range<usize>)>) -> Vec<(Piece, Range<usize>)> {
    let mut out: Vec<(Piece, Range<usize>)> = Vec::with_capacity(pieces.len());
    for (piece, span) in pieces {
        let after_at = out.len() >= 2 && out[out.len() - 2].0 == Piece::Sym('@');
        if let (Piece::Word(second), Some((Piece::Word(first), first_span))) =
            (&piece, out.last_mut())
            && after_at
            && SPLIT_PROVIDERS.contains(&(first.as_str(), second.as_str()))
        {
            first.push_str(second);
            first_span.end = span.end;
            continue;
        }
        out.push((piece, span));
    }
    out
}

/// Runs of number words become their digits ("twenty one" -> "21", "double
/// oh seven" -> "007"). A lone "o"/"oh" stays a letter ("j o h n").
fn spoken_numbers(pieces: Vec<(Piece, Range<usize>)>) -> Vec<(Piece, Range<usize>)> {
    let mut out = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        let keys: Vec<&str> = pieces[i..]
            .iter()
            .map_while(|(piece, _)| match piece {
                Piece::Word(w) => Some(w.as_str()),
                Piece::Sym(_) => None,
            })
            .collect();
        match spoken_digits(&keys) {
            Some((digits, used)) if !keys[..used].iter().all(|k| matches!(*k, "o" | "oh")) => {
                let span = pieces[i].1.start..pieces[i + used - 1].1.end;
                out.push((Piece::Word(digits), span));
                i += used;
            }
            _ => {
                out.push(pieces[i].clone());
                i += 1;
            }
        }
    }
    out
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
