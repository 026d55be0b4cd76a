#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Greeting, answering, offers and transfers.

use super::fixtures::*;
use crate::conversation::interpretation::{Expecting, HoursAsked, Intent};
use crate::conversation::state::{CallState, DialOutcome, Event, Offer, Outcome, Reply, StateName};

#[test]
fn the_call_opens_with_the_default_greeting_then_the_disclosure_and_listens_for_anything() {
    let profile = profile();
    let decision = Call::new(open(&profile)).send(&Event::CallStarted);
    assert_eq!(decision.state.name(), StateName::Intent);
    assert_eq!(decision.state.expecting(), Expecting::Anything);
    let Reply::Ask { say } = &decision.reply else {
        panic!("expected a question, got {:?}", decision.reply)
    };
    assert_eq!(say[0], "Thanks for calling Acme Roofing.");
    assert_eq!(say[1], "This call may be recorded.");
    assert_eq!(say[2], "How can I help you today?");
    assert!(decision.hints.contains(&"Billing".to_string()));
}

#[test]
fn a_configured_greeting_replaces_the_default_one() {
    let mut profile = profile();
    profile.greeting = Some("Acme Roofing, this is Robin. What can I do for you?".into());
    profile.disclosure = None;
    let decision = Call::new(open(&profile)).send(&Event::CallStarted);
    assert_eq!(
        spoken(&decision),
        "Acme Roofing, this is Robin. What can I do for you?"
    );
}

#[test]
fn the_disclosure_is_said_before_the_question_a_configured_greeting_ends_with() {
    let mut profile = profile();
    profile.greeting = Some(
        "Thanks for calling Acme Roofing. Is this an emergency, or can I help you book a visit?"
            .into(),
    );
    let decision = Call::new(open(&profile)).send(&Event::CallStarted);
    assert_eq!(
        spoken(&decision),
        "Thanks for calling Acme Roofing. This call may be recorded. \
         Is this an emergency, or can I help you book a visit?"
    );
    assert_eq!(
        decision.memory.last_prompt,
        "Is this an emergency, or can I help you book a visit?"
    );
    let again = Call::greeted(open(&profile)).send(&Event::Silence);
    assert!(
        spoken(&again).ends_with("Is this an emergency, or can I help you book a visit?"),
        "{}",
        spoken(&again)
    );
}

#[test]
fn a_greeting_question_is_split_off_whole_whatever_its_sentences() {
    let mut profile = profile();
    for (greeting, expected) in [
        (
            "Hi! You've reached Dr. Lee's office. Would you like to see Dr. Lee?",
            "Hi! You've reached Dr. Lee's office. This call may be recorded. \
             Would you like to see Dr. Lee?",
        ),
        (
            "Acme Roofing. Is this urgent? Or can it wait until Monday?",
            "Acme Roofing. This call may be recorded. Is this urgent? Or can it wait until Monday?",
        ),
        (
            "How can we help?",
            "This call may be recorded. How can we help?",
        ),
        (
            "You've reached Acme Roofing.",
            "You've reached Acme Roofing. This call may be recorded. How can I help you today?",
        ),
    ] {
        profile.greeting = Some(greeting.into());
        let decision = Call::new(open(&profile)).send(&Event::CallStarted);
        assert_eq!(spoken(&decision), expected, "{greeting}");
    }
}

#[test]
fn a_question_with_a_grounded_answer_is_answered_and_followed_by_anything_else() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    let decision = call.send(&question_answered("Yes, estimates are free."));
    assert_eq!(decision.state.name(), StateName::Intent);
    assert_eq!(
        spoken(&decision),
        "Yes, estimates are free. Is there anything else I can help with?"
    );
    assert_eq!(
        decision.state,
        CallState::Intent {
            offer: Some(Offer::MoreHelp)
        }
    );
}

#[test]
fn a_question_without_an_answer_is_admitted_and_a_transfer_is_offered_when_open() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    let decision = call.send(&said(Intent::Question));
    assert_eq!(decision.state.name(), StateName::Faq);
    assert!(spoken(&decision).contains("I don't have that information"));
    assert!(spoken(&decision).contains("connect you with someone"));
    assert_eq!(decision.state.expecting(), Expecting::YesNo);
    assert_eq!(decision.memory.failed_attempts, 1);

    let decision = call.send(&said(Intent::Yes));
    assert_eq!(decision.state.name(), StateName::TransferAttempt);
    assert!(matches!(decision.reply, Reply::Transfer { ref number, .. } if number == MAIN_LINE));
}

