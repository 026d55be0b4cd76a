//! Reading a tenant back into the tenant file format.

use diesel::prelude::*;

use crate::calls::columns::Json;
use crate::db::DbConnection;
use crate::schema::{blocked_numbers, knowledge_entries, phone_numbers, users};
use crate::tenants::Tenant;
use crate::tenants::file::{self, TenantFile};
use crate::users::Role;

/// Reads a tenant back into the file format (no passwords, no token).
pub fn export(conn: &mut DbConnection, slug: &str) -> anyhow::Result<Option<TenantFile>> {
    match Tenant::find_by_slug(conn, slug)? {
        Some(tenant) => export_tenant(conn, tenant).map(Some),
        None => Ok(None),
    }
}

/// [`export`] of a tenant already read.
pub fn export_tenant(conn: &mut DbConnection, tenant: Tenant) -> anyhow::Result<TenantFile> {
    let numbers: Vec<String> = phone_numbers::table
        .filter(phone_numbers::tenant_id.eq(tenant.id))
        .order(phone_numbers::id)
        .select(phone_numbers::number)
        .load(conn)?;
    let hours = crate::tenants::hours_of(conn, tenant.id)?;
    let departments = crate::tenants::departments_of(conn, tenant.id)?;
    let closures = crate::tenants::closures_of(conn, tenant.id)?;
    let knowledge = knowledge_entries::table
        .filter(knowledge_entries::tenant_id.eq(tenant.id))
        .order(knowledge_entries::id)
        .select((
            knowledge_entries::question,
            knowledge_entries::answer,
            knowledge_entries::category,
            knowledge_entries::priority,
            knowledge_entries::active,
            knowledge_entries::also_asked,
        ))
        .load::<(String, String, Option<String>, i32, bool, Json<Vec<String>>)>(conn)?
        .into_iter()
        .map(
            |(question, answer, category, priority, active, Json(also_asked))| {
                file::KnowledgeEntry {
                    question,
                    answer,
                    category,
                    priority,
                    active,
                    also_asked,
                }
            },
        )
        .collect();
    let admins = users::table
        .filter(users::tenant_id.eq(tenant.id))
        .filter(users::role.eq(Role::TenantAdmin.as_str()))
        .order(users::id)
        .select(users::email)
        .load::<String>(conn)?
        .into_iter()
        .map(|email| file::Admin {
            email,
            password: None,
        })
        .collect();
    let blocked_numbers = blocked_numbers::table
        .filter(blocked_numbers::tenant_id.eq(tenant.id))
        .order(blocked_numbers::id)
        .select(blocked_numbers::number)
        .load(conn)?;
    let as_u32 = |v: i32| u32::try_from(v).unwrap_or(0);
    Ok(TenantFile {
        timezone: tenant
            .timezone
            .parse()
            .map_err(|_| anyhow::anyhow!("stored timezone {} is unknown", tenant.timezone))?,
        notification_emails: tenant.notification_email_list(),
        staff_languages: tenant.staff_language_list(),
        slug: tenant.slug,
        name: tenant.name,
        language: tenant.language,
        voice: tenant.voice,
        speech_model: tenant.speech_model,
        llm_model: tenant.llm_model,
        greeting: tenant.greeting,
        disclosure: tenant.disclosure,
        transfer_number: tenant.transfer_number,
        emergency_number: tenant.emergency_number,
        twilio_auth_token: None,
        address: tenant.address,
        contact_email: tenant.contact_email,
        contact_phone: tenant.contact_phone,
        website: tenant.website,
        send_call_summaries: tenant.send_call_summaries,
        retention_days: tenant.retention_days.map(as_u32),
        numbers,
        hours,
        departments,
        closures,
        knowledge,
        admins,
        limits: file::Limits {
            max_turns: as_u32(tenant.max_turns),
            max_call_seconds: as_u32(tenant.max_call_seconds),
            max_concurrent_calls: as_u32(tenant.max_concurrent_calls),
            calls_per_hour_per_caller: as_u32(tenant.calls_per_hour_per_caller),
            transfer_timeout_seconds: as_u32(tenant.transfer_timeout_seconds),
        },
        protection: file::Protection {
            allow_anonymous: tenant.allow_anonymous,
            blocked_numbers,
        },
        source: file::SourceLines::default(),
    })
}
