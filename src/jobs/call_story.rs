//! An ended call as the summary and the emails tell it: its record, its
//! message, its transcript, and from these what really happened and what
//! the caller said that is worth quoting. Read in one place so the summary
//! and both emails tell the same story.

use crate::ai::summary::{
    AnswerSources, Evidence, Happened, Line, QUOTED_LINES, knowledge_questions, said, what_happened,
};
use crate::calls::history::{self, CallRecord, TranscriptLine};
use crate::conversation::profile::OpenSpan;
use crate::conversation::state::{Outcome, StateName};
use crate::db::DbConnection;
use crate::ids::{CallId, TenantId};
use crate::leads::{self, StoredLead};
use crate::mail::phone;
use crate::tenants::{self, directory::country_code_for};

pub(super) struct CallStory {
    pub call: CallRecord,
    pub lead: Option<StoredLead>,
    pub transcript: Vec<TranscriptLine>,
    /// The tenant's calling code, for writing phone numbers.
    pub country_code: u16,
}

impl CallStory {
    /// The tenant's call `call_id`; `None` when it no longer exists.
    pub fn load(
        conn: &mut DbConnection,
        tenant_id: TenantId,
        call_id: CallId,
    ) -> diesel::QueryResult<Option<CallStory>> {
        let Some(call) = history::find_record(conn, tenant_id, call_id)? else {
            return Ok(None);
        };
        Ok(Some(CallStory {
            country_code: country_code_for(&call.tenant.language),
            lead: leads::for_call(conn, tenant_id, call_id)?,
            transcript: history::transcript(conn, tenant_id, call_id)?,
            call,
        }))
    }

    /// What the tenant answers callers from, to recognise answers given.
    pub fn answer_sources(&self, conn: &mut DbConnection) -> diesel::QueryResult<AnswerSources> {
        let tenant = &self.call.tenant;
        let tenant_id = tenant.id;
        let hours = tenants::hours_of(conn, tenant_id)?.map(|day| {
            day.map(|(open_minute, close_minute)| OpenSpan {
                open_minute,
                close_minute,
            })
        });
        Ok(AnswerSources::new(
            tenants::knowledge_answers(conn, tenant_id)?,
            tenant.address.as_deref(),
            [
                tenant.contact_email.as_deref(),
                tenant.contact_phone.as_deref(),
                tenant.website.as_deref(),
            ],
            &hours,
        ))
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
