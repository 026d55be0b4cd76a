//! The knowledge entry form: what the owner typed, checked by the same rule
//! as the tenant file's `[[knowledge]]` entries
//! ([`check_knowledge_entry`]), each problem kept next to its field.

use serde::Deserialize;

use super::entries::StoredEntry;
use crate::tenants::file::KnowledgeEntry;
use crate::tenants::file::knowledge_rule::{
    KnowledgeDraft, KnowledgeField, MAX_ALSO_ASKED, check_knowledge_entry,
};

/// The form's fields as posted (and as re-shown after a mistake).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub answer: String,
    /// Blank: no category.
    #[serde(default)]
    pub category: String,
    /// Blank: 0.
    #[serde(default)]
    pub priority: String,
    /// One phrasing per line; blank lines are ignored.
    #[serde(default)]
    pub also_asked: String,
    /// Present (any value) when the box is ticked.
    pub active: Option<String>,
}

/// What is wrong with a posted form, field by field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors {
    pub question: Option<String>,
    pub answer: Option<String>,
    pub category: Option<String>,
    pub priority: Option<String>,
    pub also_asked: Option<String>,
}

impl FormErrors {
    pub fn is_empty(&self) -> bool {
        *self == FormErrors::default()
    }

    /// Keeps the first problem of a field: the one to fix first.
    fn add(slot: &mut Option<String>, message: String) {
        if slot.is_none() {
            *slot = Some(message);
        }
    }
}

/// A sentence for the page from a rule's message ("must not be empty" →
/// "Must not be empty.").
fn sentence(message: &str) -> String {
    let mut text = message.to_owned();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

impl EntryForm {
    /// The form filled in with a stored entry, to edit it.
    pub fn from_stored(entry: &StoredEntry) -> EntryForm {
        EntryForm {
            question: entry.question.clone(),
            answer: entry.answer.clone(),
            category: entry.category.clone().unwrap_or_default(),
            priority: entry.priority.to_string(),
            also_asked: entry.also_asked.0.join("\n"),
            active: entry.active.then(|| "1".to_owned()),
        }
    }

    /// An empty new entry, active, with `phrasing` (what a caller asked)
    /// as its question, or as an extra phrasing of `question`.
    pub fn prefilled(question: Option<&str>, also_asked: Option<&str>) -> EntryForm {
        EntryForm {
            question: question.unwrap_or_default().to_owned(),
            also_asked: also_asked.unwrap_or_default().to_owned(),
            active: Some("1".to_owned()),
            ..EntryForm::default()
        }
    }

    /// Adds `phrasing` as the last of the other ways callers ask it.
    pub fn add_phrasing(&mut self, phrasing: &str) {
        if !self.also_asked.trim().is_empty() {
            self.also_asked.push('\n');
        }
        self.also_asked.push_str(phrasing);
    }

    pub fn is_active(&self) -> bool {
        self.active.is_some()
    }

    fn phrasings(&self) -> Vec<&str> {
        self.also_asked
            .lines()
            .filter(|line| !line.trim().is_empty())
            .collect()
    }

    /// The entry, or what is wrong with the form.
    pub fn check(&self) -> Result<KnowledgeEntry, FormErrors> {
        let mut errors = FormErrors::default();
        let priority = match self.priority.trim() {
            "" => None,
            typed => match typed.parse::<i64>() {
                Ok(number) => Some(number),
                Err(_) => {
                    errors.priority = Some(format!(
                        "\"{typed}\" is not a whole number; leave it blank for 0."
                    ));
                    None
                }
            },
        };
        let category = Some(self.category.trim()).filter(|c| !c.is_empty());
        let phrasings = self.phrasings();
        let (entry, problems) = check_knowledge_entry(&KnowledgeDraft {
            question: &self.question,
            answer: &self.answer,
            category,
            priority,
            active: self.is_active(),
            also_asked: phrasings,
        });
        for problem in problems {
            let message = sentence(&problem.message);
            match problem.field {
                KnowledgeField::Question => FormErrors::add(&mut errors.question, message),
                KnowledgeField::Answer => FormErrors::add(&mut errors.answer, message),
                KnowledgeField::Category => FormErrors::add(&mut errors.category, message),
                KnowledgeField::Priority => FormErrors::add(&mut errors.priority, message),
                KnowledgeField::AlsoAsked(k) if k >= MAX_ALSO_ASKED => {
                    FormErrors::add(&mut errors.also_asked, message)
                }
                KnowledgeField::AlsoAsked(k) => FormErrors::add(
                    &mut errors.also_asked,
                    format!("Phrasing {}: {}", k + 1, problem.message),
                ),
            }
        }
        if errors.is_empty() {
            Ok(entry)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(question: &str, answer: &str) -> EntryForm {
        EntryForm {
            question: question.into(),
            answer: answer.into(),
            active: Some("1".into()),
            ..EntryForm::default()
        }
    }

    #[test]
    fn phrasings_are_one_per_line_and_blank_lines_are_ignored() {
        let entry = EntryForm {
            also_asked: "where do I park\r\n\n  \ncan I park out front\n".into(),
            category: "  ".into(),
            ..form("Is there parking?", "Yes, behind the building.")
        }
        .check()
        .unwrap();
        assert_eq!(
            entry.also_asked,
            ["where do I park", "can I park out front"]
        );
        assert_eq!(entry.category, None);
        assert_eq!(entry.priority, 0);
        assert!(entry.active);
    }

    #[test]
    fn each_mistake_is_told_next_to_its_field() {
        let errors = EntryForm {
            priority: "high".into(),
            also_asked: (0..=MAX_ALSO_ASKED).map(|i| format!("way {i}\n")).collect(),
            ..form(" ", "")
        }
        .check()
        .unwrap_err();
        assert_eq!(errors.question.as_deref(), Some("Must not be empty."));
        assert_eq!(errors.answer.as_deref(), Some("Must not be empty."));
        assert_eq!(
            errors.priority.as_deref(),
            Some("\"high\" is not a whole number; leave it blank for 0.")
        );
        assert_eq!(
            errors.also_asked.as_deref(),
            Some("At most 20 phrasings per question.")
        );
    }

    #[test]
    fn an_unticked_box_leaves_the_entry_inactive() {
        let entry = EntryForm {
            active: None,
            ..form("Q?", "A.")
        }
        .check()
        .unwrap();
        assert!(!entry.active);
    }
}
