//! Requests, urgent work, small talk and other languages through `step`.

use super::fixtures::*;
use crate::conversation::interpretation::{Intent, Interpretation, SmallTalk};
use crate::conversation::profile::{Department, TenantProfile};
use crate::conversation::state::{Asking, CallState, DialOutcome, Event, Outcome, Reply};

const EMERGENCY_LINE: &str = "+15550009111";

/// Acme Roofing with an emergency line that is on call.
fn with_emergency_line() -> TenantProfile {
    let mut profile = profile();
    profile.departments.push(Department {
        name: "Emergency Repairs".into(),
        phone: Some(EMERGENCY_LINE.into()),
        keywords: vec![],
    });
    profile
}

fn urgent(text: &str) -> Event {
    Event::Speech(Interpretation {
        intent: Intent::Request { department: None },
        urgent: true,
        text: text.into(),
        ..Interpretation::default()
    })
}

fn request(department: Option<usize>, text: &str) -> Event {
    Event::Speech(Interpretation {
        intent: Intent::Request { department },
        text: text.into(),
        ..Interpretation::default()
    })
}

fn dialled(decision: &crate::conversation::state::Decision) -> Option<&str> {
    match &decision.reply {
        Reply::Transfer { number, .. } => Some(number),
        _ => None,
    }
}

#[test]
fn urgent_work_rings_the_emergency_line_open_or_closed() {
    let profile = with_emergency_line();
    for ctx in [open(&profile), closed(&profile)] {
        let mut call = Call::greeted(ctx);
        let decision = call.send(&urgent("water is pouring through my ceiling"));
        assert_eq!(dialled(&decision), Some(EMERGENCY_LINE));
        assert!(
            spoken(&decision).contains("urgent"),
            "{}",
            spoken(&decision)
        );
        assert!(call.memory.urgent);
        assert_eq!(call.memory.department.as_deref(), Some("Emergency Repairs"));
        // Put through: no message is left behind.
        assert!(call.memory.lead.is_empty());
    }
}

#[test]
fn urgent_work_no_one_answers_becomes_an_urgent_message_with_the_reason() {
    let profile = with_emergency_line();
    let mut call = Call::greeted(closed(&profile));
    call.send(&urgent("water is pouring through my ceiling"));
    let decision = call.send(&Event::TransferEnded(DialOutcome::NoAnswer));
    assert_eq!(
        decision.state,
        CallState::LeadCapture {
            asking: Asking::Name
        }
    );
    assert!(call.memory.urgent);
    assert_eq!(
        call.memory.lead.reason.as_deref(),
        Some("water is pouring through my ceiling")
    );
}

#[test]
fn urgent_work_without_an_emergency_line_reaches_someone_or_is_an_urgent_message_never_911() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    let decision = call.send(&urgent("its an emergency my roof is caving in"));
    assert_eq!(
        dialled(&decision),
        Some(MAIN_LINE),
        "open: someone picks up"
    );
    assert!(!spoken(&decision).contains("911"));

    let mut call = Call::greeted(closed(&profile));
    let decision = call.send(&urgent("its an emergency my roof is caving in"));
    assert_eq!(dialled(&decision), None);
    let said = spoken(&decision);
    assert!(said.contains("urgent message"), "{said}");
    assert!(!said.contains("911"), "{said}");
    assert!(call.memory.urgent);
    assert_eq!(
        call.memory.lead.reason.as_deref(),
        Some("its an emergency my roof is caving in")
    );
}

#[test]
fn a_request_reaches_its_department_when_open_and_becomes_a_message_when_closed() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    let decision = call.send(&request(Some(0), "i have a question about my invoice"));
    assert_eq!(dialled(&decision), Some(BILLING_LINE));
    assert!(call.memory.lead.is_empty());

    let mut call = Call::greeted(open(&profile));
    let decision = call.send(&request(None, "i'd like to book an inspection"));
    assert_eq!(
        dialled(&decision),
        Some(MAIN_LINE),
        "the main line is the fallback"
    );

    let mut call = Call::greeted(closed(&profile));
    let decision = call.send(&request(Some(0), "i have a question about my invoice"));
    assert_eq!(dialled(&decision), None);
    assert!(spoken(&decision).contains("message for Billing"));
    assert_eq!(call.memory.department.as_deref(), Some("Billing"));
    assert_eq!(
        call.memory.lead.reason.as_deref(),
        Some("i have a question about my invoice")
    );
}

#[test]
fn a_messages_only_department_gets_a_message_even_when_open() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    // Repairs has no line of its own.
    let decision = call.send(&request(Some(1), "i need someone to fix a leak in my roof"));
    assert_eq!(dialled(&decision), None);
    assert!(spoken(&decision).contains("message for Repairs"));
}

