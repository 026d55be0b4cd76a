//! How calls are listened to: every question also takes the keypad (0 for
//! a person, a typed callback number), with the tenant's speech model.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::calls::*;
use frontdesk::simulator::{CallEnd, Heard, TranscriptLine};

fn dialled(outcome: &frontdesk::simulator::CallOutcome) -> Vec<String> {
    outcome
        .transcript
        .iter()
        .filter_map(|line| match line {
            TranscriptLine::Receptionist {
                heard: Heard::Dial { number },
                ..
            } => Some(number.clone()),
            _ => None,
        })
        .collect()
}

backend_tests! {
    async fn pressing_zero_puts_the_caller_through_to_a_person(app: TestApp) {
        TenantToml::always_open().import(&app).await;

        let call = place_call(&app, TENANT_NUMBER, CALLER, &["[press 0]"]).await;

        assert_eq!(dialled(&call), [MAIN_LINE], "{}", heard(&call));
        let gather = call.exchanges.iter().find(|e| e.url.contains("/twilio/gather")).unwrap();
        assert_eq!(gather.param("Digits"), Some("0"));
        let row = the_call(&app, &call.call_sid).await;
        assert_eq!(row.outcome.as_deref(), Some("transferred"));
    }

    async fn pressing_zero_when_closed_offers_a_message_instead_of_hanging_up(app: TestApp) {
        TenantToml::always_closed().import(&app).await;

        let call = place_call(&app, TENANT_NUMBER, CALLER, &["[press 0]", "[hangup]"]).await;

        assert!(dialled(&call).is_empty());
        assert_eq!(call.ended, CallEnd::CallerHungUp, "{}", heard(&call));
        assert!(heard(&call).to_lowercase().contains("message"), "{}", heard(&call));
    }

    async fn a_callback_number_typed_on_the_keypad_is_the_number_taken(app: TestApp) {
        TenantToml::always_open().import(&app).await;

        let call = place_call(&app, TENANT_NUMBER, "anonymous", &[
            "I'd like to leave a message",
            "my name is jane doe",
            "[press 503 555 0142#]",
            "yes",
            "no",
            "I need to move my cleaning to next week",
            "yes",
            "no that's all thanks",
        ])
        .await;

        assert!(heard(&call).contains("I have five oh three, five five five, oh one four two. Is that right?"), "{}", heard(&call));
        let row = the_call(&app, &call.call_sid).await;
        let lead = the_lead(&app, row.id).await;
        assert_eq!(lead.phone.as_deref(), Some("+15035550142"));
        assert!(lead.complete);
        let transcript = turns(&app, row.id).await;
        assert!(transcript.iter().any(|t| t.speaker == "caller" && t.text == "(pressed 5035550142)"), "{transcript:?}");
    }

    async fn the_tenants_speech_model_is_what_its_calls_are_heard_with(app: TestApp) {
        TenantToml::always_open().setting(r#"speech_model = "googlev2_telephony""#).import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);

        let (_, greeting) = call.voice().await;

        let document = parse_twiml(&greeting);
        let gather = document.descendants().find(|n| n.has_tag_name("Gather")).unwrap();
        assert_eq!(gather.attribute("speechModel"), Some("googlev2_telephony"));
        assert_eq!(gather.attribute("input"), Some("dtmf speech"));
        assert!(gather.attribute("speechTimeout").unwrap().parse::<u32>().is_ok(), "{greeting}");
        let exported = app
            .with_conn(|conn| frontdesk::tenants::store::export(conn, "sunny-dental").unwrap().unwrap())
            .await;
        assert_eq!(exported.speech_model, "googlev2_telephony");
    }
}
