//! Understanding callers. The `Brain` trait is the seam; the rules brain is
//! the embedded default: no network, deterministic, fast.

pub mod brain;
pub mod rules;
pub mod summary;

pub use brain::{Brain, BrainError, Heard, RulesBrain};

/// The brain the configuration asks for: the rules brain, the only one so
/// far (the LLM brain plugs in here).
pub fn configured(_config: &crate::config::Config) -> std::sync::Arc<dyn Brain> {
    std::sync::Arc::new(RulesBrain)
}
