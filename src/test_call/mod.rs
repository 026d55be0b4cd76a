//! The test call: an owner talks to their own receptionist by typing on the
//! dashboard.
//!
//! To the turn service it is a call like any other: it arrives on one of the
//! business's numbers from a caller number the owner picks, under a call SID
//! of its own (`TEST…`), and each line typed is the caller's speech, so the
//! same admission, brain, state machine and storage answer it as answer a
//! phone call. Only the edge differs from Twilio's: the page shows the answer
//! instead of speaking it, shows what would be dialled instead of dialling
//! (the owner says how the transfer went), and its "End call" (or the
//! receptionist hanging up) records the call's end exactly as Twilio's status
//! callback does, so the message left becomes a lead and its email is sent
//! as after a phone call.
//!
//! The call is stored with `is_test`: it rings none of the business's lines
//! (it does not count against its concurrent calls, nor a caller's hourly
//! calls) and the figures leave it out. What stops a test call page from
//! being used to run up the LLM bill is an allowance of its own,
//! [`TEST_CALLS_PER_HOUR`] per business. Blocked and withheld numbers are
//! refused as on the phone.

pub mod pages;
mod store;
pub mod view;

use std::sync::Arc;

use tracing::Instrument;

pub use store::TestCall;

use crate::app::AppState;
use crate::calls::CallKey;
use crate::calls::status::CallStatus;
use crate::conversation::state::DialOutcome;
use crate::db::{self, DbError};
use crate::ids::{CallId, TenantId};
use crate::receptionist::{self, Answer, CallerInput, TurnError};

/// Test calls a business may start in an hour.
pub const TEST_CALLS_PER_HOUR: i64 = 30;

/// The caller's number a test call uses unless the owner picks another: a
/// number reserved for fiction in North America, so no lead from a test
/// call ever rings a stranger.
pub const DEFAULT_CALLER: &str = "+15555550100";

/// What the channel reports for a caller who withholds their number.
pub const WITHHELD: &str = "anonymous";

/// Fillers followed in a row before the turn counts as out of time (as
/// Twilio follows at most ten `<Redirect>`s).
const MAX_FILLERS: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum TestCallError {
    /// No test call of this business has that id.
    #[error("no such test call")]
    NotFound,
    /// The business used up its hourly test calls.
    #[error("too many test calls this hour")]
    TooMany,
    /// The receptionist could not answer (as a phone caller would hear the
    /// fallback).
    #[error("the receptionist could not answer: {0}")]
    Turn(TurnError),
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<TurnError> for TestCallError {
    fn from(error: TurnError) -> Self {
        match error {
            TurnError::UnknownCall => TestCallError::NotFound,
            TurnError::Database(db) => TestCallError::Database(db),
            other => TestCallError::Turn(other),
        }
    }
}

/// What became of a line typed or a transfer result given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// The receptionist answered.
    Answered,
    /// The page was out of date (another tab or a resent form moved the
    /// call on): nothing was sent.
    MovedOn,
    /// The call is over: nothing was sent.
    Over,
    /// A transfer result, but no transfer is ringing.
    NotDialling,
}

/// The caller's number as the owner typed it: an E.164 number (spaces,
/// dashes, dots and brackets allowed), or nothing for a withheld number.
pub fn caller_number(typed: &str) -> Result<String, InvalidCaller> {
    let number: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.' | '(' | ')'))
        .collect();
    if number.is_empty() {
        return Ok(WITHHELD.to_owned());
    }
    match crate::tenants::file::is_e164(&number) {
        true => Ok(number),
        false => Err(InvalidCaller),
    }
}

/// A caller's number that is neither E.164 nor empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidCaller;

/// Places a test call from `from` (an E.164 number or [`WITHHELD`]) to the
/// business's number `line` and returns its id once the receptionist
/// answered (or refused) it.
pub async fn start(
    state: &Arc<AppState>,
    tenant: TenantId,
    from: String,
    line: String,
) -> Result<CallId, TestCallError> {
    let since = crate::clock::now() - chrono::Duration::hours(1);
    let recent = db::run(&state.db, move |conn| {
        Ok::<_, DbError>(store::started_since(conn, tenant, since)?)
    })
    .await?;
    if recent >= TEST_CALLS_PER_HOUR {
        return Err(TestCallError::TooMany);
    }
    let key = CallKey {
        tenant_id: tenant,
        call_sid: new_call_sid(),
        line,
    };
    let arrived = CallerInput::Arrived {
        from,
        status: CallStatus::InProgress,
        is_test: true,
    };
    let answer = take(state, &key, None, arrived).await?;
    if answer.ends_call() {
        finish(state, &key).await?;
    }
    let lookup = key.clone();
    db::run(&state.db, move |conn| {
        Ok::<_, DbError>(store::id_of(conn, &lookup)?)
    })
    .await?
    .ok_or(TestCallError::NotFound)
}

/// The caller says `text` (or nothing, for `None`) on turn `turn` of the
/// tenant's test call `id`.
pub async fn say(
    state: &Arc<AppState>,
    tenant: TenantId,
    id: CallId,
    turn: i32,
    text: Option<String>,
) -> Result<Sent, TestCallError> {
    let call = find(state, tenant, id).await?;
    if let Some(unsent) = unsendable(&call, turn) {
        return Ok(unsent);
    }
    let input = match text {
        Some(text) => CallerInput::Speech {
            text,
            confidence: None,
        },
        None => CallerInput::Silence,
    };
    converse(state, &call, turn, input).await
}

