//! The call flow over HTTP against the real app (issue 3): what a caller hears
//! and what the call leaves in the database, on both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::calls::*;
use frontdesk::calls::{self, status::CallStatus};
use frontdesk::conversation::state::{Asking, CallState, StateName};
use frontdesk::simulator::{CallEnd, Heard, TranscriptLine};

/// (speaker, state) of each stored turn, in order.
fn speakers_and_states(turns: &[TurnRow]) -> Vec<(&str, &str)> {
    turns
        .iter()
        .map(|t| (t.speaker.as_str(), t.state.as_str()))
        .collect()
}

fn dialled(transcript: &[TranscriptLine]) -> Vec<String> {
    transcript
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

/// The `turn=N` of a TwiML action URL.
fn action_turn(url: &str) -> i32 {
    url.rsplit_once("turn=").unwrap().1.parse().unwrap()
}

backend_tests! {
    async fn a_question_is_answered_from_the_knowledge_base_and_the_call_is_finalized(app: TestApp) {
        TenantToml::always_open().import(&app).await;

        let call = place_call(&app, TENANT_NUMBER, CALLER, &["Do you offer teeth whitening?", "no thanks"]).await;

        let said = call.receptionist_said();
        assert!(said[1].starts_with(WHITENING_ANSWER), "{said:?}");
        assert!(said[1].ends_with("Is there anything else I can help with?"), "{said:?}");
        assert_eq!(call.ended, CallEnd::ReceptionistHungUp);
        let row = the_call(&app, &call.call_sid).await;
        assert_eq!(row.state, "ended");
        assert_eq!(row.status, "completed");
        assert_eq!(row.outcome.as_deref(), Some("answered"));
        assert_eq!(row.turn_count, 2);
        assert!(row.ended_at.is_some_and(|ended| ended >= row.started_at));
        let reported: i32 = call.exchanges.last().unwrap().param("CallDuration").unwrap().parse().unwrap();
        assert_eq!(row.duration_seconds, Some(reported));
        let turns = turns(&app, row.id).await;
        assert_eq!(turns.iter().map(|t| t.seq).collect::<Vec<_>>(), vec![0, 1, 2, 3, 4]);
        assert_eq!(
            speakers_and_states(&turns),
            vec![
                ("receptionist", "intent"),
                ("caller", "intent"),
                ("receptionist", "intent"),
                ("caller", "intent"),
                ("receptionist", "ended"),
            ]
        );
        assert_eq!(turns[1].text, "Do you offer teeth whitening?");
        assert!(turns[2].text.contains(WHITENING_ANSWER), "{:?}", turns[2]);
        assert_eq!(turns[3].text, "no thanks");
        assert!(leads_of_call(&app, row.id).await.is_empty());
        assert_eq!(call_end_jobs(&app).await, vec![job("summarize_call", format!("summarize:{}", row.id))]);
    }

    async fn a_caller_asking_for_a_department_during_hours_is_put_through_with_their_own_number(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;

        let (status, xml) = call.gather(0, Some("Can I talk to billing please?")).await;

        assert_eq!(status, 200);
        assert_eq!(verbs(&xml), ["Say", "Dial"]);
        assert!(spoken(&xml).contains("Let me connect you to Billing"), "{xml}");
        let document = parse_twiml(&xml);
        let dial = document.descendants().find(|n| n.has_tag_name("Dial")).unwrap();
        assert_eq!(dial.attribute("action"), Some("transfer-status?turn=1"));
        assert_eq!(dial.attribute("callerId"), Some(CALLER));
        let number = dial.descendants().find(|n| n.has_tag_name("Number")).map_or_else(
            || dial.text().unwrap_or_default().trim().to_owned(),
            |n| n.text().unwrap_or_default().trim().to_owned(),
        );
        assert_eq!(number, BILLING_LINE);
        assert_eq!(the_call(&app, &call.sid).await.state, "transfer_attempt");

        let (status, xml) = call.transfer_status(1, "completed").await;
        assert_eq!(status, 200);
        assert_eq!(verbs(&xml), ["Say", "Hangup"]);
        assert_eq!(call.status("completed").await.0, 204);

        let row = the_call(&app, &call.sid).await;
        assert_eq!((row.state.as_str(), row.outcome.as_deref()), ("ended", Some("transferred")));
        assert_eq!(row.turn_count, 2);
        assert_eq!(row.duration_seconds, Some(42));
        assert!(leads_of_call(&app, row.id).await.is_empty());
    }

    async fn the_simulated_caller_hears_the_transfer_to_the_department_line(app: TestApp) {
        TenantToml::always_open().import(&app).await;

        let call = place_call(&app, TENANT_NUMBER, CALLER, &["I need to talk to appointments"]).await;

        assert_eq!(dialled(&call.transcript), vec![APPOINTMENTS_LINE.to_owned()]);
        let transfer = call.exchanges.iter().find(|e| e.url.contains("/twilio/transfer-status")).unwrap();
        assert_eq!(transfer.url, format!("{}/twilio/transfer-status?turn=1", common::PUBLIC_URL));
        let row = the_call(&app, &call.call_sid).await;
        assert_eq!(row.outcome.as_deref(), Some("transferred"));
        assert_eq!(row.status, "completed");
    }

    async fn after_hours_a_request_for_a_department_takes_a_message_instead(app: TestApp) {
        TenantToml::always_closed().import(&app).await;

        let call = place_call(
            &app,
            TENANT_NUMBER,
            CALLER,
            &["Can I talk to billing please?", "Jane Doe", "yes", "no", "my last bill", "yes", "no"],
        )
        .await;

        assert!(dialled(&call.transcript).is_empty(), "no transfer after hours");
        let said = call.receptionist_said();
        assert!(said[1].starts_with("We're closed right now. But I can take a message for Billing"), "{said:?}");
        let row = the_call(&app, &call.call_sid).await;
        assert_eq!(row.outcome.as_deref(), Some("lead_captured"));
        assert!(!turns(&app, row.id).await.iter().any(|t| t.state == "transfer_attempt"));
        let lead = the_lead(&app, row.id).await;
        assert_eq!(lead.name.as_deref(), Some("Jane Doe"));
        assert_eq!(lead.phone.as_deref(), Some(CALLER));
        assert_eq!(lead.reason.as_deref(), Some("my last bill"));
        assert!(lead.complete);
    }

    async fn a_busy_transfer_apologises_and_takes_a_message_saved_complete_after_confirmation(app: TestApp) {
        TenantToml::always_open().import(&app).await;

        let call = place_call(
            &app,
            TENANT_NUMBER,
            CALLER,
            &["[dial busy]", "I need to talk to appointments", "my name is Jane Doe", "yes", "no", "I want to reschedule my cleaning", "yes", "no"],
        )
        .await;

        assert_eq!(dialled(&call.transcript), vec![APPOINTMENTS_LINE.to_owned()]);
        let said = heard(&call);
        assert!(said.contains("Sorry, no one was able to pick up. But I can take a message for Appointments"), "{said}");
        assert!(said.contains("Is that all correct?"), "{said}");
        assert!(said.contains("I've passed your message on"), "{said}");
        let row = the_call(&app, &call.call_sid).await;
        assert_eq!(row.outcome.as_deref(), Some("lead_captured"));
        let lead = the_lead(&app, row.id).await;
        assert_eq!(lead.name.as_deref(), Some("Jane Doe"));
        assert_eq!(lead.phone.as_deref(), Some(CALLER));
        assert_eq!(lead.email, None);
        assert!(lead.reason.as_deref().is_some_and(|r| r.contains("reschedule my cleaning")), "{lead:?}");
        assert!(lead.complete);
        assert_eq!(
            call_end_jobs(&app).await,
            vec![
                job("summarize_call", format!("summarize:{}", row.id)),
                job("lead_notification", format!("lead-email:{}", lead.id)),
            ]
        );
    }

    async fn a_message_given_in_one_sentence_is_read_back_and_saved(app: TestApp) {
        TenantToml::always_open().import(&app).await;

        let call = place_call(
            &app,
            TENANT_NUMBER,
            CALLER,
            &[
                "Hi this is Jane Doe, my number is 555 123 4567 and my email is jane at example dot com, I'd like to leave a message about a quote for a crown",
                "yes",
                "yes",
                "bye",
            ],
        )
        .await;

        let said = call.receptionist_said();
        assert!(said[1].contains("I have five five five, one two three, four five six seven. Is that right?"), "{said:?}");
        assert!(said[2].contains("your name is Jane Doe"), "{said:?}");
        assert!(said[2].contains("Is that all correct?"), "{said:?}");
        let row = the_call(&app, &call.call_sid).await;
        assert_eq!(row.outcome.as_deref(), Some("lead_captured"));
        let lead = the_lead(&app, row.id).await;
        assert_eq!(lead.name.as_deref(), Some("Jane Doe"));
        assert_eq!(lead.phone.as_deref(), Some("+15551234567"));
        assert_eq!(lead.email.as_deref(), Some("jane@example.com"));
        assert!(lead.reason.as_deref().is_some_and(|r| r.contains("a quote for a crown")), "{lead:?}");
        assert!(lead.complete);
    }

    async fn a_message_given_in_pieces_is_saved_with_every_detail(app: TestApp) {
        TenantToml::always_open().import(&app).await;

        let call = place_call(
            &app,
            TENANT_NUMBER,
            CALLER,
            &["I'd like to leave a message", "Jane Doe", "yes", "jane at example dot com", "a quote for a crown", "yes", "bye"],
        )
        .await;

        let said = call.receptionist_said();
        assert_eq!(said[1], "Sure, I can take a message. May I have your name, please?");
        assert!(said[2].contains("Is five five five, seven six five, four three two one the best number to reach you?"), "{said:?}");
        assert!(said[3].contains("email address"), "{said:?}");
        assert!(said[4].contains("reason for your call"), "{said:?}");
        let row = the_call(&app, &call.call_sid).await;
        let lead = the_lead(&app, row.id).await;
        assert_eq!(
            (lead.name.as_deref(), lead.phone.as_deref(), lead.email.as_deref(), lead.reason.as_deref()),
            (Some("Jane Doe"), Some(CALLER), Some("jane@example.com"), Some("a quote for a crown"))
        );
        assert!(lead.complete);
        let states: Vec<String> = turns(&app, row.id).await.into_iter().map(|t| t.state).collect();
        assert!(states.iter().any(|s| s == "lead_capture") && states.iter().any(|s| s == "confirmation"));
        assert_eq!(
            call_end_jobs(&app).await,
            vec![
                job("summarize_call", format!("summarize:{}", row.id)),
                job("lead_notification", format!("lead-email:{}", lead.id)),
            ]
        );
    }

    async fn a_number_said_after_no_at_confirmation_replaces_the_old_one(app: TestApp) {
        TenantToml::always_open().import(&app).await;

        let call = place_call(
            &app,
            TENANT_NUMBER,
            CALLER,
            &["I'd like to leave a message", "Jane Doe", "yes", "no", "a quote for a crown", "no", "my number is 555 987 6543", "yes", "bye"],
        )
        .await;

        let said = heard(&call);
        assert!(said.contains("What should I change"), "{said}");
        assert!(said.contains("Thanks, I've updated that."), "{said}");
        assert!(said.contains("your number is five five five, nine eight seven, six five four three"), "{said}");
        let lead = the_lead(&app, the_call(&app, &call.call_sid).await.id).await;
        assert_eq!(lead.phone.as_deref(), Some("+15559876543"));
        assert_eq!(lead.name.as_deref(), Some("Jane Doe"));
        assert!(lead.complete);
    }

    async fn a_field_named_at_confirmation_then_its_new_value_replaces_the_old_one(app: TestApp) {
        TenantToml::always_open().import(&app).await;

        let call = place_call(
            &app,
            TENANT_NUMBER,
            CALLER,
            &["I'd like to leave a message", "Jane Doe", "yes", "no", "a quote for a crown", "no", "the name", "Joan Smith", "yes", "bye"],
        )
        .await;

        let said = heard(&call);
        assert!(said.contains("What's the correct name?"), "{said}");
        assert!(said.contains("your name is Joan Smith"), "{said}");
        let row = the_call(&app, &call.call_sid).await;
        let lead = the_lead(&app, row.id).await;
        assert_eq!(lead.name.as_deref(), Some("Joan Smith"));
        assert_eq!(lead.email, None);
        assert!(lead.complete);
        assert_eq!(row.outcome.as_deref(), Some("lead_captured"));
    }

    async fn a_silent_caller_is_prompted_again_twice_then_the_call_is_closed(app: TestApp) {
        TenantToml::always_open().import(&app).await;

        let call = place_call(&app, TENANT_NUMBER, CALLER, &["[silence]", "[silence]", "[silence]", "never said"]).await;

        let said = call.receptionist_said();
        let reprompts = said.iter().filter(|s| s.starts_with("Sorry, I didn't hear anything.")).count();
        assert_eq!(reprompts, 2, "{said:?}");
        assert!(said.last().unwrap().starts_with("I haven't heard anything, so I'll end the call now."), "{said:?}");
        assert_eq!(call.ended, CallEnd::ReceptionistHungUp);
        let row = the_call(&app, &call.call_sid).await;
        assert_eq!((row.state.as_str(), row.outcome.as_deref()), ("ended", Some("abandoned")));
        assert_eq!(row.turn_count, 3);
        let turns = turns(&app, row.id).await;
        assert!(turns.iter().all(|t| t.speaker == "receptionist"), "silence stores no caller line");
        assert_eq!(turns.len(), 4);
    }

    async fn at_the_turn_limit_the_call_ends_politely_and_keeps_the_partial_message(app: TestApp) {
        TenantToml::always_open().limit("max_turns = 3").import(&app).await;

        let call = place_call(
            &app,
            TENANT_NUMBER,
            CALLER,
            &["I'd like to leave a message", "Jane Doe", "yes", "jane at example dot com", "a quote", "yes"],
        )
        .await;

        let caller_turns = call.transcript.iter().filter(|l| matches!(l, TranscriptLine::Caller(_))).count();
        assert_eq!(caller_turns, 3, "{:#?}", call.transcript);
        assert_eq!(call.ended, CallEnd::ReceptionistHungUp);
        let last = call.receptionist_said().last().unwrap().to_string();
        assert!(last.starts_with("I'm sorry, I need to end the call now."), "{last}");
        assert!(last.contains("I'll pass on the details you've given me"), "{last}");
        assert!(last.ends_with("Goodbye."), "{last}");
        let row = the_call(&app, &call.call_sid).await;
        assert_eq!(row.turn_count, 3);
        assert_eq!(row.outcome.as_deref(), Some("abandoned"));
        let lead = the_lead(&app, row.id).await;
        assert_eq!(lead.name.as_deref(), Some("Jane Doe"));
        assert!(!lead.complete);
        let jobs = call_end_jobs(&app).await;
        assert!(jobs.contains(&job("lead_notification", format!("lead-email:{}", lead.id))), "{jobs:?}");
    }

    async fn a_caller_who_hangs_up_mid_message_leaves_an_incomplete_lead_that_is_still_notified(app: TestApp) {
        TenantToml::always_open().import(&app).await;

        let call = place_call(&app, TENANT_NUMBER, CALLER, &["I'd like to leave a message", "my name is Jane Doe", "[hangup]"]).await;

        assert_eq!(call.ended, CallEnd::CallerHungUp);
        let row = the_call(&app, &call.call_sid).await;
        assert_eq!((row.state.as_str(), row.status.as_str()), ("ended", "completed"));
        assert_eq!(row.outcome.as_deref(), Some("hung_up"));
        let lead = the_lead(&app, row.id).await;
        assert_eq!(lead.name.as_deref(), Some("Jane Doe"));
        assert!(!lead.complete);
        assert_eq!(
            call_end_jobs(&app).await,
            vec![
                job("summarize_call", format!("summarize:{}", row.id)),
                job("lead_notification", format!("lead-email:{}", lead.id)),
            ]
        );
    }

    async fn a_retried_gather_webhook_gets_the_same_answer_and_stores_the_turn_once(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        let (_, greeting) = call.voice().await;
        let document = parse_twiml(&greeting);
        let gather = document.descendants().find(|n| n.has_tag_name("Gather")).unwrap();
        let turn = action_turn(gather.attribute("action").unwrap());
        assert_eq!(turn, 0);

        let fields = call.fields("in-progress", &[("SpeechResult", "Do you offer teeth whitening?"), ("Confidence", "0.9")]);
        let path = format!("/twilio/gather?turn={turn}");
        let first = call.post(&path, fields.clone()).await;
        let retry = call.post(&path, fields).await;

        assert_eq!(first.0, 200);
        assert_eq!(retry, first);
        assert!(spoken(&first.1).contains(WHITENING_ANSWER));
        let row = the_call(&app, &call.sid).await;
        assert_eq!(row.turn_count, 1);
        let turns = turns(&app, row.id).await;
        assert_eq!(turns.len(), 3, "{turns:?}");
        assert_eq!(turns.iter().filter(|t| t.speaker == "caller").count(), 1);
        // The next turn's action URLs carry the next turn number.
        let next = parse_twiml(&first.1);
        let gather = next.descendants().find(|n| n.has_tag_name("Gather")).unwrap();
        assert_eq!(gather.attribute("action"), Some("gather?turn=1"));
    }

    async fn a_retried_voice_webhook_answers_again_without_a_second_call(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);

        let first = call.voice().await;
        let retry = call.voice().await;

        assert_eq!(first.0, 200);
        assert_eq!(retry, first);
        assert_eq!(call_count(&app).await, 1);
        let row = the_call(&app, &call.sid).await;
        assert_eq!(turns(&app, row.id).await.len(), 1);
    }

    async fn a_duplicated_completed_callback_ends_the_call_and_enqueues_its_jobs_once(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;
        call.gather(0, Some("I'd like to leave a message")).await;
        call.gather(1, Some("Jane Doe")).await;

        assert_eq!(call.status("completed").await.0, 204);
        let row = the_call(&app, &call.sid).await;
        let ended_at = row.ended_at;
        assert_eq!(call.status("completed").await.0, 204);

        let again = the_call(&app, &call.sid).await;
        assert_eq!(again.ended_at, ended_at, "the second callback changes nothing");
        assert_eq!(again.status, "completed");
        let lead = the_lead(&app, row.id).await;
        assert_eq!(
            call_end_jobs(&app).await,
            vec![
                job("summarize_call", format!("summarize:{}", row.id)),
                job("lead_notification", format!("lead-email:{}", lead.id)),
            ]
        );
    }

    async fn a_late_ringing_callback_does_not_reopen_a_completed_call(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;
        call.status("completed").await;

        assert_eq!(call.status("ringing").await.0, 204);
        assert_eq!(call.status("in-progress").await.0, 204);

        let row = the_call(&app, &call.sid).await;
        assert_eq!((row.status.as_str(), row.state.as_str()), ("completed", "ended"));
        assert_eq!(row.outcome.as_deref(), Some("abandoned"));
        assert_eq!(call_end_jobs(&app).await.len(), 1);
    }

    async fn in_progress_then_completed_moves_the_status_forward_and_ends_the_call(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;

        assert_eq!(call.status("in-progress").await.0, 204);
        let row = the_call(&app, &call.sid).await;
        assert_eq!((row.status.as_str(), row.ended_at), ("in-progress", None));
        assert!(call_end_jobs(&app).await.is_empty());

        call.gather(0, Some("Do you offer teeth whitening?")).await;
        call.gather(1, Some("no thanks")).await;
        assert_eq!(call.status("completed").await.0, 204);
        let row = the_call(&app, &call.sid).await;
        assert_eq!((row.status.as_str(), row.state.as_str()), ("completed", "ended"));
        assert_eq!(row.outcome.as_deref(), Some("answered"));
        assert_eq!(row.duration_seconds, Some(42));
        assert_eq!(call_end_jobs(&app).await, vec![job("summarize_call", format!("summarize:{}", row.id))]);
    }

    async fn a_gather_after_the_call_completed_says_goodbye_and_stores_nothing(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;
        call.status("completed").await;

        let (status, xml) = call.gather(0, Some("hello?")).await;

        assert_eq!(status, 200);
        assert_eq!(verbs(&xml), ["Say", "Hangup"]);
        let row = the_call(&app, &call.sid).await;
        assert_eq!(row.turn_count, 0);
        assert_eq!(turns(&app, row.id).await.len(), 1);
    }

    async fn a_caller_who_hangs_up_after_getting_an_answer_is_recorded_as_answered(app: TestApp) {
        TenantToml::always_open().import(&app).await;

        let call = place_call(&app, TENANT_NUMBER, CALLER, &["Do you offer teeth whitening?", "[hangup]"]).await;

        assert!(heard(&call).contains(WHITENING_ANSWER));
        let row = the_call(&app, &call.call_sid).await;
        assert_eq!(row.outcome.as_deref(), Some("answered"));
    }
    async fn a_caller_who_hangs_up_after_an_unanswerable_question_is_not_recorded_as_answered(app: TestApp) {
        TenantToml::always_open().import(&app).await;

        let call = place_call(&app, TENANT_NUMBER, CALLER, &["Do you sell garden furniture?", "[hangup]"]).await;

        assert!(heard(&call).contains("I'm sorry, I don't have that information."), "{}", heard(&call));
        let row = the_call(&app, &call.call_sid).await;
        assert_ne!(row.outcome.as_deref(), Some("answered"));
    }
    async fn a_turn_that_loses_the_race_with_the_final_status_callback_does_not_reopen_the_call(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;
        call.gather(0, Some("I'd like to leave a message")).await;

        // The interleaving of a slow gather turn (the brain thinking) and the
        // caller hanging up meanwhile, made deterministic: the turn reads the
        // call, the final status callback ends it, then the turn is written.
        let sid = call.sid.clone();
        app.with_conn(move |conn| {
            let key = stored_call_key(conn, &sid);
            let (read, _) = calls::load_for_turn(conn, &key).unwrap().unwrap();
            let now = frontdesk::clock::now();
            calls::apply_status(conn, &key, CallStatus::Completed, Some(30), now).unwrap();
            let answer = frontdesk::receptionist::Answer::hang_up("Goodbye.", 2);
            let update = calls::TurnUpdate {
                call: &read,
                conversation: &calls::Conversation::new(
                    CallState::LeadCapture { asking: Asking::Name },
                    read.conversation().1.clone(),
                ),
                outcome: None,
                answer: &answer,
                turns: vec![calls::NewTurn {
                    seq: 4,
                    speaker: "receptionist",
                    text: "May I have your name, please?".to_owned(),
                    confidence: None,
                    state: StateName::LeadCapture,
                    latency_ms: Some(1),
                }],
                save_lead: false,
                llm_usage: None,
            };
            calls::record_turn(conn, &update, now).unwrap();
        })
        .await;

        let row = the_call(&app, &call.sid).await;
        assert_eq!(row.status, "completed");
        assert_eq!(
            (row.state.as_str(), row.outcome.as_deref()),
            ("ended", Some("hung_up")),
            "an ended call stays ended, with the outcome set at the end"
        );
    }
    async fn a_connected_transfer_reported_after_the_final_status_is_recorded_as_transferred(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;
        let (_, xml) = call.gather(0, Some("Can I talk to billing please?")).await;
        assert_eq!(verbs(&xml), ["Say", "Dial"]);

        // Twilio does not guarantee the order of these two requests.
        assert_eq!(call.status("completed").await.0, 204);
        let (status, _) = call.transfer_status(1, "completed").await;

        assert_eq!(status, 200);
        let row = the_call(&app, &call.sid).await;
        assert_eq!(row.outcome.as_deref(), Some("transferred"));
    }

    async fn a_call_whose_turns_alternate_between_two_instances_stays_consistent(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let other = app.another_instance().await;
        let on_first = RawCall::new(&app, TENANT_NUMBER, CALLER);
        let mut on_second = RawCall::new(&other, TENANT_NUMBER, CALLER);
        on_second.sid = on_first.sid.clone();

        on_first.voice().await;
        // Each instance caches the call after serving it; every turn below
        // finds the other instance's cache one turn behind.
        let (_, asked_name) = on_second.gather(0, Some("I'd like to leave a message")).await;
        assert!(spoken(&asked_name).contains("May I have your name"), "{asked_name}");
        let (_, offered_number) = on_first.gather(1, Some("Jane Doe")).await;
        assert!(spoken(&offered_number).contains("best number"), "{offered_number}");
        let (_, asked_email) = on_second.gather(2, Some("yes")).await;
        assert!(spoken(&asked_email).contains("email"), "{asked_email}");
        // A retry of turn 2 reaching the first instance (whose cache is at
        // turn 2) gets the answer already given, not a second turn.
        let (_, retried) = on_first.gather(2, Some("yes")).await;
        assert_eq!(retried, asked_email);
        let (_, asked_reason) = on_first.gather(3, Some("no")).await;
        assert!(spoken(&asked_reason).contains("reason"), "{asked_reason}");

        let row = the_call(&app, &on_first.sid).await;
        assert_eq!(row.turn_count, 4);
        let stored = turns(&app, row.id).await;
        assert_eq!(stored.iter().filter(|t| t.speaker == "caller").count(), 4, "each turn stored once");
        // The call ends on one instance; a late turn on the other says goodbye.
        on_second.status("completed").await;
        let (_, late) = on_first.gather(4, Some("a quote for a crown")).await;
        assert!(verbs(&late).contains(&"Hangup".to_owned()), "{late}");
        assert_eq!(the_call(&app, &on_first.sid).await.state, "ended");
    }

    async fn a_call_whose_final_status_never_arrives_is_ended_later_and_its_message_kept(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;
        call.gather(0, Some("I'd like to leave a message")).await;
        call.gather(1, Some("Jane Doe")).await;
        let sid = call.sid.clone();
        let (recent, ended) = app
            .with_conn(move |conn| {
                use diesel::prelude::*;
                use frontdesk::schema::calls as c;
                let now = frontdesk::clock::now();
                let recent = calls::finalize_silent_calls(conn, now, 100).unwrap();
                let four_hours_ago = now - chrono::Duration::hours(4);
                diesel::update(c::table.filter(c::call_sid.eq(&sid)))
                    .set((c::started_at.eq(four_hours_ago - chrono::Duration::minutes(2)), c::updated_at.eq(four_hours_ago)))
                    .execute(conn)
                    .unwrap();
                (recent, calls::finalize_silent_calls(conn, now, 100).unwrap())
            })
            .await;
        assert_eq!((recent, ended), (0, 1), "a live call is left alone; a silent one is ended");
        let row = the_call(&app, &call.sid).await;
        assert_eq!((row.status.as_str(), row.state.as_str()), ("completed", "ended"));
        assert_eq!(row.duration_seconds, Some(120), "the duration runs to when Twilio was last heard from");
        let lead = the_lead(&app, row.id).await;
        assert_eq!((lead.name.as_deref(), lead.complete), (Some("Jane Doe"), false));
        let jobs = call_end_jobs(&app).await;
        assert!(jobs.iter().any(|job| job.kind == "lead_notification"), "{jobs:?}");
    }
}
