//! `PurgeExpired`: applies each tenant's retention (see `crate::retention`).

use super::handlers::{Handlers, JobError};
use crate::db;
use crate::retention;

pub(super) async fn run(handlers: &Handlers) -> Result<(), JobError> {
    let now = crate::clock::now();
    let purged = db::run_write(&handlers.pool, move |conn| {
        Ok::<_, JobError>(retention::purge(conn, now)?)
    })
    .await?;
    tracing::info!(
        calls = purged.calls,
        leads = purged.leads,
        jobs = purged.jobs,
        "purged expired data"
    );
    Ok(())
}
