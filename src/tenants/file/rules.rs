//! Shape checks shared with the dashboard forms: plain predicates on strings.

use std::ops::RangeInclusive;

/// What is wrong with a piece of text that must be non-blank, free of
/// control characters (line breaks and tabs aside) and at most `max_chars`
/// long once trimmed; `None` when nothing is.
pub fn text_problem(value: &str, max_chars: usize) -> Option<String> {
    let trimmed = value.trim();
    let length = trimmed.chars().count();
    if trimmed.is_empty() {
        Some("must not be empty".to_owned())
    } else if let Some(c) = trimmed
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        Some(format!(
            "contains the control character U+{:04X}",
            u32::from(c)
        ))
    } else if length > max_chars {
        Some(format!(
            "is {length} characters long; the limit is {max_chars}"
        ))
    } else {
        None
    }
}

/// What is wrong with a number that must be within `range`.
pub fn range_problem(number: i64, range: &RangeInclusive<i64>) -> Option<String> {
    (!range.contains(&number)).then(|| {
        format!(
            "{number} is out of range; it must be between {} and {}",
            range.start(),
            range.end()
        )
    })
}

/// `+`, then 8 to 15 digits, the first not zero (E.164).
pub fn is_e164(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// `local@domain.tld`, ASCII only: enough to catch typos, not a full RFC 5322 parser.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    let tld_ok = labels
        .last()
        .is_some_and(|tld| tld.len() >= 2 && !tld.bytes().all(|b| b.is_ascii_digit()));
    local_ok && domain_ok && tld_ok
}

/// `"HH:MM-HH:MM"` → `Some((open, close))` in minutes after midnight; `"closed"` → `None`.
/// The close may be "24:00" (midnight at the end of the day); overnight ranges are refused.
pub fn parse_hours_range(s: &str) -> Result<Option<(u16, u16)>, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("closed") {
        return Ok(None);
    }
    let Some((open, close)) = s.split_once('-') else {
        return Err(format!(
            "\"{s}\" is not an opening range; write \"HH:MM-HH:MM\" (e.g. \"08:00-17:00\") or \"closed\""
        ));
    };
    let open = parse_time(open.trim(), false)?;
    let close = parse_time(close.trim(), true)?;
    if open >= close {
        return Err(format!(
            "opens at {} but closes at {}; the closing time must be after the opening time \
             (hours past midnight are not supported)",
            format_time(open),
            format_time(close)
        ));
    }
    Ok(Some((open, close)))
}

/// `"YYYY-MM-DD"` → the date, or a message saying how to write one.
pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    let s = s.trim();
    let well_formed = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    well_formed
        .then(|| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| format!("\"{s}\" is not a date; write YYYY-MM-DD, e.g. \"2026-12-25\""))
}

/// Minutes after midnight as "HH:MM" (1440 as "24:00").
pub(super) fn format_time(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn parse_time(s: &str, may_be_end_of_day: bool) -> Result<u16, String> {
    let not_a_time =
        || format!("\"{s}\" is not a time of day; write HH:MM between 00:00 and 23:59");
    let (hours, minutes) = s.split_once(':').ok_or_else(not_a_time)?;
    let two_digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hours) || !two_digits(minutes) {
        return Err(not_a_time());
    }
    let hours: u16 = hours.parse().map_err(|_| not_a_time())?;
    let minutes: u16 = minutes.parse().map_err(|_| not_a_time())?;
    let end_of_day = may_be_end_of_day && hours == 24 && minutes == 0;
    if (hours > 23 || minutes > 59) && !end_of_day {
        return Err(not_a_time());
    }
    Ok(hours * 60 + minutes)
}

/// Lowercase a-z, 0-9 and '-', 2 to 63 characters, no leading or trailing '-'.
pub(super) fn is_slug(s: &str) -> bool {
    (2..=63).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// `ll-CC`: a lowercase language and an uppercase country, e.g. `en-US`.
pub(super) fn is_language_tag(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5
        && b[0].is_ascii_lowercase()
        && b[1].is_ascii_lowercase()
        && b[2] == b'-'
        && b[3].is_ascii_uppercase()
        && b[4].is_ascii_uppercase()
}

/// A short emergency code (911, 112, 000) or a full E.164 number.
pub(super) fn is_emergency_number(s: &str) -> bool {
    ((2..=6).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())) || is_e164(s)
}

/// `http://` or `https://` followed by a dotted host and no spaces.
pub(super) fn is_website(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        host.contains('.')
            && !host.starts_with('.')
            && !host.ends_with('.')
            && !rest.chars().any(char::is_whitespace)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_follow_e164() {
        assert!(is_e164("+15005550006"));
        assert!(is_e164("+4420794600"));
        assert!(!is_e164("15005550006"));
        assert!(!is_e164("+05005550006"));
        assert!(!is_e164("+1234567"));
        assert!(!is_e164("+1234567890123456"));
        assert!(!is_e164("+1 500 555 0006"));
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert!(is_email("owner@brightsmile.example"));
        assert!(is_email("first.last+calls@mail.example.co.uk"));
        assert!(!is_email("owner"));
        assert!(!is_email("@brightsmile.example"));
        assert!(!is_email("owner@localhost"));
        assert!(!is_email("owner@bright smile.example"));
        assert!(!is_email("owner@@brightsmile.example"));
        assert!(!is_email("owner@brightsmile..example"));
    }

    #[test]
    fn hours_ranges_are_minutes_after_midnight() {
        assert_eq!(parse_hours_range("08:00-17:30"), Ok(Some((480, 1050))));
        assert_eq!(parse_hours_range("closed"), Ok(None));
        assert_eq!(parse_hours_range("00:00-24:00"), Ok(Some((0, 1440))));
        assert!(parse_hours_range("24:00-24:00").is_err());
        assert!(parse_hours_range("08:60-17:00").is_err());
        assert!(parse_hours_range("8:00-17:00").is_err());
        assert!(parse_hours_range("09:00-09:00").is_err());
    }

    #[test]
    fn dates_are_written_year_month_day() {
        assert_eq!(
            parse_date("2026-12-25"),
            Ok(chrono::NaiveDate::from_ymd_opt(2026, 12, 25).unwrap())
        );
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("25/12/2026").is_err());
        assert!(parse_date("2026-1-5").is_err());
    }
}
