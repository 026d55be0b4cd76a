//! What the knowledge tests share: Sunny Dental with its owner, calls
//! placed through the webhooks, the summary job run by the product's worker,
//! and readers for the rows a knowledge change writes.

use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use frontdesk::config::WorkerSettings;
use frontdesk::ids::TenantId;
use frontdesk::jobs::handlers::Handlers;
use frontdesk::jobs::worker::Worker;
use frontdesk::mail::Mailer;
use frontdesk::schema::{audit_log, calls, knowledge_entries, tenants, unanswered_questions};
use reqwest::StatusCode;

use crate::common::TestApp;
pub use crate::common::businesses::{OTHER_OWNER, PASSWORD, harbor, owner, sunny};
use crate::common::calls::{CALLER, TENANT_NUMBER, heard, place_call, the_call};
use crate::common::dashboard::{Answer, SignedInClient};

/// Calls Sunny Dental, says `lines`, and returns everything the
/// receptionist said and the call's id.
pub async fn call(app: &TestApp, lines: &[&str]) -> (String, i64) {
    let outcome = place_call(app, TENANT_NUMBER, CALLER, lines).await;
    (heard(&outcome), the_call(app, &outcome.call_sid).await.id)
}

/// GETs a page that must answer 200.
pub async fn page(client: &mut SignedInClient, path: &str) -> Answer {
    let answer = client.get(path).await;
    assert_eq!(answer.status, StatusCode::OK, "GET {path}: {}", answer.body);
    answer
}

/// HTML text as a browser reads it: the entities an escaper writes decoded.
pub fn unescape(html: &str) -> String {
    [
        ("&#60;", "<"),
        ("&lt;", "<"),
        ("&#62;", ">"),
        ("&gt;", ">"),
        ("&#34;", "\""),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&#38;", "&"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(html.to_owned(), |text, (entity, c)| text.replace(entity, c))
}

/// The id of the tenant's entry with this question.
pub async fn entry_id(app: &TestApp, question: &str) -> i64 {
    let question = question.to_owned();
    app.with_conn(move |conn| {
        knowledge_entries::table
            .filter(knowledge_entries::question.eq(question))
            .select(knowledge_entries::id)
            .first(conn)
            .unwrap()
    })
    .await
}

/// (question, answer, active) of every entry of `tenant`, in id order.
pub async fn entries(app: &TestApp, tenant: TenantId) -> Vec<(String, String, bool)> {
    app.with_conn(move |conn| {
        knowledge_entries::table
            .filter(knowledge_entries::tenant_id.eq(tenant))
            .order(knowledge_entries::id)
            .select((
                knowledge_entries::question,
                knowledge_entries::answer,
                knowledge_entries::active,
            ))
            .load(conn)
            .unwrap()
    })
    .await
}

pub async fn config_version(app: &TestApp, tenant: TenantId) -> i64 {
    app.with_conn(move |conn| {
        tenants::table
            .find(tenant)
            .select(tenants::config_version)
            .first(conn)
            .unwrap()
    })
    .await
}

/// (action, detail) of the tenant's audit entries, oldest first.
pub async fn audit(app: &TestApp, tenant: TenantId) -> Vec<(String, String)> {
    app.with_conn(move |conn| {
        audit_log::table
            .filter(audit_log::tenant_id.eq(tenant))
            .order(audit_log::id)
            .select((audit_log::action, audit_log::detail))
            .load(conn)
            .unwrap()
    })
    .await
}

/// (question, call, answered) of every recorded unanswered question.
pub async fn unanswered_rows(app: &TestApp) -> Vec<(String, i64, bool)> {
    app.with_conn(move |conn| {
        unanswered_questions::table
            .order(unanswered_questions::id)
            .select((
                unanswered_questions::question,
                unanswered_questions::call_id,
                unanswered_questions::answered,
            ))
            .load(conn)
            .unwrap()
    })
    .await
}

/// Runs the product's job worker until every ended call has its summary
/// (the summary job is where unanswered questions are recorded).
pub async fn summarize_calls(app: &TestApp) {
    let handlers = Handlers::new(
        app.pool.clone(),
        Mailer::from_config(&app.config).unwrap(),
        app.config.clone(),
        Arc::new(frontdesk::ai::RulesBrain),
    );
    let settings = WorkerSettings {
        concurrency: 2,
        poll_interval: Duration::from_millis(20),
        lease: Duration::from_secs(60),
        retry_base: Duration::from_secs(3600),
        in_process: true,
    };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = Worker::new(app.pool.clone(), handlers, settings);
    let worker = tokio::spawn(worker.run(stopped, Duration::from_secs(2)));
    let started = Instant::now();
    loop {
        let waiting: i64 = app
            .with_conn(|conn| {
                calls::table
                    .filter(calls::ended_at.is_not_null())
                    .filter(calls::summary.is_null())
                    .count()
                    .get_result(conn)
                    .unwrap()
            })
            .await;
        if waiting == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "calls were not summarised"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.send(true).unwrap();
    worker.await.unwrap();
}
