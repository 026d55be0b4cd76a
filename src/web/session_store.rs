//! Dashboard sessions in the database, as an actix-session `SessionStore`.
//!
//! The cookie carries a random 64-character key (itself encrypted with the
//! session cookie key); the `sessions` table keeps only its SHA-256, so a
//! copy of the table cannot be replayed as cookies. Rows live in the app's
//! database, so logout, a password change or disabling a user ends sessions
//! on every instance at once.
//!
//! A session ends after `IDLE_TIMEOUT` without a request, and in any case
//! `ABSOLUTE_TIMEOUT` after it was created: `load` refuses (and deletes) a
//! row past either. Use is recorded at most once per `TOUCH_EVERY`, so a
//! signed-in page costs one read, not a write, per request.

use std::collections::HashMap;

use actix_session::storage::{
    LoadError, SaveError, SessionKey, SessionStore, UpdateError, generate_session_key,
};
use actix_web::cookie::time::Duration as CookieDuration;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::{self, DbConnection, DbError, DbPool};
use crate::ids::UserId;
use crate::schema::sessions;

pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// How stale `last_seen_at` may get before a request writes it again.
pub const TOUCH_EVERY: Duration = Duration::minutes(1);

/// The session state key that names the signed-in user; mirrored into the
/// `user_id` column so a user's sessions can be ended together.
pub const USER_ID_KEY: &str = "user_id";

type SessionState = HashMap<String, String>;

/// The actix-session store on the app's database pool.
#[derive(Clone)]
pub struct DbSessionStore {
    pool: DbPool,
}

impl DbSessionStore {
    pub fn new(pool: DbPool) -> DbSessionStore {
        DbSessionStore { pool }
    }
}

/// What is stored instead of a session key.
pub fn key_hash(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// When a session last seen at `last_seen` and created at `created` ends.
pub fn expiry(created: NaiveDateTime, last_seen: NaiveDateTime) -> NaiveDateTime {
    (last_seen + IDLE_TIMEOUT).min(created + ABSOLUTE_TIMEOUT)
}

/// Whether a session is still alive at `now` (the stored `expires_at` is
/// checked too, so shortening it ends the session).
pub fn alive(
    created: NaiveDateTime,
    last_seen: NaiveDateTime,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> bool {
    now < expiry(created, last_seen) && now < expires_at
}

/// The signed-in user a session state names, if any.
fn user_of(state: &SessionState) -> Option<UserId> {
    state
        .get(USER_ID_KEY)
        .and_then(|v| serde_json::from_str::<i64>(v).ok())
        .map(UserId)
}

#[derive(Queryable)]
struct Row {
    state: String,
    created_at: NaiveDateTime,
    last_seen_at: NaiveDateTime,
    expires_at: NaiveDateTime,
}

fn find(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<Row>> {
    sessions::table
        .filter(sessions::key_hash.eq(hash))
        .select((
            sessions::state,
            sessions::created_at,
            sessions::last_seen_at,
            sessions::expires_at,
        ))
        .first(conn)
        .optional()
}

fn insert(
    conn: &mut DbConnection,
    hash: &str,
    state: &str,
    user: Option<UserId>,
) -> QueryResult<()> {
    let now = crate::clock::now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::key_hash.eq(hash),
            sessions::user_id.eq(user),
            sessions::state.eq(state),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::expires_at.eq(expiry(now, now)),
        ))
        .execute(conn)
        .map(drop)
}

/// Records use of a session at `now`; false when the row is gone.
fn touch(
    conn: &mut DbConnection,
    hash: &str,
    state: Option<(&str, Option<UserId>)>,
) -> QueryResult<bool> {
    let now = crate::clock::now();
    let created: Option<NaiveDateTime> = sessions::table
        .filter(sessions::key_hash.eq(hash))
        .select(sessions::created_at)
        .first(conn)
        .optional()?;
    let Some(created) = created else {
        return Ok(false);
    };
    let target = sessions::table.filter(sessions::key_hash.eq(hash));
    let times = (
        sessions::last_seen_at.eq(now),
        sessions::expires_at.eq(expiry(created, now)),
    );
    let changed = match state {
        Some((state, user)) => diesel::update(target)
            .set((times, sessions::state.eq(state), sessions::user_id.eq(user)))
            .execute(conn)?,
        None => diesel::update(target).set(times).execute(conn)?,
    };
    Ok(changed > 0)
}

fn delete_by_hash(conn: &mut DbConnection, hash: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::key_hash.eq(hash))).execute(conn)
}

/// Ends every session of a user (password change; `User::set_disabled`
/// does the same when disabling).
pub fn end_sessions_of(conn: &mut DbConnection, user: UserId) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user))).execute(conn)
}

/// Deletes sessions that can no longer be used.
pub fn prune_expired(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        sessions::table.filter(
            sessions::expires_at
                .le(now)
                .or(sessions::created_at.le(now - ABSOLUTE_TIMEOUT)),
        ),
    )
    .execute(conn)
}

fn other(err: DbError) -> anyhow::Error {
    anyhow::Error::new(err).context("session store")
}

