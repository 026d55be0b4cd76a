//! Fixtures shared by the rules-brain tests: a dental clinic and a plumber.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod callers;
mod emails;
mod extraction;
mod intents;
mod knowledge;
mod names;
mod phones;
mod properties;
mod reasons;

use crate::ai::rules::{KnowledgeEntry, KnowledgeIndex, interpret, interpret_in_call};
use crate::conversation::interpretation::{Details, Expecting, Interpretation};
use crate::conversation::profile::{Department, Limits, TenantProfile};

fn entry(id: i64, question: &str, answer: &str) -> KnowledgeEntry {
    KnowledgeEntry {
        id,
        question: question.into(),
        answer: answer.into(),
        category: None,
        priority: 0,
        also_asked: Vec::new(),
    }
}

pub(super) fn dental_kb() -> KnowledgeIndex {
    KnowledgeIndex::build(vec![
        entry(
            1,
            "What insurance do you accept?",
            "We accept most PPO plans, including Delta Dental, Cigna, Aetna and MetLife. We can check your coverage before your visit.",
        ),
        entry(
            2,
            "Do you accept walk-ins?",
            "We keep a few same-day slots for walk-ins each morning, but appointments are recommended.",
        ),
        entry(
            3,
            "How much does a teeth cleaning cost?",
            "A routine cleaning and exam is $120 without insurance.",
        ),
        entry(
            4,
            "Do you offer teeth whitening?",
            "Yes, we offer in-office whitening for $350 and take-home kits for $200.",
        ),
        entry(
            5,
            "Are you accepting new patients?",
            "Yes, we are welcoming new patients of all ages, including children.",
        ),
        entry(
            6,
            "Where can I park?",
            "Free parking is available behind the building, entrance on Oak Street.",
        ),
        entry(
            7,
            "What is your cancellation policy?",
            "Please give us 24 hours notice to cancel or reschedule, otherwise a $50 fee applies.",
        ),
        entry(
            8,
            "Do you handle dental emergencies?",
            "Yes, call us first thing in the morning and we will see you the same day for emergencies like a broken tooth or severe pain.",
        ),
    ])
}

pub(super) fn plumber_kb() -> KnowledgeIndex {
    KnowledgeIndex::build(vec![
        entry(
            11,
            "Do you offer emergency plumbing service?",
            "Yes, we offer 24/7 emergency service for burst pipes, major leaks and sewer backups.",
        ),
        entry(
            12,
            "What areas do you serve?",
            "We serve Springfield, Shelbyville and Capital City.",
        ),
        entry(
            13,
            "How much do you charge for a service call?",
            "Our service call fee is $89, which is waived if you go ahead with the repair.",
        ),
        entry(
            14,
            "Do you give free estimates?",
            "Yes, estimates for installations and remodels are free.",
        ),
        entry(
            15,
            "Do you install water heaters?",
            "Yes, we install and repair tank and tankless water heaters.",
        ),
        entry(
            16,
            "Are you licensed and insured?",
            "Yes, we are fully licensed and insured, license number PL-12345.",
        ),
        entry(
            17,
            "Do you fix clogged drains?",
            "Yes, we clear clogged drains, toilets and sewer lines.",
        ),
        entry(
            18,
            "Do you offer a warranty?",
            "All repairs come with a one-year parts and labour warranty.",
        ),
    ])
}

pub(super) fn profile() -> TenantProfile {
    TenantProfile {
        name: "Bright Smile Dental".into(),
        greeting: None,
        disclosure: None,
        address: Some("12 Oak Street".into()),
        contact_email: Some("hello@brightsmile.example".into()),
        contact_phone: Some("+15551230000".into()),
        website: Some("brightsmile.example".into()),
        transfer_number: Some("+15551230001".into()),
        departments: vec![
            Department {
                name: "Billing".into(),
                phone: Some("+15551230002".into()),
                keywords: vec!["bill".into(), "invoice".into(), "payment".into()],
            },
            Department {
                name: "Scheduling Department".into(),
                phone: None,
                keywords: vec!["appointment desk".into()],
            },
        ],
        hours: [None; 7],
        closures: Vec::new(),
        emergency_number: "911".into(),
        staff_languages: Vec::new(),
        limits: Limits::default(),
    }
}

pub(super) fn hear(text: &str) -> Interpretation {
    interpret(text, Expecting::Anything, &profile(), &dental_kb(), 1)
}

pub(super) fn hear_when(expecting: Expecting, text: &str) -> Interpretation {
    interpret(text, expecting, &profile(), &dental_kb(), 1)
}

/// What the rules hear in a call that has already taken down `lead`.
pub(super) fn hear_in_call(expecting: Expecting, text: &str, lead: &Details) -> Interpretation {
    interpret_in_call(text, expecting, &profile(), &dental_kb(), 1, lead, None)
}

pub(super) fn ask_plumber(text: &str) -> Interpretation {
    interpret(text, Expecting::Anything, &profile(), &plumber_kb(), 1)
}
