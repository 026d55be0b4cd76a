#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Taking a message and confirming it.

use super::fixtures::*;
use crate::conversation::interpretation::{Details, Expecting, Intent};
use crate::conversation::state::{Asking, CallState, Event, Outcome, Reply, StateName};

#[test]
fn leaving_a_message_asks_for_the_name_first() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    let decision = call.send(&said_with(
        Intent::LeaveMessage,
        Details::default(),
        "leave a message",
    ));
    assert_eq!(decision.state.name(), StateName::LeadCapture);
    assert_eq!(
        spoken(&decision),
        "Sure, I can take a message. May I have your name, please?"
    );
    assert_eq!(decision.state.expecting(), Expecting::Name);
}

#[test]
fn the_callers_own_number_is_offered_as_the_callback_number() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    taking_a_message(&mut call);
    let decision = call.send(&said_with(Intent::Unclear, name("Jane Doe"), "Jane Doe"));
    assert_eq!(
        spoken(&decision),
        "Thanks, Jane. Is five five five, seven six five, four three two one the best number to reach you?"
    );
    assert_eq!(decision.state.expecting(), Expecting::YesNo);
    assert_eq!(
        decision.state,
        CallState::LeadCapture {
            asking: Asking::PhoneConfirmation
        }
    );

    let decision = call.send(&said(Intent::Yes));
    assert!(decision.memory.phone_confirmed);
    assert_eq!(decision.memory.lead.phone.as_deref(), Some(CALLER));
    assert_eq!(
        spoken(&decision),
        "Great. Would you like to leave an email address too? You can say no."
    );
    assert_eq!(decision.state.expecting(), Expecting::Email);
}

#[test]
fn declining_the_callers_own_number_asks_for_another_and_reads_it_back() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    taking_a_message(&mut call);
    call.send(&said_with(Intent::Unclear, name("Jane Doe"), "Jane Doe"));
    let decision = call.send(&said(Intent::No));
    assert_eq!(
        spoken(&decision),
        "Sorry about that. What's the best number to reach you?"
    );
    assert_eq!(decision.state.expecting(), Expecting::Phone);
    assert_eq!(decision.memory.lead.phone, None);

    let decision = call.send(&said_with(
        Intent::Unclear,
        phone("+15551234567"),
        "555 123 4567",
    ));
    assert_eq!(
        spoken(&decision),
        "Got it. I have five five five, one two three, four five six seven. Is that right?"
    );
    assert!(!decision.memory.phone_confirmed);

    let decision = call.send(&said(Intent::Yes));
    assert!(decision.memory.phone_confirmed);
    assert_eq!(decision.state.expecting(), Expecting::Email);
}

#[test]
fn without_caller_id_the_number_is_asked_for() {
    let profile = profile();
    let mut ctx = open(&profile);
    ctx.caller_number = None;
    let mut call = Call::greeted(ctx);
    taking_a_message(&mut call);
    let decision = call.send(&said_with(Intent::Unclear, name("Jane Doe"), "Jane Doe"));
    assert!(spoken(&decision).ends_with("What's the best number to reach you?"));
}

#[test]
fn a_wrong_read_back_number_can_be_replaced_in_the_same_breath() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    taking_a_message(&mut call);
    call.send(&said_with(Intent::Unclear, name("Jane Doe"), "Jane Doe"));
    let decision = call.send(&said_with(
        Intent::No,
        phone("+15551234567"),
        "no it's 555 123 4567",
    ));
    assert!(
        spoken(&decision)
            .contains("I have five five five, one two three, four five six seven. Is that right?")
    );
}

#[test]
fn several_details_in_one_utterance_are_all_kept() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    let details = Details {
        name: Some("Jane Doe".into()),
        phone: Some("+15551234567".into()),
        email: Some("jane@gmail.com".into()),
        reason: Some("a quote for a new roof".into()),
    };
    let decision = call.send(&said_with(Intent::LeaveMessage, details, "..."));
    assert_eq!(decision.state.name(), StateName::LeadCapture);
    assert!(
        spoken(&decision)
            .ends_with("I have five five five, one two three, four five six seven. Is that right?")
    );

    let decision = call.send(&said(Intent::Yes));
    assert_eq!(decision.state.name(), StateName::Confirmation);
}

