//! Tenants: the businesses an installation answers for, with their numbers,
//! hours, departments and knowledge base.

pub mod admin;
pub mod changes;
pub mod cli;
pub mod directory;
pub mod file;
pub mod pages;
pub mod removal;
pub mod seed;
pub mod settings_form;
pub mod store;
pub mod team;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::conversation::profile::{Closure, Department};
use crate::db::DbConnection;
use crate::ids::TenantId;
use crate::schema::{
    business_hours, closures, departments, knowledge_entries, phone_numbers, tenants,
};

/// A tenant row: the business profile and its limits.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tenants)]
pub struct Tenant {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
    pub timezone: String,
    pub language: String,
    pub voice: String,
    pub greeting: Option<String>,
    pub disclosure: Option<String>,
    pub address: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub website: Option<String>,
    pub transfer_number: Option<String>,
    pub emergency_number: String,
    pub twilio_auth_token: Option<String>,
    /// JSON array of addresses.
    pub notification_emails: String,
    pub send_call_summaries: bool,
    pub retention_days: Option<i32>,
    pub max_turns: i32,
    pub max_call_seconds: i32,
    pub max_concurrent_calls: i32,
    pub calls_per_hour_per_caller: i32,
    pub transfer_timeout_seconds: i32,
    pub allow_anonymous: bool,
    /// Bumped on every change to the tenant or its numbers, hours,
    /// departments or knowledge, so cached call configuration can be reused
    /// until it changes.
    pub config_version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Twilio's `<Gather speechModel>` for the tenant's calls.
    pub speech_model: String,
    /// JSON array of ISO 639-1 codes the staff speak besides English.
    pub staff_languages: String,
    /// The LLM model the tenant's calls use; `None` means `OPENAI_MODEL`.
    pub llm_model: Option<String>,
    /// Set by the super admin: the tenant's numbers say the business cannot
    /// take calls and hang up.
    pub disabled: bool,
}

/// The tenant's departments, in the order they were defined.
pub fn departments_of(
    conn: &mut DbConnection,
    tenant_id: TenantId,
) -> QueryResult<Vec<Department>> {
    Ok(departments::table
        .filter(departments::tenant_id.eq(tenant_id))
        .order(departments::position)
        .select((departments::name, departments::phone, departments::keywords))
        .load::<(String, Option<String>, String)>(conn)?
        .into_iter()
        .map(|(name, phone, keywords)| Department {
            name,
            phone,
            keywords: serde_json::from_str(&keywords).unwrap_or_default(),
        })
        .collect())
}

/// The tenant's active knowledge entries as (question, answer), in the order
/// they were defined.
pub fn knowledge_answers(
    conn: &mut DbConnection,
    tenant_id: TenantId,
) -> QueryResult<Vec<(String, String)>> {
    knowledge_entries::table
        .filter(knowledge_entries::tenant_id.eq(tenant_id))
        .filter(knowledge_entries::active.eq(true))
        .order(knowledge_entries::id)
        .select((knowledge_entries::question, knowledge_entries::answer))
        .load(conn)
}

/// The numbers the tenant answers, in the order they were added.
pub fn numbers_of(conn: &mut DbConnection, tenant_id: TenantId) -> QueryResult<Vec<String>> {
    phone_numbers::table
        .filter(phone_numbers::tenant_id.eq(tenant_id))
        .order(phone_numbers::id)
        .select(phone_numbers::number)
        .load(conn)
}

/// The tenant's opening hours, Monday first.
pub fn hours_of(conn: &mut DbConnection, tenant_id: TenantId) -> QueryResult<file::WeeklyHours> {
    let mut hours: file::WeeklyHours = [None; 7];
    let rows: Vec<(i16, i32, i32)> = business_hours::table
        .filter(business_hours::tenant_id.eq(tenant_id))
        .select((
            business_hours::weekday,
            business_hours::open_minute,
            business_hours::close_minute,
        ))
        .load(conn)?;
    for (day, open, close) in rows {
        let slot = usize::try_from(day).ok().and_then(|day| hours.get_mut(day));
        if let (Some(slot), Ok(open), Ok(close)) = (slot, u16::try_from(open), u16::try_from(close))
        {
            *slot = Some((open, close));
        }
    }
    Ok(hours)
}

/// The tenant's holidays and other closures, earliest first.
pub fn closures_of(conn: &mut DbConnection, tenant_id: TenantId) -> QueryResult<Vec<Closure>> {
    Ok(closures::table
        .filter(closures::tenant_id.eq(tenant_id))
        .order((closures::first_day, closures::id))
        .select((closures::first_day, closures::last_day, closures::name))
        .load::<(chrono::NaiveDate, chrono::NaiveDate, Option<String>)>(conn)?
        .into_iter()
        .map(|(first_day, last_day, name)| Closure {
            first_day,
            last_day,
            name,
        })
        .collect())
}

impl Tenant {
    pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<Tenant>> {
        tenants::table
            .filter(tenants::slug.eq(slug))
            .select(Tenant::as_select())
            .first(conn)
            .optional()
    }

    pub fn find(conn: &mut DbConnection, id: TenantId) -> QueryResult<Tenant> {
        tenants::table
            .find(id)
            .select(Tenant::as_select())
            .first(conn)
    }

    pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
        tenants::table.count().get_result(conn)
    }

    pub fn notification_email_list(&self) -> Vec<String> {
        serde_json::from_str(&self.notification_emails).unwrap_or_default()
    }

    /// The languages the staff speak besides English ("es").
    pub fn staff_language_list(&self) -> Vec<String> {
        serde_json::from_str(&self.staff_languages).unwrap_or_default()
    }
}
