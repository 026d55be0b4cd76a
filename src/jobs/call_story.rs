//! An ended call as the summary and the emails tell it: its record, its
//! message, its transcript, and from these what really happened and what
//! the caller said that is worth quoting. Read in one place so the summary
//! and both emails tell the same story.

use std::collections::HashMap;

use crate::ai::summary::{
    AnswerSources, Evidence, Happened, Line, QUOTED_LINES, knowledge_questions, said, what_happened,
};
use crate::calls::history::{self, CallRecord, TranscriptLine};
use crate::conversation::state::{Outcome, StateName};
use crate::db::{self, DbConnection, DbPool};
use crate::ids::{CallId, LeadId, TenantId};
use crate::leads::{self, StoredLead};
use crate::mail::deliveries::{self, StoredDelivery};
use crate::mail::phone;
use crate::tenants::directory::{TenantContext, country_code_for};

use super::batch::Serve;

#[derive(Clone)]
pub(super) struct CallStory {
    pub call: CallRecord,
    pub lead: Option<StoredLead>,
    pub transcript: Vec<TranscriptLine>,
    /// The tenant's calling code, for writing phone numbers.
    pub country_code: u16,
}

/// What a job asks the story loader for: the story of one of its tenant's
/// calls, and the deliveries its email already had.
pub(super) struct StoryRequest {
    pub tenant_id: TenantId,
    pub of: StoryOf,
    /// The job's key, when it sends an email.
    pub deliveries_of: Option<String>,
}

pub(super) enum StoryOf {
    Call(CallId),
    /// The call the lead was left on.
    Lead(LeadId),
}

/// A story as loaded, with its email's deliveries so far (by recipient).
pub(super) struct LoadedStory {
    pub story: CallStory,
    pub deliveries: Vec<StoredDelivery>,
}

/// `None` when the call (or lead) is gone, or is not the tenant's.
pub(super) type StoryResponse = Result<Option<LoadedStory>, String>;

/// Loads the stories the running jobs ask for, a whole batch with one query
/// per table (see `batch`).
pub(super) struct StoryLoader {
    pub pool: DbPool,
}

impl Serve for StoryLoader {
    type Request = StoryRequest;
    type Response = StoryResponse;

    async fn serve(&self, requests: Vec<StoryRequest>) -> Vec<StoryResponse> {
        let count = requests.len();
        let loaded = db::run(&self.pool, move |conn| {
            Ok::<_, db::DbError>(CallStory::load_many(conn, &requests)?)
        })
        .await;
        match loaded {
            Ok(stories) => stories.into_iter().map(Ok).collect(),
            Err(err) => {
                let reason = format!("{:#}", anyhow::Error::from(err));
                (0..count).map(|_| Err(reason.clone())).collect()
            }
        }
    }
}

