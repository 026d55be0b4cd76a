//! From words to retrieval tokens: stop words out, phrases folded, each word
//! stemmed (Snowball English, so "vaccinated", "vaccines" and "vaccination"
//! meet) and filed under the concepts it stands for. Entries and callers go
//! through the same analysis, so both sides always agree.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::super::normalize::Word;
use super::vocabulary::{
    ASPECTS, CONCEPTS, LIGHT_WORDS, PHRASES, RELATED, SPLIT_PHRASES, STOP_WORDS,
};

/// What a token says about the question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// What the question is about ("whitening", "sewer").
    Topic,
    /// What kind of answer is wanted ("how much", "accept"): never enough
    /// on its own to choose an entry when a topic was named.
    Aspect,
    /// Generic words ("need", "service", "come"): they match, but weigh little.
    Light,
}

/// One idea in a text: its terms (the stem first, then the concepts it
/// stands for) with how strongly it stands for each.
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub terms: Vec<(String, f32)>,
    pub kind: Kind,
    /// Spoken as "-ed" or "-ing" ("adopted", "turning"): more often what
    /// happened than what is asked about.
    pub inflected: bool,
}

impl Token {
    pub fn primary(&self) -> &str {
        self.terms.first().map_or("", |(term, _)| term.as_str())
    }

    /// The strongest weight with which the token stands for `term`.
    pub fn weight_of(&self, term: &str) -> Option<f32> {
        self.terms
            .iter()
            .filter(|(t, _)| t == term)
            .map(|(_, w)| *w)
            .reduce(f32::max)
    }
}

/// A phrase's words and the terms it stands for.
type Phrase = (&'static [&'static str], &'static [&'static str]);

struct Lexicon {
    stemmer: Stemmer,
    /// Key or stem -> the concepts it stands for, with weights.
    concepts: HashMap<String, Vec<(&'static str, f32)>>,
    /// First word -> phrases starting with it, longest first.
    phrases: HashMap<&'static str, Vec<Phrase>>,
    stop: HashSet<&'static str>,
    /// Light words and their stems.
    light: HashSet<String>,
}

/// Built once per process from the constant tables; read-only afterwards.
static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::new);

