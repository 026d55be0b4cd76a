//! Helpers for the call-flow tests: tenant files written in the test, calls
//! placed through the caller simulator, signed raw webhooks, TwiML checks and
//! readers for what a call leaves in the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use frontdesk::schema::{call_turns, calls, jobs, leads};
use frontdesk::simulator::{Call, CallOutcome, CallerConfig, ScriptedLines};
use frontdesk::telephony::signature::compute_signature;

use super::{PUBLIC_URL, TEST_TWILIO_TOKEN, TestApp};

/// The number the test tenants answer.
pub const TENANT_NUMBER: &str = "+15005550006";
/// A number no tenant owns.
pub const UNKNOWN_NUMBER: &str = "+15005550099";
/// The caller's own number.
pub const CALLER: &str = "+15557654321";
pub const MAIN_LINE: &str = "+15551230000";
pub const APPOINTMENTS_LINE: &str = "+15551230001";
pub const BILLING_LINE: &str = "+15551230002";
pub const ACCOUNT_SID: &str = "AC00000000000000000000000000000000";

pub const WHITENING_ANSWER: &str =
    "Yes. We offer in-office whitening in one visit for 450 dollars.";
pub const PARKING_ANSWER: &str = "Free parking is in the garage behind the building.";

/// A tenant file built in the test, so no test depends on the clock: the
/// tenant is open around the clock or never.
#[derive(Debug, Clone)]
pub struct TenantToml {
    pub slug: String,
    pub number: String,
    /// More lines the business answers, after `number`.
    pub other_numbers: Vec<String>,
    pub open: bool,
    pub limits: Vec<String>,
    pub protection: Vec<String>,
    pub knowledge: Vec<(String, String)>,
    /// Top-level `key = value` lines added as written (greeting, tokens).
    pub top_level: Vec<String>,
    /// Extra `[[departments]]` as (name, phone).
    pub departments: Vec<(String, String)>,
    /// Who gets the lead and summary emails.
    pub notification_emails: Vec<String>,
}

impl TenantToml {
    /// Open every day, all day.
    pub fn always_open() -> TenantToml {
        TenantToml {
            slug: "sunny-dental".to_owned(),
            number: TENANT_NUMBER.to_owned(),
            other_numbers: Vec::new(),
            open: true,
            limits: Vec::new(),
            protection: Vec::new(),
            knowledge: vec![
                (
                    "Do you offer teeth whitening?".to_owned(),
                    WHITENING_ANSWER.to_owned(),
                ),
                (
                    "Where do I park my car?".to_owned(),
                    PARKING_ANSWER.to_owned(),
                ),
                (
                    "Do you see children?".to_owned(),
                    "Yes. We see children from their first tooth.".to_owned(),
                ),
            ],
            top_level: Vec::new(),
            departments: Vec::new(),
            notification_emails: vec!["owner@sunny.example".to_owned()],
        }
    }

    /// Closed every day.
    pub fn always_closed() -> TenantToml {
        TenantToml {
            open: false,
            ..TenantToml::always_open()
        }
    }

    /// Adds a `[limits]` line such as `max_turns = 3`.
    pub fn limit(mut self, line: &str) -> TenantToml {
        self.limits.push(line.to_owned());
        self
    }

    /// Adds a `[protection]` line such as `allow_anonymous = false`.
    pub fn protection(mut self, line: &str) -> TenantToml {
        self.protection.push(line.to_owned());
        self
    }

    /// Adds a knowledge entry; both texts may hold anything (they are quoted here).
    pub fn knowledge(mut self, question: &str, answer: &str) -> TenantToml {
        self.knowledge
            .push((question.to_owned(), answer.to_owned()));
        self
    }

    /// Adds a top-level setting, e.g. `greeting = "Hi"`.
    pub fn setting(mut self, line: &str) -> TenantToml {
        self.top_level.push(line.to_owned());
        self
    }

    /// Sends the business's emails to `addresses` instead.
    pub fn notify(mut self, addresses: &[&str]) -> TenantToml {
        self.notification_emails = addresses.iter().map(|a| (*a).to_owned()).collect();
        self
    }

    /// Adds a department; its name may hold anything (it is quoted here).
    pub fn department(mut self, name: &str, phone: &str) -> TenantToml {
        self.departments.push((name.to_owned(), phone.to_owned()));
        self
    }

