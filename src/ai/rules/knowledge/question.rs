//! Reading the shape of what a caller asked: where one question ends and the
//! next begins ("how much is a cleaning and do you take delta"), what kind
//! of answer is wanted ("who", "how long", "how much"), and whether it leans
//! on the previous answer ("is that included?", "what about cats?").

use std::ops::Range;

use super::super::normalize::Word;
use super::lexicon::{Kind, Token, tokens};
use super::vocabulary::{DURATION_WORDS, FREQUENCY_WORDS, PLACE_WORDS, TIME_WORDS};

/// Kinds of answer, as a small bit set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Focus(u8);

impl Focus {
    pub const PRICE: Focus = Focus(1);
    pub const PERSON: Focus = Focus(2);
    pub const TIME: Focus = Focus(4);
    pub const DURATION: Focus = Focus(8);
    pub const PLACE: Focus = Focus(16);
    pub const FREQUENCY: Focus = Focus(32);

    pub fn with(self, other: Focus) -> Focus {
        Focus(self.0 | other.0)
    }

    pub fn covers(self, wanted: Focus) -> bool {
        self.0 & wanted.0 == wanted.0
    }
}

/// Words a caller says before the question proper ("yeah so I was just
/// wondering if you could tell me ..."), skipped to find how it starts.
#[rustfmt::skip]
const PREAMBLE: &[&str] = &[
    "yeah", "yes", "so", "and", "ok", "okay", "well", "oh", "hi", "hello", "hey", "also", "but", "then",
    "alright", "sorry", "quick", "question", "i", "im", "was", "just", "wanted", "want", "to", "know",
    "wondering", "curious", "could", "can", "you", "tell", "me", "let", "please", "do", "if", "id",
    "like", "ask", "asking", "would", "um", "uh", "another", "one", "more", "other", "thing", "great",
];

/// Words that start a question.
#[rustfmt::skip]
const OPENERS: &[&str] = &[
    "do", "does", "did", "is", "are", "can", "could", "will", "would", "should", "what", "whats", "how",
    "hows", "when", "where", "wheres", "who", "whos", "which", "any", "if", "have", "has",
];

/// Words that make the words before a question a question of their own.
#[rustfmt::skip]
const VERBS: &[&str] = &[
    "is", "are", "was", "do", "does", "did", "can", "could", "will", "would", "should", "have", "has",
    "isnt", "arent", "dont", "doesnt", "to", "whats", "hows", "wheres", "whos",
];

/// Words that join two questions.
const JOINERS: &[&str] = &["and", "also", "plus"];

/// Words that point back at what was just said.
const ANAPHORS: &[&str] = &[
    "that", "it", "this", "those", "these", "them", "they", "one",
];

