//! `PurgeExpired`: applies each tenant's retention (see `crate::retention`),
//! and forgets dashboard sessions that can no longer be used and sign-in
//! attempts too old to count (a sign-in prunes them too, but a form that
//! was only ever loaded leaves a session behind).

use super::handlers::{Handlers, JobError};
use crate::db;
use crate::retention::{self, Purged};
use crate::web::{session_store, throttle};

pub(super) async fn run(handlers: &Handlers) -> Result<(), JobError> {
    let now = crate::clock::now();
    let pool = &handlers.pool;
    let cutoffs = db::run(pool, move |conn| {
        Ok::<_, JobError>(retention::cutoffs(conn, now)?)
    })
    .await?;
    let mut purged = Purged::default();
    for (tenant_id, cutoff) in cutoffs {
        // One batch per turn at the database: on SQLite live calls' writes
        // go between them.
        loop {
            let batch = db::run_write(pool, move |conn| {
                Ok::<_, JobError>(retention::purge_batch(conn, tenant_id, cutoff)?)
            })
            .await?;
            if batch.is_empty() {
                break;
            }
            purged.add(&batch);
        }
    }
    purged.jobs = db::run_write(pool, move |conn| {
        Ok::<_, JobError>(retention::prune_jobs(conn, now)?)
    })
    .await?;
    let (sessions, attempts) = db::run_write(pool, move |conn| {
        Ok::<_, JobError>((
            session_store::prune_expired(conn, now)?,
            throttle::prune(conn, now)?,
        ))
    })
    .await?;
    tracing::info!(
        sessions,
        sign_in_attempts = attempts,
        calls = purged.calls,
        leads = purged.leads,
        jobs = purged.jobs,
        "purged expired data"
    );
    Ok(())
}
