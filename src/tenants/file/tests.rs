#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

const BRIGHT_SMILE: &str = include_str!("../../../examples/bright-smile.toml");
const RAPID_ROOTER: &str = include_str!("../../../examples/rapid-rooter.toml");

/// Six lines, only required keys; tests append from line 7 on.
const MINIMAL: &str = r#"slug = "test-clinic"
name = "Test Clinic"
timezone = "America/New_York"
language = "en-US"
voice = "Polly.Joanna-Neural"
numbers = ["+15005550006"]
"#;

fn with(extra: &str) -> String {
    format!("{MINIMAL}{extra}")
}

fn error_in(text: &str) -> TenantFileError {
    TenantFile::parse("test.toml", text).expect_err("the file should be refused")
}

fn assert_error(text: &str, line: usize, field: &str, message_part: &str) {
    let error = error_in(text);
    assert_eq!(error.line, Some(line), "{error}");
    assert_eq!(error.field, field, "{error}");
    assert!(error.message.contains(message_part), "{error}");
}

#[test]
fn the_bright_smile_example_parses_with_every_section_filled_in() {
    let tenant = TenantFile::parse("bright-smile.toml", BRIGHT_SMILE).unwrap();
    assert_eq!(tenant.slug, "bright-smile");
    assert_eq!(tenant.timezone, chrono_tz::America::New_York);
    assert_eq!(tenant.numbers, ["+15005550006"]);
    assert_eq!(tenant.hours[0], Some((8 * 60, 17 * 60)));
    assert_eq!(tenant.hours[6], None);
    assert!((2..=4).contains(&tenant.departments.len()));
    assert!((8..=12).contains(&tenant.knowledge.len()));
    assert!(tenant.admins.iter().all(|admin| admin.password.is_none()));
    assert!(tenant.disclosure.is_some() && tenant.retention_days.is_some());
}

#[test]
fn the_rapid_rooter_example_parses_with_every_section_filled_in() {
    let tenant = TenantFile::parse("rapid-rooter.toml", RAPID_ROOTER).unwrap();
    assert_eq!(tenant.slug, "rapid-rooter");
    assert_eq!(tenant.numbers, ["+15005550007"]);
    assert!(tenant.hours[..6].iter().all(Option::is_some));
    assert!((2..=4).contains(&tenant.departments.len()));
    assert!((8..=12).contains(&tenant.knowledge.len()));
    assert_eq!(tenant.departments[3].phone, None);
}

#[test]
fn an_export_parses_back_to_the_same_tenant() {
    for (name, text) in [
        ("bright-smile", BRIGHT_SMILE),
        ("rapid-rooter", RAPID_ROOTER),
    ] {
        let tenant = TenantFile::parse(name, text).unwrap();
        let exported = tenant.to_toml();
        let again = TenantFile::parse("export.toml", &exported)
            .unwrap_or_else(|error| panic!("{error}\n{exported}"));
        assert_eq!(again, tenant.without_secrets());
    }
}

#[test]
fn an_export_leaves_out_passwords_and_the_twilio_token() {
    let text = with(
        "twilio_auth_token = \"tok-secret-123\"\n\
         [[admins]]\nemail = \"owner@test.example\"\npassword = \"correct horse battery\"\n\
         [[knowledge]]\nquestion = \"Multi\\nline?\"\nanswer = 'He said \"hi\" \\ then left'\n",
    );
    let tenant = TenantFile::parse("test.toml", &text).unwrap();
    assert_eq!(
        tenant.twilio_auth_token,
        Some(Secret::new("tok-secret-123"))
    );
    let exported = tenant.to_toml();
    assert!(!exported.contains("tok-secret-123") && !exported.contains("correct horse"));
    let again = TenantFile::parse("export.toml", &exported).unwrap();
    assert_eq!(again, tenant.without_secrets());
    assert_ne!(again, tenant);
}

#[test]
fn debug_output_never_shows_secrets() {
    let text = with(
        "twilio_auth_token = \"tok-secret-123\"\n\
         [[admins]]\nemail = \"owner@test.example\"\npassword = \"correct horse battery\"\n",
    );
    let shown = format!("{:?}", TenantFile::parse("test.toml", &text).unwrap());
    assert!(!shown.contains("tok-secret-123") && !shown.contains("correct horse"));
}

