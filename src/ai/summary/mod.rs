//! The rules brain's call summary: extractive, deterministic, no network.
//! It flags an urgent call first, then says who called and for which
//! department, what they wanted (their own words, fillers left out), what
//! really happened ([`happened`]) and the message they left.

pub mod happened;
pub mod said;
mod telling;

pub use happened::{
    AnswerSources, Evidence, Happened, KnowledgeQuestion, Line, knowledge_questions, what_happened,
};

/// The message a caller left, as the business reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftMessage<'a> {
    /// The number to call back on, written the way the business writes it.
    pub callback: Option<&'a str>,
    pub email: Option<&'a str>,
    pub reason: Option<&'a str>,
}

/// What a summary is made from.
pub struct CallFacts<'a> {
    pub caller_name: Option<&'a str>,
    /// The caller ID written the way the business writes numbers, or "a
    /// withheld number".
    pub caller_number: &'a str,
    /// The caller's lines that say what they needed, in order (see
    /// [`said::worth_quoting`]).
    pub caller_lines: &'a [&'a str],
    pub happened: &'a Happened,
    pub duration_seconds: Option<i32>,
    /// The message, when one was left (confirmed or not: see `happened`).
    pub message: Option<LeftMessage<'a>>,
}

/// How many of the caller's lines are quoted: enough to see what they wanted.
pub const QUOTED_LINES: usize = 3;
const QUOTE_CHARS: usize = 160;
/// Said first when the caller's problem is the business's urgent work.
pub const URGENT_LINE: &str = "URGENT: the caller's problem needs attention now.";

pub fn summarize(facts: &CallFacts<'_>) -> String {
    let happened = facts.happened;
    let mut lines = Vec::new();
    if happened.urgent {
        lines.push(URGENT_LINE.to_owned());
    }
    lines.push(match facts.caller_name {
        Some(name) => format!("Caller: {name}, calling from {}.", facts.caller_number),
        None => format!("Caller: {}.", facts.caller_number),
    });
    if let Some(department) = &happened.department {
        lines.push(format!("Department: {department}."));
    }
    let quotes: Vec<String> = facts
        .caller_lines
        .iter()
        .take(QUOTED_LINES)
        .map(|l| format!("\"{}\"", clip(l.trim(), QUOTE_CHARS)))
        .collect();
    if !quotes.is_empty() {
        lines.push(format!("They said: {}.", quotes.join("; ")));
    }
    let duration = facts
        .duration_seconds
        .map(|s| format!(" The call lasted {}.", duration_words(s)))
        .unwrap_or_default();
    lines.push(format!("{}{duration}", happened.sentences().join(" ")));
    if let (Some(message), Some(confirmed)) = (facts.message, happened.message) {
        lines.push(message_line(&message, confirmed, facts.caller_number));
    }
    lines.join("\n")
}

fn message_line(message: &LeftMessage<'_>, confirmed: bool, caller_number: &str) -> String {
    let mut parts = Vec::new();
    match message.callback {
        Some(phone) => parts.push(format!("call back on {phone}")),
        None if caller_number != WITHHELD => {
            parts.push(format!(
                "no callback number given (caller ID {caller_number})"
            ));
        }
        None => parts.push("no callback number given".to_owned()),
    }
    if let Some(email) = message.email {
        parts.push(format!("email {email}"));
    }
    if let Some(reason) = message.reason {
        parts.push(format!("about \"{}\"", clip(reason.trim(), QUOTE_CHARS)));
    }
    let state = if confirmed {
        "Message (confirmed by the caller)"
    } else {
        "Partial message (not confirmed)"
    };
    format!("{state}: {}.", parts.join(", "))
}

/// How a caller ID that is not a real number is written.
pub const WITHHELD: &str = "a withheld number";

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
mod tests;
