//! Names as callers say them: introduced ("my name is", "this is", "it's"),
//! bare when asked for, spelled ("nguyen n g u y e n", "s m i t h"), with
//! initials ("j r tolkien"), particles ("maria de la cruz", "o brien",
//! "mc donald"), spelling notes ("ann with no e", "catherine with a k"),
//! taken back ("jon, no sorry, john") and corrected against the name
//! already taken down ("the last name is smyth").

use std::ops::Range;

mod correction;
mod words;

pub(crate) use words::declines_name;
use words::{
    AFTER_BARE_NAME, AFTER_CUE, BARE_NAME_LEAD_INS, HONORIFICS, PARTICLES, STRONG_NAME_CUES,
    TAKE_BACKS, WEAK_NAME_CUES, is_name_word,
};

use super::super::normalize::{Word, find_phrase, title_case};
use super::spelling;

/// Greetings and fillers that may come before "it's <name>".
#[rustfmt::skip]
const SENTENCE_OPENERS: &[&str] = &[
    "um", "uh", "and", "sorry", "hey", "hello", "hi", "there", "again", "oh", "fine", "alright", "no",
    "actually", "wait", "oops", "good", "morning", "afternoon", "evening", "thanks", "thank", "you",
];

/// Words before "name is" that make it someone else's name.
const OTHERS: &[&str] = &["his", "her", "their", "your", "whose", "its"];

/// Most words in a name, not counting particles ("Mary Ann de la Cruz").
pub(super) const MAX_NAME_WORDS: usize = 3;

/// How a name is listened for in one utterance.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Listening<'a> {
    /// The name was asked for: a bare "John Smith" is a name.
    pub bare: bool,
    /// "It's X", "I'm X", "this is X" introduce a name. Off while another
    /// detail is being asked for, where "it's my cell" is no name.
    pub weak_cues: bool,
    /// The name taken down so far, which a correction changes.
    pub previous: Option<&'a str>,
}

/// The caller's name and the words it used; `taken` are word ranges
/// already used by other details.
pub(crate) fn find_name(
    text: &str,
    words: &[Word<'_>],
    listening: Listening<'_>,
    taken: &[Range<usize>],
) -> Option<(String, Range<usize>)> {
    let keys: Vec<&str> = words.iter().map(|w| w.key.as_str()).collect();
    let reader = Reader {
        text,
        words,
        taken,
        keys: keys.clone(),
    };
    // "... and the last name is Peterson": the parts named are read first,
    // and the rest of the utterance around them.
    let parts = reader.name_parts();
    let mut around: Vec<Range<usize>> = taken.to_vec();
    around.extend(parts.ranges());
    let rest = Reader {
        text,
        words,
        taken: &around,
        keys,
    };
    let said = rest.said(listening);
    let base = said
        .as_ref()
        .map(|(name, _)| name.as_str())
        .or(listening.previous);
    let (name, range) = match (parts.applied_to(base, said.is_some()), said) {
        (Some((name, parts_range)), Some((_, said_range))) => {
            let range =
                parts_range.start.min(said_range.start)..parts_range.end.max(said_range.end);
            (name, range)
        }
        (Some(found), None) => found,
        (None, Some((name, range))) => match listening.previous {
            Some(previous) => (correction::merge(previous, &name), range),
            None => (name, range),
        },
        (None, None) => reader
            .spelled_more(listening.previous)
            .or_else(|| reader.spelling_only(listening.previous))?,
    };
    Some(reader.respelled(name, range))
}

/// "I'm calling", "it's leaking", "I'm interested": not names.
fn looks_like_a_verb(key: &str) -> bool {
    (key.len() >= 5 && key.ends_with("ing")) || (key.len() >= 6 && key.ends_with("ed"))
}

fn single_letter(key: &str) -> Option<char> {
    let mut chars = key.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Some(c),
        _ => None,
    }
}

