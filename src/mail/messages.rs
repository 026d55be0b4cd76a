//! The two emails a business receives, built from plain data (no database,
//! no I/O) with askama templates in `templates/mail/`: the HTML part escapes
//! everything a caller said; single-line fields are reduced to one line in
//! both parts so a caller cannot forge lines of the message.

use askama::Template;

use super::{Email, one_line, plain_text};

/// A caller's message, for the lead notification email.
#[derive(Debug, Clone)]
pub struct LeadNotification<'a> {
    pub tenant_name: &'a str,
    pub caller_name: Option<&'a str>,
    pub callback_number: Option<&'a str>,
    pub email: Option<&'a str>,
    pub reason: Option<&'a str>,
    /// False when the caller hung up before confirming the message.
    pub complete: bool,
    /// Link to the call in the dashboard.
    pub call_url: &'a str,
    /// Already formatted in the tenant's timezone.
    pub called_at: &'a str,
    /// An excerpt of the conversation: (speaker, text).
    pub transcript: &'a [(&'a str, &'a str)],
}

/// What happened on one call, for the call summary email.
#[derive(Debug, Clone)]
pub struct CallSummary<'a> {
    pub tenant_name: &'a str,
    /// The caller's name or number, or "withheld".
    pub caller: &'a str,
    pub called_at: &'a str,
    pub duration: &'a str,
    pub outcome: &'a str,
    pub summary: &'a str,
    pub call_url: &'a str,
}

/// Longest name or phrase kept in a subject line.
const SUBJECT_PART_MAX: usize = 80;

struct LeadView {
    heading: String,
    tenant_name: String,
    complete: bool,
    caller_name: Option<String>,
    callback_number: Option<String>,
    /// The callback number as dialled, for a `tel:` link.
    callback_dial: Option<String>,
    email: Option<String>,
    reason: Option<String>,
    called_at: String,
    call_url: String,
    transcript: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "mail/lead_notification.txt")]
struct LeadText<'a> {
    lead: &'a LeadView,
}

#[derive(Template)]
#[template(path = "mail/lead_notification.html")]
struct LeadHtml<'a> {
    lead: &'a LeadView,
}

pub fn lead_notification(
    to: Vec<String>,
    lead: &LeadNotification,
    message_id: String,
) -> Result<Email, askama::Error> {
    let caller_name = present(lead.caller_name).map(one_line);
    let callback_number = present(lead.callback_number).map(|n| readable_phone(&one_line(n)));
    let who = match (&caller_name, &callback_number) {
        (Some(name), Some(number)) if lead.complete => format!("{} ({number})", shorten(name)),
        (Some(name), Some(number)) => format!("{}, {number}", shorten(name)),
        (Some(name), None) => shorten(name),
        (None, Some(number)) => number.clone(),
        (None, None) => "a caller".to_owned(),
    };
    let heading = if lead.complete {
        format!("New message from {who}")
    } else {
        format!("Incomplete message from {who} (hung up)")
    };
    let view = LeadView {
        heading,
        tenant_name: one_line(lead.tenant_name),
        complete: lead.complete,
        callback_dial: present(lead.callback_number).map(|n| {
            n.chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect()
        }),
        caller_name,
        callback_number,
        email: present(lead.email).map(one_line),
        reason: present(lead.reason).map(plain_text),
        called_at: one_line(lead.called_at),
        call_url: one_line(lead.call_url),
        transcript: lead
            .transcript
            .iter()
            .map(|(speaker, text)| (one_line(speaker), plain_text(text)))
            .filter(|(_, text)| !text.is_empty())
            .collect(),
    };
    Ok(Email {
        to,
        subject: format!("[{}] {}", shorten(&view.tenant_name), view.heading),
        text: LeadText { lead: &view }.render()?,
        html: LeadHtml { lead: &view }.render()?,
        message_id,
    })
}

struct SummaryView {
    heading: String,
    tenant_name: String,
    caller: String,
    called_at: String,
    duration: String,
    outcome: String,
    summary: String,
    call_url: String,
}

#[derive(Template)]
#[template(path = "mail/call_summary.txt")]
struct SummaryText<'a> {
    call: &'a SummaryView,
}

#[derive(Template)]
#[template(path = "mail/call_summary.html")]
struct SummaryHtml<'a> {
    call: &'a SummaryView,
}

pub fn call_summary(
    to: Vec<String>,
    summary: &CallSummary,
    message_id: String,
) -> Result<Email, askama::Error> {
    let caller = readable_phone(&one_line(summary.caller));
    let outcome = one_line(summary.outcome);
    let heading = if outcome.is_empty() {
        format!("Call summary: {}", shorten(&caller))
    } else {
        format!("Call summary: {}, {}", shorten(&caller), shorten(&outcome))
    };
    let view = SummaryView {
        heading,
        tenant_name: one_line(summary.tenant_name),
        caller,
        called_at: one_line(summary.called_at),
        duration: one_line(summary.duration),
        outcome,
        summary: plain_text(summary.summary),
        call_url: one_line(summary.call_url),
    };
    Ok(Email {
        to,
        subject: format!("[{}] {}", shorten(&view.tenant_name), view.heading),
        text: SummaryText { call: &view }.render()?,
        html: SummaryHtml { call: &view }.render()?,
        message_id,
    })
}

