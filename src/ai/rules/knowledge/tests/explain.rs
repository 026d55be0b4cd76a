//! How a question was read and scored, printed under a failing case.

use std::collections::HashMap;

use super::super::KnowledgeIndex;
use crate::ai::rules::normalize::Word;

impl KnowledgeIndex {
    /// How a question was read and scored, for a failing test's message.
    pub(super) fn explain(&self, words: &[Word<'_>]) -> String {
        let query = self.query(words);
        let names: HashMap<u32, &str> = self
            .term_ids
            .iter()
            .map(|(term, id)| (*id, term.as_str()))
            .collect();
        let mut out = format!("      focus {:?}, topics {}\n", query.focus, query.topics);
        for token in &query.tokens {
            let terms: Vec<String> = token
                .terms
                .iter()
                .map(|(id, w)| format!("{}:{w:.1}", names.get(id).unwrap_or(&"?")))
                .collect();
            out += &format!(
                "      {:?} {:.2} [{}]\n",
                token.kind,
                token.importance,
                terms.join(" ")
            );
        }
        for s in self.score(&query, None).iter().take(4) {
            out += &format!(
                "      {:.2} cov {:.2} topical {} anchored {} provides {} | {}\n",
                s.score,
                s.coverage,
                s.topical,
                s.anchored,
                self.provides[s.entry].covers(query.focus),
                self.entries[s.entry].question
            );
        }
        out
    }
}