    pub fn to_toml(&self) -> String {
        let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
        let hours = if self.open { "00:00-24:00" } else { "closed" };
        let mut text = format!(
            r#"slug = "{slug}"
name = "Sunny Dental"
timezone = "America/New_York"
language = "en-US"
voice = "Polly.Joanna-Neural"
transfer_number = "{MAIN_LINE}"
address = "12 Harbor Road, Springfield"
notification_emails = [{notify}]
numbers = [{numbers}]
{top_level}

[hours]
mon = "{hours}"
tue = "{hours}"
wed = "{hours}"
thu = "{hours}"
fri = "{hours}"
sat = "{hours}"
sun = "{hours}"

[limits]
{limits}

[protection]
{protection}

[[departments]]
name = "Appointments"
phone = "{APPOINTMENTS_LINE}"
keywords = ["appointment", "book", "schedule", "reschedule"]

[[departments]]
name = "Billing"
phone = "{BILLING_LINE}"
keywords = ["bill", "invoice", "payment", "balance"]
"#,
            slug = self.slug,
            numbers = std::iter::once(&self.number)
                .chain(&self.other_numbers)
                .map(|n| quote(n))
                .collect::<Vec<_>>()
                .join(", "),
            limits = self.limits.join("\n"),
            protection = self.protection.join("\n"),
            top_level = self.top_level.join("\n"),
            notify = self
                .notification_emails
                .iter()
                .map(|a| quote(a))
                .collect::<Vec<_>>()
                .join(", "),
        );
        for (name, phone) in &self.departments {
            text.push_str(&format!(
                "\n[[departments]]\nname = {}\nphone = {}\n",
                quote(name),
                quote(phone)
            ));
        }
        for (question, answer) in &self.knowledge {
            text.push_str(&format!(
                "\n[[knowledge]]\nquestion = {}\nanswer = {}\n",
                quote(question),
                quote(answer)
            ));
        }
        text
    }

    pub async fn import(&self, app: &TestApp) -> frontdesk::ids::TenantId {
        app.import_tenant_text(&format!("{}.toml", self.slug), &self.to_toml())
            .await
    }
}

/// Places a whole call as Twilio would (voice, gathers, dials, the final
/// `completed` status callback) and returns what happened.
pub async fn place_call(app: &TestApp, to: &str, from: &str, lines: &[&str]) -> CallOutcome {
    let config = caller_config(app, to, from);
    let mut script = ScriptedLines::new(lines.iter().copied()).unwrap();
    Call::run(&config, &mut script)
        .await
        .unwrap_or_else(|e| panic!("the call failed: {e}"))
}

pub fn caller_config(app: &TestApp, to: &str, from: &str) -> CallerConfig {
    CallerConfig {
        public_url: app.config.public_url.clone(),
        ..CallerConfig::new(app.address.clone(), TEST_TWILIO_TOKEN, from, to)
    }
}

/// Everything the receptionist said in a call, joined with spaces.
pub fn heard(outcome: &CallOutcome) -> String {
    outcome.receptionist_said().join(" ")
}

/// A raw webhook: signed for `PUBLIC_URL` + `path_and_query`, posted to the
/// bind address.
pub async fn post_signed(
    app: &TestApp,
    path_and_query: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let fields = owned(fields);
    let signature = compute_signature(
        &format!("{PUBLIC_URL}{path_and_query}"),
        &fields,
        TEST_TWILIO_TOKEN.as_bytes(),
    );
    post_with_signature(app, path_and_query, &fields, Some(&signature)).await
}

pub async fn post_with_signature(
    app: &TestApp,
    path_and_query: &str,
    fields: &[(String, String)],
    signature: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .http
        .post(format!("{}{path_and_query}", app.address))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(fields).unwrap());
    if let Some(signature) = signature {
        request = request.header("X-Twilio-Signature", signature);
    }
    request.send().await.unwrap()
}

pub fn owned(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// One call driven webhook by webhook, for the tests that need to send
/// requests Twilio would only send in odd orders (retries, duplicates).
pub struct RawCall<'a> {
    pub app: &'a TestApp,
    pub sid: String,
    pub from: String,
    pub to: String,
}

