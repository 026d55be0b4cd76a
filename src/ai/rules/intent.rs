//! Intent patterns over word stems ("hours" -> "hour", "it's" -> "its").
//! Each detector answers one question about the utterance; `mod.rs` decides
//! their order.

use super::normalize::{find_phrase, has_any};
use crate::conversation::interpretation::Intent;

/// Life-safety phrases. "Emergency" alone is not enough: "do you do
/// emergency plumbing?" is a question.
const EMERGENCY: &[&[&str]] = &[
    &["medical", "emergency"],
    &["life", "threatening"],
    &["someone", "is", "hurt"],
    &["someone", "hurt"],
    &["somebody", "is", "hurt"],
    &["somebody", "hurt"],
    &["is", "hurt"],
    &["are", "hurt"],
    &["got", "hurt"],
    &["im", "hurt"],
    &["badly", "hurt"],
    &["injured"],
    &["unconscious"],
    &["not", "breathing"],
    &["cant", "breathe"],
    &["cannot", "breathe"],
    &["can", "not", "breathe"],
    &["trouble", "breathing"],
    &["heart", "attack"],
    &["a", "stroke"],
    &["overdose"],
    &["overdosed"],
    &["choking"],
    &["passed", "out"],
    &["collapsed"],
    &["chest", "pain"],
    &["fire"],
    &["on", "fire"],
    &["smell", "gas"],
    &["gas", "leak"],
    &["911"],
    &["kill", "myself"],
    &["suicide"],
    &["is", "dying"],
];
/// Words after "an emergency" that make it a question about a service.
#[rustfmt::skip]
const EMERGENCY_SERVICE_WORDS: &[&str] = &[
    "appointment", "service", "plumber", "plumbing", "visit", "dentist", "number", "line", "fee", "rate",
    "call", "repair", "electrician", "slot", "contact",
];
const NEGATIONS: &[&str] = &["not", "no", "isnt", "aint", "never", "non", "nt"];

pub(crate) fn is_emergency(stems: &[&str]) -> bool {
    if has_any(stems, EMERGENCY) {
        return !is_dental_bleeding(stems)
            || has_any(stems, &[&["fire"], &["911"], &["heart", "attack"]]);
    }
    if stems.contains(&"bleeding") && !is_dental_bleeding(stems) {
        return true;
    }
    for (i, stem) in stems.iter().enumerate() {
        if *stem != "emergency" {
            continue;
        }
        let negated = stems[i.saturating_sub(3)..i]
            .iter()
            .any(|s| NEGATIONS.contains(s));
        if negated {
            continue;
        }
        let article = i > 0 && matches!(stems[i - 1], "an" | "a");
        let service = stems
            .get(i + 1)
            .is_some_and(|s| EMERGENCY_SERVICE_WORDS.contains(s));
        if article && !service {
            return true;
        }
    }
    // "Emergency!", "help, it's an emergency please".
    stems.contains(&"emergency")
        && stems.iter().all(|s| {
            matches!(
                *s,
                "emergency"
                    | "help"
                    | "please"
                    | "its"
                    | "it"
                    | "is"
                    | "this"
                    | "an"
                    | "a"
                    | "real"
                    | "urgent"
                    | "hello"
                    | "hi"
                    | "quick"
                    | "quickly"
            )
        })
}

/// "My gums are bleeding" at the dentist is a dental question, not a 911 call.
fn is_dental_bleeding(stems: &[&str]) -> bool {
    stems.iter().any(|s| {
        matches!(
            *s,
            "gum" | "tooth" | "teeth" | "floss" | "flossing" | "brush" | "brushing"
        )
    })
}

const GOODBYE: &[&[&str]] = &[
    &["bye"],
    &["goodbye"],
    &["good", "bye"],
    &["nothing", "else"],
    &["that", "will", "be", "all"],
    &["thatll", "be", "all"],
    &["thats", "all"],
    &["that", "is", "all"],
    &["thats", "it"],
    &["that", "is", "it"],
    &["im", "done"],
    &["im", "all", "set"],
    &["have", "a", "good", "day"],
    &["have", "a", "nice", "day"],
    &["have", "a", "great", "day"],
    &["have", "a", "good", "one"],
    &["talk", "to", "you", "later"],
    &["see", "you"],
    &["take", "care"],
    &["hang", "up"],
];
/// "That's all wrong" / "that's all right" are not goodbyes.
const NOT_GOODBYE_AFTER: &[&str] = &["wrong", "incorrect", "right", "correct", "good", "fine"];

