//! Callers of a dental practice, as speech recognition writes them down.

use super::{Case, FollowUp, NONE, TwoAtOnce};

pub(super) const FIXTURE: &str = include_str!("fixtures/dental.toml");

#[rustfmt::skip]
pub(super) const QUESTIONS: &[Case] = &[
    ("hi um are you guys taking new patients right now", "accepting new patients"),
    ("yeah i just moved to the area and i was wondering if you accept new patients", "accepting new patients"),
    ("are you still accepting new patients", "accepting new patients"),
    ("do you take delta dental", "insurance plans"),
    ("um do you guys accept cigna", "insurance plans"),
    ("is my insurance gonna be in network with you its an aetna ppo", "insurance plans"),
    ("do you take medicaid", "insurance plans"),
    ("what insurances do you work with", "insurance plans"),
    ("do you take humana", "insurance plans"),
    ("how much is a cleaning if i dont have insurance", "cleaning without insurance"),
    ("how much do you charge for a teeth cleaning", "cleaning without insurance"),
    ("whats the cost of a checkup and cleaning", "cleaning without insurance"),
    ("i dont have dental insurance do you have like a discount plan or something", "membership plan"),
    ("do you guys have a membership", "membership plan"),
    ("how much is whitening", "teeth whitening"),
    ("uh do you do teeth whitening", "teeth whitening"),
    ("can i get my teeth whitened there", "teeth whitening"),
    ("do you do root canals", "root canals"),
    ("i need a crown do you do those in house", "root canals"),
    ("do you do implants", "root canals"),
    ("do you do invisalign", "invisalign"),
    ("my daughter needs braces do you do braces", "invisalign"),
    ("do you see kids", "see children"),
    ("what age do you start seeing children", "see children"),
    ("what do i do if i have a dental emergency", "dental emergency"),
    ("i broke a tooth can you see me today", "dental emergency"),
    ("whats your cancellation policy", "cancellation policy"),
    ("is there a fee if i miss my appointment", "cancellation policy"),
    ("how much notice do i need to give to reschedule", "cancellation policy"),
    ("do you have payment plans", "payment plans"),
    ("do you take care credit", "payment plans"),
    ("can i pay with my hsa card", "payment plans"),
    ("can i make payments on a big procedure", "payment plans"),
    ("do you take apple pay", "payment plans"),
    ("where should i park when i come in", "where do i park"),
    ("is there parking", "where do i park"),
    ("who are the dentists there", "who are the dentists"),
    ("which doctor would i be seeing", "who are the dentists"),
    ("whos the hygienist", "who are the dentists"),
    ("im really nervous about the dentist do you do sedation", "sedation"),
    ("do you guys have laughing gas", "sedation"),
    ("what do i need to bring for my first appointment", "bring to my first visit"),
    ("do i need to fill out forms before i come in", "bring to my first visit"),
    ("do you take out wisdom teeth", "wisdom teeth"),
    ("can you pull my wisdom tooth", "wisdom teeth"),
    ("do you do botox", NONE),
    ("do you sell electric toothbrushes", NONE),
    ("is there a pharmacy nearby", NONE),
    ("do you do veneers", NONE),
    ("how much is a root canal", NONE),
    ("how much are implants", NONE),
    ("do you have a hygienist who speaks spanish", NONE),
    ("do you do gum surgery", NONE),
    ("how long does a filling take", NONE),
    ("do you do dentures", NONE),
    ("can i bring my dog", NONE),
    ("do you have wifi in the waiting room", NONE),
    ("is doctor nguyen working today", NONE),
    ("do you do sleep apnea mouth guards", NONE),
];

#[rustfmt::skip]
pub(super) const FOLLOW_UPS: &[FollowUp] = &[
    ("teeth whitening", "how much is that", "teeth whitening"),
    ("cleaning without insurance", "does that include x rays", "cleaning without insurance"),
    ("root canals", "how much is that", NONE),
    ("payment plans", "do you take amex too", "payment plans"),
    ("insurance plans", "what about guardian", "insurance plans"),
    ("sedation", "is that extra", "sedation"),
    ("see children", "and do you do that on saturdays", NONE),
    ("membership plan", "does it cover whitening", NONE),
];

#[rustfmt::skip]
pub(super) const TWO_AT_ONCE: &[TwoAtOnce] = &[
    ("how much is a cleaning and do you take delta dental", &["cleaning without insurance", "insurance plans"]),
    ("do you see kids and is there parking", &["see children", "where do i park"]),
    ("are you taking new patients and do you take cigna", &["accepting new patients", "insurance plans"]),
    ("um do you do whitening also how much is it", &["teeth whitening"]),
    ("whats your cancellation policy oh and do you have laughing gas", &["cancellation policy", "sedation"]),
];
