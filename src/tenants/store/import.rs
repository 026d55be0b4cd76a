//! Applying a tenant file to the database: one transaction, idempotent.

use std::collections::HashMap;

use diesel::prelude::*;

use super::admins::{AdminSecret, admin_secrets, sync_admins};
use crate::audit::{self, Action, Change};
use crate::calls::columns::to_json;
use crate::db::{DbConnection, write_transaction};
use crate::ids::TenantId;
use crate::schema::{
    blocked_numbers, business_hours, closures, departments, knowledge_entries, phone_numbers,
    tenants,
};
use crate::tenants::Tenant;
use crate::tenants::file::{self, TenantFile};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A problem the file's author can fix; displays as `file:line: field: message`.
    #[error("{0}")]
    File(#[from] file::TenantFileError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

#[derive(Debug)]
pub struct ImportReport {
    pub tenant_id: TenantId,
    pub created: bool,
    /// Admins created without a password in the file: (email, generated password),
    /// to print once.
    pub generated_passwords: Vec<(String, String)>,
    /// Admins the file no longer lists, now disabled.
    pub disabled_admins: Vec<String>,
}

/// Creates or updates the tenant described by `spec`, its numbers, hours,
/// departments, knowledge, blocked numbers and admins, in one transaction.
/// Importing the same file twice leaves the database as after the first.
pub fn import(
    conn: &mut DbConnection,
    spec: &TenantFile,
    file_name: &str,
) -> Result<ImportReport, ImportError> {
    // Hash passwords before the transaction: argon2 is slow on purpose.
    let admin_secrets = admin_secrets(spec)?;
    write_transaction(conn, |conn| apply(conn, spec, file_name, &admin_secrets))
}

/// `import` with its audit entry (`TenantCreated` or `TenantFileImported`,
/// `by` whoever imported it) in the same transaction.
pub fn import_recorded(
    conn: &mut DbConnection,
    spec: &TenantFile,
    file_name: &str,
    by: &Change,
) -> Result<ImportReport, ImportError> {
    let admin_secrets = admin_secrets(spec)?;
    write_transaction(conn, |conn| {
        let report = apply(conn, spec, file_name, &admin_secrets)?;
        let action = match report.created {
            true => Action::TenantCreated,
            false => Action::TenantFileImported,
        };
        let detail = format!("{} ({}) from {file_name}", spec.name, spec.slug);
        audit::record(conn, &by.in_tenant(report.tenant_id), action, &detail)?;
        Ok(report)
    })
}

fn apply(
    conn: &mut DbConnection,
    spec: &TenantFile,
    file_name: &str,
    admin_secrets: &[AdminSecret],
) -> Result<ImportReport, ImportError> {
    let now = crate::clock::now();
    let existing = Tenant::find_by_slug(conn, &spec.slug)?;
    let created = existing.is_none();
    let tenant_id = match existing {
        Some(tenant) => {
            diesel::update(tenants::table.find(tenant.id))
                .set((
                    profile_columns(spec),
                    auth_token_column(spec),
                    tenants::config_version.eq(tenants::config_version + 1),
                ))
                .execute(conn)?;
            tenant.id
        }
        None => diesel::insert_into(tenants::table)
            .values((
                profile_columns(spec),
                auth_token_column(spec),
                tenants::slug.eq(&spec.slug),
                tenants::created_at.eq(now),
            ))
            .returning(tenants::id)
            .get_result(conn)?,
    };
    replace_numbers(conn, tenant_id, spec, file_name)?;
    replace_call_settings(conn, tenant_id, spec)?;
    sync_knowledge(conn, tenant_id, spec)?;
    let admins = sync_admins(conn, tenant_id, spec, admin_secrets, file_name)?;
    Ok(ImportReport {
        tenant_id,
        created,
        generated_passwords: admins.generated,
        disabled_admins: admins.disabled,
    })
}

/// What the dashboard replaces of a tenant (its settings form and its
/// tenant file upload): everything an owner may change themselves. The
/// numbers (assigned by the operator), the admins (the team page) and the
/// Twilio auth token (never shown) stay as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The receptionist settings: profile, hours, closures, departments,
    /// blocked numbers.
    Settings,
    /// The settings and the knowledge base, as a tenant file holds them.
    SettingsAndKnowledge,
}