/// The transfer the receptionist started on turn `turn` ended as `outcome`
/// (the owner plays the staff's phone).
pub async fn transfer_ended(
    state: &Arc<AppState>,
    tenant: TenantId,
    id: CallId,
    turn: i32,
    outcome: DialOutcome,
) -> Result<Sent, TestCallError> {
    let call = find(state, tenant, id).await?;
    if let Some(unsent) = unsendable(&call, turn) {
        return Ok(unsent);
    }
    if view::dialled(call.last_answer.as_ref()).is_none() {
        return Ok(Sent::NotDialling);
    }
    converse(state, &call, turn, CallerInput::DialEnded(outcome)).await
}

/// The owner hangs up. Returns false when the call had ended already.
pub async fn hang_up(
    state: &Arc<AppState>,
    tenant: TenantId,
    id: CallId,
) -> Result<bool, TestCallError> {
    let call = find(state, tenant, id).await?;
    if call.finished {
        return Ok(false);
    }
    Ok(finish(state, &call.key).await?)
}

/// The tenant's test call `id`, as it is now.
pub async fn find(
    state: &AppState,
    tenant: TenantId,
    id: CallId,
) -> Result<TestCall, TestCallError> {
    db::run(&state.db, move |conn| {
        Ok::<_, DbError>(store::find(conn, tenant, id)?)
    })
    .await?
    .ok_or(TestCallError::NotFound)
}

/// Why nothing can be sent on `turn` of `call`, if nothing can.
fn unsendable(call: &TestCall, turn: i32) -> Option<Sent> {
    if call.is_over() {
        Some(Sent::Over)
    } else if turn != call.turn {
        Some(Sent::MovedOn)
    } else {
        None
    }
}

/// Takes the turn, follows the fillers a slow brain answers with, and ends
/// the call when the receptionist hangs up, as Twilio does after `<Hangup>`.
async fn converse(
    state: &Arc<AppState>,
    call: &TestCall,
    turn: i32,
    input: CallerInput,
) -> Result<Sent, TestCallError> {
    let mut answer = take(state, &call.key, Some(turn), input).await?;
    let mut fillers = 0;
    while let Answer::Hold { turn, .. } = answer {
        if fillers == MAX_FILLERS {
            return Err(TestCallError::Turn(TurnError::OutOfTime));
        }
        fillers += 1;
        answer = take(state, &call.key, Some(turn), CallerInput::Continue).await?;
    }
    if answer.ends_call() {
        finish(state, &call.key).await?;
    }
    Ok(Sent::Answered)
}

async fn take(
    state: &Arc<AppState>,
    key: &CallKey,
    turn: Option<i32>,
    input: CallerInput,
) -> Result<Answer, TestCallError> {
    let span = tracing::info_span!("test_call", sid = %key.call_sid, tenant = key.tenant_id.0);
    let taken = receptionist::take_turn(state, key.clone(), turn, input)
        .instrument(span)
        .await;
    match taken {
        Ok(turn) => Ok(turn.answer),
        Err(failure) => {
            tracing::warn!(error = %failure.error, "a test call's turn failed");
            Err(failure.error.into())
        }
    }
}

/// Ends the call as Twilio's `completed` status callback does. True when
/// this ended it.
async fn finish(state: &AppState, key: &CallKey) -> Result<bool, DbError> {
    let change =
        receptionist::record_status(state, key.clone(), CallStatus::Completed, None).await?;
    Ok(matches!(
        change,
        crate::calls::StatusChange::Finalized { .. }
    ))
}

/// A call SID no Twilio call can have: `TEST` and 30 hex digits.
fn new_call_sid() -> String {
    let bytes = crate::settings::random_bytes::<15>();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("TEST{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_call_sid_is_as_long_as_twilios_and_never_one_of_them() {
        let sids: Vec<String> = (0..200).map(|_| new_call_sid()).collect();
        for sid in &sids {
            assert_eq!(sid.len(), 34);
            assert!(sid.starts_with("TEST") && !sid.starts_with("CA"));
        }
        let unique: std::collections::HashSet<&String> = sids.iter().collect();
        assert_eq!(unique.len(), sids.len());
    }

    #[test]
    fn a_caller_number_is_international_or_withheld() {
        assert_eq!(
            caller_number(" +1 (503) 555-0142 ").as_deref(),
            Ok("+15035550142")
        );
        assert_eq!(
            caller_number("+44.20.7946.0958").as_deref(),
            Ok("+442079460958")
        );
        assert_eq!(caller_number("  ").as_deref(), Ok(WITHHELD));
        for wrong in [
            "5035550142",
            "+1",
            "+1503555abcd",
            "anonymous",
            "+0123456789",
        ] {
            assert_eq!(caller_number(wrong), Err(InvalidCaller), "{wrong}");
        }
    }

    #[test]
    fn the_default_caller_is_a_number_the_receptionist_can_offer_back() {
        assert!(crate::tenants::file::is_e164(DEFAULT_CALLER));
        assert_eq!(
            receptionist::real_number(DEFAULT_CALLER).as_deref(),
            Some(DEFAULT_CALLER)
        );
        assert_eq!(receptionist::real_number(WITHHELD), None);
    }
}
