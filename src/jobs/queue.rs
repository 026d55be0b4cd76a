//! Claiming and settling jobs. Each operation is one short statement or
//! transaction; no transaction is held while a job runs.
//!
//! A claim is named by a token (`locked_by`) that is new for every `claim`
//! call, so a run's lease can only be renewed, completed or failed by that
//! run: once a lease expired and the job was claimed again, even by the same
//! worker, the first run's late outcome matches no row and is dropped.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::expression::SqlLiteral;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text, Timestamp};
use rand::Rng;

use super::JobKind;
use crate::db::DbConnection;
use crate::ids::JobId;
use crate::schema::jobs;

/// The jobs among `ids` still held by the claim named `claim`.
macro_rules! held {
    ($ids:expr, $claim:expr) => {
        jobs::table
            .filter(jobs::id.eq_any($ids))
            .filter(jobs::status.eq("running"))
            .filter(jobs::locked_by.eq($claim))
    };
}

/// The longest wait between two attempts: an outage that ends is noticed
/// within half an hour, while a long one costs only two attempts an hour.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30 * 60);

/// The columns that clear a job's lease.
fn lease_cleared() -> (
    diesel::dsl::Eq<jobs::locked_at, Option<NaiveDateTime>>,
    diesel::dsl::Eq<jobs::locked_by, Option<String>>,
) {
    (jobs::locked_at.eq(None), jobs::locked_by.eq(None))
}

/// `jobs.status = '<status>'` with the status written into the SQL rather
/// than bound: only then can SQLite (and a generic PostgreSQL plan) prove
/// that a partial index on that status applies, instead of scanning every
/// job ever run.
pub(super) fn status_is(status: &'static str) -> SqlLiteral<Bool> {
    diesel::dsl::sql(&format!("jobs.status = '{status}'"))
}

/// A claimed job: its lease is held by its claim until settled or expired.
#[derive(Debug, Clone, QueryableByName)]
pub struct ClaimedJob {
    #[diesel(sql_type = BigInt)]
    pub id: JobId,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub payload: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub unique_key: Option<String>,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    /// The claim's token: only it can renew, complete or fail this run.
    #[diesel(sql_type = Text)]
    pub locked_by: String,
    /// After this a failure is final (see `super::retry_window`).
    #[diesel(sql_type = Timestamp)]
    pub give_up_at: NaiveDateTime,
}

impl ClaimedJob {
    pub fn job(&self) -> Result<JobKind, serde_json::Error> {
        serde_json::from_str(&self.payload)
    }
}

/// Claims up to `limit` due jobs in one statement, highest priority first,
/// under `claim`, a token the caller must not have used before.
/// PostgreSQL skips rows other workers are claiming (`SKIP LOCKED`); SQLite
/// serialises writers, so one `UPDATE ... RETURNING` is enough there.
pub fn claim(
    conn: &mut DbConnection,
    claim: &str,
    limit: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<ClaimedJob>> {
    claim_from(conn, claim, limit, i32::MIN, now)
}

/// `claim`, of the jobs with at least priority `least` only.
pub fn claim_from(
    conn: &mut DbConnection,
    claim: &str,
    limit: i64,
    least: i32,
    now: NaiveDateTime,
) -> QueryResult<Vec<ClaimedJob>> {
    let skip_locked = match conn {
        DbConnection::Pg(_) => "FOR UPDATE SKIP LOCKED",
        DbConnection::Sqlite(_) => "",
    };
    // SQLite numbers `$N` parameters in the order they first appear, so
    // they appear in order.
    let sql = format!(
        "UPDATE jobs SET status = 'running', locked_at = $1, locked_by = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= $1 AND priority >= $3 \
                      ORDER BY priority DESC, run_at, id LIMIT $4 {skip_locked}) \
         RETURNING id, kind, payload, unique_key, attempts, locked_by, give_up_at"
    );
    let mut claimed: Vec<ClaimedJob> = diesel::sql_query(sql)
        .bind::<Timestamp, _>(now)
        .bind::<Text, _>(claim)
        .bind::<Integer, _>(least)
        .bind::<BigInt, _>(limit)
        .load(conn)?;
    claimed.sort_by_key(|job| job.id);
    Ok(claimed)
}

/// Marks a job done. Only the claim holding the lease can: a run whose
/// lease expired and was claimed again must not settle the new run.
pub fn complete(
    conn: &mut DbConnection,
    id: JobId,
    claim: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    complete_many(conn, &[id], claim, now).map(|n| n == 1)
}

/// Marks several jobs of one claim done in one statement (a worker settles
/// what finished since its last pass together, to spend one commit, not one
/// per job). Returns how many were still that claim's to settle.
pub fn complete_many(
    conn: &mut DbConnection,
    ids: &[JobId],
    claim: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::update(held!(ids, claim))
        .set((
            jobs::status.eq("done"),
            jobs::finished_at.eq(now),
            lease_cleared(),
            jobs::last_error.eq(None::<String>),
        ))
        .execute(conn)
}

/// How a failed run ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    RetryAt(NaiveDateTime),
    Dead,
}

