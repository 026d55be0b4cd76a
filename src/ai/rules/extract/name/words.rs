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
    "a", "about", "actually", "afraid", "after", "again", "ago", "ah", "all", "allergic", "almost", "already",
    "alright", "also", "am", "amazing", "an", "and", "angry", "annoying", "another", "anxious", "any",
    "anymore", "anyone", "anything", "appointment", "are", "as", "ask", "asking", "at", "available", "away",
    "awesome", "awful", "back", "bad", "be", "because", "been", "beeping", "before", "being", "best",
    "better", "bit", "bleeding", "blocked", "both", "bother", "broken", "burning", "business", "busy", "but",
    "by", "call", "calling", "can", "cant", "care", "cause", "cell", "certain", "cheap", "check", "chipped",
    "client", "clogged", "closed", "cold", "come", "completely", "concerned", "confused", "cool", "correct",
    "could", "cracked", "crap", "crazy", "curious", "current", "currently", "customer", "damn", "dead",
    "definitely", "desperate", "diabetic", "did", "didnt", "different", "disabled", "divorced", "do", "does",
    "doesnt", "done", "dont", "double", "down", "dripping", "dry", "due", "dumb", "each", "early", "either",
    "elderly", "else", "email", "emergency", "enough", "even", "ever", "every", "everyone", "everything",
    "exactly", "excellent", "existing", "expensive", "fair", "fantastic", "few", "fine", "finished", "fixed",
    "flooded", "flooding", "for", "forget", "former", "free", "from", "frozen", "frustrated", "frustrating",
    "fuck", "fucking", "get", "getting", "give", "glad", "go", "going", "gone", "gonna", "good", "got",
    "great", "guess", "had", "happy", "has", "have", "having", "he", "hell", "hello", "her", "here", "hey",
    "hi", "him", "his", "hmm", "hold", "home", "homeowner", "hoping", "horrible", "hot", "how", "hurry",
    "hurt", "hurting", "i", "id", "if", "ill", "im", "important", "impossible", "in", "infected", "insane",
    "interested", "is", "isnt", "it", "its", "ive", "joke", "joking", "just", "kidding", "kind", "kinda",
    "know", "landlord", "last", "first", "middle", "surname", "late", "later", "leaking", "leave", "let", "like", "line", "listen", "little",
    "locked", "look", "looking", "loose", "lost", "lot", "loud", "lovely", "mad", "make", "married", "matter",
    "maybe", "me", "mean", "member", "message", "mine", "mobile", "more", "much", "my", "myself", "name",
    "necessary", "need", "nervous", "never", "new", "nice", "no", "nobody", "noisy", "none", "nonsense",
    "nope", "normal", "not", "nothing", "now", "number", "nurse", "of", "off", "oh", "ok", "okay", "on",
    "one", "only", "ooh", "oops", "open", "or", "other", "our", "out", "over", "overdue", "owner", "painful",
    "patient", "perfect", "person", "personal", "phone", "phoning", "please", "positive", "possible",
    "pregnant", "pretty", "private", "probably", "problem", "question", "quite", "rather", "ready", "real",
    "really", "regarding", "regular", "renter", "retired", "ridiculous", "right", "ringing", "robot",
    "running", "sad", "same", "say", "scared", "serious", "seriously", "several", "she", "shit", "should",
    "sick", "smoking", "so", "somebody", "someone", "something", "sore", "sorry", "sort", "sorta", "speaking",
    "spell", "spelled", "spelt", "still", "strange", "stuck", "student", "stupid", "super", "supposed",
    "sure", "swollen", "talk", "tell", "tenant", "terrible", "terrified", "than", "thank", "thanks", "that",
    "thats", "the", "their", "them", "then", "there", "they", "thing", "think", "this", "throbbing", "to",
    "today", "tomorrow", "too", "totally", "true", "trying", "ugh", "uh", "uhhuh", "unable", "unavailable",
    "unbelievable", "under", "unemployed", "up", "upset", "urgent", "us", "useless", "very", "wait", "want",
    "wanting", "warm", "was", "we", "weird", "well", "were", "wet", "what", "whatever", "when", "where",
    "which", "who", "whoa", "why", "with", "without", "wonderful", "wondering", "work", "working", "worried",
    "worse", "worst", "would", "wow", "wrong", "yeah", "yep", "yes", "yet", "you", "your", "yours",
    // When to call back ("call me Monday", "call me tonight"), never a name.
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tonight", "morning",
    "afternoon", "evening", "anytime", "asap", "whenever", "soon", "weekend", "week", "next", "put",
    "write",
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
    "oh", "please", "thanks", "thank", "you", "here", "speaking", "calling", "and", "from",
    "again", "sir", "maam", "ok", "okay", "bye", "that", "thats", "is", "it", "its", "me",
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

/// "I'd rather not say", "none of your business", "this is ridiculous":
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
            &["doesnt", "matter"],
            &["none", "of", "your", "business"],
            &["no", "name"],
            &["skip"],
            &["anonymous"],
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
