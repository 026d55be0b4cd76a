//! The knowledge base as a business manages it in the dashboard: its
//! entries (`entries`, checked by `form` with the tenant file's own rule),
//! what the receptionist would answer to a question (`trial`), and the
//! questions callers asked that it could not answer (`unanswered`).

pub mod entries;
pub mod form;
pub mod pages;
pub mod trial;
pub mod unanswered;