#[test]
fn number_line_points_at_each_number_in_the_file() {
    let text = MINIMAL.replace(
        "numbers = [\"+15005550006\"]",
        "numbers = [\n  \"+15005550006\",\n  \"+15005550008\",\n]",
    );
    let tenant = TenantFile::parse("test.toml", &text).unwrap();
    assert_eq!(tenant.number_line(0), Some(7));
    assert_eq!(tenant.number_line(1), Some(8));
    assert_eq!(tenant.number_line(2), None);
    let bright_smile = TenantFile::parse("bright-smile.toml", BRIGHT_SMILE).unwrap();
    let line = bright_smile.number_line(0).unwrap();
    assert!(
        BRIGHT_SMILE
            .lines()
            .nth(line - 1)
            .unwrap()
            .contains("+15005550006")
    );
}

#[test]
fn what_the_file_leaves_out_gets_the_documented_defaults() {
    let tenant = TenantFile::parse("test.toml", MINIMAL).unwrap();
    assert_eq!(tenant.hours, [None; 7]);
    assert_eq!(tenant.limits, Limits::default());
    assert_eq!(tenant.limits.calls_per_hour_per_caller, 10);
    assert_eq!(tenant.protection, Protection::default());
    assert!(tenant.protection.allow_anonymous);
    assert_eq!(tenant.emergency_number, "911");
    assert!(tenant.send_call_summaries);
    assert_eq!(tenant.retention_days, None);
    assert_eq!(tenant.greeting, None);
}

#[test]
fn knowledge_entries_default_to_active_with_priority_zero() {
    let text = with("[[knowledge]]\nquestion = \"Parking?\"\nanswer = \"Behind the building.\"\n");
    let entry = &TenantFile::parse("test.toml", &text).unwrap().knowledge[0];
    assert!(entry.active);
    assert_eq!(entry.priority, 0);
    assert_eq!(entry.category, None);
}

#[test]
fn extra_phrasings_are_trimmed_without_repeats_of_each_other_or_the_question() {
    let text = with(
        "[[knowledge]]\nquestion = \"Do you board dogs?\"\nanswer = \"Yes.\"\n\
         also_asked = [\" Can I leave my dog with you? \", \"can i leave my dog with you?\", \
         \"do you board dogs?\", \"Do you do doggy daycare?\"]\n",
    );
    let entry = &TenantFile::parse("test.toml", &text).unwrap().knowledge[0];
    assert_eq!(
        entry.also_asked,
        ["Can I leave my dog with you?", "Do you do doggy daycare?"]
    );
}

#[test]
fn a_blank_extra_phrasing_is_refused_with_its_place() {
    let text = with(
        "[[knowledge]]\nquestion = \"Parking?\"\nanswer = \"Behind.\"\nalso_asked = [\"Where do I park?\", \" \"]\n",
    );
    assert_error(&text, 10, "knowledge[0].also_asked[1]", "must not be empty");
}

#[test]
fn more_than_twenty_extra_phrasings_are_refused() {
    let phrasings: Vec<String> = (0..21).map(|i| format!("\"Phrasing {i}?\"")).collect();
    let text = with(&format!(
        "[[knowledge]]\nquestion = \"Q?\"\nanswer = \"A.\"\nalso_asked = [{}]\n",
        phrasings.join(", ")
    ));
    assert_error(&text, 10, "knowledge[0].also_asked[20]", "at most 20");
}

#[test]
fn an_export_keeps_the_extra_phrasings() {
    let text = with(
        "[[knowledge]]\nquestion = \"Parking?\"\nanswer = \"Behind.\"\nalso_asked = [\"Where do I \\\"park\\\"?\"]\n",
    );
    let tenant = TenantFile::parse("test.toml", &text).unwrap();
    let again = TenantFile::parse("export.toml", &tenant.to_toml()).unwrap();
    assert_eq!(again.knowledge[0].also_asked, ["Where do I \"park\"?"]);
}

#[test]
fn keywords_are_trimmed_lower_cased_and_deduplicated() {
    let text = with(
        "[[departments]]\nname = \"Billing\"\nkeywords = [\" Bill \", \"bill\", \"INVOICE\"]\n",
    );
    let tenant = TenantFile::parse("test.toml", &text).unwrap();
    assert_eq!(tenant.departments[0].keywords, ["bill", "invoice"]);
}

#[test]
fn a_bad_time_range_names_the_day_and_its_line() {
    let text = with("[hours]\nmon = \"08:00-17:00\"\ntue = \"8am to 5pm\"\n");
    assert_error(&text, 9, "hours.tue", "HH:MM-HH:MM");
}

