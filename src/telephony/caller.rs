//! A call simulator: plays a caller against a running Frontdesk server exactly as Twilio would.
//!
//! It posts the signed webhooks Twilio posts, plays the TwiML it gets back verb by verb, asks a
//! [`CallerScript`] what the caller says whenever the server listens, and finishes with the
//! `completed` status callback. The CLI (`frontdesk call`), the integration tests and the load
//! generator all drive calls through [`Call::run`].
//!
//! Deliberate simplifications: no cookies are kept, and a URL starting with `/` resolves against
//! the configured base (server or public URL) rather than the host root, so a base with a path
//! prefix works as expected.

use std::collections::VecDeque;
use std::fmt;
use std::io::{BufRead, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::signature::compute_signature;
use super::twiml::Method;

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

/// A webhook to request: a location relative to a base, and extra form fields.
struct Request {
    location: Location,
    method: Method,
    fields: Vec<(String, String)>,
}

/// `origin` is `None` for Frontdesk itself (requested at `server`, signed with `public_url`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Location {
    origin: Option<String>,
    path_and_query: String,
}

/// A TwiML verb as the simulator plays it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Heard(Heard),
    Gather {
        action: Option<String>,
        method: Method,
        action_on_empty_result: bool,
        prompts: Vec<Heard>,
    },
    Dial {
        action: Option<String>,
        method: Method,
        numbers: Vec<String>,
    },
    Redirect {
        url: String,
        method: Method,
    },
    Record {
        action: Option<String>,
        method: Method,
    },
    Hangup,
    Reject {
        reason: Option<String>,
    },
}

/// What the caller has heard since they last spoke, and how many redirects ran meanwhile.
struct Listener {
    heard: Vec<Heard>,
    redirects_without_input: usize,
}

/// Where a verb came from: the document's location and how long it took to arrive.
#[derive(Clone, Copy)]
struct Played<'a> {
    current: &'a Location,
    latency: Duration,
}

/// What happens after a verb.
enum Flow {
    NextVerb,
    Request(Request),
    End(CallEnd),
}