#[test]
fn small_talk_is_answered_and_the_question_asked_again() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    call.send(&question_answered("Yes, free estimates within 20 miles."));
    let again = call.send(&said(Intent::SmallTalk(SmallTalk::Repeat)));
    let repeated = spoken(&again);
    assert!(repeated.contains("free estimates"), "{repeated}");
    assert!(repeated.contains("anything else"), "{repeated}");
    assert_eq!(call.memory.failed_attempts, 0);

    let who = call.send(&said(Intent::SmallTalk(SmallTalk::WhoAmITalkingTo)));
    assert!(
        spoken(&who).contains("automated assistant"),
        "{}",
        spoken(&who)
    );

    // Mid-message, "hello?" keeps the question, and no name is taken from it.
    let mut call = Call::greeted(open(&profile));
    taking_a_message(&mut call);
    let hello = call.send(&said(Intent::SmallTalk(SmallTalk::AreYouThere)));
    assert!(spoken(&hello).starts_with("Yes, I'm here."));
    assert!(spoken(&hello).contains("your name"));
    assert_eq!(call.memory.lead.name, None);
}

#[test]
fn a_repeated_misunderstanding_is_not_said_word_for_word() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    let first = spoken(&call.send(&said(Intent::Unclear)));
    let second = spoken(&call.send(&said(Intent::Unclear)));
    assert_ne!(first, second);
}

#[test]
fn a_spanish_speaker_hears_spanish_and_leaves_a_message() {
    let profile = profile();
    let mut call = Call::greeted(closed(&profile));
    let first = call.send(&Event::Speech(Interpretation {
        intent: Intent::Unclear,
        language: Some("es".into()),
        text: "hola necesito una cita para mi hijo".into(),
        ..Interpretation::default()
    }));
    assert!(spoken(&first).contains("mensaje"), "{}", spoken(&first));
    let done = call.send(&Event::Speech(Interpretation {
        intent: Intent::Unclear,
        language: Some("es".into()),
        text:
            "me llamo Ana Ruiz mi número es cinco cinco cinco uno dos tres cuatro cinco seis siete"
                .into(),
        ..Interpretation::default()
    }));
    assert!(is_hangup(&done));
    assert!(done.save_lead);
    assert_eq!(done.outcome, Some(Outcome::LeadCaptured));
    assert_eq!(call.memory.lead.name.as_deref(), Some("Ana Ruiz"));
    assert_eq!(call.memory.lead.phone.as_deref(), Some("+15551234567"));
    let reason = call.memory.lead.reason.clone().unwrap_or_default();
    assert!(reason.contains("cita"), "{reason}");
    assert!(reason.contains("Ana Ruiz"), "{reason}");
}

#[test]
fn okay_thanks_bye_at_the_read_back_keeps_the_message_and_ends_the_call() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    at_confirmation(&mut call);
    let decision = call.send(&said(Intent::Goodbye));
    assert!(is_hangup(&decision));
    assert!(decision.save_lead);
    assert_eq!(decision.outcome, Some(Outcome::LeadCaptured));
}

#[test]
fn asking_for_a_person_at_the_read_back_is_put_through_or_told_the_message_goes_on() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    at_confirmation(&mut call);
    let decision = call.send(&said(Intent::TalkToPerson { department: None }));
    assert_eq!(dialled(&decision), Some(MAIN_LINE));

    let mut call = Call::greeted(closed(&profile));
    at_confirmation(&mut call);
    let decision = call.send(&said(Intent::TalkToPerson { department: None }));
    assert_eq!(dialled(&decision), None);
    let said = spoken(&decision);
    assert!(said.contains("passed on"), "{said}");
    assert!(said.contains("Is that all correct?"), "{said}");
}

#[test]
fn a_spanish_speaker_reaches_staff_who_speak_spanish_or_leaves_a_message_in_spanish() {
    let mut profile = profile();
    profile.staff_languages = vec!["es".into()];
    let spanish = |text: &str| {
        Event::Speech(Interpretation {
            intent: Intent::Unclear,
            language: Some("es".into()),
            text: text.into(),
            ..Interpretation::default()
        })
    };
    let mut call = Call::greeted(open(&profile));
    let decision = call.send(&spanish("hola necesito una cita"));
    assert_eq!(dialled(&decision), Some(MAIN_LINE));
    assert!(
        spoken(&decision).contains("español"),
        "{}",
        spoken(&decision)
    );
    let decision = call.send(&Event::TransferEnded(DialOutcome::NoAnswer));
    assert!(
        spoken(&decision).contains("mensaje"),
        "{}",
        spoken(&decision)
    );
    let done = call.send(&spanish("soy ana ruiz y necesito una cita para mi hijo"));
    assert!(done.save_lead);
    assert_eq!(call.memory.lead.name.as_deref(), Some("Ana Ruiz"));

    // Closed: nobody to put through, the message is taken in Spanish.
    let mut call = Call::greeted(closed(&profile));
    let decision = call.send(&spanish("hola necesito una cita"));
    assert_eq!(dialled(&decision), None);
    assert!(spoken(&decision).contains("mensaje"));
}

#[test]
fn a_second_miss_in_a_row_is_not_apologised_for_word_for_word() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    at_confirmation(&mut call);
    let first = spoken(&call.send(&said(Intent::Unclear)));
    let second = spoken(&call.send(&said(Intent::Unclear)));
    assert!(first.starts_with("Sorry, I didn't catch that."), "{first}");
    assert!(
        second.starts_with("Sorry, I still didn't quite get that."),
        "{second}"
    );
}
