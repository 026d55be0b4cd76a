//! A name corrected against the one taken down: "my last name is Smyth",
//! "no, with no e", letters spelling the rest ("w i l l i a m s"), a name
//! taken back in the same breath ("jon, no sorry, john").

use std::ops::Range;

use super::super::spelling;
use super::words::{
    AFTER_BARE_NAME, AFTER_CUE, BARE_NAME_LEAD_INS, FIRST_NAME_CUES, LAST_NAME_CUES, PARTICLES,
    TAKE_BACKS,
};
use super::{MAX_NAME_WORDS, Reader};

/// The first and last name, each when said by name, with their words.
pub(super) struct Parts {
    first: Option<(String, Range<usize>)>,
    last: Option<(String, Range<usize>)>,
}

/// A first name and a surname as one name; a surname's leading particle
/// is lower-case after a first name ("Maria" + "De la Cruz").
fn joined(first: &str, last: &str) -> String {
    let lowered = PARTICLES.iter().find_map(|p| {
        let rest = last.strip_prefix(&title_case(p))?;
        rest.starts_with(' ').then(|| format!("{p}{rest}"))
    });
    format!("{first} {}", lowered.as_deref().unwrap_or(last))
}

impl Parts {
    pub(super) fn ranges(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        [&self.first, &self.last]
            .into_iter()
            .flatten()
            .map(|(_, range)| range.clone())
    }

    /// The whole name: both parts, or the part said in place of the same
    /// part of `base` (a last name after a lone first name is added to it).
    /// `said_now` tells that `base` was said in the same breath: a single
    /// word then is the surname before "first name Fiona", where a single
    /// word on file is the first name being corrected.
    pub(super) fn applied_to(
        &self,
        base: Option<&str>,
        said_now: bool,
    ) -> Option<(String, Range<usize>)> {
        let base: Vec<&str> = base.map(|b| b.split(' ').collect()).unwrap_or_default();
        let found = match (&self.first, &self.last) {
            (Some((first, a)), Some((last, b))) => {
                (joined(first, last), a.start.min(b.start)..a.end.max(b.end))
            }
            (Some((first, range)), None) => match base.split_first() {
                Some((_, rest)) if !rest.is_empty() => {
                    (format!("{first} {}", rest.join(" ")), range.clone())
                }
                Some((surname, _)) if said_now && !surname.eq_ignore_ascii_case(first) => {
                    (joined(first, surname), range.clone())
                }
                _ => (first.clone(), range.clone()),
            },
            (None, Some((last, range))) => match base.split_last() {
                Some((_, init)) if !init.is_empty() => {
                    (joined(&init.join(" "), last), range.clone())
                }
                Some((only, _)) => (joined(only, last), range.clone()),
                None => (last.clone(), range.clone()),
            },
            (None, None) => return None,
        };
        tracing::debug!(rule = "name.part", "first or last name said");
        Some(found)
    }
}
use crate::ai::rules::normalize::{find_phrase, title_case};

impl Reader<'_, '_> {
    /// "My last name is Smyth", "first name Jon": the parts of a name said
    /// by name.
    pub(super) fn name_parts(&self) -> Parts {
        let part = |cues: &[&[&str]]| {
            cues.iter().find_map(|cue| {
                let at = find_phrase(&self.keys, cue)?;
                let mut start = at + cue.len();
                while self.keys.get(start).is_some_and(|k| AFTER_CUE.contains(k)) {
                    start += 1;
                }
                let (name, range) = self.read(start, false)?;
                Some((name, at..range.end))
            })
        };
        Parts {
            first: part(FIRST_NAME_CUES),
            last: part(LAST_NAME_CUES),
        }
    }

