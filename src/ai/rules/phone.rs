//! Phone numbers as callers say them: "555-123-4567", "(555) 123 4567",
//! "five five five one two three four five six seven", "oh" for zero,
//! "double five", "triple oh", "plus one", "eight hundred".

use std::ops::Range;

use super::normalize::{Word, words};

/// Fewer digits than this is a time, a count or a house number, not a phone.
const MIN_DIGITS: usize = 7;
/// E.164 allows at most 15 digits.
const MAX_DIGITS: usize = 15;

/// The first phone number in `text`, E.164 (`+15551234567`) when the country
/// is known (a spoken "+"/"plus", or `country_code`), otherwise bare digits.
pub fn extract_phone(text: &str, country_code: u16) -> Option<String> {
    find_phone(text, &words(text), country_code).map(|(phone, _)| phone)
}

/// Like [`extract_phone`], also giving the range of `words` the number used.
pub(crate) fn find_phone(
    text: &str,
    words: &[Word<'_>],
    country_code: u16,
) -> Option<(String, Range<usize>)> {
    let mut i = 0;
    while i < words.len() {
        let Some(run) = digit_run(text, words, i) else {
            i += 1;
            continue;
        };
        let end = run.words.end;
        if let Some(phone) = format_phone(&run.digits, run.plus, country_code) {
            return Some((phone, run.words));
        }
        i = end.max(i + 1);
    }
    None
}

struct DigitRun {
    digits: String,
    plus: bool,
    words: Range<usize>,
}

fn spoken_digit(key: &str) -> Option<char> {
    Some(match key {
        "zero" | "oh" | "o" => '0',
        "one" => '1',
        "two" => '2',
        "three" => '3',
        "four" => '4',
        "five" => '5',
        "six" => '6',
        "seven" => '7',
        "eight" => '8',
        "nine" => '9',
        _ => return None,
    })
}

fn spoken_teen(key: &str) -> Option<&'static str> {
    Some(match key {
        "ten" => "10",
        "eleven" => "11",
        "twelve" => "12",
        "thirteen" => "13",
        "fourteen" => "14",
        "fifteen" => "15",
        "sixteen" => "16",
        "seventeen" => "17",
        "eighteen" => "18",
        "nineteen" => "19",
        _ => return None,
    })
}

fn spoken_tens(key: &str) -> Option<char> {
    Some(match key {
        "twenty" => '2',
        "thirty" => '3',
        "forty" => '4',
        "fifty" => '5',
        "sixty" => '6',
        "seventy" => '7',
        "eighty" => '8',
        "ninety" => '9',
        _ => return None,
    })
}

/// A single digit, spoken ("five") or written ("5").
fn one_digit(word: &Word<'_>) -> Option<char> {
    spoken_digit(&word.key).or_else(|| {
        let mut chars = word.key.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_digit() => Some(c),
            _ => None,
        }
    })
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

/// Reads digits starting at word `start`: numerals, spoken digits,
/// multipliers and "plus". Returns `None` when no digit starts there.
fn digit_run(text: &str, words: &[Word<'_>], start: usize) -> Option<DigitRun> {
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
        let key = word.key.as_str();
        let next = words.get(i + 1);
        let consumed = if key == "plus"
            && digits.is_empty()
            && next.is_some_and(|n| one_digit(n).is_some() || is_numeral(&n.key))
        {
            plus = true;
            1
        } else if digits.is_empty()
            && matches!(key, "oh" | "o")
            && next.is_none_or(|n| spoken_digit(&n.key).is_none())
        {
            // A lone "oh" before a number is an exclamation, not a zero.
            break;
        } else if is_numeral(key) {
            if digits.is_empty() && text[..word.span.start].trim_end().ends_with('+') {
                plus = true;
            }
            digits.push_str(key);
            1
        } else if let Some(d) = spoken_digit(key) {
            digits.push(d);
            1
        } else if let Some(teen) = spoken_teen(key) {
            digits.push_str(teen);
            1
        } else if let Some(tens) = spoken_tens(key) {
            digits.push(tens);
            match next
                .and_then(|n| spoken_digit(&n.key))
                .filter(|d| *d != '0')
            {
                Some(unit) => {
                    digits.push(unit);
                    2
                }
                None => {
                    digits.push('0');
                    1
                }
            }
        } else if matches!(key, "double" | "triple") {
            match next.and_then(one_digit) {
                Some(d) => {
                    let times = if key == "double" { 2 } else { 3 };
                    digits.extend(std::iter::repeat_n(d, times));
                    2
                }
                None => break,
            }
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

fn format_phone(digits: &str, plus: bool, country_code: u16) -> Option<String> {
    let n = digits.len();
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&n) {
        return None;
    }
    if plus {
        return Some(format!("+{digits}"));
    }
    let code = country_code.to_string();
    if country_code == 1 {
        if n == 10 && !digits.starts_with(['0', '1']) {
            return Some(format!("+1{digits}"));
        }
        if n == 11 && digits.starts_with('1') {
            return Some(format!("+{digits}"));
        }
    } else if country_code > 0 && digits.starts_with(&code) && n >= code.len() + 8 {
        return Some(format!("+{digits}"));
    }
    Some(digits.to_string())
}
