//! A call simulator: plays a caller against a running Frontdesk server exactly as Twilio would.
//!
//! It posts the signed webhooks Twilio posts, plays the TwiML it gets back verb by verb, asks a
//! [`CallerScript`] what the caller says whenever the server listens, and finishes with the
//! `completed` status callback. The CLI (`frontdesk call`), the integration tests and the load
//! generator all drive calls through [`Call::run`].
//!
//! Deliberate simplification: no cookies are kept. URLs resolve as Twilio resolves them: a
//! relative one against the current document, one starting with `/` against the host of the
//! public URL (so under a public URL with a path prefix it leaves Frontdesk, as it would for
//! Twilio).

pub mod cli;
mod play;
mod request;
mod scripts;
mod sid;
mod twiml_reader;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;

use std::fmt;
use std::time::{Duration, Instant};

use crate::telephony::twiml::Method;

pub use scripts::{Interactive, ScriptError, ScriptedLines};
pub use sid::random_call_sid;

/// Twilio follows at most this many `<Redirect>`s without caller input in between.
pub const MAX_REDIRECTS: usize = 10;
/// How long a completed simulated `<Dial>` lasted, reported as `DialCallDuration`.
pub const SIMULATED_DIAL_SECS: u32 = 30;
/// Confidence reported with every simulated `SpeechResult`.
const SPEECH_CONFIDENCE: &str = "0.9";
const VOICE_PATH: &str = "/twilio/voice";
const STATUS_PATH: &str = "/twilio/call-status";

/// Who calls whom, and where the server is.
#[derive(Debug, Clone)]
pub struct CallerConfig {
    /// Base URL the server is reachable at, e.g. `http://127.0.0.1:8080`.
    pub server: String,
    /// Base URL the server believes Twilio uses (`FRONTDESK_PUBLIC_URL`); signatures cover
    /// this base plus the path and query.
    pub public_url: String,
    pub auth_token: String,
    pub account_sid: String,
    pub from: String,
    pub to: String,
    pub call_sid: String,
}

impl CallerConfig {
    /// A call whose server believes Twilio reaches it at `server` itself, with a fresh call SID
    /// and a placeholder account SID.
    pub fn new(
        server: impl Into<String>,
        auth_token: impl Into<String>,
        from: impl Into<String>,
        to: impl Into<String>,
    ) -> Self {
        let server = server.into();
        Self {
            public_url: server.clone(),
            server,
            auth_token: auth_token.into(),
            account_sid: format!("AC{}", "0".repeat(32)),
            from: from.into(),
            to: to.into(),
            call_sid: random_call_sid(),
        }
    }
}

/// Something the caller heard (or saw happen) on the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    Say(String),
    Play(String),
    Pause,
    /// The receptionist transferred the call; several numbers ring at once, joined by `", "`.
    Dial {
        number: String,
    },
    Hangup,
    Reject {
        reason: Option<String>,
    },
}

/// What the caller does when the server listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallerInput {
    Speech(String),
    /// Keys pressed on the keypad, in order (`0`, `5035550142#`).
    Press(String),
    Silence,
    HangUp,
}

/// How a transfer (`<Dial>`) ended, as Twilio reports it in `DialCallStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialResult {
    Completed,
    Busy,
    NoAnswer,
    Failed,
}

impl DialResult {
    pub fn as_str(self) -> &'static str {
        match self {
            DialResult::Completed => "completed",
            DialResult::Busy => "busy",
            DialResult::NoAnswer => "no-answer",
            DialResult::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "completed" => Some(DialResult::Completed),
            "busy" => Some(DialResult::Busy),
            "no-answer" => Some(DialResult::NoAnswer),
            "failed" => Some(DialResult::Failed),
            _ => None,
        }
    }
}

/// The caller's side of a call.
pub trait CallerScript {
    /// What the caller says when a `<Gather>` (or `<Record>`) listens; `heard` is everything
    /// played since the caller last spoke. `None` hangs up.
    fn next_line(&mut self, heard: &[Heard]) -> Option<CallerInput>;
    /// How the transfer to `number` ends.
    fn dial_result(&mut self, number: &str) -> DialResult;
    /// Called as each thing is heard, for scripts that show the call live.
    fn hear(&mut self, _heard: &Heard) {}
}

/// One line of the call's transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TranscriptLine {
    /// The receptionist played this; the response carrying it took `latency`.
    Receptionist {
        heard: Heard,
        latency: Duration,
    },
    Caller(CallerInput),
    DialEnded {
        number: String,
        result: DialResult,
    },
}

impl fmt::Display for TranscriptLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TranscriptLine::Receptionist { heard, latency } => {
                write!(f, "receptionist ({} ms): ", latency.as_millis())?;
                write_heard(f, heard)
            }
            TranscriptLine::Caller(CallerInput::Speech(text)) => write!(f, "caller: {text}"),
            TranscriptLine::Caller(CallerInput::Press(keys)) => write!(f, "caller: [press {keys}]"),
            TranscriptLine::Caller(CallerInput::Silence) => f.write_str("caller: [silence]"),
            TranscriptLine::Caller(CallerInput::HangUp) => f.write_str("caller: [hangs up]"),
            TranscriptLine::DialEnded { number, result } => {
                write!(f, "[transfer to {number}: {}]", result.as_str())
            }
        }
    }
}

