//! The LLM's reading of one utterance: its JSON shape (sent as the response
//! schema), and its translation into an [`Interpretation`], checked field by
//! field. Nothing the LLM says is taken on trust: an unknown intent makes the
//! whole reading unusable, an unknown department is dropped, details go
//! through the rules' own normalisers, and an answer is spoken only when it
//! is grounded in the entries the LLM was shown.

use serde::Deserialize;
use serde_json::json;

use super::prompt::Material;
use super::speakable;
use crate::ai::brain::Heard;
use crate::ai::rules::{extract_phone, is_valid_email};
use crate::conversation::interpretation::{
    Details, GroundedAnswer, HoursAsked, Intent, Interpretation, SmallTalk,
};

/// The reading as the LLM writes it. Every field is required by the schema;
/// defaults only help servers that follow a schema given in the prompt
/// loosely.
#[derive(Debug, Deserialize)]
pub struct Reading {
    intent: String,
    #[serde(default)]
    hours: Option<String>,
    #[serde(default)]
    small_talk: Option<String>,
    #[serde(default)]
    department: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    answer: Option<String>,
    #[serde(default)]
    entries: Vec<i64>,
    #[serde(default)]
    urgent: bool,
    #[serde(default)]
    goodbye: bool,
    #[serde(default)]
    language: Option<String>,
}

const INTENTS: [&str; 13] = [
    "question",
    "hours",
    "location",
    "contact",
    "talk_to_person",
    "leave_message",
    "request",
    "emergency",
    "small_talk",
    "goodbye",
    "yes",
    "no",
    "unclear",
];
const HOURS: [&str; 13] = [
    "week",
    "now",
    "today",
    "tomorrow",
    "weekend",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "",
];
const SMALL_TALK: [&str; 5] = [
    "hello",
    "are_you_there",
    "repeat",
    "who_am_i_talking_to",
    "how_are_you",
];
const NAME_CHARS: usize = 60;
const REASON_CHARS: usize = 300;

/// The response schema (strict structured output: every field required,
/// absent values as null).
pub fn schema() -> (&'static str, serde_json::Value) {
    let text_or_null = json!({"type": ["string", "null"]});
    let schema = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["intent", "hours", "small_talk", "department", "name", "phone", "email",
                     "reason", "answer", "entries", "urgent", "goodbye", "language"],
        "properties": {
            "intent": {"type": "string", "enum": INTENTS},
            "hours": {"type": ["string", "null"], "enum": HOURS[..12].iter().map(|h| json!(h)).chain([json!(null)]).collect::<Vec<_>>()},
            "small_talk": {"type": ["string", "null"], "enum": SMALL_TALK.iter().map(|h| json!(h)).chain([json!(null)]).collect::<Vec<_>>()},
            "department": text_or_null,
            "name": text_or_null,
            "phone": text_or_null,
            "email": text_or_null,
            "reason": text_or_null,
            "answer": text_or_null,
            "entries": {"type": "array", "items": {"type": "integer"}},
            "urgent": {"type": "boolean"},
            "goodbye": {"type": "boolean"},
            "language": text_or_null,
        }
    });
    ("caller_turn", schema)
}

/// The completion's text as a reading, or why it is not one.
pub fn parse(content: &str) -> Result<Reading, String> {
    // Some servers wrap JSON mode output in a code fence.
    let json = content
        .trim()
        .trim_start_matches("```json")
        .trim_start_matches("```")
        .trim_end_matches("```")
        .trim();
    let reading: Reading =
        serde_json::from_str(json).map_err(|e| format!("not the JSON asked for: {e}"))?;
    if !INTENTS.contains(&reading.intent.as_str()) {
        return Err(format!("unknown intent `{}`", clip(&reading.intent)));
    }
    Ok(reading)
}

fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

