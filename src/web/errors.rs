//! Error pages in the dashboard's style: 404 for unknown paths and for
//! records a user may not see, 403 for a rejected form, 429 for throttled
//! sign-ins, and an opaque 500/503 (the cause goes to the log, never to the
//! page).

use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::layout::Page;

#[derive(Template)]
#[template(path = "dashboard/error.html")]
struct ErrorPage<'a> {
    page: Page,
    status: u16,
    message: &'a str,
}

/// A styled error page with `status`, a heading and a sentence for the user.
pub fn page(status: StatusCode, title: &str, message: &str) -> HttpResponse {
    let template = ErrorPage {
        page: Page::public(title),
        status: status.as_u16(),
        message,
    };
    match template.render() {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(err) => {
            tracing::error!(error = %err, "cannot render the error page");
            HttpResponse::build(status)
                .content_type("text/plain; charset=utf-8")
                .body(message.to_owned())
        }
    }
}

pub fn not_found_page() -> HttpResponse {
    page(
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is nothing at this address, or it is not yours to see.",
    )
}

pub fn server_error_page() -> HttpResponse {
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "Frontdesk could not show this page. Please try again in a moment.",
    )
}

pub fn unavailable_page() -> HttpResponse {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Temporarily unavailable",
        "Frontdesk cannot reach its database right now. Please try again in a moment.",
    )
}

pub fn forbidden_page() -> HttpResponse {
    page(
        StatusCode::FORBIDDEN,
        "Form expired",
        "This form has expired or was sent from another site. Go back, reload the page and try again.",
    )
}

/// For paths outside the dashboard (static files that do not exist).
pub fn plain_not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body("not found")
}

/// The default service of the dashboard scope: every unknown path.
pub async fn not_found(_req: HttpRequest) -> HttpResponse {
    not_found_page()
}

/// Replaces the plain-text bodies of 404, 500 and 503 answers from
/// dashboard handlers (`AppError`) with the styled pages; pages that are
/// already HTML are kept.
pub fn styled() -> ErrorHandlers<BoxBody> {
    ErrorHandlers::new()
        .handler(StatusCode::NOT_FOUND, restyle)
        .handler(StatusCode::INTERNAL_SERVER_ERROR, restyle)
        .handler(StatusCode::SERVICE_UNAVAILABLE, restyle)
}

fn restyle<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let styled = match res.status() {
        StatusCode::NOT_FOUND => not_found_page(),
        StatusCode::SERVICE_UNAVAILABLE => unavailable_page(),
        _ => server_error_page(),
    };
    let (req, original) = res.into_parts();
    let mut styled = styled;
    // Keep headers set on the way (e.g. a session cookie), not the body.
    for (name, value) in original.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            styled.headers_mut().append(name.clone(), value.clone());
        }
    }
    styled.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    let res = ServiceResponse::new(req, styled).map_into_boxed_body();
    Ok(ErrorHandlerResponse::Response(
        res.map_body(|_, body| EitherBody::right(body)),
    ))
}
