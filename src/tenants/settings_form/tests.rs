//! The settings form read, applied and checked against the tenant file rules.

use super::*;
use crate::tenants::changes::changed_parts;

const TENANT: &str = r#"
slug = "bright-smile"
name = "Bright Smile Dental"
timezone = "America/New_York"
language = "en-US"
voice = "Polly.Joanna-Neural"
numbers = ["+15005550006"]

[hours]
mon = "08:00-17:00"

[[departments]]
name = "Billing"
keywords = ["bill"]

[[knowledge]]
question = "Do you take walk-ins?"
answer = "Yes."
"#;

fn current() -> TenantFile {
    TenantFile::parse("t.toml", TENANT).unwrap()
}

fn posted(changes: &[(&str, &str)]) -> SettingsInput {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let form = SettingsInput::from_file(&current());
    let mut push = |k: String, v: &str| pairs.push((k, v.to_owned()));
    push("name".into(), &form.name);
    push("language".into(), &form.language);
    push("voice".into(), &form.voice);
    push("timezone".into(), &form.timezone);
    push("emergency_number".into(), &form.emergency_number);
    for limit in &form.limits {
        push(format!("limits.{}", limit.key), &limit.value);
    }
    push("departments[0].name".into(), "Billing");
    push("departments[0].keywords".into(), "bill");
    push("hours.mon.open".into(), "08:00");
    push("hours.mon.close".into(), "17:00");
    push("send_call_summaries".into(), "1");
    push("protection.allow_anonymous".into(), "1");
    for (k, v) in changes {
        pairs.retain(|(key, _)| key != k);
        pairs.push(((*k).to_owned(), (*v).to_owned()));
    }
    SettingsInput::from_pairs(&pairs)
}

#[test]
fn the_current_settings_posted_back_unchanged_change_nothing() {
    let before = current();
    let after = posted(&[]).apply(&before).unwrap();
    assert_eq!(changed_parts(&before, &after), Vec::<&str>::new());
    assert_eq!(after.knowledge, before.knowledge);
    assert_eq!(after.numbers, before.numbers);
}

#[test]
fn new_rows_and_days_become_the_tenant_file_s_entries() {
    let after = posted(&[
        ("greeting", "Thanks for calling!"),
        ("hours.tue.open", "09:00"),
        ("hours.tue.close", "12:30"),
        ("closures[1].date", "2026-12-25"),
        ("closures[1].name", "Christmas"),
        ("departments[3].name", "Sales"),
        ("departments[3].phone", "+15551230001"),
        ("departments[3].keywords", "buy, Quote"),
        ("notification_emails", "a@example.com\nb@example.com"),
    ])
    .apply(&current())
    .unwrap();
    assert_eq!(after.greeting.as_deref(), Some("Thanks for calling!"));
    assert_eq!(after.hours[1], Some((540, 750)));
    assert_eq!(after.closures.len(), 1);
    assert_eq!(after.closures[0].name.as_deref(), Some("Christmas"));
    assert_eq!(after.departments[1].keywords, ["buy", "quote"]);
    assert_eq!(after.notification_emails.len(), 2);
    assert!(after.send_call_summaries);
}

/// Blank rows are dropped when the form is read, so the form shown
/// again has its rows one after another and the problems follow them.
#[test]
fn each_problem_is_reported_at_the_form_field_it_is_about() {
    let errors = posted(&[
        ("voice", "Polly.Nobody"),
        ("hours.mon.close", "07:00"),
        ("closures[4].date", "25/12/2026"),
        ("departments[2].name", "Sales"),
        ("departments[2].phone", "555"),
        ("notification_emails", "ok@example.com\nnot-an-email"),
        ("limits.max_turns", "many"),
        ("limits.max_call_seconds", "5"),
    ])
    .apply(&current())
    .unwrap_err();
    let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        [
            "closures[0].date",
            "departments[1].phone",
            "hours.mon",
            "limits.max_call_seconds",
            "limits.max_turns",
            "notification_emails",
            "voice",
        ]
    );
    assert_eq!(
        errors.get("limits.max_turns"),
        Some("\"many\" is not a whole number")
    );
    assert!(
        errors
            .get("hours.mon")
            .unwrap()
            .starts_with("Opens at 08:00")
    );
}
