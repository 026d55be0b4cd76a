//! What really happened on a call, read from what was said and stored rather
//! than from the stored outcome alone: a caller who said "hi" and "bye" is
//! recorded as `answered` by the conversation's closing, but nothing was
//! answered. The business is told what the transcript and the records show:
//! the questions answered from the knowledge base (by name), the transfer and
//! to whom, the message and whether it is urgent, the emergency instruction,
//! or a hang-up before anything.

use super::said::{says_something, words};
use crate::conversation::profile::OpenSpan;
use crate::conversation::speech;
use crate::conversation::state::{Outcome, StateName};

/// One transcript line as the derivation reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    pub by_caller: bool,
    pub text: &'a str,
    /// The stored state: for a caller line, the one they answered in; for
    /// the receptionist's, the one its reply led to.
    pub state: StateName,
}

/// What the business answers callers from, as the receptionist says it, to
/// recognise an answer in the transcript.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerSources {
    /// (question, answer) of each active knowledge entry.
    pub knowledge: Vec<(String, String)>,
    pub address: Option<String>,
    /// Email, phone and website as they are said.
    pub contact: Vec<String>,
    /// Every opening and closing time as it is said ("8 AM", "5:30 PM").
    pub hours: Vec<String>,
}

/// Fewer words than this are too common to recognise an answer by
/// ("Yes, we do.").
const MIN_ANSWER_WORDS: usize = 4;
/// An answer is recognised by its first words, so a shortened repeat of a
/// long answer still counts.
const ANSWER_PREFIX_WORDS: usize = 8;

impl AnswerSources {
    pub fn new(
        knowledge: Vec<(String, String)>,
        address: Option<&str>,
        contact: [Option<&str>; 3],
        hours: &[Option<OpenSpan>; 7],
    ) -> AnswerSources {
        let [email, phone, website] = contact.map(present);
        let contact = [
            email.map(speech::email_address),
            phone.map(speech::phone_number),
            website.map(speech::website),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut times: Vec<String> = hours
            .iter()
            .flatten()
            .flat_map(|span| {
                if span.open_minute == 0 && span.close_minute >= 24 * 60 {
                    vec!["24 hours".to_owned()]
                } else {
                    vec![
                        speech::time_of_day(span.open_minute),
                        speech::time_of_day(span.close_minute),
                    ]
                }
            })
            .collect();
        times.sort();
        times.dedup();
        AnswerSources {
            knowledge,
            address: present(address).map(str::to_owned),
            contact,
            hours: times,
        }
    }
}

/// What the receptionist answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Topic {
    /// A knowledge entry, by its question.
    Knowledge(String),
    Hours,
    Address,
    Contact,
}

/// How a transfer went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    /// The caller talked to a person.
    Connected,
    /// The dial ended without anyone picking up.
    NotAnswered,
    /// The call ended while it was being put through, with no word of the result.
    Unconfirmed,
}

/// How much the caller said.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CallerSpoke {
    /// Not a word.
    #[default]
    Silent,
    /// Only fillers, greetings or repair ("hello?", "what?").
    NothingUseful,
    /// Something a business would act on.
    Something,
}

/// The facts of an ended call the derivation reads.
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    pub outcome: Option<Outcome>,
    pub transcript: &'a [Line<'a>],
    /// `Some(confirmed)` when a message was stored.
    pub message: Option<bool>,
    pub urgent: bool,
    pub department: Option<&'a str>,
    /// A transfer rang and no one picked up.
    pub transfer_failed: bool,
    /// The number the receptionist tells callers to dial in an emergency.
    pub emergency_number: &'a str,
    pub business_name: &'a str,
}

/// What really happened on a call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Happened {
    /// What the receptionist answered, in the order asked.
    pub answered: Vec<Topic>,
    /// The receptionist could not answer a question and offered help instead.
    pub unanswered: bool,
    pub transfer: Option<Transfer>,
    /// `Some(confirmed)` when a message was left.
    pub message: Option<bool>,
    /// Told to hang up and call this number (a life-threatening emergency).
    pub told_to_call: Option<String>,
    /// The call was refused before any conversation.
    pub refused: Option<Outcome>,
    /// The caller's problem is the business's own urgent work.
    pub urgent: bool,
    /// The department asked for or routed to.
    pub department: Option<String>,
    pub caller: CallerSpoke,
}

