//! The reason for the call, kept in the caller's words without what says
//! nothing about it.

use super::{hear, hear_when};
use crate::conversation::interpretation::{Expecting, Intent};

fn reason_given(said: &str) -> Option<String> {
    hear_when(Expecting::Reason, said).details.reason
}

#[test]
fn lead_ins_and_fillers_are_dropped_and_the_point_kept() {
    for (said, reason) in [
        (
            "yeah so um i wanted to know if you could move my appointment to next week",
            "move my appointment to next week",
        ),
        ("I'm calling about my bill", "my bill"),
        (
            "uh hi yeah I was calling because my sink is leaking",
            "my sink is leaking",
        ),
        (
            "so basically I need to reschedule my cleaning",
            "reschedule my cleaning",
        ),
        (
            "the reason I'm calling is my crown fell out",
            "my crown fell out",
        ),
        (
            "it's regarding the estimate you sent me",
            "the estimate you sent me",
        ),
        (
            "um I was wondering if you could give me a quote on a water heater",
            "give me a quote on a water heater",
        ),
        (
            "i'd like to book a cleaning for my son",
            "book a cleaning for my son",
        ),
        ("well I have a question about my insurance", "my insurance"),
        (
            "hi yes I'm interested in teeth whitening",
            "teeth whitening",
        ),
        (
            "can someone come out and look at my furnace",
            "someone to come out and look at my furnace",
        ),
        (
            "I wanted to know if you do teeth whitening for teenagers",
            "if you do teeth whitening for teenagers",
        ),
        (
            "okay so my tooth has been hurting since Tuesday",
            "my tooth has been hurting since Tuesday",
        ),
    ] {
        assert_eq!(reason_given(said).as_deref(), Some(reason), "{said}");
    }
}

#[test]
fn a_long_reason_is_not_cut_before_its_point() {
    for (said, reason) in [
        (
            "my dishwasher is leaking all over the floor and I need someone to look at it",
            "my dishwasher is leaking all over the floor and I need someone to look at it",
        ),
        (
            "I saw your ad for whitening and I want to know if you do that for kids",
            "I saw your ad for whitening and I want to know if you do that for kids",
        ),
    ] {
        assert_eq!(reason_given(said).as_deref(), Some(reason), "{said}");
    }
}

#[test]
fn the_person_a_message_is_for_is_kept() {
    for (said, reason) in [
        (
            "it's for Dr Patel, she asked me to call about my results",
            "for Dr Patel, she asked me to call about my results",
        ),
        (
            "I need to leave a message for dr patel about my results",
            "for Dr Patel about my results",
        ),
        (
            "this is for mrs okafor regarding the invoice",
            "for Mrs Okafor regarding the invoice",
        ),
    ] {
        assert_eq!(reason_given(said).as_deref(), Some(reason), "{said}");
    }
}

#[test]
fn punctuation_inside_the_words_is_kept() {
    assert_eq!(
        reason_given("I need to move my 3:30 appointment to Friday.").as_deref(),
        Some("move my 3:30 appointment to Friday")
    );
    assert_eq!(
        reason_given("um the $120 cleaning, is that with the x-ray?").as_deref(),
        Some("the $120 cleaning, is that with the x-ray")
    );
}

#[test]
fn the_reason_stops_where_the_caller_moves_on_to_their_details() {
    for (said, reason) in [
        (
            "a leak under the sink, my number is 503 555 0142",
            "a leak under the sink",
        ),
        ("a broken crown thank you so much", "a broken crown"),
        (
            "my invoice is wrong can someone call me back",
            "my invoice is wrong",
        ),
    ] {
        assert_eq!(reason_given(said).as_deref(), Some(reason), "{said}");
    }
}

#[test]
fn a_bare_request_for_a_call_back_is_the_reason_when_one_was_asked_for() {
    assert_eq!(
        reason_given("just have someone call me back").as_deref(),
        Some("a call back")
    );
    assert_eq!(hear("can I leave a message").details.reason, None);
    assert_eq!(
        hear("yeah hi I'd like to leave a message please")
            .details
            .reason,
        None
    );
}

