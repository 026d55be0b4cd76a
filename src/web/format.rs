//! How the pages write figures and times for people: call lengths, the
//! tenant's local times, percentages, the caller's number as a `tel:` link.

use chrono::NaiveDateTime;
use chrono_tz::Tz;

use crate::calls::local_time;

/// A call's length: `45 s`, `2 min 05 s`, `1 h 02 min`.
pub fn duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    match (seconds / 3600, seconds % 3600 / 60, seconds % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, s) => format!("{m} min {s:02} s"),
        (h, m, _) => format!("{h} h {m:02} min"),
    }
}

/// `Some(duration)` or a dash for a call still going.
pub fn duration_or_dash(seconds: Option<i64>) -> String {
    seconds.map_or_else(|| "—".to_owned(), duration)
}

/// A time in a list: `3 Mar 2026, 14:05`, in the tenant's zone.
pub fn short_time(tz: Tz, utc: NaiveDateTime) -> String {
    local_time::format(tz, utc, "%-d %b %Y, %H:%M")
}

/// A time on its own: `Tuesday 3 March 2026, 14:05:09 EST`.
pub fn long_time(tz: Tz, utc: NaiveDateTime) -> String {
    local_time::format(tz, utc, "%A %-d %B %Y, %H:%M:%S %Z")
}

/// The time of day of a transcript line: `14:05:09`.
pub fn clock_time(tz: Tz, utc: NaiveDateTime) -> String {
    local_time::format(tz, utc, "%H:%M:%S")
}

/// An hour of the day as a range: `09:00–10:00`.
pub fn hour_range(hour: u32) -> String {
    format!("{hour:02}:00–{:02}:00", (hour + 1) % 24)
}

/// A `tel:` link for a number a person may call back: digits and a leading
/// `+` only, or `None` when there are too few digits to dial.
pub fn tel_href(number: &str) -> Option<String> {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 3 {
        return None;
    }
    let plus = if number.trim_start().starts_with('+') {
        "+"
    } else {
        ""
    };
    Some(format!("tel:{plus}{digits}"))
}

/// A `mailto:` link for what looks like one email address (no spaces, no
/// characters that would add headers or recipients), else `None`.
pub fn mailto_href(email: &str) -> Option<String> {
    let email = email.trim();
    let plausible = email.split('@').count() == 2
        && !email.starts_with('@')
        && !email.ends_with('@')
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "?&,;:<>\"'%".contains(c));
    plausible.then(|| format!("mailto:{email}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_seconds_minutes_or_hours() {
        assert_eq!(duration(0), "0 s");
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(125), "2 min 05 s");
        assert_eq!(duration(3720), "1 h 02 min");
        assert_eq!(duration_or_dash(None), "—");
    }

    #[test]
    fn local_times_are_in_the_tenants_zone() {
        let utc = NaiveDateTime::parse_from_str("2026-01-15 19:05:09", "%Y-%m-%d %H:%M:%S")
            .unwrap_or_default();
        let tz = chrono_tz::America::New_York;
        assert_eq!(short_time(tz, utc), "15 Jan 2026, 14:05");
        assert_eq!(long_time(tz, utc), "Thursday 15 January 2026, 14:05:09 EST");
        assert_eq!(clock_time(tz, utc), "14:05:09");
        assert_eq!(hour_range(23), "23:00–00:00");
    }

    #[test]
    fn links_are_made_only_from_plausible_numbers_and_addresses() {
        assert_eq!(
            tel_href("+1 (555) 123-4567").as_deref(),
            Some("tel:+15551234567")
        );
        assert_eq!(
            tel_href("javascript:alert(1)//555"),
            Some("tel:1555".to_owned())
        );
        assert_eq!(tel_href("n/a"), None);
        assert_eq!(
            mailto_href(" jane@example.com ").as_deref(),
            Some("mailto:jane@example.com")
        );
        for bad in [
            "jane",
            "a@b@c",
            "x@y.com?cc=evil@z",
            "\"><img>@x",
            "jane @x.com",
        ] {
            assert_eq!(mailto_href(bad), None, "{bad}");
        }
    }
}