impl<'a> Call<'a> {
    /// Places the call with a fresh HTTP client that times out like Twilio (10 s to connect,
    /// 15 s in all).
    pub async fn run<S: CallerScript + ?Sized>(
        config: &CallerConfig,
        script: &mut S,
    ) -> Result<CallOutcome, CallError> {
        let client = reqwest::Client::builder()
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

    async fn play<S: CallerScript + ?Sized>(
        &mut self,
        script: &mut S,
    ) -> Result<CallEnd, CallError> {
        let mut next = Request {
            location: Location {
                origin: None,
                path_and_query: VOICE_PATH.to_owned(),
            },
            method: Method::Post,
            fields: Vec::new(),
        };
        let mut listener = Listener {
            heard: Vec::new(),
            redirects_without_input: 0,
        };
        loop {
            let current = next.location.clone();
            let (steps, latency) = self.fetch_twiml(next).await?;
            let mut flow = Flow::NextVerb;
            for (index, step) in steps.into_iter().enumerate() {
                // Any verb but a first `<Reject>` answers the call.
                if !(index == 0 && matches!(step, Step::Reject { .. })) {
                    self.answered_at.get_or_insert_with(Instant::now);
                }
                let played = Played {
                    current: &current,
                    latency,
                };
                flow = self.play_step(script, &mut listener, step, played)?;
                if !matches!(flow, Flow::NextVerb) {
                    break;
                }
            }
            match flow {
                Flow::NextVerb => return Ok(CallEnd::DocumentEnded),
                Flow::Request(request) => next = request,
                Flow::End(end) => return Ok(end),
            }
        }
    }

    /// Plays one verb the way Twilio does and says what happens next.
    fn play_step<S: CallerScript + ?Sized>(
        &mut self,
        script: &mut S,
        listener: &mut Listener,
        step: Step,
        played: Played<'_>,
    ) -> Result<Flow, CallError> {
        let request = |target: &str, method, fields| Request {
            location: resolve(played.current, target, self.config),
            method,
            fields,
        };
        Ok(match step {
            Step::Heard(item) => {
                self.hear(script, listener, item, played.latency);
                Flow::NextVerb
            }
            Step::Gather {
                action,
                method,
                action_on_empty_result,
                prompts,
            } => {
                for prompt in prompts {
                    self.hear(script, listener, prompt, played.latency);
                }
                let action = action.as_deref().unwrap_or("");
                match self.listen(script, listener) {
                    CallerInput::Speech(text) => {
                        let fields = vec![
                            ("SpeechResult".to_owned(), text),
                            ("Confidence".to_owned(), SPEECH_CONFIDENCE.to_owned()),
                        ];
                        Flow::Request(request(action, method, fields))
                    }
                    // With no input Twilio makes no request unless asked to.
                    CallerInput::Silence if action_on_empty_result => {
                        Flow::Request(request(action, method, Vec::new()))
                    }
                    CallerInput::Silence => Flow::NextVerb,
                    CallerInput::HangUp => Flow::End(CallEnd::CallerHungUp),
                }
            }
            Step::Record { action, method } => match self.listen(script, listener) {
                CallerInput::Speech(text) => match action {
                    Some(action) => {
                        let fields = recording_fields(&self.config.account_sid, &text);
                        Flow::Request(request(&action, method, fields))
                    }
                    None => Flow::NextVerb,
                },
                CallerInput::Silence => Flow::NextVerb,
                CallerInput::HangUp => Flow::End(CallEnd::CallerHungUp),
            },
            Step::Dial {
                action,
                method,
                numbers,
            } => {
                let number = numbers.join(", ");
                let dialled = Heard::Dial {
                    number: number.clone(),
                };
                self.hear(script, listener, dialled, played.latency);
                let result = script.dial_result(&number);
                self.transcript
                    .push(TranscriptLine::DialEnded { number, result });
                listener.redirects_without_input = 0;
                match action {
                    Some(action) => Flow::Request(request(&action, method, dial_fields(result))),
                    None => Flow::NextVerb,
                }
            }
            Step::Redirect { url, method } => {
                let next = request(&url, method, Vec::new());
                listener.redirects_without_input += 1;
                if listener.redirects_without_input > MAX_REDIRECTS {
                    return Err(CallError::TooManyRedirects {
                        url: self.signed_url(&next.location),
                    });
                }
                Flow::Request(next)
            }
            Step::Hangup => {
                self.hear(script, listener, Heard::Hangup, played.latency);
                Flow::End(CallEnd::ReceptionistHungUp)
            }
            Step::Reject { reason } => {
                let rejected = Heard::Reject {
                    reason: reason.clone(),
                };
                self.hear(script, listener, rejected, played.latency);
                Flow::End(CallEnd::Rejected { reason })
            }
        })
    }

    fn hear<S: CallerScript + ?Sized>(
        &mut self,
        script: &mut S,
        listener: &mut Listener,
        item: Heard,
        latency: Duration,
    ) {
        script.hear(&item);
        self.transcript.push(TranscriptLine::Receptionist {
            heard: item.clone(),
            latency,
        });
        listener.heard.push(item);
    }

    fn listen<S: CallerScript + ?Sized>(
        &mut self,
        script: &mut S,
        listener: &mut Listener,
    ) -> CallerInput {
        let input = script
            .next_line(&listener.heard)
            .unwrap_or(CallerInput::HangUp);
        listener.heard.clear();
        if matches!(input, CallerInput::Speech(_)) {
            listener.redirects_without_input = 0;
        }
        self.transcript.push(TranscriptLine::Caller(input.clone()));
        input
    }

    fn signed_url(&self, location: &Location) -> String {
        let base = location
            .origin
            .as_deref()
            .unwrap_or(&self.config.public_url);
        format!("{}{}", base.trim_end_matches('/'), location.path_and_query)
    }

    fn request_url(&self, location: &Location) -> String {
        let base = location.origin.as_deref().unwrap_or(&self.config.server);
        format!("{}{}", base.trim_end_matches('/'), location.path_and_query)
    }

    /// The fields Twilio sends on every voice webhook, then `extra`.
    fn form(&self, extra: Vec<(String, String)>) -> Vec<(String, String)> {
        let config = self.config;
        let status = if self.answered_at.is_some() {
            "in-progress"
        } else {
            "ringing"
        };
        let mut form: Vec<(String, String)> = [
            ("CallSid", config.call_sid.as_str()),
            ("AccountSid", &config.account_sid),
            ("From", &config.from),
            ("To", &config.to),
            ("Caller", &config.from),
            ("Called", &config.to),
            ("CallStatus", status),
            ("Direction", "inbound"),
            ("ApiVersion", "2010-04-01"),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
        form.extend(extra);
        form
    }

    /// Sends one signed webhook and returns the response status and body.
    async fn send(
        &mut self,
        request: Request,
        fields: Vec<(String, String)>,
    ) -> Result<(String, reqwest::Response, Duration), CallError> {
        let mut signed_url = self.signed_url(&request.location);
        let mut request_url = self.request_url(&request.location);
        let encoded = serde_urlencoded::to_string(&fields).map_err(|source| CallError::Encode {
            url: signed_url.clone(),
            source,
        })?;
        let token = self.config.auth_token.as_bytes();
        let builder = match request.method {
            Method::Post => {
                let signature = compute_signature(&signed_url, &fields, token);
                self.client
                    .post(&request_url)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Twilio-Signature", signature)
                    .body(encoded)
            }
            Method::Get => {
                // GET carries the fields in the query; only the URL is signed.
                let separator = if signed_url.contains('?') { '&' } else { '?' };
                signed_url = format!("{signed_url}{separator}{encoded}");
                request_url = format!("{request_url}{separator}{encoded}");
                let signature = compute_signature(&signed_url, &[], token);
                self.client
                    .get(&request_url)
                    .header("X-Twilio-Signature", signature)
            }
        };
        let started = Instant::now();
        let response = builder
            .header("User-Agent", "TwilioProxy/1.1")
            .send()
            .await
            .map_err(|source| CallError::Request {
                url: request_url.clone(),
                source,
            })?;
        let latency = started.elapsed();
        self.exchanges.push(Exchange {
            method: request.method,
            url: signed_url,
            params: fields,
            status: response.status().as_u16(),
            latency,
        });
        Ok((request_url, response, latency))
    }

    async fn fetch_twiml(
        &mut self,
        mut request: Request,
    ) -> Result<(Vec<Step>, Duration), CallError> {
        let fields = self.form(std::mem::take(&mut request.fields));
        let (url, response, latency) = self.send(request, fields).await?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = response.text().await.map_err(|source| CallError::Request {
            url: url.clone(),
            source,
        })?;
        if !(200..300).contains(&status) {
            return Err(CallError::Status {
                url,
                status,
                body: body.chars().take(200).collect(),
            });
        }
        let mime = content_type.split(';').next().unwrap_or("").trim();
        if !["text/xml", "application/xml", "text/html"]
            .iter()
            .any(|accepted| mime.eq_ignore_ascii_case(accepted))
        {
            return Err(CallError::ContentType {
                url,
                status,
                content_type,
            });
        }
        let steps = parse_twiml(&url, status, &body)?;
        Ok((steps, latency))
    }

    async fn send_status(&mut self, call_status: &str) -> Result<(), CallError> {
        let duration = self
            .answered_at
            .map_or(0, |answered| answered.elapsed().as_secs_f64().ceil() as u64);
        let mut fields = self.form(Vec::new());
        for (name, value) in &mut fields {
            if name == "CallStatus" {
                *value = call_status.to_owned();
            }
        }
        fields.extend([
            ("CallDuration".to_owned(), duration.to_string()),
            (
                "CallbackSource".to_owned(),
                "call-progress-events".to_owned(),
            ),
            ("SequenceNumber".to_owned(), "0".to_owned()),
        ]);
        let request = Request {
            location: Location {
                origin: None,
                path_and_query: STATUS_PATH.to_owned(),
            },
            method: Method::Post,
            fields: Vec::new(),
        };
        let (url, response, _) = self.send(request, fields).await?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            let body = response.text().await.unwrap_or_default();
            return Err(CallError::Status {
                url,
                status,
                body: body.chars().take(200).collect(),
            });
        }
        Ok(())
    }
}

fn dial_fields(result: DialResult) -> Vec<(String, String)> {
    let mut fields = vec![
        ("DialCallStatus".to_owned(), result.as_str().to_owned()),
        ("DialCallSid".to_owned(), random_call_sid()),
    ];
    if result == DialResult::Completed {
        fields.push((
            "DialCallDuration".to_owned(),
            SIMULATED_DIAL_SECS.to_string(),
        ));
        fields.push(("DialBridged".to_owned(), "true".to_owned()));
    }
    fields
}

fn recording_fields(account_sid: &str, said: &str) -> Vec<(String, String)> {
    let recording_sid = random_sid("RE");
    // About two words a second.
    let seconds = said.split_whitespace().count().div_ceil(2).max(1);
    vec![
        (
            "RecordingUrl".to_owned(),
            format!(
                "https://api.twilio.com/2010-04-01/Accounts/{account_sid}/Recordings/{recording_sid}"
            ),
        ),
        ("RecordingDuration".to_owned(), seconds.to_string()),
        ("Digits".to_owned(), "hangup".to_owned()),
    ]
}

/// Resolves a TwiML URL against the document it came from, as Twilio does (see the module
/// notes for how a leading `/` is treated). Fragments are dropped.
fn resolve(current: &Location, target: &str, config: &CallerConfig) -> Location {
    let target = target.split('#').next().unwrap_or("").trim();
    if target.is_empty() {
        return current.clone();
    }
    if let Some(scheme_end) = target.find("://") {
        for base in [&config.public_url, &config.server] {
            let base = base.trim_end_matches('/');
            let under_base = target
                .strip_prefix(base)
                .filter(|rest| rest.is_empty() || rest.starts_with(['/', '?']));
            if let Some(rest) = under_base {
                return Location {
                    origin: None,
                    path_and_query: with_leading_slash(rest),
                };
            }
        }
        let authority_end = target[scheme_end + 3..]
            .find(['/', '?'])
            .map_or(target.len(), |offset| scheme_end + 3 + offset);
        return Location {
            origin: Some(target[..authority_end].to_owned()),
            path_and_query: with_leading_slash(&target[authority_end..]),
        };
    }
    let current_path = current.path_and_query.split('?').next().unwrap_or("/");
    let path_and_query = if target.starts_with('/') {
        target.to_owned()
    } else if target.starts_with('?') {
        format!("{current_path}{target}")
    } else {
        let directory = &current_path[..current_path.rfind('/').map_or(0, |slash| slash + 1)];
        with_leading_slash(&format!("{directory}{target}"))
    };
    Location {
        origin: current.origin.clone(),
        path_and_query,
    }
}

fn with_leading_slash(path: &str) -> String {
    if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

fn parse_twiml(url: &str, status: u16, body: &str) -> Result<Vec<Step>, CallError> {
    let document = roxmltree::Document::parse(body).map_err(|error| CallError::NotXml {
        url: url.to_owned(),
        status,
        message: error.to_string(),
    })?;
    let root = document.root_element();
    if root.tag_name().name() != "Response" {
        return Err(CallError::NotResponse {
            url: url.to_owned(),
            status,
            root: root.tag_name().name().to_owned(),
        });
    }
    let unsupported = |verb: &str| CallError::UnsupportedVerb {
        url: url.to_owned(),
        verb: verb.to_owned(),
    };
    let mut steps = Vec::new();
    for verb in root.children().filter(roxmltree::Node::is_element) {
        let name = verb.tag_name().name();
        let action = verb.attribute("action").map(str::to_owned);
        let step = match name {
            "Say" | "Play" | "Pause" => Step::Heard(audio(verb).ok_or_else(|| unsupported(name))?),
            "Gather" => Step::Gather {
                action,
                method: method_of(verb),
                action_on_empty_result: verb.attribute("actionOnEmptyResult") == Some("true"),
                prompts: verb
                    .children()
                    .filter(roxmltree::Node::is_element)
                    .map(|prompt| {
                        audio(prompt).ok_or_else(|| unsupported(prompt.tag_name().name()))
                    })
                    .collect::<Result<_, _>>()?,
            },
            "Dial" => {
                let nouns: Vec<String> = verb
                    .children()
                    .filter(roxmltree::Node::is_element)
                    .map(text_of)
                    .collect();
                let numbers = if nouns.is_empty() {
                    vec![text_of(verb)]
                } else {
                    nouns
                };
                Step::Dial {
                    action,
                    method: method_of(verb),
                    numbers,
                }
            }
            "Redirect" => Step::Redirect {
                url: text_of(verb),
                method: method_of(verb),
            },
            "Record" => Step::Record {
                action,
                method: method_of(verb),
            },
            "Hangup" => Step::Hangup,
            "Reject" => Step::Reject {
                reason: verb.attribute("reason").map(str::to_owned),
            },
            other => return Err(unsupported(other)),
        };
        steps.push(step);
    }
    Ok(steps)
}

fn audio(node: roxmltree::Node) -> Option<Heard> {
    match node.tag_name().name() {
        "Say" => Some(Heard::Say(text_of(node))),
        "Play" => Some(Heard::Play(text_of(node))),
        "Pause" => Some(Heard::Pause),
        _ => None,
    }
}

/// All text under a node, SSML children included, trimmed.
fn text_of(node: roxmltree::Node) -> String {
    let text: String = node
        .descendants()
        .filter(roxmltree::Node::is_text)
        .filter_map(|text| text.text())
        .collect();
    text.trim().to_owned()
}

fn method_of(node: roxmltree::Node) -> Method {
    match node.attribute("method") {
        Some(method) if method.eq_ignore_ascii_case("GET") => Method::Get,
        _ => Method::Post,
    }
}

/// A fresh Twilio-shaped call SID: `CA` and 32 hex digits, unique within the process and
/// unlikely to repeat across processes. Not for anything secret.
pub fn random_call_sid() -> String {
    random_sid("CA")
}

fn random_sid(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos() as u64);
    let high = splitmix64(nanos ^ u64::from(std::process::id()).rotate_left(32));
    let low = splitmix64(high ^ count);
    format!("{prefix}{high:016x}{low:016x}")
}

fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One line of a caller script: what to say, or a directive in brackets.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ScriptLine {
    Input(CallerInput),
    NextDial(DialResult),
}

/// A line the script syntax does not know, such as `[dial maybe]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown script directive {line:?}: use [silence], [hangup] or [dial completed|busy|no-answer|failed]"
)]
pub struct ScriptError {
    pub line: String,
}

