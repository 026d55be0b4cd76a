//! `SummarizeCall`: writes an ended call's summary and, when the tenant wants
//! summaries mailed, enqueues the summary email in the same transaction.

use super::call_story::{CallStory, LoadedStory, StoryOf, StoryRequest};
use super::handlers::{Handlers, JobError};
use super::{JobKind, enqueue};
use crate::ai::BrainError;
use crate::ai::summary::{CallFacts, KnowledgeQuestion, LeftMessage, summarize};
use crate::calls::{history, usage};
use crate::conversation::interpretation::{LlmOutcome, LlmUse};
use crate::ids::{CallId, TenantId};
use crate::knowledge::unanswered;
use crate::mail::wording::caller_display;

pub(super) async fn run(
    handlers: &Handlers,
    tenant_id: TenantId,
    call_id: CallId,
) -> Result<(), JobError> {
    let request = StoryRequest {
        tenant_id,
        of: StoryOf::Call(call_id),
        deliveries_of: None,
    };
    let Some(LoadedStory { story, .. }) = handlers.story(request).await? else {
        tracing::warn!(call = %call_id, "the call is gone; nothing to summarise");
        return Ok(());
    };
    // The configuration as it stands now, to recognise answers and score
    // the questions recorded below (built once per version, not per call).
    let version = story.call.tenant.config_version;
    let context = handlers
        .tenants
        .context(&handlers.pool, tenant_id, version)
        .await?;
    let sources = CallStory::answer_sources(&context);
    let happened = story.happened(&sources);
    let questions = story.knowledge_questions(&sources);
    let asked_at = story.call.started_at;
    let quotes = story.quotes();
    let caller = caller_display(&story.call.from_number, story.country_code);
    let details = story.lead.as_ref().map(|l| &l.details);
    let callback = details
        .and_then(|d| d.phone.as_deref())
        .map(|p| story.phone(p));
    let facts = CallFacts {
        caller_name: details.and_then(|d| d.name.as_deref()),
        caller_number: &caller,
        caller_lines: &quotes,
        happened: &happened,
        duration_seconds: story.call.duration_seconds,
        message: details.map(|d| LeftMessage {
            callback: callback.as_deref(),
            email: d.email.as_deref(),
            reason: d.reason.as_deref(),
        }),
    };
    let brain = handlers.brain.as_ref();
    let model = story.call.tenant.llm_model.as_deref();
    let _turn = if brain.model(model).is_some() {
        let permit = handlers.llm_summaries.acquire().await;
        Some(permit.map_err(|e| JobError::Retry(e.into()))?)
    } else {
        None
    };
    let started = std::time::Instant::now();
    let (summary, usage) = match brain.summarize(&facts, model).await {
        Ok(summary) => (summary.text, summary.llm),
        Err(error) => {
            // The extractive summary never fails: the business still hears
            // about the call.
            tracing::warn!(brain = brain.name(), %error, "summary failed; using the extractive one");
            let failed = brain.model(model).map(|model| LlmUse {
                model: model.to_owned(),
                prompt_tokens: 0,
                completion_tokens: 0,
                latency_ms: u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX),
                outcome: match error {
                    BrainError::Invalid(_) => LlmOutcome::Invalid,
                    BrainError::Unavailable(_) => LlmOutcome::Error,
                },
            });
            (summarize(&facts), failed)
        }
    };
    let tenant = &story.call.tenant;
    let wants_email = tenant.send_call_summaries && !tenant.notification_email_list().is_empty();
    let now = crate::clock::now();
    handlers
        .write(move |conn| {
            let saved = history::save_summary(conn, tenant_id, call_id, &summary)?;
            if !saved {
                return Ok(());
            }
            if let Some(usage) = &usage {
                usage::record(
                    conn,
                    &usage::usage_row(tenant_id, Some(call_id), None, "summary", usage),
                    now,
                )?;
            }
            // Once per call: a retried job finds the summary saved.
            let questions: Vec<KnowledgeQuestion> = questions
                .iter()
                .map(|(text, answered)| KnowledgeQuestion {
                    text,
                    answered: *answered,
                })
                .collect();
            unanswered::record_for_call(
                conn,
                tenant_id,
                call_id,
                &questions,
                &context.knowledge,
                asked_at,
            )?;
            if wants_email {
                enqueue(conn, &JobKind::CallSummaryEmail { tenant_id, call_id }, now)?;
            }
            Ok(())
        })
        .await
}
