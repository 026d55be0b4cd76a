//! Writing a [`TenantFile`] back as TOML: what `frontdesk tenant export` prints.
//!
//! Written by hand rather than through serde so the export reads like the examples: keys in
//! the documented order, every default spelled out, one table per department, knowledge entry
//! and admin. Secrets are never written.

use std::fmt::Write;

use super::rules::format_time;
use super::{TenantFile, WEEKDAY_KEYS};

pub(super) fn to_toml(tenant: &TenantFile) -> String {
    let mut out = Output::default();
    out.string("slug", &tenant.slug);
    out.string("name", &tenant.name);
    out.string("timezone", tenant.timezone.name());
    out.string("language", &tenant.language);
    out.string("voice", &tenant.voice);
    out.string("speech_model", &tenant.speech_model);
    out.optional("llm_model", tenant.llm_model.as_deref());
    if !tenant.staff_languages.is_empty() {
        out.strings("staff_languages", &tenant.staff_languages);
    }
    out.optional("greeting", tenant.greeting.as_deref());
    out.optional("disclosure", tenant.disclosure.as_deref());
    out.optional("transfer_number", tenant.transfer_number.as_deref());
    out.string("emergency_number", &tenant.emergency_number);
    out.optional("address", tenant.address.as_deref());
    out.optional("contact_email", tenant.contact_email.as_deref());
    out.optional("contact_phone", tenant.contact_phone.as_deref());
    out.optional("website", tenant.website.as_deref());
    out.strings("notification_emails", &tenant.notification_emails);
    out.raw("send_call_summaries", tenant.send_call_summaries);
    if let Some(days) = tenant.retention_days {
        out.raw("retention_days", days);
    }
    out.strings("numbers", &tenant.numbers);

    out.header("[hours]");
    for (key, day) in WEEKDAY_KEYS.iter().zip(tenant.hours) {
        let value = match day {
            Some((open, close)) => format!("{}-{}", format_time(open), format_time(close)),
            None => "closed".to_string(),
        };
        out.string(key, &value);
    }

    let limits = &tenant.limits;
    out.header("[limits]");
    out.raw("max_turns", limits.max_turns);
    out.raw("max_call_seconds", limits.max_call_seconds);
    out.raw("max_concurrent_calls", limits.max_concurrent_calls);
    out.raw(
        "calls_per_hour_per_caller",
        limits.calls_per_hour_per_caller,
    );
    out.raw("transfer_timeout_seconds", limits.transfer_timeout_seconds);

    out.header("[protection]");
    out.raw("allow_anonymous", tenant.protection.allow_anonymous);
    out.strings("blocked_numbers", &tenant.protection.blocked_numbers);

    for department in &tenant.departments {
        out.header("[[departments]]");
        out.string("name", &department.name);
        out.optional("phone", department.phone.as_deref());
        out.strings("keywords", &department.keywords);
    }
    for closure in &tenant.closures {
        out.header("[[closures]]");
        out.string("date", &closure.first_day.to_string());
        if closure.last_day != closure.first_day {
            out.string("until", &closure.last_day.to_string());
        }
        out.optional("name", closure.name.as_deref());
    }
    for entry in &tenant.knowledge {
        out.header("[[knowledge]]");
        out.string("question", &entry.question);
        out.string("answer", &entry.answer);
        out.optional("category", entry.category.as_deref());
        out.raw("priority", entry.priority);
        out.raw("active", entry.active);
        out.strings("also_asked", &entry.also_asked);
    }
    for admin in &tenant.admins {
        out.header("[[admins]]");
        out.string("email", &admin.email);
    }
    out.text
}

#[derive(Default)]
struct Output {
    text: String,
}

impl Output {
    fn header(&mut self, header: &str) {
        let _ = write!(self.text, "\n{header}\n");
    }

    fn raw(&mut self, key: &str, value: impl std::fmt::Display) {
        let _ = writeln!(self.text, "{key} = {value}");
    }

    fn string(&mut self, key: &str, value: &str) {
        self.raw(key, quote(value));
    }

    fn optional(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.string(key, value);
        }
    }

    fn strings(&mut self, key: &str, values: &[String]) {
        let quoted: Vec<String> = values.iter().map(|value| quote(value)).collect();
        self.raw(key, format!("[{}]", quoted.join(", ")));
    }
}

/// A TOML string literal for `value`, escaped by the toml crate itself.
fn quote(value: &str) -> String {
    toml::Value::String(value.to_string()).to_string()
}
