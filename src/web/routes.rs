//! The dashboard's route table: every dashboard URL, declared once.
//!
//! Each line of `dashboard_routes!` below both registers a route with actix
//! and adds it to [`DASHBOARD`], the list tests iterate (the IDOR matrix
//! requests every `TenantAdmin` route as another tenant's admin; the
//! signed-out test requests every non-`Public` one without a session).
//!
//! **Adding a page** is one line in the table:
//!
//! ```text
//! get  "/calls/{id}"   TenantAdmin => crate::calls::pages::detail;
//! ```
//!
//! - the method (`get` or `post`) and the actix path pattern;
//! - who may use it ([`Access`]). This is a declaration for the tests: the
//!   handler enforces it by its extractor argument (`CurrentUser`,
//!   `TenantAdmin`, `SuperAdmin`; none for `Public`). A `TenantAdmin`
//!   route's path parameters are ids of the signed-in tenant's records, and
//!   its handler must answer 404 for anyone else's;
//! - the handler (any path). A `post` handler takes its form as
//!   `CsrfForm<T>`; a `get` handler changes nothing.
//!
//! Every route here runs inside the dashboard scope: sessions, security
//! headers, styled 404/500 pages. The Twilio webhooks and the health probes
//! are registered before it (`app::routes`) and get none of that.

use actix_web::{guard, middleware, web};

use super::{account, assets, errors, login, overview, security_headers, session, tenant_switch};
use crate::app::AppState;

/// An HTTP method of a dashboard route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// A tenant's admin (or a super admin looking at a tenant); path
    /// parameters are ids of that tenant's records.
    TenantAdmin,
    SuperAdmin,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: Method,
    /// The actix pattern, e.g. `/calls/{id}`.
    pub path: &'static str,
    pub access: Access,
}

macro_rules! route_method {
    (get) => {
        Method::Get
    };
    (post) => {
        Method::Post
    };
}

/// The actix route of a method; a GET route answers HEAD too (monitors
/// and link checkers use it; actix sends the headers without the body).
macro_rules! route_for {
    (get) => {
        web::route().guard(guard::Any(guard::Get()).or(guard::Head()))
    };
    (post) => {
        web::post()
    };
}

macro_rules! dashboard_routes {
    ($($method:ident $path:literal $access:ident => $handler:path;)*) => {
        /// Every dashboard route, in registration order.
        pub const DASHBOARD: &[RouteSpec] = &[$(
            RouteSpec { method: route_method!($method), path: $path, access: Access::$access },
        )*];

        /// Registers every route of `DASHBOARD` with its handler.
        fn register(cfg: &mut web::ServiceConfig) {
            $(cfg.route($path, route_for!($method).to($handler));)*
        }
    };
}

