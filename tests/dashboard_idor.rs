//! The IDOR matrix (issue 11): every dashboard route, taken from the route
//! table (`frontdesk::web::routes::DASHBOARD`) so a new one cannot be
//! forgotten, requested by someone who must not use it.
//!
//! - A `TenantAdmin` route with path parameters gets tenant A's record ids
//!   and is requested by tenant B's admin (a POST with B's valid CSRF token
//!   and a plausible form): 404, and nothing of A's changes. The same
//!   request by A's admin is not a 404, which proves the ids were right.
//! - A `TenantAdmin` route without parameters, requested by B, shows none of
//!   A's callers' numbers or names (pages, searches, the CSV).
//! - A `SuperAdmin` route, requested by a tenant admin: 404.
//! - Any non-`Public` route, signed out: GET is sent to the sign-in form,
//!   POST is refused with 401 or 403.
//!
//! A new route whose path parameter is not in [`PARAMETER_KINDS`], or a new
//! POST route without a form in [`plausible_form`], fails the matrix with a
//! message saying what to add.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestApp;
use common::calls::{TENANT_NUMBER, TenantToml, place_call};
use common::dashboard::{Answer, SignedInClient};
use diesel::prelude::*;
use frontdesk::ids::TenantId;
use frontdesk::schema::{call_turns, calls, knowledge_entries, leads, tenants, users};
use frontdesk::users::Role;
use frontdesk::web::routes::{Access, DASHBOARD, Method, RouteSpec};
use reqwest::StatusCode;

const PASSWORD: &str = "correct horse battery";
const OTHER_NUMBER: &str = "+15005550007";
/// The caller's number of the admins' test calls (no tenant's caller).
const TEST_CALLER: &str = "+15555550123";

/// The kinds of record a tenant route's path parameter can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Call,
    Lead,
    Knowledge,
    /// An admin of the tenant (the team page).
    TeamMember,
    TestCall,
}

/// What each path parameter names, by the path segment before it and the
/// parameter's name: `/calls/{id}` is a call, `/leads/{id}/status` a lead.
/// A tenant route with a parameter missing here fails the matrix: add its
/// row (and, for a new kind, a record of that kind to [`Tenant`]).
const PARAMETER_KINDS: &[(&str, &str, Kind)] = &[
    ("calls", "id", Kind::Call),
    ("leads", "id", Kind::Lead),
    ("knowledge", "id", Kind::Knowledge),
    ("team", "id", Kind::TeamMember),
    ("test-call", "id", Kind::TestCall),
];

/// A business with an admin, a call in which the caller left a message
/// (with its lead), a call in which the caller only asked a question, and a
/// test call its admin placed from the dashboard.
struct Tenant {
    id: TenantId,
    admin: SignedInClient,
    caller: &'static str,
    caller_name: &'static str,
    message_call: i64,
    question_call: i64,
    lead: i64,
    /// A knowledge entry (from the tenant file).
    knowledge: i64,
    /// A second admin, for the team routes.
    colleague: i64,
    test_call: i64,
}

impl Tenant {
    fn record(&self, kind: Kind) -> i64 {
        match kind {
            Kind::Call => self.message_call,
            Kind::Lead => self.lead,
            Kind::Knowledge => self.knowledge,
            Kind::TeamMember => self.colleague,
            Kind::TestCall => self.test_call,
        }
    }

    /// Ways the pages might write this tenant's caller: the number as
    /// stored, without the plus, as a local number; and the caller's name.
    fn markers(&self) -> Vec<String> {
        let digits = self.caller.trim_start_matches('+');
        let local = &digits[digits.len() - 7..];
        vec![
            self.caller.to_owned(),
            digits.to_owned(),
            format!("{}-{}", &local[..3], &local[3..]),
            self.caller_name.to_owned(),
        ]
    }

    /// The markers of this tenant found in `body`.
    fn found_in(&self, body: &str) -> Vec<String> {
        self.markers()
            .into_iter()
            .filter(|m| body.contains(m.as_str()))
            .collect()
    }
}

