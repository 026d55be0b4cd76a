//! `VerifiedTwilio<T>`: an extractor that admits a webhook only when its
//! `X-Twilio-Signature` matches, then parses the form into `T`.
//!
//! The URL checked is the public one (`FRONTDESK_PUBLIC_URL` + path + query),
//! never the address the server happens to listen on, so the check also
//! works behind a TLS-terminating proxy.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use serde::de::DeserializeOwned;

use super::signature;
use crate::app::AppState;
use crate::tenants::directory::NumberOwner;

/// Webhook bodies are small forms; anything larger is not from Twilio.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// A verified webhook: the typed form, all raw fields, and the tenant that
/// owns the called number (`None` for a number no tenant has).
pub struct VerifiedTwilio<T> {
    pub form: T,
    pub owner: Option<NumberOwner>,
}

#[derive(Debug, thiserror::Error)]
pub enum WebhookRejection {
    #[error("missing X-Twilio-Signature header")]
    MissingSignature,
    #[error("invalid Twilio signature")]
    BadSignature,
    #[error("malformed webhook: {0}")]
    Malformed(String),
    /// The called number's token could not be read (the database is
    /// down). A live caller still gets TwiML: a generic apology.
    #[error("service unavailable")]
    Unavailable,
}

impl ResponseError for WebhookRejection {
    fn status_code(&self) -> StatusCode {
        match self {
            WebhookRejection::MissingSignature | WebhookRejection::Malformed(_) => {
                StatusCode::BAD_REQUEST
            }
            WebhookRejection::BadSignature => StatusCode::FORBIDDEN,
            WebhookRejection::Unavailable => StatusCode::OK,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let WebhookRejection::Unavailable = self {
            return HttpResponse::Ok()
                .content_type("text/xml; charset=utf-8")
                .body(super::render::fallback(None));
        }
        HttpResponse::build(self.status_code())
            .content_type("text/plain; charset=utf-8")
            .body(self.to_string())
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for VerifiedTwilio<T> {
    type Error = WebhookRejection;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or(WebhookRejection::Unavailable)?
                .clone();
            let Some(signature) = req
                .headers()
                .get("x-twilio-signature")
                .and_then(|v| v.to_str().ok())
            else {
                tracing::warn!(path = req.path(), "webhook without X-Twilio-Signature");
                return Err(WebhookRejection::MissingSignature);
            };
            let signature = signature.to_owned();
            let body = body
                .await
                .map_err(|e| WebhookRejection::Malformed(e.to_string()))?;
            if body.len() > MAX_BODY_BYTES {
                return Err(WebhookRejection::Malformed("body too large".into()));
            }
            let params: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
                .map_err(|e| WebhookRejection::Malformed(e.to_string()))?;
            let url = public_url(&state.config.public_url, &req);
            let called = params
                .iter()
                .find(|(k, _)| k == "To")
                .map(|(_, v)| v.as_str())
                .unwrap_or_default();

            let mut owner = lookup(&state, called, false).await?;
            if !signed_by(&state, owner.as_ref(), &url, &params, &signature) {
                // The token may have been rotated since it was cached.
                owner = lookup(&state, called, true).await?;
                if !signed_by(&state, owner.as_ref(), &url, &params, &signature) {
                    tracing::warn!(
                        path = req.path(),
                        "webhook with an invalid Twilio signature"
                    );
                    return Err(WebhookRejection::BadSignature);
                }
            }
            let form = serde_urlencoded::from_bytes::<T>(&body).map_err(|e| {
                tracing::warn!(path = req.path(), error = %e, "malformed webhook form");
                WebhookRejection::Malformed(e.to_string())
            })?;
            Ok(VerifiedTwilio { form, owner })
        })
    }
}

async fn lookup(
    state: &AppState,
    called: &str,
    refresh: bool,
) -> Result<Option<NumberOwner>, WebhookRejection> {
    if called.is_empty() {
        return Ok(None);
    }
    state
        .directory
        .number_owner(&state.db, called, refresh)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "cannot look up the called number");
            WebhookRejection::Unavailable
        })
}

fn signed_by(
    state: &AppState,
    owner: Option<&NumberOwner>,
    url: &str,
    params: &[(String, String)],
    signature: &str,
) -> bool {
    let token = owner
        .and_then(|o| o.auth_token.as_ref())
        .unwrap_or(&state.default_twilio_token);
    signature::validate(url, params, token.expose().as_bytes(), signature)
}

/// The URL Twilio requested: the configured public base + path + query.
pub fn public_url(base: &str, req: &HttpRequest) -> String {
    let path_and_query = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
    format!("{base}{path_and_query}")
}
