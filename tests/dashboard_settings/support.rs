//! What the settings tests share: Sunny Dental with its owner, a reader
//! that fills in a page's form as a browser would submit it, and readers
//! for the audit log and the tenant's stored configuration.

use diesel::prelude::*;
use frontdesk::ids::TenantId;
use frontdesk::schema::{audit_log, tenants};
use frontdesk::users::Role;
use reqwest::StatusCode;

use crate::common::TestApp;
use crate::common::calls::TenantToml;
use crate::common::dashboard::{Answer, SignedInClient};

pub const PASSWORD: &str = "correct horse battery";
pub const OWNER: &str = "owner@sunny.example";
pub const OTHER_NUMBER: &str = "+15005550008";
pub const OTHER_OWNER: &str = "owner@harbor.example";

/// Sunny Dental (open around the clock) with its owner signed in.
pub async fn sunny(app: &TestApp) -> (TenantId, SignedInClient) {
    let tenant = TenantToml::always_open().import(app).await;
    app.create_user(OWNER, PASSWORD, Role::TenantAdmin, Some(tenant))
        .await;
    (tenant, app.sign_in(OWNER, PASSWORD).await)
}

/// A second business with its own admin (not signed in).
pub async fn harbor(app: &TestApp) -> TenantId {
    let tenant = TenantToml {
        slug: "harbor-dental".to_owned(),
        number: OTHER_NUMBER.to_owned(),
        ..TenantToml::always_open()
    }
    .import(app)
    .await;
    app.create_user(OTHER_OWNER, PASSWORD, Role::TenantAdmin, Some(tenant))
        .await;
    tenant
}

/// GETs a page that must answer 200.
pub async fn page(client: &mut SignedInClient, path: &str) -> Answer {
    let answer = client.get(path).await;
    assert_eq!(answer.status, StatusCode::OK, "GET {path}: {}", answer.body);
    answer
}

/// The fields of the page's `<form method="post" action="{action}">` as a
/// browser submits them: inputs with their values (checkboxes only when
/// ticked), textareas with their text, selects with their selected option.
pub fn form_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let start = html
        .find(&format!("action=\"{action}\""))
        .unwrap_or_else(|| panic!("no form posting to {action}"));
    let form = &html[start..];
    let form = &form[..form.find("</form>").unwrap()];
    let mut fields = Vec::new();
    let mut rest = form;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let tag_end = rest.find('>').unwrap();
        let tag = &rest[..tag_end];
        let name = attribute(tag, "name");
        if tag.starts_with("<input") {
            if let Some(name) = name {
                let checkbox = attribute(tag, "type").as_deref() == Some("checkbox");
                if !checkbox || tag.contains(" checked") {
                    fields.push((name, attribute(tag, "value").unwrap_or_default()));
                }
            }
        } else if tag.starts_with("<textarea") {
            let text_end = rest.find("</textarea>").unwrap();
            if let Some(name) = name {
                fields.push((name, unescape(&rest[tag_end + 1..text_end])));
            }
        } else if tag.starts_with("<select") {
            let select_end = rest.find("</select>").unwrap();
            let options = &rest[tag_end..select_end];
            let selected = options
                .split("<option")
                .find(|option| option.contains(" selected"))
                .map(|option| match attribute(option, "value") {
                    Some(value) => value,
                    None => unescape(
                        option[option.find('>').unwrap() + 1..]
                            .split('<')
                            .next()
                            .unwrap(),
                    ),
                });
            if let (Some(name), Some(value)) = (name, selected) {
                fields.push((name, value));
            }
        }
        rest = &rest[1..];
    }
    fields
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// Undoes askama's HTML escaping.
pub fn unescape(html: &str) -> String {
    html.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&gt;", ">")
        .replace("&#62;", ">")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

/// `fields` with each of `changes` set (added when absent).
pub fn with(fields: &[(String, String)], changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields = fields.to_vec();
    for (name, value) in changes {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = (*value).to_owned(),
            None => fields.push(((*name).to_owned(), (*value).to_owned())),
        }
    }
    fields
}

/// `fields` without the checkbox (or field) `name`.
pub fn without(fields: &[(String, String)], name: &str) -> Vec<(String, String)> {
    fields.iter().filter(|(n, _)| n != name).cloned().collect()
}

/// Posts the fields (which carry the page's own `csrf_token`).
pub async fn post(client: &mut SignedInClient, path: &str, fields: &[(String, String)]) -> Answer {
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client.browser.post(path, &fields).await
}

/// The tenant's audit entries as (action, detail), oldest first.
pub async fn audit_entries(app: &TestApp, tenant: TenantId) -> Vec<(String, String)> {
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

/// The tenant as `frontdesk tenant export` prints it.
pub async fn exported(app: &TestApp, slug: &str) -> String {
    let slug = slug.to_owned();
    app.with_conn(move |conn| {
        frontdesk::tenants::store::export(conn, &slug)
            .unwrap()
            .unwrap()
            .to_toml()
    })
    .await
}

/// Today's date on the tenant's clock (New York), shifted by `days`.
pub fn local_day(days: i64) -> String {
    let today = frontdesk::calls::local_time::local_date(
        chrono_tz::America::New_York,
        frontdesk::clock::now(),
    );
    (today + chrono::Duration::days(days)).to_string()
}