/// One piece of a name as said.
#[derive(Debug)]
enum Item {
    Word(String),
    /// Letters said one by one ("s m i t h"), lower-case.
    Letters(String),
    Particle(String),
    Honorific(&'static str),
}

struct Reader<'t, 'w> {
    text: &'t str,
    words: &'w [Word<'t>],
    taken: &'w [Range<usize>],
    keys: Vec<&'w str>,
}

impl Reader<'_, '_> {
    /// The name said outright: after "my name is", bare when asked for, then
    /// after "it's" or "I'm"; with a name taken back right after it.
    fn said(&self, listening: Listening<'_>) -> Option<(String, Range<usize>)> {
        let (mut name, mut range) = self
            .introduced(false, false)
            .or_else(|| if listening.bare { self.bare() } else { None })
            .or_else(|| {
                if listening.weak_cues {
                    self.introduced(true, !listening.bare)
                } else {
                    None
                }
            })?;
        if let Some((again, end)) = self.taken_back(range.end) {
            tracing::debug!(
                rule = "name.taken_back",
                "name said again after a take-back"
            );
            name = correction::merge(&name, &again);
            range.end = end;
        }
        Some((name, range))
    }

    fn is_taken(&self, i: usize) -> bool {
        self.taken.iter().any(|r| r.contains(&i))
    }

    fn name_word_at(&self, i: usize) -> bool {
        self.words.get(i).is_some_and(is_name_word) && !self.is_taken(i)
    }

    /// A name after "my name is" (or, `weak`, after "I'm", "it's"): the
    /// first cue followed by one. Someone else's name ("my dog's name is
    /// Bailey", "his name is Bob") is not the caller's.
    /// `opening_its`: "it's" counts only where a sentence starts (when the
    /// name was not asked for).
    fn introduced(&self, weak: bool, opening_its: bool) -> Option<(String, Range<usize>)> {
        let cues = if weak {
            WEAK_NAME_CUES
        } else {
            STRONG_NAME_CUES
        };
        for cue in cues {
            let mut from = 0;
            while let Some(pos) = find_phrase(&self.keys[from..], cue) {
                let at = from + pos;
                from = at + 1;
                if self.is_taken(at) || self.someone_elses(at) {
                    continue;
                }
                // "We think it's food poisoning": "it's" inside a sentence
                // says what something is; it introduces a name only at the
                // start ("yeah hi, it's Jennifer").
                if opening_its
                    && matches!(cue.first(), Some(&"its" | &"it"))
                    && !self.starts_a_sentence(at)
                {
                    continue;
                }
                let mut start = at + cue.len();
                while self.keys.get(start).is_some_and(|k| AFTER_CUE.contains(k)) {
                    start += 1;
                }
                if let Some(found) = self.read(start, weak) {
                    return Some(found);
                }
            }
        }
        None
    }

    /// True when only greetings and fillers come before word `at`, or it
    /// follows the end of a clause.
    fn starts_a_sentence(&self, at: usize) -> bool {
        at == 0
            || self.words[at - 1].clause_end
            || self.keys[..at]
                .iter()
                .all(|k| BARE_NAME_LEAD_INS.contains(k) || SENTENCE_OPENERS.contains(k))
    }

    /// True when the cue at `at` is about another person's name ("my
    /// landlord's name is", "her name is").
    fn someone_elses(&self, at: usize) -> bool {
        let Some(before) = at.checked_sub(1).and_then(|i| self.words.get(i)) else {
            return false;
        };
        let possessive = before.raw.ends_with("'s") || before.raw.ends_with("’s");
        possessive || OTHERS.contains(&before.key.as_str())
    }

    /// A bare answer to "may I have your name?": a name, with nothing but
    /// politeness or the start of another detail after it.
    fn bare(&self) -> Option<(String, Range<usize>)> {
        let start = self
            .keys
            .iter()
            .position(|k| !BARE_NAME_LEAD_INS.contains(k))?;
        let found = self.read(start, false)?;
        let after = (found.1.end..self.words.len()).find(|&i| !self.is_taken(i));
        let rest_fits = after.is_none_or(|i| {
            AFTER_BARE_NAME.contains(&self.keys[i])
                || TAKE_BACKS.contains(&self.keys[i])
                || self.keys[i..]
                    .iter()
                    .all(|k| AFTER_BARE_NAME.contains(k) || TAKE_BACKS.contains(k))
        });
        rest_fits.then_some(found)
    }

