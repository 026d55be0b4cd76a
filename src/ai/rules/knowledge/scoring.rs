//! Scoring entries against one question and deciding whether any of them is
//! clearly the answer.

use super::super::normalize::Word;
use super::KnowledgeIndex;
use super::lexicon::{Kind, tokens};
use super::question::{self, Focus};

/// A match in the answer counts this much of one in the question.
const ANSWER_CREDIT: f32 = 0.7;
/// Generic words weigh this share of their rarity...
const LIGHT_SHARE: f32 = 0.15;
/// ... and this much when no entry has them.
const LIGHT_UNSEEN: f32 = 0.2;
/// Score for an entry whose question asks what the caller asks ("How much
/// is a service call?" for "what's your service call fee"), over one that
/// only mentions it in passing.
const FOCUS_BONUS: f32 = 0.05;
/// Score for each unit of generic words matched: a tie-breaker.
const LIGHT_BONUS: f32 = 0.02;
/// An unknown word naming a value of a known topic ("a refill of his
/// apoquel", "is woodbury too far") weighs this share of an unknown word.
const VALUE_SHARE: f32 = 0.25;
/// An unknown "-ed"/"-ing" word weighs this share of an unknown word.
const INFLECTED_SHARE: f32 = 0.5;
/// Share of what was asked (by weight) the chosen entry must cover.
const MIN_COVERAGE: f32 = 0.6;
/// Shares of the score: how much of the caller's question the entry covers,
/// how much of it in the caller's own words, and how much of the entry's
/// own question the caller asked.
const COVERAGE_SHARE: f32 = 0.6;
const SAME_WORDS_SHARE: f32 = 0.15;
const ASKED_SHARE: f32 = 0.25;
/// Share an utterance that asks nothing ("message for Mr Whitaker please")
/// must have covered, by an entry whose question names its topic.
const STATEMENT_COVERAGE: f32 = 0.8;
/// Lead the best entry needs over the next (scores run from 0 to about 1).
const MARGIN: f32 = 0.1;
/// Score added to the previous answer's entry for a follow-up question
/// (half of it to entries sharing its topic).
const CONTEXT_BONUS: f32 = 0.2;
/// A token counts as matched by an entry at this share of its weight.
const MATCHED: f32 = 0.5;

/// One idea of the caller's question, with the terms the index knows.
pub(super) struct QueryToken {
    pub terms: Vec<(u32, f32)>,
    pub importance: f32,
    pub kind: Kind,
    /// Counts toward coverage (generic words only when nothing else was said).
    counts: bool,
    /// The word itself (its stem), when an entry has it.
    primary: Option<u32>,
}

pub(super) struct Query {
    pub tokens: Vec<QueryToken>,
    pub focus: Focus,
    total: f32,
    /// Topic tokens, known or not.
    pub topics: usize,
    /// The words ask something (not only "a message for Mr Whitaker").
    pub asks: bool,
}

/// How one entry matches a query.
pub(super) struct Scored {
    pub entry: usize,
    pub coverage: f32,
    pub score: f32,
    /// The entry matches a topic token (not only how the question is asked).
    pub topical: bool,
    /// The entry matches something beyond generic words.
    pub anchored: bool,
    /// The entry's question (not only its answer) matches a topic token.
    pub in_question: bool,
}

/// The previous answer a follow-up question leans on.
pub(super) struct Context<'a> {
    entry: usize,
    terms: &'a [u32],
}