impl Lexicon {
    fn new() -> Lexicon {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut concepts: HashMap<String, Vec<(&'static str, f32)>> = HashMap::new();
        for (concept, means, related) in CONCEPTS {
            let members = means
                .iter()
                .map(|w| (*w, 1.0))
                .chain(related.iter().map(|w| (*w, RELATED)));
            for (word, weight) in members {
                for key in [word.to_string(), stemmer.stem(word).into_owned()] {
                    let list = concepts.entry(key).or_default();
                    match list.iter_mut().find(|(c, _)| c == concept) {
                        Some(found) => found.1 = found.1.max(weight),
                        None => list.push((concept, weight)),
                    }
                }
            }
        }
        let mut phrases: HashMap<&'static str, Vec<Phrase>> = HashMap::new();
        for (words, terms) in PHRASES {
            if let Some(first) = words.first() {
                phrases.entry(*first).or_default().push((*words, *terms));
            }
        }
        for list in phrases.values_mut() {
            list.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        }
        Lexicon {
            concepts,
            phrases,
            stop: STOP_WORDS.iter().copied().collect(),
            light: LIGHT_WORDS
                .iter()
                .flat_map(|w| [w.to_string(), stemmer.stem(w).into_owned()])
                .collect(),
            stemmer,
        }
    }

    /// The longest phrase starting at `words[at]`: its length and terms.
    fn phrase_at(&self, words: &[Word<'_>], at: usize) -> Option<(usize, &'static [&'static str])> {
        let candidates = self.phrases.get(words[at].key.as_str())?;
        candidates.iter().find_map(|(phrase, terms)| {
            let fits = phrase.len() <= words.len() - at
                && phrase
                    .iter()
                    .zip(&words[at..])
                    .all(|(p, w)| *p == w.key.as_str());
            fits.then_some((phrase.len(), *terms))
        })
    }

    fn word_token(&self, key: &str) -> Option<Token> {
        if self.stop.contains(key) {
            return None;
        }
        let stem = self.stemmer.stem(key).into_owned();
        let mut terms: Vec<(String, f32)> = vec![(stem.clone(), 1.0)];
        for source in [key, stem.as_str()] {
            for (concept, weight) in self.concepts.get(source).into_iter().flatten() {
                match terms.iter_mut().find(|(t, _)| t == concept) {
                    Some(found) => found.1 = found.1.max(*weight),
                    None => terms.push(((*concept).to_string(), *weight)),
                }
            }
        }
        let aspect = terms
            .iter()
            .any(|(t, w)| *w >= 1.0 && ASPECTS.contains(&t.as_str()));
        let kind = if self.light.contains(key) || self.light.contains(&stem) {
            Kind::Light
        } else if aspect {
            Kind::Aspect
        } else {
            Kind::Topic
        };
        let inflected = key.len() >= 5 && (key.ends_with("ed") || key.ends_with("ing"));
        Some(Token {
            terms,
            kind,
            inflected,
        })
    }

    pub(super) fn concept_token(term: &str) -> Token {
        let kind = if ASPECTS.contains(&term) {
            Kind::Aspect
        } else {
            Kind::Topic
        };
        Token {
            terms: vec![(term.to_string(), 1.0)],
            kind,
            inflected: false,
        }
    }
}

/// A token for a concept ("#price"), for what an entry says without words.
pub(super) fn concept(term: &str) -> Token {
    Lexicon::concept_token(term)
}

/// The retrieval tokens of `words`, in order, with the index of the word
/// each starts at.
pub(super) fn tokens(words: &[Word<'_>]) -> Vec<(usize, Token)> {
    let lexicon = &*LEXICON;
    let mut tokens = Vec::with_capacity(words.len());
    // Words that close a split phrase, whose idea is taken at its start.
    let mut closing: Vec<usize> = Vec::new();
    let mut at = 0;
    while at < words.len() {
        if closing.contains(&at) {
            at += 1;
            continue;
        }
        // Spelled letters are one word: "o h p", "d u i".
        let letters = words[at..]
            .iter()
            .take_while(|w| w.key.len() == 1 && w.key.chars().all(|c| c.is_ascii_alphabetic()))
            .count();
        // "a d u i": the article is not one of the letters.
        let article = letters >= 3 && matches!(words[at].key.as_str(), "a" | "i");
        if article {
            at += 1;
            continue;
        }
        if letters >= 2 {
            let key: String = words[at..at + letters]
                .iter()
                .map(|w| w.key.as_str())
                .collect();
            tokens.extend(lexicon.word_token(&key).map(|t| (at, t)));
            at += letters;
            continue;
        }
        if let Some((end, concept)) = split_phrase_at(words, at) {
            tokens.push((at, Lexicon::concept_token(concept)));
            closing.push(end);
            at += 1;
            continue;
        }
        if let Some((length, terms)) = lexicon.phrase_at(words, at) {
            for term in terms {
                let token = if term.starts_with('#') {
                    Some(Lexicon::concept_token(term))
                } else {
                    lexicon.word_token(term)
                };
                tokens.extend(token.map(|t| (at, t)));
            }
            at += length;
            continue;
        }
        tokens.extend(lexicon.word_token(&words[at].key).map(|t| (at, t)));
        at += 1;
    }
    tokens
}

/// The split phrase starting at `words[at]`: the index of its last word and
/// its concept.
fn split_phrase_at(words: &[Word<'_>], at: usize) -> Option<(usize, &'static str)> {
    let key = words[at].key.as_str();
    SPLIT_PHRASES
        .iter()
        .find_map(|(first, last, gap, concept)| {
            if key != *first {
                return None;
            }
            words
                .iter()
                .enumerate()
                .skip(at + 1)
                .take(*gap + 1)
                .find(|(_, w)| w.key == *last)
                .map(|(end, _)| (end, *concept))
        })
}

pub(super) fn is_stop_word(key: &str) -> bool {
    LEXICON.stop.contains(key)
}
