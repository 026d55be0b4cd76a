//! The dashboard's call pages: the call log (`list`) and a call's own page
//! (`detail`, the page lead emails link to). Shared here: how a call reads
//! in a list, and its outcome badge.

pub mod detail;
pub mod list;

use chrono_tz::Tz;

use super::search::{CallRow, outcome_label};
use crate::conversation::state::Outcome;
use crate::web::format;

/// A call's outcome as a badge: the words and the badge's class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeBadge {
    pub label: &'static str,
    pub class: &'static str,
}

impl OutcomeBadge {
    pub fn of(outcome: Option<Outcome>) -> OutcomeBadge {
        let class = match outcome {
            Some(Outcome::Answered | Outcome::Transferred) => "success",
            Some(Outcome::LeadCaptured) | None => "info",
            Some(Outcome::Emergency) => "danger",
            Some(Outcome::SpamBlocked | Outcome::Busy) => "warning",
            Some(Outcome::HungUp | Outcome::Abandoned) => "plain",
        };
        OutcomeBadge {
            label: outcome_label(outcome),
            class,
        }
    }
}

/// One call in a list (the call log, the overview's latest calls).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallLine {
    pub id: i64,
    /// Started, in the tenant's zone.
    pub when: String,
    pub caller: String,
    pub duration: String,
    pub outcome: OutcomeBadge,
    pub has_lead: bool,
    /// The summary's first line, once written.
    pub summary: Option<String>,
    /// A test call from the dashboard (shown with a badge).
    pub is_test: bool,
    /// Not over yet.
    pub in_progress: bool,
}

impl CallLine {
    pub fn new(row: &CallRow, tz: Tz) -> CallLine {
        CallLine {
            id: row.id.0,
            when: format::short_time(tz, row.started_at),
            caller: row.from_number.clone(),
            duration: format::duration_or_dash(row.duration),
            outcome: OutcomeBadge::of(row.outcome),
            has_lead: row.has_lead,
            summary: row.summary.clone(),
            is_test: row.is_test,
            in_progress: row.duration.is_none(),
        }
    }

    pub fn href(&self) -> String {
        format!("/calls/{}", self.id)
    }

    /// Where a test call still going is taken up again.
    pub fn test_call_href(&self) -> String {
        crate::test_call::pages::href(self.id)
    }
}
