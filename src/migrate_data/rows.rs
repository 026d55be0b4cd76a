//! One row type per table, exactly as `src/schema.rs` declares it: loaded
//! with the table's full column list (so a column missing here fails to
//! compile) and inserted by column name with every value given, `NULL`s
//! included (never the column's default), so the target gets the very
//! values the source holds. Ids are plain integers here, not the newtype
//! ids: these rows are carried across verbatim, never interpreted.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::*;

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = settings, treat_none_as_default_value = false)]
pub struct Setting {
    pub key: String,
    pub value: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = tenants, treat_none_as_default_value = false)]
pub struct Tenant {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub timezone: String,
    pub language: String,
    pub voice: String,
    pub greeting: Option<String>,
    pub disclosure: Option<String>,
    pub address: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub website: Option<String>,
    pub transfer_number: Option<String>,
    pub emergency_number: String,
    pub twilio_auth_token: Option<String>,
    pub notification_emails: String,
    pub send_call_summaries: bool,
    pub retention_days: Option<i32>,
    pub max_turns: i32,
    pub max_call_seconds: i32,
    pub max_concurrent_calls: i32,
    pub calls_per_hour_per_caller: i32,
    pub transfer_timeout_seconds: i32,
    pub allow_anonymous: bool,
    pub config_version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub speech_model: String,
    pub staff_languages: String,
    pub llm_model: Option<String>,
    pub disabled: bool,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = phone_numbers, treat_none_as_default_value = false)]
pub struct PhoneNumber {
    pub id: i64,
    pub tenant_id: i64,
    pub number: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = business_hours, treat_none_as_default_value = false)]
pub struct BusinessHours {
    pub id: i64,
    pub tenant_id: i64,
    pub weekday: i16,
    pub open_minute: i32,
    pub close_minute: i32,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = departments, treat_none_as_default_value = false)]
pub struct Department {
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub keywords: String,
    pub position: i32,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = knowledge_entries, treat_none_as_default_value = false)]
pub struct KnowledgeEntry {
    pub id: i64,
    pub tenant_id: i64,
    pub question: String,
    pub answer: String,
    pub category: Option<String>,
    pub priority: i32,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub also_asked: String,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub tenant_id: Option<i64>,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
    pub must_change_password: bool,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = sessions, treat_none_as_default_value = false)]
pub struct Session {
    pub id: i64,
    pub key_hash: String,
    pub user_id: Option<i64>,
    pub state: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = calls, treat_none_as_default_value = false)]
pub struct Call {
    pub id: i64,
    pub tenant_id: i64,
    pub call_sid: String,
    pub from_number: String,
    pub to_number: String,
    pub state: String,
    pub status: String,
    pub outcome: Option<String>,
    pub memory: String,
    pub turn_count: i32,
    pub last_reply: Option<String>,
    pub started_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
    pub duration_seconds: Option<i32>,
    pub summary: Option<String>,
    pub updated_at: NaiveDateTime,
    pub pending: Option<String>,
    pub is_test: bool,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = call_turns, treat_none_as_default_value = false)]
pub struct CallTurn {
    pub id: i64,
    pub call_id: i64,
    pub seq: i32,
    pub speaker: String,
    pub text: String,
    pub confidence: Option<f64>,
    pub state: String,
    pub latency_ms: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = leads, treat_none_as_default_value = false)]
pub struct Lead {
    pub id: i64,
    pub tenant_id: i64,
    pub call_id: Option<i64>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub reason: Option<String>,
    pub status: String,
    pub complete: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub urgent: bool,
    pub department: Option<String>,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = jobs, treat_none_as_default_value = false)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub unique_key: Option<String>,
    pub status: String,
    pub priority: i32,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: NaiveDateTime,
    pub locked_at: Option<NaiveDateTime>,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub give_up_at: NaiveDateTime,
}

impl Job {
    /// A job that was running when the service stopped is queued again on
    /// the target: the lease belongs to a worker that will never come back
    /// to it, and the new installation's workers should not have to wait
    /// for that lease to expire. Every other job arrives as it was.
    pub fn arriving(self) -> Job {
        match self.status.as_str() {
            "running" => Job {
                status: "queued".to_owned(),
                locked_at: None,
                locked_by: None,
                last_error: Some(
                    "the service stopped during this attempt (installation copied)".to_owned(),
                ),
                ..self
            },
            _ => self,
        }
    }
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = blocked_numbers, treat_none_as_default_value = false)]
pub struct BlockedNumber {
    pub id: i64,
    pub tenant_id: i64,
    pub number: String,
    pub reason: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
pub struct AuditEntry {
    pub id: i64,
    pub tenant_id: Option<i64>,
    pub user_id: Option<i64>,
    pub action: String,
    pub detail: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = llm_usage, treat_none_as_default_value = false)]
pub struct LlmUsage {
    pub id: i64,
    pub tenant_id: i64,
    pub call_id: Option<i64>,
    pub turn_seq: Option<i32>,
    pub purpose: String,
    pub model: String,
    pub prompt_tokens: i32,
    pub completion_tokens: i32,
    pub latency_ms: i32,
    pub outcome: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = unanswered_questions, treat_none_as_default_value = false)]
pub struct UnansweredQuestion {
    pub id: i64,
    pub tenant_id: i64,
    pub call_id: i64,
    pub question: String,
    pub best_score: f32,
    pub answered: bool,
    pub asked_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = mail_deliveries, treat_none_as_default_value = false)]
pub struct MailDelivery {
    pub id: i64,
    pub tenant_id: i64,
    pub job_key: String,
    pub recipient: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Queryable, Insertable)]
#[diesel(table_name = closures, treat_none_as_default_value = false)]
pub struct Closure {
    pub id: i64,
    pub tenant_id: i64,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub name: Option<String>,
}
