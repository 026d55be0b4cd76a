#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Whatever the caller says, the machine never panics, always says
//! something, only rings configured numbers during business hours, and ends
//! the call within the turn limit.

use proptest::prelude::*;

use super::fixtures::{BILLING_LINE, MAIN_LINE, every_state, profile};
use crate::conversation::interpretation::{
    Details, GroundedAnswer, HoursAsked, Intent, Interpretation, SmallTalk,
};
use crate::conversation::profile::Limits;
use crate::conversation::state::{CallMemory, CallState, DialOutcome, Event, Reply, TurnContext};

fn intent() -> impl Strategy<Value = Intent> {
    prop_oneof![
        Just(Intent::Question),
        Just(Intent::Hours(HoursAsked::Week)),
        Just(Intent::Hours(HoursAsked::Now)),
        (0usize..7).prop_map(|d| Intent::Hours(HoursAsked::Day(d))),
        proptest::option::of(0usize..4).prop_map(|department| Intent::Request { department }),
        Just(Intent::SmallTalk(SmallTalk::Repeat)),
        Just(Intent::SmallTalk(SmallTalk::Hello)),
        Just(Intent::SmallTalk(SmallTalk::WhoAmITalkingTo)),
        Just(Intent::Location),
        Just(Intent::Contact),
        proptest::option::of(0usize..4).prop_map(|department| Intent::TalkToPerson { department }),
        Just(Intent::LeaveMessage),
        Just(Intent::Emergency),
        Just(Intent::Goodbye),
        Just(Intent::Yes),
        Just(Intent::No),
        Just(Intent::Unclear),
    ]
}

fn details() -> impl Strategy<Value = Details> {
    (
        proptest::option::of("[A-Za-z ]{0,30}"),
        proptest::option::of("\\+?[0-9]{0,16}"),
        proptest::option::of("[a-z.]{0,10}@[a-z]{1,8}\\.(com|net|io)"),
        proptest::option::of(".{0,300}"),
    )
        .prop_map(|(name, phone, email, reason)| Details {
            name,
            phone,
            email,
            reason,
        })
}

fn speech() -> impl Strategy<Value = Event> {
    (
        intent(),
        details(),
        proptest::option::of(".{0,80}"),
        ".{0,300}",
    )
        .prop_map(|(intent, details, answer, text)| {
            Event::Speech(Interpretation {
                intent,
                details,
                answer: answer.map(|answer| GroundedAnswer {
                    entry_id: 1,
                    answer,
                    score: 1.0,
                }),
                also: Vec::new(),
                text,
                ..Interpretation::default()
            })
        })
}

fn dial_outcome() -> impl Strategy<Value = DialOutcome> {
    prop_oneof![
        Just(DialOutcome::Completed),
        Just(DialOutcome::Busy),
        Just(DialOutcome::NoAnswer),
        Just(DialOutcome::Failed),
        Just(DialOutcome::Canceled),
    ]
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        6 => speech(),
        2 => Just(Event::Silence),
        1 => dial_outcome().prop_map(Event::TransferEnded),
        1 => Just(Event::CallStarted),
    ]
}

fn said_anything(reply: &Reply) -> bool {
    let say = match reply {
        Reply::Ask { say } | Reply::Hangup { say } | Reply::Transfer { say, .. } => say,
    };
    !say.is_empty() && say.iter().all(|s| !s.trim().is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_call_ends_within_the_turn_limit_saying_something_every_turn(
        events in proptest::collection::vec(event(), 0..40),
        open_each_turn in proptest::collection::vec(any::<bool>(), 40),
        caller_id in any::<bool>(),
        max_turns in 1u32..25,
    ) {
        let mut profile = profile();
        profile.limits = Limits { max_turns, ..Limits::default() };
        let caller = caller_id.then_some("+15557654321");
        let ctx = |turn: u32| TurnContext {
            profile: &profile,
            open_now: open_each_turn[turn as usize % open_each_turn.len()],
            local_time: Default::default(),
            caller_number: caller,
            turn,
            elapsed_seconds: turn * 10,
        };
        let mut decision = super::step(
            &CallState::Greeting,
            &CallMemory::default(),
            &Event::CallStarted,
            &ctx(0),
        );
        let hangup = |reply: &Reply| matches!(reply, Reply::Hangup { .. });
        let mut hung_up = hangup(&decision.reply);
        let mut turn = 0;
        // Keep talking (silence after the scripted events) until the limit.
        while turn < max_turns {
            turn += 1;
            let event = events.get(turn as usize - 1).cloned().unwrap_or(Event::Silence);
            let context = ctx(turn);
            decision = super::step(&decision.state, &decision.memory, &event, &context);
            prop_assert!(said_anything(&decision.reply), "empty reply {:?}", decision.reply);
            if let Reply::Transfer { number, .. } = &decision.reply {
                prop_assert!(context.open_now, "transfer while closed");
                prop_assert!(number == MAIN_LINE || number == BILLING_LINE, "unknown number {number}");
            }
            if hangup(&decision.reply) {
                hung_up = true;
                prop_assert_eq!(decision.state, CallState::Ended);
                break;
            }
        }
        prop_assert!(hung_up, "call still going after {} turns", max_turns);
    }

    #[test]
    fn step_never_panics_from_any_state_and_memory(
        state in proptest::sample::select(every_state()),
        event in event(),
        lead in details(),
        flags in any::<[bool; 5]>(),
        counters in any::<(u8, u8)>(),
        open_now in any::<bool>(),
        turn in 0u32..30,
    ) {
        let profile = profile();
        let memory = CallMemory {
            lead,
            phone_confirmed: flags[0],
            email_asked: flags[1],
            transfer_failed: flags[2],
            lead_saved: flags[3],
            caller_number_declined: flags[4],
            failed_attempts: counters.0,
            silences: counters.1,
            ..CallMemory::default()
        };
        let ctx = TurnContext {
            profile: &profile,
            open_now,
            local_time: Default::default(),
            caller_number: Some("+15557654321"),
            turn,
            elapsed_seconds: 0,
        };
        let decision = super::step(&state, &memory, &event, &ctx);
        prop_assert!(said_anything(&decision.reply));
        if let Reply::Transfer { number, .. } = &decision.reply {
            prop_assert!(open_now);
            prop_assert!(number == MAIN_LINE || number == BILLING_LINE);
        }
        if state == CallState::Ended {
            let hung_up = matches!(decision.reply, Reply::Hangup { .. });
            prop_assert!(hung_up, "Ended answered {:?}", decision.reply);
        }
    }
}