    /// Reads a name starting at word `start`; `weak` refuses words that
    /// look like verbs ("I'm calling").
    fn read(&self, start: usize, weak: bool) -> Option<(String, Range<usize>)> {
        let first = self.words.get(start)?;
        if weak && looks_like_a_verb(&first.key) {
            return None;
        }
        let (items, mut end) = self.items(start);
        // "It's a b c plumbing": after "it's" or "this is" letters are not
        // taken as a name unless a name word comes first.
        if weak && matches!(items.first(), Some(Item::Letters(_))) {
            return None;
        }
        if !items
            .iter()
            .any(|i| matches!(i, Item::Word(_) | Item::Letters(_)))
        {
            return None;
        }
        let mut parts = compose(items);
        if let Some((edit, after)) = spelling::edit_at(&self.keys, end)
            && let Some(last) = parts.last_mut()
        {
            *last = spelling::apply(last, edit);
            end = after;
        }
        Some((parts.join(" "), start..end))
    }

    /// The pieces of a name from `start`, and where they end.
    fn items(&self, start: usize) -> (Vec<Item>, usize) {
        let mut items: Vec<Item> = Vec::new();
        let mut main = 0;
        let mut i = start;
        while i < self.words.len() && !self.is_taken(i) && main < MAX_NAME_WORDS {
            let key = self.keys[i];
            if let Some((letters, next)) = self.letters(i) {
                items.push(Item::Letters(letters));
                main += 1;
                i = next;
                continue;
            }
            if let Some((_, title)) = HONORIFICS.iter().find(|(k, _)| *k == key)
                && items.is_empty()
                && self.name_word_at(i + 1)
            {
                items.push(Item::Honorific(title));
                i += 1;
                continue;
            }
            if PARTICLES.contains(&key)
                && !items.is_empty()
                && (self.name_word_at(i + 1)
                    || self.keys.get(i + 1).is_some_and(|k| PARTICLES.contains(k)))
            {
                items.push(Item::Particle(key.to_string()));
                i += 1;
                continue;
            }
            if key == "mc" && self.name_word_at(i + 1) {
                items.push(Item::Word(format!(
                    "Mc{}",
                    title_case(self.words[i + 1].raw)
                )));
                main += 1;
                i += 2;
                continue;
            }
            // "Siobhan, that's s i o b h a n, Walsh": spelled in passing.
            let spelled_next = |at: usize| {
                self.letters(at)
                    .is_some_and(|(letters, _)| letters.len() >= 2)
            };
            if !items.is_empty()
                && matches!(key, "thats" | "spelled" | "spelt")
                && spelled_next(i + 1)
            {
                i += 1;
                continue;
            }
            if !self.name_word_at(i) {
                break;
            }
            // "Michael Michael Delgado": a word said twice is one word.
            let repeated = matches!(items.last(), Some(Item::Word(w)) if w.eq_ignore_ascii_case(self.words[i].raw));
            if repeated {
                i += 1;
                continue;
            }
            let mut word = name_case(self.words[i].raw);
            // "Smith-Jones": the recogniser's hyphen joins two words of one name.
            while self.name_word_at(i + 1)
                && &self.text[self.words[i].span.end..self.words[i + 1].span.start] == "-"
            {
                i += 1;
                word.push('-');
                word.push_str(&name_case(self.words[i].raw));
            }
            items.push(Item::Word(word));
            main += 1;
            i += 1;
            if self.words[i - 1].clause_end {
                break;
            }
        }
        while matches!(items.last(), Some(Item::Particle(_) | Item::Honorific(_))) {
            items.pop();
            i -= 1;
        }
        (items, i)
    }