async fn set_up_tenant(
    app: &TestApp,
    slug: &str,
    number: &str,
    caller: &'static str,
    caller_name: &'static str,
) -> Tenant {
    let id = TenantToml {
        slug: slug.to_owned(),
        number: number.to_owned(),
        ..TenantToml::always_open()
    }
    .import(app)
    .await;
    let email = format!("admin@{slug}.example");
    app.create_user(&email, PASSWORD, Role::TenantAdmin, Some(id))
        .await;
    let colleague = app
        .create_user(
            &format!("colleague@{slug}.example"),
            PASSWORD,
            Role::TenantAdmin,
            Some(id),
        )
        .await
        .0;
    let question = place_call(app, number, caller, &["Do you see children?", "no thanks"]).await;
    let message = place_call(
        app,
        number,
        caller,
        &[
            "I'd like to leave a message",
            caller_name,
            "yes",
            "no",
            "a quote for a crown",
            "yes",
            "bye",
        ],
    )
    .await;
    let question_call = common::calls::the_call(app, &question.call_sid).await.id;
    let message_call = common::calls::the_call(app, &message.call_sid).await.id;
    let lead = common::calls::the_lead(app, message_call).await;
    assert_eq!(
        lead.name.as_deref(),
        Some(caller_name),
        "the message was taken"
    );
    let knowledge = app
        .with_conn(move |conn| {
            knowledge_entries::table
                .filter(knowledge_entries::tenant_id.eq(id))
                .order(knowledge_entries::id)
                .select(knowledge_entries::id)
                .first(conn)
                .unwrap()
        })
        .await;
    let mut admin = app.sign_in(&email, PASSWORD).await;
    let started = admin
        .post_form("/test-call", &[("from", TEST_CALLER)])
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let test_call = started
        .location()
        .and_then(|l| l.strip_prefix("/test-call/"))
        .and_then(|id| id.parse().ok())
        .expect("the test call's page");
    Tenant {
        id,
        knowledge,
        admin,
        caller,
        caller_name,
        message_call,
        question_call,
        lead: lead.id,
        colleague,
        test_call,
    }
}

/// Tenant A (two calls, one lead) and tenant B, the same again.
async fn two_tenants(app: &TestApp) -> (Tenant, Tenant) {
    let a = set_up_tenant(
        app,
        "sunny-dental",
        TENANT_NUMBER,
        "+15557654321",
        "Agatha Applegate",
    )
    .await;
    let b = set_up_tenant(
        app,
        "other-dental",
        OTHER_NUMBER,
        "+15553339876",
        "Bertram Bluefield",
    )
    .await;
    assert!(a.question_call != a.message_call);
    (a, b)
}

/// The `{name}` parameters of a path pattern, each with the segment before it.
fn parameters(path: &str) -> Vec<(&str, &str)> {
    let segments: Vec<&str> = path.split('/').collect();
    segments
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let name = s.strip_prefix('{')?.strip_suffix('}')?;
            Some((segments.get(i.wrapping_sub(1)).copied().unwrap_or(""), name))
        })
        .collect()
}

/// The kind of record a parameter names; `Err` tells the developer what to add.
fn kind_of(path: &str, segment: &str, name: &str) -> Result<Kind, String> {
    PARAMETER_KINDS
        .iter()
        .find(|(s, n, _)| *s == segment && *n == name)
        .map(|(_, _, kind)| *kind)
        .ok_or_else(|| {
            format!(
                "{path}: the IDOR matrix does not know what {{{name}}} after /{segment}/ names; \
                 add a row to PARAMETER_KINDS in tests/dashboard_idor.rs"
            )
        })
}

/// The route's path with the ids of `owner`'s records; a parameter of a
/// route that is not tenant-scoped and of no known kind becomes `1`.
fn path_for(route: &RouteSpec, owner: &Tenant) -> String {
    let mut path = route.path.to_owned();
    for (segment, name) in parameters(route.path) {
        let value = match kind_of(route.path, segment, name) {
            Ok(kind) => owner.record(kind).to_string(),
            Err(message) if route.access == Access::TenantAdmin => panic!("{message}"),
            Err(_) => "1".to_owned(),
        };
        path = path.replace(&format!("{{{name}}}"), &value);
    }
    path
}

