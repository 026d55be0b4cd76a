//! Single behaviours of retrieval, each on a small knowledge base.

use super::super::{KnowledgeEntry, KnowledgeIndex};
use crate::ai::rules::normalize::words;

fn entry(id: i64, question: &str, answer: &str) -> KnowledgeEntry {
    KnowledgeEntry {
        id,
        question: question.into(),
        answer: answer.into(),
        category: None,
        priority: 0,
        also_asked: Vec::new(),
    }
}

fn answer_ids(index: &KnowledgeIndex, text: &str, topic: Option<i64>) -> Vec<i64> {
    index
        .answers(&words(text), topic)
        .iter()
        .map(|a| a.entry_id)
        .collect()
}

#[test]
fn a_tenants_extra_phrasing_finds_its_entry() {
    let plain = vec![
        entry(1, "Do you offer boarding?", "Yes, $45 a night."),
        entry(2, "Do you do grooming?", "Baths and nail trims."),
    ];
    let mut phrased = plain.clone();
    phrased[0].also_asked = vec!["Can you look after my dog while I'm away?".into()];
    let question = "could you look after my dog while were away";
    assert_eq!(
        answer_ids(&KnowledgeIndex::build(plain), question, None),
        Vec::<i64>::new()
    );
    assert_eq!(
        answer_ids(&KnowledgeIndex::build(phrased), question, None),
        [1]
    );
}
