//! Listing the installation's tenants and deleting one with everything it
//! owns (`frontdesk tenant list` / `frontdesk tenant delete`).
//!
//! A tenant's rows hang off it by foreign keys that cascade (numbers, hours,
//! departments, knowledge, blocked numbers, users and their sessions, calls
//! and their turns, leads, LLM use, mail deliveries); its jobs name it only
//! in their payload and are deleted here. Audit entries stay: they outlive
//! what they describe, and the deletion itself is one of them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Tenant;
use crate::audit::{self, Action, Change};
use crate::db::{DbConnection, write_transaction};
use crate::ids::TenantId;
use crate::schema::{calls, knowledge_entries, leads, tenants, users};

/// A tenant and how much it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantSummary {
    pub slug: String,
    pub name: String,
    pub numbers: Vec<String>,
    pub holdings: Holdings,
    pub created_at: NaiveDateTime,
}

/// What deleting a tenant deletes, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Holdings {
    pub users: i64,
    pub calls: i64,
    pub leads: i64,
    pub knowledge_entries: i64,
    pub jobs: usize,
}

impl std::fmt::Display for Holdings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} user(s), {} call(s), {} lead(s), {} knowledge entries, {} job(s)",
            self.users, self.calls, self.leads, self.knowledge_entries, self.jobs
        )
    }
}

/// Every tenant, by slug.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<TenantSummary>> {
    let rows: Vec<(TenantId, String, String, NaiveDateTime)> = tenants::table
        .order(tenants::slug)
        .select((
            tenants::id,
            tenants::slug,
            tenants::name,
            tenants::created_at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, slug, name, created_at)| {
            Ok(TenantSummary {
                slug,
                name,
                numbers: super::numbers_of(conn, id)?,
                holdings: holdings(conn, id)?,
                created_at,
            })
        })
        .collect()
}

/// The tenant with `slug` and what deleting it would delete.
pub fn find(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<TenantSummary>> {
    Ok(list(conn)?.into_iter().find(|t| t.slug == slug))
}

fn holdings(conn: &mut DbConnection, id: TenantId) -> QueryResult<Holdings> {
    Ok(Holdings {
        users: users::table
            .filter(users::tenant_id.eq(id))
            .count()
            .get_result(conn)?,
        calls: calls::table
            .filter(calls::tenant_id.eq(id))
            .count()
            .get_result(conn)?,
        leads: leads::table
            .filter(leads::tenant_id.eq(id))
            .count()
            .get_result(conn)?,
        knowledge_entries: knowledge_entries::table
            .filter(knowledge_entries::tenant_id.eq(id))
            .count()
            .get_result(conn)?,
        jobs: crate::jobs::ids_for_tenant(conn, id)?.len(),
    })
}

/// Deletes the tenant with `slug` and everything it owns in one
/// transaction, with an audit entry by `change`. `None`: no such tenant.
/// Its numbers stop being answered as soon as the instances' short-lived
/// number caches expire (seconds).
pub fn delete(
    conn: &mut DbConnection,
    slug: &str,
    change: &Change,
) -> QueryResult<Option<Holdings>> {
    write_transaction(conn, |conn| {
        let Some(tenant) = Tenant::find_by_slug(conn, slug)? else {
            return Ok(None);
        };
        let mut deleted = holdings(conn, tenant.id)?;
        let numbers = super::numbers_of(conn, tenant.id)?;
        deleted.jobs = crate::jobs::delete_for_tenant(conn, tenant.id)?;
        diesel::delete(tenants::table.find(tenant.id)).execute(conn)?;
        audit::record(
            conn,
            change,
            Action::TenantDeleted,
            &format!(
                "{} ({}), numbers {}: {deleted}",
                tenant.slug,
                tenant.name,
                if numbers.is_empty() {
                    "none".to_owned()
                } else {
                    numbers.join(", ")
                }
            ),
        )?;
        Ok(Some(deleted))
    })
}
