use super::{hear, hear_when};
use crate::ai::rules::{extract_email, extract_name, extract_phone};
use crate::conversation::interpretation::{Expecting, Intent};

#[test]
fn a_name_after_my_name_is_is_title_cased() {
    assert_eq!(
        extract_name("my name is jane doe", Expecting::Anything).as_deref(),
        Some("Jane Doe")
    );
    assert_eq!(
        extract_name("Hi, this is BOB O'BRIEN calling", Expecting::Anything).as_deref(),
        Some("Bob O'Brien")
    );
    assert_eq!(
        extract_name("name's Mary Ann Smith-Jones", Expecting::Anything).as_deref(),
        Some("Mary Ann Smith-Jones")
    );
    assert_eq!(
        extract_name("you can call me Al", Expecting::Anything).as_deref(),
        Some("Al")
    );
    assert_eq!(
        extract_name("I'm Priya and I need a cleaning", Expecting::Anything).as_deref(),
        Some("Priya")
    );
}

#[test]
fn common_words_after_im_or_its_are_not_names() {
    for text in [
        "I'm calling about my bill",
        "it's about my appointment",
        "I'm looking for a dentist",
        "I'm fine thanks",
        "sorry I'm here",
        "it's urgent",
        "I'm interested in whitening",
    ] {
        assert_eq!(extract_name(text, Expecting::Anything), None, "{text}");
    }
}

#[test]
fn a_name_stops_where_a_new_clause_starts() {
    assert_eq!(
        extract_name("this is john calling from acme", Expecting::Anything).as_deref(),
        Some("John")
    );
    assert_eq!(
        extract_name(
            "my name is john and my number is 5551234567",
            Expecting::Anything
        )
        .as_deref(),
        Some("John")
    );
}

#[test]
fn a_written_phone_number_with_separators_becomes_e164() {
    assert_eq!(
        extract_phone("call me at (555) 123-4567", 1).as_deref(),
        Some("+15551234567")
    );
    assert_eq!(
        extract_phone("555.123.4567", 1).as_deref(),
        Some("+15551234567")
    );
    assert_eq!(
        extract_phone("my number is 5551234567.", 1).as_deref(),
        Some("+15551234567")
    );
}

#[test]
fn a_spoken_phone_number_with_oh_for_zero_becomes_e164() {
    assert_eq!(
        extract_phone("five five five oh one two three four oh nine", 1).as_deref(),
        Some("+15550123409")
    );
}

#[test]
fn double_and_triple_digits_are_expanded() {
    assert_eq!(
        extract_phone("double five five, one two three, triple oh seven", 1).as_deref(),
        Some("+15551230007")
    );
}

#[test]
fn country_prefixes_are_kept() {
    assert_eq!(
        extract_phone("+1 555 123 4567", 1).as_deref(),
        Some("+15551234567")
    );
    assert_eq!(
        extract_phone("1 800 555 1234", 1).as_deref(),
        Some("+18005551234")
    );
    assert_eq!(
        extract_phone("one eight hundred five five five one two three four", 1).as_deref(),
        Some("+18005551234")
    );
    assert_eq!(
        extract_phone(
            "plus four four two zero seven nine four six zero nine five eight",
            1
        )
        .as_deref(),
        Some("+442079460958")
    );
    assert_eq!(
        extract_phone("44 20 7946 0958", 44).as_deref(),
        Some("+442079460958")
    );
}

#[test]
fn a_number_without_its_area_code_stays_bare_digits() {
    assert_eq!(extract_phone("555 1234", 1).as_deref(), Some("5551234"));
}

#[test]
fn a_national_number_with_its_trunk_zero_becomes_e164_outside_north_america() {
    assert_eq!(
        extract_phone("020 7946 0958", 44).as_deref(),
        Some("+442079460958")
    );
    assert_eq!(
        extract_phone("06 1234 5678", 39).as_deref(),
        Some("+390612345678")
    );
}

