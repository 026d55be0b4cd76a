//! GET /test-call: what a test call is, the form that places one (which of
//! the business's numbers to call, from which caller number) and the
//! business's recent test calls. POST /test-call places it and goes to its
//! page.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{failed, href};
use crate::app::AppState;
use crate::calls::pages::CallLine;
use crate::calls::search::{CallFilter, search};
use crate::calls::test_calls::TestCalls;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::tenants;
use crate::test_call::{self, DEFAULT_CALLER, TEST_CALLS_PER_HOUR, TestCallError};
use crate::web::csrf::CsrfForm;
use crate::web::guard::TenantAdmin;
use crate::web::layout::{Nav, Page, render};
use crate::web::login::see_other;
use crate::web::session;

/// Recent test calls listed under the form.
const RECENT: usize = 10;

pub const INVALID_CALLER: &str = "Enter the caller's number in international form, such as +15035550142, or leave it empty to call with a withheld number.";
pub const NOT_OUR_NUMBER: &str = "Choose one of your business's numbers.";
pub const NO_NUMBER: &str = "Your business has no phone number yet, so there is nothing to call. Ask your administrator to assign one.";
pub const TOO_MANY: &str =
    "You have made as many test calls as an hour allows. Try again a little later.";

#[derive(Template)]
#[template(path = "dashboard/test_call.html")]
struct StartPage {
    page: Page,
    /// The business's numbers, to call one.
    numbers: Vec<String>,
    /// The form as typed.
    from: String,
    to: String,
    from_error: Option<&'static str>,
    to_error: Option<&'static str>,
    /// Why the call could not be placed at all.
    refused: Option<&'static str>,
    per_hour: i64,
    recent: Vec<CallLine>,
    /// More test calls than listed.
    more: bool,
}

impl StartPage {
    fn is_chosen(&self, number: &str) -> bool {
        self.to == number
    }
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    from: String,
    /// One of the business's numbers; its first when absent.
    to: Option<String>,
}

/// What the form asks for, checked against the business's numbers.
struct Checked {
    from: Result<String, &'static str>,
    line: Result<String, &'static str>,
}

fn check(form: &StartForm, numbers: &[String]) -> Checked {
    let from = test_call::caller_number(&form.from).map_err(|_| INVALID_CALLER);
    let line = match form
        .to
        .as_deref()
        .map(str::trim)
        .filter(|to| !to.is_empty())
    {
        _ if numbers.is_empty() => Err(NO_NUMBER),
        None => Ok(numbers[0].clone()),
        Some(to) => numbers
            .iter()
            .find(|n| n.as_str() == to)
            .cloned()
            .ok_or(NOT_OUR_NUMBER),
    };
    Checked { from, line }
}

/// GET /test-call.
pub async fn show(
    admin: TenantAdmin,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let blank = StartForm {
        from: DEFAULT_CALLER.to_owned(),
        to: None,
    };
    start_page(&admin, &session, &state, &blank, None, None, StatusCode::OK).await
}

/// POST /test-call.
pub async fn begin(
    admin: TenantAdmin,
    session: Session,
    state: web::Data<AppState>,
    form: CsrfForm<StartForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let tenant = admin.tenant_id;
    let numbers = db::run(&state.db, move |conn| {
        Ok::<_, DbError>(tenants::numbers_of(conn, tenant)?)
    })
    .await?;
    let checked = check(&form, &numbers);
    let (Ok(from), Ok(line)) = (&checked.from, &checked.line) else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return start_page(
            &admin,
            &session,
            &state,
            &form,
            Some(&checked),
            None,
            status,
        )
        .await;
    };
    let started = test_call::start(
        &state.clone().into_inner(),
        tenant,
        from.clone(),
        line.clone(),
    )
    .await;
    match started {
        Ok(id) => {
            tracing::info!(tenant = %tenant, call = %id, "test call placed");
            Ok(see_other(&href(id.0)))
        }
        Err(TestCallError::TooMany) => {
            let status = StatusCode::TOO_MANY_REQUESTS;
            start_page(
                &admin,
                &session,
                &state,
                &form,
                None,
                Some(TOO_MANY),
                status,
            )
            .await
        }
        Err(error) => failed(&session, "/test-call", error),
    }
}

async fn start_page(
    admin: &TenantAdmin,
    session: &Session,
    state: &AppState,
    form: &StartForm,
    checked: Option<&Checked>,
    refused: Option<&'static str>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (tenant, tz) = (admin.tenant_id, admin.timezone);
    let (numbers, recent) = db::run(&state.db, move |conn| {
        let filter = CallFilter {
            test_calls: TestCalls::Only,
            ..CallFilter::default()
        };
        let numbers = tenants::numbers_of(conn, tenant)?;
        Ok::<_, DbError>((numbers, search(conn, tenant, tz, &filter)?))
    })
    .await?;
    let no_number = numbers.is_empty().then_some(NO_NUMBER);
    let title = format!("Test call · {}", admin.tenant_name);
    let mut response = render(&StartPage {
        page: Page::tenant(admin, &title, Nav::TestCall).with_flash(session::take_flash(session)),
        to: form
            .to
            .clone()
            .or_else(|| numbers.first().cloned())
            .unwrap_or_default(),
        numbers,
        from: form.from.clone(),
        from_error: checked.and_then(|c| c.from.as_ref().err().copied()),
        to_error: checked.and_then(|c| c.line.as_ref().err().copied()),
        refused: refused.or(no_number),
        per_hour: TEST_CALLS_PER_HOUR,
        more: recent.total > RECENT as i64,
        recent: recent
            .rows
            .iter()
            .take(RECENT)
            .map(|row| CallLine::new(row, tz))
            .collect(),
    })?;
    *response.status_mut() = status;
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(from: &str, to: Option<&str>) -> StartForm {
        StartForm {
            from: from.to_owned(),
            to: to.map(str::to_owned),
        }
    }

    #[test]
    fn a_test_call_goes_to_one_of_the_businesss_own_numbers() {
        let numbers = vec!["+15005550006".to_owned(), "+15005550007".to_owned()];
        let first = check(&form("", None), &numbers);
        assert_eq!(first.line, Ok("+15005550006".to_owned()));
        assert_eq!(first.from, Ok(test_call::WITHHELD.to_owned()));
        let second = check(&form("+15035550142", Some("+15005550007")), &numbers);
        assert_eq!(second.line, Ok("+15005550007".to_owned()));
        let foreign = check(&form("+15035550142", Some("+15005550099")), &numbers);
        assert_eq!(foreign.line, Err(NOT_OUR_NUMBER));
        assert_eq!(check(&form("", None), &[]).line, Err(NO_NUMBER));
        assert_eq!(
            check(&form("555", None), &numbers).from,
            Err(INVALID_CALLER)
        );
    }
}
