//! First run: an empty installation gets its super admin. A try-out (see
//! `Config::seeds_demo`) gets the demo tenant and its admins as well, so a
//! newcomer can log in and make a test call at once, with the passwords
//! printed; a production installation gets only the super admin, whose
//! initial password goes to a file only the service's user can read.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::file::TenantFile;
use super::{Tenant, store};
use crate::db::{DbConnection, write_transaction};
use crate::users::{Role, User, password};

/// The demo tenant, compiled in so the binary seeds from any directory.
pub const DEMO_TENANT_FILE: &str = include_str!("../../examples/bright-smile.toml");
pub const SUPER_ADMIN_EMAIL: &str = "admin@frontdesk.local";

/// What was seeded, printed once at start-up (it holds the only copy of the
/// generated passwords).
pub struct SeedReport {
    pub public_url: String,
    pub super_admin_password: String,
    pub tenant_name: String,
    pub tenant_number: String,
    pub tenant_admins: Vec<(String, String)>,
}

impl SeedReport {
    /// Where the seeded users sign in.
    pub fn dashboard_url(&self) -> String {
        format!("{}/login", self.public_url)
    }
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Frontdesk first run: seeded a super admin and the demo tenant {}.",
            self.tenant_name
        )?;
        writeln!(f, "  Dashboard:    {}", self.dashboard_url())?;
        writeln!(
            f,
            "  Webhooks:     {}/twilio/voice (and the rest under /twilio/)",
            self.public_url
        )?;
        writeln!(
            f,
            "  Super admin:  {SUPER_ADMIN_EMAIL}  password: {}",
            self.super_admin_password
        )?;
        for (email, password) in &self.tenant_admins {
            writeln!(f, "  Tenant admin: {email}  password: {password}")?;
        }
        writeln!(
            f,
            "  Test call:    frontdesk call --to {}",
            self.tenant_number
        )?;
        writeln!(
            f,
            "                (from the source tree: cargo run --release -- call --to {})",
            self.tenant_number
        )?;
        write!(
            f,
            "These passwords are shown only this once; keep them somewhere safe."
        )
    }
}

/// Seeds the demo when the database has neither tenants nor users;
/// otherwise does nothing and returns `None`.
pub fn seed_first_run(
    conn: &mut DbConnection,
    public_url: &str,
) -> anyhow::Result<Option<SeedReport>> {
    if !is_empty(conn)? {
        return Ok(None);
    }
    let spec = TenantFile::parse("examples/bright-smile.toml", DEMO_TENANT_FILE)?;
    let super_admin_password = password::generate();
    let super_admin_hash = password::hash(&super_admin_password)?;
    let report = write_transaction(conn, |conn| -> anyhow::Result<SeedReport> {
        create_super_admin(conn, &super_admin_hash)?;
        let imported = store::import(conn, &spec, "examples/bright-smile.toml")?;
        Ok(SeedReport {
            public_url: public_url.to_owned(),
            super_admin_password,
            tenant_name: spec.name.clone(),
            tenant_number: spec.numbers.first().cloned().unwrap_or_default(),
            tenant_admins: imported.generated_passwords,
        })
    });
    unless_already_seeded(report)
}

/// The first run of a production installation: only the super admin, its
/// initial password written to `password_file` (0600, replacing an older
/// one). The file is written next to it before the account exists and moved
/// into place once it does, so neither a password nobody knows nor a file
/// with a password that does not work is left behind (also when two
/// instances start at once). Returns the file's path, or `None` when the
/// database was not empty.
pub fn create_first_super_admin(
    conn: &mut DbConnection,
    public_url: &str,
    password_file: &Path,
) -> anyhow::Result<Option<PathBuf>> {
    if !is_empty(conn)? {
        return Ok(None);
    }
    let secret = password::generate();
    let hash = password::hash(&secret)?;
    let text = format!(
        "# Frontdesk's first super admin. Sign in at {public_url}/login, change the\n\
         # password on the Account page, then delete this file.\n\
         email: {SUPER_ADMIN_EMAIL}\n\
         password: {secret}\n"
    );
    let mut pending = password_file.as_os_str().to_owned();
    pending.push(format!(".{}.new", std::process::id()));
    let pending = PathBuf::from(pending);
    crate::private_files::write(&pending, text.as_bytes()).with_context(|| {
        format!(
            "cannot write the super admin's initial password next to {} \
             (set FRONTDESK_ADMIN_PASSWORD_FILE to a writable place)",
            password_file.display()
        )
    })?;
    let created = unless_already_seeded(write_transaction(conn, |conn| {
        create_super_admin(conn, &hash)
    }));
    if !matches!(created, Ok(Some(()))) {
        let _ = std::fs::remove_file(&pending);
        return created.map(|_| None);
    }
    std::fs::rename(&pending, password_file).with_context(|| {
        format!(
            "the super admin was created, but its password file {} could not be moved to {}",
            pending.display(),
            password_file.display()
        )
    })?;
    Ok(Some(
        std::path::absolute(password_file).unwrap_or_else(|_| password_file.to_owned()),
    ))
}

/// An installation is new while it has neither tenants nor users.
fn is_empty(conn: &mut DbConnection) -> anyhow::Result<bool> {
    Ok(Tenant::count(conn)? == 0 && User::count(conn)? == 0)
}

/// Inside the seeding transaction: another instance may have seeded while
/// this one hashed, which ends this seeding as [`AlreadySeeded`].
fn create_super_admin(conn: &mut DbConnection, hash: &str) -> anyhow::Result<()> {
    if User::count(conn)? > 0 {
        anyhow::bail!(AlreadySeeded);
    }
    User::create(conn, SUPER_ADMIN_EMAIL, hash, Role::SuperAdmin, None)?;
    Ok(())
}

fn unless_already_seeded<T>(seeded: anyhow::Result<T>) -> anyhow::Result<Option<T>> {
    match seeded {
        Ok(value) => Ok(Some(value)),
        Err(err) if err.is::<AlreadySeeded>() => Ok(None),
        Err(err) => Err(err),
    }
}

#[derive(Debug, thiserror::Error)]
#[error("already seeded")]
struct AlreadySeeded;
