//! What each kind of job does. Each reads what it needs, works with no
//! transaction open (LLM, SMTP), then writes in one short transaction.

use std::sync::Arc;

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use diesel::prelude::*;

use super::queue::ClaimedJob;
use super::{JobKind, enqueue};
use crate::ai::summary::{CallFacts, summarize};
use crate::config::Config;
use crate::conversation::interpretation::Details;
use crate::conversation::state::Outcome;
use crate::db::{self, DbConnection, DbError, DbPool, write_transaction};
use crate::ids::{CallId, LeadId};
use crate::mail::{self, MailError, Mailer, messages::readable_phone};
use crate::schema::{call_turns, calls, leads, tenants};
use crate::tenants::Tenant;

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
            JobKind::SummarizeCall { call_id } => self.summarize_call(call_id).await,
            JobKind::LeadNotification { lead_id } => self.lead_notification(lead_id, &key).await,
            JobKind::CallSummaryEmail { call_id } => self.call_summary_email(call_id, &key).await,
            JobKind::PurgeExpired => self.purge_expired().await,
        }
    }
}

/// A call row with its tenant, as the jobs need it.
struct CallRecord {
    call_id: CallId,
    tenant: Tenant,
    from_number: String,
    outcome: Option<String>,
    started_at: NaiveDateTime,
    duration_seconds: Option<i32>,
    summary: Option<String>,
    /// The name the caller gave, if they left a message.
    caller_name: Option<String>,
}

fn load_call(conn: &mut DbConnection, call_id: CallId) -> QueryResult<CallRecord> {
    let (from_number, outcome, started_at, duration_seconds, summary, tenant) = calls::table
        .inner_join(tenants::table)
        .filter(calls::id.eq(call_id))
        .select((
            calls::from_number,
            calls::outcome,
            calls::started_at,
            calls::duration_seconds,
            calls::summary,
            Tenant::as_select(),
        ))
        .first::<(
            String,
            Option<String>,
            NaiveDateTime,
            Option<i32>,
            Option<String>,
            Tenant,
        )>(conn)?;
    let caller_name = leads::table
        .filter(leads::call_id.eq(call_id))
        .select(leads::name)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten();
    Ok(CallRecord {
        call_id,
        tenant,
        from_number,
        outcome,
        started_at,
        duration_seconds,
        summary,
        caller_name,
    })
}

fn load_lead(conn: &mut DbConnection, call_id: CallId) -> QueryResult<Option<(Details, bool)>> {
    leads::table
        .filter(leads::call_id.eq(call_id))
        .select((
            leads::name,
            leads::phone,
            leads::email,
            leads::reason,
            leads::complete,
        ))
        .first::<(
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            bool,
        )>(conn)
        .optional()
        .map(|row| {
            row.map(|(name, phone, email, reason, complete)| {
                (
                    Details {
                        name,
                        phone,
                        email,
                        reason,
                    },
                    complete,
                )
            })
        })
}

fn load_transcript(conn: &mut DbConnection, call_id: CallId) -> QueryResult<Vec<(String, String)>> {
    call_turns::table
        .filter(call_turns::call_id.eq(call_id))
        .order(call_turns::seq)
        .select((call_turns::speaker, call_turns::text))
        .load(conn)
}

fn caller_display(number: &str) -> String {
    if crate::tenants::file::is_e164(number) {
        readable_phone(number)
    } else {
        "a withheld number".to_owned()
    }
}

fn local_time(at: NaiveDateTime, timezone: &str) -> String {
    let tz: Tz = timezone.parse().unwrap_or(Tz::UTC);
    at.and_utc()
        .with_timezone(&tz)
        .format("%a %b %-d, %Y at %-I:%M %p %Z")
        .to_string()
}

fn outcome_words(outcome: Option<&str>) -> &'static str {
    match outcome {
        Some("answered") => "questions answered",
        Some("transferred") => "put through to a person",
        Some("lead_captured") => "message taken",
        Some("emergency") => "emergency: told to call the emergency number",
        Some("hung_up") => "caller hung up",
        Some("spam_blocked") => "refused (blocked or too many calls)",
        Some("busy") => "refused: every line was busy",
        _ => "ended without a resolution",
    }
}

/// The last lines of a transcript, as mailed with a lead.
const TRANSCRIPT_EXCERPT_LINES: usize = 12;

impl Handlers {
    fn call_url(&self, call_id: CallId) -> String {
        format!("{}/calls/{call_id}", self.config.public_url)
    }

    async fn summarize_call(&self, call_id: CallId) -> Result<(), JobError> {
        let (call, lead, transcript) = db::run(&self.pool, move |conn| {
            Ok::<_, JobError>((
                load_call(conn, call_id)?,
                load_lead(conn, call_id)?,
                load_transcript(conn, call_id)?,
            ))
        })
        .await?;
        let caller_lines: Vec<&str> = transcript
            .iter()
            .filter(|(speaker, _)| speaker == "caller")
            .map(|(_, text)| text.as_str())
            .collect();
        let caller = caller_display(&call.from_number);
        let summary = summarize(&CallFacts {
            caller_number: &caller,
            caller_lines: &caller_lines,
            outcome: call.outcome.as_deref().and_then(Outcome::parse),
            duration_seconds: call.duration_seconds,
            lead: lead.as_ref().map(|(d, complete)| (d, *complete)),
        });
        let wants_email =
            call.tenant.send_call_summaries && !call.tenant.notification_email_list().is_empty();
        db::run(&self.pool, move |conn| {
            write_transaction(conn, |conn| {
                diesel::update(calls::table.find(call_id))
                    .set(calls::summary.eq(&summary))
                    .execute(conn)?;
                if wants_email {
                    enqueue(
                        conn,
                        &JobKind::CallSummaryEmail { call_id },
                        crate::clock::now(),
                    )?;
                }
                Ok::<_, JobError>(())
            })
        })
        .await
    }

