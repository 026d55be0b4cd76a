//! The call-time view of tenants, cached in memory and keyed by the tenant's
//! `config_version`: a turn reads one number from the database to know
//! whether its cached configuration (profile, departments, knowledge index)
//! is current, instead of reloading it all. Call state is never cached.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDateTime, Timelike};
use chrono_tz::Tz;
use diesel::prelude::*;

use super::Tenant;
use crate::ai::rules::{KnowledgeEntry, KnowledgeIndex};
use crate::calls::columns::Json;
use crate::config::Secret;
use crate::conversation::profile::{Limits, LocalTime, OpenSpan, TenantProfile};
use crate::db::{self, DbConnection, DbError, DbPool};
use crate::ids::TenantId;
use crate::schema::{knowledge_entries, phone_numbers, tenants};

/// Which tenant answers a number, and the token its webhooks are signed with.
#[derive(Debug, Clone)]
pub struct NumberOwner {
    pub tenant_id: TenantId,
    /// The tenant's own Twilio auth token, if it has one.
    pub auth_token: Option<Secret>,
}

/// Everything a turn needs about its tenant, built once per config version.
pub struct TenantContext {
    pub id: TenantId,
    pub slug: String,
    pub config_version: i64,
    pub timezone: Tz,
    pub language: String,
    pub voice: String,
    /// Twilio's `<Gather speechModel>` for the tenant's calls.
    pub speech_model: String,
    /// The LLM model the tenant's calls use; `None` means the installation's
    /// `OPENAI_MODEL`.
    pub llm_model: Option<String>,
    pub profile: TenantProfile,
    pub knowledge: KnowledgeIndex,
    /// `<Gather hints>`: department names and knowledge keywords.
    pub hints: Vec<String>,
    pub allow_anonymous: bool,
    pub max_concurrent_calls: u32,
    pub calls_per_hour_per_caller: u32,
    /// Disabled by the super admin: calls are answered with an apology and
    /// ended. Changing it bumps `config_version`, so every instance sees it.
    pub disabled: bool,
    /// Calling code for numbers spoken without one (1 for `*-US`/`*-CA`).
    pub country_code: u16,
}

impl TenantContext {
    /// Whether the business is open at `now_utc`, in the tenant's timezone.
    pub fn is_open(&self, now_utc: NaiveDateTime) -> bool {
        self.profile.is_open_at(self.local_time(now_utc))
    }

    /// `now_utc` on the tenant's clock: weekday and minute of the day.
    pub fn local_time(&self, now_utc: NaiveDateTime) -> LocalTime {
        let local = now_utc.and_utc().with_timezone(&self.timezone);
        LocalTime {
            weekday: local.weekday().num_days_from_monday() as usize,
            minute: (local.hour() * 60 + local.minute()) as u16,
            date: local.date_naive(),
        }
    }
}

/// How long an instance trusts what it read about a number (its owner, its
/// token, or that no tenant has it): a number moved to another tenant or a
/// rotated token is seen by every instance within this time.
pub const NUMBER_TTL: Duration = Duration::from_secs(5);
/// Forced re-reads of one number (after a signature mismatch, as when its
/// token was just rotated) happen at most this often, so forged requests
/// cannot buy a query each.
const REFRESH_EVERY: Duration = Duration::from_secs(1);
/// Numbers remembered at most; far above what one installation serves, and
/// a bound on what requests for made-up numbers can fill.
const MAX_NUMBERS: usize = 50_000;

#[derive(Default)]
pub struct TenantDirectory {
    numbers: RwLock<HashMap<String, NumberEntry>>,
    contexts: RwLock<HashMap<TenantId, Arc<TenantContext>>>,
}

/// What was read about a number, and when.
struct NumberEntry {
    owner: Option<NumberOwner>,
    read_at: Instant,
}