#[test]
fn saying_no_to_an_email_skips_it_and_it_is_not_asked_again() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    taking_a_message(&mut call);
    call.send(&said_with(Intent::Unclear, name("Jane Doe"), "Jane Doe"));
    call.send(&said(Intent::Yes));
    let decision = call.send(&said(Intent::No));
    assert_eq!(
        spoken(&decision),
        "No problem. And what's the reason for your call?"
    );
    assert_eq!(decision.state.expecting(), Expecting::Reason);
    assert!(decision.memory.email_asked);
}

#[test]
fn saying_yes_to_an_email_asks_for_it() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    taking_a_message(&mut call);
    call.send(&said_with(Intent::Unclear, name("Jane Doe"), "Jane Doe"));
    call.send(&said(Intent::Yes));
    let decision = call.send(&said(Intent::Yes));
    assert_eq!(
        spoken(&decision),
        "Sure, go ahead. What's your email address?"
    );
    let decision = call.send(&said_with(Intent::Unclear, email("jane@gmail.com"), ""));
    assert_eq!(
        decision.memory.lead.email.as_deref(),
        Some("jane@gmail.com")
    );
    assert_eq!(decision.state.expecting(), Expecting::Reason);
}

#[test]
fn a_reason_already_given_is_not_asked_again() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    call.send(&said_with(
        Intent::LeaveMessage,
        reason("a quote for a new roof"),
        "I need a quote for a new roof",
    ));
    call.send(&said_with(Intent::Unclear, name("Jane Doe"), "Jane Doe"));
    call.send(&said(Intent::Yes));
    let decision = call.send(&said(Intent::No));
    assert_eq!(decision.state.name(), StateName::Confirmation);
}

#[test]
fn a_message_request_without_a_reason_asks_for_it_later() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    let text = "yeah hi um I'd like to leave a message for someone please";
    let decision = call.send(&said_with(Intent::LeaveMessage, Details::default(), text));
    assert_eq!(decision.memory.lead.reason, None);
    call.send(&said_with(Intent::Unclear, name("Jane Doe"), "Jane Doe"));
    call.send(&said(Intent::Yes));
    let decision = call.send(&said(Intent::No));
    assert_eq!(
        spoken(&decision),
        "No problem. And what's the reason for your call?"
    );
}

#[test]
fn the_reason_can_be_given_in_the_callers_own_words() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    taking_a_message(&mut call);
    call.send(&said_with(Intent::Unclear, name("Jane Doe"), "Jane Doe"));
    call.send(&said(Intent::Yes));
    call.send(&said(Intent::No));
    let decision = call.send(&said_with(
        Intent::Unclear,
        Details::default(),
        "my gutter fell off",
    ));
    assert_eq!(
        decision.memory.lead.reason.as_deref(),
        Some("my gutter fell off")
    );
}

#[test]
fn saying_no_to_leaving_a_message_goes_back_to_helping() {
    let profile = profile();
    let mut call = Call::greeted(closed(&profile));
    call.send(&said(Intent::TalkToPerson { department: None }));
    let decision = call.send(&said(Intent::No));
    assert_eq!(decision.state.name(), StateName::Intent);
    assert_eq!(
        spoken(&decision),
        "No problem. Is there anything else I can help with?"
    );
}

#[test]
fn a_side_question_during_capture_is_answered_and_the_question_repeated() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    taking_a_message(&mut call);
    let decision = call.send(&said(Intent::Location));
    assert_eq!(decision.state.name(), StateName::LeadCapture);
    assert_eq!(
        spoken(&decision),
        "We're at 12 Main Street, Springfield. Now, back to your message. \
         May I have your name, please?"
    );
}

#[test]
fn asking_for_a_person_during_capture_puts_them_through_when_possible() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    taking_a_message(&mut call);
    let decision = call.send(&said(Intent::TalkToPerson {
        department: Some(0),
    }));
    assert!(matches!(decision.reply, Reply::Transfer { ref number, .. } if number == BILLING_LINE));
}

#[test]
fn three_unusable_answers_during_capture_end_the_call_keeping_the_partial_lead() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    taking_a_message(&mut call);
    call.send(&said_with(Intent::Unclear, name("Jane Doe"), "Jane Doe"));
    call.send(&said(Intent::Yes));
    call.send(&said(Intent::No));
    call.send(&said(Intent::Unclear));
    call.send(&said(Intent::Unclear));
    let decision = call.send(&said(Intent::Unclear));
    assert!(is_hangup(&decision));
    assert_eq!(decision.outcome, Some(Outcome::Abandoned));
    assert!(spoken(&decision).contains("I'll pass on the details"));
    assert_eq!(decision.memory.lead.name.as_deref(), Some("Jane Doe"));
}

