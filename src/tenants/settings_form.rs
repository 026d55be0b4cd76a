//! The receptionist settings form: what the owner typed, turned into a
//! tenant file and checked by the tenant file's own validation, so the
//! dashboard and `frontdesk tenant import` accept exactly the same settings.
//!
//! The form's field names are the tenant file's key paths (`hours.mon`,
//! `departments[1].phone`, `limits.max_turns`), so each problem the
//! validation reports lands next to the field it is about. Everything the
//! form does not show (numbers, admins, knowledge, the Twilio token) is
//! taken from the tenant as it is.

use std::collections::BTreeMap;

use toml::{Table, Value};

use super::file::{TenantFile, WEEKDAY_KEYS};

/// Blank rows offered under the closures and departments for new entries.
const BLANK_ROWS: usize = 2;

/// The limits the form shows, with their labels.
pub const LIMITS: [(&str, &str); 5] = [
    ("max_turns", "Caller turns per call"),
    ("max_call_seconds", "Longest call (seconds)"),
    ("max_concurrent_calls", "Calls at the same time"),
    (
        "calls_per_hour_per_caller",
        "Calls per hour from one caller",
    ),
    ("transfer_timeout_seconds", "Seconds a transfer rings"),
];

const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The settings as the form shows them: text as typed.
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    pub name: String,
    pub greeting: String,
    pub disclosure: String,
    pub language: String,
    pub voice: String,
    pub timezone: String,
    pub hours: Vec<DayInput>,
    pub closures: Vec<ClosureInput>,
    pub departments: Vec<DepartmentInput>,
    pub transfer_number: String,
    pub emergency_number: String,
    /// One address per line.
    pub notification_emails: String,
    pub send_call_summaries: bool,
    /// Blank: keep calls forever.
    pub retention_days: String,
    /// In the order of [`LIMITS`].
    pub limits: Vec<LimitInput>,
    /// One number per line.
    pub blocked_numbers: String,
    pub allow_anonymous: bool,
}

#[derive(Debug, Clone, Default)]
pub struct DayInput {
    /// `mon` … `sun`: the field is `hours.{key}`.
    pub key: &'static str,
    pub label: &'static str,
    pub open: String,
    pub close: String,
    pub closed: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ClosureInput {
    pub date: String,
    pub until: String,
    pub name: String,
}

#[derive(Debug, Clone, Default)]
pub struct DepartmentInput {
    pub name: String,
    pub phone: String,
    /// Comma-separated.
    pub keywords: String,
}

#[derive(Debug, Clone, Default)]
pub struct LimitInput {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
}

/// Problems by form field name (the first one per field), in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    fn add(&mut self, field: String, message: String) {
        self.0.entry(field).or_insert(message);
    }
}

impl SettingsInput {
    /// The form filled in with the tenant's current settings.
    pub fn from_file(tenant: &TenantFile) -> SettingsInput {
        let hours = WEEKDAY_KEYS
            .iter()
            .zip(DAY_NAMES)
            .zip(tenant.hours)
            .map(|((key, label), day)| DayInput {
                key,
                label,
                open: day.map(|(open, _)| clock(open)).unwrap_or_default(),
                close: day.map(|(_, close)| clock(close)).unwrap_or_default(),
                closed: day.is_none(),
            })
            .collect();
        let limits = &tenant.limits;
        let limit_values = [
            limits.max_turns,
            limits.max_call_seconds,
            limits.max_concurrent_calls,
            limits.calls_per_hour_per_caller,
            limits.transfer_timeout_seconds,
        ];
        let mut input = SettingsInput {
            name: tenant.name.clone(),
            greeting: tenant.greeting.clone().unwrap_or_default(),
            disclosure: tenant.disclosure.clone().unwrap_or_default(),
            language: tenant.language.clone(),
            voice: tenant.voice.clone(),
            timezone: tenant.timezone.name().to_owned(),
            hours,
            closures: tenant
                .closures
                .iter()
                .map(|closure| ClosureInput {
                    date: closure.first_day.to_string(),
                    until: if closure.last_day == closure.first_day {
                        String::new()
                    } else {
                        closure.last_day.to_string()
                    },
                    name: closure.name.clone().unwrap_or_default(),
                })
                .collect(),
            departments: tenant
                .departments
                .iter()
                .map(|department| DepartmentInput {
                    name: department.name.clone(),
                    phone: department.phone.clone().unwrap_or_default(),
                    keywords: department.keywords.join(", "),
                })
                .collect(),
            transfer_number: tenant.transfer_number.clone().unwrap_or_default(),
            emergency_number: tenant.emergency_number.clone(),
            notification_emails: tenant.notification_emails.join("\n"),
            send_call_summaries: tenant.send_call_summaries,
            retention_days: tenant
                .retention_days
                .map(|days| days.to_string())
                .unwrap_or_default(),
            limits: LIMITS
                .iter()
                .zip(limit_values)
                .map(|((key, label), value)| LimitInput {
                    key,
                    label,
                    value: value.to_string(),
                })
                .collect(),
            blocked_numbers: tenant.protection.blocked_numbers.join("\n"),
            allow_anonymous: tenant.protection.allow_anonymous,
        };
        input.add_blank_rows();
        input
    }