#[test]
fn a_question_without_an_answer_offers_a_message_when_closed() {
    let profile = profile();
    let mut call = Call::greeted(closed(&profile));
    let decision = call.send(&said(Intent::Question));
    assert!(spoken(&decision).contains("take a message"));
    assert_eq!(
        decision.state,
        CallState::Faq {
            offer: Offer::Message
        }
    );

    let decision = call.send(&said(Intent::Yes));
    assert_eq!(decision.state.name(), StateName::LeadCapture);
    assert!(spoken(&decision).contains("May I have your name"));
}

#[test]
fn declining_an_offer_asks_if_there_is_anything_else() {
    let profile = profile();
    let mut call = Call::greeted(closed(&profile));
    call.send(&said(Intent::Question));
    let decision = call.send(&said(Intent::No));
    assert_eq!(decision.state.name(), StateName::Intent);
    assert_eq!(
        spoken(&decision),
        "No problem. Is there anything else I can help with?"
    );
}

#[test]
fn no_to_anything_else_ends_the_call_politely() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    call.send(&question_answered("We serve the whole county."));
    let decision = call.send(&said(Intent::No));
    assert!(is_hangup(&decision));
    assert_eq!(decision.state.name(), StateName::Ended);
    assert_eq!(decision.outcome, Some(Outcome::Answered));
    assert!(spoken(&decision).contains("Goodbye"));
}

#[test]
fn yes_to_anything_else_asks_what_the_caller_needs() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    call.send(&question_answered("We serve the whole county."));
    let decision = call.send(&said(Intent::Yes));
    assert_eq!(decision.state.name(), StateName::Intent);
    assert_eq!(spoken(&decision), "Sure. What can I help you with?");
}

#[test]
fn hours_are_read_as_a_sentence_with_whether_the_business_is_open_now() {
    let profile = profile();
    let decision = Call::greeted(closed(&profile)).send(&said(Intent::Hours(HoursAsked::Week)));
    assert_eq!(
        spoken(&decision),
        "We're open Monday to Friday from 8 AM to 5 PM, and Saturday from 9 AM to 1 PM. \
         We're closed on Sunday. We're closed right now. Is there anything else I can help with?"
    );
}

#[test]
fn the_address_is_given_when_known_and_admitted_when_not() {
    let mut profile = profile();
    let decision = Call::greeted(open(&profile)).send(&said(Intent::Location));
    assert!(spoken(&decision).starts_with("We're at 12 Main Street, Springfield."));

    profile.address = None;
    let decision = Call::greeted(open(&profile)).send(&said(Intent::Location));
    assert!(spoken(&decision).contains("I don't have that information"));
}

#[test]
fn contact_details_come_from_the_profile_in_an_easy_to_hear_form() {
    let profile = profile();
    let decision = Call::greeted(open(&profile)).send(&said(Intent::Contact));
    assert_eq!(
        spoken(&decision),
        "You can reach us by email at info, at A C M E R O O F I N G, dot com, \
         by phone at five five five, one two three, four five six seven, or on our website at acmeroofing.com. \
         Is there anything else I can help with?"
    );
}

#[test]
fn an_unclear_utterance_is_re_asked() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    let decision = call.send(&said(Intent::Unclear));
    assert_eq!(
        spoken(&decision),
        "Sorry, I didn't catch that. How can I help you today?"
    );
    assert_eq!(decision.memory.failed_attempts, 1);
}

#[test]
fn three_unclear_utterances_offer_a_transfer_when_someone_can_take_the_call() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    call.send(&said(Intent::Unclear));
    call.send(&said(Intent::Unclear));
    let decision = call.send(&said(Intent::Unclear));
    assert!(spoken(&decision).contains("having trouble understanding"));
    assert_eq!(
        decision.state,
        CallState::Intent {
            offer: Some(Offer::Transfer)
        }
    );
}

#[test]
fn three_unclear_utterances_offer_a_message_when_closed() {
    let profile = profile();
    let mut call = Call::greeted(closed(&profile));
    for _ in 0..3 {
        call.send(&said(Intent::Unclear));
    }
    assert_eq!(
        call.state,
        CallState::Intent {
            offer: Some(Offer::Message)
        }
    );
}

