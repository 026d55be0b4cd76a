//! Answers about opening hours for the day the caller asked about, on the
//! tenant's own clock: "are you open now?", "what time do you close
//! today?", "do you work Sundays?".

use chrono::{Days, NaiveDate};

use super::interpretation::HoursAsked;
use super::profile::{Closure, LocalTime, OpenSpan, TenantProfile};
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

/// How far ahead "we open again …" looks, past closures of several weeks.
const DAYS_AHEAD: u64 = 62;

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
            let state = match profile.closure_on(now.date) {
                Some(closure) => format!("We're closed today{}.", for_closure(closure)),
                None if profile.is_open_at(now) => "We're open right now.".to_string(),
                None => "We're closed right now.".to_string(),
            };
            format!("{} {state}", business_hours(hours))
        }
        HoursAsked::Now => now_answer(profile, now),
        HoursAsked::Today => today_answer(profile, now),
        HoursAsked::Tomorrow => {
            let day = (today + 1) % 7;
            let closure = day_after(now, 1).and_then(|date| profile.closure_on(date));
            match (closure, hours[day]) {
                (Some(closure), _) => format!(
                    "We're closed tomorrow{}. {}",
                    for_closure(closure),
                    next_opening(profile, now, 1, 0)
                ),
                (None, Some(span)) => format!("Tomorrow we're open {}.", span_words(span)),
                (None, None) => format!(
                    "We're closed tomorrow. {}",
                    next_opening(profile, now, 1, 0)
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

/// " for Christmas", or nothing for a closure without a name.
fn for_closure(closure: &Closure) -> String {
    closure
        .name
        .as_deref()
        .map(|name| format!(" for {name}"))
        .unwrap_or_default()
}

fn day_after(now: LocalTime, days: u64) -> Option<NaiveDate> {
    now.date.checked_add_days(Days::new(days))
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

fn now_answer(profile: &TenantProfile, now: LocalTime) -> String {
    if let Some(closure) = profile.closure_on(now.date) {
        return format!(
            "No, we're closed today{}. {}",
            for_closure(closure),
            next_opening(profile, now, 0, now.minute)
        );
    }
    match profile.hours[now.weekday % 7] {
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
            next_opening(profile, now, 0, now.minute)
        ),
    }
}

fn today_answer(profile: &TenantProfile, now: LocalTime) -> String {
    if let Some(closure) = profile.closure_on(now.date) {
        return format!(
            "We're closed today{}. {}",
            for_closure(closure),
            next_opening(profile, now, 0, now.minute)
        );
    }
    match profile.hours[now.weekday % 7] {
        Some(span) if now.minute < span.close_minute => {
            format!("Today we're open {}.", span_words(span))
        }
        Some(span) => format!(
            "Today we were open {}, so we're closed now. {}",
            span_words(span),
            next_opening(profile, now, 0, now.minute)
        ),
        None => format!(
            "We're closed today. {}",
            next_opening(profile, now, 0, now.minute)
        ),
    }
}

/// "We open again tomorrow at 8 AM." looking from `first` days after today
/// (at `minute` on that day) onwards, past closed weekdays and closures.
fn next_opening(profile: &TenantProfile, now: LocalTime, first: u64, minute: u16) -> String {
    let today = now.weekday % 7;
    for ahead in first..first + DAYS_AHEAD {
        let day = (today + ahead as usize) % 7;
        let Some(span) = profile.hours[day] else {
            continue;
        };
        if ahead == first && minute >= span.open_minute {
            continue;
        }
        let date = day_after(now, ahead);
        if date.is_some_and(|date| profile.closure_on(date).is_some()) {
            continue;
        }
        let at = time_of_day(span.open_minute);
        let when = match (ahead, date) {
            (0, _) => format!("today at {at}"),
            (1, _) => format!("tomorrow at {at}"),
            (2..=6, _) => format!("on {} at {at}", DAYS[day]),
            (7, _) => format!("next {} at {at}", DAYS[day]),
            (_, Some(date)) => format!("on {} {} at {at}", DAYS[day], date.format("%B %-d")),
            (_, None) => format!("on {} at {at}", DAYS[day]),
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
            ..LocalTime::default()
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

    #[test]
    fn a_closure_closes_the_day_and_the_next_opening_skips_it() {
        let mut p = profile();
        let date = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        p.closures = vec![Closure {
            first_day: date("2026-12-24"),
            last_day: date("2026-12-26"),
            name: Some("Christmas".to_string()),
        }];
        // Thursday 24 December 2026, 10:30: a weekday inside the weekly hours.
        let christmas_eve = LocalTime {
            weekday: 3,
            minute: 10 * 60 + 30,
            date: date("2026-12-24"),
        };
        assert!(!p.is_open_at(christmas_eve));
        assert_eq!(
            answer(&p, HoursAsked::Now, christmas_eve).unwrap(),
            "No, we're closed today for Christmas. We open again on Monday at 8 AM."
        );
        let day_before = LocalTime {
            weekday: 2,
            date: date("2026-12-23"),
            ..christmas_eve
        };
        assert!(p.is_open_at(day_before));
        assert_eq!(
            answer(&p, HoursAsked::Tomorrow, day_before).unwrap(),
            "We're closed tomorrow for Christmas. We open again on Monday at 8 AM."
        );
    }
}
