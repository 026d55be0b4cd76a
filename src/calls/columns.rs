//! How the call's typed values are stored: enums by name in text columns,
//! the conversation's memory and the last answer as JSON. Parsed once, here,
//! at the edge of the database; a value this version does not know is a
//! read error, never silently something else.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow, Queryable};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use super::status::CallStatus;
use crate::conversation::state::{Outcome, StateName};

/// Implements diesel's text mapping for an enum with `as_str` and `parse`.
/// The caller imports what the expansion names (`Backend`, `FromSql`,
/// `Queryable`, `ToSql`, `Output`, `Text`, `deserialize`, `serialize`).
macro_rules! stored_by_name {
    ($type:ty, $what:literal) => {
        impl<DB: Backend> ToSql<Text, DB> for $type
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB: Backend, ST> Queryable<ST, DB> for $type
        where
            ST: diesel::sql_types::SingleValue,
            Self: FromSql<ST, DB>,
        {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }

        impl<DB: Backend> FromSql<Text, DB> for $type
        where
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let name = String::from_sql(bytes)?;
                <$type>::parse(&name).ok_or_else(|| format!("unknown {} `{name}`", $what).into())
            }
        }
    };
}

pub(crate) use stored_by_name;

stored_by_name!(StateName, "call state");
stored_by_name!(Outcome, "call outcome");
stored_by_name!(CallStatus, "call status");

/// A value stored as JSON text (the conversation's memory, the last
/// answer). Read through this type; written as `serde_json::to_string`.
#[derive(Debug, Clone, PartialEq, FromSqlRow)]
pub struct Json<T>(pub T);

impl<T, DB> FromSql<Text, DB> for Json<T>
where
    T: serde::de::DeserializeOwned,
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let text = String::from_sql(bytes)?;
        Ok(Json(serde_json::from_str(&text)?))
    }
}

/// The JSON text of a stored value.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Serialising plain data structs and enums cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}