#[test]
fn an_unclear_answer_to_an_offer_keeps_the_offer_open() {
    let profile = profile();
    let mut call = Call::greeted(closed(&profile));
    call.send(&said(Intent::Question));
    let decision = call.send(&said(Intent::Unclear));
    assert!(spoken(&decision).contains("take a message"));
    let decision = call.send(&said(Intent::Yes));
    assert_eq!(decision.state.name(), StateName::LeadCapture);
}

#[test]
fn asking_for_a_department_rings_its_own_line_when_open() {
    let profile = profile();
    let decision = Call::greeted(open(&profile)).send(&said(Intent::TalkToPerson {
        department: Some(0),
    }));
    assert_eq!(decision.state.name(), StateName::TransferAttempt);
    let Reply::Transfer { say, number } = &decision.reply else {
        panic!("expected a transfer, got {:?}", decision.reply)
    };
    assert_eq!(number, BILLING_LINE);
    assert_eq!(say[0], "Let me connect you to Billing. One moment, please.");
    assert_eq!(
        decision.state,
        CallState::TransferAttempt {
            department: Some(0)
        }
    );
}

#[test]
fn a_department_that_takes_messages_only_gets_a_message_for_it() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    let decision = call.send(&said(Intent::TalkToPerson {
        department: Some(1),
    }));
    assert!(matches!(decision.reply, Reply::Ask { .. }));
    assert!(
        spoken(&decision).contains("Repairs"),
        "{}",
        spoken(&decision)
    );
    assert_eq!(call.memory.department.as_deref(), Some("Repairs"));
    assert!(matches!(call.state, CallState::LeadCapture { .. }));
}

#[test]
fn asking_for_a_person_when_closed_explains_and_takes_a_message() {
    let profile = profile();
    let decision = Call::greeted(closed(&profile)).send(&said(Intent::TalkToPerson {
        department: Some(0),
    }));
    assert_eq!(decision.state.name(), StateName::LeadCapture);
    assert_eq!(
        spoken(&decision),
        "We're closed right now. But I can take a message for Billing and have someone \
         call you back. May I have your name, please?"
    );
}

#[test]
fn asking_for_a_person_with_no_number_configured_takes_a_message() {
    let mut profile = profile();
    profile.transfer_number = None;
    let decision =
        Call::greeted(open(&profile)).send(&said(Intent::TalkToPerson { department: None }));
    assert_eq!(decision.state.name(), StateName::LeadCapture);
    assert!(spoken(&decision).starts_with("No one is available to take calls right now."));
}

#[test]
fn a_connected_transfer_ends_the_call_as_transferred() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    call.send(&said(Intent::TalkToPerson { department: None }));
    let decision = call.send(&Event::TransferEnded(DialOutcome::Completed));
    assert!(is_hangup(&decision));
    assert_eq!(decision.state.name(), StateName::Ended);
    assert_eq!(decision.outcome, Some(Outcome::Transferred));
}

#[test]
fn an_unanswered_transfer_apologises_and_takes_a_message_without_offering_it_again() {
    for outcome in [
        DialOutcome::Busy,
        DialOutcome::NoAnswer,
        DialOutcome::Failed,
        DialOutcome::Canceled,
    ] {
        let profile = profile();
        let mut call = Call::greeted(open(&profile));
        call.send(&said(Intent::TalkToPerson { department: None }));
        let decision = call.send(&Event::TransferEnded(outcome));
        assert_eq!(decision.state.name(), StateName::LeadCapture);
        assert!(spoken(&decision).starts_with("Sorry, no one was able to pick up."));
        assert!(decision.memory.transfer_failed);

        let decision = call.send(&said(Intent::TalkToPerson { department: None }));
        assert!(!matches!(decision.reply, Reply::Transfer { .. }));
    }
}

#[test]
fn goodbye_ends_the_call_with_a_polite_goodbye() {
    let profile = profile();
    let decision = Call::greeted(open(&profile)).send(&said(Intent::Goodbye));
    assert!(is_hangup(&decision));
    assert_eq!(decision.state.name(), StateName::Ended);
    assert_eq!(
        spoken(&decision),
        "Have a great day. Thanks for calling Acme Roofing. Goodbye."
    );
}
