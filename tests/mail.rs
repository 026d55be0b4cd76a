//! The mail module against a real SMTP listener on 127.0.0.1 (and the
//! outbox folder when no SMTP server is configured), and the emails a call
//! leaves, delivered by the product's jobs on both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::TestApp;
use common::calls::{CALLER, RawCall, TENANT_NUMBER, TenantToml, place_call, stored_call_key};
use common::smtp::{Misbehave, ReceivedMail, SmtpReplies, SmtpServer, Stage, reserve_port};
use frontdesk::calls::{self, Conversation, NewTurn, TurnUpdate};
use frontdesk::config::WorkerSettings;
use frontdesk::conversation::interpretation::Details;
use frontdesk::conversation::state::{Asking, CallMemory, CallState, Outcome, Reply};
use frontdesk::jobs::handlers::Handlers;
use frontdesk::jobs::worker::Worker;
use frontdesk::mail::{
    CallSummary, Email, LeadNotification, MailError, Mailer, RecipientOutcome, call_summary,
    lead_notification, message_id_for,
};
use frontdesk::receptionist::Answer;

const MAIL_FROM: &str = "Frontdesk <frontdesk@desk.example.com>";
const OWNER: &str = "owner@brightsmile.example";
const FRONT_DESK: &str = "reception@brightsmile.example";

fn mailer_for(smtp_url: &str) -> Mailer {
    let config = common::test_config(
        "sqlite://unused.db",
        &[("SMTP_URL", smtp_url), ("MAIL_FROM", MAIL_FROM)],
    );
    Mailer::from_config(&config).unwrap()
}

fn jane() -> LeadNotification<'static> {
    LeadNotification {
        tenant_name: "Bright Smile Dental",
        country_code: 1,
        caller_name: Some("Jane Doe"),
        callback_number: Some("+15551234567"),
        caller_id: Some("+15551234567"),
        email: Some("jane@example.com"),
        reason: Some("Would like a cleaning next week, mornings if possible."),
        complete: true,
        urgent: false,
        department: None,
        call_url: "https://desk.example.com/calls/42",
        called_at: "Tue 3 June 2025, 14:05",
        they_said: &["hi um i'd like to book a cleaning"],
    }
}

fn lead_email(to: &[&str], lead: &LeadNotification) -> Email {
    lead_notification(
        to.iter().map(|a| a.to_string()).collect(),
        lead,
        message_id_for("lead-email:42", MAIL_FROM),
    )
    .unwrap()
}

fn parse(raw: &str) -> mail_parser::Message<'_> {
    mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .expect("a MIME message")
}

