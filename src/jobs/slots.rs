//! The worker's bookkeeping: when it polls, renews leases and does its
//! maintenance, and which jobs run in its slots under which claim.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::{AbortHandle, JoinError, JoinSet};

use crate::config::WorkerSettings;
use crate::ids::JobId;

/// How often, at most, expired leases are rescued and the purge scheduled.
const MAINTENANCE_EVERY: Duration = Duration::from_secs(30);

/// When the worker does what: its poll, its lease renewals, its maintenance,
/// and how many free slots make a claim worth a transaction.
pub(super) struct Pace {
    pub(super) poll: Duration,
    heartbeat_every: Duration,
    pub(super) next_heartbeat: tokio::time::Instant,
    maintenance_every: Duration,
    last_maintenance: Option<Instant>,
    /// Claim once this many slots are free (or none runs), so a busy worker
    /// claims in batches instead of one transaction per finished job.
    pub(super) refill_at: usize,
}

impl Pace {
    pub(super) fn new(settings: &WorkerSettings) -> Pace {
        let heartbeat_every = settings.lease / 3;
        Pace {
            poll: settings.poll_interval,
            heartbeat_every,
            next_heartbeat: tokio::time::Instant::now() + heartbeat_every,
            // A short lease (tests) is rescued within one lease.
            maintenance_every: MAINTENANCE_EVERY.min(settings.lease),
            last_maintenance: None,
            refill_at: settings.concurrency.div_ceil(4).max(1),
        }
    }

    pub(super) fn maintenance_due(&mut self) -> bool {
        let due = self
            .last_maintenance
            .is_none_or(|at| at.elapsed() >= self.maintenance_every);
        if due {
            self.last_maintenance = Some(Instant::now());
        }
        due
    }

    pub(super) fn heartbeat_due(&mut self) -> bool {
        let now = tokio::time::Instant::now();
        let due = now >= self.next_heartbeat;
        if due {
            self.next_heartbeat = now + self.heartbeat_every;
        }
        due
    }
}

/// One job's run, with the claim it runs under.
pub(super) struct Execution {
    pub(super) id: JobId,
    pub(super) claim: Arc<str>,
    pub(super) run: std::pin::Pin<Box<dyn Future<Output = bool> + Send>>,
}

/// A job this worker runs.
struct InFlight {
    id: JobId,
    claim: Arc<str>,
    abort: AbortHandle,
}

/// The jobs a worker is running, and those that succeeded but are not yet
/// marked done (they are settled together, with the next claim).
#[derive(Default)]
pub(super) struct Slots {
    pub(super) tasks: JoinSet<bool>,
    in_flight: HashMap<tokio::task::Id, InFlight>,
    pub(super) finished: Vec<(Arc<str>, JobId)>,
    pub(super) oldest_finish: Option<Instant>,
}

impl Slots {
    pub(super) fn running(&self) -> usize {
        self.tasks.len()
    }

    pub(super) fn start(&mut self, execution: Execution) {
        let abort = self.tasks.spawn(execution.run);
        self.in_flight.insert(
            abort.id(),
            InFlight {
                id: execution.id,
                claim: execution.claim,
                abort,
            },
        );
    }

    pub(super) fn collect_finished(&mut self) {
        while let Some(joined) = self.tasks.try_join_next_with_id() {
            self.settle(Some(joined));
        }
    }

    /// Records how a run ended: failures were recorded by the run itself,
    /// successes wait to be marked done.
    pub(super) fn settle(&mut self, joined: Option<Result<(tokio::task::Id, bool), JoinError>>) {
        match joined {
            Some(Ok((task, succeeded))) => {
                if let Some(job) = self.in_flight.remove(&task)
                    && succeeded
                {
                    self.finished.push((job.claim, job.id));
                    self.oldest_finish.get_or_insert_with(Instant::now);
                }
            }
            Some(Err(err)) => {
                self.in_flight.remove(&err.id());
                if !err.is_cancelled() {
                    tracing::error!(error = %err, "job task failed outside the job");
                }
            }
            None => {}
        }
    }

    /// The finished jobs, by claim, to be marked done.
    pub(super) fn take_finished(&mut self) -> HashMap<Arc<str>, Vec<JobId>> {
        self.oldest_finish = None;
        by_claim(std::mem::take(&mut self.finished))
    }

    /// Puts back finished jobs whose settling failed, to try again.
    pub(super) fn restore_finished(&mut self, done: HashMap<Arc<str>, Vec<JobId>>) {
        for (claim, ids) in done {
            self.finished
                .extend(ids.into_iter().map(|id| (claim.clone(), id)));
        }
        self.oldest_finish.get_or_insert_with(Instant::now);
    }

    pub(super) fn running_by_claim(&self) -> HashMap<Arc<str>, Vec<JobId>> {
        by_claim(
            self.in_flight
                .values()
                .map(|job| (job.claim.clone(), job.id))
                .collect(),
        )
    }

    /// Aborts every running job not among `held`. Returns how many.
    pub(super) fn stop_all_but(&mut self, held: &[JobId]) -> usize {
        let mut stopped = 0;
        for job in self.in_flight.values() {
            if !held.contains(&job.id) && !job.abort.is_finished() {
                tracing::error!(job = %job.id, "lease lost while running; stopping this run");
                job.abort.abort();
                stopped += 1;
            }
        }
        stopped
    }
}

fn by_claim(jobs: Vec<(Arc<str>, JobId)>) -> HashMap<Arc<str>, Vec<JobId>> {
    let mut grouped: HashMap<Arc<str>, Vec<JobId>> = HashMap::new();
    for (claim, id) in jobs {
        grouped.entry(claim).or_default().push(id);
    }
    grouped
}
