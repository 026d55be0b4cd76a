//! Who gets answered: unknown numbers, blocked, rate-limited and withheld
//! callers, the concurrent-call cap; and which webhooks are believed: only
//! those Twilio signed for the public URL, with malformed ones refused with a
//! 4xx, never a 5xx.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::calls::*;
use common::{PUBLIC_URL, TEST_TWILIO_TOKEN};
use frontdesk::simulator::CallEnd;
use frontdesk::telephony::signature::compute_signature;

const BLOCKED: &str = "+15557770199";

/// The fields of a first webhook from `from` to `to`.
fn voice_fields(from: &str, to: &str) -> Vec<(String, String)> {
    owned(&[
        ("CallSid", &frontdesk::simulator::random_call_sid()),
        ("AccountSid", ACCOUNT_SID),
        ("From", from),
        ("To", to),
        ("CallStatus", "ringing"),
        ("Direction", "inbound"),
        ("ApiVersion", "2010-04-01"),
    ])
}

fn sign(url: &str, fields: &[(String, String)], token: &str) -> String {
    compute_signature(url, fields, token.as_bytes())
}

backend_tests! {
    async fn a_call_to_a_number_no_tenant_owns_is_not_in_service_and_stores_nothing(app: TestApp) {
        TenantToml::always_open().import(&app).await;

        let call = place_call(&app, UNKNOWN_NUMBER, CALLER, &["hello?"]).await;

        assert_eq!(
            call.receptionist_said(),
            vec!["Sorry, the number you have called is not in service. Goodbye."]
        );
        assert_eq!(call.ended, CallEnd::ReceptionistHungUp);
        assert!(call.exchanges.iter().all(|e| e.status < 300), "the status callback is accepted too");
        assert_eq!(call_count(&app).await, 0);
        assert!(call_end_jobs(&app).await.is_empty());
    }

    async fn a_blocked_number_is_rejected_before_answering_and_recorded_as_spam(app: TestApp) {
        TenantToml::always_open()
            .protection(&format!(r#"blocked_numbers = ["{BLOCKED}"]"#))
            .import(&app)
            .await;
        let call = RawCall::new(&app, TENANT_NUMBER, BLOCKED);

        let (status, xml) = call.voice().await;

        assert_eq!(status, 200);
        assert_eq!(verbs(&xml), ["Reject"], "Reject must be the first verb so the call is not answered");
        let row = the_call(&app, &call.sid).await;
        assert_eq!(row.state, "ended");
        assert_eq!(row.outcome.as_deref(), Some("spam_blocked"));
        assert!(row.ended_at.is_some());

        let simulated = place_call(&app, TENANT_NUMBER, BLOCKED, &["hello?"]).await;
        assert!(matches!(simulated.ended, CallEnd::Rejected { .. }), "{:?}", simulated.ended);
        assert!(simulated.receptionist_said().is_empty(), "a rejected caller hears nothing");
        let row = the_call(&app, &simulated.call_sid).await;
        assert_eq!(row.outcome.as_deref(), Some("spam_blocked"), "the final callback keeps the outcome");
        assert_eq!(row.state, "ended");
        let other = place_call(&app, TENANT_NUMBER, CALLER, &["bye"]).await;
        assert_eq!(other.ended, CallEnd::ReceptionistHungUp, "other callers are answered");
    }

    async fn a_caller_over_the_hourly_limit_is_rejected(app: TestApp) {
        TenantToml::always_open().limit("calls_per_hour_per_caller = 2").import(&app).await;

        for _ in 0..2 {
            let call = place_call(&app, TENANT_NUMBER, CALLER, &["bye"]).await;
            assert_eq!(call.ended, CallEnd::ReceptionistHungUp);
        }
        let third = RawCall::new(&app, TENANT_NUMBER, CALLER);
        let (_, xml) = third.voice().await;

        assert_eq!(verbs(&xml), ["Reject"]);
        assert_eq!(the_call(&app, &third.sid).await.outcome.as_deref(), Some("spam_blocked"));
        let someone_else = place_call(&app, TENANT_NUMBER, "+15550001111", &["bye"]).await;
        assert_eq!(someone_else.ended, CallEnd::ReceptionistHungUp, "the limit is per caller");
    }

    async fn an_anonymous_caller_is_answered_by_default_and_asked_for_a_number(app: TestApp) {
        TenantToml::always_open().import(&app).await;

        let call = place_call(&app, TENANT_NUMBER, "anonymous", &["I'd like to leave a message", "Jane Doe"]).await;

        let said = call.receptionist_said();
        assert_eq!(said.len(), 3, "{said:?}");
        assert!(said[2].ends_with("What's the best number to reach you?"), "{said:?}");
        let row = the_call(&app, &call.call_sid).await;
        assert_eq!(row.from_number, "anonymous");
        assert_ne!(row.outcome.as_deref(), Some("spam_blocked"));
    }

    async fn an_anonymous_caller_is_rejected_when_the_tenant_refuses_withheld_numbers(app: TestApp) {
        TenantToml::always_open().protection("allow_anonymous = false").import(&app).await;

        for withheld in ["anonymous", "restricted", ""] {
            let call = RawCall::new(&app, TENANT_NUMBER, withheld);
            let (status, xml) = call.voice().await;
            assert_eq!(status, 200);
            assert_eq!(verbs(&xml), ["Reject"], "{withheld:?}");
            assert_eq!(the_call(&app, &call.sid).await.outcome.as_deref(), Some("spam_blocked"));
        }
        let call = place_call(&app, TENANT_NUMBER, CALLER, &["bye"]).await;
        assert_eq!(call.ended, CallEnd::ReceptionistHungUp, "callers who show their number are answered");
    }

    async fn a_caller_beyond_the_concurrent_call_cap_hears_that_the_lines_are_busy(app: TestApp) {
        TenantToml::always_open().limit("max_concurrent_calls = 1").import(&app).await;
        let first = RawCall::new(&app, TENANT_NUMBER, CALLER);
        let (_, xml) = first.voice().await;
        assert_eq!(verbs(&xml), ["Gather", "Redirect"]);

        let second = place_call(&app, TENANT_NUMBER, "+15550001111", &["hello?"]).await;

        let said = heard(&second);
        assert!(said.contains("All of our lines are busy right now."), "{said}");
        assert_eq!(second.ended, CallEnd::ReceptionistHungUp);
        let row = the_call(&app, &second.call_sid).await;
        assert_eq!((row.state.as_str(), row.outcome.as_deref()), ("ended", Some("busy")));

        first.status("completed").await;
        let third = place_call(&app, TENANT_NUMBER, "+15550002222", &["bye"]).await;
        assert!(heard(&third).starts_with("Thanks for calling Sunny Dental."), "a line is free again");
    }

    async fn a_forged_signature_is_refused_with_403_and_nothing_is_stored(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let fields = voice_fields(CALLER, TENANT_NUMBER);
        let url = format!("{PUBLIC_URL}/twilio/voice");

        let wrong_token = sign(&url, &fields, "not-the-token");
        let garbage = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_owned();
        for signature in [wrong_token, garbage, "short".to_owned(), String::new()] {
            let response = post_with_signature(&app, "/twilio/voice", &fields, Some(&signature)).await;
            assert_eq!(response.status(), 403, "{signature:?}");
        }
        let mut tampered = fields.clone();
        let good = sign(&url, &fields, TEST_TWILIO_TOKEN);
        tampered[2].1 = "+15550009999".to_owned();
        let response = post_with_signature(&app, "/twilio/voice", &tampered, Some(&good)).await;
        assert_eq!(response.status(), 403, "a changed field breaks the signature");

        assert_eq!(call_count(&app).await, 0);
    }

    async fn a_webhook_without_a_signature_header_is_refused_with_400(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let fields = voice_fields(CALLER, TENANT_NUMBER);

        for path in ["/twilio/voice", "/twilio/gather?turn=0", "/twilio/transfer-status?turn=1", "/twilio/call-status"] {
            let response = post_with_signature(&app, path, &fields, None).await;
            assert_eq!(response.status(), 400, "{path}");
        }
        assert_eq!(call_count(&app).await, 0);
    }

    async fn a_signature_computed_for_the_bind_address_instead_of_the_public_url_is_refused(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let fields = voice_fields(CALLER, TENANT_NUMBER);
        let signature = sign(&format!("{}/twilio/voice", app.address), &fields, TEST_TWILIO_TOKEN);

        let response = post_with_signature(&app, "/twilio/voice", &fields, Some(&signature)).await;

        assert_eq!(response.status(), 403);
        let wrong_path = sign(&format!("{PUBLIC_URL}/twilio/gather"), &fields, TEST_TWILIO_TOKEN);
        let response = post_with_signature(&app, "/twilio/voice", &fields, Some(&wrong_path)).await;
        assert_eq!(response.status(), 403, "the path is signed too");
        assert_eq!(call_count(&app).await, 0);
    }

    async fn a_signature_on_the_public_url_with_its_default_port_is_accepted(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let fields = voice_fields(CALLER, TENANT_NUMBER);
        let with_port = PUBLIC_URL.replacen(".test", ".test:443", 1);
        let signature = sign(&format!("{with_port}/twilio/voice"), &fields, TEST_TWILIO_TOKEN);

        let response = post_with_signature(&app, "/twilio/voice", &fields, Some(&signature)).await;

        assert_eq!(response.status(), 200);
    }

    async fn a_signed_webhook_with_fields_frontdesk_does_not_know_is_accepted(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let sid = frontdesk::simulator::random_call_sid();
        let fields = [
            ("CallSid", sid.as_str()),
            ("AccountSid", ACCOUNT_SID),
            ("From", CALLER),
            ("To", TENANT_NUMBER),
            ("CallStatus", "ringing"),
            ("FromCity", "SPRINGFIELD"),
            ("CallerName", "JANE DOE"),
            ("StirVerstat", "TN-Validation-Passed-A"),
            ("SomethingTwilioAddsNextYear", "<&\"value\">"),
        ];

        let response = post_signed(&app, "/twilio/voice", &fields).await;

        assert_eq!(response.status(), 200);
        let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(content_type.starts_with("text/xml"), "{content_type}");
        assert_eq!(verbs(&response.text().await.unwrap()), ["Gather", "Redirect"]);
        assert!(call_row(&app, &sid).await.is_some());
    }

    async fn a_tenant_with_its_own_auth_token_only_believes_that_token(app: TestApp) {
        TenantToml::always_open()
            .setting(r#"twilio_auth_token = "the-tenants-own-token""#)
            .import(&app)
            .await;
        let fields = voice_fields(CALLER, TENANT_NUMBER);
        let url = format!("{PUBLIC_URL}/twilio/voice");

        let with_default = sign(&url, &fields, TEST_TWILIO_TOKEN);
        let response = post_with_signature(&app, "/twilio/voice", &fields, Some(&with_default)).await;
        assert_eq!(response.status(), 403);

        let with_own = sign(&url, &fields, "the-tenants-own-token");
        let response = post_with_signature(&app, "/twilio/voice", &fields, Some(&with_own)).await;
        assert_eq!(response.status(), 200);
    }

    async fn malformed_webhooks_with_valid_signatures_get_a_4xx_never_a_5xx(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;
        let sid = call.sid.as_str();
        let no_sid = [("From", CALLER), ("To", TENANT_NUMBER), ("CallStatus", "ringing")];
        for path in ["/twilio/voice", "/twilio/gather?turn=0", "/twilio/transfer-status?turn=0", "/twilio/call-status"] {
            let status = post_signed(&app, path, &no_sid).await.status().as_u16();
            assert!((400..500).contains(&status), "{path} without CallSid answered {status}");
        }
        let status = post_signed(&app, "/twilio/call-status", &[("CallSid", sid), ("CallStatus", "exploded")]).await.status();
        assert_eq!(status, 400, "an unknown CallStatus");
        let status = post_signed(&app, "/twilio/gather?turn=abc", &[("CallSid", sid), ("To", TENANT_NUMBER)]).await.status();
        assert!(status.is_client_error(), "a turn that is not a number answered {status}");

        // A body that is not a form, signed as Twilio would sign its (empty) parameters.
        let signature = sign(&format!("{PUBLIC_URL}/twilio/voice"), &[], TEST_TWILIO_TOKEN);
        for body in ["%ZZ%%=&&=", "CallSid=%FF%FE", "not a form at all"] {
            let response = app
                .http
                .post(format!("{}/twilio/voice", app.address))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", &signature)
                .body(body)
                .send()
                .await
                .unwrap();
            assert!(response.status().is_client_error(), "{body:?} answered {}", response.status());
        }
        let huge = "x".repeat(100_000);
        let status = post_signed(&app, "/twilio/gather?turn=0", &[("CallSid", sid), ("SpeechResult", &huge)]).await.status();
        assert!(status.is_client_error(), "a 100 kB body answered {status}");

        // Odd but well-formed values are a live call: they get TwiML, not an error.
        let (status, xml) = call.post("/twilio/gather?turn=0", call.fields("in-progress", &[("SpeechResult", "hello"), ("Confidence", "very")])).await;
        assert_eq!(status, 200);
        parse_twiml(&xml);
        let status = post_signed(&app, "/twilio/call-status", &[("CallSid", sid), ("CallStatus", "completed")]).await.status();
        assert_eq!(status, 400, "a status callback without To names no call");
        let status = post_signed(&app, "/twilio/call-status", &[("CallSid", sid), ("To", TENANT_NUMBER), ("CallStatus", "completed"), ("CallDuration", "-5")]).await.status();
        assert_eq!(status, 204);
        let row = the_call(&app, sid).await;
        assert!(row.duration_seconds.is_some_and(|d| d >= 0), "{row:?}");
    }

    async fn a_turn_for_a_call_that_was_never_answered_here_gets_safe_twiml(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let stranger = RawCall::new(&app, TENANT_NUMBER, CALLER);

        let (status, xml) = stranger.gather(3, Some("hello")).await;

        assert_eq!(status, 200);
        assert_eq!(verbs(&xml), ["Say", "Hangup"]);
        assert_eq!(stranger.status("completed").await.0, 204);
        assert_eq!(call_count(&app).await, 0);
    }
}

/// The database going away mid-call (PostgreSQL, where it can be dropped
/// under a running app): callers hear an apology, never an HTTP error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set FRONTDESK_TEST_POSTGRES_URL to run on PostgreSQL"
)]
async fn postgres_callers_hear_an_apology_when_the_database_is_gone() {
    let app = common::TestApp::spawn(common::TestBackend::Postgres).await;
    TenantToml::always_open().import(&app).await;
    let ongoing = RawCall::new(&app, TENANT_NUMBER, CALLER);
    assert_eq!(ongoing.voice().await.0, 200);

    app.lose_the_database();

    let (status, xml) = ongoing.gather(0, Some("do you take walk-ins")).await;
    assert_eq!(status, 200, "{xml}");
    assert!(spoken(&xml).contains("I'm sorry"), "{xml}");
    let new_caller = RawCall::new(&app, TENANT_NUMBER, "+15550009999");
    let (status, xml) = new_caller.voice().await;
    assert_eq!(status, 200, "{xml}");
    assert!(spoken(&xml).contains("I'm sorry"), "{xml}");
    assert!(
        verbs(&xml).contains(&"Hangup".to_owned()) || verbs(&xml).contains(&"Dial".to_owned()),
        "{xml}"
    );
    let unknown_number = RawCall::new(&app, UNKNOWN_NUMBER, CALLER);
    let (status, xml) = unknown_number.voice().await;
    assert_eq!(
        status, 200,
        "a number not in the cache cannot be looked up: still TwiML, {xml}"
    );
}
