//! The worker: claims due jobs, runs them (at most `concurrency` at once),
//! settles each one, rescues jobs whose worker died, schedules the daily
//! purge, and stops cleanly.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio::task::JoinSet;

use super::handlers::{JobError, JobRunner};
use super::queue::{self, ClaimedJob, Failure};
use super::{JobKind, enqueue_at};
use crate::config::WorkerSettings;
use crate::db::{self, DbError, DbPool, write_transaction};
use crate::error::ErrorChain;
use crate::ids::JobId;

/// How often expired leases are rescued and the purge is scheduled.
const MAINTENANCE_EVERY: Duration = Duration::from_secs(30);

pub struct Worker<R> {
    pool: DbPool,
    runner: Arc<R>,
    settings: WorkerSettings,
    id: String,
}

impl<R: JobRunner> Worker<R> {
    pub fn new(pool: DbPool, runner: R, settings: WorkerSettings) -> Worker<R> {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "worker".to_owned());
        let id = format!(
            "{host}-{}-{}",
            std::process::id(),
            crate::settings::random_token(6)
        );
        Worker {
            pool,
            runner: Arc::new(runner),
            settings,
            id,
        }
    }

    /// Runs until `shutdown` turns true; then stops claiming, gives running
    /// jobs `grace` to finish and hands the rest back to the queue.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>, grace: Duration) {
        tracing::info!(worker = %self.id, concurrency = self.settings.concurrency, "job worker started");
        let mut running: JoinSet<Ran> = JoinSet::new();
        let mut in_flight: HashSet<JobId> = HashSet::new();
        // Succeeded, not yet marked done: settled with the next claim.
        let mut finished: Vec<JobId> = Vec::new();
        let mut last_maintenance: Option<Instant> = None;
        while !*shutdown.borrow() {
            if last_maintenance.is_none_or(|at| at.elapsed() >= MAINTENANCE_EVERY) {
                self.maintain().await;
                last_maintenance = Some(Instant::now());
            }
            while let Some(done) = running.try_join_next() {
                settle_join(done, &mut in_flight, &mut finished);
            }
            let free = self.settings.concurrency.saturating_sub(running.len());
            let claimed = self.complete_and_claim(&mut finished, free).await;
            let got_full_batch = free > 0 && claimed.len() == free;
            for job in claimed {
                in_flight.insert(job.id);
                running.spawn(execute(
                    self.pool.clone(),
                    self.runner.clone(),
                    self.id.clone(),
                    self.settings.retry_base,
                    job,
                ));
            }
            // With every slot taken, wait for a job to finish rather than poll.
            tokio::select! {
                Some(done) = running.join_next(), if !running.is_empty() => settle_join(done, &mut in_flight, &mut finished),
                _ = tokio::time::sleep(self.settings.poll_interval), if !got_full_batch => {}
                _ = shutdown.changed() => {}
            }
        }
        self.stop(running, in_flight, finished, grace).await;
    }

    /// Marks `finished` jobs done and claims up to `limit` new ones, in one
    /// short transaction (one commit for the whole pass).
    async fn complete_and_claim(&self, finished: &mut Vec<JobId>, limit: usize) -> Vec<ClaimedJob> {
        if finished.is_empty() && limit == 0 {
            return Vec::new();
        }
        let worker = self.id.clone();
        let done = std::mem::take(finished);
        let retry_later = done.clone();
        let limit = i64::try_from(limit).unwrap_or(1);
        let result = db::run_write(&self.pool, move |conn| {
            write_transaction(conn, |conn| {
                let now = crate::clock::now();
                let settled = queue::complete_many(conn, &done, &worker, now)?;
                if settled < done.len() {
                    tracing::warn!(
                        lost = done.len() - settled,
                        "jobs finished after their lease was taken over"
                    );
                }
                let claimed = if limit > 0 {
                    queue::claim(conn, &worker, limit, now)?
                } else {
                    Vec::new()
                };
                Ok::<_, DbError>(claimed)
            })
        })
        .await;
        match result {
            Ok(claimed) => claimed,
            Err(err) => {
                tracing::error!(error = ?ErrorChain(&err), "cannot settle and claim jobs");
                // Try to settle them again on the next pass.
                finished.extend(retry_later);
                Vec::new()
            }
        }
    }

    /// Rescues orphaned jobs, ends calls whose final status was lost (so
    /// their messages are still notified) and keeps the daily purge scheduled.
    async fn maintain(&self) {
        let lease = self.settings.lease;
        let result = db::run_write(&self.pool, move |conn| {
            let now = crate::clock::now();
            let rescued = queue::rescue_expired(conn, lease, now)?;
            let silent_calls = crate::calls::finalize_silent_calls(conn, now, 100)?;
            let tomorrow = (now.date() + chrono::Duration::days(1))
                .and_hms_opt(3, 0, 0)
                .unwrap_or(now);
            enqueue_at(conn, &JobKind::PurgeExpired, now, tomorrow)?;
            Ok::<_, DbError>((rescued, silent_calls))
        })
        .await;
        match result {
            Ok((rescued, silent_calls)) => {
                if rescued > 0 {
                    tracing::warn!(rescued, "rescued jobs whose worker stopped mid-run");
                }
                if silent_calls > 0 {
                    tracing::warn!(silent_calls, "ended calls whose final status never arrived");
                }
            }
            Err(err) => tracing::error!(error = ?ErrorChain(&err), "job maintenance failed"),
        }
    }

    async fn stop(
        &self,
        mut running: JoinSet<Ran>,
        mut in_flight: HashSet<JobId>,
        mut finished: Vec<JobId>,
        grace: Duration,
    ) {
        tracing::info!(worker = %self.id, running = running.len(), "job worker stopping");
        let deadline = tokio::time::Instant::now() + grace;
        while !running.is_empty() {
            match tokio::time::timeout_at(deadline, running.join_next()).await {
                Ok(Some(done)) => settle_join(done, &mut in_flight, &mut finished),
                Ok(None) => break,
                Err(_) => break,
            }
        }
        running.abort_all();
        self.complete_and_claim(&mut finished, 0).await;
        if !in_flight.is_empty() {
            let ids: Vec<JobId> = in_flight.into_iter().collect();
            let worker = self.id.clone();
            let now = crate::clock::now();
            let released = db::run_write(&self.pool, move |conn| {
                Ok::<_, DbError>(queue::release(conn, &ids, &worker, now)?)
            })
            .await;
            match released {
                Ok(n) => tracing::warn!(released = n, "handed unfinished jobs back to the queue"),
                Err(err) => {
                    tracing::error!(error = ?ErrorChain(&err), "cannot release jobs; their leases will expire")
                }
            }
        }
        tracing::info!(worker = %self.id, "job worker stopped");
    }
}

