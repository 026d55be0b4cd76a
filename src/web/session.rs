//! The dashboard's session: the cookie and its key, and what the session
//! state holds (the signed-in user, the CSRF token, the tenant a super
//! admin switched to, a one-time flash message).

use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::{Session, SessionMiddleware};
use actix_web::cookie::{Key, SameSite};
use sha2::{Digest, Sha512};

use super::session_store::{DbSessionStore, USER_ID_KEY};
use crate::config::Secret;
use crate::db::{DbConnection, DbPool};
use crate::ids::{TenantId, UserId};
use crate::settings;

pub const COOKIE_NAME: &str = "frontdesk_session";
const CSRF_KEY: &str = "csrf";
const TENANT_KEY: &str = "tenant_id";
const FLASH_KEY: &str = "flash";

/// The key that encrypts and signs session cookies: SHA-512 of
/// `FRONTDESK_SESSION_KEY` (at least 64 characters, checked by the config),
/// else of a random value generated once and kept in the `settings` table so
/// every instance and every restart share it. Blocking.
pub fn cookie_key(configured: Option<&Secret>, conn: &mut DbConnection) -> anyhow::Result<Key> {
    let secret = match configured {
        Some(secret) => secret.expose().to_owned(),
        None => {
            settings::get_or_create(conn, settings::SESSION_KEY, || settings::random_token(88))?
        }
    };
    Ok(derive_key(&secret))
}

fn derive_key(secret: &str) -> Key {
    // 64 bytes: the signing half and the encryption half of `Key`.
    Key::from(&Sha512::digest(secret.as_bytes())[..])
}

/// The session middleware: a browser-session cookie (gone when the browser
/// closes) named `frontdesk_session`, HttpOnly, SameSite=Lax, Secure when
/// the public URL is https; expiry is the store's business.
pub fn middleware(pool: DbPool, key: Key, secure: bool) -> SessionMiddleware<DbSessionStore> {
    SessionMiddleware::builder(DbSessionStore::new(pool), key)
        .cookie_name(COOKIE_NAME.to_owned())
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_secure(secure)
        .cookie_path("/".to_owned())
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(BrowserSession::default())
        .build()
}

pub fn user_id(session: &Session) -> Option<UserId> {
    session.get::<i64>(USER_ID_KEY).ok().flatten().map(UserId)
}

/// Signs `user` in: a new session id (the old one, which an attacker may
/// have planted, is deleted), a new CSRF token, no tenant choice carried over.
pub fn sign_in(session: &Session, user: UserId) -> Result<(), actix_session::SessionInsertError> {
    session.renew();
    if session.contains_key(TENANT_KEY) {
        session.remove(TENANT_KEY);
    }
    session.insert(USER_ID_KEY, user.0)?;
    session.insert(CSRF_KEY, new_csrf_token())
}

/// The session's CSRF token, created on first use.
pub fn csrf_token(session: &Session) -> Result<String, actix_session::SessionInsertError> {
    if let Ok(Some(token)) = session.get::<String>(CSRF_KEY) {
        return Ok(token);
    }
    let token = new_csrf_token();
    session.insert(CSRF_KEY, &token)?;
    Ok(token)
}

/// The token a form must carry, without creating one.
pub fn existing_csrf_token(session: &Session) -> Option<String> {
    session.get::<String>(CSRF_KEY).ok().flatten()
}

fn new_csrf_token() -> String {
    settings::random_token(43)
}

/// The tenant a super admin switched to.
pub fn chosen_tenant(session: &Session) -> Option<TenantId> {
    session.get::<i64>(TENANT_KEY).ok().flatten().map(TenantId)
}

pub fn choose_tenant(
    session: &Session,
    tenant: TenantId,
) -> Result<(), actix_session::SessionInsertError> {
    session.insert(TENANT_KEY, tenant.0)
}

/// Keeps a message for the next page shown (after a redirect).
pub fn set_flash(
    session: &Session,
    message: &str,
) -> Result<(), actix_session::SessionInsertError> {
    session.insert(FLASH_KEY, message)
}

/// The message kept for this page, removed so it shows once.
/// (A session without one is left unchanged: no write.)
pub fn take_flash(session: &Session) -> Option<String> {
    if !session.contains_key(FLASH_KEY) {
        return None;
    }
    session.remove_as::<String>(FLASH_KEY).and_then(Result::ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_secret_always_derives_the_same_cookie_key() {
        let a = derive_key(&"x".repeat(64));
        let b = derive_key(&"x".repeat(64));
        let c = derive_key(&"y".repeat(64));
        assert_eq!(a.master(), b.master());
        assert_ne!(a.master(), c.master());
    }
}
