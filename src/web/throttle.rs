//! Login throttling over `login_attempts`: after `MAX_FAILURES` failed
//! sign-ins within `WINDOW`, for one account or from one address, the next
//! attempt is refused before its password is even checked, until the oldest
//! of those failures leaves the window. Only failures count, so a user who
//! signs in now and then is never locked out by their own successes.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::login_attempts;

pub const MAX_FAILURES: usize = 10;
pub const WINDOW: Duration = Duration::minutes(15);
/// Attempts older than this are of no use to throttling and are pruned.
pub const KEEP_ATTEMPTS: Duration = Duration::days(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Refused; the attempt may be made again after this long.
    Refused {
        retry_after: Duration,
    },
}

impl Verdict {
    /// Whole minutes to wait, rounded up (at least one).
    pub fn minutes_to_wait(retry_after: Duration) -> i64 {
        let seconds = retry_after.num_seconds().max(1);
        ((seconds + 59) / 60).max(1)
    }

    /// "Try again in N minutes." for a refusal after `retry_after`.
    pub fn try_again_in(retry_after: Duration) -> String {
        let minutes = Verdict::minutes_to_wait(retry_after);
        let unit = if minutes == 1 { "minute" } else { "minutes" };
        format!("Try again in {minutes} {unit}.")
    }
}

/// The verdict for one key (an account or an address) given its failures
/// within the window, newest first.
pub fn verdict(failures_newest_first: &[NaiveDateTime], now: NaiveDateTime) -> Verdict {
    let recent: Vec<&NaiveDateTime> = failures_newest_first
        .iter()
        .filter(|at| **at > now - WINDOW)
        .collect();
    match recent.get(MAX_FAILURES - 1) {
        // The failure whose ageing out brings the count under the limit.
        Some(oldest_that_counts) => Verdict::Refused {
            retry_after: **oldest_that_counts + WINDOW - now,
        },
        None => Verdict::Allowed,
    }
}

/// The stricter of two verdicts.
fn stricter(a: Verdict, b: Verdict) -> Verdict {
    match (a, b) {
        (Verdict::Allowed, other) | (other, Verdict::Allowed) => other,
        (Verdict::Refused { retry_after: x }, Verdict::Refused { retry_after: y }) => {
            Verdict::Refused {
                retry_after: x.max(y),
            }
        }
    }
}

/// Whether a sign-in as `email` (normalised) from `ip` may be attempted now.
pub fn check(
    conn: &mut DbConnection,
    email: &str,
    ip: &str,
    now: NaiveDateTime,
) -> QueryResult<Verdict> {
    let by_account = recent_failures(conn, Key::Account(email), now)?;
    let by_ip = recent_failures(conn, Key::Address(ip), now)?;
    Ok(stricter(verdict(&by_account, now), verdict(&by_ip, now)))
}

/// Whose failures to count.
enum Key<'a> {
    Account(&'a str),
    Address(&'a str),
}

/// The key's failures within the window, newest first (at most the ones
/// that decide the verdict).
fn recent_failures(
    conn: &mut DbConnection,
    key: Key<'_>,
    now: NaiveDateTime,
) -> QueryResult<Vec<NaiveDateTime>> {
    let mut query = login_attempts::table
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::attempted_at.gt(now - WINDOW))
        .select(login_attempts::attempted_at)
        .order(login_attempts::attempted_at.desc())
        .limit(MAX_FAILURES as i64)
        .into_boxed();
    query = match key {
        Key::Account(email) => query.filter(login_attempts::email.eq(email)),
        Key::Address(ip) => query.filter(login_attempts::ip.eq(ip)),
    };
    query.load(conn)
}

/// Records an attempt (the email normalised; unknown emails too, so
/// guessing accounts is throttled like guessing passwords).
pub fn record(
    conn: &mut DbConnection,
    email: &str,
    ip: &str,
    succeeded: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::email.eq(email),
            login_attempts::ip.eq(ip),
            login_attempts::succeeded.eq(succeeded),
            login_attempts::attempted_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Deletes attempts too old to matter.
pub fn prune(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        login_attempts::table.filter(login_attempts::attempted_at.lt(now - KEEP_ATTEMPTS)),
    )
    .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + seconds, 0)
            .unwrap()
            .naive_utc()
    }

    /// `n` failures, one a minute, the newest at `now` - 1 minute.
    fn failures(n: i64, now: i64) -> Vec<NaiveDateTime> {
        (1..=n).map(|i| at(now - i * 60)).collect()
    }

    #[test]
    fn ten_failures_within_fifteen_minutes_refuse_the_eleventh_attempt() {
        assert_eq!(verdict(&failures(9, 1000), at(1000)), Verdict::Allowed);
        let Verdict::Refused { retry_after } = verdict(&failures(10, 1000), at(1000)) else {
            panic!("the eleventh attempt must be refused");
        };
        // The tenth newest failure was 10 minutes ago: it leaves the window in 5.
        assert_eq!(retry_after, Duration::minutes(5));
        assert_eq!(Verdict::minutes_to_wait(retry_after), 5);
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let old: Vec<NaiveDateTime> = (0..20).map(|i| at(-16 * 60 - i)).collect();
        assert_eq!(verdict(&old, at(0)), Verdict::Allowed);
    }

    #[test]
    fn the_wait_is_rounded_up_to_whole_minutes() {
        assert_eq!(Verdict::minutes_to_wait(Duration::seconds(61)), 2);
        assert_eq!(Verdict::minutes_to_wait(Duration::seconds(0)), 1);
        assert_eq!(Verdict::minutes_to_wait(Duration::minutes(15)), 15);
    }

    #[test]
    fn the_longer_of_two_refusals_wins() {
        let short = Verdict::Refused {
            retry_after: Duration::minutes(1),
        };
        let long = Verdict::Refused {
            retry_after: Duration::minutes(9),
        };
        assert_eq!(stricter(short, long), long);
        assert_eq!(stricter(Verdict::Allowed, short), short);
        assert_eq!(
            stricter(Verdict::Allowed, Verdict::Allowed),
            Verdict::Allowed
        );
    }
}
