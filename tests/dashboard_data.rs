//! What the dashboard's pages read (issue 11): the overview's figures, the
//! call log, the call page, the lead list and its CSV, each scoped to one
//! tenant, on both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "dashboard_data/seed.rs"]
mod seed;

use chrono_tz::America::New_York;
use common::calls::{CALLER, TENANT_NUMBER, place_call};
use frontdesk::calls::detail::{CallDetail, Speaker, TransferResult};
use frontdesk::calls::search::{CallFilter, CallQuery, OutcomeFilter, search};
use frontdesk::calls::stats::{Overview, Rate};
use frontdesk::calls::usage::{self, NewLlmUsage};
use frontdesk::conversation::state::{Outcome, StateName};
use frontdesk::db::DbConnection;
use frontdesk::ids::{CallId, LeadId};
use frontdesk::leads::csv::{CHUNK_ROWS, LeadCsv};
use frontdesk::leads::list::{self, LeadFilter, LeadStatus};
use frontdesk::mail::health::{EmailAbout, Trouble};
use seed::*;

const NEIGHBOUR: &str = "+15551112222";

fn words(q: &str) -> CallFilter {
    CallFilter {
        q: Some(q.to_owned()),
        ..CallFilter::default()
    }
}

/// A minimal RFC 4180 reader, to read the export back as a spreadsheet would.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(cell.is_empty() && row.is_empty(), "the file ends with CRLF");
    rows
}

