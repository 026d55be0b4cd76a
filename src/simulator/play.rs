//! Playing the TwiML a call gets back, verb by verb, the way Twilio does.

use std::time::{Duration, Instant};

use super::request::{Location, Request, resolve};
use super::sid::{random_call_sid, random_sid};
use super::twiml_reader::Step;
use super::{
    Call, CallEnd, CallError, CallerInput, CallerScript, DialResult, Heard, MAX_REDIRECTS,
    SIMULATED_DIAL_SECS, SPEECH_CONFIDENCE, TranscriptLine, VOICE_PATH,
};
use crate::telephony::twiml::Method;

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

impl Call<'_> {
    pub(super) async fn play<S: CallerScript + ?Sized>(
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
                keypad,
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
                    CallerInput::Press(keys) => {
                        // Keys a speech-only gather ignores are no input.
                        let digits = keypad.map(|keypad| keypad.digits(&keys));
                        match digits.filter(|digits| !digits.is_empty()) {
                            Some(digits) => {
                                let fields = vec![("Digits".to_owned(), digits)];
                                Flow::Request(request(action, method, fields))
                            }
                            None if action_on_empty_result => {
                                Flow::Request(request(action, method, Vec::new()))
                            }
                            None => Flow::NextVerb,
                        }
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
                // A key ends a recording; without a recording nothing is posted.
                CallerInput::Press(_) | CallerInput::Silence => Flow::NextVerb,
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
        if matches!(input, CallerInput::Speech(_) | CallerInput::Press(_)) {
            listener.redirects_without_input = 0;
        }
        self.transcript.push(TranscriptLine::Caller(input.clone()));
        input
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
