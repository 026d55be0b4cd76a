#![allow(clippy::unwrap_used, clippy::expect_used)]
//! What holds whatever the state: the stored names, emergencies, silence,
//! the limits and the end of the call.

use super::fixtures::*;
use crate::conversation::interpretation::{Details, Expecting, HoursAsked, Intent};
use crate::conversation::profile::Limits;
use crate::conversation::state::{CallMemory, CallState, DialOutcome, Event, Outcome, StateName};

#[test]
fn every_stored_state_name_resumes_as_a_state_of_that_name() {
    for name in StateName::ALL {
        assert_eq!(CallState::from_name(name).name(), name);
    }
    let named: std::collections::HashSet<StateName> =
        every_state().iter().map(CallState::name).collect();
    assert_eq!(named.len(), StateName::ALL.len());
}

#[test]
fn every_state_survives_a_round_trip_through_json() {
    for state in every_state() {
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<CallState>(&json).unwrap(), state);
    }
}

#[test]
fn an_emergency_in_any_state_gives_the_emergency_number_and_hangs_up_keeping_the_lead() {
    let profile = profile();
    for state in every_state() {
        let memory = CallMemory {
            lead: name("Jane Doe"),
            ..CallMemory::default()
        };
        let decision = super::step(&state, &memory, &said(Intent::Emergency), &open(&profile));
        assert_eq!(
            spoken(&decision),
            "If this is an emergency, please hang up and call 911 now."
        );
        assert!(is_hangup(&decision));
        assert_eq!(decision.memory.lead.name.as_deref(), Some("Jane Doe"));
        assert_eq!(decision.outcome, Some(Outcome::Emergency));
    }
}

#[test]
fn a_caller_speaking_of_ending_their_life_also_hears_of_the_988_line_in_the_us() {
    let mut profile = profile();
    let words = "i can't do this anymore i keep thinking about taking my own life";
    let event = said_with(Intent::Emergency, Details::default(), words);
    let decision = super::step(
        &CallState::Greeting,
        &CallMemory::default(),
        &event,
        &open(&profile),
    );
    let heard = spoken(&decision);
    assert!(heard.contains("call 911 now"), "{heard}");
    assert!(heard.contains("988"), "{heard}");
    assert_eq!(decision.outcome, Some(Outcome::Emergency));
    // Elsewhere the local number only; and not for other emergencies.
    profile.emergency_number = "999".into();
    let heard = spoken(&super::step(
        &CallState::Greeting,
        &CallMemory::default(),
        &event,
        &open(&profile),
    ));
    assert!(heard.contains("999") && !heard.contains("988"), "{heard}");
    profile.emergency_number = "911".into();
    let fire = said_with(
        Intent::Emergency,
        Details::default(),
        "the garage is on fire",
    );
    let heard = spoken(&super::step(
        &CallState::Greeting,
        &CallMemory::default(),
        &fire,
        &open(&profile),
    ));
    assert!(!heard.contains("988"), "{heard}");
}

#[test]
fn silence_repeats_the_last_prompt_twice_then_closes_politely() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    for silences in 1..=2 {
        let decision = call.send(&Event::Silence);
        assert_eq!(
            spoken(&decision),
            "Sorry, I didn't hear anything. How can I help you today?"
        );
        assert_eq!(decision.memory.silences, silences);
    }
    let decision = call.send(&Event::Silence);
    assert!(is_hangup(&decision));
    assert_eq!(decision.outcome, Some(Outcome::Abandoned));
}

#[test]
fn speech_resets_the_silence_counter() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    call.send(&Event::Silence);
    call.send(&Event::Silence);
    let decision = call.send(&said(Intent::Unclear));
    assert_eq!(decision.memory.silences, 0);
    assert!(!is_hangup(&call.send(&Event::Silence)));
}

#[test]
fn silence_during_lead_capture_keeps_the_question_and_what_it_expects() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    call.send(&said(Intent::LeaveMessage));
    let decision = call.send(&Event::Silence);
    assert_eq!(decision.state.name(), StateName::LeadCapture);
    assert_eq!(decision.state.expecting(), Expecting::Name);
    assert!(spoken(&decision).ends_with("May I have your name, please?"));
}

#[test]
fn the_turn_limit_wraps_up_and_promises_to_pass_on_a_partial_message() {
    let mut profile = profile();
    profile.limits = Limits {
        max_turns: 5,
        ..Limits::default()
    };
    let mut call = Call::greeted(open(&profile));
    call.send(&said_with(
        Intent::LeaveMessage,
        name("Jane Doe"),
        "message",
    ));
    call.ctx.turn = 5;
    let decision = call.send(&said(Intent::Yes));
    assert!(is_hangup(&decision));
    assert!(spoken(&decision).starts_with("I'm sorry, I need to end the call now."));
    assert!(spoken(&decision).contains("I'll pass on the details"));
    assert_eq!(decision.memory.lead.name.as_deref(), Some("Jane Doe"));
}

#[test]
fn the_duration_limit_wraps_up_too() {
    let profile = profile();
    let mut call = Call::greeted(open(&profile));
    call.ctx.elapsed_seconds = profile.limits.max_call_seconds;
    let decision = call.send(&said(Intent::Hours(HoursAsked::Week)));
    assert!(is_hangup(&decision));
    assert_eq!(decision.outcome, Some(Outcome::Answered));
    assert!(!spoken(&decision).contains("pass on"));
}

#[test]
fn any_event_after_the_end_gets_a_short_goodbye() {
    let profile = profile();
    for event in [
        Event::CallStarted,
        Event::Silence,
        said(Intent::Question),
        Event::TransferEnded(DialOutcome::Busy),
    ] {
        let decision = super::step(
            &CallState::Ended,
            &CallMemory::default(),
            &event,
            &open(&profile),
        );
        assert_eq!(decision.state, CallState::Ended);
        assert_eq!(
            spoken(&decision),
            "Thanks for calling Acme Roofing. Goodbye."
        );
        assert_eq!(decision.outcome, None);
    }
}
