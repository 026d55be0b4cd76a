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

#[test]
fn two_equally_good_entries_answer_nothing_unless_the_tenant_prefers_one() {
    let mut entries = vec![
        entry(1, "How much is a service call?", "Our service call is $89."),
        entry(
            2,
            "How much is drain cleaning?",
            "Drain cleaning starts at $149.",
        ),
        entry(3, "Are you licensed?", "Yes, license PL-12345."),
    ];
    let question = "um how much do you guys charge";
    let tied = KnowledgeIndex::build(entries.clone());
    assert_eq!(answer_ids(&tied, question, None), Vec::<i64>::new());
    entries[0].priority = 10;
    let preferred = KnowledgeIndex::build(entries);
    assert_eq!(answer_ids(&preferred, question, None), [1]);
    assert_eq!(
        answer_ids(&preferred, "how much is drain cleaning", None),
        [2]
    );
}

#[test]
fn speech_hints_include_the_tenants_extra_phrasings() {
    let mut boarding = entry(1, "Do you offer boarding?", "Yes.");
    boarding.also_asked = vec!["Do you have a kennel?".into()];
    let hints = KnowledgeIndex::build(vec![boarding]).hint_keywords();
    assert!(hints.contains(&"boarding".to_string()), "{hints:?}");
    assert!(hints.contains(&"kennel".to_string()), "{hints:?}");
}

#[test]
fn a_follow_up_without_a_fitting_answer_is_not_answered_from_an_unrelated_entry() {
    let index = KnowledgeIndex::build(vec![
        entry(
            1,
            "How much is drain cleaning?",
            "Drain cleaning starts at $149.",
        ),
        entry(
            2,
            "What's included in a tune-up?",
            "A tune-up includes a safety check.",
        ),
    ]);
    assert_eq!(
        answer_ids(&index, "is that included", Some(1)),
        Vec::<i64>::new()
    );
    assert_eq!(
        answer_ids(&index, "whats included in a tune up", Some(1)),
        [2]
    );
}
