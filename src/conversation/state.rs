//! The call's state machine vocabulary: states, the per-call memory persisted
//! with them, the events that drive them and the decisions `step` returns.

use serde::{Deserialize, Serialize};

use super::interpretation::{Details, Expecting, Interpretation};
use super::profile::TenantProfile;

/// Persisted by name (`as_str` / `parse`) in `calls.state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StateName {
    Greeting,
    Intent,
    Faq,
    TransferAttempt,
    LeadCapture,
    Confirmation,
    WrapUp,
    Ended,
}

impl StateName {
    pub const ALL: [StateName; 8] = [
        StateName::Greeting,
        StateName::Intent,
        StateName::Faq,
        StateName::TransferAttempt,
        StateName::LeadCapture,
        StateName::Confirmation,
        StateName::WrapUp,
        StateName::Ended,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StateName::Greeting => "greeting",
            StateName::Intent => "intent",
            StateName::Faq => "faq",
            StateName::TransferAttempt => "transfer_attempt",
            StateName::LeadCapture => "lead_capture",
            StateName::Confirmation => "confirmation",
            StateName::WrapUp => "wrap_up",
            StateName::Ended => "ended",
        }
    }

    pub fn parse(name: &str) -> Option<StateName> {
        StateName::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// Which lead detail is being collected or corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeadField {
    Name,
    Phone,
    Email,
    Reason,
}

/// A yes/no question the receptionist asked and is waiting on, so that a bare
/// "yes" or "no" means the right thing on the next turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Offer {
    /// "Would you like me to connect you with someone?" (to `transfer_department`).
    Transfer,
    /// "Would you like me to take a message?"
    Message,
    /// "Is there anything else I can help with?"
    MoreHelp,
}

/// Everything the conversation remembers between turns; stored as JSON on the
/// call row so any instance can serve the next turn. Missing fields default,
/// so memory saved by an older version still loads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CallMemory {
    /// Lead details captured so far.
    pub lead: Details,
    /// True once the caller confirmed the callback number (offered or spoken).
    pub phone_confirmed: bool,
    /// True once the caller was asked for an email (it is optional: a "no" skips it).
    pub email_asked: bool,
    /// What the last prompt asked for.
    pub expecting: Expecting,
    /// Field currently awaiting a yes/no confirmation (e.g. the offered caller-ID number).
    pub confirming: Option<LeadField>,
    /// Unclear or unanswerable utterances in a row (3 → offer a person or a message).
    pub failed_attempts: u8,
    /// Consecutive silent turns (re-prompt at most twice, then close).
    pub silences: u8,
    /// Department index being transferred to, if any.
    pub transfer_department: Option<usize>,
    /// A transfer was attempted and did not connect (don't offer it again).
    pub transfer_failed: bool,
    /// The lead was saved (confirmed by the caller).
    pub lead_saved: bool,
    /// The last thing the receptionist said, for "sorry, can you repeat that?".
    pub last_prompt: String,
    /// The yes/no offer awaiting an answer, if any.
    pub pending_offer: Option<Offer>,
    /// The caller said the offered caller-ID number is not the one to call back.
    pub caller_number_declined: bool,
    /// Field whose corrected value is awaited after a "no" at confirmation.
    pub correcting: Option<LeadField>,
}

/// Result of a `<Dial>` as Twilio reports it in `DialCallStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DialOutcome {
    Completed,
    Busy,
    NoAnswer,
    Failed,
    Canceled,
}

/// What happened since the last turn.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The call just arrived (`/twilio/voice`).
    CallStarted,
    /// The caller said something.
    Speech(Interpretation),
    /// The `<Gather>` ended with no speech.
    Silence,
    /// A `<Dial>` finished.
    TransferEnded(DialOutcome),
}

/// Facts about the world at this turn; `step` reads no clock and does no I/O.
#[derive(Debug, Clone, Copy)]
pub struct TurnContext<'a> {
    pub profile: &'a TenantProfile,
    /// Business hours evaluated by the caller of `step` in the tenant's timezone.
    pub open_now: bool,
    /// The caller's number when it is a real E.164 number (not withheld).
    pub caller_number: Option<&'a str>,
    /// Caller turns so far in this call, including this one.
    pub turn: u32,
    /// Seconds since the call started.
    pub elapsed_seconds: u32,
}

/// How a call ended (or is going), stored on the call row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Answered,
    Transferred,
    LeadCaptured,
    Emergency,
    HungUp,
    SpamBlocked,
    /// Refused because every line the tenant allows was taken.
    Busy,
    Abandoned,
}

impl Outcome {
    /// The outcome a call has after this turn: a turn that merely answered a
    /// question does not overwrite a message taken, a transfer or an
    /// emergency earlier in the call.
    pub fn merge(current: Option<Outcome>, new: Option<Outcome>) -> Option<Outcome> {
        match (current, new) {
            (Some(current), Some(Outcome::Answered)) => Some(current),
            (_, Some(new)) => Some(new),
            (current, None) => current,
        }
    }

    pub fn parse(value: &str) -> Option<Outcome> {
        use Outcome::*;
        [
            Answered,
            Transferred,
            LeadCaptured,
            Emergency,
            HungUp,
            SpamBlocked,
            Busy,
            Abandoned,
        ]
        .into_iter()
        .find(|o| o.as_str() == value)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Transferred => "transferred",
            Outcome::LeadCaptured => "lead_captured",
            Outcome::Emergency => "emergency",
            Outcome::HungUp => "hung_up",
            Outcome::SpamBlocked => "spam_blocked",
            Outcome::Busy => "busy",
            Outcome::Abandoned => "abandoned",
        }
    }
}

/// What the receptionist does next. Text is plain (never markup): the TwiML
/// renderer escapes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// Say the sentences, then listen for speech.
    Ask { say: Vec<String> },
    /// Say the sentences, then ring `number` (E.164).
    Transfer { say: Vec<String>, number: String },
    /// Say the sentences, then hang up.
    Hangup { say: Vec<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub state: StateName,
    pub memory: CallMemory,
    pub reply: Reply,
    /// Set when this turn decides how the call ends (or ended).
    pub outcome: Option<Outcome>,
    /// True on the turn the caller confirms the lead: persist it as complete.
    pub save_lead: bool,
    /// Speech hints for the next `<Gather>` (department names, the expected detail).
    pub hints: Vec<String>,
}
