//! Knowledge-base retrieval: BM25F over question and answer text, built once
//! per tenant configuration and shared between turns.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::normalize::{Word, is_stop_word, terms_of, terms_of_words, words};
use crate::conversation::interpretation::GroundedAnswer;

/// One question/answer pair of a tenant's knowledge base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowledgeEntry {
    pub id: i64,
    pub question: String,
    pub answer: String,
    pub category: Option<String>,
    pub priority: i32,
}

/// BM25 term-frequency saturation.
const K1: f32 = 1.2;
/// BM25 length normalisation.
const B: f32 = 0.75;
/// A word in the question says more about the entry than one in the answer.
const QUESTION_WEIGHT: f32 = 2.0;
const ANSWER_WEIGHT: f32 = 1.0;
/// Share of the query's weight (by idf) the best entry must match to be spoken.
const MIN_COVERAGE: f32 = 0.45;
/// Queries with more distinct terms than this must match at least two.
const ONE_TERM_QUERY_MAX: usize = 2;
const MAX_HINTS: usize = 40;
const MAX_HINT_CHARS: usize = 100;

#[derive(Debug, Clone)]
struct Posting {
    entry: u32,
    /// idf-weighted, saturated BM25F contribution of the term to the entry.
    weight: f32,
}

/// Inverted index over a tenant's knowledge entries. Immutable once built, so
/// it is `Send + Sync` and shared between concurrent calls.
#[derive(Debug, Clone)]
pub struct KnowledgeIndex {
    entries: Vec<KnowledgeEntry>,
    term_ids: HashMap<String, usize>,
    postings: Vec<Vec<Posting>>,
    idf: Vec<f32>,
    /// idf of a term no entry contains: what an unknown query word weighs.
    unseen_idf: f32,
    hints: Vec<String>,
}

struct Scored {
    entry: usize,
    score: f32,
    matched: usize,
    matched_idf: f32,
}

