//! The mail module against a real SMTP listener on 127.0.0.1 (and the
//! outbox folder when no SMTP server is configured).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::smtp::{SmtpReplies, SmtpServer, reserve_port};
use frontdesk::mail::{
    CallSummary, Email, LeadNotification, MailError, Mailer, call_summary, lead_notification,
    message_id_for,
};

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
async fn a_lead_notification_reaches_every_owner_with_both_parts_and_its_message_id() {
    let server = SmtpServer::start().await;
    let email = lead_email(&[OWNER, FRONT_DESK], &jane());

    mailer_for(&server.url()).send(&email).await.unwrap();

    let received = server.wait_for(1).await;
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    assert_eq!(mail.envelope_from, "frontdesk@desk.example.com");
    assert_eq!(mail.recipients, [OWNER, FRONT_DESK]);

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
async fn a_recipient_the_server_rejects_is_a_permanent_failure() {
    let server =
        SmtpServer::start_with(SmtpReplies::default().reject_permanently("gone@example.com")).await;

    let err = mailer_for(&server.url())
        .send(&lead_email(&["gone@example.com"], &jane()))
        .await
        .unwrap_err();

    assert!(matches!(err, MailError::Permanent(_)), "{err:?}");
    assert!(err.is_permanent());
    assert!(err.to_string().contains("550"), "{err}");
    assert!(
        !err.to_string().contains("gone@"),
        "addresses are masked: {err}"
    );
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_temporary_refusal_is_a_transient_failure() {
    let server = SmtpServer::start_with(SmtpReplies::default().reject_transiently(OWNER)).await;

    let err = mailer_for(&server.url())
        .send(&lead_email(&[OWNER], &jane()))
        .await
        .unwrap_err();

    assert!(matches!(err, MailError::Transient(_)), "{err:?}");
    assert!(!err.is_permanent());
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
async fn mail_goes_out_once_the_smtp_server_is_back() {
    let port = reserve_port();
    let mailer = mailer_for(&format!("smtp://127.0.0.1:{port}?tls=none"));
    let email = lead_email(&[OWNER], &jane());

    let first = mailer.send(&email).await;
    assert!(matches!(first, Err(MailError::Transient(_))), "{first:?}");

    let server = SmtpServer::start_on(port, SmtpReplies::default()).await;
    mailer.send(&email).await.unwrap();

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

    mailer.send(&lead_email(&[OWNER], &jane())).await.unwrap();

    let files: Vec<_> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
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
