//! Phone numbers as callers say them: "555-123-4567", "(555) 123 4567",
//! "five five five one two three four five six seven", "oh" for zero,
//! "double five", "triple oh", "plus one", "eight hundred", "area code 503
//! then 555 0142", a number corrected in the same breath ("... 0142, no
//! sorry, 0149"), and a part of the number on file corrected ("the last four
//! are 0199").

use std::ops::Range;

mod correction;
mod format;

use correction::{Part, corrected_part, part_named, patch, replace_part};
use format::format_phone;

use super::normalize::{Word, has_any, number_unit, words};

/// Fewer digits than this is a time, a count or a house number, not a phone.
const MIN_DIGITS: usize = 7;
/// E.164 allows at most 15 digits.
const MAX_DIGITS: usize = 15;
/// Digits of a North American number without its country code.
const NANP_DIGITS: usize = 10;

/// The first phone number in `text`: E.164 (`+15551234567`) when it is a
/// whole number for its country (a spoken "+"/"plus", or `country_code`),
/// otherwise the bare digits heard, which the conversation asks again for.
pub fn extract_phone(text: &str, country_code: u16) -> Option<String> {
    let listening = Listening::default();
    find_phone(text, &words(text), country_code, listening).map(|(phone, _)| phone)
}

/// How a number is listened for.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Listening<'a> {
    /// A number was asked for: a few digits ("503 555") are an attempt at
    /// one, given back as bare digits so the caller is asked for the rest.
    pub asked: bool,
    /// The number already taken down: "the last four are 0199" or "no, it
    /// ends in 0149" changes that part of it.
    pub previous: Option<&'a str>,
}

/// Fewest digits of an attempt at a number when one was asked for.
const MIN_ASKED_DIGITS: usize = 3;