/// Records a failed run of the claim `job`: retried after a backoff, or
/// dead when the error is permanent or the job's retry window is over. A
/// dead job stays in the table. `None` when the claim no longer holds the
/// job (its lease expired and it was claimed again): nothing is recorded.
pub fn fail(
    conn: &mut DbConnection,
    job: &ClaimedJob,
    error: &str,
    permanent: bool,
    retry_base: Duration,
    now: NaiveDateTime,
) -> QueryResult<Option<Failure>> {
    let error: String = error.chars().take(2000).collect();
    let delay = backoff(job.attempts, retry_base, &mut rand::rng());
    let failure = next_step(permanent, job.give_up_at, delay, now);
    let updated = match failure {
        Failure::Dead => diesel::update(held!([job.id], &job.locked_by))
            .set((
                jobs::status.eq("dead"),
                jobs::finished_at.eq(now),
                jobs::last_error.eq(&error),
                lease_cleared(),
            ))
            .execute(conn)?,
        Failure::RetryAt(at) => diesel::update(held!([job.id], &job.locked_by))
            .set((
                jobs::status.eq("queued"),
                jobs::run_at.eq(at),
                jobs::last_error.eq(&error),
                lease_cleared(),
            ))
            .execute(conn)?,
    };
    Ok((updated == 1).then_some(failure))
}

/// What follows a failure: a permanent error or a window already over ends
/// the job; otherwise it retries after `delay`, but no later than
/// `give_up_at`, so the last attempt falls at the end of the window.
pub fn next_step(
    permanent: bool,
    give_up_at: NaiveDateTime,
    delay: chrono::Duration,
    now: NaiveDateTime,
) -> Failure {
    if permanent || now >= give_up_at {
        Failure::Dead
    } else {
        Failure::RetryAt((now + delay).min(give_up_at))
    }
}

/// `base * 2^(attempts-1)`, capped at `MAX_BACKOFF`, with ±20% jitter so
/// jobs that failed together do not retry together.
pub fn backoff(attempts: i32, base: Duration, rng: &mut impl Rng) -> chrono::Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    let plain = base
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(MAX_BACKOFF);
    let jitter = rng.random_range(0.8..1.2);
    chrono::Duration::from_std(plain.mul_f64(jitter)).unwrap_or(chrono::Duration::minutes(30))
}

/// Extends the lease of the jobs among `ids` that `claim` still holds, so a
/// job that runs longer than the lease is not presumed orphaned. Returns the
/// ids it still holds; the others were lost (rescued and maybe claimed
/// again), and their run must stop.
pub fn renew(
    conn: &mut DbConnection,
    ids: &[JobId],
    claim: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<JobId>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    crate::on_backend!(conn, |c| diesel::update(held!(ids, claim))
        .set(jobs::locked_at.eq(now))
        .returning(jobs::id)
        .get_results(c))
}

/// True when some job is due: the idle worker's poll, a read, so an idle
/// worker never takes SQLite's write lock (or a write transaction) to find
/// nothing.
pub fn any_due(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        jobs::table
            .filter(status_is("queued"))
            .filter(jobs::run_at.le(now)),
    ))
    .get_result(conn)
}

/// Makes jobs whose lease expired (their worker died mid-run, or stopped
/// renewing it) claimable again, or dead if their retry window is over.
/// Returns how many.
pub fn rescue_expired(
    conn: &mut DbConnection,
    lease: Duration,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let expired_before =
        now - chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::minutes(5));
    let expired = jobs::table
        .filter(status_is("running"))
        .filter(jobs::locked_at.lt(expired_before));
    let dead = diesel::update(expired.clone().filter(jobs::give_up_at.le(now)))
        .set((
            jobs::status.eq("dead"),
            jobs::finished_at.eq(now),
            jobs::last_error.eq("the worker stopped during the last attempt (lease expired)"),
            lease_cleared(),
        ))
        .execute(conn)?;
    let requeued = diesel::update(expired)
        .set((
            jobs::status.eq("queued"),
            jobs::run_at.eq(now),
            jobs::last_error.eq("the worker stopped during this attempt (lease expired)"),
            lease_cleared(),
        ))
        .execute(conn)?;
    Ok(dead + requeued)
}

/// Hands back jobs of `claim` a stopping worker could not finish in its
/// grace period.
pub fn release(
    conn: &mut DbConnection,
    ids: &[JobId],
    claim: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(held!(ids, claim))
        .set((
            jobs::status.eq("queued"),
            jobs::run_at.eq(now),
            lease_cleared(),
        ))
        .execute(conn)
}

