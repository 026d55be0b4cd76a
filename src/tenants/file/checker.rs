//! The bookkeeping behind validation: reporting a problem at a span, and the checks that
//! repeat across fields (non-blank text, phone numbers, emails, integer ranges, duplicates).

use std::collections::HashMap;
use std::ops::RangeInclusive;

use toml::Spanned;

use super::TenantFileError;
use super::raw::Text;
use super::rules::{is_e164, is_email, range_problem, text_problem};
use super::source::line_of;

pub(super) struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    /// Each problem with the byte offset it was found at, to list them in file order.
    problems: Vec<(usize, TenantFileError)>,
}

impl<'a> Checker<'a> {
    pub(super) fn new(file: &'a str, text: &'a str) -> Self {
        Checker {
            file,
            text,
            problems: Vec::new(),
        }
    }

    /// `value` if nothing was reported, otherwise every problem in the order of the file.
    pub(super) fn finish<T>(mut self, value: T) -> Result<T, Vec<TenantFileError>> {
        if self.problems.is_empty() {
            return Ok(value);
        }
        self.problems.sort_by_key(|(offset, _)| *offset);
        Err(self
            .problems
            .into_iter()
            .map(|(_, problem)| problem)
            .collect())
    }

    pub(super) fn report<T>(&mut self, at: &Spanned<T>, field: &str, message: impl Into<String>) {
        let offset = at.span().start;
        let problem = TenantFileError {
            file: self.file.to_string(),
            line: Some(line_of(self.text, offset)),
            field: field.to_string(),
            message: message.into(),
        };
        self.problems.push((offset, problem));
    }

    /// Trimmed, non-blank, at most `max_chars`.
    pub(super) fn text(&mut self, value: &Text, field: &str, max_chars: usize) -> String {
        if let Some(message) = text_problem(value.get_ref(), max_chars) {
            self.report(value, field, message);
        }
        value.get_ref().trim().to_string()
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

    /// Phone numbers that must each be E.164 and appear only once.
    pub(super) fn phone_list(&mut self, values: &[Text], field: &str) -> Vec<String> {
        let numbers = values
            .iter()
            .enumerate()
            .map(|(i, value)| self.phone(value, &format!("{field}[{i}]")))
            .collect();
        self.reject_duplicates(
            "number",
            values
                .iter()
                .enumerate()
                .map(|(i, value)| (value.get_ref().clone(), value, format!("{field}[{i}]"))),
        );
        numbers
    }

    /// Email addresses that must each be valid and appear only once, ignoring case.
    pub(super) fn email_list(&mut self, values: &[Text], field: &str) -> Vec<String> {
        let emails = values
            .iter()
            .enumerate()
            .map(|(i, value)| self.email(value, &format!("{field}[{i}]")))
            .collect();
        self.reject_duplicates(
            "email",
            values.iter().enumerate().map(|(i, value)| {
                (
                    value.get_ref().to_lowercase(),
                    value,
                    format!("{field}[{i}]"),
                )
            }),
        );
        emails
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
        match range_problem(number, &range) {
            None => number,
            Some(message) => {
                self.report(value, field, message);
                default
            }
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