/// `[silence]`, `[hangup]` and `[dial RESULT]` are directives, an empty line is silence, anything
/// else is speech. Other bracketed lines are rejected so a typo is not spoken.
fn parse_script_line(line: &str) -> Result<ScriptLine, ScriptError> {
    let trimmed = line.trim();
    let unknown = || ScriptError {
        line: trimmed.to_owned(),
    };
    let Some(directive) = trimmed
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
    else {
        if trimmed.is_empty() {
            return Ok(ScriptLine::Input(CallerInput::Silence));
        }
        return Ok(ScriptLine::Input(CallerInput::Speech(trimmed.to_owned())));
    };
    match directive.trim() {
        "silence" => Ok(ScriptLine::Input(CallerInput::Silence)),
        "hangup" => Ok(ScriptLine::Input(CallerInput::HangUp)),
        other => other
            .strip_prefix("dial ")
            .and_then(DialResult::parse)
            .map(ScriptLine::NextDial)
            .ok_or_else(unknown),
    }
}

/// A caller who says fixed lines in order and hangs up when they run out.
///
/// `[dial busy]` (or `completed`, `no-answer`, `failed`) sets how the next transfer ends; it
/// may come before or after the line that asks for the transfer. Transfers otherwise complete.
#[derive(Debug, Clone, Default)]
pub struct ScriptedLines {
    lines: VecDeque<ScriptLine>,
    next_dial: Option<DialResult>,
}

