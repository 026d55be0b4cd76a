//! The reason for the call, said back to the caller: turned to the second
//! person ("my bill" -> "your bill", "I'm free after 3" -> "you're free
//! after 3", "can you fix it" -> "can we fix it") and framed by what it is:
//! "you'd like to move your appointment", "you're calling about your
//! bill", "you're calling because your sink is leaking".

use super::caller_text;

/// Request verbs a reason starts with when it says what the caller wants
/// done ("move my appointment", "book a cleaning").
#[rustfmt::skip]
const REQUEST_VERBS: &[&str] = &[
    "add", "apply", "arrange", "ask", "book", "bring", "buy", "cancel", "change", "check", "clean", "clear",
    "come", "confirm", "discuss", "dispute", "drop", "enquire", "enroll", "file", "find", "fix", "follow",
    "get", "give", "go", "have", "hire", "inquire", "inspect", "install", "join", "know", "leave", "let",
    "look", "make", "move", "order", "pay", "pick", "push", "put", "register", "renew", "refill", "rent",
    "repair", "replace", "report", "request", "reschedule", "return", "review", "schedule", "see", "sell",
    "send", "set", "sign", "speak", "start", "stop", "submit", "switch", "take", "talk", "tell", "transfer",
    "unclog", "update", "upgrade", "visit",
];
/// Words that make a reason a clause of its own ("my sink is leaking").
#[rustfmt::skip]
const FINITE_VERBS: &[&str] = &[
    "is", "are", "was", "were", "isnt", "arent", "wasnt", "werent", "has", "have", "had", "hasnt", "havent",
    "keeps", "kept", "wont", "will", "doesnt", "didnt", "does", "did", "cant", "cannot", "couldnt", "needs",
    "broke", "stopped", "started", "fell", "ate", "got", "died", "burst", "cracked", "flooded", "leaks",
    "leaked", "hurts", "came", "went", "seems", "smells", "sounds", "makes", "made", "won", "lost", "chipped",
    "told", "said", "recommended", "referred", "gave", "sent", "called", "asked", "wants", "needed",
];
/// Subjects that start a clause ("I need a plumber", "there's a leak").
const SUBJECTS: &[&str] = &[
    "i", "im", "ive", "id", "ill", "we", "were", "weve", "he", "she", "they", "it", "its", "there",
    "theres", "hes", "shes", "theyre", "you", "youre", "youve",
];
/// Words a noun phrase may start with before its verb ("the pipe under my
/// sink is leaking").
const DETERMINERS: &[&str] = &[
    "my", "our", "the", "his", "her", "their", "this", "that", "a", "an", "some",
];
/// Words after which a verb belongs to a longer noun phrase ("a quote for a
/// fence that needs replacing", "the estimate you sent me").
const RELATIVES: &[&str] = &[
    "that", "which", "who", "for", "to", "about", "you", "i", "we", "they", "he", "she",
];
/// Words after "you" that make it a subject ("you do implants" -> "we do").
#[rustfmt::skip]
const AFTER_SUBJECT_YOU: &[&str] = &[
    "do", "did", "does", "can", "could", "would", "will", "should", "have", "had", "are", "were", "might",
    "may", "guys", "all", "offer", "provide", "sell", "take", "accept", "fix", "repair", "install", "open",
    "close", "charge", "need", "want", "said", "told", "sent", "come", "go", "see", "get", "make", "know",
    "still", "also", "just", "ever", "usually", "called", "gave", "put",
];
/// Words before "you" that make it a subject ("can you", "if you").
const BEFORE_SUBJECT_YOU: &[&str] = &[
    "do", "did", "does", "can", "could", "would", "will", "should", "have", "are", "were", "if",
    "whether", "when", "that", "and",
];

/// Most words of a reason that only says who the message is for.
const MAX_RECIPIENT_WORDS: usize = 4;

/// "For Dr Patel", "for the owner": who the message is for, but not yet why.
pub fn names_only_recipient(reason: &str) -> bool {
    let words: Vec<String> = reason.split_whitespace().map(key).collect();
    words.first().is_some_and(|w| w == "for")
        && words.len() <= MAX_RECIPIENT_WORDS
        && !words
            .iter()
            .any(|w| FINITE_VERBS.contains(&w.as_str()) || w == "about")
}

