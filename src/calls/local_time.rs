//! The tenant's clock for the dashboard: calls are stored in UTC, owners
//! think in their own days and hours. Every conversion between the two is
//! here, so a day boundary is the same on every page and in the CSV.

use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike};
use chrono_tz::Tz;

/// The UTC instant the tenant's day `date` begins. A midnight that does not
/// exist (a DST jump at midnight) begins at the first hour that does.
pub fn day_start(tz: Tz, date: NaiveDate) -> NaiveDateTime {
    let midnight = date.and_time(chrono::NaiveTime::MIN);
    (0..3)
        .find_map(|hour| {
            tz.from_local_datetime(&(midnight + Duration::hours(hour)))
                .earliest()
        })
        .map_or(midnight, |local| local.naive_utc())
}

/// The UTC range `[start, end)` covering the tenant's days `from` to `to`,
/// both included.
pub fn days_range(tz: Tz, from: NaiveDate, to: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    let after = to.succ_opt().unwrap_or(to);
    (day_start(tz, from), day_start(tz, after))
}

/// The tenant's local time of the UTC instant `utc`.
pub fn local(tz: Tz, utc: NaiveDateTime) -> NaiveDateTime {
    tz.from_utc_datetime(&utc).naive_local()
}

/// The tenant's date of the UTC instant `utc`.
pub fn local_date(tz: Tz, utc: NaiveDateTime) -> NaiveDate {
    local(tz, utc).date()
}

/// The tenant's hour of day (0-23) of the UTC instant `utc`.
pub fn local_hour(tz: Tz, utc: NaiveDateTime) -> u32 {
    local(tz, utc).hour()
}

/// `utc` written in the tenant's time zone with a chrono format string
/// (e.g. `"%Y-%m-%d %H:%M"`).
pub fn format(tz: Tz, utc: NaiveDateTime, pattern: &str) -> String {
    tz.from_utc_datetime(&utc).format(pattern).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn a_new_york_day_starts_at_five_in_the_morning_utc_in_winter() {
        let start = day_start(chrono_tz::America::New_York, date(2026, 1, 15));
        assert_eq!(start.to_string(), "2026-01-15 05:00:00");
    }

    #[test]
    fn a_day_without_a_midnight_begins_at_its_first_hour() {
        // Santiago skips from 00:00 to 01:00 when summer time starts.
        let start = day_start(chrono_tz::America::Santiago, date(2026, 9, 6));
        assert_eq!(local(chrono_tz::America::Santiago, start).hour(), 1);
    }

    #[test]
    fn a_range_of_days_includes_the_last_day() {
        let tz = chrono_tz::Europe::Berlin;
        let (start, end) = days_range(tz, date(2026, 3, 1), date(2026, 3, 1));
        assert_eq!(start.to_string(), "2026-02-28 23:00:00");
        assert_eq!(end.to_string(), "2026-03-01 23:00:00");
    }
}
