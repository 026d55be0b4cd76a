//! The Settings section of the dashboard for a tenant's admins: the
//! receptionist settings (`/settings`), the team (`/settings/team`) and the
//! tenant file (`/settings/file`), under one tab strip.

pub mod settings;
pub mod team;
pub mod tenant_file;

use actix_session::Session;

use crate::error::AppError;
use crate::tenants::store::ImportError;
use crate::web::session;

/// A store error in a request: the database's own kinds keep their status
/// (unavailable, not found); anything else is an opaque 500.
fn store_error(error: ImportError) -> AppError {
    match error {
        ImportError::Database(error) => error.into(),
        ImportError::File(problem) => AppError::Internal(anyhow::Error::new(problem)),
        ImportError::Other(error) => AppError::Internal(error),
    }
}

fn flash(session: &Session, message: &str) -> Result<(), AppError> {
    session::set_flash(session, message).map_err(|e| AppError::Internal(anyhow::Error::new(e)))
}
