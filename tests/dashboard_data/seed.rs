//! Rows written straight into the database, for figures that need exact
//! times and outcomes.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use frontdesk::calls::Conversation;
use frontdesk::calls::columns::to_json;
use frontdesk::db::DbConnection;
use frontdesk::ids::{CallId, LeadId, TenantId};
use frontdesk::schema::{calls, jobs, leads, mail_deliveries};

use crate::common::TestApp;
use crate::common::calls::{TENANT_NUMBER, TenantToml};

pub const OTHER_NUMBER: &str = "+15005550007";

/// Tenant A (America/New_York, answering `TENANT_NUMBER`) and tenant B.
pub async fn two_tenants(app: &TestApp) -> (TenantId, TenantId) {
    let a = TenantToml::always_open().import(app).await;
    let b = TenantToml {
        slug: "other-dental".to_owned(),
        number: OTHER_NUMBER.to_owned(),
        ..TenantToml::always_open()
    }
    .import(app)
    .await;
    (a, b)
}

pub fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

/// A call as stored; `outcome` by name, `None` for one in progress.
#[derive(Debug, Clone)]
pub struct SeedCall {
    pub from: String,
    pub started_at: NaiveDateTime,
    pub outcome: Option<&'static str>,
    pub duration_seconds: Option<i32>,
    pub summary: Option<String>,
}

impl SeedCall {
    pub fn at(started_at: &str, outcome: Option<&'static str>) -> SeedCall {
        SeedCall {
            from: "+15550001111".to_owned(),
            started_at: at(started_at),
            outcome,
            duration_seconds: outcome.map(|_| 60),
            summary: None,
        }
    }
}

pub fn insert_call(conn: &mut DbConnection, tenant: TenantId, call: &SeedCall) -> CallId {
    let ended = call
        .outcome
        .map(|_| call.started_at + chrono::Duration::seconds(60));
    let sid = frontdesk::simulator::random_call_sid();
    diesel::insert_into(calls::table)
        .values((
            calls::tenant_id.eq(tenant),
            calls::call_sid.eq(sid),
            calls::from_number.eq(&call.from),
            calls::to_number.eq(TENANT_NUMBER),
            calls::state.eq(if ended.is_some() { "ended" } else { "intent" }),
            calls::status.eq(if ended.is_some() {
                "completed"
            } else {
                "in-progress"
            }),
            calls::outcome.eq(call.outcome),
            calls::memory.eq(to_json(&Conversation::default())),
            calls::turn_count.eq(1),
            calls::started_at.eq(call.started_at),
            calls::ended_at.eq(ended),
            calls::duration_seconds.eq(call.duration_seconds),
            calls::summary.eq(&call.summary),
            calls::updated_at.eq(call.started_at),
        ))
        .returning(calls::id)
        .get_result(conn)
        .unwrap()
}

/// A lead as stored.
#[derive(Debug, Clone, Default)]
pub struct SeedLead {
    pub call: Option<CallId>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub reason: Option<String>,
    pub urgent: bool,
    pub created_at: Option<NaiveDateTime>,
}

pub fn insert_lead(conn: &mut DbConnection, tenant: TenantId, lead: &SeedLead) -> LeadId {
    let created = lead.created_at.unwrap_or_else(|| at("2026-03-01 12:00"));
    diesel::insert_into(leads::table)
        .values((
            leads::tenant_id.eq(tenant),
            leads::call_id.eq(lead.call),
            leads::name.eq(&lead.name),
            leads::phone.eq(&lead.phone),
            leads::email.eq(&lead.email),
            leads::reason.eq(&lead.reason),
            leads::status.eq("new"),
            leads::complete.eq(true),
            leads::urgent.eq(lead.urgent),
            leads::created_at.eq(created),
            leads::updated_at.eq(created),
        ))
        .returning(leads::id)
        .get_result(conn)
        .unwrap()
}

pub fn insert_delivery(
    conn: &mut DbConnection,
    tenant: TenantId,
    key: &str,
    recipient: &str,
    status: &str,
    error: Option<&str>,
    when: NaiveDateTime,
) {
    diesel::insert_into(mail_deliveries::table)
        .values((
            mail_deliveries::tenant_id.eq(tenant),
            mail_deliveries::job_key.eq(key),
            mail_deliveries::recipient.eq(recipient),
            mail_deliveries::status.eq(status),
            mail_deliveries::attempts.eq(3),
            mail_deliveries::last_error.eq(error),
            mail_deliveries::updated_at.eq(when),
        ))
        .execute(conn)
        .unwrap();
}

/// A lead email job that gave up at `when`.
pub fn insert_dead_lead_job(
    conn: &mut DbConnection,
    tenant: TenantId,
    lead: LeadId,
    error: &str,
    when: NaiveDateTime,
) {
    let payload =
        serde_json::json!({"kind": "lead_notification", "tenant_id": tenant.0, "lead_id": lead.0});
    diesel::insert_into(jobs::table)
        .values((
            jobs::kind.eq("lead_notification"),
            jobs::payload.eq(payload.to_string()),
            jobs::unique_key.eq(format!("lead-email:{lead}")),
            jobs::status.eq("dead"),
            jobs::priority.eq(10),
            jobs::attempts.eq(7),
            jobs::max_attempts.eq(10),
            jobs::run_at.eq(when),
            jobs::last_error.eq(error),
            jobs::created_at.eq(when),
            jobs::finished_at.eq(when),
            jobs::give_up_at.eq(when),
        ))
        .execute(conn)
        .unwrap();
}
