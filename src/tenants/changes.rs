//! An owner changing their own tenant from the dashboard: the settings
//! form and the tenant file upload. Each is all-or-nothing in one write
//! transaction with its audit entry, goes through the same validation and
//! store code as `frontdesk tenant import`, and bumps the tenant's
//! `config_version` so the next call on every instance uses it.
//!
//! Neither can touch what the owner does not manage: the numbers (assigned
//! by the operator), the admins (the team page) and the Twilio auth token
//! stay as they are.

use std::collections::BTreeSet;

use super::Tenant;
use super::file::{TenantFile, TenantFileError};
use super::settings_form::{FieldErrors, SettingsInput};
use super::store::{self, ImportError, Scope};
use crate::audit::{self, Action, Change};
use crate::db::DbConnection;
use crate::ids::TenantId;
use crate::users::{User, normalize_email};

/// What became of a save.
#[derive(Debug)]
pub enum Saved<E> {
    /// Saved; the parts that changed ("greeting, hours").
    Changed(String),
    /// The settings were already exactly these: nothing written.
    Unchanged,
    /// Refused; nothing written.
    Invalid(E),
}

/// The tenant as it is now, in the tenant file's form (without secrets).
pub fn current(conn: &mut DbConnection, tenant_id: TenantId) -> Result<TenantFile, ImportError> {
    let tenant = Tenant::find(conn, tenant_id)?;
    Ok(store::export_tenant(conn, tenant)?)
}

/// Saves the settings form. Run it in a write transaction.
pub fn save_settings(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    by: &Change,
    input: &SettingsInput,
) -> Result<Saved<FieldErrors>, ImportError> {
    let before = current(conn, tenant_id)?;
    let after = match input.apply(&before) {
        Ok(after) => after,
        Err(errors) => return Ok(Saved::Invalid(errors)),
    };
    apply(
        conn,
        tenant_id,
        by,
        (&before, &after),
        Scope::Settings,
        Action::SettingsUpdated,
    )
}

/// Replaces the settings and knowledge with an uploaded tenant file. Run
/// it in a write transaction. Problems come in the CLI's form
/// (`bright-smile.toml:12: numbers[0]: ...`), in line order.
pub fn import_uploaded_file(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    by: &Change,
    text: &str,
) -> Result<Saved<Vec<TenantFileError>>, ImportError> {
    let before = current(conn, tenant_id)?;
    let file_name = format!("{}.toml", before.slug);
    let after = match TenantFile::parse_collecting_errors(&file_name, text) {
        Ok(after) => after,
        Err(problems) => return Ok(Saved::Invalid(problems)),
    };
    let admins: BTreeSet<String> = User::tenant_admins(conn, tenant_id)?
        .into_iter()
        .map(|user| user.email)
        .collect();
    let problems = outside_the_owner_s_reach(&file_name, &before, &after, &admins);
    if !problems.is_empty() {
        return Ok(Saved::Invalid(problems));
    }
    apply(
        conn,
        tenant_id,
        by,
        (&before, &after),
        Scope::SettingsAndKnowledge,
        Action::TenantFileImported,
    )
}

fn apply<E>(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    by: &Change,
    (before, after): (&TenantFile, &TenantFile),
    scope: Scope,
    action: Action,
) -> Result<Saved<E>, ImportError> {
    let parts = changed_parts(before, after);
    if parts.is_empty() {
        return Ok(Saved::Unchanged);
    }
    let parts = parts.join(", ");
    store::replace_settings(conn, tenant_id, after, scope)?;
    audit::record(
        conn,
        &by.in_tenant(tenant_id),
        action,
        &format!("Changed: {parts}"),
    )?;
    Ok(Saved::Changed(parts))
}

/// What an uploaded file may not change: its slug, numbers, admins and
/// Twilio auth token must be the tenant's own, as the download has them.
fn outside_the_owner_s_reach(
    file_name: &str,
    before: &TenantFile,
    after: &TenantFile,
    admins: &BTreeSet<String>,
) -> Vec<TenantFileError> {
    let problem = |line: Option<usize>, field: String, message: String| TenantFileError {
        file: file_name.to_owned(),
        line,
        field,
        message,
    };
    let mut problems = Vec::new();
    if after.slug != before.slug {
        problems.push(problem(
            Some(after.source.slug),
            "slug".into(),
            format!(
                "this file is for \"{}\", not for this business (\"{}\")",
                after.slug, before.slug
            ),
        ));
    }
    if let Some(line) = after.source.twilio_auth_token {
        problems.push(problem(
            Some(line),
            "twilio_auth_token".into(),
            "the Twilio auth token cannot be set from the dashboard; \
             leave it out (the current one is kept)"
                .into(),
        ));
    }
    for (index, number) in after.numbers.iter().enumerate() {
        if !before.numbers.contains(number) {
            problems.push(problem(
                after.number_line(index),
                format!("numbers[{index}]"),
                format!(
                    "{number} is not one of this business's numbers; \
                     numbers are assigned by the operator of this installation"
                ),
            ));
        }
    }
    for number in before.numbers.iter().filter(|n| !after.numbers.contains(n)) {
        problems.push(problem(
            None,
            "numbers".into(),
            format!(
                "{number} is missing; keep every number of this business as the download lists them"
            ),
        ));
    }
    for (index, admin) in after.admins.iter().enumerate() {
        let line = after.source.admins.get(index).copied();
        if !admins.contains(&normalize_email(&admin.email)) {
            problems.push(problem(
                line,
                format!("admins[{index}].email"),
                format!(
                    "{} is not an admin of this business; invite admins on the Team page",
                    admin.email
                ),
            ));
        }
        if admin.password.is_some() {
            problems.push(problem(
                line,
                format!("admins[{index}].password"),
                "passwords cannot be set from an uploaded file; leave them out".into(),
            ));
        }
    }
    problems.sort_by_key(|problem| problem.line.unwrap_or(usize::MAX));
    problems
}

/// Which parts of the settings differ between `before` and `after`, for
/// the audit entry ("greeting, hours, closures").
pub fn changed_parts(before: &TenantFile, after: &TenantFile) -> Vec<&'static str> {
    let parts: [(&str, bool); 16] = [
        ("name", before.name != after.name),
        ("greeting", before.greeting != after.greeting),
        ("disclosure", before.disclosure != after.disclosure),
        (
            "voice and language",
            before.voice != after.voice || before.language != after.language,
        ),
        ("time zone", before.timezone != after.timezone),
        ("hours", before.hours != after.hours),
        ("closures", before.closures != after.closures),
        ("departments", before.departments != after.departments),
        (
            "transfer number",
            before.transfer_number != after.transfer_number,
        ),
        (
            "emergency number",
            before.emergency_number != after.emergency_number,
        ),
        (
            "notification emails",
            before.notification_emails != after.notification_emails,
        ),
        (
            "summary emails",
            before.send_call_summaries != after.send_call_summaries,
        ),
        ("limits", before.limits != after.limits),
        ("retention", before.retention_days != after.retention_days),
        ("protection", before.protection != after.protection),
        ("knowledge", before.knowledge != after.knowledge),
    ];
    let mut changed: Vec<&str> = parts
        .into_iter()
        .filter(|(_, differs)| *differs)
        .map(|(part, _)| part)
        .collect();
    let profile_differs = before.address != after.address
        || before.contact_email != after.contact_email
        || before.contact_phone != after.contact_phone
        || before.website != after.website
        || before.speech_model != after.speech_model
        || before.llm_model != after.llm_model
        || before.staff_languages != after.staff_languages;
    if profile_differs {
        changed.push("business details");
    }
    changed
}