    /// The form as posted (`name=value` pairs; a checkbox is present only
    /// when ticked). Unknown fields are ignored.
    pub fn from_pairs(pairs: &[(String, String)]) -> SettingsInput {
        let mut input = SettingsInput {
            hours: WEEKDAY_KEYS
                .iter()
                .zip(DAY_NAMES)
                .map(|(key, label)| DayInput {
                    key,
                    label,
                    ..DayInput::default()
                })
                .collect(),
            limits: LIMITS
                .iter()
                .map(|(key, label)| LimitInput {
                    key,
                    label,
                    value: String::new(),
                })
                .collect(),
            ..SettingsInput::default()
        };
        for (field, value) in pairs {
            input.set(field, value);
        }
        input.add_blank_rows();
        input
    }

    fn set(&mut self, field: &str, value: &str) {
        let value = value.to_owned();
        match field {
            "name" => self.name = value,
            "greeting" => self.greeting = value,
            "disclosure" => self.disclosure = value,
            "language" => self.language = value,
            "voice" => self.voice = value,
            "timezone" => self.timezone = value,
            "transfer_number" => self.transfer_number = value,
            "emergency_number" => self.emergency_number = value,
            "notification_emails" => self.notification_emails = value,
            "send_call_summaries" => self.send_call_summaries = true,
            "retention_days" => self.retention_days = value,
            "protection.blocked_numbers" => self.blocked_numbers = value,
            "protection.allow_anonymous" => self.allow_anonymous = true,
            _ => self.set_nested(field, value),
        }
    }

    fn set_nested(&mut self, field: &str, value: String) {
        if let Some(rest) = field.strip_prefix("hours.") {
            let (key, part) = rest.split_once('.').unwrap_or((rest, ""));
            if let Some(day) = self.hours.iter_mut().find(|day| day.key == key) {
                match part {
                    "open" => day.open = value,
                    "close" => day.close = value,
                    "closed" => day.closed = true,
                    _ => {}
                }
            }
        } else if let Some(key) = field.strip_prefix("limits.") {
            if let Some(limit) = self.limits.iter_mut().find(|limit| limit.key == key) {
                limit.value = value;
            }
        } else if let Some((index, part)) = row_field(field, "closures") {
            let row = row_at(&mut self.closures, index);
            match part {
                "date" => row.date = value,
                "until" => row.until = value,
                "name" => row.name = value,
                _ => {}
            }
        } else if let Some((index, part)) = row_field(field, "departments") {
            let row = row_at(&mut self.departments, index);
            match part {
                "name" => row.name = value,
                "phone" => row.phone = value,
                "keywords" => row.keywords = value,
                _ => {}
            }
        }
    }

