//! The tenant facts the conversation needs, loaded once per tenant version and
//! shared between turns (no I/O here: the web layer builds it from the database).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub name: String,
    /// E.164 number transfers to this department ring; `None` = messages only.
    pub phone: Option<String>,
    /// Lower-case words that route a caller here ("bill", "invoice").
    pub keywords: Vec<String>,
}

impl Department {
    /// The business's own emergency line: a department whose name or
    /// keywords say it takes urgent work ("Emergency Dispatch", "After-hours
    /// on-call vet", "Urgent care"). Its own phone rings also outside
    /// business hours.
    pub fn handles_urgent(&self) -> bool {
        const URGENT: &[&str] = &[
            "emergency",
            "emergencies",
            "urgent",
            "after hours",
            "after-hours",
            "afterhours",
            "on call",
            "on-call",
            "oncall",
            "24/7",
            "24 hour",
            "24-hour",
        ];
        let name = self.name.to_lowercase();
        URGENT.iter().any(|u| name.contains(u))
            || self
                .keywords
                .iter()
                .any(|k| matches!(k.trim().to_lowercase().as_str(), "emergency" | "urgent"))
    }
}

/// Opening hours for one weekday, minutes since local midnight, `open < close`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenSpan {
    pub open_minute: u16,
    pub close_minute: u16,
}

/// A moment in the tenant's own time zone, as the hours are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LocalTime {
    /// 0 = Monday … 6 = Sunday, the index into `TenantProfile::hours`.
    pub weekday: usize,
    /// Minutes since local midnight.
    pub minute: u16,
    /// The local date, for holidays and other closures.
    #[serde(default)]
    pub date: NaiveDate,
}

/// Days the business is closed whatever its weekly hours say: a holiday
/// ("Christmas", one day) or a closure over several days, in the tenant's
/// time zone, both ends included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// What callers hear it called ("Christmas"); `None` = just "closed".
    pub name: Option<String>,
}

impl Closure {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.first_day <= date && date <= self.last_day
    }
}

impl TenantProfile {
    /// The department that takes the business's urgent work, if any.
    pub fn urgent_department(&self) -> Option<usize> {
        self.departments.iter().position(Department::handles_urgent)
    }

    /// The closure that covers `date`, if the business is closed that day.
    pub fn closure_on(&self, date: NaiveDate) -> Option<&Closure> {
        self.closures.iter().find(|closure| closure.covers(date))
    }

    /// Whether the business is open at `at` by its configured hours and
    /// closures.
    pub fn is_open_at(&self, at: LocalTime) -> bool {
        self.closure_on(at.date).is_none()
            && self
                .hours
                .get(at.weekday)
                .copied()
                .flatten()
                .is_some_and(|span| span.open_minute <= at.minute && at.minute < span.close_minute)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantProfile {
    pub name: String,
    /// Spoken first; `None` = built from the name.
    pub greeting: Option<String>,
    /// Optional disclosure ("This call may be recorded; I'm an automated assistant.").
    pub disclosure: Option<String>,
    pub address: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub website: Option<String>,
    /// Main line for "talk to a person"; `None` = no live transfers.
    pub transfer_number: Option<String>,
    pub departments: Vec<Department>,
    /// Monday first; `None` = closed that day.
    pub hours: [Option<OpenSpan>; 7],
    /// Holidays and other closed days, earliest first.
    #[serde(default)]
    pub closures: Vec<Closure>,
    /// Local emergency number said in the emergency instruction ("911").
    pub emergency_number: String,
    /// Languages the staff speak besides English ("es"): a caller speaking
    /// one is put through while someone can take the call.
    pub staff_languages: Vec<String>,
    pub limits: Limits,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    pub max_turns: u32,
    pub max_call_seconds: u32,
    /// Seconds a `<Dial>` rings before giving up.
    pub transfer_timeout_seconds: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_turns: 20,
            max_call_seconds: 600,
            transfer_timeout_seconds: 20,
        }
    }
}