/// The first word of `words` past the preamble.
fn start(words: &[Word<'_>]) -> usize {
    words
        .iter()
        .position(|w| !PREAMBLE.contains(&w.key.as_str()))
        .unwrap_or(words.len())
}

fn keys_at<'w>(words: &'w [Word<'_>], at: usize, n: usize) -> Vec<&'w str> {
    words
        .iter()
        .skip(at)
        .take(n)
        .map(|w| w.key.as_str())
        .collect()
}

/// What kind of answer the question asks for.
pub(super) fn focus(words: &[Word<'_>], tokens: &[(usize, Token)]) -> Focus {
    let mut focus = Focus::default();
    if tokens
        .iter()
        .any(|(_, t)| t.weight_of("#price").is_some_and(|w| w >= 1.0))
    {
        focus = focus.with(Focus::PRICE);
    }
    let keys: Vec<&str> = words.iter().map(|w| w.key.as_str()).collect();
    let has = |phrase: &[&str]| keys.windows(phrase.len()).any(|w| w == phrase);
    if has(&["how", "long"]) {
        focus = focus.with(Focus::DURATION);
    }
    if has(&["how", "often"]) {
        focus = focus.with(Focus::FREQUENCY);
    }
    if [
        &["what", "time"][..],
        &["what", "day"],
        &["what", "days"],
        &["how", "soon"],
        &["how", "early"],
        &["how", "late"],
        &["how", "quick"],
        &["how", "quickly"],
        &["how", "fast"],
    ]
    .iter()
    .any(|p| has(p))
    {
        focus = focus.with(Focus::TIME);
    }
    if keys.iter().any(|k| matches!(*k, "name" | "names")) {
        focus = focus.with(Focus::PERSON);
    }
    // "Who", "when" and "where" ask for a person, time or place only when
    // the question starts with them ("my son who is three" does not).
    let first = start(words);
    // "Which doctor ...", "what vet ...".
    let role_next = tokens
        .iter()
        .any(|(at, t)| *at == first + 1 && t.weight_of("#person").is_some_and(|w| w >= 1.0));
    if role_next && matches!(keys_at(words, first, 1).as_slice(), ["which" | "what"]) {
        focus = focus.with(Focus::PERSON);
    }
    // "When I pick up my car, can I pay with a check?": a clause saying
    // when or where, then the question; it asks for no time or place.
    let subordinate = words.get(first + 1).is_some_and(|w| {
        SUBJECTS.contains(&w.key.as_str())
            || matches!(
                w.key.as_str(),
                "the" | "a" | "you" | "youre" | "your" | "it" | "its" | "they" | "this"
            )
    }) && (first + 2..words.len()).any(|at| opens_at(words, at));
    match keys_at(words, first, 1).first().copied() {
        Some("who" | "whos" | "whom" | "whose") => focus = focus.with(Focus::PERSON),
        Some("when" | "whens") if !subordinate => focus = focus.with(Focus::TIME),
        Some("where" | "wheres") if !subordinate => focus = focus.with(Focus::PLACE),
        _ => {}
    }
    focus
}

/// Words that start a statement of the caller's own ("i", "my car",
/// "somebody backed into me").
#[rustfmt::skip]
const SUBJECTS: &[&str] = &[
    "i", "im", "ive", "id", "my", "we", "weve", "our", "somebody", "someone", "he", "hes", "she",
    "shes", "his", "her", "theyre",
];

/// What kinds of answer an entry gives, from its question phrasings (all of
/// their words) and its answer (words and raw text).
pub(super) fn provides(
    questions: &[Vec<Word<'_>>],
    question_tokens: &[Token],
    answer_text: &str,
    answer_words: &[Word<'_>],
    answer_tokens: &[Token],
) -> Focus {
    let mut focus = Focus::default();
    let strong = |tokens: &[Token], concept: &str| {
        tokens
            .iter()
            .any(|t| t.weight_of(concept).is_some_and(|w| w >= 1.0))
    };
    let asked = |keys: &[&str]| {
        questions
            .iter()
            .flatten()
            .any(|w| keys.contains(&w.key.as_str()))
    };
    let answered = |list: &[&str]| answer_words.iter().any(|w| list.contains(&w.key.as_str()));
    let question_focus = questions
        .iter()
        .fold(Focus::default(), |f, words| f.with(self::focus(words, &[])));

    let money = answer_text.contains(['$', '£', '€']);
    if money
        || ["#price", "#discount"]
            .iter()
            .any(|c| strong(question_tokens, c) || strong(answer_tokens, c))
    {
        focus = focus.with(Focus::PRICE);
    }
    if asked(&["who", "whom", "whose"])
        || strong(question_tokens, "#person")
        || names_a_doctor(answer_words)
    {
        focus = focus.with(Focus::PERSON);
    }
    let timely = ["#hours", "#weekend", "#afterhours", "#sameday"]
        .iter()
        .any(|c| strong(question_tokens, c) || strong(answer_tokens, c));
    if timely || asked(&["when"]) || answered(TIME_WORDS) {
        focus = focus.with(Focus::TIME);
    }
    if answered(DURATION_WORDS) || strong(answer_tokens, "#sameday") {
        focus = focus.with(Focus::DURATION);
    }
    if answered(FREQUENCY_WORDS) {
        focus = focus.with(Focus::FREQUENCY);
    }
    let placed = ["#location", "#park", "#area"]
        .iter()
        .any(|c| strong(question_tokens, c));
    if placed || asked(&["where"]) || answered(PLACE_WORDS) {
        focus = focus.with(Focus::PLACE);
    }
    focus.with(question_focus)
}

/// "Dr. Chen", "Doctor Patel": the answer names a person.
fn names_a_doctor(words: &[Word<'_>]) -> bool {
    words.windows(2).any(|pair| {
        matches!(pair[0].key.as_str(), "dr" | "doctor")
            && pair[1].raw.chars().next().is_some_and(char::is_uppercase)
    })
}

/// The question leans on what was said before: "is that included?", "what
/// about cats?", "do you do that on weekends too?".
pub(super) fn leans_on_previous(words: &[Word<'_>]) -> bool {
    let keys: Vec<&str> = words.iter().map(|w| w.key.as_str()).collect();
    let lead = keys_at(words, start(words), 2);
    let elliptical = matches!(lead.as_slice(), ["what" | "how", "about"])
        || matches!(
            keys.as_slice(),
            ["and", "for" | "on" | "with" | "in" | "about", ..]
        );
    let trails = matches!(keys.last(), Some(&("too" | "either" | "also")))
        || keys.ends_with(&["as", "well"]);
    // "That" right after a noun starts a relative clause ("a shuttle that
    // can take me to work"), it points back at nothing.
    let points_back = keys.iter().enumerate().any(|(at, k)| {
        ANAPHORS.contains(k)
            && (at == 0
                || super::lexicon::is_stop_word(keys[at - 1])
                || !matches!(*k, "that" | "which"))
    });
    elliptical || trails || points_back
}

/// Where the question proper may start in an utterance that first says
/// what happened ("my cat's teeth are really bad, do you do dentals?"): the
/// question openers after a statement, last first.
pub(super) fn asked_parts(words: &[Word<'_>]) -> Vec<usize> {
    let topic_at: Vec<usize> = tokens(words)
        .into_iter()
        .filter(|(_, t)| t.kind == Kind::Topic)
        .map(|(at, _)| at)
        .collect();
    let said_at: Vec<usize> = tokens(words).into_iter().map(|(at, _)| at).collect();
    (1..words.len())
        .rev()
        .filter(|&at| {
            opens_at(words, at)
                && said_at.iter().any(|&t| t < at)
                && topic_at.iter().any(|&t| t >= at)
        })
        .collect()
}

/// The utterance asks something somewhere, rather than only saying what the
/// caller wants ("a message for Mr Whitaker please").
pub(super) fn asks_anything(words: &[Word<'_>]) -> bool {
    asks(words) || (0..words.len()).any(|at| opens_at(words, at))
}

/// A question starts at `words[at]` ("do you", "is there", "how much").
fn opens_at(words: &[Word<'_>], at: usize) -> bool {
    let next = words.get(at + 1).map(|w| w.key.as_str());
    matches!(
        (words[at].key.as_str(), next),
        (
            "do" | "does" | "can" | "could" | "will" | "would",
            Some("you" | "yall" | "they" | "i" | "we")
        ) | (
            "are" | "is",
            Some("you" | "there" | "yall" | "it" | "that" | "this")
        ) | ("how", Some("much" | "long" | "often"))
            | ("if" | "whether", Some("you" | "there"))
            | ("what" | "whats" | "where" | "when" | "who" | "which", _)
    )
}

/// The unknown word at `at` names a value rather than a topic: the place in
/// "is woodbury too far" or "do you come out to woodbury" (when the question
/// is about the area served), or the thing in "a refill of his apoquel" (a
/// known topic, then "of"/"for"). The entry that answers the topic answers
/// for the value too ("we serve ...", "refills take a day").
pub(super) fn names_a_value(
    words: &[Word<'_>],
    at: usize,
    asks_area: bool,
    known_topic_at: impl Fn(usize) -> bool,
) -> bool {
    const DETERMINERS: &[&str] = &[
        "a", "an", "the", "his", "her", "my", "our", "their", "your", "its",
    ];
    let before = |n: usize| at.checked_sub(n).map(|i| words[i].key.as_str());
    let preposition_at = if before(1).is_some_and(|k| DETERMINERS.contains(&k)) {
        2
    } else {
        1
    };
    let preposition = before(preposition_at);
    let placed = matches!(
        preposition,
        Some("in" | "to" | "near" | "from" | "at" | "around")
    );
    if asks_area && (placed || at == 0 || before(1) == Some("live")) {
        return true;
    }
    matches!(preposition, Some("of" | "for"))
        && at
            .checked_sub(preposition_at + 1)
            .is_some_and(&known_topic_at)
}

/// Topic tokens: what the words are about.
pub(super) fn topics(words: &[Word<'_>]) -> usize {
    tokens(words)
        .iter()
        .filter(|(_, t)| t.kind == Kind::Topic)
        .count()
}

/// Where one question ends and the next begins, as word ranges. A joiner
/// ("and", "also", "plus") or a new question opener ("... do you take
/// Delta?") starts a new question when the words before it already asked
/// about something and the words after it ask about something else.
pub(super) fn questions(words: &[Word<'_>]) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut begin = 0;
    let mut at = 1;
    while at < words.len() {
        let boundary = if words[at - 1].clause_end {
            Some(at)
        } else {
            split_before(words, begin, at)
        };
        match boundary {
            Some(cut)
                if asks_anything(&words[begin..cut])
                    && topics(&words[begin..cut]) > 0
                    && opens_question(&words[cut..])
                    && topics(&words[cut..]) > 0 =>
            {
                parts.push(begin..cut);
                begin = cut;
                at = cut + 1;
            }
            _ => at += 1,
        }
    }
    if begin < words.len() {
        parts.push(begin..words.len());
    }
    parts
}

/// Words a caller starts a question with before the question itself.
const DISCOURSE: &[&str] = &[
    "yeah", "yes", "so", "and", "ok", "okay", "well", "oh", "hi", "hello", "hey", "also", "but",
    "alright", "um", "uh", "sorry", "just", "quick", "question", "great", "then",
];

/// The words are a question ("how much is a cleaning", "i was wondering if
/// you ..."), not a statement ("i don't have insurance").
fn asks(words: &[Word<'_>]) -> bool {
    let first = words
        .iter()
        .find(|w| !DISCOURSE.contains(&w.key.as_str()))
        .map(|w| w.key.as_str());
    first.is_some_and(|k| OPENERS.contains(&k))
        || words.windows(2).any(|pair| {
            matches!(
                (pair[0].key.as_str(), pair[1].key.as_str()),
                (
                    "wondering" | "know" | "ask" | "curious" | "wanted" | "see",
                    "if" | "whether"
                )
            )
        })
}

/// A joiner at `at` followed by a question, or a question opener right
/// after a question that already named its topic.
fn split_before(words: &[Word<'_>], begin: usize, at: usize) -> Option<usize> {
    let key = words[at].key.as_str();
    if JOINERS.contains(&key) {
        return Some(at);
    }
    let next = words.get(at + 1).map(|w| w.key.as_str());
    let opener_pair = matches!(
        (key, next),
        (
            "do" | "does" | "can" | "could" | "will" | "would",
            Some("you" | "yall" | "they")
        ) | ("are" | "is", Some("you" | "there" | "it" | "that" | "yall"))
            | ("how", Some("much" | "long" | "often" | "about"))
            | ("what" | "whats" | "which", _)
            | (
                "where" | "when" | "who",
                Some("is" | "are" | "do" | "does" | "can" | "should" | "would")
            )
    );
    // The words before are a question of their own ("how much is a
    // cleaning"), not the start of this one ("what age do you ...").
    let before = &words[begin..at];
    let asked_before = before.iter().any(|w| OPENERS.contains(&w.key.as_str()))
        && before.iter().any(|w| VERBS.contains(&w.key.as_str()));
    (opener_pair && asked_before).then_some(at)
}

/// The words start (past joiners and preamble) with a question opener, or
/// are short enough to be an elliptical one ("and parking?").
fn opens_question(words: &[Word<'_>]) -> bool {
    let skipped = words
        .iter()
        .position(|w| !JOINERS.contains(&w.key.as_str()) && w.key != "oh" && w.key != "um")
        .unwrap_or(words.len());
    let rest = &words[skipped..];
    let opener = rest
        .iter()
        .take(5)
        .any(|w| OPENERS.contains(&w.key.as_str()));
    opener || (rest.len() <= 3 && words.first().is_some_and(|w| w.key == "and"))
}

/// Words after which a subject pronoun continues the question ("can I",
/// "do we", "if my", "that I") instead of starting a statement.
#[rustfmt::skip]
const BINDING: &[&str] = &[
    "can", "could", "do", "does", "did", "should", "would", "will", "am", "are", "is", "was", "were",
    "if", "when", "where", "what", "whats", "how", "who", "which", "that", "so", "and", "because",
    "whether", "may", "might", "have", "has", "had", "to", "for", "with", "about", "as", "than",
    "like", "since", "while", "after", "before", "until", "or", "but", "then", "get", "let", "make",
    "help", "tell", "give", "see", "of", "in", "on", "at", "from", "by", "into",
];

/// The caller's people, who start a statement after a question ("... my
/// mom needs a lawyer").
#[rustfmt::skip]
const FAMILY: &[&str] = &[
    "mom", "mother", "dad", "father", "wife", "husband", "son", "daughter", "kid", "kids", "boss",
    "friend", "neighbor", "sister", "brother", "grandma", "grandpa", "parents", "partner", "wifes",
    "husbands",
];

/// Where the question proper ends when the caller goes on after it: an
/// alternative ("do you work on teslas or just regular cars") or a
/// statement of their own ("is the pfd taxable i never know ...", "do you
/// fix dents somebody backed into me"). The words before must ask about
/// something.
pub(super) fn question_end(words: &[Word<'_>]) -> Option<usize> {
    (2..words.len()).find(|&at| {
        let key = words[at].key.as_str();
        let previous = words[at - 1].key.as_str();
        // "Filed my motion": a possessive after a verb is its object; after
        // "there" it starts a statement ("... done there my registration's due").
        let possessive = matches!(key, "my" | "our" | "his" | "her");
        let after_noun = at >= 2
            && matches!(
                words[at - 2].key.as_str(),
                "a" | "an" | "the" | "any" | "some" | "your"
            );
        // "... speak spanish my mom needs a lawyer": a person of the
        // caller's after an unbound word starts a statement about them.
        let a_person = words
            .get(at + 1)
            .is_some_and(|w| FAMILY.contains(&w.key.as_str()))
            && !BINDING.contains(&previous);
        let subject = if possessive {
            after_noun
                || a_person
                || matches!(
                    previous,
                    "there" | "here" | "too" | "anyway" | "though" | "yet" | "now"
                )
        } else {
            SUBJECTS.contains(&key) && !BINDING.contains(&previous)
        };
        let starts = key == "or" || subject || words[at - 1].clause_end;
        starts && asks_anything(&words[..at]) && topics(&words[..at]) > 0
    })
}
