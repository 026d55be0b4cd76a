//! The tenant file: the TOML document behind `frontdesk tenant import FILE.toml` and
//! `frontdesk tenant export SLUG`.
//!
//! This module only reads, checks and writes the text. Applying a [`TenantFile`] to the
//! database (in one transaction) belongs to the tenant queries; they use
//! [`TenantFile::number_line`] to point their own errors (a number owned by another tenant)
//! at the right line of the file.

mod checker;
pub mod knowledge_rule;
mod raw;
mod rules;
mod source;
mod speech_models;
mod validate;
mod voices;
mod write;

#[cfg(test)]
mod tests;

use std::fmt;

pub use rules::{is_e164, is_email, parse_date, parse_hours_range};
pub use speech_models::{DEFAULT_SPEECH_MODEL, takes_google_class_tokens};
pub use voices::voice_choices;

/// Opening hours for one week, Monday first: `Some((open, close))` in minutes after midnight
/// (`close` may be 1440, written "24:00"), `None` when closed that day.
pub type WeeklyHours = [Option<(u16, u16)>; 7];

/// The day keys of `[hours]`, in the same order as [`WeeklyHours`].
pub const WEEKDAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A validated tenant file. Every field is checked and normalised (text trimmed, keywords
/// lower-cased); defaults are filled in, so the database layer never re-checks anything.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantFile {
    pub slug: String,
    pub name: String,
    pub timezone: chrono_tz::Tz,
    /// `ll-CC`, e.g. `en-US`.
    pub language: String,
    pub voice: String,
    /// Twilio's `<Gather speechModel>`; [`DEFAULT_SPEECH_MODEL`] when absent.
    pub speech_model: String,
    /// The LLM model the tenant's calls use; `None` means the installation's
    /// `OPENAI_MODEL`.
    pub llm_model: Option<String>,
    /// Languages the staff speak besides English, as ISO 639-1 codes ("es"):
    /// a caller speaking one is put through while someone can take the call.
    pub staff_languages: Vec<String>,
    pub greeting: Option<String>,
    /// Spoken at the start of every call, e.g. "This call may be recorded."
    pub disclosure: Option<String>,
    pub transfer_number: Option<String>,
    /// What the assistant tells callers to dial in an emergency; "911" when absent.
    pub emergency_number: String,
    /// Per-tenant Twilio auth token; `None` means the `TWILIO_AUTH_TOKEN` setting.
    pub twilio_auth_token: Option<Secret>,
    pub address: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub website: Option<String>,
    pub notification_emails: Vec<String>,
    pub send_call_summaries: bool,
    /// Days to keep calls and transcripts; `None` keeps them forever.
    pub retention_days: Option<u32>,
    /// The Twilio numbers this tenant answers; at least one, no duplicates.
    pub numbers: Vec<String>,
    pub hours: WeeklyHours,
    pub departments: Vec<Department>,
    /// Holidays and other closed days, as written (the earliest first is
    /// not required).
    pub closures: Vec<Closure>,
    pub knowledge: Vec<KnowledgeEntry>,
    pub admins: Vec<Admin>,
    pub limits: Limits,
    pub protection: Protection,
    /// Where things were in the parsed text; empty for a spec built from the database.
    pub source: SourceLines,
}

/// A department as the conversation uses it; the file's keywords are
/// trimmed, lower-cased and without duplicates.
pub use crate::conversation::profile::Department;

/// Days the business is closed whatever its weekly hours say.
pub use crate::conversation::profile::Closure;