impl ScriptedLines {
    pub fn new<I, S>(lines: I) -> Result<Self, ScriptError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let lines = lines
            .into_iter()
            .map(|line| parse_script_line(line.as_ref()))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            lines,
            next_dial: None,
        })
    }

    /// A script file: one line per turn; blank lines and lines starting with `#` are skipped.
    pub fn parse(text: &str) -> Result<Self, ScriptError> {
        Self::new(
            text.lines()
                .map(str::trim)
                .filter(|line| !line.is_empty() && !line.starts_with('#')),
        )
    }

    fn take_dial_directives(&mut self) {
        while let Some(ScriptLine::NextDial(result)) = self.lines.front() {
            self.next_dial = Some(*result);
            self.lines.pop_front();
        }
    }
}

impl CallerScript for ScriptedLines {
    fn next_line(&mut self, _heard: &[Heard]) -> Option<CallerInput> {
        self.take_dial_directives();
        match self.lines.pop_front()? {
            ScriptLine::Input(input) => Some(input),
            ScriptLine::NextDial(_) => None,
        }
    }

    fn dial_result(&mut self, _number: &str) -> DialResult {
        self.take_dial_directives();
        self.next_dial.take().unwrap_or(DialResult::Completed)
    }
}

/// A person at a terminal: prints what they hear, reads what they say.
///
/// Reads block the thread while the person types, which is fine for the CLI where this call is
/// the only work. Same syntax as [`ScriptedLines`]; an empty line is silence, end of input
/// hangs up.
pub struct Interactive<R, W> {
    input: R,
    output: W,
}

impl Interactive<std::io::StdinLock<'static>, std::io::Stdout> {
    pub fn stdio() -> Self {
        Self::new(std::io::stdin().lock(), std::io::stdout())
    }
}

impl<R: BufRead, W: Write> Interactive<R, W> {
    pub fn new(input: R, output: W) -> Self {
        Self { input, output }
    }

