//! Signing in and out.
//!
//! The password is checked with argon2id off the async threads, against a
//! dummy hash when the email is unknown or the account disabled, so the
//! answer takes as long and says the same either way. Failed attempts are
//! throttled per account and per address (`throttle`).

use std::net::SocketAddr;
use std::sync::LazyLock;

use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::layout::{Page, render};
use super::throttle::{self, Verdict};
use super::{session, session_store};
use crate::app::AppState;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::users::{User, normalize_email, password};

pub const FAILED: &str = "Wrong email or password.";

/// What unknown emails and disabled accounts are checked against: a real
/// argon2id hash with the same parameters, so they cost the same work.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    password::hash(&password::generate()).unwrap_or_else(|err| {
        tracing::error!(error = %err, "cannot make the dummy password hash");
        String::new()
    })
});

/// Makes the dummy hash at start-up, so the first unknown email does not
/// take twice as long as the others. Blocking.
pub fn prepare() {
    LazyLock::force(&DUMMY_HASH);
}

#[derive(Template)]
#[template(path = "dashboard/login.html")]
struct LoginPage {
    page: Page,
    email: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

/// Where to go after signing in: a path on this site (one leading `/`, not
/// `//host` or `/\host`, which browsers read as another site), else `/`.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(next)
            if next.starts_with('/')
                && !next.starts_with("//")
                && !next.starts_with("/\\")
                && !next.chars().any(|c| c.is_control()) =>
        {
            next
        }
        _ => "/",
    }
}

/// The address failures are counted by: the peer, or with a trusted proxy
/// the first `X-Forwarded-For` hop (the client the proxy saw).
/// The address throttling counts a request's attempts against.
pub fn request_ip(req: &HttpRequest, trust_proxy: bool) -> String {
    let forwarded = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    client_ip(req.peer_addr(), forwarded, trust_proxy)
}

fn client_ip(peer: Option<SocketAddr>, forwarded_for: Option<&str>, trust_proxy: bool) -> String {
    let forwarded = forwarded_for
        .filter(|_| trust_proxy)
        .and_then(|v| v.split(',').next())
        .and_then(|first| first.trim().parse::<std::net::IpAddr>().ok());
    match (forwarded, peer) {
        (Some(ip), _) => ip.to_string(),
        (None, Some(peer)) => peer.ip().to_string(),
        (None, None) => "unknown".to_owned(),
    }
}

fn login_page(
    status: StatusCode,
    session: &Session,
    email: String,
    next: &str,
    error: Option<String>,
) -> Result<HttpResponse, AppError> {
    let mut page = Page::public("Sign in");
    page.csrf_token =
        session::csrf_token(session).map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    let mut res = render(&LoginPage {
        page,
        email,
        next: next.to_owned(),
        error,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// GET /login: the sign-in form (signed-in users go straight on).
pub async fn form(
    session: Session,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    let next = safe_next(query.next.as_deref());
    if session::user_id(&session).is_some() {
        return Ok(see_other(next));
    }
    login_page(StatusCode::OK, &session, String::new(), next, None)
}

/// POST /login.
pub async fn submit(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    form: CsrfForm<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let LoginForm {
        email,
        password,
        next,
    } = form.into_inner();
    let next = safe_next(next.as_deref()).to_owned();
    // No address is longer (RFC 5321); longer input is not stored whole.
    let email: String = normalize_email(&email).chars().take(320).collect();
    let ip = request_ip(&req, state.config.trust_proxy);
    let now = crate::clock::now();

    let (verdict, account) = {
        let (email, ip) = (email.clone(), ip.clone());
        db::run(&state.db, move |conn| {
            let verdict = throttle::check(conn, &email, &ip, now)?;
            let account = match verdict {
                Verdict::Allowed => User::find_with_password_hash(conn, &email)?,
                Verdict::Refused { .. } => None,
            };
            Ok::<_, DbError>((verdict, account))
        })
        .await?
    };
    if let Verdict::Refused { retry_after } = verdict {
        tracing::info!("sign-in refused: too many failures");
        let message = format!(
            "Too many failed sign-ins. {}",
            Verdict::try_again_in(retry_after)
        );
        return login_page(
            StatusCode::TOO_MANY_REQUESTS,
            &session,
            email,
            &next,
            Some(message),
        );
    }

    let user = web::block(move || {
        let usable = account.filter(|(user, _)| !user.disabled && user.role().is_some());
        let hash = usable
            .as_ref()
            .map_or(DUMMY_HASH.as_str(), |(_, hash)| hash.as_str());
        let verified = password::verify(&password, hash);
        usable.filter(|_| verified).map(|(user, _)| user)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;

    {
        let (email, ip) = (email.clone(), ip);
        let id = user.as_ref().map(|u| u.id);
        db::run_write(&state.db, move |conn| {
            throttle::record(conn, &email, &ip, id.is_some(), now)?;
            if let Some(id) = id {
                User::record_login(conn, id, now)?;
                session_store::prune_expired(conn, now)?;
                throttle::prune(conn, now)?;
            }
            Ok::<_, DbError>(())
        })
        .await?;
    }
    let Some(user) = user else {
        return login_page(
            StatusCode::UNAUTHORIZED,
            &session,
            email,
            &next,
            Some(FAILED.to_owned()),
        );
    };
    session::sign_in(&session, user.id).map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    Ok(see_other(&next))
}

#[derive(Deserialize)]
pub struct NoFields {}

/// POST /logout: ends the session (its row is deleted) and forgets the cookie.
pub async fn logout(session: Session, _form: CsrfForm<NoFields>) -> HttpResponse {
    session.purge();
    see_other("/login")
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_followed_after_signing_in() {
        assert_eq!(safe_next(Some("/calls?page=2")), "/calls?page=2");
        assert_eq!(safe_next(Some("/")), "/");
        for unsafe_next in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "calls",
            "",
            "/calls\r\nSet-Cookie: x=1",
        ] {
            assert_eq!(safe_next(Some(unsafe_next)), "/", "{unsafe_next:?}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn the_forwarded_address_counts_only_behind_a_trusted_proxy() {
        let peer: SocketAddr = "10.0.0.1:5000".parse().unwrap();
        let forwarded = Some("203.0.113.7, 10.0.0.1");
        assert_eq!(client_ip(Some(peer), forwarded, false), "10.0.0.1");
        assert_eq!(client_ip(Some(peer), forwarded, true), "203.0.113.7");
        assert_eq!(client_ip(Some(peer), Some("garbage"), true), "10.0.0.1");
        assert_eq!(client_ip(None, None, false), "unknown");
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        assert!(DUMMY_HASH.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(!password::verify("anything", &DUMMY_HASH));
    }
}