/// Applies `spec` to the existing tenant `tenant_id` within `scope`, and
/// bumps its `config_version` so every instance's next call uses it. Runs
/// in the caller's write transaction (with the caller's audit entry).
pub fn replace_settings(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    spec: &TenantFile,
    scope: Scope,
) -> QueryResult<()> {
    diesel::update(tenants::table.find(tenant_id))
        .set((
            profile_columns(spec),
            tenants::config_version.eq(tenants::config_version + 1),
        ))
        .execute(conn)?;
    replace_call_settings(conn, tenant_id, spec)?;
    if scope == Scope::SettingsAndKnowledge {
        sync_knowledge(conn, tenant_id, spec)?;
    }
    Ok(())
}

/// Everything a call reads besides the profile row, the numbers and the
/// knowledge.
fn replace_call_settings(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    spec: &TenantFile,
) -> QueryResult<()> {
    replace_hours(conn, tenant_id, spec)?;
    replace_departments(conn, tenant_id, spec)?;
    replace_closures(conn, tenant_id, spec)?;
    replace_blocked_numbers(conn, tenant_id, spec)
}

fn auth_token_column(
    spec: &TenantFile,
) -> diesel::dsl::Eq<tenants::twilio_auth_token, Option<String>> {
    tenants::twilio_auth_token.eq(spec
        .twilio_auth_token
        .as_ref()
        .map(|t| t.expose().to_owned()))
}

type ProfileColumns = (
    (
        diesel::dsl::Eq<tenants::name, String>,
        diesel::dsl::Eq<tenants::timezone, String>,
        diesel::dsl::Eq<tenants::language, String>,
        diesel::dsl::Eq<tenants::voice, String>,
        diesel::dsl::Eq<tenants::speech_model, String>,
        diesel::dsl::Eq<tenants::llm_model, Option<String>>,
        diesel::dsl::Eq<tenants::greeting, Option<String>>,
        diesel::dsl::Eq<tenants::disclosure, Option<String>>,
        diesel::dsl::Eq<tenants::address, Option<String>>,
        diesel::dsl::Eq<tenants::contact_email, Option<String>>,
        diesel::dsl::Eq<tenants::contact_phone, Option<String>>,
        diesel::dsl::Eq<tenants::website, Option<String>>,
        diesel::dsl::Eq<tenants::transfer_number, Option<String>>,
        diesel::dsl::Eq<tenants::emergency_number, String>,
    ),
    (
        diesel::dsl::Eq<tenants::notification_emails, String>,
        diesel::dsl::Eq<tenants::send_call_summaries, bool>,
        diesel::dsl::Eq<tenants::retention_days, Option<i32>>,
        diesel::dsl::Eq<tenants::max_turns, i32>,
        diesel::dsl::Eq<tenants::max_call_seconds, i32>,
        diesel::dsl::Eq<tenants::max_concurrent_calls, i32>,
        diesel::dsl::Eq<tenants::calls_per_hour_per_caller, i32>,
        diesel::dsl::Eq<tenants::transfer_timeout_seconds, i32>,
        diesel::dsl::Eq<tenants::allow_anonymous, bool>,
        diesel::dsl::Eq<tenants::staff_languages, String>,
        diesel::dsl::Eq<tenants::updated_at, chrono::NaiveDateTime>,
    ),
);