/// `text/plain`, `text/html`, ... for every part that has a content type.
fn content_types(message: &mail_parser::Message) -> Vec<String> {
    use mail_parser::MimeHeaders;
    message
        .parts
        .iter()
        .filter_map(|part| part.content_type())
        .map(|ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")))
        .collect()
}

fn header_lines(raw: &str) -> Vec<&str> {
    raw.split("\r\n")
        .take_while(|line| !line.is_empty())
        .collect()
}

#[tokio::test]
async fn a_lead_notification_reaches_every_owner_separately_with_both_parts_and_its_message_id() {
    let server = SmtpServer::start().await;
    let email = lead_email(&[OWNER, FRONT_DESK], &jane());

    let outcomes = mailer_for(&server.url()).send(&email).await.unwrap();

    assert_eq!(outcomes, [RecipientOutcome::Sent, RecipientOutcome::Sent]);
    let received = server.wait_for(2).await;
    assert_eq!(received.len(), 2, "one transaction per recipient");
    let envelopes: Vec<&[String]> = received.iter().map(|m| &m.recipients[..]).collect();
    assert_eq!(envelopes, [[OWNER], [FRONT_DESK]]);
    assert_eq!(
        received[0].data, received[1].data,
        "every copy is the same message"
    );
    let mail = &received[0];
    assert_eq!(mail.envelope_from, "frontdesk@desk.example.com");

    let message = parse(&mail.data);
    assert_eq!(
        message.subject(),
        Some("[Bright Smile Dental] New message from Jane Doe, (555) 123-4567")
    );
    let to: Vec<&str> = message
        .to()
        .unwrap()
        .iter()
        .filter_map(|a| a.address())
        .collect();
    assert_eq!(to, [OWNER, FRONT_DESK]);
    assert_eq!(message.message_id(), Some("lead-email.42@desk.example.com"));
    assert!(
        header_lines(&mail.data).contains(&"Message-ID: <lead-email.42@desk.example.com>"),
        "{}",
        mail.data
    );
    assert_eq!(
        content_types(&message),
        ["multipart/alternative", "text/plain", "text/html"]
    );
    let text = message.body_text(0).unwrap();
    let html = message.body_html(0).unwrap();
    for part in [&text, &html] {
        assert!(part.contains("Would like a cleaning next week"), "{part}");
        assert!(part.contains("https://desk.example.com/calls/42"), "{part}");
    }
}

#[tokio::test]
async fn a_call_summary_is_delivered_with_its_subject() {
    let server = SmtpServer::start().await;
    let summary = CallSummary {
        tenant_name: "Bright Smile Dental",
        country_code: 1,
        caller_name: Some("Jane Doe"),
        caller_number: "+15551234567",
        called_at: "Tue 3 June 2025, 14:05",
        duration: "2 min 10 s",
        outcome: "message taken",
        urgent: false,
        department: None,
        summary: "Jane wants a cleaning next week.",
        call_url: "https://desk.example.com/calls/42",
    };
    let email = call_summary(
        vec![OWNER.to_owned()],
        &summary,
        message_id_for("summary-email:42", MAIL_FROM),
    )
    .unwrap();

    mailer_for(&server.url()).send(&email).await.unwrap();

    let received = server.wait_for(1).await;
    let message = parse(&received[0].data);
    assert_eq!(
        message.subject(),
        Some("[Bright Smile Dental] Call summary: Jane Doe, (555) 123-4567 - message taken")
    );
    assert_eq!(
        message.message_id(),
        Some("summary-email.42@desk.example.com")
    );
    assert!(
        message
            .body_text(0)
            .unwrap()
            .contains("Jane wants a cleaning")
    );
}

#[tokio::test]
async fn a_callers_markup_is_escaped_in_the_html_part() {
    let server = SmtpServer::start().await;
    let name = r#"<script>alert(1)</script> & "x""#;
    let lead = LeadNotification {
        caller_name: Some(name),
        reason: Some("<img src=x onerror=alert(2)>"),
        they_said: &["<b>bold</b> claims"],
        ..jane()
    };

    mailer_for(&server.url())
        .send(&lead_email(&[OWNER], &lead))
        .await
        .unwrap();

    let received = server.wait_for(1).await;
    let message = parse(&received[0].data);
    let html = message.body_html(0).unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<b>bold"), "{html}");
    assert!(!html.contains(r#""x""#), "{html}");
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;x&#34;"),
        "{html}"
    );
    let text = message.body_text(0).unwrap();
    assert!(text.contains(name), "the text part shows the name as said");
}

#[tokio::test]
async fn line_breaks_in_a_subject_cannot_add_headers_or_recipients() {
    let server = SmtpServer::start().await;
    let mailer = mailer_for(&server.url());
    let forged = Email {
        subject: "Hello\r\nBcc: intruder@example.com\r\nX-Injected: yes".to_owned(),
        ..lead_email(&[OWNER], &jane())
    };
    let caller = LeadNotification {
        caller_name: Some("Jane\r\nBcc: intruder@example.com"),
        ..jane()
    };

    mailer.send(&forged).await.unwrap();
    mailer.send(&lead_email(&[OWNER], &caller)).await.unwrap();

    let received = server.wait_for(2).await;
    for mail in &received {
        assert_eq!(mail.recipients, [OWNER]);
        for line in header_lines(&mail.data) {
            assert!(
                !line.starts_with("Bcc:") && !line.starts_with("X-Injected:"),
                "{}",
                mail.data
            );
        }
    }
    assert_eq!(
        parse(&received[0].data).subject(),
        Some("Hello Bcc: intruder@example.com X-Injected: yes")
    );
    assert_eq!(
        parse(&received[1].data).subject(),
        Some(
            "[Bright Smile Dental] New message from Jane Bcc: intruder@example.com, (555) 123-4567"
        )
    );
}

#[tokio::test]
async fn a_recipient_the_server_rejects_is_refused_for_good_and_the_others_still_get_it() {
    let server =
        SmtpServer::start_with(SmtpReplies::default().reject_permanently("gone@example.com")).await;

    let outcomes = mailer_for(&server.url())
        .send(&lead_email(&["gone@example.com", OWNER], &jane()))
        .await
        .unwrap();

    let RecipientOutcome::Rejected(reply) = &outcomes[0] else {
        panic!("{outcomes:?}");
    };
    assert!(
        reply.starts_with("RCPT TO: permanent error (550)"),
        "{reply}"
    );
    assert!(!reply.contains("gone@"), "addresses are masked: {reply}");
    assert_eq!(outcomes[1], RecipientOutcome::Sent);
    assert_eq!(server.received().len(), 1);
    assert_eq!(server.received()[0].recipients, [OWNER]);
}

#[tokio::test]
async fn a_temporary_refusal_leaves_the_recipient_pending() {
    let server = SmtpServer::start_with(SmtpReplies::default().reject_transiently(OWNER)).await;

    let outcomes = mailer_for(&server.url())
        .send(&lead_email(&[OWNER], &jane()))
        .await
        .unwrap();

    assert!(
        matches!(&outcomes[..], [RecipientOutcome::Pending(reply)] if reply.contains("451")),
        "{outcomes:?}"
    );
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn an_invalid_address_fails_permanently_without_contacting_the_server() {
    let server = SmtpServer::start().await;

    let err = mailer_for(&server.url())
        .send(&lead_email(&["not an address"], &jane()))
        .await
        .unwrap_err();

    assert!(err.is_permanent(), "{err:?}");
    assert!(server.received().is_empty());
    assert_eq!(server.sessions(), 0);
}

#[tokio::test]
async fn a_refused_connection_is_a_transient_failure() {
    let port = reserve_port();

    let err = mailer_for(&format!("smtp://127.0.0.1:{port}?tls=none"))
        .send(&lead_email(&[OWNER], &jane()))
        .await
        .unwrap_err();

    assert!(matches!(err, MailError::Transient(_)), "{err:?}");
}

#[tokio::test]
async fn a_server_that_never_greets_is_given_up_within_the_timeout() {
    let server = SmtpServer::start_with(SmtpReplies::default().at_first(
        1,
        Stage::Greeting,
        Misbehave::Hang,
    ))
    .await;
    let config = common::test_config(
        "sqlite://unused.db",
        &[("SMTP_URL", &server.url()), ("SMTP_TIMEOUT_SECONDS", "1")],
    );
    let mailer = Mailer::from_config(&config).unwrap();
    let started = std::time::Instant::now();

    let err = mailer
        .send(&lead_email(&[OWNER], &jane()))
        .await
        .unwrap_err();

    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(&err, MailError::Transient(reason) if reason.contains("within 1 s while connecting")),
        "{err:?}"
    );
    assert_eq!(
        mailer.send(&lead_email(&[OWNER], &jane())).await.unwrap(),
        [RecipientOutcome::Sent],
        "the next session is greeted"
    );
}

#[tokio::test]
async fn emails_sent_at_once_never_open_more_connections_than_allowed() {
    let server = SmtpServer::start().await;
    let config = common::test_config(
        "sqlite://unused.db",
        &[
            ("SMTP_URL", &server.url()),
            ("MAIL_FROM", MAIL_FROM),
            ("SMTP_MAX_CONNECTIONS", "2"),
        ],
    );
    let mailer = Mailer::from_config(&config).unwrap();
    let email = lead_email(&[OWNER], &jane());

    let sends = (0..12).map(|_| mailer.send(&email));
    let sent = futures_util::future::join_all(sends).await;

    assert!(
        sent.iter()
            .all(|s| s.as_ref().is_ok_and(|o| o == &[RecipientOutcome::Sent])),
        "{sent:?}"
    );
    assert_eq!(server.wait_for(12).await.len(), 12);
    assert!(
        server.sessions() <= 2,
        "12 emails at once took {} connections",
        server.sessions()
    );
}

#[tokio::test]
async fn emails_sent_one_after_another_share_one_connection() {
    let server = SmtpServer::start().await;
    let mailer = mailer_for(&server.url());

    for _ in 0..3 {
        let sent = mailer.send(&lead_email(&[OWNER], &jane())).await.unwrap();
        assert_eq!(sent, [RecipientOutcome::Sent]);
    }

    assert_eq!(server.wait_for(3).await.len(), 3);
    assert_eq!(
        server.sessions(),
        1,
        "one connection, kept open between emails"
    );
}

#[tokio::test]
async fn a_kept_connection_the_server_closed_is_replaced_without_failing_the_email() {
    let server = SmtpServer::start().await;
    let mailer = mailer_for(&server.url());
    let email = lead_email(&[OWNER], &jane());
    assert_eq!(mailer.send(&email).await.unwrap(), [RecipientOutcome::Sent]);

    server.hang_up_on_everyone();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;

    assert_eq!(mailer.send(&email).await.unwrap(), [RecipientOutcome::Sent]);
    assert_eq!(server.wait_for(2).await.len(), 2);
    assert_eq!(
        server.sessions(),
        2,
        "a new connection after the old one died"
    );
}

#[tokio::test]
async fn mail_goes_out_once_the_smtp_server_is_back() {
    let port = reserve_port();
    let mailer = mailer_for(&format!("smtp://127.0.0.1:{port}?tls=none"));
    let email = lead_email(&[OWNER], &jane());

    let first = mailer.send(&email).await;
    assert!(matches!(first, Err(MailError::Transient(_))), "{first:?}");

    let server = SmtpServer::start_on(port, SmtpReplies::default()).await;
    assert_eq!(mailer.send(&email).await.unwrap(), [RecipientOutcome::Sent]);

    let received = server.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(server.received().len(), 1);
    assert_eq!(
        parse(&received[0].data).message_id(),
        Some("lead-email.42@desk.example.com")
    );
}

#[tokio::test]
async fn without_smtp_the_email_is_written_to_the_outbox_folder() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox");
    let config = common::test_config(
        "sqlite://unused.db",
        &[
            ("FRONTDESK_OUTBOX_DIR", outbox.to_str().unwrap()),
            ("MAIL_FROM", MAIL_FROM),
        ],
    );
    let mailer = Mailer::from_config(&config).unwrap();

    let outcomes = mailer
        .send(&lead_email(&[OWNER, FRONT_DESK], &jane()))
        .await
        .unwrap();

    assert_eq!(outcomes, [RecipientOutcome::Sent, RecipientOutcome::Sent]);
    let files: Vec<_> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "one file for all recipients: {files:?}");
    let name = files[0].file_name().unwrap().to_str().unwrap();
    assert!(
        name.ends_with("-lead-email.42@desk.example.com.eml"),
        "{name}"
    );
    let raw = std::fs::read_to_string(&files[0]).unwrap();
    let message = parse(&raw);
    assert_eq!(
        message.subject(),
        Some("[Bright Smile Dental] New message from Jane Doe, (555) 123-4567")
    );
    assert_eq!(message.message_id(), Some("lead-email.42@desk.example.com"));
    assert_eq!(
        content_types(&message),
        ["multipart/alternative", "text/plain", "text/html"]
    );
}

