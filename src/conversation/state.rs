//! The call's state machine vocabulary: states, the per-call memory persisted
//! with them, the events that drive them and the decisions `step` returns.
//!
//! What the receptionist is waiting for *within* one state (an offer, the
//! detail being asked for, the detail being corrected) is data of that state
//! in `CallState`; what spans states (the lead, the counters, the last
//! prompt) is in `CallMemory`.

use serde::{Deserialize, Serialize};

use super::interpretation::{Details, Expecting, Interpretation};
use super::profile::{LocalTime, TenantProfile};

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

impl LeadField {
    /// What a caller's answer to "what's the correct <field>?" will hold.
    pub fn expecting(self) -> Expecting {
        match self {
            LeadField::Name => Expecting::Name,
            LeadField::Phone => Expecting::Phone,
            LeadField::Email => Expecting::Email,
            LeadField::Reason => Expecting::Reason,
        }
    }
}

/// A yes/no question the receptionist asked and is waiting on, so that a bare
/// "yes" or "no" means the right thing on the next turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Offer {
    /// "Would you like me to connect you with someone?"
    Transfer,
    /// "Would you like me to take a message?"
    Message,
    /// "Is there anything else I can help with?"
    MoreHelp,
}

/// The lead detail the receptionist last asked for while taking a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Asking {
    /// "May I have your name, please?"
    Name,
    /// "What's the best number to reach you?"
    Phone,
    /// "Is <caller ID> the best number to reach you?" or "I have <number>.
    /// Is that right?": a yes confirms the number, a no drops it.
    PhoneConfirmation,
    /// "Would you like to leave an email address too?" and, after a yes,
    /// "What's your email address?": in both an address is kept, a yes
    /// asks for it and a no skips it, so one sub-state serves both.
    Email,
    /// "And what's the reason for your call?"
    Reason,
}

/// What a "no" at the read-back led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Correction {
    /// "What should I change: your name, number, email, or the reason?"
    WhichDetail,
    /// "What's the correct <field>?"
    Detail(LeadField),
}

/// Where a call is, with what the receptionist is waiting for in that state
/// (DESIGN.md, the call state machine). `StateName` is its stored name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CallState {
    /// The call arrived; nothing has been said yet.
    #[default]
    Greeting,
    /// Working out what the caller needs, with the yes/no offer awaiting an
    /// answer, if any.
    Intent { offer: Option<Offer> },
    /// A question could not be answered; a person or a message was offered.
    Faq { offer: Offer },
    /// The caller is being put through to `department` (an index into the
    /// profile's departments) or, with none, to the main transfer number.
    TransferAttempt { department: Option<usize> },
    /// Taking a message, one detail at a time.
    LeadCapture { asking: Asking },
    /// The message was read back; `correcting` is set after a "no".
    Confirmation { correcting: Option<Correction> },
    /// The message was saved and "anything else?" asked.
    WrapUp,
    /// The call is over (hung up, put through, or ended by the receptionist).
    Ended,
}

impl CallState {
    pub fn name(&self) -> StateName {
        match self {
            CallState::Greeting => StateName::Greeting,
            CallState::Intent { .. } => StateName::Intent,
            CallState::Faq { .. } => StateName::Faq,
            CallState::TransferAttempt { .. } => StateName::TransferAttempt,
            CallState::LeadCapture { .. } => StateName::LeadCapture,
            CallState::Confirmation { .. } => StateName::Confirmation,
            CallState::WrapUp => StateName::WrapUp,
            CallState::Ended => StateName::Ended,
        }
    }

    /// The state of that name with nothing pending: no offer, the name asked
    /// for, the read-back awaiting a yes or no. For rows that store only the
    /// name; an `Faq` state always has an offer, and a message is the one
    /// that can always be taken.
    pub fn from_name(name: StateName) -> CallState {
        match name {
            StateName::Greeting => CallState::Greeting,
            StateName::Intent => CallState::Intent { offer: None },
            StateName::Faq => CallState::Faq {
                offer: Offer::Message,
            },
            StateName::TransferAttempt => CallState::TransferAttempt { department: None },
            StateName::LeadCapture => CallState::LeadCapture {
                asking: Asking::Name,
            },
            StateName::Confirmation => CallState::Confirmation { correcting: None },
            StateName::WrapUp => CallState::WrapUp,
            StateName::Ended => CallState::Ended,
        }
    }

