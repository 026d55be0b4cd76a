//! Applying a tenant file to the database (one transaction, idempotent) and
//! reading a tenant back into the file format.

mod admins;
mod export;
mod import;

pub use export::export;
pub use import::{ImportError, ImportReport, import, import_recorded};
