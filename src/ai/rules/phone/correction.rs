//! A number corrected in part: "the last four are 0199", "no, the area
//! code is 971", "it ends in 0149".

use std::ops::Range;

use super::format::format_phone;
use super::{DigitRun, NANP_DIGITS, TAKE_BACKS};
use crate::ai::rules::normalize::Word;

/// Words that say which part of a number a few digits replace.
const TAIL_CUES: &[&str] = &["last", "end", "ending", "ends", "final"];
const HEAD_CUES: &[&str] = &["area", "first", "start", "starts", "begins", "beginning"];
const MIDDLE_CUES: &[&str] = &["middle", "second", "exchange", "prefix"];

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Part {
    Head,
    Middle,
    Tail,
}

pub(super) fn part_named(keys: &[&str]) -> Option<Part> {
    let named = |cues: &[&str]| keys.iter().any(|k| cues.contains(k));
    if named(TAIL_CUES) {
        Some(Part::Tail)
    } else if named(MIDDLE_CUES) {
        Some(Part::Middle)
    } else if named(HEAD_CUES) {
        Some(Part::Head)
    } else {
        None
    }
}

/// A few digits that correct the number on file: "the last four are
/// 0199", "no, area code 971", "wait no it's 0149 at the end", "it's 555
/// 0199" (the area code kept).
pub(super) fn corrected_part(
    words: &[Word<'_>],
    runs: &[DigitRun],
    previous: &str,
    country_code: u16,
) -> Option<(String, Range<usize>)> {
    let keys: Vec<&str> = words.iter().map(|w| w.key.as_str()).collect();
    let run = runs.iter().find(|r| matches!(r.digits.len(), 3 | 4 | 6))?;
    let named = part_named(&keys);
    let took_back = keys.iter().any(|k| TAKE_BACKS.contains(k));
    let about_number = keys
        .iter()
        .any(|k| matches!(*k, "number" | "digit" | "digits" | "phone" | "numbers"));
    if named.is_none() && !took_back && !about_number {
        return None;
    }
    let part = match (named, run.digits.len()) {
        (Some(part), _) => part,
        (None, 4 | 6) => Part::Tail,
        (None, _) => return None,
    };
    let phone = patch(previous, &run.digits, part, country_code)?;
    tracing::debug!(
        rule = "phone.part_corrected",
        "part of the number on file corrected"
    );
    Some((phone, run.words.clone()))
}

/// The number on file with `digits` in place of its `part`.
pub(super) fn patch(previous: &str, digits: &str, part: Part, country_code: u16) -> Option<String> {
    let (prefix, national) = national_digits(previous, country_code)?;
    let national = replace_part(&national, digits, part)?;
    format_phone(
        &format!("{prefix}{national}"),
        !prefix.is_empty(),
        country_code,
    )
    .filter(|phone| phone.starts_with('+'))
}

/// Splits a number on file into its country prefix ("1" for `+1...`,
/// empty for bare digits) and the national digits.
fn national_digits(number: &str, country_code: u16) -> Option<(String, String)> {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let code = country_code.to_string();
    match digits.strip_prefix(&code) {
        Some(national) if number.trim_start().starts_with('+') => {
            Some((code.clone(), national.to_string()))
        }
        _ => Some((String::new(), digits)),
    }
}

/// `base` with the digits of `part` put in place of its head, middle
/// (3-3-4 numbers) or tail.
pub(super) fn replace_part(base: &str, digits: &str, part: Part) -> Option<String> {
    let (n, k) = (base.len(), digits.len());
    if k >= n {
        return None;
    }
    Some(match part {
        Part::Tail => format!("{}{digits}", &base[..n - k]),
        Part::Head => format!("{digits}{}", &base[k..]),
        Part::Middle if n == NANP_DIGITS && k == 3 => {
            format!("{}{digits}{}", &base[..3], &base[6..])
        }
        Part::Middle => return None,
    })
}
