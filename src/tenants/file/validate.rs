//! From the raw file to a [`TenantFile`]: every check, each problem tied to its line and field.

use std::str::FromStr;

use chrono::NaiveDate;
use toml::Spanned;

use super::checker::Checker;
use super::knowledge_rule::{KnowledgeDraft, KnowledgeField, check_knowledge_entry};
use super::raw::{
    RawAdmin, RawClosure, RawDepartment, RawHours, RawKnowledge, RawLimits, RawTenantFile, Text,
};
use super::rules::{
    is_emergency_number, is_language_tag, is_slug, is_website, parse_date, parse_hours_range,
};
use super::source::line_of;
use super::{
    Admin, Closure, Department, KnowledgeEntry, Limits, Protection, Secret, SourceLines,
    TenantFile, TenantFileError, WEEKDAY_KEYS, WeeklyHours,
};

/// Names, voices, categories: one line of text.
const MAX_SHORT_TEXT: usize = 200;
/// Greetings, disclosures and addresses: a sentence or two.
const MAX_SENTENCE: usize = 500;
const MIN_PASSWORD: usize = 12;
/// Holidays and closures: years of them, far more than anyone keeps.
const MAX_CLOSURES: usize = 200;
/// Model names are identifiers ("gpt-4o-mini", "ft:gpt-4o-mini:acme::abc123").
const MAX_LLM_MODEL: usize = 100;

pub(super) fn validate(
    file: &str,
    text: &str,
    raw: RawTenantFile,
) -> Result<TenantFile, Vec<TenantFileError>> {
    let mut check = Checker::new(file, text);

    if !is_slug(raw.slug.get_ref()) {
        check.report(
            &raw.slug,
            "slug",
            format!(
                "\"{}\" is not a valid slug: use 2 to 63 lowercase letters, digits and '-', \
                 not starting or ending with '-'",
                raw.slug.get_ref()
            ),
        );
    }
    let timezone = chrono_tz::Tz::from_str(raw.timezone.get_ref().trim()).unwrap_or_else(|_| {
        check.report(
            &raw.timezone,
            "timezone",
            format!(
                "unknown time zone \"{}\"; use an IANA name such as \"America/New_York\"",
                raw.timezone.get_ref()
            ),
        );
        chrono_tz::Tz::UTC
    });
    if !is_language_tag(raw.language.get_ref()) {
        check.report(
            &raw.language,
            "language",
            format!(
                "\"{}\" is not a language tag; write language-COUNTRY, e.g. \"en-US\"",
                raw.language.get_ref()
            ),
        );
    }

    let numbers = check.phone_list(raw.numbers.get_ref(), "numbers");
    if numbers.is_empty() {
        check.report(
            &raw.numbers,
            "numbers",
            "at least one phone number is required",
        );
    }

    let tenant = TenantFile {
        slug: raw.slug.get_ref().clone(),
        name: check.text(&raw.name, "name", MAX_SHORT_TEXT),
        timezone,
        language: raw.language.get_ref().clone(),
        voice: check.shaped(
            &raw.voice,
            "voice",
            super::voices::is_twilio_voice,
            "a Twilio voice, e.g. \"Polly.Joanna-Neural\" or \"Google.en-US-Neural2-F\"",
        ),
        speech_model: match &raw.speech_model {
            Some(model) => check.shaped(
                model,
                "speech_model",
                super::speech_models::is_speech_model,
                "a Twilio speech model, e.g. \"experimental_conversations\" or \"googlev2_telephony\"",
            ),
            None => super::DEFAULT_SPEECH_MODEL.to_string(),
        },
        llm_model: raw
            .llm_model
            .as_ref()
            .map(|model| check.llm_model(model, "llm_model")),
        staff_languages: raw
            .staff_languages
            .iter()
            .enumerate()
            .map(|(i, code)| {
                check.shaped(
                    code,
                    &format!("staff_languages[{i}]"),
                    is_language_code,
                    "a two-letter language code, e.g. \"es\" for Spanish",
                )
            })
            .collect(),
        greeting: check.optional_text(raw.greeting.as_ref(), "greeting", MAX_SENTENCE),
        disclosure: check.optional_text(raw.disclosure.as_ref(), "disclosure", MAX_SENTENCE),
        transfer_number: raw
            .transfer_number
            .as_ref()
            .map(|number| check.forwarding_phone(number, "transfer_number", raw.numbers.get_ref())),
        emergency_number: match &raw.emergency_number {
            Some(number) => check.shaped(
                number,
                "emergency_number",
                is_emergency_number,
                "an emergency number, e.g. \"911\", \"112\" or an E.164 number",
            ),
            None => "911".to_string(),
        },
        twilio_auth_token: check
            .optional_text(raw.twilio_auth_token.as_ref(), "twilio_auth_token", 200)
            .map(Secret::new),
        address: check.optional_text(raw.address.as_ref(), "address", MAX_SENTENCE),
        contact_email: raw
            .contact_email
            .as_ref()
            .map(|email| check.email(email, "contact_email")),
        contact_phone: raw
            .contact_phone
            .as_ref()
            .map(|phone| check.phone(phone, "contact_phone")),
        website: raw.website.as_ref().map(|site| {
            check.shaped(
                site,
                "website",
                is_website,
                "a web address starting with https:// or http://",
            )
        }),
        notification_emails: check.email_list(&raw.notification_emails, "notification_emails"),
        send_call_summaries: raw.send_call_summaries.unwrap_or(true),
        retention_days: raw
            .retention_days
            .as_ref()
            .map(|days| check.integer(Some(days), "retention_days", 1..=36_500, 0) as u32),
        numbers,
        hours: check.hours(&raw.hours),
        departments: check.departments(&raw.departments, raw.numbers.get_ref()),
        closures: check.closures(&raw.closures),
        knowledge: check.knowledge(&raw.knowledge),
        admins: check.admins(&raw.admins),
        limits: check.limits(&raw.limits),
        protection: Protection {
            allow_anonymous: raw.protection.allow_anonymous.unwrap_or(true),
            blocked_numbers: check.phone_list(
                &raw.protection.blocked_numbers,
                "protection.blocked_numbers",
            ),
        },
        source: SourceLines {
            numbers: raw
                .numbers
                .get_ref()
                .iter()
                .map(|number| line_of(text, number.span().start))
                .collect(),
            slug: line_of(text, raw.slug.span().start),
            admins: raw
                .admins
                .iter()
                .map(|admin| line_of(text, admin.email.span().start))
                .collect(),
            twilio_auth_token: raw
                .twilio_auth_token
                .as_ref()
                .map(|token| line_of(text, token.span().start)),
        },
    };

    check.finish(tenant)
}

