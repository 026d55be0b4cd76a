//! What the admin page tests share: the operator (a super admin), two
//! businesses with an admin each, and readers for tenants, numbers, jobs and
//! the audit log as stored.

use diesel::prelude::*;
use frontdesk::ids::{JobId, TenantId};
use frontdesk::jobs::{JobKind, enqueue, queue};
use frontdesk::schema::{audit_log, jobs, leads, phone_numbers, tenants, users};
use frontdesk::users::Role;
use reqwest::StatusCode;

use crate::common::TestApp;
use crate::common::calls::TenantToml;
use crate::common::dashboard::{Answer, SignedInClient};

pub const PASSWORD: &str = "correct horse battery";
pub const OPERATOR: &str = "operator@frontdesk.example";
pub const OWNER: &str = "owner@sunny.example";
pub const HARBOR_OWNER: &str = "owner@harbor.example";
pub const HARBOR_NUMBER: &str = "+15005550008";
pub const HARBOR_SECOND: &str = "+15005550009";

/// Sunny Dental (answering `TENANT_NUMBER`) with its admin.
pub async fn sunny(app: &TestApp) -> TenantId {
    let tenant = TenantToml::always_open().import(app).await;
    app.create_user(OWNER, PASSWORD, Role::TenantAdmin, Some(tenant))
        .await;
    tenant
}

/// Harbor Dental (answering `HARBOR_NUMBER` and `HARBOR_SECOND`) with its admin.
pub async fn harbor(app: &TestApp) -> TenantId {
    let text = format!(
        r#"slug = "harbor-dental"
name = "Harbor Dental"
timezone = "Europe/London"
language = "en-GB"
voice = "Polly.Amy"
numbers = ["{HARBOR_NUMBER}", "{HARBOR_SECOND}"]
"#
    );
    let tenant = app.import_tenant_text("harbor-dental.toml", &text).await;
    app.create_user(HARBOR_OWNER, PASSWORD, Role::TenantAdmin, Some(tenant))
        .await;
    tenant
}

/// The operator of the installation, signed in.
pub async fn operator(app: &TestApp) -> SignedInClient {
    app.create_user(OPERATOR, PASSWORD, Role::SuperAdmin, None)
        .await;
    app.sign_in(OPERATOR, PASSWORD).await
}

pub async fn owner(app: &TestApp) -> SignedInClient {
    app.sign_in(OWNER, PASSWORD).await
}

/// GETs a page that must answer 200.
pub async fn page(client: &mut SignedInClient, path: &str) -> Answer {
    let answer = client.get(path).await;
    assert_eq!(answer.status, StatusCode::OK, "GET {path}: {}", answer.body);
    answer
}

/// POSTs a form that must succeed: a 303 to `to`, whose page is returned
/// (with the flash message).
pub async fn post_ok(
    client: &mut SignedInClient,
    path: &str,
    fields: &[(&str, &str)],
    to: &str,
) -> Answer {
    let answer = client.post_form(path, fields).await;
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "POST {path}: {}",
        answer.body
    );
    assert_eq!(answer.location(), Some(to));
    page(client, to).await
}

/// POSTs a form that must be refused with 422; the page shown again.
pub async fn post_invalid(
    client: &mut SignedInClient,
    path: &str,
    fields: &[(&str, &str)],
) -> Answer {
    let answer = client.post_form(path, fields).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "POST {path} {fields:?}: {}",
        answer.body
    );
    answer
}

/// The same form without the CSRF token: refused, nothing done.
pub async fn post_without_token(client: &mut SignedInClient, path: &str, fields: &[(&str, &str)]) {
    let answer = client.browser.post(path, fields).await;
    assert_eq!(
        answer.status,
        StatusCode::FORBIDDEN,
        "POST {path} without a token"
    );
}

/// One audit entry as stored: tenant, user, action, detail.
pub type AuditRow = (Option<i64>, Option<i64>, String, String);

pub async fn audit_rows(app: &TestApp) -> Vec<AuditRow> {
    app.with_conn(|conn| {
        audit_log::table
            .order(audit_log::id)
            .select((
                audit_log::tenant_id,
                audit_log::user_id,
                audit_log::action,
                audit_log::detail,
            ))
            .load(conn)
            .unwrap()
    })
    .await
}

/// The audit actions written, in order.
pub async fn audit_actions(app: &TestApp) -> Vec<String> {
    audit_rows(app)
        .await
        .into_iter()
        .map(|(_, _, action, _)| action)
        .collect()
}

/// (name, disabled, config_version) of a tenant.
pub async fn tenant_state(app: &TestApp, id: TenantId) -> (String, bool, i64) {
    app.with_conn(move |conn| {
        tenants::table
            .find(id)
            .select((tenants::name, tenants::disabled, tenants::config_version))
            .first(conn)
            .unwrap()
    })
    .await
}

pub async fn tenant_by_slug(app: &TestApp, slug: &str) -> Option<TenantId> {
    let slug = slug.to_owned();
    app.with_conn(move |conn| {
        tenants::table
            .filter(tenants::slug.eq(slug))
            .select(tenants::id)
            .first(conn)
            .optional()
            .unwrap()
    })
    .await
}

/// The numbers a tenant answers, in the order added.
pub async fn numbers_of(app: &TestApp, id: TenantId) -> Vec<String> {
    app.with_conn(move |conn| {
        phone_numbers::table
            .filter(phone_numbers::tenant_id.eq(id))
            .order(phone_numbers::id)
            .select(phone_numbers::number)
            .load(conn)
            .unwrap()
    })
    .await
}

pub async fn user_count(app: &TestApp) -> i64 {
    app.with_conn(|conn| users::table.count().get_result(conn).unwrap())
        .await
}

pub async fn lead_count(app: &TestApp) -> i64 {
    app.with_conn(|conn| leads::table.count().get_result(conn).unwrap())
        .await
}

/// A job that failed for good with `error`.
pub async fn dead_job(app: &TestApp, call: i64, error: &'static str) -> JobId {
    app.with_conn(move |conn| {
        let now = frontdesk::clock::now();
        let kind = JobKind::SummarizeCall {
            tenant_id: TenantId(1),
            call_id: frontdesk::ids::CallId(call),
        };
        enqueue(conn, &kind, now).unwrap();
        let claimed = queue::claim(conn, "test#1", 1, now).unwrap();
        let job = claimed.into_iter().next().unwrap();
        queue::fail(
            conn,
            &job,
            error,
            true,
            std::time::Duration::from_secs(60),
            now,
        )
        .unwrap();
        job.id
    })
    .await
}

pub async fn job_status(app: &TestApp, id: JobId) -> String {
    app.with_conn(move |conn| {
        jobs::table
            .find(id)
            .select(jobs::status)
            .first(conn)
            .unwrap()
    })
    .await
}

/// The text of the field error shown for `field`.
pub fn field_error<'a>(body: &'a str, field: &str) -> Option<&'a str> {
    let marker = format!("id=\"{field}-error\">");
    let at = body.find(&marker)? + marker.len();
    let rest = &body[at..];
    Some(&rest[..rest.find('<')?])
}

/// The one-time password shown on the page.
pub fn one_time_password(body: &str) -> String {
    let marker = "id=\"one-time-password\">";
    let at = body.find(marker).expect("a one-time password is shown") + marker.len();
    let rest = &body[at..];
    rest[..rest.find('<').unwrap()].to_owned()
}