/// Runs the product's job handlers against `smtp` until `count` emails
/// have arrived, and returns them.
async fn deliver(app: &TestApp, smtp: &SmtpServer, count: usize) -> Vec<ReceivedMail> {
    let config = common::test_config(
        &app.config.database_url.redacted(),
        &[("SMTP_URL", &smtp.url()), ("MAIL_FROM", MAIL_FROM)],
    );
    let handlers = Handlers::new(
        app.pool.clone(),
        Mailer::from_config(&config).unwrap(),
        app.config.clone(),
        Arc::new(frontdesk::ai::RulesBrain),
    );
    let settings = WorkerSettings {
        concurrency: 2,
        poll_interval: Duration::from_millis(20),
        lease: Duration::from_secs(60),
        retry_base: Duration::from_millis(50),
        in_process: true,
    };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = Worker::new(app.pool.clone(), handlers, settings);
    let worker = tokio::spawn(worker.run(stopped, Duration::from_secs(2)));
    let received = smtp.wait_for(count).await;
    stop.send(true).unwrap();
    worker.await.unwrap();
    received
}

/// The email whose Message-ID starts with `kind` (`lead-email`, `summary-email`).
fn the_email<'a>(received: &'a [ReceivedMail], kind: &str) -> mail_parser::Message<'a> {
    let mail = received
        .iter()
        .find(|m| m.data.contains(&format!("Message-ID: <{kind}.")))
        .unwrap_or_else(|| panic!("no {kind} among {received:?}"));
    parse(&mail.data)
}

