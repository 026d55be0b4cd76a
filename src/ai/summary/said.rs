//! Which of a caller's lines say something. Speech recognition writes down
//! every "um", "yeah", "hello?" and "sorry, what?"; a business reading about
//! a call wants the lines that say what the caller needed.

use crate::conversation::state::StateName;

/// Fillers and hesitations.
#[rustfmt::skip]
const FILLERS: &[&str] = &[
    "um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "ahh", "oh", "hmm", "hm", "mm", "mhm",
    "like", "so", "well", "just", "actually", "basically", "anyway", "kinda", "gonna",
];

/// Acknowledgements and answers that need the question to mean anything.
#[rustfmt::skip]
const ACKNOWLEDGEMENTS: &[&str] = &[
    "yeah", "yes", "yep", "yup", "yea", "ya", "no", "nope", "nah", "ok", "okay", "okey",
    "alright", "right", "sure", "fine", "good", "great", "perfect", "cool", "awesome", "got",
    "sounds", "correct", "exactly", "absolutely",
];

/// Greetings, thanks and goodbyes.
#[rustfmt::skip]
const PLEASANTRIES: &[&str] = &[
    "hi", "hello", "hey", "hiya", "morning", "afternoon", "evening", "thanks", "thank", "cheers",
    "bye", "goodbye", "later", "take", "care", "day", "nice", "appreciate", "welcome",
];

/// Conversation repair and small talk about the call itself ("sorry, say
/// that again", "are you a robot", "is anyone there", "can I talk to
/// someone": a transfer is reported as such).
#[rustfmt::skip]
const REPAIR: &[&str] = &[
    "sorry", "pardon", "what", "huh", "repeat", "again", "say", "said", "catch", "hear", "heard",
    "hearing", "understand", "mean", "hold", "wait", "second", "sec", "minute", "moment",
    "robot", "bot", "machine", "human", "real", "automated", "computer", "anyone", "anybody",
    "someone", "somebody", "there", "still", "talking", "speaking", "line", "talk", "speak",
    "person", "please", "nothing", "else", "all", "that's", "thats",
];

/// The small words around them.
#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "i", "i'm", "im", "i've", "i'd", "i'll", "me", "my", "you", "you're", "your", "we", "us",
    "it", "it's", "its", "is", "are", "am", "was", "be", "been", "do", "does", "did", "can",
    "could", "would", "will", "should", "this", "that", "the", "a", "an", "and", "or", "but",
    "to", "of", "in", "on", "for", "with", "at", "if", "not", "don't", "dont", "didn't", "one",
    "how", "who", "why", "here", "now", "then", "too", "very", "much", "up", "out", "let", "get",
    "go", "have", "has", "had", "need", "want", "know", "think", "guess",
];

/// Words that say nothing a business would act on by themselves. A line
/// made only of these is not worth quoting.
const EMPTY_WORDS: [&[&str]; 5] = [
    FILLERS,
    ACKNOWLEDGEMENTS,
    PLEASANTRIES,
    REPAIR,
    FUNCTION_WORDS,
];

/// Whether `line` says anything beyond fillers, greetings and repair.
/// `ignored` are more words that carry nothing here (the business's own
/// name: "hello is this sunny dental?" is a greeting).
pub fn says_something(line: &str, ignored: &[String]) -> bool {
    words(line).any(|word| {
        !EMPTY_WORDS.iter().any(|set| set.contains(&word.as_str())) && !ignored.contains(&word)
    })
}

/// The lower-case words of `text`, apostrophes kept ("that's").
pub(crate) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .map(|w| {
            w.trim_matches(|c| c == '\'' || c == '\u{2019}')
                .replace('\u{2019}', "'")
        })
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
}

/// Whether a caller line answered a question while a message was being
/// taken (a name, a number, "yes" to the read-back): those details are
/// shown as the message, not quoted again.
pub fn answers_a_detail(state: StateName) -> bool {
    matches!(state, StateName::LeadCapture | StateName::Confirmation)
}

/// The caller's lines worth quoting, in order: said outside the message
/// taking and saying something, at most `max`. `business_name` is ignored
/// as content.
pub fn worth_quoting<'a>(
    lines: impl IntoIterator<Item = (&'a str, StateName)>,
    business_name: &str,
    max: usize,
) -> Vec<&'a str> {
    let ignored: Vec<String> = words(business_name).collect();
    let mut quoted: Vec<&str> = Vec::new();
    for (line, state) in lines {
        let line = line.trim();
        if quoted.len() == max {
            break;
        }
        if answers_a_detail(state) || !says_something(line, &ignored) {
            continue;
        }
        if !quoted.iter().any(|q| q.eq_ignore_ascii_case(line)) {
            quoted.push(line);
        }
    }
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn says(line: &str) -> bool {
        says_something(line, &words("Sunny Dental").collect::<Vec<_>>())
    }

    #[test]
    fn fillers_greetings_and_repair_say_nothing() {
        for line in [
            "yeah",
            "um",
            "hello?",
            "uh hi",
            "hi yeah",
            "hello is this sunny dental",
            "sorry what",
            "sorry say again",
            "can you repeat that",
            "what did you say",
            "are you a robot",
            "is this a real person",
            "is anyone there",
            "hold on one second",
            "okay thanks bye",
            "no that's all thank you",
            "nope i'm good",
            "yes please",
            "can i talk to someone",
            "",
            "...",
        ] {
            assert!(!says(line), "{line:?} says nothing");
        }
    }

    #[test]
    fn a_request_says_something_however_it_is_wrapped() {
        for line in [
            "yeah so um the water heater in the garage is leaking",
            "do you take walk-ins",
            "cancellation",
            "billing",
            "uh how much is a cleaning",
            "my molar is throbbing and my jaw is puffy",
            "um yeah i wanted to move my appointment to next week",
            "what time do you close on saturday",
            "can i talk to someone about my bill",
        ] {
            assert!(says(line), "{line:?} says something");
        }
    }

    #[test]
    fn quotes_skip_fillers_and_message_details_and_keep_the_order() {
        use StateName::*;
        let lines = [
            ("hello?", Greeting),
            ("yeah", Intent),
            ("um hi", Intent),
            ("yeah so my kitchen sink is backing up", Intent),
            ("jane doe", LeadCapture),
            ("five oh three five five five oh one four two", LeadCapture),
            ("yes that's right", Confirmation),
            ("oh and do you charge for the estimate", WrapUp),
            ("okay thanks bye", WrapUp),
        ];
        assert_eq!(
            worth_quoting(lines, "Drip Drop Plumbing", 3),
            [
                "yeah so my kitchen sink is backing up",
                "oh and do you charge for the estimate"
            ]
        );
        assert_eq!(
            worth_quoting(lines, "Drip Drop Plumbing", 1),
            ["yeah so my kitchen sink is backing up"]
        );
    }

    #[test]
    fn a_line_said_twice_is_quoted_once() {
        let lines = [
            ("my tooth is killing me", StateName::Intent),
            ("My tooth is killing me", StateName::Intent),
        ];
        assert_eq!(
            worth_quoting(lines, "Sunny Dental", 3),
            ["my tooth is killing me"]
        );
    }
}
