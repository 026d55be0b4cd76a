#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Answers from the knowledge base: several at once, long ones, and the
//! topic remembered for a follow-up question.

use super::fixtures::*;
use crate::conversation::interpretation::{Details, GroundedAnswer, Intent, Interpretation};
use crate::conversation::state::{Event, StateName};

fn grounded(entry_id: i64, answer: &str) -> GroundedAnswer {
    GroundedAnswer {
        entry_id,
        answer: answer.into(),
        score: 0.9,
    }
}

fn answered(answers: &[GroundedAnswer]) -> Event {
    Event::Speech(Interpretation {
        intent: Intent::Question,
        details: Details::default(),
        answer: answers.first().cloned(),
        also: answers.iter().skip(1).cloned().collect(),
        text: "how much is a cleaning and do you take delta".into(),
        ..Interpretation::default()
    })
}

#[test]
fn two_questions_asked_at_once_are_both_answered_in_the_order_asked() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    let decision = call.send(&answered(&[
        grounded(3, "A cleaning is $129."),
        grounded(2, "We're in network with Delta Dental."),
    ]));
    assert_eq!(
        spoken(&decision),
        "A cleaning is $129. We're in network with Delta Dental. \
         Is there anything else I can help with?"
    );
    assert_eq!(decision.state.name(), StateName::Intent);
}

#[test]
fn the_entry_answered_last_is_remembered_for_a_follow_up_question() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    assert_eq!(call.memory.last_topic, None);
    call.send(&answered(&[grounded(5, "Whitening is $425.")]));
    assert_eq!(call.memory.last_topic, Some(5));
    call.send(&answered(&[
        grounded(3, "A cleaning is $129."),
        grounded(2, "We take Delta."),
    ]));
    assert_eq!(call.memory.last_topic, Some(2));
}

#[test]
fn an_answer_from_the_profile_leaves_no_topic_to_follow_up_on() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    call.send(&answered(&[grounded(5, "Whitening is $425.")]));
    call.send(&said(Intent::Location));
    assert_eq!(call.memory.last_topic, None);
}

#[test]
fn a_question_without_an_answer_keeps_the_topic_for_the_next_try() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    call.send(&answered(&[grounded(5, "Whitening is $425.")]));
    call.send(&said(Intent::Question));
    assert_eq!(call.memory.last_topic, Some(5));
}

#[test]
fn a_long_answer_is_said_whole_and_a_second_one_only_when_the_question_after_still_fits() {
    let profile = profile();
    let long = format!(
        "{}.",
        "We clean drains and sewer lines ".repeat(60).trim_end()
    );
    assert!(long.chars().count() > 1_900);
    let mut call = Call::greeted(open(&profile));
    let decision = call.send(&answered(&[
        grounded(1, &long),
        grounded(2, &long.replace("drains", "pipes")),
        grounded(3, "Yes, we're insured."),
    ]));
    let said = spoken(&decision);
    assert!(said.starts_with(&long));
    assert!(
        !said.contains("pipes"),
        "the second long answer is left out"
    );
    assert!(said.contains("Yes, we're insured."));
    assert!(said.ends_with("Is there anything else I can help with?"));
    assert!(
        said.chars().count() < 4_000,
        "one <Say> reads at most 4,000 characters"
    );
    assert_eq!(call.memory.last_topic, Some(3));
}

#[test]
fn an_answer_written_over_several_lines_is_spoken_as_one() {
    let profile = profile();
    let decision = Call::greeted(open(&profile)).send(&answered(&[grounded(
        1,
        "Parking is free.\n\n   Enter from\tBirch Street.",
    )]));
    assert!(spoken(&decision).starts_with("Parking is free. Enter from Birch Street."));
}
