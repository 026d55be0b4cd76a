//! Whole calls against a fake Twilio-facing server that checks signatures as Frontdesk does.

mod fake_twilio;

use super::*;
use fake_twilio::{PUBLIC_URL, config, fake_server, fake_server_with_types, paths, twiml};

#[tokio::test]
async fn a_scripted_call_follows_gather_speech_redirect_dial_and_hangup() {
    let voice = twiml(
        r#"<Gather input="speech" action="/twilio/gather"><Say>Thanks for calling Acme Plumbing. How can I help?</Say></Gather><Redirect>/twilio/voice?silence=1</Redirect>"#,
    );
    let gather = twiml("<Say>Let me get a plumber on the line.</Say><Redirect>transfer</Redirect>");
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
        ScriptedLines::new(["I need someone to fix a leak", "[dial busy]", "[silence]"]).unwrap();

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
    let (server, received) = fake_server(&[("/twilio/voice", &voice), ("/twilio/gather", &gather)]);
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
async fn keys_are_posted_as_digits_the_way_the_gather_takes_them() {
    let voice = twiml(
        r#"<Gather input="dtmf speech" numDigits="1" action="/twilio/gather?turn=1"><Say>How can I help?</Say></Gather><Redirect>/twilio/gather?turn=1</Redirect>"#,
    );
    let first = twiml(
        r##"<Gather input="dtmf speech" finishOnKey="#" action="/twilio/gather?turn=2"><Say>Your number?</Say></Gather><Redirect>/twilio/gather?turn=2</Redirect>"##,
    );
    let second = twiml(
        r#"<Gather input="speech" action="/twilio/gather?turn=3"><Say>Anything else?</Say></Gather><Say>Goodbye.</Say><Hangup/>"#,
    );
    let (server, received) = fake_server(&[
        ("/twilio/voice", &voice),
        ("/twilio/gather?turn=1", &first),
        ("/twilio/gather?turn=2", &second),
    ]);
    let mut script =
        ScriptedLines::new(["[press 05]", "[press 503 555 0142#9]", "[press 1]"]).unwrap();

    let outcome = Call::run(&config(&server), &mut script).await.unwrap();

    assert_eq!(
        paths(&received),
        vec![
            "/twilio/voice",
            "/twilio/gather?turn=1",
            "/twilio/gather?turn=2",
            "/twilio/call-status"
        ]
    );
    // One digit where numDigits is 1; up to the finishing key, which is not sent.
    assert_eq!(outcome.exchanges[1].param("Digits"), Some("0"));
    assert_eq!(outcome.exchanges[1].param("SpeechResult"), None);
    assert_eq!(outcome.exchanges[2].param("Digits"), Some("5035550142"));
    // A speech-only gather ignores keys: no input, the next verb plays.
    assert_eq!(outcome.receptionist_said().last(), Some(&"Goodbye."));
    // The transcript keeps what the caller did.
    assert!(
        outcome
            .transcript
            .contains(&TranscriptLine::Caller(CallerInput::Press("05".into())))
    );
    assert_eq!(
        TranscriptLine::Caller(CallerInput::Press("05".into())).to_string(),
        "caller: [press 05]"
    );
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
