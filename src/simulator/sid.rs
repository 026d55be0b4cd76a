//! Twilio-shaped SIDs for simulated calls and recordings.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A fresh Twilio-shaped call SID: `CA` and 32 hex digits, unique within the process and
/// unlikely to repeat across processes. Not for anything secret.
pub fn random_call_sid() -> String {
    random_sid("CA")
}

pub(super) fn random_sid(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos() as u64);
    let high = splitmix64(nanos ^ u64::from(std::process::id()).rotate_left(32));
    let low = splitmix64(high ^ count);
    format!("{prefix}{high:016x}{low:016x}")
}

fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_sids_look_like_twilios_and_do_not_repeat() {
        let sids: Vec<String> = (0..1000).map(|_| random_call_sid()).collect();
        for sid in &sids {
            assert_eq!(sid.len(), 34);
            assert!(sid.starts_with("CA"));
            assert!(
                sid[2..]
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            );
        }
        let unique: std::collections::HashSet<&String> = sids.iter().collect();
        assert_eq!(unique.len(), sids.len());
    }
}