fn present(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= SUBJECT_PART_MAX {
        return text.to_owned();
    }
    let kept: String = text.chars().take(SUBJECT_PART_MAX - 1).collect();
    format!("{}…", kept.trim_end())
}

/// `+15551234567` → `+1 555 123 4567` (North American numbers); any other
/// text is returned as it is.
pub fn readable_phone(number: &str) -> String {
    let digits = number.strip_prefix("+1").unwrap_or("");
    if digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()) {
        format!("+1 {} {} {}", &digits[..3], &digits[3..6], &digits[6..])
    } else {
        number.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jane() -> LeadNotification<'static> {
        LeadNotification {
            tenant_name: "Bright Smile Dental",
            caller_name: Some("Jane Doe"),
            callback_number: Some("+15551234567"),
            email: Some("jane@example.com"),
            reason: Some("Wants to book a cleaning next week."),
            complete: true,
            call_url: "https://desk.example.com/calls/42",
            called_at: "Tue 3 June 2025, 14:05",
            transcript: &[
                ("Caller", "Hi, I'd like to book a cleaning."),
                ("Receptionist", "Of course. May I have your name?"),
            ],
        }
    }

    fn build(lead: &LeadNotification) -> Email {
        lead_notification(vec!["owner@example.com".into()], lead, "<id@x>".into()).unwrap()
    }

    #[test]
    fn a_complete_lead_names_the_caller_and_number_in_the_subject() {
        let email = build(&jane());
        assert_eq!(
            email.subject,
            "[Bright Smile Dental] New message from Jane Doe (+1 555 123 4567)"
        );
        for part in [&email.text, &email.html] {
            for fact in [
                "Jane Doe",
                "+1 555 123 4567",
                "jane@example.com",
                "book a cleaning next week",
                "Tue 3 June 2025, 14:05",
                "https://desk.example.com/calls/42",
                "Of course. May I have your name?",
            ] {
                assert!(part.contains(fact), "{fact} missing from {part}");
            }
        }
        assert!(email.html.contains("href=\"tel:+15551234567\""));
    }

    #[test]
    fn an_incomplete_lead_without_details_says_so() {
        let lead = LeadNotification {
            caller_name: None,
            callback_number: Some("  "),
            email: None,
            reason: None,
            complete: false,
            transcript: &[],
            ..jane()
        };
        let email = build(&lead);
        assert_eq!(
            email.subject,
            "[Bright Smile Dental] Incomplete message from a caller (hung up)"
        );
        assert!(email.text.contains("hung up"));
        assert!(email.text.contains("not given"));
        assert!(!email.text.contains("Transcript"));
        assert!(!email.html.contains("Transcript"));
    }

    #[test]
    fn a_name_with_line_breaks_cannot_forge_lines_of_the_text_part() {
        let lead = LeadNotification {
            caller_name: Some("Jane\nCallback:   +1 900 000 0000"),
            ..jane()
        };
        let email = build(&lead);
        assert!(
            !email
                .text
                .lines()
                .any(|l| l.starts_with("Callback:   +1 900"))
        );
        assert!(email.text.contains("Jane Callback: +1 900 000 0000"));
    }

    #[test]
    fn the_call_summary_subject_gives_caller_and_outcome() {
        let summary = CallSummary {
            tenant_name: "Bright Smile Dental",
            caller: "Jane Doe",
            called_at: "Tue 3 June 2025, 14:05",
            duration: "2 min 10 s",
            outcome: "lead captured",
            summary: "Jane wants a cleaning.\nShe prefers mornings.",
            call_url: "https://desk.example.com/calls/42",
        };
        let email =
            call_summary(vec!["owner@example.com".into()], &summary, "<id@x>".into()).unwrap();
        assert_eq!(
            email.subject,
            "[Bright Smile Dental] Call summary: Jane Doe, lead captured"
        );
        for part in [&email.text, &email.html] {
            for fact in ["2 min 10 s", "She prefers mornings.", "calls/42"] {
                assert!(part.contains(fact), "{fact} missing from {part}");
            }
        }
        let withheld = CallSummary {
            caller: "+15551234567",
            ..summary
        };
        let email =
            call_summary(vec!["owner@example.com".into()], &withheld, "<id@x>".into()).unwrap();
        assert!(email.subject.contains("Call summary: +1 555 123 4567"));
    }

    #[test]
    fn north_american_numbers_are_grouped_and_others_left_alone() {
        assert_eq!(readable_phone("+15551234567"), "+1 555 123 4567");
        assert_eq!(readable_phone("+442079460000"), "+442079460000");
        assert_eq!(readable_phone("withheld"), "withheld");
    }

    #[test]
    fn very_long_names_are_shortened_in_the_subject() {
        let long = "A".repeat(300);
        let lead = LeadNotification {
            caller_name: Some(&long),
            callback_number: None,
            ..jane()
        };
        let email = build(&lead);
        assert!(email.subject.chars().count() < 130, "{}", email.subject);
        assert!(email.text.contains(&long));
    }
}
