//! The conversation: what the caller meant, what the receptionist does next.
//! Pure code: no I/O, no clock, no randomness (see DESIGN.md, the turn loop).

pub mod hours;
pub mod interpretation;
pub mod machine;
pub mod profile;
pub mod speech;
pub mod state;
