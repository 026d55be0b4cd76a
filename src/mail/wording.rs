//! How a call is described to the business: its caller and its time in the
//! tenant's timezone, shared by the summary and the emails.

use chrono::NaiveDateTime;
use chrono_tz::Tz;

use super::phone;
use crate::ai::summary::WITHHELD;

/// The caller ID written the way the business writes numbers, or "a
/// withheld number".
pub fn caller_display(number: &str, home_country: u16) -> String {
    if crate::tenants::file::is_e164(number) {
        phone::display(number, home_country)
    } else {
        WITHHELD.to_owned()
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
