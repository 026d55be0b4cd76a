//! What the operator of the installation does to tenants from the dashboard
//! (`/admin/tenants`): list them with their recent figures, create one,
//! rename it, disable or enable it, and manage its phone numbers.
//!
//! Every form is checked by the tenant file's own rules: the fields are put
//! into a small tenant file ([`ProfileFields::check`]) and parsed by
//! [`TenantFile::parse_collecting_errors`], so the dashboard cannot accept
//! what `frontdesk tenant import` would refuse. Every change bumps the
//! tenant's `config_version` (so every instance's call configuration
//! follows it) and writes its audit entry in the same transaction.

pub mod numbers;

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Tenant;
use super::file::{TenantFile, TenantFileError};
use crate::audit::{self, Action, Change};
use crate::db::{DbConnection, write_transaction};
use crate::ids::{TenantId, UserId};
use crate::schema::{calls, leads, phone_numbers, tenants};
use crate::users::invite::{Invitation, InviteError};

/// How far back the tenant list counts calls and leads.
pub const RECENT_DAYS: i64 = 30;

/// The name the file checks use in their messages; never shown.
const FORM: &str = "form";

/// One line of the tenant list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantSummary {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
    pub disabled: bool,
    pub numbers: Vec<String>,
    pub recent_calls: i64,
    pub recent_leads: i64,
}

/// A tenant as listed: id, slug, name, disabled, recent calls and leads.
type SummaryRow = (TenantId, String, String, bool, Option<i64>, Option<i64>);

/// Every tenant by name, with its numbers and its calls and leads since
/// `since`: two queries whatever the number of tenants (the counts are
/// subqueries of the tenant query).
pub fn list(conn: &mut DbConnection, since: NaiveDateTime) -> QueryResult<Vec<TenantSummary>> {
    let recent_calls = calls::table
        .filter(calls::tenant_id.eq(tenants::id))
        .filter(calls::started_at.ge(since))
        .count()
        .single_value();
    let recent_leads = leads::table
        .filter(leads::tenant_id.eq(tenants::id))
        .filter(leads::created_at.ge(since))
        .count()
        .single_value();
    let rows: Vec<SummaryRow> = tenants::table
        .select((
            tenants::id,
            tenants::slug,
            tenants::name,
            tenants::disabled,
            recent_calls,
            recent_leads,
        ))
        .order((tenants::name, tenants::id))
        .load(conn)?;
    let mut numbers: HashMap<TenantId, Vec<String>> = HashMap::new();
    let all_numbers: Vec<(TenantId, String)> = phone_numbers::table
        .select((phone_numbers::tenant_id, phone_numbers::number))
        .order(phone_numbers::id)
        .load(conn)?;
    for (tenant, number) in all_numbers {
        numbers.entry(tenant).or_default().push(number);
    }
    Ok(rows
        .into_iter()
        .map(|(id, slug, name, disabled, calls, leads)| TenantSummary {
            id,
            slug,
            name,
            disabled,
            numbers: numbers.remove(&id).unwrap_or_default(),
            recent_calls: calls.unwrap_or(0),
            recent_leads: leads.unwrap_or(0),
        })
        .collect())
}

/// A problem with one field of a form, in words for the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The form field's name (`slug`, `name`, `number`, ...).
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> FieldError {
        FieldError {
            field,
            message: message.into(),
        }
    }

    /// A tenant file problem as a message for the form field it is about.
    fn from_file(error: TenantFileError) -> FieldError {
        let field = match error.field.split(['[', '.']).next().unwrap_or_default() {
            "slug" => "slug",
            "name" => "name",
            "timezone" => "timezone",
            "language" => "language",
            "voice" => "voice",
            "numbers" => "number",
            _ => "form",
        };
        FieldError::new(field, sentence(&error.message))
    }
}

/// A message as a sentence: "must not be empty" → "Must not be empty."
pub fn sentence(message: &str) -> String {
    let mut text = message.trim().to_owned();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

/// The fields of a tenant the operator's forms set, as text from the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileFields {
    pub slug: String,
    pub name: String,
    pub timezone: String,
    pub language: String,
    pub voice: String,
    pub numbers: Vec<String>,
}