    fn add_blank_rows(&mut self) {
        self.closures.retain(|row| !row.is_blank());
        self.departments.retain(|row| !row.is_blank());
        for _ in 0..BLANK_ROWS {
            self.closures.push(ClosureInput::default());
            self.departments.push(DepartmentInput::default());
        }
    }

    /// `current` with the form's settings, checked by the tenant file's
    /// validation; or every problem, by form field.
    pub fn apply(&self, current: &TenantFile) -> Result<TenantFile, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut table: Table = toml::from_str(&current.to_toml()).map_err(|error| {
            let mut errors = FieldErrors::default();
            errors.add(
                String::new(),
                format!("cannot read the current settings: {error}"),
            );
            errors
        })?;
        put_text(&mut table, "name", &self.name);
        put_optional(&mut table, "greeting", &self.greeting);
        put_optional(&mut table, "disclosure", &self.disclosure);
        put_text(&mut table, "language", &self.language);
        put_text(&mut table, "voice", &self.voice);
        put_text(&mut table, "timezone", &self.timezone);
        put_optional(&mut table, "transfer_number", &self.transfer_number);
        put_optional(&mut table, "emergency_number", &self.emergency_number);
        table.insert(
            "notification_emails".into(),
            list(split_list(&self.notification_emails)),
        );
        table.insert(
            "send_call_summaries".into(),
            Value::Boolean(self.send_call_summaries),
        );
        if self.retention_days.trim().is_empty() {
            table.remove("retention_days");
        } else if let Some(days) = whole_number(&self.retention_days, "retention_days", &mut errors)
        {
            table.insert("retention_days".into(), Value::Integer(days));
        }

        let mut hours = Table::new();
        for day in &self.hours {
            hours.insert(day.key.into(), Value::String(day.range()));
        }
        table.insert("hours".into(), Value::Table(hours));

        let mut limits = Table::new();
        // A blank limit takes the default, as a key left out of the file does.
        for limit in self.limits.iter().filter(|l| !l.value.trim().is_empty()) {
            let field = format!("limits.{}", limit.key);
            if let Some(value) = whole_number(&limit.value, &field, &mut errors) {
                limits.insert(limit.key.into(), Value::Integer(value));
            }
        }
        table.insert("limits".into(), Value::Table(limits));

        let mut protection = Table::new();
        protection.insert(
            "allow_anonymous".into(),
            Value::Boolean(self.allow_anonymous),
        );
        protection.insert(
            "blocked_numbers".into(),
            list(split_list(&self.blocked_numbers)),
        );
        table.insert("protection".into(), Value::Table(protection));

        let (closures, closure_rows) = rows(
            &self.closures,
            ClosureInput::is_blank,
            ClosureInput::to_toml,
        );
        table.insert("closures".into(), closures);
        let (departments, department_rows) = rows(
            &self.departments,
            DepartmentInput::is_blank,
            DepartmentInput::to_toml,
        );
        table.insert("departments".into(), departments);

        let text = toml::to_string(&table).map_err(|error| {
            let mut errors = FieldErrors::default();
            errors.add(String::new(), format!("cannot write the settings: {error}"));
            errors
        })?;
        let checked = TenantFile::parse_collecting_errors("settings", &text);
        if let Err(problems) = &checked {
            for problem in problems {
                let field = form_field(&problem.field, &closure_rows, &department_rows);
                errors.add(field, capitalised(without_line(&problem.message)));
            }
        }
        match checked {
            Ok(tenant) if errors.is_empty() => Ok(tenant),
            _ => Err(errors),
        }
    }
}

impl DayInput {
    /// `"08:00-17:00"` or `"closed"`, as the tenant file writes a day.
    fn range(&self) -> String {
        let (open, close) = (self.open.trim(), self.close.trim());
        if self.closed || (open.is_empty() && close.is_empty()) {
            "closed".to_owned()
        } else {
            format!("{open}-{close}")
        }
    }
}

impl ClosureInput {
    fn is_blank(&self) -> bool {
        [&self.date, &self.until, &self.name]
            .iter()
            .all(|v| v.trim().is_empty())
    }