/// A form a real page of this route would post (without the CSRF token,
/// which the client adds), aimed at `owner`'s records.
fn plausible_form(route: &RouteSpec, owner: &Tenant) -> Vec<(&'static str, String)> {
    match route.path {
        "/leads/{id}/status" => vec![("status", "closed".to_owned())],
        "/tenant/switch" => vec![("tenant_id", owner.id.to_string())],
        "/admin/tenants" => vec![
            ("slug", "new-dental".to_owned()),
            ("name", "New Dental".to_owned()),
            ("timezone", "America/New_York".to_owned()),
            ("language", "en-US".to_owned()),
            ("voice", "Polly.Joanna-Neural".to_owned()),
            ("number", "+15005550099".to_owned()),
            ("admin_email", "new@new-dental.example".to_owned()),
        ],
        "/admin/tenants/{id}/name" => vec![("name", "Renamed".to_owned())],
        "/admin/tenants/{id}/disable"
        | "/admin/tenants/{id}/enable"
        | "/admin/jobs/{id}/retry"
        | "/admin/jobs/retry-dead" => Vec::new(),
        "/admin/tenants/{id}/numbers" => vec![
            ("number", OTHER_NUMBER.to_owned()),
            ("confirm_move", "yes".to_owned()),
        ],
        "/admin/tenants/{id}/numbers/remove" => vec![("number", TENANT_NUMBER.to_owned())],
        "/admin/tenants/{id}/admins" => vec![("email", "intruder@example.com".to_owned())],
        "/knowledge/new" => vec![
            ("question", "Do you validate parking tickets?".to_owned()),
            ("answer", "Yes, at the front desk.".to_owned()),
            ("active", "1".to_owned()),
        ],
        "/knowledge/{id}" => vec![
            ("question", "Do you offer teeth whitening?".to_owned()),
            ("answer", "Changed by someone else.".to_owned()),
            ("active", "1".to_owned()),
        ],
        "/knowledge/{id}/active" => vec![("active", "0".to_owned())],
        "/knowledge/{id}/delete" => Vec::new(),
        "/settings/team/{id}/disable" | "/settings/team/{id}/enable" => Vec::new(),
        // The poster's own settings: a name, a voice, and the rest left
        // blank (closed every day, default limits).
        "/settings" => vec![
            ("name", "Renamed Dental".to_owned()),
            ("language", "en-US".to_owned()),
            ("voice", "Polly.Joanna-Neural".to_owned()),
            ("timezone", "America/New_York".to_owned()),
        ],
        "/settings/team" => vec![("email", format!("invited@{}.example", owner.id))],
        // A tenant file naming the owner's business: refused (422) for
        // anyone else.
        "/settings/file" => vec![(
            "tenant_file",
            TenantToml {
                slug: "sunny-dental".to_owned(),
                ..TenantToml::always_open()
            }
            .to_toml(),
        )],
        "/test-call" => vec![("from", TEST_CALLER.to_owned())],
        "/test-call/{id}/say" => vec![
            ("turn", "0".to_owned()),
            ("text", "Do you see children?".to_owned()),
        ],
        "/test-call/{id}/transfer" => {
            vec![("turn", "0".to_owned()), ("result", "busy".to_owned())]
        }
        "/test-call/{id}/end" => Vec::new(),
        path => panic!(
            "POST {path}: the IDOR matrix has no plausible form for it; \
             add one to plausible_form in tests/dashboard_idor.rs"
        ),
    }
}