impl CallStory {
    /// The stories `requests` ask for, in their order, in five queries
    /// whatever their number.
    pub fn load_many(
        conn: &mut DbConnection,
        requests: &[StoryRequest],
    ) -> diesel::QueryResult<Vec<Option<LoadedStory>>> {
        let lead_ids: Vec<LeadId> = requests
            .iter()
            .filter_map(|r| match r.of {
                StoryOf::Lead(lead) => Some(lead),
                StoryOf::Call(_) => None,
            })
            .collect();
        let lead_calls = if lead_ids.is_empty() {
            HashMap::new()
        } else {
            leads::calls_of(conn, &lead_ids)?
        };
        let call_of = |request: &StoryRequest| match request.of {
            StoryOf::Call(call) => Some(call),
            StoryOf::Lead(lead) => lead_calls
                .get(&lead)
                .filter(|(tenant, _)| *tenant == request.tenant_id)
                .map(|(_, call)| *call),
        };
        let mut call_ids: Vec<CallId> = requests.iter().filter_map(call_of).collect();
        call_ids.sort_unstable();
        call_ids.dedup();
        let keys: Vec<String> = requests
            .iter()
            .filter_map(|r| r.deliveries_of.clone())
            .collect();
        let records = history::find_records(conn, &call_ids)?;
        let lead_of_call = leads::for_calls(conn, &call_ids)?;
        let transcripts = history::transcripts(conn, &call_ids)?;
        let delivered = if keys.is_empty() {
            HashMap::new()
        } else {
            deliveries::for_jobs(conn, &keys)?
        };
        Ok(requests
            .iter()
            .map(|request| {
                let call_id = call_of(request)?;
                let call = records
                    .get(&call_id)
                    .filter(|record| record.tenant.id == request.tenant_id)?;
                let story = CallStory {
                    country_code: country_code_for(&call.tenant.language),
                    lead: lead_of_call
                        .get(&call_id)
                        .filter(|(tenant, _)| *tenant == request.tenant_id)
                        .map(|(_, lead)| lead.clone()),
                    transcript: transcripts.get(&call_id).cloned().unwrap_or_default(),
                    call: call.clone(),
                };
                let deliveries = request
                    .deliveries_of
                    .as_ref()
                    .and_then(|key| delivered.get(key))
                    .map(|rows| {
                        rows.iter()
                            .filter(|(tenant, _)| *tenant == request.tenant_id)
                            .map(|(_, delivery)| delivery.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                Some(LoadedStory { story, deliveries })
            })
            .collect())
    }

    /// What the tenant answers callers from, to recognise answers given:
    /// its configuration as the worker last loaded it.
    pub fn answer_sources(context: &TenantContext) -> AnswerSources {
        let profile = &context.profile;
        AnswerSources::new(
            context
                .knowledge
                .entries()
                .iter()
                .map(|e| (e.question.clone(), e.answer.clone()))
                .collect(),
            profile.address.as_deref(),
            [
                profile.contact_email.as_deref(),
                profile.contact_phone.as_deref(),
                profile.website.as_deref(),
            ],
            &profile.hours,
        )
    }

    pub fn happened(&self, sources: &AnswerSources) -> Happened {
        self.with_evidence(|evidence| what_happened(evidence, sources))
    }

    /// The caller's questions that needed the knowledge base, each with
    /// whether it was answered (owned: they outlive the story).
    pub fn knowledge_questions(&self, sources: &AnswerSources) -> Vec<(String, bool)> {
        self.with_evidence(|evidence| {
            knowledge_questions(evidence, sources)
                .into_iter()
                .map(|q| (q.text.to_owned(), q.answered))
                .collect()
        })
    }

    /// The evidence of what happened on the call, for `read`.
    fn with_evidence<T>(&self, read: impl FnOnce(&Evidence<'_>) -> T) -> T {
        let lines: Vec<Line> = self
            .transcript
            .iter()
            .map(|l| Line {
                by_caller: l.speaker == "caller",
                text: &l.text,
                state: l.state,
            })
            .collect();
        read(&Evidence {
            outcome: self.call.outcome.as_deref().and_then(Outcome::parse),
            transcript: &lines,
            message: self.lead.as_ref().map(|l| l.complete),
            urgent: self.urgent(),
            department: self.department(),
            transfer_failed: self.call.memory.transfer_failed,
            emergency_number: &self.call.tenant.emergency_number,
            business_name: &self.call.tenant.name,
        })
    }

    /// The caller's lines in order, each with the state it was said in.
    pub fn caller_lines(&self) -> Vec<(&str, StateName)> {
        self.transcript
            .iter()
            .filter(|l| l.speaker == "caller")
            .map(|l| (l.text.as_str(), l.state))
            .collect()
    }

    /// The lines the summary quotes: those that say what the caller needed.
    pub fn quotes(&self) -> Vec<&str> {
        said::worth_quoting(self.caller_lines(), &self.call.tenant.name, QUOTED_LINES)
    }

    /// Flagged urgent on the message, or by the conversation when no
    /// message was left.
    pub fn urgent(&self) -> bool {
        self.lead.as_ref().is_some_and(|l| l.urgent) || self.call.memory.urgent
    }

    pub fn department(&self) -> Option<&str> {
        self.lead
            .as_ref()
            .and_then(|l| l.department.as_deref())
            .or(self.call.memory.department.as_deref())
    }

    /// `number` written the way the business writes numbers.
    pub fn phone(&self, number: &str) -> String {
        phone::display(number, self.country_code)
    }
}