#[test]
fn an_hour_of_25_is_not_a_time_of_day() {
    let text = with("[hours]\nwed = \"09:00-25:00\"\n");
    assert_error(&text, 8, "hours.wed", "\"25:00\" is not a time of day");
}

#[test]
fn opening_after_closing_is_refused() {
    let text = with("[hours]\nthu = \"17:00-08:00\"\n");
    assert_error(&text, 8, "hours.thu", "opens at 17:00 but closes at 08:00");
}

#[test]
fn an_unknown_weekday_key_is_an_error() {
    let text = with("[hours]\nmonday = \"08:00-17:00\"\n");
    assert_error(&text, 8, "hours.monday", "unknown field `monday`");
}

#[test]
fn an_invalid_phone_number_is_reported_with_its_place_in_the_list() {
    let text = MINIMAL.replace("[\"+15005550006\"]", "[\"+15005550006\", \"555-1234\"]");
    assert_error(
        &text,
        6,
        "numbers[1]",
        "\"555-1234\" is not an E.164 phone number",
    );
    let text = with("[[departments]]\nname = \"Billing\"\nphone = \"+0123456789\"\n");
    assert_error(&text, 9, "departments[0].phone", "E.164");
    let text = with("[protection]\nblocked_numbers = [\"12345\"]\n");
    assert_error(&text, 8, "protection.blocked_numbers[0]", "E.164");
}

#[test]
fn an_unknown_timezone_is_reported() {
    let text = MINIMAL.replace("America/New_York", "Mars/Olympus_Mons");
    assert_error(
        &text,
        3,
        "timezone",
        "unknown time zone \"Mars/Olympus_Mons\"",
    );
}

#[test]
fn a_duplicate_number_points_back_at_the_first() {
    let text = MINIMAL.replace(
        "numbers = [\"+15005550006\"]",
        "numbers = [\n  \"+15005550006\",\n  \"+15005550006\",\n]",
    );
    assert_error(&text, 8, "numbers[1]", "listed twice (first on line 7)");
}

#[test]
fn a_file_without_numbers_is_refused() {
    let text = MINIMAL.replace("[\"+15005550006\"]", "[]");
    assert_error(&text, 6, "numbers", "at least one");
}

#[test]
fn transferring_to_one_of_the_tenants_own_numbers_is_refused() {
    let text = with("transfer_number = \"+15005550006\"\n");
    assert_error(&text, 7, "transfer_number", "own numbers");
}

#[test]
fn an_unknown_key_names_the_key_and_its_line() {
    assert_error(
        &with("greting = \"Hi\"\n"),
        7,
        "greting",
        "unknown field `greting`",
    );
    let text = with("[limits]\nmax_turns = 10\nmax_turn = 10\n");
    assert_error(&text, 9, "limits.max_turn", "unknown field `max_turn`");
    let text = with(
        "[[departments]]\nname = \"Billing\"\n\n[[departments]]\nname = \"Sales\"\nphon = \"+15551230001\"\n",
    );
    assert_error(&text, 12, "departments[1].phon", "unknown field `phon`");
}

#[test]
fn a_missing_required_key_is_named() {
    let error = error_in(&MINIMAL.replace("voice = \"Polly.Joanna-Neural\"\n", ""));
    assert_eq!((error.line, error.field.as_str()), (None, "voice"));
    assert!(error.message.contains("missing field"), "{error}");
    let text = with(
        "[[knowledge]]\nquestion = \"Q?\"\nanswer = \"A.\"\n[[knowledge]]\nquestion = \"Q2?\"\n",
    );
    assert_error(&text, 10, "knowledge[1].answer", "missing field `answer`");
}

#[test]
fn a_bad_email_is_reported() {
    let text = with("notification_emails = [\"owner@test.example\", \"owner at test\"]\n");
    assert_error(
        &text,
        7,
        "notification_emails[1]",
        "\"owner at test\" is not an email address",
    );
    let text = with("[[admins]]\nemail = \"owner@localhost\"\n");
    assert_error(&text, 8, "admins[0].email", "not an email address");
}

#[test]
fn the_same_admin_twice_is_refused_whatever_the_case() {
    let text = with(
        "[[admins]]\nemail = \"owner@test.example\"\n[[admins]]\nemail = \"Owner@Test.example\"\n",
    );
    assert_error(&text, 10, "admins[1].email", "listed twice");
}

