//! The dashboard's knowledge pages: the entry list (`list`), the entry
//! form (`edit`), switching an entry on or off and deleting it (`status`),
//! "try a question" (`try_question`) and the unanswered questions
//! (`unanswered`). Shared here: the section's tabs, reading an id from the
//! path, and the tenant's call configuration the matcher runs on.

pub mod edit;
pub mod list;
pub mod status;
pub mod try_question;
pub mod unanswered;

use std::sync::Arc;

use diesel::prelude::*;

use crate::app::AppState;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::ids::{KnowledgeId, TenantId};
use crate::schema::tenants;
use crate::tenants::directory::TenantContext;

/// One tab of the section's tab strip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tab {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The section's tabs, `current` marked.
pub fn tabs(current: &str) -> Vec<Tab> {
    [
        ("/knowledge", "Entries"),
        ("/knowledge/try", "Try a question"),
        ("/knowledge/unanswered", "Unanswered questions"),
    ]
    .into_iter()
    .map(|(href, label)| Tab {
        href,
        label,
        current: href == current,
    })
    .collect()
}

/// The entry id in a path; `None` (answered with the 404 page) for anything else.
pub fn entry_id(path: &str) -> Option<KnowledgeId> {
    path.parse::<i64>().ok().map(KnowledgeId)
}

/// The tenant's call configuration as its next call would use it.
pub async fn current_context(
    state: &AppState,
    tenant: TenantId,
) -> Result<Arc<TenantContext>, AppError> {
    let version = db::run(&state.db, move |conn| {
        tenants::table
            .find(tenant)
            .select(tenants::config_version)
            .first::<i64>(conn)
            .map_err(DbError::from)
    })
    .await?;
    Ok(state.directory.context(&state.db, tenant, version).await?)
}

/// A score as the pages show it: "0.72".
pub fn score(value: f32) -> String {
    format!("{value:.2}")
}

fn internal(err: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(anyhow::Error::new(err))
}
