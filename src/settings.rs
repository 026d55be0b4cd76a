//! Installation-wide values generated once and kept in the database (so every
//! instance of a scaled-out installation shares them and restarts keep them).

use diesel::prelude::*;
use rand::RngCore;
use rand::distr::{Alphanumeric, SampleString};

use crate::db::{DbConnection, write_transaction};
use crate::schema::settings;

pub const SESSION_KEY: &str = "session_key";
/// Auth token used to sign and check webhooks when no Twilio token is
/// configured at all, so a fresh install can take test calls at once.
pub const DEV_TWILIO_TOKEN: &str = "dev_twilio_auth_token";

pub fn get(conn: &mut DbConnection, key: &str) -> QueryResult<Option<String>> {
    settings::table
        .find(key)
        .select(settings::value)
        .first(conn)
        .optional()
}

/// Returns the stored value of `key`, storing `generate()` first if there is
/// none. Safe against two instances racing: the first insert wins.
pub fn get_or_create(
    conn: &mut DbConnection,
    key: &str,
    generate: impl FnOnce() -> String,
) -> QueryResult<String> {
    write_transaction(conn, |conn| {
        if let Some(value) = get(conn, key)? {
            return Ok(value);
        }
        let value = generate();
        diesel::insert_into(settings::table)
            .values((
                settings::key.eq(key),
                settings::value.eq(&value),
                settings::updated_at.eq(crate::clock::now()),
            ))
            .execute(conn)?;
        Ok(value)
    })
}

pub fn random_token(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rng(), len)
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}