/// Deletes finished (done) jobs older than `keep`; dead jobs are kept.
pub fn prune_done(
    conn: &mut DbConnection,
    keep: chrono::Duration,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        jobs::table
            .filter(status_is("done"))
            .filter(jobs::finished_at.lt(now - keep)),
    )
    .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{LeadId, TenantId};

    #[test]
    fn backoff_doubles_per_attempt_within_the_jitter_and_is_capped_at_half_an_hour() {
        let mut rng = rand::rng();
        let base = Duration::from_secs(60);
        for attempts in 1..=5 {
            let plain = 60.0 * 2f64.powi(attempts - 1);
            let got = backoff(attempts, base, &mut rng).num_milliseconds() as f64 / 1000.0;
            assert!(
                got >= plain * 0.8 && got <= plain * 1.2,
                "attempt {attempts}: {got}s"
            );
        }
        for attempts in [7, 40, i32::MAX] {
            assert!(backoff(attempts, base, &mut rng) <= chrono::Duration::minutes(36));
        }
    }

    /// Every failure of a lead email from its first run, with the product's
    /// base delay: (when it was retried, what ended it).
    fn lead_email_failing_for_ever() -> (Vec<NaiveDateTime>, NaiveDateTime, NaiveDateTime) {
        let first_run = crate::clock::now();
        let job = JobKind::LeadNotification {
            tenant_id: TenantId(1),
            lead_id: LeadId(1),
        };
        let give_up_at = first_run + job.retry_window();
        let mut rng = rand::rng();
        let (mut now, mut attempts, mut retries) = (first_run, 1, Vec::new());
        loop {
            let delay = backoff(attempts, Duration::from_secs(60), &mut rng);
            match next_step(false, give_up_at, delay, now) {
                Failure::RetryAt(at) => {
                    retries.push(at);
                    now = at;
                    attempts += 1;
                }
                Failure::Dead => return (retries, first_run, now),
            }
        }
    }

    #[test]
    fn a_lead_email_keeps_retrying_through_a_long_weekend_and_dies_after_five_days() {
        let (retries, first_run, died_at) = lead_email_failing_for_ever();
        assert_eq!(
            died_at - first_run,
            chrono::Duration::days(5),
            "its last attempt ends the window"
        );
        let saturday_evening = first_run + chrono::Duration::hours(30);
        let monday_morning = first_run + chrono::Duration::hours(62);
        assert!(
            retries
                .iter()
                .any(|at| *at > monday_morning
                    && *at - monday_morning < chrono::Duration::minutes(40)),
            "an outage that ends on Monday morning is noticed within the cap"
        );
        assert!(retries.iter().any(|at| *at > saturday_evening));
        let gaps: Vec<chrono::Duration> = std::iter::once(first_run)
            .chain(retries.iter().copied())
            .collect::<Vec<_>>()
            .windows(2)
            .map(|w| w[1] - w[0])
            .collect();
        assert!(
            gaps[0] < chrono::Duration::minutes(2),
            "the first retry is soon: {:?}",
            gaps[0]
        );
        assert!(
            gaps.iter().all(|gap| *gap <= chrono::Duration::minutes(36)),
            "capped"
        );
        assert!(
            retries.len() > 200,
            "about two attempts an hour for five days: {}",
            retries.len()
        );
    }

    #[test]
    fn each_kind_of_job_has_its_own_retry_window() {
        let (tenant_id, call_id) = (TenantId(1), crate::ids::CallId(1));
        let windows = [
            (
                JobKind::LeadNotification {
                    tenant_id,
                    lead_id: LeadId(1),
                },
                5,
            ),
            (JobKind::CallSummaryEmail { tenant_id, call_id }, 2),
            (JobKind::SummarizeCall { tenant_id, call_id }, 1),
            (JobKind::PurgeExpired, 1),
        ];
        for (job, days) in windows {
            assert_eq!(
                job.retry_window(),
                chrono::Duration::days(days),
                "{}",
                job.name()
            );
        }
    }

    #[test]
    fn a_permanent_error_ends_the_job_at_once_and_a_closed_window_ends_it_too() {
        let now = crate::clock::now();
        let delay = chrono::Duration::minutes(1);
        let later = now + chrono::Duration::days(1);
        assert_eq!(next_step(true, later, delay, now), Failure::Dead);
        assert_eq!(next_step(false, now, delay, now), Failure::Dead);
        assert_eq!(
            next_step(false, later, delay, now),
            Failure::RetryAt(now + delay)
        );
        let soon = now + chrono::Duration::seconds(10);
        assert_eq!(
            next_step(false, soon, delay, now),
            Failure::RetryAt(soon),
            "the last try falls at the end"
        );
    }
}