/// One turn as the turn service writes it: what the caller said, what the
/// receptionist answered and where that left the conversation.
struct Step {
    caller: &'static str,
    receptionist: &'static str,
    state: CallState,
    memory: CallMemory,
    outcome: Option<Outcome>,
    save_lead: bool,
}

/// How far an urgent caller gets before the call ends.
#[derive(Clone, Copy, PartialEq)]
enum Until {
    /// They describe the problem, then hang up.
    Described,
    /// They give their name, then hang up.
    Named,
    /// They confirm the message read back to them.
    Confirmed,
}

/// A call to the dental line's emergency department as the conversation
/// takes it once it judges the caller's problem urgent: the call arrives on
/// the real webhook, its turns are written as the turn service writes them
/// (so the test does not depend on how the rules read each line) until
/// `until`; then Twilio's final status ends the call.
async fn an_urgent_call(app: &TestApp, until: Until) -> String {
    TenantToml::always_open()
        .department("Emergency Service", "+15551230009")
        .import(app)
        .await;
    let raw = RawCall::new(app, TENANT_NUMBER, CALLER);
    assert_eq!(raw.voice().await.0, 200);
    let urgent = CallMemory {
        urgent: true,
        department: Some("Emergency Service".to_owned()),
        ..CallMemory::default()
    };
    let named = CallMemory {
        lead: Details {
            name: Some("Dana Whitfield".to_owned()),
            reason: Some("a throbbing wisdom tooth and a swollen jaw".to_owned()),
            ..Details::default()
        },
        ..urgent.clone()
    };
    let numbered = CallMemory {
        lead: Details {
            phone: Some("+15035550142".to_owned()),
            ..named.lead.clone()
        },
        ..named.clone()
    };
    let mut steps = vec![
        Step {
            caller: "hello?",
            receptionist: "Hi, you've reached Sunny Dental. How can I help you today?",
            state: CallState::Intent { offer: None },
            memory: CallMemory::default(),
            outcome: None,
            save_lead: false,
        },
        Step {
            caller: "yeah um my wisdom tooth is throbbing and my whole jaw is swollen",
            receptionist: "I'm sorry to hear that. I'll take an urgent message for Emergency Service. May I have your name?",
            state: CallState::LeadCapture {
                asking: Asking::Name,
            },
            memory: urgent,
            outcome: None,
            save_lead: false,
        },
        Step {
            caller: "it's dana whitfield",
            receptionist: "Thank you, Dana. What's the best number to reach you?",
            state: CallState::LeadCapture {
                asking: Asking::Phone,
            },
            memory: named,
            outcome: None,
            save_lead: false,
        },
    ];
    match until {
        Until::Described => steps.truncate(2),
        Until::Named => {}
        Until::Confirmed => {
            steps.push(Step {
                caller: "five oh three five five five oh one four two",
                receptionist: "Let me read that back. Is that right?",
                state: CallState::Confirmation { correcting: None },
                memory: numbered.clone(),
                outcome: None,
                save_lead: false,
            });
            steps.push(Step {
            caller: "yes that's right",
            receptionist: "Thank you. I've passed on your message. Is there anything else I can help with?",
            state: CallState::WrapUp,
            memory: CallMemory { lead_saved: true, ..numbered },
            outcome: Some(Outcome::LeadCaptured),
            save_lead: true,
        });
        }
    }
    let sid = raw.sid.clone();
    app.with_conn(move |conn| {
        let key = stored_call_key(conn, &sid);
        for step in steps {
            let (call, _) = calls::load_for_turn(conn, &key).unwrap().unwrap();
            let turn = call.turn_count + 1;
            let conversation = Conversation::new(step.state, step.memory);
            let answer = Answer::Reply {
                reply: Reply::Ask {
                    say: vec![step.receptionist.to_owned()],
                },
                hints: Vec::new(),
                expecting: Default::default(),
                language: None,
                turn,
                caller_id: None,
            };
            let lines = vec![
                NewTurn {
                    seq: turn * 2 - 1,
                    speaker: "caller",
                    text: step.caller.to_owned(),
                    confidence: Some(0.9),
                    state: call.state,
                    latency_ms: None,
                },
                NewTurn {
                    seq: turn * 2,
                    speaker: "receptionist",
                    text: step.receptionist.to_owned(),
                    confidence: None,
                    state: conversation.name(),
                    latency_ms: Some(5),
                },
            ];
            let update = TurnUpdate {
                call: &call,
                conversation: &conversation,
                outcome: step.outcome,
                answer: &answer,
                turns: lines,
                save_lead: step.save_lead,
                llm_usage: None,
            };
            assert!(calls::record_turn(conn, &update, frontdesk::clock::now()).unwrap());
        }
    })
    .await;
    assert_eq!(raw.status("completed").await.0, 204);
    raw.sid
}

