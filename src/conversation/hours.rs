//! Answers about opening hours for the day the caller asked about, on the
//! tenant's own clock: "are you open now?", "what time do you close
//! today?", "do you work Sundays?".

use super::interpretation::HoursAsked;
use super::profile::{LocalTime, OpenSpan, TenantProfile};
use super::speech::{business_hours, time_of_day};

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The sentence that answers `asked` at `now`, or `None` when the tenant has
/// no hours on file.
pub fn answer(profile: &TenantProfile, asked: HoursAsked, now: LocalTime) -> Option<String> {
    let hours = &profile.hours;
    if hours.iter().all(Option::is_none) {
        return None;
    }
    let today = now.weekday % 7;
    Some(match asked {
        HoursAsked::Week => {
            let state = if profile.is_open_at(now) {
                "We're open right now."
            } else {
                "We're closed right now."
            };
            format!("{} {state}", business_hours(hours))
        }
        HoursAsked::Now => now_answer(hours, now),
        HoursAsked::Today => today_answer(hours, now),
        HoursAsked::Tomorrow => {
            let day = (today + 1) % 7;
            match hours[day] {
                Some(span) => format!("Tomorrow we're open {}.", span_words(span)),
                None => format!(
                    "We're closed tomorrow. {}",
                    next_opening(hours, day, 0, now)
                ),
            }
        }
        HoursAsked::Day(day) => {
            let day = day % 7;
            match hours[day] {
                Some(span) => format!("On {}s we're open {}.", DAYS[day], span_words(span)),
                None => format!("We're closed on {}s.", DAYS[day]),
            }
        }
        HoursAsked::Weekend => {
            let saturday = match hours[5] {
                Some(span) => format!("On Saturdays we're open {}", span_words(span)),
                None => "We're closed on Saturdays".to_string(),
            };
            let sunday = match hours[6] {
                Some(span) => format!("on Sundays we're open {}.", span_words(span)),
                None => "we're closed on Sundays.".to_string(),
            };
            format!("{saturday}, and {sunday}")
        }
    })
}

fn span_words(span: OpenSpan) -> String {
    if span.open_minute == 0 && span.close_minute >= 24 * 60 {
        return "24 hours".to_string();
    }
    format!(
        "from {} to {}",
        time_of_day(span.open_minute),
        time_of_day(span.close_minute)
    )
}

fn now_answer(hours: &[Option<OpenSpan>; 7], now: LocalTime) -> String {
    let today = now.weekday % 7;
    match hours[today] {
        Some(span) if span.open_minute <= now.minute && now.minute < span.close_minute => {
            if span.close_minute >= 24 * 60 {
                "Yes, we're open right now.".to_string()
            } else {
                format!(
                    "Yes, we're open right now, until {} today.",
                    time_of_day(span.close_minute)
                )
            }
        }
        _ => format!(
            "No, we're closed right now. {}",
            next_opening(hours, today, now.minute, now)
        ),
    }
}

fn today_answer(hours: &[Option<OpenSpan>; 7], now: LocalTime) -> String {
    let today = now.weekday % 7;
    match hours[today] {
        Some(span) if now.minute < span.close_minute => {
            format!("Today we're open {}.", span_words(span))
        }
        Some(span) => format!(
            "Today we were open {}, so we're closed now. {}",
            span_words(span),
            next_opening(hours, today, now.minute, now)
        ),
        None => format!(
            "We're closed today. {}",
            next_opening(hours, today, now.minute, now)
        ),
    }
}

/// "We open again tomorrow at 8 AM." from `day` at `minute` onwards.
fn next_opening(hours: &[Option<OpenSpan>; 7], day: usize, minute: u16, now: LocalTime) -> String {
    let today = now.weekday % 7;
    for ahead in 0..8 {
        let d = (day + ahead) % 7;
        let Some(span) = hours[d] else { continue };
        if ahead == 0 && minute >= span.open_minute {
            continue;
        }
        let at = time_of_day(span.open_minute);
        let days_from_today = (d + 7 - today) % 7;
        let when = match (days_from_today, ahead) {
            (0, 0) => format!("today at {at}"),
            (1, _) => format!("tomorrow at {at}"),
            (0, _) => format!("next {} at {at}", DAYS[d]),
            _ => format!("on {} at {at}", DAYS[d]),
        };
        return format!("We open again {when}.");
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversation::machine::fixtures::profile;

    fn at(weekday: usize, hour: u16, minute: u16) -> LocalTime {
        LocalTime {
            weekday,
            minute: hour * 60 + minute,
        }
    }

    #[test]
    fn answers_the_day_asked_on_the_tenant_s_clock() {
        // Fixture: weekdays 8-17, Saturday 9-13, Sunday closed.
        let p = profile();
        let tuesday_morning = at(1, 10, 30);
        let said = |asked| answer(&p, asked, tuesday_morning).unwrap();
        assert_eq!(
            said(HoursAsked::Now),
            "Yes, we're open right now, until 5 PM today."
        );
        assert_eq!(
            said(HoursAsked::Today),
            "Today we're open from 8 AM to 5 PM."
        );
        assert_eq!(said(HoursAsked::Day(6)), "We're closed on Sundays.");
        assert_eq!(
            said(HoursAsked::Day(5)),
            "On Saturdays we're open from 9 AM to 1 PM."
        );
        let saturday_evening = at(5, 18, 0);
        assert_eq!(
            answer(&p, HoursAsked::Now, saturday_evening).unwrap(),
            "No, we're closed right now. We open again on Monday at 8 AM."
        );
        assert_eq!(
            answer(&p, HoursAsked::Tomorrow, saturday_evening).unwrap(),
            "We're closed tomorrow. We open again on Monday at 8 AM."
        );
        let early_tuesday = at(1, 7, 0);
        assert_eq!(
            answer(&p, HoursAsked::Now, early_tuesday).unwrap(),
            "No, we're closed right now. We open again today at 8 AM."
        );
        let friday_night = at(4, 20, 0);
        assert_eq!(
            answer(&p, HoursAsked::Today, friday_night).unwrap(),
            "Today we were open from 8 AM to 5 PM, so we're closed now. We open again tomorrow at 9 AM."
        );
    }
}