impl KnowledgeIndex {
    pub fn build(entries: Vec<KnowledgeEntry>) -> KnowledgeIndex {
        let question_terms: Vec<Vec<String>> =
            entries.iter().map(|e| terms_of(&e.question)).collect();
        let answer_terms: Vec<Vec<String>> = entries.iter().map(|e| terms_of(&e.answer)).collect();
        let n = entries.len().max(1) as f32;
        let avg_question = (question_terms.iter().map(Vec::len).sum::<usize>() as f32 / n).max(1.0);
        let avg_answer = (answer_terms.iter().map(Vec::len).sum::<usize>() as f32 / n).max(1.0);

        let mut term_ids: HashMap<String, usize> = HashMap::new();
        // Per term: entry -> (question tf, answer tf).
        let mut frequencies: Vec<HashMap<u32, (f32, f32)>> = Vec::new();
        for (entry, (question, answer)) in question_terms.iter().zip(&answer_terms).enumerate() {
            for (terms, in_question) in [(question, true), (answer, false)] {
                for term in terms {
                    let next_id = term_ids.len();
                    let id = *term_ids.entry(term.clone()).or_insert(next_id);
                    if id == frequencies.len() {
                        frequencies.push(HashMap::new());
                    }
                    let tf = frequencies[id].entry(entry as u32).or_insert((0.0, 0.0));
                    if in_question {
                        tf.0 += 1.0;
                    } else {
                        tf.1 += 1.0;
                    }
                }
            }
        }

        let idf_of = |df: usize| (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln();
        let mut idf = Vec::with_capacity(frequencies.len());
        let mut postings = Vec::with_capacity(frequencies.len());
        for per_entry in &frequencies {
            let term_idf = idf_of(per_entry.len());
            let mut list: Vec<Posting> = per_entry
                .iter()
                .map(|(&entry, &(tf_question, tf_answer))| {
                    let e = entry as usize;
                    let question_norm = 1.0 - B + B * question_terms[e].len() as f32 / avg_question;
                    let answer_norm = 1.0 - B + B * answer_terms[e].len() as f32 / avg_answer;
                    let tf = QUESTION_WEIGHT * tf_question / question_norm
                        + ANSWER_WEIGHT * tf_answer / answer_norm;
                    Posting {
                        entry,
                        weight: term_idf * tf * (K1 + 1.0) / (tf + K1),
                    }
                })
                .collect();
            list.sort_by_key(|p| p.entry);
            idf.push(term_idf);
            postings.push(list);
        }
        let hints = hint_words(&entries);
        KnowledgeIndex {
            entries,
            term_ids,
            postings,
            idf,
            unseen_idf: idf_of(0),
            hints,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Top-k entries by BM25 score over question + answer text (question
    /// terms weighted higher), best first.
    pub fn search(&self, text: &str, k: usize) -> Vec<(&KnowledgeEntry, f32)> {
        let terms = terms_of(text);
        let mut scored = self.score(&terms);
        scored.truncate(k);
        scored
            .into_iter()
            .map(|s| (&self.entries[s.entry], s.score))
            .collect()
    }

    /// Distinct salient words of the questions (and categories) for Twilio
    /// `<Gather hints>`.
    pub fn hint_keywords(&self) -> Vec<String> {
        self.hints.clone()
    }

    /// The best entry when it is clearly about what was asked: it matches
    /// enough of the query's distinct terms, weighted by how rare they are.
    /// A query about something the knowledge base does not cover keeps its
    /// unknown words, which weigh the most, so it falls below the bar.
    pub(crate) fn confident_answer(&self, words: &[Word<'_>]) -> Option<GroundedAnswer> {
        let terms = distinct(terms_of_words(words));
        if terms.is_empty() {
            return None;
        }
        let best = self.score(&terms).into_iter().next()?;
        let query_idf: f32 = terms
            .iter()
            .map(|t| {
                self.term_ids
                    .get(t)
                    .map_or(self.unseen_idf, |&id| self.idf[id])
            })
            .sum();
        let coverage = best.matched_idf / query_idf.max(f32::EPSILON);
        let needed = if terms.len() <= ONE_TERM_QUERY_MAX {
            1
        } else {
            2
        };
        (best.matched >= needed && coverage >= MIN_COVERAGE).then(|| {
            let entry = &self.entries[best.entry];
            GroundedAnswer {
                entry_id: entry.id,
                answer: entry.answer.clone(),
                score: best.score,
            }
        })
    }

    fn score(&self, terms: &[String]) -> Vec<Scored> {
        let mut scores: Vec<Scored> = (0..self.entries.len())
            .map(|entry| Scored {
                entry,
                score: 0.0,
                matched: 0,
                matched_idf: 0.0,
            })
            .collect();
        for term in distinct(terms.to_vec()) {
            let Some(&id) = self.term_ids.get(&term) else {
                continue;
            };
            for posting in &self.postings[id] {
                let s = &mut scores[posting.entry as usize];
                s.score += posting.weight;
                s.matched += 1;
                s.matched_idf += self.idf[id];
            }
        }
        scores.retain(|s| s.matched > 0);
        for s in &mut scores {
            let priority = self.entries[s.entry].priority.clamp(-10, 10) as f32;
            s.score *= 1.0 + 0.01 * priority;
        }
        scores.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        scores
    }
}

fn distinct(mut terms: Vec<String>) -> Vec<String> {
    let mut seen = Vec::with_capacity(terms.len());
    terms.retain(|t| {
        if seen.contains(t) {
            false
        } else {
            seen.push(t.clone());
            true
        }
    });
    terms
}

/// Content words of the questions, most frequent first, then categories.
fn hint_words(entries: &[KnowledgeEntry]) -> Vec<String> {
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    let mut order = 0;
    for entry in entries {
        for w in words(&entry.question) {
            if w.key.chars().count() < 3
                || is_stop_word(&w.key)
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
