//! What the brain understood from one caller utterance. Produced by a `Brain`
//! (rules or LLM), consumed by the pure state machine in `machine.rs`.

use serde::{Deserialize, Serialize};

/// What the caller wants, as far as one utterance tells.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Intent {
    /// A question for the knowledge base ("do you take walk-ins?").
    Question,
    /// "When are you open?", "are you open now?", "do you work Sundays?" —
    /// answered from the tenant's business hours for the day asked.
    Hours(HoursAsked),
    /// "Where are you?" — answered from the tenant's address.
    Location,
    /// "What's your email / phone number / website?" — answered from the profile.
    Contact,
    /// "Can I talk to someone / billing?" `department` is the index into
    /// `TenantProfile::departments` when the caller named (or described) one.
    TalkToPerson {
        department: Option<usize>,
    },
    /// "Take a message", "have someone call me back": a message, explicitly.
    LeaveMessage,
    /// Something staff handle: a booking, a quote, a visit, a problem looked
    /// at, an account matter. `department` is the department it belongs to,
    /// when one does. Put through when someone can take it, otherwise a
    /// message.
    Request {
        department: Option<usize>,
    },
    /// A threat to someone's life or safety ("someone is not breathing",
    /// "there's a fire"): the caller is told to call the emergency number.
    /// The business's own urgent work is not this but `urgent`.
    Emergency,
    /// Conversation upkeep that is not a request: "hi", "hello?", "what?",
    /// "are you a robot?".
    SmallTalk(SmallTalk),
    /// "Bye", "that's all", "nothing else".
    Goodbye,
    Yes,
    No,
    /// Nothing usable was understood.
    #[default]
    Unclear,
}

/// Which hours a caller asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HoursAsked {
    /// "What are your hours?": the whole week.
    Week,
    /// "Are you open now?", "are you still open?"
    Now,
    /// "What time do you close today?"
    Today,
    /// "Are you open tomorrow?"
    Tomorrow,
    /// "Do you work Sundays?": 0 = Monday … 6 = Sunday.
    Day(usize),
    /// "Are you open on the weekend?"
    Weekend,
}

/// Small talk the receptionist answers and then carries on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SmallTalk {
    /// "Hi", "hello", "good morning".
    Hello,
    /// "Hello?", "is anyone there?", "are you still there?"
    AreYouThere,
    /// "What?", "can you repeat that?", "sorry, say again?"
    Repeat,
    /// "Are you a robot?", "am I talking to a real person?", "who is this?"
    WhoAmITalkingTo,
    /// "How are you?"
    HowAreYou,
}

/// Contact details found in an utterance. Every field is already normalised:
/// `phone` is E.164 when a country can be inferred (`+15551234567`), otherwise
/// the bare digits; `email` is lower-case `local@domain`; `name` is title-cased.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Why the caller is calling, when the utterance states it
    /// ("I need a quote for a new roof" -> "a quote for a new roof").
    pub reason: Option<String>,
}

impl Details {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.phone.is_none() && self.email.is_none() && self.reason.is_none()
    }
}

/// A knowledge-base answer the brain grounded the reply in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroundedAnswer {
    /// Id of the knowledge entry (database id) the answer comes from.
    pub entry_id: i64,
    pub answer: String,
    pub score: f32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Interpretation {
    pub intent: Intent,
    pub details: Details,
    /// Best knowledge-base match, when one is confident enough to speak;
    /// the answer to the first question when the caller asked several.
    pub answer: Option<GroundedAnswer>,
    /// Answers to the further questions asked in the same breath ("how much
    /// is a cleaning, and do you take Delta?"), in the order asked.
    #[serde(default)]
    pub also: Vec<GroundedAnswer>,
    /// The caller's words, trimmed and with control characters removed.
    pub text: String,
    /// The caller describes the business's own urgent work (a burst pipe, a
    /// swollen jaw, a dog that ate chocolate, "it's urgent"), whatever else
    /// they asked: the message is flagged urgent and the business's
    /// emergency line is tried.
    #[serde(default)]
    pub urgent: bool,
    /// The department the utterance is about, by name, keyword or meaning,
    /// even when no person was asked for.
    #[serde(default)]
    pub department: Option<usize>,
    /// The caller also said goodbye ("yes that's right, thanks, bye").
    #[serde(default)]
    pub goodbye: bool,
    /// The caller spoke a language the receptionist does not converse in:
    /// its tag ("es").
    #[serde(default)]
    pub language: Option<String>,
    /// The LLM's part in this reading, when one took part: for the cost
    /// shown per turn and per call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub llm: Option<LlmUse>,
}

/// One LLM completion: which model, what it cost and how it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LlmUse {
    pub model: String,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub latency_ms: u32,
    /// `answered`; `invalid` (unusable output: the rules' reading was used);
    /// `ungrounded` (the spoken answer said what the material does not, so it
    /// was not spoken).
    pub outcome: LlmOutcome,
}

/// How an LLM completion was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LlmOutcome {
    Answered,
    Invalid,
    Ungrounded,
    Timeout,
    Error,
}

impl LlmOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            LlmOutcome::Answered => "answered",
            LlmOutcome::Invalid => "invalid",
            LlmOutcome::Ungrounded => "ungrounded",
            LlmOutcome::Timeout => "timeout",
            LlmOutcome::Error => "error",
        }
    }
}

/// What the receptionist just asked for, so that a bare "John Smith" or
/// "five five five ..." can be read as the detail that was requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Expecting {
    #[default]
    Anything,
    Name,
    Phone,
    Email,
    Reason,
    /// A yes/no answer (confirmation, "is this the best number?").
    YesNo,
    /// Which detail to change after a "no" at confirmation.
    Correction,
}