#[test]
fn goodbye_in_the_middle_of_a_message_keeps_what_was_said() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    taking_a_message(&mut call);
    call.send(&said_with(Intent::Unclear, name("Jane Doe"), "Jane Doe"));
    let decision = call.send(&said(Intent::Goodbye));
    assert!(is_hangup(&decision));
    assert_eq!(decision.outcome, Some(Outcome::Abandoned));
    assert!(spoken(&decision).contains("I'll pass on the details"));
    assert_eq!(decision.memory.lead.name.as_deref(), Some("Jane Doe"));
}

#[test]
fn echoed_caller_text_is_capped() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    let long = "word ".repeat(200);
    call.send(&said_with(Intent::LeaveMessage, reason(&long), &long));
    assert!(call.memory.lead.reason.as_ref().unwrap().chars().count() <= 200);
}

#[test]
fn a_failed_transfer_then_a_message_reaches_confirmation_with_the_details() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    call.send(&said_with(
        Intent::TalkToPerson {
            department: Some(0),
        },
        reason("my invoice"),
        "billing please, it's about my invoice",
    ));
    let decision = call.send(&Event::TransferEnded(
        crate::conversation::state::DialOutcome::Busy,
    ));
    assert_eq!(
        spoken(&decision),
        "Sorry, no one was able to pick up. But I can take a message for Billing and have \
         someone call you back. May I have your name, please?"
    );
    call.send(&said_with(Intent::Unclear, name("Jane Doe"), "Jane Doe"));
    call.send(&said(Intent::Yes));
    let decision = call.send(&said(Intent::No));
    assert_eq!(decision.state.name(), StateName::Confirmation);
    assert!(spoken(&decision).contains("you're calling about your invoice"));
}

#[test]
fn a_failed_transfer_after_the_message_was_saved_does_not_take_it_again() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    at_confirmation(&mut call);
    call.send(&said(Intent::Yes));
    call.send(&said(Intent::TalkToPerson { department: None }));
    let decision = call.send(&Event::TransferEnded(
        crate::conversation::state::DialOutcome::NoAnswer,
    ));
    assert_eq!(decision.state.name(), StateName::Intent);
    assert!(spoken(&decision).contains("Your message has already been passed on"));
    assert!(decision.memory.lead_saved);
}

#[test]
fn a_late_dial_report_outside_a_transfer_just_repeats_the_question() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    taking_a_message(&mut call);
    let before = call.memory.clone();
    let decision = call.send(&Event::TransferEnded(
        crate::conversation::state::DialOutcome::Busy,
    ));
    assert_eq!(
        decision.state,
        CallState::LeadCapture {
            asking: Asking::Name
        }
    );
    assert_eq!(spoken(&decision), "May I have your name, please?");
    assert_eq!(decision.memory, before);
}

#[test]
fn memory_saved_by_older_versions_still_loads() {
    let json = r#"{"lead":{"name":"Jane Doe","phone":null,"email":null,"reason":null},
        "phone_confirmed":false,"email_asked":false,"expecting":"Name","confirming":null,
        "failed_attempts":0,"silences":1,"transfer_department":null,"transfer_failed":false,
        "lead_saved":false,"last_prompt":"May I have your name, please?"}"#;
    let memory: crate::conversation::state::CallMemory = serde_json::from_str(json).unwrap();
    assert_eq!(memory.lead.name.as_deref(), Some("Jane Doe"));
    assert_eq!(memory.silences, 1);
    assert_eq!(memory.last_prompt, "May I have your name, please?");
    assert!(!memory.caller_number_declined);

    // The sub-states a later version kept in memory now live in `CallState`.
    let json = r#"{"lead":{"name":"Jane Doe","phone":null,"email":null,"reason":null},
        "expecting":"YesNo","confirming":"Phone","pending_offer":"MoreHelp",
        "correcting":"Email","transfer_department":1,"caller_number_declined":true,
        "failed_attempts":2,"last_prompt":"Is that all correct?"}"#;
    let memory: crate::conversation::state::CallMemory = serde_json::from_str(json).unwrap();
    assert_eq!(memory.lead.name.as_deref(), Some("Jane Doe"));
    assert!(memory.caller_number_declined);
    assert_eq!(memory.failed_attempts, 2);
    assert_eq!(memory.last_prompt, "Is that all correct?");
}