/// A job's run, as `execute` reports it: failures are recorded already;
/// successes wait to be marked done with the worker's next pass.
struct Ran {
    id: JobId,
    succeeded: bool,
}

fn settle_join(
    done: Result<Ran, tokio::task::JoinError>,
    in_flight: &mut HashSet<JobId>,
    finished: &mut Vec<JobId>,
) {
    match done {
        Ok(ran) => {
            in_flight.remove(&ran.id);
            if ran.succeeded {
                finished.push(ran.id);
            }
        }
        Err(err) => tracing::error!(error = %err, "job task failed outside the job"),
    }
}

/// Aborts the wrapped task when dropped, so an aborted `execute` also stops
/// the job it was running.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs one job and records a failure (a success is marked done by the
/// worker's next pass). The job runs in its own task so a panic is caught
/// and counted as a failed attempt.
async fn execute<R: JobRunner>(
    pool: DbPool,
    runner: Arc<R>,
    worker: String,
    retry_base: Duration,
    job: ClaimedJob,
) -> Ran {
    let id = job.id;
    let span = tracing::info_span!("job", id = %id, kind = %job.kind, attempt = job.attempts);
    let task = {
        let job = job.clone();
        AbortOnDrop(tokio::spawn(async move { runner.run(job).await }))
    };
    let mut handle = task;
    let outcome = (&mut handle.0).await;
    let (error, permanent) = match outcome {
        Ok(Ok(())) => {
            span.in_scope(|| tracing::debug!("job done"));
            return Ran {
                id,
                succeeded: true,
            };
        }
        Ok(Err(JobError::Retry(err))) => (format!("{err:#}"), false),
        Ok(Err(JobError::Permanent(err))) => (format!("{err:#}"), true),
        Err(join) if join.is_panic() => (format!("job panicked: {}", panic_message(join)), false),
        Err(join) => (format!("job task stopped: {join}"), false),
    };
    let failed = db::run_write(&pool, move |conn| {
        Ok::<_, DbError>(queue::fail(
            conn,
            &job,
            &worker,
            &error,
            permanent,
            retry_base,
            crate::clock::now(),
        )?)
    })
    .await;
    span.in_scope(|| match failed {
        Ok(Failure::RetryAt(at)) => tracing::warn!(retry_at = %at, "job failed; will retry"),
        Ok(Failure::Dead) => tracing::error!("job failed for the last time; marked dead"),
        Err(err) => tracing::error!(error = ?ErrorChain(&err), "cannot record job failure; its lease will expire"),
    });
    Ran {
        id,
        succeeded: false,
    }
}

fn panic_message(join: tokio::task::JoinError) -> String {
    let payload = join.into_panic();
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}
