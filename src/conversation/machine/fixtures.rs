//! A small tenant and helpers shared by the state machine's tests.

use crate::conversation::interpretation::{Details, GroundedAnswer, Intent, Interpretation};
use crate::conversation::profile::{Department, Limits, OpenSpan, TenantProfile};
use crate::conversation::state::{
    Asking, CallMemory, CallState, Correction, Decision, Event, LeadField, Offer, Reply, StateName,
    TurnContext,
};

pub const CALLER: &str = "+15557654321";
pub const MAIN_LINE: &str = "+15550000000";
pub const BILLING_LINE: &str = "+15550001111";

/// Acme Roofing: billing has its own line, repairs messages go to the main line.
pub fn profile() -> TenantProfile {
    let weekday = Some(OpenSpan {
        open_minute: 8 * 60,
        close_minute: 17 * 60,
    });
    let saturday = Some(OpenSpan {
        open_minute: 9 * 60,
        close_minute: 13 * 60,
    });
    TenantProfile {
        name: "Acme Roofing".into(),
        greeting: None,
        disclosure: Some("This call may be recorded.".into()),
        address: Some("12 Main Street, Springfield".into()),
        contact_email: Some("info@acmeroofing.com".into()),
        contact_phone: Some("+15551234567".into()),
        website: Some("https://www.acmeroofing.com/".into()),
        transfer_number: Some(MAIN_LINE.into()),
        departments: vec![
            Department {
                name: "Billing".into(),
                phone: Some(BILLING_LINE.into()),
                keywords: vec!["bill".into(), "invoice".into()],
            },
            Department {
                name: "Repairs".into(),
                phone: None,
                keywords: vec!["leak".into()],
            },
        ],
        hours: [weekday, weekday, weekday, weekday, weekday, saturday, None],
        closures: Vec::new(),
        emergency_number: "911".into(),
        staff_languages: Vec::new(),
        limits: Limits::default(),
    }
}

pub fn open(profile: &TenantProfile) -> TurnContext<'_> {
    TurnContext {
        profile,
        open_now: true,
        local_time: Default::default(),
        caller_number: Some(CALLER),
        turn: 1,
        elapsed_seconds: 30,
    }
}

pub fn closed(profile: &TenantProfile) -> TurnContext<'_> {
    TurnContext {
        open_now: false,
        ..open(profile)
    }
}

pub fn said(intent: Intent) -> Event {
    said_with(intent, Details::default(), "")
}

pub fn said_with(intent: Intent, details: Details, text: &str) -> Event {
    Event::Speech(Interpretation {
        intent,
        details,
        answer: None,
        also: Vec::new(),
        text: text.into(),
        ..Interpretation::default()
    })
}

pub fn question_answered(answer: &str) -> Event {
    Event::Speech(Interpretation {
        intent: Intent::Question,
        details: Details::default(),
        answer: Some(GroundedAnswer {
            entry_id: 7,
            answer: answer.into(),
            score: 3.5,
        }),
        also: Vec::new(),
        text: "do you do free estimates".into(),
        ..Interpretation::default()
    })
}

pub fn name(name: &str) -> Details {
    Details {
        name: Some(name.into()),
        ..Details::default()
    }
}

pub fn phone(phone: &str) -> Details {
    Details {
        phone: Some(phone.into()),
        ..Details::default()
    }
}

pub fn email(email: &str) -> Details {
    Details {
        email: Some(email.into()),
        ..Details::default()
    }
}

pub fn reason(reason: &str) -> Details {
    Details {
        reason: Some(reason.into()),
        ..Details::default()
    }
}

/// Everything the receptionist said in a decision, as one string.
pub fn spoken(decision: &Decision) -> String {
    let say = match &decision.reply {
        Reply::Ask { say } | Reply::Hangup { say } | Reply::Transfer { say, .. } => say,
    };
    say.join(" ")
}

pub fn is_hangup(decision: &Decision) -> bool {
    matches!(decision.reply, Reply::Hangup { .. })
}

/// Every state with every kind of thing it can be waiting for.
pub fn every_state() -> Vec<CallState> {
    let offers = [Offer::Transfer, Offer::Message, Offer::MoreHelp];
    let asking = [
        Asking::Name,
        Asking::Phone,
        Asking::PhoneConfirmation,
        Asking::Email,
        Asking::Reason,
    ];
    let fields = [
        LeadField::Name,
        LeadField::Phone,
        LeadField::Email,
        LeadField::Reason,
    ];
    let mut states = vec![CallState::Greeting, CallState::Intent { offer: None }];
    states.extend(offers.map(|offer| CallState::Intent { offer: Some(offer) }));
    states.extend(offers.map(|offer| CallState::Faq { offer }));
    states.extend(
        [None, Some(0), Some(1), Some(9)]
            .map(|department| CallState::TransferAttempt { department }),
    );
    states.extend(asking.map(|asking| CallState::LeadCapture { asking }));
    states.push(CallState::Confirmation { correcting: None });
    states.push(CallState::Confirmation {
        correcting: Some(Correction::WhichDetail),
    });
    states.extend(fields.map(|field| CallState::Confirmation {
        correcting: Some(Correction::Detail(field)),
    }));
    states.extend([CallState::WrapUp, CallState::Ended]);
    states
}

/// A call driven one event at a time, like the web layer does.
pub struct Call<'a> {
    pub state: CallState,
    pub memory: CallMemory,
    pub ctx: TurnContext<'a>,
}

impl<'a> Call<'a> {
    pub fn new(ctx: TurnContext<'a>) -> Self {
        Call {
            state: CallState::Greeting,
            memory: CallMemory::default(),
            ctx,
        }
    }

    /// A call that has been greeted and is waiting for the caller.
    pub fn greeted(ctx: TurnContext<'a>) -> Self {
        let mut call = Call::new(ctx);
        call.send(&Event::CallStarted);
        call
    }

    pub fn send(&mut self, event: &Event) -> Decision {
        let decision = super::step(&self.state, &self.memory, event, &self.ctx);
        self.state = decision.state;
        self.memory = decision.memory.clone();
        decision
    }
}

/// A call in lead capture after "I'd like to leave a message".
pub fn taking_a_message(call: &mut Call) {
    call.send(&said_with(
        Intent::LeaveMessage,
        Details::default(),
        "leave a message",
    ));
}

/// Name, caller-ID number confirmed, no email, reason: at the read-back.
pub fn at_confirmation(call: &mut Call) {
    taking_a_message(call);
    call.send(&said_with(Intent::Unclear, name("Jane Doe"), "Jane Doe"));
    call.send(&said(Intent::Yes));
    call.send(&said(Intent::No));
    call.send(&said_with(
        Intent::Unclear,
        reason("a leak in the roof"),
        "a leak in the roof",
    ));
    assert_eq!(call.state, CallState::Confirmation { correcting: None });
    assert_eq!(call.state.name(), StateName::Confirmation);
}
