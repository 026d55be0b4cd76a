//! The words around names: what introduces one, what never is one, and
//! what callers say instead of giving one.

use super::super::super::normalize::{Word, has_any, is_number_word};

/// Phrases after which a name follows for sure.
pub(super) const STRONG_NAME_CUES: &[&[&str]] = &[
    &["my", "name", "is"],
    &["my", "names"],
    &["the", "name", "is"],
    &["name", "is"],
    &["names"],
    &["call", "me"],
    &["i", "go", "by"],
    &["its", "spelled"],
    &["it", "is", "spelled"],
    &["spelled"],
    &["spelt"],
];
/// Phrases after which a name often follows ("I'm John"), but so do many
/// other words ("I'm calling", "it's about"), checked against `NOT_NAMES`.
pub(super) const WEAK_NAME_CUES: &[&[&str]] = &[
    &["this", "is"],
    &["its"],
    &["it", "is"],
    &["im"],
    &["i", "am"],
];
/// Which part of a name the caller names ("my last name is Smyth").
pub(super) const LAST_NAME_CUES: &[&[&str]] = &[
    &["last", "name"],
    &["surname"],
    &["family", "name"],
    &["second", "name"],
];
pub(super) const FIRST_NAME_CUES: &[&[&str]] = &[&["first", "name"], &["given", "name"]];
/// Words between a cue and the name ("my name is actually ...").
pub(super) const AFTER_CUE: &[&str] = &[
    "is", "actually", "spelled", "spelt", "just", "its", "it", "like", "was", "should", "be",
];

/// Words that are never (part of) a name here: fillers, function words,
/// number words and what callers say after "I'm" or "it's" besides their
/// name, or instead of it.
#[rustfmt::skip]
pub(super) const NOT_NAMES: &[&str] = &[
    "a", "about", "actually", "afraid", "after", "again", "ago", "all", "also", "am", "an", "and", "angry",
    "annoying", "any", "anymore", "anyone", "appointment", "are", "as", "ask", "asking", "at", "available",
    "away", "back", "bad", "be", "because", "been", "before", "being", "best", "better", "bother",
    "broken", "business", "busy", "but", "by", "call", "calling", "can", "cant", "care", "cause", "cell",
    "check", "closed", "come", "confused", "correct", "could", "crap", "crazy", "currently", "damn", "did",
    "didnt", "do", "does", "doesnt", "done", "dont", "double", "down", "dumb", "else", "email", "emergency",
    "enough", "every", "everything", "exactly", "fine", "for", "forget", "free", "from", "frustrated",
    "frustrating", "fuck", "fucking", "get", "getting", "give", "glad", "go", "going", "gonna", "good",
    "got", "great", "guess", "had", "happy", "has", "have", "having", "he", "hell", "hello", "her", "here",
    "hey", "hi", "him", "his", "hold", "home", "hoping", "how", "hurry", "hurt", "i", "id", "if", "ill", "im",
    "important", "in", "insane", "interested", "is", "isnt", "it", "its", "ive", "joke", "joking", "just",
    "kidding", "know", "late", "later", "leaking", "leave", "let", "like", "line", "listen", "little",
    "look", "looking", "mad", "make", "matter", "maybe", "me", "mean", "message", "mine", "mobile", "more",
    "much", "my", "myself", "name", "necessary", "need", "never", "new", "nice", "no", "nobody", "none",
    "nonsense", "nope", "not", "nothing", "now", "number", "of", "off", "ok", "okay", "on", "one", "only",
    "or", "other", "our", "out", "over", "person", "personal", "phone", "phoning", "please", "pretty",
    "private", "problem", "question", "quite", "rather", "ready", "real", "really", "regarding",
    "ridiculous", "right", "ringing", "robot", "same", "say", "seriously", "serious", "she", "shit",
    "should", "so", "someone", "something", "sorry", "speaking", "spell", "spelled", "spelt", "still",
    "stupid", "sure", "talk", "tell", "than", "thank", "thanks", "that", "thats", "the", "their", "them",
    "then", "there", "they", "thing", "think", "this", "to", "today", "tomorrow", "too", "trying",
    "uhhuh", "unable", "unbelievable", "up", "upset", "urgent", "us", "useless", "very", "wait", "want",
    "wanting", "was", "we", "well", "were", "what", "whatever", "when", "where", "which", "who", "why",
    "with", "without", "wondering", "work", "worried", "would", "wrong", "yeah", "yep", "yes",
    "yet", "you", "your", "yours",
];

