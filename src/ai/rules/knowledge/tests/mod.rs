//! Retrieval measured on realistic knowledge bases: three tenant files
//! (dental, plumbing, veterinary) and the questions their callers ask, as
//! speech recognition writes them, each labelled with the entry a good
//! receptionist would answer from, or none. Run with `--nocapture` to see
//! the table.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod behaviour;
mod dental;
mod explain;
mod plumbing;
mod veterinary;

use super::{KnowledgeEntry, KnowledgeIndex};
use crate::ai::rules::normalize::words;
use crate::tenants::file::TenantFile;

/// A caller's question and the entry that answers it: a distinctive part of
/// the entry's question, or [`NONE`].
type Case = (&'static str, &'static str);
/// The entry answered before, the follow-up question, the entry expected.
type FollowUp = (&'static str, &'static str, &'static str);
/// Several questions at once and the entries expected, in the order asked.
type TwoAtOnce = (&'static str, &'static [&'static str]);

/// No entry answers the question.
const NONE: &str = "";

pub(super) struct Business {
    name: &'static str,
    index: KnowledgeIndex,
    entries: Vec<KnowledgeEntry>,
}

impl Business {
    fn load(name: &'static str, toml: &str) -> Business {
        let file = TenantFile::parse(name, toml).unwrap();
        let entries: Vec<KnowledgeEntry> = file
            .knowledge
            .into_iter()
            .filter(|e| e.active)
            .enumerate()
            .map(|(i, e)| KnowledgeEntry {
                id: i as i64 + 1,
                question: e.question,
                answer: e.answer,
                category: e.category,
                priority: e.priority,
                also_asked: e.also_asked,
            })
            .collect();
        Business {
            name,
            index: KnowledgeIndex::build(entries.clone()),
            entries,
        }
    }

    /// The id of the entry a label names; panics on a label that names no
    /// entry or several, so a typo cannot pass as "none".
    fn id(&self, label: &str) -> Option<i64> {
        if label == NONE {
            return None;
        }
        let matching: Vec<i64> = self
            .entries
            .iter()
            .filter(|e| e.question.to_lowercase().contains(label))
            .map(|e| e.id)
            .collect();
        assert_eq!(matching.len(), 1, "{}: label {label:?}", self.name);
        matching.first().copied()
    }

    fn label(&self, id: Option<i64>) -> String {
        id.and_then(|id| self.entries.iter().find(|e| e.id == id))
            .map_or("none".into(), |e| e.question.clone())
    }

    fn answer_ids(&self, text: &str, topic: Option<i64>) -> Vec<i64> {
        self.index
            .answers(&words(text), topic)
            .iter()
            .map(|a| a.entry_id)
            .collect()
    }
}

pub(super) fn dental() -> Business {
    Business::load("dental.toml", dental::FIXTURE)
}

pub(super) fn plumbing() -> Business {
    Business::load("plumbing.toml", plumbing::FIXTURE)
}

pub(super) fn veterinary() -> Business {
    Business::load("veterinary.toml", veterinary::FIXTURE)
}

/// Counts for one set of questions.
#[derive(Default)]
struct Tally {
    answerable: usize,
    unanswerable: usize,
    right: usize,
    /// Answered from another entry than the labelled one.
    wrong: usize,
    /// Answered a question no entry answers.
    invented: usize,
    failures: Vec<String>,
}

impl Tally {
    fn record(&mut self, business: &Business, text: &str, expected: Option<i64>, got: Option<i64>) {
        match (expected, got) {
            (Some(_), _) => self.answerable += 1,
            (None, _) => self.unanswerable += 1,
        }
        if expected == got {
            self.right += usize::from(expected.is_some());
            return;
        }
        match (expected, got) {
            (Some(_), Some(_)) => self.wrong += 1,
            (None, Some(_)) => self.invented += 1,
            (_, None) => {}
        }
        self.failures.push(format!(
            "  {}: {text:?}\n      expected {:?}\n      got      {:?}\n{}",
            business.name,
            business.label(expected),
            business.label(got),
            business.index.explain(&words(text)),
        ));
    }

    fn add(&mut self, other: Tally) {
        self.answerable += other.answerable;
        self.unanswerable += other.unanswerable;
        self.right += other.right;
        self.wrong += other.wrong;
        self.invented += other.invented;
        self.failures.extend(other.failures);
    }

    fn answered(&self) -> usize {
        self.right + self.wrong + self.invented
    }

    fn precision(&self) -> f64 {
        if self.answered() == 0 {
            return 1.0;
        }
        self.right as f64 / self.answered() as f64
    }

    fn recall(&self) -> f64 {
        if self.answerable == 0 {
            return 1.0;
        }
        self.right as f64 / self.answerable as f64
    }

    fn row(&self, name: &str) -> String {
        format!(
            "{name:<22} {:>4} {:>5} {:>6} {:>6} {:>9} {:>9.1}% {:>6.1}%",
            self.answerable + self.unanswerable,
            self.unanswerable,
            self.right,
            self.wrong,
            self.invented,
            100.0 * self.precision(),
            100.0 * self.recall(),
        )
    }
}

fn questions(business: &Business, cases: &[Case]) -> Tally {
    let mut tally = Tally::default();
    for (text, label) in cases {
        let got = business.answer_ids(text, None).first().copied();
        tally.record(business, text, business.id(label), got);
    }
    tally
}

fn follow_ups(business: &Business, cases: &[FollowUp]) -> Tally {
    let mut tally = Tally::default();
    for (before, text, label) in cases {
        let topic = business.id(before);
        assert!(topic.is_some(), "a follow-up needs a previous answer");
        let got = business.answer_ids(text, topic).first().copied();
        tally.record(business, text, business.id(label), got);
    }
    tally
}

fn several(business: &Business, cases: &[TwoAtOnce]) -> Tally {
    let mut tally = Tally::default();
    for (text, labels) in cases {
        let expected: Vec<i64> = labels.iter().filter_map(|l| business.id(l)).collect();
        let got = business.answer_ids(text, None);
        tally.answerable += 1;
        if got == expected {
            tally.right += 1;
        } else {
            tally.wrong += usize::from(!got.is_empty());
            let names = |ids: &[i64]| -> Vec<String> {
                ids.iter().map(|id| business.label(Some(*id))).collect()
            };
            tally.failures.push(format!(
                "  {}: {text:?}\n      expected {:?}\n      got      {:?}",
                business.name,
                names(&expected),
                names(&got)
            ));
        }
    }
    tally
}

#[test]
fn callers_questions_are_answered_from_the_right_entry_or_not_at_all() {
    let corpus = [
        (
            dental(),
            dental::QUESTIONS,
            dental::FOLLOW_UPS,
            dental::TWO_AT_ONCE,
        ),
        (
            plumbing(),
            plumbing::QUESTIONS,
            plumbing::FOLLOW_UPS,
            plumbing::TWO_AT_ONCE,
        ),
        (
            veterinary(),
            veterinary::QUESTIONS,
            veterinary::FOLLOW_UPS,
            veterinary::TWO_AT_ONCE,
        ),
    ];
    let mut single = Tally::default();
    let mut followed = Tally::default();
    let mut at_once = Tally::default();
    let mut table = vec![format!(
        "{:<22} {:>4} {:>5} {:>6} {:>6} {:>9} {:>10} {:>7}",
        "set", "asked", "none", "right", "wrong", "invented", "precision", "recall"
    )];
    for (business, cases, follow, two) in &corpus {
        let tally = questions(business, cases);
        table.push(tally.row(business.name));
        single.add(tally);
        followed.add(follow_ups(business, follow));
        at_once.add(several(business, two));
    }
    table.push(single.row("all questions"));
    table.push(followed.row("follow-ups"));
    table.push(at_once.row("two at once"));
    let failures: Vec<&String> = single
        .failures
        .iter()
        .chain(&followed.failures)
        .chain(&at_once.failures)
        .collect();
    println!("{}", table.join("\n"));
    for failure in &failures {
        println!("{failure}");
    }

    assert!(single.answerable + single.unanswerable >= 120);
    assert_eq!(
        single.invented + followed.invented,
        0,
        "confident answers to questions no entry answers"
    );
    assert!(
        single.precision() >= 0.95,
        "precision {:.3}",
        single.precision()
    );
    assert!(single.recall() >= 0.95, "recall {:.3}", single.recall());
    assert!(followed.precision() >= 0.95 && followed.recall() >= 0.9);
    assert!(
        at_once.recall() >= 0.9,
        "two at once {:.3}",
        at_once.recall()
    );
}

#[test]
fn every_entry_answers_its_own_question_and_phrasings_in_every_example() {
    let examples = [
        dental(),
        plumbing(),
        veterinary(),
        Business::load(
            "bright-smile.toml",
            include_str!("../../../../../examples/bright-smile.toml"),
        ),
        Business::load(
            "rapid-rooter.toml",
            include_str!("../../../../../examples/rapid-rooter.toml"),
        ),
    ];
    for business in &examples {
        for entry in &business.entries {
            for phrasing in std::iter::once(&entry.question).chain(&entry.also_asked) {
                let spoken = phrasing.to_lowercase().replace(['?', ','], "");
                assert_eq!(
                    business.answer_ids(&spoken, None).first(),
                    Some(&entry.id),
                    "{}: {spoken:?}\n{}",
                    business.name,
                    business.index.explain(&words(&spoken))
                );
            }
        }
    }
}
