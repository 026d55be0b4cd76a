//! How the receptionist says things on the phone: numbers and emails in a form
//! that is easy to check by ear, business hours as a sentence, and the lead
//! read-back. Output is plain text (the TwiML renderer escapes it).

use super::interpretation::Details;
use super::profile::OpenSpan;

/// Longest piece of caller-provided text the receptionist repeats back.
pub const MAX_ECHOED_CHARS: usize = 200;

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Mail providers callers say as words ("gmail dot com") rather than spell.
const WELL_KNOWN_DOMAINS: [&str; 18] = [
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "ymail.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "gmx.com",
    "mail.com",
    "comcast.net",
    "att.net",
    "verizon.net",
];

/// Domain endings said as words ("dot com", "dot co dot uk").
const SPOKEN_DOMAIN_ENDINGS: [&str; 16] = [
    "com", "net", "org", "edu", "gov", "info", "biz", "io", "co", "us", "uk", "ca", "au", "de",
    "ie", "nz",
];

/// Caller-provided text, trimmed and cut at a word boundary so that what the
/// receptionist repeats stays short.
pub fn caller_text(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= MAX_ECHOED_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_ECHOED_CHARS).collect();
    let at_word = match cut.rfind(char::is_whitespace) {
        Some(space) if space > MAX_ECHOED_CHARS / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    at_word.trim_end().to_string()
}

/// Titles said before a surname ("Dr Chen").
const HONORIFICS: [&str; 5] = ["Mr", "Mrs", "Ms", "Miss", "Dr"];

/// How to address the caller in a friendly "Thanks, Jane.": the first name;
/// "Dr Chen" for a title; the whole name when it starts with an initial
/// ("J. R. Smith").
pub fn first_name(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [] => String::new(),
        [title, .., last] if HONORIFICS.contains(title) => caller_text(&format!("{title} {last}")),
        [first, ..] if first.ends_with('.') => caller_text(name),
        [first, ..] => caller_text(first),
    }
}

/// Digits as they are read out in a phone number, "oh" for zero.
const DIGIT_WORDS: [&str; 10] = [
    "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];

/// Reads a phone number digit by digit in groups, the way people say them
/// ("+15035550142" -> "five oh three, five five five, oh one four two"). The
/// North American +1 is not read; other international numbers start with
/// "plus".
pub fn phone_number(number: &str) -> String {
    let mut digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return caller_text(number);
    }
    let international = number.trim_start().starts_with('+');
    let mut prefix = "";
    if international {
        if digits.len() == 11 && digits[0] == '1' {
            digits.remove(0);
        } else {
            prefix = "plus ";
        }
    }
    let mut groups = Vec::new();
    let mut rest = digits.as_slice();
    for size in group_sizes(digits.len()) {
        let (group, tail) = rest.split_at(size.min(rest.len()));
        let said: Vec<&str> = group
            .iter()
            .filter_map(|d| d.to_digit(10))
            .map(|d| DIGIT_WORDS[d as usize])
            .collect();
        groups.push(said.join(" "));
        rest = tail;
    }
    format!("{prefix}{}", groups.join(", "))
}

/// Sizes of the digit groups: threes, ending with a group of four, the way
/// numbers are usually said (3-3-4 for a ten-digit number).
fn group_sizes(len: usize) -> Vec<usize> {
    match len {
        0..=4 => return vec![len],
        5 => return vec![2, 3],
        _ => {}
    }
    let mut rest = len - 4;
    let mut sizes = Vec::new();
    match rest % 3 {
        1 => {
            sizes.push(4);
            rest -= 4;
        }
        2 => {
            sizes.push(2);
            rest -= 2;
        }
        _ => {}
    }
    sizes.extend(std::iter::repeat_n(3, rest / 3));
    sizes.push(4);
    sizes
}

fn spaced(chars: impl Iterator<Item = char>) -> String {
    chars.map(String::from).collect::<Vec<_>>().join(" ")
}

/// Mailbox names said as words rather than spelled ("info at ...").
const MAILBOX_WORDS: [&str; 10] = [
    "info", "sales", "office", "contact", "hello", "admin", "support", "billing", "mail", "team",
];

/// Reads an email address so it can be checked by ear: well-known providers
/// and common mailbox names are said as words, everything else is spelled
/// in capitals (so "a" is read as the letter), digits one by one
/// ("jo.smith@gmail.com" -> "J O, dot, S M I T H, at gmail dot com").
pub fn email_address(address: &str) -> String {
    let address = caller_text(address).to_lowercase();
    let Some((local, domain)) = address.rsplit_once('@') else {
        return spell_label(&address);
    };
    let local = if MAILBOX_WORDS.contains(&local) {
        local.to_string()
    } else {
        spell_label(local)
    };
    format!("{local}, at {}", spoken_domain(domain))
}

fn spoken_domain(domain: &str) -> String {
    if WELL_KNOWN_DOMAINS.contains(&domain) {
        return domain.replace('.', " dot ");
    }
    let labels: Vec<&str> = domain.split('.').filter(|l| !l.is_empty()).collect();
    let spoken_from = labels
        .iter()
        .rposition(|label| !SPOKEN_DOMAIN_ENDINGS.contains(label))
        .map_or(0, |last_spelled| last_spelled + 1);
    let spelled: Vec<String> = labels[..spoken_from]
        .iter()
        .map(|label| spell_label(label))
        .collect();
    let ending: String = labels[spoken_from..]
        .iter()
        .map(|label| format!(" dot {label}"))
        .collect();
    match (spelled.is_empty(), ending.is_empty()) {
        (true, _) => ending.trim_start().to_string(),
        (false, true) => spelled.join(", dot, "),
        (false, false) => format!("{},{ending}", spelled.join(", dot, ")),
    }
}

