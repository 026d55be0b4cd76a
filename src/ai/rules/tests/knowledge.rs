use super::{ask_plumber, dental_kb, hear, plumber_kb, profile};
use crate::ai::rules::{KnowledgeEntry, KnowledgeIndex};
use crate::conversation::interpretation::{Expecting, Intent};

fn answer_id(text: &str) -> Option<i64> {
    hear(text).answer.map(|a| a.entry_id)
}

fn plumber_answer_id(text: &str) -> Option<i64> {
    ask_plumber(text).answer.map(|a| a.entry_id)
}

#[test]
fn a_covered_dental_question_is_answered_from_the_right_entry() {
    assert_eq!(answer_id("do you take delta dental insurance"), Some(1));
    assert_eq!(answer_id("um do you guys take walk ins"), Some(2));
    assert_eq!(answer_id("how much is a cleaning"), Some(3));
    assert_eq!(answer_id("do you do teeth whitening"), Some(4));
    assert_eq!(answer_id("are you taking new patients?"), Some(5));
    assert_eq!(answer_id("is there parking"), Some(6));
    assert_eq!(
        answer_id("what happens if I need to cancel my appointment"),
        Some(7)
    );
    assert_eq!(answer_id("do you do emergencies"), Some(8));
}

#[test]
fn a_knowledge_answer_makes_the_utterance_a_question() {
    let heard = hear("What's the price of whitening?");
    assert_eq!(heard.intent, Intent::Question);
    assert_eq!(heard.answer.map(|a| a.entry_id), Some(4));
}

#[test]
fn a_question_the_knowledge_base_does_not_cover_gets_no_answer() {
    for text in [
        "do you do tattoo removal",
        "do you accept bitcoin",
        "can you fix my car",
        "what's the wifi password",
        "do you sell dog food",
        "is the doctor married",
    ] {
        assert_eq!(answer_id(text), None, "{text}");
    }
}

#[test]
fn a_covered_plumbing_question_is_answered() {
    assert_eq!(
        plumber_answer_id("do you install tankless water heaters"),
        Some(15)
    );
    assert_eq!(plumber_answer_id("what's your service call fee"), Some(13));
    assert_eq!(
        plumber_answer_id("my drain is clogged can you fix it"),
        Some(17)
    );
    assert_eq!(plumber_answer_id("do you serve shelbyville"), Some(12));
    assert_eq!(plumber_answer_id("are you insured"), Some(16));
    assert_eq!(
        plumber_answer_id("is there a guarantee on repairs"),
        Some(18)
    );
}

#[test]
fn a_plumbing_question_the_knowledge_base_does_not_cover_gets_no_answer() {
    for text in [
        "do you do roofing",
        "do you install solar panels",
        "how much do you charge for a roof inspection",
        "can you paint my fence",
        "do you sell pizza",
    ] {
        assert_eq!(plumber_answer_id(text), None, "{text}");
    }
}

#[test]
fn search_ranks_the_best_entry_first() {
    let index = dental_kb();
    let hits = index.search("teeth whitening price", 3);
    assert_eq!(hits.first().map(|(e, _)| e.id), Some(4));
    assert!(hits.windows(2).all(|w| w[0].1 >= w[1].1));
    assert!(index.search("zebra", 5).is_empty());
}

#[test]
fn priority_breaks_ties_between_equal_entries() {
    let index = KnowledgeIndex::build(vec![
        KnowledgeEntry {
            id: 1,
            question: "Do you have parking?".into(),
            answer: "Yes.".into(),
            category: None,
            priority: 0,
            also_asked: Vec::new(),
        },
        KnowledgeEntry {
            id: 2,
            question: "Do you have parking?".into(),
            answer: "Yes.".into(),
            category: None,
            priority: 5,
            also_asked: Vec::new(),
        },
    ]);
    assert_eq!(index.search("parking", 1)[0].0.id, 2);
}

#[test]
fn hint_keywords_are_distinct_salient_words() {
    let hints = plumber_kb().hint_keywords();
    assert!(hints.contains(&"emergency".to_string()));
    assert!(hints.contains(&"heaters".to_string()));
    assert!(!hints.contains(&"you".to_string()));
    assert!(hints.len() <= 40 && hints.iter().all(|h| h.len() <= 100));
    let mut sorted = hints.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), hints.len());
}

#[test]
fn an_empty_knowledge_base_answers_nothing() {
    let index = KnowledgeIndex::build(Vec::new());
    assert!(index.search("hours", 3).is_empty());
    assert!(index.hint_keywords().is_empty());
}

#[test]
fn two_questions_in_one_breath_get_both_answers_in_the_order_asked() {
    let heard = hear("um how much is a cleaning and do you take delta dental insurance");
    assert_eq!(heard.intent, Intent::Question);
    assert_eq!(heard.answer.map(|a| a.entry_id), Some(3));
    assert_eq!(
        heard.also.iter().map(|a| a.entry_id).collect::<Vec<_>>(),
        [1]
    );
}

#[test]
fn a_follow_up_is_read_against_the_entry_answered_last() {
    let follow_up = |topic| {
        crate::ai::rules::interpret_in_call(
            "how much is that",
            Expecting::Anything,
            &profile(),
            &dental_kb(),
            1,
            &Default::default(),
            topic,
        )
        .answer
        .map(|a| a.entry_id)
    };
    assert_eq!(follow_up(Some(4)), Some(4), "whitening's price");
    assert_eq!(follow_up(None), None, "'that' is nothing without a topic");
    assert_eq!(
        follow_up(Some(999)),
        None,
        "an entry since removed is no topic"
    );
}

#[test]
fn a_staff_question_is_not_answered_from_a_procedure_entry() {
    for text in [
        "who's the dentist there",
        "what's the name of the doctor",
        "is doctor patel nice",
    ] {
        assert_eq!(answer_id(text), None, "{text}");
    }
}