    /// What the last prompt asked for, so the brain can read a bare answer
    /// ("John Smith", "yes") as the detail or the answer requested.
    pub fn expecting(&self) -> Expecting {
        match self {
            CallState::Intent {
                offer: Some(Offer::Transfer | Offer::Message),
            }
            | CallState::Faq {
                offer: Offer::Transfer | Offer::Message,
            } => Expecting::YesNo,
            CallState::LeadCapture { asking } => match asking {
                Asking::Name => Expecting::Name,
                Asking::Phone => Expecting::Phone,
                Asking::PhoneConfirmation => Expecting::YesNo,
                Asking::Email => Expecting::Email,
                Asking::Reason => Expecting::Reason,
            },
            CallState::Confirmation { correcting } => match correcting {
                None => Expecting::YesNo,
                Some(Correction::WhichDetail) => Expecting::Correction,
                Some(Correction::Detail(field)) => field.expecting(),
            },
            // "Anything else?" and "How can I help?" take any answer.
            CallState::Greeting
            | CallState::Intent {
                offer: None | Some(Offer::MoreHelp),
            }
            | CallState::Faq {
                offer: Offer::MoreHelp,
            }
            | CallState::TransferAttempt { .. }
            | CallState::WrapUp
            | CallState::Ended => Expecting::Anything,
        }
    }
}

/// Everything the conversation remembers across states; stored as JSON on the
/// call row so any instance can serve the next turn. Missing fields default
/// and unknown ones are ignored, so memory saved by an older version (which
/// also held what is now `CallState` data) still loads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CallMemory {
    /// Lead details captured so far.
    pub lead: Details,
    /// True once the caller confirmed the callback number (offered or spoken).
    pub phone_confirmed: bool,
    /// True once the caller was asked for an email (it is optional: a "no" skips it).
    pub email_asked: bool,
    /// Unclear or unanswerable utterances in a row (3 → offer a person or a message).
    pub failed_attempts: u8,
    /// Consecutive silent turns (re-prompt at most twice, then close).
    pub silences: u8,
    /// A transfer was attempted and did not connect (don't offer it again).
    pub transfer_failed: bool,
    /// The lead was saved (confirmed by the caller).
    pub lead_saved: bool,
    /// The last thing the receptionist said, for "sorry, can you repeat that?".
    pub last_prompt: String,
    /// The caller said the offered caller-ID number is not the one to call back.
    pub caller_number_declined: bool,
    /// The caller's problem is the business's own urgent work (a burst pipe,
    /// a swollen jaw): the message is flagged urgent for the business.
    pub urgent: bool,
    /// The department the caller asked for or described, by name, so the
    /// message says who it is for.
    pub department: Option<String>,
    /// What the receptionist said before its last question (an answer, an
    /// apology), for "sorry, can you repeat that?".
    pub last_said: String,
    /// What the caller said they need before a transfer: the reason of the
    /// message taken should no one pick up.
    pub need: Option<String>,
    /// The caller speaks this language (a tag such as "es") and not English:
    /// the message is taken in it.
    pub language: Option<String>,
    /// The knowledge entry answered last, so "how much is that?" or "is
    /// that included?" can be read against it.
    pub last_topic: Option<i64>,
    /// The caller would not give a name, or it could not be understood after
    /// two tries: the message goes on without asking again.
    pub name_skipped: bool,
    /// The last lines of the conversation, for an LLM brain's context
    /// ("Caller: …", "Receptionist: …"); empty with the rules brain.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recent: Vec<String>,
}

/// Lines of conversation an LLM brain is shown, and how long each may be.
pub const RECENT_LINES: usize = 4;
const RECENT_CHARS: usize = 200;

impl CallMemory {
    /// Adds a turn to the conversation an LLM brain is shown, keeping the
    /// last [`RECENT_LINES`] lines.
    pub fn remember(&mut self, caller: Option<&str>, receptionist: Option<&str>) {
        let lines = [("Caller", caller), ("Receptionist", receptionist)];
        for (who, said) in lines {
            let Some(said) = said.map(str::trim).filter(|s| !s.is_empty()) else {
                continue;
            };
            let clipped: String = said.chars().take(RECENT_CHARS).collect();
            self.recent.push(format!("{who}: {clipped}"));
        }
        let excess = self.recent.len().saturating_sub(RECENT_LINES);
        self.recent.drain(..excess);
    }
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
#[allow(
    clippy::large_enum_variant,
    reason = "one event per turn, built and moved once: boxing would only add an allocation"
)]
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
    /// The time now on the tenant's clock ("do you close soon?", "open Sunday?").
    pub local_time: LocalTime,
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
            // A caller who was answered and then went quiet or hung up was
            // still answered.
            (Some(Outcome::Answered), Some(Outcome::Abandoned | Outcome::HungUp)) => {
                Some(Outcome::Answered)
            }
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
/// renderer escapes it. Serializable so a turn's answer can be stored and
/// rendered again for a retried request.
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
    pub state: CallState,
    pub memory: CallMemory,
    pub reply: Reply,
    /// Set when this turn decides how the call ends (or ended).
    pub outcome: Option<Outcome>,
    /// True on the turn the caller confirms the lead: persist it as complete.
    pub save_lead: bool,
    /// Speech hints for the next `<Gather>` (department names, the expected detail).
    pub hints: Vec<String>,
    /// What the caller's next answer will hold, so the next `<Gather>` can
    /// listen for it (how long a pause ends it, which words to expect).
    pub expecting: Expecting,
}
