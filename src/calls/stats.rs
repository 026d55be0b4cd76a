//! The overview's figures for one tenant, counted in the tenant's days and
//! hours.
//!
//! The last 30 days of calls are read once as a compact list (start,
//! outcome, end, duration: no text) on the `(tenant_id, started_at)` index,
//! and every call figure is counted from it in Rust: day and hour buckets
//! in the tenant's zone (DST included) have no portable SQL. At most
//! `MAX_CALLS_READ` calls are read, the newest; beyond that (over 1,600 a
//! day) the figures cover the newest calls only and `truncated` says so.
//!
//! Test calls (the owner trying the receptionist from the dashboard) are
//! left out of every figure and chart, and so are the messages left on
//! them; `test_calls_30_days` says how many there were.
//!
//! Definitions:
//! - A *conversation* is a call that reached the receptionist and is over:
//!   it has an outcome, and not a refusal (`spam_blocked`, `busy`).
//! - *Transfer rate*: conversations whose outcome is `transferred` (the
//!   caller was put through to a person).
//! - *Answered rate*: conversations whose outcome is `answered`. The
//!   conversation records `answered` when the receptionist answered a
//!   question from the knowledge base or the business profile (hours,
//!   address, contact) and nothing weightier followed (a message, a
//!   transfer, an emergency outrank it). Its farewell also records it for a
//!   caller who only said hello and goodbye, so this is the share of callers
//!   the receptionist handled alone, an upper bound on questions answered;
//!   the call's summary, read from the transcript, tells the two apart.
//! - *Average duration*: over ended calls, Twilio's duration, else the
//!   time to the end the receptionist recorded.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use diesel::dsl::{exists, not};
use diesel::prelude::*;

use super::local_time::{day_start, local_date, local_hour};
use super::search::{self, CallRow, OutcomeFilter, duration_of};
use crate::conversation::state::Outcome;
use crate::db::DbConnection;
use crate::ids::TenantId;
use crate::leads::list::{self as lead_list, LeadRow, LeadStatus};
use crate::mail::health::{self, EmailProblem};
use crate::schema::{calls, leads};

/// Days the overview covers, today included.
pub const WINDOW_DAYS: u32 = 30;
/// Calls read for the figures at most (see the module's documentation).
pub const MAX_CALLS_READ: i64 = 50_000;
/// Latest calls and leads listed.
pub const LATEST: i64 = 5;

/// `part` of `whole`, e.g. transferred calls of all conversations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rate {
    pub part: u32,
    pub whole: u32,
}

impl Rate {
    /// Rounded to a whole percent; `None` when there is nothing to divide.
    pub fn percent(self) -> Option<u32> {
        (self.whole > 0).then(|| {
            let (part, whole) = (u64::from(self.part), u64::from(self.whole));
            u32::try_from((part * 100 + whole / 2) / whole).unwrap_or(100)
        })
    }
}

/// Everything the overview page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    /// The tenant's date today.
    pub today: NaiveDate,
    pub calls_today: u32,
    /// Today and the 6 days before.
    pub calls_7_days: u32,
    /// Today and the 29 days before.
    pub calls_30_days: u32,
    /// Leads left in the last 30 days (on phone calls).
    pub leads_30_days: i64,
    /// Leads of any age no one has contacted yet (status `new`).
    pub leads_new: i64,
    pub transfer_rate: Rate,
    pub answered_rate: Rate,
    /// Seconds, over the 30 days' ended calls.
    pub average_duration: Option<i64>,
    /// Calls started in each hour of the tenant's day (0-23), 30 days.
    pub busiest_hours: [u32; 24],
    /// One entry per day of the window, oldest first, days without calls
    /// included.
    pub calls_per_day: Vec<(NaiveDate, u32)>,
    /// Calls by outcome (`None`: in progress), 30 days, in the order of
    /// `OutcomeFilter::ALL`; outcomes with no call are left out.
    pub outcomes: Vec<(Option<Outcome>, u32)>,
    pub latest_calls: Vec<CallRow>,
    pub latest_leads: Vec<LeadRow>,
    /// Lead and summary emails not delivered in the last 30 days.
    pub email_problems: Vec<EmailProblem>,
    /// More than `MAX_CALLS_READ` calls in the window: the call figures
    /// cover the newest only.
    pub truncated: bool,
    /// Test calls in the window, left out of everything above.
    pub test_calls_30_days: i64,
}

/// The compact form of a call the figures are counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallFact {
    pub started_at: NaiveDateTime,
    pub outcome: Option<Outcome>,
    pub ended_at: Option<NaiveDateTime>,
    pub duration_seconds: Option<i32>,
}