pub fn what_happened(evidence: &Evidence<'_>, sources: &AnswerSources) -> Happened {
    let outcome = evidence.outcome;
    let transcript = evidence.transcript;
    // The greeting comes before anyone asked anything.
    let conversation = transcript
        .iter()
        .position(|l| l.by_caller)
        .map_or(&[][..], |first| &transcript[first..]);
    let said_by_receptionist = conversation.iter().filter(|l| !l.by_caller);
    let mut answered = Vec::new();
    for line in said_by_receptionist.clone() {
        for topic in answers_in(line.text, sources) {
            if !answered.contains(&topic) {
                answered.push(topic);
            }
        }
    }
    let attempted = said_by_receptionist
        .clone()
        .any(|l| l.state == StateName::TransferAttempt);
    let transfer = match outcome {
        Some(Outcome::Transferred) => Some(Transfer::Connected),
        _ if evidence.transfer_failed => Some(Transfer::NotAnswered),
        _ if attempted => Some(Transfer::Unconfirmed),
        _ => None,
    };
    let ignored: Vec<String> = words(evidence.business_name).collect();
    let unanswered = knowledge_questions(evidence, sources)
        .iter()
        .any(|question| !question.answered);
    let caller_lines: Vec<&Line> = transcript.iter().filter(|l| l.by_caller).collect();
    let caller = if caller_lines.iter().all(|l| l.text.trim().is_empty()) {
        CallerSpoke::Silent
    } else if caller_lines
        .iter()
        .any(|l| says_something(l.text, &ignored))
    {
        CallerSpoke::Something
    } else {
        CallerSpoke::NothingUseful
    };
    let emergency_number = evidence.emergency_number.trim();
    let happened = Happened {
        answered,
        unanswered,
        transfer,
        message: evidence.message,
        told_to_call: (outcome == Some(Outcome::Emergency)).then(|| {
            if emergency_number.is_empty() {
                "the local emergency number".to_owned()
            } else {
                emergency_number.to_owned()
            }
        }),
        refused: outcome.filter(|o| matches!(o, Outcome::SpamBlocked | Outcome::Busy)),
        urgent: evidence.urgent,
        department: evidence
            .department
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned),
        caller,
    };
    tracing::debug!(
        answered = happened.answered.len(),
        unanswered = happened.unanswered,
        transfer = ?happened.transfer,
        message = ?happened.message,
        urgent = happened.urgent,
        caller = ?happened.caller,
        "what happened on the call"
    );
    happened
}

/// A caller's line that needed the knowledge base, and how it was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnowledgeQuestion<'a> {
    pub text: &'a str,
    /// Answered from a knowledge entry; `false`: the receptionist offered
    /// help instead of an answer.
    pub answered: bool,
}

/// The caller's questions the receptionist answered from the knowledge base
/// or could not answer, in the order asked. A question went unanswered when
/// the receptionist offered help instead of an answer to something the
/// caller asked; "hello?" met with "I don't have that information" is the
/// receptionist's stumble, not a question the business left open.
pub fn knowledge_questions<'a>(
    evidence: &Evidence<'a>,
    sources: &AnswerSources,
) -> Vec<KnowledgeQuestion<'a>> {
    let ignored: Vec<String> = words(evidence.business_name).collect();
    let transcript = evidence.transcript;
    let conversation = transcript
        .iter()
        .position(|l| l.by_caller)
        .map_or(&[][..], |first| &transcript[first..]);
    conversation
        .windows(2)
        .filter(|pair| {
            pair[0].by_caller && !pair[1].by_caller && says_something(pair[0].text, &ignored)
        })
        .filter_map(|pair| {
            let answered = pair[1].state != StateName::Faq;
            let from_knowledge = answers_in(pair[1].text, sources)
                .iter()
                .any(|topic| matches!(topic, Topic::Knowledge(_)));
            (!answered || from_knowledge).then_some(KnowledgeQuestion {
                text: pair[0].text,
                answered,
            })
        })
        .collect()
}

fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// The topics one receptionist line answers.
fn answers_in(text: &str, sources: &AnswerSources) -> Vec<Topic> {
    let mut line = spaced(text);
    let mut found = Vec::new();
    for (question, answer) in &sources.knowledge {
        let answer_words: Vec<String> = words(answer).collect();
        if answer_words.len() < MIN_ANSWER_WORDS {
            continue;
        }
        let prefix = spaced_words(answer_words.iter().take(ANSWER_PREFIX_WORDS));
        if line.contains(&prefix) {
            found.push(Topic::Knowledge(question.clone()));
            // What else the line says is looked for without this answer, so
            // an answer that mentions a time is not also "the hours".
            line = line.replace(&spaced_words(answer_words.iter()), " ");
        }
    }
    let mentions = |phrase: &str| {
        let phrase = spaced(phrase);
        !phrase.trim().is_empty() && line.contains(&phrase)
    };
    if sources.hours.iter().any(|t| mentions(t)) {
        found.push(Topic::Hours);
    }
    if sources.address.as_deref().is_some_and(mentions) {
        found.push(Topic::Address);
    }
    if sources.contact.iter().any(|c| mentions(c)) {
        found.push(Topic::Contact);
    }
    found
}

/// `text` as its lower-case words, each with a space on either side, so a
/// phrase is found only as whole words.
fn spaced(text: &str) -> String {
    spaced_words(words(text))
}

fn spaced_words<S: AsRef<str>>(words: impl Iterator<Item = S>) -> String {
    let mut out = String::from(" ");
    for word in words {
        out.push_str(word.as_ref());
        out.push(' ');
    }
    out
}
