//! Running a claimed job: why a job fails, the runner the worker drives, and
//! the product's dispatch to one module per kind of job. Each job reads what
//! it needs together with the other jobs running (`Handlers::story`), works
//! with no transaction open (LLM, SMTP), then writes in a short transaction
//! shared with them (`Handlers::write`).

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::ai::Brain;

use super::batch::{Batcher, WriteGroup};
use super::call_story::{LoadedStory, StoryLoader, StoryRequest};
use super::queue::ClaimedJob;
use super::{JobKind, lead_email, purge, summarize, summary_email};
use crate::config::Config;
use crate::db::{DbConnection, DbError, DbPool};
use crate::ids::CallId;
use crate::mail::{MailError, Mailer};
use crate::tenants::directory::TenantDirectory;

/// Why a job failed, and whether trying again can help.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("{0:#}")]
    Retry(anyhow::Error),
    #[error("{0:#}")]
    Permanent(anyhow::Error),
}

impl From<DbError> for JobError {
    fn from(err: DbError) -> Self {
        JobError::Retry(err.into())
    }
}

impl From<diesel::result::Error> for JobError {
    fn from(err: diesel::result::Error) -> Self {
        JobError::Retry(err.into())
    }
}

impl From<MailError> for JobError {
    fn from(err: MailError) -> Self {
        if err.is_permanent() {
            JobError::Permanent(err.into())
        } else {
            JobError::Retry(err.into())
        }
    }
}

/// Runs claimed jobs. Production runs `Handlers`; tests and the queue
/// benchmark run their own.
pub trait JobRunner: Send + Sync + 'static {
    fn run(&self, job: ClaimedJob) -> impl Future<Output = Result<(), JobError>> + Send;
}

/// The product's jobs.
pub struct Handlers {
    pub pool: DbPool,
    pub mailer: Mailer,
    pub config: Arc<Config>,
    /// Writes call summaries (the rules brain's are extractive).
    pub brain: Arc<dyn Brain>,
    /// The tenants' configurations as this worker last loaded them (the
    /// summary job scores questions with the knowledge matcher), reloaded
    /// only when a tenant's `config_version` moves on.
    pub tenants: Arc<TenantDirectory>,
    /// The calls' stories the running jobs read, loaded a batch at a time.
    pub(super) stories: Batcher<StoryLoader>,
    /// The running jobs' small writes, committed a batch at a time.
    pub(super) writes: Batcher<WriteGroup>,
    /// Summaries being written by the LLM: a burst of ended calls must not
    /// become a burst of requests the provider's rate limit refuses.
    pub(super) llm_summaries: Semaphore,
}

/// The most summaries asked of the LLM at once (the worker runs many more
/// jobs at once: most wait on the database or the mail server).
const LLM_SUMMARIES_AT_ONCE: usize = 16;

impl JobRunner for Handlers {
    async fn run(&self, job: ClaimedJob) -> Result<(), JobError> {
        let kind = job
            .job()
            .map_err(|e| JobError::Permanent(anyhow::anyhow!("unreadable payload: {e}")))?;
        let key = job
            .unique_key
            .clone()
            .unwrap_or_else(|| format!("job:{}", job.id));
        match kind {
            JobKind::SummarizeCall { tenant_id, call_id } => {
                summarize::run(self, tenant_id, call_id).await
            }
            JobKind::LeadNotification { tenant_id, lead_id } => {
                lead_email::run(self, tenant_id, lead_id, &key).await
            }
            JobKind::CallSummaryEmail { tenant_id, call_id } => {
                summary_email::run(self, tenant_id, call_id, &key).await
            }
            JobKind::PurgeExpired => purge::run(self).await,
        }
    }
}

impl Handlers {
    pub fn new(
        pool: DbPool,
        mailer: Mailer,
        config: Arc<Config>,
        brain: Arc<dyn Brain>,
    ) -> Handlers {
        let lot = config.worker.concurrency;
        Handlers {
            stories: Batcher::new(StoryLoader { pool: pool.clone() }, lot),
            writes: Batcher::new(WriteGroup { pool: pool.clone() }, lot),
            llm_summaries: Semaphore::new(LLM_SUMMARIES_AT_ONCE),
            tenants: Arc::default(),
            pool,
            mailer,
            config,
            brain,
        }
    }

    /// The story `request` asks for, loaded with those of the other jobs
    /// running (see `batch`); `None` when the call is gone.
    pub(super) async fn story(
        &self,
        request: StoryRequest,
    ) -> Result<Option<LoadedStory>, JobError> {
        match self.stories.call(request).await {
            Ok(Ok(loaded)) => Ok(loaded),
            Ok(Err(reason)) => Err(JobError::Retry(anyhow::anyhow!(reason))),
            Err(unserved) => Err(JobError::Retry(unserved.into())),
        }
    }

    /// Runs `write` in a transaction shared with the other jobs' writes
    /// (see `batch`), and waits for it to commit.
    pub(super) async fn write(
        &self,
        write: impl Fn(&mut DbConnection) -> Result<(), JobError> + Send + Sync + 'static,
    ) -> Result<(), JobError> {
        self.writes
            .call(Box::new(write))
            .await
            .unwrap_or_else(|unserved| Err(JobError::Retry(unserved.into())))
    }

    /// The call's page on the dashboard, linked from the emails.
    pub(super) fn call_url(&self, call_id: CallId) -> String {
        format!("{}/calls/{call_id}", self.config.public_url)
    }
}
