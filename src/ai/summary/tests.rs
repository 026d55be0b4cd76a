//! Summaries of realistic calls, written the way speech recognition hears
//! callers: what happened must be what the transcript shows.

use super::happened::{CallerSpoke, Topic, Transfer};
use super::*;
use crate::conversation::profile::OpenSpan;
use crate::conversation::speech;
use crate::conversation::state::{Outcome, StateName};

use StateName::*;

const DRAIN_QUESTION: &str = "How much does drain cleaning cost?";
const DRAIN_ANSWER: &str = "Drain cleaning starts at 149 dollars for the first drain, and that includes a camera inspection.";
const EMERGENCY_QUESTION: &str = "Do you do emergency call-outs?";
const EMERGENCY_ANSWER: &str =
    "Yes, our emergency crew is on call from 7 AM to midnight every day, holidays included.";

fn plumber() -> AnswerSources {
    let weekday = Some(OpenSpan {
        open_minute: 7 * 60,
        close_minute: 17 * 60 + 30,
    });
    AnswerSources::new(
        vec![
            (DRAIN_QUESTION.into(), DRAIN_ANSWER.into()),
            (EMERGENCY_QUESTION.into(), EMERGENCY_ANSWER.into()),
            ("Do you offer warranties?".into(), "Yes.".into()),
        ],
        Some("400 Mill Street, Springfield"),
        [
            Some("office@dripdrop.example"),
            None,
            Some("https://www.dripdrop.example/"),
        ],
        &[weekday, weekday, weekday, weekday, weekday, None, None],
    )
}

/// (by caller, text, state) in order, the greeting first.
fn call<'a>(lines: &[(bool, &'a str, StateName)]) -> Vec<Line<'a>> {
    let mut all = vec![Line {
        by_caller: false,
        text: "Thanks for calling Drip Drop Plumbing at 400 Mill Street. How can I help you today?",
        state: Intent,
    }];
    all.extend(lines.iter().map(|&(by_caller, text, state)| Line {
        by_caller,
        text,
        state,
    }));
    all
}

