use proptest::prelude::*;

use super::{dental_kb, profile};
use crate::ai::rules::{extract_email, interpret, is_valid_email};
use crate::conversation::interpretation::Expecting;

fn any_expecting() -> impl Strategy<Value = Expecting> {
    prop_oneof![
        Just(Expecting::Anything),
        Just(Expecting::Name),
        Just(Expecting::Phone),
        Just(Expecting::Email),
        Just(Expecting::Reason),
        Just(Expecting::YesNo),
        Just(Expecting::Correction),
    ]
}

fn spoken_words() -> impl Strategy<Value = String> {
    let vocabulary = prop::sample::select(vec![
        "at",
        "dot",
        "underscore",
        "dash",
        "sign",
        "j",
        "o",
        "h",
        "n",
        "com",
        "uk",
        "co",
        "john",
        "is",
        "my",
        "email",
        "five",
        "oh",
        "double",
        "plus",
        "one",
        "@",
        ".",
        "-",
        "_",
        "9",
        "555",
        "name",
        "it's",
        "billing",
        "um",
    ]);
    prop::collection::vec(vocabulary, 0..30).prop_map(|w| w.join(" "))
}

proptest! {
    #[test]
    fn interpret_never_panics_on_arbitrary_text(text in any::<String>(), expecting in any_expecting()) {
        let heard = interpret(&text, expecting, &profile(), &dental_kb(), 1);
        prop_assert!(heard.text.chars().count() <= 500);
        prop_assert!(!heard.text.chars().any(char::is_control));
        if let Some(email) = heard.details.email {
            prop_assert!(is_valid_email(&email), "{email}");
        }
    }

    #[test]
    fn interpret_never_panics_on_long_unicode_and_control_text(text in "[\\PC\\p{Cc}\u{200B}\u{FEFF}@.0-9 ]{0,3000}", expecting in any_expecting()) {
        let heard = interpret(&text, expecting, &profile(), &dental_kb(), 44);
        prop_assert!(heard.text.chars().count() <= 500);
    }

    #[test]
    fn every_extracted_email_is_local_at_domain_dot_tld(text in spoken_words(), expecting in any_expecting()) {
        if let Some(email) = extract_email(&text, expecting) {
            prop_assert!(is_valid_email(&email), "{text} -> {email}");
            let (local, domain) = email.split_once('@').unwrap();
            prop_assert!(!local.is_empty() && domain.contains('.'));
        }
        let heard = interpret(&text, expecting, &profile(), &dental_kb(), 1);
        if let Some(phone) = heard.details.phone {
            let digits = phone.trim_start_matches('+');
            // When a number was asked for, a few digits are an attempt at one.
            let fewest = if expecting == Expecting::Phone { 3 } else { 7 };
            prop_assert!((fewest..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()), "{phone}");
        }
    }
}