/// "You're calling about your bill", "you'd like to move your appointment
/// to next week": the reason as it is read back.
pub fn reason_read_back(reason: &str) -> String {
    let reason = caller_text(reason);
    let reason = reason.trim_end_matches(['.', '!', '?', ',', ';', ' ']);
    let words: Vec<&str> = reason.split_whitespace().collect();
    let keys: Vec<String> = words.iter().map(|w| key(w)).collect();
    let said = second_person(reason);
    let first = keys.first().map(String::as_str).unwrap_or_default();
    let wants_call_back = matches!(keys.get(1).map(String::as_str), Some("call" | "callback"));
    match first {
        "if" | "whether" => format!("you'd like to know {said}"),
        "for" => format!("you're calling {said}"),
        "someone" | "somebody" => format!("you'd like {said}"),
        "a" if wants_call_back => format!("you'd like {said}"),
        _ if REQUEST_VERBS.contains(&first) => format!("you'd like to {said}"),
        _ if is_clause(&words) => format!("you're calling because {said}"),
        _ => format!("you're calling about {said}"),
    }
}

fn key(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// "My sink is leaking", "I need a plumber", "there's water everywhere".
fn is_clause(words: &[&str]) -> bool {
    let Some(first) = words.first().map(|w| key(w)) else {
        return false;
    };
    if SUBJECTS.contains(&first.as_str()) {
        return true;
    }
    if !DETERMINERS.contains(&first.as_str()) {
        return false;
    }
    for word in words.iter().skip(1).take(6) {
        let k = key(word);
        // "My sink's leaking": the verb rides on the noun.
        let contracted = word.ends_with("'s") || word.ends_with("’s");
        if FINITE_VERBS.contains(&k.as_str()) || contracted {
            return true;
        }
        if RELATIVES.contains(&k.as_str()) {
            return false;
        }
    }
    false
}

/// The caller's words turned to the receptionist's point of view: the
/// caller's "I", "my", "we" become "you", "your"; the caller's "you",
/// "your" (the business) become "we"/"us", "our".
fn second_person(text: &str) -> String {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    for (i, token) in tokens.iter().enumerate() {
        let start = token
            .find(|c: char| c.is_alphanumeric())
            .unwrap_or(token.len());
        let end = token
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_alphanumeric())
            .map_or(start, |(e, c)| e + c.len_utf8());
        let (before, core, after) = (&token[..start], &token[start..end], &token[end..]);
        let lower = core.to_lowercase().replace('’', "'");
        let previous = i.checked_sub(1).map(|p| key(tokens[p]));
        let next = tokens.get(i + 1).map(|n| key(n));
        let swapped = match lower.as_str() {
            "i" => Some("you"),
            "i'm" | "im" => Some("you're"),
            "i've" => Some("you've"),
            "i'll" => Some("you'll"),
            "i'd" => Some("you'd"),
            "me" => Some("you"),
            "my" => Some("your"),
            "mine" => Some("yours"),
            "myself" => Some("yourself"),
            "we" => Some("you"),
            "we're" => Some("you're"),
            "we've" => Some("you've"),
            "we'll" => Some("you'll"),
            "we'd" => Some("you'd"),
            "our" => Some("your"),
            "ours" => Some("yours"),
            "us" => Some("you"),
            "ourselves" => Some("yourselves"),
            "am" if previous.as_deref() == Some("i") => Some("are"),
            "was" if previous.as_deref() == Some("i") => Some("were"),
            "wasn't" if previous.as_deref() == Some("i") => Some("weren't"),
            // The caller's "you" is the business: "we" as a subject ("you
            // charged me" -> "we charged you"), "us" otherwise.
            "you" => Some(
                if i == 0
                    || next
                        .as_deref()
                        .is_some_and(|n| AFTER_SUBJECT_YOU.contains(&n) || n.ends_with("ed"))
                    || previous
                        .as_deref()
                        .is_some_and(|p| BEFORE_SUBJECT_YOU.contains(&p))
                {
                    "we"
                } else {
                    "us"
                },
            ),
            "you're" => Some("we're"),
            "you've" => Some("we've"),
            "you'll" => Some("we'll"),
            "you'd" => Some("we'd"),
            "your" => Some("our"),
            "yours" => Some("ours"),
            _ => None,
        };
        match swapped {
            Some(word) => out.push(format!("{before}{word}{after}")),
            None => out.push((*token).to_string()),
        }
    }
    out.join(" ")
}
