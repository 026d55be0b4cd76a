//! How callers spell a name out loud: "with no e", "without the h", "with a
//! k", "with two ls", and whether letters said one by one spell a word.

use super::super::normalize::title_case;

/// A spelling note about one letter of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edit {
    /// "With a k": the letter is in the name (in place of its sound-alike).
    With(char),
    /// "With no e", "without the h".
    Without(char),
    /// "With two ls".
    Double(char),
    /// "With one l".
    Single(char),
}

/// Letters that sound alike in names: "catherine with a k" is Katherine,
/// "smith with a y" is Smyth.
const SOUND_ALIKES: &[(char, char)] = &[
    ('c', 'k'),
    ('k', 'c'),
    ('i', 'y'),
    ('y', 'i'),
    ('s', 'z'),
    ('z', 's'),
];

/// The letter a spoken letter names: "e", "ls" (two l's), "ns".
fn letter(key: &str) -> Option<char> {
    let mut chars = key.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(c), None, _) if c.is_ascii_alphabetic() => Some(c),
        (Some(c), Some('s'), None) if c.is_ascii_alphabetic() => Some(c),
        _ => None,
    }
}

/// The spelling note starting at `keys[i]`, and the index after it.
pub(crate) fn edit_at(keys: &[&str], mut i: usize) -> Option<(Edit, usize)> {
    while keys
        .get(i)
        .is_some_and(|k| matches!(*k, "spelled" | "spelt" | "but" | "its" | "and"))
    {
        i += 1;
    }
    let key = |at: usize| keys.get(at).copied().unwrap_or_default();
    let article = |k: &str| matches!(k, "a" | "an" | "the");
    let (edit, end) = match (key(i), key(i + 1)) {
        ("with", "no") => (Edit::Without(letter(key(i + 2))?), i + 3),
        ("without", k) if article(k) => (Edit::Without(letter(key(i + 2))?), i + 3),
        ("without", k) => (Edit::Without(letter(k)?), i + 2),
        ("no", k) => (Edit::Without(single(k)?), i + 2),
        ("with", "two" | "2" | "double") => (Edit::Double(letter(key(i + 2))?), i + 3),
        ("two" | "double", k) if i > 0 => (Edit::Double(plural(k)?), i + 2),
        ("with", "one" | "1") => (Edit::Single(letter(key(i + 2))?), i + 3),
        ("with", "a") if key(i + 2) == "single" => (Edit::Single(letter(key(i + 3))?), i + 4),
        ("with", k) if article(k) => (Edit::With(single(key(i + 2))?), i + 3),
        ("with", k) => (Edit::With(single(k)?), i + 2),
        _ => return None,
    };
    // "No e" at the end of the utterance or before a pause, never "no
    // e-mail"; a letter that starts a spelled run is not a note either.
    if keys.get(end).is_some_and(|k| single(k).is_some()) {
        return None;
    }
    let mut end = end;
    for tail in [["at", "the", "end"], ["on", "the", "end"]] {
        if keys[end.min(keys.len())..].starts_with(&tail) {
            end += tail.len();
        }
    }
    Some((edit, end))
}

fn single(key: &str) -> Option<char> {
    letter(key).filter(|_| key.len() == 1)
}

fn plural(key: &str) -> Option<char> {
    letter(key).filter(|_| key.len() == 2)
}

/// One name word with the note applied; unchanged when it already fits.
pub(crate) fn apply(word: &str, edit: Edit) -> String {
    changed(word, edit).unwrap_or_else(|| word.to_string())
}

/// The note applied to the first word of `name` it changes.
pub(crate) fn apply_to_name(name: &str, edit: Edit) -> Option<String> {
    let mut words: Vec<String> = name.split(' ').map(str::to_string).collect();
    let at = words
        .iter()
        .position(|w| w.len() >= 2 && !w.ends_with('.') && changed(w, edit).is_some())?;
    words[at] = changed(&words[at], edit)?;
    Some(words.join(" "))
}

fn changed(word: &str, edit: Edit) -> Option<String> {
    let lower = word.to_lowercase();
    let mut chars: Vec<char> = lower.chars().collect();
    let position = |c: char| chars.iter().position(|&x| x == c);
    match edit {
        Edit::With(c) if chars.contains(&c) => return None,
        Edit::With(c) => {
            if let Some(at) = SOUND_ALIKES
                .iter()
                .filter(|(to, _)| *to == c)
                .find_map(|(_, from)| position(*from))
            {
                chars[at] = c;
            } else if c != 'y' && (c == 'e' || chars.last().is_some_and(|l| "aeiou".contains(*l))) {
                // "Ann with an e", "Sara with an h".
                chars.push(c);
            } else if matches!(c, 'h' | 'y') {
                // "Jon with an h" is John, "Jane with a y" is Jayne.
                let vowel = chars.iter().position(|x| "aeiou".contains(*x))?;
                chars.insert(vowel + 1, c);
            } else {
                return None;
            }
        }
        Edit::Without(c) => {
            let at = if chars.last() == Some(&c) {
                chars.len() - 1
            } else {
                position(c)?
            };
            chars.remove(at);
        }
        Edit::Double(c) => {
            if chars.windows(2).any(|w| w == [c, c]) {
                return None;
            }
            let at = position(c)?;
            chars.insert(at, c);
        }
        Edit::Single(c) => {
            let at = chars.windows(2).position(|w| w == [c, c])?;
            chars.remove(at);
        }
    }
    let spelled: String = chars.into_iter().collect();
    (spelled != lower && !spelled.is_empty()).then(|| title_case(&spelled))
}

/// True when `spelled` (letters said one by one) spells `word`, allowing
/// for the recogniser's guess at the word ("katherine" spelled
/// k-a-t-h-r-y-n).
pub(crate) fn similar(word: &str, spelled: &str) -> bool {
    let a: Vec<char> = word
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let b: Vec<char> = spelled
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let (Some(&x), Some(&y)) = (a.first(), b.first()) else {
        return false;
    };
    let alike = x == y || SOUND_ALIKES.contains(&(x, y));
    alike && edit_distance(&a, &b) <= (b.len().max(a.len()) / 2).max(1)
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}