/// Spells letters and digits one by one and names the punctuation between
/// them ("jo.smith" -> "j o, dot, s m i t h").
fn spell_label(label: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut run = String::new();
    for c in label.chars() {
        if c.is_alphanumeric() {
            run.extend(c.to_uppercase());
            continue;
        }
        if !run.is_empty() {
            parts.push(spaced(run.chars()));
            run.clear();
        }
        let word = match c {
            '.' => "dot".to_string(),
            '_' => "underscore".to_string(),
            '-' => "dash".to_string(),
            '+' => "plus".to_string(),
            c if c.is_whitespace() => continue,
            c => c.to_string(),
        };
        parts.push(word);
    }
    if !run.is_empty() {
        parts.push(spaced(run.chars()));
    }
    parts.join(", ")
}

/// Business hours as one or two sentences, e.g. "We're open Monday to Friday
/// from 8 AM to 5 PM, and Saturday from 9 AM to 1 PM. We're closed on Sunday."
pub fn business_hours(hours: &[Option<OpenSpan>; 7]) -> String {
    let mut open_runs: Vec<String> = Vec::new();
    let mut closed_days: Vec<&str> = Vec::new();
    let mut day = 0;
    while day < 7 {
        let Some(span) = hours[day] else {
            closed_days.push(WEEKDAYS[day]);
            day += 1;
            continue;
        };
        let mut last = day;
        while last + 1 < 7 && hours[last + 1] == Some(span) {
            last += 1;
        }
        open_runs.push(format!("{} {}", day_range(day, last), span_words(span)));
        day = last + 1;
    }
    if open_runs.is_empty() {
        return "I don't have our opening hours on file.".to_string();
    }
    // Each run is a clause with its own times, so two are still split by a comma.
    let runs = match open_runs.as_slice() {
        [first, second] => format!("{first}, and {second}"),
        runs => join_with_and(runs),
    };
    let mut sentence = format!("We're open {runs}.");
    if !closed_days.is_empty() {
        sentence.push_str(&format!(
            " We're closed on {}.",
            join_with_and(&closed_days)
        ));
    }
    sentence
}

fn day_range(first: usize, last: usize) -> String {
    match last - first {
        0 => WEEKDAYS[first].to_string(),
        6 => "every day".to_string(),
        1 => format!("{} and {}", WEEKDAYS[first], WEEKDAYS[last]),
        _ => format!("{} to {}", WEEKDAYS[first], WEEKDAYS[last]),
    }
}

fn span_words(span: OpenSpan) -> String {
    if span.open_minute == 0 && span.close_minute >= 24 * 60 {
        return "24 hours a day".to_string();
    }
    format!(
        "from {} to {}",
        time_of_day(span.open_minute),
        time_of_day(span.close_minute)
    )
}

/// "8 AM", "5:30 PM", "noon", "midnight".
pub fn time_of_day(minute_of_day: u16) -> String {
    let minute_of_day = minute_of_day % (24 * 60);
    let (hour, minute) = (minute_of_day / 60, minute_of_day % 60);
    match (hour, minute) {
        (0, 0) => return "midnight".to_string(),
        (12, 0) => return "noon".to_string(),
        _ => {}
    }
    let suffix = if hour < 12 { "AM" } else { "PM" };
    let hour12 = match hour % 12 {
        0 => 12,
        h => h,
    };
    if minute == 0 {
        format!("{hour12} {suffix}")
    } else {
        format!("{hour12}:{minute:02} {suffix}")
    }
}

/// "a", "a and b", "a, b, and c".
fn join_with_and<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [only] => only.as_ref().to_string(),
        [first, second] => format!("{} and {}", first.as_ref(), second.as_ref()),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{}, and {}", init.join(", "), last.as_ref())
        }
    }
}

/// A website as it is said: without the scheme, "www." or a trailing slash.
pub fn website(url: &str) -> String {
    let url = url.trim();
    let url = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let url = url.strip_prefix("www.").unwrap_or(url);
    caller_text(url.trim_end_matches('/'))
}

/// The message read back before the caller confirms it ("Let me read that
/// back: your name is Jane Doe, your number is 5 5 5, 1 2 3, 4 5 6 7, and
/// you're calling about a new roof.").
pub fn lead_read_back(lead: &Details) -> String {
    let mut parts = Vec::new();
    if let Some(name) = &lead.name {
        parts.push(format!("your name is {}", caller_text(name)));
    }
    if let Some(phone) = &lead.phone {
        parts.push(format!("your number is {}", phone_number(phone)));
    }
    if let Some(email) = &lead.email {
        parts.push(format!("your email is {}", email_address(email)));
    }
    if let Some(reason) = &lead.reason {
        parts.push(reason_read_back(reason));
    }
    if parts.is_empty() {
        return "I don't have any details for your message yet.".to_string();
    }
    format!("Let me read that back: {}.", join_with_and(&parts))
}

mod reason;

pub use reason::{names_only_recipient, reason_read_back};

#[cfg(test)]
#[path = "speech/tests.rs"]
mod tests;
