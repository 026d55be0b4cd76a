//! The signed-in user's account: changing the password. The current
//! password must be entered again (a session left open on a shared computer
//! cannot lock its owner out), and every other session of the user ends.
//! A wrong current password is a failed sign-in: it counts towards, and is
//! refused by, the same throttle, so an open session cannot be used to
//! guess the password at leisure.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::guard::CurrentUser;
use super::layout::{Nav, Page, render};
use super::login::{request_ip, see_other};
use super::throttle::{self, Verdict};
use super::{session, session_store};
use crate::app::AppState;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::schema::users;
use crate::users::{User, password};

pub const CHANGED: &str = "Your password was changed. Your other sessions were signed out.";

#[derive(Template)]
#[template(path = "dashboard/account.html")]
struct AccountPage {
    page: Page,
    error: Option<String>,
    /// Signed in with a one-time password: say why they are here.
    must_change_password: bool,
}

#[derive(Deserialize)]
pub struct PasswordChange {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

fn internal(err: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(anyhow::Error::new(err))
}

fn account_page(
    status: StatusCode,
    user: &CurrentUser,
    session: &Session,
    error: Option<String>,
) -> Result<HttpResponse, AppError> {
    let csrf = session::csrf_token(session).map_err(internal)?;
    let page = Page::signed_in(user, &csrf, "Account", Nav::Account)
        .with_flash(session::take_flash(session));
    let mut res = render(&AccountPage {
        page,
        error,
        must_change_password: user.must_change_password,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// GET /account.
pub async fn show(user: CurrentUser, session: Session) -> Result<HttpResponse, AppError> {
    account_page(StatusCode::OK, &user, &session, None)
}

/// What is wrong with a new password before any hashing, if anything.
pub fn check_new_password(change: &PasswordChange) -> Result<(), String> {
    if change.new_password != change.confirm_password {
        return Err("The new passwords do not match.".to_owned());
    }
    if change.new_password == change.current_password {
        return Err("The new password must differ from the current one.".to_owned());
    }
    password::check_strength(&change.new_password).map_err(|reason| {
        let mut sentence = reason;
        if let Some(first) = sentence.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        format!("{sentence}.")
    })
}

/// POST /account: changes the password.
pub async fn change_password(
    user: CurrentUser,
    session: Session,
    state: web::Data<AppState>,
    req: HttpRequest,
    form: CsrfForm<PasswordChange>,
) -> Result<HttpResponse, AppError> {
    let change = form.into_inner();
    if let Err(problem) = check_new_password(&change) {
        return account_page(StatusCode::BAD_REQUEST, &user, &session, Some(problem));
    }
    let id = user.id;
    let ip = request_ip(&req, state.config.trust_proxy);
    let now = crate::clock::now();
    let (verdict, stored) = {
        let (email, ip) = (user.email.clone(), ip.clone());
        db::run(&state.db, move |conn| {
            let verdict = throttle::check(conn, &email, &ip, now)?;
            Ok::<_, DbError>((verdict, User::password_hash_of(conn, id)?))
        })
        .await?
    };
    if let Verdict::Refused { retry_after } = verdict {
        let problem = format!(
            "Too many wrong passwords. {}",
            Verdict::try_again_in(retry_after)
        );
        return account_page(
            StatusCode::TOO_MANY_REQUESTS,
            &user,
            &session,
            Some(problem),
        );
    }
    let stored = stored.unwrap_or_default();
    let new_hash = web::block(move || {
        if !password::verify(&change.current_password, &stored) {
            return Ok(None);
        }
        password::hash(&change.new_password).map(Some)
    })
    .await
    .map_err(internal)??;
    let Some(new_hash) = new_hash else {
        let email = user.email.clone();
        db::run_write(&state.db, move |conn| {
            Ok::<_, DbError>(throttle::record(conn, &email, &ip, false, now)?)
        })
        .await?;
        let problem = "The current password is not correct.".to_owned();
        return account_page(StatusCode::BAD_REQUEST, &user, &session, Some(problem));
    };
    db::run_write(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            User::set_password_hash(conn, id, &new_hash)?;
            diesel::update(users::table.find(id))
                .set(users::must_change_password.eq(false))
                .execute(conn)?;
            session_store::end_sessions_of(conn, id)
        })
        .map_err(DbError::from)
    })
    .await?;
    tracing::info!(user = %id, "password changed; the user's other sessions ended");
    // This session's row went with the others: it goes on under a new id.
    session.renew();
    session::set_flash(&session, CHANGED).map_err(internal)?;
    // Someone who had to choose a password goes on to the dashboard.
    Ok(see_other(if user.must_change_password {
        "/"
    } else {
        "/account"
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(current: &str, new: &str, confirm: &str) -> PasswordChange {
        PasswordChange {
            current_password: current.to_owned(),
            new_password: new.to_owned(),
            confirm_password: confirm.to_owned(),
        }
    }

    #[test]
    fn a_new_password_must_be_confirmed_new_and_strong() {
        assert!(
            check_new_password(&change(
                "old password 1",
                "a new password",
                "a new password"
            ))
            .is_ok()
        );
        assert_eq!(
            check_new_password(&change("x", "a new password", "a new passwort")),
            Err("The new passwords do not match.".to_owned())
        );
        assert!(
            check_new_password(&change("same password", "same password", "same password")).is_err()
        );
        assert_eq!(
            check_new_password(&change("x", "short", "short")),
            Err("The password must be at least 12 characters.".to_owned())
        );
    }
}