    fn prompt(&mut self, prompt: &str) -> Option<String> {
        // A broken terminal ends the call: there is nobody left to talk to.
        write!(self.output, "{prompt}").ok()?;
        self.output.flush().ok()?;
        let mut line = String::new();
        match self.input.read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line),
        }
    }
}

impl<R: BufRead, W: Write> CallerScript for Interactive<R, W> {
    fn next_line(&mut self, _heard: &[Heard]) -> Option<CallerInput> {
        loop {
            let line = self.prompt("you> ")?;
            match parse_script_line(&line) {
                Ok(ScriptLine::Input(input)) => return Some(input),
                Ok(ScriptLine::NextDial(_)) => {
                    let _ = writeln!(
                        self.output,
                        "(dial results are asked when a transfer happens)"
                    );
                }
                Err(error) => {
                    let _ = writeln!(self.output, "{error}");
                }
            }
        }
    }

    fn dial_result(&mut self, number: &str) -> DialResult {
        loop {
            let question =
                format!("transfer to {number}: completed, busy, no-answer or failed? [completed] ");
            let Some(line) = self.prompt(&question) else {
                return DialResult::Completed;
            };
            if line.trim().is_empty() {
                return DialResult::Completed;
            }
            if let Some(result) = DialResult::parse(&line) {
                return result;
            }
        }
    }

