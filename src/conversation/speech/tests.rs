//! How things are said, checked by ear.

use super::*;

fn span(open_hour: u16, close_hour: u16) -> Option<OpenSpan> {
    Some(OpenSpan {
        open_minute: open_hour * 60,
        close_minute: close_hour * 60,
    })
}

#[test]
fn a_north_american_number_is_read_in_three_three_four_without_the_country_code() {
    assert_eq!(
        phone_number("+15551234567"),
        "five five five, one two three, four five six seven"
    );
    assert_eq!(
        phone_number("5551234567"),
        "five five five, one two three, four five six seven"
    );
}

#[test]
fn other_international_numbers_are_read_with_plus_and_grouped() {
    assert_eq!(
        phone_number("+442079460958"),
        "plus four four, two oh seven, nine four six, oh nine five eight"
    );
}

#[test]
fn short_numbers_are_still_grouped_sensibly() {
    assert_eq!(
        phone_number("1234567"),
        "one two three, four five six seven"
    );
    assert_eq!(
        phone_number("12345678"),
        "one two three four, five six seven eight"
    );
    assert_eq!(phone_number("911"), "nine one one");
}

#[test]
fn a_well_known_email_provider_is_said_as_words_and_the_local_part_spelled() {
    assert_eq!(
        email_address("jo.smith@gmail.com"),
        "J O, dot, S M I T H, at gmail dot com"
    );
    assert_eq!(
        email_address("Bob_99+roof@Outlook.com"),
        "B O B, underscore, 9 9, plus, R O O F, at outlook dot com"
    );
}

#[test]
fn an_unknown_email_domain_is_spelled_with_its_ending_said_as_words() {
    assert_eq!(
        email_address("info@acme-roofing.co.uk"),
        "info, at A C M E, dash, R O O F I N G, dot co dot uk"
    );
}

#[test]
fn business_hours_read_as_a_natural_sentence() {
    let weekday = span(8, 17);
    let hours = [
        weekday,
        weekday,
        weekday,
        weekday,
        weekday,
        span(9, 13),
        None,
    ];
    assert_eq!(
        business_hours(&hours),
        "We're open Monday to Friday from 8 AM to 5 PM, and Saturday from 9 AM to 1 PM. \
         We're closed on Sunday."
    );
}

#[test]
fn business_hours_cover_every_day_weekends_and_odd_times() {
    let day = span(9, 17);
    assert_eq!(
        business_hours(&[day; 7]),
        "We're open every day from 9 AM to 5 PM."
    );
    let late = Some(OpenSpan {
        open_minute: 7 * 60 + 30,
        close_minute: 12 * 60,
    });
    let hours = [late, span(0, 24), day, day, day, None, None];
    assert_eq!(
        business_hours(&hours),
        "We're open Monday from 7:30 AM to noon, Tuesday 24 hours a day, and Wednesday to \
         Friday from 9 AM to 5 PM. We're closed on Saturday and Sunday."
    );
}

#[test]
fn no_hours_on_file_is_said_honestly() {
    assert_eq!(
        business_hours(&[None; 7]),
        "I don't have our opening hours on file."
    );
}

#[test]
fn times_of_day_read_the_way_people_say_them() {
    assert_eq!(time_of_day(0), "midnight");
    assert_eq!(time_of_day(12 * 60), "noon");
    assert_eq!(time_of_day(13 * 60 + 5), "1:05 PM");
    assert_eq!(time_of_day(24 * 60), "midnight");
}

#[test]
fn the_read_back_lists_every_detail_captured() {
    let lead = Details {
        name: Some("Jane Doe".into()),
        phone: Some("+15551234567".into()),
        email: Some("jo.smith@gmail.com".into()),
        reason: Some("a new roof.".into()),
    };
    assert_eq!(
        lead_read_back(&lead),
        "Let me read that back: your name is Jane Doe, your number is five five five, one two three, \
         four five six seven, your email is J O, dot, S M I T H, at gmail dot com, and you're calling \
         about a new roof."
    );
}

#[test]
fn echoed_caller_text_is_cut_at_a_word_near_two_hundred_characters() {
    let long = "roof ".repeat(100);
    let capped = caller_text(&long);
    assert!(capped.chars().count() <= MAX_ECHOED_CHARS);
    assert!(capped.ends_with("roof"));
    assert_eq!(caller_text("  short  "), "short");
}

#[test]
fn websites_are_said_without_scheme_or_www() {
    assert_eq!(website("https://www.acme.com/"), "acme.com");
    assert_eq!(first_name("Jane Doe"), "Jane");
}

#[test]
fn a_phone_number_is_read_back_in_groups_with_oh_for_zero() {
    assert_eq!(
        phone_number("+15035550142"),
        "five oh three, five five five, oh one four two"
    );
    assert_eq!(
        phone_number("+18005550100"),
        "eight oh oh, five five five, oh one oh oh"
    );
}

#[test]
fn the_reason_is_read_back_in_the_second_person() {
    for (reason, said) in [
        ("my bill", "you're calling about your bill"),
        (
            "a leak in the roof",
            "you're calling about a leak in the roof",
        ),
        (
            "move my appointment to next week",
            "you'd like to move your appointment to next week",
        ),
        (
            "reschedule my cleaning",
            "you'd like to reschedule your cleaning",
        ),
        (
            "my sink is leaking",
            "you're calling because your sink is leaking",
        ),
        (
            "my sink's leaking again",
            "you're calling because your sink's leaking again",
        ),
        (
            "the pipe under our kitchen sink burst",
            "you're calling because the pipe under your kitchen sink burst",
        ),
        (
            "I need a plumber today",
            "you're calling because you need a plumber today",
        ),
        (
            "I'm free after 3",
            "you're calling because you're free after 3",
        ),
        (
            "I was billed twice for my cleaning",
            "you're calling because you were billed twice for your cleaning",
        ),
        (
            "if you do teeth whitening for teenagers",
            "you'd like to know if we do teeth whitening for teenagers",
        ),
        (
            "someone to come out and look at my furnace",
            "you'd like someone to come out and look at your furnace",
        ),
        (
            "for Dr Patel, she asked me to call about my results",
            "you're calling for Dr Patel, she asked you to call about your results",
        ),
        (
            "the estimate you sent me",
            "you're calling about the estimate we sent you",
        ),
        (
            "a quote for a fence that needs replacing",
            "you're calling about a quote for a fence that needs replacing",
        ),
        ("a call back", "you'd like a call back"),
        (
            "you charged me the emergency fee on a tuesday afternoon",
            "you're calling because we charged you the emergency fee on a tuesday afternoon",
        ),
        (
            "my friend told me you do implants",
            "you're calling because your friend told you we do implants",
        ),
    ] {
        assert_eq!(reason_read_back(reason), said, "{reason}");
    }
}

#[test]
fn an_added_detail_is_read_back_with_the_reason() {
    assert_eq!(
        reason_read_back("move my appointment to next week; I'm free after 3"),
        "you'd like to move your appointment to next week; you're free after 3"
    );
}

#[test]
fn a_name_is_not_turned_into_a_pronoun() {
    assert_eq!(
        reason_read_back("tell Ian my tooth is better"),
        "you'd like to tell Ian your tooth is better"
    );
}
