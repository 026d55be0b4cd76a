//! Knowledge-base retrieval: which of a tenant's entries answers what a
//! caller asked, if any does.
//!
//! Every entry's question (and the extra phrasings the tenant gave in
//! `also_asked`) and answer are analysed once, when the tenant's
//! configuration is loaded: words stemmed, spoken phrases and synonyms folded
//! into concepts (see `vocabulary`), each term weighted by how rare it is
//! among the entries. A caller's question is analysed the same way and an
//! entry is chosen only when
//! - it covers enough of what was asked (weighted by rarity; a match in the
//!   answer counts less than one in the question, an unknown word counts
//!   against it),
//! - it gives the kind of answer wanted (a price for "how much", a person for
//!   "who", a time for "when"),
//! - it matches what the question is about, not only how it is asked
//!   (without a topic, only a question for a kind of answer asks anything:
//!   "how much do you charge?", "who's the hygienist?"),
//! - words that ask nothing ("a message for Mr Whitaker", "can you book my
//!   cat in") are a request: they are answered only by an entry whose own
//!   question names their topic and that covers nearly all they say,
//! - and it is clearly ahead of the next best entry, unless the tenant gave
//!   it a higher priority.
//!
//! Otherwise nothing is answered: "I don't have that information" and an
//! offer beats a confident wrong answer. Two questions in one breath are
//! answered one by one; a short question leaning on the previous answer
//! ("is that included?") is read against that answer, then its topic; a
//! question after a statement ("my cat's teeth are bad, do you do dentals?")
//! is also read on its own.

mod lexicon;
mod question;
mod scoring;
mod vocabulary;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::normalize::{Word, clean_text, words};
use crate::conversation::interpretation::GroundedAnswer;
use lexicon::{Token, tokens};
use question::Focus;

/// One question/answer pair of a tenant's knowledge base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowledgeEntry {
    pub id: i64,
    pub question: String,
    pub answer: String,
    pub category: Option<String>,
    pub priority: i32,
    /// Other ways callers ask the same question, as the tenant wrote them.
    #[serde(default)]
    pub also_asked: Vec<String>,
}

const MAX_HINTS: usize = 40;
const MAX_HINT_CHARS: usize = 100;
/// At most this many answers to one utterance.
const MAX_ANSWERS: usize = 3;

/// Where an entry holds a term, and how strongly (1.0 for the word itself,
/// less for a related concept).
#[derive(Debug, Clone, Copy)]
struct Posting {
    entry: u32,
    question: f32,
    answer: f32,
}

/// One idea of an entry's question phrasing: the terms it stands for fully,
/// and how much it weighs.
#[derive(Debug, Clone)]
struct PhrasingTerm {
    terms: Vec<u32>,
    idf: f32,
}

/// Inverted index over a tenant's knowledge entries. Immutable once built, so
/// it is `Send + Sync` and shared between concurrent calls.
#[derive(Debug, Clone)]
pub struct KnowledgeIndex {
    entries: Vec<KnowledgeEntry>,
    term_ids: HashMap<String, u32>,
    postings: Vec<Vec<Posting>>,
    idf: Vec<f32>,
    /// idf of a term no entry contains: what an unknown word weighs.
    unseen_idf: f32,
    /// Per entry: the kinds of answer it gives...
    provides: Vec<Focus>,
    /// ... and those its question is about ("How much is ...?").
    asks_about: Vec<Focus>,
    /// Per entry: its question phrasings, idea by idea.
    phrasings: Vec<Vec<Vec<PhrasingTerm>>>,
    /// Per entry: the topic terms of its phrasings, for follow-up questions.
    topics: Vec<Vec<u32>>,
    /// Per entry: pairs of words said one after the other in its answer
    /// ("duct cleaning", "apple pay"), by their stems.
    answer_pairs: Vec<std::collections::HashSet<(u32, u32)>>,
    /// Terms an answer writes as a name ("Apple Pay", "Goodman").
    names: std::collections::HashSet<u32>,
    hints: Vec<String>,
}

