//! The test call page (issue 12): an owner talks to their own receptionist
//! by typing, through the same turn service, state machine and brain as a
//! phone call. Over HTTP, on SQLite and on PostgreSQL: the greeting, a
//! question answered from the knowledge base, a transfer shown and not
//! dialled, a message that becomes a real lead with exactly one lead email
//! through a real SMTP listener, the call marked as a test and left out of
//! the figures, and the forms' token, roles and sessions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[allow(dead_code)]
#[path = "dashboard_pages/support.rs"]
mod support;

use common::TestApp;
use common::calls::{
    BILLING_LINE, CALLER, RawCall, TENANT_NUMBER, TenantToml, WHITENING_ANSWER, call_end_jobs,
    leads_of_call, place_call, the_call, turns,
};
use common::dashboard::{Answer, SignedInClient};
use common::smtp::SmtpServer;
use diesel::prelude::*;
use frontdesk::schema::calls;
use frontdesk::test_call::DEFAULT_CALLER;
use frontdesk::users::Role;
use reqwest::StatusCode;
use support::*;

/// The caller's lines that leave a message with every detail.
const MESSAGE_WITH_EMAIL: &[&str] = &[
    "I'd like to leave a message",
    "Jane Doe",
    "yes",
    "jane at example dot com",
    "a quote for a crown",
    "yes",
    "bye",
];

/// A test call's page, seen by its owner.
struct TestCallPage {
    path: String,
    id: i64,
}

