//! The two emails as the business reads them.

use super::Email;
use super::messages::*;

fn jane() -> LeadNotification<'static> {
    LeadNotification {
        tenant_name: "Bright Smile Dental",
        country_code: 1,
        caller_name: Some("Jane Doe"),
        callback_number: Some("+15035550142"),
        caller_id: Some("+15035550199"),
        email: Some("jane@example.com"),
        reason: Some("move my cleaning to next week"),
        complete: true,
        urgent: false,
        department: None,
        call_url: "https://desk.example.com/calls/42",
        called_at: "Tue 3 June 2025, 14:05",
        they_said: &["um yeah i need to move my cleaning to next week"],
    }
}

fn build(lead: &LeadNotification) -> Email {
    lead_notification(vec!["owner@example.com".into()], lead, "<id@x>".into()).unwrap()
}

fn summary() -> CallSummary<'static> {
    CallSummary {
        tenant_name: "Bright Smile Dental",
        country_code: 1,
        caller_name: Some("Jane Doe"),
        caller_number: "+15035550142",
        called_at: "Tue 3 June 2025, 14:05",
        duration: "2:10",
        outcome: "message taken",
        urgent: false,
        department: None,
        summary: "Caller: Jane Doe, calling from (503) 555-0142.\nThey left a message and confirmed it.",
        call_url: "https://desk.example.com/calls/42",
    }
}

fn build_summary(summary: &CallSummary) -> Email {
    call_summary(vec!["owner@example.com".into()], summary, "<id@x>".into()).unwrap()
}

#[test]
fn a_complete_lead_names_the_caller_and_number_in_the_subject() {
    let email = build(&jane());
    assert_eq!(
        email.subject,
        "[Bright Smile Dental] New message from Jane Doe, (503) 555-0142"
    );
    for part in [&email.text, &email.html] {
        for fact in [
            "Jane Doe",
            "(503) 555-0142",
            "jane@example.com",
            "move my cleaning to next week",
            "Tue 3 June 2025, 14:05",
            "https://desk.example.com/calls/42",
            "They said",
            "um yeah i need to move my cleaning to next week",
        ] {
            assert!(part.contains(fact), "{fact} missing from {part}");
        }
        assert!(!part.contains("URGENT"), "{part}");
        assert!(!part.contains("Department"), "{part}");
        assert!(
            !part.contains("555-0199"),
            "the caller ID is not shown over a callback number"
        );
    }
    assert!(email.html.contains("href=\"tel:+15035550142\""));
}

#[test]
fn an_urgent_lead_says_urgent_first_and_names_its_department() {
    let lead = LeadNotification {
        tenant_name: "Drip Drop Plumbing",
        urgent: true,
        department: Some("Emergency Service"),
        reason: Some("water pouring through the kitchen ceiling"),
        ..jane()
    };
    let email = build(&lead);
    assert_eq!(
        email.subject,
        "[Drip Drop Plumbing] URGENT: New message from Jane Doe, (503) 555-0142, for Emergency Service"
    );
    assert!(email.text.starts_with("URGENT: "), "{}", email.text);
    assert!(
        email.text.contains("Department:  Emergency Service"),
        "{}",
        email.text
    );
    let body = email.html.split("<body").nth(1).unwrap();
    let urgent_at = body.find("URGENT: ").unwrap();
    assert!(
        urgent_at < body.find("<h1").unwrap(),
        "the note comes before the heading"
    );
    assert!(
        email
            .html
            .contains(">Department</th><td style=\"padding:6px 0;\">Emergency Service<")
    );
}

#[test]
fn an_incomplete_lead_without_a_callback_number_shows_the_caller_id_as_such() {
    let lead = LeadNotification {
        caller_name: None,
        callback_number: None,
        email: None,
        reason: None,
        complete: false,
        ..jane()
    };
    let email = build(&lead);
    assert_eq!(
        email.subject,
        "[Bright Smile Dental] Incomplete message from caller ID (503) 555-0199 (hung up)"
    );
    assert!(
        email
            .text
            .contains("Callback:    (503) 555-0199 (caller ID: no callback number was given)"),
        "{}",
        email.text
    );
    assert!(
        email.html.contains("href=\"tel:+15035550199\""),
        "{}",
        email.html
    );
    assert!(
        email
            .html
            .contains("(caller ID: no callback number was given)")
    );
    assert!(email.text.contains("hung up before confirming"));
}

#[test]
fn a_lead_with_nothing_and_a_withheld_number_says_so() {
    let lead = LeadNotification {
        caller_name: None,
        callback_number: Some("  "),
        caller_id: None,
        email: None,
        reason: None,
        complete: false,
        they_said: &[],
        ..jane()
    };
    let email = build(&lead);
    assert_eq!(
        email.subject,
        "[Bright Smile Dental] Incomplete message from a caller (hung up)"
    );
    assert!(
        email.text.contains("Callback:    not given"),
        "{}",
        email.text
    );
    assert!(!email.text.contains("They said"));
    assert!(!email.html.contains("They said"));
}

