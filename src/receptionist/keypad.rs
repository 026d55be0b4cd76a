//! Keys a caller presses instead of speaking. Every question also listens
//! for the keypad: 0 asks for a person wherever it is pressed, and while a
//! phone number is asked for, the digits typed are the number. Any other
//! key is not understood, like an unclear answer.

use crate::ai::rules;
use crate::conversation::interpretation::{Details, Expecting, Intent, Interpretation};

/// The key that asks for a person.
pub const PERSON_KEY: &str = "0";

/// What the keys `pressed` mean after a prompt expecting `expecting`.
/// `country_code` makes a typed local number E.164, as for a spoken one.
pub fn interpret(pressed: &str, expecting: Expecting, country_code: u16) -> Interpretation {
    let digits: String = pressed.chars().filter(char::is_ascii_digit).collect();
    let interpretation = if digits == PERSON_KEY {
        Interpretation {
            intent: Intent::TalkToPerson { department: None },
            ..Interpretation::default()
        }
    } else if expecting == Expecting::Phone && !digits.is_empty() {
        // Checked like a spoken number, so a number too short or too long
        // is asked for again rather than read back.
        Interpretation {
            details: Details {
                phone: rules::extract_phone(&digits, country_code),
                ..Details::default()
            },
            text: digits,
            ..Interpretation::default()
        }
    } else {
        Interpretation::default()
    };
    tracing::debug!(intent = ?interpretation.intent, ?expecting, keys = pressed.len(), "keypad");
    interpretation
}

/// The caller's line in the transcript for keys pressed.
pub fn transcript_line(pressed: &str) -> String {
    format!("(pressed {pressed})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_asks_for_a_person_whatever_was_asked() {
        for expecting in [
            Expecting::Anything,
            Expecting::YesNo,
            Expecting::Name,
            Expecting::Phone,
            Expecting::Reason,
        ] {
            let heard = interpret("0", expecting, 1);
            assert_eq!(
                heard.intent,
                Intent::TalkToPerson { department: None },
                "{expecting:?}"
            );
            assert!(heard.text.is_empty(), "nothing to keep as a reason");
        }
    }

    #[test]
    fn digits_typed_for_a_phone_number_are_the_number() {
        let heard = interpret("5035550142", Expecting::Phone, 1);
        assert_eq!(heard.details.phone.as_deref(), Some("+15035550142"));
        assert_eq!(
            interpret("15035550142", Expecting::Phone, 1)
                .details
                .phone
                .as_deref(),
            Some("+15035550142")
        );
    }

    #[test]
    fn a_few_digits_are_not_a_phone_number_and_other_keys_are_not_understood() {
        assert_eq!(interpret("503", Expecting::Phone, 1).details.phone, None);
        let elsewhere = interpret("5035550142", Expecting::Anything, 1);
        assert_eq!(elsewhere.intent, Intent::Unclear);
        assert_eq!(elsewhere.details, Details::default());
        assert_eq!(interpret("7", Expecting::YesNo, 1).intent, Intent::Unclear);
        assert_eq!(interpret("*", Expecting::Phone, 1).details.phone, None);
    }
}
