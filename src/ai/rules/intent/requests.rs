//! What the caller wants done: a message taken, a person, a booking or quote,
//! or a need to pass on.

use super::super::normalize::has_any;
use super::is_only;

const MESSAGE: &[&[&str]] = &[
    &["leave", "a", "message"],
    &["leave", "message"],
    &["leave", "a", "voicemail"],
    &["take", "a", "message"],
    &["call", "me", "back"],
    &["call", "back"],
    &["callback"],
    &["call", "me"],
    &["get", "back", "to", "me"],
    &["have", "someone", "call"],
    &["have", "somebody", "call"],
    &["someone", "call", "me"],
    &["somebody", "call", "me"],
    &["someone", "to", "call"],
    &["return", "my", "call"],
];

pub(crate) fn wants_message(stems: &[&str]) -> bool {
    // "If I leave a message, how soon does somebody call back?" asks.
    let asks_about_messages = |at: usize| {
        stems[..at].iter().any(|s| {
            matches!(
                *s,
                "if" | "how" | "when" | "what" | "whats" | "does" | "do" | "will"
            )
        })
    };
    let said = MESSAGE.iter().any(|p| {
        super::super::normalize::find_phrase(stems, p).is_some_and(|at| !asks_about_messages(at))
    });
    // "I wanna leave my lawyer a message", "message for Mr Whitaker".
    let leave_at = stems.iter().position(|s| *s == "leave");
    let left = leave_at.is_some_and(|at| {
        !asks_about_messages(at) && stems[at + 1..stems.len().min(at + 6)].contains(&"message")
    });
    let message_for = stems
        .iter()
        .position(|s| *s == "message")
        .is_some_and(|at| at <= 2 && stems.get(at + 1) == Some(&"for"));
    said || left || message_for
}

#[rustfmt::skip]
const LANGUAGES: &[&str] = &[
    "spanish", "english", "french", "chinese", "mandarin", "cantonese", "vietnamese", "korean", "russian",
    "arabic", "portuguese", "tagalog", "german", "italian", "polish", "hindi", "somali", "hmong",
    "language", "espanol",
];
const TALK_VERBS: &[&str] = &[
    "talk", "speak", "speaking", "talking", "chat", "transfer", "connect", "reach", "get", "put",
];
#[rustfmt::skip]
const PERSON_WORDS: &[&str] = &[
    "someone", "somebody", "anyone", "anybody", "person", "human", "manager", "operator", "representative",
    "rep", "agent", "staff", "receptionist", "owner", "people", "supervisor", "employee", "dentist", "doctor",
    "technician", "plumber", "boss", "live", "whoever", "whoevers",
];

/// "Talk to someone", "transfer me", "a real person please", "operator".
pub(crate) fn wants_person(stems: &[&str], names_department: bool) -> bool {
    if has_any(
        stems,
        &[
            &["transfer", "me"],
            &["put", "me", "through"],
            &["connect", "me"],
            &["real", "person"],
            &["live", "person"],
        ],
    ) {
        return true;
    }
    // "Does anybody there speak Spanish?" asks about languages.
    if stems.iter().any(|s| LANGUAGES.contains(s))
        && stems
            .iter()
            .any(|s| matches!(*s, "speak" | "speaks" | "speaking"))
    {
        return false;
    }
    let talk_at = stems
        .iter()
        .position(|s| TALK_VERBS.contains(s) && !matches!(*s, "get" | "put" | "reach"));
    if let Some(at) = talk_at {
        let after = &stems[at + 1..];
        if after.iter().take(4).any(|s| PERSON_WORDS.contains(s)) || names_department {
            return true;
        }
    }
    if let Some(at) = stems.iter().position(|s| matches!(*s, "get" | "reach")) {
        let after = &stems[at + 1..];
        if after
            .iter()
            .take(3)
            .any(|s| PERSON_WORDS.contains(s) && *s != "someone" && *s != "somebody")
        {
            return true;
        }
    }
    // "Is there somebody I can talk to?" (but "does anybody speak
    // Spanish?" asks about languages).
    let about_a_language = stems.iter().any(|s| LANGUAGES.contains(s));
    if !about_a_language
        && stems.iter().enumerate().any(|(i, s)| {
            matches!(*s, "talk" | "speak")
                && stems[i.saturating_sub(4)..i]
                    .iter()
                    .any(|p| PERSON_WORDS.contains(p))
        })
    {
        return true;
    }
    // "Operator!", "a human please", "representative".
    is_only(
        stems,
        &[
            "operator",
            "representative",
            "human",
            "person",
            "agent",
            "a",
            "an",
            "please",
            "the",
            "real",
            "receptionist",
            "manager",
            "live",
            "can",
            "i",
            "get",
            "speak",
            "to",
            "transfer",
        ],
    ) && stems
        .iter()
        .any(|s| PERSON_WORDS.contains(s) || *s == "transfer")
}

