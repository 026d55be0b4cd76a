//! Understanding callers. The rules brain is the embedded default: no
//! network, deterministic, fast.

pub mod rules;
pub mod summary;
