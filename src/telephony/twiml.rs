//! A typed TwiML writer.
//!
//! Text that reaches a `<Say>` often comes from the caller (speech recognition) or from a
//! tenant's knowledge base, so escaping here is a security boundary: every text node and
//! attribute value goes through `escape_into`, which escapes markup characters and drops
//! characters XML 1.0 forbids. No input can add an element to the document.
//!
//! ```ignore
//! let mut response = Response::new();
//! response
//!     .gather(Gather::speech("/twilio/gather").say(Say::new("How can I help?")))
//!     .redirect("/twilio/gather?silence=1");
//! let xml = response.into_xml();
//! ```

use std::fmt::Write as _;

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

impl Say {
    /// Text longer than [`MAX_SAY_CHARS`] is cut at a character boundary.
    pub fn new(text: impl Into<String>) -> Self {
        let mut text = text.into();
        if let Some((cut, _)) = text.char_indices().nth(MAX_SAY_CHARS) {
            text.truncate(cut);
        }
        Self {
            text,
            voice: None,
            language: None,
        }
    }

    pub fn voice(mut self, voice: impl Into<String>) -> Self {
        self.voice = Some(voice.into());
        self
    }

    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

impl Gather {
    /// A speech `<Gather>` posting its result to `action`.
    pub fn speech(action: impl Into<String>) -> Self {
        Self::new(GatherInput::Speech).action(action)
    }

    /// A `<Gather>` with no action: Twilio posts the result to the current document's URL.
    pub fn new(input: GatherInput) -> Self {
        Self {
            input,
            action: None,
            method: None,
            language: None,
            speech_timeout: None,
            speech_model: None,
            hints: Vec::new(),
            timeout_secs: None,
            action_on_empty_result: None,
            prompts: Vec::new(),
        }
    }

    pub fn action(mut self, url: impl Into<String>) -> Self {
        self.action = Some(url.into());
        self
    }

    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }

    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    pub fn speech_timeout(mut self, timeout: SpeechTimeout) -> Self {
        self.speech_timeout = Some(timeout);
        self
    }

    pub fn speech_model(mut self, model: impl Into<String>) -> Self {
        self.speech_model = Some(model.into());
        self
    }

    /// Phrases that bias speech recognition. Twilio reads the attribute as a comma list, so a
    /// comma inside a hint becomes a space; each hint is cut to [`MAX_HINT_CHARS`] and hints past
    /// [`MAX_HINTS`] are dropped, as Twilio would reject them.
    pub fn hints<I, S>(mut self, hints: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for hint in hints {
            if self.hints.len() >= MAX_HINTS {
                break;
            }
            let cleaned: String = hint
                .as_ref()
                .chars()
                .map(|c| if c == ',' { ' ' } else { c })
                .filter(|&c| is_xml_char(c))
                .take(MAX_HINT_CHARS)
                .collect();
            let trimmed = cleaned.trim();
            if !trimmed.is_empty() {
                self.hints.push(trimmed.to_owned());
            }
        }
        self
    }

    pub fn timeout(mut self, secs: u32) -> Self {
        self.timeout_secs = Some(secs);
        self
    }

    pub fn action_on_empty_result(mut self, enabled: bool) -> Self {
        self.action_on_empty_result = Some(enabled);
        self
    }

    pub fn say(mut self, say: Say) -> Self {
        self.prompts.push(Prompt::Say(say));
        self
    }

    pub fn pause(mut self, length_secs: u32) -> Self {
        self.prompts.push(Prompt::Pause(Pause { length_secs }));
        self
    }

    pub fn play(mut self, url: impl Into<String>) -> Self {
        self.prompts.push(Prompt::Play(Play { url: url.into() }));
        self
    }
}

impl Dial {
    pub fn number(number: impl Into<String>) -> Self {
        Self::default().add_number(number)
    }

    /// Rings every number at once; numbers past [`MAX_DIAL_NUMBERS`] are ignored, as Twilio would.
    pub fn add_number(mut self, number: impl Into<String>) -> Self {
        if self.numbers.len() < MAX_DIAL_NUMBERS {
            self.numbers.push(number.into());
        }
        self
    }

    pub fn action(mut self, url: impl Into<String>) -> Self {
        self.action = Some(url.into());
        self
    }

    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }

    pub fn timeout(mut self, secs: u32) -> Self {
        self.timeout_secs = Some(secs);
        self
    }

    /// Without it, Twilio shows the original caller's number, which is usually what a forward wants.
    pub fn caller_id(mut self, number: impl Into<String>) -> Self {
        self.caller_id = Some(number.into());
        self
    }
}

