//! Where a test call is now, as the page says it: what the receptionist is
//! listening for (and how a phone line would listen), whom it would put the
//! caller through to, or how the call ended. Read from the typed answer the
//! turn service stored, the one Twilio's TwiML is rendered from too.

use super::TestCall;
use crate::conversation::interpretation::Expecting;
use crate::conversation::profile::TenantProfile;
use crate::conversation::state::{Outcome, Reply};
use crate::receptionist::Answer;
use crate::telephony::listening::{START_TIMEOUT_SECONDS, end_of_answer_seconds};

/// Where the call is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Now {
    /// The receptionist asked something and waits for the caller.
    Listening(Listening),
    /// The receptionist would ring someone now.
    Dialling(Dialling),
    Over(Ending),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listening {
    /// What the answer should hold, in words ("a phone number").
    pub what: &'static str,
    /// Seconds a caller has to start speaking on the phone.
    pub start_seconds: u32,
    /// Seconds of silence that end the caller's answer on the phone.
    pub pause_seconds: u32,
    /// The caller may type a phone number on the keypad.
    pub number_by_keypad: bool,
    /// Words the phone line listens for especially.
    pub hints: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialling {
    /// The number that would ring (E.164).
    pub number: String,
    /// Who that is: a department's name, "your main line", ...
    pub to: String,
    /// The number the staff would see calling: the caller's own.
    pub caller_id: Option<String>,
    /// How long it would ring before counting as not answered.
    pub ring_seconds: u32,
}

/// How the call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Refused unanswered (a blocked or withheld number) or as busy.
    Refused,
    /// The receptionist said goodbye and hung up.
    ReceptionistHungUp,
    /// The caller (the owner) hung up.
    CallerHungUp,
}

impl Now {
    pub fn of(call: &TestCall, profile: &TenantProfile) -> Now {
        let refused = matches!(call.outcome, Some(Outcome::SpamBlocked | Outcome::Busy))
            || call.last_answer == Some(Answer::Refuse);
        if refused {
            return Now::Over(Ending::Refused);
        }
        if call.is_over() {
            let hung_up = call.last_answer.as_ref().is_some_and(Answer::ends_call);
            return Now::Over(match hung_up {
                true => Ending::ReceptionistHungUp,
                false => Ending::CallerHungUp,
            });
        }
        match &call.last_answer {
            Some(Answer::Reply {
                reply: Reply::Transfer { number, .. },
                caller_id,
                ..
            }) => Now::Dialling(Dialling {
                to: who_answers(number, profile),
                number: number.clone(),
                caller_id: caller_id.clone(),
                ring_seconds: profile.limits.transfer_timeout_seconds,
            }),
            Some(Answer::Reply {
                expecting, hints, ..
            }) => Now::Listening(listening(*expecting, hints.clone())),
            // Never stored: a filler or a refusal; or nothing yet.
            Some(Answer::Hold { .. } | Answer::Refuse) | None => {
                Now::Listening(listening(Expecting::Anything, Vec::new()))
            }
        }
    }
}

/// The number a stored answer dials, if it puts the caller through.
pub fn dialled(answer: Option<&Answer>) -> Option<&str> {
    match answer? {
        Answer::Reply {
            reply: Reply::Transfer { number, .. },
            ..
        } => Some(number),
        _ => None,
    }
}

fn listening(expecting: Expecting, hints: Vec<String>) -> Listening {
    Listening {
        what: expecting_words(expecting),
        start_seconds: START_TIMEOUT_SECONDS,
        pause_seconds: end_of_answer_seconds(expecting),
        number_by_keypad: expecting == Expecting::Phone,
        hints,
    }
}

/// What the caller's next answer holds, in an owner's words.
pub fn expecting_words(expecting: Expecting) -> &'static str {
    match expecting {
        Expecting::Anything => "what the caller needs",
        Expecting::Name => "the caller's name",
        Expecting::Phone => "a phone number",
        Expecting::Email => "an email address",
        Expecting::Reason => "what the message is about",
        Expecting::YesNo => "a yes or a no",
        Expecting::Correction => "which detail to correct",
    }
}

