//! What an operator sees of the queue and can do about it: counts, the jobs
//! that failed and why, requeueing them (`frontdesk jobs`), and the age of
//! the oldest due job (`/readyz`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::queue::status_is;
use super::retry_window;
use crate::audit::{self, Action, Change};
use crate::db::{DbConnection, write_transaction};
use crate::ids::JobId;
use crate::schema::jobs;

/// How many jobs of one kind are in one status.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct KindCount {
    pub kind: String,
    pub status: String,
    pub count: i64,
}

/// Jobs by kind and status.
pub fn counts(conn: &mut DbConnection) -> QueryResult<Vec<KindCount>> {
    jobs::table
        .group_by((jobs::kind, jobs::status))
        .select((jobs::kind, jobs::status, diesel::dsl::count_star()))
        .order_by((jobs::kind, jobs::status))
        .load(conn)
}

/// A job that failed: dead, or pending with the error of its last attempt.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct FailedJob {
    pub id: JobId,
    pub kind: String,
    pub unique_key: Option<String>,
    pub status: String,
    pub attempts: i32,
    /// When a pending job runs next (a dead job's is its last run's).
    pub run_at: NaiveDateTime,
    pub give_up_at: NaiveDateTime,
    pub last_error: Option<String>,
}

/// Dead jobs, then jobs that failed and will retry, newest first within
/// each, at most `limit` (with how many there are in all).
pub fn failed(conn: &mut DbConnection, limit: i64) -> QueryResult<(Vec<FailedJob>, i64)> {
    let failed = jobs::table.filter(
        jobs::status.eq("dead").or(jobs::status
            .eq_any(["queued", "running"])
            .and(jobs::last_error.is_not_null())),
    );
    let total = failed.clone().count().get_result(conn)?;
    let rows = failed
        .select((
            jobs::id,
            jobs::kind,
            jobs::unique_key,
            jobs::status,
            jobs::attempts,
            jobs::run_at,
            jobs::give_up_at,
            jobs::last_error,
        ))
        .order_by((jobs::status.eq("dead").desc(), jobs::id.desc()))
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
}

/// What `retry` did with one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Retried {
    /// Due now, with a fresh retry window; its attempt count is kept.
    Requeued,
    NotFound,
    /// Running or done: nothing to retry.
    NotRetryable {
        status: String,
    },
    /// Another job with the same key is pending and does the same work.
    Duplicate {
        key: String,
    },
}

impl Retried {
    /// What was done with job `id`, for the operator.
    pub fn explain(&self, id: JobId) -> String {
        match self {
            Retried::Requeued => {
                format!("job {id}: requeued, due now (attempt count kept, retry window restarted)")
            }
            Retried::NotFound => format!("job {id}: no such job"),
            Retried::NotRetryable { status } => format!("job {id}: {status}, nothing to retry"),
            Retried::Duplicate { key } => format!(
                "job {id}: not requeued, job {key} is already pending and does the same work"
            ),
        }
    }
}

/// Requeues a dead or waiting job to run now, with a new retry window from
/// now (an operator retries after fixing the cause, so the job gets its
/// kind's whole window again). The attempt count is kept, so the row still
/// tells how often it was tried; the last error stays until the next run.
pub fn retry(conn: &mut DbConnection, id: JobId, now: NaiveDateTime) -> QueryResult<Retried> {
    write_transaction(conn, |conn| {
        let found = jobs::table
            .find(id)
            .select((jobs::kind, jobs::status, jobs::unique_key))
            .first::<(String, String, Option<String>)>(conn)
            .optional()?;
        let Some((kind, status, key)) = found else {
            return Ok(Retried::NotFound);
        };
        if status != "dead" && status != "queued" {
            return Ok(Retried::NotRetryable { status });
        }
        if let Some(key) = key
            && status == "dead"
            && pending_with_key(conn, &key)?
        {
            return Ok(Retried::Duplicate { key });
        }
        diesel::update(jobs::table.find(id))
            .set((
                jobs::status.eq("queued"),
                jobs::run_at.eq(now),
                jobs::give_up_at.eq(now + retry_window(&kind)),
                jobs::finished_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        Ok(Retried::Requeued)
    })
}

/// `retry`, with its audit entry (`JobRetried`) in the same transaction
/// when the job was requeued: the dashboard's Retry button and `frontdesk
/// jobs retry`.
pub fn retry_recorded(
    conn: &mut DbConnection,
    id: JobId,
    now: NaiveDateTime,
    by: &Change,
) -> QueryResult<Retried> {
    write_transaction(conn, |conn| {
        let retried = retry(conn, id, now)?;
        if retried == Retried::Requeued {
            let kind: String = jobs::table.find(id).select(jobs::kind).first(conn)?;
            audit::record(conn, by, Action::JobRetried, &format!("{kind} #{id}"))?;
        }
        Ok(retried)
    })
}

/// `retry_dead` with an audit entry for each job requeued.
pub fn retry_dead_recorded(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    by: &Change,
) -> QueryResult<Vec<(JobId, Retried)>> {
    dead_ids(conn)?
        .into_iter()
        .map(|id| retry_recorded(conn, id, now, by).map(|retried| (id, retried)))
        .collect()
}

fn dead_ids(conn: &mut DbConnection) -> QueryResult<Vec<JobId>> {
    jobs::table
        .filter(jobs::status.eq("dead"))
        .select(jobs::id)
        .order_by(jobs::id)
        .load(conn)
}

fn pending_with_key(conn: &mut DbConnection, key: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        jobs::table
            .filter(jobs::unique_key.eq(key))
            .filter(jobs::status.eq_any(["queued", "running"])),
    ))
    .get_result(conn)
}

/// Requeues every dead job as `retry` does, each in its own transaction.
/// Returns each job with what was done with it.
pub fn retry_dead(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Vec<(JobId, Retried)>> {
    dead_ids(conn)?
        .into_iter()
        .map(|id| retry(conn, id, now).map(|retried| (id, retried)))
        .collect()
}

/// When the longest-waiting due job became due (`None`: nothing waits).
/// One read of the first entry of an index, whatever the backlog.
pub fn oldest_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Option<NaiveDateTime>> {
    jobs::table
        .filter(status_is("queued"))
        .filter(jobs::run_at.le(now))
        .select(diesel::dsl::min(jobs::run_at))
        .first(conn)
}