/// An entry's analysed text, before terms get ids.
struct Analysed {
    question: Vec<Vec<Token>>,
    answer: Vec<Token>,
    /// Primary terms of the names in the answer.
    names: Vec<String>,
    provides: Focus,
    asks_about: Focus,
}

fn analyse(entry: &KnowledgeEntry) -> Analysed {
    let phrasings: Vec<Vec<Word<'_>>> = std::iter::once(&entry.question)
        .chain(&entry.also_asked)
        .map(|text| words(text))
        .collect();
    let question: Vec<Vec<Token>> = phrasings
        .iter()
        .map(|w| tokens(w).into_iter().map(|(_, t)| t).collect())
        .collect();
    let answer_text = match &entry.category {
        Some(category) => format!("{} {category}", entry.answer),
        None => entry.answer.clone(),
    };
    let answer_words = words(&answer_text);
    let answer_tokens = tokens(&answer_words);
    // Capitalised mid-sentence: a name ("Apple Pay", "Goodman").
    let names = answer_tokens
        .iter()
        .filter(|(at, _)| {
            let raw = answer_words[*at].raw;
            let offset = raw.as_ptr() as usize - answer_text.as_ptr() as usize;
            let before = answer_text[..offset].trim_end();
            raw.chars().next().is_some_and(char::is_uppercase)
                && !before.is_empty()
                && !before.ends_with(['.', '!', '?', ':'])
        })
        .map(|(_, t)| t.primary().to_owned())
        .collect();
    let mut answer: Vec<Token> = answer_tokens.into_iter().map(|(_, t)| t).collect();
    // "$425" answers "how much", though no word of it says price.
    if entry.answer.contains(['$', '£', '€']) {
        answer.push(lexicon::concept("#price"));
    }
    let all_question: Vec<Token> = question.iter().flatten().cloned().collect();
    let provides = question::provides(
        &phrasings,
        &all_question,
        &entry.answer,
        &answer_words,
        &answer,
    );
    let asks_about = question::provides(&phrasings, &all_question, "", &[], &[]);
    Analysed {
        question,
        answer,
        names,
        provides,
        asks_about,
    }
}

fn idf_of(entries: f32, df: f32) -> f32 {
    (1.0 + (entries - df + 0.5) / (df + 0.5)).ln()
}