#[rustfmt::skip]
const BOOKING_VERBS: &[&str] = &[
    "book", "schedule", "make", "set", "request", "need", "want", "get", "cancel", "reschedule", "change",
    "move", "like", "arrange",
];
#[rustfmt::skip]
const BOOKING_OBJECTS: &[&str] = &[
    "appointment", "appt", "booking", "reservation", "consultation", "visit", "checkup", "cleaning", "exam",
    "haircut", "cut", "color", "trim", "shot", "vaccine", "grooming", "inspection", "estimate", "service",
    "filling", "crown", "whitening", "blowout", "highlight",
];
const QUOTE_VERBS: &[&str] = &["get", "need", "want", "like", "request", "receive", "have"];
const QUOTE_OBJECTS: &[&str] = &["quote", "estimate", "quotation"];

/// Asking for a visit or a look in other words ("can I get him seen", "I'd
/// like her looked at", "can someone come out").
#[rustfmt::skip]
const SERVICE_REQUESTS: &[&[&str]] = &[
    &["get", "him", "seen"], &["get", "her", "seen"], &["get", "them", "seen"], &["get", "seen"],
    &["be", "seen"], &["get", "him", "in"], &["get", "her", "in"], &["get", "me", "in"], &["fit", "me", "in"],
    &["squeeze", "me", "in"], &["bring", "him", "in"], &["bring", "her", "in"], &["bring", "them", "in"],
    &["looked", "at"], &["take", "a", "look"], &["come", "take", "a", "look"], &["come", "out"],
    &["send", "someone"], &["send", "somebody"], &["send", "a"], &["checked", "out"], &["check", "him", "out"],
    &["check", "her", "out"], &["get", "him", "started"], &["get", "her", "started"], &["get", "started"],
    &["need", "it", "fixed"], &["get", "it", "fixed"],
    &["need", "to", "come", "in"], &["want", "to", "come", "in"], &["like", "to", "come", "in"],
    &["touched", "up"], &["get", "an", "appointment"], &["get", "in", "today"], &["get", "in", "this"],
    &["give", "us", "a", "price"], &["give", "me", "a", "price"], &["like", "somebody", "to"],
    &["like", "someone", "to"], &["need", "somebody", "to"], &["need", "someone", "to"],
    &["somebody", "to", "come"], &["someone", "to", "come"], &["somebody", "come"], &["someone", "come"],
    &["looking", "for", "a", "new"],
    &["cant", "make", "it"], &["able", "to", "make", "it"], &["push", "that"], &["push", "it"],
    &["push", "my"], &["move", "my"], &["move", "it"], &["can", "we", "do"], &["wont", "be", "home"],
    &["wont", "be", "there"], &["refilled"], &["refill"], &["book", "my"], &["book", "him"], &["book", "her"],
    &["book", "a"], &["book", "an"], &["book", "me"], &["book", "us"], &["schedule", "a"], &["schedule", "an"],
    &["schedule", "my"], &["schedule", "me"], &["bring", "my"], &["bring", "our"],
];

/// Where a booking or quote request starts ("book an appointment", "get a
/// quote", "give me an estimate").
pub(crate) fn request_start(stems: &[&str]) -> Option<usize> {
    if let Some(at) = SERVICE_REQUESTS
        .iter()
        .filter_map(|p| super::super::normalize::find_phrase(stems, p))
        .min()
    {
        return Some(at);
    }
    for (i, stem) in stems.iter().enumerate() {
        let window = &stems[i + 1..stems.len().min(i + 5)];
        if BOOKING_VERBS.contains(stem) && window.iter().any(|s| BOOKING_OBJECTS.contains(s)) {
            return Some(i);
        }
        let quote_window = &stems[i + 1..stems.len().min(i + 4)];
        if QUOTE_VERBS.contains(stem) && quote_window.iter().any(|s| QUOTE_OBJECTS.contains(s)) {
            return Some(i);
        }
        if matches!(*stem, "give" | "send")
            && stems.get(i + 1) == Some(&"me")
            && quote_window.iter().any(|s| QUOTE_OBJECTS.contains(s))
        {
            return Some(i);
        }
        if *stem == "come" && stems.get(i + 1) == Some(&"in") && stems.get(i + 2) == Some(&"for") {
            return Some(i);
        }
    }
    None
}

const STATED_NEEDS: &[&[&str]] = &[
    &["i", "need"],
    &["we", "need"],
    &["i", "want"],
    &["id", "like"],
    &["i", "would", "like"],
    &["looking", "for"],
    &["calling", "about"],
    &["calling", "regarding"],
    &["calling", "for"],
    &["regarding"],
    &["interested", "in"],
    &["need", "someone"],
    &["need", "help"],
    &["need", "a"],
];

/// "I need a plumber", "I'm calling about my bill": something to pass on.
pub(crate) fn states_need(stems: &[&str]) -> bool {
    has_any(stems, STATED_NEEDS)
}
