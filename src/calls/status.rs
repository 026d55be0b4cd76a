//! Twilio's `CallStatus`, ordered so a call's status only ever moves forward
//! (callbacks can arrive twice and out of order).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStatus {
    Queued,
    Initiated,
    Ringing,
    InProgress,
    Completed,
    Busy,
    NoAnswer,
    Canceled,
    Failed,
}

impl CallStatus {
    pub fn parse(value: &str) -> Option<CallStatus> {
        Some(match value {
            "queued" => CallStatus::Queued,
            "initiated" => CallStatus::Initiated,
            "ringing" => CallStatus::Ringing,
            "in-progress" | "answered" => CallStatus::InProgress,
            "completed" => CallStatus::Completed,
            "busy" => CallStatus::Busy,
            "no-answer" => CallStatus::NoAnswer,
            "canceled" => CallStatus::Canceled,
            "failed" => CallStatus::Failed,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CallStatus::Queued => "queued",
            CallStatus::Initiated => "initiated",
            CallStatus::Ringing => "ringing",
            CallStatus::InProgress => "in-progress",
            CallStatus::Completed => "completed",
            CallStatus::Busy => "busy",
            CallStatus::NoAnswer => "no-answer",
            CallStatus::Canceled => "canceled",
            CallStatus::Failed => "failed",
        }
    }

    /// Final statuses all rank equal: the first one to arrive wins.
    fn rank(self) -> u8 {
        match self {
            CallStatus::Queued => 0,
            CallStatus::Initiated => 1,
            CallStatus::Ringing => 2,
            CallStatus::InProgress => 3,
            _ => 4,
        }
    }

    pub fn is_final(self) -> bool {
        self.rank() == 4
    }

    /// True when moving from `self` to `next` is progress.
    pub fn advances_to(self, next: CallStatus) -> bool {
        next.rank() > self.rank()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_only_moves_forward_and_the_first_final_status_wins() {
        assert!(CallStatus::Ringing.advances_to(CallStatus::InProgress));
        assert!(CallStatus::InProgress.advances_to(CallStatus::Completed));
        assert!(!CallStatus::Completed.advances_to(CallStatus::InProgress));
        assert!(!CallStatus::Completed.advances_to(CallStatus::Completed));
        assert!(!CallStatus::Busy.advances_to(CallStatus::Completed));
    }

    #[test]
    fn every_twilio_status_parses_and_round_trips() {
        for s in [
            "queued",
            "initiated",
            "ringing",
            "in-progress",
            "completed",
            "busy",
            "no-answer",
            "canceled",
            "failed",
        ] {
            assert_eq!(CallStatus::parse(s).map(CallStatus::as_str), Some(s));
        }
        assert_eq!(CallStatus::parse("exploded"), None);
    }
}
