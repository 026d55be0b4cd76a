//! `frontdesk tenant import|export|list|delete`.

use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::{Context, bail};

use super::file::TenantFile;
use super::{removal, store};
use crate::audit::Change;
use crate::config::Config;
use crate::server::open_database;

pub fn import(config: &Config, path: &Path) -> anyhow::Result<()> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {name}"))?;
    let spec = match TenantFile::parse_collecting_errors(&name, &text) {
        Ok(spec) => spec,
        Err(problems) => {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            bail!(
                "{} problem(s) in the tenant file:\n{}",
                lines.len(),
                lines.join("\n")
            );
        }
    };
    let pool = open_database(config)?;
    let mut conn = pool.get()?;
    let report = store::import_recorded(&mut conn, &spec, &name, &Change::from_command_line())?;
    let verb = if report.created { "created" } else { "updated" };
    println!(
        "{verb} tenant {} ({}), {} number(s)",
        spec.slug,
        spec.name,
        spec.numbers.len()
    );
    for (email, password) in &report.generated_passwords {
        println!("  new admin {email}  password: {password}  (shown only once)");
    }
    for email in &report.disabled_admins {
        println!("  admin {email} is no longer in the file: disabled, signed out everywhere");
    }
    Ok(())
}

pub fn export(config: &Config, slug: &str) -> anyhow::Result<()> {
    let pool = open_database(config)?;
    let mut conn = pool.get()?;
    match store::export(&mut conn, slug)? {
        Some(spec) => {
            print!("{}", spec.to_toml());
            Ok(())
        }
        None => bail!("no tenant with slug `{slug}`"),
    }
}

pub fn list(config: &Config) -> anyhow::Result<()> {
    let pool = open_database(config)?;
    let mut conn = pool.get()?;
    let tenants = removal::list(&mut conn)?;
    if tenants.is_empty() {
        println!("no tenants (add one with `frontdesk tenant import FILE`)");
    }
    for tenant in tenants {
        println!("{}  {}", tenant.slug, tenant.name);
        let numbers = match tenant.numbers.is_empty() {
            true => "none".to_owned(),
            false => tenant.numbers.join(", "),
        };
        println!("    numbers: {numbers}");
        println!(
            "    {}; created {}",
            tenant.holdings,
            tenant.created_at.format("%Y-%m-%d %H:%M UTC")
        );
    }
    Ok(())
}

/// Deletes a tenant with all its data, once the operator has typed its slug
/// (or passed `--yes`).
pub fn delete(config: &Config, slug: &str, confirmed: bool) -> anyhow::Result<()> {
    let pool = open_database(config)?;
    let mut conn = pool.get()?;
    let Some(tenant) = removal::find(&mut conn, slug)? else {
        bail!("no tenant with slug `{slug}` (`frontdesk tenant list` shows them)");
    };
    if !confirmed {
        println!(
            "This deletes {} ({}) for good: its numbers ({}) and {}.",
            tenant.name,
            tenant.slug,
            tenant.numbers.join(", "),
            tenant.holdings
        );
        print!("Type the slug to confirm: ");
        std::io::stdout().flush()?;
        let mut typed = String::new();
        std::io::stdin().lock().read_line(&mut typed)?;
        if typed.trim() != slug {
            bail!("not confirmed: nothing was deleted");
        }
    }
    match removal::delete(&mut conn, slug, &Change::from_command_line())? {
        Some(deleted) => {
            println!("deleted tenant {slug} ({}): {deleted}", tenant.name);
            Ok(())
        }
        None => bail!("no tenant with slug `{slug}`: deleted meanwhile"),
    }
}
