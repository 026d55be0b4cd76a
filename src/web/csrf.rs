//! `CsrfForm<T>`: the only way a dashboard handler receives a form. It
//! admits a urlencoded body only when
//! - its `csrf_token` field equals the session's token (compared in constant
//!   time), and
//! - the request's `Origin` (or, when a browser sent none, its `Referer`) is
//!   this site: `FRONTDESK_PUBLIC_URL`'s origin or the request's own `Host`.
//!
//! A request that carries neither header is judged by its token alone
//! (non-browser clients). Anything else is refused with the 403 page.

use std::future::Future;
use std::pin::Pin;

use actix_session::SessionExt;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use super::{errors, session};
use crate::app::AppState;

/// Dashboard forms are small; anything larger is refused.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// A form whose `csrf_token` and origin were checked; `T` need not (and
/// should not) have a `csrf_token` field of its own.
pub struct CsrfForm<T>(pub T);

impl<T> CsrfForm<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CsrfRejection {
    #[error("the form's origin is not this site")]
    ForeignOrigin,
    #[error("the form's CSRF token is missing or wrong")]
    BadToken,
    #[error("malformed form: {0}")]
    Malformed(String),
}

impl ResponseError for CsrfRejection {
    fn status_code(&self) -> StatusCode {
        match self {
            CsrfRejection::Malformed(_) => StatusCode::BAD_REQUEST,
            _ => StatusCode::FORBIDDEN,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            CsrfRejection::Malformed(_) => errors::page(
                StatusCode::BAD_REQUEST,
                "Bad request",
                "The form could not be read. Go back, reload the page and try again.",
            ),
            _ => errors::forbidden_page(),
        }
    }
}

#[derive(serde::Deserialize)]
struct TokenField {
    csrf_token: Option<String>,
}

/// `scheme://host[:port]` of a URL, or `None` if it has no host.
fn origin_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    Some(match parsed.port() {
        Some(port) => format!("{}://{host}:{port}", parsed.scheme()),
        None => format!("{}://{host}", parsed.scheme()),
    })
}

/// Whether `claimed` (an Origin or Referer value) names this site.
pub fn same_site(claimed: &str, public_url: &str, host: Option<&str>) -> bool {
    let Some(claimed) = origin_of(claimed) else {
        return false;
    };
    if origin_of(public_url).is_some_and(|public| public.eq_ignore_ascii_case(&claimed)) {
        return true;
    }
    host.is_some_and(|host| {
        ["http", "https"]
            .iter()
            .filter_map(|scheme| origin_of(&format!("{scheme}://{host}")))
            .any(|own| own.eq_ignore_ascii_case(&claimed))
    })
}

fn check_origin(req: &HttpRequest, public_url: &str) -> Result<(), CsrfRejection> {
    let claimed = req
        .headers()
        .get(header::ORIGIN)
        .or_else(|| req.headers().get(header::REFERER));
    let Some(claimed) = claimed else {
        return Ok(());
    };
    let claimed = claimed.to_str().map_err(|_| CsrfRejection::ForeignOrigin)?;
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if same_site(claimed, public_url, host) {
        Ok(())
    } else {
        Err(CsrfRejection::ForeignOrigin)
    }
}

/// Whether the sent token equals the session's, in constant time.
pub fn tokens_match(sent: &str, expected: &str) -> bool {
    !expected.is_empty() && bool::from(sent.as_bytes().ct_eq(expected.as_bytes()))
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = CsrfRejection;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let public_url = req
                .app_data::<web::Data<AppState>>()
                .map(|state| state.config.public_url.clone())
                .unwrap_or_default();
            check_origin(&req, &public_url)?;
            let body = body
                .await
                .map_err(|e| CsrfRejection::Malformed(e.to_string()))?;
            if body.len() > MAX_FORM_BYTES {
                return Err(CsrfRejection::Malformed("the form is too large".to_owned()));
            }
            let sent: TokenField = serde_urlencoded::from_bytes(&body)
                .map_err(|e| CsrfRejection::Malformed(e.to_string()))?;
            let expected = session::existing_csrf_token(&req.get_session()).unwrap_or_default();
            if !tokens_match(sent.csrf_token.as_deref().unwrap_or(""), &expected) {
                return Err(CsrfRejection::BadToken);
            }
            serde_urlencoded::from_bytes(&body)
                .map(CsrfForm)
                .map_err(|e| CsrfRejection::Malformed(e.to_string()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLIC: &str = "https://desk.example.com";

    #[test]
    fn the_public_origin_and_the_requests_own_host_are_this_site() {
        assert!(same_site("https://desk.example.com", PUBLIC, None));
        assert!(same_site(
            "https://desk.example.com/calls?x=1",
            PUBLIC,
            None
        ));
        assert!(same_site(
            "http://127.0.0.1:8080",
            PUBLIC,
            Some("127.0.0.1:8080")
        ));
    }

    #[test]
    fn other_sites_and_lookalikes_are_not() {
        assert!(!same_site(
            "https://evil.example",
            PUBLIC,
            Some("desk.example.com")
        ));
        assert!(!same_site(
            "https://desk.example.com.evil.example",
            PUBLIC,
            None
        ));
        assert!(!same_site("http://desk.example.com:8443", PUBLIC, None));
        assert!(!same_site("null", PUBLIC, Some("desk.example.com")));
        assert!(!same_site(
            "http://127.0.0.1:9090",
            PUBLIC,
            Some("127.0.0.1:8080")
        ));
    }

    #[test]
    fn tokens_match_only_when_equal_and_present() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abd", "abc"));
        assert!(!tokens_match("ab", "abc"));
        assert!(!tokens_match("", ""));
    }
}
