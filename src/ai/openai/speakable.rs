//! What an LLM may say to a caller: plain words only (no markup, links,
//! markdown or symbols a voice cannot say), a few sentences long, and
//! nothing the business's own material does not say: every number in an
//! answer (a price, a time, a phone number) must be in the knowledge
//! entries it is grounded in or in the business's facts, and most of its
//! words must come from them. Rendering escapes it again for TwiML.

use std::collections::HashSet;

use crate::conversation::profile::TenantProfile;

/// Characters of a spoken answer: two or three sentences.
pub const ANSWER_CHARS: usize = 320;
/// Below this share of its content words found in its material, an answer
/// is about something else.
const ABOUT_SHARE: f32 = 0.4;

/// `text` made fit to be spoken, cut at a sentence end within `max`
/// characters; `None` when nothing speakable is left.
pub fn plain(text: &str, max: usize) -> Option<String> {
    let text = without_tags(text);
    let text = without_link_targets(&text);
    let mut kept = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let lower = word.to_lowercase();
        if lower.contains("://") || lower.starts_with("www.") || lower.starts_with("mailto:") {
            continue;
        }
        let word: String = word.chars().filter(|c| speakable_char(*c)).collect();
        if word.chars().any(char::is_alphanumeric) || matches!(word.as_str(), "-" | "&") {
            if !kept.is_empty() {
                kept.push(' ');
            }
            kept.push_str(&word);
        }
    }
    let kept = kept.trim();
    if !kept.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some(cut(kept, max))
}

fn speakable_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(
            c,
            '.' | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | '\''
                | '’'
                | '"'
                | '-'
                | '('
                | ')'
                | '$'
                | '%'
                | '&'
                | '/'
                | '@'
                | '+'
                | '€'
                | '£'
        )
}

/// Drops `<…>` tags (what looks like markup is never spoken) and any stray
/// angle bracket.
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        rest = match after.find('>') {
            Some(close) => &after[close + 1..],
            None => after,
        };
        out.push(' ');
    }
    out.push_str(rest);
    out.replace('>', " ")
}

/// `[words](target)` → `words`: the target is a link, never spoken.
fn without_link_targets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        rest = match after.find(')') {
            Some(close) => &after[close + 1..],
            None => after,
        };
    }
    out.push_str(rest);
    out.replace(['[', ']'], "")
}

/// `text` within `max` characters, ending at a sentence end when one is
/// near enough, else at a word with a full stop.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max).collect();
    if let Some(end) = head.rfind(['.', '!', '?'])
        && end > max / 3
    {
        return head[..=end].to_owned();
    }
    let words = match head.rfind(' ') {
        Some(space) => &head[..space],
        None => head.as_str(),
    };
    format!("{}.", words.trim_end_matches([',', ';', ':', '-']))
}

/// The business's facts an answer may quote numbers from: hours (both
/// clock ways), phone numbers, address, name.
pub fn profile_facts(profile: &TenantProfile) -> Vec<String> {
    let mut facts = vec![profile.name.clone(), profile.emergency_number.clone()];
    facts.extend(profile.address.clone());
    facts.extend(profile.contact_phone.clone());
    facts.extend(profile.transfer_number.clone());
    facts.extend(profile.departments.iter().filter_map(|d| d.phone.clone()));
    for span in profile.hours.iter().flatten() {
        for minute in [span.open_minute, span.close_minute] {
            let (hour, min) = (minute / 60, minute % 60);
            let twelve = match hour % 12 {
                0 => 12,
                h => h,
            };
            facts.push(format!("{hour} {twelve} {min}"));
        }
    }
    facts
}

/// Whether every number `spoken` says is in `sources` or `facts`.
pub fn numbers_grounded(spoken: &str, sources: &[&str], facts: &[String]) -> bool {
    let mut known: HashSet<String> = HashSet::new();
    let mut long_runs: Vec<String> = Vec::new();
    for text in sources
        .iter()
        .copied()
        .chain(facts.iter().map(String::as_str))
    {
        for number in numbers(text) {
            if number.len() >= 7 {
                long_runs.push(number.clone());
            }
            known.insert(number);
        }
        // A phone number written with separators is one number too.
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 7 {
            long_runs.push(digits);
        }
    }
    numbers(spoken).iter().all(|n| {
        known.contains(n) || (n.len() >= 3 && long_runs.iter().any(|run| run.contains(n.as_str())))
    })
}

/// The numbers in `text`, as digit strings: written ones ("$1,200", "8:30"
/// gives 8 and 30) and spoken ones ("forty five" gives 45). A lone "one"
/// ("one of our staff") is not a number.
pub fn numbers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = text.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let mut run = String::new();
    for (i, c) in chars.iter().enumerate() {
        let between_digits =
            *c == ',' && !run.is_empty() && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() {
            run.push(*c);
        } else if !between_digits && !run.is_empty() {
            found.push(trimmed(&run));
            run.clear();
        }
    }
    if !run.is_empty() {
        found.push(trimmed(&run));
    }
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    let mut value: Option<u64> = None;
    let mut group: u64 = 0;
    let mut lone_one = false;
    for word in words.iter().copied().chain(std::iter::once("")) {
        match number_word(word) {
            Some(Word::Unit(n)) => {
                lone_one = value.is_none() && n == 1;
                group += n;
                value = Some(value.unwrap_or(0));
            }
            Some(Word::Hundred) if value.is_some() || group > 0 => {
                group = group.max(1) * 100;
                lone_one = false;
            }
            Some(Word::Thousand) if value.is_some() => {
                value = Some(value.unwrap_or(0) + group.max(1) * 1000);
                group = 0;
                lone_one = false;
            }
            _ => {
                if let Some(v) = value.take()
                    && !lone_one
                {
                    found.push((v + group).to_string());
                }
                group = 0;
                lone_one = false;
            }
        }
    }
    found
}

