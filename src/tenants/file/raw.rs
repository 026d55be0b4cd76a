//! The file exactly as written, with spans, before any checking.
//!
//! Every struct denies unknown keys so a typo (`max_turn`, `[hour]`) is an error instead of a
//! setting that silently does nothing. Integers are `i64` so range errors carry our own
//! message ("must be between 3 and 200") rather than serde's.

use serde::Deserialize;
use toml::Spanned;

pub(super) type Text = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTenantFile {
    pub slug: Text,
    pub name: Text,
    pub timezone: Text,
    pub language: Text,
    pub voice: Text,
    pub speech_model: Option<Text>,
    pub llm_model: Option<Text>,
    #[serde(default)]
    pub staff_languages: Vec<Text>,
    pub greeting: Option<Text>,
    pub disclosure: Option<Text>,
    pub transfer_number: Option<Text>,
    pub emergency_number: Option<Text>,
    pub twilio_auth_token: Option<Text>,
    pub address: Option<Text>,
    pub contact_email: Option<Text>,
    pub contact_phone: Option<Text>,
    pub website: Option<Text>,
    #[serde(default)]
    pub notification_emails: Vec<Text>,
    pub send_call_summaries: Option<bool>,
    pub retention_days: Option<Spanned<i64>>,
    pub numbers: Spanned<Vec<Text>>,
    #[serde(default)]
    pub hours: RawHours,
    #[serde(default)]
    pub departments: Vec<RawDepartment>,
    #[serde(default)]
    pub closures: Vec<RawClosure>,
    #[serde(default)]
    pub knowledge: Vec<RawKnowledge>,
    #[serde(default)]
    pub admins: Vec<RawAdmin>,
    #[serde(default)]
    pub limits: RawLimits,
    #[serde(default)]
    pub protection: RawProtection,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHours {
    pub mon: Option<Text>,
    pub tue: Option<Text>,
    pub wed: Option<Text>,
    pub thu: Option<Text>,
    pub fri: Option<Text>,
    pub sat: Option<Text>,
    pub sun: Option<Text>,
}

impl RawHours {
    /// Monday first, matching `WEEKDAY_KEYS`.
    pub fn days(&self) -> [Option<&Text>; 7] {
        [
            self.mon.as_ref(),
            self.tue.as_ref(),
            self.wed.as_ref(),
            self.thu.as_ref(),
            self.fri.as_ref(),
            self.sat.as_ref(),
            self.sun.as_ref(),
        ]
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDepartment {
    pub name: Text,
    pub phone: Option<Text>,
    #[serde(default)]
    pub keywords: Vec<Text>,
}

/// A closed day (`date`) or days (`date` to `until`, both included).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClosure {
    pub date: Text,
    pub until: Option<Text>,
    pub name: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKnowledge {
    pub question: Text,
    pub answer: Text,
    pub category: Option<Text>,
    pub priority: Option<Spanned<i64>>,
    pub active: Option<bool>,
    #[serde(default)]
    pub also_asked: Vec<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAdmin {
    pub email: Text,
    pub password: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLimits {
    pub max_turns: Option<Spanned<i64>>,
    pub max_call_seconds: Option<Spanned<i64>>,
    pub max_concurrent_calls: Option<Spanned<i64>>,
    pub calls_per_hour_per_caller: Option<Spanned<i64>>,
    pub transfer_timeout_seconds: Option<Spanned<i64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProtection {
    pub allow_anonymous: Option<bool>,
    #[serde(default)]
    pub blocked_numbers: Vec<Text>,
}
