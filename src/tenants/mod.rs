//! Tenants: the businesses an installation answers for, with their numbers,
//! hours, departments and knowledge base.

pub mod cli;
pub mod directory;
pub mod file;
pub mod seed;
pub mod store;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::ids::TenantId;
use crate::schema::tenants;

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
}
