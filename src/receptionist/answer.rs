//! What the receptionist does in answer to one request, whatever the
//! channel. Stored with the call (as JSON), so a retried request gets the
//! same answer rendered again, and the transcript's words come from it.

use serde::{Deserialize, Serialize};

use crate::conversation::interpretation::Expecting;
use crate::conversation::state::{Decision, Reply};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    /// The call is refused unanswered (a blocked, withheld or rate-limited
    /// caller): nothing is said and, on the phone, nothing is billed.
    Refuse,
    /// Say something, then listen, put the caller through, or hang up.
    Reply {
        reply: Reply,
        /// Words likely in the caller's next answer, for speech recognition.
        hints: Vec<String>,
        /// What the caller's next answer holds, so it is listened for the
        /// right way. Answers stored before it existed listen for anything.
        #[serde(default)]
        expecting: Expecting,
        /// The caller's language when the receptionist speaks theirs
        /// instead of the tenant's (a tag such as "es"): the reply is said,
        /// and the next answer heard, in it.
        #[serde(default)]
        language: Option<String>,
        /// The call's turn count once this answer is stored: the caller's
        /// next input names it, so a repeated request is recognised.
        turn: i32,
        /// Whose number a transfer shows: the caller's own.
        caller_id: Option<String>,
    },
    /// The answer is still being worked out (the LLM is slow): a short
    /// filler, then the channel asks again for turn `turn`'s answer. Never
    /// stored as the call's answer.
    Hold {
        say: String,
        turn: i32,
        #[serde(default)]
        language: Option<String>,
    },
}

/// What the receptionist says while it thinks, varied from turn to turn.
const FILLERS: [&str; 4] = [
    "One moment while I check that.",
    "Let me check that for you.",
    "Just a moment, please.",
    "Let me look into that.",
];
const SPANISH_FILLERS: [&str; 2] = ["Un momento, por favor.", "Déjeme revisar eso."];

impl Answer {
    /// The state machine's decision as the answer to give; `turn` is the
    /// call's turn count once it is stored.
    pub fn deciding(decision: &Decision, turn: i32, caller_id: Option<String>) -> Answer {
        Answer::Reply {
            reply: decision.reply.clone(),
            hints: decision.hints.clone(),
            expecting: decision.expecting,
            language: decision.memory.language.clone(),
            turn,
            caller_id,
        }
    }

    /// A filler while turn `turn`'s answer is worked out.
    pub fn hold(turn: i32, language: Option<String>) -> Answer {
        let index = usize::try_from(turn).unwrap_or(0);
        let say = match language.as_deref() {
            Some("es") => SPANISH_FILLERS[index % SPANISH_FILLERS.len()],
            _ => FILLERS[index % FILLERS.len()],
        };
        Answer::Hold {
            say: say.to_owned(),
            turn,
            language,
        }
    }

    /// An answer that says `say` and ends the call.
    pub fn hang_up(say: impl Into<String>, turn: i32) -> Answer {
        Answer::Reply {
            reply: Reply::Hangup {
                say: vec![say.into()],
            },
            hints: Vec::new(),
            expecting: Expecting::Anything,
            language: None,
            turn,
            caller_id: None,
        }
    }

    /// The words the caller hears, for the transcript; `None` when nothing
    /// is said.
    pub fn spoken(&self) -> Option<String> {
        match self {
            Answer::Refuse => None,
            Answer::Reply { reply, .. } => {
                let (Reply::Ask { say } | Reply::Hangup { say } | Reply::Transfer { say, .. }) =
                    reply;
                Some(say.join(" "))
            }
            Answer::Hold { say, .. } => Some(say.clone()),
        }
    }

    /// Whether the call ends with this answer.
    pub fn ends_call(&self) -> bool {
        matches!(
            self,
            Answer::Refuse
                | Answer::Reply {
                    reply: Reply::Hangup { .. },
                    ..
                }
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_answer_reads_back_as_the_same_answer() {
        let answer = Answer::Reply {
            reply: Reply::Transfer {
                say: vec!["Let me connect you <now> & then.".into()],
                number: "+15550001111".into(),
            },
            hints: vec!["billing".into()],
            expecting: Expecting::Phone,
            language: Some("es".into()),
            turn: 3,
            caller_id: Some("+15557654321".into()),
        };
        let stored = serde_json::to_string(&answer).unwrap();
        assert_eq!(serde_json::from_str::<Answer>(&stored).unwrap(), answer);
        assert_eq!(
            answer.spoken().as_deref(),
            Some("Let me connect you <now> & then.")
        );
        assert_eq!(Answer::Refuse.spoken(), None);
    }

    #[test]
    fn an_answer_stored_before_listening_was_chosen_still_loads_and_listens_for_anything() {
        let stored = r#"{"Reply":{"reply":{"Ask":{"say":["May I have your name, please?"]}},"hints":["billing"],"turn":2,"caller_id":null}}"#;
        let answer: Answer = serde_json::from_str(stored).unwrap();
        assert_eq!(
            answer,
            Answer::Reply {
                reply: Reply::Ask {
                    say: vec!["May I have your name, please?".into()]
                },
                hints: vec!["billing".into()],
                expecting: Expecting::Anything,
                language: None,
                turn: 2,
                caller_id: None,
            }
        );
    }
}