    fn hear(&mut self, heard: &Heard) {
        let mut line = String::from("receptionist: ");
        let _ = write_heard(&mut line, heard);
        let _ = writeln!(self.output, "{line}");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::telephony::signature::validate;
    use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    const TOKEN: &str = "test-auth-token";
    const PUBLIC_URL: &str = "https://frontdesk.example.com";

    /// What the fake server received: path and query, then the form fields.
    type Received = Arc<Mutex<Vec<(String, Vec<(String, String)>)>>>;

    struct FakeTwilioApp {
        routes: HashMap<String, (String, String)>,
        received: Received,
    }

    /// Answers canned TwiML by path and query, after checking the signature as Frontdesk would.
    async fn answer(
        request: HttpRequest,
        body: web::Bytes,
        app: web::Data<FakeTwilioApp>,
    ) -> HttpResponse {
        let path_and_query = request
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
            .unwrap_or_default();
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap();
        let signature = request
            .headers()
            .get("X-Twilio-Signature")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        let url = format!("{PUBLIC_URL}{path_and_query}");
        if !validate(&url, &fields, TOKEN.as_bytes(), signature) {
            return HttpResponse::Forbidden().body("bad signature");
        }
        let path = path_and_query.split('?').next().unwrap_or("").to_owned();
        app.received
            .lock()
            .unwrap()
            .push((path_and_query.clone(), fields));
        if path == STATUS_PATH {
            return HttpResponse::NoContent().finish();
        }
        match app.routes.get(&path_and_query) {
            Some((content_type, body)) => HttpResponse::Ok()
                .content_type(content_type.as_str())
                .body(body.clone()),
            None => HttpResponse::NotFound().body("no such route"),
        }
    }

    /// Starts the fake server on a free port; returns its base URL and what it receives.
    fn fake_server(routes: &[(&str, &str)]) -> (String, Received) {
        fake_server_with_types(
            &routes
                .iter()
                .map(|(path, body)| (*path, "text/xml; charset=utf-8", *body))
                .collect::<Vec<_>>(),
        )
    }

    fn fake_server_with_types(routes: &[(&str, &str, &str)]) -> (String, Received) {
        let received = Received::default();
        let app = web::Data::new(FakeTwilioApp {
            routes: routes
                .iter()
                .map(|(path, content_type, body)| {
                    (
                        (*path).to_owned(),
                        ((*content_type).to_owned(), (*body).to_owned()),
                    )
                })
                .collect(),
            received: received.clone(),
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(app.clone())
                .default_service(web::to(answer))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        (format!("http://127.0.0.1:{port}"), received)
    }

    fn config(server: &str) -> CallerConfig {
        CallerConfig {
            public_url: PUBLIC_URL.to_owned(),
            ..CallerConfig::new(server, TOKEN, "+15551230000", "+15559870000")
        }
    }

    fn twiml(verbs: &str) -> String {
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><Response>{verbs}</Response>"#)
    }

    fn paths(received: &Received) -> Vec<String> {
        received
            .lock()
            .unwrap()
            .iter()
            .map(|(path, _)| path.clone())
            .collect()
    }

    #[tokio::test]
    async fn a_scripted_call_follows_gather_speech_redirect_dial_and_hangup() {
        let voice = twiml(
            r#"<Gather input="speech" action="/twilio/gather"><Say>Thanks for calling Acme Plumbing. How can I help?</Say></Gather><Redirect>/twilio/voice?silence=1</Redirect>"#,
        );
        let gather =
            twiml("<Say>Let me get a plumber on the line.</Say><Redirect>transfer</Redirect>");
        let transfer = twiml(
            r#"<Dial action="/twilio/dial-result?attempt=1" timeout="20"><Number>+15550001111</Number></Dial>"#,
        );
        let dial_result = twiml(
            r#"<Say>Everyone is busy. Can I take a message?</Say><Gather input="speech" action="/twilio/gather?step=message"/><Say>Goodbye.</Say><Hangup/><Say>Unreachable.</Say>"#,
        );
        let (server, received) = fake_server(&[
            ("/twilio/voice", &voice),
            ("/twilio/gather", &gather),
            ("/twilio/transfer", &transfer),
            ("/twilio/dial-result?attempt=1", &dial_result),
        ]);
        let mut script =
            ScriptedLines::new(["I need someone to fix a leak", "[dial busy]", "[silence]"])
                .unwrap();

        let outcome = Call::run(&config(&server), &mut script).await.unwrap();

        assert_eq!(
            outcome.receptionist_said(),
            vec![
                "Thanks for calling Acme Plumbing. How can I help?",
                "Let me get a plumber on the line.",
                "Everyone is busy. Can I take a message?",
                "Goodbye.",
            ]
        );
        assert_eq!(outcome.ended, CallEnd::ReceptionistHungUp);
        assert_eq!(outcome.final_status, "completed");
        assert!(outcome.transcript.contains(&TranscriptLine::DialEnded {
            number: "+15550001111".into(),
            result: DialResult::Busy
        }));
        assert_eq!(
            paths(&received),
            vec![
                "/twilio/voice",
                "/twilio/gather",
                "/twilio/transfer",
                "/twilio/dial-result?attempt=1",
                "/twilio/call-status",
            ]
        );
        let ex = &outcome.exchanges;
        assert_eq!(ex.len(), 5);
        assert_eq!(ex[0].url, format!("{PUBLIC_URL}/twilio/voice"));
        assert_eq!(ex[0].param("CallStatus"), Some("ringing"));
        assert_eq!(ex[0].param("Direction"), Some("inbound"));
        assert_eq!(ex[0].param("ApiVersion"), Some("2010-04-01"));
        assert_eq!(ex[0].param("From"), Some("+15551230000"));
        assert_eq!(ex[0].param("Called"), Some("+15559870000"));
        assert_eq!(ex[0].param("CallSid"), Some(outcome.call_sid.as_str()));
        assert_eq!(ex[1].param("CallStatus"), Some("in-progress"));
        assert_eq!(
            ex[1].param("SpeechResult"),
            Some("I need someone to fix a leak")
        );
        assert_eq!(ex[1].param("Confidence"), Some("0.9"));
        assert_eq!(ex[2].param("SpeechResult"), None);
        assert_eq!(ex[3].param("DialCallStatus"), Some("busy"));
        assert_eq!(ex[3].param("DialCallDuration"), None);
        assert_eq!(ex[4].param("CallStatus"), Some("completed"));
        assert!(ex[4].param("CallDuration").is_some());
        assert!(
            ex.iter()
                .all(|exchange| (200..300).contains(&exchange.status))
        );
    }

    #[tokio::test]
    async fn a_silent_caller_follows_the_redirect_until_twilio_would_give_up() {
        let voice = twiml(
            r#"<Gather input="speech" action="/twilio/gather"><Say>Hello?</Say></Gather><Redirect>/twilio/voice</Redirect>"#,
        );
        let (server, received) = fake_server(&[("/twilio/voice", &voice)]);
        let mut script = ScriptedLines::new(vec!["[silence]"; 20]).unwrap();

        let error = Call::run(&config(&server), &mut script).await.unwrap_err();

        assert!(
            matches!(error, CallError::TooManyRedirects { .. }),
            "{error}"
        );
        let paths = paths(&received);
        assert_eq!(paths.len(), MAX_REDIRECTS + 2);
        assert_eq!(
            paths.last().map(String::as_str),
            Some("/twilio/call-status")
        );
    }

    #[tokio::test]
    async fn a_caller_who_hangs_up_ends_the_call_with_a_completed_status() {
        let voice = twiml(
            r#"<Gather input="speech" action="/twilio/gather"><Say>Hello?</Say></Gather><Redirect>/twilio/voice</Redirect>"#,
        );
        let (server, received) = fake_server(&[("/twilio/voice", &voice)]);
        let mut script = ScriptedLines::new(["[hangup]", "never said"]).unwrap();

        let outcome = Call::run(&config(&server), &mut script).await.unwrap();

        assert_eq!(outcome.ended, CallEnd::CallerHungUp);
        assert_eq!(
            paths(&received),
            vec!["/twilio/voice", "/twilio/call-status"]
        );
        assert_eq!(outcome.exchanges[1].param("CallStatus"), Some("completed"));
    }

    #[tokio::test]
    async fn running_out_of_script_lines_hangs_up() {
        let voice = twiml(r#"<Gather input="speech"><Say>Hello?</Say></Gather>"#);
        let (server, _) = fake_server(&[("/twilio/voice", &voice)]);
        let mut script = ScriptedLines::new(Vec::<String>::new()).unwrap();

        let outcome = Call::run(&config(&server), &mut script).await.unwrap();

        assert_eq!(outcome.ended, CallEnd::CallerHungUp);
    }

    #[tokio::test]
    async fn a_gather_without_action_posts_to_the_current_document() {
        let voice = twiml(r#"<Gather input="speech"><Say>Name?</Say></Gather>"#);
        let (server, received) = fake_server(&[("/twilio/voice", &voice)]);
        let mut script = ScriptedLines::new(["Ada", "Lovelace"]).unwrap();

        let outcome = Call::run(&config(&server), &mut script).await.unwrap();

        assert_eq!(outcome.receptionist_said(), vec!["Name?"; 3]);
        assert_eq!(outcome.ended, CallEnd::CallerHungUp);
        let received = received.lock().unwrap();
        assert_eq!(received[1].0, "/twilio/voice");
        assert!(
            received[1]
                .1
                .contains(&("SpeechResult".into(), "Ada".into()))
        );
        assert!(
            received[2]
                .1
                .contains(&("SpeechResult".into(), "Lovelace".into()))
        );
    }

    #[tokio::test]
    async fn an_empty_result_is_posted_only_when_the_gather_asks_for_it() {
        let voice = twiml(
            r#"<Gather input="speech" action="/twilio/gather" actionOnEmptyResult="true"><Say>Hi</Say></Gather><Say>Not played</Say>"#,
        );
        let gather = twiml("<Hangup/>");
        let (server, received) =
            fake_server(&[("/twilio/voice", &voice), ("/twilio/gather", &gather)]);
        let mut script = ScriptedLines::new(["[silence]"]).unwrap();

        let outcome = Call::run(&config(&server), &mut script).await.unwrap();

        assert_eq!(outcome.receptionist_said(), vec!["Hi"]);
        assert_eq!(
            paths(&received),
            vec!["/twilio/voice", "/twilio/gather", "/twilio/call-status"]
        );
        assert_eq!(outcome.exchanges[1].param("SpeechResult"), None);
    }

    #[tokio::test]
    async fn a_completed_dial_reports_its_duration_and_a_dial_without_action_runs_the_next_verb() {
        let voice = twiml(
            r#"<Dial>+15550002222</Dial><Say>Back from the first transfer.</Say><Dial action="done"><Number>+15550003333</Number><Number>+15550004444</Number></Dial>"#,
        );
        let done = twiml("<Say>Bye</Say>");
        let (server, _) = fake_server(&[("/twilio/voice", &voice), ("/twilio/done", &done)]);
        let mut script = ScriptedLines::new(Vec::<String>::new()).unwrap();

        let outcome = Call::run(&config(&server), &mut script).await.unwrap();

        assert_eq!(
            outcome.receptionist_said(),
            vec!["Back from the first transfer.", "Bye"]
        );
        assert_eq!(outcome.ended, CallEnd::DocumentEnded);
        let dial = &outcome.exchanges[1];
        assert_eq!(dial.url, format!("{PUBLIC_URL}/twilio/done"));
        assert_eq!(dial.param("DialCallStatus"), Some("completed"));
        assert_eq!(dial.param("DialCallDuration"), Some("30"));
        assert!(outcome.transcript.contains(&TranscriptLine::DialEnded {
            number: "+15550003333, +15550004444".into(),
            result: DialResult::Completed
        }));
    }

    #[tokio::test]
    async fn a_first_verb_reject_ends_the_call_unanswered() {
        let voice = twiml(r#"<Reject reason="busy"/>"#);
        let (server, _) = fake_server(&[("/twilio/voice", &voice)]);
        let mut script = ScriptedLines::default();

        let outcome = Call::run(&config(&server), &mut script).await.unwrap();

        assert_eq!(
            outcome.ended,
            CallEnd::Rejected {
                reason: Some("busy".into())
            }
        );
        assert_eq!(outcome.final_status, "busy");
        assert_eq!(outcome.exchanges[1].param("CallStatus"), Some("busy"));
        assert_eq!(outcome.exchanges[1].param("CallDuration"), Some("0"));
    }

    #[tokio::test]
    async fn a_wrong_auth_token_fails_with_the_url_and_status() {
        let voice = twiml("<Say>Hi</Say>");
        let (server, received) = fake_server(&[("/twilio/voice", &voice)]);
        let mut wrong = config(&server);
        wrong.auth_token = "not-the-token".into();

        let error = Call::run(&wrong, &mut ScriptedLines::default())
            .await
            .unwrap_err();

        let message = error.to_string();
        assert!(message.contains("/twilio/voice"), "{message}");
        assert!(message.contains("403"), "{message}");
        assert!(received.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn bodies_that_are_not_twiml_are_errors_naming_the_url() {
        type IsExpected = fn(&CallError) -> bool;
        let cases: [(&str, &str, IsExpected); 4] = [
            ("text/xml", "<Response><Say>unclosed", |e| {
                matches!(e, CallError::NotXml { .. })
            }),
            ("text/xml", "<Html/>", |e| {
                matches!(e, CallError::NotResponse { .. })
            }),
            ("application/json", "{}", |e| {
                matches!(e, CallError::ContentType { .. })
            }),
            (
                "text/xml",
                "<Response><Enqueue>q</Enqueue></Response>",
                |e| matches!(e, CallError::UnsupportedVerb { .. }),
            ),
        ];
        for (content_type, body, expected) in cases {
            let (server, _) = fake_server_with_types(&[("/twilio/voice", content_type, body)]);
            let error = Call::run(&config(&server), &mut ScriptedLines::default())
                .await
                .unwrap_err();
            assert!(expected(&error), "{body}: {error}");
            assert!(error.to_string().contains("/twilio/voice"), "{error}");
        }
    }

    #[tokio::test]
    async fn a_missing_route_is_an_http_status_error() {
        let voice = twiml("<Redirect>/twilio/nowhere</Redirect>");
        let (server, _) = fake_server(&[("/twilio/voice", &voice)]);
        let error = Call::run(&config(&server), &mut ScriptedLines::default())
            .await
            .unwrap_err();
        assert!(
            matches!(&error, CallError::Status { status: 404, url, .. } if url.ends_with("/twilio/nowhere")),
            "{error}"
        );
    }

    #[tokio::test]
    async fn get_redirects_carry_the_fields_in_the_signed_query() {
        let voice = twiml(r#"<Redirect method="GET">/twilio/menu?x=1</Redirect>"#);
        let (server, _) = fake_server(&[("/twilio/voice", &voice)]);
        let error = Call::run(&config(&server), &mut ScriptedLines::default())
            .await
            .unwrap_err();
        // The fake server validated the GET signature (else 403) and then had no such route.
        assert!(
            matches!(&error, CallError::Status { status: 404, url, .. } if url.contains("/twilio/menu?x=1&CallSid=")),
            "{error}"
        );
    }

    fn local(path_and_query: &str) -> Location {
        Location {
            origin: None,
            path_and_query: path_and_query.to_owned(),
        }
    }

    #[test]
    fn urls_resolve_against_the_current_document_like_twilio() {
        let config = CallerConfig::new("http://127.0.0.1:8080/", TOKEN, "a", "b");
        let config = CallerConfig {
            public_url: "https://fd.example.com".into(),
            ..config
        };
        let here = local("/twilio/gather?turn=3");
        let cases = [
            ("", local("/twilio/gather?turn=3")),
            ("/twilio/voice", local("/twilio/voice")),
            ("?silence=1", local("/twilio/gather?silence=1")),
            ("dial-result#rt=5000", local("/twilio/dial-result")),
            (
                "https://fd.example.com/twilio/x?y=1",
                local("/twilio/x?y=1"),
            ),
            ("http://127.0.0.1:8080/twilio/z", local("/twilio/z")),
            ("https://fd.example.com", local("/")),
            (
                "https://other.example.com/hook?a=1",
                Location {
                    origin: Some("https://other.example.com".into()),
                    path_and_query: "/hook?a=1".into(),
                },
            ),
            (
                "https://fd.example.com.evil.test/hook",
                Location {
                    origin: Some("https://fd.example.com.evil.test".into()),
                    path_and_query: "/hook".into(),
                },
            ),
        ];
        for (target, expected) in cases {
            assert_eq!(resolve(&here, target, &config), expected, "{target:?}");
        }
    }

    #[test]
    fn scripts_understand_silence_hangup_and_dial_directives() {
        let mut script = ScriptedLines::parse(
            "# a caller\nHello\n\n[dial no-answer]\n[silence]\n  [ hangup ]  \nunreached\n",
        )
        .unwrap();
        assert_eq!(
            script.next_line(&[]),
            Some(CallerInput::Speech("Hello".into()))
        );
        assert_eq!(script.dial_result("+1"), DialResult::NoAnswer);
        assert_eq!(script.dial_result("+1"), DialResult::Completed);
        assert_eq!(script.next_line(&[]), Some(CallerInput::Silence));
        assert_eq!(script.next_line(&[]), Some(CallerInput::HangUp));
        assert_eq!(
            ScriptedLines::parse("[dial maybe]").unwrap_err().line,
            "[dial maybe]"
        );
        assert!(ScriptedLines::new(["[shout]"]).is_err());
        let mut trailing = ScriptedLines::new(["[dial failed]"]).unwrap();
        assert_eq!(trailing.next_line(&[]), None);
    }

    #[test]
    fn the_interactive_script_prints_what_it_hears_and_reads_what_to_say() {
        let input = b"hello there\n\nbusy\n[hangup]\n".as_slice();
        let mut output = Vec::new();
        {
            let mut person = Interactive::new(input, &mut output);
            person.hear(&Heard::Say("How can I help?".into()));
            assert_eq!(
                person.next_line(&[]),
                Some(CallerInput::Speech("hello there".into()))
            );
            assert_eq!(person.next_line(&[]), Some(CallerInput::Silence));
            assert_eq!(person.dial_result("+15550001111"), DialResult::Busy);
            assert_eq!(person.next_line(&[]), Some(CallerInput::HangUp));
            assert_eq!(person.next_line(&[]), None);
        }
        let shown = String::from_utf8(output).unwrap();
        assert!(
            shown.starts_with("receptionist: How can I help?\nyou> "),
            "{shown}"
        );
        assert!(shown.contains("transfer to +15550001111"), "{shown}");
    }

    #[test]
    fn call_sids_look_like_twilios_and_do_not_repeat() {
        let sids: Vec<String> = (0..1000).map(|_| random_call_sid()).collect();
        for sid in &sids {
            assert_eq!(sid.len(), 34);
            assert!(sid.starts_with("CA"));
            assert!(
                sid[2..]
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            );
        }
        let unique: std::collections::HashSet<&String> = sids.iter().collect();
        assert_eq!(unique.len(), sids.len());
    }

    #[test]
    fn say_text_includes_ssml_children_and_dial_accepts_a_bare_number() {
        let steps = parse_twiml(
            "u",
            200,
            r#"<Response><Say>Call <say-as interpret-as="telephone">555 1234</say-as> now</Say><Dial> +15550001111 </Dial></Response>"#,
        )
        .unwrap();
        assert_eq!(
            steps,
            vec![
                Step::Heard(Heard::Say("Call 555 1234 now".into())),
                Step::Dial {
                    action: None,
                    method: Method::Post,
                    numbers: vec!["+15550001111".into()]
                },
            ]
        );
    }

    #[test]
    fn transcript_lines_read_like_a_conversation() {
        let lines = [
            TranscriptLine::Receptionist {
                heard: Heard::Say("Hi".into()),
                latency: Duration::from_millis(12),
            },
            TranscriptLine::Caller(CallerInput::Speech("Hello".into())),
            TranscriptLine::Caller(CallerInput::Silence),
            TranscriptLine::DialEnded {
                number: "+1555".into(),
                result: DialResult::NoAnswer,
            },
        ];
        let shown: Vec<String> = lines.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            vec![
                "receptionist (12 ms): Hi",
                "caller: Hello",
                "caller: [silence]",
                "[transfer to +1555: no-answer]",
            ]
        );
    }
}