/// Places a test call from `from` and returns its page.
async fn start(owner: &mut SignedInClient, from: &str) -> TestCallPage {
    let started = owner.post_form("/test-call", &[("from", from)]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let path = started.location().unwrap().to_owned();
    let id = path.strip_prefix("/test-call/").unwrap().parse().unwrap();
    TestCallPage { path, id }
}

/// The value of the page's hidden `turn` field.
fn turn_of(body: &str) -> String {
    let at = body
        .find("name=\"turn\" value=\"")
        .unwrap_or_else(|| panic!("no turn field in {body}"));
    let rest = &body[at + "name=\"turn\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

impl TestCallPage {
    async fn show(&self, owner: &mut SignedInClient) -> Answer {
        page(owner, &self.path).await
    }

    /// Types `line` as the caller, as the page's form sends it, and returns
    /// the page it comes back to.
    async fn say(&self, owner: &mut SignedInClient, line: &str) -> Answer {
        let turn = turn_of(&self.show(owner).await.body);
        let sent = owner
            .post_form(
                &format!("{}/say", self.path),
                &[("turn", &turn), ("text", line)],
            )
            .await;
        assert_eq!(
            sent.status,
            StatusCode::SEE_OTHER,
            "saying {line:?}: {}",
            sent.body
        );
        assert_eq!(sent.location(), Some(self.path.as_str()));
        self.show(owner).await
    }

    async fn say_all(&self, owner: &mut SignedInClient, lines: &[&str]) -> Answer {
        let mut last = None;
        for line in lines {
            last = Some(self.say(owner, line).await);
        }
        last.unwrap()
    }

    /// Answers the ringing transfer with `result` (`answered`, `busy`, `no-answer`).
    async fn transfer(&self, owner: &mut SignedInClient, result: &str) -> Answer {
        let turn = turn_of(&self.show(owner).await.body);
        let sent = owner
            .post_form(
                &format!("{}/transfer", self.path),
                &[("turn", &turn), ("result", result)],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        self.show(owner).await
    }

    async fn end(&self, owner: &mut SignedInClient) -> Answer {
        let ended = owner.post_form(&format!("{}/end", self.path), &[]).await;
        assert_eq!(ended.status, StatusCode::SEE_OTHER, "{}", ended.body);
        assert_eq!(ended.location(), Some(self.path.as_str()));
        self.show(owner).await
    }
}

/// The stored call: (call SID, caller, is_test, status, outcome, turn count).
async fn stored(app: &TestApp, id: i64) -> (String, String, bool, String, Option<String>, i32) {
    app.with_conn(move |conn| {
        calls::table
            .find(id)
            .select((
                calls::call_sid,
                calls::from_number,
                calls::is_test,
                calls::status,
                calls::outcome,
                calls::turn_count,
            ))
            .first(conn)
            .unwrap()
    })
    .await
}

backend_tests! {
    async fn a_test_call_is_greeted_and_a_question_is_answered_from_the_knowledge_base(app: TestApp) {
        sunny(&app).await;
        let mut owner = owner(&app).await;
        let form = page(&mut owner, "/test-call").await;
        assert!(form.body.contains("<title>Test call · Sunny Dental · Frontdesk</title>"), "{}", form.body);
        assert!(form.body.contains(&format!("value=\"{DEFAULT_CALLER}\"")) && form.body.contains("aria-current=\"page\">Test call<"));

        let call = start(&mut owner, DEFAULT_CALLER).await;
        let greeted = call.show(&mut owner).await;
        assert!(greeted.body.contains("bubble receptionist") && greeted.body.contains("Sunny Dental"), "{}", greeted.body);
        assert!(!greeted.body.contains("bubble caller"), "the receptionist speaks first");
        assert!(greeted.body.contains("listening for <strong>what the caller needs</strong>"), "{}", greeted.body);

        let answered = call.say(&mut owner, "Do you offer teeth whitening?").await;
        assert!(answered.body.contains("Do you offer teeth whitening?"), "the caller's line");
        assert!(answered.body.contains(WHITENING_ANSWER), "{}", answered.body);
        let (sid, from, is_test, status, _, turns_taken) = stored(&app, call.id).await;
        assert!(sid.starts_with("TEST") && is_test, "{sid}");
        assert_eq!((from.as_str(), status.as_str(), turns_taken), (DEFAULT_CALLER, "in-progress", 1));
        let lines = turns(&app, call.id).await;
        assert_eq!(lines.len(), 3, "greeting, question, answer: {lines:?}");
    }

    async fn a_transfer_shows_whom_it_would_ring_dials_nothing_and_goes_on_as_the_owner_says(app: TestApp) {
        sunny(&app).await;
        let mut owner = owner(&app).await;
        let call = start(&mut owner, DEFAULT_CALLER).await;
        let ringing = call.say(&mut owner, "I have a question about my bill, can I talk to billing").await;
        assert!(ringing.body.contains("would now ring Billing at"), "{}", ringing.body);
        assert!(ringing.body.contains(&format!("id=\"dialled-number\">{BILLING_LINE}<")));
        assert!(ringing.body.contains(&format!("showing the caller's number {DEFAULT_CALLER}")));
        assert!(ringing.body.contains("Nothing is dialled on a test call") && !ringing.body.contains("id=\"say-form\""));
        let not_dialling = owner.post_form(&format!("{}/say", call.path), &[("turn", &turn_of(&ringing.body)), ("text", "hello?")]).await;
        assert_eq!(not_dialling.status, StatusCode::SEE_OTHER, "a line while it rings reaches the turn service as on the phone");

        let no_answer = call.transfer(&mut owner, "no-answer").await;
        assert!(no_answer.body.contains("id=\"say-form\""), "no one answered: the receptionist goes on: {}", no_answer.body);
        assert!(no_answer.body.contains("message"), "{}", no_answer.body);

        let other = start(&mut owner, DEFAULT_CALLER).await;
        other.say(&mut owner, "Can I speak to someone in billing please").await;
        let put_through = other.transfer(&mut owner, "answered").await;
        assert!(put_through.body.contains("The call is over."), "{}", put_through.body);
        let (_, _, _, status, outcome, _) = stored(&app, other.id).await;
        assert_eq!((status.as_str(), outcome.as_deref()), ("completed", Some("transferred")));
        let repeated = owner.post_form(&format!("{}/transfer", other.path), &[("turn", "1"), ("result", "busy")]).await;
        assert_eq!(repeated.status, StatusCode::SEE_OTHER);
        assert!(page(&mut owner, &other.path).await.body.contains("The call is over, so nothing was sent."));
    }

    async fn a_message_left_on_a_test_call_is_a_real_lead_with_exactly_one_lead_email(app: TestApp) {
        sunny(&app).await;
        let smtp = SmtpServer::start().await;
        let mut owner = owner(&app).await;
        let call = start(&mut owner, DEFAULT_CALLER).await;
        let over = call.say_all(&mut owner, MESSAGE_WITH_EMAIL).await;
        assert!(over.body.contains("Your receptionist said goodbye and hung up."), "{}", over.body);
        assert!(over.body.contains("saved as a lead") && over.body.contains("Jane Doe") && over.body.contains("jane@example.com"));
        assert!(!over.body.contains("id=\"end-call\""), "the hang-up ended the call");
        let (_, _, _, status, outcome, _) = stored(&app, call.id).await;
        assert_eq!((status.as_str(), outcome.as_deref()), ("completed", Some("lead_captured")));
        let lead = leads_of_call(&app, call.id).await;
        assert_eq!(lead.len(), 1);
        let lead = &lead[0];
        assert_eq!(
            (lead.name.as_deref(), lead.phone.as_deref(), lead.email.as_deref(), lead.reason.as_deref()),
            (Some("Jane Doe"), Some(DEFAULT_CALLER), Some("jane@example.com"), Some("a quote for a crown"))
        );
        assert!(lead.complete);

        let received = deliver(&app, &smtp, 2).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let lead_emails: Vec<_> = smtp.received().into_iter().filter(|m| m.data.contains("Message-ID: <lead-email.")).collect();
        assert_eq!(lead_emails.len(), 1, "{received:?}");
        let message = mail_parser::MessageParser::default().parse(lead_emails[0].data.as_bytes()).unwrap();
        let text = message.body_text(0).unwrap();
        assert!(text.contains("Jane Doe") && text.contains("jane@example.com"), "{text}");
        assert!(lead_emails[0].recipients.iter().any(|r| r == OWNER), "{:?}", lead_emails[0].recipients);

        let leads = page(&mut owner, "/leads").await;
        assert!(leads.body.contains("Jane Doe") && leads.body.contains("a quote for a crown"), "{}", leads.body);
        let overview = page(&mut owner, "/").await;
        assert!(overview.body.contains("No calls yet"), "a test call is no call of a customer: {}", overview.body);
        assert!(overview.body.contains("id=\"test-calls-left-out\" href=\"/calls?test=only\">1 test call</a> left out"), "{}", overview.body);
    }

    async fn hanging_up_ends_a_test_call_as_twilios_status_callback_ends_a_phone_call(app: TestApp) {
        sunny(&app).await;
        let mut owner = owner(&app).await;
        let call = start(&mut owner, DEFAULT_CALLER).await;
        call.say_all(&mut owner, &["I'd like to leave a message", "Jane Doe"]).await;
        let phone = RawCall::new(&app, TENANT_NUMBER, CALLER);
        phone.voice().await;
        phone.gather(0, Some("I'd like to leave a message")).await;
        phone.gather(1, Some("Jane Doe")).await;

        let ended = call.end(&mut owner).await;
        assert!(ended.body.contains("You hung up.") && ended.body.contains("The call is over."), "{}", ended.body);
        assert!(!ended.body.contains("id=\"end-call\"") && !ended.body.contains("id=\"say-form\""));
        phone.status("completed").await;

        let phone_id = the_call(&app, &phone.sid).await.id;
        let (_, _, _, status, outcome, _) = stored(&app, call.id).await;
        let (_, _, _, phone_status, phone_outcome, _) = stored(&app, phone_id).await;
        assert_eq!((status, outcome), (phone_status, phone_outcome), "the same end as a phone call");
        let test_lead = leads_of_call(&app, call.id).await;
        let phone_lead = leads_of_call(&app, phone_id).await;
        assert_eq!(test_lead.len(), 1);
        assert_eq!((test_lead[0].name.as_deref(), test_lead[0].complete), (phone_lead[0].name.as_deref(), phone_lead[0].complete));
        let jobs: Vec<String> = call_end_jobs(&app).await.into_iter().map(|j| format!("{j:?}")).collect();
        for key in [format!("summarize:{}", call.id), format!("lead-email:{}", test_lead[0].id)] {
            assert!(jobs.iter().any(|j| j.contains(&key)), "{key} in {jobs:?}");
        }
        let again = owner.post_form(&format!("{}/end", call.path), &[]).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        assert!(page(&mut owner, &call.path).await.body.contains("The call had already ended."));
        assert_eq!(call_end_jobs(&app).await.len(), jobs.len(), "ended once");
    }

    async fn test_calls_are_marked_and_left_out_of_the_figures_and_the_call_log_unless_asked(app: TestApp) {
        sunny(&app).await;
        let phone = call(&app, CALLER, WHITENING).await;
        let mut owner = owner(&app).await;
        let test = start(&mut owner, DEFAULT_CALLER).await;
        test.say_all(&mut owner, WHITENING).await;

        let overview = page(&mut owner, "/").await;
        for figure in ["calls-today\">1<", "calls-30-days\">1<", "answered-rate\">100%<"] {
            assert!(overview.body.contains(figure), "{figure} in {}", overview.body);
        }
        assert!(overview.body.contains("1 test call</a> left out"));
        assert!(!overview.body.contains(&format!("href=\"/calls/{}\"", test.id)), "not among the latest calls");

        let log = page(&mut owner, "/calls").await;
        assert_eq!(call_links(&log.body, "calls"), [format!("/calls/{phone}")]);
        let both = page(&mut owner, "/calls?test=include").await;
        assert_eq!(call_links(&both.body, "calls"), [format!("/calls/{}", test.id), format!("/calls/{phone}")]);
        assert_eq!(both.body.matches("<span class=\"badge test\"").count(), 1, "{}", both.body);
        assert!(both.body.contains("<option value=\"include\" selected>"));
        let only = page(&mut owner, "/calls?test=only").await;
        assert_eq!(call_links(&only.body, "calls"), [format!("/calls/{}", test.id)]);
        let nonsense = page(&mut owner, "/calls?test=maybe").await;
        assert!(nonsense.body.contains("is not a choice for test calls"));

        let detail = page(&mut owner, &format!("/calls/{}", test.id)).await;
        assert!(detail.body.contains("id=\"test-call-badge\"") && detail.body.contains("left out of the overview"), "{}", detail.body);
        let phone_detail = page(&mut owner, &format!("/calls/{phone}")).await;
        assert!(!phone_detail.body.contains("test-call-badge"));
        let going = start(&mut owner, DEFAULT_CALLER).await;
        let listed = page(&mut owner, "/test-call").await;
        assert!(listed.body.contains(&format!("href=\"/calls/{}\"", test.id)), "an ended test call opens its call page: {}", listed.body);
        assert!(listed.body.contains(&format!("href=\"/test-call/{}\"", going.id)), "one still going is taken up again: {}", listed.body);
    }

    async fn a_test_call_takes_none_of_the_lines_but_blocked_and_withheld_numbers_are_refused(app: TestApp) {
        let tenant = TenantToml::always_open()
            .limit("max_concurrent_calls = 1")
            .limit("calls_per_hour_per_caller = 1")
            .protection("allow_anonymous = false")
            .protection("blocked_numbers = [\"+15550009999\"]")
            .import(&app)
            .await;
        app.create_user(OWNER, PASSWORD, Role::TenantAdmin, Some(tenant)).await;
        let mut owner = owner(&app).await;
        let first = start(&mut owner, DEFAULT_CALLER).await;
        let second = start(&mut owner, DEFAULT_CALLER).await;
        for call in [&first, &second] {
            let shown = call.show(&mut owner).await;
            assert!(shown.body.contains("id=\"say-form\""), "answered, not busy nor rate limited: {}", shown.body);
        }
        let phone = place_call(&app, TENANT_NUMBER, CALLER, WHITENING).await;
        assert!(phone.receptionist_said().iter().any(|s| s.contains("450 dollars")), "the line is free for a caller: {:?}", phone.receptionist_said());

        for from in ["", "+15550009999"] {
            let refused = start(&mut owner, from).await;
            let shown = refused.show(&mut owner).await;
            assert!(shown.body.contains("refused this call unanswered"), "{from:?}: {}", shown.body);
            let (_, _, _, status, outcome, _) = stored(&app, refused.id).await;
            assert_eq!((status.as_str(), outcome.as_deref()), ("completed", Some("spam_blocked")));
        }
    }

    async fn a_business_starts_only_so_many_test_calls_an_hour(app: TestApp) {
        let tenant = sunny(&app).await;
        app.with_conn(move |conn| {
            let now = frontdesk::clock::now();
            let rows: Vec<_> = (0..frontdesk::test_call::TEST_CALLS_PER_HOUR)
                .map(|i| (
                    calls::tenant_id.eq(tenant),
                    calls::call_sid.eq(format!("TESTEARLIER{i}")),
                    calls::from_number.eq(DEFAULT_CALLER),
                    calls::to_number.eq(TENANT_NUMBER),
                    calls::state.eq("ended"),
                    calls::status.eq("completed"),
                    calls::memory.eq("{}"),
                    calls::turn_count.eq(0),
                    calls::started_at.eq(now - chrono::Duration::minutes(10)),
                    calls::ended_at.eq(Some(now - chrono::Duration::minutes(9))),
                    calls::updated_at.eq(now),
                    calls::is_test.eq(true),
                ))
                .collect();
            frontdesk::on_backend!(conn, |c| diesel::insert_into(calls::table).values(&rows).execute(c)).unwrap();
        })
        .await;
        let mut owner = owner(&app).await;
        let refused = owner.post_form("/test-call", &[("from", DEFAULT_CALLER)]).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
        assert!(refused.body.contains("as many test calls as an hour allows") && refused.body.contains(&format!("value=\"{DEFAULT_CALLER}\"")));
        let count = app.with_conn(|conn| calls::table.count().get_result::<i64>(conn).unwrap()).await;
        assert_eq!(count, frontdesk::test_call::TEST_CALLS_PER_HOUR, "no call placed");
    }

    async fn what_is_typed_wrong_is_shown_next_to_the_field_and_nothing_is_sent(app: TestApp) {
        sunny(&app).await;
        harbor(&app).await;
        let mut owner = owner(&app).await;
        let bad_from = owner.post_form("/test-call", &[("from", "555-0142")]).await;
        assert_eq!(bad_from.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_from.body.contains("id=\"from-error\"") && bad_from.body.contains("international form"), "{}", bad_from.body);
        assert!(bad_from.body.contains("value=\"555-0142\""), "the form keeps what was typed");
        let theirs = owner.post_form("/test-call", &[("from", DEFAULT_CALLER), ("to", OTHER_NUMBER)]).await;
        assert_eq!(theirs.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(theirs.body.contains("Choose one of your business"), "{}", theirs.body);
        assert_eq!(app.with_conn(|conn| calls::table.count().get_result::<i64>(conn).unwrap()).await, 0);

        let call = start(&mut owner, "+1 (503) 555-0142").await;
        assert_eq!(stored(&app, call.id).await.1, "+15035550142");
        let shown = call.show(&mut owner).await;
        let turn = turn_of(&shown.body);
        let path = format!("{}/say", call.path);
        let empty = owner.post_form(&path, &[("turn", &turn), ("text", "   ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("id=\"say-error\"") && empty.body.contains("Type what the caller says"), "{}", empty.body);
        let long = "a".repeat(501);
        let too_long = owner.post_form(&path, &[("turn", &turn), ("text", &long)]).await;
        assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_long.body.contains("under 500 characters") && too_long.body.contains(&long), "the line is shown again");
        let no_turn = owner.post_form(&path, &[("text", "hello")]).await;
        assert_eq!(no_turn.status, StatusCode::BAD_REQUEST);
        assert_eq!(stored(&app, call.id).await.5, 0, "nothing was sent");

        let silent = owner.post_form(&path, &[("turn", &turn), ("silence", "1"), ("text", "")]).await;
        assert_eq!(silent.status, StatusCode::SEE_OTHER, "saying nothing is an answer too");
        assert_eq!(stored(&app, call.id).await.5, 1);
        let resent = owner.post_form(&path, &[("turn", &turn), ("text", "Do you see children?")]).await;
        assert_eq!(resent.status, StatusCode::SEE_OTHER);
        let after = call.show(&mut owner).await;
        assert!(after.body.contains("The call had moved on") && !after.body.contains("Do you see children?"), "{}", after.body);
        assert_eq!(stored(&app, call.id).await.5, 1, "a form from an old page sends nothing");
        let no_transfer = owner.post_form(&format!("{}/transfer", call.path), &[("turn", "1"), ("result", "busy")]).await;
        assert_eq!(no_transfer.status, StatusCode::SEE_OTHER);
        assert!(call.show(&mut owner).await.body.contains("no transfer to answer"));
        let unknown = owner.post_form(&format!("{}/transfer", call.path), &[("turn", "1"), ("result", "maybe")]).await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    }

    async fn what_the_caller_says_is_shown_as_text(app: TestApp) {
        sunny(&app).await;
        let mut owner = owner(&app).await;
        let call = start(&mut owner, DEFAULT_CALLER).await;
        let hostile = "<script>alert(1)</script> \"><img src=x onerror=alert(2)>";
        let shown = call.say(&mut owner, hostile).await;
        for raw in ["<script>alert", "<img src=x", "\"><img"] {
            assert!(!shown.body.contains(raw), "{raw:?} unescaped");
        }
        assert!(unescape(&shown.body).contains(hostile));
    }

    async fn the_forms_need_the_pages_token_and_a_signed_in_admin_of_the_business(app: TestApp) {
        sunny(&app).await;
        let mut owner = owner(&app).await;
        let call = start(&mut owner, DEFAULT_CALLER).await;
        let posts = [
            ("/test-call".to_owned(), vec![("from", DEFAULT_CALLER)]),
            (format!("{}/say", call.path), vec![("turn", "0"), ("text", "hello")]),
            (format!("{}/transfer", call.path), vec![("turn", "0"), ("result", "busy")]),
            (format!("{}/end", call.path), vec![]),
        ];
        for (path, fields) in &posts {
            let forged = owner.browser.post(path, fields).await;
            assert_eq!(forged.status, StatusCode::FORBIDDEN, "POST {path} without the token");
            let mut wrong = vec![("csrf_token", "guess")];
            wrong.extend(fields.iter().copied());
            assert_eq!(owner.browser.post(path, &wrong).await.status, StatusCode::FORBIDDEN, "POST {path} with a wrong token");
            let mut stranger = app.browser();
            let signed_out = stranger.post(path, fields).await;
            assert!(matches!(signed_out.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN), "POST {path} signed out: {}", signed_out.status);
        }
        assert_eq!(stored(&app, call.id).await.3, "in-progress", "nothing changed");
        assert_eq!(app.with_conn(|conn| calls::table.count().get_result::<i64>(conn).unwrap()).await, 1);
        for path in ["/test-call".to_owned(), call.path.clone()] {
            let signed_out = app.browser().get(&path).await;
            assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
            assert!(signed_out.location().unwrap().starts_with("/login"), "GET {path} signed out");
        }
        app.create_user("nobody@sunny.example", PASSWORD, Role::TenantAdmin, None).await;
        let mut nobody = app.sign_in("nobody@sunny.example", PASSWORD).await;
        for path in ["/test-call".to_owned(), call.path.clone()] {
            assert_eq!(nobody.get(&path).await.status, StatusCode::NOT_FOUND, "GET {path} as no business's admin");
        }
        let refused = nobody.post_form("/test-call", &[("from", DEFAULT_CALLER)]).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
    }

    async fn another_businesss_test_call_and_a_phone_call_are_not_found_here(app: TestApp) {
        sunny(&app).await;
        let other = harbor(&app).await;
        let phone = call(&app, CALLER, &["Do you see children?"]).await;
        let mut owner = owner(&app).await;
        let mine = start(&mut owner, DEFAULT_CALLER).await;
        let mut them = app.sign_in(OTHER_OWNER, PASSWORD).await;
        let before = stored(&app, mine.id).await;
        let phone_before = stored(&app, phone).await;
        for id in [mine.id.to_string(), phone.to_string(), "x".to_owned(), "-1".to_owned(), "99999999999999999999".to_owned()] {
            let path = format!("/test-call/{id}");
            assert_eq!(them.get(&path).await.status, StatusCode::NOT_FOUND, "GET {path} as another business");
            for (action, fields) in [("say", vec![("turn", "0"), ("text", "hello")]), ("transfer", vec![("turn", "0"), ("result", "busy")]), ("end", vec![])] {
                let answer = them.post_form(&format!("{path}/{action}"), &fields).await;
                assert_eq!(answer.status, StatusCode::NOT_FOUND, "POST {path}/{action} as another business");
                assert!(answer.body.contains("Page not found"));
            }
        }
        let as_owner = owner.get(&format!("/test-call/{phone}")).await;
        assert_eq!(as_owner.status, StatusCode::NOT_FOUND, "a phone call is never typed into");
        let typed = owner.post_form(&format!("/test-call/{phone}/say"), &[("turn", "1"), ("text", "hello")]).await;
        assert_eq!(typed.status, StatusCode::NOT_FOUND);
        assert_eq!(owner.post_form(&format!("/test-call/{phone}/end"), &[]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(stored(&app, mine.id).await, before);
        assert_eq!(stored(&app, phone).await, phone_before);

        app.create_user("root@example.com", PASSWORD, Role::SuperAdmin, None).await;
        let mut root = app.sign_in("root@example.com", PASSWORD).await;
        root.post_form("/tenant/switch", &[("tenant_id", &other.0.to_string())]).await;
        assert_eq!(root.get(&mine.path).await.status, StatusCode::NOT_FOUND, "a super admin looking at another business");
        let theirs = start(&mut root, DEFAULT_CALLER).await;
        let line = app.with_conn(move |conn| calls::table.find(theirs.id).select(calls::to_number).first::<String>(conn).unwrap()).await;
        assert_eq!(line, OTHER_NUMBER, "a super admin's test call rings the business they look at");
    }

    async fn the_test_call_pages_answer_get_and_head_for_an_admin_and_a_super_admin(app: TestApp) {
        let tenant = sunny(&app).await;
        app.create_user("root@example.com", PASSWORD, Role::SuperAdmin, None).await;
        let mut admin = owner(&app).await;
        let mut root = app.sign_in("root@example.com", PASSWORD).await;
        root.post_form("/tenant/switch", &[("tenant_id", &tenant.0.to_string())]).await;
        let call = start(&mut admin, DEFAULT_CALLER).await;
        for client in [&mut admin, &mut root] {
            for path in ["/test-call".to_owned(), call.path.clone()] {
                let answer = page(client, &path).await;
                let policy = answer.header("content-security-policy").unwrap_or_default();
                assert!(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), "{path}");
                assert!(!answer.body.contains("<script>") && !answer.body.contains(" style="), "no inline script or style on {path}");
                let head = client
                    .browser
                    .http
                    .head(format!("{}{path}", app.address))
                    .header("cookie", format!("{}={}", common::dashboard::COOKIE, client.browser.cookie.clone().unwrap()))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(head.status(), StatusCode::OK, "HEAD {path}");
            }
        }
    }
}
