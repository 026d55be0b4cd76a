//! Conversation upkeep: greetings, "hello?", "what?", "are you a robot?".
//! Recognised only when the utterance is nothing more, so "hi, I need to
//! book a cleaning" is a booking.

use super::super::normalize::has_any;
use super::is_only;
use crate::conversation::interpretation::SmallTalk;

/// Words that may pad small talk ("oh hi there", "sorry what was that").
#[rustfmt::skip]
const PADDING: &[&str] = &[
    "oh", "ok", "okay", "um", "so", "well", "yeah", "yes", "sorry", "excuse", "me", "there", "again", "please",
    "um", "uh", "just", "ma'am", "maam", "sir", "miss", "yo", "hey", "hi", "hello", "hullo", "hiya", "good",
    "morning", "afternoon", "evening", "howdy", "greetings",
];
const HELLO: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "hiya",
    "howdy",
    "hullo",
    "greetings",
    "yo",
];
const GOOD_PART_OF_DAY: &[&[&str]] = &[
    &["good", "morning"],
    &["good", "afternoon"],
    &["good", "evening"],
];

const REPEAT: &[&[&str]] = &[
    &["repeat"],
    &["say", "again"],
    &["say", "that", "again"],
    &["say", "it", "again"],
    &["come", "again"],
    &["one", "more", "time"],
    &["didnt", "hear"],
    &["didnt", "catch"],
    &["didnt", "get", "that"],
    &["couldnt", "hear"],
    &["cant", "hear"],
    &["can", "not", "hear"],
    &["missed", "that"],
    &["missed", "what"],
    &["what", "was", "that"],
    &["what", "did", "you", "say"],
    &["what", "you", "said"],
    &["pardon"],
    &["speak", "up"],
    &["say", "what"],
    &["huh"],
    &["you", "cut", "out"],
    &["breaking", "up"],
];
/// Words a repeat request may also contain.
#[rustfmt::skip]
const REPEAT_WORDS: &[&str] = &[
    "can", "could", "would", "you", "please", "repeat", "that", "say", "it", "again", "what", "was", "sorry",
    "i", "didnt", "hear", "catch", "get", "come", "one", "more", "time", "pardon", "me", "huh", "the", "last",
    "part", "missed", "couldnt", "cant", "not", "did", "said", "speak", "up", "a", "little", "bit", "louder",
    "cut", "out", "breaking", "youre", "your", "are", "were", "question", "excuse", "oh", "um", "okay", "ok",
    "there", "wait", "hold", "on", "slow", "down", "slower", "bit", "too", "fast", "talking", "kind", "of",
    "number", "just", "so",
];
const ARE_YOU_THERE: &[&[&str]] = &[
    &["anyone", "there"],
    &["anybody", "there"],
    &["someone", "there"],
    &["somebody", "there"],
    &["are", "you", "there"],
    &["you", "there"],
    &["you", "still", "there"],
    &["still", "there"],
    &["can", "you", "hear", "me"],
    &["hear", "me"],
    &["is", "this", "working"],
    &["anyone", "home"],
];
const WHO: &[&[&str]] = &[
    &["robot"],
    &["a", "bot"],
    &["chatbot"],
    &["machine"],
    &["automated"],
    &["computer"],
    &["recording"],
    &["recorded", "message"],
    &["real", "person"],
    &["real", "human"],
    &["a", "human"],
    &["a", "person"],
    &["who", "is", "this"],
    &["whos", "this"],
    &["who", "am", "i", "talking", "to"],
    &["who", "am", "i", "speaking", "with"],
    &["who", "am", "i", "speaking", "to"],
    &["who", "is", "speaking"],
    &["artificial"],
    &["an", "ai"],
    &["is", "this", "ai"],
    &["you", "ai"],
    &["what", "are", "you"],
];
#[rustfmt::skip]
const WHO_WORDS: &[&str] = &[
    "are", "you", "a", "an", "robot", "bot", "chatbot", "machine", "automated", "computer", "recording",
    "recorded", "message", "real", "person", "human", "who", "is", "this", "whos", "am", "i", "talking", "to",
    "speaking", "with", "artificial", "intelligence", "ai", "what", "or", "some", "kind", "of", "sort", "like",
    "wait", "hold", "on", "sorry", "oh", "am", "it", "thing", "just", "so", "the", "im", "talk", "do", "it",
    "yeah", "ok", "okay", "hello", "hi", "actual", "live", "there", "system", "answering", "service",
];
const HOW_ARE_YOU: &[&[&str]] = &[
    &["how", "are", "you"],
    &["how", "r", "you"],
    &["hows", "it", "going"],
    &["how", "is", "it", "going"],
    &["how", "you", "doing"],
    &["how", "are", "you", "doing"],
    &["how", "are", "things"],
    &["hows", "your", "day"],
    &["how", "is", "your", "day"],
    &["hows", "your", "morning"],
    &["how", "is", "your", "morning"],
    &["hows", "your", "afternoon"],
    &["hows", "your", "evening"],
    &["how", "have", "you", "been"],
];
#[rustfmt::skip]
const HOW_WORDS: &[&str] = &[
    "how", "are", "you", "r", "hows", "it", "going", "is", "doing", "things", "your", "day", "today", "im",
    "good", "fine", "great", "thanks", "thank", "and", "well", "doing", "ok", "okay", "pretty",
    "morning", "afternoon", "evening", "have", "been", "so", "far", "hey", "hi", "hello",
];