impl Overview {
    /// The tenant's overview at `now` (UTC) in its zone `tz`: ten queries,
    /// each on an index.
    pub fn load(
        conn: &mut DbConnection,
        tenant_id: TenantId,
        tz: Tz,
        now: NaiveDateTime,
    ) -> QueryResult<Overview> {
        let today = local_date(tz, now);
        let first_day = today - Duration::days(i64::from(WINDOW_DAYS) - 1);
        let since = day_start(tz, first_day);
        let mut facts: Vec<CallFact> = calls::table
            .filter(calls::tenant_id.eq(tenant_id))
            .filter(calls::started_at.ge(since))
            .filter(calls::is_test.eq(false))
            .order(calls::started_at.desc())
            .limit(MAX_CALLS_READ + 1)
            .select((
                calls::started_at,
                calls::outcome,
                calls::ended_at,
                calls::duration_seconds,
            ))
            .load::<(
                NaiveDateTime,
                Option<Outcome>,
                Option<NaiveDateTime>,
                Option<i32>,
            )>(conn)?
            .into_iter()
            .map(
                |(started_at, outcome, ended_at, duration_seconds)| CallFact {
                    started_at,
                    outcome,
                    ended_at,
                    duration_seconds,
                },
            )
            .collect();
        let truncated = facts.len() as i64 > MAX_CALLS_READ;
        facts.truncate(usize::try_from(MAX_CALLS_READ).unwrap_or(usize::MAX));
        let leads_30_days = leads::table
            .filter(leads::tenant_id.eq(tenant_id))
            .filter(leads::created_at.ge(since))
            .filter(not(exists(
                calls::table
                    .filter(calls::id.nullable().eq(leads::call_id))
                    .filter(calls::is_test.eq(true)),
            )))
            .count()
            .get_result(conn)?;
        let test_calls_30_days = calls::table
            .filter(calls::tenant_id.eq(tenant_id))
            .filter(calls::started_at.ge(since))
            .filter(calls::is_test.eq(true))
            .count()
            .get_result(conn)?;
        let leads_new = leads::table
            .filter(leads::tenant_id.eq(tenant_id))
            .filter(leads::status.eq(LeadStatus::New.as_str()))
            .count()
            .get_result(conn)?;
        let figures = Figures::count(&facts, tz, today);
        Ok(Overview {
            today,
            calls_today: figures.calls_today,
            calls_7_days: figures.calls_7_days,
            calls_30_days: figures.calls_30_days,
            leads_30_days,
            leads_new,
            transfer_rate: figures.transfer_rate,
            answered_rate: figures.answered_rate,
            average_duration: figures.average_duration,
            busiest_hours: figures.busiest_hours,
            calls_per_day: figures.calls_per_day,
            outcomes: figures.outcomes,
            latest_calls: search::latest(conn, tenant_id, LATEST)?,
            latest_leads: lead_list::latest(conn, tenant_id, LATEST)?,
            email_problems: health::problems(conn, tenant_id, since)?,
            truncated,
            test_calls_30_days,
        })
    }
}

/// The call figures of the window ending `today` (the tenant's date).
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub calls_today: u32,
    pub calls_7_days: u32,
    pub calls_30_days: u32,
    pub transfer_rate: Rate,
    pub answered_rate: Rate,
    pub average_duration: Option<i64>,
    pub busiest_hours: [u32; 24],
    pub calls_per_day: Vec<(NaiveDate, u32)>,
    pub outcomes: Vec<(Option<Outcome>, u32)>,
}

impl Figures {
    /// Counts `facts` (calls started since the window's first day began)
    /// by the tenant's days and hours.
    pub fn count(facts: &[CallFact], tz: Tz, today: NaiveDate) -> Figures {
        let first_day = today - Duration::days(i64::from(WINDOW_DAYS) - 1);
        let week_start = today - Duration::days(6);
        let mut per_day: Vec<(NaiveDate, u32)> = first_day
            .iter_days()
            .take_while(|d| *d <= today)
            .map(|d| (d, 0))
            .collect();
        let mut busiest_hours = [0u32; 24];
        let mut by_outcome: Vec<(Option<Outcome>, u32)> = OutcomeFilter::ALL
            .iter()
            .map(|f| match f {
                OutcomeFilter::Is(o) => (Some(*o), 0),
                OutcomeFilter::InProgress => (None, 0),
            })
            .collect();
        let (mut transferred, mut answered, mut conversations) = (0u32, 0u32, 0u32);
        let (mut seconds, mut ended) = (0i64, 0i64);
        let mut counted = (0u32, 0u32, 0u32);
        for fact in facts {
            let day = local_date(tz, fact.started_at);
            let Ok(index) = usize::try_from((day - first_day).num_days()) else {
                continue;
            };
            let Some((_, calls)) = per_day.get_mut(index) else {
                continue;
            };
            *calls += 1;
            counted.2 += 1;
            if day >= week_start {
                counted.1 += 1;
            }
            if day == today {
                counted.0 += 1;
            }
            if let Some(hour) = busiest_hours.get_mut(local_hour(tz, fact.started_at) as usize) {
                *hour += 1;
            }
            if let Some((_, n)) = by_outcome.iter_mut().find(|(o, _)| *o == fact.outcome) {
                *n += 1;
            }
            if let Some(outcome) = fact.outcome
                && !matches!(outcome, Outcome::SpamBlocked | Outcome::Busy)
            {
                conversations += 1;
                transferred += u32::from(outcome == Outcome::Transferred);
                answered += u32::from(outcome == Outcome::Answered);
            }
            if let Some(length) = duration_of(fact.started_at, fact.ended_at, fact.duration_seconds)
            {
                seconds += length;
                ended += 1;
            }
        }
        by_outcome.retain(|(_, n)| *n > 0);
        Figures {
            calls_today: counted.0,
            calls_7_days: counted.1,
            calls_30_days: counted.2,
            transfer_rate: Rate {
                part: transferred,
                whole: conversations,
            },
            answered_rate: Rate {
                part: answered,
                whole: conversations,
            },
            average_duration: (ended > 0).then(|| (seconds + ended / 2) / ended),
            busiest_hours,
            calls_per_day: per_day,
            outcomes: by_outcome,
        }
    }
}