#[test]
fn times_and_counts_are_not_phone_numbers() {
    for text in [
        "I can come at 8 am",
        "we have 3 kids and 2 dogs",
        "around 10 30 tomorrow",
        "oh I see",
        "I'll be there in one hour",
    ] {
        assert_eq!(extract_phone(text, 1), None, "{text}");
    }
}

#[test]
fn a_written_email_is_lower_cased() {
    assert_eq!(
        extract_email("It's John.Smith@Gmail.com.", Expecting::Anything).as_deref(),
        Some("john.smith@gmail.com")
    );
}

#[test]
fn a_spoken_email_with_at_and_dot_is_understood() {
    assert_eq!(
        extract_email("john dot smith at gmail dot com", Expecting::Anything).as_deref(),
        Some("john.smith@gmail.com")
    );
    assert_eq!(
        extract_email(
            "my email is jane at example dot com thanks",
            Expecting::Anything
        )
        .as_deref(),
        Some("jane@example.com")
    );
}

#[test]
fn a_spelled_email_is_joined_letter_by_letter() {
    assert_eq!(
        extract_email("it's j o h n at example dot co dot uk", Expecting::Anything).as_deref(),
        Some("john@example.co.uk")
    );
}

#[test]
fn underscores_dashes_and_at_sign_are_spoken_symbols() {
    assert_eq!(
        extract_email(
            "mary underscore jones at sign my dash site dot org",
            Expecting::Anything
        )
        .as_deref(),
        Some("mary_jones@my-site.org")
    );
    assert_eq!(
        extract_email("bob hyphen lee at mail dot net", Expecting::Anything).as_deref(),
        Some("bob-lee@mail.net")
    );
}

#[test]
fn when_an_email_was_asked_for_several_words_form_the_local_part() {
    assert_eq!(
        extract_email("jane doe at gmail dot com", Expecting::Email).as_deref(),
        Some("janedoe@gmail.com")
    );
}

#[test]
fn at_in_ordinary_speech_is_not_an_email() {
    for text in [
        "I'll be at home at 5",
        "meet me at the office dot",
        "we're at the corner of main and oak",
    ] {
        assert_eq!(extract_email(text, Expecting::Anything), None, "{text}");
    }
}

#[test]
fn several_details_in_one_sentence_are_all_captured() {
    let heard = hear(
        "hi this is jane doe my number is 555 123 4567 and my email is jane at example dot com I need a quote for a fence",
    );
    assert_eq!(heard.intent, Intent::Request { department: None });
    assert_eq!(heard.details.name.as_deref(), Some("Jane Doe"));
    assert_eq!(heard.details.phone.as_deref(), Some("+15551234567"));
    assert_eq!(heard.details.email.as_deref(), Some("jane@example.com"));
    assert_eq!(heard.details.reason.as_deref(), Some("a quote for a fence"));
}

#[test]
fn the_reason_follows_about_or_regarding() {
    assert_eq!(
        hear("I want to leave a message about my bill")
            .details
            .reason
            .as_deref(),
        Some("my bill")
    );
    assert_eq!(
        hear("I'm calling regarding a broken crown, please call me back")
            .details
            .reason
            .as_deref(),
        Some("a broken crown")
    );
    assert_eq!(
        hear("can I book an appointment for a cleaning next week")
            .details
            .reason
            .as_deref(),
        Some("book an appointment for a cleaning next week")
    );
}

#[test]
fn a_plain_message_request_has_no_reason() {
    assert_eq!(hear("can I leave a message").details.reason, None);
}

#[test]
fn a_phone_given_while_a_name_was_asked_for_is_still_kept() {
    let heard = hear_when(Expecting::Name, "John Smith, 555 123 4567");
    assert_eq!(heard.details.name.as_deref(), Some("John Smith"));
    assert_eq!(heard.details.phone.as_deref(), Some("+15551234567"));
}
