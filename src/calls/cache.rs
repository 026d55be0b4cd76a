//! The rows of calls in progress on this instance, so a turn need not read
//! its call before writing it. The database stays the truth: a turn's write
//! is guarded by the turn count and by the call not having ended, so a stale
//! entry (another instance served a turn, the call ended) makes the write
//! fail and the turn is redone from the database.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{Call, CallKey};

/// Entries kept at most; far above the calls one instance can carry.
const CAPACITY: usize = 20_000;
/// An entry not used for this long belongs to a call that ended elsewhere.
const MAX_IDLE: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
pub struct ActiveCalls {
    entries: Mutex<HashMap<String, Entry>>,
}

struct Entry {
    call: Call,
    config_version: i64,
    used: Instant,
}

impl ActiveCalls {
    /// The cached row of the call and its tenant's configuration version,
    /// when the key's tenant and line are the call's.
    pub fn get(&self, key: &CallKey) -> Option<(Call, i64)> {
        let mut entries = self.lock();
        let entry = entries
            .get_mut(&key.call_sid)
            .filter(|e| e.call.tenant_id == key.tenant_id && e.call.to_number == key.line)?;
        entry.used = Instant::now();
        Some((entry.call.clone(), entry.config_version))
    }

    pub fn put(&self, call: Call, config_version: i64) {
        let mut entries = self.lock();
        if entries.len() >= CAPACITY {
            entries.retain(|_, e| e.used.elapsed() < MAX_IDLE);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(
            call.call_sid.clone(),
            Entry {
                call,
                config_version,
                used: Instant::now(),
            },
        );
    }

    pub fn remove(&self, call_sid: &str) {
        self.lock().remove(call_sid);
    }

    /// A poisoned lock only means a panic elsewhere mid-update of a plain
    /// map; the worst outcome is a stale entry, which the guard handles.
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