impl ProfileFields {
    /// A tenant's current fields.
    pub fn of(conn: &mut DbConnection, tenant: &Tenant) -> QueryResult<ProfileFields> {
        Ok(ProfileFields {
            slug: tenant.slug.clone(),
            name: tenant.name.clone(),
            timezone: tenant.timezone.clone(),
            language: tenant.language.clone(),
            voice: tenant.voice.clone(),
            numbers: super::numbers_of(conn, tenant.id)?,
        })
    }

    /// The fields checked by the tenant file's rules: the file they make,
    /// or every problem, each tied to its form field.
    pub fn check(&self) -> Result<TenantFile, Vec<FieldError>> {
        let mut file = toml::Table::new();
        for (key, value) in [
            ("slug", &self.slug),
            ("name", &self.name),
            ("timezone", &self.timezone),
            ("language", &self.language),
            ("voice", &self.voice),
        ] {
            file.insert(key.to_owned(), toml::Value::String(value.trim().to_owned()));
        }
        let numbers = self
            .numbers
            .iter()
            .map(|n| toml::Value::String(n.trim().to_owned()))
            .collect();
        file.insert("numbers".to_owned(), toml::Value::Array(numbers));
        TenantFile::parse_collecting_errors(FORM, &file.to_string())
            .map_err(|errors| errors.into_iter().map(FieldError::from_file).collect())
    }
}

/// Why a tenant could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("the form has problems")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Other(anyhow::Error),
}

impl From<crate::tenants::store::ImportError> for CreateError {
    fn from(error: crate::tenants::store::ImportError) -> Self {
        use crate::tenants::store::ImportError;
        match error {
            ImportError::File(problem) => {
                CreateError::Invalid(vec![FieldError::from_file(problem)])
            }
            ImportError::Database(error) => CreateError::Database(error),
            ImportError::Other(error) => CreateError::Other(error),
        }
    }
}

impl From<InviteError> for CreateError {
    fn from(error: InviteError) -> Self {
        match error {
            InviteError::InvalidEmail | InviteError::Taken => {
                CreateError::Invalid(vec![FieldError::new("admin_email", error.to_string())])
            }
            InviteError::Database(error) => CreateError::Database(error),
            InviteError::Hash(reason) => CreateError::Other(anyhow::anyhow!(reason)),
        }
    }
}

/// Creates the tenant `spec` describes (checked by [`ProfileFields::check`])
/// with its first admin, in one transaction: the tenant file's import (so
/// the defaults are the file's), the invitation and the audit entries. A
/// slug or a number already in use is refused, never taken over.
pub fn create(
    conn: &mut DbConnection,
    spec: &TenantFile,
    first_admin: &Invitation,
    by: UserId,
) -> Result<TenantId, CreateError> {
    write_transaction(conn, |conn| {
        if Tenant::find_by_slug(conn, &spec.slug)?.is_some() {
            return Err(CreateError::Invalid(vec![FieldError::new(
                "slug",
                "Another business already uses this slug; choose another.",
            )]));
        }
        let tenant = crate::tenants::store::import(conn, spec, FORM)?.tenant_id;
        let change = Change::by(by).in_tenant(tenant);
        audit::record(
            conn,
            &change,
            Action::TenantCreated,
            &format!("{} ({})", spec.name, spec.slug),
        )?;
        for number in &spec.numbers {
            audit::record(conn, &change, Action::NumberAssigned, number)?;
        }
        first_admin.create(conn, tenant, &Change::by(by))?;
        Ok(tenant)
    })
}

/// Why a change to an existing tenant was refused.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("no such tenant")]
    NotFound,
    #[error("the form has problems")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// The tenant, or [`EditError::NotFound`].
fn find(conn: &mut DbConnection, id: TenantId) -> Result<Tenant, EditError> {
    Tenant::find(conn, id)
        .optional()?
        .ok_or(EditError::NotFound)
}

/// Makes every instance reload the tenant's call configuration.
fn bump_config_version(conn: &mut DbConnection, tenant: TenantId) -> QueryResult<()> {
    diesel::update(tenants::table.find(tenant))
        .set((
            tenants::config_version.eq(tenants::config_version + 1),
            tenants::updated_at.eq(crate::clock::now()),
        ))
        .execute(conn)
        .map(drop)
}

