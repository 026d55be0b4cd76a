//! The seam between the turn service and whatever understands callers: the
//! rules brain (embedded, no network) and, later, an LLM. The turn service
//! owns the time budget and falls back to the rules when a brain fails or is
//! too slow, so an implementation only has to answer or fail.

use std::future::Future;
use std::pin::Pin;

use super::rules::{self, KnowledgeIndex};
use super::summary::{self, CallFacts};
use crate::conversation::interpretation::{Details, Expecting, Interpretation, LlmUse};
use crate::conversation::profile::{LocalTime, TenantProfile};

pub type BrainFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, BrainError>> + Send + 'a>>;

/// Everything a brain may use to understand one utterance.
#[derive(Clone, Copy)]
pub struct Heard<'a> {
    /// The caller's words as speech recognition gave them.
    pub text: &'a str,
    /// What the receptionist just asked for.
    pub expecting: Expecting,
    pub profile: &'a TenantProfile,
    pub knowledge: &'a KnowledgeIndex,
    /// Calling code for numbers spoken without one.
    pub country_code: u16,
    /// The message details captured so far in this call.
    pub lead: &'a Details,
    /// The knowledge entry answered last in this call, for follow-up
    /// questions ("is that included?").
    pub topic: Option<i64>,
    /// The tenant's own time, and whether it is open by its hours.
    pub local_time: LocalTime,
    pub open_now: bool,
    /// The last lines of the conversation ("Caller: …", "Receptionist: …"),
    /// oldest first; kept only while an LLM brain is in use.
    pub recent: &'a [String],
    /// The LLM model the tenant asked for instead of the configured one.
    pub model: Option<&'a str>,
}

/// A call's summary, and the LLM's part in it when one wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSummary {
    pub text: String,
    pub llm: Option<LlmUse>,
}

#[derive(Debug, thiserror::Error)]
pub enum BrainError {
    #[error("the brain is unavailable: {0}")]
    Unavailable(String),
    #[error("the brain gave an answer that cannot be used: {0}")]
    Invalid(String),
}

/// Understands callers and summarises calls.
pub trait Brain: Send + Sync {
    /// A short name for logs ("rules", "openai").
    fn name(&self) -> &'static str;

    /// The LLM model a turn of a tenant that asks for `tenant_model` uses;
    /// `None` for a brain without one.
    fn model<'a>(&'a self, _tenant_model: Option<&'a str>) -> Option<&'a str> {
        None
    }

    /// Whether understanding may take long enough for the caller to need a
    /// filler (a network brain), and how long they may wait in silence.
    fn filler_after(&self) -> Option<std::time::Duration> {
        None
    }

    /// What one caller utterance means in the call's context.
    fn interpret<'a>(&'a self, heard: Heard<'a>) -> BrainFuture<'a, Interpretation>;

    /// A few sentences for the business about a finished call. `model` is
    /// the tenant's own LLM model, if it names one.
    fn summarize<'a>(
        &'a self,
        facts: &'a CallFacts<'a>,
        model: Option<&'a str>,
    ) -> BrainFuture<'a, CallSummary>;
}

/// The embedded brain: patterns, retrieval and extraction, no network.
/// Deterministic and fast, so it is also every other brain's fallback.
#[derive(Debug, Clone, Copy, Default)]
pub struct RulesBrain;

impl RulesBrain {
    /// The rules' reading, synchronously (the fallback path needs no await).
    pub fn hear(heard: Heard<'_>) -> Interpretation {
        rules::interpret_in_call(
            heard.text,
            heard.expecting,
            heard.profile,
            heard.knowledge,
            heard.country_code,
            heard.lead,
            heard.topic,
        )
    }
}

impl Brain for RulesBrain {
    fn name(&self) -> &'static str {
        "rules"
    }

    fn interpret<'a>(&'a self, heard: Heard<'a>) -> BrainFuture<'a, Interpretation> {
        Box::pin(async move { Ok(RulesBrain::hear(heard)) })
    }

    fn summarize<'a>(
        &'a self,
        facts: &'a CallFacts<'a>,
        _model: Option<&'a str>,
    ) -> BrainFuture<'a, CallSummary> {
        Box::pin(async move {
            Ok(CallSummary {
                text: summary::summarize(facts),
                llm: None,
            })
        })
    }
}