    fn to_toml(&self) -> Table {
        let mut row = Table::new();
        put_text(&mut row, "date", &self.date);
        put_optional(&mut row, "until", &self.until);
        put_optional(&mut row, "name", &self.name);
        row
    }
}

impl DepartmentInput {
    fn is_blank(&self) -> bool {
        [&self.name, &self.phone, &self.keywords]
            .iter()
            .all(|v| v.trim().is_empty())
    }

    fn to_toml(&self) -> Table {
        let mut row = Table::new();
        put_text(&mut row, "name", &self.name);
        put_optional(&mut row, "phone", &self.phone);
        let keywords = self
            .keywords
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
            .collect();
        row.insert("keywords".into(), list(keywords));
        row
    }
}

/// The non-blank rows as an array of tables, and for each of them its row
/// index in the form.
fn rows<R>(
    inputs: &[R],
    is_blank: fn(&R) -> bool,
    to_toml: fn(&R) -> Table,
) -> (Value, Vec<usize>) {
    let (tables, indexes): (Vec<Value>, Vec<usize>) = inputs
        .iter()
        .enumerate()
        .filter(|(_, row)| !is_blank(row))
        .map(|(index, row)| (Value::Table(to_toml(row)), index))
        .unzip();
    (Value::Array(tables), indexes)
}

/// `departments[3].name` → `Some((3, "name"))` for `prefix` "departments".
fn row_field<'f>(field: &'f str, prefix: &str) -> Option<(usize, &'f str)> {
    let rest = field.strip_prefix(prefix)?.strip_prefix('[')?;
    let (index, part) = rest.split_once("].")?;
    let index: usize = index.parse().ok()?;
    // A bound on what a crafted form can make the server allocate.
    (index < 500).then_some((index, part))
}

fn row_at<R: Default>(rows: &mut Vec<R>, index: usize) -> &mut R {
    if rows.len() <= index {
        rows.resize_with(index + 1, R::default);
    }
    &mut rows[index]
}

/// The form field a problem of the generated file is about: list entries
/// (`notification_emails[2]`, `departments[0].keywords[1]`) belong to their
/// list's field, and row numbers are the form's (blank rows were skipped).
fn form_field(path: &str, closure_rows: &[usize], department_rows: &[usize]) -> String {
    let (head, last) = match path.rsplit_once('.') {
        Some((head, last)) => (Some(head), last),
        None => (None, path),
    };
    let last = last.split('[').next().unwrap_or(last);
    let field = match head {
        Some(head) => format!("{head}.{last}"),
        None => last.to_owned(),
    };
    for (prefix, form_rows) in [("closures", closure_rows), ("departments", department_rows)] {
        if let Some((index, part)) = row_field(&field, prefix)
            && let Some(row) = form_rows.get(index)
        {
            return format!("{prefix}[{row}].{part}");
        }
    }
    field
}

fn put_text(table: &mut Table, key: &str, value: &str) {
    table.insert(key.into(), Value::String(value.trim().to_owned()));
}

/// A blank optional field is left out of the file (its default applies).
fn put_optional(table: &mut Table, key: &str, value: &str) {
    if value.trim().is_empty() {
        table.remove(key);
    } else {
        put_text(table, key, value);
    }
}

/// Entries separated by new lines, commas or spaces.
fn split_list(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|entry| !entry.is_empty())
        .map(str::to_owned)
        .collect()
}

fn list(entries: Vec<String>) -> Value {
    Value::Array(entries.into_iter().map(Value::String).collect())
}

fn whole_number(text: &str, field: &str, errors: &mut FieldErrors) -> Option<i64> {
    let parsed = text.trim().parse::<i64>().ok();
    if parsed.is_none() {
        errors.add(
            field.to_owned(),
            format!("\"{}\" is not a whole number", text.trim()),
        );
    }
    parsed
}

fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The message without a "(first on line 12)" that points into the
/// generated text, which the person filling in the form never sees.
fn without_line(message: &str) -> &str {
    match message.find(" (first on line ") {
        Some(at) if message.ends_with(')') => &message[..at],
        _ => message,
    }
}

fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