    async fn lead_notification(&self, lead_id: LeadId, key: &str) -> Result<(), JobError> {
        let loaded = db::run(&self.pool, move |conn| {
            let call_id: Option<CallId> = leads::table
                .find(lead_id)
                .select(leads::call_id)
                .first(conn)
                .optional()?
                .flatten();
            let Some(call_id) = call_id else {
                return Ok::<_, JobError>(None);
            };
            Ok(Some((
                load_call(conn, call_id)?,
                load_lead(conn, call_id)?,
                load_transcript(conn, call_id)?,
            )))
        })
        .await?;
        let Some((call, Some((lead, complete)), transcript)) = loaded else {
            tracing::warn!(lead = %lead_id, "lead or its call is gone; nothing to send");
            return Ok(());
        };
        let recipients = call.tenant.notification_email_list();
        if recipients.is_empty() {
            tracing::info!(tenant = %call.tenant.slug, "no notification addresses; lead email skipped");
            return Ok(());
        }
        let excerpt: Vec<(&str, &str)> = transcript
            .iter()
            .skip(transcript.len().saturating_sub(TRANSCRIPT_EXCERPT_LINES))
            .map(|(s, t)| (s.as_str(), t.as_str()))
            .collect();
        let callback = lead.phone.as_deref().map(readable_phone);
        let call_url = self.call_url(call.call_id);
        let called_at = local_time(call.started_at, &call.tenant.timezone);
        let email = mail::lead_notification(
            recipients,
            &mail::LeadNotification {
                tenant_name: &call.tenant.name,
                caller_name: lead.name.as_deref(),
                callback_number: callback.as_deref(),
                email: lead.email.as_deref(),
                reason: lead.reason.as_deref(),
                complete,
                call_url: &call_url,
                called_at: &called_at,
                transcript: &excerpt,
            },
            mail::message_id_for(key, &self.config.mail_from),
        )
        .map_err(|e| JobError::Permanent(e.into()))?;
        self.mailer.send(&email).await?;
        Ok(())
    }

    async fn call_summary_email(&self, call_id: CallId, key: &str) -> Result<(), JobError> {
        let call = db::run(&self.pool, move |conn| {
            Ok::<_, JobError>(load_call(conn, call_id)?)
        })
        .await?;
        let recipients = call.tenant.notification_email_list();
        let Some(summary) = call.summary.as_deref().filter(|_| !recipients.is_empty()) else {
            return Ok(());
        };
        let caller = match (&call.caller_name, caller_display(&call.from_number)) {
            (Some(name), number) => format!("{name} ({number})"),
            (None, number) => number,
        };
        let call_url = self.call_url(call_id);
        let called_at = local_time(call.started_at, &call.tenant.timezone);
        let duration = call.duration_seconds.map_or_else(
            || "unknown".to_owned(),
            |s| format!("{}:{:02}", s / 60, s % 60),
        );
        let email = mail::call_summary(
            recipients,
            &mail::CallSummary {
                tenant_name: &call.tenant.name,
                caller: &caller,
                called_at: &called_at,
                duration: &duration,
                outcome: outcome_words(call.outcome.as_deref()),
                summary,
                call_url: &call_url,
            },
            mail::message_id_for(key, &self.config.mail_from),
        )
        .map_err(|e| JobError::Permanent(e.into()))?;
        self.mailer.send(&email).await?;
        Ok(())
    }

    async fn purge_expired(&self) -> Result<(), JobError> {
        let purged = db::run(&self.pool, |conn| {
            Ok::<_, JobError>(purge(conn, crate::clock::now())?)
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
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub calls: usize,
    pub leads: usize,
    pub jobs: usize,
}

/// Done jobs are kept this long for inspection, then deleted.
pub const KEEP_DONE_JOBS_DAYS: i64 = 7;

/// Deletes transcripts, summaries and leads older than each tenant's
/// retention (tenants without one keep everything), and old done jobs. The
/// call rows stay (without content) so counts and durations remain.
pub fn purge(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Purged> {
    let mut purged = Purged::default();
    let retained: Vec<(crate::ids::TenantId, i32)> = tenants::table
        .filter(tenants::retention_days.is_not_null())
        .select((tenants::id, tenants::retention_days.assume_not_null()))
        .load(conn)?;
    for (tenant_id, days) in retained {
        let cutoff = now - chrono::Duration::days(i64::from(days));
        write_transaction(conn, |conn| {
            let old_calls = calls::table
                .filter(calls::tenant_id.eq(tenant_id))
                .filter(calls::started_at.lt(cutoff))
                .select(calls::id);
            diesel::delete(call_turns::table.filter(call_turns::call_id.eq_any(old_calls)))
                .execute(conn)?;
            purged.calls += diesel::update(
                calls::table
                    .filter(calls::tenant_id.eq(tenant_id))
                    .filter(calls::started_at.lt(cutoff))
                    .filter(
                        calls::summary
                            .is_not_null()
                            .or(calls::last_reply.is_not_null()),
                    ),
            )
            .set((
                calls::summary.eq(None::<String>),
                calls::memory.eq("{}"),
                calls::last_reply.eq(None::<String>),
            ))
            .execute(conn)?;
            purged.leads += diesel::delete(
                leads::table
                    .filter(leads::tenant_id.eq(tenant_id))
                    .filter(leads::created_at.lt(cutoff)),
            )
            .execute(conn)?;
            Ok::<_, diesel::result::Error>(())
        })?;
    }
    purged.jobs = super::queue::prune_done(conn, chrono::Duration::days(KEEP_DONE_JOBS_DAYS), now)?;
    Ok(purged)
}
