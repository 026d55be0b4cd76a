//! Understanding callers. The `Brain` trait is the seam; the rules brain is
//! the embedded default: no network, deterministic, fast.

pub mod brain;
pub mod openai;
pub mod rules;
pub mod summary;

pub use brain::{Brain, BrainError, CallSummary, Heard, RulesBrain};

/// The brain the configuration asks for: the OpenAI brain when an LLM is
/// configured, else the rules brain.
pub fn configured(config: &crate::config::Config) -> Result<std::sync::Arc<dyn Brain>, BrainError> {
    Ok(match &config.llm {
        Some(settings) => std::sync::Arc::new(openai::OpenAiBrain::new(settings.clone())?),
        None => std::sync::Arc::new(RulesBrain),
    })
}