fn as_i32(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

fn profile_columns(spec: &TenantFile) -> ProfileColumns {
    let limits = &spec.limits;
    (
        (
            tenants::name.eq(spec.name.clone()),
            tenants::timezone.eq(spec.timezone.name().to_owned()),
            tenants::language.eq(spec.language.clone()),
            tenants::voice.eq(spec.voice.clone()),
            tenants::speech_model.eq(spec.speech_model.clone()),
            tenants::llm_model.eq(spec.llm_model.clone()),
            tenants::greeting.eq(spec.greeting.clone()),
            tenants::disclosure.eq(spec.disclosure.clone()),
            tenants::address.eq(spec.address.clone()),
            tenants::contact_email.eq(spec.contact_email.clone()),
            tenants::contact_phone.eq(spec.contact_phone.clone()),
            tenants::website.eq(spec.website.clone()),
            tenants::transfer_number.eq(spec.transfer_number.clone()),
            tenants::emergency_number.eq(spec.emergency_number.clone()),
        ),
        (
            tenants::notification_emails
                .eq(serde_json::to_string(&spec.notification_emails)
                    .unwrap_or_else(|_| "[]".into())),
            tenants::send_call_summaries.eq(spec.send_call_summaries),
            tenants::retention_days.eq(spec.retention_days.map(as_i32)),
            tenants::max_turns.eq(as_i32(limits.max_turns)),
            tenants::max_call_seconds.eq(as_i32(limits.max_call_seconds)),
            tenants::max_concurrent_calls.eq(as_i32(limits.max_concurrent_calls)),
            tenants::calls_per_hour_per_caller.eq(as_i32(limits.calls_per_hour_per_caller)),
            tenants::transfer_timeout_seconds.eq(as_i32(limits.transfer_timeout_seconds)),
            tenants::allow_anonymous.eq(spec.protection.allow_anonymous),
            tenants::staff_languages
                .eq(serde_json::to_string(&spec.staff_languages).unwrap_or_else(|_| "[]".into())),
            tenants::updated_at.eq(crate::clock::now()),
        ),
    )
}

fn replace_numbers(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    spec: &TenantFile,
    file_name: &str,
) -> Result<(), ImportError> {
    let owners: Vec<(String, String)> = phone_numbers::table
        .inner_join(tenants::table)
        .filter(phone_numbers::number.eq_any(&spec.numbers))
        .filter(phone_numbers::tenant_id.ne(tenant_id))
        .select((phone_numbers::number, tenants::slug))
        .load(conn)?;
    if let Some((index, (number, owner))) = spec
        .numbers
        .iter()
        .enumerate()
        .find_map(|(i, n)| owners.iter().find(|(owned, _)| owned == n).map(|o| (i, o)))
    {
        return Err(file::TenantFileError {
            file: file_name.to_owned(),
            line: spec.number_line(index),
            field: format!("numbers[{index}]"),
            message: format!("{number} already belongs to tenant {owner}"),
        }
        .into());
    }
    diesel::delete(
        phone_numbers::table
            .filter(phone_numbers::tenant_id.eq(tenant_id))
            .filter(phone_numbers::number.ne_all(&spec.numbers)),
    )
    .execute(conn)?;
    let kept: Vec<String> = phone_numbers::table
        .filter(phone_numbers::tenant_id.eq(tenant_id))
        .select(phone_numbers::number)
        .load(conn)?;
    let now = crate::clock::now();
    let new_rows: Vec<_> = spec
        .numbers
        .iter()
        .filter(|n| !kept.contains(n))
        .map(|n| {
            (
                phone_numbers::tenant_id.eq(tenant_id),
                phone_numbers::number.eq(n),
                phone_numbers::created_at.eq(now),
            )
        })
        .collect();
    // Multi-row inserts need the concrete backend.
    crate::on_backend!(conn, |c| diesel::insert_into(phone_numbers::table)
        .values(&new_rows)
        .execute(c))?;
    Ok(())
}

fn replace_hours(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    spec: &TenantFile,
) -> QueryResult<()> {
    diesel::delete(business_hours::table.filter(business_hours::tenant_id.eq(tenant_id)))
        .execute(conn)?;
    let rows: Vec<_> = spec
        .hours
        .iter()
        .enumerate()
        .filter_map(|(day, span)| span.map(|(open, close)| (day, open, close)))
        .map(|(day, open, close)| {
            (
                business_hours::tenant_id.eq(tenant_id),
                business_hours::weekday.eq(day as i16),
                business_hours::open_minute.eq(i32::from(open)),
                business_hours::close_minute.eq(i32::from(close)),
            )
        })
        .collect();
    // Multi-row inserts need the concrete backend.
    crate::on_backend!(conn, |c| diesel::insert_into(business_hours::table)
        .values(&rows)
        .execute(c))?;
    Ok(())
}

fn replace_departments(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    spec: &TenantFile,
) -> QueryResult<()> {
    diesel::delete(departments::table.filter(departments::tenant_id.eq(tenant_id)))
        .execute(conn)?;
    let rows: Vec<_> = spec
        .departments
        .iter()
        .enumerate()
        .map(|(position, d)| {
            (
                departments::tenant_id.eq(tenant_id),
                departments::name.eq(&d.name),
                departments::phone.eq(&d.phone),
                departments::keywords
                    .eq(serde_json::to_string(&d.keywords).unwrap_or_else(|_| "[]".into())),
                departments::position.eq(position as i32),
            )
        })
        .collect();
    // Multi-row inserts need the concrete backend.
    crate::on_backend!(conn, |c| diesel::insert_into(departments::table)
        .values(&rows)
        .execute(c))?;
    Ok(())
}

fn replace_closures(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    spec: &TenantFile,
) -> QueryResult<()> {
    diesel::delete(closures::table.filter(closures::tenant_id.eq(tenant_id))).execute(conn)?;
    let rows: Vec<_> = spec
        .closures
        .iter()
        .map(|closure| {
            (
                closures::tenant_id.eq(tenant_id),
                closures::first_day.eq(closure.first_day),
                closures::last_day.eq(closure.last_day),
                closures::name.eq(&closure.name),
            )
        })
        .collect();
    // Multi-row inserts need the concrete backend.
    crate::on_backend!(conn, |c| diesel::insert_into(closures::table)
        .values(&rows)
        .execute(c))?;
    Ok(())
}

/// Knowledge entries are matched by question (ignoring case) so their ids,
/// which transcripts refer to, survive a re-import.
fn sync_knowledge(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    spec: &TenantFile,
) -> QueryResult<()> {
    let existing: Vec<(i64, String)> = knowledge_entries::table
        .filter(knowledge_entries::tenant_id.eq(tenant_id))
        .select((knowledge_entries::id, knowledge_entries::question))
        .load(conn)?;
    let mut by_question: HashMap<String, i64> = existing
        .into_iter()
        .map(|(id, q)| (q.trim().to_lowercase(), id))
        .collect();
    let now = crate::clock::now();
    for entry in &spec.knowledge {
        let columns = (
            knowledge_entries::question.eq(&entry.question),
            knowledge_entries::answer.eq(&entry.answer),
            knowledge_entries::category.eq(&entry.category),
            knowledge_entries::priority.eq(entry.priority),
            knowledge_entries::active.eq(entry.active),
            knowledge_entries::also_asked.eq(to_json(&entry.also_asked)),
            knowledge_entries::updated_at.eq(now),
        );
        match by_question.remove(&entry.question.trim().to_lowercase()) {
            Some(id) => {
                diesel::update(knowledge_entries::table.find(id))
                    .set(columns)
                    .execute(conn)?;
            }
            None => {
                diesel::insert_into(knowledge_entries::table)
                    .values((
                        columns,
                        knowledge_entries::tenant_id.eq(tenant_id),
                        knowledge_entries::created_at.eq(now),
                    ))
                    .execute(conn)?;
            }
        }
    }
    let stale: Vec<i64> = by_question.into_values().collect();
    diesel::delete(knowledge_entries::table.filter(knowledge_entries::id.eq_any(stale)))
        .execute(conn)?;
    Ok(())
}

fn replace_blocked_numbers(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    spec: &TenantFile,
) -> QueryResult<()> {
    let blocked = &spec.protection.blocked_numbers;
    diesel::delete(
        blocked_numbers::table
            .filter(blocked_numbers::tenant_id.eq(tenant_id))
            .filter(blocked_numbers::number.ne_all(blocked)),
    )
    .execute(conn)?;
    let kept: Vec<String> = blocked_numbers::table
        .filter(blocked_numbers::tenant_id.eq(tenant_id))
        .select(blocked_numbers::number)
        .load(conn)?;
    let now = crate::clock::now();
    let rows: Vec<_> = blocked
        .iter()
        .filter(|n| !kept.contains(n))
        .map(|n| {
            (
                blocked_numbers::tenant_id.eq(tenant_id),
                blocked_numbers::number.eq(n),
                blocked_numbers::created_at.eq(now),
            )
        })
        .collect();
    // Multi-row inserts need the concrete backend.
    crate::on_backend!(conn, |c| diesel::insert_into(blocked_numbers::table)
        .values(&rows)
        .execute(c))?;
    Ok(())
}
