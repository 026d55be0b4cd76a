//! What the caller asks: hours, location, contact details, or any question.

use super::super::normalize::has_any;

#[rustfmt::skip]
const HOURS_CONTEXT: &[&str] = &[
    "you", "your", "when", "time", "today", "tonight", "tomorrow", "now", "still", "late", "early", "weekend",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "holiday", "day", "office",
    "clinic", "shop", "store", "weekday", "morning", "evening", "afternoon", "lunch",
];

pub(crate) fn asks_hours(stems: &[&str]) -> bool {
    let hour = stems.iter().enumerate().any(|(i, s)| {
        *s == "hour"
            && !(i > 0
                && (matches!(stems[i - 1], "an" | "a" | "one" | "half" | "24")
                    || stems[i - 1].bytes().all(|b| b.is_ascii_digit())))
    });
    let open = stems
        .iter()
        .any(|s| matches!(*s, "open" | "close" | "closed" | "closing" | "opening"));
    hour || (open && stems.iter().any(|s| HOURS_CONTEXT.contains(s)))
}

const LOCATION: &[&[&str]] = &[
    &["where", "are", "you"],
    &["where", "r", "you"],
    &["where", "you", "at"],
    &["where", "is", "your"],
    &["where", "is", "the", "office"],
    &["where", "is", "the", "clinic"],
    &["where", "is", "the", "shop"],
    &["where", "is", "the", "store"],
    &["where", "exactly"],
    &["your", "address"],
    &["the", "address"],
    &["what", "address"],
    &["whats", "the", "address"],
    &["your", "location"],
    &["direction"],
    &["how", "do", "i", "get", "there"],
    &["how", "do", "i", "get", "to", "you"],
    &["how", "do", "i", "find", "you"],
    &["what", "street"],
    &["which", "street"],
    &["cross", "street"],
    &["you", "located"],
    &["your", "located"],
];

pub(crate) fn asks_location(stems: &[&str]) -> bool {
    has_any(stems, LOCATION)
}

const CONTACT_OBJECTS: &[&str] = &[
    "email", "phone", "number", "website", "fax", "contact", "url", "web",
];

pub(crate) fn asks_contact(stems: &[&str]) -> bool {
    let owned = stems
        .windows(2)
        .any(|w| matches!(w[0], "your" | "the") && CONTACT_OBJECTS.contains(&w[1]))
        && !stems.contains(&"my");
    owned
        || stems.contains(&"website")
        || has_any(
            stems,
            &[
                &["contact", "you"],
                &["reach", "you"],
                &["contact", "info"],
                &["contact", "information"],
                &["how", "do", "i", "contact"],
            ],
        )
}

const QUESTION_STARTS: &[&str] = &[
    "what", "whats", "when", "where", "wheres", "who", "whos", "why", "how", "hows", "which", "do",
    "does", "did", "can", "could", "would", "will", "is", "are", "isnt", "arent", "should", "may",
    "any", "have", "dont", "doesnt",
];
const QUESTION_LEAD_INS: &[&str] = &[
    "hi", "hello", "hey", "yes", "yeah", "ok", "okay", "so", "well", "and", "also", "um", "quick",
    "oh", "but",
];

/// "What happens if I cancel my appointment?" asks; "can I book one?" requests.
pub(crate) fn asks_wh_question(stems: &[&str]) -> bool {
    stems
        .iter()
        .find(|s| !QUESTION_LEAD_INS.contains(s))
        .is_some_and(|s| {
            matches!(
                *s,
                "what"
                    | "whats"
                    | "when"
                    | "where"
                    | "wheres"
                    | "why"
                    | "how"
                    | "hows"
                    | "which"
                    | "who"
                    | "whos"
            )
        })
}

/// "What...", "do you...", "I was wondering...", or a question mark.
pub(crate) fn is_interrogative(stems: &[&str], text: &str) -> bool {
    let first = stems.iter().find(|s| !QUESTION_LEAD_INS.contains(s));
    first.is_some_and(|s| QUESTION_STARTS.contains(s))
        || text.trim_end().ends_with('?')
        || has_any(
            stems,
            &[
                &["wondering"],
                &["question"],
                &["want", "to", "know"],
                &["like", "to", "know"],
                &["tell", "me"],
                &["curious"],
            ],
        )
}
