//! The dashboard's lead pages: the lead list (`list`), the inline status
//! change (`status`) and the CSV download (`download`). Shared here: how a
//! lead reads on a page, which the call page's lead card uses too.

pub mod download;
pub mod list;
pub mod status;

use chrono_tz::Tz;

use super::list::{LeadRow, LeadStatus};
use crate::web::format;
use crate::web::listing::Choice;

/// A lead as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadView {
    pub id: i64,
    /// The call it was left on (gone once the call is deleted).
    pub call_id: Option<i64>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub tel_href: Option<String>,
    pub email: Option<String>,
    pub mailto_href: Option<String>,
    pub reason: Option<String>,
    pub department: Option<String>,
    pub urgent: bool,
    /// The caller confirmed the message (false: they hung up before).
    pub complete: bool,
    pub status: LeadStatus,
    /// Received, in the tenant's zone.
    pub received: String,
}

impl LeadView {
    pub fn new(lead: &LeadRow, tz: Tz) -> LeadView {
        let present = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let phone = present(&lead.phone);
        let email = present(&lead.email);
        LeadView {
            id: lead.id.0,
            call_id: lead.call_id.map(|id| id.0),
            name: present(&lead.name),
            tel_href: phone.as_deref().and_then(format::tel_href),
            phone,
            mailto_href: email.as_deref().and_then(format::mailto_href),
            email,
            reason: present(&lead.reason),
            department: present(&lead.department),
            urgent: lead.urgent,
            complete: lead.complete,
            status: lead.status,
            received: format::short_time(tz, lead.created_at),
        }
    }

    pub fn status_label(&self) -> &'static str {
        self.status.label()
    }

    /// The status badge's class (`new`, `contacted`, `closed`).
    pub fn status_class(&self) -> &'static str {
        self.status.as_str()
    }

    /// The status form's choices, this lead's selected.
    pub fn status_choices(&self) -> Vec<Choice> {
        LeadStatus::ALL
            .into_iter()
            .map(|s| Choice {
                value: s.as_str(),
                label: s.label(),
                selected: s == self.status,
            })
            .collect()
    }

    pub fn status_action(&self) -> String {
        format!("/leads/{}/status", self.id)
    }

    pub fn call_href(&self) -> Option<String> {
        self.call_id.map(|id| format!("/calls/{id}"))
    }

    /// The name, or what stands for it when the caller gave none.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or("No name given")
    }
}