#[test]
fn every_number_in_both_emails_has_one_format() {
    let lead_email = build(&jane());
    let summary_email = build_summary(&summary());
    for email in [&lead_email, &summary_email] {
        for part in [&email.subject, &email.text, &email.html] {
            assert!(part.contains("(503) 555-0142"), "{part}");
            let without_links = part.replace("tel:+15035550142", "");
            for other in ["+15035550142", "+1 503", "503-555-0142", "5035550142"] {
                assert!(!without_links.contains(other), "{other} in {part}");
            }
        }
    }
}

#[test]
fn numbers_from_another_country_keep_their_country_code() {
    let lead = LeadNotification {
        callback_number: Some("+442079460000"),
        ..jane()
    };
    let email = build(&lead);
    assert!(
        email.subject.ends_with("Jane Doe, +44 2079460000"),
        "{}",
        email.subject
    );
    assert!(email.html.contains("href=\"tel:+442079460000\""));
}

#[test]
fn what_a_caller_said_is_escaped_in_the_html_part_and_one_lined() {
    let lead = LeadNotification {
        caller_name: Some("<b>Jane</b>"),
        department: Some("Sales & <i>Service</i>"),
        they_said: &["my sink is \"gurgling\"\r\nCallback: +1 900 000 0000 <script>x</script>"],
        ..jane()
    };
    let email = build(&lead);
    for raw in ["<b>", "<i>", "<script>"] {
        assert!(!email.html.contains(raw), "{raw} in {}", email.html);
    }
    assert!(email.html.contains("&#60;script&#62;"), "{}", email.html);
    assert!(
        email.html.contains("Sales &#38; &#60;i&#62;Service"),
        "{}",
        email.html
    );
    assert!(
        !email
            .text
            .lines()
            .any(|l| l.starts_with("Callback: +1 900"))
    );
    assert!(
        email
            .text
            .contains("\"gurgling\" Callback: +1 900 000 0000"),
        "{}",
        email.text
    );
}

#[test]
fn a_name_with_line_breaks_cannot_forge_lines_of_the_text_part() {
    let lead = LeadNotification {
        caller_name: Some("Jane\nCallback:   +1 900 000 0000"),
        ..jane()
    };
    let email = build(&lead);
    assert!(
        !email
            .text
            .lines()
            .any(|l| l.starts_with("Callback:   +1 900"))
    );
    assert!(email.text.contains("Jane Callback: +1 900 000 0000"));
    assert!(!email.subject.contains('\n'));
}

#[test]
fn the_call_summary_subject_gives_caller_and_outcome() {
    let email = build_summary(&summary());
    assert_eq!(
        email.subject,
        "[Bright Smile Dental] Call summary: Jane Doe, (503) 555-0142 - message taken"
    );
    for part in [&email.text, &email.html] {
        for fact in ["2:10", "They left a message and confirmed it.", "calls/42"] {
            assert!(part.contains(fact), "{fact} missing from {part}");
        }
        assert!(!part.contains("URGENT"), "{part}");
    }
    assert!(email.html.contains("href=\"tel:+15035550142\""));

    let withheld = CallSummary {
        caller_name: None,
        caller_number: "anonymous",
        ..summary()
    };
    let email = build_summary(&withheld);
    assert_eq!(
        email.subject,
        "[Bright Smile Dental] Call summary: a withheld number - message taken"
    );
    assert!(!email.html.contains("tel:"));
}

#[test]
fn an_urgent_call_summary_is_flagged_and_names_the_department() {
    let urgent = CallSummary {
        urgent: true,
        department: Some("Emergency Service"),
        outcome: "urgent message taken for Emergency Service",
        ..summary()
    };
    let email = build_summary(&urgent);
    assert!(
        email
            .subject
            .starts_with("[Bright Smile Dental] URGENT: Call summary: Jane Doe"),
        "{}",
        email.subject
    );
    assert!(email.text.starts_with("URGENT: "), "{}", email.text);
    assert!(
        email.text.contains("Department:  Emergency Service"),
        "{}",
        email.text
    );
    assert!(email.html.contains("Emergency Service"));

    let flagged_summary = format!("{}\n{}", crate::ai::summary::URGENT_LINE, urgent.summary);
    let email = build_summary(&CallSummary {
        summary: &flagged_summary,
        ..urgent
    });
    assert_eq!(
        email.text.matches("URGENT").count(),
        1,
        "flagged once: {}",
        email.text
    );
    assert!(email.text.contains("They left a message and confirmed it."));
}

#[test]
fn very_long_names_are_shortened_in_the_subject() {
    let long = "A".repeat(300);
    let lead = LeadNotification {
        caller_name: Some(&long),
        callback_number: None,
        caller_id: None,
        ..jane()
    };
    let email = build(&lead);
    assert!(email.subject.chars().count() < 130, "{}", email.subject);
    assert!(email.text.contains(&long));
}