impl Record {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn action(mut self, url: impl Into<String>) -> Self {
        self.action = Some(url.into());
        self
    }

    pub fn max_length(mut self, secs: u32) -> Self {
        self.max_length_secs = Some(secs);
        self
    }

    pub fn play_beep(mut self, beep: bool) -> Self {
        self.play_beep = Some(beep);
        self
    }

    pub fn timeout(mut self, secs: u32) -> Self {
        self.timeout_secs = Some(secs);
        self
    }

    pub fn trim_silence(mut self, trim: bool) -> Self {
        self.trim_silence = Some(trim);
        self
    }
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

fn write_verb(out: &mut String, verb: &Verb) {
    match verb {
        Verb::Say(say) => write_say(out, say),
        Verb::Gather(gather) => write_gather(out, gather),
        Verb::Dial(dial) => write_dial(out, dial),
        Verb::Redirect(redirect) => {
            out.push_str("<Redirect");
            attr(out, "method", redirect.method.map(Method::as_str));
            text_element_body(out, "Redirect", &redirect.url);
        }
        Verb::Hangup => out.push_str("<Hangup/>"),
        Verb::Reject(reason) => {
            out.push_str("<Reject");
            let reason = reason.map(|reason| match reason {
                RejectReason::Busy => "busy",
                RejectReason::Rejected => "rejected",
            });
            attr(out, "reason", reason);
            out.push_str("/>");
        }
        Verb::Pause(pause) => write_pause(out, *pause),
        Verb::Play(play) => write_play(out, play),
        Verb::Record(record) => write_record(out, record),
    }
}

fn write_say(out: &mut String, say: &Say) {
    out.push_str("<Say");
    attr(out, "voice", say.voice.as_deref());
    attr(out, "language", say.language.as_deref());
    text_element_body(out, "Say", &say.text);
}

fn write_pause(out: &mut String, pause: Pause) {
    out.push_str("<Pause");
    attr_num(out, "length", Some(pause.length_secs));
    out.push_str("/>");
}

fn write_play(out: &mut String, play: &Play) {
    out.push_str("<Play");
    text_element_body(out, "Play", &play.url);
}

fn write_gather(out: &mut String, gather: &Gather) {
    out.push_str("<Gather");
    let input = match gather.input {
        GatherInput::Speech => "speech",
        GatherInput::Dtmf => "dtmf",
        GatherInput::DtmfAndSpeech => "dtmf speech",
    };
    attr(out, "input", Some(input));
    attr(out, "action", gather.action.as_deref());
    attr(out, "method", gather.method.map(Method::as_str));
    attr(out, "language", gather.language.as_deref());
    match gather.speech_timeout {
        Some(SpeechTimeout::Auto) => attr(out, "speechTimeout", Some("auto")),
        Some(SpeechTimeout::Seconds(secs)) => attr_num(out, "speechTimeout", Some(secs)),
        None => {}
    }
    attr(out, "speechModel", gather.speech_model.as_deref());
    if !gather.hints.is_empty() {
        out.push_str(" hints=\"");
        for (index, hint) in gather.hints.iter().enumerate() {
            if index > 0 {
                out.push_str(", ");
            }
            escape_into(out, hint, Context::Attribute);
        }
        out.push('"');
    }
    attr_num(out, "timeout", gather.timeout_secs);
    attr(
        out,
        "actionOnEmptyResult",
        gather.action_on_empty_result.map(bool_str),
    );
    if gather.prompts.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for prompt in &gather.prompts {
        match prompt {
            Prompt::Say(say) => write_say(out, say),
            Prompt::Pause(pause) => write_pause(out, *pause),
            Prompt::Play(play) => write_play(out, play),
        }
    }
    out.push_str("</Gather>");
}

fn write_dial(out: &mut String, dial: &Dial) {
    out.push_str("<Dial");
    attr(out, "action", dial.action.as_deref());
    attr(out, "method", dial.method.map(Method::as_str));
    attr_num(out, "timeout", dial.timeout_secs);
    attr(out, "callerId", dial.caller_id.as_deref());
    out.push('>');
    for number in &dial.numbers {
        out.push_str("<Number");
        text_element_body(out, "Number", number);
    }
    out.push_str("</Dial>");
}

fn write_record(out: &mut String, record: &Record) {
    out.push_str("<Record");
    attr(out, "action", record.action.as_deref());
    attr_num(out, "maxLength", record.max_length_secs);
    attr(out, "playBeep", record.play_beep.map(bool_str));
    attr_num(out, "timeout", record.timeout_secs);
    let trim = record
        .trim_silence
        .map(|trim| if trim { "trim-silence" } else { "do-not-trim" });
    attr(out, "trim", trim);
    out.push_str("/>");
}

fn bool_str(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// Writes ` name="value"` when there is a value; the start tag must still be open.
fn attr(out: &mut String, name: &str, value: Option<&str>) {
    if let Some(value) = value {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_into(out, value, Context::Attribute);
        out.push('"');
    }
}

fn attr_num(out: &mut String, name: &str, value: Option<u32>) {
    if let Some(value) = value {
        // Writing to a String cannot fail.
        let _ = write!(out, " {name}=\"{value}\"");
    }
}

/// Closes an open start tag, writes the text and the end tag.
fn text_element_body(out: &mut String, name: &str, text: &str) {
    out.push('>');
    escape_into(out, text, Context::Text);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Text,
    Attribute,
}

/// Characters XML 1.0 allows (`Char` production). Rust strings cannot hold surrogates.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes markup characters and drops characters XML 1.0 forbids. Whitespace that a parser
/// would normalise (`\r` anywhere; tab and newline in attributes) becomes a character
/// reference so it reaches Twilio unchanged.
fn escape_into(out: &mut String, value: &str, context: Context) {
    out.reserve(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' if context == Context::Attribute => out.push_str("&#10;"),
            '\t' if context == Context::Attribute => out.push_str("&#9;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A parsed element: name, attributes in document order, own text, children.
    #[derive(Debug, PartialEq)]
    struct El {
        name: String,
        attrs: Vec<(String, String)>,
        text: String,
        children: Vec<El>,
    }

    fn el(name: &str, attrs: &[(&str, &str)], text: &str, children: Vec<El>) -> El {
        El {
            name: name.into(),
            attrs: attrs
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
            text: text.into(),
            children,
        }
    }

    fn to_el(node: roxmltree::Node) -> El {
        El {
            name: node.tag_name().name().into(),
            attrs: node
                .attributes()
                .map(|a| (a.name().into(), a.value().into()))
                .collect(),
            text: node
                .children()
                .filter(|child| child.is_text())
                .filter_map(|child| child.text())
                .collect(),
            children: node
                .children()
                .filter(|c| c.is_element())
                .map(to_el)
                .collect(),
        }
    }

    /// Parses the document and returns the `<Response>` element's children.
    fn verbs_of(xml: &str) -> Vec<El> {
        assert!(xml.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?><Response>"#));
        let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
        let root = to_el(doc.root_element());
        assert_eq!(root.name, "Response");
        assert!(root.attrs.is_empty());
        assert_eq!(root.text, "");
        root.children
    }

    fn strip_disallowed(s: &str) -> String {
        s.chars().filter(|&c| is_xml_char(c)).collect()
    }

    #[test]
    fn an_empty_response_is_a_bare_response_element() {
        assert_eq!(
            Response::new().into_xml(),
            r#"<?xml version="1.0" encoding="UTF-8"?><Response></Response>"#
        );
    }

    #[test]
    fn say_writes_its_text_voice_and_language() {
        let mut r = Response::new();
        r.say(
            Say::new("Hello there")
                .voice("Polly.Joanna-Neural")
                .language("en-US"),
        );
        r.say(Say::new("Plain"));
        assert_eq!(
            verbs_of(&r.into_xml()),
            vec![
                el(
                    "Say",
                    &[("voice", "Polly.Joanna-Neural"), ("language", "en-US")],
                    "Hello there",
                    vec![]
                ),
                el("Say", &[], "Plain", vec![]),
            ]
        );
    }

    #[test]
    fn a_speech_gather_writes_every_attribute_and_its_nested_prompts() {
        let mut r = Response::new();
        r.gather(
            Gather::speech("/twilio/gather?turn=2")
                .method(Method::Post)
                .language("en-GB")
                .speech_timeout(SpeechTimeout::Auto)
                .speech_model("phone_call")
                .hints(["plumbing", "Smith, Jones & Co"])
                .timeout(6)
                .action_on_empty_result(true)
                .say(Say::new("How can I help?").voice("woman"))
                .pause(1)
                .play("https://example.com/beep.wav"),
        );
        r.redirect("/twilio/gather?silence=1");
        assert_eq!(
            verbs_of(&r.into_xml()),
            vec![
                el(
                    "Gather",
                    &[
                        ("input", "speech"),
                        ("action", "/twilio/gather?turn=2"),
                        ("method", "POST"),
                        ("language", "en-GB"),
                        ("speechTimeout", "auto"),
                        ("speechModel", "phone_call"),
                        ("hints", "plumbing, Smith  Jones & Co"),
                        ("timeout", "6"),
                        ("actionOnEmptyResult", "true"),
                    ],
                    "",
                    vec![
                        el("Say", &[("voice", "woman")], "How can I help?", vec![]),
                        el("Pause", &[("length", "1")], "", vec![]),
                        el("Play", &[], "https://example.com/beep.wav", vec![]),
                    ]
                ),
                el("Redirect", &[], "/twilio/gather?silence=1", vec![]),
            ]
        );
    }

    #[test]
    fn gather_speech_timeout_in_seconds_and_dtmf_inputs_are_written() {
        let mut r = Response::new();
        r.gather(Gather::new(GatherInput::DtmfAndSpeech).speech_timeout(SpeechTimeout::Seconds(3)));
        r.gather(Gather::new(GatherInput::Dtmf));
        assert_eq!(
            verbs_of(&r.into_xml()),
            vec![
                el(
                    "Gather",
                    &[("input", "dtmf speech"), ("speechTimeout", "3")],
                    "",
                    vec![]
                ),
                el("Gather", &[("input", "dtmf")], "", vec![]),
            ]
        );
    }

    #[test]
    fn hints_are_capped_in_length_and_number() {
        let long = "x".repeat(250);
        let many: Vec<String> = (0..600).map(|i| format!("hint{i}")).collect();
        let gather = Gather::speech("/g")
            .hints([long.as_str(), "  ", ""])
            .hints(&many);
        assert_eq!(gather.hints.len(), MAX_HINTS);
        assert_eq!(gather.hints[0].chars().count(), MAX_HINT_CHARS);
        assert_eq!(gather.hints[1], "hint0");
        let mut r = Response::new();
        r.gather(gather);
        let verbs = verbs_of(&r.into_xml());
        let hints = &verbs[0].attrs[2];
        assert_eq!(hints.0, "hints");
        assert_eq!(hints.1.split(", ").count(), MAX_HINTS);
    }

    #[test]
    fn dial_writes_one_number_element_per_number() {
        let mut r = Response::new();
        r.dial(
            Dial::number("+15550001111")
                .add_number("+15550002222")
                .action("/twilio/dial-result")
                .method(Method::Post)
                .timeout(20)
                .caller_id("+15559998888"),
        );
        assert_eq!(
            verbs_of(&r.into_xml()),
            vec![el(
                "Dial",
                &[
                    ("action", "/twilio/dial-result"),
                    ("method", "POST"),
                    ("timeout", "20"),
                    ("callerId", "+15559998888"),
                ],
                "",
                vec![
                    el("Number", &[], "+15550001111", vec![]),
                    el("Number", &[], "+15550002222", vec![]),
                ]
            )]
        );
    }

    #[test]
    fn dial_rings_at_most_ten_numbers() {
        let dial = (0..12).fold(Dial::default(), |d, i| {
            d.add_number(format!("+1555000{i:04}"))
        });
        assert_eq!(dial.numbers.len(), MAX_DIAL_NUMBERS);
    }

    #[test]
    fn redirect_hangup_reject_pause_play_and_record_are_written() {
        let mut r = Response::new();
        r.redirect_with_method("/next?a=1&b=2", Method::Get)
            .pause(2)
            .play("https://example.com/a.wav")
            .record(
                Record::new()
                    .action("/twilio/recorded")
                    .max_length(120)
                    .play_beep(true)
                    .timeout(5)
                    .trim_silence(true),
            )
            .record(Record::new().trim_silence(false))
            .reject(Some(RejectReason::Busy))
            .reject(Some(RejectReason::Rejected))
            .reject(None)
            .hangup();
        assert_eq!(
            verbs_of(&r.into_xml()),
            vec![
                el("Redirect", &[("method", "GET")], "/next?a=1&b=2", vec![]),
                el("Pause", &[("length", "2")], "", vec![]),
                el("Play", &[], "https://example.com/a.wav", vec![]),
                el(
                    "Record",
                    &[
                        ("action", "/twilio/recorded"),
                        ("maxLength", "120"),
                        ("playBeep", "true"),
                        ("timeout", "5"),
                        ("trim", "trim-silence"),
                    ],
                    "",
                    vec![]
                ),
                el("Record", &[("trim", "do-not-trim")], "", vec![]),
                el("Reject", &[("reason", "busy")], "", vec![]),
                el("Reject", &[("reason", "rejected")], "", vec![]),
                el("Reject", &[], "", vec![]),
                el("Hangup", &[], "", vec![]),
            ]
        );
    }

    const HOSTILE: &[&str] = &[
        "</Say><Hangup/>",
        "]]><Hangup/><![CDATA[",
        "&amp; &lt;Hangup/&gt; &#60;",
        r#"" onload="x" a='b'"#,
        "<!-- --><?pi x?><!DOCTYPE x [<!ENTITY e \"boom\">]>&e;",
        "bell\u{7}nul\u{0}esc\u{1b}\u{FFFE}\u{FFFF}end",
        "tab\tnew\nline\r\nret\r",
        "emoji 📞 and ünïcödé",
    ];

    #[test]
    fn hostile_text_cannot_add_elements_and_round_trips() {
        for hostile in HOSTILE {
            let mut r = Response::new();
            r.say(Say::new(*hostile).voice(*hostile).language(*hostile));
            r.gather(
                Gather::speech(*hostile)
                    .language(*hostile)
                    .speech_model(*hostile)
                    .say(Say::new(*hostile)),
            );
            r.redirect(*hostile);
            r.dial(Dial::number(*hostile).caller_id(*hostile).action(*hostile));
            let clean = strip_disallowed(hostile);
            let c = clean.as_str();
            assert_eq!(
                verbs_of(&r.into_xml()),
                vec![
                    el("Say", &[("voice", c), ("language", c)], c, vec![]),
                    el(
                        "Gather",
                        &[
                            ("input", "speech"),
                            ("action", c),
                            ("language", c),
                            ("speechModel", c)
                        ],
                        "",
                        vec![el("Say", &[], c, vec![])]
                    ),
                    el("Redirect", &[], c, vec![]),
                    el(
                        "Dial",
                        &[("action", c), ("callerId", c)],
                        "",
                        vec![el("Number", &[], c, vec![])]
                    ),
                ],
                "input {hostile:?}"
            );
        }
    }

    #[test]
    fn hostile_hints_stay_inside_the_hints_attribute() {
        let mut r = Response::new();
        r.gather(Gather::speech("/g").hints(HOSTILE));
        let verbs = verbs_of(&r.into_xml());
        assert_eq!(verbs.len(), 1);
        assert!(verbs[0].children.is_empty());
        assert_eq!(verbs[0].attrs.len(), 3);
        assert!(verbs[0].attrs[2].1.contains("</Say><Hangup/>"));
    }

    #[test]
    fn say_text_is_cut_at_four_thousand_characters_on_a_char_boundary() {
        let text = "é".repeat(MAX_SAY_CHARS + 10);
        let say = Say::new(text);
        assert_eq!(say.text().chars().count(), MAX_SAY_CHARS);
        let short = Say::new("short");
        assert_eq!(short.text(), "short");
    }

    fn arbitrary_text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[<>&\"'\\]\\[!\\-?/= a-zA-Z\\x00-\\x1f\u{FFFE}\u{FFFF}]{0,40}",
        ]
    }

    proptest! {
        #[test]
        fn any_text_yields_a_parseable_document_with_exactly_the_intended_elements(
            text in arbitrary_text(),
            voice in arbitrary_text(),
            hints in proptest::collection::vec(arbitrary_text(), 0..5),
            url in arbitrary_text(),
        ) {
            let mut r = Response::new();
            r.say(Say::new(text.clone()).voice(voice.clone()));
            r.gather(Gather::speech(url.clone()).hints(&hints).say(Say::new(text.clone())));
            r.redirect(url.clone());
            r.hangup();
            let xml = r.into_xml();
            let doc = roxmltree::Document::parse(&xml);
            prop_assert!(doc.is_ok(), "{:?}", doc.err());
            let verbs = verbs_of(&xml);
            let names: Vec<&str> = verbs.iter().map(|v| v.name.as_str()).collect();
            prop_assert_eq!(names, vec!["Say", "Gather", "Redirect", "Hangup"]);
            let clean_text = strip_disallowed(&text);
            prop_assert_eq!(&verbs[0].text, &clean_text);
            prop_assert_eq!(&verbs[0].attrs, &vec![("voice".to_owned(), strip_disallowed(&voice))]);
            prop_assert_eq!(verbs[1].children.len(), 1);
            prop_assert_eq!(&verbs[1].children[0].name, "Say");
            prop_assert_eq!(&verbs[1].children[0].text, &clean_text);
            prop_assert!(verbs[1].children[0].children.is_empty());
            prop_assert_eq!(&verbs[1].attrs[1], &("action".to_owned(), strip_disallowed(&url)));
            prop_assert_eq!(&verbs[2].text, &strip_disallowed(&url));
            prop_assert!(verbs[0].children.is_empty() && verbs[2].children.is_empty());
        }
    }
}
