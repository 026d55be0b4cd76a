//! GET /knowledge/try?q=...: what the receptionist would answer to a
//! question, from which entries and how strongly. Changes nothing.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{Tab, current_context, score, tabs};
use crate::app::AppState;
use crate::error::AppError;
use crate::knowledge::trial::{Trial, try_question};
use crate::web::guard::TenantAdmin;
use crate::web::layout::{Nav, Page, render};
use crate::web::listing::read_query;

/// Longer than anyone says in one breath; the rest is not read.
const MAX_QUESTION_CHARS: usize = 500;

#[derive(Debug, Default, Deserialize)]
pub struct TryQuery {
    q: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard/knowledge_try.html")]
struct TryPage {
    page: Page,
    tabs: Vec<Tab>,
    q: String,
    trial: Option<Trial>,
}

impl TryPage {
    fn score(&self, value: &f32) -> String {
        score(*value)
    }
}

/// GET /knowledge/try.
pub async fn show(
    admin: TenantAdmin,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (query, _) = read_query::<TryQuery>(req.query_string());
    let q: String = query
        .q
        .unwrap_or_default()
        .trim()
        .chars()
        .take(MAX_QUESTION_CHARS)
        .collect();
    let trial = if q.is_empty() {
        None
    } else {
        let ctx = current_context(&state, admin.tenant_id).await?;
        Some(try_question(&ctx, &q))
    };
    render(&TryPage {
        page: Page::tenant(&admin, "Try a question", Nav::Knowledge),
        tabs: tabs("/knowledge/try"),
        q,
        trial,
    })
}
