//! Signing in to the dashboard and staying safe there: sessions, throttling,
//! CSRF, security headers, roles. Everything over HTTP against the real app,
//! on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::TestApp;
use common::dashboard::Browser;
use diesel::prelude::*;
use frontdesk::ids::{TenantId, UserId};
use frontdesk::schema::{sessions, users};
use frontdesk::users::{Role, User};
use frontdesk::web::routes::{Access, DASHBOARD, Method};
use reqwest::StatusCode;

const PASSWORD: &str = "correct horse battery";

/// The demo tenant and its admin, signed in.
async fn tenant_with_admin(app: &TestApp, email: &str) -> (TenantId, UserId) {
    let tenant = app.import_tenant("examples/bright-smile.toml").await;
    let user = app
        .create_user(email, PASSWORD, Role::TenantAdmin, Some(tenant))
        .await;
    (tenant, user)
}

async fn session_rows_of(app: &TestApp, user: UserId) -> i64 {
    app.with_conn(move |conn| {
        sessions::table
            .filter(sessions::user_id.eq(user))
            .count()
            .get_result(conn)
            .unwrap()
    })
    .await
}

/// Moves every session of `user` back in time by `by`, as if it had been
/// created and last used that long ago.
async fn age_sessions(app: &TestApp, user: UserId, created: Duration, last_seen: Duration) {
    app.with_conn(move |conn| {
        let now = frontdesk::clock::now();
        diesel::update(sessions::table.filter(sessions::user_id.eq(user)))
            .set((
                sessions::created_at.eq(now - created),
                sessions::last_seen_at.eq(now - last_seen),
            ))
            .execute(conn)
            .unwrap()
    })
    .await;
}

fn is_sent_to_login(answer: &common::dashboard::Answer) -> bool {
    answer.status == StatusCode::SEE_OTHER
        && answer.location().is_some_and(|l| l.starts_with("/login"))
}