/// A request aimed at `owner`'s records: the path with their ids and, for
/// a POST, a plausible form.
struct Target {
    method: Method,
    path: String,
    form: Vec<(&'static str, String)>,
}

fn target(route: &RouteSpec, owner: &Tenant) -> Target {
    Target {
        method: route.method,
        path: path_for(route, owner),
        form: match route.method {
            Method::Get => Vec::new(),
            Method::Post => plausible_form(route, owner),
        },
    }
}

/// Sends the request; a POST carries the client's CSRF token.
async fn request(client: &mut SignedInClient, target: &Target) -> Answer {
    match target.method {
        Method::Get => client.get(&target.path).await,
        Method::Post => {
            let fields: Vec<(&str, &str)> =
                target.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            client.post_form(&target.path, &fields).await
        }
    }
}

/// What of a call a dashboard action could change.
#[derive(Debug, PartialEq, Queryable)]
struct CallState {
    id: i64,
    state: String,
    status: String,
    outcome: Option<String>,
    summary: Option<String>,
    turn_count: i32,
}

/// What of a lead a dashboard action could change.
#[derive(Debug, PartialEq, Queryable)]
struct LeadState {
    id: i64,
    call_id: Option<i64>,
    name: Option<String>,
    status: String,
    updated_at: chrono::NaiveDateTime,
}

/// What of a knowledge entry a dashboard action could change.
#[derive(Debug, PartialEq, Queryable)]
struct KnowledgeState {
    id: i64,
    question: String,
    answer: String,
    active: bool,
    updated_at: chrono::NaiveDateTime,
}

/// Everything of `tenant`'s calls, turns, leads, knowledge entries, admins and settings a
/// dashboard action could change, to compare before and after.
async fn records_of(app: &TestApp, tenant: TenantId) -> Records {
    app.with_conn(move |conn| {
        let calls = calls::table
            .filter(calls::tenant_id.eq(tenant))
            .order(calls::id)
            .select((
                calls::id,
                calls::state,
                calls::status,
                calls::outcome,
                calls::summary,
                calls::turn_count,
            ))
            .load(conn)
            .unwrap();
        let turns = call_turns::table
            .inner_join(calls::table)
            .filter(calls::tenant_id.eq(tenant))
            .count()
            .get_result(conn)
            .unwrap();
        let leads = leads::table
            .filter(leads::tenant_id.eq(tenant))
            .order(leads::id)
            .select((
                leads::id,
                leads::call_id,
                leads::name,
                leads::status,
                leads::updated_at,
            ))
            .load(conn)
            .unwrap();
        let knowledge = knowledge_entries::table
            .filter(knowledge_entries::tenant_id.eq(tenant))
            .order(knowledge_entries::id)
            .select((
                knowledge_entries::id,
                knowledge_entries::question,
                knowledge_entries::answer,
                knowledge_entries::active,
                knowledge_entries::updated_at,
            ))
            .load(conn)
            .unwrap();
        let admins = users::table
            .filter(users::tenant_id.eq(tenant))
            .order(users::id)
            .select((users::email, users::disabled))
            .load(conn)
            .unwrap();
        let config_version = tenants::table
            .find(tenant)
            .select(tenants::config_version)
            .first(conn)
            .unwrap();
        (calls, turns, leads, knowledge, admins, config_version)
    })
    .await
}

/// What [`records_of`] reads: calls, the count of turns, leads, knowledge
/// entries, admins (email, disabled) and the settings' version.
type Records = (
    Vec<CallState>,
    i64,
    Vec<LeadState>,
    Vec<KnowledgeState>,
    Vec<(String, bool)>,
    i64,
);

fn routes(access: Access) -> impl Iterator<Item = &'static RouteSpec> {
    DASHBOARD.iter().filter(move |r| r.access == access)
}

/// The list pages of the brief: wherever they exist, A's own admin sees A's
/// caller there, so their absence from B's view of them means something.
const LISTS_OF_RECORDS: &[&str] = &["/calls", "/leads", "/leads.csv"];

#[test]
fn every_parameter_of_a_tenant_route_names_a_known_kind_of_record() {
    let unknown: Vec<String> = routes(Access::TenantAdmin)
        .flat_map(|r| {
            parameters(r.path)
                .into_iter()
                .map(move |(s, n)| kind_of(r.path, s, n))
        })
        .filter_map(Result::err)
        .collect();
    assert!(unknown.is_empty(), "{}", unknown.join("\n"));
    assert_eq!(parameters("/leads/{id}/status"), [("leads", "id")]);
    let missing = kind_of("/widgets/{id}", "widgets", "id").unwrap_err();
    assert!(
        missing.contains("add a row to PARAMETER_KINDS"),
        "{missing}"
    );
}

