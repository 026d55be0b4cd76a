//! The worker: claims due jobs in batches, runs them (at most `concurrency`
//! at once), renews the leases of those still running, settles finished
//! ones in batches, rescues jobs whose worker died, schedules the daily
//! purge, and stops cleanly.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinError;

use super::handlers::{JobError, JobRunner};
use super::queue::{self, ClaimedJob, Failure};
use super::slots::{Execution, Pace, Slots};
use super::{JobKind, enqueue_at};
use crate::config::WorkerSettings;
use crate::db::{self, DbError, DbPool, write_transaction};
use crate::error::ErrorChain;
use crate::receptionist::in_flight::TurnsInFlight;

pub struct Worker<R> {
    pool: DbPool,
    runner: Arc<R>,
    settings: WorkerSettings,
    id: String,
    claims: AtomicU64,
    /// The turns this process is taking (in-process worker only): while any
    /// is, only lead emails are claimed, at most `WHILE_CALLERS_WAIT` at once.
    yield_to: Option<TurnsInFlight>,
}

/// Jobs run at once while callers wait for answers on the same process: the
/// lead emails keep going out, the rest waits for the calls to leave the CPU.
const WHILE_CALLERS_WAIT: usize = 8;

/// What the worker may start now: how many jobs at once, and of which
/// priority at least.
#[derive(Debug, Clone, Copy)]
struct Allowance {
    at_once: usize,
    least: i32,
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
            claims: AtomicU64::new(0),
            yield_to: None,
        }
    }

    /// Runs only a few jobs at once while `turns` has any in flight.
    pub fn yielding_to(mut self, turns: TurnsInFlight) -> Worker<R> {
        self.yield_to = Some(turns);
        self
    }

    fn allowance(&self) -> Allowance {
        match &self.yield_to {
            Some(turns) if turns.now() > 0 => Allowance {
                at_once: self.settings.concurrency.min(WHILE_CALLERS_WAIT),
                least: super::URGENT,
            },
            _ => Allowance {
                at_once: self.settings.concurrency,
                least: i32::MIN,
            },
        }
    }

    /// Runs until `shutdown` turns true; then stops claiming, gives running
    /// jobs `grace` to finish and hands the rest back to the queue.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>, grace: Duration) {
        tracing::info!(worker = %self.id, concurrency = self.settings.concurrency, "job worker started");
        let mut slots = Slots::default();
        let mut pace = Pace::new(&self.settings);
        let mut idle = true;
        while !*shutdown.borrow() {
            if pace.maintenance_due() {
                self.maintain().await;
            }
            if pace.heartbeat_due() {
                self.renew_leases(&mut slots).await;
            }
            slots.collect_finished();
            let allowance = self.allowance();
            let free = allowance.at_once.saturating_sub(slots.running());
            let wanted = if free >= pace.refill_at || slots.running() == 0 {
                free
            } else {
                0
            };
            let settle = slots.finished.len() >= pace.refill_at
                || slots
                    .oldest_finish
                    .is_some_and(|at| at.elapsed() >= pace.poll);
            let claimed = if wanted > 0 || settle {
                self.settle_and_claim(&mut slots, wanted, allowance.least, idle)
                    .await
            } else {
                Vec::new()
            };
            idle = wanted > 0 && claimed.is_empty();
            let full_batch = wanted > 0 && claimed.len() == wanted;
            for job in claimed {
                slots.start(self.execute(job));
            }
            // A full batch suggests more are due: look again once a slot frees.
            tokio::select! {
                joined = slots.tasks.join_next_with_id(), if slots.running() > 0 => slots.settle(joined),
                _ = tokio::time::sleep(pace.poll), if !full_batch => {}
                _ = tokio::time::sleep_until(pace.next_heartbeat), if slots.running() > 0 => {}
                _ = shutdown.changed() => {}
            }
        }
        self.stop(slots, grace).await;
    }

    /// A token for one claim: this worker's id and a sequence number, so no
    /// two claims ever share one (see `queue`).
    fn next_claim(&self) -> Arc<str> {
        let n = self.claims.fetch_add(1, Ordering::Relaxed);
        Arc::from(format!("{}#{n}", self.id))
    }

    /// Marks finished jobs done and claims up to `limit` new ones, in one
    /// short transaction (one commit for the whole pass). When the last
    /// claim found nothing (`idle`) and nothing is to be settled, a read
    /// checks first whether anything is due, so an idle worker's poll never
    /// writes (nor waits for SQLite's write lock).
    async fn settle_and_claim(
        &self,
        slots: &mut Slots,
        limit: usize,
        least: i32,
        idle: bool,
    ) -> Vec<ClaimedJob> {
        if slots.finished.is_empty() && (limit == 0 || idle && !self.anything_due().await) {
            return Vec::new();
        }
        let done = slots.take_finished();
        let retry_later = done.clone();
        let claim = self.next_claim();
        let limit = i64::try_from(limit).unwrap_or(1);
        let result = db::run_write(&self.pool, move |conn| {
            write_transaction(conn, |conn| {
                let now = crate::clock::now();
                let mut settled = 0;
                for (claim, ids) in &done {
                    settled += queue::complete_many(conn, ids, claim, now)?;
                }
                let finished: usize = done.values().map(Vec::len).sum();
                if settled < finished {
                    tracing::warn!(
                        lost = finished - settled,
                        "jobs finished after their lease was taken over; their outcome is dropped"
                    );
                }
                if limit == 0 {
                    return Ok(Vec::new());
                }
                Ok::<_, DbError>(queue::claim_from(conn, &claim, limit, least, now)?)
            })
        })
        .await;
        match result {
            Ok(claimed) => claimed,
            Err(err) => {
                tracing::error!(error = ?ErrorChain(&err), "cannot settle and claim jobs");
                slots.restore_finished(retry_later);
                Vec::new()
            }
        }
    }

    async fn anything_due(&self) -> bool {
        let due = db::run(&self.pool, |conn| {
            Ok::<_, DbError>(queue::any_due(conn, crate::clock::now())?)
        })
        .await;
        // On error, try the claim: it reports the error if it persists.
        due.unwrap_or(true)
    }

    /// Extends the leases of the running jobs (one statement per claim);
    /// a job whose lease was lost meanwhile (the database was unreachable
    /// for a whole lease, and it was rescued) is stopped here, so it never
    /// runs twice at once.
    async fn renew_leases(&self, slots: &mut Slots) {
        let running = slots.running_by_claim();
        if running.is_empty() {
            return;
        }
        let result = db::run_write(&self.pool, move |conn| {
            let now = crate::clock::now();
            let mut held = Vec::new();
            for (claim, ids) in &running {
                held.extend(queue::renew(conn, ids, claim, now)?);
            }
            Ok::<_, DbError>(held)
        })
        .await;
        match result {
            Ok(held) => {
                let stopped = slots.stop_all_but(&held);
                if stopped > 0 {
                    tracing::error!(stopped, "stopped jobs whose lease was lost");
                }
            }
            Err(err) => {
                tracing::error!(error = ?ErrorChain(&err), "cannot renew job leases; retrying")
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

    async fn stop(&self, mut slots: Slots, grace: Duration) {
        tracing::info!(worker = %self.id, running = slots.running(), "job worker stopping");
        let deadline = tokio::time::Instant::now() + grace;
        while slots.running() > 0 {
            match tokio::time::timeout_at(deadline, slots.tasks.join_next_with_id()).await {
                Ok(joined @ Some(_)) => slots.settle(joined),
                Ok(None) | Err(_) => break,
            }
        }
        let unfinished = slots.running_by_claim();
        slots.tasks.abort_all();
        while let Some(joined) = slots.tasks.join_next_with_id().await {
            slots.settle(Some(joined));
        }
        // Done first, so releasing cannot hand back a job that succeeded.
        self.settle_and_claim(&mut slots, 0, i32::MIN, false).await;
        if unfinished.is_empty() {
            tracing::info!(worker = %self.id, "job worker stopped");
            return;
        }
        let released = db::run_write(&self.pool, move |conn| {
            let now = crate::clock::now();
            let mut released = 0;
            for (claim, ids) in &unfinished {
                released += queue::release(conn, ids, claim, now)?;
            }
            Ok::<_, DbError>(released)
        })
        .await;
        match released {
            Ok(n) => tracing::warn!(released = n, "handed unfinished jobs back to the queue"),
            Err(err) => {
                tracing::error!(error = ?ErrorChain(&err), "cannot release jobs; their leases will expire")
            }
        }
        tracing::info!(worker = %self.id, "job worker stopped");
    }

    /// A claimed job's run, ready to be started in a slot.
    fn execute(&self, job: ClaimedJob) -> Execution {
        Execution {
            id: job.id,
            claim: Arc::from(job.locked_by.as_str()),
            run: Box::pin(execute(
                self.pool.clone(),
                self.runner.clone(),
                self.settings.retry_base,
                job,
            )),
        }
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
/// worker's next pass). Returns whether it succeeded. The job runs in its
/// own task so a panic is caught and counted as a failed attempt.
async fn execute<R: JobRunner>(
    pool: DbPool,
    runner: Arc<R>,
    retry_base: Duration,
    job: ClaimedJob,
) -> bool {
    let span = tracing::info_span!("job", id = %job.id, kind = %job.kind, attempt = job.attempts);
    let task = {
        let job = job.clone();
        AbortOnDrop(tokio::spawn(async move { runner.run(job).await }))
    };
    let mut handle = task;
    let outcome = (&mut handle.0).await;
    let (error, permanent) = match outcome {
        Ok(Ok(())) => {
            span.in_scope(|| tracing::debug!("job done"));
            return true;
        }
        Ok(Err(JobError::Retry(err))) => (format!("{err:#}"), false),
        Ok(Err(JobError::Permanent(err))) => (format!("{err:#}"), true),
        Err(join) if join.is_panic() => (format!("job panicked: {}", panic_message(join)), false),
        Err(join) => (format!("job task stopped: {join}"), false),
    };
    let recorded = error.clone();
    let failed = db::run_write(&pool, move |conn| {
        Ok::<_, DbError>(queue::fail(
            conn,
            &job,
            &recorded,
            permanent,
            retry_base,
            crate::clock::now(),
        )?)
    })
    .await;
    span.in_scope(|| match failed {
        Ok(Some(Failure::RetryAt(at))) => {
            tracing::warn!(retry_at = %at, error = %error, "job failed; will retry")
        }
        Ok(Some(Failure::Dead)) => {
            tracing::error!(error = %error, permanent, "job failed for the last time; marked dead")
        }
        Ok(None) => tracing::warn!(error = %error, "job failed after its lease was taken over; its outcome is dropped"),
        Err(err) => tracing::error!(error = %error, db_error = ?ErrorChain(&err), "cannot record job failure; its lease will expire"),
    });
    false
}

fn panic_message(join: JoinError) -> String {
    let payload = join.into_panic();
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}