/// Renames the tenant (the name callers hear in greetings).
pub fn rename(
    conn: &mut DbConnection,
    id: TenantId,
    name: &str,
    by: UserId,
) -> Result<(), EditError> {
    write_transaction(conn, |conn| {
        let tenant = find(conn, id)?;
        let fields = ProfileFields {
            name: name.to_owned(),
            ..ProfileFields::of(conn, &tenant)?
        };
        check_field(&fields, "name")?;
        let name = name.trim();
        diesel::update(tenants::table.find(id))
            .set(tenants::name.eq(name))
            .execute(conn)?;
        bump_config_version(conn, id)?;
        let detail = format!("Name: {} → {name}", tenant.name);
        audit::record(
            conn,
            &Change::by(by).in_tenant(id),
            Action::TenantUpdated,
            &detail,
        )?;
        Ok(())
    })
}

/// Refuses the change if the tenant file's rules find a problem with
/// `field`; problems with other fields were there before the change and
/// are not the operator's to fix on this form.
fn check_field(fields: &ProfileFields, field: &'static str) -> Result<(), EditError> {
    let problems: Vec<FieldError> = match fields.check() {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().filter(|e| e.field == field).collect(),
    };
    match problems.is_empty() {
        true => Ok(()),
        false => Err(EditError::Invalid(problems)),
    }
}

/// Disables or enables the tenant. A disabled tenant's numbers tell callers
/// the business cannot take calls; every instance sees the change on the
/// next call (the config version). Doing what is already done changes
/// nothing and writes no entry.
pub fn set_disabled(
    conn: &mut DbConnection,
    id: TenantId,
    disabled: bool,
    by: UserId,
) -> Result<(), EditError> {
    write_transaction(conn, |conn| {
        let tenant = find(conn, id)?;
        if tenant.disabled == disabled {
            return Ok(());
        }
        diesel::update(tenants::table.find(id))
            .set(tenants::disabled.eq(disabled))
            .execute(conn)?;
        bump_config_version(conn, id)?;
        let action = match disabled {
            true => Action::TenantDisabled,
            false => Action::TenantEnabled,
        };
        audit::record(conn, &Change::by(by).in_tenant(id), action, &tenant.name)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> ProfileFields {
        ProfileFields {
            slug: "bright-smile".to_owned(),
            name: "Bright Smile".to_owned(),
            timezone: "America/Chicago".to_owned(),
            language: "en-US".to_owned(),
            voice: "Polly.Joanna".to_owned(),
            numbers: vec!["+15005550006".to_owned()],
        }
    }

    #[test]
    fn the_form_is_checked_by_the_tenant_files_rules() {
        let file = fields().check().unwrap();
        assert_eq!(file.name, "Bright Smile");
        assert_eq!(file.timezone, chrono_tz::America::Chicago);
        assert_eq!(file.emergency_number, "911", "the file's defaults apply");
        let bad = ProfileFields {
            slug: "Not A Slug".to_owned(),
            name: " ".to_owned(),
            timezone: "Mars/Olympus".to_owned(),
            language: "english".to_owned(),
            voice: "Robot".to_owned(),
            numbers: vec!["555-1234".to_owned()],
        };
        let errors = bad.check().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        for field in ["slug", "name", "timezone", "language", "voice", "number"] {
            assert!(fields.contains(&field), "{field} in {errors:?}");
        }
        assert!(errors.iter().all(|e| e.message.ends_with('.')));
        assert!(
            errors
                .iter()
                .all(|e| e.message.starts_with(|c: char| !c.is_lowercase()))
        );
    }

    #[test]
    fn quotes_and_brackets_in_a_name_stay_in_the_name() {
        let file = ProfileFields {
            name: "Bob's \"Best\" = [Dental]\nslug = 'x'".to_owned(),
            ..fields()
        }
        .check()
        .unwrap();
        assert_eq!(file.name, "Bob's \"Best\" = [Dental]\nslug = 'x'");
        assert_eq!(file.slug, "bright-smile");
    }
}
