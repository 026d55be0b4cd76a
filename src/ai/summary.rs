//! The rules brain's call summary: extractive, deterministic, no network.
//! It says who called, what they wanted (their own words), what happened and
//! the message they left.

use crate::conversation::interpretation::Details;
use crate::conversation::state::Outcome;

/// What a summary is made from.
pub struct CallFacts<'a> {
    /// The caller's number as it should be read, or "a withheld number".
    pub caller_number: &'a str,
    /// The caller's own lines, in order.
    pub caller_lines: &'a [&'a str],
    pub outcome: Option<Outcome>,
    pub duration_seconds: Option<i32>,
    pub lead: Option<(&'a Details, bool)>,
}

/// How many of the caller's lines are quoted: enough to see what they wanted.
const QUOTED_LINES: usize = 3;
const QUOTE_CHARS: usize = 160;

pub fn summarize(facts: &CallFacts<'_>) -> String {
    let name = facts.lead.and_then(|(d, _)| d.name.as_deref());
    let mut lines = Vec::new();
    lines.push(match name {
        Some(name) => format!("Caller: {name}, calling from {}.", facts.caller_number),
        None => format!("Caller: {}.", facts.caller_number),
    });
    let quotes: Vec<String> = facts
        .caller_lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| l.split_whitespace().count() >= 3)
        .take(QUOTED_LINES)
        .map(|l| format!("\"{}\"", clip(l, QUOTE_CHARS)))
        .collect();
    if quotes.is_empty() {
        lines.push("They did not say what they wanted.".to_owned());
    } else {
        lines.push(format!("They said: {}.", quotes.join("; ")));
    }
    let duration = facts
        .duration_seconds
        .map(|s| format!(" The call lasted {}.", duration_words(s)))
        .unwrap_or_default();
    lines.push(format!("{}{duration}", what_happened(facts.outcome)));
    if let Some((lead, complete)) = facts.lead {
        let mut parts = Vec::new();
        if let Some(phone) = &lead.phone {
            parts.push(format!("call back on {phone}"));
        }
        if let Some(email) = &lead.email {
            parts.push(format!("email {email}"));
        }
        if let Some(reason) = &lead.reason {
            parts.push(format!("about \"{}\"", clip(reason, QUOTE_CHARS)));
        }
        let state = if complete {
            "Message (confirmed by the caller)"
        } else {
            "Partial message (not confirmed)"
        };
        if parts.is_empty() {
            lines.push(format!("{state}: no contact details captured."));
        } else {
            lines.push(format!("{state}: {}.", parts.join(", ")));
        }
    }
    lines.join("\n")
}

fn what_happened(outcome: Option<Outcome>) -> &'static str {
    match outcome {
        Some(Outcome::Answered) => "The receptionist answered their questions.",
        Some(Outcome::Transferred) => "They were put through to a person.",
        Some(Outcome::LeadCaptured) => "They left a message.",
        Some(Outcome::Emergency) => {
            "They described an emergency and were told to call the emergency number."
        }
        Some(Outcome::HungUp) => "They hung up before the conversation finished.",
        Some(Outcome::SpamBlocked) => {
            "The call was refused (blocked number, withheld number or too many calls)."
        }
        Some(Outcome::Busy) => "The call was refused because every line was busy.",
        Some(Outcome::Abandoned) | None => "The call ended without a resolution.",
    }
}

fn duration_words(seconds: i32) -> String {
    match seconds {
        1 => "1 second".to_owned(),
        s if s < 60 => format!("{s} seconds"),
        s => format!("{} min {} s", s / 60, s % 60),
    }
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_names_the_caller_quotes_them_and_gives_the_message() {
        let lead = Details {
            name: Some("Jane Doe".into()),
            phone: Some("+15555550100".into()),
            email: Some("jane@example.com".into()),
            reason: Some("reschedule my cleaning".into()),
        };
        let text = summarize(&CallFacts {
            caller_number: "+1 555 555 0100",
            caller_lines: &["do you take walk-ins", "yes", "I'd like to leave a message"],
            outcome: Some(Outcome::LeadCaptured),
            duration_seconds: Some(95),
            lead: Some((&lead, true)),
        });
        assert!(
            text.starts_with("Caller: Jane Doe, calling from +1 555 555 0100."),
            "{text}"
        );
        assert!(
            text.contains("\"do you take walk-ins\"; \"I'd like to leave a message\""),
            "{text}"
        );
        assert!(
            text.contains("They left a message. The call lasted 1 min 35 s."),
            "{text}"
        );
        assert!(
            text.contains("Message (confirmed by the caller): call back on +15555550100"),
            "{text}"
        );
    }

    #[test]
    fn a_silent_call_says_so_without_inventing_anything() {
        let text = summarize(&CallFacts {
            caller_number: "a withheld number",
            caller_lines: &[],
            outcome: None,
            duration_seconds: Some(4),
            lead: None,
        });
        assert_eq!(
            text,
            "Caller: a withheld number.\nThey did not say what they wanted.\nThe call ended without a resolution. The call lasted 4 seconds."
        );
    }
}