#[test]
fn a_short_admin_password_is_refused_without_echoing_it() {
    let text = with("[[admins]]\nemail = \"owner@test.example\"\npassword = \"hunter2\"\n");
    let error = error_in(&text);
    assert_eq!(
        (error.line, error.field.as_str()),
        (Some(9), "admins[0].password")
    );
    assert!(!error.to_string().contains("hunter2"));
}

#[test]
fn an_empty_knowledge_answer_is_refused() {
    let text = with("[[knowledge]]\nquestion = \"Do you take walk-ins?\"\nanswer = \"   \"\n");
    assert_error(&text, 9, "knowledge[0].answer", "must not be empty");
}

#[test]
fn an_overlong_knowledge_answer_says_the_limit() {
    let long = "word ".repeat(500);
    let text = with(&format!(
        "[[knowledge]]\nquestion = \"Q?\"\nanswer = \"{long}\"\n"
    ));
    assert_error(&text, 9, "knowledge[0].answer", "the limit is 2000");
}

#[test]
fn department_names_must_be_unique_ignoring_case() {
    let text = with("[[departments]]\nname = \"Billing\"\n[[departments]]\nname = \"billing \"\n");
    assert_error(
        &text,
        10,
        "departments[1].name",
        "listed twice (first on line 8)",
    );
}

#[test]
fn a_limit_out_of_range_says_the_allowed_range() {
    let text = with("[limits]\nmax_turns = 500\n");
    assert_error(&text, 8, "limits.max_turns", "between 3 and 200");
    let text = with("[limits]\nmax_call_seconds = 10\n");
    assert_error(&text, 8, "limits.max_call_seconds", "between 30 and 7200");
    assert_error(
        &with("retention_days = 0\n"),
        7,
        "retention_days",
        "between 1 and 36500",
    );
}

#[test]
fn a_value_of_the_wrong_type_names_the_field_and_line() {
    let text = with("[limits]\nmax_turns = \"ten\"\n");
    assert_error(&text, 8, "limits.max_turns", "invalid type: string \"ten\"");
    let text = MINIMAL.replace(
        "[\"+15005550006\"]",
        "[\n  \"+15005550006\",\n  15005550007,\n]",
    );
    assert_error(&text, 8, "numbers", "invalid type: integer");
}

#[test]
fn a_syntax_error_gives_the_line() {
    let text = with("greeting = \"Hello\n");
    let error = error_in(&text);
    assert_eq!(error.line, Some(7), "{error}");
}

#[test]
fn a_bad_slug_and_a_bad_language_are_refused() {
    assert_error(
        &MINIMAL.replace("test-clinic", "Test Clinic"),
        1,
        "slug",
        "not a valid slug",
    );
    assert_error(
        &MINIMAL.replace("test-clinic", "-clinic"),
        1,
        "slug",
        "not a valid slug",
    );
    assert_error(&MINIMAL.replace("en-US", "english"), 4, "language", "en-US");
}

#[test]
fn every_problem_is_listed_in_line_order() {
    let text = MINIMAL
        .replace("America/New_York", "Nowhere")
        .replace("test-clinic", "BAD");
    let problems = TenantFile::parse_collecting_errors("test.toml", &text).unwrap_err();
    let places: Vec<_> = problems
        .iter()
        .map(|p| (p.line, p.field.as_str()))
        .collect();
    assert_eq!(places, [(Some(1), "slug"), (Some(3), "timezone")]);
}

#[test]
fn an_error_displays_as_file_line_field_and_message() {
    let error = error_in(&with("[limits]\nmax_turns = 1\n"));
    assert_eq!(
        error.to_string(),
        "test.toml:8: limits.max_turns: 1 is out of range; it must be between 3 and 200"
    );
}

#[test]
fn a_misspelt_voice_is_refused_at_import_instead_of_breaking_every_call() {
    let text = MINIMAL.replace("Polly.Joanna-Neural", "Polly.Joana-Neural");
    assert_error(&text, 5, "voice", "is not a Twilio voice");
}

