//! How what happened is told to the business: a few words for an email's
//! subject and "Outcome" line, and sentences for the summary.

use super::happened::{CallerSpoke, Happened, Topic, Transfer};
use crate::conversation::state::Outcome;

impl Happened {
    /// The outcome in a few words, for the email's subject and its
    /// "Outcome" line: the most important thing that happened.
    pub fn headline(&self) -> String {
        let urgent = if self.urgent { "urgent " } else { "" };
        let to_department = |lead: &str| match &self.department {
            Some(department) => format!("{lead} {department}"),
            None => String::new(),
        };
        if let Some(refusal) = self.refused {
            return match refusal {
                Outcome::Busy => "refused: every line was busy".to_owned(),
                _ => "refused (blocked or too many calls)".to_owned(),
            };
        }
        if let Some(number) = &self.told_to_call {
            return format!("emergency: told to call {number}");
        }
        if self.transfer == Some(Transfer::Connected) {
            let who = self.department.as_deref().unwrap_or("a person");
            return format!("{urgent}call put through to {who}");
        }
        match self.message {
            Some(true) => return format!("{urgent}message taken{}", to_department(" for")),
            Some(false) => {
                return format!("{urgent}message not confirmed{}", to_department(" for"));
            }
            None => {}
        }
        let prefix = if self.urgent { "urgent, " } else { "" };
        let rest = match (self.answered.len(), self.transfer, self.unanswered) {
            (1, ..) => "question answered".to_owned(),
            (n, ..) if n > 1 => format!("{n} questions answered"),
            (_, Some(_), _) => format!("not put through{}", to_department(" to")),
            (_, None, true) => "question not answered".to_owned(),
            (_, None, false) => match self.caller {
                CallerSpoke::Silent => "caller said nothing".to_owned(),
                CallerSpoke::NothingUseful => "ended before they said what they needed".to_owned(),
                CallerSpoke::Something => "no question answered, no message".to_owned(),
            },
        };
        format!("{prefix}{rest}")
    }

    /// What happened, in sentences the business reads in the summary.
    pub fn sentences(&self) -> Vec<String> {
        let mut said = Vec::new();
        if let Some(refusal) = self.refused {
            said.push(match refusal {
                Outcome::Busy => "The call was refused because every line was busy.".to_owned(),
                _ => "The call was refused (blocked number, withheld number or too many calls)."
                    .to_owned(),
            });
            return said;
        }
        if let Some(number) = &self.told_to_call {
            said.push(format!(
                "They described an emergency and were told to hang up and call {number}."
            ));
        }
        if !self.answered.is_empty() {
            let topics: Vec<String> = self.answered.iter().map(topic_words).collect();
            said.push(format!("The receptionist answered: {}.", topics.join("; ")));
        }
        if self.unanswered {
            said.push(if self.answered.is_empty() {
                "The receptionist could not answer their question and offered a person or a message."
                    .to_owned()
            } else {
                "One question could not be answered.".to_owned()
            });
        }
        let who = self.department.as_deref().unwrap_or("a person");
        match self.transfer {
            Some(Transfer::Connected) => said.push(format!("They were put through to {who}.")),
            Some(Transfer::NotAnswered) => said.push(format!(
                "The receptionist tried to put them through to {who}, but no one picked up."
            )),
            Some(Transfer::Unconfirmed) => said.push(format!(
                "The call ended while they were being put through to {who}."
            )),
            None => {}
        }
        let urgent = if self.urgent { "an urgent" } else { "a" };
        let for_department = match (&self.department, self.transfer) {
            (Some(department), None) => format!(" for {department}"),
            _ => String::new(),
        };
        match self.message {
            Some(true) => said.push(format!(
                "They left {urgent} message{for_department} and confirmed it."
            )),
            Some(false) => said.push(format!(
                "They started {urgent} message{for_department} but the call ended before they confirmed it."
            )),
            None => {}
        }
        if said.is_empty() {
            said.push(
                match self.caller {
                    CallerSpoke::Silent => "The caller did not say anything.",
                    CallerSpoke::NothingUseful => {
                        "The call ended before they said what they needed."
                    }
                    CallerSpoke::Something => {
                        "The call ended with no question answered and no message left."
                    }
                }
                .to_owned(),
            );
        }
        said
    }
}

fn topic_words(topic: &Topic) -> String {
    match topic {
        Topic::Knowledge(question) => format!("\"{}\"", question.trim()),
        Topic::Hours => "the opening hours".to_owned(),
        Topic::Address => "the address".to_owned(),
        Topic::Contact => "the contact details".to_owned(),
    }
}
