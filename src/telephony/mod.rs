//! The Twilio edge, and only that: webhook endpoints, signature checks, and
//! TwiML. The conversation behind it is the turn service (`receptionist`);
//! the caller simulator that drives a server as Twilio does is `simulator`.

pub mod listening;
pub mod render;
pub mod signature;
pub mod twiml;
pub mod verified;
pub mod webhooks;
