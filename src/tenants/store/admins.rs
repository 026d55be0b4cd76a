//! The tenant admins an import creates or updates, with their passwords.

use super::ImportError;
use crate::db::DbConnection;
use crate::ids::{TenantId, UserId};
use crate::tenants::file::{self, TenantFile};
use crate::users::{Role, User, normalize_email, password};

/// A password hash per admin: from the file, or for a generated password.
pub(super) struct AdminSecret {
    hash: String,
    generated: Option<String>,
}

pub(super) fn admin_secrets(spec: &TenantFile) -> anyhow::Result<Vec<AdminSecret>> {
    spec.admins
        .iter()
        .map(|admin| match &admin.password {
            Some(given) => Ok(AdminSecret {
                hash: password::hash(given.expose())?,
                generated: None,
            }),
            None => {
                let generated = password::generate();
                Ok(AdminSecret {
                    hash: password::hash(&generated)?,
                    generated: Some(generated),
                })
            }
        })
        .collect()
}

/// What an import did to the tenant's admins.
#[derive(Debug, Default)]
pub struct AdminChanges {
    /// Created without a password in the file: (email, generated password).
    pub generated: Vec<(String, String)>,
    /// Admins the file no longer lists: disabled, their sessions ended.
    pub disabled: Vec<String>,
}

/// Creates missing admins; an existing admin's password changes only when the
/// file gives one, and one listed again is enabled again. Admins the file no
/// longer lists are disabled (not deleted: their history stays), and their
/// sessions end. An email that belongs to another tenant or a super admin
/// is an error rather than a silent takeover.
pub(super) fn sync_admins(
    conn: &mut DbConnection,
    tenant_id: TenantId,
    spec: &TenantFile,
    secrets: &[AdminSecret],
    file_name: &str,
) -> Result<AdminChanges, ImportError> {
    let mut generated = Vec::new();
    for (index, (admin, secret)) in spec.admins.iter().zip(secrets).enumerate() {
        let email = normalize_email(&admin.email);
        match User::find_by_email(conn, &email)? {
            Some(user)
                if user.tenant_id != Some(tenant_id) || user.role() != Some(Role::TenantAdmin) =>
            {
                return Err(file::TenantFileError {
                    file: file_name.to_owned(),
                    line: None,
                    field: format!("admins[{index}].email"),
                    message: format!(
                        "{email} is already a user of another tenant or a super admin"
                    ),
                }
                .into());
            }
            Some(user) => {
                if admin.password.is_some() {
                    User::set_password_hash(conn, user.id, &secret.hash)?;
                }
                if user.disabled {
                    User::set_disabled(conn, user.id, false)?;
                }
            }
            None => {
                let _: UserId = User::create(
                    conn,
                    &email,
                    &secret.hash,
                    Role::TenantAdmin,
                    Some(tenant_id),
                )?;
                if let Some(password) = &secret.generated {
                    generated.push((email, password.clone()));
                }
            }
        }
    }
    let listed: Vec<String> = spec
        .admins
        .iter()
        .map(|a| normalize_email(&a.email))
        .collect();
    let mut disabled = Vec::new();
    for user in User::tenant_admins(conn, tenant_id)? {
        if !user.disabled && !listed.contains(&user.email) {
            User::set_disabled(conn, user.id, true)?;
            disabled.push(user.email);
        }
    }
    Ok(AdminChanges {
        generated,
        disabled,
    })
}
