//! A typed TwiML writer.
//!
//! Text that reaches a `<Say>` often comes from the caller (speech recognition) or from a
//! tenant's knowledge base, so escaping here is a security boundary: every text node and
//! attribute value goes through `escape_into`, which escapes markup characters and drops
//! characters XML 1.0 forbids. No input can add an element to the document.
//!
//! ```
//! use frontdesk::telephony::twiml::{Gather, Response, Say};
//!
//! let mut response = Response::new();
//! response
//!     .gather(Gather::speech("/twilio/gather?turn=1").say(Say::new("Fish & <chips>?")))
//!     .redirect("/twilio/gather?turn=1");
//! let xml = response.into_xml();
//! assert!(xml.contains("<Say>Fish &amp; &lt;chips&gt;?</Say>"));
//! ```

mod builders;
mod escape;
mod write;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;

use write::write_verb;

/// Longest `<Say>` text kept, in characters; Twilio's own limit is 4,096.
pub const MAX_SAY_CHARS: usize = 4_000;
/// Longest single `<Gather hints>` entry Twilio accepts, in characters.
pub const MAX_HINT_CHARS: usize = 100;
/// Most `<Gather hints>` entries Twilio accepts.
pub const MAX_HINTS: usize = 500;
/// Most numbers one `<Dial>` rings at once.
pub const MAX_DIAL_NUMBERS: usize = 10;

/// A TwiML document: verbs that Twilio plays in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Response {
    verbs: Vec<Verb>,
}

/// One top-level TwiML verb.
#[derive(Debug, Clone, PartialEq)]
pub enum Verb {
    Say(Say),
    Gather(Gather),
    Dial(Dial),
    Redirect(Redirect),
    Hangup,
    Reject(Option<RejectReason>),
    Pause(Pause),
    Play(Play),
    Record(Record),
}

/// HTTP method Twilio uses for a callback URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Say {
    text: String,
    voice: Option<String>,
    language: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub length_secs: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Play {
    pub url: String,
}

/// What `<Gather>` listens for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatherInput {
    Speech,
    Dtmf,
    DtmfAndSpeech,
}

/// How long `<Gather>` waits after the caller stops speaking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeechTimeout {
    /// Stop at the first pause. Twilio wants whole seconds instead when a `speechModel` is set.
    Auto,
    Seconds(u32),
}

/// Audio that plays inside a `<Gather>`, while it already listens.
#[derive(Debug, Clone, PartialEq)]
pub enum Prompt {
    Say(Say),
    Pause(Pause),
    Play(Play),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Gather {
    input: GatherInput,
    action: Option<String>,
    method: Option<Method>,
    language: Option<String>,
    speech_timeout: Option<SpeechTimeout>,
    speech_model: Option<String>,
    hints: Vec<String>,
    timeout_secs: Option<u32>,
    num_digits: Option<u32>,
    finish_on_key: Option<String>,
    action_on_empty_result: Option<bool>,
    prompts: Vec<Prompt>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dial {
    action: Option<String>,
    method: Option<Method>,
    timeout_secs: Option<u32>,
    caller_id: Option<String>,
    numbers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Redirect {
    pub url: String,
    pub method: Option<Method>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectReason {
    Busy,
    Rejected,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    action: Option<String>,
    max_length_secs: Option<u32>,
    play_beep: Option<bool>,
    timeout_secs: Option<u32>,
    trim_silence: Option<bool>,
}

impl Response {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn verbs(&self) -> &[Verb] {
        &self.verbs
    }

    pub fn push(&mut self, verb: Verb) -> &mut Self {
        self.verbs.push(verb);
        self
    }

    pub fn say(&mut self, say: Say) -> &mut Self {
        self.push(Verb::Say(say))
    }

    pub fn gather(&mut self, gather: Gather) -> &mut Self {
        self.push(Verb::Gather(gather))
    }

    pub fn dial(&mut self, dial: Dial) -> &mut Self {
        self.push(Verb::Dial(dial))
    }

    /// `<Redirect>` with Twilio's default method, POST.
    pub fn redirect(&mut self, url: impl Into<String>) -> &mut Self {
        self.push(Verb::Redirect(Redirect {
            url: url.into(),
            method: None,
        }))
    }

    pub fn redirect_with_method(&mut self, url: impl Into<String>, method: Method) -> &mut Self {
        self.push(Verb::Redirect(Redirect {
            url: url.into(),
            method: Some(method),
        }))
    }

    pub fn hangup(&mut self) -> &mut Self {
        self.push(Verb::Hangup)
    }

    /// `<Reject>`; as the first verb it declines the call without answering (or billing) it.
    pub fn reject(&mut self, reason: Option<RejectReason>) -> &mut Self {
        self.push(Verb::Reject(reason))
    }

    pub fn pause(&mut self, length_secs: u32) -> &mut Self {
        self.push(Verb::Pause(Pause { length_secs }))
    }

    pub fn play(&mut self, url: impl Into<String>) -> &mut Self {
        self.push(Verb::Play(Play { url: url.into() }))
    }

    pub fn record(&mut self, record: Record) -> &mut Self {
        self.push(Verb::Record(record))
    }

    /// The XML document, declaration included.
    pub fn to_xml(&self) -> String {
        let mut out = String::with_capacity(256);
        out.push_str(r#"<?xml version="1.0" encoding="UTF-8"?><Response>"#);
        for verb in &self.verbs {
            write_verb(&mut out, verb);
        }
        out.push_str("</Response>");
        out
    }

    pub fn into_xml(self) -> String {
        self.to_xml()
    }
}
