//! The two emails a business receives, built from plain data (no database,
//! no I/O) with askama templates in `templates/mail/`: the HTML part escapes
//! everything a caller said; single-line fields are reduced to one line in
//! both parts so a caller cannot forge lines of the message. Every phone
//! number is written one way (see [`phone`]), with E.164 in `tel:` links.

use askama::Template;

use super::{Email, one_line, phone, plain_text, wording::caller_display};
use crate::ai::summary::URGENT_LINE;

/// A caller's message, for the lead notification email.
#[derive(Debug, Clone)]
pub struct LeadNotification<'a> {
    pub tenant_name: &'a str,
    /// The tenant's calling code: numbers of its country are written the
    /// national way.
    pub country_code: u16,
    pub caller_name: Option<&'a str>,
    /// The number the caller gave to be called back on.
    pub callback_number: Option<&'a str>,
    /// The number the call came from, when it is a real one: shown, labelled
    /// as the caller ID, when no callback number was given.
    pub caller_id: Option<&'a str>,
    pub email: Option<&'a str>,
    pub reason: Option<&'a str>,
    /// False when the caller hung up before confirming the message.
    pub complete: bool,
    /// The caller's problem is the business's own urgent work.
    pub urgent: bool,
    /// The department the caller asked for or was routed to.
    pub department: Option<&'a str>,
    /// Link to the call in the dashboard.
    pub call_url: &'a str,
    /// Already formatted in the tenant's timezone.
    pub called_at: &'a str,
    /// The caller's lines that say what they needed, fillers and small talk
    /// left out.
    pub they_said: &'a [&'a str],
}

/// What happened on one call, for the call summary email.
#[derive(Debug, Clone)]
pub struct CallSummary<'a> {
    pub tenant_name: &'a str,
    /// The tenant's calling code, as for [`LeadNotification`].
    pub country_code: u16,
    pub caller_name: Option<&'a str>,
    /// The number the call came from, as the carrier gave it.
    pub caller_number: &'a str,
    pub called_at: &'a str,
    pub duration: &'a str,
    /// What happened, in a few words.
    pub outcome: &'a str,
    pub urgent: bool,
    pub department: Option<&'a str>,
    pub summary: &'a str,
    pub call_url: &'a str,
}

/// Longest name or phrase kept in a subject line.
const SUBJECT_PART_MAX: usize = 80;
/// Said first in an urgent lead email, in both parts (a summary email
/// opens with the summary's own [`URGENT_LINE`]).
const URGENT_NOTE: &str =
    "URGENT: the caller's problem needs attention now. Please call them back as soon as you can.";

/// A phone number as both parts show it.
struct Number {
    shown: String,
    /// E.164, for a `tel:` link; `None` when it is not a dialable number.
    dial: Option<String>,
}

impl Number {
    fn new(number: &str, country_code: u16) -> Number {
        let number = one_line(number);
        Number {
            shown: phone::display(&number, country_code),
            dial: phone::dial(&number, country_code),
        }
    }
}

struct LeadView {
    heading: String,
    urgent_note: Option<&'static str>,
    tenant_name: String,
    complete: bool,
    caller_name: Option<String>,
    callback: Option<Number>,
    /// The callback shown is the caller ID: no callback number was given.
    callback_is_caller_id: bool,
    email: Option<String>,
    department: Option<String>,
    reason: Option<String>,
    called_at: String,
    call_url: String,
    they_said: Vec<String>,
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
    let given = present(lead.callback_number).map(|n| Number::new(n, lead.country_code));
    let callback_is_caller_id = given.is_none() && present(lead.caller_id).is_some();
    let callback =
        given.or_else(|| present(lead.caller_id).map(|n| Number::new(n, lead.country_code)));
    let department = present(lead.department).map(one_line);
    let number = callback.as_ref().map(|n| match callback_is_caller_id {
        true => format!("caller ID {}", n.shown),
        false => n.shown.clone(),
    });
    let who = match (&caller_name, number) {
        (Some(name), Some(number)) => format!("{}, {number}", shorten(name)),
        (Some(name), None) => shorten(name),
        (None, Some(number)) => number,
        (None, None) => "a caller".to_owned(),
    };
    let for_department = department
        .as_deref()
        .map(|d| format!(", for {}", shorten(d)))
        .unwrap_or_default();
    let heading = if lead.complete {
        format!("New message from {who}{for_department}")
    } else {
        format!("Incomplete message from {who}{for_department} (hung up)")
    };
    let view = LeadView {
        heading,
        urgent_note: lead.urgent.then_some(URGENT_NOTE),
        tenant_name: one_line(lead.tenant_name),
        complete: lead.complete,
        caller_name,
        callback,
        callback_is_caller_id,
        email: present(lead.email).map(one_line),
        department,
        reason: present(lead.reason).map(plain_text),
        called_at: one_line(lead.called_at),
        call_url: one_line(lead.call_url),
        they_said: lead
            .they_said
            .iter()
            .map(|line| one_line(line))
            .filter(|line| !line.is_empty())
            .collect(),
    };
    Ok(Email {
        to,
        subject: subject(&view.tenant_name, lead.urgent, &view.heading),
        text: LeadText { lead: &view }.render()?,
        html: LeadHtml { lead: &view }.render()?,
        message_id,
    })
}

struct SummaryView {
    heading: String,
    urgent_note: Option<&'static str>,
    tenant_name: String,
    caller_name: Option<String>,
    caller_number: Number,
    called_at: String,
    duration: String,
    outcome: String,
    department: Option<String>,
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
    let caller_name = present(summary.caller_name).map(one_line);
    let number = one_line(summary.caller_number);
    let caller_number = Number {
        shown: caller_display(&number, summary.country_code),
        dial: crate::tenants::file::is_e164(&number).then(|| number.clone()),
    };
    let caller = match &caller_name {
        Some(name) => format!("{}, {}", shorten(name), caller_number.shown),
        None => caller_number.shown.clone(),
    };
    let outcome = one_line(summary.outcome);
    let heading = if outcome.is_empty() {
        format!("Call summary: {caller}")
    } else {
        format!("Call summary: {caller} - {}", shorten(&outcome))
    };
    let view = SummaryView {
        heading,
        urgent_note: summary.urgent.then_some(URGENT_LINE),
        tenant_name: one_line(summary.tenant_name),
        caller_name,
        caller_number,
        called_at: one_line(summary.called_at),
        duration: one_line(summary.duration),
        outcome,
        department: present(summary.department).map(one_line),
        summary: plain_text(without_urgent_line(summary.summary, summary.urgent)),
        call_url: one_line(summary.call_url),
    };
    Ok(Email {
        to,
        subject: subject(&view.tenant_name, summary.urgent, &view.heading),
        text: SummaryText { call: &view }.render()?,
        html: SummaryHtml { call: &view }.render()?,
        message_id,
    })
}

/// The summary without its own urgent flag when the email already opens
/// with one.
fn without_urgent_line(summary: &str, urgent: bool) -> &str {
    match summary.trim_start().strip_prefix(URGENT_LINE) {
        Some(rest) if urgent => rest,
        _ => summary,
    }
}

/// `[Tenant] URGENT: heading`: urgency first, where an inbox shows it.
fn subject(tenant_name: &str, urgent: bool, heading: &str) -> String {
    let urgent = if urgent { "URGENT: " } else { "" };
    format!("[{}] {urgent}{heading}", shorten(tenant_name))
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