#[test]
fn the_speech_model_defaults_to_twilios_failover_choice_and_a_misspelt_one_is_refused() {
    let tenant = TenantFile::parse("test.toml", MINIMAL).unwrap();
    assert_eq!(tenant.speech_model, "experimental_conversations");
    let chosen = TenantFile::parse(
        "test.toml",
        &with("speech_model = \"googlev2_telephony\"\n"),
    )
    .unwrap();
    assert_eq!(chosen.speech_model, "googlev2_telephony");
    assert!(
        chosen
            .to_toml()
            .contains("speech_model = \"googlev2_telephony\"\n")
    );
    assert_error(
        &with("speech_model = \"google_v2\"\n"),
        7,
        "speech_model",
        "is not a Twilio speech model",
    );
}

#[test]
fn the_llm_model_is_optional_and_written_back_when_set() {
    let tenant = TenantFile::parse("test.toml", MINIMAL).unwrap();
    assert_eq!(tenant.llm_model, None);
    assert!(!tenant.to_toml().contains("llm_model"));
    let chosen = TenantFile::parse(
        "test.toml",
        &with("llm_model = \"ft:gpt-4o-mini:acme::abc123\"\n"),
    )
    .unwrap();
    assert_eq!(
        chosen.llm_model.as_deref(),
        Some("ft:gpt-4o-mini:acme::abc123")
    );
    let exported = chosen.to_toml();
    assert!(exported.contains("llm_model = \"ft:gpt-4o-mini:acme::abc123\"\n"));
    assert_eq!(TenantFile::parse("export.toml", &exported).unwrap(), chosen);
}

#[test]
fn an_llm_model_with_a_space_a_control_character_or_too_long_is_refused() {
    assert_error(
        &with("llm_model = \"gpt-4o mini\"\n"),
        7,
        "llm_model",
        "contains a space or a control character",
    );
    assert_error(
        &with("llm_model = \"gpt-4o-mini\\n\"\n"),
        7,
        "llm_model",
        "contains a space or a control character",
    );
    assert_error(
        &with("llm_model = \"\"\n"),
        7,
        "llm_model",
        "must not be empty",
    );
    let long = "m".repeat(101);
    assert_error(
        &with(&format!("llm_model = \"{long}\"\n")),
        7,
        "llm_model",
        "is 101 characters long; the limit is 100",
    );
    let longest = "m".repeat(100);
    let tenant = TenantFile::parse("test.toml", &with(&format!("llm_model = \"{longest}\"\n")));
    assert_eq!(tenant.unwrap().llm_model, Some(longest));
}

#[test]
fn staff_languages_are_two_letter_codes_and_are_written_back() {
    let tenant = TenantFile::parse("test.toml", MINIMAL).unwrap();
    assert!(tenant.staff_languages.is_empty());
    assert!(!tenant.to_toml().contains("staff_languages"));
    let spanish = TenantFile::parse("test.toml", &with("staff_languages = [\"es\"]\n")).unwrap();
    assert_eq!(spanish.staff_languages, ["es"]);
    assert!(spanish.to_toml().contains("staff_languages = [\"es\"]\n"));
    assert_error(
        &with("staff_languages = [\"Spanish\"]\n"),
        7,
        "staff_languages[0]",
        "two-letter language code",
    );
}

#[test]
fn closures_are_a_day_or_a_range_and_are_written_back() {
    let tenant = TenantFile::parse("bright-smile.toml", BRIGHT_SMILE).unwrap();
    let christmas = &tenant.closures[0];
    assert_eq!(christmas.name.as_deref(), Some("Christmas"));
    assert_eq!((christmas.last_day - christmas.first_day).num_days(), 2);
    assert_eq!(tenant.closures[1].first_day, tenant.closures[1].last_day);
    let one_day =
        TenantFile::parse("test.toml", &with("[[closures]]\ndate = \"2026-07-04\"\n")).unwrap();
    assert_eq!(one_day.closures[0].name, None);
    assert!(
        one_day
            .to_toml()
            .ends_with("[[closures]]\ndate = \"2026-07-04\"\n")
    );
    assert_error(
        &with("[[closures]]\ndate = \"04/07/2026\"\n"),
        8,
        "closures[0].date",
        "is not a date; write YYYY-MM-DD",
    );
    assert_error(
        &with("[[closures]]\ndate = \"2026-12-26\"\nuntil = \"2026-12-24\"\n"),
        9,
        "closures[0].until",
        "before the first day",
    );
    assert_error(
        &with("[[closures]]\ndate = \"2026-12-25\"\nname = \" \"\n"),
        9,
        "closures[0].name",
        "must not be empty",
    );
}
