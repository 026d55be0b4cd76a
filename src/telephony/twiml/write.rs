//! Writing verbs as XML; every text node and attribute value goes through `escape_into`.

use std::fmt::Write as _;

use super::escape::{Context, escape_into};
use super::{
    Dial, Gather, GatherInput, Method, Pause, Play, Prompt, Record, RejectReason, Say,
    SpeechTimeout, Verb,
};

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

pub(super) fn write_verb(out: &mut String, verb: &Verb) {
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
    attr_num(out, "numDigits", gather.num_digits);
    attr(out, "finishOnKey", gather.finish_on_key.as_deref());
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
