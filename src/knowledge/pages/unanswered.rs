//! GET /knowledge/unanswered: the questions callers asked that the
//! receptionist could not answer (or answered from a weak match), grouped
//! by what they ask, each with a link that starts an entry from it.

use actix_web::{HttpResponse, web};
use askama::Template;

use super::{Tab, current_context, score, tabs};
use crate::app::AppState;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::knowledge::unanswered::{Group, recent, still_open};
use crate::web::format;
use crate::web::guard::TenantAdmin;
use crate::web::layout::{Nav, Page, render};

/// A group as the page shows it.
pub struct GroupView {
    pub phrasing: String,
    pub other_phrasings: Vec<String>,
    pub count: usize,
    pub last_asked: String,
    pub call_hrefs: Vec<String>,
    pub best_score: String,
    pub weakly_answered: bool,
    /// The new-entry form with this phrasing as its question.
    pub add_href: String,
    /// The closest entry's form with this phrasing added to its other
    /// phrasings, and that entry's question.
    pub add_to: Option<(String, String)>,
}

impl GroupView {
    fn new(group: Group, tz: chrono_tz::Tz) -> GroupView {
        let query = serde_urlencoded::to_string([("question", group.phrasing.as_str())])
            .unwrap_or_default();
        let phrasing = serde_urlencoded::to_string([("also_asked", group.phrasing.as_str())])
            .unwrap_or_default();
        GroupView {
            add_href: format!("/knowledge/new?{query}"),
            add_to: group
                .closest
                .map(|(id, question)| (format!("/knowledge/{id}?{phrasing}"), question)),
            count: group.count,
            last_asked: format::short_time(tz, group.last_asked),
            call_hrefs: group
                .calls
                .iter()
                .map(|call| format!("/calls/{call}"))
                .collect(),
            best_score: score(group.best_score),
            weakly_answered: group.weakly_answered,
            phrasing: group.phrasing,
            other_phrasings: group.other_phrasings,
        }
    }
}

#[derive(Template)]
#[template(path = "dashboard/knowledge_unanswered.html")]
struct UnansweredPage {
    page: Page,
    tabs: Vec<Tab>,
    groups: Vec<GroupView>,
}

/// GET /knowledge/unanswered.
pub async fn index(
    admin: TenantAdmin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let tenant = admin.tenant_id;
    let asked = db::run(&state.db, move |conn| {
        Ok::<_, DbError>(recent(conn, tenant)?)
    })
    .await?;
    let ctx = current_context(&state, tenant).await?;
    let groups = still_open(asked, &ctx)
        .into_iter()
        .map(|group| GroupView::new(group, admin.timezone))
        .collect();
    render(&UnansweredPage {
        page: Page::tenant(&admin, "Unanswered questions", Nav::Knowledge),
        tabs: tabs("/knowledge/unanswered"),
        groups,
    })
}
