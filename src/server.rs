//! Start-up: connect, migrate, seed on first run, then serve.

use std::sync::Arc;

use anyhow::Context;

use crate::app::{AppState, Application};
use crate::config::Config;
use crate::db::{self, DbPool};

/// Connects and migrates; a URL that cannot connect fails here with the
/// driver's reason.
pub fn open_database(config: &Config) -> anyhow::Result<DbPool> {
    let pool = db::connect_pool(&config.database_url, config.db_pool_size)?;
    let mut conn = pool.get().context("no database connection available")?;
    let applied = db::run_migrations(&mut conn)?;
    if applied > 0 {
        tracing::info!(
            applied,
            backend = conn.backend().name(),
            "applied database migrations"
        );
    }
    Ok(pool)
}

pub fn migrate_only(config: &Config) -> anyhow::Result<()> {
    open_database(config)?;
    println!("database {} is up to date", config.database_url);
    Ok(())
}

pub async fn serve(config: Config) -> anyhow::Result<()> {
    let db_config = config.clone();
    let pool = tokio::task::spawn_blocking(move || open_database(&db_config)).await??;
    let seeded = {
        let pool = pool.clone();
        let public_url = config.public_url.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let mut conn = pool.get()?;
            crate::tenants::seed::seed_first_run(&mut conn, &public_url)
        })
        .await??
    };
    if let Some(report) = seeded {
        println!("{report}");
    }
    let config = Arc::new(config);
    let state = {
        let config = config.clone();
        tokio::task::spawn_blocking(move || AppState::new(config, pool)).await??
    };
    let app = Application::build(state)?;
    tracing::info!(address = %app.local_addr(), "frontdesk is listening");
    app.run().await?;
    tracing::info!("frontdesk stopped");
    Ok(())
}
