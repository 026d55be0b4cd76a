//! Email addresses as callers spell and say them, and the ways they decline.

use super::hear_when;
use crate::conversation::interpretation::{Expecting, Intent};

fn email_heard(said: &str) -> Option<String> {
    hear_when(Expecting::Email, said).details.email
}

#[test]
fn numbers_inside_the_local_part_are_written_as_digits() {
    for (said, email) in [
        ("sam lee twenty one at yahoo dot com", "samlee21@yahoo.com"),
        (
            "it's mike nineteen eighty five at gmail dot com",
            "mike1985@gmail.com",
        ),
        ("jen two thousand at hotmail dot com", "jen2000@hotmail.com"),
        ("bond double oh seven at aol dot com", "bond007@aol.com"),
        ("tony 4 5 at gmail dot com", "tony45@gmail.com"),
        (
            "k smith one two three at outlook dot com",
            "ksmith123@outlook.com",
        ),
    ] {
        assert_eq!(email_heard(said).as_deref(), Some(email), "{said}");
    }
}

#[test]
fn spelled_parts_and_spoken_symbols_make_one_address() {
    for (said, email) in [
        (
            "j o h n dot s m i t h at gmail dot com",
            "john.smith@gmail.com",
        ),
        (
            "mary underscore jones at sign comcast dot net",
            "mary_jones@comcast.net",
        ),
        (
            "bob dash lee at my hyphen site dot org",
            "bob-lee@my-site.org",
        ),
        ("it's a l e x at g mail dot com", "alex@gmail.com"),
        (
            "sarah period king at icloud dot com",
            "sarah.king@icloud.com",
        ),
        ("dana at hot mail dot com", "dana@hotmail.com"),
        ("p r at acme roofing dot co dot uk", "pr@acmeroofing.co.uk"),
        ("jsmith@gmail.com", "jsmith@gmail.com"),
        ("Its JSmith@Gmail.com.", "jsmith@gmail.com"),
        ("chris all one word at yahoo dot com", "chris@yahoo.com"),
        (
            "sure it's k dot o b i at outlook dot com",
            "k.obi@outlook.com",
        ),
        ("o b i at outlook dot com", "obi@outlook.com"),
    ] {
        assert_eq!(email_heard(said).as_deref(), Some(email), "{said}");
    }
}

#[test]
fn a_well_known_provider_said_without_dot_com_is_completed() {
    for (said, email) in [
        ("jsmith at gmail", "jsmith@gmail.com"),
        ("pat jones at yahoo", "patjones@yahoo.com"),
        ("lee at comcast", "lee@comcast.net"),
    ] {
        assert_eq!(email_heard(said).as_deref(), Some(email), "{said}");
    }
}

#[test]
fn an_address_corrected_in_the_same_breath_is_the_last_one() {
    for (said, email) in [
        (
            "j smith at gmail no sorry jay smith at gmail dot com",
            "jaysmith@gmail.com",
        ),
        (
            "tom at yahoo dot com, wait, no, tom at aol dot com",
            "tom@aol.com",
        ),
        (
            "jsmith at gmail dot com no wait jay smith",
            "jaysmith@gmail.com",
        ),
        (
            "ann at gmail dot com actually anne at gmail dot com",
            "anne@gmail.com",
        ),
    ] {
        assert_eq!(email_heard(said).as_deref(), Some(email), "{said}");
    }
}

#[test]
fn a_taken_back_address_is_not_left_over_as_a_reason() {
    let heard = hear_when(
        Expecting::Email,
        "j smith at gmail no sorry jay smith at gmail dot com",
    );
    assert_eq!(heard.details.reason, None);
}

#[test]
fn declining_the_email_in_any_phrasing_is_a_no() {
    for said in [
        "i'd rather not",
        "don't have one",
        "i don't have one",
        "skip that",
        "no email",
        "no thanks",
        "nah that's okay",
        "i don't really use email",
        "i'm good, just call me",
        "no i'd prefer not to",
        "you can leave that out",
        "pass",
        "not really",
        "no need",
    ] {
        let heard = hear_when(Expecting::Email, said);
        assert_eq!(heard.intent, Intent::No, "{said}");
        assert_eq!(heard.details.email, None, "{said}");
    }
}

#[test]
fn a_yes_to_leaving_an_email_is_a_yes() {
    for said in ["yes", "sure", "yeah go ahead", "okay"] {
        assert_eq!(
            hear_when(Expecting::Email, said).intent,
            Intent::Yes,
            "{said}"
        );
    }
}

#[test]
fn an_address_followed_by_thats_all_one_word_is_an_address_not_a_goodbye() {
    for (said, email) in [
        (
            "sure it's info at bluebird bakery dot com that's all one word",
            "info@bluebirdbakery.com",
        ),
        (
            "yeah tom at smith plumbing dot net and that's it",
            "tom@smithplumbing.net",
        ),
    ] {
        let heard = hear_when(Expecting::Email, said);
        assert_eq!(heard.details.email.as_deref(), Some(email), "{said}");
        assert_ne!(heard.intent, Intent::Goodbye, "{said}");
    }
}

#[test]
fn thanks_while_a_detail_is_asked_for_is_not_a_goodbye_but_after_an_answer_it_is() {
    for expecting in [Expecting::Name, Expecting::Phone, Expecting::Email] {
        for said in [
            "oh perfect thank you",
            "okay thanks",
            "great thank you so much",
        ] {
            assert_ne!(hear_when(expecting, said).intent, Intent::Goodbye, "{said}");
        }
        // A goodbye said in words still ends the call.
        assert_eq!(
            hear_when(expecting, "never mind bye").intent,
            Intent::Goodbye
        );
    }
    assert_eq!(
        hear_when(Expecting::Anything, "oh perfect thank you").intent,
        Intent::Goodbye
    );
}
