//! What the caller asks: hours, location, contact details, or any question.

use super::super::normalize::has_any;
use crate::conversation::interpretation::HoursAsked;

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
                && (matches!(
                    stems[i - 1],
                    "an" | "a" | "one" | "half" | "24" | "per" | "the" | "by" | "happy" | "rush"
                ) || stems[i - 1].bytes().all(|b| b.is_ascii_digit())))
    });
    let open = stems
        .iter()
        .any(|s| matches!(*s, "open" | "close" | "closed" | "closing" | "opening"));
    // "Do you work Sundays?", "are you guys in on Saturday?"
    let working_day = day_named(stems).is_some()
        && has_any(
            stems,
            &[
                &["do", "you", "work"],
                &["you", "guy", "work"],
                &["are", "you", "working"],
                &["you", "in", "on"],
                &["are", "you", "in"],
                &["you", "guy", "in"],
                &["anyone", "there", "on"],
            ],
        );
    hour || working_day || (open && stems.iter().any(|s| HOURS_CONTEXT.contains(s)))
}

pub(super) const DAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The weekday named, Monday = 0 ("sundays" -> 6).
fn day_named(stems: &[&str]) -> Option<usize> {
    stems
        .iter()
        .find_map(|s| DAY_NAMES.iter().position(|d| d == s))
}

/// Which hours an hours question is about: a day named, the weekend,
/// tomorrow, today (or closing/opening time), now, else the whole week.
pub(crate) fn hours_asked(stems: &[&str]) -> HoursAsked {
    if let Some(day) = day_named(stems) {
        return HoursAsked::Day(day);
    }
    if stems.contains(&"weekend") {
        return HoursAsked::Weekend;
    }
    if stems.contains(&"tomorrow") {
        return HoursAsked::Tomorrow;
    }
    if stems
        .iter()
        .any(|s| matches!(*s, "now" | "currently" | "still" | "yet"))
    {
        return HoursAsked::Now;
    }
    let what_time = has_any(
        stems,
        &[
            &["what", "time"],
            &["when", "do", "you"],
            &["when", "does"],
            &["how", "late"],
            &["until", "when"],
            &["till", "when"],
            &["how", "early"],
        ],
    );
    if stems.iter().any(|s| {
        matches!(
            *s,
            "today" | "tonight" | "morning" | "afternoon" | "evening"
        )
    }) || (what_time && !stems.contains(&"hour"))
    {
        return HoursAsked::Today;
    }
    if stems.first().is_some_and(|s| matches!(*s, "are" | "is"))
        && stems.contains(&"open")
        && !stems.contains(&"hour")
    {
        return HoursAsked::Now;
    }
    HoursAsked::Week
}

const LOCATION: &[&[&str]] = &[
    &["where", "are", "you"],
    &["where", "r", "you"],
    &["where", "you", "at"],
    &["where", "is", "your"],
    &["wheres", "your"],
    &["wheres", "the"],
    &["wheres", "you"],
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
#[rustfmt::skip]
const QUESTION_LEAD_INS: &[&str] = &[
    "hi", "hello", "hey", "yes", "yeah", "ok", "okay", "so", "well", "and", "also", "um", "quick",
    "oh", "but", "good", "great", "fine", "cool", "alright", "right", "sorry", "perfect", "awesome", "wow",
    "ah", "hmm", "ya", "yea", "yep", "sure", "then", "now", "actually", "anyway", "just", "wait",
];
/// Words a question may start with after a clause ("sorry, bad line, how
/// much are your rates"): a wh-word, or an auxiliary followed by its subject.
const WH_WORDS: &[&str] = &[
    "what", "whats", "when", "where", "wheres", "who", "whos", "why", "how", "hows", "which",
];
const AUXILIARIES: &[&str] = &[
    "do", "does", "did", "can", "could", "would", "will", "is", "are", "should", "may", "have",
];
const SUBJECTS: &[&str] = &[
    "you", "your", "u", "yall", "there", "it", "they", "we", "i", "he", "she", "that", "this",
];

/// A question about what the business does or charges, wherever it comes
/// in the utterance: "do you...", "how much...", "is there...", "can I...".
pub(crate) fn asks_about_the_business(stems: &[&str]) -> bool {
    has_any(
        stems,
        &[
            &["do", "you"],
            &["do", "yall"],
            &["does", "it"],
            &["does", "that"],
            &["does", "anyone"],
            &["does", "anybody"],
            &["do", "i", "have", "to"],
            &["do", "i", "need"],
            &["are", "you"],
            &["is", "there"],
            &["is", "it"],
            &["how", "much"],
            &["how", "long"],
            &["how", "soon"],
            &["what", "do", "you"],
            &["what", "does"],
            &["what", "is"],
            &["whats"],
            &["what", "happens"],
            &["what", "happen"],
            &["wondering"],
        ],
    )
}

/// A question starts somewhere in the utterance, not only at its start.
fn question_inside(stems: &[&str]) -> bool {
    stems.iter().enumerate().any(|(i, s)| {
        (WH_WORDS.contains(s)
            && stems
                .get(i + 1)
                .is_some_and(|n| !matches!(*n, "i" | "we") || i == 0))
            || (AUXILIARIES.contains(s)
                && stems.get(i + 1).is_some_and(|n| SUBJECTS.contains(n))
                && i > 0
                && !matches!(
                    stems[i - 1],
                    "i" | "we" | "they" | "you" | "it" | "that" | "he" | "she"
                ))
    })
}

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
        || question_inside(stems)
        || has_any(
            stems,
            &[
                &["wondering"],
                &["question"],
                &["want", "to", "know"],
                &["wanted", "to", "know"],
                &["wanting", "to", "know"],
                &["like", "to", "know"],
                &["need", "to", "know"],
                &["trying", "to", "find", "out"],
                &["find", "out"],
                &["tell", "me"],
                &["curious"],
            ],
        )
}