/// Like [`extract_phone`], also giving the range of `words` the number used.
pub(crate) fn find_phone(
    text: &str,
    words: &[Word<'_>],
    country_code: u16,
    listening: Listening<'_>,
) -> Option<(String, Range<usize>)> {
    let runs = digit_runs(text, words);
    let previous = listening.previous;
    let whole = whole_number(words, &runs, country_code);
    let whole = whole.or_else(|| {
        if !listening.asked || previous.is_some() {
            return None;
        }
        let (number, _) = (0..runs.len())
            .map(|i| assemble(words, &runs, i))
            .max_by_key(|(n, _)| n.digits.len())?;
        (number.digits.len() >= MIN_ASKED_DIGITS).then_some((number.digits, number.words))
    });
    match (whole, previous) {
        // "No, it's 555 0199": a local number keeps the area code on file.
        (Some((phone, range)), Some(previous))
            if phone.len() == MIN_DIGITS && !phone.starts_with('+') =>
        {
            let kept = patch(previous, &phone, Part::Tail, country_code);
            Some((kept.unwrap_or(phone), range))
        }
        (Some(found), _) => Some(found),
        (None, Some(previous)) => corrected_part(words, &runs, previous, country_code),
        (None, None) => None,
    }
}

/// "This number", "the one I'm calling from", "same as caller ID": the
/// caller wants to be called back on the line they are calling from.
pub(crate) fn means_this_number(stems: &[&str]) -> bool {
    has_any(
        stems,
        &[
            &["this", "number"],
            &["this", "phone"],
            &["this", "one"],
            &["this", "cell"],
            &["this", "line"],
            &["calling", "from"],
            &["calling", "on"],
            &["called", "from"],
            &["call", "from"],
            &["same", "number"],
            &["same", "one"],
            &["caller", "id"],
            &["number", "you", "have"],
            &["number", "that", "came", "up"],
            &["number", "that", "shows"],
            &["number", "showing"],
            &["on", "your", "screen"],
            &["same", "as", "the", "one"],
            &["one", "you", "have"],
            &["number", "on", "file"],
            &["one", "on", "file"],
        ],
    )
}

struct DigitRun {
    digits: String,
    plus: bool,
    words: Range<usize>,
}

fn is_numeral(key: &str) -> bool {
    key.bytes().all(|b| b.is_ascii_digit())
}

/// Separator text between two words that may still belong to one number.
fn joins_number(gap: &str, digits_so_far: usize) -> bool {
    gap.chars().all(|c| match c {
        ' ' | '-' | '.' | '(' | ')' | '/' | '+' | '–' | '—' => true,
        ',' => digits_so_far < MIN_DIGITS,
        _ => false,
    })
}

/// Every run of digits in the utterance, in order.
fn digit_runs(text: &str, words: &[Word<'_>]) -> Vec<DigitRun> {
    let keys: Vec<&str> = words.iter().map(|w| w.key.as_str()).collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match digit_run(text, words, &keys, i) {
            Some(run) => {
                i = run.words.end.max(i + 1);
                runs.push(run);
            }
            None => i += 1,
        }
    }
    runs
}

/// Reads digits starting at word `start`: numerals, spoken digits,
/// multipliers and "plus". Returns `None` when no digit starts there.
fn digit_run(text: &str, words: &[Word<'_>], keys: &[&str], start: usize) -> Option<DigitRun> {
    // "The last four are ...", "the first 3": a count of digits, not digits.
    if start > 0
        && matches!(
            keys[start - 1],
            "last" | "first" | "final" | "middle" | "next"
        )
    {
        return None;
    }
    let mut digits = String::new();
    let mut plus = false;
    let mut i = start;
    let mut last_end: Option<usize> = None;
    while i < words.len() && digits.len() <= MAX_DIGITS + 4 {
        let word = &words[i];
        if let Some(prev_end) = last_end
            && !joins_number(&text[prev_end..word.span.start], digits.len())
        {
            break;
        }
        let key = keys[i];
        let next_is_digit = keys
            .get(i + 1)
            .is_some_and(|n| number_unit(&[n]).is_some() || is_numeral(n));
        let consumed = if key == "plus" && digits.is_empty() && next_is_digit {
            plus = true;
            1
        } else if digits.is_empty()
            && matches!(key, "oh" | "o")
            && keys
                .get(i + 1)
                .is_none_or(|n| number_unit(&[n]).is_none() && !is_numeral(n))
        {
            // A lone "oh" before anything else is an exclamation, not a zero.
            break;
        } else if is_numeral(key) {
            if digits.is_empty() && text[..word.span.start].trim_end().ends_with('+') {
                plus = true;
            }
            digits.push_str(key);
            1
        } else if let Some((unit, used)) = number_unit(&keys[i..]) {
            digits.push_str(&unit);
            used
        } else if key == "hundred" && !digits.is_empty() {
            digits.push_str("00");
            1
        } else if key == "thousand" && !digits.is_empty() {
            digits.push_str("000");
            1
        } else if matches!(key, "dash" | "hyphen") && !digits.is_empty() {
            1
        } else {
            break;
        };
        last_end = Some(words[i + consumed - 1].span.end);
        i += consumed;
    }
    if digits.is_empty() {
        return None;
    }
    Some(DigitRun {
        digits,
        plus,
        words: start..i,
    })
}

/// Words between two digit runs of one number ("area code 503 then 555
/// 0142", "503, and then 555...").
const JOINERS: &[&str] = &[
    "then", "and", "area", "code", "is", "its", "the", "rest", "number", "dash", "hyphen", "after",
    "that", "followed", "by", "so", "ok", "okay", "space", "um", "uh",
];
/// Words by which a caller takes back digits just said.
const TAKE_BACKS: &[&str] = &[
    "no",
    "sorry",
    "wait",
    "mean",
    "actually",
    "oops",
    "correction",
    "scratch",
    "rather",
    "not",
    "meant",
    "make",
];
/// A number assembled from one or more runs.
struct Spoken {
    digits: String,
    plus: bool,
    words: Range<usize>,
}

/// Joins runs from `first` while the words between them only link parts
/// of one number; returns the number and the index of the next run.
fn assemble(words: &[Word<'_>], runs: &[DigitRun], first: usize) -> (Spoken, usize) {
    let run = &runs[first];
    let mut spoken = Spoken {
        digits: run.digits.clone(),
        plus: run.plus,
        words: run.words.clone(),
    };
    let mut next = first + 1;
    while let Some(run) = runs.get(next) {
        let gap = &words[spoken.words.end..run.words.start];
        let linked = gap.iter().all(|w| JOINERS.contains(&w.key.as_str()));
        let combined = spoken.digits.len() + run.digits.len();
        if !linked || spoken.digits.len() >= NANP_DIGITS || combined > MAX_DIGITS {
            break;
        }
        spoken.digits.push_str(&run.digits);
        spoken.words.end = run.words.end;
        next += 1;
    }
    (spoken, next)
}

/// The first whole number said (at least [`MIN_DIGITS`] digits), with any
/// digits the caller took back right after it replaced.
fn whole_number(
    words: &[Word<'_>],
    runs: &[DigitRun],
    country_code: u16,
) -> Option<(String, Range<usize>)> {
    let mut i = 0;
    while i < runs.len() {
        let (mut number, mut next) = assemble(words, runs, i);
        if number.digits.len() < MIN_DIGITS {
            i = next;
            continue;
        }
        while next < runs.len() {
            let gap: Vec<&str> = words[number.words.end..runs[next].words.start]
                .iter()
                .map(|w| w.key.as_str())
                .collect();
            if !gap.iter().any(|k| TAKE_BACKS.contains(k)) {
                break;
            }
            let (again, after) = assemble(words, runs, next);
            let digits = if again.digits.len() >= MIN_DIGITS {
                Some(again.digits.clone())
            } else {
                let part = part_named(&gap).unwrap_or(Part::Tail);
                replace_part(&number.digits, &again.digits, part)
            };
            let Some(digits) = digits else { break };
            tracing::debug!(
                rule = "phone.take_back",
                "digits corrected in the same breath"
            );
            number = Spoken {
                digits,
                plus: number.plus || again.plus,
                words: number.words.start..again.words.end,
            };
            next = after;
        }
        let phone = format_phone(&number.digits, number.plus, country_code)?;
        return Some((phone, number.words));
    }
    None
}