/// Who a number the receptionist dials belongs to, by the business's
/// settings: a department, the emergency line or the main line.
fn who_answers(number: &str, profile: &TenantProfile) -> String {
    if let Some(department) = profile
        .departments
        .iter()
        .find(|d| d.phone.as_deref() == Some(number))
    {
        return department.name.clone();
    }
    if profile.emergency_number == number {
        return "the emergency line".to_owned();
    }
    if profile.transfer_number.as_deref() == Some(number) {
        return "your main line".to_owned();
    }
    "this number".to_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::calls::CallKey;
    use crate::conversation::machine::fixtures::{MAIN_LINE, profile};
    use crate::conversation::state::StateName;
    use crate::ids::{CallId, TenantId};

    fn call(answer: Answer) -> TestCall {
        TestCall {
            id: CallId(1),
            key: CallKey {
                tenant_id: TenantId(1),
                call_sid: "TEST1".into(),
                line: "+15005550006".into(),
            },
            from_number: "+15555550100".into(),
            turn: 2,
            last_answer: Some(answer),
            state: StateName::Intent,
            outcome: None,
            ended_at: None,
            finished: false,
            config_version: 1,
        }
    }

    fn transfer(number: &str) -> Answer {
        Answer::Reply {
            reply: Reply::Transfer {
                say: vec!["Let me put you through.".into()],
                number: number.into(),
            },
            hints: Vec::new(),
            expecting: Expecting::Anything,
            language: None,
            turn: 2,
            caller_id: Some("+15555550100".into()),
        }
    }

    #[test]
    fn a_question_for_a_number_listens_for_digits_typed_on_the_keypad_too() {
        let asked = Answer::Reply {
            reply: Reply::Ask {
                say: vec!["What is the best number to reach you?".into()],
            },
            hints: vec!["five".into()],
            expecting: Expecting::Phone,
            language: None,
            turn: 2,
            caller_id: None,
        };
        let Now::Listening(listening) = Now::of(&call(asked), &profile()) else {
            panic!("listening");
        };
        assert_eq!(listening.what, "a phone number");
        assert!(listening.number_by_keypad);
        assert_eq!(listening.pause_seconds, 3);
        assert_eq!(listening.start_seconds, START_TIMEOUT_SECONDS);
        assert_eq!(listening.hints, ["five"]);
    }

    #[test]
    fn a_transfer_says_which_department_or_line_would_ring_and_for_how_long() {
        let profile = profile();
        let department = profile.departments[0].clone();
        let number = department.phone.clone().unwrap();
        let Now::Dialling(dialling) = Now::of(&call(transfer(&number)), &profile) else {
            panic!("dialling");
        };
        assert_eq!(dialling.to, department.name);
        assert_eq!(dialling.number, number);
        assert_eq!(dialling.caller_id.as_deref(), Some("+15555550100"));
        assert_eq!(
            dialling.ring_seconds,
            profile.limits.transfer_timeout_seconds
        );
        let Now::Dialling(main) = Now::of(&call(transfer(MAIN_LINE)), &profile) else {
            panic!("dialling");
        };
        assert_eq!(main.to, "your main line");
        assert_eq!(dialled(Some(&transfer(MAIN_LINE))), Some(MAIN_LINE));
    }

    #[test]
    fn an_ended_call_says_who_ended_it() {
        let mut goodbye = call(Answer::hang_up("Goodbye.", 3));
        goodbye.ended_at = Some(crate::clock::now());
        assert_eq!(
            Now::of(&goodbye, &profile()),
            Now::Over(Ending::ReceptionistHungUp)
        );
        let mut hung_up = call(transfer(MAIN_LINE));
        hung_up.finished = true;
        assert_eq!(
            Now::of(&hung_up, &profile()),
            Now::Over(Ending::CallerHungUp)
        );
        assert_eq!(dialled(hung_up.last_answer.as_ref()), Some(MAIN_LINE));
        let mut refused = call(Answer::Refuse);
        refused.ended_at = Some(crate::clock::now());
        assert_eq!(Now::of(&refused, &profile()), Now::Over(Ending::Refused));
    }
}
