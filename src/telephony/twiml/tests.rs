use super::escape::is_xml_char;
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
    r.gather(Gather::new(GatherInput::Dtmf).num_digits(1));
    r.gather(Gather::new(GatherInput::Dtmf).finish_on_key("#"));
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
            el(
                "Gather",
                &[("input", "dtmf"), ("numDigits", "1")],
                "",
                vec![]
            ),
            el(
                "Gather",
                &[("input", "dtmf"), ("finishOnKey", "#")],
                "",
                vec![]
            ),
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
