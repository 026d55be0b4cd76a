//! The test call's dashboard pages: `start` (GET and POST /test-call: the
//! form that places a test call, and the business's recent ones) and
//! `conversation` (GET /test-call/{id}: the call so far, and its forms: say
//! something, how a transfer went, end the call). Every form works without
//! JavaScript (POST, then 303 back to the call); `dashboard.js` only sends
//! them without reloading, and adds the browser's speech where it has it.

pub mod conversation;
pub mod start;

use actix_session::Session;
use actix_web::HttpResponse;

use super::TestCallError;
use crate::error::AppError;
use crate::ids::CallId;
use crate::web::errors;
use crate::web::login::see_other;
use crate::web::session;

/// The page of the test call `id`.
pub fn href(id: i64) -> String {
    format!("/test-call/{id}")
}

/// A test call id from the path; `None` for anything that is not one.
fn call_id(path: &str) -> Option<CallId> {
    path.parse::<i64>().ok().filter(|id| *id > 0).map(CallId)
}

/// What a caller on the phone would have heard when the turn failed.
const FALLBACK_HEARD: &str = "A caller on the phone would hear an apology and be put through to your main line (or asked to call back when there is none).";

fn internal(err: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(anyhow::Error::new(err))
}

/// Back to `to` with `message` shown there.
fn back_with(session: &Session, to: &str, message: &str) -> Result<HttpResponse, AppError> {
    session::set_flash(session, message).map_err(internal)?;
    Ok(see_other(to))
}

/// The answer for a test call request that failed: another tenant's (or no)
/// call is the 404 page; a turn the receptionist could not take goes back
/// to `to` saying what a phone caller would have heard.
fn failed(session: &Session, to: &str, error: TestCallError) -> Result<HttpResponse, AppError> {
    match error {
        TestCallError::NotFound => Ok(errors::not_found_page()),
        TestCallError::Database(db) => Err(AppError::Database(db)),
        TestCallError::Turn(turn) => back_with(
            session,
            to,
            &format!(
                "Your receptionist could not answer ({turn}). {FALLBACK_HEARD} Try again in a moment."
            ),
        ),
        TestCallError::TooMany => back_with(
            session,
            to,
            "You have made as many test calls as an hour allows. Try again later.",
        ),
    }
}