fn evidence<'a>(outcome: Option<Outcome>, transcript: &'a [Line<'a>]) -> Evidence<'a> {
    Evidence {
        outcome,
        transcript,
        message: None,
        urgent: false,
        department: None,
        transfer_failed: false,
        emergency_number: "911",
        business_name: "Drip Drop Plumbing",
    }
}

const CALLER: bool = true;
const RECEPTIONIST: bool = false;

#[test]
fn a_knowledge_answer_is_named_by_its_question() {
    let transcript = call(&[
        (CALLER, "hello?", Intent),
        (RECEPTIONIST, "Hi there. How can I help you today?", Intent),
        (
            CALLER,
            "yeah um what would it cost to clear a blocked toilet",
            Intent,
        ),
        (
            RECEPTIONIST,
            "Drain cleaning starts at 149 dollars for the first drain, and that includes a camera inspection. Is there anything else I can help you with?",
            Intent,
        ),
        (CALLER, "okay thanks bye", Intent),
        (
            RECEPTIONIST,
            "Have a great day. Thank you for calling Drip Drop Plumbing. Goodbye.",
            Ended,
        ),
    ]);
    let happened = what_happened(&evidence(Some(Outcome::Answered), &transcript), &plumber());
    assert_eq!(happened.answered, [Topic::Knowledge(DRAIN_QUESTION.into())]);
    assert_eq!(happened.headline(), "question answered");
    assert_eq!(
        happened.sentences(),
        ["The receptionist answered: \"How much does drain cleaning cost?\"."]
    );
}

#[test]
fn hello_and_goodbye_is_not_a_question_answered() {
    // The conversation's farewell records `answered` whatever was said.
    let transcript = call(&[
        (CALLER, "hello?", Intent),
        (RECEPTIONIST, "Hi there. How can I help you today?", Intent),
        (CALLER, "um", Intent),
        (
            RECEPTIONIST,
            "Sorry, I didn't catch that. How can I help you today?",
            Intent,
        ),
        (CALLER, "oh sorry wrong number bye", Intent),
        (RECEPTIONIST, "Have a great day. Goodbye.", Ended),
    ]);
    let happened = what_happened(&evidence(Some(Outcome::Answered), &transcript), &plumber());
    assert!(happened.answered.is_empty());
    assert_eq!(
        happened.caller,
        CallerSpoke::Something,
        "\"wrong number\" says something"
    );
    let text = happened.sentences().join(" ");
    assert!(!text.contains("answered their"), "{text}");
    assert_eq!(
        text,
        "The call ended with no question answered and no message left."
    );
    assert_eq!(happened.headline(), "no question answered, no message");

    let fillers_only = call(&[
        (CALLER, "hello?", Intent),
        (CALLER, "hello is anyone there", Intent),
    ]);
    let happened = what_happened(
        &evidence(Some(Outcome::Answered), &fillers_only),
        &plumber(),
    );
    assert_eq!(
        happened.headline(),
        "ended before they said what they needed"
    );
    assert_eq!(
        happened.sentences(),
        ["The call ended before they said what they needed."]
    );
}

#[test]
fn a_call_with_no_words_says_the_caller_said_nothing() {
    let transcript = call(&[]);
    let happened = what_happened(&evidence(Some(Outcome::Abandoned), &transcript), &plumber());
    assert_eq!(happened.caller, CallerSpoke::Silent);
    assert_eq!(happened.headline(), "caller said nothing");
    assert_eq!(happened.sentences(), ["The caller did not say anything."]);
}

#[test]
fn an_unanswerable_question_is_reported_as_unanswered() {
    let transcript = call(&[
        (CALLER, "do you guys install tankless water heaters", Intent),
        (
            RECEPTIONIST,
            "I'm sorry, I don't have that information. Would you like me to take a message?",
            Faq,
        ),
        (CALLER, "nah that's okay bye", Faq),
        (RECEPTIONIST, "Have a great day. Goodbye.", Ended),
    ]);
    let happened = what_happened(&evidence(Some(Outcome::Answered), &transcript), &plumber());
    assert!(happened.unanswered);
    assert_eq!(happened.headline(), "question not answered");
    assert_eq!(
        happened.sentences(),
        ["The receptionist could not answer their question and offered a person or a message."]
    );
}

#[test]
fn a_greeting_met_with_i_dont_know_is_not_an_unanswered_question() {
    let transcript = call(&[
        (CALLER, "hello?", Intent),
        (
            RECEPTIONIST,
            "I'm sorry, I don't have that information. Would you like me to take a message?",
            Faq,
        ),
        (CALLER, "okay bye", Faq),
    ]);
    let happened = what_happened(&evidence(Some(Outcome::Answered), &transcript), &plumber());
    assert!(!happened.unanswered);
    assert_eq!(
        happened.headline(),
        "ended before they said what they needed"
    );
}

#[test]
fn hours_address_and_contact_answers_are_recognised_but_not_in_the_greeting() {
    let email = format!(
        "You can reach us by email at {}.",
        speech::email_address("office@dripdrop.example")
    );
    let transcript = call(&[
        (CALLER, "uh yeah what time do you guys close today", Intent),
        (
            RECEPTIONIST,
            "We're open Monday to Friday from 7 AM to 5:30 PM. We're closed on Saturday and Sunday. Anything else?",
            Intent,
        ),
        (CALLER, "and whats your email", Intent),
        (RECEPTIONIST, &email, Intent),
    ]);
    let happened = what_happened(&evidence(Some(Outcome::Answered), &transcript), &plumber());
    assert_eq!(happened.answered, [Topic::Hours, Topic::Contact]);
    assert_eq!(happened.headline(), "2 questions answered");
    assert_eq!(
        happened.sentences(),
        ["The receptionist answered: the opening hours; the contact details."]
    );
}

#[test]
fn a_knowledge_answer_that_mentions_a_time_is_not_also_the_hours() {
    let both = format!("{EMERGENCY_ANSWER} {DRAIN_ANSWER}");
    let transcript = call(&[
        (
            CALLER,
            "do you do emergencies and how much to unclog a drain",
            Intent,
        ),
        (RECEPTIONIST, &both, Intent),
    ]);
    let happened = what_happened(&evidence(Some(Outcome::Answered), &transcript), &plumber());
    assert_eq!(
        happened.answered,
        [
            Topic::Knowledge(DRAIN_QUESTION.into()),
            Topic::Knowledge(EMERGENCY_QUESTION.into())
        ]
    );
}

#[test]
fn a_one_word_answer_is_too_common_to_recognise() {
    let transcript = call(&[
        (CALLER, "is there a warranty on the work", Intent),
        (
            RECEPTIONIST,
            "Yes. Is there anything else I can help you with?",
            Intent,
        ),
    ]);
    let happened = what_happened(&evidence(Some(Outcome::Answered), &transcript), &plumber());
    assert!(happened.answered.is_empty());
}

#[test]
fn a_transfer_names_the_department_and_whether_it_connected() {
    let transcript = call(&[
        (
            CALLER,
            "yeah hi can i talk to someone in billing about my invoice",
            Intent,
        ),
        (
            RECEPTIONIST,
            "Let me connect you to Billing. One moment, please.",
            TransferAttempt,
        ),
    ]);
    let connected = Evidence {
        department: Some("Billing"),
        ..evidence(Some(Outcome::Transferred), &transcript)
    };
    let happened = what_happened(&connected, &plumber());
    assert_eq!(happened.transfer, Some(Transfer::Connected));
    assert_eq!(happened.headline(), "call put through to Billing");
    assert_eq!(happened.sentences(), ["They were put through to Billing."]);

    let no_answer = Evidence {
        outcome: Some(Outcome::LeadCaptured),
        transfer_failed: true,
        message: Some(true),
        ..connected
    };
    let happened = what_happened(&no_answer, &plumber());
    assert_eq!(happened.headline(), "message taken for Billing");
    assert_eq!(
        happened.sentences(),
        [
            "The receptionist tried to put them through to Billing, but no one picked up.",
            "They left a message and confirmed it."
        ]
    );

    let hung_up_ringing = Evidence {
        department: None,
        ..evidence(Some(Outcome::HungUp), &transcript)
    };
    let happened = what_happened(&hung_up_ringing, &plumber());
    assert_eq!(happened.transfer, Some(Transfer::Unconfirmed));
    assert_eq!(
        happened.sentences(),
        ["The call ended while they were being put through to a person."]
    );
}

#[test]
fn an_urgent_message_is_flagged_with_its_department() {
    let transcript = call(&[
        (
            CALLER,
            "yeah so um there's water pouring through my kitchen ceiling",
            Intent,
        ),
        (
            RECEPTIONIST,
            "I'm sorry to hear that. I'll take an urgent message for Emergency Service. May I have your name?",
            LeadCapture,
        ),
        (CALLER, "dana whitfield", LeadCapture),
    ]);
    let urgent = Evidence {
        message: Some(true),
        urgent: true,
        department: Some("Emergency Service"),
        ..evidence(Some(Outcome::LeadCaptured), &transcript)
    };
    let happened = what_happened(&urgent, &plumber());
    assert_eq!(
        happened.headline(),
        "urgent message taken for Emergency Service"
    );
    assert_eq!(
        happened.sentences(),
        ["They left an urgent message for Emergency Service and confirmed it."]
    );
    let hung_up = Evidence {
        message: Some(false),
        ..urgent
    };
    assert_eq!(
        what_happened(&hung_up, &plumber()).headline(),
        "urgent message not confirmed for Emergency Service"
    );
}

#[test]
fn an_emergency_and_a_refusal_say_what_was_done() {
    let transcript = call(&[
        (CALLER, "i smell gas in the whole house", Intent),
        (
            RECEPTIONIST,
            "If this is an emergency, please hang up and call 911 now.",
            Ended,
        ),
    ]);
    let happened = what_happened(&evidence(Some(Outcome::Emergency), &transcript), &plumber());
    assert_eq!(happened.headline(), "emergency: told to call 911");
    assert_eq!(
        happened.sentences(),
        ["They described an emergency and were told to hang up and call 911."]
    );
    let refused = what_happened(&evidence(Some(Outcome::Busy), &[]), &plumber());
    assert_eq!(refused.headline(), "refused: every line was busy");
}

fn facts_summary(happened: &Happened, lines: &[&str], message: Option<LeftMessage>) -> String {
    summarize(&CallFacts {
        caller_name: Some("Dana Whitfield"),
        caller_number: "(503) 555-0142",
        caller_lines: lines,
        happened,
        duration_seconds: Some(95),
        message,
    })
}

#[test]
fn an_urgent_summary_says_so_first_and_names_the_department() {
    let happened = Happened {
        message: Some(true),
        urgent: true,
        department: Some("Emergency Service".into()),
        caller: CallerSpoke::Something,
        ..Happened::default()
    };
    let text = facts_summary(
        &happened,
        &["yeah so um there's water pouring through my kitchen ceiling"],
        Some(LeftMessage {
            callback: Some("(503) 555-0142"),
            email: None,
            reason: Some("water pouring through the kitchen ceiling"),
        }),
    );
    assert_eq!(
        text,
        "URGENT: the caller's problem needs attention now.\n\
         Caller: Dana Whitfield, calling from (503) 555-0142.\n\
         Department: Emergency Service.\n\
         They said: \"yeah so um there's water pouring through my kitchen ceiling\".\n\
         They left an urgent message for Emergency Service and confirmed it. The call lasted 1 min 35 s.\n\
         Message (confirmed by the caller): call back on (503) 555-0142, about \"water pouring through the kitchen ceiling\"."
    );
}

#[test]
fn a_partial_message_without_a_number_points_to_the_caller_id() {
    let happened = Happened {
        message: Some(false),
        caller: CallerSpoke::Something,
        ..Happened::default()
    };
    let text = facts_summary(
        &happened,
        &["i need someone to look at my furnace"],
        Some(LeftMessage::default()),
    );
    assert!(
        text.contains(
            "Partial message (not confirmed): no callback number given (caller ID (503) 555-0142)."
        ),
        "{text}"
    );
    assert!(
        text.contains("the call ended before they confirmed it"),
        "{text}"
    );
    assert!(!text.contains("URGENT"), "{text}");
}

#[test]
fn a_silent_call_says_so_without_inventing_anything() {
    let text = summarize(&CallFacts {
        caller_name: None,
        caller_number: WITHHELD,
        caller_lines: &[],
        happened: &Happened::default(),
        duration_seconds: Some(4),
        message: None,
    });
    assert_eq!(
        text,
        "Caller: a withheld number.\nThe caller did not say anything. The call lasted 4 seconds."
    );
}