pub(crate) fn is_goodbye(stems: &[&str]) -> bool {
    GOODBYE.iter().any(|p| {
        find_phrase(stems, p).is_some_and(|at| {
            !stems
                .get(at + p.len())
                .is_some_and(|n| NOT_GOODBYE_AFTER.contains(n))
        })
    }) || is_only(
        stems,
        &[
            "thank", "thanks", "you", "ok", "okay", "great", "perfect", "alright", "so", "much",
            "very", "awesome", "cool",
        ],
    ) && stems.iter().any(|s| matches!(*s, "thank" | "thanks"))
}

/// True when every stem is one of `allowed`.
pub(crate) fn is_only(stems: &[&str], allowed: &[&str]) -> bool {
    !stems.is_empty() && stems.iter().all(|s| allowed.contains(s))
}

const YES: &[&[&str]] = &[
    &["thats", "right"],
    &["that", "is", "right"],
    &["thats", "correct"],
    &["thats", "all", "right"],
    &["thats", "fine"],
    &["fine"],
    &["that", "is", "correct"],
    &["sounds", "good"],
    &["sound", "good"],
    &["go", "ahead"],
    &["please", "do"],
    &["of", "course"],
    &["that", "work"],
    &["it", "is"],
    &["i", "do"],
    &["yes"],
    &["yeah"],
    &["yea"],
    &["yep"],
    &["yup"],
    &["ya"],
    &["sure"],
    &["correct"],
    &["right"],
    &["exactly"],
    &["absolutely"],
    &["definitely"],
    &["certainly"],
    &["ok"],
    &["okay"],
    &["alright"],
    &["perfect"],
    &["affirmative"],
    &["uhhuh"],
    &["yes", "please"],
];
const NO: &[&[&str]] = &[
    &["thats", "not", "right"],
    &["thats", "not", "correct"],
    &["that", "is", "not", "right"],
    &["that", "is", "not", "correct"],
    &["thats", "wrong"],
    &["that", "is", "wrong"],
    &["not", "quite"],
    &["not", "really"],
    &["not", "exactly"],
    &["not", "right"],
    &["no", "way"],
    &["i", "dont"],
    &["no"],
    &["nope"],
    &["nah"],
    &["incorrect"],
    &["wrong"],
    &["negative"],
];
/// Words a yes/no may start after ("well, yes", "oh no").
const YES_NO_LEAD_INS: &[&str] = &["oh", "well", "so", "hi", "hello", "hey", "um", "and", "but"];

/// A yes or no at the start of the utterance, with the number of stems it used.
pub(crate) fn leading_yes_no(stems: &[&str]) -> Option<(Intent, usize)> {
    let skip = stems
        .iter()
        .take_while(|s| YES_NO_LEAD_INS.contains(s))
        .count();
    let rest = &stems[skip..];
    // "No" phrases first: "that is not right" must not read as "it is".
    for (table, intent) in [(NO, Intent::No), (YES, Intent::Yes)] {
        let longest = table
            .iter()
            .filter(|p| rest.starts_with(p))
            .map(|p| p.len())
            .max();
        if let Some(len) = longest {
            return Some((intent, skip + len));
        }
    }
    None
}

/// Words that add nothing to a bare yes/no ("yes please", "no thank you").
const POLITE: &[&str] = &[
    "please", "thank", "thanks", "you", "ok", "okay", "so", "well", "oh", "that", "thats", "it",
    "its", "is", "fine", "good", "great", "all", "sir", "maam", "then", "mean", "i", "just",
    "alright", "right", "yes", "no", "yeah", "sure", "correct", "much",
];

/// A yes/no followed only by politeness: "yes please", "no thank you".
pub(crate) fn bare_yes_no(stems: &[&str]) -> Option<Intent> {
    let (intent, used) = leading_yes_no(stems)?;
    stems[used..]
        .iter()
        .all(|s| POLITE.contains(s))
        .then_some(intent)
}

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
    has_any(stems, MESSAGE)
}

const TALK_VERBS: &[&str] = &[
    "talk", "speak", "speaking", "talking", "chat", "transfer", "connect", "reach", "get", "put",
];
#[rustfmt::skip]
const PERSON_WORDS: &[&str] = &[
    "someone", "somebody", "anyone", "anybody", "person", "human", "manager", "operator", "representative",
    "rep", "agent", "staff", "receptionist", "owner", "people", "supervisor", "employee", "dentist", "doctor",
    "technician", "plumber", "boss", "live",
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
const BOOKING_OBJECTS: &[&str] = &[
    "appointment",
    "appt",
    "booking",
    "reservation",
    "consultation",
    "visit",
    "checkup",
];
const QUOTE_VERBS: &[&str] = &["get", "need", "want", "like", "request", "receive", "have"];
const QUOTE_OBJECTS: &[&str] = &["quote", "estimate", "quotation"];

/// Where a booking or quote request starts ("book an appointment", "get a
/// quote", "give me an estimate").
pub(crate) fn request_start(stems: &[&str]) -> Option<usize> {
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
