//! Running a claimed job: why a job fails, the runner the worker drives, and
//! the product's dispatch to one module per kind of job. Each job reads what
//! it needs, works with no transaction open (LLM, SMTP), then writes in one
//! short transaction through the writer gate.

use std::sync::Arc;

use crate::ai::Brain;

use super::queue::ClaimedJob;
use super::{JobKind, lead_email, purge, summarize, summary_email};
use crate::config::Config;
use crate::db::{DbError, DbPool};
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
}

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
    /// The call's page on the dashboard, linked from the emails.
    pub(super) fn call_url(&self, call_id: CallId) -> String {
        format!("{}/calls/{call_id}", self.config.public_url)
    }
}