impl<'a> RawCall<'a> {
    pub fn new(app: &'a TestApp, to: &str, from: &str) -> RawCall<'a> {
        RawCall {
            app,
            sid: frontdesk::simulator::random_call_sid(),
            from: from.to_owned(),
            to: to.to_owned(),
        }
    }

    pub fn fields(&self, status: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut fields = owned(&[
            ("CallSid", &self.sid),
            ("AccountSid", ACCOUNT_SID),
            ("From", &self.from),
            ("To", &self.to),
            ("Caller", &self.from),
            ("Called", &self.to),
            ("CallStatus", status),
            ("Direction", "inbound"),
            ("ApiVersion", "2010-04-01"),
        ]);
        fields.extend(owned(extra));
        fields
    }

    /// Posts to `path`; a relative one (an action URL from TwiML) resolves
    /// against `/twilio/`, where every webhook lives, as Twilio resolves it
    /// against the document's URL.
    pub async fn post(&self, path: &str, fields: Vec<(String, String)>) -> (u16, String) {
        let path = &match path.starts_with('/') {
            true => path.to_owned(),
            false => format!("/twilio/{path}"),
        };
        let signature = compute_signature(
            &format!("{PUBLIC_URL}{path}"),
            &fields,
            TEST_TWILIO_TOKEN.as_bytes(),
        );
        let response = post_with_signature(self.app, path, &fields, Some(&signature)).await;
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    /// `/twilio/voice`: the call arrives.
    pub async fn voice(&self) -> (u16, String) {
        self.post("/twilio/voice", self.fields("ringing", &[]))
            .await
    }

    /// `/twilio/gather?turn=N` with the caller's words (`None`: silence).
    pub async fn gather(&self, turn: i32, speech: Option<&str>) -> (u16, String) {
        let extra: Vec<(&str, &str)> = match speech {
            Some(text) => vec![("SpeechResult", text), ("Confidence", "0.9")],
            None => Vec::new(),
        };
        let path = format!("/twilio/gather?turn={turn}");
        self.post(&path, self.fields("in-progress", &extra)).await
    }

    /// `/twilio/transfer-status?turn=N`: how the `<Dial>` ended.
    pub async fn transfer_status(&self, turn: i32, dial_status: &str) -> (u16, String) {
        let path = format!("/twilio/transfer-status?turn={turn}");
        let extra = [
            ("DialCallStatus", dial_status),
            ("DialCallSid", "CA11111111111111111111111111111111"),
        ];
        self.post(&path, self.fields("in-progress", &extra)).await
    }

    /// `/twilio/call-status` with `status`.
    pub async fn status(&self, status: &str) -> (u16, String) {
        let fields = self.fields(
            status,
            &[
                ("CallDuration", "42"),
                ("CallbackSource", "call-progress-events"),
                ("SequenceNumber", "0"),
            ],
        );
        self.post("/twilio/call-status", fields).await
    }
}

/// Parses a webhook answer as TwiML, panicking with the body when it is not.
pub fn parse_twiml(xml: &str) -> roxmltree::Document<'_> {
    let document =
        roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not XML ({e}): {xml}"));
    assert_eq!(
        document.root_element().tag_name().name(),
        "Response",
        "the root must be <Response>: {xml}"
    );
    document
}

/// Every element of a TwiML document in document order, `Response` first,
/// nested ones as `Parent/Child`.
pub fn element_paths(xml: &str) -> Vec<String> {
    let document = parse_twiml(xml);
    document
        .root_element()
        .descendants()
        .filter(roxmltree::Node::is_element)
        .map(|node| {
            let parent = node
                .parent_element()
                .filter(|p| p.tag_name().name() != "Response")
                .map(|p| format!("{}/", p.tag_name().name()))
                .unwrap_or_default();
            format!("{parent}{}", node.tag_name().name())
        })
        .collect()
}

/// The top-level verbs of a TwiML document.
pub fn verbs(xml: &str) -> Vec<String> {
    let document = parse_twiml(xml);
    document
        .root_element()
        .children()
        .filter(roxmltree::Node::is_element)
        .map(|node| node.tag_name().name().to_owned())
        .collect()
}

/// All `<Say>` text of a TwiML document, joined with spaces.
pub fn spoken(xml: &str) -> String {
    let document = parse_twiml(xml);
    document
        .descendants()
        .filter(|node| node.has_tag_name("Say"))
        .map(|node| node.text().unwrap_or_default().to_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The call row as the tests read it.
#[derive(Debug, Clone, Queryable)]
pub struct CallRow {
    pub id: i64,
    pub tenant_id: i64,
    pub from_number: String,
    pub state: String,
    pub status: String,
    pub outcome: Option<String>,
    pub turn_count: i32,
    pub started_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
    pub duration_seconds: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct TurnRow {
    pub seq: i32,
    pub speaker: String,
    pub text: String,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct LeadRow {
    pub id: i64,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub reason: Option<String>,
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct JobRow {
    pub kind: String,
    pub unique_key: Option<String>,
}

pub async fn call_row(app: &TestApp, sid: &str) -> Option<CallRow> {
    let sid = sid.to_owned();
    app.with_conn(move |conn| {
        calls::table
            .filter(calls::call_sid.eq(sid))
            .select((
                calls::id,
                calls::tenant_id,
                calls::from_number,
                calls::state,
                calls::status,
                calls::outcome,
                calls::turn_count,
                calls::started_at,
                calls::ended_at,
                calls::duration_seconds,
            ))
            .first::<CallRow>(conn)
            .optional()
            .unwrap()
    })
    .await
}

/// The call row, which must exist.
pub async fn the_call(app: &TestApp, sid: &str) -> CallRow {
    call_row(app, sid)
        .await
        .unwrap_or_else(|| panic!("no call row for {sid}"))
}

pub async fn call_count(app: &TestApp) -> i64 {
    app.with_conn(|conn| calls::table.count().get_result::<i64>(conn).unwrap())
        .await
}

/// The transcript, in order.
pub async fn turns(app: &TestApp, call_id: i64) -> Vec<TurnRow> {
    app.with_conn(move |conn| {
        call_turns::table
            .filter(call_turns::call_id.eq(call_id))
            .order((call_turns::seq, call_turns::id))
            .select((
                call_turns::seq,
                call_turns::speaker,
                call_turns::text,
                call_turns::state,
            ))
            .load::<TurnRow>(conn)
            .unwrap()
    })
    .await
}

pub async fn leads_of_call(app: &TestApp, call_id: i64) -> Vec<LeadRow> {
    app.with_conn(move |conn| {
        leads::table
            .filter(leads::call_id.eq(call_id))
            .select((
                leads::id,
                leads::name,
                leads::phone,
                leads::email,
                leads::reason,
                leads::complete,
            ))
            .load::<LeadRow>(conn)
            .unwrap()
    })
    .await
}

/// The call's one lead, which must exist.
pub async fn the_lead(app: &TestApp, call_id: i64) -> LeadRow {
    let mut leads = leads_of_call(app, call_id).await;
    assert_eq!(leads.len(), 1, "one lead per call: {leads:?}");
    leads.remove(0)
}

/// The jobs the end of a call enqueues (summaries, lead notifications),
/// oldest first; jobs those jobs enqueue in turn, should a worker run, are
/// left out.
pub async fn call_end_jobs(app: &TestApp) -> Vec<JobRow> {
    app.with_conn(|conn| {
        jobs::table
            .filter(jobs::kind.eq_any(["summarize_call", "lead_notification"]))
            .order(jobs::id)
            .select((jobs::kind, jobs::unique_key))
            .load::<JobRow>(conn)
            .unwrap()
    })
    .await
}

pub fn job(kind: &str, key: String) -> JobRow {
    JobRow {
        kind: kind.to_owned(),
        unique_key: Some(key),
    }
}

/// The key of a stored call to `TENANT_NUMBER`, as a webhook names it.
pub fn stored_call_key(
    conn: &mut frontdesk::db::DbConnection,
    sid: &str,
) -> frontdesk::calls::CallKey {
    use diesel::prelude::*;
    use frontdesk::schema::calls;
    let tenant_id = calls::table
        .filter(calls::call_sid.eq(sid))
        .select(calls::tenant_id)
        .first(conn)
        .unwrap();
    frontdesk::calls::CallKey {
        tenant_id,
        call_sid: sid.to_owned(),
        line: TENANT_NUMBER.to_owned(),
    }
}