backend_tests! {
    async fn another_tenants_records_answer_not_found_and_stay_unchanged(app: TestApp) {
        let (mut a, mut b) = two_tenants(&app).await;
        for route in routes(Access::TenantAdmin).filter(|r| !parameters(r.path).is_empty()) {
            let before = records_of(&app, a.id).await;
            let target = target(route, &a);
            let answer = request(&mut b.admin, &target).await;
            let what = format!("{:?} {} with tenant A's ids, as B's admin", route.method, route.path);
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{what}: {}", answer.body);
            assert_eq!(a.found_in(&answer.body), Vec::<String>::new(), "{what} shows A's data");
            assert_eq!(records_of(&app, a.id).await, before, "{what} changed A's records");

            let own = request(&mut a.admin, &target).await;
            assert!(own.status.is_success() || own.status.is_redirection(), "the same request as A's admin: {} {}", own.status, own.body);
        }
    }

    async fn another_tenants_admin_sees_none_of_its_callers_anywhere(app: TestApp) {
        let (mut a, mut b) = two_tenants(&app).await;
        let searches = [a.caller.to_owned(), a.caller_name.to_owned(), "crown".to_owned()];
        for route in routes(Access::TenantAdmin).filter(|r| parameters(r.path).is_empty()) {
            let before = records_of(&app, a.id).await;
            let mut views = vec![request(&mut b.admin, &target(route, &a)).await];
            if route.method == Method::Get {
                for q in &searches {
                    let query = serde_urlencoded::to_string([("q", q)]).unwrap();
                    let mut view = b.admin.get(&format!("{}?{query}", route.path)).await;
                    // B's own search term comes back to B: in the search box,
                    // and in links that keep the filter (pages, CSV).
                    view.body = view
                        .body
                        .replace(&format!("value=\"{q}\""), "value=\"\"")
                        .replace(&query, "q=");
                    views.push(view);
                }
            }
            for view in &views {
                // A tenant file naming A's business is refused outright.
                let refused = route.path == "/settings/file" && view.status == StatusCode::UNPROCESSABLE_ENTITY;
                assert!(view.status.is_success() || view.status.is_redirection() || refused, "{} as B: {}", route.path, view.status);
                assert_eq!(a.found_in(&view.body), Vec::<String>::new(), "{:?} {} as B shows A's callers", route.method, route.path);
            }
            assert_eq!(records_of(&app, a.id).await, before, "{} as B changed A's records", route.path);
            if route.method == Method::Get && LISTS_OF_RECORDS.contains(&route.path) {
                let own = a.admin.get(route.path).await;
                assert!(!a.found_in(&own.body).is_empty(), "{} as A shows A's callers: {}", route.path, own.body);
                assert!(!b.found_in(&views[0].body).is_empty(), "{} as B shows B's callers: {}", route.path, views[0].body);
            }
        }
    }

    async fn super_admin_routes_answer_not_found_to_a_tenant_admin(app: TestApp) {
        let (a, mut b) = two_tenants(&app).await;
        let before = records_of(&app, a.id).await;
        for route in routes(Access::SuperAdmin) {
            let answer = request(&mut b.admin, &target(route, &a)).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{:?} {} as a tenant admin", route.method, route.path);
            assert!(answer.body.contains("Page not found"), "the styled 404 page");
        }
        assert_eq!(records_of(&app, a.id).await, before);
    }

    async fn a_signed_out_visitor_is_turned_away_from_every_non_public_route(app: TestApp) {
        let (a, _) = two_tenants(&app).await;
        let before = records_of(&app, a.id).await;
        for route in DASHBOARD.iter().filter(|r| r.access != Access::Public) {
            let mut stranger = SignedInClient { browser: app.browser(), csrf_token: String::new() };
            let target = Target { method: route.method, path: path_for(route, &a), form: Vec::new() };
            let answer = request(&mut stranger, &target).await;
            let path = &target.path;
            match route.method {
                Method::Get => assert!(
                    answer.status == StatusCode::SEE_OTHER && answer.location().is_some_and(|l| l.starts_with("/login")),
                    "GET {path} signed out: {answer:?}"
                ),
                Method::Post => assert!(
                    matches!(answer.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
                    "POST {path} signed out: {}",
                    answer.status
                ),
            }
            assert_eq!(a.found_in(&answer.body), Vec::<String>::new(), "{path} signed out shows A's callers");
        }
        assert_eq!(records_of(&app, a.id).await, before);
    }
}
