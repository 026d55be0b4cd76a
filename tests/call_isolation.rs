//! Calls belong to one tenant and one line: a request signed by another
//! tenant, or naming another number, finds nothing. And the caps hold: a call
//! the receptionist hung up stops counting at once, simultaneous calls cannot
//! all slip under the concurrent-call cap, and refused calls send no email.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::calls::*;
use common::{PUBLIC_URL, TestApp};
use frontdesk::telephony::signature::compute_signature;

const OTHER_NUMBER: &str = "+15005550077";
const OTHER_TOKEN: &str = "the-other-tenants-own-twilio-token";

/// A second business with its own Twilio account (its own token).
async fn other_tenant(app: &TestApp) {
    let mut other = TenantToml::always_open();
    other.slug = "other-business".into();
    other.number = OTHER_NUMBER.into();
    other
        .setting(&format!(r#"twilio_auth_token = "{OTHER_TOKEN}""#))
        .import(app)
        .await;
}

/// Posts `fields` to `path` signed with `token`, as that token's owner would.
async fn post_as(app: &TestApp, token: &str, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let fields = owned(fields);
    let signature = compute_signature(&format!("{PUBLIC_URL}{path}"), &fields, token.as_bytes());
    let response = post_with_signature(app, path, &fields, Some(&signature)).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

backend_tests! {
    async fn another_tenant_cannot_read_change_or_end_a_call_it_does_not_own(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        other_tenant(&app).await;
        let victim = RawCall::new(&app, TENANT_NUMBER, CALLER);
        victim.voice().await;
        victim.gather(0, Some("I'd like to leave a message, my name is Jane Doe")).await;
        let before = the_call(&app, &victim.sid).await;

        // The other tenant signs with its own token and its own number, and
        // names the victim's call SID.
        let sid = victim.sid.as_str();
        for (path, extra) in [
            ("/twilio/voice", ("CallStatus", "ringing")),
            ("/twilio/gather?turn=0", ("SpeechResult", "my number is 555 000 1111")),
            ("/twilio/gather?turn=1", ("SpeechResult", "yes")),
            ("/twilio/transfer-status?turn=1", ("DialCallStatus", "completed")),
        ] {
            let (status, xml) = post_as(&app, OTHER_TOKEN, path, &[("CallSid", sid), ("From", CALLER), ("To", OTHER_NUMBER), extra]).await;
            assert_eq!(status, 200, "{path}");
            assert!(!xml.contains("Jane"), "{path} leaked the other tenant's call: {xml}");
            assert!(!xml.contains(&CALLER[2..]), "{path} leaked the caller's number: {xml}");
        }
        let (status, _) = post_as(&app, OTHER_TOKEN, "/twilio/call-status", &[("CallSid", sid), ("To", OTHER_NUMBER), ("CallStatus", "completed")]).await;
        assert!(status < 300);

        let after = the_call(&app, &victim.sid).await;
        assert_eq!((after.state, after.status, after.turn_count), (before.state, before.status, before.turn_count));
        assert!(call_end_jobs(&app).await.is_empty(), "the victim's call was not ended");
        // The victim's own next turn still works.
        let (_, xml) = victim.gather(1, Some("five five five one two three four five six seven")).await;
        assert!(spoken(&xml).contains("five five five, one two three, four five six seven"), "{xml}");
    }

    async fn a_request_naming_another_line_of_the_same_business_finds_nothing(app: TestApp) {
        let mut two_lines = TenantToml::always_open();
        two_lines.other_numbers.push(OTHER_NUMBER.to_owned());
        two_lines.import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;

        // Correctly signed, the same business, but the call's other line.
        let fields = owned(&[("CallSid", &call.sid), ("From", CALLER), ("To", OTHER_NUMBER), ("SpeechResult", "I'd like to leave a message")]);
        let (status, xml) = call.post("/twilio/gather?turn=0", fields).await;

        assert_eq!(status, 200);
        assert!(spoken(&xml).contains("trouble on my end"), "no such call on that line: {xml}");
        assert_eq!(the_call(&app, &call.sid).await.turn_count, 0, "the call did not move");
    }

    async fn a_call_the_receptionist_hung_up_on_frees_its_line_even_without_a_status_callback(app: TestApp) {
        TenantToml::always_open().limit("max_concurrent_calls = 1").import(&app).await;
        let first = RawCall::new(&app, TENANT_NUMBER, CALLER);
        first.voice().await;
        let (_, xml) = first.gather(0, Some("no that's all thanks bye")).await;
        assert_eq!(verbs(&xml).last().map(String::as_str), Some("Hangup"));
        // Twilio's final status callback for the first call never arrives.

        let second = RawCall::new(&app, TENANT_NUMBER, "+15550001111");
        let (_, xml) = second.voice().await;

        assert_eq!(verbs(&xml), ["Gather", "Redirect"], "answered, not busy: {xml}");
    }

    async fn simultaneous_calls_cannot_all_slip_under_the_concurrent_call_cap(app: TestApp) {
        TenantToml::always_open().limit("max_concurrent_calls = 2").import(&app).await;
        let callers: Vec<String> = (0..12).map(|i| format!("+1555000{i:04}")).collect();
        let calls: Vec<RawCall> = callers.iter().map(|c| RawCall::new(&app, TENANT_NUMBER, c)).collect();

        let answers = futures_util::future::join_all(calls.iter().map(|c| c.voice())).await;

        let answered = answers.iter().filter(|(_, xml)| verbs(xml) == ["Gather", "Redirect"]).count();
        let busy = answers.iter().filter(|(_, xml)| spoken(xml).contains("lines are busy")).count();
        assert_eq!((answered, busy), (2, 10), "{answers:?}");
    }

    async fn a_call_refused_because_the_lines_are_busy_sends_no_email(app: TestApp) {
        TenantToml::always_open().limit("max_concurrent_calls = 1").import(&app).await;
        let first = RawCall::new(&app, TENANT_NUMBER, CALLER);
        first.voice().await;
        let refused = RawCall::new(&app, TENANT_NUMBER, "+15550001111");
        let (_, xml) = refused.voice().await;
        assert!(spoken(&xml).contains("lines are busy"));

        refused.status("completed").await;

        assert!(call_end_jobs(&app).await.is_empty(), "no summary for a refused call");
    }
}
