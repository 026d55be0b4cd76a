//! Reading a TwiML response into the steps the simulator plays.

use super::{CallError, Heard};
use crate::telephony::twiml::Method;

/// How a `<Gather>` that listens for keys takes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Keypad {
    /// `numDigits`: keys taken before posting without waiting for more.
    pub num_digits: Option<usize>,
    /// `finishOnKey` (`#` unless set; empty for none): ends the keys and is not posted.
    pub finish_on_key: String,
}

impl Keypad {
    fn of(gather: roxmltree::Node) -> Option<Keypad> {
        // Twilio's default input is dtmf.
        let input = gather.attribute("input").unwrap_or("dtmf");
        if !input.split_whitespace().any(|kind| kind == "dtmf") {
            return None;
        }
        Some(Keypad {
            num_digits: gather
                .attribute("numDigits")
                .and_then(|n| n.trim().parse().ok()),
            finish_on_key: gather.attribute("finishOnKey").unwrap_or("#").to_owned(),
        })
    }

    /// The `Digits` Twilio posts when `pressed` are pressed in turn.
    pub fn digits(&self, pressed: &str) -> String {
        let mut digits = String::new();
        for key in pressed.chars() {
            if self.finish_on_key.contains(key) {
                break;
            }
            digits.push(key);
            if self.num_digits == Some(digits.chars().count()) {
                break;
            }
        }
        digits
    }
}

/// A TwiML verb as the simulator plays it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    Heard(Heard),
    Gather {
        action: Option<String>,
        method: Method,
        action_on_empty_result: bool,
        keypad: Option<Keypad>,
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

pub(super) fn parse_twiml(url: &str, status: u16, body: &str) -> Result<Vec<Step>, CallError> {
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
                keypad: Keypad::of(verb),
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

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
}
