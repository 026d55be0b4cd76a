//! The rule for one knowledge entry, shared by the tenant file and the
//! dashboard's knowledge form: one code path decides what a valid entry is,
//! and each problem names the field it belongs to so the file can point at
//! its line and the form can show it next to the input.

use std::ops::RangeInclusive;

use super::KnowledgeEntry;
use super::rules::{range_problem, text_problem};

/// Questions and extra phrasings: a sentence or two.
pub const MAX_QUESTION: usize = 500;
/// Answers are read aloud; longer ones lose the caller.
pub const MAX_ANSWER: usize = 2_000;
/// Categories: one line of text.
pub const MAX_CATEGORY: usize = 200;
/// Extra phrasings of one knowledge question.
pub const MAX_ALSO_ASKED: usize = 20;
/// Higher answers first when two entries fit a question equally well.
pub const PRIORITY_RANGE: RangeInclusive<i64> = -1_000..=1_000;

/// A knowledge entry as its author wrote it, before any check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnowledgeDraft<'a> {
    pub question: &'a str,
    pub answer: &'a str,
    /// `None`: no category (a present but blank one is a mistake).
    pub category: Option<&'a str>,
    /// `None`: the default, 0.
    pub priority: Option<i64>,
    pub active: bool,
    pub also_asked: Vec<&'a str>,
}

/// Which part of an entry a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnowledgeField {
    Question,
    Answer,
    Category,
    Priority,
    /// The n-th extra phrasing, counting from 0.
    AlsoAsked(usize),
}

impl KnowledgeField {
    /// The key as the tenant file writes it: `question`, `also_asked[2]`.
    pub fn key(self) -> String {
        match self {
            KnowledgeField::Question => "question".to_owned(),
            KnowledgeField::Answer => "answer".to_owned(),
            KnowledgeField::Category => "category".to_owned(),
            KnowledgeField::Priority => "priority".to_owned(),
            KnowledgeField::AlsoAsked(k) => format!("also_asked[{k}]"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnowledgeProblem {
    pub field: KnowledgeField,
    pub message: String,
}

/// The entry `draft` describes, trimmed and with repeated phrasings
/// dropped, and every problem found in it (none: the entry is valid).
pub fn check_knowledge_entry(
    draft: &KnowledgeDraft<'_>,
) -> (KnowledgeEntry, Vec<KnowledgeProblem>) {
    let mut problems = Vec::new();
    let text = |problems: &mut Vec<KnowledgeProblem>, value: &str, field, max| {
        if let Some(message) = text_problem(value, max) {
            problems.push(KnowledgeProblem { field, message });
        }
        value.trim().to_owned()
    };
    let question = text(
        &mut problems,
        draft.question,
        KnowledgeField::Question,
        MAX_QUESTION,
    );
    let answer = text(
        &mut problems,
        draft.answer,
        KnowledgeField::Answer,
        MAX_ANSWER,
    );
    let category = draft.category.map(|category| {
        text(
            &mut problems,
            category,
            KnowledgeField::Category,
            MAX_CATEGORY,
        )
    });
    let mut also_asked: Vec<String> = Vec::new();
    let question_key = question.to_lowercase();
    for (k, raw) in draft.also_asked.iter().enumerate() {
        let field = KnowledgeField::AlsoAsked(k);
        if k == MAX_ALSO_ASKED {
            problems.push(KnowledgeProblem {
                field,
                message: format!("at most {MAX_ALSO_ASKED} phrasings per question"),
            });
        }
        let phrasing = text(&mut problems, raw, field, MAX_QUESTION);
        let key = phrasing.to_lowercase();
        if key != question_key && !also_asked.iter().any(|p| p.to_lowercase() == key) {
            also_asked.push(phrasing);
        }
    }
    let priority = match draft.priority {
        Some(number) => match range_problem(number, &PRIORITY_RANGE) {
            Some(message) => {
                problems.push(KnowledgeProblem {
                    field: KnowledgeField::Priority,
                    message,
                });
                0
            }
            None => number,
        },
        None => 0,
    };
    let entry = KnowledgeEntry {
        question,
        answer,
        category,
        priority: i32::try_from(priority).unwrap_or(0),
        active: draft.active,
        also_asked,
    };
    (entry, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft<'a>(question: &'a str, answer: &'a str) -> KnowledgeDraft<'a> {
        KnowledgeDraft {
            question,
            answer,
            active: true,
            ..KnowledgeDraft::default()
        }
    }

    #[test]
    fn a_valid_entry_is_trimmed_and_repeated_phrasings_are_dropped() {
        let (entry, problems) = check_knowledge_entry(&KnowledgeDraft {
            also_asked: vec![" Where do I park? ", "where do i park?", "parking?"],
            category: Some(" Visiting "),
            priority: Some(5),
            ..draft(" Parking? ", " Behind the building. ")
        });
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(entry.question, "Parking?");
        assert_eq!(entry.answer, "Behind the building.");
        assert_eq!(entry.category.as_deref(), Some("Visiting"));
        assert_eq!(entry.priority, 5);
        assert_eq!(entry.also_asked, ["Where do I park?"]);
    }

    #[test]
    fn each_problem_names_its_field() {
        let long = "x".repeat(MAX_ANSWER + 1);
        let (_, problems) = check_knowledge_entry(&KnowledgeDraft {
            also_asked: vec!["fine", "  "],
            category: Some(""),
            priority: Some(1_001),
            ..draft("", &long)
        });
        let fields: Vec<String> = problems.iter().map(|p| p.field.key()).collect();
        assert_eq!(
            fields,
            [
                "question",
                "answer",
                "category",
                "also_asked[1]",
                "priority"
            ]
        );
        assert_eq!(problems[0].message, "must not be empty");
        assert!(problems[1].message.contains("the limit is 2000"));
        assert!(problems[4].message.contains("between -1000 and 1000"));
    }
}