#[derive(Debug, Clone, PartialEq)]
pub struct KnowledgeEntry {
    pub question: String,
    pub answer: String,
    pub category: Option<String>,
    pub priority: i32,
    pub active: bool,
    /// Other ways callers ask the question ("do you take my plan?"), trimmed,
    /// without duplicates (ignoring case) or a repeat of the question.
    pub also_asked: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Admin {
    pub email: String,
    /// `None`: the importer generates one and prints it once.
    pub password: Option<Secret>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    pub max_turns: u32,
    pub max_call_seconds: u32,
    pub max_concurrent_calls: u32,
    /// The per-caller rate limit.
    pub calls_per_hour_per_caller: u32,
    pub transfer_timeout_seconds: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_turns: 20,
            max_call_seconds: 600,
            max_concurrent_calls: 10,
            calls_per_hour_per_caller: 10,
            transfer_timeout_seconds: 20,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Protection {
    /// Answer callers who hide their number.
    pub allow_anonymous: bool,
    pub blocked_numbers: Vec<String>,
}

impl Default for Protection {
    fn default() -> Self {
        Protection {
            allow_anonymous: true,
            blocked_numbers: Vec::new(),
        }
    }
}

/// Passwords and tokens read from the file never print (`Debug` shows `***`).
pub use crate::config::Secret;

/// Line numbers of the parsed text, kept so later errors can point into the file.
///
/// They describe where the spec came from, not the spec itself, so any two compare equal:
/// a file and its export are the same tenant even though their lines differ.
#[derive(Debug, Clone, Default)]
pub struct SourceLines {
    /// 1-based line of each entry of `numbers`.
    pub numbers: Vec<usize>,
    /// 1-based line of the `slug` key (0 when built from the database).
    pub slug: usize,
    /// 1-based line of each admin's `email`.
    pub admins: Vec<usize>,
    /// 1-based line of `twilio_auth_token`, if the file has one.
    pub twilio_auth_token: Option<usize>,
}

impl PartialEq for SourceLines {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

/// One problem in a tenant file. Displays as `{file}:{line}: {field}: {message}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantFileError {
    pub file: String,
    /// 1-based; `None` when the problem has no place in the text (a missing key).
    pub line: Option<usize>,
    /// Dotted path, e.g. `departments[1].phone`; empty when the text itself is malformed.
    pub field: String,
    pub message: String,
}

impl fmt::Display for TenantFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for TenantFileError {}

impl TenantFile {
    /// Parse and validate; the error names the file, line and field of the earliest problem.
    pub fn parse(path_for_messages: &str, text: &str) -> Result<TenantFile, TenantFileError> {
        Self::parse_collecting_errors(path_for_messages, text).map_err(|problems| {
            problems
                .into_iter()
                .next()
                .unwrap_or_else(|| TenantFileError {
                    file: path_for_messages.to_string(),
                    line: None,
                    field: String::new(),
                    message: "invalid tenant file".to_string(),
                })
        })
    }

    /// Like [`TenantFile::parse`], but reports every problem (in line order) so the
    /// importer can list them all at once. A syntax error stops parsing, so it comes alone.
    pub fn parse_collecting_errors(
        path_for_messages: &str,
        text: &str,
    ) -> Result<TenantFile, Vec<TenantFileError>> {
        let raw: raw::RawTenantFile = toml::from_str(text)
            .map_err(|error| vec![source::syntax_error(path_for_messages, text, &error)])?;
        validate::validate(path_for_messages, text, raw)
    }

    /// Write the same format back, without passwords or the Twilio auth token:
    /// `parse(to_toml(x)) == x.without_secrets()`.
    pub fn to_toml(&self) -> String {
        write::to_toml(self)
    }

    /// Line (1-based) where `numbers[index]` appears, so the database layer can report
    /// "bright-smile.toml:12: numbers[0]: +15005550006 already belongs to tenant rapid-rooter".
    pub fn number_line(&self, index: usize) -> Option<usize> {
        self.source.numbers.get(index).copied()
    }

    /// The same spec with admin passwords and the Twilio auth token removed: what an export holds.
    pub fn without_secrets(&self) -> TenantFile {
        let mut copy = self.clone();
        copy.twilio_auth_token = None;
        for admin in &mut copy.admins {
            admin.password = None;
        }
        copy
    }
}