/// (urgent, department) of the call's lead.
async fn stored_urgency(app: &TestApp, sid: &str) -> (bool, Option<String>) {
    use diesel::prelude::*;
    use frontdesk::schema::{calls, leads};
    let sid = sid.to_owned();
    app.with_conn(move |conn| {
        leads::table
            .inner_join(calls::table)
            .filter(calls::call_sid.eq(sid))
            .select((leads::urgent, leads::department))
            .first(conn)
            .unwrap()
    })
    .await
}

backend_tests! {
    async fn an_urgent_message_arrives_marked_urgent_with_its_department_named(app: TestApp) {
        let smtp = SmtpServer::start().await;
        let sid = an_urgent_call(&app, Until::Confirmed).await;
        assert_eq!(stored_urgency(&app, &sid).await, (true, Some("Emergency Service".to_owned())));

        let received = deliver(&app, &smtp, 2).await;
        let lead_email = the_email(&received, "lead-email");
        assert_eq!(
            lead_email.subject(),
            Some("[Sunny Dental] URGENT: New message from Dana Whitfield, (503) 555-0142, for Emergency Service")
        );
        let text = lead_email.body_text(0).unwrap();
        assert!(text.starts_with("URGENT: "), "{text}");
        assert!(text.contains("Department:  Emergency Service"), "{text}");
        assert!(text.contains("\"yeah um my wisdom tooth is throbbing and my whole jaw is swollen\""), "{text}");
        assert!(!text.contains("\"hello?\""), "fillers are not quoted: {text}");
        let html = lead_email.body_html(0).unwrap();
        assert!(html.contains("Emergency Service"), "{html}");
        assert!(html.contains("href=\"tel:+15035550142\""), "{html}");

        let summary = the_email(&received, "summary-email");
        assert_eq!(
            summary.subject(),
            Some("[Sunny Dental] URGENT: Call summary: Dana Whitfield, (555) 765-4321 - urgent message taken for Emergency Service")
        );
        let text = summary.body_text(0).unwrap();
        assert!(text.contains("They left an urgent message for Emergency Service and confirmed it."), "{text}");
        assert!(text.contains("call back on (503) 555-0142"), "{text}");
    }

    async fn an_urgent_caller_who_hangs_up_before_confirming_is_called_back_on_the_caller_id(app: TestApp) {
        let smtp = SmtpServer::start().await;
        let sid = an_urgent_call(&app, Until::Named).await;
        assert_eq!(stored_urgency(&app, &sid).await, (true, Some("Emergency Service".to_owned())));

        let received = deliver(&app, &smtp, 2).await;
        let lead_email = the_email(&received, "lead-email");
        assert_eq!(
            lead_email.subject(),
            Some("[Sunny Dental] URGENT: Incomplete message from Dana Whitfield, caller ID (555) 765-4321, for Emergency Service (hung up)")
        );
        let text = lead_email.body_text(0).unwrap();
        assert!(text.contains("Callback:    (555) 765-4321 (caller ID: no callback number was given)"), "{text}");
        assert!(text.contains("\"yeah um my wisdom tooth is throbbing and my whole jaw is swollen\""), "{text}");
        assert!(!text.contains("dana whitfield\""), "the name answer is not quoted: {text}");
        let summary = the_email(&received, "summary-email").body_text(0).unwrap().into_owned();
        assert!(summary.contains("but the call ended before they confirmed it"), "{summary}");
    }

    async fn an_urgent_caller_who_hangs_up_before_giving_details_still_leaves_a_message(app: TestApp) {
        let smtp = SmtpServer::start().await;
        let sid = an_urgent_call(&app, Until::Described).await;
        assert_eq!(stored_urgency(&app, &sid).await, (true, Some("Emergency Service".to_owned())));

        let received = deliver(&app, &smtp, 2).await;
        let lead_email = the_email(&received, "lead-email");
        assert_eq!(
            lead_email.subject(),
            Some("[Sunny Dental] URGENT: Incomplete message from caller ID (555) 765-4321, for Emergency Service (hung up)")
        );
        let text = lead_email.body_text(0).unwrap();
        assert!(text.contains("\"yeah um my wisdom tooth is throbbing and my whole jaw is swollen\""), "{text}");
    }

    async fn a_caller_who_only_says_hello_is_not_reported_as_answered(app: TestApp) {
        let smtp = SmtpServer::start().await;
        TenantToml::always_open().import(&app).await;
        place_call(&app, TENANT_NUMBER, CALLER, &["hello?", "um", "okay bye"]).await;

        let received = deliver(&app, &smtp, 1).await;
        let summary = the_email(&received, "summary-email");
        let subject = summary.subject().unwrap().to_owned();
        let text = summary.body_text(0).unwrap();
        assert!(!subject.contains("answered"), "{subject}");
        assert!(!text.contains("answered"), "{text}");
        assert!(!text.contains("They said"), "nothing worth quoting was said: {text}");
    }

    async fn a_question_answered_from_the_knowledge_base_is_named_in_the_summary(app: TestApp) {
        let smtp = SmtpServer::start().await;
        TenantToml::always_open().import(&app).await;
        place_call(&app, TENANT_NUMBER, CALLER, &["do you offer teeth whitening", "no that's all thanks bye"]).await;

        let received = deliver(&app, &smtp, 1).await;
        let summary = the_email(&received, "summary-email");
        assert_eq!(
            summary.subject(),
            Some("[Sunny Dental] Call summary: (555) 765-4321 - question answered")
        );
        let text = summary.body_text(0).unwrap();
        assert!(text.contains("The receptionist answered: \"Do you offer teeth whitening?\"."), "{text}");
        assert!(text.contains("They said: \"do you offer teeth whitening\"."), "{text}");
    }
}