dashboard_routes! {
    get  "/"                  TenantAdmin => overview::show;
    get  "/calls"             TenantAdmin => crate::calls::pages::list::index;
    get  "/calls/{id}"        TenantAdmin => crate::calls::pages::detail::show;
    get  "/leads"             TenantAdmin => crate::leads::pages::list::index;
    post "/leads/{id}/status" TenantAdmin => crate::leads::pages::status::change;
    get  "/leads.csv"         TenantAdmin => crate::leads::pages::download::csv;
    get  "/knowledge"         TenantAdmin => crate::knowledge::pages::list::index;
    get  "/knowledge/new"     TenantAdmin => crate::knowledge::pages::edit::new;
    post "/knowledge/new"     TenantAdmin => crate::knowledge::pages::edit::create;
    get  "/knowledge/try"     TenantAdmin => crate::knowledge::pages::try_question::show;
    get  "/knowledge/unanswered" TenantAdmin => crate::knowledge::pages::unanswered::index;
    get  "/knowledge/{id}"    TenantAdmin => crate::knowledge::pages::edit::edit;
    post "/knowledge/{id}"    TenantAdmin => crate::knowledge::pages::edit::update;
    post "/knowledge/{id}/active" TenantAdmin => crate::knowledge::pages::status::set_active;
    get  "/knowledge/{id}/delete" TenantAdmin => crate::knowledge::pages::status::confirm_delete;
    post "/knowledge/{id}/delete" TenantAdmin => crate::knowledge::pages::status::delete;
    get  "/test-call"                TenantAdmin => crate::test_call::pages::start::show;
    post "/test-call"                TenantAdmin => crate::test_call::pages::start::begin;
    get  "/test-call/{id}"           TenantAdmin => crate::test_call::pages::conversation::show;
    post "/test-call/{id}/say"       TenantAdmin => crate::test_call::pages::conversation::say;
    post "/test-call/{id}/transfer"  TenantAdmin => crate::test_call::pages::conversation::transfer;
    post "/test-call/{id}/end"       TenantAdmin => crate::test_call::pages::conversation::end;
    get  "/login"             Public      => login::form;
    post "/login"             Public      => login::submit;
    post "/logout"            SignedIn    => login::logout;
    get  "/account"           SignedIn    => account::show;
    post "/account"           SignedIn    => account::change_password;
    post "/tenant/switch"     SuperAdmin  => tenant_switch::switch;
    get  "/admin"                              SuperAdmin => super::admin::index;
    get  "/admin/tenants"                      SuperAdmin => super::admin::tenants::list;
    get  "/admin/tenants/new"                  SuperAdmin => super::admin::tenants::new;
    post "/admin/tenants"                      SuperAdmin => super::admin::tenants::create;
    get  "/admin/tenants/{id}"                 SuperAdmin => super::admin::tenant::show;
    post "/admin/tenants/{id}/name"            SuperAdmin => super::admin::tenant::rename;
    post "/admin/tenants/{id}/disable"         SuperAdmin => super::admin::tenant::disable;
    post "/admin/tenants/{id}/enable"          SuperAdmin => super::admin::tenant::enable;
    post "/admin/tenants/{id}/numbers"         SuperAdmin => super::admin::tenant::assign_number;
    post "/admin/tenants/{id}/numbers/remove"  SuperAdmin => super::admin::tenant::remove_number;
    post "/admin/tenants/{id}/admins"          SuperAdmin => super::admin::tenant::invite_admin;
    get  "/admin/system"                       SuperAdmin => super::admin::system::show;
    post "/admin/jobs/{id}/retry"              SuperAdmin => super::admin::system::retry;
    post "/admin/jobs/retry-dead"              SuperAdmin => super::admin::system::retry_dead;
    get  "/admin/audit"                        SuperAdmin => super::admin::audit::list;
    get  "/settings"          TenantAdmin => crate::tenants::pages::settings::show;
    post "/settings"          TenantAdmin => crate::tenants::pages::settings::save;
    get  "/settings/team"     TenantAdmin => crate::tenants::pages::team::show;
    post "/settings/team"     TenantAdmin => crate::tenants::pages::team::invite;
    post "/settings/team/{id}/disable" TenantAdmin => crate::tenants::pages::team::disable;
    post "/settings/team/{id}/enable"  TenantAdmin => crate::tenants::pages::team::enable;
    get  "/settings/file"     TenantAdmin => crate::tenants::pages::tenant_file::show;
    post "/settings/file"     TenantAdmin => crate::tenants::pages::tenant_file::upload;
    get  "/settings/file/download" TenantAdmin => crate::tenants::pages::tenant_file::download;
}

/// The dashboard: static files (no session), then every route of the table
/// in one scope with the session, the security headers and the styled
/// error pages; any other path (except under `/twilio/`) gets the 404 page.
pub fn configure(cfg: &mut web::ServiceConfig, state: &AppState) {
    let https = state.config.public_url.starts_with("https://");
    cfg.service(assets::serve).service(
        web::scope("")
            .guard(guard::fn_guard(|ctx| {
                !ctx.head().uri.path().starts_with("/twilio/")
            }))
            .wrap(errors::styled())
            .wrap(session::middleware(
                state.db.clone(),
                state.session_key.clone(),
                https,
            ))
            .wrap(middleware::from_fn(security_headers::add))
            .configure(register)
            .default_service(web::to(errors::not_found)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_declared_once() {
        for (i, a) in DASHBOARD.iter().enumerate() {
            for b in &DASHBOARD[i + 1..] {
                assert!(
                    (a.method, a.path) != (b.method, b.path),
                    "{:?} {} is declared twice",
                    a.method,
                    a.path
                );
            }
        }
    }

    #[test]
    fn only_the_sign_in_form_is_public() {
        let public: Vec<_> = DASHBOARD
            .iter()
            .filter(|r| r.access == Access::Public)
            .map(|r| r.path)
            .collect();
        assert_eq!(public, ["/login", "/login"]);
    }
}
