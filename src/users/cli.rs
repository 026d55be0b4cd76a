//! `frontdesk user add`.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};

use super::{Role, User, password};
use crate::config::Config;
use crate::server::open_database;
use crate::tenants::Tenant;

pub fn add(
    config: &Config,
    email: &str,
    role: Role,
    tenant_slug: Option<&str>,
) -> anyhow::Result<()> {
    if !crate::tenants::file::is_email(email.trim()) {
        bail!("`{email}` is not an email address");
    }
    if role == Role::TenantAdmin && tenant_slug.is_none() {
        bail!("a tenant admin needs --tenant SLUG");
    }
    if role == Role::SuperAdmin && tenant_slug.is_some() {
        bail!("a super admin belongs to no tenant; drop --tenant");
    }
    let pool = open_database(config)?;
    let mut conn = pool.get()?;
    let tenant_id = match tenant_slug {
        Some(slug) => Some(
            Tenant::find_by_slug(&mut conn, slug)?
                .with_context(|| format!("no tenant with slug `{slug}`"))?
                .id,
        ),
        None => None,
    };
    if User::find_by_email(&mut conn, email)?.is_some() {
        bail!("a user with email {email} already exists");
    }
    let secret = read_password()?;
    password::check_strength(&secret).map_err(anyhow::Error::msg)?;
    let hash = password::hash(&secret)?;
    let id = User::create(&mut conn, email, &hash, role, tenant_id)?;
    println!(
        "added {} {} (user {id})",
        role.as_str().replace('_', " "),
        super::normalize_email(email)
    );
    Ok(())
}

/// Prompts without echo on a terminal (asking twice); reads one line otherwise.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let second = rpassword::prompt_password("Password again: ")?;
        if first != second {
            bail!("the passwords do not match");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from stdin")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
