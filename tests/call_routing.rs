//! Where calls go: a number moved to another business reaches it within
//! seconds on every instance; action URLs work under a public URL with a
//! path prefix; the fallback's transfer reports back, so a caller whose
//! call was put through does not hear "no one could take your call".
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::calls::*;
use common::{PUBLIC_URL, TestApp};
use frontdesk::simulator::CallEnd;

backend_tests! {
    async fn a_number_moved_to_another_business_reaches_it_within_seconds(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let second_instance = app.another_instance().await;
        let greeting = |outcome: &frontdesk::simulator::CallOutcome| heard(outcome);
        assert!(greeting(&place_call(&app, TENANT_NUMBER, CALLER, &["bye"]).await).starts_with("Thanks for calling Sunny Dental."));
        assert!(greeting(&place_call(&second_instance, TENANT_NUMBER, CALLER, &["bye"]).await).starts_with("Thanks for calling Sunny Dental."));

        let mut old_owner = TenantToml::always_open();
        old_owner.number = "+15005550011".into();
        old_owner.import(&app).await;
        let mut new_owner = TenantToml::always_open();
        new_owner.slug = "bright-plumbing".into();
        new_owner.setting(r#"greeting = "Bright Plumbing, how can we help?""#).import(&app).await;

        for instance in [&app, &second_instance] {
            let moved = Instant::now();
            loop {
                let said = greeting(&place_call(instance, TENANT_NUMBER, CALLER, &["bye"]).await);
                if said.starts_with("Bright Plumbing") {
                    break;
                }
                assert!(moved.elapsed() < Duration::from_secs(8), "still reaching the old business: {said}");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }

    async fn a_rotated_twilio_token_stops_working_within_seconds(app: TestApp) {
        let with_token = |token: &str| TenantToml::always_open().setting(&format!(r#"twilio_auth_token = "{token}""#));
        with_token("the-old-token").import(&app).await;
        let voice = |token: &'static str| {
            let fields = owned(&[("CallSid", &frontdesk::simulator::random_call_sid()), ("From", CALLER), ("To", TENANT_NUMBER), ("CallStatus", "ringing")]);
            let signature = frontdesk::telephony::signature::compute_signature(&format!("{PUBLIC_URL}/twilio/voice"), &fields, token.as_bytes());
            let app = &app;
            async move { post_with_signature(app, "/twilio/voice", &fields, Some(&signature)).await.status().as_u16() }
        };
        assert_eq!(voice("the-old-token").await, 200);

        with_token("the-new-token").import(&app).await;

        let rotated = Instant::now();
        while voice("the-new-token").await != 200 {
            assert!(rotated.elapsed() < Duration::from_secs(3), "the new token is refused");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        while voice("the-old-token").await != 403 {
            assert!(rotated.elapsed() < Duration::from_secs(8), "the old token still works");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    async fn calls_work_end_to_end_under_a_public_url_with_a_path_prefix(app: TestApp) {
        let prefixed = format!("{PUBLIC_URL}/frontdesk");
        let app = TestApp::spawn_with(app.backend, &[("FRONTDESK_PUBLIC_URL", &prefixed)]).await;
        TenantToml::always_open().import(&app).await;

        let call = place_call(&app, TENANT_NUMBER, CALLER, &["Do you offer teeth whitening?", "no that's all, bye"]).await;

        assert!(heard(&call).contains(WHITENING_ANSWER), "{}", heard(&call));
        assert_eq!(call.ended, CallEnd::ReceptionistHungUp);
        assert!(call.exchanges.iter().all(|e| e.status == 200 || e.status == 204), "{:?}", call.exchanges.iter().map(|e| (&e.url, e.status)).collect::<Vec<_>>());
        assert!(call.exchanges.iter().skip(1).all(|e| e.url.starts_with(&format!("{prefixed}/twilio/"))));
    }

    async fn the_fallback_transfer_reports_back_and_a_connected_caller_hears_no_apology_afterwards(app: TestApp) {
        let app = TestApp::spawn_with(app.backend, &[("FRONTDESK_DB_TIMEOUT_MS", "200"), ("FRONTDESK_WEBHOOK_BUDGET_MS", "1000")]).await;
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;
        let _stuck = hold_every_call_locked(&app);

        let (status, xml) = call.gather(0, Some("what are your hours")).await;
        assert_eq!(status, 200);
        assert_eq!(verbs(&xml), ["Say", "Dial"], "{xml}");
        let dial = parse_twiml(&xml).descendants().find(|n| n.has_tag_name("Dial")).map(|n| n.attribute("action").map(str::to_owned));
        assert_eq!(dial, Some(Some("fallback-status".to_owned())));

        let (status, xml) = call.post("fallback-status", call.fields("in-progress", &[("DialCallStatus", "completed")])).await;
        assert_eq!(status, 200);
        assert_eq!(verbs(&xml), ["Hangup"], "staff answered: the call simply ends: {xml}");
        let (_, xml) = call.post("fallback-status", call.fields("in-progress", &[("DialCallStatus", "no-answer")])).await;
        assert!(spoken(&xml).contains("no one could take your call"), "{xml}");
    }
}

/// Another client holding the calls locked, so a turn cannot be written and
/// runs out of time (the connection is the guard: dropped, the lock goes).
fn hold_every_call_locked(app: &TestApp) -> frontdesk::db::DbConnection {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use frontdesk::db::{DatabaseUrl, DbConnection};
    match &app.config.database_url {
        DatabaseUrl::Sqlite(path) => {
            let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy()).unwrap();
            conn.batch_execute("BEGIN IMMEDIATE").unwrap();
            DbConnection::Sqlite(conn)
        }
        DatabaseUrl::Postgres(url) => {
            let mut conn = diesel::PgConnection::establish(url).unwrap();
            conn.batch_execute("BEGIN; SELECT id FROM calls FOR UPDATE")
                .unwrap();
            DbConnection::Pg(conn)
        }
    }
}