/// The small talk `stems` consist of, if that is all they are. `text` is
/// the raw utterance ("hello?" is checking the line, "hello" a greeting).
pub(crate) fn small_talk(stems: &[&str], text: &str) -> Option<SmallTalk> {
    if stems.is_empty() {
        return None;
    }
    let asked = text.trim_end().ends_with('?');
    if is_only(stems, PADDING)
        && (stems.iter().any(|s| HELLO.contains(s)) || has_any(stems, GOOD_PART_OF_DAY))
    {
        return Some(if asked {
            SmallTalk::AreYouThere
        } else {
            SmallTalk::Hello
        });
    }
    if has_any(stems, ARE_YOU_THERE) && only_with(stems, ARE_YOU_THERE_WORDS) {
        return Some(SmallTalk::AreYouThere);
    }
    if (has_any(stems, REPEAT)
        || is_only(stems, &["what", "sorry", "huh", "excuse", "me", "pardon"]))
        && only_with(stems, REPEAT_WORDS)
    {
        return Some(SmallTalk::Repeat);
    }
    if excused_repeat(stems) {
        return Some(SmallTalk::Repeat);
    }
    if has_any(stems, WHO) && only_with(stems, WHO_WORDS) {
        return Some(SmallTalk::WhoAmITalkingTo);
    }
    if has_any(stems, HOW_ARE_YOU) && only_with(stems, HOW_WORDS) {
        return Some(SmallTalk::HowAreYou);
    }
    None
}

/// Words at most of an excuse before a repeat request ("sorry a truck was
/// going by, can you say that again").
const MAX_EXCUSE: usize = 8;

/// Words of an excuse for not hearing (checked on stems).
#[rustfmt::skip]
const EXCUSE_WORDS: &[&str] = &[
    "was", "were", "loud", "noise", "noisi", "noisy", "bark", "barking", "cry", "crying", "scream",
    "screaming", "yell", "yelling", "static", "traffic", "signal", "recept", "reception", "connect",
    "connection", "wind", "windi", "siren", "tunnel", "construct", "construction",
];

/// A repeat request at the end, after a short excuse that asks nothing:
/// "sorry what a truck was going by can you say that again", "the kids were
/// yelling could you repeat that".
fn excused_repeat(stems: &[&str]) -> bool {
    let tail = stems
        .iter()
        .rev()
        .take_while(|s| REPEAT_WORDS.contains(s) || PADDING.contains(s))
        .count();
    let (head, request) = stems.split_at(stems.len() - tail);
    let asks = head.windows(2).any(|pair| {
        matches!(
            (pair[0], pair[1]),
            (
                "do" | "does" | "can" | "could" | "will" | "would" | "are" | "is",
                "you" | "yall" | "there" | "i" | "we"
            ) | ("how", "much" | "long" | "often" | "soon")
        )
    });
    // What kept them from hearing, not what they want.
    let excuse = head.iter().any(|s| EXCUSE_WORDS.contains(s));
    excuse && head.len() <= MAX_EXCUSE && !asks && has_any(request, REPEAT) && request.len() >= 2
}

#[rustfmt::skip]
const ARE_YOU_THERE_WORDS: &[&str] = &[
    "is", "anyone", "anybody", "someone", "somebody", "there", "are", "you", "still", "can", "hear", "me",
    "this", "working", "home", "hello", "hi", "hey", "um", "oh", "hellooo", "ok", "okay", "is", "that",
];

/// Every stem is small talk or padding.
fn only_with(stems: &[&str], allowed: &[&str]) -> bool {
    stems
        .iter()
        .all(|s| allowed.contains(s) || PADDING.contains(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::rules::normalize::words;

    fn talk(text: &str) -> Option<SmallTalk> {
        let w = words(text);
        let s: Vec<&str> = w.iter().map(|w| w.stem.as_str()).collect();
        small_talk(&s, text)
    }

    #[test]
    fn greetings_checks_repeats_and_identity_questions() {
        assert_eq!(talk("hi"), Some(SmallTalk::Hello));
        assert_eq!(talk("Hello."), Some(SmallTalk::Hello));
        assert_eq!(talk("oh hi good morning"), Some(SmallTalk::Hello));
        assert_eq!(talk("hello?"), Some(SmallTalk::AreYouThere));
        assert_eq!(talk("hello is anyone there"), Some(SmallTalk::AreYouThere));
        assert_eq!(talk("are you still there"), Some(SmallTalk::AreYouThere));
        assert_eq!(talk("what?"), Some(SmallTalk::Repeat));
        assert_eq!(talk("sorry can you repeat that"), Some(SmallTalk::Repeat));
        assert_eq!(talk("sorry say again"), Some(SmallTalk::Repeat));
        assert_eq!(
            talk("sorry my dog was barking could you repeat that"),
            Some(SmallTalk::Repeat)
        );
        assert_eq!(
            talk("the kids are screaming here say that again please"),
            Some(SmallTalk::Repeat)
        );
        assert_eq!(talk("do you take visa can you repeat that"), None);
        assert_eq!(
            talk("i want to cancel my appointment can you repeat that"),
            None
        );
        assert_eq!(talk("i didn't catch that"), Some(SmallTalk::Repeat));
        assert_eq!(talk("are you a robot"), Some(SmallTalk::WhoAmITalkingTo));
        assert_eq!(
            talk("wait am i talking to a real person"),
            Some(SmallTalk::WhoAmITalkingTo)
        );
        assert_eq!(talk("how are you today"), Some(SmallTalk::HowAreYou));
    }

    #[test]
    fn small_talk_with_a_request_is_the_request() {
        for text in [
            "hi i need to book a cleaning",
            "hello my name is dana",
            "what time do you close",
            "what do you charge for a cleaning",
            "can i talk to a real person",
            "hi yes my toilet is overflowing",
        ] {
            assert_eq!(talk(text), None, "{text}");
        }
    }
}
