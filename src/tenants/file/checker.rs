//! The bookkeeping behind validation: reporting a problem at a span, and the checks that
//! repeat across fields (non-blank text, phone numbers, emails, integer ranges, duplicates).

use std::collections::HashMap;
use std::ops::RangeInclusive;

use toml::Spanned;

use super::TenantFileError;
use super::raw::Text;
use super::rules::{is_e164, is_email};
use super::source::line_of;

pub(super) struct Checker<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
    pub(super) problems: Vec<TenantFileError>,
}

impl Checker<'_> {
    pub(super) fn report<T>(&mut self, at: &Spanned<T>, field: &str, message: impl Into<String>) {
        self.problems.push(TenantFileError {
            file: self.file.to_string(),
            line: Some(line_of(self.text, at.span().start)),
            field: field.to_string(),
            message: message.into(),
        });
    }

    /// Trimmed, non-blank, at most `max_chars`.
    pub(super) fn text(&mut self, value: &Text, field: &str, max_chars: usize) -> String {
        let trimmed = value.get_ref().trim();
        let length = trimmed.chars().count();
        if trimmed.is_empty() {
            self.report(value, field, "must not be empty");
        } else if length > max_chars {
            self.report(
                value,
                field,
                format!("is {length} characters long; the limit is {max_chars}"),
            );
        }
        trimmed.to_string()
    }

    /// Absent is fine; present but blank is a mistake (leave the key out instead).
    pub(super) fn optional_text(
        &mut self,
        value: Option<&Text>,
        field: &str,
        max: usize,
    ) -> Option<String> {
        value.map(|value| self.text(value, field, max))
    }

    pub(super) fn shaped(
        &mut self,
        value: &Text,
        field: &str,
        valid: fn(&str) -> bool,
        what: &str,
    ) -> String {
        if !valid(value.get_ref()) {
            let message = format!("\"{}\" is not {what}", value.get_ref());
            self.report(value, field, message);
        }
        value.get_ref().clone()
    }

    pub(super) fn phone(&mut self, value: &Text, field: &str) -> String {
        self.shaped(
            value,
            field,
            is_e164,
            "an E.164 phone number ('+', country code and number, digits only, e.g. +15551230000)",
        )
    }

    /// A number calls are sent to must not be one the assistant itself answers.
    pub(super) fn forwarding_phone(
        &mut self,
        value: &Text,
        field: &str,
        own_numbers: &[Text],
    ) -> String {
        let number = self.phone(value, field);
        if own_numbers.iter().any(|own| *own.get_ref() == number) {
            self.report(
                value,
                field,
                format!(
                    "{number} is one of this tenant's own numbers; \
                     forwarding there would ring the assistant again"
                ),
            );
        }
        number
    }

    pub(super) fn email(&mut self, value: &Text, field: &str) -> String {
        self.shaped(value, field, is_email, "an email address (name@domain.tld)")
    }

    pub(super) fn integer(
        &mut self,
        value: Option<&Spanned<i64>>,
        field: &str,
        range: RangeInclusive<i64>,
        default: i64,
    ) -> i64 {
        let Some(value) = value else {
            return default;
        };
        let number = *value.get_ref();
        if range.contains(&number) {
            number
        } else {
            let message = format!(
                "{number} is out of range; it must be between {} and {}",
                range.start(),
                range.end()
            );
            self.report(value, field, message);
            default
        }
    }

    /// Report every entry whose `key` was already seen, pointing at the first occurrence.
    pub(super) fn reject_duplicates<'t>(
        &mut self,
        what: &str,
        entries: impl Iterator<Item = (String, &'t Text, String)>,
    ) {
        let mut first_lines: HashMap<String, usize> = HashMap::new();
        for (key, value, field) in entries {
            let line = line_of(self.text, value.span().start);
            match first_lines.get(&key) {
                Some(first) => {
                    let message = format!(
                        "{what} \"{}\" is listed twice (first on line {first})",
                        value.get_ref()
                    );
                    self.report(value, &field, message);
                }
                None => {
                    first_lines.insert(key, line);
                }
            }
        }
    }
}