#[test]
fn a_message_request_keeps_what_it_is_about() {
    for (said, reason) in [
        ("hi I'd like to leave a message about my bill", "my bill"),
        ("can someone call me back about my estimate", "my estimate"),
        (
            "please have someone call me back regarding the water heater",
            "the water heater",
        ),
    ] {
        assert_eq!(hear(said).details.reason.as_deref(), Some(reason), "{said}");
    }
}

#[test]
fn details_added_after_a_yes_at_the_read_back_are_kept() {
    for (said, addition) in [
        ("yes and also tell her it's urgent", "tell her it's urgent"),
        ("that's right, oh and I'm free after 3", "I'm free after 3"),
        ("yep, and I can only do mornings", "I can only do mornings"),
        (
            "correct, also my husband might answer",
            "my husband might answer",
        ),
    ] {
        let heard = hear_when(Expecting::YesNo, said);
        assert_eq!(heard.intent, Intent::Yes, "{said}");
        assert_eq!(heard.details.reason.as_deref(), Some(addition), "{said}");
    }
}

#[test]
fn a_plain_yes_at_the_read_back_adds_nothing() {
    for said in [
        "yes",
        "yes that's right",
        "yeah that's correct thank you",
        "yep sounds good",
        "yes perfect thanks",
    ] {
        assert_eq!(
            hear_when(Expecting::YesNo, said).details.reason,
            None,
            "{said}"
        );
    }
}

#[test]
fn an_introduction_before_calling_about_is_not_the_reason() {
    for (said, reason) in [
        (
            "this is a b c plumbing calling about an invoice",
            "an invoice",
        ),
        (
            "hi this is mike from the school calling about my son's appointment",
            "my son's appointment",
        ),
        (
            "hi it's a leak in my roof can someone call me back",
            "a leak in my roof",
        ),
    ] {
        assert_eq!(hear(said).details.reason.as_deref(), Some(reason), "{said}");
    }
}

#[test]
fn parts_of_a_reason_split_by_the_callers_details_are_joined() {
    let heard = hear("the job is at 4521 oak street and my number is 503 555 0142 I need a quote");
    assert_eq!(heard.details.phone.as_deref(), Some("+15035550142"));
    assert_eq!(
        heard.details.reason.as_deref(),
        Some("the job is at 4521 oak street; a quote")
    );
}

#[test]
fn words_around_another_detail_are_not_a_reason_unless_led_into() {
    for (expecting, said) in [
        (
            Expecting::Phone,
            "my cell is 503 555 0142 and my work is 503 555 0199",
        ),
        (
            Expecting::Email,
            "my email is the same as my name jane doe at gmail",
        ),
        (Expecting::Name, "it's uh robert but everyone calls me bob"),
    ] {
        assert_eq!(hear_when(expecting, said).details.reason, None, "{said}");
    }
    let heard = hear_when(Expecting::Name, "jane doe and I'm calling about my bill");
    assert_eq!(heard.details.name.as_deref(), Some("Jane Doe"));
    assert_eq!(heard.details.reason.as_deref(), Some("my bill"));
}

#[test]
fn a_request_to_be_called_back_about_something_keeps_only_the_something() {
    for (said, reason) in [
        (
            "hi can someone call me about an estimate for a new roof",
            "an estimate for a new roof",
        ),
        (
            "could you have somebody give me a call regarding my last invoice",
            "my last invoice",
        ),
        (
            "yeah can you guys call me back about the party booking for saturday",
            "the party booking for saturday",
        ),
        (
            "please get back to me about the quote you sent",
            "the quote you sent",
        ),
        (
            "can someone call me in regards to my membership",
            "my membership",
        ),
    ] {
        for heard in [
            reason_given(said),
            hear_when(Expecting::Anything, said).details.reason,
        ] {
            assert_eq!(heard.as_deref(), Some(reason), "{said}");
        }
    }
    // Without an "about", the call back is what they want.
    assert_eq!(
        reason_given("can someone call me").as_deref(),
        Some("a call back")
    );
}

#[test]
fn a_greeting_said_with_there_is_not_part_of_the_reason() {
    for (said, reason) in [
        (
            "hi there i'd like to book a table for six on friday",
            "book a table for six on friday",
        ),
        (
            "hello there my garage door won't close",
            "my garage door won't close",
        ),
    ] {
        assert_eq!(reason_given(said).as_deref(), Some(reason), "{said}");
    }
}
