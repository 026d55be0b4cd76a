//! Claiming and settling jobs. Each operation is one short statement or
//! transaction; no transaction is held while a job runs.

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

/// The jobs among `ids` whose lease `worker` holds.
macro_rules! held {
    ($ids:expr, $worker:expr) => {
        jobs::table
            .filter(jobs::id.eq_any($ids))
            .filter(jobs::status.eq("running"))
            .filter(jobs::locked_by.eq($worker))
    };
}

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
fn status_is(status: &'static str) -> SqlLiteral<Bool> {
    diesel::dsl::sql(&format!("jobs.status = '{status}'"))
}

/// A claimed job: its lease is held by this worker until settled or expired.
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
    #[diesel(sql_type = Integer)]
    pub max_attempts: i32,
}

impl ClaimedJob {
    pub fn job(&self) -> Result<JobKind, serde_json::Error> {
        serde_json::from_str(&self.payload)
    }
}

/// Claims up to `limit` due jobs for `worker`, highest priority first.
/// PostgreSQL skips rows other workers are claiming (`SKIP LOCKED`); SQLite
/// serialises writers, so one `UPDATE ... RETURNING` is enough there.
pub fn claim(
    conn: &mut DbConnection,
    worker: &str,
    limit: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<ClaimedJob>> {
    let skip_locked = match conn {
        DbConnection::Pg(_) => "FOR UPDATE SKIP LOCKED",
        DbConnection::Sqlite(_) => "",
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', locked_at = $1, locked_by = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= $1 \
                      ORDER BY priority DESC, run_at, id LIMIT $3 {skip_locked}) \
         RETURNING id, kind, payload, unique_key, attempts, max_attempts"
    );
    let mut claimed: Vec<ClaimedJob> = diesel::sql_query(sql)
        .bind::<Timestamp, _>(now)
        .bind::<Text, _>(worker)
        .bind::<BigInt, _>(limit)
        .load(conn)?;
    claimed.sort_by_key(|job| job.id);
    Ok(claimed)
}

/// Marks a job done. Only the worker holding the lease can: a worker whose
/// lease expired and was rescued must not settle someone else's run.
pub fn complete(
    conn: &mut DbConnection,
    id: JobId,
    worker: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    complete_many(conn, &[id], worker, now).map(|n| n == 1)
}

/// Marks several jobs done in one statement (a worker settles what finished
/// since its last pass together, to spend one commit, not one per job).
/// Returns how many were still this worker's to settle.
pub fn complete_many(
    conn: &mut DbConnection,
    ids: &[JobId],
    worker: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::update(held!(ids, worker))
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

/// Records a failed run: retried after a backoff, or dead when attempts are
/// used up or the error is permanent. A dead job stays in the table.
pub fn fail(
    conn: &mut DbConnection,
    job: &ClaimedJob,
    worker: &str,
    error: &str,
    permanent: bool,
    retry_base: Duration,
    now: NaiveDateTime,
) -> QueryResult<Failure> {
    let error: String = error.chars().take(2000).collect();
    let failure = if permanent || job.attempts >= job.max_attempts {
        Failure::Dead
    } else {
        Failure::RetryAt(now + backoff(job.attempts, retry_base, &mut rand::rng()))
    };
    match failure {
        Failure::Dead => diesel::update(held!([job.id], worker))
            .set((
                jobs::status.eq("dead"),
                jobs::finished_at.eq(now),
                jobs::last_error.eq(&error),
                lease_cleared(),
            ))
            .execute(conn)?,
        Failure::RetryAt(at) => diesel::update(held!([job.id], worker))
            .set((
                jobs::status.eq("queued"),
                jobs::run_at.eq(at),
                jobs::last_error.eq(&error),
                lease_cleared(),
            ))
            .execute(conn)?,
    };
    Ok(failure)
}

/// `base * 2^(attempts-1)`, capped at six hours, with ±20% jitter so jobs
/// that failed together do not retry together.
pub fn backoff(attempts: i32, base: Duration, rng: &mut impl Rng) -> chrono::Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    let plain = base
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(Duration::from_secs(6 * 3600));
    let jitter = rng.random_range(0.8..1.2);
    chrono::Duration::from_std(plain.mul_f64(jitter)).unwrap_or(chrono::Duration::hours(6))
}

/// Makes jobs whose lease expired (their worker died mid-run) claimable
/// again, or dead if that was their last attempt. Returns how many.
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
    let dead = diesel::update(
        expired
            .clone()
            .filter(jobs::attempts.ge(jobs::max_attempts)),
    )
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

/// Hands back jobs a stopping worker could not finish in its grace period.
pub fn release(
    conn: &mut DbConnection,
    ids: &[JobId],
    worker: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(held!(ids, worker))
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

    #[test]
    fn backoff_doubles_per_attempt_within_the_jitter_and_is_capped() {
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
        assert!(backoff(40, base, &mut rng) <= chrono::Duration::hours(6) * 6 / 5);
    }
}