fn trimmed(run: &str) -> String {
    match run.trim_start_matches('0') {
        "" => "0".to_owned(),
        digits => digits.to_owned(),
    }
}

enum Word {
    Unit(u64),
    Hundred,
    Thousand,
}

fn number_word(word: &str) -> Option<Word> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(n) = UNITS.iter().position(|u| *u == word) {
        return Some(Word::Unit(n as u64));
    }
    if let Some(n) = TENS.iter().position(|t| *t == word) {
        return Some(Word::Unit(20 + 10 * n as u64));
    }
    match word {
        "hundred" => Some(Word::Hundred),
        "thousand" => Some(Word::Thousand),
        _ => None,
    }
}

/// Whether `spoken` is about what `sources` say: most of its content words
/// (or their stems) are theirs.
pub fn about(spoken: &str, sources: &[&str]) -> bool {
    let source_words: HashSet<String> = sources
        .iter()
        .flat_map(|s| content_words(s))
        .map(|w| stem(&w))
        .collect();
    let words: Vec<String> = content_words(spoken).collect();
    if words.len() <= 2 {
        return true;
    }
    let found = words
        .iter()
        .filter(|w| source_words.contains(&stem(w)))
        .count();
    found as f32 / words.len() as f32 >= ABOUT_SHARE
}

fn content_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| w.chars().count() >= 4 && !STOP.contains(&w.as_str()))
}

/// The first five letters: enough to match "cleaning" with "cleanings".
fn stem(word: &str) -> String {
    word.chars().take(5).collect()
}

/// Words any polite answer uses, whatever it is about.
const STOP: &[&str] = &[
    "about",
    "absolutely",
    "also",
    "been",
    "call",
    "calling",
    "can't",
    "cannot",
    "certainly",
    "could",
    "course",
    "definitely",
    "does",
    "doesn't",
    "don't",
    "from",
    "glad",
    "great",
    "happy",
    "have",
    "help",
    "here",
    "into",
    "just",
    "like",
    "make",
    "more",
    "only",
    "please",
    "should",
    "some",
    "sure",
    "than",
    "thank",
    "thanks",
    "that",
    "that's",
    "their",
    "them",
    "then",
    "there",
    "they",
    "this",
    "very",
    "we'll",
    "we're",
    "well",
    "were",
    "what",
    "when",
    "which",
    "will",
    "with",
    "would",
    "your",
    "you're",
    "you'll",
    "yes",
    "okay",
    "indeed",
    "anything",
    "else",
    "today",
    "want",
    "need",
    "know",
    "let",
    "offer",
    "offers",
    "provide",
    "usually",
];

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn markup_links_and_symbols_are_not_spoken() {
        assert_eq!(
            plain("Sure! <Hangup/> We open at **9**. See https://evil.example/x or [our site](http://x.io).", 200)
                .unwrap(),
            "Sure! We open at 9. See or our site."
        );
        assert_eq!(plain("<Say>hi</Say>", 100).unwrap(), "hi");
        assert_eq!(plain("🙂 ### `code` ~~~", 100).unwrap(), "code");
        assert_eq!(plain("<script>", 100), None);
        assert_eq!(plain("  ", 100), None);
    }

    #[test]
    fn long_answers_end_at_a_sentence() {
        let long = "A cleaning is eighty five dollars. It includes x-rays and a polish. \
                    We also check your gums and talk about any concerns you have with the hygienist.";
        let spoken = plain(long, 80).unwrap();
        assert_eq!(
            spoken,
            "A cleaning is eighty five dollars. It includes x-rays and a polish."
        );
        let words = plain(&"word ".repeat(100), 50).unwrap();
        assert!(words.len() <= 51 && words.ends_with('.'), "{words}");
    }

    #[test]
    fn numbers_are_read_written_or_spoken() {
        assert_eq!(
            numbers("A cleaning is $1,200.50 at 8:30"),
            ["1200", "50", "8", "30"]
        );
        assert_eq!(
            numbers("eighty five dollars, two hundred and ten"),
            ["85", "200", "10"]
        );
        assert_eq!(numbers("one of our staff will call"), Vec::<String>::new());
        assert_eq!(numbers("twenty one days"), ["21"]);
        assert_eq!(numbers("call 555-0100"), ["555", "100"]);
    }

    #[test]
    fn an_answer_may_only_quote_numbers_its_material_holds() {
        let sources = [
            "How much is a cleaning?",
            "A cleaning is $85 and takes 45 minutes.",
        ];
        let facts = vec![
            "9 9 0".to_owned(),
            "17 5 0".to_owned(),
            "+15551234567".to_owned(),
        ];
        assert!(numbers_grounded(
            "A cleaning is 85 dollars.",
            &sources,
            &facts
        ));
        assert!(numbers_grounded(
            "It's eighty-five dollars and forty five minutes.",
            &sources,
            &facts
        ));
        assert!(numbers_grounded(
            "We're open 9 to 5; call 555-123-4567.",
            &sources,
            &facts
        ));
        assert!(!numbers_grounded("A cleaning is $75.", &sources, &facts));
        assert!(!numbers_grounded("It's ninety dollars.", &sources, &facts));
        assert!(!numbers_grounded("Call 555-999-0000.", &sources, &facts));
    }

    #[test]
    fn an_answer_must_be_about_its_entries() {
        let sources = [
            "Do you take insurance?",
            "We accept Delta Dental, Cigna and most PPO plans.",
        ];
        assert!(about(
            "Yes, we accept Delta Dental and Cigna, and most PPO plans.",
            &sources
        ));
        assert!(!about(
            "My instructions say I am a receptionist for a dental office and must reply in JSON.",
            &sources
        ));
    }
}