impl KnowledgeIndex {
    pub fn build(entries: Vec<KnowledgeEntry>) -> KnowledgeIndex {
        let analysed: Vec<Analysed> = entries.iter().map(analyse).collect();
        let mut term_ids: HashMap<String, u32> = HashMap::new();
        let mut intern = |term: &str| -> u32 {
            let next = term_ids.len() as u32;
            *term_ids.entry(term.to_string()).or_insert(next)
        };
        // Per term: entry -> (question weight, answer weight).
        let mut held: Vec<HashMap<u32, (f32, f32)>> = Vec::new();
        let mut phrasings = Vec::with_capacity(entries.len());
        let mut topics = Vec::with_capacity(entries.len());
        let mut answer_pairs = Vec::with_capacity(entries.len());
        let mut names = std::collections::HashSet::new();
        for (entry, text) in analysed.iter().enumerate() {
            let fields = text
                .question
                .iter()
                .flatten()
                .map(|t| (t, true))
                .chain(text.answer.iter().map(|t| (t, false)));
            for (token, in_question) in fields {
                for (term, weight) in &token.terms {
                    let id = intern(term) as usize;
                    if id == held.len() {
                        held.push(HashMap::new());
                    }
                    let slot = held[id].entry(entry as u32).or_insert((0.0, 0.0));
                    let field = if in_question {
                        &mut slot.0
                    } else {
                        &mut slot.1
                    };
                    *field = field.max(*weight);
                }
            }
            let ids: Vec<Vec<(Vec<u32>, u32)>> = text
                .question
                .iter()
                .map(|phrasing| {
                    phrasing
                        .iter()
                        .map(|t| {
                            let full = t
                                .terms
                                .iter()
                                .filter(|(_, w)| *w >= 1.0)
                                .map(|(term, _)| intern(term))
                                .collect();
                            (full, intern(t.primary()))
                        })
                        .collect()
                })
                .collect();
            topics.push(
                text.question
                    .iter()
                    .flatten()
                    .filter(|t| t.kind == lexicon::Kind::Topic)
                    .map(|t| intern(t.primary()))
                    .collect::<Vec<u32>>(),
            );
            phrasings.push(ids);
            let stems: Vec<u32> = text.answer.iter().map(|t| intern(t.primary())).collect();
            answer_pairs.push(stems.windows(2).map(|w| (w[0], w[1])).collect());
            names.extend(text.names.iter().map(|n| intern(n)));
        }

        let n = entries.len().max(1) as f32;
        let mut idf = Vec::with_capacity(held.len());
        let mut postings = Vec::with_capacity(held.len());
        for per_entry in &held {
            let df: f32 = per_entry.values().map(|(q, a)| q.max(*a)).sum();
            idf.push(idf_of(n, df));
            let mut list: Vec<Posting> = per_entry
                .iter()
                .map(|(&entry, &(question, answer))| Posting {
                    entry,
                    question,
                    answer,
                })
                .collect();
            list.sort_by_key(|p| p.entry);
            postings.push(list);
        }
        let phrasings = phrasings
            .into_iter()
            .map(|entry: Vec<Vec<(Vec<u32>, u32)>>| {
                entry
                    .into_iter()
                    .map(|phrasing| {
                        phrasing
                            .into_iter()
                            .map(|(terms, primary)| PhrasingTerm {
                                terms,
                                idf: idf[primary as usize],
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let hints = hint_words(&entries);
        KnowledgeIndex {
            provides: analysed.iter().map(|a| a.provides).collect(),
            asks_about: analysed.iter().map(|a| a.asks_about).collect(),
            entries,
            term_ids,
            postings,
            idf,
            unseen_idf: idf_of(n, 0.0),
            phrasings,
            topics,
            answer_pairs,
            names,
            hints,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry, in the order built (the database's id order).
    pub fn entries(&self) -> &[KnowledgeEntry] {
        &self.entries
    }

    /// The entry with database id `id`.
    pub fn entry(&self, id: i64) -> Option<&KnowledgeEntry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// Top-k entries by how well they match `text`, best first, with no bar
    /// to clear: what a prompt or a person would look at.
    pub fn search(&self, text: &str, k: usize) -> Vec<(&KnowledgeEntry, f32)> {
        let words = words(text);
        let query = self.query(&words);
        self.score(&query, None)
            .into_iter()
            .filter(|s| s.coverage > 0.0)
            .take(k)
            .map(|s| (&self.entries[s.entry], s.score))
            .collect()
    }

    /// An entry chosen for part of an utterance is the best for all of it: "the air is so dry ... is there something you can put in for
    /// that" is about humidifiers, not whatever "put in" alone finds.
    fn fits_the_whole(&self, words: &[Word<'_>], entry: usize) -> bool {
        let query = self.query(words);
        let scored = self.score(&query, None);
        scored.first().is_some_and(|s| s.entry == entry)
    }

    /// Distinct salient words of the questions (and categories) for Twilio
    /// `<Gather hints>`.
    pub fn hint_keywords(&self) -> Vec<String> {
        self.hints.clone()
    }

    /// The best answer to the (first) question asked, when one is clearly
    /// right; see [`KnowledgeIndex::answers`].
    pub(crate) fn confident_answer(
        &self,
        words: &[Word<'_>],
        topic: Option<i64>,
    ) -> Option<GroundedAnswer> {
        self.answers(words, topic).into_iter().next()
    }

    /// The answers to what the caller asked, in the order asked: one per
    /// question when they asked several at once, none when no entry is
    /// clearly right. `topic` is the entry answered last in the call, for
    /// questions that lean on it ("how much is that?").
    pub(crate) fn answers(&self, words: &[Word<'_>], topic: Option<i64>) -> Vec<GroundedAnswer> {
        if self.entries.is_empty() || words.is_empty() {
            return Vec::new();
        }
        let topic = topic.and_then(|id| self.entries.iter().position(|e| e.id == id));
        let parts = question::questions(words);
        let mut found: Vec<(usize, f32)> = Vec::new();
        if parts.len() > 1 {
            let mut previous = topic;
            for part in parts {
                for (entry, score) in self.answer_question(&words[part], previous) {
                    if !found.iter().any(|(e, _)| *e == entry) {
                        found.push((entry, score));
                    }
                    previous = Some(entry);
                }
            }
        }
        if found.is_empty() {
            found = self.answer_question(words, topic);
        }
        if found.is_empty() {
            // "My cat's teeth are really bad, do you do dentals?"
            found = question::asked_parts(words)
                .into_iter()
                .map(|start| self.answer_question(&words[start..], topic))
                .find(|answers| !answers.is_empty())
                .unwrap_or_default();
            found.retain(|(entry, _)| self.fits_the_whole(words, *entry));
        }
        if found.is_empty() {
            // "Is the PFD taxable, I never know if ...": the question alone.
            if let Some(end) = question::question_end(words) {
                found = self.answer_question(&words[..end], topic);
                found.retain(|(entry, _)| self.fits_the_whole(words, *entry));
            }
        }
        found.truncate(MAX_ANSWERS);
        tracing::debug!(
            entries = ?found.iter().map(|(e, _)| self.entries[*e].id).collect::<Vec<_>>(),
            topic = ?topic.map(|t| self.entries[t].id),
            "knowledge answers"
        );
        found
            .into_iter()
            .map(|(entry, score)| {
                let entry = &self.entries[entry];
                GroundedAnswer {
                    entry_id: entry.id,
                    answer: entry.answer.clone(),
                    score,
                }
            })
            .collect()
    }
}

/// What a question is about as the matcher reads it: its topic and aspect
/// terms (stemmed, spoken phrases and synonyms folded into concepts, stop
/// words, fillers and generic words left out), sorted and without repeats.
/// Two phrasings with the same key ask the same thing ("um do you guys do
/// teeth whitening" and "Do you offer whitening?"); the dashboard groups
/// unanswered questions by it. A question of only generic words keys on
/// its plain words.
pub fn question_key(text: &str) -> String {
    let cleaned = clean_text(text);
    let words = words(&cleaned);
    let mut terms: Vec<String> = tokens(&words)
        .into_iter()
        .filter(|(_, token)| token.kind != lexicon::Kind::Light)
        .map(|(_, token)| token.primary().to_owned())
        .collect();
    if terms.is_empty() {
        terms = words.iter().map(|w| w.key.to_string()).collect();
    }
    terms.sort();
    terms.dedup();
    terms.join(" ")
}

/// Content words of the questions and extra phrasings, most frequent first,
/// then categories.
fn hint_words(entries: &[KnowledgeEntry]) -> Vec<String> {
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    let mut order = 0;
    let phrasings = entries
        .iter()
        .flat_map(|e| std::iter::once(&e.question).chain(&e.also_asked));
    for phrasing in phrasings {
        for w in words(phrasing) {
            if w.key.chars().count() < 3
                || lexicon::is_stop_word(&w.key)
                || !w.key.chars().all(char::is_alphabetic)
            {
                continue;
            }
            // The words as written ("walk-ins"), which the recogniser matches best.
            let key = w.raw.to_lowercase();
            match counts.iter_mut().find(|(k, _, _)| *k == key) {
                Some(c) => c.1 += 1,
                None => {
                    counts.push((key, 1, order));
                    order += 1;
                }
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let mut hints: Vec<String> = Vec::new();
    let categories = entries
        .iter()
        .filter_map(|e| e.category.as_deref())
        .map(|c| {
            c.chars()
                .filter(|c| !c.is_control() && *c != ',')
                .collect::<String>()
                .trim()
                .to_lowercase()
        });
    for hint in counts.into_iter().map(|(k, _, _)| k).chain(categories) {
        if hints.len() >= MAX_HINTS {
            break;
        }
        if !hint.is_empty() && hint.chars().count() <= MAX_HINT_CHARS && !hints.contains(&hint) {
            hints.push(hint);
        }
    }
    hints
}