impl Reading {
    /// The interpretation this reading gives, and whether its answer (if it
    /// offered one) was grounded. `rules` is the rules brain's reading of
    /// the same words: its answer is used when the LLM's is not grounded,
    /// and its details fill what the LLM did not give.
    pub fn interpret(
        self,
        heard: &Heard<'_>,
        material: &Material<'_>,
        rules: Interpretation,
    ) -> (Interpretation, bool) {
        let profile = heard.profile;
        let department = self.department.as_deref().and_then(|name| {
            let name = name.trim().to_lowercase();
            profile
                .departments
                .iter()
                .position(|d| d.name.trim().to_lowercase() == name)
        });
        let intent = match self.intent.as_str() {
            "question" => Intent::Question,
            "hours" => Intent::Hours(match self.hours.as_deref() {
                Some(asked) => hours_asked(asked),
                None => match rules.intent {
                    Intent::Hours(asked) => asked,
                    _ => HoursAsked::Week,
                },
            }),
            "location" => Intent::Location,
            "contact" => Intent::Contact,
            "talk_to_person" => Intent::TalkToPerson { department },
            "leave_message" => Intent::LeaveMessage,
            "request" => Intent::Request { department },
            "emergency" => Intent::Emergency,
            "small_talk" => Intent::SmallTalk(small_talk(self.small_talk.as_deref())),
            "goodbye" => Intent::Goodbye,
            "yes" => Intent::Yes,
            "no" => Intent::No,
            _ => Intent::Unclear,
        };
        // A threat to life the rules heard is never talked down.
        let intent = if rules.intent == Intent::Emergency {
            Intent::Emergency
        } else {
            intent
        };
        let urgent = (self.urgent || rules.urgent) && intent != Intent::Emergency;
        let details = Details {
            name: self
                .name
                .as_deref()
                .and_then(person_name)
                .or(rules.details.name),
            phone: self
                .phone
                .as_deref()
                .and_then(|p| extract_phone(p, heard.country_code))
                .or(rules.details.phone),
            email: self
                .email
                .as_deref()
                .map(|e| e.trim().to_lowercase())
                .filter(|e| is_valid_email(e))
                .or(rules.details.email),
            reason: self
                .reason
                .as_deref()
                .and_then(|r| speakable::plain(r, REASON_CHARS))
                .or(rules.details.reason),
        };
        let offered = self.answer.is_some();
        let answer = self
            .answer
            .as_deref()
            .and_then(|text| grounded(text, &self.entries, heard, material));
        let grounded = !offered || answer.is_some();
        let (answer, also) = match answer {
            Some(answer) => (Some(answer), Vec::new()),
            // The rules' own answer is an entry word for word: spoken when
            // the LLM's was not, or when the caller asked a question the
            // LLM did not answer.
            None if offered || intent == Intent::Question => (rules.answer, rules.also),
            None => (None, Vec::new()),
        };
        let language = self
            .language
            .map(|l| l.trim().to_lowercase())
            .filter(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase()))
            .filter(|l| l != "en");
        let interpretation = Interpretation {
            intent,
            details,
            answer,
            also,
            text: rules.text,
            urgent,
            department: department.or(rules.department),
            goodbye: self.goodbye || rules.goodbye,
            language: language.or(rules.language),
            llm: None,
        };
        (interpretation, grounded)
    }
}

fn hours_asked(asked: &str) -> HoursAsked {
    match HOURS.iter().position(|h| *h == asked.trim().to_lowercase()) {
        Some(1) => HoursAsked::Now,
        Some(2) => HoursAsked::Today,
        Some(3) => HoursAsked::Tomorrow,
        Some(4) => HoursAsked::Weekend,
        Some(day @ 5..=11) => HoursAsked::Day(day - 5),
        _ => HoursAsked::Week,
    }
}

fn small_talk(kind: Option<&str>) -> SmallTalk {
    match kind.map(str::trim) {
        Some("are_you_there") => SmallTalk::AreYouThere,
        Some("repeat") => SmallTalk::Repeat,
        Some("who_am_i_talking_to") => SmallTalk::WhoAmITalkingTo,
        Some("how_are_you") => SmallTalk::HowAreYou,
        _ => SmallTalk::Hello,
    }
}

