//! How a call is stored: typed state, status and outcome, the conversation
//! (the state with what it waits for, and the memory) as JSON. A value this
//! version does not know is a read error, never silently something else.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::calls::*;
use diesel::prelude::*;
use frontdesk::calls::columns::Json;
use frontdesk::calls::usage::{self, NewLlmUsage};
use frontdesk::calls::{self, PendingSpeech};
use frontdesk::conversation::state::{Asking, CallState};
use frontdesk::ids::CallId;
use frontdesk::schema::calls as calls_table;

backend_tests! {
    async fn what_a_question_waits_for_is_stored_with_the_call(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;
        call.gather(0, Some("I'd like to leave a message")).await;
        let sid = call.sid.clone();
        let state = app.with_conn(move |conn| {
            let key = stored_call_key(conn, &sid);
            let (row, _) = calls::load_for_turn(conn, &key).unwrap().unwrap();
            row.conversation().0
        }).await;
        assert_eq!(state, CallState::LeadCapture { asking: Asking::Name });

        call.gather(1, Some("Jane Doe")).await;
        let sid = call.sid.clone();
        let state = app.with_conn(move |conn| {
            let key = stored_call_key(conn, &sid);
            calls::load_for_turn(conn, &key).unwrap().unwrap().0.conversation().0
        }).await;
        assert_eq!(state, CallState::LeadCapture { asking: Asking::PhoneConfirmation });
        // And the next "yes" means yes to the number, as the question asked.
        let (_, xml) = call.gather(2, Some("yes")).await;
        assert!(spoken(&xml).contains("email"), "{xml}");
    }

    async fn an_unknown_stored_state_is_a_read_error_not_an_ended_call(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;
        let sid = call.sid.clone();
        let read = app.with_conn(move |conn| {
            diesel::update(calls_table::table.filter(calls_table::call_sid.eq(&sid)))
                .set(calls_table::state.eq("exploded"))
                .execute(conn)
                .unwrap();
            let key = stored_call_key(conn, &sid);
            calls::load_for_turn(conn, &key).map(|found| found.is_some())
        }).await;
        assert!(read.is_err(), "read as {read:?}");

        // An instance without the call in memory must read the row; the
        // caller still gets an answer.
        let other = app.another_instance().await;
        let same_call = RawCall { app: &other, ..RawCall::new(&other, TENANT_NUMBER, CALLER) };
        let same_call = RawCall { sid: call.sid.clone(), ..same_call };
        let (status, xml) = same_call.gather(0, Some("hello")).await;
        assert_eq!(status, 200);
        assert!(spoken(&xml).contains("trouble on my end"), "{xml}");
    }

    async fn a_row_stored_before_states_carried_data_resumes_from_its_state_name(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;
        let sid = call.sid.clone();
        let state = app.with_conn(move |conn| {
            diesel::update(calls_table::table.filter(calls_table::call_sid.eq(&sid)))
                .set((calls_table::state.eq("intent"), calls_table::memory.eq(r#"{"lead":{"name":"Jane Doe"},"pending_offer":"MoreHelp"}"#)))
                .execute(conn)
                .unwrap();
            let key = stored_call_key(conn, &sid);
            let (row, _) = calls::load_for_turn(conn, &key).unwrap().unwrap();
            let (state, memory) = row.conversation();
            (state, memory.lead.name.clone())
        }).await;
        assert_eq!(state, (CallState::Intent { offer: None }, Some("Jane Doe".to_owned())));
    }

    async fn speech_pending_an_answer_is_kept_for_the_current_turn_only_and_the_answering_turn_clears_it(app: TestApp) {
        TenantToml::always_open().import(&app).await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;
        let now = frontdesk::clock::now();
        let pending = PendingSpeech { turn: 0, text: "do you take walk-ins".to_owned(), confidence: Some(0.9), since: now };
        let sid = call.sid.clone();
        let expected = pending.clone();
        let (current, stale, stored) = app.with_conn(move |conn| {
            let key = stored_call_key(conn, &sid);
            let (row, _) = calls::load_for_turn(conn, &key).unwrap().unwrap();
            let current = calls::set_pending(conn, row.id, row.turn_count, &pending, now).unwrap();
            let later = PendingSpeech { text: "hello?".to_owned(), ..pending.clone() };
            let stale = calls::set_pending(conn, row.id, row.turn_count + 1, &later, now).unwrap();
            let stored = calls::load_for_turn(conn, &key).unwrap().unwrap().0.pending;
            (current, stale, stored)
        }).await;
        assert!(current, "the call is at the turn the speech came in");
        assert!(!stale, "a turn the call is not at writes nothing");
        assert_eq!(stored, Some(Json(expected)), "the stale write left the first one");

        let (status, _) = call.gather(0, Some("do you take walk-ins")).await;
        assert_eq!(status, 200);
        let sid = call.sid.clone();
        let (turn_count, pending) = app.with_conn(move |conn| {
            let key = stored_call_key(conn, &sid);
            let (row, _) = calls::load_for_turn(conn, &key).unwrap().unwrap();
            (row.turn_count, row.pending)
        }).await;
        assert_eq!((turn_count, pending), (1, None));
    }

    async fn a_calls_llm_usage_is_listed_in_order_and_summed_for_its_tenant_only(app: TestApp) {
        let tenant = TenantToml::always_open().import(&app).await;
        let other = TenantToml { slug: "other-dental".to_owned(), number: "+15005550008".to_owned(), ..TenantToml::always_open() }
            .import(&app)
            .await;
        let call = RawCall::new(&app, TENANT_NUMBER, CALLER);
        call.voice().await;
        let sid = call.sid.clone();
        let (listed, totals, others_list, others_totals, after_delete) = app.with_conn(move |conn| {
            let call_id: CallId = calls_table::table
                .filter(calls_table::call_sid.eq(&sid))
                .select(calls_table::id)
                .first(conn)
                .unwrap();
            let now = frontdesk::clock::now();
            let turn = NewLlmUsage {
                tenant_id: tenant,
                call_id: Some(call_id),
                turn_seq: Some(1),
                purpose: "turn",
                model: "gpt-4o-mini",
                prompt_tokens: 812,
                completion_tokens: 41,
                latency_ms: 930,
                outcome: "answered",
            };
            let summary = NewLlmUsage { turn_seq: None, purpose: "summary", prompt_tokens: 1_204, completion_tokens: 96, latency_ms: 1_410, ..turn };
            usage::record(conn, &turn, now).unwrap();
            usage::record(conn, &summary, now).unwrap();
            let listed = usage::for_call(conn, tenant, call_id).unwrap();
            let totals = usage::totals_for_call(conn, tenant, call_id).unwrap();
            let others_list = usage::for_call(conn, other, call_id).unwrap();
            let others_totals = usage::totals_for_call(conn, other, call_id).unwrap();
            diesel::delete(calls_table::table.filter(calls_table::id.eq(call_id))).execute(conn).unwrap();
            let after_delete: i64 = frontdesk::schema::llm_usage::table.count().get_result(conn).unwrap();
            (listed, totals, others_list, others_totals, after_delete)
        }).await;
        let seen: Vec<_> = listed.iter().map(|u| (u.purpose.as_str(), u.turn_seq, u.prompt_tokens, u.completion_tokens, u.outcome.as_str())).collect();
        assert_eq!(seen, [("turn", Some(1), 812, 41, "answered"), ("summary", None, 1_204, 96, "answered")]);
        assert!(listed.iter().all(|u| u.model == "gpt-4o-mini" && u.call_id.is_some()));
        assert_eq!(totals, (2_016, 137));
        assert!(others_list.is_empty(), "another tenant sees none of it: {others_list:?}");
        assert_eq!(others_totals, (0, 0));
        assert_eq!(after_delete, 0, "deleting the call deleted its usage");
    }
}
