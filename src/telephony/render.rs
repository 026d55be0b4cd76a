//! Decisions and fixed answers as TwiML. Every text goes through the typed
//! builder, which escapes it; URLs are relative, so Twilio resolves them
//! against the public URL it called.

use super::twiml::{Dial, Gather, Response, Say, SpeechTimeout};
use crate::conversation::state::{Decision, Reply};
use crate::tenants::directory::TenantContext;

/// Seconds Twilio waits for the caller to start speaking.
const GATHER_TIMEOUT_SECONDS: u32 = 6;

pub fn gather_url(turn: i32) -> String {
    format!("/twilio/gather?turn={turn}")
}

pub fn transfer_status_url(turn: i32) -> String {
    format!("/twilio/transfer-status?turn={turn}")
}

fn say(ctx: &TenantContext, sentences: &[String]) -> Say {
    Say::new(sentences.join(" "))
        .voice(ctx.voice.as_str())
        .language(ctx.language.as_str())
}

/// Renders a turn's decision. `next_turn` is the call's turn count once this
/// turn is stored; it goes into the action URLs so a retried webhook can be
/// recognised. `caller_id` keeps the caller's own number on a transfer.
pub fn decision(
    decision: &Decision,
    ctx: &TenantContext,
    next_turn: i32,
    caller_id: Option<&str>,
) -> String {
    let mut response = Response::new();
    match &decision.reply {
        Reply::Ask { say: sentences } => {
            let hints = decision.hints.iter().chain(ctx.hints.iter()).cloned();
            response.gather(
                Gather::speech(gather_url(next_turn))
                    .language(ctx.language.as_str())
                    .speech_timeout(SpeechTimeout::Auto)
                    .timeout(GATHER_TIMEOUT_SECONDS)
                    .hints(hints)
                    .say(say(ctx, sentences)),
            );
            // No speech: Twilio runs the next verb, which reports the silence.
            response.redirect(gather_url(next_turn));
        }
        Reply::Transfer {
            say: sentences,
            number,
        } => {
            response.say(say(ctx, sentences));
            let mut dial = Dial::number(number.as_str())
                .action(transfer_status_url(next_turn))
                .timeout(ctx.profile.limits.transfer_timeout_seconds);
            if let Some(caller) = caller_id {
                dial = dial.caller_id(caller);
            }
            response.dial(dial);
        }
        Reply::Hangup { say: sentences } => {
            if !sentences.is_empty() {
                response.say(say(ctx, sentences));
            }
            response.hangup();
        }
    }
    response.into_xml()
}

/// The called number belongs to no tenant.
pub fn not_in_service() -> String {
    let mut response = Response::new();
    response
        .say(Say::new(
            "Sorry, the number you have called is not in service. Goodbye.",
        ))
        .hangup();
    response.into_xml()
}

/// Blocked, rate-limited or withheld callers: refused before answering, so
/// the call is not billed.
pub fn reject() -> String {
    let mut response = Response::new();
    response.reject(Some(super::twiml::RejectReason::Rejected));
    response.into_xml()
}

/// Every line is taken (the tenant's concurrent-call cap).
pub fn busy(ctx: &TenantContext) -> String {
    let mut response = Response::new();
    let text = format!(
        "Thanks for calling {}. All of our lines are busy right now. Please call back in a few minutes. Goodbye.",
        ctx.profile.name
    );
    response.say(say(ctx, &[text])).hangup();
    response.into_xml()
}

/// For a call that has already ended.
pub fn goodbye(ctx: &TenantContext) -> String {
    let mut response = Response::new();
    response
        .say(say(ctx, &["Thank you for calling. Goodbye.".to_owned()]))
        .hangup();
    response.into_xml()
}

/// What a live caller hears when something inside failed: an apology, then
/// the tenant's main line when there is one, else a polite goodbye. Never a
/// 5xx, never silence.
pub fn fallback(ctx: Option<&TenantContext>) -> String {
    let mut response = Response::new();
    let apology = "I'm sorry, I'm having trouble on my end right now.";
    match ctx {
        Some(ctx) => {
            match &ctx.profile.transfer_number {
                Some(number) => {
                    response.say(say(
                        ctx,
                        &[
                            apology.to_owned(),
                            "Let me put you through to someone.".to_owned(),
                        ],
                    ));
                    response.dial(
                        Dial::number(number.as_str())
                            .timeout(ctx.profile.limits.transfer_timeout_seconds),
                    );
                    response
                    .say(say(ctx, &["Sorry, no one could take your call. Please try again later. Goodbye.".to_owned()]))
                    .hangup();
                }
                None => {
                    response
                        .say(say(
                            ctx,
                            &[
                                apology.to_owned(),
                                "Please call back in a little while. Goodbye.".to_owned(),
                            ],
                        ))
                        .hangup();
                }
            }
        }
        None => {
            response
                .say(Say::new(format!(
                    "{apology} Please call back in a little while. Goodbye."
                )))
                .hangup();
        }
    }
    response.into_xml()
}
