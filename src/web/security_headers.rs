//! Security headers on every dashboard response (not on the Twilio webhooks
//! or the health probes, which are registered outside the dashboard scope).
//!
//! The Content-Security-Policy allows scripts, styles and images only from
//! this site (images also as `data:` URLs), so no inline script runs even if
//! some text escaped its escaping; pages may not be framed, forms may post
//! only here. Dashboard pages show private data: nothing is cached.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

use crate::app::AppState;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
     form-action 'self'";

/// Two years, the HSTS preload list's minimum.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// The headers every dashboard response gets; `https` adds HSTS.
pub fn headers(https: bool) -> Vec<(HeaderName, HeaderValue)> {
    let mut all = vec![
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
    ];
    if https {
        all.push((
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        ));
    }
    all
}

pub async fn add(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let https = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.config.public_url.starts_with("https://"));
    let mut res = next.call(req).await?;
    let response_headers = res.headers_mut();
    for (name, value) in headers(https) {
        response_headers.insert(name, value);
    }
    if !response_headers.contains_key(header::CACHE_CONTROL) {
        response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_forbids_inline_script_plugins_base_tags_and_framing() {
        for directive in [
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(CONTENT_SECURITY_POLICY.contains(directive), "{directive}");
        }
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
    }

    #[test]
    fn hsts_is_sent_only_over_https() {
        let has_hsts = |https| {
            headers(https)
                .iter()
                .any(|(name, _)| name == header::STRICT_TRANSPORT_SECURITY)
        };
        assert!(has_hsts(true));
        assert!(!has_hsts(false));
    }
}