impl Checker<'_> {
    /// A model name goes to the LLM API as written, so it is checked here:
    /// a stray space or line break would fail every call's completions.
    fn llm_model(&mut self, value: &Text, field: &str) -> String {
        let model = value.get_ref();
        let length = model.chars().count();
        if model.is_empty() {
            self.report(
                value,
                field,
                "must not be empty; leave the key out to use OPENAI_MODEL",
            );
        } else if length > MAX_LLM_MODEL {
            self.report(
                value,
                field,
                format!("is {length} characters long; the limit is {MAX_LLM_MODEL}"),
            );
        } else if model.chars().any(|c| c.is_whitespace() || c.is_control()) {
            self.report(
                value,
                field,
                "contains a space or a control character; write the model's name alone, \
                 e.g. \"gpt-4o-mini\"",
            );
        }
        model.clone()
    }

    fn hours(&mut self, raw: &RawHours) -> WeeklyHours {
        let mut hours: WeeklyHours = [None; 7];
        for ((slot, day), key) in hours.iter_mut().zip(raw.days()).zip(WEEKDAY_KEYS) {
            if let Some(day) = day {
                match parse_hours_range(day.get_ref()) {
                    Ok(range) => *slot = range,
                    Err(message) => self.report(day, &format!("hours.{key}"), message),
                }
            }
        }
        hours
    }

    fn departments(&mut self, raw: &[RawDepartment], own_numbers: &[Text]) -> Vec<Department> {
        let departments = raw
            .iter()
            .enumerate()
            .map(|(i, department)| {
                let field = format!("departments[{i}]");
                let mut keywords: Vec<String> = Vec::new();
                for (k, keyword) in department.keywords.iter().enumerate() {
                    let normalised = keyword.get_ref().trim().to_lowercase();
                    if normalised.is_empty() {
                        self.report(
                            keyword,
                            &format!("{field}.keywords[{k}]"),
                            "must not be blank",
                        );
                    } else if !keywords.contains(&normalised) {
                        keywords.push(normalised);
                    }
                }
                Department {
                    name: self.text(&department.name, &format!("{field}.name"), MAX_SHORT_TEXT),
                    phone: department.phone.as_ref().map(|phone| {
                        self.forwarding_phone(phone, &format!("{field}.phone"), own_numbers)
                    }),
                    keywords,
                }
            })
            .collect();
        self.reject_duplicates(
            "department",
            raw.iter().enumerate().map(|(i, department)| {
                let key = department.name.get_ref().trim().to_lowercase();
                (key, &department.name, format!("departments[{i}].name"))
            }),
        );
        departments
    }

    fn closures(&mut self, raw: &[RawClosure]) -> Vec<Closure> {
        raw.iter()
            .enumerate()
            .map(|(i, closure)| {
                let field = format!("closures[{i}]");
                if i == MAX_CLOSURES {
                    self.report(
                        &closure.date,
                        &format!("{field}.date"),
                        format!("at most {MAX_CLOSURES} closures; remove the ones that are over"),
                    );
                }
                let first_day = self.date(&closure.date, &format!("{field}.date"));
                let last_day = match &closure.until {
                    Some(until) => {
                        let last_day = self.date(until, &format!("{field}.until"));
                        if last_day < first_day {
                            self.report(
                                until,
                                &format!("{field}.until"),
                                format!(
                                    "{last_day} is before the first day {first_day}; \
                                     the last closed day must be on or after the first"
                                ),
                            );
                        }
                        last_day
                    }
                    None => first_day,
                };
                Closure {
                    first_day,
                    last_day,
                    name: self.optional_text(
                        closure.name.as_ref(),
                        &format!("{field}.name"),
                        MAX_SHORT_TEXT,
                    ),
                }
            })
            .collect()
    }

    fn date(&mut self, value: &Text, field: &str) -> NaiveDate {
        parse_date(value.get_ref()).unwrap_or_else(|message| {
            self.report(value, field, message);
            NaiveDate::default()
        })
    }

    /// Each entry through the rule the dashboard's form uses too, its
    /// problems reported at the key they are about.
    fn knowledge(&mut self, raw: &[RawKnowledge]) -> Vec<KnowledgeEntry> {
        raw.iter()
            .enumerate()
            .map(|(i, entry)| {
                let (checked, problems) = check_knowledge_entry(&KnowledgeDraft {
                    question: entry.question.get_ref(),
                    answer: entry.answer.get_ref(),
                    category: entry.category.as_ref().map(|c| c.get_ref().as_str()),
                    priority: entry.priority.as_ref().map(|p| *p.get_ref()),
                    active: entry.active.unwrap_or(true),
                    also_asked: entry
                        .also_asked
                        .iter()
                        .map(|a| a.get_ref().as_str())
                        .collect(),
                });
                for problem in problems {
                    let field = format!("knowledge[{i}].{}", problem.field.key());
                    match problem.field {
                        KnowledgeField::Question => {
                            self.report(&entry.question, &field, problem.message)
                        }
                        KnowledgeField::Answer => {
                            self.report(&entry.answer, &field, problem.message)
                        }
                        KnowledgeField::Category => match &entry.category {
                            Some(category) => self.report(category, &field, problem.message),
                            None => self.report(&entry.question, &field, problem.message),
                        },
                        KnowledgeField::Priority => match &entry.priority {
                            Some(priority) => self.report(priority, &field, problem.message),
                            None => self.report(&entry.question, &field, problem.message),
                        },
                        KnowledgeField::AlsoAsked(k) => match entry.also_asked.get(k) {
                            Some(phrasing) => self.report(phrasing, &field, problem.message),
                            None => self.report(&entry.question, &field, problem.message),
                        },
                    }
                }
                checked
            })
            .collect()
    }

    fn admins(&mut self, raw: &[RawAdmin]) -> Vec<Admin> {
        let admins = raw
            .iter()
            .enumerate()
            .map(|(i, admin)| {
                let password = admin.password.as_ref().map(|password| {
                    let length = password.get_ref().chars().count();
                    if length < MIN_PASSWORD {
                        self.report(
                            password,
                            &format!("admins[{i}].password"),
                            format!(
                                "is {length} characters long; use at least {MIN_PASSWORD}, \
                                 or leave it out to have one generated"
                            ),
                        );
                    }
                    Secret::new(password.get_ref().clone())
                });
                Admin {
                    email: self.email(&admin.email, &format!("admins[{i}].email")),
                    password,
                }
            })
            .collect();
        self.reject_duplicates(
            "admin",
            raw.iter().enumerate().map(|(i, admin)| {
                let key = admin.email.get_ref().to_lowercase();
                (key, &admin.email, format!("admins[{i}].email"))
            }),
        );
        admins
    }

    fn limits(&mut self, raw: &RawLimits) -> Limits {
        let default = Limits::default();
        let mut limit = |value: &Option<Spanned<i64>>, key: &str, range, default: u32| {
            let field = format!("limits.{key}");
            self.integer(value.as_ref(), &field, range, i64::from(default)) as u32
        };
        Limits {
            max_turns: limit(&raw.max_turns, "max_turns", 3..=200, default.max_turns),
            max_call_seconds: limit(
                &raw.max_call_seconds,
                "max_call_seconds",
                30..=7_200,
                default.max_call_seconds,
            ),
            max_concurrent_calls: limit(
                &raw.max_concurrent_calls,
                "max_concurrent_calls",
                1..=1_000,
                default.max_concurrent_calls,
            ),
            calls_per_hour_per_caller: limit(
                &raw.calls_per_hour_per_caller,
                "calls_per_hour_per_caller",
                1..=1_000,
                default.calls_per_hour_per_caller,
            ),
            transfer_timeout_seconds: limit(
                &raw.transfer_timeout_seconds,
                "transfer_timeout_seconds",
                5..=120,
                default.transfer_timeout_seconds,
            ),
        }
    }
}

/// An ISO 639-1 code as written in the tenant file: two lower-case letters.
fn is_language_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase())
}
