//! A call's outcome as the dashboard names and filters it, the call still
//! going included.

use crate::conversation::state::Outcome;

/// The outcomes a call can be filtered by: a stored outcome, or none yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeFilter {
    Is(Outcome),
    /// No outcome recorded: the call is still going.
    InProgress,
}

impl OutcomeFilter {
    /// Every choice, in the order a form lists them.
    pub const ALL: [OutcomeFilter; 9] = [
        OutcomeFilter::Is(Outcome::Answered),
        OutcomeFilter::Is(Outcome::LeadCaptured),
        OutcomeFilter::Is(Outcome::Transferred),
        OutcomeFilter::Is(Outcome::Emergency),
        OutcomeFilter::Is(Outcome::HungUp),
        OutcomeFilter::Is(Outcome::Abandoned),
        OutcomeFilter::Is(Outcome::SpamBlocked),
        OutcomeFilter::Is(Outcome::Busy),
        OutcomeFilter::InProgress,
    ];

    /// The value in a query string: the stored outcome name, or `in_progress`.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeFilter::Is(outcome) => outcome.as_str(),
            OutcomeFilter::InProgress => "in_progress",
        }
    }

    pub fn parse(value: &str) -> Option<OutcomeFilter> {
        let value = value.trim();
        match value {
            "in_progress" | "in-progress" | "in progress" => Some(OutcomeFilter::InProgress),
            _ => Outcome::parse(value).map(OutcomeFilter::Is),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OutcomeFilter::Is(outcome) => outcome_label(Some(outcome)),
            OutcomeFilter::InProgress => outcome_label(None),
        }
    }
}

/// How an owner reads a call's outcome (`None`: the call is still going).
pub fn outcome_label(outcome: Option<Outcome>) -> &'static str {
    match outcome {
        Some(Outcome::Answered) => "Answered",
        Some(Outcome::Transferred) => "Put through",
        Some(Outcome::LeadCaptured) => "Message taken",
        Some(Outcome::Emergency) => "Emergency",
        Some(Outcome::HungUp) => "Hung up",
        Some(Outcome::SpamBlocked) => "Blocked",
        Some(Outcome::Busy) => "Refused: lines busy",
        Some(Outcome::Abandoned) => "Abandoned",
        None => "In progress",
    }
}