backend_tests! {
    async fn a_signed_out_visitor_is_sent_to_the_sign_in_form(app: TestApp) {
        let mut browser = app.browser();
        let home = browser.get("/").await;
        assert!(is_sent_to_login(&home), "{home:?}");
        let calls = browser.get("/account?tab=1").await;
        assert_eq!(calls.location(), Some("/login?next=%2Faccount%3Ftab%3D1"));
        let head = browser.http.head(format!("{}/login", app.address)).send().await.unwrap();
        assert_eq!(head.status(), StatusCode::OK, "GET pages answer HEAD");
        let form = browser.get("/login").await;
        assert_eq!(form.status, StatusCode::OK);
        for field in ["name=\"email\"", "name=\"password\"", "name=\"csrf_token\""] {
            assert!(form.body.contains(field), "the form lacks {field}");
        }
    }

    async fn every_non_public_route_turns_a_signed_out_visitor_away(app: TestApp) {
        for route in DASHBOARD.iter().filter(|r| r.access != Access::Public) {
            let path = route.path.replace("{id}", "1");
            let mut browser = app.browser();
            let answer = match route.method {
                Method::Get => browser.get(&path).await,
                Method::Post => browser.post(&path, &[("csrf_token", "x")]).await,
            };
            match route.method {
                Method::Get => assert!(is_sent_to_login(&answer), "GET {path}: {answer:?}"),
                Method::Post => assert!(
                    matches!(answer.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
                    "POST {path}: {}",
                    answer.status
                ),
            }
        }
    }

    async fn signing_in_gives_a_new_session_id_and_goes_to_the_page_asked_for(app: TestApp) {
        let (_, user) = tenant_with_admin(&app, "owner@example.com").await;
        let mut browser = app.browser();
        let form = browser.get("/login?next=/account").await;
        let before = browser.cookie.clone().expect("the form's session has a cookie");
        let token = form.csrf_token().unwrap();
        let signed_in = browser
            .post("/login", &[("csrf_token", &token), ("email", "Owner@Example.com "), ("password", PASSWORD), ("next", "/account")])
            .await;
        assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "{}", signed_in.body);
        assert_eq!(signed_in.location(), Some("/account"));
        let set_cookie = signed_in.header("set-cookie").unwrap();
        for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(set_cookie.contains(attribute), "{set_cookie} lacks {attribute}");
        }
        let after = browser.cookie.clone().unwrap();
        assert_ne!(before, after, "signing in must change the session id");
        let home = browser.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("Bright Smile Dental"));
        assert!(home.body.contains("href=\"/calls\"") && home.body.contains("href=\"/leads\""));

        let mut planted = Browser { cookie: Some(before), ..app.browser() };
        assert!(is_sent_to_login(&planted.get("/").await), "the pre-login id must be dead");
        let last_login = app
            .with_conn(move |conn| users::table.find(user).select(users::last_login_at).first::<Option<chrono::NaiveDateTime>>(conn).unwrap())
            .await;
        assert!(last_login.is_some());
    }

    async fn a_foreign_next_is_ignored_after_signing_in(app: TestApp) {
        tenant_with_admin(&app, "owner@example.com").await;
        let mut browser = app.browser();
        let token = browser.get("/login").await.csrf_token().unwrap();
        let answer = browser
            .post("/login", &[("csrf_token", &token), ("email", "owner@example.com"), ("password", PASSWORD), ("next", "//evil.example/")])
            .await;
        assert_eq!(answer.location(), Some("/"));
    }

    async fn a_wrong_password_and_an_unknown_email_get_the_same_answer(app: TestApp) {
        tenant_with_admin(&app, "owner@example.com").await;
        let wrong = app.browser().try_sign_in("owner@example.com", "not the password").await;
        let unknown = app.browser().try_sign_in("nobody@example.com", PASSWORD).await;
        assert_eq!(wrong.status, unknown.status);
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        for answer in [&wrong, &unknown] {
            assert!(answer.body.contains("Wrong email or password."), "{}", answer.body);
        }
    }

    async fn the_eleventh_failure_for_an_account_is_refused_even_with_the_right_password(app: TestApp) {
        tenant_with_admin(&app, "owner@example.com").await;
        let mut browser = app.browser();
        for _ in 0..10 {
            let answer = browser.try_sign_in("owner@example.com", "guess").await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        }
        let refused = browser.try_sign_in("owner@example.com", PASSWORD).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(refused.body.contains("Too many failed sign-ins. Try again in 15 minutes."), "{}", refused.body);

        // Fifteen minutes later the failures no longer count.
        app.with_conn(|conn| {
            use frontdesk::schema::login_attempts;
            let earlier = frontdesk::clock::now() - Duration::minutes(16);
            diesel::update(login_attempts::table).set(login_attempts::attempted_at.eq(earlier)).execute(conn).unwrap()
        })
        .await;
        let later = browser.try_sign_in("owner@example.com", PASSWORD).await;
        assert_eq!(later.status, StatusCode::SEE_OTHER);
    }

    async fn the_eleventh_failure_from_one_address_is_refused_for_any_account(app: TestApp) {
        let app = TestApp::spawn_with(app.backend, &[("FRONTDESK_TRUST_PROXY", "true")]).await;
        tenant_with_admin(&app, "owner@example.com").await;
        let from = |ip: &'static str| [("X-Forwarded-For", ip)];
        for i in 0..10 {
            let email = format!("guess{i}@example.com");
            let answer = app.browser().try_sign_in_with(&email, "guess", &from("203.0.113.9, 10.0.0.1")).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        }
        let refused = app.browser().try_sign_in_with("owner@example.com", PASSWORD, &from("203.0.113.9")).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        let elsewhere = app.browser().try_sign_in_with("owner@example.com", PASSWORD, &from("198.51.100.4")).await;
        assert_eq!(elsewhere.status, StatusCode::SEE_OTHER, "another address is not throttled");
    }

    async fn signing_out_ends_the_session_for_good(app: TestApp) {
        let (_, user) = tenant_with_admin(&app, "owner@example.com").await;
        let mut client = app.sign_in("owner@example.com", PASSWORD).await;
        let old_cookie = client.browser.cookie.clone();
        let out = client.post_form("/logout", &[]).await;
        assert_eq!(out.location(), Some("/login"));
        assert_eq!(session_rows_of(&app, user).await, 0);
        let mut replay = Browser { cookie: old_cookie, ..app.browser() };
        assert!(is_sent_to_login(&replay.get("/").await));
    }

    async fn disabling_a_user_ends_their_sessions(app: TestApp) {
        let (_, user) = tenant_with_admin(&app, "owner@example.com").await;
        let mut client = app.sign_in("owner@example.com", PASSWORD).await;
        app.with_conn(move |conn| User::set_disabled(conn, user, true).unwrap()).await;
        assert!(is_sent_to_login(&client.get("/").await));
        let again = app.browser().try_sign_in("owner@example.com", PASSWORD).await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED, "a disabled user cannot sign in");
    }

    async fn a_session_idle_for_thirty_minutes_has_ended(app: TestApp) {
        let (_, user) = tenant_with_admin(&app, "owner@example.com").await;
        let mut client = app.sign_in("owner@example.com", PASSWORD).await;
        age_sessions(&app, user, Duration::minutes(40), Duration::minutes(29)).await;
        assert_eq!(client.get("/").await.status, StatusCode::OK, "29 idle minutes are fine");
        let seen: chrono::NaiveDateTime = app
            .with_conn(move |conn| sessions::table.filter(sessions::user_id.eq(user)).select(sessions::last_seen_at).first(conn).unwrap())
            .await;
        assert!(frontdesk::clock::now() - seen < Duration::minutes(1), "use is recorded");
        age_sessions(&app, user, Duration::minutes(40), Duration::minutes(31)).await;
        assert!(is_sent_to_login(&client.get("/").await));
        assert_eq!(session_rows_of(&app, user).await, 0, "the dead session is deleted");
    }

    async fn a_session_in_constant_use_ends_twelve_hours_after_sign_in(app: TestApp) {
        let (_, user) = tenant_with_admin(&app, "owner@example.com").await;
        let mut client = app.sign_in("owner@example.com", PASSWORD).await;
        age_sessions(&app, user, Duration::hours(12) + Duration::minutes(1), Duration::seconds(5)).await;
        assert!(is_sent_to_login(&client.get("/").await));
    }

    async fn forms_without_the_right_token_or_from_another_site_are_refused(app: TestApp) {
        tenant_with_admin(&app, "owner@example.com").await;
        let mut client = app.sign_in("owner@example.com", PASSWORD).await;
        let missing = client.browser.post("/logout", &[]).await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        let wrong = client.browser.post("/logout", &[("csrf_token", "forged")]).await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN);
        client.browser.origin = Some("https://evil.example".to_owned());
        let foreign = client.post_form("/logout", &[]).await;
        assert_eq!(foreign.status, StatusCode::FORBIDDEN);
        assert!(foreign.body.contains("expired or was sent from another site"));
        client.browser.origin = Some(common::PUBLIC_URL.to_owned());
        assert_eq!(client.get("/").await.status, StatusCode::OK, "still signed in");
        let out = client.post_form("/logout", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER, "the public origin is this site");
    }

    async fn dashboard_pages_carry_security_headers_and_webhooks_do_not(app: TestApp) {
        tenant_with_admin(&app, "owner@example.com").await;
        let login = app.browser().get("/login").await;
        let mut client = app.sign_in("owner@example.com", PASSWORD).await;
        let home = client.get("/").await;
        for page in [&login, &home] {
            let csp = page.header("content-security-policy").unwrap();
            assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
            assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
            assert_eq!(page.header("x-frame-options"), Some("DENY"));
            assert!(page.header("referrer-policy").is_some());
            assert!(page.header("strict-transport-security").is_some(), "the public URL is https");
        }
        assert_eq!(home.header("cache-control"), Some("no-store"));
        let missing = app.browser().get("/no/such/page").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(missing.body.contains("Page not found") && missing.header("content-security-policy").is_some());

        let webhook = app.browser().post("/twilio/voice", &[("CallSid", "CA1")]).await;
        assert_eq!(webhook.status, StatusCode::BAD_REQUEST);
        let health = app.browser().get("/healthz").await;
        let unknown_twilio = app.browser().get("/twilio/nope").await;
        for answer in [&webhook, &health, &unknown_twilio] {
            assert!(answer.header("content-security-policy").is_none());
            assert!(answer.header("set-cookie").is_none());
        }
        let css = app.browser().get(&frontdesk::web::assets::STYLESHEET.url()).await;
        assert_eq!(css.status, StatusCode::OK);
        assert!(css.header("cache-control").unwrap().contains("immutable"));
    }

    async fn changing_the_password_needs_the_current_one_and_ends_other_sessions(app: TestApp) {
        tenant_with_admin(&app, "owner@example.com").await;
        let mut laptop = app.sign_in("owner@example.com", PASSWORD).await;
        let mut phone = app.sign_in("owner@example.com", PASSWORD).await;
        let new = "a brand new passphrase";
        let wrong = laptop
            .post_form("/account", &[("current_password", "not it at all"), ("new_password", new), ("confirm_password", new)])
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(wrong.body.contains("The current password is not correct."));
        assert_eq!(phone.get("/").await.status, StatusCode::OK, "nothing changed yet");

        let changed = laptop
            .post_form("/account", &[("current_password", PASSWORD), ("new_password", new), ("confirm_password", new)])
            .await;
        assert_eq!(changed.location(), Some("/account"), "{}", changed.body);
        let account = laptop.get("/account").await;
        assert_eq!(account.status, StatusCode::OK, "this session goes on");
        assert!(account.body.contains("Your password was changed."));
        assert!(is_sent_to_login(&phone.get("/").await), "the other session has ended");
        let old = app.browser().try_sign_in("owner@example.com", PASSWORD).await;
        assert_eq!(old.status, StatusCode::UNAUTHORIZED);
        app.sign_in("owner@example.com", new).await;
    }

    async fn an_open_session_cannot_be_used_to_guess_the_password(app: TestApp) {
        let (_, owner) = tenant_with_admin(&app, "owner@example.com").await;
        let mut borrowed = app.sign_in("owner@example.com", PASSWORD).await;
        let new = "a brand new passphrase";
        for n in 0..10 {
            let guess = format!("guess number {n} here");
            let wrong = borrowed
                .post_form("/account", &[("current_password", &guess), ("new_password", new), ("confirm_password", new)])
                .await;
            assert_eq!(wrong.status, StatusCode::BAD_REQUEST, "guess {n}");
        }
        let refused = borrowed
            .post_form("/account", &[("current_password", PASSWORD), ("new_password", new), ("confirm_password", new)])
            .await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(refused.body.contains("Too many wrong passwords. Try again in 15 minutes."), "{}", refused.body);
        let elsewhere = app.browser().try_sign_in("owner@example.com", PASSWORD).await;
        assert_eq!(elsewhere.status, StatusCode::TOO_MANY_REQUESTS, "the guesses count as failed sign-ins");
        let stored = app
            .with_conn(move |conn| frontdesk::users::User::password_hash_of(conn, owner).unwrap().unwrap())
            .await;
        assert!(frontdesk::users::password::verify(PASSWORD, &stored), "the password did not change");
    }

    async fn a_tenant_admin_gets_the_not_found_page_on_super_admin_routes(app: TestApp) {
        let (tenant, _) = tenant_with_admin(&app, "owner@example.com").await;
        let mut client = app.sign_in("owner@example.com", PASSWORD).await;
        let id = tenant.0.to_string();
        let answer = client.post_form("/tenant/switch", &[("tenant_id", &id)]).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
        assert!(answer.body.contains("Page not found"));
        assert!(!client.get("/").await.body.contains("tenant-switch"), "no switcher for tenant admins");
    }

    async fn a_super_admin_can_switch_between_tenants(app: TestApp) {
        app.import_tenant("examples/bright-smile.toml").await;
        let rooter = app.import_tenant("examples/rapid-rooter.toml").await;
        app.create_user("root@example.com", PASSWORD, Role::SuperAdmin, None).await;
        let mut client = app.sign_in("root@example.com", PASSWORD).await;
        let home = client.get("/").await;
        assert!(home.body.contains("<span class=\"muted\">· Bright Smile Dental</span>"), "the first tenant by default");
        assert!(home.body.contains("Rapid Rooter Plumbing"), "the switcher lists every tenant");
        let id = rooter.0.to_string();
        let switched = client.post_form("/tenant/switch", &[("tenant_id", &id)]).await;
        assert_eq!(switched.location(), Some("/"));
        let home = client.get("/").await;
        assert!(home.body.contains("<span class=\"muted\">· Rapid Rooter Plumbing</span>"), "{}", home.body);
        let nowhere = client.post_form("/tenant/switch", &[("tenant_id", "999999")]).await;
        assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    }

    async fn the_demo_tenant_admin_from_the_first_run_can_sign_in(app: TestApp) {
        let public_url = app.config.public_url.clone();
        let report = app
            .with_conn(move |conn| frontdesk::tenants::seed::seed_first_run(conn, &public_url).unwrap().unwrap())
            .await;
        assert!(report.to_string().contains(&format!("{}/login", common::PUBLIC_URL)));
        let (email, password) = report.tenant_admins.first().cloned().expect("the demo tenant has an admin");
        let mut client = app.sign_in(&email, &password).await;
        assert!(client.get("/").await.body.contains("Bright Smile Dental"));
        app.sign_in(frontdesk::tenants::seed::SUPER_ADMIN_EMAIL, &report.super_admin_password).await;
    }
}