/// A person's name as the LLM heard it: letters, spaces, hyphens and
/// apostrophes, title-cased; anything else is not a name.
fn person_name(name: &str) -> Option<String> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.chars().count() <= NAME_CHARS
        && name
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.'))
        && name.chars().any(char::is_alphabetic);
    ok.then(|| {
        name.split_whitespace()
            .map(|word| {
                let mut chars = word.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                    None => String::new(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// The answer to speak, when it is speakable and grounded in entries the
/// LLM was shown: its numbers must be in them (or in the business's facts),
/// and it must be about what they say.
fn grounded(
    text: &str,
    entry_ids: &[i64],
    heard: &Heard<'_>,
    material: &Material<'_>,
) -> Option<GroundedAnswer> {
    let entries: Vec<_> = entry_ids
        .iter()
        .filter_map(|id| material.entry(*id))
        .collect();
    let first = entries.first()?;
    let spoken = speakable::plain(text, speakable::ANSWER_CHARS)?;
    let source: Vec<&str> = entries
        .iter()
        .flat_map(|e| [e.question.as_str(), e.answer.as_str()])
        .collect();
    let facts = speakable::profile_facts(heard.profile);
    if !speakable::numbers_grounded(&spoken, &source, &facts) {
        tracing::warn!("the LLM's answer holds a number its material does not; not spoken");
        return None;
    }
    if !speakable::about(&spoken, &source) {
        tracing::warn!("the LLM's answer is not about the entries it names; not spoken");
        return None;
    }
    Some(GroundedAnswer {
        entry_id: first.id,
        answer: spoken,
        score: 1.0,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::ai::rules::{KnowledgeEntry, KnowledgeIndex};
    use crate::ai::{Heard, RulesBrain};
    use crate::conversation::interpretation::Expecting;
    use crate::conversation::machine::fixtures::profile;
    use crate::conversation::profile::{LocalTime, TenantProfile};

    fn knowledge() -> KnowledgeIndex {
        KnowledgeIndex::build(vec![KnowledgeEntry {
            id: 7,
            question: "How much is a roof inspection?".into(),
            answer: "A roof inspection is 150 dollars, free with any repair.".into(),
            category: None,
            priority: 0,
            also_asked: Vec::new(),
        }])
    }

    /// The interpretation of `llm` (a reading's JSON) for `text`.
    fn read(text: &str, llm: serde_json::Value) -> (Interpretation, bool) {
        let (profile, index, lead) = (profile(), knowledge(), Details::default());
        read_with(&profile, &index, &lead, text, llm)
    }

    fn read_with(
        profile: &TenantProfile,
        index: &KnowledgeIndex,
        lead: &Details,
        text: &str,
        llm: serde_json::Value,
    ) -> (Interpretation, bool) {
        let heard = Heard {
            text,
            expecting: Expecting::Anything,
            profile,
            knowledge: index,
            country_code: 1,
            lead,
            topic: None,
            local_time: LocalTime::default(),
            open_now: true,
            recent: &[],
            model: None,
        };
        let material = Material::gather(&heard);
        let reading = parse(&llm.to_string()).unwrap();
        reading.interpret(&heard, &material, RulesBrain::hear(heard))
    }

    fn reading(intent: &str, fields: serde_json::Value) -> serde_json::Value {
        let mut base = json!({"intent": intent});
        for (k, v) in fields.as_object().unwrap() {
            base[k] = v.clone();
        }
        base
    }

    #[test]
    fn a_grounded_answer_is_spoken_in_the_llms_words() {
        let (heard, grounded) = read(
            "how much do you charge to look at my roof",
            reading(
                "question",
                json!({"answer": "An inspection is 150 dollars, and it's free if we do the repair.", "entries": [7]}),
            ),
        );
        assert!(grounded);
        let answer = heard.answer.unwrap();
        assert_eq!(answer.entry_id, 7);
        assert_eq!(
            answer.answer,
            "An inspection is 150 dollars, and it's free if we do the repair."
        );
    }

    #[test]
    fn an_answer_with_a_price_or_an_entry_it_was_not_shown_is_replaced_by_the_entry() {
        for llm in [
            reading(
                "question",
                json!({"answer": "An inspection is 99 dollars.", "entries": [7]}),
            ),
            reading(
                "question",
                json!({"answer": "An inspection is 150 dollars.", "entries": [8]}),
            ),
            reading(
                "question",
                json!({"answer": "An inspection is 150 dollars.", "entries": []}),
            ),
        ] {
            let (heard, grounded) = read("how much is a roof inspection", llm.clone());
            assert!(!grounded, "{llm}");
            let answer = heard.answer.unwrap();
            assert_eq!(
                answer.answer, "A roof inspection is 150 dollars, free with any repair.",
                "{llm}"
            );
        }
    }

    #[test]
    fn departments_must_exist_and_details_are_normalised() {
        let (heard, _) = read(
            "put me through to billing, I'm john o'neil, 555 123 4567, JOHN@Example.COM",
            reading(
                "talk_to_person",
                json!({"department": "billing", "name": "john o'neil",
                "phone": "555-123-4567", "email": "JOHN@Example.COM"}),
            ),
        );
        assert_eq!(
            heard.intent,
            Intent::TalkToPerson {
                department: Some(0)
            }
        );
        assert_eq!(heard.details.name.as_deref(), Some("John O'neil"));
        assert_eq!(heard.details.phone.as_deref(), Some("+15551234567"));
        assert_eq!(heard.details.email.as_deref(), Some("john@example.com"));

        let (heard, _) = read(
            "get me your legal team",
            reading(
                "talk_to_person",
                json!({"department": "Legal", "name": "<b>Robert'); DROP TABLE</b>",
                "email": "not an email"}),
            ),
        );
        assert_eq!(heard.intent, Intent::TalkToPerson { department: None });
        assert_eq!(heard.details.name, None);
        assert_eq!(heard.details.email, None);
    }

    #[test]
    fn a_threat_to_life_the_rules_hear_is_never_talked_down() {
        let (heard, _) = read(
            "there's a fire in the kitchen and my husband isn't breathing",
            reading("request", json!({"reason": "a fire"})),
        );
        assert_eq!(heard.intent, Intent::Emergency);
        assert!(!heard.urgent);
    }

    #[test]
    fn unknown_intents_and_broken_json_are_not_readings() {
        assert!(parse(r#"{"intent": "transfer_money"}"#).is_err());
        assert!(parse("Sure! I can help with that.").is_err());
        assert!(parse("```json\n{\"intent\": \"yes\"}\n```").is_ok());
    }

    #[test]
    fn hours_and_small_talk_kinds_are_read() {
        let (heard, _) = read(
            "are you open on sunday",
            reading("hours", json!({"hours": "sunday"})),
        );
        assert_eq!(heard.intent, Intent::Hours(HoursAsked::Day(6)));
        let (heard, _) = read(
            "sorry what",
            reading("small_talk", json!({"small_talk": "repeat"})),
        );
        assert_eq!(heard.intent, Intent::SmallTalk(SmallTalk::Repeat));
        let (heard, _) = read(
            "hola necesito ayuda",
            reading("unclear", json!({"language": "ES"})),
        );
        assert_eq!(heard.language.as_deref(), Some("es"));
        let (heard, _) = read("hello", reading("small_talk", json!({"language": "en"})));
        assert_eq!(heard.language, None);
    }
}
