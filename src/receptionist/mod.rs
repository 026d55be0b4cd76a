//! The turn service: one request of a call, whatever the channel. It knows
//! nothing of Twilio, forms or TwiML: the telephony edge (and later the
//! dashboard's typed test call or SMS) turns its request into a `CallKey`
//! and a `CallerInput`, and renders the `Answer` it gets back.
//!
//! Shaped as DESIGN.md's turn loop: load the call and its tenant in one read,
//! understand (the brain, under a time budget), decide (the pure state
//! machine), persist in one transaction. The whole turn has a budget too: a
//! sick database or brain ends in a `TurnFailure` the edge answers with its
//! safe fallback, well before Twilio gives up on the request.

mod admission;
mod answer;
pub mod in_flight;
mod keypad;
mod turn;

use std::sync::Arc;
use std::time::Instant;

pub use admission::AdmissionQueues;
pub use answer::Answer;

use crate::app::AppState;
use crate::calls::status::CallStatus;
use crate::calls::{self, CallKey, StatusChange};
use crate::conversation::state::DialOutcome;
use crate::db::{self, DbError};
use crate::tenants::directory::TenantContext;

/// What arrived from the caller's side.
#[derive(Debug, Clone)]
pub enum CallerInput {
    /// A new call: who is calling (whatever the channel reports, e.g.
    /// `anonymous`) and the call's status. `is_test` marks a test call from
    /// the dashboard: recorded as one, and it takes none of the business's
    /// lines (see `admission`).
    Arrived {
        from: String,
        status: CallStatus,
        is_test: bool,
    },
    Speech {
        text: String,
        confidence: Option<f64>,
    },
    /// The caller pressed keys instead of speaking (the `#` that ends
    /// them not included).
    Keypad { pressed: String },
    /// The caller was asked something and said nothing.
    Silence,
    /// A transfer ended.
    DialEnded(DialOutcome),
    /// After a filler: the answer to the speech the caller gave, once it
    /// is worked out.
    Continue,
}

/// The answer to a request and the tenant it was given for (its voice and
/// language, for rendering).
pub struct Turn {
    pub answer: Answer,
    pub tenant: Arc<TenantContext>,
}

#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("the turn ran out of time")]
    OutOfTime,
    /// The call belongs to another tenant or line, or was never answered.
    #[error("no such call")]
    UnknownCall,
    /// The task that worked out the turn ended without an answer.
    #[error("the turn's task failed: {0}")]
    Task(String),
}

impl From<diesel::result::Error> for TurnError {
    fn from(err: diesel::result::Error) -> Self {
        TurnError::Database(DbError::Query(err))
    }
}

/// A turn that could not be taken, with the tenant when it is known so the
/// fallback can still use its voice and main line.
pub struct TurnFailure {
    pub error: TurnError,
    pub tenant: Option<Arc<TenantContext>>,
}

impl TurnFailure {
    fn new(error: impl Into<TurnError>, tenant: Option<Arc<TenantContext>>) -> TurnFailure {
        TurnFailure {
            error: error.into(),
            tenant,
        }
    }
}

/// Takes one turn of the call `key`. `turn` is the turn number the request
/// answers (from the previous answer), when the channel carries it: a
/// request for a turn already taken gets that turn's stored answer again.
pub async fn take_turn(
    state: &Arc<AppState>,
    key: CallKey,
    turn: Option<i32>,
    input: CallerInput,
) -> Result<Turn, TurnFailure> {
    let started = Instant::now();
    let _in_flight = state.turns_in_flight.enter();
    let tenant_id = key.tenant_id;
    let work = async {
        match input {
            CallerInput::Arrived {
                from,
                status,
                is_test,
            } => admission::answer(state, key, from, status, is_test, started).await,
            other => turn::converse(state, key, turn, other, started).await,
        }
    };
    match tokio::time::timeout(state.config.webhook_budget, work).await {
        Ok(result) => result,
        Err(_) => Err(TurnFailure::new(
            TurnError::OutOfTime,
            state.directory.cached_context(tenant_id),
        )),
    }
}

/// Records the call's status as reported by its channel (Twilio's status
/// callback, the test call page's hang-up). Idempotent and order-tolerant:
/// the status only moves forward, and the first final status ends the call
/// once: the outcome settled, any partial message kept as a lead and the
/// after-call jobs (summary, lead email) enqueued, in one transaction.
pub async fn record_status(
    state: &AppState,
    key: CallKey,
    status: CallStatus,
    duration_seconds: Option<i32>,
) -> Result<StatusChange, DbError> {
    if status.is_final() {
        state.active_calls.remove(&key.call_sid);
    }
    let now = crate::clock::now();
    db::run_write(&state.db, move |conn| {
        Ok::<_, DbError>(calls::apply_status(
            conn,
            &key,
            status,
            duration_seconds,
            now,
        )?)
    })
    .await
}

/// The caller's number when it is a dialable E.164 number (not `anonymous`,
/// `restricted`, a SIP URI or empty).
pub fn real_number(from: &str) -> Option<String> {
    crate::tenants::file::is_e164(from).then(|| from.to_owned())
}

fn elapsed_ms(started: Instant) -> i32 {
    i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX)
}