impl TenantDirectory {
    /// The owner of `number` (`None`: no tenant has it), from what this
    /// instance read in the last few seconds unless `refresh` asks for a
    /// fresh read (after a signature mismatch, in case the token was
    /// rotated); refreshes are rate-limited per number.
    pub async fn number_owner(
        &self,
        pool: &DbPool,
        number: &str,
        refresh: bool,
    ) -> Result<Option<NumberOwner>, DbError> {
        let known = read(&self.numbers).get(number).map(|entry| {
            let age = entry.read_at.elapsed();
            let fresh = age < NUMBER_TTL && !refresh;
            (
                fresh || (refresh && age < REFRESH_EVERY),
                entry.owner.clone(),
            )
        });
        if let Some((true, owner)) = known {
            return Ok(owner);
        }
        let key = number.to_owned();
        let loaded = db::run(pool, move |conn| {
            load_number_owner(conn, &key).map_err(DbError::from)
        })
        .await;
        let owner = match (loaded, known) {
            (Ok(owner), _) => owner,
            // The database is sick: what was last known beats no answer
            // (and keeps a flood of requests from waiting on it one by one).
            // Trusted for another few seconds before the next attempt.
            (Err(error), Some((_, owner))) => {
                tracing::warn!(%error, "cannot re-read a number's owner; using what was last read");
                owner
            }
            (Err(error), None) => return Err(error),
        };
        let mut numbers = write(&self.numbers);
        if numbers.len() >= MAX_NUMBERS {
            numbers.retain(|_, e| e.read_at.elapsed() < NUMBER_TTL);
            if numbers.len() >= MAX_NUMBERS {
                numbers.clear();
            }
        }
        numbers.insert(
            number.to_owned(),
            NumberEntry {
                owner: owner.clone(),
                read_at: Instant::now(),
            },
        );
        Ok(owner)
    }

    /// The tenant's configuration as this instance last loaded it, without
    /// touching the database (for answering when the database is sick).
    pub fn cached_context(&self, tenant_id: TenantId) -> Option<Arc<TenantContext>> {
        read(&self.contexts).get(&tenant_id).cloned()
    }

    /// `context` on a connection the caller already holds (inside a
    /// transaction).
    pub fn context_on(
        &self,
        conn: &mut DbConnection,
        tenant_id: TenantId,
        version: i64,
    ) -> QueryResult<Arc<TenantContext>> {
        if let Some(context) = read(&self.contexts).get(&tenant_id)
            && context.config_version >= version
        {
            return Ok(context.clone());
        }
        let context = Arc::new(load_context(conn, tenant_id)?);
        write(&self.contexts).insert(tenant_id, context.clone());
        Ok(context)
    }

    /// The tenant's call configuration at `version`, loading it when the
    /// cached one is older.
    pub async fn context(
        &self,
        pool: &DbPool,
        tenant_id: TenantId,
        version: i64,
    ) -> Result<Arc<TenantContext>, DbError> {
        if let Some(context) = read(&self.contexts).get(&tenant_id)
            && context.config_version >= version
        {
            return Ok(context.clone());
        }
        let context = Arc::new(
            db::run(pool, move |conn| {
                load_context(conn, tenant_id).map_err(DbError::from)
            })
            .await?,
        );
        write(&self.contexts).insert(tenant_id, context.clone());
        Ok(context)
    }
}

/// A poisoned lock only means another thread panicked mid-insert of a
/// complete value; the map is still usable.
fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn load_number_owner(conn: &mut DbConnection, number: &str) -> QueryResult<Option<NumberOwner>> {
    phone_numbers::table
        .inner_join(tenants::table)
        .filter(phone_numbers::number.eq(number))
        .select((tenants::id, tenants::twilio_auth_token))
        .first::<(TenantId, Option<String>)>(conn)
        .optional()
        .map(|row| {
            row.map(|(tenant_id, token)| NumberOwner {
                tenant_id,
                auth_token: token.map(Secret::new),
            })
        })
}

