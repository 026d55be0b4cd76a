//! Applying a tenant file to the database (one transaction, idempotent) and
//! reading a tenant back into the file format.

mod admins;
mod export;
mod import;

pub use export::{export, export_tenant};
pub use import::{ImportError, ImportReport, Scope, import, import_recorded, replace_settings};