impl SessionStore for DbSessionStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<SessionState>, LoadError> {
        let hash = key_hash(session_key.as_ref());
        let lookup = hash.clone();
        let row = db::run(&self.pool, move |conn| {
            Ok::<_, DbError>(find(conn, &lookup)?)
        })
        .await
        .map_err(|e| LoadError::Other(other(e)))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let now = crate::clock::now();
        if !alive(row.created_at, row.last_seen_at, row.expires_at, now) {
            db::run_write(&self.pool, move |conn| {
                Ok::<_, DbError>(delete_by_hash(conn, &hash)?)
            })
            .await
            .map_err(|e| LoadError::Other(other(e)))?;
            return Ok(None);
        }
        let state: SessionState =
            serde_json::from_str(&row.state).map_err(|e| LoadError::Deserialization(e.into()))?;
        if now - row.last_seen_at >= TOUCH_EVERY {
            let touched = db::run_write(&self.pool, move |conn| {
                Ok::<_, DbError>(touch(conn, &hash, None)?)
            })
            .await
            .map_err(|e| LoadError::Other(other(e)))?;
            if !touched {
                return Ok(None);
            }
        }
        Ok(Some(state))
    }

    async fn save(
        &self,
        session_state: SessionState,
        _ttl: &CookieDuration,
    ) -> Result<SessionKey, SaveError> {
        let json = serde_json::to_string(&session_state)
            .map_err(|e| SaveError::Serialization(e.into()))?;
        let user = user_of(&session_state);
        let key = generate_session_key();
        let hash = key_hash(key.as_ref());
        db::run_write(&self.pool, move |conn| {
            Ok::<_, DbError>(insert(conn, &hash, &json, user)?)
        })
        .await
        .map_err(|e| SaveError::Other(other(e)))?;
        Ok(key)
    }

    async fn update(
        &self,
        session_key: SessionKey,
        session_state: SessionState,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        let json = serde_json::to_string(&session_state)
            .map_err(|e| UpdateError::Serialization(e.into()))?;
        let user = user_of(&session_state);
        let hash = key_hash(session_key.as_ref());
        let updated = db::run_write(&self.pool, move |conn| {
            Ok::<_, DbError>(touch(conn, &hash, Some((&json, user)))?)
        })
        .await
        .map_err(|e| UpdateError::Other(other(e)))?;
        if updated {
            return Ok(session_key);
        }
        // The row was deleted while the request ran (signed out elsewhere,
        // disabled): keep the visitor's other state in a new session, but
        // never bring the sign-in back.
        let mut anonymous = session_state;
        anonymous.retain(|key, _| key != USER_ID_KEY);
        self.save(anonymous, ttl).await.map_err(|e| match e {
            SaveError::Serialization(e) => UpdateError::Serialization(e),
            SaveError::Other(e) => UpdateError::Other(e),
        })
    }

    async fn update_ttl(
        &self,
        session_key: &SessionKey,
        _ttl: &CookieDuration,
    ) -> Result<(), anyhow::Error> {
        let hash = key_hash(session_key.as_ref());
        db::run_write(&self.pool, move |conn| {
            Ok::<_, DbError>(touch(conn, &hash, None)?)
        })
        .await
        .map(drop)
        .map_err(other)
    }

    async fn delete(&self, session_key: &SessionKey) -> Result<(), anyhow::Error> {
        let hash = key_hash(session_key.as_ref());
        db::run_write(&self.pool, move |conn| {
            Ok::<_, DbError>(delete_by_hash(conn, &hash)?)
        })
        .await
        .map(drop)
        .map_err(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .unwrap()
            .naive_utc()
            + Duration::minutes(minutes)
    }

    #[test]
    fn a_session_key_is_stored_only_as_its_sha256() {
        let hash = key_hash("abc");
        assert_eq!(
            hash,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(key_hash("abd"), hash);
    }

    #[test]
    fn a_session_ends_after_thirty_idle_minutes() {
        let (created, seen) = (at(0), at(100));
        let expires = expiry(created, seen);
        assert!(alive(created, seen, expires, at(129)));
        assert!(!alive(created, seen, expires, at(130)));
    }

    #[test]
    fn a_session_in_use_still_ends_twelve_hours_after_it_began() {
        let created = at(0);
        let seen = at(12 * 60 - 5);
        assert_eq!(expiry(created, seen), at(12 * 60));
        assert!(alive(created, seen, expiry(created, seen), at(12 * 60 - 1)));
        assert!(!alive(created, seen, at(24 * 60), at(12 * 60)));
    }

    #[test]
    fn a_shortened_expiry_ends_the_session_at_once() {
        assert!(!alive(at(0), at(5), at(1), at(6)));
    }

    #[test]
    fn the_user_is_read_from_the_json_of_the_state() {
        let state = HashMap::from([(USER_ID_KEY.to_owned(), "42".to_owned())]);
        assert_eq!(user_of(&state), Some(UserId(42)));
        assert_eq!(user_of(&HashMap::new()), None);
    }
}
