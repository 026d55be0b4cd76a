//! UTC wall-clock time as stored in the database (`Timestamp`, no zone).

use chrono::{NaiveDateTime, Timelike, Utc};

/// Now in UTC, truncated to microseconds so a value round-trips through
/// PostgreSQL's `timestamp` unchanged.
pub fn now() -> NaiveDateTime {
    let now = Utc::now().naive_utc();
    now.with_nanosecond((now.nanosecond() / 1_000) * 1_000)
        .unwrap_or(now)
}