/// The tenant's own Twilio token for a number, if the number has an owner with one.
pub fn tenant_token_for_number(
    conn: &mut DbConnection,
    number: &str,
) -> QueryResult<Option<String>> {
    Ok(load_number_owner(conn, number)?
        .and_then(|o| o.auth_token)
        .map(|t| t.expose().to_owned()))
}

pub fn load_context(conn: &mut DbConnection, tenant_id: TenantId) -> QueryResult<TenantContext> {
    let tenant = Tenant::find(conn, tenant_id)?;
    let departments = super::departments_of(conn, tenant_id)?;
    let hours = super::hours_of(conn, tenant_id)?.map(|day| {
        day.map(|(open_minute, close_minute)| OpenSpan {
            open_minute,
            close_minute,
        })
    });
    let entries: Vec<KnowledgeEntry> = knowledge_entries::table
        .filter(knowledge_entries::tenant_id.eq(tenant_id))
        .filter(knowledge_entries::active.eq(true))
        .order(knowledge_entries::id)
        .select((
            knowledge_entries::id,
            knowledge_entries::question,
            knowledge_entries::answer,
            knowledge_entries::category,
            knowledge_entries::priority,
            knowledge_entries::also_asked,
        ))
        .load::<(i64, String, String, Option<String>, i32, Json<Vec<String>>)>(conn)?
        .into_iter()
        .map(
            |(id, question, answer, category, priority, Json(also_asked))| KnowledgeEntry {
                id,
                question,
                answer,
                category,
                priority,
                also_asked,
            },
        )
        .collect();
    let knowledge = KnowledgeIndex::build(entries);
    let mut hints: Vec<String> = departments.iter().map(|d| d.name.clone()).collect();
    hints.extend(knowledge.hint_keywords());
    hints.dedup();
    let as_u32 = |v: i32| u32::try_from(v).unwrap_or(0);
    let profile = TenantProfile {
        name: tenant.name.clone(),
        greeting: tenant.greeting.clone(),
        disclosure: tenant.disclosure.clone(),
        address: tenant.address.clone(),
        contact_email: tenant.contact_email.clone(),
        contact_phone: tenant.contact_phone.clone(),
        website: tenant.website.clone(),
        transfer_number: tenant.transfer_number.clone(),
        departments,
        hours,
        closures: super::closures_of(conn, tenant_id)?,
        emergency_number: tenant.emergency_number.clone(),
        staff_languages: tenant.staff_language_list(),
        limits: Limits {
            max_turns: as_u32(tenant.max_turns),
            max_call_seconds: as_u32(tenant.max_call_seconds),
            transfer_timeout_seconds: as_u32(tenant.transfer_timeout_seconds),
        },
    };
    Ok(TenantContext {
        id: tenant.id,
        country_code: country_code_for(&tenant.language),
        timezone: tenant.timezone.parse().unwrap_or(Tz::UTC),
        slug: tenant.slug,
        config_version: tenant.config_version,
        language: tenant.language,
        voice: tenant.voice,
        speech_model: tenant.speech_model,
        llm_model: tenant.llm_model,
        profile,
        knowledge,
        hints,
        allow_anonymous: tenant.allow_anonymous,
        max_concurrent_calls: as_u32(tenant.max_concurrent_calls),
        calls_per_hour_per_caller: as_u32(tenant.calls_per_hour_per_caller),
        disabled: tenant.disabled,
    })
}

/// The calling code implied by a language tag's region (`en-GB` → 44).
pub fn country_code_for(language: &str) -> u16 {
    match language
        .rsplit('-')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase()
        .as_str()
    {
        "GB" => 44,
        "AU" => 61,
        "NZ" => 64,
        "IE" => 353,
        "IN" => 91,
        "DE" => 49,
        "FR" => 33,
        "ES" => 34,
        "IT" => 39,
        "NL" => 31,
        "MX" => 52,
        "BR" => 55,
        _ => 1,
    }
}