/// Lead-ins skipped before a bare name ("yeah it's John", "sure, John Smith").
#[rustfmt::skip]
pub(super) const BARE_NAME_LEAD_INS: &[&str] = &[
    "yes", "yeah", "yep", "sure", "ok", "okay", "so", "well", "hi", "hello", "hey", "oh", "its", "it", "is",
    "my", "name", "names", "the", "this", "im", "i", "am", "call", "me", "uhhuh", "right", "first", "full",
    "last", "no", "sorry", "actually", "thats", "that", "spelled", "spelt", "like", "was", "should", "be",
    "just", "of", "course", "definitely", "alright",
];
/// What may follow a bare name ("John Smith, calling about my bill").
pub(super) const AFTER_BARE_NAME: &[&str] = &[
    "please", "thanks", "thank", "you", "here", "speaking", "calling", "and", "from", "again",
    "sir", "maam", "ok", "okay", "bye", "that", "thats", "is", "it", "its", "me",
];
/// Words by which a caller takes back the name just said.
pub(super) const TAKE_BACKS: &[&str] = &[
    "no",
    "sorry",
    "mean",
    "actually",
    "wait",
    "oops",
    "correction",
];
/// Lower-case name particles ("de la Cruz", "van der Berg").
pub(super) const PARTICLES: &[&str] = &[
    "de", "del", "della", "der", "den", "di", "da", "dos", "das", "du", "la", "le", "van", "von",
    "ter", "ten", "st",
];
pub(super) const HONORIFICS: &[(&str, &str)] = &[
    ("mr", "Mr"),
    ("mister", "Mr"),
    ("mrs", "Mrs"),
    ("ms", "Ms"),
    ("miss", "Miss"),
    ("dr", "Dr"),
    ("doctor", "Dr"),
];

/// "Why do you need that", "I'd rather not say", "this is ridiculous":
/// the caller will not give a name now, and the message goes on without it.
pub(crate) fn declines_name(stems: &[&str]) -> bool {
    has_any(
        stems,
        &[
            &["rather", "not"],
            &["prefer", "not"],
            &["dont", "want", "to"],
            &["not", "giving"],
            &["not", "telling"],
            &["wont", "give"],
            &["wont", "tell"],
            &["why", "do", "you", "need"],
            &["why", "does", "it", "matter"],
            &["why", "would", "you", "need"],
            &["what", "do", "you", "need", "it", "for"],
            &["what", "do", "you", "need", "that", "for"],
            &["does", "it", "matter"],
            &["doesnt", "matter"],
            &["none", "of", "your", "business"],
            &["no", "name"],
            &["skip"],
            &["anonymous"],
            &["why"],
            &["not", "important"],
            &["you", "dont", "need"],
            &["just", "want"],
            &["just", "need"],
            &["just", "take"],
            &["just", "have"],
            &["ridiculous"],
            &["stupid"],
            &["kidding"],
            &["come", "on"],
            &["seriously"],
            &["whatever"],
            &["waste", "of", "time"],
            &["useless"],
            &["unbelievable"],
            &["hurry", "up"],
        ],
    )
}

pub(super) fn is_name_word(word: &Word<'_>) -> bool {
    word.key.chars().all(char::is_alphabetic)
        && word.key.chars().count() >= 2
        && !NOT_NAMES.contains(&word.key.as_str())
        && !is_number_word(&word.key)
}