impl KnowledgeIndex {
    pub(super) fn query(&self, words: &[Word<'_>]) -> Query {
        let analysed = tokens(words);
        let focus = question::focus(words, &analysed);
        let mut out: Vec<QueryToken> = Vec::with_capacity(analysed.len());
        let mut topics = 0;
        let known_of = |token: &super::lexicon::Token| -> Vec<(u32, f32)> {
            token
                .terms
                .iter()
                .filter_map(|(term, w)| self.term_ids.get(term).map(|&id| (id, *w)))
                .collect()
        };
        let asks_area = analysed
            .iter()
            .any(|(_, t)| t.weight_of("#area").is_some_and(|w| w >= 1.0));
        let known_topic_at = |word: usize| {
            analysed
                .iter()
                .any(|(at, t)| *at == word && t.kind == Kind::Topic && !known_of(t).is_empty())
        };
        for (at, token) in &analysed {
            if token.kind == Kind::Topic {
                topics += 1;
            }
            let known = known_of(token);
            // "A 1099", "my 2015 civic": a number no entry has is a value.
            let numeric = words[*at].key.chars().any(|c| c.is_ascii_digit());
            let value = known.is_empty()
                && token.kind == Kind::Topic
                && (numeric || question::names_a_value(words, *at, asks_area, known_topic_at));
            let importance = match token.kind {
                Kind::Light => known
                    .iter()
                    .map(|&(id, w)| LIGHT_SHARE * w * self.idf[id as usize])
                    .reduce(f32::max)
                    .unwrap_or(LIGHT_UNSEEN),
                _ if value => VALUE_SHARE * self.importance(token, &known),
                _ => self.importance(token, &known),
            };
            // "How much ... charge": one way of asking said twice counts once.
            let same_idea = |other: &QueryToken| {
                token.kind == Kind::Aspect
                    && other.kind == Kind::Aspect
                    && known
                        .iter()
                        .filter(|(_, w)| *w >= 1.0)
                        .any(|(id, _)| other.terms.iter().any(|(o, w)| o == id && *w >= 1.0))
            };
            match out.iter_mut().find(|t| same_idea(t)) {
                Some(existing) => {
                    existing.importance = existing.importance.max(importance);
                    for term in known {
                        if !existing.terms.iter().any(|(id, _)| *id == term.0) {
                            existing.terms.push(term);
                        }
                    }
                }
                None => out.push(QueryToken {
                    terms: known,
                    importance,
                    kind: token.kind,
                    counts: true,
                    primary: self.term_ids.get(token.primary()).copied(),
                }),
            }
        }
        // Generic words count neither against an entry nor for it, unless
        // nothing else was said.
        let only_light = out.iter().all(|t| t.kind == Kind::Light);
        for token in &mut out {
            token.counts = only_light || token.kind != Kind::Light;
        }
        let total = out.iter().filter(|t| t.counts).map(|t| t.importance).sum();
        Query {
            tokens: out,
            focus,
            total,
            topics,
            asks: question::asks_anything(words),
        }
    }

    /// How much a word of the question weighs: the rarity of what it means
    /// (its commonest concept when it is a synonym, else the word itself); a word the
    /// entries do not know weighs the most, less when it is only related to
    /// a known concept or looks like a verb ("adopted", "turning").
    fn importance(&self, token: &super::lexicon::Token, known: &[(u32, f32)]) -> f32 {
        let idf = |id: u32| self.idf[id as usize];
        let primary = token.primary();
        let primary_id = self.term_ids.get(primary).copied();
        let meaning = known
            .iter()
            .filter(|&&(id, w)| w >= 1.0 && Some(id) != primary_id)
            .map(|&(id, _)| idf(id))
            .reduce(f32::min);
        if let Some(idf) = meaning.or(primary_id.map(idf)) {
            return idf;
        }
        let unknown = if token.inflected {
            INFLECTED_SHARE * self.unseen_idf
        } else {
            self.unseen_idf
        };
        match known
            .iter()
            .map(|&(id, w)| (idf(id), w))
            .reduce(|a, b| if a.0 * a.1 >= b.0 * b.1 { a } else { b })
        {
            Some((idf, weight)) => weight * idf + (1.0 - weight) * unknown,
            None => unknown,
        }
    }

    /// Every entry that matches anything, best first.
    pub(super) fn score(&self, query: &Query, context: Option<&Context<'_>>) -> Vec<Scored> {
        let n = self.entries.len();
        let width = query.tokens.len();
        let mut covered = vec![0.0f32; n * width];
        // The same, by the entries' questions alone.
        let mut asked_in = vec![0.0f32; n * width];
        for (t, token) in query.tokens.iter().enumerate() {
            for &(id, weight) in &token.terms {
                let idf = self.idf[id as usize];
                // A name only one answer lists ("Goodman" among the brands
                // serviced) is what that entry is about, as in a question.
                let listed = Some(id) == token.primary
                    && self.names.contains(&id)
                    && self.postings[id as usize].len() == 1;
                let credit = if listed { 1.0 } else { ANSWER_CREDIT };
                for posting in &self.postings[id as usize] {
                    let strength = posting.question.max(posting.answer * credit);
                    let at = posting.entry as usize * width + t;
                    let value = (weight * idf * strength).min(token.importance);
                    covered[at] = covered[at].max(value);
                    let value = (weight * idf * posting.question).min(token.importance);
                    asked_in[at] = asked_in[at].max(value);
                }
            }
        }
        // Two topic words said together as the answer says them ("duct
        // cleaning" in a list of work not done) count as in a question.
        for t in 1..width {
            let (first, second) = (&query.tokens[t - 1], &query.tokens[t]);
            if first.kind != Kind::Topic || second.kind != Kind::Topic {
                continue;
            }
            let (Some(a), Some(b)) = (first.primary, second.primary) else {
                continue;
            };
            for posting in &self.postings[a as usize] {
                let entry = posting.entry as usize;
                if !self.answer_pairs[entry].contains(&(a, b)) {
                    continue;
                }
                for (at, token, id) in [(t - 1, first, a), (t, second, b)] {
                    let cell = &mut covered[entry * width + at];
                    *cell = cell.max(self.idf[id as usize].min(token.importance));
                }
            }
        }
        let same_words = self.same_words(query);
        let asked: Vec<u32> = query
            .tokens
            .iter()
            .flat_map(|t| t.terms.iter().map(|(id, _)| *id))
            .collect();
        let mut scored: Vec<Scored> = (0..n)
            .filter_map(|entry| {
                let row = &covered[entry * width..(entry + 1) * width];
                let matched = |t: usize| row[t] >= MATCHED * query.tokens[t].importance;
                let (sum, light) =
                    row.iter()
                        .zip(&query.tokens)
                        .fold((0.0f32, 0.0f32), |(sum, light), (c, t)| {
                            if t.counts {
                                (sum + c, light)
                            } else {
                                (sum, light + c)
                            }
                        });
                let in_context = context.map(|c| self.context_bonus(c, entry));
                if sum + light <= 0.0 && in_context.is_none_or(|b| b <= 0.0) {
                    return None;
                }
                let coverage = sum / query.total.max(f32::EPSILON);
                let kind_matched =
                    |kind: Kind| (0..width).any(|t| query.tokens[t].kind == kind && matched(t));
                let priority = self.entries[entry].priority.clamp(-10, 10) as f32;
                let focus_bonus = if query.focus != Focus::default()
                    && self.asks_about[entry].covers(query.focus)
                {
                    FOCUS_BONUS
                } else {
                    0.0
                };
                let score = COVERAGE_SHARE * coverage
                    + SAME_WORDS_SHARE * same_words[entry]
                    + ASKED_SHARE * self.asked_share(entry, &asked)
                    + in_context.unwrap_or(0.0)
                    + LIGHT_BONUS * light
                    + focus_bonus
                    + 0.001 * priority;
                Some(Scored {
                    entry,
                    coverage,
                    score,
                    topical: kind_matched(Kind::Topic),
                    in_question: (0..width).any(|t| {
                        query.tokens[t].kind == Kind::Topic
                            && asked_in[entry * width + t] >= MATCHED * query.tokens[t].importance
                    }),
                    anchored: kind_matched(Kind::Topic) || kind_matched(Kind::Aspect),
                })
            })
            .collect();
        scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        scored
    }

    /// Per entry: the share of the caller's words (by rarity) it uses as
    /// they were said, "Aetna" rather than any insurance.
    fn same_words(&self, query: &Query) -> Vec<f32> {
        let mut found = vec![0.0f32; self.entries.len()];
        let mut total = 0.0;
        for token in query.tokens.iter().filter(|t| t.counts) {
            let Some(id) = token.primary else {
                total += token.importance;
                continue;
            };
            let weight = self.idf[id as usize];
            total += weight;
            for posting in &self.postings[id as usize] {
                let strength = if posting.question >= 1.0 {
                    1.0
                } else if posting.answer >= 1.0 {
                    ANSWER_CREDIT
                } else {
                    0.0
                };
                found[posting.entry as usize] += weight * strength;
            }
        }
        if total > 0.0 {
            for share in &mut found {
                *share /= total;
            }
        }
        found
    }

    /// How much of the entry's best-matching question phrasing the caller
    /// asked about, by weight.
    fn asked_share(&self, entry: usize, asked: &[u32]) -> f32 {
        self.phrasings[entry]
            .iter()
            .map(|phrasing| {
                let total: f32 = phrasing.iter().map(|p| p.idf).sum();
                let hit: f32 = phrasing
                    .iter()
                    .filter(|p| p.terms.iter().any(|t| asked.contains(t)))
                    .map(|p| p.idf)
                    .sum();
                if total > 0.0 { hit / total } else { 0.0 }
            })
            .fold(0.0, f32::max)
    }

    fn context_bonus(&self, context: &Context<'_>, entry: usize) -> f32 {
        if entry == context.entry {
            return CONTEXT_BONUS;
        }
        if context.terms.is_empty() {
            return 0.0;
        }
        let shared = context
            .terms
            .iter()
            .filter(|&&term| {
                self.postings[term as usize]
                    .binary_search_by_key(&(entry as u32), |p| p.entry)
                    .is_ok()
            })
            .count();
        CONTEXT_BONUS * 0.5 * shared as f32 / context.terms.len() as f32
    }

    /// The entry that answers the question, if one clearly does.
    pub(super) fn decide(
        &self,
        query: &Query,
        scored: &[Scored],
        eligible: impl Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        // Without a topic, only a question for a kind of answer ("how much
        // do you charge?", "who's the hygienist?") asks anything.
        if query.topics == 0 && query.focus == Focus::default() {
            return Vec::new();
        }
        let fit: Vec<&Scored> = scored
            .iter()
            .filter(|s| {
                eligible(s.entry)
                    && s.anchored
                    && (query.topics == 0 || s.topical)
                    && self.provides[s.entry].covers(query.focus)
            })
            .collect();
        let Some(best) = fit.first() else {
            return Vec::new();
        };
        let runner_up = fit.get(1);
        let clear = runner_up.is_none_or(|second| {
            best.score - second.score >= MARGIN
                || self.entries[best.entry].priority > self.entries[second.entry].priority
                || self.names_only(query, best.entry)
        });
        tracing::debug!(
            entry = self.entries[best.entry].id,
            coverage = best.coverage,
            score = best.score,
            runner_up = ?runner_up.map(|s| (self.entries[s.entry].id, s.score)),
            "knowledge best match"
        );
        let stated = query.asks || (best.in_question && best.coverage >= STATEMENT_COVERAGE);
        if best.coverage >= MIN_COVERAGE && clear && stated {
            return vec![(best.entry, best.score)];
        }
        Vec::new()
    }

    /// The caller named something, in their own words, that `entry` alone
    /// holds: "Apple Pay" in the list of cards taken, not in the financing
    /// entry, though both are about paying.
    fn names_only(&self, query: &Query, entry: usize) -> bool {
        query.tokens.iter().any(|t| {
            t.kind == Kind::Topic
                && t.primary.is_some_and(|id| {
                    matches!(self.postings[id as usize].as_slice(),
                        [only] if only.entry as usize == entry
                            && only.answer.max(only.question) >= 1.0)
                })
        })
    }

    /// The answer(s) to one question, read against the previous answer
    /// (`topic`) when it leans on it.
    pub(super) fn answer_question(
        &self,
        words: &[Word<'_>],
        topic: Option<usize>,
    ) -> Vec<(usize, f32)> {
        let query = self.query(words);
        if query.tokens.is_empty() {
            return Vec::new();
        }
        let plain = || self.decide(&query, &self.score(&query, None), |_| true);
        let leans = question::leans_on_previous(words);
        let Some(topic) = topic else {
            // "How much is that?" with nothing before it asks about nothing.
            return if leans && query.topics == 0 {
                Vec::new()
            } else {
                plain()
            };
        };
        let context = Context {
            entry: topic,
            terms: &self.topics[topic],
        };
        // The previous answer itself when it answers; else an entry on its topic.
        let follow_up = || {
            let scored = self.score(&query, Some(&context));
            let itself = self.decide(&query, &scored, |e| e == topic);
            if !itself.is_empty() {
                return itself;
            }
            self.decide(&query, &scored, |e| {
                e != topic && self.context_bonus(&context, e) > 0.0
            })
        };
        if leans {
            let found = follow_up();
            if !found.is_empty() || query.topics < 2 {
                return found;
            }
            return plain();
        }
        let found = plain();
        if found.is_empty() && query.topics < 2 {
            return follow_up();
        }
        found
    }
}