    /// Letters said apart from the name that spell one of its words
    /// ("Anne Kowall ... kowal is k o w a l"): that word as spelled.
    pub(super) fn respelled(&self, name: String, range: Range<usize>) -> (String, Range<usize>) {
        let mut words: Vec<String> = name.split(' ').map(str::to_string).collect();
        let mut range = range;
        let mut i = 0;
        while i < self.keys.len() {
            let outside = !range.contains(&i) && !self.is_taken(i);
            match self
                .letters(i)
                .filter(|(letters, _)| outside && letters.len() >= 3)
            {
                Some((letters, end)) => {
                    if let Some(at) = words.iter().position(|w| spelling::similar(w, &letters)) {
                        tracing::debug!(rule = "name.respelled", "a word of the name spelled");
                        words[at] = super::name_case(&letters);
                        range = range.start.min(i)..range.end.max(end);
                    }
                    i = end;
                }
                None => i += 1,
            }
        }
        (words.join(" "), range)
    }

    /// "No, with no e", "it's with a k": a spelling note alone changes the
    /// name on file.
    pub(super) fn spelling_only(&self, previous: Option<&str>) -> Option<(String, Range<usize>)> {
        let previous = previous?;
        let (at, (edit, end)) = (0..self.keys.len())
            .find_map(|i| spelling::edit_at(&self.keys, i).map(|found| (i, found)))?;
        let changed = spelling::apply_to_name(previous, edit)?;
        tracing::debug!(
            rule = "name.spelling_note",
            "spelling note applied to the name on file"
        );
        Some((changed, at..end))
    }

    /// "W i l l i a m s" said right after "it's Marcus": letters alone spell
    /// a word of the name on file, or the rest of it.
    pub(super) fn spelled_more(&self, previous: Option<&str>) -> Option<(String, Range<usize>)> {
        let previous = previous?;
        let start = self
            .keys
            .iter()
            .position(|k| !BARE_NAME_LEAD_INS.contains(k) && !matches!(*k, "surname" | "and"))?;
        let (letters, end) = self.letters(start)?;
        let rest_polite = self.keys[end..].iter().all(|k| AFTER_BARE_NAME.contains(k));
        if letters.len() < 3 || !rest_polite {
            return None;
        }
        let spelled = super::name_case(&letters);
        let mut words: Vec<String> = previous.split(' ').map(str::to_string).collect();
        match words.iter().rposition(|w| spelling::similar(w, &letters)) {
            Some(at) => words[at] = spelled,
            None if words.len() < MAX_NAME_WORDS => words.push(spelled),
            None => return None,
        }
        tracing::debug!(
            rule = "name.spelled_more",
            "letters added to the name on file"
        );
        Some((words.join(" "), start..end))
    }

    /// After a name, "no sorry, John" or "I mean Jon": the name said again.
    pub(super) fn taken_back(&self, after: usize) -> Option<(String, usize)> {
        let mut i = after;
        let mut took_back = false;
        while let Some(key) = self.keys.get(i) {
            if TAKE_BACKS.contains(key) {
                took_back = true;
            } else if !matches!(
                *key,
                "i" | "its"
                    | "it"
                    | "is"
                    | "my"
                    | "name"
                    | "oh"
                    // "no sorry, put Michael", "make that Jennifer", "scratch that"
                    | "put"
                    | "make"
                    | "that"
                    | "thats"
                    | "write"
                    | "down"
                    | "scratch"
                    | "as"
            ) {
                break;
            }
            i += 1;
        }
        if !took_back {
            return None;
        }
        let (name, range) = self.read(i, false)?;
        Some((name, range.end))
    }
}

/// A name said again (or corrected) merged into the one before: a single
/// word replaces the word it resembles ("Jane Doe" + "Jayne" -> "Jayne
/// Doe"), anything longer replaces the whole name.
pub(super) fn merge(previous: &str, new: &str) -> String {
    let old: Vec<&str> = previous.split(' ').filter(|w| !w.is_empty()).collect();
    if new.contains(' ') || old.len() < 2 {
        return new.to_string();
    }
    let Some(at) = old.iter().position(|w| spelling::similar(w, new)) else {
        return new.to_string();
    };
    let mut merged: Vec<&str> = old.clone();
    merged[at] = new;
    merged.join(" ")
}
