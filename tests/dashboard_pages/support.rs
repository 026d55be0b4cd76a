//! What the page tests share: two businesses with an admin each, calls
//! placed through the webhooks, the product's worker delivering email to a
//! local SMTP server, and readers for what a page shows.

use diesel::prelude::*;
use frontdesk::schema::leads;
use reqwest::StatusCode;

use crate::common::TestApp;
pub use crate::common::businesses::{
    OTHER_NUMBER, OTHER_OWNER, OWNER, PASSWORD, harbor, owner, sunny,
};
use crate::common::calls::{TENANT_NUMBER, place_call, the_call, the_lead};
use crate::common::dashboard::{Answer, SignedInClient};

/// The second business's number and admin.
pub const NEIGHBOUR: &str = "+15551112222";

/// A caller who leaves a message as Jane Doe about a crown.
pub const MESSAGE: &[&str] = &[
    "I'd like to leave a message",
    "Jane Doe",
    "yes",
    "no",
    "a quote for a crown",
    "yes",
    "bye",
];
/// A caller who asks about whitening and nothing else.
pub const WHITENING: &[&str] = &["Do you offer teeth whitening?", "no thanks"];

/// Places a call to Sunny Dental and returns its id.
pub async fn call(app: &TestApp, from: &str, lines: &[&str]) -> i64 {
    call_to(app, TENANT_NUMBER, from, lines).await
}

pub async fn call_to(app: &TestApp, to: &str, from: &str, lines: &[&str]) -> i64 {
    let outcome = place_call(app, to, from, lines).await;
    the_call(app, &outcome.call_sid).await.id
}

/// A call that leaves a message; returns the call's and the lead's ids.
pub async fn message_call(app: &TestApp, to: &str, from: &str) -> (i64, i64) {
    let call = call_to(app, to, from, MESSAGE).await;
    (call, the_lead(app, call).await.id)
}

pub async fn lead_status(app: &TestApp, lead: i64) -> String {
    app.with_conn(move |conn| {
        leads::table
            .find(lead)
            .select(leads::status)
            .first(conn)
            .unwrap()
    })
    .await
}

/// Writes a lead's name and reason as given (words no speech recogniser
/// would produce, to see how the pages and the CSV treat them).
pub async fn rewrite_lead(app: &TestApp, lead: i64, name: &str, reason: &str) {
    let (name, reason) = (name.to_owned(), reason.to_owned());
    app.with_conn(move |conn| {
        diesel::update(leads::table.find(lead))
            .set((leads::name.eq(name), leads::reason.eq(reason)))
            .execute(conn)
            .unwrap()
    })
    .await;
}

/// GETs a page that must answer 200.
pub async fn page(client: &mut SignedInClient, path: &str) -> Answer {
    let answer = client.get(path).await;
    assert_eq!(answer.status, StatusCode::OK, "GET {path}: {}", answer.body);
    answer
}

/// The `href`s of `a[href^="/calls/"]` inside the element with `id`.
pub fn call_links(body: &str, id: &str) -> Vec<String> {
    let start = body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {body}"));
    let table = &body[start..];
    let table = &table[..table.find("</table>").unwrap_or(table.len())];
    table
        .split("href=\"/calls/")
        .skip(1)
        .map(|rest| format!("/calls/{}", &rest[..rest.find('"').unwrap()]))
        .collect()
}

/// The `href` of the link with `rel`, as a browser reads it.
pub fn link(body: &str, rel: &str) -> Option<String> {
    let at = body.find(&format!("rel=\"{rel}\" href=\""))?;
    let rest = &body[at + rel.len() + 13..];
    Some(unescape(&rest[..rest.find('"')?]))
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

pub use crate::common::worker::deliver;
