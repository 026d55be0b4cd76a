//! Understanding callers. The `Brain` trait is the seam; the rules brain is
//! the embedded default: no network, deterministic, fast.

pub mod brain;
pub mod rules;
pub mod summary;

pub use brain::{Brain, BrainError, Heard, RulesBrain};
