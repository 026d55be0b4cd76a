#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Reading the message back, saving it, and correcting it.

use super::fixtures::*;
use crate::conversation::interpretation::{Details, Expecting, Intent};
use crate::conversation::state::{CallState, Correction, LeadField, Outcome, StateName};

#[test]
fn the_message_is_read_back_in_full_before_it_is_saved() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    at_confirmation(&mut call);
    assert_eq!(call.state.expecting(), Expecting::YesNo);
    assert_eq!(
        call.memory.last_prompt,
        "Let me read that back: your name is Jane Doe, your number is five five five, seven six five, four three two one, \
         and you're calling about a leak in the roof. Is that all correct?"
    );
}

#[test]
fn confirming_the_message_saves_the_lead_and_asks_if_there_is_anything_else() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    at_confirmation(&mut call);
    let decision = call.send(&said(Intent::Yes));
    assert!(decision.save_lead);
    assert!(decision.memory.lead_saved);
    assert_eq!(decision.outcome, Some(Outcome::LeadCaptured));
    assert_eq!(decision.state.name(), StateName::WrapUp);
    assert_eq!(
        spoken(&decision),
        "Thank you, Jane. I've passed your message on, and someone will get back to you soon. \
         Is there anything else I can help with?"
    );

    let decision = call.send(&said(Intent::No));
    assert!(is_hangup(&decision));
    assert_eq!(decision.outcome, Some(Outcome::LeadCaptured));
    assert!(!decision.save_lead);
}

#[test]
fn no_at_confirmation_asks_what_to_change_and_a_named_field_is_asked_for_again() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    at_confirmation(&mut call);
    let decision = call.send(&said(Intent::No));
    assert_eq!(
        spoken(&decision),
        "What should I change: your name, number, email, or the reason?"
    );
    assert_eq!(decision.state.expecting(), Expecting::Correction);

    let decision = call.send(&said_with(Intent::Unclear, Details::default(), "my name"));
    assert_eq!(spoken(&decision), "Sure. What's the correct name?");
    assert_eq!(decision.state.expecting(), Expecting::Name);

    let decision = call.send(&said_with(Intent::Unclear, name("Jayne Doe"), "Jayne Doe"));
    assert_eq!(decision.state.name(), StateName::Confirmation);
    assert!(spoken(&decision).contains("your name is Jayne Doe"));
    assert_eq!(decision.state.expecting(), Expecting::YesNo);
}

#[test]
fn a_new_value_given_directly_at_confirmation_replaces_the_old_one() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    at_confirmation(&mut call);
    call.send(&said(Intent::No));
    let decision = call.send(&said_with(
        Intent::Unclear,
        phone("+15551234567"),
        "555 123 4567",
    ));
    assert!(spoken(&decision).starts_with("Thanks, I've updated that. Let me read that back"));
    assert!(
        spoken(&decision)
            .contains("your number is five five five, one two three, four five six seven")
    );

    let decision = call.send(&said(Intent::Yes));
    assert!(decision.save_lead);
    assert_eq!(decision.memory.lead.phone.as_deref(), Some("+15551234567"));
}

#[test]
fn no_with_the_correction_in_the_same_breath_updates_it() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    at_confirmation(&mut call);
    let decision = call.send(&said_with(
        Intent::No,
        email("jo.smith@gmail.com"),
        "no, add my email jo.smith@gmail.com",
    ));
    assert!(spoken(&decision).contains("your email is J O, dot, S M I T H, at gmail dot com"));
}

#[test]
fn an_email_can_be_removed_at_confirmation() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    taking_a_message(&mut call);
    call.send(&said_with(Intent::Unclear, name("Jane Doe"), "Jane Doe"));
    call.send(&said(Intent::Yes));
    call.send(&said_with(Intent::Unclear, email("jane@gmail.com"), ""));
    call.send(&said_with(Intent::Unclear, reason("a leak"), "a leak"));
    call.send(&said_with(
        Intent::No,
        Details::default(),
        "no the email is wrong",
    ));
    assert_eq!(
        call.state,
        CallState::Confirmation {
            correcting: Some(Correction::Detail(LeadField::Email))
        }
    );
    let decision = call.send(&said(Intent::No));
    assert_eq!(decision.memory.lead.email, None);
    assert!(!spoken(&decision).contains("your email"));
}
