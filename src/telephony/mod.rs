//! The Twilio edge: webhook endpoints, signature checks, TwiML, and a caller
//! simulator that drives a server exactly as Twilio does.

pub mod caller;
pub mod cli;
pub mod render;
pub mod signature;
pub mod twiml;
pub mod verified;
pub mod webhooks;
