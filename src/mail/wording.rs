//! How a call is described to the business: its caller, its time in the
//! tenant's timezone and its outcome, shared by the summary and the emails.

use chrono::NaiveDateTime;
use chrono_tz::Tz;

use super::messages::readable_phone;

/// The caller's number as people write it, or "a withheld number".
pub fn caller_display(number: &str) -> String {
    if crate::tenants::file::is_e164(number) {
        readable_phone(number)
    } else {
        "a withheld number".to_owned()
    }
}

/// `at` (UTC) in the tenant's timezone, as an email states it.
pub fn local_time(at: NaiveDateTime, timezone: &str) -> String {
    let tz: Tz = timezone.parse().unwrap_or(Tz::UTC);
    at.and_utc()
        .with_timezone(&tz)
        .format("%a %b %-d, %Y at %-I:%M %p %Z")
        .to_string()
}

/// A stored outcome in words.
pub fn outcome_words(outcome: Option<&str>) -> &'static str {
    match outcome {
        Some("answered") => "questions answered",
        Some("transferred") => "put through to a person",
        Some("lead_captured") => "message taken",
        Some("emergency") => "emergency: told to call the emergency number",
        Some("hung_up") => "caller hung up",
        Some("spam_blocked") => "refused (blocked or too many calls)",
        Some("busy") => "refused: every line was busy",
        _ => "ended without a resolution",
    }
}
