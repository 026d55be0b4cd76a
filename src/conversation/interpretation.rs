//! What the brain understood from one caller utterance. Produced by a `Brain`
//! (rules or LLM), consumed by the pure state machine in `machine.rs`.

use serde::{Deserialize, Serialize};

/// What the caller wants, as far as one utterance tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Intent {
    /// A question for the knowledge base ("do you take walk-ins?").
    Question,
    /// "When are you open?" — answered from the tenant's business hours.
    Hours,
    /// "Where are you?" — answered from the tenant's address.
    Location,
    /// "What's your email / phone number / website?" — answered from the profile.
    Contact,
    /// "Can I talk to someone / billing?" `department` is the index into
    /// `TenantProfile::departments` when the caller named (or described) one.
    TalkToPerson {
        department: Option<usize>,
    },
    /// Leave a message, call back, quote or appointment request.
    LeaveMessage,
    /// "It's an emergency", "someone is hurt".
    Emergency,
    /// "Bye", "that's all", "nothing else".
    Goodbye,
    Yes,
    No,
    /// Nothing usable was understood.
    Unclear,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
