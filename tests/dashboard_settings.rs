//! The Settings section over HTTP (issue 12): the receptionist settings
//! form, the team and the tenant file, each change checked where it
//! matters: the next call placed through the real webhooks, on SQLite and
//! on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "dashboard_settings/support.rs"]
mod support;

use common::calls::{CALLER, TENANT_NUMBER, heard, place_call};
use diesel::prelude::*;
use frontdesk::schema::{knowledge_entries, phone_numbers, tenants, users};
use frontdesk::users::Role;
use reqwest::StatusCode;
use support::*;

const NEW_GREETING: &str = "Hello from the brand new Sunny Smiles front desk!";

backend_tests! {
    async fn a_saved_greeting_and_department_are_used_by_the_next_call(app: TestApp) {
        let (tenant, mut owner) = sunny(&app).await;
        let settings = page(&mut owner, "/settings").await;
        assert!(settings.body.contains("<title>Settings · Frontdesk</title>"));
        assert!(settings.body.contains("aria-current=\"page\">Receptionist<"));
        let fields = form_fields(&settings.body, "/settings");
        assert!(fields.contains(&("name".to_owned(), "Sunny Dental".to_owned())), "{fields:?}");
        assert!(fields.contains(&("hours.mon.close".to_owned(), "24:00".to_owned())));
        assert!(fields.contains(&("departments[1].name".to_owned(), "Billing".to_owned())));
        let version = config_version(&app, tenant).await;

        let changed = with(&fields, &[
            ("greeting", NEW_GREETING),
            ("departments[2].name", "Orthodontics"),
            ("departments[2].phone", "+15551239999"),
            ("departments[2].keywords", "braces, aligners"),
        ]);
        let saved = post(&mut owner, "/settings", &changed).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(saved.location(), Some("/settings"));
        let shown = page(&mut owner, "/settings").await;
        assert!(shown.body.contains("Settings saved (greeting, departments). The next call uses them."), "{}", shown.body);
        assert!(shown.body.contains(NEW_GREETING));
        assert!(config_version(&app, tenant).await > version, "the change is live for every instance");
        assert_eq!(
            audit_entries(&app, tenant).await,
            [("settings.updated".to_owned(), "Changed: greeting, departments".to_owned())]
        );

        let call = place_call(&app, TENANT_NUMBER, CALLER, &["I need braces", "no thanks"]).await;
        let said = heard(&call);
        assert!(said.contains(NEW_GREETING), "{said}");
        assert!(said.contains("Orthodontics"), "the new department is offered: {said}");
    }

    async fn a_closure_today_closes_the_business_for_the_next_call(app: TestApp) {
        let (tenant, mut owner) = sunny(&app).await;
        let fields = form_fields(&page(&mut owner, "/settings").await.body, "/settings");
        let (yesterday, tomorrow) = (local_day(-1), local_day(1));
        let changed = with(&fields, &[
            ("closures[0].date", yesterday.as_str()),
            ("closures[0].until", tomorrow.as_str()),
            ("closures[0].name", "Christmas"),
        ]);
        let saved = post(&mut owner, "/settings", &changed).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(audit_entries(&app, tenant).await[0].1, "Changed: closures");
        let file = exported(&app, "sunny-dental").await;
        assert!(file.contains(&format!("[[closures]]\ndate = \"{yesterday}\"\nuntil = \"{tomorrow}\"\nname = \"Christmas\"")), "{file}");

        let call = place_call(&app, TENANT_NUMBER, CALLER, &["Are you open right now?", "no thanks"]).await;
        let said = heard(&call);
        assert!(said.contains("closed today for Christmas"), "{said}");

        // Removing the row opens the business again.
        let fields = form_fields(&page(&mut owner, "/settings").await.body, "/settings");
        let cleared = with(&fields, &[("closures[0].date", ""), ("closures[0].until", ""), ("closures[0].name", "")]);
        assert_eq!(post(&mut owner, "/settings", &cleared).await.status, StatusCode::SEE_OTHER);
        let call = place_call(&app, TENANT_NUMBER, CALLER, &["Are you open right now?", "no thanks"]).await;
        assert!(heard(&call).contains("open right now"), "{}", heard(&call));
    }

    async fn each_mistake_is_shown_next_to_its_field_with_what_was_typed_and_nothing_is_saved(app: TestApp) {
        let (tenant, mut owner) = sunny(&app).await;
        let fields = form_fields(&page(&mut owner, "/settings").await.body, "/settings");
        let version = config_version(&app, tenant).await;
        let wrong = with(&fields, &[
            ("name", ""),
            ("greeting", "Hi <b>there</b>"),
            ("voice", "Polly.Nobody"),
            ("timezone", "Mars/Olympus"),
            ("hours.mon.open", "9am"),
            ("hours.tue.open", "17:00"),
            ("hours.tue.close", "08:00"),
            ("closures[0].date", "next friday"),
            ("closures[1].date", "2026-12-26"),
            ("closures[1].until", "2026-12-24"),
            ("departments[0].phone", "555-1234"),
            ("departments[1].name", "appointments"),
            ("transfer_number", TENANT_NUMBER),
            ("emergency_number", "nine"),
            ("notification_emails", "owner@sunny.example\nnot-an-email"),
            ("limits.max_turns", "lots"),
            ("limits.max_call_seconds", "5"),
            ("retention_days", "0"),
            ("protection.blocked_numbers", "+15551112222\n12345"),
        ]);
        let refused = post(&mut owner, "/settings", &wrong).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        let body = unescape(&refused.body);
        assert!(body.contains("Nothing was saved."));
        for (id, message) in [
            ("name-error", "Must not be empty"),
            ("voice-error", "\"Polly.Nobody\" is not a Twilio voice"),
            ("timezone-error", "Unknown time zone \"Mars/Olympus\""),
            ("hours-mon-error", "\"9am\" is not a time of day"),
            ("hours-tue-error", "Opens at 17:00 but closes at 08:00"),
            ("closures-0-date-error", "\"next friday\" is not a date; write YYYY-MM-DD"),
            ("closures-1-until-error", "2026-12-24 is before the first day 2026-12-26"),
            ("departments-0-phone-error", "\"555-1234\" is not an E.164 phone number"),
            ("departments-1-name-error", "Department \"appointments\" is listed twice"),
            ("transfer_number-error", "is one of this tenant's own numbers"),
            ("emergency_number-error", "\"nine\" is not an emergency number"),
            ("notification_emails-error", "\"not-an-email\" is not an email address"),
            ("limits-max_turns-error", "\"lots\" is not a whole number"),
            ("limits-max_call_seconds-error", "5 is out of range; it must be between 30 and 7200"),
            ("retention_days-error", "0 is out of range"),
            ("blocked_numbers-error", "\"12345\" is not an E.164 phone number"),
        ] {
            let at = body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no {id} in {body}"));
            let text = &body[at..at + body[at..].find("</p>").unwrap()];
            assert!(text.contains(message), "{id}: {text}");
        }
        assert!(refused.body.contains("Hi &#60;b&#62;there&#60;/b&#62;") || refused.body.contains("Hi &lt;b&gt;there&lt;/b&gt;"), "typed text is escaped");
        let shown = form_fields(&refused.body, "/settings");
        for typed in [("hours.mon.open", "9am"), ("closures[0].date", "next friday"), ("limits.max_turns", "lots"), ("departments[0].phone", "555-1234")] {
            assert!(shown.contains(&(typed.0.to_owned(), typed.1.to_owned())), "{typed:?} is shown again");
        }
        assert_eq!(config_version(&app, tenant).await, version, "nothing was saved");
        assert_eq!(audit_entries(&app, tenant).await, Vec::<(String, String)>::new());
    }

    async fn the_form_changes_nothing_it_does_not_show(app: TestApp) {
        let tenant = common::calls::TenantToml::always_open()
            .setting("twilio_auth_token = \"tenant-own-token-123\"")
            .import(&app)
            .await;
        app.create_user(OWNER, PASSWORD, Role::TenantAdmin, Some(tenant)).await;
        let mut owner = app.sign_in(OWNER, PASSWORD).await;
        let before = exported(&app, "sunny-dental").await;
        let fields = form_fields(&page(&mut owner, "/settings").await.body, "/settings");
        let sneaky = with(&fields, &[
            ("greeting", NEW_GREETING),
            ("numbers", "+15005550009"),
            ("slug", "taken-over"),
            ("twilio_auth_token", "attacker"),
            ("knowledge[0].answer", "Free whitening for everyone!"),
            ("admins[0].email", "attacker@evil.example"),
        ]);
        assert_eq!(post(&mut owner, "/settings", &sneaky).await.status, StatusCode::SEE_OTHER);
        let after = exported(&app, "sunny-dental").await;
        assert_eq!(after.replace(&format!("greeting = \"{NEW_GREETING}\"\n"), ""), before);
        let (token, numbers, knowledge, admins) = app.with_conn(move |conn| {
            let token: Option<String> = tenants::table.find(tenant).select(tenants::twilio_auth_token).first(conn).unwrap();
            let numbers: Vec<String> = phone_numbers::table.filter(phone_numbers::tenant_id.eq(tenant)).select(phone_numbers::number).load(conn).unwrap();
            let knowledge: i64 = knowledge_entries::table.filter(knowledge_entries::tenant_id.eq(tenant)).count().get_result(conn).unwrap();
            let admins: Vec<String> = users::table.filter(users::tenant_id.eq(tenant)).select(users::email).load(conn).unwrap();
            (token, numbers, knowledge, admins)
        }).await;
        assert_eq!(token.as_deref(), Some("tenant-own-token-123"));
        assert_eq!(numbers, [TENANT_NUMBER]);
        assert_eq!(knowledge, 3);
        assert_eq!(admins, [OWNER]);
    }

    async fn saving_the_settings_unchanged_says_so_and_writes_nothing(app: TestApp) {
        let (tenant, mut owner) = sunny(&app).await;
        let fields = form_fields(&page(&mut owner, "/settings").await.body, "/settings");
        let version = config_version(&app, tenant).await;
        let answer = post(&mut owner, "/settings", &fields).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        assert!(page(&mut owner, "/settings").await.body.contains("Nothing changed."));
        assert_eq!(config_version(&app, tenant).await, version);
        assert!(audit_entries(&app, tenant).await.is_empty());
    }

    async fn settings_forms_refuse_a_missing_csrf_token_and_strangers(app: TestApp) {
        let (tenant, mut owner) = sunny(&app).await;
        let fields = form_fields(&page(&mut owner, "/settings").await.body, "/settings");
        let forged = with(&without(&fields, "csrf_token"), &[("greeting", NEW_GREETING)]);
        let version = config_version(&app, tenant).await;
        for path in ["/settings", "/settings/team", "/settings/file"] {
            let answer = post(&mut owner, path, &forged).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{path}");
        }
        let wrong_token = with(&fields, &[("csrf_token", "not-the-token"), ("greeting", NEW_GREETING)]);
        assert_eq!(post(&mut owner, "/settings", &wrong_token).await.status, StatusCode::FORBIDDEN);
        assert_eq!(config_version(&app, tenant).await, version);

        let mut stranger = app.browser();
        for path in ["/settings", "/settings/team", "/settings/file", "/settings/file/download"] {
            let answer = stranger.get(path).await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "{path}");
            assert!(answer.location().unwrap().starts_with("/login"), "{path}");
        }
        assert_eq!(audit_entries(&app, tenant).await, Vec::<(String, String)>::new());
    }

    async fn an_invited_admin_gets_a_one_time_password_once_and_must_replace_it(app: TestApp) {
        let (tenant, mut owner) = sunny(&app).await;
        let team = page(&mut owner, "/settings/team").await;
        let table = &team.body[team.body.find("id=\"team\"").unwrap()..];
        let own_row = &table[table.find(OWNER).unwrap()..];
        assert!(own_row[..own_row.find("</tr>").unwrap()].contains("badge info\">You<"), "{}", team.body);
        let invited = owner.post_form("/settings/team", &[("email", "  New.Hire@Sunny.example ")]).await;
        assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
        assert_eq!(invited.header("cache-control"), Some("no-store"));
        let start = invited.body.find("id=\"one-time-password\">").unwrap() + "id=\"one-time-password\">".len();
        let one_time = invited.body[start..start + invited.body[start..].find('<').unwrap()].to_owned();
        assert!(one_time.len() >= 12, "{one_time}");
        assert!(invited.body.contains("new.hire@sunny.example was invited"));
        let again = page(&mut owner, "/settings/team").await;
        assert!(!again.body.contains(&one_time), "the password is shown once");
        assert!(again.body.contains("new.hire@sunny.example") && again.body.contains("Invited"));
        assert_eq!(
            audit_entries(&app, tenant).await,
            [("team.invited".to_owned(), "new.hire@sunny.example".to_owned())]
        );

        let taken = owner.post_form("/settings/team", &[("email", OWNER)]).await;
        assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(taken.body.contains("There is already a user with this email address.") && taken.body.contains(&format!("value=\"{OWNER}\"")));
        let invalid = owner.post_form("/settings/team", &[("email", "not an email")]).await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(invalid.body.contains("id=\"email-error\">Enter an email address"));

        let mut hire = app.browser();
        assert_eq!(hire.try_sign_in("new.hire@sunny.example", &one_time).await.status, StatusCode::SEE_OTHER);
        for path in ["/", "/calls", "/settings", "/settings/team"] {
            let answer = hire.get(path).await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "{path}");
            assert_eq!(answer.location(), Some("/account"), "{path}");
        }
        let account = hire.get("/account").await;
        assert!(account.body.contains("You signed in with a one-time password"));
        let token = account.csrf_token().unwrap();
        let changed = hire.post("/account", &[
            ("csrf_token", token.as_str()),
            ("current_password", one_time.as_str()),
            ("new_password", "my very own password"),
            ("confirm_password", "my very own password"),
        ]).await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
        assert_eq!(changed.location(), Some("/"));
        assert_eq!(hire.get("/settings").await.status, StatusCode::OK);
    }

    async fn disabling_an_admin_ends_their_sessions_but_never_leaves_the_business_without_one(app: TestApp) {
        let (tenant, mut owner) = sunny(&app).await;
        let colleague = app.create_user("colleague@sunny.example", PASSWORD, Role::TenantAdmin, Some(tenant)).await;
        let mut signed_in = app.sign_in("colleague@sunny.example", PASSWORD).await;
        assert_eq!(signed_in.get("/settings").await.status, StatusCode::OK);

        let disabled = owner.post_form(&format!("/settings/team/{colleague}/disable"), &[]).await;
        assert_eq!(disabled.status, StatusCode::SEE_OTHER, "{}", disabled.body);
        assert_eq!(disabled.location(), Some("/settings/team"));
        let team = page(&mut owner, "/settings/team").await;
        assert!(team.body.contains("colleague@sunny.example disabled; their sessions ended."));
        assert!(team.body.contains("Disabled"));
        let after = signed_in.get("/settings").await;
        assert_eq!(after.status, StatusCode::SEE_OTHER, "the disabled admin is signed out");
        assert!(after.location().unwrap().starts_with("/login"));
        assert_eq!(signed_in.browser.try_sign_in("colleague@sunny.example", PASSWORD).await.status, StatusCode::UNAUTHORIZED);

        let me = app.with_conn(|conn| users::table.filter(users::email.eq(OWNER)).select(users::id).first::<i64>(conn).unwrap()).await;
        let myself = owner.post_form(&format!("/settings/team/{me}/disable"), &[]).await;
        assert_eq!(myself.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(myself.body.contains("You cannot disable yourself."));

        // A super admin looking at the business cannot disable its last enabled admin either.
        app.create_user("root@example.test", PASSWORD, Role::SuperAdmin, None).await;
        let mut root = app.sign_in("root@example.test", PASSWORD).await;
        let last = root.post_form(&format!("/settings/team/{me}/disable"), &[]).await;
        assert_eq!(last.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", last.body);
        assert!(last.body.contains("last enabled admin"));

        let enabled = owner.post_form(&format!("/settings/team/{colleague}/enable"), &[]).await;
        assert_eq!(enabled.status, StatusCode::SEE_OTHER);
        assert_eq!(app.sign_in("colleague@sunny.example", PASSWORD).await.get("/").await.status, StatusCode::OK);
        assert_eq!(
            audit_entries(&app, tenant).await,
            [
                ("team.disabled".to_owned(), "colleague@sunny.example".to_owned()),
                ("team.enabled".to_owned(), "colleague@sunny.example".to_owned()),
            ]
        );
    }

    async fn another_business_s_admin_cannot_be_disabled_from_here(app: TestApp) {
        let (_, mut owner) = sunny(&app).await;
        let harbor = harbor(&app).await;
        let theirs = app.with_conn(|conn| users::table.filter(users::email.eq(OTHER_OWNER)).select(users::id).first::<i64>(conn).unwrap()).await;
        for action in ["disable", "enable", "nonsense"] {
            let answer = owner.post_form(&format!("/settings/team/{theirs}/{action}"), &[]).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{action}");
        }
        assert_eq!(owner.post_form("/settings/team/not-a-number/disable", &[]).await.status, StatusCode::NOT_FOUND);
        assert!(app.sign_in(OTHER_OWNER, PASSWORD).await.get("/").await.status.is_success());
        assert!(audit_entries(&app, harbor).await.is_empty());
    }

    async fn the_tenant_file_downloads_without_secrets_and_an_upload_is_live_for_the_next_call(app: TestApp) {
        let tenant = common::calls::TenantToml::always_open()
            // The test's own token, so the calls below are signed with it.
            .setting(&format!("twilio_auth_token = \"{}\"", common::TEST_TWILIO_TOKEN))
            .import(&app)
            .await;
        app.create_user(OWNER, PASSWORD, Role::TenantAdmin, Some(tenant)).await;
        let mut owner = app.sign_in(OWNER, PASSWORD).await;
        let shown = page(&mut owner, "/settings/file").await;
        assert!(shown.body.contains("sunny-dental.toml"));
        let download = page(&mut owner, "/settings/file/download").await;
        assert_eq!(download.header("content-disposition"), Some("attachment; filename=\"sunny-dental.toml\""));
        assert_eq!(download.body, exported(&app, "sunny-dental").await, "the same as `frontdesk tenant export`");
        assert!(!download.body.contains(common::TEST_TWILIO_TOKEN) && !download.body.contains("password"));

        let edited = download.body.replacen("name = \"Sunny Dental\"", &format!("name = \"Sunny Dental\"\ngreeting = \"{NEW_GREETING}\""), 1)
            + "\n[[closures]]\ndate = \"2026-12-25\"\nname = \"Christmas\"\n\n[[knowledge]]\nquestion = \"Do you sell gift cards?\"\nanswer = \"Yes, at the front desk, in any amount.\"\n";
        let uploaded = owner.post_form("/settings/file", &[("tenant_file", edited.as_str())]).await;
        assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
        let after = page(&mut owner, "/settings/file").await;
        assert!(after.body.contains("Tenant file imported (greeting, closures, knowledge). The next call uses it."), "{}", after.body);
        assert_eq!(
            audit_entries(&app, tenant).await,
            [("tenant_file.imported".to_owned(), "Changed: greeting, closures, knowledge".to_owned())]
        );
        let token: Option<String> = app.with_conn(move |conn| tenants::table.find(tenant).select(tenants::twilio_auth_token).first(conn).unwrap()).await;
        assert_eq!(token.as_deref(), Some(common::TEST_TWILIO_TOKEN), "the token is kept");

        let call = place_call(&app, TENANT_NUMBER, CALLER, &["Do you sell gift cards?", "no thanks"]).await;
        let said = heard(&call);
        assert!(said.contains(NEW_GREETING) && said.contains("at the front desk, in any amount"), "{said}");
    }

    async fn a_wrong_tenant_file_changes_nothing_and_lists_each_problem_with_its_line(app: TestApp) {
        let (tenant, mut owner) = sunny(&app).await;
        let file = exported(&app, "sunny-dental").await;
        let version = config_version(&app, tenant).await;
        let cases = [
            (file.replacen("voice = \"Polly.Joanna-Neural\"", "voice = \"Polly.Nobody\"", 1), "sunny-dental.toml:5: voice: \"Polly.Nobody\" is not a Twilio voice"),
            (file.replacen("slug = \"sunny-dental\"", "slug = \"harbor-dental\"", 1), "sunny-dental.toml:1: slug: this file is for \"harbor-dental\""),
            (file.replacen(&format!("numbers = [\"{TENANT_NUMBER}\"]"), &format!("numbers = [\"{TENANT_NUMBER}\", \"+15005550009\"]"), 1), "numbers[1]: +15005550009 is not one of this business's numbers"),
            (format!("{file}\n[[admins]]\nemail = \"intruder@evil.example\"\n"), "admins[1].email: intruder@evil.example is not an admin of this business"),
            (format!("twilio_auth_token = \"mine\"\n{file}"), "sunny-dental.toml:1: twilio_auth_token: the Twilio auth token cannot be set"),
            (file.replacen("[hours]", "[hours\n", 1), "sunny-dental.toml:"),
            ("x".repeat(50_000), "the limit is 49152"),
        ];
        for (text, problem) in cases {
            let answer = owner.post_form("/settings/file", &[("tenant_file", text.as_str())]).await;
            assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}: {}", answer.body);
            let body = unescape(&answer.body);
            assert!(body.contains("Nothing was changed.") && body.contains(problem), "{problem}: {body}");
        }
        assert_eq!(config_version(&app, tenant).await, version);
        assert!(audit_entries(&app, tenant).await.is_empty());
        assert_eq!(exported(&app, "sunny-dental").await, file);
    }
}
