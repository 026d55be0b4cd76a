//! Phone numbers as callers say them, corrected and confirmed.

use super::{hear_in_call, hear_when};
use crate::ai::rules::extract_phone;
use crate::conversation::interpretation::{Details, Expecting, Intent};

fn number_on_file(phone: &str) -> Details {
    Details {
        phone: Some(phone.into()),
        ..Details::default()
    }
}

#[test]
fn numbers_said_as_words_digits_or_both_become_e164() {
    for said in [
        "five oh three five five five oh one four two",
        "503 555 0142",
        "503-555-0142",
        "(503) 555-0142",
        "5035550142",
        "five oh three, five five five, oh one four two",
        "it's 503 555 oh one four two",
        "five zero three five five five zero one four two",
        "five oh three double five five oh one four two",
        "area code 503 then 555 0142",
        "area code five oh three and then five five five oh one four two",
        "503 and then 555 0142",
        "the area code is 503 and the number is 555 0142",
        "1 503 555 0142",
        "one five oh three five five five oh one four two",
        "plus one 503 555 0142",
        "yeah it's uh 503 555 um 0142",
        "my cell is 503.555.0142 thanks",
    ] {
        let heard = hear_when(Expecting::Phone, said);
        assert_eq!(
            heard.details.phone.as_deref(),
            Some("+15035550142"),
            "{said}"
        );
    }
}

#[test]
fn grouped_and_repeated_digits_are_expanded() {
    for (said, number) in [
        (
            "eight hundred five five five one two three four",
            "+18005551234",
        ),
        ("five oh three triple five oh one four two", "+15035550142"),
        (
            "five oh three five five five oh one double four",
            "+15035550144",
        ),
        (
            "five oh three five fifty five oh one forty two",
            "+15035550142",
        ),
        (
            "two one two, five five five, triple oh seven",
            "+12125550007",
        ),
    ] {
        assert_eq!(extract_phone(said, 1).as_deref(), Some(number), "{said}");
    }
}

#[test]
fn a_number_that_is_not_whole_is_kept_as_bare_digits_to_be_asked_again() {
    for (said, digits) in [
        ("555 0142", "5550142"),
        ("five five five oh one four two", "5550142"),
        ("503 555 01422", "50355501422"),
        ("2 503 555 0142", "25035550142"),
        ("503 555 014", "503555014"),
    ] {
        let heard = hear_when(Expecting::Phone, said);
        assert_eq!(heard.details.phone.as_deref(), Some(digits), "{said}");
    }
}

#[test]
fn digits_taken_back_in_the_same_breath_are_replaced() {
    for (said, number) in [
        ("503 555 0142 no sorry 0149", "+15035550149"),
        ("503 555 0142, wait no, it's 503 555 0199", "+15035550199"),
        (
            "five oh three five five five oh one four two sorry the last four are oh one nine nine",
            "+15035550199",
        ),
        ("971 555 0142 no sorry the area code is 503", "+15035550142"),
    ] {
        let heard = hear_when(Expecting::Phone, said);
        assert_eq!(heard.details.phone.as_deref(), Some(number), "{said}");
    }
}

#[test]
fn part_of_the_number_on_file_can_be_corrected() {
    let lead = number_on_file("+15035550142");
    for (expecting, said, number) in [
        (
            Expecting::YesNo,
            "no sorry the last four are 0199",
            "+15035550199",
        ),
        (
            Expecting::YesNo,
            "wait no its 0149 at the end",
            "+15035550149",
        ),
        (
            Expecting::YesNo,
            "no, it ends in oh one nine nine",
            "+15035550199",
        ),
        (Expecting::YesNo, "the area code is 971", "+19715550142"),
        (
            Expecting::YesNo,
            "no the area code should be nine seven one",
            "+19715550142",
        ),
        (Expecting::YesNo, "no it's 555 0199", "+15035550199"),
        (
            Expecting::Phone,
            "the last 4 digits are 0 1 9 9",
            "+15035550199",
        ),
        (
            Expecting::Correction,
            "the number, the last four should be 0199",
            "+15035550199",
        ),
    ] {
        let heard = hear_in_call(expecting, said, &lead);
        assert_eq!(heard.details.phone.as_deref(), Some(number), "{said}");
    }
}

#[test]
fn times_and_counts_at_the_read_back_do_not_change_the_number() {
    let lead = number_on_file("+15035550142");
    for said in [
        "yes and I'm free after 3",
        "yes that's right, any time after 1030 works",
        "yes I have 2 kids",
    ] {
        let heard = hear_in_call(Expecting::YesNo, said, &lead);
        assert_eq!(heard.details.phone, None, "{said}");
    }
}

#[test]
fn this_number_means_the_number_they_are_calling_from() {
    for said in [
        "the number i'm calling from",
        "this number",
        "you can use this one",
        "same number I'm calling on",
        "just use the caller id",
        "the one that came up on your screen",
        "same as the one you have",
    ] {
        let heard = hear_when(Expecting::Phone, said);
        assert_eq!(heard.intent, Intent::Yes, "{said}");
        assert_eq!(heard.details.phone, None, "{said}");
    }
}

#[test]
fn the_number_im_calling_from_is_fine_confirms_the_offered_number() {
    for said in [
        "yeah the number i'm calling from is fine",
        "this number is fine",
        "yes this one is good",
    ] {
        assert_eq!(
            hear_when(Expecting::YesNo, said).intent,
            Intent::Yes,
            "{said}"
        );
    }
    assert_eq!(
        hear_when(Expecting::YesNo, "no not the one i'm calling from").intent,
        Intent::No
    );
}