backend_tests! {
    async fn the_call_log_finds_calls_by_the_callers_number_and_by_words_said(app: TestApp) {
        let (tenant, _) = two_tenants(&app).await;
        place_call(&app, TENANT_NUMBER, CALLER, &["Do you offer teeth whitening?", "no thanks"]).await;
        place_call(&app, TENANT_NUMBER, NEIGHBOUR, &["I'd like to leave a message", "Jane Doe", "yes", "no", "a quote for a crown", "yes", "bye"]).await;

        let found = |q: &'static str| {
            app.with_conn(move |conn| {
                let page = search(conn, tenant, New_York, &words(q)).unwrap();
                page.rows.iter().map(|r| r.from_number.clone()).collect::<Vec<_>>()
            })
        };
        assert_eq!(found("765-4321").await, [CALLER]);
        assert_eq!(found("5551112222").await, [NEIGHBOUR]);
        assert_eq!(found("WHITENING").await, [CALLER]);
        // Every word, in any line and any order.
        assert_eq!(found("crown quote").await, [NEIGHBOUR]);
        assert!(found("crown whitening").await.is_empty());
        // `%` and `_` are letters to look for, not wildcards.
        assert!(found("100%").await.is_empty());
        assert!(found("_").await.is_empty());
        let everything = app.with_conn(move |conn| search(conn, tenant, New_York, &CallFilter::default()).unwrap()).await;
        assert_eq!(everything.total, 2);
        assert_eq!(everything.rows[0].from_number, NEIGHBOUR, "newest first");
        assert!(everything.rows[0].has_lead);
        assert!(!everything.rows[1].has_lead);
        assert_eq!(everything.rows[1].outcome, Some(Outcome::Answered));
    }

    async fn the_call_page_tells_the_whole_call(app: TestApp) {
        let (tenant, _) = two_tenants(&app).await;
        let transferred = place_call(&app, TENANT_NUMBER, CALLER, &["I need to talk to appointments"]).await;
        let message = place_call(&app, TENANT_NUMBER, NEIGHBOUR, &["I'd like to leave a message", "Jane Doe", "yes", "no", "a quote for a crown", "yes", "bye"]).await;
        let transferred = CallId(common::calls::the_call(&app, &transferred.call_sid).await.id);
        let message = CallId(common::calls::the_call(&app, &message.call_sid).await.id);
        app.with_conn(move |conn| {
            usage::record(conn, &NewLlmUsage { tenant_id: tenant, call_id: Some(message), turn_seq: Some(1), purpose: "turn", model: "m", prompt_tokens: 100, completion_tokens: 20, latency_ms: 300, outcome: "answered" }, at("2026-03-01 12:00")).unwrap();
            usage::record(conn, &NewLlmUsage { tenant_id: tenant, call_id: Some(message), turn_seq: None, purpose: "summary", model: "m", prompt_tokens: 50, completion_tokens: 30, latency_ms: 200, outcome: "answered" }, at("2026-03-01 12:01")).unwrap();
        }).await;

        let (put_through, left) = app.with_conn(move |conn| {
            (CallDetail::load(conn, tenant, transferred).unwrap().unwrap(), CallDetail::load(conn, tenant, message).unwrap().unwrap())
        }).await;

        assert_eq!(put_through.call.outcome, Some(Outcome::Transferred));
        assert_eq!(put_through.transfers.len(), 1, "{:?}", put_through.transfers);
        assert_eq!(put_through.transfers[0].result, TransferResult::Connected);
        assert!(put_through.transfers[0].said.contains("connect you"), "{:?}", put_through.transfers);
        assert!(put_through.path.contains(&StateName::TransferAttempt), "{:?}", put_through.path);
        assert!(put_through.lead.is_none());

        assert_eq!(left.call.from_number, NEIGHBOUR);
        assert_eq!(left.lead.as_ref().and_then(|l| l.name.as_deref()), Some("Jane Doe"));
        assert!(left.transfers.is_empty());
        assert_eq!(left.path.first(), Some(&StateName::Greeting));
        assert!(left.path.contains(&StateName::LeadCapture) && left.path.contains(&StateName::Confirmation), "{:?}", left.path);
        assert_eq!(left.path.last(), Some(&StateName::Ended));
        assert!(left.path.windows(2).all(|pair| pair[0] != pair[1]), "{:?}", left.path);
        assert_eq!(left.transcript[0].speaker, Speaker::Receptionist);
        assert!(left.transcript.iter().any(|t| t.speaker == Speaker::Caller && t.text.contains("crown")));
        assert!(left.transcript.iter().any(|t| t.speaker == Speaker::Receptionist && t.latency_ms.is_some()), "timings per turn");
        assert!(left.call.duration.is_some());
        assert_eq!((left.usage.rows.len(), left.usage.prompt_tokens, left.usage.completion_tokens), (2, 150, 50));
    }

    async fn another_tenant_sees_none_of_the_calls_leads_or_details_and_cannot_change_a_status(app: TestApp) {
        let (a, b) = two_tenants(&app).await;
        place_call(&app, TENANT_NUMBER, NEIGHBOUR, &["I'd like to leave a message", "Jane Doe", "yes", "no", "a quote for a crown", "yes", "bye"]).await;
        let (call, lead) = app.with_conn(move |conn| {
            let page = list::list(conn, a, &LeadFilter::default()).unwrap();
            (page.rows[0].call_id.unwrap(), page.rows[0].id)
        }).await;

        app.with_conn(move |conn| {
            let now = at("2026-03-10 15:00");
            assert_eq!(search(conn, b, New_York, &CallFilter::default()).unwrap().total, 0);
            assert_eq!(search(conn, b, New_York, &words("crown")).unwrap().total, 0);
            assert!(CallDetail::load(conn, b, call).unwrap().is_none());
            assert_eq!(list::list(conn, b, &LeadFilter::default()).unwrap().total, 0);
            assert!(!list::set_status(conn, b, lead, LeadStatus::Closed, now).unwrap());
            assert_eq!(list::list(conn, a, &LeadFilter::default()).unwrap().rows[0].status, LeadStatus::New);
            let csv = LeadCsv::new(b, New_York, LeadFilter::default()).into_string(conn).unwrap();
            assert_eq!(parse_csv(csv.trim_start_matches('\u{feff}')).len(), 1, "the header only");
            let overview = Overview::load(conn, b, New_York, frontdesk::clock::now()).unwrap();
            assert_eq!((overview.calls_30_days, overview.leads_30_days, overview.leads_new), (0, 0, 0));
            assert!(overview.latest_calls.is_empty() && overview.latest_leads.is_empty());
            assert_eq!(Overview::load(conn, a, New_York, frontdesk::clock::now()).unwrap().latest_calls.len(), 1);
        }).await;
    }

    async fn leads_list_urgent_first_filter_by_status_and_words_and_change_status(app: TestApp) {
        let (a, _) = two_tenants(&app).await;
        let ids = app.with_conn(move |conn| {
            let lead = |name: &str, urgent: bool, day: &str| SeedLead { name: Some(name.to_owned()), reason: Some(format!("{name} needs a filling")), phone: Some("+15550009999".to_owned()), urgent, created_at: Some(at(day)), ..SeedLead::default() };
            [
                insert_lead(conn, a, &lead("Old Urgent", true, "2026-03-01 10:00")),
                insert_lead(conn, a, &lead("Newest", false, "2026-03-05 10:00")),
                insert_lead(conn, a, &lead("Older", false, "2026-03-02 10:00")),
            ]
        }).await;
        app.with_conn(move |conn| {
            let names = |filter: &LeadFilter, conn: &mut DbConnection| list::list(conn, a, filter).unwrap().rows.into_iter().map(|l| l.name.unwrap()).collect::<Vec<_>>();
            assert_eq!(names(&LeadFilter::default(), conn), ["Old Urgent", "Newest", "Older"]);
            let now = at("2026-03-10 15:00");
            assert!(list::set_status(conn, a, ids[1], LeadStatus::Contacted, now).unwrap());
            let contacted = LeadFilter { status: Some(LeadStatus::Contacted), ..LeadFilter::default() };
            let page = list::list(conn, a, &contacted).unwrap();
            assert_eq!(page.rows.len(), 1);
            assert_eq!((page.rows[0].id, page.rows[0].status, page.rows[0].updated_at), (ids[1], LeadStatus::Contacted, now));
            let urgent = LeadFilter { urgent_only: true, ..LeadFilter::default() };
            assert_eq!(names(&urgent, conn), ["Old Urgent"]);
            let search = LeadFilter { q: Some("OLDER filling".to_owned()), ..LeadFilter::default() };
            assert_eq!(names(&search, conn), ["Older"]);
            let by_number = LeadFilter { q: Some("0009999".to_owned()), ..LeadFilter::default() };
            assert_eq!(list::list(conn, a, &by_number).unwrap().total, 3);
            assert!(!list::set_status(conn, a, LeadId(ids[2].0 + 1000), LeadStatus::Closed, now).unwrap());
        }).await;
        let (filter, notes) = LeadFilter::from_query(&list::LeadQuery { status: Some("archived".into()), urgent: Some("on".into()), page: Some("0".into()), q: None });
        assert_eq!((filter.status, filter.urgent_only, filter.page), (None, true, 1));
        assert_eq!(notes.len(), 1, "{notes:?}");
    }

    async fn the_csv_export_quotes_neutralises_formulas_and_reads_back_whole(app: TestApp) {
        let (a, _) = two_tenants(&app).await;
        let tricky = ["=HYPERLINK(\"http://evil\")", "Smith, \"Jo\"", "line one\r\nline two", "+15550001111", "@SUM(A1)", "-2", "Zoë"];
        app.with_conn(move |conn| {
            for i in 0..(CHUNK_ROWS + 20) {
                let name = tricky[usize::try_from(i).unwrap() % tricky.len()].to_owned();
                // Midnight in New York is 05:00 UTC in winter.
                insert_lead(conn, a, &SeedLead { name: Some(name), created_at: Some(at("2026-01-15 04:30")), ..SeedLead::default() });
            }
            let csv = LeadCsv::new(a, New_York, LeadFilter::default()).into_string(conn).unwrap();
            assert!(csv.starts_with('\u{feff}'));
            let rows = parse_csv(&csv['\u{feff}'.len_utf8()..]);
            assert_eq!(rows.len(), 1 + usize::try_from(CHUNK_ROWS).unwrap() + 20);
            assert_eq!(rows[0][0], "Received (America/New_York)");
            assert!(rows.iter().all(|r| r.len() == rows[0].len()));
            let names: Vec<&str> = rows[1..].iter().map(|r| r[4].as_str()).collect();
            for expected in ["'=HYPERLINK(\"http://evil\")", "Smith, \"Jo\"", "line one\r\nline two", "'+15550001111", "'@SUM(A1)", "'-2", "Zoë"] {
                assert!(names.contains(&expected), "{expected} in {names:?}");
            }
            assert_eq!(rows[1][0], "2026-01-14 23:30", "the tenant's time");
        }).await;
    }

    async fn the_call_log_filters_by_the_tenants_days_and_outcome_and_pages(app: TestApp) {
        let (a, b) = two_tenants(&app).await;
        app.with_conn(move |conn| {
            // 23:30 on 9 March and 00:30 on 10 March in New York (EDT, UTC-4).
            insert_call(conn, a, &SeedCall::at("2026-03-10 03:30", Some("answered")));
            insert_call(conn, a, &SeedCall::at("2026-03-10 04:30", Some("lead_captured")));
            insert_call(conn, a, &SeedCall::at("2026-03-10 05:00", None));
            for i in 0..60 {
                insert_call(conn, a, &SeedCall::at(&format!("2026-02-01 {:02}:{:02}", 10 + i / 60, i % 60), Some("hung_up")));
            }
            insert_call(conn, b, &SeedCall::at("2026-03-10 04:30", Some("lead_captured")));
        }).await;
        let query = |q: CallQuery| app.with_conn(move |conn| {
            let (filter, notes) = CallFilter::from_query(&q);
            (search(conn, a, New_York, &filter).unwrap(), notes)
        });
        let day = |d: &str| CallQuery { from: Some(d.into()), to: Some(d.into()), ..CallQuery::default() };
        let (tenth, _) = query(day("2026-03-10")).await;
        assert_eq!(tenth.total, 2);
        let (ninth, _) = query(day("2026-03-09")).await;
        assert_eq!(ninth.rows.iter().map(|r| r.outcome).collect::<Vec<_>>(), [Some(Outcome::Answered)]);
        let (in_progress, _) = query(CallQuery { outcome: Some("in_progress".into()), ..CallQuery::default() }).await;
        assert_eq!((in_progress.total, in_progress.rows[0].duration), (1, None));
        let (messages, _) = query(CallQuery { outcome: Some("lead_captured".into()), ..CallQuery::default() }).await;
        assert_eq!(messages.total, 1, "tenant B's call is not counted");
        let (page3, _) = query(CallQuery { page: Some("3".into()), ..CallQuery::default() }).await;
        assert_eq!((page3.total, page3.pages, page3.page, page3.rows.len()), (63, 3, 3, 13));
        let (clamped, notes) = query(CallQuery { page: Some("99".into()), from: Some("2026-02-30".into()), outcome: Some("nonsense".into()), ..CallQuery::default() }).await;
        assert_eq!((clamped.page, clamped.rows.len(), clamped.total), (3, 13, 63));
        assert_eq!(notes.len(), 2, "{notes:?}");
        let (swapped, notes) = query(CallQuery { from: Some("2026-03-10".into()), to: Some("2026-03-09".into()), ..CallQuery::default() }).await;
        assert_eq!((swapped.total, notes.len()), (3, 1));
        assert_eq!(OutcomeFilter::parse("in progress"), Some(OutcomeFilter::InProgress));
    }

    async fn the_overview_counts_in_the_tenants_days_and_hours_across_midnight(app: TestApp) {
        let (a, b) = two_tenants(&app).await;
        let now = at("2026-03-10 15:00"); // 11:00 on 10 March in New York
        app.with_conn(move |conn| {
            let call = |conn: &mut DbConnection, when: &str, outcome: Option<&'static str>, seconds: Option<i32>| insert_call(conn, a, &SeedCall { duration_seconds: seconds, ..SeedCall::at(when, outcome) });
            call(conn, "2026-03-10 03:30", Some("answered"), Some(30)); // 9 March, 23:xx
            call(conn, "2026-03-10 04:30", Some("transferred"), Some(90)); // 10 March, 00:xx
            call(conn, "2026-03-10 14:10", None, None); // today, in progress
            call(conn, "2026-03-04 12:00", Some("spam_blocked"), None); // 07:00 EST, in the week
            call(conn, "2026-03-03 12:00", Some("lead_captured"), Some(120)); // in the 30 days only
            call(conn, "2026-02-09 05:30", Some("answered"), Some(60)); // the window's first day
            call(conn, "2026-02-09 04:30", Some("answered"), Some(60)); // 8 February: outside
            insert_call(conn, b, &SeedCall::at("2026-03-10 12:00", Some("answered")));
            let lead = insert_lead(conn, a, &SeedLead { name: Some("Jane".into()), created_at: Some(at("2026-03-09 12:00")), ..SeedLead::default() });
            insert_lead(conn, a, &SeedLead { created_at: Some(at("2026-01-01 12:00")), ..SeedLead::default() });
            insert_lead(conn, b, &SeedLead { created_at: Some(at("2026-03-09 12:00")), ..SeedLead::default() });
            let recent = at("2026-03-09 12:00");
            insert_delivery(conn, a, &format!("lead-email:{lead}"), "owner@sunny.example", "pending", Some("mailbox full"), recent);
            insert_delivery(conn, a, &format!("lead-email:{lead}"), "typo@sunny.example", "rejected", Some("550 no such user"), recent);
            insert_delivery(conn, a, &format!("lead-email:{lead}"), "ok@sunny.example", "sent", None, recent);
            insert_delivery(conn, b, "lead-email:999", "b@other.example", "rejected", Some("550"), recent);
            insert_dead_lead_job(conn, a, lead, "connection refused", at("2026-03-09 13:00"));
            insert_dead_lead_job(conn, b, LeadId(999), "connection refused", at("2026-03-09 13:00"));
        }).await;

        let overview = app.with_conn(move |conn| Overview::load(conn, a, New_York, now).unwrap()).await;

        assert_eq!(overview.today.to_string(), "2026-03-10");
        assert_eq!((overview.calls_today, overview.calls_7_days, overview.calls_30_days), (2, 4, 6));
        assert_eq!(overview.calls_per_day.len(), 30);
        assert_eq!(overview.calls_per_day[0], (at("2026-02-09 00:00").date(), 1));
        let on = |d: &str| overview.calls_per_day.iter().find(|(day, _)| day.to_string() == d).unwrap().1;
        assert_eq!((on("2026-03-09"), on("2026-03-10"), on("2026-03-05")), (1, 2, 0));
        assert_eq!((overview.busiest_hours[23], overview.busiest_hours[0], overview.busiest_hours[10], overview.busiest_hours[7]), (1, 2, 1, 2));
        // Conversations: answered ×2, transferred, lead captured (the spam call and the live one are not).
        assert_eq!(overview.transfer_rate, Rate { part: 1, whole: 4 });
        assert_eq!(overview.answered_rate, Rate { part: 2, whole: 4 });
        assert_eq!(overview.answered_rate.percent(), Some(50));
        // 30, 90, 60 (the refused call's end), 120 and 60 seconds.
        assert_eq!(overview.average_duration, Some(72));
        assert!(overview.outcomes.contains(&(Some(Outcome::Answered), 2)) && overview.outcomes.contains(&(None, 1)), "{:?}", overview.outcomes);
        assert_eq!(overview.outcomes.iter().map(|(_, n)| n).sum::<u32>(), 6);
        assert_eq!((overview.leads_30_days, overview.leads_new), (1, 2));
        assert_eq!(overview.latest_calls.len(), 5);
        assert_eq!(overview.latest_leads[0].name.as_deref(), Some("Jane"));
        assert!(!overview.truncated);
        let problems = &overview.email_problems;
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems.iter().all(|p| matches!(p.about, EmailAbout::Lead(_))));
        let trouble_of = |who: &str| problems.iter().find(|p| p.recipient.as_deref() == Some(who)).map(|p| (p.trouble, p.last_error.clone()));
        assert_eq!(trouble_of("owner@sunny.example"), Some((Trouble::Dead, Some("mailbox full".into()))));
        assert_eq!(trouble_of("typo@sunny.example"), Some((Trouble::Rejected, Some("550 no such user".into()))));
    }
}