fn write_heard(f: &mut impl fmt::Write, heard: &Heard) -> fmt::Result {
    match heard {
        Heard::Say(text) => f.write_str(text),
        Heard::Play(url) => write!(f, "[plays {url}]"),
        Heard::Pause => f.write_str("[pause]"),
        Heard::Dial { number } => write!(f, "[transfers to {number}]"),
        Heard::Hangup => f.write_str("[hangs up]"),
        Heard::Reject { reason } => {
            write!(
                f,
                "[rejects the call: {}]",
                reason.as_deref().unwrap_or("rejected")
            )
        }
    }
}

/// One webhook request the simulator made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub method: Method,
    /// The URL as signed (public URL base), fragment removed.
    pub url: String,
    pub params: Vec<(String, String)>,
    pub status: u16,
    pub latency: Duration,
}

impl Exchange {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Why the call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallEnd {
    ReceptionistHungUp,
    Rejected {
        reason: Option<String>,
    },
    /// The TwiML ran out of verbs.
    DocumentEnded,
    CallerHungUp,
}

#[derive(Debug, Clone)]
pub struct CallOutcome {
    pub call_sid: String,
    pub transcript: Vec<TranscriptLine>,
    /// Every webhook posted, the final status callback last.
    pub exchanges: Vec<Exchange>,
    pub ended: CallEnd,
    /// `CallStatus` of the final status callback.
    pub final_status: &'static str,
}

impl CallOutcome {
    /// Everything the receptionist said, in order.
    pub fn receptionist_said(&self) -> Vec<&str> {
        self.transcript
            .iter()
            .filter_map(|line| match line {
                TranscriptLine::Receptionist {
                    heard: Heard::Say(text),
                    ..
                } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("could not build the HTTP client")]
    Client(#[source] reqwest::Error),
    #[error("could not encode the form for {url}")]
    Encode {
        url: String,
        #[source]
        source: serde_urlencoded::ser::Error,
    },
    #[error("request to {url} failed")]
    Request {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("{url} answered HTTP {status}: {body}")]
    Status {
        url: String,
        status: u16,
        body: String,
    },
    #[error("{url} answered HTTP {status} with Content-Type {content_type:?}, which is not TwiML")]
    ContentType {
        url: String,
        status: u16,
        content_type: String,
    },
    #[error("{url} answered HTTP {status} with a body that is not XML: {message}")]
    NotXml {
        url: String,
        status: u16,
        message: String,
    },
    #[error("{url} answered HTTP {status} with root <{root}>, not <Response>")]
    NotResponse {
        url: String,
        status: u16,
        root: String,
    },
    #[error("{url} answered with <{verb}>, which the simulator does not play")]
    UnsupportedVerb { url: String, verb: String },
    #[error("more than {MAX_REDIRECTS} redirects in a row without caller input, the last to {url}")]
    TooManyRedirects { url: String },
}

/// A call in progress.
pub struct Call<'a> {
    client: &'a reqwest::Client,
    config: &'a CallerConfig,
    transcript: Vec<TranscriptLine>,
    exchanges: Vec<Exchange>,
    answered_at: Option<Instant>,
}

impl<'a> Call<'a> {
    /// Places the call with a fresh HTTP client that times out like Twilio (10 s to connect,
    /// 15 s in all).
    pub async fn run<S: CallerScript + ?Sized>(
        config: &CallerConfig,
        script: &mut S,
    ) -> Result<CallOutcome, CallError> {
        let client = crate::http::client_builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(CallError::Client)?;
        Call::run_with_client(&client, config, script).await
    }

    /// Places the call with a shared client (the load generator runs many calls at once).
    pub async fn run_with_client<S: CallerScript + ?Sized>(
        client: &reqwest::Client,
        config: &CallerConfig,
        script: &mut S,
    ) -> Result<CallOutcome, CallError> {
        let mut call = Call {
            client,
            config,
            transcript: Vec::new(),
            exchanges: Vec::new(),
            answered_at: None,
        };
        let played = call.play(script).await;
        // Twilio sends the final status callback however the call ended, errors included.
        let final_status = match &played {
            Ok(CallEnd::Rejected { reason }) if call.answered_at.is_none() => {
                if reason.as_deref() == Some("busy") {
                    "busy"
                } else {
                    "no-answer"
                }
            }
            _ => "completed",
        };
        let status_sent = call.send_status(final_status).await;
        let ended = played?;
        status_sent?;
        Ok(CallOutcome {
            call_sid: config.call_sid.clone(),
            transcript: call.transcript,
            exchanges: call.exchanges,
            ended,
            final_status,
        })
    }
}