    /// Letters said one by one from `i` ("s m i t h", "double n"), and the
    /// word after them. A single letter counts only before a name word or
    /// another letter ("j r tolkien", "o brien").
    fn letters(&self, start: usize) -> Option<(String, usize)> {
        let mut letters = String::new();
        let mut i = start;
        while i < self.words.len() && !self.is_taken(i) {
            let key = self.keys[i];
            if let Some(c) = single_letter(key) {
                letters.push(c);
                i += 1;
            } else if key == "double"
                && let Some(c) = self.keys.get(i + 1).and_then(|k| single_letter(k))
            {
                letters.push(c);
                letters.push(c);
                i += 2;
            } else if key == "oh"
                && !letters.is_empty()
                && self
                    .keys
                    .get(i + 1)
                    .is_some_and(|k| single_letter(k).is_some())
            {
                letters.push('o');
                i += 1;
            } else {
                break;
            }
        }
        if letters.is_empty() {
            return None;
        }
        let lone = letters.len() == 1;
        // "A" and "I" alone are words ("it's a leak"), not initials.
        if lone && matches!(letters.as_str(), "a" | "i") {
            return None;
        }
        // "No e", "with a k": a spelling note, not a letter of the name.
        if lone && start > 0 && matches!(self.keys[start - 1], "no" | "a" | "an" | "the" | "with") {
            return None;
        }
        if lone && !(self.name_word_at(i) || i == self.words.len()) {
            return None;
        }
        Some((letters, i))
    }
}

/// Title case with "Mc" names kept as "McDonald".
fn name_case(raw: &str) -> String {
    let word = title_case(raw);
    match word.strip_prefix("Mc") {
        Some(rest) if rest.len() >= 3 && rest.chars().all(char::is_lowercase) => {
            format!("Mc{}", title_case(rest))
        }
        _ => word,
    }
}

/// The name words the pieces make: spelled letters replace the word they
/// spell ("nguyen n g u y e n"), stand as a word ("s m i t h") or are
/// initials ("J. R."); "o" before a word is an Irish "O'".
fn compose(items: Vec<Item>) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut said_word = false;
    let mut items = items.into_iter().peekable();
    while let Some(item) = items.next() {
        let letters = match item {
            Item::Word(word) => {
                parts.push(word);
                said_word = true;
                continue;
            }
            Item::Particle(p) => {
                parts.push(p);
                said_word = false;
                continue;
            }
            Item::Honorific(h) => {
                parts.push(h.to_string());
                said_word = false;
                continue;
            }
            Item::Letters(letters) => letters,
        };
        let next_word = match items.peek() {
            Some(Item::Word(w)) => Some(w.clone()),
            _ => None,
        };
        if letters == "o"
            && let Some(next) = &next_word
        {
            items.next();
            parts.push(format!("O'{next}"));
            said_word = true;
            continue;
        }
        let spelled = name_case(&letters);
        if letters.len() >= 2 {
            // The word just said, or an earlier one ("aisha khan a i s h a").
            let spells = parts
                .iter()
                .rposition(|part| spelling::similar(part, &letters))
                .filter(|&at| said_word || at + 1 < parts.len());
            if let Some(at) = spells {
                parts[at] = spelled;
                continue;
            }
            if let Some(next) = &next_word
                && spelling::similar(next, &letters)
            {
                items.next();
                parts.push(spelled);
                said_word = true;
                continue;
            }
        }
        // "A l" alone is Al; "o j simpson" and "j r r tolkien" are initials.
        let has_vowel = letters.chars().any(|c| "aeiouy".contains(c));
        let before_a_word = next_word.is_some();
        if has_vowel && (letters.len() >= 3 || (letters.len() == 2 && !before_a_word)) {
            parts.push(spelled);
            said_word = true;
        } else {
            let initials: Vec<String> = letters
                .chars()
                .map(|c| format!("{}.", c.to_ascii_uppercase()))
                .collect();
            parts.push(initials.join(" "));
            said_word = false;
        }
    }
    parts
}
